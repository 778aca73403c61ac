/*
 * NAME
 *	macro - Nagios macro expansion, one argument at a time
 * DESCRIPTION
 *	macro_expand() replaces every $NAME$ in one argument with the value
 *	the lookup callback gives; "$$" is a literal "$". The result is one
 *	argument whatever the values contain (no shell ever sees it), so a
 *	host address like "a;b $(rm -rf /)" stays one literal argv element.
 * DIAGNOSTICS
 *	An unknown macro or an unterminated "$" returns -1 with a message in
 *	err naming the macro. Library code: nothing is logged.
 */
#ifndef VIGIL_MACRO_H
#define VIGIL_MACRO_H

#include <stddef.h>

/* Return the value of macro name (without the dollars) or NULL if unknown. */
typedef const char *(*macro_lookup_fn)(const char *name, void *ctx);

/* Expand in into a fresh string *out (caller frees). 0 or -1. */
int macro_expand(const char *in, macro_lookup_fn lookup, void *ctx,
    char **out, char *err, size_t errlen);

/*
 * 1 if name (without the dollars) is a macro that only has a value once a
 * check has run or a notification is sent ($HOSTSTATE$, $SERVICEOUTPUT$,
 * $NOTIFICATIONTYPE$, $TIMET$ ...), else 0.
 */
int macro_is_runtime(const char *name);

/*
 * 1 if name is a macro a notification has a value for (message templates
 * and notification commands): $NOTIFICATIONTYPE$, $HOSTNAME$,
 * $SERVICEOUTPUT$, $CONTACTEMAIL$, $_CONTACTvar$, $ACKCOMMAND$ … (the
 * list is macro.c's). $USERn$ and $PLUGINDIR$ are not in it: they come
 * from the configuration, as for checks.
 */
int macro_is_notification(const char *name);

/* That list ($_CONTACTvar$ aside): *n names, for those who must give each
 * a value (vigil-notifier's NAGIOS_* environment). */
const char *const *macro_notification_names(size_t *n);

/*
 * The runtime macros an event handler's command may hold (the engine
 * fills them in when it runs the handler, eventh.h): the check's state
 * after the result that ran it, and its host's.
 */
enum macro_event {
	MACRO_EV_SERVICESTATE,
	MACRO_EV_SERVICESTATEID,
	MACRO_EV_SERVICESTATETYPE,
	MACRO_EV_SERVICEATTEMPT,
	MACRO_EV_MAXSERVICEATTEMPTS,
	MACRO_EV_SERVICEOUTPUT,
	MACRO_EV_LASTSERVICESTATE,
	MACRO_EV_LASTSERVICESTATEID,
	MACRO_EV_HOSTSTATE,
	MACRO_EV_HOSTSTATEID,
	MACRO_EV_HOSTSTATETYPE,
	MACRO_EV_HOSTATTEMPT,
	MACRO_EV_MAXHOSTATTEMPTS,
	MACRO_EV_HOSTOUTPUT,
	MACRO_EV_LASTHOSTSTATE,
	MACRO_EV_LASTHOSTSTATEID,
	MACRO_EV_TIMET,
	MACRO_EV_N
};

/* The id of an event handler's macro name, or -1. */
int macro_event_id(const char *name);
/* Its name ("SERVICESTATE"), NULL for any other id. */
const char *macro_event_name(int id);
/* NULL if macro id has a value in the handler of a host check
 * (is_host) or of a service; else where it has one ("a service's event
 * handler", "a host's event handler (only in a host's)" ...), for the
 * error. */
const char *macro_event_scope(int id, int is_host);

#endif
