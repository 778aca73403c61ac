/*
 * NAME
 *	engine - vigil-engine as a daemon.h service: start, stop, teardown
 * DESCRIPTION
 *	See engine.h. Everything runs on one libev loop; the only other
 *	thread is the database thread (db.c). This file starts the service
 *	(standby until leading, migrations, the config sync, then the loop's
 *	watchers), sets the broker link up and hears of its loss, runs the
 *	once-a-second cron (presence, flow, freshness) and tears everything
 *	down. The rest lives by concept (engine_private.h has the map):
 *	batch.c, apply.c, intake.c, dispatch.c, reload.c.
 * DIAGNOSTICS
 *	See engine.h.
 * SECURITY
 *	Job argv may hold $USERn$ secrets: it is never logged.
 */
#include "engine_private.h"

static int
on_setup(struct mq *mq, void *arg)
{
	struct engine *e = arg;
	int unbounded;

	if ((unbounded = topology_declare_engine(mq, e->prefix, e->cfg->parked_max,
	    (int64_t)e->cfg->parked_ttl * 1000)) < 0 ||
	    mq_consume(mq, e->q_results, ENGINE_RESULTS_PREFETCH, intake_result) < 0 ||
	    mq_consume(mq, e->q_dead, ENGINE_VERDICT_PREFETCH, intake_dead) < 0 ||
	    mq_consume(mq, e->q_unroutable, ENGINE_VERDICT_PREFETCH, intake_unroutable) < 0 ||
	    mq_consume(mq, e->q_commands, 16, intake_command) < 0 ||
	    mq_consume(mq, e->q_heartbeats, ENGINE_HEARTBEAT_PREFETCH, intake_heartbeat) < 0)
		return -1;
	if (unbounded && mq_generation(mq) == 1)
		log_warn("queue %s.parked was made with other bounds (or before parked.max and "
		    "parked.ttl existed) and keeps them: once it is empty, delete it (rabbitmqctl "
		    "delete_queue) and restart the engine, or bound it with a policy",
		    e->prefix);
	e->rearm = 1;
	/* After a reconnect, jobs in flight may be gone with the broker (they
	 * are transient): send them again under the same id. A worker that
	 * still had one runs it twice; the engine drops the second result. */
	if (mq_generation(mq) > 1) {
		double now = util_now();
		size_t again = 0;

		for (size_t i = 0; i < e->checks.n; i++) {
			struct check *c = e->checks.v[i];

			if (c->job == CHECK_JOB_INFLIGHT && dispatch_publish_job(e, c, now, 1) == 0)
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
	e->batch.rewind = 1;
	batch_flush_start(e);
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

static void
engine_stop(struct daemon *d)
{
	struct engine *e = d->state;

	log_info("stopping signal=%d pending_batches=%zu", d->stop_signal, db_pending(e->db));
	e->stopping = 1;
	ev_timer_stop(e->loop, &e->sched_timer);
	intake_passive_flush(e);	/* what came in is applied and acked */
	batch_flush_now(e);
	ev_break(e->loop, EVBREAK_ALL);
}

static void
engine_hup(struct daemon *d)
{
	reload_start(d->state, "SIGHUP", NULL);
}

/* Once a second: worker presence, and freshness: a check whose freshness
 * is checked (freshness: true, or a freshness_threshold: Nagios's
 * check_freshness, off by default) and that had no result for its
 * threshold (default interval + 15 s) is stale. Then an active check's
 * command runs now, as Nagios; a passive-only one, or one with stale_state
 * written, takes its stale_state (SEMANTICS.md "Scheduling"). Counted from
 * the engine's start for a check that never had a result. Outside its check_period a check is
 * never stale (Nagios's check_service_result_freshness() skips it), and its
 * threshold counts again from the moment the period starts: nothing alerts
 * at night, nor at eight for a night's silence. */
/* The metrics' text into the next batch (daemon_metrics, for vigil-web's
 * GET /metrics), with the queues as cron_cb() last counted them. */
static void
metrics_write(struct engine *e, double now)
{
	struct metrics_gauges g;

	memset(&g, 0, sizeof(g));
	g.started = e->started;
	g.checks = e->checks.n;
	for (size_t i = 0; i < e->checks.n; i++) {
		const struct check *c = e->checks.v[i];

		g.scheduled += c->job == CHECK_JOB_SCHEDULED || c->job == CHECK_JOB_INFLIGHT;
		g.inflight += c->job == CHECK_JOB_INFLIGHT;
		g.held += c->job == CHECK_JOB_HELD;
	}
	g.batches_pending = db_pending(e->db);
	g.amqp_connects = mq_generation(e->mq);
	g.db_connects = db_connects(e->db);
	g.results_queue = e->results_queue;
	g.parked_queue = e->parked_queue;
	free(e->batch.metrics);
	e->batch.metrics = metrics_text(&e->metrics, &g);
	e->metrics_at = now;
	batch_flush_start(e);
}

static void
cron_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;
	double now = util_now();

	/* Workers silent too long are lost (deaf: nothing expires); what
	 * changed goes with the next batch, at most once a second. */
	presence_tick(&e->presence, now);
	intake_presence_events(e);
	if (!e->reloading)
		dispatch_flow_cron(e, now);
	if (e->presence.dirty) {
		free(e->batch.presence);
		e->batch.presence = rows_presence(&e->presence);
		e->presence.dirty = 0;
		batch_flush_start(e);
	}
	if (!e->reloading) {
		alert_tick(&e->alert, now);
		if (alert_pending(&e->alert))
			batch_flush_start(e);	/* a digest, a downtime that expired */
	}
	if (!e->reloading && now - e->depend_checked >= ENGINE_DEPEND_EVERY) {
		size_t n = depend_refresh(&e->checks, now, batch_touch, e);

		if (n > 0)
			log_info("dependencies: %zu checks' notification suppression changed", n);
		e->depend_checked = now;
	}
	if (now - e->metrics_at >= ENGINE_METRICS_EVERY)
		metrics_write(e, now);
	if (e->reloading || !mq_is_up(e->mq))
		return;	/* a silent broker is not a silent check */
	/* What was refused waits in the parked queue for a look: say how
	 * much, once a minute when it changed. The results queue is counted
	 * with it, for the metrics (a round trip to the broker each). */
	if (now - e->parked_checked >= ENGINE_PARKED_EVERY) {
		char q[256];
		int64_t n = mq_queue_depth(e->mq, topology_name(q, sizeof(q), e->prefix,
		    "parked"));

		e->parked_checked = now;
		e->parked_queue = n;
		e->results_queue = mq_queue_depth(e->mq, e->q_results);
		if (n >= 0 && n != e->parked_depth) {
			if (n > 0)
				log_warn("parked messages=%lld queue=%s max=%d (refused messages, kept "
				    "for a look; the oldest go first)", (long long)n, q, e->cfg->parked_max);
			else
				log_info("parked messages=0 queue=%s", q);
			e->parked_depth = n;
		}
	}
	for (size_t i = 0; i < e->checks.n; i++) {
		struct check *c = e->checks.v[i];
		int threshold;
		double since;
		enum check_fresh verdict = check_freshness(c, now, e->started, &threshold, &since);
		struct result_msg r;
		char text[256];

		if (verdict == CHECK_FRESH)
			continue;
		if (verdict == CHECK_FRESH_OUT_OF_PERIOD) {
			c->fresh_from = now;
			continue;
		}
		e->metrics.stale++;
		log_warn("check stale host=%s service=%s seconds=%.0f threshold=%d%s", c->host,
		    c->service != NULL ? c->service : "-", since, threshold,
		    verdict == CHECK_FRESH_RUN ? ": running its command now" : "");
		if (verdict == CHECK_FRESH_RUN) {
			/* an active check's command runs now; the threshold
			 * counts again from here */
			c->fresh_from = now;
			dispatch_fresh_run(e, c, now);
			continue;
		}
		snprintf(text, sizeof(text), "(no result for %.0f s: stale, the freshness threshold is %d s)",
		    now - (c->st.last_check > 0 ? c->st.last_check : e->started), threshold);
		memset(&r, 0, sizeof(r));
		r.status = c->stale_state;
		r.output = text;
		r.start = r.end = now;
		r.exit_code = -1;
		apply_result(e, c, &r, 0);
	}
}

static void
maintenance_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct engine *e = w->data;

	e->batch.maintenance = 1;
	batch_flush_start(e);
}

/* A stop asked before libev owns the signals: on standby, or while
 * starting to lead (handed to the skeleton, which delivers it then). */
static volatile sig_atomic_t stop_requested;

static void
standby_stop(int sig)
{
	stop_requested = sig;
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
	static const struct mq_handlers h = { on_setup, NULL, batch_on_confirm, on_down };
	const struct engine_opts *opts = d->arg;
	struct engine *e;
	PGconn *pc;
	char err[1024];
	int applied;

	if (opts->check_config) {
		printf("configuration OK: %zu hosts, %zu checks, %zu commands, "
		    "%zu apply rules\n", d->cfg->nhosts, d->cfg->nchecks,
		    d->cfg->ncommands, d->cfg->nrules);
		if (opts->explain != NULL)
			return explain_host(d->cfg, opts->explain, stdout);
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
	if (jobid_init(e, pc, err, sizeof(err)) < 0)
		log_fatal("%s", err);
	seen_init(&e->passive_seen, ENGINE_PASSIVE_SEEN);
	if (rows_seen_load(e, pc, err, sizeof(err)) < 0)
		log_fatal("loading the ids of passive results applied: %s", err);
	if (sync_config(pc, e->cfg, &e->checks, util_now(), err, sizeof(err)) < 0)
		log_fatal("config sync to postgres failed: %s", err);
	alert_init(&e->alert, e->cfg, &e->checks, batch_touch, e);
	e->alert.recheck = dispatch_recheck;
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
	dispatch_schedule_all(e);
	e->batch.gen = 1;

	snprintf(e->prefix, sizeof(e->prefix), "%s", e->cfg->prefix);	/* for good */
	topology_name(e->x_jobs, sizeof(e->x_jobs), e->cfg->prefix, "jobs");
	topology_name(e->x_events, sizeof(e->x_events), e->cfg->prefix, "events");
	topology_name(e->q_results, sizeof(e->q_results), e->cfg->prefix, "results");
	topology_name(e->q_dead, sizeof(e->q_dead), e->cfg->prefix, "jobs.dead");
	topology_name(e->q_unroutable, sizeof(e->q_unroutable), e->cfg->prefix, "jobs.unroutable");
	topology_name(e->q_commands, sizeof(e->q_commands), e->cfg->prefix, "commands");
	topology_name(e->q_heartbeats, sizeof(e->q_heartbeats), e->cfg->prefix, "heartbeats");
	presence_init(&e->presence, PRESENCE_WINDOW);
	flow_init(&e->flow);
	reload_count_pool_checks(e);

	e->db = db_new(e->loop, e->cfg->pg_conninfo, e->cfg->prefix, batch_done, e);
	e->mq = mq_new(e->loop, e->cfg->amqp_url, "engine", &h, e);
	mq_set_auth(e->mq, d->auth, d->allow_unauthenticated);
	mq_set_max_body(e->mq, e->cfg->max_message_size);
	ev_timer_init(&e->sched_timer, dispatch_sched_cb, 0., 0.);
	e->sched_timer.data = e;
	ev_timer_init(&e->flush_timer, batch_flush_cb, ENGINE_BATCH_DELAY, 0.);
	e->flush_timer.data = e;
	ev_timer_init(&e->passive_timer, intake_passive_cb, ENGINE_PASSIVE_HOLD, 0.);
	e->passive_timer.data = e;
	e->started = util_now();
	metrics_init(&e->metrics);
	e->results_queue = e->parked_queue = -1;
	ev_timer_init(&e->cron, cron_cb, 1., 1.);
	e->cron.data = e;
	ev_timer_start(e->loop, &e->cron);
	/* Partitions for the next days and the retention: now and hourly. */
	ev_timer_init(&e->maintenance, maintenance_cb, 0., 3600.);
	e->maintenance.data = e;
	ev_timer_start(e->loop, &e->maintenance);
	ev_prepare_init(&e->prepare, dispatch_prepare_cb);
	e->prepare.data = e;
	ev_prepare_start(e->loop, &e->prepare);
	ev_async_init(&e->reload_async, reload_async_cb);
	e->reload_async.data = e;
	ev_async_start(e->loop, &e->reload_async);
	e->rearm = 1;
	leader_watch(e->leader, e->loop, d->argv);
	mq_start(e->mq);
	/* last: a stop asked since leading began */
	d->stop_pending = stop_requested;
	return DAEMON_RUN;
}

static void
engine_teardown(struct daemon *d)
{
	struct engine *e = d->state;

	/* A config still being parsed is waited for and dropped. */
	ev_async_stop(e->loop, &e->reload_async);
	reload_abandon(e);

	/* Commit what was applied and ack it while the broker link is up, and
	 * leave the schedule behind for the next start. */
	{
		struct db_batch *sb = xcalloc(1, sizeof(*sb));

		sb->schedule = rows_schedule(&e->checks);
		db_submit(e->db, sb);
	}
	db_free(e->db);
	mq_free(e->mq);
	jobid_free(e);
	seen_free(&e->passive_seen);
	intake_passive_clear(e);
	ev_prepare_stop(e->loop, &e->prepare);
	ev_timer_stop(e->loop, &e->flush_timer);
	ev_timer_stop(e->loop, &e->maintenance);
	ev_timer_stop(e->loop, &e->cron);
	batch_clear(&e->batch);
	free(e->ob_wait);
	presence_clear(&e->presence);
	flow_clear(&e->flow);
	sched_clear(&e->sched);
	alert_clear(&e->alert);
	msg_command_clear(&e->reload_cmd);
	check_table_clear(&e->checks);
	config_free(e->cfg);
	leader_free(e->leader);	/* last: a standby may take over now */
	free(e);
	d->state = NULL;
}

static int
engine_offline(const void *arg)
{
	return ((const struct engine_opts *)arg)->check_config;
}

static int
opt_check_config(void *arg, const char *v, char *err, size_t errlen)
{
	((struct engine_opts *)arg)->check_config = 1;
	return 0;
}

static int
opt_explain(void *arg, const char *v, char *err, size_t errlen)
{
	((struct engine_opts *)arg)->check_config = 1;
	((struct engine_opts *)arg)->explain = v;
	return 0;
}

static const struct daemon_option engine_options[] = {
	{ "check-config", 256 + 10, NULL, "validate the configuration, print its errors, exit",
	  opt_check_config },
	{ "explain", 256 + 11, "HOST", "with --check-config: the checks HOST gets, "
	  "and from where (its services, apply rules), then exit", opt_explain },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct daemon_service engine_service = {
	.name = "vigil-engine",
	.purpose = "The scheduler and state keeper of vigil.",
	.config_flags = 0,
	.options = engine_options,
	.offline = engine_offline,
	.start = engine_start,
	.stop = engine_stop,
	.hup = engine_hup,
	.teardown = engine_teardown,
};
