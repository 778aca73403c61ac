/*
 * NAME
 *	check - the engine's in-memory checks: config, state, schedule
 * DESCRIPTION
 *	See check.h.
 * DIAGNOSTICS
 *	None.
 */
#include "check.h"
#include "depend.h"
#include "timeperiod.h"
#include "config.h"
#include "result.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
check_table_init(struct check_table *t)
{
	memset(t, 0, sizeof(*t));
}

void
check_free(struct check *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nlocs; i++) {
		struct location *l = &c->locs[i];

		free(l->pool);
		free(l->output);
		free(l->long_output);
		free(l->perfdata);
		free(l->worker);
	}
	free(c->locs);
	depend_free(c);
	free(c->parents);
	free(c->children);
	free(c->output);
	free(c->ack_author);
	free(c->ack_comment);
	free(c->disabled_by);
	free(c->disabled_comment);
	for (size_t i = 0; i < c->ndts; i++) {
		free(c->dts[i].author);
		free(c->dts[i].comment);
	}
	free(c->dts);
	free(c);
}

void
check_table_clear(struct check_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		check_free(t->v[i]);
	free(t->v);
	free(t->by_id);
	free(t->by_name);
	memset(t, 0, sizeof(*t));
}

void
check_table_add(struct check_table *t, struct check *c)
{
	c->heap_idx = SIZE_MAX;
	xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n++] = c;
}

static size_t
id_slot(int64_t id, size_t cap)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 17) & (cap - 1);
}

static int
cmp_str_null_first(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_name(const void *pa, const void *pb)
{
	const struct check *a = *(struct check *const *)pa, *b = *(struct check *const *)pb;
	int r = strcmp(a->host, b->host);

	return r != 0 ? r : cmp_str_null_first(a->service, b->service);
}

void
check_table_index(struct check_table *t)
{
	size_t cap = 16;

	while (cap < t->n * 2)
		cap *= 2;
	free(t->by_id);
	t->by_id = xcalloc(cap, sizeof(*t->by_id));
	t->cap_id = cap;
	for (size_t i = 0; i < t->n; i++) {
		size_t s = id_slot(t->v[i]->id, cap);

		/* No id yet (the sync indexes by name before it has them): all
		 * in one slot, they would make one probe chain as long as the
		 * table, quadratic to build. */
		if (t->v[i]->id == 0)
			continue;
		while (t->by_id[s] != NULL)
			s = (s + 1) & (cap - 1);
		t->by_id[s] = t->v[i];
	}
	free(t->by_name);
	t->by_name = xmalloc((t->n ? t->n : 1) * sizeof(*t->by_name));
	memcpy(t->by_name, t->v, t->n * sizeof(*t->by_name));
	qsort(t->by_name, t->n, sizeof(*t->by_name), cmp_name);
}

struct check *
check_table_find_id(const struct check_table *t, int64_t id)
{
	size_t s;

	if (t->cap_id == 0)
		return NULL;
	for (s = id_slot(id, t->cap_id); t->by_id[s] != NULL; s = (s + 1) & (t->cap_id - 1))
		if (t->by_id[s]->id == id)
			return t->by_id[s];
	return NULL;
}

struct check *
check_table_find_name(const struct check_table *t, const char *host, const char *service)
{
	struct check key = { 0 }, *kp = &key, **r;

	if (t->by_name == NULL)
		return NULL;
	key.host = (char *)host;
	key.service = (char *)service;
	r = bsearch(&kp, t->by_name, t->n, sizeof(*t->by_name), cmp_name);
	return r != NULL ? *r : NULL;
}

struct check *const *
check_table_host(const struct check_table *t, const char *host, size_t *n)
{
	size_t lo = 0, hi = t->n, end;

	*n = 0;
	if (t->by_name == NULL)
		return NULL;
	while (lo < hi) {	/* the first of host's, by name */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->by_name[mid]->host, host) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < t->n && strcmp(t->by_name[end]->host, host) == 0; end++)
		;
	*n = end - lo;
	return t->by_name + lo;
}

int
check_parents_up(const struct check *c, int *nparents)
{
	int up = c->parents_unchecked;

	*nparents = (int)c->nparents + c->parents_unchecked;
	for (size_t i = 0; i < c->nparents; i++)
		if (c->parents[i]->st.state == HOST_UP || c->parents[i]->st.state == STATE_PENDING)
			up++;
	return up;
}

int
check_is_host(const struct check *c)
{
	return c->service == NULL;
}

struct location *
check_location_pool(const struct check *c, const char *pool)
{
	for (size_t i = 0; i < c->nlocs; i++)
		if (strcmp(c->locs[i].pool, pool) == 0)
			return &c->locs[i];
	return NULL;
}

struct location *
check_location_job(const struct check *c, const char *job)
{
	if (*job == '\0')
		return NULL;
	for (size_t i = 0; i < c->nlocs; i++)
		if (strcmp(c->locs[i].inflight, job) == 0)
			return &c->locs[i];
	return NULL;
}

int
check_same_locations(const struct check *a, const struct check *b)
{
	if (a->nlocs != b->nlocs)
		return 0;
	for (size_t i = 0; i < a->nlocs; i++)
		if (strcmp(a->locs[i].pool, b->locs[i].pool) != 0)
			return 0;
	return 1;
}

int
check_carry_over(struct check *n, struct check *o)
{
	struct location *locs;

	n->st = o->st;
	n->dep_suppressed = o->dep_suppressed;
	n->dep_failing = o->dep_failing;
	memcpy(n->last_job, o->last_job, sizeof(n->last_job));
	n->last_scheduled = o->last_scheduled;
	/* A job or round in flight carries over while the check runs from
	 * the same pools: its answers are still the check's. A check with
	 * other pools starts afresh, and an answer of the old run is a late
	 * one. */
	if (check_same_locations(o, n)) {
		memcpy(n->inflight, o->inflight, sizeof(n->inflight));
		n->inflight_scheduled = o->inflight_scheduled;
		n->inflight_published = o->inflight_published;
		n->late_since = o->late_since;
		/* Pool for pool: each location's job in flight, its last job
		 * and result (o is freed by the caller). */
		locs = n->locs;
		n->locs = o->locs;
		o->locs = locs;
	}
	if (strcmp(o->config_hash, n->config_hash) != 0 && n->inflight[0] == '\0')
		return 0;
	/* Unchanged: its place in the schedule is kept (no herd); a job in
	 * flight keeps its deadline. */
	if (o->job != CHECK_JOB_IDLE)
		n->due = o->due;
	return 1;
}

void
check_state_conf(const struct check *c, struct state_conf *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->is_host = check_is_host(c);
	sc->max_attempts = c->max_attempts;
	sc->is_volatile = c->is_volatile;
	sc->flap_detection = c->flap_detection;
	/* flap_detection_options: the states not listed are not counted */
	for (int s = 0; s <= (check_is_host(c) ? 2 : 3); s++)
		if (!(c->flap_options & (check_is_host(c) ? CONFIG_STATE_SET_HOST(s) :
		    CONFIG_STATE_SET_SERVICE(s))))
			sc->flap_ignore |= 1u << s;
	sc->low_flap_threshold = c->low_flap_threshold;
	sc->high_flap_threshold = c->high_flap_threshold;
	sc->debounce = c->debounce;
}

/* The context the rules need: a host's parents, a service's host. */
void
check_state_context(const struct check *c, double t, struct state_input *in)
{
	if (check_is_host(c))
		in->parents_up = check_parents_up(c, &in->nparents);
	else if (c->host_check != NULL) {
		in->host_state = c->host_check->st.state;
		in->host_state_type = c->host_check->st.state_type;
		in->host_last_check = c->host_check->st.last_check;
	} else {
		/* A host without a check is UP, and always fresh. */
		in->host_state = HOST_UP;
		in->host_state_type = STATE_HARD;
		in->host_last_check = t;
	}
}

static void
link_add(struct check ***arr, size_t *n, struct check *c)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[(*n)++] = c;
}

void
check_table_link(struct check_table *t, const struct config *cfg)
{
	for (size_t i = 0; i < t->n; i++) {
		struct check *c = t->v[i];

		if (!check_is_host(c)) {
			c->host_check = check_table_find_name(t, c->host, NULL);
			continue;
		}
	}
	for (size_t i = 0; i < cfg->nhosts; i++) {
		const struct cfg_host *h = &cfg->hosts[i];
		struct check *hc = check_table_find_name(t, h->name, NULL);

		if (hc == NULL)
			continue;
		for (size_t p = 0; p < h->nparents; p++) {
			struct check *pc = check_table_find_name(t, h->parents[p], NULL);

			if (pc == NULL) {
				hc->parents_unchecked++;	/* no check: UP */
				continue;
			}
			link_add(&hc->parents, &hc->nparents, pc);
			link_add(&pc->children, &pc->nchildren, hc);
		}
	}
	depend_link(t, cfg);
}

int
check_next_interval(const struct check *c)
{
	return c->use_retry ? c->retry_interval : c->interval;
}

enum check_fresh
check_freshness(const struct check *c, double now, double started, int *threshold,
    double *since)
{
	/* Nagios's check_freshness: off unless a threshold or freshness: true;
	 * the default threshold is interval + 15 s */
	double last = c->st.last_check > started ? c->st.last_check : started;

	*threshold = !c->freshness ? 0 : c->freshness_threshold > 0 ? c->freshness_threshold :
	    c->interval + 15;
	if (c->fresh_from > last)
		last = c->fresh_from;
	*since = now - last;
	if (*threshold == 0 || now - last <= *threshold || c->job == CHECK_JOB_INFLIGHT)
		return CHECK_FRESH;
	/* check_service_result_freshness(): not outside the check_period */
	if (c->check_period != NULL && !timeperiod_contains(c->check_period, (time_t)now, NULL))
		return CHECK_FRESH_OUT_OF_PERIOD;
	/* SEMANTICS.md: an active check runs its command; a passive-only one,
	 * or one with stale_state written, takes that state */
	return c->active && !c->stale_state_set ? CHECK_FRESH_RUN : CHECK_FRESH_STALE;
}
