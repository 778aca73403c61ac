/*
 * NAME
 *	intake - what the engine consumes: results, job verdicts, heartbeats,
 *	commands
 * DESCRIPTION
 *	One handler per queue (mq_consume): <prefix>.results (active
 *	results deduplicated by job id, passive ones by their own id when
 *	they have one), <prefix>.jobs.dead and
 *	.jobs.unroutable (a job that expired or could not be routed: the
 *	check's UNKNOWN naming the pool, or a reschedule while its pool is only
 *	busy, flow.h), <prefix>.heartbeats (acked at once and kept in memory,
 *	presence.c; once a second, if anything changed, a snapshot rides on the
 *	next batch; only what was heard counts: while the broker link is down
 *	or deliveries pause for a reload, presence is deaf) and
 *	<prefix>.commands (msg.h's codec; applied by alert.c, logged in
 *	command_log with the batch).
 * DIAGNOSTICS
 *	Malformed messages are logged and parked in <prefix>.parked;
 *	malformed heartbeats are dropped, logged at most once a minute.
 */
#include "engine_private.h"

/* Reject a malformed message: the queue dead-letters it to parked. */
static void
park(struct engine *e, const struct mq_msg *m, const char *why)
{
	e->metrics.parked++;
	log_warn("message parked queue=%s reason=\"%s\" bytes=%zu", m->consumer, why,
	    m->oversize > 0 ? m->oversize : m->len);
	mq_reject(e->mq, &m->ref, 0);
}

/* A message over max_message_size: parked, its body never held. 1 if so. */
static int
parked_oversize(struct engine *e, const struct mq_msg *m)
{
	char why[128];

	if (m->oversize == 0)
		return 0;
	snprintf(why, sizeof(why), "message of %zu bytes, over max_message_size (%zu)",
	    m->oversize, e->cfg->max_message_size);
	park(e, m, why);
	return 1;
}

void
intake_result(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct engine *e = arg;
	struct result_msg r;
	struct check *c = NULL;
	char err[256];

	if (parked_oversize(e, m))
		return;
	/* A wrong tag is never taken; no tag only on a passive result (any
	 * submitter may send one, as CONFIG.md promises). */
	if (m->auth == AUTH_BAD || m->auth == AUTH_UNKNOWN_KEY) {
		park(e, m, auth_verdict_name(m->auth));
		return;
	}
	if (msg_result_decode(m->body, m->len, &r, err, sizeof(err)) < 0) {
		park(e, m, err);
		return;
	}
	if (r.job[0] != '\0' && !mq_trusted(mq, m)) {
		park(e, m, "an active result without a worker's tag");
		goto out;
	}
	/* A passive result's text is held to what a plugin's is: cut (at a
	 * character boundary) with a mark, never stored whole. */
	if (r.job[0] == '\0' && r.output != NULL && strlen(r.output) > e->cfg->worker.output_limit) {
		size_t n = e->cfg->worker.output_limit, was = strlen(r.output);
		char *cut;

		while (n > 0 && ((unsigned char)r.output[n] & 0xC0) == 0x80)
			n--;
		cut = xasprintf("%.*s\n(output truncated: the passive result held %zu bytes, more "
		    "than worker.output_limit %zu)", (int)n, r.output, was,
		    e->cfg->worker.output_limit);
		free(r.output);
		r.output = cut;
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
	/* An active result answers a job this installation's engine sent,
	 * for this check at this scheduled time (jobid.c), or nothing. */
	if (r.job[0] != '\0' && r.kind == MSG_JOB_CHECK &&
	    !jobid_valid(e, r.job, c->id, r.scheduled)) {
		park(e, m, "job id not issued by the engine for this check and scheduled time");
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
	/* An event handler's outcome is recorded, and changes nothing else
	 * (its own job ids: never taken for a check's result). */
	if (r.kind == MSG_JOB_EVENT_HANDLER) {
		if (eventh_outcome(e, c, &r, err, sizeof(err)) < 0)
			park(e, m, err);
		else
			batch_ack_later(e, &m->ref);
		goto out;
	}
	if (r.job[0] == '\0' && (!c->passive ||
	    (alert_disabled(&e->alert, c) & SWITCH_PASSIVE_CHECKS))) {
		log_warn("passive result refused host=%s service=%s reason=\"%s\"", c->host,
		    c->service != NULL ? c->service : "-", !c->passive ? "passive: false" :
		    "passive checks disabled (vigilctl enable passive_checks)");
		batch_ack_later(e, &m->ref);
		goto out;
	}
	/* A passive result is applied once per id (its "id", else the
	 * message's message-id): a copy the broker delivers again after a
	 * restart, or a submitter's retry, changes nothing. Without an id
	 * each copy counts (at least once). Never by time: two results in
	 * one second are two results. */
	if (r.job[0] == '\0' && r.id[0] == '\0' && m->message_id != NULL &&
	    msg_result_id_valid(m->message_id))
		snprintf(r.id, sizeof(r.id), "%s", m->message_id);
	if (r.job[0] == '\0' && r.id[0] != '\0' && seen_has(&e->passive_seen, r.id)) {
		log_debug("passive result applied before dropped id=%s host=%s", r.id, c->host);
		batch_ack_later(e, &m->ref);
		goto out;
	}
	/* A passive result dated too far ahead (beyond clock skew) would
	 * stand for a check that has not happened: refused, said. One older
	 * than the last check is applied, as Nagios does, in time order
	 * with those that came with it (intake_passive_flush()). */
	if (r.job[0] == '\0' && r.start > util_now() + ENGINE_PASSIVE_FUTURE) {
		snprintf(err, sizeof(err), "a passive result dated %.0f s ahead of the engine's "
		    "clock (more than %.0f s)", r.start - util_now(), ENGINE_PASSIVE_FUTURE);
		park(e, m, err);
		goto out;
	}
	if (r.job[0] == '\0') {
		struct passive_pending *p;

		if (r.id[0] != '\0')
			seen_add(&e->passive_seen, r.id);	/* a copy in this burst too */
		xgrow((void **)&e->passive, &e->cappassive, e->npassive + 1, sizeof(*e->passive));
		p = &e->passive[e->npassive++];
		p->check_id = c->id;
		p->r = r;	/* moved */
		p->ref = m->ref;
		p->seq = e->passive_seq++;
		if (e->npassive >= ENGINE_PASSIVE_CHUNK) {
			ev_timer_stop(e->loop, &e->passive_timer);
			intake_passive_flush(e);
		} else if (!ev_is_active(&e->passive_timer)) {
			ev_timer_set(&e->passive_timer, ENGINE_PASSIVE_HOLD, 0.);
			ev_timer_start(e->loop, &e->passive_timer);
		}
		return;
	}
	if (r.job[0] != '\0' && c->nlocs > 0) {
		apply_location_result(e, c, &r);
		batch_ack_later(e, &m->ref);
		goto out;
	}
	/* Exactly once in effect: a redelivered or duplicated result, or one
	 * older than what is applied, changes nothing. */
	if (r.job[0] != '\0' && (strcmp(r.job, c->last_job) == 0 ||
	    r.scheduled < c->last_scheduled)) {
		log_debug("duplicate result dropped job=%s host=%s", r.job, c->host);
		batch_ack_later(e, &m->ref);
		goto out;
	}
	apply_result(e, c, &r, 0);
	log_debug("result applied job=%s check=%lld scheduled=%.3f",
	    r.job[0] != '\0' ? r.job : "-", (long long)c->id, r.scheduled);
	batch_ack_later(e, &m->ref);
	if (r.job[0] != '\0' && strcmp(r.job, c->inflight) == 0)
		dispatch_job_finished(e, c, util_now());
out:
	msg_result_clear(&r);
}

static int
cmp_passive(const void *a, const void *b)
{
	const struct passive_pending *x = a, *y = b;

	if (x->r.start != y->r.start)
		return x->r.start < y->r.start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
intake_passive_flush(struct engine *e)
{
	size_t n = e->npassive;

	if (n == 0)
		return;
	if (n > 1)
		qsort(e->passive, n, sizeof(*e->passive), cmp_passive);
	e->npassive = 0;	/* apply_result() may take more: none here */
	for (size_t i = 0; i < n; i++) {
		struct passive_pending *p = &e->passive[i];
		struct check *c = check_table_find_id(&e->checks, p->check_id);

		if (c == NULL)	/* removed by a reload meanwhile */
			log_info("passive result for a check gone with a reload host=%s service=%s",
			    p->r.host, p->r.service != NULL ? p->r.service : "-");
		else {
			apply_result(e, c, &p->r, 1);
			if (p->r.id[0] != '\0')
				rows_seen(&e->batch.seen, p->r.id);
		}
		batch_ack_later(e, &p->ref);
		msg_result_clear(&p->r);
	}
}

void
intake_passive_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	intake_passive_flush(w->data);
}

void
intake_passive_clear(struct engine *e)
{
	ev_timer_stop(e->loop, &e->passive_timer);
	for (size_t i = 0; i < e->npassive; i++)
		msg_result_clear(&e->passive[i].r);
	free(e->passive);
	e->passive = NULL;
	e->npassive = e->cappassive = 0;
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

	if (parked_oversize(e, m))
		return;
	if (!mq_trusted(e->mq, m)) {
		park(e, m, auth_verdict_name(m->auth));
		return;
	}
	if (msg_job_decode(m->body, m->len, &j, err, sizeof(err)) < 0) {
		park(e, m, err);
		return;
	}
	c = check_table_find_id(&e->checks, j.check_id);
	/* An event handler that did not run: its outcome, nothing else. */
	if (j.kind == MSG_JOB_EVENT_HANDLER) {
		if (c != NULL && jobid_valid_kind(e, JOBID_EVENT_HANDLER, j.id, c->id, j.scheduled)) {
			snprintf(text, sizeof(text), unroutable ? "(not run: no worker pool \"%s\")" :
			    "(not run: no worker in pool %s took it within %.0f s)", j.pool,
			    j.deadline - j.scheduled);
			eventh_verdict(e, c, &j, text);
		}
		batch_ack_later(e, &m->ref);
		msg_job_clear(&j);
		return;
	}
	if (c != NULL && c->nlocs > 0)
		l = check_location_job(c, j.id);
	if (c == NULL || (c->nlocs > 0 ? l == NULL : strcmp(c->inflight, j.id) != 0)) {
		batch_ack_later(e, &m->ref);	/* stale: the check moved on */
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
	if (expired && l == NULL && dispatch_pool_live(e, j.pool)) {
		double now = util_now();
		double limit = 3.0 * c->interval > ENGINE_LATE_LIMIT ? 3.0 * c->interval :
		    ENGINE_LATE_LIMIT;

		if (c->late_since == 0)
			c->late_since = c->inflight_published;
		if (now - c->late_since < limit) {
			struct flow_pool *fp = dispatch_check_flow(e, c);

			fp->late_total++;
			e->metrics.expired_rerun++;
			log_debug("job expired in a live pool: due again host=%s service=%s pool=%s"
			    " late=%.1f", c->host, c->service != NULL ? c->service : "-", j.pool,
			    now - c->inflight_scheduled);
			batch_ack_later(e, &m->ref);
			dispatch_flow_answered(e, fp);
			c->inflight[0] = '\0';
			c->job = CHECK_JOB_SCHEDULED;
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
	if (unroutable)
		e->metrics.unroutable++;
	else
		e->metrics.expired++;	/* or dead-lettered otherwise: not run */
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
		apply_location_record(e, c, l, &r);
		batch_ack_later(e, &m->ref);
		apply_location_answered(e, c, l);
	} else {
		apply_result(e, c, &r, 0);
		batch_ack_later(e, &m->ref);
		dispatch_job_finished(e, c, r.start);
	}
	msg_job_clear(&j);
}

/* Log what the last presence call recorded. */
void
intake_presence_events(struct engine *e)
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

/* A heartbeat is acked at once: a lost one is replaced by the next. A
 * malformed one is dropped; they come every few seconds, so the log says
 * so at most once a minute, with how many. */
void
intake_heartbeat(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct engine *e = arg;
	struct worker_msg w;
	char err[256];
	double now = util_now();

	mq_ack(e->mq, &m->ref, 0);
	/* A heartbeat without a worker's tag creates no worker and no pool. */
	if (!mq_trusted(mq, m))
		snprintf(err, sizeof(err), "%s", m->oversize > 0 ? "over max_message_size" :
		    auth_verdict_name(m->auth));
	if (!mq_trusted(mq, m) || msg_worker_decode(m->body, m->len, &w, err, sizeof(err)) < 0) {
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
	intake_presence_events(e);
	msg_worker_clear(&w);
}

void
intake_command(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct engine *e = arg;
	struct command_msg cmd;
	char err[256];

	if (parked_oversize(e, m))
		return;
	if (!mq_trusted(mq, m)) {
		char why[320];

		snprintf(why, sizeof(why), "command: %s", auth_verdict_name(m->auth));
		park(e, m, why);
		return;
	}
	if (msg_command_decode(m->body, m->len, &cmd, err, sizeof(err)) < 0) {
		char why[320];

		snprintf(why, sizeof(why), "command: %s", err);
		park(e, m, why);
		return;
	}
	if (cmd.kind == COMMAND_RELOAD) {
		mq_ack(e->mq, &m->ref, 0);
		reload_start(e, "command", &cmd);
	} else if (cmd.kind != COMMAND_UNKNOWN) {
		char msg[512];

		/* Applied or refused, it is in the command log once the batch
		 * commits; the message is acked then. */
		alert_command(&e->alert, &cmd, util_now(), msg, sizeof(msg));
		batch_ack_later(e, &m->ref);
	} else {
		char why[128];

		snprintf(why, sizeof(why), "unknown command \"%.64s\"", cmd.name);
		park(e, m, why);
	}
	msg_command_clear(&cmd);
}

void
intake_dead(struct mq *mq, const struct mq_msg *m, void *arg)
{
	handle_verdict(arg, m, 0);
}

void
intake_unroutable(struct mq *mq, const struct mq_msg *m, void *arg)
{
	handle_verdict(arg, m, 1);
}
