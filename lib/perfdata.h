/*
 * NAME
 *	perfdata - parse plugin performance data into items
 * DESCRIPTION
 *	perfdata_parse() reads the perfdata text of a result (what follows
 *	'|', pieces joined by single spaces: see result_split()) as
 *
 *		'label'=value[UOM];[warn];[crit];[min];[max]
 *
 *	items separated by blanks (spaces, tabs, newlines; any run of them).
 *
 *	label	Quoted with single quotes when it has blanks or '=';
 *		inside quotes '' is one literal quote. An unquoted label
 *		ends at '=' and may not contain blanks or quotes. Quotes
 *		only mean something at the start of an item. A label may
 *		not be empty.
 *	value	A decimal number with an optional minus, fraction and
 *		exponent ("1e3", "1.5E-3": printf's %g and Perl emit them,
 *		the guidelines' [-0-9.] is a subset), or "U" for "could not
 *		be determined" (value_unknown set, value NaN).
 *	UOM	Nothing, one of the guidelines' s ms us % B KB MB GB TB c,
 *		or any unit a plugin writes (KiB, °C, bps, req/s): up to
 *		PERFDATA_UOM_MAX bytes of valid UTF-8 starting with a
 *		letter, '%' or a non-ASCII character, then letters, digits,
 *		'%', '/', '_', '.', '^' or non-ASCII characters; kept as
 *		written. What a malformed number leaves ("1e", "0x10", "1.2.3",
 *		"1,5") makes the item malformed.
 *	warn, crit
 *		Threshold ranges (range.h), kept as written; a text
 *		range_parse() refuses makes the item malformed.
 *	min, max
 *		Plain numbers, no unit.
 *
 *	Trailing empty fields may be dropped ("a=1", "a=1;;") and empty
 *	fields after max are tolerated ("load1=0.8;5;10;0;;" and the like
 *	are harmless); a sixth field with something in it is malformed.
 *
 *	A malformed item is skipped and counted, never fatal: parsing goes
 *	on at the next blank outside quotes. A quote that opens a label and
 *	never closes makes the rest of the text one malformed item, since
 *	we cannot know where that label was meant to end.
 * DIAGNOSTICS
 *	None: every input gives a (possibly empty) list of items and a
 *	count of skipped ones. Library code: nothing is logged; the caller
 *	decides whether skipped items are worth a warning.
 */
#ifndef VIGIL_PERFDATA_H
#define VIGIL_PERFDATA_H

#include <stddef.h>

#define PERFDATA_UOM_MAX 31	/* bytes of a unit */

struct perfdata_item {
	char *label;		/* unquoted, '' undone */
	double value;		/* NaN when value_unknown */
	int value_unknown;	/* value was "U" */
	char uom[PERFDATA_UOM_MAX + 1];	/* "" or the unit as written */
	int has_warn, has_crit, has_min, has_max;
	char *warn, *crit;	/* range text as written, NULL if empty */
	double min, max;	/* 0 unless has_min / has_max */
};

/*
 * Parse s (NULL reads as "") into a fresh array *items of *nitems items
 * (NULL and 0 when there are none); *skipped (may be NULL) gets the number
 * of malformed items. Always returns 0: malformed input is counted, not
 * an error. The caller frees with perfdata_free(*items, *nitems).
 */
int perfdata_parse(const char *s, struct perfdata_item **items, size_t *nitems,
    size_t *skipped);

/* Free items[0..n) and the array; perfdata_free(NULL, 0) is a no-op. */
void perfdata_free(struct perfdata_item *items, size_t n);

#endif
