/*
 * NAME
 *	presence - which workers are alive, per pool, from their heartbeats
 * DESCRIPTION
 *	Pure bookkeeping: no I/O and no clock (every call is given now). A
 *	worker is live while its last heartbeat is younger than the window
 *	(PRESENCE_WINDOW); a heartbeat saying "stopping" removes it at once.
 *
 *	Silence the engine could not hear is not the workers' silence: while
 *	it is deaf (broker link down, deliveries paused for a reload) the
 *	age of heartbeats stands still. Ages are kept on a "listening clock"
 *	that runs only between presence_listen() and presence_deaf().
 *
 *	Pools are those used by checks (presence_set_checks) and those of
 *	the live workers; a pool with neither is dropped. A pool is
 *	  PRESENCE_OK         with at least one live worker;
 *	  PRESENCE_NO_WORKER  with none;
 *	  PRESENCE_PENDING    with none heard yet, while the engine has not
 *	                      listened for a whole window since it started
 *	                      (it cannot tell yet: a live worker may simply
 *	                      not have sent its next heartbeat).
 *
 *	The calls that change something (heartbeat, tick, set_checks) first
 *	clear events, then record there what happened, for the caller to log;
 *	and they set dirty, which the caller clears once it has persisted a
 *	snapshot (engine/rows.c writes it).
 * DIAGNOSTICS
 *	None: pure data structures.
 */
#ifndef VIGIL_PRESENCE_H
#define VIGIL_PRESENCE_H

#include <stddef.h>
#include <stdint.h>

struct worker_msg;

#define PRESENCE_WINDOW 15.0	/* seconds a heartbeat keeps a worker live */
#define PRESENCE_MAX_CONCURRENCY 100000	/* one worker's claim counts up to this */

enum presence_state {
	PRESENCE_PENDING,
	PRESENCE_OK,
	PRESENCE_NO_WORKER,
};

enum presence_event_type {
	PRESENCE_WORKER_JOINED,		/* first heartbeat (or first after lost) */
	PRESENCE_WORKER_STOPPED,	/* it said it was stopping */
	PRESENCE_WORKER_LOST,		/* silent for the window */
	PRESENCE_POOL_EMPTY,		/* a pool with checks has no live worker */
	PRESENCE_POOL_LIVE,		/* ... and has one again */
};

struct presence_event {
	enum presence_event_type type;
	char *pool;
	char *worker;		/* worker events: its id */
	double silent;		/* lost: seconds since its last heartbeat */
	size_t checks;		/* pool events: checks using the pool */
};

struct presence_worker {
	char *id;		/* host:pid */
	char *pool;
	char *host;
	char *version;
	int64_t pid;
	int concurrency, running, awaiting;
	double started;		/* the worker's clock */
	double last_seen;	/* when its last heartbeat arrived (now) */
	double heard_at;	/* the same on the listening clock */
};

struct presence_pool {
	char *name;
	size_t live;		/* live workers */
	size_t capacity;	/* plugins they run at once (their concurrency) */
	size_t checks;		/* checks whose jobs go to the pool */
	enum presence_state state;
	double since;		/* when the state began */
	/* what the engine's flow control says (presence_set_flow) */
	int overloaded;
	double overloaded_since;
	size_t inflight, held;
	double waiting;		/* the oldest held check's wait, seconds */
	uint64_t late_total;	/* jobs that expired while the pool was live */
};

struct presence {
	double window;
	int listening;
	double listened;	/* listening clock at listen_start */
	double listen_start;	/* now at the last presence_listen() */
	struct presence_worker *workers;
	size_t nworkers, capworkers;
	struct presence_pool *pools;	/* sorted by name */
	size_t npools, cappools;
	struct presence_event *events;
	size_t nevents, capevents;
	int dirty;
};

/* Deaf, and with nothing known. */
void presence_init(struct presence *p, double window);
void presence_clear(struct presence *p);

/* The engine hears heartbeats from now on / no longer. */
void presence_listen(struct presence *p, double now);
void presence_deaf(struct presence *p, double now);

void presence_heartbeat(struct presence *p, const struct worker_msg *m, double now);
/* pools[i] is the pool of one check (a pool appears once per check). */
void presence_set_checks(struct presence *p, const char *const *pools, size_t n, double now);
/* Expire silent workers and judge pools; call about once a second. */
void presence_tick(struct presence *p, double now);

const struct presence_pool *presence_pool_find(const struct presence *p, const char *name);

/* Record the flow control's view of a pool that presence knows (else
 * nothing); sets dirty when it changed what a snapshot shows. */
void presence_set_flow(struct presence *p, const char *pool, int overloaded,
    double overloaded_since, size_t inflight, size_t held, double waiting,
    uint64_t late_total);
const char *presence_state_name(enum presence_state s);

/* {"workers": [{id, pool, host, pid, concurrency, running, awaiting,
 * version, started, last_seen}], "pools": [{name, live_workers, checks,
 * state, since, capacity, inflight, held, waiting, late_expired}]}, times
 * in epoch seconds; state "overloaded" for a live pool the flow control
 * finds overloaded (since: from then); caller frees. */

#endif
