/*
 * NAME
 *	check_notify - the notification rules (engine/notify.c)
 * DESCRIPTION
 *	SEMANTICS.md "Notifications" and the notification side of "Flapping",
 *	as engine/notify.h specifies them: one TCase per group of rules. Most
 *	tests run sequences of events through notify_decide() and compare,
 *	after each one, the decision (type, why, number, escalations,
 *	also_recovery) and the notification state after it (number,
 *	next_notification, notified_state, notified_esc; KEPT: exactly as
 *	before the step). A failure names the sequence and the step.
 *
 *	The runner plays the state machine's and the engine's part, so that a
 *	table shows only what a test is about: results move the hard state
 *	(hard_change, old_hard_state and last_hard_state_change follow from
 *	them), an acknowledgement once placed stays until
 *	notify_result_clears_ack() or UNACK ends it. Every step also checks
 *	that last_notification moves exactly when a PROBLEM or RECOVERY is
 *	sent.
 *
 *	Times are seconds after T0, Monday 2024-01-01 08:00:00 UTC (the tests
 *	run with TZ=UTC); the "day" timeperiod is 09:00-17:00 every day, so
 *	t < 3600 is before it, 3600 <= t < 32400 inside it and 90000 is 09:00
 *	the next day. The check's notification_interval is 300 s unless said.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "engine/notify.h"
#include "engine/state.h"
#include "testutil.h"
#include "timeperiod.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define T0 1704096000.0		/* Monday 2024-01-01 08:00:00 UTC */
#define IVL 300			/* the check's interval unless said */
#define MAXSTEPS 16

/* Short names for the tables. */
#define T(x) NOTIFY_##x
#define W(x) NOTIFY_WHY_##x
#define R NOTIFY_PROBLEM	/* the event "a result was applied" */

#define PEND STATE_PENDING
#define OK STATUS_OK
#define WARN STATUS_WARNING
#define CRIT STATUS_CRITICAL
#define UNKN STATUS_UNKNOWN
#define UP HOST_UP
#define DOWN HOST_DOWN
#define UNRE HOST_UNREACHABLE

/*
 * Around a step (struct notify_input), in a few words; 0 is a HARD state,
 * no downtime, not flapping, the host UP or some parent UP, no volatile
 * hit, and the acknowledgement as it was.
 */
#define SOFT	0x001	/* state_type SOFT */
#define ACK	0x002	/* a normal acknowledgement is placed before the step */
#define STICKY	0x004	/* a sticky one */
#define UNACK	0x008	/* the acknowledgement is removed before the step */
#define DT	0x010	/* in downtime (the check's or its host's) */
#define FLAP	0x020	/* flapping */
#define HDOWN	0x040	/* a service's host is not UP */
#define VOL	0x100	/* volatile_hit */

/* Timeperiods by number: P_ALWAYS is NULL. */
enum { P_ALWAYS, P_DAY, P_NEVER, NPERIODS };
static struct timeperiod *periods[NPERIODS];

struct espec {
	int first, last, interval, period;
};

/* A check's notification settings; all zero is a service notifying on
 * everything, always, every IVL seconds. */
struct cspec {
	int is_host;
	int disabled;		/* notifications not enabled (no contacts) */
	int is_volatile;
	unsigned notify_off;	/* NOTIFY_ON_* bits taken out of "all" */
	int once;		/* notification_interval 0 */
	int interval;		/* 0: IVL */
	int first_delay;
	int period;		/* P_* */
	const struct espec *esc;
	int nesc;
};

#define SVC(...) (&(const struct cspec){ .is_host = 0, __VA_ARGS__ })
#define HOST(...) (&(const struct cspec){ .is_host = 1, __VA_ARGS__ })
#define ESC(table) .esc = (table), .nesc = NELEM(table)

/* The notification state expected after a step; next is seconds after T0
 * (0: none). check 0 (KEPT): the state is what it was before the step. */
struct want_ns {
	int check;
	int number;
	double next;
	int notified_state;
	uint64_t esc;
};

#define NS(n, next, st, e) { 1, n, next, st, e }
#define RESET NS(0, 0, -1, 0)
#define KEPT { 0, 0, 0, 0, 0 }
#define START(n, next, st, e) (&(const struct want_ns)NS(n, next, st, e))

struct step {
	int used;
	int event;		/* R, or the type of the event */
	double t;		/* seconds after T0 */
	int state;		/* the check's state (after the result) */
	unsigned ctx;
	int type, why, number;	/* the decision */
	uint64_t esc;
	int also;
	struct want_ns after;
};

/* The decision: sent (with also_recovery), or not and why. */
#define GOT(ty, n, e)	NOTIFY_##ty, W(SENT), n, e, 0
#define GOTA(ty, n, e)	NOTIFY_##ty, W(SENT), n, e, 1
#define NOT(w)		T(NONE), NOTIFY_WHY_##w, 0, 0, 0
#define NOTA(w)		T(NONE), NOTIFY_WHY_##w, 0, 0, 1

#define RES(t, st, cx, ...)	{ 1, R, t, st, cx, __VA_ARGS__ }
#define EV(ev, t, st, cx, ...)	{ 1, NOTIFY_##ev, t, st, cx, __VA_ARGS__ }

struct seq {
	const char *name;
	const struct cspec *conf;
	int start_state;	/* visible and hard state before step 1 */
	const struct want_ns *start;	/* NULL: notify_state_init() */
	struct step steps[MAXSTEPS];
};

static void
periods_setup(void)
{
	char err[256];

	periods[P_ALWAYS] = NULL;
	periods[P_DAY] = timeperiod_new();
	ck_assert_msg(timeperiod_parse_day("09:00-17:00", periods[P_DAY], TIMEPERIOD_EVERY_DAY,
	    err, sizeof(err)) == 0, "%s", err);
	periods[P_NEVER] = timeperiod_new();
}

static void
periods_teardown(void)
{
	for (int i = 0; i < NPERIODS; i++) {
		timeperiod_free(periods[i]);
		periods[i] = NULL;
	}
}

static void
conf_make(const struct cspec *s, struct notify_conf *c, struct notify_escalation *esc)
{
	memset(c, 0, sizeof(*c));
	c->is_host = s->is_host;
	c->enabled = !s->disabled;
	c->is_volatile = s->is_volatile;
	c->notify_on = NOTIFY_ON_ALL & ~s->notify_off;
	c->interval = s->once ? 0 : s->interval ? s->interval : IVL;
	c->first_delay = s->first_delay;
	c->period = periods[s->period];
	for (int i = 0; i < s->nesc; i++) {
		esc[i].first = s->esc[i].first;
		esc[i].last = s->esc[i].last;
		esc[i].interval = s->esc[i].interval;
		esc[i].period = periods[s->esc[i].period];
	}
	c->esc = esc;
	c->nesc = (size_t)s->nesc;
}

static double
abs_time(double offset)
{
	return offset == 0 ? 0 : T0 + offset;
}

static double
rel_time(double t)
{
	return t == 0 ? 0 : t - T0;
}

static void
step_input(const struct step *p, int hard_change, int old_hard, double lhsc, int ack,
    struct notify_input *in)
{
	memset(in, 0, sizeof(*in));
	in->type = p->event;
	in->now = T0 + p->t;
	in->state = p->state;
	in->state_type = p->ctx & SOFT ? STATE_SOFT : STATE_HARD;
	in->old_hard_state = old_hard;
	in->hard_change = hard_change;
	in->volatile_hit = (p->ctx & VOL) != 0;
	in->last_hard_state_change = lhsc;
	in->flapping = (p->ctx & FLAP) != 0;
	in->acknowledged = ack != NOTIFY_ACK_NONE;
	in->in_downtime = (p->ctx & DT) != 0;
	in->host_up = !(p->ctx & HDOWN);
}

static void
check_decision(const struct seq *q, int k, const struct step *p,
    const struct notify_decision *out)
{
	ck_assert_msg(out->type == p->type && out->why == p->why && out->number == p->number &&
	    out->escalations == p->esc && out->also_recovery == p->also,
	    "%s, step %d (%s at t=%.0f, state %d, ctx %#x): got %s why=%s number %d esc %#llx"
	    " also_recovery %d; want %s why=%s number %d esc %#llx also_recovery %d",
	    q->name, k + 1, p->event == R ? "result" : notify_type_name(p->event), p->t,
	    p->state, p->ctx, notify_type_name(out->type), notify_why_name(out->why),
	    out->number, (unsigned long long)out->escalations, out->also_recovery,
	    notify_type_name(p->type), notify_why_name(p->why), p->number,
	    (unsigned long long)p->esc, p->also);
}

static void
check_state_after(const struct seq *q, int k, const struct step *p,
    const struct notify_state *before, const struct notify_state *ns, int sent_normal)
{
	struct want_ns w = p->after;

	if (!w.check) {
		w.number = before->number;
		w.next = rel_time(before->next_notification);
		w.notified_state = before->notified_state;
		w.esc = before->notified_esc;
	}
	ck_assert_msg(ns->number == w.number && ns->next_notification == abs_time(w.next) &&
	    ns->notified_state == w.notified_state && ns->notified_esc == w.esc,
	    "%s, step %d: state after: number %d next %.0f notified_state %d esc %#llx;"
	    " want number %d next %.0f notified_state %d esc %#llx%s", q->name, k + 1,
	    ns->number, rel_time(ns->next_notification), ns->notified_state,
	    (unsigned long long)ns->notified_esc, w.number, w.next, w.notified_state,
	    (unsigned long long)w.esc, p->after.check ? "" : " (kept)");
	ck_assert_msg(ns->last_notification ==
	    (sent_normal ? T0 + p->t : before->last_notification),
	    "%s, step %d: last_notification %.0f", q->name, k + 1,
	    rel_time(ns->last_notification));
}

/* Run q, asserting each step's decision and the state after it. */
static void
seq_run(const struct seq *q)
{
	struct notify_escalation esc[NOTIFY_MAX_ESCALATIONS];
	struct notify_conf c;
	struct notify_state ns;
	int state = q->start_state, hard = q->start_state, ack = NOTIFY_ACK_NONE;
	double lhsc = T0 - 86400;

	conf_make(q->conf, &c, esc);
	notify_state_init(&ns);
	if (q->start != NULL) {
		ns.number = q->start->number;
		ns.next_notification = abs_time(q->start->next);
		ns.notified_state = q->start->notified_state;
		ns.notified_esc = q->start->esc;
		if (ns.number > 0)
			ns.last_notification = T0 - 1000;
	}
	for (int k = 0; k < MAXSTEPS && q->steps[k].used; k++) {
		const struct step *p = &q->steps[k];
		struct notify_state before = ns;
		struct notify_input in;
		struct notify_decision out;
		int hard_change = 0, old_hard = hard;

		if (p->ctx & ACK)
			ack = NOTIFY_ACK_NORMAL;
		if (p->ctx & STICKY)
			ack = NOTIFY_ACK_STICKY;
		if (p->ctx & UNACK)
			ack = NOTIFY_ACK_NONE;
		if (p->event == R || p->event == T(RECOVERY)) {
			ack = notify_result_clears_ack(ack, state, p->state);
			if (!(p->ctx & SOFT) && p->state != hard) {
				hard_change = 1;
				hard = p->state;
				lhsc = T0 + p->t;
			}
			state = p->state;
		}
		step_input(p, hard_change, old_hard, lhsc, ack, &in);
		notify_decide(&c, &ns, &in, &out);
		check_decision(q, k, p, &out);
		check_state_after(q, k, p, &before, &ns,
		    out.type == T(PROBLEM) || out.type == T(RECOVERY));
	}
}

#define ADD_SEQ(tc, fn, table) tcase_add_loop_test(tc, fn, 0, NELEM(table))

/* ---- Problems: filters 1-11 in order ------------------------------- */

static const struct seq problem_sent[] = {
	{ "service OK to HARD WARNING", SVC(), OK, NULL, {
	  RES(0, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, WARN, 0)) } },
	{ "service OK to HARD CRITICAL", SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)) } },
	{ "service OK to HARD UNKNOWN", SVC(), OK, NULL, {
	  RES(0, UNKN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, UNKN, 0)) } },
	{ "host UP to HARD DOWN", HOST(), UP, NULL, {
	  RES(0, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, DOWN, 0)) } },
	{ "host UNREACHABLE whose parents are no longer all down", HOST(), UP, NULL, {
	  RES(0, UNRE, 0, GOT(PROBLEM, 1, 0), NS(1, 300, UNRE, 0)) } },
	{ "a HARD problem never notified (after a downtime) notifies with its next result",
	  SVC(), CRIT, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)) } },
};

START_TEST(hard_problem_notifies_number_1_to_the_normal_contacts)
{
	seq_run(&problem_sent[_i]);
}
END_TEST

/*
 * One failing filter at a time, then two at once: the earlier one is the
 * reason. A steady HARD CRITICAL never notified (start_state CRIT), so
 * that an acknowledgement stays; nothing is counted when nothing is sent.
 */
static const struct seq problem_filters[] = {
	{ "1 disabled", SVC(.disabled = 1), CRIT, NULL, {
	  RES(0, CRIT, 0, NOT(DISABLED), KEPT) } },
	{ "2 SOFT", SVC(), CRIT, NULL, {
	  RES(0, CRIT, SOFT, NOT(SOFT), KEPT) } },
	{ "1 before 2: disabled and SOFT", SVC(.disabled = 1), CRIT, NULL, {
	  RES(0, CRIT, SOFT, NOT(DISABLED), KEPT) } },
	{ "3 acknowledged", SVC(), CRIT, NULL, {
	  RES(0, CRIT, ACK, NOT(ACKNOWLEDGED), KEPT) } },
	{ "2 before 3: SOFT and acknowledged", SVC(), CRIT, NULL, {
	  RES(0, CRIT, SOFT | ACK, NOT(SOFT), KEPT) } },
	{ "4 in its own downtime", SVC(), CRIT, NULL, {
	  RES(0, CRIT, DT, NOT(DOWNTIME), KEPT) } },
	{ "4 a host in downtime", HOST(), DOWN, NULL, {
	  RES(0, DOWN, DT, NOT(DOWNTIME), KEPT) } },
	{ "3 before 4: acknowledged and in downtime", SVC(), CRIT, NULL, {
	  RES(0, CRIT, ACK | DT, NOT(ACKNOWLEDGED), KEPT) } },
	{ "5 flapping", SVC(), CRIT, NULL, {
	  RES(0, CRIT, FLAP, NOT(FLAPPING), KEPT) } },
	{ "4 before 5: in downtime and flapping", SVC(), CRIT, NULL, {
	  RES(0, CRIT, DT | FLAP, NOT(DOWNTIME), KEPT) } },
	{ "6 outside the notification period", SVC(.period = P_DAY), CRIT, NULL, {
	  RES(0, CRIT, 0, NOT(PERIOD), KEPT) } },
	{ "6 a period with no time at all", SVC(.period = P_NEVER), CRIT, NULL, {
	  RES(3600, CRIT, 0, NOT(PERIOD), KEPT) } },
	{ "6 inside the notification period", SVC(.period = P_DAY), CRIT, NULL, {
	  RES(3600, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 3900, CRIT, 0)) } },
	{ "5 before 6: flapping outside the period", SVC(.period = P_DAY), CRIT, NULL, {
	  RES(0, CRIT, FLAP, NOT(FLAPPING), KEPT) } },
	{ "7 CRITICAL not in notify_on", SVC(.notify_off = NOTIFY_ON_CRITICAL), CRIT, NULL, {
	  RES(0, CRIT, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "6 before 7: outside the period, CRITICAL not in notify_on",
	  SVC(.period = P_DAY, .notify_off = NOTIFY_ON_CRITICAL), CRIT, NULL, {
	  RES(0, CRIT, 0, NOT(PERIOD), KEPT) } },
	{ "9 first_notification_delay not passed", SVC(.first_delay = 600), OK, NULL, {
	  RES(0, CRIT, 0, NOT(DELAY), KEPT) } },
	{ "7 before 9: not in notify_on, within the delay",
	  SVC(.notify_off = NOTIFY_ON_CRITICAL, .first_delay = 600), OK, NULL, {
	  RES(0, CRIT, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "10 the service's host is not UP", SVC(), CRIT, NULL, {
	  RES(0, CRIT, HDOWN, NOT(HOST), KEPT) } },
	{ "10 a host's UNREACHABLE is not held (Nagios 4.5.9 undid 4.5.7's rule)", HOST(),
	  UNRE, NULL, {
	  RES(0, UNRE, 0, GOT(PROBLEM, 1, 0), NS(1, 300, UNRE, 0)) } },
	{ "10 the host's state is a service's matter, not a host's", HOST(), DOWN, NULL, {
	  RES(0, DOWN, HDOWN, GOT(PROBLEM, 1, 0), NS(1, 300, DOWN, 0)) } },
	{ "9 before 10: within the delay, host down", SVC(.first_delay = 600), OK, NULL, {
	  RES(0, CRIT, HDOWN, NOT(DELAY), KEPT) } },
	{ "11 before next_notification", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  RES(100, CRIT, 0, NOT(INTERVAL), KEPT) } },
	{ "11 at next_notification", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  RES(300, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 600, CRIT, 0)) } },
	{ "11 interval 0 and already notified", SVC(.once = 1), CRIT, START(1, 0, CRIT, 0), {
	  RES(100, CRIT, 0, NOT(ONCE), KEPT) } },
	{ "10 before 11: host down, before next_notification", SVC(), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(100, CRIT, HDOWN, NOT(HOST), KEPT) } },
	{ "3 before 11: acknowledged, before next_notification", SVC(), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(100, CRIT, ACK, NOT(ACKNOWLEDGED), KEPT) } },
};

START_TEST(problem_filters_apply_in_order_and_the_first_failing_one_is_the_reason)
{
	seq_run(&problem_filters[_i]);
}
END_TEST

/* Filter 7, state by state. */
static const struct seq notify_on_states[] = {
	{ "WARNING without warning", SVC(.notify_off = NOTIFY_ON_WARNING), OK, NULL, {
	  RES(0, WARN, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "WARNING with warning only", SVC(.notify_off = NOTIFY_ON_ALL & ~NOTIFY_ON_WARNING),
	  OK, NULL, { RES(0, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, WARN, 0)) } },
	{ "CRITICAL without critical", SVC(.notify_off = NOTIFY_ON_CRITICAL), OK, NULL, {
	  RES(0, CRIT, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "CRITICAL with critical only", SVC(.notify_off = NOTIFY_ON_ALL & ~NOTIFY_ON_CRITICAL),
	  OK, NULL, { RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)) } },
	{ "UNKNOWN without unknown", SVC(.notify_off = NOTIFY_ON_UNKNOWN), OK, NULL, {
	  RES(0, UNKN, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "UNKNOWN with unknown only", SVC(.notify_off = NOTIFY_ON_ALL & ~NOTIFY_ON_UNKNOWN),
	  OK, NULL, { RES(0, UNKN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, UNKN, 0)) } },
	{ "host DOWN without down", HOST(.notify_off = NOTIFY_ON_DOWN), UP, NULL, {
	  RES(0, DOWN, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "host DOWN with down only", HOST(.notify_off = NOTIFY_ON_ALL & ~NOTIFY_ON_DOWN),
	  UP, NULL, { RES(0, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, DOWN, 0)) } },
	{ "host UNREACHABLE without unreachable", HOST(.notify_off = NOTIFY_ON_UNREACHABLE),
	  UP, NULL, { RES(0, UNRE, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "host UNREACHABLE with unreachable only",
	  HOST(.notify_off = NOTIFY_ON_ALL & ~NOTIFY_ON_UNREACHABLE), UP, NULL, {
	  RES(0, UNRE, 0, GOT(PROBLEM, 1, 0), NS(1, 300, UNRE, 0)) } },
	{ "service CRITICAL with the host bits only",
	  SVC(.notify_off = NOTIFY_ON_ALL & ~(NOTIFY_ON_DOWN | NOTIFY_ON_UNREACHABLE)), OK, NULL, {
	  RES(0, CRIT, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "host DOWN (1) is not service WARNING (1)",
	  HOST(.notify_off = NOTIFY_ON_ALL & ~NOTIFY_ON_WARNING), UP, NULL, {
	  RES(0, DOWN, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "host UNREACHABLE (2) is not service CRITICAL (2)",
	  HOST(.notify_off = NOTIFY_ON_ALL & ~NOTIFY_ON_CRITICAL), UP, NULL, {
	  RES(0, UNRE, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "notify_on none", SVC(.notify_off = NOTIFY_ON_ALL), OK, NULL, {
	  RES(0, CRIT, 0, NOT(NOTIFY_ON), KEPT) } },
};

START_TEST(problem_needs_its_state_in_the_checks_notify_on)
{
	seq_run(&notify_on_states[_i]);
}
END_TEST

/* ---- Re-notification, hard changes, volatile, first delay ---------- */

static const struct seq renotify[] = {
	{ "every 300 s while the HARD problem lasts", SVC(), OK, NULL, {
	  RES(0, OK, 0, NOT(NOTHING), KEPT),
	  RES(60, CRIT, SOFT, NOT(SOFT), KEPT),
	  RES(120, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 420, CRIT, 0)),
	  RES(180, CRIT, 0, NOT(INTERVAL), KEPT),
	  RES(419, CRIT, 0, NOT(INTERVAL), KEPT),
	  RES(420, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 720, CRIT, 0)),
	  RES(1000, CRIT, 0, GOT(PROBLEM, 3, 0), NS(3, 1300, CRIT, 0)),
	  RES(1060, CRIT, 0, NOT(INTERVAL), KEPT) } },
	{ "a check's own interval", SVC(.interval = 3600), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 3600, CRIT, 0)),
	  RES(3599, CRIT, 0, NOT(INTERVAL), KEPT),
	  RES(3600, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 7200, CRIT, 0)) } },
	{ "a host", HOST(), UP, NULL, {
	  RES(0, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, DOWN, 0)),
	  RES(60, DOWN, 0, NOT(INTERVAL), KEPT),
	  RES(300, DOWN, 0, GOT(PROBLEM, 2, 0), NS(2, 600, DOWN, 0)) } },
};

START_TEST(hard_problem_is_notified_again_every_notification_interval)
{
	seq_run(&renotify[_i]);
}
END_TEST

static const struct seq interval_0[] = {
	{ "once per problem state, counted again after the recovery", SVC(.once = 1), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 0, CRIT, 0)),
	  RES(60, CRIT, 0, NOT(ONCE), KEPT),
	  RES(100000, CRIT, 0, NOT(ONCE), KEPT),
	  RES(100060, WARN, 0, GOT(PROBLEM, 2, 0), NS(2, 0, WARN, 0)),
	  RES(100120, WARN, 0, NOT(ONCE), KEPT),
	  RES(100180, OK, 0, GOT(RECOVERY, 2, 0), RESET),
	  RES(100240, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 0, CRIT, 0)) } },
	{ "a host", HOST(.once = 1), UP, NULL, {
	  RES(0, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 0, DOWN, 0)),
	  RES(600, DOWN, 0, NOT(ONCE), KEPT) } },
};

START_TEST(interval_0_notifies_once_per_problem)
{
	seq_run(&interval_0[_i]);
}
END_TEST

static const struct seq hard_changes[] = {
	{ "WARNING, CRITICAL, UNKNOWN, each at once", SVC(), OK, NULL, {
	  RES(0, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, WARN, 0)),
	  RES(60, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 360, CRIT, 0)),
	  RES(120, CRIT, 0, NOT(INTERVAL), KEPT),
	  RES(180, UNKN, 0, GOT(PROBLEM, 3, 0), NS(3, 480, UNKN, 0)),
	  RES(240, WARN, 0, GOT(PROBLEM, 4, 0), NS(4, 540, WARN, 0)),
	  RES(540, WARN, 0, GOT(PROBLEM, 5, 0), NS(5, 840, WARN, 0)) } },
	{ "host DOWN to UNREACHABLE with a parent up again", HOST(), UP, NULL, {
	  RES(0, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, DOWN, 0)),
	  RES(60, UNRE, 0, GOT(PROBLEM, 2, 0), NS(2, 360, UNRE, 0)) } },
	{ "a change held by a sticky acknowledgement goes out when it is removed",
	  SVC(), OK, NULL, {
	  RES(0, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, WARN, 0)),
	  RES(30, WARN, STICKY, NOT(ACKNOWLEDGED), KEPT),
	  RES(60, CRIT, 0, NOT(ACKNOWLEDGED), NS(1, 60, WARN, 0)),
	  RES(120, CRIT, UNACK, GOT(PROBLEM, 2, 0), NS(2, 420, CRIT, 0)),
	  RES(180, CRIT, 0, NOT(INTERVAL), KEPT) } },
	/* a change that an acknowledgement hides and that is gone again by
	 * the time it ends is still news: the re-notification time is reset */
	{ "a change hidden by a sticky acknowledgement, back to the notified state",
	  SVC(), OK, NULL, {
	  RES(0, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, WARN, 0)),
	  RES(30, WARN, STICKY, NOT(ACKNOWLEDGED), KEPT),
	  RES(60, CRIT, 0, NOT(ACKNOWLEDGED), NS(1, 60, WARN, 0)),
	  RES(90, WARN, 0, NOT(ACKNOWLEDGED), NS(1, 90, WARN, 0)),
	  RES(120, WARN, UNACK, GOT(PROBLEM, 2, 0), NS(2, 420, WARN, 0)) } },
	{ "a change held by the period goes out inside it, not one interval later",
	  SVC(.period = P_DAY, .interval = 172800), OK, NULL, {
	  RES(3600, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 176400, WARN, 0)),
	  RES(32400, CRIT, 0, NOT(PERIOD), KEPT),
	  RES(90000, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 262800, CRIT, 0)),
	  RES(90060, CRIT, 0, NOT(INTERVAL), KEPT) } },
	{ "a change ends 'once' for the new state", SVC(.once = 1), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 0, CRIT, 0)),
	  RES(60, WARN, 0, GOT(PROBLEM, 2, 0), NS(2, 0, WARN, 0)),
	  RES(120, CRIT, 0, GOT(PROBLEM, 3, 0), NS(3, 0, CRIT, 0)),
	  RES(180, CRIT, 0, NOT(ONCE), KEPT) } },
};

START_TEST(hard_change_between_problem_states_notifies_at_once)
{
	seq_run(&hard_changes[_i]);
}
END_TEST

static const struct seq volatile_seq[] = {
	{ "every HARD problem result, still acknowledged and downtime", SVC(.is_volatile = 1),
	  OK, NULL, {
	  RES(0, CRIT, SOFT, NOT(SOFT), KEPT),
	  RES(30, CRIT, VOL, GOT(PROBLEM, 1, 0), NS(1, 330, CRIT, 0)),
	  RES(60, CRIT, VOL, GOT(PROBLEM, 2, 0), NS(2, 360, CRIT, 0)),
	  RES(120, CRIT, VOL | ACK, NOT(ACKNOWLEDGED), KEPT),
	  RES(180, CRIT, VOL | UNACK | DT, NOT(DOWNTIME), KEPT),
	  RES(240, CRIT, VOL, GOT(PROBLEM, 3, 0), NS(3, 540, CRIT, 0)),
	  RES(300, OK, 0, GOT(RECOVERY, 3, 0), RESET) } },
	{ "volatile with interval 0 still notifies every hit",
	  SVC(.is_volatile = 1, .once = 1), OK, NULL, {
	  RES(0, CRIT, VOL, GOT(PROBLEM, 1, 0), NS(1, 0, CRIT, 0)),
	  RES(60, CRIT, VOL, GOT(PROBLEM, 2, 0), NS(2, 0, CRIT, 0)) } },
	{ "a volatile host", HOST(.is_volatile = 1), UP, NULL, {
	  RES(0, DOWN, VOL, GOT(PROBLEM, 1, 0), NS(1, 300, DOWN, 0)),
	  RES(60, DOWN, VOL, GOT(PROBLEM, 2, 0), NS(2, 360, DOWN, 0)) } },
	{ "a hit on a check that is not volatile counts for nothing", SVC(), OK, NULL, {
	  RES(0, CRIT, VOL, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  RES(60, CRIT, VOL, NOT(INTERVAL), KEPT) } },
};

START_TEST(volatile_check_notifies_every_hard_problem_result)
{
	seq_run(&volatile_seq[_i]);
}
END_TEST

static const struct seq first_delay[] = {
	{ "delay from the hard change; not for a change, a recovery or re-notifications",
	  SVC(.first_delay = 600), OK, NULL, {
	  RES(0, OK, 0, NOT(NOTHING), KEPT),
	  RES(60, CRIT, 0, NOT(DELAY), KEPT),
	  RES(659, CRIT, 0, NOT(DELAY), KEPT),
	  RES(660, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 960, CRIT, 0)),
	  RES(720, WARN, 0, GOT(PROBLEM, 2, 0), NS(2, 1020, WARN, 0)),
	  RES(1020, WARN, 0, GOT(PROBLEM, 3, 0), NS(3, 1320, WARN, 0)),
	  RES(1080, OK, 0, GOT(RECOVERY, 3, 0), RESET),
	  RES(1140, CRIT, 0, NOT(DELAY), KEPT),
	  RES(1200, OK, 0, NOT(NOT_NOTIFIED), RESET) } },
	{ "SOFT attempts do not start the delay", SVC(.first_delay = 600), OK, NULL, {
	  RES(0, CRIT, SOFT, NOT(SOFT), KEPT),
	  RES(60, CRIT, SOFT, NOT(SOFT), KEPT),
	  RES(120, CRIT, 0, NOT(DELAY), KEPT),
	  RES(660, CRIT, 0, NOT(DELAY), KEPT),
	  RES(720, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 1020, CRIT, 0)) } },
	{ "a change within the delay starts it again", SVC(.first_delay = 600), OK, NULL, {
	  RES(0, WARN, 0, NOT(DELAY), KEPT),
	  RES(300, CRIT, 0, NOT(DELAY), KEPT),
	  RES(600, CRIT, 0, NOT(DELAY), KEPT),
	  RES(900, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 1200, CRIT, 0)) } },
	{ "a host", HOST(.first_delay = 120), UP, NULL, {
	  RES(0, DOWN, 0, NOT(DELAY), KEPT),
	  RES(120, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 420, DOWN, 0)) } },
};

START_TEST(first_notification_is_delayed_from_the_hard_state_change)
{
	seq_run(&first_delay[_i]);
}
END_TEST

static const struct seq period[] = {
	{ "problem postponed to the period, renotified in it, recovery postponed too",
	  SVC(.period = P_DAY), OK, NULL, {
	  RES(0, CRIT, 0, NOT(PERIOD), KEPT),
	  RES(60, CRIT, 0, NOT(PERIOD), KEPT),
	  RES(3599, CRIT, 0, NOT(PERIOD), KEPT),
	  RES(3600, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 3900, CRIT, 0)),
	  RES(3900, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 4200, CRIT, 0)),
	  RES(32399, CRIT, 0, GOT(PROBLEM, 3, 0), NS(3, 32699, CRIT, 0)),
	  RES(32400, CRIT, 0, NOT(PERIOD), KEPT),
	  RES(32460, OK, 0, NOT(PERIOD), KEPT),
	  RES(32520, OK, 0, NOT(PERIOD), KEPT),
	  RES(90000, OK, 0, GOT(RECOVERY, 3, 0), RESET),
	  RES(90060, OK, 0, NOT(NOTHING), KEPT) } },
	{ "the problem back before its postponed recovery went out: it never ended, the"
	  " interval goes on", SVC(.period = P_DAY, .interval = 172800), OK, NULL, {
	  RES(3600, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 176400, CRIT, 0)),
	  RES(32400, OK, 0, NOT(PERIOD), KEPT),
	  RES(32460, CRIT, 0, NOT(PERIOD), KEPT),
	  RES(90000, CRIT, 0, NOT(INTERVAL), KEPT) } },
	{ "the problem back inside the period before its postponed recovery: a hard change,"
	  " at once", SVC(.period = P_DAY, .interval = 172800), OK, NULL, {
	  RES(3600, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 176400, CRIT, 0)),
	  RES(32400, OK, 0, NOT(PERIOD), KEPT),
	  RES(90000, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 262800, CRIT, 0)) } },
	{ "a problem that recovers outside the period is never notified",
	  SVC(.period = P_DAY), OK, NULL, {
	  RES(0, CRIT, 0, NOT(PERIOD), KEPT),
	  RES(60, OK, 0, NOT(PERIOD), RESET),
	  RES(3600, OK, 0, NOT(NOTHING), KEPT) } },
};

START_TEST(outside_the_period_notification_waits_for_a_result_inside_it)
{
	seq_run(&period[_i]);
}
END_TEST

/* ---- Hosts and parents, services and their host --------------------- */

static const struct seq host_context[] = {
	/* Nagios's check_host_notification_viability() (4.5.9: no parents
	 * rule): UNREACHABLE is a host problem like DOWN, in notify_on */
	{ "a host UNREACHABLE is notified, DOWN is news, UP recovers it",
	  HOST(), UP, NULL, {
	  RES(0, UNRE, 0, GOT(PROBLEM, 1, 0), NS(1, 300, UNRE, 0)),
	  RES(60, UNRE, 0, NOT(INTERVAL), KEPT),
	  RES(120, DOWN, 0, GOT(PROBLEM, 2, 0), NS(2, 420, DOWN, 0)),
	  RES(180, UNRE, 0, GOT(PROBLEM, 3, 0), NS(3, 480, UNRE, 0)),
	  RES(240, UP, 0, GOT(RECOVERY, 3, 0), RESET) } },
	{ "UNREACHABLE not in notify_on: nothing, DOWN is notified",
	  HOST(.notify_off = NOTIFY_ON_UNREACHABLE), UP, NULL, {
	  RES(0, UNRE, 0, NOT(NOTIFY_ON), KEPT),
	  RES(60, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 360, DOWN, 0)) } },
	{ "service on a host HARD down: neither its problem nor its recovery until the host is UP",
	  SVC(), OK, NULL, {
	  RES(0, CRIT, HDOWN, NOT(HOST), KEPT),
	  RES(60, CRIT, HDOWN, NOT(HOST), KEPT),
	  RES(120, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 420, CRIT, 0)),
	  RES(420, CRIT, HDOWN, NOT(HOST), KEPT),
	  RES(480, OK, HDOWN, NOT(HOST), KEPT),
	  RES(540, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "a change held while the host is down goes out once it is UP", SVC(), OK, NULL, {
	  RES(0, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, WARN, 0)),
	  RES(60, CRIT, HDOWN, NOT(HOST), KEPT),
	  RES(120, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 420, CRIT, 0)) } },
	{ "service problem only while its host is down: a recovery with nothing notified",
	  SVC(), OK, NULL, {
	  RES(0, CRIT, HDOWN, NOT(HOST), KEPT),
	  RES(60, OK, 0, NOT(NOT_NOTIFIED), RESET) } },
};

START_TEST(a_host_unreachable_is_notified_a_service_on_a_hard_down_host_is_held)
{
	seq_run(&host_context[_i]);
}
END_TEST

/* ---- Recoveries ------------------------------------------------------ */

static const struct seq recovery[] = {
	{ "after a notified problem: its number (Nagios >= 4.5.7), then everything reset",
	  SVC(), CRIT,
	  START(2, 600, CRIT, 0), {
	  RES(100, OK, 0, GOT(RECOVERY, 2, 0), RESET),
	  RES(160, OK, 0, NOT(NOTHING), KEPT) } },
	{ "a host UP after a notified DOWN", HOST(), DOWN, START(1, 300, DOWN, 0), {
	  RES(100, UP, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "after a problem that was never notified", SVC(), CRIT, NULL, {
	  RES(0, OK, 0, NOT(NOT_NOTIFIED), RESET) } },
	{ "after a SOFT problem: no hard recovery, nothing", SVC(), OK, NULL, {
	  RES(0, CRIT, SOFT, NOT(SOFT), KEPT),
	  RES(60, OK, 0, NOT(NOTHING), KEPT) } },
	{ "OK results with nothing notified", SVC(), OK, NULL, {
	  RES(0, OK, 0, NOT(NOTHING), KEPT),
	  RES(60, OK, 0, NOT(NOTHING), KEPT) } },
	{ "the first result is OK (from PENDING)", SVC(), PEND, NULL, {
	  RES(0, OK, 0, NOT(NOTHING), KEPT) } },
	{ "a PENDING check", SVC(), PEND, NULL, {
	  RES(0, PEND, 0, NOT(NOTHING), KEPT) } },
	{ "not held by the delay", SVC(.first_delay = 600), CRIT, START(1, 300, CRIT, 0), {
	  RES(100, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "not held by the interval", SVC(), CRIT, START(1, 10000, CRIT, 0), {
	  RES(100, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "not held by interval 0", SVC(.once = 1), CRIT, START(1, 0, CRIT, 0), {
	  RES(100, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "sent even if the problem's state is no longer in notify_on",
	  SVC(.notify_off = NOTIFY_ON_CRITICAL), CRIT, START(1, 300, CRIT, 0), {
	  RES(100, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "NOTIFY_RECOVERY as the event reads as a result", SVC(), CRIT,
	  START(1, 300, CRIT, 0), {
	  EV(RECOVERY, 100, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
};

START_TEST(recovery_is_sent_after_a_notified_problem_and_resets_the_count)
{
	seq_run(&recovery[_i]);
}
END_TEST

/* Nagios's notified_on: the recovery says which problem states were
 * notified, so that only contacts wanting one of them hear of it. */
START_TEST(recovery_names_every_problem_state_notified_since_the_last_one)
{
	struct notify_conf c;
	struct notify_state ns;
	struct notify_input in;
	struct notify_decision d;
	static const int states[] = { 1, 2, 0 };	/* WARNING, CRITICAL, OK */
	static const unsigned want[] = { NOTIFY_ON_WARNING,
		NOTIFY_ON_WARNING | NOTIFY_ON_CRITICAL, 0 };

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.notify_on = NOTIFY_ON_ALL;
	c.interval = IVL;
	notify_state_init(&ns);
	for (int i = 0; i < 3; i++) {
		memset(&in, 0, sizeof(in));
		in.type = NOTIFY_PROBLEM;
		in.now = T0 + 10 * i;
		in.state = states[i];
		in.state_type = STATE_HARD;
		in.hard_change = 1;
		in.old_hard_state = i > 0 ? states[i - 1] : 0;
		in.last_hard_state_change = in.now;
		in.host_up = 1;
		notify_decide(&c, &ns, &in, &d);
		ck_assert_int_eq(d.type, i < 2 ? NOTIFY_PROBLEM : NOTIFY_RECOVERY);
		ck_assert_uint_eq(ns.notified_on, want[i]);
	}
	ck_assert_uint_eq(d.notified_on, NOTIFY_ON_WARNING | NOTIFY_ON_CRITICAL);
}
END_TEST

/* Which suppressed recoveries keep the state (held, postponed) and which
 * drop it. */
static const struct seq recovery_filters[] = {
	{ "1 disabled: dropped", SVC(.disabled = 1), CRIT, START(1, 300, CRIT, 0), {
	  RES(0, OK, 0, NOT(DISABLED), RESET) } },
	/* Nagios >= 4.5.7: held, sent with the first OK result after it */
	{ "4 in downtime: held", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  RES(0, OK, DT, NOT(DOWNTIME), KEPT),
	  RES(60, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "5 flapping: held", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  RES(0, OK, FLAP, NOT(FLAPPING), KEPT) } },
	{ "4 before 5: in downtime and flapping: held", SVC(), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(0, OK, DT | FLAP, NOT(DOWNTIME), KEPT) } },
	/* Nagios >= 4.5.7: a service's recovery waits for its host */
	{ "10 a service's host HARD down: held until it is UP", SVC(), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(0, OK, HDOWN, NOT(HOST), KEPT),
	  RES(60, OK, HDOWN, NOT(HOST), KEPT),
	  RES(120, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "10 a host's own recovery is not held by anything of a host's", HOST(), DOWN,
	  START(1, 300, DOWN, 0), {
	  RES(0, UP, HDOWN, GOT(RECOVERY, 1, 0), RESET) } },
	{ "6 outside the period: postponed", SVC(.period = P_DAY), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(0, OK, 0, NOT(PERIOD), KEPT) } },
	{ "5 before 6: flapping outside the period: held", SVC(.period = P_DAY), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(0, OK, FLAP, NOT(FLAPPING), KEPT) } },
	{ "7 recovery not in notify_on: dropped", SVC(.notify_off = NOTIFY_ON_RECOVERY), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(0, OK, 0, NOT(NOTIFY_ON), RESET) } },
	{ "6 before 7: outside the period, not in notify_on: postponed",
	  SVC(.period = P_DAY, .notify_off = NOTIFY_ON_RECOVERY), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(0, OK, 0, NOT(PERIOD), KEPT) } },
	{ "7 before 8: not in notify_on, nothing notified", SVC(.notify_off = NOTIFY_ON_RECOVERY),
	  CRIT, NULL, {
	  RES(0, OK, 0, NOT(NOTIFY_ON), RESET) } },
	{ "4 before 8: in downtime, nothing notified", SVC(), CRIT, NULL, {
	  RES(0, OK, DT, NOT(DOWNTIME), RESET) } },
};

START_TEST(suppressed_recovery_is_kept_when_flapping_or_the_period_holds_it_else_dropped)
{
	seq_run(&recovery_filters[_i]);
}
END_TEST

/* ---- Escalations ----------------------------------------------------- */

static const struct espec esc_2_3[] = { { 2, 3, -1, P_ALWAYS } };
static const struct espec esc_intervals[] = {
	{ 2, 0, 600, P_ALWAYS }, { 3, 4, 120, P_ALWAYS }, { 4, 0, -1, P_ALWAYS },
};
static const struct espec esc_zero[] = { { 2, 0, 0, P_ALWAYS } };
static const struct espec esc_day[] = { { 1, 0, 60, P_DAY } };
static const struct espec esc_overlap[] = { { 1, 2, -1, P_ALWAYS }, { 2, 0, -1, P_ALWAYS } };
static const struct espec esc_from_0[] = { { 0, 0, -1, P_ALWAYS } };

static const struct seq escalation[] = {
	{ "2..3 replaces the contacts of numbers 2 and 3, the recovery goes to them",
	  SVC(ESC(esc_2_3)), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  RES(300, CRIT, 0, GOT(PROBLEM, 2, 1), NS(2, 600, CRIT, 1)),
	  RES(600, CRIT, 0, GOT(PROBLEM, 3, 1), NS(3, 900, CRIT, 1)),
	  RES(700, OK, 0, GOT(RECOVERY, 3, 1), RESET),
	  RES(760, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 1060, CRIT, 0)) } },
	{ "past 2..3 the normal contacts again, and their recovery", SVC(ESC(esc_2_3)), CRIT,
	  START(3, 900, CRIT, 1), {
	  RES(900, CRIT, 0, GOT(PROBLEM, 4, 0), NS(4, 1200, CRIT, 0)),
	  RES(1000, OK, 0, GOT(RECOVERY, 4, 0), RESET) } },
	{ "overlapping escalations all apply", SVC(ESC(esc_overlap)), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 1), NS(1, 300, CRIT, 1)),
	  RES(300, CRIT, 0, GOT(PROBLEM, 2, 3), NS(2, 600, CRIT, 3)),
	  RES(600, CRIT, 0, GOT(PROBLEM, 3, 2), NS(3, 900, CRIT, 2)) } },
	{ "an escalation applies inside its period only, its interval too",
	  SVC(ESC(esc_day)), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  RES(3600, CRIT, 0, GOT(PROBLEM, 2, 1), NS(2, 3660, CRIT, 1)),
	  RES(3660, CRIT, 0, GOT(PROBLEM, 3, 1), NS(3, 3720, CRIT, 1)) } },
	{ "a host's escalation", HOST(ESC(esc_2_3)), DOWN, START(1, 300, DOWN, 0), {
	  RES(300, DOWN, 0, GOT(PROBLEM, 2, 1), NS(2, 600, DOWN, 1)),
	  RES(400, UP, 0, GOT(RECOVERY, 2, 1), RESET) } },
};

START_TEST(escalation_replaces_the_contacts_for_its_notification_numbers)
{
	seq_run(&escalation[_i]);
}
END_TEST

static const struct seq escalation_interval[] = {
	{ "the smallest interval set by the matching escalations; -1 takes no part",
	  SVC(ESC(esc_intervals)), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  RES(300, CRIT, 0, GOT(PROBLEM, 2, 1), NS(2, 900, CRIT, 1)),
	  RES(899, CRIT, 0, NOT(INTERVAL), KEPT),
	  RES(900, CRIT, 0, GOT(PROBLEM, 3, 3), NS(3, 1020, CRIT, 3)),
	  RES(1020, CRIT, 0, GOT(PROBLEM, 4, 7), NS(4, 1140, CRIT, 7)),
	  RES(1140, CRIT, 0, GOT(PROBLEM, 5, 5), NS(5, 1740, CRIT, 5)),
	  RES(1200, OK, 0, GOT(RECOVERY, 5, 5), RESET) } },
	{ "escalations with -1 only: the check's interval", SVC(ESC(esc_2_3)), CRIT,
	  START(1, 300, CRIT, 0), {
	  RES(300, CRIT, 0, GOT(PROBLEM, 2, 1), NS(2, 600, CRIT, 1)) } },
	{ "an escalation's interval 0 stops re-notification, a change still notifies",
	  SVC(ESC(esc_zero)), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  RES(300, CRIT, 0, GOT(PROBLEM, 2, 1), NS(2, 0, CRIT, 1)),
	  RES(600, CRIT, 0, NOT(ONCE), KEPT),
	  RES(660, WARN, 0, GOT(PROBLEM, 3, 1), NS(3, 0, WARN, 1)),
	  RES(720, OK, 0, GOT(RECOVERY, 3, 1), RESET) } },
	{ "an escalation with an interval after a check with interval 0 is never reached",
	  SVC(.once = 1, ESC(esc_intervals)), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 0, CRIT, 0)),
	  RES(600, CRIT, 0, NOT(ONCE), KEPT) } },
};

START_TEST(escalation_interval_is_the_smallest_of_the_matching_escalations)
{
	seq_run(&escalation_interval[_i]);
}
END_TEST

/* nesc is at most NOTIFY_MAX_ESCALATIONS: escalation 63 is bit 63, any
 * beyond is not looked at. */
START_TEST(escalations_beyond_the_64th_are_ignored_and_the_64th_is_bit_63)
{
	static struct notify_escalation esc[NOTIFY_MAX_ESCALATIONS + 1];
	struct notify_conf c = { .enabled = 1, .notify_on = NOTIFY_ON_ALL, .interval = IVL,
	    .esc = esc, .nesc = NOTIFY_MAX_ESCALATIONS + 1 };
	struct notify_input in = { .type = NOTIFY_PROBLEM, .now = T0, .state = CRIT,
	    .state_type = STATE_HARD, .hard_change = 1, .host_up = 1,
	    .last_hard_state_change = T0 };
	struct notify_state ns;
	struct notify_decision out;

	for (int i = 0; i <= NOTIFY_MAX_ESCALATIONS; i++) {
		esc[i].first = 100;
		esc[i].last = 100;
		esc[i].interval = 10;
	}
	esc[NOTIFY_MAX_ESCALATIONS - 1].first = 1;
	esc[NOTIFY_MAX_ESCALATIONS - 1].last = 0;
	esc[NOTIFY_MAX_ESCALATIONS - 1].interval = -1;
	esc[NOTIFY_MAX_ESCALATIONS].first = 1;
	esc[NOTIFY_MAX_ESCALATIONS].last = 0;
	notify_state_init(&ns);
	notify_decide(&c, &ns, &in, &out);
	ck_assert_int_eq(out.type, NOTIFY_PROBLEM);
	ck_assert_uint_eq(out.escalations, UINT64_C(1) << 63);
	ck_assert_uint_eq(ns.notified_esc, UINT64_C(1) << 63);
	ck_assert(ns.next_notification == T0 + IVL);
}
END_TEST

/* ---- Flapping -------------------------------------------------------- */

static const struct seq flap_events[] = {
	{ "FLAPPINGSTART with the current number", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  EV(FLAPPINGSTART, 0, CRIT, FLAP, GOT(FLAPPINGSTART, 1, 0), KEPT) } },
	{ "FLAPPINGSTART of an OK check, nothing notified", SVC(), OK, NULL, {
	  EV(FLAPPINGSTART, 0, OK, FLAP, GOT(FLAPPINGSTART, 0, 0), KEPT) } },
	{ "FLAPPINGSTOP in a problem", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  EV(FLAPPINGSTOP, 0, CRIT, 0, GOT(FLAPPINGSTOP, 1, 0), KEPT) } },
	{ "FLAPPINGSTOP in OK after a notified problem: a recovery is due", SVC(), OK,
	  START(1, 300, CRIT, 0), {
	  EV(FLAPPINGSTOP, 0, OK, 0, GOTA(FLAPPINGSTOP, 1, 0), KEPT) } },
	{ "FLAPPINGSTOP in UP after a notified DOWN", HOST(), UP, START(1, 300, DOWN, 0), {
	  EV(FLAPPINGSTOP, 0, UP, 0, GOTA(FLAPPINGSTOP, 1, 0), KEPT) } },
	{ "FLAPPINGSTOP in OK, nothing notified: no recovery", SVC(), OK, NULL, {
	  EV(FLAPPINGSTOP, 0, OK, 0, GOT(FLAPPINGSTOP, 0, 0), KEPT) } },
	{ "escalated: to the escalation of the current number", SVC(ESC(esc_2_3)), CRIT,
	  START(3, 900, CRIT, 1), {
	  EV(FLAPPINGSTART, 0, CRIT, FLAP, GOT(FLAPPINGSTART, 3, 1), KEPT) } },
	{ "disabled", SVC(.disabled = 1), CRIT, NULL, {
	  EV(FLAPPINGSTART, 0, CRIT, FLAP, NOT(DISABLED), KEPT) } },
	{ "outside the period", SVC(.period = P_DAY), CRIT, NULL, {
	  EV(FLAPPINGSTART, 0, CRIT, FLAP, NOT(PERIOD), KEPT) } },
	{ "flapping not in notify_on", SVC(.notify_off = NOTIFY_ON_FLAPPING), CRIT, NULL, {
	  EV(FLAPPINGSTART, 0, CRIT, FLAP, NOT(NOTIFY_ON), KEPT) } },
	{ "in downtime", SVC(), CRIT, NULL, {
	  EV(FLAPPINGSTART, 0, CRIT, FLAP | DT, NOT(DOWNTIME), KEPT) } },
	{ "period before notify_on", SVC(.period = P_DAY, .notify_off = NOTIFY_ON_FLAPPING),
	  CRIT, NULL, {
	  EV(FLAPPINGSTOP, 0, CRIT, 0, NOT(PERIOD), KEPT) } },
	{ "notify_on before downtime", SVC(.notify_off = NOTIFY_ON_FLAPPING), CRIT, NULL, {
	  EV(FLAPPINGSTOP, 0, CRIT, DT, NOT(NOTIFY_ON), KEPT) } },
	{ "not held by acknowledgement, SOFT state or the host",
	  SVC(), CRIT, NULL, {
	  EV(FLAPPINGSTART, 0, CRIT, FLAP | ACK | SOFT | HDOWN, GOT(FLAPPINGSTART, 0, 0), KEPT) } },
	{ "a FLAPPINGSTOP not sent still says a recovery is due", SVC(), OK,
	  START(1, 300, CRIT, 0), {
	  EV(FLAPPINGSTOP, 0, OK, DT, NOTA(DOWNTIME), KEPT) } },
};

START_TEST(flapping_start_and_stop_pass_their_own_filters_and_keep_the_count)
{
	seq_run(&flap_events[_i]);
}
END_TEST

static const struct seq flap_held[] = {
	{ "problem and recovery held; FLAPPINGSTOP in OK, then the held RECOVERY",
	  SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  EV(FLAPPINGSTART, 30, CRIT, FLAP, GOT(FLAPPINGSTART, 1, 0), KEPT),
	  RES(60, OK, FLAP, NOT(FLAPPING), KEPT),
	  RES(120, CRIT, FLAP, NOT(FLAPPING), NS(1, 120, CRIT, 0)),
	  RES(400, CRIT, FLAP, NOT(FLAPPING), KEPT),
	  RES(460, OK, FLAP, NOT(FLAPPING), KEPT),
	  EV(FLAPPINGSTOP, 520, OK, 0, GOTA(FLAPPINGSTOP, 1, 0), KEPT),
	  RES(520, OK, 0, GOT(RECOVERY, 1, 0), RESET),
	  RES(520, OK, 0, NOT(NOTHING), KEPT) } },
	{ "flapping stops in the notified problem after a hidden change: notified at once",
	  SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  EV(FLAPPINGSTART, 30, CRIT, FLAP, GOT(FLAPPINGSTART, 1, 0), KEPT),
	  RES(60, OK, FLAP, NOT(FLAPPING), KEPT),
	  RES(120, CRIT, FLAP, NOT(FLAPPING), NS(1, 120, CRIT, 0)),
	  EV(FLAPPINGSTOP, 180, CRIT, 0, GOT(FLAPPINGSTOP, 1, 0), KEPT),
	  RES(180, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 480, CRIT, 0)),
	  RES(300, CRIT, 0, NOT(INTERVAL), KEPT) } },
	{ "flapping with no change in the notified problem: the interval goes on",
	  SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  EV(FLAPPINGSTART, 30, CRIT, FLAP, GOT(FLAPPINGSTART, 1, 0), KEPT),
	  RES(60, CRIT, FLAP, NOT(FLAPPING), KEPT),
	  EV(FLAPPINGSTOP, 180, CRIT, 0, GOT(FLAPPINGSTOP, 1, 0), KEPT),
	  RES(180, CRIT, 0, NOT(INTERVAL), KEPT),
	  RES(300, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 600, CRIT, 0)) } },
	{ "flapping stops in another problem state: notified at once", SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  EV(FLAPPINGSTART, 30, CRIT, FLAP, GOT(FLAPPINGSTART, 1, 0), KEPT),
	  RES(60, WARN, FLAP, NOT(FLAPPING), NS(1, 60, CRIT, 0)),
	  EV(FLAPPINGSTOP, 120, WARN, 0, GOT(FLAPPINGSTOP, 1, 0), KEPT),
	  RES(120, WARN, 0, GOT(PROBLEM, 2, 0), NS(2, 420, WARN, 0)) } },
	{ "flapping before anything was notified: no recovery at the stop", SVC(), OK, NULL, {
	  RES(0, CRIT, FLAP, NOT(FLAPPING), KEPT),
	  RES(60, OK, FLAP, NOT(FLAPPING), KEPT),
	  EV(FLAPPINGSTOP, 120, OK, 0, GOT(FLAPPINGSTOP, 0, 0), KEPT),
	  RES(120, OK, 0, NOT(NOTHING), KEPT) } },
	{ "FLAPPINGSTOP not wanted, the held RECOVERY still goes out",
	  SVC(.notify_off = NOTIFY_ON_FLAPPING), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  EV(FLAPPINGSTART, 30, CRIT, FLAP, NOT(NOTIFY_ON), KEPT),
	  RES(60, OK, FLAP, NOT(FLAPPING), KEPT),
	  EV(FLAPPINGSTOP, 120, OK, 0, NOTA(NOTIFY_ON), KEPT),
	  RES(120, OK, 0, GOT(RECOVERY, 1, 0), RESET) } },
	{ "a host", HOST(), UP, NULL, {
	  RES(0, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, DOWN, 0)),
	  EV(FLAPPINGSTART, 30, DOWN, FLAP, GOT(FLAPPINGSTART, 1, 0), KEPT),
	  RES(60, UP, FLAP, NOT(FLAPPING), KEPT),
	  EV(FLAPPINGSTOP, 120, UP, 0, GOTA(FLAPPINGSTOP, 1, 0), KEPT),
	  RES(120, UP, 0, GOT(RECOVERY, 1, 0), RESET) } },
};

START_TEST(flapping_holds_problem_and_recovery_until_it_stops)
{
	seq_run(&flap_held[_i]);
}
END_TEST

/* ---- Acknowledgements ------------------------------------------------ */

static const struct seq ack_events[] = {
	{ "a HARD problem", SVC(), CRIT, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, CRIT, ACK, GOT(ACKNOWLEDGEMENT, 0, 0), KEPT) } },
	{ "a SOFT problem", SVC(), OK, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, WARN, ACK | SOFT, GOT(ACKNOWLEDGEMENT, 0, 0), KEPT) } },
	{ "a host DOWN", HOST(), DOWN, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, DOWN, ACK, GOT(ACKNOWLEDGEMENT, 0, 0), KEPT) } },
	{ "after two notifications: number 2, to its escalation", SVC(ESC(esc_2_3)), CRIT,
	  START(2, 600, CRIT, 1), {
	  EV(ACKNOWLEDGEMENT, 100, CRIT, STICKY, GOT(ACKNOWLEDGEMENT, 2, 1), KEPT) } },
	{ "after four notifications: past the escalation", SVC(ESC(esc_2_3)), CRIT,
	  START(4, 1200, CRIT, 0), {
	  EV(ACKNOWLEDGEMENT, 100, CRIT, ACK, GOT(ACKNOWLEDGEMENT, 4, 0), KEPT) } },
	{ "not held by downtime, flapping, the host or the interval", SVC(), CRIT,
	  START(1, 300, CRIT, 0), {
	  EV(ACKNOWLEDGEMENT, 100, CRIT, ACK | DT | FLAP | HDOWN, GOT(ACKNOWLEDGEMENT, 1, 0),
	  KEPT) } },
	{ "not held by the check's notify_on", SVC(.notify_off = NOTIFY_ON_ALL), CRIT, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, CRIT, ACK, GOT(ACKNOWLEDGEMENT, 0, 0), KEPT) } },
	{ "number 0: no escalation, even one said to start at 0", SVC(ESC(esc_from_0)), CRIT,
	  NULL, {
	  EV(ACKNOWLEDGEMENT, 0, CRIT, ACK, GOT(ACKNOWLEDGEMENT, 0, 0), KEPT) } },
	{ "an OK check", SVC(), OK, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, OK, ACK, NOT(OK), KEPT) } },
	{ "an UP host", HOST(), UP, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, UP, ACK, NOT(OK), KEPT) } },
	{ "a PENDING check", SVC(), PEND, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, PEND, ACK, NOT(OK), KEPT) } },
	{ "disabled", SVC(.disabled = 1), CRIT, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, CRIT, ACK, NOT(DISABLED), KEPT) } },
	{ "disabled before OK", SVC(.disabled = 1), OK, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, OK, ACK, NOT(DISABLED), KEPT) } },
	{ "outside the period", SVC(.period = P_DAY), CRIT, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, CRIT, ACK, NOT(PERIOD), KEPT) } },
	{ "inside the period", SVC(.period = P_DAY), CRIT, NULL, {
	  EV(ACKNOWLEDGEMENT, 3600, CRIT, ACK, GOT(ACKNOWLEDGEMENT, 0, 0), KEPT) } },
	{ "period before OK", SVC(.period = P_DAY), OK, NULL, {
	  EV(ACKNOWLEDGEMENT, 0, OK, ACK, NOT(PERIOD), KEPT) } },
};

START_TEST(acknowledgement_of_a_problem_is_notified_with_the_current_number)
{
	seq_run(&ack_events[_i]);
}
END_TEST

static const struct seq ack_seq[] = {
	{ "normal: holds re-notification, ends with the change to CRITICAL", SVC(), OK, NULL, {
	  RES(0, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, WARN, 0)),
	  EV(ACKNOWLEDGEMENT, 30, WARN, ACK, GOT(ACKNOWLEDGEMENT, 1, 0), KEPT),
	  RES(300, WARN, 0, NOT(ACKNOWLEDGED), KEPT),
	  RES(600, WARN, 0, NOT(ACKNOWLEDGED), KEPT),
	  RES(660, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 960, CRIT, 0)) } },
	{ "normal: ends with a soft change too", SVC(), OK, NULL, {
	  RES(0, CRIT, SOFT, NOT(SOFT), KEPT),
	  RES(30, CRIT, SOFT | ACK, NOT(SOFT), KEPT),
	  RES(60, WARN, SOFT, NOT(SOFT), KEPT),
	  RES(120, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 420, WARN, 0)) } },
	{ "sticky: holds through problem changes, ends with the recovery", SVC(), OK, NULL, {
	  RES(0, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, WARN, 0)),
	  EV(ACKNOWLEDGEMENT, 30, WARN, STICKY, GOT(ACKNOWLEDGEMENT, 1, 0), KEPT),
	  RES(60, CRIT, 0, NOT(ACKNOWLEDGED), NS(1, 60, WARN, 0)),
	  RES(400, CRIT, 0, NOT(ACKNOWLEDGED), NS(1, 400, WARN, 0)),
	  RES(460, UNKN, 0, NOT(ACKNOWLEDGED), NS(1, 460, WARN, 0)),
	  RES(520, OK, 0, GOT(RECOVERY, 1, 0), RESET),
	  RES(580, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 880, WARN, 0)) } },
	{ "acknowledged before any notification: the recovery has nothing to follow",
	  SVC(), OK, NULL, {
	  RES(0, CRIT, SOFT, NOT(SOFT), KEPT),
	  EV(ACKNOWLEDGEMENT, 30, CRIT, STICKY | SOFT, GOT(ACKNOWLEDGEMENT, 0, 0), KEPT),
	  RES(60, CRIT, 0, NOT(ACKNOWLEDGED), KEPT),
	  RES(120, OK, 0, NOT(NOT_NOTIFIED), RESET) } },
	{ "a sticky host acknowledgement holds DOWN to UNREACHABLE", HOST(), UP, NULL, {
	  RES(0, DOWN, 0, GOT(PROBLEM, 1, 0), NS(1, 300, DOWN, 0)),
	  RES(30, DOWN, STICKY, NOT(ACKNOWLEDGED), KEPT),
	  RES(60, UNRE, 0, NOT(ACKNOWLEDGED), NS(1, 60, DOWN, 0)),
	  RES(120, UP, 0, GOT(RECOVERY, 1, 0), RESET) } },
};

START_TEST(normal_acknowledgement_ends_on_a_state_change_sticky_on_recovery)
{
	seq_run(&ack_seq[_i]);
}
END_TEST

static const struct {
	int ack, old_state, new_state, want;
} ack_clear[] = {
	{ NOTIFY_ACK_NONE, WARN, CRIT, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_NONE, CRIT, CRIT, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_NONE, CRIT, OK, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_NORMAL, CRIT, CRIT, NOTIFY_ACK_NORMAL },
	{ NOTIFY_ACK_NORMAL, WARN, CRIT, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_NORMAL, CRIT, WARN, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_NORMAL, CRIT, UNKN, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_NORMAL, CRIT, OK, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_NORMAL, DOWN, UNRE, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_STICKY, CRIT, CRIT, NOTIFY_ACK_STICKY },
	{ NOTIFY_ACK_STICKY, WARN, CRIT, NOTIFY_ACK_STICKY },
	{ NOTIFY_ACK_STICKY, CRIT, UNKN, NOTIFY_ACK_STICKY },
	{ NOTIFY_ACK_STICKY, DOWN, UNRE, NOTIFY_ACK_STICKY },
	{ NOTIFY_ACK_STICKY, CRIT, OK, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_STICKY, DOWN, UP, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_NORMAL, OK, OK, NOTIFY_ACK_NONE },
	{ NOTIFY_ACK_STICKY, OK, OK, NOTIFY_ACK_NONE },
};

START_TEST(result_clears_a_normal_ack_on_any_change_and_a_sticky_one_on_ok)
{
	int got = notify_result_clears_ack(ack_clear[_i].ack, ack_clear[_i].old_state,
	    ack_clear[_i].new_state);

	ck_assert_msg(got == ack_clear[_i].want, "ack %d, state %d -> %d: got %d, want %d",
	    ack_clear[_i].ack, ack_clear[_i].old_state, ack_clear[_i].new_state, got,
	    ack_clear[_i].want);
}
END_TEST

/* ---- Downtime and custom notifications --------------------------------- */

static const struct seq downtime_seq[] = {
	{ "a problem in downtime is not counted, notified once it ends", SVC(), OK, NULL, {
	  RES(0, CRIT, DT, NOT(DOWNTIME), KEPT),
	  RES(60, CRIT, DT, NOT(DOWNTIME), KEPT),
	  RES(120, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 420, CRIT, 0)) } },
	{ "a problem in its host's downtime (in_downtime says so too)", SVC(), OK, NULL, {
	  RES(0, CRIT, DT | HDOWN, NOT(DOWNTIME), KEPT),
	  RES(60, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 360, CRIT, 0)) } },
	{ "suppressed problems do not bump the number", SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  RES(300, CRIT, DT, NOT(DOWNTIME), KEPT),
	  RES(600, CRIT, FLAP, NOT(FLAPPING), KEPT),
	  RES(900, CRIT, ACK, NOT(ACKNOWLEDGED), KEPT),
	  RES(960, CRIT, UNACK, GOT(PROBLEM, 2, 0), NS(2, 1260, CRIT, 0)) } },
	{ "a recovery in downtime is sent with the first OK after it", SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  RES(60, CRIT, DT, NOT(DOWNTIME), KEPT),
	  RES(120, OK, DT, NOT(DOWNTIME), KEPT),
	  RES(180, OK, 0, GOT(RECOVERY, 1, 0), RESET),
	  RES(240, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 540, CRIT, 0)) } },
	{ "a problem again before the downtime ends: no recovery, the problem re-notified",
	  SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  RES(120, OK, DT, NOT(DOWNTIME), KEPT),
	  RES(150, CRIT, DT, NOT(DOWNTIME), NS(1, 150, CRIT, 0)),
	  RES(180, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 480, CRIT, 0)) } },
	{ "a notified problem outlasting the downtime: re-notified at its interval",
	  SVC(), OK, NULL, {
	  RES(0, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 300, CRIT, 0)),
	  EV(DOWNTIMESTART, 60, CRIT, DT, GOT(DOWNTIMESTART, 1, 0), KEPT),
	  RES(300, CRIT, DT, NOT(DOWNTIME), KEPT),
	  EV(DOWNTIMEEND, 3000, CRIT, 0, GOT(DOWNTIMEEND, 1, 0), KEPT),
	  RES(3000, CRIT, 0, GOT(PROBLEM, 2, 0), NS(2, 3300, CRIT, 0)) } },
};

START_TEST(downtime_suppresses_problems_and_recoveries_of_the_check_or_its_host)
{
	seq_run(&downtime_seq[_i]);
}
END_TEST

static const struct seq downtime_events[] = {
	{ "DOWNTIMESTART", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  EV(DOWNTIMESTART, 0, CRIT, DT, GOT(DOWNTIMESTART, 1, 0), KEPT) } },
	{ "DOWNTIMEEND", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  EV(DOWNTIMEEND, 0, CRIT, 0, GOT(DOWNTIMEEND, 1, 0), KEPT) } },
	{ "DOWNTIMECANCELLED", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  EV(DOWNTIMECANCELLED, 0, CRIT, 0, GOT(DOWNTIMECANCELLED, 1, 0), KEPT) } },
	{ "DOWNTIMESTART of an OK check", SVC(), OK, NULL, {
	  EV(DOWNTIMESTART, 0, OK, DT, GOT(DOWNTIMESTART, 0, 0), KEPT) } },
	{ "DOWNTIMESTART of a host", HOST(), UP, NULL, {
	  EV(DOWNTIMESTART, 0, UP, DT, GOT(DOWNTIMESTART, 0, 0), KEPT) } },
	{ "escalated", SVC(ESC(esc_2_3)), CRIT, START(2, 600, CRIT, 1), {
	  EV(DOWNTIMESTART, 0, CRIT, DT, GOT(DOWNTIMESTART, 2, 1), KEPT) } },
	{ "DOWNTIMEEND while another downtime goes on (nesting is the caller's)", SVC(), CRIT,
	  NULL, {
	  EV(DOWNTIMEEND, 0, CRIT, DT, GOT(DOWNTIMEEND, 0, 0), KEPT) } },
	{ "not held by acknowledgement, flapping or the host", SVC(), CRIT, NULL, {
	  EV(DOWNTIMESTART, 0, CRIT, DT | ACK | FLAP | HDOWN, GOT(DOWNTIMESTART, 0, 0),
	  KEPT) } },
	{ "disabled", SVC(.disabled = 1), CRIT, NULL, {
	  EV(DOWNTIMESTART, 0, CRIT, DT, NOT(DISABLED), KEPT) } },
	{ "outside the period", SVC(.period = P_DAY), CRIT, NULL, {
	  EV(DOWNTIMEEND, 0, CRIT, 0, NOT(PERIOD), KEPT) } },
	{ "DOWNTIMESTART without downtime in notify_on",
	  SVC(.notify_off = NOTIFY_ON_DOWNTIME), CRIT, NULL, {
	  EV(DOWNTIMESTART, 0, CRIT, DT, NOT(NOTIFY_ON), KEPT) } },
	{ "DOWNTIMEEND without downtime in notify_on",
	  SVC(.notify_off = NOTIFY_ON_DOWNTIME), CRIT, NULL, {
	  EV(DOWNTIMEEND, 0, CRIT, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "DOWNTIMECANCELLED without downtime in notify_on",
	  SVC(.notify_off = NOTIFY_ON_DOWNTIME), CRIT, NULL, {
	  EV(DOWNTIMECANCELLED, 0, CRIT, 0, NOT(NOTIFY_ON), KEPT) } },
	{ "period before notify_on", SVC(.period = P_DAY, .notify_off = NOTIFY_ON_DOWNTIME),
	  CRIT, NULL, {
	  EV(DOWNTIMESTART, 0, CRIT, DT, NOT(PERIOD), KEPT) } },
};

START_TEST(downtime_start_end_and_cancel_pass_enabled_period_and_notify_on)
{
	seq_run(&downtime_events[_i]);
}
END_TEST

static const struct seq custom[] = {
	{ "a problem", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  EV(CUSTOM, 100, CRIT, 0, GOT(CUSTOM, 1, 0), KEPT) } },
	{ "an OK check", SVC(), OK, NULL, {
	  EV(CUSTOM, 0, OK, 0, GOT(CUSTOM, 0, 0), KEPT) } },
	{ "outside the period", SVC(.period = P_DAY), CRIT, NULL, {
	  EV(CUSTOM, 0, CRIT, 0, GOT(CUSTOM, 0, 0), KEPT) } },
	{ "notify_on none, acknowledged, flapping, SOFT, host down", SVC(.notify_off = NOTIFY_ON_ALL),
	  CRIT, NULL, {
	  EV(CUSTOM, 0, CRIT, ACK | FLAP | SOFT | HDOWN, GOT(CUSTOM, 0, 0), KEPT) } },
	{ "escalated only inside the escalation's period", SVC(ESC(esc_day)), CRIT,
	  START(1, 300, CRIT, 0), {
	  EV(CUSTOM, 100, CRIT, 0, GOT(CUSTOM, 1, 0), KEPT),
	  EV(CUSTOM, 3600, CRIT, 0, GOT(CUSTOM, 1, 1), KEPT) } },
	{ "in downtime", SVC(), CRIT, NULL, {
	  EV(CUSTOM, 0, CRIT, DT, NOT(DOWNTIME), KEPT) } },
	{ "disabled", SVC(.disabled = 1), CRIT, NULL, {
	  EV(CUSTOM, 0, CRIT, DT, NOT(DISABLED), KEPT) } },
};

START_TEST(custom_notification_is_sent_unless_disabled_or_in_downtime)
{
	seq_run(&custom[_i]);
}
END_TEST

static const struct seq not_decided[] = {
	{ "DIGEST", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  EV(DIGEST, 0, CRIT, 0, NOT(NOTHING), KEPT) } },
	{ "NONE", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  EV(NONE, 0, CRIT, 0, NOT(NOTHING), KEPT) } },
	{ "an unknown type", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  { 1, 99, 0, CRIT, 0, NOT(NOTHING), KEPT } } },
	{ "a negative type", SVC(), CRIT, START(1, 300, CRIT, 0), {
	  { 1, -1, 0, CRIT, 0, NOT(NOTHING), KEPT } } },
};

START_TEST(digest_none_and_unknown_types_are_never_decided)
{
	seq_run(&not_decided[_i]);
}
END_TEST

/* ---- The whole story -------------------------------------------------- */

static const struct seq story[] = {
	{ "OK, SOFT, HARD CRITICAL, re-notified, escalated 2..3, recovery, again from 1",
	  SVC(ESC(esc_2_3)), PEND, NULL, {
	  RES(0, OK, 0, NOT(NOTHING), KEPT),
	  RES(60, CRIT, SOFT, NOT(SOFT), KEPT),
	  RES(120, CRIT, SOFT, NOT(SOFT), KEPT),
	  RES(180, CRIT, 0, GOT(PROBLEM, 1, 0), NS(1, 480, CRIT, 0)),
	  RES(240, CRIT, 0, NOT(INTERVAL), KEPT),
	  RES(480, CRIT, 0, GOT(PROBLEM, 2, 1), NS(2, 780, CRIT, 1)),
	  RES(540, CRIT, 0, NOT(INTERVAL), KEPT),
	  RES(780, CRIT, 0, GOT(PROBLEM, 3, 1), NS(3, 1080, CRIT, 1)),
	  EV(ACKNOWLEDGEMENT, 800, CRIT, ACK, GOT(ACKNOWLEDGEMENT, 3, 1), KEPT),
	  RES(1080, CRIT, 0, NOT(ACKNOWLEDGED), KEPT),
	  RES(1140, OK, 0, GOT(RECOVERY, 3, 1), RESET),
	  RES(1200, OK, 0, NOT(NOTHING), KEPT),
	  RES(1260, WARN, SOFT, NOT(SOFT), KEPT),
	  RES(1320, WARN, 0, GOT(PROBLEM, 1, 0), NS(1, 1620, WARN, 0)) } },
};

START_TEST(problem_story_from_ok_through_escalation_to_recovery_and_back)
{
	seq_run(&story[_i]);
}
END_TEST

/* ---- Contacts, state bits, names ------------------------------------- */

static const struct {
	const char *name;
	unsigned on;
	int period, is_host, type, state;
	double t;
	int want;
} contact[] = {
	{ "CRITICAL, all", NOTIFY_ON_ALL, P_ALWAYS, 0, T(PROBLEM), CRIT, 0, 1 },
	{ "CRITICAL, critical only", NOTIFY_ON_CRITICAL, P_ALWAYS, 0, T(PROBLEM), CRIT, 0, 1 },
	{ "CRITICAL, warning only", NOTIFY_ON_WARNING, P_ALWAYS, 0, T(PROBLEM), CRIT, 0, 0 },
	{ "WARNING, warning", NOTIFY_ON_WARNING, P_ALWAYS, 0, T(PROBLEM), WARN, 0, 1 },
	{ "UNKNOWN, all but unknown", NOTIFY_ON_ALL & ~NOTIFY_ON_UNKNOWN, P_ALWAYS, 0,
	  T(PROBLEM), UNKN, 0, 0 },
	{ "PROBLEM in OK", NOTIFY_ON_ALL, P_ALWAYS, 0, T(PROBLEM), OK, 0, 0 },
	{ "PROBLEM while PENDING", NOTIFY_ON_ALL, P_ALWAYS, 0, T(PROBLEM), PEND, 0, 0 },
	{ "host DOWN, down", NOTIFY_ON_DOWN, P_ALWAYS, 1, T(PROBLEM), DOWN, 0, 1 },
	{ "host DOWN, warning (same number)", NOTIFY_ON_WARNING, P_ALWAYS, 1, T(PROBLEM), DOWN,
	  0, 0 },
	{ "host UNREACHABLE, unreachable", NOTIFY_ON_UNREACHABLE, P_ALWAYS, 1, T(PROBLEM), UNRE,
	  0, 1 },
	{ "host UNREACHABLE, down only", NOTIFY_ON_DOWN, P_ALWAYS, 1, T(PROBLEM), UNRE, 0, 0 },
	{ "service CRITICAL, host bits only", NOTIFY_ON_DOWN | NOTIFY_ON_UNREACHABLE, P_ALWAYS,
	  0, T(PROBLEM), CRIT, 0, 0 },
	{ "RECOVERY, recovery", NOTIFY_ON_RECOVERY, P_ALWAYS, 0, T(RECOVERY), OK, 0, 1 },
	{ "RECOVERY, all but recovery", NOTIFY_ON_ALL & ~NOTIFY_ON_RECOVERY, P_ALWAYS, 0,
	  T(RECOVERY), OK, 0, 0 },
	{ "host RECOVERY, recovery", NOTIFY_ON_RECOVERY, P_ALWAYS, 1, T(RECOVERY), UP, 0, 1 },
	{ "FLAPPINGSTART, flapping", NOTIFY_ON_FLAPPING, P_ALWAYS, 0, T(FLAPPINGSTART), CRIT,
	  0, 1 },
	{ "FLAPPINGSTOP, all but flapping", NOTIFY_ON_ALL & ~NOTIFY_ON_FLAPPING, P_ALWAYS, 0,
	  T(FLAPPINGSTOP), OK, 0, 0 },
	{ "FLAPPINGSTOP, flapping", NOTIFY_ON_FLAPPING, P_ALWAYS, 0, T(FLAPPINGSTOP), OK, 0, 1 },
	{ "DOWNTIMESTART, downtime", NOTIFY_ON_DOWNTIME, P_ALWAYS, 0, T(DOWNTIMESTART), OK, 0,
	  1 },
	{ "DOWNTIMEEND, all but downtime", NOTIFY_ON_ALL & ~NOTIFY_ON_DOWNTIME, P_ALWAYS, 0,
	  T(DOWNTIMEEND), CRIT, 0, 0 },
	{ "DOWNTIMECANCELLED, downtime", NOTIFY_ON_DOWNTIME, P_ALWAYS, 1, T(DOWNTIMECANCELLED),
	  DOWN, 0, 1 },
	{ "DOWNTIMECANCELLED, all but downtime", NOTIFY_ON_ALL & ~NOTIFY_ON_DOWNTIME, P_ALWAYS,
	  1, T(DOWNTIMECANCELLED), DOWN, 0, 0 },
	{ "ACKNOWLEDGEMENT, none", 0, P_ALWAYS, 0, T(ACKNOWLEDGEMENT), CRIT, 0, 1 },
	{ "CUSTOM, none", 0, P_ALWAYS, 0, T(CUSTOM), OK, 0, 1 },
	{ "DIGEST, none", 0, P_ALWAYS, 0, T(DIGEST), CRIT, 0, 1 },
	{ "NONE, all", NOTIFY_ON_ALL, P_ALWAYS, 0, T(NONE), CRIT, 0, 0 },
	{ "an unknown type, all", NOTIFY_ON_ALL, P_ALWAYS, 0, 99, CRIT, 0, 0 },
	{ "CRITICAL outside the contact's period", NOTIFY_ON_ALL, P_DAY, 0, T(PROBLEM), CRIT,
	  0, 0 },
	{ "CRITICAL inside the contact's period", NOTIFY_ON_ALL, P_DAY, 0, T(PROBLEM), CRIT,
	  3600, 1 },
	{ "CRITICAL at the end of the contact's period", NOTIFY_ON_ALL, P_DAY, 0, T(PROBLEM),
	  CRIT, 32400, 0 },
	{ "ACKNOWLEDGEMENT outside the contact's period", 0, P_DAY, 0, T(ACKNOWLEDGEMENT), CRIT,
	  0, 0 },
	{ "CUSTOM in an empty period", NOTIFY_ON_ALL, P_NEVER, 0, T(CUSTOM), CRIT, 3600, 0 },
};

START_TEST(contact_wants_what_its_notify_on_names_inside_its_period)
{
	int got = notify_contact_wants(contact[_i].on, periods[contact[_i].period],
	    contact[_i].is_host, contact[_i].type, contact[_i].state, T0 + contact[_i].t);

	ck_assert_msg(got == contact[_i].want, "%s: got %d", contact[_i].name, got);
}
END_TEST

static const struct {
	int is_host, state;
	unsigned want;
} state_bits[] = {
	{ 0, OK, 0 }, { 0, WARN, NOTIFY_ON_WARNING }, { 0, CRIT, NOTIFY_ON_CRITICAL },
	{ 0, UNKN, NOTIFY_ON_UNKNOWN }, { 0, PEND, 0 }, { 0, 4, 0 },
	{ 1, UP, 0 }, { 1, DOWN, NOTIFY_ON_DOWN }, { 1, UNRE, NOTIFY_ON_UNREACHABLE },
	{ 1, 3, 0 }, { 1, PEND, 0 },
};

START_TEST(state_bit_is_the_notify_on_bit_of_a_problem_state_and_0_otherwise)
{
	ck_assert_msg(notify_state_bit(state_bits[_i].is_host, state_bits[_i].state) ==
	    state_bits[_i].want, "%s state %d", state_bits[_i].is_host ? "host" : "service",
	    state_bits[_i].state);
}
END_TEST

START_TEST(type_names_are_the_notificationtype_macro_values)
{
	static const struct {
		int type;
		const char *name;
	} names[] = {
		{ T(NONE), "NONE" }, { T(PROBLEM), "PROBLEM" }, { T(RECOVERY), "RECOVERY" },
		{ T(ACKNOWLEDGEMENT), "ACKNOWLEDGEMENT" }, { T(FLAPPINGSTART), "FLAPPINGSTART" },
		{ T(FLAPPINGSTOP), "FLAPPINGSTOP" }, { T(DOWNTIMESTART), "DOWNTIMESTART" },
		{ T(DOWNTIMEEND), "DOWNTIMEEND" }, { T(DOWNTIMECANCELLED), "DOWNTIMECANCELLED" },
		{ T(CUSTOM), "CUSTOM" }, { T(DIGEST), "DIGEST" }, { T(NTYPES), "NONE" },
		{ -1, "NONE" }, { 1000, "NONE" },
	};

	for (int i = 0; i < NELEM(names); i++)
		ck_assert_str_eq(notify_type_name(names[i].type), names[i].name);
}
END_TEST

START_TEST(why_names_are_short_words_for_logs)
{
	static const struct {
		int why;
		const char *name;
	} names[] = {
		{ W(SENT), "sent" }, { W(NOTHING), "nothing" }, { W(DISABLED), "disabled" },
		{ W(SOFT), "soft" }, { W(ACKNOWLEDGED), "acknowledged" },
		{ W(DOWNTIME), "downtime" }, { W(FLAPPING), "flapping" }, { W(PERIOD), "period" },
		{ W(NOTIFY_ON), "notify_on" }, { W(NOT_NOTIFIED), "not_notified" },
		{ W(DELAY), "delay" }, { W(HOST), "host" }, { W(INTERVAL), "interval" },
		{ W(ONCE), "once" }, { W(OK), "ok" }, { W(DEPENDENCY), "dependency" },
		{ NOTIFY_NWHY, "unknown" },
		{ -1, "unknown" },
	};

	for (int i = 0; i < NELEM(names); i++)
		ck_assert_str_eq(notify_why_name(names[i].why), names[i].name);
}
END_TEST

START_TEST(state_init_is_nothing_notified)
{
	struct notify_state ns;

	memset(&ns, 0x5a, sizeof(ns));
	notify_state_init(&ns);
	ck_assert_int_eq(ns.number, 0);
	ck_assert(ns.last_notification == 0 && ns.next_notification == 0);
	ck_assert_int_eq(ns.notified_state, -1);
	ck_assert_uint_eq(ns.notified_esc, 0);
}
END_TEST

static TCase *
notify_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, periods_setup, periods_teardown);
	return tc;
}

static Suite *
notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = notify_tcase("problems");

	ADD_SEQ(tc, hard_problem_notifies_number_1_to_the_normal_contacts, problem_sent);
	ADD_SEQ(tc, problem_filters_apply_in_order_and_the_first_failing_one_is_the_reason,
	    problem_filters);
	ADD_SEQ(tc, problem_needs_its_state_in_the_checks_notify_on, notify_on_states);
	ADD_SEQ(tc, hard_problem_is_notified_again_every_notification_interval, renotify);
	ADD_SEQ(tc, interval_0_notifies_once_per_problem, interval_0);
	ADD_SEQ(tc, hard_change_between_problem_states_notifies_at_once, hard_changes);
	ADD_SEQ(tc, volatile_check_notifies_every_hard_problem_result, volatile_seq);
	ADD_SEQ(tc, first_notification_is_delayed_from_the_hard_state_change, first_delay);
	ADD_SEQ(tc, outside_the_period_notification_waits_for_a_result_inside_it, period);
	ADD_SEQ(tc, a_host_unreachable_is_notified_a_service_on_a_hard_down_host_is_held,
	    host_context);
	ADD_SEQ(tc, problem_story_from_ok_through_escalation_to_recovery_and_back, story);
	suite_add_tcase(s, tc);

	tc = notify_tcase("recoveries");
	ADD_SEQ(tc, recovery_is_sent_after_a_notified_problem_and_resets_the_count, recovery);
	ADD_SEQ(tc, suppressed_recovery_is_kept_when_flapping_or_the_period_holds_it_else_dropped,
	    recovery_filters);
	tcase_add_test(tc, recovery_names_every_problem_state_notified_since_the_last_one);
	suite_add_tcase(s, tc);

	tc = notify_tcase("escalations");
	ADD_SEQ(tc, escalation_replaces_the_contacts_for_its_notification_numbers, escalation);
	ADD_SEQ(tc, escalation_interval_is_the_smallest_of_the_matching_escalations,
	    escalation_interval);
	tcase_add_test(tc, escalations_beyond_the_64th_are_ignored_and_the_64th_is_bit_63);
	suite_add_tcase(s, tc);

	tc = notify_tcase("flapping");
	ADD_SEQ(tc, flapping_start_and_stop_pass_their_own_filters_and_keep_the_count,
	    flap_events);
	ADD_SEQ(tc, flapping_holds_problem_and_recovery_until_it_stops, flap_held);
	suite_add_tcase(s, tc);

	tc = notify_tcase("acknowledgements");
	ADD_SEQ(tc, acknowledgement_of_a_problem_is_notified_with_the_current_number, ack_events);
	ADD_SEQ(tc, normal_acknowledgement_ends_on_a_state_change_sticky_on_recovery, ack_seq);
	tcase_add_loop_test(tc, result_clears_a_normal_ack_on_any_change_and_a_sticky_one_on_ok,
	    0, NELEM(ack_clear));
	suite_add_tcase(s, tc);

	tc = notify_tcase("downtime_and_custom");
	ADD_SEQ(tc, downtime_suppresses_problems_and_recoveries_of_the_check_or_its_host,
	    downtime_seq);
	ADD_SEQ(tc, downtime_start_end_and_cancel_pass_enabled_period_and_notify_on,
	    downtime_events);
	ADD_SEQ(tc, custom_notification_is_sent_unless_disabled_or_in_downtime, custom);
	ADD_SEQ(tc, digest_none_and_unknown_types_are_never_decided, not_decided);
	suite_add_tcase(s, tc);

	tc = notify_tcase("contacts_and_names");
	tcase_add_loop_test(tc, contact_wants_what_its_notify_on_names_inside_its_period, 0,
	    NELEM(contact));
	tcase_add_loop_test(tc, state_bit_is_the_notify_on_bit_of_a_problem_state_and_0_otherwise,
	    0, NELEM(state_bits));
	tcase_add_test(tc, type_names_are_the_notificationtype_macro_values);
	tcase_add_test(tc, why_names_are_short_words_for_logs);
	tcase_add_test(tc, state_init_is_nothing_notified);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* the periods' hours are UTC hours */
	setenv("TZ", "UTC", 1);
	tzset();
	return tu_run(notify_suite());
}
