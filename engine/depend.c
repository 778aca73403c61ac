/*
 * NAME
 *	depend - the engine's dependencies between checks
 * DESCRIPTION
 *	See depend.h.
 */
#include "depend.h"
#include "check.h"
#include "config.h"
#include "timeperiod.h"
#include "xalloc.h"

#include <stdlib.h>

static struct check_deps *
depend_of(struct check *c)
{
	if (c->deps == NULL)
		c->deps = xcalloc(1, sizeof(*c->deps));
	return c->deps;
}

static int
depend_has(const struct check_deps *md, const struct check *c)
{
	for (size_t i = 0; i < md->ndependents; i++)
		if (md->dependents[i] == c)
			return 1;
	return 0;
}

void
depend_link(struct check_table *t, const struct config *cfg)
{
	for (size_t i = 0; i < cfg->ndeps; i++) {
		const struct cfg_dependency *d = &cfg->deps[i];
		const struct cfg_check *dc = &cfg->checks[d->dependent];
		const struct cfg_check *mc = &cfg->checks[d->master];
		struct check *c = check_table_find_name(t, dc->host, dc->service);
		struct check *m = check_table_find_name(t, mc->host, mc->service);
		struct check_deps *cd, *md;
		struct check_dep *e;

		if (c == NULL || m == NULL)
			continue;
		cd = depend_of(c);
		md = depend_of(m);
		cd->v = xrealloc(cd->v, (cd->n + 1) * sizeof(*cd->v));
		e = &cd->v[cd->n++];
		e->master = m;
		e->period = d->period_tp;
		e->exec_fail = (unsigned char)d->exec_fail;
		e->notify_fail = (unsigned char)d->notify_fail;
		e->inherits_parent = (unsigned char)d->inherits_parent;
		/* one dependent per master however many edges join them */
		if (!depend_has(md, c)) {
			md->dependents = xrealloc(md->dependents,
			    (md->ndependents + 1) * sizeof(*md->dependents));
			md->dependents[md->ndependents++] = c;
		}
	}
}

void
depend_free(struct check *c)
{
	if (c->deps == NULL)
		return;
	free(c->deps->v);
	free(c->deps->dependents);
	free(c->deps);
	c->deps = NULL;
}

unsigned
depend_master_bit(const struct check *m)
{
	int s = m->st.state;

	if (s == STATE_PENDING)
		return CONFIG_DEP_PENDING;
	/* SOFT: its last hard state, OK/UP before it had one (Nagios) */
	if (m->st.state_type == STATE_SOFT)
		s = m->st.last_hard_state == STATE_PENDING ? 0 : m->st.last_hard_state;
	return 1u << s;
}

const struct check *
depend_failing(const struct check *c, int kind, double now)
{
	const struct check *up;

	if (c->deps == NULL)
		return NULL;
	for (size_t i = 0; i < c->deps->n; i++) {
		const struct check_dep *e = &c->deps->v[i];
		unsigned crit = kind == DEPEND_EXECUTION ? e->exec_fail : e->notify_fail;

		if (crit == 0)		/* not an edge of that kind */
			continue;
		if (e->period != NULL && !timeperiod_contains(e->period, (time_t)now, NULL))
			continue;
		if (crit & depend_master_bit(e->master))
			return e->master;
		/* the config refused cycles: this ends */
		if (e->inherits_parent && (up = depend_failing(e->master, kind, now)) != NULL)
			return up;
	}
	return NULL;
}

const struct check *
depend_suppressor(const struct check *c, double now)
{
	const struct check *m;

	if ((m = depend_failing(c, DEPEND_NOTIFICATION, now)) != NULL)
		return m;
	if (c->service != NULL && c->host_check != NULL)
		return depend_failing(c->host_check, DEPEND_NOTIFICATION, now);
	return NULL;
}

/* c's verdict again; 1 when it changed (touched). */
static int
depend_update(struct check *c, double now, void (*touch)(void *, struct check *), void *arg)
{
	unsigned char failing = depend_failing(c, DEPEND_NOTIFICATION, now) != NULL;
	unsigned char sup = failing || (c->service != NULL && c->host_check != NULL &&
	    depend_failing(c->host_check, DEPEND_NOTIFICATION, now) != NULL);
	int changed = failing != c->dep_failing;

	c->dep_failing = failing;
	if (sup != c->dep_suppressed) {
		c->dep_suppressed = sup;
		touch(arg, c);
	}
	return changed;
}

static void
depend_walk(const struct check_table *t, struct check *m, double now,
    void (*touch)(void *, struct check *), void *arg)
{
	if (m->deps != NULL)
		for (size_t i = 0; i < m->deps->ndependents; i++) {
			struct check *d = m->deps->dependents[i];

			/* the config refused cycles: this ends */
			if (depend_update(d, now, touch, arg))
				depend_walk(t, d, now, touch, arg);
		}
	/* a host check's edges count for its services too */
	if (m->service == NULL) {
		size_t n;
		struct check *const *hs = check_table_host(t, m->host, &n);

		for (size_t i = 0; i < n; i++)
			if (hs[i]->service != NULL && hs[i]->host_check == m)
				(void)depend_update(hs[i], now, touch, arg);
	}
}

void
depend_master_changed(const struct check_table *t, struct check *m, double now,
    void (*touch)(void *, struct check *), void *arg)
{
	if (m->deps == NULL || m->deps->ndependents == 0)
		return;
	depend_walk(t, m, now, touch, arg);
}

size_t
depend_refresh(const struct check_table *t, double now,
    void (*touch)(void *, struct check *), void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++) {
		struct check *c = t->v[i];
		unsigned char sup = c->dep_suppressed;

		if (c->deps == NULL && c->dep_suppressed == 0 && c->dep_failing == 0 &&
		    (c->host_check == NULL || c->host_check->deps == NULL))
			continue;
		(void)depend_update(c, now, touch, arg);
		n += sup != c->dep_suppressed;
	}
	return n;
}
