/*
 * NAME
 *	apply - a result through the state machine into the open batch, and
 *	multi-location rounds
 * DESCRIPTION
 *	apply_result() runs the state machine (state.c), notification rules
 *	(alert.c) and perfdata on one check's result and records the outcome
 *	in the open batch (batch.c).
 *
 *	Multi-location checks (several pools) run in rounds: at its due time
 *	the check publishes one job per location (dispatch.c), each with its
 *	own id and routing key <pool>.<check id>, all for the same scheduled
 *	time, and c->inflight holds the round's id. Each answer (a result, or
 *	a verdict: expired, unroutable, orphaned, which is that location's
 *	UNKNOWN) is that location's last result, deduplicated by job id per
 *	location, kept in memory and written to check_locations with the
 *	batch. When every location has answered, the round is combined by the
 *	quorum rule (quorum.h) into one result that goes through the state
 *	machine like any other, once per round; then the next round is
 *	scheduled. A location's late answer (after its round was decided)
 *	updates only that location. Single-location checks never take this
 *	path.
 */
#include "engine_private.h"

static void
replace(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

/* A plugin's text, split, in place of what *output, *long_output and
 * *perfdata held (a check's batch row, a location). */
static void
set_text(const char *text, char **output, char **long_output, char **perfdata)
{
	struct result_text rt;

	result_split(text != NULL ? text : "", &rt);
	free(*output);
	free(*long_output);
	free(*perfdata);
	*output = rt.output;
	*long_output = rt.long_output;
	*perfdata = rt.perfdata;
}

/* The parsed perfdata of one result, for the time series. A location's
 * labels are prefixed "<pool>/": each location is a series of its own. */
static void
record_perfdata(struct engine *e, const struct check *c, double t, const char *text,
    const char *pool)
{
	size_t skipped;

	if (text == NULL || *text == '\0')
		return;
	if ((skipped = rows_perfdata(&e->batch.perf, c, t, text, pool)) > 0)
		log_debug("perfdata items skipped host=%s service=%s count=%zu", c->host,
		    c->service != NULL ? c->service : "-", skipped);
}

/* Check c now (host checks on demand, propagation), unless a job of it is
 * already in flight or it is not scheduled at all. */
static void
check_soon(struct engine *e, struct check *c, double now)
{
	if (c == NULL || c->job != CHECK_JOB_SCHEDULED || c->due <= now)
		return;
	sched_set(&e->sched, c, now);
	e->rearm = 1;
}

/* A result for c, from a plugin, a passive submitter (passive) or a
 * verdict of our own (orphaned, expired, unroutable, stale: r->job is
 * empty then, so that the real result, should it come late, is still
 * applied). */
void
apply_result(struct engine *e, struct check *c, const struct result_msg *r, int passive)
{
	struct state_conf sc;
	struct state_input in;
	struct state_output out;
	struct state next = c->st;
	struct row *row;
	double t = r->start > 0 ? r->start : util_now();
	int old_state = c->st.state, old_attempt = c->st.attempt;
	unsigned ev, old_bit = c->deps != NULL ? depend_master_bit(c) : 0;

	if (passive)
		e->metrics.results_passive++;
	else {
		e->metrics.results_active++;
		if (r->job[0] != '\0' && r->scheduled > 0 && r->start > 0)
			metrics_observe(&e->metrics.lateness, r->start - r->scheduled);
	}
	check_state_conf(c, &sc);
	if (alert_disabled(&e->alert, c) & SWITCH_FLAP_DETECTION)
		sc.flap_detection = 0;	/* switched off at runtime */
	memset(&in, 0, sizeof(in));
	in.status = r->status;
	in.time = t;
	in.passive = passive;
	check_state_context(c, t, &in);
	/* a passive host result is the state submitted: DOWN is not made
	 * UNREACHABLE by the parents unless configured (Nagios's
	 * translate_passive_host_checks, off by default) */
	if (passive && check_is_host(c) && !e->cfg->translate_passive_host_checks)
		in.nparents = 0;
	state_apply(&sc, &next, &in, &out);
	/* an older passive result is applied, but the check was seen later */
	if (passive && next.last_check < c->st.last_check)
		next.last_check = c->st.last_check;
	ev = out.events;
	/* One row per check and batch keeps only the newest state: a second
	 * transition would fold into the first and the database would never
	 * see it (no history row, no event). Such a result opens a new batch;
	 * batches commit in order. */
	if ((ev & (STATE_EV_CHANGED | STATE_EV_HARD_CHANGE)) && c->batch_gen == e->batch.gen &&
	    c->batch_row < e->batch.nrows && e->batch.rows[c->batch_row].c == c)
		batch_flush(e, 1);
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

	row = batch_row_for(e, c);
	row->n++;
	set_text(r->output, &row->output, &row->long_output, &row->perfdata);
	row->exit_code = r->exit_code;
	/* Stalking (Nagios): a new output of an unchanged state, in a state
	 * stalked, is history too. */
	if (!(ev & (STATE_EV_CHANGED | STATE_EV_HARD_CHANGE)) && c->st.state >= 0 &&
	    !(c->st.state_type == STATE_SOFT && c->st.state > 0) &&	/* recorded below */
	    (c->stalking & (check_is_host(c) ? CONFIG_STATE_SET_HOST(c->st.state) :
	    CONFIG_STATE_SET_SERVICE(c->st.state))) && row->output != NULL &&
	    (c->output == NULL || strcmp(c->output, row->output) != 0)) {
		log_info("stalking host=%s service=%s state=%s output=\"%s\"", c->host,
		    c->service != NULL ? c->service : "-",
		    result_state_name(c->st.state, check_is_host(c)), row->output);
		rows_history(&e->batch.hist, c, t, old_state, 0, c->st.state_type, c->st.attempt,
		    row->output);
	}
	replace(&c->output, row->output);
	/* History: every state change, and every soft attempt of a problem
	 * (Nagios logs each as an alert). */
	if ((ev & (STATE_EV_CHANGED | STATE_EV_HARD_CHANGE)) ||
	    (c->st.state_type == STATE_SOFT && c->st.state > 0)) {
		/* A soft recovery is an OK of the SOFT series, one attempt on
		 * (Nagios logs "OK;SOFT;2"); the check itself is HARD OK,
		 * attempt 1, from then on. */
		int soft_recovery = (ev & STATE_EV_SOFT_RECOVERY) != 0;
		int attempt = old_attempt + 1 < c->max_attempts ? old_attempt + 1 : c->max_attempts;

		rows_history(&e->batch.hist, c, t, old_state, (ev & STATE_EV_HARD_CHANGE) != 0,
		    soft_recovery ? STATE_SOFT : c->st.state_type,
		    soft_recovery ? attempt : c->st.attempt, row->output);
	}
	if (ev & (STATE_EV_FLAP_START | STATE_EV_FLAP_STOP)) {
		log_info("flapping %s host=%s service=%s percent_state_change=%.1f",
		    ev & STATE_EV_FLAP_START ? "started" : "stopped", c->host,
		    c->service != NULL ? c->service : "-", c->st.percent_state_change);
		rows_flap(&e->batch.flaps, c, t, (ev & STATE_EV_FLAP_START) != 0);
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
	/* its dependents' notifications (and rollup) follow its new state */
	if (c->deps != NULL && depend_master_bit(c) != old_bit)
		depend_master_changed(&e->checks, c, util_now(), batch_touch, e);
	alert_result(&e->alert, c, old_state, &out, row->long_output, row->perfdata, util_now());
	/* its event handler, with the state just applied */
	eventh_run(e, c, old_state, ev, util_now());
	record_perfdata(e, c, t, row->perfdata, NULL);
	row->latency_ms = r->scheduled > 0 && r->start > 0 ? (r->start - r->scheduled) * 1000 : 0;
	row->duration_ms = r->end > r->start ? (r->end - r->start) * 1000 : 0;
	replace(&row->pool, r->pool);
	replace(&row->worker, r->worker);
	batch_flush_start(e);	/* full: flushed with the result's ack (batch_ack_later()) */
}

/* ---- multi-location checks ----------------------------------------- */

static struct locrow *
locrow_for(struct engine *e, struct check *c, struct location *l)
{
	struct locrow *lr;

	if (l->batch_gen == e->batch.gen && l->batch_row < e->batch.nlocrows &&
	    e->batch.locrows[l->batch_row].l == l)
		return &e->batch.locrows[l->batch_row];
	xgrow((void **)&e->batch.locrows, &e->batch.caplocrows, e->batch.nlocrows + 1, sizeof(*e->batch.locrows));
	lr = &e->batch.locrows[e->batch.nlocrows];
	lr->c = c;
	lr->l = l;
	lr->n = 0;
	l->batch_gen = e->batch.gen;
	l->batch_row = e->batch.nlocrows++;
	return lr;
}

/* r is l's last result now: in memory, in the batch, its perfdata in
 * the time series. A verdict (r->job empty) sets no last job, so the
 * real result, should it come late, still counts. */
void
apply_location_record(struct engine *e, struct check *c, struct location *l,
    const struct result_msg *r)
{
	set_text(r->output, &l->output, &l->long_output, &l->perfdata);
	l->status = r->status;
	l->last_check = r->start > 0 ? r->start : util_now();
	l->last_end = r->end > l->last_check ? r->end : l->last_check;
	replace(&l->worker, r->worker);
	if (r->job[0] != '\0')
		memcpy(l->last_job, r->job, sizeof(l->last_job));
	l->last_scheduled = r->scheduled;
	record_perfdata(e, c, l->last_check, l->perfdata, l->pool);
	locrow_for(e, c, l)->n++;
	batch_flush_start(e);	/* full: flushed with the result's ack */
}

/* Every location has answered: one result for the state machine, by the
 * quorum rule, and the next round is scheduled. */
void
apply_round_finish(struct engine *e, struct check *c)
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
	apply_result(e, c, &r, 0);
	dispatch_job_finished(e, c, util_now());
	free(text);
	free(v);
}

/* l has answered in the round in flight: the round may be complete. */
void
apply_location_answered(struct engine *e, struct check *c, struct location *l)
{
	if (l->inflight[0] != '\0')
		dispatch_flow_answered(e, dispatch_location_flow(e, l));
	l->inflight[0] = '\0';
	for (size_t i = 0; i < c->nlocs; i++)
		if (c->locs[i].inflight[0] != '\0')
			return;
	apply_round_finish(e, c);
}

/* A worker's result for a multi-location check. */
void
apply_location_result(struct engine *e, struct check *c, const struct result_msg *r)
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
	apply_location_record(e, c, l, r);
	log_debug("result applied job=%s check=%lld scheduled=%.3f pool=%s%s", r->job,
	    (long long)c->id, r->scheduled, l->pool, in_round ? "" : " late=1");
	if (in_round)
		apply_location_answered(e, c, l);
}
