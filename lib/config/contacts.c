/*
 * NAME
 *	contacts - conf.d `contacts:` and `contact_groups:`
 * DESCRIPTION
 *	Contacts: alias, email, slack, webhook, command, notify_on, period,
 *	vars; at least one channel (email, slack, webhook, command). command
 *	names a `commands:` entry that the notifier runs per notification:
 *	its argv is checked in pass 2 (argv.c: notification macros,
 *	$_CONTACTvar$ of the contact's vars, $USERn$, $PLUGINDIR$,
 *	$VIGILPLUGINDIR$) and never expanded, so a command only contacts use
 *	is never refused for the macros that only a notification has. A
 *	contact's notify_on takes host and service names alike: it applies
 *	to both.
 *
 *	Contact groups: alias, members (contacts) and groups (nested contact
 *	groups: a DAG, a cycle is an error). notify: names contacts and
 *	contact groups alike, so a name cannot be both.
 *
 *	Pass 2 (before templates, hosts and services, which name them):
 *	both into cfg, sorted by name (so config_find_contact() can search),
 *	every name they use checked, nested groups expanded (cycles.c: a
 *	group after the groups it contains). config_contacts_expand() turns
 *	a check's notify: into contact names.
 * DIAGNOSTICS
 *	Through config_error(), at the value written: unknown names suggest
 *	the nearest defined one ("service \"web-01/http\": notify: \"adminn\"
 *	is neither a contact nor a contact group (did you mean \"admin\"?)");
 *	a contact group cycle names every group with its place, as group
 *	cycles do; a name defined twice names both places. A contact without
 *	a channel is reported at its name.
 */
#include "config.h"
#include "config_objects.h"
#include "xalloc.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Channels (.arg of their keys). */
enum { CHANNEL_TEXT, CHANNEL_EMAIL, CHANNEL_URL };

static config_parse_fn contacts_channel, contacts_notify_on;

#define CONTACT(m)	.where = 1, .off = offsetof(struct config_rcontact, m)
static const struct config_field contacts_keys[] = {
	{ .name = "alias", CONTACT(alias), .type = CONFIG_T_STRING },
	{ .name = "email", CONTACT(email), .type = CONFIG_T_OWN,
	    .arg = CHANNEL_EMAIL, .parse = contacts_channel },
	{ .name = "slack", CONTACT(slack), .type = CONFIG_T_OWN,
	    .arg = CHANNEL_TEXT, .parse = contacts_channel },
	{ .name = "webhook", CONTACT(webhook), .type = CONFIG_T_OWN,
	    .arg = CHANNEL_URL, .parse = contacts_channel },
	/* Found in pass 2: it may be defined in a later file. */
	{ .name = "command", CONTACT(command), .type = CONFIG_T_STRING,
	    .mark = offsetof(struct config_rcontact, command_mark) },
	{ .name = "notify_on", CONTACT(notify_on), .type = CONFIG_T_OWN,
	    .parse = contacts_notify_on },
	{ .name = "period", CONTACT(period), .type = CONFIG_T_STRING,
	    .mark = offsetof(struct config_rcontact, period_mark) },
	{ .name = "vars", CONTACT(vars), .type = CONFIG_T_VARS },
};
#undef CONTACT
#define CONTACTS_NKEYS (sizeof(contacts_keys) / sizeof(contacts_keys[0]))
/* The keys that are channels (by index above): a contact needs one. */
#define CONTACTS_CHANNELS	((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4))
#define CONTACTS_NOTIFY_ON	(1u << 5)

#define CGROUP(m)	.where = 1, .off = offsetof(struct config_rcgroup, m)
static const struct config_field contacts_group_keys[] = {
	{ .name = "alias", CGROUP(alias), .type = CONFIG_T_STRING },
	{ .name = "members", CGROUP(members), .type = CONFIG_T_NAMES,
	    .what = "contact" },
	{ .name = "groups", CGROUP(groups), .type = CONFIG_T_NAMES,
	    .what = "contact group" },
};
#undef CGROUP
#define CONTACTS_NGROUP_KEYS \
	(sizeof(contacts_group_keys) / sizeof(contacts_group_keys[0]))

/* ---- pass 1 ---------------------------------------------------------- */

/* No control characters; no white space either unless spaces_ok. */
static int
contacts_plain(const char *s, int spaces_ok)
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
contacts_address(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    const char *key, int kind)
{
	struct cfg_mark m = config_mark(ld, v);
	const char *s, *at;

	if ((s = config_string(ld, v, prefix, key, 1)) == NULL)
		return NULL;
	switch (kind) {
	case CHANNEL_EMAIL:
		at = strchr(s, '@');
		if (at != NULL && at != s && at[1] != '\0' &&
		    strchr(at + 1, '@') == NULL && contacts_plain(s, 0) &&
		    strpbrk(s, "<>,;") == NULL)
			return s;
		config_error(ld, &m, "%s%s: %s is not an email address (expected "
		    "user@domain)", prefix, key, config_quote(ld, s));
		return NULL;
	case CHANNEL_URL:
		if ((strncmp(s, "http://", 7) == 0 ||
		    strncmp(s, "https://", 8) == 0) && contacts_plain(s, 0))
			return s;
		config_error(ld, &m, "%s%s: %s is not a URL (expected http://... "
		    "or https://...)", prefix, key, config_quote(ld, s));
		return NULL;
	default:
		if (contacts_plain(s, 1))
			return s;
		config_error(ld, &m, "%s%s: %s may not contain control "
		    "characters", prefix, key, config_quote(ld, s));
		return NULL;
	}
}

static int
contacts_channel(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	const char *s = contacts_address(ld, v, prefix, f->name, f->arg);

	*(const char **)((char *)obj + f->off) = s;
	return s != NULL ? 0 : -1;
}

static int
contacts_notify_on(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	return config_notify_on(ld, v, CONFIG_NOTIFY_ANY, prefix, f->name,
	    (struct config_notify_on *)((char *)obj + f->off));
}

static void
contacts_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rcontact *c = el;
	struct config_read rd;
	int r;

	memset(&rd, 0, sizeof(rd));
	/* Nothing: no channel, said below. */
	if ((r = config_map(ld, map, c->prefix, NULL, "a map of settings "
	    "(email, slack, webhook, command, notify_on, period ...)")) < 0)
		return;
	if (r > 0)
		config_fields_read(ld, map, contacts_keys, CONTACTS_NKEYS, 1,
		    "a contact", c->prefix, c, &rd);
	c->has_notify_on = (rd.ok & CONTACTS_NOTIFY_ON) != 0;
	/* A wrong channel is reported: not "no channel" too. */
	if ((rd.seen & CONTACTS_CHANNELS) == 0)
		config_error(ld, &c->mark, "%sno channel to notify through "
		    "(expected at least one of email, slack, webhook, command)",
		    c->prefix);
}

const struct config_objects_kind config_contact_kind =
    CONFIG_OBJECTS_KIND("contact", "contacts", "a map of contact name to "
    "contact settings", struct config_rcontact, rcontacts, contact_map,
    contacts_body);

static void
contacts_group_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_rcgroup *g = el;

	if (config_map(o->ld, map, g->prefix, NULL, "a map of settings (alias, "
	    "members, groups)") <= 0)
		return;
	config_fields_read(o->ld, map, contacts_group_keys,
	    CONTACTS_NGROUP_KEYS, 1, "a contact group", g->prefix, g, NULL);
}

const struct config_objects_kind config_contact_group_kind =
    CONFIG_OBJECTS_KIND("contact group", "contact_groups", "a map of contact "
    "group name to {members: [...], groups: [...]}", struct config_rcgroup,
    rcgroups, contact_group_map, contacts_group_body);

/* ---- pass 2 ---------------------------------------------------------- */
static int
contacts_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort v and drop repeated names; the new count. */
static size_t
contacts_sort_unique(const char **v, size_t n)
{
	size_t i, j = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), contacts_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(v[i], v[j]) != 0)
			v[++j] = v[i];
	return j + 1;
}

/* A group of rcgroups by name, NULL if none. */
static struct config_rcgroup *
contacts_group(struct config_objects *o, const char *name)
{
	size_t *ip = config_index_find(&o->contact_group_map, name);

	return ip != NULL ? &o->rcgroups[*ip] : NULL;
}

/*
 * Report name, which key says is a kind ("contact"; NULL: a contact or a
 * contact group), as undefined, suggesting the nearest of names.
 */
static void
contacts_undefined(struct config_objects *o, const struct cfg_mark *m,
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
void
config_contacts_check(struct config_objects *o, const struct config_strs *s,
    const char *prefix, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (config_index_find(&o->contact_map, s->v[i]) == NULL &&
		    contacts_group(o, s->v[i]) == NULL)
			contacts_undefined(o, &s->m[i], prefix, key, NULL,
			    s->v[i], o->notify_names, o->nnotify_names);
}

/*
 * The contacts a notify: list stands for (NULL: none), groups expanded,
 * unique, sorted, in the config's store. Undefined names were reported
 * where they are written.
 */
char **
config_contacts_expand(struct config_objects *o, const struct config_strs *s,
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
		if ((g = contacts_group(o, s->v[i])) != NULL)
			n += g->ncontacts;
	v = config_arena_alloc(&ld->arena, (n + s->n + 1) * sizeof(*v));
	n = 0;
	for (i = 0; i < s->n; i++) {
		if (config_index_find(&o->contact_map, s->v[i]) != NULL)
			v[n++] = s->v[i];
		else if ((g = contacts_group(o, s->v[i])) != NULL) {
			memcpy(v + n, g->contacts, g->ncontacts * sizeof(*v));
			n += g->ncontacts;
		}
	}
	*nout = contacts_sort_unique(v, n);
	return config_store_strv(o->cfg->store, v, *nout);
}

static int
contacts_contact_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cfg_contact *)a)->name,
	    ((const struct cfg_contact *)b)->name);
}

static int
contacts_group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cfg_contact_group *)a)->name,
	    ((const struct cfg_contact_group *)b)->name);
}

static void
contacts_build_contacts(struct config_objects *o)
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
			if ((c->period_tp = config_period_find(o,
			    rc->period)) == NULL)
				config_period_unknown(o, &rc->period_mark,
				    rc->prefix, "period", rc->period);
		}
		c->vars = config_vars_copy(&rc->vars);
		c->nvars = rc->vars.n;
		c->mark = rc->mark;
		if (rc->command == NULL)
			continue;
		if ((ip = config_index_find(&o->cmd_map, rc->command)) == NULL)
			config_error(ld, &rc->command_mark, "%scommand %s is not "
			    "defined", rc->prefix, config_quote(ld, rc->command));
		else if (*ip != CONFIG_BROKEN)
			config_argv_notify(o, &cfg->commands[*ip],
			    rc->name, &rc->vars, rc->prefix, &rc->command_mark);
	}
	if (cfg->ncontacts > 1)
		qsort(cfg->contacts, cfg->ncontacts, sizeof(*cfg->contacts),
		    contacts_contact_cmp);
}

static const char *
contacts_group_name(const struct config_objects *o, size_t i)
{
	return o->rcgroups[i].name;
}

static const struct cfg_mark *
contacts_group_mark(const struct config_objects *o, size_t i)
{
	return &o->rcgroups[i].mark;
}

/*
 * Group u's contacts: its members and its nested groups' contacts. A group
 * on a cycle (reported) takes its members only: every cycle has a back
 * edge whose source is on one, so no cycle is left to expand, and every
 * nested group of a group on none is done.
 */
static void
contacts_expand(struct config_objects *o, const struct config_graph *gr,
    size_t u)
{
	struct config_loader *ld = o->ld;
	struct config_rcgroup *g = &o->rcgroups[u], *w;
	const char **v;
	size_t j, n;

	n = g->members.n;
	for (j = 0; j < gr->deg[u] && !gr->on_cycle[u]; j++)
		n += o->rcgroups[gr->adj[u][j]].ncontacts;
	v = config_arena_alloc(&ld->arena, (n + 1) * sizeof(*v));
	n = 0;
	for (j = 0; j < g->members.n; j++)
		if (config_index_find(&o->contact_map, g->members.v[j]) != NULL)
			v[n++] = g->members.v[j];
	for (j = 0; j < gr->deg[u] && !gr->on_cycle[u]; j++) {
		w = &o->rcgroups[gr->adj[u][j]];
		memcpy(v + n, w->contacts, w->ncontacts * sizeof(*v));
		n += w->ncontacts;
	}
	g->contacts = v;
	g->ncontacts = contacts_sort_unique(v, n);
}

/* A contact group and a contact of one name: which would notify: mean? */
static void
contacts_group_clash(struct config_objects *o, const struct config_rcgroup *g)
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
contacts_build_groups(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	const char *const *gnames = o->notify_names + o->ncontact_names;
	size_t ngnames = o->nnotify_names - o->ncontact_names;
	struct config_rcgroup *g;
	struct cfg_contact_group *cg;
	struct config_graph *gr;
	size_t i, j, *ip;

	gr = config_graph_new(ld, o->nrcgroups);
	gr->kind = "contact group";
	gr->relation = "groups form";
	gr->name = contacts_group_name;
	gr->mark = contacts_group_mark;
	gr->done = contacts_expand;
	for (i = 0; i < o->nrcgroups; i++) {
		g = &o->rcgroups[i];
		config_graph_edges(ld, gr, i, g->groups.n);
		if (g->skip)
			continue;
		contacts_group_clash(o, g);
		for (j = 0; j < g->members.n; j++)
			if (config_index_find(&o->contact_map,
			    g->members.v[j]) == NULL)
				contacts_undefined(o, &g->members.m[j], g->prefix,
				    "members", "contact",
				    g->members.v[j], o->notify_names,
				    o->ncontact_names);
		for (j = 0; j < g->groups.n; j++) {
			ip = config_index_find(&o->contact_group_map,
			    g->groups.v[j]);
			if (ip == NULL)
				contacts_undefined(o, &g->groups.m[j], g->prefix,
				    "groups", "contact group",
				    g->groups.v[j], gnames, ngnames);
			else if (*ip == i)
				config_error(ld, &g->groups.m[j], "%sgroups: a "
				    "contact group cannot contain itself",
				    g->prefix);
			else
				gr->adj[i][gr->deg[i]++] = *ip;
		}
	}
	config_graph_walk(o, gr);

	cfg->contact_groups = xcalloc(o->nrcgroups + 1,
	    sizeof(*cfg->contact_groups));
	for (i = 0; i < o->nrcgroups; i++) {
		g = &o->rcgroups[i];
		if (g->skip)
			continue;
		cg = &cfg->contact_groups[cfg->ncontact_groups++];
		cg->name = xstrdup(g->name);
		cg->alias = xstrdup(g->alias ? g->alias : g->name);
		cg->members = config_strv_copy(g->contacts, g->ncontacts);
		cg->nmembers = g->ncontacts;
		cg->mark = g->mark;
	}
	if (cfg->ncontact_groups > 1)
		qsort(cfg->contact_groups, cfg->ncontact_groups,
		    sizeof(*cfg->contact_groups), contacts_group_cmp);
}

void
config_contacts_build(struct config_objects *o)
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
	contacts_build_contacts(o);
	contacts_build_groups(o);
}
