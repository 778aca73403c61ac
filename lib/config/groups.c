/*
 * NAME
 *	groups - conf.d `groups:`, hierarchical groups
 * DESCRIPTION
 *	`groups: {name: {title, parents, hosts, services}}`. Group names
 *	follow the host name rules. hosts: and services: are fnmatch(3) globs
 *	(no flags) on host names and on "host/service"; a glob that matches
 *	nothing is fine (hosts come and go), one that can never match
 *	anything is an error (empty, a trailing lone '\', a '[' never
 *	closed, an unknown [:class:], a '/' in a host pattern). Hosts,
 *	services and templates name their groups in a `groups:` key
 *	(keys.c), checked here in pass 2.
 *
 *	Pass 2: into cfg->groups, then parents: defined, not the group
 *	itself, no cycles (several parents and diamonds are fine: the
 *	parents form a DAG; cycles.c).
 * DIAGNOSTICS
 *	"group \"a\": parents form a cycle: a (f:3:3) -> b (f:5:3) -> a",
 *	reported at the group of the cycle defined first.
 */
#include "config.h"
#include "config_objects.h"
#include "xalloc.h"

#include <stddef.h>
#include <string.h>

static config_parse_fn groups_patterns;

static const struct config_field groups_keys[] = {
	{ .name = "title", .where = 1, .type = CONFIG_T_STRING,
	    .off = offsetof(struct config_rgroup, title) },
	{ .name = "parents", .where = 1, .type = CONFIG_T_NAMES,
	    .off = offsetof(struct config_rgroup, parents), .what = "group" },
	{ .name = "hosts", .where = 1, .type = CONFIG_T_OWN, .arg = 1,
	    .off = offsetof(struct config_rgroup, host_patterns),
	    .parse = groups_patterns },
	{ .name = "services", .where = 1, .type = CONFIG_T_OWN, .arg = 0,
	    .off = offsetof(struct config_rgroup, service_patterns),
	    .parse = groups_patterns },
};
#define GROUPS_NKEYS (sizeof(groups_keys) / sizeof(groups_keys[0]))

/* ---- pass 1 ---------------------------------------------------------- */

/*
 * Why pattern can never be a useful glob, or NULL. glibc's fnmatch takes
 * a '[' never closed literally and never matches a trailing lone '\':
 * both are typos, not intentions. A host name has no '/', so a '/'
 * outside brackets in a host pattern can never match.
 */
const char *
config_glob_problem(const char *p, int host)
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

/* hosts: (.arg 1) or services: of a group, each pattern checked. 0 or -1. */
static int
groups_patterns(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	if (config_is_null(v))
		return 0;
	return config_globs(ld, v, prefix, f->name, f->arg ? "a list of host "
	    "name patterns" : "a list of \"host/service\" patterns", f->arg,
	    (struct config_strs *)((char *)obj + f->off));
}

int
config_globs(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    const char *key, const char *expected, int host, struct config_strs *out)
{
	const char *why;
	size_t i;
	int bad = 0;

	if (config_list(ld, v, prefix, key, expected, out) < 0)
		return -1;
	for (i = 0; i < out->n; i++) {
		if ((why = config_glob_problem(out->v[i], host)) == NULL)
			continue;
		config_error(ld, &out->m[i], "%s%s: pattern %s %s", prefix, key,
		    config_quote(ld, out->v[i]), why);
		bad = 1;
	}
	return bad ? -1 : 0;
}

static void
groups_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_rgroup *g = el;

	if (config_map(o->ld, map, g->prefix, NULL, "a map of settings (title, "
	    "parents, hosts, services)") <= 0)
		return;
	config_fields_read(o->ld, map, groups_keys, GROUPS_NKEYS, 1, "a group",
	    g->prefix, g, NULL);
}

const struct config_objects_kind config_group_kind = CONFIG_OBJECTS_KIND(
    "group", "groups", "a map of group name to group settings",
    struct config_rgroup, groups, group_map, groups_body);

/* ---- pass 2 ---------------------------------------------------------- */

static const char *
groups_name(const struct config_objects *o, size_t i)
{
	return o->cfg->groups[i].name;
}

static const struct cfg_mark *
groups_mark(const struct config_objects *o, size_t i)
{
	return &o->cfg->groups[i].mark;
}

void
config_groups_build(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct config_rgroup *rg;
	struct cfg_group *g;
	struct config_graph *g2;
	size_t i, j, u, *ip;

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
		g->parents = config_strv_copy(rg->parents.v, rg->parents.n);
		g->nparents = rg->parents.n;
		g->host_patterns = config_strv_copy(rg->host_patterns.v,
		    rg->host_patterns.n);
		g->nhost_patterns = rg->host_patterns.n;
		g->service_patterns = config_strv_copy(rg->service_patterns.v,
		    rg->service_patterns.n);
		g->nservice_patterns = rg->service_patterns.n;
		g->mark = rg->mark;
		rg->gi = cfg->ngroups++;
	}

	/* The parent graph, child -> parent, over cfg->groups indexes. */
	g2 = config_graph_new(ld, cfg->ngroups);
	g2->kind = "group";
	g2->relation = "parents form";
	g2->name = groups_name;
	g2->mark = groups_mark;
	for (i = 0; i < o->ngroups; i++) {
		rg = &o->groups[i];
		if (rg->skip)
			continue;
		u = rg->gi;
		config_graph_edges(ld, g2, u, rg->parents.n);
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
			g2->adj[u][g2->deg[u]++] = o->groups[*ip].gi;
		}
	}
	config_graph_walk(o, g2);
}

/*
 * The groups p names exist. A list inherited from a template was checked
 * once, at the template.
 */
void
config_groups_refs(struct config_objects *o, const struct config_props *p,
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
