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
static const char *const macro_runtime[] = {
	"HOSTSTATE", "SERVICESTATE",
	"HOSTOUTPUT", "SERVICEOUTPUT",
	"LONGHOSTOUTPUT", "LONGSERVICEOUTPUT",
	"LASTHOSTSTATECHANGE", "LASTSERVICESTATECHANGE",
	"NOTIFICATIONTYPE",
	"CONTACTNAME", "CONTACTEMAIL",
	"TIMET", "LONGDATETIME",
};

int
macro_is_runtime(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(macro_runtime) / sizeof(macro_runtime[0]); i++)
		if (strcmp(name, macro_runtime[i]) == 0)
			return 1;
	return 0;
}
