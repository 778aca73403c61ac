/*
 * NAME
 *	check_quorum - combining a multi-location check's round
 *	(engine/quorum.c)
 * DESCRIPTION
 *	One table of rounds: the locations' statuses as a string (one letter
 *	per location: O K, W ARNING, U NKNOWN, C RITICAL, in pool order), the
 *	quorum and the combined status the state machine must see. A failure
 *	prints the round. Then the output: which locations the first line
 *	names, and the long output's line per location.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/quorum.h"
#include "result.h"
#include "tests/testutil.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const pools[] = { "p1", "p2", "p3", "p4", "p5" };

static int
status_of(char c)
{
	switch (c) {
	case 'O':
		return STATUS_OK;
	case 'W':
		return STATUS_WARNING;
	case 'C':
		return STATUS_CRITICAL;
	default:
		return STATUS_UNKNOWN;
	}
}

/* Votes from "OCC": pools p1.., outputs "out-p1".. */
static size_t
votes(const char *round, struct quorum_vote *v, char out[][16])
{
	size_t n = strlen(round);

	for (size_t i = 0; i < n; i++) {
		snprintf(out[i], 16, "out-%s", pools[i]);
		v[i].pool = pools[i];
		v[i].status = status_of(round[i]);
		v[i].output = out[i];
	}
	return n;
}

static const struct {
	const char *round;
	int quorum;
	int want;
} rounds[] = {
	/* quorum 1: the worst location wins, as one location would fail */
	{ "O", 1, STATUS_OK },
	{ "C", 1, STATUS_CRITICAL },
	{ "OOO", 1, STATUS_OK },
	{ "OOC", 1, STATUS_CRITICAL },
	{ "OWO", 1, STATUS_WARNING },
	{ "OUO", 1, STATUS_UNKNOWN },
	{ "WUC", 1, STATUS_CRITICAL },
	/* quorum 2 of 3: one location alone does not fail the check */
	{ "OOC", 2, STATUS_OK },
	{ "COO", 2, STATUS_OK },
	{ "OCC", 2, STATUS_CRITICAL },
	{ "CCC", 2, STATUS_CRITICAL },
	{ "COC", 2, STATUS_CRITICAL },
	{ "OWC", 2, STATUS_WARNING },	/* WARNING or worse from 2 */
	{ "OUC", 2, STATUS_UNKNOWN },	/* UNKNOWN ranks below CRITICAL */
	{ "UUC", 2, STATUS_UNKNOWN },
	{ "UCC", 2, STATUS_CRITICAL },
	{ "WWO", 2, STATUS_WARNING },
	{ "OUU", 2, STATUS_UNKNOWN },
	{ "OOU", 2, STATUS_OK },	/* one location that cannot tell */
	{ "WUO", 2, STATUS_WARNING },	/* UNKNOWN counts as at least WARNING */
	/* quorum n: every location must fail, the best one decides */
	{ "CCC", 3, STATUS_CRITICAL },
	{ "CCO", 3, STATUS_OK },
	{ "CCW", 3, STATUS_WARNING },
	{ "CUC", 3, STATUS_UNKNOWN },
	/* five locations */
	{ "OOCCC", 3, STATUS_CRITICAL },
	{ "OOOCC", 3, STATUS_OK },
	{ "OWUCC", 3, STATUS_UNKNOWN },
	{ "OWUCC", 4, STATUS_WARNING },
	/* out of range quorums are clamped (the config refuses them) */
	{ "OOC", 0, STATUS_CRITICAL },
	{ "CCO", 9, STATUS_OK },
};

START_TEST(the_worst_status_that_a_quorum_of_locations_reports_at_least_wins)
{
	struct quorum_vote v[8];
	char out[8][16];
	size_t n = votes(rounds[_i].round, v, out);
	int got = quorum_status(v, n, rounds[_i].quorum);

	ck_assert_msg(got == rounds[_i].want, "round %s quorum %d: got %s, want %s",
	    rounds[_i].round, rounds[_i].quorum, result_state_name(got, 0),
	    result_state_name(rounds[_i].want, 0));
}
END_TEST

START_TEST(severity_ranks_ok_warning_unknown_critical)
{
	ck_assert_int_lt(quorum_severity(STATUS_OK), quorum_severity(STATUS_WARNING));
	ck_assert_int_lt(quorum_severity(STATUS_WARNING), quorum_severity(STATUS_UNKNOWN));
	ck_assert_int_lt(quorum_severity(STATUS_UNKNOWN), quorum_severity(STATUS_CRITICAL));
	/* What no plugin should say is UNKNOWN. */
	ck_assert_int_eq(quorum_severity(7), quorum_severity(STATUS_UNKNOWN));
	ck_assert_int_eq(quorum_severity(-1), quorum_severity(STATUS_UNKNOWN));
}
END_TEST

static const struct {
	const char *round;
	int quorum;
	const char *want;
} texts[] = {
	{ "CCO", 2, "CRITICAL from 2 of 3 locations (quorum 2): p1: out-p1; p2: out-p2\n"
	    "p1: CRITICAL: out-p1\np2: CRITICAL: out-p2\np3: OK: out-p3" },
	/* OK names the locations that saw OK; the long output has the rest */
	{ "OCO", 2, "OK from 2 of 3 locations (quorum 2): p1: out-p1; p3: out-p3\n"
	    "p1: OK: out-p1\np2: CRITICAL: out-p2\np3: OK: out-p3" },
	/* a problem names every location at that status or worse */
	{ "OWC", 2, "WARNING from 2 of 3 locations (quorum 2): p2: out-p2; p3: out-p3\n"
	    "p1: OK: out-p1\np2: WARNING: out-p2\np3: CRITICAL: out-p3" },
	{ "UC", 1, "CRITICAL from 1 of 2 locations (quorum 1): p2: out-p2\n"
	    "p1: UNKNOWN: out-p1\np2: CRITICAL: out-p2" },
	{ "OO", 1, "OK from 2 of 2 locations (quorum 1): p1: out-p1; p2: out-p2\n"
	    "p1: OK: out-p1\np2: OK: out-p2" },
};

START_TEST(the_output_names_the_count_and_the_locations_and_one_line_each)
{
	struct quorum_vote v[8];
	char out[8][16];
	size_t n = votes(texts[_i].round, v, out);
	char *got = quorum_text(v, n, texts[_i].quorum, quorum_status(v, n, texts[_i].quorum));

	ck_assert_msg(strcmp(got, texts[_i].want) == 0, "round %s quorum %d:\ngot:\n%s\nwant:\n%s",
	    texts[_i].round, texts[_i].quorum, got, texts[_i].want);
	free(got);
}
END_TEST

START_TEST(an_output_with_a_bar_or_a_line_break_stays_one_line_without_perfdata)
{
	struct quorum_vote v[2] = {
		{ "eu-1", STATUS_CRITICAL, "down | x=1" },
		{ "eu-2", STATUS_OK, "" },
	};
	char *got = quorum_text(v, 2, 1, STATUS_CRITICAL);

	ck_assert_str_eq(got, "CRITICAL from 1 of 2 locations (quorum 1): eu-1: down   x=1\n"
	    "eu-1: CRITICAL: down   x=1\neu-2: OK: (no output)");
	free(got);
	v[0].output = "two\nlines\r";
	got = quorum_text(v, 2, 1, STATUS_CRITICAL);
	ck_assert_str_eq(got, "CRITICAL from 1 of 2 locations (quorum 1): eu-1: two lines \n"
	    "eu-1: CRITICAL: two lines \neu-2: OK: (no output)");
	free(got);
}
END_TEST

static Suite *
quorum_suite(void)
{
	Suite *s = suite_create("quorum");
	TCase *tc = tcase_create("status");

	tcase_add_loop_test(tc, the_worst_status_that_a_quorum_of_locations_reports_at_least_wins,
	    0, NELEM(rounds));
	tcase_add_test(tc, severity_ranks_ok_warning_unknown_critical);
	suite_add_tcase(s, tc);
	tc = tcase_create("output");
	tcase_add_loop_test(tc, the_output_names_the_count_and_the_locations_and_one_line_each,
	    0, NELEM(texts));
	tcase_add_test(tc, an_output_with_a_bar_or_a_line_break_stays_one_line_without_perfdata);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(quorum_suite());
}
