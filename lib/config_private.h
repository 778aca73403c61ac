/*
 * NAME
 *	config_private - what the configuration loader's files share
 * DESCRIPTION
 *	Not part of the config contract (config.h). The loader state of one
 *	config_load() call and what the loader's files share:
 *	  config.c		vigil.yaml, the resource file, the conf_dir walk
 *	  config_util.c		arena, errors, name index, YAML values
 *	  config_objects.c	pass 1: conf.d documents into typed props
 *	  config_resolve.c	pass 2: timeperiods, templates, groups,
 *				parents, checks and argv
 * DIAGNOSTICS
 *	Every helper that reads a value reports what is wrong through
 *	config_error() and returns -1 or NULL; the caller just skips the value.
 */
#ifndef VIGIL_CONFIG_PRIVATE_H
#define VIGIL_CONFIG_PRIVATE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "config.h"

#define CONFIG_NUSER	256	/* $USER1$ .. $USER256$, as Nagios */

/* Memory that lives exactly as long as one config_load() call. */
struct config_chunk;
struct config_arena {
	struct config_chunk *chunks;
};

struct config_objects;		/* config_objects.c */

struct config_loader {
	struct config *cfg;
	struct config_arena arena;
	size_t errors_cap;
	size_t files_cap;
	const char *base_dir;	/* vigil.yaml's directory */
	yaml_document_t *doc;	/* document being read, for node lookups */
	const char *file;	/* its path, interned */
	/* $USERn$ values from the resource file; [0] unused */
	const char *user[CONFIG_NUSER + 1];
	/* no usable resource file: already reported, $USERn$ must not add noise */
	int resource_failed;
	struct config_objects *objs;
};

void *config_arena_alloc(struct config_arena *a, size_t n);
void config_arena_free(struct config_arena *a);
char *config_arena_strdup(struct config_arena *a, const char *s);
char *config_arena_printf(struct config_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Add "file:line:column: message" (or "file: message") to cfg->errors. */
void config_error(struct config_loader *ld, const struct cfg_mark *m,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *config_intern_file(struct config_loader *ld, const char *path);

/* s in double quotes, control characters escaped, long text cut. */
const char *config_quote(struct config_loader *ld, const char *s);
/* The entry of names[] within edit distance 2 of s, or NULL. */
const char *config_suggest(const char *s, const char *const *names, size_t n);

/* YAML nodes of ld->doc */
yaml_node_t *config_node(struct config_loader *ld, int index);
struct cfg_mark config_mark(struct config_loader *ld, const yaml_node_t *n);
int config_is_null(const yaml_node_t *n);
const char *config_what(const yaml_node_t *n);	/* "a map", "a list" ... */

/*
 * Keys of a map with a fixed set of names. where is a bit set of the
 * contexts a key applies to (a host, a template...).
 */
#define CONFIG_KEY_UNSUPPORTED	(-1)	/* documented, not implemented yet */
struct config_key {
	const char *name;
	int id;
	unsigned where;
};
struct config_keyseen {
	uint64_t bits;
	struct cfg_mark first[64];
};
/*
 * Resolve knode to an index of keys[], or report (non-string key, key
 * given twice, unknown key with a suggestion, not supported yet, not for
 * this context: whatname says which) and return -1. prefix starts every
 * message ("host \"web-01\": " or "").
 */
int config_key(struct config_loader *ld, const struct config_key *keys,
    size_t nkeys, unsigned where, const char *whatname, yaml_node_t *knode,
    struct config_keyseen *seen, const char *prefix);

/*
 * Values. prefix as above, key names the key in messages. All report and
 * return -1 (or NULL) on a wrong value; strings are arena copies.
 */
const char *config_text(struct config_loader *ld, yaml_node_t *n,
    const char *prefix, const char *key);
const char *config_string(struct config_loader *ld, yaml_node_t *n,
    const char *prefix, const char *key, int nonempty);
int config_duration(struct config_loader *ld, yaml_node_t *n,
    const char *prefix, const char *key, int *out);
/* As config_duration, but 0 is a value too (a default to compute). */
int config_duration_or_zero(struct config_loader *ld, yaml_node_t *n,
    const char *prefix, const char *key, int *out);
/* A percentage 0..100: "20", "12.5" or "20%". */
int config_percent(struct config_loader *ld, yaml_node_t *n,
    const char *prefix, const char *key, double *out);
int config_int(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, int min, int *out);
int config_bool(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, int *out);
/* 1: a map to walk, 0: null (nothing to do), -1: reported. */
int config_map(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, const char *expected);
/* s as a decimal number without sign or leading zeros, 0..max; else -1. */
int config_number(const char *s, int max);
/* n for prefix followed by n (1..max): ("USER12", "USER", 256) -> 12; else 0. */
int config_macro_number(const char *name, const char *prefix, int max);
/* Pool names become AMQP routing keys: [A-Za-z0-9_.-]+ only. */
int config_pool_name_ok(const char *s);

/* Name -> index; keys are not copied and must outlive the index. */
struct config_index_ent {
	const char *key;	/* NULL: free slot */
	size_t val;
};

/* Open addressing, linear probing. */
struct config_index {
	struct config_index_ent *v;
	size_t cap;
	size_t n;
};

size_t *config_index_find(const struct config_index *x, const char *key);
/* key must not be in x yet. */
void config_index_put(struct config_index *x, const char *key, size_t val);

/* Read and parse one YAML file into doc (delete it after). 0 or -1. */
int config_yaml_load(struct config_loader *ld, const char *file,
    yaml_document_t *doc, int secret);

/* ---- conf.d objects: read by config_objects.c, resolved by config_resolve.c */

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
};

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

/* A list of strings with where each was written. Arena memory. */
struct config_strs {
	const char **v;
	struct cfg_mark *m;
	size_t n;
};

struct config_vars {
	const char **name;
	const char **value;
	struct cfg_mark *m;
	size_t n;
};

/* The keys of a host, service or template, parsed and checked. */
struct config_props {
	unsigned set;
	unsigned inherited;	/* set from a template (reported there) */
	const char *command;
	struct cfg_mark command_mark;
	struct config_strs args;	/* $ARG1$ ... as written */
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
	int flap_detection;
	struct config_percent low_flap;
	struct config_percent high_flap;
	/* low < high was checked for this pair (here or at a template) */
	int flap_checked;
	int debounce;
	int is_volatile;
	const char *check_period;
	struct cfg_mark check_period_mark;
};

enum { CONFIG_TMPL_NEW, CONFIG_TMPL_RESOLVING, CONFIG_TMPL_DONE };

struct config_tmpl {
	const char *name;
	const char *prefix;	/* "template \"x\": " */
	struct cfg_mark mark;
	struct config_props own;
	struct config_props res;	/* with its templates applied */
	int state;
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
	int skip;		/* defined twice: reported */
	size_t ti;		/* index in cfg->timeperiods */
};

/* Definition order, for cfg->checks "in file order". */
struct config_item {
	int is_host;
	size_t idx;
};

/* cmd_map value of a command with errors: reported, checks using it skip */
#define CONFIG_BROKEN ((size_t)-1)

struct config_cycle_kind;	/* config_resolve.c */

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
	struct config_item *items;
	size_t nitems, items_cap;
	size_t cmds_cap, chosts_cap, checks_cap, cgroups_cap, cperiods_cap;
	struct config_index cmd_map;	/* name -> cfg->commands index */
	struct config_index tmpl_map;	/* name -> tmpls index */
	struct config_index host_map;	/* name -> hosts index */
	struct config_index svc_map;	/* "host/desc" -> svcs index */
	struct config_index group_map;	/* name -> groups index */
	struct config_index period_map;	/* name -> periods index */
	const char **period_names;	/* defined ones, for "did you mean" */
	size_t nperiod_names;
	size_t *stack;		/* templates being resolved, for cycles */
	size_t nstack, stack_cap;
	const struct config_cycle_kind *cycle_kind;	/* graph being walked */
	unsigned char *on_cycle;	/* its nodes on a reported cycle */
	size_t ncycles;		/* its cycles found */
	size_t cycle_more;	/* first node of the first one not shown */
};

struct config_objects *config_objects_new(struct config_loader *ld);
/*
 * Pass 1: one document's commands, templates, hosts, services, groups,
 * timeperiods.
 */
void config_objects_file(struct config_objects *o, yaml_node_t *root);
/*
 * Pass 2: timeperiods, templates, groups, hosts, parents, services, checks
 * with argv.
 */
void config_objects_finish(struct config_objects *o);
void config_objects_free(struct config_objects *o);

#endif
