/*
 * NAME
 *	check_config_groups - unit tests of groups (lib/config/groups.c, cycles.c)
 * DESCRIPTION
 *	Group keys and defaults, glob patterns, membership keys of hosts,
 *	services and templates, parents and their cycles, large trees.
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

/* ---- groups ----------------------------------------------------------- */

/* v (n entries, NULL-terminated) is exactly want. */
static void
expect_strv(char *const *v, size_t n, const char *const *want, size_t nwant,
    const char *what)
{
	size_t i;

	ck_assert_msg(v != NULL, "%s: NULL list", what);
	ck_assert_msg(n == nwant, "%s: %zu entries, want %zu", what, n, nwant);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(v[i], want[i]) == 0, "%s[%zu]: \"%s\", want "
		    "\"%s\"", what, i, v[i], want[i]);
	ck_assert_msg(v[n] == NULL, "%s: not NULL-terminated", what);
}

static const struct cfg_group *
find_group(const struct config *cfg, const char *name)
{
	const struct cfg_group *g = config_find_group(cfg, name);

	ck_assert_msg(g != NULL, "no group %s", name);
	return g;
}

START_TEST(group_keys_are_read_with_their_defaults)
{
	static const char *const web_hosts[] = { "web-*", "www-[0-9]*" };
	static const char *const web_svcs[] = { "*/http", "db-0?/mysql" };
	static const char *const prod[] = { "production" };
	static const char *const two[] = { "production", "web" };
	const struct cfg_group *g;
	struct config *cfg;

	put("conf.d/g.yaml",
	    "groups:\n"
	    "  production: {title: Production}\n"
	    "  web:\n"
	    "    title: Web servers\n"
	    "    parents: production\n"
	    "    hosts: [\"web-*\", \"www-[0-9]*\"]\n"
	    "    services: [\"*/http\", \"db-0?/mysql\"]\n"
	    "  eu-web: {parents: [production, web]}\n"
	    "  empty: ~\n"
	    "  bare: {}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->ngroups, 5);
	/* Definition order, as hosts and checks. */
	ck_assert_str_eq(cfg->groups[0].name, "production");
	ck_assert_str_eq(cfg->groups[4].name, "bare");

	g = find_group(cfg, "production");
	ck_assert_str_eq(g->title, "Production");
	expect_strv(g->parents, g->nparents, NULL, 0, "production parents");
	expect_strv(g->host_patterns, g->nhost_patterns, NULL, 0,
	    "production hosts");
	expect_strv(g->service_patterns, g->nservice_patterns, NULL, 0,
	    "production services");

	g = find_group(cfg, "web");
	ck_assert_str_eq(g->title, "Web servers");
	expect_strv(g->parents, g->nparents, prod, N(prod), "web parents");
	expect_strv(g->host_patterns, g->nhost_patterns, web_hosts,
	    N(web_hosts), "web hosts");
	expect_strv(g->service_patterns, g->nservice_patterns, web_svcs,
	    N(web_svcs), "web services");
	ck_assert_str_eq(g->mark.file, "conf.d/g.yaml");
	ck_assert_int_eq(g->mark.line, 3);
	ck_assert_int_eq(g->mark.col, 3);

	g = find_group(cfg, "eu-web");
	ck_assert_str_eq(g->title, "eu-web");
	expect_strv(g->parents, g->nparents, two, N(two), "eu-web parents");
	ck_assert_str_eq(find_group(cfg, "empty")->title, "empty");
	ck_assert_str_eq(find_group(cfg, "bare")->title, "bare");
	ck_assert_ptr_null(config_find_group(cfg, "nope"));
	ck_assert_ptr_null(config_find_group(cfg, "Web"));
	config_free(cfg);
}
END_TEST

START_TEST(valid_glob_patterns_are_accepted)
{
	static const char *const hosts[] = {
		"web-[0-9]*", "[!a]x", "[]]", "[[:alpha:]]*", "web\\[1\\]",
		"db-0?", "[a-]", "[\\]]",
	};
	struct config *cfg;
	const struct cfg_group *g;

	put("conf.d/g.yaml",
	    "groups:\n"
	    "  g:\n"
	    "    hosts: [\"web-[0-9]*\", \"[!a]x\", \"[]]\", \"[[:alpha:]]*\",\n"
	    "            'web\\[1\\]', \"db-0?\", \"[a-]\", '[\\]]']\n"
	    "    services: [\"*\", \"web-*\", \"*/[[:digit:]]*\", nginx/x]\n");
	cfg = load(0);
	g = find_group(cfg, "g");
	expect_strv(g->host_patterns, g->nhost_patterns, hosts, N(hosts),
	    "g hosts");
	ck_assert_uint_eq(g->nservice_patterns, 4);
	config_free(cfg);
}
END_TEST

START_TEST(hosts_services_and_templates_list_their_groups)
{
	static const char *const web_prod[] = { "web", "prod" };
	static const char *const web[] = { "web" };
	static const char *const prod[] = { "prod" };
	static const char *const db[] = { "db" };
	static const char *const prod_db[] = { "prod", "db" };
	const struct cfg_check *c;
	const struct cfg_host *h;
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c]\n"
	    "templates:\n"
	    "  in-web: {groups: [web, prod]}\n"
	    "  svc: {groups: db}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    groups: [web, prod]\n"
	    "    check: c\n"
	    "    services:\n"
	    "      http: {command: c, groups: web}\n"
	    "      disk: {command: c}\n"
	    "      tpl: {use: svc, command: c}\n"
	    "      none: {use: svc, command: c, groups: []}\n"
	    "      own: {use: svc, command: c, groups: [prod]}\n"
	    "  h2: {use: in-web, check: c}\n"
	    "  h3: {use: in-web, groups: ~}\n"
	    "  h4: {use: in-web, groups: db}\n"
	    "services:\n"
	    "  ssh: {host: h2, command: c, groups: [prod, db]}\n");
	/* Groups may be defined after (and in another file than) their use. */
	put("conf.d/z.yaml",
	    "groups:\n"
	    "  web: {}\n"
	    "  prod: {}\n"
	    "  db: {}\n");
	cfg = load(0);

	h = config_find_host(cfg, "h1");
	expect_strv(h->groups, h->ngroups, web_prod, N(web_prod), "h1 groups");
	/* The host's membership is on the host, not on its host check. */
	c = find_check(cfg, "h1", NULL);
	expect_strv(c->groups, c->ngroups, NULL, 0, "h1 host check groups");
	c = find_check(cfg, "h1", "http");
	expect_strv(c->groups, c->ngroups, web, N(web), "h1/http groups");
	/* A service does not take its host's groups: the host brings it. */
	c = find_check(cfg, "h1", "disk");
	expect_strv(c->groups, c->ngroups, NULL, 0, "h1/disk groups");
	c = find_check(cfg, "h1", "tpl");
	expect_strv(c->groups, c->ngroups, db, N(db), "h1/tpl groups");
	/* The object's own list replaces its template's, even an empty one. */
	c = find_check(cfg, "h1", "none");
	expect_strv(c->groups, c->ngroups, NULL, 0, "h1/none groups");
	c = find_check(cfg, "h1", "own");
	expect_strv(c->groups, c->ngroups, prod, N(prod), "h1/own groups");

	h = config_find_host(cfg, "h2");
	expect_strv(h->groups, h->ngroups, web_prod, N(web_prod), "h2 groups");
	c = find_check(cfg, "h2", NULL);
	expect_strv(c->groups, c->ngroups, NULL, 0, "h2 host check groups");
	h = config_find_host(cfg, "h3");
	expect_strv(h->groups, h->ngroups, NULL, 0, "h3 groups");
	h = config_find_host(cfg, "h4");
	expect_strv(h->groups, h->ngroups, db, N(db), "h4 groups");
	c = find_check(cfg, "h2", "ssh");
	expect_strv(c->groups, c->ngroups, prod_db, N(prod_db), "h2/ssh groups");
	config_free(cfg);
}
END_TEST

START_TEST(undefined_groups_are_named_where_they_are_listed)
{
	static const char *const want[] = {
		/* The template once, not at each of u1 and u2. */
		"conf.d/a.yaml:6:21: template \"t\": groups: group \"nope\" is not "
		    "defined",
		"conf.d/a.yaml:9:19: host \"web-01\": groups: group \"webb\" is "
		    "not defined",
		"conf.d/a.yaml:12:35: service \"web-01/http\": groups: group "
		    "\"wbe\" is not defined",
		"conf.d/a.yaml:16:43: service \"web-01/ssh\": groups: group "
		    "\"sshd\" is not defined",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c]\n"
	    "groups:\n"
	    "  web: {}\n"
	    "templates:\n"
	    "  t: {groups: [web, nope]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    groups: [web, webb]\n"
	    "    check: c\n"
	    "    services:\n"
	    "      http: {command: c, groups: [wbe]}\n"
	    "  u1: {use: t}\n"
	    "  u2: {use: t}\n"
	    "services:\n"
	    "  ssh: {host: web-01, command: c, groups: sshd}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(unknown_own_and_twice_listed_parents_are_errors)
{
	static const char *const want[] = {
		"conf.d/a.yaml:6:27: group \"twice\": parents: group \"prod\" is "
		    "listed twice",
		"conf.d/a.yaml:3:15: group \"web\": parents: group \"production\" "
		    "is not defined",
		"conf.d/a.yaml:5:19: group \"self\": parents: a group cannot be "
		    "its own parent",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "groups:\n"
	    "  web:\n"
	    "    parents: [production, prod]\n"
	    "  prod: {}\n"
	    "  self: {parents: self}\n"
	    "  twice: {parents: [prod, prod]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_group_defined_twice_names_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "groups:\n"
	    "  web: {title: A}\n");
	/* The second one's parents are not looked at: it is not a group. */
	put("conf.d/b.yaml",
	    "groups:\n"
	    "  db: {}\n"
	    "  web:\n"
	    "    title: B\n"
	    "    parents: [nope]\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/b.yaml:3:3: group \"web\" is defined "
	    "twice (first at conf.d/a.yaml:2:3)");
	ck_assert_uint_eq(cfg->ngroups, 2);
	ck_assert_str_eq(find_group(cfg, "web")->title, "A");
	config_free(cfg);
}
END_TEST

START_TEST(a_cycle_across_two_files_names_every_group_with_its_place)
{
	struct config *cfg;

	put("conf.d/g.yaml",
	    "# a -> b -> c -> a, c in another file\n"
	    "groups:\n"
	    "  a:\n"
	    "    parents: [b]\n"
	    "  b:\n"
	    "    parents: c\n");
	put("conf.d/h.yaml",
	    "groups:\n"
	    "  c: {parents: [a]}\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/g.yaml:3:3: group \"a\": parents form a "
	    "cycle: a (conf.d/g.yaml:3:3) -> b (conf.d/g.yaml:5:3) -> c "
	    "(conf.d/h.yaml:2:3) -> a");
	config_free(cfg);
}
END_TEST

START_TEST(each_cycle_is_reported_once_from_its_first_defined_group)
{
	static const char *const want[] = {
		/* Entered at q from x, named from p: p is defined first. */
		"conf.d/a.yaml:3:3: group \"p\": parents form a cycle: p "
		    "(conf.d/a.yaml:3:3) -> q (conf.d/a.yaml:4:3) -> p",
		/* Two cycles through a: both, each once. */
		"conf.d/a.yaml:5:3: group \"a\": parents form a cycle: a "
		    "(conf.d/a.yaml:5:3) -> b (conf.d/a.yaml:6:3) -> a",
		"conf.d/a.yaml:5:3: group \"a\": parents form a cycle: a "
		    "(conf.d/a.yaml:5:3) -> c (conf.d/a.yaml:7:3) -> a",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "groups:\n"
	    "  x: {parents: [q]}\n"
	    "  p: {parents: [q]}\n"
	    "  q: {parents: [p]}\n"
	    "  a: {parents: [b, c]}\n"
	    "  b: {parents: [a]}\n"
	    "  c: {parents: [a, p]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_diamond_and_a_five_level_tree_are_accepted)
{
	static const char *const diamond[] = { "eu", "us" };
	static const char *const shortcut[] = { "web-front", "eu" };
	struct config *cfg;

	/* Children before their parents, across files: order is free. */
	put("conf.d/a.yaml",
	    "groups:\n"
	    "  web-front-1: {parents: [web-front, eu]}\n"
	    "  web-front: {parents: web}\n"
	    "  web: {parents: [eu, us]}\n");
	put("conf.d/b.yaml",
	    "groups:\n"
	    "  eu: {parents: all}\n"
	    "  us: {parents: all}\n"
	    "  all: {title: Everything}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->ngroups, 6);
	expect_strv(find_group(cfg, "web")->parents,
	    find_group(cfg, "web")->nparents, diamond, N(diamond), "web parents");
	expect_strv(find_group(cfg, "web-front-1")->parents,
	    find_group(cfg, "web-front-1")->nparents, shortcut, N(shortcut),
	    "web-front-1 parents");
	ck_assert_uint_eq(find_group(cfg, "all")->nparents, 0);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *yaml;
	const char *err;
} group_cases[] = {
	{ "groups: [a]\n",
	    "conf.d/a.yaml:1:9: groups: expected a map of group name to group "
	    "settings, got a list" },
	{ "groups:\n  g: [a]\n",
	    "conf.d/a.yaml:2:6: group \"g\": expected a map of settings (title, "
	    "parents, hosts, services), got a list" },
	{ "groups:\n  g: {titel: x}\n",
	    "conf.d/a.yaml:2:7: group \"g\": unknown key \"titel\" (did you "
	    "mean \"title\"?)" },
	{ "groups:\n  g: {parent: x}\n",
	    "conf.d/a.yaml:2:7: group \"g\": unknown key \"parent\" (did you "
	    "mean \"parents\"?)" },
	{ "groups:\n  g: {members: [x]}\n",
	    "conf.d/a.yaml:2:7: group \"g\": unknown key \"members\"" },
	{ "groups:\n  g: {title: a, title: b}\n",
	    "conf.d/a.yaml:2:17: group \"g\": key \"title\" is given twice "
	    "(first at conf.d/a.yaml:2:7)" },
	{ "groups:\n  g: {title: \"\"}\n",
	    "conf.d/a.yaml:2:14: group \"g\": title: must not be empty" },
	{ "groups:\n  g:\n    title:\n",
	    "conf.d/a.yaml:3:11: group \"g\": title: expected a string, got "
	    "nothing" },
	{ "groups:\n  g: {parents: {a: 1}}\n",
	    "conf.d/a.yaml:2:16: group \"g\": parents: expected a list of group "
	    "names, got a map" },
	{ "groups:\n  g: {hosts: [\"\"]}\n",
	    "conf.d/a.yaml:2:15: group \"g\": hosts: must not be empty" },
	{ "groups:\n  g: {services: [\"\"]}\n",
	    "conf.d/a.yaml:2:18: group \"g\": services: must not be empty" },
	{ "groups:\n  g: {hosts: \"web-[0-9\"}\n",
	    "conf.d/a.yaml:2:14: group \"g\": hosts: pattern \"web-[0-9\" has a "
	    "'[' without its closing ']' (write \\[ for a literal '[')" },
	{ "groups:\n  g: {hosts: ['web\\']}\n",
	    "conf.d/a.yaml:2:15: group \"g\": hosts: pattern \"web\\\\\" ends in "
	    "a lone '\\' (write \\\\ for a literal one)" },
	{ "groups:\n  g: {services: ['*/[[:digt:]]']}\n",
	    "conf.d/a.yaml:2:18: group \"g\": services: pattern \"*/[[:digt:]]\" "
	    "names an unknown character class (expected [:alpha:], [:digit:], "
	    "[:alnum:] ...)" },
	{ "groups:\n  g: {hosts: [web-01/http]}\n",
	    "conf.d/a.yaml:2:15: group \"g\": hosts: pattern \"web-01/http\" can "
	    "never match a host name (host names have no '/'; services: takes "
	    "\"host/service\" patterns)" },
	{ "groups:\n  g: {hosts: {a: 1}}\n",
	    "conf.d/a.yaml:2:14: group \"g\": hosts: expected a list of host "
	    "name patterns, got a map" },
	{ "groups:\n  g: {hosts: [[a]]}\n",
	    "conf.d/a.yaml:2:15: group \"g\": hosts: expected a string, got a "
	    "list" },
	{ "groups:\n  g: {services: {a: 1}}\n",
	    "conf.d/a.yaml:2:17: group \"g\": services: expected a list of "
	    "\"host/service\" patterns, got a map" },
	{ "groups:\n  a b: {}\n",
	    "conf.d/a.yaml:2:3: group \"a b\": name may not contain '/', "
	    "whitespace or '$'" },
	{ "groups:\n  a/b: {}\n",
	    "conf.d/a.yaml:2:3: group \"a/b\": name may not contain '/', "
	    "whitespace or '$'" },
	{ "groups:\n  \"\": {}\n",
	    "conf.d/a.yaml:2:3: group name must not be empty" },
	{ "groups: {}\ngroups: {}\n",
	    "conf.d/a.yaml:2:1: key \"groups\" is given twice (first at "
	    "conf.d/a.yaml:1:1)" },
	{ "hosts:\n  h: {groups: {a: 1}}\n",
	    "conf.d/a.yaml:2:15: host \"h\": groups: expected a list of group "
	    "names, got a map" },
	{ "groups: {w: {}}\nhosts:\n  h: {groups: [w, w]}\n",
	    "conf.d/a.yaml:3:19: host \"h\": groups: group \"w\" is listed "
	    "twice" },
	{ "templates:\n  t: {groups: [\"\"]}\n",
	    "conf.d/a.yaml:2:16: template \"t\": groups: must not be empty" },
};

START_TEST(bad_group_values_are_errors)
{
	struct config *cfg;

	put("conf.d/a.yaml", group_cases[_i].yaml);
	cfg = load(-1);
	if (cfg->nerrors != 1 || strcmp(cfg->errors[0], group_cases[_i].err) != 0)
		ck_abort_msg("input:\n%s\nwant:\n  %s\ngot:\n%s",
		    group_cases[_i].yaml, group_cases[_i].err, errors_text(cfg));
	config_free(cfg);
}
END_TEST

/*
 * g0's parent is g1, g1's is g2 ... 10,000 deep: the walk must not recurse.
 * With cycle, g9999's parent is g0 and the one error names all 10,000.
 */
static char *
group_chain_yaml(size_t n, int cycle)
{
	struct strbuf b = { NULL, 0, 0 };
	char line[128];
	size_t i;

	strbuf_adds(&b, "groups:\n");
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			snprintf(line, sizeof(line), "  g%zu: {parents: g%zu}\n",
			    i, i + 1);
		else if (cycle)
			snprintf(line, sizeof(line), "  g%zu: {parents: g0}\n", i);
		else
			snprintf(line, sizeof(line), "  g%zu: {}\n", i);
		strbuf_adds(&b, line);
	}
	return b.s;
}

START_TEST(a_chain_of_ten_thousand_groups_loads_and_its_cycle_is_named)
{
	struct strbuf want = { NULL, 0, 0 };
	struct config *cfg;
	char *yaml, place[128];
	size_t i;

	yaml = group_chain_yaml(10000, 0);
	put("conf.d/a.yaml", yaml);
	free(yaml);
	cfg = load(0);
	ck_assert_uint_eq(cfg->ngroups, 10000);
	config_free(cfg);

	yaml = group_chain_yaml(10000, 1);
	put("conf.d/a.yaml", yaml);
	free(yaml);
	cfg = load(-1);
	strbuf_adds(&want, "conf.d/a.yaml:2:3: group \"g0\": parents form a "
	    "cycle: ");
	for (i = 0; i < 10000; i++) {
		snprintf(place, sizeof(place), "g%zu (conf.d/a.yaml:%zu:3) -> ",
		    i, i + 2);
		strbuf_adds(&want, place);
	}
	strbuf_adds(&want, "g0");
	ck_assert_uint_eq(cfg->nerrors, 1);
	ck_assert_msg(strcmp(cfg->errors[0], want.s) == 0, "got %.200s...",
	    cfg->errors[0]);
	free(want.s);
	config_free(cfg);
}
END_TEST

START_TEST(past_a_hundred_group_cycles_one_line_counts_the_rest)
{
	struct strbuf b = { NULL, 0, 0 };
	struct config *cfg;
	char line[128];
	size_t i;

	strbuf_adds(&b, "groups:\n");
	for (i = 0; i < 150; i++) {
		snprintf(line, sizeof(line), "  a%zu: {parents: b%zu}\n"
		    "  b%zu: {parents: a%zu}\n", i, i, i, i);
		strbuf_adds(&b, line);
	}
	put("conf.d/a.yaml", b.s);
	free(b.s);
	cfg = load(-1);
	ck_assert_uint_eq(cfg->nerrors, 101);
	ck_assert_str_eq(cfg->errors[99], "conf.d/a.yaml:200:3: group \"a99\": "
	    "parents form a cycle: a99 (conf.d/a.yaml:200:3) -> b99 "
	    "(conf.d/a.yaml:201:3) -> a99");
	ck_assert_str_eq(cfg->errors[100], "conf.d/a.yaml:202:3: group "
	    "\"a100\": parents form 50 more cycles, not shown (fix the ones "
	    "above first)");
	config_free(cfg);
}
END_TEST

/*
 * 1,000 groups six levels deep (a 4-ary tree, some nodes with a second
 * parent at level 1: diamonds), hosts and services listing them.
 */
START_TEST(a_thousand_groups_with_many_members_load)
{
	struct strbuf b = { NULL, 0, 0 };
	const struct cfg_check *c;
	const struct cfg_host *h;
	struct config *cfg;
	char line[256];
	size_t i;

	strbuf_adds(&b, "commands: {c: [/bin/c, $HOSTADDRESS$]}\ngroups:\n");
	strbuf_adds(&b, "  g0: {hosts: [\"h*\"]}\n");
	for (i = 1; i < 1000; i++) {
		if (i >= 5 && i % 10 == 0 && (i - 1) / 4 != 1)
			snprintf(line, sizeof(line), "  g%zu: {parents: [g%zu, g1], "
			    "services: [\"h%zu/*\"]}\n", i, (i - 1) / 4, i);
		else
			snprintf(line, sizeof(line), "  g%zu: {parents: g%zu}\n",
			    i, (i - 1) / 4);
		strbuf_adds(&b, line);
	}
	strbuf_adds(&b, "hosts:\n");
	for (i = 0; i < 2000; i++) {
		snprintf(line, sizeof(line), "  h%zu: {check: c, groups: g%zu, "
		    "services: {a: {command: c, groups: [g%zu, g%zu]}, "
		    "b: {command: c}, d: {command: c}, e: {command: c}}}\n",
		    i, 341 + i % 659, i % 1000, 999 - i % 1000);
		strbuf_adds(&b, line);
	}
	put("conf.d/a.yaml", b.s);
	free(b.s);
	cfg = load(0);
	ck_assert_uint_eq(cfg->ngroups, 1000);
	ck_assert_uint_eq(cfg->nhosts, 2000);
	ck_assert_uint_eq(cfg->nchecks, 10000);
	h = config_find_host(cfg, "h1234");
	ck_assert_uint_eq(h->ngroups, 1);
	ck_assert_str_eq(h->groups[0], "g916");
	c = find_check(cfg, "h1234", "a");
	ck_assert_uint_eq(c->ngroups, 2);
	ck_assert_str_eq(c->groups[0], "g234");
	ck_assert_str_eq(c->groups[1], "g765");
	ck_assert_uint_eq(find_group(cfg, "g990")->nparents, 2);
	config_free(cfg);
}
END_TEST

static Suite *
config_groups_suite(void)
{
	Suite *s = suite_create("config_groups");
	TCase *tc;

	tc = tcase_create("groups");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, group_keys_are_read_with_their_defaults);
	tcase_add_test(tc, valid_glob_patterns_are_accepted);
	tcase_add_test(tc, hosts_services_and_templates_list_their_groups);
	tcase_add_test(tc, undefined_groups_are_named_where_they_are_listed);
	tcase_add_test(tc, unknown_own_and_twice_listed_parents_are_errors);
	tcase_add_test(tc, a_group_defined_twice_names_both_places);
	tcase_add_test(tc, a_cycle_across_two_files_names_every_group_with_its_place);
	tcase_add_test(tc, each_cycle_is_reported_once_from_its_first_defined_group);
	tcase_add_test(tc, a_diamond_and_a_five_level_tree_are_accepted);
	tcase_add_loop_test(tc, bad_group_values_are_errors, 0, N(group_cases));
	tcase_add_test(tc, a_chain_of_ten_thousand_groups_loads_and_its_cycle_is_named);
	tcase_add_test(tc, past_a_hundred_group_cycles_one_line_counts_the_rest);
	tcase_add_test(tc, a_thousand_groups_with_many_members_load);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_groups_suite());
}
