/*
 * NAME
 *	check - the engine's in-memory checks: config, state, schedule
 * DESCRIPTION
 *	The leader keeps every check in memory (loaded at start) and writes
 *	state changes to PostgreSQL in batches; PostgreSQL is the durable copy,
 *	memory the working one. A check table owns its checks and finds them
 *	by database id (hash) and by host/service name (sorted index).
 *
 *	check_state_apply() is the state machine: a pure function from the
 *	old state and one result to the new state. This is the minimal soft /
 *	hard logic of the walking skeleton; SEMANTICS.md's full rules (parents,
 *	flapping, volatile, …) extend it here.
 * DIAGNOSTICS
 *	None: pure data structures.
 */
#ifndef VIGIL_CHECK_H
#define VIGIL_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define STATE_SOFT 0
#define STATE_HARD 1

struct check_state {
	int state;		/* STATE_PENDING, service 0..3, host 0..2 */
	int state_type;		/* STATE_SOFT / STATE_HARD */
	int attempt;
	int last_hard_state;	/* STATE_PENDING before the first hard state */
	double last_check;
	double last_state_change;
	double last_hard_state_change;
};

struct check_change {
	int state_changed;
	int hard_changed;
};

struct check {
	int64_t id;		/* checks.id, stable across restarts */
	char *host;
	char *service;		/* NULL for a host check */
	char **argv;		/* expanded, NULL-terminated */
	size_t argc;
	char *pool;		/* the pool jobs are routed to */
	int interval, retry_interval, max_attempts, timeout;
	int active, passive;
	char config_hash[17];

	struct check_state st;
	double last_scheduled;	/* scheduled time of the newest applied job */
	char last_job[UTIL_ID_LEN + 1];

	/* schedule: in the heap by due; while a job is in flight, due is the
	 * point where it counts as orphaned */
	double due;
	size_t heap_idx;	/* SIZE_MAX when not in the heap */
	char inflight[UTIL_ID_LEN + 1];	/* "" when no job is in flight */
	double inflight_scheduled;
	double inflight_published;

	/* batch bookkeeping: index of this check's row in the open batch */
	uint64_t batch_gen;
	size_t batch_row;
};

struct check_table {
	struct check **v;	/* owned */
	size_t n, cap;
	struct check **by_id;	/* open addressing, cap_id slots */
	size_t cap_id;
	struct check **by_name;	/* sorted by host, service (NULL first) */
};

void check_table_init(struct check_table *t);
void check_table_clear(struct check_table *t);
/* Takes ownership of c. Call check_table_index() after the last add. */
void check_table_add(struct check_table *t, struct check *c);
void check_table_index(struct check_table *t);
struct check *check_table_find_id(const struct check_table *t, int64_t id);
struct check *check_table_find_name(const struct check_table *t, const char *host,
    const char *service);

void check_free(struct check *c);
int check_is_host(const struct check *c);

/* Apply one plugin status (0..3) at time t. */
void check_state_apply(struct check_state *st, int status, int is_host,
    int max_attempts, double t, struct check_change *chg);
/* Seconds until the next check in this state: retry while soft problem. */
int check_next_interval(const struct check *c);

#endif
