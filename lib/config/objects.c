/*
 * NAME
 *	objects - conf.d documents: top-level keys and named objects
 * DESCRIPTION
 *	config_objects_file() reads one document (pass 1): each top-level
 *	key goes to the file of its kind (commands.c, checks.c, groups.c,
 *	timeperiods.c, contacts.c), which checks each value where it is
 *	written, so an error is reported once, at its own line, and keeps
 *	it in definition order for pass 2, which needs every file. Names go
 *	into hash indexes as they come, so duplicates are found in constant
 *	time and a load stays linear in the number of objects.
 *
 *	config_objects_finish() is pass 2, in the order the kinds name each
 *	other: timeperiods (named by contacts, templates, hosts, services),
 *	contacts and contact groups (named by checks), templates, groups,
 *	hosts and their parents, then the checks in definition order, then
 *	the services of apply rules (rules.c), then dependencies (deps.c).
 * DIAGNOSTICS
 *	Through config_error(): every message names the object ("host
 *	\"web-01\"", "service \"web-01/http\"", "command \"ping\"",
 *	"template \"x\""), then the key, then what is wrong and what was
 *	expected. Unknown keys are errors, never ignored.
 */
#include "config.h"
#include "config_objects.h"
#include "timeperiod.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* ---- named objects --------------------------------------------------- */

void *
config_objects_named(struct config_objects *o, yaml_node_t *k,
    const struct config_objects_kind *kind)
{
	struct config_loader *ld = o->ld;
	void **arr = (void **)((char *)o + kind->off_arr);
	size_t *n = (size_t *)((char *)o + kind->off_n);
	size_t *cap = (size_t *)((char *)o + kind->off_cap);
	struct config_index *map = (struct config_index *)((char *)o +
	    kind->off_index);
	struct cfg_mark m;
	const char *name;
	char *el;
	size_t *ip, i;

	/* Strict names: they go where host names go (URLs, routing keys). */
	if ((name = config_name(ld, k, "", kind->what, 1)) == NULL)
		return NULL;
	m = config_mark(ld, k);
	xgrow(arr, cap, *n + 1, kind->size);
	i = (*n)++;
	el = (char *)*arr + i * kind->size;
	memset(el, 0, kind->size);
	*(const char **)(el + kind->off_name) = name;
	*(struct cfg_mark *)(el + kind->off_mark) = m;
	*(const char **)(el + kind->off_prefix) = config_arena_printf(&ld->arena,
	    "%s %s: ", kind->what, config_quote(ld, name));
	if ((ip = config_index_find(map, name)) != NULL) {
		const struct cfg_mark *f = (const struct cfg_mark *)((char *)*arr +
		    *ip * kind->size + kind->off_mark);

		config_error(ld, &m, "%s %s is defined twice (first at %s:%d:%d)",
		    kind->what, config_quote(ld, name), f->file, f->line, f->col);
		*(int *)(el + kind->off_skip) = 1;
	} else
		config_index_put(map, name, i);
	return el;
}

void
config_objects_walk(struct config_objects *o, yaml_node_t *map,
    const struct config_objects_kind *kind)
{
	struct config_loader *ld = o->ld;
	yaml_node_pair_t *pair;
	void *el;

	if (config_map(ld, map, "", kind->key, kind->expected) <= 0)
		return;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++)
		if ((el = config_objects_named(o, config_node(ld, pair->key),
		    kind)) != NULL)
			kind->body(o, el, config_node(ld, pair->value));
}

/* ---- pass 1 and 2 ----------------------------------------------------- */

void
config_objects_file(struct config_objects *o, yaml_node_t *root)
{
	static const char *const tops[] = {
		"commands", "templates", "hosts", "services", "groups",
		"timeperiods", "contacts", "contact_groups", "apply",
		"dependencies",
	};
#define NTOPS (sizeof(tops) / sizeof(tops[0]))
	struct config_loader *ld = o->ld;
	struct cfg_mark m, first[NTOPS];
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	const char *name;
	unsigned seen = 0;
	size_t i;

	if (config_is_null(root))
		return;
	if (root->type != YAML_MAPPING_NODE) {
		m = config_mark(ld, root);
		config_error(ld, &m, "expected a map with commands, templates, "
		    "hosts, services, groups, timeperiods, contacts, "
		    "contact_groups, apply or dependencies, got %s",
		    config_what(root));
		return;
	}
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		k = config_node(ld, pair->key);
		v = config_node(ld, pair->value);
		m = config_mark(ld, k);
		name = k->type == YAML_SCALAR_NODE ?
		    (const char *)k->data.scalar.value : "";
		for (i = 0; i < NTOPS; i++)
			if (strcmp(name, tops[i]) == 0)
				break;
		if (i == NTOPS) {
			config_error(ld, &m, "unknown top-level key %s (expected "
			    "commands, templates, hosts, services, groups, "
			    "timeperiods, contacts, contact_groups, apply, "
			    "dependencies)",
			    k->type == YAML_SCALAR_NODE ? config_quote(ld, name) :
			    config_what(k));
			continue;
		}
		if (seen & (1u << i)) {
			config_error(ld, &m, "key \"%s\" is given twice (first at "
			    "%s:%d:%d)", name, first[i].file, first[i].line,
			    first[i].col);
			continue;
		}
		seen |= 1u << i;
		first[i] = m;
		switch (i) {
		case 0:
			config_commands_read(o, v);
			break;
		case 1:
			config_templates_read(o, v);
			break;
		case 2:
			config_objects_walk(o, v, &config_host_kind);
			break;
		case 3:
			config_services_read(o, v);
			break;
		case 4:
			config_objects_walk(o, v, &config_group_kind);
			break;
		case 5:
			config_objects_walk(o, v, &config_period_kind);
			break;
		case 6:
			config_objects_walk(o, v, &config_contact_kind);
			break;
		case 7:
			config_objects_walk(o, v, &config_contact_group_kind);
			break;
		case 8:
			config_objects_walk(o, v, &config_rule_kind);
			break;
		default:
			config_objects_walk(o, v, &config_dep_kind);
			break;
		}
	}
#undef NTOPS
}

struct config_objects *
config_objects_new(struct config_loader *ld)
{
	struct config_objects *o = xcalloc(1, sizeof(*o));

	o->ld = ld;
	o->cfg = ld->cfg;
	return o;
}

void
config_objects_finish(struct config_objects *o)
{
	size_t i;

	config_periods_build(o);
	config_contacts_build(o);
	config_templates_resolve(o);
	config_templates_refs(o);
	config_groups_build(o);
	for (i = 0; i < o->ntmpls; i++)
		config_groups_refs(o, &o->tmpls[i].own, o->tmpls[i].prefix);
	config_hosts_build(o);
	config_hosts_parents(o);
	config_checks_build(o);
	config_rules_apply(o);
	config_deps_build(o);
}

void
config_objects_free(struct config_objects *o)
{
	size_t i;

	if (o == NULL)
		return;
	free(o->tmpls);
	free(o->hosts);
	free(o->svcs);
	free(o->groups);
	/* Timeperiods not moved to cfg (skipped, or a load cut short). */
	for (i = 0; i < o->nperiods; i++)
		timeperiod_free(o->periods[i].tp);
	free(o->periods);
	free(o->items);
	free(o->cmd_map.v);
	free(o->tmpl_map.v);
	free(o->host_map.v);
	free(o->svc_map.v);
	free(o->group_map.v);
	free(o->period_map.v);
	free(o->rcontacts);
	free(o->rcgroups);
	free(o->contact_map.v);
	free(o->contact_group_map.v);
	free(o->rules);
	free(o->rsvcs);
	free(o->rule_map.v);
	free(o->deps);
	free(o->dep_map.v);
	free(o);
}
