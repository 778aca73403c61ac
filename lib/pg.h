/*
 * NAME
 *	pg - the little libpq glue every process shares
 * DESCRIPTION
 *	pg_connect() opens a connection (with TCP keepalives, a statement
 *	timeout of two minutes, and no JIT: the batch statement's estimated
 *	cost is above jit_above_cost, and compiling it took ~100 ms on every
 *	call, far more than running it), creates the installation's schema
 *	(named by the prefix) if needed and makes it the search_path, so that
 *	SQL never names the schema. Blocking calls: the engine uses them only
 *	before its loop runs and on its database thread; vigilctl freely.
 * DIAGNOSTICS
 *	Every function returns -1/NULL and fills err with libpq's message.
 */
#ifndef VIGIL_PG_H
#define VIGIL_PG_H

#include <stddef.h>
#include <libpq-fe.h>

#include "strbuf.h"

PGconn *pg_connect(const char *conninfo, const char *schema, char *err, size_t errlen);
/* A statement with no result rows. */
int pg_exec(PGconn *c, const char *sql, char *err, size_t errlen);
/* A statement with text parameters; returns a result the caller PQclear()s. */
PGresult *pg_query(PGconn *c, const char *sql, int nparams,
    const char *const *params, char *err, size_t errlen);

/*
 * COPY ... FROM STDIN (text format), streamed: fields go into a buffer
 * that is sent whenever it holds PG_COPY_FLUSH bytes, so a table of any
 * size costs one small buffer on either side (a statement parameter of
 * that size would cost it twice over, and libpq keeps its output buffer
 * at the largest size it ever needed for the connection's life).
 * pg_copy_begin() runs sql (a COPY ... FROM STDIN); then per row
 * pg_copy_text()/pg_copy_int() for each field in order and
 * pg_copy_row(); pg_copy_end() sends the rest and says whether the server
 * took it all. After a failed begin, nothing else may be called; after
 * a failed send the other calls do nothing and pg_copy_end() says why.
 */
#define PG_COPY_FLUSH 65536

struct pg_copy {
	PGconn *conn;
	struct strbuf buf;
	int nfields;		/* in the row being written */
	int failed;		/* a send failed: the rest is dropped */
};

int pg_copy_begin(struct pg_copy *cp, PGconn *c, const char *sql, char *err,
    size_t errlen);
/* A text field, escaped for COPY; NULL is SQL NULL. */
void pg_copy_text(struct pg_copy *cp, const char *s);
void pg_copy_int(struct pg_copy *cp, long long v);
void pg_copy_row(struct pg_copy *cp);
int pg_copy_end(struct pg_copy *cp, char *err, size_t errlen);

#endif
