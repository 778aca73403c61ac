/*
 * NAME
 *	flow - how many jobs each pool may have in flight, and the checks
 *	that wait, in due order, for room in a busy pool
 * DESCRIPTION
 *	See flow.h. Pools are few (one per location), so they are an array
 *	of pointers searched linearly; each pool's held items are a ring
 *	that doubles when full.
 * DIAGNOSTICS
 *	None: pure data structures.
 */
#include "flow.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct flow_event *
event_add(struct flow *f, enum flow_event_type type, const struct flow_pool *p)
{
	struct flow_event *ev;

	xgrow((void **)&f->events, &f->capevents, f->nevents + 1, sizeof(*f->events));
	ev = &f->events[f->nevents++];
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->pool = p->name;
	ev->held = p->nheld;
	return ev;
}

void
flow_init(struct flow *f)
{
	memset(f, 0, sizeof(*f));
}

void
flow_clear(struct flow *f)
{
	for (size_t i = 0; i < f->npools; i++) {
		free(f->pools[i]->name);
		free(f->pools[i]->held);
		free(f->pools[i]->held_at);
		free(f->pools[i]);
	}
	free(f->pools);
	free(f->events);
	memset(f, 0, sizeof(*f));
}

struct flow_pool *
flow_pool_find(const struct flow *f, const char *name)
{
	for (size_t i = 0; i < f->npools; i++)
		if (strcmp(f->pools[i]->name, name) == 0)
			return f->pools[i];
	return NULL;
}

struct flow_pool *
flow_pool(struct flow *f, const char *name)
{
	struct flow_pool *p = flow_pool_find(f, name);

	if (p != NULL)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(name);
	xgrow((void **)&f->pools, &f->cappools, f->npools + 1, sizeof(*f->pools));
	f->pools[f->npools++] = p;
	return p;
}

size_t
flow_limit(const struct flow_pool *p)
{
	size_t headroom;

	if (p->capacity == 0)
		return SIZE_MAX;
	headroom = p->capacity / FLOW_HEADROOM_DIV;
	if (headroom < FLOW_HEADROOM_MIN)
		headroom = FLOW_HEADROOM_MIN;
	return p->capacity + headroom;
}

int
flow_has_room(const struct flow_pool *p)
{
	return p->inflight < flow_limit(p);
}

/* Grow the ring, unrolling it so that head is 0 again. */
static void
held_grow(struct flow_pool *p)
{
	size_t ncap = p->capheld ? p->capheld * 2 : 64;
	void **items = xcalloc(ncap, sizeof(*items));
	double *at = xcalloc(ncap, sizeof(*at));

	for (size_t i = 0; i < p->nheld; i++) {
		size_t j = (p->head + i) % p->capheld;

		items[i] = p->held[j];
		at[i] = p->held_at[j];
	}
	free(p->held);
	free(p->held_at);
	p->held = items;
	p->held_at = at;
	p->capheld = ncap;
	p->head = 0;
}

void
flow_hold(struct flow_pool *p, void *item, double now)
{
	size_t tail;

	if (p->nheld == p->capheld)
		held_grow(p);
	tail = (p->head + p->nheld) % p->capheld;
	p->held[tail] = item;
	p->held_at[tail] = now;
	if (p->nheld++ == 0)
		p->holding_since = now;
	p->held_total++;
}

void *
flow_unhold(struct flow_pool *p, double now, double *held_at)
{
	void *item;

	if (p->nheld == 0)
		return NULL;
	item = p->held[p->head];
	if (held_at != NULL)
		*held_at = p->held_at[p->head];
	p->head = (p->head + 1) % p->capheld;
	if (--p->nheld == 0) {
		p->head = 0;
		p->idle_since = now;
	}
	return item;
}

void
flow_drop_held(struct flow *f, double now)
{
	for (size_t i = 0; i < f->npools; i++) {
		struct flow_pool *p = f->pools[i];

		if (p->nheld > 0)
			p->idle_since = now;
		p->nheld = 0;
		p->head = 0;
	}
}

double
flow_oldest_wait(const struct flow_pool *p, double now)
{
	return p->nheld > 0 ? now - p->held_at[p->head] : 0;
}

void
flow_tick(struct flow *f, double now)
{
	f->nevents = 0;
	for (size_t i = 0; i < f->npools; i++) {
		struct flow_pool *p = f->pools[i];

		if (!p->overloaded && p->nheld > 0 &&
		    now - p->holding_since >= FLOW_OVERLOAD_AFTER) {
			p->overloaded = 1;
			p->overloaded_since = p->holding_since;
			event_add(f, FLOW_POOL_OVERLOADED, p)->wait = flow_oldest_wait(p, now);
		} else if (p->overloaded && p->nheld == 0 &&
		    now - p->idle_since >= FLOW_CALM_AFTER) {
			p->overloaded = 0;
			event_add(f, FLOW_POOL_KEEPS_UP, p)->wait = p->idle_since - p->overloaded_since;
		}
	}
}
