/*
 * NAME
 *	worker - vigil-worker: take jobs of one pool, run plugins, publish results
 * DESCRIPTION
 *	See worker.h. Confirms arrive in publish order per channel, so the
 *	jobs awaiting them are a FIFO keyed by publish sequence number.
 * DIAGNOSTICS
 *	See worker.h.
 * SECURITY
 *	Job argv may carry secrets ($USERn$): never logged. Plugins run with
 *	the worker's privileges (dropping to plugin_user is not done yet).
 */
#include "worker.h"
#include "config.h"
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

/* A job taken from the queue, from delivery to ack. */
struct task {
	struct worker *w;
	struct job job;
	struct mq_ref ref;
	struct run *run;
	uint64_t seq;		/* publish sequence of its result */
	struct task *next;	/* in the running list or the confirm FIFO */
	struct task *prev;
};

struct worker {
	struct ev_loop *loop;
	struct config *cfg;
	const char *pool;
	int concurrency;
	char identity[300];
	char queue[256], x_results[256];
	struct mq *mq;
	ev_signal sig_term, sig_int;

	struct task *running;		/* doubly linked */
	struct task *await_head, *await_tail;	/* results awaiting confirm */
	size_t nrunning, nawait;
};

static void
task_free(struct task *t)
{
	if (t == NULL)
		return;
	msg_job_clear(&t->job);
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
await_drop_all(struct worker *w)
{
	while (w->await_head != NULL) {
		struct task *t = w->await_head;

		w->await_head = t->next;
		task_free(t);
	}
	w->await_tail = NULL;
	w->nawait = 0;
}

/* Publish r for task t; on success t waits for the broker's confirm. */
static void
publish_result(struct worker *w, struct task *t, struct result_msg *r)
{
	char *body;
	size_t len;
	struct mq_publish p = { .persistent = 1 };
	int rc;

	memcpy(r->job, t->job.id, sizeof(r->job));
	r->check_id = t->job.check_id;
	r->host = t->job.host;
	r->service = t->job.service;
	r->pool = t->job.pool;
	r->worker = w->identity;
	r->scheduled = t->job.scheduled;
	p.message_id = t->job.id;
	body = msg_result_encode(r, &len);
	rc = mq_publish(w->mq, w->x_results, TOPO_RK_ACTIVE, body, len, &p, &t->seq);
	free(body);
	if (rc < 0) {
		/* The link is gone: the job was not acked and comes back. */
		log_warn("result not published job=%s host=%s reason=\"broker down\" action=job-redelivered",
		    t->job.id, t->job.host);
		task_free(t);
		return;
	}
	await_push(w, t);
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
	o.plugin = t->job.argv[0];

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
		w->nawait--;
		if (nack) {
			/* The broker could not take the result: run it again. */
			log_warn("result refused by broker job=%s action=requeue", t->job.id);
			mq_reject(mq, &t->ref, 1);
		} else {
			log_debug("result confirmed job=%s host=%s seq=%llu", t->job.id,
			    t->job.host, (unsigned long long)t->seq);
			mq_ack(mq, &t->ref, 0);
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
	if (msg_job_decode(m->body, m->len, &t->job, err, sizeof(err)) < 0) {
		log_warn("job rejected reason=\"%s\" bytes=%zu", err, m->len);
		mq_reject(mq, &m->ref, 0);
		task_free(t);
		return;
	}
	if (now > t->job.deadline) {
		struct result_msg r;
		char text[300];

		snprintf(text, sizeof(text),
		    "(no worker in pool %s started the check within %.0f s)", t->job.pool,
		    t->job.deadline - t->job.scheduled);
		memset(&r, 0, sizeof(r));
		r.status = STATUS_UNKNOWN;
		r.output = text;
		r.start = r.end = now;
		r.exit_code = -1;
		publish_result(w, t, &r);
		return;
	}
	memset(&ro, 0, sizeof(ro));
	ro.timeout = t->job.timeout;
	ro.output_limit = w->cfg->worker.output_limit;
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

static int
on_setup(struct mq *mq, void *arg)
{
	struct worker *w = arg;

	if (topology_declare_pool(mq, w->cfg->prefix, w->pool) < 0 ||
	    mq_consume(mq, w->queue, (unsigned)w->concurrency) < 0)
		return -1;
	log_info("consuming queue=%s concurrency=%d", w->queue, w->concurrency);
	return 0;
}

static void
on_down(struct mq *mq, void *arg)
{
	/* Results not yet confirmed: their jobs come back from the broker. */
	await_drop_all(arg);
}

static void
stop_cb(struct ev_loop *loop, ev_signal *s, int revents)
{
	log_info("stopping signal=%d running=%zu", s->signum, ((struct worker *)s->data)->nrunning);
	ev_break(loop, EVBREAK_ALL);
}

int
worker_run(const struct worker_opts *opts)
{
	struct worker w;
	struct mq_handlers h = { on_setup, on_delivery, on_confirm, on_down };
	char host[256];

	memset(&w, 0, sizeof(w));
	w.cfg = config_new();
	if (config_load(w.cfg, opts->config_path, CONFIG_DAEMON_ONLY) < 0) {
		for (size_t i = 0; i < w.cfg->nerrors; i++)
			fprintf(stderr, "%s\n", w.cfg->errors[i]);
		config_free(w.cfg);
		return 1;
	}
	w.pool = opts->pool != NULL ? opts->pool : w.cfg->worker.pool;
	w.concurrency = opts->concurrency > 0 ? opts->concurrency : w.cfg->worker.concurrency;
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(w.identity, sizeof(w.identity), "%s:%ld", host, (long)getpid());
	snprintf(w.queue, sizeof(w.queue), "%s.jobs.%s", w.cfg->prefix, w.pool);
	topology_name(w.x_results, sizeof(w.x_results), w.cfg->prefix, "results");

	signal(SIGPIPE, SIG_IGN);
	w.loop = EV_DEFAULT;
	w.mq = mq_new(w.loop, w.cfg->amqp_url, "worker", &h, &w);
	ev_signal_init(&w.sig_term, stop_cb, SIGTERM);
	ev_signal_init(&w.sig_int, stop_cb, SIGINT);
	w.sig_term.data = w.sig_int.data = &w;
	ev_signal_start(w.loop, &w.sig_term);
	ev_signal_start(w.loop, &w.sig_int);
	log_info("started pool=%s concurrency=%d identity=%s", w.pool, w.concurrency, w.identity);
	mq_start(w.mq);

	ev_run(w.loop, 0);

	/* Running plugins die; their unacked jobs return to the queue. */
	while (w.running != NULL) {
		struct task *t = w.running;

		running_remove(&w, t);
		runner_cancel(t->run);
		task_free(t);
	}
	mq_free(w.mq);
	await_drop_all(&w);
	config_free(w.cfg);
	log_info("stopped");
	return 0;
}
