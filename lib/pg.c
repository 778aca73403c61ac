/*
 * NAME
 *	pg - the little libpq glue every process shares
 * DESCRIPTION
 *	See pg.h.
 * DIAGNOSTICS
 *	-1/NULL with err "what: libpq message" (trailing newline removed).
 */
#include "pg.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
fill_err(char *err, size_t errlen, const char *what, const char *msg)
{
	size_t n;

	snprintf(err, errlen, "%s: %s", what, msg != NULL ? msg : "unknown error");
	n = strlen(err);
	while (n > 0 && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
}

PGconn *
pg_connect(const char *conninfo, const char *schema, char *err, size_t errlen)
{
	/* The admin's conninfo (a string or a URI) first, then what a daemon
	 * needs whatever it says: a dead server or a half-open connection must
	 * be noticed in seconds, not after the kernel's two hours. */
	static const char *const keys[] = { "dbname", "connect_timeout", "keepalives",
		"keepalives_idle", "keepalives_interval", "keepalives_count",
		"tcp_user_timeout", "options", NULL };
	const char *vals[] = { conninfo, "10", "1", "10", "5", "3", "30000",
		"-c statement_timeout=120000 -c jit=off", NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	char *id, *sql;
	int rc;

	if (PQstatus(c) != CONNECTION_OK) {
		fill_err(err, errlen, "connect", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	id = PQescapeIdentifier(c, schema, strlen(schema));
	if (id == NULL) {
		fill_err(err, errlen, "schema name", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	/* Two processes may connect together (engines, an engine and its
	 * database thread, a test polling): serialise the CREATE, whose
	 * IF NOT EXISTS does not cover a concurrent one. One query string is
	 * one transaction, so the lock must be held until it commits (an
	 * xact lock): with pg_advisory_unlock() before the commit, the next
	 * session would not see the new schema and fail on the catalog's
	 * unique index. */
	sql = xasprintf("SET client_min_messages TO warning;"
	    "SELECT pg_advisory_xact_lock(hashtext('vigil: create schema'));"
	    "CREATE SCHEMA IF NOT EXISTS %s;"
	    "SET search_path TO %s;", id, id);
	PQfreemem(id);
	rc = pg_exec(c, sql, err, errlen);
	free(sql);
	if (rc < 0) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

int
pg_exec(PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok) {
		const char *m = PQresultErrorMessage(r);

		fill_err(err, errlen, "query", m != NULL && *m ? m : PQerrorMessage(c));
	}
	PQclear(r);
	return ok ? 0 : -1;
}

PGresult *
pg_query(PGconn *c, const char *sql, int nparams, const char *const *params,
    char *err, size_t errlen)
{
	PGresult *r = PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		const char *m = PQresultErrorMessage(r);

		fill_err(err, errlen, "query", m != NULL && *m ? m : PQerrorMessage(c));
		PQclear(r);
		return NULL;
	}
	return r;
}
