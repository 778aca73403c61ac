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
#include "log.h"
#include "pg.h"
#include "xalloc.h"

#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_BACKOFF_MIN 0.5
#define DB_BACKOFF_MAX 30.0

/* schema/002_groups.sql: the state upsert, group deltas and events. */
static const char db_apply_sql[] =
	"SELECT count(*), count(*) FILTER (WHERE changed) FROM check_state_apply($1::json)";

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

	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct db_batch *in_head, *in_tail;	/* to commit */
	struct db_batch *out_head, *out_tail;	/* committed */
	size_t pending;		/* submitted, not yet handed back */
	int stop;

	ev_async async;
	PGconn *conn;		/* the thread's own */
	int64_t outbox_cursor;	/* thread only: last event id handed back */
};

static void
push(struct db_batch **head, struct db_batch **tail, struct db_batch *b)
{
	b->next = NULL;
	if (*tail != NULL)
		(*tail)->next = b;
	else
		*head = b;
	*tail = b;
}

static struct db_batch *
pop(struct db_batch **head, struct db_batch **tail)
{
	struct db_batch *b = *head;

	if (b != NULL) {
		*head = b->next;
		if (*head == NULL)
			*tail = NULL;
		b->next = NULL;
	}
	return b;
}

static void
sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	nanosleep(&ts, NULL);
}

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
	if (r == NULL)
		return;
	n = PQntuples(r);
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

static void *
db_thread(void *arg)
{
	struct db *db = arg;
	double backoff = DB_BACKOFF_MIN;
	int logged = 0;
	char err[1024];

	for (;;) {
		struct db_batch *b;

		pthread_mutex_lock(&db->mu);
		while (db->in_head == NULL && !db->stop)
			pthread_cond_wait(&db->cv, &db->mu);
		b = db->in_head;	/* peek: stays queued until committed */
		pthread_mutex_unlock(&db->mu);
		if (b == NULL)
			break;	/* stop requested and nothing left */

		if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
			if (db->conn != NULL)
				PQfinish(db->conn);
			db->conn = pg_connect(db->conninfo, db->schema, err, sizeof(err));
			if (db->conn == NULL) {
				if (!logged)
					log_warn("postgres down reason=\"%s\" action=retry pending=%zu",
					    err, db->pending);
				logged = 1;
				sleep_s(backoff);
				backoff = backoff * 2 > DB_BACKOFF_MAX ? DB_BACKOFF_MAX : backoff * 2;
				continue;
			}
			if (logged)
				log_info("postgres up");
			logged = 0;
			backoff = DB_BACKOFF_MIN;
		}
		if (commit_batch(db, b, err, sizeof(err)) < 0) {
			if (PQstatus(db->conn) != CONNECTION_OK) {
				if (!logged)
					log_warn("postgres down reason=\"%s\" action=retry", err);
				logged = 1;
			} else
				log_error("batch refused rows=%zu reason=\"%s\" action=retry", b->nrows, err);
			sleep_s(backoff);
			backoff = backoff * 2 > DB_BACKOFF_MAX ? DB_BACKOFF_MAX : backoff * 2;
			continue;
		}
		backoff = DB_BACKOFF_MIN;
		fetch_events(db, b);
		pthread_mutex_lock(&db->mu);
		pop(&db->in_head, &db->in_tail);
		push(&db->out_head, &db->out_tail, b);
		pthread_mutex_unlock(&db->mu);
		ev_async_send(db->loop, &db->async);
	}
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
	return NULL;
}

/* On the loop: hand committed batches back to the owner. */
static void
deliver_done(struct db *db)
{
	for (;;) {
		struct db_batch *b;

		pthread_mutex_lock(&db->mu);
		b = pop(&db->out_head, &db->out_tail);
		if (b != NULL)
			db->pending--;
		pthread_mutex_unlock(&db->mu);
		if (b == NULL)
			break;
		db->done(b, db->arg);
	}
}

static void
async_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	deliver_done(w->data);
}

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
	pthread_mutex_init(&db->mu, NULL);
	pthread_cond_init(&db->cv, NULL);
	ev_async_init(&db->async, async_cb);
	db->async.data = db;
	ev_async_start(loop, &db->async);
	if (pthread_create(&db->thread, NULL, db_thread, db) != 0)
		log_fatal("cannot start the database thread");
	return db;
}

void
db_submit(struct db *db, struct db_batch *b)
{
	b->submitted = ev_now(db->loop);
	pthread_mutex_lock(&db->mu);
	push(&db->in_head, &db->in_tail, b);
	db->pending++;
	pthread_cond_signal(&db->cv);
	pthread_mutex_unlock(&db->mu);
}

size_t
db_pending(const struct db *db)
{
	return db->pending;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	pthread_mutex_lock(&db->mu);
	db->stop = 1;
	pthread_cond_signal(&db->cv);
	pthread_mutex_unlock(&db->mu);
	pthread_join(db->thread, NULL);
	deliver_done(db);
	ev_async_stop(db->loop, &db->async);
	pthread_mutex_destroy(&db->mu);
	pthread_cond_destroy(&db->cv);
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
	free(b->acks);
	free(b->confirmed);
	for (size_t i = 0; i < b->nevents; i++) {
		free(b->events[i].routing_key);
		free(b->events[i].body);
	}
	free(b->events);
	free(b);
}
