/*
 * NAME
 *	pool - a fixed set of threads for the blocking parts of deliveries
 * DESCRIPTION
 *	See pool.h. Two FIFOs under one mutex: inbox (loop → threads, a
 *	condition variable wakes a thread) and done (threads → loop, an
 *	ev_async wakes the loop). Nodes are allocated per submit; items are
 *	never touched by the pool.
 * DIAGNOSTICS
 *	log_fatal() when a thread cannot be created.
 */
#include "tpool.h"
#include "log.h"
#include "xalloc.h"

#include <ev.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pool_node {
	void *item;
	struct pool_node *next;
};

struct pool_fifo {
	struct pool_node *head, *tail;
};

struct tpool {
	struct ev_loop *loop;
	struct tpool_fns fns;
	void *arg;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pool_fifo inbox, done;
	int stopping;
	ev_async wake;
	pthread_t *threads;
	int nthreads;
	size_t pending;		/* loop thread only */
};

static void
fifo_push(struct pool_fifo *f, struct pool_node *n)
{
	n->next = NULL;
	if (f->tail != NULL)
		f->tail->next = n;
	else
		f->head = n;
	f->tail = n;
}

static struct pool_node *
fifo_pop(struct pool_fifo *f)
{
	struct pool_node *n = f->head;

	if (n != NULL) {
		f->head = n->next;
		if (f->head == NULL)
			f->tail = NULL;
	}
	return n;
}

static void *
pool_thread(void *arg)
{
	struct tpool *p = arg;
	void *tctx = p->fns.thread_init != NULL ? p->fns.thread_init(p->arg) : NULL;
	struct pool_node *n;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stopping && p->inbox.head == NULL)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->inbox.head == NULL)	/* stopping, and nothing left */
			break;
		n = fifo_pop(&p->inbox);
		pthread_mutex_unlock(&p->mu);
		p->fns.work(n->item, tctx, p->arg);
		pthread_mutex_lock(&p->mu);
		fifo_push(&p->done, n);
		ev_async_send(p->loop, &p->wake);
	}
	pthread_mutex_unlock(&p->mu);
	if (p->fns.thread_fini != NULL)
		p->fns.thread_fini(tctx, p->arg);
	return NULL;
}

static void
wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct tpool *p = w->data;
	struct pool_node *n;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		n = fifo_pop(&p->done);
		pthread_mutex_unlock(&p->mu);
		if (n == NULL)
			break;
		p->pending--;
		p->fns.done(n->item, p->arg);
		free(n);
	}
}

struct tpool *
tpool_new(struct ev_loop *loop, int nthreads, const struct tpool_fns *fns, void *arg)
{
	struct tpool *p = xcalloc(1, sizeof(*p));
	int i, e;

	p->loop = loop;
	p->fns = *fns;
	p->arg = arg;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	ev_async_init(&p->wake, wake_cb);
	p->wake.data = p;
	ev_async_start(loop, &p->wake);
	p->threads = xcalloc((size_t)nthreads, sizeof(*p->threads));
	for (i = 0; i < nthreads; i++) {
		if ((e = pthread_create(&p->threads[i], NULL, pool_thread, p)) != 0)
			log_fatal("cannot start delivery thread %d of %d: %s", i + 1, nthreads,
			    strerror(e));
		p->nthreads++;
	}
	return p;
}

void
tpool_submit(struct tpool *p, void *item)
{
	struct pool_node *n = xmalloc(sizeof(*n));

	n->item = item;
	p->pending++;
	pthread_mutex_lock(&p->mu);
	fifo_push(&p->inbox, n);
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

size_t
tpool_pending(const struct tpool *p)
{
	return p->pending;
}

void
tpool_take_queued(struct tpool *p, int (*take)(void *item, void *arg), void *arg)
{
	struct pool_fifo offered, kept = { NULL, NULL };
	struct pool_node *n;

	pthread_mutex_lock(&p->mu);
	offered = p->inbox;
	memset(&p->inbox, 0, sizeof(p->inbox));
	pthread_mutex_unlock(&p->mu);
	while ((n = fifo_pop(&offered)) != NULL) {
		if (take(n->item, arg)) {
			p->pending--;
			free(n);
		} else
			fifo_push(&kept, n);
	}
	if (kept.head == NULL)
		return;
	/* Back ahead of anything take() submitted meanwhile. */
	pthread_mutex_lock(&p->mu);
	kept.tail->next = p->inbox.head;
	if (p->inbox.head == NULL)
		p->inbox.tail = kept.tail;
	p->inbox.head = kept.head;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void
tpool_free(struct tpool *p)
{
	struct pool_node *n;
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	ev_async_stop(p->loop, &p->wake);
	while ((n = fifo_pop(&p->inbox)) != NULL)
		free(n);
	while ((n = fifo_pop(&p->done)) != NULL)
		free(n);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p->threads);
	free(p);
}

int
tpool_finish(struct tpool *p, double wait)
{
	struct timespec deadline;
	struct pool_node *n;
	int i;

	if (p == NULL)
		return 0;
	pthread_mutex_lock(&p->mu);
	p->stopping = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)wait;
	deadline.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (i = 0; i < p->nthreads; i++)
		if (pthread_timedjoin_np(p->threads[i], NULL, &deadline) != 0)
			return -1;
	/* Every thread is gone: what they did goes back now. */
	while ((n = fifo_pop(&p->done)) != NULL) {
		p->pending--;
		p->fns.done(n->item, p->arg);
		free(n);
	}
	p->nthreads = 0;
	tpool_free(p);
	return 0;
}
