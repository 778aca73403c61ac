/*
 * NAME
 *	metrics - what the engine counts, for Prometheus (GET /metrics)
 * SYNOPSIS
 *	e->metrics.jobs_published++;
 *	metrics_observe(&e->metrics.lateness, seconds);
 *	char *text = metrics_text(&e->metrics, &gauges);
 * DESCRIPTION
 *	Counters and two histograms kept on the loop (the database thread's
 *	connects are read atomically from db.c). Every few seconds the engine
 *	renders them in Prometheus's text format (metrics_text()) and the next
 *	batch writes the text into daemon_metrics (migration 019); vigil-web
 *	serves it at GET /metrics with what PostgreSQL knows itself. The
 *	names are the README's ("Metrics"); a counter counts from the engine's
 *	start (a restart or a failover starts it again, as Prometheus expects
 *	of a counter).
 */
#ifndef VIGIL_ENGINE_METRICS_H
#define VIGIL_ENGINE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define METRICS_BUCKETS_MAX 16

/* A histogram: counts per upper bound (le, cumulative when rendered). */
struct metrics_hist {
	const double *le;	/* upper bounds, increasing */
	size_t n;
	uint64_t count[METRICS_BUCKETS_MAX];	/* in (le[i-1], le[i]]; [n]: above all */
	uint64_t total;
	double sum;
};

struct engine_metrics {
	uint64_t jobs_published;	/* jobs (a multi-location round: one per
					 * location) sent to the workers */
	uint64_t results_active, results_passive;	/* applied */
	uint64_t orphaned;		/* no answer past the deadline: UNKNOWN */
	uint64_t expired;		/* expired unstarted: UNKNOWN */
	uint64_t expired_rerun;		/* expired in a live pool: run again late */
	uint64_t unroutable;		/* no queue for the pool: UNKNOWN */
	uint64_t stale;			/* freshness: stale, run or set */
	uint64_t dependency_skipped;	/* due, not run: execution dependency */
	uint64_t event_handlers;	/* event handler jobs sent */
	uint64_t parked;		/* messages refused and parked */
	uint64_t batches, batch_rows;	/* committed */
	struct metrics_hist lateness;	/* due -> plugin start, active results */
	struct metrics_hist commit;	/* a batch's commit, submitted -> done */
};

/* What the engine knows at the moment of rendering. */
struct metrics_gauges {
	double started;			/* epoch */
	size_t checks, inflight, held, scheduled;
	size_t batches_pending;		/* with the database thread */
	uint64_t amqp_connects, db_connects;
	int64_t results_queue, parked_queue;	/* -1: not known */
};

void metrics_init(struct engine_metrics *m);
void metrics_observe(struct metrics_hist *h, double v);
/* The text (Prometheus exposition format 0.0.4); the caller frees it. */
char *metrics_text(const struct engine_metrics *m, const struct metrics_gauges *g);

#endif
