/*
 * NAME
 *	db - the engine's database thread: batches in, commits out
 * DESCRIPTION
 *	See db.h. A batch is one JSON array turned into rows by
 *	json_to_recordset() inside PostgreSQL: one statement per batch, no
 *	per-row round trip, and no text-array quoting to get wrong.
 * DIAGNOSTICS
 *	See db.h.
 */
#include <pthread.h>

#include "db.h"
#include "backoff.h"
#include "check.h"
#include "log.h"
#include "pg.h"
#include "sync.h"
#include "tpool.h"
#include "util.h"
#include "xalloc.h"

#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_BACKOFF_MIN 0.5
#define DB_BACKOFF_MAX 5.0	/* a short cap: recovery is noticed soon */

/* schema/002_groups.sql: the state upsert, group deltas and events. */
static const char db_apply_sql[] =
	"SELECT count(*), count(*) FILTER (WHERE changed) FROM check_state_apply($1::json)";

static const char db_history_sql[] = "SELECT history_apply($1::json)";

/* migration 012: the batches that wrote rows, counted for live views */
static const char db_live_sql[] = "UPDATE event_position SET live = live + 1 RETURNING live";

/* schema/006_notifications.sql: notifications, deliveries (to the
 * outbox), downtimes, the command log. */
static const char db_notify_sql[] = "SELECT notify_apply($1::json)";

/* schema/004_locations.sql: each location's last result. */
static const char db_locations_sql[] = "SELECT location_apply($1::json)";

static const char db_maintenance_sql[] =
	"SELECT perfdata_make_partitions(2), retention_apply($1::interval, $2::interval),"
	" notify_retention_apply($2::interval), passive_seen_trim($3::int)";

static const char db_schedule_sql[] =
	"UPDATE check_state s SET next_check = to_timestamp(x.next_check)"
	" FROM json_to_recordset($1::json) AS x(check_id bigint, next_check float8)"
	" WHERE s.check_id = x.check_id";

/* migration 019: the leading engine's metrics, for vigil-web's /metrics;
 * an earlier engine's row goes (its counters ended with it). */
static const char db_metrics_sql[] =
	"WITH gone AS (DELETE FROM daemon_metrics WHERE daemon = 'engine' AND identity <> $1)"
	" INSERT INTO daemon_metrics (daemon, identity, started, updated_at, text)"
	" VALUES ('engine', $1, to_timestamp($2::float8), now(), $3)"
	" ON CONFLICT (daemon, identity) DO UPDATE SET updated_at = now(), text = EXCLUDED.text";

static const char db_presence_sql[] =
    "SELECT presence_apply($1::json), pool_flow_apply($1::json)";

static const char db_quarantine_sql[] =
	"INSERT INTO batch_quarantine (error, state_rows, history, locations, notify)"
	" VALUES ($1, $2, $3, $4, $5)";

#define DB_REFUSALS_MAX 3
#define DB_STOP_WAIT 15		/* seconds db_free() waits for the last commits */	/* refusals of one batch before it is quarantined */

static const char db_delete_events_sql[] =
	"DELETE FROM event_outbox WHERE id = ANY ($1::bigint[])";

#define DB_EVENTS_FETCH 2000
static const char db_fetch_events_sql[] =
	"SELECT id, routing_key, body::text FROM event_outbox WHERE id > $1"
	" ORDER BY id LIMIT 2000";

struct db {
	struct ev_loop *loop;
	char *conninfo;
	char *schema;
	db_done_fn done;
	void *arg;
	/* One thread (lib/tpool.c): batches commit in the order submitted,
	 * each in the thread's hands until it is committed. */
	struct tpool *pool;
	pthread_mutex_t mu;
	double stop_at;		/* under mu: db_free() gives up on PostgreSQL then */
	size_t abandoned;	/* loop: batches given up at stop */

	/* the thread's own */
	PGconn *conn;
	int64_t outbox_cursor;	/* last event id handed back */
	int fetch_failing;	/* logged once per outage */
	int refusals;		/* of the batch in hand */
	int logged;		/* "postgres down" said */
	struct backoff backoff;
	uint64_t connects;	/* atomic: the thread writes, the loop reads */
};

/* "{1,2,3}": a bigint[] parameter. */
static char *
id_array(const int64_t *ids, size_t n)
{
	char *s = xmalloc(n * 21 + 3), *p = s;

	*p++ = '{';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%lld", i > 0 ? "," : "", (long long)ids[i]);
	*p++ = '}';
	*p = '\0';
	return s;
}

/* Commit one batch; 0, or -1 with err (connection reset when broken). */
static int
commit_batch(struct db *db, struct db_batch *b, char *err, size_t errlen)
{
	const char *params[1];
	PGresult *r;
	char *ids;

	if (pg_exec(db->conn, "BEGIN", err, errlen) < 0)
		return -1;
	if (b->nrows > 0) {
		params[0] = b->state_rows;
		r = pg_query(db->conn, db_apply_sql, 1, params, err, errlen);
		if (r == NULL)
			goto rollback;
		b->groups_touched = strtoul(PQgetvalue(r, 0, 0), NULL, 10);
		b->groups_changed = strtoul(PQgetvalue(r, 0, 1), NULL, 10);
		PQclear(r);
		if (b->live != NULL) {
			if ((r = pg_query(db->conn, db_live_sql, 0, NULL, err, errlen)) == NULL)
				goto rollback;
			b->live_seq = PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
			PQclear(r);
		}
	}
	if (b->history != NULL) {
		params[0] = b->history;
		r = pg_query(db->conn, db_history_sql, 1, params, err, errlen);
		if (r == NULL)
			goto rollback;
		PQclear(r);
	}
	if (b->notify != NULL) {
		params[0] = b->notify;
		r = pg_query(db->conn, db_notify_sql, 1, params, err, errlen);
		if (r == NULL)
			goto rollback;
		PQclear(r);
	}
	if (b->locations != NULL) {
		params[0] = b->locations;
		r = pg_query(db->conn, db_locations_sql, 1, params, err, errlen);
		if (r == NULL)
			goto rollback;
		PQclear(r);
	}
	if (b->schedule != NULL) {
		params[0] = b->schedule;
		r = pg_query(db->conn, db_schedule_sql, 1, params, err, errlen);
		if (r == NULL)
			goto rollback;
		PQclear(r);
	}
	if (b->presence != NULL) {
		params[0] = b->presence;
		r = pg_query(db->conn, db_presence_sql, 1, params, err, errlen);
		if (r == NULL)
			goto rollback;
		PQclear(r);
	}
	if (b->metrics != NULL) {
		char started[32];
		const char *mp[3] = { b->metrics_identity, started, b->metrics };

		snprintf(started, sizeof(started), "%.3f", b->metrics_started);
		r = pg_query(db->conn, db_metrics_sql, 3, mp, err, errlen);
		if (r == NULL)
			goto rollback;
		PQclear(r);
	}
	if (b->maintenance) {
		char keep_pd[32], keep_hist[32], keep_seen[16];
		const char *mp[3] = { keep_pd, keep_hist, keep_seen };

		snprintf(keep_pd, sizeof(keep_pd), "%d seconds", b->retention_perfdata);
		snprintf(keep_hist, sizeof(keep_hist), "%d seconds", b->retention_history);
		snprintf(keep_seen, sizeof(keep_seen), "%d", b->passive_seen_keep);
		r = pg_query(db->conn, db_maintenance_sql, 3, mp, err, errlen);
		if (r == NULL)
			goto rollback;
		log_info("maintenance perfdata_partitions_made=%s partitions_dropped=%s",
		    PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
		PQclear(r);
	}
	if (b->nconfirmed > 0) {
		ids = id_array(b->confirmed, b->nconfirmed);
		params[0] = ids;
		r = pg_query(db->conn, db_delete_events_sql, 1, params, err, errlen);
		free(ids);
		if (r == NULL)
			goto rollback;
		PQclear(r);
	}
	if (pg_exec(db->conn, "COMMIT", err, errlen) < 0)
		goto rollback;
	return 0;
rollback:
	if (PQstatus(db->conn) == CONNECTION_OK) {
		char e2[256];

		pg_exec(db->conn, "ROLLBACK", e2, sizeof(e2));
	}
	return -1;
}

/* After a commit: the outbox events not handed back yet. A failure here
 * only delays them to the next batch. */
static void
fetch_events(struct db *db, struct db_batch *b)
{
	char cursor[32], err[256];
	const char *params[1] = { cursor };
	PGresult *r;
	int n;

	if (b->rewind)
		db->outbox_cursor = 0;
	snprintf(cursor, sizeof(cursor), "%lld", (long long)db->outbox_cursor);
	r = pg_query(db->conn, db_fetch_events_sql, 1, params, err, sizeof(err));
	if (r == NULL) {
		if (!db->fetch_failing)
			log_warn("outbox fetch failed reason=\"%s\" action=retry-next-batch", err);
		db->fetch_failing = 1;
		return;
	}
	n = PQntuples(r);
	db->fetch_failing = 0;
	b->events = n > 0 ? xcalloc((size_t)n, sizeof(*b->events)) : NULL;
	for (int i = 0; i < n; i++) {
		b->events[i].id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		b->events[i].routing_key = xstrdup(PQgetvalue(r, i, 1));
		b->events[i].body = xstrdup(PQgetvalue(r, i, 2));
		db->outbox_cursor = b->events[i].id;
	}
	b->nevents = (size_t)n;
	b->more_events = n == DB_EVENTS_FETCH;
	PQclear(r);
}

/* Keep a batch PostgreSQL keeps refusing, whole, and let the queue move:
 * its results are acked as if committed, their data in batch_quarantine. */
static int
quarantine(struct db *db, struct db_batch *b, const char *why)
{
	const char *params[5] = { why, b->state_rows, b->history, b->locations, b->notify };
	char err[512];
	PGresult *r = pg_query(db->conn, db_quarantine_sql, 5, params, err, sizeof(err));

	if (r == NULL) {
		log_error("batch quarantine failed reason=\"%s\"", err);
		return -1;
	}
	PQclear(r);
	log_error("batch quarantined rows=%zu reason=\"%s\": its results are kept in"
	    " batch_quarantine and need a look", b->nrows, why);
	return 0;
}

/* Stopping, and past the wait for PostgreSQL: give up what is in hand. */
static int
db_giving_up(struct db *db)
{
	int r;

	pthread_mutex_lock(&db->mu);
	r = db->stop_at > 0 && util_now() >= db->stop_at;
	pthread_mutex_unlock(&db->mu);
	return r;
}

/* On the thread: commit b, retrying (the connection, a refusal) until it
 * is committed, quarantined, or db_free() gives up. */
static void
db_work(void *item, void *tctx, void *arg)
{
	struct db *db = arg;
	struct db_batch *b = item;
	char err[1024];

	for (;;) {
		if (db_giving_up(db)) {
			b->abandoned = 1;
			return;
		}
		if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
			if (db->conn != NULL)
				PQfinish(db->conn);
			db->conn = pg_connect(db->conninfo, db->schema, err, sizeof(err));
			if (db->conn == NULL) {
				if (!db->logged)
					log_warn("postgres down reason=\"%s\" action=retry", err);
				db->logged = 1;
				backoff_sleep(&db->backoff);
				continue;
			}
			__atomic_add_fetch(&db->connects, 1, __ATOMIC_RELAXED);
			if (db->logged)
				log_info("postgres up");
			db->logged = 0;
			backoff_reset(&db->backoff);
		}
		if (b->sync_cfg != NULL) {
			/* A reload: sync_config() runs its own transaction. A
			 * refusal with a healthy connection is final (the engine
			 * keeps its old config); a lost connection is retried. */
			struct check_table *t = xcalloc(1, sizeof(*t));

			if (sync_config(db->conn, b->sync_cfg, t, util_now(), b->sync_err,
			    sizeof(b->sync_err)) < 0) {
				free(t);
				t = NULL;
				if (PQstatus(db->conn) != CONNECTION_OK) {
					backoff_sleep(&db->backoff);
					continue;
				}
			}
			b->sync_table = t;
		} else if (commit_batch(db, b, err, sizeof(err)) < 0) {
			if (PQstatus(db->conn) != CONNECTION_OK) {
				if (!db->logged)
					log_warn("postgres down reason=\"%s\" action=retry", err);
				db->logged = 1;
			} else if (++db->refusals >= DB_REFUSALS_MAX && quarantine(db, b, err) == 0) {
				break;
			} else
				log_error("batch refused rows=%zu reason=\"%s\" action=retry", b->nrows, err);
			backoff_sleep(&db->backoff);
			continue;
		}
		break;
	}
	db->refusals = 0;
	backoff_reset(&db->backoff);
	fetch_events(db, b);
}

static void
db_thread_fini(void *tctx, void *arg)
{
	struct db *db = arg;

	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
}

/* On the loop: a batch back from the thread. */
static void
db_work_done(void *item, void *arg)
{
	struct db *db = arg;
	struct db_batch *b = item;

	if (b->abandoned) {
		db->abandoned++;
		db_batch_free(b);
		return;
	}
	db->done(b, db->arg);
}

static const struct tpool_fns db_fns = {
	.work = db_work,
	.thread_fini = db_thread_fini,
	.done = db_work_done,
};

struct db *
db_new(struct ev_loop *loop, const char *conninfo, const char *schema,
    db_done_fn done, void *arg)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->loop = loop;
	db->conninfo = xstrdup(conninfo);
	db->schema = xstrdup(schema);
	db->done = done;
	db->arg = arg;
	db->backoff = (struct backoff)BACKOFF_INIT(DB_BACKOFF_MIN, DB_BACKOFF_MAX);
	pthread_mutex_init(&db->mu, NULL);
	db->pool = tpool_new(loop, 1, &db_fns, db);
	return db;
}

void
db_submit(struct db *db, struct db_batch *b)
{
	b->submitted = ev_now(db->loop);
	tpool_submit(db->pool, b);
}

uint64_t
db_connects(const struct db *db)
{
	return __atomic_load_n(&db->connects, __ATOMIC_RELAXED);
}

size_t
db_pending(const struct db *db)
{
	return tpool_pending(db->pool);
}

void
db_free(struct db *db)
{
	size_t pending;

	if (db == NULL)
		return;
	pending = tpool_pending(db->pool);
	/* With PostgreSQL gone the thread would retry forever: give up after
	 * a while. What it did not commit was not acked: RabbitMQ keeps it. */
	pthread_mutex_lock(&db->mu);
	db->stop_at = util_now() + DB_STOP_WAIT;
	pthread_mutex_unlock(&db->mu);
	if (tpool_finish(db->pool, DB_STOP_WAIT + DB_BACKOFF_MAX + 5) < 0) {
		/* Blocked in a statement on a silent connection. */
		log_warn("stopping without committing batches=%zu: their results stay in the"
		    " broker and come back at the next start", pending);
		return;	/* the process exits; the thread goes with it */
	}
	if (db->abandoned > 0)
		log_warn("stopping without committing batches=%zu: their results stay in the"
		    " broker and come back at the next start", db->abandoned);
	pthread_mutex_destroy(&db->mu);
	free(db->conninfo);
	free(db->schema);
	free(db);
}

void
db_batch_free(struct db_batch *b)
{
	if (b == NULL)
		return;
	free(b->state_rows);
	free(b->live);
	free(b->history);
	free(b->notify);
	free(b->locations);
	free(b->schedule);
	free(b->presence);
	free(b->metrics);
	free(b->acks);
	free(b->confirmed);
	for (size_t i = 0; i < b->nevents; i++) {
		free(b->events[i].routing_key);
		free(b->events[i].body);
	}
	free(b->events);
	free(b);
}
