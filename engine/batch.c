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
	    ob->metrics != NULL || ob->handlers.len > 0 || ob->handler_ends.len > 0 ||
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
	strbuf_clear(&ob->seen);
	strbuf_clear(&ob->handlers);
	strbuf_clear(&ob->handler_ends);
	free(ob->confirmed);
	free(ob->presence);
	free(ob->metrics);
	memset(ob, 0, sizeof(*ob));
}

/* ob's rows as the JSON array state_rows takes, and as the live
 * message's array into *live; each row cleared. */
static char *
rows_json(struct open_batch *ob, char **live)
{
	struct strbuf rows = { 0 }, lv = { 0 };
	const struct check *sup;
	double now = util_now();

	/* Room for rows of typical size at once, not a dozen reallocs. */
	xgrow((void **)&rows.s, &rows.cap, ob->nrows * 512 + 3, 1);
	xgrow((void **)&lv.s, &lv.cap, ob->nrows * 256 + 3, 1);
	strbuf_add(&rows, "[", 1);
	strbuf_add(&lv, "[", 1);
	for (size_t i = 0; i < ob->nrows; i++) {
		if (i > 0) {
			strbuf_add(&rows, ",", 1);
			strbuf_add(&lv, ",", 1);
		}
		/* the dependencies' verdict as written, kept to notice when
		 * a master's change turns it */
		sup = depend_suppressor(ob->rows[i].c, now);
		ob->rows[i].c->dep_suppressed = sup != NULL;
		rows_state(&rows, &ob->rows[i], sup);
		rows_live(&lv, &ob->rows[i]);
		batch_row_clear(&ob->rows[i]);
	}
	strbuf_add(&rows, "]", 1);
	strbuf_add(&lv, "]", 1);
	ob->nrows = 0;
	*live = lv.s;
	return rows.s;
}

/* ob's history, flapping, perfdata items and event handler runs as one
 * JSON object, or NULL. */
static char *
history_json(const struct open_batch *ob)
{
	struct strbuf h = { 0 };

	if (ob->hist.len == 0 && ob->flaps.len == 0 && ob->perf.len == 0 && ob->seen.len == 0 &&
	    ob->handlers.len == 0 && ob->handler_ends.len == 0)
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
	strbuf_adds(&h, "],\"seen\":[");
	if (ob->seen.len > 0)
		strbuf_add(&h, ob->seen.s, ob->seen.len);
	strbuf_adds(&h, "],\"handlers\":[");
	if (ob->handlers.len > 0)
		strbuf_add(&h, ob->handlers.s, ob->handlers.len);
	strbuf_adds(&h, "],\"handler_ends\":[");
	if (ob->handler_ends.len > 0)
		strbuf_add(&h, ob->handler_ends.s, ob->handler_ends.len);
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
		b->passive_seen_keep = ENGINE_PASSIVE_SEEN;
	}
	b->confirmed = ob.confirmed;
	b->nconfirmed = ob.nconfirmed;
	ob.confirmed = NULL;
	b->rewind = ob.rewind;
	b->presence = ob.presence;
	ob.presence = NULL;
	if (ob.metrics != NULL) {
		b->metrics = ob.metrics;
		ob.metrics = NULL;
		snprintf(b->metrics_identity, sizeof(b->metrics_identity), "%s", e->d->identity);
		b->metrics_started = e->started;
	}
	b->nrows = ob.nrows;
	b->state_rows = rows_json(&ob, &b->live);
	if (ob.nlocrows > 0) {
		struct strbuf locs = { 0 };

		strbuf_add(&locs, "[", 1);
		for (size_t i = 0; i < ob.nlocrows; i++) {
			if (i > 0)
				strbuf_add(&locs, ",", 1);
			rows_location(&locs, &ob.locrows[i]);
		}
		strbuf_add(&locs, "]", 1);
		b->locations = locs.s;
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
	e->batch.seen = ob.seen;
	e->batch.handlers = ob.handlers;
	e->batch.handler_ends = ob.handler_ends;
	e->batch.hist.len = e->batch.flaps.len = e->batch.perf.len = e->batch.seen.len = 0;
	e->batch.handlers.len = e->batch.handler_ends.len = 0;
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

/*
 * The rows the batch committed, for live views (vigil-web): one transient
 * message {"v":1, "type":"checks", "live":N, "checks":[…]} (routing key
 * "checks") on the events exchange. N counts the batches that wrote rows
 * (event_position.live, moved in the batch's transaction), so a reader
 * of a snapshot with N in it knows which of these messages are older.
 * Not kept in the outbox: a lost one costs a dashboard a stale row until
 * the check's next change or the next snapshot, never a result.
 */
static void
publish_live(struct engine *e, const struct db_batch *b)
{
	struct mq_publish p = { 0 };
	struct strbuf m = { 0 };

	if (b->live == NULL || b->live_seq <= 0)
		return;
	strbuf_adds(&m, "{\"v\":1,\"type\":\"checks\",\"live\":");
	jsonw_int(&m, b->live_seq);
	strbuf_adds(&m, ",\"checks\":");
	strbuf_adds(&m, b->live);
	strbuf_add(&m, "}", 1);
	if (mq_publish(e->mq, e->x_events, "checks", m.s, m.len, &p, NULL) < 0)
		log_debug("live rows not published (broker down) live=%lld", b->live_seq);
	strbuf_clear(&m);
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
	e->metrics.batches++;
	e->metrics.batch_rows += b->nrows;
	metrics_observe(&e->metrics.commit, ev_now(e->loop) - b->submitted);
	batch_acks_top(b->acks, b->nacks, top);
	for (int ch = 0; ch < ENGINE_MAX_CHANNELS; ch++)
		if (top[ch].tag != 0)
			mq_ack(e->mq, &top[ch], 1);	/* an old generation is skipped */
	log_debug("batch committed rows=%zu acks=%zu groups_touched=%zu groups_changed=%zu"
	    " events=%zu ms=%.1f", b->nrows, b->nacks, b->groups_touched, b->groups_changed,
	    b->nevents, (ev_now(e->loop) - b->submitted) * 1000);
	if (!e->stopping) {	/* no confirms are read any more: next start */
		publish_events(e, b);
		publish_live(e, b);
	}
	db_batch_free(b);
	if (batch_pending(e))
		batch_flush_start(e);	/* what waited for this batch to come back */
}

void
batch_ack_later(struct engine *e, const struct mq_ref *ref)
{
	xgrow((void **)&e->batch.acks, &e->batch.capacks, e->batch.nacks + 1, sizeof(*e->batch.acks));
	e->batch.acks[e->batch.nacks++] = *ref;
	/* A full batch goes now, with this ack in it: the ack of the result
	 * that filled it must not wait for the next batch (a transaction of
	 * its own, and a place in the database's queue, for one ack). */
	if (e->batch.nrows >= ENGINE_BATCH_ROWS || e->batch.nlocrows >= ENGINE_BATCH_ROWS)
		batch_flush_now(e);
	else
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
