/*
 * NAME
 *	plugins - which plugins a worker runs, as whom, with which $USERn$
 * DESCRIPTION
 *	A worker runs a job's argv[0] only below one of its plugin
 *	directories (plugin_dir, vigil_plugin_dir, plugin_dirs), by name,
 *	with no "." or ".." step. Started as root it runs each plugin as
 *	worker.plugin_user (runner_opts' set_ids), never as root unless
 *	worker.allow_root_plugins; it keeps root itself, so plugins cannot
 *	read its key file or signal it. It fills the job's $USERn$ places
 *	(msg.h "users") from its own resource file.
 * SECURITY
 *	$USERn$ values are never logged or sent back: a refusal names the
 *	macro, never a value.
 */
#ifndef VIGIL_WORKER_PLUGINS_H
#define VIGIL_WORKER_PLUGINS_H

#include <stddef.h>
#include <sys/types.h>

struct config;
struct job;
struct runner_opts;

#define PLUGINS_MAX_DIRS 16

struct plugins {
	char *dirs[PLUGINS_MAX_DIRS];	/* a job's argv[0] must be below one */
	size_t ndirs;
	int set_ids;			/* plugins run as plugin_user: */
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
	char **users;			/* $USERn$ values: [n], NULL where unset;
					 * NULL: no resource file */
	int has_resource_file;
};

/* From the worker's config: 0, or -1 with err (the worker does not start:
 * its plugin user is missing, or root without allow_root_plugins). */
int plugins_init(struct plugins *p, const struct config *cfg, char *err, size_t errlen);
void plugins_clear(struct plugins *p);
/* The resource file's values again (a HUP). */
void plugins_take_users(struct plugins *p, const struct config *cfg);
/* Whether path may run. */
int plugins_allowed(const struct plugins *p, const char *path);
/* Fill job's $USERn$ places in its argv: 0, or -1 with *why (a result's
 * text, caller frees): the job is not run. */
int plugins_expand(const struct plugins *p, struct job *j, char **why);
/* The ids a plugin runs with, into o. */
void plugins_runner_opts(const struct plugins *p, struct runner_opts *o);

#endif
