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
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_BACKOFF_MIN 0.5
#define DB_BACKOFF_MAX 30.0

static const char db_upsert_state[] =
	"INSERT INTO check_state AS s (check_id, state, state_type, attempt,"
	" last_hard_state, output, long_output, perfdata, exit_code, last_check,"
	" next_check, last_state_change, last_hard_state_change, latency_ms,"
	" duration_ms, pool, worker, last_job_id, last_scheduled, results_total,"
	" updated_at)"
	" SELECT r.check_id, r.state, r.state_type, r.attempt, r.last_hard_state,"
	" r.output, r.long_output, r.perfdata, r.exit_code, to_timestamp(r.last_check),"
	" to_timestamp(r.next_check), to_timestamp(r.last_state_change),"
	" to_timestamp(r.last_hard_state_change), r.latency_ms, r.duration_ms,"
	" r.pool, r.worker, r.last_job_id, to_timestamp(r.last_scheduled), r.n, now()"
	" FROM json_to_recordset($1::json) AS r(check_id bigint, state smallint,"
	" state_type smallint, attempt integer, last_hard_state smallint, output text,"
	" long_output text, perfdata text, exit_code integer, last_check float8,"
	" next_check float8, last_state_change float8, last_hard_state_change float8,"
	" latency_ms float8, duration_ms float8, pool text, worker text,"
	" last_job_id text, last_scheduled float8, n integer)"
	" ON CONFLICT (check_id) DO UPDATE SET state = EXCLUDED.state,"
	" state_type = EXCLUDED.state_type, attempt = EXCLUDED.attempt,"
	" last_hard_state = EXCLUDED.last_hard_state, output = EXCLUDED.output,"
	" long_output = EXCLUDED.long_output, perfdata = EXCLUDED.perfdata,"
	" exit_code = EXCLUDED.exit_code, last_check = EXCLUDED.last_check,"
	" next_check = EXCLUDED.next_check,"
	" last_state_change = EXCLUDED.last_state_change,"
	" last_hard_state_change = EXCLUDED.last_hard_state_change,"
	" latency_ms = EXCLUDED.latency_ms, duration_ms = EXCLUDED.duration_ms,"
	" pool = EXCLUDED.pool, worker = EXCLUDED.worker,"
	" last_job_id = EXCLUDED.last_job_id, last_scheduled = EXCLUDED.last_scheduled,"
	" results_total = s.results_total + EXCLUDED.results_total, updated_at = now()";

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

/* Commit one batch; 0, or -1 with err (connection reset when broken). */
static int
commit_batch(struct db *db, struct db_batch *b, char *err, size_t errlen)
{
	const char *params[1];
	PGresult *r;

	if (pg_exec(db->conn, "BEGIN", err, errlen) < 0)
		return -1;
	if (b->nrows > 0) {
		params[0] = b->state_rows;
		r = pg_query(db->conn, db_upsert_state, 1, params, err, errlen);
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
	free(b);
}
