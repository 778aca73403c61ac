/*
 * NAME
 *	import_read - vigilctl import-nagios: reading the files, templates
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
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>

void
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

char *
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

const char *
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

const char *const ntype_names[NT_N] = {
	"command", "host", "hostgroup", "service", "servicegroup", "contact",
	"contactgroup", "timeperiod", "servicedependency", "hostdependency",
	"serviceescalation", "hostescalation",
};

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

int
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
void
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
