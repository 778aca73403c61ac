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
/* Take back the items no thread has started: each goes to fn. */
void pool_take_queued(struct pool *p, void (*fn)(void *item, void *arg), void *arg);
/* Stop the threads once they finish what they work on, join them, and
 * free the pool. Items still queued are not worked on (take them first). */
void pool_free(struct pool *p);

#endif
