/*
 * NAME
 *	config_notify - conf.d contacts, contact groups and the notification
 *	keys of checks
 * DESCRIPTION
 *	Pass 1 (called from config_objects.c, one document at a time):
 *	`contacts:` and `contact_groups:`, read with the walker of named
 *	objects, and a check's notify_on and escalations. Pass 2 (called from
 *	config_resolve.c once every file is read): config_notify_build()
 *	moves contacts and contact groups into cfg, both sorted by name (so
 *	config_find_contact() can search), checks every name they use and
 *	expands nested groups; config_notify_refs() checks the names a
 *	template, host or service uses; config_notify_check() fills a
 *	check's notification fields, with the defaults (SEMANTICS.md
 *	"Notifications"): notify nobody, notify_on all, notification_interval
 *	30m, first_notification_delay 0, always.
 *
 *	Contacts: alias, email, slack, webhook, command, notify_on, period,
 *	vars; at least one channel (email, slack, webhook, command). command
 *	names a `commands:` entry that the notifier runs per notification:
 *	its argv is checked here (notification macros, $_CONTACTvar$ of the
 *	contact's vars, $USERn$, $PLUGINDIR$, $VIGILPLUGINDIR$) and never
 *	expanded, so a command only contacts use is never refused for the
 *	macros that only a notification has. A contact's notify_on takes host
 *	and service names alike: it applies to both.
 *
 *	Contact groups: alias, members (contacts) and groups (nested contact
 *	groups: a DAG, a cycle is an error). notify: names contacts and
 *	contact groups alike, so a name cannot be both.
 *
 *	notify: resolves to contact names, groups expanded, unique, sorted;
 *	notify: [] is nobody (also against a template or the host).
 *	notify_on: "all", "none" or names of config_notify_on_names in any
 *	case; a host takes no service state (warning, critical, unknown), a
 *	service no host state (down, unreachable); a template takes all of
 *	them and a host or service it gives the wrong ones to is told.
 *	escalations: a list of {first, last, notify, interval, period}, as a
 *	whole: an object's own list replaces its template's.
 * DIAGNOSTICS
 *	Through config_error(), at the value written: unknown names suggest
 *	the nearest defined one ("service \"web-01/http\": notify: \"adminn\"
 *	is neither a contact nor a contact group (did you mean \"admin\"?)");
 *	a contact group cycle names every group with its place, as group
 *	cycles do; a name defined twice names both places. A contact without
 *	a channel is reported at its name.
 */
#include "config.h"
#include "config_private.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CNOTIFY_INTERVAL	1800	/* notification_interval default: 30m */
/* engine/notify.h tells escalations apart by one bit each of a uint64_t. */
#define CNOTIFY_ESCALATIONS_MAX	64

/* What a notify_on of each kind of object takes, for messages. */
static const char *const cnotify_on_expected[] = {
	[CONFIG_NOTIFY_ANY] = "warning, critical, unknown, down, unreachable, "
	    "recovery, flapping, downtime, all or none",
	[CONFIG_NOTIFY_HOST] = "down, unreachable, recovery, flapping, downtime, "
	    "all or none",
	[CONFIG_NOTIFY_SERVICE] = "warning, critical, unknown, recovery, "
	    "flapping, downtime, all or none",
};

enum { EK_FIRST, EK_LAST, EK_NOTIFY, EK_INTERVAL, EK_PERIOD };
static const struct config_key cnotify_esc_keys[] = {
	{ "first", EK_FIRST, 1 },
	{ "last", EK_LAST, 1 },
	{ "notify", EK_NOTIFY, 1 },
	{ "interval", EK_INTERVAL, 1 },
	{ "period", EK_PERIOD, 1 },
};
#define CNOTIFY_NESC_KEYS (sizeof(cnotify_esc_keys) / sizeof(cnotify_esc_keys[0]))

enum {
	CTK_ALIAS, CTK_EMAIL, CTK_SLACK, CTK_WEBHOOK, CTK_COMMAND, CTK_NOTIFY_ON,
	CTK_PERIOD, CTK_VARS,
};
static const struct config_key cnotify_contact_keys[] = {
	{ "alias", CTK_ALIAS, 1 },
	{ "email", CTK_EMAIL, 1 },
	{ "slack", CTK_SLACK, 1 },
	{ "webhook", CTK_WEBHOOK, 1 },
	{ "command", CTK_COMMAND, 1 },
	{ "notify_on", CTK_NOTIFY_ON, 1 },
	{ "period", CTK_PERIOD, 1 },
	{ "vars", CTK_VARS, 1 },
};
#define CNOTIFY_NCONTACT_KEYS \
	(sizeof(cnotify_contact_keys) / sizeof(cnotify_contact_keys[0]))

enum { GTK_ALIAS, GTK_MEMBERS, GTK_GROUPS };
static const struct config_key cnotify_group_keys[] = {
	{ "alias", GTK_ALIAS, 1 },
	{ "members", GTK_MEMBERS, 1 },
	{ "groups", GTK_GROUPS, 1 },
};
#define CNOTIFY_NGROUP_KEYS \
	(sizeof(cnotify_group_keys) / sizeof(cnotify_group_keys[0]))

/* ---- pass 1: notify_on and escalations ------------------------------ */

/* Does notify_on name i (config_notify_on_names) fit what? */
static int
cnotify_on_fits(size_t i, int what)
{
	unsigned bit = 1u << i;

	if (what == CONFIG_NOTIFY_HOST)
		return !(bit & (NOTIFY_ON_WARNING | NOTIFY_ON_CRITICAL |
		    NOTIFY_ON_UNKNOWN));
	if (what == CONFIG_NOTIFY_SERVICE)
		return !(bit & (NOTIFY_ON_DOWN | NOTIFY_ON_UNREACHABLE));
	return 1;
}

/* Index of name in config_notify_on_names, any case; -1 if none. */
static int
cnotify_on_index(const char *name)
{
	int i;

	for (i = 0; i < CONFIG_NNOTIFY_ON; i++)
		if (strcasecmp(name, config_notify_on_names[i]) == 0)
			return i;
	return -1;
}

/* A host (what) given a service state or a service given a host state. */
static void
cnotify_on_misfit(struct config_loader *ld, const struct cfg_mark *at,
    const char *prefix, const char *key, const char *name, const char *origin,
    int what)
{
	int host = what == CONFIG_NOTIFY_HOST;

	config_error(ld, at, "%s%s: %s%s is a %s state (a %s takes %s)", prefix,
	    key, config_quote(ld, name), origin, host ? "service" : "host",
	    host ? "host" : "service", cnotify_on_expected[what]);
}

int
config_notify_on(struct config_objects *o, yaml_node_t *v, int what,
    const char *prefix, const char *key, struct config_notify_on *out)
{
	struct config_loader *ld = o->ld;
	const char *names[CONFIG_NNOTIFY_ON + 2], *hint, *s;
	const struct cfg_mark *m;
	unsigned bits = 0;
	size_t i, n = 0;
	char *low, *p;
	int idx, bad = 0;

	memset(out, 0, sizeof(*out));
	/* Nothing, like an empty list: none. */
	if (config_is_null(v))
		return 0;
	if (config_objects_list(o, v, prefix, key, "a list like [critical, "
	    "recovery]", &out->names) < 0)
		return -1;
	for (i = 0; i < CONFIG_NNOTIFY_ON; i++)
		if (cnotify_on_fits(i, what))
			names[n++] = config_notify_on_names[i];
	names[n++] = "all";
	names[n++] = "none";
	for (i = 0; i < out->names.n; i++) {
		s = out->names.v[i];
		m = &out->names.m[i];
		if (strcasecmp(s, "all") == 0 || strcasecmp(s, "none") == 0) {
			if (out->names.n > 1) {
				config_error(ld, m, "%s%s: %s cannot be combined "
				    "with other names", prefix, key,
				    config_quote(ld, s));
				bad = 1;
			} else
				bits = strcasecmp(s, "all") == 0 ? NOTIFY_ON_ALL : 0;
			continue;
		}
		if ((idx = cnotify_on_index(s)) < 0) {
			low = config_arena_strdup(&ld->arena, s);
			for (p = low; *p != '\0'; p++)
				*p = (char)tolower((unsigned char)*p);
			if ((hint = config_suggest(low, names, n)) != NULL)
				config_error(ld, m, "%s%s: %s is not a notification "
				    "kind (did you mean \"%s\"?)", prefix, key,
				    config_quote(ld, s), hint);
			else
				config_error(ld, m, "%s%s: %s is not a notification "
				    "kind (expected %s)", prefix, key,
				    config_quote(ld, s), cnotify_on_expected[what]);
			bad = 1;
		} else if (!cnotify_on_fits((size_t)idx, what)) {
			cnotify_on_misfit(ld, m, prefix, key, s, "", what);
			bad = 1;
		} else if (bits & (1u << idx)) {
			config_error(ld, m, "%s%s: %s is listed twice", prefix, key,
			    config_quote(ld, s));
			bad = 1;
		} else
			bits |= 1u << idx;
	}
	out->bits = bits;
	return bad ? -1 : 0;
}

/* One entry of escalations; prefix ends in "escalations[i]: ". 0 or -1. */
static int
cnotify_escalation(struct config_objects *o, yaml_node_t *map,
    const char *prefix, struct config_resc *e)
{
	struct config_loader *ld = o->ld;
	struct config_keyseen seen;
	yaml_node_pair_t *pair;
	yaml_node_t *v;
	struct cfg_mark last_mark;
	int idx, bad = 0, first_ok = 0, last_ok = 0;

	memset(e, 0, sizeof(*e));
	e->interval = -1;
	e->mark = config_mark(ld, map);
	if (map->type != YAML_MAPPING_NODE) {
		config_error(ld, &e->mark, "%sexpected a map like {first: 3, "
		    "notify: [boss]}, got %s", prefix, config_what(map));
		return -1;
	}
	memset(&seen, 0, sizeof(seen));
	memset(&last_mark, 0, sizeof(last_mark));
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		idx = config_key(ld, cnotify_esc_keys, CNOTIFY_NESC_KEYS, 1,
		    "an escalation", config_node(ld, pair->key), &seen, prefix);
		if (idx < 0) {
			bad = 1;
			continue;
		}
		v = config_node(ld, pair->value);
		switch (cnotify_esc_keys[idx].id) {
		case EK_FIRST:
			first_ok = config_int(ld, v, prefix, "first", 1,
			    &e->first) == 0;
			bad |= !first_ok;
			break;
		case EK_LAST:
			last_mark = config_mark(ld, v);
			last_ok = config_int(ld, v, prefix, "last", 0,
			    &e->last) == 0;
			bad |= !last_ok;
			break;
		case EK_NOTIFY:
			if (config_objects_names(o, v, prefix, "notify",
			    "contact or contact group", &e->notify) < 0)
				bad = 1;
			break;
		case EK_INTERVAL:
			if (config_duration_or_zero(ld, v, prefix, "interval",
			    &e->interval) < 0)
				bad = 1;
			break;
		case EK_PERIOD:
			e->period_mark = config_mark(ld, v);
			if ((e->period = config_string(ld, v, prefix, "period",
			    1)) == NULL)
				bad = 1;
			break;
		}
	}
	/* The table is in id order: a key's seen bit is its id. */
	if (!(seen.bits & (1u << EK_FIRST))) {
		config_error(ld, &e->mark, "%sfirst: missing (expected the number "
		    "of the first notification it applies to, 1 or more)", prefix);
		bad = 1;
	}
	if (!(seen.bits & (1u << EK_NOTIFY))) {
		config_error(ld, &e->mark, "%snotify: missing (expected the "
		    "contacts or contact groups it notifies)", prefix);
		bad = 1;
	}
	if (first_ok && last_ok && e->last != 0 && e->last < e->first) {
		config_error(ld, &last_mark, "%slast: %d is below first %d "
		    "(expected 0 for no end, or at least first)", prefix,
		    e->last, e->first);
		bad = 1;
	}
	return bad ? -1 : 0;
}

int
config_notify_escalations(struct config_objects *o, yaml_node_t *v,
    const char *prefix, const char *key, struct config_props *p)
{
	struct config_loader *ld = o->ld;
	struct cfg_mark m = config_mark(ld, v);
	yaml_node_item_t *it;
	size_t n, i;
	int bad = 0;

	p->escalations = NULL;
	p->nescalations = 0;
	/* None, also against a template's. */
	if (config_is_null(v))
		return 0;
	if (v->type != YAML_SEQUENCE_NODE) {
		config_error(ld, &m, "%s%s: expected a list of {first, last, "
		    "notify, interval, period}, got %s", prefix, key,
		    config_what(v));
		return -1;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > CNOTIFY_ESCALATIONS_MAX) {
		config_error(ld, &m, "%s%s: %zu escalations, at most %d are "
		    "allowed", prefix, key, n, CNOTIFY_ESCALATIONS_MAX);
		return -1;
	}
	p->escalations = config_arena_alloc(&ld->arena,
	    (n ? n : 1) * sizeof(*p->escalations));
	for (i = 0, it = v->data.sequence.items.start; i < n; i++, it++)
		if (cnotify_escalation(o, config_node(ld, *it),
		    config_arena_printf(&ld->arena, "%s%s[%zu]: ", prefix, key,
		    i), &p->escalations[i]) < 0)
			bad = 1;
	p->nescalations = n;
	return bad ? -1 : 0;
}

/* ---- pass 1: contacts and contact groups ---------------------------- */

/* No control characters; no white space either unless spaces_ok. */
static int
cnotify_plain(const char *s, int spaces_ok)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    (!spaces_ok && isspace((unsigned char)*s)))
			return 0;
	return 1;
}

/*
 * A channel's value, or NULL (reported). Addresses end up in SMTP commands
 * and HTTP requests: nothing there may end a line.
 */
static const char *
cnotify_channel(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    int id)
{
	struct cfg_mark m = config_mark(ld, v);
	const char *key = cnotify_contact_keys[id].name, *s, *at;

	if ((s = config_string(ld, v, prefix, key, 1)) == NULL)
		return NULL;
	switch (id) {
	case CTK_EMAIL:
		at = strchr(s, '@');
		if (at != NULL && at != s && at[1] != '\0' &&
		    strchr(at + 1, '@') == NULL && cnotify_plain(s, 0) &&
		    strpbrk(s, "<>,;") == NULL)
			return s;
		config_error(ld, &m, "%s%s: %s is not an email address (expected "
		    "user@domain)", prefix, key, config_quote(ld, s));
		return NULL;
	case CTK_WEBHOOK:
		if ((strncmp(s, "http://", 7) == 0 ||
		    strncmp(s, "https://", 8) == 0) && cnotify_plain(s, 0))
			return s;
		config_error(ld, &m, "%s%s: %s is not a URL (expected http://... "
		    "or https://...)", prefix, key, config_quote(ld, s));
		return NULL;
	default:
		if (cnotify_plain(s, 1))
			return s;
		config_error(ld, &m, "%s%s: %s may not contain control "
		    "characters", prefix, key, config_quote(ld, s));
		return NULL;
	}
}

static void
cnotify_contact_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rcontact *c = el;
	struct config_keyseen seen;
	yaml_node_pair_t *pair;
	yaml_node_t *v;
	const char *s;
	int idx, id, channels = 0, r;

	/* Nothing: no channel, said below. */
	if ((r = config_map(ld, map, c->prefix, NULL, "a map of settings "
	    "(email, slack, webhook, command, notify_on, period ...)")) < 0)
		return;
	memset(&seen, 0, sizeof(seen));
	for (pair = map->data.mapping.pairs.start;
	    r > 0 && pair < map->data.mapping.pairs.top; pair++) {
		idx = config_key(ld, cnotify_contact_keys, CNOTIFY_NCONTACT_KEYS,
		    1, "a contact", config_node(ld, pair->key), &seen, c->prefix);
		if (idx < 0)
			continue;
		v = config_node(ld, pair->value);
		id = cnotify_contact_keys[idx].id;
		switch (id) {
		case CTK_ALIAS:
			c->alias = config_string(ld, v, c->prefix, "alias", 1);
			break;
		case CTK_EMAIL:
		case CTK_SLACK:
		case CTK_WEBHOOK:
			/* A wrong channel is reported: not "no channel" too. */
			channels++;
			s = cnotify_channel(ld, v, c->prefix, id);
			if (id == CTK_EMAIL)
				c->email = s;
			else if (id == CTK_SLACK)
				c->slack = s;
			else
				c->webhook = s;
			break;
		case CTK_COMMAND:
			/* Found in pass 2: it may be defined in a later file. */
			channels++;
			c->command_mark = config_mark(ld, v);
			c->command = config_string(ld, v, c->prefix, "command", 1);
			break;
		case CTK_NOTIFY_ON:
			c->has_notify_on = config_notify_on(o, v, CONFIG_NOTIFY_ANY,
			    c->prefix, "notify_on", &c->notify_on) == 0;
			break;
		case CTK_PERIOD:
			c->period_mark = config_mark(ld, v);
			c->period = config_string(ld, v, c->prefix, "period", 1);
			break;
		case CTK_VARS:
			config_objects_vars(o, v, c->prefix, &c->vars);
			break;
		}
	}
	if (channels == 0)
		config_error(ld, &c->mark, "%sno channel to notify through "
		    "(expected at least one of email, slack, webhook, command)",
		    c->prefix);
}

const struct config_objects_kind config_notify_contact_kind =
    CONFIG_OBJECTS_KIND("contact", "contacts", "a map of contact name to "
    "contact settings", struct config_rcontact, rcontacts, contact_map,
    cnotify_contact_body);

static void
cnotify_group_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rcgroup *g = el;
	struct config_keyseen seen;
	yaml_node_pair_t *pair;
	yaml_node_t *v;
	int idx;

	if (config_map(ld, map, g->prefix, NULL, "a map of settings (alias, "
	    "members, groups)") <= 0)
		return;
	memset(&seen, 0, sizeof(seen));
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		idx = config_key(ld, cnotify_group_keys, CNOTIFY_NGROUP_KEYS, 1,
		    "a contact group", config_node(ld, pair->key), &seen,
		    g->prefix);
		if (idx < 0)
			continue;
		v = config_node(ld, pair->value);
		switch (cnotify_group_keys[idx].id) {
		case GTK_ALIAS:
			g->alias = config_string(ld, v, g->prefix, "alias", 1);
			break;
		case GTK_MEMBERS:
			config_objects_names(o, v, g->prefix, "members", "contact",
			    &g->members);
			break;
		case GTK_GROUPS:
			config_objects_names(o, v, g->prefix, "groups",
			    "contact group", &g->groups);
			break;
		}
	}
}

const struct config_objects_kind config_notify_group_kind =
    CONFIG_OBJECTS_KIND("contact group", "contact_groups", "a map of contact "
    "group name to {members: [...], groups: [...]}", struct config_rcgroup,
    rcgroups, contact_group_map, cnotify_group_body);

/* ---- pass 2 --------------------------------------------------------- */

static int
cnotify_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort v and drop repeated names; the new count. */
static size_t
cnotify_sort_unique(const char **v, size_t n)
{
	size_t i, j = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cnotify_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(v[i], v[j]) != 0)
			v[++j] = v[i];
	return j + 1;
}

/* NULL-terminated heap copy of v[0..n-1], for struct config. */
static char **
cnotify_strv(const char *const *v, size_t n)
{
	char **out = xcalloc(n + 1, sizeof(*out));
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

/* A group of rcgroups by name, NULL if none. */
static struct config_rcgroup *
cnotify_group(struct config_objects *o, const char *name)
{
	size_t *ip = config_index_find(&o->contact_group_map, name);

	return ip != NULL ? &o->rcgroups[*ip] : NULL;
}

/*
 * Report name, which key says is a kind ("contact"; NULL: a contact or a
 * contact group), as undefined, suggesting the nearest of names.
 */
static void
cnotify_undefined(struct config_objects *o, const struct cfg_mark *m,
    const char *prefix, const char *key, const char *kind, const char *name,
    const char *const *names, size_t n)
{
	struct config_loader *ld = o->ld;
	const char *hint = config_suggest(name, names, n), *more = "";

	if (hint != NULL)
		more = config_arena_printf(&ld->arena, " (did you mean \"%s\"?)",
		    hint);
	if (kind != NULL)
		config_error(ld, m, "%s%s: %s %s is not defined%s", prefix, key,
		    kind, config_quote(ld, name), more);
	else
		config_error(ld, m, "%s%s: %s is neither a contact nor a contact "
		    "group%s", prefix, key, config_quote(ld, name), more);
}

/* The names of a notify: list (key) are contacts or contact groups. */
static void
cnotify_check_names(struct config_objects *o, const struct config_strs *s,
    const char *prefix, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (config_index_find(&o->contact_map, s->v[i]) == NULL &&
		    cnotify_group(o, s->v[i]) == NULL)
			cnotify_undefined(o, &s->m[i], prefix, key, NULL,
			    s->v[i], o->notify_names, o->nnotify_names);
}

/*
 * The contacts a notify: list stands for (NULL: none), groups expanded,
 * unique, sorted, in the config's store. Undefined names were reported
 * where they are written.
 */
static char **
cnotify_resolve(struct config_objects *o, const struct config_strs *s,
    size_t *nout)
{
	struct config_loader *ld = o->ld;
	const struct config_rcgroup *g;
	const char **v;
	size_t i, n = 0;

	*nout = 0;
	if (s == NULL)
		return config_store_strv(o->cfg->store, NULL, 0);
	for (i = 0; i < s->n; i++)
		if ((g = cnotify_group(o, s->v[i])) != NULL)
			n += g->ncontacts;
	v = config_arena_alloc(&ld->arena, (n + s->n + 1) * sizeof(*v));
	n = 0;
	for (i = 0; i < s->n; i++) {
		if (config_index_find(&o->contact_map, s->v[i]) != NULL)
			v[n++] = s->v[i];
		else if ((g = cnotify_group(o, s->v[i])) != NULL) {
			memcpy(v + n, g->contacts, g->ncontacts * sizeof(*v));
			n += g->ncontacts;
		}
	}
	*nout = cnotify_sort_unique(v, n);
	return config_store_strv(o->cfg->store, v, *nout);
}

static int
cnotify_contact_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cfg_contact *)a)->name,
	    ((const struct cfg_contact *)b)->name);
}

static int
cnotify_group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cfg_contact_group *)a)->name,
	    ((const struct cfg_contact_group *)b)->name);
}

static void
cnotify_build_contacts(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	const struct config_rcontact *rc;
	struct cfg_contact *c;
	size_t i, *ip;

	cfg->contacts = xcalloc(o->nrcontacts + 1, sizeof(*cfg->contacts));
	for (i = 0; i < o->nrcontacts; i++) {
		rc = &o->rcontacts[i];
		if (rc->skip)
			continue;
		c = &cfg->contacts[cfg->ncontacts++];
		c->name = xstrdup(rc->name);
		c->alias = xstrdup(rc->alias ? rc->alias : rc->name);
		c->email = rc->email ? xstrdup(rc->email) : NULL;
		c->slack = rc->slack ? xstrdup(rc->slack) : NULL;
		c->webhook = rc->webhook ? xstrdup(rc->webhook) : NULL;
		c->command = rc->command ? xstrdup(rc->command) : NULL;
		c->notify_on = rc->has_notify_on ? rc->notify_on.bits :
		    NOTIFY_ON_ALL;
		if (rc->period != NULL) {
			c->period = xstrdup(rc->period);
			if ((c->period_tp = config_resolve_period(o,
			    rc->period)) == NULL)
				config_resolve_no_period(o, &rc->period_mark,
				    rc->prefix, "period", rc->period);
		}
		c->vars = config_resolve_vars(&rc->vars);
		c->nvars = rc->vars.n;
		c->mark = rc->mark;
		if (rc->command == NULL)
			continue;
		if ((ip = config_index_find(&o->cmd_map, rc->command)) == NULL)
			config_error(ld, &rc->command_mark, "%scommand %s is not "
			    "defined", rc->prefix, config_quote(ld, rc->command));
		else if (*ip != CONFIG_BROKEN)
			config_resolve_notify_command(o, &cfg->commands[*ip],
			    rc->name, &rc->vars, rc->prefix, &rc->command_mark);
	}
	if (cfg->ncontacts > 1)
		qsort(cfg->contacts, cfg->ncontacts, sizeof(*cfg->contacts),
		    cnotify_contact_cmp);
}

static const char *
cnotify_group_name(const struct config_objects *o, size_t i)
{
	return o->rcgroups[i].name;
}

static const struct cfg_mark *
cnotify_group_mark(const struct config_objects *o, size_t i)
{
	return &o->rcgroups[i].mark;
}

static const struct config_cycle_kind cnotify_group_cycles = {
	"contact group", "groups form", cnotify_group_name, cnotify_group_mark,
};

/*
 * Each group's contacts: its members and its nested groups' contacts,
 * depth first without recursion (a chain of groups needs no C stack).
 * adj has no cycle left (see config_notify_build), so a group's nested
 * groups are done before it is.
 */
static void
cnotify_expand(struct config_objects *o, size_t *const *adj, const size_t *deg)
{
	struct config_loader *ld = o->ld;
	struct config_rcgroup *g, *w;
	size_t *stack, top, nedges = 0, i, j, n, u;
	const char **v;

	for (i = 0; i < o->nrcgroups; i++)
		nedges += deg[i];
	/* A group is pushed as a root or along an edge, each at most once. */
	stack = xmalloc((o->nrcgroups + nedges + 1) * sizeof(*stack));
	for (i = 0; i < o->nrcgroups; i++) {
		if (o->rcgroups[i].expanded != 0)
			continue;
		top = 0;
		stack[top++] = i;
		while (top > 0) {
			u = stack[top - 1];
			g = &o->rcgroups[u];
			if (g->expanded == 2) {
				top--;
				continue;
			}
			if (g->expanded == 0) {
				g->expanded = 1;
				for (j = 0; j < deg[u]; j++)
					if (o->rcgroups[adj[u][j]].expanded == 0)
						stack[top++] = adj[u][j];
				continue;
			}
			n = g->members.n;
			for (j = 0; j < deg[u]; j++)
				n += o->rcgroups[adj[u][j]].ncontacts;
			v = config_arena_alloc(&ld->arena, (n + 1) * sizeof(*v));
			n = 0;
			for (j = 0; j < g->members.n; j++)
				if (config_index_find(&o->contact_map,
				    g->members.v[j]) != NULL)
					v[n++] = g->members.v[j];
			for (j = 0; j < deg[u]; j++) {
				w = &o->rcgroups[adj[u][j]];
				memcpy(v + n, w->contacts, w->ncontacts * sizeof(*v));
				n += w->ncontacts;
			}
			g->contacts = v;
			g->ncontacts = cnotify_sort_unique(v, n);
			g->expanded = 2;
			top--;
		}
	}
	free(stack);
}

/* A contact group and a contact of one name: which would notify: mean? */
static void
cnotify_group_clash(struct config_objects *o, const struct config_rcgroup *g)
{
	size_t *ip = config_index_find(&o->contact_map, g->name);
	const struct cfg_mark *f;

	if (ip == NULL)
		return;
	f = &o->rcontacts[*ip].mark;
	config_error(o->ld, &g->mark, "%sa contact has this name too (at "
	    "%s:%d:%d); notify: names either, so the names must differ",
	    g->prefix, f->file, f->line, f->col);
}

static void
cnotify_build_groups(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	const char *const *gnames = o->notify_names + o->ncontact_names;
	size_t ngnames = o->nnotify_names - o->ncontact_names;
	struct config_rcgroup *g;
	struct cfg_contact_group *cg;
	size_t **adj, *deg, i, j, *ip;

	adj = config_arena_alloc(&ld->arena, (o->nrcgroups + 1) * sizeof(*adj));
	deg = config_arena_alloc(&ld->arena, (o->nrcgroups + 1) * sizeof(*deg));
	for (i = 0; i < o->nrcgroups; i++) {
		g = &o->rcgroups[i];
		adj[i] = config_arena_alloc(&ld->arena,
		    (g->groups.n + 1) * sizeof(**adj));
		deg[i] = 0;
		if (g->skip)
			continue;
		cnotify_group_clash(o, g);
		for (j = 0; j < g->members.n; j++)
			if (config_index_find(&o->contact_map,
			    g->members.v[j]) == NULL)
				cnotify_undefined(o, &g->members.m[j], g->prefix,
				    "members", "contact",
				    g->members.v[j], o->notify_names,
				    o->ncontact_names);
		for (j = 0; j < g->groups.n; j++) {
			ip = config_index_find(&o->contact_group_map,
			    g->groups.v[j]);
			if (ip == NULL)
				cnotify_undefined(o, &g->groups.m[j], g->prefix,
				    "groups", "contact group",
				    g->groups.v[j], gnames, ngnames);
			else if (*ip == i)
				config_error(ld, &g->groups.m[j], "%sgroups: a "
				    "contact group cannot contain itself",
				    g->prefix);
			else
				adj[i][deg[i]++] = *ip;
		}
	}
	config_resolve_named_cycles(o, &cnotify_group_cycles, o->nrcgroups,
	    adj, deg);
	/*
	 * Every cycle has a back edge, whose source is on a reported cycle:
	 * without those nodes' edges no cycle is left to expand.
	 */
	for (i = 0; i < o->nrcgroups; i++)
		if (o->on_cycle[i])
			deg[i] = 0;
	cnotify_expand(o, adj, deg);

	cfg->contact_groups = xcalloc(o->nrcgroups + 1,
	    sizeof(*cfg->contact_groups));
	for (i = 0; i < o->nrcgroups; i++) {
		g = &o->rcgroups[i];
		if (g->skip)
			continue;
		cg = &cfg->contact_groups[cfg->ncontact_groups++];
		cg->name = xstrdup(g->name);
		cg->alias = xstrdup(g->alias ? g->alias : g->name);
		cg->members = cnotify_strv(g->contacts, g->ncontacts);
		cg->nmembers = g->ncontacts;
		cg->mark = g->mark;
	}
	if (cfg->ncontact_groups > 1)
		qsort(cfg->contact_groups, cfg->ncontact_groups,
		    sizeof(*cfg->contact_groups), cnotify_group_cmp);
}

void
config_notify_build(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	size_t i;

	o->notify_names = config_arena_alloc(&ld->arena,
	    (o->nrcontacts + o->nrcgroups + 1) * sizeof(*o->notify_names));
	for (i = 0; i < o->nrcontacts; i++)
		if (!o->rcontacts[i].skip)
			o->notify_names[o->nnotify_names++] = o->rcontacts[i].name;
	o->ncontact_names = o->nnotify_names;
	for (i = 0; i < o->nrcgroups; i++)
		if (!o->rcgroups[i].skip)
			o->notify_names[o->nnotify_names++] = o->rcgroups[i].name;
	cnotify_build_contacts(o);
	cnotify_build_groups(o);
}

void
config_notify_refs(struct config_objects *o, const struct config_props *p,
    const char *prefix, const struct cfg_mark *mark, int what)
{
	struct config_loader *ld = o->ld;
	unsigned own = p->set & ~p->inherited;
	const struct config_resc *e;
	const struct config_strs *names = &p->notify_on.names;
	const char *origin;
	size_t i;
	int idx;

	if (own & CONFIG_P_NOTIFY)
		cnotify_check_names(o, &p->notify, prefix, "notify");
	if ((own & CONFIG_P_NOTIFICATION_PERIOD) &&
	    config_resolve_period(o, p->notification_period) == NULL)
		config_resolve_no_period(o, &p->notification_period_mark, prefix,
		    "notification_period", p->notification_period);
	for (i = 0; (own & CONFIG_P_ESCALATIONS) && i < p->nescalations; i++) {
		e = &p->escalations[i];
		cnotify_check_names(o, &e->notify, prefix, config_arena_printf(
		    &ld->arena, "escalations[%zu]: notify", i));
		if (e->period != NULL && config_resolve_period(o, e->period) == NULL)
			config_resolve_no_period(o, &e->period_mark, prefix,
			    config_arena_printf(&ld->arena, "escalations[%zu]: "
			    "period", i), e->period);
	}
	/* A template's notify_on: fine there, maybe not for this object. */
	if (what == CONFIG_NOTIFY_ANY || !(p->set & p->inherited &
	    CONFIG_P_NOTIFY_ON))
		return;
	for (i = 0; i < names->n; i++) {
		idx = cnotify_on_index(names->v[i]);
		if (idx < 0 || cnotify_on_fits((size_t)idx, what))
			continue;
		origin = config_arena_printf(&ld->arena, " (at %s:%d:%d)",
		    names->m[i].file, names->m[i].line, names->m[i].col);
		cnotify_on_misfit(ld, mark, prefix, "notify_on", names->v[i],
		    origin, what);
	}
}

void
config_notify_check(struct config_objects *o, struct cfg_check *ck,
    const struct config_props *p)
{
	const struct config_resc *e;
	struct cfg_escalation *ce;
	size_t i;

	ck->contacts = cnotify_resolve(o, p->set & CONFIG_P_NOTIFY ? &p->notify :
	    NULL, &ck->ncontacts);
	ck->notify_on = p->set & CONFIG_P_NOTIFY_ON ? p->notify_on.bits :
	    NOTIFY_ON_ALL;
	ck->notification_interval = p->set & CONFIG_P_NOTIFICATION_INTERVAL ?
	    p->notification_interval : CNOTIFY_INTERVAL;
	ck->first_notification_delay = p->set &
	    CONFIG_P_FIRST_NOTIFICATION_DELAY ? p->first_notification_delay : 0;
	if (p->set & CONFIG_P_NOTIFICATION_PERIOD) {
		ck->notification_period = config_store_str(o->cfg->store,
		    p->notification_period);
		ck->notification_period_tp = config_resolve_period(o,
		    p->notification_period);
	}
	if (!(p->set & CONFIG_P_ESCALATIONS) || p->nescalations == 0)
		return;
	ck->escalations = xcalloc(p->nescalations, sizeof(*ck->escalations));
	for (i = 0; i < p->nescalations; i++) {
		e = &p->escalations[i];
		ce = &ck->escalations[i];
		ce->first = e->first;
		ce->last = e->last;
		ce->contacts = cnotify_resolve(o, &e->notify, &ce->ncontacts);
		ce->interval = e->interval;
		if (e->period != NULL) {
			ce->period = config_store_str(o->cfg->store, e->period);
			ce->period_tp = config_resolve_period(o, e->period);
		}
		ce->mark = e->mark;
	}
	ck->nescalations = p->nescalations;
}
