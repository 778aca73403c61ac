/*
 * NAME
 *	plugintest - vigilctl plugin-test: run a plugin as a worker does and
 *	show how vigil reads it
 * SYNOPSIS
 *	vigilctl [-c vigil.yaml] plugin-test [--timeout S] [--pool P] [--host]
 *	    -- ARGV...
 * DESCRIPTION
 *	The run is the worker's: lib/runner.c with the worker's options (a
 *	process group of its own, stdin from /dev/null, the minimal
 *	environment plus VIGIL_POOL, worker.output_limit on stdout and
 *	stderr, the timeout then TERM and KILL to the group, nothing left
 *	running after it; started as root, worker.plugin_user's ids, or a
 *	refusal as the worker would refuse), and so is the reading:
 *	lib/result.c turns the exit into a state and text (exit codes outside
 *	0-3, signals, timeouts, 126/127 with stderr's first line),
 *	result_split() cuts output, long output and perfdata, and
 *	lib/perfdata.c parses each perfdata item. Whether the worker's
 *	plugin directories hold ARGV[0] is said, not enforced: an author
 *	tries a plugin before installing it. $USERn$ is not expanded.
 * DIAGNOSTICS
 *	Exit 0 when vigil would take the result as it is; 1 when it would
 *	say something is wrong with the plugin (it could not run, timed out,
 *	died of a signal, exited outside 0-3, printed nothing, printed more
 *	than the output cap, or perfdata items are malformed); 2 for a usage
 *	error.
 */
#include "ctl.h"

#include "config.h"
#include "jsonw.h"
#include "perfdata.h"
#include "result.h"
#include "runner.h"
#include "worker/plugins.h"
#include "xalloc.h"

#include <ev.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct pt_run {
	struct runner_result res;	/* copied: the runner frees its own */
	char *out, *err;
	int done;
};

static void
pt_done(struct run *run, const struct runner_result *res, void *arg)
{
	struct pt_run *r = arg;

	(void)run;
	r->res = *res;
	r->out = xmalloc(res->outlen + 1);
	memcpy(r->out, res->out, res->outlen);
	r->out[res->outlen] = '\0';
	r->err = xmalloc(res->errlen + 1);
	memcpy(r->err, res->err, res->errlen);
	r->err[res->errlen] = '\0';
	r->res.out = r->out;
	r->res.err = r->err;
	r->done = 1;
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

static void
pt_usage(void)
{
	fprintf(stderr, "usage: vigilctl [-c vigil.yaml] plugin-test [--timeout SECONDS] "
	    "[--pool POOL] [--host] -- PLUGIN [ARG...]\n");
}

static void
print_field(const char *name, const char *value)
{
	printf("%-13s %s\n", name, value != NULL && *value != '\0' ? value : "-");
}

static void
print_number(struct strbuf *b, const char *name, double v, int unknown)
{
	char num[40] = "U";

	if (!unknown && isnan(v))
		return;
	if (!unknown)
		jsonw_shortest(num, sizeof(num), v);
	strbuf_printf(b, "%s%s=%s", b->len > 0 ? " " : "", name, num);
}

int
ctl_plugin_test(const struct config *cfg, int argc, char **argv)
{
	int timeout = 60, is_host = 0, i, status, problems = 0;
	const char *pool = cfg->worker.pool != NULL ? cfg->worker.pool : "default";
	struct plugins pl;
	struct runner_opts ro;
	struct pt_run r;
	struct plugin_outcome po;
	struct result_text rt;
	struct perfdata_item *items = NULL;
	size_t nitems = 0;
	size_t malformed = 0;
	char err[512], *env_add[2], *text = NULL;
	struct run *run;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			timeout = atoi(argv[++i]);
			if (timeout < 1 || timeout > 86400) {
				fprintf(stderr, "vigilctl: plugin-test: --timeout takes 1 to 86400 seconds\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--pool") == 0 && i + 1 < argc)
			pool = argv[++i];
		else if (strcmp(argv[i], "--host") == 0)
			is_host = 1;
		else {
			pt_usage();
			return 2;
		}
	}
	if (i + 1 >= argc || argv[i + 1][0] != '/') {
		pt_usage();
		fprintf(stderr, "vigilctl: plugin-test: the plugin is an absolute path after --, as "
		    "a check's argv[0] is\n");
		return 2;
	}
	argv += i + 1;
	if (plugins_init(&pl, cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "vigilctl: plugin-test: the worker would not start: %s\n", err);
		return 1;
	}
	if (!plugins_allowed(&pl, argv[0]))
		printf("note: %s is outside this worker's plugin directories (plugin_dir, "
		    "vigil_plugin_dir, plugin_dirs): a worker would refuse it\n", argv[0]);
	memset(&ro, 0, sizeof(ro));
	ro.timeout = timeout;
	ro.output_limit = cfg->worker.output_limit;
	env_add[0] = xasprintf("VIGIL_POOL=%s", pool);
	env_add[1] = NULL;
	ro.env_add = env_add;
	ro.reap_group = 1;
	plugins_runner_opts(&pl, &ro);
	memset(&r, 0, sizeof(r));
	if ((run = runner_start(EV_DEFAULT, argv, &ro, pt_done, &r, err, sizeof(err))) == NULL) {
		fprintf(stderr, "vigilctl: plugin-test: %s\n", err);
		free(env_add[0]);
		plugins_clear(&pl);
		return 1;
	}
	while (!r.done)
		ev_run(EV_DEFAULT, 0);

	memset(&po, 0, sizeof(po));
	po.exited = r.res.exited;
	po.exit_code = r.res.exit_code;
	po.signo = r.res.signo;
	po.timed_out = r.res.timed_out;
	po.exec_errno = r.res.exec_errno;
	po.out = r.res.out;
	po.outlen = r.res.outlen;
	po.out_truncated = r.res.out_truncated;
	po.err = r.res.err;
	po.errlen = r.res.errlen;
	po.output_limit = ro.output_limit;
	po.timeout = timeout;
	po.timeout_state = STATUS_CRITICAL;	/* the default timeout_state */
	po.is_host = is_host;
	po.plugin = argv[0];
	status = result_from_outcome(&po, &text);
	result_split(text, &rt);

	{
		char line[128];

		if (r.res.exited)
			snprintf(line, sizeof(line), "exit %d", r.res.exit_code);
		else
			snprintf(line, sizeof(line), "%s", r.res.timed_out ? "killed: timed out" :
			    "killed by a signal");
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " after %.3f s (pool %s)",
		    r.res.end - r.res.start, pool);
		print_field("run:", line);
	}
	print_field("state:", result_state_name(status, is_host));
	print_field("output:", rt.output);
	print_field("long output:", rt.long_output);
	if (r.res.errlen > 0)
		print_field("stderr:", r.err);
	perfdata_parse(rt.perfdata, &items, &nitems, &malformed);
	printf("%-13s %zu item%s, %zu malformed\n", "perfdata:", nitems, nitems == 1 ? "" : "s",
	    malformed);
	for (size_t k = 0; k < nitems; k++) {
		struct strbuf b = { 0 };

		print_number(&b, "value", items[k].value, items[k].value_unknown);
		strbuf_printf(&b, " uom=%s", items[k].uom[0] != '\0' ? items[k].uom : "-");
		strbuf_printf(&b, " warn=%s crit=%s", items[k].warn != NULL ? items[k].warn : "-",
		    items[k].crit != NULL ? items[k].crit : "-");
		print_number(&b, "min", items[k].has_min ? items[k].min : NAN, 0);
		print_number(&b, "max", items[k].has_max ? items[k].max : NAN, 0);
		printf("  '%s' %s\n", items[k].label, b.s);
		free(b.s);
	}
	/* what vigil would say is wrong with the plugin, not with the service */
	problems = !r.res.exited || r.res.exec_errno != 0 || r.res.exit_code < 0 ||
	    r.res.exit_code > 3 || r.res.outlen == 0 || r.res.out_truncated || malformed > 0;
	perfdata_free(items, nitems);
	result_text_clear(&rt);
	free(text);
	free(r.out);
	free(r.err);
	free(env_add[0]);
	plugins_clear(&pl);
	return problems ? 1 : 0;
}
