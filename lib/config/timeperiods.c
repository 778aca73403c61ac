/*
 * NAME
 *	timeperiods - conf.d `timeperiods:`
 * DESCRIPTION
 *	`timeperiods: {name: {monday: "09:00-17:00", ..., all: ...,
 *	exceptions: {"2026-12-25": "", "thursday -1 november": ""},
 *	exclude: [names]}}`, names as host names; an exception's ranges
 *	replace the weekday's on its dates (timeperiod.h). Pass 1 parses each day's
 *	text (timeperiod.c), so a bad range is reported at its value; a day
 *	key wins over `all` in any order. Nothing at all is a timeperiod
 *	that is never (Nagios "none").
 *
 *	Pass 2 runs first, since templates, hosts, services and contacts
 *	name timeperiods: each into cfg->timeperiods, then its exclusions:
 *	defined, not the timeperiod itself, no cycles (cycles.c); each
 *	exclusion linked by pointer, never one that closes a cycle, so cfg
 *	never holds one for timeperiod_contains() to loop on.
 * DIAGNOSTICS
 *	"timeperiod \"a\": excludes form a cycle: a (f:3:3) -> b (f:5:3) ->
 *	a". A name that is no timeperiod suggests the nearest defined one.
 */
#include "config.h"
#include "config_objects.h"
#include "timeperiod.h"
#include "xalloc.h"

#include <stddef.h>
#include <string.h>

#define PERIODS_ALL	7	/* .arg of `all`; the days are tm_wday */

static config_parse_fn periods_day, periods_exceptions;

static const struct config_field periods_keys[] = {
	{ .name = "sunday", .where = 1, .type = CONFIG_T_OWN, .arg = 0,
	    .parse = periods_day },
	{ .name = "monday", .where = 1, .type = CONFIG_T_OWN, .arg = 1,
	    .parse = periods_day },
	{ .name = "tuesday", .where = 1, .type = CONFIG_T_OWN, .arg = 2,
	    .parse = periods_day },
	{ .name = "wednesday", .where = 1, .type = CONFIG_T_OWN, .arg = 3,
	    .parse = periods_day },
	{ .name = "thursday", .where = 1, .type = CONFIG_T_OWN, .arg = 4,
	    .parse = periods_day },
	{ .name = "friday", .where = 1, .type = CONFIG_T_OWN, .arg = 5,
	    .parse = periods_day },
	{ .name = "saturday", .where = 1, .type = CONFIG_T_OWN, .arg = 6,
	    .parse = periods_day },
	{ .name = "all", .where = 1, .type = CONFIG_T_OWN, .arg = PERIODS_ALL,
	    .parse = periods_day },
	{ .name = "exceptions", .where = 1, .type = CONFIG_T_OWN, .parse = periods_exceptions },
	{ .name = "exclude", .where = 1, .type = CONFIG_T_NAMES,
	    .off = offsetof(struct config_rperiod, exclude),
	    .what = "timeperiod" },
};
#define PERIODS_NKEYS (sizeof(periods_keys) / sizeof(periods_keys[0]))

/* ---- pass 1 ---------------------------------------------------------- */

/*
 * A day's ranges. `all` gives every day its ranges but the days that have
 * their own key, whatever the order: the more specific key wins.
 */
static int
periods_day(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	struct config_rperiod *r = obj;
	struct cfg_mark m = config_mark(ld, v);
	const char *text;
	unsigned days;
	char err[256];

	if (config_is_null(v))
		text = "";
	else if ((text = config_text(ld, v, prefix, f->name)) == NULL)
		return -1;
	if (f->arg == PERIODS_ALL)
		days = TIMEPERIOD_EVERY_DAY & ~r->own_days;
	else
		r->own_days |= days = 1u << f->arg;
	if (timeperiod_parse_day(text, r->tp, days, err, sizeof(err)) < 0) {
		config_error(ld, &m, "%s%s: %s", prefix, f->name, err);
		return -1;
	}
	return 0;
}

/*
 * Date exceptions, Nagios's date ranges: {"2026-12-25": "", "december 24":
 * "09:00-12:00", "thursday -1 november": "", "day 1": "00:00-06:00"};
 * on those dates the ranges replace the weekday's. A bad date is reported
 * at its key, bad ranges at their value.
 */
static int
periods_exceptions(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj)
{
	struct config_rperiod *r = obj;
	yaml_node_pair_t *pair;
	int bad = 0, rc;

	if ((rc = config_map(ld, v, prefix, f->name, "a map of date: \"HH:MM-HH:MM\" ranges "
	    "(\"2026-12-25\": \"\", \"december 24\": \"09:00-12:00\")")) <= 0)
		return rc;
	for (pair = v->data.mapping.pairs.start; pair < v->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = config_node(ld, pair->key), *val = config_node(ld, pair->value);
		struct cfg_mark km = config_mark(ld, k), vm = config_mark(ld, val);
		const char *spec, *text;
		char err[512];

		if ((spec = config_text(ld, k, prefix, f->name)) == NULL) {
			bad = 1;
			continue;
		}
		if (config_is_null(val))
			text = "";
		else if ((text = config_text(ld, val, prefix, f->name)) == NULL) {
			bad = 1;
			continue;
		}
		if (timeperiod_parse_exception(spec, text, r->tp, err, sizeof(err)) < 0) {
			/* the date's fault, or the ranges' */
			config_error(ld, strstr(err, "is not a date") != NULL ||
			    strstr(err, "the dates") != NULL ? &km : &vm,
			    "%s%s: %s", prefix, f->name, err);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static void
periods_body(struct config_objects *o, void *el, yaml_node_t *map)
{
	struct config_rperiod *r = el;

	r->tp = timeperiod_new();
	/* Nothing: a timeperiod that is never (Nagios "none"). */
	if (config_map(o->ld, map, r->prefix, NULL, "a map of days (monday: "
	    "\"09:00-17:00\", all: ..., exclude: [...])") <= 0)
		return;
	config_fields_read(o->ld, map, periods_keys, PERIODS_NKEYS, 1,
	    "a timeperiod", r->prefix, r, NULL);
}

const struct config_objects_kind config_period_kind = CONFIG_OBJECTS_KIND(
    "timeperiod", "timeperiods", "a map of timeperiod name to days",
    struct config_rperiod, periods, period_map, periods_body);

/* ---- pass 2 ---------------------------------------------------------- */

static const char *
periods_name(const struct config_objects *o, size_t i)
{
	return o->cfg->timeperiods[i].name;
}

static const struct cfg_mark *
periods_mark(const struct config_objects *o, size_t i)
{
	return &o->cfg->timeperiods[i].mark;
}

/*
 * u's exclusions. Every cycle has a back edge, whose source is on a
 * reported cycle: leaving those nodes unlinked leaves no cycle for
 * timeperiod_contains().
 */
static void
periods_link(struct config_objects *o, const struct config_graph *g, size_t u)
{
	struct config *cfg = o->cfg;
	size_t j;

	for (j = 0; j < g->deg[u] && !g->on_cycle[u]; j++)
		timeperiod_exclude(cfg->timeperiods[u].tp,
			    cfg->timeperiods[g->adj[u][j]].tp);
}

void
config_periods_build(struct config_objects *o)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct config_rperiod *r;
	struct cfg_timeperiod *ct;
	struct config_graph *g;
	size_t i, j, u, *ip;

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
	g = config_graph_new(ld, cfg->ntimeperiods);
	g->kind = "timeperiod";
	g->relation = "excludes form";
	g->name = periods_name;
	g->mark = periods_mark;
	g->done = periods_link;
	for (i = 0; i < o->nperiods; i++) {
		r = &o->periods[i];
		if (r->skip)
			continue;
		u = r->ti;
		config_graph_edges(ld, g, u, r->exclude.n);
		for (j = 0; j < r->exclude.n; j++) {
			if ((ip = config_index_find(&o->period_map,
			    r->exclude.v[j])) == NULL) {
				config_period_unknown(o, &r->exclude.m[j],
				    r->prefix, "exclude", r->exclude.v[j]);
				continue;
			}
			if (*ip == i) {
				config_error(ld, &r->exclude.m[j], "%sexclude: a "
				    "timeperiod cannot exclude itself", r->prefix);
				continue;
			}
			g->adj[u][g->deg[u]++] = o->periods[*ip].ti;
		}
	}
	config_graph_walk(o, g);
}

const struct timeperiod *
config_period_find(const struct config_objects *o, const char *name)
{
	size_t *ip = config_index_find(&o->period_map, name);

	return ip != NULL ? o->cfg->timeperiods[o->periods[*ip].ti].tp : NULL;
}

void
config_period_unknown(struct config_objects *o, const struct cfg_mark *m,
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

void
config_period_ref(struct config_objects *o, const struct config_props *p,
    const char *prefix)
{
	if (!(p->set & CONFIG_P_CHECK_PERIOD) ||
	    (p->inherited & CONFIG_P_CHECK_PERIOD))
		return;
	if (config_index_find(&o->period_map, p->check_period) == NULL)
		config_period_unknown(o, &p->check_period_mark, prefix,
		    "check_period", p->check_period);
}
