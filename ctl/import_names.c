/*
 * NAME
 *	import_names - vigilctl import-nagios: names, host sets, YAML out
 * DESCRIPTION
 *	See import.c.
 */
#include "ctl.h"
#include "import.h"
#include "jsonw.h"
#include "macro.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>

/* ---- lists and names ------------------------------------------------------- */

int
names_has(const struct names *ns, const char *s)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return 1;
	return 0;
}

void
names_add(struct names *ns, const char *s)
{
	if (names_has(ns, s))
		return;
	ns->v = xrealloc(ns->v, (ns->n + 1) * sizeof(*ns->v));
	ns->v[ns->n++] = xstrdup(s);
}

void
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
void
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
int
names_in(char *const *v, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

/* "a, b,c" as names */
void
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

struct nobj *
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

void
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
void
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
void
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
int
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
void
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

/* ---- YAML out ----------------------------------------------------------- */
void
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

/* A name as a glob that matches only itself. */
char *
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

void
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
void
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

/* "{" items without their first ", " "}" */
void
yaml_map(struct strbuf *b, const struct strbuf *items)
{
	strbuf_adds(b, "{");
	if (items->len > 2)
		strbuf_add(b, items->s + 2, items->len - 2);
	strbuf_adds(b, "}");
}
