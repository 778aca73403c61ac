/*
 * NAME
 *	state - the Nagios state machine: old state + one result → new state
 * DESCRIPTION
 *	See state.h for the contract. Pure functions: no I/O, no clock, no
 *	allocation. state_apply() runs in four steps, each its own function:
 *
 *	1. state_from_result(): the plugin status as a state; for hosts the
 *	   DOWN/UNREACHABLE split by the parents.
 *	2. state_by_attempts() or state_by_debounce(): which state, type and
 *	   attempt the check is in after this result.
 *	3. state_commit(): compare with before and raise the events.
 *	4. state_flap(): record the flap history, start or stop flapping and
 *	   hold notifications while flapping.
 *
 *	Decisions where Nagios leaves room (each one is tested):
 *	- PENDING is an assumed HARD OK/UP, so a first problem is SOFT attempt
 *	  1. last_hard_state stays PENDING until the first HARD state, which
 *	  is a HARD change (history gets its first hard row) but never a
 *	  notification. A first UP does not propagate: from the assumed UP
 *	  nothing changed, and a starting engine must not check every host's
 *	  neighbours at once.
 *	- Every HARD problem sits at attempt max_attempts, whichever way it got
 *	  there (retries, host down, passive host, max_attempts 1), as Nagios
 *	  shows "3/3"; OK/UP is attempt 1.
 *	- A service problem on a host DOWN or UNREACHABLE, soft or hard, goes
 *	  HARD at once (Nagios). On a HARD non-UP host it also raises
 *	  HOST_DOWN and never NOTIFY: the notification is suppressed here so
 *	  no consumer can forget to (Nagios 4.5 notifies a service's problem
 *	  while its host is only SOFT down).
 *	- CHECK_HOST is raised for a service problem result whose state is
 *	  new (not the visible state) when the host's result is more than 15 s
 *	  old or missing (exactly 15 s is still fresh), and for an OK result
 *	  while the host is DOWN or UNREACHABLE unless the service was OK
 *	  already and the host's result is fresh: a host's recovery does not
 *	  wait for its own interval.
 *	- Flap detection off still records the history and the percent (so
 *	  turning it on uses real history); it only never starts flapping, and
 *	  stops it if it was on.
 *	- The held RECOVERY: flap_held_problem is set when flapping starts in a
 *	  HARD problem or a HARD problem is seen while flapping; when flapping
 *	  stops (by percent or by flap_detection 0) in OK/UP with it set,
 *	  RECOVERY|NOTIFY are raised. Whether a problem was really notified is
 *	  the notifier's rule "a recovery needs a notified problem".
 *	- debounce replaces attempts only where attempts apply: a passive host
 *	  result and a service problem on a down host are believed at once
 *	  as they are HARD at once without debounce. Believed states are HARD
 *	  at attempt 1; a candidate not yet believed uses the retry interval.
 * DIAGNOSTICS
 *	None: every input maps to a state.
 */
#include "state.h"

#include <string.h>

/* Nagios's curve: the oldest of the 20 transitions weighs 0.75, the newest
 * 1.25, linearly in between; a recent change counts more than an old one. */
#define FLAP_WEIGHT_LOW 0.75
#define FLAP_WEIGHT_HIGH 1.25
#define FLAP_TRANSITIONS (STATE_FLAP_HISTORY - 1)

/* OK for services and UP for hosts are both 0. */
#define STATE_GOOD 0

void
state_init(struct state *st)
{
	memset(st, 0, sizeof(*st));
	st->state = STATE_PENDING;
	st->state_type = STATE_HARD;
	st->attempt = 1;
	st->last_hard_state = STATE_PENDING;
	st->debounce_state = STATE_PENDING;
}

double
state_flap_percent(const signed char *history, int count)
{
	double sum = 0;
	int first;

	if (count > STATE_FLAP_HISTORY) {
		history += count - STATE_FLAP_HISTORY;
		count = STATE_FLAP_HISTORY;
	}
	/*
	 * A short history is right-aligned in the 21 slots, the missing older
	 * entries being copies of the oldest one, as Nagios's history is
	 * filled with the initial state: the changes there are get the
	 * newest (heaviest) weights and the sum is still divided by 20.
	 */
	first = STATE_FLAP_HISTORY - count;
	for (int j = 1; j < count; j++) {
		int i = first + j;	/* transition number, 1..20 */

		if (history[j] != history[j - 1])
			sum += FLAP_WEIGHT_LOW + (i - 1) *
			    (FLAP_WEIGHT_HIGH - FLAP_WEIGHT_LOW) / (FLAP_TRANSITIONS - 1);
	}
	return 100.0 * sum / FLAP_TRANSITIONS;
}

/* The state a result means; out-of-range statuses are UNKNOWN / DOWN. */
static int
state_from_result(const struct state_conf *c, const struct state_input *in)
{
	if (!c->is_host)
		return in->status >= STATUS_OK && in->status <= STATUS_UNKNOWN ?
		    in->status : STATUS_UNKNOWN;
	if (in->status == STATUS_OK || in->status == STATUS_WARNING)
		return HOST_UP;
	if (in->nparents == 0 || in->parents_up > 0)
		return HOST_DOWN;
	return HOST_UNREACHABLE;
}

/* The host is DOWN or UNREACHABLE, soft or hard. */
static int
state_host_down(const struct state_input *in)
{
	return in->host_state != HOST_UP && in->host_state != STATE_PENDING;
}

static int
state_host_hard_down(const struct state_input *in)
{
	return in->host_state_type == STATE_HARD && state_host_down(in);
}

static int
state_host_result_stale(const struct state_input *in)
{
	/* 0 is "never"; said so, though any epoch time is > 15 s after it */
	return in->host_last_check <= 0 ||
	    in->time - in->host_last_check > STATE_HOST_CHECK_MAX_AGE;
}

/* Where the check stands after a result: what step 2 computes. */
struct state_next {
	int state;
	int type;
	int attempt;
	int candidate;		/* debounce: a new state is being counted */
};

/*
 * Soft/hard by attempts. prev/prev_type are the old state with PENDING
 * read as HARD OK/UP; at_once says the result skips retries.
 */
static void
state_by_attempts(int max, const struct state *st, int result, int prev,
    int prev_type, int at_once, struct state_next *n)
{
	n->state = result;
	if (result == STATE_GOOD) {
		n->type = STATE_HARD;
		n->attempt = 1;
	} else if (at_once || max <= 1 || (prev_type == STATE_HARD && prev != STATE_GOOD)) {
		/* HARD at once, or a HARD problem staying HARD (a change between
		 * problems included) */
		n->type = STATE_HARD;
		n->attempt = max;
	} else if (prev == STATE_GOOD) {
		n->type = STATE_SOFT;
		n->attempt = 1;
	} else {
		/* SOFT problem, whichever: count on (Nagios keeps counting when
		 * WARNING turns CRITICAL) */
		n->attempt = st->attempt + 1;
		n->type = STATE_SOFT;
		if (n->attempt >= max) {
			n->attempt = max;
			n->type = STATE_HARD;
		}
	}
}

/*
 * vigil's debounce: a state differing from the visible one is a candidate
 * until N identical results in a row; then it is believed, HARD at once.
 * A result equal to the visible state confirms it and drops the candidate.
 */
static void
state_by_debounce(int debounce, struct state *st, int result, int prev,
    struct state_next *n)
{
	if (result == prev) {
		n->state = result;
		n->type = STATE_HARD;
		n->attempt = 1;
		st->debounce_state = result;
		st->debounce_count = 0;
		return;
	}
	if (st->debounce_count > 0 && st->debounce_state == result)
		st->debounce_count++;
	else {
		st->debounce_state = result;
		st->debounce_count = 1;
	}
	if (st->debounce_count >= debounce) {
		n->state = result;
		n->type = STATE_HARD;
		n->attempt = 1;
		st->debounce_count = 0;
		return;
	}
	/* not believed yet: everything visible stays as it was */
	n->state = st->state;
	n->type = st->state_type;
	n->attempt = st->attempt;
	n->candidate = 1;
}

/* Step 3: store the new state, raise the events of the change. */
static unsigned
state_commit(const struct state_conf *c, struct state *st, double t,
    const struct state_next *n, int result, int prev, int prev_type)
{
	unsigned ev = 0;
	int old = st->state;
	int changed = n->state != old;
	/* a debounce candidate leaves PENDING visible, and PENDING is never
	 * a hard change: last_hard_state is PENDING too then */
	int hard_change = n->type == STATE_HARD && n->state != st->last_hard_state;

	st->state = n->state;
	st->state_type = n->type;
	st->attempt = n->attempt;
	if (changed) {
		ev |= STATE_EV_CHANGED;
		st->last_state_change = t;
	}
	if (hard_change) {
		ev |= STATE_EV_HARD_CHANGE;
		st->last_hard_state = n->state;
		st->last_hard_state_change = t;
	} else if (changed)
		ev |= STATE_EV_SOFT_CHANGE;
	if (changed && n->state == STATE_GOOD && prev != STATE_GOOD)
		ev |= prev_type == STATE_HARD ? STATE_EV_RECOVERY : STATE_EV_SOFT_RECOVERY;
	if ((hard_change && n->state != STATE_GOOD) || (ev & STATE_EV_RECOVERY))
		ev |= STATE_EV_NOTIFY;
	/* volatile: each believed HARD problem result is news */
	if (c->is_volatile && n->type == STATE_HARD && n->state > STATE_GOOD &&
	    n->state == result)
		ev |= STATE_EV_NOTIFY;
	/* from PENDING (an assumed UP) to UP nothing changed for neighbours */
	if (c->is_host && changed && !(old == STATE_PENDING && n->state == HOST_UP))
		ev |= STATE_EV_PROPAGATE;
	return ev;
}

static void
state_flap_record(struct state *st, int s)
{
	if (st->flap_count < 0 || st->flap_count > STATE_FLAP_HISTORY)
		st->flap_count = 0;	/* a corrupt count: start afresh */
	if (st->flap_count == STATE_FLAP_HISTORY) {
		memmove(st->flap_history, st->flap_history + 1, STATE_FLAP_HISTORY - 1);
		st->flap_count--;
	}
	st->flap_history[st->flap_count++] = (signed char)s;
}

/* Step 4: flap history, flapping start/stop, holding notifications. */
static unsigned
state_flap(const struct state_conf *c, struct state *st, unsigned ev)
{
	int hard_problem = st->state_type == STATE_HARD && st->state > STATE_GOOD;
	/* services: HARD states (soft recoveries are HARD OK here); hosts:
	 * every check; never the PENDING of a debounce still counting */
	int record = (c->is_host || st->state_type == STATE_HARD) &&
	    st->state != STATE_PENDING && !(c->flap_ignore & (1u << st->state));

	if (record) {
		state_flap_record(st, st->state);
		st->percent_state_change = state_flap_percent(st->flap_history,
		    st->flap_count);
	}
	if (!st->flapping && c->flap_detection && record &&
	    st->percent_state_change >= c->high_flap_threshold) {
		st->flapping = 1;
		ev |= STATE_EV_FLAP_START;
	} else if (st->flapping && (!c->flap_detection ||
	    (record && st->percent_state_change <= c->low_flap_threshold))) {
		st->flapping = 0;
		ev |= STATE_EV_FLAP_STOP;
		if (st->state == STATE_GOOD && st->flap_held_problem)
			ev |= STATE_EV_RECOVERY | STATE_EV_NOTIFY;
		/* what was held belongs to this flapping period only */
		st->flap_held_problem = 0;
	}
	if (st->flapping) {
		if (hard_problem)
			st->flap_held_problem = 1;
		ev &= ~STATE_EV_NOTIFY;
	}
	return ev;
}

void
state_apply(const struct state_conf *c, struct state *st,
    const struct state_input *in, struct state_output *out)
{
	struct state_next n = { 0 };
	int max = c->max_attempts >= 1 ? c->max_attempts : 1;
	int result = state_from_result(c, in);
	int prev = st->state, prev_type = st->state_type;
	unsigned ev = 0;
	int at_once;

	memset(out, 0, sizeof(*out));
	out->old_state = st->state;
	out->old_hard_state = st->last_hard_state;
	/* a check without a result yet comes from HARD OK/UP, as in Nagios */
	if (prev == STATE_PENDING) {
		prev = STATE_GOOD;
		prev_type = STATE_HARD;
	}
	if (!c->is_host && result != STATE_GOOD) {
		if (state_host_hard_down(in))
			ev |= STATE_EV_HOST_DOWN;
		/* a new problem state asks about the host, unless its result
		 * is fresh; the same problem again does not */
		if (result != st->state && state_host_result_stale(in))
			ev |= STATE_EV_CHECK_HOST;
	}
	/* OK while the host is not UP: the host may be back; checked now
	 * unless the service was OK already and the host's result is fresh
	 * (Nagios's handle_async_service_check_result()) */
	if (!c->is_host && result == STATE_GOOD && state_host_down(in) &&
	    (st->state != STATE_GOOD || state_host_result_stale(in)))
		ev |= STATE_EV_CHECK_HOST;
	/* no retries: a passive host result (Nagios's default), a service
	 * problem whose host is DOWN or UNREACHABLE, soft or hard (Nagios:
	 * "the host is not UP, so the service's state is HARD") */
	at_once = (c->is_host && in->passive) ||
	    (!c->is_host && result != STATE_GOOD && state_host_down(in));
	if (c->debounce > 0 && !at_once)
		state_by_debounce(c->debounce, st, result, prev, &n);
	else {
		state_by_attempts(max, st, result, prev, prev_type, at_once, &n);
		st->debounce_state = n.state;
		st->debounce_count = 0;
	}
	st->last_check = in->time;
	ev |= state_commit(c, st, in->time, &n, result, prev, prev_type);
	if (ev & STATE_EV_HOST_DOWN)
		ev &= ~STATE_EV_NOTIFY;
	ev = state_flap(c, st, ev);
	out->events = ev;
	out->use_retry_interval = n.candidate ||
	    (st->state_type == STATE_SOFT && st->state > STATE_GOOD);
}
