/*
 * NAME
 *	fuzz_text - what plugins and admins write as text: plugin output
 *	split into output, long output and perfdata, each perfdata item and
 *	its warn/crit ranges (lib/result.c, perfdata.c, range.c), and
 *	timeperiod days (lib/timeperiod.c)
 */
#include "fuzz.h"
#include "perfdata.h"
#include "range.h"
#include "result.h"
#include "timeperiod.h"

#include <stdlib.h>
#include <string.h>

char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 6
FUZZ_TARGET(output)
{
	char *text = fuzz_text(data, size), err[256];
	struct result_text rt;
	struct perfdata_item *items;
	size_t n, skipped;

	result_split(text, &rt);
	perfdata_parse(rt.perfdata, &items, &n, &skipped);
	for (size_t i = 0; i < n; i++) {
		struct range w, c;
		int hw = items[i].warn != NULL && range_parse(items[i].warn, &w, err, sizeof(err)) == 0;
		int hc = items[i].crit != NULL && range_parse(items[i].crit, &c, err, sizeof(err)) == 0;

		if (!items[i].value_unknown)
			(void)range_status(hw ? &w : NULL, hc ? &c : NULL, items[i].value);
	}
	perfdata_free(items, n);
	result_text_clear(&rt);
	free(text);
	return 0;
}
#endif

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 7
FUZZ_TARGET(timeperiod)
{
	char *text = fuzz_text(data, size), err[512], *bar;
	struct timeperiod *tp = timeperiod_new();

	/* "DAYS" or "DATE|RANGES": a day's text, or a date exception's */
	if ((bar = strchr(text, '|')) != NULL) {
		*bar = '\0';
		(void)timeperiod_parse_exception(text, bar + 1, tp, err, sizeof(err));
		(void)timeperiod_parse_day("09:00-17:00", tp, TIMEPERIOD_EVERY_DAY, err, sizeof(err));
	} else
		(void)timeperiod_parse_day(text, tp, TIMEPERIOD_EVERY_DAY, err, sizeof(err));
	(void)timeperiod_contains(tp, 1732190000, NULL);
	(void)timeperiod_contains(tp, 1709164800, NULL);	/* 2024-02-29 */
	(void)timeperiod_next_valid(tp, 1732190000);
	timeperiod_free(tp);
	free(text);
	return 0;
}
#endif
