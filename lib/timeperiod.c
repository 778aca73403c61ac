/*
 * NAME
 *	timeperiod - weekly time ranges with exclusions, in local time
 * DESCRIPTION
 *	See timeperiod.h. timeperiod_next_valid() walks forward from t over
 *	the only instants where "inside" can change: a range boundary of the
 *	period or of anything it excludes, local midnight, and a change of
 *	the UTC offset (DST). Boundaries are placed on the wall clock of the
 *	current offset; when the offset differs at the candidate, the exact
 *	second of the switch is found by bisection and the walk goes on from
 *	there under the new offset. So a range start inside the hour that a
 *	spring switch skips is met at the switch (03:00 for 02:30), and one
 *	inside the hour an autumn switch repeats is met twice.
 * DIAGNOSTICS
 *	timeperiod_parse_day(): -1 with a message in err. Nothing else fails
 *	but localtime_r(3) on absurd times, taken as "not inside" / "never".
 */
#include "timeperiod.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define TP_QUOTE_MAX	40	/* bytes of a range quoted in a message */

struct timeperiod *
timeperiod_new(void)
{
	return xcalloc(1, sizeof(struct timeperiod));
}

void
timeperiod_free(struct timeperiod *tp)
{
	int d;

	if (tp == NULL)
		return;
	for (d = 0; d < 7; d++)
		free(tp->days[d].ranges);
	free(tp->exclude);
	free(tp);
}

void
timeperiod_exclude(struct timeperiod *tp, const struct timeperiod *other)
{
	tp->exclude = xrealloc(tp->exclude,
	    (tp->nexclude + 1) * sizeof(*tp->exclude));
	tp->exclude[tp->nexclude++] = other;
}

/* ---- parsing -------------------------------------------------------- */

/* "H:MM" or "HH:MM" at *pp into hours and minutes; 0 and *pp moved, or -1. */
static int
tp_clock(const char **pp, int *h, int *m)
{
	const char *p = *pp;
	int n;

	/* at most two digits taken: "99999999999:00" must not overflow *h */
	for (*h = 0, n = 0; isdigit((unsigned char)*p) && n < 3; p++, n++)
		*h = *h * 10 + (*p - '0');
	if (n < 1 || n > 2 || *p++ != ':')
		return -1;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return -1;
	*m = (p[0] - '0') * 10 + (p[1] - '0');
	*pp = p + 2;
	return 0;
}

/* One "HH:MM-HH:MM" of len bytes at s into r. 0 or -1 with err. */
static int
tp_range(const char *s, size_t len, struct timeperiod_range *r, char *err,
    size_t errlen)
{
	int q = len > TP_QUOTE_MAX ? TP_QUOTE_MAX : (int)len;
	const char *p = s, *more = len > TP_QUOTE_MAX ? "..." : "";
	int h1, m1, h2, m2;

	if (tp_clock(&p, &h1, &m1) < 0 || *p++ != '-' ||
	    tp_clock(&p, &h2, &m2) < 0 || p != s + len) {
		util_errf(err, errlen, "\"%.*s%s\" is not a range (expected "
		    "HH:MM-HH:MM, e.g. 09:00-17:00)", q, s, more);
		return -1;
	}
	if (h1 > 24 || m1 > 59 || (h1 == 24 && m1 > 0)) {
		util_errf(err, errlen, "\"%.*s%s\": %02d:%02d is not a time of "
		    "day (expected 00:00 to 24:00)", q, s, more, h1, m1);
		return -1;
	}
	if (h2 > 24 || m2 > 59 || (h2 == 24 && m2 > 0)) {
		util_errf(err, errlen, "\"%.*s%s\": %02d:%02d is not a time of "
		    "day (expected 00:00 to 24:00)", q, s, more, h2, m2);
		return -1;
	}
	r->start = h1 * 60 + m1;
	r->end = h2 * 60 + m2;
	if (r->start == TIMEPERIOD_DAY_MINUTES) {
		util_errf(err, errlen, "\"%.*s%s\": a range cannot start at "
		    "24:00 (24:00 only ends one)", q, s, more);
		return -1;
	}
	if (r->end == r->start) {
		util_errf(err, errlen, "\"%.*s%s\" is empty (it ends where it "
		    "starts)", q, s, more);
		return -1;
	}
	if (r->end < r->start) {
		util_errf(err, errlen, "\"%.*s%s\" ends before it starts (a "
		    "range cannot cross midnight: write %02d:%02d-24:00 on this "
		    "day and 00:00-%02d:%02d on the next)", q, s, more, h1, m1,
		    h2, m2);
		return -1;
	}
	return 0;
}

static int
tp_range_cmp(const void *a, const void *b)
{
	const struct timeperiod_range *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

int
timeperiod_parse_day(const char *text, struct timeperiod *tp, unsigned days,
    char *err, size_t errlen)
{
	struct timeperiod_range *v;
	const char *p, *end, *a, *b;
	size_t n = 1, i, j;
	int d;

	for (a = text; *a != '\0'; a++)
		if (*a == ',')
			n++;
	v = xcalloc(n, sizeof(*v));
	n = 0;
	for (a = text; *a == ' ' || *a == '\t'; a++)
		;
	/* Blank text: no time on these days. Else no range may be blank. */
	for (p = *a != '\0' ? text : NULL; p != NULL;
	    p = *end != '\0' ? end + 1 : NULL) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		for (a = p; a < end && (*a == ' ' || *a == '\t'); a++)
			;
		for (b = end; b > a && (b[-1] == ' ' || b[-1] == '\t'); b--)
			;
		if (a == b) {
			util_errf(err, errlen, "an empty range next to a comma "
			    "(expected HH:MM-HH:MM ranges separated by commas)");
			free(v);
			return -1;
		}
		if (tp_range(a, (size_t)(b - a), &v[n++], err, errlen) < 0) {
			free(v);
			return -1;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), tp_range_cmp);
	/* Merge overlapping and touching ranges: boundaries stay changes. */
	for (i = 0, j = 0; i < n; i++) {
		if (j > 0 && v[i].start <= v[j - 1].end) {
			if (v[i].end > v[j - 1].end)
				v[j - 1].end = v[i].end;
		} else
			v[j++] = v[i];
	}
	n = j;
	for (d = 0; d < 7; d++) {
		if (!(days & (1u << d)))
			continue;
		free(tp->days[d].ranges);
		tp->days[d].ranges = xcalloc(n ? n : 1, sizeof(*v));
		memcpy(tp->days[d].ranges, v, n * sizeof(*v));
		tp->days[d].nranges = n;
	}
	free(v);
	return 0;
}

/* ---- questions ------------------------------------------------------ */

/* Inside tp at second sod of a day that is weekday wday? */
static int
tp_inside(const struct timeperiod *tp, int wday, int sod)
{
	const struct timeperiod_day *day = &tp->days[wday];
	size_t i;

	for (i = 0; i < day->nranges; i++)
		if (sod >= day->ranges[i].start * 60 &&
		    sod < day->ranges[i].end * 60)
			break;
	if (i == day->nranges)
		return 0;
	for (i = 0; i < tp->nexclude; i++)
		if (tp_inside(tp->exclude[i], wday, sod))
			return 0;
	return 1;
}

/*
 * The first boundary minute after minute m on weekday wday, of tp or
 * anything it excludes; TIMEPERIOD_DAY_MINUTES (next midnight) if none.
 */
static int
tp_next_boundary(const struct timeperiod *tp, int wday, int m)
{
	const struct timeperiod_day *day = &tp->days[wday];
	int best = TIMEPERIOD_DAY_MINUTES, b;
	size_t i;

	for (i = 0; i < day->nranges; i++) {
		if (day->ranges[i].end <= m)
			continue;
		b = day->ranges[i].start > m ? day->ranges[i].start :
		    day->ranges[i].end;
		if (b < best)
			best = b;
		break;
	}
	for (i = 0; i < tp->nexclude; i++)
		if ((b = tp_next_boundary(tp->exclude[i], wday, m)) < best)
			best = b;
	return best;
}

static int
tp_sod(const struct tm *tm)
{
	return tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
}

int
timeperiod_contains(const struct timeperiod *tp, time_t t, const char *tz)
{
	struct tm tm;
	char *old = NULL;
	int ok;

	if (tz != NULL) {
		/* localtime_r only knows TZ: switch it for this call. */
		if (getenv("TZ") != NULL)
			old = xstrdup(getenv("TZ"));
		setenv("TZ", tz, 1);
		tzset();
	}
	ok = localtime_r(&t, &tm) != NULL;
	if (tz != NULL) {
		if (old != NULL)
			setenv("TZ", old, 1);
		else
			unsetenv("TZ");
		tzset();
		free(old);
	}
	return ok && tp_inside(tp, tm.tm_wday, tp_sod(&tm));
}

/* The first second in (lo, hi] whose UTC offset is not off (hi's isn't). */
static time_t
tp_offset_switch(time_t lo, time_t hi, long off)
{
	struct tm tm;
	time_t mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (localtime_r(&mid, &tm) != NULL && tm.tm_gmtoff == off)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

time_t
timeperiod_next_valid(const struct timeperiod *tp, time_t t)
{
	const time_t horizon = (time_t)TIMEPERIOD_SEARCH_DAYS * 86400;
	struct tm tm, next;
	time_t c = t, n;
	int sod;

	for (;;) {
		if (c - t >= horizon || localtime_r(&c, &tm) == NULL)
			return (time_t)-1;
		sod = tp_sod(&tm);
		if (tp_inside(tp, tm.tm_wday, sod))
			return c;
		/* The next boundary on today's wall clock, at today's offset. */
		n = c - sod + (time_t)tp_next_boundary(tp, tm.tm_wday,
		    sod / 60) * 60;
		if (localtime_r(&n, &next) == NULL)
			return (time_t)-1;
		if (next.tm_gmtoff != tm.tm_gmtoff)
			n = tp_offset_switch(c, n, tm.tm_gmtoff);
		c = n;
	}
}
