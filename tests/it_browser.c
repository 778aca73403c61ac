/*
 * NAME
 *	it_browser - the dashboard in a real browser: headless Chromium
 *	(Debian's), driven by playwright-core (tests/browser/dashboard.mjs)
 * DESCRIPTION
 *	Real PostgreSQL, RabbitMQ, engine, worker and vigil-web; each test
 *	runs one scenario of dashboard.mjs in node and wants exit status 0:
 *	the overview lists the checks (and is saved as overview.png), a
 *	passive result turns a row CRITICAL without a reload, Acknowledge
 *	moves it to the handled problems with the token's owner as author
 *	(check.png), Check now changes the last-check time (and the
 *	perfdata chart has its line), a downtime is scheduled and cancelled
 *	from the check page, plugin output
 *	with markup stays text, a stopped engine shows the "no engine leads"
 *	banner until it is back, and a vigil-web stopped and started again
 *	shows the banner and then the state that changed meanwhile.
 *	Screenshots go to the build tree's screenshots/ directory.
 *
 *	Hosts web-01 (group web) with `disk` (always WARNING, every hour),
 *	passive `backup` and `evil`; db-01 (group db) with `clock` (/bin/date,
 *	every hour: only Check now runs it again); web and db under
 *	production. Token: ops (write).
 * DIAGNOSTICS
 *	A failing scenario prints its output, the daemons' logs, and leaves
 *	failed-SCENARIO.png beside the screenshots.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "itutil.h"
#include "tests/testutil.h"
#include "util.h"
#include "webtest.h"
#include "web/tokens.h"
#include "xalloc.h"

#define TOKEN "0ps-t0ken-of-it-browser"

static struct it_env env;
static pid_t engine, worker, web;
static int port;
static const char *cfg;
static char url[64], shots[512], script[512];

static const char conf_d[] =
	"commands:\n"
	"  ok: [/bin/echo, \"OK - fine\"]\n"
	"  warn: [/bin/sh, -c, \"echo 'DISK WARNING - 85% used | used=85%;80;90;0;100'; exit 1\"]\n"
	"  clock: [/bin/date, \"+OK - %s.%N | t=%s\"]\n"
	"groups:\n"
	"  production: {title: Production}\n"
	"  web: {parents: production, hosts: [web-01]}\n"
	"  db: {parents: production, hosts: [db-01]}\n"
	"hosts:\n"
	"  web-01:\n"
	"    services:\n"
	"      disk: {command: warn, interval: 1h, max_attempts: 1}\n"
	"      backup: {command: ok, active: false}\n"
	"      evil: {command: ok, active: false}\n"
	"  db-01:\n"
	"    services:\n"
	"      clock: {command: clock, interval: 1h}\n";

static void
start_web(const char *log)
{
	web = it_spawn_ready(&env, log, "web/vigil-web", cfg, "listening on", 30);
}

static void
setup_all(void)
{
	char *extra, *tf;

	it_env_init(&env, "browser");
	tf = wt_token_file(&env, "ops", "write", TOKEN);
	port = it_free_port();
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
	snprintf(shots, sizeof(shots), "%s/screenshots", env.builddir);
	mkdir(shots, 0755);
	snprintf(script, sizeof(script), "%s/tests/browser/dashboard.mjs", env.srcdir);
	extra = xasprintf("http:\n  listen: 127.0.0.1:%d\n  api_token_file: %s\n"
	    "max_check_spread: 1s\n", port, tf);
	cfg = xstrdup(it_write_config(&env, extra, "a.yaml", conf_d));
	/* the worker first: its pool's queue exists before the first jobs */
	worker = it_spawn_ready(&env, "worker.log", "worker/vigil-worker", cfg, "consuming queue=",
	    60);
	engine = it_spawn_ready(&env, "engine.log", "engine/vigil-engine", cfg, "started", 60);
	start_web("web.log");
	if (it_wait_sql(&env, "SELECT count(*) FROM check_state WHERE state IS NOT NULL", "2",
	    60) < 0) {
		it_dump(&env, "engine.log");
		it_dump(&env, "worker.log");
		ck_abort_msg("the active checks did not run");
	}
	free(extra);
	free(tf);
}

static void
teardown_all(void)
{
	it_stop(web, SIGTERM, 15);
	it_stop(worker, SIGTERM, 15);
	it_stop(engine, SIGTERM, 15);
	it_env_cleanup(&env);
}

/* Start scenario in node (its output in dir/SCENARIO.log). */
static pid_t
scenario_start(const char *name, char *log, size_t loglen)
{
	snprintf(log, loglen, "%s.log", name);
	return it_spawn(&env, log, "/usr/bin/env", (const char *[]){ "node", script, "--url", url,
	    "--token", TOKEN, "--shots", shots, name, NULL });
}

/* Its exit status once it ended (it is killed after timeout seconds). */
static int
scenario_wait(pid_t pid, const char *log, double timeout)
{
	double end = util_now() + timeout;
	int st = 0;
	pid_t r;

	while ((r = waitpid(pid, &st, WNOHANG)) == 0 && util_now() < end)
		usleep(100 * 1000);
	if (r == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		fprintf(stderr, "scenario %s: killed after %.0f s\n", log, timeout);
		st = -1;
	}
	if (st != 0) {
		it_dump(&env, log);
		it_dump(&env, "web.log");
		it_dump(&env, "web2.log");
		it_dump(&env, "engine.log");
	}
	return st;
}

static void
scenario(const char *name)
{
	char log[64];
	pid_t pid = scenario_start(name, log, sizeof(log));

	ck_assert_msg(scenario_wait(pid, log, 150) == 0, "scenario %s failed: %s", name,
	    it_read(&env, log));
}

START_TEST(the_overview_lists_the_checks)
{
	scenario("overview");
}
END_TEST

START_TEST(plugin_output_with_markup_stays_text)
{
	scenario("hostile");
}
END_TEST

START_TEST(a_passive_result_turns_a_row_critical_without_a_reload)
{
	scenario("passive");
}
END_TEST

START_TEST(acknowledge_moves_it_to_handled_with_the_author)
{
	scenario("ack");
}
END_TEST

START_TEST(check_now_updates_the_last_check_time)
{
	scenario("recheck");
}
END_TEST

START_TEST(a_downtime_is_scheduled_and_cancelled)
{
	scenario("downtime");
}
END_TEST

/* The engine stops (no engine leads) and starts again: the banner. */
START_TEST(the_banner_says_when_no_engine_leads)
{
	char log[64];
	pid_t pid = scenario_start("noengine", log, sizeof(log));

	ck_assert_msg(it_wait_log(&env, log, "step: ready", 90) >= 0, "not ready: %s",
	    it_read(&env, log));
	ck_assert_int_eq(it_stop(engine, SIGTERM, 15), 0);
	engine = 0;
	if (it_wait_log(&env, log, "step: banner shown", 60) < 0) {
		scenario_wait(pid, log, 1);
		ck_abort_msg("no banner");
	}
	engine = it_spawn_ready(&env, "engine2.log", "engine/vigil-engine", cfg, "started", 60);
	ck_assert_msg(scenario_wait(pid, log, 120) == 0, "scenario noengine failed: %s",
	    it_read(&env, log));
}
END_TEST

/*
 * vigil-web goes away: the page shows the banner. Meanwhile the state
 * changes (straight to the broker: vigilctl without --url); vigil-web
 * comes back: the banner goes and the page shows the new state, which
 * only a new snapshot can have brought.
 */
START_TEST(a_restarted_vigil_web_shows_the_banner_then_resyncs)
{
	char log[64], *out = NULL;
	pid_t pid = scenario_start("restart", log, sizeof(log));

	ck_assert_msg(it_wait_log(&env, log, "step: ready", 90) >= 0, "not ready: %s",
	    it_read(&env, log));
	ck_assert_int_eq(it_stop(web, SIGTERM, 15), 0);
	web = 0;
	if (it_wait_log(&env, log, "step: banner shown", 60) < 0) {
		scenario_wait(pid, log, 1);
		ck_abort_msg("no banner");
	}
	ck_assert_msg(it_run(&env, "submit.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "submit", "web-01/backup", "WARNING", "changed while vigil-web was away", NULL },
	    &out) == 0, "%s", out);
	free(out);
	ck_assert(it_wait_sql(&env, "SELECT s.state FROM check_state s JOIN checks c ON c.id ="
	    " s.check_id WHERE c.service = 'backup' AND s.output LIKE 'changed while%'", "1",
	    30) >= 0);
	start_web("web2.log");
	ck_assert_msg(scenario_wait(pid, log, 120) == 0, "scenario restart failed: %s",
	    it_read(&env, log));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("browser");
	TCase *tc = tcase_create("dashboard");

	tcase_add_unchecked_fixture(tc, setup_all, teardown_all);
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, the_overview_lists_the_checks);
	tcase_add_test(tc, plugin_output_with_markup_stays_text);
	tcase_add_test(tc, a_passive_result_turns_a_row_critical_without_a_reload);
	tcase_add_test(tc, acknowledge_moves_it_to_handled_with_the_author);
	tcase_add_test(tc, check_now_updates_the_last_check_time);
	tcase_add_test(tc, a_downtime_is_scheduled_and_cancelled);
	tcase_add_test(tc, the_banner_says_when_no_engine_leads);
	tcase_add_test(tc, a_restarted_vigil_web_shows_the_banner_then_resyncs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run_nofork(suite());
}
