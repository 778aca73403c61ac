/*
 * NAME
 *	plugins - which plugins a worker runs, as whom, with which $USERn$
 *	(see plugins.h)
 */
#include "plugins.h"
#include "config.h"
#include "log.h"
#include "msg.h"
#include "runner.h"
#include "xalloc.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether path lies in one of the plugin directories: below it by name,
 * with no "." or ".." step and no empty one that could lead out. */
int
plugins_allowed(const struct plugins *w, const char *path)
{
	for (size_t i = 0; i < w->ndirs; i++) {
		size_t n = strlen(w->dirs[i]);
		const char *p;

		if (strncmp(path, w->dirs[i], n) != 0 || path[n] != '/' || path[n + 1] == '\0')
			continue;
		for (p = path + n; *p != '\0'; p++) {
			if (p[0] != '/')
				continue;
			if (p[1] == '/' || p[1] == '\0' ||
			    (p[1] == '.' && (p[2] == '/' || p[2] == '\0')) ||
			    (p[1] == '.' && p[2] == '.' && (p[3] == '/' || p[3] == '\0')))
				break;
		}
		if (*p == '\0')
			return 1;
	}
	return 0;
}

struct user_place {
	size_t arg, off;
	int n;
};

static int
place_cmp(const void *a, const void *b)
{
	const struct user_place *x = a, *y = b;

	if (x->arg != y->arg)
		return x->arg < y->arg ? -1 : 1;
	return x->off < y->off ? 1 : x->off > y->off ? -1 : 0;	/* last first */
}

/* Put this worker's $USERn$ values where the job's "users" says. 0, or -1
 * with *why (caller frees): the job is not run. The values are never
 * logged or sent back. */
int
plugins_expand(const struct plugins *w, struct job *j, char **why)
{
	struct user_place *pl = NULL;
	size_t npl = 0, cap = 0;
	const char *p = j->users;

	while (p != NULL && *p != '\0') {
		unsigned long long arg, off;
		int n, used = 0;

		if (sscanf(p, "%llu:%llu:%d%n", &arg, &off, &n, &used) != 3 || n < 1 ||
		    n > CONFIG_NUSER || arg >= j->argc) {
			*why = xasprintf("UNKNOWN: the job's \"users\" is malformed: not run");
			free(pl);
			return -1;
		}
		xgrow((void **)&pl, &cap, npl + 1, sizeof(*pl));
		pl[npl++] = (struct user_place){ (size_t)arg, (size_t)off, n };
		p += used;
		if (*p == ';')
			p++;
		else if (*p != '\0')
			break;
	}
	qsort(pl, npl, sizeof(*pl), place_cmp);
	for (size_t i = 0; i < npl; i++) {
		char name[16], text[24], *a = j->argv[pl[i].arg], *v;
		size_t tl;

		snprintf(name, sizeof(name), "USER%d", pl[i].n);
		tl = (size_t)snprintf(text, sizeof(text), "$%s$", name);
		if (pl[i].off > strlen(a) || strncmp(a + pl[i].off, text, tl) != 0) {
			*why = xasprintf("UNKNOWN: the job's \"users\" does not match its argv: "
			    "not run");
			free(pl);
			return -1;
		}
		if ((v = w->users != NULL ? w->users[pl[i].n] : NULL) == NULL) {
			*why = xasprintf("UNKNOWN: macro $%s$ is not set in this worker's resource "
			    "file%s: not run", name, !w->has_resource_file ?
			    " (it has none: resource_file in vigil.yaml)" : "");
			free(pl);
			return -1;
		}
		j->argv[pl[i].arg] = xasprintf("%.*s%s%s", (int)pl[i].off, a, v, a + pl[i].off + tl);
		free(a);
	}
	free(pl);
	return 0;
}

/* The resource file's values, this worker's own copy (a HUP replaces it). */
void
plugins_take_users(struct plugins *w, const struct config *cfg)
{
	if (w->users != NULL)
		for (size_t i = 0; i <= CONFIG_NUSER; i++)
			free(w->users[i]);
	free(w->users);
	w->users = NULL;
	w->has_resource_file = cfg->resource_file != NULL;
	if (cfg->user_macros == NULL)
		return;
	w->users = xcalloc(CONFIG_NUSER + 1, sizeof(*w->users));
	for (size_t i = 1; i <= CONFIG_NUSER; i++)
		if (cfg->user_macros[i] != NULL)
			w->users[i] = xstrdup(cfg->user_macros[i]);
}

/* The directories plugins may run from. */
static void
dirs_init(struct plugins *w, const struct config *cfg)
{
	const char *fixed[] = { cfg->plugin_dir, cfg->vigil_plugin_dir };
	char *list = cfg->plugin_dirs != NULL ? xstrdup(cfg->plugin_dirs) : NULL;
	char *save = NULL;

	for (size_t i = 0; i < 2; i++)
		if (fixed[i] != NULL && fixed[i][0] == '/')
			w->dirs[w->ndirs++] = xstrdup(fixed[i]);
	for (char *d = list != NULL ? strtok_r(list, ":", &save) : NULL;
	    d != NULL && w->ndirs < PLUGINS_MAX_DIRS; d = strtok_r(NULL, ":", &save)) {
		if (d[0] != '/') {
			log_warn("plugin_dirs: %s is not an absolute path: ignored", d);
			continue;
		}
		w->dirs[w->ndirs++] = xstrdup(d);
	}
	for (size_t i = 0; i < w->ndirs; i++) {
		size_t n = strlen(w->dirs[i]);

		while (n > 1 && w->dirs[i][n - 1] == '/')
			w->dirs[i][--n] = '\0';
		if (n == 1)	/* "/": every absolute path */
			w->dirs[i][0] = '\0';
	}
	free(list);
}

/* Who plugins run as. A worker started as root keeps root (it holds the
 * message key, which plugins must not read) and runs each plugin as
 * worker.plugin_user; root itself only with allow_root_plugins. Any other
 * worker runs them as its own user. 0, or -1 with err: do not start. */
static int
identity(struct plugins *w, const struct config *cfg, char *err, size_t errlen)
{
	const char *name = cfg->worker.plugin_user;
	struct passwd *pw;
	int n = 64;

	if (geteuid() != 0) {
		log_info("plugins run as the worker's own user uid=%d (worker.plugin_user %s "
		    "applies to a worker started as root)", (int)geteuid(), name);
		return 0;
	}
	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(err, errlen, "worker.plugin_user %s: no such user (create it, e.g. "
		    "adduser --system %s, or name another): plugins never run as root unless "
		    "worker.allow_root_plugins is true", name, name);
		return -1;
	}
	if (pw->pw_uid == 0) {
		if (!cfg->worker.allow_root_plugins) {
			snprintf(err, errlen, "worker.plugin_user %s is root: plugins would run as "
			    "root; name an unprivileged user, or set worker.allow_root_plugins: "
			    "true", name);
			return -1;
		}
		log_warn("plugins run as root (worker.allow_root_plugins)");
		return 0;
	}
	w->uid = pw->pw_uid;
	w->gid = pw->pw_gid;
	w->groups = xcalloc((size_t)n, sizeof(*w->groups));
	if (getgrouplist(name, pw->pw_gid, w->groups, &n) < 0) {
		w->groups = xrealloc(w->groups, (size_t)n * sizeof(*w->groups));
		if (getgrouplist(name, pw->pw_gid, w->groups, &n) < 0)
			n = 0;
	}
	w->ngroups = (size_t)n;
	w->set_ids = 1;
	log_info("plugins run as user=%s uid=%d gid=%d", name, (int)w->uid, (int)w->gid);
	return 0;
}

int
plugins_init(struct plugins *p, const struct config *cfg, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	dirs_init(p, cfg);
	plugins_take_users(p, cfg);
	return identity(p, cfg, err, errlen);
}

void
plugins_clear(struct plugins *p)
{
	for (size_t i = 0; i < p->ndirs; i++)
		free(p->dirs[i]);
	free(p->groups);
	plugins_take_users(p, &(struct config){ 0 });
	memset(p, 0, sizeof(*p));
}

void
plugins_runner_opts(const struct plugins *p, struct runner_opts *o)
{
	o->set_ids = p->set_ids;
	o->uid = p->uid;
	o->gid = p->gid;
	o->groups = p->groups;
	o->ngroups = p->ngroups;
}
