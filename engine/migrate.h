/*
 * NAME
 *	migrate - apply schema/NNN_*.sql migrations in order, once each, then
 *	the functions of schema/functions/, every time
 * DESCRIPTION
 *	Runs before the event loop, inside the installation's schema. Each
 *	missing migration runs in its own transaction together with its row in
 *	schema_migrations; an advisory lock keeps two starting engines from
 *	applying the same one twice. Migrations create and change tables.
 *	Then every .sql file of schema/functions/, in name order, in one transaction:
 *	the SQL functions and views, each defined once there with CREATE OR
 *	REPLACE, so the database always runs the definitions shipped with
 *	this engine.
 * DIAGNOSTICS
 *	-1 with err "schema/NNN_x.sql: PostgreSQL's message" (or
 *	schema/functions/x.sql); nothing of a failed migration, or of the
 *	failed functions transaction, remains.
 */
#ifndef VIGIL_MIGRATE_H
#define VIGIL_MIGRATE_H

#include <stddef.h>
#include <libpq-fe.h>

/* Returns the number of migrations applied (>= 0) or -1. */
int migrate_apply(PGconn *c, const char *dir, char *err, size_t errlen);

#endif
