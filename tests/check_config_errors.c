/*
 * NAME
 *	check_config_errors - unit tests of the loader's errors (lib/config/values.c, load.c, objects.c, commands.c, argv.c)
 * DESCRIPTION
 *	Every error with its exact file:line:column: duplicate names and keys,
 *	unknown keys with suggestions, wrong values and node types, commands,
 *	macros, YAML syntax, the resource file, parent loops, template cycles,
 *	several files.
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

/* ---- errors, with their exact file:line:column ------------------------ */

static const char ping_cmd[] =
    "commands:\n"
    "  ping: [/bin/ping, $HOSTADDRESS$]\n";

/* YAML nested past CONFIG_YAML_DEPTH (64) is refused where it crosses,
 * before the document is loaded (libyaml's loader is quadratic in the
 * depth: 100,000 levels took most of a minute). */
START_TEST(yaml_nested_past_64_levels_is_refused_where_it_crosses)
{
	struct strbuf b = { 0 };
	struct config *cfg;

	/* (an apostrophe in a plain scalar is no quote: the brackets after
	 * it are still counted) */
	strbuf_adds(&b, "hosts:\n  h:\n    alias: it's\n    vars:\n      x: ");
	for (int i = 0; i < 100000; i++)
		strbuf_add(&b, "[", 1);
	for (int i = 0; i < 100000; i++)
		strbuf_add(&b, "]", 1);
	strbuf_add(&b, "\n", 1);
	put("conf.d/a.yaml", b.s);
	cfg = load(-1);
	/* the root map, hosts, h, vars: 4; then 61 lists more make 65 */
	expect_only_error(cfg, "conf.d/a.yaml:5:70: YAML nested more than 64 levels deep");
	config_free(cfg);
	free(b.s);
}
END_TEST

/* A chain of use: longer than CONFIG_TEMPLATE_DEPTH (64) is refused with
 * one error where it crosses, however long it is; 64 is taken. */
START_TEST(a_template_chain_past_64_is_refused_once)
{
	for (int n = 64; n <= 20000; n = n == 64 ? 65 : 20000) {
		struct strbuf b = { 0 };
		struct config *cfg;
		char line[128];

		strbuf_adds(&b, "commands: {c: [/bin/true]}\ntemplates:\n  t1: {interval: 1m}\n");
		for (int i = 2; i <= n; i++) {
			snprintf(line, sizeof(line), "  t%d: {use: [t%d]}\n", i, i - 1);
			strbuf_adds(&b, line);
		}
		snprintf(line, sizeof(line), "hosts:\n  h: {check: c, use: [t%d]}\n", n);
		strbuf_adds(&b, line);
		put("conf.d/a.yaml", b.s);
		if (n == 64) {
			cfg = load(0);
			ck_assert_int_eq(find_check(cfg, "h", NULL)->interval, 60);
		} else {
			cfg = load(-1);
			expect_only_error(cfg, "conf.d/a.yaml:67:3: template \"t65\": use: templates "
			    "chained more than 64 deep");
		}
		config_free(cfg);
		free(b.s);
		if (n == 20000)
			break;
	}
}
END_TEST

START_TEST(duplicate_host_names_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5\n");
	put("conf.d/b.yaml",
	    "hosts:\n"
	    "  db-01: {}\n"
	    "  web-01:\n"
	    "    address: 10.0.0.6\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/b.yaml:3:3: host \"web-01\" is defined "
	    "twice (first at conf.d/a.yaml:2:3)");
	config_free(cfg);
}
END_TEST

START_TEST(duplicate_names_in_one_map_are_errors)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:3: command \"ping\" is defined twice (first at "
		    "conf.d/a.yaml:2:3)",
		"conf.d/a.yaml:6:3: template \"t\" is defined twice (first at "
		    "conf.d/a.yaml:5:3)",
		"conf.d/a.yaml:9:3: host \"h\" is defined twice (first at "
		    "conf.d/a.yaml:8:3)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  ping: [/bin/ping]\n"
	    "  ping: [/bin/ping6]\n"
	    "templates:\n"
	    "  t: {}\n"
	    "  t: {}\n"
	    "hosts:\n"
	    "  h: {}\n"
	    "  h: {}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(duplicate_keys_inside_an_object_are_errors)
{
	static const char *const want[] = {
		"conf.d/a.yaml:4:5: host \"h\": key \"address\" is given twice "
		    "(first at conf.d/a.yaml:3:5)",
		"conf.d/a.yaml:6:5: host \"h\": check: \"command\" and \"check\" "
		    "are the same key; give one",
		"conf.d/a.yaml:7:1: key \"hosts\" is given twice (first at "
		    "conf.d/a.yaml:1:1)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  h:\n"
	    "    address: 10.0.0.1\n"
	    "    address: 10.0.0.2\n"
	    "    command: ping\n"
	    "    check: ping\n"
	    "hosts:\n"
	    "  h2: {}\n");
	put("conf.d/b.yaml", ping_cmd);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(duplicate_service_inline_and_standalone_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  ssh: [/bin/check_ssh]\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    services:\n"
	    "      ssh: {command: ssh}\n");
	put("conf.d/b.yaml",
	    "services:\n"
	    "  ssh-on-web:\n"
	    "    host: web-01\n"
	    "    name: ssh\n"
	    "    command: ssh\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/b.yaml:2:3: service \"web-01/ssh\" is "
	    "defined twice (first at conf.d/a.yaml:6:7)");
	config_free(cfg);
}
END_TEST

START_TEST(unknown_key_suggests_the_nearest_known_key)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:5: host \"web-01\": unknown key \"adress\" (did "
		    "you mean \"address\"?)",
		"conf.d/a.yaml:6:9: service \"web-01/http\": unknown key "
		    "\"intreval\" (did you mean \"interval\"?)",
		"conf.d/a.yaml:7:9: service \"web-01/http\": unknown key "
		    "\"retry\"",
		"conf.d/a.yaml:8:9: service \"web-01/http\": unknown key "
		    "\"max_attempt\" (did you mean \"max_attempts\"?)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    adress: 10.0.0.5\n"
	    "    services:\n"
	    "      http:\n"
	    "        intreval: 5m\n"
	    "        retry: 1m\n"
	    "        max_attempt: 3\n"
	    "        command: ping\n");
	put("conf.d/b.yaml", ping_cmd);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(keys_of_another_kind_of_object_are_refused)
{
	static const char *const want[] = {
		"conf.d/a.yaml:5:9: service \"h/s\": key \"address\" does not "
		    "apply to a service defined under its host",
		"conf.d/a.yaml:6:9: service \"h/s\": key \"host\" does not apply "
		    "to a service defined under its host",
		"conf.d/a.yaml:9:5: template \"t\": key \"services\" does not "
		    "apply to a template",
		"conf.d/a.yaml:13:5: service \"h/x\": key \"parents\" does not "
		    "apply to a service",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  h:\n"
	    "    services:\n"
	    "      s:\n"
	    "        address: 1.2.3.4\n"
	    "        host: h\n"
	    "templates:\n"
	    "  t:\n"
	    "    services: {}\n"
	    "services:\n"
	    "  x:\n"
	    "    host: h\n"
	    "    parents: [h]\n");
	cfg = load(-1);
	/* and s, x have no command: two more errors after these */
	ck_assert_msg(cfg->nerrors == N(want) + 2, "%s", errors_text(cfg));
	expect_error(cfg, want[0]);
	expect_error(cfg, want[1]);
	expect_error(cfg, want[2]);
	expect_error(cfg, want[3]);
	config_free(cfg);
}
END_TEST

START_TEST(bad_duration_says_what_is_expected)
{
	static const char *const want[] = {
		"conf.d/a.yaml:6:19: service \"web-01/http\": interval: \"5x\" is "
		    "not a duration (expected 30s, 5m, 1h, 1d or a number of "
		    "seconds)",
		"conf.d/a.yaml:7:25: service \"web-01/http\": retry_interval: "
		    "\"0\" must be more than 0 seconds",
		"conf.d/a.yaml:8:18: service \"web-01/http\": timeout: \"-1\" is "
		    "not a duration (expected 30s, 5m, 1h, 1d or a number of "
		    "seconds)",
		"conf.d/a.yaml:9:23: service \"web-01/http\": max_attempts: "
		    "\"0\" is not a whole number >= 1",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    services:\n"
	    "      http:\n"
	    "        command: ping\n"
	    "        interval: 5x\n"
	    "        retry_interval: 0\n"
	    "        timeout: -1\n"
	    "        max_attempts: 0\n");
	put("conf.d/b.yaml", ping_cmd);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(missing_command_is_named)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:12: host \"web-01\": command \"pnig\" is not "
		    "defined",
		"conf.d/a.yaml:6:19: service \"web-01/http\": command \"htp\" is "
		    "not defined",
		"conf.d/a.yaml:7:7: service \"web-01/disk\": command: missing "
		    "(expected command: NAME or command: [NAME, ARG1, ...])",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: pnig\n"
	    "    services:\n"
	    "      http:\n"
	    "        command: [htp, /health]\n"
	    "      disk:\n"
	    "        interval: 5m\n");
	put("conf.d/b.yaml", ping_cmd);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(command_definitions_are_checked)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:3: command \"a\": argv: missing (expected a list "
		    "like [$PLUGINDIR$/check_ping, -H, $HOSTADDRESS$])",
		"conf.d/a.yaml:3:13: command \"b\": argv: expected at least the "
		    "plugin to run",
		"conf.d/a.yaml:4:6: command \"c\": expected {argv: [...]} or a "
		    "list of arguments, got a string",
		"conf.d/a.yaml:5:15: command \"d\": argv: expected a string, got "
		    "a map",
		"conf.d/a.yaml:6:27: command \"e\": timeout: \"soon\" is not a "
		    "duration (expected 30s, 5m, 1h, 1d or a number of seconds)",
		"conf.d/a.yaml:7:3: command \"f g\": name may not contain '/', "
		    "whitespace or '$'",
		"conf.d/a.yaml:8:7: command \"h\": unknown key \"agv\" (did you "
		    "mean \"argv\"?)",
		"conf.d/a.yaml:9:14: command \"i\": argv: the plugin (first "
		    "element) must not be empty",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  a: {timeout: 5s}\n"
	    "  b: {argv: []}\n"
	    "  c: /bin/true\n"
	    "  d: [/bin/x, {k: v}]\n"
	    "  e: {argv: [x], timeout: soon}\n"
	    "  f g: [/bin/x]\n"
	    "  h: {agv: [/bin/x]}\n"
	    "  i: {argv: [\"\"]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_broken_command_is_reported_once_not_per_check)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: {argv: [/bin/x], timeout: 0}\n"
	    "hosts:\n"
	    "  h1: {check: c}\n"
	    "  h2: {check: c}\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/a.yaml:2:32: command \"c\": timeout: "
	    "\"0\" must be more than 0 seconds");
	config_free(cfg);
}
END_TEST

START_TEST(unknown_macro_names_the_check_and_the_argument)
{
	static const char *const want[] = {
		"conf.d/a.yaml:5:3: host \"web-01\": command \"http\" argv[2] "
		    "\"-H$HOSTADRESS$\": unknown macro $HOSTADRESS$",
		"conf.d/a.yaml:8:7: service \"web-01/http\": command \"http\" "
		    "argv[2] \"-H$HOSTADRESS$\": unknown macro $HOSTADRESS$",
		"conf.d/a.yaml:9:7: service \"web-01/args\": $ARG2$ "
		    "\"x$FOO$\": unknown macro $FOO$",
		"conf.d/a.yaml:10:7: service \"web-01/unterm\": command \"ok\" "
		    "argv[1] \"$ARG1$\": unknown macro $ARG1$",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  http: [/bin/check_http, -u, -H$HOSTADRESS$]\n"
	    "  ok: [/bin/check_ok, $ARG1$]\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: http\n"
	    "    services:\n"
	    "      http: {command: http}\n"
	    "      args: {command: [ok, a, x$FOO$]}\n"
	    "      unterm: {command: [ok, $ARG1$]}\n");
	cfg = load(-1);
	/* the last one: an ARG may not use $ARGn$; say that, not "unknown" */
	ck_assert_msg(cfg->nerrors == 4, "%s", errors_text(cfg));
	expect_error(cfg, want[0]);
	expect_error(cfg, want[1]);
	expect_error(cfg, want[2]);
	expect_error(cfg, "conf.d/a.yaml:10:7: service \"web-01/unterm\": "
	    "$ARG1$ \"$ARG1$\": macro $ARG1$ cannot be used inside $ARG1$");
	config_free(cfg);
}
END_TEST

static const struct {
	const char *arg;
	const char *err;
} macro_error_cases[] = {
	{ "$FOO$", "unknown macro $FOO$" },
	{ "$hostname$", "unknown macro $hostname$" },
	{ "$HOSTNAME", "unterminated macro at \"$HOSTNAME\"" },
	{ "50$", "unterminated macro at \"$\"" },
	{ "$HOSTSTATE$", "macro $HOSTSTATE$ is not available in check "
	    "commands (an event_handler has it)" },
	{ "$SERVICESTATE$", "macro $SERVICESTATE$ is not available in check "
	    "commands (an event_handler has it)" },
	{ "$SERVICEOUTPUT$", "macro $SERVICEOUTPUT$ is not available in check "
	    "commands (an event_handler has it)" },
	{ "$LONGHOSTOUTPUT$", "macro $LONGHOSTOUTPUT$ is not available in "
	    "check commands yet" },
	{ "$LASTSERVICESTATECHANGE$", "macro $LASTSERVICESTATECHANGE$ is not "
	    "available in check commands yet" },
	{ "$NOTIFICATIONTYPE$", "macro $NOTIFICATIONTYPE$ is not available in "
	    "check commands yet" },
	{ "$CONTACTEMAIL$", "macro $CONTACTEMAIL$ is not available in check "
	    "commands yet" },
	{ "$TIMET$", "macro $TIMET$ is not available in check commands "
	    "(an event_handler has it)" },
	{ "$LONGDATETIME$", "macro $LONGDATETIME$ is not available in check "
	    "commands yet" },
	{ "$_HOSTNOPE$", "unknown macro $_HOSTNOPE$ (host \"h\" has no var "
	    "\"NOPE\" in vars)" },
	{ "$_SERVICENOPE$", "unknown macro $_SERVICENOPE$ (the service has no "
	    "var \"NOPE\" in vars)" },
	{ "$USER0$", "unknown macro $USER0$" },
	{ "$USER257$", "unknown macro $USER257$" },
	{ "$ARG0$", "unknown macro $ARG0$" },
};

START_TEST(macro_error_table)
{
	struct config *cfg;
	char *yaml, *want;

	yaml = xasprintf(
	    "commands:\n"
	    "  c: [/bin/c, '%s']\n"
	    "hosts:\n"
	    "  h:\n"
	    "    services:\n"
	    "      s: {command: c}\n", macro_error_cases[_i].arg);
	put("conf.d/a.yaml", yaml);
	cfg = load(-1);
	want = xasprintf("conf.d/a.yaml:6:7: service \"h/s\": command \"c\" "
	    "argv[1] \"%s\": %s", macro_error_cases[_i].arg,
	    macro_error_cases[_i].err);
	expect_only_error(cfg, want);
	free(yaml);
	free(want);
	config_free(cfg);
}
END_TEST

START_TEST(service_macros_are_errors_in_a_host_check)
{
	static const char *const want[] = {
		"conf.d/a.yaml:5:3: host \"h\": command \"c\" argv[1] "
		    "\"$SERVICEDESC$\": macro $SERVICEDESC$ is not available in a "
		    "host check",
		"conf.d/a.yaml:5:3: host \"h\": command \"c\" argv[2] "
		    "\"$_SERVICEX$\": macro $_SERVICEX$ is not available in a host "
		    "check",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $SERVICEDESC$, $_SERVICEX$]\n"
	    "hosts:\n"
	    "  ok: {services: {s: {command: c, vars: {x: 1}}}}\n"
	    "  h: {check: c}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(yaml_syntax_error_gives_the_problem_mark)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5: 80\n");
	put("conf.d/b.yaml",
	    "hosts:\n"
	    "  db-01:\n"
	    "    address: [10.0.0.6\n"
	    "  db-02: {}\n");
	put("conf.d/c.yaml",
	    "hosts:\n"
	    "\tweb-02: {}\n");
	cfg = load(-1);
	ck_assert_msg(cfg->nerrors == 3, "%s", errors_text(cfg));
	expect_error(cfg, "conf.d/a.yaml:3:22: YAML syntax error: mapping "
	    "values are not allowed in this context");
	expect_error(cfg, "conf.d/b.yaml:4:8: YAML syntax error: did not find "
	    "expected ',' or ']' (while parsing a flow sequence at line 3, "
	    "column 14)");
	expect_error(cfg, "conf.d/c.yaml:2:1: YAML syntax error: found "
	    "character that cannot start any token (while scanning for the "
	    "next token at line 2, column 1)");
	config_free(cfg);
}
END_TEST

START_TEST(syntax_error_in_a_second_document_is_found)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:1: a second YAML document: put everything in one "
		    "(remove the \"---\" line)",
		"conf.d/b.yaml:4:7: YAML syntax error: mapping values are not "
		    "allowed in this context",
	};
	struct config *cfg;

	put("conf.d/a.yaml", "hosts: {a: {}}\n---\nhosts: {b: {}}\n");
	put("conf.d/b.yaml", "hosts: {c: {}}\n---\nhosts:\n  d: e: f\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(unknown_top_level_keys_name_the_known_ones)
{
	/* Every documented section is supported: no error for those. */
	static const char *const want[] = {
		"conf.d/a.yaml:5:1: unknown top-level key \"host\" (expected "
		    "commands, templates, hosts, services, groups, timeperiods, "
		    "contacts, contact_groups, apply, dependencies)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "groups: {web: {}}\n"
	    "contacts: {alice: {email: alice@example.org}}\n"
	    "contact_groups: {ops: {}}\n"
	    "timeperiods: {24x7: {}}\n"
	    "host: {a: {}}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    groups: [web]\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(unknown_parent_own_parent_and_parent_loops)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:26: host \"web-01\": parents: host \"core-sw-9\" "
		    "is not defined",
		"conf.d/a.yaml:5:19: host \"self\": parents: a host cannot be its "
		    "own parent",
		"conf.d/a.yaml:8:3: host \"b\": parents: loop in the parent chain "
		    "\"a\" -> \"b\" -> \"a\"",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    parents: [core-sw-1, core-sw-9]\n"
	    "  core-sw-1: {}\n"
	    "  self: {parents: self}\n"
	    "  a:\n"
	    "    parents: [b]\n"
	    "  b:\n"
	    "    parents: [a]\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(template_cycle_names_the_templates)
{
	static const char *const want[] = {
		"conf.d/a.yaml:6:11: template \"c\": use: template cycle \"a\" -> "
		    "\"b\" -> \"c\" -> \"a\"",
		"conf.d/a.yaml:7:13: template \"me\": use: template cycle \"me\" "
		    "-> \"me\"",
		"conf.d/a.yaml:10:13: host \"h\": use: template \"nope\" is not "
		    "defined",
		"conf.d/a.yaml:8:26: template \"u\": use: template \"missing\" is "
		    "not defined",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  a:\n"
	    "    use: b\n"
	    "  b: {use: [c]}\n"
	    "  c:\n"
	    "    use: [a]\n"
	    "  me: {use: me}\n"
	    "  u: {interval: 1m, use: missing}\n"
	    "hosts:\n"
	    "  h: {use: [nope, u]}\n");
	cfg = load(-1);
	/* templates are resolved first, in order; hosts after */
	ck_assert_msg(cfg->nerrors == 4, "%s", errors_text(cfg));
	expect_error(cfg, want[0]);
	expect_error(cfg, want[1]);
	expect_error(cfg, want[2]);
	expect_error(cfg, want[3]);
	config_free(cfg);
}
END_TEST

static const struct {
	mode_t mode;
	const char *err;
} resource_mode_cases[] = {
	{ 0644, "res.yaml: resource file is readable by group or others "
	    "(mode 0644); chmod 600 it" },
	{ 0640, "res.yaml: resource file is readable by group or others "
	    "(mode 0640); chmod 600 it" },
	{ 0604, "res.yaml: resource file is readable by group or others "
	    "(mode 0604); chmod 600 it" },
	{ 0610, "res.yaml: resource file is readable by group or others "
	    "(mode 0610); chmod 600 it" },
	{ 0600, NULL },
	{ 0400, NULL },
};

START_TEST(group_or_world_readable_resource_file_is_refused)
{
	struct config *cfg;

	put("vigil.yaml", "resource_file: res.yaml\n");
	put("res.yaml", "USER1: s3cret\n");
	ck_assert_int_eq(chmod("res.yaml", resource_mode_cases[_i].mode), 0);
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, -p, $USER1$]\n"
	    "hosts:\n"
	    "  h: {check: c}\n");
	if (resource_mode_cases[_i].err == NULL) {
		cfg = load(0);
		ck_assert_str_eq(find_check(cfg, "h", NULL)->argv[2], "$USER1$");
		ck_assert_str_eq(find_check(cfg, "h", NULL)->users, "2:0:1");
	} else {
		/* refused: said once, not again for every $USER1$ */
		cfg = load(-1);
		expect_only_error(cfg, resource_mode_cases[_i].err);
	}
	config_free(cfg);
}
END_TEST

START_TEST(resource_file_problems_are_reported)
{
	static const char *const want[] = {
		"res.yaml:2:1: unknown key \"PASSWORD\" (expected USER1 ... USER256)",
		"res.yaml:3:1: unknown key \"USER257\" (expected USER1 ... USER256)",
		"res.yaml:4:1: key \"USER1\" is given twice (first at res.yaml:1:1)",
		"res.yaml:5:8: USER2: expected a string, got a list",
		("conf.d/a.yaml:4:3: host \"h\": command \"c\" argv[2] "
		    "\"$USER3$\": macro $USER3$ is not set in the resource file "
		    "res.yaml"),
	};
	struct config *cfg;

	put("vigil.yaml", "resource_file: res.yaml\n");
	put("res.yaml",
	    "USER1: a\n"
	    "PASSWORD: b\n"
	    "USER257: c\n"
	    "USER1: d\n"
	    "USER2: [e]\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $USER1$, $USER3$]\n"
	    "hosts:\n"
	    "  h: {check: c}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(missing_resource_file_is_reported_once)
{
	struct config *cfg;

	put("vigil.yaml", "resource_file: /nonexistent/res.yaml\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $USER1$]\n"
	    "hosts:\n"
	    "  h: {check: c}\n");
	cfg = load(-1);
	expect_only_error(cfg, "/nonexistent/res.yaml: cannot read: No such "
	    "file or directory");
	config_free(cfg);
}
END_TEST

START_TEST(all_errors_of_a_file_are_reported)
{
	static const char *const want[] = {
		"conf.d/a.yaml:4:15: host \"web-01\": interval: \"often\" is not a "
		    "duration (expected 30s, 5m, 1h, 1d or a number of seconds)",
		"conf.d/a.yaml:5:13: host \"web-01\": active: \"maybe\" is not a "
		    "boolean (expected true or false)",
		"conf.d/a.yaml:6:13: host \"web-01\": quorum: \"-2\" is not a "
		    "whole number >= 1",
		"conf.d/a.yaml:9:23: service \"web-01/http\": pools: \"eu#1\" is "
		    "not a pool name (expected letters, digits, '_', '.' and '-')",
		"conf.d/a.yaml:10:3: host \"db 01\": name may not contain '/', "
		    "whitespace or '$'",
		"conf.d/a.yaml:11:3: host name must not be empty",
		"conf.d/a.yaml:3:12: host \"web-01\": command \"nope\" is not "
		    "defined",
		"conf.d/a.yaml:8:7: service \"web-01/http\": command: missing "
		    "(expected command: NAME or command: [NAME, ARG1, ...])",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: nope\n"
	    "    interval: often\n"
	    "    active: maybe\n"
	    "    quorum: -2\n"
	    "    services:\n"
	    "      http:\n"
	    "        pools: [eu-1, eu#1]\n"
	    "  db 01: {}\n"
	    "  \"\": {}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(errors_in_several_files_are_all_reported_in_path_order)
{
	static const char *const want[] = {
		"conf.d/a.yaml:1:8: hosts: expected a map of host name to host "
		    "settings, got a list",
		"conf.d/sub/b.yaml:2:3: host \"x/y\": name may not contain '/', "
		    "whitespace or '$'",
		"conf.d/z.yml:1:1: unknown top-level key \"hots\" (expected "
		    "commands, templates, hosts, services, groups, timeperiods, "
		    "contacts, contact_groups, apply, dependencies)",
	};
	struct config *cfg;

	put("conf.d/z.yml", "hots: {}\n");
	put("conf.d/sub/b.yaml", "hosts:\n  x/y: {}\n");
	put("conf.d/a.yaml", "hosts: [a]\n");
	put("conf.d/notes.txt", "hosts: [ignored\n");
	put("conf.d/.hidden.yaml", "hosts: [ignored\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(symlinks_in_conf_d_are_followed_once)
{
	static const char *const want[] = {
		"conf.d/dangling.yaml: cannot read: No such file or directory",
	};
	struct config *cfg;

	put("conf.d/sub/a.yaml", "hosts:\n  h1: {}\n");
	put("shared/b.yaml", "hosts:\n  h2: {}\n");
	ck_assert_int_eq(symlink("..", "conf.d/sub/loop"), 0);
	ck_assert_int_eq(symlink("../shared", "conf.d/shared"), 0);
	ck_assert_int_eq(symlink("/nonexistent/x", "conf.d/dangling.yaml"), 0);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	ck_assert_uint_eq(cfg->nhosts, 2);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *yaml;
	const char *err;
} type_cases[] = {
	{ "hosts: [a, b]\n",
	    "conf.d/a.yaml:1:8: hosts: expected a map of host name to host "
	    "settings, got a list" },
	{ "hosts: web-01\n",
	    "conf.d/a.yaml:1:8: hosts: expected a map of host name to host "
	    "settings, got a string" },
	{ "hosts:\n  h: [a]\n",
	    "conf.d/a.yaml:2:6: host \"h\": expected a map of settings, got a "
	    "list" },
	{ "hosts:\n  h:\n    parents: {a: b}\n",
	    "conf.d/a.yaml:3:14: host \"h\": parents: expected a list of host "
	    "names, got a map" },
	{ "hosts:\n  h:\n    parents: [[a]]\n",
	    "conf.d/a.yaml:3:15: host \"h\": parents: expected a string, got a "
	    "list" },
	{ "hosts:\n  h:\n    vars: [a]\n",
	    "conf.d/a.yaml:3:11: host \"h\": vars: expected a map of name: "
	    "value, got a list" },
	{ "hosts:\n  h:\n    vars: {a: [1]}\n",
	    "conf.d/a.yaml:3:15: host \"h\": vars: a: expected a string, got a "
	    "list" },
	{ "hosts:\n  h:\n    vars: {a b: 1}\n",
	    "conf.d/a.yaml:3:12: host \"h\": vars: \"a b\" is not a variable "
	    "name (no whitespace or '$')" },
	{ "hosts:\n  h:\n    vars: {env: a, ENV: b}\n",
	    "conf.d/a.yaml:3:20: host \"h\": vars: \"ENV\" is given twice "
	    "(first at conf.d/a.yaml:3:12; names ignore case)" },
	{ "hosts:\n  h:\n    check: {a: b}\n",
	    "conf.d/a.yaml:3:12: host \"h\": check: expected a command name or "
	    "a list [name, arg1, arg2 ...], got a map" },
	{ "hosts:\n  h:\n    check: []\n",
	    "conf.d/a.yaml:3:12: host \"h\": check: expected a command name or "
	    "a list [name, arg1, arg2 ...], got an empty list" },
	{ "hosts:\n  h:\n    check: [ping, {a: 1}]\n",
	    "conf.d/a.yaml:3:19: host \"h\": check: $ARG1$: expected a string, "
	    "got a map" },
	{ "hosts:\n  h:\n    services: [a]\n",
	    "conf.d/a.yaml:3:15: host \"h\": services: expected a map of "
	    "service name to service settings, got a list" },
	{ "hosts:\n  h:\n    pools: {a: 1}\n",
	    "conf.d/a.yaml:3:12: host \"h\": pools: expected a list of pool "
	    "names, got a map" },
	{ "hosts:\n  h:\n    pools: []\n",
	    "conf.d/a.yaml:3:12: host \"h\": pools: expected at least one pool "
	    "name" },
	{ "hosts:\n  h:\n    pools: [a, a]\n",
	    "conf.d/a.yaml:3:16: host \"h\": pools: \"a\" is listed twice" },
	{ "hosts:\n  h:\n    pools: [\"a*\"]\n",
	    "conf.d/a.yaml:3:13: host \"h\": pools: \"a*\" is not a pool name "
	    "(expected letters, digits, '_', '.' and '-')" },
	{ "hosts:\n  h:\n    pools: [\"\"]\n",
	    "conf.d/a.yaml:3:13: host \"h\": pools: must not be empty" },
	{ "hosts:\n  h:\n    address: {a: 1}\n",
	    "conf.d/a.yaml:3:14: host \"h\": address: expected a string, got a "
	    "map" },
	{ "hosts:\n  h:\n    address:\n",
	    "conf.d/a.yaml:3:13: host \"h\": address: expected a string, got "
	    "nothing" },
	{ "hosts:\n  h:\n    passive: 2\n",
	    "conf.d/a.yaml:3:14: host \"h\": passive: \"2\" is not a boolean "
	    "(expected true or false)" },
	{ "hosts:\n  h:\n    use: {a: 1}\n",
	    "conf.d/a.yaml:3:10: host \"h\": use: expected a template name or a "
	    "list of them, got a map" },
	{ "hosts:\n  ? [a]\n  : {}\n",
	    "conf.d/a.yaml:2:5: host names must be strings, got a list" },
	{ "hosts:\n  h:\n    ? [a]\n    : 1\n",
	    "conf.d/a.yaml:3:7: host \"h\": keys must be strings, got a list" },
	{ "hosts:\n  a$b: {}\n",
	    "conf.d/a.yaml:2:3: host \"a$b\": name may not contain '/', "
	    "whitespace or '$'" },
	{ "hosts:\n  \"a\\tb\": {}\n",
	    "conf.d/a.yaml:2:3: host \"a\\tb\": name may not contain control "
	    "characters" },
	{ "services:\n  s: [a]\n",
	    "conf.d/a.yaml:2:6: service \"s\": expected a map of settings, got "
	    "a list" },
	{ "services:\n  s:\n",
	    "conf.d/a.yaml:2:3: service \"s\": host: missing (expected the name "
	    "of the host it runs on)" },
	{ "services:\n  s: {host: nope, command: c}\n",
	    "conf.d/a.yaml:2:13: service \"nope/s\": host: host \"nope\" is not "
	    "defined" },
	{ "templates: [a]\n",
	    "conf.d/a.yaml:1:12: templates: expected a map of template name to "
	    "settings, got a list" },
	{ "templates:\n  t: 5\n",
	    "conf.d/a.yaml:2:6: template \"t\": expected a map of settings, got "
	    "a string" },
	{ "commands: [a]\n",
	    "conf.d/a.yaml:1:11: commands: expected a map of command name to "
	    "{argv: [...]}, got a list" },
	{ "[1, 2]\n",
	    "conf.d/a.yaml:1:1: expected a map with commands, templates, hosts, "
	    "services, groups, timeperiods, contacts, contact_groups, apply or dependencies, got a "
	    "list" },
	{ "hosts:\n  h: {address: \"a\\0b\"}\n",
	    "conf.d/a.yaml:2:16: host \"h\": address: contains a NUL character" },
	{ "hosts:\n  h: {address: *nope}\n",
	    "conf.d/a.yaml:2:16: YAML syntax error: found undefined alias" },
};

START_TEST(wrong_node_types_are_errors_not_crashes)
{
	struct config *cfg;

	put("conf.d/a.yaml", type_cases[_i].yaml);
	cfg = load(-1);
	if (cfg->nerrors != 1 || strcmp(cfg->errors[0], type_cases[_i].err) != 0)
		ck_abort_msg("input:\n%s\nwant:\n  %s\ngot:\n%s",
		    type_cases[_i].yaml, type_cases[_i].err, errors_text(cfg));
	config_free(cfg);
}
END_TEST

START_TEST(empty_files_and_sections_are_fine)
{
	struct config *cfg;

	put("conf.d/empty.yaml", "");
	put("conf.d/comment.yaml", "# nothing yet\n");
	put("conf.d/null.yaml", "hosts:\ncommands:\ntemplates: ~\nservices: {}\n");
	put("conf.d/h.yaml", "hosts:\n  bare:\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->nhosts, 1);
	ck_assert_str_eq(cfg->hosts[0].address, "bare");
	config_free(cfg);
}
END_TEST

static Suite *
config_errors_suite(void)
{
	Suite *s = suite_create("config_errors");
	TCase *tc;

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, duplicate_host_names_both_places);
	tcase_add_test(tc, yaml_nested_past_64_levels_is_refused_where_it_crosses);
	tcase_add_test(tc, a_template_chain_past_64_is_refused_once);
	tcase_add_test(tc, duplicate_names_in_one_map_are_errors);
	tcase_add_test(tc, duplicate_keys_inside_an_object_are_errors);
	tcase_add_test(tc, duplicate_service_inline_and_standalone_both_places);
	tcase_add_test(tc, unknown_key_suggests_the_nearest_known_key);
	tcase_add_test(tc, keys_of_another_kind_of_object_are_refused);
	tcase_add_test(tc, bad_duration_says_what_is_expected);
	tcase_add_test(tc, missing_command_is_named);
	tcase_add_test(tc, command_definitions_are_checked);
	tcase_add_test(tc, a_broken_command_is_reported_once_not_per_check);
	tcase_add_test(tc, unknown_macro_names_the_check_and_the_argument);
	tcase_add_loop_test(tc, macro_error_table, 0, N(macro_error_cases));
	tcase_add_test(tc, service_macros_are_errors_in_a_host_check);
	tcase_add_test(tc, yaml_syntax_error_gives_the_problem_mark);
	tcase_add_test(tc, syntax_error_in_a_second_document_is_found);
	tcase_add_test(tc, unknown_top_level_keys_name_the_known_ones);
	tcase_add_test(tc, unknown_parent_own_parent_and_parent_loops);
	tcase_add_test(tc, template_cycle_names_the_templates);
	tcase_add_loop_test(tc, group_or_world_readable_resource_file_is_refused,
	    0, N(resource_mode_cases));
	tcase_add_test(tc, resource_file_problems_are_reported);
	tcase_add_test(tc, missing_resource_file_is_reported_once);
	tcase_add_test(tc, all_errors_of_a_file_are_reported);
	tcase_add_test(tc, errors_in_several_files_are_all_reported_in_path_order);
	tcase_add_test(tc, symlinks_in_conf_d_are_followed_once);
	tcase_add_loop_test(tc, wrong_node_types_are_errors_not_crashes, 0,
	    N(type_cases));
	tcase_add_test(tc, empty_files_and_sections_are_fine);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_errors_suite());
}
