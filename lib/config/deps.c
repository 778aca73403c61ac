/*
 * NAME
 *	deps - conf.d `dependencies:`, Nagios's servicedependency and
 *	hostdependency, applied by rule
 * DESCRIPTION
 *	dependencies:
 *	  app-on-db:
 *	    master: db-01/postgres	"host/service", or "host": its host check;
 *					$HOSTNAME$ stands for the dependent's host
 *	    hosts: ["web-*"]		the dependents' hosts, as an apply rule
 *	    groups: [...]		matches them (hosts, groups, vars, not:
 *	    vars: {...}			at least one of the first three)
 *	    services: [app, "http*"]	globs on those hosts' services (written
 *					or applied); none: their host checks
 *	    execution_failure_criteria: [critical, unknown]
 *	    notification_failure_criteria: [warning, critical, unknown]
 *	    inherits_parent: false
 *	    dependency_period: workhours
 *
 *	Criteria name the master's states: ok, warning, critical, unknown
 *	for a service master, up, down, unreachable for a host master, and
 *	pending (no result yet) for both; "none" or an empty list is none. A
 *	dependency needs one of the two keys. A dependent that is its own
 *	master (services: ["*"] with master $HOSTNAME$/nrpe) is left out.
 *
 *	Pass 2, after the apply rules (so their services can depend and be
 *	depended on): each dependency against every host in definition
 *	order, one cfg->deps edge per (dependent, master) check pair, then
 *	the graph of edges walked: a cycle is an error (Nagios refuses
 *	circular dependencies too).
 * DIAGNOSTICS
 *	A master that a matched host lacks names the dependency's master:
 *	line and the host's place. A cycle names each check with its place.
 */
#include "config.h"
#include "config_objects.h"
#include "strbuf.h"
#include "xalloc.h"

#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static config_parse_fn deps_master;

static const struct config_field deps_keys[] = {
	{ .name = "master", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rdep, master), .parse = deps_master },
	{ .name = "hosts", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rdep, where.hosts),
	    .parse = config_match_hosts_key },
	{ .name = "groups", .where = 1, .type = CONFIG_T_NAMES,
	    .off = offsetof(struct config_rdep, where.groups), .what = "group" },
	{ .name = "vars", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rdep, where),
	    .parse = config_match_vars_key },
	{ .name = "not", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rdep, not),
	    .parse = config_match_not_key },
	{ .name = "services", .where = 1, .type = CONFIG_T_LIST,
	    .off = offsetof(struct config_rdep, services),
	    .what = "a service name pattern or a list of them" },
	{ .name = "execution_failure_criteria", .where = 1,
	    .type = CONFIG_T_LIST, .off = offsetof(struct config_rdep, exec_names),
	    .what = "a list of states" },
	{ .name = "notification_failure_criteria", .where = 1,
	    .type = CONFIG_T_LIST, .off = offsetof(struct config_rdep, notify_names),
	    .what = "a list of states" },
	{ .name = "inherits_parent", .where = 1, .type = CONFIG_T_BOOL,
	    .off = offsetof(struct config_rdep, inherits_parent) },
	{ .name = "dependency_period", .where = 1, .type = CONFIG_T_STRING,
	    .off = offsetof(struct config_rdep, period),
	    .mark = offsetof(struct config_rdep, period_mark) },
};
#define DEPS_NKEYS (sizeof(deps_keys) / sizeof(deps_keys[0]))
#define DEPS_K_MASTER	0
#define DEPS_K_MATCHERS	0xe	/* hosts, groups, vars */
#define DEPS_K_CRITERIA	0xc0	/* the two criteria */


/* ---- pass 1 ---------------------------------------------------------- */

/* "host/service" or "host", $HOSTNAME$ the only macro. */
static int
deps_master(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	struct config_rdep *d = obj;
	const char *s, *p, *slash;

	(void)where;
	if ((s = config_string(ld, v, prefix, "master", 1)) == NULL)
		return -1;
	d->master_mark = config_mark(ld, v);
	for (p = s; (p = strchr(p, '$')) != NULL; p += sizeof("$HOSTNAME$") - 1)
		if (strncmp(p, "$HOSTNAME$", sizeof("$HOSTNAME$") - 1) != 0) {
			config_error(ld, &d->master_mark, "%smaster: %s: the only "
			    "macro here is $HOSTNAME$ (the dependent's host)",
			    prefix, config_quote(ld, s));
			return -1;
		}
	slash = strchr(s, '/');
	if (slash == s || (slash != NULL && (slash[1] == '\0' ||
	    strchr(slash + 1, '/') != NULL))) {
		config_error(ld, &d->master_mark, "%smaster: %s is not \"host\" "
		    "or \"host/service\"", prefix, config_quote(ld, s));
		return -1;
	}
	*(const char **)((char *)obj + f->off) = s;
	return 0;
}

/* State names of a service master (bit = status) and a host master. */
static const char *const deps_service_states[] = { "ok", "warning",
    "critical", "unknown" };
static const char *const deps_host_states[] = { "up", "down", "unreachable" };

/*
 * A criteria list, as the master makes it (a host's states or a
 * service's), into CONFIG_DEP_* bits. -1: reported.
 */
static int
deps_criteria(struct config_loader *ld, const struct config_rdep *d,
    const char *key, const struct config_strs *s, unsigned *out)
{
	int host = strchr(d->master, '/') == NULL;
	const char *const *names = host ? deps_host_states : deps_service_states;
	size_t i, k, nnames = host ? 3 : 4;
	int bad = 0;

	*out = 0;
	for (i = 0; i < s->n; i++) {
		if (strcmp(s->v[i], "none") == 0)
			continue;
		if (strcmp(s->v[i], "pending") == 0) {
			*out |= CONFIG_DEP_PENDING;
			continue;
		}
		for (k = 0; k < nnames; k++)
			if (strcmp(s->v[i], names[k]) == 0)
				break;
		if (k < nnames) {
			*out |= 1u << k;
			continue;
		}
		config_error(ld, &s->m[i], "%s%s: %s is not a state of a %s master "
		    "(expected %s, pending or none)", d->prefix, key,
		    config_quote(ld, s->v[i]), host ? "host" : "service", host ?
		    "up, down, unreachable" : "ok, warning, critical, unknown");
		bad = 1;
	}
	return bad ? -1 : 0;
}

static void
deps_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rdep *d = el;
	struct config_read rd;

	if (config_map(ld, map, d->prefix, NULL, "a map of settings (master, "
	    "hosts, groups, vars, not, services, execution_failure_criteria, "
	    "notification_failure_criteria, inherits_parent, "
	    "dependency_period)") <= 0) {
		d->skip = 1;
		return;
	}
	if (config_fields_read(ld, map, deps_keys, DEPS_NKEYS, 1, "a dependency",
	    d->prefix, d, &rd) < 0)
		d->skip = 1;
	if (!(rd.seen & ((uint64_t)1 << DEPS_K_MASTER))) {
		config_error(ld, &d->mark, "%smaster: missing (expected "
		    "\"host/service\" or \"host\")", d->prefix);
		d->skip = 1;
	}
	if (!(rd.seen & DEPS_K_MATCHERS)) {
		config_error(ld, &d->mark, "%smatches no host: give hosts, groups "
		    "or vars (the dependents' hosts; hosts: \"*\" is every host)",
		    d->prefix);
		d->skip = 1;
	}
	if (!(rd.seen & DEPS_K_CRITERIA)) {
		config_error(ld, &d->mark, "%sneither execution_failure_criteria "
		    "nor notification_failure_criteria: the dependency would do "
		    "nothing", d->prefix);
		d->skip = 1;
	}
	/* The names are the master's kind's: known once every key is read. */
	if (d->master != NULL && (deps_criteria(ld, d, "execution_failure_criteria",
	    &d->exec_names, &d->exec_fail) < 0 || deps_criteria(ld, d,
	    "notification_failure_criteria", &d->notify_names, &d->notify_fail) < 0))
		d->skip = 1;
}

const struct config_objects_kind config_dep_kind = CONFIG_OBJECTS_KIND(
    "dependency", "dependencies", "a map of dependency name to its settings",
    struct config_rdep, deps, dep_map, deps_body);

/* ---- pass 2 ---------------------------------------------------------- */

struct deps_run {
	struct config_objects *o;
	struct config_index checks;	/* "host/service", "host" -> check */
	size_t **by_host, *nby_host;	/* cfg->hosts index -> its checks */
	size_t cap;
};

static const char *
deps_check_key(struct config_loader *ld, const struct cfg_check *ck)
{
	return ck->service != NULL ? config_arena_printf(&ld->arena, "%s/%s",
	    ck->host, ck->service) : ck->host;
}

static void
deps_index(struct deps_run *run)
{
	struct config_objects *o = run->o;
	struct config_loader *ld = o->ld;
	const struct config *cfg = o->cfg;
	size_t i, h, *ip, *cap;

	run->by_host = config_arena_alloc(&ld->arena, (cfg->nhosts + 1) *
	    sizeof(*run->by_host));
	run->nby_host = config_arena_alloc(&ld->arena, (cfg->nhosts + 1) *
	    sizeof(*run->nby_host));
	memset(run->nby_host, 0, (cfg->nhosts + 1) * sizeof(*run->nby_host));
	cap = xcalloc(cfg->nhosts + 1, sizeof(*cap));
	for (i = 0; i < cfg->nchecks; i++) {
		config_index_put(&run->checks, deps_check_key(ld, &cfg->checks[i]), i);
		if ((ip = config_index_find(&o->host_map, cfg->checks[i].host)) != NULL)
			cap[o->hosts[*ip].hi]++;
	}
	for (h = 0; h < cfg->nhosts; h++)
		run->by_host[h] = config_arena_alloc(&ld->arena, (cap[h] + 1) *
		    sizeof(**run->by_host));
	for (i = 0; i < cfg->nchecks; i++)
		if ((ip = config_index_find(&o->host_map, cfg->checks[i].host)) != NULL) {
			h = o->hosts[*ip].hi;
			run->by_host[h][run->nby_host[h]++] = i;
		}
	free(cap);
}

/* d's master for host h, $HOSTNAME$ put in, as an arena string. */
static const char *
deps_master_for(struct config_loader *ld, const char *master, const char *host)
{
	struct strbuf b = { 0 };
	const char *p = master, *q;
	char *s;

	while ((q = strstr(p, "$HOSTNAME$")) != NULL) {
		strbuf_add(&b, p, (size_t)(q - p));
		strbuf_adds(&b, host);
		p = q + sizeof("$HOSTNAME$") - 1;
	}
	if (p == master)
		return master;
	strbuf_adds(&b, p);
	s = config_arena_strdup(&ld->arena, b.s);
	free(b.s);
	return s;
}

static void
deps_add(struct deps_run *run, const struct config_rdep *d, size_t dependent,
    size_t master, const struct timeperiod *tp)
{
	struct config *cfg = run->o->cfg;
	struct cfg_dependency *e;

	xgrow((void **)&cfg->deps, &run->cap, cfg->ndeps + 1, sizeof(*cfg->deps));
	e = &cfg->deps[cfg->ndeps++];
	memset(e, 0, sizeof(*e));
	e->name = config_store_str(cfg->store, d->name);
	e->dependent = dependent;
	e->master = master;
	e->exec_fail = d->exec_fail;
	e->notify_fail = d->notify_fail;
	e->inherits_parent = d->inherits_parent;
	e->period = d->period ? config_store_str(cfg->store, d->period) : NULL;
	e->period_tp = tp;
	e->mark = d->mark;
}

/* Dependency d on host rh. */
static void
deps_on_host(struct deps_run *run, const struct config_rdep *d,
    const struct config_rhost *rh, const struct timeperiod *tp)
{
	struct config_objects *o = run->o;
	struct config_loader *ld = o->ld;
	const struct config *cfg = o->cfg;
	const char *mname = deps_master_for(ld, d->master, rh->name);
	const struct cfg_check *ck;
	size_t *ip, master, i, k, ci;

	if ((ip = config_index_find(&run->checks, mname)) == NULL) {
		/* A master without $HOSTNAME$ was reported once, before. */
		if (mname != d->master)
			config_error(ld, &d->master_mark, "%smaster: %s %s is not "
			    "defined (for host %s at %s:%d:%d)", d->prefix,
			    strchr(mname, '/') ? "service" : "host check of",
			    config_quote(ld, mname), config_quote(ld, rh->name),
			    rh->mark.file, rh->mark.line, rh->mark.col);
		return;
	}
	master = *ip;
	if (d->services.n == 0) {
		if ((ip = config_index_find(&run->checks, rh->name)) == NULL) {
			config_error(ld, &d->mark, "%shost %s (at %s:%d:%d) has no "
			    "host check to depend (give services: for its "
			    "services)", d->prefix, config_quote(ld, rh->name),
			    rh->mark.file, rh->mark.line, rh->mark.col);
			return;
		}
		if (*ip != master)
			deps_add(run, d, *ip, master, tp);
		return;
	}
	for (i = 0; i < run->nby_host[rh->hi]; i++) {
		ci = run->by_host[rh->hi][i];
		ck = &cfg->checks[ci];
		if (ck->service == NULL || ci == master)
			continue;
		for (k = 0; k < d->services.n; k++)
			if (fnmatch(d->services.v[k], ck->service, 0) == 0)
				break;
		if (k < d->services.n)
			deps_add(run, d, ci, master, tp);
	}
}

static const char *
deps_node_name(const struct config_objects *o, size_t u)
{
	const struct cfg_check *ck = &o->cfg->checks[u];

	return deps_check_key(o->ld, ck);
}

static const struct cfg_mark *
deps_node_mark(const struct config_objects *o, size_t u)
{
	return &o->cfg->checks[u].mark;
}

/* Dependents point at their masters: a cycle is an error. */
static void
deps_cycles(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct config_graph *g = config_graph_new(ld, cfg->nchecks);
	size_t i, *n = xcalloc(cfg->nchecks + 1, sizeof(*n));

	g->kind = "check";
	g->relation = "dependencies form";
	g->name = deps_node_name;
	g->mark = deps_node_mark;
	for (i = 0; i < cfg->ndeps; i++)
		n[cfg->deps[i].dependent]++;
	for (i = 0; i < cfg->nchecks; i++)
		if (n[i] > 0)
			config_graph_edges(ld, g, i, n[i]);
	for (i = 0; i < cfg->ndeps; i++) {
		size_t u = cfg->deps[i].dependent, k;

		/* two dependencies on one master are one edge: one cycle */
		for (k = 0; k < g->deg[u]; k++)
			if (g->adj[u][k] == cfg->deps[i].master)
				break;
		if (k == g->deg[u])
			g->adj[u][g->deg[u]++] = cfg->deps[i].master;
	}
	free(n);
	config_graph_walk(o, g);
}

void
config_deps_build(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct deps_run run = { .o = o };
	const struct timeperiod *tp;
	struct config_rdep *d;
	size_t i, j;

	if (o->ndeps == 0)
		return;
	deps_index(&run);
	for (i = 0; i < o->ndeps; i++) {
		d = &o->deps[i];
		if (d->skip)
			continue;
		config_match_resolve(o, &d->where, d->prefix);
		config_match_resolve(o, &d->not, config_arena_printf(&ld->arena,
		    "%snot: ", d->prefix));
		tp = NULL;
		if (d->period != NULL && (tp = config_period_find(o, d->period)) == NULL) {
			config_period_unknown(o, &d->period_mark, d->prefix,
			    "dependency_period", d->period);
			continue;
		}
		if (strstr(d->master, "$HOSTNAME$") == NULL &&
		    config_index_find(&run.checks, d->master) == NULL) {
			config_error(ld, &d->master_mark, "%smaster: %s %s is not "
			    "defined", d->prefix, strchr(d->master, '/') ?
			    "service" : "host check of", config_quote(ld, d->master));
			continue;
		}
		for (j = 0; j < o->nhosts; j++)
			if (!o->hosts[j].skip && config_match(o, &d->where, &d->not,
			    &o->cfg->hosts[o->hosts[j].hi]))
				deps_on_host(&run, d, &o->hosts[j], tp);
	}
	free(run.checks.v);
	deps_cycles(o);
}
