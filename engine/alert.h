/*
 * NAME
 *	alert - the engine's side of notifications: decisions to deliveries
 * DESCRIPTION
 *	The engine calls alert_result() after each result it applies,
 *	alert_command() for ack, unack, downtime, cancel, custom and
 *	recheck commands (a recheck goes to the scheduler's callback), and
 *	alert_tick() once a second. These keep each check's acknowledgement,
 *	downtimes and notification state (struct check), ask notify.c what
 *	goes out, pick the contacts (escalations replace the normal ones;
 *	each contact's own notify_on and period), group storms per contact
 *	into digests, and write everything for the open batch: the
 *	notifications, one delivery per contact and channel with its message
 *	(msg.h) for the outbox, downtimes, the command log. The batch commits
 *	it with the check states (notify_apply(), schema/006), so a
 *	notification is decided exactly once and never lost between the
 *	database and the broker.
 *
 *	Storms: per contact, PROBLEM and RECOVERY notifications beyond
 *	notifier.storm_threshold within notifier.storm_window are held (in
 *	notification_holds) and go out storm_delay later as one DIGEST
 *	listing them; the next ones are held again while the storm lasts.
 *	A threshold of 0 groups everything (each first notification waits
 *	storm_delay for company).
 * DIAGNOSTICS
 *	Every notification is logged (info) with its id, type, check, number
 *	and contacts; commands log what they did. A command naming no check,
 *	or acknowledging an OK check, is refused with a message that goes to
 *	the command log (vigilctl prints it).
 */
#ifndef VIGIL_ALERT_H
#define VIGIL_ALERT_H

#include <libpq-fe.h>
#include <stddef.h>

#include "check.h"
#include "msg.h"
#include "strbuf.h"

struct config;
struct state_output;

struct storm;

struct alert {
	const struct config *cfg;
	struct check_table *checks;
	/* Put c's row (flags, notification state) in the open batch. */
	void (*touch)(void *arg, struct check *c);
	void *arg;
	/* A recheck of c (the engine's scheduler): 0 with what was done in
	 * msg, or -1 with why not; NULL refuses every recheck. */
	int (*recheck)(void *arg, struct check *c, double now, char *msg, size_t msglen);

	/* for the open batch: JSON objects, comma-separated */
	struct strbuf notifications, holds, digested, deliveries, downtimes, commands, switches;

	/* runtime switches off for every check (SWITCH_* of msg.h; persisted:
	 * global_switches); a check's own are c->disabled */
	unsigned disabled;

	struct storm *storms;	/* one per contact, sorted by name */
	size_t nstorms;

	/* ids of the latest commands applied (a ring): a command the broker
	 * delivers again (its ack was lost) is not applied twice */
	char (*cmd_ids)[UTIL_ID_LEN + 1];
	size_t ncmd_ids, cmd_next;
};

void alert_init(struct alert *a, const struct config *cfg, struct check_table *checks,
    void (*touch)(void *, struct check *), void *arg);
void alert_clear(struct alert *a);

/* At start (blocking, before the loop): open downtimes and held
 * notifications from the database. 0, or -1 with err. */
int alert_load(struct alert *a, PGconn *pc, char *err, size_t errlen);

/* A reload: the new config and checks (the caller carried each check's
 * notification state over). Storms of removed contacts go out now, so
 * call it before freeing the old config. */
void alert_reload(struct alert *a, const struct config *cfg, struct check_table *checks,
    double now);
/* The switches off for c: its own and the global ones. */
unsigned alert_disabled(const struct alert *a, const struct check *c);

/* A reload made n, the new check of o: move o's notification state,
 * acknowledgement, downtimes and last output to n (check_carry_over()). */
void alert_carry_over(struct check *n, struct check *o);

/* After state_apply() of a result for c; output, long_output and perfdata
 * are the result's. */
void alert_result(struct alert *a, struct check *c, int old_state,
    const struct state_output *out, const char *long_output, const char *perfdata,
    double now);

/*
 * A decoded command (msg.h: ack, unack, downtime, cancel, custom,
 * recheck). Returns 0 if applied, -1 if refused; either way the command
 * log gets msg. One delivered again (same id) is applied once.
 */
int alert_command(struct alert *a, const struct command_msg *cmd, double now,
    char *msg, size_t msglen);
/* The verdict on a command handled elsewhere (reload) for the command
 * log: under id, with o's name, check, author and source. */
void alert_command_log(struct alert *a, const char *id, const struct command_msg *o,
    int ok, const char *message);

/* c is in a downtime, its own or (a service) its host's. */
int alert_in_downtime(const struct check *c);
/* Once a second: downtimes starting and ending, storm digests due. */
void alert_tick(struct alert *a, double now);

/* Anything for the batch? Then the JSON for notify_apply() (caller frees). */
int alert_pending(const struct alert *a);
char *alert_take(struct alert *a);

#endif
