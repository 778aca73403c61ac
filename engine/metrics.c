/*
 * NAME
 *	metrics - the engine's counters in Prometheus's text format
 * DESCRIPTION
 *	See metrics.h.
 */
#include "metrics.h"
#include "jsonw.h"
#include "strbuf.h"

#include <stdio.h>
#include <string.h>

/* seconds: from 10 ms (the mission's bar is 100 ms) to 5 min late */
static const double lateness_le[] = { 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
	300 };
/* seconds: a batch's transaction */
static const double commit_le[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
	2.5, 5, 10 };

void
metrics_init(struct engine_metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->lateness.le = lateness_le;
	m->lateness.n = sizeof(lateness_le) / sizeof(lateness_le[0]);
	m->commit.le = commit_le;
	m->commit.n = sizeof(commit_le) / sizeof(commit_le[0]);
}

void
metrics_observe(struct metrics_hist *h, double v)
{
	size_t i = 0;

	if (v != v)	/* NaN: not an observation */
		return;
	while (i < h->n && v > h->le[i])
		i++;
	h->count[i]++;
	h->total++;
	h->sum += v;
}

static void
head(struct strbuf *b, const char *name, const char *type, const char *help)
{
	strbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
counter(struct strbuf *b, const char *name, const char *help, uint64_t v)
{
	head(b, name, "counter", help);
	strbuf_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

static void
gauge(struct strbuf *b, const char *name, const char *help, double v)
{
	char num[40];

	head(b, name, "gauge", help);
	jsonw_shortest(num, sizeof(num), v);
	strbuf_printf(b, "%s %s\n", name, num);
}

static void
hist(struct strbuf *b, const char *name, const char *help, const struct metrics_hist *h)
{
	uint64_t cum = 0;
	char num[40];

	head(b, name, "histogram", help);
	for (size_t i = 0; i < h->n; i++) {
		cum += h->count[i];
		strbuf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, h->le[i], (unsigned long long)cum);
	}
	strbuf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)h->total);
	jsonw_shortest(num, sizeof(num), h->sum);
	strbuf_printf(b, "%s_sum %s\n%s_count %llu\n", name, num, name,
	    (unsigned long long)h->total);
}

char *
metrics_text(const struct engine_metrics *m, const struct metrics_gauges *g)
{
	struct strbuf b = { 0 };

	gauge(&b, "vigil_engine_start_time_seconds", "When the leading engine started (epoch).",
	    g->started);
	gauge(&b, "vigil_engine_checks", "Checks the engine holds.", (double)g->checks);
	gauge(&b, "vigil_engine_checks_scheduled", "Checks in the schedule (active ones).",
	    (double)g->scheduled);
	gauge(&b, "vigil_engine_checks_inflight", "Checks whose job is out, not answered yet.",
	    (double)g->inflight);
	gauge(&b, "vigil_engine_checks_held",
	    "Due checks held back by flow control until their pool has room.", (double)g->held);
	counter(&b, "vigil_engine_jobs_published_total", "Jobs sent to the workers.",
	    m->jobs_published);
	head(&b, "vigil_engine_results_applied_total", "counter",
	    "Results applied to the state, by kind (active: from a job; passive: submitted).");
	strbuf_printf(&b, "vigil_engine_results_applied_total{kind=\"active\"} %llu\n",
	    (unsigned long long)m->results_active);
	strbuf_printf(&b, "vigil_engine_results_applied_total{kind=\"passive\"} %llu\n",
	    (unsigned long long)m->results_passive);
	hist(&b, "vigil_engine_check_lateness_seconds",
	    "How late active checks started: due time to the plugin's start.", &m->lateness);
	counter(&b, "vigil_engine_jobs_orphaned_total",
	    "Jobs without an answer past their deadline (the check is UNKNOWN).", m->orphaned);
	counter(&b, "vigil_engine_jobs_expired_total",
	    "Jobs expired unstarted in their queue (the check is UNKNOWN).", m->expired);
	counter(&b, "vigil_engine_jobs_expired_rerun_total",
	    "Jobs expired in a pool with live workers: run again, late, state kept.",
	    m->expired_rerun);
	counter(&b, "vigil_engine_jobs_unroutable_total",
	    "Jobs for a pool without a queue (the check is UNKNOWN).", m->unroutable);
	counter(&b, "vigil_engine_checks_stale_total",
	    "Freshness: checks found stale (run now, or set to their stale_state).", m->stale);
	counter(&b, "vigil_engine_checks_dependency_skipped_total",
	    "Due checks not run because a master fails their execution dependency.",
	    m->dependency_skipped);
	counter(&b, "vigil_engine_event_handlers_total",
	    "Event handler jobs sent to the workers.", m->event_handlers);
	counter(&b, "vigil_engine_messages_parked_total",
	    "Messages refused (malformed, forged, too large) and parked.", m->parked);
	counter(&b, "vigil_engine_batches_committed_total", "Database batches committed.",
	    m->batches);
	counter(&b, "vigil_engine_batch_rows_total", "Check rows written by committed batches.",
	    m->batch_rows);
	hist(&b, "vigil_engine_batch_commit_seconds",
	    "A batch's time from its submission to its commit.", &m->commit);
	gauge(&b, "vigil_engine_batches_pending", "Batches with the database thread.",
	    (double)g->batches_pending);
	counter(&b, "vigil_engine_broker_connects_total",
	    "Connections made to RabbitMQ (the first, then reconnects).", g->amqp_connects);
	counter(&b, "vigil_engine_database_connects_total",
	    "Connections made to PostgreSQL by the batch thread (the first, then reconnects).",
	    g->db_connects);
	head(&b, "vigil_queue_messages", "gauge",
	    "Messages waiting in a queue of the engine's (counted once a minute).");
	if (g->results_queue >= 0)
		strbuf_printf(&b, "vigil_queue_messages{queue=\"results\"} %lld\n",
		    (long long)g->results_queue);
	if (g->parked_queue >= 0)
		strbuf_printf(&b, "vigil_queue_messages{queue=\"parked\"} %lld\n",
		    (long long)g->parked_queue);
	return b.s;
}
