/*
 * NAME
 *	notifier - vigil-notifier's loop: one state machine per delivery
 * DESCRIPTION
 *	See notifier.h. A delivery (struct delivery) lives from the message's
 *	arrival to its ack, reject or abandonment, in nf->all. Its message is
 *	acked or rejected after it is freed (dv_end()). on_down() frees
 *	deliveries; mq runs it from the loop, never from inside an ack, so
 *	the order is tidiness, not a guard against re-entry any more.
 *	Its phase says who holds it:
 *	  DV_CLAIM, DV_RECORD, DV_RECORD_FAILED   a pool thread (dv_work)
 *	  DV_RUN           the loop: its command runs (runner.h)
 *	  DV_PUBLISH       the loop: awaiting the broker's confirm of its
 *	                   copy in <prefix>.notify.failed or <prefix>.parked
 *	  DV_HOLD          the loop: a pause before a requeue or before
 *	                   recording again
 *	A thread fills in a verdict; dv_done() (on the loop) acts on it.
 *	dv_set_phase() is the one place phases change (logged at debug).
 *
 *	The loop must be libev's default loop: the runner reaps children
 *	through it. Only the loop thread forks (runner), so libev's SIGCHLD
 *	reaping never takes a child from a thread.
 * DIAGNOSTICS
 *	See notifier.h.
 */
#include "notifier_private.h"

static void dv_submit(struct delivery *d, enum dv_phase phase);
static void hold_cb(struct ev_loop *loop, ev_timer *w, int revents);

static void
dv_set_phase(struct delivery *d, enum dv_phase phase)
{
	log_debug("delivery phase id=%s %s->%s", d->decoded ? d->n.id : "-",
	    dv_phase_name[d->phase], dv_phase_name[phase]);
	d->phase = phase;
}

static struct delivery *
dv_new(struct notifier *nf, const struct mq_msg *m)
{
	struct delivery *d = xcalloc(1, sizeof(*d));

	d->nf = nf;
	d->ref = m->ref;
	d->body = xmalloc(m->len + 1);
	memcpy(d->body, m->body, m->len);
	d->body[m->len] = '\0';
	d->len = m->len;
	d->t0 = util_now();
	ev_init(&d->hold, hold_cb);
	d->hold.data = d;
	d->next = nf->all;
	if (nf->all != NULL)
		nf->all->prev = d;
	nf->all = d;
	nf->nall++;
	d->linked = 1;
	return d;
}

/* Out of nf->all, so that on_down() no longer sees it. */
static void
dv_unlink(struct delivery *d)
{
	struct notifier *nf = d->nf;

	if (!d->linked)
		return;
	if (d->prev != NULL)
		d->prev->next = d->next;
	else
		nf->all = d->next;
	if (d->next != NULL)
		d->next->prev = d->prev;
	d->next = d->prev = NULL;
	d->linked = 0;
	nf->nall--;
}

/* The one teardown. A delivery a thread holds is never freed here. */
static void
dv_free(struct delivery *d)
{
	struct notifier *nf = d->nf;

	dv_unlink(d);
	ev_timer_stop(nf->loop, &d->hold);
	if (d->run != NULL)
		runner_cancel(d->run);
	render_strv_free(d->argv);
	render_strv_free(d->envp);
	if (d->decoded)
		msg_notification_clear(&d->n);
	free(d->body);
	free(d);
}

/* Where a delivery goes, for logs: never a URL's path or a command's
 * arguments (secrets live there). */
static const char *
dv_target(const struct delivery *d, char *buf, size_t len)
{
	const struct notification_msg *n = &d->n;

	if (strcmp(n->channel, "email") == 0)
		snprintf(buf, len, "%s", n->email != NULL ? n->email : "-");
	else if (strcmp(n->channel, "slack") == 0)
		snprintf(buf, len, "%s", n->slack != NULL ? n->slack : "-");
	else if (strcmp(n->channel, "webhook") == 0)
		http_url_host(n->webhook != NULL ? n->webhook : "", buf, len);
	else
		snprintf(buf, len, "%s", n->ncommand > 0 ? n->command[0] : "-");
	return buf;
}

static void
dv_log(struct delivery *d, enum log_level lvl, const char *what)
{
	char to[300];

	log_msg(lvl, "delivery %s id=%s notification=%s contact=%s channel=%s to=%s attempt=%d "
	    "ms=%.0f%s%s%s", what, d->n.id, d->n.notification, d->n.contact, d->n.channel,
	    dv_target(d, to, sizeof(to)), d->attempt, (util_now() - d->t0) * 1000,
	    d->error[0] ? " error=\"" : "", d->error, d->error[0] ? "\"" : "");
}

/* Seconds after which another notifier takes over a claim: it must outlast
 * a live delivery. A send: the claim, the transfer (timeout), the record
 * (a statement). A command: the claim, the command (timeout, then the kill
 * grace), a wait for a free thread (at worst one delivery's timeout), the
 * record. The claim's token keeps a late outcome from overwriting a
 * takeover all the same. */
int
nf_stale(const struct notifier *nf)
{
	return 2 * nf->cfg->notifier.timeout + (int)NF_KILL_GRACE + NF_STATEMENT;
}

/* ---- on the loop ------------------------------------------------------ */

static void
dv_submit(struct delivery *d, enum dv_phase phase)
{
	dv_set_phase(d, phase);
	tpool_submit(d->nf->pool, d);
}

enum dv_end {
	END_ACK,
	END_RETRY,	/* reject: the broker moves it through the retry queue */
	END_REQUEUE,
};

/* Free d, then ack or reject its message with what was kept of it. */
static void
dv_end(struct delivery *d, enum dv_end end)
{
	struct mq *mq = d->nf->mq;
	struct mq_ref ref = d->ref;

	dv_free(d);
	if (end == END_ACK)
		mq_ack(mq, &ref, 0);
	else
		mq_reject(mq, &ref, end == END_REQUEUE);
}

/* A copy to an exchange of ours, acked (and then recorded) on confirm. */
static void
dv_publish(struct delivery *d, const char *exchange)
{
	struct mq_publish p = { .persistent = 1, .type = "notification" };

	p.message_id = d->decoded ? d->n.id : NULL;
	if (mq_publish(d->nf->mq, exchange, "", d->body, d->len, &p, &d->seq) < 0) {
		/* Down: the broker gives the message back to someone later. */
		log_warn("delivery abandoned id=%s reason=\"broker down\" action=redelivery",
		    d->decoded ? d->n.id : "-");
		dv_free(d);
		return;
	}
	dv_set_phase(d, DV_PUBLISH);
}

static void
hold_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct delivery *d = w->data;

	if (d->verdict == V_AGAIN) {
		dv_submit(d, d->again);
		return;
	}
	dv_end(d, END_REQUEUE);
}

static void
dv_hold(struct delivery *d)
{
	/* V_AGAIN from a claim: the claim was made and the attempt's outcome
	 * (recorded on the same thread) failed. Only the record is done
	 * again: claiming again would find our own claim busy, requeue, and
	 * once it went stale send a second time. */
	if (d->verdict == V_AGAIN)
		d->again = d->phase == DV_CLAIM ? DV_RECORD : d->phase;
	dv_set_phase(d, DV_HOLD);
	ev_timer_set(&d->hold, NF_PAUSE, 0.);
	ev_timer_start(d->nf->loop, &d->hold);
}

static void
db_state(struct notifier *nf, struct delivery *d)
{
	if (d->db_error && !nf->db_down) {
		nf->db_down = 1;
		log_warn("postgres unreachable reason=\"%s\" action=\"send nothing, requeue after "
		    "%.0f s\"", d->dberr, NF_PAUSE);
	} else if (!d->db_error && nf->db_down) {
		nf->db_down = 0;
		log_info("postgres reachable again");
	}
}

static void
run_done(struct run *run, const struct runner_result *res, void *arg)
{
	struct delivery *d = arg;
	const char *text;
	size_t n;

	d->run = NULL;
	d->ok = res->exited && res->exit_code == 0;
	d->permanent = 0;
	d->error[0] = '\0';
	if (d->ok) {
		dv_submit(d, DV_RECORD);
		return;
	}
	/* The first line it said: stderr, else stdout. */
	text = res->errlen > 0 ? res->err : res->out;
	n = strcspn(text, "\r\n");
	if (res->exec_errno != 0)
		snprintf(d->error, sizeof(d->error), "cannot execute %s: %s", d->argv[0],
		    strerror(res->exec_errno));
	else if (res->timed_out)
		snprintf(d->error, sizeof(d->error), "command timed out after %d s: %.*s",
		    d->nf->cfg->notifier.timeout, (int)(n > 300 ? 300 : n), text);
	else if (!res->exited)
		snprintf(d->error, sizeof(d->error), "command killed by signal %d: %.*s", res->signo,
		    (int)(n > 300 ? 300 : n), text);
	else
		snprintf(d->error, sizeof(d->error), "command exited %d: %.*s", res->exit_code,
		    (int)(n > 300 ? 300 : n), text);
	dv_submit(d, DV_RECORD);
}

static void
dv_run(struct delivery *d)
{
	struct runner_opts o;

	memset(&o, 0, sizeof(o));
	o.timeout = d->nf->cfg->notifier.timeout;
	o.kill_grace = NF_KILL_GRACE;
	o.output_limit = 8192;
	o.envp = d->envp;
	dv_set_phase(d, DV_RUN);
	d->run = runner_start(d->nf->loop, d->argv, &o, run_done, d, d->error, sizeof(d->error));
	if (d->run == NULL) {
		d->ok = 0;	/* fork or pipes failed: a retry may do */
		dv_submit(d, DV_RECORD);
	}
}

static void
dv_done(void *item, void *arg)
{
	struct delivery *d = item;
	struct notifier *nf = d->nf;

	db_state(nf, d);
	if (nf->stopping && d->verdict == V_REQUEUE) {
		/* Unacked, it goes back to the queue when we close. Not so
		 * V_AGAIN: its attempt is made, recording it is tried again
		 * until the stop's deadline (else its row stays 'sending'). */
		dv_free(d);
		return;
	}
	switch (d->verdict) {
	case V_ACK:
		if (d->lost)
			dv_log(d, LOG_WARN, "taken over by another notifier, outcome not recorded");
		else if (d->was_done)
			dv_log(d, LOG_INFO, strcmp(d->done_status, "sent") == 0 ?
			    "already sent, not sent again" : "already failed, not sent again");
		else if (d->phase == DV_RECORD_FAILED)
			dv_log(d, LOG_WARN, "failed, parked in notify.failed");
		else
			dv_log(d, LOG_INFO, "sent");
		dv_end(d, END_ACK);
		break;
	case V_RETRY:
		dv_log(d, LOG_WARN, "failed, will retry");
		dv_end(d, END_RETRY);
		break;
	case V_GIVE_UP:
		log_debug("delivery giving up id=%s permanent=%d", d->n.id, d->permanent);
		dv_publish(d, nf->x_failed);
		break;
	case V_RUN:
		dv_run(d);
		break;
	case V_PARK:
		dv_log(d, LOG_WARN, "parked");
		d->parked = 1;
		dv_publish(d, nf->x_parked);
		break;
	case V_REQUEUE:
		/* Every pause says it again: the outcome is logged later. */
		if (!d->db_error)
			dv_log(d, LOG_DEBUG, "busy, requeue");
		/* fall through */
	case V_AGAIN:
		dv_hold(d);
		break;
	}
}

static void
on_confirm(struct mq *mq, uint64_t seq, int multiple, int nack, void *arg)
{
	struct notifier *nf = arg;
	struct delivery *d, *next, *acks = NULL;

	for (d = nf->all; d != NULL; d = next) {
		next = d->next;
		if (d->phase != DV_PUBLISH || (multiple ? d->seq > seq : d->seq != seq))
			continue;
		if (nack) {
			log_warn("delivery copy refused by broker id=%s action=requeue",
			    d->decoded ? d->n.id : "-");
			d->verdict = V_REQUEUE;
			dv_hold(d);
		} else if (d->parked) {
			dv_unlink(d);
			d->next = acks;
			acks = d;
		} else
			dv_submit(d, DV_RECORD_FAILED);
	}
	/* Acked only now, off nf->all. */
	while ((d = acks) != NULL) {
		acks = d->next;
		dv_end(d, END_ACK);
	}
}

static void
on_delivery(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct notifier *nf = arg;
	struct delivery *d;
	char err[256];

	if (nf->stopping)
		return;	/* unacked: back to the queue when we close */
	d = dv_new(nf, m);
	/* Only the engine's deliveries are sent. */
	if (!mq_trusted(mq, m)) {
		log_warn("delivery refused reason=\"%s\" bytes=%zu action=park",
		    m->oversize > 0 ? "over max_message_size" : auth_verdict_name(m->auth),
		    m->oversize > 0 ? m->oversize : m->len);
		d->parked = 1;
		dv_publish(d, nf->x_parked);
		return;
	}
	if (msg_notification_decode(m->body, m->len, &d->n, err, sizeof(err)) < 0) {
		log_warn("delivery malformed reason=\"%s\" bytes=%zu action=park", err, m->len);
		d->parked = 1;
		dv_publish(d, nf->x_parked);
		return;
	}
	d->decoded = 1;
	/* Attempts so far = the times it expired out of the retry queue. */
	d->attempt = 1;
	if (m->death_queue != NULL && strcmp(m->death_queue, nf->retry_queue) == 0 &&
	    m->death_count > 0)
		d->attempt += m->death_count > 1000000 ? 1000000 : (int)m->death_count;
	log_debug("delivery received id=%s channel=%s attempt=%d redelivered=%d", d->n.id,
	    d->n.channel, d->attempt, m->redelivered);
	dv_submit(d, DV_CLAIM);
}

static int
on_setup(struct mq *mq, void *arg)
{
	struct notifier *nf = arg;

	if (topology_declare_exchanges(mq, nf->cfg->prefix, 0) < 0 ||
	    topology_declare_notify(mq, nf->cfg->prefix,
	    (int64_t)nf->cfg->notifier.retry_delay * 1000) < 0 ||
	    mq_consume(mq, nf->queue, (unsigned)nf->concurrency, on_delivery) < 0)
		return -1;
	log_info("consuming queue=%s concurrency=%d retry_delay=%ds attempts=%d", nf->queue,
	    nf->concurrency, nf->cfg->notifier.retry_delay, nf->cfg->notifier.retry_attempts);
	return 0;
}

static void
on_down(struct mq *mq, void *arg)
{
	struct notifier *nf = arg;
	struct delivery *d, *next;

	/* Their acks mean nothing on the next connection: the broker gives
	 * their messages again. Deliveries in a thread or running finish and
	 * record their outcome, so the redelivery finds it. */
	for (d = nf->all; d != NULL; d = next) {
		next = d->next;
		if (d->phase == DV_PUBLISH || (d->phase == DV_HOLD && d->verdict == V_REQUEUE))
			dv_free(d);
	}
}

static void
drain_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct notifier *nf = w->data;

	if (nf->nall == 0 || util_now() > nf->stop_deadline) {
		if (nf->nall > 0)
			log_warn("stopping with deliveries in hand count=%zu action=redelivery",
			    nf->nall);
		ev_break(loop, EVBREAK_ALL);
	}
}

/* Stopping: a delivery not claimed yet goes back to the queue; one that
 * waits to record an outcome (a command that ran, a send whose record
 * failed once) stays queued: freeing it would leave its row 'sending',
 * and another notifier would send it again once the claim is stale. */
static int
take_back(void *item, void *arg)
{
	struct delivery *d = item;

	if (d->phase != DV_CLAIM)
		return 0;
	dv_free(d);
	return 1;
}

static void
notifier_stop(struct daemon *dm)
{
	struct notifier *nf = dm->state;
	struct ev_loop *loop = nf->loop;
	struct delivery *d, *next, *held = NULL;

	nf->stopping = 1;
	log_info("stopping signal=%d deliveries=%zu", dm->stop_signal, nf->nall);
	/* Not claimed: back to the queue. Held for a requeue: requeue now.
	 * Held to record again: kept, the pause ends soon. */
	tpool_take_queued(nf->pool, take_back, nf);
	for (d = nf->all; d != NULL; d = next) {
		next = d->next;
		if (d->phase == DV_HOLD && d->verdict == V_REQUEUE) {
			dv_unlink(d);
			d->next = held;
			held = d;
		}
	}
	while ((d = held) != NULL) {
		held = d->next;
		dv_end(d, END_REQUEUE);
	}
	/* A command just started: its timeout, the kill grace, then the
	 * statement recording it. */
	nf->stop_deadline = util_now() + nf->cfg->notifier.timeout + NF_KILL_GRACE +
	    NF_STATEMENT + NF_STOP_GRACE;
	ev_timer_set(&nf->drain, 0., 0.1);
	ev_timer_start(loop, &nf->drain);
}

/* HUP: deliveries in flight on the pool's threads read the configuration
 * without a lock, so it is not swapped under them; a changed setting is
 * named as needing a restart, which loses nothing (unclaimed deliveries go
 * back to the queue, claimed ones finish first). */
static void
notifier_reload(struct daemon *dm, const struct config *ncfg)
{
	const struct notifier *nf = dm->state;
	const __typeof__(ncfg->notifier) *a = &nf->cfg->notifier, *b = &ncfg->notifier;
	int changed = !util_streq_null(a->smtp_url, b->smtp_url) ||
	    !util_streq_null(a->smtp_starttls, b->smtp_starttls) ||
	    !util_streq_null(a->smtp_password_env, b->smtp_password_env) ||
	    !util_streq_null(a->smtp_ca_file, b->smtp_ca_file) ||
	    !util_streq_null(a->slack_webhook_url_env, b->slack_webhook_url_env) ||
	    !util_streq_null(a->smtp_from, b->smtp_from) ||
	    !util_streq_null(a->smtp_user, b->smtp_user) ||
	    !util_streq_null(a->email_subject, b->email_subject) ||
	    !util_streq_null(a->email_body, b->email_body) ||
	    !util_streq_null(a->slack_text, b->slack_text) ||
	    !util_streq_null(a->ack_url, b->ack_url) ||
	    a->timeout != b->timeout || a->retry_attempts != b->retry_attempts ||
	    a->retry_delay != b->retry_delay || a->concurrency != b->concurrency ||
	    strcmp(config_amqp_url(nf->cfg, "notifier"), config_amqp_url(ncfg, "notifier")) != 0 ||
	    strcmp(nf->cfg->pg_conninfo, ncfg->pg_conninfo) != 0 ||
	    strcmp(nf->cfg->prefix, ncfg->prefix) != 0;

	if (changed)
		log_warn("reload: notifier settings changed; restart vigil-notifier to apply "
		    "(nothing is lost: unclaimed deliveries return to the queue)");
	else
		log_info("reload: configuration valid, unchanged for the notifier");
}

static int
notifier_start(struct daemon *dm)
{
	static const struct tpool_fns fns = { work_init, work_fini, work_run, dv_done };
	static const struct mq_handlers h = { on_setup, on_delivery, on_confirm, on_down };
	const struct notifier_opts *o = dm->arg;
	struct notifier *nf = xcalloc(1, sizeof(*nf));
	const char *v;

	dm->state = nf;
	nf->d = dm;
	nf->loop = dm->loop;
	nf->cfg = dm->cfg;
	nf->identity = dm->identity;
	nf->concurrency = o->concurrency > 0 ? o->concurrency : nf->cfg->notifier.concurrency;
	topology_name(nf->queue, sizeof(nf->queue), nf->cfg->prefix, "notify");
	topology_name(nf->retry_queue, sizeof(nf->retry_queue), nf->cfg->prefix, "notify.retry");
	topology_name(nf->x_failed, sizeof(nf->x_failed), nf->cfg->prefix, "notify.failed");
	topology_name(nf->x_parked, sizeof(nf->x_parked), nf->cfg->prefix, "parked");
	if (nf->cfg->notifier.smtp_password_env != NULL &&
	    (v = getenv(nf->cfg->notifier.smtp_password_env)) != NULL)
		nf->smtp_password = v;
	if ((v = getenv(nf->cfg->notifier.slack_webhook_url_env)) != NULL && *v != '\0')
		nf->slack_url = v;
	if (nf->cfg->notifier.smtp_user != NULL && nf->smtp_password == NULL)
		log_warn("smtp user set but no password: set notifier.smtp.password_env and that "
		    "variable");

	tzset();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		log_fatal("curl_global_init failed");
	nf->pool = tpool_new(nf->loop, nf->concurrency, &fns, nf);
	nf->mq = mq_new(nf->loop, config_amqp_url(nf->cfg, "notifier"), "notifier", &h, nf);
	mq_set_auth(nf->mq, dm->auth, dm->allow_unauthenticated);
	mq_set_max_body(nf->mq, nf->cfg->max_message_size);
	ev_init(&nf->drain, drain_cb);
	nf->drain.data = nf;
	log_info("started concurrency=%d identity=%s timeout=%ds slack=%s", nf->concurrency,
	    nf->identity, nf->cfg->notifier.timeout, nf->slack_url != NULL ? "configured" : "not set");
	mq_start(nf->mq);
	return DAEMON_RUN;
}

static void
notifier_teardown(struct daemon *dm)
{
	struct notifier *nf = dm->state;

	ev_timer_stop(nf->loop, &nf->drain);
	/* Unacked deliveries go back to the queue with the connection. */
	mq_free(nf->mq);
	/* An outcome not recorded yet gets one more try, so the row does
	 * not stay 'sending': what is held to record again is queued, and
	 * tpool_free() works off the queue (no claim is on it: notifier_stop()
	 * took those back, and nothing claims after it). */
	for (struct delivery *d = nf->all; d != NULL; d = d->next)
		if (d->phase == DV_HOLD && d->verdict == V_AGAIN) {
			ev_timer_stop(nf->loop, &d->hold);
			dv_set_phase(d, d->again);
			tpool_submit(nf->pool, d);
		}
	tpool_free(nf->pool);
	while (nf->all != NULL)
		dv_free(nf->all);
	curl_global_cleanup();
	free(nf);
	dm->state = NULL;
}

static int
opt_concurrency(void *arg, const char *v, char *err, size_t errlen)
{
	return util_parse_int_opt(v, 1, 1024, &((struct notifier_opts *)arg)->concurrency, err, errlen);
}

static const struct daemon_option notifier_options[] = {
	{ "concurrency", 'n', "N", "deliveries at once, 1..1024 (default: notifier.concurrency)",
	  opt_concurrency },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct daemon_service notifier_service = {
	.name = "vigil-notifier",
	.purpose = "Delivers vigil's notifications (email, Slack, webhooks, commands).",
	.config_flags = CONFIG_DAEMON_ONLY | CONFIG_RESOURCES,
	.options = notifier_options,
	.start = notifier_start,
	.stop = notifier_stop,
	.reload = notifier_reload,
	.teardown = notifier_teardown,
};
