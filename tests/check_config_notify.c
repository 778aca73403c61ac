/*
 * NAME
 *	check_config_notify - unit tests for the notification configuration
 * DESCRIPTION
 *	conf.d contacts and contact groups, and the notification keys of
 *	checks (notify, notify_on, notification_interval,
 *	first_notification_delay, notification_period, escalations): what
 *	config_load() resolves, the defaults, inheritance through templates
 *	and from a host to its services, and every error with its exact
 *	file:line:column. Fixtures: configtest.h.
 * DIAGNOSTICS
 *	Exit status 0 when every test passes. A failing test prints every
 *	error the loader reported (and a table case its input).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "configtest.h"
#include "strbuf.h"
#include "testutil.h"
#include "timeperiod.h"
#include "xalloc.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* v (n names, NULL-terminated) is exactly want. */
static void
expect_names(const char *what, char *const *v, size_t n,
    const char *const *want, size_t nwant)
{
	size_t i;

	ck_assert_msg(n == nwant, "%s: %zu names, want %zu", what, n, nwant);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(v[i], want[i]) == 0, "%s[%zu]: \"%s\", want "
		    "\"%s\"", what, i, v[i], want[i]);
	ck_assert_msg(v[n] == NULL, "%s: not NULL-terminated", what);
}

static void
expect_contacts(const struct cfg_check *c, const char *const *want,
    size_t n)
{
	char *what = xasprintf("%s/%s contacts", c->host,
	    c->service ? c->service : "");

	expect_names(what, c->contacts, c->ncontacts, want, n);
	free(what);
}

static const struct cfg_contact_group *
find_contact_group(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ncontact_groups; i++)
		if (strcmp(cfg->contact_groups[i].name, name) == 0)
			return &cfg->contact_groups[i];
	ck_abort_msg("no contact group %s", name);
	return NULL;
}

/* ---- contacts and contact groups ------------------------------------ */

START_TEST(contacts_and_groups_are_read_sorted_with_defaults)
{
	static const char *const ops[] = { "alice", "bob", "carol" };
	static const char *const dba[] = { "alice", "bob" };
	static const char *const everyone[] = { "alice", "bob", "carol" };
	const struct cfg_contact *c;
	const struct cfg_contact_group *g;
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  sms: [/usr/local/bin/sms, $_CONTACTPHONE$, $NOTIFICATIONTYPE$]\n"
	    "contacts:\n"
	    "  carol:\n"
	    "    email: carol@example.org\n"
	    "    alias: Carol C\n"
	    "    notify_on: [critical, down, recovery]\n"
	    "    period: workhours\n"
	    "  alice:\n"
	    "    email: alice@example.org\n"
	    "    slack: \"#ops\"\n"
	    "    webhook: https://hooks.example.org/x\n"
	    "    command: sms\n"
	    "    vars: {phone: \"+100\"}\n"
	    "timeperiods:\n"
	    "  workhours: {all: \"09:00-17:00\"}\n");
	put("conf.d/b.yaml",
	    "contacts:\n"
	    "  bob: {slack: \"@bob\", notify_on: none}\n"
	    "contact_groups:\n"
	    "  ops: {members: [carol, alice], groups: [dba]}\n"
	    "  dba: {alias: Database, members: [bob, alice]}\n"
	    "  everyone: {groups: [ops, dba]}\n"
	    "  empty: {}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->ncontacts, 3);
	ck_assert_str_eq(cfg->contacts[0].name, "alice");
	ck_assert_str_eq(cfg->contacts[1].name, "bob");
	ck_assert_str_eq(cfg->contacts[2].name, "carol");

	c = config_find_contact(cfg, "alice");
	ck_assert_ptr_eq(c, &cfg->contacts[0]);
	ck_assert_str_eq(c->alias, "alice");
	ck_assert_str_eq(c->email, "alice@example.org");
	ck_assert_str_eq(c->slack, "#ops");
	ck_assert_str_eq(c->webhook, "https://hooks.example.org/x");
	ck_assert_str_eq(c->command, "sms");
	ck_assert_uint_eq(c->notify_on, NOTIFY_ON_ALL);
	ck_assert_ptr_null(c->period);
	ck_assert_ptr_null(c->period_tp);
	ck_assert_uint_eq(c->nvars, 1);
	ck_assert_str_eq(c->vars[0].name, "phone");
	ck_assert_str_eq(c->vars[0].value, "+100");
	ck_assert_str_eq(c->mark.file, "conf.d/a.yaml");
	ck_assert_int_eq(c->mark.line, 9);
	ck_assert_int_eq(c->mark.col, 3);

	c = config_find_contact(cfg, "bob");
	ck_assert_ptr_null(c->email);
	ck_assert_ptr_null(c->webhook);
	ck_assert_ptr_null(c->command);
	ck_assert_uint_eq(c->notify_on, 0);
	ck_assert_uint_eq(c->nvars, 0);

	/* A contact's notify_on takes host and service names together. */
	c = config_find_contact(cfg, "carol");
	ck_assert_str_eq(c->alias, "Carol C");
	ck_assert_uint_eq(c->notify_on, NOTIFY_ON_CRITICAL | NOTIFY_ON_DOWN |
	    NOTIFY_ON_RECOVERY);
	ck_assert_str_eq(c->period, "workhours");
	ck_assert_ptr_eq(c->period_tp,
	    config_find_timeperiod(cfg, "workhours")->tp);

	/* The command is kept as written: the notifier expands it. */
	ck_assert_str_eq(config_find_command(cfg, "sms")->argv[1],
	    "$_CONTACTPHONE$");

	ck_assert_uint_eq(cfg->ncontact_groups, 4);
	ck_assert_str_eq(cfg->contact_groups[0].name, "dba");
	ck_assert_str_eq(cfg->contact_groups[1].name, "empty");
	ck_assert_str_eq(cfg->contact_groups[2].name, "everyone");
	ck_assert_str_eq(cfg->contact_groups[3].name, "ops");
	g = find_contact_group(cfg, "ops");
	ck_assert_str_eq(g->alias, "ops");
	expect_names("ops", g->members, g->nmembers, ops, N(ops));
	g = find_contact_group(cfg, "dba");
	ck_assert_str_eq(g->alias, "Database");
	expect_names("dba", g->members, g->nmembers, dba, N(dba));
	g = find_contact_group(cfg, "everyone");
	expect_names("everyone", g->members, g->nmembers, everyone,
	    N(everyone));
	g = find_contact_group(cfg, "empty");
	expect_names("empty", g->members, g->nmembers, NULL, 0);
	ck_assert_int_eq(g->mark.line, 7);
	config_free(cfg);
}
END_TEST

START_TEST(find_contact_finds_each_of_many_and_nothing_else)
{
	struct strbuf y = { NULL, 0, 0 };
	struct config *cfg;
	char name[32];
	int i;

	strbuf_adds(&y, "contacts:\n");
	/* Defined in reverse order: the search must not rely on file order. */
	for (i = 199; i >= 0; i--) {
		snprintf(name, sizeof(name), "c%03d", i * 2);
		strbuf_adds(&y, "  ");
		strbuf_adds(&y, name);
		strbuf_adds(&y, ": {email: x@example.org}\n");
	}
	put("conf.d/a.yaml", y.s);
	free(y.s);
	cfg = load(0);
	ck_assert_uint_eq(cfg->ncontacts, 200);
	for (i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "c%03d", i);
		if (i % 2 == 0)
			ck_assert_str_eq(config_find_contact(cfg, name)->name, name);
		else
			ck_assert_ptr_null(config_find_contact(cfg, name));
	}
	ck_assert_ptr_null(config_find_contact(cfg, "a"));
	ck_assert_ptr_null(config_find_contact(cfg, "z"));
	config_free(cfg);

	put("conf.d/a.yaml", "");
	cfg = load(0);
	ck_assert_ptr_null(config_find_contact(cfg, "c000"));
	config_free(cfg);
}
END_TEST

static const struct {
	const char *name;
	unsigned bit;
} bit_cases[] = {
	{ "warning", NOTIFY_ON_WARNING }, { "critical", NOTIFY_ON_CRITICAL },
	{ "unknown", NOTIFY_ON_UNKNOWN }, { "down", NOTIFY_ON_DOWN },
	{ "unreachable", NOTIFY_ON_UNREACHABLE },
	{ "recovery", NOTIFY_ON_RECOVERY }, { "flapping", NOTIFY_ON_FLAPPING },
	{ "downtime", NOTIFY_ON_DOWNTIME }, { "CRITICAL", NOTIFY_ON_CRITICAL },
	{ "Recovery", NOTIFY_ON_RECOVERY }, { "all", NOTIFY_ON_ALL },
	{ "none", 0 }, { "", 0 }, { "warn", 0 }, { "ok", 0 }, { "up", 0 },
	{ "acknowledgement", 0 },
};

START_TEST(notify_on_bit_table)
{
	ck_assert_msg(config_notify_on_bit(bit_cases[_i].name) ==
	    bit_cases[_i].bit, "config_notify_on_bit(\"%s\") = %#x, want %#x",
	    bit_cases[_i].name, config_notify_on_bit(bit_cases[_i].name),
	    bit_cases[_i].bit);
}
END_TEST

/*
 * Whatever a notification knows is fine in a notification command, and
 * only there: the same command used by a check is refused for it.
 */
START_TEST(a_notification_command_may_use_notification_macros_a_check_may_not)
{
	static const char *const want[] = {
#define WANT(i, m) "conf.d/b.yaml:4:7: service \"h/s\": command \"page\" " \
	    "argv[" #i "] \"$" m "$\": macro $" m "$ is not available in " \
	    "check commands yet"
/* those an event handler has say so */
#define WANT_EH(i, m) "conf.d/b.yaml:4:7: service \"h/s\": command \"page\" " \
	    "argv[" #i "] \"$" m "$\": macro $" m "$ is not available in " \
	    "check commands (an event_handler has it)"
		WANT(2, "NOTIFICATIONTYPE"), WANT_EH(4, "SERVICEOUTPUT"),
		WANT_EH(5, "HOSTSTATE"), WANT(6, "CONTACTEMAIL"),
		WANT(7, "_CONTACTpager"), WANT(8, "LONGDATETIME"),
#undef WANT
#undef WANT_EH
	};
	struct config *cfg;

	put("vigil.yaml", "resource_file: res.yaml\n");
	put("res.yaml", "USER1: s3cret\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  page: [$PLUGINDIR$/page, $USER1$, $NOTIFICATIONTYPE$,\n"
	    "         $HOSTNAME$/$SERVICEDESC$, $SERVICEOUTPUT$, $HOSTSTATE$,\n"
	    "         $CONTACTEMAIL$, $_CONTACTpager$, $LONGDATETIME$, $$]\n"
	    "contacts:\n"
	    "  bob: {command: page, vars: {PAGER: \"555\"}}\n");
	cfg = load(0);
	ck_assert_str_eq(config_find_command(cfg, "page")->argv[2],
	    "$NOTIFICATIONTYPE$");
	config_free(cfg);

	/* The check is told, the contact still is not. */
	put("conf.d/b.yaml",
	    "hosts:\n"
	    "  h:\n"
	    "    services:\n"
	    "      s: {check: page}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

/* ---- check keys ----------------------------------------------------- */

static const char base_yaml[] =
    "commands:\n"
    "  ping: {argv: [/bin/true]}\n"
    "contacts:\n"
    "  admin: {email: root@localhost}\n"
    "  alice: {email: alice@example.org}\n"
    "  bob: {slack: \"@bob\"}\n"
    "  carol: {slack: \"@carol\"}\n"
    "contact_groups:\n"
    "  ops: {members: [admin, alice]}\n"
    "  night: {members: [bob], groups: [ops]}\n"
    "timeperiods:\n"
    "  24x7: {all: \"00:00-24:00\"}\n"
    "  workhours: {all: \"09:00-17:00\"}\n";

static void
expect_defaults(const struct cfg_check *c)
{
	expect_contacts(c, NULL, 0);
	ck_assert_uint_eq(c->notify_on, NOTIFY_ON_ALL);
	ck_assert_int_eq(c->notifications_enabled, 1);
	ck_assert_int_eq(c->notification_interval, 1800);
	ck_assert_int_eq(c->first_notification_delay, 0);
	ck_assert_ptr_null(c->notification_period);
	ck_assert_ptr_null(c->notification_period_tp);
	ck_assert_uint_eq(c->nescalations, 0);
	ck_assert_ptr_null(c->escalations);
}

START_TEST(checks_without_notification_keys_get_the_defaults)
{
	struct config *cfg;

	put("conf.d/0.yaml", base_yaml);
	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  h:\n"
	    "    check: ping\n"
	    "    services:\n"
	    "      s: {check: ping}\n");
	cfg = load(0);
	expect_defaults(find_check(cfg, "h", NULL));
	expect_defaults(find_check(cfg, "h", "s"));
	config_free(cfg);
}
END_TEST

START_TEST(every_notification_key_is_read_and_resolved)
{
	static const char *const hc[] = { "admin", "alice", "bob", "carol" };
	static const char *const sc[] = { "alice" };
	static const char *const e0[] = { "carol" };
	static const char *const e1[] = { "admin", "alice", "bob" };
	const struct cfg_escalation *e;
	const struct cfg_check *c;
	struct config *cfg;

	put("conf.d/0.yaml", base_yaml);
	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  h:\n"
	    "    check: ping\n"
	    "    notify: [night, carol, ops, alice]\n"
	    "    notify_on: [Down, recovery, downtime]\n"
	    "    notifications_enabled: false\n"
	    "    notification_interval: 0\n"
	    "    first_notification_delay: 5m\n"
	    "    notification_period: workhours\n"
	    "    escalations:\n"
	    "      - {first: 2, last: 4, notify: carol, interval: 10m,\n"
	    "         period: 24x7}\n"
	    "      - {first: 5, notify: [night, admin]}\n"
	    "    services:\n"
	    "      s:\n"
	    "        check: ping\n"
	    "        notify: alice\n"
	    "        notify_on: all\n"
	    "        escalations: []\n");
	cfg = load(0);
	c = find_check(cfg, "h", NULL);
	/* groups expanded (nested too), duplicates dropped, sorted */
	expect_contacts(c, hc, N(hc));
	ck_assert_uint_eq(c->notify_on, NOTIFY_ON_DOWN | NOTIFY_ON_RECOVERY |
	    NOTIFY_ON_DOWNTIME);
	ck_assert_int_eq(c->notifications_enabled, 0);
	ck_assert_int_eq(c->notification_interval, 0);
	ck_assert_int_eq(c->first_notification_delay, 300);
	ck_assert_str_eq(c->notification_period, "workhours");
	ck_assert_ptr_eq(c->notification_period_tp,
	    config_find_timeperiod(cfg, "workhours")->tp);
	ck_assert_uint_eq(c->nescalations, 2);
	e = &c->escalations[0];
	ck_assert_int_eq(e->first, 2);
	ck_assert_int_eq(e->last, 4);
	expect_names("escalations[0]", e->contacts, e->ncontacts, e0, N(e0));
	ck_assert_int_eq(e->interval, 600);
	ck_assert_str_eq(e->period, "24x7");
	ck_assert_ptr_eq(e->period_tp, config_find_timeperiod(cfg, "24x7")->tp);
	ck_assert_int_eq(e->mark.line, 11);
	ck_assert_int_eq(e->mark.col, 9);
	e = &c->escalations[1];
	ck_assert_int_eq(e->first, 5);
	ck_assert_int_eq(e->last, 0);
	expect_names("escalations[1]", e->contacts, e->ncontacts, e1, N(e1));
	ck_assert_int_eq(e->interval, -1);
	ck_assert_ptr_null(e->period);
	ck_assert_ptr_null(e->period_tp);

	c = find_check(cfg, "h", "s");
	expect_contacts(c, sc, N(sc));
	ck_assert_uint_eq(c->notify_on, NOTIFY_ON_ALL);
	/* Not Nagios's implied inheritance: the service's own default. */
	ck_assert_int_eq(c->notifications_enabled, 1);
	ck_assert_uint_eq(c->nescalations, 0);
	config_free(cfg);
}
END_TEST

START_TEST(notify_on_none_and_an_empty_list_notify_of_nothing)
{
	struct config *cfg;

	put("conf.d/0.yaml", base_yaml);
	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  h:\n"
	    "    check: ping\n"
	    "    notify_on: none\n"
	    "    services:\n"
	    "      s: {check: ping, notify_on: []}\n"
	    "      t: {check: ping, notify_on: [Warning, CRITICAL]}\n");
	cfg = load(0);
	ck_assert_uint_eq(find_check(cfg, "h", NULL)->notify_on, 0);
	ck_assert_uint_eq(find_check(cfg, "h", "s")->notify_on, 0);
	ck_assert_uint_eq(find_check(cfg, "h", "t")->notify_on,
	    NOTIFY_ON_WARNING | NOTIFY_ON_CRITICAL);
	config_free(cfg);
}
END_TEST

START_TEST(templates_pass_every_notification_key_through_use)
{
	static const char *const ops[] = { "admin", "alice" };
	static const char *const bob[] = { "bob" };
	const struct cfg_check *c;
	struct config *cfg;

	put("conf.d/0.yaml", base_yaml);
	put("conf.d/a.yaml",
	    "templates:\n"
	    "  base:\n"
	    "    notify: [ops]\n"
	    "    notify_on: [critical, recovery]\n"
	    "    notifications_enabled: no\n"
	    "    notification_interval: 1h\n"
	    "    first_notification_delay: 2m\n"
	    "    notification_period: workhours\n"
	    "    escalations: [{first: 3, notify: [bob]}]\n"
	    "  generic: {use: base, notification_interval: 15m}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: ping\n"
	    "    services:\n"
	    "      s: {check: ping, use: generic}\n"
	    "      quiet: {check: ping, use: generic, notify: [],\n"
	    "              escalations: []}\n"
	    "      own: {check: ping, use: generic, notify: bob,\n"
	    "            notify_on: [warning], notifications_enabled: on}\n");
	cfg = load(0);
	c = find_check(cfg, "h", "s");
	expect_contacts(c, ops, N(ops));
	ck_assert_uint_eq(c->notify_on, NOTIFY_ON_CRITICAL | NOTIFY_ON_RECOVERY);
	ck_assert_int_eq(c->notifications_enabled, 0);
	ck_assert_int_eq(c->notification_interval, 900);
	ck_assert_int_eq(c->first_notification_delay, 120);
	ck_assert_str_eq(c->notification_period, "workhours");
	ck_assert_uint_eq(c->nescalations, 1);
	ck_assert_int_eq(c->escalations[0].first, 3);
	expect_names("escalations[0]", c->escalations[0].contacts,
	    c->escalations[0].ncontacts, bob, N(bob));
	/* The template's escalation is where it is written. */
	ck_assert_int_eq(c->escalations[0].mark.line, 9);

	/* notify: [] is nobody, escalations: [] none, whatever the template. */
	c = find_check(cfg, "h", "quiet");
	expect_contacts(c, NULL, 0);
	ck_assert_uint_eq(c->nescalations, 0);
	ck_assert_int_eq(c->notification_interval, 900);

	c = find_check(cfg, "h", "own");
	expect_contacts(c, bob, N(bob));
	ck_assert_uint_eq(c->notify_on, NOTIFY_ON_WARNING);
	ck_assert_int_eq(c->notifications_enabled, 1);
	ck_assert_str_eq(c->notification_period, "workhours");
	config_free(cfg);
}
END_TEST

/*
 * Nagios's implied inheritance: notify, notification_interval and
 * notification_period a service does not set come from its host, each on
 * its own; no other notification key does.
 */
START_TEST(a_service_takes_what_it_does_not_set_of_notify_interval_and_period_from_its_host)
{
	static const char *const ops[] = { "admin", "alice" };
	static const char *const bob[] = { "bob" };
	const struct cfg_check *c;
	struct config *cfg;

	put("conf.d/0.yaml", base_yaml);
	put("conf.d/a.yaml",
	    "templates:\n"
	    "  hourly: {notification_interval: 1h}\n"
	    "  host-tmpl: {notify: [ops], notification_period: workhours}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: ping\n"
	    "    use: host-tmpl\n"
	    "    notification_interval: 10m\n"
	    "    notify_on: [down]\n"
	    "    first_notification_delay: 5m\n"
	    "    escalations: [{first: 2, notify: [bob]}]\n"
	    "    services:\n"
	    "      plain: {check: ping}\n"
	    "      own-notify: {check: ping, notify: [bob]}\n"
	    "      nobody: {check: ping, notify: []}\n"
	    "      tmpl: {check: ping, use: hourly}\n"
	    "  bare:\n"
	    "    services:\n"
	    "      plain: {check: ping}\n"
	    "services:\n"
	    "  standalone: {host: h, name: alone, check: ping}\n");
	cfg = load(0);
	c = find_check(cfg, "h", "plain");
	expect_contacts(c, ops, N(ops));
	ck_assert_int_eq(c->notification_interval, 600);
	ck_assert_str_eq(c->notification_period, "workhours");
	ck_assert_ptr_eq(c->notification_period_tp,
	    config_find_timeperiod(cfg, "workhours")->tp);
	/* not inherited from the host */
	ck_assert_uint_eq(c->notify_on, NOTIFY_ON_ALL);
	ck_assert_int_eq(c->first_notification_delay, 0);
	ck_assert_uint_eq(c->nescalations, 0);

	c = find_check(cfg, "h", "own-notify");
	expect_contacts(c, bob, N(bob));
	ck_assert_int_eq(c->notification_interval, 600);
	ck_assert_str_eq(c->notification_period, "workhours");

	c = find_check(cfg, "h", "nobody");
	expect_contacts(c, NULL, 0);
	ck_assert_int_eq(c->notification_interval, 600);

	/* Set through its own template: the service's, not the host's. */
	c = find_check(cfg, "h", "tmpl");
	expect_contacts(c, ops, N(ops));
	ck_assert_int_eq(c->notification_interval, 3600);

	c = find_check(cfg, "h", "alone");
	expect_contacts(c, ops, N(ops));
	ck_assert_int_eq(c->notification_interval, 600);

	/* A host without notification keys (and without a check) gives none. */
	expect_defaults(find_check(cfg, "bare", "plain"));
	config_free(cfg);
}
END_TEST

/* ---- errors --------------------------------------------------------- */

/*
 * Each input goes into conf.d/a.yaml, after conf.d/0.yaml (commands ping;
 * contacts admin, alice; contact group ops; timeperiod 24x7), and must
 * give exactly the one error.
 */
static const char errors_base_yaml[] =
    "commands:\n"
    "  ping: {argv: [/bin/true]}\n"
    "contacts:\n"
    "  admin: {email: root@localhost}\n"
    "  alice: {email: alice@example.org}\n"
    "contact_groups:\n"
    "  ops: {members: [admin]}\n"
    "timeperiods:\n"
    "  24x7: {all: \"00:00-24:00\"}\n";

static const struct {
	const char *yaml;
	const char *want;
} error_cases[] = {
	{ "hosts: {h: {check: ping, notify: [admin, alcie]}}\n",
	    "conf.d/a.yaml:1:42: host \"h\": notify: \"alcie\" is neither a "
	    "contact nor a contact group (did you mean \"alice\"?)" },
	{ "hosts: {h: {services: {s: {check: ping, notify: [zzzzzz]}}}}\n",
	    "conf.d/a.yaml:1:50: service \"h/s\": notify: \"zzzzzz\" is "
	    "neither a contact nor a contact group" },
	{ "hosts: {h: {check: ping, notify: [ops, ops]}}\n",
	    "conf.d/a.yaml:1:40: host \"h\": notify: contact or contact "
	    "group \"ops\" is listed twice" },
	{ "contact_groups: {dba: {members: [admn]}}\n",
	    "conf.d/a.yaml:1:34: contact group \"dba\": members: contact "
	    "\"admn\" is not defined (did you mean \"admin\"?)" },
	{ "contact_groups: {dba: {groups: [opps]}}\n",
	    "conf.d/a.yaml:1:33: contact group \"dba\": groups: contact "
	    "group \"opps\" is not defined (did you mean \"ops\"?)" },
	{ "contacts:\n  bob: {alias: Bob}\n",
	    "conf.d/a.yaml:2:3: contact \"bob\": no channel to notify "
	    "through (expected at least one of email, slack, webhook, "
	    "command)" },
	{ "contacts:\n  bob:\n",
	    "conf.d/a.yaml:2:3: contact \"bob\": no channel to notify "
	    "through (expected at least one of email, slack, webhook, "
	    "command)" },
	{ "hosts: {h: {services: {s: {check: ping, notify_on: "
	    "[critcal]}}}}\n",
	    "conf.d/a.yaml:1:53: service \"h/s\": notify_on: \"critcal\" is "
	    "not a notification kind (did you mean \"critical\"?)" },
	{ "hosts: {h: {check: ping, notifications_enabled: maybe}}\n",
	    "conf.d/a.yaml:1:49: host \"h\": notifications_enabled: \"maybe\" "
	    "is not a boolean (expected true or false)" },
	{ "hosts: {h: {check: ping, notify_on: [sometimes]}}\n",
	    "conf.d/a.yaml:1:38: host \"h\": notify_on: \"sometimes\" is not "
	    "a notification kind (expected down, unreachable, recovery, "
	    "flapping, downtime, all or none)" },
	{ "hosts: {h: {check: ping, notify_on: [down, warning]}}\n",
	    "conf.d/a.yaml:1:44: host \"h\": notify_on: \"warning\" is a "
	    "service state (a host takes down, unreachable, recovery, "
	    "flapping, downtime, all or none)" },
	{ "services: {x: {host: h, name: s, check: ping, notify_on: "
	    "Unreachable}}\nhosts: {h: {}}\n",
	    "conf.d/a.yaml:1:58: service \"h/s\": notify_on: \"Unreachable\" "
	    "is a host state (a service takes warning, critical, unknown, "
	    "recovery, flapping, downtime, all or none)" },
	{ "templates: {t: {notify_on: [warning]}}\nhosts: {h: {check: "
	    "ping, use: t}}\n",
	    "conf.d/a.yaml:2:9: host \"h\": notify_on: \"warning\" (at "
	    "conf.d/a.yaml:1:29) is a service state (a host takes down, "
	    "unreachable, recovery, flapping, downtime, all or none)" },
	{ "hosts: {h: {check: ping, notify_on: [all, recovery]}}\n",
	    "conf.d/a.yaml:1:38: host \"h\": notify_on: \"all\" cannot be "
	    "combined with other names" },
	{ "hosts: {h: {check: ping, notify_on: [down, Down]}}\n",
	    "conf.d/a.yaml:1:44: host \"h\": notify_on: \"Down\" is listed "
	    "twice" },
	{ "hosts: {h: {check: ping, escalations: [{first: 0, notify: "
	    "[ops]}]}}\n",
	    "conf.d/a.yaml:1:48: host \"h\": escalations[0]: first: \"0\" is "
	    "not a whole number >= 1" },
	{ "hosts: {h: {check: ping, escalations: [{first: 3, last: 2, "
	    "notify: [ops]}]}}\n",
	    "conf.d/a.yaml:1:57: host \"h\": escalations[0]: last: 2 is "
	    "below first 3 (expected 0 for no end, or at least first)" },
	{ "hosts: {h: {check: ping, escalations: [{first: 1}]}}\n",
	    "conf.d/a.yaml:1:40: host \"h\": escalations[0]: notify: missing "
	    "(expected the contacts or contact groups it notifies)" },
	{ "hosts: {h: {check: ping, escalations: [{first: 1, notify: "
	    "[ops]}, {notify: [ops]}]}}\n",
	    "conf.d/a.yaml:1:67: host \"h\": escalations[1]: first: missing "
	    "(expected the number of the first notification it applies to, 1 "
	    "or more)" },
	{ "hosts: {h: {check: ping, escalations: [{first: 1, notify: ops, "
	    "intervall: 5m}]}}\n",
	    "conf.d/a.yaml:1:64: host \"h\": escalations[0]: unknown key "
	    "\"intervall\" (did you mean \"interval\"?)" },
	{ "hosts: {h: {check: ping, escalations: [{first: 1, notify: "
	    "[opz]}]}}\n",
	    "conf.d/a.yaml:1:60: host \"h\": escalations[0]: notify: \"opz\" "
	    "is neither a contact nor a contact group (did you mean "
	    "\"ops\"?)" },
	{ "hosts: {h: {check: ping, escalations: {first: 1}}}\n",
	    "conf.d/a.yaml:1:39: host \"h\": escalations: expected a list of "
	    "{first, last, notify, interval, period}, got a map" },
	{ "hosts: {h: {check: ping, escalations: [first]}}\n",
	    "conf.d/a.yaml:1:40: host \"h\": escalations[0]: expected a map "
	    "like {first: 3, notify: [boss]}, got a string" },
	{ "hosts: {h: {check: ping, escalations: [{first: 1, notify: "
	    "[ops], interval: soon}]}}\n",
	    "conf.d/a.yaml:1:76: host \"h\": escalations[0]: interval: "
	    "\"soon\" is not a duration (expected 30s, 5m, 1h, 1d or a "
	    "number of seconds)" },
	{ "hosts: {h: {check: ping, notification_period: 24x8}}\n",
	    "conf.d/a.yaml:1:47: host \"h\": notification_period: timeperiod "
	    "\"24x8\" is not defined (did you mean \"24x7\"?)" },
	{ "hosts: {h: {check: ping, escalations: [{first: 1, notify: "
	    "[ops], period: nightly}]}}\n",
	    "conf.d/a.yaml:1:74: host \"h\": escalations[0]: period: "
	    "timeperiod \"nightly\" is not defined" },
	{ "contacts: {bob: {email: bob@example.org, period: 24x8}}\n",
	    "conf.d/a.yaml:1:50: contact \"bob\": period: timeperiod "
	    "\"24x8\" is not defined (did you mean \"24x7\"?)" },
	{ "contact_groups:\n  a: {groups: [b]}\n  b: {groups: [a]}\n",
	    "conf.d/a.yaml:2:3: contact group \"a\": groups form a cycle: a "
	    "(conf.d/a.yaml:2:3) -> b (conf.d/a.yaml:3:3) -> a" },
	{ "contact_groups: {a: {groups: [a]}}\n",
	    "conf.d/a.yaml:1:31: contact group \"a\": groups: a contact "
	    "group cannot contain itself" },
	{ "contacts:\n  admin: {slack: \"#ops\"}\n",
	    "conf.d/a.yaml:2:3: contact \"admin\" is defined twice (first at "
	    "conf.d/0.yaml:4:3)" },
	{ "contact_groups:\n  ops: {}\n",
	    "conf.d/a.yaml:2:3: contact group \"ops\" is defined twice "
	    "(first at conf.d/0.yaml:7:3)" },
	{ "contact_groups:\n  alice: {members: [admin]}\n",
	    "conf.d/a.yaml:2:3: contact group \"alice\": a contact has this "
	    "name too (at conf.d/0.yaml:5:3); notify: names either, so the "
	    "names must differ" },
	{ "commands: {page: [/bin/page, $CONTACTPAGER$]}\ncontacts: {bob: "
	    "{command: page}}\n",
	    "conf.d/a.yaml:2:27: contact \"bob\": command \"page\" argv[1] "
	    "\"$CONTACTPAGER$\": unknown macro $CONTACTPAGER$" },
	{ "commands: {page: [/bin/page, -n, $_CONTACTPHONE$]}\ncontacts: "
	    "{bob: {command: page, vars: {fax: 1}}}\n",
	    "conf.d/a.yaml:2:27: contact \"bob\": command \"page\" argv[2] "
	    "\"$_CONTACTPHONE$\": unknown macro $_CONTACTPHONE$ (contact "
	    "\"bob\" has no var \"PHONE\" in vars)" },
	{ "commands: {page: [/bin/page, $ARG1$]}\ncontacts: {bob: "
	    "{command: page}}\n",
	    "conf.d/a.yaml:2:27: contact \"bob\": command \"page\" argv[1] "
	    "\"$ARG1$\": unknown macro $ARG1$" },
	{ "commands: {page: [/bin/page, $USER1$]}\ncontacts: {bob: "
	    "{command: page}}\n",
	    "conf.d/a.yaml:2:27: contact \"bob\": command \"page\" argv[1] "
	    "\"$USER1$\": macro $USER1$ needs a resource file (resource_file "
	    "in vigil.yaml or VIGIL_RESOURCE_FILE)" },
	{ "commands: {page: [/bin/page, \"$HOSTNAME\"]}\ncontacts: {bob: "
	    "{command: page}}\n",
	    "conf.d/a.yaml:2:27: contact \"bob\": command \"page\" argv[1] "
	    "\"$HOSTNAME\": unterminated macro at \"$HOSTNAME\"" },
	{ "contacts: {bob: {command: pgae}}\n",
	    "conf.d/a.yaml:1:27: contact \"bob\": command \"pgae\" is not "
	    "defined" },
	{ "hosts: {h: {check: ping, notification_interval: 5x}}\n",
	    "conf.d/a.yaml:1:49: host \"h\": notification_interval: \"5x\" "
	    "is not a duration (expected 30s, 5m, 1h, 1d or a number of "
	    "seconds)" },
	{ "hosts: {h: {check: ping, first_notification_delay: -1}}\n",
	    "conf.d/a.yaml:1:52: host \"h\": first_notification_delay: "
	    "\"-1\" is not a duration (expected 30s, 5m, 1h, 1d or a number "
	    "of seconds)" },
	{ "contacts: {bob: {email: bob}}\n",
	    "conf.d/a.yaml:1:25: contact \"bob\": email: \"bob\" is not an "
	    "email address (expected user@domain)" },
	{ "contacts: {bob: {email: \"bob@example.org\\r\\nBcc: x@y\"}}\n",
	    "conf.d/a.yaml:1:25: contact \"bob\": email: "
	    "\"bob@example.org\\x0d\\nBcc: x@y\" is not an email address "
	    "(expected user@domain)" },
	{ "contacts: {bob: {webhook: ftp://example.org/}}\n",
	    "conf.d/a.yaml:1:27: contact \"bob\": webhook: "
	    "\"ftp://example.org/\" is not a URL (expected http://... or "
	    "https://...)" },
	{ "contacts: {bob: {email: bob@example.org, emial: "
	    "bob@example.org}}\n",
	    "conf.d/a.yaml:1:42: contact \"bob\": unknown key \"emial\" (did "
	    "you mean \"email\"?)" },
	{ "contacts: {bob: {email: bob@example.org, notify_on: [warning, "
	    "sometimes]}}\n",
	    "conf.d/a.yaml:1:63: contact \"bob\": notify_on: \"sometimes\" "
	    "is not a notification kind (expected warning, critical, "
	    "unknown, down, unreachable, recovery, flapping, downtime, all "
	    "or none)" },
	{ "contact_groups: {dba: {memebers: [admin]}}\n",
	    "conf.d/a.yaml:1:24: contact group \"dba\": unknown key "
	    "\"memebers\" (did you mean \"members\"?)" },
	{ "contacts: [admin]\n",
	    "conf.d/a.yaml:1:11: contacts: expected a map of contact name to "
	    "contact settings, got a list" },
	{ "contacts: {\"a b\": {email: a@example.org}}\n",
	    "conf.d/a.yaml:1:12: contact \"a b\": name may not contain '/', "
	    "whitespace or '$'" },
};

START_TEST(each_error_names_its_place)
{
	struct config *cfg;

	put("conf.d/0.yaml", errors_base_yaml);
	put("conf.d/a.yaml", error_cases[_i].yaml);
	cfg = load(-1);
	ck_assert_msg(cfg->nerrors == 1 &&
	    strcmp(cfg->errors[0], error_cases[_i].want) == 0,
	    "input:\n%s\nwant:\n  %s\ngot:\n%s", error_cases[_i].yaml,
	    error_cases[_i].want, errors_text(cfg));
	config_free(cfg);
}
END_TEST

START_TEST(the_base_of_the_error_table_loads)
{
	struct config *cfg;

	put("conf.d/0.yaml", errors_base_yaml);
	cfg = load(0);
	config_free(cfg);
}
END_TEST

START_TEST(a_template_error_is_reported_once_at_the_template)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:16: template \"t\": notify: \"nobdy\" is neither "
		    "a contact nor a contact group",
		"conf.d/a.yaml:2:45: template \"t\": notification_period: "
		    "timeperiod \"never\" is not defined",
	};
	struct config *cfg;

	put("conf.d/0.yaml", errors_base_yaml);
	put("conf.d/a.yaml",
	    "templates:\n"
	    "  t: {notify: [nobdy], notification_period: never}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: ping\n"
	    "    use: t\n"
	    "    services:\n"
	    "      a: {check: ping, use: t}\n"
	    "      b: {check: ping}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(at_most_sixty_four_escalations)
{
	struct strbuf y = { NULL, 0, 0 };
	struct config *cfg;
	int i;

	put("conf.d/0.yaml", errors_base_yaml);
	strbuf_adds(&y, "hosts:\n  h:\n    check: ping\n    escalations:\n");
	for (i = 1; i <= 64; i++)
		strbuf_adds(&y, "      - {first: 1, notify: [ops]}\n");
	put("conf.d/a.yaml", y.s);
	cfg = load(0);
	ck_assert_uint_eq(find_check(cfg, "h", NULL)->nescalations, 64);
	config_free(cfg);

	strbuf_adds(&y, "      - {first: 1, notify: [ops]}\n");
	put("conf.d/a.yaml", y.s);
	free(y.s);
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/a.yaml:5:7: host \"h\": escalations: 65 "
	    "escalations, at most 64 are allowed");
	config_free(cfg);
}
END_TEST

static Suite *
config_notify_suite(void)
{
	Suite *s = suite_create("config_notify");
	TCase *tc;

	tc = tcase_create("contacts");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, contacts_and_groups_are_read_sorted_with_defaults);
	tcase_add_test(tc, find_contact_finds_each_of_many_and_nothing_else);
	tcase_add_test(tc,
	    a_notification_command_may_use_notification_macros_a_check_may_not);
	suite_add_tcase(s, tc);

	tc = tcase_create("notify_on_names");
	tcase_add_loop_test(tc, notify_on_bit_table, 0, N(bit_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("check_keys");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, checks_without_notification_keys_get_the_defaults);
	tcase_add_test(tc, every_notification_key_is_read_and_resolved);
	tcase_add_test(tc, notify_on_none_and_an_empty_list_notify_of_nothing);
	tcase_add_test(tc, templates_pass_every_notification_key_through_use);
	tcase_add_test(tc,
	    a_service_takes_what_it_does_not_set_of_notify_interval_and_period_from_its_host);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, the_base_of_the_error_table_loads);
	tcase_add_loop_test(tc, each_error_names_its_place, 0, N(error_cases));
	tcase_add_test(tc, a_template_error_is_reported_once_at_the_template);
	tcase_add_test(tc, at_most_sixty_four_escalations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_notify_suite());
}
