/*
 * NAME
 *	it_skeleton - the walking skeleton end to end: conf.d → engine →
 *	RabbitMQ → worker → plugin → PostgreSQL, against the real servers
 * DESCRIPTION
 *	Each test has its own prefix (schema and RabbitMQ names) on the
 *	harness's servers, starts vigil-engine and vigil-worker from the build
 *	tree, and asserts what lands in check_state.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itutil.h"
#include "util.h"
#include "xalloc.h"
#include "tests/testutil.h"

/* Fast first runs, so tests need not wait a random part of an interval. */
#define FAST "max_check_spread: 1s\n"

static int
count_lines(const char *s, const char *prefix)
{
	int n = 0;
	size_t len = strlen(prefix);

	for (const char *p = s; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, len) == 0)
			n++;
	return n;
}

/* Running (not a zombie: an orphan's reaper may be slow, or absent). */
static int
alive(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

static char *
state_of(struct it_env *e, const char *service, const char *column)
{
	char *sql = xasprintf("SELECT s.%s FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " WHERE c.service = '%s'", column, service);
	char *v = it_sql(e, sql);

	free(sql);
	return v != NULL ? v : xstrdup("(null)");
}

#define ASSERT_STATE(e, svc, col, want) do { \
	char *v_ = state_of((e), (svc), (col)); \
	ck_assert_msg(strcmp(v_, (want)) == 0, "%s.%s: got \"%s\", want \"%s\"", (svc), (col), v_, (want)); \
	free(v_); \
} while (0)

START_TEST(plugins_run_end_to_end_and_state_lands_in_postgres)
{
	struct it_env e;
	char *yaml;
	const char *cfg;
	pid_t engine, worker;
	char *id_before, *id_after;

	it_env_init(&e, "e2e");
	yaml = xasprintf(
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, $ARG1$, $ARG2$]}\n"
	    "  hang: {argv: [%s/tests/plugins/sleeper, %s/hang.pid, \"60\"]}\n"
	    "  missing: {argv: [$VIGILPLUGINDIR$/check_nothing]}\n"
	    "  uptime: {argv: [$VIGILPLUGINDIR$/check_uptime, -w, \"0:\", -c, \"0:\"]}\n"
	    "templates:\n"
	    "  fast: {interval: 30s, retry_interval: 5s, max_attempts: 1}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    address: 127.0.0.1\n"
	    "    use: fast\n"
	    "    check: [dummy, \"0\", \"host fine\"]\n"
	    "    services:\n"
	    "      ok: {use: fast, command: [dummy, \"0\", \"all good\"]}\n"
	    "      crit: {use: fast, command: [dummy, \"2\", \"broken\"]}\n"
	    "      missing: {use: fast, command: [missing]}\n"
	    "      hang: {use: fast, command: [hang], timeout: 1s}\n"
	    "      uptime: {use: fast, command: [uptime]}\n"
	    "      nowhere: {use: fast, command: [dummy, \"0\", \"x\"], pools: [nowhere]}\n",
	    e.srcdir, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });

	/* One query for both: between the migrations and the sync the table
	 * exists and is empty, so "no pending state" alone proves nothing. */
	if (it_wait_sql(&e, "SELECT count(*) FILTER (WHERE state IS NULL) || '/' || count(*)"
	    " FROM check_state", "0/7", 40) < 0) {
		it_dump(&e, "engine.log");
		it_dump(&e, "worker.log");
		ck_abort_msg("not every check got a result within 40 s");
	}
	ASSERT_STATE(&e, "ok", "state", "0");
	ASSERT_STATE(&e, "ok", "output", "OK: all good");
	ASSERT_STATE(&e, "ok", "state_type", "1");
	ASSERT_STATE(&e, "crit", "state", "2");
	ASSERT_STATE(&e, "crit", "output", "CRITICAL: broken");
	ASSERT_STATE(&e, "crit", "exit_code", "2");
	ASSERT_STATE(&e, "missing", "state", "3");
	{
		char *want = xasprintf("(plugin exited 127: not found or not executable: "
		    "%s/plugins/check_nothing: No such file or directory)", e.builddir);

		ASSERT_STATE(&e, "missing", "output", want);
		free(want);
	}
	ASSERT_STATE(&e, "hang", "state", "2");
	ASSERT_STATE(&e, "hang", "output", "(Service check timed out after 1 seconds)");
	ASSERT_STATE(&e, "hang", "long_output", "sleeping 60");
	ASSERT_STATE(&e, "uptime", "state", "0");
	{
		char *pd = state_of(&e, "uptime", "perfdata");

		ck_assert_msg(strncmp(pd, "uptime=", 7) == 0, "uptime perfdata: %s", pd);
		free(pd);
	}
	ASSERT_STATE(&e, "nowhere", "state", "3");
	ASSERT_STATE(&e, "nowhere", "output", "(no worker pool \"nowhere\")");
	{
		char *host = it_sql(&e, "SELECT s.output FROM check_state s JOIN checks c ON c.id = s.check_id"
		    " WHERE c.service IS NULL");

		ck_assert_str_eq(host, "OK: host fine");
		free(host);
	}
	/* The timed-out plugin's forked child died with it. */
	{
		char *pid = it_read(&e, "hang.pid");

		ck_assert_msg(*pid != '\0', "the hang plugin never wrote its child's pid");
		ck_assert_msg(!alive(atoi(pid)), "child %s of the timed-out plugin survives", pid);
		free(pid);
	}

	/* Ids survive a restart of the engine. */
	id_before = it_sql(&e, "SELECT string_agg(id::text || coalesce(service, '-'), ',' ORDER BY id) FROM checks");
	ck_assert_int_eq(WEXITSTATUS(it_stop(engine, SIGTERM, 10)), 0);
	engine = it_spawn(&e, "engine2.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	ck_assert_int_eq(it_wait_sql(&e, "SELECT count(*) FROM checks", "7", 10), 0);
	id_after = it_sql(&e, "SELECT string_agg(id::text || coalesce(service, '-'), ',' ORDER BY id) FROM checks");
	ck_assert_str_eq(id_before, id_after);
	free(id_before);
	free(id_after);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(worker_killed_mid_check_loses_nothing)
{
	struct it_env e;
	char *yaml, *log;
	const char *cfg;
	pid_t engine, worker, worker2;
	double waited = 0;

	it_env_init(&e, "kill9");
	yaml = xasprintf(
	    "commands:\n"
	    "  slow: {argv: [%s/tests/plugins/slow_ok, %s/plugin.log, \"4\"]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      slow: {command: [slow], interval: 5m, timeout: 30s, max_attempts: 1}\n",
	    e.srcdir, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });

	/* Wait until the plugin runs, then kill the worker under it. */
	for (;;) {
		log = it_read(&e, "plugin.log");
		if (count_lines(log, "start") >= 1)
			break;
		free(log);
		usleep(100 * 1000);
		waited += 0.1;
		if (waited > 30) {
			it_dump(&e, "engine.log");
			it_dump(&e, "worker.log");
			ck_abort_msg("the plugin never started");
		}
	}
	free(log);
	it_stop(worker, SIGKILL, 5);
	worker2 = it_spawn(&e, "worker2.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });

	if (it_wait_sql(&e, "SELECT results_total FROM check_state", "1", 30) < 0) {
		it_dump(&e, "engine.log");
		it_dump(&e, "worker2.log");
		ck_abort_msg("the redelivered job's result was not recorded");
	}
	ASSERT_STATE(&e, "slow", "state", "0");
	ASSERT_STATE(&e, "slow", "output", "OK slow check done");
	/* Give a duplicate every chance to show up: it must not. */
	sleep(2);
	ASSERT_STATE(&e, "slow", "results_total", "1");
	log = it_read(&e, "plugin.log");
	ck_assert_msg(count_lines(log, "start") == 2, "plugin starts: %s", log);
	/* The first run died with its worker (it never finished). */
	ck_assert_msg(count_lines(log, "done") == 1, "plugin finishes: %s", log);
	free(log);
	it_stop(worker2, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(check_config_reports_errors_with_file_line_column)
{
	struct it_env e;
	const char *cfg;
	int rc;
	char *out;

	it_env_init(&e, "cfg");
	cfg = it_write_config(&e, NULL, "bad.yaml",
	    "hosts:\n"
	    "  h1:\n"
	    "    adress: 10.0.0.1\n"
	    "    services:\n"
	    "      x: {command: [nope], interval: 5x}\n");
	rc = it_run(&e, "check.log", "engine/vigil-engine",
	    (const char *[]){ "-c", cfg, "--check-config", NULL }, &out);
	ck_assert_msg(rc == 1, "exit status %d: %s", rc, out);
	ck_assert_msg(strstr(out, "conf.d/bad.yaml:3:5: ") != NULL, "unknown key not placed: %s", out);
	ck_assert_msg(strstr(out, "adress") != NULL, "unknown key not named: %s", out);
	ck_assert_msg(strstr(out, "conf.d/bad.yaml:5:") != NULL && strstr(out, "\"nope\"") != NULL,
	    "missing command not reported: %s", out);
	ck_assert_msg(strstr(out, "5x") != NULL, "bad duration not reported: %s", out);
	free(out);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(example_conf_d_is_valid)
{
	struct it_env e;
	char *conf, *res, *path, *out;
	FILE *f;

	it_env_init(&e, "example");
	res = xasprintf("%s/resource.yaml", e.dir);
	f = fopen(res, "w");
	fprintf(f, "USER1: /usr/lib/nagios/plugins\nUSER2: \"5432\"\nUSER3: \"5672\"\n"
	    "USER4: \"8080\"\n");
	fclose(f);
	chmod(res, 0600);
	conf = xasprintf("conf_dir: %s/conf.d\nresource_file: %s\nvigil_plugin_dir: %s/plugins\n",
	    e.srcdir, res, e.builddir);
	path = xasprintf("%s/example.yaml", e.dir);
	f = fopen(path, "w");
	fputs(conf, f);
	fclose(f);
	if (it_run(&e, "check.log", "engine/vigil-engine",
	    (const char *[]){ "-c", path, "--check-config", NULL }, &out) != 0)
		ck_abort_msg("the example conf.d does not validate: %s", out);
	free(out);
	free(conf);
	free(res);
	free(path);
	it_env_cleanup(&e);
}
END_TEST

static const char *const daemons[] = {
	"engine/vigil-engine", "worker/vigil-worker", "notifier/vigil-notifier", "web/vigil-web",
	"ctl/vigilctl",
};

START_TEST(every_program_answers_version_and_help_and_refuses_bad_usage)
{
	struct it_env e;
	const char *prog = daemons[_i], *name = strchr(prog, '/') + 1;
	char *out, *want;
	int rc;

	it_env_init(&e, "usage");
	rc = it_run(&e, "version.log", prog, (const char *[]){ "--version", NULL }, &out);
	want = xasprintf("%s " PACKAGE_VERSION "\n", name);
	ck_assert_msg(rc == 0 && strcmp(out, want) == 0, "%s --version: %d \"%s\"", name, rc, out);
	free(want);
	free(out);
	rc = it_run(&e, "help.log", prog, (const char *[]){ "--help", NULL }, &out);
	ck_assert_msg(rc == 0 && strncmp(out, "usage: ", 7) == 0, "%s --help: %d \"%s\"", name, rc, out);
	free(out);
	if (strcmp(name, "vigilctl") != 0) {
		rc = it_run(&e, "bad.log", prog, (const char *[]){ "--no-such-option", NULL }, &out);
		ck_assert_msg(rc == 2 && strstr(out, "usage: ") != NULL, "%s bad option: %d \"%s\"",
		    name, rc, out);
		free(out);
		rc = it_run(&e, "extra.log", prog, (const char *[]){ "stray", NULL }, &out);
		ck_assert_msg(rc == 2 && strstr(out, "unexpected argument \"stray\"") != NULL,
		    "%s stray argument: %d \"%s\"", name, rc, out);
		free(out);
	}
	it_env_cleanup(&e);
}
END_TEST

/* Without -c, $VIGIL_CONFIG names the file: the errors are placed in it. */
START_TEST(config_path_comes_from_vigil_config_without_c)
{
	struct it_env e;
	const char *cfg;
	char *out;
	int rc;

	it_env_init(&e, "cfgenv");
	cfg = it_write_config(&e, NULL, "bad.yaml", "hosts:\n  h1:\n    adress: x\n");
	setenv("VIGIL_CONFIG", cfg, 1);
	rc = it_run(&e, "check.log", "engine/vigil-engine", (const char *[]){ "--check-config", NULL },
	    &out);
	unsetenv("VIGIL_CONFIG");
	ck_assert_msg(rc == 1 && strstr(out, "conf.d/bad.yaml:3:5: ") != NULL &&
	    strstr(out, "vigil-engine: 1 error in the configuration") != NULL, "%d: %s", rc, out);
	free(out);
	it_env_cleanup(&e);
}
END_TEST

/* The datagrams received on fd within timeout seconds, appended to buf
 * (NUL-separated as "\n"), until want of them contain text. */
static int
notify_wait(int fd, const char *text, int want, double timeout, char *buf, size_t len)
{
	int seen = 0;
	double end = util_now() + timeout;

	while (seen < want && util_now() < end) {
		char msg[512];
		struct timeval tv = { 0, 200000 };
		ssize_t n;

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if ((n = recv(fd, msg, sizeof(msg) - 1, 0)) <= 0)
			continue;
		msg[n] = '\0';
		if (strlen(buf) + (size_t)n + 2 < len) {
			strcat(buf, msg);
			strcat(buf, "|");
		}
		if (strstr(msg, text) != NULL)
			seen++;
	}
	return seen;
}

/* Under systemd (Type=notify): READY=1 once up (the engine: leading, its
 * schema and checks in place), STOPPING=1 at TERM, through $NOTIFY_SOCKET.
 * Without systemd, --log-file: the log goes there, not to stderr, and a
 * HUP opens it again (a rotation: the old file renamed away). */
START_TEST(readiness_goes_to_the_service_manager_and_the_log_to_its_file)
{
	struct it_env e;
	const char *cfg;
	char sock[300], lf[300], old[310], got[4096] = "", *text;
	struct sockaddr_un sa;
	pid_t engine, worker;
	int fd;

	it_env_init(&e, "notify");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "hosts:\n  h1:\n    services:\n      ok: {command: [ok], interval: 5m}\n"
	    "commands:\n  ok: {argv: [/bin/true]}\n");
	snprintf(sock, sizeof(sock), "%s/notify.sock", e.dir);
	ck_assert_uint_lt(strlen(sock), sizeof(sa.sun_path));
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, sock);
	ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(lf, sizeof(lf), "%s/engine-file.log", e.dir);
	setenv("NOTIFY_SOCKET", sock, 1);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine",
	    (const char *[]){ "-c", cfg, "--log-file", lf, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	unsetenv("NOTIFY_SOCKET");
	ck_assert_msg(notify_wait(fd, "READY=1", 2, 60, got, sizeof(got)) == 2,
	    "two READY=1 (engine, worker): %s", got);
	/* ready means up: the engine has synced its checks by then */
	text = it_sql(&e, "SELECT count(*) FROM checks");
	ck_assert_str_eq(text, "1");
	free(text);
	ck_assert_msg(it_wait_log(&e, "engine-file.log", "started prefix=", 5) >= 0,
	    "the engine logs to its --log-file");
	text = it_read(&e, "engine.log");
	ck_assert_msg(strstr(text, "started prefix=") == NULL, "and not to stderr: %s", text);
	free(text);

	/* a rotation: renamed away, then HUP */
	snprintf(old, sizeof(old), "%s.1", lf);
	ck_assert_int_eq(rename(lf, old), 0);
	kill(engine, SIGHUP);
	ck_assert_msg(it_wait_log(&e, "engine-file.log", "SIGHUP: reloading", 30) >= 0,
	    "a new log file after HUP");
	ck_assert_msg(it_wait_log(&e, "engine-file.log", "reloaded checks=1", 30) >= 0,
	    "the reload logs there");

	got[0] = '\0';
	kill(engine, SIGTERM);
	kill(worker, SIGTERM);
	ck_assert_msg(notify_wait(fd, "STOPPING=1", 2, 30, got, sizeof(got)) == 2,
	    "two STOPPING=1: %s", got);
	ck_assert_int_eq(it_stop(engine, SIGTERM, 30), 0);
	ck_assert_int_eq(it_stop(worker, SIGTERM, 30), 0);
	close(fd);
	it_env_cleanup(&e);
}
END_TEST

/* HUP re-reads vigil.yaml in every daemon and stops none: the engine
 * reloads; the worker and the notifier check it, log its errors or what
 * needs a restart, and go on; TERM still stops each cleanly. */
START_TEST(sighup_rereads_the_config_in_every_daemon_and_stops_none)
{
	struct it_env e;
	const char *cfg;
	char *extra;
	pid_t engine, worker, notifier;
	int st;

	it_env_init(&e, "hup");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "hosts:\n  h1:\n    services:\n      ok: {command: [ok], interval: 5m}\n"
	    "commands:\n  ok: {argv: [/bin/true]}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	notifier = it_spawn(&e, "notifier.log", "notifier/vigil-notifier",
	    (const char *[]){ "-c", cfg, NULL });
	ck_assert_msg(it_wait_log(&e, "engine.log", "started prefix=", 30) >= 0, "engine did not start");
	ck_assert_msg(it_wait_log(&e, "worker.log", "consuming queue=", 30) >= 0, "worker did not start");
	ck_assert_msg(it_wait_log(&e, "notifier.log", "started concurrency=", 30) >= 0,
	    "notifier did not start");

	/* Unchanged: each says so. */
	kill(worker, SIGHUP);
	kill(notifier, SIGHUP);
	kill(engine, SIGHUP);
	ck_assert_msg(it_wait_log(&e, "worker.log", "unchanged for this worker", 15) >= 0, "worker HUP");
	ck_assert_msg(it_wait_log(&e, "notifier.log", "unchanged for the notifier", 15) >= 0,
	    "notifier HUP");
	ck_assert_msg(it_wait_log(&e, "engine.log", "reloaded checks=1", 30) >= 0, "engine HUP");

	/* Changed settings: named as needing a restart. */
	extra = xasprintf(FAST "worker: {concurrency: 7, plugin_user: root, allow_root_plugins: true}\n"
	    "notifier: {timeout: 11s}\n");
	it_write_config(&e, extra, "a.yaml",
	    "hosts:\n  h1:\n    services:\n      ok: {command: [ok], interval: 5m}\n"
	    "commands:\n  ok: {argv: [/bin/true]}\n");
	free(extra);
	kill(worker, SIGHUP);
	kill(notifier, SIGHUP);
	ck_assert_msg(it_wait_log(&e, "worker.log", "worker.concurrency changed to 7; restart to apply",
	    15) >= 0, "worker: changed concurrency not named");
	ck_assert_msg(it_wait_log(&e, "notifier.log", "restart vigil-notifier to apply", 15) >= 0,
	    "notifier: changed settings not named");

	/* Invalid: refused, with the error placed; everyone runs on. */
	it_write_config(&e, "bogus_key: 1\n", "a.yaml", "hosts: {}\n");
	kill(worker, SIGHUP);
	kill(notifier, SIGHUP);
	kill(engine, SIGHUP);
	ck_assert_msg(it_wait_log(&e, "worker.log", "reload refused", 15) >= 0, "worker: bad config");
	ck_assert_msg(it_wait_log(&e, "worker.log", "bogus_key", 1) >= 0, "worker: error not logged");
	ck_assert_msg(it_wait_log(&e, "notifier.log", "reload refused", 15) >= 0, "notifier: bad config");
	ck_assert_msg(it_wait_log(&e, "engine.log", "reload refused", 15) >= 0, "engine: bad config");
	ck_assert_msg(alive(engine) && alive(worker) && alive(notifier), "a daemon died of HUP");

	st = it_stop(worker, SIGTERM, 15);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "worker exit status %d", st);
	st = it_stop(notifier, SIGTERM, 60);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "notifier exit status %d", st);
	st = it_stop(engine, SIGTERM, 15);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "engine exit status %d", st);
	it_env_cleanup(&e);
}
END_TEST

static Suite *
skeleton_suite(void)
{
	Suite *s = suite_create("skeleton");
	TCase *tc = tcase_create("end_to_end");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, plugins_run_end_to_end_and_state_lands_in_postgres);
	tcase_add_test(tc, worker_killed_mid_check_loses_nothing);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, check_config_reports_errors_with_file_line_column);
	tcase_add_test(tc, example_conf_d_is_valid);
	suite_add_tcase(s, tc);
	tc = tcase_create("daemon");
	tcase_set_timeout(tc, 150);
	tcase_add_loop_test(tc, every_program_answers_version_and_help_and_refuses_bad_usage, 0,
	    (int)(sizeof(daemons) / sizeof(daemons[0])));
	tcase_add_test(tc, config_path_comes_from_vigil_config_without_c);
	tcase_add_test(tc, sighup_rereads_the_config_in_every_daemon_and_stops_none);
	tcase_add_test(tc, readiness_goes_to_the_service_manager_and_the_log_to_its_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(skeleton_suite());
}
