/*
 * NAME
 *	backoff - the one reconnect delay of vigil: doubling, capped, reset on
 *	success
 * SYNOPSIS
 *	struct backoff b = BACKOFF_INIT(0.5, 5.0);
 *	while (connect() < 0)
 *		backoff_sleep(&b);	(a thread)  or  t = backoff_next(&b) (a timer)
 *	backoff_reset(&b);
 * DESCRIPTION
 *	Every link of vigil (RabbitMQ in mq.c, PostgreSQL in the engine's
 *	database thread and at its start) retries a lost peer after min
 *	seconds, doubling up to max: a short cap, so that a recovery is
 *	noticed within seconds while a dead peer is not hammered.
 */
#ifndef VIGIL_BACKOFF_H
#define VIGIL_BACKOFF_H

struct backoff {
	double min, max;
	double next;		/* the delay backoff_next() returns */
};

#define BACKOFF_INIT(lo, hi) { (lo), (hi), (lo) }

/* The delay to wait now; the one after it doubles, up to max. */
double backoff_next(struct backoff *b);
/* Sleep backoff_next() seconds (threads and start-up only: it blocks). */
void backoff_sleep(struct backoff *b);
/* After a success: the next failure waits min again. */
void backoff_reset(struct backoff *b);

#endif
