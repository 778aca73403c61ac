/*
 * NAME
 *	import.h - what vigilctl import-nagios's files share (import.c)
 */
#ifndef VIGIL_CTL_IMPORT_H
#define VIGIL_CTL_IMPORT_H

#include <stddef.h>

#include "strbuf.h"

enum ntype {
	NT_COMMAND, NT_HOST, NT_HOSTGROUP, NT_SERVICE, NT_SERVICEGROUP, NT_CONTACT,
	NT_CONTACTGROUP, NT_TIMEPERIOD, NT_SERVICEDEP, NT_HOSTDEP, NT_SERVICEESC,
	NT_HOSTESC, NT_N
};

/* "command", "host" … as after define */
extern const char *const ntype_names[NT_N];

struct nobj {
	enum ntype type;
	const char *file;
	int line;
	char **k, **v;		/* as written (timeperiods: a day's key is
				 * the text before its ranges) */
	size_t n;
	int registered;		/* register 0: a template only */
	int resolving, resolved;
	int skip;		/* left out (said) */
	/* caches: its hosts by host_name and hostgroup_name (sorted), and a
	 * hostgroup's hosts with its nested groups' */
	char **hosts;
	size_t nhosts;
	int hosts_done;
	char **ghosts;
	size_t nghosts;
	int ghosts_done;
};

struct imp {
	struct nobj **o;
	size_t n;
	int interval_length;
	char *resource_file;
	size_t untranslated;
	/* command variants made, "name__k1_k2" */
	char **variants;
	size_t nvariants;
	struct strbuf variant_yaml;
	char **used;		/* commands the checks use as written */
	size_t nused;
	char **files;		/* the object files' paths (nobj.file) */
	size_t nfiles;
	char **hostnames;	/* the hosts' names, sorted (imp_is_host) */
	size_t nhostnames;
};

/* A list of names (owned strings). */
struct names {
	char **v;
	size_t n;
};

/* import_read.c */
/* Say, on stderr, what was not translated, at file:line; counted. */
void imp_say(struct imp *im, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
char *trim(char *s);
/* o's value of k; NULL when absent or "null" */
const char *obj_get(const struct nobj *o, const char *k);
/* nagios.cfg and the object files it names into im. -1: said. */
int imp_read_main(struct imp *im, const char *path);
/* Nagios's inheritance into o. */
void imp_resolve(struct imp *im, struct nobj *o);

/* import_names.c */
int names_has(const struct names *ns, const char *s);
void names_add(struct names *ns, const char *s);	/* once */
void names_push(struct names *ns, const char *s);	/* again too */
void names_free(struct names *ns);
void names_sort(struct names *ns);	/* and without duplicates */
int names_in(char *const *v, size_t n, const char *s);	/* v sorted */
void names_split(struct names *ns, const char *s);	/* "a, b,c" */
/* The registered object of type t whose key is name, or NULL. */
struct nobj *imp_find(struct imp *im, enum ntype t, const char *key, const char *name);
/* Hostgroup g's hosts into out (nested: with its hostgroup_members'). */
void imp_group_hosts(struct imp *im, const char *g, struct names *out, int depth,
    int nested);
/* The hosts o names by keys hk and gk, sorted, into out. */
void imp_hosts_of(struct imp *im, struct nobj *o, const char *hk, const char *gk,
    struct names *out);
int imp_is_host(const struct imp *im, const char *host);
/* Every name as vigil takes it (no whitespace, '/' or '$'). */
void imp_fix_names(struct imp *im);
char *glob_quote(const char *s);
/* YAML out: a list of strings, of globs, one section entry, a map of
 * ", key: value" items. */
void yaml_strv(struct strbuf *b, char *const *v, size_t n);
void yaml_globs(struct strbuf *b, const struct names *ns);
void yaml_entry(struct strbuf *b, int *any, const char *section, const char *name,
    const char *k1, const struct names *v1, int glob1, const char *k2,
    const struct names *v2, const char *ka, const char *va);
void yaml_map(struct strbuf *b, const struct strbuf *items);

/* import_cmd.c */
/* A command line as Nagios 4 splits it without a shell. -1: a shell's
 * (why says what). */
int split_words(const char *s, struct names *out, const char **why);
/* Nagios's option letters as vigil's names; as a ", key: [...]" item. */
void letters_add(struct names *on, const char *v, int host);
void key_letters(struct strbuf *b, const char *key, const char *v, int host,
    const char *empty);
/* The check keys of host or service o as ", key: value" items. -1: left
 * out (said). */
int imp_check_keys(struct imp *im, struct strbuf *b, const struct nobj *o, int host);

/* import_objects.c */
void imp_timeperiods(struct imp *im, struct strbuf *b);
void imp_contacts(struct imp *im, struct strbuf *b);
void imp_groups(struct imp *im, struct strbuf *b);

#endif
