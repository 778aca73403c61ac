/*
 * NAME
 *	sync - make PostgreSQL match the loaded config; load check state
 * DESCRIPTION
 *	sync_config() upserts hosts, commands and checks by their natural
 *	keys (host name; host + service), so ids stay stable across restarts,
 *	deletes what the config no longer has, and builds the engine's check
 *	table with each check's persisted state (and, for a multi-location
 *	check, each location's last result; the rows of pools a check no
 *	longer has go). A check whose config is
 *	unchanged keeps its persisted next run time (no herd after a restart);
 *	a new or changed one gets a random first offset within its interval.
 *	Groups, their edges and memberships follow, then every group's state
 *	is recomputed (group_refresh_all). All in one transaction, set-based:
 *	a handful of statements whatever the number of checks. Runs before the event loop (blocking).
 * DIAGNOSTICS
 *	-1 with err holding PostgreSQL's message; the transaction is rolled
 *	back and the database is as before.
 */
#ifndef VIGIL_SYNC_H
#define VIGIL_SYNC_H

#include <stddef.h>
#include <libpq-fe.h>

struct config;
struct cfg_check;
struct check_table;
struct check;

int sync_config(PGconn *c, const struct config *cfg, struct check_table *out,
    double now, char *err, size_t errlen);

/* The hash stored with each check: changes when what or how it runs does. */
void sync_check_hash(const struct check *c, char out[17]);

/* The engine's check for cc (id 0 until the database gives one), its
 * state PENDING. Host, service, argv and pool point into cfg. */
struct check *sync_check_new(const struct config *cfg, const struct cfg_check *cc);

/*
 * Every (group, check) membership the config implies, one fn() call each:
 * a host listed in a group, or matching one of its host globs, brings all
 * its checks; a service listed, or matching a "host/service" glob, only
 * itself. A membership implied twice is called twice. Needs t's name index.
 */
void sync_group_members(const struct config *cfg, const struct check_table *t,
    void (*fn)(void *arg, const char *group, const struct check *c), void *arg);

#endif
