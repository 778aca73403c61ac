/*
 * NAME
 *	range - Nagios threshold ranges ("10", "10:", "~:10", "10:20", "@10:20")
 * DESCRIPTION
 *	A range says which values are fine; range_alert() is true for the
 *	others. The forms, with inclusive ends:
 *
 *		10	alert if x < 0 or x > 10
 *		10:	alert if x < 10
 *		~:10	alert if x > 10 ("~" is minus infinity)
 *		10:20	alert if x < 10 or x > 20
 *		@10:20	alert if 10 <= x <= 20 ("@" inverts)
 *
 *	An empty start (":10") means 0, as the Nagios plugins read it. Numbers
 *	are decimal with an optional minus, fraction and exponent ("-1.5",
 *	".5", "2e3"); "inf", "nan" and hex are refused, as are values that
 *	overflow a double. Parsing does not depend on the C library locale:
 *	a number strtod(3) would read differently from what we scanned is
 *	refused rather than misread.
 *
 *	range_status() gives 0/1/2 (OK/WARNING/CRITICAL) for a value against
 *	optional warning and critical ranges, critical evaluated first.
 *
 *	range_scan_number() is the one number reader; perfdata.c uses it for
 *	values, min and max so both modules accept the same numbers.
 * DIAGNOSTICS
 *	range_parse() returns -1 with a message naming the text and what is
 *	wrong (empty, not a number, start greater than end). Library code:
 *	nothing is logged.
 */
#ifndef VIGIL_RANGE_H
#define VIGIL_RANGE_H

#include <stddef.h>

struct range {
	double start, end;	/* -INFINITY / INFINITY when the flag is set */
	int start_inf, end_inf;
	int inside;		/* "@": alert inside instead of outside */
};

/* Parse s (NUL-terminated, no surrounding blanks) into *r. 0 or -1. */
int range_parse(const char *s, struct range *r, char *err, size_t errlen);

/* 1 if x is outside the range (inside for "@"), else 0. NaN never alerts:
 * a value that is not a number cannot be judged (perfdata "U" is the
 * caller's to map to UNKNOWN). */
int range_alert(const struct range *r, double x);

/* 2 if crit alerts, else 1 if warn alerts, else 0. Either may be NULL. */
int range_status(const struct range *warn, const struct range *crit, double x);

/*
 * Read the longest number at the start of s[0..len) into *out and return
 * how many chars it took; 0 (and *out untouched) if s does not start with
 * a number or the number is not finite.
 */
size_t range_scan_number(const char *s, size_t len, double *out);

#endif
