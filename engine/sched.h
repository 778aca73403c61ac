/*
 * NAME
 *	sched - when each check runs next: a binary min-heap on due time
 * DESCRIPTION
 *	The engine keeps one heap of checks ordered by due time and one
 *	ev_timer set to the earliest; each check stores its heap index, so
 *	rescheduling is O(log n). sched_next_due() is the no-drift rule of
 *	SEMANTICS.md "Scheduling": the next run is the previous *scheduled*
 *	time plus the interval; if that is already past, now plus a small
 *	random spread, so a backlog never fires as one herd.
 * DIAGNOSTICS
 *	None.
 */
#ifndef VIGIL_SCHED_H
#define VIGIL_SCHED_H

#include <stddef.h>

struct check;

struct sched {
	struct check **h;
	size_t n, cap;
};

void sched_init(struct sched *s);
void sched_clear(struct sched *s);
/* Insert c, or move it if already in the heap, at due time c->due. */
void sched_set(struct sched *s, struct check *c, double due);
void sched_remove(struct sched *s, struct check *c);
struct check *sched_peek(const struct sched *s);
struct check *sched_pop(struct sched *s);

/* Next due time after a run scheduled at `scheduled`. rnd in [0,1). */
double sched_next_due(double scheduled, int interval, double now, double rnd);
/* First due time of a new check: a random offset in [0, interval). */
double sched_first_due(double now, int interval, double rnd);

#endif
