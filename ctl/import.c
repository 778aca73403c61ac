/*
 * NAME
 *	import - vigilctl import-nagios: a Nagios or Naemon object
 *	configuration as conf.d YAML
 * SYNOPSIS
 *	vigilctl import-nagios [-o FILE] nagios.cfg
 * DESCRIPTION
 *	Reads nagios.cfg for cfg_file, cfg_dir (every *.cfg below it),
 *	interval_length and resource_file, then every object file: define
 *	blocks of commands, hosts, hostgroups, services, servicegroups,
 *	contacts, contactgroups, timeperiods, servicedependencies,
 *	hostdependencies, serviceescalations and hostescalations. Templates
 *	are resolved as Nagios does (use: lists, the first template listed
 *	wins, depth first; "+value" adds to what is inherited; "null"
 *	stops it; register 0 is a template only), so what is written is
 *	each object as Nagios sees it, with vigil's defaults left out.
 *
 *	Commands become argv lists, split as Nagios 4 splits a command it
 *	runs without a shell (whitespace, single and double quotes,
 *	backslashes). A command line with what only a shell does (a pipe,
 *	a redirection, ;, &, $( ), backquotes, globs) is not translated,
 *	said with its place, and every check using it is left out with it:
 *	giving it to /bin/sh with the values of $ARGn$ in it is what vigil
 *	never does. Where Nagios splits one $ARGn$ into several arguments
 *	(check_nrpe!-H x -c y) the command gets a variant with one $ARGn$
 *	per word ("check_nrpe__3"), and the check passes the words.
 *
 *	Hosts keep their name, address, alias, parents and groups; services
 *	become apply rules whose hosts are exactly the hosts Nagios gives
 *	the service (host_name and hostgroup_name lists, "*", "!"
 *	exclusions; a service of a host named for itself wins over one from
 *	a hostgroup, else the first definition), one rule per service and
 *	set of hosts that get the same definition. Escalations are the
 *	checks' escalations:, dependencies vigil's dependencies:, contacts
 *	with an email address contacts with that email (vigil sends it
 *	itself: Nagios's notification commands are not needed), timeperiods
 *	with their weekdays, exceptions and excludes.
 *
 *	The output is one YAML file for conf.d (default nagios.yaml in the
 *	current directory; - is standard output), its scalars double-quoted.
 *	Every construct not translated is said on standard error with its
 *	file:line, and counted at the end.
 * DIAGNOSTICS
 *	Exit 0 when the file was written (with or without constructs left
 *	out), 1 when nagios.cfg or an object file cannot be read or the
 *	output cannot be written, 2 on a usage error.
 */
#include "ctl.h"
#include "jsonw.h"
#include "macro.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <sys/stat.h>

enum ntype {
	NT_COMMAND, NT_HOST, NT_HOSTGROUP, NT_SERVICE, NT_SERVICEGROUP, NT_CONTACT,
	NT_CONTACTGROUP, NT_TIMEPERIOD, NT_SERVICEDEP, NT_HOSTDEP, NT_SERVICEESC,
	NT_HOSTESC, NT_N
};

static const char *const ntype_names[NT_N] = {
	"command", "host", "hostgroup", "service", "servicegroup", "contact",
	"contactgroup", "timeperiod", "servicedependency", "hostdependency",
	"serviceescalation", "hostescalation",
};

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
	/* per command name: left out (a shell's) */
	struct strbuf out;
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

static void
imp_say(struct imp *im, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
imp_say(struct imp *im, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	im->untranslated++;
}

/* ---- reading ---------------------------------------------------------- */

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Cut a line at its first ';' not escaped ("\;" is a ';'). */
static void
uncomment(char *s)
{
	char *r = s, *w = s;

	for (; *r != '\0'; r++) {
		if (*r == '\\' && r[1] == ';') {
			*w++ = ';';
			r++;
			continue;
		}
		if (*r == ';')
			break;
		*w++ = *r;
	}
	*w = '\0';
}

static void
obj_set(struct nobj *o, const char *k, const char *v)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->k[i], k) == 0) {
			free(o->v[i]);
			o->v[i] = xstrdup(v);
			return;
		}
	o->k = xrealloc(o->k, (o->n + 1) * sizeof(*o->k));
	o->v = xrealloc(o->v, (o->n + 1) * sizeof(*o->v));
	o->k[o->n] = xstrdup(k);
	o->v[o->n++] = xstrdup(v);
}

static const char *
obj_get(const struct nobj *o, const char *k)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->k[i], k) == 0)
			return strcmp(o->v[i], "null") == 0 ? NULL : o->v[i];
	return NULL;
}

/* A timeperiod's line: "monday 09:00-17:00,18:00-20:00" or
 * "december 25 - january 2 00:00-24:00": the key is what comes before
 * the last word. */
static void
tp_line(struct nobj *o, char *s)
{
	char *sp = strrchr(s, ' '), *tab = strrchr(s, '\t');

	if (tab != NULL && (sp == NULL || tab > sp))
		sp = tab;
	if (sp == NULL) {
		obj_set(o, s, "");
		return;
	}
	*sp = '\0';
	obj_set(o, trim(s), trim(sp + 1));
}

static int imp_read_file(struct imp *im, const char *path);

static int
imp_read_dir(struct imp *im, const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort), rc = 0;

	if (n < 0) {
		fprintf(stderr, "vigilctl: import-nagios: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, ents[i]->d_name);
		struct stat st;
		size_t l = strlen(ents[i]->d_name);

		if (ents[i]->d_name[0] != '.' && stat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc |= imp_read_dir(im, p);
			else if (l > 4 && strcmp(ents[i]->d_name + l - 4, ".cfg") == 0)
				rc |= imp_read_file(im, p);
		}
		free(p);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int
imp_read_file(struct imp *im, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *file;
	size_t cap = 0;
	int lineno = 0;
	struct nobj *cur = NULL;

	if (f == NULL) {
		fprintf(stderr, "vigilctl: import-nagios: %s: %s\n", path, strerror(errno));
		return -1;
	}
	file = xstrdup(path);
	im->files = xrealloc(im->files, (im->nfiles + 1) * sizeof(*im->files));
	im->files[im->nfiles++] = file;
	while (getline(&line, &cap, f) >= 0) {
		char *s, *sp;

		lineno++;
		s = trim(line);
		if (*s == '#' || *s == '\0')
			continue;
		uncomment(s);
		s = trim(s);
		if (*s == '\0')
			continue;
		if (cur == NULL) {
			char type[64];
			int t;

			if (strncmp(s, "define", 6) != 0 ||
			    sscanf(s + 6, " %63[a-z]", type) != 1) {
				imp_say(im, file, lineno, "not an object definition: ignored");
				continue;
			}
			for (t = 0; t < NT_N; t++)
				if (strcmp(type, ntype_names[t]) == 0)
					break;
			cur = xcalloc(1, sizeof(*cur));
			cur->type = t < NT_N ? (enum ntype)t : NT_N;
			cur->file = file;
			cur->line = lineno;
			cur->registered = 1;
			if (t == NT_N)
				imp_say(im, file, lineno, "define %s: vigil has no such object: "
				    "left out", type);
			continue;
		}
		if (*s == '}') {
			if (cur->type == NT_N) {
				free(cur);
			} else {
				im->o = xrealloc(im->o, (im->n + 1) * sizeof(*im->o));
				im->o[im->n++] = cur;
			}
			cur = NULL;
			continue;
		}
		if (cur->type == NT_N)
			continue;
		if (cur->type == NT_TIMEPERIOD && strncmp(s, "timeperiod_name", 15) != 0 &&
		    strncmp(s, "alias", 5) != 0 && strncmp(s, "exclude", 7) != 0 &&
		    strncmp(s, "name", 4) != 0 && strncmp(s, "use", 3) != 0 &&
		    strncmp(s, "register", 8) != 0) {
			tp_line(cur, s);
			continue;
		}
		sp = s;
		while (*sp != '\0' && !isspace((unsigned char)*sp))
			sp++;
		if (*sp != '\0')
			*sp++ = '\0';
		obj_set(cur, s, trim(sp));
	}
	if (cur != NULL) {
		imp_say(im, file, cur->line, "define without its closing }: left out");
		free(cur);
	}
	free(line);
	fclose(f);
	return 0;
}

static int
imp_read_main(struct imp *im, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *dir, *slash;
	size_t cap = 0;
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "vigilctl: import-nagios: %s: %s\n", path, strerror(errno));
		return -1;
	}
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	while (getline(&line, &cap, f) >= 0) {
		char *s = trim(line), *eq, *v, *p;

		if (*s == '#' || *s == ';' || (eq = strchr(s, '=')) == NULL)
			continue;
		*eq = '\0';
		v = trim(eq + 1);
		s = trim(s);
		/* relative paths are the main file's directory's */
		p = *v == '/' ? xstrdup(v) : xasprintf("%s/%s", dir, v);
		if (strcmp(s, "cfg_file") == 0)
			rc |= imp_read_file(im, p);
		else if (strcmp(s, "cfg_dir") == 0)
			rc |= imp_read_dir(im, p);
		else if (strcmp(s, "resource_file") == 0) {
			free(im->resource_file);
			im->resource_file = xstrdup(p);
		} else if (strcmp(s, "interval_length") == 0)
			im->interval_length = atoi(v) > 0 ? atoi(v) : 60;
		free(p);
	}
	free(line);
	free(dir);
	fclose(f);
	return rc;
}

/* ---- templates ---------------------------------------------------------- */

static struct nobj *
imp_template(struct imp *im, enum ntype t, const char *name)
{
	for (size_t i = 0; i < im->n; i++) {
		const char *nm = obj_get(im->o[i], "name");

		if (im->o[i]->type == t && nm != NULL && strcmp(nm, name) == 0)
			return im->o[i];
	}
	return NULL;
}

/* Nagios's inheritance into o, depth first, the first template winning. */
static void
imp_resolve(struct imp *im, struct nobj *o)
{
	const char *use;
	char *list, *tok, *save;
	size_t nown;

	if (o->resolved || o->resolving)
		return;
	o->resolving = 1;
	if (obj_get(o, "register") != NULL && strcmp(obj_get(o, "register"), "0") == 0)
		o->registered = 0;
	use = obj_get(o, "use");
	nown = o->n;
	if (use != NULL) {
		list = xstrdup(use);
		for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
			struct nobj *t = imp_template(im, o->type, trim(tok));

			if (t == NULL) {
				imp_say(im, o->file, o->line, "use: template \"%s\" is not defined: "
				    "not inherited", trim(tok));
				continue;
			}
			if (t->resolving) {
				imp_say(im, o->file, o->line, "use: \"%s\" forms a cycle: not "
				    "inherited", trim(tok));
				continue;
			}
			imp_resolve(im, t);
			for (size_t i = 0; i < t->n; i++) {
				const char *k = t->k[i];
				size_t j;

				if (strcmp(k, "name") == 0 || strcmp(k, "register") == 0 ||
				    strcmp(k, "use") == 0)
					continue;
				for (j = 0; j < o->n; j++)
					if (strcmp(o->k[j], k) == 0)
						break;
				if (j == o->n) {
					obj_set(o, k, t->v[i]);
					continue;
				}
				/* "+x": added to what is inherited (own keys only,
				 * once) */
				if (j < nown && o->v[j][0] == '+') {
					char *add = xasprintf("%s,%s", t->v[i], o->v[j] + 1);

					free(o->v[j]);
					o->v[j] = add;
				}
			}
		}
		free(list);
	}
	for (size_t j = 0; j < o->n; j++)
		if (o->v[j][0] == '+') {
			char *v = xstrdup(o->v[j] + 1);

			free(o->v[j]);
			o->v[j] = v;
		}
	o->resolving = 0;
	o->resolved = 1;
}

/* ---- lists and names ------------------------------------------------------- */

struct names {
	char **v;
	size_t n;
};

static int
names_has(const struct names *ns, const char *s)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return 1;
	return 0;
}

static void
names_add(struct names *ns, const char *s)
{
	if (names_has(ns, s))
		return;
	ns->v = xrealloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	ns->v[ns->n++] = xstrdup(s);
}

static void
names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	ns->v = NULL;
	ns->n = 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ns sorted, its duplicates gone (for names_in) */
static void
names_sort(struct names *ns)
{
	size_t w = 0;

	if (ns->n == 0)
		return;		/* qsort() wants a base even for nothing */
	qsort(ns->v, ns->n, sizeof(*ns->v), cmp_str);
	for (size_t i = 0; i < ns->n; i++) {
		if (w > 0 && strcmp(ns->v[w - 1], ns->v[i]) == 0) {
			free(ns->v[i]);
			continue;
		}
		ns->v[w++] = ns->v[i];
	}
	ns->n = w;
}

/* s in a sorted array */
static int
names_in(char *const *v, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

/* "a, b,c" as names */
static void
names_split(struct names *ns, const char *s)
{
	char *list, *tok, *save;

	if (s == NULL)
		return;
	list = xstrdup(s);
	for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		if (*trim(tok) != '\0')
			names_add(ns, trim(tok));
	free(list);
}

static struct nobj *
imp_find(struct imp *im, enum ntype t, const char *key, const char *name)
{
	for (size_t i = 0; i < im->n; i++) {
		const char *nm;

		if (im->o[i]->type == t && im->o[i]->registered && !im->o[i]->skip &&
		    (nm = obj_get(im->o[i], key)) != NULL && strcmp(nm, name) == 0)
			return im->o[i];
	}
	return NULL;
}

static void
names_push(struct names *ns, const char *s)
{
	ns->v = xrealloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	ns->v[ns->n++] = xstrdup(s);
}

/* Sorted in minus sorted ex, into out (pushed). */
static void
names_minus(struct names *out, const struct names *in, const struct names *ex)
{
	for (size_t i = 0; i < in->n; i++)
		if (!names_in(ex->v, ex->n, in->v[i]))
			names_push(out, in->v[i]);
}

static void
all_hosts(struct imp *im, struct names *out)
{
	for (size_t k = 0; k < im->nhostnames; k++)
		names_push(out, im->hostnames[k]);
}

/* in less ex (both emptied), sorted, pushed into out; kept in *cache
 * when cache is not NULL. */
static void
hosts_finish(struct names *in, struct names *ex, struct names *out, char ***cache,
    size_t *ncache, int *done)
{
	struct names res = { 0 };

	names_sort(in);
	names_sort(ex);
	names_minus(&res, in, ex);
	for (size_t i = 0; i < res.n; i++)
		names_push(out, res.v[i]);
	if (cache != NULL) {
		*cache = res.v;
		*ncache = res.n;
		*done = 1;
	} else
		names_free(&res);
	names_free(in);
	names_free(ex);
}

/* The hosts of hostgroup g (pushed into out, maybe twice): its members
 * ("*": every host; "!h": not h), the hosts that name it in their
 * hostgroups, and, nested, its hostgroup_members' (cached). */
static void
imp_group_hosts(struct imp *im, const char *g, struct names *out, int depth, int nested)
{
	struct nobj *o = imp_find(im, NT_HOSTGROUP, "hostgroup_name", g);
	struct names mem = { 0 }, in = { 0 }, ex = { 0 };

	if (o == NULL || depth > 32)
		return;
	if (nested && o->ghosts_done) {
		for (size_t i = 0; i < o->nghosts; i++)
			names_push(out, o->ghosts[i]);
		return;
	}
	names_split(&mem, obj_get(o, "members"));
	for (size_t i = 0; i < mem.n; i++) {
		if (strcmp(mem.v[i], "*") == 0)
			all_hosts(im, &in);
		else if (mem.v[i][0] == '!')
			names_push(&ex, mem.v[i] + 1);
		else
			names_push(&in, mem.v[i]);
	}
	names_free(&mem);
	for (size_t k = 0; k < im->n; k++) {
		struct names hg = { 0 };

		if (im->o[k]->type != NT_HOST || !im->o[k]->registered ||
		    obj_get(im->o[k], "host_name") == NULL)
			continue;
		names_split(&hg, obj_get(im->o[k], "hostgroups"));
		if (names_has(&hg, g))
			names_push(&in, obj_get(im->o[k], "host_name"));
		names_free(&hg);
	}
	if (nested) {
		names_split(&mem, obj_get(o, "hostgroup_members"));
		for (size_t i = 0; i < mem.n; i++)
			imp_group_hosts(im, mem.v[i], &in, depth + 1, 1);
		names_free(&mem);
	}
	hosts_finish(&in, &ex, out, nested ? &o->ghosts : NULL, &o->nghosts, &o->ghosts_done);
}

/* host_name and hostgroup_name of o (keys hk, gk): the hosts it names,
 * with "*" and "!" exclusions, sorted (cached for host_name and
 * hostgroup_name). */
static void
imp_hosts_of(struct imp *im, struct nobj *o, const char *hk, const char *gk,
    struct names *out)
{
	struct names hs = { 0 }, gs = { 0 }, in = { 0 }, ex = { 0 };
	int cache = strcmp(hk, "host_name") == 0;

	if (cache && o->hosts_done) {
		for (size_t i = 0; i < o->nhosts; i++)
			names_push(out, o->hosts[i]);
		return;
	}
	names_split(&hs, obj_get(o, hk));
	names_split(&gs, obj_get(o, gk));
	for (size_t i = 0; i < gs.n; i++) {
		if (gs.v[i][0] == '!')
			imp_group_hosts(im, gs.v[i] + 1, &ex, 0, 1);
		else
			imp_group_hosts(im, gs.v[i], &in, 0, 1);
	}
	for (size_t i = 0; i < hs.n; i++) {
		if (hs.v[i][0] == '!')
			names_push(&ex, hs.v[i] + 1);
		else if (strcmp(hs.v[i], "*") == 0)
			all_hosts(im, &in);
		else
			names_push(&in, hs.v[i]);
	}
	names_free(&hs);
	names_free(&gs);
	hosts_finish(&in, &ex, out, cache ? &o->hosts : NULL, &o->nhosts, &o->hosts_done);
}

/* Is host a defined host? */
static int
imp_is_host(const struct imp *im, const char *host)
{
	return names_in(im->hostnames, im->nhostnames, host);
}

/* ---- names vigil takes -------------------------------------------------- */

/* The keys whose values are names (or lists of names) of hosts, groups,
 * contacts, timeperiods or commands: vigil refuses whitespace, '/' and
 * '$' in those. */
static const char *const name_keys[] = {
	"host_name", "hostgroup_name", "hostgroups", "parents", "hostgroup_members",
	"contacts", "contact_groups", "contactgroups", "contactgroup_name",
	"contactgroup_members", "contact_name", "timeperiod_name", "check_period",
	"notification_period", "escalation_period", "dependency_period",
	"host_notification_period", "service_notification_period", "exclude",
	"servicegroup_name", "servicegroups", "servicegroup_members",
	"dependent_host_name", "dependent_hostgroup_name", "command_name",
};

/* s with what vigil refuses in a name made '_' (fresh); *changed says so. */
static char *
name_fix(const char *s, int *changed)
{
	char *r = xstrdup(s);

	*changed = 0;
	for (char *p = r; *p != '\0'; p++)
		if (isspace((unsigned char)*p) || *p == '/' || *p == '$') {
			*p = '_';
			*changed = 1;
		}
	return r;
}

/* A list "a, b c,!d e" with each name fixed (every other item of a
 * servicegroup's members: those are host, service pairs); the names
 * changed are said once each. */
static char *
names_fix_list(struct imp *im, const struct nobj *o, const char *v, int pairs,
    struct names *said)
{
	struct strbuf b = { 0 };
	char *list = xstrdup(v), *tok, *save;
	int i = 0;

	strbuf_adds(&b, "");
	for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save), i++) {
		const char *t = trim(tok), *bang = *t == '!' ? "!" : "";
		int changed = 0;
		char *f = pairs && i % 2 == 1 ? xstrdup(t) : name_fix(t + (*bang != '\0'), &changed);

		if (changed && !names_has(said, t + (*bang != '\0'))) {
			names_add(said, t + (*bang != '\0'));
			imp_say(im, o->file, o->line, "name \"%s\" is \"%s\" in vigil (no whitespace, "
			    "'/' or '$' in a name)", t + (*bang != '\0'), f);
		}
		strbuf_printf(&b, "%s%s%s", b.len > 0 ? "," : "", pairs && i % 2 == 1 ? "" : bang, f);
		free(f);
	}
	free(list);
	return b.s;
}

/* Every name of every object as vigil takes it (after the templates). */
static void
imp_fix_names(struct imp *im)
{
	struct names said = { 0 };

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];

		for (size_t k = 0; k < o->n; k++) {
			int pairs = o->type == NT_SERVICEGROUP && strcmp(o->k[k], "members") == 0;
			int is_name = pairs || strcmp(o->k[k], "members") == 0;
			char *fixed;

			for (size_t j = 0; !is_name && j < sizeof(name_keys) / sizeof(name_keys[0]); j++)
				is_name = strcmp(o->k[k], name_keys[j]) == 0;
			if (is_name) {
				fixed = names_fix_list(im, o, o->v[k], pairs, &said);
			} else if (strcmp(o->k[k], "check_command") == 0 ||
			    strcmp(o->k[k], "event_handler") == 0) {
				/* the command's name: what comes before the first '!' */
				const char *bang = strchr(o->v[k], '!');
				char *nm = bang != NULL ? xstrndup(o->v[k], (size_t)(bang - o->v[k])) :
				    xstrdup(o->v[k]);
				char *f = names_fix_list(im, o, nm, 0, &said);

				fixed = xasprintf("%s%s", f, bang != NULL ? bang : "");
				free(nm);
				free(f);
			} else
				continue;
			free(o->v[k]);
			o->v[k] = fixed;
		}
	}
	names_free(&said);
}

/* ---- commands ------------------------------------------------------------ */

/* Nagios 4's split of a command it runs without a shell: words on
 * whitespace, '…' literal, "…" with \" \\ \$ escapes, \x outside quotes.
 * -1 (with the reason) when only a shell could run it. */
static int
split_words_q(const char *s, struct names *out, unsigned char **quoted, const char **why)
{
	struct strbuf w = { 0 };
	int inword = 0, wq = 0;

	strbuf_adds(&w, "");
	for (const char *p = s; ; p++) {
		if (*p == '\0' || isspace((unsigned char)*p)) {
			if (inword) {
				if (quoted != NULL) {
					*quoted = xrealloc(*quoted, out->n + 1);
					(*quoted)[out->n] = (unsigned char)wq;
				}
				out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
				out->v[out->n++] = xstrdup(w.s);
				w.len = 0;
				w.s[0] = '\0';
				inword = 0;
				wq = 0;
			}
			if (*p == '\0')
				break;
			continue;
		}
		inword = 1;
		if (*p == '\'' || *p == '"' || *p == '\\')
			wq = 1;
		if (*p == '\'') {
			const char *e = strchr(p + 1, '\'');

			if (e == NULL)
				goto unbalanced;
			strbuf_add(&w, p + 1, (size_t)(e - p - 1));
			p = e;
			continue;
		}
		if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (*p == '\0')
					goto unbalanced;
				if (*p == '`' || (*p == '$' && p[1] == '(')) {
					*why = "a command substitution";
					goto shell;
				}
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '`'))
					p++;
				strbuf_add(&w, p, 1);
			}
			continue;
		}
		if (*p == '\\' && p[1] != '\0') {
			p++;
			strbuf_add(&w, p, 1);
			continue;
		}
		if (strchr("|&;<>()`*?[]{}~", *p) != NULL || (*p == '$' && p[1] == '(')) {
			static char what[32];

			snprintf(what, sizeof(what), "'%c'", *p);
			*why = what;
			goto shell;
		}
		strbuf_add(&w, p, 1);
	}
	free(w.s);
	return 0;
unbalanced:
	*why = "an unbalanced quote";
shell:
	free(w.s);
	return -1;
}

static int
split_words(const char *s, struct names *out, const char **why)
{
	return split_words_q(s, out, NULL, why);
}

/* The macros a vigil check command knows (the runtime ones in an event
 * handler's), else the first one it does not, in *bad. */
static int
macros_ok(const char *s, int event, char *bad, size_t badlen)
{
	for (const char *p = strchr(s, '$'); p != NULL; p = strchr(p, '$')) {
		const char *e = strchr(p + 1, '$');
		char name[128];
		size_t n;

		if (e == NULL)
			return 1;	/* a lone dollar: as written */
		n = (size_t)(e - p - 1);
		if (n == 0) {
			p = e + 1;	/* $$ */
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		if (!(strcmp(name, "HOSTNAME") == 0 || strcmp(name, "HOSTADDRESS") == 0 ||
		    strcmp(name, "HOSTALIAS") == 0 || strcmp(name, "SERVICEDESC") == 0 ||
		    strncmp(name, "ARG", 3) == 0 || strncmp(name, "USER", 4) == 0 ||
		    strncmp(name, "_HOST", 5) == 0 || strncmp(name, "_SERVICE", 8) == 0 ||
		    (event && macro_event_id(name) >= 0))) {
			snprintf(bad, badlen, "$%s$", name);
			return 0;
		}
		p = e + 1;
	}
	return 1;
}

/* "check_x!a!b": the name and its arguments ("\!" is a '!'). */
static void
split_bang(const char *s, struct names *out)
{
	struct strbuf w = { 0 };

	strbuf_adds(&w, "");
	for (const char *p = s; ; p++) {
		if (*p == '\0' || *p == '!') {
			out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
			out->v[out->n++] = xstrdup(trim(w.s));
			w.len = 0;
			w.s[0] = '\0';
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '\\' && p[1] == '!')
			p++;
		strbuf_add(&w, p, 1);
	}
	free(w.s);
}

/* n if word is exactly "$ARGn$", else 0. */
static int
arg_alone(const char *w)
{
	int n = 0, len = 0;

	if (sscanf(w, "$ARG%d$%n", &n, &len) == 1 && (size_t)len == strlen(w))
		return n;
	return 0;
}

static void
yaml_strv(struct strbuf *b, char *const *v, size_t n)
{
	strbuf_add(b, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strbuf_adds(b, ", ");
		jsonw_string(b, v[i]);
	}
	strbuf_add(b, "]", 1);
}

/*
 * A check's (or event handler's) command as vigil's [name, args…] into
 * b, from Nagios's "name!a!b": the command split into words, each
 * $ARGn$ alone in its word taking as many words as Nagios makes of its
 * value (a variant of the command when that is not one), a $ARGn$
 * inside a word taking its value whole. 0, or -1 (said at o).
 */
static int
imp_check_command(struct imp *im, const struct nobj *o, const char *spec, int event,
    struct strbuf *b)
{
	struct names bang = { 0 }, words = { 0 };
	struct nobj *cmd;
	const char *line, *why = NULL;
	char bad[160];
	int rc = -1, nargs = 0, variant = 0, *count = NULL;
	unsigned char *wquoted = NULL;	/* a word had quotes: its $ARGn$ is
					 * the value whole, as Nagios reads it */
	struct names *vals = NULL;	/* per argument, what the check passes */
	struct strbuf vname = { 0 };

	split_bang(spec, &bang);
	if ((cmd = imp_find(im, NT_COMMAND, "command_name", bang.v[0])) == NULL ||
	    (line = obj_get(cmd, "command_line")) == NULL) {
		imp_say(im, o->file, o->line, "command \"%s\" is not defined: this %s is "
		    "left out", bang.v[0], ntype_names[o->type]);
		goto out;
	}
	if (cmd->skip) {
		imp_say(im, o->file, o->line, "command \"%s\" was not translated (%s:%d): this "
		    "%s is left out", bang.v[0], cmd->file, cmd->line, ntype_names[o->type]);
		goto out;
	}
	if (split_words_q(line, &words, &wquoted, &why) < 0 || words.n == 0) {
		imp_say(im, cmd->file, cmd->line, "command \"%s\" needs a shell (%s): not "
		    "translated", bang.v[0], why != NULL ? why : "empty");
		cmd->skip = 1;
		imp_say(im, o->file, o->line, "its %s is left out", ntype_names[o->type]);
		goto out;
	}
	for (size_t i = 0; i < words.n; i++)
		if (!macros_ok(words.v[i], event, bad, sizeof(bad))) {
			imp_say(im, cmd->file, cmd->line, "command \"%s\": macro %s has no value "
			    "in a vigil %s: this %s is left out", bang.v[0], bad,
			    event ? "event handler" : "check command", ntype_names[o->type]);
			goto out;
		}
	/* What each argument's value becomes: where its $ARGn$ stands alone
	 * and unquoted, as many words as Nagios splits it into; inside a
	 * word, the one word it makes; inside quotes, the value whole. */
	nargs = (int)bang.n - 1;
	count = xcalloc((size_t)nargs + 1, sizeof(*count));
	vals = xcalloc((size_t)nargs + 1, sizeof(*vals));
	for (int a = 1; a <= nargs; a++) {
		struct names aw = { 0 };
		const char *awhy = NULL;
		int alone = 0, inword = 0, inquote = 0;
		char ref[24];

		snprintf(ref, sizeof(ref), "$ARG%d$", a);
		for (size_t i = 0; i < words.n; i++) {
			if (strstr(words.v[i], ref) == NULL)
				continue;
			if (wquoted != NULL && wquoted[i])
				inquote = 1;
			else if (arg_alone(words.v[i]) == a)
				alone = 1;
			else
				inword = 1;
		}
		if ((alone || inword) && split_words(bang.v[a], &aw, &awhy) < 0) {
			imp_say(im, o->file, o->line, "argument %d \"%s\" needs a shell (%s): "
			    "this %s is left out", a, bang.v[a], awhy, ntype_names[o->type]);
			names_free(&aw);
			goto out;
		}
		if ((inword && aw.n != 1) || (alone && (inword || inquote) && aw.n != 1) ||
		    ((alone || inword) && inquote && strcmp(aw.v[0], bang.v[a]) != 0)) {
			imp_say(im, o->file, o->line, "argument %d \"%s\" is read in several ways "
			    "by command \"%s\" (words inside a word, or quoted and not): this %s "
			    "is left out", a, bang.v[a], bang.v[0], ntype_names[o->type]);
			names_free(&aw);
			goto out;
		}
		if (alone || inword) {
			vals[a] = aw;
		} else {
			names_free(&aw);
			vals[a].v = xcalloc(1, sizeof(char *));
			vals[a].v[0] = xstrdup(bang.v[a]);
			vals[a].n = 1;
		}
		count[a] = alone ? (int)vals[a].n : 1;
		if (count[a] != 1)
			variant = 1;
	}
	strbuf_adds(b, "[");
	if (!variant) {
		struct names u = { im->used, im->nused };

		names_add(&u, bang.v[0]);
		im->used = u.v;
		im->nused = u.n;
		jsonw_string(b, bang.v[0]);
		for (int a = 1; a <= nargs; a++) {
			strbuf_adds(b, ", ");
			jsonw_string(b, vals[a].v[0]);
		}
	} else {
		/* the variant: each $ARGa$ alone becomes count[a] arguments */
		int *first = xcalloc((size_t)nargs + 2, sizeof(*first));
		struct names vw = { 0 };
		int next = 1;

		strbuf_printf(&vname, "%s_", bang.v[0]);
		for (int a = 1; a <= nargs; a++) {
			first[a] = next;
			next += count[a];
			strbuf_printf(&vname, "_%d", count[a]);
		}
		for (size_t i = 0; i < words.n; i++) {
			int a = wquoted != NULL && wquoted[i] ? 0 : arg_alone(words.v[i]);

			if (a >= 1 && a <= nargs) {
				for (int k = 0; k < count[a]; k++) {
					char *x = xasprintf("$ARG%d$", first[a] + k);

					vw.v = xrealloc(vw.v, (vw.n + 1) * sizeof(*vw.v));
					vw.v[vw.n++] = x;
				}
				continue;
			}
			/* $ARGa$ inside a word (one word each) and any $ARGn$
			 * past the given ones, renumbered */
			{
				struct strbuf r = { 0 };
				const char *p = words.v[i];

				strbuf_adds(&r, "");
				while (*p != '\0') {
					int n = 0, len = 0;

					if (sscanf(p, "$ARG%d$%n", &n, &len) == 1 && len > 0) {
						strbuf_printf(&r, "$ARG%d$", n <= nargs ?
						    first[n] : next + (n - nargs - 1));
						p += len;
						continue;
					}
					strbuf_add(&r, p, 1);
					p++;
				}
				vw.v = xrealloc(vw.v, (vw.n + 1) * sizeof(*vw.v));
				vw.v[vw.n++] = r.s;
			}
		}
		if (!names_has(&(struct names){ im->variants, im->nvariants }, vname.s)) {
			im->variants = xrealloc(im->variants, (im->nvariants + 1) *
			    sizeof(*im->variants));
			im->variants[im->nvariants++] = xstrdup(vname.s);
			strbuf_adds(&im->variant_yaml, "  ");
			jsonw_string(&im->variant_yaml, vname.s);
			strbuf_adds(&im->variant_yaml, ": {argv: ");
			yaml_strv(&im->variant_yaml, vw.v, vw.n);
			strbuf_adds(&im->variant_yaml, "}\n");
		}
		names_free(&vw);
		jsonw_string(b, vname.s);
		for (int a = 1; a <= nargs; a++)
			for (size_t k = 0; k < vals[a].n; k++) {
				strbuf_adds(b, ", ");
				jsonw_string(b, vals[a].v[k]);
			}
		free(first);
	}
	strbuf_adds(b, "]");
	rc = 0;
out:
	for (int a = 0; vals != NULL && a <= nargs; a++)
		names_free(&vals[a]);
	free(vals);
	free(count);
	free(wquoted);
	free(vname.s);
	names_free(&bang);
	names_free(&words);
	return rc;
}

/* ---- check keys -------------------------------------------------------- */

static void
key_dur(struct imp *im, struct strbuf *b, const struct nobj *o, const char *nk,
    const char *vk, int unit)
{
	const char *v = obj_get(o, nk);

	if (v == NULL)
		return;
	strbuf_printf(b, ", %s: \"%lds\"", vk, (long)(atof(v) * (unit ? im->interval_length : 1)));
}

static void
key_bool(struct strbuf *b, const struct nobj *o, const char *nk, const char *vk)
{
	const char *v = obj_get(o, nk);

	if (v != NULL)
		strbuf_printf(b, ", %s: %s", vk, atoi(v) ? "true" : "false");
}

/* Nagios's option letters (notification_options, stalking_options,
 * failure criteria …) as vigil's names, added to on: u is unreachable
 * for a host, unknown for a service; a is all; n adds nothing. */
static void
letters_add(struct names *on, const char *v, int host)
{
	struct names ls = { 0 };

	names_split(&ls, v);
	for (size_t i = 0; i < ls.n; i++)
		switch (ls.v[i][0]) {
		case 'o': names_add(on, host ? "up" : "ok"); break;
		case 'd': names_add(on, "down"); break;
		case 'u': names_add(on, host ? "unreachable" : "unknown"); break;
		case 'w': names_add(on, "warning"); break;
		case 'c': names_add(on, "critical"); break;
		case 'r': names_add(on, "recovery"); break;
		case 'f': names_add(on, "flapping"); break;
		case 's': names_add(on, "downtime"); break;
		case 'p': names_add(on, "pending"); break;
		case 'a': names_add(on, "all"); break;
		default: break;
		}
	names_free(&ls);
}

/* ", key: [names]" of the letters v; empty: what an empty list says
 * (NULL: the list stays empty). */
static void
key_letters(struct strbuf *b, const char *key, const char *v, int host, const char *empty)
{
	struct names on = { 0 };

	letters_add(&on, v, host);
	if (names_has(&on, "all")) {
		names_free(&on);
		names_add(&on, "all");
	}
	if (on.n == 0 && empty != NULL)
		names_add(&on, empty);
	strbuf_printf(b, ", %s: ", key);
	yaml_strv(b, on.v, on.n);
	names_free(&on);
}

/* Contacts a check notifies (contacts and contact_groups that vigil
 * has: those left out are said where they are defined). */
static void
key_notify(struct imp *im, struct strbuf *b, const struct nobj *o)
{
	struct names n = { 0 }, c = { 0 };

	names_split(&c, obj_get(o, "contacts"));
	names_split(&c, obj_get(o, "contact_groups"));
	for (size_t i = 0; i < c.n; i++)
		if (imp_find(im, NT_CONTACT, "contact_name", c.v[i]) != NULL ||
		    imp_find(im, NT_CONTACTGROUP, "contactgroup_name", c.v[i]) != NULL)
			names_add(&n, c.v[i]);
	if (c.n > 0) {
		strbuf_adds(b, ", notify: ");
		yaml_strv(b, n.v, n.n);
	}
	names_free(&n);
	names_free(&c);
}

/* The check keys of host or service o as ", key: value" items. -1: left
 * out (said). */
static int
imp_check_keys(struct imp *im, struct strbuf *b, const struct nobj *o, int host)
{
	const char *v;

	if ((v = obj_get(o, "check_command")) != NULL) {
		strbuf_adds(b, ", check: ");
		if (imp_check_command(im, o, v, 0, b) < 0)
			return -1;
	} else if (!host) {
		imp_say(im, o->file, o->line, "service without check_command: left out");
		return -1;
	}
	key_dur(im, b, o, "check_interval", "interval", 1);
	key_dur(im, b, o, "normal_check_interval", "interval", 1);
	key_dur(im, b, o, "retry_interval", "retry_interval", 1);
	key_dur(im, b, o, "retry_check_interval", "retry_interval", 1);
	if ((v = obj_get(o, "max_check_attempts")) != NULL && atoi(v) >= 1)
		strbuf_printf(b, ", max_attempts: %d", atoi(v));
	key_bool(b, o, "active_checks_enabled", "active");
	key_bool(b, o, "passive_checks_enabled", "passive");
	if ((v = obj_get(o, "check_period")) != NULL) {
		strbuf_adds(b, ", check_period: ");
		jsonw_string(b, v);
	}
	key_notify(im, b, o);
	key_dur(im, b, o, "notification_interval", "notification_interval", 1);
	key_dur(im, b, o, "first_notification_delay", "first_notification_delay", 1);
	if ((v = obj_get(o, "notification_period")) != NULL) {
		strbuf_adds(b, ", notification_period: ");
		jsonw_string(b, v);
	}
	if ((v = obj_get(o, "notification_options")) != NULL)
		key_letters(b, "notify_on", v, host, "none");
	key_bool(b, o, "notifications_enabled", "notifications_enabled");
	key_bool(b, o, "flap_detection_enabled", "flap_detection");
	if ((v = obj_get(o, "low_flap_threshold")) != NULL && atof(v) > 0)
		strbuf_printf(b, ", low_flap_threshold: %g", atof(v));
	if ((v = obj_get(o, "high_flap_threshold")) != NULL && atof(v) > 0)
		strbuf_printf(b, ", high_flap_threshold: %g", atof(v));
	if ((v = obj_get(o, "flap_detection_options")) != NULL)
		key_letters(b, "flap_detection_options", v, host, NULL);
	if ((v = obj_get(o, "stalking_options")) != NULL)
		key_letters(b, "stalking", v, host, NULL);
	key_bool(b, o, "check_freshness", "freshness");
	if ((v = obj_get(o, "freshness_threshold")) != NULL && atoi(v) > 0)
		strbuf_printf(b, ", freshness_threshold: \"%ds\"", atoi(v));
	if (!host)
		key_bool(b, o, "is_volatile", "is_volatile");
	key_bool(b, o, "event_handler_enabled", "event_handler_enabled");
	if ((v = obj_get(o, "event_handler")) != NULL) {
		struct strbuf eh = { 0 };

		if (imp_check_command(im, o, v, 1, &eh) == 0) {
			strbuf_adds(b, ", event_handler: ");
			strbuf_add(b, eh.s, eh.len);
		}
		free(eh.s);
	}
	/* custom variables: _NAME */
	{
		int any = 0;

		for (size_t i = 0; i < o->n; i++)
			if (o->k[i][0] == '_' && o->k[i][1] != '\0') {
				strbuf_adds(b, any ? ", " : ", vars: {");
				jsonw_string(b, o->k[i] + 1);
				strbuf_adds(b, ": ");
				jsonw_string(b, o->v[i]);
				any = 1;
			}
		if (any)
			strbuf_adds(b, "}");
	}
	return 0;
}

/* ---- the other objects ----------------------------------------------- */

/* A name as a glob that matches only itself. */
static char *
glob_quote(const char *s)
{
	struct strbuf b = { 0 };

	strbuf_adds(&b, "");
	for (; *s != '\0'; s++) {
		if (strchr("*?[]\\", *s) != NULL)
			strbuf_add(&b, "\\", 1);
		strbuf_add(&b, s, 1);
	}
	return b.s;
}

static void
yaml_globs(struct strbuf *b, const struct names *ns)
{
	strbuf_add(b, "[", 1);
	for (size_t i = 0; i < ns->n; i++) {
		char *q = glob_quote(ns->v[i]);

		if (i > 0)
			strbuf_adds(b, ", ");
		jsonw_string(b, q);
		free(q);
	}
	strbuf_add(b, "]", 1);
}

/* One entry of a section (its header first, once: *any):
 *   "name": {k1: [v1…], k2: [v2…], ka: "va"}
 * v1 as globs that match only themselves when glob1; k2 left out when v2
 * is empty, ka when va is NULL. */
static void
yaml_entry(struct strbuf *b, int *any, const char *section, const char *name,
    const char *k1, const struct names *v1, int glob1, const char *k2,
    const struct names *v2, const char *ka, const char *va)
{
	if (!*any)
		strbuf_printf(b, "%s:\n", section);
	*any = 1;
	strbuf_adds(b, "  ");
	jsonw_string(b, name);
	strbuf_printf(b, ": {%s: ", k1);
	if (glob1)
		yaml_globs(b, v1);
	else
		yaml_strv(b, v1->v, v1->n);
	if (v2 != NULL && v2->n > 0) {
		strbuf_printf(b, ", %s: ", k2);
		yaml_strv(b, v2->v, v2->n);
	}
	if (va != NULL) {
		strbuf_printf(b, ", %s: ", ka);
		jsonw_string(b, va);
	}
	strbuf_adds(b, "}\n");
}

static int
is_weekday(const char *s)
{
	static const char *const d[] = { "sunday", "monday", "tuesday", "wednesday",
		"thursday", "friday", "saturday" };

	for (size_t i = 0; i < 7; i++)
		if (strncasecmp(s, d[i], strlen(d[i])) == 0)
			return (int)i + 1;
	return 0;
}

static void
imp_timeperiods(struct imp *im, struct strbuf *b)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "timeperiod_name");
		struct strbuf days = { 0 }, exc = { 0 };

		if (o->type != NT_TIMEPERIOD || !o->registered || name == NULL)
			continue;
		for (size_t k = 0; k < o->n; k++) {
			const char *key = o->k[k];
			const char *val = strcmp(o->v[k], "00:00-00:00") == 0 ? "" : o->v[k];
			int wd = is_weekday(key);

			if (strcmp(key, "timeperiod_name") == 0 || strcmp(key, "alias") == 0 ||
			    strcmp(key, "name") == 0 || strcmp(key, "use") == 0 ||
			    strcmp(key, "register") == 0 || strcmp(key, "exclude") == 0)
				continue;
			if (strchr(key, '/') != NULL || (wd && strstr(key, " - ") != NULL)) {
				imp_say(im, o->file, o->line, "timeperiod \"%s\": \"%s %s\": vigil "
				    "has no such exception (every Nth day, or a range of weekdays): "
				    "left out", name, key, o->v[k]);
				continue;
			}
			if (wd && strchr(key, ' ') == NULL) {
				strbuf_adds(&days, ", ");
				jsonw_string(&days, key);
				strbuf_adds(&days, ": ");
				jsonw_string(&days, val);
				continue;
			}
			strbuf_adds(&exc, exc.len > 0 ? ", " : "");
			jsonw_string(&exc, key);
			strbuf_adds(&exc, ": ");
			jsonw_string(&exc, val);
		}
		if (!any)
			strbuf_adds(b, "timeperiods:\n");
		any = 1;
		strbuf_adds(b, "  ");
		jsonw_string(b, name);
		strbuf_adds(b, ": {");
		if (days.len > 0)
			strbuf_adds(b, days.s + 2);
		if (exc.len > 0) {
			strbuf_adds(b, days.len > 0 ? ", " : "");
			strbuf_adds(b, "exceptions: {");
			strbuf_add(b, exc.s, exc.len);
			strbuf_adds(b, "}");
		}
		if (obj_get(o, "exclude") != NULL) {
			struct names ex = { 0 };

			names_split(&ex, obj_get(o, "exclude"));
			strbuf_adds(b, days.len > 0 || exc.len > 0 ? ", " : "");
			strbuf_adds(b, "exclude: ");
			yaml_strv(b, ex.v, ex.n);
			names_free(&ex);
		}
		strbuf_adds(b, "}\n");
		free(days.s);
		free(exc.s);
	}
}

static void
imp_contacts(struct imp *im, struct strbuf *b)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "contact_name"), *v;
		struct strbuf on = { 0 };

		if (o->type != NT_CONTACT || !o->registered || name == NULL)
			continue;
		if ((v = obj_get(o, "email")) == NULL || strchr(v, '@') == NULL) {
			imp_say(im, o->file, o->line, "contact \"%s\" has no email address (vigil's "
			    "channels: email, slack, webhook, command): left out, and from the "
			    "notify lists", name);
			o->skip = 1;
			continue;
		}
		if (!any)
			strbuf_adds(b, "contacts:\n");
		any = 1;
		strbuf_adds(b, "  ");
		jsonw_string(b, name);
		strbuf_adds(b, ": {email: ");
		jsonw_string(b, v);
		if ((v = obj_get(o, "alias")) != NULL) {
			strbuf_adds(b, ", alias: ");
			jsonw_string(b, v);
		}
		/* one notify_on: the host options' and the service options' */
		{
			struct names names_on = { 0 };

			if ((v = obj_get(o, "host_notifications_enabled")) == NULL || atoi(v))
				letters_add(&names_on, obj_get(o, "host_notification_options") ?
				    obj_get(o, "host_notification_options") : "d,u,r,f,s", 1);
			if ((v = obj_get(o, "service_notifications_enabled")) == NULL || atoi(v))
				letters_add(&names_on, obj_get(o, "service_notification_options") ?
				    obj_get(o, "service_notification_options") : "w,u,c,r,f,s", 0);
			if (names_has(&names_on, "all")) {
				names_free(&names_on);
				names_add(&names_on, "all");
			}
			if (names_on.n == 0)
				names_add(&names_on, "none");
			strbuf_adds(&on, ", notify_on: ");
			yaml_strv(&on, names_on.v, names_on.n);
			names_free(&names_on);
		}
		strbuf_add(b, on.s, on.len);
		free(on.s);
		{
			const char *hp = obj_get(o, "host_notification_period");
			const char *sp = obj_get(o, "service_notification_period");

			if (hp != NULL && sp != NULL && strcmp(hp, sp) != 0)
				imp_say(im, o->file, o->line, "contact \"%s\": a host period (%s) "
				    "and a service period (%s): vigil has one, the service's is "
				    "kept", name, hp, sp);
			if (sp != NULL || hp != NULL) {
				strbuf_adds(b, ", period: ");
				jsonw_string(b, sp != NULL ? sp : hp);
			}
		}
		strbuf_adds(b, "}\n");
	}
	/* contact groups: members, nested groups, and the contacts that name
	 * them */
	any = 0;
	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "contactgroup_name");
		struct names mem = { 0 }, in = { 0 }, subs = { 0 }, gs = { 0 };

		if (o->type != NT_CONTACTGROUP || !o->registered || name == NULL)
			continue;
		names_split(&mem, obj_get(o, "members"));
		for (size_t k = 0; k < im->n; k++) {
			struct names cg = { 0 };

			if (im->o[k]->type != NT_CONTACT || !im->o[k]->registered ||
			    obj_get(im->o[k], "contact_name") == NULL)
				continue;
			names_split(&cg, obj_get(im->o[k], "contactgroups"));
			if (names_has(&cg, name))
				names_add(&mem, obj_get(im->o[k], "contact_name"));
			names_free(&cg);
		}
		for (size_t k = 0; k < mem.n; k++)
			if (imp_find(im, NT_CONTACT, "contact_name", mem.v[k]) != NULL)
				names_add(&in, mem.v[k]);
		names_split(&subs, obj_get(o, "contactgroup_members"));
		for (size_t k = 0; k < subs.n; k++)
			if (imp_find(im, NT_CONTACTGROUP, "contactgroup_name", subs.v[k]) != NULL)
				names_add(&gs, subs.v[k]);
		yaml_entry(b, &any, "contact_groups", name, "members", &in, 0, "groups", &gs,
		    "alias", obj_get(o, "alias"));
		names_free(&mem);
		names_free(&in);
		names_free(&subs);
		names_free(&gs);
	}
}

/* The group names: hostgroups', and servicegroups' (renamed when a
 * hostgroup has the name). */
static const char *
sg_name(struct imp *im, const char *name, char *buf, size_t len)
{
	if (imp_find(im, NT_HOSTGROUP, "hostgroup_name", name) != NULL)
		snprintf(buf, len, "servicegroup-%s", name);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

static void
imp_groups(struct imp *im, struct strbuf *b)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "hostgroup_name");
		struct names hs = { 0 }, parents = { 0 };

		if (o->type != NT_HOSTGROUP || !o->registered || name == NULL)
			continue;
		imp_group_hosts(im, name, &hs, 0, 0);
		/* its parents: the hostgroups that name it in hostgroup_members */
		for (size_t k = 0; k < im->n; k++) {
			struct names m = { 0 };

			if (im->o[k]->type != NT_HOSTGROUP || !im->o[k]->registered ||
			    obj_get(im->o[k], "hostgroup_name") == NULL)
				continue;
			names_split(&m, obj_get(im->o[k], "hostgroup_members"));
			if (names_has(&m, name))
				names_add(&parents, obj_get(im->o[k], "hostgroup_name"));
			names_free(&m);
		}
		yaml_entry(b, &any, "groups", name, "hosts", &hs, 1, "parents", &parents, "title",
		    obj_get(o, "alias"));
		names_free(&hs);
		names_free(&parents);
	}
	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "servicegroup_name");
		struct names mem = { 0 }, svcs = { 0 }, parents = { 0 };
		char nb[512];

		if (o->type != NT_SERVICEGROUP || !o->registered || name == NULL)
			continue;
		/* members: host,service pairs */
		names_split(&mem, obj_get(o, "members"));
		for (size_t k = 0; k + 1 < mem.n; k += 2) {
			char *h = glob_quote(mem.v[k]), *sv = glob_quote(mem.v[k + 1]);
			char *hs = xasprintf("%s/%s", h, sv);

			names_add(&svcs, hs);
			free(h);
			free(sv);
			free(hs);
		}
		/* services that name it (on every host they go to) */
		for (size_t k = 0; k < im->n; k++) {
			struct names sg = { 0 }, hs = { 0 };
			const char *d = obj_get(im->o[k], "service_description");

			if (im->o[k]->type != NT_SERVICE || !im->o[k]->registered || d == NULL)
				continue;
			names_split(&sg, obj_get(im->o[k], "servicegroups"));
			if (names_has(&sg, name)) {
				imp_hosts_of(im, im->o[k], "host_name", "hostgroup_name", &hs);
				for (size_t j = 0; j < hs.n; j++) {
					char *h = glob_quote(hs.v[j]), *sv = glob_quote(d);
					char *x = xasprintf("%s/%s", h, sv);

					names_add(&svcs, x);
					free(h);
					free(sv);
					free(x);
				}
			}
			names_free(&sg);
			names_free(&hs);
		}
		for (size_t k = 0; k < im->n; k++) {
			struct names m = { 0 };

			if (im->o[k]->type != NT_SERVICEGROUP || !im->o[k]->registered ||
			    obj_get(im->o[k], "servicegroup_name") == NULL)
				continue;
			names_split(&m, obj_get(im->o[k], "servicegroup_members"));
			if (names_has(&m, name)) {
				char pb[512];

				names_add(&parents, sg_name(im, obj_get(im->o[k],
				    "servicegroup_name"), pb, sizeof(pb)));
			}
			names_free(&m);
		}
		yaml_entry(b, &any, "groups", sg_name(im, name, nb, sizeof(nb)), "services", &svcs,
		    0, "parents", &parents, "title", obj_get(o, "alias"));
		names_free(&mem);
		names_free(&svcs);
		names_free(&parents);
	}
}

/* Escalations of host (and service desc, NULL for the host) as an
 * escalations: item, or nothing. */
static void
imp_escalations(struct imp *im, struct strbuf *b, const char *host, const char *desc)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		struct names hs = { 0 }, ds = { 0 }, who = { 0 }, c = { 0 };
		const char *v;

		if (o->type != (desc != NULL ? NT_SERVICEESC : NT_HOSTESC) || !o->registered)
			continue;
		if (!o->hosts_done)
			imp_hosts_of(im, o, "host_name", "hostgroup_name", &hs);
		if (!names_in(o->hosts, o->nhosts, host)) {
			names_free(&hs);
			continue;
		}
		if (desc != NULL) {
			names_split(&ds, obj_get(o, "service_description"));
			if (!names_has(&ds, desc) && !names_has(&ds, "*")) {
				names_free(&hs);
				names_free(&ds);
				continue;
			}
		}
		if ((v = obj_get(o, "escalation_options")) != NULL && strchr(v, 'a') == NULL &&
		    strlen(v) < (desc != NULL ? 7u : 5u) && !o->skip) {
			imp_say(im, o->file, o->line, "escalation_options %s: vigil's "
			    "escalations apply to every state (kept, for all)", v);
			o->skip = 1;	/* said once */
		}
		names_split(&c, obj_get(o, "contacts"));
		names_split(&c, obj_get(o, "contact_groups"));
		for (size_t k = 0; k < c.n; k++)
			if (imp_find(im, NT_CONTACT, "contact_name", c.v[k]) != NULL ||
			    imp_find(im, NT_CONTACTGROUP, "contactgroup_name", c.v[k]) != NULL)
				names_add(&who, c.v[k]);
		strbuf_adds(b, any ? ", " : ", escalations: [");
		any = 1;
		strbuf_printf(b, "{first: %d", obj_get(o, "first_notification") ?
		    atoi(obj_get(o, "first_notification")) : 1);
		if ((v = obj_get(o, "last_notification")) != NULL && atoi(v) > 0)
			strbuf_printf(b, ", last: %d", atoi(v));
		if ((v = obj_get(o, "notification_interval")) != NULL)
			strbuf_printf(b, ", interval: \"%lds\"", (long)(atof(v) * im->interval_length));
		strbuf_adds(b, ", notify: ");
		yaml_strv(b, who.v, who.n);
		if ((v = obj_get(o, "escalation_period")) != NULL) {
			strbuf_adds(b, ", period: ");
			jsonw_string(b, v);
		}
		strbuf_adds(b, "}");
		names_free(&hs);
		names_free(&ds);
		names_free(&who);
		names_free(&c);
	}
	if (any)
		strbuf_adds(b, "]");
}

/* "{" items without their first ", " "}" */
static void
yaml_map(struct strbuf *b, const struct strbuf *items)
{
	strbuf_adds(b, "{");
	if (items->len > 2)
		strbuf_add(b, items->s + 2, items->len - 2);
	strbuf_adds(b, "}");
}

static void
imp_hosts(struct imp *im, struct strbuf *b, struct names *with_check)
{
	int any = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *name = obj_get(o, "host_name"), *v;
		struct strbuf k = { 0 };
		struct names ps = { 0 };

		if (o->type != NT_HOST || !o->registered || name == NULL || o->skip)
			continue;
		strbuf_adds(&k, "");
		if ((v = obj_get(o, "address")) != NULL) {
			strbuf_adds(&k, ", address: ");
			jsonw_string(&k, v);
		}
		if ((v = obj_get(o, "alias")) != NULL) {
			strbuf_adds(&k, ", alias: ");
			jsonw_string(&k, v);
		}
		names_split(&ps, obj_get(o, "parents"));
		if (ps.n > 0) {
			strbuf_adds(&k, ", parents: ");
			yaml_strv(&k, ps.v, ps.n);
		}
		names_free(&ps);
		if (imp_check_keys(im, &k, o, 1) < 0) {
			/* the host stays, without its check */
			struct strbuf bare = { 0 };
			const char *a = obj_get(o, "address");

			strbuf_adds(&bare, "");
			if (a != NULL) {
				strbuf_adds(&bare, ", address: ");
				jsonw_string(&bare, a);
			}
			free(k.s);
			k = bare;
		} else if (obj_get(o, "check_command") != NULL)
			names_add(with_check, name);
		imp_escalations(im, &k, name, NULL);
		if (!any)
			strbuf_adds(b, "hosts:\n");
		any = 1;
		strbuf_adds(b, "  ");
		jsonw_string(b, name);
		strbuf_adds(b, ": ");
		yaml_map(b, &k);
		strbuf_adds(b, "\n");
		free(k.s);
	}
}

struct svc_pick {
	char *host, *desc;
	size_t obj;
	int specific;		/* named in host_name */
	char *block;		/* its YAML */
};

/* host, description, the one named for its host first, then the first
 * defined */
static int
cmp_pick_key(const void *a, const void *b)
{
	const struct svc_pick *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	if (c != 0 || (c = strcmp(x->desc, y->desc)) != 0)
		return c;
	if (x->specific != y->specific)
		return y->specific - x->specific;
	return x->obj < y->obj ? -1 : x->obj > y->obj;
}

static int
cmp_pick(const void *a, const void *b)
{
	const struct svc_pick *x = a, *y = b;
	int c = strcmp(x->desc, y->desc);

	if (c != 0)
		return c;
	if ((c = strcmp(x->block, y->block)) != 0)
		return c;
	return strcmp(x->host, y->host);
}

/* Services as apply rules: one per description and definition, with
 * exactly the hosts that get it. The checks made go in made
 * ("host/desc"). */
static void
imp_services(struct imp *im, struct strbuf *b, struct names *made)
{
	struct svc_pick *p = NULL;
	size_t n = 0, rule = 0;
	struct names hosts = { 0 };

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		const char *d = obj_get(o, "service_description");
		struct names hs = { 0 }, named = { 0 };

		if (o->type != NT_SERVICE || !o->registered || d == NULL)
			continue;
		imp_hosts_of(im, o, "host_name", "hostgroup_name", &hs);
		names_split(&named, obj_get(o, "host_name"));
		if (hs.n == 0)
			imp_say(im, o->file, o->line, "service \"%s\" goes to no host: left out", d);
		for (size_t k = 0; k < hs.n; k++) {
			int specific = names_has(&named, hs.v[k]);

			if (!imp_is_host(im, hs.v[k])) {
				imp_say(im, o->file, o->line, "service \"%s\": host \"%s\" is not "
				    "defined: left out there", d, hs.v[k]);
				continue;
			}
			p = xrealloc(p, (n + 1) * sizeof(*p));
			p[n].host = xstrdup(hs.v[k]);
			p[n].desc = xstrdup(d);
			p[n].obj = i;
			p[n].specific = specific;
			p[n].block = NULL;
			n++;
		}
		names_free(&hs);
		names_free(&named);
	}
	/* One per host and description. Nagios: one named for its host wins
	 * over one from a hostgroup; else the first defined. */
	if (n > 0)
		qsort(p, n, sizeof(*p), cmp_pick_key);
	{
		size_t w = 0;

		for (size_t j = 0; j < n; j++) {
			if (w > 0 && strcmp(p[w - 1].host, p[j].host) == 0 &&
			    strcmp(p[w - 1].desc, p[j].desc) == 0) {
				free(p[j].host);
				free(p[j].desc);
				continue;
			}
			p[w++] = p[j];
		}
		n = w;
	}
	/* each one's block (said once per definition when it fails) */
	for (size_t j = 0; j < n; j++) {
		struct nobj *o = im->o[p[j].obj];
		struct strbuf k = { 0 }, m = { 0 };

		strbuf_adds(&k, "");
		if (o->skip || imp_check_keys(im, &k, o, 0) < 0) {
			o->skip = 1;
			free(k.s);
			p[j].block = xstrdup("");
			continue;
		}
		imp_escalations(im, &k, p[j].host, p[j].desc);
		yaml_map(&m, &k);
		p[j].block = m.s;
		free(k.s);
	}
	if (n > 0)
		qsort(p, n, sizeof(*p), cmp_pick);
	for (size_t j = 0; j < n; ) {
		size_t e = j;

		while (e < n && strcmp(p[e].desc, p[j].desc) == 0 &&
		    strcmp(p[e].block, p[j].block) == 0)
			e++;
		if (p[j].block[0] != '\0') {
			for (size_t k = j; k < e; k++) {
				char *x = xasprintf("%s/%s", p[k].host, p[k].desc);

				names_add(&hosts, p[k].host);
				names_add(made, x);
				free(x);
			}
			if (rule == 0)
				strbuf_adds(b, "apply:\n");
			strbuf_printf(b, "  \"service-%zu\":\n    hosts: ", ++rule);
			yaml_globs(b, &hosts);
			strbuf_adds(b, "\n    services:\n      ");
			jsonw_string(b, p[j].desc);
			strbuf_adds(b, ": ");
			strbuf_adds(b, p[j].block);
			strbuf_adds(b, "\n");
			names_free(&hosts);
		}
		j = e;
	}
	for (size_t j = 0; j < n; j++) {
		free(p[j].host);
		free(p[j].desc);
		free(p[j].block);
	}
	free(p);
}

static void
imp_dependencies(struct imp *im, struct strbuf *b, const struct names *made,
    const struct names *with_check)
{
	size_t nd = 0;

	for (size_t i = 0; i < im->n; i++) {
		struct nobj *o = im->o[i];
		int host = o->type == NT_HOSTDEP;
		struct names mh = { 0 }, ms = { 0 }, dh = { 0 }, ds = { 0 };
		const char *ec = obj_get(o, "execution_failure_criteria");
		const char *nc = obj_get(o, "notification_failure_criteria");

		if ((o->type != NT_SERVICEDEP && !host) || !o->registered)
			continue;
		if (ec == NULL && nc == NULL)
			continue;	/* fails on nothing: nothing to translate */
		imp_hosts_of(im, o, "host_name", "hostgroup_name", &mh);
		imp_hosts_of(im, o, "dependent_host_name", "dependent_hostgroup_name", &dh);
		if (!host) {
			names_split(&ms, obj_get(o, "service_description"));
			names_split(&ds, obj_get(o, "dependent_service_description"));
		} else
			names_add(&ms, "");
		for (size_t a = 0; a < mh.n; a++)
			for (size_t s = 0; s < ms.n; s++) {
				char *master = host ? xstrdup(mh.v[a]) :
				    xasprintf("%s/%s", mh.v[a], ms.v[s]);
				struct names hs = { 0 };

				if (host ? !names_has(with_check, master) : !names_has(made, master)) {
					imp_say(im, o->file, o->line, "dependency on %s%s, which was "
					    "not translated: left out", host ? "the host check of " : "",
					    master);
					free(master);
					continue;
				}
				/* no dependent host: the master's own */
				if (dh.n == 0)
					names_add(&hs, mh.v[a]);
				for (size_t k = 0; k < dh.n; k++)
					if (!host || names_has(with_check, dh.v[k]))
						names_add(&hs, dh.v[k]);
				if (hs.n == 0) {
					free(master);
					continue;
				}
				if (nd++ == 0)
					strbuf_adds(b, "dependencies:\n");
				strbuf_printf(b, "  \"dependency-%zu\": {master: ", nd);
				jsonw_string(b, master);
				strbuf_adds(b, ", hosts: ");
				yaml_globs(b, &hs);
				if (!host) {
					strbuf_adds(b, ", services: ");
					yaml_globs(b, &ds);
				}
				if (ec != NULL)
					key_letters(b, "execution_failure_criteria", ec, host, "none");
				if (nc != NULL)
					key_letters(b, "notification_failure_criteria", nc, host, "none");
				if (obj_get(o, "inherits_parent") != NULL)
					strbuf_printf(b, ", inherits_parent: %s",
					    atoi(obj_get(o, "inherits_parent")) ? "true" : "false");
				if (obj_get(o, "dependency_period") != NULL) {
					strbuf_adds(b, ", dependency_period: ");
					jsonw_string(b, obj_get(o, "dependency_period"));
				}
				strbuf_adds(b, "}\n");
				names_free(&hs);
				free(master);
			}
		names_free(&mh);
		names_free(&ms);
		names_free(&dh);
		names_free(&ds);
	}
}

static void
imp_commands(struct imp *im, struct strbuf *b)
{
	if (im->nused == 0 && im->nvariants == 0)
		return;
	strbuf_adds(b, "commands:\n");
	for (size_t i = 0; i < im->nused; i++) {
		struct nobj *cmd = imp_find(im, NT_COMMAND, "command_name", im->used[i]);
		struct names w = { 0 };
		const char *why;

		if (cmd == NULL || split_words(obj_get(cmd, "command_line"), &w, &why) < 0)
			continue;
		strbuf_adds(b, "  ");
		jsonw_string(b, im->used[i]);
		strbuf_adds(b, ": {argv: ");
		yaml_strv(b, w.v, w.n);
		strbuf_adds(b, "}\n");
		names_free(&w);
	}
	if (im->variant_yaml.len > 0)
		strbuf_add(b, im->variant_yaml.s, im->variant_yaml.len);
}

int
ctl_import_nagios(int argc, char **argv)
{
	struct imp im;
	const char *outpath = "nagios.yaml", *main_cfg = NULL;
	struct strbuf tps = { 0 }, cts = { 0 }, grs = { 0 }, hs = { 0 }, svs = { 0 },
	    dps = { 0 }, cmds = { 0 };
	struct names made = { 0 }, with_check = { 0 };
	size_t nhosts = 0, nservices = 0;
	FILE *out;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			outpath = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "vigilctl: import-nagios: unknown option %s\n", argv[i]);
			return 2;
		} else if (main_cfg == NULL)
			main_cfg = argv[i];
		else {
			fprintf(stderr, "vigilctl: import-nagios: one nagios.cfg\n");
			return 2;
		}
	}
	if (main_cfg == NULL) {
		fprintf(stderr, "usage: vigilctl import-nagios [-o FILE] nagios.cfg\n");
		return 2;
	}
	memset(&im, 0, sizeof(im));
	im.interval_length = 60;
	if (imp_read_main(&im, main_cfg) < 0)
		return 1;
	for (size_t i = 0; i < im.n; i++)
		imp_resolve(&im, im.o[i]);
	imp_fix_names(&im);
	{
		struct names hn = { 0 };

		for (size_t i = 0; i < im.n; i++)
			if (im.o[i]->type == NT_HOST && im.o[i]->registered &&
			    obj_get(im.o[i], "host_name") != NULL)
				names_push(&hn, obj_get(im.o[i], "host_name"));
		names_sort(&hn);
		im.hostnames = hn.v;
		im.nhostnames = hn.n;
	}
	imp_timeperiods(&im, &tps);
	imp_contacts(&im, &cts);
	imp_groups(&im, &grs);
	imp_hosts(&im, &hs, &with_check);
	imp_services(&im, &svs, &made);
	imp_dependencies(&im, &dps, &made, &with_check);
	imp_commands(&im, &cmds);
	for (size_t i = 0; i < im.n; i++)
		nhosts += im.o[i]->type == NT_HOST && im.o[i]->registered &&
		    obj_get(im.o[i], "host_name") != NULL;
	nservices = made.n;
	out = strcmp(outpath, "-") == 0 ? stdout : fopen(outpath, "w");
	if (out == NULL) {
		fprintf(stderr, "vigilctl: import-nagios: %s: %s\n", outpath, strerror(errno));
		rc = 1;
		goto done;
	}
	fprintf(out, "# Made by vigilctl import-nagios from %s.\n", main_cfg);
	if (im.resource_file != NULL)
		fprintf(out, "# $USERn$: set resource_file: %s in vigil.yaml (the same format).\n",
		    im.resource_file);
	fputs(cmds.s != NULL ? cmds.s : "", out);
	fputs(tps.s != NULL ? tps.s : "", out);
	fputs(cts.s != NULL ? cts.s : "", out);
	fputs(grs.s != NULL ? grs.s : "", out);
	fputs(hs.s != NULL ? hs.s : "", out);
	fputs(svs.s != NULL ? svs.s : "", out);
	fputs(dps.s != NULL ? dps.s : "", out);
	if (out != stdout && fclose(out) != 0) {
		fprintf(stderr, "vigilctl: import-nagios: %s: %s\n", outpath, strerror(errno));
		rc = 1;
		goto done;
	}
	fprintf(stderr, "import-nagios: %zu hosts, %zu services, %zu objects read; %zu "
	    "constructs not translated (above)%s%s\n", nhosts, nservices, im.n, im.untranslated,
	    im.resource_file != NULL ? "; resource file: " : "",
	    im.resource_file != NULL ? im.resource_file : "");
done:
	free(tps.s);
	free(cts.s);
	free(grs.s);
	free(hs.s);
	free(svs.s);
	free(dps.s);
	free(cmds.s);
	names_free(&made);
	names_free(&with_check);
	for (size_t i = 0; i < im.n; i++) {
		for (size_t k = 0; k < im.o[i]->n; k++) {
			free(im.o[i]->k[k]);
			free(im.o[i]->v[k]);
		}
		free(im.o[i]->k);
		free(im.o[i]->v);
		{
			struct names c1 = { im.o[i]->hosts, im.o[i]->nhosts };
			struct names c2 = { im.o[i]->ghosts, im.o[i]->nghosts };

			names_free(&c1);
			names_free(&c2);
		}
		free(im.o[i]);
	}
	free(im.o);
	{
		struct names v = { im.variants, im.nvariants }, u = { im.used, im.nused };

		names_free(&v);
		names_free(&u);
	}
	{
		struct names hn = { im.hostnames, im.nhostnames };

		names_free(&hn);
	}
	for (size_t i = 0; i < im.nfiles; i++)
		free(im.files[i]);
	free(im.files);
	free(im.variant_yaml.s);
	free(im.resource_file);
	return rc;
}
