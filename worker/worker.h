/*
 * NAME
 *	worker - vigil-worker: take jobs of one pool, run plugins, publish results
 * DESCRIPTION
 *	worker_service (a daemon.h service) consumes <prefix>.jobs.<pool> with a prefetch equal to
 *	its concurrency, so the broker never hands it more jobs than it runs
 *	at once. Each job's argv is executed directly (runner.c) with its
 *	timeout, in a minimal environment (PATH, LANG) plus VIGIL_POOL, the
 *	pool (location) it runs from, so that a plugin of a multi-location
 *	check can tell where it is; the outcome becomes a Nagios result
 *	(result.c), published
 *	persistent to <prefix>.results with publisher confirms. The job is
 *	acked only when the broker has confirmed its result: a worker killed
 *	at any point loses nothing (the broker redelivers the job; the engine
 *	recognises a result it already applied by the job id).
 *
 *	A job the broker delivered is run even when it arrives past its
 *	deadline by this machine's clock (a busy loop, a clock ahead): the
 *	broker drops what expires in the queue, and a late result is still a
 *	result. A malformed job is rejected (dead-lettered) and logged.
 *
 *	Every 5 s, and at once after each connect, it publishes a heartbeat
 *	(msg.h) to <prefix>.events with routing key worker.<pool>: the engine
 *	knows from them which pools have a live worker.
 *
 *	SIGTERM/SIGINT: send a last heartbeat saying "stopping", kill running
 *	plugins and close the connection; their jobs go back to the queue for
 *	another worker. SIGHUP: vigil.yaml is read again and checked; its
 *	errors are logged, and a changed pool, concurrency, output limit or
 *	broker is named as needing a restart (which loses nothing).
 * DIAGNOSTICS
 *	Broker down: logged once, reconnect with backoff; jobs are simply
 *	not taken meanwhile, and results not confirmed yet (or of plugins
 *	that finish meanwhile) are held and published after the reconnect.
 */
#ifndef VIGIL_WORKER_H
#define VIGIL_WORKER_H

#include "daemon.h"

/* daemon_main()'s arg for worker_service: the command line's choices. */
struct worker_opts {
	const char *pool;	/* NULL: worker.pool from the config */
	int concurrency;	/* 0: worker.concurrency from the config */
};

extern const struct daemon_service worker_service;

#endif
