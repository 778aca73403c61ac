/*
 * NAME
 *	notify - who is notified of what, and when: Nagios's notification rules
 * DESCRIPTION
 *	See notify.h for the contract. Pure functions: no I/O, no clock, no
 *	allocation; timeperiods are only read. notify_decide() sorts the
 *	event into one of three paths:
 *
 *	- a problem result: filters 1-7 (notify_common_filters()), then 9-11
 *	  (notify_problem_timing()); sent, it counts and sets the next time;
 *	- a recovery result: filters 1-8; sent or dropped, it resets the
 *	  state, unless flapping holds it or the period postpones it;
 *	- any other event: its own filters (notify_event_filters()), the
 *	  current number and escalations, the state untouched.
 * DIAGNOSTICS
 *	None: every input maps to a decision (out->why).
 */
#include "notify.h"
#include "config.h"		/* NOTIFY_ON_* */
#include "state.h"		/* STATE_HARD, STATE_PENDING, HOST_*, STATUS_* */
#include "timeperiod.h"

#include <string.h>
#include <time.h>

/* OK for services and UP for hosts are both 0. */
#define STATE_GOOD 0

void
notify_state_init(struct notify_state *ns)
{
	memset(ns, 0, sizeof(*ns));
	ns->notified_state = -1;
}

static int
notify_in_period(const struct timeperiod *tp, double now)
{
	return tp == NULL || timeperiod_contains(tp, (time_t)now, NULL);
}

/* "A problem was notified since the last recovery." */
static int
notify_problem_notified(const struct notify_state *ns)
{
	return ns->notified_state >= 0;
}

/* Escalations holding notification number n whose period holds now. */
static uint64_t
notify_escalations(const struct notify_conf *c, int n, double now)
{
	size_t nesc = c->nesc < NOTIFY_MAX_ESCALATIONS ? c->nesc : NOTIFY_MAX_ESCALATIONS;
	uint64_t bits = 0;

	if (n <= 0)
		return 0;
	for (size_t i = 0; i < nesc; i++) {
		const struct notify_escalation *e = &c->esc[i];

		if (e->first <= n && (e->last == 0 || n <= e->last) &&
		    notify_in_period(e->period, now))
			bits |= UINT64_C(1) << i;
	}
	return bits;
}

/*
 * The re-notification interval after a problem sent to escalations esc:
 * the smallest one they set; an escalation without one (-1) takes no part,
 * so that a catch-all escalation does not undo another's longer interval
 * (Nagios's get_next_service_notification_time()).
 */
static int
notify_interval(const struct notify_conf *c, uint64_t esc)
{
	int interval = -1;

	for (size_t i = 0; i < c->nesc && i < NOTIFY_MAX_ESCALATIONS; i++) {
		int e = c->esc[i].interval;

		if ((esc & (UINT64_C(1) << i)) && e >= 0 && (interval < 0 || e < interval))
			interval = e;
	}
	return interval >= 0 ? interval : c->interval;
}

/* Filters 1-7 of a normal notification; bit is the state's (or recovery's). */
static int
notify_common_filters(const struct notify_conf *c, const struct notify_input *in,
    unsigned bit)
{
	if (!c->enabled)
		return NOTIFY_WHY_DISABLED;
	if (in->state_type != STATE_HARD)
		return NOTIFY_WHY_SOFT;
	if (in->acknowledged)
		return NOTIFY_WHY_ACKNOWLEDGED;
	if (in->dependency)
		return NOTIFY_WHY_DEPENDENCY;
	if (in->in_downtime)
		return NOTIFY_WHY_DOWNTIME;
	if (in->flapping)
		return NOTIFY_WHY_FLAPPING;
	if (!notify_in_period(c->period, in->now))
		return NOTIFY_WHY_PERIOD;
	if (bit == 0 || !(c->notify_on & bit))
		return NOTIFY_WHY_NOTIFY_ON;
	return NOTIFY_WHY_SENT;
}

/* Filters 9-11, problems only. */
static int
notify_problem_timing(const struct notify_conf *c, const struct notify_state *ns,
    const struct notify_input *in)
{
	if (ns->number == 0 && c->first_delay > 0 &&
	    in->now < in->last_hard_state_change + c->first_delay)
		return NOTIFY_WHY_DELAY;
	/* A service's, while its host is HARD non-UP (Nagios's
	 * check_service_notification_viability()). A host's UNREACHABLE is
	 * notified as its notify_on says: all parents down blocks nothing
	 * (Nagios 4.5.9 took back 4.5.7's rule). */
	if (!c->is_host && !in->host_up)
		return NOTIFY_WHY_HOST;
	/* the first notification of a problem, or news about it */
	if (ns->number == 0 || (c->is_volatile && in->volatile_hit) || in->hard_change ||
	    in->state != ns->notified_state)
		return NOTIFY_WHY_SENT;
	if (ns->next_notification == 0)
		return NOTIFY_WHY_ONCE;
	if (in->now < ns->next_notification)
		return NOTIFY_WHY_INTERVAL;
	return NOTIFY_WHY_SENT;
}

static void
notify_send(struct notify_decision *out, int type, int number, uint64_t esc)
{
	out->type = type;
	out->why = NOTIFY_WHY_SENT;
	out->number = number;
	out->escalations = esc;
}

static void
notify_problem(const struct notify_conf *c, struct notify_state *ns,
    const struct notify_input *in, struct notify_decision *out)
{
	int n = ns->number + 1;
	uint64_t esc;
	int interval;

	out->why = notify_common_filters(c, in, notify_state_bit(c->is_host, in->state));
	/* A change an acknowledgement, a dependency, a downtime or flapping
	 * hides is news all the same: once they no longer hide it, the next
	 * result notifies, not the rest of the interval later (even when the
	 * state is back to the one notified by then). */
	if ((out->why == NOTIFY_WHY_ACKNOWLEDGED || out->why == NOTIFY_WHY_DEPENDENCY ||
	    out->why == NOTIFY_WHY_DOWNTIME || out->why == NOTIFY_WHY_FLAPPING) &&
	    notify_problem_notified(ns) &&
	    (in->hard_change || in->state != ns->notified_state))
		ns->next_notification = in->now;
	if (out->why == NOTIFY_WHY_SENT)
		out->why = notify_problem_timing(c, ns, in);
	if (out->why != NOTIFY_WHY_SENT)
		return;
	esc = notify_escalations(c, n, in->now);
	interval = notify_interval(c, esc);
	ns->number = n;
	ns->last_notification = in->now;
	ns->next_notification = interval > 0 ? in->now + interval : 0;
	ns->notified_state = in->state;
	ns->notified_esc = esc;
	ns->notified_on |= notify_state_bit(c->is_host, in->state);
	notify_send(out, NOTIFY_PROBLEM, n, esc);
}

static void
notify_recovery(const struct notify_conf *c, struct notify_state *ns,
    const struct notify_input *in, struct notify_decision *out)
{
	out->why = notify_common_filters(c, in, NOTIFY_ON_RECOVERY);
	if (out->why == NOTIFY_WHY_SENT && !notify_problem_notified(ns))
		out->why = NOTIFY_WHY_NOT_NOTIFIED;
	/* a service's recovery while its host is HARD down waits for the
	 * host to be UP (Nagios >= 4.5.7) */
	if (out->why == NOTIFY_WHY_SENT && !c->is_host && !in->host_up)
		out->why = NOTIFY_WHY_HOST;
	/* held until flapping stops, postponed until the period, until the
	 * downtime is over (the first OK result after it sends it), until
	 * the host is UP: still due */
	if (out->why == NOTIFY_WHY_FLAPPING || out->why == NOTIFY_WHY_PERIOD ||
	    (out->why == NOTIFY_WHY_DOWNTIME && notify_problem_notified(ns)) ||
	    out->why == NOTIFY_WHY_HOST)
		return;
	if (out->why == NOTIFY_WHY_SENT) {
		/* the last problem's number (Nagios >= 4.5.7) */
		notify_send(out, NOTIFY_RECOVERY, ns->number, ns->notified_esc);
		out->notified_on = ns->notified_on;
		ns->last_notification = in->now;
	}
	ns->number = 0;
	ns->next_notification = 0;
	ns->notified_state = -1;
	ns->notified_esc = 0;
	ns->notified_on = 0;
}

static void
notify_result(const struct notify_conf *c, struct notify_state *ns,
    const struct notify_input *in, struct notify_decision *out)
{
	if (in->state < STATE_GOOD)	/* PENDING: no result yet */
		return;
	if (in->state > STATE_GOOD)
		notify_problem(c, ns, in, out);
	else if (notify_problem_notified(ns) ||
	    (in->hard_change && in->old_hard_state > STATE_GOOD))
		notify_recovery(c, ns, in, out);
}

/* The filters of the types other than PROBLEM and RECOVERY. */
static int
notify_event_filters(const struct notify_conf *c, const struct notify_input *in)
{
	if (!c->enabled)
		return NOTIFY_WHY_DISABLED;
	if (in->type == NOTIFY_CUSTOM)
		return in->in_downtime ? NOTIFY_WHY_DOWNTIME : NOTIFY_WHY_SENT;
	if (!notify_in_period(c->period, in->now))
		return NOTIFY_WHY_PERIOD;
	switch (in->type) {
	case NOTIFY_ACKNOWLEDGEMENT:
		return in->state > STATE_GOOD ? NOTIFY_WHY_SENT : NOTIFY_WHY_OK;
	case NOTIFY_FLAPPINGSTART:
	case NOTIFY_FLAPPINGSTOP:
		if (!(c->notify_on & NOTIFY_ON_FLAPPING))
			return NOTIFY_WHY_NOTIFY_ON;
		return in->in_downtime ? NOTIFY_WHY_DOWNTIME : NOTIFY_WHY_SENT;
	default:		/* DOWNTIMESTART, DOWNTIMEEND, DOWNTIMECANCELLED */
		return c->notify_on & NOTIFY_ON_DOWNTIME ? NOTIFY_WHY_SENT : NOTIFY_WHY_NOTIFY_ON;
	}
}

void
notify_decide(const struct notify_conf *c, struct notify_state *ns,
    const struct notify_input *in, struct notify_decision *out)
{
	memset(out, 0, sizeof(*out));
	out->type = NOTIFY_NONE;
	out->why = NOTIFY_WHY_NOTHING;
	switch (in->type) {
	case NOTIFY_PROBLEM:
	case NOTIFY_RECOVERY:
		notify_result(c, ns, in, out);
		return;
	case NOTIFY_ACKNOWLEDGEMENT:
	case NOTIFY_FLAPPINGSTART:
	case NOTIFY_FLAPPINGSTOP:
	case NOTIFY_DOWNTIMESTART:
	case NOTIFY_DOWNTIMEEND:
	case NOTIFY_DOWNTIMECANCELLED:
	case NOTIFY_CUSTOM:
		break;
	default:
		return;
	}
	if (in->type == NOTIFY_FLAPPINGSTOP)
		out->also_recovery = in->state == STATE_GOOD && notify_problem_notified(ns);
	out->why = notify_event_filters(c, in);
	if (out->why == NOTIFY_WHY_SENT)
		notify_send(out, in->type, ns->number,
		    notify_escalations(c, ns->number, in->now));
}

int
notify_result_clears_ack(int ack, int old_state, int new_state)
{
	if (ack == NOTIFY_ACK_NONE || new_state == STATE_GOOD)
		return NOTIFY_ACK_NONE;
	if (ack == NOTIFY_ACK_NORMAL && new_state != old_state)
		return NOTIFY_ACK_NONE;
	return ack;
}

unsigned
notify_state_bit(int is_host, int state)
{
	if (is_host) {
		switch (state) {
		case HOST_DOWN:
			return NOTIFY_ON_DOWN;
		case HOST_UNREACHABLE:
			return NOTIFY_ON_UNREACHABLE;
		default:
			return 0;
		}
	}
	switch (state) {
	case STATUS_WARNING:
		return NOTIFY_ON_WARNING;
	case STATUS_CRITICAL:
		return NOTIFY_ON_CRITICAL;
	case STATUS_UNKNOWN:
		return NOTIFY_ON_UNKNOWN;
	default:
		return 0;
	}
}

int
notify_contact_wants(unsigned contact_notify_on, const struct timeperiod *period,
    int is_host, int type, int state, double now)
{
	unsigned bit;

	switch (type) {
	case NOTIFY_PROBLEM:
		bit = notify_state_bit(is_host, state);
		if (bit == 0)
			return 0;
		break;
	case NOTIFY_RECOVERY:
		bit = NOTIFY_ON_RECOVERY;
		break;
	case NOTIFY_FLAPPINGSTART:
	case NOTIFY_FLAPPINGSTOP:
		bit = NOTIFY_ON_FLAPPING;
		break;
	case NOTIFY_DOWNTIMESTART:
	case NOTIFY_DOWNTIMEEND:
	case NOTIFY_DOWNTIMECANCELLED:
		bit = NOTIFY_ON_DOWNTIME;
		break;
	case NOTIFY_ACKNOWLEDGEMENT:
	case NOTIFY_CUSTOM:
	case NOTIFY_DIGEST:
		bit = 0;	/* always wanted, as Nagios */
		break;
	default:
		return 0;
	}
	if (bit != 0 && !(contact_notify_on & bit))
		return 0;
	return notify_in_period(period, now);
}

const char *
notify_type_name(int type)
{
	static const char *const names[NOTIFY_NTYPES] = {
		[NOTIFY_NONE] = "NONE",
		[NOTIFY_PROBLEM] = "PROBLEM",
		[NOTIFY_RECOVERY] = "RECOVERY",
		[NOTIFY_ACKNOWLEDGEMENT] = "ACKNOWLEDGEMENT",
		[NOTIFY_FLAPPINGSTART] = "FLAPPINGSTART",
		[NOTIFY_FLAPPINGSTOP] = "FLAPPINGSTOP",
		[NOTIFY_DOWNTIMESTART] = "DOWNTIMESTART",
		[NOTIFY_DOWNTIMEEND] = "DOWNTIMEEND",
		[NOTIFY_DOWNTIMECANCELLED] = "DOWNTIMECANCELLED",
		[NOTIFY_CUSTOM] = "CUSTOM",
		[NOTIFY_DIGEST] = "DIGEST",
	};

	return type > NOTIFY_NONE && type < NOTIFY_NTYPES ? names[type] : names[NOTIFY_NONE];
}

const char *
notify_why_name(int why)
{
	static const char *const names[NOTIFY_NWHY] = {
		[NOTIFY_WHY_SENT] = "sent",
		[NOTIFY_WHY_NOTHING] = "nothing",
		[NOTIFY_WHY_DISABLED] = "disabled",
		[NOTIFY_WHY_SOFT] = "soft",
		[NOTIFY_WHY_ACKNOWLEDGED] = "acknowledged",
		[NOTIFY_WHY_DOWNTIME] = "downtime",
		[NOTIFY_WHY_FLAPPING] = "flapping",
		[NOTIFY_WHY_PERIOD] = "period",
		[NOTIFY_WHY_NOTIFY_ON] = "notify_on",
		[NOTIFY_WHY_NOT_NOTIFIED] = "not_notified",
		[NOTIFY_WHY_DELAY] = "delay",
		[NOTIFY_WHY_HOST] = "host",
		[NOTIFY_WHY_INTERVAL] = "interval",
		[NOTIFY_WHY_ONCE] = "once",
		[NOTIFY_WHY_OK] = "ok",
		[NOTIFY_WHY_DEPENDENCY] = "dependency",
	};

	return why >= 0 && why < NOTIFY_NWHY ? names[why] : "unknown";
}
