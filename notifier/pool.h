/*
 * NAME
 *	pool - a fixed set of threads for the blocking parts of deliveries
 * DESCRIPTION
 *	The notifier's loop never blocks; what must (libpq round trips, a
 *	libcurl transfer) runs here. pool_submit() (loop thread only) queues
 *	an item; one of nthreads threads takes it and calls work(item, tctx)
 *	with that thread's own context (made by thread_init on the thread:
 *	a database connection and a curl handle, never shared); the item
 *	then goes back to the loop, which an ev_async wakes, and done(item)
 *	runs there. Items are the caller's: the pool only links them.
 * DIAGNOSTICS
 *	pool_new() aborts (log_fatal) when threads cannot be created: an
 *	environment failure at start.
 */
#ifndef VIGIL_POOL_H
#define VIGIL_POOL_H

#include <stddef.h>

struct ev_loop;
struct pool;

struct pool_fns {
	void *(*thread_init)(void *arg);		/* on the thread */
	void (*thread_fini)(void *tctx, void *arg);	/* on the thread */
	void (*work)(void *item, void *tctx, void *arg);	/* on a thread */
	void (*done)(void *item, void *arg);		/* on the loop */
};

struct pool *pool_new(struct ev_loop *loop, int nthreads, const struct pool_fns *fns,
    void *arg);
void pool_submit(struct pool *p, void *item);
/* Items submitted whose done() has not run yet (queued or working). */
size_t pool_pending(const struct pool *p);
/* Offer the items no thread has started to take: those it returns 1 for
 * are the caller's again (done() never runs for them); the others stay
 * queued, in their order. */
void pool_take_queued(struct pool *p, int (*take)(void *item, void *arg), void *arg);
/* Work off what is queued, stop the threads, join them, and free the
 * pool. done() runs for none of the items still in hand: the caller
 * takes back first what must not be worked on. */
void pool_free(struct pool *p);

#endif
