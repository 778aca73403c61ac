/*
 * NAME
 *	it_faults - fault injection against the real servers: a pool nobody
 *	serves, RabbitMQ restarted and PostgreSQL stopped under load, and
 *	kill -9 of a worker, the engine and RabbitMQ under load
 * DESCRIPTION
 *	These tests stop and restart servers, so they cannot share the
 *	harness other tests run on in parallel (VIGIL_PG, VIGIL_AMQP_URL): an
 *	unchecked fixture starts a private one (scripts/harness start DIR),
 *	points VIGIL_PG, VIGIL_AMQP_URL and PG* at it, and stops it at the end.
 *
 *	Loss is counted from the daemons' debug logs: a worker logs "result
 *	confirmed job=…" when the broker confirmed a result (from then on the
 *	result is the broker's to keep), the engine "result applied job=…"
 *	when it applied one, "duplicate result dropped job=…" when it
 *	recognised one, and "job orphaned … job=…" when it gave up waiting.
 *	Every confirmed job must end up applied (or orphaned: then its late
 *	result is a duplicate of that verdict). What the engine applied must
 *	then be in PostgreSQL: results_total sums every apply.
 * DIAGNOSTICS
 *	Each test prints its measurements (counts, timings) to stderr, and on
 *	failure the daemons' logs.
 */
#include <check.h>
#include <errno.h>
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

/* Fast first runs, so tests need not wait a random part of an interval. */
#define FAST "max_check_spread: 1s\n"
#define LOAD_CHECKS 20
#define LOAD_CHECKS_STR "20"
#define LOAD_WORKERS 2

static char harness_dir[256];

static int
harness(const char *sub)
{
	return it_harness(harness_dir, sub);
}

static void
harness_up(void)
{
	it_harness_up(harness_dir, sizeof(harness_dir));
}

static void
harness_down(void)
{
	it_harness_down(harness_dir);
}

static void
sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	nanosleep(&ts, NULL);
}

/* Our child runs (has not exited; a child that exited stays ours to reap,
 * so this also catches one that died while nobody looked). */
static int
running(pid_t pid)
{
	int st;

	return waitpid(pid, &st, WNOHANG) == 0;
}

static int
count_str(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* Lines of dir/log containing needle. */
static int
log_count(struct it_env *e, const char *log, const char *needle)
{
	char *s = it_read(e, log);
	int n = count_str(s, needle);

	free(s);
	return n;
}

/* Poll until dir/log has at least n lines with needle; 0, or -1 at timeout. */
static int
wait_log(struct it_env *e, const char *log, const char *needle, int n, double timeout)
{
	for (double t0 = util_now(); util_now() - t0 < timeout; sleep_s(0.1))
		if (log_count(e, log, needle) >= n)
			return 0;
	return -1;
}

static long
sql_long(struct it_env *e, const char *sql)
{
	char *v = it_sql(e, sql);
	long n = v != NULL ? atol(v) : -1;

	free(v);
	return n;
}

/* ---- the ledger: what was confirmed, applied, dropped, orphaned ------- */

struct applied {
	char job[64];
	long long check;
	double scheduled;
	size_t seq;		/* position in the engine's log */
};

struct ledger {
	char (*confirmed)[64];	/* every confirm line, from all workers */
	size_t nconfirmed;
	struct applied *applied;
	size_t napplied;
	char (*handled)[64];	/* applied or orphaned: sorted for bsearch */
	size_t nhandled;
	size_t unique_confirmed, duplicates, orphaned, not_run;
	size_t lost, disorder;
	size_t reapplied;	/* the same job applied again: the first was never
				 * committed (the engine stepped down meanwhile) */
	char lost_job[64], disorder_text[256];
};

/* The value of " key=" in line (up to the next blank); 0, or -1. */
static int
field(const char *line, const char *key, char *out, size_t len)
{
	char k[64];
	const char *p;
	size_t n;

	snprintf(k, sizeof(k), " %s=", key);
	if ((p = strstr(line, k)) == NULL)
		return -1;
	p += strlen(k);
	n = strcspn(p, " \n");
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* Call fn for each line of s holding needle. */
static void
each_line(const char *s, const char *needle, void (*fn)(const char *line, void *arg), void *arg)
{
	char line[4096];

	for (const char *p = s; *p != '\0';) {
		size_t n = strcspn(p, "\n");
		size_t m = n < sizeof(line) - 1 ? n : sizeof(line) - 1;

		memcpy(line, p, m);
		line[m] = '\0';
		if (strstr(line, needle) != NULL)
			fn(line, arg);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void
add_confirmed(const char *line, void *arg)
{
	struct ledger *l = arg;

	l->confirmed = xrealloc(l->confirmed, (l->nconfirmed + 1) * sizeof(*l->confirmed));
	if (field(line, "job", l->confirmed[l->nconfirmed], sizeof(l->confirmed[0])) == 0)
		l->nconfirmed++;
}

static void
add_handled(struct ledger *l, const char *job)
{
	l->handled = xrealloc(l->handled, (l->nhandled + 1) * sizeof(*l->handled));
	snprintf(l->handled[l->nhandled++], sizeof(l->handled[0]), "%s", job);
}

static void
add_applied(const char *line, void *arg)
{
	struct ledger *l = arg;
	struct applied a;
	char buf[64];

	memset(&a, 0, sizeof(a));
	if (field(line, "job", a.job, sizeof(a.job)) < 0 ||
	    field(line, "check", buf, sizeof(buf)) < 0)
		return;
	a.check = atoll(buf);
	if (field(line, "scheduled", buf, sizeof(buf)) < 0)
		return;
	a.scheduled = atof(buf);
	a.seq = l->napplied;
	l->applied = xrealloc(l->applied, (l->napplied + 1) * sizeof(*l->applied));
	l->applied[l->napplied++] = a;
	add_handled(l, a.job);
}

static void
add_orphaned(const char *line, void *arg)
{
	struct ledger *l = arg;
	char job[64];

	if (field(line, "job", job, sizeof(job)) == 0) {
		add_handled(l, job);
		l->orphaned++;
	}
}

static int
cmp_job(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
cmp_check_seq(const void *a, const void *b)
{
	const struct applied *x = a, *y = b;

	if (x->check != y->check)
		return x->check < y->check ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
ledger_clear(struct ledger *l)
{
	free(l->confirmed);
	free(l->applied);
	free(l->handled);
	memset(l, 0, sizeof(*l));
}

/* Read the logs of the engine and of nworkers workers (w1.log, …). */
static void
ledger_read(struct ledger *l, struct it_env *e, int nworkers)
{
	char *s;

	ledger_clear(l);
	for (int i = 1; i <= nworkers; i++) {
		char name[32];

		snprintf(name, sizeof(name), "w%d.log", i);
		s = it_read(e, name);
		each_line(s, ": result confirmed ", add_confirmed, l);
		free(s);
	}
	s = it_read(e, "engine.log");
	each_line(s, ": result applied ", add_applied, l);
	each_line(s, ": job orphaned ", add_orphaned, l);
	l->duplicates = (size_t)count_str(s, ": duplicate result dropped ");
	l->not_run = (size_t)count_str(s, ": check not run ");
	free(s);

	qsort(l->handled, l->nhandled, sizeof(*l->handled), cmp_job);
	qsort(l->confirmed, l->nconfirmed, sizeof(*l->confirmed), cmp_job);
	for (size_t i = 0; i < l->nconfirmed; i++) {
		if (i > 0 && strcmp(l->confirmed[i], l->confirmed[i - 1]) == 0)
			continue;	/* run twice (redelivered): one job */
		l->unique_confirmed++;
		if (bsearch(l->confirmed[i], l->handled, l->nhandled, sizeof(*l->handled),
		    cmp_job) == NULL) {
			if (l->lost++ == 0)
				snprintf(l->lost_job, sizeof(l->lost_job), "%s", l->confirmed[i]);
		}
	}

	/* Per check, results are applied in the order they were scheduled. */
	qsort(l->applied, l->napplied, sizeof(*l->applied), cmp_check_seq);
	for (size_t i = 1; i < l->napplied; i++) {
		struct applied *a = &l->applied[i - 1], *b = &l->applied[i];

		if (a->check == b->check && strcmp(a->job, b->job) == 0) {
			l->reapplied++;
			continue;
		}
		if (a->check == b->check && b->scheduled <= a->scheduled) {
			if (l->disorder++ == 0)
				snprintf(l->disorder_text, sizeof(l->disorder_text),
				    "check %lld: job %s (scheduled %.3f) applied after job %s (scheduled %.3f)",
				    b->check, b->job, b->scheduled, a->job, a->scheduled);
		}
	}
}

/* ---- a loaded installation: one engine, workers, quick checks ---------- */

struct rig {
	struct it_env e;
	const char *cfg;
	pid_t engine;
	pid_t workers[LOAD_WORKERS];
};

static void
rig_dump(struct rig *r)
{
	it_dump(&r->e, "engine.log");
	for (int i = 0; i < LOAD_WORKERS; i++) {
		char name[32];

		snprintf(name, sizeof(name), "w%d.log", i + 1);
		it_dump(&r->e, name);
	}
}

#define RIG_ASSERT(r, cond, ...) do { \
	if (!(cond)) { \
		rig_dump(r); \
		ck_abort_msg(__VA_ARGS__); \
	} \
} while (0)

/* LOAD_CHECKS checks at 1 and 2 s intervals, an engine and LOAD_WORKERS
 * workers logging at debug level; returns once every check has a result. */
static void
rig_start(struct rig *r, const char *name)
{
	char *yaml = xstrdup(
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\", fine]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    address: 127.0.0.1\n"
	    "    services:\n");

	for (int i = 1; i <= LOAD_CHECKS; i++) {
		char *more = xasprintf("%s      s%02d: {command: [dummy], interval: %ds,"
		    " timeout: 5s, max_attempts: 1}\n", yaml, i, 1 + i % 2);

		free(yaml);
		yaml = more;
	}
	memset(r, 0, sizeof(*r));
	it_env_init(&r->e, name);
	r->cfg = it_write_config(&r->e, FAST, "load.yaml", yaml);
	free(yaml);
	setenv("VIGIL_LOG_LEVEL", "debug", 1);
	r->engine = it_spawn(&r->e, "engine.log", "engine/vigil-engine",
	    (const char *[]){ "-c", r->cfg, NULL });
	for (int i = 0; i < LOAD_WORKERS; i++) {
		char log[32];

		snprintf(log, sizeof(log), "w%d.log", i + 1);
		r->workers[i] = it_spawn(&r->e, log, "worker/vigil-worker",
		    (const char *[]){ "-c", r->cfg, NULL });
	}
	RIG_ASSERT(r, it_wait_sql(&r->e, "SELECT count(*) FROM check_state WHERE state = 0",
	    LOAD_CHECKS_STR, 120) == 0, "not every check got a first result within 120 s");
}

static void
rig_assert_running(struct rig *r, const char *when)
{
	RIG_ASSERT(r, running(r->engine), "vigil-engine exited %s", when);
	for (int i = 0; i < LOAD_WORKERS; i++)
		RIG_ASSERT(r, running(r->workers[i]), "vigil-worker w%d exited %s", i + 1, when);
}

static long
results_in_db(struct rig *r)
{
	return sql_long(&r->e, "SELECT sum(results_total) FROM check_state");
}

/*
 * Stop the workers (what they confirmed is final), give the engine time to
 * apply all of it, stop the engine (it commits what it applied), then
 * check the ledger against PostgreSQL. Prints the counts under label.
 */
static void
rig_finish(struct rig *r, const char *label, struct ledger *l)
{
	long in_db;
	double t0;

	for (int i = 0; i < LOAD_WORKERS; i++) {
		int st = it_stop(r->workers[i], SIGTERM, 10);

		RIG_ASSERT(r, WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "vigil-worker w%d did not stop cleanly (status 0x%x)", i + 1, st);
	}
	for (t0 = util_now(); ; sleep_s(0.2)) {
		ledger_read(l, &r->e, LOAD_WORKERS);
		if (l->lost == 0 || util_now() - t0 > 15)
			break;
	}
	{
		/* more than the engine may take: DB_STOP_WAIT (15 s) for the
		 * last commits, its pool's slack beyond (10 s) */
		int st = it_stop(r->engine, SIGTERM, 40);

		RIG_ASSERT(r, WIFEXITED(st) && WEXITSTATUS(st) == 0,
		    "vigil-engine did not stop cleanly (status 0x%x)", st);
	}
	ledger_read(l, &r->e, LOAD_WORKERS);
	in_db = results_in_db(r);
	fprintf(stderr, "%s: confirmed=%zu (jobs %zu) applied=%zu duplicates_dropped=%zu"
	    " orphaned=%zu not_run=%zu lost=%zu out_of_order=%zu results_in_db=%ld\n",
	    label, l->nconfirmed, l->unique_confirmed, l->napplied, l->duplicates,
	    l->orphaned, l->not_run, l->lost, l->disorder, in_db);
	RIG_ASSERT(r, l->unique_confirmed > 0, "no worker confirmed any result");
	RIG_ASSERT(r, l->lost == 0, "%zu confirmed results never applied, e.g. job %s",
	    l->lost, l->lost_job);
	RIG_ASSERT(r, l->disorder == 0, "%zu results applied out of order: %s",
	    l->disorder, l->disorder_text);
	/* Everything applied was committed: each apply adds 1 to results_total. */
	RIG_ASSERT(r, in_db == (long)(l->napplied - l->reapplied + l->orphaned + l->not_run),
	    "results_total sums to %ld in postgres; the engine applied %zu results (%zu of"
	    " them again after stepping down), %zu orphan and %zu not-run verdicts", in_db,
	    l->napplied, l->reapplied, l->orphaned, l->not_run);
}

/* ---- tests ------------------------------------------------------------- */

START_TEST(a_pool_whose_queue_has_no_worker_gets_unknown_naming_the_pool)
{
	struct it_env e;
	const char *cfg;
	pid_t worker, engine;
	double t0, took;
	char *v;

	it_env_init(&e, "lonely");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\", fine]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      alone: {command: [dummy], pools: [lonely], interval: 3s, max_attempts: 1}\n");
	/* The pool's queue exists, but nobody consumes it. */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker",
	    (const char *[]){ "-c", cfg, "--pool", "lonely", NULL });
	if (wait_log(&e, "worker.log", "consuming queue=", 1, 20) < 0) {
		it_dump(&e, "worker.log");
		ck_abort_msg("the worker never declared its queue");
	}
	ck_assert_int_eq(WEXITSTATUS(it_stop(worker, SIGTERM, 10)), 0);

	t0 = util_now();
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	/* interval 3 s + first run within 1 s + start-up and a margin */
	if (it_wait_sql(&e, "SELECT s.state FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " WHERE c.service = 'alone'", "3", 3 + 1 + 5) < 0) {
		it_dump(&e, "engine.log");
		ck_abort_msg("the check did not become UNKNOWN within 9 s");
	}
	took = util_now() - t0;
	v = it_sql(&e, "SELECT s.output FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " WHERE c.service = 'alone'");
	fprintf(stderr, "lonely pool: UNKNOWN %.1f s after the engine started\n", took);
	ck_assert_str_eq(v, "(no worker in pool lonely started the check within 3 s)");
	free(v);
	ck_assert(running(engine));
	ck_assert_int_eq(WEXITSTATUS(it_stop(engine, SIGTERM, 10)), 0);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(rabbitmq_restart_loses_no_confirmed_result)
{
	struct rig r;
	struct ledger l = { 0 };
	double t_up, t_back, t_fresh;
	char *sql;

	rig_start(&r, "mqrestart");
	sleep_s(3);
	RIG_ASSERT(&r, harness("stop-rabbitmq") == 0, "harness stop-rabbitmq failed");
	sleep_s(5);
	RIG_ASSERT(&r, harness("start-rabbitmq") == 0, "harness start-rabbitmq failed");
	t_up = util_now();

	/* Each daemon reconnects by itself, after saying once that it lost
	 * the broker. */
	RIG_ASSERT(&r, wait_log(&r.e, "engine.log", "amqp up name=engine", 2, 40) == 0,
	    "the engine did not reconnect within 40 s");
	for (int i = 1; i <= LOAD_WORKERS; i++) {
		char log[32];

		snprintf(log, sizeof(log), "w%d.log", i);
		RIG_ASSERT(&r, wait_log(&r.e, log, "amqp up name=worker", 2, 40) == 0,
		    "worker w%d did not reconnect within 40 s", i);
		RIG_ASSERT(&r, log_count(&r.e, log, "amqp down name=worker") == 1,
		    "worker w%d did not log its outage exactly once", i);
	}
	t_back = util_now();
	RIG_ASSERT(&r, log_count(&r.e, "engine.log", "amqp down name=engine") == 1,
	    "the engine did not log its outage exactly once");
	rig_assert_running(&r, "during the RabbitMQ restart");

	/* Results land again, for every check: jobs lost with the broker are
	 * orphaned (interval + timeout + 10 s) and the check runs again. */
	sql = xasprintf("SELECT count(*) FROM check_state WHERE last_check > to_timestamp(%.3f)"
	    " AND output = 'OK: fine'", t_up);
	RIG_ASSERT(&r, it_wait_sql(&r.e, sql, LOAD_CHECKS_STR, 40) == 0,
	    "not every check had a fresh result within 40 s of the broker's return");
	free(sql);
	t_fresh = util_now();
	rig_assert_running(&r, "after the RabbitMQ restart");
	fprintf(stderr, "rabbitmq restart: all daemons reconnected %.1f s after the broker was"
	    " back; every check had a fresh result after %.1f s\n", t_back - t_up, t_fresh - t_up);

	rig_finish(&r, "rabbitmq restart", &l);
	ledger_clear(&l);
	it_env_cleanup(&r.e);
}
END_TEST

START_TEST(postgres_stopped_30s_under_load_loses_nothing)
{
	struct rig r;
	struct ledger l = { 0 };
	long before, backlog, in_db;
	size_t applied_at_start;
	double t_stop, t_start, t_drained;

	rig_start(&r, "pgstop");
	sleep_s(3);
	before = results_in_db(&r);
	RIG_ASSERT(&r, harness("stop-postgres") == 0, "harness stop-postgres failed");
	t_stop = util_now();
	/* Nothing may touch PostgreSQL from here on, the test included. */
	while (util_now() - t_stop < 30) {
		rig_assert_running(&r, "while PostgreSQL was down");
		sleep_s(1);
	}
	RIG_ASSERT(&r, harness("start-postgres") == 0, "harness start-postgres failed");
	t_start = util_now();
	/* The engine stepped down with its lock's session; it leads again
	 * about a second after PostgreSQL is back. */
	while (log_count(&r.e, "engine.log", "leading prefix=") < 2) {
		RIG_ASSERT(&r, util_now() - t_start < 15, "the engine did not lead again within 15 s");
		sleep_s(0.1);
	}
	fprintf(stderr, "postgres stop: the engine led again %.1f s after postgres was back\n",
	    util_now() - t_start);
	ledger_read(&l, &r.e, LOAD_WORKERS);
	applied_at_start = l.napplied + l.orphaned + l.not_run;
	backlog = (long)applied_at_start - before;

	/* The backlog reaches the database within seconds: the engine leads
	 * again about a second after PostgreSQL's return and takes the results
	 * that waited in RabbitMQ. */
	for (;;) {
		in_db = results_in_db(&r);
		if (in_db >= (long)applied_at_start)
			break;
		RIG_ASSERT(&r, util_now() - t_start < 45,
		    "the backlog did not drain within 45 s (%ld of %zu results in postgres)",
		    in_db, applied_at_start);
		sleep_s(0.1);
	}
	t_drained = util_now();
	rig_assert_running(&r, "after PostgreSQL came back");
	/* The leader's lock goes with its session: it steps down at once (and
	 * executes itself again, same pid), waits, and leads again when
	 * PostgreSQL is back; meanwhile results wait in RabbitMQ. */
	RIG_ASSERT(&r, log_count(&r.e, "engine.log", "lost the database session holding the lead") == 1,
	    "the engine did not step down exactly once");
	RIG_ASSERT(&r, log_count(&r.e, "engine.log", "postgres unreachable") <= 1,
	    "the engine logged the outage more than once");
	RIG_ASSERT(&r, log_count(&r.e, "engine.log", "leading prefix=") == 2,
	    "the engine did not lead again after postgres came back");
	fprintf(stderr, "postgres stop: %ld results applied while it was down (%.0f s);"
	    " drained %.1f s after it was back\n", backlog, t_start - t_stop, t_drained - t_start);

	rig_finish(&r, "postgres stop", &l);
	ledger_clear(&l);
	it_env_cleanup(&r.e);
}
END_TEST

START_TEST(worker_reconnects_after_broker_restart_without_losing_a_running_check)
{
	struct it_env e;
	const char *cfg;
	char *yaml, *v, *release;
	FILE *f;
	pid_t engine, worker;
	double t_up, took;

	it_env_init(&e, "running");
	yaml = xasprintf(
	    "commands:\n"
	    "  slow: {argv: [%s/tests/plugins/slow_ok, %s/plugin.log, \"0\", %s/release]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      slow: {command: [slow], interval: 1m, timeout: 120s, max_attempts: 1}\n",
	    e.srcdir, e.dir, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	free(yaml);
	setenv("VIGIL_LOG_LEVEL", "debug", 1);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	if (wait_log(&e, "plugin.log", "start", 1, 30) < 0) {
		it_dump(&e, "engine.log");
		it_dump(&e, "worker.log");
		ck_abort_msg("the plugin never started");
	}

	/* The broker goes away under the running plugin, which finishes
	 * (released by the test, however long the stop took) before the
	 * broker is back: its job died with the broker (jobs are transient),
	 * so only the worker still knows the result. */
	ck_assert_int_eq(harness("stop-rabbitmq"), 0);
	release = xasprintf("%s/release", e.dir);
	ck_assert_ptr_nonnull(f = fopen(release, "w"));
	fclose(f);
	free(release);
	if (wait_log(&e, "plugin.log", "done", 1, 15) < 0) {
		it_dump(&e, "worker.log");
		ck_abort_msg("the plugin did not finish");
	}
	sleep_s(0.5);
	ck_assert_int_eq(log_count(&e, "worker.log", "amqp down name=worker"), 1);
	ck_assert_msg(log_count(&e, "worker.log", ": result confirmed ") == 0,
	    "the result was confirmed before the broker stopped: nothing tested");
	ck_assert_int_eq(harness("start-rabbitmq"), 0);
	t_up = util_now();

	/* Well before the engine would orphan the job (1 m + 120 s + 10 s). */
	if (it_wait_sql(&e, "SELECT results_total FROM check_state", "1", 60) < 0) {
		it_dump(&e, "engine.log");
		it_dump(&e, "worker.log");
		ck_abort_msg("the running check's result was lost with the broker");
	}
	took = util_now() - t_up;
	v = it_sql(&e, "SELECT output FROM check_state");
	ck_assert_str_eq(v, "OK slow check done");
	free(v);
	v = it_read(&e, "plugin.log");
	ck_assert_msg(count_str(v, "start") == 1, "plugin runs: %s", v);
	free(v);
	ck_assert_int_eq(log_count(&e, "worker.log", ": result confirmed "), 1);
	fprintf(stderr, "running check: its result landed %.1f s after the broker was back\n", took);
	ck_assert(running(engine));
	ck_assert(running(worker));
	ck_assert_int_eq(WEXITSTATUS(it_stop(worker, SIGTERM, 10)), 0);
	ck_assert_int_eq(WEXITSTATUS(it_stop(engine, SIGTERM, 10)), 0);
	it_env_cleanup(&e);
}
END_TEST

/* The beam of the harness's RabbitMQ, or -1. */
static pid_t
rabbitmq_pid(void)
{
	char *path = xasprintf("%s/mq/rabbitmq.pid", harness_dir);
	FILE *f = fopen(path, "r");
	long pid = -1;

	free(path);
	if (f != NULL) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = -1;
		fclose(f);
	}
	return (pid_t)pid;
}

/* Under load, kill -9 one worker, then the engine, then RabbitMQ, each
 * started again: no process gets to say goodbye, and still every result
 * a worker saw confirmed is applied once and committed (the ledger). */
START_TEST(kill_9_of_worker_engine_and_rabbitmq_under_load_loses_no_confirmed_result)
{
	struct rig r;
	struct ledger l = { 0 };
	pid_t mq;
	double t_up;
	char *sql;

	rig_start(&r, "kill9");
	sleep_s(3);

	/* A worker: its unacked jobs go back to the queue; what it had
	 * confirmed is the broker's. The new one logs to the same file. */
	it_stop(r.workers[0], SIGKILL, 5);
	r.workers[0] = it_spawn(&r.e, "w1.log", "worker/vigil-worker",
	    (const char *[]){ "-c", r.cfg, NULL });
	RIG_ASSERT(&r, wait_log(&r.e, "w1.log", "consuming queue=", 2, 30) == 0,
	    "the worker started again did not consume within 30 s");
	sleep_s(3);

	/* The engine: what it applied but had not committed is redelivered
	 * (acked only after the commit) and applied by the next one. */
	it_stop(r.engine, SIGKILL, 5);
	r.engine = it_spawn(&r.e, "engine.log", "engine/vigil-engine",
	    (const char *[]){ "-c", r.cfg, NULL });
	RIG_ASSERT(&r, wait_log(&r.e, "engine.log", "amqp up name=engine", 2, 40) == 0,
	    "the engine started again did not connect within 40 s");
	sleep_s(3);

	/* RabbitMQ: persistent results it confirmed survive; the transient
	 * jobs do not, and their checks are orphaned and run again. */
	mq = rabbitmq_pid();
	RIG_ASSERT(&r, mq > 0 && kill(mq, SIGKILL) == 0, "cannot kill RabbitMQ (pid %ld)",
	    (long)mq);
	sleep_s(1);
	RIG_ASSERT(&r, harness("stop-rabbitmq") == 0, "harness stop-rabbitmq failed");
	RIG_ASSERT(&r, harness("start-rabbitmq") == 0, "harness start-rabbitmq failed");
	t_up = util_now();
	RIG_ASSERT(&r, wait_log(&r.e, "engine.log", "amqp up name=engine", 3, 40) == 0,
	    "the engine did not reconnect within 40 s of RabbitMQ's return");
	rig_assert_running(&r, "after kill -9 of RabbitMQ");
	sql = xasprintf("SELECT count(*) FROM check_state WHERE last_check > to_timestamp(%.3f)"
	    " AND output = 'OK: fine'", t_up);
	RIG_ASSERT(&r, it_wait_sql(&r.e, sql, LOAD_CHECKS_STR, 60) == 0,
	    "not every check had a fresh result within 60 s of the broker's return");
	free(sql);
	fprintf(stderr, "kill -9: every check had a fresh result %.1f s after RabbitMQ was back\n",
	    util_now() - t_up);

	rig_finish(&r, "kill -9 of worker, engine, rabbitmq", &l);
	ledger_clear(&l);
	it_env_cleanup(&r.e);
}
END_TEST

static Suite *
faults_suite(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("faults");

	/* One private harness for all: these tests restart its servers. */
	tcase_add_unchecked_fixture(tc, harness_up, harness_down);
	tcase_set_timeout(tc, 150);
	tcase_add_test(tc, a_pool_whose_queue_has_no_worker_gets_unknown_naming_the_pool);
	tcase_add_test(tc, rabbitmq_restart_loses_no_confirmed_result);
	tcase_add_test(tc, postgres_stopped_30s_under_load_loses_nothing);
	tcase_add_test(tc, worker_reconnects_after_broker_restart_without_losing_a_running_check);
	tcase_add_test(tc, kill_9_of_worker_engine_and_rabbitmq_under_load_loses_no_confirmed_result);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(faults_suite());
}
