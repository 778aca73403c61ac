/*
 * NAME
 *	check_flow - jobs in flight per pool, checks held in due order, and
 *	the overload judgement (engine/flow.c)
 * DESCRIPTION
 *	Each case of the overload table is a script of steps at given times
 *	on one pool and the events it must leave, in order, as "t:event".
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/flow.h"
#include "tests/testutil.h"

START_TEST(unknown_capacity_sets_no_limit)
{
	struct flow f;
	struct flow_pool *p;

	flow_init(&f);
	p = flow_pool(&f, "default");
	ck_assert_uint_eq(flow_limit(p), SIZE_MAX);
	p->inflight = 1000000;
	ck_assert(flow_has_room(p));
	flow_clear(&f);
}
END_TEST

START_TEST(limit_is_capacity_plus_a_quarter_or_at_least_two)
{
	struct flow f;
	struct flow_pool *p;

	flow_init(&f);
	p = flow_pool(&f, "default");
	p->capacity = 64;
	ck_assert_uint_eq(flow_limit(p), 80);
	p->capacity = 1;
	ck_assert_uint_eq(flow_limit(p), 3);
	p->capacity = 4;
	ck_assert_uint_eq(flow_limit(p), 6);
	p->inflight = 5;
	ck_assert(flow_has_room(p));
	p->inflight = 6;
	ck_assert(!flow_has_room(p));
	flow_clear(&f);
}
END_TEST

START_TEST(pools_are_found_by_name_and_made_once)
{
	struct flow f;
	struct flow_pool *a, *b;

	flow_init(&f);
	a = flow_pool(&f, "paris");
	b = flow_pool(&f, "tokyo");
	ck_assert_ptr_ne(a, b);
	ck_assert_ptr_eq(flow_pool(&f, "paris"), a);
	ck_assert_ptr_eq(flow_pool_find(&f, "tokyo"), b);
	ck_assert_ptr_null(flow_pool_find(&f, "lima"));
	ck_assert_uint_eq(f.npools, 2);
	flow_clear(&f);
}
END_TEST

START_TEST(held_items_come_back_oldest_first_across_ring_growth)
{
	struct flow f;
	struct flow_pool *p;
	static int items[1000];
	double at;

	flow_init(&f);
	p = flow_pool(&f, "default");
	/* interleave holds and unholds so that the ring wraps before it grows */
	for (int i = 0; i < 40; i++)
		flow_hold(p, &items[i], i);
	for (int i = 0; i < 30; i++)
		ck_assert_ptr_eq(flow_unhold(p, 100, NULL), &items[i]);
	for (int i = 40; i < 1000; i++)
		flow_hold(p, &items[i], i);
	ck_assert_uint_eq(p->nheld, 970);
	ck_assert_uint_eq(p->held_total, 1000);
	ck_assert(flow_oldest_wait(p, 1000) == 1000 - 30);
	for (int i = 30; i < 1000; i++) {
		ck_assert_ptr_eq(flow_unhold(p, 2000, &at), &items[i]);
		ck_assert(at == i);
	}
	ck_assert_ptr_null(flow_unhold(p, 2000, NULL));
	ck_assert(flow_oldest_wait(p, 3000) == 0);
	flow_clear(&f);
}
END_TEST

START_TEST(dropping_held_items_keeps_counters)
{
	struct flow f;
	struct flow_pool *p;
	int x;

	flow_init(&f);
	p = flow_pool(&f, "default");
	flow_hold(p, &x, 1);
	flow_hold(p, &x, 2);
	flow_drop_held(&f, 3);
	ck_assert_uint_eq(p->nheld, 0);
	ck_assert_uint_eq(p->held_total, 2);
	ck_assert_ptr_null(flow_unhold(p, 4, NULL));
	flow_clear(&f);
}
END_TEST

/* Overload: steps Hold (one item), Unhold (one item), Tick, at times. */
struct step {
	char op;
	double t;
};

#define H(t) { 'H', t }
#define U(t) { 'U', t }
#define T(t) { 'T', t }
#define END { 0, 0 }

static const struct {
	const char *name;
	struct step steps[16];
	const char *events;
} cases[] = {
	{ "holding for less than 5 s is not an overload",
	  { H(0), T(1), T(4.9), U(4.95), T(5), T(30), END }, "" },
	{ "holding without a break for 5 s is an overload, told once",
	  { H(0), T(1), T(5), T(6), T(60), END }, "5:overloaded" },
	{ "a break in the holding starts the count again",
	  { H(0), T(3), U(3.5), T(4), H(4.5), T(9), T(9.5), END }, "9.5:overloaded" },
	{ "an overloaded pool keeps up after 10 s with nothing held, told once",
	  { H(0), T(5), U(20), T(21), T(29.9), T(30), T(31), END },
	  "5:overloaded 30:keeps_up" },
	{ "holding again within 10 s keeps the overload",
	  { H(0), T(5), U(20), T(25), H(26), T(35), U(36), T(46), END },
	  "5:overloaded 46:keeps_up" },
	{ "a pool that never held anything is never overloaded",
	  { T(0), T(100), END }, "" },
};

START_TEST(overload_is_judged_once_each_way)
{
	struct flow f;
	struct flow_pool *p;
	char got[256] = "";
	int item;

	flow_init(&f);
	p = flow_pool(&f, "default");
	for (size_t i = 0; cases[_i].steps[i].op != 0; i++) {
		const struct step *st = &cases[_i].steps[i];

		switch (st->op) {
		case 'H':
			flow_hold(p, &item, st->t);
			break;
		case 'U':
			flow_unhold(p, st->t, NULL);
			break;
		case 'T':
			flow_tick(&f, st->t);
			for (size_t k = 0; k < f.nevents; k++) {
				size_t n = strlen(got);

				snprintf(got + n, sizeof(got) - n, "%s%g:%s", n ? " " : "", st->t,
				    f.events[k].type == FLOW_POOL_OVERLOADED ? "overloaded" :
				    "keeps_up");
				ck_assert_str_eq(f.events[k].pool, "default");
			}
			break;
		}
	}
	ck_assert_msg(strcmp(got, cases[_i].events) == 0, "case \"%s\": events \"%s\", want \"%s\"",
	    cases[_i].name, got, cases[_i].events);
	flow_clear(&f);
}
END_TEST

START_TEST(the_overload_event_says_how_long_the_oldest_waited)
{
	struct flow f;
	struct flow_pool *p;
	int a, b;

	flow_init(&f);
	p = flow_pool(&f, "default");
	flow_hold(p, &a, 10);
	flow_hold(p, &b, 12);
	flow_tick(&f, 16);
	ck_assert_uint_eq(f.nevents, 1);
	ck_assert(f.events[0].wait == 6);
	ck_assert_uint_eq(f.events[0].held, 2);
	ck_assert(p->overloaded_since == 10);
	flow_unhold(p, 17, NULL);
	flow_unhold(p, 18, NULL);
	flow_tick(&f, 28);
	ck_assert_uint_eq(f.nevents, 1);
	ck_assert_int_eq(f.events[0].type, FLOW_POOL_KEEPS_UP);
	ck_assert(f.events[0].wait == 8);	/* from 10 to 18 */
	flow_clear(&f);
}
END_TEST

static Suite *
flow_suite(void)
{
	Suite *s = suite_create("flow");
	TCase *tc = tcase_create("limit");

	tcase_add_test(tc, unknown_capacity_sets_no_limit);
	tcase_add_test(tc, limit_is_capacity_plus_a_quarter_or_at_least_two);
	tcase_add_test(tc, pools_are_found_by_name_and_made_once);
	suite_add_tcase(s, tc);
	tc = tcase_create("held");
	tcase_add_test(tc, held_items_come_back_oldest_first_across_ring_growth);
	tcase_add_test(tc, dropping_held_items_keeps_counters);
	suite_add_tcase(s, tc);
	tc = tcase_create("overload");
	tcase_add_loop_test(tc, overload_is_judged_once_each_way, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, the_overload_event_says_how_long_the_oldest_waited);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(flow_suite());
}
