/*
 * NAME
 *	tpool - a fixed set of threads for the blocking parts of a daemon
 * DESCRIPTION
 *	A daemon's loop never blocks; what must (the notifier's libpq round
 *	trips and libcurl transfers) runs here. tpool_submit() (loop thread only) queues
 *	an item; one of nthreads threads takes it and calls work(item, tctx)
 *	with that thread's own context (made by thread_init on the thread:
 *	a database connection and a curl handle, never shared); the item
 *	then goes back to the loop, which an ev_async wakes, and done(item)
 *	runs there. Items are the caller's: the pool only links them.
 * DIAGNOSTICS
 *	tpool_new() aborts (log_fatal) when threads cannot be created: an
 *	environment failure at start.
 */
#ifndef VIGIL_TPOOL_H
#define VIGIL_TPOOL_H

#include <stddef.h>

struct ev_loop;
struct tpool;

struct tpool_fns {
	void *(*thread_init)(void *arg);		/* on the thread */
	void (*thread_fini)(void *tctx, void *arg);	/* on the thread */
	void (*work)(void *item, void *tctx, void *arg);	/* on a thread */
	void (*done)(void *item, void *arg);		/* on the loop */
};

struct tpool *tpool_new(struct ev_loop *loop, int nthreads, const struct tpool_fns *fns,
    void *arg);
void tpool_submit(struct tpool *p, void *item);
/* Items submitted whose done() has not run yet (queued or working). */
size_t tpool_pending(const struct tpool *p);
/* Offer the items no thread has started to take: those it returns 1 for
 * are the caller's again (done() never runs for them); the others stay
 * queued, in their order. */
void tpool_take_queued(struct tpool *p, int (*take)(void *item, void *arg), void *arg);
/* Work off what is queued, stop the threads, join them, and free the
 * pool. done() runs for none of the items still in hand: the caller
 * takes back first what must not be worked on. */
void tpool_free(struct tpool *p);
/*
 * Work off what is queued, stop the threads and join them, waiting at
 * most wait seconds, then run done() for every item worked on (on the
 * calling thread, the loop's) and free the pool: 0. If a thread is still
 * busy at the deadline (a work() blocked on a peer that went silent):
 * -1, the pool is left as it is, and the caller is expected to exit.
 */
int tpool_finish(struct tpool *p, double wait);

#endif
