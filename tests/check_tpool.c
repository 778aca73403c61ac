/*
 * NAME
 *	check_tpool - unit tests of the thread pool (lib/tpool.c)
 * DESCRIPTION
 *	Real threads and a real libev loop: every item is worked on a pool
 *	thread with that thread's own context and comes back to the loop
 *	through done(); tpool_finish() works off the queue and runs done()
 *	for everything before it frees (the engine's database thread stops
 *	that way); tpool_take_queued() hands back what no thread started.
 * DIAGNOSTICS
 *	Exit status 0 when every test passes.
 */
#include <check.h>
#include <ev.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "tpool.h"

struct item {
	int in, out;
	pthread_t worked_on;
	void *tctx;
};

struct world {
	pthread_mutex_t mu;
	int inits, finis;	/* thread contexts made and ended */
	int done;		/* done() calls, on the loop */
	int order_ok;		/* done() saw items in order (one thread) */
	int last;
	pthread_t loop_thread;
	int on_loop;		/* every done() on the loop's thread */
	int slow;		/* work sleeps this many ms */
	int gate_closed;	/* under mu: work waits until it opens */
	pthread_cond_t gate;
};

static void *
t_init(void *arg)
{
	struct world *w = arg;
	int *ctx = malloc(sizeof(*ctx));

	pthread_mutex_lock(&w->mu);
	*ctx = ++w->inits;
	pthread_mutex_unlock(&w->mu);
	return ctx;
}

static void
t_fini(void *tctx, void *arg)
{
	struct world *w = arg;

	pthread_mutex_lock(&w->mu);
	w->finis++;
	pthread_mutex_unlock(&w->mu);
	free(tctx);
}

static void
t_work(void *item, void *tctx, void *arg)
{
	struct world *w = arg;
	struct item *it = item;

	pthread_mutex_lock(&w->mu);
	while (w->gate_closed)
		pthread_cond_wait(&w->gate, &w->mu);
	pthread_mutex_unlock(&w->mu);
	if (w->slow > 0)
		usleep((useconds_t)w->slow * 1000);
	it->out = it->in * 2;
	it->worked_on = pthread_self();
	it->tctx = tctx;
}

static void
t_done(void *item, void *arg)
{
	struct world *w = arg;
	struct item *it = item;

	if (!pthread_equal(pthread_self(), w->loop_thread))
		w->on_loop = 0;
	if (it->in < w->last)
		w->order_ok = 0;
	w->last = it->in;
	w->done++;
}

static const struct tpool_fns fns = { t_init, t_fini, t_work, t_done };

static void
world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->gate, NULL);
	w->order_ok = 1;
	w->on_loop = 1;
	w->loop_thread = pthread_self();
}

static struct world *stop_when;
static int stop_at;

static void
check_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	if (stop_when->done >= stop_at)
		ev_break(loop, EVBREAK_ALL);
}

static void
limit_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	ev_break(loop, EVBREAK_ALL);
}

/* Run the loop until w has n done() calls, or 10 s. */
static void
run_until(struct ev_loop *loop, struct world *w, int n)
{
	ev_timer poll, limit;

	stop_when = w;
	stop_at = n;
	ev_timer_init(&poll, check_cb, 0.005, 0.005);
	ev_timer_start(loop, &poll);
	ev_timer_init(&limit, limit_cb, 10.0, 0);
	ev_timer_start(loop, &limit);
	ev_run(loop, 0);
	ev_timer_stop(loop, &poll);
	ev_timer_stop(loop, &limit);
}

START_TEST(every_item_is_worked_on_a_pool_thread_and_comes_back_on_the_loop)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct item items[200];
	struct world w;
	struct tpool *p;
	int i;

	world_init(&w);
	p = tpool_new(loop, 3, &fns, &w);
	for (i = 0; i < 200; i++) {
		items[i].in = i;
		tpool_submit(p, &items[i]);
	}
	ck_assert_uint_eq(tpool_pending(p), 200);
	run_until(loop, &w, 200);
	ck_assert_int_eq(w.done, 200);
	ck_assert_uint_eq(tpool_pending(p), 0);
	ck_assert(w.on_loop);
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(items[i].out, 2 * i);
		ck_assert(!pthread_equal(items[i].worked_on, w.loop_thread));
		ck_assert_ptr_nonnull(items[i].tctx);	/* its thread's own */
	}
	tpool_free(p);
	ck_assert_int_eq(w.inits, 3);
	ck_assert_int_eq(w.finis, 3);
	ev_loop_destroy(loop);
}
END_TEST

START_TEST(one_thread_keeps_the_order_of_submission)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct item items[100];
	struct world w;
	struct tpool *p;
	int i;

	world_init(&w);
	p = tpool_new(loop, 1, &fns, &w);
	for (i = 0; i < 100; i++) {
		items[i].in = i;
		tpool_submit(p, &items[i]);
	}
	run_until(loop, &w, 100);
	ck_assert_int_eq(w.done, 100);
	ck_assert(w.order_ok);
	tpool_free(p);
	ev_loop_destroy(loop);
}
END_TEST

START_TEST(finish_works_off_the_queue_and_runs_done_for_everything)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct item items[20];
	struct world w;
	struct tpool *p;
	int i;

	world_init(&w);
	w.slow = 5;
	p = tpool_new(loop, 1, &fns, &w);
	for (i = 0; i < 20; i++) {
		items[i].in = i;
		tpool_submit(p, &items[i]);
	}
	/* no loop iteration: finish hands them back itself, in order */
	ck_assert_int_eq(tpool_finish(p, 10.0), 0);
	ck_assert_int_eq(w.done, 20);
	ck_assert(w.order_ok);
	ck_assert(w.on_loop);
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(items[i].out, 2 * i);
	ck_assert_int_eq(w.finis, 1);
	ev_loop_destroy(loop);
}
END_TEST

static int
take_odd(void *item, void *arg)
{
	return ((struct item *)item)->in % 2 == 1;
}

START_TEST(queued_items_can_be_taken_back_before_a_thread_starts_them)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct item items[40];
	struct world w;
	struct tpool *p;
	int i, worked = 0;

	world_init(&w);
	/* The one thread holds item 0 at most, and waits: the rest queue. */
	w.gate_closed = 1;
	p = tpool_new(loop, 1, &fns, &w);
	for (i = 0; i < 40; i++) {
		items[i].in = i;
		items[i].out = -1;
		tpool_submit(p, &items[i]);
	}
	tpool_take_queued(p, take_odd, NULL);
	ck_assert_uint_eq(tpool_pending(p), 20);
	pthread_mutex_lock(&w.mu);
	w.gate_closed = 0;
	pthread_cond_broadcast(&w.gate);
	pthread_mutex_unlock(&w.mu);
	ck_assert_int_eq(tpool_finish(p, 10.0), 0);
	for (i = 0; i < 40; i++)
		if (items[i].out >= 0)
			worked++;
	ck_assert_int_eq(worked, 20);
	ck_assert_int_eq(w.done, 20);
	for (i = 0; i < 40; i++)
		ck_assert_int_eq(items[i].out, i % 2 == 0 ? 2 * i : -1);
	ev_loop_destroy(loop);
}
END_TEST

static Suite *
tpool_suite(void)
{
	Suite *s = suite_create("tpool");
	TCase *tc = tcase_create("pool");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, every_item_is_worked_on_a_pool_thread_and_comes_back_on_the_loop);
	tcase_add_test(tc, one_thread_keeps_the_order_of_submission);
	tcase_add_test(tc, finish_works_off_the_queue_and_runs_done_for_everything);
	tcase_add_test(tc, queued_items_can_be_taken_back_before_a_thread_starts_them);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(tpool_suite());
}
