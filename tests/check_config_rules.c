/*
 * NAME
 *	check_config_rules - unit tests of apply rules (lib/config/rules.c)
 * DESCRIPTION
 *	A table of rules against one estate of hosts: which hosts each rule
 *	gives its service to (globs, groups with their subgroups and group
 *	patterns, var equality, globs, lists, presence, absence, not:);
 *	per-host values from vars and the rule's defaults; skip_apply on a
 *	host and through a template; what a rule's service takes from
 *	templates and its host; every error naming its places; 500 hosts
 *	from one rule. Fixtures: configtest.h.
 * DIAGNOSTICS
 *	Exit status 0 when every test passes; a failure prints the loader's
 *	errors.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "configtest.h"
#include "strbuf.h"
#include "testutil.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The estate every matching case runs against. */
static const char estate[] =
    "commands:\n"
    "  c: [/bin/c, $HOSTNAME$]\n"
    "groups:\n"
    "  web: {}\n"
    "  web-eu: {parents: [web], hosts: [\"eu-*\"]}\n"
    "  web-eu-fr: {parents: [web-eu]}\n"
    "  db: {}\n"
    "hosts:\n"
    "  web-01: {groups: [web], vars: {env: production, role: front}}\n"
    "  web-02: {groups: [web], vars: {env: staging, role: front, tls: \"no\"}}\n"
    "  eu-01: {vars: {env: production, role: edge}}\n"
    "  fr-01: {groups: [web-eu-fr], vars: {env: production}}\n"
    "  db-01: {groups: [db], vars: {env: production, role: db, tls: yes}}\n"
    "  lone: {}\n";

/* The hosts that get service "s", in definition order, space-separated. */
static const struct {
	const char *rule;	/* the rule's matching keys, one YAML line each */
	const char *hosts;
} match_cases[] = {
	{ "hosts: \"*\"", "web-01 web-02 eu-01 fr-01 db-01 lone" },
	{ "hosts: [\"web-*\", \"db-0[0-9]\"]", "web-01 web-02 db-01" },
	{ "hosts: \"web-01\"", "web-01" },
	/* web takes web-eu (by its pattern) and web-eu-fr under it */
	{ "groups: [web]", "web-01 web-02 eu-01 fr-01" },
	{ "groups: [web-eu]", "eu-01 fr-01" },
	{ "groups: [web-eu-fr, db]", "fr-01 db-01" },
	{ "vars: {env: production}", "web-01 eu-01 fr-01 db-01" },
	{ "vars: {role: \"fr*\"}", "web-01 web-02" },
	{ "vars: {role: [front, edge]}", "web-01 web-02 eu-01" },
	/* presence and absence; a quoted "true" is a value */
	{ "vars: {tls: true}", "web-02 db-01" },
	{ "vars: {tls: false}", "web-01 eu-01 fr-01 lone" },
	{ "vars: {tls: \"true\"}", "" },
	/* every key given must hold */
	{ "groups: [web]\n    vars: {env: production}", "web-01 eu-01 fr-01" },
	{ "hosts: \"*-01\"\n    vars: {env: production, role: front}", "web-01" },
	/* not: any key of it that holds leaves the host out */
	{ "hosts: \"*\"\n    not: {groups: [web]}", "db-01 lone" },
	{ "groups: [web]\n    not: {hosts: [\"eu-*\"], vars: {env: staging}}",
	    "web-01 fr-01" },
	{ "hosts: \"*\"\n    not: {vars: {role: true}}", "fr-01 lone" },
	{ "hosts: \"nothing-*\"", "" },
};

START_TEST(a_rule_applies_to_exactly_the_hosts_it_matches)
{
	struct config *cfg;
	struct strbuf got = { 0 }, y = { 0 };
	const struct cfg_check *ck;
	size_t i;

	strbuf_printf(&y, "%sapply:\n  r:\n    %s\n    services:\n"
	    "      s: {command: c}\n", estate, match_cases[_i].rule);
	put("conf.d/a.yaml", y.s);
	cfg = load(0);
	for (i = 0; i < cfg->nchecks; i++) {
		ck = &cfg->checks[i];
		ck_assert_ptr_nonnull(ck->service);
		ck_assert_str_eq(ck->service, "s");
		ck_assert_str_eq(ck->rule, "r");
		strbuf_printf(&got, "%s%s", got.len ? " " : "", ck->host);
	}
	ck_assert_msg(strcmp(got.s ? got.s : "", match_cases[_i].hosts) == 0,
	    "rule \"%s\": got \"%s\", want \"%s\"", match_cases[_i].rule,
	    got.s ? got.s : "", match_cases[_i].hosts);
	ck_assert_uint_eq(cfg->nrules, 1);
	ck_assert_uint_eq(cfg->rules[0].nhosts, cfg->nchecks);
	free(got.s);
	free(y.s);
	config_free(cfg);
}
END_TEST

START_TEST(host_vars_override_the_rules_defaults_per_host)
{
	static const char *const want1[] = { "/bin/http", "10.0.0.1", "8080",
	    "front" };
	static const char *const want2[] = { "/bin/http", "web-02", "80",
	    "front" };
	struct config *cfg;
	const struct cfg_check *ck;
	int i;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  http: [/bin/http, $HOSTADDRESS$, $ARG1$, $_HOSTROLE$]\n"
	    "hosts:\n"
	    "  web-01: {address: 10.0.0.1, vars: {http_port: \"8080\"}}\n"
	    "  web-02: {}\n"
	    "apply:\n"
	    "  web:\n"
	    "    hosts: \"web-*\"\n"
	    "    defaults: {http_port: \"80\", role: front}\n"
	    "    services:\n"
	    "      http: {command: [http, $_HOSTHTTP_PORT$], interval: 1m}\n");
	cfg = load(0);
	ck = find_check(cfg, "web-01", "http");
	for (i = 0; i < N(want1); i++)
		ck_assert_str_eq(ck->argv[i], want1[i]);
	ck_assert_int_eq(ck->interval, 60);
	ck_assert_str_eq(ck->mark.file, "conf.d/a.yaml");
	ck_assert_int_eq(ck->mark.line, 11);
	ck = find_check(cfg, "web-02", "http");
	for (i = 0; i < N(want2); i++)
		ck_assert_str_eq(ck->argv[i], want2[i]);
	config_free(cfg);
}
END_TEST

START_TEST(a_service_takes_its_templates_and_its_hosts_notify)
{
	struct config *cfg;
	const struct cfg_check *ck;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c]\n"
	    "contacts:\n"
	    "  ops: {email: ops@example.com}\n"
	    "  dba: {email: dba@example.com}\n"
	    "templates:\n"
	    "  fast: {interval: 30s, max_attempts: 5}\n"
	    "hosts:\n"
	    "  a: {notify: [ops]}\n"
	    "  b: {notify: [dba]}\n"
	    "apply:\n"
	    "  r:\n"
	    "    hosts: \"*\"\n"
	    "    services:\n"
	    "      s: {use: fast, command: c, max_attempts: 2}\n");
	cfg = load(0);
	ck = find_check(cfg, "a", "s");
	ck_assert_int_eq(ck->interval, 30);
	ck_assert_int_eq(ck->max_attempts, 2);
	ck_assert_uint_eq(ck->ncontacts, 1);
	ck_assert_str_eq(ck->contacts[0], "ops");
	ck = find_check(cfg, "b", "s");
	ck_assert_str_eq(ck->contacts[0], "dba");
	config_free(cfg);
}
END_TEST

START_TEST(skip_apply_leaves_a_rule_or_one_service_out)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c]\n"
	    "templates:\n"
	    "  legacy: {skip_apply: [web/https]}\n"
	    "hosts:\n"
	    "  a: {}\n"
	    "  b: {skip_apply: [web]}\n"
	    "  c: {use: legacy}\n"
	    "  d:\n"
	    "    skip_apply: [web/http]\n"
	    "    services:\n"
	    "      http: {command: [c, own]}\n"
	    "apply:\n"
	    "  web:\n"
	    "    hosts: \"*\"\n"
	    "    services:\n"
	    "      http: {command: c}\n"
	    "      https: {command: c}\n");
	cfg = load(0);
	find_check(cfg, "a", "http");
	find_check(cfg, "a", "https");
	find_check(cfg, "c", "http");
	find_check(cfg, "d", "https");
	/* d's own http stays, the rule's is left out */
	ck_assert_ptr_null(find_check(cfg, "d", "http")->rule);
	ck_assert_uint_eq(cfg->nchecks, 5);
	/* the skips, for --explain: b twice, c's from its template, d's */
	ck_assert_uint_eq(cfg->napply_skips, 4);
	ck_assert_str_eq(cfg->apply_skips[2].host, "c");
	ck_assert_str_eq(cfg->apply_skips[2].service, "https");
	ck_assert_int_eq(cfg->apply_skips[2].mark.line, 4);
	config_free(cfg);
}
END_TEST

START_TEST(errors_name_the_rule_and_the_host)
{
	static const char *const want[] = {
		"conf.d/a.yaml:22:3: apply rule \"nomatch\": matches no host: give "
		    "hosts, groups or vars (hosts: \"*\" is every host)",
		"conf.d/a.yaml:26:15: apply rule \"bad\": vars: a: pattern \"[x\" "
		    "has a '[' without its closing ']' (write \\[ for a literal '[')",
		"conf.d/a.yaml:27:11: apply rule \"bad\": not: unknown key \"hostz\" "
		    "(did you mean \"hosts\"?)",
		"conf.d/a.yaml:28:36: apply rule \"bad\": service \"x\": unknown key "
		    "\"intervall\" (did you mean \"interval\"?)",
		"conf.d/a.yaml:8:25: host \"api-02\": skip_apply: apply rule "
		    "\"nope\" is not defined",
		"conf.d/a.yaml:8:31: host \"api-02\": skip_apply: apply rule "
		    "\"strict\" has no service \"ftp\"",
		"conf.d/a.yaml:25:14: apply rule \"bad\": groups: group \"nogroup\" "
		    "is not defined",
		"conf.d/a.yaml:28:29: apply rule \"bad\": service \"x\": command "
		    "\"nocmd\" is not defined",
		"conf.d/a.yaml:16:7: service \"api-01/port\" (apply rule \"strict\" "
		    "on host \"api-01\" at conf.d/a.yaml:4:3): $ARG1$ \"$_HOSTPORT$\": "
		    "unknown macro $_HOSTPORT$ (host \"api-01\" has no var \"PORT\" "
		    "in vars, nor has the rule in defaults)",
		"conf.d/a.yaml:17:7: service \"api-01/db\" (apply rule \"strict\" on "
		    "host \"api-01\" at conf.d/a.yaml:4:3): the host has this "
		    "service already, at conf.d/a.yaml:7:7 (skip_apply: [strict/db] "
		    "on the host leaves the rule's out)",
		"conf.d/a.yaml:21:7: service \"api-02/db\" (apply rule \"also\" on "
		    "host \"api-02\" at conf.d/a.yaml:8:3): apply rule \"strict\" "
		    "gives the host this service too, at conf.d/a.yaml:17:7",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  http: [/bin/http, $ARG1$]\n"
	    "hosts:\n"
	    "  api-01:\n"
	    "    vars: {}\n"
	    "    services:\n"
	    "      db: {command: [http, x]}\n"
	    "  api-02: {skip_apply: [nope, strict/ftp], vars: {port: \"1\"}}\n"
	    "apply:\n"
	    "  strict:\n"
	    "    hosts: \"api-*\"\n"
	    "    not:\n"
	    "      vars: {}\n"
	    "    defaults: {}\n"
	    "    services:\n"
	    "      port: {command: [http, $_HOSTPORT$]}\n"
	    "      db: {command: [http, y]}\n"
	    "  also:\n"
	    "    hosts: \"api-02\"\n"
	    "    services:\n"
	    "      db: {command: [http, z]}\n"
	    "  nomatch:\n"
	    "    services: {}\n"
	    "  bad:\n"
	    "    groups: [nogroup]\n"
	    "    vars: {a: \"[x\"}\n"
	    "    not: {hostz: 1}\n"
	    "    services: {x: {command: nocmd, intervall: 5}}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_rule_defined_twice_names_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "apply:\n"
	    "  r: {hosts: \"*\", services: {s: {command: c}}}\n");
	put("conf.d/b.yaml",
	    "apply:\n"
	    "  r: {hosts: \"*\", services: {t: {command: c}}}\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/b.yaml:2:3: apply rule \"r\" is defined "
	    "twice (first at conf.d/a.yaml:3:3)");
	config_free(cfg);
}
END_TEST

START_TEST(one_rule_gives_five_hundred_hosts_their_service)
{
	struct strbuf y = { 0 };
	struct config *cfg;
	size_t i, n = 0;

	strbuf_printf(&y, "commands: {c: [/bin/c, $HOSTADDRESS$]}\nhosts:\n");
	for (i = 0; i < 500; i++)
		strbuf_printf(&y, "  h%03zu: {address: 10.0.%zu.%zu, vars: "
		    "{os: linux}}\n", i, i / 250, i % 250);
	strbuf_printf(&y, "  win: {vars: {os: windows}}\n"
	    "apply:\n  linux:\n    vars: {os: linux}\n    services:\n"
	    "      load: {command: c}\n");
	put("conf.d/a.yaml", y.s);
	cfg = load(0);
	for (i = 0; i < cfg->nchecks; i++)
		if (strcmp(cfg->checks[i].service, "load") == 0 &&
		    strcmp(cfg->checks[i].rule, "linux") == 0)
			n++;
	ck_assert_uint_eq(n, 500);
	ck_assert_uint_eq(cfg->nchecks, 500);
	ck_assert_str_eq(find_check(cfg, "h499", "load")->argv[1], "10.0.1.249");
	free(y.s);
	config_free(cfg);
}
END_TEST

static Suite *
config_rules_suite(void)
{
	Suite *s = suite_create("config_rules");
	TCase *tc;

	tc = tcase_create("rules");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, a_rule_applies_to_exactly_the_hosts_it_matches, 0,
	    N(match_cases));
	tcase_add_test(tc, host_vars_override_the_rules_defaults_per_host);
	tcase_add_test(tc, a_service_takes_its_templates_and_its_hosts_notify);
	tcase_add_test(tc, skip_apply_leaves_a_rule_or_one_service_out);
	tcase_add_test(tc, errors_name_the_rule_and_the_host);
	tcase_add_test(tc, a_rule_defined_twice_names_both_places);
	tcase_add_test(tc, one_rule_gives_five_hundred_hosts_their_service);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_rules_suite());
}
