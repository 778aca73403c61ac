/*
 * NAME
 *	rows - the rows of the engine's batches, written one way
 * DESCRIPTION
 *	Every row the engine hands PostgreSQL (schema/functions/:
 *	check_state_apply, location_apply, history_apply, presence_apply and
 *	pool_flow_apply, the persisted schedule) is JSON text written
 *	straight into a strbuf with jsonw.h: no tree, no second pass, the
 *	same escaping and number format everywhere. A check's state row, a
 *	location's row, a state change, a flapping start or stop, the
 *	perfdata items of a result, the presence snapshot and the schedule.
 *	The alert module writes its part of a batch (notifications,
 *	deliveries, downtimes, the command log) the same way (alert.c).
 * DIAGNOSTICS
 *	None: strings must be UTF-8 (every string from the broker came
 *	through jansson); allocation failure aborts.
 */
#include "engine_private.h"

#include <time.h>

/* A time of the state, null when there is none (0). */
static void
rows_time(struct strbuf *b, double t)
{
	if (t > 0)
		jsonw_real(b, t);
	else
		strbuf_add(b, "null", 4);
}

/* A state, null while pending. */
void
rows_state_value(struct strbuf *b, int state)
{
	if (state == STATE_PENDING)
		strbuf_add(b, "null", 4);
	else
		jsonw_int(b, state);
}

/* One row of the batch as check_state_apply() reads it (schema/003): text
 * written directly, the hot path of a busy engine. */
void
rows_state(struct strbuf *b, const struct row *r, const struct check *suppressor)
{
	const struct check *c = r->c;
	const struct state *st = &c->st;
	double next = batch_next_run(c);

	strbuf_adds(b, "{\"check_id\":");
	jsonw_int(b, c->id);
	strbuf_adds(b, ",\"state\":");
	rows_state_value(b, st->state);
	strbuf_adds(b, ",\"state_type\":");
	jsonw_int(b, st->state_type);
	strbuf_adds(b, ",\"attempt\":");
	jsonw_int(b, st->attempt);
	strbuf_adds(b, ",\"last_hard_state\":");
	rows_state_value(b, st->last_hard_state);
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
	rows_time(b, st->last_check);
	strbuf_adds(b, ",\"next_check\":");
	rows_time(b, next);
	strbuf_adds(b, ",\"last_state_change\":");
	rows_time(b, st->last_state_change);
	strbuf_adds(b, ",\"last_hard_state_change\":");
	rows_time(b, st->last_hard_state_change);
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
	rows_time(b, c->last_scheduled);
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
	rows_state_value(b, st->debounce_state);
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
	rows_time(b, c->ack_time);
	strbuf_adds(b, ",\"in_downtime\":");
	jsonw_bool(b, c->dt_depth > 0);
	strbuf_adds(b, ",\"notification_number\":");
	jsonw_int(b, c->ns.number);
	strbuf_adds(b, ",\"last_notification\":");
	rows_time(b, c->ns.last_notification);
	strbuf_adds(b, ",\"next_notification\":");
	rows_time(b, c->ns.next_notification);
	strbuf_adds(b, ",\"notified_state\":");
	if (c->ns.notified_state >= 0)
		jsonw_int(b, c->ns.notified_state);
	else
		strbuf_add(b, "null", 4);
	strbuf_adds(b, ",\"notified_esc\":");
	jsonw_int(b, (long long)c->ns.notified_esc);
	strbuf_adds(b, ",\"notified_on\":");
	jsonw_int(b, c->ns.notified_on);
	strbuf_adds(b, ",\"disabled\":");
	jsonw_int(b, c->disabled);
	strbuf_adds(b, ",\"disabled_by\":");
	jsonw_string(b, c->disabled_by);
	strbuf_adds(b, ",\"disabled_comment\":");
	jsonw_string(b, c->disabled_comment);
	strbuf_adds(b, ",\"disabled_at\":");
	rows_time(b, c->disabled_at);
	strbuf_adds(b, ",\"suppressed_by\":");
	if (suppressor != NULL && suppressor->service != NULL) {
		char *name = xasprintf("%s/%s", suppressor->host, suppressor->service);

		jsonw_string(b, name);
		free(name);
	} else if (suppressor != NULL)
		jsonw_string(b, suppressor->host);
	else
		strbuf_add(b, "null", 4);
	strbuf_add(b, "}", 1);
}

/* A time as the API writes it: RFC 3339 UTC to the second, or null. */
static void
rows_api_time(struct strbuf *b, double t)
{
	char buf[32];
	struct tm tm;
	time_t sec = util_time_t(t);

	if (t <= 0) {
		strbuf_add(b, "null", 4);
		return;
	}
	gmtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jsonw_string(b, buf);
}

/*
 * One check of the live message (a "checks" event, batch.c): the row as
 * GET /api/v1/checks shows it, for what a dashboard draws. The result's
 * fields only when the row carries a result (an acknowledgement alone
 * does not: its output is the one shown already).
 */
void
rows_live(struct strbuf *b, const struct row *r)
{
	const struct check *c = r->c;
	const struct state *st = &c->st;
	int is_host = check_is_host(c);

	strbuf_adds(b, "{\"host\":");
	jsonw_string(b, c->host);
	strbuf_adds(b, ",\"service\":");
	jsonw_string(b, c->service);
	strbuf_adds(b, ",\"state\":");
	jsonw_string(b, result_state_name(st->state, is_host));
	strbuf_adds(b, ",\"state_type\":");
	jsonw_string(b, st->state_type == 0 ? "SOFT" : "HARD");
	strbuf_adds(b, ",\"attempt\":");
	jsonw_int(b, st->attempt);
	strbuf_adds(b, ",\"max_attempts\":");
	jsonw_int(b, c->max_attempts);
	if (r->n > 0) {
		strbuf_adds(b, ",\"output\":");
		jsonw_string(b, r->output != NULL ? r->output : "");
		strbuf_adds(b, ",\"latency_ms\":");
		jsonw_real(b, (double)(long long)(r->latency_ms * 10) / 10);
		strbuf_adds(b, ",\"duration_ms\":");
		jsonw_real(b, (double)(long long)(r->duration_ms * 10) / 10);
	}
	strbuf_adds(b, ",\"last_check\":");
	rows_api_time(b, st->last_check);
	strbuf_adds(b, ",\"next_check\":");
	rows_api_time(b, batch_next_run(c));
	strbuf_adds(b, ",\"last_state_change\":");
	rows_api_time(b, st->last_state_change);
	strbuf_adds(b, ",\"acknowledged\":");
	jsonw_bool(b, c->ack != NOTIFY_ACK_NONE);
	strbuf_adds(b, ",\"in_downtime\":");
	jsonw_bool(b, c->dt_depth > 0);
	strbuf_adds(b, ",\"flapping\":");
	jsonw_bool(b, st->flapping);
	strbuf_add(b, "}", 1);
}

/* The next object of a comma-separated list. */
struct strbuf *
rows_item(struct strbuf *b)
{
	if (b->len > 0)
		strbuf_add(b, ",", 1);
	return b;
}

/* A location's row as location_apply() reads it (schema/functions). */
void
rows_location(struct strbuf *b, const struct locrow *lr)
{
	const struct location *l = lr->l;

	strbuf_adds(b, "{\"check_id\":");
	jsonw_int(b, lr->c->id);
	strbuf_adds(b, ",\"pool\":");
	jsonw_string(b, l->pool);
	strbuf_adds(b, ",\"status\":");
	rows_state_value(b, l->status);
	strbuf_adds(b, ",\"output\":");
	jsonw_string(b, l->output != NULL ? l->output : "");
	strbuf_adds(b, ",\"long_output\":");
	jsonw_string(b, l->long_output != NULL ? l->long_output : "");
	strbuf_adds(b, ",\"perfdata\":");
	jsonw_string(b, l->perfdata != NULL ? l->perfdata : "");
	strbuf_adds(b, ",\"last_check\":");
	rows_time(b, l->last_check);
	strbuf_adds(b, ",\"duration_ms\":");
	jsonw_real(b, (l->last_end - l->last_check) * 1000);
	strbuf_adds(b, ",\"worker\":");
	jsonw_string(b, l->worker);
	strbuf_adds(b, ",\"last_job_id\":");
	jsonw_string(b, l->last_job[0] != '\0' ? l->last_job : NULL);
	strbuf_adds(b, ",\"last_scheduled\":");
	rows_time(b, l->last_scheduled);
	strbuf_adds(b, ",\"n\":");
	jsonw_int(b, lr->n);
	strbuf_add(b, "}", 1);
}


/* A state change (or a soft attempt of a problem) of c at t, as state_type
 * at attempt (c's own, but for a soft recovery). */
void
rows_history(struct strbuf *out, const struct check *c, double t, int old_state,
    int hard_change, int state_type, int attempt, const char *output)
{
	struct strbuf *b = rows_item(out);

	strbuf_adds(b, "{\"check_id\":");
	jsonw_int(b, c->id);
	strbuf_adds(b, ",\"t\":");
	jsonw_real(b, t);
	strbuf_adds(b, ",\"state\":");
	jsonw_int(b, c->st.state);
	strbuf_adds(b, ",\"state_type\":");
	jsonw_int(b, state_type);
	strbuf_adds(b, ",\"attempt\":");
	jsonw_int(b, attempt);
	strbuf_adds(b, ",\"old_state\":");
	rows_state_value(b, old_state);
	strbuf_adds(b, ",\"hard_change\":");
	jsonw_bool(b, hard_change);
	strbuf_adds(b, ",\"output\":");
	jsonw_string(b, output);
	strbuf_add(b, "}", 1);
}

/* A passive result with its own id was applied. */
void
rows_seen(struct strbuf *out, const char *id)
{
	jsonw_string(rows_item(out), id);
}

int
rows_seen_load(struct engine *e, PGconn *pc, char *err, size_t errlen)
{
	char sql[200];
	PGresult *r;

	/* the newest ENGINE_PASSIVE_SEEN (and a few more: the set forgets
	 * the oldest), added oldest first */
	snprintf(sql, sizeof(sql), "SELECT u.id FROM passive_seen_newest(%d) b"
	    " CROSS JOIN LATERAL unnest(b.ids) WITH ORDINALITY AS u(id, ord)"
	    " ORDER BY b.seq, u.ord", ENGINE_PASSIVE_SEEN);
	if ((r = pg_query(pc, sql, 0, NULL, err, errlen)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++)
		seen_add(&e->passive_seen, PQgetvalue(r, i, 0));
	PQclear(r);
	return 0;
}

/* c started (start) or stopped flapping at t. */
void
rows_flap(struct strbuf *out, const struct check *c, double t, int start)
{
	struct strbuf *b = rows_item(out);

	strbuf_adds(b, "{\"check_id\":");
	jsonw_int(b, c->id);
	strbuf_adds(b, ",\"t\":");
	jsonw_real(b, t);
	strbuf_adds(b, ",\"flapping\":");
	jsonw_bool(b, start);
	strbuf_adds(b, ",\"percent\":");
	jsonw_real(b, c->st.percent_state_change);
	strbuf_add(b, "}", 1);
}

/* An event handler's run (event_handler_runs: eventh.c), written with
 * the batch of the result that caused it. */
void
rows_handler(struct strbuf *out, const struct check *c, const char *id, const char *pool,
    double now)
{
	struct strbuf *b = rows_item(out);

	strbuf_adds(b, "{\"job\":");
	jsonw_string(b, id);
	strbuf_adds(b, ",\"check_id\":");
	jsonw_int(b, c->id);
	strbuf_adds(b, ",\"t\":");
	jsonw_real(b, now);
	strbuf_adds(b, ",\"state\":");
	jsonw_int(b, c->st.state);
	strbuf_adds(b, ",\"state_type\":");
	jsonw_int(b, c->st.state_type);
	strbuf_adds(b, ",\"attempt\":");
	jsonw_int(b, c->st.attempt);
	strbuf_adds(b, ",\"command\":");
	jsonw_string(b, c->cc->event_handler);
	strbuf_adds(b, ",\"pool\":");
	jsonw_string(b, pool);
	strbuf_add(b, "}", 1);
}

/* Its outcome, by job id (exit_code -1: none; worker NULL: not run). */
void
rows_handler_end(struct strbuf *out, const char *id, int status, int exit_code,
    const char *output, const char *worker, double start, double end, int timed_out)
{
	struct strbuf *b = rows_item(out);

	strbuf_adds(b, "{\"job\":");
	jsonw_string(b, id);
	strbuf_adds(b, ",\"status\":");
	jsonw_int(b, status);
	strbuf_adds(b, ",\"exit_code\":");
	if (exit_code >= 0)
		jsonw_int(b, exit_code);
	else
		strbuf_adds(b, "null");
	strbuf_adds(b, ",\"output\":");
	jsonw_string(b, output != NULL ? output : "");
	strbuf_adds(b, ",\"worker\":");
	if (worker != NULL)
		jsonw_string(b, worker);
	else
		strbuf_adds(b, "null");
	strbuf_adds(b, ",\"start\":");
	jsonw_real(b, start);
	strbuf_adds(b, ",\"end\":");
	jsonw_real(b, end);
	strbuf_adds(b, ",\"timed_out\":");
	jsonw_bool(b, timed_out);
	strbuf_add(b, "}", 1);
}

/*
 * The perfdata items of one result of c at t, for the time series. A
 * location's labels are prefixed "<pool>/": each location is a series of
 * its own. At most ROWS_PERFDATA_MAX items. Returns the items
 * perfdata_parse() skipped, and those past that bound.
 */
size_t
rows_perfdata(struct strbuf *out, const struct check *c, double t, const char *text,
    const char *pool)
{
	struct perfdata_item *items;
	size_t n, skipped;

	perfdata_parse(text, &items, &n, &skipped);
	/* a series per item: a result with thousands would flood the
	 * table; what is past the bound counts as skipped */
	if (n > ROWS_PERFDATA_MAX)
		skipped += n - ROWS_PERFDATA_MAX;
	for (size_t i = 0; i < n && i < ROWS_PERFDATA_MAX; i++) {
		const struct perfdata_item *p = &items[i];
		char *label = pool != NULL ? xasprintf("%s/%s", pool, p->label) : NULL;
		struct strbuf *b = rows_item(out);

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
	return skipped;
}

/* The live workers and the pools' states (presence_apply, pool_flow_apply). */
char *
rows_presence(const struct presence *p)
{
	struct strbuf b = { 0 };

	strbuf_adds(&b, "{\"workers\":[");
	for (size_t i = 0; i < p->nworkers; i++) {
		const struct presence_worker *w = &p->workers[i];

		if (i > 0)
			strbuf_add(&b, ",", 1);
		strbuf_adds(&b, "{\"id\":");
		jsonw_string(&b, w->id);
		strbuf_adds(&b, ",\"pool\":");
		jsonw_string(&b, w->pool);
		strbuf_adds(&b, ",\"host\":");
		jsonw_string(&b, w->host);
		strbuf_adds(&b, ",\"pid\":");
		jsonw_int(&b, (long long)w->pid);
		strbuf_adds(&b, ",\"concurrency\":");
		jsonw_int(&b, w->concurrency);
		strbuf_adds(&b, ",\"running\":");
		jsonw_int(&b, w->running);
		strbuf_adds(&b, ",\"awaiting\":");
		jsonw_int(&b, w->awaiting);
		strbuf_adds(&b, ",\"version\":");
		jsonw_string(&b, w->version);
		strbuf_adds(&b, ",\"started\":");
		jsonw_real(&b, w->started);
		strbuf_adds(&b, ",\"last_seen\":");
		jsonw_real(&b, w->last_seen);
		strbuf_add(&b, "}", 1);
	}
	strbuf_adds(&b, "],\"pools\":[");
	for (size_t i = 0; i < p->npools; i++) {
		const struct presence_pool *pl = &p->pools[i];
		int over = pl->state == PRESENCE_OK && pl->overloaded;

		if (i > 0)
			strbuf_add(&b, ",", 1);
		strbuf_adds(&b, "{\"name\":");
		jsonw_string(&b, pl->name);
		strbuf_adds(&b, ",\"live_workers\":");
		jsonw_int(&b, (long long)pl->live);
		strbuf_adds(&b, ",\"checks\":");
		jsonw_int(&b, (long long)pl->checks);
		strbuf_adds(&b, ",\"state\":");
		jsonw_string(&b, over ? "overloaded" : presence_state_name(pl->state));
		strbuf_adds(&b, ",\"since\":");
		jsonw_real(&b, over ? pl->overloaded_since : pl->since);
		strbuf_adds(&b, ",\"capacity\":");
		jsonw_int(&b, (long long)pl->capacity);
		strbuf_adds(&b, ",\"inflight\":");
		jsonw_int(&b, (long long)pl->inflight);
		strbuf_adds(&b, ",\"held\":");
		jsonw_int(&b, (long long)pl->held);
		strbuf_adds(&b, ",\"waiting\":");
		jsonw_real(&b, pl->waiting);
		strbuf_adds(&b, ",\"late_expired\":");
		jsonw_int(&b, (long long)pl->late_total);
		strbuf_add(&b, "}", 1);
	}
	strbuf_adds(&b, "]}");
	return b.s;
}

/* Every scheduled check's next run time (the schedule persisted). */
char *
rows_schedule(const struct check_table *t)
{
	struct strbuf b = { 0 };
	int first = 1;

	strbuf_add(&b, "[", 1);
	for (size_t i = 0; i < t->n; i++) {
		const struct check *c = t->v[i];
		double next = batch_next_run(c);

		if (next <= 0)
			continue;
		if (!first)
			strbuf_add(&b, ",", 1);
		first = 0;
		strbuf_adds(&b, "{\"check_id\":");
		jsonw_int(&b, c->id);
		strbuf_adds(&b, ",\"next_check\":");
		jsonw_real(&b, next);
		strbuf_add(&b, "}", 1);
	}
	strbuf_add(&b, "]", 1);
	return b.s;
}
