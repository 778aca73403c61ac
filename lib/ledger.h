/*
 * NAME
 *	ledger - each delivery's attempts and outcome in PostgreSQL
 *	(table notification_deliveries, schema/006_notifications.sql)
 * DESCRIPTION
 *	ledger_claim() takes a delivery for one attempt: one statement sets
 *	status 'sending', counts the attempt and names this notifier, unless
 *	the delivery is 'sent' or 'failed' (done: a redelivered message never
 *	sends twice) or another notifier has had it 'sending' for less than
 *	stale seconds (busy: it is being delivered now; a claim older than
 *	that belongs to a notifier that died mid-delivery and is taken over).
 *	The outcome is then recorded with ledger_sent(), ledger_retrying()
 *	or ledger_failed(), given the claim: this notifier's name and the
 *	attempt count the claim returned. An outcome is written only while
 *	the row is still that claim's (status 'sending', or already that
 *	outcome from a first try whose answer was lost): a notifier whose
 *	claim went stale and was taken over never overwrites the new
 *	claimant's row, and nothing turns a 'sent' delivery back.
 *	The claim also returns the row's channel, contact and target: where
 *	the delivery goes is the engine's word in the ledger, not the
 *	message's.
 *
 *	Blocking libpq calls: delivery threads only, each on its own
 *	connection.
 * DIAGNOSTICS
 *	LEDGER_DB_ERROR / -1 with err (libpq's message): the caller treats
 *	it as "PostgreSQL unreachable", drops the connection and never sends
 *	without a claim.
 */
#ifndef VIGIL_LEDGER_H
#define VIGIL_LEDGER_H

#include <stddef.h>
#include <libpq-fe.h>

enum ledger_claim {
	LEDGER_CLAIMED,		/* ours for this attempt */
	LEDGER_DONE,		/* 'sent' or 'failed' already: *status says */
	LEDGER_BUSY,		/* another notifier is sending it */
	LEDGER_MISSING,		/* no such delivery */
	LEDGER_DB_ERROR,
};

/* What the row says the delivery goes to (migration 014): the notifier
 * sends to this, never to what the message says. target: the JSON text
 * of the whole target (a string, or a command's argv as an array), NULL
 * for a row queued before the column existed. */
struct ledger_row {
	char channel[16];	/* email, slack, webhook, command */
	char *contact;
	char *address;		/* as the API shows it: a webhook's scheme and host */
	char *target;
};

/* *attempts: the attempt count after the claim (with notifier, the
 * claim's token); status (>= 16 bytes): the row's status when not
 * claimed; *row (cleared with ledger_row_clear()): filled when claimed. */
enum ledger_claim ledger_claim(PGconn *c, const char *id, const char *notifier, int stale,
    int *attempts, char *status, struct ledger_row *row, char *err, size_t errlen);
void ledger_row_clear(struct ledger_row *row);
/* 0 recorded; 1 not recorded: the claim (notifier, attempts) is no
 * longer the row's, another notifier took it over; -1 database error. */
int ledger_sent(PGconn *c, const char *id, const char *notifier, int attempts, char *err,
    size_t errlen);
int ledger_retrying(PGconn *c, const char *id, const char *notifier, int attempts,
    const char *error, char *err, size_t errlen);
int ledger_failed(PGconn *c, const char *id, const char *notifier, int attempts,
    const char *error, char *err, size_t errlen);

#endif
