/*
 * NAME
 *	range - Nagios threshold ranges
 * DESCRIPTION
 *	See range.h. Pure functions, no I/O.
 * DIAGNOSTICS
 *	range_parse() fills err and returns -1; nothing else can fail.
 */
#include "range.h"
#include "util.h"
#include "xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Longest error message input we quote: the text may be any plugin junk. */
#define RANGE_ERR_QUOTE 64

static int
is_digit(char c)
{
	/* Not isdigit(3): that one follows the locale and wants unsigned char. */
	return c >= '0' && c <= '9';
}

size_t
range_scan_number(const char *s, size_t len, double *out)
{
	char small[64], *buf, *end;
	size_t i = 0, digits = 0;
	double v;

	if (i < len && s[i] == '-')
		i++;
	while (i < len && is_digit(s[i]))
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && is_digit(s[i]))
			i++, digits++;
	}
	if (digits == 0)
		return 0;
	/* An exponent only counts when digits follow: "5e" is 5 and a unit
	 * "e" (which the perfdata parser then refuses), not a broken number. */
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;

		if (j < len && (s[j] == '-' || s[j] == '+'))
			j++;
		if (j < len && is_digit(s[j])) {
			while (j < len && is_digit(s[j]))
				j++;
			i = j;
		}
	}

	/* strtod(3) needs a terminated copy: what follows s[i] in the caller's
	 * string could extend the number ("0" then "x1" would read as hex). */
	buf = i < sizeof(small) ? small : xmalloc(i + 1);
	memcpy(buf, s, i);
	buf[i] = '\0';
	v = strtod(buf, &end);
	/* Under a locale whose decimal point is not '.', strtod stops early:
	 * refuse the number rather than read "0.5" as 0. */
	if (end != buf + i || !isfinite(v))
		i = 0;
	if (buf != small)
		free(buf);
	if (i > 0)
		*out = v;
	return i;
}

/* Parse exactly s[0..len) as a number. 0 or -1. */
static int
range_number(const char *s, size_t len, double *out)
{
	return len > 0 && range_scan_number(s, len, out) == len ? 0 : -1;
}

int
range_parse(const char *s, struct range *r, char *err, size_t errlen)
{
	const char *p, *colon, *e;
	struct range n = { 0 };

	if (s == NULL || *s == '\0') {
		util_errf(err, errlen, "empty threshold range");
		return -1;
	}
	p = s;
	if (*p == '@') {
		n.inside = 1;
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) {
		/* "10" is "0:10". */
		if (range_number(p, strlen(p), &n.end) < 0)
			goto not_a_number;
	} else {
		if (colon == p && colon[1] == '\0') {
			util_errf(err, errlen, "threshold range \"%.*s\": neither start nor end given",
			    RANGE_ERR_QUOTE, s);
			return -1;
		}
		if (colon - p == 1 && *p == '~')
			n.start_inf = 1;
		else if (colon > p && range_number(p, (size_t)(colon - p), &n.start) < 0)
			goto not_a_number;
		e = colon + 1;
		if (*e == '\0')
			n.end_inf = 1;
		else if (range_number(e, strlen(e), &n.end) < 0)
			goto not_a_number;
	}
	if (!n.start_inf && !n.end_inf && n.start > n.end) {
		util_errf(err, errlen, "threshold range \"%.*s\": start %g is greater than end %g",
		    RANGE_ERR_QUOTE, s, n.start, n.end);
		return -1;
	}
	if (n.start_inf)
		n.start = -INFINITY;
	if (n.end_inf)
		n.end = INFINITY;
	*r = n;
	return 0;

not_a_number:
	util_errf(err, errlen, "threshold range \"%.*s\": expected N, N:, ~:N, N:M or @N:M "
	    "with decimal numbers", RANGE_ERR_QUOTE, s);
	return -1;
}

int
range_alert(const struct range *r, double x)
{
	int outside;

	if (isnan(x))
		return 0;
	outside = (!r->start_inf && x < r->start) || (!r->end_inf && x > r->end);
	return r->inside ? !outside : outside;
}

int
range_status(const struct range *warn, const struct range *crit, double x)
{
	if (crit != NULL && range_alert(crit, x))
		return 2;
	if (warn != NULL && range_alert(warn, x))
		return 1;
	return 0;
}
