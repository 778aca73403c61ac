/*
 * NAME
 *	rules - conf.d `apply:`, services defined once for every host that
 *	matches
 * DESCRIPTION
 *	apply:
 *	  web-checks:
 *	    hosts: ["web-*", "api-*"]	globs on the host's name: any of them
 *	    groups: [web]		a group, or one under it: any of them
 *	    vars: {env: production, role: [front*, edge], tls: true,
 *	           legacy: false}
 *	    not: {hosts: [...], groups: [...], vars: {...}}
 *	    defaults: {http_port: "80"}
 *	    services:
 *	      http: {use: generic-service, command: [http, $_HOSTHTTP_PORT$]}
 *
 *	A host matches when every one of hosts, groups and vars the rule
 *	gives holds (it must give one: `hosts: "*"` is every host) and no
 *	key of not: holds. A var condition is a glob or a list of globs on
 *	the host's var (a host without it fails), true (the host sets the
 *	var, to anything) or false (it does not). A host is in a group by
 *	its own groups: and by the group's host patterns, and then in every
 *	group above that one, so groups: [web] takes web's subgroups too.
 *
 *	A rule's service takes the keys of a service under its host; its
 *	macros expand per host ($HOSTADDRESS$, $_HOSTvar$ ...), and defaults:
 *	gives $_HOSTvar$ a value on hosts that do not set the var (a host's
 *	own vars are its overrides). A host leaves a whole rule with
 *	skip_apply: [rule], or one service of it with skip_apply:
 *	[rule/service], on itself or on a template it uses.
 *
 *	Pass 2, after the services written by hand: each rule's groups and
 *	services resolved once (templates, the objects they name, the pairs
 *	of keys: reported once, at the rule), then every host against every
 *	rule in definition order. The applied checks follow the written ones
 *	in cfg->checks, a host's together, each naming its rule (ck->rule).
 * DIAGNOSTICS
 *	What depends on the host names both places, the rule's service first
 *	(the line) and the host in the prefix: "conf.d/rules.yaml:9:7:
 *	service \"web-03/http\" (apply rule \"web\" on host \"web-03\" at
 *	conf.d/hosts.yaml:30:3): command: unknown macro $_HOSTHTTP_PORT$
 *	...". A service a host already has, written or from another rule, is
 *	an error naming both definitions and how to leave one out.
 */
#include "config.h"
#include "config_objects.h"
#include "xalloc.h"

#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define RULES_PREFIX_MAX	1024	/* a per-host message prefix */

/* ---- pass 1 ---------------------------------------------------------- */

static config_parse_fn rules_defaults;

/* hosts, groups, vars: of a rule (at where) or of its not: map. */
static const struct config_field rules_match_keys[] = {
	{ .name = "hosts", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rmatch, hosts), .parse = config_match_hosts_key },
	{ .name = "groups", .where = 1, .type = CONFIG_T_NAMES,
	    .off = offsetof(struct config_rmatch, groups), .what = "group" },
	{ .name = "vars", .where = 1, .type = CONFIG_T_OWN, .off = 0,
	    .parse = config_match_vars_key },
};
#define RULES_NMATCH (sizeof(rules_match_keys) / sizeof(rules_match_keys[0]))

static const struct config_field rules_keys[] = {
	{ .name = "hosts", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rrule, where.hosts),
	    .parse = config_match_hosts_key },
	{ .name = "groups", .where = 1, .type = CONFIG_T_NAMES,
	    .off = offsetof(struct config_rrule, where.groups), .what = "group" },
	{ .name = "vars", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rrule, where), .parse = config_match_vars_key },
	{ .name = "not", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rrule, not), .parse = config_match_not_key },
	{ .name = "defaults", .where = 1, .type = CONFIG_T_OWN,
	    .off = offsetof(struct config_rrule, defaults),
	    .parse = rules_defaults },
	{ .name = "services", .where = 1, .type = CONFIG_T_NONE },
};
#define RULES_NKEYS (sizeof(rules_keys) / sizeof(rules_keys[0]))
#define RULES_K_SERVICES	5	/* its index */
#define RULES_K_MATCHERS	0x7	/* hosts, groups, vars */

int
config_match_hosts_key(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	(void)where;
	return config_globs(ld, v, prefix, "hosts", "a host name pattern or a "
	    "list of them", 1, (struct config_strs *)((char *)obj + f->off));
}

/* vars: {name: glob | [globs] | true | false}. */
int
config_match_vars_key(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	struct config_rmatch *m = (struct config_rmatch *)((char *)obj + f->off);
	yaml_node_pair_t *pair;
	struct config_rvar *rv;
	yaml_node_t *k, *val;
	const char *name, *s, *key;
	size_t n, i;
	int bad = 0, r;

	(void)where;
	if ((r = config_map(ld, v, prefix, "vars", "a map of var name to a "
	    "glob, a list of globs, true or false")) <= 0)
		return r;
	n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	m->vars = config_arena_alloc(&ld->arena, n * sizeof(*m->vars));
	for (pair = v->data.mapping.pairs.start;
	    pair < v->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		val = config_node(ld, pair->value);
		if ((name = config_text(ld, k, prefix, "vars")) == NULL) {
			bad = 1;
			continue;
		}
		for (i = 0; i < m->nvars; i++)
			if (strcasecmp(m->vars[i].name, name) == 0)
				break;
		if (i < m->nvars) {
			config_error(ld, &m->vars[i].mark, "%svars: %s is given twice "
			    "(names ignore case)", prefix, config_quote(ld, name));
			bad = 1;
			continue;
		}
		rv = &m->vars[m->nvars];
		memset(rv, 0, sizeof(*rv));
		rv->name = name;
		rv->mark = config_mark(ld, k);
		rv->presence = -1;
		s = val->type == YAML_SCALAR_NODE ?
		    (const char *)val->data.scalar.value : NULL;
		/* Plain true/false test presence; "true" quoted is a value. */
		if (s != NULL && val->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
			rv->presence = s[0] == 't';
			m->nvars++;
			continue;
		}
		key = config_arena_printf(&ld->arena, "vars: %s", name);
		if (config_globs(ld, val, prefix, key, "a glob, a list of globs, "
		    "true (set) or false (not set)", 0, &rv->globs) < 0) {
			bad = 1;
			continue;
		}
		m->nvars++;
	}
	return bad ? -1 : 0;
}

int
config_match_not_key(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	const char *p = config_arena_printf(&ld->arena, "%snot: ", prefix);
	int r;

	(void)where;
	if ((r = config_map(ld, v, prefix, "not", "a map of hosts, groups or "
	    "vars")) <= 0)
		return r;
	return config_fields_read(ld, v, rules_match_keys, RULES_NMATCH, 1,
	    "not:", p, (char *)obj + f->off, NULL);
}

static int
rules_defaults(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	(void)where;
	if (config_is_null(v))
		return 0;
	return config_vars(ld, v, config_arena_printf(&ld->arena,
	    "%sdefaults: ", prefix), (struct config_vars *)((char *)obj +
	    f->off)) < 0 ? -1 : 0;
}

static void
rules_services(struct config_objects *o, struct config_rrule *r,
    yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rulesvc *rs;
	yaml_node_pair_t *pair;
	const char *desc;
	size_t i;

	if (config_map(ld, map, r->prefix, "services", "a map of service name "
	    "to service settings") <= 0)
		return;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = config_node(ld, pair->key);

		if ((desc = config_name(ld, k, r->prefix, "service", 0)) == NULL)
			continue;
		for (i = r->first; i < o->nrsvcs; i++)
			if (strcmp(o->rsvcs[i].desc, desc) == 0)
				break;
		if (i < o->nrsvcs) {
			struct cfg_mark m = config_mark(ld, k);

			config_error(ld, &m, "%sservice %s is defined twice (first "
			    "at %s:%d:%d)", r->prefix, config_quote(ld, desc),
			    o->rsvcs[i].mark.file, o->rsvcs[i].mark.line,
			    o->rsvcs[i].mark.col);
			continue;
		}
		xgrow((void **)&o->rsvcs, &o->rsvcs_cap, o->nrsvcs + 1,
		    sizeof(*o->rsvcs));
		rs = &o->rsvcs[o->nrsvcs++];
		memset(rs, 0, sizeof(*rs));
		rs->rule = (size_t)(r - o->rules);
		rs->desc = desc;
		rs->mark = config_mark(ld, k);
		rs->qdesc = config_quote(ld, desc);
		rs->prefix = config_arena_printf(&ld->arena, "%sservice %s: ",
		    r->prefix, rs->qdesc);
		config_props_read(ld, config_node(ld, pair->value), CONFIG_W_ISVC,
		    rs->prefix, &rs->p, NULL);
	}
}

static void
rules_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_loader *ld = o->ld;
	struct config_rrule *r = el;
	struct config_read rd;

	r->first = o->nrsvcs;
	r->qname = config_quote(ld, r->name);
	if (config_map(ld, map, r->prefix, NULL, "a map of settings (hosts, "
	    "groups, vars, not, defaults, services)") <= 0)
		return;
	config_fields_read(ld, map, rules_keys, RULES_NKEYS, 1, "an apply rule",
	    r->prefix, r, &rd);
	if (!(rd.seen & RULES_K_MATCHERS))
		config_error(ld, &r->mark, "%smatches no host: give hosts, groups "
		    "or vars (hosts: \"*\" is every host)", r->prefix);
	if (rd.seen & ((uint64_t)1 << RULES_K_SERVICES))
		rules_services(o, r, rd.node[RULES_K_SERVICES]);
	else
		config_error(ld, &r->mark, "%sservices: missing (expected a map "
		    "of service name to service settings)", r->prefix);
	r->n = o->nrsvcs - r->first;
}

const struct config_objects_kind config_rule_kind = CONFIG_OBJECTS_KIND(
    "apply rule", "apply", "a map of rule name to rule settings",
    struct config_rrule, rules, rule_map, rules_body);

/* ---- pass 2: matching ------------------------------------------------ */

/* Group children, over cfg->groups indexes (arena), made once. */
static const struct config_gtree *
rules_tree(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	const struct config *cfg = o->cfg;
	struct config_gtree *t = &o->gtree;
	size_t i, j, *ip, *cap;

	if (t->child != NULL)
		return t;

	t->child = config_arena_alloc(&ld->arena, (cfg->ngroups + 1) *
	    sizeof(*t->child));
	t->nchild = config_arena_alloc(&ld->arena, (cfg->ngroups + 1) *
	    sizeof(*t->nchild));
	cap = xcalloc(cfg->ngroups + 1, sizeof(*cap));
	memset(t->nchild, 0, (cfg->ngroups + 1) * sizeof(*t->nchild));
	/* Counted, then filled: every parent named is a defined group. */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < cfg->ngroups; i++) {
			for (j = 0; j < cfg->groups[i].nparents; j++) {
				if ((ip = config_index_find(&o->group_map,
				    cfg->groups[i].parents[j])) == NULL ||
				    o->groups[*ip].skip)
					continue;
				size_t p = o->groups[*ip].gi;

				if (pass == 0)
					cap[p]++;
				else
					t->child[p][t->nchild[p]++] = i;
			}
		}
		if (pass == 0)
			for (i = 0; i < cfg->ngroups; i++)
				t->child[i] = config_arena_alloc(&ld->arena,
				    (cap[i] + 1) * sizeof(**t->child));
	}
	free(cap);
	return t;
}

/* m's groups and every group under them, into m->in; unknown ones
 * reported. */
static void
rules_host_undefined(struct config_objects *o, const struct cfg_mark *m,
    const char *prefix, const char *name)
{
	struct config_loader *ld = o->ld;
	const struct config *cfg = o->cfg;
	const char **names = xcalloc(cfg->nhosts + 1, sizeof(*names));
	const char *hint;

	for (size_t i = 0; i < cfg->nhosts; i++)
		names[i] = cfg->hosts[i].name;
	hint = config_suggest(name, names, cfg->nhosts);
	config_error(ld, m, "%shosts: host %s is not defined%s%s%s", prefix,
	    config_quote(ld, name),
	    hint != NULL ? " (did you mean \"" : "", hint != NULL ? hint : "",
	    hint != NULL ? "\"?)" : "");
	free(names);
}

void
config_match_resolve(struct config_objects *o, struct config_rmatch *m,
    const char *prefix)
{
	struct config_loader *ld = o->ld;
	const struct config *cfg = o->cfg;
	const struct config_gtree *t = rules_tree(o);
	size_t i, *ip, *stack, top = 0, g, k;

	m->in = config_arena_alloc(&ld->arena, cfg->ngroups + 1);
	memset(m->in, 0, cfg->ngroups + 1);
	/* A plain name, not a glob, is a host: a typo would match nothing
	 * and say nothing. */
	for (i = 0; i < m->hosts.n; i++)
		if (strpbrk(m->hosts.v[i], "*?[") == NULL &&
		    config_index_find(&o->host_map, m->hosts.v[i]) == NULL)
			rules_host_undefined(o, &m->hosts.m[i], prefix, m->hosts.v[i]);
	if (m->groups.n == 0)
		return;
	stack = xcalloc(cfg->ngroups + 1, sizeof(*stack));
	for (i = 0; i < m->groups.n; i++) {
		if ((ip = config_index_find(&o->group_map, m->groups.v[i])) == NULL ||
		    o->groups[*ip].skip) {
			if (ip == NULL)
				config_error(ld, &m->groups.m[i], "%sgroups: group %s "
				    "is not defined", prefix,
				    config_quote(ld, m->groups.v[i]));
			continue;
		}
		g = o->groups[*ip].gi;
		if (m->in[g])
			continue;
		m->in[g] = 1;
		stack[top++] = g;
		/* A DAG (cycles were refused): each group pushed once. */
		while (top > 0) {
			g = stack[--top];
			for (k = 0; k < t->nchild[g]; k++)
				if (!m->in[t->child[g][k]]) {
					m->in[t->child[g][k]] = 1;
					stack[top++] = t->child[g][k];
				}
		}
	}
	free(stack);
	for (g = 0; g < cfg->ngroups; g++)
		if (m->in[g] && cfg->groups[g].nhost_patterns > 0)
			m->npatterned++;
	m->patterned = config_arena_alloc(&ld->arena, (m->npatterned + 1) *
	    sizeof(*m->patterned));
	m->npatterned = 0;
	for (g = 0; g < cfg->ngroups; g++)
		if (m->in[g] && cfg->groups[g].nhost_patterns > 0)
			m->patterned[m->npatterned++] = g;
}

static int
rules_any_glob(const struct config_strs *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (fnmatch(s->v[i], name, 0) == 0)
			return 1;
	return 0;
}

static int
rules_in_groups(const struct config_objects *o, const struct config_rmatch *m,
    const struct cfg_host *h)
{
	const struct cfg_group *g;
	size_t i, k, *ip;

	for (i = 0; i < h->ngroups; i++)
		if ((ip = config_index_find(&o->group_map, h->groups[i])) != NULL &&
		    !o->groups[*ip].skip && m->in[o->groups[*ip].gi])
			return 1;
	for (i = 0; i < m->npatterned; i++) {
		g = &o->cfg->groups[m->patterned[i]];
		for (k = 0; k < g->nhost_patterns; k++)
			if (fnmatch(g->host_patterns[k], h->name, 0) == 0)
				return 1;
	}
	return 0;
}

static int
rules_var_holds(const struct config_rvar *rv, const struct cfg_host *h)
{
	const char *val = NULL;

	for (size_t i = 0; i < h->nvars; i++)
		if (strcasecmp(h->vars[i].name, rv->name) == 0) {
			val = h->vars[i].value;
			break;
		}
	if (rv->presence >= 0)
		return (val != NULL) == rv->presence;
	return val != NULL && rules_any_glob(&rv->globs, val);
}

int
config_match(const struct config_objects *o, const struct config_rmatch *w,
    const struct config_rmatch *n, const struct cfg_host *h)
{
	size_t i;

	if (w->hosts.n > 0 && !rules_any_glob(&w->hosts, h->name))
		return 0;
	if (w->groups.n > 0 && !rules_in_groups(o, w, h))
		return 0;
	for (i = 0; i < w->nvars; i++)
		if (!rules_var_holds(&w->vars[i], h))
			return 0;
	if (n->hosts.n > 0 && rules_any_glob(&n->hosts, h->name))
		return 0;
	if (n->groups.n > 0 && rules_in_groups(o, n, h))
		return 0;
	for (i = 0; i < n->nvars; i++)
		if (rules_var_holds(&n->vars[i], h))
			return 0;
	return 1;
}

/* ---- pass 2: skip_apply ---------------------------------------------- */

/* Each entry of a skip_apply list written here names a rule (and one of
 * its services). */
static void
rules_skips_refs(struct config_objects *o, const struct config_props *p,
    const char *prefix)
{
	struct config_loader *ld = o->ld;
	const struct config_rrule *r;
	const char *e, *slash;
	size_t i, j, *ip;
	char *rule;

	if (!(p->set & CONFIG_P_SKIP_APPLY) || (p->inherited & CONFIG_P_SKIP_APPLY))
		return;
	for (i = 0; i < p->skip_apply.n; i++) {
		e = p->skip_apply.v[i];
		slash = strchr(e, '/');
		rule = slash ? config_arena_printf(&ld->arena, "%.*s",
		    (int)(slash - e), e) : (char *)e;
		if ((ip = config_index_find(&o->rule_map, rule)) == NULL) {
			config_error(ld, &p->skip_apply.m[i], "%sskip_apply: apply "
			    "rule %s is not defined", prefix, config_quote(ld, rule));
			continue;
		}
		if (slash == NULL)
			continue;
		r = &o->rules[*ip];
		for (j = r->first; j < r->first + r->n; j++)
			if (strcmp(o->rsvcs[j].desc, slash + 1) == 0)
				break;
		if (j == r->first + r->n)
			config_error(ld, &p->skip_apply.m[i], "%sskip_apply: apply "
			    "rule %s has no service %s", prefix, config_quote(ld, rule),
			    config_quote(ld, slash + 1));
	}
}

/* The skip_apply entry of p that leaves service desc of rule out, or -1. */
static int
rules_skipped(const struct config_props *p, const char *rule, const char *desc)
{
	size_t rl = strlen(rule);
	const char *e;

	for (size_t i = 0; i < p->skip_apply.n; i++) {
		e = p->skip_apply.v[i];
		if (strncmp(e, rule, rl) == 0 && (e[rl] == '\0' ||
		    (e[rl] == '/' && strcmp(e + rl + 1, desc) == 0)))
			return (int)i;
	}
	return -1;
}

/* ---- pass 2: applying ------------------------------------------------ */

struct rules_run {
	struct config_objects *o;
	/* The services applied to the host at hand (rsvcs indexes): a
	 * second rule giving it one of them is an error. Hosts are taken
	 * one at a time, so no index of every host's is needed. */
	size_t *applied, napplied, applied_cap;
	size_t skips_cap, rules_cap;
};

static void
rules_skip_record(struct rules_run *run, const struct config_rhost *rh,
    const struct config_rrule *r, const struct config_rulesvc *rs, int e)
{
	struct config *cfg = run->o->cfg;
	struct cfg_apply_skip *sk;

	xgrow((void **)&cfg->apply_skips, &run->skips_cap, cfg->napply_skips + 1,
	    sizeof(*cfg->apply_skips));
	sk = &cfg->apply_skips[cfg->napply_skips++];
	sk->host = config_store_str(cfg->store, rh->name);
	sk->rule = config_store_str(cfg->store, r->name);
	sk->service = config_store_str(cfg->store, rs->desc);
	sk->mark = rh->p.skip_apply.m[e];
}

/*
 * Service rs of rule r on host rh, whose name was quoted as qh. Nothing
 * here takes memory of the loader's per check but what the check keeps:
 * the prefix and the key live on the stack (10 services on 10,000 hosts
 * would otherwise hold tens of MB until the load ends).
 */
static void
rules_apply_one(struct rules_run *run, const struct config_rhost *rh,
    const char *qh, const struct config_rrule *r, size_t si)
{
	struct config_objects *o = run->o;
	struct config_loader *ld = o->ld;
	const struct config_rulesvc *rs = &o->rsvcs[si];
	const struct cfg_mark *f;
	struct config_props p;
	char prefix[RULES_PREFIX_MAX], key[RULES_PREFIX_MAX];
	size_t *ip, i;

	/* "host" and "desc" quoted apart make "host/desc" quoted. */
	snprintf(prefix, sizeof(prefix), "service %.*s/%s (apply rule %s on "
	    "host %s at %s:%d:%d): ", (int)strlen(qh) - 1, qh, rs->qdesc + 1,
	    r->qname, qh, rh->mark.file, rh->mark.line, rh->mark.col);
	snprintf(key, sizeof(key), "%s/%s", rh->name, rs->desc);
	if ((ip = config_index_find(&o->svc_map, key)) != NULL) {
		f = &o->svcs[*ip].mark;
		config_error(ld, &rs->mark, "%sthe host has this service already, "
		    "at %s:%d:%d (skip_apply: [%s/%s] on the host leaves the "
		    "rule's out)", prefix, f->file, f->line, f->col, r->name,
		    rs->desc);
		return;
	}
	for (i = 0; i < run->napplied; i++) {
		const struct config_rulesvc *other = &o->rsvcs[run->applied[i]];

		if (strcmp(other->desc, rs->desc) != 0)
			continue;
		f = &other->mark;
		config_error(ld, &rs->mark, "%sapply rule %s gives the host this "
		    "service too, at %s:%d:%d", prefix,
		    o->rules[other->rule].qname, f->file, f->line, f->col);
		return;
	}
	xgrow((void **)&run->applied, &run->applied_cap, run->napplied + 1,
	    sizeof(*run->applied));
	run->applied[run->napplied++] = si;
	p = rs->p;
	config_props_implied(ld, &p, &rh->p);
	config_check_build(o, rh->hi, rs->desc, &p, prefix, &rs->mark,
	    &r->defaults, r->name);
}

void
config_rules_apply(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct rules_run run = { .o = o };
	struct config_rrule *r;
	struct config_rulesvc *rs;
	const struct config_rhost *rh;
	struct cfg_rule *cr;
	const char *qh;
	size_t i, j, k;
	int e;

	for (i = 0; i < o->ntmpls; i++)
		rules_skips_refs(o, &o->tmpls[i].own, o->tmpls[i].prefix);
	for (i = 0; i < o->nhosts; i++)
		if (!o->hosts[i].skip)
			rules_skips_refs(o, &o->hosts[i].p, o->hosts[i].prefix);
	if (o->nrules == 0)
		return;

	for (i = 0; i < o->nrules; i++) {
		r = &o->rules[i];
		config_match_resolve(o, &r->where, r->prefix);
		config_match_resolve(o, &r->not, config_arena_printf(&ld->arena,
		    "%snot: ", r->prefix));
		for (j = r->first; j < r->first + r->n; j++) {
			rs = &o->rsvcs[j];
			if (config_service_resolve(o, &rs->p, rs->prefix,
			    &rs->mark) < 0)
				continue;
			/* An unknown command is said once, here. */
			rs->ok = r->skip == 0 && config_command_of(o, &rs->p,
			    rs->prefix) != NULL;
			/* and its event handler's, once */
			if (rs->ok && (rs->p.set & CONFIG_P_EVENT_HANDLER) &&
			    config_cmdref_of(o, &rs->p.event_handler,
			    &rs->p.event_handler_mark, (rs->p.inherited &
			    CONFIG_P_EVENT_HANDLER) != 0, "event_handler",
			    rs->prefix) == NULL)
				rs->ok = 0;
		}
		if (r->skip)
			continue;
		xgrow((void **)&cfg->rules, &run.rules_cap, cfg->nrules + 1,
		    sizeof(*cfg->rules));
		cr = &cfg->rules[cfg->nrules++];
		memset(cr, 0, sizeof(*cr));
		cr->name = config_store_str(cfg->store, r->name);
		cr->mark = r->mark;
		cr->nservices = r->n;
	}

	for (i = 0; i < o->nhosts; i++) {
		rh = &o->hosts[i];
		if (rh->skip)
			continue;
		qh = NULL;
		run.napplied = 0;
		for (j = 0, k = 0; j < o->nrules; j++) {
			r = &o->rules[j];
			if (r->skip)
				continue;
			cr = &cfg->rules[k++];
			if (!config_match(o, &r->where, &r->not, &cfg->hosts[rh->hi]))
				continue;
			cr->nhosts++;
			if (qh == NULL)
				qh = config_quote(ld, rh->name);
			for (size_t si = r->first; si < r->first + r->n; si++) {
				if ((e = rules_skipped(&rh->p, r->name,
				    o->rsvcs[si].desc)) >= 0)
					rules_skip_record(&run, rh, r, &o->rsvcs[si], e);
				else if (o->rsvcs[si].ok)
					rules_apply_one(&run, rh, qh, r, si);
			}
		}
	}
	free(run.applied);
}
