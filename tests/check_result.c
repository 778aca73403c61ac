/*
 * NAME
 *	check_result - plugin outcomes and output parsing (lib/result.c)
 * DESCRIPTION
 *	SEMANTICS.md "Plugin results": exit codes, signals, timeouts, empty
 *	output, truncation marks, and how output, long output and perfdata
 *	are split.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "result.h"
#include "tests/testutil.h"

static struct plugin_outcome
exited(int code, const char *out)
{
	struct plugin_outcome o;

	memset(&o, 0, sizeof(o));
	o.exited = 1;
	o.exit_code = code;
	o.out = out;
	o.outlen = strlen(out);
	o.output_limit = 65536;
	o.timeout = 60;
	o.timeout_state = STATUS_CRITICAL;
	o.plugin = "/usr/lib/nagios/plugins/check_x";
	return o;
}

static const struct {
	int code;
	int status;
} exit_table[] = {
	{ 0, STATUS_OK }, { 1, STATUS_WARNING }, { 2, STATUS_CRITICAL },
	{ 3, STATUS_UNKNOWN }, { 4, STATUS_UNKNOWN }, { 42, STATUS_UNKNOWN },
	{ 255, STATUS_UNKNOWN },
};

START_TEST(exit_codes_map_to_states_and_others_are_unknown)
{
	struct plugin_outcome o = exited(exit_table[_i].code, "TEXT");
	char *text;
	int st = result_from_outcome(&o, &text);

	ck_assert_msg(st == exit_table[_i].status, "exit %d gave %d", exit_table[_i].code, st);
	if (exit_table[_i].code > 3)
		ck_assert_msg(strstr(text, "(plugin exited") == text && strstr(text, "TEXT") != NULL,
		    "exit %d: %s", exit_table[_i].code, text);
	else
		ck_assert_str_eq(text, "TEXT");
	free(text);
}
END_TEST

START_TEST(exit_127_names_the_plugin_as_not_found)
{
	struct plugin_outcome o = exited(127, "");
	char *text;

	ck_assert_int_eq(result_from_outcome(&o, &text), STATUS_UNKNOWN);
	ck_assert_str_eq(text, "(plugin exited 127: not found or not executable: /usr/lib/nagios/plugins/check_x)");
	free(text);
}
END_TEST

/* A loader's or an interpreter's own message, when there is one: the first
 * line of stderr says what is missing. */
START_TEST(exit_127_with_a_loader_error_shows_its_first_line)
{
	static const char err[] = "check_x: error while loading shared libraries: libfoo.so.1: "
	    "cannot open shared object file: No such file or directory\nsecond line";
	struct plugin_outcome o = exited(127, "");
	char *text;

	o.err = err;
	o.errlen = sizeof(err) - 1;
	ck_assert_int_eq(result_from_outcome(&o, &text), STATUS_UNKNOWN);
	ck_assert_str_eq(text, "(plugin exited 127: /usr/lib/nagios/plugins/check_x: check_x: "
	    "error while loading shared libraries: libfoo.so.1: cannot open shared object file: "
	    "No such file or directory)");
	free(text);
	o = exited(126, "");
	o.err = "/bin/sh: 1: /opt/p/check_y: Permission denied";
	o.errlen = strlen(o.err);
	ck_assert_int_eq(result_from_outcome(&o, &text), STATUS_UNKNOWN);
	ck_assert_str_eq(text, "(plugin exited 126: /usr/lib/nagios/plugins/check_x: /bin/sh: 1: "
	    "/opt/p/check_y: Permission denied)");
	free(text);
}
END_TEST

START_TEST(exec_failure_is_unknown_with_the_reason)
{
	struct plugin_outcome o = exited(127, "");
	char *text;

	o.exec_errno = ENOENT;
	ck_assert_int_eq(result_from_outcome(&o, &text), STATUS_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(text, "not found or not executable: /usr/lib/nagios/plugins/check_x: No such file"));
	free(text);
}
END_TEST

START_TEST(signal_death_is_unknown_naming_the_signal)
{
	struct plugin_outcome o = exited(0, "partial");
	char *text;

	o.exited = 0;
	o.signo = SIGSEGV;
	ck_assert_int_eq(result_from_outcome(&o, &text), STATUS_UNKNOWN);
	ck_assert_str_eq(text, "(plugin killed by signal 11 (SIGSEGV)) partial");
	free(text);
}
END_TEST

START_TEST(timeout_gives_timeout_state_and_keeps_what_was_read)
{
	struct plugin_outcome o = exited(0, "half a line");
	char *text;

	o.exited = 0;
	o.signo = SIGTERM;
	o.timed_out = 1;
	o.timeout = 10;
	ck_assert_int_eq(result_from_outcome(&o, &text), STATUS_CRITICAL);
	ck_assert_str_eq(text, "(Service check timed out after 10 seconds)\nhalf a line");
	free(text);
	o.is_host = 1;
	o.timeout_state = STATUS_UNKNOWN;
	o.outlen = 0;
	ck_assert_int_eq(result_from_outcome(&o, &text), STATUS_UNKNOWN);
	ck_assert_str_eq(text, "(Host check timed out after 10 seconds)");
	free(text);
}
END_TEST

START_TEST(no_stdout_says_so_and_adds_stderr)
{
	struct plugin_outcome o = exited(2, "");
	char *text;

	o.err = "connection refused\n";
	o.errlen = strlen(o.err);
	ck_assert_int_eq(result_from_outcome(&o, &text), STATUS_CRITICAL);
	ck_assert_str_eq(text, "(No output on stdout) stderr: connection refused\n");
	free(text);
	o.errlen = 0;
	result_from_outcome(&o, &text);
	ck_assert_str_eq(text, "(No output on stdout)");
	free(text);
}
END_TEST

START_TEST(truncated_output_is_marked)
{
	struct plugin_outcome o = exited(0, "aaaa");
	char *text;

	o.out_truncated = 1;
	o.output_limit = 4;
	result_from_outcome(&o, &text);
	ck_assert_str_eq(text, "aaaa\n(output truncated: the plugin wrote more than 4 bytes)");
	free(text);
}
END_TEST

START_TEST(invalid_utf8_and_nul_bytes_are_cleaned)
{
	struct plugin_outcome o = exited(0, "");
	char *text;

	o.out = "a\xff" "b\0c";
	o.outlen = 5;
	result_from_outcome(&o, &text);
	ck_assert_str_eq(text, "a\xef\xbf\xbd" "b c");
	free(text);
}
END_TEST

static const struct {
	const char *in, *output, *long_output, *perfdata;
} split_table[] = {
	{ "OK", "OK", "", "" },
	{ "OK - fine | time=0.1s;1;2", "OK - fine", "", "time=0.1s;1;2" },
	{ "  spaced  |  a=1  ", "spaced", "", "a=1" },
	{ "DISK OK\n/ 10%\n/var 20%", "DISK OK", "/ 10%\n/var 20%", "" },
	{ "DISK OK | a=1\n/ 10%\n/var 20% | b=2\nc=3\nd=4", "DISK OK", "/ 10%\n/var 20%",
	  "a=1 b=2 c=3 d=4" },
	{ "OK\nlong one\n| x=1\ny=2", "OK", "long one", "x=1 y=2" },
	{ "", "", "", "" },
	{ "|only=1", "", "", "only=1" },
};

START_TEST(multiline_output_with_perfdata_on_later_lines)
{
	struct result_text rt;

	result_split(split_table[_i].in, &rt);
	ck_assert_msg(strcmp(rt.output, split_table[_i].output) == 0, "input \"%s\": output \"%s\"",
	    split_table[_i].in, rt.output);
	ck_assert_msg(strcmp(rt.long_output, split_table[_i].long_output) == 0,
	    "input \"%s\": long output \"%s\"", split_table[_i].in, rt.long_output);
	ck_assert_msg(strcmp(rt.perfdata, split_table[_i].perfdata) == 0,
	    "input \"%s\": perfdata \"%s\"", split_table[_i].in, rt.perfdata);
	result_text_clear(&rt);
}
END_TEST

START_TEST(state_names_and_parsing)
{
	ck_assert_str_eq(result_state_name(2, 0), "CRITICAL");
	ck_assert_str_eq(result_state_name(1, 1), "DOWN");
	ck_assert_str_eq(result_state_name(STATE_PENDING, 0), "PENDING");
	ck_assert_int_eq(result_state_parse("warning", 0), 1);
	ck_assert_int_eq(result_state_parse("3", 0), 3);
	ck_assert_int_eq(result_state_parse("DOWN", 1), STATUS_CRITICAL);
	ck_assert_int_eq(result_state_parse("UP", 1), STATUS_OK);
	ck_assert_int_eq(result_state_parse("DOWN", 0), -1);
	ck_assert_int_eq(result_state_parse("7", 0), -1);
}
END_TEST

static Suite *
result_suite(void)
{
	Suite *s = suite_create("result");
	TCase *tc = tcase_create("outcome");

	tcase_add_loop_test(tc, exit_codes_map_to_states_and_others_are_unknown, 0,
	    sizeof(exit_table) / sizeof(exit_table[0]));
	tcase_add_test(tc, exit_127_names_the_plugin_as_not_found);
	tcase_add_test(tc, exit_127_with_a_loader_error_shows_its_first_line);
	tcase_add_test(tc, exec_failure_is_unknown_with_the_reason);
	tcase_add_test(tc, signal_death_is_unknown_naming_the_signal);
	tcase_add_test(tc, timeout_gives_timeout_state_and_keeps_what_was_read);
	tcase_add_test(tc, no_stdout_says_so_and_adds_stderr);
	tcase_add_test(tc, truncated_output_is_marked);
	tcase_add_test(tc, invalid_utf8_and_nul_bytes_are_cleaned);
	suite_add_tcase(s, tc);
	tc = tcase_create("split");
	tcase_add_loop_test(tc, multiline_output_with_perfdata_on_later_lines, 0,
	    sizeof(split_table) / sizeof(split_table[0]));
	tcase_add_test(tc, state_names_and_parsing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(result_suite());
}
