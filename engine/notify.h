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
 *	The engine calls it after state_apply() for every result
 *	(NOTIFY_RESULT), and for the other events as they happen. Whether a
 *	given contact wants a given notification (its own notify_on and
 *	period) is notify_contact_wants().
 *
 *	Filters of a normal notification (PROBLEM or RECOVERY), in order;
 *	the first that fails gives the reason (NOTIFY_WHY_*):
 *	  1. notifications enabled (the check has contacts);
 *	  2. state HARD;
 *	  3. not acknowledged (a problem);
 *	  4. not in downtime (the check's or, for a service, its host's);
 *	  5. not flapping;
 *	  6. inside the notification period (else postponed: the next result
 *	     inside it notifies; the state keeps no promise of a time);
 *	  7. the state (or "recovery") in the check's notify_on;
 *	  8. a recovery only after a notified problem;
 *	  9. first_notification_delay passed since the last hard state change;
 *	 10. a service's host is UP; a host has not all its parents down;
 *	 11. now >= next_notification, unless the check is volatile or the
 *	     hard state changed (WARNING → CRITICAL notifies at once).
 *	Re-notification every notification_interval (0: once). The number
 *	counts problem notifications and goes back to 0 with the recovery.
 *	Escalations: those whose [first, last] holds the number being sent
 *	(for a recovery, the last problem's number) and whose period holds
 *	now replace the normal contacts; the smallest of their intervals
 *	applies (an escalation's interval of -1 means the check's).
 *
 *	Other types pass their own filters only (as Nagios):
 *	  ACKNOWLEDGEMENT: enabled, inside the period, the state is a problem;
 *	  FLAPPINGSTART/STOP: enabled, period, "flapping" in notify_on, not in
 *	     downtime; FLAPPINGSTOP in OK/UP after a notified problem is
 *	     followed by a RECOVERY (out->also_recovery);
 *	  DOWNTIMESTART/END/CANCELLED: enabled, period, "downtime" in notify_on;
 *	  CUSTOM: enabled, not in downtime.
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
	NOTIFY_WHY_NOTHING,	/* the event calls for no notification (an OK
				 * result with nothing notified, a SOFT
				 * problem's first attempts…) */
	NOTIFY_WHY_DISABLED,	/* no contacts */
	NOTIFY_WHY_SOFT,
	NOTIFY_WHY_ACKNOWLEDGED,
	NOTIFY_WHY_DOWNTIME,
	NOTIFY_WHY_FLAPPING,
	NOTIFY_WHY_PERIOD,	/* outside the notification period: postponed */
	NOTIFY_WHY_NOTIFY_ON,	/* state or kind not in notify_on */
	NOTIFY_WHY_NOT_NOTIFIED, /* a recovery, but no problem was notified */
	NOTIFY_WHY_DELAY,	/* first_notification_delay not passed yet */
	NOTIFY_WHY_HOST,	/* the service's host is not UP / all the
				 * host's parents are down */
	NOTIFY_WHY_INTERVAL,	/* before next_notification */
	NOTIFY_WHY_ONCE,	/* notification_interval 0: already notified */
	NOTIFY_WHY_OK,		/* an acknowledgement of an OK state */
	NOTIFY_NWHY
};

#define NOTIFY_MAX_ESCALATIONS 64

struct notify_escalation {
	int first, last;	/* last 0: open */
	int interval;		/* seconds; -1: the check's */
	const struct timeperiod *period;	/* NULL: always */
};

/* A check's settings (from config). */
struct notify_conf {
	int is_host;
	int enabled;		/* it has contacts (or an escalation has) */
	int is_volatile;
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
	int number;		/* problem notifications sent since the last
				 * recovery (Nagios current_notification_number) */
	double last_notification;	/* when the last one went out; 0: never */
	double next_notification;	/* earliest re-notification; 0: none due */
	int notified_state;	/* state of the last problem notification,
				 * -1: none since the last recovery */
	uint64_t notified_esc;	/* escalations of the last problem
				 * notification (a recovery goes to them) */
};

/* Acknowledgement kinds (check_state.ack_kind). */
#define NOTIFY_ACK_NONE		0
#define NOTIFY_ACK_NORMAL	1
#define NOTIFY_ACK_STICKY	2

struct notify_input {
	int type;		/* NOTIFY_PROBLEM for "a result was applied"
				 * (it decides PROBLEM, RECOVERY or nothing);
				 * else the type of the event */
	double now;
	/* the check, after the result (state.h) */
	int state;		/* STATE_PENDING, 0..3 / 0..2 */
	int state_type;		/* STATE_SOFT, STATE_HARD */
	int old_hard_state;	/* the hard state before this result */
	int hard_change;	/* STATE_EV_HARD_CHANGE */
	int volatile_hit;	/* STATE_EV_NOTIFY on a volatile check's
				 * repeated HARD problem */
	double last_hard_state_change;
	int flapping;
	int acknowledged;	/* after notify_result_clears_ack() */
	int in_downtime;	/* the check's, or its host's for a service */
	int host_up;		/* services: the host is UP (or unchecked) */
	int parents_all_down;	/* hosts: it has parents and none is UP */
};

struct notify_decision {
	int type;		/* NOTIFY_NONE or the notification to send */
	int why;		/* NOTIFY_WHY_SENT or why not */
	int number;		/* the number it carries (PROBLEM: the new
				 * count; RECOVERY: the last problem's + 1;
				 * others: the current count) */
	uint64_t escalations;	/* bit i: escalation i's contacts; 0: the
				 * normal contacts */
	int also_recovery;	/* FLAPPINGSTOP: a RECOVERY follows (decide
				 * it with type NOTIFY_PROBLEM again) */
};

/* Decide; updates ns for what is sent. */
void notify_decide(const struct notify_conf *c, struct notify_state *ns,
    const struct notify_input *in, struct notify_decision *out);

/* Does a result change ack (NOTIFY_ACK_*)? Returns the new kind: normal
 * acks end on any change of state, sticky ones on return to OK/UP. */
int notify_result_clears_ack(int ack, int old_state, int new_state);

/* A contact's own filters: its notify_on and period (NULL: always).
 * ACKNOWLEDGEMENT, CUSTOM and DIGEST always pass notify_on. */
int notify_contact_wants(unsigned contact_notify_on, const struct timeperiod *period,
    int is_host, int type, int state, double now);

/* NOTIFY_ON_* bit for a state (a host's if is_host), 0 for OK/UP. */
unsigned notify_state_bit(int is_host, int state);

/* "PROBLEM", "RECOVERY" … ; "NONE". */
const char *notify_type_name(int type);
/* "acknowledged", "downtime" … for logs. */
const char *notify_why_name(int why);

void notify_state_init(struct notify_state *ns);

#endif
