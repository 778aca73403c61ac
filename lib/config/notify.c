/*
 * NAME
 *	notify - the notification keys of checks
 * DESCRIPTION
 *	The parsers of a check's notify_on and escalations (keys.c's table
 *	names them) and, in pass 2, the names those keys and notify: use
 *	(config_notify_refs) and the check's contacts, notification period
 *	and escalations (config_notify_check); the plain numbers
 *	(notify_on's bits, notification_interval, first_notification_delay)
 *	and their defaults are the key table's (SEMANTICS.md
 *	"Notifications": notify nobody, notify_on all, notification_interval
 *	30m, first_notification_delay 0, always).
 *
 *	notify: resolves to contact names, groups expanded, unique, sorted
 *	(contacts.c); notify: [] is nobody (also against a template or the
 *	host). notify_on: "all", "none" or names of config_notify_on_names
 *	in any case; a host takes no service state (warning, critical,
 *	unknown), a service no host state (down, unreachable); a template
 *	takes all of them and a host or service it gives the wrong ones to
 *	is told. escalations: a list of {first, last, notify, interval,
 *	period}, as a whole: an object's own list replaces its template's.
 * DIAGNOSTICS
 *	Through config_error(), at the value written.
 */
#include "config.h"
#include "config_objects.h"
#include "xalloc.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* engine/notify.h tells escalations apart by one bit each of a uint64_t. */
#define NOTIFY_ESCALATIONS_MAX	64

/* What a notify_on of each kind of object takes, for messages. */
static const char *const notify_on_expected[] = {
	[CONFIG_NOTIFY_ANY] = "warning, critical, unknown, down, unreachable, "
	    "recovery, flapping, downtime, all or none",
	[CONFIG_NOTIFY_HOST] = "down, unreachable, recovery, flapping, downtime, "
	    "all or none",
	[CONFIG_NOTIFY_SERVICE] = "warning, critical, unknown, recovery, "
	    "flapping, downtime, all or none",
};

#define ESC(m)	.where = 1, .off = offsetof(struct config_resc, m)
static const struct config_field notify_esc_keys[] = {
	{ .name = "first", ESC(first), .type = CONFIG_T_INT, .arg = 1 },
	{ .name = "last", ESC(last), .type = CONFIG_T_INT, .arg = 0,
	    .mark = offsetof(struct config_resc, last_mark) },
	{ .name = "notify", ESC(notify), .type = CONFIG_T_NAMES,
	    .what = "contact or contact group" },
	{ .name = "interval", ESC(interval), .type = CONFIG_T_DURATION0 },
	{ .name = "period", ESC(period), .type = CONFIG_T_STRING,
	    .mark = offsetof(struct config_resc, period_mark) },
};
#undef ESC
#define NOTIFY_NESC_KEYS (sizeof(notify_esc_keys) / sizeof(notify_esc_keys[0]))
/* By index above. */
#define NOTIFY_ESC_FIRST	(1u << 0)
#define NOTIFY_ESC_LAST		(1u << 1)
#define NOTIFY_ESC_NOTIFY	(1u << 2)

/* ---- pass 1 ---------------------------------------------------------- */
/* Does notify_on name i (config_notify_on_names) fit what? */
static int
notify_on_fits(size_t i, int what)
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
notify_on_index(const char *name)
{
	int i;

	for (i = 0; i < CONFIG_NNOTIFY_ON; i++)
		if (strcasecmp(name, config_notify_on_names[i]) == 0)
			return i;
	return -1;
}

/* A host (what) given a service state or a service given a host state. */
static void
notify_on_misfit(struct config_loader *ld, const struct cfg_mark *at,
    const char *prefix, const char *key, const char *name, const char *origin,
    int what)
{
	int host = what == CONFIG_NOTIFY_HOST;

	config_error(ld, at, "%s%s: %s%s is a %s state (a %s takes %s)", prefix,
	    key, config_quote(ld, name), origin, host ? "service" : "host",
	    host ? "host" : "service", notify_on_expected[what]);
}

int
config_notify_on(struct config_loader *ld, yaml_node_t *v, int what,
    const char *prefix, const char *key, struct config_notify_on *out)
{
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
	if (config_list(ld, v, prefix, key, "a list like [critical, "
	    "recovery]", &out->names) < 0)
		return -1;
	for (i = 0; i < CONFIG_NNOTIFY_ON; i++)
		if (notify_on_fits(i, what))
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
		if ((idx = notify_on_index(s)) < 0) {
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
				    config_quote(ld, s), notify_on_expected[what]);
			bad = 1;
		} else if (!notify_on_fits((size_t)idx, what)) {
			notify_on_misfit(ld, m, prefix, key, s, "", what);
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

/* A check's notify_on: what it takes depends on where it is written. */
int
config_notify_on_key(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	int what = where == CONFIG_W_HOST ? CONFIG_NOTIFY_HOST :
	    where == CONFIG_W_TMPL ? CONFIG_NOTIFY_ANY : CONFIG_NOTIFY_SERVICE;

	return config_notify_on(ld, v, what, prefix, f->name,
	    (struct config_notify_on *)((char *)obj + f->off));
}

/* One entry of escalations; prefix ends in "escalations[i]: ". 0 or -1. */
static int
notify_escalation(struct config_loader *ld, yaml_node_t *map,
    const char *prefix, struct config_resc *e)
{
	struct config_read rd;
	int bad;

	memset(e, 0, sizeof(*e));
	e->interval = -1;
	e->mark = config_mark(ld, map);
	if (map->type != YAML_MAPPING_NODE) {
		config_error(ld, &e->mark, "%sexpected a map like {first: 3, "
		    "notify: [boss]}, got %s", prefix, config_what(map));
		return -1;
	}
	bad = config_fields_read(ld, map, notify_esc_keys, NOTIFY_NESC_KEYS, 1,
	    "an escalation", prefix, e, &rd) < 0;
	if (!(rd.seen & NOTIFY_ESC_FIRST)) {
		config_error(ld, &e->mark, "%sfirst: missing (expected the number "
		    "of the first notification it applies to, 1 or more)", prefix);
		bad = 1;
	}
	if (!(rd.seen & NOTIFY_ESC_NOTIFY)) {
		config_error(ld, &e->mark, "%snotify: missing (expected the "
		    "contacts or contact groups it notifies)", prefix);
		bad = 1;
	}
	if ((rd.ok & NOTIFY_ESC_FIRST) && (rd.ok & NOTIFY_ESC_LAST) &&
	    e->last != 0 && e->last < e->first) {
		config_error(ld, &e->last_mark, "%slast: %d is below first %d "
		    "(expected 0 for no end, or at least first)", prefix,
		    e->last, e->first);
		bad = 1;
	}
	return bad ? -1 : 0;
}

int
config_notify_escalations_key(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	struct config_rescs *out = (struct config_rescs *)((char *)obj + f->off);
	const char *key = f->name;
	struct cfg_mark m = config_mark(ld, v);
	yaml_node_item_t *it;
	size_t n, i;
	int bad = 0;

	out->v = NULL;
	out->n = 0;
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
	if (n > NOTIFY_ESCALATIONS_MAX) {
		config_error(ld, &m, "%s%s: %zu escalations, at most %d are "
		    "allowed", prefix, key, n, NOTIFY_ESCALATIONS_MAX);
		return -1;
	}
	out->v = config_arena_alloc(&ld->arena, (n ? n : 1) * sizeof(*out->v));
	for (i = 0, it = v->data.sequence.items.start; i < n; i++, it++)
		if (notify_escalation(ld, config_node(ld, *it),
		    config_arena_printf(&ld->arena, "%s%s[%zu]: ", prefix, key,
		    i), &out->v[i]) < 0)
			bad = 1;
	out->n = n;
	return bad ? -1 : 0;
}

/* ---- pass 2 ---------------------------------------------------------- */

void
config_notify_refs(struct config_objects *o, const struct config_props *p,
    const char *prefix, const struct cfg_mark *mark, int what)
{
	struct config_loader *ld = o->ld;
	uint64_t own = p->set & ~p->inherited;
	const struct config_resc *e;
	const struct config_strs *names = &p->notify_on.names;
	const char *origin;
	size_t i;
	int idx;

	if (own & CONFIG_P_NOTIFY)
		config_contacts_check(o, &p->notify, prefix, "notify");
	if ((own & CONFIG_P_NOTIFICATION_PERIOD) &&
	    config_period_find(o, p->notification_period) == NULL)
		config_period_unknown(o, &p->notification_period_mark, prefix,
		    "notification_period", p->notification_period);
	for (i = 0; (own & CONFIG_P_ESCALATIONS) && i < p->escalations.n; i++) {
		e = &p->escalations.v[i];
		config_contacts_check(o, &e->notify, prefix, config_arena_printf(
		    &ld->arena, "escalations[%zu]: notify", i));
		if (e->period != NULL && config_period_find(o, e->period) == NULL)
			config_period_unknown(o, &e->period_mark, prefix,
			    config_arena_printf(&ld->arena, "escalations[%zu]: "
			    "period", i), e->period);
	}
	/* A template's notify_on: fine there, maybe not for this object. */
	if (what == CONFIG_NOTIFY_ANY || !(p->set & p->inherited &
	    CONFIG_P_NOTIFY_ON))
		return;
	for (i = 0; i < names->n; i++) {
		idx = notify_on_index(names->v[i]);
		if (idx < 0 || notify_on_fits((size_t)idx, what))
			continue;
		origin = config_arena_printf(&ld->arena, " (at %s:%d:%d)",
		    names->m[i].file, names->m[i].line, names->m[i].col);
		notify_on_misfit(ld, mark, prefix, "notify_on", names->v[i],
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

	ck->contacts = config_contacts_expand(o, p->set & CONFIG_P_NOTIFY ?
	    &p->notify : NULL, &ck->ncontacts);
	if (p->set & CONFIG_P_NOTIFICATION_PERIOD) {
		ck->notification_period = config_store_str(o->cfg->store,
		    p->notification_period);
		ck->notification_period_tp = config_period_find(o,
		    p->notification_period);
	}
	if (!(p->set & CONFIG_P_ESCALATIONS) || p->escalations.n == 0)
		return;
	ck->escalations = xcalloc(p->escalations.n, sizeof(*ck->escalations));
	for (i = 0; i < p->escalations.n; i++) {
		e = &p->escalations.v[i];
		ce = &ck->escalations[i];
		ce->first = e->first;
		ce->last = e->last;
		ce->contacts = config_contacts_expand(o, &e->notify, &ce->ncontacts);
		ce->interval = e->interval;
		if (e->period != NULL) {
			ce->period = config_store_str(o->cfg->store, e->period);
			ce->period_tp = config_period_find(o, e->period);
		}
		ce->mark = e->mark;
	}
	ck->nescalations = p->escalations.n;
}
