/*
 * NAME
 *	check_timeperiod - unit tests for timeperiods (lib/timeperiod.c)
 * DESCRIPTION
 *	Tables of day texts and the ranges (or the exact error) they give;
 *	of periods and instants and whether each is inside (start inclusive,
 *	end exclusive, 24:00, exclusions); of periods and instants and the
 *	next valid second, across midnight, weekends, weeks and the two
 *	Europe/Berlin DST switches of 2024. A period is written as
 *	"mon-fri=09:00-17:00|sat=10:00-12:00" and applied left to right;
 *	local instants as "2024-01-15 09:00:00" (2024-01-15 is a Monday),
 *	UTC ones with a trailing "Z".
 * DIAGNOSTICS
 *	Exit status 0 when every test passes; a failing case prints its
 *	period, its instant and what came out.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timeperiod.h"
#include "xalloc.h"
#include "tests/testutil.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- helpers ---------------------------------------------------------- */

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void
utc_setup(void)
{
	set_tz("UTC");
}

static void
berlin_setup(void)
{
	set_tz("Europe/Berlin");
}

/* Days mask of "all", "sun" .. "sat" or "mon-fri". */
static unsigned
days_of(const char *key)
{
	static const char *const names[] = {
		"sun", "mon", "tue", "wed", "thu", "fri", "sat",
	};
	int d;

	if (strcmp(key, "all") == 0)
		return TIMEPERIOD_EVERY_DAY;
	if (strcmp(key, "mon-fri") == 0)
		return 0x3e;
	for (d = 0; d < 7; d++)
		if (strcmp(key, names[d]) == 0)
			return 1u << d;
	ck_abort_msg("bad day key in test: %s", key);
	return 0;
}

/* A period from "days=text|days=text"; NULL or "" is no time at all. */
static struct timeperiod *
period(const char *spec)
{
	struct timeperiod *tp = timeperiod_new();
	char *copy, *item, *save = NULL, *eq, err[256];

	if (spec == NULL)
		return tp;
	copy = xstrdup(spec);
	for (item = strtok_r(copy, "|", &save); item != NULL;
	    item = strtok_r(NULL, "|", &save)) {
		eq = strchr(item, '=');
		ck_assert_msg(eq != NULL, "bad spec in test: %s", spec);
		*eq = '\0';
		ck_assert_msg(timeperiod_parse_day(eq + 1, tp, days_of(item), err,
		    sizeof(err)) == 0, "%s: %s", spec, err);
	}
	free(copy);
	return tp;
}

/* "2024-01-15 09:00:00" in local time, or with a trailing Z in UTC. */
static time_t
at(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	ck_assert_msg(end != NULL, "bad time in test: %s", s);
	if (*end == 'Z')
		return timegm(&tm);
	ck_assert_msg(*end == '\0', "bad time in test: %s", s);
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* t as local and UTC time, for messages. */
static const char *
show(time_t t, char *buf, size_t len)
{
	struct tm l, u;
	char a[80], b[32];

	if (t == (time_t)-1)
		return "never (-1)";
	localtime_r(&t, &l);
	gmtime_r(&t, &u);
	strftime(a, sizeof(a), "%a %Y-%m-%d %H:%M:%S %Z", &l);
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%SZ", &u);
	snprintf(buf, len, "%s (%s)", a, b);
	return buf;
}

/* The ranges of one day as "HH:MM-HH:MM,..." ("" for none). */
static const char *
day_text(const struct timeperiod *tp, int wday, char *buf, size_t len)
{
	const struct timeperiod_day *d = &tp->days[wday];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < d->nranges && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%02d:%02d-%02d:%02d",
		    i ? "," : "", d->ranges[i].start / 60, d->ranges[i].start % 60,
		    d->ranges[i].end / 60, d->ranges[i].end % 60);
	return buf;
}

/* ---- parsing ---------------------------------------------------------- */

static const struct {
	const char *text;
	const char *ranges;	/* NULL: an error */
	const char *err;
} parse_cases[] = {
	{ "", "", NULL },
	{ "  \t", "", NULL },
	{ "09:00-17:00", "09:00-17:00", NULL },
	{ "9:00-17:00", "09:00-17:00", NULL },
	{ "00:00-24:00", "00:00-24:00", NULL },
	{ "23:59-24:00", "23:59-24:00", NULL },
	{ " 13:00-17:00 , 09:00-12:00 ", "09:00-12:00,13:00-17:00", NULL },
	{ "09:00-12:00,11:00-13:00", "09:00-13:00", NULL },
	{ "09:00-12:00,12:00-13:00", "09:00-13:00", NULL },
	{ "10:00-11:00,09:00-17:00", "09:00-17:00", NULL },
	{ "00:00-00:01,23:59-24:00", "00:00-00:01,23:59-24:00", NULL },
	{ "17:00-09:00", NULL, "\"17:00-09:00\" ends before it starts (a range "
	    "cannot cross midnight: write 17:00-24:00 on this day and "
	    "00:00-09:00 on the next)" },
	{ "09:00-12:00,22:00-2:00", NULL, "\"22:00-2:00\" ends before it "
	    "starts (a range cannot cross midnight: write 22:00-24:00 on this "
	    "day and 00:00-02:00 on the next)" },
	{ "10:00-10:00", NULL, "\"10:00-10:00\" is empty (it ends where it "
	    "starts)" },
	{ "24:00-24:00", NULL, "\"24:00-24:00\": a range cannot start at 24:00 "
	    "(24:00 only ends one)" },
	{ "09:00-24:01", NULL, "\"09:00-24:01\": 24:01 is not a time of day "
	    "(expected 00:00 to 24:00)" },
	{ "25:00-26:00", NULL, "\"25:00-26:00\": 25:00 is not a time of day "
	    "(expected 00:00 to 24:00)" },
	{ "09:60-10:00", NULL, "\"09:60-10:00\": 09:60 is not a time of day "
	    "(expected 00:00 to 24:00)" },
	{ "9-17", NULL, "\"9-17\" is not a range (expected HH:MM-HH:MM, e.g. "
	    "09:00-17:00)" },
	{ "09:00", NULL, "\"09:00\" is not a range (expected HH:MM-HH:MM, e.g. "
	    "09:00-17:00)" },
	{ "09:00-", NULL, "\"09:00-\" is not a range (expected HH:MM-HH:MM, "
	    "e.g. 09:00-17:00)" },
	{ "09:00 - 17:00", NULL, "\"09:00 - 17:00\" is not a range (expected "
	    "HH:MM-HH:MM, e.g. 09:00-17:00)" },
	{ "009:00-10:00", NULL, "\"009:00-10:00\" is not a range (expected "
	    "HH:MM-HH:MM, e.g. 09:00-17:00)" },
	{ "09:0-10:00", NULL, "\"09:0-10:00\" is not a range (expected "
	    "HH:MM-HH:MM, e.g. 09:00-17:00)" },
	{ "09:00-17:00x", NULL, "\"09:00-17:00x\" is not a range (expected "
	    "HH:MM-HH:MM, e.g. 09:00-17:00)" },
	{ "-09:00-17:00", NULL, "\"-09:00-17:00\" is not a range (expected "
	    "HH:MM-HH:MM, e.g. 09:00-17:00)" },
	{ "09:00-12:00;13:00-17:00", NULL, "\"09:00-12:00;13:00-17:00\" is not "
	    "a range (expected HH:MM-HH:MM, e.g. 09:00-17:00)" },
	{ "nine to five, Monday to Friday, except holidays", NULL,
	    "\"nine to five\" is not a range (expected HH:MM-HH:MM, e.g. "
	    "09:00-17:00)" },
	{ "ninetofive-every-day-of-the-week-except-holidays", NULL,
	    "\"ninetofive-every-day-of-the-week-except-...\" is not a range "
	    "(expected HH:MM-HH:MM, e.g. 09:00-17:00)" },
	{ "09:00-12:00,,13:00-14:00", NULL, "an empty range next to a comma "
	    "(expected HH:MM-HH:MM ranges separated by commas)" },
	{ ",09:00-12:00", NULL, "an empty range next to a comma (expected "
	    "HH:MM-HH:MM ranges separated by commas)" },
	{ "09:00-12:00,", NULL, "an empty range next to a comma (expected "
	    "HH:MM-HH:MM ranges separated by commas)" },
	{ "09:00-12:00, ", NULL, "an empty range next to a comma (expected "
	    "HH:MM-HH:MM ranges separated by commas)" },
};

START_TEST(day_texts_parse_into_sorted_merged_ranges_or_say_what_is_wrong)
{
	struct timeperiod *tp = timeperiod_new();
	char err[256], got[256];
	int rc, d;

	err[0] = '\0';
	rc = timeperiod_parse_day(parse_cases[_i].text, tp, TIMEPERIOD_EVERY_DAY,
	    err, sizeof(err));
	if (parse_cases[_i].ranges != NULL) {
		ck_assert_msg(rc == 0, "\"%s\": %s", parse_cases[_i].text, err);
		for (d = 0; d < 7; d++)
			ck_assert_msg(strcmp(day_text(tp, d, got, sizeof(got)),
			    parse_cases[_i].ranges) == 0, "\"%s\" day %d: got "
			    "\"%s\", want \"%s\"", parse_cases[_i].text, d, got,
			    parse_cases[_i].ranges);
	} else {
		ck_assert_msg(rc == -1, "\"%s\": accepted as \"%s\"",
		    parse_cases[_i].text, day_text(tp, 1, got, sizeof(got)));
		ck_assert_msg(strcmp(err, parse_cases[_i].err) == 0,
		    "\"%s\":\n  got  %s\n  want %s", parse_cases[_i].text, err,
		    parse_cases[_i].err);
	}
	timeperiod_free(tp);
}
END_TEST

START_TEST(a_day_text_sets_only_the_days_it_is_given)
{
	struct timeperiod *tp = timeperiod_new();
	char err[256], got[64];
	int d;

	ck_assert_int_eq(timeperiod_parse_day("09:00-17:00", tp, 0x3e, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(timeperiod_parse_day("10:00-12:00", tp, 1u << 6, err,
	    sizeof(err)), 0);
	/* a later text replaces a day's ranges, it does not add to them */
	ck_assert_int_eq(timeperiod_parse_day("08:00-09:00", tp, 1u << 1, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(day_text(tp, 0, got, sizeof(got)), "");
	ck_assert_str_eq(day_text(tp, 1, got, sizeof(got)), "08:00-09:00");
	for (d = 2; d <= 5; d++)
		ck_assert_str_eq(day_text(tp, d, got, sizeof(got)), "09:00-17:00");
	ck_assert_str_eq(day_text(tp, 6, got, sizeof(got)), "10:00-12:00");
	timeperiod_free(tp);
}
END_TEST

START_TEST(a_bad_day_text_leaves_the_timeperiod_unchanged)
{
	struct timeperiod *tp = period("all=09:00-17:00");
	char err[256], got[64];
	int d;

	ck_assert_int_eq(timeperiod_parse_day("10:00-11:00,bad", tp,
	    TIMEPERIOD_EVERY_DAY, err, sizeof(err)), -1);
	for (d = 0; d < 7; d++)
		ck_assert_str_eq(day_text(tp, d, got, sizeof(got)), "09:00-17:00");
	timeperiod_free(tp);
}
END_TEST

/* Found by fuzzing: an hour of many digits overflowed an int before its
 * length was checked. Refused, and defined behaviour all along. */
START_TEST(an_hour_of_many_digits_is_refused_without_overflow)
{
	static const char *const bad[] = { "99999999999:00-10:00", "10:00-4294967296:00",
		"123:00-124:00" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct timeperiod *tp = timeperiod_new();
		char err[256] = "";

		ck_assert_msg(timeperiod_parse_day(bad[i], tp, TIMEPERIOD_EVERY_DAY, err,
		    sizeof(err)) == -1, "%s taken", bad[i]);
		ck_assert_msg(err[0] != '\0', "%s: no reason", bad[i]);
		timeperiod_free(tp);
	}
}
END_TEST

START_TEST(free_of_null_is_a_no_op_and_a_new_timeperiod_is_never)
{
	struct timeperiod *tp = timeperiod_new();

	timeperiod_free(NULL);
	ck_assert_int_eq(timeperiod_contains(tp, at("2024-01-15 12:00:00"),
	    NULL), 0);
	ck_assert_int_eq((long long)timeperiod_next_valid(tp,
	    at("2024-01-15 12:00:00")), -1);
	timeperiod_free(tp);
}
END_TEST

/* ---- contains (TZ=UTC) ------------------------------------------------ */

static const struct {
	const char *period;
	const char *exclude;	/* NULL: none */
	const char *t;
	int inside;
} contains_cases[] = {
	{ "mon-fri=09:00-17:00", NULL, "2024-01-15 08:59:59", 0 },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-15 09:00:00", 1 },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-15 16:59:59", 1 },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-15 17:00:00", 0 },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-19 12:00:00", 1 },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-20 12:00:00", 0 },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-14 12:00:00", 0 },
	{ "all=00:00-24:00", NULL, "2024-01-15 00:00:00", 1 },
	{ "all=00:00-24:00", NULL, "2024-01-15 23:59:59", 1 },
	{ "all=23:00-24:00", NULL, "2024-01-15 23:59:59", 1 },
	{ "all=23:00-24:00", NULL, "2024-01-16 00:00:00", 0 },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-15 21:59:59", 0 },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-15 23:59:59", 1 },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-16 00:00:00", 1 },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-16 01:59:59", 1 },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-16 02:00:00", 0 },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-16 22:30:00", 0 },
	{ "all=09:00-12:00,13:00-17:00", NULL, "2024-01-15 11:59:59", 1 },
	{ "all=09:00-12:00,13:00-17:00", NULL, "2024-01-15 12:00:00", 0 },
	{ "all=09:00-12:00,13:00-17:00", NULL, "2024-01-15 12:59:59", 0 },
	{ "all=09:00-12:00,13:00-17:00", NULL, "2024-01-15 13:00:00", 1 },
	{ "all=00:00-24:00|sun=", NULL, "2024-01-14 12:00:00", 0 },
	{ "all=00:00-24:00|sun=", NULL, "2024-01-15 12:00:00", 1 },
	{ "", NULL, "2024-01-15 12:00:00", 0 },
	/* exclusions: an excluded range's start is out, its end back in */
	{ "all=09:00-17:00", "all=12:00-13:00", "2024-01-15 11:59:59", 1 },
	{ "all=09:00-17:00", "all=12:00-13:00", "2024-01-15 12:00:00", 0 },
	{ "all=09:00-17:00", "all=12:00-13:00", "2024-01-15 12:59:59", 0 },
	{ "all=09:00-17:00", "all=12:00-13:00", "2024-01-15 13:00:00", 1 },
	{ "all=09:00-17:00", "mon=00:00-24:00", "2024-01-15 10:00:00", 0 },
	{ "all=09:00-17:00", "mon=00:00-24:00", "2024-01-16 10:00:00", 1 },
	{ "all=09:00-17:00", "all=00:00-24:00", "2024-01-16 10:00:00", 0 },
	{ "all=09:00-17:00", "", "2024-01-16 10:00:00", 1 },
};

START_TEST(contains_holds_the_start_and_not_the_end_of_each_range)
{
	struct timeperiod *tp = period(contains_cases[_i].period);
	struct timeperiod *ex = NULL;
	time_t t = at(contains_cases[_i].t);
	int got;

	if (contains_cases[_i].exclude != NULL) {
		ex = period(contains_cases[_i].exclude);
		timeperiod_exclude(tp, ex);
	}
	got = timeperiod_contains(tp, t, NULL);
	ck_assert_msg(got == contains_cases[_i].inside, "period \"%s\" exclude "
	    "\"%s\" at %s: got %d, want %d", contains_cases[_i].period,
	    contains_cases[_i].exclude ? contains_cases[_i].exclude : "-",
	    contains_cases[_i].t, got, contains_cases[_i].inside);
	timeperiod_free(tp);
	timeperiod_free(ex);
}
END_TEST

/*
 * Date exceptions (Nagios's date ranges, timeperiod.h): on their dates
 * their ranges replace the weekday's; the most specific kind wins. Every
 * case: weekdays 09:00-17:00 (all other days nothing), then the exception.
 * 2024-11-28 is the last Thursday of November 2024, 2024-01-15 a Monday.
 */
static const struct {
	const char *spec, *ranges;
	const char *t;
	int inside;
} exception_cases[] = {
	{ "2024-12-25", "", "2024-12-25 10:00:00", 0 },		/* a Wednesday, closed */
	{ "2024-12-25", "", "2024-12-24 10:00:00", 1 },
	{ "2024-12-24 - 2025-01-02", "", "2024-12-31 10:00:00", 0 },
	{ "2024-12-24 - 2025-01-02", "", "2025-01-02 10:00:00", 0 },
	{ "2024-12-24 - 2025-01-02", "", "2025-01-03 10:00:00", 1 },
	{ "2024-01-13", "08:00-09:00", "2024-01-13 08:30:00", 1 },	/* a Saturday, open */
	{ "2024-01-13", "08:00-09:00", "2024-01-13 10:00:00", 0 },
	{ "december 24", "09:00-12:00", "2024-12-24 11:59:59", 1 },
	{ "december 24", "09:00-12:00", "2024-12-24 12:00:00", 0 },
	{ "December 24", "09:00-12:00", "2025-12-24 12:30:00", 0 },	/* every year */
	{ "december 24 - january 2", "", "2025-01-02 10:00:00", 0 },	/* over new year */
	{ "december 24 - january 2", "", "2024-12-23 10:00:00", 1 },
	{ "february -1", "", "2024-02-29 10:00:00", 0 },		/* a leap year's last */
	{ "february -1", "", "2024-02-28 10:00:00", 1 },
	{ "day 1", "00:00-06:00", "2024-02-01 05:00:00", 1 },		/* a Thursday */
	{ "day 1", "00:00-06:00", "2024-02-01 10:00:00", 0 },
	{ "day -1", "", "2024-01-31 10:00:00", 0 },
	{ "day -1", "", "2024-01-30 10:00:00", 1 },
	{ "day 1 - day 7", "", "2024-01-05 10:00:00", 0 },
	{ "day 1 - day 7", "", "2024-01-08 10:00:00", 1 },
	{ "thursday -1 november", "", "2024-11-28 10:00:00", 0 },	/* Thanksgiving */
	{ "thursday -1 november", "", "2024-11-21 10:00:00", 1 },
	{ "thursday 4 november", "", "2024-11-28 10:00:00", 0 },
	{ "monday 3", "", "2024-01-15 10:00:00", 0 },			/* every month */
	{ "monday 3", "", "2024-02-19 10:00:00", 0 },
	{ "monday 3", "", "2024-01-08 10:00:00", 1 },
	{ "sunday 1", "10:00-11:00", "2024-01-07 10:30:00", 1 },
};

START_TEST(a_date_exception_replaces_its_days_ranges)
{
	struct timeperiod *tp = period("mon-fri=09:00-17:00");
	char err[512];
	int got;

	ck_assert_msg(timeperiod_parse_exception(exception_cases[_i].spec,
	    exception_cases[_i].ranges, tp, err, sizeof(err)) == 0, "%s", err);
	got = timeperiod_contains(tp, at(exception_cases[_i].t), NULL);
	ck_assert_msg(got == exception_cases[_i].inside, "\"%s\": \"%s\" at %s: got %d",
	    exception_cases[_i].spec, exception_cases[_i].ranges, exception_cases[_i].t, got);
	timeperiod_free(tp);
}
END_TEST

/* The most specific kind wins a date several hold; bad ones are refused. */
START_TEST(a_calendar_date_wins_and_bad_dates_are_refused)
{
	static const char *const bad[] = { "2024-13-01", "24-12-25", "december", "december 32",
		"day 0", "day", "thursday 6", "fooday 1", "2025-01-02 - 2024-12-24",
		"2024-12-24 - december 31", "monday 1 - tuesday 2", "", "day 1 2 3 4 5 6 7 8 9" };
	struct timeperiod *tp = period("mon-fri=09:00-17:00");
	char err[512];
	time_t next;

	ck_assert_int_eq(timeperiod_parse_exception("day 1 - day 31", "", tp, err, sizeof(err)), 0);
	ck_assert_int_eq(timeperiod_parse_exception("2024-01-15", "14:00-15:00", tp, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(timeperiod_contains(tp, at("2024-01-15 14:30:00"), NULL), 1);
	ck_assert_int_eq(timeperiod_contains(tp, at("2024-01-15 10:00:00"), NULL), 0);
	ck_assert_int_eq(timeperiod_contains(tp, at("2024-01-16 10:00:00"), NULL), 0);
	/* next_valid sees them: the only open hour of the week */
	next = timeperiod_next_valid(tp, at("2024-01-14 00:00:00"));
	ck_assert_msg(next == at("2024-01-15 14:00:00"), "next %ld", (long)next);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(timeperiod_parse_exception(bad[i], "", tp, err, sizeof(err)) == -1,
		    "\"%s\" taken", bad[i]);
		ck_assert_msg(strstr(err, "not a date") != NULL || strstr(err, "the dates") != NULL,
		    "\"%s\": %s", bad[i], err);
	}
	ck_assert_int_eq(timeperiod_parse_exception("day 2", "9-17", tp, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "is not a range") != NULL, "%s", err);
	timeperiod_free(tp);
}
END_TEST

START_TEST(an_excluded_timeperiods_own_exclusions_apply)
{
	/* every day, but not Mondays, except Monday 10:00-11:00 after all */
	struct timeperiod *every = period("all=00:00-24:00");
	struct timeperiod *mondays = period("mon=00:00-24:00");
	struct timeperiod *meeting = period("mon=10:00-11:00");

	timeperiod_exclude(mondays, meeting);
	timeperiod_exclude(every, mondays);
	ck_assert_int_eq(timeperiod_contains(every, at("2024-01-15 09:59:59"),
	    NULL), 0);
	ck_assert_int_eq(timeperiod_contains(every, at("2024-01-15 10:00:00"),
	    NULL), 1);
	ck_assert_int_eq(timeperiod_contains(every, at("2024-01-15 11:00:00"),
	    NULL), 0);
	ck_assert_int_eq(timeperiod_contains(every, at("2024-01-16 09:00:00"),
	    NULL), 1);
	ck_assert_int_eq((long long)timeperiod_next_valid(every,
	    at("2024-01-15 00:00:00")), (long long)at("2024-01-15 10:00:00"));
	ck_assert_int_eq((long long)timeperiod_next_valid(every,
	    at("2024-01-15 11:00:00")), (long long)at("2024-01-16 00:00:00"));
	timeperiod_free(every);
	timeperiod_free(mondays);
	timeperiod_free(meeting);
}
END_TEST

START_TEST(any_of_several_exclusions_takes_the_time_out)
{
	struct timeperiod *work = period("mon-fri=09:00-17:00");
	struct timeperiod *lunch = period("all=12:00-13:00");
	struct timeperiod *fridays = period("fri=00:00-24:00");

	timeperiod_exclude(work, lunch);
	timeperiod_exclude(work, fridays);
	ck_assert_int_eq(timeperiod_contains(work, at("2024-01-15 12:30:00"),
	    NULL), 0);
	ck_assert_int_eq(timeperiod_contains(work, at("2024-01-19 10:00:00"),
	    NULL), 0);
	ck_assert_int_eq(timeperiod_contains(work, at("2024-01-18 10:00:00"),
	    NULL), 1);
	/* Thursday 17:00: Friday is out, then the weekend */
	ck_assert_int_eq((long long)timeperiod_next_valid(work,
	    at("2024-01-18 17:00:00")), (long long)at("2024-01-22 09:00:00"));
	timeperiod_free(work);
	timeperiod_free(lunch);
	timeperiod_free(fridays);
}
END_TEST

START_TEST(contains_reads_the_given_time_zone_and_restores_tz)
{
	struct timeperiod *tp = period("all=09:00-17:00");
	time_t t = at("2024-01-15 08:30:00Z");	/* 09:30 in Berlin, 03:30 NY */

	ck_assert_int_eq(timeperiod_contains(tp, t, NULL), 0);
	ck_assert_int_eq(timeperiod_contains(tp, t, "Europe/Berlin"), 1);
	ck_assert_int_eq(timeperiod_contains(tp, t, "America/New_York"), 0);
	ck_assert_str_eq(getenv("TZ"), "UTC");
	ck_assert_int_eq(timeperiod_contains(tp, t, NULL), 0);
	/* no TZ before: none after */
	unsetenv("TZ");
	tzset();
	(void)timeperiod_contains(tp, t, "Europe/Berlin");
	ck_assert_ptr_null(getenv("TZ"));
	timeperiod_free(tp);
}
END_TEST

/* ---- next valid (TZ=UTC) ---------------------------------------------- */

static const struct {
	const char *period;
	const char *exclude;	/* NULL: none */
	const char *from;
	const char *want;	/* NULL: never, (time_t)-1 */
} next_cases[] = {
	{ "mon-fri=09:00-17:00", NULL, "2024-01-15 10:00:00",
	    "2024-01-15 10:00:00" },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-15 08:00:00",
	    "2024-01-15 09:00:00" },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-15 08:59:30",
	    "2024-01-15 09:00:00" },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-15 17:00:00",
	    "2024-01-16 09:00:00" },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-19 17:00:00",
	    "2024-01-22 09:00:00" },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-20 12:00:00",
	    "2024-01-22 09:00:00" },
	{ "mon-fri=09:00-17:00", NULL, "2024-01-14 23:59:59",
	    "2024-01-15 09:00:00" },
	/* a whole week ahead, still inside the 8-day horizon */
	{ "wed=03:00-03:01", NULL, "2024-01-17 03:01:00",
	    "2024-01-24 03:00:00" },
	{ "wed=03:00-03:01", NULL, "2024-01-17 03:00:59",
	    "2024-01-17 03:00:59" },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-15 23:00:00",
	    "2024-01-15 23:00:00" },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-16 00:00:00",
	    "2024-01-16 00:00:00" },
	{ "mon=22:00-24:00|tue=00:00-02:00", NULL, "2024-01-16 02:00:00",
	    "2024-01-22 22:00:00" },
	{ "all=23:00-24:00", NULL, "2024-01-15 00:00:00",
	    "2024-01-15 23:00:00" },
	{ "all=23:00-24:00", NULL, "2024-01-15 23:59:59",
	    "2024-01-15 23:59:59" },
	{ "mon=23:00-24:00", NULL, "2024-01-16 00:00:00",
	    "2024-01-22 23:00:00" },
	{ "all=00:00-24:00", NULL, "2024-02-28 23:59:59",
	    "2024-02-28 23:59:59" },
	{ "sun=00:00-00:01", NULL, "2023-12-31 00:01:00",
	    "2024-01-07 00:00:00" },
	{ "", NULL, "2024-01-15 12:00:00", NULL },
	{ "all=09:00-17:00", "all=12:00-13:00", "2024-01-15 12:10:00",
	    "2024-01-15 13:00:00" },
	{ "all=09:00-17:00", "all=12:00-13:00", "2024-01-15 11:00:00",
	    "2024-01-15 11:00:00" },
	{ "mon-fri=09:00-17:00", "mon=00:00-24:00", "2024-01-15 10:00:00",
	    "2024-01-16 09:00:00" },
	{ "all=09:00-17:00", "all=08:00-10:00", "2024-01-15 07:00:00",
	    "2024-01-15 10:00:00" },
	{ "all=00:00-24:00", "all=00:00-24:00", "2024-01-15 12:00:00", NULL },
	{ "all=00:00-24:00", "mon-fri=00:00-24:00", "2024-01-15 12:00:00",
	    "2024-01-20 00:00:00" },
};

START_TEST(next_valid_finds_the_first_second_inside)
{
	struct timeperiod *tp = period(next_cases[_i].period);
	struct timeperiod *ex = NULL;
	time_t want, got;
	char a[128], b[128];

	if (next_cases[_i].exclude != NULL) {
		ex = period(next_cases[_i].exclude);
		timeperiod_exclude(tp, ex);
	}
	want = next_cases[_i].want ? at(next_cases[_i].want) : (time_t)-1;
	got = timeperiod_next_valid(tp, at(next_cases[_i].from));
	ck_assert_msg(got == want, "period \"%s\" exclude \"%s\" from %s:\n"
	    "  got  %s\n  want %s", next_cases[_i].period,
	    next_cases[_i].exclude ? next_cases[_i].exclude : "-",
	    next_cases[_i].from, show(got, a, sizeof(a)), show(want, b,
	    sizeof(b)));
	timeperiod_free(tp);
	timeperiod_free(ex);
}
END_TEST

/* ---- DST (TZ=Europe/Berlin) ------------------------------------------- */

/*
 * 2024-03-31 01:00Z: 02:00 CET becomes 03:00 CEST (a 23-hour Sunday).
 * 2024-10-27 01:00Z: 03:00 CEST becomes 02:00 CET (a 25-hour Sunday).
 */
static const struct {
	const char *period;
	const char *t;
	int inside;
} dst_contains_cases[] = {
	{ "all=01:00-02:00", "2024-03-31 00:59:59Z", 1 },
	{ "all=01:00-02:00", "2024-03-31 01:00:00Z", 0 },
	{ "all=02:00-03:00", "2024-03-31 00:59:59Z", 0 },
	{ "all=02:00-03:00", "2024-03-31 01:00:00Z", 0 },
	{ "all=03:00-04:00", "2024-03-31 01:00:00Z", 1 },
	{ "all=02:00-02:30", "2024-10-27 00:15:00Z", 1 },
	{ "all=02:00-02:30", "2024-10-27 00:45:00Z", 0 },
	{ "all=02:00-02:30", "2024-10-27 01:15:00Z", 1 },
	{ "all=02:00-02:30", "2024-10-27 01:45:00Z", 0 },
	{ "sun=00:00-24:00", "2024-10-27 22:59:59Z", 1 },
	{ "sun=00:00-24:00", "2024-10-27 23:00:00Z", 0 },
	{ "sun=00:00-24:00", "2024-03-30 23:00:00Z", 1 },
	{ "sun=00:00-24:00", "2024-03-30 22:59:59Z", 0 },
};

START_TEST(contains_follows_the_wall_clock_across_dst)
{
	struct timeperiod *tp = period(dst_contains_cases[_i].period);
	time_t t = at(dst_contains_cases[_i].t);
	int got = timeperiod_contains(tp, t, NULL);
	char a[128];

	ck_assert_msg(got == dst_contains_cases[_i].inside, "period \"%s\" at "
	    "%s: got %d, want %d", dst_contains_cases[_i].period,
	    show(t, a, sizeof(a)), got, dst_contains_cases[_i].inside);
	timeperiod_free(tp);
}
END_TEST

static const struct {
	const char *period;
	const char *from;
	const char *want;
} dst_next_cases[] = {
	/* spring: a start in the skipped hour is met when the clock jumps */
	{ "all=02:30-04:00", "2024-03-31 00:00:00Z", "2024-03-31 01:00:00Z" },
	{ "all=03:00-04:00", "2024-03-31 00:30:00Z", "2024-03-31 01:00:00Z" },
	/* a range wholly in the skipped hour does not happen that day */
	{ "sun=02:00-03:00", "2024-03-31 00:00:00Z", "2024-04-07 00:00:00Z" },
	{ "all=02:00-03:00", "2024-03-31 00:00:00Z", "2024-04-01 00:00:00Z" },
	/* the 23-hour day: the same wall clock time, 23 hours later */
	{ "all=09:00-10:00", "2024-03-30 09:00:00Z", "2024-03-31 07:00:00Z" },
	{ "all=23:00-24:00", "2024-03-30 23:30:00Z", "2024-03-31 21:00:00Z" },
	{ "mon=00:00-24:00", "2024-03-30 12:00:00Z", "2024-03-31 22:00:00Z" },
	/* autumn: the repeated hour happens twice */
	{ "all=02:00-02:30", "2024-10-27 00:30:00Z", "2024-10-27 01:00:00Z" },
	{ "all=02:00-02:30", "2024-10-27 01:30:00Z", "2024-10-28 01:00:00Z" },
	{ "all=03:00-04:00", "2024-10-27 00:30:00Z", "2024-10-27 02:00:00Z" },
	/* the 25-hour day */
	{ "all=09:00-10:00", "2024-10-26 08:00:00Z", "2024-10-27 08:00:00Z" },
	{ "mon=00:00-24:00", "2024-10-26 12:00:00Z", "2024-10-27 23:00:00Z" },
};

START_TEST(next_valid_follows_the_wall_clock_across_dst)
{
	struct timeperiod *tp = period(dst_next_cases[_i].period);
	time_t want = at(dst_next_cases[_i].want);
	time_t got = timeperiod_next_valid(tp, at(dst_next_cases[_i].from));
	char a[128], b[128];

	ck_assert_msg(got == want, "period \"%s\" from %s:\n  got  %s\n  want %s",
	    dst_next_cases[_i].period, dst_next_cases[_i].from,
	    show(got, a, sizeof(a)), show(want, b, sizeof(b)));
	timeperiod_free(tp);
}
END_TEST

START_TEST(next_valid_agrees_with_a_minute_by_minute_walk_across_dst)
{
	/*
	 * Inside can only change on a minute of local time (a DST switch is
	 * one too), so walking minute by minute is a slow but sure answer.
	 * From every minute (+7 s) of both DST Sundays and the day before.
	 */
	static const char *const periods[] = {
		"all=02:30-04:00", "all=02:00-02:30,03:15-03:45",
		"sun=01:59-02:01,02:59-03:01", "sat=23:00-24:00|sun=00:00-01:00",
	};
	static const char *const days[] = {
		"2024-03-29 22:00:00Z", "2024-10-25 22:00:00Z",
	};
	enum { FROM = 50 * 60, WALK = FROM + 8 * 24 * 60 };
	static unsigned char inside[WALK];
	struct timeperiod *tp;
	time_t start, t, want, got;
	char a[128], b[128], c[128];
	size_t i, j, k, m;

	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		tp = period(periods[i]);
		for (j = 0; j < sizeof(days) / sizeof(days[0]); j++) {
			start = at(days[j]);
			for (k = 0; k < WALK; k++)
				inside[k] = (unsigned char)timeperiod_contains(tp,
				    start + (time_t)k * 60, NULL);
			for (k = 0; k < FROM; k++) {
				t = start + (time_t)k * 60 + 7;
				for (m = k + 1; !inside[k] && m < WALK && !inside[m];
				    m++)
					;
				want = inside[k] ? t : start + (time_t)m * 60;
				got = timeperiod_next_valid(tp, t);
				ck_assert_msg(got == want, "%s from %s:\n  got  %s\n"
				    "  want %s", periods[i], show(t, a, sizeof(a)),
				    show(got, b, sizeof(b)), show(want, c, sizeof(c)));
			}
		}
		timeperiod_free(tp);
	}
}
END_TEST

/* ---- suite ------------------------------------------------------------ */

static Suite *
timeperiod_suite(void)
{
	Suite *s = suite_create("timeperiod");
	TCase *tc;

	tc = tcase_create("parsing");
	tcase_add_checked_fixture(tc, utc_setup, NULL);
	tcase_add_loop_test(tc,
	    day_texts_parse_into_sorted_merged_ranges_or_say_what_is_wrong, 0,
	    N(parse_cases));
	tcase_add_test(tc, a_day_text_sets_only_the_days_it_is_given);
	tcase_add_test(tc, a_bad_day_text_leaves_the_timeperiod_unchanged);
	tcase_add_test(tc, an_hour_of_many_digits_is_refused_without_overflow);
	tcase_add_test(tc, free_of_null_is_a_no_op_and_a_new_timeperiod_is_never);
	suite_add_tcase(s, tc);

	tc = tcase_create("contains");
	tcase_add_checked_fixture(tc, utc_setup, NULL);
	tcase_add_loop_test(tc,
	    contains_holds_the_start_and_not_the_end_of_each_range, 0,
	    N(contains_cases));
	tcase_add_loop_test(tc, a_date_exception_replaces_its_days_ranges, 0,
	    N(exception_cases));
	tcase_add_test(tc, a_calendar_date_wins_and_bad_dates_are_refused);
	tcase_add_test(tc, an_excluded_timeperiods_own_exclusions_apply);
	tcase_add_test(tc, any_of_several_exclusions_takes_the_time_out);
	tcase_add_test(tc, contains_reads_the_given_time_zone_and_restores_tz);
	suite_add_tcase(s, tc);

	tc = tcase_create("next_valid");
	tcase_add_checked_fixture(tc, utc_setup, NULL);
	tcase_add_loop_test(tc, next_valid_finds_the_first_second_inside, 0,
	    N(next_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("dst");
	tcase_add_checked_fixture(tc, berlin_setup, NULL);
	tcase_add_loop_test(tc, contains_follows_the_wall_clock_across_dst, 0,
	    N(dst_contains_cases));
	tcase_add_loop_test(tc, next_valid_follows_the_wall_clock_across_dst, 0,
	    N(dst_next_cases));
	tcase_add_test(tc,
	    next_valid_agrees_with_a_minute_by_minute_walk_across_dst);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(timeperiod_suite());
}
