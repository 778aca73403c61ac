/*
 * NAME
 *	config_objects - pass 1 of conf.d: documents into typed props
 * DESCRIPTION
 *	config_objects_file() reads one document. Commands go straight into
 *	cfg->commands; templates, hosts and services (inline under a host or
 *	standalone) are parsed into struct config_props, groups into struct
 *	config_rgroup, each value checked where it is written, so an error is
 *	reported once, at its own line, and kept in definition order for
 *	pass 2 (config_resolve.c), which needs every file. Names go into hash
 *	indexes as they come, so duplicates are found in constant time and a
 *	load stays linear in the number of objects.
 *
 *	Groups: `groups: {name: {title, parents, hosts, services}}`. Group
 *	names follow the host name rules. hosts: and services: are fnmatch(3)
 *	globs (no flags) on host names and on "host/service"; a glob that
 *	matches nothing is fine (hosts come and go), one that can never
 *	match anything is an error (empty, a trailing lone '\', a '[' never
 *	closed, an unknown [:class:], a '/' in a host pattern). Hosts,
 *	services and templates name their groups in a `groups:` key.
 *
 *	Timeperiods: `timeperiods: {name: {monday: "09:00-17:00", ...,
 *	all: ..., exclude: [names]}}`, names as host names. Each day's text is
 *	parsed here (timeperiod.c), so a bad range is reported at its value;
 *	a day key wins over `all` in any order. Exclusions are pass 2's.
 *
 *	Check keys beyond the schedule: timeout_state and stale_state take a
 *	state name in any case or 0-3, UP and DOWN only on hosts and
 *	templates; freshness_threshold is a duration where 0 means "the
 *	engine's default"; thresholds are percentages 0..100 (whether low <
 *	high is known only once templates are applied: pass 2); debounce is
 *	a whole number >= 0; check_period names a timeperiod (pass 2);
 *	quorum is a whole number >= 1 (at most the number of pools: pass 2).
 *	The notification keys (notify, notify_on, notification_interval,
 *	first_notification_delay, notification_period, escalations) and the
 *	top-level contacts: and contact_groups: are config_notify.c's.
 * DIAGNOSTICS
 *	Through config_error(): every message names the object ("host
 *	\"web-01\"", "service \"web-01/http\"", "command \"ping\"",
 *	"template \"x\""), then the key, then what is wrong and what was
 *	expected. Unknown keys are errors, never ignored: a typo must not
 *	silently change what is checked.
 */
#include "config.h"
#include "config_private.h"
#include "timeperiod.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Contexts a key applies to (struct config_key.where). */
enum {
	W_HOST = 1,
	W_ISVC = 2,		/* a service under a host's services: */
	W_SVC = 4,		/* a standalone service */
	W_TMPL = 8,
	W_ALL = 15,
};

enum objs_key_id {
	K_COMMAND, K_CHECK, K_INTERVAL, K_RETRY_INTERVAL, K_MAX_ATTEMPTS,
	K_TIMEOUT, K_POOLS, K_ACTIVE, K_PASSIVE, K_VARS, K_USE,
	K_ADDRESS, K_ALIAS, K_PARENTS, K_SERVICES, K_HOST, K_NAME, K_GROUPS,
	K_TIMEOUT_STATE, K_FRESHNESS, K_STALE_STATE, K_FLAP_DETECTION,
	K_LOW_FLAP, K_HIGH_FLAP, K_DEBOUNCE, K_IS_VOLATILE, K_CHECK_PERIOD,
	K_QUORUM, K_NOTIFY, K_NOTIFY_ON, K_NOTIFICATION_INTERVAL,
	K_FIRST_NOTIFICATION_DELAY, K_NOTIFICATION_PERIOD, K_ESCALATIONS,
};

static const struct config_key objs_keys[] = {
	{ "command", K_COMMAND, W_ALL },
	{ "check", K_CHECK, W_ALL },
	{ "interval", K_INTERVAL, W_ALL },
	{ "retry_interval", K_RETRY_INTERVAL, W_ALL },
	{ "max_attempts", K_MAX_ATTEMPTS, W_ALL },
	{ "timeout", K_TIMEOUT, W_ALL },
	{ "pools", K_POOLS, W_ALL },
	{ "quorum", K_QUORUM, W_ALL },
	{ "active", K_ACTIVE, W_ALL },
	{ "passive", K_PASSIVE, W_ALL },
	{ "vars", K_VARS, W_ALL },
	{ "use", K_USE, W_ALL },
	{ "address", K_ADDRESS, W_HOST | W_TMPL },
	{ "alias", K_ALIAS, W_HOST | W_TMPL },
	{ "parents", K_PARENTS, W_HOST | W_TMPL },
	{ "services", K_SERVICES, W_HOST },
	{ "host", K_HOST, W_SVC },
	{ "name", K_NAME, W_SVC },
	{ "groups", K_GROUPS, W_ALL },
	{ "timeout_state", K_TIMEOUT_STATE, W_ALL },
	{ "freshness_threshold", K_FRESHNESS, W_ALL },
	{ "stale_state", K_STALE_STATE, W_ALL },
	{ "flap_detection", K_FLAP_DETECTION, W_ALL },
	{ "low_flap_threshold", K_LOW_FLAP, W_ALL },
	{ "high_flap_threshold", K_HIGH_FLAP, W_ALL },
	{ "debounce", K_DEBOUNCE, W_ALL },
	{ "is_volatile", K_IS_VOLATILE, W_ALL },
	{ "check_period", K_CHECK_PERIOD, W_ALL },
	{ "notify", K_NOTIFY, W_ALL },
	{ "notify_on", K_NOTIFY_ON, W_ALL },
	{ "notification_interval", K_NOTIFICATION_INTERVAL, W_ALL },
	{ "first_notification_delay", K_FIRST_NOTIFICATION_DELAY, W_ALL },
	{ "notification_period", K_NOTIFICATION_PERIOD, W_ALL },
	{ "escalations", K_ESCALATIONS, W_ALL },
};
#define OBJS_NKEYS (sizeof(objs_keys) / sizeof(objs_keys[0]))

enum objs_cmd_key_id { CK_ARGV, CK_TIMEOUT };
static const struct config_key objs_cmd_keys[] = {
	{ "argv", CK_ARGV, 1 },
	{ "timeout", CK_TIMEOUT, 1 },
};

enum objs_group_key_id { GK_TITLE, GK_PARENTS, GK_HOSTS, GK_SERVICES };
static const struct config_key objs_group_keys[] = {
	{ "title", GK_TITLE, 1 },
	{ "parents", GK_PARENTS, 1 },
	{ "hosts", GK_HOSTS, 1 },
	{ "services", GK_SERVICES, 1 },
};
#define OBJS_NGROUP_KEYS (sizeof(objs_group_keys) / sizeof(objs_group_keys[0]))

/* A timeperiod's keys: days by tm_wday, then all and exclude. */
enum { PK_ALL = 7, PK_EXCLUDE = 8 };
static const struct config_key objs_period_keys[] = {
	{ "sunday", 0, 1 },
	{ "monday", 1, 1 },
	{ "tuesday", 2, 1 },
	{ "wednesday", 3, 1 },
	{ "thursday", 4, 1 },
	{ "friday", 5, 1 },
	{ "saturday", 6, 1 },
	{ "all", PK_ALL, 1 },
	{ "exclude", PK_EXCLUDE, 1 },
};
#define OBJS_NPERIOD_KEYS (sizeof(objs_period_keys) / sizeof(objs_period_keys[0]))

/* State names of timeout_state and stale_state; host ones need W_HOST. */
static const struct {
	const char *name;
	int status;
	int host_only;
} objs_states[] = {
	{ "OK", 0, 0 }, { "WARNING", 1, 0 }, { "CRITICAL", 2, 0 },
	{ "UNKNOWN", 3, 0 }, { "UP", 0, 1 }, { "DOWN", 2, 1 },
};
#define OBJS_NSTATES (sizeof(objs_states) / sizeof(objs_states[0]))

/* Keys only some contexts have, handed back by objs_props_parse(). */
struct objs_extra {
	yaml_node_t *services;
	const char *host;
	struct cfg_mark host_mark;
	const char *name;
};

/* ---- pass 1: parsing ------------------------------------------------ */

static const char *
objs_where_name(unsigned where)
{
	switch (where) {
	case W_HOST:
		return "a host";
	case W_ISVC:
		return "a service defined under its host";
	case W_SVC:
		return "a service";
	default:
		return "a template";
	}
}

/*
 * An object's name, from its map key. Host and command names end up in
 * URLs, routing keys and macros (strict): no '/', whitespace or '$'.
 */
static const char *
objs_name(struct config_objects *o, yaml_node_t *k, const char *prefix,
    const char *kind, int strict)
{
	struct config_loader *ld = o->ld;
	struct cfg_mark m = config_mark(ld, k);
	const char *v;
	const unsigned char *p;

	if (k->type != YAML_SCALAR_NODE) {
		config_error(ld, &m, "%s%s names must be strings, got %s", prefix,
		    kind, config_what(k));
		return NULL;
	}
	v = (const char *)k->data.scalar.value;
	if (strlen(v) != k->data.scalar.length) {
		config_error(ld, &m, "%s%s name %s contains a NUL character",
		    prefix, kind, config_quote(ld, v));
		return NULL;
	}
	if (*v == '\0' || config_is_null(k)) {
		config_error(ld, &m, "%s%s name must not be empty", prefix, kind);
		return NULL;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			config_error(ld, &m, "%s%s %s: name may not contain "
			    "control characters", prefix, kind, config_quote(ld, v));
			return NULL;
		}
		if (strict && (*p == '/' || *p == '$' || isspace(*p))) {
			config_error(ld, &m, "%s%s %s: name may not contain '/', "
			    "whitespace or '$'", prefix, kind, config_quote(ld, v));
			return NULL;
		}
	}
	return config_arena_strdup(&ld->arena, v);
}

static void
objs_strs_alloc(struct config_objects *o, struct config_strs *s, size_t n)
{
	s->v = config_arena_alloc(&o->ld->arena, (n ? n : 1) * sizeof(*s->v));
	s->m = config_arena_alloc(&o->ld->arena, (n ? n : 1) * sizeof(*s->m));
	s->n = 0;
}

/*
 * A list of non-empty strings; one string is a list of one (use: generic,
 * parents: core-sw-1). 0 or -1.
 */
int
config_objects_list(struct config_objects *o, yaml_node_t *v, const char *prefix,
    const char *key, const char *expected, struct config_strs *out)
{
	struct config_loader *ld = o->ld;
	struct cfg_mark m = config_mark(ld, v);
	yaml_node_item_t *it;
	yaml_node_t *e;
	const char *s;
	int bad = 0;

	if (v->type == YAML_SCALAR_NODE && !config_is_null(v)) {
		if ((s = config_string(ld, v, prefix, key, 1)) == NULL)
			return -1;
		objs_strs_alloc(o, out, 1);
		out->v[0] = s;
		out->m[0] = m;
		out->n = 1;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		config_error(ld, &m, "%s%s: expected %s, got %s", prefix, key,
		    expected, config_what(v));
		return -1;
	}
	objs_strs_alloc(o, out, (size_t)(v->data.sequence.items.top -
	    v->data.sequence.items.start));
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	    it++) {
		e = config_node(ld, *it);
		if ((s = config_string(ld, e, prefix, key, 1)) == NULL) {
			bad = 1;
			continue;
		}
		out->m[out->n] = config_mark(ld, e);
		out->v[out->n++] = s;
	}
	return bad ? -1 : 0;
}

/*
 * Names of objects of a kind ("group", "timeperiod"): one, a list, or
 * nothing (an empty list: an object's own empty groups: overrides its
 * templates'). A name listed twice is a mistake somewhere, as in pools.
 * Whether each exists is pass 2's question: it may be defined in a later
 * file. 0 or -1.
 */
int
config_objects_names(struct config_objects *o, yaml_node_t *v, const char *prefix,
    const char *key, const char *kind, struct config_strs *out)
{
	struct config_loader *ld = o->ld;
	size_t i, j;
	int bad = 0;

	if (config_is_null(v)) {
		objs_strs_alloc(o, out, 0);
		return 0;
	}
	if (config_objects_list(o, v, prefix, key, config_arena_printf(&ld->arena,
	    "a list of %s names", kind), out) < 0)
		return -1;
	for (i = 1; i < out->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(out->v[i], out->v[j]) == 0)
				break;
		if (j < i) {
			config_error(ld, &out->m[i], "%s%s: %s %s is listed "
			    "twice", prefix, key, kind, config_quote(ld, out->v[i]));
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

/*
 * timeout_state, stale_state: a state name (any case) or 0-3. UP and DOWN
 * are host states; a template may say them too (a service using it is
 * told in pass 2). 0 or -1.
 */
static int
objs_state(struct config_objects *o, yaml_node_t *v, unsigned where,
    const char *prefix, const char *key, struct config_state *out)
{
	struct config_loader *ld = o->ld;
	struct cfg_mark m = config_mark(ld, v);
	const char *s, *names[OBJS_NSTATES], *hint, *expected;
	int hosts = (where & (W_HOST | W_TMPL)) != 0;
	size_t i, n = 0;
	char *up, *p;

	if ((s = config_string(ld, v, prefix, key, 1)) == NULL)
		return -1;
	expected = hosts ? "UP, DOWN, OK, WARNING, CRITICAL, UNKNOWN or 0-3" :
	    "OK, WARNING, CRITICAL, UNKNOWN or 0-3";
	out->text = s;
	out->mark = m;
	out->host_only = 0;
	if (s[0] >= '0' && s[0] <= '3' && s[1] == '\0') {
		out->status = s[0] - '0';
		return 0;
	}
	for (i = 0; i < OBJS_NSTATES; i++)
		if (strcasecmp(s, objs_states[i].name) == 0)
			break;
	if (i < OBJS_NSTATES && objs_states[i].host_only && !hosts) {
		config_error(ld, &m, "%s%s: %s is a host state (expected %s)",
		    prefix, key, config_quote(ld, s), expected);
		return -1;
	}
	if (i < OBJS_NSTATES) {
		out->status = objs_states[i].status;
		out->host_only = objs_states[i].host_only;
		return 0;
	}
	for (i = 0; i < OBJS_NSTATES; i++)
		if (hosts || !objs_states[i].host_only)
			names[n++] = objs_states[i].name;
	up = config_arena_strdup(&ld->arena, s);
	for (p = up; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	if ((hint = config_suggest(up, names, n)) != NULL)
		config_error(ld, &m, "%s%s: %s is not a state (did you mean "
		    "\"%s\"?)", prefix, key, config_quote(ld, s), hint);
	else
		config_error(ld, &m, "%s%s: %s is not a state (expected %s)",
		    prefix, key, config_quote(ld, s), expected);
	return -1;
}

/* command: name, or [name, arg1, arg2 ...] for $ARG1$, $ARG2$ ... */
static int
objs_command_ref(struct config_objects *o, yaml_node_t *v, const char *prefix,
    const char *key, struct config_props *p)
{
	struct config_loader *ld = o->ld;
	struct cfg_mark m = config_mark(ld, v);
	yaml_node_item_t *it;
	yaml_node_t *e;
	const char *s, *label;
	size_t n;
	int bad = 0;

	if (v->type == YAML_SCALAR_NODE) {
		if ((s = config_string(ld, v, prefix, key, 1)) == NULL)
			return -1;
		p->command = s;
		p->command_mark = m;
		p->args.n = 0;
		p->set |= CONFIG_P_COMMAND;
		return 0;
	}
	n = v->type == YAML_SEQUENCE_NODE ? (size_t)(v->data.sequence.items.top -
	    v->data.sequence.items.start) : 0;
	if (n == 0) {
		config_error(ld, &m, "%s%s: expected a command name or a list "
		    "[name, arg1, arg2 ...], got %s", prefix, key,
		    v->type == YAML_SEQUENCE_NODE ? "an empty list" :
		    config_what(v));
		return -1;
	}
	it = v->data.sequence.items.start;
	e = config_node(ld, *it);
	if ((s = config_string(ld, e, prefix, key, 1)) == NULL)
		return -1;
	p->command = s;
	p->command_mark = config_mark(ld, e);
	objs_strs_alloc(o, &p->args, n - 1);
	for (it++; it < v->data.sequence.items.top; it++) {
		e = config_node(ld, *it);
		label = config_arena_printf(&ld->arena, "%s: $ARG%zu$", key,
		    p->args.n + 1);
		/* An argument is text as written: "~" is a path, not null. */
		if ((s = config_text(ld, e, prefix, label)) == NULL) {
			bad = 1;
			s = "";
		}
		p->args.m[p->args.n] = config_mark(ld, e);
		p->args.v[p->args.n++] = s;
	}
	if (bad)
		return -1;
	p->set |= CONFIG_P_COMMAND;
	return 0;
}

static int
objs_var_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s == '$' || isspace((unsigned char)*s) ||
		    (unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
config_objects_vars(struct config_objects *o, yaml_node_t *v,
    const char *prefix, struct config_vars *vars)
{
	struct config_loader *ld = o->ld;
	yaml_node_pair_t *pair;
	yaml_node_t *k, *val;
	struct cfg_mark m;
	const char *name, *value;
	size_t n, i;
	int bad = 0, r;

	if ((r = config_map(ld, v, prefix, "vars", "a map of name: value")) <= 0)
		return r < 0 ? -1 : 1;
	n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	vars->name = config_arena_alloc(&ld->arena, n * sizeof(*vars->name));
	vars->value = config_arena_alloc(&ld->arena, n * sizeof(*vars->value));
	vars->m = config_arena_alloc(&ld->arena, n * sizeof(*vars->m));
	vars->n = 0;
	for (pair = v->data.mapping.pairs.start;
	    pair < v->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		val = config_node(ld, pair->value);
		m = config_mark(ld, k);
		if ((name = config_text(ld, k, prefix, "vars")) == NULL) {
			bad = 1;
			continue;
		}
		if (!objs_var_name_ok(name)) {
			config_error(ld, &m, "%svars: %s is not a variable name "
			    "(no whitespace or '$')", prefix, config_quote(ld, name));
			bad = 1;
			continue;
		}
		/* $_HOSTenv$ and $_HOSTENV$ are one macro: so is the var. */
		for (i = 0; i < vars->n; i++)
			if (strcasecmp(vars->name[i], name) == 0)
				break;
		if (i < vars->n) {
			config_error(ld, &m, "%svars: %s is given twice (first at "
			    "%s:%d:%d; names ignore case)", prefix,
			    config_quote(ld, name), vars->m[i].file,
			    vars->m[i].line, vars->m[i].col);
			bad = 1;
			continue;
		}
		if (config_is_null(val))
			value = "";
		else if ((value = config_text(ld, val, prefix,
		    config_arena_printf(&ld->arena, "vars: %s", name))) == NULL) {
			bad = 1;
			continue;
		}
		vars->name[vars->n] = name;
		vars->value[vars->n] = value;
		vars->m[vars->n++] = m;
	}
	return bad ? -1 : 0;
}

static void
objs_pools(struct config_objects *o, yaml_node_t *v, const char *prefix,
    struct config_props *p)
{
	struct config_loader *ld = o->ld;
	struct cfg_mark m = config_mark(ld, v);
	size_t i, j;
	int bad = 0;

	/* A wrong pools: is reported here: quorum_checked spares the object
	 * a second error that its quorum exceeds the default single pool. */
	if (config_objects_list(o, v, prefix, "pools", "a list of pool names",
	    &p->pools) < 0) {
		p->quorum_checked = 1;
		return;
	}
	p->pools_mark = m;
	if (p->pools.n == 0) {
		config_error(ld, &m, "%spools: expected at least one pool name",
		    prefix);
		p->quorum_checked = 1;
		return;
	}
	for (i = 0; i < p->pools.n; i++) {
		if (!config_pool_name_ok(p->pools.v[i])) {
			/* Pools are AMQP routing keys: '#', '*' would match others. */
			config_error(ld, &p->pools.m[i], "%spools: %s is not a pool "
			    "name (expected letters, digits, '_', '.' and '-')",
			    prefix, config_quote(ld, p->pools.v[i]));
			bad = 1;
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(p->pools.v[i], p->pools.v[j]) == 0)
				break;
		if (j < i) {
			config_error(ld, &p->pools.m[i], "%spools: %s is listed "
			    "twice", prefix, config_quote(ld, p->pools.v[i]));
			bad = 1;
		}
	}
	if (!bad)
		p->set |= CONFIG_P_POOLS;
	else
		p->quorum_checked = 1;
}

static void
objs_props_parse(struct config_objects *o, yaml_node_t *map, unsigned where,
    const char *prefix, struct config_props *p, struct objs_extra *x)
{
	struct config_loader *ld = o->ld;
	struct config_keyseen seen;
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	struct cfg_mark m;
	const char *key;
	int idx;

	memset(p, 0, sizeof(*p));
	if (x != NULL)
		memset(x, 0, sizeof(*x));
	if (config_map(ld, map, prefix, NULL, "a map of settings") <= 0)
		return;
	memset(&seen, 0, sizeof(seen));
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		v = config_node(ld, pair->value);
		idx = config_key(ld, objs_keys, OBJS_NKEYS, where,
		    objs_where_name(where), k, &seen, prefix);
		if (idx < 0)
			continue;
		key = objs_keys[idx].name;
		switch ((enum objs_key_id)objs_keys[idx].id) {
		case K_COMMAND:
		case K_CHECK:
			if (seen.bits & (1u << K_COMMAND) &&
			    seen.bits & (1u << K_CHECK)) {
				m = config_mark(ld, k);
				config_error(ld, &m, "%s%s: \"command\" and \"check\" "
				    "are the same key; give one", prefix, key);
				break;
			}
			objs_command_ref(o, v, prefix, key, p);
			break;
		case K_INTERVAL:
			if (config_duration(ld, v, prefix, key, &p->interval) == 0)
				p->set |= CONFIG_P_INTERVAL;
			break;
		case K_RETRY_INTERVAL:
			if (config_duration(ld, v, prefix, key,
			    &p->retry_interval) == 0)
				p->set |= CONFIG_P_RETRY_INTERVAL;
			break;
		case K_MAX_ATTEMPTS:
			if (config_int(ld, v, prefix, key, 1, &p->max_attempts) == 0)
				p->set |= CONFIG_P_MAX_ATTEMPTS;
			break;
		case K_TIMEOUT:
			if (config_duration(ld, v, prefix, key, &p->timeout) == 0)
				p->set |= CONFIG_P_TIMEOUT;
			break;
		case K_POOLS:
			objs_pools(o, v, prefix, p);
			break;
		case K_QUORUM:
			/* At most the number of pools: pass 2, once both are
			 * known (either may come from a template). */
			p->quorum_mark = config_mark(ld, v);
			if (config_int(ld, v, prefix, key, 1, &p->quorum) == 0)
				p->set |= CONFIG_P_QUORUM;
			break;
		case K_ACTIVE:
			if (config_bool(ld, v, prefix, key, &p->active) == 0)
				p->set |= CONFIG_P_ACTIVE;
			break;
		case K_PASSIVE:
			if (config_bool(ld, v, prefix, key, &p->passive) == 0)
				p->set |= CONFIG_P_PASSIVE;
			break;
		case K_VARS:
			if (config_objects_vars(o, v, prefix, &p->vars) == 0)
				p->set |= CONFIG_P_VARS;
			break;
		case K_USE:
			if (!config_is_null(v))
				config_objects_list(o, v, prefix, key, "a template name or "
				    "a list of them", &p->use);
			break;
		case K_ADDRESS:
			if ((p->address = config_string(ld, v, prefix, key, 1)))
				p->set |= CONFIG_P_ADDRESS;
			break;
		case K_ALIAS:
			if ((p->alias = config_string(ld, v, prefix, key, 1)))
				p->set |= CONFIG_P_ALIAS;
			break;
		case K_PARENTS:
			if (config_is_null(v) || config_objects_list(o, v, prefix, key,
			    "a list of host names", &p->parents) == 0)
				p->set |= CONFIG_P_PARENTS;
			break;
		case K_SERVICES:
			x->services = v;
			break;
		case K_HOST:
			x->host_mark = config_mark(ld, v);
			x->host = config_string(ld, v, prefix, key, 1);
			break;
		case K_NAME:
			x->name = objs_name(o, v, prefix, "service", 0);
			break;
		case K_GROUPS:
			if (config_objects_names(o, v, prefix, key, "group", &p->groups) == 0)
				p->set |= CONFIG_P_GROUPS;
			break;
		case K_TIMEOUT_STATE:
			if (objs_state(o, v, where, prefix, key,
			    &p->timeout_state) == 0)
				p->set |= CONFIG_P_TIMEOUT_STATE;
			break;
		case K_STALE_STATE:
			if (objs_state(o, v, where, prefix, key,
			    &p->stale_state) == 0)
				p->set |= CONFIG_P_STALE_STATE;
			break;
		case K_FRESHNESS:
			if (config_duration_or_zero(ld, v, prefix, key,
			    &p->freshness_threshold) == 0)
				p->set |= CONFIG_P_FRESHNESS;
			break;
		case K_FLAP_DETECTION:
			if (config_bool(ld, v, prefix, key, &p->flap_detection) == 0)
				p->set |= CONFIG_P_FLAP_DETECTION;
			break;
		case K_LOW_FLAP:
			p->low_flap.mark = config_mark(ld, v);
			if (config_percent(ld, v, prefix, key, &p->low_flap.v) == 0)
				p->set |= CONFIG_P_LOW_FLAP;
			break;
		case K_HIGH_FLAP:
			p->high_flap.mark = config_mark(ld, v);
			if (config_percent(ld, v, prefix, key, &p->high_flap.v) == 0)
				p->set |= CONFIG_P_HIGH_FLAP;
			break;
		case K_DEBOUNCE:
			if (config_int(ld, v, prefix, key, 0, &p->debounce) == 0)
				p->set |= CONFIG_P_DEBOUNCE;
			break;
		case K_IS_VOLATILE:
			if (config_bool(ld, v, prefix, key, &p->is_volatile) == 0)
				p->set |= CONFIG_P_IS_VOLATILE;
			break;
		case K_CHECK_PERIOD:
			/* Whether it exists is pass 2's question. */
			p->check_period_mark = config_mark(ld, v);
			if ((p->check_period = config_string(ld, v, prefix, key, 1)))
				p->set |= CONFIG_P_CHECK_PERIOD;
			break;
		case K_NOTIFY:
			/* notify: [] is nobody, also against a template's. */
			if (config_objects_names(o, v, prefix, key,
			    "contact or contact group", &p->notify) == 0)
				p->set |= CONFIG_P_NOTIFY;
			break;
		case K_NOTIFY_ON:
			if (config_notify_on(o, v, where == W_HOST ?
			    CONFIG_NOTIFY_HOST : where == W_TMPL ? CONFIG_NOTIFY_ANY :
			    CONFIG_NOTIFY_SERVICE, prefix, key, &p->notify_on) == 0)
				p->set |= CONFIG_P_NOTIFY_ON;
			break;
		case K_NOTIFICATION_INTERVAL:
			/* 0: notify once (Nagios). */
			if (config_duration_or_zero(ld, v, prefix, key,
			    &p->notification_interval) == 0)
				p->set |= CONFIG_P_NOTIFICATION_INTERVAL;
			break;
		case K_FIRST_NOTIFICATION_DELAY:
			if (config_duration_or_zero(ld, v, prefix, key,
			    &p->first_notification_delay) == 0)
				p->set |= CONFIG_P_FIRST_NOTIFICATION_DELAY;
			break;
		case K_NOTIFICATION_PERIOD:
			p->notification_period_mark = config_mark(ld, v);
			if ((p->notification_period = config_string(ld, v, prefix,
			    key, 1)))
				p->set |= CONFIG_P_NOTIFICATION_PERIOD;
			break;
		case K_ESCALATIONS:
			if (config_notify_escalations(o, v, prefix, key, p) == 0)
				p->set |= CONFIG_P_ESCALATIONS;
			break;
		}
	}
}

static void
objs_commands(struct config_objects *o, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct config_keyseen seen;
	struct cfg_command *c;
	yaml_node_pair_t *pair, *cp;
	yaml_node_t *k, *v, *argv, *e;
	yaml_node_item_t *it;
	struct cfg_mark m, *f;
	const char *name, *prefix, *s;
	size_t *ip, n, i;
	int timeout, idx, bad;
	char **args;

	if (config_map(ld, map, "", "commands", "a map of command name to "
	    "{argv: [...]}") <= 0)
		return;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		v = config_node(ld, pair->value);
		if ((name = objs_name(o, k, "", "command", 1)) == NULL)
			continue;
		m = config_mark(ld, k);
		if ((ip = config_index_find(&o->cmd_map, name)) != NULL) {
			f = *ip == CONFIG_BROKEN ? NULL : &cfg->commands[*ip].mark;
			if (f != NULL)
				config_error(ld, &m, "command %s is defined twice "
				    "(first at %s:%d:%d)", config_quote(ld, name),
				    f->file, f->line, f->col);
			else
				config_error(ld, &m, "command %s is defined twice",
				    config_quote(ld, name));
			continue;
		}
		prefix = config_arena_printf(&ld->arena, "command %s: ",
		    config_quote(ld, name));
		argv = NULL;
		timeout = 0;
		bad = 0;
		if (v->type == YAML_SEQUENCE_NODE)
			argv = v;
		else if (v->type == YAML_MAPPING_NODE) {
			memset(&seen, 0, sizeof(seen));
			for (cp = v->data.mapping.pairs.start;
			    cp < v->data.mapping.pairs.top; cp++) {
				idx = config_key(ld, objs_cmd_keys, 2, 1, "",
				    config_node(ld, cp->key), &seen, prefix);
				if (idx < 0) {
					bad = 1;
					continue;
				}
				e = config_node(ld, cp->value);
				if (objs_cmd_keys[idx].id == CK_ARGV)
					argv = e;
				else if (config_duration(ld, e, prefix, "timeout",
				    &timeout) < 0)
					bad = 1;
			}
			if (argv == NULL && !bad)
				config_error(ld, &m, "%sargv: missing (expected a "
				    "list like [$PLUGINDIR$/check_ping, -H, "
				    "$HOSTADDRESS$])", prefix);
		} else {
			m = config_mark(ld, v);
			config_error(ld, &m, "%sexpected {argv: [...]} or a list "
			    "of arguments, got %s", prefix, config_what(v));
		}
		if (argv != NULL && argv->type != YAML_SEQUENCE_NODE) {
			e = argv;
			m = config_mark(ld, e);
			config_error(ld, &m, "%sargv: expected a list of arguments, "
			    "got %s", prefix, config_what(e));
			argv = NULL;
		}
		n = argv ? (size_t)(argv->data.sequence.items.top -
		    argv->data.sequence.items.start) : 0;
		if (argv != NULL && n == 0) {
			m = config_mark(ld, argv);
			config_error(ld, &m, "%sargv: expected at least the plugin "
			    "to run", prefix);
			argv = NULL;
		}
		if (argv == NULL || bad) {
			config_index_put(&o->cmd_map, name, CONFIG_BROKEN);
			continue;
		}
		args = xcalloc(n + 1, sizeof(*args));
		for (i = 0, it = argv->data.sequence.items.start; i < n; i++, it++) {
			e = config_node(ld, *it);
			s = config_text(ld, e, prefix, "argv");
			if (s != NULL && i == 0 && *s == '\0') {
				m = config_mark(ld, e);
				config_error(ld, &m, "%sargv: the plugin (first "
				    "element) must not be empty", prefix);
				s = NULL;
			}
			if (s == NULL)
				bad = 1;
			args[i] = xstrdup(s ? s : "");
		}
		if (bad) {
			for (i = 0; i < n; i++)
				free(args[i]);
			free(args);
			config_index_put(&o->cmd_map, name, CONFIG_BROKEN);
			continue;
		}
		xgrow((void **)&cfg->commands, &o->cmds_cap, cfg->ncommands + 1,
		    sizeof(*cfg->commands));
		c = &cfg->commands[cfg->ncommands];
		c->name = xstrdup(name);
		c->argv = args;
		c->argc = n;
		c->timeout = timeout;
		c->mark = config_mark(ld, k);
		config_index_put(&o->cmd_map, c->name, cfg->ncommands++);
	}
}

static void
objs_templates(struct config_objects *o, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	yaml_node_pair_t *pair;
	struct config_tmpl *t;
	struct cfg_mark m;
	const char *name;
	size_t *ip;

	if (config_map(ld, map, "", "templates", "a map of template name to "
	    "settings") <= 0)
		return;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = config_node(ld, pair->key);

		if ((name = objs_name(o, k, "", "template", 0)) == NULL)
			continue;
		m = config_mark(ld, k);
		if ((ip = config_index_find(&o->tmpl_map, name)) != NULL) {
			t = &o->tmpls[*ip];
			config_error(ld, &m, "template %s is defined twice (first "
			    "at %s:%d:%d)", config_quote(ld, name), t->mark.file,
			    t->mark.line, t->mark.col);
			continue;
		}
		xgrow((void **)&o->tmpls, &o->tmpls_cap, o->ntmpls + 1,
		    sizeof(*o->tmpls));
		t = &o->tmpls[o->ntmpls];
		memset(t, 0, sizeof(*t));
		t->name = name;
		t->mark = m;
		t->prefix = config_arena_printf(&ld->arena, "template %s: ",
		    config_quote(ld, name));
		objs_props_parse(o, config_node(ld, pair->value), W_TMPL,
		    t->prefix, &t->own, NULL);
		config_index_put(&o->tmpl_map, name, o->ntmpls++);
	}
}

static void
objs_add_item(struct config_objects *o, int is_host, size_t idx)
{
	xgrow((void **)&o->items, &o->items_cap, o->nitems + 1,
	    sizeof(*o->items));
	o->items[o->nitems].is_host = is_host;
	o->items[o->nitems++].idx = idx;
}

static struct config_rsvc *
objs_new_svc(struct config_objects *o)
{
	struct config_rsvc *s;

	xgrow((void **)&o->svcs, &o->svcs_cap, o->nsvcs + 1, sizeof(*o->svcs));
	s = &o->svcs[o->nsvcs];
	memset(s, 0, sizeof(*s));
	s->inline_host = -1;
	objs_add_item(o, 0, o->nsvcs++);
	return s;
}

static void
objs_inline_services(struct config_objects *o, size_t hi, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rhost *h = &o->hosts[hi];
	yaml_node_pair_t *pair;
	struct config_rsvc *s;
	const char *desc, *hprefix = h->prefix;

	if (config_map(ld, map, hprefix, "services", "a map of service name "
	    "to service settings") <= 0)
		return;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = config_node(ld, pair->key);

		if ((desc = objs_name(o, k, hprefix, "service", 0)) == NULL)
			continue;
		s = objs_new_svc(o);
		h = &o->hosts[hi];
		s->host = h->name;
		s->desc = desc;
		s->mark = config_mark(ld, k);
		s->skip = h->skip;
		s->inline_host = (int)hi;
		s->prefix = config_arena_printf(&ld->arena, "service %s: ",
		    config_quote(ld, config_arena_printf(&ld->arena, "%s/%s",
		    h->name, desc)));
		objs_props_parse(o, config_node(ld, pair->value), W_ISVC,
		    s->prefix, &s->p, NULL);
	}
}

void *
config_objects_named(struct config_objects *o, yaml_node_t *k,
    const struct config_objects_kind *kind)
{
	struct config_loader *ld = o->ld;
	void **arr = (void **)((char *)o + kind->off_arr);
	size_t *n = (size_t *)((char *)o + kind->off_n);
	size_t *cap = (size_t *)((char *)o + kind->off_cap);
	struct config_index *map = (struct config_index *)((char *)o +
	    kind->off_index);
	struct cfg_mark m;
	const char *name;
	char *el;
	size_t *ip, i;

	/* Strict names: they go where host names go (URLs, routing keys). */
	if ((name = objs_name(o, k, "", kind->what, 1)) == NULL)
		return NULL;
	m = config_mark(ld, k);
	xgrow(arr, cap, *n + 1, kind->size);
	i = (*n)++;
	el = (char *)*arr + i * kind->size;
	memset(el, 0, kind->size);
	*(const char **)(el + kind->off_name) = name;
	*(struct cfg_mark *)(el + kind->off_mark) = m;
	*(const char **)(el + kind->off_prefix) = config_arena_printf(&ld->arena,
	    "%s %s: ", kind->what, config_quote(ld, name));
	if ((ip = config_index_find(map, name)) != NULL) {
		const struct cfg_mark *f = (const struct cfg_mark *)((char *)*arr +
		    *ip * kind->size + kind->off_mark);

		config_error(ld, &m, "%s %s is defined twice (first at %s:%d:%d)",
		    kind->what, config_quote(ld, name), f->file, f->line, f->col);
		*(int *)(el + kind->off_skip) = 1;
	} else
		config_index_put(map, name, i);
	return el;
}

void
config_objects_walk(struct config_objects *o, yaml_node_t *map,
    const struct config_objects_kind *kind)
{
	struct config_loader *ld = o->ld;
	yaml_node_pair_t *pair;
	void *el;

	if (config_map(ld, map, "", kind->key, kind->expected) <= 0)
		return;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++)
		if ((el = config_objects_named(o, config_node(ld, pair->key),
		    kind)) != NULL)
			kind->body(o, el, config_node(ld, pair->value));
}

static void
objs_host_body(struct config_objects *o, void *el, yaml_node_t *v)
{
	struct config_rhost *h = el;
	size_t hi = (size_t)(h - o->hosts);
	struct objs_extra x;

	objs_add_item(o, 1, hi);
	objs_props_parse(o, v, W_HOST, h->prefix, &h->p, &x);
	if (x.services != NULL)
		objs_inline_services(o, hi, x.services);
}

static const struct config_objects_kind host_kind = CONFIG_OBJECTS_KIND("host",
    "hosts", "a map of host name to host settings", struct config_rhost,
    hosts, host_map, objs_host_body);

static void
objs_services(struct config_objects *o, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	yaml_node_pair_t *pair, *sp;
	struct objs_extra x;
	struct config_rsvc *s;
	const char *id, *host, *desc, *prefix, *kn;
	yaml_node_t *k, *v, *kv, *sv;

	if (config_map(ld, map, "", "services", "a map of service id to "
	    "service settings") <= 0)
		return;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		v = config_node(ld, pair->value);
		if ((id = objs_name(o, k, "", "service", 0)) == NULL)
			continue;
		/* Name it "host/name" in messages if both are plain strings. */
		host = NULL;
		desc = id;
		if (v->type == YAML_MAPPING_NODE) {
			for (sp = v->data.mapping.pairs.start;
			    sp < v->data.mapping.pairs.top; sp++) {
				kv = config_node(ld, sp->key);
				sv = config_node(ld, sp->value);
				if (kv->type != YAML_SCALAR_NODE ||
				    sv->type != YAML_SCALAR_NODE)
					continue;
				kn = (const char *)kv->data.scalar.value;
				if (strcmp(kn, "host") == 0)
					host = (const char *)sv->data.scalar.value;
				else if (strcmp(kn, "name") == 0)
					desc = (const char *)sv->data.scalar.value;
			}
		}
		prefix = config_arena_printf(&ld->arena, "service %s: ",
		    config_quote(ld, host ? config_arena_printf(&ld->arena,
		    "%s/%s", host, desc) : id));
		s = objs_new_svc(o);
		s->mark = config_mark(ld, k);
		s->prefix = prefix;
		objs_props_parse(o, v, W_SVC, prefix, &s->p, &x);
		s->desc = x.name ? x.name : id;
		s->host = x.host;
		s->host_mark = x.host_mark;
		if (s->host == NULL) {
			s->skip = 1;
			/* A wrong host: value is reported already. */
			if (host == NULL && (v->type == YAML_MAPPING_NODE ||
			    config_is_null(v)))
				config_error(ld, &s->mark, "%shost: missing (expected "
				    "the name of the host it runs on)", prefix);
		}
	}
}

/*
 * Why pattern can never be a useful glob, or NULL. glibc's fnmatch takes
 * a '[' never closed literally and never matches a trailing lone '\':
 * both are typos, not intentions. A host name has no '/', so a '/'
 * outside brackets in a host pattern can never match.
 */
static const char *
objs_glob_problem(const char *p, int host)
{
	static const char *const classes[] = {
		"alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower",
		"print", "punct", "space", "upper", "xdigit",
	};
	const char *q, *end;
	size_t i, n;
	int escaped;

	for (; *p != '\0'; p++) {
		/* An escaped character stands for itself, '/' included. */
		escaped = *p == '\\';
		if (escaped && *++p == '\0')
			return "ends in a lone '\\' (write \\\\ for a literal one)";
		if (host && *p == '/')
			return "can never match a host name (host names have no "
			    "'/'; services: takes \"host/service\" patterns)";
		if (escaped || *p != '[')
			continue;
		q = p + 1;
		if (*q == '!' || *q == '^')
			q++;
		if (*q == ']')		/* first in the set: a literal ']' */
			q++;
		for (; *q != ']'; q++) {
			if (*q == '\0')
				return "has a '[' without its closing ']' (write "
				    "\\[ for a literal '[')";
			if (*q == '\\' && q[1] != '\0') {
				q++;
				continue;
			}
			if (q[0] != '[' || q[1] != ':')
				continue;
			if ((end = strstr(q + 2, ":]")) == NULL)
				return "has a '[' without its closing ']' (write "
				    "\\[ for a literal '[')";
			n = (size_t)(end - (q + 2));
			for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
				if (strlen(classes[i]) == n &&
				    strncmp(classes[i], q + 2, n) == 0)
					break;
			if (i == sizeof(classes) / sizeof(classes[0]))
				return "names an unknown character class (expected "
				    "[:alpha:], [:digit:], [:alnum:] ...)";
			q = end + 1;
		}
		p = q;
	}
	return NULL;
}

/* hosts: or services: of a group, each pattern checked. 0 or -1. */
static int
objs_patterns(struct config_objects *o, yaml_node_t *v, const char *prefix,
    const char *key, int host, struct config_strs *out)
{
	struct config_loader *ld = o->ld;
	const char *why;
	size_t i;
	int bad = 0;

	if (config_is_null(v))
		return 0;
	if (config_objects_list(o, v, prefix, key, host ? "a list of host name patterns" :
	    "a list of \"host/service\" patterns", out) < 0)
		return -1;
	for (i = 0; i < out->n; i++) {
		if ((why = objs_glob_problem(out->v[i], host)) == NULL)
			continue;
		config_error(ld, &out->m[i], "%s%s: pattern %s %s", prefix, key,
		    config_quote(ld, out->v[i]), why);
		bad = 1;
	}
	return bad ? -1 : 0;
}

static void
objs_group_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rgroup *g = el;
	struct config_keyseen seen;
	yaml_node_pair_t *pair;
	yaml_node_t *v;
	int idx;

	if (config_map(ld, map, g->prefix, NULL, "a map of settings (title, "
	    "parents, hosts, services)") <= 0)
		return;
	memset(&seen, 0, sizeof(seen));
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		idx = config_key(ld, objs_group_keys, OBJS_NGROUP_KEYS, 1,
		    "a group", config_node(ld, pair->key), &seen, g->prefix);
		if (idx < 0)
			continue;
		v = config_node(ld, pair->value);
		switch ((enum objs_group_key_id)objs_group_keys[idx].id) {
		case GK_TITLE:
			g->title = config_string(ld, v, g->prefix, "title", 1);
			break;
		case GK_PARENTS:
			config_objects_names(o, v, g->prefix, "parents", "group",
			    &g->parents);
			break;
		case GK_HOSTS:
			objs_patterns(o, v, g->prefix, "hosts", 1,
			    &g->host_patterns);
			break;
		case GK_SERVICES:
			objs_patterns(o, v, g->prefix, "services", 0,
			    &g->service_patterns);
			break;
		}
	}
}

static const struct config_objects_kind group_kind = CONFIG_OBJECTS_KIND(
    "group", "groups", "a map of group name to group settings",
    struct config_rgroup, groups, group_map, objs_group_body);

/*
 * A timeperiod's days. `all` gives every day its ranges but the days that
 * have their own key, whatever the order: the more specific key wins.
 */
static void
objs_period_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rperiod *r = el;
	struct config_keyseen seen;
	yaml_node_pair_t *pair;
	yaml_node_t *v;
	struct cfg_mark m;
	const char *key, *text;
	unsigned own = 0, days;
	char err[256];
	int idx, id;

	r->tp = timeperiod_new();
	/* Nothing: a timeperiod that is never (Nagios "none"). */
	if (config_map(ld, map, r->prefix, NULL, "a map of days (monday: "
	    "\"09:00-17:00\", all: ..., exclude: [...])") <= 0)
		return;
	memset(&seen, 0, sizeof(seen));
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		idx = config_key(ld, objs_period_keys, OBJS_NPERIOD_KEYS, 1,
		    "a timeperiod", config_node(ld, pair->key), &seen, r->prefix);
		if (idx < 0)
			continue;
		v = config_node(ld, pair->value);
		key = objs_period_keys[idx].name;
		id = objs_period_keys[idx].id;
		if (id == PK_EXCLUDE) {
			config_objects_names(o, v, r->prefix, key, "timeperiod", &r->exclude);
			continue;
		}
		m = config_mark(ld, v);
		if (config_is_null(v))
			text = "";
		else if ((text = config_text(ld, v, r->prefix, key)) == NULL)
			continue;
		if (id == PK_ALL)
			days = TIMEPERIOD_EVERY_DAY & ~own;
		else
			own |= days = 1u << id;
		if (timeperiod_parse_day(text, r->tp, days, err, sizeof(err)) < 0)
			config_error(ld, &m, "%s%s: %s", r->prefix, key, err);
	}
}

static const struct config_objects_kind period_kind = CONFIG_OBJECTS_KIND(
    "timeperiod", "timeperiods", "a map of timeperiod name to days",
    struct config_rperiod, periods, period_map, objs_period_body);

void
config_objects_file(struct config_objects *o, yaml_node_t *root)
{
	static const char *const tops[] = {
		"commands", "templates", "hosts", "services", "groups",
		"timeperiods", "contacts", "contact_groups",
	};
#define NTOPS (sizeof(tops) / sizeof(tops[0]))
	struct config_loader *ld = o->ld;
	struct cfg_mark m, first[NTOPS];
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	const char *name;
	unsigned seen = 0;
	size_t i;

	if (config_is_null(root))
		return;
	if (root->type != YAML_MAPPING_NODE) {
		m = config_mark(ld, root);
		config_error(ld, &m, "expected a map with commands, templates, "
		    "hosts, services, groups, timeperiods, contacts or "
		    "contact_groups, got %s", config_what(root));
		return;
	}
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		v = config_node(ld, pair->value);
		m = config_mark(ld, k);
		name = k->type == YAML_SCALAR_NODE ?
		    (const char *)k->data.scalar.value : "";
		for (i = 0; i < NTOPS; i++)
			if (strcmp(name, tops[i]) == 0)
				break;
		if (i == NTOPS) {
			config_error(ld, &m, "unknown top-level key %s (expected "
			    "commands, templates, hosts, services, groups, "
			    "timeperiods, contacts, contact_groups)",
			    k->type == YAML_SCALAR_NODE ? config_quote(ld, name) :
			    config_what(k));
			continue;
		}
		if (seen & (1u << i)) {
			config_error(ld, &m, "key \"%s\" is given twice (first at "
			    "%s:%d:%d)", name, first[i].file, first[i].line,
			    first[i].col);
			continue;
		}
		seen |= 1u << i;
		first[i] = m;
		switch (i) {
		case 0:
			objs_commands(o, v);
			break;
		case 1:
			objs_templates(o, v);
			break;
		case 2:
			config_objects_walk(o, v, &host_kind);
			break;
		case 3:
			objs_services(o, v);
			break;
		case 4:
			config_objects_walk(o, v, &group_kind);
			break;
		case 5:
			config_objects_walk(o, v, &period_kind);
			break;
		case 6:
			config_objects_walk(o, v, &config_notify_contact_kind);
			break;
		default:
			config_objects_walk(o, v, &config_notify_group_kind);
			break;
		}
	}
#undef NTOPS
}

/* ---- public (to config.c) ------------------------------------------- */

struct config_objects *
config_objects_new(struct config_loader *ld)
{
	struct config_objects *o = xcalloc(1, sizeof(*o));

	o->ld = ld;
	o->cfg = ld->cfg;
	return o;
}

void
config_objects_free(struct config_objects *o)
{
	size_t i;

	if (o == NULL)
		return;
	free(o->tmpls);
	free(o->hosts);
	free(o->svcs);
	free(o->groups);
	/* Timeperiods not moved to cfg (skipped, or a load cut short). */
	for (i = 0; i < o->nperiods; i++)
		timeperiod_free(o->periods[i].tp);
	free(o->periods);
	free(o->items);
	free(o->cmd_map.v);
	free(o->tmpl_map.v);
	free(o->host_map.v);
	free(o->svc_map.v);
	free(o->group_map.v);
	free(o->period_map.v);
	free(o->rcontacts);
	free(o->rcgroups);
	free(o->contact_map.v);
	free(o->contact_group_map.v);
	free(o->stack);
	free(o);
}
