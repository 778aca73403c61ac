/*
 * NAME
 *	macro - Nagios macro expansion, one argument at a time
 * DESCRIPTION
 *	macro_expand() walks one argument left to right. "$$" is a literal
 *	"$"; "$NAME$" is replaced by what the lookup callback returns for
 *	NAME. A value is copied into the result as it is and never scanned
 *	again, so a host address holding "$(rm -rf /)" or "$USER1$" stays
 *	exactly that text, in exactly one argument.
 *
 *	macro_is_runtime() knows the macros that only have a value when a
 *	check has run or a notification goes out (SEMANTICS.md "Macros"),
 *	so callers can tell "not here" from "no such macro".
 * DIAGNOSTICS
 *	-1 with a message in err: "unknown macro $NAME$" when the callback
 *	returns NULL, "unterminated macro at \"$REST\"" for a "$" with no
 *	closing "$". Library code: nothing is logged.
 */
#include "macro.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How much of the text after a stray "$" an error quotes. */
#define MACRO_QUOTE_MAX	32


int
macro_expand(const char *in, macro_lookup_fn lookup, void *ctx,
    char **out, char *err, size_t errlen)
{
	struct strbuf b = { NULL, 0, 0 };
	const char *p = in, *d, *end, *val;
	size_t rest;
	char *name;

	*out = NULL;
	strbuf_add(&b, "", 0);
	while ((d = strchr(p, '$')) != NULL) {
		strbuf_add(&b, p, (size_t)(d - p));
		if (d[1] == '$') {
			strbuf_add(&b, "$", 1);
			p = d + 2;
			continue;
		}
		end = strchr(d + 1, '$');
		if (end == NULL) {
			/* Quote only the start: the rest may be long. */
			rest = strcspn(d, "\n\r\t");
			if (rest > MACRO_QUOTE_MAX)
				util_errf(err, errlen,
				    "unterminated macro at \"%.*s...\"",
				    MACRO_QUOTE_MAX, d);
			else
				util_errf(err, errlen,
				    "unterminated macro at \"%.*s\"",
				    (int)rest, d);
			free(b.s);
			return -1;
		}
		name = xstrndup(d + 1, (size_t)(end - d - 1));
		val = lookup(name, ctx);
		if (val == NULL) {
			util_errf(err, errlen, "unknown macro $%s$", name);
			free(name);
			free(b.s);
			return -1;
		}
		strbuf_add(&b, val, strlen(val));
		free(name);
		p = end + 1;
	}
	strbuf_add(&b, p, strlen(p));
	*out = b.s;
	return 0;
}

/*
 * Macros with a value only once a check has a result or a notification is
 * being sent. Host and service twins are both listed.
 */
/* What a notification knows (msg.h notification_msg); also the runtime
 * macros a check command cannot have. */
static const char *const macro_notification[] = {
	"NOTIFICATIONTYPE", "NOTIFICATIONNUMBER", "NOTIFICATIONID",
	"NOTIFICATIONAUTHOR", "NOTIFICATIONCOMMENT", "NOTIFICATIONESCALATED",
	"NOTIFICATIONCHANNEL", "NOTIFICATIONITEMS",
	"HOSTNAME", "HOSTALIAS", "HOSTADDRESS",
	"HOSTSTATE", "HOSTOUTPUT", "LONGHOSTOUTPUT", "HOSTPERFDATA",
	"HOSTSTATETYPE", "HOSTATTEMPT", "LASTHOSTSTATE", "LASTHOSTSTATECHANGE",
	"SERVICEDESC", "SERVICESTATE", "SERVICEOUTPUT", "LONGSERVICEOUTPUT",
	"SERVICEPERFDATA", "SERVICESTATETYPE", "SERVICEATTEMPT",
	"LASTSERVICESTATE", "LASTSERVICESTATECHANGE",
	"CONTACTNAME", "CONTACTALIAS", "CONTACTEMAIL", "CONTACTSLACK",
	"CONTACTWEBHOOK",
	"LONGDATETIME", "SHORTDATETIME", "DATE", "TIME", "TIMET",
	"ACKCOMMAND", "ACKURL",
};

/* Of those, the ones a check command's argv has a value for at load. */
static const char *const macro_static[] = {
	"HOSTNAME", "HOSTALIAS", "HOSTADDRESS", "SERVICEDESC",
};

static int
macro_in(const char *name, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, v[i]) == 0)
			return 1;
	return 0;
}

int
macro_is_runtime(const char *name)
{
	return macro_is_notification(name) &&
	    !macro_in(name, macro_static, sizeof(macro_static) / sizeof(macro_static[0]));
}

int
macro_is_notification(const char *name)
{
	if (strncmp(name, "_CONTACT", 8) == 0 && name[8] != '\0')
		return 1;
	return macro_in(name, macro_notification,
	    sizeof(macro_notification) / sizeof(macro_notification[0]));
}

const char *const *
macro_notification_names(size_t *n)
{
	*n = sizeof(macro_notification) / sizeof(macro_notification[0]);
	return macro_notification;
}

/* In enum macro_event's order. */
static const char *const macro_event[MACRO_EV_N] = {
	[MACRO_EV_SERVICESTATE] = "SERVICESTATE",
	[MACRO_EV_SERVICESTATEID] = "SERVICESTATEID",
	[MACRO_EV_SERVICESTATETYPE] = "SERVICESTATETYPE",
	[MACRO_EV_SERVICEATTEMPT] = "SERVICEATTEMPT",
	[MACRO_EV_MAXSERVICEATTEMPTS] = "MAXSERVICEATTEMPTS",
	[MACRO_EV_SERVICEOUTPUT] = "SERVICEOUTPUT",
	[MACRO_EV_LASTSERVICESTATE] = "LASTSERVICESTATE",
	[MACRO_EV_LASTSERVICESTATEID] = "LASTSERVICESTATEID",
	[MACRO_EV_HOSTSTATE] = "HOSTSTATE",
	[MACRO_EV_HOSTSTATEID] = "HOSTSTATEID",
	[MACRO_EV_HOSTSTATETYPE] = "HOSTSTATETYPE",
	[MACRO_EV_HOSTATTEMPT] = "HOSTATTEMPT",
	[MACRO_EV_MAXHOSTATTEMPTS] = "MAXHOSTATTEMPTS",
	[MACRO_EV_HOSTOUTPUT] = "HOSTOUTPUT",
	[MACRO_EV_LASTHOSTSTATE] = "LASTHOSTSTATE",
	[MACRO_EV_LASTHOSTSTATEID] = "LASTHOSTSTATEID",
	[MACRO_EV_TIMET] = "TIMET",
};

int
macro_event_id(const char *name)
{
	for (int i = 0; i < MACRO_EV_N; i++)
		if (strcmp(name, macro_event[i]) == 0)
			return i;
	return -1;
}

const char *
macro_event_name(int id)
{
	return id >= 0 && id < MACRO_EV_N ? macro_event[id] : NULL;
}

const char *
macro_event_scope(int id, int is_host)
{
	/* the service's own: a host check has none */
	if (id <= MACRO_EV_LASTSERVICESTATEID)
		return is_host ? "a host's event handler" : NULL;
	/* the host's last state is known to its own handler only (a
	 * service's sees the host's state now) */
	if (id == MACRO_EV_LASTHOSTSTATE || id == MACRO_EV_LASTHOSTSTATEID)
		return is_host ? NULL : "a service's event handler (only in a host's)";
	return NULL;
}
