/*
 * NAME
 *	testutil - small helpers shared by the Check unit tests
 * DESCRIPTION
 *	Scratch directories for fixtures written from inline strings, so a
 *	test shows its input next to its assertions. Every directory made by
 *	tu_tmpdir() is the test's to remove with tu_rmrf().
 * DIAGNOSTICS
 *	Test helpers: any failure (mkdtemp, write) aborts the test through
 *	ck_abort_msg() with the path and strerror.
 */
#ifndef VIGIL_TESTUTIL_H
#define VIGIL_TESTUTIL_H

#include <check.h>

/* A fresh empty directory under $TMPDIR (or /tmp); caller frees the path. */
char *tu_tmpdir(void);
/*
 * Write content to dir/name, creating the subdirectories name mentions
 * ("conf.d/a.yaml"). Returns the path; caller frees.
 */
char *tu_write_file(const char *dir, const char *name, const char *content);
/* Remove dir and everything under it (symlinks are not followed). */
void tu_rmrf(const char *dir);

/* Run every test of s (Check's fork mode) and print the summary; the
 * exit status for main(): 0 when all passed. */
int tu_run(Suite *s);
/* The same in one process (CK_NOFORK): for tests that replace a daemon
 * the fixture started, which its teardown then stops (a forked test's
 * children die with it). */
int tu_run_nofork(Suite *s);

#endif
