/*
 * NAME
 *	it_semantics - Nagios semantics end to end against the real servers:
 *	passive results, reload, hostile macro values, Debian's
 *	monitoring-plugins, soft/hard history, parents
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itutil.h"
#include "mqcli.h"
#include "tests/testutil.h"
#include "util.h"
#include "xalloc.h"

#define FAST "max_check_spread: 1s\n"

/* The value of a check_state column of host/service ("-" for a host check). */
static char *
col(struct it_env *e, const char *host, const char *service, const char *column)
{
	char *sql = xasprintf("SELECT s.%s::text FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " JOIN hosts h ON h.id = c.host_id WHERE h.name = '%s' AND c.service %s%s%s",
	    column, host, strcmp(service, "-") == 0 ? "IS NULL" : "= '",
	    strcmp(service, "-") == 0 ? "" : service, strcmp(service, "-") == 0 ? "" : "'");
	char *v = it_sql(e, sql);

	free(sql);
	return v != NULL ? v : xstrdup("(null)");
}

#define ASSERT_COL(e, host, svc, column, want) do { \
	char *v_ = col((e), (host), (svc), (column)); \
	ck_assert_msg(strcmp(v_, (want)) == 0, "%s/%s %s: got \"%s\", want \"%s\"", (host), (svc), \
	    (column), v_, (want)); \
	free(v_); \
} while (0)

static int
wait_col(struct it_env *e, const char *host, const char *service, const char *column,
    const char *want, double timeout)
{
	for (double t = 0; t < timeout; t += 0.1) {
		char *v = col(e, host, service, column);
		int ok = strcmp(v, want) == 0;

		free(v);
		if (ok)
			return 0;
		usleep(100 * 1000);
	}
	return -1;
}


START_TEST(passive_results_from_vigilctl_submit_are_applied)
{
	struct it_env e;
	const char *cfg;
	pid_t engine;
	char *out;

	it_env_init(&e, "passive");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\"]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    check: [dummy]\n"
	    "    active: false\n"
	    "    services:\n"
	    "      backup: {command: [dummy], active: false, max_attempts: 1}\n"
	    "      refuses: {command: [dummy], active: false, passive: false}\n"
	    "  h2:\n"
	    "    check: [dummy]\n"
	    "    active: false\n"
	    "    services:\n"
	    "      job: {command: [dummy], active: false, max_attempts: 3}\n"
	    "      stalked: {command: [dummy], active: false, max_attempts: 1,"
	    " stalking: [critical]}\n"
	    "  h3: {check: [dummy], active: false, parents: [h1]}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	ck_assert(it_wait_log(&e, "engine.log", "amqp up", 20) >= 0);
	ck_assert_msg(it_run(&e, "submit.out", "ctl/vigilctl", (const char *[]){ "-c", cfg, "submit",
	    "h1/backup", "OK", "backup ok | size=12GB", NULL }, &out) == 0, "%s", out);
	free(out);
	if (wait_col(&e, "h1", "backup", "state", "0", 10) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the passive result did not land");
	}
	ASSERT_COL(&e, "h1", "backup", "output", "backup ok");
	ASSERT_COL(&e, "h1", "backup", "perfdata", "size=12GB");
	ASSERT_COL(&e, "h1", "backup", "state_type", "1");
	/* any unit a plugin writes goes into the series with its value */
	ck_assert_int_eq(it_run(&e, "submit1.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "submit", "h1/backup", "OK", "room ok | temp=21.5\xc2\xb0" "C;30;40 rate=12bps",
	    NULL }, &out), 0);
	free(out);
	ck_assert_int_eq(it_wait_sql(&e, "SELECT string_agg(p.label || '=' || p.value || p.uom, ' '"
	    " ORDER BY p.label) FROM perfdata p JOIN checks c ON c.id = p.check_id"
	    " WHERE c.service = 'backup' AND p.label IN ('temp', 'rate')",
	    "rate=12bps temp=21.5\xc2\xb0" "C", 10), 0);
	/* A passive host result: DOWN. */
	ck_assert_int_eq(it_run(&e, "submit2.out", "ctl/vigilctl", (const char *[]){ "-c", cfg, "submit",
	    "h1", "DOWN", "host unreachable by ping", NULL }, &out), 0);
	free(out);
	ck_assert_int_eq(wait_col(&e, "h1", "-", "state", "1", 10), 0);
	ASSERT_COL(&e, "h1", "-", "output", "host unreachable by ping");
	/* behind h1, now DOWN, a passive DOWN stays DOWN: the state submitted
	 * (Nagios's translate_passive_host_checks is off by default) */
	ck_assert_int_eq(it_run(&e, "submit5.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "submit", "h3", "DOWN", "down by itself", NULL }, &out), 0);
	free(out);
	ck_assert_int_eq(wait_col(&e, "h3", "-", "output", "down by itself", 10), 0);
	ASSERT_COL(&e, "h3", "-", "state", "1");
	/* passive: false refuses; an unknown check is parked, the engine goes on. */
	ck_assert_int_eq(it_run(&e, "submit3.out", "ctl/vigilctl", (const char *[]){ "-c", cfg, "submit",
	    "h1/refuses", "CRITICAL", "no", NULL }, &out), 0);
	free(out);
	/* vigilctl refuses a check that does not exist; published anyway
	 * (another submitter), the engine parks it */
	ck_assert_int_eq(it_run(&e, "submit4.out", "ctl/vigilctl", (const char *[]){ "-c", cfg, "submit",
	    "nohost/x", "CRITICAL", "no", NULL }, &out), 1);
	ck_assert_msg(strstr(out, "no check nohost/x") != NULL, "%s", out);
	free(out);
	{
		static const char body[] = "{\"v\":1,\"host\":\"nohost\",\"service\":\"x\","
		    "\"status\":2,\"output\":\"no\"}";
		char x[128], err[256];

		snprintf(x, sizeof(x), "%s.results", e.prefix);
		ck_assert_msg(mqcli_publish(e.amqp, NULL, x, "passive", body, sizeof(body) - 1, 10, err,
		    sizeof(err)) == 0, "%s", err);
	}
	ck_assert(it_wait_log(&e, "engine.log", "passive result refused host=h1 service=refuses", 10) >= 0);
	ck_assert(it_wait_log(&e, "engine.log", "message parked", 10) >= 0);
	ASSERT_COL(&e, "h1", "refuses", "state", "(null)");
	/* A soft recovery is history's OK;SOFT;2, as Nagios logs it; the
	 * check is HARD OK, attempt 1, after it. */
	{
		static const char *const steps[][2] = { { "OK", "0" }, { "CRITICAL", "2" },
			{ "OK", "0" } };

		for (size_t i = 0; i < 3; i++) {
			char log[32];

			snprintf(log, sizeof(log), "job%zu.out", i);
			ck_assert_int_eq(it_run(&e, log, "ctl/vigilctl", (const char *[]){ "-c", cfg,
			    "submit", "h2/job", steps[i][0], "job", NULL }, &out), 0);
			free(out);
			ck_assert_int_eq(wait_col(&e, "h2", "job", "results_total",
			    i == 0 ? "1" : i == 1 ? "2" : "3", 10), 0);
		}
		IT_ASSERT_SQL(&e, "SELECT string_agg(concat_ws(':', h.state, CASE h.state_type WHEN 0"
		    " THEN 'SOFT' ELSE 'HARD' END, h.attempt), ' ' ORDER BY h.id) FROM state_history h"
		    " JOIN checks c ON c.id = h.check_id WHERE c.service = 'job'",
		    "0:HARD:1 2:SOFT:1 0:SOFT:2");
		ASSERT_COL(&e, "h2", "job", "state_type || ':' || s.attempt", "1:1");
	}
	/* Stalking (Nagios): a new output of an unchanged CRITICAL is history;
	 * the same output again, or an unstalked state, is not. */
	{
		static const char *const steps[][2] = { { "CRITICAL", "disk 91%" },
			{ "CRITICAL", "disk 95%" }, { "CRITICAL", "disk 95%" }, { "OK", "disk 40%" },
			{ "OK", "disk 41%" } };

		for (size_t i = 0; i < 5; i++) {
			char log[32], want[8];

			snprintf(log, sizeof(log), "stalk%zu.out", i);
			ck_assert_int_eq(it_run(&e, log, "ctl/vigilctl", (const char *[]){ "-c", cfg,
			    "submit", "h2/stalked", steps[i][0], steps[i][1], NULL }, &out), 0);
			free(out);
			snprintf(want, sizeof(want), "%zu", i + 1);
			ck_assert_int_eq(wait_col(&e, "h2", "stalked", "results_total", want, 10), 0);
		}
		IT_ASSERT_SQL(&e, "SELECT string_agg(h.output, ',' ORDER BY h.id) FROM state_history h"
		    " JOIN checks c ON c.id = h.check_id WHERE c.service = 'stalked'",
		    "disk 91%,disk 95%,disk 40%");
	}
	ck_assert_int_eq(kill(engine, 0), 0);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_reload_with_a_broken_file_keeps_the_old_config_and_lists_the_errors)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	char *log;

	it_env_init(&e, "badreload");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\", fine]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      s1: {command: [dummy], interval: 1s}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	ck_assert_int_eq(wait_col(&e, "h1", "s1", "state", "0", 20), 0);
	it_write_config(&e, FAST, "b.yaml",
	    "hosts:\n"
	    "  h2:\n"
	    "    services:\n"
	    "      s1: {command: [nonesuch], intervall: 5m}\n");
	kill(engine, SIGHUP);
	if (it_wait_log(&e, "engine.log", "reload refused", 10) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the broken reload was not refused");
	}
	log = it_read(&e, "engine.log");
	ck_assert_msg(strstr(log, "conf.d/b.yaml:4:") != NULL && strstr(log, "intervall") != NULL &&
	    strstr(log, "nonesuch") != NULL, "errors not listed: %s", log);
	free(log);
	/* The old config still runs: s1 keeps getting results, no h2. */
	{
		char *before = col(&e, "h1", "s1", "results_total"), *after;

		sleep(3);
		after = col(&e, "h1", "s1", "results_total");
		ck_assert_msg(atoi(after) > atoi(before), "s1 stopped running (%s → %s)", before, after);
		free(before);
		free(after);
	}
	IT_ASSERT_SQL(&e, "SELECT count(*) FROM hosts WHERE name = 'h2'", "0");
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_reload_that_adds_a_host_moves_no_other_check)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	char *before, *after, *out;
	const char *sched = "SELECT string_agg(c.id || '@' || extract(epoch FROM s.next_check)::text, ','"
	    " ORDER BY c.id) FROM checks c JOIN check_state s ON s.check_id = c.id"
	    " JOIN hosts h ON h.id = c.host_id WHERE h.name = 'h1'";

	it_env_init(&e, "addreload");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\", fine]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    check: [dummy]\n"
	    "    interval: 5m\n"
	    "    services:\n"
	    "      s1: {command: [dummy], interval: 5m}\n"
	    "      s2: {command: [dummy], interval: 7m}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	ck_assert_int_eq(it_wait_sql(&e, "SELECT count(*) FILTER (WHERE state IS NULL) || '/' || count(*)"
	    " FROM check_state", "0/3", 20), 0);
	before = it_sql(&e, sched);
	it_write_config(&e, FAST, "b.yaml",
	    "hosts:\n"
	    "  h2:\n"
	    "    services:\n"
	    "      s1: {command: [dummy], interval: 5m}\n");
	ck_assert_msg(it_run(&e, "reload.out", "ctl/vigilctl", (const char *[]){ "-c", cfg, "reload", NULL },
	    &out) == 0, "%s", out);
	free(out);
	if (it_wait_log(&e, "engine.log", "reloaded checks=4 kept=3 changed=0 added=1 removed=0", 15) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("no reload");
	}
	/* The new host runs; the old checks kept their place in the schedule. */
	ck_assert_int_eq(wait_col(&e, "h2", "s1", "state", "0", 15), 0);
	after = it_sql(&e, sched);
	ck_assert_msg(strcmp(before, after) == 0, "schedule moved:\n before %s\n after  %s", before, after);
	free(before);
	free(after);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_hostile_host_address_reaches_the_plugin_as_one_literal_argument)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	char *yaml;

	it_env_init(&e, "macro");
	/* YAML double-quoted: \n is a newline, \" a quote. */
	yaml = xasprintf(
	    "commands:\n"
	    "  echo: {argv: [%s/tests/plugins/echo_args, $HOSTADDRESS$, $ARG1$, $_HOSTNOTE$]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    address: \"a;b $(id) `uname` 'q' \\\"d\\\"\\nline2\"\n"
	    "    vars: {note: \"x; rm -rf / $(reboot)\"}\n"
	    "    services:\n"
	    "      args: {command: [echo, \"c d\"], max_attempts: 1}\n", e.srcdir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	if (wait_col(&e, "h1", "args", "state", "0", 20) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("no result");
	}
	/* echo_args prints each argument as [arg]: three, exactly as written. */
	ASSERT_COL(&e, "h1", "args", "output", "[a;b $(id) `uname` 'q' \"d\"");
	ASSERT_COL(&e, "h1", "args", "long_output", "line2]\n[c d]\n[x; rm -rf / $(reboot)]");
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* pid has ended (gone, or a zombie nobody reaps: whoever adopts orphans
 * here) within limit seconds. */
static int
ended(pid_t pid, double limit)
{
	double until = util_now() + limit;
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	do {
		FILE *f = fopen(path, "r");
		char *p;

		if (f == NULL)
			return 1;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		if (p == NULL || ((p = strrchr(buf, ')')) != NULL && p[1] == ' ' && p[2] == 'Z'))
			return 1;
		usleep(20000);
	} while (util_now() < until);
	return 0;
}

/* A plugin that leaves a process running in the background: the worker
 * kills it with the plugin's process group once the plugin has ended. */
START_TEST(a_check_leaves_no_process_running)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker, child;
	char *yaml, *pidfile;
	FILE *f;
	long n;

	it_env_init(&e, "leave");
	pidfile = xasprintf("%s/child.pid", e.dir);
	yaml = xasprintf(
	    "commands:\n"
	    "  leave: {argv: [%s/tests/plugins/leave_child_wait, %s]}\n"
	    "hosts:\n"
	    "  h1: {services: {bg: {command: leave, max_attempts: 1}}}\n", e.srcdir, pidfile);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	if (wait_col(&e, "h1", "bg", "output", "parent done", 30) < 0) {
		it_dump(&e, "worker.log");
		ck_abort_msg("no result");
	}
	ck_assert_ptr_nonnull(f = fopen(pidfile, "r"));
	ck_assert_int_eq(fscanf(f, "%ld", &n), 1);
	fclose(f);
	child = (pid_t)n;
	ck_assert_int_gt(child, 1);
	ck_assert_msg(ended(child, 10), "the plugin's background process %ld outlived its check",
	    (long)child);
	free(pidfile);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* The labels of a check's stored perfdata, sorted and joined by ",". */
static char *
perf_labels(struct it_env *e, const char *service)
{
	char *sql = xasprintf("SELECT coalesce(string_agg(DISTINCT p.label, ',' ORDER BY p.label), '')"
	    " FROM perfdata p JOIN checks c ON c.id = p.check_id WHERE c.service = '%s'", service);
	char *v = it_sql(e, sql);

	free(sql);
	return v != NULL ? v : xstrdup("(null)");
}

#define ASSERT_PERF(e, svc, want) do { \
	char *v_ = perf_labels((e), (svc)); \
	ck_assert_msg(strcmp(v_, (want)) == 0, "%s perfdata labels: got \"%s\", want \"%s\"", (svc), v_, (want)); \
	free(v_); \
} while (0)

START_TEST(debian_monitoring_plugins_run_unmodified)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker, http;
	char *yaml, *index, *out;
	int http_port = it_free_port(), closed_port = it_free_port();
	const char *pg_port = getenv("VIGIL_PG_PORT");
	FILE *f;

	it_env_init(&e, "plugins");
	index = xasprintf("%s/index.html", e.dir);
	f = fopen(index, "w");
	fputs("<html><body>vigil says hello</body></html>\n", f);
	fclose(f);
	{
		char port[16], *dir = xstrdup(e.dir);

		snprintf(port, sizeof(port), "%d", http_port);
		http = it_spawn(&e, "http.log", "/usr/bin/python3", (const char *[]){ "-m", "http.server",
		    port, "--bind", "127.0.0.1", "--directory", dir, NULL });
		free(dir);
	}
	yaml = xasprintf(
	    "commands:\n"
	    "  tcp: {argv: [$PLUGINDIR$/check_tcp, -H, 127.0.0.1, -p, $ARG1$]}\n"
	    "  http: {argv: [$PLUGINDIR$/check_http, -H, 127.0.0.1, -p, \"%d\", -u, /index.html, -s, $ARG1$]}\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, $ARG1$, $ARG2$]}\n"
	    "  load: {argv: [$PLUGINDIR$/check_load, -w, \"100,100,100\", -c, \"200,200,200\"]}\n"
	    "  disk: {argv: [$PLUGINDIR$/check_disk, -w, \"1%%\", -c, \"1%%\", -p, /]}\n"
	    "templates:\n"
	    "  t: {max_attempts: 1, interval: 5m}\n"
	    "hosts:\n"
	    "  local:\n"
	    "    address: 127.0.0.1\n"
	    "    services:\n"
	    "      tcp-open: {use: t, command: [tcp, \"%s\"]}\n"
	    "      tcp-closed: {use: t, command: [tcp, \"%d\"]}\n"
	    "      http-found: {use: t, command: [http, \"vigil says hello\"]}\n"
	    "      http-missing: {use: t, command: [http, \"no such words\"]}\n"
	    "      dummy0: {use: t, command: [dummy, \"0\", zero]}\n"
	    "      dummy1: {use: t, command: [dummy, \"1\", one]}\n"
	    "      dummy2: {use: t, command: [dummy, \"2\", two]}\n"
	    "      dummy3: {use: t, command: [dummy, \"3\", three]}\n"
	    "      load: {use: t, command: [load]}\n"
	    "      disk: {use: t, command: [disk]}\n",
	    http_port, pg_port != NULL ? pg_port : "5432", closed_port);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	/* The HTTP server answers before the checks run. */
	for (int i = 0; i < 50; i++) {
		char url[64];
		int rc;

		snprintf(url, sizeof(url), "%d", http_port);
		rc = it_run(&e, "probe.out", "/usr/lib/nagios/plugins/check_http",
		    (const char *[]){ "-H", "127.0.0.1", "-p", url, NULL }, &out);
		free(out);
		if (rc == 0)
			break;
		usleep(100 * 1000);
	}
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_sql(&e, "SELECT count(*) FILTER (WHERE state IS NULL) || '/' || count(*)"
	    " FROM check_state", "0/10", 30) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("not every plugin ran");
	}
	ASSERT_COL(&e, "local", "tcp-open", "state", "0");
	ASSERT_PERF(&e, "tcp-open", "time");
	ASSERT_COL(&e, "local", "tcp-closed", "state", "2");
	ASSERT_PERF(&e, "tcp-closed", "");
	ASSERT_COL(&e, "local", "http-found", "state", "0");
	ASSERT_PERF(&e, "http-found", "size,time");
	ASSERT_COL(&e, "local", "http-missing", "state", "2");
	{
		char *o = col(&e, "local", "http-missing", "output");

		ck_assert_msg(strstr(o, "string 'no such words' not found") != NULL, "http-missing: %s", o);
		free(o);
	}
	ASSERT_COL(&e, "local", "dummy0", "output", "OK: zero");
	ASSERT_COL(&e, "local", "dummy1", "state", "1");
	ASSERT_COL(&e, "local", "dummy2", "state", "2");
	ASSERT_COL(&e, "local", "dummy3", "state", "3");
	ASSERT_COL(&e, "local", "dummy3", "output", "UNKNOWN: three");
	ASSERT_PERF(&e, "dummy0", "");
	ASSERT_COL(&e, "local", "load", "state", "0");
	ASSERT_PERF(&e, "load", "load1,load15,load5");
	ASSERT_COL(&e, "local", "disk", "state", "0");
	ASSERT_PERF(&e, "disk", "/");
	/* Parsed values, not just labels: a load is a number >= 0, the disk's
	 * maximum is its size (this check_disk reports bytes). */
	IT_ASSERT_SQL(&e, "SELECT bool_and(value >= 0)::text FROM perfdata p JOIN checks c"
	    " ON c.id = p.check_id WHERE c.service = 'load'", "true");
	IT_ASSERT_SQL(&e, "SELECT (uom IN ('B', 'MB') AND max > 0 AND value > 0)::text"
	    " FROM perfdata p JOIN checks c ON c.id = p.check_id WHERE c.service = 'disk'", "true");
	it_stop(http, SIGTERM, 5);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	free(index);
	it_env_cleanup(&e);
}
END_TEST

/* Run times of the from_file plugin, from its log. */
static int
run_times(struct it_env *e, double *t, int max)
{
	char *log = it_read(e, "runs.log"), *p = log;
	int n = 0;

	while (n < max && (p = strstr(p, "run ")) != NULL) {
		t[n++] = strtod(p + 4, &p);
	}
	free(log);
	return n;
}

static void
set_code(struct it_env *e, int code)
{
	char *path = xasprintf("%s/code", e->dir);
	FILE *f = fopen(path, "w");

	fprintf(f, "%d\n", code);
	fclose(f);
	free(path);
}

START_TEST(ok_soft_soft_hard_ok_records_history_and_uses_the_retry_interval)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	char *yaml, *hist;
	double t[32];
	int n;

	it_env_init(&e, "softhard");
	set_code(&e, 0);
	yaml = xasprintf(
	    "commands:\n"
	    "  ctl: {argv: [%s/tests/plugins/from_file, %s/code, %s/runs.log]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      s: {command: [ctl], interval: 4s, retry_interval: 1s, max_attempts: 3}\n",
	    e.srcdir, e.dir, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	ck_assert_int_eq(wait_col(&e, "h1", "s", "state", "0", 20), 0);
	set_code(&e, 2);
	if (wait_col(&e, "h1", "s", "state || ':' || s.state_type", "2:1", 20) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("never HARD CRITICAL");
	}
	ASSERT_COL(&e, "h1", "s", "attempt", "3");
	set_code(&e, 0);
	ck_assert_int_eq(wait_col(&e, "h1", "s", "state", "0", 20), 0);
	hist = it_sql(&e, "SELECT string_agg(concat_ws(':', coalesce(old_state::text, 'P'), state,"
	    " CASE state_type WHEN 0 THEN 'SOFT' ELSE 'HARD' END, attempt, hard_change), ' ' ORDER BY id)"
	    " FROM state_history");
	/* old:new:type:attempt:hard_change ("P": was pending) */
	ck_assert_msg(strcmp(hist, "P:0:HARD:1:t 0:2:SOFT:1:f 2:2:SOFT:2:f 2:2:HARD:3:t"
	    " 2:0:HARD:1:t") == 0, "history: %s", hist);
	free(hist);
	/* Runs: OK at t0; CRITICAL (SOFT 1) a 4 s interval later at most; then
	 * 1 s retries for SOFT 2 and HARD 3; then the 4 s interval again. */
	n = run_times(&e, t, 32);
	{
		int first = -1;
		char *log = it_read(&e, "runs.log");

		/* The runs log has "run T CODE" lines: index of the first 2. */
		{
			char *p = log;
			int k = 0;

			while ((p = strstr(p, "run ")) != NULL) {
				char *sp = strchr(p + 4, ' ');

				if (sp != NULL && sp[1] == '2' && first < 0)
					first = k;
				p += 4;
				k++;
			}
		}
		free(log);
		ck_assert_msg(first >= 1 && first + 3 < n, "runs: %d, first CRITICAL at %d", n, first);
		ck_assert_msg(t[first + 1] - t[first] > 0.7 && t[first + 1] - t[first] < 1.8,
		    "SOFT 1 → SOFT 2 after %.2f s, want the 1 s retry", t[first + 1] - t[first]);
		ck_assert_msg(t[first + 2] - t[first + 1] > 0.7 && t[first + 2] - t[first + 1] < 1.8,
		    "SOFT 2 → HARD 3 after %.2f s, want the 1 s retry", t[first + 2] - t[first + 1]);
		ck_assert_msg(t[first + 3] - t[first + 2] > 3.5 && t[first + 3] - t[first + 2] < 4.8,
		    "HARD 3 → next after %.2f s, want the 4 s interval", t[first + 3] - t[first + 2]);
	}
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_host_down_behind_a_down_parent_is_unreachable_and_its_services_go_hard_at_once)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	char *yaml;

	it_env_init(&e, "parents");
	yaml = xasprintf(
	    "commands:\n"
	    "  core: {argv: [%s/tests/plugins/from_file, %s/core, %s/core.log]}\n"
	    "  web: {argv: [%s/tests/plugins/from_file, %s/web, %s/web.log]}\n"
	    "  svc: {argv: [%s/tests/plugins/from_file, %s/svc, %s/svc.log]}\n"
	    "templates:\n"
	    "  t: {interval: 2s, retry_interval: 1s, max_attempts: 2}\n"
	    "hosts:\n"
	    "  core-sw:\n"
	    "    use: t\n"
	    "    check: [core]\n"
	    "  web-01:\n"
	    "    use: t\n"
	    "    parents: [core-sw]\n"
	    "    check: [web]\n"
	    "    services:\n"
	    "      http: {command: [svc], interval: 2s, retry_interval: 2s, max_attempts: 5}\n",
	    e.srcdir, e.dir, e.dir, e.srcdir, e.dir, e.dir, e.srcdir, e.dir, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	ck_assert_int_eq(wait_col(&e, "web-01", "http", "state", "0", 40), 0);
	/* The switch dies, and web-01 behind it answers nothing. */
	{
		char *p1 = xasprintf("%s/core", e.dir), *p2 = xasprintf("%s/web", e.dir);
		FILE *f = fopen(p1, "w");

		fputs("2\n", f);
		fclose(f);
		f = fopen(p2, "w");
		fputs("2\n", f);
		fclose(f);
		free(p1);
		free(p2);
	}
	if (wait_col(&e, "core-sw", "-", "state", "1", 20) < 0 ||
	    wait_col(&e, "core-sw", "-", "state_type", "1", 20) < 0 ||
	    wait_col(&e, "web-01", "-", "state", "2", 20) < 0 ||
	    wait_col(&e, "web-01", "-", "state_type", "1", 20) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("core-sw HARD DOWN and web-01 HARD UNREACHABLE never came");
	}
	/* Now the service fails too: on a host that is HARD non-UP its first
	 * problem is HARD at once, not SOFT 1 of 5. */
	{
		char *p = xasprintf("%s/svc", e.dir);
		FILE *f = fopen(p, "w");

		fputs("2\n", f);
		fclose(f);
		free(p);
	}
	if (wait_col(&e, "web-01", "http", "state", "2", 20) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("web-01/http never saw the failure");
	}
	ASSERT_COL(&e, "web-01", "http", "state_type", "1");
	IT_ASSERT_SQL(&e, "SELECT h.state_type || ':' || h.hard_change FROM state_history h"
	    " JOIN checks c ON c.id = h.check_id WHERE c.service = 'http' AND h.state = 2"
	    " ORDER BY h.id LIMIT 1", "1:true");
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_passive_check_without_results_goes_stale)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	double t0;
	char *o;

	it_env_init(&e, "stale");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\"]}\n"
	    "  noresult: {argv: [$PLUGINDIR$/check_dummy, \"2\", \"no results came\"]}\n"
	    "timeperiods:\n"
	    "  never: {}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      backup: {command: [dummy], active: false, freshness_threshold: 2s,"
	    " stale_state: CRITICAL, max_attempts: 1}\n"
	    /* outside its check_period: never stale (Nagios skips it) */
	    "      nightly: {command: [dummy], active: false, freshness_threshold: 1s,"
	    " stale_state: CRITICAL, max_attempts: 1, check_period: never}\n"
	    /* an active check stale without a stale_state: its command runs
	     * (Nagios); its own interval is an hour */
	    "      runs: {command: [noresult], interval: 1h, freshness_threshold: 2s,"
	    " max_attempts: 1}\n"
	    /* a passive-only one: its stale_state, UNKNOWN by default */
	    "      pass: {command: [noresult], active: false, freshness_threshold: 2s}\n"
	    /* passive-only, no freshness asked for: never stale (Nagios's
	     * check_freshness is off by default); its interval + 15 s is 16 s */
	    "      quiet: {command: [noresult], active: false, interval: 1s}\n");
	t0 = util_now();
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	if (wait_col(&e, "h1", "backup", "state", "2", 15) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("never stale");
	}
	o = col(&e, "h1", "backup", "output");
	ck_assert_msg(strstr(o, "stale, the freshness threshold is 2 s") != NULL, "output: %s", o);
	free(o);
	/* backup's 2 s have passed: nightly's 1 s twice over, and nothing */
	sleep(1);
	ASSERT_COL(&e, "h1", "nightly", "state", "(null)");
	ASSERT_COL(&e, "h1", "nightly", "results_total", "0");
	o = it_read(&e, "engine.log");
	ck_assert_msg(strstr(o, "service=nightly") == NULL, "%s", o);
	free(o);
	/* runs: its first run, then more as it goes stale (the hour of its
	 * interval is far away) */
	if (it_wait_sql(&e, "SELECT (s.results_total >= 3)::text FROM check_state s JOIN checks c"
	    " ON c.id = s.check_id WHERE c.service = 'runs'", "true", 30) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the stale check's command did not run");
	}
	ASSERT_COL(&e, "h1", "runs", "output", "CRITICAL: no results came");
	ck_assert(it_wait_log(&e, "engine.log", "service=runs seconds=", 5) >= 0);
	ck_assert(it_wait_log(&e, "engine.log", ": running its command now", 5) >= 0);
	ck_assert_int_eq(wait_col(&e, "h1", "pass", "state", "3", 30), 0);
	o = col(&e, "h1", "pass", "output");
	ck_assert_msg(strstr(o, "stale, the freshness threshold is 2 s") != NULL, "%s", o);
	free(o);
	/* past quiet's interval + 15 s: still no result of any kind */
	while (util_now() - t0 < 18)
		usleep(200 * 1000);
	ASSERT_COL(&e, "h1", "quiet", "state", "(null)");
	o = it_read(&e, "engine.log");
	ck_assert_msg(strstr(o, "service=quiet") == NULL, "%s", o);
	free(o);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_check_outside_its_check_period_does_not_run)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;

	it_env_init(&e, "period");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\", ran]}\n"
	    "timeperiods:\n"
	    "  never: {}\n"
	    "  always: {all: \"00:00-24:00\"}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      off: {command: [dummy], interval: 1s, check_period: never}\n"
	    "      on: {command: [dummy], interval: 1s, check_period: always}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	ck_assert_int_eq(it_wait_sql(&e, "SELECT (s.results_total >= 3)::text FROM check_state s"
	    " JOIN checks c ON c.id = s.check_id WHERE c.service = 'on'", "true", 20), 0);
	ASSERT_COL(&e, "h1", "off", "state", "(null)");
	ASSERT_COL(&e, "h1", "off", "results_total", "0");
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* vigilctl -c cfg ARGS...: its exit status, its output in *out. */
static int
vctl(struct it_env *e, const char *cfg, char **out, const char *const args[])
{
	const char *argv[16] = { "-c", cfg };
	int n = 2;

	for (int i = 0; args[i] != NULL && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return it_run(e, "vctl.out", "ctl/vigilctl", argv, out);
}

/* results_total of h1/service once it has not moved for 3 s (a run in
 * flight when its checks were switched off lands first); -1 if it keeps
 * moving for 40 s. */
static long
settled_total(struct it_env *e, const char *service)
{
	long last = -2;
	double still = 0;

	for (double t = 0; t < 40; t += 0.5) {
		char *v = col(e, "h1", service, "results_total");
		long n = strcmp(v, "(null)") == 0 ? 0 : atol(v);

		free(v);
		still = n == last ? still + 0.5 : 0;
		if (still >= 3)
			return n;
		last = n;
		usleep(500 * 1000);
	}
	return -1;
}

/* A passive result for h1/p at time t (raw, as any submitter sends). */
static void
passive_at(struct it_env *e, struct mqcli *m, int status, const char *output, double t)
{
	char x[128], err[256], *body;

	snprintf(x, sizeof(x), "%s.results", e->prefix);
	body = xasprintf("{\"v\":1,\"host\":\"h1\",\"service\":\"p\",\"status\":%d,"
	    "\"output\":\"%s\",\"time\":%.3f}", status, output, t);
	ck_assert_msg(mqcli_send(m, x, "passive", body, strlen(body), err, sizeof(err)) == 0,
	    "%s", err);
	free(body);
}

/*
 * Passive results that arrive together are applied in time order, and one
 * older than the check's last result is applied too (Nagios sorts its
 * check results by time and applies each); one dated beyond clock skew
 * ahead is refused with the reason.
 */
START_TEST(passive_results_are_applied_in_time_order_and_the_future_is_refused)
{
	struct it_env e;
	const char *cfg;
	pid_t engine;
	struct mqcli *m;
	char err[256];
	double t = util_now();

	it_env_init(&e, "passiveorder");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\"]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    check: [dummy]\n"
	    "    active: false\n"
	    "    services:\n"
	    "      p: {command: [dummy], active: false, max_attempts: 1}\n");
	/* the engine makes the queue, then is away while three results come */
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	ck_assert(it_wait_log(&e, "engine.log", "amqp up", 30) >= 0);
	it_stop(engine, SIGTERM, 15);
	ck_assert_ptr_nonnull(m = mqcli_open(e.amqp, 10, err, sizeof(err)));
	passive_at(&e, m, 0, "third", t - 10);
	passive_at(&e, m, 2, "first", t - 30);
	passive_at(&e, m, 1, "second", t - 20);
	mqcli_close(m);
	engine = it_spawn(&e, "engine2.log", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL });
	ck_assert_int_eq(wait_col(&e, "h1", "p", "results_total", "3", 30), 0);
	/* in time order, whatever the order of arrival: the newest is last */
	ASSERT_COL(&e, "h1", "p", "output", "third");
	IT_ASSERT_SQL(&e, "SELECT string_agg(h.output, ',' ORDER BY h.id) FROM state_history h"
	    " JOIN checks c ON c.id = h.check_id WHERE c.service = 'p'", "first,second,third");
	/* older than the last check: applied all the same */
	ck_assert_ptr_nonnull(m = mqcli_open(e.amqp, 10, err, sizeof(err)));
	passive_at(&e, m, 2, "late", t - 60);
	/* an hour ahead: refused, said */
	passive_at(&e, m, 0, "tomorrow", t + 3600);
	mqcli_close(m);
	ck_assert_int_eq(wait_col(&e, "h1", "p", "output", "late", 30), 0);
	ck_assert(it_wait_log(&e, "engine2.log", "s ahead of the engine's clock (more than 300 s)",
	    20) >= 0);
	ASSERT_COL(&e, "h1", "p", "results_total", "4");
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/*
 * A host's downtime for its child hosts (Nagios's "schedule downtime for
 * all child hosts"): triggered ones wait for the host's to start and start
 * with it, all the way down and with their services; plain ones run on
 * their own; a service's downtime has no children. The triggers survive a
 * restart.
 */
START_TEST(a_hosts_downtime_for_its_children_plain_or_triggered)
{
	struct it_env e;
	const char *cfg;
	pid_t engine;
	char *out, *root;

	it_env_init(&e, "childdt");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\"]}\n"
	    "hosts:\n"
	    "  core-sw: {check: [dummy], active: false}\n"
	    "  web-01:\n"
	    "    parents: [core-sw]\n"
	    "    check: [dummy]\n"
	    "    active: false\n"
	    "    services:\n"
	    "      http: {command: [dummy], active: false}\n"
	    "  db-01: {parents: [web-01], check: [dummy], active: false}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	ck_assert(it_wait_log(&e, "engine.log", "amqp up", 30) >= 0);
	ck_assert_msg(vctl(&e, cfg, &out, (const char *[]){ "downtime", "core-sw", "--for", "1h",
	    "--start", "+4s", "-m", "switch swap", "--services", "--children-triggered",
	    NULL }) == 0, "%s", out);
	ck_assert_msg(strstr(out, ", and 3 for its child hosts (triggered by it)") != NULL, "%s",
	    out);
	free(out);
	root = it_sql(&e, "SELECT d.id FROM downtimes d JOIN checks c ON c.id = d.check_id"
	    " JOIN hosts h ON h.id = c.host_id WHERE h.name = 'core-sw'");
	{
		char *sql = xasprintf("SELECT count(*) FROM downtimes WHERE triggered_by = '%s'"
		    " AND started_at IS NULL", root);

		IT_ASSERT_SQL(&e, sql, "3");
		free(sql);
	}
	/* the host's starts, and so do the three it triggers */
	ck_assert_int_eq(it_wait_sql(&e, "SELECT count(*) FROM downtimes WHERE started_at IS NOT"
	    " NULL", "4", 30), 0);
	IT_ASSERT_SQL(&e, "SELECT count(*) FROM check_state WHERE in_downtime", "4");
	/* plain: db-01's own, started at once */
	ck_assert_msg(vctl(&e, cfg, &out, (const char *[]){ "downtime", "web-01", "--for", "1h",
	    "-m", "web", "--children", NULL }) == 0, "%s", out);
	ck_assert_msg(strstr(out, ", and 1 for its child hosts") != NULL, "%s", out);
	free(out);
	IT_ASSERT_SQL(&e, "SELECT count(*) FROM downtimes d JOIN checks c ON c.id = d.check_id"
	    " JOIN hosts h ON h.id = c.host_id WHERE h.name = 'db-01' AND d.triggered_by IS NULL"
	    " AND d.started_at IS NOT NULL", "1");
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "downtime", "web-01/http", "--for",
	    "1h", "-m", "x", "--children", NULL }), 1);
	ck_assert_msg(strstr(out, "only a host's downtime is for its child hosts") != NULL, "%s",
	    out);
	free(out);
	/* --start in RFC 3339, UTC or with an offset, straight to the engine */
	ck_assert_msg(vctl(&e, cfg, &out, (const char *[]){ "downtime", "db-01", "--for", "1h",
	    "--start", "2030-01-02T03:04:05Z", "-m", "rfc-z", NULL }) == 0, "%s", out);
	free(out);
	ck_assert_msg(vctl(&e, cfg, &out, (const char *[]){ "downtime", "db-01", "--for", "1h",
	    "--start", "2030-01-02T04:04:05.5+01:00", "-m", "rfc-offset", NULL }) == 0, "%s", out);
	free(out);
	IT_ASSERT_SQL(&e, "SELECT string_agg(extract(epoch FROM start_time)::bigint::text, ','"
	    " ORDER BY comment) FROM downtimes WHERE comment LIKE 'rfc-%'", "1893553445,1893553445");
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "downtime", "db-01", "--for", "1h",
	    "--start", "2030-01-02T03:04:05", "-m", "x", NULL }), 2);	/* no zone: refused */
	free(out);
	/* the triggers are kept: a restart restores them */
	it_stop(engine, SIGTERM, 15);
	engine = it_spawn(&e, "engine2.log", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL });
	ck_assert(it_wait_log(&e, "engine2.log", "restored downtimes=8", 30) >= 0);
	free(root);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* A plugin that exits 127 because its loader could not find a library:
 * the check says which, from the first line of the plugin's stderr. */
START_TEST(a_plugin_whose_loader_fails_says_why)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	char *o, *yaml;

	it_env_init(&e, "loader");
	yaml = xasprintf(
	    "commands:\n"
	    "  broken: {argv: [%s/tests/plugins/exit_with, \"127\", \"\","
	    " \"check_x: error while loading shared libraries: libfoo.so.1: cannot open shared"
	    " object file\"]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      s: {command: [broken], interval: 1h}\n", e.srcdir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	if (wait_col(&e, "h1", "s", "state", "3", 30) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the broken plugin never ran");
	}
	o = col(&e, "h1", "s", "output");
	ck_assert_msg(strstr(o, "(plugin exited 127: ") != NULL && strstr(o, "exit_with: check_x: "
	    "error while loading shared libraries: libfoo.so.1: cannot open shared object file)")
	    != NULL, "%s", o);
	free(o);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/*
 * Runtime switches (Nagios's enable/disable commands) through vigilctl:
 * per check, per host with its services and for every check; each says
 * who and why, each holds across an engine restart, and each acts:
 * active checks stop (a recheck still runs), passive results are
 * refused.
 */
START_TEST(runtime_switches_act_say_who_and_hold_across_a_restart)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, worker;
	char *out;
	long n1, n2;

	it_env_init(&e, "switches");
	setenv("VIGIL_AUTHOR", "carol", 1);
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  ok: {argv: [$PLUGINDIR$/check_dummy, \"0\", fine]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    check: [ok]\n"
	    "    interval: 1s\n"
	    "    services:\n"
	    "      act: {command: [ok], interval: 1s}\n"
	    "      pas: {command: [ok], active: false}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	ck_assert_int_eq(it_wait_sql(&e, "SELECT (s.results_total >= 2)::text FROM check_state s"
	    " JOIN checks c ON c.id = s.check_id WHERE c.service = 'act'", "true", 30), 0);

	/* active checks off for one check: it stops, says who and why */
	ck_assert_msg(vctl(&e, cfg, &out, (const char *[]){ "disable", "active_checks", "h1/act",
	    "-m", "maintenance", NULL }) == 0, "%s", out);
	ck_assert_msg(strstr(out, "active_checks disabled for h1/act") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "disable", "active-checks",
	    "h1/act", NULL }), 1);
	ck_assert_msg(strstr(out, "already") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "disable", "everything", "h1/act",
	    NULL }), 2);
	free(out);
	ck_assert_msg((n1 = settled_total(&e, "act")) >= 0, "h1/act kept running");
	ASSERT_COL(&e, "h1", "act", "disabled", "1");
	ASSERT_COL(&e, "h1", "act", "disabled_by || ': ' || s.disabled_comment", "carol: maintenance");
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "status", NULL }), 0);
	ck_assert_msg(strstr(out, "[DISABLED active_checks by carol]") != NULL, "%s", out);
	free(out);
	/* a recheck still runs it, once */
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "recheck", "h1/act", NULL }), 0);
	free(out);
	ck_assert_int_eq((n2 = settled_total(&e, "act")), n1 + 1);

	/* passive results refused while passive checks are off */
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "disable", "passive_checks",
	    "h1/pas", NULL }), 0);
	free(out);
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "submit", "h1/pas", "OK", "x",
	    NULL }), 0);
	free(out);
	ck_assert(it_wait_log(&e, "engine.log", "passive result refused host=h1 service=pas "
	    "reason=\"passive checks disabled", 20) >= 0);
	ASSERT_COL(&e, "h1", "pas", "results_total", "0");

	/* a host with its services; and for every check */
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "disable", "flap_detection", "h1",
	    "--services", NULL }), 0);
	ck_assert_msg(strstr(out, "and for 2 services") != NULL, "%s", out);
	free(out);
	IT_ASSERT_SQL(&e, "SELECT count(*) FROM check_state WHERE disabled & 8 = 8", "3");
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "disable", "notifications",
	    "--global", "-m", "storm", NULL }), 0);
	free(out);
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "status", NULL }), 0);
	ck_assert_msg(strstr(out, "DISABLED FOR EVERY CHECK: notifications (by carol at ") !=
	    NULL && strstr(out, ": storm)") != NULL, "%s", out);
	free(out);

	/* all of it holds across a restart */
	it_stop(engine, SIGTERM, 15);
	engine = it_spawn(&e, "engine2.log", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL });
	ck_assert(it_wait_log(&e, "engine2.log", "runtime switches off for every check", 30) >= 0);
	ck_assert(it_wait_log(&e, "engine2.log", "amqp up", 30) >= 0);
	ck_assert_int_eq(settled_total(&e, "act"), n2);
	ASSERT_COL(&e, "h1", "act", "disabled", "9");
	IT_ASSERT_SQL(&e, "SELECT what FROM global_switches", "notifications");

	/* and switched on again */
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "enable", "active_checks",
	    "h1/act", NULL }), 0);
	free(out);
	{
		char *sql = xasprintf("SELECT (s.results_total >= %ld)::text FROM check_state s"
		    " JOIN checks c ON c.id = s.check_id WHERE c.service = 'act'", n2 + 3);

		ck_assert_int_eq(it_wait_sql(&e, sql, "true", 30), 0);
		free(sql);
	}
	ck_assert_int_eq(vctl(&e, cfg, &out, (const char *[]){ "enable", "notifications",
	    "--global", NULL }), 0);
	free(out);
	ck_assert_int_eq(it_wait_sql(&e, "SELECT count(*) FROM global_switches", "0", 20), 0);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

static Suite *
semantics_suite(void)
{
	Suite *s = suite_create("semantics");
	TCase *tc = tcase_create("passive");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, passive_results_from_vigilctl_submit_are_applied);
	tcase_add_test(tc, passive_results_are_applied_in_time_order_and_the_future_is_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("reload");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_reload_with_a_broken_file_keeps_the_old_config_and_lists_the_errors);
	tcase_add_test(tc, a_reload_that_adds_a_host_moves_no_other_check);
	suite_add_tcase(s, tc);
	tc = tcase_create("plugins");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, debian_monitoring_plugins_run_unmodified);
	tcase_add_test(tc, a_plugin_whose_loader_fails_says_why);
	tcase_add_test(tc, ok_soft_soft_hard_ok_records_history_and_uses_the_retry_interval);
	tcase_add_test(tc, a_host_down_behind_a_down_parent_is_unreachable_and_its_services_go_hard_at_once);
	suite_add_tcase(s, tc);
	tc = tcase_create("freshness_and_periods");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_passive_check_without_results_goes_stale);
	tcase_add_test(tc, a_check_outside_its_check_period_does_not_run);
	suite_add_tcase(s, tc);
	tc = tcase_create("switches");
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, runtime_switches_act_say_who_and_hold_across_a_restart);
	tcase_add_test(tc, a_hosts_downtime_for_its_children_plain_or_triggered);
	suite_add_tcase(s, tc);
	tc = tcase_create("macros");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_hostile_host_address_reaches_the_plugin_as_one_literal_argument);
	tcase_add_test(tc, a_check_leaves_no_process_running);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(semantics_suite());
}
