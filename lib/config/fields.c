/*
 * NAME
 *	fields - the one reader of a map of keys through a key table
 * DESCRIPTION
 *	config_fields_read() turns a YAML map into any object kind's struct
 *	through the kind's table of struct config_field: every key looked up
 *	(config_key: unknown, repeated, misplaced keys reported), two names of
 *	one key refused, each value read by its type with the helpers of
 *	values.c. Also the copies of vars and string lists that go into
 *	struct config. See config_private.h.
 * DIAGNOSTICS
 *	Through config_error(), as the value helpers report.
 */
#include "config.h"
#include "config_private.h"
#include "xalloc.h"

#include <stdint.h>
#include <string.h>

/* ---- the key-table reader -------------------------------------------- */

/* f's value v into obj: 0 read, 1 nothing to read (not set), -1 reported. */
static int
values_field(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	char *at = (char *)obj + f->off;
	const char *s;

	if (f->mark != 0 && f->type != CONFIG_T_OWN)
		*(struct cfg_mark *)((char *)obj + f->mark) = config_mark(ld, v);
	switch (f->type) {
	case CONFIG_T_NONE:
		return 0;
	case CONFIG_T_DURATION:
		return config_duration(ld, v, prefix, f->name, (int *)at);
	case CONFIG_T_DURATION0:
		return config_duration_or_zero(ld, v, prefix, f->name, (int *)at);
	case CONFIG_T_INT:
		return config_int(ld, v, prefix, f->name, f->arg, (int *)at);
	case CONFIG_T_BOOL:
		return config_bool(ld, v, prefix, f->name, (int *)at);
	case CONFIG_T_PERCENT:
		return config_percent(ld, v, prefix, f->name, (double *)at);
	case CONFIG_T_STRING:
		s = config_string(ld, v, prefix, f->name, 1);
		*(const char **)at = s;
		return s != NULL ? 0 : -1;
	case CONFIG_T_LIST:
		/* Nothing, like an empty list. */
		if (config_is_null(v)) {
			config_strs_alloc(ld, (struct config_strs *)at, 0);
			return 0;
		}
		return config_list(ld, v, prefix, f->name, f->what,
		    (struct config_strs *)at);
	case CONFIG_T_NAMES:
		return config_names(ld, v, prefix, f->name, f->what,
		    (struct config_strs *)at);
	case CONFIG_T_VARS:
		return config_vars(ld, v, prefix, (struct config_vars *)at);
	case CONFIG_T_OWN:
		return f->parse(ld, v, f, where, prefix, obj);
	}
	return -1;
}

int
config_fields_read(struct config_loader *ld, yaml_node_t *map,
    const struct config_field *f, size_t n, unsigned where,
    const char *whatname, const char *prefix, void *obj,
    struct config_read *rd)
{
	struct config_keyseen seen;
	struct config_read mine;
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	struct cfg_mark m;
	uint64_t bit;
	size_t i, j;
	int idx, bad = 0, r;

	if (rd == NULL)
		rd = &mine;
	memset(rd, 0, sizeof(*rd));
	memset(&seen, 0, sizeof(seen));
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		v = config_node(ld, pair->value);
		if ((idx = config_key(ld, f, n, where, whatname, k, &seen,
		    prefix)) < 0) {
			bad = 1;
			continue;
		}
		i = (size_t)idx;
		/* Two names of one key (command, check): give one. */
		for (j = 0; f[i].bit != 0 && j < n; j++)
			if (j != i && f[j].bit == f[i].bit &&
			    (seen.bits & ((uint64_t)1 << j)))
				break;
		if (f[i].bit != 0 && j < n) {
			m = config_mark(ld, k);
			config_error(ld, &m, "%s%s: \"%s\" and \"%s\" are the same "
			    "key; give one", prefix, f[i].name,
			    f[j < i ? j : i].name, f[j < i ? i : j].name);
			bad = 1;
			continue;
		}
		bit = (uint64_t)1 << i;
		rd->seen |= bit;
		rd->node[i] = v;
		if ((r = values_field(ld, v, &f[i], where, prefix, obj)) == 0)
			rd->ok |= bit;
		else if (r < 0)
			bad = 1;
	}
	return bad ? -1 : 0;
}

/* ---- copies for struct config ----------------------------------------- */

struct cfg_var *
config_vars_copy(const struct config_vars *vars)
{
	struct cfg_var *v = xcalloc(vars->n + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < vars->n; i++) {
		v[i].name = xstrdup(vars->name[i]);
		v[i].value = xstrdup(vars->value[i]);
	}
	return v;
}

char **
config_strv_copy(const char *const *v, size_t n)
{
	char **out = xcalloc(n + 1, sizeof(*out));
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}
