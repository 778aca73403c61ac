/*
 * NAME
 *	jsonw - write JSON values as text straight into a strbuf
 * DESCRIPTION
 *	See jsonw.h. The C locale's decimal point is assumed, as everywhere
 *	in vigil (nothing calls setlocale()).
 * DIAGNOSTICS
 *	None.
 */
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
jsonw_string(struct strbuf *b, const char *s)
{
	const char *run;

	if (s == NULL) {
		strbuf_add(b, "null", 4);
		return;
	}
	strbuf_add(b, "\"", 1);
	for (run = s; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		char esc[8];

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		strbuf_add(b, run, (size_t)(s - run));
		run = s + 1;
		switch (ch) {
		case '"':
			strbuf_add(b, "\\\"", 2);
			break;
		case '\\':
			strbuf_add(b, "\\\\", 2);
			break;
		case '\b':
			strbuf_add(b, "\\b", 2);
			break;
		case '\f':
			strbuf_add(b, "\\f", 2);
			break;
		case '\n':
			strbuf_add(b, "\\n", 2);
			break;
		case '\r':
			strbuf_add(b, "\\r", 2);
			break;
		case '\t':
			strbuf_add(b, "\\t", 2);
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", ch);
			strbuf_add(b, esc, 6);
		}
	}
	strbuf_add(b, run, (size_t)(s - run));
	strbuf_add(b, "\"", 1);
}

void
jsonw_int(struct strbuf *b, long long v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%lld", v);

	strbuf_add(b, buf, (size_t)n);
}

int
jsonw_shortest(char *buf, size_t len, double v)
{
	int n = 0;

	/* 15 digits are exact for most values people read (0.1, 12.5); 17
	 * always are: the fewest that give v back */
	for (int digits = 15; digits <= 17; digits++) {
		n = snprintf(buf, len, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return n;
}

void
jsonw_real(struct strbuf *b, double v)
{
	char buf[40], *e;
	int n;

	if (!isfinite(v)) {
		strbuf_add(b, "null", 4);
		return;
	}
	n = jsonw_shortest(buf, sizeof(buf), v);
	e = strchr(buf, 'e');
	if (e == NULL) {
		strbuf_add(b, buf, (size_t)n);
		if (strchr(buf, '.') == NULL)
			strbuf_add(b, ".0", 2);
		return;
	}
	/* As jansson: "1e+300" is "1e300", "1e-07" is "1e-7". */
	strbuf_add(b, buf, (size_t)(e - buf) + 1);
	e++;
	if (*e == '+')
		e++;
	else if (*e == '-')
		strbuf_add(b, e++, 1);
	while (*e == '0' && e[1] != '\0')
		e++;
	strbuf_adds(b, e);
}

void
jsonw_bool(struct strbuf *b, int v)
{
	if (v)
		strbuf_add(b, "true", 4);
	else
		strbuf_add(b, "false", 5);
}
