/*
 * NAME
 *	check_log - the log's one line per event, whatever the values hold
 * DESCRIPTION
 *	log_escape()'s table, and real lines read back from a pipe standing
 *	in for stderr: a value with newlines or terminal escapes stays on its
 *	line, times end in Z, and under systemd (JOURNAL_STREAM) each line
 *	starts with its syslog priority.
 * DIAGNOSTICS
 *	Exit status 0 when every test passes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "testutil.h"

static const struct {
	const char *in, *want;
} escape_cases[] = {
	{ "plain text, quotes \" and = stay", "plain text, quotes \" and = stay" },
	{ "two\nlines", "two\\nlines" },
	{ "cr\rlf\n", "cr\\rlf\\n" },
	{ "tab\there", "tab\\there" },
	{ "back\\slash", "back\\\\slash" },
	{ "esc \x1b[31mred", "esc \\x1b[31mred" },
	{ "del\x7f", "del\\x7f" },
	{ "caf\xc3\xa9 UTF-8 stays", "caf\xc3\xa9 UTF-8 stays" },
	{ "", "" },
};

START_TEST(control_characters_and_backslashes_are_escaped)
{
	char out[256];
	size_t n = log_escape(escape_cases[_i].in, strlen(escape_cases[_i].in), out, sizeof(out));

	ck_assert_str_eq(out, escape_cases[_i].want);
	ck_assert_uint_eq(n, strlen(escape_cases[_i].want));
}
END_TEST

START_TEST(an_escape_is_never_cut_in_half)
{
	char out[6];

	/* "ab\n" needs 4 bytes and a NUL: "ab\\n" fits; one more \n does not */
	ck_assert_uint_eq(log_escape("ab\n\n", 4, out, sizeof(out)), 4);
	ck_assert_str_eq(out, "ab\\n");
}
END_TEST

/* What the log writes for one log_msg() call, stderr being a pipe. */
static char *
one_line(int journal, const char *value)
{
	int fd[2], saved = dup(STDERR_FILENO);
	static char buf[8192];
	ssize_t n;

	ck_assert_int_eq(pipe(fd), 0);
	dup2(fd[1], STDERR_FILENO);
	close(fd[1]);
	if (journal) {	/* 1: stderr is the stream named; 2: another one */
		struct stat st;
		char v[64];

		ck_assert_int_eq(fstat(STDERR_FILENO, &st), 0);
		snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_ino + (journal == 2));
		setenv("JOURNAL_STREAM", v, 1);
	} else
		unsetenv("JOURNAL_STREAM");
	log_init("vigil-test", LOG_INFO);
	log_warn("passive result host=%s reason=\"%s\"", value, "x");
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = read(fd[0], buf, sizeof(buf) - 1);
	close(fd[0]);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	return buf;
}

START_TEST(a_forged_line_in_a_value_stays_in_its_own_line)
{
	char *line = one_line(0, "web-01\n2026-12-07T00:00:00.000Z error vigil-engine: forged");

	/* one newline, at the end */
	ck_assert_ptr_eq(strchr(line, '\n'), line + strlen(line) - 1);
	ck_assert_msg(strstr(line, "host=web-01\\n2026-12-07T00:00:00.000Z error vigil-engine: "
	    "forged reason=\"x\"") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "Z warn vigil-test: passive result") != NULL, "%s", line);
	ck_assert_msg(line[0] == '2' && line[23] == 'Z', "a UTC time first: %s", line);
}
END_TEST

START_TEST(under_systemd_each_line_starts_with_its_priority)
{
	char *line = one_line(1, "h");

	ck_assert_msg(strncmp(line, "<4>", 3) == 0 && line[3 + 23] == 'Z', "%s", line);
	unsetenv("JOURNAL_STREAM");
}
END_TEST

/* --log-file, or a child the variable leaked to: stderr is not the
 * journal's stream, so no priority prefix. */
START_TEST(a_journal_stream_that_is_not_stderr_is_ignored)
{
	char *line = one_line(2, "h");

	ck_assert_msg(line[0] == '2' && line[23] == 'Z', "%s", line);
	unsetenv("JOURNAL_STREAM");
}
END_TEST

static Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("escaping");

	tcase_add_loop_test(tc, control_characters_and_backslashes_are_escaped, 0,
	    (int)(sizeof(escape_cases) / sizeof(escape_cases[0])));
	tcase_add_test(tc, an_escape_is_never_cut_in_half);
	tcase_add_test(tc, a_forged_line_in_a_value_stays_in_its_own_line);
	tcase_add_test(tc, under_systemd_each_line_starts_with_its_priority);
	tcase_add_test(tc, a_journal_stream_that_is_not_stderr_is_ignored);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(log_suite());
}
