/*
 * NAME
 *	check_range - Nagios threshold ranges (lib/range.c)
 * DESCRIPTION
 *	SEMANTICS.md "Plugin results", ranges: every form ("10", "10:",
 *	"~:10", "10:20", "@10:20"), inclusive ends tested on and just past
 *	each boundary, refused texts, and critical-before-warning status.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"
#include "tests/testutil.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const char *text;
	double start, end;
	int start_inf, end_inf, inside;
} parse_cases[] = {
	{ "10", 0, 10, 0, 0, 0 },
	{ "10:", 10, 0, 0, 1, 0 },
	{ "~:10", 0, 10, 1, 0, 0 },
	{ "10:20", 10, 20, 0, 0, 0 },
	{ "@10:20", 10, 20, 0, 0, 1 },
	{ "@10", 0, 10, 0, 0, 1 },
	{ "@10:", 10, 0, 0, 1, 1 },
	{ "@~:10", 0, 10, 1, 0, 1 },
	{ "0", 0, 0, 0, 0, 0 },
	{ "10:10", 10, 10, 0, 0, 0 },
	{ "-10:-5", -10, -5, 0, 0, 0 },
	{ "-5.5:2.25", -5.5, 2.25, 0, 0, 0 },
	{ "~:-3", 0, -3, 1, 0, 0 },
	{ "-3:", -3, 0, 0, 1, 0 },
	{ ":10", 0, 10, 0, 0, 0 },	/* empty start is 0, as the plugins read it */
	{ "~:", 0, 0, 1, 1, 0 },
	{ "@~:", 0, 0, 1, 1, 1 },
	{ ".5:1.", 0.5, 1, 0, 0, 0 },
	{ "1e3:2.5E3", 1000, 2500, 0, 0, 0 },
	{ "0.000001", 0, 0.000001, 0, 0, 0 },
	{ "007:010", 7, 10, 0, 0, 0 },
};

START_TEST(every_range_form_parses_to_its_bounds)
{
	struct range r;
	char err[256] = "";
	const char *t = parse_cases[_i].text;

	ck_assert_msg(range_parse(t, &r, err, sizeof(err)) == 0, "range \"%s\": %s", t, err);
	ck_assert_msg(r.inside == parse_cases[_i].inside, "range \"%s\": inside %d", t, r.inside);
	ck_assert_msg(r.start_inf == parse_cases[_i].start_inf, "range \"%s\": start_inf", t);
	ck_assert_msg(r.end_inf == parse_cases[_i].end_inf, "range \"%s\": end_inf", t);
	if (r.start_inf)
		ck_assert_msg(isinf(r.start) && r.start < 0, "range \"%s\": start %g", t, r.start);
	else
		ck_assert_msg(r.start == parse_cases[_i].start, "range \"%s\": start %g", t, r.start);
	if (r.end_inf)
		ck_assert_msg(isinf(r.end) && r.end > 0, "range \"%s\": end %g", t, r.end);
	else
		ck_assert_msg(r.end == parse_cases[_i].end, "range \"%s\": end %g", t, r.end);
}
END_TEST

/* Each boundary is tested on the end itself (inclusive: no alert for an
 * outside range, an alert for "@") and just past it. */
static const struct {
	const char *text;
	double x;
	int alert;
} alert_cases[] = {
	{ "10", -1, 1 }, { "10", -0.001, 1 }, { "10", 0, 0 }, { "10", 5, 0 },
	{ "10", 10, 0 }, { "10", 10.001, 1 }, { "10", 1e12, 1 },
	{ "10:", -1e12, 1 }, { "10:", 9.999, 1 }, { "10:", 10, 0 }, { "10:", 1e300, 0 },
	{ "~:10", -1e300, 0 }, { "~:10", 10, 0 }, { "~:10", 10.001, 1 },
	{ "10:20", 9.999, 1 }, { "10:20", 10, 0 }, { "10:20", 15, 0 }, { "10:20", 20, 0 },
	{ "10:20", 20.001, 1 },
	{ "@10:20", 9.999, 0 }, { "@10:20", 10, 1 }, { "@10:20", 15, 1 }, { "@10:20", 20, 1 },
	{ "@10:20", 20.001, 0 },
	{ "@10", -0.001, 0 }, { "@10", 0, 1 }, { "@10", 10, 1 }, { "@10", 10.001, 0 },
	{ "@10:", 9.999, 0 }, { "@10:", 10, 1 }, { "@10:", 1e300, 1 },
	{ "@~:10", -1e300, 1 }, { "@~:10", 10, 1 }, { "@~:10", 10.001, 0 },
	{ "-10:-5", -10.001, 1 }, { "-10:-5", -10, 0 }, { "-10:-5", -5, 0 }, { "-10:-5", -4.999, 1 },
	{ "-5.5:2.25", -5.5, 0 }, { "-5.5:2.25", -5.51, 1 }, { "-5.5:2.25", 2.25, 0 },
	{ "-5.5:2.25", 2.26, 1 },
	{ "0", 0, 0 }, { "0", 0.1, 1 }, { "0", -0.1, 1 },
	{ "5:5", 5, 0 }, { "5:5", 5.0001, 1 }, { "5:5", 4.9999, 1 },
	{ "~:", -1e300, 0 }, { "~:", 0, 0 }, { "~:", 1e300, 0 },
	{ "@~:", -1e300, 1 }, { "@~:", 0, 1 }, { "@~:", 1e300, 1 },
	{ ":10", -1, 1 }, { ":10", 0, 0 },
	{ "10", INFINITY, 1 }, { "10:", INFINITY, 0 }, { "~:10", -INFINITY, 0 },
};

START_TEST(alerts_outside_the_range_or_inside_with_at_and_ends_are_inclusive)
{
	struct range r;
	char err[256] = "";
	const char *t = alert_cases[_i].text;
	double x = alert_cases[_i].x;

	ck_assert_msg(range_parse(t, &r, err, sizeof(err)) == 0, "range \"%s\": %s", t, err);
	ck_assert_msg(range_alert(&r, x) == alert_cases[_i].alert, "range \"%s\", x=%.17g: expected %s",
	    t, x, alert_cases[_i].alert ? "an alert" : "no alert");
}
END_TEST

static const struct {
	const char *text;
	const char *msg;	/* part of the error message */
} error_cases[] = {
	{ "", "empty" },
	{ "20:10", "greater" },
	{ "-1", "greater" },	/* "0:-1" */
	{ "@5:4.999", "greater" },
	{ "0.5:-0.5", "greater" },
	{ ":", "neither" },
	{ "@:", "neither" },
	{ "~", "expected" },
	{ "@", "expected" },
	{ "@@10", "expected" },
	{ "abc", "expected" },
	{ "10:abc", "expected" },
	{ "abc:10", "expected" },
	{ "1:2:3", "expected" },
	{ "::", "expected" },
	{ "~:~", "expected" },
	{ "10:~", "expected" },
	{ "~10", "expected" },
	{ "~~:10", "expected" },
	{ "0x10", "expected" },
	{ "inf", "expected" },
	{ "-inf:0", "expected" },
	{ "nan", "expected" },
	{ "1e999", "expected" },
	{ "1,5", "expected" },
	{ "--1", "expected" },
	{ "+5", "expected" },
	{ "1.2.3", "expected" },
	{ ".", "expected" },
	{ "-", "expected" },
	{ "1e", "expected" },
	{ "5%", "expected" },
	{ " 10", "expected" },
	{ "10 ", "expected" },
	{ "10: 20", "expected" },
	{ "10@", "expected" },
	{ "10:@20", "expected" },
};

START_TEST(malformed_ranges_are_refused_with_a_message)
{
	struct range r = { .start = 42 };
	char err[256] = "";
	const char *t = error_cases[_i].text;

	ck_assert_msg(range_parse(t, &r, err, sizeof(err)) == -1, "range \"%s\" was accepted", t);
	ck_assert_msg(strstr(err, error_cases[_i].msg) != NULL, "range \"%s\": message \"%s\" lacks \"%s\"",
	    t, err, error_cases[_i].msg);
	if (*t != '\0')
		ck_assert_msg(strstr(err, t) != NULL, "range \"%s\": message \"%s\" does not quote it",
		    t, err);
	ck_assert_msg(r.start == 42, "range \"%s\": *r was changed on error", t);
}
END_TEST

START_TEST(an_error_without_a_buffer_or_text_does_not_crash)
{
	struct range r;
	char err[8];

	ck_assert_int_eq(range_parse("x", &r, NULL, 0), -1);
	ck_assert_int_eq(range_parse(NULL, &r, err, sizeof(err)), -1);
	/* A tiny buffer gets a truncated, terminated message. */
	ck_assert_int_eq(range_parse("20:10", &r, err, sizeof(err)), -1);
	ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
}
END_TEST

START_TEST(an_error_message_quotes_at_most_a_short_prefix_of_junk)
{
	size_t n = 100000;
	char *junk = malloc(n + 1);
	struct range r;
	char err[512];

	memset(junk, 'x', n);
	junk[n] = '\0';
	ck_assert_int_eq(range_parse(junk, &r, err, sizeof(err)), -1);
	ck_assert_uint_lt(strlen(err), 200);
	free(junk);
}
END_TEST

START_TEST(not_a_number_never_alerts)
{
	struct range r;

	ck_assert_int_eq(range_parse("10", &r, NULL, 0), 0);
	ck_assert_int_eq(range_alert(&r, NAN), 0);
	ck_assert_int_eq(range_parse("@~:", &r, NULL, 0), 0);
	ck_assert_int_eq(range_alert(&r, NAN), 0);
	ck_assert_int_eq(range_status(&r, &r, NAN), 0);
}
END_TEST

static const struct {
	const char *warn, *crit;	/* NULL: no threshold */
	double x;
	int status;
} status_cases[] = {
	{ "10", "20", 5, 0 },
	{ "10", "20", 10, 0 },
	{ "10", "20", 10.5, 1 },
	{ "10", "20", 20, 1 },
	{ "10", "20", 20.5, 2 },
	{ "10", "20", -1, 2 },		/* below both: critical wins */
	{ "@0:100", "50", 60, 2 },	/* both alert: critical first */
	{ "@0:100", "50", 40, 1 },
	{ "10:", "5:", 3, 2 },
	{ "10:", "5:", 7, 1 },
	{ "10:", "5:", 10, 0 },
	{ "~:10", "~:20", 15, 1 },
	{ NULL, "20", 15, 0 },
	{ NULL, "20", 25, 2 },
	{ "10", NULL, 15, 1 },
	{ "10", NULL, 1e9, 1 },
	{ NULL, NULL, 1e9, 0 },
	{ "20", "10", 15, 2 },		/* crit tighter than warn still wins */
};

START_TEST(status_is_critical_before_warning)
{
	struct range w, c;
	const char *wt = status_cases[_i].warn, *ct = status_cases[_i].crit;
	int st;

	if (wt != NULL)
		ck_assert_int_eq(range_parse(wt, &w, NULL, 0), 0);
	if (ct != NULL)
		ck_assert_int_eq(range_parse(ct, &c, NULL, 0), 0);
	st = range_status(wt != NULL ? &w : NULL, ct != NULL ? &c : NULL, status_cases[_i].x);
	ck_assert_msg(st == status_cases[_i].status, "warn \"%s\" crit \"%s\" x=%g: status %d, expected %d",
	    wt != NULL ? wt : "(none)", ct != NULL ? ct : "(none)", status_cases[_i].x, st,
	    status_cases[_i].status);
}
END_TEST

static const struct {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	size_t used;
	double value;
} number_cases[] = {
	{ "12ms", 0, 2, 12 },
	{ "1e3s", 0, 3, 1000 },
	{ "1E+06", 0, 5, 1e6 },
	{ "1.5E-3ms", 0, 6, 0.0015 },
	{ "5e", 0, 1, 5 },		/* "e" without digits is not an exponent */
	{ "5e+", 0, 1, 5 },
	{ "5es", 0, 1, 5 },
	{ "-.5", 0, 3, -0.5 },
	{ "1.", 0, 2, 1 },
	{ "007", 0, 3, 7 },
	{ "-0", 0, 2, 0 },
	{ "1.2.3", 0, 3, 1.2 },
	{ "0x1", 0, 1, 0 },		/* never hex */
	{ "123", 2, 2, 12 },		/* the length bounds the scan */
	{ "1e5", 2, 1, 1 },
	{ "4.9e-324", 0, 8, 4.9e-324 },	/* denormal: fine */
	{ "-", 0, 0, 0 },
	{ ".", 0, 0, 0 },
	{ "-.", 0, 0, 0 },
	{ "e5", 0, 0, 0 },
	{ "+1", 0, 0, 0 },
	{ "inf", 0, 0, 0 },
	{ "nan", 0, 0, 0 },
	{ "1e999", 0, 0, 0 },		/* overflows a double */
	{ "", 0, 0, 0 },
};

START_TEST(numbers_are_scanned_as_far_as_they_go)
{
	const char *t = number_cases[_i].text;
	size_t len = number_cases[_i].len != 0 ? number_cases[_i].len : strlen(t);
	double v = -12345;
	size_t used = range_scan_number(t, len, &v);

	ck_assert_msg(used == number_cases[_i].used, "number \"%s\" (len %zu): used %zu, expected %zu",
	    t, len, used, number_cases[_i].used);
	if (used > 0)
		ck_assert_msg(v == number_cases[_i].value, "number \"%s\": value %.17g", t, v);
	else
		ck_assert_msg(v == -12345, "number \"%s\": *out changed on failure", t);
}
END_TEST

START_TEST(a_number_thousands_of_digits_long_is_read)
{
	size_t n = 20000;
	char *s = malloc(n + 3);
	double v = 0;

	memset(s, '0', n);
	memcpy(s + n, "42", 3);
	ck_assert_uint_eq(range_scan_number(s, n + 2, &v), n + 2);
	ck_assert(v == 42);
	s[0] = '9';		/* 9e20001: not finite */
	ck_assert_uint_eq(range_scan_number(s, n + 2, &v), 0);
	free(s);
}
END_TEST

static Suite *
range_suite(void)
{
	Suite *s = suite_create("range");
	TCase *tc;

	tc = tcase_create("forms");
	tcase_add_loop_test(tc, every_range_form_parses_to_its_bounds, 0, N(parse_cases));
	tcase_add_loop_test(tc, alerts_outside_the_range_or_inside_with_at_and_ends_are_inclusive,
	    0, N(alert_cases));
	tcase_add_test(tc, not_a_number_never_alerts);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, malformed_ranges_are_refused_with_a_message, 0, N(error_cases));
	tcase_add_test(tc, an_error_without_a_buffer_or_text_does_not_crash);
	tcase_add_test(tc, an_error_message_quotes_at_most_a_short_prefix_of_junk);
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_add_loop_test(tc, status_is_critical_before_warning, 0, N(status_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("numbers");
	tcase_add_loop_test(tc, numbers_are_scanned_as_far_as_they_go, 0, N(number_cases));
	tcase_add_test(tc, a_number_thousands_of_digits_long_is_read);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(range_suite());
}
