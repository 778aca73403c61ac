/*
 * NAME
 *	it_groups - group state by recursive SQL, kept exact by deltas
 *	(schema/002_groups.sql), against the real PostgreSQL
 * DESCRIPTION
 *	The tree used (5 levels, with a diamond):
 *
 *	  root ─ a ─┬─ b1 ─┐
 *	            └─ b2 ─┴─ c ─ d        acked_only (alone)
 *
 *	Members: host h1 (its host check, s1 and s2) in d; h2/s1 directly in
 *	c and in b1 (one check, two groups of one subtree); h3/s1 in b2 and
 *	in acked_only. c is reached from a through b1 and b2; nothing may be
 *	counted twice.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/migrate.h"
#include "itutil.h"
#include "pg.h"
#include "tests/testutil.h"
#include "xalloc.h"

static struct it_env env;
static PGconn *conn;

static void
exec_ok(const char *sql)
{
	char err[1024];

	if (pg_exec(conn, sql, err, sizeof(err)) < 0)
		ck_abort_msg("%s\n-- in: %.300s", err, sql);
}

static char *
value(const char *sql)
{
	char err[1024];
	PGresult *r = pg_query(conn, sql, 0, NULL, err, sizeof(err));
	char *v;

	if (r == NULL)
		ck_abort_msg("%s\n-- in: %.300s", err, sql);
	v = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? xstrdup(PQgetvalue(r, 0, 0)) : xstrdup("(null)");
	PQclear(r);
	return v;
}

#define ASSERT_VALUE(sql, want) do { \
	char *v_ = value(sql); \
	ck_assert_msg(strcmp(v_, (want)) == 0, "%s\n  got \"%s\", want \"%s\"", (sql), v_, (want)); \
	free(v_); \
} while (0)

static void
setup(void)
{
	char err[1024], *dir;

	it_env_init(&env, "groups");
	conn = pg_connect(env.pg, env.prefix, err, sizeof(err));
	ck_assert_msg(conn != NULL, "%s", err);
	dir = xasprintf("%s/schema", env.srcdir);
	ck_assert_msg(migrate_apply(conn, dir, err, sizeof(err)) >= 0, "%s", err);
	free(dir);
	exec_ok(
	    "INSERT INTO hosts (name, address, alias) VALUES ('h1','h1','h1'), ('h2','h2','h2'), ('h3','h3','h3');"
	    "INSERT INTO checks (host_id, service, command, argv, interval_s, retry_interval_s,"
	    " max_attempts, timeout_s, pools, active, passive, config_hash)"
	    " SELECT h.id, s, 'x', '{/bin/true}', 60, 10, 3, 30, '{default}', true, true, 'x'"
	    " FROM (VALUES ('h1', NULL), ('h1', 's1'), ('h1', 's2'), ('h2', 's1'), ('h3', 's1'))"
	    " AS v(host, s) JOIN hosts h ON h.name = v.host;"
	    "INSERT INTO check_state (check_id) SELECT id FROM checks;"
	    "INSERT INTO groups (name, title) VALUES ('root','Root'), ('a','A'), ('b1','B1'),"
	    " ('b2','B2'), ('c','C'), ('d','D'), ('acked_only','Acked only');"
	    "INSERT INTO group_parents (group_id, parent_id) SELECT g.id, p.id FROM (VALUES"
	    " ('a','root'), ('b1','a'), ('b2','a'), ('c','b1'), ('c','b2'), ('d','c')) AS v(g, p)"
	    " JOIN groups g ON g.name = v.g JOIN groups p ON p.name = v.p;"
	    "CREATE FUNCTION cid(h text, s text) RETURNS bigint LANGUAGE sql AS"
	    " $$ SELECT c.id FROM checks c JOIN hosts ho ON ho.id = c.host_id"
	    " WHERE ho.name = h AND c.service IS NOT DISTINCT FROM s $$;"
	    "CREATE FUNCTION gid(n text) RETURNS bigint LANGUAGE sql AS"
	    " $$ SELECT id FROM groups WHERE name = n $$;"
	    "INSERT INTO group_members (group_id, check_id) VALUES"
	    " (gid('d'), cid('h1', NULL)), (gid('d'), cid('h1', 's1')), (gid('d'), cid('h1', 's2')),"
	    " (gid('c'), cid('h2', 's1')), (gid('b1'), cid('h2', 's1')),"
	    " (gid('b2'), cid('h3', 's1')), (gid('acked_only'), cid('h3', 's1'));"
	    "SELECT count(*) FROM group_refresh_all();");
}

static void
teardown(void)
{
	PQfinish(conn);
	conn = NULL;
	it_env_cleanup(&env);
}

/* One row for check_state_apply(): state, hard state, type. */
static char *
row(const char *host, const char *service, int state, int hard, int type)
{
	char *sql = xasprintf("SELECT cid('%s', %s%s%s)", host, service ? "'" : "",
	    service ? service : "NULL", service ? "'" : "");
	char *id = value(sql), *r;

	free(sql);
	r = xasprintf("{\"check_id\":%s,\"state\":%d,\"state_type\":%d,\"attempt\":1,"
	    "\"last_hard_state\":%d,\"output\":\"t\",\"long_output\":\"\",\"perfdata\":\"\",\"n\":1}",
	    id, state, type, hard);
	free(id);
	return r;
}

/* Apply rows (a JSON array text) through the engine's batch function;
 * returns "touched changed" counts. */
static char *
apply(const char *rows)
{
	char *sql = xasprintf("SELECT count(*) || ' ' || count(*) FILTER (WHERE changed)"
	    " FROM check_state_apply('%s')", rows);
	char *v = value(sql);

	free(sql);
	return v;
}

static void
apply_base_states(void)
{
	char *r1 = row("h1", NULL, 0, 0, 1), *r2 = row("h1", "s1", 0, 0, 1),
	    *r3 = row("h1", "s2", 1, 1, 1), *r4 = row("h2", "s1", 2, 2, 1),
	    *r5 = row("h3", "s1", 2, 2, 1);
	char *rows = xasprintf("[%s,%s,%s,%s,%s]", r1, r2, r3, r4, r5);

	free(apply(rows));
	exec_ok("UPDATE check_state SET acknowledged = true WHERE check_id = cid('h3', 's1');"
	    "SELECT count(*) FROM group_refresh_all()");
	free(r1); free(r2); free(r3); free(r4); free(r5); free(rows);
}

/* name: ok warning critical unknown up down unreachable pending ack dt flap worst */
static const char *const expected[][2] = {
	{ "d", "1 1 0 0 1 0 0 0 0 0 0 WARNING" },
	{ "c", "1 1 1 0 1 0 0 0 0 0 0 CRITICAL" },
	{ "b1", "1 1 1 0 1 0 0 0 0 0 0 CRITICAL" },
	{ "b2", "1 1 2 0 1 0 0 0 1 0 0 CRITICAL" },
	{ "a", "1 1 2 0 1 0 0 0 1 0 0 CRITICAL" },
	{ "root", "1 1 2 0 1 0 0 0 1 0 0 CRITICAL" },
	{ "acked_only", "0 0 1 0 0 0 0 0 1 0 0 OK" },
};

#define COUNTS "concat_ws(' ', ok, warning, critical, unknown, up, down, unreachable," \
	" pending, acknowledged, in_downtime, flapping, worst_state)"

START_TEST(counts_are_exact_through_a_diamond_and_nothing_is_counted_twice)
{
	apply_base_states();
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		char *full = xasprintf("SELECT " COUNTS " FROM group_tree_state WHERE name = '%s'",
		    expected[i][0]);
		char *kept = xasprintf("SELECT " COUNTS " FROM group_state WHERE group_id = gid('%s')",
		    expected[i][0]);

		ASSERT_VALUE(full, expected[i][1]);	/* the recursive query */
		ASSERT_VALUE(kept, expected[i][1]);	/* what the deltas keep */
		free(full);
		free(kept);
	}
}
END_TEST

START_TEST(an_acknowledged_critical_counts_but_is_left_out_of_the_worst_state)
{
	apply_base_states();
	ASSERT_VALUE("SELECT critical || ' ' || acknowledged || ' ' || worst_state FROM group_state"
	    " WHERE group_id = gid('acked_only')", "1 1 OK");
	/* Unacknowledge it: now it is the group's worst. */
	exec_ok("UPDATE check_state SET acknowledged = false WHERE check_id = cid('h3', 's1');"
	    "SELECT count(*) FROM group_refresh_all()");
	ASSERT_VALUE("SELECT worst_state FROM group_state WHERE group_id = gid('acked_only')", "CRITICAL");
}
END_TEST

START_TEST(a_single_change_recomputes_only_its_ancestors)
{
	char *r, *v;

	apply_base_states();
	exec_ok("DELETE FROM event_outbox");
	/* h1/s1 OK → SOFT CRITICAL: counts move in every group above it. */
	r = row("h1", "s1", 2, 0, 0);
	v = xasprintf("[%s]", r);
	free(r);
	{
		char *sql = xasprintf("SELECT string_agg(g.name, ',' ORDER BY g.name)"
		    " FROM check_state_apply('%s') a JOIN groups g ON g.id = a.group_id", v);

		ASSERT_VALUE(sql, "a,b1,b2,c,d,root");
		free(sql);
	}
	ASSERT_VALUE("SELECT string_agg(g.name, ',' ORDER BY g.name) FROM"
	    " group_ancestors(ARRAY[cid('h1', 's1')]) a JOIN groups g ON g.id = a.group_id",
	    "a,b1,b2,c,d,root");
	ASSERT_VALUE("SELECT string_agg(routing_key, ',' ORDER BY routing_key) FROM event_outbox"
	    " WHERE routing_key LIKE 'group.%'", "group.a,group.b1,group.b2,group.c,group.d,group.root");
	ASSERT_VALUE("SELECT count(*) FROM event_outbox WHERE routing_key = 'state.h1.s1'", "1");
	free(v);
}
END_TEST

START_TEST(exactly_the_groups_whose_state_changed_emit_an_event)
{
	char *r, *rows, *v;

	apply_base_states();
	r = row("h1", "s1", 2, 0, 0);	/* SOFT CRITICAL first */
	rows = xasprintf("[%s]", r);
	free(apply(rows));
	free(r);
	free(rows);
	exec_ok("DELETE FROM event_outbox");
	/* Now HARD: counts do not move; d's worst goes WARNING → CRITICAL,
	 * every other group above was CRITICAL already. */
	r = row("h1", "s1", 2, 2, 1);
	rows = xasprintf("[%s]", r);
	v = apply(rows);
	ck_assert_str_eq(v, "6 1");
	ASSERT_VALUE("SELECT string_agg(routing_key, ',') FROM event_outbox WHERE routing_key LIKE 'group.%'",
	    "group.d");
	ASSERT_VALUE("SELECT body->>'worst_state' || ' ' || (body->>'old_worst_state') FROM event_outbox"
	    " WHERE routing_key = 'group.d'", "CRITICAL WARNING");
	free(r);
	free(rows);
	free(v);
}
END_TEST

START_TEST(deltas_stay_equal_to_the_full_recursive_recompute)
{
	const char *hosts[] = { "h1", "h1", "h1", "h2", "h3" };
	const char *svcs[] = { NULL, "s1", "s2", "s1", "s1" };

	srand(7);
	apply_base_states();
	for (int round = 0; round < 60; round++) {
		char *rows = xstrdup("[");
		int first = rand() % 5, n = 1 + rand() % 4;

		/* Distinct checks, as the engine sends them: one row per check
		 * and batch. */
		for (int k = 0; k < n; k++) {
			int c = (first + k) % 5, is_host = svcs[c] == NULL;
			int state = rand() % (is_host ? 3 : 4), type = rand() % 2;
			int hard = type ? state : rand() % (is_host ? 3 : 4);
			char *r = row(hosts[c], svcs[c], state, hard, type), *next;

			next = xasprintf("%s%s%s", rows, k > 0 ? "," : "", r);
			free(rows);
			free(r);
			rows = next;
		}
		{
			char *next = xasprintf("%s]", rows);

			free(rows);
			rows = next;
		}
		/* Flags change outside batches (ack, downtime): a batch for
		 * the same check must still see them right. */
		if (round % 7 == 3)
			exec_ok("UPDATE check_state SET acknowledged = NOT acknowledged"
			    " WHERE check_id = cid('h2', 's1'); SELECT count(*) FROM group_refresh_all()");
		free(apply(rows));
		free(rows);
		ASSERT_VALUE("SELECT count(*) FROM group_tree_state t JOIN group_state s USING (group_id)"
		    " WHERE (t.ok, t.warning, t.critical, t.unknown, t.up, t.down, t.unreachable,"
		    " t.pending, t.acknowledged, t.in_downtime, t.flapping, t.worst_state)"
		    " IS DISTINCT FROM (s.ok, s.warning, s.critical, s.unknown, s.up, s.down,"
		    " s.unreachable, s.pending, s.acknowledged, s.in_downtime, s.flapping, s.worst_state)",
		    "0");
	}
}
END_TEST

/* A restart applies no migration again, but every function and view of
 * schema/functions/ again: one dropped or changed by hand is back as
 * shipped, with its settings. */
START_TEST(a_restart_reapplies_every_function_and_no_migration)
{
	char err[1024], *dir = xasprintf("%s/schema", env.srcdir);

	exec_ok("DROP FUNCTION flag(boolean)");
	exec_ok("ALTER FUNCTION check_state_apply(json) RESET ALL");
	exec_ok("DROP VIEW group_tree_state");
	ck_assert_int_eq(migrate_apply(conn, dir, err, sizeof(err)), 0);
	free(dir);
	ASSERT_VALUE("SELECT flag(true)", "1");
	ASSERT_VALUE("SELECT proconfig::text FROM pg_proc WHERE proname = 'check_state_apply'"
	    " AND pronamespace = current_schema()::regnamespace", "{work_mem=1MB}");
	ASSERT_VALUE("SELECT count(*) FROM group_tree_state", "7");
}
END_TEST

START_TEST(the_engine_keeps_group_state_and_vigilctl_shows_the_tree)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	int st;
	char *out;
	json_t *tree, *prod, *web;
	json_error_t je;

	it_env_init(&e, "grpe2e");
	cfg = it_write_config(&e, "max_check_spread: 1s\n", "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, $ARG1$, $ARG2$]}\n"
	    "groups:\n"
	    "  production: {title: Production}\n"
	    "  web: {parents: [production], hosts: [\"web-*\"]}\n"
	    "  db: {parents: [production]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: [dummy, \"0\", up]\n"
	    "    services:\n"
	    "      http: {command: [dummy, \"2\", down], max_attempts: 1, interval: 30s}\n"
	    "  web-02:\n"
	    "    services:\n"
	    "      http: {command: [dummy, \"0\", fine], interval: 30s}\n"
	    "  db-01:\n"
	    "    groups: [db]\n"
	    "    services:\n"
	    "      pg: {command: [dummy, \"1\", slow], max_attempts: 1, interval: 30s}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_sql(&e, "SELECT concat_ws(' ', worst_state, critical, warning, ok, up, pending)"
	    " FROM group_state JOIN groups g ON g.id = group_id WHERE g.name = 'production'",
	    "CRITICAL 1 1 1 1 0", 30) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("group production never reached CRITICAL 1 1 1 1 0");
	}
	/* vigilctl groups --json: the tree as CONFIG.md describes it. */
	st = it_run(&e, "ctl.out", "ctl/vigilctl", (const char *[]){ "-c", cfg, "groups", "--json", NULL },
	    &out);
	ck_assert_msg(st == 0, "vigilctl groups failed: %s", out);
	tree = json_loads(out, 0, &je);
	ck_assert_msg(tree != NULL && json_array_size(tree) == 1, "not one root: %s", out);
	prod = json_array_get(tree, 0);
	ck_assert_str_eq(json_string_value(json_object_get(prod, "name")), "production");
	ck_assert_str_eq(json_string_value(json_object_get(prod, "worst_state")), "CRITICAL");
	ck_assert_int_eq(json_array_size(json_object_get(prod, "children")), 2);
	web = json_array_get(json_object_get(prod, "children"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(web, "name")), "web");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(web, "counts"), "critical")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(web, "counts"), "up")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(web, "parents"), 0)), "production");
	json_decref(tree);
	free(out);
	/* The group events left the outbox: published and confirmed. */
	if (it_wait_sql(&e, "SELECT count(*) FROM event_outbox", "0", 10) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the outbox was not emptied");
	}
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_group_cycle_is_refused_naming_every_group)
{
	struct it_env e;
	const char *cfg;
	int rc;
	char *out;

	it_env_init(&e, "cycle");
	cfg = it_write_config(&e, NULL, "g.yaml",
	    "groups:\n"
	    "  a: {parents: [c]}\n"
	    "  b: {parents: [a]}\n"
	    "  c: {parents: [b]}\n");
	rc = it_run(&e, "check.log", "engine/vigil-engine",
	    (const char *[]){ "-c", cfg, "--check-config", NULL }, &out);
	ck_assert_msg(rc == 1, "not refused: %s", out);
	ck_assert_msg(strstr(out, "cycle") != NULL && strstr(out, "g.yaml:2:") != NULL &&
	    strstr(out, "g.yaml:3:") != NULL && strstr(out, "g.yaml:4:") != NULL,
	    "cycle not named with every group's place: %s", out);
	free(out);
	it_env_cleanup(&e);
}
END_TEST

static Suite *
groups_suite(void)
{
	Suite *s = suite_create("groups");
	TCase *tc = tcase_create("sql");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, counts_are_exact_through_a_diamond_and_nothing_is_counted_twice);
	tcase_add_test(tc, an_acknowledged_critical_counts_but_is_left_out_of_the_worst_state);
	tcase_add_test(tc, a_single_change_recomputes_only_its_ancestors);
	tcase_add_test(tc, exactly_the_groups_whose_state_changed_emit_an_event);
	tcase_add_test(tc, deltas_stay_equal_to_the_full_recursive_recompute);
	tcase_add_test(tc, a_restart_reapplies_every_function_and_no_migration);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, the_engine_keeps_group_state_and_vigilctl_shows_the_tree);
	tcase_add_test(tc, a_group_cycle_is_refused_naming_every_group);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(groups_suite());
}
