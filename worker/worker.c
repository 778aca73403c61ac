/*
 * NAME
 *	worker - vigil-worker: take jobs of one pool, run plugins, publish results
 * DESCRIPTION
 *	See worker.h. Confirms arrive in publish order per channel, so the
 *	jobs awaiting them are a FIFO keyed by publish sequence number.
 *
 *	A result is kept (encoded) until the broker confirmed it. When the
 *	link drops, the results still awaiting a confirm, and those of
 *	plugins that finish while it is down, are held and published again
 *	once it is back. Dropping them and counting on the job's redelivery
 *	is not enough: jobs are transient, and a restarted broker has lost
 *	them, so the worker holds the only copy of a check that ran. Where
 *	the job did survive, it is run again and the engine drops the second
 *	result by its job id.
 *
 *	Heartbeats share the publishing channel, so their confirms come too;
 *	on_confirm finds no task of theirs and ignores them. A heartbeat is
 *	not persistent and nothing waits for it: the next one replaces it.
 * DIAGNOSTICS
 *	See worker.h.
 * SECURITY
 *	A job runs only when it carries the engine's tag (auth.h; untagged
 *	ones only with allow_unauthenticated) and its argv[0] lies in the
 *	plugin directories (plugin_dir, vigil_plugin_dir, plugin_dirs);
 *	anything else runs nothing. Job argv may carry secrets ($USERn$):
 *	never logged. A worker started as root runs each plugin as
 *	worker.plugin_user (groups, gid, uid set in the child before exec),
 *	never as root unless worker.allow_root_plugins; the worker itself
 *	keeps root, so plugins cannot read its key file or signal it.
 */
#include "worker.h"
#include "plugins.h"
#include "auth.h"
#include "config.h"
#include "daemon.h"
#include "log.h"
#include "mq.h"
#include "msg.h"
#include "result.h"
#include "runner.h"
#include "topology.h"
#include "util.h"
#include "xalloc.h"

#include <ev.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VIGIL_VERSION
#define VIGIL_VERSION PACKAGE_VERSION
#endif

#define WORKER_HEARTBEAT 5.0	/* seconds between heartbeats */

/* A job taken from the queue, from delivery to ack. */
struct task {
	struct worker *w;
	struct job job;
	struct mq_ref ref;
	struct mq_ref *dups;	/* the same job delivered again meanwhile */
	size_t ndups, capdups;
	struct run *run;
	char *plugin;		/* argv[0] as configured ($USERn$ unfilled) */
	char *result;		/* encoded result, kept until confirmed */
	size_t result_len;
	uint64_t seq;		/* publish sequence of its result */
	struct task *next;	/* in the running list, confirm FIFO or held list */
	struct task *prev;
};

struct worker {
	struct daemon *d;		/* host, identity, start time */
	struct plugins plugins;		/* which, as whom, $USERn$ (plugins.h) */
	struct ev_loop *loop;		/* d's */
	const struct config *cfg;	/* d's */
	char *pool;
	char *env_add[2];		/* VIGIL_POOL=<pool>, for the plugins */
	int concurrency;
	char queue[256], x_results[256], x_events[256], rk_heartbeat[300];
	struct mq *mq;
	ev_timer resend;		/* publishes held results after a reconnect */
	ev_timer beat;			/* heartbeats */

	struct task *running;		/* doubly linked */
	struct task *await_head, *await_tail;	/* results awaiting confirm */
	struct task *held_head, *held_tail;	/* results awaiting the link */
	struct recent {
		uint64_t *cur, *prev;	/* open addressing, RECENT_SLOTS each */
		size_t ncur;
	} done;			/* jobs whose result the broker confirmed */
	size_t nrunning, nawait, nheld;
};

static void
task_free(struct task *t)
{
	if (t == NULL)
		return;
	msg_job_clear(&t->job);
	free(t->plugin);
	free(t->dups);
	free(t->result);
	free(t);
}

static void
running_remove(struct worker *w, struct task *t)
{
	if (t->prev != NULL)
		t->prev->next = t->next;
	else
		w->running = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
	w->nrunning--;
}

static void
await_push(struct worker *w, struct task *t)
{
	t->next = NULL;
	if (w->await_tail != NULL)
		w->await_tail->next = t;
	else
		w->await_head = t;
	w->await_tail = t;
	w->nawait++;
}

static void
held_push(struct worker *w, struct task *t)
{
	t->next = NULL;
	if (w->held_tail != NULL)
		w->held_tail->next = t;
	else
		w->held_head = t;
	w->held_tail = t;
	w->nheld++;
}

static void
list_free(struct task **head, struct task **tail, size_t *n)
{
	while (*head != NULL) {
		struct task *t = *head;

		*head = t->next;
		task_free(t);
	}
	*tail = NULL;
	*n = 0;
}

/* Send t's result; -1 when the link is down (t is then the caller's). */
static int
result_send(struct worker *w, struct task *t)
{
	struct mq_publish p = { .persistent = 1 };

	p.message_id = t->job.id;
	return mq_publish(w->mq, w->x_results, TOPO_RK_ACTIVE, t->result, t->result_len,
	    &p, &t->seq);
}

/* Publish r for task t; then t waits for the broker's confirm, or for the
 * link when it is down (or older results wait for it: they go first). */
static void
publish_result(struct worker *w, struct task *t, struct result_msg *r)
{
	memcpy(r->job, t->job.id, sizeof(r->job));
	r->kind = t->job.kind;	/* an event handler's outcome says so */
	r->check_id = t->job.check_id;
	r->host = t->job.host;
	r->service = t->job.service;
	r->pool = t->job.pool;
	r->worker = w->d->identity;
	r->scheduled = t->job.scheduled;
	t->result = msg_result_encode(r, &t->result_len);
	if (w->held_head == NULL && result_send(w, t) == 0) {
		await_push(w, t);
		return;
	}
	if (!mq_is_up(w->mq))
		log_info("result held job=%s host=%s reason=\"broker down\" action=publish-after-reconnect",
		    t->job.id, t->job.host);
	held_push(w, t);	/* up: resend_cb is due and takes it too */
}

/* A job this worker will not run (its plugin outside the plugin
 * directories, a $USERn$ it has no value for): it runs nothing and its
 * check says why, in text (taken). */
static void
refuse_job(struct worker *w, struct task *t, char *text)
{
	struct result_msg r;

	log_warn("job refused job=%s host=%s service=%s reason=\"%s\"", t->job.id, t->job.host,
	    t->job.service != NULL ? t->job.service : "-", text);
	memset(&r, 0, sizeof(r));
	r.status = 3;
	r.output = text;
	r.start = r.end = util_now();
	r.exit_code = -1;
	publish_result(w, t, &r);
	free(text);
}

/* The link is back: publish the held results, oldest first. */
static void
resend_cb(struct ev_loop *loop, ev_timer *timer, int revents)
{
	struct worker *w = timer->data;
	size_t n = 0;

	while (w->held_head != NULL && mq_is_up(w->mq)) {
		struct task *t = w->held_head;

		/* On failure t stays first: the link went down again, and
		 * on_down (from the loop, soon) puts the results sent before
		 * it ahead of it. */
		if (result_send(w, t) < 0)
			break;
		w->held_head = t->next;
		if (w->held_head == NULL)
			w->held_tail = NULL;
		w->nheld--;
		await_push(w, t);
		n++;
	}
	if (n > 0)
		log_info("held results published count=%zu", n);
}

static void
run_done(struct run *run, const struct runner_result *res, void *arg)
{
	struct task *t = arg;
	struct worker *w = t->w;
	struct plugin_outcome o;
	struct result_msg r;
	char *text;

	running_remove(w, t);
	t->run = NULL;
	memset(&o, 0, sizeof(o));
	o.exited = res->exited;
	o.exit_code = res->exit_code;
	o.signo = res->signo;
	o.timed_out = res->timed_out;
	o.exec_errno = res->exec_errno;
	o.out = res->out;
	o.outlen = res->outlen;
	o.out_truncated = res->out_truncated;
	o.err = res->err;
	o.errlen = res->errlen;
	o.output_limit = w->cfg->worker.output_limit;
	o.timeout = t->job.timeout;
	o.timeout_state = t->job.timeout_state;
	o.is_host = t->job.service == NULL;
	o.plugin = t->plugin;	/* never a $USERn$ value in the output */

	memset(&r, 0, sizeof(r));
	r.status = result_from_outcome(&o, &text);
	r.output = text;
	r.start = res->start;
	r.end = res->end;
	r.exit_code = res->exited ? res->exit_code : -1;
	r.signo = res->signo;
	r.timed_out = res->timed_out;
	if (res->timed_out)
		log_warn("plugin timed out job=%s host=%s service=%s timeout=%d",
		    t->job.id, t->job.host, t->job.service != NULL ? t->job.service : "-",
		    t->job.timeout);
	log_debug("check done job=%s host=%s service=%s status=%d ms=%.1f", t->job.id,
	    t->job.host, t->job.service != NULL ? t->job.service : "-", r.status,
	    (res->end - res->start) * 1000);
	publish_result(w, t, &r);
	free(text);
}

/* Jobs done lately, to recognise one the engine sends again after a
 * reconnect once its result was already confirmed and the task freed. Two
 * generations of a hash set of the ids' hashes: when the current one is
 * half full it becomes the previous one, so between RECENT_SLOTS / 2 and
 * RECENT_SLOTS ids are remembered, in O(1) and fixed memory. */
#define RECENT_SLOTS 8192

static uint64_t
recent_key(const char *id)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 0x100000001b3ULL;
	return h != 0 ? h : 1;	/* 0 marks an empty slot */
}

static int
recent_in(const uint64_t *set, uint64_t k)
{
	size_t i = (size_t)(k & (RECENT_SLOTS - 1));

	if (set == NULL)
		return 0;
	for (; set[i] != 0; i = (i + 1) & (RECENT_SLOTS - 1))
		if (set[i] == k)
			return 1;
	return 0;
}

static void
recent_add(struct recent *r, const char *id)
{
	uint64_t k = recent_key(id);
	size_t i;

	if (recent_in(r->cur, k))
		return;
	if (r->cur == NULL || r->ncur >= RECENT_SLOTS / 2) {
		free(r->prev);
		r->prev = r->cur;
		r->cur = xcalloc(RECENT_SLOTS, sizeof(*r->cur));
		r->ncur = 0;
	}
	for (i = (size_t)(k & (RECENT_SLOTS - 1)); r->cur[i] != 0; i = (i + 1) & (RECENT_SLOTS - 1))
		;
	r->cur[i] = k;
	r->ncur++;
}

static int
recent_has(const struct recent *r, const char *id)
{
	uint64_t k = recent_key(id);

	return recent_in(r->cur, k) || recent_in(r->prev, k);
}

static void
on_confirm(struct mq *mq, uint64_t seq, int multiple, int nack, void *arg)
{
	struct worker *w = arg;
	struct task **pp = &w->await_head, *t, *last = NULL;

	/* Confirms normally come in order (one queue), so this stops at the
	 * head; a single out-of-order confirm is still found. */
	while ((t = *pp) != NULL) {
		if (multiple ? t->seq > seq : t->seq != seq) {
			if (multiple)
				break;
			last = t;
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		/* The list is whole before any mq_* call (on_down, which
		 * moves it to the held one, runs later from the loop). */
		if (t == w->await_tail)
			w->await_tail = last;
		w->nawait--;
		if (nack && t->ref.gen != mq_generation(mq)) {
			/* Its job came from a connection that is gone: nothing
			 * to requeue, so this result is the only copy. Publish
			 * it again (with the held ones) rather than lose it. */
			log_warn("result refused by broker job=%s action=publish-again", t->job.id);
			held_push(w, t);
			ev_timer_stop(w->loop, &w->resend);	/* set needs it stopped */
			ev_timer_set(&w->resend, 1., 0.);
			ev_timer_start(w->loop, &w->resend);
			if (!multiple)
				break;
			continue;
		} else if (nack) {
			/* The broker could not take the result: run it again. */
			log_warn("result refused by broker job=%s action=requeue", t->job.id);
			mq_reject(mq, &t->ref, 1);
			for (size_t i = 0; i < t->ndups; i++)
				mq_reject(mq, &t->dups[i], 1);
		} else {
			log_debug("result confirmed job=%s host=%s seq=%llu", t->job.id,
			    t->job.host, (unsigned long long)t->seq);
			/* Skipped for a delivery of an older connection: the
			 * broker took that job back already. */
			mq_ack(mq, &t->ref, 0);
			for (size_t i = 0; i < t->ndups; i++)
				mq_ack(mq, &t->dups[i], 0);
			recent_add(&w->done, t->job.id);
		}
		task_free(t);
		if (!multiple)
			break;
	}
	/* Recompute the tail: cheap, the FIFO is at most concurrency long. */
	for (last = NULL, t = w->await_head; t != NULL; t = t->next)
		last = t;
	w->await_tail = last;
}

/* The task of job id, running or with its result not yet confirmed. */
static struct task *
task_find(struct worker *w, const char *id)
{
	struct task *lists[3] = { w->running, w->await_head, w->held_head };

	for (int i = 0; i < 3; i++)
		for (struct task *t = lists[i]; t != NULL; t = t->next)
			if (strcmp(t->job.id, id) == 0)
				return t;
	return NULL;
}

static void
on_delivery(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct worker *w = arg;
	struct task *t = xcalloc(1, sizeof(*t));
	struct runner_opts ro;
	char err[256];
	double now = util_now();

	t->w = w;
	t->ref = m->ref;
	/* Only the engine's jobs run: one without its tag (or under a key
	 * this worker does not hold) goes to the dead letters, where the
	 * engine parks it, and runs nothing. */
	if (!mq_trusted(mq, m)) {
		log_warn("job refused reason=\"%s\" bytes=%zu action=dead-letter",
		    m->oversize > 0 ? "over max_message_size" : auth_verdict_name(m->auth),
		    m->oversize > 0 ? m->oversize : m->len);
		mq_reject(mq, &m->ref, 0);
		task_free(t);
		return;
	}
	if (msg_job_decode(m->body, m->len, &t->job, err, sizeof(err)) < 0) {
		log_warn("job rejected reason=\"%s\" bytes=%zu", err, m->len);
		mq_reject(mq, &m->ref, 0);
		task_free(t);
		return;
	}
	/* The engine sends its jobs in flight again after a reconnect (the
	 * broker may have lost them). One this worker still runs, or whose
	 * result awaits the broker, is not run twice: the delivery is acked
	 * with it. */
	{
		struct task *same = task_find(w, t->job.id);

		if (same != NULL) {
			log_debug("job delivered again while in hand job=%s", t->job.id);
			xgrow((void **)&same->dups, &same->capdups, same->ndups + 1, sizeof(*same->dups));
			same->dups[same->ndups++] = m->ref;
			task_free(t);
			return;
		}
		if (recent_has(&w->done, t->job.id)) {
			log_debug("job delivered again after its result was confirmed job=%s", t->job.id);
			mq_ack(mq, &m->ref, 0);
			task_free(t);
			return;
		}
	}
	/* Past its deadline by this worker's clock: run it all the same. The
	 * broker, one clock for all, already drops what expires in the queue;
	 * a job delivered in time reaches this point late only because this
	 * loop was busy or this machine's clock runs ahead, and the engine
	 * holds back what no worker has room for. A late result is a result
	 * (Nagios runs its late checks); an UNKNOWN for it is a false alarm. */
	if (now > t->job.deadline)
		log_debug("job started past its deadline job=%s late=%.3f", t->job.id,
		    now - t->job.deadline);
	/* What the check says of its plugin: as configured ($USERn$ unfilled). */
	t->plugin = xstrdup(t->job.argv[0]);
	{
		char *why = NULL;

		if (t->job.users != NULL && plugins_expand(&w->plugins, &t->job, &why) < 0) {
			refuse_job(w, t, why);
			return;
		}
	}
	if (t->job.argv[0][0] != '/' || !plugins_allowed(&w->plugins, t->job.argv[0])) {
		refuse_job(w, t, xasprintf("UNKNOWN: %s is outside this worker's plugin directories "
		    "(plugin_dir, vigil_plugin_dir, plugin_dirs): not run", t->plugin));
		return;
	}
	memset(&ro, 0, sizeof(ro));
	ro.timeout = t->job.timeout;
	ro.output_limit = w->cfg->worker.output_limit;
	ro.env_add = w->env_add;
	ro.reap_group = 1;	/* nothing a check forked outlives it */
	plugins_runner_opts(&w->plugins, &ro);
	t->run = runner_start(w->loop, t->job.argv, &ro, run_done, t, err, sizeof(err));
	if (t->run == NULL) {
		/* fork or pipe failed: the machine is out of something. Give
		 * the job back for another worker. */
		log_error("cannot start plugin job=%s reason=\"%s\" action=requeue", t->job.id, err);
		mq_reject(mq, &m->ref, 1);
		task_free(t);
		return;
	}
	t->next = w->running;
	if (w->running != NULL)
		w->running->prev = t;
	w->running = t;
	w->nrunning++;
}

/* Tell the engine this worker is alive and how busy it is (msg.h). */
static void
heartbeat_send(struct worker *w, int stopping)
{
	struct worker_msg m;
	struct mq_publish p = { .persistent = 0 };
	char *body;
	size_t len;

	if (!mq_is_up(w->mq))
		return;	/* the engine counts the silence; nothing to catch up */
	memset(&m, 0, sizeof(m));
	m.pool = w->pool;
	m.host = w->d->host;
	m.id = w->d->identity;
	m.version = VIGIL_VERSION;
	m.pid = (int64_t)getpid();
	m.concurrency = w->concurrency;
	m.running = (int)w->nrunning;
	m.awaiting = (int)(w->nawait + w->nheld);
	m.started = w->d->started;
	m.time = util_now();
	m.stopping = stopping;
	body = msg_worker_encode(&m, &len);
	p.type = "worker";
	if (mq_publish(w->mq, w->x_events, w->rk_heartbeat, body, len, &p, NULL) < 0)
		log_debug("heartbeat not sent reason=\"broker down\"");
	free(body);
}

static void
beat_cb(struct ev_loop *loop, ev_timer *timer, int revents)
{
	heartbeat_send(timer->data, 0);
}

static int
on_setup(struct mq *mq, void *arg)
{
	struct worker *w = arg;

	if (topology_declare_pool(mq, w->cfg->prefix, w->pool) < 0 ||
	    mq_consume(mq, w->queue, (unsigned)w->concurrency, on_delivery) < 0)
		return -1;
	log_info("consuming queue=%s concurrency=%d", w->queue, w->concurrency);
	/* Publish held results from the loop, once the connection is fully
	 * up, not from inside its setup. */
	if (w->held_head != NULL) {
		ev_timer_stop(w->loop, &w->resend);
		ev_timer_set(&w->resend, 0., 0.);
		ev_timer_start(w->loop, &w->resend);
	}
	/* A heartbeat at once (from the loop too), then every few seconds. */
	ev_timer_stop(w->loop, &w->beat);
	ev_timer_set(&w->beat, 0., WORKER_HEARTBEAT);
	ev_timer_start(w->loop, &w->beat);
	return 0;
}

static void
on_down(struct mq *mq, void *arg)
{
	struct worker *w = arg;

	/* Results not confirmed yet may never have reached the broker: hold
	 * them, ahead of those held already (they are older). */
	if (w->await_head != NULL) {
		w->await_tail->next = w->held_head;
		if (w->held_head == NULL)
			w->held_tail = w->await_tail;
		w->held_head = w->await_head;
		w->nheld += w->nawait;
		w->await_head = w->await_tail = NULL;
		w->nawait = 0;
	}
	ev_timer_stop(w->loop, &w->resend);
	ev_timer_stop(w->loop, &w->beat);
	if (w->nheld > 0)
		log_info("results held count=%zu reason=\"broker down\" action=publish-after-reconnect",
		    w->nheld);
}

static void
worker_stop(struct daemon *d)
{
	struct worker *w = d->state;

	log_info("stopping signal=%d running=%zu", d->stop_signal, w->nrunning);
	ev_break(d->loop, EVBREAK_ALL);
}

/* HUP: the pool, concurrency and broker are the worker's identity on the
 * broker; they change with a restart, which loses nothing (running jobs go
 * back to the queue). Say so instead of pretending. */
static void
worker_reload(struct daemon *d, const struct config *ncfg)
{
	struct worker *w = d->state;
	const struct worker_opts *o = d->arg;
	int changed = 0;

	if (o->pool == NULL && strcmp(ncfg->worker.pool, w->pool) != 0)
		changed = 1, log_warn("reload: worker.pool changed to %s; restart to apply", ncfg->worker.pool);
	if (o->concurrency == 0 && ncfg->worker.concurrency != w->concurrency)
		changed = 1, log_warn("reload: worker.concurrency changed to %d; restart to apply",
		    ncfg->worker.concurrency);
	if (strcmp(config_amqp_url(ncfg, "worker"), config_amqp_url(w->cfg, "worker")) != 0 ||
	    strcmp(ncfg->prefix, w->cfg->prefix) != 0)
		changed = 1, log_warn("reload: amqp or prefix changed; restart to apply");
	if (ncfg->worker.output_limit != w->cfg->worker.output_limit)
		changed = 1, log_warn("reload: worker.output_limit changed to %zu; restart to apply",
		    ncfg->worker.output_limit);
	if (strcmp(ncfg->worker.plugin_user, w->cfg->worker.plugin_user) != 0 ||
	    ncfg->worker.allow_root_plugins != w->cfg->worker.allow_root_plugins)
		changed = 1, log_warn("reload: worker.plugin_user or allow_root_plugins changed; "
		    "restart to apply");
	if ((ncfg->plugin_dirs == NULL) != (w->cfg->plugin_dirs == NULL) ||
	    (ncfg->plugin_dirs != NULL && strcmp(ncfg->plugin_dirs, w->cfg->plugin_dirs) != 0) ||
	    strcmp(ncfg->plugin_dir, w->cfg->plugin_dir) != 0 ||
	    strcmp(ncfg->vigil_plugin_dir, w->cfg->vigil_plugin_dir) != 0)
		changed = 1, log_warn("reload: plugin directories changed; restart to apply");
	/* The resource file is read again: new $USERn$ values apply to the
	 * next jobs. */
	plugins_take_users(&w->plugins, ncfg);
	if (!changed)
		log_info("reload: configuration valid, unchanged for this worker");
}

static void worker_teardown(struct daemon *d);

static int
worker_start(struct daemon *d)
{
	static const struct mq_handlers h = { on_setup, on_delivery, on_confirm, on_down };
	const struct worker_opts *o = d->arg;
	struct worker *w = xcalloc(1, sizeof(*w));

	d->state = w;
	w->d = d;
	w->loop = d->loop;
	w->cfg = d->cfg;
	w->pool = xstrdup(o->pool != NULL ? o->pool : w->cfg->worker.pool);
	w->concurrency = o->concurrency > 0 ? o->concurrency : w->cfg->worker.concurrency;
	w->env_add[0] = xasprintf("VIGIL_POOL=%s", w->pool);
	snprintf(w->queue, sizeof(w->queue), "%s.jobs.%s", w->cfg->prefix, w->pool);
	topology_name(w->x_results, sizeof(w->x_results), w->cfg->prefix, "results");
	topology_name(w->x_events, sizeof(w->x_events), w->cfg->prefix, "events");
	topology_worker_key(w->rk_heartbeat, sizeof(w->rk_heartbeat), w->pool);
	{
		char err[512];

		if (plugins_init(&w->plugins, w->cfg, err, sizeof(err)) < 0) {
			fprintf(stderr, "vigil-worker: %s\n", err);
			worker_teardown(d);
			return 1;
		}
	}

	w->mq = mq_new(w->loop, config_amqp_url(w->cfg, "worker"), "worker", &h, w);
	mq_set_auth(w->mq, d->auth, d->allow_unauthenticated);
	mq_set_max_body(w->mq, w->cfg->max_message_size);
	ev_timer_init(&w->resend, resend_cb, 0., 0.);
	w->resend.data = w;
	ev_timer_init(&w->beat, beat_cb, 0., WORKER_HEARTBEAT);
	w->beat.data = w;
	log_info("started pool=%s concurrency=%d identity=%s", w->pool, w->concurrency, d->identity);
	mq_start(w->mq);
	return DAEMON_RUN;
}

static void
worker_teardown(struct daemon *d)
{
	struct worker *w = d->state;

	/* The engine forgets this worker at once instead of after its
	 * silence (the broker gets it before the close below). Not when
	 * the start was refused: no link yet. */
	if (w->mq != NULL)
		heartbeat_send(w, 1);
	/* Running plugins die; their unacked jobs return to the queue. */
	while (w->running != NULL) {
		struct task *t = w->running;

		running_remove(w, t);
		runner_cancel(t->run);
		task_free(t);
	}
	ev_timer_stop(w->loop, &w->resend);
	ev_timer_stop(w->loop, &w->beat);
	mq_free(w->mq);
	/* Unconfirmed and held results: their jobs were not acked. */
	list_free(&w->await_head, &w->await_tail, &w->nawait);
	list_free(&w->held_head, &w->held_tail, &w->nheld);
	free(w->done.cur);
	free(w->done.prev);
	free(w->env_add[0]);
	plugins_clear(&w->plugins);
	free(w->pool);
	free(w);
	d->state = NULL;
}

static int
opt_pool(void *arg, const char *v, char *err, size_t errlen)
{
	if (*v == '\0') {
		snprintf(err, errlen, "expected a pool name");
		return -1;
	}
	((struct worker_opts *)arg)->pool = v;
	return 0;
}

static int
opt_concurrency(void *arg, const char *v, char *err, size_t errlen)
{
	return util_parse_int_opt(v, 1, 65535, &((struct worker_opts *)arg)->concurrency, err, errlen);
}

static const struct daemon_option worker_options[] = {
	{ "pool", 'p', "NAME", "the pool (location) to take jobs of (default: worker.pool)", opt_pool },
	{ "concurrency", 'n', "N", "plugins run at once, 1..65535 (default: worker.concurrency)",
	  opt_concurrency },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct daemon_service worker_service = {
	.name = "vigil-worker",
	.purpose = "Runs check plugins for one pool of vigil.",
	.config_flags = CONFIG_DAEMON_ONLY | CONFIG_RESOURCES,
	.privilege = DAEMON_KEEP_ROOT,
	.options = worker_options,
	.start = worker_start,
	.stop = worker_stop,
	.reload = worker_reload,
	.teardown = worker_teardown,
};
