/*
 * NAME
 *	flow - how many jobs each pool may have in flight, and the checks
 *	that wait, in due order, for room in a busy pool
 * DESCRIPTION
 *	Pure bookkeeping: no I/O and no clock (every call is given now). A
 *	pool's capacity is what its live workers said they run at once (the
 *	sum of their concurrency, from heartbeats); it may have that much
 *	plus some headroom in flight (FLOW_HEADROOM), so that a worker that
 *	finishes a plugin finds its next job already waiting in its queue.
 *	A check that falls due while its pool is full is held here, in a
 *	FIFO per pool, instead of being published, and it is published when
 *	an answer of that pool makes room: oldest first. That is Nagios's
 *	behaviour under load (checks run late, every one of them, at a
 *	longer effective period), and it keeps the broker's queue short, so
 *	a job's per-message expiration keeps meaning "no worker is taking
 *	jobs" instead of "the workers are busy".
 *
 *	A pool of unknown capacity (no live worker heard yet, or none) is not
 *	limited: its jobs expire in the queue and become the check's UNKNOWN
 *	"no worker in pool", as DESIGN.md wants for a monitoring outage.
 *
 *	A pool is overloaded once checks have been held in it without a
 *	break for FLOW_OVERLOAD_AFTER seconds, and keeps up again once
 *	nothing has been held for FLOW_CALM_AFTER seconds: one event each
 *	way (the caller logs it and publishes it with the pool's state), not
 *	one per check.
 *
 *	The held items are opaque to flow (the engine's checks); flow never
 *	dereferences them. Pools live as long as the struct flow, so callers
 *	may keep pointers to them.
 * DIAGNOSTICS
 *	None: pure data structures.
 */
#ifndef VIGIL_FLOW_H
#define VIGIL_FLOW_H

#include <stddef.h>
#include <stdint.h>

#define FLOW_HEADROOM_MIN	2	/* jobs beyond the capacity, at least */
#define FLOW_HEADROOM_DIV	4	/* ... or capacity / this, if more */
#define FLOW_OVERLOAD_AFTER	5.0	/* seconds of holding before "overloaded" */
#define FLOW_CALM_AFTER		10.0	/* seconds without holding before "keeps up" */

enum flow_event_type {
	FLOW_POOL_OVERLOADED,	/* checks have waited for room for a while */
	FLOW_POOL_KEEPS_UP,	/* ... and do not any more */
};

struct flow_event {
	enum flow_event_type type;
	const char *pool;	/* the pool's name, valid as long as the flow */
	size_t held;		/* checks waiting now */
	double wait;		/* overloaded: how long the oldest has waited;
				 * keeps up: how long the overload lasted */
};

struct flow_pool {
	char *name;
	size_t inflight;	/* jobs published and not answered */
	size_t capacity;	/* plugins its live workers run at once; 0: unknown */
	void **held;		/* ring of held items, oldest at head */
	double *held_at;	/* when each was held, same ring */
	size_t head, nheld, capheld;
	double holding_since;	/* nheld > 0: since when, without a break */
	double idle_since;	/* nheld == 0: since when (if it ever held) */
	int overloaded;
	double overloaded_since;
	uint64_t held_total;	/* checks that waited for room, ever */
	uint64_t late_total;	/* jobs that expired in a live pool's queue */
};

struct flow {
	struct flow_pool **pools;
	size_t npools, cappools;
	struct flow_event *events;
	size_t nevents, capevents;
};

void flow_init(struct flow *f);
void flow_clear(struct flow *f);

/* The pool called name, made (empty, capacity unknown) if new. */
struct flow_pool *flow_pool(struct flow *f, const char *name);
struct flow_pool *flow_pool_find(const struct flow *f, const char *name);

/* Jobs the pool may have in flight: SIZE_MAX while its capacity is
 * unknown. */
size_t flow_limit(const struct flow_pool *p);
/* 1 if one more job may go to the pool now. */
int flow_has_room(const struct flow_pool *p);

/* Hold item (due, no room) / take the oldest held one (NULL if none;
 * *held_at, if not NULL, gets when it was held). */
void flow_hold(struct flow_pool *p, void *item, double now);
void *flow_unhold(struct flow_pool *p, double now, double *held_at);
/* Forget every held item of every pool (their owner is going away; the
 * caller puts them back where they belong first). Counters stay. */
void flow_drop_held(struct flow *f, double now);
/* How long the oldest held item has waited (0 if none). */
double flow_oldest_wait(const struct flow_pool *p, double now);

/* Judge every pool: clears events, then records the transitions. Call
 * about once a second. */
void flow_tick(struct flow *f, double now);

#endif
