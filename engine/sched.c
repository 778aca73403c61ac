/*
 * NAME
 *	sched - when each check runs next: a binary min-heap on due time
 * DESCRIPTION
 *	See sched.h.
 * DIAGNOSTICS
 *	None.
 */
#include "sched.h"
#include "check.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A past-due check starts within this many seconds (or its interval). */
#define SCHED_SPREAD 5.0

void
sched_init(struct sched *s)
{
	memset(s, 0, sizeof(*s));
}

void
sched_clear(struct sched *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->h[i]->heap_idx = SIZE_MAX;
	free(s->h);
	memset(s, 0, sizeof(*s));
}

static void
place(struct sched *s, size_t i, struct check *c)
{
	s->h[i] = c;
	c->heap_idx = i;
}

static void
sift_up(struct sched *s, size_t i)
{
	struct check *c = s->h[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (s->h[p]->due <= c->due)
			break;
		place(s, i, s->h[p]);
		i = p;
	}
	place(s, i, c);
}

static void
sift_down(struct sched *s, size_t i)
{
	struct check *c = s->h[i];

	for (;;) {
		size_t l = 2 * i + 1, m = i;
		double mdue = c->due;

		if (l < s->n && s->h[l]->due < mdue) {
			m = l;
			mdue = s->h[l]->due;
		}
		if (l + 1 < s->n && s->h[l + 1]->due < mdue)
			m = l + 1;
		if (m == i)
			break;
		place(s, i, s->h[m]);
		i = m;
	}
	place(s, i, c);
}

void
sched_set(struct sched *s, struct check *c, double due)
{
	if (c->heap_idx == SIZE_MAX) {
		xgrow((void **)&s->h, &s->cap, s->n + 1, sizeof(*s->h));
		c->due = due;
		place(s, s->n++, c);
		sift_up(s, c->heap_idx);
		return;
	}
	/* Both ways, whatever c->due was: a caller that set it already
	 * cannot leave the heap out of order. */
	c->due = due;
	sift_up(s, c->heap_idx);
	sift_down(s, c->heap_idx);
}

void
sched_remove(struct sched *s, struct check *c)
{
	size_t i = c->heap_idx;
	struct check *last;

	if (i == SIZE_MAX)
		return;
	c->heap_idx = SIZE_MAX;
	last = s->h[--s->n];
	if (i == s->n)
		return;
	place(s, i, last);
	sift_down(s, i);
	sift_up(s, last->heap_idx);
}

struct check *
sched_peek(const struct sched *s)
{
	return s->n > 0 ? s->h[0] : NULL;
}

struct check *
sched_pop(struct sched *s)
{
	struct check *c = sched_peek(s);

	if (c != NULL)
		sched_remove(s, c);
	return c;
}

double
sched_next_due(double scheduled, int interval, double now, double rnd)
{
	double next = scheduled + interval;
	double spread = interval < SCHED_SPREAD ? interval : SCHED_SPREAD;

	if (next > now)
		return next;
	return now + rnd * spread;
}

double
sched_first_due(double now, int interval, double rnd)
{
	return now + rnd * interval;
}
