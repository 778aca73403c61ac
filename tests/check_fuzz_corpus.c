/*
 * NAME
 *	check_fuzz_corpus - every fuzz target (tests/fuzz/) replays its seed
 *	corpus and every crash found so far, under whatever sanitizers the
 *	build has: a fixed crash stays fixed
 * DESCRIPTION
 *	tests/fuzz/corpus/<target>/ holds the seeds (and what a fuzzing run
 *	chose to keep), tests/fuzz/crashes/<target>/ the inputs that once
 *	crashed a target. scripts/fuzz runs the same targets under libFuzzer.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "tests/testutil.h"
#include "util.h"

int fuzz_job(const uint8_t *data, size_t size);
int fuzz_result(const uint8_t *data, size_t size);
int fuzz_command(const uint8_t *data, size_t size);
int fuzz_heartbeat(const uint8_t *data, size_t size);
int fuzz_notification(const uint8_t *data, size_t size);
int fuzz_output(const uint8_t *data, size_t size);
int fuzz_timeperiod(const uint8_t *data, size_t size);
int fuzz_yaml(const uint8_t *data, size_t size);
int fuzz_render(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
} targets[] = {
	{ "job", fuzz_job }, { "result", fuzz_result }, { "command", fuzz_command },
	{ "heartbeat", fuzz_heartbeat }, { "notification", fuzz_notification },
	{ "output", fuzz_output }, { "timeperiod", fuzz_timeperiod }, { "yaml", fuzz_yaml },
	{ "render", fuzz_render },
};

/* Every file of srcdir/tests/fuzz/KIND/NAME through fn: how many. */
static size_t
replay(const char *kind, const char *name, int (*fn)(const uint8_t *, size_t))
{
	const char *top = getenv("VIGIL_TOP_SRCDIR");
	char path[1024];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if (top == NULL || *top == '\0')
		top = TOP_SRCDIR;
	snprintf(path, sizeof(path), "%s/tests/fuzz/%s/%s", top, kind, name);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char file[1400];
		size_t len;
		char *data;

		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if ((data = util_read_file(file, &len)) == NULL)
			continue;
		fn((const uint8_t *)data, len);
		free(data);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(every_seed_and_past_crash_of_a_target_runs_clean)
{
	size_t seeds = replay("corpus", targets[_i].name, targets[_i].fn);

	replay("crashes", targets[_i].name, targets[_i].fn);
	ck_assert_msg(seeds > 0, "no seed corpus for target %s", targets[_i].name);
}
END_TEST

static Suite *
fuzz_suite(void)
{
	Suite *s = suite_create("fuzz corpus");
	TCase *tc = tcase_create("replay");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, every_seed_and_past_crash_of_a_target_runs_clean, 0,
	    sizeof(targets) / sizeof(targets[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(fuzz_suite());
}
