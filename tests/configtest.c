/*
 * NAME
 *	configtest - fixtures of the configuration loader's unit tests
 * DESCRIPTION
 *	See configtest.h.
 * DIAGNOSTICS
 *	Through Check: a failed expectation aborts the test with every error
 *	the loader reported, so the message shows what changed.
 */
#include "configtest.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "xalloc.h"

char *configtest_dir;
static int oldcwd = -1;
static char *base;		/* a TCase's directory, holding the tests' */
static char *oldtmpdir;

/*
 * Unchecked (parent process) fixture: a failing test exits its child
 * before the checked teardown, so its directory is removed from here.
 */
void
tcase_setup(void)
{
	const char *t = getenv("TMPDIR");

	oldtmpdir = t ? xstrdup(t) : NULL;
	base = tu_tmpdir();
	setenv("TMPDIR", base, 1);
}

void
tcase_teardown(void)
{
	if (oldtmpdir != NULL)
		setenv("TMPDIR", oldtmpdir, 1);
	else
		unsetenv("TMPDIR");
	free(oldtmpdir);
	oldtmpdir = NULL;
	tu_rmrf(base);
	free(base);
	base = NULL;
}

void
setup(void)
{
	static const char *const env[] = {
		"VIGIL_AMQP_URL", "VIGIL_PG", "VIGIL_CONF_DIR", "VIGIL_PREFIX",
		"VIGIL_RESOURCE_FILE",
	};
	size_t i;

	/* make check's harness may set these; tests set what they test. */
	for (i = 0; i < sizeof(env) / sizeof(env[0]); i++)
		unsetenv(env[i]);
	configtest_dir = tu_tmpdir();
	oldcwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(oldcwd, 0);
	ck_assert_int_eq(chdir(configtest_dir), 0);
}

void
teardown(void)
{
	if (oldcwd >= 0) {
		(void)fchdir(oldcwd);
		close(oldcwd);
		oldcwd = -1;
	}
	tu_rmrf(configtest_dir);
	free(configtest_dir);
	configtest_dir = NULL;
}

void
put(const char *name, const char *content)
{
	free(tu_write_file(configtest_dir, name, content));
}

const char *
errors_text(const struct config *cfg)
{
	static char buf[8192];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < cfg->nerrors && len < sizeof(buf) - 1; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "  %s\n",
		    cfg->errors[i]);
	return cfg->nerrors ? buf : "  (none)\n";
}

/* Load ./vigil.yaml (empty unless the test wrote one). */
struct config *
load_flags(int flags, int want_rc)
{
	struct config *cfg = config_new();
	int rc;

	if (access("vigil.yaml", F_OK) != 0)
		put("vigil.yaml", "");
	rc = config_load(cfg, "vigil.yaml", flags);
	ck_assert_msg(rc == want_rc, "config_load returned %d, want %d; "
	    "errors:\n%s", rc, want_rc, errors_text(cfg));
	ck_assert_msg((rc == 0) == (cfg->nerrors == 0), "rc %d with %zu errors",
	    rc, cfg->nerrors);
	return cfg;
}

struct config *
load(int want_rc)
{
	return load_flags(0, want_rc);
}

void
expect_error(const struct config *cfg, const char *want)
{
	size_t i;

	for (i = 0; i < cfg->nerrors; i++)
		if (strcmp(cfg->errors[i], want) == 0)
			return;
	ck_abort_msg("missing error:\n  %s\ngot:\n%s", want, errors_text(cfg));
}

/* Exactly these errors, in this order. */
void
expect_errors(const struct config *cfg, const char *const *want, size_t n)
{
	size_t i;

	ck_assert_msg(cfg->nerrors == n, "want %zu errors, got %zu:\n%s", n,
	    cfg->nerrors, errors_text(cfg));
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(cfg->errors[i], want[i]) == 0,
		    "error %zu:\n  want %s\ngot:\n%s", i, want[i],
		    errors_text(cfg));
}

void
expect_only_error(const struct config *cfg, const char *want)
{
	expect_errors(cfg, &want, 1);
}

const struct cfg_check *
find_check(const struct config *cfg, const char *host, const char *service)
{
	size_t i;

	for (i = 0; i < cfg->nchecks; i++) {
		const struct cfg_check *c = &cfg->checks[i];

		if (strcmp(c->host, host) != 0)
			continue;
		if (service == NULL ? c->service == NULL :
		    c->service != NULL && strcmp(c->service, service) == 0)
			return c;
	}
	ck_abort_msg("no check %s/%s", host, service ? service : "(host)");
	return NULL;
}
