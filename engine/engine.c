/*
 * NAME
 *	engine - vigil-engine: schedule checks, publish jobs, apply results
 * DESCRIPTION
 *	See engine.h. Everything below runs on one libev loop; the only other
 *	thread is the database thread (db.c). Results are applied to the
 *	in-memory state at once and collected into the open batch: one row per
 *	check (a check seen twice in a batch keeps its newest state and counts
 *	both results). The batch goes to the database thread when it holds
 *	ENGINE_BATCH_ROWS rows or ENGINE_BATCH_DELAY after its first entry; the
 *	deliveries it carries are acked when it comes back committed, with one
 *	multiple-ack per channel (tags on a channel grow, and batches commit in
 *	order, so everything up to the batch's highest tag is durable).
 *
 *	Worker heartbeats (<prefix>.heartbeats) are acked at once and kept in
 *	memory (presence.c); once a second, if anything changed, a snapshot
 *	rides on the next batch. Only what was heard counts: while the broker
 *	link is down or deliveries pause for a reload, presence is deaf.
 *
 *	Multi-location checks (several pools) run in rounds: at its due time
 *	the check publishes one job per location, each with its own id and
 *	routing key <pool>.<check id>, all for the same scheduled time, and
 *	c->inflight holds the round's id. Each answer (a result, or a
 *	verdict: expired, unroutable, orphaned, which is that location's
 *	UNKNOWN) is that location's last result, deduplicated by job id per
 *	location, kept in memory and written to check_locations with the
 *	batch. When every location has answered, the round is combined by
 *	the quorum rule (quorum.h) into one result that goes through the
 *	state machine like any other, once per round; then the next round is
 *	scheduled. A location's late answer (after its round was decided)
 *	updates only that location. Single-location checks never take this
 *	path.
 * DIAGNOSTICS
 *	See engine.h.
 * SECURITY
 *	Job argv may hold $USERn$ secrets: it is never logged.
 */
#include "engine.h"
#include "alert.h"
#include "backoff.h"
#include "check.h"
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
#define ENGINE_VERDICT_PREFETCH 256
#define ENGINE_ORPHAN_GRACE 10		/* seconds past timeout + expiration */
#define ENGINE_SCHED_BURST 5000		/* jobs per timer callback */
#define ENGINE_MAX_CHANNELS 8
#define ENGINE_BATCHES_IN_FLIGHT 2	/* one committing, one waiting */
#define ENGINE_HEARTBEAT_PREFETCH 64
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

struct engine {
	struct daemon *d;
	struct ev_loop *loop;	/* d's */
	struct config *cfg;	/* taken from d at start, swapped by reloads */
	struct check_table checks;
	struct sched sched;
	struct mq *mq;
	struct db *db;

	char x_jobs[256], x_events[256], q_results[256], q_dead[256], q_unroutable[256];
	char q_commands[256], q_heartbeats[256];
	const char *config_path;
	int reloading;		/* a reload's sync is on the database thread */
	int maintenance_due;
	ev_timer maintenance;
	ev_timer cron;		/* once a second: freshness, worker presence */
	double started;

	ev_timer sched_timer;
	ev_timer flush_timer;
	ev_prepare prepare;
	struct leader *leader;
	int rearm;		/* the heap's top may have changed */
	int stopping;

	struct row *rows;
	size_t nrows, caprows;
	struct locrow *locrows;
	size_t nlocrows, caplocrows;
	uint64_t batch_gen;
	struct mq_ref *acks;
	size_t nacks, capacks;
	/* per result, not per row: state changes, flapping, perfdata; JSON
	 * objects separated by commas, the arrays' contents */
	struct strbuf hist, flaps, perf;

	/* outbox: events published and awaiting the broker's confirm (in
	 * publish order), and confirmed ones the next batch deletes */
	struct outbox_pending {
		uint64_t seq;
		int64_t id;
	} *ob_wait;
	size_t ob_nwait, ob_capwait;
	int64_t *ob_confirmed;
	size_t ob_nconfirmed, ob_capconfirmed;
	int ob_rewind;		/* ask the database thread to start over */
	int ob_poll;		/* ask for more events even with nothing to write */

	struct alert alert;		/* acks, downtimes, notifications */
	struct presence presence;	/* live workers per pool */
	struct flow flow;		/* jobs in flight and held checks per pool */
	int flow_release;		/* an answer made room: publish held checks */
	char *presence_snapshot;	/* for the next batch, NULL: nothing new */
	size_t hb_refused;		/* malformed heartbeats not logged yet */
	double hb_refused_logged;
};

#define SWAP_PTR(a, b) do { void *t_ = (a); (a) = (b); (b) = t_; } while (0)

/* When c runs next as check_state.next_check shows it: its run in flight,
 * its place in the schedule, or when it fell due while it waits for room;
 * 0: not scheduled. */
static double
next_run(const struct check *c)
{
	if (c->inflight[0] != '\0')
		return c->inflight_scheduled;
	return c->heap_idx != SIZE_MAX || c->held ? c->due : 0;
}

static void
row_clear(struct row *r)
{
	free(r->output);
	free(r->long_output);
	free(r->perfdata);
	free(r->pool);
	free(r->worker);
	memset(r, 0, sizeof(*r));
}

static void
flush_start(struct engine *e)
{
	if (!ev_is_active(&e->flush_timer)) {
		ev_timer_set(&e->flush_timer, ENGINE_BATCH_DELAY, 0.);
		ev_timer_start(e->loop, &e->flush_timer);
	}
}

/* A time of the state, null when there is none (0). */
static void
time_json(struct strbuf *b, double t)
{
	if (t > 0)
		jsonw_real(b, t);
	else
		strbuf_add(b, "null", 4);
}

/* A state, null while pending. */
static void
state_json(struct strbuf *b, int state)
{
	if (state == STATE_PENDING)
		strbuf_add(b, "null", 4);
	else
		jsonw_int(b, state);
}

/* One row of the batch as check_state_apply() reads it (schema/003): text
 * written directly, the hot path of a busy engine. */
static void
row_json(struct strbuf *b, const struct row *r)
{
	const struct check *c = r->c;
	const struct state *st = &c->st;
	double next = next_run(c);

	strbuf_adds(b, "{\"check_id\":");
	jsonw_int(b, c->id);
	strbuf_adds(b, ",\"state\":");
	state_json(b, st->state);
	strbuf_adds(b, ",\"state_type\":");
	jsonw_int(b, st->state_type);
	strbuf_adds(b, ",\"attempt\":");
	jsonw_int(b, st->attempt);
	strbuf_adds(b, ",\"last_hard_state\":");
	state_json(b, st->last_hard_state);
	strbuf_adds(b, ",\"output\":");
	jsonw_string(b, r->output != NULL ? r->output : "");
	strbuf_adds(b, ",\"long_output\":");
	jsonw_string(b, r->long_output != NULL ? r->long_output : "");
	strbuf_adds(b, ",\"perfdata\":");
	jsonw_string(b, r->perfdata != NULL ? r->perfdata : "");
	strbuf_adds(b, ",\"exit_code\":");
	if (r->exit_code >= 0)
		jsonw_int(b, r->exit_code);
	else
		strbuf_add(b, "null", 4);
	strbuf_adds(b, ",\"last_check\":");
	time_json(b, st->last_check);
	strbuf_adds(b, ",\"next_check\":");
	time_json(b, next);
	strbuf_adds(b, ",\"last_state_change\":");
	time_json(b, st->last_state_change);
	strbuf_adds(b, ",\"last_hard_state_change\":");
	time_json(b, st->last_hard_state_change);
	strbuf_adds(b, ",\"latency_ms\":");
	jsonw_real(b, r->latency_ms);
	strbuf_adds(b, ",\"duration_ms\":");
	jsonw_real(b, r->duration_ms);
	strbuf_adds(b, ",\"pool\":");
	jsonw_string(b, r->pool);
	strbuf_adds(b, ",\"worker\":");
	jsonw_string(b, r->worker);
	strbuf_adds(b, ",\"last_job_id\":");
	jsonw_string(b, c->last_job[0] != '\0' ? c->last_job : NULL);
	strbuf_adds(b, ",\"last_scheduled\":");
	time_json(b, c->last_scheduled);
	strbuf_adds(b, ",\"n\":");
	jsonw_int(b, r->n);
	strbuf_adds(b, ",\"flapping\":");
	jsonw_bool(b, st->flapping);
	strbuf_adds(b, ",\"percent_state_change\":");
	jsonw_real(b, st->percent_state_change);
	strbuf_adds(b, ",\"flap_states\":[");
	for (int i = 0; i < st->flap_count; i++) {
		if (i > 0)
			strbuf_add(b, ",", 1);
		jsonw_int(b, st->flap_history[i]);
	}
	strbuf_adds(b, "],\"debounce_state\":");
	state_json(b, st->debounce_state);
	strbuf_adds(b, ",\"debounce_count\":");
	jsonw_int(b, st->debounce_count);
	strbuf_adds(b, ",\"flap_held_problem\":");
	jsonw_bool(b, st->flap_held_problem);
	strbuf_adds(b, ",\"ack_kind\":");
	jsonw_int(b, c->ack);
	strbuf_adds(b, ",\"ack_author\":");
	jsonw_string(b, c->ack_author);
	strbuf_adds(b, ",\"ack_comment\":");
	jsonw_string(b, c->ack_comment);
	strbuf_adds(b, ",\"ack_time\":");
	time_json(b, c->ack_time);
	strbuf_adds(b, ",\"in_downtime\":");
	jsonw_bool(b, c->dt_depth > 0);
	strbuf_adds(b, ",\"notification_number\":");
	jsonw_int(b, c->ns.number);
	strbuf_adds(b, ",\"last_notification\":");
	time_json(b, c->ns.last_notification);
	strbuf_adds(b, ",\"next_notification\":");
	time_json(b, c->ns.next_notification);
	strbuf_adds(b, ",\"notified_state\":");
	if (c->ns.notified_state >= 0)
		jsonw_int(b, c->ns.notified_state);
	else
		strbuf_add(b, "null", 4);
	strbuf_adds(b, ",\"notified_esc\":");
	jsonw_int(b, (long long)c->ns.notified_esc);
	strbuf_adds(b, ",\"notified_on\":");
	jsonw_int(b, c->ns.notified_on);
	strbuf_add(b, "}", 1);
}

/* The next object of a comma-separated list. */
static struct strbuf *
item_start(struct strbuf *b)
{
	if (b->len > 0)
		strbuf_add(b, ",", 1);
	return b;
}

static void
strbuf_clear(struct strbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static json_t *
time_or_null(double t)
{
	return t > 0 ? json_real(t) : json_null();
}

static json_t *
locrow_json(const struct locrow *lr)
{
	const struct location *l = lr->l;
	json_t *o = json_object();

	json_object_set_new(o, "check_id", json_integer(lr->c->id));
	json_object_set_new(o, "pool", json_string(l->pool));
	json_object_set_new(o, "status", l->status == STATE_PENDING ? json_null() :
	    json_integer(l->status));
	json_object_set_new(o, "output", json_string(l->output != NULL ? l->output : ""));
	json_object_set_new(o, "long_output", json_string(l->long_output != NULL ?
	    l->long_output : ""));
	json_object_set_new(o, "perfdata", json_string(l->perfdata != NULL ? l->perfdata : ""));
	json_object_set_new(o, "last_check", time_or_null(l->last_check));
	json_object_set_new(o, "duration_ms", json_real((l->last_end - l->last_check) * 1000));
	json_object_set_new(o, "worker", l->worker != NULL ? json_string(l->worker) : json_null());
	json_object_set_new(o, "last_job_id", l->last_job[0] ? json_string(l->last_job) : json_null());
	json_object_set_new(o, "last_scheduled", time_or_null(l->last_scheduled));
	json_object_set_new(o, "n", json_integer(lr->n));
	return o;
}

/* Hand the open batch to the database thread (unless it is behind and
 * force is 0: then it waits for batch_done()). */
static void
flush_batch(struct engine *e, int force)
{
	struct db_batch *b;
	struct strbuf rows = { 0 };

	ev_timer_stop(e->loop, &e->flush_timer);
	if (e->nrows == 0 && e->nlocrows == 0 && e->nacks == 0 && e->ob_nconfirmed == 0 &&
	    !e->ob_rewind && !e->ob_poll && !e->maintenance_due && e->presence_snapshot == NULL &&
	    !alert_pending(&e->alert))
		return;
	/* The database is behind (slow or down): keep filling this batch
	 * rather than queueing hundreds of small transactions; batch_done()
	 * flushes when one comes back. Results of one check merge into one
	 * row, and the results prefetch bounds the acks. */
	if (!force && db_pending(e->db) >= ENGINE_BATCHES_IN_FLIGHT && !e->stopping &&
	    !e->reloading)
		return;
	b = xcalloc(1, sizeof(*b));
	if (e->maintenance_due) {
		b->maintenance = 1;
		b->retention_perfdata = e->cfg->retention_perfdata;
		b->retention_history = e->cfg->retention_history;
		e->maintenance_due = 0;
	}
	b->confirmed = e->ob_confirmed;
	b->nconfirmed = e->ob_nconfirmed;
	e->ob_confirmed = NULL;
	e->ob_nconfirmed = e->ob_capconfirmed = 0;
	b->rewind = e->ob_rewind;
	e->ob_rewind = e->ob_poll = 0;
	b->presence = e->presence_snapshot;
	e->presence_snapshot = NULL;
	/* Room for rows of typical size at once, not a dozen reallocs. */
	xgrow((void **)&rows.s, &rows.cap, e->nrows * 512 + 3, 1);
	strbuf_add(&rows, "[", 1);
	for (size_t i = 0; i < e->nrows; i++) {
		if (i > 0)
			strbuf_add(&rows, ",", 1);
		row_json(&rows, &e->rows[i]);
		row_clear(&e->rows[i]);
	}
	strbuf_add(&rows, "]", 1);
	b->state_rows = rows.s;
	if (e->nlocrows > 0) {
		/* Multi-location rows: a rarer path, built with jansson. */
		json_t *arr = json_array();

		for (size_t i = 0; i < e->nlocrows; i++)
			json_array_append_new(arr, locrow_json(&e->locrows[i]));
		b->locations = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		e->nlocrows = 0;
	}
	if (e->hist.len > 0 || e->flaps.len > 0 || e->perf.len > 0) {
		struct strbuf h = { 0 };

		strbuf_adds(&h, "{\"history\":[");
		if (e->hist.len > 0)
			strbuf_add(&h, e->hist.s, e->hist.len);
		strbuf_adds(&h, "],\"flaps\":[");
		if (e->flaps.len > 0)
			strbuf_add(&h, e->flaps.s, e->flaps.len);
		strbuf_adds(&h, "],\"perf\":[");
		if (e->perf.len > 0)
			strbuf_add(&h, e->perf.s, e->perf.len);
		strbuf_adds(&h, "]}");
		b->history = h.s;
		strbuf_clear(&e->hist);
		strbuf_clear(&e->flaps);
		strbuf_clear(&e->perf);
	}
	b->notify = alert_take(&e->alert);
	b->nrows = e->nrows;
	b->acks = e->acks;
	b->nacks = e->nacks;
	e->acks = NULL;
	e->nacks = e->capacks = 0;
	e->nrows = 0;
	e->batch_gen++;
	db_submit(e->db, b);
}

static void
flush(struct engine *e)
{
	flush_batch(e, 0);
}

static void
flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	flush(w->data);
}

static void reload_done(struct engine *e, struct db_batch *b);
static int publish_job(struct engine *e, struct check *c, double now, int again);
static void flow_recount(struct engine *e);

/* Publish what the commit put in the outbox; deleted once confirmed. */
static void
publish_events(struct engine *e, struct db_batch *b)
{
	for (size_t i = 0; i < b->nevents; i++) {
		struct db_event *ev = &b->events[i];
		struct mq_publish p = { .persistent = 1 };
		char id[32];
		uint64_t seq;

		snprintf(id, sizeof(id), "%lld", (long long)ev->id);
		p.message_id = id;
		if (mq_publish(e->mq, e->x_events, ev->routing_key, ev->body,
		    strlen(ev->body), &p, &seq) < 0) {
			/* Down: they stay in the outbox, published again later. */
			e->ob_rewind = 1;
			return;
		}
		xgrow((void **)&e->ob_wait, &e->ob_capwait, e->ob_nwait + 1, sizeof(*e->ob_wait));
		e->ob_wait[e->ob_nwait].seq = seq;
		e->ob_wait[e->ob_nwait++].id = ev->id;
	}
	if (b->more_events) {
		e->ob_poll = 1;
		flush_start(e);
	}
}

static void
on_confirm(struct mq *mq, uint64_t seq, int multiple, int nack, void *arg)
{
	struct engine *e = arg;
	size_t i, keep = 0;

	for (i = 0; i < e->ob_nwait; i++) {
		struct outbox_pending *w = &e->ob_wait[i];

		if (multiple ? w->seq <= seq : w->seq == seq) {
			if (nack) {
				e->ob_rewind = 1;	/* publish it again */
				continue;
			}
			xgrow((void **)&e->ob_confirmed, &e->ob_capconfirmed,
			    e->ob_nconfirmed + 1, sizeof(*e->ob_confirmed));
			e->ob_confirmed[e->ob_nconfirmed++] = w->id;
		} else
			e->ob_wait[keep++] = *w;
	}
	e->ob_nwait = keep;
	if (e->ob_nconfirmed > 0 || e->ob_rewind)
		flush_start(e);
}

/* Committed: ack what the batch carried, one multiple-ack per channel. */
static void
batch_done(struct db_batch *b, void *arg)
{
	struct engine *e = arg;
	struct mq_ref top[ENGINE_MAX_CHANNELS];

	if (b->sync_cfg != NULL) {
		reload_done(e, b);
		db_batch_free(b);
		return;
	}
	memset(top, 0, sizeof(top));
	for (size_t i = 0; i < b->nacks; i++) {
		struct mq_ref *r = &b->acks[i];

		if (r->channel >= ENGINE_MAX_CHANNELS)
			log_panic("delivery on channel %u, beyond the %d this engine tracks",
			    r->channel, ENGINE_MAX_CHANNELS);
		if (top[r->channel].tag == 0 || r->gen > top[r->channel].gen ||
		    (r->gen == top[r->channel].gen && r->tag > top[r->channel].tag))
			top[r->channel] = *r;
	}
	for (int ch = 0; ch < ENGINE_MAX_CHANNELS; ch++)
		if (top[ch].tag != 0)
			mq_ack(e->mq, &top[ch], 1);	/* an old generation is skipped */
	log_debug("batch committed rows=%zu acks=%zu groups_touched=%zu groups_changed=%zu"
	    " events=%zu ms=%.1f", b->nrows, b->nacks, b->groups_touched, b->groups_changed,
	    b->nevents, (ev_now(e->loop) - b->submitted) * 1000);
	if (!e->stopping)	/* no confirms are read any more: next start */
		publish_events(e, b);
	db_batch_free(b);
	if (e->nrows > 0 || e->nlocrows > 0 || e->nacks > 0 || alert_pending(&e->alert))
		flush_start(e);	/* what waited for this batch to come back */
}

static void
ack_later(struct engine *e, const struct mq_ref *ref)
{
	xgrow((void **)&e->acks, &e->capacks, e->nacks + 1, sizeof(*e->acks));
	e->acks[e->nacks++] = *ref;
	flush_start(e);
}

static struct row *
row_for(struct engine *e, struct check *c)
{
	struct row *r;

	if (c->batch_gen == e->batch_gen && c->batch_row < e->nrows &&
	    e->rows[c->batch_row].c == c)
		return &e->rows[c->batch_row];
	xgrow((void **)&e->rows, &e->caprows, e->nrows + 1, sizeof(*e->rows));
	r = &e->rows[e->nrows];
	memset(r, 0, sizeof(*r));
	r->c = c;
	r->exit_code = -1;
	c->batch_gen = e->batch_gen;
	c->batch_row = e->nrows++;
	return r;
}

/* alert.c changed c's flags or notification state: write its row. */
static void
alert_touch(void *arg, struct check *c)
{
	struct engine *e = arg;

	row_for(e, c);
	flush_start(e);
}

static void
replace(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

/* The parsed perfdata of one result, for the time series. A location's
 * labels are prefixed "<pool>/": each location is a series of its own. */
static void
record_perfdata(struct engine *e, const struct check *c, double t, const char *text,
    const char *pool)
{
	struct perfdata_item *items;
	size_t n, skipped;

	if (text == NULL || *text == '\0')
		return;
	perfdata_parse(text, &items, &n, &skipped);
	if (skipped > 0)
		log_debug("perfdata items skipped host=%s service=%s count=%zu", c->host,
		    c->service != NULL ? c->service : "-", skipped);
	for (size_t i = 0; i < n; i++) {
		const struct perfdata_item *p = &items[i];
		char *label = pool != NULL ? xasprintf("%s/%s", pool, p->label) : NULL;
		struct strbuf *b = item_start(&e->perf);

		strbuf_adds(b, "{\"check_id\":");
		jsonw_int(b, c->id);
		strbuf_adds(b, ",\"t\":");
		jsonw_real(b, t);
		strbuf_adds(b, ",\"l\":");
		jsonw_string(b, label != NULL ? label : p->label);
		free(label);
		strbuf_adds(b, ",\"u\":");
		jsonw_string(b, p->uom);
		strbuf_adds(b, ",\"v\":");
		if (p->value_unknown)
			strbuf_add(b, "null", 4);
		else
			jsonw_real(b, p->value);
		if (p->warn != NULL) {
			strbuf_adds(b, ",\"w\":");
			jsonw_string(b, p->warn);
		}
		if (p->crit != NULL) {
			strbuf_adds(b, ",\"c\":");
			jsonw_string(b, p->crit);
		}
		if (p->has_min) {
			strbuf_adds(b, ",\"mn\":");
			jsonw_real(b, p->min);
		}
		if (p->has_max) {
			strbuf_adds(b, ",\"mx\":");
			jsonw_real(b, p->max);
		}
		strbuf_add(b, "}", 1);
	}
	perfdata_free(items, n);
}

/* The context the rules need: a host's parents, a service's host. */
static void
state_context(const struct check *c, double t, struct state_input *in)
{
	if (check_is_host(c))
		in->parents_up = check_parents_up(c, &in->nparents);
	else if (c->host_check != NULL) {
		in->host_state = c->host_check->st.state;
		in->host_state_type = c->host_check->st.state_type;
		in->host_last_check = c->host_check->st.last_check;
	} else {
		/* A host without a check is UP, and always fresh. */
		in->host_state = HOST_UP;
		in->host_state_type = STATE_HARD;
		in->host_last_check = t;
	}
}

/* Check c now (host checks on demand, propagation), unless a job of it is
 * already in flight or it is not scheduled at all. */
static void
check_soon(struct engine *e, struct check *c, double now)
{
	if (c == NULL || !c->active || c->inflight[0] != '\0' || c->held || c->due <= now)
		return;
	sched_set(&e->sched, c, now);
	e->rearm = 1;
}

/* A result for c, from a plugin, a passive submitter (passive) or a
 * verdict of our own (orphaned, expired, unroutable, stale: r->job is
 * empty then, so that the real result, should it come late, is still
 * applied). */
static void
apply(struct engine *e, struct check *c, const struct result_msg *r, int passive)
{
	struct state_conf sc;
	struct state_input in;
	struct state_output out;
	struct state next = c->st;
	struct result_text rt;
	struct row *row;
	double t = r->start > 0 ? r->start : util_now();
	int old_state = c->st.state;
	unsigned ev;

	check_state_conf(c, &sc);
	memset(&in, 0, sizeof(in));
	in.status = r->status;
	in.time = t;
	in.passive = passive;
	state_context(c, t, &in);
	state_apply(&sc, &next, &in, &out);
	ev = out.events;
	/* One row per check and batch keeps only the newest state: a second
	 * transition would fold into the first and the database would never
	 * see it (no history row, no event). Such a result opens a new batch;
	 * batches commit in order. */
	if ((ev & (STATE_EV_CHANGED | STATE_EV_HARD_CHANGE)) && c->batch_gen == e->batch_gen &&
	    c->batch_row < e->nrows && e->rows[c->batch_row].c == c)
		flush_batch(e, 1);
	c->st = next;
	c->use_retry = out.use_retry_interval;
	if (r->job[0] != '\0') {
		memcpy(c->last_job, r->job, sizeof(c->last_job));
		c->last_scheduled = r->scheduled;
	}
	if (ev & STATE_EV_CHANGED)
		log_info("state host=%s service=%s state=%s old=%s type=%s attempt=%d/%d%s",
		    c->host, c->service != NULL ? c->service : "-",
		    result_state_name(c->st.state, check_is_host(c)),
		    result_state_name(old_state, check_is_host(c)),
		    c->st.state_type == STATE_HARD ? "HARD" : "SOFT",
		    c->st.attempt, c->max_attempts, c->st.flapping ? " flapping" : "");

	row = row_for(e, c);
	row->n++;
	result_split(r->output != NULL ? r->output : "", &rt);
	free(row->output);
	free(row->long_output);
	free(row->perfdata);
	row->output = rt.output;
	row->long_output = rt.long_output;
	row->perfdata = rt.perfdata;
	row->exit_code = r->exit_code;
	replace(&c->output, row->output);
	/* History: every state change, and every soft attempt of a problem
	 * (Nagios logs each as an alert). */
	if ((ev & (STATE_EV_CHANGED | STATE_EV_HARD_CHANGE)) ||
	    (c->st.state_type == STATE_SOFT && c->st.state > 0)) {
		struct strbuf *b = item_start(&e->hist);

		strbuf_adds(b, "{\"check_id\":");
		jsonw_int(b, c->id);
		strbuf_adds(b, ",\"t\":");
		jsonw_real(b, t);
		strbuf_adds(b, ",\"state\":");
		jsonw_int(b, c->st.state);
		strbuf_adds(b, ",\"state_type\":");
		jsonw_int(b, c->st.state_type);
		strbuf_adds(b, ",\"attempt\":");
		jsonw_int(b, c->st.attempt);
		strbuf_adds(b, ",\"old_state\":");
		state_json(b, old_state);
		strbuf_adds(b, ",\"hard_change\":");
		jsonw_bool(b, (ev & STATE_EV_HARD_CHANGE) != 0);
		strbuf_adds(b, ",\"output\":");
		jsonw_string(b, row->output);
		strbuf_add(b, "}", 1);
	}
	if (ev & (STATE_EV_FLAP_START | STATE_EV_FLAP_STOP)) {
		struct strbuf *b = item_start(&e->flaps);

		log_info("flapping %s host=%s service=%s percent_state_change=%.1f",
		    ev & STATE_EV_FLAP_START ? "started" : "stopped", c->host,
		    c->service != NULL ? c->service : "-", c->st.percent_state_change);
		strbuf_adds(b, "{\"check_id\":");
		jsonw_int(b, c->id);
		strbuf_adds(b, ",\"t\":");
		jsonw_real(b, t);
		strbuf_adds(b, ",\"flapping\":");
		jsonw_bool(b, (ev & STATE_EV_FLAP_START) != 0);
		strbuf_adds(b, ",\"percent\":");
		jsonw_real(b, c->st.percent_state_change);
		strbuf_add(b, "}", 1);
	}
	if (ev & STATE_EV_CHECK_HOST)
		check_soon(e, c->host_check, util_now());
	if (ev & STATE_EV_PROPAGATE) {
		double now = util_now();

		for (size_t i = 0; i < c->nparents; i++)
			check_soon(e, c->parents[i], now);
		for (size_t i = 0; i < c->nchildren; i++)
			check_soon(e, c->children[i], now);
	}
	alert_result(&e->alert, c, old_state, &out, row->long_output, row->perfdata, util_now());
	record_perfdata(e, c, t, row->perfdata, NULL);
	row->latency_ms = r->scheduled > 0 && r->start > 0 ? (r->start - r->scheduled) * 1000 : 0;
	row->duration_ms = r->end > r->start ? (r->end - r->start) * 1000 : 0;
	replace(&row->pool, r->pool);
	replace(&row->worker, r->worker);
	if (e->nrows >= ENGINE_BATCH_ROWS)
		flush(e);
	else
		flush_start(e);
}

/* ---- flow control: jobs in flight per pool (flow.h) ----------------- */

static struct flow_pool *
check_flow(struct engine *e, struct check *c)
{
	if (c->flow == NULL)
		c->flow = flow_pool(&e->flow, c->pool);
	return c->flow;
}

static struct flow_pool *
location_flow(struct engine *e, struct location *l)
{
	if (l->flow == NULL)
		l->flow = flow_pool(&e->flow, l->pool);
	return l->flow;
}

/* A job of fp has its answer (a result or a verdict): room for another,
 * which prepare_cb() gives to the oldest held check. */
static void
flow_answered(struct engine *e, struct flow_pool *fp)
{
	if (fp->inflight > 0)
		fp->inflight--;
	if (fp->nheld > 0)
		e->flow_release = 1;
}

/* The jobs of c's new run (or round) are out. */
static void
flow_published(struct engine *e, struct check *c)
{
	if (c->nlocs == 0) {
		check_flow(e, c)->inflight++;
		return;
	}
	for (size_t i = 0; i < c->nlocs; i++)
		if (c->locs[i].inflight[0] != '\0')
			location_flow(e, &c->locs[i])->inflight++;
}

/* A pool of c with no room for c's next run, or NULL. */
static struct flow_pool *
flow_full(struct engine *e, struct check *c)
{
	struct flow_pool *fp;

	if (c->nlocs == 0) {
		fp = check_flow(e, c);
		return flow_has_room(fp) ? NULL : fp;
	}
	for (size_t i = 0; i < c->nlocs; i++) {
		fp = location_flow(e, &c->locs[i]);
		if (!flow_has_room(fp))
			return fp;
	}
	return NULL;
}

/* A pool with a live worker heard. Not one the engine has not listened
 * to long enough to tell (pending): a job that expires there is the
 * outage's UNKNOWN, as when no worker is known; the workers of a live
 * pool make it ok within a heartbeat (5 s) of the engine's start. */
static int
pool_live(const struct engine *e, const char *pool)
{
	const struct presence_pool *pp = presence_pool_find(&e->presence, pool);

	return pp != NULL && pp->state == PRESENCE_OK;
}

/* The job in flight has its answer: schedule the next run without drift. */
static void
job_finished(struct engine *e, struct check *c, double now)
{
	double next = sched_next_due(c->inflight_scheduled, check_next_interval(c),
	    now, util_random_unit());

	if (c->nlocs == 0 && c->inflight[0] != '\0')
		flow_answered(e, check_flow(e, c));
	c->late_since = 0;
	c->inflight[0] = '\0';
	sched_set(&e->sched, c, next);
	e->rearm = 1;
}

/* ---- multi-location checks ----------------------------------------- */

static struct locrow *
locrow_for(struct engine *e, struct check *c, struct location *l)
{
	struct locrow *lr;

	if (l->batch_gen == e->batch_gen && l->batch_row < e->nlocrows &&
	    e->locrows[l->batch_row].l == l)
		return &e->locrows[l->batch_row];
	xgrow((void **)&e->locrows, &e->caplocrows, e->nlocrows + 1, sizeof(*e->locrows));
	lr = &e->locrows[e->nlocrows];
	lr->c = c;
	lr->l = l;
	lr->n = 0;
	l->batch_gen = e->batch_gen;
	l->batch_row = e->nlocrows++;
	return lr;
}

/* r is l's last result now: in memory, in the batch, its perfdata in
 * the time series. A verdict (r->job empty) sets no last job, so the
 * real result, should it come late, still counts. */
static void
location_record(struct engine *e, struct check *c, struct location *l,
    const struct result_msg *r)
{
	struct result_text rt;

	result_split(r->output != NULL ? r->output : "", &rt);
	free(l->output);
	free(l->long_output);
	free(l->perfdata);
	l->output = rt.output;
	l->long_output = rt.long_output;
	l->perfdata = rt.perfdata;
	l->status = r->status;
	l->last_check = r->start > 0 ? r->start : util_now();
	l->last_end = r->end > l->last_check ? r->end : l->last_check;
	replace(&l->worker, r->worker);
	if (r->job[0] != '\0')
		memcpy(l->last_job, r->job, sizeof(l->last_job));
	l->last_scheduled = r->scheduled;
	record_perfdata(e, c, l->last_check, l->perfdata, l->pool);
	locrow_for(e, c, l)->n++;
	if (e->nlocrows >= ENGINE_BATCH_ROWS)
		flush(e);
	else
		flush_start(e);
}

/* Every location has answered: one result for the state machine, by the
 * quorum rule, and the next round is scheduled. */
static void
round_finish(struct engine *e, struct check *c)
{
	struct quorum_vote *v = xcalloc(c->nlocs, sizeof(*v));
	struct result_msg r;
	char *text;

	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < c->nlocs; i++) {
		const struct location *l = &c->locs[i];

		v[i].pool = l->pool;
		v[i].status = l->status;
		v[i].output = l->output;
		/* The round ran from its first start to its last end. */
		if (r.start == 0 || l->last_check < r.start)
			r.start = l->last_check;
		if (l->last_end > r.end)
			r.end = l->last_end;
	}
	r.status = quorum_status(v, c->nlocs, c->quorum);
	text = quorum_text(v, c->nlocs, c->quorum, r.status);
	memcpy(r.job, c->inflight, sizeof(r.job));
	r.check_id = c->id;
	r.output = text;
	r.scheduled = c->inflight_scheduled;
	r.exit_code = -1;
	log_debug("round combined host=%s service=%s status=%d locations=%zu quorum=%d",
	    c->host, c->service != NULL ? c->service : "-", r.status, c->nlocs, c->quorum);
	apply(e, c, &r, 0);
	job_finished(e, c, util_now());
	free(text);
	free(v);
}

/* l has answered in the round in flight: the round may be complete. */
static void
location_answered(struct engine *e, struct check *c, struct location *l)
{
	if (l->inflight[0] != '\0')
		flow_answered(e, location_flow(e, l));
	l->inflight[0] = '\0';
	for (size_t i = 0; i < c->nlocs; i++)
		if (c->locs[i].inflight[0] != '\0')
			return;
	round_finish(e, c);
}

/* A worker's result for a multi-location check. */
static void
location_result(struct engine *e, struct check *c, const struct result_msg *r)
{
	struct location *l = check_location_job(c, r->job);
	int in_round = l != NULL;

	if (l == NULL && r->pool != NULL)
		l = check_location_pool(c, r->pool);
	if (l == NULL) {
		log_debug("result for a pool the check does not run from dropped job=%s host=%s"
		    " pool=%s", r->job, c->host, r->pool != NULL ? r->pool : "-");
		return;
	}
	/* Exactly once in effect, per location. */
	if (strcmp(r->job, l->last_job) == 0 || r->scheduled < l->last_scheduled) {
		log_debug("duplicate result dropped job=%s host=%s pool=%s", r->job, c->host, l->pool);
		return;
	}
	location_record(e, c, l, r);
	log_debug("result applied job=%s check=%lld scheduled=%.3f pool=%s%s", r->job,
	    (long long)c->id, r->scheduled, l->pool, in_round ? "" : " late=1");
	if (in_round)
		location_answered(e, c, l);
}

/* Reject a malformed message: the queue dead-letters it to parked. */
static void
park(struct engine *e, const struct mq_msg *m, const char *why)
{
	log_warn("message parked queue=%s reason=\"%s\" bytes=%zu", m->consumer, why, m->len);
	mq_reject(e->mq, &m->ref, 0);
}

static void
on_result(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct engine *e = arg;
	struct result_msg r;
	struct check *c = NULL;
	char err[256];

	if (msg_result_decode(m->body, m->len, &r, err, sizeof(err)) < 0) {
		park(e, m, err);
		return;
	}
	if (r.check_id > 0)
		c = check_table_find_id(&e->checks, r.check_id);
	if (c == NULL)
		c = check_table_find_name(&e->checks, r.host, r.service);
	if (c == NULL) {
		snprintf(err, sizeof(err), "no check host=%s service=%s", r.host,
		    r.service != NULL ? r.service : "-");
		park(e, m, err);
		goto out;
	}
	/* Times from outside: a value PostgreSQL cannot store, or one from
	 * the far future, would poison the batch or every later result. */
	{
		double now = util_now(), tmax = now + 86400;

		if (!(r.start >= 0 && r.start < tmax && r.end >= 0 && r.end < tmax &&
		    r.scheduled >= 0 && r.scheduled < tmax)) {
			park(e, m, "a time is not a plausible epoch (negative, not finite, or more than a day ahead)");
			goto out;
		}
	}
	if (r.job[0] == '\0' && !c->passive) {
		log_warn("passive result refused host=%s service=%s reason=\"passive: false\"",
		    c->host, c->service != NULL ? c->service : "-");
		ack_later(e, &m->ref);
		goto out;
	}
	/* A passive result is idempotent by its time: a redelivered one, or
	 * one older than what is applied, changes nothing. */
	if (r.job[0] == '\0' && r.start > 0 && r.start <= c->st.last_check) {
		log_debug("passive result older than the state dropped host=%s", c->host);
		ack_later(e, &m->ref);
		goto out;
	}
	if (r.job[0] != '\0' && c->nlocs > 0) {
		location_result(e, c, &r);
		ack_later(e, &m->ref);
		goto out;
	}
	/* Exactly once in effect: a redelivered or duplicated result, or one
	 * older than what is applied, changes nothing. */
	if (r.job[0] != '\0' && (strcmp(r.job, c->last_job) == 0 ||
	    r.scheduled < c->last_scheduled)) {
		log_debug("duplicate result dropped job=%s host=%s", r.job, c->host);
		ack_later(e, &m->ref);
		goto out;
	}
	apply(e, c, &r, r.job[0] == '\0');
	log_debug("result applied job=%s check=%lld scheduled=%.3f",
	    r.job[0] != '\0' ? r.job : "-", (long long)c->id, r.scheduled);
	ack_later(e, &m->ref);
	if (r.job[0] != '\0' && strcmp(r.job, c->inflight) == 0)
		job_finished(e, c, util_now());
out:
	msg_result_clear(&r);
}

/* A job came back without running: expired in its queue, or unroutable. */
static void
handle_verdict(struct engine *e, const struct mq_msg *m, int unroutable)
{
	struct job j;
	struct result_msg r;
	struct check *c;
	struct location *l = NULL;
	char err[256], text[512];
	int expired;

	if (msg_job_decode(m->body, m->len, &j, err, sizeof(err)) < 0) {
		park(e, m, err);
		return;
	}
	c = check_table_find_id(&e->checks, j.check_id);
	if (c != NULL && c->nlocs > 0)
		l = check_location_job(c, j.id);
	if (c == NULL || (c->nlocs > 0 ? l == NULL : strcmp(c->inflight, j.id) != 0)) {
		ack_later(e, &m->ref);	/* stale: the check moved on */
		msg_job_clear(&j);
		return;
	}
	expired = !unroutable && m->death_reason != NULL &&
	    strcmp(m->death_reason, "expired") == 0;
	/* Expired in a pool with live workers: the workers are busy, and
	 * Nagios would run the check late. So does this: it keeps its state
	 * and is due again at once, at its old due time: ahead of the checks
	 * due later, behind those already held if the pool is full. Only a
	 * check late for longer than the limit (the pool takes next to no
	 * jobs) is UNKNOWN. */
	if (expired && l == NULL && pool_live(e, j.pool)) {
		double now = util_now();
		double limit = 3.0 * c->interval > ENGINE_LATE_LIMIT ? 3.0 * c->interval :
		    ENGINE_LATE_LIMIT;

		if (c->late_since == 0)
			c->late_since = c->inflight_published;
		if (now - c->late_since < limit) {
			struct flow_pool *fp = check_flow(e, c);

			fp->late_total++;
			log_debug("job expired in a live pool: due again host=%s service=%s pool=%s"
			    " late=%.1f", c->host, c->service != NULL ? c->service : "-", j.pool,
			    now - c->inflight_scheduled);
			ack_later(e, &m->ref);
			flow_answered(e, fp);
			c->inflight[0] = '\0';
			sched_set(&e->sched, c, c->inflight_scheduled);
			e->rearm = 1;
			msg_job_clear(&j);
			return;
		}
		snprintf(text, sizeof(text),
		    "(pool %s has live workers, but none started the check within %.0f s)",
		    j.pool, now - c->late_since);
	} else if (unroutable)
		snprintf(text, sizeof(text), "(no worker pool \"%s\")", j.pool);
	else if (expired)
		snprintf(text, sizeof(text),
		    "(no worker in pool %s started the check within %d s)", j.pool, c->interval);
	else
		snprintf(text, sizeof(text), "(the job was %s by a worker in pool %s)",
		    m->death_reason != NULL ? m->death_reason : "dead-lettered", j.pool);
	log_warn("check not run host=%s service=%s pool=%s reason=\"%s\"", c->host,
	    c->service != NULL ? c->service : "-", j.pool, text);
	memset(&r, 0, sizeof(r));
	r.check_id = c->id;
	r.status = STATUS_UNKNOWN;
	r.output = text;
	r.pool = j.pool;
	r.scheduled = j.scheduled;
	r.start = r.end = util_now();
	r.exit_code = -1;
	/* Acked after what it changed is in the batch (apply may start a
	 * new one), so never before that is committed. */
	if (l != NULL) {
		location_record(e, c, l, &r);
		ack_later(e, &m->ref);
		location_answered(e, c, l);
	} else {
		apply(e, c, &r, 0);
		ack_later(e, &m->ref);
		job_finished(e, c, r.start);
	}
	msg_job_clear(&j);
}

/* Log what the last presence call recorded. */
static void
log_presence_events(struct engine *e)
{
	for (size_t i = 0; i < e->presence.nevents; i++) {
		const struct presence_event *ev = &e->presence.events[i];

		switch (ev->type) {
		case PRESENCE_WORKER_JOINED:
			log_info("worker up pool=%s worker=%s", ev->pool, ev->worker);
			break;
		case PRESENCE_WORKER_STOPPED:
			log_info("worker stopped pool=%s worker=%s", ev->pool, ev->worker);
			break;
		case PRESENCE_WORKER_LOST:
			log_warn("worker lost pool=%s worker=%s reason=\"no heartbeat for %.0f s\"",
			    ev->pool, ev->worker, ev->silent);
			break;
		case PRESENCE_POOL_EMPTY:
			log_warn("pool has no live worker pool=%s checks=%zu: its checks do not run"
			    " until a worker of the pool starts", ev->pool, ev->checks);
			break;
		case PRESENCE_POOL_LIVE:
			log_info("pool has a live worker again pool=%s checks=%zu", ev->pool, ev->checks);
			break;
		}
	}
}

/* Tell presence which pools the active checks use (passive-only checks
 * need no worker). */
static void
count_pool_checks(struct engine *e)
{
	const char **pools = xcalloc(e->checks.n + 1, sizeof(*pools));
	size_t n = 0;

	for (size_t i = 0; i < e->checks.n; i++)
		if (e->checks.v[i]->active)
			pools[n++] = e->checks.v[i]->pool;
	presence_set_checks(&e->presence, pools, n, util_now());
	log_presence_events(e);
	free(pools);
}

/* Every check's next run time, as a batch persists it (check_state). */
static char *
schedule_json(const struct engine *e)
{
	json_t *arr = json_array();
	char *s;

	for (size_t i = 0; i < e->checks.n; i++) {
		const struct check *c = e->checks.v[i];
		double next = next_run(c);

		if (next > 0)
			json_array_append_new(arr, json_pack("{s:I, s:f}", "check_id",
			    (json_int_t)c->id, "next_check", next));
	}
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

/* Load the config again. Invalid: every error logged, the running config
 * stays. Valid: deliveries and the scheduler pause, the open batch goes,
 * and the database thread syncs the new config after every batch before
 * it (so it sees every state this engine applied); reload_done() swaps. */
static void
reload_start(struct engine *e, const char *why)
{
	struct config *ncfg;
	struct db_batch *b;

	if (e->reloading) {
		log_warn("reload requested by=%s while one is running: ignored", why);
		return;
	}
	ncfg = config_new();
	if (config_load(ncfg, e->config_path, 0) < 0) {
		log_error("reload refused by=%s errors=%zu: the running config stays", why, ncfg->nerrors);
		for (size_t i = 0; i < ncfg->nerrors; i++)
			log_error("reload error: %s", ncfg->errors[i]);
		config_free(ncfg);
		return;
	}
	log_info("reload by=%s: new config valid, applying", why);
	e->reloading = 1;
	mq_pause(e->mq);
	presence_deaf(&e->presence, util_now());
	ev_timer_stop(e->loop, &e->sched_timer);
	flush(e);
	b = xcalloc(1, sizeof(*b));
	b->sync_cfg = ncfg;
	db_submit(e->db, b);
}

static void
reload_done(struct engine *e, struct db_batch *b)
{
	struct check_table *nt = b->sync_table;
	size_t kept = 0, changed = 0, added = 0, removed;
	struct db_batch *sb;

	if (nt == NULL) {
		log_error("reload failed: %s: the running config stays", b->sync_err);
		config_free(b->sync_cfg);
		b->sync_cfg = NULL;
		goto resume;
	}
	/* Carry what only memory knows over to the new checks: the state is
	 * the same as the database's (every batch before the sync committed,
	 * deliveries are paused), in-flight jobs and the schedule are not. */
	for (size_t i = 0; i < nt->n; i++) {
		struct check *n = nt->v[i];
		struct check *o = check_table_find_name(&e->checks, n->host, n->service);

		if (o == NULL) {
			added++;
			continue;
		}
		n->st = o->st;
		/* what alert.c keeps: moved, o is freed below */
		n->ns = o->ns;
		n->ack = o->ack;
		n->ack_time = o->ack_time;
		n->dt_depth = o->dt_depth;
		n->ndts = o->ndts;
		SWAP_PTR(n->ack_author, o->ack_author);
		SWAP_PTR(n->ack_comment, o->ack_comment);
		SWAP_PTR(n->dts, o->dts);
		SWAP_PTR(n->output, o->output);
		o->ndts = 0;
		memcpy(n->last_job, o->last_job, sizeof(n->last_job));
		n->last_scheduled = o->last_scheduled;
		/* A job or round in flight carries over while the check runs
		 * from the same pools: its answers are still the check's. A
		 * check with other pools starts afresh, and an answer of the
		 * old run is a late one. */
		if (check_same_locations(o, n)) {
			struct location *locs = n->locs;

			memcpy(n->inflight, o->inflight, sizeof(n->inflight));
			n->inflight_scheduled = o->inflight_scheduled;
			n->inflight_published = o->inflight_published;
			n->late_since = o->late_since;
			/* Pool for pool: each location's job in flight, its last
			 * job and result (o is freed below). */
			n->locs = o->locs;
			o->locs = locs;
		}
		if (strcmp(o->config_hash, n->config_hash) == 0 || n->inflight[0] != '\0') {
			/* Unchanged: its place in the schedule is kept (no herd);
			 * a job in flight keeps its deadline. */
			if (o->heap_idx != SIZE_MAX || o->held)
				n->due = o->due;
			kept++;
		} else
			changed++;	/* the new interval applies at once */
	}
	removed = e->checks.n - kept - changed;
	/* Held checks are freed below: the new ones go back into the heap at
	 * their due time, and are held again in due order. */
	flow_drop_held(&e->flow, util_now());
	sched_clear(&e->sched);
	check_table_clear(&e->checks);
	e->checks = *nt;
	free(nt);
	for (size_t i = 0; i < e->checks.n; i++)
		if (e->checks.v[i]->active)
			sched_set(&e->sched, e->checks.v[i], e->checks.v[i]->due);
	alert_reload(&e->alert, b->sync_cfg, &e->checks, util_now());
	config_free(e->cfg);
	e->cfg = b->sync_cfg;
	b->sync_cfg = NULL;
	log_info("reloaded checks=%zu kept=%zu changed=%zu added=%zu removed=%zu",
	    e->checks.n, kept, changed, added, removed);
	count_pool_checks(e);
	flow_recount(e);
	/* Persist the schedule, so that it survives a restart too. */
	sb = xcalloc(1, sizeof(*sb));
	sb->schedule = schedule_json(e);
	db_submit(e->db, sb);
	/* The old checks and config, and the new config's transient parse
	 * tree: after the schedule's JSON was made, or its growth takes
	 * fresh pages beyond the holes just given back. */
	malloc_trim(0);
resume:
	e->reloading = 0;
	e->rearm = 1;
	mq_resume(e->mq);
	if (mq_is_up(e->mq))
		presence_listen(&e->presence, util_now());
}

/* A heartbeat is acked at once: a lost one is replaced by the next. A
 * malformed one is dropped; they come every few seconds, so the log says
 * so at most once a minute, with how many. */
static void
on_heartbeat(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct engine *e = arg;
	struct worker_msg w;
	char err[256];
	double now = util_now();

	mq_ack(e->mq, &m->ref, 0);
	if (msg_worker_decode(m->body, m->len, &w, err, sizeof(err)) < 0) {
		e->hb_refused++;
		if (now - e->hb_refused_logged >= ENGINE_REFUSED_LOG_EVERY) {
			log_warn("heartbeat dropped routing_key=%s reason=\"%s\" bytes=%zu"
			    " dropped=%zu", m->routing_key, err, m->len, e->hb_refused);
			e->hb_refused = 0;
			e->hb_refused_logged = now;
		}
		return;
	}
	presence_heartbeat(&e->presence, &w, now);
	log_presence_events(e);
	msg_worker_clear(&w);
}

static void
on_command(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct engine *e = arg;
	struct command_msg cmd;
	char err[256];

	if (msg_command_decode(m->body, m->len, &cmd, err, sizeof(err)) < 0) {
		char why[320];

		snprintf(why, sizeof(why), "command: %s", err);
		park(e, m, why);
		return;
	}
	if (cmd.kind == COMMAND_RELOAD) {
		mq_ack(e->mq, &m->ref, 0);
		reload_start(e, "command");
	} else if (cmd.kind != COMMAND_UNKNOWN) {
		char msg[512];

		/* Applied or refused, it is in the command log once the batch
		 * commits; the message is acked then. */
		alert_command(&e->alert, &cmd, util_now(), msg, sizeof(msg));
		ack_later(e, &m->ref);
	} else {
		char why[128];

		snprintf(why, sizeof(why), "unknown command \"%.64s\"", cmd.name);
		park(e, m, why);
	}
	msg_command_clear(&cmd);
}

static void
on_dead(struct mq *mq, const struct mq_msg *m, void *arg)
{
	handle_verdict(arg, m, 0);
}

static void
on_unroutable(struct mq *mq, const struct mq_msg *m, void *arg)
{
	handle_verdict(arg, m, 1);
}

static int
on_setup(struct mq *mq, void *arg)
{
	struct engine *e = arg;

	if (topology_declare_engine(mq, e->cfg->prefix) < 0 ||
	    mq_consume(mq, e->q_results, ENGINE_RESULTS_PREFETCH, on_result) < 0 ||
	    mq_consume(mq, e->q_dead, ENGINE_VERDICT_PREFETCH, on_dead) < 0 ||
	    mq_consume(mq, e->q_unroutable, ENGINE_VERDICT_PREFETCH, on_unroutable) < 0 ||
	    mq_consume(mq, e->q_commands, 16, on_command) < 0 ||
	    mq_consume(mq, e->q_heartbeats, ENGINE_HEARTBEAT_PREFETCH, on_heartbeat) < 0)
		return -1;
	e->rearm = 1;
	/* After a reconnect, jobs in flight may be gone with the broker (they
	 * are transient): send them again under the same id. A worker that
	 * still had one runs it twice; the engine drops the second result. */
	if (mq_generation(mq) > 1) {
		double now = util_now();
		size_t again = 0;

		for (size_t i = 0; i < e->checks.n; i++) {
			struct check *c = e->checks.v[i];

			if (c->inflight[0] != '\0' && publish_job(e, c, now, 1) == 0)
				again++;
		}
		if (again > 0)
			log_info("jobs in flight published again after reconnect count=%zu", again);
	}
	/* A publish above may have lost the link again: then this setup
	 * failed (mq retries) and no heartbeat can be heard. */
	if (!mq_is_up(mq))
		return -1;
	if (!e->reloading)	/* else deliveries wait: reload_done() listens */
		presence_listen(&e->presence, util_now());
	/* Whatever the outbox holds (from before a restart or a reconnect)
	 * goes out again. */
	e->ob_rewind = 1;
	flush_start(e);
	return 0;
}

static void
on_down(struct mq *mq, void *arg)
{
	struct engine *e = arg;

	/* Unacked results return to the queue and come again; what was
	 * already applied is recognised by its job id. Unconfirmed events
	 * stay in the outbox and go out again after the reconnect. */
	e->ob_nwait = 0;
	presence_deaf(&e->presence, util_now());
}

/* Count the jobs in flight per pool again from the checks, and take each
 * pool's capacity from presence. The counts are kept as jobs go out and
 * answers come in; this makes them the truth again whatever path was
 * missed (a reload, a reconnect). */
static void
flow_recount(struct engine *e)
{
	for (size_t i = 0; i < e->flow.npools; i++)
		e->flow.pools[i]->inflight = 0;
	for (size_t i = 0; i < e->checks.n; i++) {
		struct check *c = e->checks.v[i];

		if (c->nlocs == 0) {
			if (c->inflight[0] != '\0')
				check_flow(e, c)->inflight++;
			continue;
		}
		for (size_t k = 0; k < c->nlocs; k++)
			if (c->locs[k].inflight[0] != '\0')
				location_flow(e, &c->locs[k])->inflight++;
	}
	for (size_t i = 0; i < e->flow.npools; i++) {
		struct flow_pool *fp = e->flow.pools[i];
		const struct presence_pool *pp = presence_pool_find(&e->presence, fp->name);

		/* Only a pool with live workers has a capacity: jobs to one
		 * without must expire (UNKNOWN "no worker"), not wait here. */
		fp->capacity = pp != NULL && pp->state == PRESENCE_OK ? pp->capacity : 0;
		if (fp->nheld > 0 && flow_has_room(fp))
			e->flow_release = 1;
	}
}

/* Once a second: the counts, the overload judgement, what it logs and
 * what the pools table shows. */
static void
flow_cron(struct engine *e, double now)
{
	flow_recount(e);
	flow_tick(&e->flow, now);
	for (size_t i = 0; i < e->flow.nevents; i++) {
		const struct flow_event *ev = &e->flow.events[i];
		const struct flow_pool *fp = flow_pool_find(&e->flow, ev->pool);

		if (ev->type == FLOW_POOL_OVERLOADED)
			log_warn("pool overloaded pool=%s capacity=%zu held=%zu oldest_wait=%.1f:"
			    " its checks run late, oldest first; none is made UNKNOWN for it",
			    ev->pool, fp->capacity, ev->held, ev->wait);
		else
			log_info("pool keeps up again pool=%s overloaded_for=%.0f late_expired=%llu",
			    ev->pool, ev->wait, (unsigned long long)fp->late_total);
	}
	for (size_t i = 0; i < e->flow.npools; i++) {
		const struct flow_pool *fp = e->flow.pools[i];

		presence_set_flow(&e->presence, fp->name, fp->overloaded, fp->overloaded_since,
		    fp->inflight, fp->nheld, flow_oldest_wait(fp, now), fp->late_total);
	}
}

/* One job of c to pool under id, for the run scheduled at scheduled: 0,
 * or -1 if the broker is not reachable now. */
static int
send_job(struct engine *e, const struct check *c, const char *pool, const char *id,
    double scheduled, double now)
{
	struct job j;
	struct mq_publish p = { 0 };
	char rk[300], expiration[32];
	char *body;
	size_t len;
	int rc;

	memset(&j, 0, sizeof(j));
	memcpy(j.id, id, sizeof(j.id));
	j.check_id = c->id;
	j.host = c->host;
	j.service = c->service;
	j.pool = (char *)pool;
	j.argv = c->argv;
	j.argc = c->argc;
	j.timeout = c->timeout;
	j.timeout_state = c->timeout_state;
	j.scheduled = scheduled;
	/* Waiting longer than one interval makes the run pointless. */
	j.deadline = now + c->interval;
	body = msg_job_encode(&j, &len);
	snprintf(rk, sizeof(rk), "%s.%lld", pool, (long long)c->id);
	snprintf(expiration, sizeof(expiration), "%lld", (long long)c->interval * 1000);
	p.expiration_ms = expiration;
	p.message_id = j.id;
	rc = mq_publish(e->mq, e->x_jobs, rk, body, len, &p, NULL);
	free(body);
	return rc < 0 ? -1 : 0;
}

/* The run in flight was published (again) at now: it is orphaned if no
 * answer comes by its deadline. */
static void
inflight_published(struct engine *e, struct check *c, double now)
{
	c->inflight_published = now;
	sched_set(&e->sched, c, now + c->interval + c->timeout + ENGINE_ORPHAN_GRACE);
}

/* A multi-location check's round: one job per location, all for the
 * scheduled time, each with its own id. Once the first is out the round
 * is in flight: a location whose job the broker did not take (the link
 * went) is published by on_setup() after the reconnect. again: the
 * locations that have not answered, once more under their ids. */
static int
publish_round(struct engine *e, struct check *c, double now, int again)
{
	double scheduled = again ? c->inflight_scheduled : c->due;
	size_t sent = 0;

	if (!again)
		for (size_t i = 0; i < c->nlocs; i++)
			util_random_id(c->locs[i].inflight);
	for (size_t i = 0; i < c->nlocs; i++) {
		struct location *l = &c->locs[i];

		if (l->inflight[0] == '\0')
			continue;
		if (send_job(e, c, l->pool, l->inflight, scheduled, now) < 0)
			break;
		sent++;
	}
	if (sent == 0) {
		if (!again)
			for (size_t i = 0; i < c->nlocs; i++)
				c->locs[i].inflight[0] = '\0';
		return -1;
	}
	if (!again) {
		util_random_id(c->inflight);
		c->inflight_scheduled = scheduled;
	}
	inflight_published(e, c, now);
	return 0;
}

/* The job of c: published, or -1 if the broker is not reachable now.
 * again: publish the job in flight once more, same id and schedule. */
static int
publish_job(struct engine *e, struct check *c, double now, int again)
{
	char id[UTIL_ID_LEN + 1];
	double scheduled = again ? c->inflight_scheduled : c->due;

	if (c->nlocs > 0) {
		if (publish_round(e, c, now, again) < 0)
			return -1;
	} else {
		if (again)
			memcpy(id, c->inflight, sizeof(id));
		else
			util_random_id(id);
		if (send_job(e, c, c->pool, id, scheduled, now) < 0)
			return -1;
		memcpy(c->inflight, id, sizeof(c->inflight));
		c->inflight_scheduled = scheduled;
		inflight_published(e, c, now);
	}
	if (!again)
		flow_published(e, c);
	return 0;
}

/* No result and no verdict long past the deadline: say so, move on. A
 * multi-location check: every location that has not answered gets its
 * UNKNOWN, and the round is decided. */
static void
orphan(struct engine *e, struct check *c, double now)
{
	struct result_msg r;
	char text[300];

	/* While the broker link is down, or results wait for a database that
	 * is behind, their absence says nothing about the workers: wait. */
	if (!mq_is_up(e->mq) || db_pending(e->db) > 2) {
		sched_set(&e->sched, c, now + 5.0);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.status = STATUS_UNKNOWN;
	r.output = text;
	r.scheduled = c->inflight_scheduled;
	r.start = r.end = now;
	r.exit_code = -1;
	for (size_t i = 0; i < c->nlocs; i++) {
		struct location *l = &c->locs[i];

		if (l->inflight[0] == '\0')
			continue;
		snprintf(text, sizeof(text), "(no result from pool %s within %d s)", l->pool,
		    (int)(now - c->inflight_published));
		log_warn("job orphaned host=%s service=%s pool=%s job=%s", c->host,
		    c->service != NULL ? c->service : "-", l->pool, l->inflight);
		r.pool = l->pool;
		location_record(e, c, l, &r);
		flow_answered(e, location_flow(e, l));
		l->inflight[0] = '\0';
	}
	if (c->nlocs > 0) {
		round_finish(e, c);
		return;
	}
	snprintf(text, sizeof(text), "(no result from pool %s within %d s)", c->pool,
	    (int)(now - c->inflight_published));
	log_warn("job orphaned host=%s service=%s pool=%s job=%s", c->host,
	    c->service != NULL ? c->service : "-", c->pool, c->inflight);
	r.pool = c->pool;
	apply(e, c, &r, 0);
	job_finished(e, c, now);
}

/* c is due now: its job goes out, or it waits for room in its pool, or
 * for its check_period. -1: the broker link went (c is still due). */
static int
run_due(struct engine *e, struct check *c, double now)
{
	struct flow_pool *fp;

	/* Outside its check_period a check does not run: it waits for the
	 * period's next valid time (a little spread, no herd). */
	if (c->check_period != NULL &&
	    !timeperiod_contains(c->check_period, (time_t)now, NULL)) {
		time_t next = timeperiod_next_valid(c->check_period, (time_t)now);
		double spread = c->interval < 5 ? c->interval : 5;

		sched_set(&e->sched, c, (next == (time_t)-1 ? now + 86400 : (double)next) +
		    util_random_unit() * spread);
		return 0;
	}
	if ((fp = flow_full(e, c)) != NULL) {
		sched_remove(&e->sched, c);
		c->held = 1;
		flow_hold(fp, c, now);
		return 0;
	}
	return publish_job(e, c, now, 0);
}

static void
sched_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;
	double now = util_now();
	struct check *c;
	int n = 0;

	if (e->reloading)
		return;	/* the checks are being replaced; rearmed after */
	if (!mq_is_up(e->mq))
		return;	/* nothing can be published: on_setup() rearms */

	while ((c = sched_peek(&e->sched)) != NULL && c->due <= now && n++ < ENGINE_SCHED_BURST) {
		if (c->inflight[0] != '\0') {
			orphan(e, c, now);
			continue;
		}
		if (run_due(e, c, now) < 0) {
			/* The link just went: on_setup() rearms after the
			 * reconnect, and overdue checks go first. */
			return;
		}
	}
	e->rearm = 1;
}

/* Answers made room: the oldest held checks of each pool go out. */
static void
flow_release(struct engine *e)
{
	double now = util_now();

	e->flow_release = 0;
	for (size_t i = 0; i < e->flow.npools; i++) {
		struct flow_pool *fp = e->flow.pools[i];

		while (fp->nheld > 0 && flow_has_room(fp)) {
			struct check *c = flow_unhold(fp, now, NULL);

			c->held = 0;
			if (run_due(e, c, now) < 0) {
				/* The link went: due again, first in line */
				sched_set(&e->sched, c, c->due);
				e->rearm = 1;
				return;
			}
		}
	}
}

/* Before the loop sleeps: point the timer at the earliest due check. */
static void
prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct engine *e = w->data;
	struct check *c;
	double after;

	if (e->flow_release && !e->stopping && !e->reloading && mq_is_up(e->mq))
		flow_release(e);
	if (!e->rearm || e->stopping || e->reloading || !mq_is_up(e->mq))
		return;
	e->rearm = 0;
	ev_timer_stop(loop, &e->sched_timer);
	c = sched_peek(&e->sched);
	if (c == NULL)
		return;
	after = c->due - util_now();
	ev_timer_set(&e->sched_timer, after > 0 ? after : 0., 0.);
	ev_timer_start(loop, &e->sched_timer);
}

static void
engine_stop(struct daemon *d)
{
	struct engine *e = d->state;

	log_info("stopping signal=%d pending_batches=%zu", d->stop_signal, db_pending(e->db));
	e->stopping = 1;
	ev_timer_stop(e->loop, &e->sched_timer);
	flush(e);
	ev_break(e->loop, EVBREAK_ALL);
}

static void
engine_hup(struct daemon *d)
{
	reload_start(d->state, "SIGHUP");
}

/* Once a second: worker presence, and freshness: a check with no result
 * for its threshold goes to its stale state. Passive-only checks always have a threshold
 * (default interval + 15 s); active ones when the config sets one (their
 * silence is otherwise the orphan rule's). Counted from the engine's start
 * for a check that never had a result. */
static void
cron_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;
	double now = util_now();

	/* Workers silent too long are lost (deaf: nothing expires); what
	 * changed goes with the next batch, at most once a second. */
	presence_tick(&e->presence, now);
	log_presence_events(e);
	if (!e->reloading)
		flow_cron(e, now);
	if (e->presence.dirty) {
		free(e->presence_snapshot);
		e->presence_snapshot = presence_snapshot_json(&e->presence);
		e->presence.dirty = 0;
		flush_start(e);
	}
	if (!e->reloading) {
		alert_tick(&e->alert, now);
		if (alert_pending(&e->alert))
			flush_start(e);	/* a digest, a downtime that expired */
	}
	if (e->reloading || !mq_is_up(e->mq))
		return;	/* a silent broker is not a silent check */
	for (size_t i = 0; i < e->checks.n; i++) {
		struct check *c = e->checks.v[i];
		int threshold = c->freshness_threshold > 0 ? c->freshness_threshold :
		    c->active ? 0 : c->interval + 15;
		double last = c->st.last_check > e->started ? c->st.last_check : e->started;
		struct result_msg r;
		char text[256];

		if (threshold == 0 || now - last <= threshold || c->inflight[0] != '\0')
			continue;
		snprintf(text, sizeof(text), "(no result for %.0f s: stale, the freshness threshold is %d s)",
		    now - (c->st.last_check > 0 ? c->st.last_check : e->started), threshold);
		log_warn("check stale host=%s service=%s seconds=%.0f threshold=%d", c->host,
		    c->service != NULL ? c->service : "-", now - last, threshold);
		memset(&r, 0, sizeof(r));
		r.status = c->stale_state;
		r.output = text;
		r.start = r.end = now;
		r.exit_code = -1;
		apply(e, c, &r, 0);
	}
}

static void
maintenance_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;

	e->maintenance_due = 1;
	flush_start(e);
}

/* A stop asked while waiting on standby (before libev owns the signals). */
static volatile int stop_requested;

static void
standby_stop(int sig)
{
	stop_requested = 1;
}

static PGconn *
connect_until_up(const struct config *cfg)
{
	struct backoff backoff = BACKOFF_INIT(0.5, 30.);
	int logged = 0;
	char err[1024];

	for (;;) {
		PGconn *pc = pg_connect(cfg->pg_conninfo, cfg->prefix, err, sizeof(err));

		if (pc != NULL)
			return pc;
		if (!logged)
			log_warn("postgres unreachable at start reason=\"%s\" action=retry", err);
		logged = 1;
		backoff_sleep(&backoff);
	}
}

static int
engine_start(struct daemon *d)
{
	static const struct mq_handlers h = { on_setup, NULL, on_confirm, on_down };
	const struct engine_opts *opts = d->arg;
	struct engine *e;
	PGconn *pc;
	char err[1024];
	int applied;

	if (opts->check_config) {
		printf("configuration OK: %zu hosts, %zu checks, %zu commands\n",
		    d->cfg->nhosts, d->cfg->nchecks, d->cfg->ncommands);
		return 0;
	}
	e = xcalloc(1, sizeof(*e));
	d->state = e;
	e->d = d;
	e->loop = d->loop;
	e->cfg = d->cfg;	/* ours now: a reload swaps it */
	d->cfg = NULL;
	e->config_path = d->config_path;

	/* Before the loop: blocking is fine here. First the lead; the
	 * skeleton takes the signals over once we return. */
	signal(SIGTERM, standby_stop);
	signal(SIGINT, standby_stop);
	signal(SIGHUP, SIG_IGN);	/* no config to reload before leading */
	e->leader = leader_acquire(e->cfg, &stop_requested);
	if (e->leader == NULL) {
		log_info("stopped while on standby");
		config_free(e->cfg);
		free(e);
		d->state = NULL;
		return 0;
	}
	pc = connect_until_up(e->cfg);
	applied = migrate_apply(pc, e->cfg->schema_dir, err, sizeof(err));
	if (applied < 0)
		log_fatal("schema migration failed: %s", err);
	if (sync_config(pc, e->cfg, &e->checks, util_now(), err, sizeof(err)) < 0)
		log_fatal("config sync to postgres failed: %s", err);
	alert_init(&e->alert, e->cfg, &e->checks, alert_touch, e);
	if (alert_load(&e->alert, pc, err, sizeof(err)) < 0)
		log_fatal("loading downtimes and held notifications failed: %s", err);
	PQfinish(pc);
	/* The config load's transient YAML parse tree leaves the heap full
	 * of free holes: give them back, or they stay in RSS for the
	 * process's life. */
	malloc_trim(0);
	log_info("started prefix=%s checks=%zu migrations_applied=%d", e->cfg->prefix,
	    e->checks.n, applied);

	sched_init(&e->sched);
	for (size_t i = 0; i < e->checks.n; i++)
		if (e->checks.v[i]->active)
			sched_set(&e->sched, e->checks.v[i], e->checks.v[i]->due);
	e->batch_gen = 1;

	topology_name(e->x_jobs, sizeof(e->x_jobs), e->cfg->prefix, "jobs");
	topology_name(e->x_events, sizeof(e->x_events), e->cfg->prefix, "events");
	topology_name(e->q_results, sizeof(e->q_results), e->cfg->prefix, "results");
	topology_name(e->q_dead, sizeof(e->q_dead), e->cfg->prefix, "jobs.dead");
	topology_name(e->q_unroutable, sizeof(e->q_unroutable), e->cfg->prefix, "jobs.unroutable");
	topology_name(e->q_commands, sizeof(e->q_commands), e->cfg->prefix, "commands");
	topology_name(e->q_heartbeats, sizeof(e->q_heartbeats), e->cfg->prefix, "heartbeats");
	presence_init(&e->presence, PRESENCE_WINDOW);
	flow_init(&e->flow);
	count_pool_checks(e);

	e->db = db_new(e->loop, e->cfg->pg_conninfo, e->cfg->prefix, batch_done, e);
	e->mq = mq_new(e->loop, e->cfg->amqp_url, "engine", &h, e);
	ev_timer_init(&e->sched_timer, sched_cb, 0., 0.);
	e->sched_timer.data = e;
	ev_timer_init(&e->flush_timer, flush_cb, ENGINE_BATCH_DELAY, 0.);
	e->flush_timer.data = e;
	e->started = util_now();
	ev_timer_init(&e->cron, cron_cb, 1., 1.);
	e->cron.data = e;
	ev_timer_start(e->loop, &e->cron);
	/* Partitions for the next days and the retention: now and hourly. */
	ev_timer_init(&e->maintenance, maintenance_cb, 0., 3600.);
	e->maintenance.data = e;
	ev_timer_start(e->loop, &e->maintenance);
	ev_prepare_init(&e->prepare, prepare_cb);
	e->prepare.data = e;
	ev_prepare_start(e->loop, &e->prepare);
	e->rearm = 1;
	leader_watch(e->leader, e->loop, d->argv);
	mq_start(e->mq);
	return DAEMON_RUN;
}

static void
engine_teardown(struct daemon *d)
{
	struct engine *e = d->state;

	/* Commit what was applied and ack it while the broker link is up, and
	 * leave the schedule behind for the next start. */
	{
		struct db_batch *sb = xcalloc(1, sizeof(*sb));

		sb->schedule = schedule_json(e);
		db_submit(e->db, sb);
	}
	db_free(e->db);
	mq_free(e->mq);
	ev_prepare_stop(e->loop, &e->prepare);
	ev_timer_stop(e->loop, &e->flush_timer);
	ev_timer_stop(e->loop, &e->maintenance);
	ev_timer_stop(e->loop, &e->cron);
	for (size_t i = 0; i < e->nrows; i++)
		row_clear(&e->rows[i]);
	free(e->rows);
	free(e->locrows);
	free(e->acks);
	free(e->ob_wait);
	free(e->ob_confirmed);
	free(e->presence_snapshot);
	presence_clear(&e->presence);
	flow_clear(&e->flow);
	strbuf_clear(&e->hist);
	strbuf_clear(&e->flaps);
	strbuf_clear(&e->perf);
	sched_clear(&e->sched);
	alert_clear(&e->alert);
	check_table_clear(&e->checks);
	config_free(e->cfg);
	leader_free(e->leader);	/* last: a standby may take over now */
	free(e);
	d->state = NULL;
}

static int
opt_check_config(void *arg, const char *v, char *err, size_t errlen)
{
	((struct engine_opts *)arg)->check_config = 1;
	return 0;
}

static const struct daemon_option engine_options[] = {
	{ "check-config", 256 + 10, NULL, "validate the configuration, print its errors, exit",
	  opt_check_config },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct daemon_service engine_service = {
	.name = "vigil-engine",
	.purpose = "The scheduler and state keeper of vigil.",
	.config_flags = 0,
	.options = engine_options,
	.start = engine_start,
	.stop = engine_stop,
	.hup = engine_hup,
	.teardown = engine_teardown,
};
