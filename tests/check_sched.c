/*
 * NAME
 *	check_sched - the scheduler heap, the no-drift rule and the check
 *	table (engine/sched.c, check.c); the state machine has check_state
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

	/* Not the check's (check.h): the caller keeps them. */
	c->id = id;
	c->host = (char *)host;
	c->service = (char *)service;
	c->pool = (char *)"default";
	c->heap_idx = SIZE_MAX;
	c->interval = 60;
	c->retry_interval = 10;
	c->max_attempts = 3;
	state_init(&c->st);
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

/* A caller that set c->due before sched_set() (a recheck once did):
 * the check still comes first when it is due first. */
START_TEST(a_check_moved_earlier_with_its_due_set_already_comes_first)
{
	enum { N = 64 };
	struct check *cs[N], *c;
	struct sched s;

	sched_init(&s);
	for (int i = 0; i < N; i++) {
		cs[i] = mk(i + 1, "h", NULL);
		sched_set(&s, cs[i], 1000 + i);
	}
	cs[N - 1]->due = 5;		/* the deepest one, due now */
	sched_set(&s, cs[N - 1], 5);
	c = sched_peek(&s);
	ck_assert_ptr_eq(c, cs[N - 1]);
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
	static char hosts[500][16], svcs[500][16];
	struct check_table t;

	check_table_init(&t);
	for (int i = 0; i < 500; i++) {
		snprintf(hosts[i], sizeof(hosts[i]), "host-%03d", i / 5);
		snprintf(svcs[i], sizeof(svcs[i]), "svc-%d", i % 5);
		check_table_add(&t, mk(1000 + i * 7, hosts[i], i % 5 == 0 ? NULL : svcs[i]));
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

START_TEST(next_interval_follows_the_state_machine_retry_flag)
{
	struct check *c = mk(1, "h", "s");

	ck_assert_int_eq(check_next_interval(c), 60);
	c->use_retry = 1;
	ck_assert_int_eq(check_next_interval(c), 10);
	check_free(c);
}
END_TEST

static Suite *
sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("heap");

	tcase_add_test(tc, heap_pops_in_due_order_through_updates_and_removals);
	tcase_add_test(tc, a_check_moved_earlier_with_its_due_set_already_comes_first);
	tcase_add_test(tc, next_run_is_previous_scheduled_time_plus_interval_without_drift);
	tcase_add_test(tc, first_run_is_a_random_offset_within_the_interval);
	suite_add_tcase(s, tc);
	tc = tcase_create("checks");
	tcase_add_test(tc, check_table_finds_by_id_and_by_name);
	tcase_add_test(tc, next_interval_follows_the_state_machine_retry_flag);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(sched_suite());
}
