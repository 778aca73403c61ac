/*
 * NAME
 *	seen - the ids of the passive results the engine applied last
 * SYNOPSIS
 *	struct seen s;
 *	seen_init(&s, SEEN_MAX);
 *	if (!seen_has(&s, id)) { apply; seen_add(&s, id); }
 * DESCRIPTION
 *	A set of strings that keeps the max most recently added: adding one
 *	more forgets the oldest. Lookups hash with SipHash-2-4 under a key
 *	drawn at seen_init(), so ids chosen by a submitter cannot pile up in
 *	one bucket. The engine keeps 16 times its results prefetch: every
 *	result the broker may deliver again (unacked when the engine stopped
 *	or lost the link) is among them; PostgreSQL keeps the same ids
 *	(table passive_seen) for the next engine to load.
 */
#ifndef VIGIL_SEEN_H
#define VIGIL_SEEN_H

#include <stddef.h>
#include <stdint.h>

struct seen_entry;

struct seen {
	struct seen_entry **buckets;
	size_t nbuckets;	/* a power of two, at least 2 * max */
	struct seen_entry **ring;	/* in the order added: the oldest at head */
	size_t max, n, head;
	uint64_t k0, k1;	/* the hash key */
};

void seen_init(struct seen *s, size_t max);
void seen_free(struct seen *s);
int seen_has(const struct seen *s, const char *id);
/* Add id (a copy), forgetting the oldest when full; one already there
 * stays where it is. */
void seen_add(struct seen *s, const char *id);

/* SipHash-2-4 of p[0..n) under (k0, k1). */
uint64_t seen_siphash(uint64_t k0, uint64_t k1, const void *p, size_t n);

#endif
