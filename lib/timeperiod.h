/*
 * NAME
 *	timeperiod - weekly time ranges with exclusions, in local time
 * DESCRIPTION
 *	A timeperiod says, for each weekday, which minutes of the day it
 *	covers ("09:00-12:00,13:00-17:00"), minus every timeperiod it
 *	excludes (Nagios `exclude`): t is inside when its local weekday and
 *	time of day fall in one of the day's ranges and t is inside none of
 *	the excluded timeperiods (whose own exclusions apply in turn).
 *
 *	A range is [start, end): its first minute is inside, its end is not,
 *	so "09:00-17:00" holds 16:59:59 but not 17:00:00. "24:00" may end a
 *	range: the rest of the day. A range never crosses midnight; write
 *	the two halves on their two days.
 *
 *	Local time is the process's (TZ), read through localtime_r(3): the
 *	wall clock decides, so across a DST switch a period keeps its wall
 *	clock times, a range inside the skipped hour does not happen that
 *	day, and one inside the repeated hour happens twice.
 *
 *	Pure: no configuration, no I/O, no logging. config.c builds these
 *	from conf.d `timeperiods:`.
 * DIAGNOSTICS
 *	timeperiod_parse_day() returns -1 and says in err what is wrong with
 *	which range and what is expected; the timeperiod is then unchanged.
 * SECURITY
 *	timeperiod_contains() with a tz switches the process's TZ for the
 *	call: not for threads that read local time meanwhile.
 */
#ifndef VIGIL_TIMEPERIOD_H
#define VIGIL_TIMEPERIOD_H

#include <stddef.h>
#include <time.h>

#define TIMEPERIOD_DAY_MINUTES	1440
#define TIMEPERIOD_EVERY_DAY	0x7fu	/* days mask: bit n is tm_wday n */
#define TIMEPERIOD_SEARCH_DAYS	8	/* how far timeperiod_next_valid looks */

/* Minutes after local midnight, [start, end); 0 <= start < end <= 1440. */
struct timeperiod_range {
	int start;
	int end;
};

/* Sorted by start; no two ranges overlap or touch (they are merged). */
struct timeperiod_day {
	struct timeperiod_range *ranges;
	size_t nranges;
};

/* A date exception (Nagios's date ranges): on the dates it holds, its
 * ranges replace the weekday's. */
enum {
	TP_EX_DATE,		/* 2026-12-25 [- 2027-01-02]: a = start, b = end
				 * as yyyymmdd */
	TP_EX_MONTH_DATE,	/* december 25 [- january 2]: a/b = start month
				 * (0-11) / day, c/d = end; days < 0 from the
				 * month's end */
	TP_EX_MONTH_DAY,	/* day 1 [- day 7], day -1: every month, a..b */
	TP_EX_WEEKDAY,		/* thursday -1 november, monday 2: a = tm_wday,
				 * b = the nth (< 0 from the end), c = month or
				 * -1 for every month */
};

struct timeperiod_exception {
	int kind;
	int a, b, c, d;
	struct timeperiod_day day;
};

struct timeperiod {
	struct timeperiod_day days[7];	/* by tm_wday: [0] Sunday .. [6] Saturday */
	struct timeperiod_exception *ex;	/* date exceptions */
	size_t nex;
	const struct timeperiod **exclude;	/* not owned; must not form a cycle */
	size_t nexclude;
};

/* An empty timeperiod: no time at all. */
struct timeperiod *timeperiod_new(void);
/* Frees tp and its ranges, not the timeperiods it excludes. NULL: no-op. */
void timeperiod_free(struct timeperiod *tp);

/*
 * Parse text, comma-separated "HH:MM-HH:MM" ranges (spaces around each
 * range are fine; "" is no time), and make it the ranges of every day in
 * days (bits 1 << tm_wday; TIMEPERIOD_EVERY_DAY). Overlapping and touching
 * ranges merge. 0, or -1 with err filled and tp unchanged.
 */
int timeperiod_parse_day(const char *text, struct timeperiod *tp,
    unsigned days, char *err, size_t errlen);

/*
 * A date exception of tp: on the dates spec names, text's ranges ("" for
 * none at all) replace the weekday's. spec is one of: "2026-12-25",
 * "december 25", "day 1" / "day -1" (of every month, from its end),
 * "thursday -1 november" / "monday 2" (the nth weekday of a month, or of
 * every month), or a range of one kind ("2026-12-24 - 2027-01-02", "july 1
 * - august 31", "day 1 - day 7"). When several hold a date, the first of
 * the most specific kind wins (dates, then month dates, month days,
 * weekdays of a month), as Nagios. 0, or -1 with err.
 */
int timeperiod_parse_exception(const char *spec, const char *text, struct timeperiod *tp,
    char *err, size_t errlen);

/* Exclude other from tp (other must outlive tp). */
void timeperiod_exclude(struct timeperiod *tp, const struct timeperiod *other);

/*
 * 1 if t is inside tp, else 0. tz NULL: local time (TZ); else a TZ value
 * such as "Europe/Berlin" or "UTC" for this call only.
 */
int timeperiod_contains(const struct timeperiod *tp, time_t t, const char *tz);

/*
 * The first second >= t inside tp (local time), or (time_t)-1 if there is
 * none before t + TIMEPERIOD_SEARCH_DAYS days.
 */
time_t timeperiod_next_valid(const struct timeperiod *tp, time_t t);

#endif
