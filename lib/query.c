/*
 * NAME
 *	query - the named reads of vigil's state in PostgreSQL (see query.h)
 */
#include "query.h"
#include "pg.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char query_status_sql[] =
	"SELECT h.name, c.service, s.state, s.state_type, s.attempt, c.max_attempts,"
	" s.output, to_char(s.last_check AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" extract(epoch FROM s.last_check), s.long_output, s.perfdata, s.pool,"
	" to_char(s.next_check AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" s.latency_ms, s.duration_ms,"
	/* Every pool of a multi-location check, with or without a result
	 * yet; NULL for a single-location check. */
	" CASE WHEN cardinality(c.pools) > 1 THEN (SELECT json_agg(json_build_object("
	"  'pool', p.pool, 'status', l.status, 'output', coalesce(l.output, ''),"
	"  'last_check', extract(epoch FROM l.last_check),"
	"  'last_check_text', to_char(l.last_check AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	"  'worker', l.worker) ORDER BY p.ord)"
	"  FROM unnest(c.pools) WITH ORDINALITY AS p(pool, ord)"
	"  LEFT JOIN check_locations l ON l.check_id = c.id AND l.pool = p.pool)::text END,"
	" coalesce(s.acknowledged, false), coalesce(s.in_downtime, false),"
	" coalesce(s.flapping, false), s.ack_author, s.ack_comment,"
	" coalesce(s.disabled, 0), s.disabled_by"
	" FROM checks c JOIN hosts h ON h.id = c.host_id"
	" LEFT JOIN check_state s ON s.check_id = c.id"
	" WHERE ($1 = '0' OR s.state > 0)"
	/* Byte order, whatever the database's collation: the API's cursor
	 * compares names the same way. */
	" ORDER BY h.name COLLATE \"C\", c.service COLLATE \"C\" NULLS FIRST";

static const char query_groups_sql[] =
	"SELECT g.name, g.title, coalesce(gs.worst_state, 'PENDING'),"
	" coalesce(gs.ok, 0), coalesce(gs.warning, 0), coalesce(gs.critical, 0),"
	" coalesce(gs.unknown, 0), coalesce(gs.up, 0), coalesce(gs.down, 0),"
	" coalesce(gs.unreachable, 0), coalesce(gs.pending, 0),"
	" coalesce(gs.acknowledged, 0), coalesce(gs.in_downtime, 0), coalesce(gs.flapping, 0),"
	" coalesce(pa.names, '{}')"
	" FROM groups g LEFT JOIN group_state gs ON gs.group_id = g.id"
	/* the parents of every group at once: no query per group */
	" LEFT JOIN (SELECT gp.group_id, array_agg(p.name ORDER BY p.name)::text AS names"
	"  FROM group_parents gp JOIN groups p ON p.id = gp.parent_id GROUP BY gp.group_id) pa"
	"  ON pa.group_id = g.id"
	" ORDER BY g.name";

static const char query_pools_sql[] =
	"SELECT name, state, live_workers, checks, extract(epoch FROM since),"
	" to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" capacity, inflight, held, waiting, late_expired"
	" FROM pools ORDER BY name";

static const char query_workers_sql[] =
	"SELECT pool, id, host, pid, concurrency, running, awaiting, version,"
	" extract(epoch FROM started), extract(epoch FROM last_seen),"
	" greatest(extract(epoch FROM now() - last_seen), 0)"
	" FROM workers ORDER BY pool, host, pid";

static const char query_notifications_sql[] =
	"SELECT n.id, to_char(n.time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" n.type, n.number,"
	" coalesce(h.name, ''), c.service, n.output, d.contact, d.channel, d.status,"
	" d.attempts, d.last_error, extract(epoch FROM n.time), d.address, n.escalated"
	" FROM (SELECT * FROM notifications x WHERE NOT $2::boolean OR EXISTS (SELECT 1"
	"  FROM notification_deliveries f WHERE f.notification_id = x.id"
	"  AND f.status IN ('failed', 'retrying')) ORDER BY time DESC LIMIT $1) n"
	" LEFT JOIN checks c ON c.id = n.check_id LEFT JOIN hosts h ON h.id = c.host_id"
	" LEFT JOIN notification_deliveries d ON d.notification_id = n.id"
	" WHERE NOT $2::boolean OR d.status IN ('failed', 'retrying')"
	" ORDER BY n.time, n.id, d.contact, d.channel";

/* ---- the API's reads ---------------------------------------------------- */

#define QUERY_RFC3339(col) "to_char((" col ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* query_checks() and query_check(): the columns of query.h's list. */
#define QUERY_CHECK_SELECT \
	"SELECT h.name, c.service, s.state, s.state_type, s.attempt, c.max_attempts," \
	" s.output, s.long_output, s.perfdata, " QUERY_RFC3339("s.last_check") "," \
	" " QUERY_RFC3339("s.next_check") ", " QUERY_RFC3339("s.last_state_change") "," \
	" " QUERY_RFC3339("s.last_hard_state_change") ", s.latency_ms, s.duration_ms," \
	" s.percent_state_change, coalesce(s.acknowledged, false)," \
	" coalesce(s.in_downtime, false), coalesce(s.flapping, false), s.pool," \
	" s.ack_author, s.ack_comment," \
	" CASE WHEN cardinality(c.pools) > 1 THEN (SELECT json_agg(json_build_object(" \
	"  'pool', p.pool, 'status', l.status, 'output', coalesce(l.output, '')," \
	"  'last_check', " QUERY_RFC3339("l.last_check") ", 'worker', l.worker) ORDER BY p.ord)" \
	"  FROM unnest(c.pools) WITH ORDINALITY AS p(pool, ord)" \
	"  LEFT JOIN check_locations l ON l.check_id = c.id AND l.pool = p.pool)::text END," \
	" c.id, c.active, c.passive, " QUERY_RFC3339("s.ack_time") "," \
	" coalesce(s.disabled, 0), s.disabled_by, s.disabled_comment" \
	" FROM checks c JOIN hosts h ON h.id = c.host_id" \
	" LEFT JOIN check_state s ON s.check_id = c.id"

static const char query_check_sql[] =
	QUERY_CHECK_SELECT
	" WHERE h.name = $1 AND c.service IS NOT DISTINCT FROM $2";

static const char query_downtimes_sql[] =
	"SELECT d.id, h.name, c.service, " QUERY_RFC3339("d.start_time") ","
	" " QUERY_RFC3339("d.end_time") ", d.fixed, d.duration_s, d.author, d.comment,"
	" " QUERY_RFC3339("d.created") ", " QUERY_RFC3339("d.started_at")
	" FROM downtimes d JOIN checks c ON c.id = d.check_id JOIN hosts h ON h.id = c.host_id"
	" WHERE d.ended_at IS NULL AND ($1::text IS NULL OR h.name ~ $1)"
	" AND ($2::text IS NULL OR c.service ~ $2) AND ($3::text IS NULL OR d.id = $3)"
	" AND ($4::bigint IS NULL OR c.id = $4)"
	" ORDER BY d.start_time, h.name COLLATE \"C\", c.service COLLATE \"C\" NULLS FIRST, d.id"
	" LIMIT 10000";

static const char query_check_notifications_sql[] =
	"SELECT n.id, " QUERY_RFC3339("n.time") ", n.type, n.number, n.state, n.output,"
	" array_to_json(n.contacts)::text, n.escalated, n.author, n.comment"
	" FROM notifications n WHERE n.check_id = $1 ORDER BY n.time DESC, n.id LIMIT $2";

static const char query_history_sql[] =
	"SELECT x.id, " QUERY_RFC3339("x.time") ", x.state, x.state_type, x.attempt,"
	" x.old_state, x.hard_change, x.output"
	" FROM state_history x WHERE x.check_id = $1"
	" AND ($2::float8 IS NULL OR x.time >= to_timestamp($2))"
	" AND ($3::float8 IS NULL OR x.time < to_timestamp($3))"
	" AND ($4::bigint IS NULL OR x.id < $4)"
	" ORDER BY x.time DESC, x.id DESC LIMIT $5";

static const char query_perfdata_sql[] =
	"SELECT p.label, min(p.uom), floor(extract(epoch FROM p.time) / $4) * $4 AS t,"
	" min(p.value), max(p.value), avg(p.value), count(*), count(p.value)"
	" FROM perfdata p WHERE p.check_id = $1"
	" AND p.time >= to_timestamp($2) AND p.time < to_timestamp($3)"
	" AND ($5::text IS NULL OR p.label = $5)"
	" GROUP BY p.label, t ORDER BY p.label COLLATE \"C\", t";

#define QUERY_SUBTREE_IDS(root) \
	"WITH RECURSIVE sub(id) AS (SELECT id FROM groups WHERE " root \
	" UNION SELECT gp.group_id FROM group_parents gp JOIN sub ON gp.parent_id = sub.id)"
static const char query_subtree_ids_one[] = QUERY_SUBTREE_IDS("name = $1")
	" SELECT coalesce(array_agg(id), '{}')::text FROM sub";
static const char query_subtree_ids_any[] = QUERY_SUBTREE_IDS("name = ANY ($1::text[])")
	" SELECT coalesce(array_agg(id), '{}')::text FROM sub";

PGresult *
query_subtree(PGconn *pc, const char *groups, char *err, size_t errlen)
{
	const char *params[1] = { groups };

	return pg_query(pc, QUERY_SUBTREE_IDS("name = ANY ($1::text[])")
	    " SELECT 'g', g.name, NULL FROM groups g JOIN sub ON sub.id = g.id"
	    " UNION ALL SELECT DISTINCT 'c', h.name, coalesce(c.service, '')"
	    " FROM group_members m JOIN sub ON sub.id = m.group_id JOIN checks c ON c.id = m.check_id"
	    " JOIN hosts h ON h.id = c.host_id", 1, params, err, errlen);
}

long long
query_event_position(PGconn *pc, long long *live, char *err, size_t errlen)
{
	PGresult *r = pg_query(pc, "SELECT last_id, live FROM event_position", 0, NULL, err,
	    errlen);
	long long v = -1;

	if (r != NULL && PQntuples(r) == 1) {
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		*live = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	}
	if (r != NULL)
		PQclear(r);
	return v;
}

/*
 * The list's SQL has only the parts its filters need (the host's state
 * only for unhandled, the group's subtree only with a group), so the
 * planner sees each query as it is; every value is a parameter.
 */
PGresult *
query_checks(PGconn *pc, const struct query_filter *f, char *err, size_t errlen)
{
	struct strbuf q = { 0 };
	const char *params[8];
	char st[16], lim[16], n[8];
	int np = 0;
	PGresult *r, *sub = NULL;

#define PARAM(v) (params[np++] = (v), snprintf(n, sizeof(n), "$%d", np), n)
	if (f->group != NULL || f->groups != NULL) {
		/* The subtree's ids first: as a value, the planner can estimate
		 * its members (a recursive query it cannot). */
		const char *gp[1] = { f->group != NULL ? f->group : f->groups };

		sub = pg_query(pc, f->group != NULL ? query_subtree_ids_one : query_subtree_ids_any,
		    1, gp, err, errlen);
		if (sub == NULL)
			return NULL;
	}
	strbuf_adds(&q, QUERY_CHECK_SELECT);
	if (f->unhandled)
		strbuf_adds(&q, " LEFT JOIN checks hc ON c.service IS NOT NULL"
		    " AND hc.host_id = c.host_id AND hc.service IS NULL"
		    " LEFT JOIN check_state hs ON hs.check_id = hc.id");
	strbuf_adds(&q, " WHERE true");
	if (sub != NULL) {
		strbuf_adds(&q, " AND EXISTS (SELECT 1 FROM group_members m WHERE m.check_id = c.id"
		    " AND m.group_id = ANY (");
		strbuf_adds(&q, PARAM(PQgetvalue(sub, 0, 0)));
		strbuf_adds(&q, "::bigint[]))");
	}
	if (f->host_re != NULL) {
		strbuf_adds(&q, " AND h.name ~ ");
		strbuf_adds(&q, PARAM(f->host_re));
	}
	if (f->service_re != NULL) {
		strbuf_adds(&q, " AND c.service ~ ");
		strbuf_adds(&q, PARAM(f->service_re));
	}
	if (f->has_state && f->state < 0)
		strbuf_adds(&q, " AND s.state IS NULL");
	else if (f->has_state) {
		snprintf(st, sizeof(st), "%d", f->state);
		strbuf_adds(&q, " AND s.state = ");
		strbuf_adds(&q, PARAM(st));
		strbuf_adds(&q, f->state_host ? "::smallint AND c.service IS NULL" :
		    "::smallint AND c.service IS NOT NULL");
	}
	if (f->problems || f->unhandled)
		strbuf_adds(&q, " AND s.state > 0");
	if (f->unhandled)
		strbuf_adds(&q, " AND NOT s.acknowledged AND NOT s.in_downtime"
		    " AND (c.service IS NULL OR coalesce(hs.state, 0) <= 0)");
	if (f->after_host != NULL) {
		/* after (host, service) in byte order, "" for a host check; the
		 * first comparison alone is one an index can use */
		const char *h = PARAM(f->after_host);
		char hn[8];

		snprintf(hn, sizeof(hn), "%s", h);
		strbuf_adds(&q, " AND h.name COLLATE \"C\" >= ");
		strbuf_adds(&q, hn);
		strbuf_adds(&q, " AND (h.name COLLATE \"C\", coalesce(c.service, '') COLLATE \"C\") > (");
		strbuf_adds(&q, hn);
		strbuf_adds(&q, ", ");
		strbuf_adds(&q, PARAM(f->after_service != NULL ? f->after_service : ""));
		strbuf_adds(&q, ")");
	}
	snprintf(lim, sizeof(lim), "%d", f->limit);
	strbuf_adds(&q, " ORDER BY h.name COLLATE \"C\", coalesce(c.service, '') COLLATE \"C\" LIMIT ");
	strbuf_adds(&q, PARAM(lim));
#undef PARAM
	r = pg_query(pc, q.s, np, params, err, errlen);
	strbuf_clear(&q);
	if (sub != NULL)
		PQclear(sub);
	return r;
}

PGresult *
query_check(PGconn *pc, const char *host, const char *service, char *err, size_t errlen)
{
	const char *params[2] = { host, service };

	return pg_query(pc, query_check_sql, 2, params, err, errlen);
}

PGresult *
query_downtimes(PGconn *pc, const char *host_re, const char *service_re, const char *id,
    const char *check_id, char *err, size_t errlen)
{
	const char *params[4] = { host_re, service_re, id, check_id };

	return pg_query(pc, query_downtimes_sql, 4, params, err, errlen);
}

PGresult *
query_check_notifications(PGconn *pc, const char *check_id, int limit, char *err,
    size_t errlen)
{
	char lim[16];
	const char *params[2] = { check_id, lim };

	snprintf(lim, sizeof(lim), "%d", limit);
	return pg_query(pc, query_check_notifications_sql, 2, params, err, errlen);
}

PGresult *
query_history(PGconn *pc, const char *check_id, const char *since, const char *until,
    const char *before_id, int limit, char *err, size_t errlen)
{
	char lim[16];
	const char *params[5] = { check_id, since, until, before_id, lim };

	snprintf(lim, sizeof(lim), "%d", limit);
	return pg_query(pc, query_history_sql, 5, params, err, errlen);
}

PGresult *
query_perfdata(PGconn *pc, const char *check_id, double since, double until, int step,
    const char *label, char *err, size_t errlen)
{
	char a[32], b[32], st[16];
	const char *params[5] = { check_id, a, b, st, label };

	snprintf(a, sizeof(a), "%.3f", since);
	snprintf(b, sizeof(b), "%.3f", until);
	snprintf(st, sizeof(st), "%d", step);
	return pg_query(pc, query_perfdata_sql, 5, params, err, errlen);
}

/* ---- vigilctl's reads ---------------------------------------------------- */

PGresult *
query_status(PGconn *pc, int problems_only, char *err, size_t errlen)
{
	const char *params[1] = { problems_only ? "1" : "0" };

	return pg_query(pc, query_status_sql, 1, params, err, errlen);
}

PGresult *
query_groups(PGconn *pc, char *err, size_t errlen)
{
	return pg_query(pc, query_groups_sql, 0, NULL, err, errlen);
}

PGresult *
query_pools(PGconn *pc, char *err, size_t errlen)
{
	return pg_query(pc, query_pools_sql, 0, NULL, err, errlen);
}

PGresult *
query_workers(PGconn *pc, char *err, size_t errlen)
{
	return pg_query(pc, query_workers_sql, 0, NULL, err, errlen);
}

PGresult *
query_notifications(PGconn *pc, int limit, int failed_only, char *err, size_t errlen)
{
	char lim[16];
	const char *params[2] = { lim, failed_only ? "true" : "false" };

	snprintf(lim, sizeof(lim), "%d", limit > 0 ? limit : 50);
	return pg_query(pc, query_notifications_sql, 2, params, err, errlen);
}

int
query_command_verdict(PGconn *pc, const char *id, int *ok, char *msg, size_t msglen,
    char *err, size_t errlen)
{
	const char *params[1] = { id };
	PGresult *r = pg_query(pc, "SELECT ok, message FROM command_log WHERE id = $1", 1,
	    params, err, errlen);
	int found;

	if (r == NULL)
		return -1;
	found = PQntuples(r) == 1;
	if (found) {
		*ok = PQgetvalue(r, 0, 0)[0] == 't';
		snprintf(msg, msglen, "%s", PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return found;
}
