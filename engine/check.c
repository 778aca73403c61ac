/*
 * NAME
 *	check - the engine's in-memory checks: config, state, schedule
 * DESCRIPTION
 *	See check.h.
 * DIAGNOSTICS
 *	None.
 */
#include "check.h"
#include "result.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
check_table_init(struct check_table *t)
{
	memset(t, 0, sizeof(*t));
}

void
check_free(struct check *c)
{
	if (c == NULL)
		return;
	free(c->host);
	free(c->service);
	if (c->argv != NULL)
		for (size_t i = 0; i < c->argc; i++)
			free(c->argv[i]);
	free(c->argv);
	free(c->pool);
	free(c);
}

void
check_table_clear(struct check_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		check_free(t->v[i]);
	free(t->v);
	free(t->by_id);
	free(t->by_name);
	memset(t, 0, sizeof(*t));
}

void
check_table_add(struct check_table *t, struct check *c)
{
	c->heap_idx = SIZE_MAX;
	xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	t->v[t->n++] = c;
}

static size_t
id_slot(int64_t id, size_t cap)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 17) & (cap - 1);
}

static int
cmp_str_null_first(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_name(const void *pa, const void *pb)
{
	const struct check *a = *(struct check *const *)pa, *b = *(struct check *const *)pb;
	int r = strcmp(a->host, b->host);

	return r != 0 ? r : cmp_str_null_first(a->service, b->service);
}

void
check_table_index(struct check_table *t)
{
	size_t cap = 16;

	while (cap < t->n * 2)
		cap *= 2;
	free(t->by_id);
	t->by_id = xcalloc(cap, sizeof(*t->by_id));
	t->cap_id = cap;
	for (size_t i = 0; i < t->n; i++) {
		size_t s = id_slot(t->v[i]->id, cap);

		while (t->by_id[s] != NULL)
			s = (s + 1) & (cap - 1);
		t->by_id[s] = t->v[i];
	}
	free(t->by_name);
	t->by_name = xmalloc((t->n ? t->n : 1) * sizeof(*t->by_name));
	memcpy(t->by_name, t->v, t->n * sizeof(*t->by_name));
	qsort(t->by_name, t->n, sizeof(*t->by_name), cmp_name);
}

struct check *
check_table_find_id(const struct check_table *t, int64_t id)
{
	size_t s;

	if (t->cap_id == 0)
		return NULL;
	for (s = id_slot(id, t->cap_id); t->by_id[s] != NULL; s = (s + 1) & (t->cap_id - 1))
		if (t->by_id[s]->id == id)
			return t->by_id[s];
	return NULL;
}

struct check *
check_table_find_name(const struct check_table *t, const char *host, const char *service)
{
	struct check key = { 0 }, *kp = &key, **r;

	if (t->by_name == NULL)
		return NULL;
	key.host = (char *)host;
	key.service = (char *)service;
	r = bsearch(&kp, t->by_name, t->n, sizeof(*t->by_name), cmp_name);
	return r != NULL ? *r : NULL;
}

int
check_is_host(const struct check *c)
{
	return c->service == NULL;
}

void
check_state_apply(struct check_state *st, int status, int is_host,
    int max_attempts, double t, struct check_change *chg)
{
	int state = is_host ? (status <= STATUS_WARNING ? HOST_UP : HOST_DOWN) : status;
	int prev = st->state, prev_type = st->state_type;

	memset(chg, 0, sizeof(*chg));
	/* A pending check is treated as coming from a HARD OK/UP, as Nagios
	 * assumes for a new check. */
	if (prev == STATE_PENDING) {
		prev = 0;
		prev_type = STATE_HARD;
		chg->state_changed = 1;
	}
	if (state == 0) {
		st->state_type = STATE_HARD;
		st->attempt = 1;
	} else if (prev == 0) {
		st->attempt = 1;
		st->state_type = max_attempts <= 1 ? STATE_HARD : STATE_SOFT;
	} else if (prev_type == STATE_SOFT) {
		if (st->attempt < max_attempts)
			st->attempt++;
		st->state_type = st->attempt >= max_attempts ? STATE_HARD : STATE_SOFT;
	} else
		st->state_type = STATE_HARD;	/* HARD problem stays HARD */
	if (state != prev)
		chg->state_changed = 1;
	st->state = state;
	st->last_check = t;
	if (chg->state_changed)
		st->last_state_change = t;
	if (st->state_type == STATE_HARD && state != st->last_hard_state) {
		chg->hard_changed = 1;
		st->last_hard_state = state;
		st->last_hard_state_change = t;
	}
}

int
check_next_interval(const struct check *c)
{
	if (c->st.state_type == STATE_SOFT && c->st.state > 0)
		return c->retry_interval;
	return c->interval;
}
