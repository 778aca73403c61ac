/*
 * NAME
 *	checks - templates, hosts and services: the objects that run checks
 * DESCRIPTION
 *	Pass 1 reads `templates:`, `hosts:` (with the services under each)
 *	and `services:` (standalone, with host: and name:) into struct
 *	config_props through keys.c's table, in definition order.
 *
 *	Pass 2, once every file is read (a host may use a template, a
 *	parent or a command defined in a later file):
 *	  templates	`use:` resolved depth first (cycles.c: a template
 *			after the templates it uses): the object's own keys
 *			win, then the first template that sets a key, then
 *			that template's own templates (Nagios); vars merge
 *			one by one; cycles and unknown names are reported
 *			once; `groups:` does not merge: the object's own list
 *			(even an empty one) replaces its templates', as a
 *			Nagios hostgroups without '+' does, so an object can
 *			always leave a group its template puts it in;
 *	  hosts		into cfg->hosts with their groups (each defined),
 *			then parents: defined, not the host itself, no loops;
 *	  checks	host checks and services in definition order, each
 *			with its command found and its argv expanded
 *			(argv.c); a service's groups go on its check, a host
 *			check has none (the host's membership is on the
 *			host); its check_period found (a name and a pointer),
 *			the keys' values or defaults (keys.c), its
 *			notification keys (notify.c), a service taking the
 *			notify, notification_interval and notification_period
 *			it does not set from its host (Nagios's implied
 *			inheritance).
 *
 *	low_flap_threshold < high_flap_threshold holds for the values a
 *	check ends up with, which may come from different templates and the
 *	defaults: each pair is checked once, where it first meets (a
 *	template that has both, else the host or service), and reported at
 *	a value written there, naming where the other one comes from. So
 *	does quorum <= the number of pools.
 * DIAGNOSTICS
 *	Through config_error(). A problem inherited from a template is
 *	reported once, at the template, not at every object using it. A
 *	template cycle reads "template \"b\": use: template cycle \"a\" ->
 *	\"b\" -> \"a\"", a parent loop "host \"c\": parents: loop in the
 *	parent chain \"a\" -> \"b\" -> \"c\" -> \"a\"". A service whose
 *	template says UP or DOWN for timeout_state or stale_state is told at
 *	the service.
 */
#include "config.h"
#include "config_objects.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define CHECKS_CHAIN_MAX	10	/* names shown of a parent loop */
#define CHECKS_TIMEOUT_SERVICE	60	/* timeout defaults, seconds */
#define CHECKS_TIMEOUT_HOST	30

/* ---- pass 1 ---------------------------------------------------------- */

void
config_templates_read(struct config_objects *o, yaml_node_t *map)
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

		if ((name = config_name(ld, k, "", "template", 0)) == NULL)
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
		config_props_read(ld, config_node(ld, pair->value), CONFIG_W_TMPL,
		    t->prefix, &t->own, NULL);
		config_index_put(&o->tmpl_map, name, o->ntmpls++);
	}
}

static void
checks_add_item(struct config_objects *o, int is_host, size_t idx)
{
	xgrow((void **)&o->items, &o->items_cap, o->nitems + 1,
	    sizeof(*o->items));
	o->items[o->nitems].is_host = is_host;
	o->items[o->nitems++].idx = idx;
}

static struct config_rsvc *
checks_new_svc(struct config_objects *o)
{
	struct config_rsvc *s;

	xgrow((void **)&o->svcs, &o->svcs_cap, o->nsvcs + 1, sizeof(*o->svcs));
	s = &o->svcs[o->nsvcs];
	memset(s, 0, sizeof(*s));
	s->inline_host = -1;
	checks_add_item(o, 0, o->nsvcs++);
	return s;
}

static void
checks_inline_services(struct config_objects *o, size_t hi, yaml_node_t *map)
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

		if ((desc = config_name(ld, k, hprefix, "service", 0)) == NULL)
			continue;
		s = checks_new_svc(o);
		h = &o->hosts[hi];
		s->host = h->name;
		s->desc = desc;
		s->mark = config_mark(ld, k);
		s->skip = h->skip;
		s->inline_host = (int)hi;
		s->prefix = config_arena_printf(&ld->arena, "service %s: ",
		    config_quote(ld, config_arena_printf(&ld->arena, "%s/%s",
		    h->name, desc)));
		config_props_read(ld, config_node(ld, pair->value), CONFIG_W_ISVC,
		    s->prefix, &s->p, NULL);
	}
}

static void
checks_host_body(struct config_objects *o, void *el, yaml_node_t *v)
{
	struct config_rhost *h = el;
	size_t hi = (size_t)(h - o->hosts);
	struct config_extra x;

	checks_add_item(o, 1, hi);
	config_props_read(o->ld, v, CONFIG_W_HOST, h->prefix, &h->p, &x);
	if (x.services != NULL)
		checks_inline_services(o, hi, x.services);
}

const struct config_objects_kind config_host_kind = CONFIG_OBJECTS_KIND("host",
    "hosts", "a map of host name to host settings", struct config_rhost,
    hosts, host_map, checks_host_body);

void
config_services_read(struct config_objects *o, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	yaml_node_pair_t *pair, *sp;
	struct config_extra x;
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
		if ((id = config_name(ld, k, "", "service", 0)) == NULL)
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
		s = checks_new_svc(o);
		s->mark = config_mark(ld, k);
		s->prefix = prefix;
		config_props_read(ld, v, CONFIG_W_SVC, prefix, &s->p, &x);
		s->desc = id;
		if (x.name != NULL && (desc = config_name(ld, x.name, prefix,
		    "service", 0)) != NULL)
			s->desc = desc;
		if (x.host != NULL) {
			s->host_mark = config_mark(ld, x.host);
			s->host = config_string(ld, x.host, prefix, "host", 1);
		}
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

/* ---- pass 2: pairs of keys, templates ------------------------------- */
/* " (at f:l:c)" for where a value comes from, "" if that is at. */
static const char *
checks_origin(struct config_objects *o, const struct cfg_mark *m,
    const struct cfg_mark *at)
{
	if (m == NULL)
		return " (the default)";
	if (m == at)
		return "";
	return config_arena_printf(&o->ld->arena, " (at %s:%d:%d)", m->file,
	    m->line, m->col);
}

/*
 * low_flap_threshold < high_flap_threshold, once per pair: a template
 * checks a pair it has whole, an object (is_template 0) the pair it ends
 * up with, defaults included, unless a template checked it already. The
 * error goes to a value written here, else to the object.
 */
static void
checks_flap(struct config_objects *o, struct config_props *p,
    const char *prefix, const struct cfg_mark *mark, int is_template)
{
	const uint64_t both = CONFIG_P_LOW_FLAP | CONFIG_P_HIGH_FLAP;
	const struct cfg_mark *lm = NULL, *hm = NULL, *at = mark;
	double low = config_props_default("low_flap_threshold");
	double high = config_props_default("high_flap_threshold");

	if (p->flap_checked || (is_template && (p->set & both) != both))
		return;
	p->flap_checked = 1;
	if (p->set & CONFIG_P_LOW_FLAP) {
		low = p->low_flap.v;
		lm = &p->low_flap.mark;
	}
	if (p->set & CONFIG_P_HIGH_FLAP) {
		high = p->high_flap.v;
		hm = &p->high_flap.mark;
	}
	if (low < high)
		return;
	if (lm != NULL && !(p->inherited & CONFIG_P_LOW_FLAP))
		at = lm;
	else if (hm != NULL && !(p->inherited & CONFIG_P_HIGH_FLAP))
		at = hm;
	config_error(o->ld, at, "%slow_flap_threshold %g%s must be below "
	    "high_flap_threshold %g%s", prefix, low, checks_origin(o, lm, at),
	    high, checks_origin(o, hm, at));
}

/*
 * quorum <= the number of pools, once per pair, as checks_flap does it: a
 * template checks a pair it has whole, an object what it ends up with
 * (one pool, the worker's default, and quorum 1 unless set), unless a
 * template checked it already. The error goes to a value written here,
 * else to the object. quorum >= 1 is pass 1's.
 */
static void
checks_quorum(struct config_objects *o, struct config_props *p,
    const char *prefix, const struct cfg_mark *mark, int is_template)
{
	const uint64_t both = CONFIG_P_POOLS | CONFIG_P_QUORUM;
	const struct cfg_mark *qm = NULL, *pm = NULL, *at = mark;
	const char *pools_origin;
	size_t npools = 1;
	int quorum = (int)config_props_default("quorum");

	if (p->quorum_checked || (is_template && (p->set & both) != both))
		return;
	p->quorum_checked = 1;
	if (p->set & CONFIG_P_QUORUM) {
		quorum = p->quorum;
		qm = &p->quorum_mark;
	}
	if (p->set & CONFIG_P_POOLS) {
		npools = p->pools.n;
		pm = &p->pools_mark;
	}
	if ((size_t)quorum <= npools)
		return;
	if (qm != NULL && !(p->inherited & CONFIG_P_QUORUM))
		at = qm;
	else if (pm != NULL && !(p->inherited & CONFIG_P_POOLS))
		at = pm;
	if (pm != NULL)
		pools_origin = checks_origin(o, pm, at);
	else
		pools_origin = config_arena_printf(&o->ld->arena, " (the default "
		    "pool %s)", config_quote(o->ld, o->cfg->worker.pool));
	config_error(o->ld, at, "%squorum %d%s must be between 1 and the number "
	    "of pools, %zu%s", prefix, quorum, checks_origin(o, qm, at), npools,
	    pools_origin);
}

/* A service given UP or DOWN by a template: fine there, wrong here. */
static void
checks_service_state(struct config_objects *o, const struct config_props *p,
    uint64_t bit, const struct config_state *st, const char *key,
    const char *prefix, const struct cfg_mark *mark)
{
	struct config_loader *ld = o->ld;

	if (!(p->set & bit) || !st->host_only)
		return;
	config_error(ld, mark, "%s%s: %s (at %s:%d:%d) is a host state "
	    "(expected OK, WARNING, CRITICAL, UNKNOWN or 0-3)", prefix, key,
	    config_quote(ld, st->text), st->mark.file, st->mark.line,
	    st->mark.col);
}

/*
 * Apply the templates named in use, in order, to p: the ones done (a
 * template's use: entry that closes a cycle is not, and was reported).
 */
static void
checks_use(struct config_objects *o, struct config_props *p,
    const struct config_strs *use, const char *prefix)
{
	struct config_loader *ld = o->ld;
	size_t i, *ip;

	for (i = 0; i < use->n; i++) {
		if ((ip = config_index_find(&o->tmpl_map, use->v[i])) == NULL) {
			config_error(ld, &use->m[i], "%suse: template %s is not "
			    "defined", prefix, config_quote(ld, use->v[i]));
			continue;
		}
		if (o->tmpls[*ip].done)
			config_props_inherit(ld, p, &o->tmpls[*ip].res);
	}
}

/* Template u's use: entry that is edge e of the template graph. */
static size_t
checks_use_entry(struct config_objects *o, size_t u, size_t e)
{
	const struct config_strs *use = &o->tmpls[u].own.use;
	size_t i, k = 0;

	for (i = 0; i < use->n; i++)
		if (config_index_find(&o->tmpl_map, use->v[i]) != NULL &&
		    k++ == e)
			return i;
	return 0;
}

static void
checks_use_cycle(struct config_objects *o, const struct config_graph *g,
    const size_t *stack, size_t from, size_t top, size_t e)
{
	struct config_loader *ld = o->ld;
	const struct config_tmpl *t = &o->tmpls[stack[top - 1]];
	size_t i = checks_use_entry(o, stack[top - 1], e), j;
	char *chain, *tmp;

	chain = xstrdup("");
	for (j = from; j < top; j++) {
		tmp = xasprintf("%s%s -> ", chain,
		    config_quote(ld, o->tmpls[stack[j]].name));
		free(chain);
		chain = tmp;
	}
	config_error(ld, &t->own.use.m[i], "%suse: template cycle %s%s",
	    t->prefix, chain, config_quote(ld, t->own.use.v[i]));
	free(chain);
}

/* Template u, once the templates it uses are. */
static void
checks_template_done(struct config_objects *o, const struct config_graph *g,
    size_t u)
{
	struct config_tmpl *t = &o->tmpls[u];

	t->depth = 1;
	for (size_t k = 0; k < g->deg[u]; k++)
		if (o->tmpls[g->adj[u][k]].depth + 1 > t->depth)
			t->depth = o->tmpls[g->adj[u][k]].depth + 1;
	/* Said once, where the chain crosses the bound: a chain of a
	 * hundred thousand is refused with one error, not as many. */
	if (t->depth == CONFIG_TEMPLATE_DEPTH + 1)
		config_error(o->ld, &t->mark, "%suse: templates chained more than %d deep",
		    t->prefix, CONFIG_TEMPLATE_DEPTH);
	t->res = t->own;
	checks_use(o, &t->res, &t->own.use, t->prefix);
	checks_flap(o, &t->res, t->prefix, &t->mark, 1);
	checks_quorum(o, &t->res, t->prefix, &t->mark, 1);
	t->done = 1;
}

void
config_templates_resolve(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	const struct config_strs *use;
	struct config_graph *g;
	size_t i, j, *ip;

	g = config_graph_new(ld, o->ntmpls);
	g->cycle = checks_use_cycle;
	g->done = checks_template_done;
	for (i = 0; i < o->ntmpls; i++) {
		use = &o->tmpls[i].own.use;
		config_graph_edges(ld, g, i, use->n);
		for (j = 0; j < use->n; j++)
			if ((ip = config_index_find(&o->tmpl_map, use->v[j])) != NULL)
				g->adj[i][g->deg[i]++] = *ip;
	}
	config_graph_walk(o, g);
}

void
config_templates_refs(struct config_objects *o)
{
	struct config_tmpl *t;
	size_t i;

	for (i = 0; i < o->ntmpls; i++) {
		t = &o->tmpls[i];
		if (t->own.set & CONFIG_P_COMMAND)
			config_command_of(o, &t->own, t->prefix);
		if (t->own.set & CONFIG_P_EVENT_HANDLER)
			config_cmdref_of(o, &t->own.event_handler,
			    &t->own.event_handler_mark, 0, "event_handler", t->prefix);
		config_period_ref(o, &t->own, t->prefix);
		config_notify_refs(o, &t->own, t->prefix, &t->mark,
		    CONFIG_NOTIFY_ANY);
	}
}

/* ---- hosts and parents ---------------------------------------------- */

void
config_hosts_build(struct config_objects *o)
{
	struct config *cfg = o->cfg;
	struct config_rhost *rh;
	struct config_props p;
	struct cfg_host *h;
	size_t i;

	for (i = 0; i < o->nhosts; i++) {
		rh = &o->hosts[i];
		if (rh->skip)
			continue;
		p = rh->p;
		checks_use(o, &p, &rh->p.use, rh->prefix);
		checks_flap(o, &p, rh->prefix, &rh->mark, 0);
		checks_quorum(o, &p, rh->prefix, &rh->mark, 0);
		rh->p = p;
		config_groups_refs(o, &p, rh->prefix);
		config_period_ref(o, &p, rh->prefix);
		config_notify_refs(o, &p, rh->prefix, &rh->mark,
		    CONFIG_NOTIFY_HOST);
		xgrow((void **)&cfg->hosts, &o->chosts_cap, cfg->nhosts + 1,
		    sizeof(*cfg->hosts));
		h = &cfg->hosts[cfg->nhosts];
		memset(h, 0, sizeof(*h));
		h->name = config_store_str(cfg->store, rh->name);
		h->address = config_store_str(cfg->store,
		    p.set & CONFIG_P_ADDRESS ? p.address : rh->name);
		h->alias = config_store_str(cfg->store,
		    p.set & CONFIG_P_ALIAS ? p.alias : rh->name);
		h->parents = config_store_strv(cfg->store, p.parents.v, p.parents.n);
		h->nparents = p.parents.n;
		h->vars = config_vars_copy(&p.vars);
		h->nvars = p.vars.n;
		h->groups = config_store_strv(cfg->store, p.groups.v, p.groups.n);
		h->ngroups = p.groups.n;
		h->mark = rh->mark;
		rh->hi = cfg->nhosts++;
	}
}

/* Report a loop in the parent graph: stack[from..n-1] then back to stack[from]. */
static void
checks_parent_loop(struct config_objects *o, const struct config_graph *g,
    const size_t *stack, size_t from, size_t n, size_t e)
{
	struct config_loader *ld = o->ld;
	const struct cfg_host *hosts = o->cfg->hosts;
	const struct cfg_host *last = &hosts[stack[n - 1]];
	char *chain = xstrdup(""), *tmp;
	size_t i;

	for (i = from; i < n; i++) {
		if (i - from == CHECKS_CHAIN_MAX) {
			tmp = xasprintf("%s... -> ", chain);
			free(chain);
			chain = tmp;
			break;
		}
		tmp = xasprintf("%s%s -> ", chain, config_quote(ld,
		    hosts[stack[i]].name));
		free(chain);
		chain = tmp;
	}
	config_error(ld, &last->mark, "host %s: parents: loop in the parent "
	    "chain %s%s", config_quote(ld, last->name), chain,
	    config_quote(ld, hosts[stack[from]].name));
	free(chain);
}

void
config_hosts_parents(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct config_graph *g;
	size_t i, j, u, *ip;
	struct config_rhost *rh;
	struct config_tmpl *t;

	/* Templates' own parents, once, whoever uses them. */
	for (i = 0; i < o->ntmpls; i++) {
		t = &o->tmpls[i];
		for (j = 0; j < t->own.parents.n; j++)
			if (config_index_find(&o->host_map, t->own.parents.v[j]) == NULL)
				config_error(ld, &t->own.parents.m[j], "%sparents: "
				    "host %s is not defined", t->prefix,
				    config_quote(ld, t->own.parents.v[j]));
	}

	g = config_graph_new(ld, cfg->nhosts);
	g->cycle = checks_parent_loop;
	for (i = 0; i < o->nhosts; i++) {
		rh = &o->hosts[i];
		if (rh->skip)
			continue;
		u = rh->hi;
		config_graph_edges(ld, g, u, rh->p.parents.n);
		for (j = 0; j < rh->p.parents.n; j++) {
			const char *pn = rh->p.parents.v[j];
			const struct cfg_mark *m = rh->p.inherited & CONFIG_P_PARENTS ?
			    &rh->mark : &rh->p.parents.m[j];

			if ((ip = config_index_find(&o->host_map, pn)) == NULL) {
				if (!(rh->p.inherited & CONFIG_P_PARENTS))
					config_error(ld, m, "%sparents: host %s is "
					    "not defined", rh->prefix,
					    config_quote(ld, pn));
				continue;
			}
			if (*ip == i) {
				config_error(ld, m, "%sparents: a host cannot be "
				    "its own parent", rh->prefix);
				continue;
			}
			g->adj[u][g->deg[u]++] = o->hosts[*ip].hi;
		}
	}

	config_graph_walk(o, g);
}

/* p's event_handler for ck: its command expanded with the runtime macros
 * left for the engine (argv.c); reported at its own place. */
static void
checks_event_handler(struct config_objects *o, size_t hi, const char *service,
    const struct config_props *p, struct cfg_check *ck, const char *prefix,
    const struct cfg_mark *mark, const struct config_vars *host_defaults)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	const struct cfg_command *cmd;
	const char *ehp;
	char **argv, *users, *macros;

	if ((cmd = config_cmdref_of(o, &p->event_handler, &p->event_handler_mark,
	    (p->inherited & CONFIG_P_EVENT_HANDLER) != 0, "event_handler", prefix)) == NULL)
		return;
	ehp = config_arena_printf(&ld->arena, "%sevent_handler: ", prefix);
	if ((argv = config_argv_event(o, hi, service, p, &p->event_handler, cmd, ehp,
	    (p->inherited & CONFIG_P_EVENT_HANDLER) ? mark : &p->event_handler_mark,
	    host_defaults, &users, &macros)) == NULL)
		return;
	ck->event_handler = config_store_str(cfg->store, cmd->name);
	ck->eh_argv = argv;
	ck->eh_argc = cmd->argc;
	ck->eh_users = users;
	ck->eh_macros = macros;
	/* Nagios's event_handler_timeout: 30 s */
	ck->eh_timeout = cmd->timeout > 0 ? cmd->timeout : 30;
}

void
config_check_build(struct config_objects *o, size_t hi, const char *service,
    const struct config_props *p, const char *prefix, const struct cfg_mark *mark,
    const struct config_vars *host_defaults, const char *rule)
{
	struct config *cfg = o->cfg;
	const struct cfg_command *cmd;
	struct cfg_check *ck;
	char **argv, *users;

	if ((cmd = config_command_of(o, p, prefix)) == NULL)
		return;
	if ((argv = config_argv_check(o, hi, service, p, cmd, prefix,
	    mark, host_defaults, &users)) == NULL)
		return;
	xgrow((void **)&cfg->checks, &o->checks_cap, cfg->nchecks + 1,
	    sizeof(*cfg->checks));
	ck = &cfg->checks[cfg->nchecks++];
	memset(ck, 0, sizeof(*ck));
	ck->host = cfg->hosts[hi].name;
	ck->service = config_store_str(cfg->store, service);
	ck->command = config_store_str(cfg->store, cmd->name);
	ck->argv = argv;
	ck->argc = cmd->argc;
	ck->users = users;
	ck->mark = *mark;
	ck->rule = rule ? config_store_str(cfg->store, rule) : NULL;
	config_props_to_check(p, ck);
	if ((p->set & CONFIG_P_FRESHNESS) && p->freshness_threshold > 0)
		ck->freshness = 1;
	ck->stale_state_set = (p->set & CONFIG_P_STALE_STATE) != 0;
	if (p->set & CONFIG_P_TIMEOUT)
		ck->timeout = p->timeout;
	else if (cmd->timeout > 0)
		ck->timeout = cmd->timeout;
	else
		ck->timeout = service ? CHECKS_TIMEOUT_SERVICE :
		    CHECKS_TIMEOUT_HOST;
	if (p->set & CONFIG_P_POOLS) {
		ck->pools = config_store_strv(cfg->store, p->pools.v, p->pools.n);
		ck->npools = p->pools.n;
	} else {
		const char *pool = cfg->worker.pool;

		ck->pools = config_store_strv(cfg->store, &pool, 1);
		ck->npools = 1;
	}
	if (service != NULL) {
		ck->groups = config_store_strv(cfg->store, p->groups.v, p->groups.n);
		ck->ngroups = p->groups.n;
	} else
		ck->groups = config_store_strv(cfg->store, NULL, 0);
	if (p->set & CONFIG_P_CHECK_PERIOD) {
		ck->check_period = config_store_str(cfg->store, p->check_period);
		/* Not found: reported where it is written. */
		ck->check_period_tp = config_period_find(o, p->check_period);
	}
	config_notify_check(o, ck, p);
	if (p->set & CONFIG_P_EVENT_HANDLER)
		checks_event_handler(o, hi, service, p, ck, prefix, mark, host_defaults);
}

static void
checks_build_service(struct config_objects *o, struct config_rsvc *s)
{
	struct config_loader *ld = o->ld;
	struct config_props p;
	const struct config_rhost *rh;
	const char *key;
	struct cfg_mark *f;
	size_t *ip;

	if (s->inline_host >= 0)
		rh = &o->hosts[s->inline_host];
	else if ((ip = config_index_find(&o->host_map, s->host)) != NULL)
		rh = &o->hosts[*ip];
	else {
		config_error(ld, &s->host_mark, "%shost: host %s is not defined",
		    s->prefix, config_quote(ld, s->host));
		return;
	}
	/* Host names have no '/', so "host/desc" is unambiguous. */
	key = config_arena_printf(&ld->arena, "%s/%s", s->host, s->desc);
	if ((ip = config_index_find(&o->svc_map, key)) != NULL) {
		f = &o->svcs[*ip].mark;
		config_error(ld, &s->mark, "service %s is defined twice (first at "
		    "%s:%d:%d)", config_quote(ld, key), f->file, f->line, f->col);
		return;
	}
	config_index_put(&o->svc_map, key, (size_t)(s - o->svcs));
	p = s->p;
	if (config_service_resolve(o, &p, s->prefix, &s->mark) < 0)
		return;
	config_props_implied(ld, &p, &rh->p);
	config_check_build(o, rh->hi, s->desc, &p, s->prefix, &s->mark, NULL,
	    NULL);
}

int
config_service_resolve(struct config_objects *o, struct config_props *p,
    const char *prefix, const struct cfg_mark *mark)
{
	checks_use(o, p, &p->use, prefix);
	config_groups_refs(o, p, prefix);
	checks_flap(o, p, prefix, mark, 0);
	checks_quorum(o, p, prefix, mark, 0);
	config_period_ref(o, p, prefix);
	config_notify_refs(o, p, prefix, mark, CONFIG_NOTIFY_SERVICE);
	checks_service_state(o, p, CONFIG_P_TIMEOUT_STATE, &p->timeout_state,
	    "timeout_state", prefix, mark);
	checks_service_state(o, p, CONFIG_P_STALE_STATE, &p->stale_state,
	    "stale_state", prefix, mark);
	if (!(p->set & CONFIG_P_COMMAND)) {
		config_error(o->ld, mark, "%scommand: missing (expected command: "
		    "NAME or command: [NAME, ARG1, ...])", prefix);
		return -1;
	}
	return 0;
}

void
config_checks_build(struct config_objects *o)
{
	struct config_rhost *rh;
	size_t i;

	for (i = 0; i < o->nitems; i++) {
		if (!o->items[i].is_host) {
			if (!o->svcs[o->items[i].idx].skip)
				checks_build_service(o, &o->svcs[o->items[i].idx]);
			continue;
		}
		rh = &o->hosts[o->items[i].idx];
		if (!rh->skip && (rh->p.set & CONFIG_P_COMMAND))
			config_check_build(o, rh->hi, NULL, &rh->p, rh->prefix,
			    &rh->mark, NULL, NULL);
	}
}
