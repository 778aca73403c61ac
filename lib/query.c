/*
 * NAME
 *	query - the named reads of vigil's state in PostgreSQL (see query.h)
 */
#include "query.h"
#include "pg.h"

#include <stdio.h>
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
	" coalesce(s.flapping, false), s.ack_author, s.ack_comment"
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
	" ARRAY(SELECT p.name FROM group_parents gp JOIN groups p ON p.id = gp.parent_id"
	"  WHERE gp.group_id = g.id ORDER BY p.name)::text"
	" FROM groups g LEFT JOIN group_state gs ON gs.group_id = g.id ORDER BY g.name";

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
	"SELECT n.id, to_char(n.time, 'YYYY-MM-DD HH24:MI:SS'), n.type, n.number,"
	" coalesce(h.name, ''), c.service, n.output, d.contact, d.channel, d.status,"
	" d.attempts, d.last_error, extract(epoch FROM n.time), d.address, n.escalated"
	" FROM (SELECT * FROM notifications x WHERE NOT $2::boolean OR EXISTS (SELECT 1"
	"  FROM notification_deliveries f WHERE f.notification_id = x.id"
	"  AND f.status IN ('failed', 'retrying')) ORDER BY time DESC LIMIT $1) n"
	" LEFT JOIN checks c ON c.id = n.check_id LEFT JOIN hosts h ON h.id = c.host_id"
	" LEFT JOIN notification_deliveries d ON d.notification_id = n.id"
	" WHERE NOT $2::boolean OR d.status IN ('failed', 'retrying')"
	" ORDER BY n.time, n.id, d.contact, d.channel";

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
