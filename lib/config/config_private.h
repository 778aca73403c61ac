/*
 * NAME
 *	config_private - what the configuration loader's files share
 * DESCRIPTION
 *	Not part of the config contract (config.h). The loader state of one
 *	config_load() call and what the loader's files (lib/config/) share;
 *	each file owns one concept:
 *	  load.c	config_load(): vigil.yaml, resources, the conf_dir
 *			walk, the YAML reader; config_free(), the finders
 *	  settings.c	vigil.yaml's table of settings, environment
 *			overrides, the resource file ($USERn$)
 *	  store.c	arena, the config's string store, the name index
 *	  values.c	errors and messages, YAML values, lists, names, vars
 *	  fields.c	the one reader of a map of keys through a key table
 *			(config_fields_read); copies for struct config
 *	  objects.c	conf.d documents: top-level keys, named objects, the
 *			order of pass 2
 *	  keys.c	the check keys (hosts, services, templates): one
 *			table drives parsing, `use:` inheritance and defaults
 *	  checks.c	templates, hosts, services: pass 1 and 2, host
 *			parents, the checks built
 *	  argv.c	macros of check and notification commands
 *	  commands.c	commands
 *	  groups.c	groups
 *	  timeperiods.c	timeperiods
 *	  contacts.c	contacts and contact groups
 *	  notify.c	the notification keys of checks (notify_on,
 *			escalations, the names they use)
 *	  cycles.c	the one cycle finder (group, timeperiod, contact
 *			group and template graphs, host parents)
 *	This header holds the loader's machinery (arena, errors, values, key
 *	tables, the name index, settings); config_objects.h the conf.d
 *	objects between pass 1 and pass 2 and each kind's file's entry points.
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

#define CONFIG_YAML_DEPTH 64	/* collections nested in a file, at most */
#define CONFIG_TEMPLATE_DEPTH 64	/* templates in one chain of use:, at most */


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

/*
 * The config's store (struct config_store): memory that lives as long as
 * the config, for the strings and string lists of hosts and checks. Each
 * distinct one is kept once and shared (100,000 checks have a handful of
 * distinct pools, commands, service names, group and contact lists, and
 * their argv mostly repeat the same options), packed into arena chunks
 * instead of one heap block each. Read-only: nothing that points into it
 * may be written or freed on its own. config_store_seal() drops the
 * index once loading is done; later additions are only shared among
 * themselves.
 */
struct config_store *config_store_new(void);
void config_store_seal(struct config_store *st);
void config_store_free(struct config_store *st);
/* The stored copy of s; NULL for NULL. */
char *config_store_str(struct config_store *st, const char *s);
/* The stored NULL-terminated copy of v[0..n-1], its strings stored too. */
char **config_store_strv(struct config_store *st, const char *const *v, size_t n);

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
/* 1: a map to walk, 0: null (nothing to do), -1: reported. key NULL: n is
 * an object's own settings ("<prefix>expected ..."). */
int config_map(struct config_loader *ld, yaml_node_t *n, const char *prefix,
    const char *key, const char *expected);
/* s as a decimal number without sign or leading zeros, 0..max; else -1. */
int config_number(const char *s, int max);
/* n for prefix followed by n (1..max): ("USER12", "USER", 256) -> 12; else 0. */
int config_macro_number(const char *name, const char *prefix, int max);
/* Pool names become AMQP routing keys: [A-Za-z0-9_.-]+ only. */
int config_pool_name_ok(const char *s);

/*
 * An object's name, from its map key, as an arena copy; kind says what
 * in messages ("host"). Names that go where host names go (URLs, routing
 * keys, macros: strict) have no '/', whitespace or '$'. NULL: reported.
 */
const char *config_name(struct config_loader *ld, yaml_node_t *k,
    const char *prefix, const char *kind, int strict);
/* An empty list of room for n (arena). */
void config_strs_alloc(struct config_loader *ld, struct config_strs *s,
    size_t n);
/*
 * A list of non-empty strings; one string is a list of one. expected says
 * what in messages. 0 or -1.
 */
int config_list(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    const char *key, const char *expected, struct config_strs *out);
/*
 * Names of objects of a kind ("group"): one, a list, or nothing (an empty
 * list); a name listed twice is an error. Whether each exists is pass 2's
 * question. 0 or -1.
 */
int config_names(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    const char *key, const char *kind, struct config_strs *out);
/* vars: {name: value}; names unique ignoring case. 0 or -1. */
int config_vars(struct config_loader *ld, yaml_node_t *v, const char *prefix,
    struct config_vars *out);

/*
 * ---- key tables ------------------------------------------------------
 *
 * Every object kind declares its keys once, in one table of struct
 * config_field: the name, the contexts it is allowed in, its type, where
 * its value (and the place it was written) goes in the kind's struct. One
 * reader, config_fields_read(), turns a map into that struct through the
 * table, with the same messages for every kind. The check keys (keys.c)
 * add what `use:` inheritance and the defaults need.
 */

/* Contexts (struct config_field .where). Kinds with one context use 1. */
enum {
	CONFIG_W_HOST = 1,
	CONFIG_W_ISVC = 2,	/* a service under a host's services: */
	CONFIG_W_SVC = 4,	/* a standalone service */
	CONFIG_W_TMPL = 8,
	CONFIG_W_ALL = 15,
};

enum config_type {
	CONFIG_T_NONE,		/* the caller reads the node (struct config_read) */
	CONFIG_T_DURATION,	/* int, seconds > 0 */
	CONFIG_T_DURATION0,	/* int, seconds >= 0 */
	CONFIG_T_INT,		/* int, a whole number >= .arg */
	CONFIG_T_BOOL,		/* int, 0 or 1 */
	CONFIG_T_PERCENT,	/* double, 0..100 */
	CONFIG_T_STRING,	/* const char *, not empty; NULL if wrong */
	CONFIG_T_LIST,		/* struct config_strs, .what expected; null: none */
	CONFIG_T_NAMES,		/* struct config_strs of .what names, unique */
	CONFIG_T_VARS,		/* struct config_vars */
	CONFIG_T_OWN,		/* .parse reads it */
};

struct config_field;
/* Read v, the value of key f, into obj. 0 or -1 (reported). */
typedef int config_parse_fn(struct config_loader *ld, yaml_node_t *v,
    const struct config_field *f, unsigned where, const char *prefix,
    void *obj);

struct config_field {
	const char *name;
	unsigned where;		/* contexts it is allowed in */
	enum config_type type;
	size_t off;		/* its value in the kind's struct */
	size_t mark;		/* where it was written (struct cfg_mark) in
				 * that struct; 0: not kept. The reader sets
				 * it, but for CONFIG_T_OWN (the parser does) */
	int arg;		/* CONFIG_T_INT: the least value; CONFIG_T_OWN:
				 * the parser's own */
	const char *what;	/* CONFIG_T_LIST, CONFIG_T_NAMES: see above */
	config_parse_fn *parse;	/* CONFIG_T_OWN */
	/* ---- check keys only (hosts, services, templates; keys.c) */
	uint64_t bit;		/* CONFIG_P_*: set, inherited through use:;
				 * 0: never inherited. Two names with one bit
				 * are one key (command, check) */
	unsigned flags;		/* CONFIG_F_* */
	size_t size;		/* bytes of the value at off: inherited whole */
	int to_check;		/* struct cfg_check has it at .ck, with .def
				 * where nothing sets it; else code fills it */
	size_t ck;
	double def;
};

enum {
	CONFIG_F_MERGE = 1,	/* inherited entry by entry (vars) */
	CONFIG_F_IMPLIED = 2,	/* a service not setting it takes its host's */
};

/* What config_fields_read() saw, by index in the table (at most 64). */
struct config_read {
	uint64_t seen;		/* keys given, in their place */
	uint64_t ok;		/* and read without error */
	yaml_node_t *node[64];	/* their values */
};

/*
 * Resolve knode to an index of keys[], or report (non-string key, key
 * given twice, unknown key with a suggestion, not for this context:
 * whatname says which) and return -1. prefix starts every message ("host
 * \"web-01\": " or ""). seen: the keys met so far in this map, by index
 * (zero it first), with first[] where each was.
 */
struct config_keyseen {
	uint64_t bits;
	struct cfg_mark first[64];
};
int config_key(struct config_loader *ld, const struct config_field *keys,
    size_t nkeys, unsigned where, const char *whatname, yaml_node_t *knode,
    struct config_keyseen *seen, const char *prefix);
/*
 * Read map (a YAML map: the caller checked) into obj through f[0..n-1],
 * in context where (whatname names it). rd (may be NULL) gets what was
 * seen. -1 if anything was reported, else 0.
 */
int config_fields_read(struct config_loader *ld, yaml_node_t *map,
    const struct config_field *f, size_t n, unsigned where,
    const char *whatname, const char *prefix, void *obj,
    struct config_read *rd);

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
/* The same for text read already (buf is taken: freed). */
int config_yaml_load_buf(struct config_loader *ld, const char *file,
    yaml_document_t *doc, char *buf, size_t len);
/* A file's bytes (NUL not added), *lenp of them; a secret one must be
 * readable by its owner only. NULL: reported. */
char *config_file_read(struct config_loader *ld, const char *file, int secret, size_t *lenp);

/* ---- settings.c: vigil.yaml and the resource file -------------------- */

/* dir/rel, or rel if it is absolute (heap). */
char *config_join(const char *dir, const char *rel);
/* Every setting's default, then vigil.yaml's settings, then the
 * environment's. */
void config_defaults(struct config_loader *ld);
void config_read_settings(struct config_loader *ld, yaml_document_t *doc);
void config_env_overrides(struct config_loader *ld);
/* The resource file into ld->user, then kept in cfg->user_macros. */
void config_read_resources(struct config_loader *ld);
void config_keep_users(struct config_loader *ld);

/* ---- fields.c: copies for struct config ------------------------------ */

/* Heap copy of vars (n + 1 entries, the last zeroed). */
struct cfg_var *config_vars_copy(const struct config_vars *vars);
/* NULL-terminated heap copy of v[0 .. n-1]. */
char **config_strv_copy(const char *const *v, size_t n);

#endif
