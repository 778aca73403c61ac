/*
 * NAME
 *	check_macro - unit tests for macro expansion (lib/macro.c)
 * DESCRIPTION
 *	Tables of inputs and what one argument becomes: macros, "$$", values
 *	that look like shell or like macros (never re-expanded), and the two
 *	errors (unknown, unterminated) with their exact messages.
 * DIAGNOSTICS
 *	Exit status 0 when every test passes; a failing case prints its input.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "tests/testutil.h"

/* The lookup every table uses: a fixed host and service. */
static const struct {
	const char *name;
	const char *value;
} vals[] = {
	{ "HOSTNAME", "web-01" },
	{ "HOSTADDRESS", "10.0.0.5" },
	{ "SERVICEDESC", "http" },
	{ "EMPTY", "" },
	{ "LOOKSLIKEMACRO", "$HOSTNAME$" },
	{ "DOLLARS", "$$" },
	{ "SHELL", "a;b $(rm -rf /) `id` 'q' \"dq\"\nline2" },
	{ "ARG1", "/health" },
};

static const char *
lookup(const char *name, void *ctx)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		if (strcmp(vals[i].name, name) == 0)
			return vals[i].value;
	return NULL;
}

static const struct {
	const char *in;
	const char *out;
} expand_cases[] = {
	{ "", "" },
	{ "plain text", "plain text" },
	{ "$HOSTNAME$", "web-01" },
	{ "-H$HOSTADDRESS$:80", "-H10.0.0.5:80" },
	{ "$HOSTNAME$$HOSTADDRESS$", "web-0110.0.0.5" },
	{ "$HOSTNAME$/$SERVICEDESC$", "web-01/http" },
	{ "x$EMPTY$y", "xy" },
	{ "$$", "$" },
	{ "a$$b", "a$b" },
	{ "$$HOSTNAME$$", "$HOSTNAME$" },
	{ "$$$HOSTNAME$", "$web-01" },
	{ "$HOSTNAME$$$", "web-01$" },
	{ "100$$ sure", "100$ sure" },
	{ "$LOOKSLIKEMACRO$", "$HOSTNAME$" },
	{ "$DOLLARS$", "$$" },
	{ "$SHELL$", "a;b $(rm -rf /) `id` 'q' \"dq\"\nline2" },
	{ "-u$ARG1$?x=1", "-u/health?x=1" },
	{ "100,20%", "100,20%" },
};

START_TEST(expansion_table)
{
	char err[128] = "", *out = NULL;
	int rc;

	rc = macro_expand(expand_cases[_i].in, lookup, NULL, &out, err,
	    sizeof(err));
	ck_assert_msg(rc == 0, "input \"%s\": rc %d, err %s",
	    expand_cases[_i].in, rc, err);
	ck_assert_msg(strcmp(out, expand_cases[_i].out) == 0,
	    "input \"%s\": got \"%s\", want \"%s\"", expand_cases[_i].in, out,
	    expand_cases[_i].out);
	free(out);
}
END_TEST

static const struct {
	const char *in;
	const char *err;
} error_cases[] = {
	{ "$FOO$", "unknown macro $FOO$" },
	{ "-H $HOSTNAME$ $FOO$", "unknown macro $FOO$" },
	{ "$hostname$", "unknown macro $hostname$" },
	{ "$HOSTNAME", "unterminated macro at \"$HOSTNAME\"" },
	{ "abc$", "unterminated macro at \"$\"" },
	{ "$$$", "unterminated macro at \"$\"" },
	{ "$HOSTNAME$$", "unterminated macro at \"$\"" },
	{ "costs 5$ only", "unterminated macro at \"$ only\"" },
	{ "$abcdefghijklmnopqrstuvwxyz0123456789",
	    "unterminated macro at \"$abcdefghijklmnopqrstuvwxyz01234...\"" },
	{ "$ab\ncd", "unterminated macro at \"$ab\"" },
};

START_TEST(error_table)
{
	char err[128] = "", *out = (char *)"untouched";
	int rc;

	rc = macro_expand(error_cases[_i].in, lookup, NULL, &out, err,
	    sizeof(err));
	ck_assert_msg(rc == -1, "input \"%s\": rc %d, want -1",
	    error_cases[_i].in, rc);
	ck_assert_msg(out == NULL, "input \"%s\": *out not NULL on error",
	    error_cases[_i].in);
	ck_assert_msg(strcmp(err, error_cases[_i].err) == 0,
	    "input \"%s\": err \"%s\", want \"%s\"", error_cases[_i].in, err,
	    error_cases[_i].err);
}
END_TEST

START_TEST(no_error_buffer_is_fine)
{
	char *out;

	ck_assert_int_eq(macro_expand("$FOO$", lookup, NULL, &out, NULL, 0), -1);
	ck_assert_int_eq(macro_expand("$FOO", lookup, NULL, &out, NULL, 0), -1);
}
END_TEST

START_TEST(short_error_buffer_is_cut_not_overrun)
{
	char err[8], *out;

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(macro_expand("$LONGMACRONAME$", lookup, NULL, &out,
	    err, 5), -1);
	ck_assert_str_eq(err, "unkn");
	ck_assert_int_eq(err[5], 'x');
}
END_TEST

struct seen {
	char names[8][32];
	int n;
	void *ctx;
};

static const char *
recording_lookup(const char *name, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 8)
		strncpy(s->names[s->n++], name, sizeof(s->names[0]) - 1);
	return "v";
}

START_TEST(lookup_gets_the_name_without_dollars_and_the_context)
{
	struct seen s;
	char *out;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(macro_expand("$A$-$$-$_HOSTenv$", recording_lookup,
	    &s, &out, NULL, 0), 0);
	ck_assert_str_eq(out, "v-$-v");
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.names[0], "A");
	ck_assert_str_eq(s.names[1], "_HOSTenv");
	free(out);
}
END_TEST

static const struct {
	const char *name;
	int runtime;
} runtime_cases[] = {
	{ "HOSTSTATE", 1 }, { "SERVICESTATE", 1 },
	{ "HOSTOUTPUT", 1 }, { "SERVICEOUTPUT", 1 },
	{ "LONGHOSTOUTPUT", 1 }, { "LONGSERVICEOUTPUT", 1 },
	{ "LASTHOSTSTATECHANGE", 1 }, { "LASTSERVICESTATECHANGE", 1 },
	{ "NOTIFICATIONTYPE", 1 }, { "CONTACTNAME", 1 }, { "CONTACTEMAIL", 1 },
	{ "TIMET", 1 }, { "LONGDATETIME", 1 },
	{ "HOSTNAME", 0 }, { "HOSTADDRESS", 0 }, { "ARG1", 0 }, { "USER1", 0 },
	{ "hoststate", 0 }, { "", 0 },
};

START_TEST(runtime_macros_are_known)
{
	ck_assert_msg(macro_is_runtime(runtime_cases[_i].name) ==
	    runtime_cases[_i].runtime, "macro_is_runtime(\"%s\") != %d",
	    runtime_cases[_i].name, runtime_cases[_i].runtime);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
macro_suite(void)
{
	Suite *s = suite_create("macro");
	TCase *tc;

	tc = tcase_create("expansion");
	tcase_add_loop_test(tc, expansion_table, 0, N(expand_cases));
	tcase_add_test(tc, lookup_gets_the_name_without_dollars_and_the_context);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, error_table, 0, N(error_cases));
	tcase_add_test(tc, no_error_buffer_is_fine);
	tcase_add_test(tc, short_error_buffer_is_cut_not_overrun);
	suite_add_tcase(s, tc);

	tc = tcase_create("runtime_macros");
	tcase_add_loop_test(tc, runtime_macros_are_known, 0, N(runtime_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(macro_suite());
}
