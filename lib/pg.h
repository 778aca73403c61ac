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

PGconn *pg_connect(const char *conninfo, const char *schema, char *err, size_t errlen);
/* A statement with no result rows. */
int pg_exec(PGconn *c, const char *sql, char *err, size_t errlen);
/* A statement with text parameters; returns a result the caller PQclear()s. */
PGresult *pg_query(PGconn *c, const char *sql, int nparams,
    const char *const *params, char *err, size_t errlen);

#endif
