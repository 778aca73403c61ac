/*
 * NAME
 *	notify - who is notified of what, and when: Nagios's notification rules
 * DESCRIPTION
 *	notify_decide() is a pure function (no I/O, no clock: time comes in
 *	the input) applying every rule of SEMANTICS.md "Notifications" to one
 *	check: given its notification settings, its notification state and
 *	what just happened (a result was applied, flapping started or stopped,
 *	an acknowledgement, a downtime started, ended or was cancelled, a
 *	custom notification), it says whether a notification goes out, of
 *	which type, with which number, to the normal contacts or to which
 *	escalations, and updates the state (number, next notification time,
 *	whether a problem was notified).
 *
 *	The engine calls it after state_apply() for every result (type
 *	NOTIFY_PROBLEM, "a result was applied"), and for the other events as
 *	they happen. Whether a given contact wants a given notification (its
 *	own notify_on and period) is notify_contact_wants().
 *
 *	A result decides a PROBLEM (the state is a problem), a RECOVERY (the
 *	state is OK/UP and a problem was notified, or the hard state just
 *	came back from a problem) or nothing (PENDING; OK/UP with nothing
 *	notified and no hard recovery: NOTIFY_WHY_NOTHING).
 *
 *	Filters of a normal notification (PROBLEM or RECOVERY), in order;
 *	the first that fails gives the reason (NOTIFY_WHY_*):
 *	  1. notifications enabled (notifications_enabled, and the check
 *	     has contacts);
 *	  2. state HARD;
 *	  3. not acknowledged (a problem);
 *	  3a. no notification dependency fails (the check's or, for a
 *	     service, its host's: Nagios's check_service_dependencies() and
 *	     check_host_dependencies(), in that place; NOTIFY_WHY_DEPENDENCY;
 *	     a recovery it hides is dropped, as Nagios);
 *	  4. not in downtime (the check's or, for a service, its host's);
 *	  5. not flapping;
 *	  6. inside the notification period (else postponed: the next result
 *	     inside it notifies; the state keeps no promise of a time);
 *	  7. the state (or "recovery") in the check's notify_on;
 *	  8. a recovery only after a notified problem (notified_state >= 0).
 *	A recovery that passed 1-8 is sent, unless it is a service's whose
 *	host is HARD down (held until the host is UP, Nagios >= 4.5.7): 9 and
 *	11 hold problems only (a recovery needs no delay and never waits for
 *	next_notification).
 *	  9. first_notification_delay passed since the last hard state change,
 *	     for the first notification of a problem (number 0);
 *	 10. a service's host is not HARD DOWN or UNREACHABLE (a host's
 *	     UNREACHABLE is notified as its notify_on says, as Nagios 4.5.9);
 *	 11. a re-notification (number > 0) waits until now >= next_notification
 *	     (NOTIFY_WHY_INTERVAL), or is never sent when next_notification is
 *	     0 (interval 0: NOTIFY_WHY_ONCE); neither holds a volatile check's
 *	     volatile_hit, a hard change (WARNING -> CRITICAL notifies at
 *	     once), nor a problem state other than the one last notified (a
 *	     hard change held by an acknowledgement, a downtime, flapping, the
 *	     period or the host notifies with the first result that passes
 *	     them, not one interval later).
 *	Re-notification every notification_interval (0: once). The number
 *	counts problem notifications and goes back to 0 with the recovery.
 *	Escalations: those whose [first, last] holds the number being sent
 *	and whose period holds now replace the normal contacts (a recovery
 *	goes to those of the last problem, notified_esc); the smallest
 *	interval among them applies, an escalation with interval -1 taking no
 *	part (as Nagios: it falls back to the check's interval only when no
 *	matching escalation sets one).
 *
 *	What a result does to ns:
 *	  PROBLEM sent: number + 1, last_notification = now, next_notification
 *	     = now + interval (0 for an interval of 0), notified_state = the
 *	     state, notified_esc = its escalations. A problem not sent changes
 *	     nothing (a suppressed notification is not counted), except that
 *	     one hidden by an acknowledgement, a dependency, a downtime or
 *	     flapping that is
 *	     a hard change or another state than the one notified sets
 *	     next_notification = now: the change is notified with the first
 *	     result they no longer hide.
 *	  RECOVERY sent (number: the last problem's, as Nagios >= 4.5.7;
 *	     escalations notified_esc): last_notification = now, then number 0,
 *	     notified_state -1, next_notification 0, notified_esc 0.
 *	  RECOVERY not sent: the same reset, except when it is held by
 *	     flapping (FLAPPINGSTOP in OK/UP raises it: also_recovery),
 *	     postponed by the period (the next OK/UP result inside it sends
 *	     it), by a downtime (the first OK/UP result after it sends it) or,
 *	     for a service, by its host being HARD down (Nagios >= 4.5.7: sent
 *	     once the host is UP, alert_host_up()): then ns is kept. A
 *	     recovery disabled, not in notify_on or after a problem never
 *	     notified is dropped.
 *
 *	Other types pass their own filters only (as Nagios), change nothing
 *	in ns, and carry the current number and the escalations matching it
 *	now (none while the number is 0: nothing was escalated):
 *	  ACKNOWLEDGEMENT: enabled, inside the period, the state is a problem
 *	     (soft or hard; else NOTIFY_WHY_OK);
 *	  FLAPPINGSTART/STOP: enabled, period, "flapping" in notify_on, not in
 *	     downtime; FLAPPINGSTOP in OK/UP after a notified problem says a
 *	     RECOVERY is due (out->also_recovery, whether or not the
 *	     FLAPPINGSTOP itself is sent);
 *	  DOWNTIMESTART/END/CANCELLED: enabled, period, "downtime" in notify_on
 *	     (in_downtime is not looked at: nesting is the caller's, which
 *	     raises START when the first downtime starts and END or CANCELLED
 *	     when the last one ends);
 *	  CUSTOM: enabled, not in downtime (an operator's explicit request:
 *	     no period);
 *	  DIGEST and anything else: never decided here (NOTIFY_WHY_NOTHING).
 *
 *	Nagios counts a notification only when it reached a contact: when no
 *	contact is left after notify_contact_wants() (or the escalations
 *	have none), the caller keeps ns as it was before the call (decide on
 *	a copy, commit it once someone is notified).
 *
 *	Acknowledgement bookkeeping: notify_result_clears_ack() says whether a
 *	result clears the acknowledgement (normal: any state change; sticky:
 *	return to OK/UP).
 * DIAGNOSTICS
 *	None: every input maps to a decision; out->why says why nothing is
 *	sent (for logs and tests).
 */
#ifndef VIGIL_NOTIFY_H
#define VIGIL_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

struct timeperiod;

/* Notification types (the NOTIFICATIONTYPE macro: notify_type_name()). */
enum notify_type {
	NOTIFY_NONE = 0,
	NOTIFY_PROBLEM,
	NOTIFY_RECOVERY,
	NOTIFY_ACKNOWLEDGEMENT,
	NOTIFY_FLAPPINGSTART,
	NOTIFY_FLAPPINGSTOP,
	NOTIFY_DOWNTIMESTART,
	NOTIFY_DOWNTIMEEND,
	NOTIFY_DOWNTIMECANCELLED,
	NOTIFY_CUSTOM,
	NOTIFY_DIGEST,		/* vigil: a storm of notifications in one */
	NOTIFY_NTYPES
};

/* Why nothing was sent. */
enum notify_why {
	NOTIFY_WHY_SENT = 0,
	NOTIFY_WHY_NOTHING,	/* the event calls for no notification (an
				 * OK/UP result with nothing notified and no
				 * hard recovery, a PENDING check, DIGEST) */
	NOTIFY_WHY_DISABLED,	/* no contacts */
	NOTIFY_WHY_SOFT,	/* a SOFT problem (its first attempts) */
	NOTIFY_WHY_ACKNOWLEDGED,
	NOTIFY_WHY_DOWNTIME,
	NOTIFY_WHY_FLAPPING,
	NOTIFY_WHY_PERIOD,	/* outside the notification period: postponed */
	NOTIFY_WHY_NOTIFY_ON,	/* state or kind not in notify_on */
	NOTIFY_WHY_NOT_NOTIFIED, /* a recovery, but no problem was notified */
	NOTIFY_WHY_DELAY,	/* first_notification_delay not passed yet */
	NOTIFY_WHY_HOST,	/* the service's host is HARD DOWN or
				 * UNREACHABLE */
	NOTIFY_WHY_INTERVAL,	/* before next_notification */
	NOTIFY_WHY_ONCE,	/* interval 0 (the check's or an escalation's):
				 * already notified */
	NOTIFY_WHY_OK,		/* an acknowledgement of an OK/UP or PENDING
				 * state */
	NOTIFY_WHY_DEPENDENCY,	/* a master fails its notification
				 * dependency (depend.h) */
	NOTIFY_NWHY
};

#define NOTIFY_MAX_ESCALATIONS 64

struct notify_escalation {
	int first, last;	/* last 0: open */
	int interval;		/* seconds; -1: none of its own (the smallest
				 * set by the matching escalations applies,
				 * else the check's); 0: no re-notification */
	const struct timeperiod *period;	/* NULL: always */
};

/* A check's settings (from config). */
struct notify_conf {
	int is_host;
	int enabled;		/* notifications_enabled, and it has contacts
				 * (or an escalation has) */
	int is_volatile;	/* in->volatile_hit counts only if set */
	unsigned notify_on;	/* NOTIFY_ON_* (config.h) */
	int interval;		/* seconds; 0: notify once */
	int first_delay;	/* seconds */
	const struct timeperiod *period;	/* NULL: always */
	const struct notify_escalation *esc;
	size_t nesc;		/* <= NOTIFY_MAX_ESCALATIONS */
};

/* What the engine persists per check (check_state), besides the
 * acknowledgement and downtime it owns. */
struct notify_state {
	double last_notification;	/* when the last PROBLEM or RECOVERY went
				 * out (as Nagios; other types leave it); 0:
				 * never */
	double next_notification;	/* earliest re-notification; 0: none due
				 * (with number > 0: never again, interval 0) */
	uint64_t notified_esc;	/* escalations of the last problem
				 * notification (a recovery goes to them) */
	int number;		/* problem notifications sent since the last
				 * recovery (Nagios current_notification_number) */
	int notified_state;	/* state of the last problem notification,
				 * -1: none since the last recovery */
	unsigned notified_on;	/* NOTIFY_ON_* bits of every problem state
				 * notified since the last recovery */
};

/* Acknowledgement kinds (check_state.ack_kind). */
#define NOTIFY_ACK_NONE		0
#define NOTIFY_ACK_NORMAL	1
#define NOTIFY_ACK_STICKY	2

struct notify_input {
	int type;		/* NOTIFY_PROBLEM for "a result was applied"
				 * (it decides PROBLEM, RECOVERY or nothing;
				 * NOTIFY_RECOVERY is read the same); else the
				 * type of the event */
	double now;
	/* the check, after the result (state.h) */
	int state;		/* STATE_PENDING, 0..3 / 0..2 */
	int state_type;		/* STATE_SOFT, STATE_HARD */
	int old_hard_state;	/* the hard state before this result
				 * (state_output.old_hard_state) */
	int hard_change;	/* STATE_EV_HARD_CHANGE */
	int volatile_hit;	/* STATE_EV_NOTIFY on a volatile check's
				 * HARD problem result */
	double last_hard_state_change;
	int flapping;
	int acknowledged;	/* after notify_result_clears_ack() */
	int dependency;		/* its notification dependencies fail (a
				 * service's: or its host's, as Nagios) */
	int in_downtime;	/* the check's, or its host's for a service */
	int host_up;		/* services: the host is not HARD DOWN or
				 * UNREACHABLE (UP, SOFT, or unchecked) */
};

struct notify_decision {
	int type;		/* NOTIFY_NONE or the notification to send */
	int why;		/* NOTIFY_WHY_SENT or why not */
	int number;		/* the number it carries (PROBLEM: the new
				 * count; RECOVERY: the last problem's;
				 * others: the current count); 0 when
				 * nothing is sent */
	uint64_t escalations;	/* bit i: escalation i's contacts; 0: the
				 * normal contacts (and when nothing is sent) */
	int also_recovery;	/* FLAPPINGSTOP: the held RECOVERY is due.
				 * Decide FLAPPINGSTOP before the result that
				 * stopped flapping: the result's own decision
				 * then sends the RECOVERY (Nagios's order); a
				 * FLAPPINGSTOP without a result (flap
				 * detection turned off) decides it with a
				 * NOTIFY_PROBLEM call of its own. Deciding it
				 * twice sends it once. */
	unsigned notified_on;	/* RECOVERY: the problem states notified
				 * (NOTIFY_ON_* bits); as Nagios, a contact
				 * hears of the recovery only if its notify_on
				 * has one of them */
};

/* Decide; updates ns (see "What a result does to ns" above). */
void notify_decide(const struct notify_conf *c, struct notify_state *ns,
    const struct notify_input *in, struct notify_decision *out);

/* Does a result change ack (NOTIFY_ACK_*)? Returns the new kind: normal
 * acks end on any change of state, sticky ones on return to OK/UP (no
 * acknowledgement survives OK/UP); NONE stays NONE. old_state and
 * new_state are the visible states before and after the result. */
int notify_result_clears_ack(int ack, int old_state, int new_state);

/* A contact's own filters: its notify_on and period (NULL: always).
 * PROBLEM: the state's bit (never for OK/UP or PENDING); RECOVERY:
 * "recovery"; FLAPPING*: "flapping"; DOWNTIME*: "downtime";
 * ACKNOWLEDGEMENT, CUSTOM and DIGEST always pass notify_on; NONE and
 * unknown types: 0. */
int notify_contact_wants(unsigned contact_notify_on, const struct timeperiod *period,
    int is_host, int type, int state, double now);

/* NOTIFY_ON_* bit for a state (a host's if is_host), 0 for OK/UP,
 * PENDING and any other value. */
unsigned notify_state_bit(int is_host, int state);

/* "PROBLEM", "RECOVERY" … ; "NONE" for NOTIFY_NONE and any other value. */
const char *notify_type_name(int type);
/* "sent", "acknowledged", "downtime", "notify_on" … for logs (why=…);
 * "unknown" for any other value. */
const char *notify_why_name(int why);

/* Nothing notified: number 0, no times, notified_state -1, no escalation. */
void notify_state_init(struct notify_state *ns);

#endif
