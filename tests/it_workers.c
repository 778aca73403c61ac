/*
 * NAME
 *	it_workers - worker presence end to end: heartbeats → engine →
 *	PostgreSQL → vigilctl workers, against the real servers
 * DESCRIPTION
 *	Two workers serve pool a, none pool b, and a check uses each pool.
 *	vigilctl workers --json must show pool a ok with both workers and
 *	pool b without one; a worker stopped cleanly leaves at once; one
 *	killed with SIGKILL is lost once its heartbeat is 15 s old, and its
 *	pool then has no worker. A pool asked for three times what its one
 *	worker can run shows overloaded, runs every check late and turns
 *	none UNKNOWN, and keeps up again once a second worker joins.
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "itutil.h"
#include "util.h"
#include "xalloc.h"
#include "tests/testutil.h"

/* vigilctl workers --json, parsed (NULL if it failed). */
static json_t *
workers_json(struct it_env *e, const char *cfg)
{
	char *path = xasprintf("%s/ctl.json", e->dir), *out;
	json_t *j;
	int rc;

	unlink(path);	/* it_run appends */
	free(path);
	rc = it_run(e, "ctl.json", "ctl/vigilctl",
	    (const char *[]){ "-c", cfg, "workers", "--json", NULL }, &out);
	j = rc == 0 ? json_loads(out, 0, NULL) : NULL;
	free(out);
	return j;
}

/* "a=ok:2 b=no_worker:0": each pool's state and number of workers listed. */
static void
summary(json_t *pools, char *buf, size_t len)
{
	size_t i, used = 0;
	json_t *p;

	buf[0] = '\0';
	json_array_foreach(pools, i, p) {
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s:%zu", i > 0 ? " " : "",
		    json_string_value(json_object_get(p, "pool")),
		    json_string_value(json_object_get(p, "state")),
		    json_array_size(json_object_get(p, "workers")));
		if (used >= len)
			break;
	}
}

/* Poll vigilctl workers until its summary is want; the last output (caller
 * decrefs) or NULL at timeout, with the last summary in got. */
static json_t *
wait_pools(struct it_env *e, const char *cfg, const char *want, double timeout,
    char *got, size_t len)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	double until = util_now() + timeout;

	snprintf(got, len, "(vigilctl failed)");
	for (;;) {
		json_t *j = workers_json(e, cfg);

		if (j != NULL) {
			summary(j, got, len);
			if (strcmp(got, want) == 0)
				return j;
			json_decref(j);
		}
		if (util_now() > until)
			return NULL;
		nanosleep(&ts, NULL);
	}
}

static json_t *
pool_in(json_t *pools, const char *name)
{
	size_t i;
	json_t *p;

	json_array_foreach(pools, i, p)
		if (strcmp(json_string_value(json_object_get(p, "pool")), name) == 0)
			return p;
	return NULL;
}

static int
count(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, what)) != NULL; p++)
		n++;
	return n;
}

#define WAIT_POOLS(want, timeout) do { \
	json_decref(j); \
	j = wait_pools(&e, cfg, (want), (timeout), got, sizeof(got)); \
	if (j == NULL) { \
		it_dump(&e, "engine.log"); \
		ck_abort_msg("vigilctl workers: want \"%s\" within %d s, got \"%s\"", (want), \
		    (int)(timeout), got); \
	} \
} while (0)

START_TEST(pools_show_live_workers_and_lose_them_on_stop_and_on_kill)
{
	struct it_env e;
	const char *cfg;
	pid_t engine, w1, w2;
	json_t *j = NULL, *a, *w;
	char got[256], host[256], stopped[300], *log;
	double killed, lost_after;
	size_t i;
	int mine = 0;

	it_env_init(&e, "workers");
	cfg = it_write_config(&e, "max_check_spread: 1s\n", "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\", \"fine\"]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      on-a: {command: [dummy], interval: 5m, pools: [a]}\n"
	    "      on-b: {command: [dummy], interval: 5m, pools: [b]}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	w1 = it_spawn(&e, "w1.log", "worker/vigil-worker",
	    (const char *[]){ "-c", cfg, "--pool", "a", "--concurrency", "3", NULL });
	w2 = it_spawn(&e, "w2.log", "worker/vigil-worker",
	    (const char *[]){ "-c", cfg, "--pool", "a", "--concurrency", "5", NULL });
	gethostname(host, sizeof(host));

	/* Pool b is judged once the engine has listened for 15 s. */
	WAIT_POOLS("a=ok:2 b=no_worker:0", 30);
	a = pool_in(j, "a");
	ck_assert_int_eq(json_integer_value(json_object_get(a, "live_workers")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(a, "checks")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(pool_in(j, "b"), "checks")), 1);
	json_array_foreach(json_object_get(a, "workers"), i, w) {
		json_int_t pid = json_integer_value(json_object_get(w, "pid"));
		char id[300];

		ck_assert_msg(pid == w1 || pid == w2, "worker pid %lld is none of ours", (long long)pid);
		ck_assert_int_eq(json_integer_value(json_object_get(w, "concurrency")), pid == w1 ? 3 : 5);
		ck_assert_int_eq(json_integer_value(json_object_get(w, "awaiting")), 0);
		ck_assert_str_eq(json_string_value(json_object_get(w, "version")), PACKAGE_VERSION);
		ck_assert_str_eq(json_string_value(json_object_get(w, "host")), host);
		snprintf(id, sizeof(id), "%s:%lld", host, (long long)pid);
		ck_assert_str_eq(json_string_value(json_object_get(w, "id")), id);
		ck_assert_msg(json_real_value(json_object_get(w, "seconds_since_heartbeat")) < 15,
		    "a live worker's heartbeat is old");
		mine++;
	}
	ck_assert_int_eq(mine, 2);

	/* A clean stop: gone at once (the next snapshot, within a second). */
	ck_assert_int_eq(WEXITSTATUS(it_stop(w1, SIGTERM, 10)), 0);
	WAIT_POOLS("a=ok:1 b=no_worker:0", 3);
	w = json_array_get(json_object_get(pool_in(j, "a"), "workers"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(w, "pid")), w2);

	/* SIGKILL: silence; lost when its last heartbeat (at most 5 s old
	 * at the kill) is 15 s old. */
	killed = util_now();
	it_stop(w2, SIGKILL, 5);
	WAIT_POOLS("a=no_worker:0 b=no_worker:0", 22);
	lost_after = util_now() - killed;
	ck_assert_msg(lost_after >= 9, "the killed worker was dropped after %.1f s, before its"
	    " heartbeat could be 15 s old", lost_after);
	ck_assert_int_eq(json_integer_value(json_object_get(pool_in(j, "a"), "live_workers")), 0);

	it_stop(engine, SIGTERM, 10);
	log = it_read(&e, "engine.log");
	snprintf(stopped, sizeof(stopped), "worker stopped pool=a worker=%s:%ld\n", host, (long)w1);
	ck_assert_msg(count(log, stopped) == 1, "clean stop not logged:\n%s", log);
	ck_assert_msg(count(log, "worker lost pool=a") == 1, "loss not logged once:\n%s", log);
	ck_assert_msg(count(log, "pool has no live worker pool=a ") == 1,
	    "pool a's loss not warned once:\n%s", log);
	ck_assert_msg(count(log, "pool has no live worker pool=b ") == 1,
	    "pool b not warned once:\n%s", log);
	fprintf(stderr, "it_workers: killed worker lost after %.1f s\n", lost_after);
	free(log);
	json_decref(j);
	it_env_cleanup(&e);
}
END_TEST

/* No check is, or ever was, anything but OK; else fail showing why. */
static void
no_problem_since_start(struct it_env *e)
{
	char *v = it_sql(e, "SELECT string_agg(c.service || ' ' || h.state || ' '"
	    " || to_char(h.time, 'HH24:MI:SS.MS') || ' ' || h.output, E'\\n' ORDER BY h.time)"
	    " FROM state_history h JOIN checks c ON c.id = h.check_id WHERE h.state <> 0");

	if (v != NULL) {
		it_dump(e, "engine.log");
		it_dump(e, "w1.log");
		ck_abort_msg("checks not OK in the overloaded pool:\n%s", v);
	}
	IT_ASSERT_SQL(e, "SELECT count(*) FROM check_state WHERE state <> 0", "0");
}

/* Twelve checks every 2 s of a plugin that takes 0.5 s, and one worker
 * that runs one plugin at a time: the pool is asked for 6 runs a second
 * and can do 2. Nagios would run every check late; so must vigil: the
 * pool shows overloaded with what it holds back, every check runs, none
 * becomes UNKNOWN. A second worker with room brings it back to ok. */
START_TEST(an_overloaded_pool_runs_every_check_late_and_none_unknown)
{
	struct it_env e;
	const char *cfg;
	char *yaml, *v, *log, got[256];
	pid_t engine, w1, w2;
	json_t *j = NULL, *busy;
	size_t used = 0;

	it_env_init(&e, "overload");
	yaml = xasprintf(
	    "commands:\n"
	    "  slow: {argv: [%s/tests/plugins/slow_ok, %s/plugin.log, \"0.5\"]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n", e.srcdir, e.dir);
	for (int i = 0; i < 12; i++) {
		char *more = xasprintf("%s      s%02d: {command: [slow], interval: 2s, timeout: 30s,"
		    " max_attempts: 1, pools: [busy]}\n", yaml, i);

		free(yaml);
		yaml = more;
	}
	cfg = it_write_config(&e, "max_check_spread: 1s\n", "a.yaml", yaml);
	free(yaml);
	/* A new installation has neither the pool's queue (its first worker
	 * makes it) nor the engine's heartbeat queue (the engine makes it;
	 * later it keeps the last 5 s of heartbeats across restarts): make
	 * the first with a worker run once, then start the engine, then the
	 * worker for good, whose first heartbeat the engine then hears. */
	w1 = it_spawn(&e, "w0.log", "worker/vigil-worker",
	    (const char *[]){ "-c", cfg, "--pool", "busy", "--concurrency", "1", NULL });
	if (it_wait_log(&e, "w0.log", "consuming queue=", 30) < 0) {
		it_dump(&e, "w0.log");
		ck_abort_msg("the worker never declared its queue");
	}
	ck_assert_int_eq(WEXITSTATUS(it_stop(w1, SIGTERM, 10)), 0);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_log(&e, "engine.log", "amqp up name=engine", 30) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the engine did not connect within 30 s");
	}
	w1 = it_spawn(&e, "w1.log", "worker/vigil-worker",
	    (const char *[]){ "-c", cfg, "--pool", "busy", "--concurrency", "1", NULL });

	WAIT_POOLS("busy=overloaded:1", 40);
	busy = pool_in(j, "busy");
	ck_assert_int_eq(json_integer_value(json_object_get(busy, "capacity")), 1);
	ck_assert_msg(json_integer_value(json_object_get(busy, "held")) > 0,
	    "an overloaded pool holds nothing back");
	ck_assert_msg(json_integer_value(json_object_get(busy, "inflight")) <= 3,
	    "more in flight than capacity 1 + headroom 2: %lld",
	    (long long)json_integer_value(json_object_get(busy, "inflight")));

	/* Oldest first: every check gets its turn, none is left behind. */
	if (it_wait_sql(&e, "SELECT count(*) FROM check_state WHERE last_check IS NOT NULL",
	    "12", 30) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("not every check of the overloaded pool ran");
	}
	no_problem_since_start(&e);

	/* Room again: nothing is held for 10 s, the pool keeps up. */
	w2 = it_spawn(&e, "w2.log", "worker/vigil-worker",
	    (const char *[]){ "-c", cfg, "--pool", "busy", "--concurrency", "8", NULL });
	WAIT_POOLS("busy=ok:2", 40);
	ck_assert_int_eq(json_integer_value(json_object_get(pool_in(j, "busy"), "capacity")), 9);
	ck_assert_int_eq(json_integer_value(json_object_get(pool_in(j, "busy"), "held")), 0);
	no_problem_since_start(&e);

	it_stop(w1, SIGTERM, 10);
	it_stop(w2, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	log = it_read(&e, "engine.log");
	ck_assert_msg(count(log, "pool overloaded pool=busy ") == 1, "overload not logged once:\n%s",
	    log);
	ck_assert_msg(count(log, "pool keeps up again pool=busy ") == 1,
	    "recovery not logged once:\n%s", log);
	ck_assert_msg(count(log, "check not run") == 0, "a check was not run:\n%s", log);
	free(log);
	v = it_read(&e, "plugin.log");
	for (const char *p = v; (p = strstr(p, "done ")) != NULL; p++)
		used++;
	fprintf(stderr, "it_workers: overloaded pool ran %zu plugins, none UNKNOWN\n", used);
	free(v);
	json_decref(j);
	it_env_cleanup(&e);
}
END_TEST

static Suite *
workers_suite(void)
{
	Suite *s = suite_create("workers");
	TCase *tc = tcase_create("presence");

	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, pools_show_live_workers_and_lose_them_on_stop_and_on_kill);
	suite_add_tcase(s, tc);
	tc = tcase_create("overload");
	tcase_set_timeout(tc, 150);
	tcase_add_test(tc, an_overloaded_pool_runs_every_check_late_and_none_unknown);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(workers_suite());
}
