/*
 * NAME
 *	depend - the engine's dependencies between checks (Nagios's
 *	servicedependency and hostdependency)
 * DESCRIPTION
 *	depend_link() gives each check that depends on others its edges
 *	(c->deps, NULL for the many that have none) from the config's
 *	cfg->deps, and each master the list of its dependents.
 *
 *	depend_failing() is Nagios's check_service_dependencies(): an edge
 *	of the kind asked fails when its master's state is in its criteria,
 *	the master counted at its last hard state while it is SOFT (OK/UP
 *	before it had one; Nagios's soft_state_dependencies off), PENDING
 *	before its first result; outside its dependency_period an edge does
 *	not fail (Nagios then stops looking at the check's other edges too,
 *	which reads as a slip: vigil goes on to them); an edge with
 *	inherits_parent also fails when the master's own edges of that kind
 *	fail. Execution: a due active check whose edges fail does not run and
 *	comes back an interval later (a recheck runs all the same, as
 *	Nagios's forced check); notification: its PROBLEM and RECOVERY
 *	notifications are not sent (notify.c), and its problem counts as
 *	handled in the group rollup (check_state.suppressed_by).
 * DIAGNOSTICS
 *	None: pure data and rules.
 */
#ifndef VIGIL_DEPEND_H
#define VIGIL_DEPEND_H

#include <stddef.h>

struct check;
struct check_table;
struct config;
struct timeperiod;

struct check_dep {
	struct check *master;
	const struct timeperiod *period;	/* NULL: always (the config's) */
	unsigned char exec_fail, notify_fail;	/* CONFIG_DEP_* bits */
	unsigned char inherits_parent;
};

/* What a check has only when it takes part in a dependency. */
struct check_deps {
	struct check_dep *v;	/* the edges it is the dependent of */
	size_t n;
	struct check **dependents;	/* checks with an edge to it */
	size_t ndependents;
};

enum { DEPEND_EXECUTION, DEPEND_NOTIFICATION };

/* The table's checks linked by cfg->deps. Call after indexing. */
void depend_link(struct check_table *t, const struct config *cfg);
void depend_free(struct check *c);
/* The master of the first edge of kind that fails for c at now, or NULL
 * (also when c has no edges). */
const struct check *depend_failing(const struct check *c, int kind, double now);
/* The state a master's edges test: CONFIG_DEP_* bit of its state. */
unsigned depend_master_bit(const struct check *m);
/* Whose failing notification dependency hides c's notifications at now:
 * its own edges' master, else for a service its host check's (Nagios
 * looks at both); NULL: none. */
const struct check *depend_suppressor(const struct check *c, double now);

/* m's state changed (its master bit): each check whose suppression
 * turns with it (c->dep_suppressed, c->dep_failing), down the chains of
 * inherits_parent and to a host check's services, gets the new verdict
 * and touch(arg, check) so that its row is written. */
void depend_master_changed(const struct check_table *t, struct check *m, double now,
    void (*touch)(void *, struct check *), void *arg);
/* The same for every check of t whose verdict is not the one it holds
 * (start, reload, a dependency_period's boundary). Returns how many. */
size_t depend_refresh(const struct check_table *t, double now,
    void (*touch)(void *, struct check *), void *arg);

#endif
