/*
 * NAME
 *	ledger - each delivery's attempts and outcome in PostgreSQL
 * DESCRIPTION
 *	See ledger.h. Error texts come from SMTP servers, HTTP answers and
 *	commands: they are made valid UTF-8 and cut before they are stored.
 * DIAGNOSTICS
 *	See ledger.h.
 */
#include "ledger.h"
#include "pg.h"
#include "util.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEDGER_ERROR_MAX 1000	/* bytes of last_error kept */

void
ledger_row_clear(struct ledger_row *row)
{
	free(row->contact);
	free(row->address);
	free(row->target);
	memset(row, 0, sizeof(*row));
}

enum ledger_claim
ledger_claim(PGconn *c, const char *id, const char *notifier, int stale, int *attempts,
    char *status, struct ledger_row *row, char *err, size_t errlen)
{
	/* The SELECT after the UPDATE sees the row as it was before the
	 * statement: it only speaks when the UPDATE took nothing. */
	static const char sql[] =
	    "WITH claim AS ("
	    " UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1,"
	    "  notifier = $2, updated_at = now()"
	    " WHERE id = $1 AND status NOT IN ('sent', 'failed')"
	    "  AND (status <> 'sending' OR updated_at < now() - make_interval(secs => $3::int))"
	    " RETURNING attempts, channel, contact, address, target)"
	    " SELECT 'claimed', attempts, channel, contact, address, target::text FROM claim"
	    " UNION ALL"
	    " SELECT status, attempts, NULL, NULL, NULL, NULL FROM notification_deliveries"
	    " WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM claim)";
	char stale_s[16];
	const char *params[] = { id, notifier, stale_s };
	PGresult *r;
	enum ledger_claim rc;

	snprintf(stale_s, sizeof(stale_s), "%d", stale);
	if ((r = pg_query(c, sql, 3, params, err, errlen)) == NULL)
		return LEDGER_DB_ERROR;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return LEDGER_MISSING;
	}
	snprintf(status, 16, "%s", PQgetvalue(r, 0, 0));
	*attempts = atoi(PQgetvalue(r, 0, 1));
	if (strcmp(status, "claimed") == 0) {
		rc = LEDGER_CLAIMED;
		snprintf(row->channel, sizeof(row->channel), "%s", PQgetvalue(r, 0, 2));
		row->contact = xstrdup(PQgetvalue(r, 0, 3));
		row->address = xstrdup(PQgetvalue(r, 0, 4));
		row->target = PQgetisnull(r, 0, 5) ? NULL : xstrdup(PQgetvalue(r, 0, 5));
	}
	else if (strcmp(status, "sent") == 0 || strcmp(status, "failed") == 0)
		rc = LEDGER_DONE;
	else
		rc = LEDGER_BUSY;
	PQclear(r);
	return rc;
}

/* One outcome statement: $1 id, $2 notifier, $3 attempts (the claim),
 * $4 the error if any. 0, 1 when no row was the claim's, -1. */
static int
ledger_exec(PGconn *c, const char *sql, const char *id, const char *notifier, int attempts,
    const char *error, char *err, size_t errlen)
{
	char *clean = NULL, tok[16];
	const char *params[4] = { id, notifier, tok, NULL };
	size_t n;
	PGresult *r;
	int rc;

	snprintf(tok, sizeof(tok), "%d", attempts);
	if (error != NULL) {
		n = strlen(error);
		if (n > LEDGER_ERROR_MAX)
			n = LEDGER_ERROR_MAX;
		clean = util_utf8_clean(error, n, &n);
		params[3] = clean;
	}
	r = pg_query(c, sql, error != NULL ? 4 : 3, params, err, errlen);
	free(clean);
	if (r == NULL)
		return -1;
	rc = atoi(PQcmdTuples(r)) > 0 ? 0 : 1;
	PQclear(r);
	return rc;
}

/* The row is still this claim's. The outcome's own status is allowed too:
 * a first try may have been written with its answer lost. */
#define LEDGER_OURS(statuses) \
	" WHERE id = $1 AND notifier = $2 AND attempts = $3::int AND status IN " statuses

int
ledger_sent(PGconn *c, const char *id, const char *notifier, int attempts, char *err,
    size_t errlen)
{
	return ledger_exec(c, "UPDATE notification_deliveries SET status = 'sent',"
	    " sent_at = now(), last_error = NULL, updated_at = now()"
	    LEDGER_OURS("('sending', 'sent')"), id, notifier, attempts, NULL, err, errlen);
}

int
ledger_retrying(PGconn *c, const char *id, const char *notifier, int attempts,
    const char *error, char *err, size_t errlen)
{
	return ledger_exec(c, "UPDATE notification_deliveries SET status = 'retrying',"
	    " last_error = $4, updated_at = now()"
	    LEDGER_OURS("('sending', 'retrying')"), id, notifier, attempts, error, err, errlen);
}

int
ledger_failed(PGconn *c, const char *id, const char *notifier, int attempts,
    const char *error, char *err, size_t errlen)
{
	return ledger_exec(c, "UPDATE notification_deliveries SET status = 'failed',"
	    " last_error = $4, updated_at = now()"
	    LEDGER_OURS("('sending', 'retrying', 'failed')"), id, notifier, attempts, error, err,
	    errlen);
}
