/*
 * NAME
 *	batch - the engine's open batch and its outbox: rows, acks, events
 * DESCRIPTION
 *	Results are applied to the in-memory state at once (apply.c) and
 *	collected here into the open batch: one row per check (a check seen
 *	twice in a batch keeps its newest state and counts both results). The
 *	batch goes to the database thread (db.c) when it holds
 *	ENGINE_BATCH_ROWS rows or ENGINE_BATCH_DELAY after its first entry;
 *	the deliveries it carries are acked when it comes back committed, with
 *	one multiple-ack per channel (tags on a channel grow, and batches
 *	commit in order, so everything up to the batch's highest tag is
 *	durable). Events the database wrote to the outbox come back with the
 *	batch and are published (persistent, confirmed); confirmed ones are
 *	deleted by the next batch.
 * DIAGNOSTICS
 *	A batch the database refuses is retried, then quarantined (db.c).
 */
#include "engine_private.h"

/* When c runs next as check_state.next_check shows it: its run in flight,
 * its place in the schedule, or when it fell due while it waits for room;
 * 0: not scheduled. */
double
batch_next_run(const struct check *c)
{
	switch (c->job) {
	case CHECK_JOB_INFLIGHT:
		return c->inflight_scheduled;
	case CHECK_JOB_SCHEDULED:
	case CHECK_JOB_HELD:
		return c->due;
	default:
		return 0;
	}
}

void
batch_row_clear(struct row *r)
{
	free(r->output);
	free(r->long_output);
	free(r->perfdata);
	free(r->pool);
	free(r->worker);
	memset(r, 0, sizeof(*r));
}

void
batch_flush_start(struct engine *e)
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
void
batch_state_json(struct strbuf *b, int state)
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
	double next = batch_next_run(c);

	strbuf_adds(b, "{\"check_id\":");
	jsonw_int(b, c->id);
	strbuf_adds(b, ",\"state\":");
	batch_state_json(b, st->state);
	strbuf_adds(b, ",\"state_type\":");
	jsonw_int(b, st->state_type);
	strbuf_adds(b, ",\"attempt\":");
	jsonw_int(b, st->attempt);
	strbuf_adds(b, ",\"last_hard_state\":");
	batch_state_json(b, st->last_hard_state);
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
	batch_state_json(b, st->debounce_state);
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
struct strbuf *
batch_item_start(struct strbuf *b)
{
	if (b->len > 0)
		strbuf_add(b, ",", 1);
	return b;
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

/* The open batch has something for the database: rows, acks, outbox
 * work, maintenance, a presence snapshot, alerts. The one test of it:
 * batch_flush() sends nothing without it, and batch_done() flushes again
 * with it (what waited while the database was behind). */
static int
batch_pending(const struct engine *e)
{
	const struct open_batch *ob = &e->batch;

	return ob->nrows > 0 || ob->nlocrows > 0 || ob->nacks > 0 || ob->nconfirmed > 0 ||
	    ob->rewind || ob->poll || ob->maintenance || ob->presence != NULL ||
	    alert_pending(&e->alert);
}

void
batch_clear(struct open_batch *ob)
{
	for (size_t i = 0; i < ob->nrows; i++)
		batch_row_clear(&ob->rows[i]);
	free(ob->rows);
	free(ob->locrows);
	free(ob->acks);
	strbuf_clear(&ob->hist);
	strbuf_clear(&ob->flaps);
	strbuf_clear(&ob->perf);
	free(ob->confirmed);
	free(ob->presence);
	memset(ob, 0, sizeof(*ob));
}

/* ob's rows as the JSON array state_rows takes; each row cleared. */
static char *
rows_json(struct open_batch *ob)
{
	struct strbuf rows = { 0 };

	/* Room for rows of typical size at once, not a dozen reallocs. */
	xgrow((void **)&rows.s, &rows.cap, ob->nrows * 512 + 3, 1);
	strbuf_add(&rows, "[", 1);
	for (size_t i = 0; i < ob->nrows; i++) {
		if (i > 0)
			strbuf_add(&rows, ",", 1);
		row_json(&rows, &ob->rows[i]);
		batch_row_clear(&ob->rows[i]);
	}
	strbuf_add(&rows, "]", 1);
	ob->nrows = 0;
	return rows.s;
}

/* ob's history, flapping and perfdata items as one JSON object, or NULL. */
static char *
history_json(const struct open_batch *ob)
{
	struct strbuf h = { 0 };

	if (ob->hist.len == 0 && ob->flaps.len == 0 && ob->perf.len == 0)
		return NULL;
	strbuf_adds(&h, "{\"history\":[");
	if (ob->hist.len > 0)
		strbuf_add(&h, ob->hist.s, ob->hist.len);
	strbuf_adds(&h, "],\"flaps\":[");
	if (ob->flaps.len > 0)
		strbuf_add(&h, ob->flaps.s, ob->flaps.len);
	strbuf_adds(&h, "],\"perf\":[");
	if (ob->perf.len > 0)
		strbuf_add(&h, ob->perf.s, ob->perf.len);
	strbuf_adds(&h, "]}");
	return h.s;
}

/* Hand the open batch to the database thread (unless it is behind and
 * force is 0: then it waits for batch_done()). */
void
batch_flush(struct engine *e, int force)
{
	struct open_batch ob;
	struct db_batch *b;

	ev_timer_stop(e->loop, &e->flush_timer);
	if (!batch_pending(e))
		return;
	/* The database is behind (slow or down): keep filling this batch
	 * rather than queueing hundreds of small transactions; batch_done()
	 * flushes when one comes back. Results of one check merge into one
	 * row, and the results prefetch bounds the acks. */
	if (!force && db_pending(e->db) >= ENGINE_BATCHES_IN_FLIGHT && !e->stopping &&
	    !e->reloading)
		return;
	/* Taken whole: the next one starts empty, with a new generation. */
	ob = e->batch;
	memset(&e->batch, 0, sizeof(e->batch));
	e->batch.gen = ob.gen + 1;

	b = xcalloc(1, sizeof(*b));
	if (ob.maintenance) {
		b->maintenance = 1;
		b->retention_perfdata = e->cfg->retention_perfdata;
		b->retention_history = e->cfg->retention_history;
	}
	b->confirmed = ob.confirmed;
	b->nconfirmed = ob.nconfirmed;
	ob.confirmed = NULL;
	b->rewind = ob.rewind;
	b->presence = ob.presence;
	ob.presence = NULL;
	b->nrows = ob.nrows;
	b->state_rows = rows_json(&ob);
	if (ob.nlocrows > 0) {
		/* Multi-location rows: a rarer path, built with jansson. */
		json_t *arr = json_array();

		for (size_t i = 0; i < ob.nlocrows; i++)
			json_array_append_new(arr, locrow_json(&ob.locrows[i]));
		b->locations = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		ob.nlocrows = 0;
	}
	b->history = history_json(&ob);
	b->notify = alert_take(&e->alert);
	b->acks = ob.acks;
	b->nacks = ob.nacks;
	ob.acks = NULL;
	/* The next batch reuses the row arrays and buffers, emptied above. */
	e->batch.rows = ob.rows;
	e->batch.caprows = ob.caprows;
	e->batch.locrows = ob.locrows;
	e->batch.caplocrows = ob.caplocrows;
	e->batch.hist = ob.hist;
	e->batch.flaps = ob.flaps;
	e->batch.perf = ob.perf;
	e->batch.hist.len = e->batch.flaps.len = e->batch.perf.len = 0;
	db_submit(e->db, b);
}

void
batch_flush_now(struct engine *e)
{
	batch_flush(e, 0);
}

void
batch_flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	batch_flush_now(w->data);
}

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
			/* Down: they stay in the outbox, and the reconnect's
			 * setup rewinds it (engine.c on_setup). Not rewinding
			 * here: a batch would come back for them at once and
			 * again, while the broker is away. */
			return;
		}
		xgrow((void **)&e->ob_wait, &e->ob_capwait, e->ob_nwait + 1, sizeof(*e->ob_wait));
		e->ob_wait[e->ob_nwait].seq = seq;
		e->ob_wait[e->ob_nwait++].id = ev->id;
	}
	if (b->more_events) {
		e->batch.poll = 1;
		batch_flush_start(e);
	}
}

void
batch_on_confirm(struct mq *mq, uint64_t seq, int multiple, int nack, void *arg)
{
	struct engine *e = arg;
	size_t i, keep = 0;

	for (i = 0; i < e->ob_nwait; i++) {
		struct outbox_pending *w = &e->ob_wait[i];

		if (multiple ? w->seq <= seq : w->seq == seq) {
			if (nack) {
				e->batch.rewind = 1;	/* publish it again */
				continue;
			}
			xgrow((void **)&e->batch.confirmed, &e->batch.capconfirmed,
			    e->batch.nconfirmed + 1, sizeof(*e->batch.confirmed));
			e->batch.confirmed[e->batch.nconfirmed++] = w->id;
		} else
			e->ob_wait[keep++] = *w;
	}
	e->ob_nwait = keep;
	if (e->batch.nconfirmed > 0 || e->batch.rewind)
		batch_flush_start(e);
}

void
batch_acks_top(const struct mq_ref *acks, size_t n, struct mq_ref top[ENGINE_MAX_CHANNELS])
{
	memset(top, 0, ENGINE_MAX_CHANNELS * sizeof(*top));
	for (size_t i = 0; i < n; i++) {
		const struct mq_ref *r = &acks[i];

		if (r->channel >= ENGINE_MAX_CHANNELS)
			log_panic("delivery on channel %u, beyond the %d this engine tracks",
			    r->channel, ENGINE_MAX_CHANNELS);
		if (top[r->channel].tag == 0 || r->gen > top[r->channel].gen ||
		    (r->gen == top[r->channel].gen && r->tag > top[r->channel].tag))
			top[r->channel] = *r;
	}
}

/* Committed: ack what the batch carried, one multiple-ack per channel. */
void
batch_done(struct db_batch *b, void *arg)
{
	struct engine *e = arg;
	struct mq_ref top[ENGINE_MAX_CHANNELS];

	if (b->sync_cfg != NULL) {
		reload_done(e, b);
		db_batch_free(b);
		return;
	}
	batch_acks_top(b->acks, b->nacks, top);
	for (int ch = 0; ch < ENGINE_MAX_CHANNELS; ch++)
		if (top[ch].tag != 0)
			mq_ack(e->mq, &top[ch], 1);	/* an old generation is skipped */
	log_debug("batch committed rows=%zu acks=%zu groups_touched=%zu groups_changed=%zu"
	    " events=%zu ms=%.1f", b->nrows, b->nacks, b->groups_touched, b->groups_changed,
	    b->nevents, (ev_now(e->loop) - b->submitted) * 1000);
	if (!e->stopping)	/* no confirms are read any more: next start */
		publish_events(e, b);
	db_batch_free(b);
	if (batch_pending(e))
		batch_flush_start(e);	/* what waited for this batch to come back */
}

void
batch_ack_later(struct engine *e, const struct mq_ref *ref)
{
	xgrow((void **)&e->batch.acks, &e->batch.capacks, e->batch.nacks + 1, sizeof(*e->batch.acks));
	e->batch.acks[e->batch.nacks++] = *ref;
	batch_flush_start(e);
}

struct row *
batch_row_for(struct engine *e, struct check *c)
{
	struct row *r;

	if (c->batch_gen == e->batch.gen && c->batch_row < e->batch.nrows &&
	    e->batch.rows[c->batch_row].c == c)
		return &e->batch.rows[c->batch_row];
	xgrow((void **)&e->batch.rows, &e->batch.caprows, e->batch.nrows + 1, sizeof(*e->batch.rows));
	r = &e->batch.rows[e->batch.nrows];
	memset(r, 0, sizeof(*r));
	r->c = c;
	r->exit_code = -1;
	c->batch_gen = e->batch.gen;
	c->batch_row = e->batch.nrows++;
	return r;
}

/* alert.c changed c's flags or notification state: write its row. */
void
batch_touch(void *arg, struct check *c)
{
	struct engine *e = arg;

	batch_row_for(e, c);
	batch_flush_start(e);
}
