/*
 * NAME
 *	check_depend - unit tests of dependencies: conf.d `dependencies:`
 *	(lib/config/deps.c) and the engine's rules (engine/depend.c, the
 *	dependency filter of engine/notify.c)
 * DESCRIPTION
 *	A real config (configtest.h) becomes the engine's checks as
 *	sync_check_new() makes them, linked as at start; masters are put in
 *	chosen states and depend_failing() / depend_suppressor() say what
 *	Nagios's check_service_dependencies() would: a table of master state
 *	and state type against the criteria, both kinds; PENDING; a SOFT
 *	master counted at its last hard state; inherits_parent down a chain;
 *	a dependency_period; a host master; a service's host's notification
 *	dependencies. depend_master_changed() touches exactly the checks
 *	whose verdict turned. notify_decide() with a failing dependency: no
 *	PROBLEM, a RECOVERY dropped, a change hidden is notified once the
 *	dependency passes. The loader: edges made by rule (globs, groups,
 *	$HOSTNAME$, services of apply rules), self-edges left out, and every
 *	error with its places (criteria, master, cycle, period).
 * DIAGNOSTICS
 *	Exit status 0 when every test passes; a failure prints the loader's
 *	errors or the case that failed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "configtest.h"
#include "engine/check.h"
#include "engine/depend.h"
#include "engine/notify.h"
#include "engine/state.h"
#include "engine/sync.h"
#include "testutil.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define T0 1800000000.0		/* a Friday, 08:00 UTC */

struct fx {
	struct config *cfg;
	struct check_table t;
	int touched;
	char seen[512];		/* the touched checks, "host/service " each */
};

static void
touch(void *arg, struct check *c)
{
	struct fx *f = arg;
	size_t n = strlen(f->seen);

	f->touched++;
	snprintf(f->seen + n, sizeof(f->seen) - n, "%s%s%s ", c->host,
	    c->service != NULL ? "/" : "", c->service != NULL ? c->service : "");
}

static void
fx_start(struct fx *f, const char *objects)
{
	memset(f, 0, sizeof(*f));
	put("conf.d/a.yaml", objects);
	f->cfg = load(0);
	check_table_init(&f->t);
	for (size_t i = 0; i < f->cfg->nchecks; i++) {
		struct check *c = sync_check_new(f->cfg, &f->cfg->checks[i]);

		c->id = (int64_t)i + 1;
		check_table_add(&f->t, c);
	}
	check_table_index(&f->t);
	check_table_link(&f->t, f->cfg);
}

static void
fx_stop(struct fx *f)
{
	check_table_clear(&f->t);
	config_free(f->cfg);
}

static struct check *
ck(struct fx *f, const char *host, const char *service)
{
	struct check *c = check_table_find_name(&f->t, host, service);

	ck_assert_msg(c != NULL, "no check %s/%s", host, service ? service : "-");
	return c;
}

/* c's state as if its results had made it. */
static void
set_state(struct check *c, int state, int type, int last_hard)
{
	c->st.state = state;
	c->st.state_type = type;
	c->st.last_hard_state = last_hard;
}

/* ---- the table: master state against the criteria ------------------- */

static const char criteria_estate[] =
    "commands:\n"
    "  c: [/bin/true]\n"
    "hosts:\n"
    "  db: {check: [c], services: {pg: {command: [c]}}}\n"
    "  web: {check: [c], services: {app: {command: [c]}, cron: {command: [c]}}}\n"
    "dependencies:\n"
    "  app-on-pg:\n"
    "    master: db/pg\n"
    "    hosts: web\n"
    "    services: [app]\n"
    "    execution_failure_criteria: [critical, pending]\n"
    "    notification_failure_criteria: [warning, critical, unknown]\n";

static const struct {
	int state, type, last_hard;	/* the master's */
	int exec, notify;		/* app fails its edge of that kind */
} criteria_cases[] = {
	{ 0, STATE_HARD, 0, 0, 0 },
	{ 1, STATE_HARD, 1, 0, 1 },
	{ 2, STATE_HARD, 2, 1, 1 },
	{ 3, STATE_HARD, 3, 0, 1 },
	/* no result yet: pending (listed for execution only) */
	{ STATE_PENDING, STATE_SOFT, STATE_PENDING, 1, 0 },
	/* SOFT: its last hard state (Nagios, soft_state_dependencies off) */
	{ 2, STATE_SOFT, 0, 0, 0 },
	{ 0, STATE_SOFT, 2, 1, 1 },
	{ 1, STATE_SOFT, 2, 1, 1 },
	/* a SOFT problem before any hard state: as OK */
	{ 2, STATE_SOFT, STATE_PENDING, 0, 0 },
};

START_TEST(the_masters_state_against_the_criteria)
{
	struct fx f;
	struct check *pg, *app, *cron;

	fx_start(&f, criteria_estate);
	pg = ck(&f, "db", "pg");
	app = ck(&f, "web", "app");
	cron = ck(&f, "web", "cron");
	for (int i = 0; i < N(criteria_cases); i++) {
		set_state(pg, criteria_cases[i].state, criteria_cases[i].type,
		    criteria_cases[i].last_hard);
		ck_assert_msg((depend_failing(app, DEPEND_EXECUTION, T0) == pg) ==
		    criteria_cases[i].exec, "case %d: execution", i);
		ck_assert_msg((depend_failing(app, DEPEND_NOTIFICATION, T0) == pg) ==
		    criteria_cases[i].notify, "case %d: notification", i);
		ck_assert_msg((depend_suppressor(app, T0) == pg) == criteria_cases[i].notify,
		    "case %d: suppressor", i);
		/* not a dependent: nothing ever fails for it */
		ck_assert_ptr_null(depend_failing(cron, DEPEND_EXECUTION, T0));
		ck_assert_ptr_null(depend_suppressor(cron, T0));
		/* a master is not its own dependent */
		ck_assert_ptr_null(depend_failing(pg, DEPEND_NOTIFICATION, T0));
	}
	fx_stop(&f);
}
END_TEST

/* ---- inherits_parent, periods, hosts ---------------------------------- */

START_TEST(inherits_parent_follows_the_chain_of_masters)
{
	/* lb -> app -> pg: app depends on pg; lb on app, inheriting or not */
	struct fx f;
	struct check *pg, *app, *lb, *lb2;

	fx_start(&f,
	    "commands:\n"
	    "  c: [/bin/true]\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: [c]\n"
	    "    services: {pg: {command: [c]}, app: {command: [c]},\n"
	    "               lb: {command: [c]}, lb2: {command: [c]}}\n"
	    "dependencies:\n"
	    "  app-on-pg: {master: h/pg, hosts: h, services: app,\n"
	    "              notification_failure_criteria: [critical]}\n"
	    "  lb-on-app: {master: $HOSTNAME$/app, hosts: h, services: lb,\n"
	    "              notification_failure_criteria: [critical], inherits_parent: true}\n"
	    "  lb2-on-app: {master: $HOSTNAME$/app, hosts: h, services: lb2,\n"
	    "               notification_failure_criteria: [critical]}\n");
	pg = ck(&f, "h", "pg");
	app = ck(&f, "h", "app");
	lb = ck(&f, "h", "lb");
	lb2 = ck(&f, "h", "lb2");
	set_state(pg, 2, STATE_HARD, 2);
	set_state(app, 0, STATE_HARD, 0);
	ck_assert_ptr_eq(depend_failing(app, DEPEND_NOTIFICATION, T0), pg);
	/* app is OK, but its own master fails: lb inherits that */
	ck_assert_ptr_eq(depend_failing(lb, DEPEND_NOTIFICATION, T0), pg);
	ck_assert_ptr_null(depend_failing(lb2, DEPEND_NOTIFICATION, T0));
	/* the edge's own criteria first: app CRITICAL names app */
	set_state(app, 2, STATE_HARD, 2);
	ck_assert_ptr_eq(depend_failing(lb, DEPEND_NOTIFICATION, T0), app);
	ck_assert_ptr_eq(depend_failing(lb2, DEPEND_NOTIFICATION, T0), app);
	/* execution edges: none defined, none fail */
	ck_assert_ptr_null(depend_failing(lb, DEPEND_EXECUTION, T0));
	fx_stop(&f);
}
END_TEST

START_TEST(outside_its_dependency_period_an_edge_does_not_fail)
{
	struct fx f;
	struct check *pg, *app, *job;

	fx_start(&f,
	    "commands:\n"
	    "  c: [/bin/true]\n"
	    "timeperiods:\n"
	    "  night: {all: \"00:00-01:00\"}\n"
	    "  day: {all: \"06:00-20:00\"}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: [c]\n"
	    "    services: {pg: {command: [c]}, app: {command: [c]}, job: {command: [c]}}\n"
	    "dependencies:\n"
	    "  at-night: {master: h/pg, hosts: h, services: app, dependency_period: night,\n"
	    "             execution_failure_criteria: [critical],\n"
	    "             notification_failure_criteria: [critical]}\n"
	    "  by-day: {master: h/pg, hosts: h, services: job, dependency_period: day,\n"
	    "           notification_failure_criteria: [critical]}\n");
	pg = ck(&f, "h", "pg");
	app = ck(&f, "h", "app");
	job = ck(&f, "h", "job");
	set_state(pg, 2, STATE_HARD, 2);
	/* 08:00 UTC: outside night, inside day */
	ck_assert_ptr_null(depend_failing(app, DEPEND_EXECUTION, T0));
	ck_assert_ptr_null(depend_failing(app, DEPEND_NOTIFICATION, T0));
	ck_assert_ptr_eq(depend_failing(job, DEPEND_NOTIFICATION, T0), pg);
	/* 00:30 the next day */
	ck_assert_ptr_eq(depend_failing(app, DEPEND_EXECUTION, T0 + 16.5 * 3600), pg);
	ck_assert_ptr_null(depend_failing(job, DEPEND_NOTIFICATION, T0 + 16.5 * 3600));
	fx_stop(&f);
}
END_TEST

START_TEST(a_host_master_and_a_hosts_dependencies_reach_its_services)
{
	/* hostdependency: web's host check on the router's; a service on
	 * web is suppressed by its host's edge (Nagios's
	 * check_service_notification_viability looks at both) */
	struct fx f;
	struct check *router, *web, *app;

	fx_start(&f,
	    "commands:\n"
	    "  c: [/bin/true]\n"
	    "hosts:\n"
	    "  router: {check: [c]}\n"
	    "  web: {check: [c], services: {app: {command: [c]}}}\n"
	    "dependencies:\n"
	    "  behind-router: {master: router, hosts: web,\n"
	    "                  execution_failure_criteria: [down],\n"
	    "                  notification_failure_criteria: [down, unreachable]}\n");
	router = ck(&f, "router", NULL);
	web = ck(&f, "web", NULL);
	app = ck(&f, "web", "app");
	set_state(router, 0, STATE_HARD, 0);
	ck_assert_ptr_null(depend_suppressor(app, T0));
	set_state(router, 2, STATE_HARD, 2);	/* UNREACHABLE */
	ck_assert_ptr_null(depend_failing(web, DEPEND_EXECUTION, T0));
	ck_assert_ptr_eq(depend_failing(web, DEPEND_NOTIFICATION, T0), router);
	/* the service has no edge of its own: its host's count */
	ck_assert_ptr_null(depend_failing(app, DEPEND_NOTIFICATION, T0));
	ck_assert_ptr_eq(depend_suppressor(app, T0), router);
	/* execution is the check's own: the service runs */
	ck_assert_ptr_null(depend_failing(app, DEPEND_EXECUTION, T0));
	set_state(router, 1, STATE_HARD, 1);
	ck_assert_ptr_eq(depend_failing(web, DEPEND_EXECUTION, T0), router);
	fx_stop(&f);
}
END_TEST

/* ---- a master's change reaches exactly the checks it turns ----------- */

START_TEST(a_masters_change_touches_the_checks_whose_verdict_turns)
{
	struct fx f;
	struct check *pg, *app, *lb, *other, *router, *web, *webapp;

	fx_start(&f,
	    "commands:\n"
	    "  c: [/bin/true]\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: [c]\n"
	    "    services: {pg: {command: [c]}, app: {command: [c]}, lb: {command: [c]},\n"
	    "               other: {command: [c]}}\n"
	    "  router: {check: [c]}\n"
	    "  web: {check: [c], services: {app: {command: [c]}}}\n"
	    "dependencies:\n"
	    "  app-on-pg: {master: h/pg, hosts: h, services: app,\n"
	    "              notification_failure_criteria: [critical]}\n"
	    "  other-on-pg: {master: h/pg, hosts: h, services: other,\n"
	    "                notification_failure_criteria: [unknown]}\n"
	    "  lb-on-app: {master: h/app, hosts: h, services: lb, inherits_parent: true,\n"
	    "              notification_failure_criteria: [critical]}\n"
	    "  behind-router: {master: router, hosts: web,\n"
	    "                  notification_failure_criteria: [down]}\n");
	pg = ck(&f, "h", "pg");
	app = ck(&f, "h", "app");
	lb = ck(&f, "h", "lb");
	other = ck(&f, "h", "other");
	router = ck(&f, "router", NULL);
	web = ck(&f, "web", NULL);
	webapp = ck(&f, "web", "app");
	for (size_t i = 0; i < f.t.n; i++)
		set_state(f.t.v[i], 0, STATE_HARD, 0);
	/* at start every verdict is written once it differs from the row's */
	ck_assert_uint_eq(depend_refresh(&f.t, T0, touch, &f), 0);
	ck_assert_int_eq(f.touched, 0);

	set_state(pg, 2, STATE_HARD, 2);
	depend_master_changed(&f.t, pg, T0, touch, &f);
	ck_assert_str_eq(f.seen, "h/app h/lb ");
	ck_assert(app->dep_suppressed && lb->dep_suppressed && !other->dep_suppressed);
	/* nothing turned: nothing touched */
	f.seen[0] = '\0';
	depend_master_changed(&f.t, pg, T0, touch, &f);
	ck_assert_str_eq(f.seen, "");
	set_state(pg, 3, STATE_HARD, 3);
	depend_master_changed(&f.t, pg, T0, touch, &f);
	ck_assert_str_eq(f.seen, "h/app h/lb h/other ");

	/* a host master: its dependent host and that host's services */
	f.seen[0] = '\0';
	set_state(router, 1, STATE_HARD, 1);
	depend_master_changed(&f.t, router, T0, touch, &f);
	ck_assert_str_eq(f.seen, "web web/app ");
	ck_assert(web->dep_suppressed && webapp->dep_suppressed);

	/* what a restart loaded is compared with the verdicts now */
	f.seen[0] = '\0';
	webapp->dep_suppressed = 0;
	pg->dep_suppressed = 1;
	ck_assert_uint_eq(depend_refresh(&f.t, T0, touch, &f), 2);
	ck_assert_str_eq(f.seen, "h/pg web/app ");
	fx_stop(&f);
}
END_TEST

/* ---- notifications ----------------------------------------------------- */

static void
notify_conf_of(struct notify_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->enabled = 1;
	c->notify_on = NOTIFY_ON_WARNING | NOTIFY_ON_CRITICAL | NOTIFY_ON_UNKNOWN |
	    NOTIFY_ON_RECOVERY;
	c->interval = 3600;
}

static void
problem(struct notify_input *in, int state, double now, int dependency, int hard_change)
{
	memset(in, 0, sizeof(*in));
	in->type = NOTIFY_PROBLEM;
	in->now = now;
	in->state = state;
	in->state_type = STATE_HARD;
	in->hard_change = hard_change;
	in->host_up = 1;
	in->dependency = dependency;
	in->old_hard_state = state == 0 ? 2 : 0;
}

START_TEST(a_failing_dependency_holds_problems_and_drops_recoveries)
{
	struct notify_conf c;
	struct notify_state ns;
	struct notify_input in;
	struct notify_decision d;

	notify_conf_of(&c);
	notify_state_init(&ns);
	/* a new hard problem under a failing dependency: nothing, counted
	 * nowhere */
	problem(&in, 2, T0, 1, 1);
	notify_decide(&c, &ns, &in, &d);
	ck_assert_int_eq(d.type, NOTIFY_NONE);
	ck_assert_str_eq(notify_why_name(d.why), "dependency");
	ck_assert_int_eq(ns.number, 0);
	/* the master recovered: the next result sends the first PROBLEM */
	problem(&in, 2, T0 + 60, 0, 0);
	notify_decide(&c, &ns, &in, &d);
	ck_assert_int_eq(d.type, NOTIFY_PROBLEM);
	ck_assert_int_eq(ns.number, 1);
	/* a change under the dependency is news once it passes, not an
	 * interval later */
	problem(&in, 1, T0 + 120, 1, 1);
	notify_decide(&c, &ns, &in, &d);
	ck_assert_int_eq(d.why, NOTIFY_WHY_DEPENDENCY);
	ck_assert_double_eq(ns.next_notification, T0 + 120);
	problem(&in, 1, T0 + 180, 0, 0);
	notify_decide(&c, &ns, &in, &d);
	ck_assert_int_eq(d.type, NOTIFY_PROBLEM);
	ck_assert_int_eq(ns.number, 2);
	/* a recovery the dependency hides is dropped (Nagios): the count
	 * starts again */
	problem(&in, 0, T0 + 240, 1, 1);
	notify_decide(&c, &ns, &in, &d);
	ck_assert_int_eq(d.type, NOTIFY_NONE);
	ck_assert_int_eq(d.why, NOTIFY_WHY_DEPENDENCY);
	ck_assert_int_eq(ns.number, 0);
	ck_assert_int_eq(ns.notified_state, -1);
	/* an acknowledgement is not a normal notification: it still goes */
	problem(&in, 2, T0 + 300, 1, 1);
	in.type = NOTIFY_ACKNOWLEDGEMENT;
	notify_decide(&c, &ns, &in, &d);
	ck_assert_int_eq(d.type, NOTIFY_ACKNOWLEDGEMENT);
}
END_TEST

/* ---- the loader ------------------------------------------------------ */

/* The edges of cfg, "dependent>master" each, space-separated. */
static const char *
edges(const struct config *cfg)
{
	static char b[1024];
	size_t n = 0;

	b[0] = '\0';
	for (size_t i = 0; i < cfg->ndeps; i++) {
		const struct cfg_check *d = &cfg->checks[cfg->deps[i].dependent];
		const struct cfg_check *m = &cfg->checks[cfg->deps[i].master];

		n += (size_t)snprintf(b + n, sizeof(b) - n, "%s%s%s%s>%s%s%s",
		    i > 0 ? " " : "", d->host, d->service ? "/" : "",
		    d->service ? d->service : "", m->host, m->service ? "/" : "",
		    m->service ? m->service : "");
	}
	return b;
}

START_TEST(dependencies_are_applied_by_rule)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/true]\n"
	    "groups:\n"
	    "  web: {hosts: [\"web-*\"]}\n"
	    "hosts:\n"
	    "  web-01: {check: [c], vars: {agent: nrpe}, services: {app: {command: [c]}}}\n"
	    "  web-02: {check: [c], services: {app: {command: [c]}}}\n"
	    "  db-01: {check: [c], vars: {agent: nrpe}}\n"
	    "apply:\n"
	    "  agent:\n"
	    "    vars: {agent: nrpe}\n"
	    "    services: {nrpe: {command: [c]}, disk: {command: [c]}, load: {command: [c]}}\n"
	    "dependencies:\n"
	    "  on-agent:\n"
	    "    master: $HOSTNAME$/nrpe\n"
	    "    vars: {agent: nrpe}\n"
	    "    services: [\"*\"]\n"
	    "    notification_failure_criteria: [critical, unknown]\n"
	    "  app-on-db:\n"
	    "    master: db-01\n"
	    "    groups: [web]\n"
	    "    not: {hosts: web-02}\n"
	    "    services: [app]\n"
	    "    execution_failure_criteria: [down]\n");
	cfg = load(0);
	/* the agent's own check is left out of "*"; an apply rule's
	 * services depend like written ones */
	ck_assert_str_eq(edges(cfg),
	    "web-01/app>web-01/nrpe web-01/disk>web-01/nrpe web-01/load>web-01/nrpe "
	    "db-01/disk>db-01/nrpe db-01/load>db-01/nrpe web-01/app>db-01");
	ck_assert_uint_eq(cfg->deps[0].notify_fail, (1u << 2) | (1u << 3));
	ck_assert_uint_eq(cfg->deps[0].exec_fail, 0);
	ck_assert_uint_eq(cfg->deps[5].exec_fail, 1u << 1);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *yaml;	/* the dependency's body, one YAML flow map */
	const char *error;
} error_cases[] = {
	{ "{master: db/pg, hosts: web, services: app,"
	  " notification_failure_criteria: [down]}",
	  "conf.d/a.yaml:10:81: dependency \"d\": notification_failure_criteria: "
	  "\"down\" is not a state of a service master (expected ok, warning, "
	  "critical, unknown, pending or none)" },
	{ "{master: db, hosts: web, notification_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:63: dependency \"d\": notification_failure_criteria: "
	  "\"critical\" is not a state of a host master (expected up, down, "
	  "unreachable, pending or none)" },
	{ "{master: db/pg, hosts: web, services: app}",
	  "conf.d/a.yaml:10:3: dependency \"d\": neither execution_failure_criteria "
	  "nor notification_failure_criteria: the dependency would do nothing" },
	{ "{hosts: web, execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:3: dependency \"d\": master: missing (expected "
	  "\"host/service\" or \"host\")" },
	{ "{master: db/pg, services: app, execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:3: dependency \"d\": matches no host: give hosts, groups "
	  "or vars (the dependents' hosts; hosts: \"*\" is every host)" },
	{ "{master: db/pgsql, hosts: web, services: app,"
	  " execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:15: dependency \"d\": master: service \"db/pgsql\" is not "
	  "defined" },
	{ "{master: $HOSTNAME$/pg, hosts: web, services: app,"
	  " execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:15: dependency \"d\": master: service \"web/pg\" is not "
	  "defined (for host \"web\" at conf.d/a.yaml:6:3)" },
	{ "{master: $HOST$/pg, hosts: web, services: app,"
	  " execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:15: dependency \"d\": master: \"$HOST$/pg\": the only "
	  "macro here is $HOSTNAME$ (the dependent's host)" },
	{ "{master: db/pg/x, hosts: web, execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:15: dependency \"d\": master: \"db/pg/x\" is not "
	  "\"host\" or \"host/service\"" },
	{ "{master: db/pg, hosts: web, services: app, dependency_period: nights,"
	  " execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:68: dependency \"d\": dependency_period: timeperiod "
	  "\"nights\" is not defined (did you mean \"night\"?)" },
	{ "{master: db/pg, hosts: nohost, services: app,"
	  " execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:29: dependency \"d\": hosts: host \"nohost\" is not "
	  "defined" },
	{ "{master: db/pg, hosts: [wbe], services: app,"
	  " execution_failure_criteria: [critical]}",
	  "conf.d/a.yaml:10:30: dependency \"d\": hosts: host \"wbe\" is not "
	  "defined (did you mean \"web\"?)" },
};

START_TEST(each_error_names_its_place)
{
	for (int i = 0; i < N(error_cases); i++) {
		struct config *cfg;
		char *text = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&text, &len);

		fprintf(fp,
		    "commands:\n"
		    "  c: [/bin/true]\n"
		    "hosts:\n"
		    "  db: {check: [c], services: {pg: {command: [c]}}}\n"
		    "  # the dependent\n"
		    "  web: {services: {app: {command: [c]}}}\n"
		    "timeperiods:\n"
		    "  night: {all: \"00:00-01:00\"}\n"
		    "dependencies:\n"
		    "  d: %s\n", error_cases[i].yaml);
		fclose(fp);
		put("conf.d/a.yaml", text);
		free(text);
		cfg = load(-1);
		expect_only_error(cfg, error_cases[i].error);
		config_free(cfg);
	}
}
END_TEST

START_TEST(a_cycle_is_a_load_error)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/true]\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: [c]\n"
	    "    services: {a: {command: [c]}, b: {command: [c]}, x: {command: [c]}}\n"
	    "dependencies:\n"
	    "  a-on-b: {master: h/b, hosts: h, services: a,"
	    " execution_failure_criteria: [critical]}\n"
	    "  b-on-a: {master: h/a, hosts: h, services: b,"
	    " notification_failure_criteria: [critical]}\n"
	    "  b-on-a-again: {master: h/a, hosts: h, services: b,"
	    " notification_failure_criteria: [unknown]}\n"
	    "  x-on-a: {master: h/a, hosts: h, services: x,"
	    " notification_failure_criteria: [unknown]}\n");
	cfg = load(-1);
	ck_assert_msg(cfg->nerrors == 1, "%s", errors_text(cfg));
	ck_assert_msg(strstr(errors_text(cfg), "h/a (conf.d/a.yaml:6:16) -> h/b "
	    "(conf.d/a.yaml:6:35) -> h/a") != NULL &&
	    strstr(errors_text(cfg), "dependencies form a cycle") != NULL &&
	    strstr(errors_text(cfg), "h/x") == NULL, "%s", errors_text(cfg));
	config_free(cfg);
}
END_TEST

static Suite *
depend_suite(void)
{
	Suite *s = suite_create("depend");
	TCase *tc = tcase_create("engine");
	TCase *tl = tcase_create("config");

	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, the_masters_state_against_the_criteria);
	tcase_add_test(tc, inherits_parent_follows_the_chain_of_masters);
	tcase_add_test(tc, outside_its_dependency_period_an_edge_does_not_fail);
	tcase_add_test(tc, a_host_master_and_a_hosts_dependencies_reach_its_services);
	tcase_add_test(tc, a_masters_change_touches_the_checks_whose_verdict_turns);
	tcase_add_test(tc, a_failing_dependency_holds_problems_and_drops_recoveries);
	suite_add_tcase(s, tc);
	tcase_add_unchecked_fixture(tl, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tl, setup, teardown);
	tcase_add_test(tl, dependencies_are_applied_by_rule);
	tcase_add_test(tl, each_error_names_its_place);
	tcase_add_test(tl, a_cycle_is_a_load_error);
	suite_add_tcase(s, tl);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(depend_suite());
	int failed;

	setenv("TZ", "UTC", 1);
	tzset();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
