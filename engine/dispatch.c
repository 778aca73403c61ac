/*
 * NAME
 *	dispatch - due checks become jobs: scheduling, flow control, orphans
 * DESCRIPTION
 *	The scheduler timer takes due checks off the heap (sched.c) and
 *	publishes their jobs on <prefix>.jobs (routing key <pool>.<check id>,
 *	per-message expiration, one job in flight per check or per location of
 *	a round). A pool holds at most its capacity plus headroom in flight
 *	(flow.c); a check due while its pool is full is held, oldest first. A
 *	job with no answer past its deadline is orphaned: UNKNOWN "(no result
 *	from pool P within N s)".
 * SECURITY
 *	Job argv may hold $USERn$ secrets: it is never logged.
 */
#include "engine_private.h"

/* ---- flow control: jobs in flight per pool (flow.h) ----------------- */

struct flow_pool *
dispatch_check_flow(struct engine *e, struct check *c)
{
	if (c->flow == NULL)
		c->flow = flow_pool(&e->flow, c->pool);
	return c->flow;
}

struct flow_pool *
dispatch_location_flow(struct engine *e, struct location *l)
{
	if (l->flow == NULL)
		l->flow = flow_pool(&e->flow, l->pool);
	return l->flow;
}

/* A job of fp has its answer (a result or a verdict): room for another,
 * which dispatch_prepare_cb() gives to the oldest held check. */
void
dispatch_flow_answered(struct engine *e, struct flow_pool *fp)
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
		dispatch_check_flow(e, c)->inflight++;
		return;
	}
	for (size_t i = 0; i < c->nlocs; i++)
		if (c->locs[i].inflight[0] != '\0')
			dispatch_location_flow(e, &c->locs[i])->inflight++;
}

/* A pool of c with no room for c's next run, or NULL. */
static struct flow_pool *
flow_full(struct engine *e, struct check *c)
{
	struct flow_pool *fp;

	if (c->nlocs == 0) {
		fp = dispatch_check_flow(e, c);
		return flow_has_room(fp) ? NULL : fp;
	}
	for (size_t i = 0; i < c->nlocs; i++) {
		fp = dispatch_location_flow(e, &c->locs[i]);
		if (!flow_has_room(fp))
			return fp;
	}
	return NULL;
}

/* A pool with a live worker heard. Not one the engine has not listened
 * to long enough to tell (pending): a job that expires there is the
 * outage's UNKNOWN, as when no worker is known; the workers of a live
 * pool make it ok within a heartbeat (5 s) of the engine's start. */
int
dispatch_pool_live(const struct engine *e, const char *pool)
{
	const struct presence_pool *pp = presence_pool_find(&e->presence, pool);

	return pp != NULL && pp->state == PRESENCE_OK;
}

/* The job in flight has its answer: schedule the next run without drift. */
void
dispatch_job_finished(struct engine *e, struct check *c, double now)
{
	double next = sched_next_due(c->inflight_scheduled, check_next_interval(c),
	    now, util_random_unit());

	/* After a recheck the schedule it had goes on (a retry comes sooner) */
	if (c->resume_due > now && c->resume_due < next)
		next = c->resume_due;
	c->resume_due = 0;

	if (c->nlocs == 0 && c->job == CHECK_JOB_INFLIGHT)
		dispatch_flow_answered(e, dispatch_check_flow(e, c));
	c->late_since = 0;
	c->inflight[0] = '\0';
	/* A reload may have made it passive only while its job was out. */
	if (!c->active) {
		c->job = CHECK_JOB_IDLE;
		return;
	}
	c->job = CHECK_JOB_SCHEDULED;
	sched_set(&e->sched, c, next);
	e->rearm = 1;
}

/* Count the jobs in flight per pool again from the checks, and take each
 * pool's capacity from presence. The counts are kept as jobs go out and
 * answers come in; this makes them the truth again whatever path was
 * missed (a reload, a reconnect). */
void
dispatch_flow_recount(struct engine *e)
{
	for (size_t i = 0; i < e->flow.npools; i++)
		e->flow.pools[i]->inflight = 0;
	for (size_t i = 0; i < e->checks.n; i++) {
		struct check *c = e->checks.v[i];

		if (c->nlocs == 0) {
			if (c->job == CHECK_JOB_INFLIGHT)
				dispatch_check_flow(e, c)->inflight++;
			continue;
		}
		for (size_t k = 0; k < c->nlocs; k++)
			if (c->locs[k].inflight[0] != '\0')
				dispatch_location_flow(e, &c->locs[k])->inflight++;
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
void
dispatch_flow_cron(struct engine *e, double now)
{
	dispatch_flow_recount(e);
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
	j.users = c->users;
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
	if (rc >= 0)
		e->metrics.jobs_published++;
	return rc < 0 ? -1 : 0;
}

/* The run in flight was published (again) at now: it is orphaned if no
 * answer comes by its deadline. */
static void
dispatch_inflight_published(struct engine *e, struct check *c, double now)
{
	c->inflight_published = now;
	c->job = CHECK_JOB_INFLIGHT;
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
			jobid_new(e, c->id, scheduled, c->locs[i].inflight);
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
	dispatch_inflight_published(e, c, now);
	return 0;
}

/* The job of c: published, or -1 if the broker is not reachable now.
 * again: publish the job in flight once more, same id and schedule. */
int
dispatch_publish_job(struct engine *e, struct check *c, double now, int again)
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
			jobid_new(e, c->id, scheduled, id);
		if (send_job(e, c, c->pool, id, scheduled, now) < 0)
			return -1;
		memcpy(c->inflight, id, sizeof(c->inflight));
		c->inflight_scheduled = scheduled;
		dispatch_inflight_published(e, c, now);
	}
	if (!again)
		flow_published(e, c);
	return 0;
}

/* No result and no verdict long past the deadline: say so, move on. A
 * multi-location check: every location that has not answered gets its
 * UNKNOWN, and the round is decided. */
static void
dispatch_orphan(struct engine *e, struct check *c, double now)
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
		e->metrics.orphaned++;
		log_warn("job orphaned host=%s service=%s pool=%s job=%s", c->host,
		    c->service != NULL ? c->service : "-", l->pool, l->inflight);
		r.pool = l->pool;
		apply_location_record(e, c, l, &r);
		dispatch_flow_answered(e, dispatch_location_flow(e, l));
		l->inflight[0] = '\0';
	}
	if (c->nlocs > 0) {
		apply_round_finish(e, c);
		return;
	}
	snprintf(text, sizeof(text), "(no result from pool %s within %d s)", c->pool,
	    (int)(now - c->inflight_published));
	e->metrics.orphaned++;
	log_warn("job orphaned host=%s service=%s pool=%s job=%s", c->host,
	    c->service != NULL ? c->service : "-", c->pool, c->inflight);
	r.pool = c->pool;
	apply_result(e, c, &r, 0);
	dispatch_job_finished(e, c, now);
}

/* c is due now: its job goes out, or it waits for room in its pool, or
 * for its check_period. -1: the broker link went (c is still due). */
static int
run_due(struct engine *e, struct check *c, double now)
{
	struct flow_pool *fp;
	const struct check *m;

	/* Active checks switched off (vigilctl disable active_checks): it
	 * keeps its turn, and runs nothing until switched on; a recheck
	 * still runs (as Nagios's forced check). */
	if (!c->forced && (alert_disabled(&e->alert, c) & SWITCH_ACTIVE_CHECKS)) {
		c->job = CHECK_JOB_SCHEDULED;
		sched_set(&e->sched, c, now + (c->interval > 0 ? c->interval : 60));
		return 0;
	}
	/* Outside its check_period a check does not run: it waits for the
	 * period's next valid time (a little spread, no herd). */
	if (c->check_period != NULL && !c->forced &&
	    !timeperiod_contains(c->check_period, (time_t)now, NULL)) {
		time_t next = timeperiod_next_valid(c->check_period, (time_t)now);
		double spread = c->interval < 5 ? c->interval : 5;

		c->job = CHECK_JOB_SCHEDULED;
		sched_set(&e->sched, c, (next == (time_t)-1 ? now + 86400 : (double)next) +
		    util_random_unit() * spread);
		return 0;
	}
	/* Its execution dependencies fail (Nagios's servicedependency with
	 * execution_failure_criteria): it runs nothing, and looks again an
	 * interval later; a recheck runs all the same. */
	if (!c->forced && c->deps != NULL &&
	    (m = depend_failing(c, DEPEND_EXECUTION, now)) != NULL) {
		log_debug("check not run host=%s service=%s: its master %s%s%s fails"
		    " its execution dependency", c->host, c->service != NULL ?
		    c->service : "-", m->host, m->service != NULL ? "/" : "",
		    m->service != NULL ? m->service : "");
		e->metrics.dependency_skipped++;
		c->job = CHECK_JOB_SCHEDULED;
		sched_set(&e->sched, c, now + (c->interval > 0 ? c->interval : 60));
		return 0;
	}
	c->forced = 0;
	if ((fp = flow_full(e, c)) != NULL) {
		sched_remove(&e->sched, c);
		c->job = CHECK_JOB_HELD;
		flow_hold(fp, c, now);
		return 0;
	}
	return dispatch_publish_job(e, c, now, 0);
}

/* A stale check's command, now (engine.c's freshness): an active check's
 * next run moves up; a passive-only one runs once and is idle again after
 * its result (dispatch_job_finished()). */
void
dispatch_fresh_run(struct engine *e, struct check *c, double now)
{
	if (c->job == CHECK_JOB_INFLIGHT || c->job == CHECK_JOB_HELD)
		return;		/* a run is on its way already */
	if (c->job == CHECK_JOB_SCHEDULED && c->due > now && c->resume_due == 0)
		c->resume_due = c->due;
	c->job = CHECK_JOB_SCHEDULED;
	c->forced = 1;
	sched_set(&e->sched, c, now);
	e->rearm = 1;
}

/*
 * A recheck (Nagios's forced check): c's job goes out now, whatever its
 * check_period, through the flow control like any due check; the run
 * after it comes when it would have come (alert.h's recheck callback).
 */
int
dispatch_recheck(void *arg, struct check *c, double now, char *msg, size_t msglen)
{
	struct engine *e = arg;
	const char *name = c->service != NULL ? c->service : "(host check)";

	switch (c->job) {
	case CHECK_JOB_IDLE:
		util_errf(msg, msglen, "%s/%s is passive only (active: false): nothing to run",
		    c->host, c->service != NULL ? c->service : "");
		return -1;
	case CHECK_JOB_INFLIGHT:
		util_errf(msg, msglen, "a run is out already (since %.1f s): its result comes next",
		    now - c->inflight_published);
		return 0;
	case CHECK_JOB_HELD:
		util_errf(msg, msglen, "due already, waiting for room in pool %s", c->pool);
		return 0;
	case CHECK_JOB_SCHEDULED:
		break;
	}
	if (c->due > now && c->resume_due == 0)
		c->resume_due = c->due;
	c->forced = 1;
	sched_set(&e->sched, c, now);	/* sets c->due: it moves up the heap */
	e->rearm = 1;
	log_info("recheck host=%s service=%s: runs now", c->host, name);
	util_errf(msg, msglen, "runs now");
	return 0;
}

void
dispatch_sched_cb(struct ev_loop *loop, ev_timer *w, int revents)
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
		if (c->job == CHECK_JOB_INFLIGHT) {
			dispatch_orphan(e, c, now);
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

/*
 * Every active check into the schedule at its due time (start, reload):
 * one with a job in flight (carried over by a reload) by its deadline.
 */
void
dispatch_schedule_all(struct engine *e)
{
	for (size_t i = 0; i < e->checks.n; i++) {
		struct check *c = e->checks.v[i];

		if (!c->active) {
			c->job = CHECK_JOB_IDLE;
			continue;
		}
		c->job = c->inflight[0] != '\0' ? CHECK_JOB_INFLIGHT : CHECK_JOB_SCHEDULED;
		sched_set(&e->sched, c, c->due);
	}
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

			if (run_due(e, c, now) < 0) {
				/* The link went: due again, first in line */
				c->job = CHECK_JOB_SCHEDULED;
				sched_set(&e->sched, c, c->due);
				e->rearm = 1;
				return;
			}
		}
	}
}

/* Before the loop sleeps: point the timer at the earliest due check. */
void
dispatch_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
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
