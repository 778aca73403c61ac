/*
 * NAME
 *	check_config_checks - unit tests of the check keys, templates, services and argv (lib/config/keys.c, checks.c, argv.c)
 * DESCRIPTION
 *	Templates (`use:` inheritance as Nagios), inline and standalone
 *	services, every check key's default and value through the key table,
 *	pairs checked across keys (flap thresholds, quorum and pools) and
 *	argv expansion, hostile values included.
 *	Fixtures: configtest.h (each test writes vigil.yaml and conf.d files
 *	into a fresh directory, runs there and checks what config_load()
 *	built or the exact errors it reported).
 * DIAGNOSTICS
 *	Exit status 0 when every test passes. A failing test prints every
 *	error the loader reported, so the message shows what changed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "configtest.h"
#include "strbuf.h"
#include "testutil.h"
#include "timeperiod.h"
#include "xalloc.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void
expect_argv(const struct cfg_check *c, const char *const *want, size_t n)
{
	size_t i;

	ck_assert_msg(c->argc == n, "%s/%s: argc %zu, want %zu", c->host,
	    c->service ? c->service : "", c->argc, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(c->argv[i], want[i]) == 0,
		    "%s/%s: argv[%zu] \"%s\", want \"%s\"", c->host,
		    c->service ? c->service : "", i, c->argv[i], want[i]);
	ck_assert_msg(c->argv[n] == NULL, "argv not NULL-terminated");
}

/* ---- templates -------------------------------------------------------- */

static const char tmpl_yaml[] =
    "commands:\n"
    "  c: {argv: [/bin/c], timeout: 5s}\n"
    "templates:\n"
    "  a: {interval: 1m, max_attempts: 5, vars: {env: a, team: a}}\n"
    "  b: {interval: 2m, retry_interval: 20s, max_attempts: 7, timeout: 9s,\n"
    "      vars: {env: b, zone: b}, pools: [p-b]}\n"
    "  base: {use: b, timeout: 11s, pools: [p1], vars: {team: base}}\n"
    "  top: {use: [base, a], active: false}\n"
    "  hosty: {address: 192.0.2.1, alias: Hosty, parents: [gw], check: c,\n"
    "         interval: 45s}\n"
    "hosts:\n"
    "  gw: {}\n"
    "  h:\n"
    "    vars: {env: own}\n"
    "    services:\n"
    "      s1: {use: [a, b], command: c}\n"
    "      s2: {use: [a, b], command: c, interval: 30s, vars: {env: own}}\n"
    "      s3: {use: [base, a], command: c}\n"
    "      s4: {use: top, command: [c]}\n"
    "      s5: {command: c}\n"
    "  t1: {use: hosty}\n"
    "  t2: {use: hosty, address: 198.51.100.7, check: [c]}\n";

START_TEST(object_keys_win_over_templates)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml", tmpl_yaml);
	cfg = load(0);
	c = find_check(cfg, "h", "s2");
	ck_assert_int_eq(c->interval, 30);
	ck_assert_int_eq(c->retry_interval, 20);
	ck_assert_int_eq(c->max_attempts, 5);
	config_free(cfg);
}
END_TEST

START_TEST(first_template_in_use_that_sets_a_key_wins)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml", tmpl_yaml);
	cfg = load(0);
	c = find_check(cfg, "h", "s1");
	ck_assert_int_eq(c->interval, 60);		/* a, not b */
	ck_assert_int_eq(c->max_attempts, 5);		/* a, not b */
	ck_assert_int_eq(c->retry_interval, 20);	/* only b has it */
	ck_assert_int_eq(c->timeout, 9);		/* b, over the command's */
	ck_assert_uint_eq(c->npools, 1);
	ck_assert_str_eq(c->pools[0], "p-b");
	config_free(cfg);
}
END_TEST

START_TEST(use_chains_are_followed_depth_first)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml", tmpl_yaml);
	cfg = load(0);
	/* use: [base, a]: base, then base's b, then a (Nagios order) */
	c = find_check(cfg, "h", "s3");
	ck_assert_int_eq(c->interval, 120);
	ck_assert_int_eq(c->max_attempts, 7);
	ck_assert_int_eq(c->timeout, 11);
	ck_assert_str_eq(c->pools[0], "p1");
	/* two levels: top -> base -> b, then a */
	c = find_check(cfg, "h", "s4");
	ck_assert_int_eq(c->interval, 120);
	ck_assert_int_eq(c->timeout, 11);
	ck_assert_int_eq(c->active, 0);
	ck_assert_int_eq(c->passive, 1);
	config_free(cfg);
}
END_TEST

START_TEST(vars_merge_one_by_one_through_templates)
{
	static const char *const want[] = {
		"/bin/v", "own", "base", "b", "h-own",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  v: [/bin/v, $_SERVICEENV$, $_SERVICETEAM$, $_SERVICEZONE$, "
	    "$_HOSTENV$]\n"
	    "templates:\n"
	    "  a: {vars: {env: a, team: a}}\n"
	    "  b: {vars: {env: b, zone: b}}\n"
	    "  base: {use: b, vars: {team: base}}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    vars: {env: h-own}\n"
	    "    services:\n"
	    "      s: {use: [base, a], command: v, vars: {ENV: own}}\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "h", "s"), want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(host_keys_come_from_templates_too)
{
	static const char *const want[] = { "/bin/c" };
	struct config *cfg;
	const struct cfg_host *h;
	const struct cfg_check *c;

	put("conf.d/a.yaml", tmpl_yaml);
	cfg = load(0);
	h = config_find_host(cfg, "t1");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->address, "192.0.2.1");
	ck_assert_str_eq(h->alias, "Hosty");
	ck_assert_uint_eq(h->nparents, 1);
	ck_assert_str_eq(h->parents[0], "gw");
	ck_assert_ptr_null(h->parents[1]);
	c = find_check(cfg, "t1", NULL);
	ck_assert_int_eq(c->interval, 45);
	ck_assert_int_eq(c->timeout, 5);	/* the command's */
	expect_argv(c, want, 1);
	h = config_find_host(cfg, "t2");
	ck_assert_str_eq(h->address, "198.51.100.7");
	ck_assert_int_eq(find_check(cfg, "t2", NULL)->interval, 45);
	config_free(cfg);
}
END_TEST

START_TEST(a_template_problem_is_reported_once_at_the_template)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  t: {command: nope, parents: [ghost]}\n"
	    "hosts:\n"
	    "  h1: {use: t}\n"
	    "  h2: {use: t}\n"
	    "  h3:\n"
	    "    services:\n"
	    "      s1: {use: t}\n"
	    "      s2: {use: t}\n");
	cfg = load(-1);
	ck_assert_msg(cfg->nerrors == 2, "%s", errors_text(cfg));
	expect_error(cfg, "conf.d/a.yaml:2:16: template \"t\": command \"nope\" "
	    "is not defined");
	expect_error(cfg, "conf.d/a.yaml:2:32: template \"t\": parents: host "
	    "\"ghost\" is not defined");
	config_free(cfg);
}
END_TEST

/* ---- services --------------------------------------------------------- */

START_TEST(inline_and_standalone_services_in_file_order)
{
	static const char *const order[][2] = {
		{ "core", NULL }, { "web-01", NULL }, { "web-01", "http" },
		{ "web-01", "disk" }, { "web-01", "ssh" }, { "web-01", "ssh-on-web" },
		{ "core", "later" },
	};
	struct config *cfg;
	size_t i;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $HOSTNAME$, $SERVICEDESC$]\n"
	    "  hc: [/bin/c, $HOSTNAME$]\n"
	    "hosts:\n"
	    "  core: {check: hc}\n"
	    "  web-01:\n"
	    "    check: hc\n"
	    "    services:\n"
	    "      http: {command: c}\n"
	    "      disk: {command: c}\n"
	    "services:\n"
	    "  ssh-check:\n"
	    "    host: web-01\n"
	    "    name: ssh\n"
	    "    command: c\n"
	    "  ssh-on-web: {host: web-01, command: c}\n");
	put("conf.d/b.yaml",
	    "services:\n"
	    "  later: {host: core, check: c}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->nchecks, N(order));
	for (i = 0; i < (size_t)N(order); i++) {
		const struct cfg_check *c = &cfg->checks[i];

		ck_assert_str_eq(c->host, order[i][0]);
		if (order[i][1] == NULL)
			ck_assert_ptr_null(c->service);
		else
			ck_assert_str_eq(c->service, order[i][1]);
		ck_assert_str_eq(c->command, order[i][1] ? "c" : "hc");
		ck_assert_str_eq(c->argv[1], order[i][0]);
	}
	/* the host check points into its host's name */
	ck_assert_ptr_eq(cfg->checks[0].host, config_find_host(cfg, "core")->name);
	ck_assert_str_eq(find_check(cfg, "web-01", "ssh")->argv[2], "ssh");
	ck_assert_int_eq(find_check(cfg, "web-01", "ssh")->mark.line, 12);
	ck_assert_int_eq(find_check(cfg, "web-01", "ssh")->mark.col, 3);
	ck_assert_str_eq(find_check(cfg, "web-01", "ssh")->mark.file,
	    "conf.d/a.yaml");
	config_free(cfg);
}
END_TEST

START_TEST(the_same_description_on_two_hosts_is_fine)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  a: {services: {http: {command: c}}}\n"
	    "  b: {services: {http: {command: c}}}\n"
	    "services:\n"
	    "  x: {host: a, name: a/b, command: c}\n"
	    "  y: {host: a, name: b, command: c}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->nchecks, 4);
	config_free(cfg);
}
END_TEST

/* ---- defaults --------------------------------------------------------- */

START_TEST(defaults_for_services_and_host_checks)
{
	struct config *cfg;
	const struct cfg_check *c;
	const struct cfg_host *h;

	put("vigil.yaml", "worker: {pool: dc1}\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c]\n"
	    "  slow: {argv: [/bin/slow], timeout: 2m}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    services:\n"
	    "      s: {command: c}\n"
	    "      t: {command: slow}\n"
	    "      u: {command: slow, timeout: 5s, pools: [a, b.c]}\n"
	    "  nocheck: {address: 192.0.2.9}\n");
	cfg = load(0);
	c = find_check(cfg, "h", "s");
	ck_assert_int_eq(c->interval, 300);
	ck_assert_int_eq(c->retry_interval, 60);
	ck_assert_int_eq(c->max_attempts, 3);
	ck_assert_int_eq(c->timeout, 60);
	ck_assert_uint_eq(c->npools, 1);
	ck_assert_str_eq(c->pools[0], "dc1");
	ck_assert_ptr_null(c->pools[1]);
	ck_assert_int_eq(c->active, 1);
	ck_assert_int_eq(c->passive, 1);
	c = find_check(cfg, "h", NULL);
	ck_assert_int_eq(c->timeout, 30);
	ck_assert_int_eq(c->interval, 300);
	ck_assert_int_eq(find_check(cfg, "h", "t")->timeout, 120);
	c = find_check(cfg, "h", "u");
	ck_assert_int_eq(c->timeout, 5);
	ck_assert_uint_eq(c->npools, 2);
	ck_assert_str_eq(c->pools[1], "b.c");
	/* no check: a host, but no host check */
	ck_assert_uint_eq(cfg->nchecks, 4);
	h = config_find_host(cfg, "nocheck");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->address, "192.0.2.9");
	ck_assert_str_eq(h->alias, "nocheck");
	ck_assert_uint_eq(h->nparents, 0);
	ck_assert_ptr_null(h->parents[0]);
	h = config_find_host(cfg, "h");
	ck_assert_str_eq(h->address, "h");
	ck_assert_str_eq(h->alias, "h");
	ck_assert_ptr_null(config_find_host(cfg, "nope"));
	ck_assert_ptr_nonnull(config_find_command(cfg, "slow"));
	ck_assert_int_eq(config_find_command(cfg, "slow")->timeout, 120);
	ck_assert_int_eq(config_find_command(cfg, "c")->timeout, 0);
	ck_assert_ptr_null(config_find_command(cfg, "nope"));
	config_free(cfg);
}
END_TEST

START_TEST(commands_keep_their_argv_as_written)
{
	struct config *cfg;
	const struct cfg_command *c;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  ping:\n"
	    "    argv: [$PLUGINDIR$/check_ping, -H, $HOSTADDRESS$, -w, "
	    "\"100,20%\", -c, 500]\n");
	cfg = load(0);
	c = config_find_command(cfg, "ping");
	ck_assert_uint_eq(c->argc, 7);
	ck_assert_str_eq(c->argv[0], "$PLUGINDIR$/check_ping");
	ck_assert_str_eq(c->argv[6], "500");
	ck_assert_ptr_null(c->argv[7]);
	ck_assert_int_eq(c->mark.line, 2);
	ck_assert_int_eq(c->mark.col, 3);
	config_free(cfg);
}
END_TEST

/* ---- argv expansion --------------------------------------------------- */

START_TEST(every_check_macro_expands)
{
	static const char *const want[] = {
		"/usr/lib/nagios/plugins/check_x", "/usr/libexec/vigil/plugins/y",
		"web-01", "10.0.0.5", "Web server", "http", "/health", "",
		"$USER1$", "production", "production", "eu", "$", "-H10.0.0.5:80",
	};
	struct config *cfg;

	put("vigil.yaml",
	    "resource_file: res.yaml\n"
	    "plugin_dir: /usr/lib/nagios/plugins\n"
	    "vigil_plugin_dir: /usr/libexec/vigil/plugins\n");
	put("res.yaml", "USER1: s3cret\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  all: [$PLUGINDIR$/check_x, $VIGILPLUGINDIR$/y, $HOSTNAME$,\n"
	    "        $HOSTADDRESS$, $HOSTALIAS$, $SERVICEDESC$, $ARG1$, $ARG2$,\n"
	    "        $USER1$, $_HOSTENV$, $_HOSTenv$, $_SERVICEZONE$, $$,\n"
	    "        -H$HOSTADDRESS$:80]\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5\n"
	    "    alias: Web server\n"
	    "    vars: {env: production}\n"
	    "    services:\n"
	    "      http: {command: [all, /health], vars: {zone: eu}}\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "web-01", "http"), want, N(want));
	/* the secret is the worker's to fill in: its place, not its value */
	ck_assert_str_eq(find_check(cfg, "web-01", "http")->users, "8:0:1");
	config_free(cfg);
}
END_TEST

START_TEST(args_may_hold_other_macros_expanded_once)
{
	static const char *const want[] = {
		"/bin/c", "-u", "http://10.0.0.5/web-01", "-p", "$USER1$",
		"$HOSTNAME$", "$USER2$",
	};
	struct config *cfg;

	put("vigil.yaml", "resource_file: res.yaml\n");
	/* a secret that looks like a macro stays as it is */
	put("res.yaml", "USER1: \"pw$1\"\nUSER2: \"$USER1$\"\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, -u, $ARG1$, -p, $ARG2$, $ARG3$, $USER2$]\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5\n"
	    "    services:\n"
	    "      s:\n"
	    "        command: [c, \"http://$HOSTADDRESS$/$HOSTNAME$\", $USER1$,\n"
	    "                  $$HOSTNAME$$]\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "web-01", "s"), want, N(want));
	/* $USER1$ through $ARG2$ and $USER2$; the literal $HOSTNAME$ is not a
	 * place, and the values (one of them "$USER1$") never appear */
	ck_assert_str_eq(find_check(cfg, "web-01", "s")->users, "4:0:1;6:0:2");
	config_free(cfg);
}
END_TEST

static const char *const hostile[] = {
	"a;b",
	"$(rm -rf /)",
	"`id`",
	"it's",
	"say \"hi\"",
	"line1\nline2",
	"; $(rm -rf /) `id` 'x' \"y\"\nz && echo pwned | sh",
	"$HOSTNAME$",
	"$USER1$",
	"-rf /",
	" leading and trailing ",
};

/*
 * v as a YAML double-quoted scalar: \ " and newline escaped. With dollars
 * set, each '$' is doubled too: that is how a literal '$' is written in
 * an $ARGn$, which is macro text itself.
 */
static char *
yaml_quote(const char *v, int dollars)
{
	char *q = xmalloc(strlen(v) * 2 + 3), *p = q;

	*p++ = '"';
	for (; *v != '\0'; v++) {
		if (*v == '\n') {
			*p++ = '\\';
			*p++ = 'n';
			continue;
		}
		if (*v == '"' || *v == '\\')
			*p++ = '\\';
		else if (*v == '$' && dollars)
			*p++ = '$';
		*p++ = *v;
	}
	*p++ = '"';
	*p = '\0';
	return q;
}

/* A value is one argv element whatever it holds: no shell, no re-expansion. */
START_TEST(hostile_values_stay_one_literal_argument)
{
	const char *v = hostile[_i];
	const char *want_host[] = { "/bin/hc", "-H", v, "-v", v, "-a", v, v };
	const char *want_svc[] = {
		"/bin/c", "-H", v, "-v", v, "-a", v, "-s", v, v,
	};
	struct config *cfg;
	char *yaml, *q, *qarg;

	q = yaml_quote(v, 0);
	qarg = yaml_quote(v, 1);
	put("vigil.yaml", "resource_file: res.yaml\n");
	put("res.yaml", "USER1: never\n");
	yaml = xasprintf(
	    "commands:\n"
	    "  hc: [/bin/hc, -H, $HOSTADDRESS$, -v, $_HOSTX$, -a, $ARG1$, "
	    "$HOSTALIAS$]\n"
	    "  c: [/bin/c, -H, $HOSTADDRESS$, -v, $_HOSTX$, -a, $ARG1$, -s, "
	    "$_SERVICEY$, $HOSTALIAS$]\n"
	    "hosts:\n"
	    "  h:\n"
	    "    address: %s\n"
	    "    alias: %s\n"
	    "    vars: {x: %s}\n"
	    "    check: [hc, %s]\n"
	    "    services:\n"
	    "      s: {command: [c, %s], vars: {y: %s}}\n",
	    q, q, q, qarg, qarg, q);
	put("conf.d/a.yaml", yaml);
	cfg = load(0);
	ck_assert_msg(strcmp(config_find_host(cfg, "h")->address, v) == 0,
	    "address \"%s\" became \"%s\"", v,
	    config_find_host(cfg, "h")->address);
	expect_argv(find_check(cfg, "h", NULL), want_host, N(want_host));
	expect_argv(find_check(cfg, "h", "s"), want_svc, N(want_svc));
	/* a value that reads "$USER1$" is text, never a place for a secret */
	ck_assert_ptr_null(find_check(cfg, "h", NULL)->users);
	ck_assert_ptr_null(find_check(cfg, "h", "s")->users);
	free(yaml);
	free(q);
	free(qarg);
	config_free(cfg);
}
END_TEST

/* Places: several in one argument, in the middle of text, and with no
 * resource file at all (the engine's host need not hold the secrets). */
START_TEST(user_macros_are_left_to_the_workers_with_their_places)
{
	static const char *const want[] = {
		"$USER1$/check_x", "-p", "a$USER2$b$USER10$c", "--", "$$",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [$USER1$/check_x, -p, \"a$USER2$b$USER10$c\", --, $$$$]\n"
	    "hosts:\n"
	    "  h: {check: c}\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "h", NULL), want, N(want));
	ck_assert_str_eq(find_check(cfg, "h", NULL)->users, "0:0:1;2:1:2;2:9:10");
	config_free(cfg);
}
END_TEST

START_TEST(a_single_dollar_in_an_arg_is_an_error_not_a_command)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c, $ARG1$]}\n"
	    "hosts:\n"
	    "  h: {check: [c, \"$(rm -rf /)\"]}\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/a.yaml:3:3: host \"h\": $ARG1$ "
	    "\"$(rm -rf /)\": unterminated macro at \"$(rm -rf /)\"");
	config_free(cfg);
}
END_TEST

START_TEST(hostile_values_in_a_host_check_stay_one_literal_argument)
{
	const char *v = "; $(rm -rf /) `id` 'x' \"y\"\nz";
	const char *want[] = { "/bin/c", v, v, v, "$HOSTADDRESS$" };
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $HOSTADDRESS$, $_HOSTX$, $ARG1$, $$HOSTADDRESS$$]\n"
	    "hosts:\n"
	    "  h:\n"
	    "    address: \"; $(rm -rf /) `id` 'x' \\\"y\\\"\\nz\"\n"
	    "    vars:\n"
	    "      x: |-\n"
	    "        ; $(rm -rf /) `id` 'x' \"y\"\n"
	    "        z\n"
	    "    check: [c, \"$HOSTADDRESS$\"]\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "h", NULL), want, N(want));
	config_free(cfg);
}
END_TEST

/* Duplicates and lookups stay right at scale (hash tables, not lists). */
START_TEST(many_hosts_and_services_load)
{
	struct config *cfg;
	size_t len = 0, cap = 1 << 20, i;
	char *buf = xmalloc(cap);

	len += (size_t)snprintf(buf + len, cap - len,
	    "commands: {c: [/bin/c, $HOSTADDRESS$, $ARG1$]}\nhosts:\n");
	for (i = 0; i < 2000; i++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "  h%zu: {address: 10.0.%zu.%zu, check: c, services: "
		    "{a: {command: [c, x]}, b: {command: [c, y]}}}\n",
		    i, i / 256, i % 256);
	len += (size_t)snprintf(buf + len, cap - len,
	    "services:\n  dup: {host: h1999, name: b, command: c}\n");
	put("conf.d/a.yaml", buf);
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/a.yaml:2004:3: service \"h1999/b\" is "
	    "defined twice (first at conf.d/a.yaml:2002:75)");
	ck_assert_uint_eq(cfg->nhosts, 2000);
	ck_assert_uint_eq(cfg->nchecks, 6000);
	ck_assert_str_eq(find_check(cfg, "h1234", "b")->argv[1], "10.0.4.210");
	free(buf);
	config_free(cfg);
}
END_TEST

/* ---- check keys: states, freshness, flapping, debounce, period ------- */

START_TEST(new_check_keys_default_as_nagios)
{
	struct config *cfg;
	const struct cfg_check *c;
	int host;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    services:\n"
	    "      s: {command: c}\n");
	cfg = load(0);
	for (host = 0; host < 2; host++) {
		c = find_check(cfg, "h", host ? NULL : "s");
		ck_assert_int_eq(c->timeout_state, 2);		/* CRITICAL */
		ck_assert_int_eq(c->freshness_threshold, 0);	/* interval + 15 s */
		ck_assert_int_eq(c->stale_state, 3);		/* UNKNOWN */
		ck_assert_int_eq(c->freshness, 0);		/* Nagios: off */
		ck_assert_int_eq(c->stalking, 0);
		ck_assert_int_eq(c->flap_detection_options, CONFIG_STATE_SET_ALL);
		ck_assert_int_eq(c->stale_state_set, 0);	/* stale: run it */
		ck_assert_int_eq(c->flap_detection, 1);
		ck_assert(c->low_flap_threshold == 20.0);
		ck_assert(c->high_flap_threshold == 30.0);
		ck_assert_int_eq(c->debounce, 0);
		ck_assert_int_eq(c->is_volatile, 0);
		ck_assert_ptr_null(c->check_period);
		ck_assert_ptr_null(c->check_period_tp);
		ck_assert_int_eq(c->max_attempts, 3);
	}
	ck_assert_uint_eq(cfg->ntimeperiods, 0);
	ck_assert_ptr_null(config_find_timeperiod(cfg, "24x7"));
	config_free(cfg);
}
END_TEST

START_TEST(every_new_check_key_is_read)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    timeout_state: down\n"
	    "    stale_state: UP\n"
	    "    stalking: [down, unreachable]\n"
	    "    flap_detection_options: all\n"
	    "    check_period: workhours\n"
	    "    services:\n"
	    "      s:\n"
	    "        command: c\n"
	    "        timeout_state: warning\n"
	    "        freshness_threshold: 10m\n"
	    "        stale_state: 1\n"
	    "        flap_detection: false\n"
	    "        low_flap_threshold: 12.5\n"
	    "        high_flap_threshold: 40%\n"
	    "        debounce: 4\n"
	    "        is_volatile: yes\n"
	    "        check_period: workhours\n"
	    "      f: {command: c, freshness: true, stalking: [ok, Critical],\n"
	    "          flap_detection_options: []}\n"
	    "      z: {command: c, freshness_threshold: 0, debounce: 0,\n"
	    "          low_flap_threshold: 0, high_flap_threshold: 100,\n"
	    "          timeout_state: 0, stale_state: OK}\n");
	/* a timeperiod may be defined in a later file */
	put("conf.d/z.yaml",
	    "timeperiods:\n"
	    "  workhours: {monday: \"09:00-17:00\"}\n");
	cfg = load(0);
	c = find_check(cfg, "h", NULL);
	ck_assert_int_eq(c->timeout_state, 2);		/* DOWN */
	ck_assert_int_eq(c->stale_state, 0);		/* UP */
	ck_assert_int_eq(c->stalking, CONFIG_STATE_SET_HOST(1) | CONFIG_STATE_SET_HOST(2));
	ck_assert_int_eq(c->flap_detection_options, CONFIG_STATE_SET_ALL);
	ck_assert_str_eq(c->check_period, "workhours");
	ck_assert_ptr_eq(c->check_period_tp,
	    config_find_timeperiod(cfg, "workhours")->tp);
	ck_assert_int_eq(c->freshness, 0);		/* no threshold, not asked */
	ck_assert_int_eq(c->stale_state_set, 1);
	c = find_check(cfg, "h", "f");
	ck_assert_int_eq(c->stalking, CONFIG_STATE_SET_SERVICE(0) | CONFIG_STATE_SET_SERVICE(2));
	ck_assert_int_eq(c->flap_detection_options, 0);
	ck_assert_int_eq(c->freshness, 1);
	ck_assert_int_eq(c->freshness_threshold, 0);	/* interval + 15 s */
	ck_assert_int_eq(c->stale_state_set, 0);
	c = find_check(cfg, "h", "s");
	ck_assert_int_eq(c->timeout_state, 1);
	ck_assert_int_eq(c->freshness_threshold, 600);
	ck_assert_int_eq(c->freshness, 1);		/* a threshold turns it on */
	ck_assert_int_eq(c->stale_state, 1);
	ck_assert_int_eq(c->flap_detection, 0);
	ck_assert(c->low_flap_threshold == 12.5);
	ck_assert(c->high_flap_threshold == 40.0);
	ck_assert_int_eq(c->debounce, 4);
	ck_assert_int_eq(c->max_attempts, 3);	/* as written */
	ck_assert_int_eq(c->is_volatile, 1);
	ck_assert_str_eq(c->check_period, "workhours");
	ck_assert_ptr_nonnull(c->check_period_tp);
	ck_assert_ptr_eq(c->check_period_tp,
	    config_find_timeperiod(cfg, "workhours")->tp);
	c = find_check(cfg, "h", "z");
	ck_assert_int_eq(c->freshness_threshold, 0);
	ck_assert_int_eq(c->debounce, 0);
	ck_assert(c->low_flap_threshold == 0.0);
	ck_assert(c->high_flap_threshold == 100.0);
	ck_assert_int_eq(c->timeout_state, 0);
	ck_assert_int_eq(c->stale_state, 0);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *value;
	int is_host;
	int status;
} state_cases[] = {
	{ "OK", 0, 0 }, { "ok", 0, 0 }, { "Warning", 0, 1 },
	{ "CRITICAL", 0, 2 }, { "unknown", 0, 3 }, { "0", 0, 0 }, { "1", 0, 1 },
	{ "2", 0, 2 }, { "3", 0, 3 }, { "\"3\"", 0, 3 },
	{ "UP", 1, 0 }, { "up", 1, 0 }, { "DOWN", 1, 2 }, { "Down", 1, 2 },
	{ "OK", 1, 0 }, { "WARNING", 1, 1 }, { "CRITICAL", 1, 2 },
	{ "UNKNOWN", 1, 3 }, { "2", 1, 2 },
};

START_TEST(state_names_in_any_case_and_numbers_are_read)
{
	struct config *cfg;
	const struct cfg_check *c;
	char *yaml;

	if (state_cases[_i].is_host)
		yaml = xasprintf(
		    "commands: {c: [/bin/c]}\n"
		    "hosts:\n"
		    "  h: {check: c, timeout_state: %s, stale_state: %s}\n",
		    state_cases[_i].value, state_cases[_i].value);
	else
		yaml = xasprintf(
		    "commands: {c: [/bin/c]}\n"
		    "hosts:\n"
		    "  h:\n"
		    "    services:\n"
		    "      s: {command: c, timeout_state: %s, stale_state: %s}\n",
		    state_cases[_i].value, state_cases[_i].value);
	put("conf.d/a.yaml", yaml);
	cfg = load(0);
	c = find_check(cfg, "h", state_cases[_i].is_host ? NULL : "s");
	ck_assert_msg(c->timeout_state == state_cases[_i].status &&
	    c->stale_state == state_cases[_i].status, "%s on a %s: %d %d, "
	    "want %d", state_cases[_i].value, state_cases[_i].is_host ? "host" :
	    "service", c->timeout_state, c->stale_state,
	    state_cases[_i].status);
	free(yaml);
	config_free(cfg);
}
END_TEST

static const char new_keys_tmpl_yaml[] =
    "timeperiods:\n"
    "  nights: {all: \"22:00-24:00\"}\n"
    "  always: {all: \"00:00-24:00\"}\n"
    "templates:\n"
    "  flappy: {low_flap_threshold: 5, high_flap_threshold: 50,\n"
    "           flap_detection: false, debounce: 2}\n"
    "  strict: {timeout_state: UNKNOWN, stale_state: CRITICAL,\n"
    "           freshness_threshold: 2m, is_volatile: true,\n"
    "           check_period: nights, low_flap_threshold: 10}\n"
    "  base: {use: strict, debounce: 3}\n"
    "  hosty: {timeout_state: UP, stale_state: DOWN, check_period: always}\n"
    "commands: {c: [/bin/c]}\n"
    "hosts:\n"
    "  h:\n"
    "    use: hosty\n"
    "    check: c\n"
    "    services:\n"
    "      s1: {use: [flappy, strict], command: c}\n"
    "      s2: {use: [strict, flappy], command: c}\n"
    "      s3: {use: base, command: c}\n"
    "      s4: {use: [base, flappy], command: c, debounce: 0,\n"
    "           timeout_state: OK, check_period: always,\n"
    "           high_flap_threshold: 60}\n";

START_TEST(new_check_keys_come_from_templates)
{
	struct config *cfg;
	const struct cfg_check *c;
	const struct timeperiod *nights, *always;

	put("conf.d/a.yaml", new_keys_tmpl_yaml);
	cfg = load(0);
	nights = config_find_timeperiod(cfg, "nights")->tp;
	always = config_find_timeperiod(cfg, "always")->tp;
	c = find_check(cfg, "h", NULL);
	ck_assert_int_eq(c->timeout_state, 0);
	ck_assert_int_eq(c->stale_state, 2);
	ck_assert_ptr_eq(c->check_period_tp, always);
	/* the first template that sets a key wins */
	c = find_check(cfg, "h", "s1");
	ck_assert(c->low_flap_threshold == 5.0);
	ck_assert(c->high_flap_threshold == 50.0);
	ck_assert_int_eq(c->flap_detection, 0);
	ck_assert_int_eq(c->debounce, 2);
	ck_assert_int_eq(c->timeout_state, 3);
	ck_assert_int_eq(c->stale_state, 2);
	ck_assert_int_eq(c->freshness_threshold, 120);
	ck_assert_int_eq(c->is_volatile, 1);
	ck_assert_str_eq(c->check_period, "nights");
	ck_assert_ptr_eq(c->check_period_tp, nights);
	c = find_check(cfg, "h", "s2");
	ck_assert(c->low_flap_threshold == 10.0);	/* strict's */
	ck_assert(c->high_flap_threshold == 50.0);	/* only flappy's */
	/* depth first: base, then base's strict */
	c = find_check(cfg, "h", "s3");
	ck_assert_int_eq(c->debounce, 3);
	ck_assert_int_eq(c->timeout_state, 3);
	ck_assert_int_eq(c->flap_detection, 1);
	ck_assert(c->low_flap_threshold == 10.0);
	ck_assert(c->high_flap_threshold == 30.0);
	ck_assert_ptr_eq(c->check_period_tp, nights);
	/* the object's own keys win */
	c = find_check(cfg, "h", "s4");
	ck_assert_int_eq(c->debounce, 0);
	ck_assert_int_eq(c->timeout_state, 0);
	ck_assert_int_eq(c->stale_state, 2);
	ck_assert_str_eq(c->check_period, "always");
	ck_assert_ptr_eq(c->check_period_tp, always);
	ck_assert(c->low_flap_threshold == 10.0);
	ck_assert(c->high_flap_threshold == 60.0);
	ck_assert_int_eq(c->flap_detection, 0);
	config_free(cfg);
}
END_TEST

/* One key of service h/s at line 6; the error is at its value. */
static const struct {
	const char *line;
	const char *err;
} new_key_cases[] = {
	{ "timeout_state: BROKEN", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"BROKEN\" is not a state (expected OK, WARNING, "
	    "CRITICAL, UNKNOWN or 0-3)" },
	{ "timeout_state: CRTICAL", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"CRTICAL\" is not a state (did you mean "
	    "\"CRITICAL\"?)" },
	{ "timeout_state: warnign", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"warnign\" is not a state (did you mean "
	    "\"WARNING\"?)" },
	{ "timeout_state: 4", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"4\" is not a state (expected OK, WARNING, "
	    "CRITICAL, UNKNOWN or 0-3)" },
	{ "timeout_state: UP", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"UP\" is a host state (expected OK, WARNING, "
	    "CRITICAL, UNKNOWN or 0-3)" },
	{ "stale_state: down", "conf.d/a.yaml:6:22: service \"h/s\": "
	    "stale_state: \"down\" is a host state (expected OK, WARNING, "
	    "CRITICAL, UNKNOWN or 0-3)" },
	{ "stale_state: \"\"", "conf.d/a.yaml:6:22: service \"h/s\": "
	    "stale_state: must not be empty" },
	{ "stale_state: [OK]", "conf.d/a.yaml:6:22: service \"h/s\": "
	    "stale_state: expected a string, got a list" },
	{ "freshness_threshold: soon", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "freshness_threshold: \"soon\" is not a duration (expected 30s, 5m, "
	    "1h, 1d or a number of seconds)" },
	{ "freshness_threshold: -5s", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "freshness_threshold: \"-5s\" is not a duration (expected 30s, 5m, "
	    "1h, 1d or a number of seconds)" },
	{ "flap_detection: maybe", "conf.d/a.yaml:6:25: service \"h/s\": "
	    "flap_detection: \"maybe\" is not a boolean (expected true or "
	    "false)" },
	{ "low_flap_threshold: 101", "conf.d/a.yaml:6:29: service \"h/s\": "
	    "low_flap_threshold: \"101\" is not a percentage (expected a number "
	    "from 0 to 100)" },
	{ "low_flap_threshold: 12.", "conf.d/a.yaml:6:29: service \"h/s\": "
	    "low_flap_threshold: \"12.\" is not a percentage (expected a number "
	    "from 0 to 100)" },
	{ "high_flap_threshold: -1", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "high_flap_threshold: \"-1\" is not a percentage (expected a number "
	    "from 0 to 100)" },
	{ "high_flap_threshold: 2e1", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "high_flap_threshold: \"2e1\" is not a percentage (expected a "
	    "number from 0 to 100)" },
	{ "high_flap_threshold: 100.5%", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "high_flap_threshold: \"100.5%\" is not a percentage (expected a "
	    "number from 0 to 100)" },
	{ "debounce: -1", "conf.d/a.yaml:6:19: service \"h/s\": debounce: "
	    "\"-1\" is not a whole number >= 0" },
	{ "debounce: 1.5", "conf.d/a.yaml:6:19: service \"h/s\": debounce: "
	    "\"1.5\" is not a whole number >= 0" },
	{ "is_volatile: 2", "conf.d/a.yaml:6:22: service \"h/s\": is_volatile: "
	    "\"2\" is not a boolean (expected true or false)" },
	{ "check_period: workhours", "conf.d/a.yaml:6:23: service \"h/s\": "
	    "check_period: timeperiod \"workhours\" is not defined" },
	{ "check_period: \"\"", "conf.d/a.yaml:6:23: service \"h/s\": "
	    "check_period: must not be empty" },
	{ "check_period:", "conf.d/a.yaml:6:22: service \"h/s\": "
	    "check_period: expected a string, got nothing" },
	{ "low_flap_threshold: 30", "conf.d/a.yaml:6:29: service \"h/s\": "
	    "low_flap_threshold 30 must be below high_flap_threshold 30 (the "
	    "default)" },
	{ "high_flap_threshold: 15", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "low_flap_threshold 20 (the default) must be below "
	    "high_flap_threshold 15" },
	{ "quorum: 0", "conf.d/a.yaml:6:17: service \"h/s\": quorum: \"0\" is "
	    "not a whole number >= 1" },
	{ "quorum: two", "conf.d/a.yaml:6:17: service \"h/s\": quorum: \"two\" "
	    "is not a whole number >= 1" },
	{ "quorum: [2]", "conf.d/a.yaml:6:17: service \"h/s\": quorum: expected "
	    "a string, got a list" },
	{ "quorum: 2", "conf.d/a.yaml:6:17: service \"h/s\": quorum 2 must be "
	    "between 1 and the number of pools, 1 (the default pool \"default\")" },
	{ "pools: [a, b, c]", NULL },
	{ "quorum: 1", NULL },
};

START_TEST(bad_new_check_key_values_name_the_place)
{
	struct config *cfg;
	char *yaml;

	yaml = xasprintf(
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    services:\n"
	    "      s:\n"
	    "        %s\n"
	    "        command: c\n", new_key_cases[_i].line);
	put("conf.d/a.yaml", yaml);
	if (new_key_cases[_i].err == NULL) {
		/* a valid value, among the bad ones for its neighbours */
		cfg = load(0);
		config_free(cfg);
		free(yaml);
		return;
	}
	cfg = load(-1);
	if (cfg->nerrors != 1 || strcmp(cfg->errors[0], new_key_cases[_i].err) != 0)
		ck_abort_msg("input:\n%s\nwant:\n  %s\ngot:\n%s", yaml,
		    new_key_cases[_i].err, errors_text(cfg));
	free(yaml);
	config_free(cfg);
}
END_TEST

START_TEST(hosts_and_templates_take_up_and_down_but_not_unreachable)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:22: template \"t\": timeout_state: "
		    "\"UNREACHABLE\" is not a state (expected UP, DOWN, OK, "
		    "WARNING, CRITICAL, UNKNOWN or 0-3)",
		"conf.d/a.yaml:5:18: host \"h\": stale_state: \"DWON\" is not a "
		    "state (did you mean \"DOWN\"?)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  t: {timeout_state: UNREACHABLE, stale_state: DOWN}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    stale_state: DWON\n"
	    "    timeout_state: up\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_service_given_a_host_state_by_a_template_is_told)
{
	static const char *const want[] = {
		"conf.d/a.yaml:8:7: service \"h/s\": timeout_state: \"DOWN\" (at "
		    "conf.d/a.yaml:2:26) is a host state (expected OK, WARNING, "
		    "CRITICAL, UNKNOWN or 0-3)",
		"conf.d/a.yaml:8:7: service \"h/s\": stale_state: \"up\" (at "
		    "conf.d/a.yaml:2:45) is a host state (expected OK, WARNING, "
		    "CRITICAL, UNKNOWN or 0-3)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  hosty: {timeout_state: DOWN, stale_state: up}\n"
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    use: hosty\n"
	    "    services:\n"
	    "      s: {use: hosty, command: c}\n"
	    "      t: {use: hosty, command: c, timeout_state: 2, stale_state: 3}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(stalking_and_flap_options_take_the_objects_own_states)
{
	static const char *const want[] = {
		"conf.d/a.yaml:5:34: service \"h/s\": stalking: \"down\" is not a state of a "
		    "service (expected ok, warning, critical, unknown)",
		"conf.d/a.yaml:6:52: service \"h/t\": flap_detection_options: \"sometimes\" is not "
		    "a state of a service (expected ok, warning, critical, unknown)",
		"conf.d/a.yaml:7:33: service \"h/u\": stalking: expected a list of states (ok, "
		    "warning, critical, unknown; up, down, unreachable for hosts) or all, got a map",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    services:\n"
	    "      s: {command: c, stalking: [down]}\n"
	    "      t: {command: c, flap_detection_options: [ok, sometimes]}\n"
	    "      u: {command: c, stalking: {a: b}}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(low_flap_threshold_below_high_is_checked_once_per_pair)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:34: template \"both-bad\": low_flap_threshold 40 "
		    "must be below high_flap_threshold 30 (at conf.d/a.yaml:2:59)",
		"conf.d/a.yaml:11:25: host \"h\": low_flap_threshold 30 must be "
		    "below high_flap_threshold 30 (the default)",
		"conf.d/a.yaml:13:44: service \"h/s1\": low_flap_threshold 50 must "
		    "be below high_flap_threshold 50 (at conf.d/a.yaml:13:69)",
		"conf.d/a.yaml:16:7: service \"h/s4\": low_flap_threshold 35 (at "
		    "conf.d/a.yaml:3:34) must be below high_flap_threshold 30 (the "
		    "default)",
		"conf.d/a.yaml:17:7: service \"h/s5\": low_flap_threshold 35 (at "
		    "conf.d/a.yaml:3:34) must be below high_flap_threshold 10 (at "
		    "conf.d/a.yaml:4:36)",
		"conf.d/a.yaml:20:60: service \"h/s8\": low_flap_threshold 40 (at "
		    "conf.d/a.yaml:2:34) must be below high_flap_threshold 20",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  both-bad: {low_flap_threshold: 40, high_flap_threshold: 30}\n"
	    "  low-only: {low_flap_threshold: 35}\n"
	    "  high-only: {high_flap_threshold: 10}\n"
	    "  via: {use: both-bad}\n"
	    "  fine: {low_flap_threshold: 40, high_flap_threshold: 45}\n"
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    low_flap_threshold: 30\n"
	    "    services:\n"
	    "      s1: {command: c, low_flap_threshold: 50, high_flap_threshold: 50}\n"
	    "      s2: {command: c, use: both-bad}\n"
	    "      s3: {command: c, use: via}\n"
	    "      s4: {command: c, use: low-only}\n"
	    "      s5: {command: c, use: [low-only, high-only]}\n"
	    "      s6: {command: c, use: low-only, high_flap_threshold: 36}\n"
	    "      s7: {command: c, use: both-bad, high_flap_threshold: 45}\n"
	    "      s8: {command: c, use: both-bad, high_flap_threshold: 20}\n"
	    "      s9: {command: c, use: fine}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(quorum_defaults_to_one_and_comes_with_the_pools_from_templates)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "templates:\n"
	    "  everywhere: {pools: [eu-1, eu-2, us-1], quorum: 2}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    pools: [x, y]\n"
	    "    quorum: 2\n"
	    "    services:\n"
	    "      one: {command: c}\n"
	    "      any: {command: c, pools: [a, b, c]}\n"
	    "      all: {command: c, pools: [a, b, c], quorum: 3}\n"
	    "      tmpl: {command: c, use: everywhere}\n"
	    "      mine: {command: c, use: everywhere, quorum: 1}\n");
	cfg = load(0);
	c = find_check(cfg, "h", NULL);
	ck_assert_uint_eq(c->npools, 2);
	ck_assert_int_eq(c->quorum, 2);
	c = find_check(cfg, "h", "one");
	ck_assert_uint_eq(c->npools, 1);
	ck_assert_int_eq(c->quorum, 1);
	c = find_check(cfg, "h", "any");
	ck_assert_uint_eq(c->npools, 3);
	ck_assert_int_eq(c->quorum, 1);	/* any location failing fails it */
	c = find_check(cfg, "h", "all");
	ck_assert_int_eq(c->quorum, 3);
	c = find_check(cfg, "h", "tmpl");
	ck_assert_uint_eq(c->npools, 3);
	ck_assert_str_eq(c->pools[2], "us-1");
	ck_assert_int_eq(c->quorum, 2);
	c = find_check(cfg, "h", "mine");
	ck_assert_uint_eq(c->npools, 3);
	ck_assert_int_eq(c->quorum, 1);
	config_free(cfg);
}
END_TEST

START_TEST(quorum_at_most_the_pools_is_checked_once_per_pair)
{
	static const char *const want[] = {
		"conf.d/a.yaml:22:36: service \"h/s10\": pools: \"b#\" is not a "
		    "pool name (expected letters, digits, '_', '.' and '-')",
		"conf.d/a.yaml:2:37: template \"both-bad\": quorum 3 must be "
		    "between 1 and the number of pools, 2 (at conf.d/a.yaml:2:21)",
		"conf.d/a.yaml:11:13: host \"h\": quorum 2 must be between 1 and "
		    "the number of pools, 1 (the default pool \"default\")",
		"conf.d/a.yaml:13:44: service \"h/s1\": quorum 2 must be between 1 "
		    "and the number of pools, 1 (at conf.d/a.yaml:13:31)",
		"conf.d/a.yaml:16:7: service \"h/s4\": quorum 3 (at "
		    "conf.d/a.yaml:4:25) must be between 1 and the number of pools, "
		    "1 (the default pool \"default\")",
		"conf.d/a.yaml:17:7: service \"h/s5\": quorum 3 (at "
		    "conf.d/a.yaml:4:25) must be between 1 and the number of pools, "
		    "2 (at conf.d/a.yaml:3:23)",
		"conf.d/a.yaml:20:46: service \"h/s8\": quorum 3 (at "
		    "conf.d/a.yaml:2:37) must be between 1 and the number of pools, 1",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  both-bad: {pools: [a, b], quorum: 3}\n"
	    "  pools-only: {pools: [a, b]}\n"
	    "  quorum-only: {quorum: 3}\n"
	    "  via: {use: both-bad}\n"
	    "  fine: {pools: [a, b, c], quorum: 3}\n"
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    quorum: 2\n"
	    "    services:\n"
	    "      s1: {command: c, pools: [a], quorum: 2}\n"
	    "      s2: {command: c, use: both-bad}\n"
	    "      s3: {command: c, use: via}\n"
	    "      s4: {command: c, use: quorum-only}\n"
	    "      s5: {command: c, use: [quorum-only, pools-only]}\n"
	    "      s6: {command: c, use: quorum-only, pools: [a, b, c]}\n"
	    "      s7: {command: c, use: both-bad, pools: [a, b, c]}\n"
	    "      s8: {command: c, use: both-bad, pools: [a]}\n"
	    "      s9: {command: c, use: fine}\n"
	    "      s10: {command: c, pools: [a, \"b#\"], quorum: 3}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(an_unknown_check_period_is_named_once_with_a_suggestion)
{
	static const char *const want[] = {
		"conf.d/a.yaml:4:21: template \"t\": check_period: timeperiod "
		    "\"wrokhours\" is not defined (did you mean \"workhours\"?)",
		"conf.d/a.yaml:10:37: service \"h/s\": check_period: timeperiod "
		    "\"24x8\" is not defined (did you mean \"24x7\"?)",
		"conf.d/a.yaml:12:37: service \"h/u\": check_period: timeperiod "
		    "\"nights\" is not defined",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  workhours: {monday: \"09:00-17:00\"}\n"
	    "templates:\n"
	    "  t: {check_period: wrokhours}\n"
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    use: t\n"
	    "    services:\n"
	    "      s: {command: c, check_period: 24x8}\n"
	    "      t: {command: c, use: t}\n"
	    "      u: {command: c, check_period: nights}\n");
	put("conf.d/b.yaml",
	    "timeperiods:\n"
	    "  24x7: {all: \"00:00-24:00\"}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

static Suite *
config_checks_suite(void)
{
	Suite *s = suite_create("config_checks");
	TCase *tc;

	tc = tcase_create("templates");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, object_keys_win_over_templates);
	tcase_add_test(tc, first_template_in_use_that_sets_a_key_wins);
	tcase_add_test(tc, use_chains_are_followed_depth_first);
	tcase_add_test(tc, vars_merge_one_by_one_through_templates);
	tcase_add_test(tc, host_keys_come_from_templates_too);
	tcase_add_test(tc, a_template_problem_is_reported_once_at_the_template);
	suite_add_tcase(s, tc);

	tc = tcase_create("services");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inline_and_standalone_services_in_file_order);
	tcase_add_test(tc, the_same_description_on_two_hosts_is_fine);
	suite_add_tcase(s, tc);

	tc = tcase_create("defaults");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults_for_services_and_host_checks);
	tcase_add_test(tc, commands_keep_their_argv_as_written);
	suite_add_tcase(s, tc);

	tc = tcase_create("argv_expansion");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_check_macro_expands);
	tcase_add_test(tc, args_may_hold_other_macros_expanded_once);
	tcase_add_test(tc, user_macros_are_left_to_the_workers_with_their_places);
	tcase_add_loop_test(tc, hostile_values_stay_one_literal_argument, 0,
	    N(hostile));
	tcase_add_test(tc, hostile_values_in_a_host_check_stay_one_literal_argument);
	tcase_add_test(tc, a_single_dollar_in_an_arg_is_an_error_not_a_command);
	tcase_add_test(tc, many_hosts_and_services_load);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_keys");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, new_check_keys_default_as_nagios);
	tcase_add_test(tc, every_new_check_key_is_read);
	tcase_add_loop_test(tc, state_names_in_any_case_and_numbers_are_read, 0,
	    N(state_cases));
	tcase_add_test(tc, new_check_keys_come_from_templates);
	tcase_add_loop_test(tc, bad_new_check_key_values_name_the_place, 0,
	    N(new_key_cases));
	tcase_add_test(tc, hosts_and_templates_take_up_and_down_but_not_unreachable);
	tcase_add_test(tc, a_service_given_a_host_state_by_a_template_is_told);
	tcase_add_test(tc, stalking_and_flap_options_take_the_objects_own_states);
	tcase_add_test(tc, low_flap_threshold_below_high_is_checked_once_per_pair);
	tcase_add_test(tc, quorum_defaults_to_one_and_comes_with_the_pools_from_templates);
	tcase_add_test(tc, quorum_at_most_the_pools_is_checked_once_per_pair);
	tcase_add_test(tc, an_unknown_check_period_is_named_once_with_a_suggestion);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_checks_suite());
}
