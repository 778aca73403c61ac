/*
 * NAME
 *	perfdata - parse plugin performance data into items
 * DESCRIPTION
 *	See perfdata.h. Two passes per item: find where the item ends (the
 *	next blank outside a leading quoted label), then parse that span.
 *	Splitting first is what makes a malformed item cost only itself.
 *	Pure functions, no I/O.
 * DIAGNOSTICS
 *	None: malformed items are counted in *skipped.
 */
#include "perfdata.h"
#include "range.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A unit other than the guidelines' own (s ms us % B KB MB GB TB c): what
 * plugins write in the wild (KiB, °C, bps, req/s, µs). It starts with a
 * letter, '%' or a non-ASCII character, goes on with letters, digits, '%',
 * '/', '_', '.', '^' or non-ASCII characters, is valid UTF-8, and is not
 * what a malformed number leaves behind: "1e", "1e5x", "0x10", "U" after
 * "U". */
static int
uom_ok(const char *u, size_t n, int value_unknown)
{
	char buf[PERFDATA_UOM_MAX + 1];
	unsigned char c0 = (unsigned char)u[0];

	if (n == 0 || n > PERFDATA_UOM_MAX)
		return 0;
	if (!(isalpha(c0) || c0 == '%' || c0 >= 0xC2))
		return 0;
	if ((c0 == 'e' || c0 == 'E' || c0 == 'x' || c0 == 'X') &&
	    (n == 1 || isdigit((unsigned char)u[1]) || u[1] == '+' || u[1] == '-'))
		return 0;
	if (value_unknown && c0 == 'U')
		return 0;
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)u[i];

		if (!(isalnum(c) || c == '%' || c == '/' || c == '_' || c == '.' || c == '^' ||
		    c >= 0x80))
			return 0;
	}
	memcpy(buf, u, n);
	buf[n] = '\0';
	return util_utf8_valid(buf);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Where the item starting at p ends: the first blank, except inside a
 * quoted label opened by the item's first char; the end of s if that
 * quote never closes. */
static const char *
item_end(const char *p)
{
	if (*p == '\'') {
		for (p++; *p != '\0'; p++) {
			if (*p != '\'')
				continue;
			if (p[1] != '\'') {
				p++;
				break;
			}
			p++;	/* '' is a literal quote, stay inside */
		}
	}
	while (*p != '\0' && !is_blank(*p))
		p++;
	return p;
}

/* The label at the start of p[0..len), up to and excluding '='. Returns a
 * fresh string and sets *used to the chars consumed including '=', or
 * NULL when the label is malformed. */
static char *
parse_label(const char *p, size_t len, size_t *used)
{
	char *label;
	size_t i, k = 0;

	if (len == 0)
		return NULL;
	if (p[0] != '\'') {
		for (i = 0; i < len && p[i] != '='; i++)
			if (p[i] == '\'')
				return NULL;
		if (i == 0 || i == len)
			return NULL;
		*used = i + 1;
		return xstrndup(p, i);
	}
	/* Quoted: the unescaped label is shorter than len - 1 chars. */
	label = xmalloc(len);
	for (i = 1;; i++) {
		if (i >= len)
			goto bad;
		if (p[i] == '\'') {
			if (i + 1 < len && p[i + 1] == '\'') {
				label[k++] = '\'';
				i++;
				continue;
			}
			break;
		}
		label[k++] = p[i];
	}
	label[k] = '\0';
	i++;			/* past the closing quote */
	if (k == 0 || i >= len || p[i] != '=')
		goto bad;
	*used = i + 1;
	return label;
bad:
	free(label);
	return NULL;
}

static int
parse_value(const char *f, size_t flen, struct perfdata_item *it)
{
	size_t n, ulen;

	if (flen == 0)
		return -1;
	if (f[0] == 'U') {
		it->value_unknown = 1;
		it->value = NAN;
		n = 1;
	} else if ((n = range_scan_number(f, flen, &it->value)) == 0)
		return -1;
	ulen = flen - n;
	if (ulen == 0)
		return 0;
	if (!uom_ok(f + n, ulen, it->value_unknown))
		return -1;
	memcpy(it->uom, f + n, ulen);
	it->uom[ulen] = '\0';
	return 0;
}

/* A warn or crit field: empty is absent; otherwise a valid range, kept
 * as written. */
static int
parse_threshold(const char *f, size_t flen, int *has, char **text)
{
	struct range r;
	char *t;

	if (flen == 0)
		return 0;
	t = xstrndup(f, flen);
	if (range_parse(t, &r, NULL, 0) < 0) {
		free(t);
		return -1;
	}
	*has = 1;
	*text = t;
	return 0;
}

static int
parse_bound(const char *f, size_t flen, int *has, double *v)
{
	if (flen == 0)
		return 0;
	if (range_scan_number(f, flen, v) != flen)
		return -1;
	*has = 1;
	return 0;
}

static void
item_clear(struct perfdata_item *it)
{
	free(it->label);
	free(it->warn);
	free(it->crit);
}

/* Parse the item p[0..len) (no blanks but inside a quoted label): the
 * label, then ';'-separated value[UOM], warn, crit, min, max. */
static int
parse_item(const char *p, size_t len, struct perfdata_item *it)
{
	size_t used, pos, flen;
	const char *f, *semi;
	int field, rc = 0;

	memset(it, 0, sizeof(*it));
	if ((it->label = parse_label(p, len, &used)) == NULL)
		return -1;
	pos = used;
	for (field = 0; rc == 0; field++) {
		f = p + pos;
		semi = memchr(f, ';', len - pos);
		flen = semi != NULL ? (size_t)(semi - f) : len - pos;
		switch (field) {
		case 0:
			rc = parse_value(f, flen, it);
			break;
		case 1:
			rc = parse_threshold(f, flen, &it->has_warn, &it->warn);
			break;
		case 2:
			rc = parse_threshold(f, flen, &it->has_crit, &it->crit);
			break;
		case 3:
			rc = parse_bound(f, flen, &it->has_min, &it->min);
			break;
		case 4:
			rc = parse_bound(f, flen, &it->has_max, &it->max);
			break;
		default:
			/* Stray ';' after max: harmless when empty. */
			rc = flen == 0 ? 0 : -1;
			break;
		}
		if (semi == NULL)
			break;
		pos += flen + 1;
	}
	if (rc < 0) {
		item_clear(it);
		return -1;
	}
	return 0;
}

int
perfdata_parse(const char *s, struct perfdata_item **items, size_t *nitems,
    size_t *skipped)
{
	struct perfdata_item *arr = NULL, it;
	size_t n = 0, cap = 0, bad = 0;
	const char *p = s != NULL ? s : "", *e;

	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		e = item_end(p);
		if (parse_item(p, (size_t)(e - p), &it) < 0)
			bad++;
		else {
			xgrow((void **)&arr, &cap, n + 1, sizeof(*arr));
			arr[n++] = it;
		}
		p = e;
	}
	*items = arr;
	*nitems = n;
	if (skipped != NULL)
		*skipped = bad;
	return 0;
}

void
perfdata_free(struct perfdata_item *items, size_t n)
{
	size_t i;

	if (items == NULL)
		return;
	for (i = 0; i < n; i++)
		item_clear(&items[i]);
	free(items);
}
