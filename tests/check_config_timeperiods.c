/*
 * NAME
 *	check_config_timeperiods - unit tests of timeperiods (lib/config/timeperiods.c, cycles.c)
 * DESCRIPTION
 *	Days and exclusions, `all` against day keys, bad values, duplicates
 *	and exclusion cycles.
 *	Fixtures: configtest.h (each test writes vigil.yaml and conf.d files
 *	into a fresh directory, runs there and checks what config_load()
 *	built or the exact errors it reported).
 * DIAGNOSTICS
 *	Exit status 0 when every test passes. A failing test prints every
 *	error the loader reported, so the message shows what changed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "configtest.h"
#include "strbuf.h"
#include "testutil.h"
#include "timeperiod.h"
#include "xalloc.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- timeperiods ------------------------------------------------------ */

START_TEST(timeperiods_are_read_with_their_days_and_exclusions)
{
	struct config *cfg;
	const struct cfg_timeperiod *t, *lunch;
	const struct timeperiod *tp;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  24x7: {all: \"00:00-24:00\"}\n"
	    "  workhours:\n"
	    "    monday: \"09:00-17:00\"\n"
	    "    tuesday: 09:00-12:00, 13:00-17:00\n"
	    "  lunch: {all: \"12:00-13:00\"}\n"
	    "  office:\n"
	    "    all: 08:00-18:00\n"
	    "    saturday: \"\"\n"
	    "    sunday:\n"
	    "    exclude: [lunch, workhours]\n"
	    "  never: {}\n"
	    "  none:\n"
	    "  one: {exclude: lunch}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->ntimeperiods, 7);
	ck_assert_str_eq(cfg->timeperiods[0].name, "24x7");
	ck_assert_str_eq(cfg->timeperiods[6].name, "one");
	t = config_find_timeperiod(cfg, "workhours");
	ck_assert_ptr_eq(t, &cfg->timeperiods[1]);
	ck_assert_str_eq(t->mark.file, "conf.d/a.yaml");
	ck_assert_int_eq(t->mark.line, 3);
	ck_assert_int_eq(t->mark.col, 3);
	tp = t->tp;
	ck_assert_uint_eq(tp->days[0].nranges, 0);
	ck_assert_uint_eq(tp->days[1].nranges, 1);
	ck_assert_int_eq(tp->days[1].ranges[0].start, 9 * 60);
	ck_assert_int_eq(tp->days[1].ranges[0].end, 17 * 60);
	ck_assert_uint_eq(tp->days[2].nranges, 2);
	ck_assert_int_eq(tp->days[2].ranges[1].start, 13 * 60);
	ck_assert_uint_eq(tp->days[3].nranges, 0);
	ck_assert_uint_eq(tp->nexclude, 0);
	tp = config_find_timeperiod(cfg, "24x7")->tp;
	ck_assert_uint_eq(tp->days[3].nranges, 1);
	ck_assert_int_eq(tp->days[3].ranges[0].end, 24 * 60);
	lunch = config_find_timeperiod(cfg, "lunch");
	tp = config_find_timeperiod(cfg, "office")->tp;
	ck_assert_uint_eq(tp->days[6].nranges, 0);
	ck_assert_uint_eq(tp->days[0].nranges, 0);
	ck_assert_uint_eq(tp->days[5].nranges, 1);
	ck_assert_uint_eq(tp->nexclude, 2);
	ck_assert_ptr_eq(tp->exclude[0], lunch->tp);
	ck_assert_ptr_eq(tp->exclude[1], t->tp);
	ck_assert_uint_eq(config_find_timeperiod(cfg, "one")->tp->nexclude, 1);
	tp = config_find_timeperiod(cfg, "never")->tp;
	ck_assert_uint_eq(tp->days[1].nranges, 0);
	ck_assert_uint_eq(config_find_timeperiod(cfg, "none")->tp->days[1].nranges,
	    0);
	config_free(cfg);
}
END_TEST

START_TEST(a_day_key_wins_over_all_whatever_the_order)
{
	struct config *cfg;
	const struct timeperiod *tp;
	int d;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  a: {sunday: \"10:00-11:00\", all: \"09:00-17:00\"}\n"
	    "  b: {all: \"09:00-17:00\", sunday: \"10:00-11:00\"}\n");
	cfg = load(0);
	for (d = 0; d < 2; d++) {
		tp = cfg->timeperiods[d].tp;
		ck_assert_uint_eq(tp->days[0].nranges, 1);
		ck_assert_int_eq(tp->days[0].ranges[0].start, 10 * 60);
		ck_assert_int_eq(tp->days[0].ranges[0].end, 11 * 60);
		ck_assert_int_eq(tp->days[6].ranges[0].start, 9 * 60);
		ck_assert_int_eq(tp->days[1].ranges[0].end, 17 * 60);
	}
	config_free(cfg);
}
END_TEST

START_TEST(bad_timeperiods_name_the_place_and_what_is_expected)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:5: timeperiod \"workhours\": unknown key "
		    "\"mondy\" (did you mean \"monday\"?)",
		"conf.d/a.yaml:4:14: timeperiod \"workhours\": tuesday: "
		    "\"17:00-09:00\" ends before it starts (a range cannot cross "
		    "midnight: write 17:00-24:00 on this day and 00:00-09:00 on "
		    "the next)",
		"conf.d/a.yaml:5:16: timeperiod \"workhours\": wednesday: "
		    "expected a string, got a list",
		"conf.d/a.yaml:6:5: timeperiod \"workhours\": unknown key "
		    "\"excludes\" (did you mean \"exclude\"?)",
		"conf.d/a.yaml:8:5: timeperiod \"workhours\": key \"friday\" is "
		    "given twice (first at conf.d/a.yaml:7:5)",
		"conf.d/a.yaml:9:15: timeperiod \"workhours\": thursday: "
		    "\"9-17\" is not a range (expected HH:MM-HH:MM, e.g. "
		    "09:00-17:00)",
		"conf.d/a.yaml:10:5: timeperiod \"workhours\": unknown key "
		    "\"hours\"",
		"conf.d/a.yaml:11:3: timeperiod \"bad name\": name may not "
		    "contain '/', whitespace or '$'",
		"conf.d/a.yaml:12:9: timeperiod \"list\": expected a map of days "
		    "(monday: \"09:00-17:00\", all: ..., exclude: [...]), got a list",
		"conf.d/a.yaml:14:32: timeperiod \"ex\": exclude: timeperiod "
		    "\"lunch\" is listed twice",
		"conf.d/a.yaml:15:18: timeperiod \"ex2\": exclude: expected a list "
		    "of timeperiod names, got a map",
		"conf.d/b.yaml:1:14: timeperiods: expected a map of timeperiod "
		    "name to days, got a list",
		/* pass 2, once every file is read */
		"conf.d/a.yaml:14:15: timeperiod \"ex\": exclude: timeperiod "
		    "\"lnch\" is not defined (did you mean \"lunch\"?)",
		"conf.d/a.yaml:14:21: timeperiod \"ex\": exclude: a timeperiod "
		    "cannot exclude itself",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  workhours:\n"
	    "    mondy: \"09:00-17:00\"\n"
	    "    tuesday: \"17:00-09:00\"\n"
	    "    wednesday: [a]\n"
	    "    excludes: [x]\n"
	    "    friday: \"09:00-12:00\"\n"
	    "    friday: \"13:00-14:00\"\n"
	    "    thursday: 9-17\n"
	    "    hours: all\n"
	    "  bad name: {}\n"
	    "  list: [a]\n"
	    "  ex:\n"
	    "    exclude: [lnch, ex, lunch, lunch]\n"
	    "  ex2: {exclude: {a: b}}\n"
	    "  lunch: {all: \"12:00-13:00\"}\n");
	put("conf.d/b.yaml", "timeperiods: [a]\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

/* Date exceptions: read into the timeperiod, bad dates named at the
 * date, bad ranges at the ranges. */
START_TEST(date_exceptions_are_read_and_bad_ones_named_at_their_place)
{
	static const char *const want[] = {
		"conf.d/b.yaml:4:7: timeperiod \"bad\": exceptions: \"decembr 25\" is not a date "
		    "(expected 2026-12-25, december 25, day 1, day -1, thursday -1 november, "
		    "monday 2, or a range of one kind: \"2026-12-24 - 2027-01-02\", \"july 1 - "
		    "august 31\", \"day 1 - day 7\")",
		"conf.d/b.yaml:5:14: timeperiod \"bad\": exceptions: \"9-12\" is not a range "
		    "(expected HH:MM-HH:MM, e.g. 09:00-17:00)",
		"conf.d/b.yaml:6:22: timeperiod \"bad2\": exceptions: expected a map of date: "
		    "\"HH:MM-HH:MM\" ranges (\"2026-12-25\": \"\", \"december 24\": "
		    "\"09:00-12:00\"), got a list",
	};
	struct config *cfg;
	const struct timeperiod *tp;
	struct tm tm = { .tm_year = 124, .tm_mon = 11, .tm_mday = 25, .tm_hour = 10,
		.tm_isdst = -1 };

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  office:\n"
	    "    all: \"09:00-17:00\"\n"
	    "    exceptions:\n"
	    "      \"2024-12-25\": \"\"\n"
	    "      december 24: \"09:00-12:00\"\n"
	    "      thursday -1 november: ~\n");
	cfg = load(0);
	tp = config_find_timeperiod(cfg, "office")->tp;
	ck_assert_uint_eq(tp->nex, 3);
	setenv("TZ", "UTC", 1);
	tzset();
	ck_assert_int_eq(timeperiod_contains(tp, timegm(&tm), NULL), 0);
	tm.tm_mday = 26;
	ck_assert_int_eq(timeperiod_contains(tp, timegm(&tm), NULL), 1);
	config_free(cfg);
	put("conf.d/b.yaml",
	    "timeperiods:\n"
	    "  bad:\n"
	    "    exceptions:\n"
	    "      decembr 25: \"\"\n"
	    "      day 2: 9-12\n"
	    "  bad2: {exceptions: [a]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_timeperiod_defined_twice_names_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  workhours: {monday: \"09:00-17:00\"}\n");
	put("conf.d/b.yaml",
	    "timeperiods:\n"
	    "  24x7: {all: \"00:00-24:00\"}\n"
	    "  workhours: {monday: \"08:00-16:00\", tuesday: \"25:00-26:00\"}\n");
	cfg = load(-1);
	ck_assert_msg(cfg->nerrors == 2, "%s", errors_text(cfg));
	expect_error(cfg, "conf.d/b.yaml:3:3: timeperiod \"workhours\" is "
	    "defined twice (first at conf.d/a.yaml:2:3)");
	/* the second one is still read: its own errors show now */
	expect_error(cfg, "conf.d/b.yaml:3:47: timeperiod \"workhours\": "
	    "tuesday: \"25:00-26:00\": 25:00 is not a time of day (expected "
	    "00:00 to 24:00)");
	/* the first one stands */
	ck_assert_uint_eq(cfg->ntimeperiods, 2);
	ck_assert_int_eq(config_find_timeperiod(cfg, "workhours")->tp->days[1]
	    .ranges[0].start, 9 * 60);
	config_free(cfg);
}
END_TEST

START_TEST(an_exclude_cycle_names_every_timeperiod_with_its_place)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:3: timeperiod \"a\": excludes form a cycle: a "
		    "(conf.d/a.yaml:2:3) -> b (conf.d/a.yaml:3:3) -> c "
		    "(conf.d/b.yaml:2:3) -> a",
		"conf.d/b.yaml:3:3: timeperiod \"d\": excludes form a cycle: d "
		    "(conf.d/b.yaml:3:3) -> e (conf.d/b.yaml:4:3) -> d",
	};
	struct config *cfg;
	const struct cfg_timeperiod *f;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  a: {all: \"00:00-24:00\", exclude: b}\n"
	    "  b: {exclude: [c]}\n");
	put("conf.d/b.yaml",
	    "timeperiods:\n"
	    "  c: {exclude: [a]}\n"
	    "  d: {exclude: [e]}\n"
	    "  e: {exclude: [d]}\n"
	    "  f: {all: \"00:00-24:00\", exclude: [a, d]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	/* No cycle is left for timeperiod_contains() to loop on. */
	ck_assert_uint_eq(config_find_timeperiod(cfg, "a")->tp->nexclude, 0);
	ck_assert_uint_eq(config_find_timeperiod(cfg, "e")->tp->nexclude, 0);
	f = config_find_timeperiod(cfg, "f");
	ck_assert_uint_eq(f->tp->nexclude, 2);
	ck_assert_int_eq(timeperiod_contains(f->tp, 0, "UTC"), 0);
	config_free(cfg);
}
END_TEST

static Suite *
config_timeperiods_suite(void)
{
	Suite *s = suite_create("config_timeperiods");
	TCase *tc;

	tc = tcase_create("timeperiods");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, timeperiods_are_read_with_their_days_and_exclusions);
	tcase_add_test(tc, a_day_key_wins_over_all_whatever_the_order);
	tcase_add_test(tc, bad_timeperiods_name_the_place_and_what_is_expected);
	tcase_add_test(tc, date_exceptions_are_read_and_bad_ones_named_at_their_place);
	tcase_add_test(tc, a_timeperiod_defined_twice_names_both_places);
	tcase_add_test(tc, an_exclude_cycle_names_every_timeperiod_with_its_place);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_timeperiods_suite());
}
