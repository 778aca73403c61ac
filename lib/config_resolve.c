/*
 * NAME
 *	config_resolve - pass 2 of conf.d: templates, parents, checks, argv
 * DESCRIPTION
 *	config_objects_finish() runs once every file is read (pass 1,
 *	config_objects.c), because a host may use a template, a parent or a
 *	command defined in a later file. In order:
 *	  timeperiods	into cfg->timeperiods, then exclude: defined, not
 *			the timeperiod itself, no cycles; each exclusion
 *			linked by pointer (none of a timeperiod on a cycle,
 *			so cfg never holds one);
 *	  contacts	contacts and contact groups (config_notify.c);
 *	  templates	`use:` resolved depth first: the object's own keys
 *			win, then the first template that sets a key, then
 *			that template's own templates (Nagios); vars merge one
 *			by one; cycles and unknown names are reported once;
 *			`groups:` does not merge: the object's own list (even
 *			an empty one) replaces its templates', as a Nagios
 *			hostgroups without '+' does, so an object can always
 *			leave a group its template puts it in;
 *	  groups	into cfg->groups, then parents: defined, not the
 *			group itself, no cycles (several parents and
 *			diamonds are fine: the parents form a DAG);
 *	  hosts		into cfg->hosts with their groups (each defined),
 *			then parents: defined, not the host itself, no loops;
 *	  checks	host checks and services in definition order, each
 *			with its command found and its argv expanded; a
 *			service's groups go on its check, a host check has
 *			none (the host's membership is on the host); its
 *			check_period found (a name and a pointer) and the
 *			defaults of the keys it does not set filled in; its
 *			notification keys (config_notify.c), a service taking
 *			the notify, notification_interval and
 *			notification_period it does not set from its host
 *			(Nagios's implied inheritance).
 *
 *	low_flap_threshold < high_flap_threshold holds for the values a
 *	check ends up with, which may come from different templates and the
 *	defaults: each pair is checked once, where it first meets (a
 *	template that has both, else the host or service), and reported at
 *	a value written there, naming where the other one comes from. So
 *	does quorum <= the number of pools.
 *
 *	Expansion: each $ARGn$ value is expanded first (it may hold $USER1$
 *	or $HOSTADDRESS$), then every element of the command's argv, with
 *	the expanded ARG values inserted as they are. Host addresses,
 *	aliases, vars and resource values are never expanded again, so
 *	whatever they hold stays one literal argv element.
 * DIAGNOSTICS
 *	Through config_error(). A problem inherited from a template is
 *	reported once, at the template, not at every object using it. Cycles
 *	of group parents and of host parents are found by one iterative
 *	depth-first walk (resolve_cycles: linear in objects + parent edges, no
 *	recursion), each cycle reported once. A group cycle is reported at
 *	its group defined first and names every group of it with its place:
 *	"group \"a\": parents form a cycle: a (f:3:3) -> b (f:5:3) -> a";
 *	past RESOLVE_CYCLES_MAX cycles, one more error counts the rest.
 *	Timeperiod cycles read the same: "timeperiod \"a\": excludes form a
 *	cycle: ...". A check_period or exclude naming no timeperiod suggests
 *	the nearest defined name. A notification command's argv is checked,
 *	not expanded: "contact \"alice\": command \"sms\" argv[2] \"$FOO$\":
 *	unknown macro $FOO$". A service whose template says UP or DOWN
 *	for timeout_state or stale_state is told at the service. Macro
 *	errors point at the check and name the argument: "service
 *	\"web-01/http\": command \"http\" argv[3] \"$FOO$\": unknown macro $FOO$".
 * SECURITY
 *	$USERn$ values (secrets) go into argv only; messages quote the
 *	arguments as written, never as expanded.
 */
#include "config.h"
#include "config_private.h"
#include "macro.h"
#include "strbuf.h"
#include "timeperiod.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RESOLVE_ARG_MAX	9999	/* highest $ARGn$ we parse */
#define RESOLVE_CHAIN_MAX	10	/* names shown of a parent loop */
/*
 * Group cycles reported in full. A chain of 10,000 groups that all also
 * list its first one holds 10,000 cycles of up to 10,000 names: past this
 * many, one line counts the rest instead of gigabytes of messages.
 */
#define RESOLVE_CYCLES_MAX	100

/* Defaults of check keys that struct cfg_check does not take as 0. */
#define RESOLVE_INTERVAL	300
#define RESOLVE_RETRY_INTERVAL	60
#define RESOLVE_MAX_ATTEMPTS	3
#define RESOLVE_TIMEOUT_SERVICE	60
#define RESOLVE_TIMEOUT_HOST	30
#define RESOLVE_TIMEOUT_STATE	2	/* CRITICAL, as Nagios */
#define RESOLVE_STALE_STATE	3	/* UNKNOWN */
#define RESOLVE_LOW_FLAP	20.0	/* percent, as Nagios */
#define RESOLVE_HIGH_FLAP	30.0

/* ---- templates ------------------------------------------------------ */

/* Fill what dst does not set from src (a resolved template). */
static void
resolve_inherit(struct config_objects *o, struct config_props *dst,
    const struct config_props *src)
{
	unsigned add = src->set & ~dst->set;
	struct config_vars *dv = &dst->vars;
	const struct config_vars *sv = &src->vars;
	size_t i, j, n;

	if (add & CONFIG_P_COMMAND) {
		dst->command = src->command;
		dst->command_mark = src->command_mark;
		dst->args = src->args;
	}
	if (add & CONFIG_P_INTERVAL)
		dst->interval = src->interval;
	if (add & CONFIG_P_RETRY_INTERVAL)
		dst->retry_interval = src->retry_interval;
	if (add & CONFIG_P_MAX_ATTEMPTS)
		dst->max_attempts = src->max_attempts;
	if (add & CONFIG_P_TIMEOUT)
		dst->timeout = src->timeout;
	if (add & CONFIG_P_POOLS) {
		dst->pools = src->pools;
		dst->pools_mark = src->pools_mark;
	}
	if (add & CONFIG_P_QUORUM) {
		dst->quorum = src->quorum;
		dst->quorum_mark = src->quorum_mark;
	}
	/* As the flap pair: checked at src only counts if it comes whole. */
	if ((add & (CONFIG_P_POOLS | CONFIG_P_QUORUM)) && !dst->quorum_checked)
		dst->quorum_checked = (add & CONFIG_P_POOLS) &&
		    (add & CONFIG_P_QUORUM) && src->quorum_checked;
	if (add & CONFIG_P_ACTIVE)
		dst->active = src->active;
	if (add & CONFIG_P_PASSIVE)
		dst->passive = src->passive;
	if (add & CONFIG_P_ADDRESS)
		dst->address = src->address;
	if (add & CONFIG_P_ALIAS)
		dst->alias = src->alias;
	if (add & CONFIG_P_PARENTS)
		dst->parents = src->parents;
	if (add & CONFIG_P_GROUPS)
		dst->groups = src->groups;
	if (add & CONFIG_P_TIMEOUT_STATE)
		dst->timeout_state = src->timeout_state;
	if (add & CONFIG_P_STALE_STATE)
		dst->stale_state = src->stale_state;
	if (add & CONFIG_P_FRESHNESS)
		dst->freshness_threshold = src->freshness_threshold;
	if (add & CONFIG_P_FLAP_DETECTION)
		dst->flap_detection = src->flap_detection;
	if (add & CONFIG_P_LOW_FLAP)
		dst->low_flap = src->low_flap;
	if (add & CONFIG_P_HIGH_FLAP)
		dst->high_flap = src->high_flap;
	/* A pair checked at src stays checked only if it comes whole. */
	if (add & (CONFIG_P_LOW_FLAP | CONFIG_P_HIGH_FLAP))
		dst->flap_checked = (add & CONFIG_P_LOW_FLAP) &&
		    (add & CONFIG_P_HIGH_FLAP) && src->flap_checked;
	if (add & CONFIG_P_DEBOUNCE)
		dst->debounce = src->debounce;
	if (add & CONFIG_P_IS_VOLATILE)
		dst->is_volatile = src->is_volatile;
	if (add & CONFIG_P_CHECK_PERIOD) {
		dst->check_period = src->check_period;
		dst->check_period_mark = src->check_period_mark;
	}
	if (add & CONFIG_P_NOTIFY)
		dst->notify = src->notify;
	if (add & CONFIG_P_NOTIFY_ON)
		dst->notify_on = src->notify_on;
	if (add & CONFIG_P_NOTIFICATION_INTERVAL)
		dst->notification_interval = src->notification_interval;
	if (add & CONFIG_P_FIRST_NOTIFICATION_DELAY)
		dst->first_notification_delay = src->first_notification_delay;
	if (add & CONFIG_P_NOTIFICATION_PERIOD) {
		dst->notification_period = src->notification_period;
		dst->notification_period_mark = src->notification_period_mark;
	}
	/* A list of escalations is one value: it replaces, never merges. */
	if (add & CONFIG_P_ESCALATIONS) {
		dst->escalations = src->escalations;
		dst->nescalations = src->nescalations;
	}
	if (add & CONFIG_P_VARS)
		*dv = *sv;
	else if ((src->set & CONFIG_P_VARS) && sv->n > 0) {
		/* Vars merge one by one (Nagios): the first one set wins. */
		struct config_vars nv;

		n = dv->n + sv->n;
		nv.name = config_arena_alloc(&o->ld->arena, n * sizeof(*nv.name));
		nv.value = config_arena_alloc(&o->ld->arena, n * sizeof(*nv.value));
		nv.m = config_arena_alloc(&o->ld->arena, n * sizeof(*nv.m));
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
	dst->set |= add;
	dst->inherited |= add;
}

static const struct config_props *resolve_template(struct config_objects *o,
    size_t ti);

/* " (at f:l:c)" for where a value comes from, "" if that is at. */
static const char *
resolve_origin(struct config_objects *o, const struct cfg_mark *m,
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
resolve_flap(struct config_objects *o, struct config_props *p,
    const char *prefix, const struct cfg_mark *mark, int is_template)
{
	const unsigned both = CONFIG_P_LOW_FLAP | CONFIG_P_HIGH_FLAP;
	const struct cfg_mark *lm = NULL, *hm = NULL, *at = mark;
	double low = RESOLVE_LOW_FLAP, high = RESOLVE_HIGH_FLAP;

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
	    "high_flap_threshold %g%s", prefix, low, resolve_origin(o, lm, at),
	    high, resolve_origin(o, hm, at));
}

/*
 * quorum <= the number of pools, once per pair, as resolve_flap does it: a
 * template checks a pair it has whole, an object what it ends up with
 * (one pool, the worker's default, and quorum 1 unless set), unless a
 * template checked it already. The error goes to a value written here,
 * else to the object. quorum >= 1 is pass 1's.
 */
static void
resolve_quorum(struct config_objects *o, struct config_props *p,
    const char *prefix, const struct cfg_mark *mark, int is_template)
{
	const unsigned both = CONFIG_P_POOLS | CONFIG_P_QUORUM;
	const struct cfg_mark *qm = NULL, *pm = NULL, *at = mark;
	const char *pools_origin;
	size_t npools = 1;
	int quorum = 1;

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
		pools_origin = resolve_origin(o, pm, at);
	else
		pools_origin = config_arena_printf(&o->ld->arena, " (the default "
		    "pool %s)", config_quote(o->ld, o->cfg->worker.pool));
	config_error(o->ld, at, "%squorum %d%s must be between 1 and the number "
	    "of pools, %zu%s", prefix, quorum, resolve_origin(o, qm, at), npools,
	    pools_origin);
}

void
config_resolve_no_period(struct config_objects *o, const struct cfg_mark *m,
    const char *prefix, const char *key, const char *name)
{
	struct config_loader *ld = o->ld;
	const char *hint = config_suggest(name, o->period_names,
	    o->nperiod_names);

	if (hint != NULL)
		config_error(ld, m, "%s%s: timeperiod %s is not defined (did you "
		    "mean \"%s\"?)", prefix, key, config_quote(ld, name), hint);
	else
		config_error(ld, m, "%s%s: timeperiod %s is not defined", prefix,
		    key, config_quote(ld, name));
}

/* p's own check_period exists (an inherited one is checked at its template). */
static void
resolve_period_ref(struct config_objects *o, const struct config_props *p,
    const char *prefix)
{
	if (!(p->set & CONFIG_P_CHECK_PERIOD) ||
	    (p->inherited & CONFIG_P_CHECK_PERIOD))
		return;
	if (config_index_find(&o->period_map, p->check_period) == NULL)
		config_resolve_no_period(o, &p->check_period_mark, prefix,
		    "check_period", p->check_period);
}

/* A service given UP or DOWN by a template: fine there, wrong here. */
static void
resolve_service_state(struct config_objects *o, const struct config_props *p,
    unsigned bit, const struct config_state *st, const char *key,
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

/* Apply the templates named in use, in order, to p. */
static void
resolve_use(struct config_objects *o, struct config_props *p,
    const struct config_strs *use, const char *prefix)
{
	struct config_loader *ld = o->ld;
	size_t i, j, *ip;
	char *chain, *tmp;

	for (i = 0; i < use->n; i++) {
		if ((ip = config_index_find(&o->tmpl_map, use->v[i])) == NULL) {
			config_error(ld, &use->m[i], "%suse: template %s is not "
			    "defined", prefix, config_quote(ld, use->v[i]));
			continue;
		}
		if (o->tmpls[*ip].state == CONFIG_TMPL_RESOLVING) {
			for (j = 0; j < o->nstack && o->stack[j] != *ip; j++)
				;
			chain = xstrdup("");
			for (; j < o->nstack; j++) {
				tmp = xasprintf("%s%s -> ", chain,
				    config_quote(ld, o->tmpls[o->stack[j]].name));
				free(chain);
				chain = tmp;
			}
			config_error(ld, &use->m[i], "%suse: template cycle %s%s",
			    prefix, chain, config_quote(ld, use->v[i]));
			free(chain);
			continue;
		}
		resolve_inherit(o, p, resolve_template(o, *ip));
	}
}

static const struct config_props *
resolve_template(struct config_objects *o, size_t ti)
{
	struct config_tmpl *t = &o->tmpls[ti];

	if (t->state == CONFIG_TMPL_DONE)
		return &t->res;
	t->state = CONFIG_TMPL_RESOLVING;
	xgrow((void **)&o->stack, &o->stack_cap, o->nstack + 1,
	    sizeof(*o->stack));
	o->stack[o->nstack++] = ti;
	t->res = t->own;
	resolve_use(o, &t->res, &t->own.use, t->prefix);
	resolve_flap(o, &t->res, t->prefix, &t->mark, 1);
	resolve_quorum(o, &t->res, t->prefix, &t->mark, 1);
	o->nstack--;
	t->state = CONFIG_TMPL_DONE;
	return &t->res;
}

struct cfg_var *
config_resolve_vars(const struct config_vars *vars)
{
	struct cfg_var *v = xcalloc(vars->n + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < vars->n; i++) {
		v[i].name = xstrdup(vars->name[i]);
		v[i].value = xstrdup(vars->value[i]);
	}
	return v;
}

const struct timeperiod *
config_resolve_period(const struct config_objects *o, const char *name)
{
	size_t *ip = config_index_find(&o->period_map, name);

	return ip != NULL ? o->cfg->timeperiods[o->periods[*ip].ti].tp : NULL;
}

/* NULL-terminated heap copy of s, for struct config. */
static char **
resolve_strv(const struct config_strs *s)
{
	char **v = xcalloc(s->n + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < s->n; i++)
		v[i] = xstrdup(s->v[i]);
	return v;
}

/* ---- cycles --------------------------------------------------------- */

typedef void resolve_cycle_fn(struct config_objects *o, const size_t *stack,
    size_t from, size_t top);

/*
 * Walk the graph of n nodes (node u's edges: adj[u][0 .. deg[u]-1]) depth
 * first and call found() for every back edge: stack[from .. top-1] is then
 * a cycle, closed by stack[top-1] -> stack[from]. Iterative, with colours
 * (white, on the stack, done): O(nodes + edges), and a chain of 10,000
 * parents needs no C stack. Each back edge closes a different cycle (its
 * other edges are tree edges), so no cycle is reported twice, and a graph
 * with any cycle has a back edge.
 */
static void
resolve_cycles(struct config_objects *o, size_t n, size_t *const *adj,
    const size_t *deg, resolve_cycle_fn *found)
{
	size_t *stack, *edge, *pos, i, u, w, top;
	unsigned char *color;

	color = xcalloc(n + 1, 1);
	stack = xmalloc((n + 1) * sizeof(*stack));
	edge = xmalloc((n + 1) * sizeof(*edge));
	pos = xmalloc((n + 1) * sizeof(*pos));
	for (i = 0; i < n; i++) {
		if (color[i] != 0)
			continue;
		top = 0;
		stack[top] = i;
		edge[top] = 0;
		pos[i] = top++;
		color[i] = 1;
		while (top > 0) {
			u = stack[top - 1];
			if (edge[top - 1] == deg[u]) {
				color[u] = 2;
				top--;
				continue;
			}
			w = adj[u][edge[top - 1]++];
			if (color[w] == 1)
				found(o, stack, pos[w], top);
			else if (color[w] == 0) {
				stack[top] = w;
				edge[top] = 0;
				pos[w] = top++;
				color[w] = 1;
			}
		}
	}
	free(color);
	free(stack);
	free(edge);
	free(pos);
}

/* ---- groups --------------------------------------------------------- */

/*
 * The groups p names exist. A list inherited from a template was checked
 * once, at the template.
 */
static void
resolve_group_refs(struct config_objects *o, const struct config_props *p,
    const char *prefix)
{
	struct config_loader *ld = o->ld;
	size_t i;

	if (!(p->set & CONFIG_P_GROUPS) || (p->inherited & CONFIG_P_GROUPS))
		return;
	for (i = 0; i < p->groups.n; i++)
		if (config_index_find(&o->group_map, p->groups.v[i]) == NULL)
			config_error(ld, &p->groups.m[i], "%sgroups: group %s "
			    "is not defined", prefix,
			    config_quote(ld, p->groups.v[i]));
}

/*
 * stack[from .. top-1] (indexes in definition order) is a cycle of
 * o->cycle_kind. Name it from the node defined first, so that the message
 * does not depend on where the walk happened to enter the cycle, and
 * report it there.
 */
static void
resolve_named_cycle(struct config_objects *o, const size_t *stack,
    size_t from, size_t top)
{
	const struct config_cycle_kind *k = o->cycle_kind;
	struct config_loader *ld = o->ld;
	struct strbuf chain = { NULL, 0, 0 };
	size_t len = top - from, first = from, i, u;
	const struct cfg_mark *m;
	char place[64];

	for (i = from; i < top; i++)
		o->on_cycle[stack[i]] = 1;
	for (i = from + 1; i < top; i++)
		if (stack[i] < stack[first])
			first = i;
	if (++o->ncycles > RESOLVE_CYCLES_MAX) {
		if (o->ncycles == RESOLVE_CYCLES_MAX + 1)
			o->cycle_more = stack[first];
		return;
	}
	for (i = 0; i < len; i++) {
		u = stack[from + (first - from + i) % len];
		m = k->mark(o, u);
		strbuf_adds(&chain, k->name(o, u));
		strbuf_adds(&chain, " (");
		strbuf_adds(&chain, m->file);
		snprintf(place, sizeof(place), ":%d:%d) -> ", m->line, m->col);
		strbuf_adds(&chain, place);
	}
	u = stack[first];
	strbuf_adds(&chain, k->name(o, u));
	config_error(ld, k->mark(o, u), "%s %s: %s a cycle: %s", k->kind,
	    config_quote(ld, k->name(o, u)), k->relation, chain.s);
	free(chain.s);
}

/* See config_private.h; the walk is resolve_cycles'. */
void
config_resolve_named_cycles(struct config_objects *o,
    const struct config_cycle_kind *k, size_t n, size_t *const *adj,
    const size_t *deg)
{
	struct config_loader *ld = o->ld;
	size_t u;

	o->cycle_kind = k;
	o->ncycles = 0;
	o->on_cycle = config_arena_alloc(&ld->arena, n + 1);
	memset(o->on_cycle, 0, n + 1);
	resolve_cycles(o, n, adj, deg, resolve_named_cycle);
	if (o->ncycles > RESOLVE_CYCLES_MAX) {
		u = o->cycle_more;
		config_error(ld, k->mark(o, u), "%s %s: %s %zu more cycles, not "
		    "shown (fix the ones above first)", k->kind,
		    config_quote(ld, k->name(o, u)), k->relation,
		    o->ncycles - RESOLVE_CYCLES_MAX);
	}
}

static const char *
resolve_group_name(const struct config_objects *o, size_t i)
{
	return o->cfg->groups[i].name;
}

static const struct cfg_mark *
resolve_group_mark(const struct config_objects *o, size_t i)
{
	return &o->cfg->groups[i].mark;
}

static const struct config_cycle_kind resolve_group_kind = {
	"group", "parents form", resolve_group_name, resolve_group_mark,
};

static void
resolve_build_groups(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct config_rgroup *rg;
	struct cfg_group *g;
	size_t **adj, *deg, i, j, u, *ip;

	for (i = 0; i < o->ngroups; i++) {
		rg = &o->groups[i];
		if (rg->skip)
			continue;
		xgrow((void **)&cfg->groups, &o->cgroups_cap, cfg->ngroups + 1,
		    sizeof(*cfg->groups));
		g = &cfg->groups[cfg->ngroups];
		memset(g, 0, sizeof(*g));
		g->name = xstrdup(rg->name);
		g->title = xstrdup(rg->title ? rg->title : rg->name);
		g->parents = resolve_strv(&rg->parents);
		g->nparents = rg->parents.n;
		g->host_patterns = resolve_strv(&rg->host_patterns);
		g->nhost_patterns = rg->host_patterns.n;
		g->service_patterns = resolve_strv(&rg->service_patterns);
		g->nservice_patterns = rg->service_patterns.n;
		g->mark = rg->mark;
		rg->gi = cfg->ngroups++;
	}

	/* The parent graph, child -> parent, over cfg->groups indexes. */
	adj = config_arena_alloc(&ld->arena, (cfg->ngroups + 1) * sizeof(*adj));
	deg = config_arena_alloc(&ld->arena, (cfg->ngroups + 1) * sizeof(*deg));
	for (i = 0; i < o->ngroups; i++) {
		rg = &o->groups[i];
		if (rg->skip)
			continue;
		u = rg->gi;
		adj[u] = config_arena_alloc(&ld->arena,
		    (rg->parents.n + 1) * sizeof(**adj));
		deg[u] = 0;
		for (j = 0; j < rg->parents.n; j++) {
			if ((ip = config_index_find(&o->group_map,
			    rg->parents.v[j])) == NULL) {
				config_error(ld, &rg->parents.m[j], "%sparents: "
				    "group %s is not defined", rg->prefix,
				    config_quote(ld, rg->parents.v[j]));
				continue;
			}
			if (*ip == i) {
				config_error(ld, &rg->parents.m[j], "%sparents: a "
				    "group cannot be its own parent", rg->prefix);
				continue;
			}
			adj[u][deg[u]++] = o->groups[*ip].gi;
		}
	}
	config_resolve_named_cycles(o, &resolve_group_kind, cfg->ngroups, adj,
	    deg);
}

/* ---- timeperiods ---------------------------------------------------- */

static const char *
resolve_period_name(const struct config_objects *o, size_t i)
{
	return o->cfg->timeperiods[i].name;
}

static const struct cfg_mark *
resolve_period_mark(const struct config_objects *o, size_t i)
{
	return &o->cfg->timeperiods[i].mark;
}

static const struct config_cycle_kind resolve_period_kind = {
	"timeperiod", "excludes form", resolve_period_name, resolve_period_mark,
};

static void
resolve_build_periods(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct config_rperiod *r;
	struct cfg_timeperiod *ct;
	size_t **adj, *deg, i, j, u, *ip;

	o->period_names = config_arena_alloc(&ld->arena,
	    (o->nperiods + 1) * sizeof(*o->period_names));
	for (i = 0; i < o->nperiods; i++) {
		r = &o->periods[i];
		if (r->skip)
			continue;
		xgrow((void **)&cfg->timeperiods, &o->cperiods_cap,
		    cfg->ntimeperiods + 1, sizeof(*cfg->timeperiods));
		ct = &cfg->timeperiods[cfg->ntimeperiods];
		ct->name = xstrdup(r->name);
		ct->tp = r->tp;
		r->tp = NULL;
		ct->mark = r->mark;
		r->ti = cfg->ntimeperiods++;
		o->period_names[o->nperiod_names++] = r->name;
	}

	/* The exclusion graph, over cfg->timeperiods indexes. */
	adj = config_arena_alloc(&ld->arena,
	    (cfg->ntimeperiods + 1) * sizeof(*adj));
	deg = config_arena_alloc(&ld->arena,
	    (cfg->ntimeperiods + 1) * sizeof(*deg));
	for (i = 0; i < o->nperiods; i++) {
		r = &o->periods[i];
		if (r->skip)
			continue;
		u = r->ti;
		adj[u] = config_arena_alloc(&ld->arena,
		    (r->exclude.n + 1) * sizeof(**adj));
		deg[u] = 0;
		for (j = 0; j < r->exclude.n; j++) {
			if ((ip = config_index_find(&o->period_map,
			    r->exclude.v[j])) == NULL) {
				config_resolve_no_period(o, &r->exclude.m[j],
				    r->prefix, "exclude", r->exclude.v[j]);
				continue;
			}
			if (*ip == i) {
				config_error(ld, &r->exclude.m[j], "%sexclude: a "
				    "timeperiod cannot exclude itself", r->prefix);
				continue;
			}
			adj[u][deg[u]++] = o->periods[*ip].ti;
		}
	}
	config_resolve_named_cycles(o, &resolve_period_kind,
	    cfg->ntimeperiods, adj, deg);
	/*
	 * Every cycle has a back edge, whose source is on a reported cycle:
	 * leaving those unlinked leaves no cycle for timeperiod_contains().
	 */
	for (u = 0; u < cfg->ntimeperiods; u++) {
		if (o->on_cycle[u])
			continue;
		for (j = 0; j < deg[u]; j++)
			timeperiod_exclude(cfg->timeperiods[u].tp,
			    cfg->timeperiods[adj[u][j]].tp);
	}
}

/* ---- hosts and parents ---------------------------------------------- */

static void
resolve_build_hosts(struct config_objects *o)
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
		resolve_use(o, &p, &rh->p.use, rh->prefix);
		resolve_flap(o, &p, rh->prefix, &rh->mark, 0);
		resolve_quorum(o, &p, rh->prefix, &rh->mark, 0);
		rh->p = p;
		resolve_group_refs(o, &p, rh->prefix);
		resolve_period_ref(o, &p, rh->prefix);
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
		h->vars = config_resolve_vars(&p.vars);
		h->nvars = p.vars.n;
		h->groups = config_store_strv(cfg->store, p.groups.v, p.groups.n);
		h->ngroups = p.groups.n;
		h->mark = rh->mark;
		rh->hi = cfg->nhosts++;
	}
}

/* Report a loop in the parent graph: stack[from..n-1] then back to stack[from]. */
static void
resolve_parent_loop(struct config_objects *o, const size_t *stack, size_t from,
    size_t n)
{
	struct config_loader *ld = o->ld;
	const struct cfg_host *hosts = o->cfg->hosts;
	const struct cfg_host *last = &hosts[stack[n - 1]];
	char *chain = xstrdup(""), *tmp;
	size_t i;

	for (i = from; i < n; i++) {
		if (i - from == RESOLVE_CHAIN_MAX) {
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

static void
resolve_check_parents(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	size_t **adj, *deg, i, j, n, u, *ip;
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

	n = cfg->nhosts;
	adj = config_arena_alloc(&ld->arena, (n + 1) * sizeof(*adj));
	deg = config_arena_alloc(&ld->arena, (n + 1) * sizeof(*deg));
	for (i = 0; i < o->nhosts; i++) {
		rh = &o->hosts[i];
		if (rh->skip)
			continue;
		u = rh->hi;
		adj[u] = config_arena_alloc(&ld->arena,
		    (rh->p.parents.n + 1) * sizeof(**adj));
		deg[u] = 0;
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
			adj[u][deg[u]++] = o->hosts[*ip].hi;
		}
	}

	resolve_cycles(o, n, adj, deg, resolve_parent_loop);
}

/* ---- checks --------------------------------------------------------- */

struct resolve_macro_ctx {
	struct config_objects *o;
	macro_lookup_fn lookup;		/* check or notification command */
	const struct cfg_host *host;
	const char *service;		/* NULL: a host check */
	const struct config_vars *svars;
	const char **args;		/* expanded $ARGn$ values */
	size_t nargs;
	int in_arg;			/* expanding $ARGn$ itself: its n */
	const char *contact;		/* a notification command's contact */
	const struct config_vars *cvars;	/* and its vars */
	char why[256];			/* why the last lookup failed, if not unknown */
};

/*
 * $PLUGINDIR$, $VIGILPLUGINDIR$ and $USERn$: what the configuration gives,
 * the same in check and notification commands. 1 if name is one of them,
 * with *val its value (NULL when it has none: c->why says why), else 0.
 */
static int
resolve_config_macro(struct resolve_macro_ctx *c, const char *name,
    const char **val)
{
	struct config_loader *ld = c->o->ld;
	struct config *cfg = c->o->cfg;
	int n;

	*val = NULL;
	if (strcmp(name, "PLUGINDIR") == 0)
		*val = cfg->plugin_dir;
	else if (strcmp(name, "VIGILPLUGINDIR") == 0)
		*val = cfg->vigil_plugin_dir;
	else if ((n = config_macro_number(name, "USER", CONFIG_NUSER)) > 0) {
		if (ld->user[n] != NULL)
			*val = ld->user[n];
		/* The resource file itself is reported: no echo per check. */
		else if (ld->resource_failed)
			*val = "";
		else if (cfg->resource_file != NULL)
			snprintf(c->why, sizeof(c->why), "macro $%s$ is not set in "
			    "the resource file %s", name, cfg->resource_file);
		else
			snprintf(c->why, sizeof(c->why), "macro $%s$ needs a "
			    "resource file (resource_file in vigil.yaml or "
			    "VIGIL_RESOURCE_FILE)", name);
	} else
		return 0;
	return 1;
}

static const char *
resolve_macro_lookup(const char *name, void *vctx)
{
	struct resolve_macro_ctx *c = vctx;
	struct config_loader *ld = c->o->ld;
	const char *v;
	size_t i;
	int n;

	c->why[0] = '\0';
	if (strcmp(name, "HOSTNAME") == 0)
		return c->host->name;
	if (strcmp(name, "HOSTADDRESS") == 0)
		return c->host->address;
	if (strcmp(name, "HOSTALIAS") == 0)
		return c->host->alias;
	if (resolve_config_macro(c, name, &v))
		return v;
	if (strcmp(name, "SERVICEDESC") == 0) {
		if (c->service != NULL)
			return c->service;
		snprintf(c->why, sizeof(c->why), "macro $SERVICEDESC$ is not "
		    "available in a host check");
		return NULL;
	}
	if ((n = config_macro_number(name, "ARG", RESOLVE_ARG_MAX)) > 0) {
		if (c->in_arg) {
			snprintf(c->why, sizeof(c->why), "macro $%s$ cannot be "
			    "used inside $ARG%d$", name, c->in_arg);
			return NULL;
		}
		/* As Nagios: an argument not given is empty. */
		return (size_t)n <= c->nargs ? c->args[n - 1] : "";
	}
	if (strncmp(name, "_HOST", 5) == 0 && name[5] != '\0') {
		for (i = 0; i < c->host->nvars; i++)
			if (strcasecmp(c->host->vars[i].name, name + 5) == 0)
				return c->host->vars[i].value;
		snprintf(c->why, sizeof(c->why), "unknown macro $%s$ (host %s has "
		    "no var %s in vars)", name, config_quote(ld, c->host->name),
		    config_quote(ld, name + 5));
		return NULL;
	}
	if (strncmp(name, "_SERVICE", 8) == 0 && name[8] != '\0') {
		if (c->service == NULL) {
			snprintf(c->why, sizeof(c->why), "macro $%s$ is not "
			    "available in a host check", name);
			return NULL;
		}
		for (i = 0; i < c->svars->n; i++)
			if (strcasecmp(c->svars->name[i], name + 8) == 0)
				return c->svars->value[i];
		snprintf(c->why, sizeof(c->why), "unknown macro $%s$ (the service "
		    "has no var %s in vars)", name, config_quote(ld, name + 8));
		return NULL;
	}
	if (macro_is_runtime(name))
		snprintf(c->why, sizeof(c->why), "macro $%s$ is not available in "
		    "check commands yet", name);
	return NULL;
}

/*
 * A notification command's macros: those of macro_is_notification() (the
 * notifier gives their values), $_CONTACTvar$ for the contact's own vars
 * and the configuration's. Only whether each has a value is asked here:
 * "" stands for the values to come.
 */
static const char *
resolve_notify_lookup(const char *name, void *vctx)
{
	struct resolve_macro_ctx *c = vctx;
	struct config_loader *ld = c->o->ld;
	const char *v;
	size_t i;

	c->why[0] = '\0';
	if (resolve_config_macro(c, name, &v))
		return v;
	if (strncmp(name, "_CONTACT", 8) == 0 && name[8] != '\0') {
		for (i = 0; i < c->cvars->n; i++)
			if (strcasecmp(c->cvars->name[i], name + 8) == 0)
				return "";
		snprintf(c->why, sizeof(c->why), "unknown macro $%s$ (contact %s "
		    "has no var %s in vars)", name, config_quote(ld, c->contact),
		    config_quote(ld, name + 8));
		return NULL;
	}
	return macro_is_notification(name) ? "" : NULL;
}

/*
 * Expand in, which is $ARG<argi>$ (cmd NULL) or argv[argi] of cmd. On error
 * report "<object>: <which argument> <as written>: <why>" at m.
 */
static char *
resolve_expand(struct resolve_macro_ctx *c, const char *in, const char *prefix,
    const struct cfg_mark *m, const struct cfg_command *cmd, size_t argi)
{
	struct config_loader *ld = c->o->ld;
	char err[256], *out;

	c->why[0] = '\0';
	if (macro_expand(in, c->lookup, c, &out, err, sizeof(err)) == 0)
		return out;
	if (cmd != NULL)
		config_error(ld, m, "%scommand %s argv[%zu] %s: %s", prefix,
		    config_quote(ld, cmd->name), argi, config_quote(ld, in),
		    c->why[0] ? c->why : err);
	else
		config_error(ld, m, "%s$ARG%zu$ %s: %s", prefix, argi,
		    config_quote(ld, in), c->why[0] ? c->why : err);
	return NULL;
}

/*
 * A notification command is not expanded here (the notifier does it per
 * notification): its argv is only checked, so an unknown macro is still a
 * load-time error.
 */
void
config_resolve_notify_command(struct config_objects *o,
    const struct cfg_command *cmd, const char *contact,
    const struct config_vars *vars, const char *prefix,
    const struct cfg_mark *m)
{
	struct resolve_macro_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.lookup = resolve_notify_lookup;
	c.contact = contact;
	c.cvars = vars;
	for (i = 0; i < cmd->argc; i++)
		free(resolve_expand(&c, cmd->argv[i], prefix, m, cmd, i));
}

static void
resolve_build_check(struct config_objects *o, size_t hi, const char *service,
    const struct config_props *p, const char *prefix, const struct cfg_mark *mark)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct resolve_macro_ctx c;
	const struct cfg_command *cmd;
	struct cfg_check *ck;
	char **argv, **ck_argv = NULL, *s;
	size_t *ip, i;
	int ok = 1;

	if ((ip = config_index_find(&o->cmd_map, p->command)) == NULL) {
		if (!(p->inherited & CONFIG_P_COMMAND))
			config_error(ld, &p->command_mark, "%scommand %s is not "
			    "defined", prefix, config_quote(ld, p->command));
		return;
	}
	if (*ip == CONFIG_BROKEN)
		return;
	cmd = &cfg->commands[*ip];

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.lookup = resolve_macro_lookup;
	c.host = &cfg->hosts[hi];
	c.service = service;
	c.svars = &p->vars;
	c.args = config_arena_alloc(&ld->arena, (p->args.n + 1) * sizeof(*c.args));
	for (i = 0; i < p->args.n; i++) {
		c.in_arg = (int)i + 1;
		if ((s = resolve_expand(&c, p->args.v[i], prefix, mark, NULL,
		    i + 1)) == NULL) {
			ok = 0;
			continue;
		}
		c.args[i] = config_arena_strdup(&ld->arena, s);
		free(s);
	}
	if (!ok)
		return;
	c.nargs = p->args.n;
	c.in_arg = 0;
	argv = xcalloc(cmd->argc + 1, sizeof(*argv));
	for (i = 0; i < cmd->argc; i++)
		if ((argv[i] = resolve_expand(&c, cmd->argv[i], prefix, mark, cmd,
		    i)) == NULL)
			ok = 0;
	if (ok)
		ck_argv = config_store_strv(cfg->store, (const char *const *)argv,
		    cmd->argc);
	for (i = 0; i < cmd->argc; i++)
		free(argv[i]);
	free(argv);
	if (!ok)
		return;

	xgrow((void **)&cfg->checks, &o->checks_cap, cfg->nchecks + 1,
	    sizeof(*cfg->checks));
	ck = &cfg->checks[cfg->nchecks++];
	memset(ck, 0, sizeof(*ck));
	ck->host = cfg->hosts[hi].name;
	ck->service = config_store_str(cfg->store, service);
	ck->command = config_store_str(cfg->store, cmd->name);
	ck->argv = ck_argv;
	ck->argc = cmd->argc;
	ck->interval = p->set & CONFIG_P_INTERVAL ? p->interval :
	    RESOLVE_INTERVAL;
	ck->retry_interval = p->set & CONFIG_P_RETRY_INTERVAL ?
	    p->retry_interval : RESOLVE_RETRY_INTERVAL;
	ck->max_attempts = p->set & CONFIG_P_MAX_ATTEMPTS ? p->max_attempts :
	    RESOLVE_MAX_ATTEMPTS;
	if (p->set & CONFIG_P_TIMEOUT)
		ck->timeout = p->timeout;
	else if (cmd->timeout > 0)
		ck->timeout = cmd->timeout;
	else
		ck->timeout = service ? RESOLVE_TIMEOUT_SERVICE :
		    RESOLVE_TIMEOUT_HOST;
	if (p->set & CONFIG_P_POOLS) {
		ck->pools = config_store_strv(cfg->store, p->pools.v, p->pools.n);
		ck->npools = p->pools.n;
	} else {
		const char *pool = cfg->worker.pool;

		ck->pools = config_store_strv(cfg->store, &pool, 1);
		ck->npools = 1;
	}
	ck->quorum = p->set & CONFIG_P_QUORUM ? p->quorum : 1;
	ck->active = p->set & CONFIG_P_ACTIVE ? p->active : 1;
	ck->passive = p->set & CONFIG_P_PASSIVE ? p->passive : 1;
	if (service != NULL) {
		ck->groups = config_store_strv(cfg->store, p->groups.v, p->groups.n);
		ck->ngroups = p->groups.n;
	} else
		ck->groups = config_store_strv(cfg->store, NULL, 0);
	ck->mark = *mark;
	ck->timeout_state = p->set & CONFIG_P_TIMEOUT_STATE ?
	    p->timeout_state.status : RESOLVE_TIMEOUT_STATE;
	ck->freshness_threshold = p->set & CONFIG_P_FRESHNESS ?
	    p->freshness_threshold : 0;
	ck->stale_state = p->set & CONFIG_P_STALE_STATE ?
	    p->stale_state.status : RESOLVE_STALE_STATE;
	ck->flap_detection = p->set & CONFIG_P_FLAP_DETECTION ?
	    p->flap_detection : 1;
	ck->low_flap_threshold = p->set & CONFIG_P_LOW_FLAP ? p->low_flap.v :
	    RESOLVE_LOW_FLAP;
	ck->high_flap_threshold = p->set & CONFIG_P_HIGH_FLAP ? p->high_flap.v :
	    RESOLVE_HIGH_FLAP;
	ck->debounce = p->set & CONFIG_P_DEBOUNCE ? p->debounce : 0;
	ck->is_volatile = p->set & CONFIG_P_IS_VOLATILE ? p->is_volatile : 0;
	if (p->set & CONFIG_P_CHECK_PERIOD) {
		ck->check_period = config_store_str(cfg->store, p->check_period);
		/* Not found: reported where it is written. */
		ck->check_period_tp = config_resolve_period(o, p->check_period);
	}
	config_notify_check(o, ck, p);
}

/*
 * Nagios's implied inheritance: the notify, notification_interval and
 * notification_period a service does not set (itself or through its
 * templates) are its host's, each on its own. Inherited: whatever is wrong
 * with them is reported at the host.
 */
static void
resolve_implied(struct config_objects *o, struct config_props *p,
    const struct config_props *host)
{
	struct config_props h = *host;

	h.set &= CONFIG_P_NOTIFY | CONFIG_P_NOTIFICATION_INTERVAL |
	    CONFIG_P_NOTIFICATION_PERIOD;
	resolve_inherit(o, p, &h);
}

static void
resolve_build_service(struct config_objects *o, struct config_rsvc *s)
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
	resolve_use(o, &p, &s->p.use, s->prefix);
	resolve_group_refs(o, &p, s->prefix);
	resolve_flap(o, &p, s->prefix, &s->mark, 0);
	resolve_quorum(o, &p, s->prefix, &s->mark, 0);
	resolve_period_ref(o, &p, s->prefix);
	config_notify_refs(o, &p, s->prefix, &s->mark, CONFIG_NOTIFY_SERVICE);
	resolve_implied(o, &p, &rh->p);
	resolve_service_state(o, &p, CONFIG_P_TIMEOUT_STATE, &p.timeout_state,
	    "timeout_state", s->prefix, &s->mark);
	resolve_service_state(o, &p, CONFIG_P_STALE_STATE, &p.stale_state,
	    "stale_state", s->prefix, &s->mark);
	if (!(p.set & CONFIG_P_COMMAND)) {
		config_error(ld, &s->mark, "%scommand: missing (expected command: "
		    "NAME or command: [NAME, ARG1, ...])", s->prefix);
		return;
	}
	resolve_build_check(o, rh->hi, s->desc, &p, s->prefix, &s->mark);
}

/* ---- public (to config.c) ------------------------------------------- */

void
config_objects_finish(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config_rhost *rh;
	struct config_tmpl *t;
	size_t i;

	/* Timeperiods first: templates, hosts and services name them. */
	resolve_build_periods(o);
	/* Contacts next: they name timeperiods and are named by checks. */
	config_notify_build(o);
	for (i = 0; i < o->ntmpls; i++) {
		resolve_template(o, i);
		t = &o->tmpls[i];
		if ((t->own.set & CONFIG_P_COMMAND) &&
		    config_index_find(&o->cmd_map, t->own.command) == NULL)
			config_error(ld, &t->own.command_mark, "%scommand %s is "
			    "not defined", t->prefix, config_quote(ld,
			    t->own.command));
		resolve_period_ref(o, &t->own, t->prefix);
		config_notify_refs(o, &t->own, t->prefix, &t->mark,
		    CONFIG_NOTIFY_ANY);
	}
	/* Groups first: hosts and services name them. */
	resolve_build_groups(o);
	for (i = 0; i < o->ntmpls; i++)
		resolve_group_refs(o, &o->tmpls[i].own, o->tmpls[i].prefix);
	resolve_build_hosts(o);
	resolve_check_parents(o);
	for (i = 0; i < o->nitems; i++) {
		if (!o->items[i].is_host) {
			if (!o->svcs[o->items[i].idx].skip)
				resolve_build_service(o, &o->svcs[o->items[i].idx]);
			continue;
		}
		rh = &o->hosts[o->items[i].idx];
		if (!rh->skip && (rh->p.set & CONFIG_P_COMMAND))
			resolve_build_check(o, rh->hi, NULL, &rh->p, rh->prefix,
			    &rh->mark);
	}
}
