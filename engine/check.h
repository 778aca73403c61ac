/*
 * NAME
 *	check - the engine's in-memory checks: config, state, schedule
 * DESCRIPTION
 *	The leader keeps every check in memory (loaded at start) and writes
 *	state changes to PostgreSQL in batches; PostgreSQL is the durable copy,
 *	memory the working one. A check table owns its checks and finds them
 *	by database id (hash) and by host/service name (sorted index).
 *
 *	The state machine itself is state.c; a check links to what its rules
 *	need: a service to its host's check, a host check to its parents'
 *	and children's host checks (check_table_link).
 *
 *	A check with several pools is a multi-location check: it has one
 *	struct location per pool and runs in rounds, one job per location
 *	(apply.c); a check with one pool has none (nlocs 0) and runs as a
 *	plain Nagios check from c->pool.
 * DIAGNOSTICS
 *	None: pure data structures.
 */
#ifndef VIGIL_CHECK_H
#define VIGIL_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "notify.h"
#include "state.h"
#include "util.h"

struct config;
struct cfg_check;
struct flow_pool;
struct timeperiod;
struct check_deps;

/* A scheduled downtime of a check (downtimes table), pending or started. */
struct downtime {
	char id[UTIL_ID_LEN + 1];
	double start, end;	/* the window */
	int fixed;		/* 1: from start to end; 0: flexible */
	int duration;		/* flexible: seconds from when it is triggered */
	char *author, *comment;
	double started;		/* when it took effect, 0: not yet */
	/* "": on its own; else the id of the downtime whose start starts it
	 * (Nagios's triggered downtime) */
	char triggered_by[UTIL_ID_LEN + 1];
};

/* One location of a multi-location check: the pool it runs from in each
 * round, and its last result there (the check_locations row). */
struct location {
	char *pool;
	/* its job in the round in flight; "" once answered, or between
	 * rounds */
	char inflight[UTIL_ID_LEN + 1];
	int status;		/* plugin status 0..3; STATE_PENDING: none yet */
	char *output, *long_output, *perfdata;	/* never NULL once it has one */
	double last_check;	/* when it ran */
	double last_end;
	char *worker;		/* NULL: a verdict (expired, unroutable, orphaned) */
	/* exactly once per location, as last_job for a single-location check */
	char last_job[UTIL_ID_LEN + 1];
	double last_scheduled;

	/* batch bookkeeping, as the check's */
	uint64_t batch_gen;
	size_t batch_row;

	struct flow_pool *flow;	/* its pool's flow control (dispatch.c); NULL
				 * until first needed */
};

/*
 * Where a check is in its job's life cycle (c->job): the one place that
 * says it, set where it changes (dispatch.c, intake.c, apply.c, reload.c).
 * A check is in the schedule (sched.h) exactly when it is SCHEDULED or
 * INFLIGHT.
 */
enum check_job {
	CHECK_JOB_IDLE,		/* not scheduled: passive only */
	CHECK_JOB_SCHEDULED,	/* in the schedule, due at c->due */
	CHECK_JOB_HELD,		/* due since c->due, held by the flow control
				 * for room in its pool (flow.h) */
	CHECK_JOB_INFLIGHT,	/* its job (or round) c->inflight is out; in
				 * the schedule by c->due, the point where it
				 * counts as orphaned */
};

/* host, service, argv and pool are not the check's: they point into the
 * config it was made from (as cc does), which outlives it. A location's
 * pool is its own (reload_done() moves locations to the new check). */
struct check {
	int64_t id;		/* checks.id, stable across restarts */
	char *host;
	char *service;		/* NULL for a host check */
	char **argv;		/* expanded but $USERn$, NULL-terminated */
	size_t argc;
	char *users;		/* where $USERn$ stands in argv (cfg_check's) */
	char *pool;		/* the pool jobs are routed to (the first one of
				 * a multi-location check) */
	struct location *locs;	/* several pools: one each; NULL, 0 otherwise */
	size_t nlocs;
	int quorum;		/* locations that must agree (quorum.h), 1..nlocs */
	int interval, retry_interval, max_attempts, timeout;
	int freshness_threshold;	/* seconds; 0: interval + 15 s */
	int debounce;		/* cfg_check's: results to a new state, 0 off */
	double low_flap_threshold, high_flap_threshold;
	const struct timeperiod *check_period;	/* NULL: always; into the config */
	/* 100,000 checks are held: what fits in a byte is a byte */
	unsigned char active, passive;
	unsigned char is_volatile, flap_detection;
	unsigned char timeout_state, stale_state;
	unsigned char freshness;	/* checked at all (cfg_check's) */
	unsigned char flap_options, stalking;	/* CONFIG_STATE_SET_* (cfg_check's) */
	unsigned char stale_state_set;	/* stale: stale_state, else an active
					 * check's command runs */
	unsigned char use_retry;	/* next run after retry_interval (SOFT problem) */
	unsigned char forced;	/* a recheck: its next run ignores check_period */
	unsigned char ack;	/* NOTIFY_ACK_* */
	unsigned char disabled;	/* runtime switches off for this check
				 * (SWITCH_* of msg.h; persisted:
				 * check_state.disabled) */
	unsigned char job;	/* enum check_job */
	unsigned char dep_suppressed;	/* as last written: its notification
				 * dependencies, or its host's, fail
				 * (check_state.suppressed_by) */
	unsigned char dep_failing;	/* its own notification dependencies
				 * fail (depend.c's walk) */
	char config_hash[17];

	/* links (check_table_link): a service's host check (NULL: the host
	 * has no check, so it is UP); a host check's parents' and children's
	 * host checks; parents without a check count as UP */
	int parents_unchecked;
	struct check *host_check;
	struct check **parents, **children;
	size_t nparents, nchildren;
	struct check_deps *deps;	/* depend.h; NULL: in no dependency */

	struct state st;
	double last_scheduled;	/* scheduled time of the newest applied job */
	char last_job[UTIL_ID_LEN + 1];

	/* schedule: see enum check_job (job above) */
	char inflight[UTIL_ID_LEN + 1];	/* the job in flight; "" when none. A
				 * multi-location check: the round's id (its
				 * jobs' ids are in locs) */
	int dt_depth;		/* started downtimes (they nest) */
	double due;
	size_t heap_idx;	/* sched.c's: SIZE_MAX when not in the heap */
	double inflight_scheduled;
	double inflight_published;
	double fresh_from;	/* freshness: last seen outside its check_period
				 * (a check is never stale there; its threshold
				 * runs again from the period's start) */
	double resume_due;	/* a recheck: the due time it had, kept for the
				 * run after (0: none) */
	double late_since;	/* its jobs have expired in a live pool's queue
				 * since (not started in time, no answer yet); 0:
				 * not late */
	struct flow_pool *flow;	/* its pool's flow control, NULL until needed */

	/* batch bookkeeping: index of this check's row in the open batch */
	uint64_t batch_gen;
	size_t batch_row;

	/* notifications (alert.c): the check's config entry (contacts,
	 * escalations …; it lives as long as the config the check was made
	 * from), the notification state, the acknowledgement (ack above),
	 * downtimes (dt_depth above) */
	const struct cfg_check *cc;
	char *output;		/* the last result's first line */
	struct notify_state ns;
	char *ack_author, *ack_comment;
	double ack_time;
	/* who changed the switches (disabled above) last, when and why */
	char *disabled_by, *disabled_comment;
	double disabled_at;
	struct downtime *dts;	/* open: pending or started */
	size_t ndts;
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
/* Takes ownership of c. Call check_table_index() after the last add; a
 * check with id 0 (none yet) is found by name only. */
void check_table_add(struct check_table *t, struct check *c);
void check_table_index(struct check_table *t);
struct check *check_table_find_id(const struct check_table *t, int64_t id);
/* The checks of host: its host check first (when it has one), then its
 * services by name; *n of them, in the table's index (check_table_index()).
 * A host's services without a scan of every check. */
struct check *const *check_table_host(const struct check_table *t, const char *host,
    size_t *n);
struct check *check_table_find_name(const struct check_table *t, const char *host,
    const char *service);

/* Link services to their host checks and host checks to their parents
 * and children, by the config's host parents, and the checks of the
 * config's dependencies (depend.h). Call after indexing. */
void check_table_link(struct check_table *t, const struct config *cfg);

void check_free(struct check *c);
int check_is_host(const struct check *c);
/* A host check's parents (with those that have no check, counted as UP)
 * into *nparents; returns how many are UP (a parent never checked yet
 * is not held against it). */
int check_parents_up(const struct check *c, int *nparents);

/* The location of c with that pool, or whose job in flight is job. */
struct location *check_location_pool(const struct check *c, const char *pool);
struct location *check_location_job(const struct check *c, const char *job);
/* Its pools and order match: in-flight jobs carry over a reload. */
int check_same_locations(const struct check *a, const struct check *b);
/*
 * A reload made n, the new check of o: carry over what only memory knows
 * of o (its state, last job, the job or round in flight while it runs
 * from the same pools, its place in the schedule while its config is the
 * same or a job is in flight). alert_carry_over() moves the alert
 * module's part. 1: n keeps o's place in the schedule; 0: it starts
 * afresh (the new interval applies at once).
 */
int check_carry_over(struct check *n, struct check *o);
/* What state_apply() needs of c's links for a result at t: a host's
 * parents, a service's host (one without a check is UP). */
void check_state_context(const struct check *c, double t, struct state_input *in);

/* Freshness (engine.c's once-a-second cron), as a verdict: */
enum check_fresh {
	CHECK_FRESH,			/* nothing to do (not checked, in time, or
					 * a run on its way) */
	CHECK_FRESH_OUT_OF_PERIOD,	/* stale, but outside its check_period:
					 * never stale there (its threshold counts
					 * again from now) */
	CHECK_FRESH_RUN,		/* stale, active, no stale_state: run its
					 * command now (Nagios) */
	CHECK_FRESH_STALE,		/* stale: take stale_state */
};
/* The verdict for c at now (the engine started at started); *threshold
 * and *since (seconds without a result) for the log. Pure but for
 * timeperiod_contains()'s local time. */
enum check_fresh check_freshness(const struct check *c, double now, double started,
    int *threshold, double *since);

/* The state machine's view of c's settings. */
void check_state_conf(const struct check *c, struct state_conf *sc);
/* Seconds until the next check in this state: retry while soft problem. */
int check_next_interval(const struct check *c);

#endif
