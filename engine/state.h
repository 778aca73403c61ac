/*
 * NAME
 *	state - the Nagios state machine: old state + one result → new state
 * DESCRIPTION
 *	state_apply() is a pure function (no I/O, no clock): given a check's
 *	configuration, its current state and one result with the context the
 *	rules need (the host's state for a service, the parents' states for a
 *	host), it computes the new state and says what happened (flags) so
 *	the engine can schedule, record history, decide notifications and
 *	trigger checks. Every rule of SEMANTICS.md "Soft and hard states",
 *	"Hosts, parents, services" and "Flapping", and vigil's `debounce`,
 *	lives here and nowhere else.
 *
 *	States: services 0..3 (OK, WARNING, CRITICAL, UNKNOWN); hosts 0..2
 *	(UP, DOWN, UNREACHABLE); STATE_PENDING (-1) before the first result.
 * DIAGNOSTICS
 *	None: every input maps to a state.
 */
#ifndef VIGIL_STATE_H
#define VIGIL_STATE_H

#include <stdint.h>

#include "result.h"		/* STATE_PENDING, STATUS_*, HOST_* */

#define STATE_SOFT 0
#define STATE_HARD 1

/* Entries of flap history (Nagios keeps 21 states: 20 transitions). */
#define STATE_FLAP_HISTORY 21

struct state_conf {
	int is_host;
	int max_attempts;		/* >= 1 */
	int is_volatile;
	int flap_detection;		/* 1: enabled */
	unsigned flap_ignore;		/* bit s: state s is not counted in the flap
					 * history (Nagios's flap_detection_options);
					 * 0: every state counts */
	double low_flap_threshold;	/* percent; Nagios default 20 */
	double high_flap_threshold;	/* percent; Nagios default 30 */
	int debounce;			/* 0: off; N: a new state is believed after
					 * N identical consecutive results */
};

/* What the engine persists per check (check_state). */
struct state {
	int state;
	int state_type;
	int attempt;
	int last_hard_state;		/* STATE_PENDING before the first HARD state */
	double last_check;
	double last_state_change;
	double last_hard_state_change;

	/* flap detection: the last states recorded, oldest first */
	signed char flap_history[STATE_FLAP_HISTORY];
	int flap_count;			/* entries used, <= STATE_FLAP_HISTORY */
	int flapping;
	double percent_state_change;
	int flap_held_problem;		/* a HARD problem at flap start or while
					 * flapping: FLAP_STOP in OK/UP raises
					 * the held RECOVERY */

	/* debounce: the state being counted and how many in a row */
	int debounce_state;
	int debounce_count;
};

/* One result and its context. */
struct state_input {
	int status;		/* plugin status 0..3 (for hosts: 0/1 UP, 2/3 DOWN) */
	double time;		/* when the check ran (epoch seconds) */
	int passive;		/* a passive result: HARD at once for hosts */

	/* hosts: reachability */
	int nparents;		/* 0: no parents */
	int parents_up;		/* how many parents are UP now */

	/* services: their host */
	int host_state;		/* the host's current state (STATE_PENDING if none) */
	int host_state_type;
	double host_last_check;	/* 0: never checked */
};

/* What happened (flags of state_output.events). */
#define STATE_EV_CHANGED	0x0001	/* state differs from before (soft or hard) */
#define STATE_EV_HARD_CHANGE	0x0002	/* hard state changed (incl. recovery) */
#define STATE_EV_SOFT_CHANGE	0x0004	/* state changed while SOFT */
#define STATE_EV_RECOVERY	0x0008	/* back to OK/UP from a HARD problem */
#define STATE_EV_SOFT_RECOVERY	0x0010	/* back to OK/UP from a SOFT problem */
#define STATE_EV_FLAP_START	0x0020
#define STATE_EV_FLAP_STOP	0x0040
#define STATE_EV_NOTIFY		0x0080	/* a notification candidate: a HARD change,
					 * or every HARD problem of a volatile check */
#define STATE_EV_CHECK_HOST	0x0100	/* check the service's host now: a new
					 * problem state and the host's result older
					 * than 15 s, or OK while the host is not UP
					 * (unless OK before and the host's result
					 * is fresh) */
#define STATE_EV_PROPAGATE	0x0200	/* host changed state: check its parents
					 * and children now */
#define STATE_EV_HOST_DOWN	0x0400	/* service problem on a host that is HARD
					 * non-UP: suppress its notifications (a
					 * problem on a host DOWN or UNREACHABLE,
					 * soft or hard, goes HARD at once) */

#define STATE_HOST_CHECK_MAX_AGE 15.0	/* seconds */

struct state_output {
	unsigned events;
	int use_retry_interval;	/* next check after retry_interval (SOFT problem) */
	int old_state;
	int old_hard_state;
};

/* A fresh state: PENDING, HARD, attempt 1, empty history. */
void state_init(struct state *st);

/* Apply in to st under c. */
void state_apply(const struct state_conf *c, struct state *st,
    const struct state_input *in, struct state_output *out);

/* Nagios's weighted percent state change over the history (pure). */
double state_flap_percent(const signed char *history, int count);

#endif
