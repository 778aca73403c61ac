/*
 * NAME
 *	it_config - configuration at scale against the real servers: apply
 *	rules and their reloads, dependencies, event handlers
 * DESCRIPTION
 *	Each test has its own prefix on the harness's PostgreSQL and
 *	RabbitMQ, starts vigil-engine and vigil-worker from the build tree
 *	with real plugins, and asserts what lands in PostgreSQL.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itutil.h"
#include "strbuf.h"
#include "xalloc.h"
#include "tests/testutil.h"

/* Fast first runs, so tests need not wait a random part of an interval. */
#define FAST "max_check_spread: 1s\n"

/* 500 linux hosts; the first twenty are web servers too. The web rule
 * leaves out the hosts of exclude (a glob). */
static char *
estate_yaml(const char *exclude)
{
	struct strbuf y = { 0 };

	strbuf_printf(&y,
	    "commands:\n"
	    "  dummy: [$PLUGINDIR$/check_dummy, $ARG1$, $ARG2$]\n"
	    "hosts:\n");
	for (int i = 0; i < 500; i++)
		strbuf_printf(&y, "  h%03d: {vars: {os: linux%s}}\n", i,
		    i < 20 ? ", role: web" : "");
	strbuf_printf(&y,
	    "apply:\n"
	    "  linux:\n"
	    "    vars: {os: linux}\n"
	    "    services:\n"
	    "      load: {command: [dummy, \"0\", \"load of $HOSTNAME$\"], interval: 1h}\n"
	    "  web:\n"
	    "    vars: {role: web}\n"
	    "    not: {hosts: \"%s\"}\n"
	    "    services:\n"
	    "      http: {command: [dummy, \"0\", \"http on $HOSTNAME$\"], interval: 1h}\n",
	    exclude);
	return y.s;
}

/* id:last_check:next_check:results_total of every check of service. */
static char *
rows_of(struct it_env *e, const char *service)
{
	char *sql = xasprintf("SELECT string_agg(h.name || '=' || c.id || ':' ||"
	    " s.last_check || ':' || s.next_check || ':' || s.results_total, ','"
	    " ORDER BY h.name) FROM checks c JOIN hosts h ON h.id = c.host_id"
	    " JOIN check_state s ON s.check_id = c.id WHERE c.service = '%s'",
	    service);
	char *v = it_sql(e, sql);

	free(sql);
	return v != NULL ? v : xstrdup("");
}

START_TEST(a_rule_gives_500_hosts_a_service_and_a_reload_changes_only_its_own)
{
	struct it_env e;
	char *yaml, *load_before, *load_after, *hosts;
	const char *cfg;
	pid_t engine, worker;

	it_env_init(&e, "rules");
	yaml = estate_yaml("h01*");
	cfg = it_write_config(&e, FAST, "estate.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_sql(&e, "SELECT count(*) FILTER (WHERE state = 0) || '/' || count(*)"
	    " FROM check_state", "510/510", 90) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the 510 applied checks did not all get a result");
	}
	hosts = it_sql(&e, "SELECT count(*) || ' ' || min(h.name) || '-' || max(h.name)"
	    " FROM checks c JOIN hosts h ON h.id = c.host_id WHERE c.service = 'load'");
	ck_assert_str_eq(hosts, "500 h000-h499");
	free(hosts);
	hosts = it_sql(&e, "SELECT string_agg(h.name, ' ' ORDER BY h.name) FROM checks c"
	    " JOIN hosts h ON h.id = c.host_id WHERE c.service = 'http'");
	ck_assert_str_eq(hosts, "h000 h001 h002 h003 h004 h005 h006 h007 h008 h009");
	free(hosts);
	hosts = it_sql(&e, "SELECT s.output FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " JOIN hosts h ON h.id = c.host_id WHERE h.name = 'h123' AND c.service = 'load'");
	ck_assert_str_eq(hosts, "OK: load of h123");
	free(hosts);
	load_before = rows_of(&e, "load");

	/* The web rule now leaves out h00* instead: ten checks go, ten come,
	 * and the 500 of the linux rule keep their ids, results and
	 * schedule. */
	yaml = estate_yaml("h00*");
	it_write_config(&e, FAST, "estate.yaml", yaml);
	free(yaml);
	kill(engine, SIGHUP);
	ck_assert_msg(it_wait_log(&e, "engine.log", "reloaded checks=510", 60) >= 0,
	    "the engine did not reload");
	if (it_wait_sql(&e, "SELECT string_agg(h.name || ':' || coalesce(s.state::text, '-'), ' '"
	    " ORDER BY h.name) FROM checks c JOIN hosts h ON h.id = c.host_id"
	    " JOIN check_state s ON s.check_id = c.id WHERE c.service = 'http'",
	    "h010:0 h011:0 h012:0 h013:0 h014:0 h015:0 h016:0 h017:0 h018:0 h019:0",
	    60) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the reload did not move http from h00* to h01*");
	}
	load_after = rows_of(&e, "load");
	ck_assert_msg(strcmp(load_before, load_after) == 0, "the linux rule's "
	    "checks changed across the reload:\nbefore %.300s\nafter  %.300s",
	    load_before, load_after);
	free(load_before);
	free(load_after);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* Dependencies: pg on db is the master of two services on web: app's
 * notifications depend on it (critical), job's execution (critical).
 * other/api, with no dependency, is notified as usual. */
static const char deps_yaml[] =
    "contacts:\n"
    "  alice: {email: alice@test.example}\n"
    "commands:\n"
    "  ff: [%s/tests/plugins/from_file, %s/$ARG1$.code, %s/$ARG1$.runs]\n"
    "templates:\n"
    "  fast: {interval: 1s, retry_interval: 1s, max_attempts: 1, notify: [alice]}\n"
    "groups:\n"
    "  webs: {hosts: [web]}\n"
    "hosts:\n"
    "  db: {services: {pg: {use: fast, command: [ff, pg]}}}\n"
    "  web: {services: {app: {use: fast, command: [ff, app]},\n"
    "                   job: {use: fast, command: [ff, job]}}}\n"
    "  other: {services: {api: {use: fast, command: [ff, api]}}}\n"
    "dependencies:\n"
    "  app-on-pg:\n"
    "    master: db/pg\n"
    "    hosts: web\n"
    "    services: [app]\n"
    "    notification_failure_criteria: [critical]\n"
    "  job-on-pg:\n"
    "    master: db/pg\n"
    "    hosts: web\n"
    "    services: [job]\n"
    "    execution_failure_criteria: [critical]\n";

static void
code(struct it_env *e, const char *check, int status)
{
	char name[64], buf[16];

	snprintf(name, sizeof(name), "%s.code", check);
	snprintf(buf, sizeof(buf), "%d\n", status);
	free(tu_write_file(e->dir, name, buf));
}

/* How many times check's plugin ran. */
static int
runs(struct it_env *e, const char *check)
{
	char name[64], *text;
	int n = 0;

	snprintf(name, sizeof(name), "%s.runs", check);
	text = it_read(e, name);
	for (const char *p = text; *p != '\0'; p++)
		n += *p == '\n';
	free(text);
	return n;
}

#define STATE_OF(svc) "SELECT s.state || ':' || coalesce(s.suppressed_by, '-') FROM" \
	" check_state s JOIN checks c ON c.id = s.check_id WHERE c.service = '" svc "'"
#define NOTIFIED(svc) "SELECT count(*) FROM notifications n JOIN checks c ON" \
	" c.id = n.check_id WHERE c.service = '" svc "' AND n.type = 'PROBLEM'"

START_TEST(a_critical_master_suppresses_its_dependents_notifications_and_runs)
{
	struct it_env e;
	char *yaml;
	const char *cfg;
	pid_t engine, worker;
	int job_runs;

	it_env_init(&e, "deps");
	yaml = xasprintf(deps_yaml, e.srcdir, e.dir, e.dir);
	cfg = it_write_config(&e, FAST, "deps.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_sql(&e, "SELECT count(*) FILTER (WHERE state = 0) FROM check_state", "4", 60) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the four checks never ran OK");
	}

	/* The master goes CRITICAL (HARD at once: max_attempts 1). */
	code(&e, "pg", 2);
	ck_assert_int_eq(it_wait_sql(&e, STATE_OF("pg"), "2:-", 30), 0);
	/* the job's run that may have been on its way when it did */
	sleep(2);
	job_runs = runs(&e, "job");
	code(&e, "app", 2);
	code(&e, "api", 2);
	if (it_wait_sql(&e, STATE_OF("app"), "2:db/pg", 30) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("app is not CRITICAL suppressed by db/pg");
	}
	ck_assert_int_eq(it_wait_sql(&e, NOTIFIED("api"), "1", 30), 0);
	/* a few more of app's results: still nothing for app */
	sleep(3);
	IT_ASSERT_SQL(&e, NOTIFIED("app"), "0");
	IT_ASSERT_SQL(&e, NOTIFIED("pg"), "1");
	/* the job's interval is 1 s: five seconds without a run */
	ck_assert_msg(runs(&e, "job") == job_runs, "job ran %d times while its "
	    "master was CRITICAL", runs(&e, "job") - job_runs);
	/* the rollup counts app's problem as handled: web's group is OK */
	IT_ASSERT_SQL(&e, "SELECT worst_state FROM group_tree_state WHERE name = 'webs'", "OK");

	/* The master recovers: app's next result notifies, job runs. */
	code(&e, "pg", 0);
	if (it_wait_sql(&e, NOTIFIED("app"), "1", 30) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("app's problem was not notified once its master recovered");
	}
	IT_ASSERT_SQL(&e, STATE_OF("app"), "2:-");
	IT_ASSERT_SQL(&e, "SELECT worst_state FROM group_tree_state WHERE name = 'webs'",
	    "CRITICAL");
	for (int i = 0; i < 100 && runs(&e, "job") == job_runs; i++)
		usleep(100000);
	ck_assert_int_gt(runs(&e, "job"), job_runs);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* Event handlers: app runs in pool west, other in east; app's handler
 * records its pool and the state it was run for. */
static const char eventh_yaml[] =
    "commands:\n"
    "  ff: [%s/tests/plugins/from_file, %s/$ARG1$.code, %s/$ARG1$.runs]\n"
    "  record: [%s/tests/plugins/record_handler, %s/handler.log, $ARG1$,"
    " $SERVICESTATE$, $SERVICESTATETYPE$, \"attempt=$SERVICEATTEMPT$\"]\n"
    "hosts:\n"
    "  web:\n"
    "    services:\n"
    "      app: {command: [ff, app], pools: [west], interval: 1s, retry_interval: 1s,\n"
    "            max_attempts: 3, event_handler: [record, app]}\n"
    "      other: {command: [ff, other], pools: [east], interval: 1s}\n";

/* The lines of handler.log, once there are want of them (or after
 * timeout seconds). */
static char *
handler_lines(struct it_env *e, int want, double timeout)
{
	for (double t = 0; t < timeout; t += 0.1) {
		char *log = it_read(e, "handler.log");
		int n = 0;

		for (const char *p = log; *p != '\0'; p++)
			n += *p == '\n';
		if (n >= want)
			return log;
		free(log);
		usleep(100000);
	}
	return it_read(e, "handler.log");
}

START_TEST(an_event_handler_runs_in_the_checks_pool_on_soft_and_hard_changes)
{
	struct it_env e;
	char *yaml, *lines;
	const char *cfg;
	pid_t engine, west, east;

	it_env_init(&e, "eventh");
	yaml = xasprintf(eventh_yaml, e.srcdir, e.dir, e.dir, e.srcdir, e.dir);
	cfg = it_write_config(&e, FAST, "eventh.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	west = it_spawn(&e, "west.log", "worker/vigil-worker",
	    (const char *[]){ "-c", cfg, "--pool", "west", NULL });
	east = it_spawn(&e, "east.log", "worker/vigil-worker",
	    (const char *[]){ "-c", cfg, "--pool", "east", NULL });
	if (it_wait_sql(&e, "SELECT count(*) FILTER (WHERE state = 0) FROM check_state", "2", 60) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the two checks never ran OK");
	}
	/* OK from the start: no change, no handler */
	code(&e, "app", 2);
	/* two SOFT attempts and the HARD change, each in pool west */
	lines = handler_lines(&e, 3, 30);
	ck_assert_str_eq(lines,
	    "west app CRITICAL SOFT attempt=1\n"
	    "west app CRITICAL SOFT attempt=2\n"
	    "west app CRITICAL HARD attempt=3\n");
	free(lines);
	/* HARD CRITICAL goes on: nothing more (three more results) */
	sleep(3);
	lines = it_read(&e, "handler.log");
	ck_assert_str_eq(lines,
	    "west app CRITICAL SOFT attempt=1\n"
	    "west app CRITICAL SOFT attempt=2\n"
	    "west app CRITICAL HARD attempt=3\n");
	free(lines);
	/* the recovery */
	code(&e, "app", 0);
	lines = handler_lines(&e, 4, 30);
	ck_assert_msg(strstr(lines, "\nwest app OK HARD attempt=1\n") != NULL, "%s", lines);
	free(lines);
	/* each run and its outcome are in the history */
#define RUNS_SQL "SELECT string_agg(r.state || ' ' || r.state_type || ' ' || r.attempt" \
	    " || ' ' || r.pool || ' ' || coalesce(r.exit_code::text, '-') || ' ' ||" \
	    " (r.worker IS NOT NULL) || ' ' || r.output, ',' ORDER BY r.time)" \
	    " FROM event_handler_runs r JOIN checks c ON c.id = r.check_id" \
	    " WHERE c.service = 'app'"
	if (it_wait_sql(&e, RUNS_SQL,
	    "2 0 1 west 0 true recorded: app CRITICAL SOFT attempt=1,"
	    "2 0 2 west 0 true recorded: app CRITICAL SOFT attempt=2,"
	    "2 1 3 west 0 true recorded: app CRITICAL HARD attempt=3,"
	    "0 1 1 west 0 true recorded: app OK HARD attempt=1", 30) < 0) {
		char *got = it_sql(&e, RUNS_SQL);

		it_dump(&e, "engine.log");
		ck_abort_msg("the runs are not in event_handler_runs: %s", got);
	}

	/* Switched off at runtime: a change runs nothing. */
	{
		char *out = NULL;

		ck_assert_int_eq(it_run(&e, "ctl.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
		    "disable", "event_handlers", "web/app", NULL }, &out), 0);
		free(out);
	}
	ck_assert_int_eq(it_wait_sql(&e, "SELECT s.disabled <> 0 FROM check_state s JOIN checks c"
	    " ON c.id = s.check_id WHERE c.service = 'app'", "t", 30), 0);
	code(&e, "app", 2);
	ck_assert_int_eq(it_wait_sql(&e, "SELECT s.state || ' ' || s.state_type FROM check_state s"
	    " JOIN checks c ON c.id = s.check_id WHERE c.service = 'app'", "2 1", 30), 0);
	sleep(1);
	lines = it_read(&e, "handler.log");
	{
		int n = 0;

		for (const char *p = lines; *p != '\0'; p++)
			n += *p == '\n';
		ck_assert_msg(n == 4, "the handler ran while switched off:\n%s", lines);
	}
	free(lines);

	/* On again, but in a downtime: a recovery runs nothing either
	 * (event_handler_in_downtime is false). */
	{
		char *out = NULL;

		ck_assert_int_eq(it_run(&e, "ctl.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
		    "enable", "event_handlers", "web/app", NULL }, &out), 0);
		free(out);
		ck_assert_int_eq(it_run(&e, "ctl.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
		    "downtime", "web/app", "--for", "1h", "-m", "maintenance", NULL }, &out), 0);
		free(out);
	}
	ck_assert_int_eq(it_wait_sql(&e, "SELECT (s.disabled = 0) || ' ' || s.in_downtime FROM"
	    " check_state s JOIN checks c ON c.id = s.check_id WHERE c.service = 'app'",
	    "true true", 30), 0);
	code(&e, "app", 0);
	ck_assert_int_eq(it_wait_sql(&e, "SELECT s.state FROM check_state s JOIN checks c"
	    " ON c.id = s.check_id WHERE c.service = 'app'", "0", 30), 0);
	sleep(1);
	lines = it_read(&e, "handler.log");
	{
		int n = 0;

		for (const char *p = lines; *p != '\0'; p++)
			n += *p == '\n';
		ck_assert_msg(n == 4, "the handler ran in a downtime:\n%s", lines);
	}
	ck_assert_msg(it_wait_log(&e, "engine.log", "event handler not run host=web service=app:"
	    " in downtime", 10) >= 0, "the engine did not say why the handler did not run");
	free(lines);
	it_stop(west, SIGTERM, 10);
	it_stop(east, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("it_config");
	TCase *tc = tcase_create("rules");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, a_rule_gives_500_hosts_a_service_and_a_reload_changes_only_its_own);
	tcase_add_test(tc, a_critical_master_suppresses_its_dependents_notifications_and_runs);
	tcase_add_test(tc, an_event_handler_runs_in_the_checks_pool_on_soft_and_hard_changes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_suite());
}
