/*
 * NAME
 *	check_sched - the scheduler heap, the no-drift rule, the check table
 *	and the skeleton's soft/hard transitions (engine/sched.c, check.c)
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/check.h"
#include "engine/sched.h"
#include "result.h"
#include "xalloc.h"
#include "tests/testutil.h"

static struct check *
mk(int64_t id, const char *host, const char *service)
{
	struct check *c = xcalloc(1, sizeof(*c));

	c->id = id;
	c->host = xstrdup(host);
	c->service = service != NULL ? xstrdup(service) : NULL;
	c->pool = xstrdup("default");
	c->heap_idx = SIZE_MAX;
	c->interval = 60;
	c->retry_interval = 10;
	c->max_attempts = 3;
	c->st.state = STATE_PENDING;
	c->st.state_type = STATE_HARD;
	c->st.attempt = 1;
	c->st.last_hard_state = STATE_PENDING;
	return c;
}

START_TEST(heap_pops_in_due_order_through_updates_and_removals)
{
	enum { N = 2000 };
	struct check *cs[N];
	struct sched s;
	double last = -1;
	size_t popped = 0;

	srand(42);
	sched_init(&s);
	for (int i = 0; i < N; i++) {
		cs[i] = mk(i + 1, "h", NULL);
		sched_set(&s, cs[i], rand() % 100000);
	}
	for (int i = 0; i < N; i += 3)
		sched_set(&s, cs[i], rand() % 100000);	/* move */
	for (int i = 1; i < N; i += 7)
		sched_remove(&s, cs[i]);
	for (struct check *c; (c = sched_pop(&s)) != NULL; popped++) {
		ck_assert_msg(c->due >= last, "popped %.0f after %.0f", c->due, last);
		ck_assert(c->heap_idx == SIZE_MAX);
		last = c->due;
	}
	ck_assert_uint_eq(popped, N - (N + 5) / 7);
	sched_clear(&s);
	for (int i = 0; i < N; i++)
		check_free(cs[i]);
}
END_TEST

START_TEST(next_run_is_previous_scheduled_time_plus_interval_without_drift)
{
	/* A run scheduled at 1000 that finished late at 1003 still runs
	 * next at 1060. */
	ck_assert_double_eq(sched_next_due(1000, 60, 1003, 0.5), 1060);
	/* Already past (engine was down): now plus a spread of at most 5 s. */
	ck_assert_double_eq(sched_next_due(1000, 60, 2000, 0), 2000);
	ck_assert(sched_next_due(1000, 60, 2000, 0.999) < 2005);
	/* The spread never exceeds a short interval. */
	ck_assert(sched_next_due(1000, 2, 2000, 0.999) < 2002);
}
END_TEST

START_TEST(first_run_is_a_random_offset_within_the_interval)
{
	ck_assert_double_eq(sched_first_due(500, 300, 0), 500);
	ck_assert(sched_first_due(500, 300, 0.9999) < 800);
}
END_TEST

START_TEST(check_table_finds_by_id_and_by_name)
{
	struct check_table t;

	check_table_init(&t);
	for (int i = 0; i < 500; i++) {
		char host[32], svc[32];

		snprintf(host, sizeof(host), "host-%03d", i / 5);
		snprintf(svc, sizeof(svc), "svc-%d", i % 5);
		check_table_add(&t, mk(1000 + i * 7, host, i % 5 == 0 ? NULL : svc));
	}
	check_table_index(&t);
	ck_assert_ptr_nonnull(check_table_find_id(&t, 1000 + 42 * 7));
	ck_assert_str_eq(check_table_find_id(&t, 1000 + 42 * 7)->service, "svc-2");
	ck_assert_ptr_null(check_table_find_id(&t, 999));
	ck_assert_ptr_nonnull(check_table_find_name(&t, "host-010", NULL));
	ck_assert_int_eq(check_table_find_name(&t, "host-010", NULL)->id, 1000 + 50 * 7);
	ck_assert_int_eq(check_table_find_name(&t, "host-010", "svc-3")->id, 1000 + 53 * 7);
	ck_assert_ptr_null(check_table_find_name(&t, "host-010", "nope"));
	ck_assert_ptr_null(check_table_find_name(&t, "nope", NULL));
	check_table_clear(&t);
}
END_TEST

/* Sequences of statuses and the state after each: state, type, attempt,
 * hard change. max_attempts 3 unless said. */
struct step {
	int status;
	int state, type, attempt, hard_changed;
};

static const struct {
	const char *name;
	int is_host, max_attempts;
	struct step steps[6];
	int n;
} seq_table[] = {
	{ "first OK result is HARD OK", 0, 3, { { 0, 0, STATE_HARD, 1, 1 } }, 1 },
	{ "problem goes SOFT, counts attempts, turns HARD at max_attempts", 0, 3,
	  { { 0, 0, STATE_HARD, 1, 1 }, { 2, 2, STATE_SOFT, 1, 0 }, { 2, 2, STATE_SOFT, 2, 0 },
	    { 2, 2, STATE_HARD, 3, 1 }, { 2, 2, STATE_HARD, 3, 0 }, { 0, 0, STATE_HARD, 1, 1 } }, 6 },
	{ "recovery from SOFT is HARD OK without a hard change", 0, 3,
	  { { 0, 0, STATE_HARD, 1, 1 }, { 1, 1, STATE_SOFT, 1, 0 }, { 0, 0, STATE_HARD, 1, 0 } }, 3 },
	{ "max_attempts 1 is HARD at once", 0, 1,
	  { { 0, 0, STATE_HARD, 1, 1 }, { 2, 2, STATE_HARD, 1, 1 } }, 2 },
	{ "change between problem states while HARD is a HARD change", 0, 2,
	  { { 1, 1, STATE_SOFT, 1, 0 }, { 1, 1, STATE_HARD, 2, 1 }, { 2, 2, STATE_HARD, 2, 1 } }, 3 },
	{ "host: exit 1 is UP, 2 is DOWN", 1, 2,
	  { { 1, HOST_UP, STATE_HARD, 1, 1 }, { 2, HOST_DOWN, STATE_SOFT, 1, 0 },
	    { 3, HOST_DOWN, STATE_HARD, 2, 1 } }, 3 },
};

START_TEST(soft_and_hard_transitions)
{
	struct check_state st = { STATE_PENDING, STATE_HARD, 1, STATE_PENDING, 0, 0, 0 };
	struct check_change chg;

	for (int k = 0; k < seq_table[_i].n; k++) {
		const struct step *s = &seq_table[_i].steps[k];

		check_state_apply(&st, s->status, seq_table[_i].is_host,
		    seq_table[_i].max_attempts, 100 + k, &chg);
		ck_assert_msg(st.state == s->state && st.state_type == s->type &&
		    st.attempt == s->attempt && chg.hard_changed == s->hard_changed,
		    "%s, step %d (status %d): got state %d type %d attempt %d hard_changed %d",
		    seq_table[_i].name, k, s->status, st.state, st.state_type, st.attempt,
		    chg.hard_changed);
	}
}
END_TEST

START_TEST(retry_interval_applies_while_soft_problem)
{
	struct check *c = mk(1, "h", "s");
	struct check_change chg;

	check_state_apply(&c->st, 0, 0, 3, 1, &chg);
	ck_assert_int_eq(check_next_interval(c), 60);
	check_state_apply(&c->st, 2, 0, 3, 2, &chg);
	ck_assert_int_eq(check_next_interval(c), 10);
	check_state_apply(&c->st, 2, 0, 3, 3, &chg);
	check_state_apply(&c->st, 2, 0, 3, 4, &chg);
	ck_assert_int_eq(check_next_interval(c), 60);
	check_free(c);
}
END_TEST

static Suite *
sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("heap");

	tcase_add_test(tc, heap_pops_in_due_order_through_updates_and_removals);
	tcase_add_test(tc, next_run_is_previous_scheduled_time_plus_interval_without_drift);
	tcase_add_test(tc, first_run_is_a_random_offset_within_the_interval);
	suite_add_tcase(s, tc);
	tc = tcase_create("checks");
	tcase_add_test(tc, check_table_finds_by_id_and_by_name);
	tcase_add_loop_test(tc, soft_and_hard_transitions, 0, sizeof(seq_table) / sizeof(seq_table[0]));
	tcase_add_test(tc, retry_interval_applies_while_soft_problem);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(sched_suite());
}
