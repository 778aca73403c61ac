/*
 * NAME
 *	fuzz_config - the YAML loader (lib/config/) on one conf.d file, and
 *	the notification renderer (notifier/render.c) on a decoded
 *	notification: email, Slack, webhook, and a template of its own
 * DESCRIPTION
 *	Both work in a scratch directory of their own, made once per process
 *	(a vigil.yaml with defaults, conf.d/a.yaml rewritten per input) and
 *	removed at exit.
 */
#include "fuzz.h"
#include "config.h"
#include "msg.h"
#include "notifier/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void
scratch_remove(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/conf.d/a.yaml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/conf.d", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/vigil.yaml", dir);
	unlink(path);
	rmdir(dir);
}

/* The scratch directory's vigil.yaml (path in a static buffer). */
static const char *
scratch(void)
{
	static char yaml[128];
	FILE *f;

	if (dir[0] != '\0')
		return yaml;
	snprintf(dir, sizeof(dir), "/tmp/vigil-fuzz-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(yaml, sizeof(yaml), "%s/conf.d", dir);
	mkdir(yaml, 0700);
	snprintf(yaml, sizeof(yaml), "%s/vigil.yaml", dir);
	if ((f = fopen(yaml, "w")) == NULL)
		abort();
	fputs("conf_dir: conf.d\nallow_unauthenticated: true\n", f);
	fclose(f);
	atexit(scratch_remove);
	return yaml;
}

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 8
FUZZ_TARGET(yaml)
{
	const char *yaml = scratch();
	char path[128];
	struct config *cfg;
	FILE *f;

	snprintf(path, sizeof(path), "%s/conf.d/a.yaml", dir);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	cfg = config_new();
	(void)config_load(cfg, yaml, 0);
	config_free(cfg);
	return 0;
}
#endif

#if !defined(FUZZ_ONLY) || FUZZ_ONLY == 9
FUZZ_TARGET(render)
{
	static struct config *cfg;
	struct notification_msg n;
	struct render_ctx c;
	char err[256], *out;
	size_t len;

	if (cfg == NULL) {
		cfg = config_new();
		if (config_load(cfg, scratch(), CONFIG_DAEMON_ONLY) < 0)
			abort();
	}
	if (msg_notification_decode(data, size, &n, err, sizeof(err)) < 0)
		return 0;
	free(render_email(&n, cfg, 1732190000.5, &len));
	free(render_slack(&n, cfg, &len));
	free(render_webhook(&n, cfg, &len));
	/* the notification's own output as a template: every macro it names */
	render_ctx_init(&c, &n, cfg);
	if (n.output != NULL && render_expand(&c, n.output, &out, err, sizeof(err)) == 0)
		free(out);
	render_ctx_clear(&c);
	msg_notification_clear(&n);
	return 0;
}
#endif
