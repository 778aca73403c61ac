/*
 * NAME
 *	check_state - the state machine (engine/state.c)
 * DESCRIPTION
 *	SEMANTICS.md "Soft and hard states", "Hosts, parents, services",
 *	"Flapping" and vigil's debounce, one TCase each. Most tests run
 *	sequences of results through state_apply() and compare, after each
 *	result, the state, type, attempt and the exact set of events (RT
 *	standing for use_retry_interval); a failure names the sequence and
 *	the result number. Every step also checks the invariants: last_check
 *	is the result's time, last_state_change moves exactly on CHANGED,
 *	last_hard_state(_change) exactly on HARD_CHANGE, old_state and
 *	old_hard_state are what they were.
 *
 *	Flap percents are computed by hand in the comments with Nagios's
 *	weight for transition i (1 = oldest, 20 = newest):
 *	w(i) = 0.75 + (i-1) * 0.5/19 = 0.75 + (i-1)/38, percent = 5 * sum.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/state.h"
#include "tests/testutil.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define TOL 1e-6

/* Events, short, for the tables. RT is not an event: use_retry_interval. */
#define CH STATE_EV_CHANGED
#define HC STATE_EV_HARD_CHANGE
#define SC STATE_EV_SOFT_CHANGE
#define REC STATE_EV_RECOVERY
#define SREC STATE_EV_SOFT_RECOVERY
#define FSTART STATE_EV_FLAP_START
#define FSTOP STATE_EV_FLAP_STOP
#define NT STATE_EV_NOTIFY
#define CK STATE_EV_CHECK_HOST
#define PR STATE_EV_PROPAGATE
#define HD STATE_EV_HOST_DOWN
#define RT 0x10000u

#define HARD STATE_HARD
#define SOFT STATE_SOFT
#define OK STATUS_OK
#define WARN STATUS_WARNING
#define CRIT STATUS_CRITICAL
#define UNKN STATUS_UNKNOWN
#define UP HOST_UP
#define DOWN HOST_DOWN
#define UNRE HOST_UNREACHABLE

/*
 * The context of a result (struct state_input) in a few words; 0 is a
 * service whose host is HARD UP, checked 1 s ago, and a host whose parents
 * are all UP.
 */
#define CTX_PASSIVE		0x001
#define CTX_HOST_HARD_DOWN	0x002
#define CTX_HOST_SOFT_DOWN	0x004
#define CTX_HOST_HARD_UNRE	0x008
#define CTX_HOST_PENDING	0x010	/* never checked, too */
#define CTX_HOST_AGE_15		0x020	/* host result exactly 15 s old */
#define CTX_HOST_AGE_15_001	0x040	/* 15.001 s old */
#define CTX_HOST_NEVER		0x080	/* host_last_check 0 */
#define CTX_PARENTS_DOWN	0x100	/* parents_up 0 */
#define CTX_ONE_PARENT_UP	0x200	/* parents_up 1 */

#define NOPCT (-1.0)
#define MAXSTEPS 24

struct step {
	int used;
	int reps;		/* the same result and expectation, this many times */
	int status;
	unsigned ctx;
	int state, type, attempt;
	unsigned ev;		/* exactly these events (| RT) */
	double pct;		/* percent_state_change after the last rep, or NOPCT */
	const char *hist;	/* flap history after the last rep ("0121"), or NULL */
};

#define STEP(st, s, ty, at, ev)		{ 1, 1, st, 0, s, ty, at, ev, NOPCT, NULL }
#define STEPX(st, cx, s, ty, at, ev)	{ 1, 1, st, cx, s, ty, at, ev, NOPCT, NULL }
#define STEPN(n, st, s, ty, at, ev)	{ 1, n, st, 0, s, ty, at, ev, NOPCT, NULL }
#define STEPP(st, s, ty, at, ev, p)	{ 1, 1, st, 0, s, ty, at, ev, p, NULL }
#define STEPNP(n, st, s, ty, at, ev, p)	{ 1, n, st, 0, s, ty, at, ev, p, NULL }
#define STEPH(st, s, ty, at, ev, p, h)	{ 1, 1, st, 0, s, ty, at, ev, p, h }
#define STEPXH(st, cx, s, ty, at, ev, p, h) { 1, 1, st, cx, s, ty, at, ev, p, h }

/* Where a sequence starts when not from state_init() (PENDING). */
struct start {
	int state, type, attempt, last_hard_state;
	int flapping, flap_held_problem;
	const char *hist;
};

struct seq {
	const char *name;
	struct state_conf conf;
	int nparents;
	const struct start *start;
	struct step steps[MAXSTEPS];
};

/* Service and host configurations used throughout. */
#define SVC(max) { .max_attempts = (max) }
#define HOST(max) { .is_host = 1, .max_attempts = (max) }
#define FLAP_SVC(max) { .max_attempts = (max), .flap_detection = 1, \
	.low_flap_threshold = 20, .high_flap_threshold = 30 }
#define FLAP_HOST(max) { .is_host = 1, .max_attempts = (max), .flap_detection = 1, \
	.low_flap_threshold = 20, .high_flap_threshold = 30 }

static const char *
evstr(unsigned ev, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ CH, "CH" }, { HC, "HC" }, { SC, "SC" }, { REC, "REC" }, { SREC, "SREC" },
		{ FSTART, "FSTART" }, { FSTOP, "FSTOP" }, { NT, "NT" }, { CK, "CK" },
		{ PR, "PR" }, { HD, "HD" }, { RT, "RT" },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < NELEM(names); i++)
		if (ev & names[i].bit)
			used += snprintf(buf + used, len - used, "%s%s", used ? "|" : "", names[i].name);
	if (used == 0)
		snprintf(buf, len, "-");
	return buf;
}

static void
hist_set(struct state *st, const char *hist)
{
	st->flap_count = (int)strlen(hist);
	for (int i = 0; i < st->flap_count; i++)
		st->flap_history[i] = (signed char)(hist[i] - '0');
}

static const char *
hist_str(const struct state *st, char *buf)
{
	for (int i = 0; i < st->flap_count; i++)
		buf[i] = (char)('0' + st->flap_history[i]);
	buf[st->flap_count] = '\0';
	return buf;
}

static void
seq_start(const struct seq *q, struct state *st)
{
	const struct start *s = q->start;

	state_init(st);
	if (s == NULL)
		return;
	st->state = s->state;
	st->state_type = s->type;
	st->attempt = s->attempt;
	st->last_hard_state = s->last_hard_state;
	st->flapping = s->flapping;
	st->flap_held_problem = s->flap_held_problem;
	st->debounce_state = s->state;
	if (s->hist != NULL) {
		hist_set(st, s->hist);
		st->percent_state_change = state_flap_percent(st->flap_history, st->flap_count);
	}
}

static void
seq_input(const struct seq *q, const struct step *p, double t, struct state_input *in)
{
	memset(in, 0, sizeof(*in));
	in->status = p->status;
	in->time = t;
	in->passive = (p->ctx & CTX_PASSIVE) != 0;
	in->nparents = q->nparents;
	in->parents_up = q->nparents;
	if (p->ctx & CTX_PARENTS_DOWN)
		in->parents_up = 0;
	if (p->ctx & CTX_ONE_PARENT_UP)
		in->parents_up = 1;
	in->host_state = HOST_UP;
	in->host_state_type = STATE_HARD;
	in->host_last_check = t - 1;
	if (p->ctx & CTX_HOST_HARD_DOWN)
		in->host_state = HOST_DOWN;
	if (p->ctx & CTX_HOST_HARD_UNRE)
		in->host_state = HOST_UNREACHABLE;
	if (p->ctx & CTX_HOST_SOFT_DOWN) {
		in->host_state = HOST_DOWN;
		in->host_state_type = STATE_SOFT;
	}
	if (p->ctx & CTX_HOST_PENDING) {
		in->host_state = STATE_PENDING;
		in->host_last_check = 0;
	}
	if (p->ctx & CTX_HOST_AGE_15)
		in->host_last_check = t - 15;
	if (p->ctx & CTX_HOST_AGE_15_001)
		in->host_last_check = t - 15.001;
	if (p->ctx & CTX_HOST_NEVER)
		in->host_last_check = 0;
}

/* Run q, asserting each result's outcome and the invariants. */
static void
seq_run(const struct seq *q)
{
	struct state st;
	struct state_output out;
	struct state_input in;
	char got_ev[128], want_ev[128], hist[STATE_FLAP_HISTORY + 1];
	int k = 0;

	seq_start(q, &st);
	for (int s = 0; s < MAXSTEPS && q->steps[s].used; s++) {
		const struct step *p = &q->steps[s];

		for (int r = 0; r < p->reps; r++, k++) {
			struct state before = st;
			double t = 1000 + 60.0 * k;
			unsigned got;

			seq_input(q, p, t, &in);
			state_apply(&q->conf, &st, &in, &out);
			got = out.events | (out.use_retry_interval ? RT : 0);
			ck_assert_msg(st.state == p->state && st.state_type == p->type &&
			    st.attempt == p->attempt && got == p->ev,
			    "%s, result %d (status %d ctx %#x): got state %d %s attempt %d events %s;"
			    " want state %d %s attempt %d events %s", q->name, k + 1, p->status, p->ctx,
			    st.state, st.state_type == HARD ? "HARD" : "SOFT", st.attempt,
			    evstr(got, got_ev, sizeof(got_ev)), p->state,
			    p->type == HARD ? "HARD" : "SOFT", p->attempt,
			    evstr(p->ev, want_ev, sizeof(want_ev)));
			ck_assert_msg(st.last_check == t, "%s, result %d: last_check", q->name, k + 1);
			ck_assert_msg(out.old_state == before.state &&
			    out.old_hard_state == before.last_hard_state,
			    "%s, result %d: old_state %d old_hard_state %d, want %d %d", q->name, k + 1,
			    out.old_state, out.old_hard_state, before.state, before.last_hard_state);
			ck_assert_msg(st.last_state_change == (got & CH ? t : before.last_state_change),
			    "%s, result %d: last_state_change %.0f", q->name, k + 1, st.last_state_change);
			ck_assert_msg(got & HC ? st.last_hard_state_change == t &&
			    st.last_hard_state == st.state :
			    st.last_hard_state_change == before.last_hard_state_change &&
			    st.last_hard_state == before.last_hard_state,
			    "%s, result %d: last_hard_state %d since %.0f", q->name, k + 1,
			    st.last_hard_state, st.last_hard_state_change);
			ck_assert_msg(st.flapping == (got & FSTART ? 1 : got & FSTOP ? 0 : before.flapping),
			    "%s, result %d: flapping %d", q->name, k + 1, st.flapping);
		}
		if (p->pct != NOPCT)
			ck_assert_msg(st.percent_state_change > p->pct - TOL &&
			    st.percent_state_change < p->pct + TOL,
			    "%s, result %d: percent %.6f, want %.6f", q->name, k,
			    st.percent_state_change, p->pct);
		if (p->hist != NULL)
			ck_assert_msg(strcmp(hist_str(&st, hist), p->hist) == 0,
			    "%s, result %d: flap history %s, want %s", q->name, k, hist, p->hist);
	}
}

/* ---- Soft and hard states ------------------------------------------- */

static const struct seq ok_stays[] = {
	{ "OK results, max_attempts 3", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEPN(3, OK, OK, HARD, 1, 0) } },
	{ "OK results, max_attempts 1", SVC(1), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEPN(3, OK, OK, HARD, 1, 0) } },
};

START_TEST(ok_results_stay_hard_ok_at_attempt_1)
{
	seq_run(&ok_stays[_i]);
}
END_TEST

/*
 * PENDING reads as HARD OK/UP. The first HARD state is a HARD change
 * (last_hard_state leaves PENDING) but notifies only if it is a problem.
 */
static const struct seq pending[] = {
	{ "first OK is HARD OK, a hard change without notification", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC) } },
	{ "first problem is SOFT attempt 1", SVC(3), 0, NULL, {
	  STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT) } },
	{ "first problem then OK: soft recovery, the first hard state, no notification",
	  SVC(3), 0, NULL, {
	  STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT), STEP(OK, OK, HARD, 1, CH | HC | SREC) } },
	{ "first problem with max_attempts 1 is HARD and notifies", SVC(1), 0, NULL, {
	  STEP(CRIT, CRIT, HARD, 1, CH | HC | NT) } },
	{ "first problem reaching max_attempts 2", SVC(2), 0, NULL, {
	  STEP(WARN, WARN, SOFT, 1, CH | SC | RT), STEP(WARN, WARN, HARD, 2, HC | NT) } },
	{ "first host UP is HARD UP and does not propagate", HOST(3), 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC) } },
};

START_TEST(first_result_leaves_pending_as_if_coming_from_hard_ok)
{
	seq_run(&pending[_i]);
}
END_TEST

static const struct seq ok_to_problem[] = {
	{ "WARNING after OK, max_attempts 3", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(WARN, WARN, SOFT, 1, CH | SC | RT) } },
	{ "UNKNOWN after OK, max_attempts 3", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(UNKN, UNKN, SOFT, 1, CH | SC | RT) } },
	{ "CRITICAL after OK, max_attempts 1", SVC(1), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, HARD, 1, CH | HC | NT) } },
	{ "CRITICAL after OK, max_attempts 0 reads as 1", SVC(0), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, HARD, 1, CH | HC | NT) } },
};

START_TEST(problem_after_ok_is_soft_attempt_1_or_hard_at_once_with_max_attempts_1)
{
	seq_run(&ok_to_problem[_i]);
}
END_TEST

static const struct seq soft_counting[] = {
	{ "max_attempts 3", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(CRIT, CRIT, SOFT, 2, RT), STEP(CRIT, CRIT, HARD, 3, HC | NT),
	  STEPN(2, CRIT, CRIT, HARD, 3, 0) } },
	{ "max_attempts 5", SVC(5), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(WARN, WARN, SOFT, 1, CH | SC | RT),
	  STEP(WARN, WARN, SOFT, 2, RT), STEP(WARN, WARN, SOFT, 3, RT),
	  STEP(WARN, WARN, SOFT, 4, RT), STEP(WARN, WARN, HARD, 5, HC | NT),
	  STEP(WARN, WARN, HARD, 5, 0) } },
	{ "max_attempts 2", SVC(2), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(UNKN, UNKN, SOFT, 1, CH | SC | RT),
	  STEP(UNKN, UNKN, HARD, 2, HC | NT) } },
};

START_TEST(problem_while_soft_counts_attempts_and_turns_hard_at_max_attempts)
{
	seq_run(&soft_counting[_i]);
}
END_TEST

static const struct seq soft_problem_change[] = {
	{ "WARNING, CRITICAL, UNKNOWN count 1, 2, 3", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(WARN, WARN, SOFT, 1, CH | SC | RT),
	  STEP(CRIT, CRIT, SOFT, 2, CH | SC | RT), STEP(UNKN, UNKN, HARD, 3, CH | HC | NT) } },
	{ "CRITICAL and WARNING alternating count to 4", SVC(4), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(WARN, WARN, SOFT, 2, CH | SC | RT), STEP(CRIT, CRIT, SOFT, 3, CH | SC | RT),
	  STEP(WARN, WARN, HARD, 4, CH | HC | NT) } },
};

START_TEST(change_between_problem_states_while_soft_keeps_counting_attempts)
{
	seq_run(&soft_problem_change[_i]);
}
END_TEST

static const struct seq hard_problem_change[] = {
	{ "WARNING to CRITICAL to UNKNOWN to WARNING while HARD", SVC(2), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(WARN, WARN, SOFT, 1, CH | SC | RT),
	  STEP(WARN, WARN, HARD, 2, HC | NT), STEP(CRIT, CRIT, HARD, 2, CH | HC | NT),
	  STEP(UNKN, UNKN, HARD, 2, CH | HC | NT), STEP(UNKN, UNKN, HARD, 2, 0),
	  STEP(WARN, WARN, HARD, 2, CH | HC | NT) } },
};

START_TEST(change_between_problem_states_while_hard_is_a_hard_change_that_notifies)
{
	seq_run(&hard_problem_change[_i]);
}
END_TEST

static const struct seq hard_recovery[] = {
	{ "CRITICAL HARD after retries, then OK", SVC(2), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(CRIT, CRIT, HARD, 2, HC | NT), STEP(OK, OK, HARD, 1, CH | HC | REC | NT),
	  STEP(OK, OK, HARD, 1, 0) } },
	{ "WARNING HARD at once, then OK", SVC(1), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(WARN, WARN, HARD, 1, CH | HC | NT),
	  STEP(OK, OK, HARD, 1, CH | HC | REC | NT) } },
};

START_TEST(recovery_from_a_hard_problem_is_a_hard_recovery_that_notifies)
{
	seq_run(&hard_recovery[_i]);
}
END_TEST

static const struct seq soft_recovery[] = {
	{ "OK after two SOFT CRITICALs, then attempts start again", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(CRIT, CRIT, SOFT, 2, RT), STEP(OK, OK, HARD, 1, CH | SC | SREC),
	  STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT) } },
	{ "OK after one SOFT WARNING", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(WARN, WARN, SOFT, 1, CH | SC | RT),
	  STEP(OK, OK, HARD, 1, CH | SC | SREC) } },
};

START_TEST(recovery_from_a_soft_problem_is_hard_ok_attempt_1_without_notification)
{
	seq_run(&soft_recovery[_i]);
}
END_TEST

/* RT appears exactly on the SOFT problem results. */
static const struct seq retry[] = {
	{ "service OK, SOFT, SOFT, HARD, OK", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(WARN, WARN, SOFT, 2, CH | SC | RT), STEP(WARN, WARN, HARD, 3, HC | NT),
	  STEP(WARN, WARN, HARD, 3, 0), STEP(OK, OK, HARD, 1, CH | HC | REC | NT) } },
	{ "host UP, SOFT DOWN, HARD DOWN", HOST(2), 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT),
	  STEP(CRIT, DOWN, HARD, 2, HC | NT) } },
};

START_TEST(retry_interval_is_used_only_while_in_a_soft_problem_state)
{
	seq_run(&retry[_i]);
}
END_TEST

static const struct seq volatile_seq[] = {
	{ "volatile: every HARD problem result notifies, SOFT ones do not",
	  { .max_attempts = 3, .is_volatile = 1 }, 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(CRIT, CRIT, SOFT, 2, RT), STEP(CRIT, CRIT, HARD, 3, HC | NT),
	  STEPN(2, CRIT, CRIT, HARD, 3, NT), STEP(WARN, WARN, HARD, 3, CH | HC | NT),
	  STEP(WARN, WARN, HARD, 3, NT), STEP(OK, OK, HARD, 1, CH | HC | REC | NT),
	  STEP(OK, OK, HARD, 1, 0) } },
	{ "not volatile: a steady HARD problem notifies once", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(CRIT, CRIT, SOFT, 2, RT), STEP(CRIT, CRIT, HARD, 3, HC | NT),
	  STEPN(2, CRIT, CRIT, HARD, 3, 0) } },
	{ "volatile host", { .is_host = 1, .max_attempts = 1, .is_volatile = 1 }, 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, DOWN, HARD, 1, CH | HC | NT | PR),
	  STEP(UNKN, DOWN, HARD, 1, NT), STEP(OK, UP, HARD, 1, CH | HC | REC | NT | PR),
	  STEP(OK, UP, HARD, 1, 0) } },
};

START_TEST(volatile_check_notifies_on_every_hard_problem_result)
{
	seq_run(&volatile_seq[_i]);
}
END_TEST

static const struct seq passive_service[] = {
	{ "passive service results retry like active ones", SVC(3), 0, NULL, {
	  STEPX(OK, CTX_PASSIVE, OK, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_PASSIVE, CRIT, SOFT, 1, CH | SC | RT),
	  STEPX(CRIT, CTX_PASSIVE, CRIT, SOFT, 2, RT),
	  STEPX(CRIT, CTX_PASSIVE, CRIT, HARD, 3, HC | NT) } },
};

START_TEST(passive_service_results_follow_attempts)
{
	seq_run(&passive_service[_i]);
}
END_TEST

/* Statuses beyond 0..3 are UNKNOWN (result.c already maps them; this is
 * the state machine's own guard). */
static const struct seq service_status[] = {
	{ "0 1 2 3 and out of range", SVC(1), 0, NULL, {
	  STEP(0, OK, HARD, 1, CH | HC), STEP(1, WARN, HARD, 1, CH | HC | NT),
	  STEP(2, CRIT, HARD, 1, CH | HC | NT), STEP(3, UNKN, HARD, 1, CH | HC | NT),
	  STEP(7, UNKN, HARD, 1, 0), STEP(-1, UNKN, HARD, 1, 0) } },
};

START_TEST(service_status_is_the_state_and_any_other_status_is_unknown)
{
	seq_run(&service_status[_i]);
}
END_TEST

/* The times by hand, for a reader who does not trust the invariants. */
START_TEST(state_change_times_follow_soft_and_hard_changes)
{
	struct state_conf c = SVC(3);
	struct state st;
	struct state_input in = { .host_state = HOST_UP, .host_state_type = STATE_HARD,
	    .host_last_check = 1 };
	struct state_output out;
	static const struct {
		int status;
		double t;
		double last_state_change, last_hard_state_change;
		int old_state, old_hard_state, last_hard_state;
	} seq[] = {
		{ OK,   100, 100, 100, STATE_PENDING, STATE_PENDING, OK },
		{ CRIT, 160, 160, 100, OK, OK, OK },		/* SOFT 1 */
		{ CRIT, 220, 160, 100, CRIT, OK, OK },		/* SOFT 2 */
		{ CRIT, 280, 160, 280, CRIT, OK, CRIT },	/* HARD, same state */
		{ WARN, 340, 340, 340, CRIT, CRIT, WARN },	/* HARD change */
		{ OK,   400, 400, 400, WARN, WARN, OK },	/* recovery */
		{ WARN, 460, 460, 400, OK, OK, OK },		/* SOFT 1 */
		{ OK,   520, 520, 400, WARN, OK, OK },		/* soft recovery */
	};

	state_init(&st);
	for (int k = 0; k < NELEM(seq); k++) {
		in.status = seq[k].status;
		in.time = seq[k].t;
		in.host_last_check = seq[k].t;
		state_apply(&c, &st, &in, &out);
		ck_assert_msg(st.last_check == seq[k].t &&
		    st.last_state_change == seq[k].last_state_change &&
		    st.last_hard_state_change == seq[k].last_hard_state_change &&
		    st.last_hard_state == seq[k].last_hard_state &&
		    out.old_state == seq[k].old_state && out.old_hard_state == seq[k].old_hard_state,
		    "result %d at %.0f: last_check %.0f last_state_change %.0f"
		    " last_hard_state %d since %.0f old %d old hard %d", k + 1, seq[k].t,
		    st.last_check, st.last_state_change, st.last_hard_state,
		    st.last_hard_state_change, out.old_state, out.old_hard_state);
	}
}
END_TEST

START_TEST(state_init_is_pending_hard_attempt_1_with_empty_history)
{
	struct state st;

	memset(&st, 0x5a, sizeof(st));
	state_init(&st);
	ck_assert_int_eq(st.state, STATE_PENDING);
	ck_assert_int_eq(st.state_type, STATE_HARD);
	ck_assert_int_eq(st.attempt, 1);
	ck_assert_int_eq(st.last_hard_state, STATE_PENDING);
	ck_assert_int_eq(st.flap_count, 0);
	ck_assert_int_eq(st.flapping, 0);
	ck_assert_int_eq(st.flap_held_problem, 0);
	ck_assert_int_eq(st.debounce_count, 0);
	ck_assert(st.percent_state_change == 0 && st.last_check == 0 &&
	    st.last_state_change == 0 && st.last_hard_state_change == 0);
}
END_TEST

/* ---- Hosts, parents, services --------------------------------------- */

static const struct {
	int status, nparents, parents_up, state;
} host_map[] = {
	{ 0, 0, 0, UP }, { 1, 0, 0, UP }, { 2, 0, 0, DOWN }, { 3, 0, 0, DOWN },
	{ 4, 0, 0, DOWN },			/* out of range: not UP */
	{ 0, 2, 0, UP }, { 1, 1, 0, UP },	/* UP whatever the parents */
	{ 2, 1, 1, DOWN }, { 3, 1, 1, DOWN },	/* its parent is UP */
	{ 2, 2, 1, DOWN }, { 3, 3, 2, DOWN },	/* some parent is UP */
	{ 2, 2, 2, DOWN },
	{ 2, 1, 0, UNRE }, { 3, 1, 0, UNRE },	/* no parent UP */
	{ 2, 3, 0, UNRE },
};

START_TEST(host_status_0_and_1_are_up_2_and_3_down_or_unreachable_when_no_parent_is_up)
{
	struct state_conf c = HOST(1);
	struct state st;
	struct state_input in = { .status = host_map[_i].status, .time = 100,
	    .nparents = host_map[_i].nparents, .parents_up = host_map[_i].parents_up };
	struct state_output out;

	state_init(&st);
	state_apply(&c, &st, &in, &out);
	ck_assert_msg(st.state == host_map[_i].state && st.state_type == STATE_HARD,
	    "status %d, %d parents, %d up: got state %d, want %d", host_map[_i].status,
	    host_map[_i].nparents, host_map[_i].parents_up, st.state, host_map[_i].state);
}
END_TEST

static const struct seq host_attempts[] = {
	{ "UP, DOWN three times, UP", HOST(3), 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT),
	  STEP(UNKN, DOWN, SOFT, 2, RT), STEP(CRIT, DOWN, HARD, 3, HC | NT),
	  STEP(CRIT, DOWN, HARD, 3, 0), STEP(WARN, UP, HARD, 1, CH | HC | REC | NT | PR) } },
	{ "soft recovery of a host", HOST(3), 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT),
	  STEP(OK, UP, HARD, 1, CH | SC | SREC | PR) } },
};

START_TEST(host_checks_go_soft_and_hard_by_attempts_like_services)
{
	seq_run(&host_attempts[_i]);
}
END_TEST

static const struct seq down_unreachable[] = {
	{ "DOWN then UNREACHABLE while SOFT counts on", HOST(3), 1, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT),
	  STEPX(CRIT, CTX_PARENTS_DOWN, UNRE, SOFT, 2, CH | SC | PR | RT),
	  STEPX(CRIT, CTX_PARENTS_DOWN, UNRE, HARD, 3, HC | NT) } },
	{ "DOWN to UNREACHABLE while HARD is a hard change, back UP a recovery", HOST(1), 1,
	  NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, DOWN, HARD, 1, CH | HC | NT | PR),
	  STEPX(CRIT, CTX_PARENTS_DOWN, UNRE, HARD, 1, CH | HC | NT | PR),
	  STEPX(CRIT, CTX_ONE_PARENT_UP, DOWN, HARD, 1, CH | HC | NT | PR),
	  STEPX(CRIT, CTX_PARENTS_DOWN, UNRE, HARD, 1, CH | HC | NT | PR),
	  STEPX(OK, CTX_PARENTS_DOWN, UP, HARD, 1, CH | HC | REC | NT | PR) } },
	{ "two parents: one UP keeps it DOWN", HOST(1), 2, NULL, {
	  STEPX(CRIT, CTX_ONE_PARENT_UP, DOWN, HARD, 1, CH | HC | NT | PR),
	  STEPX(CRIT, CTX_PARENTS_DOWN, UNRE, HARD, 1, CH | HC | NT | PR) } },
};

START_TEST(host_down_to_unreachable_counts_attempts_while_soft_and_notifies_while_hard)
{
	seq_run(&down_unreachable[_i]);
}
END_TEST

static const struct seq passive_host[] = {
	{ "passive DOWN is HARD at once, passive UP a recovery", HOST(3), 0, NULL, {
	  STEPX(OK, CTX_PASSIVE, UP, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_PASSIVE, DOWN, HARD, 3, CH | HC | NT | PR),
	  STEPX(CRIT, CTX_PASSIVE, DOWN, HARD, 3, 0),
	  STEPX(OK, CTX_PASSIVE, UP, HARD, 1, CH | HC | REC | NT | PR) } },
	{ "passive DOWN ends a SOFT DOWN of active checks", HOST(3), 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT),
	  STEPX(CRIT, CTX_PASSIVE, DOWN, HARD, 3, HC | NT) } },
	{ "first result passive UNREACHABLE", HOST(3), 1, NULL, {
	  STEPX(CRIT, CTX_PASSIVE | CTX_PARENTS_DOWN, UNRE, HARD, 3, CH | HC | NT | PR) } },
};

START_TEST(passive_host_result_is_hard_at_once)
{
	seq_run(&passive_host[_i]);
}
END_TEST

static const struct seq propagate[] = {
	{ "first UP from PENDING does not propagate", HOST(3), 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(OK, UP, HARD, 1, 0) } },
	{ "first DOWN from PENDING propagates", HOST(3), 0, NULL, {
	  STEP(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT) } },
	{ "soft and hard state changes propagate, steady results do not", HOST(2), 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT),
	  STEP(CRIT, DOWN, HARD, 2, HC | NT), STEP(CRIT, DOWN, HARD, 2, 0),
	  STEP(OK, UP, HARD, 1, CH | HC | REC | NT | PR), STEP(OK, UP, HARD, 1, 0) } },
	{ "services never propagate", SVC(1), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, HARD, 1, CH | HC | NT),
	  STEP(OK, OK, HARD, 1, CH | HC | REC | NT) } },
};

START_TEST(host_state_change_soft_or_hard_asks_to_check_its_parents_and_children)
{
	seq_run(&propagate[_i]);
}
END_TEST

/* Attempt max_attempts, as Nagios shows a HARD problem ("3/3"). */
static const struct seq host_down[] = {
	{ "problems on a HARD DOWN host: HARD at once, HOST_DOWN, never NOTIFY", SVC(3), 0,
	  NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_HOST_HARD_DOWN, CRIT, HARD, 3, CH | HC | HD),
	  STEPX(CRIT, CTX_HOST_HARD_DOWN, CRIT, HARD, 3, HD),
	  STEPX(WARN, CTX_HOST_HARD_DOWN, WARN, HARD, 3, CH | HC | HD),
	  STEPX(OK, CTX_HOST_HARD_DOWN, OK, HARD, 1, CH | HC | REC | NT | CK),
	  STEP(OK, OK, HARD, 1, 0) } },
	/* Nagios's handle_async_service_check_result(): the host is not UP,
	 * so the service's problem is HARD whatever the host's state type;
	 * only a HARD down host holds its notification (4.5's
	 * check_service_notification_viability()) */
	{ "a SOFT DOWN host: HARD at once too, and a notification candidate", SVC(3), 0,
	  NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_HOST_SOFT_DOWN, CRIT, HARD, 3, CH | HC | NT),
	  STEPX(CRIT, CTX_HOST_SOFT_DOWN, CRIT, HARD, 3, 0) } },
	{ "a HARD UNREACHABLE host counts as down", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEPX(UNKN, CTX_HOST_HARD_UNRE, UNKN, HARD, 3, CH | HC | HD) } },
	{ "a SOFT problem turns HARD when the host is HARD DOWN", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEPX(CRIT, CTX_HOST_HARD_DOWN, CRIT, HARD, 3, HC | HD) } },
	{ "first result from PENDING on a HARD DOWN host", SVC(3), 0, NULL, {
	  STEPX(CRIT, CTX_HOST_HARD_DOWN, CRIT, HARD, 3, CH | HC | HD) } },
	{ "volatile on a HARD DOWN host notifies nothing",
	  { .max_attempts = 3, .is_volatile = 1 }, 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_HOST_HARD_DOWN, CRIT, HARD, 3, CH | HC | HD),
	  STEPX(CRIT, CTX_HOST_HARD_DOWN, CRIT, HARD, 3, HD),
	  STEP(CRIT, CRIT, HARD, 3, NT) } },
};

START_TEST(service_problem_on_a_hard_down_host_goes_hard_at_once_without_notifying)
{
	seq_run(&host_down[_i]);
}
END_TEST

static const struct seq host_not_hard_down[] = {
	{ "host PENDING (never checked, so check it)", SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_HOST_PENDING, CRIT, SOFT, 1, CH | SC | RT | CK) } },
	{ "host HARD UP", SVC(2), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(CRIT, CRIT, HARD, 2, HC | NT) } },
};

START_TEST(service_problem_on_an_up_or_pending_host_follows_attempts)
{
	seq_run(&host_not_hard_down[_i]);
}
END_TEST

/* "older than 15 s": 15.000 is fresh, 15.001 is not, never checked is. */
static const struct seq check_host[] = {
	{ "service problems and the host's result age", SVC(3), 0, NULL, {
	  STEPX(OK, CTX_HOST_NEVER, OK, HARD, 1, CH | HC),
	  STEPX(OK, CTX_HOST_AGE_15_001, OK, HARD, 1, 0),
	  STEPX(CRIT, CTX_HOST_AGE_15, CRIT, SOFT, 1, CH | SC | RT),
	  STEPX(CRIT, CTX_HOST_AGE_15_001, CRIT, SOFT, 2, RT),
	  STEPX(CRIT, CTX_HOST_NEVER, CRIT, HARD, 3, HC | NT),
	  STEPX(CRIT, CTX_HOST_AGE_15_001, CRIT, HARD, 3, 0),
	  STEPX(WARN, CTX_HOST_AGE_15_001, WARN, HARD, 3, CH | HC | NT | CK),
	  STEPX(WARN, CTX_HOST_AGE_15, WARN, HARD, 3, 0),
	  STEPX(OK, CTX_HOST_NEVER, OK, HARD, 1, CH | HC | REC | NT) } },
	/* the host may be back: not waiting for its own interval */
	{ "OK after a problem while the host is down: check the host, fresh or not",
	  SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEPX(OK, CTX_HOST_SOFT_DOWN, OK, HARD, 1, CH | SC | SREC | CK) } },
	{ "OK again while the host is down: only when the host's result is stale",
	  SVC(3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEPX(OK, CTX_HOST_HARD_DOWN, OK, HARD, 1, 0),
	  STEPX(OK, CTX_HOST_HARD_DOWN | CTX_HOST_AGE_15_001, OK, HARD, 1, CK),
	  STEPX(OK, CTX_HOST_HARD_UNRE | CTX_HOST_NEVER, OK, HARD, 1, CK),
	  STEPX(OK, CTX_HOST_PENDING, OK, HARD, 1, 0) } },
	{ "host checks never ask for a host check", HOST(3), 0, NULL, {
	  STEPX(CRIT, CTX_HOST_NEVER, DOWN, SOFT, 1, CH | SC | PR | RT) } },
	{ "a stale host that is HARD DOWN is checked too", SVC(3), 0, NULL, {
	  STEPX(CRIT, CTX_HOST_HARD_DOWN | CTX_HOST_AGE_15_001, CRIT, HARD, 3,
	    CH | HC | HD | CK) } },
};

START_TEST(service_problem_with_a_host_result_older_than_15_s_asks_for_a_host_check)
{
	seq_run(&check_host[_i]);
}
END_TEST

/* ---- Flapping -------------------------------------------------------- */

static const struct {
	const char *hist;
	double pct;
} flap_full[] = {
	/* 21 alternating states: all 20 transitions change,
	 * sum = 20*0.75 + (0+1+...+19)/38 = 15 + 190/38 = 20 → 100 */
	{ "020202020202020202020", 100.0 },
	/* only the oldest transition (i=1): 0.75 → 3.75 */
	{ "022222222222222222222", 3.75 },
	/* only the newest (i=20): 1.25 → 6.25 */
	{ "000000000000000000002", 6.25 },
	/* i=1..10: 7.5 + (0+...+9)/38 = 7.5 + 45/38 = 8.684211 → 43.421053 */
	{ "020202020200000000000", 43.421053 },
	/* i=11..20: 7.5 + (10+...+19)/38 = 7.5 + 145/38 = 11.315789 → 56.578947;
	 * the same 10 changes weigh more when recent */
	{ "000000000002020202020", 56.578947 },
	/* a change between problem states counts: i=19 and 20,
	 * 0.75 + 18/38 + 1.25 = 2.473684 → 12.368421 */
	{ "000000000000000000013", 12.368421 },
	/* i=1..19: 19*0.75 + (0+...+18)/38 = 14.25 + 4.5 = 18.75 → 93.75 */
	{ "101010101010101010100", 93.75 },
	/* hosts' states the same way */
	{ "010101010101010101010", 100.0 },
	/* no change */
	{ "222222222222222222222", 0.0 },
};

START_TEST(flap_percent_weights_each_change_from_0_75_oldest_to_1_25_newest)
{
	struct state st;

	hist_set(&st, flap_full[_i].hist);
	ck_assert_msg(fabs(state_flap_percent(st.flap_history, st.flap_count) - flap_full[_i].pct) < TOL,
	    "history %s: %.6f, want %.6f", flap_full[_i].hist,
	    state_flap_percent(st.flap_history, st.flap_count), flap_full[_i].pct);
}
END_TEST

/*
 * A short history sits at the newest end of the 21 slots (Nagios fills
 * the rest with the first state: no change there), its changes get the
 * heaviest weights and the sum is still divided by 20. More than 21
 * entries: only the newest 21 count.
 */
static const struct {
	const char *hist;
	double pct;
} flap_short[] = {
	{ "", 0.0 },
	{ "0", 0.0 },
	{ "02", 6.25 },			/* i=20: 1.25 */
	{ "020", 12.368421 },		/* i=19, 20: 1.223684 + 1.25 = 2.473684 */
	{ "0110", 12.236842 },		/* i=18, 20: 1.197368 + 1.25 = 2.447368 */
	{ "0200", 12.105263 },		/* i=18, 19: 1.197368 + 1.223684 = 2.421053 */
	{ "0202020", 35.526316 },	/* i=15..20: 4.5 + (14+...+19)/38 = 4.5 + 2.605263 */
	{ "020202", 29.934211 },	/* i=16..20: 3.75 + (15+...+19)/38 = 3.75 + 2.236842 */
	{ "2020202020202020202020", 100.0 },	/* 22: the oldest is dropped */
	{ "2000000000000000000000", 0.0 },	/* 22: the only change is dropped */
};

START_TEST(flap_percent_of_a_short_history_gives_its_changes_the_newest_weights)
{
	signed char h[32];
	int n = (int)strlen(flap_short[_i].hist);

	for (int i = 0; i < n; i++)
		h[i] = (signed char)(flap_short[_i].hist[i] - '0');
	ck_assert_msg(fabs(state_flap_percent(h, n) - flap_short[_i].pct) < TOL,
	    "history \"%s\": %.6f, want %.6f", flap_short[_i].hist, state_flap_percent(h, n),
	    flap_short[_i].pct);
}
END_TEST

/*
 * A service with max_attempts 1 alternating OK/CRITICAL, then OK: every
 * result is HARD and recorded. After k changes at the newest positions the
 * sum is w(20)+...+w(21-k): k=5 29.934211 (< 30, not yet), k=6 35.526316
 * (>= 30: starts). Then OKs push the changes to older, lighter slots and
 * off the end: result 22 29.013158 and 24 20.065789 stay flapping
 * (hysteresis: only <= 20 stops), 25 15.789474 stops. Result 8 was a HARD
 * CRITICAL while flapping, so the stop in OK raises the held RECOVERY.
 */
static const struct seq flap_thresholds[] = {
	{ "alternating then steady, thresholds 20/30", FLAP_SVC(1), 0, NULL, {
	  STEPP(OK, OK, HARD, 1, CH | HC, 0.0),
	  STEPP(CRIT, CRIT, HARD, 1, CH | HC | NT, 6.25),
	  STEPP(OK, OK, HARD, 1, CH | HC | REC | NT, 12.368421),
	  STEPP(CRIT, CRIT, HARD, 1, CH | HC | NT, 18.355263),
	  STEPP(OK, OK, HARD, 1, CH | HC | REC | NT, 24.210526),
	  STEPP(CRIT, CRIT, HARD, 1, CH | HC | NT, 29.934211),
	  STEPP(OK, OK, HARD, 1, CH | HC | REC | FSTART, 35.526316),
	  STEPP(CRIT, CRIT, HARD, 1, CH | HC, 40.986842),
	  STEPP(OK, OK, HARD, 1, CH | HC | REC, 46.315789),
	  STEPNP(12, OK, OK, HARD, 1, 0, 33.684211),	/* result 21 */
	  STEPP(OK, OK, HARD, 1, 0, 29.013158),
	  STEPP(OK, OK, HARD, 1, 0, 24.473684),
	  STEPP(OK, OK, HARD, 1, 0, 20.065789),
	  STEPP(OK, OK, HARD, 1, FSTOP | REC | NT, 15.789474),
	  STEPP(OK, OK, HARD, 1, 0, 11.644737) } },
	/*
	 * Thresholds at exact percents: one change at i=20 is 6.25 >= high
	 * 6.25 (starts, the CRITICAL's notification held); as CRITICALs
	 * follow, the change slides to i=2 (3.881579, still flapping) and to
	 * i=1, 3.75 <= low 3.75: stops, in CRITICAL, so nothing is sent
	 * (Nagios: no PROBLEM at flap stop; re-notification does that).
	 */
	{ "thresholds reached exactly", { .max_attempts = 1, .flap_detection = 1,
	  .low_flap_threshold = 3.75, .high_flap_threshold = 6.25 }, 0, NULL, {
	  STEPP(OK, OK, HARD, 1, CH | HC, 0.0),
	  STEPP(CRIT, CRIT, HARD, 1, CH | HC | FSTART, 6.25),
	  STEPP(CRIT, CRIT, HARD, 1, 0, 6.118421),	/* i=19 */
	  STEPNP(17, CRIT, CRIT, HARD, 1, 0, 3.881579),	/* result 20, i=2 */
	  STEPP(CRIT, CRIT, HARD, 1, FSTOP, 3.75),
	  STEPP(CRIT, CRIT, HARD, 1, 0, 0.0) } },
};

START_TEST(flapping_starts_at_or_above_high_and_stops_at_or_below_low_threshold)
{
	seq_run(&flap_thresholds[_i]);
}
END_TEST

static const struct start flapping_ok = { OK, HARD, 1, OK, 1, 0, "020202020202020202020" };
static const struct start flapping_up = { UP, HARD, 1, UP, 1, 0, "010101010101010101010" };

static const struct seq flap_held[] = {
	{ "service: problems, problem changes, volatile and recoveries are held",
	  { .max_attempts = 2, .is_volatile = 1, .flap_detection = 1,
	    .low_flap_threshold = 20, .high_flap_threshold = 30 }, 0, &flapping_ok, {
	  STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT), STEP(CRIT, CRIT, HARD, 2, HC),
	  STEP(CRIT, CRIT, HARD, 2, 0), STEP(WARN, WARN, HARD, 2, CH | HC),
	  STEP(OK, OK, HARD, 1, CH | HC | REC) } },
	{ "host: DOWN and UP are held", FLAP_HOST(1), 0, &flapping_up, {
	  STEP(CRIT, DOWN, HARD, 1, CH | HC | PR), STEP(OK, UP, HARD, 1, CH | HC | REC | PR) } },
	{ "the HARD problem that starts flapping is held", FLAP_SVC(1), 0,
	  &(const struct start){ OK, HARD, 1, OK, 0, 0, "020202020" }, {
	  /* 020202020 + 2: i=12..20 change,
	   * 9*0.75 + (11+...+19)/38 = 6.75 + 135/38 = 10.302632 → 51.513158 */
	  STEPP(CRIT, CRIT, HARD, 1, CH | HC | FSTART, 51.513158),
	  /* i=11..20: 56.578947 */
	  STEPP(OK, OK, HARD, 1, CH | HC | REC, 56.578947) } },
};

START_TEST(problem_and_recovery_notifications_are_held_while_flapping)
{
	seq_run(&flap_held[_i]);
}
END_TEST

/*
 * 202020 + 15 OKs: i=1..5 change, 3.75 + (0+...+4)/38 = 4.013158 →
 * 20.065789, flapping; one OK more: i=1..4, 3 + 6/38 → 15.789474, stops.
 */
#define NEAR_STOP_OK "202020000000000000000"
#define NEAR_STOP_CRIT "020202222222222222222"

static const struct seq flap_recovery[] = {
	{ "flapping began in a HARD problem, stops in OK", FLAP_SVC(1), 0,
	  &(const struct start){ OK, HARD, 1, OK, 1, 1, NEAR_STOP_OK }, {
	  STEPH(OK, OK, HARD, 1, FSTOP | REC | NT, 15.789474, "020200000000000000000") } },
	{ "a HARD problem while flapping, stops in OK (result 8 of the 20/30 case too)",
	  FLAP_SVC(1), 0, &flapping_ok, {
	  /* still 21 alternating: 100 */
	  STEPP(CRIT, CRIT, HARD, 1, CH | HC, 100.0),
	  STEPP(OK, OK, HARD, 1, CH | HC | REC, 100.0),
	  /* + 12 OKs: 202020202 then 0s, i=1..8: 6 + 28/38 → 33.684211 */
	  STEPNP(12, OK, OK, HARD, 1, 0, 33.684211),
	  /* + 15: 202020 then 0s, i=1..5: 20.065789 */
	  STEPNP(3, OK, OK, HARD, 1, 0, 20.065789),
	  STEPP(OK, OK, HARD, 1, FSTOP | REC | NT, 15.789474) } },
	{ "host: HARD DOWN while flapping, stops UP", FLAP_HOST(3), 0, &flapping_up, {
	  /* hosts record SOFT results too */
	  STEPP(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT, 100.0),
	  STEPP(CRIT, DOWN, SOFT, 2, RT, 93.75),
	  STEP(CRIT, DOWN, HARD, 3, HC),
	  STEP(OK, UP, HARD, 1, CH | HC | REC | PR),
	  /* result 17: 101011100000000000000, i=1..4, 6, 8:
	   * 3 + 6/38 + 0.75 + 5/38 + 0.75 + 7/38 = 4.065789 → 20.328947 */
	  STEPNP(13, OK, UP, HARD, 1, 0, 20.328947),
	  /* 010111000000000000000, i=1, 2, 3, 6:
	   * 3 + (0+1+2+5)/38 = 3.210526 → 16.052632 */
	  STEPP(OK, UP, HARD, 1, FSTOP | REC | NT, 16.052632) } },
};

START_TEST(flap_stop_in_ok_after_a_hard_problem_raises_the_held_recovery)
{
	seq_run(&flap_recovery[_i]);
}
END_TEST

static const struct seq flap_no_recovery[] = {
	{ "stops in OK, no HARD problem since flapping began", FLAP_SVC(1), 0,
	  &(const struct start){ OK, HARD, 1, OK, 1, 0, NEAR_STOP_OK }, {
	  STEPP(OK, OK, HARD, 1, FSTOP, 15.789474) } },
	{ "only SOFT problems while flapping (not recorded for a service)", FLAP_SVC(3), 0,
	  &(const struct start){ OK, HARD, 1, OK, 1, 0, NEAR_STOP_OK }, {
	  STEPP(CRIT, CRIT, SOFT, 1, CH | SC | RT, 20.065789),
	  STEPP(CRIT, CRIT, SOFT, 2, RT, 20.065789),
	  STEPP(OK, OK, HARD, 1, CH | SC | SREC | FSTOP, 15.789474) } },
	{ "stops while still in the HARD problem", FLAP_SVC(1), 0,
	  &(const struct start){ CRIT, HARD, 1, CRIT, 1, 1, NEAR_STOP_CRIT }, {
	  STEPP(CRIT, CRIT, HARD, 1, FSTOP, 15.789474),
	  /* not flapping any more: the next change notifies */
	  STEP(OK, OK, HARD, 1, CH | HC | REC | NT) } },
	/*
	 * The exact-threshold case again: flapping stops in CRITICAL (result
	 * 21), then the OK of result 23 starts a new flapping period in OK
	 * (one change at i=20, 6.25) whose recovery is held; it stops at
	 * result 42 (i=1, 3.75) with no HARD problem in this period: the
	 * first period's problem does not raise a RECOVERY here.
	 */
	{ "a held problem does not outlive its flapping period", { .max_attempts = 1,
	  .flap_detection = 1, .low_flap_threshold = 3.75, .high_flap_threshold = 6.25 }, 0,
	  NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, HARD, 1, CH | HC | FSTART),
	  STEPN(18, CRIT, CRIT, HARD, 1, 0), STEPP(CRIT, CRIT, HARD, 1, FSTOP, 3.75),
	  STEPP(CRIT, CRIT, HARD, 1, 0, 0.0),
	  STEPP(OK, OK, HARD, 1, CH | HC | REC | FSTART, 6.25),
	  STEPN(18, OK, OK, HARD, 1, 0), STEPP(OK, OK, HARD, 1, FSTOP, 3.75) } },
};

START_TEST(flap_stop_without_a_hard_problem_or_in_a_problem_raises_no_recovery)
{
	seq_run(&flap_no_recovery[_i]);
}
END_TEST

/*
 * Services: SOFT problems are not recorded, HARD states and soft
 * recoveries are. OK, CRIT x4 (HARD at 3), OK records 0 2 2 0: i=18, 20,
 * 1.197368 + 1.25 = 2.447368 → 12.236842; the SOFT WARNING is skipped, the
 * soft recovery OK is recorded.
 */
static const struct seq flap_service_history[] = {
	{ "service: HARD states and soft recoveries only", FLAP_SVC(3), 0, NULL, {
	  STEPH(OK, OK, HARD, 1, CH | HC, 0.0, "0"),
	  STEPH(CRIT, CRIT, SOFT, 1, CH | SC | RT, 0.0, "0"),
	  STEPH(CRIT, CRIT, SOFT, 2, RT, 0.0, "0"),
	  STEPH(CRIT, CRIT, HARD, 3, HC | NT, 6.25, "02"),
	  STEPH(CRIT, CRIT, HARD, 3, 0, 6.118421, "022"),
	  STEPH(OK, OK, HARD, 1, CH | HC | REC | NT, 12.236842, "0220"),
	  STEPH(WARN, WARN, SOFT, 1, CH | SC | RT, 12.236842, "0220"),
	  /* 0 2 2 0 0: i=17, 19 → 1.171053 + 1.223684 = 2.394737 */
	  STEPH(OK, OK, HARD, 1, CH | SC | SREC, 11.973684, "02200") } },
	{ "service: a problem on a HARD DOWN host is HARD, recorded", FLAP_SVC(3), 0, NULL, {
	  STEPH(OK, OK, HARD, 1, CH | HC, 0.0, "0"),
	  STEPXH(CRIT, CTX_HOST_HARD_DOWN, CRIT, HARD, 3, CH | HC | HD, 6.25, "02") } },
};

START_TEST(service_flap_history_records_hard_states_and_soft_recoveries_only)
{
	seq_run(&flap_service_history[_i]);
}
END_TEST

/* Hosts: every check. UP, DOWN SOFT 1, 2, UP: 0 1 1 0, i=18, 20 →
 * 1.197368 + 1.25 = 2.447368 → 12.236842. */
static const struct seq flap_host_history[] = {
	{ "host: every check, SOFT ones too", FLAP_HOST(3), 0, NULL, {
	  STEPH(OK, UP, HARD, 1, CH | HC, 0.0, "0"),
	  STEPH(CRIT, DOWN, SOFT, 1, CH | SC | PR | RT, 6.25, "01"),
	  STEPH(CRIT, DOWN, SOFT, 2, RT, 6.118421, "011"),
	  STEPH(OK, UP, HARD, 1, CH | SC | SREC | PR, 12.236842, "0110") } },
	{ "host: UNREACHABLE recorded as itself", FLAP_HOST(1), 1, NULL, {
	  STEPH(OK, UP, HARD, 1, CH | HC, 0.0, "0"),
	  STEPX(CRIT, CTX_PARENTS_DOWN, UNRE, HARD, 1, CH | HC | NT | PR),
	  STEPH(CRIT, DOWN, HARD, 1, CH | HC | NT | PR, 12.368421, "021") } },
};

START_TEST(host_flap_history_records_every_check)
{
	seq_run(&flap_host_history[_i]);
}
END_TEST

/*
 * 21 alternating (100 %), one UP more: the oldest drops, count stays 21,
 * i=1..19 change: 18.75 → 93.75. DOWN then: i=1..18 and 20,
 * 13.5 + (0+...+17)/38 + 1.25 = 13.5 + 4.026316 + 1.25 = 18.776316 → 93.881579.
 */
static const struct seq flap_window[] = {
	{ "the oldest state drops off", FLAP_HOST(1), 0, &flapping_up, {
	  STEPH(OK, UP, HARD, 1, 0, 93.75, "101010101010101010100"),
	  STEPH(CRIT, DOWN, HARD, 1, CH | HC | PR, 93.881579, "010101010101010101001") } },
};

START_TEST(flap_history_keeps_the_last_21_states)
{
	seq_run(&flap_window[_i]);
}
END_TEST

static const struct seq flap_off[] = {
	{ "flap_detection 0 while flapping in OK with a held problem", SVC(1), 0,
	  &(const struct start){ OK, HARD, 1, OK, 1, 1, "020202020202020202020" }, {
	  /* still recorded: 93.75 */
	  STEPP(OK, OK, HARD, 1, FSTOP | REC | NT, 93.75),
	  STEP(CRIT, CRIT, HARD, 1, CH | HC | NT), STEP(OK, OK, HARD, 1, CH | HC | REC | NT) } },
	{ "flap_detection 0 while flapping, no held problem, in a SOFT problem",
	  SVC(3), 0, &flapping_ok, {
	  STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT | FSTOP), STEP(CRIT, CRIT, SOFT, 2, RT) } },
};

START_TEST(turning_flap_detection_off_while_flapping_stops_flapping)
{
	seq_run(&flap_off[_i]);
}
END_TEST

/* The 20/30 alternation again with flap_detection 0: the percent climbs
 * past 30 as before, nothing starts, every change notifies. */
static const struct seq flap_never[] = {
	{ "flap_detection 0", { .max_attempts = 1, .low_flap_threshold = 20,
	  .high_flap_threshold = 30 }, 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, HARD, 1, CH | HC | NT),
	  STEP(OK, OK, HARD, 1, CH | HC | REC | NT), STEP(CRIT, CRIT, HARD, 1, CH | HC | NT),
	  STEP(OK, OK, HARD, 1, CH | HC | REC | NT), STEP(CRIT, CRIT, HARD, 1, CH | HC | NT),
	  STEPP(OK, OK, HARD, 1, CH | HC | REC | NT, 35.526316),
	  STEPP(CRIT, CRIT, HARD, 1, CH | HC | NT, 40.986842) } },
};

START_TEST(flap_detection_off_never_starts_flapping_but_keeps_the_percent)
{
	seq_run(&flap_never[_i]);
}
END_TEST

/* ---- debounce (vigil) ------------------------------------------------ */

#define DEB(n, max) { .max_attempts = (max), .debounce = (n) }

static const struct seq debounce_believe[] = {
	{ "debounce 3: CRITICAL believed at the 3rd, OK at the 3rd", DEB(3, 5), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEP(CRIT, OK, HARD, 1, RT), STEP(CRIT, OK, HARD, 1, RT),
	  STEP(CRIT, CRIT, HARD, 1, CH | HC | NT), STEP(CRIT, CRIT, HARD, 1, 0),
	  STEP(OK, CRIT, HARD, 1, RT), STEP(OK, CRIT, HARD, 1, RT),
	  STEP(OK, OK, HARD, 1, CH | HC | REC | NT), STEP(OK, OK, HARD, 1, 0) } },
	{ "debounce 2: a new problem state while HARD", DEB(2, 3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, OK, HARD, 1, RT),
	  STEP(CRIT, CRIT, HARD, 1, CH | HC | NT), STEP(WARN, CRIT, HARD, 1, RT),
	  STEP(WARN, WARN, HARD, 1, CH | HC | NT) } },
	{ "debounce 2 host: DOWN believed, propagates then", { .is_host = 1,
	  .max_attempts = 3, .debounce = 2 }, 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, UP, HARD, 1, RT),
	  STEP(CRIT, DOWN, HARD, 1, CH | HC | NT | PR) } },
	{ "debounce 2 volatile: only believed problems notify each time",
	  { .max_attempts = 3, .debounce = 2, .is_volatile = 1 }, 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, OK, HARD, 1, RT),
	  STEP(CRIT, CRIT, HARD, 1, CH | HC | NT), STEP(CRIT, CRIT, HARD, 1, NT),
	  STEP(WARN, CRIT, HARD, 1, RT) } },
	{ "debounce 2: a problem not yet believed still asks for a host check", DEB(2, 3), 0,
	  NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_HOST_NEVER, OK, HARD, 1, RT | CK) } },
};

START_TEST(debounce_believes_a_new_state_after_n_identical_results_as_a_hard_change_that_notifies)
{
	seq_run(&debounce_believe[_i]);
}
END_TEST

static const struct seq debounce_restart[] = {
	{ "a different problem restarts the count", DEB(3, 3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, OK, HARD, 1, RT),
	  STEP(WARN, OK, HARD, 1, RT), STEP(CRIT, OK, HARD, 1, RT),
	  STEP(CRIT, OK, HARD, 1, RT), STEP(CRIT, CRIT, HARD, 1, CH | HC | NT) } },
	{ "the visible state again drops the candidate", DEB(3, 3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, OK, HARD, 1, RT),
	  STEP(CRIT, OK, HARD, 1, RT), STEP(OK, OK, HARD, 1, 0),
	  STEP(CRIT, OK, HARD, 1, RT), STEP(CRIT, OK, HARD, 1, RT),
	  STEP(CRIT, CRIT, HARD, 1, CH | HC | NT) } },
	{ "host: DOWN and UNREACHABLE are different candidates", { .is_host = 1,
	  .max_attempts = 3, .debounce = 2 }, 1, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, UP, HARD, 1, RT),
	  STEPX(CRIT, CTX_PARENTS_DOWN, UP, HARD, 1, RT),
	  STEPX(CRIT, CTX_PARENTS_DOWN, UNRE, HARD, 1, CH | HC | NT | PR) } },
};

START_TEST(debounce_count_restarts_when_a_result_differs)
{
	seq_run(&debounce_restart[_i]);
}
END_TEST

static const struct seq debounce_1_0[] = {
	{ "debounce 1 believes every result at once", DEB(1, 3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, HARD, 1, CH | HC | NT),
	  STEP(WARN, WARN, HARD, 1, CH | HC | NT), STEP(OK, OK, HARD, 1, CH | HC | REC | NT) } },
	{ "debounce 0 is off: attempts", DEB(0, 3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC), STEP(CRIT, CRIT, SOFT, 1, CH | SC | RT),
	  STEP(CRIT, CRIT, SOFT, 2, RT), STEP(CRIT, CRIT, HARD, 3, HC | NT) } },
};

START_TEST(debounce_1_believes_every_result_and_debounce_0_is_off)
{
	seq_run(&debounce_1_0[_i]);
}
END_TEST

static const struct seq debounce_pending[] = {
	{ "first OK believed at once (PENDING reads as OK)", DEB(3, 3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC) } },
	{ "first problems: PENDING until believed", DEB(2, 3), 0, NULL, {
	  STEP(CRIT, STATE_PENDING, HARD, 1, RT),
	  STEP(CRIT, CRIT, HARD, 1, CH | HC | NT) } },
};

START_TEST(debounce_from_pending_shows_pending_until_a_problem_is_believed)
{
	seq_run(&debounce_pending[_i]);
}
END_TEST

static const struct seq debounce_at_once[] = {
	{ "passive host result", { .is_host = 1, .max_attempts = 3, .debounce = 3 }, 0, NULL, {
	  STEP(OK, UP, HARD, 1, CH | HC), STEP(CRIT, UP, HARD, 1, RT),
	  STEPX(CRIT, CTX_PASSIVE, DOWN, HARD, 3, CH | HC | NT | PR),
	  STEPX(OK, CTX_PASSIVE, UP, HARD, 1, CH | HC | REC | NT | PR) } },
	{ "service on a HARD DOWN host", DEB(3, 3), 0, NULL, {
	  STEP(OK, OK, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_HOST_HARD_DOWN, CRIT, HARD, 3, CH | HC | HD) } },
	{ "passive service results are debounced", DEB(2, 3), 0, NULL, {
	  STEPX(OK, CTX_PASSIVE, OK, HARD, 1, CH | HC),
	  STEPX(CRIT, CTX_PASSIVE, OK, HARD, 1, RT),
	  STEPX(CRIT, CTX_PASSIVE, CRIT, HARD, 1, CH | HC | NT) } },
};

START_TEST(debounce_does_not_delay_a_passive_host_result_or_a_service_on_a_down_host)
{
	seq_run(&debounce_at_once[_i]);
}
END_TEST

START_TEST(debounce_counters_track_the_candidate)
{
	struct state_conf c = DEB(3, 3);
	struct state st;
	struct state_input in = { .host_state = HOST_UP, .host_state_type = STATE_HARD };
	struct state_output out;
	static const struct {
		int status;
		int state, debounce_state, debounce_count;
	} seq[] = {
		{ OK, OK, OK, 0 }, { CRIT, OK, CRIT, 1 }, { CRIT, OK, CRIT, 2 },
		{ WARN, OK, WARN, 1 }, { OK, OK, OK, 0 }, { WARN, OK, WARN, 1 },
		{ WARN, OK, WARN, 2 }, { WARN, WARN, WARN, 0 }, { WARN, WARN, WARN, 0 },
	};

	state_init(&st);
	ck_assert_int_eq(st.debounce_state, STATE_PENDING);
	for (int k = 0; k < NELEM(seq); k++) {
		in.status = seq[k].status;
		in.time = 100 + k;
		in.host_last_check = in.time;
		state_apply(&c, &st, &in, &out);
		ck_assert_msg(st.state == seq[k].state && st.debounce_state == seq[k].debounce_state &&
		    st.debounce_count == seq[k].debounce_count,
		    "result %d (status %d): state %d candidate %d count %d, want %d %d %d", k + 1,
		    seq[k].status, st.state, st.debounce_state, st.debounce_count, seq[k].state,
		    seq[k].debounce_state, seq[k].debounce_count);
	}
}
END_TEST

/* With debounce only visible (believed) states enter the flap history. */
static const struct seq debounce_flap[] = {
	{ "candidates are not recorded", { .max_attempts = 3, .debounce = 2,
	  .flap_detection = 1, .low_flap_threshold = 20, .high_flap_threshold = 30 }, 0, NULL, {
	  STEPH(OK, OK, HARD, 1, CH | HC, 0.0, "0"),
	  STEPH(CRIT, OK, HARD, 1, RT, 0.0, "00"),
	  STEPH(OK, OK, HARD, 1, 0, 0.0, "000"),
	  STEPH(CRIT, OK, HARD, 1, RT, 0.0, "0000"),
	  STEPH(CRIT, CRIT, HARD, 1, CH | HC | NT, 6.25, "00002") } },
};

START_TEST(debounce_records_only_believed_states_in_the_flap_history)
{
	seq_run(&debounce_flap[_i]);
}
END_TEST

#define ADD_SEQ(tc, fn, table) tcase_add_loop_test(tc, fn, 0, NELEM(table))

/* flap_detection_options (Nagios): a state not listed is not counted in
 * the flap history, so OK/CRITICAL alternating never flaps when CRITICAL
 * is left out, and does when every state counts. */
START_TEST(flap_detection_counts_only_the_listed_states)
{
	for (int ignore = 0; ignore < 2; ignore++) {
		struct state_conf c = { .max_attempts = 1, .flap_detection = 1,
			.low_flap_threshold = 20, .high_flap_threshold = 30,
			.flap_ignore = ignore ? 1u << STATUS_CRITICAL : 0 };
		struct state st;
		struct state_input in = { .host_state = HOST_UP, .host_state_type = STATE_HARD };
		struct state_output out;
		int flapped = 0;

		state_init(&st);
		for (int i = 0; i < 30; i++) {
			in.status = i % 2 ? STATUS_CRITICAL : STATUS_OK;
			in.time = 1000 + i;
			in.host_last_check = in.time;
			state_apply(&c, &st, &in, &out);
			flapped |= st.flapping;
			for (int k = 0; ignore && k < st.flap_count; k++)
				ck_assert_int_ne(st.flap_history[k], STATUS_CRITICAL);
		}
		ck_assert_msg(flapped == !ignore, "ignore %d: flapped %d (%.1f%%)", ignore, flapped,
		    st.percent_state_change);
	}
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("soft_and_hard_states");

	tcase_add_test(tc, state_init_is_pending_hard_attempt_1_with_empty_history);
	ADD_SEQ(tc, ok_results_stay_hard_ok_at_attempt_1, ok_stays);
	ADD_SEQ(tc, first_result_leaves_pending_as_if_coming_from_hard_ok, pending);
	ADD_SEQ(tc, problem_after_ok_is_soft_attempt_1_or_hard_at_once_with_max_attempts_1,
	    ok_to_problem);
	ADD_SEQ(tc, problem_while_soft_counts_attempts_and_turns_hard_at_max_attempts,
	    soft_counting);
	ADD_SEQ(tc, change_between_problem_states_while_soft_keeps_counting_attempts,
	    soft_problem_change);
	ADD_SEQ(tc, change_between_problem_states_while_hard_is_a_hard_change_that_notifies,
	    hard_problem_change);
	ADD_SEQ(tc, recovery_from_a_hard_problem_is_a_hard_recovery_that_notifies, hard_recovery);
	ADD_SEQ(tc, recovery_from_a_soft_problem_is_hard_ok_attempt_1_without_notification,
	    soft_recovery);
	ADD_SEQ(tc, retry_interval_is_used_only_while_in_a_soft_problem_state, retry);
	ADD_SEQ(tc, volatile_check_notifies_on_every_hard_problem_result, volatile_seq);
	ADD_SEQ(tc, passive_service_results_follow_attempts, passive_service);
	ADD_SEQ(tc, service_status_is_the_state_and_any_other_status_is_unknown, service_status);
	tcase_add_test(tc, state_change_times_follow_soft_and_hard_changes);
	suite_add_tcase(s, tc);

	tc = tcase_create("hosts_parents_services");
	tcase_add_loop_test(tc,
	    host_status_0_and_1_are_up_2_and_3_down_or_unreachable_when_no_parent_is_up, 0,
	    NELEM(host_map));
	ADD_SEQ(tc, host_checks_go_soft_and_hard_by_attempts_like_services, host_attempts);
	ADD_SEQ(tc,
	    host_down_to_unreachable_counts_attempts_while_soft_and_notifies_while_hard,
	    down_unreachable);
	ADD_SEQ(tc, passive_host_result_is_hard_at_once, passive_host);
	ADD_SEQ(tc, host_state_change_soft_or_hard_asks_to_check_its_parents_and_children,
	    propagate);
	ADD_SEQ(tc, service_problem_on_a_hard_down_host_goes_hard_at_once_without_notifying,
	    host_down);
	ADD_SEQ(tc, service_problem_on_an_up_or_pending_host_follows_attempts,
	    host_not_hard_down);
	ADD_SEQ(tc, service_problem_with_a_host_result_older_than_15_s_asks_for_a_host_check,
	    check_host);
	suite_add_tcase(s, tc);

	tc = tcase_create("flapping");
	tcase_add_loop_test(tc, flap_percent_weights_each_change_from_0_75_oldest_to_1_25_newest,
	    0, NELEM(flap_full));
	tcase_add_loop_test(tc, flap_percent_of_a_short_history_gives_its_changes_the_newest_weights,
	    0, NELEM(flap_short));
	ADD_SEQ(tc, flapping_starts_at_or_above_high_and_stops_at_or_below_low_threshold,
	    flap_thresholds);
	ADD_SEQ(tc, problem_and_recovery_notifications_are_held_while_flapping, flap_held);
	ADD_SEQ(tc, flap_stop_in_ok_after_a_hard_problem_raises_the_held_recovery, flap_recovery);
	ADD_SEQ(tc, flap_stop_without_a_hard_problem_or_in_a_problem_raises_no_recovery,
	    flap_no_recovery);
	ADD_SEQ(tc, service_flap_history_records_hard_states_and_soft_recoveries_only,
	    flap_service_history);
	ADD_SEQ(tc, host_flap_history_records_every_check, flap_host_history);
	ADD_SEQ(tc, flap_history_keeps_the_last_21_states, flap_window);
	ADD_SEQ(tc, turning_flap_detection_off_while_flapping_stops_flapping, flap_off);
	ADD_SEQ(tc, flap_detection_off_never_starts_flapping_but_keeps_the_percent, flap_never);
	suite_add_tcase(s, tc);

	tc = tcase_create("debounce");
	ADD_SEQ(tc,
	    debounce_believes_a_new_state_after_n_identical_results_as_a_hard_change_that_notifies,
	    debounce_believe);
	ADD_SEQ(tc, debounce_count_restarts_when_a_result_differs, debounce_restart);
	ADD_SEQ(tc, debounce_1_believes_every_result_and_debounce_0_is_off, debounce_1_0);
	ADD_SEQ(tc, debounce_from_pending_shows_pending_until_a_problem_is_believed,
	    debounce_pending);
	ADD_SEQ(tc, debounce_does_not_delay_a_passive_host_result_or_a_service_on_a_down_host,
	    debounce_at_once);
	tcase_add_test(tc, debounce_counters_track_the_candidate);
	ADD_SEQ(tc, debounce_records_only_believed_states_in_the_flap_history, debounce_flap);
	tcase_add_test(tc, flap_detection_counts_only_the_listed_states);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(state_suite());
}
