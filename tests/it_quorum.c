/*
 * NAME
 *	it_quorum - multi-location checks end to end against the real
 *	servers: one worker per pool, a check run from each, combined by its
 *	quorum
 * DESCRIPTION
 *	Three workers serve pools p1, p2 and p3. The plugin
 *	(tests/plugins/from_pool_file) exits with the code in codes/<pool>,
 *	the pool being VIGIL_POOL as its worker sets it, so a test decides
 *	which locations see the target down. The tests assert what a user
 *	sees: check_state (the combined state and output), check_locations
 *	(each location's last result) and vigilctl status --json.
 * DIAGNOSTICS
 *	On failure the daemons' logs are printed.
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itutil.h"
#include "tests/testutil.h"
#include "xalloc.h"

#define FAST "max_check_spread: 1s\n"
#define NPOOLS 3

static const char *const pools[NPOOLS] = { "p1", "p2", "p3" };

struct daemons {
	pid_t engine;
	pid_t workers[NPOOLS];
};

static void
start(struct it_env *e, const char *cfg, struct daemons *d)
{
	d->engine = it_spawn(e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	for (int i = 0; i < NPOOLS; i++) {
		char log[32];

		snprintf(log, sizeof(log), "worker-%s.log", pools[i]);
		d->workers[i] = it_spawn(e, log, "worker/vigil-worker",
		    (const char *[]){ "-c", cfg, "--pool", pools[i], NULL });
	}
}

static void
stop(struct daemons *d)
{
	for (int i = 0; i < NPOOLS; i++)
		it_stop(d->workers[i], SIGTERM, 10);
	it_stop(d->engine, SIGTERM, 10);
}

static void
dump(struct it_env *e)
{
	it_dump(e, "engine.log");
	for (int i = 0; i < NPOOLS; i++) {
		char log[32];

		snprintf(log, sizeof(log), "worker-%s.log", pools[i]);
		it_dump(e, log);
	}
}

/* What location pool of h1/service sees from now on. */
static void
set_code(struct it_env *e, const char *dir, const char *pool, int code)
{
	char *path = xasprintf("%s/%s", e->dir, dir);
	FILE *f;

	mkdir(path, 0755);
	free(path);
	path = xasprintf("%s/%s/%s", e->dir, dir, pool);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%d\n", code);
	fclose(f);
	free(path);
}

/* A column of h1/service's check_state. */
static char *
state_col(struct it_env *e, const char *service, const char *column)
{
	char *sql = xasprintf("SELECT s.%s::text FROM check_state s JOIN checks c ON"
	    " c.id = s.check_id WHERE c.service = '%s'", column, service);
	char *v = it_sql(e, sql);

	free(sql);
	return v != NULL ? v : xstrdup("(null)");
}

#define ASSERT_STATE(e, svc, column, want) do { \
	char *v_ = state_col((e), (svc), (column)); \
	ck_assert_msg(strcmp(v_, (want)) == 0, "%s %s:\n  got  \"%s\"\n  want \"%s\"", (svc), \
	    (column), v_, (want)); \
	free(v_); \
} while (0)

/* Each location of service as "pool:status" in pool order. */
static char *
locations(struct it_env *e, const char *service, const char *what)
{
	char *sql = xasprintf("SELECT string_agg(l.pool || ':' || coalesce(%s::text, '-'), ' '"
	    " ORDER BY l.pool) FROM check_locations l JOIN checks c ON c.id = l.check_id"
	    " WHERE c.service = '%s'", what, service);
	char *v = it_sql(e, sql);

	free(sql);
	return v != NULL ? v : xstrdup("(null)");
}

/* Wait until sql (a boolean) is true. */
static int
wait_true(struct it_env *e, const char *sql, double timeout)
{
	return it_wait_sql(e, sql, "t", timeout);
}


static int
count_str(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* The check's output once a round of this shape was combined. */
#define OUTPUT_IS(svc, like) \
	"SELECT coalesce(bool_or(s.output LIKE '" like "'), false) FROM check_state s" \
	" JOIN checks c ON c.id = s.check_id WHERE c.service = '" svc "'"

START_TEST(a_three_pool_check_with_quorum_two_is_critical_only_when_two_locations_see_it_down)
{
	struct it_env e;
	struct daemons d;
	const char *cfg;
	char *yaml, *v, *out;

	it_env_init(&e, "quorum");
	for (int i = 0; i < NPOOLS; i++)
		set_code(&e, "codes", pools[i], 0);
	yaml = xasprintf(
	    "commands:\n"
	    "  probe: {argv: [%s/tests/plugins/from_pool_file, %s/codes, %s/runs.log]}\n"
	    "  other: {argv: [%s/tests/plugins/from_pool_file, %s/other, %s/other.log]}\n"
	    "templates:\n"
	    "  fast: {interval: 2s, retry_interval: 1s, max_attempts: 1}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      web: {use: fast, command: [probe], pools: [p1, p2, p3], quorum: 2}\n"
	    "      partial: {use: fast, command: [other], pools: [p1, nowhere]}\n"
	    "      majority: {use: fast, command: [other], pools: [p1, p2, nowhere], quorum: 2}\n"
	    "      single: {use: fast, command: [other], pools: [p3]}\n",
	    e.srcdir, e.dir, e.dir, e.srcdir, e.dir, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	start(&e, cfg, &d);

	/* Every location sees the target up. */
	if (wait_true(&e, OUTPUT_IS("web", "OK from 3 of 3 locations (quorum 2): %"), 30) < 0) {
		dump(&e);
		ck_abort_msg("the three locations never combined into OK");
	}
	ASSERT_STATE(&e, "web", "state", "0");
	ASSERT_STATE(&e, "web", "output", "OK from 3 of 3 locations (quorum 2): p1: STATE 0 from p1;"
	    " p2: STATE 0 from p2; p3: STATE 0 from p3");
	ASSERT_STATE(&e, "web", "long_output", "p1: OK: STATE 0 from p1\np2: OK: STATE 0 from p2\n"
	    "p3: OK: STATE 0 from p3");
	ASSERT_STATE(&e, "web", "pool", "(null)");
	v = locations(&e, "web", "l.status || '/' || (l.worker IS NOT NULL)::text || '/' || l.output");
	ck_assert_str_eq(v, "p1:0/true/STATE 0 from p1 p2:0/true/STATE 0 from p2 p3:0/true/STATE 0 from p3");
	free(v);

	/* One location sees it down: the quorum is not met, the check stays
	 * OK (and never was anything else). */
	set_code(&e, "codes", "p1", 2);
	if (wait_true(&e, OUTPUT_IS("web", "OK from 2 of 3 locations (quorum 2): p2: %"), 20) < 0) {
		dump(&e);
		ck_abort_msg("no round combined with p1 down");
	}
	ASSERT_STATE(&e, "web", "state", "0");
	ASSERT_STATE(&e, "web", "long_output", "p1: CRITICAL: STATE 2 from p1\np2: OK: STATE 0 from p2\n"
	    "p3: OK: STATE 0 from p3");
	v = locations(&e, "web", "l.status");
	ck_assert_str_eq(v, "p1:2 p2:0 p3:0");
	free(v);
	IT_ASSERT_SQL(&e, "SELECT count(*) FROM state_history h JOIN checks c ON c.id = h.check_id"
	    " WHERE c.service = 'web' AND h.state <> 0", "0");

	/* Two locations see it down: CRITICAL, naming both. */
	set_code(&e, "codes", "p2", 2);
	if (wait_true(&e, OUTPUT_IS("web", "CRITICAL from %"), 20) < 0) {
		dump(&e);
		ck_abort_msg("two locations down did not make the check CRITICAL");
	}
	ASSERT_STATE(&e, "web", "state", "2");
	ASSERT_STATE(&e, "web", "state_type", "1");
	ASSERT_STATE(&e, "web", "output", "CRITICAL from 2 of 3 locations (quorum 2): p1: STATE 2 from p1;"
	    " p2: STATE 2 from p2");
	ASSERT_STATE(&e, "web", "long_output", "p1: CRITICAL: STATE 2 from p1\np2: CRITICAL: STATE 2 from p2\n"
	    "p3: OK: STATE 0 from p3");
	v = locations(&e, "web", "l.status");
	ck_assert_str_eq(v, "p1:2 p2:2 p3:0");
	free(v);
	/* Each location's perfdata is a series of its own. */
	IT_ASSERT_SQL(&e, "SELECT string_agg(DISTINCT label, ',' ORDER BY label) FROM perfdata p"
	    " JOIN checks c ON c.id = p.check_id WHERE c.service = 'web'", "p1/code,p2/code,p3/code");

	/* vigilctl shows each location's last result. */
	ck_assert_int_eq(it_run(&e, "status.json", "ctl/vigilctl",
	    (const char *[]){ "-c", cfg, "status", "--json", NULL }, &out), 0);
	{
		json_error_t je;
		json_t *arr = json_loads(out, 0, &je), *c, *web = NULL, *single = NULL, *locs;
		size_t i;

		ck_assert_msg(arr != NULL, "vigilctl status --json: %s\n%s", je.text, out);
		json_array_foreach(arr, i, c) {
			const char *svc = json_string_value(json_object_get(c, "service"));

			if (svc != NULL && strcmp(svc, "web") == 0)
				web = c;
			if (svc != NULL && strcmp(svc, "single") == 0)
				single = c;
		}
		ck_assert_msg(web != NULL && single != NULL, "%s", out);
		ck_assert_str_eq(json_string_value(json_object_get(web, "state")), "CRITICAL");
		locs = json_object_get(web, "locations");
		ck_assert_msg(json_array_size(locs) == 3, "%s", out);
		for (i = 0; i < 3; i++) {
			json_t *l = json_array_get(locs, i);
			char want[32];

			ck_assert_str_eq(json_string_value(json_object_get(l, "pool")), pools[i]);
			ck_assert_str_eq(json_string_value(json_object_get(l, "state")),
			    i < 2 ? "CRITICAL" : "OK");
			snprintf(want, sizeof(want), "STATE %d from %s", i < 2 ? 2 : 0, pools[i]);
			ck_assert_str_eq(json_string_value(json_object_get(l, "output")), want);
			ck_assert_msg(json_number_value(json_object_get(l, "last_check")) > 1e9, "%s", out);
		}
		/* A single-location check has no locations. */
		ck_assert_ptr_null(json_object_get(single, "locations"));
		ck_assert_str_eq(json_string_value(json_object_get(single, "pool")), "p3");
		json_decref(arr);
	}
	free(out);

	/* Back to one location down: OK again. */
	set_code(&e, "codes", "p1", 0);
	if (wait_true(&e, OUTPUT_IS("web", "OK from 2 of 3 locations (quorum 2): p1: %"), 20) < 0) {
		dump(&e);
		ck_abort_msg("the check did not recover with one location down");
	}
	ASSERT_STATE(&e, "web", "state", "0");

	/* A location no worker serves answers UNKNOWN (the unroutable job's
	 * verdict): with quorum 1 the check is UNKNOWN, naming it; with
	 * quorum 2 of 3 it is outvoted. */
	if (wait_true(&e, OUTPUT_IS("partial", "UNKNOWN %"), 10) < 0) {
		dump(&e);
		ck_abort_msg("the unserved location did not count as UNKNOWN");
	}
	ASSERT_STATE(&e, "partial", "state", "3");
	ASSERT_STATE(&e, "partial", "output", "UNKNOWN from 1 of 2 locations (quorum 1): nowhere: "
	    "(no worker pool \"nowhere\")");
	v = locations(&e, "partial", "l.status || '/' || (l.worker IS NULL)::text");
	ck_assert_str_eq(v, "nowhere:3/true p1:0/false");
	free(v);
	ASSERT_STATE(&e, "majority", "state", "0");
	ASSERT_STATE(&e, "majority", "output", "OK from 2 of 3 locations (quorum 2): p1: STATE 0 from p1;"
	    " p2: STATE 0 from p2");
	/* A single-location check keeps its plain output and its pool. */
	ASSERT_STATE(&e, "single", "output", "STATE 0 from p3");
	ASSERT_STATE(&e, "single", "pool", "p3");
	IT_ASSERT_SQL(&e, "SELECT count(*) FROM check_locations l JOIN checks c ON c.id = l.check_id"
	    " WHERE c.service = 'single'", "0");
	stop(&d);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_reload_carries_each_locations_job_in_flight)
{
	struct it_env e;
	struct daemons d;
	const char *cfg;
	char *yaml, *log, *out;

	it_env_init(&e, "qreload");
	setenv("VIGIL_LOG_LEVEL", "debug", 1);
	yaml = xasprintf(
	    "commands:\n"
	    "  slow: {argv: [%s/tests/plugins/from_pool_file, %s/codes, %s/runs.log, \"3\"]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      web: {command: [slow], pools: [p1, p2, p3], quorum: 2, interval: 1m,\n"
	    "            max_attempts: 1}\n",
	    e.srcdir, e.dir, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	start(&e, cfg, &d);
	/* Every location's plugin runs (for 3 s): reload now. */
	for (double t = 0;; t += 0.1) {
		log = it_read(&e, "runs.log");
		if (count_str(log, "start ") >= NPOOLS)
			break;
		free(log);
		if (t > 30) {
			dump(&e);
			ck_abort_msg("the first round never started");
		}
		usleep(100 * 1000);
	}
	ck_assert_msg(count_str(log, "run ") == 0, "the plugins finished before the reload: %s", log);
	free(log);
	ck_assert_msg(it_run(&e, "reload.out", "ctl/vigilctl", (const char *[]){ "-c", cfg, "reload", NULL },
	    &out) == 0, "%s", out);
	free(out);
	if (it_wait_log(&e, "engine.log", "reloaded checks=1 kept=1 changed=0", 10) < 0) {
		dump(&e);
		ck_abort_msg("no reload");
	}
	/* The round in flight before the reload is completed by its own
	 * answers, once, not left to be orphaned. */
	if (wait_true(&e, OUTPUT_IS("web", "OK from 3 of 3 locations (quorum 2): %"), 15) < 0) {
		dump(&e);
		ck_abort_msg("the round in flight across the reload was never combined");
	}
	log = it_read(&e, "runs.log");
	ck_assert_msg(count_str(log, "run ") == NPOOLS, "one round, three runs: %s", log);
	free(log);
	log = it_read(&e, "engine.log");
	ck_assert_msg(count_str(log, "round combined") == 1 && strstr(log, "late=1") == NULL &&
	    strstr(log, "orphaned") == NULL, "the round did not survive the reload:\n%s", log);
	free(log);
	ASSERT_STATE(&e, "web", "results_total", "1");
	{
		char *v = locations(&e, "web", "l.results_total");

		ck_assert_str_eq(v, "p1:1 p2:1 p3:1");
		free(v);
	}
	stop(&d);
	unsetenv("VIGIL_LOG_LEVEL");
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_location_that_never_answers_is_orphaned_alone_and_its_late_answer_kept)
{
	struct it_env e;
	struct daemons d;
	const char *cfg;
	char *yaml, *v;

	it_env_init(&e, "qorphan");
	yaml = xasprintf(
	    "commands:\n"
	    "  probe: {argv: [%s/tests/plugins/from_pool_file, %s/codes, %s/runs.log]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      web: {command: [probe], pools: [p1, p2, p3], interval: 2s, timeout: 2s,\n"
	    "            max_attempts: 1}\n",
	    e.srcdir, e.dir, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	start(&e, cfg, &d);
	if (wait_true(&e, OUTPUT_IS("web", "OK from 3 of 3 %"), 30) < 0) {
		dump(&e);
		ck_abort_msg("no first round");
	}
	/* p3's worker takes its next job and sits on it: only p3 is orphaned,
	 * past interval + timeout + the grace, and with quorum 1 the check
	 * is UNKNOWN saying so. */
	kill(d.workers[2], SIGSTOP);
	if (wait_true(&e, OUTPUT_IS("web", "UNKNOWN from 1 of 3 locations (quorum 1): p3: (no result"
	    " from pool p3 within 1_ s)"), 40) < 0) {
		kill(d.workers[2], SIGCONT);
		dump(&e);
		ck_abort_msg("the silent location was not orphaned");
	}
	IT_ASSERT_SQL(&e, OUTPUT_IS("web", "UNKNOWN %") " AND s.long_output LIKE 'p1: OK: STATE 0 from p1"
	    "\np2: OK: STATE 0 from p2\np3: UNKNOWN: (no result from pool p3 within 1_ s)'", "t");
	v = locations(&e, "web", "l.status || '/' || (l.worker IS NULL)::text");
	ck_assert_str_eq(v, "p1:0/false p2:0/false p3:3/true");
	free(v);
	/* Back: the worker answers what it held, which p3 keeps as its last
	 * result instead of the orphan verdict. What that answer is depends
	 * on where SIGSTOP caught the worker: before it started the plugin,
	 * its own "(no worker in pool p3 started the check ...)" (the job's
	 * deadline passed); with the plugin already running, the plugin's
	 * late result. Then rounds complete from all three again. */
	kill(d.workers[2], SIGCONT);
	if (wait_true(&e, "SELECT bool_or(l.output NOT LIKE '(no result from pool p3%')"
	    " FROM check_locations l WHERE l.pool = 'p3'", 20) < 0 ||
	    wait_true(&e, OUTPUT_IS("web", "OK from 3 of 3 %"), 30) < 0) {
		dump(&e);
		ck_abort_msg("p3 did not come back");
	}
	stop(&d);
	it_env_cleanup(&e);
}
END_TEST

static Suite *
quorum_suite(void)
{
	Suite *s = suite_create("quorum");
	TCase *tc = tcase_create("multi_location");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, a_three_pool_check_with_quorum_two_is_critical_only_when_two_locations_see_it_down);
	tcase_add_test(tc, a_reload_carries_each_locations_job_in_flight);
	tcase_add_test(tc, a_location_that_never_answers_is_orphaned_alone_and_its_late_answer_kept);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(quorum_suite());
}
