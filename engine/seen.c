/*
 * NAME
 *	seen - the ids of the passive results the engine applied last
 *	(see seen.h)
 */
#include "seen.h"

#include "util.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct seen_entry {
	struct seen_entry *next;	/* in its bucket */
	uint64_t h;
	char id[];
};

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void
sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

static uint64_t
load_le64(const unsigned char *p)
{
	uint64_t x = 0;

	for (int i = 7; i >= 0; i--)
		x = (x << 8) | p[i];
	return x;
}

uint64_t
seen_siphash(uint64_t k0, uint64_t k1, const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
		k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL };
	uint64_t m, last = (uint64_t)n << 56;
	size_t i, tail = n & 7;

	for (i = 0; i + 8 <= n; i += 8) {
		m = load_le64(p + i);
		v[3] ^= m;
		sip_round(v);
		sip_round(v);
		v[0] ^= m;
	}
	for (size_t k = 0; k < tail; k++)
		last |= (uint64_t)p[i + k] << (8 * k);
	v[3] ^= last;
	sip_round(v);
	sip_round(v);
	v[0] ^= last;
	v[2] ^= 0xff;
	for (int r = 0; r < 4; r++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

void
seen_init(struct seen *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	s->max = max > 0 ? max : 1;
	s->nbuckets = 16;
	while (s->nbuckets < 2 * s->max)
		s->nbuckets *= 2;
	s->buckets = xcalloc(s->nbuckets, sizeof(*s->buckets));
	s->ring = xcalloc(s->max, sizeof(*s->ring));
	s->k0 = util_random64();
	s->k1 = util_random64();
}

void
seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->ring[(s->head + i) % s->max]);
	free(s->ring);
	free(s->buckets);
	memset(s, 0, sizeof(*s));
}

static struct seen_entry **
seen_slot(const struct seen *s, const char *id, uint64_t h)
{
	struct seen_entry **p = &s->buckets[h & (s->nbuckets - 1)];

	while (*p != NULL && ((*p)->h != h || strcmp((*p)->id, id) != 0))
		p = &(*p)->next;
	return p;
}

int
seen_has(const struct seen *s, const char *id)
{
	return *seen_slot(s, id, seen_siphash(s->k0, s->k1, id, strlen(id))) != NULL;
}

void
seen_add(struct seen *s, const char *id)
{
	size_t len = strlen(id);
	uint64_t h = seen_siphash(s->k0, s->k1, id, len);
	struct seen_entry **p = seen_slot(s, id, h), *e;

	if (*p != NULL)
		return;
	if (s->n == s->max) {	/* forget the oldest */
		struct seen_entry *old = s->ring[s->head], **q;

		q = seen_slot(s, old->id, old->h);
		*q = old->next;
		free(old);
		s->head = (s->head + 1) % s->max;
		s->n--;
		p = seen_slot(s, id, h);	/* the chain may have changed */
	}
	e = xmalloc(sizeof(*e) + len + 1);
	e->next = NULL;
	e->h = h;
	memcpy(e->id, id, len + 1);
	*p = e;
	s->ring[(s->head + s->n) % s->max] = e;
	s->n++;
}
