/*
 * NAME
 *	presence - which workers are alive, per pool, from their heartbeats
 * DESCRIPTION
 *	See presence.h. Workers and pools are plain arrays searched linearly:
 *	an installation has tens of workers, not thousands, and each call
 *	touches them once. After every change refresh() recounts the live
 *	workers of every pool and judges each pool again, so that no path
 *	can leave a count or a state behind.
 * DIAGNOSTICS
 *	None: pure data structures.
 */
#include "presence.h"
#include "msg.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Seconds the engine has listened, up to now. */
static double
listened(const struct presence *p, double now)
{
	return p->listened + (p->listening ? now - p->listen_start : 0);
}

static struct presence_event *
event_add(struct presence *p, enum presence_event_type type, const char *pool,
    const char *worker)
{
	struct presence_event *ev;

	xgrow((void **)&p->events, &p->capevents, p->nevents + 1, sizeof(*p->events));
	ev = &p->events[p->nevents++];
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->pool = xstrdup(pool);
	ev->worker = worker != NULL ? xstrdup(worker) : NULL;
	return ev;
}

static void
events_clear(struct presence *p)
{
	for (size_t i = 0; i < p->nevents; i++) {
		free(p->events[i].pool);
		free(p->events[i].worker);
	}
	p->nevents = 0;
}

static void
worker_free_fields(struct presence_worker *w)
{
	free(w->id);
	free(w->pool);
	free(w->host);
	free(w->version);
}

static void
worker_remove(struct presence *p, size_t i)
{
	worker_free_fields(&p->workers[i]);
	p->workers[i] = p->workers[--p->nworkers];
	p->dirty = 1;
}

static struct presence_worker *
worker_find(struct presence *p, const char *id, size_t *idx)
{
	for (size_t i = 0; i < p->nworkers; i++)
		if (strcmp(p->workers[i].id, id) == 0) {
			if (idx != NULL)
				*idx = i;
			return &p->workers[i];
		}
	return NULL;
}

/* Binary search; *at is where name is or would go. */
static struct presence_pool *
pool_search(const struct presence *p, const char *name, size_t *at)
{
	size_t lo = 0, hi = p->npools;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->pools[mid].name, name);

		if (c == 0) {
			*at = mid;
			return &p->pools[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return NULL;
}

const struct presence_pool *
presence_pool_find(const struct presence *p, const char *name)
{
	size_t at;

	return pool_search(p, name, &at);
}

/* The pool named name, made (pending) if new. */
static struct presence_pool *
pool_get(struct presence *p, const char *name, double now)
{
	struct presence_pool *pl;
	size_t at;

	if ((pl = pool_search(p, name, &at)) != NULL)
		return pl;
	xgrow((void **)&p->pools, &p->cappools, p->npools + 1, sizeof(*p->pools));
	memmove(&p->pools[at + 1], &p->pools[at], (p->npools - at) * sizeof(*p->pools));
	p->npools++;
	pl = &p->pools[at];
	memset(pl, 0, sizeof(*pl));
	pl->name = xstrdup(name);
	pl->state = PRESENCE_PENDING;
	pl->since = now;
	p->dirty = 1;
	return pl;
}

static void
pool_set_state(struct presence *p, struct presence_pool *pl, enum presence_state s, double now)
{
	if (pl->state == s)
		return;
	pl->state = s;
	pl->since = now;
	p->dirty = 1;
}

/* Recount, judge every pool, drop those with neither checks nor live
 * workers. */
static void
refresh(struct presence *p, double now)
{
	size_t keep = 0;

	for (size_t i = 0; i < p->nworkers; i++)
		pool_get(p, p->workers[i].pool, now);
	for (size_t i = 0; i < p->npools; i++) {
		p->pools[i].live = 0;
		p->pools[i].capacity = 0;
	}
	for (size_t i = 0; i < p->nworkers; i++) {
		struct presence_pool *pl;
		size_t at;
		int c = p->workers[i].concurrency;

		pl = pool_search(p, p->workers[i].pool, &at);
		pl->live++;
		pl->capacity += c < 1 ? 1 : c > PRESENCE_MAX_CONCURRENCY ?
		    PRESENCE_MAX_CONCURRENCY : (size_t)c;
	}
	for (size_t i = 0; i < p->npools; i++) {
		struct presence_pool *pl = &p->pools[i];

		if (pl->live > 0) {
			if (pl->state == PRESENCE_NO_WORKER)
				event_add(p, PRESENCE_POOL_LIVE, pl->name, NULL)->checks = pl->checks;
			pool_set_state(p, pl, PRESENCE_OK, now);
		} else if (pl->checks == 0) {
			free(pl->name);
			pl->name = NULL;	/* dropped below */
			p->dirty = 1;
			continue;
		} else if (pl->state != PRESENCE_NO_WORKER &&
		    (pl->state == PRESENCE_OK || listened(p, now) >= p->window)) {
			/* A pool that had a worker lost it; one never heard of
			 * is judged once the engine listened a whole window. */
			event_add(p, PRESENCE_POOL_EMPTY, pl->name, NULL)->checks = pl->checks;
			pool_set_state(p, pl, PRESENCE_NO_WORKER, now);
		}
	}
	for (size_t i = 0; i < p->npools; i++)
		if (p->pools[i].name != NULL)
			p->pools[keep++] = p->pools[i];
	p->npools = keep;
}

void
presence_init(struct presence *p, double window)
{
	memset(p, 0, sizeof(*p));
	p->window = window;
}

void
presence_clear(struct presence *p)
{
	events_clear(p);
	for (size_t i = 0; i < p->nworkers; i++)
		worker_free_fields(&p->workers[i]);
	for (size_t i = 0; i < p->npools; i++)
		free(p->pools[i].name);
	free(p->workers);
	free(p->pools);
	free(p->events);
	memset(p, 0, sizeof(*p));
}

void
presence_listen(struct presence *p, double now)
{
	if (p->listening)
		return;
	p->listening = 1;
	p->listen_start = now;
}

void
presence_deaf(struct presence *p, double now)
{
	if (!p->listening)
		return;
	p->listened += now - p->listen_start;
	p->listening = 0;
}

static void
replace(char **dst, const char *src)
{
	if (*dst != NULL && strcmp(*dst, src) == 0)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

void
presence_heartbeat(struct presence *p, const struct worker_msg *m, double now)
{
	struct presence_worker *w;
	size_t i;

	events_clear(p);
	w = worker_find(p, m->id, &i);
	if (m->stopping) {
		if (w != NULL) {
			event_add(p, PRESENCE_WORKER_STOPPED, w->pool, w->id);
			worker_remove(p, i);
		}
		refresh(p, now);
		return;
	}
	if (w == NULL) {
		xgrow((void **)&p->workers, &p->capworkers, p->nworkers + 1, sizeof(*p->workers));
		w = &p->workers[p->nworkers++];
		memset(w, 0, sizeof(*w));
		w->id = xstrdup(m->id);
		event_add(p, PRESENCE_WORKER_JOINED, m->pool, m->id);
	}
	replace(&w->pool, m->pool);
	replace(&w->host, m->host);
	replace(&w->version, m->version);
	w->pid = m->pid;
	w->concurrency = m->concurrency;
	w->running = m->running;
	w->awaiting = m->awaiting;
	w->started = m->started;
	w->last_seen = now;
	w->heard_at = listened(p, now);
	p->dirty = 1;
	refresh(p, now);
}

void
presence_set_checks(struct presence *p, const char *const *pools, size_t n, double now)
{
	events_clear(p);
	for (size_t i = 0; i < p->npools; i++)
		if (p->pools[i].checks != 0) {
			p->pools[i].checks = 0;
			p->dirty = 1;
		}
	for (size_t i = 0; i < n; i++) {
		pool_get(p, pools[i], now)->checks++;
		p->dirty = 1;
	}
	refresh(p, now);
}

void
presence_tick(struct presence *p, double now)
{
	double heard = listened(p, now);

	events_clear(p);
	for (size_t i = 0; i < p->nworkers; ) {
		struct presence_worker *w = &p->workers[i];

		if (heard - w->heard_at < p->window) {
			i++;
			continue;
		}
		event_add(p, PRESENCE_WORKER_LOST, w->pool, w->id)->silent = now - w->last_seen;
		worker_remove(p, i);
	}
	refresh(p, now);
}

const char *
presence_state_name(enum presence_state s)
{
	switch (s) {
	case PRESENCE_OK:
		return "ok";
	case PRESENCE_NO_WORKER:
		return "no_worker";
	case PRESENCE_PENDING:
		break;
	}
	return "pending";
}

void
presence_set_flow(struct presence *p, const char *pool, int overloaded,
    double overloaded_since, size_t inflight, size_t held, double waiting,
    uint64_t late_total)
{
	size_t at;
	struct presence_pool *pl = pool_search(p, pool, &at);

	if (pl == NULL)
		return;
	/* The counts move all the time: only a change of state, or of
	 * whether anything waits, is worth a snapshot of its own. */
	if (pl->overloaded != overloaded || (pl->held > 0) != (held > 0))
		p->dirty = 1;
	pl->overloaded = overloaded;
	pl->overloaded_since = overloaded_since;
	pl->inflight = inflight;
	pl->held = held;
	pl->waiting = waiting;
	pl->late_total = late_total;
}
