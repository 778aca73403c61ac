/*
 * NAME
 *	config_objects - the conf.d objects between the loader's two passes
 * DESCRIPTION
 *	Not part of the config contract (config.h). Each object kind as pass 1
 *	reads it (struct config_props for the objects that run checks,
 *	struct config_r* for the others), struct config_objects that holds
 *	them all with their name indexes, and the entry points of the files
 *	of lib/config/ that read and resolve them (see config_private.h for
 *	the map).
 */
#ifndef VIGIL_CONFIG_OBJECTS_H
#define VIGIL_CONFIG_OBJECTS_H

#include "config_private.h"

#include <stdint.h>

/* ---- conf.d objects as written, pass 1 to pass 2 ------------------- */

/* Which props are set (struct config_props .set, .inherited). */
enum {
	CONFIG_P_COMMAND = 1 << 0,
	CONFIG_P_INTERVAL = 1 << 1,
	CONFIG_P_RETRY_INTERVAL = 1 << 2,
	CONFIG_P_MAX_ATTEMPTS = 1 << 3,
	CONFIG_P_TIMEOUT = 1 << 4,
	CONFIG_P_POOLS = 1 << 5,
	CONFIG_P_ACTIVE = 1 << 6,
	CONFIG_P_PASSIVE = 1 << 7,
	CONFIG_P_VARS = 1 << 8,
	CONFIG_P_ADDRESS = 1 << 9,
	CONFIG_P_ALIAS = 1 << 10,
	CONFIG_P_PARENTS = 1 << 11,
	CONFIG_P_GROUPS = 1 << 12,
	CONFIG_P_TIMEOUT_STATE = 1 << 13,
	CONFIG_P_FRESHNESS = 1 << 14,
	CONFIG_P_STALE_STATE = 1 << 15,
	CONFIG_P_FLAP_DETECTION = 1 << 16,
	CONFIG_P_LOW_FLAP = 1 << 17,
	CONFIG_P_HIGH_FLAP = 1 << 18,
	CONFIG_P_DEBOUNCE = 1 << 19,
	CONFIG_P_IS_VOLATILE = 1 << 20,
	CONFIG_P_CHECK_PERIOD = 1 << 21,
	CONFIG_P_QUORUM = 1 << 22,
	CONFIG_P_NOTIFY = 1 << 23,
	CONFIG_P_NOTIFY_ON = 1 << 24,
	CONFIG_P_NOTIFICATION_INTERVAL = 1 << 25,
	CONFIG_P_FIRST_NOTIFICATION_DELAY = 1 << 26,
	CONFIG_P_NOTIFICATION_PERIOD = 1 << 27,
	CONFIG_P_ESCALATIONS = 1 << 28,
	CONFIG_P_NOTIFICATIONS_ENABLED = 1 << 29,
	CONFIG_P_FRESHNESS_ON = 1 << 30,
};
/* Past int's bits (set is 64 bits wide). */
#define CONFIG_P_STALKING	((uint64_t)1 << 31)
#define CONFIG_P_FLAP_OPTIONS	((uint64_t)1 << 32)
#define CONFIG_P_SKIP_APPLY	((uint64_t)1 << 33)
#define CONFIG_P_EVENT_HANDLER	((uint64_t)1 << 34)
#define CONFIG_P_EVENT_HANDLER_ENABLED	((uint64_t)1 << 35)
#define CONFIG_P_EVENT_HANDLER_IN_DOWNTIME	((uint64_t)1 << 36)

/* A state key's value (timeout_state, stale_state). */
struct config_state {
	int status;		/* plugin status 0..3 */
	const char *text;	/* as written, for messages */
	int host_only;		/* written UP or DOWN: fine for hosts only */
	struct cfg_mark mark;
};

/* A percentage key's value and where it was written. */
struct config_percent {
	double v;
	struct cfg_mark mark;
};

/* A notify_on value: NOTIFY_ON_* bits and the names as written. */
struct config_notify_on {
	unsigned bits;
	struct config_strs names;
};

/* One entry of escalations: as written; names resolved in pass 2. */
struct config_resc {
	int first;
	int last;		/* 0: open-ended */
	struct cfg_mark last_mark;
	struct config_strs notify;
	int interval;		/* -1: the check's notification_interval */
	const char *period;	/* NULL: always */
	struct cfg_mark period_mark;
	struct cfg_mark mark;	/* the map */
};

/* escalations: the list, as one value. */
struct config_rescs {
	struct config_resc *v;	/* arena */
	size_t n;
};

/* command: NAME, or [NAME, ARG1, ...]. */
struct config_cmdref {
	const char *name;
	struct config_strs args;	/* $ARG1$ ... as written */
};

/*
 * The keys of a host, service or template, parsed and checked. Which
 * member holds which key, and how it is read, inherited and defaulted, is
 * keys.c's table: a member here is only its storage.
 */
struct config_props {
	uint64_t set;
	uint64_t inherited;	/* set from a template (reported there) */
	struct config_cmdref command;
	struct cfg_mark command_mark;
	int interval;
	int retry_interval;
	int max_attempts;
	int timeout;
	int active;
	int passive;
	struct config_strs pools;
	struct cfg_mark pools_mark;	/* the list */
	int quorum;
	struct cfg_mark quorum_mark;
	/* quorum <= the number of pools was checked for this pair */
	int quorum_checked;
	struct config_vars vars;
	struct config_strs use;	/* never inherited */
	const char *address;
	const char *alias;
	struct config_strs parents;
	struct config_strs groups;	/* group names; replaces a template's */
	struct config_state timeout_state;
	struct config_state stale_state;
	int freshness_threshold;	/* seconds, 0: the engine's default */
	int freshness;			/* freshness: true */
	int stalking;			/* CONFIG_STATE_SET_* bits */
	int flap_options;		/* the same: flap_detection_options */
	int flap_detection;
	struct config_percent low_flap;
	struct config_percent high_flap;
	/* low < high was checked for this pair (here or at a template) */
	int flap_checked;
	int debounce;
	int is_volatile;
	const char *check_period;
	struct cfg_mark check_period_mark;
	struct config_strs notify;	/* contact and contact group names */
	struct config_notify_on notify_on;
	int notifications_enabled;
	int notification_interval;
	int first_notification_delay;
	const char *notification_period;
	struct cfg_mark notification_period_mark;
	struct config_rescs escalations;
	struct config_strs skip_apply;	/* hosts: "rule" or "rule/service" */
	struct config_cmdref event_handler;
	struct cfg_mark event_handler_mark;
	int event_handler_enabled;
	int event_handler_in_downtime;
};

struct config_tmpl {
	const char *name;
	const char *prefix;	/* "template \"x\": " */
	struct cfg_mark mark;
	struct config_props own;
	struct config_props res;	/* with its templates applied */
	int done;		/* res is complete */
	int depth;		/* 1 + the deepest template it uses */
};

struct config_rhost {
	const char *name;
	const char *prefix;
	struct cfg_mark mark;
	struct config_props p;	/* own keys; after finish, resolved */
	int skip;		/* defined twice or bad name: reported */
	size_t hi;		/* index in cfg->hosts */
};

struct config_rsvc {
	const char *host;
	const char *desc;
	const char *prefix;
	struct cfg_mark mark;
	struct cfg_mark host_mark;
	struct config_props p;
	int skip;
	int inline_host;	/* defined under its host (index in hosts) or -1 */
};

/* A group as written (conf.d `groups:`). */
struct config_rgroup {
	const char *name;
	const char *prefix;	/* "group \"x\": " */
	struct cfg_mark mark;
	const char *title;	/* NULL: the name */
	struct config_strs parents;
	struct config_strs host_patterns;
	struct config_strs service_patterns;
	int skip;		/* defined twice: reported */
	size_t gi;		/* index in cfg->groups */
};

/* A timeperiod as written (conf.d `timeperiods:`). */
struct config_rperiod {
	const char *name;
	const char *prefix;	/* "timeperiod \"x\": " */
	struct cfg_mark mark;
	struct timeperiod *tp;	/* its days; owned until moved to cfg */
	struct config_strs exclude;
	unsigned own_days;	/* days given by their own key, not all: */
	int skip;		/* defined twice: reported */
	size_t ti;		/* index in cfg->timeperiods */
};

/* A contact as written (conf.d `contacts:`). */
struct config_rcontact {
	const char *name;
	const char *prefix;	/* "contact \"x\": " */
	struct cfg_mark mark;
	int skip;		/* defined twice: reported */
	const char *alias;	/* NULL: the name */
	const char *email;
	const char *slack;
	const char *webhook;
	const char *command;	/* a `commands:` name, found in pass 2 */
	struct cfg_mark command_mark;
	int has_notify_on;
	struct config_notify_on notify_on;
	const char *period;
	struct cfg_mark period_mark;
	struct config_vars vars;
};

/* A contact group as written (conf.d `contact_groups:`). */
struct config_rcgroup {
	const char *name;
	const char *prefix;	/* "contact group \"x\": " */
	struct cfg_mark mark;
	int skip;		/* defined twice: reported */
	const char *alias;	/* NULL: the name */
	struct config_strs members;	/* contact names */
	struct config_strs groups;	/* nested contact group names */
	/* pass 2: every contact, nested groups expanded; sorted, unique */
	const char **contacts;
	size_t ncontacts;
};

/*
 * A host condition of an apply rule (rules.c): the rule's own keys, or
 * its not: map. Globs on the host name, groups (with their subgroups),
 * and var conditions.
 */
struct config_rvar {
	const char *name;
	struct config_strs globs;	/* any of them; presence: none */
	int presence;		/* -1: globs; 1: the var is set; 0: it is not */
	struct cfg_mark mark;
};

struct config_rmatch {
	struct config_strs hosts;
	struct config_strs groups;
	struct config_rvar *vars;	/* arena */
	size_t nvars;
	/* pass 2: the cfg->groups in the subtrees of groups (a byte each),
	 * and the ones of them with host patterns */
	unsigned char *in;
	size_t *patterned, npatterned;
};

/* An apply rule as written (conf.d `apply:`). */
struct config_rrule {
	const char *name;
	const char *prefix;	/* "apply rule \"x\": " */
	const char *qname;	/* name quoted, for messages */
	struct cfg_mark mark;
	int skip;		/* defined twice: reported */
	struct config_rmatch where;	/* every key given must hold */
	struct config_rmatch not;	/* any key given that holds excludes */
	int has_not;
	struct config_vars defaults;	/* host vars a host does not set */
	size_t first, n;	/* its services: rsvcs[first .. first+n-1] */
};

/* A service of an apply rule. */
struct config_rulesvc {
	size_t rule;		/* index in rules */
	const char *desc;
	const char *qdesc;	/* desc quoted, for messages */
	const char *prefix;	/* "apply rule \"x\": service \"y\": " */
	struct cfg_mark mark;
	struct config_props p;	/* pass 2: resolved (templates, references) */
	int ok;			/* resolved without error: applied */
};

/* Group children over cfg->groups indexes (rules.c, made when needed). */
struct config_gtree {
	size_t **child;
	size_t *nchild;
};

/* A dependency as written (conf.d `dependencies:`, deps.c). */
struct config_rdep {
	const char *name;
	const char *prefix;	/* "dependency \"x\": " */
	struct cfg_mark mark;
	int skip;		/* defined twice: reported */
	const char *master;	/* "host/service", "host"; may hold $HOSTNAME$ */
	struct cfg_mark master_mark;
	struct config_rmatch where, not;	/* the dependents' hosts */
	struct config_strs services;	/* globs on their services; none:
					 * their host checks */
	struct config_strs exec_names, notify_names;	/* as written */
	unsigned exec_fail, notify_fail;	/* CONFIG_DEP_* bits */
	int inherits_parent;
	const char *period;
	struct cfg_mark period_mark;
};

/* Definition order, for cfg->checks "in file order". */
struct config_item {
	int is_host;
	size_t idx;
};

/* cmd_map value of a command with errors: reported, checks using it skip */
#define CONFIG_BROKEN ((size_t)-1)

struct config_objects {
	struct config_loader *ld;
	struct config *cfg;
	struct config_tmpl *tmpls;
	size_t ntmpls, tmpls_cap;
	struct config_rhost *hosts;
	size_t nhosts, hosts_cap;
	struct config_rsvc *svcs;
	size_t nsvcs, svcs_cap;
	struct config_rgroup *groups;
	size_t ngroups, groups_cap;
	struct config_rperiod *periods;
	size_t nperiods, periods_cap;
	struct config_rcontact *rcontacts;
	size_t nrcontacts, rcontacts_cap;
	struct config_rcgroup *rcgroups;
	size_t nrcgroups, rcgroups_cap;
	struct config_item *items;
	size_t nitems, items_cap;
	struct config_rrule *rules;
	size_t nrules, rules_cap;
	struct config_rulesvc *rsvcs;
	size_t nrsvcs, rsvcs_cap;
	size_t cmds_cap, chosts_cap, checks_cap, cgroups_cap, cperiods_cap;
	struct config_index cmd_map;	/* name -> cfg->commands index */
	struct config_index tmpl_map;	/* name -> tmpls index */
	struct config_index host_map;	/* name -> hosts index */
	struct config_index svc_map;	/* "host/desc" -> svcs index */
	struct config_index group_map;	/* name -> groups index */
	struct config_index period_map;	/* name -> periods index */
	struct config_index contact_map;	/* name -> rcontacts index */
	struct config_index contact_group_map;	/* name -> rcgroups index */
	struct config_index rule_map;	/* name -> rules index */
	struct config_gtree gtree;
	struct config_rdep *deps;
	size_t ndeps, deps_cap;
	struct config_index dep_map;	/* name -> deps index */
	const char **period_names;	/* defined ones, for "did you mean" */
	size_t nperiod_names;
	/* contacts, then contact groups, defined ones: for "did you mean" */
	const char **notify_names;
	size_t ncontact_names, nnotify_names;
};

/* ---- objects.c: conf.d documents and named objects ------------------- */

struct config_objects *config_objects_new(struct config_loader *ld);
/* Pass 1: one document's top-level keys, each to its kind's file. */
void config_objects_file(struct config_objects *o, yaml_node_t *root);
/* Pass 2, once every file is read: see objects.c for the order. */
void config_objects_finish(struct config_objects *o);
void config_objects_free(struct config_objects *o);

/*
 * A kind of named object of a top-level map (hosts, groups, timeperiods,
 * contacts, contact groups): where the fields every such object has sit in
 * its struct, where the objects go in struct config_objects (array, count,
 * capacity, name index) and what reads one's settings.
 */
struct config_objects_kind {
	const char *what;	/* "host": messages say "host \"x\": " */
	const char *key;	/* its top-level key: "hosts" */
	const char *expected;	/* what that map holds, for messages */
	size_t size;
	size_t off_name, off_prefix, off_mark, off_skip;
	size_t off_arr, off_n, off_cap, off_index;
	/* Read the settings v of el, a new element (name, prefix, mark set). */
	void (*body)(struct config_objects *o, void *el, yaml_node_t *v);
};

/* type has name, prefix, mark and skip; struct config_objects has arr,
 * n<arr>, <arr>_cap and index. */
#define CONFIG_OBJECTS_KIND(what, key, expected, type, arr, index, body) { \
	what, key, expected, sizeof(type), offsetof(type, name), \
	offsetof(type, prefix), offsetof(type, mark), offsetof(type, skip), \
	offsetof(struct config_objects, arr), \
	offsetof(struct config_objects, n##arr), \
	offsetof(struct config_objects, arr##_cap), \
	offsetof(struct config_objects, index), body }

/*
 * One entry of a map of named objects: the name checked, a zeroed element
 * appended with its name, mark and "what \"name\": " prefix, and a second
 * definition reported naming the first. A second definition is marked
 * skip but still read: its own errors are worth knowing now. Returns the
 * new element, or NULL for a bad name.
 */
void *config_objects_named(struct config_objects *o, yaml_node_t *k,
    const struct config_objects_kind *kind);
/* A top-level map of objects of kind: each entry named, then read. */
void config_objects_walk(struct config_objects *o, yaml_node_t *map,
    const struct config_objects_kind *kind);

/* ---- keys.c: the check keys ------------------------------------------ */

/* The keys of a host, service or template that are not its props. */
struct config_extra {
	yaml_node_t *services;	/* a host's inline services */
	yaml_node_t *host;	/* a standalone service's host */
	yaml_node_t *name;	/* and its name */
};

/* Read map, the settings of an object in context where, into p (and x). */
void config_props_read(struct config_loader *ld, yaml_node_t *map,
    unsigned where, const char *prefix, struct config_props *p,
    struct config_extra *x);
/* Fill what dst does not set from src (a resolved template). */
void config_props_inherit(struct config_loader *ld, struct config_props *dst,
    const struct config_props *src);
/* A service's keys that Nagios takes from its host when it sets none. */
void config_props_implied(struct config_loader *ld, struct config_props *p,
    const struct config_props *host);
/* ck's fields that the key table says are p's, or their defaults. */
void config_props_to_check(const struct config_props *p, struct cfg_check *ck);
/* The table's default of a check key with a value in struct cfg_check. */
double config_props_default(const char *name);

/* ---- checks.c: templates, hosts, services ---------------------------- */

extern const struct config_objects_kind config_host_kind;
/* Pass 1: top-level `templates:` and `services:`. */
void config_templates_read(struct config_objects *o, yaml_node_t *map);
void config_services_read(struct config_objects *o, yaml_node_t *map);
/* Pass 2, in this order. */
void config_templates_resolve(struct config_objects *o);
void config_templates_refs(struct config_objects *o);
void config_hosts_build(struct config_objects *o);
void config_hosts_parents(struct config_objects *o);
void config_checks_build(struct config_objects *o);
/*
 * A service's props p (its own, a copy) resolved where they are written:
 * templates, the objects they name, the pairs of keys. -1 when it has no
 * command (reported at mark).
 */
int config_service_resolve(struct config_objects *o, struct config_props *p,
    const char *prefix, const struct cfg_mark *mark);
/*
 * The check of host hi (service NULL: its host check) from p, into
 * cfg->checks; host_defaults: $_HOSTvar$ values for vars the host does
 * not set (NULL: none); rule: the apply rule it comes from (NULL: none).
 */
void config_check_build(struct config_objects *o, size_t hi,
    const char *service, const struct config_props *p, const char *prefix,
    const struct cfg_mark *mark, const struct config_vars *host_defaults,
    const char *rule);

/* ---- rules.c: apply rules -------------------------------------------- */

extern const struct config_objects_kind config_rule_kind;
/* Pass 2, after the checks written by hand: each rule's services
 * resolved once, then applied to every host it matches. */
void config_rules_apply(struct config_objects *o);
/* Parsers of a host condition's keys (the rule's own, or a dependency's),
 * into the struct config_rmatch at the field's offset. */
config_parse_fn config_match_hosts_key, config_match_vars_key,
    config_match_not_key;
/* Pass 2: m's groups found (unknown ones reported) with their subtrees. */
void config_match_resolve(struct config_objects *o, struct config_rmatch *m,
    const char *prefix);
/* Every condition of w holds for h and none of n's does. */
int config_match(const struct config_objects *o, const struct config_rmatch *w,
    const struct config_rmatch *n, const struct cfg_host *h);

/* ---- deps.c: dependencies -------------------------------------------- */

extern const struct config_objects_kind config_dep_kind;
/* Pass 2, after the apply rules: every dependency edge into cfg->deps,
 * cycles refused. */
void config_deps_build(struct config_objects *o);

/* ---- argv.c: command macros ------------------------------------------ */

/*
 * The argv of a check of host hi (service NULL: its host check) running
 * cmd with p's $ARGn$ and vars, every macro expanded but $USERn$, which
 * stays that text, its places in *users (cfg_check's users; NULL: none);
 * in the config's store; NULL if a macro is wrong (reported at mark,
 * prefix first).
 */
char **config_argv_check(struct config_objects *o, size_t hi,
    const char *service, const struct config_props *p,
    const struct cfg_command *cmd, const char *prefix,
    const struct cfg_mark *mark, const struct config_vars *host_defaults,
    char **users);
/*
 * The same for p's event_handler (ref, its $ARGn$) running cmd: the
 * runtime macros of an event handler (macro.h MACRO_EV_*) stay their
 * text, their places in *macros (cfg_check's eh_macros; NULL: none).
 */
char **config_argv_event(struct config_objects *o, size_t hi,
    const char *service, const struct config_props *p,
    const struct config_cmdref *ref, const struct cfg_command *cmd,
    const char *prefix, const struct cfg_mark *mark,
    const struct config_vars *host_defaults, char **users, char **macros);
/*
 * Check every macro of cmd's argv for a notification command of contact
 * (its vars for $_CONTACTvar$); report at m, prefix first.
 */
void config_argv_notify(struct config_objects *o, const struct cfg_command *cmd,
    const char *contact, const struct config_vars *vars, const char *prefix,
    const struct cfg_mark *m);

/* ---- commands.c ------------------------------------------------------ */

/* Pass 1: top-level `commands:`, straight into cfg->commands. */
void config_commands_read(struct config_objects *o, yaml_node_t *map);
/* The command named p's command exists (not reported for an inherited one). */
const struct cfg_command *config_command_of(struct config_objects *o,
    const struct config_props *p, const char *prefix);
/* The same for any command reference (event_handler), named key in the
 * message; nothing reported when inherited (its template said it). */
const struct cfg_command *config_cmdref_of(struct config_objects *o,
    const struct config_cmdref *ref, const struct cfg_mark *mark, int inherited,
    const char *key, const char *prefix);

/* ---- groups.c -------------------------------------------------------- */

extern const struct config_objects_kind config_group_kind;
/* Why pattern can never match (host: a host name pattern), or NULL. */
const char *config_glob_problem(const char *pattern, int host);
/* config_list() of globs (host: host name patterns), each checked. 0/-1. */
int config_globs(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    const char *key, const char *expected, int host, struct config_strs *out);
/* Pass 2: groups into cfg, their parents checked. */
void config_groups_build(struct config_objects *o);
/* The groups p names exist (an inherited list: checked at its template). */
void config_groups_refs(struct config_objects *o, const struct config_props *p,
    const char *prefix);

/* ---- timeperiods.c --------------------------------------------------- */

extern const struct config_objects_kind config_period_kind;
/* Pass 2, first: timeperiods into cfg, their exclusions linked. */
void config_periods_build(struct config_objects *o);
/* The timeperiod named name (in cfg), NULL if there is none. */
const struct timeperiod *config_period_find(const struct config_objects *o,
    const char *name);
/* Report name, which the object's key says is a timeperiod, as unknown. */
void config_period_unknown(struct config_objects *o, const struct cfg_mark *m,
    const char *prefix, const char *key, const char *name);
/* p's own check_period exists (an inherited one is checked at its template). */
void config_period_ref(struct config_objects *o, const struct config_props *p,
    const char *prefix);

/* ---- contacts.c ------------------------------------------------------ */

extern const struct config_objects_kind config_contact_kind;
extern const struct config_objects_kind config_contact_group_kind;
/*
 * Pass 2, once timeperiods are in cfg: contacts and contact groups into
 * cfg, every reference of theirs checked, groups expanded.
 */
void config_contacts_build(struct config_objects *o);
/* The names of a notify: list (key) are contacts or contact groups. */
void config_contacts_check(struct config_objects *o, const struct config_strs *s,
    const char *prefix, const char *key);
/*
 * The contacts a notify: list stands for (NULL: none), groups expanded,
 * unique, sorted, in the config's store. Undefined names were reported
 * where they are written.
 */
char **config_contacts_expand(struct config_objects *o,
    const struct config_strs *s, size_t *nout);

/* ---- notify.c: the notification keys of checks ----------------------- */

/* Which states a notify_on takes. */
enum {
	CONFIG_NOTIFY_ANY,	/* templates, contacts */
	CONFIG_NOTIFY_HOST,
	CONFIG_NOTIFY_SERVICE,
};

/* load.c: the notify_on names in NOTIFY_ON_* bit order (1 << i). */
#define CONFIG_NNOTIFY_ON	8
extern const char *const config_notify_on_names[CONFIG_NNOTIFY_ON];

/* A notify_on value of an object of kind what (CONFIG_NOTIFY_*). 0 or -1. */
int config_notify_on(struct config_loader *ld, yaml_node_t *v, int what,
    const char *prefix, const char *key, struct config_notify_on *out);
/* Parsers of the key table (keys.c): notify_on and escalations. */
config_parse_fn config_notify_on_key, config_notify_escalations_key;
/*
 * Pass 2: the references p's own notification keys make (contacts,
 * groups, timeperiods), and for a host or a service (what) a notify_on
 * from a template that names the other kind's states, reported at mark.
 */
void config_notify_refs(struct config_objects *o, const struct config_props *p,
    const char *prefix, const struct cfg_mark *mark, int what);
/* Pass 2: ck's contacts, notification period and escalations from p. */
void config_notify_check(struct config_objects *o, struct cfg_check *ck,
    const struct config_props *p);

/* ---- cycles.c: the one cycle finder ---------------------------------- */

/*
 * A directed graph over n nodes (node u's edges: adj[u][0 .. deg[u]-1])
 * for config_graph_walk(), which finds every cycle, each once, and visits
 * every node after the nodes its edges lead to (but for the edge that
 * closes a cycle). Named objects' cycles are reported from kind,
 * relation, name() and mark() ("group \"a\": parents form a cycle: a
 * (f:3:3) -> b (f:5:3) -> a"); cycle(), if set, reports them instead.
 */
struct config_graph {
	size_t n;
	size_t **adj;
	size_t *deg;
	const char *kind;	/* "group" */
	const char *relation;	/* "parents form" */
	const char *(*name)(const struct config_objects *o, size_t u);
	const struct cfg_mark *(*mark)(const struct config_objects *o, size_t u);
	/*
	 * stack[from .. top-1] is a cycle, closed by edge e of stack[top-1]
	 * (adj[stack[top-1]][e] == stack[from]).
	 */
	void (*cycle)(struct config_objects *o, const struct config_graph *g,
	    const size_t *stack, size_t from, size_t top, size_t e);
	/* u's edges lead to nodes done, or close a cycle. */
	void (*done)(struct config_objects *o, const struct config_graph *g,
	    size_t u);
	unsigned char *on_cycle; /* the walk's: u is on a cycle found, which
				 * is marked before done(u) */
	size_t ncycles;		/* the walk's: cycles found */
	size_t more;		/* first node of the first one not shown */
};

/* A graph of n nodes without edges yet (arena); add them with
 * config_graph_edges(). */
struct config_graph *config_graph_new(struct config_loader *ld, size_t n);
/* Room for max edges of u, which has none yet. */
void config_graph_edges(struct config_loader *ld, struct config_graph *g,
    size_t u, size_t max);
void config_graph_walk(struct config_objects *o, struct config_graph *g);

#endif
