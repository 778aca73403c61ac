/*
 * NAME
 *	testutil - small helpers shared by the Check unit tests
 * DESCRIPTION
 *	See testutil.h.
 * DIAGNOSTICS
 *	ck_abort_msg() with the failing path and strerror; tu_rmrf() is best
 *	effort (a leftover temp dir must not fail a passing test).
 */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

char *
tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	tmpl = xasprintf("%s/vigil-test.XXXXXX", base);
	if (mkdtemp(tmpl) == NULL)
		ck_abort_msg("mkdtemp %s: %s", tmpl, strerror(errno));
	return tmpl;
}

char *
tu_write_file(const char *dir, const char *name, const char *content)
{
	char *path = xasprintf("%s/%s", dir, name), *p, *tmp;
	size_t len = strlen(content), off = 0;
	ssize_t n;
	int fd;

	/* Make the directories in name, one component at a time. */
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			ck_abort_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	/* Written under a temporary name and renamed: a plugin reading the
	 * file meanwhile (a test's state file) sees the old or the new
	 * content, never an empty file. */
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		ck_abort_msg("open %s: %s", tmp, strerror(errno));
	while (off < len) {
		n = write(fd, content + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ck_abort_msg("write %s: %s", path, strerror(errno));
		off += (size_t)n;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0)
		ck_abort_msg("write %s: %s", path, strerror(errno));
	free(tmp);
	return path;
}

static int
tu_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void
tu_rmrf(const char *dir)
{
	if (dir != NULL)
		nftw(dir, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0;
}

int
tu_run_nofork(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0;
}
