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

int
pg_copy_begin(struct pg_copy *cp, PGconn *c, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(c, sql);

	memset(cp, 0, sizeof(*cp));
	cp->conn = c;
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		const char *m = PQresultErrorMessage(r);

		fill_err(err, errlen, "copy", m != NULL && *m ? m : PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

void
pg_copy_text(struct pg_copy *cp, const char *s)
{
	const char *run;

	if (cp->nfields++ > 0)
		strbuf_add(&cp->buf, "\t", 1);
	if (s == NULL) {
		strbuf_add(&cp->buf, "\\N", 2);
		return;
	}
	/* The text format's only special characters: its delimiters and
	 * the escape character itself. */
	for (run = s; *s != '\0'; s++) {
		const char *esc;

		switch (*s) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			continue;
		}
		strbuf_add(&cp->buf, run, (size_t)(s - run));
		strbuf_add(&cp->buf, esc, 2);
		run = s + 1;
	}
	strbuf_add(&cp->buf, run, (size_t)(s - run));
}

void
pg_copy_int(struct pg_copy *cp, long long v)
{
	char n[24];

	snprintf(n, sizeof(n), "%lld", v);
	pg_copy_text(cp, n);
}

static void
copy_send(struct pg_copy *cp)
{
	if (!cp->failed && cp->buf.len > 0 &&
	    PQputCopyData(cp->conn, cp->buf.s, (int)cp->buf.len) != 1)
		cp->failed = 1;
	cp->buf.len = 0;
}

void
pg_copy_row(struct pg_copy *cp)
{
	strbuf_add(&cp->buf, "\n", 1);
	cp->nfields = 0;
	if (cp->buf.len >= PG_COPY_FLUSH)
		copy_send(cp);
}

int
pg_copy_end(struct pg_copy *cp, char *err, size_t errlen)
{
	PGresult *r;
	int ok;

	copy_send(cp);
	free(cp->buf.s);
	memset(&cp->buf, 0, sizeof(cp->buf));
	if (cp->failed || PQputCopyEnd(cp->conn, NULL) != 1) {
		fill_err(err, errlen, "copy", PQerrorMessage(cp->conn));
		/* Collect what the server says, so the connection is usable. */
		while ((r = PQgetResult(cp->conn)) != NULL)
			PQclear(r);
		return -1;
	}
	r = PQgetResult(cp->conn);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok) {
		const char *m = PQresultErrorMessage(r);

		fill_err(err, errlen, "copy", m != NULL && *m ? m : PQerrorMessage(cp->conn));
	}
	PQclear(r);
	while ((r = PQgetResult(cp->conn)) != NULL)
		PQclear(r);
	return ok ? 0 : -1;
}
