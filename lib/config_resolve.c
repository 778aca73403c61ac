/*
 * NAME
 *	config_resolve - pass 2 of conf.d: templates, parents, checks, argv
 * DESCRIPTION
 *	config_objects_finish() runs once every file is read (pass 1,
 *	config_objects.c), because a host may use a template, a parent or a
 *	command defined in a later file. In order:
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
 *			none (the host's membership is on the host).
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
 *	past RESOLVE_CYCLES_MAX cycles, one more error counts the rest. Macro
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
	if (add & CONFIG_P_POOLS)
		dst->pools = src->pools;
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
	o->nstack--;
	t->state = CONFIG_TMPL_DONE;
	return &t->res;
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
 * stack[from .. top-1] (cfg->groups indexes) is a cycle of parents. Name
 * it from the group defined first, so that the message does not depend on
 * where the walk happened to enter the cycle, and report it there.
 */
static void
resolve_group_cycle(struct config_objects *o, const size_t *stack,
    size_t from, size_t top)
{
	struct config_loader *ld = o->ld;
	const struct cfg_group *groups = o->cfg->groups, *g;
	struct strbuf chain = { NULL, 0, 0 };
	size_t len = top - from, first = from, i;
	char place[64];

	for (i = from + 1; i < top; i++)
		if (stack[i] < stack[first])
			first = i;
	if (++o->ncycles > RESOLVE_CYCLES_MAX) {
		if (o->ncycles == RESOLVE_CYCLES_MAX + 1)
			o->cycle_more = stack[first];
		return;
	}
	for (i = 0; i < len; i++) {
		g = &groups[stack[from + (first - from + i) % len]];
		strbuf_adds(&chain, g->name);
		strbuf_adds(&chain, " (");
		strbuf_adds(&chain, g->mark.file);
		snprintf(place, sizeof(place), ":%d:%d) -> ", g->mark.line,
		    g->mark.col);
		strbuf_adds(&chain, place);
	}
	g = &groups[stack[first]];
	strbuf_adds(&chain, g->name);
	config_error(ld, &g->mark, "group %s: parents form a cycle: %s",
	    config_quote(ld, g->name), chain.s);
	free(chain.s);
}

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
	resolve_cycles(o, cfg->ngroups, adj, deg, resolve_group_cycle);
	if (o->ncycles > RESOLVE_CYCLES_MAX) {
		g = &cfg->groups[o->cycle_more];
		config_error(ld, &g->mark, "group %s: parents form %zu more "
		    "cycles, not shown (fix the ones above first)",
		    config_quote(ld, g->name), o->ncycles - RESOLVE_CYCLES_MAX);
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
	size_t i, j;

	for (i = 0; i < o->nhosts; i++) {
		rh = &o->hosts[i];
		if (rh->skip)
			continue;
		p = rh->p;
		resolve_use(o, &p, &rh->p.use, rh->prefix);
		rh->p = p;
		resolve_group_refs(o, &p, rh->prefix);
		xgrow((void **)&cfg->hosts, &o->chosts_cap, cfg->nhosts + 1,
		    sizeof(*cfg->hosts));
		h = &cfg->hosts[cfg->nhosts];
		memset(h, 0, sizeof(*h));
		h->name = xstrdup(rh->name);
		h->address = xstrdup(p.set & CONFIG_P_ADDRESS ? p.address : rh->name);
		h->alias = xstrdup(p.set & CONFIG_P_ALIAS ? p.alias : rh->name);
		h->parents = resolve_strv(&p.parents);
		h->nparents = p.parents.n;
		h->vars = xcalloc(p.vars.n + 1, sizeof(*h->vars));
		for (j = 0; j < p.vars.n; j++) {
			h->vars[j].name = xstrdup(p.vars.name[j]);
			h->vars[j].value = xstrdup(p.vars.value[j]);
		}
		h->nvars = p.vars.n;
		h->groups = resolve_strv(&p.groups);
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
	const struct cfg_host *host;
	const char *service;		/* NULL: a host check */
	const struct config_vars *svars;
	const char **args;		/* expanded $ARGn$ values */
	size_t nargs;
	int in_arg;			/* expanding $ARGn$ itself: its n */
	char why[256];			/* why the last lookup failed, if not unknown */
};

static const char *
resolve_macro_lookup(const char *name, void *vctx)
{
	struct resolve_macro_ctx *c = vctx;
	struct config_loader *ld = c->o->ld;
	struct config *cfg = c->o->cfg;
	size_t i;
	int n;

	c->why[0] = '\0';
	if (strcmp(name, "HOSTNAME") == 0)
		return c->host->name;
	if (strcmp(name, "HOSTADDRESS") == 0)
		return c->host->address;
	if (strcmp(name, "HOSTALIAS") == 0)
		return c->host->alias;
	if (strcmp(name, "PLUGINDIR") == 0)
		return cfg->plugin_dir;
	if (strcmp(name, "VIGILPLUGINDIR") == 0)
		return cfg->vigil_plugin_dir;
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
	if ((n = config_macro_number(name, "USER", CONFIG_NUSER)) > 0) {
		if (ld->user[n] != NULL)
			return ld->user[n];
		/* The resource file itself is reported: no echo per check. */
		if (ld->resource_failed)
			return "";
		if (cfg->resource_file != NULL)
			snprintf(c->why, sizeof(c->why), "macro $%s$ is not set in "
			    "the resource file %s", name, cfg->resource_file);
		else
			snprintf(c->why, sizeof(c->why), "macro $%s$ needs a "
			    "resource file (resource_file in vigil.yaml or "
			    "VIGIL_RESOURCE_FILE)", name);
		return NULL;
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
	if (macro_expand(in, resolve_macro_lookup, c, &out, err, sizeof(err)) == 0)
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

static void
resolve_build_check(struct config_objects *o, size_t hi, const char *service,
    const struct config_props *p, const char *prefix, const struct cfg_mark *mark)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct resolve_macro_ctx c;
	const struct cfg_command *cmd;
	struct cfg_check *ck;
	char **argv, *s;
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
	if (!ok) {
		for (i = 0; i < cmd->argc; i++)
			free(argv[i]);
		free(argv);
		return;
	}

	xgrow((void **)&cfg->checks, &o->checks_cap, cfg->nchecks + 1,
	    sizeof(*cfg->checks));
	ck = &cfg->checks[cfg->nchecks++];
	memset(ck, 0, sizeof(*ck));
	ck->host = cfg->hosts[hi].name;
	ck->service = service ? xstrdup(service) : NULL;
	ck->command = xstrdup(cmd->name);
	ck->argv = argv;
	ck->argc = cmd->argc;
	ck->interval = p->set & CONFIG_P_INTERVAL ? p->interval : 300;
	ck->retry_interval = p->set & CONFIG_P_RETRY_INTERVAL ? p->retry_interval : 60;
	ck->max_attempts = p->set & CONFIG_P_MAX_ATTEMPTS ? p->max_attempts : 3;
	if (p->set & CONFIG_P_TIMEOUT)
		ck->timeout = p->timeout;
	else if (cmd->timeout > 0)
		ck->timeout = cmd->timeout;
	else
		ck->timeout = service ? 60 : 30;
	if (p->set & CONFIG_P_POOLS) {
		ck->pools = resolve_strv(&p->pools);
		ck->npools = p->pools.n;
	} else {
		ck->pools = xcalloc(2, sizeof(*ck->pools));
		ck->pools[0] = xstrdup(cfg->worker.pool);
		ck->npools = 1;
	}
	ck->active = p->set & CONFIG_P_ACTIVE ? p->active : 1;
	ck->passive = p->set & CONFIG_P_PASSIVE ? p->passive : 1;
	if (service != NULL) {
		ck->groups = resolve_strv(&p->groups);
		ck->ngroups = p->groups.n;
	} else
		ck->groups = xcalloc(1, sizeof(*ck->groups));
	ck->mark = *mark;
}

static void
resolve_build_service(struct config_objects *o, struct config_rsvc *s)
{
	struct config_loader *ld = o->ld;
	struct config_props p;
	const char *key;
	struct cfg_mark *f;
	size_t *ip, hi;

	if (s->inline_host >= 0)
		hi = o->hosts[s->inline_host].hi;
	else if ((ip = config_index_find(&o->host_map, s->host)) != NULL)
		hi = o->hosts[*ip].hi;
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
	if (!(p.set & CONFIG_P_COMMAND)) {
		config_error(ld, &s->mark, "%scommand: missing (expected command: "
		    "NAME or command: [NAME, ARG1, ...])", s->prefix);
		return;
	}
	resolve_build_check(o, hi, s->desc, &p, s->prefix, &s->mark);
}

/* ---- public (to config.c) ------------------------------------------- */

void
config_objects_finish(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config_rhost *rh;
	struct config_tmpl *t;
	size_t i;

	for (i = 0; i < o->ntmpls; i++) {
		resolve_template(o, i);
		t = &o->tmpls[i];
		if ((t->own.set & CONFIG_P_COMMAND) &&
		    config_index_find(&o->cmd_map, t->own.command) == NULL)
			config_error(ld, &t->own.command_mark, "%scommand %s is "
			    "not defined", t->prefix, config_quote(ld,
			    t->own.command));
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
