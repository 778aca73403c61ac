/*
 * NAME
 *	keys - the check keys of hosts, services and templates, declared once
 * DESCRIPTION
 *	config_check_keys[] is the one table of the keys an object that runs
 *	a check takes (a host, a service under its host or standalone, a
 *	template): for each, its name, the contexts it is allowed in, its
 *	type, its member of struct config_props (and where its place is
 *	kept), its CONFIG_P_* bit if `use:` inherits it, whether a service
 *	takes its host's when it sets none (Nagios's implied inheritance),
 *	and, if struct cfg_check has it as a plain number, that member and
 *	its default. Everything here is driven by the table:
 *	  config_props_read()	parsing, through config_fields_read()
 *				(fields.c), with the same messages for every
 *				key; two names of one key (command, check)
 *				are one key;
 *	  config_props_inherit()	`use:`: the object's own keys win, then
 *				the first template that sets a key (checks.c
 *				walks the templates); each value is taken
 *				whole, but vars, which merge one by one;
 *	  config_props_implied()	a service's notify,
 *				notification_interval, notification_period
 *				from its host;
 *	  config_props_to_check()	the values into struct cfg_check, or
 *				the defaults.
 *	What a table cannot say stays code, next to what it is about: pairs
 *	checked across keys (low < high flap thresholds, quorum <= pools:
 *	checks.c), the timeout's default (the command's, else 60 s for a
 *	service and 30 s for a host: checks.c), the names a key refers to
 *	(pass 2, in the file of that kind).
 *
 *	Values: timeout_state and stale_state take a state name in any case
 *	or 0-3, UP and DOWN only on hosts and templates; freshness_threshold
 *	is a duration where 0 means "the engine's default"; thresholds are
 *	percentages 0..100; debounce is a whole number >= 0; check_period
 *	names a timeperiod; quorum is a whole number >= 1; pools are AMQP
 *	routing keys. The notification keys' parsers are notify.c's.
 *
 *	Adding a check key: a row here, its member in struct config_props
 *	(config_private.h) and in struct cfg_check (config.h) with its
 *	default in the row, the code that uses it, and a test.
 * DIAGNOSTICS
 *	Through config_error(): every message names the object, then the
 *	key, then what is wrong and what was expected. Unknown keys are
 *	errors, never ignored: a typo must not silently change what is
 *	checked.
 */
#include "config.h"
#include "config_objects.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* State names of timeout_state and stale_state; host ones need a host. */
static const struct {
	const char *name;
	int status;
	int host_only;
} keys_states[] = {
	{ "OK", 0, 0 }, { "WARNING", 1, 0 }, { "CRITICAL", 2, 0 },
	{ "UNKNOWN", 3, 0 }, { "UP", 0, 1 }, { "DOWN", 2, 1 },
};
#define KEYS_NSTATES (sizeof(keys_states) / sizeof(keys_states[0]))

/* ---- the keys' own parsers ------------------------------------------- */

/*
 * timeout_state, stale_state: a state name (any case) or 0-3. UP and DOWN
 * are host states; a template may say them too (a service using it is
 * told in pass 2). 0 or -1.
 */
static int
keys_state(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	struct config_state *out = (struct config_state *)((char *)obj + f->off);
	const char *key = f->name;
	struct cfg_mark m = config_mark(ld, v);
	const char *s, *names[KEYS_NSTATES], *hint, *expected;
	int hosts = (where & (CONFIG_W_HOST | CONFIG_W_TMPL)) != 0;
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
	for (i = 0; i < KEYS_NSTATES; i++)
		if (strcasecmp(s, keys_states[i].name) == 0)
			break;
	if (i < KEYS_NSTATES && keys_states[i].host_only && !hosts) {
		config_error(ld, &m, "%s%s: %s is a host state (expected %s)",
		    prefix, key, config_quote(ld, s), expected);
		return -1;
	}
	if (i < KEYS_NSTATES) {
		out->status = keys_states[i].status;
		out->host_only = keys_states[i].host_only;
		return 0;
	}
	for (i = 0; i < KEYS_NSTATES; i++)
		if (hosts || !keys_states[i].host_only)
			names[n++] = keys_states[i].name;
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
keys_command(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	/* command, check or event_handler: the member and mark the key's */
	struct config_cmdref *ref = (struct config_cmdref *)((char *)obj + f->off);
	struct cfg_mark *rm = (struct cfg_mark *)((char *)obj + f->mark);
	const char *key = f->name;
	struct cfg_mark m = config_mark(ld, v);
	yaml_node_item_t *it;
	yaml_node_t *e;
	const char *s, *label;
	size_t n;
	int bad = 0;

	if (v->type == YAML_SCALAR_NODE) {
		if ((s = config_string(ld, v, prefix, key, 1)) == NULL)
			return -1;
		ref->name = s;
		*rm = m;
		ref->args.n = 0;
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
	ref->name = s;
	*rm = config_mark(ld, e);
	config_strs_alloc(ld, &ref->args, n - 1);
	for (it++; it < v->data.sequence.items.top; it++) {
		e = config_node(ld, *it);
		label = config_arena_printf(&ld->arena, "%s: $ARG%zu$", key,
		    ref->args.n + 1);
		/* An argument is text as written: "~" is a path, not null. */
		if ((s = config_text(ld, e, prefix, label)) == NULL) {
			bad = 1;
			s = "";
		}
		ref->args.m[ref->args.n] = config_mark(ld, e);
		ref->args.v[ref->args.n++] = s;
	}
	if (bad)
		return -1;
	return 0;
}

static int
keys_pools(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	struct config_props *p = obj;
	struct cfg_mark m = config_mark(ld, v);
	size_t i, j;
	int bad = 0;

	/* A wrong pools: is reported here: quorum_checked spares the object
	 * a second error that its quorum exceeds the default single pool. */
	if (config_list(ld, v, prefix, "pools", "a list of pool names",
	    &p->pools) < 0) {
		p->quorum_checked = 1;
		return -1;
	}
	p->pools_mark = m;
	if (p->pools.n == 0) {
		config_error(ld, &m, "%spools: expected at least one pool name",
		    prefix);
		p->quorum_checked = 1;
		return -1;
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
	if (bad)
		p->quorum_checked = 1;
	return bad ? -1 : 0;
}

/*
 * stalking, flap_detection_options: a list of state names (ok, warning,
 * critical, unknown for services; up, down, unreachable for hosts; both in
 * templates), or all: bits 0-3 for a service's states, 4-6 for a host's
 * (CONFIG_STATE_SET_*). [] is none.
 */
static int
keys_state_set(struct config_loader *ld, yaml_node_t *v, const struct config_field *f,
    unsigned where, const char *prefix, void *obj)
{
	static const char *const names[] = { "ok", "warning", "critical", "unknown", "up",
		"down", "unreachable" };
	int *bits = (int *)((char *)obj + f->off), bad = 0;
	struct cfg_mark m = config_mark(ld, v);

	*bits = 0;
	if (v->type == YAML_SCALAR_NODE) {
		const char *s = config_text(ld, v, prefix, f->name);

		if (s != NULL && strcasecmp(s, "all") == 0) {
			*bits = CONFIG_STATE_SET_ALL;
			return 0;
		}
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		config_error(ld, &m, "%s%s: expected a list of states (ok, warning, critical, "
		    "unknown; up, down, unreachable for hosts) or all, got %s", prefix, f->name,
		    config_what(v));
		return -1;
	}
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	    it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = config_node(ld, *it);
		const char *s = config_text(ld, n, prefix, f->name);
		struct cfg_mark nm = config_mark(ld, n);
		size_t k;

		if (s == NULL) {
			bad = 1;
			continue;
		}
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (strcasecmp(s, names[k]) == 0)
				break;
		if (k == sizeof(names) / sizeof(names[0]) ||
		    (k < 4 && where == CONFIG_W_HOST) ||
		    (k >= 4 && (where == CONFIG_W_SVC || where == CONFIG_W_ISVC))) {
			config_error(ld, &nm, "%s%s: %s is not a state of a %s (expected %s)", prefix,
			    f->name, config_quote(ld, s), where == CONFIG_W_HOST ? "host" : "service",
			    where == CONFIG_W_HOST ? "up, down, unreachable" :
			    "ok, warning, critical, unknown");
			bad = 1;
			continue;
		}
		*bits |= 1 << k;
	}
	return bad ? -1 : 0;
}

/* ---- the table ------------------------------------------------------- */

#define KEY(n, w, t, member, b) .name = n, .where = w, .type = t, \
	.off = offsetof(struct config_props, member), \
	.size = sizeof(((struct config_props *)0)->member), .bit = b
#define MARK(member)	.mark = offsetof(struct config_props, member)
#define CHECK(member, d)	.to_check = 1, \
	.ck = offsetof(struct cfg_check, member), .def = d
#define HOSTS	(CONFIG_W_HOST | CONFIG_W_TMPL)

static const struct config_field config_check_keys[] = {
	{ KEY("command", CONFIG_W_ALL, CONFIG_T_OWN, command, CONFIG_P_COMMAND),
	    MARK(command_mark), .parse = keys_command },
	{ KEY("check", CONFIG_W_ALL, CONFIG_T_OWN, command, CONFIG_P_COMMAND),
	    MARK(command_mark), .parse = keys_command },
	{ KEY("interval", CONFIG_W_ALL, CONFIG_T_DURATION, interval,
	    CONFIG_P_INTERVAL), CHECK(interval, 300) },
	{ KEY("retry_interval", CONFIG_W_ALL, CONFIG_T_DURATION, retry_interval,
	    CONFIG_P_RETRY_INTERVAL), CHECK(retry_interval, 60) },
	{ KEY("max_attempts", CONFIG_W_ALL, CONFIG_T_INT, max_attempts,
	    CONFIG_P_MAX_ATTEMPTS), .arg = 1, CHECK(max_attempts, 3) },
	/* Default: the command's, else 60 s (services), 30 s (hosts). */
	{ KEY("timeout", CONFIG_W_ALL, CONFIG_T_DURATION, timeout,
	    CONFIG_P_TIMEOUT) },
	/* Default: the worker's pool (vigil.yaml worker.pool). */
	{ KEY("pools", CONFIG_W_ALL, CONFIG_T_OWN, pools, CONFIG_P_POOLS),
	    MARK(pools_mark), .parse = keys_pools },
	{ KEY("quorum", CONFIG_W_ALL, CONFIG_T_INT, quorum, CONFIG_P_QUORUM),
	    MARK(quorum_mark), .arg = 1, CHECK(quorum, 1) },
	{ KEY("active", CONFIG_W_ALL, CONFIG_T_BOOL, active, CONFIG_P_ACTIVE),
	    CHECK(active, 1) },
	{ KEY("passive", CONFIG_W_ALL, CONFIG_T_BOOL, passive, CONFIG_P_PASSIVE),
	    CHECK(passive, 1) },
	{ KEY("vars", CONFIG_W_ALL, CONFIG_T_VARS, vars, CONFIG_P_VARS),
	    .flags = CONFIG_F_MERGE },
	{ KEY("use", CONFIG_W_ALL, CONFIG_T_LIST, use, 0),
	    .what = "a template name or a list of them" },
	{ KEY("address", HOSTS, CONFIG_T_STRING, address, CONFIG_P_ADDRESS) },
	{ KEY("alias", HOSTS, CONFIG_T_STRING, alias, CONFIG_P_ALIAS) },
	{ KEY("parents", HOSTS, CONFIG_T_LIST, parents, CONFIG_P_PARENTS),
	    .what = "a list of host names" },
	/* Apply rules a host is left out of (rules.c checks the names). */
	{ KEY("skip_apply", HOSTS, CONFIG_T_LIST, skip_apply,
	    CONFIG_P_SKIP_APPLY),
	    .what = "a list of apply rule names or \"rule/service\"" },
	{ .name = "services", .where = CONFIG_W_HOST, .type = CONFIG_T_NONE },
	{ .name = "host", .where = CONFIG_W_SVC, .type = CONFIG_T_NONE },
	{ .name = "name", .where = CONFIG_W_SVC, .type = CONFIG_T_NONE },
	/* An object's own list replaces its templates' (a Nagios
	 * hostgroups without '+'); a host check has none. */
	{ KEY("groups", CONFIG_W_ALL, CONFIG_T_NAMES, groups, CONFIG_P_GROUPS),
	    .what = "group" },
	{ KEY("timeout_state", CONFIG_W_ALL, CONFIG_T_OWN, timeout_state,
	    CONFIG_P_TIMEOUT_STATE), .parse = keys_state,
	    CHECK(timeout_state, 2) },		/* CRITICAL, as Nagios */
	/* 0: the engine's default (interval + 15 s). */
	{ KEY("freshness_threshold", CONFIG_W_ALL, CONFIG_T_DURATION0,
	    freshness_threshold, CONFIG_P_FRESHNESS),
	    CHECK(freshness_threshold, 0) },
	/* Nagios's check_freshness: off unless said (or a threshold is). */
	{ KEY("freshness", CONFIG_W_ALL, CONFIG_T_BOOL, freshness, CONFIG_P_FRESHNESS_ON),
	    CHECK(freshness, 0) },
	{ KEY("stale_state", CONFIG_W_ALL, CONFIG_T_OWN, stale_state,
	    CONFIG_P_STALE_STATE), .parse = keys_state,
	    CHECK(stale_state, 3) },		/* UNKNOWN */
	{ KEY("flap_detection", CONFIG_W_ALL, CONFIG_T_BOOL, flap_detection,
	    CONFIG_P_FLAP_DETECTION), CHECK(flap_detection, 1) },
	/* Nagios's flap_detection_options: the states flap detection counts */
	{ KEY("flap_detection_options", CONFIG_W_ALL, CONFIG_T_OWN, flap_options,
	    CONFIG_P_FLAP_OPTIONS), .parse = keys_state_set,
	    CHECK(flap_detection_options, CONFIG_STATE_SET_ALL) },
	/* Nagios's stalking_options: a new output in these states is history */
	{ KEY("stalking", CONFIG_W_ALL, CONFIG_T_OWN, stalking, CONFIG_P_STALKING),
	    .parse = keys_state_set, CHECK(stalking, 0) },
	{ KEY("low_flap_threshold", CONFIG_W_ALL, CONFIG_T_PERCENT, low_flap,
	    CONFIG_P_LOW_FLAP), MARK(low_flap.mark),
	    CHECK(low_flap_threshold, 20.0) },	/* percent, as Nagios */
	{ KEY("high_flap_threshold", CONFIG_W_ALL, CONFIG_T_PERCENT, high_flap,
	    CONFIG_P_HIGH_FLAP), MARK(high_flap.mark),
	    CHECK(high_flap_threshold, 30.0) },
	{ KEY("debounce", CONFIG_W_ALL, CONFIG_T_INT, debounce,
	    CONFIG_P_DEBOUNCE), .arg = 0, CHECK(debounce, 0) },
	{ KEY("is_volatile", CONFIG_W_ALL, CONFIG_T_BOOL, is_volatile,
	    CONFIG_P_IS_VOLATILE), CHECK(is_volatile, 0) },
	/* A timeperiod, found in pass 2; none: always. */
	{ KEY("check_period", CONFIG_W_ALL, CONFIG_T_STRING, check_period,
	    CONFIG_P_CHECK_PERIOD), MARK(check_period_mark) },
	/* notify: [] is nobody, also against a template's or the host's. */
	{ KEY("notify", CONFIG_W_ALL, CONFIG_T_NAMES, notify, CONFIG_P_NOTIFY),
	    .what = "contact or contact group", .flags = CONFIG_F_IMPLIED },
	{ KEY("notify_on", CONFIG_W_ALL, CONFIG_T_OWN, notify_on,
	    CONFIG_P_NOTIFY_ON), .parse = config_notify_on_key,
	    CHECK(notify_on, NOTIFY_ON_ALL) },
	/* false: the check notifies nobody (Nagios; not taken from the host). */
	{ KEY("notifications_enabled", CONFIG_W_ALL, CONFIG_T_BOOL,
	    notifications_enabled, CONFIG_P_NOTIFICATIONS_ENABLED),
	    CHECK(notifications_enabled, 1) },
	/* 0: notify once (Nagios). */
	{ KEY("notification_interval", CONFIG_W_ALL, CONFIG_T_DURATION0,
	    notification_interval, CONFIG_P_NOTIFICATION_INTERVAL),
	    .flags = CONFIG_F_IMPLIED, CHECK(notification_interval, 1800) },
	{ KEY("first_notification_delay", CONFIG_W_ALL, CONFIG_T_DURATION0,
	    first_notification_delay, CONFIG_P_FIRST_NOTIFICATION_DELAY),
	    CHECK(first_notification_delay, 0) },
	{ KEY("notification_period", CONFIG_W_ALL, CONFIG_T_STRING,
	    notification_period, CONFIG_P_NOTIFICATION_PERIOD),
	    MARK(notification_period_mark), .flags = CONFIG_F_IMPLIED },
	/* A list is one value: an object's own replaces its template's. */
	{ KEY("escalations", CONFIG_W_ALL, CONFIG_T_OWN, escalations,
	    CONFIG_P_ESCALATIONS), .parse = config_notify_escalations_key },
	/* Nagios's event_handler: a host's is its own (not implied). */
	{ KEY("event_handler", CONFIG_W_ALL, CONFIG_T_OWN, event_handler,
	    CONFIG_P_EVENT_HANDLER), MARK(event_handler_mark), .parse = keys_command },
	{ KEY("event_handler_enabled", CONFIG_W_ALL, CONFIG_T_BOOL,
	    event_handler_enabled, CONFIG_P_EVENT_HANDLER_ENABLED),
	    CHECK(event_handler_enabled, 1) },
	{ KEY("event_handler_in_downtime", CONFIG_W_ALL, CONFIG_T_BOOL,
	    event_handler_in_downtime, CONFIG_P_EVENT_HANDLER_IN_DOWNTIME),
	    CHECK(event_handler_in_downtime, 0) },
};
#define KEYS_N (sizeof(config_check_keys) / sizeof(config_check_keys[0]))

#undef KEY
#undef MARK
#undef CHECK
#undef HOSTS

/* ---- driven by the table --------------------------------------------- */

static const char *
keys_where_name(unsigned where)
{
	switch (where) {
	case CONFIG_W_HOST:
		return "a host";
	case CONFIG_W_ISVC:
		return "a service defined under its host";
	case CONFIG_W_SVC:
		return "a service";
	default:
		return "a template";
	}
}

void
config_props_read(struct config_loader *ld, yaml_node_t *map, unsigned where,
    const char *prefix, struct config_props *p, struct config_extra *x)
{
	struct config_read rd;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (x != NULL)
		memset(x, 0, sizeof(*x));
	if (config_map(ld, map, prefix, NULL, "a map of settings") <= 0)
		return;
	config_fields_read(ld, map, config_check_keys, KEYS_N, where,
	    keys_where_name(where), prefix, p, &rd);
	for (i = 0; i < KEYS_N; i++) {
		if (rd.ok & ((uint64_t)1 << i))
			p->set |= config_check_keys[i].bit;
		if (x == NULL || config_check_keys[i].type != CONFIG_T_NONE)
			continue;
		if (strcmp(config_check_keys[i].name, "services") == 0)
			x->services = rd.node[i];
		else if (strcmp(config_check_keys[i].name, "host") == 0)
			x->host = rd.node[i];
		else
			x->name = rd.node[i];
	}
}

/* vars: the first one set wins, one by one (Nagios). */
static void
keys_merge_vars(struct config_loader *ld, struct config_vars *dv,
    const struct config_vars *sv)
{
	struct config_vars nv;
	size_t i, j, n = dv->n + sv->n;

	if (sv->n == 0)
		return;
	nv.name = config_arena_alloc(&ld->arena, n * sizeof(*nv.name));
	nv.value = config_arena_alloc(&ld->arena, n * sizeof(*nv.value));
	nv.m = config_arena_alloc(&ld->arena, n * sizeof(*nv.m));
	memcpy(nv.name, dv->name, dv->n * sizeof(*nv.name));
	memcpy(nv.value, dv->value, dv->n * sizeof(*nv.value));
	memcpy(nv.m, dv->m, dv->n * sizeof(*nv.m));
	nv.n = dv->n;
	for (i = 0; i < sv->n; i++) {
		for (j = 0; j < dv->n; j++)
			if (strcasecmp(dv->name[j], sv->name[i]) == 0)
				break;
		if (j < dv->n)
			continue;
		nv.name[nv.n] = sv->name[i];
		nv.value[nv.n] = sv->value[i];
		nv.m[nv.n++] = sv->m[i];
	}
	*dv = nv;
}

void
config_props_inherit(struct config_loader *ld, struct config_props *dst,
    const struct config_props *src)
{
	uint64_t add = src->set & ~dst->set;
	const struct config_field *f;
	size_t i;

	for (i = 0; i < KEYS_N; i++) {
		f = &config_check_keys[i];
		if (f->bit == 0)
			continue;
		if (add & f->bit) {
			memcpy((char *)dst + f->off, (const char *)src + f->off,
			    f->size);
			if (f->mark != 0)
				memcpy((char *)dst + f->mark, (const char *)src +
				    f->mark, sizeof(struct cfg_mark));
		} else if ((f->flags & CONFIG_F_MERGE) && (src->set & f->bit))
			keys_merge_vars(ld, (struct config_vars *)((char *)dst +
			    f->off), (const struct config_vars *)((const char *)
			    src + f->off));
	}
	/* A pair checked at src stays checked only if it comes whole. */
	if ((add & (CONFIG_P_POOLS | CONFIG_P_QUORUM)) && !dst->quorum_checked)
		dst->quorum_checked = (add & CONFIG_P_POOLS) &&
		    (add & CONFIG_P_QUORUM) && src->quorum_checked;
	if (add & (CONFIG_P_LOW_FLAP | CONFIG_P_HIGH_FLAP))
		dst->flap_checked = (add & CONFIG_P_LOW_FLAP) &&
		    (add & CONFIG_P_HIGH_FLAP) && src->flap_checked;
	dst->set |= add;
	dst->inherited |= add;
}

void
config_props_implied(struct config_loader *ld, struct config_props *p,
    const struct config_props *host)
{
	struct config_props h = *host;
	uint64_t implied = 0;
	size_t i;

	for (i = 0; i < KEYS_N; i++)
		if (config_check_keys[i].flags & CONFIG_F_IMPLIED)
			implied |= config_check_keys[i].bit;
	h.set &= implied;
	config_props_inherit(ld, p, &h);
}

void
config_props_to_check(const struct config_props *p, struct cfg_check *ck)
{
	const struct config_field *f;
	const char *from;
	char *to;
	size_t i;
	int v;

	for (i = 0; i < KEYS_N; i++) {
		f = &config_check_keys[i];
		if (!f->to_check)
			continue;
		to = (char *)ck + f->ck;
		from = p->set & f->bit ? (const char *)p + f->off : NULL;
		if (f->type == CONFIG_T_PERCENT) {
			if (from != NULL)
				memcpy(to, from, sizeof(double));
			else
				*(double *)to = f->def;
			continue;
		}
		/* Every other value starts with its int (a state's status,
		 * a notify_on's bits). */
		if (from != NULL)
			memcpy(&v, from, sizeof(v));
		else
			v = (int)f->def;
		memcpy(to, &v, sizeof(v));
	}
}

double
config_props_default(const char *name)
{
	size_t i;

	for (i = 0; i < KEYS_N; i++)
		if (strcmp(config_check_keys[i].name, name) == 0)
			return config_check_keys[i].def;
	return 0;
}
