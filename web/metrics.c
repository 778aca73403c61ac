/*
 * NAME
 *	metrics - GET /metrics: the installation in Prometheus's text format
 * DESCRIPTION
 *	One scrape target for all of vigil. The leading engine writes its
 *	counters and histograms into daemon_metrics every few seconds
 *	(engine/metrics.c); this adds what PostgreSQL holds: checks by kind
 *	and state, the pools' flow, each live worker's plugins, the
 *	notification ledger by channel and status. Workers run on many
 *	machines that often only connect out; they report to the engine in
 *	their heartbeats, so nothing needs to scrape them. The same tokens as
 *	the API's reads (or http.anonymous_read). On a database thread.
 * DIAGNOSTICS
 *	503 when PostgreSQL does not answer; vigil_engine_metrics_age_seconds
 *	says how old the engine's part is (it is left out past 60 s: no
 *	engine leads, or it cannot reach PostgreSQL).
 */
#include "web_private.h"

#include "log.h"
#include "pg.h"
#include "query.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENGINE_METRICS_MAX_AGE 60.0	/* seconds: older is no engine's */

static const char metrics_engine_sql[] =
	"SELECT text, greatest(extract(epoch FROM now() - updated_at), 0) FROM daemon_metrics"
	" WHERE daemon = 'engine' ORDER BY updated_at DESC LIMIT 1";

/* kind, state (NULL: pending), how many, and of them acknowledged, in a
 * downtime, flapping */
static const char metrics_checks_sql[] =
	"SELECT c.service IS NULL, s.state, count(*),"
	" count(*) FILTER (WHERE s.acknowledged), count(*) FILTER (WHERE s.in_downtime),"
	" count(*) FILTER (WHERE s.flapping)"
	" FROM checks c LEFT JOIN check_state s ON s.check_id = c.id GROUP BY 1, 2 ORDER BY 1, 2";

static const char metrics_deliveries_sql[] =
	"SELECT channel, status, count(*) FROM notification_deliveries GROUP BY 1, 2 ORDER BY 1, 2";

static const char *const service_states[] = { "ok", "warning", "critical", "unknown" };
static const char *const host_states[] = { "up", "down", "unreachable" };

/* A label value: backslash, quote and newline escaped. */
static void
label(struct strbuf *b, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			strbuf_add(b, "\\", 1);
		if (*v == '\n')
			strbuf_adds(b, "\\n");
		else
			strbuf_add(b, v, 1);
	}
}

static void
head(struct strbuf *b, const char *name, const char *type, const char *help)
{
	strbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{key="value"[,key2="value2"]} value */
static void
sample(struct strbuf *b, const char *name, const char *k1, const char *v1, const char *k2,
    const char *v2, const char *value)
{
	strbuf_printf(b, "%s{%s=\"", name, k1);
	label(b, v1);
	if (k2 != NULL) {
		strbuf_printf(b, "\",%s=\"", k2);
		label(b, v2);
	}
	strbuf_printf(b, "\"} %s\n", value);
}

static void
checks(struct strbuf *b, PGresult *res)
{
	static const char *const flags[] = { "acknowledged", "in_downtime", "flapping" };

	head(b, "vigil_checks", "gauge",
	    "Checks by kind (host, service) and current state (pending: no result yet).");
	for (int i = 0; i < PQntuples(res); i++) {
		int host = PQgetvalue(res, i, 0)[0] == 't';
		const char *state = "pending";

		if (!PQgetisnull(res, i, 1)) {
			int s = atoi(PQgetvalue(res, i, 1));

			state = host ? (s >= 0 && s < 3 ? host_states[s] : "unknown") :
			    (s >= 0 && s < 4 ? service_states[s] : "unknown");
		}
		strbuf_printf(b, "vigil_checks{kind=\"%s\",state=\"%s\"} %s\n",
		    host ? "host" : "service", state, PQgetvalue(res, i, 2));
	}
	head(b, "vigil_checks_flagged", "gauge",
	    "Checks acknowledged, in a downtime or flapping, by kind.");
	for (int f = 0; f < 3; f++)
		for (int host = 0; host < 2; host++) {
			long long n = 0;

			for (int i = 0; i < PQntuples(res); i++)
				if ((PQgetvalue(res, i, 0)[0] == 't') == host)
					n += atoll(PQgetvalue(res, i, 3 + f));
			strbuf_printf(b, "vigil_checks_flagged{kind=\"%s\",flag=\"%s\"} %lld\n",
			    host ? "host" : "service", flags[f], n);
		}
}

static void
pools(struct strbuf *b, PGresult *res)
{
	static const struct {
		int col;
		const char *name, *type, *help;
	} cols[] = {
		{ 2, "vigil_pool_live_workers", "gauge", "Live workers of a pool." },
		{ 3, "vigil_pool_checks", "gauge", "Checks run by a pool." },
		{ 6, "vigil_pool_capacity", "gauge",
		    "Jobs a pool may hold in flight (its live workers' concurrency, plus a margin)." },
		{ 7, "vigil_pool_inflight", "gauge", "Jobs of a pool published, not answered." },
		{ 8, "vigil_pool_held", "gauge",
		    "Due checks of a pool held back until it has room (flow control)." },
		{ 9, "vigil_pool_held_wait_seconds", "gauge", "How long the oldest held check waits." },
		{ 10, "vigil_pool_late_expired_total", "counter",
		    "Jobs of a pool that expired unstarted and were run again, late." },
	};

	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		head(b, cols[c].name, cols[c].type, cols[c].help);
		for (int i = 0; i < PQntuples(res); i++)
			sample(b, cols[c].name, "pool", PQgetvalue(res, i, 0), NULL, NULL,
			    PQgetvalue(res, i, cols[c].col));
	}
	head(b, "vigil_pool_state", "gauge",
	    "A pool's state (1 for the one it is in: ok, overloaded, no_worker, pending).");
	for (int i = 0; i < PQntuples(res); i++)
		sample(b, "vigil_pool_state", "pool", PQgetvalue(res, i, 0), "state",
		    PQgetvalue(res, i, 1), "1");
}

static void
workers(struct strbuf *b, PGresult *res)
{
	static const struct {
		int col;
		const char *name, *help;
	} cols[] = {
		{ 5, "vigil_worker_plugins_running", "Plugins a worker runs now." },
		{ 4, "vigil_worker_concurrency", "Plugins a worker may run at once." },
		{ 6, "vigil_worker_results_unconfirmed",
		    "Results a worker published that the broker has not confirmed yet." },
		{ 10, "vigil_worker_heartbeat_age_seconds", "Since a worker's last heartbeat." },
	};

	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
		head(b, cols[c].name, "gauge", cols[c].help);
		for (int i = 0; i < PQntuples(res); i++)
			sample(b, cols[c].name, "pool", PQgetvalue(res, i, 0), "worker",
			    PQgetvalue(res, i, 1), PQgetvalue(res, i, cols[c].col));
	}
}

static void
deliveries(struct strbuf *b, PGresult *res)
{
	head(b, "vigil_notification_deliveries", "gauge",
	    "Deliveries in the notification ledger (kept for retention.history) by channel and"
	    " outcome: queued, sending, sent, retrying, failed.");
	for (int i = 0; i < PQntuples(res); i++)
		sample(b, "vigil_notification_deliveries", "channel", PQgetvalue(res, i, 0),
		    "status", PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
}

void
api_metrics(struct web_req *r, PGconn *pc)
{
	char err[512];
	PGresult *eng, *chk = NULL, *pl = NULL, *wk = NULL, *dl = NULL;

	if ((eng = pg_query(pc, metrics_engine_sql, 0, NULL, err, sizeof(err))) == NULL ||
	    (chk = pg_query(pc, metrics_checks_sql, 0, NULL, err, sizeof(err))) == NULL ||
	    (pl = query_pools(pc, err, sizeof(err))) == NULL ||
	    (wk = query_workers(pc, err, sizeof(err))) == NULL ||
	    (dl = pg_query(pc, metrics_deliveries_sql, 0, NULL, err, sizeof(err))) == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("metrics: %s", err);
		goto out;
	}
	r->status = 200;
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	head(&r->body, "vigil_engine_metrics_age_seconds", "gauge",
	    "Age of the leading engine's metrics below (absent: no engine wrote any in 60 s).");
	if (PQntuples(eng) == 1 && atof(PQgetvalue(eng, 0, 1)) <= ENGINE_METRICS_MAX_AGE) {
		strbuf_printf(&r->body, "vigil_engine_metrics_age_seconds %s\n",
		    PQgetvalue(eng, 0, 1));
		strbuf_adds(&r->body, PQgetvalue(eng, 0, 0));
	}
	checks(&r->body, chk);
	pools(&r->body, pl);
	workers(&r->body, wk);
	deliveries(&r->body, dl);
out:
	PQclear(eng);
	PQclear(chk);
	PQclear(pl);
	PQclear(wk);
	PQclear(dl);
}
