/*
 * NAME
 *	engine_private - what the engine's files share: struct engine, the
 *	open batch's rows, and each file's entry points
 * DESCRIPTION
 *	Not for outside engine/. The map:
 *	  engine.c    the service: start, stop, reload signal, teardown, the
 *	              broker link's setup and loss, the once-a-second cron
 *	  batch.c     the open batch, flushing it, acks, the outbox
 *	  rows.c      the rows a batch writes (JSON text, one style)
 *	  apply.c     a result through the state machine; multi-location rounds
 *	  intake.c    the consumers: results, verdicts, heartbeats, commands
 *	  dispatch.c  scheduling, publishing jobs, flow control, orphans
 *	  reload.c    a new config swapped in
 */
#ifndef VIGIL_ENGINE_PRIVATE_H
#define VIGIL_ENGINE_PRIVATE_H

#include "engine.h"
#include "alert.h"
#include "metrics.h"
#include "backoff.h"
#include "check.h"
#include "depend.h"
#include "eventh.h"
#include "config.h"
#include "db.h"
#include "flow.h"
#include "jsonw.h"
#include "leader.h"
#include "log.h"
#include "migrate.h"
#include "mq.h"
#include "msg.h"
#include "perfdata.h"
#include "pg.h"
#include "presence.h"
#include "quorum.h"
#include "result.h"
#include "sched.h"
#include "seen.h"
#include "strbuf.h"
#include "timeperiod.h"
#include "sync.h"
#include "topology.h"
#include "util.h"
#include "xalloc.h"
#include <ev.h>
#include <jansson.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENGINE_BATCH_ROWS 1000
#define ENGINE_BATCH_DELAY 0.005	/* seconds */
#define ENGINE_RESULTS_PREFETCH 4000
/* A passive result's time may be this far ahead of the engine's clock
 * (skew); further is refused. */
#define ENGINE_PASSIVE_FUTURE 300.0
/* Passive results arriving within this window are applied together, in
 * time order (seconds). */
#define ENGINE_PASSIVE_HOLD 0.1
/* ... or as soon as this many wait: a stream is applied in chunks, never
 * stalled by the hold (the results prefetch is 4,000) */
#define ENGINE_PASSIVE_CHUNK 500
/* passive result ids remembered (seen.h): all the broker may deliver again */
#define ENGINE_PASSIVE_SEEN (16 * ENGINE_RESULTS_PREFETCH)
#define ENGINE_VERDICT_PREFETCH 256
#define ENGINE_ORPHAN_GRACE 10		/* seconds past timeout + expiration */
#define ENGINE_SCHED_BURST 5000		/* jobs per timer callback */
#define ENGINE_MAX_CHANNELS 8
#define ENGINE_BATCHES_IN_FLIGHT 2	/* one committing, one waiting */
#define ENGINE_HEARTBEAT_PREFETCH 64
#define ROWS_PERFDATA_MAX 256		/* perfdata items kept of one result */
#ifndef ENGINE_EVENTH_WAIT
/* seconds an event handler's job may wait for a worker, beyond its
 * timeout, before it expires (a verdict: not run) */
#define ENGINE_EVENTH_WAIT 300
#endif
#ifndef ENGINE_DEPEND_EVERY
/* seconds between looks at every dependency's verdict (a
 * dependency_period's boundaries; start and reload look at once) */
#define ENGINE_DEPEND_EVERY 60.0
#endif
#ifndef ENGINE_PARKED_EVERY
#define ENGINE_METRICS_EVERY 5.0	/* seconds between writes of the metrics */
#define ENGINE_PARKED_EVERY 60.0	/* seconds between counts of the parked queue */
#endif
#define ENGINE_REFUSED_LOG_EVERY 60.0	/* seconds between logs of bad heartbeats */
/* A check whose jobs keep expiring unstarted in a pool that has live
 * workers is late, not failed, for this long (or 3 intervals if more);
 * then it is UNKNOWN: the workers are alive but take no jobs. */
#define ENGINE_LATE_LIMIT 60.0

/* One check's row in the open batch. */
struct row {
	struct check *c;
	int n;			/* results folded into it */
	char *output, *long_output, *perfdata;
	int exit_code;
	double latency_ms, duration_ms;
	char *pool, *worker;
};

/* One location's row in the open batch: its last result, as memory has it
 * at flush time (a location answering twice in a batch writes once). */
struct locrow {
	struct check *c;
	struct location *l;
	int n;			/* results folded into it */
};

/*
 * The open batch: everything the next transaction writes, filled by
 * results, acks, the outbox, the cron and alerts (alert.c keeps its own
 * part). batch_flush() takes it whole and leaves an empty one (with the
 * buffers it can reuse), so nothing added here can be left behind, and
 * batch_pending() is the one test of whether it holds anything.
 */
struct open_batch {
	uint64_t gen;		/* a check's or location's row is in this
				 * batch if its batch_gen is this */
	struct row *rows;
	size_t nrows, caprows;
	struct locrow *locrows;
	size_t nlocrows, caplocrows;
	struct mq_ref *acks;	/* deliveries to ack once it commits */
	size_t nacks, capacks;
	/* per result, not per row: state changes, flapping, perfdata; JSON
	 * objects separated by commas, the arrays' contents */
	struct strbuf hist, flaps, perf;
	/* the ids of the passive results applied (table passive_seen) */
	struct strbuf seen;
	/* event handlers sent, and their outcomes (event_handler_runs) */
	struct strbuf handlers, handler_ends;
	/* the outbox: confirmed events to delete, start over, ask for more */
	int64_t *confirmed;
	size_t nconfirmed, capconfirmed;
	int rewind;
	int poll;
	int maintenance;	/* retention and housekeeping are due */
	char *presence;		/* a presence snapshot, NULL: nothing new */
	char *metrics;		/* the metrics' text (metrics.h), NULL: none new */
};

/* A passive result between its intake and its turn (intake.c). */
struct passive_pending {
	int64_t check_id;
	struct result_msg r;	/* owned */
	struct mq_ref ref;
	uint64_t seq;		/* arrival order, for equal times */
};

struct engine {
	struct daemon *d;
	struct ev_loop *loop;	/* d's */
	struct config *cfg;	/* taken from d at start, swapped by reloads */
	struct check_table checks;
	struct sched sched;
	struct mq *mq;
	struct db *db;
	struct auth_mac *jobid_mac;	/* the engine secret's (jobid.c) */
	struct seen passive_seen;	/* ids of passive results applied last */
	/* passive results taken in this loop iteration, applied in time
	 * order before the loop sleeps (intake_passive_flush()) */
	struct passive_pending *passive;
	size_t npassive, cappassive;
	uint64_t passive_seq;
	double parked_checked;		/* when the parked queue was counted */
	double depend_checked;		/* when depend_refresh() last ran; 0:
					 * now (start, reload) */
	int64_t parked_depth;		/* what it held then */
	struct engine_metrics metrics;	/* for GET /metrics (metrics.h) */
	double metrics_at;		/* last written */
	int64_t results_queue, parked_queue;	/* counted with the parked check;
					 * -1: not known */

	char prefix[128];	/* the names' prefix at start: a reload keeps it */
	char x_jobs[256], x_events[256], q_results[256], q_dead[256], q_unroutable[256];
	char q_commands[256], q_heartbeats[256];
	const char *config_path;
	int reloading;		/* a reload's sync is on the database thread */
	struct reload_parse *parse;	/* the config being parsed (reload.c), NULL */
	ev_async reload_async;	/* the parse thread is done */
	const char *parse_why;	/* who asked for it */
	struct command_msg parse_cmd;	/* and the command, if one did */
	int reload_again;	/* asked for again meanwhile: one more after */
	const char *reload_next_why;
	struct command_msg reload_next_cmd;
	struct command_msg reload_cmd;	/* the reload command it runs (its id
				 * "" for SIGHUP): the verdict's row */
	ev_timer maintenance;
	ev_timer cron;		/* once a second: freshness, worker presence */
	double started;

	ev_timer sched_timer;
	ev_timer flush_timer;
	ev_timer passive_timer;		/* intake_passive_flush(), ENGINE_PASSIVE_HOLD
					 * after the first passive result */
	ev_prepare prepare;
	struct leader *leader;
	int rearm;		/* the heap's top may have changed */
	int stopping;

	struct open_batch batch;
	/* outbox: events published and awaiting the broker's confirm (in
	 * publish order); confirmed ones go in the open batch */
	struct outbox_pending {
		uint64_t seq;
		int64_t id;
	} *ob_wait;
	size_t ob_nwait, ob_capwait;

	struct alert alert;		/* acks, downtimes, notifications */
	struct presence presence;	/* live workers per pool */
	struct flow flow;		/* jobs in flight and held checks per pool */
	int flow_release;		/* an answer made room: publish held checks */
	size_t hb_refused;		/* malformed heartbeats not logged yet */
	double hb_refused_logged;
};

/* batch.c */
double batch_next_run(const struct check *c);
void batch_row_clear(struct row *r);
void batch_clear(struct open_batch *ob);
void batch_flush_start(struct engine *e);
void batch_flush(struct engine *e, int force);
void batch_flush_now(struct engine *e);
void batch_flush_cb(struct ev_loop *loop, ev_timer *w, int revents);
void batch_on_confirm(struct mq *mq, uint64_t seq, int multiple, int nack, void *arg);
void batch_ack_later(struct engine *e, const struct mq_ref *ref);
/*
 * The acks of a batch as one multiple-ack per channel: top[ch] the newest
 * delivery of channel ch (of its connection's latest generation: an ack
 * of an older one is skipped by mq_ack), tag 0 if none.
 */
void batch_acks_top(const struct mq_ref *acks, size_t n, struct mq_ref top[ENGINE_MAX_CHANNELS]);
struct row *batch_row_for(struct engine *e, struct check *c);
void batch_touch(void *arg, struct check *c);
void batch_done(struct db_batch *b, void *arg);

/* rows.c: the rows of a batch, as JSON text (one style: jsonw.h) */
/* The next object of a comma-separated list: b, with the comma. */
struct strbuf *rows_item(struct strbuf *b);
/* A state value: null while pending. */
void rows_state_value(struct strbuf *b, int state);
/* suppressor: the master whose notification dependency fails (NULL:
 * none), check_state.suppressed_by. */
void rows_state(struct strbuf *b, const struct row *r, const struct check *suppressor);
void rows_live(struct strbuf *b, const struct row *r);
void rows_location(struct strbuf *b, const struct locrow *lr);
void rows_history(struct strbuf *out, const struct check *c, double t, int old_state,
    int hard_change, int state_type, int attempt, const char *output);
void rows_flap(struct strbuf *out, const struct check *c, double t, int start);
void rows_handler(struct strbuf *out, const struct check *c, const char *id,
    const char *pool, double now);
void rows_handler_end(struct strbuf *out, const char *id, int status, int exit_code,
    const char *output, const char *worker, double start, double end, int timed_out);
void rows_seen(struct strbuf *out, const char *id);
/* The passive ids PostgreSQL remembers, into e->passive_seen (at start). */
int rows_seen_load(struct engine *e, PGconn *pc, char *err, size_t errlen);
size_t rows_perfdata(struct strbuf *out, const struct check *c, double t, const char *text,
    const char *pool);
char *rows_presence(const struct presence *p);
char *rows_schedule(const struct check_table *t);

/* apply.c */
void apply_result(struct engine *e, struct check *c, const struct result_msg *r, int passive);
void apply_location_record(struct engine *e, struct check *c, struct location *l,
    const struct result_msg *r);
void apply_round_finish(struct engine *e, struct check *c);
void apply_location_answered(struct engine *e, struct check *c, struct location *l);
void apply_location_result(struct engine *e, struct check *c, const struct result_msg *r);

/* jobid.c: job ids that bind a check and a scheduled time (see there) */
int jobid_init(struct engine *e, PGconn *pc, char *err, size_t errlen);
void jobid_free(struct engine *e);
void jobid_new(const struct engine *e, int64_t check_id, double scheduled,
    char out[UTIL_ID_LEN + 1]);
int jobid_valid(const struct engine *e, const char *id, int64_t check_id, double scheduled);
/* The same for another kind of job (an event handler's: its own domain) */
#define JOBID_CHECK		0
#define JOBID_EVENT_HANDLER	1
void jobid_new_kind(const struct engine *e, int kind, int64_t check_id, double scheduled,
    char out[UTIL_ID_LEN + 1]);
int jobid_valid_kind(const struct engine *e, int kind, const char *id, int64_t check_id,
    double scheduled);

/* intake.c */
void intake_result(struct mq *mq, const struct mq_msg *m, void *arg);
/* Apply the passive results taken since the last call, oldest first
 * (the passive_timer's callback calls it). */
void intake_passive_flush(struct engine *e);
void intake_passive_cb(struct ev_loop *loop, ev_timer *w, int revents);
/* At teardown: drop them unapplied and unacked (the broker delivers them
 * again). */
void intake_passive_clear(struct engine *e);
void intake_presence_events(struct engine *e);
void intake_heartbeat(struct mq *mq, const struct mq_msg *m, void *arg);
void intake_command(struct mq *mq, const struct mq_msg *m, void *arg);
void intake_dead(struct mq *mq, const struct mq_msg *m, void *arg);
void intake_unroutable(struct mq *mq, const struct mq_msg *m, void *arg);

/* dispatch.c */
struct flow_pool *dispatch_check_flow(struct engine *e, struct check *c);
struct flow_pool *dispatch_location_flow(struct engine *e, struct location *l);
void dispatch_flow_answered(struct engine *e, struct flow_pool *fp);
int dispatch_pool_live(const struct engine *e, const char *pool);
void dispatch_job_finished(struct engine *e, struct check *c, double now);
void dispatch_flow_recount(struct engine *e);
void dispatch_flow_cron(struct engine *e, double now);
int dispatch_publish_job(struct engine *e, struct check *c, double now, int again);
int dispatch_recheck(void *arg, struct check *c, double now, char *msg, size_t msglen);
void dispatch_fresh_run(struct engine *e, struct check *c, double now);
void dispatch_sched_cb(struct ev_loop *loop, ev_timer *w, int revents);
void dispatch_schedule_all(struct engine *e);
void dispatch_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents);

/* reload.c */
/* cmd: the reload command (its verdict goes to the command log), NULL
 * for SIGHUP. */
void reload_start(struct engine *e, const char *why, const struct command_msg *cmd);
void reload_async_cb(struct ev_loop *loop, ev_async *w, int revents);
void reload_abandon(struct engine *e);
void reload_done(struct engine *e, struct db_batch *b);
void reload_count_pool_checks(struct engine *e);

#endif
