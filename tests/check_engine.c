/*
 * NAME
 *	check_engine - unit tests of the engine's bookkeeping: the open
 *	batch, per-channel acks, a check's job life cycle, a reload's
 *	carry-over, group membership
 * DESCRIPTION
 *	The pure parts of batch.c (rows coalesced per check and generation,
 *	one multiple-ack per channel), check.c (where a check is in its job's
 *	life cycle, what a reload carries over) and sync.c (the group
 *	memberships a config implies, from a real config: configtest.h).
 * DIAGNOSTICS
 *	Exit status 0 when every test passes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "configtest.h"
#include "engine/engine_private.h"
#include "testutil.h"
#include "xalloc.h"

/* ---- the open batch --------------------------------------------------- */

START_TEST(results_of_one_check_coalesce_into_one_row_per_batch)
{
	struct engine e;
	struct check a, b;
	struct row *r;

	memset(&e, 0, sizeof(e));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	e.batch.gen = 1;
	r = batch_row_for(&e, &a);
	r->n++;
	ck_assert_ptr_eq(r->c, &a);
	ck_assert_int_eq(r->exit_code, -1);
	r = batch_row_for(&e, &a);
	r->n++;
	ck_assert_uint_eq(e.batch.nrows, 1);
	ck_assert_int_eq(e.batch.rows[0].n, 2);
	batch_row_for(&e, &b);
	ck_assert_uint_eq(e.batch.nrows, 2);
	ck_assert_ptr_eq(batch_row_for(&e, &a), &e.batch.rows[0]);

	/* The next batch: a's old index now holds b's row, which a must
	 * not take for its own. */
	e.batch.gen = 2;
	e.batch.nrows = 0;
	ck_assert_ptr_eq(batch_row_for(&e, &b), &e.batch.rows[0]);
	r = batch_row_for(&e, &a);
	ck_assert_ptr_eq(r, &e.batch.rows[1]);
	ck_assert_ptr_eq(r->c, &a);
	ck_assert_int_eq(r->n, 0);
	batch_clear(&e.batch);
	ck_assert_uint_eq(e.batch.nrows, 0);
	ck_assert_ptr_null(e.batch.rows);
}
END_TEST

START_TEST(a_batch_acks_the_newest_delivery_of_each_channel)
{
	const struct mq_ref acks[] = {
		{ .gen = 1, .channel = 1, .tag = 5 },
		{ .gen = 1, .channel = 1, .tag = 9 },
		{ .gen = 1, .channel = 2, .tag = 3 },
		{ .gen = 1, .channel = 1, .tag = 7 },	/* out of order */
		{ .gen = 1, .channel = 7, .tag = 1 },
		{ .gen = 2, .channel = 2, .tag = 1 },	/* after a reconnect */
		{ .gen = 1, .channel = 2, .tag = 8 },	/* the old link's, late */
	};
	struct mq_ref top[ENGINE_MAX_CHANNELS];

	batch_acks_top(acks, sizeof(acks) / sizeof(acks[0]), top);
	ck_assert_uint_eq(top[0].tag, 0);
	ck_assert_uint_eq(top[1].tag, 9);
	ck_assert_uint_eq(top[1].gen, 1);
	/* the newest connection's delivery: acking the old one's is moot */
	ck_assert_uint_eq(top[2].tag, 1);
	ck_assert_uint_eq(top[2].gen, 2);
	ck_assert_uint_eq(top[7].tag, 1);
	for (int ch = 3; ch < 7; ch++)
		ck_assert_uint_eq(top[ch].tag, 0);
	batch_acks_top(acks, 0, top);
	ck_assert_uint_eq(top[1].tag, 0);
}
END_TEST

START_TEST(rows_are_written_as_the_database_functions_read_them)
{
	struct check_table t;
	struct location l;
	struct locrow lr;
	struct strbuf b = { 0 };
	char *s;

	check_table_init(&t);
	for (int i = 0; i < 3; i++) {
		struct check *p = xcalloc(1, sizeof(*p));

		p->id = i + 1;
		p->heap_idx = SIZE_MAX;
		check_table_add(&t, p);
	}
	t.v[0]->job = CHECK_JOB_SCHEDULED;
	t.v[0]->due = 100;
	t.v[1]->job = CHECK_JOB_IDLE;		/* passive only: not in it */
	t.v[2]->job = CHECK_JOB_INFLIGHT;
	t.v[2]->inflight_scheduled = 50.25;
	s = rows_schedule(&t);
	ck_assert_str_eq(s, "[{\"check_id\":1,\"next_check\":100.0},"
	    "{\"check_id\":3,\"next_check\":50.25}]");
	free(s);

	memset(&l, 0, sizeof(l));
	l.pool = "eu-1";
	l.status = STATE_PENDING;
	l.output = "say \"hi\"\n";
	l.last_check = 10;
	l.last_end = 10.5;
	lr.c = t.v[0];
	lr.l = &l;
	lr.n = 2;
	rows_location(&b, &lr);
	ck_assert_str_eq(b.s, "{\"check_id\":1,\"pool\":\"eu-1\",\"status\":null,"
	    "\"output\":\"say \\\"hi\\\"\\n\",\"long_output\":\"\",\"perfdata\":\"\","
	    "\"last_check\":10.0,\"duration_ms\":500.0,\"worker\":null,"
	    "\"last_job_id\":null,\"last_scheduled\":null,\"n\":2}");
	strbuf_clear(&b);
	check_table_clear(&t);
}
END_TEST

/* ---- a check's job life cycle ----------------------------------------- */

START_TEST(next_run_follows_the_job_life_cycle)
{
	struct check c;

	memset(&c, 0, sizeof(c));
	c.due = 500;
	c.inflight_scheduled = 400;
	c.job = CHECK_JOB_IDLE;
	ck_assert(batch_next_run(&c) == 0);
	c.job = CHECK_JOB_SCHEDULED;
	ck_assert(batch_next_run(&c) == 500);
	c.job = CHECK_JOB_HELD;		/* due since then, waiting for room */
	ck_assert(batch_next_run(&c) == 500);
	c.job = CHECK_JOB_INFLIGHT;	/* due is its deadline: show its run */
	ck_assert(batch_next_run(&c) == 400);
}
END_TEST

/*
 * Freshness, a table (Nagios's check_freshness and
 * check_service_result_freshness(), and SEMANTICS.md "Scheduling"): off
 * unless asked for; the threshold from the last result, the engine's
 * start or the end of a night outside the check_period, whichever is
 * latest; never stale outside the check_period; stale, an active check
 * runs its command, a passive-only one or one with stale_state written
 * takes that state. The engine started at 1000; now is 2000.
 */
static const struct {
	const char *what;
	int freshness, threshold, interval, active, stale_set, inflight, never;
	double last_check, fresh_from;
	enum check_fresh want;
} fresh_cases[] = {
	{ "off: never stale", 0, 0, 60, 0, 0, 0, 0, 1500, 0, CHECK_FRESH },
	{ "off, even with stale_state written", 0, 0, 60, 0, 1, 0, 0, 1500, 0, CHECK_FRESH },
	{ "a threshold turns it on: passive, stale", 1, 100, 60, 0, 0, 0, 0, 1800, 0,
	  CHECK_FRESH_STALE },
	{ "within the threshold", 1, 300, 60, 0, 0, 0, 0, 1800, 0, CHECK_FRESH },
	{ "exactly the threshold is fresh", 1, 200, 60, 0, 0, 0, 0, 1800, 0, CHECK_FRESH },
	{ "freshness: true, default interval + 15 s", 1, 0, 60, 0, 0, 0, 0, 1924, 0,
	  CHECK_FRESH_STALE },
	{ "freshness: true, within interval + 15 s", 1, 0, 60, 0, 0, 0, 0, 1926, 0, CHECK_FRESH },
	{ "active, no stale_state: its command runs", 1, 100, 60, 1, 0, 0, 0, 1800, 0,
	  CHECK_FRESH_RUN },
	{ "active, stale_state written: that state", 1, 100, 60, 1, 1, 0, 0, 1800, 0,
	  CHECK_FRESH_STALE },
	{ "a run on its way: wait for it", 1, 100, 60, 1, 0, 1, 0, 1800, 0, CHECK_FRESH },
	{ "never a result: counted from the engine's start", 1, 900, 60, 0, 0, 0, 0, 0, 0,
	  CHECK_FRESH_STALE },
	{ "never a result, the start was recent enough", 1, 1000, 60, 0, 0, 0, 0, 0, 0,
	  CHECK_FRESH },
	{ "outside its check_period: never stale", 1, 100, 60, 0, 0, 0, 1, 1800, 0,
	  CHECK_FRESH_OUT_OF_PERIOD },
	{ "the period began since: counted from then", 1, 100, 60, 0, 0, 0, 0, 1000, 1950,
	  CHECK_FRESH },
};

START_TEST(freshness_verdicts_follow_nagios)
{
	struct check c;
	struct timeperiod *never = timeperiod_new();
	int threshold;
	double since;
	enum check_fresh got;

	memset(&c, 0, sizeof(c));
	c.freshness = fresh_cases[_i].freshness;
	c.freshness_threshold = fresh_cases[_i].threshold;
	c.interval = fresh_cases[_i].interval;
	c.active = fresh_cases[_i].active;
	c.stale_state_set = fresh_cases[_i].stale_set;
	c.job = fresh_cases[_i].inflight ? CHECK_JOB_INFLIGHT : CHECK_JOB_IDLE;
	c.check_period = fresh_cases[_i].never ? never : NULL;
	c.st.last_check = fresh_cases[_i].last_check;
	c.fresh_from = fresh_cases[_i].fresh_from;
	got = check_freshness(&c, 2000, 1000, &threshold, &since);
	ck_assert_msg(got == fresh_cases[_i].want, "%s: got %d, want %d", fresh_cases[_i].what,
	    got, fresh_cases[_i].want);
	timeperiod_free(never);
}
END_TEST

static void
carry_checks(struct check *o, struct check *n, const char *ohash, const char *nhash)
{
	memset(o, 0, sizeof(*o));
	memset(n, 0, sizeof(*n));
	snprintf(o->config_hash, sizeof(o->config_hash), "%s", ohash);
	snprintf(n->config_hash, sizeof(n->config_hash), "%s", nhash);
	o->pool = n->pool = "default";
	o->st.state = 2;
	o->st.attempt = 3;
	o->due = 1234;
	o->job = CHECK_JOB_SCHEDULED;
	n->due = 99;
	snprintf(o->last_job, sizeof(o->last_job), "job-o");
}

START_TEST(a_reload_carries_state_and_keeps_the_place_of_an_unchanged_check)
{
	struct check o, n;

	carry_checks(&o, &n, "aaaa", "aaaa");
	ck_assert_int_eq(check_carry_over(&n, &o), 1);
	ck_assert_int_eq(n.st.state, 2);
	ck_assert_int_eq(n.st.attempt, 3);
	ck_assert_str_eq(n.last_job, "job-o");
	ck_assert(n.due == 1234);

	/* changed: the state stays, the new interval applies at once */
	carry_checks(&o, &n, "aaaa", "bbbb");
	ck_assert_int_eq(check_carry_over(&n, &o), 0);
	ck_assert_int_eq(n.st.state, 2);
	ck_assert(n.due == 99);

	/* changed, but a job is in flight from the same pool: it is still
	 * the check's, with its deadline */
	carry_checks(&o, &n, "aaaa", "bbbb");
	o.job = CHECK_JOB_INFLIGHT;
	snprintf(o.inflight, sizeof(o.inflight), "job-x");
	o.inflight_scheduled = 1200;
	ck_assert_int_eq(check_carry_over(&n, &o), 1);
	ck_assert_str_eq(n.inflight, "job-x");
	ck_assert(n.inflight_scheduled == 1200);
	ck_assert(n.due == 1234);

	/* a passive-only check had no place to keep */
	carry_checks(&o, &n, "aaaa", "aaaa");
	o.job = CHECK_JOB_IDLE;
	ck_assert_int_eq(check_carry_over(&n, &o), 1);
	ck_assert(n.due == 99);
}
END_TEST

/* ---- group membership ------------------------------------------------- */

struct members {
	char *v[64];
	size_t n;
};

static void
add_member(void *arg, const char *group, const struct check *c)
{
	struct members *m = arg;
	size_t i;
	char *s = xasprintf("%s %s%s%s", group, c->host, c->service != NULL ? "/" : "",
	    c->service != NULL ? c->service : "");

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i], s) == 0)
			break;
	if (i < m->n || m->n == 64) {
		free(s);
		return;
	}
	m->v[m->n++] = s;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(a_host_member_brings_every_check_a_service_member_itself)
{
	static const char *const want[] = {
		"db db-01/mysql",
		"http db-01/http",
		"http web-01/http",
		"misc other/x",
		"prod web-01",
		"prod web-01/disk",
		"prod web-01/http",
		"web web-01",
		"web web-01/disk",
		"web web-01/http",
	};
	struct check_table t;
	struct members m = { .n = 0 };
	struct config *cfg;
	size_t i;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/true]}\n"
	    "groups:\n"
	    "  web: {hosts: [\"web-*\"]}\n"
	    "  prod: {}\n"
	    "  db: {parents: prod}\n"
	    "  http: {services: [\"*/http\"]}\n"
	    "  misc: {hosts: [\"oth*\"]}\n"
	    "  empty: {hosts: [\"nothing-*\"]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: c\n"
	    "    groups: [prod]\n"
	    "    services: {http: {command: c}, disk: {command: c}}\n"
	    "  db-01:\n"
	    "    check: c\n"
	    "    services:\n"
	    "      mysql: {command: c, groups: [db]}\n"
	    "      http: {command: c}\n"
	    "  other:\n"
	    "    services: {x: {command: c}}\n");
	cfg = load(0);
	check_table_init(&t);
	for (i = 0; i < cfg->nchecks; i++)
		check_table_add(&t, sync_check_new(cfg, &cfg->checks[i]));
	check_table_index(&t);
	sync_group_members(cfg, &t, add_member, &m);
	qsort(m.v, m.n, sizeof(*m.v), cmp_str);
	for (i = 0; i < m.n && i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_str_eq(m.v[i], want[i]);
	/* a parent group has no members of its own here: the rollup is
	 * PostgreSQL's (schema/functions/10_groups.sql) */
	ck_assert_uint_eq(m.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < m.n; i++)
		free(m.v[i]);
	/* a host's checks without a scan: its host check, then its services
	 * by name; a host without a host check has its services only */
	{
		size_t n;
		struct check *const *v = check_table_host(&t, "db-01", &n);

		ck_assert_uint_eq(n, 3);
		ck_assert_ptr_null(v[0]->service);
		ck_assert_str_eq(v[1]->service, "http");
		ck_assert_str_eq(v[2]->service, "mysql");
		for (i = 0; i < n; i++)
			ck_assert_str_eq(v[i]->host, "db-01");
		v = check_table_host(&t, "other", &n);
		ck_assert_uint_eq(n, 1);
		ck_assert_str_eq(v[0]->service, "x");
		v = check_table_host(&t, "web-01", &n);
		ck_assert_uint_eq(n, 3);
		ck_assert_str_eq(v[2]->service, "http");
		(void)check_table_host(&t, "db-00", &n);
		ck_assert_uint_eq(n, 0);
		(void)check_table_host(&t, "zzz", &n);
		ck_assert_uint_eq(n, 0);
	}
	check_table_clear(&t);
	config_free(cfg);
}
END_TEST

/* ---- metrics (metrics.c) ------------------------------------------------ */

/* A value on a bound goes into that bucket (le: less or equal), NaN into
 * none; the text's buckets are cumulative and +Inf is the count. */
START_TEST(histograms_count_by_upper_bound_and_render_cumulative)
{
	struct engine_metrics m;
	struct metrics_gauges g = { .started = 1.5, .checks = 3, .results_queue = 7,
		.parked_queue = -1 };
	char *t;

	metrics_init(&m);
	metrics_observe(&m.lateness, 0.01);	/* on the first bound */
	metrics_observe(&m.lateness, 0.0100001);
	metrics_observe(&m.lateness, 1000);	/* above all */
	metrics_observe(&m.lateness, 0.0 / 0.0);
	ck_assert_uint_eq(m.lateness.count[0], 1);
	ck_assert_uint_eq(m.lateness.count[1], 1);
	ck_assert_uint_eq(m.lateness.count[m.lateness.n], 1);
	ck_assert_uint_eq(m.lateness.total, 3);
	m.results_passive = 5;
	t = metrics_text(&m, &g);
	ck_assert_ptr_nonnull(strstr(t, "vigil_engine_check_lateness_seconds_bucket{le=\"0.01\"} 1\n"
	    "vigil_engine_check_lateness_seconds_bucket{le=\"0.025\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(t, "vigil_engine_check_lateness_seconds_bucket{le=\"300\"} 2\n"
	    "vigil_engine_check_lateness_seconds_bucket{le=\"+Inf\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(t, "vigil_engine_check_lateness_seconds_count 3\n"));
	ck_assert_ptr_nonnull(strstr(t, "# TYPE vigil_engine_results_applied_total counter\n"
	    "vigil_engine_results_applied_total{kind=\"active\"} 0\n"
	    "vigil_engine_results_applied_total{kind=\"passive\"} 5\n"));
	ck_assert_ptr_nonnull(strstr(t, "vigil_engine_checks 3\n"));
	ck_assert_ptr_nonnull(strstr(t, "vigil_queue_messages{queue=\"results\"} 7\n"));
	ck_assert_ptr_null(strstr(t, "queue=\"parked\""));	/* not known: left out */
	ck_assert_ptr_nonnull(strstr(t, "vigil_engine_batch_commit_seconds_bucket{le=\"+Inf\"} 0\n"));
	free(t);
}
END_TEST

/* ---- the passive ids applied (seen.c) --------------------------------- */

/* SipHash-2-4's reference vectors: key 00 01 .. 0f, messages 00 01 .. of
 * length 0, 7, 8 and 15 (the paper's appendix and its vectors.h). */
START_TEST(siphash_matches_the_reference_vectors)
{
	const uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
	unsigned char m[15];

	for (int i = 0; i < 15; i++)
		m[i] = (unsigned char)i;
	ck_assert_uint_eq(seen_siphash(k0, k1, m, 0), 0x726fdb47dd0e0e31ULL);
	ck_assert_uint_eq(seen_siphash(k0, k1, m, 7), 0xab0200f58b01d137ULL);
	ck_assert_uint_eq(seen_siphash(k0, k1, m, 8), 0x93f5f5799a932462ULL);
	ck_assert_uint_eq(seen_siphash(k0, k1, m, 15), 0xa129ca6149be45e5ULL);
}
END_TEST

START_TEST(the_seen_set_keeps_the_newest_ids)
{
	struct seen s;
	char id[32];

	seen_init(&s, 1000);
	ck_assert(!seen_has(&s, "a"));
	seen_add(&s, "a");
	seen_add(&s, "a");	/* once */
	ck_assert(seen_has(&s, "a"));
	ck_assert(!seen_has(&s, "b"));
	ck_assert_uint_eq(s.n, 1);
	for (int i = 0; i < 2500; i++) {
		snprintf(id, sizeof(id), "id-%d", i);
		seen_add(&s, id);
	}
	/* 1000 kept: the newest; "a" and the first 1500 forgotten */
	ck_assert_uint_eq(s.n, 1000);
	ck_assert(!seen_has(&s, "a"));
	ck_assert(!seen_has(&s, "id-0"));
	ck_assert(!seen_has(&s, "id-1499"));
	ck_assert(seen_has(&s, "id-1500"));
	ck_assert(seen_has(&s, "id-2499"));
	for (int i = 1500; i < 2500; i++) {
		snprintf(id, sizeof(id), "id-%d", i);
		ck_assert_msg(seen_has(&s, id), "%s forgotten", id);
	}
	seen_free(&s);
	/* a set of one */
	seen_init(&s, 1);
	seen_add(&s, "x");
	seen_add(&s, "y");
	ck_assert(!seen_has(&s, "x"));
	ck_assert(seen_has(&s, "y"));
	seen_free(&s);
}
END_TEST

static Suite *
engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc;

	tc = tcase_create("batch");
	tcase_add_test(tc, results_of_one_check_coalesce_into_one_row_per_batch);
	tcase_add_test(tc, a_batch_acks_the_newest_delivery_of_each_channel);
	tcase_add_test(tc, rows_are_written_as_the_database_functions_read_them);
	suite_add_tcase(s, tc);

	tc = tcase_create("checks");
	tcase_add_test(tc, next_run_follows_the_job_life_cycle);
	tcase_add_loop_test(tc, freshness_verdicts_follow_nagios, 0,
	    (int)(sizeof(fresh_cases) / sizeof(fresh_cases[0])));
	tcase_add_test(tc, a_reload_carries_state_and_keeps_the_place_of_an_unchanged_check);
	suite_add_tcase(s, tc);

	tc = tcase_create("seen");
	tcase_add_test(tc, histograms_count_by_upper_bound_and_render_cumulative);
	tcase_add_test(tc, siphash_matches_the_reference_vectors);
	tcase_add_test(tc, the_seen_set_keeps_the_newest_ids);
	suite_add_tcase(s, tc);

	tc = tcase_create("groups");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_host_member_brings_every_check_a_service_member_itself);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(engine_suite());
}
