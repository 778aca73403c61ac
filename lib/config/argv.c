/*
 * NAME
 *	argv - the macros of check and notification commands
 * DESCRIPTION
 *	config_argv_check() expands a check's command: each $ARGn$ value
 *	first (it may hold $USER1$ or $HOSTADDRESS$), then every element of
 *	the command's argv, with the expanded ARG values inserted as they
 *	are. $USERn$ is not expanded: it stays the text "$USERn$", and its
 *	place (argument, byte offset, n) goes into the check's users, for the
 *	worker to fill in from its own resource file; a value that merely
 *	reads "$USER1$" is never such a place. Host addresses, aliases, vars and resource values are never
 *	expanded again, so whatever they hold stays one literal argv
 *	element. A check knows $HOSTNAME$, $HOSTADDRESS$, $HOSTALIAS$,
 *	$SERVICEDESC$, $ARGn$, $_HOSTvar$, $_SERVICEvar$ and the
 *	configuration's $PLUGINDIR$, $VIGILPLUGINDIR$, $USERn$.
 *
 *	config_argv_event() does the same for an event handler, whose
 *	runtime macros ($SERVICESTATE$, $HOSTATTEMPT$ ... macro.h) stay their
 *	text with their places noted, as $USERn$'s, for the engine to fill
 *	in when it runs the handler.
 *
 *	A notification command is not expanded here (the notifier does it
 *	per notification): config_argv_notify() only checks its argv, so an
 *	unknown macro is still a load-time error.
 * DIAGNOSTICS
 *	Macro errors point at the check and name the argument: "service
 *	\"web-01/http\": command \"http\" argv[3] \"$FOO$\": unknown macro
 *	$FOO$"; "contact \"alice\": command \"sms\" argv[2] \"$FOO$\":
 *	unknown macro $FOO$".
 * SECURITY
 *	$USERn$ values (secrets) never go into a check's argv; with a resource
 *	file here they are only checked to be set. Messages quote the
 *	arguments as written, never as expanded.
 */
#include "config.h"
#include "config_objects.h"
#include "macro.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ARGV_ARG_MAX	9999	/* highest $ARGn$ we parse */

struct argv_macro_ctx {
	struct config_objects *o;
	macro_lookup_fn lookup;		/* check or notification command */
	const struct cfg_host *host;
	const char *service;		/* NULL: a host check */
	const struct config_vars *svars;
	const struct config_vars *hdefaults;	/* an apply rule's defaults
					 * of the host's vars, or NULL */
	const char **args;		/* expanded $ARGn$ values */
	size_t nargs;
	int in_arg;			/* expanding $ARGn$ itself: its n */
	const char *contact;		/* a notification command's contact */
	const struct config_vars *cvars;	/* and its vars */
	char why[256];			/* why the last lookup failed, if not unknown */
	/* A check's $USERn$ becomes a marker, "\x01" nonce ":" n "\x01",
	 * turned into the text "$USERn$" and its place once the argument is
	 * expanded: the nonce (random per check) keeps a value that merely
	 * looks like a marker from becoming a place a secret goes. */
	int mark_users;
	/* An event handler's: its runtime macros (macro.h MACRO_EV_*) become
	 * markers too, "\x01" nonce ":E" id "\x01", and then the text
	 * "$NAME$" and a place for the engine. */
	int event;
	char nonce[17];
	char marker[48];
};

/*
 * $PLUGINDIR$, $VIGILPLUGINDIR$ and $USERn$: what the configuration gives,
 * the same in check and notification commands. 1 if name is one of them,
 * with *val its value (NULL when it has none: c->why says why), else 0.
 */
static int
argv_config_macro(struct argv_macro_ctx *c, const char *name,
    const char **val)
{
	struct config_loader *ld = c->o->ld;
	struct config *cfg = c->o->cfg;
	int n;

	*val = NULL;
	if (strcmp(name, "PLUGINDIR") == 0)
		*val = cfg->plugin_dir;
	else if (strcmp(name, "VIGILPLUGINDIR") == 0)
		*val = cfg->vigil_plugin_dir;
	else if ((n = config_macro_number(name, "USER", CONFIG_NUSER)) > 0) {
		if (c->mark_users && (ld->user[n] != NULL || cfg->resource_file == NULL)) {
			/* the workers' to fill in; checked here when this
			 * process has a resource file too */
			snprintf(c->marker, sizeof(c->marker), "\x01%s:%d\x01", c->nonce, n);
			*val = c->marker;
		} else if (ld->user[n] != NULL)
			*val = ld->user[n];
		/* The resource file itself is reported: no echo per check. */
		else if (ld->resource_failed)
			*val = "";
		else if (cfg->resource_file != NULL)
			snprintf(c->why, sizeof(c->why), "macro $%s$ is not set in "
			    "the resource file %s", name, cfg->resource_file);
		else
			snprintf(c->why, sizeof(c->why), "macro $%s$ needs a "
			    "resource file (resource_file in vigil.yaml or "
			    "VIGIL_RESOURCE_FILE)", name);
	} else
		return 0;
	return 1;
}

static const char *
argv_macro_lookup(const char *name, void *vctx)
{
	struct argv_macro_ctx *c = vctx;
	struct config_loader *ld = c->o->ld;
	const char *v;
	size_t i;
	int n;

	c->why[0] = '\0';
	if (strcmp(name, "HOSTNAME") == 0)
		return c->host->name;
	if (strcmp(name, "HOSTADDRESS") == 0)
		return c->host->address;
	if (strcmp(name, "HOSTALIAS") == 0)
		return c->host->alias;
	if (argv_config_macro(c, name, &v))
		return v;
	if (strcmp(name, "SERVICEDESC") == 0) {
		if (c->service != NULL)
			return c->service;
		snprintf(c->why, sizeof(c->why), "macro $SERVICEDESC$ is not "
		    "available in a host check");
		return NULL;
	}
	if ((n = config_macro_number(name, "ARG", ARGV_ARG_MAX)) > 0) {
		if (c->in_arg) {
			snprintf(c->why, sizeof(c->why), "macro $%s$ cannot be "
			    "used inside $ARG%d$", name, c->in_arg);
			return NULL;
		}
		/* As Nagios: an argument not given is empty. */
		return (size_t)n <= c->nargs ? c->args[n - 1] : "";
	}
	if (strncmp(name, "_HOST", 5) == 0 && name[5] != '\0') {
		for (i = 0; i < c->host->nvars; i++)
			if (strcasecmp(c->host->vars[i].name, name + 5) == 0)
				return c->host->vars[i].value;
		for (i = 0; c->hdefaults != NULL && i < c->hdefaults->n; i++)
			if (strcasecmp(c->hdefaults->name[i], name + 5) == 0)
				return c->hdefaults->value[i];
		snprintf(c->why, sizeof(c->why), "unknown macro $%s$ (host %s has "
		    "no var %s in vars%s)", name, config_quote(ld, c->host->name),
		    config_quote(ld, name + 5), c->hdefaults != NULL ?
		    ", nor has the rule in defaults" : "");
		return NULL;
	}
	if (strncmp(name, "_SERVICE", 8) == 0 && name[8] != '\0') {
		if (c->service == NULL) {
			snprintf(c->why, sizeof(c->why), "macro $%s$ is not "
			    "available in a host check", name);
			return NULL;
		}
		for (i = 0; i < c->svars->n; i++)
			if (strcasecmp(c->svars->name[i], name + 8) == 0)
				return c->svars->value[i];
		snprintf(c->why, sizeof(c->why), "unknown macro $%s$ (the service "
		    "has no var %s in vars)", name, config_quote(ld, name + 8));
		return NULL;
	}
	if ((n = macro_event_id(name)) >= 0 && c->event) {
		const char *where = macro_event_scope(n, c->service == NULL);

		if (where != NULL) {
			snprintf(c->why, sizeof(c->why), "macro $%s$ is not available "
			    "in %s", name, where);
			return NULL;
		}
		snprintf(c->marker, sizeof(c->marker), "\x01%s:E%d\x01", c->nonce, n);
		return c->marker;
	}
	if (n >= 0)
		snprintf(c->why, sizeof(c->why), "macro $%s$ is not available in "
		    "check commands (an event_handler has it)", name);
	else if (macro_is_runtime(name))
		snprintf(c->why, sizeof(c->why), "macro $%s$ is not available in "
		    "check commands yet", name);
	return NULL;
}

/*
 * A notification command's macros: those of macro_is_notification() (the
 * notifier gives their values), $_CONTACTvar$ for the contact's own vars
 * and the configuration's. Only whether each has a value is asked here:
 * "" stands for the values to come.
 */
static const char *
argv_notify_lookup(const char *name, void *vctx)
{
	struct argv_macro_ctx *c = vctx;
	struct config_loader *ld = c->o->ld;
	const char *v;
	size_t i;

	c->why[0] = '\0';
	if (argv_config_macro(c, name, &v))
		return v;
	if (strncmp(name, "_CONTACT", 8) == 0 && name[8] != '\0') {
		for (i = 0; i < c->cvars->n; i++)
			if (strcasecmp(c->cvars->name[i], name + 8) == 0)
				return "";
		snprintf(c->why, sizeof(c->why), "unknown macro $%s$ (contact %s "
		    "has no var %s in vars)", name, config_quote(ld, c->contact),
		    config_quote(ld, name + 8));
		return NULL;
	}
	return macro_is_notification(name) ? "" : NULL;
}

/*
 * Expand in, which is $ARG<argi>$ (cmd NULL) or argv[argi] of cmd. On error
 * report "<object>: <which argument> <as written>: <why>" at m.
 */
static char *
argv_expand(struct argv_macro_ctx *c, const char *in, const char *prefix,
    const struct cfg_mark *m, const struct cfg_command *cmd, size_t argi)
{
	struct config_loader *ld = c->o->ld;
	char err[256], *out;

	c->why[0] = '\0';
	if (macro_expand(in, c->lookup, c, &out, err, sizeof(err)) == 0)
		return out;
	if (cmd != NULL)
		config_error(ld, m, "%scommand %s argv[%zu] %s: %s", prefix,
		    config_quote(ld, cmd->name), argi, config_quote(ld, in),
		    c->why[0] ? c->why : err);
	else
		config_error(ld, m, "%s$ARG%zu$ %s: %s", prefix, argi,
		    config_quote(ld, in), c->why[0] ? c->why : err);
	return NULL;
}

/*
 * A notification command is not expanded here (the notifier does it per
 * notification): its argv is only checked, so an unknown macro is still a
 * load-time error.
 */
void
config_argv_notify(struct config_objects *o, const struct cfg_command *cmd,
    const char *contact, const struct config_vars *vars, const char *prefix,
    const struct cfg_mark *m)
{
	struct argv_macro_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.lookup = argv_notify_lookup;
	c.contact = contact;
	c.cvars = vars;
	for (i = 0; i < cmd->argc; i++)
		free(argv_expand(&c, cmd->argv[i], prefix, m, cmd, i));
}

/* Turn the markers of s (argv[arg]) into "$USERn$" and an event
 * handler's "$NAME$", noting each place in users or macros. Returns s,
 * rewritten in place (never longer: a marker is 21 bytes at least, the
 * longest name 20 with its dollars). */
static char *
argv_unmark(const struct argv_macro_ctx *c, char *s, size_t arg, struct strbuf *users,
    struct strbuf *macros)
{
	size_t nl = strlen(c->nonce);
	char *r = s, *w = s;

	while (*r != '\0') {
		char *end, item[64];
		long n;
		int ev, len;
		struct strbuf *places;

		/* "\x01" nonce ":" ["E"] n "\x01": $USERn$, or an event
		 * handler's macro n */
		if (r[0] != '\x01' || strncmp(r + 1, c->nonce, nl) != 0 || r[1 + nl] != ':') {
			*w++ = *r++;
			continue;
		}
		ev = r[2 + nl] == 'E';
		n = strtol(r + 2 + nl + ev, &end, 10);
		if (*end != '\x01' || (ev ? macro_event_name((int)n) == NULL :
		    (n < 1 || n > CONFIG_NUSER))) {
			*w++ = *r++;
			continue;
		}
		len = ev ? snprintf(w, (size_t)(end + 1 - w), "$%s$", macro_event_name((int)n)) :
		    snprintf(w, (size_t)(end + 1 - w), "$USER%ld$", n);
		places = ev ? macros : users;
		snprintf(item, sizeof(item), "%s%zu:%zu:%ld", places->len > 0 ? ";" : "",
		    arg, (size_t)(w - s), n);
		strbuf_adds(places, item);
		w += len;
		r = end + 1;
	}
	*w = '\0';
	return s;
}

static char **
argv_build(struct config_objects *o, size_t hi, const char *service,
    const struct config_props *p, const struct config_cmdref *ref,
    const struct cfg_command *cmd, const char *prefix, const struct cfg_mark *mark,
    const struct config_vars *host_defaults, char **users, char **macros)
{
	struct config_loader *ld = o->ld;
	struct config *cfg = o->cfg;
	struct argv_macro_ctx c;
	struct strbuf places = { 0 }, mplaces = { 0 };
	char **argv, **ck_argv = NULL, *s;
	size_t i;
	int ok = 1;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.lookup = argv_macro_lookup;
	c.mark_users = 1;
	c.event = macros != NULL;
	snprintf(c.nonce, sizeof(c.nonce), "%016llx", (unsigned long long)util_random64());
	*users = NULL;
	if (macros != NULL)
		*macros = NULL;
	c.host = &cfg->hosts[hi];
	c.service = service;
	c.svars = &p->vars;
	c.hdefaults = host_defaults;
	c.args = config_arena_alloc(&ld->arena,
	    (ref->args.n + 1) * sizeof(*c.args));
	for (i = 0; i < ref->args.n; i++) {
		c.in_arg = (int)i + 1;
		if ((s = argv_expand(&c, ref->args.v[i], prefix, mark, NULL,
		    i + 1)) == NULL) {
			ok = 0;
			continue;
		}
		c.args[i] = config_arena_strdup(&ld->arena, s);
		free(s);
	}
	if (!ok)
		return NULL;
	c.nargs = ref->args.n;
	c.in_arg = 0;
	argv = xcalloc(cmd->argc + 1, sizeof(*argv));
	for (i = 0; i < cmd->argc; i++)
		if ((argv[i] = argv_expand(&c, cmd->argv[i], prefix, mark, cmd,
		    i)) == NULL)
			ok = 0;
		else
			argv_unmark(&c, argv[i], i, &places, &mplaces);
	if (ok) {
		ck_argv = config_store_strv(cfg->store, (const char *const *)argv,
		    cmd->argc);
		if (places.len > 0)
			*users = config_store_str(cfg->store, places.s);
		if (mplaces.len > 0 && macros != NULL)
			*macros = config_store_str(cfg->store, mplaces.s);
	}
	free(places.s);
	free(mplaces.s);
	for (i = 0; i < cmd->argc; i++)
		free(argv[i]);
	free(argv);
	return ck_argv;
}

char **
config_argv_check(struct config_objects *o, size_t hi, const char *service,
    const struct config_props *p, const struct cfg_command *cmd,
    const char *prefix, const struct cfg_mark *mark,
    const struct config_vars *host_defaults, char **users)
{
	return argv_build(o, hi, service, p, &p->command, cmd, prefix, mark,
	    host_defaults, users, NULL);
}

char **
config_argv_event(struct config_objects *o, size_t hi, const char *service,
    const struct config_props *p, const struct config_cmdref *ref,
    const struct cfg_command *cmd, const char *prefix, const struct cfg_mark *mark,
    const struct config_vars *host_defaults, char **users, char **macros)
{
	return argv_build(o, hi, service, p, ref, cmd, prefix, mark, host_defaults,
	    users, macros);
}
