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
	for (size_t i = 0; i < tp->nex; i++)
		free(tp->ex[i].day.ranges);
	free(tp->ex);
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

/* text's ranges, sorted and merged, into a fresh *vp of *np (one slot at
 * least). 0, or -1 with err. */
static int
tp_parse_ranges(const char *text, struct timeperiod_range **vp, size_t *np, char *err,
    size_t errlen)
{
	struct timeperiod_range *v;
	const char *p, *end, *a, *b;
	size_t n = 1, i, j;

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
	*vp = v;
	*np = j;
	return 0;
}

int
timeperiod_parse_day(const char *text, struct timeperiod *tp, unsigned days,
    char *err, size_t errlen)
{
	struct timeperiod_range *v;
	size_t n;

	if (tp_parse_ranges(text, &v, &n, err, errlen) < 0)
		return -1;
	for (int d = 0; d < 7; d++) {
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

/* ---- date exceptions ------------------------------------------------ */

static const char *const tp_months[] = { "january", "february", "march", "april", "may",
	"june", "july", "august", "september", "october", "november", "december" };
static const char *const tp_wdays[] = { "sunday", "monday", "tuesday", "wednesday",
	"thursday", "friday", "saturday" };

/* The index of word w (len bytes) in names, or -1. */
static int
tp_word(const char *w, size_t len, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strlen(names[i]) == len && strncasecmp(w, names[i], len) == 0)
			return i;
	return -1;
}

/* Up to max blank-separated words of s into w[] (pointers and lengths). */
static int
tp_words(const char *s, const char **w, size_t *wl, int max)
{
	int n = 0;

	while (*s != '\0') {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (n == max)
			return -1;
		w[n] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		wl[n] = (size_t)(s - w[n]);
		n++;
	}
	return n;
}

/* A day of the month as written: 1..31 or -1..-31 (from the end). */
static int
tp_mday(const char *w, size_t len, int *d)
{
	char buf[8];
	char *end;
	long v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, w, len);
	buf[len] = '\0';
	v = strtol(buf, &end, 10);
	if (*end != '\0' || v == 0 || v < -31 || v > 31)
		return -1;
	*d = (int)v;
	return 0;
}

/* "YYYY-MM-DD" into y*10000 + m*100 + d; 0 or -1. */
static int
tp_ymd(const char *w, size_t len, int *ymd)
{
	int y, m, d;

	if (len != 10 || w[4] != '-' || w[7] != '-')
		return -1;
	for (size_t i = 0; i < len; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)w[i]))
			return -1;
	y = atoi(w);
	m = (w[5] - '0') * 10 + (w[6] - '0');
	d = (w[8] - '0') * 10 + (w[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*ymd = y * 10000 + m * 100 + d;
	return 0;
}

/* One side of a range: the words of spec before or after "-". 0 or -1. */
static int
tp_spec_side(const char **w, const size_t *wl, int n, struct timeperiod_exception *x,
    int end)
{
	int a, b;

	if (n == 1 && tp_ymd(w[0], wl[0], &a) == 0) {		/* 2026-12-25 */
		if (end ? x->kind != TP_EX_DATE : 0)
			return -1;
		x->kind = TP_EX_DATE;
		(end ? &x->b : &x->a)[0] = a;
		return 0;
	}
	if (n == 2 && (a = tp_word(w[0], wl[0], tp_months, 12)) >= 0 &&
	    tp_mday(w[1], wl[1], &b) == 0) {			/* december 25 */
		if (end && x->kind != TP_EX_MONTH_DATE)
			return -1;
		x->kind = TP_EX_MONTH_DATE;
		if (end) {
			x->c = a;
			x->d = b;
		} else {
			x->a = a;
			x->b = b;
		}
		return 0;
	}
	if (n == 2 && wl[0] == 3 && strncasecmp(w[0], "day", 3) == 0 &&
	    tp_mday(w[1], wl[1], &b) == 0) {			/* day 1, day -1 */
		if (end && x->kind != TP_EX_MONTH_DAY)
			return -1;
		x->kind = TP_EX_MONTH_DAY;
		(end ? &x->b : &x->a)[0] = b;
		return 0;
	}
	if ((n == 2 || n == 3) && !end && (a = tp_word(w[0], wl[0], tp_wdays, 7)) >= 0 &&
	    tp_mday(w[1], wl[1], &b) == 0 && b >= -5 && b <= 5) {	/* thursday -1 november */
		x->kind = TP_EX_WEEKDAY;
		x->a = a;
		x->b = b;
		x->c = n == 3 ? tp_word(w[2], wl[2], tp_months, 12) : -1;
		return n == 3 && x->c < 0 ? -1 : 0;
	}
	return -1;
}

int
timeperiod_parse_exception(const char *spec, const char *text, struct timeperiod *tp,
    char *err, size_t errlen)
{
	const char *w[8];
	size_t wl[8];
	int n = tp_words(spec, w, wl, 8), dash = -1;
	struct timeperiod_exception x;

	memset(&x, 0, sizeof(x));
	for (int i = 0; i < n; i++)
		if (wl[i] == 1 && w[i][0] == '-')
			dash = i;
	if (n <= 0 || tp_spec_side(w, wl, dash >= 0 ? dash : n, &x, 0) < 0 ||
	    (dash >= 0 && tp_spec_side(w + dash + 1, wl + dash + 1, n - dash - 1, &x, 1) < 0)) {
		util_errf(err, errlen, "\"%.*s\" is not a date (expected 2026-12-25, december 25, "
		    "day 1, day -1, thursday -1 november, monday 2, or a range of one kind: "
		    "\"2026-12-24 - 2027-01-02\", \"july 1 - august 31\", \"day 1 - day 7\")",
		    TP_QUOTE_MAX, spec);
		return -1;
	}
	if (dash < 0) {		/* one day: its end is its start */
		if (x.kind == TP_EX_DATE || x.kind == TP_EX_MONTH_DAY)
			x.b = x.a;
		else if (x.kind == TP_EX_MONTH_DATE) {
			x.c = x.a;
			x.d = x.b;
		}
	}
	if (x.kind == TP_EX_DATE && x.b < x.a) {
		util_errf(err, errlen, "the dates \"%.*s\" end before they start", TP_QUOTE_MAX,
		    spec);
		return -1;
	}
	if (tp_parse_ranges(text, &x.day.ranges, &x.day.nranges, err, errlen) < 0)
		return -1;
	tp->ex = xrealloc(tp->ex, (tp->nex + 1) * sizeof(*tp->ex));
	tp->ex[tp->nex++] = x;
	return 0;
}

static int
tp_days_in_month(int year, int mon)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 1 && leap ? 29 : dim[mon];
}

/* A day of the month as written (negative from the end) for this month. */
static int
tp_resolve(int d, int year, int mon)
{
	return d > 0 ? d : tp_days_in_month(year, mon) + 1 + d;
}

/* Does exception x hold the date of tm? */
static int
tp_ex_matches(const struct timeperiod_exception *x, const struct tm *tm)
{
	int y = tm->tm_year + 1900, ymd = y * 10000 + (tm->tm_mon + 1) * 100 + tm->tm_mday;
	int dim = tp_days_in_month(y, tm->tm_mon), s, e, key;

	switch (x->kind) {
	case TP_EX_DATE:
		return ymd >= x->a && ymd <= x->b;
	case TP_EX_MONTH_DATE:
		s = x->a * 100 + tp_resolve(x->b, y, x->a);
		e = x->c * 100 + tp_resolve(x->d, y, x->c);
		key = tm->tm_mon * 100 + tm->tm_mday;
		return s <= e ? key >= s && key <= e : key >= s || key <= e;	/* over new year */
	case TP_EX_MONTH_DAY:
		s = tp_resolve(x->a, y, tm->tm_mon);
		e = tp_resolve(x->b, y, tm->tm_mon);
		return tm->tm_mday >= s && tm->tm_mday <= e;
	case TP_EX_WEEKDAY:
		if (tm->tm_wday != x->a || (x->c >= 0 && tm->tm_mon != x->c))
			return 0;
		return x->b > 0 ? (tm->tm_mday - 1) / 7 + 1 == x->b :
		    (dim - tm->tm_mday) / 7 + 1 == -x->b;
	}
	return 0;
}

/* The ranges of tm's date: its first exception's, in Nagios's order
 * (calendar dates, then month dates, month days, weekdays of a month),
 * else its weekday's. */
static const struct timeperiod_day *
tp_day(const struct timeperiod *tp, const struct tm *tm)
{
	for (int kind = TP_EX_DATE; kind <= TP_EX_WEEKDAY; kind++)
		for (size_t i = 0; i < tp->nex; i++)
			if (tp->ex[i].kind == kind && tp_ex_matches(&tp->ex[i], tm))
				return &tp->ex[i].day;
	return &tp->days[tm->tm_wday];
}

/* ---- questions ------------------------------------------------------ */

/* Inside tp at second sod of the day of tm? */
static int
tp_inside(const struct timeperiod *tp, const struct tm *tm, int sod)
{
	const struct timeperiod_day *day = tp_day(tp, tm);
	size_t i;

	for (i = 0; i < day->nranges; i++)
		if (sod >= day->ranges[i].start * 60 &&
		    sod < day->ranges[i].end * 60)
			break;
	if (i == day->nranges)
		return 0;
	for (i = 0; i < tp->nexclude; i++)
		if (tp_inside(tp->exclude[i], tm, sod))
			return 0;
	return 1;
}

/*
 * The first boundary minute after minute m on the day of tm, of tp or
 * anything it excludes; TIMEPERIOD_DAY_MINUTES (next midnight) if none.
 */
static int
tp_next_boundary(const struct timeperiod *tp, const struct tm *tm, int m)
{
	const struct timeperiod_day *day = tp_day(tp, tm);
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
		if ((b = tp_next_boundary(tp->exclude[i], tm, m)) < best)
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
	return ok && tp_inside(tp, &tm, tp_sod(&tm));
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
		if (tp_inside(tp, &tm, sod))
			return c;
		/* The next boundary on today's wall clock, at today's offset. */
		n = c - sod + (time_t)tp_next_boundary(tp, &tm, sod / 60) * 60;
		if (localtime_r(&n, &next) == NULL)
			return (time_t)-1;
		if (next.tm_gmtoff != tm.tm_gmtoff)
			n = tp_offset_switch(c, n, tm.tm_gmtoff);
		c = n;
	}
}
