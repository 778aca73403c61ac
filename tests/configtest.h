/*
 * NAME
 *	configtest - fixtures of the configuration loader's unit tests
 * DESCRIPTION
 *	Each test writes vigil.yaml and conf.d files into a fresh directory,
 *	runs there (so paths in messages read "conf.d/a.yaml:3:5: ...", as an
 *	admin running "vigil-engine -c vigil.yaml" sees them) and checks what
 *	config_load() built or the exact errors it reported. Shared by the
 *	check_config_* suites (one per file of lib/config/); the helpers keep
 *	the short names the tests read best with.
 *
 *	A TCase registers both fixtures:
 *	    tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
 *	    tcase_add_checked_fixture(tc, setup, teardown);
 * DIAGNOSTICS
 *	A failed expectation aborts the test (Check) and prints every error
 *	the loader reported.
 */
#ifndef VIGIL_CONFIGTEST_H
#define VIGIL_CONFIGTEST_H

#include <stddef.h>

#include "config.h"

/* The running test's directory, its cwd. */
extern char *configtest_dir;

/* Unchecked: a directory per TCase (TMPDIR) holding the tests' own. */
void tcase_setup(void);
void tcase_teardown(void);
/* Checked: a fresh configtest_dir to run in; VIGIL_* variables unset. */
void setup(void);
void teardown(void);

/* Write name (e.g. "conf.d/a.yaml") under configtest_dir. */
void put(const char *name, const char *content);
/* Every error of cfg, one per line, for failure messages (static). */
const char *errors_text(const struct config *cfg);
/* Load ./vigil.yaml (empty unless the test wrote one), asserting the
 * return code; the caller frees. */
struct config *load_flags(int flags, int want_rc);
struct config *load(int want_rc);
/* want is among the errors. */
void expect_error(const struct config *cfg, const char *want);
/* Exactly these errors, in this order. */
void expect_errors(const struct config *cfg, const char *const *want,
    size_t n);
void expect_only_error(const struct config *cfg, const char *want);
/* The check of host (service NULL: the host check); aborts if none. */
const struct cfg_check *find_check(const struct config *cfg, const char *host,
    const char *service);

#endif
