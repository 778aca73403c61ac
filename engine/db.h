/*
 * NAME
 *	db - the engine's database thread: batches in, commits out
 * DESCRIPTION
 *	The event loop never waits on PostgreSQL. It hands each batch of
 *	state rows to this thread (db_submit), which writes it in one
 *	transaction with set-based statements and hands it back once
 *	committed; only then does the loop ack the results the batch carried.
 *	The thread is a pool of one (lib/tpool.c, the hand-off the notifier
 *	uses too): batches are committed strictly in submission order, so a
 *	check's states land in order, and a batch stays in the thread's hands
 *	until it is committed.
 *
 *	If PostgreSQL is unreachable the thread logs once, reconnects with
 *	backoff (0.5 s doubling to 5 s) and retries the same batch: nothing is
 *	dropped, and since results are acked only after commit, RabbitMQ keeps
 *	them meanwhile (the results consumer's prefetch bounds what waits in
 *	memory).
 *
 *	Outbox: after each commit the thread hands back (in the batch) the
 *	outbox events it has not handed back before, for the loop to publish
 *	with confirms; a later batch carries the confirmed ids to delete. A
 *	batch with rewind set starts again from the oldest event still in the
 *	outbox (after a broker reconnect, and at start: whatever the last run
 *	left is published again; consumers deduplicate by id).
 * DIAGNOSTICS
 *	warn once per outage; error for a statement PostgreSQL refuses with a
 *	healthy connection (a bug): the batch is retried after backoff and the
 *	error repeated, so it cannot go unnoticed.
 */
#ifndef VIGIL_DB_H
#define VIGIL_DB_H

#include <stddef.h>
#include <stdint.h>

#include "mq.h"

struct ev_loop;
struct db;
struct config;
struct check_table;

/* An event of the outbox, to publish after the commit that wrote it. */
struct db_event {
	int64_t id;
	char *routing_key;
	char *body;
};

struct db_batch {
	/* in: what to commit */
	char *state_rows;	/* JSON array of check_state rows (see db.c) */
	size_t nrows;
	char *live;		/* the same rows for live views (batch.c), or NULL */
	char *history;		/* JSON {history, flaps, perf} or NULL (see db.c) */
	char *notify;		/* JSON for notify_apply() (alert.c), or NULL */
	char *locations;	/* JSON array of check_locations rows, or NULL:
				 * only multi-location checks have them */
	int maintenance;	/* make perfdata partitions, apply the retention */
	int retention_perfdata;	/* seconds, with maintenance */
	int retention_history;
	int passive_seen_keep;		/* passive result ids kept (passive_seen) */
	struct mq_ref *acks;	/* deliveries to ack after commit */
	size_t nacks, capacks;
	char *schedule;		/* JSON [{check_id, next_check}]: persist the schedule */
	char *presence;		/* JSON {workers, pools}: the live workers and the
				 * pools' states, replacing what is stored
				 * (schema/005_workers.sql) */
	struct config *sync_cfg; /* reload: sync this config (after every batch
				  * before it); the batch carries nothing else */
	int64_t *confirmed;	/* outbox events the broker confirmed: delete */
	size_t nconfirmed;
	int rewind;		/* hand back every outbox event again */
	char *metrics;		/* the engine's metrics text (metrics.h), or NULL */
	char metrics_identity[300];	/* with it: the engine's host:pid */
	double metrics_started;		/* and its start (epoch) */
	double submitted;

	/* out: what the commit produced */
	struct check_table *sync_table;	/* reload: the new checks, or NULL */
	char sync_err[512];
	size_t groups_touched, groups_changed;
	long long live_seq;	/* event_position.live after this batch's rows */
	struct db_event *events;	/* outbox events not handed back before */
	size_t nevents;
	int more_events;	/* the fetch was cut at its limit */
	int abandoned;		/* not committed: db_free() gave up on it */
};

typedef void (*db_done_fn)(struct db_batch *b, void *arg);

/* conn is the libpq connection string; schema the installation's prefix. */
struct db *db_new(struct ev_loop *loop, const char *conninfo, const char *schema,
    db_done_fn done, void *arg);
void db_submit(struct db *db, struct db_batch *b);
/* Batches submitted and not yet handed back. */
size_t db_pending(const struct db *db);
/* Connections the batch thread made to PostgreSQL (first, reconnects). */
uint64_t db_connects(const struct db *db);
/* Wait (blocking: for shutdown only, about 15 s at most) until every
 * batch is committed and handed back through done(), then stop the thread
 * and free. What PostgreSQL does not take in time is given up, never
 * handed to done() (uncommitted results were not acked: the broker keeps
 * them); a thread blocked on a silent connection is left to the process's
 * exit. */
void db_free(struct db *db);

void db_batch_free(struct db_batch *b);

#endif
