/*
 * NAME
 *	store - the loader's arena, the config's string store, the name index
 * DESCRIPTION
 *	The arena holds everything only one config_load() needs; the
 *	config's store (the same chunks, kept with the config, behind an
 *	index that keeps one copy of each distinct string or list) holds the
 *	strings and lists of hosts and checks; the name index is a hash
 *	table, so loading stays linear in the number of objects. See
 *	config_private.h.
 */
#include "config.h"
#include "config_private.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_CHUNK		(64 * 1024)

/* ---- arena ---------------------------------------------------------- */

struct config_chunk {
	struct config_chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

void *
config_arena_alloc(struct config_arena *a, size_t n)
{
	struct config_chunk *c = a->chunks;
	size_t align = _Alignof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (c == NULL || c->size - c->used < n) {
		size_t size = n > CONFIG_CHUNK ? n : CONFIG_CHUNK;

		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		/* A big block goes behind the current chunk so its room stays usable. */
		if (a->chunks != NULL && n > CONFIG_CHUNK) {
			c->next = a->chunks->next;
			a->chunks->next = c;
		} else {
			c->next = a->chunks;
			a->chunks = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

char *
config_arena_strdup(struct config_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(config_arena_alloc(a, n), s, n);
}

char *
config_arena_printf(struct config_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *tmp, *s;

	va_start(ap, fmt);
	tmp = xvasprintf(fmt, ap);
	va_end(ap);
	s = config_arena_strdup(a, tmp);
	free(tmp);
	return s;
}

void
config_arena_free(struct config_arena *a)
{
	struct config_chunk *c, *next;

	for (c = a->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
}

/* ---- the config's store ---------------------------------------------- */

struct config_store_ent {
	const void *p;		/* NULL: a free slot */
	size_t n;		/* a string's length, a list's count */
	uint64_t hash;
	int is_list;
};

struct config_store {
	struct config_arena arena;
	struct config_store_ent *v;	/* open addressing; NULL once sealed */
	size_t cap, n;
};

struct config_store *
config_store_new(void)
{
	return xcalloc(1, sizeof(struct config_store));
}

void
config_store_seal(struct config_store *st)
{
	free(st->v);
	st->v = NULL;
	st->cap = st->n = 0;
}

void
config_store_free(struct config_store *st)
{
	if (st == NULL)
		return;
	config_store_seal(st);
	config_arena_free(&st->arena);
	free(st);
}

static uint64_t
store_hash(const void *p, size_t len, int is_list)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)is_list;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* A string (n bytes) or a list (n pointers to stored strings, so equal
 * lists are equal pointer for pointer), stored once. */
static const void *
store_intern(struct config_store *st, const void *p, size_t n, int is_list)
{
	size_t len = is_list ? n * sizeof(char *) : n, i, j;
	uint64_t h = store_hash(p, len, is_list);
	struct config_store_ent *e;
	char *q;

	if ((st->n + 1) * 2 > st->cap) {
		struct config_store_ent *old = st->v;
		size_t oldcap = st->cap;

		st->cap = st->cap ? st->cap * 2 : 256;
		st->v = xcalloc(st->cap, sizeof(*st->v));
		for (j = 0; j < oldcap; j++) {
			if (old[j].p == NULL)
				continue;
			for (i = old[j].hash & (st->cap - 1); st->v[i].p != NULL;
			    i = (i + 1) & (st->cap - 1))
				;
			st->v[i] = old[j];
		}
		free(old);
	}
	for (i = h & (st->cap - 1); st->v[i].p != NULL; i = (i + 1) & (st->cap - 1)) {
		e = &st->v[i];
		if (e->hash == h && e->is_list == is_list && e->n == n &&
		    memcmp(e->p, p, len) == 0)
			return e->p;
	}
	/* Both end in a zeroed terminator: '\0' or a NULL pointer. */
	q = config_arena_alloc(&st->arena, len + (is_list ? sizeof(char *) : 1));
	memcpy(q, p, len);
	memset(q + len, 0, is_list ? sizeof(char *) : 1);
	e = &st->v[i];
	e->p = q;
	e->n = n;
	e->hash = h;
	e->is_list = is_list;
	st->n++;
	return q;
}

char *
config_store_str(struct config_store *st, const char *s)
{
	return s != NULL ? (char *)store_intern(st, s, strlen(s), 0) : NULL;
}

char **
config_store_strv(struct config_store *st, const char *const *v, size_t n)
{
	const char *buf[16] = { NULL }, **tmp = n <= 16 ? buf : xmalloc(n * sizeof(*tmp));
	char **out;
	size_t i;

	for (i = 0; i < n; i++)
		tmp[i] = config_store_str(st, v[i]);
	out = (char **)store_intern(st, tmp, n, 1);
	if (tmp != buf)
		free(tmp);
	return out;
}

/* ---- name index ----------------------------------------------------- */

static size_t
config_index_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

size_t *
config_index_find(const struct config_index *m, const char *key)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = config_index_hash(key) & (m->cap - 1); m->v[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->v[i].key, key) == 0)
			return &m->v[i].val;
	return NULL;
}

void
config_index_put(struct config_index *m, const char *key, size_t val)
{
	struct config_index_ent *old = m->v;
	size_t oldcap = m->cap, i, j;

	if ((m->n + 1) * 2 > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		for (j = 0; j < oldcap; j++) {
			if (old[j].key == NULL)
				continue;
			for (i = config_index_hash(old[j].key) & (m->cap - 1);
			    m->v[i].key != NULL; i = (i + 1) & (m->cap - 1))
				;
			m->v[i] = old[j];
		}
		free(old);
	}
	for (i = config_index_hash(key) & (m->cap - 1); m->v[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		;
	m->v[i].key = key;
	m->v[i].val = val;
	m->n++;
}
