/*
 * NAME
 *	migrate - apply schema/NNN_*.sql migrations in order, once each
 * DESCRIPTION
 *	Runs before the event loop, inside the installation's schema. Each
 *	missing migration runs in its own transaction together with its row in
 *	schema_migrations; an advisory lock keeps two starting engines from
 *	applying the same one twice.
 * DIAGNOSTICS
 *	-1 with err "schema/NNN_x.sql: PostgreSQL's message"; nothing of a
 *	failed migration remains.
 */
#ifndef VIGIL_MIGRATE_H
#define VIGIL_MIGRATE_H

#include <stddef.h>
#include <libpq-fe.h>

/* Returns the number of migrations applied (>= 0) or -1. */
int migrate_apply(PGconn *c, const char *dir, char *err, size_t errlen);

#endif
