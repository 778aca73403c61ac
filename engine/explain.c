/*
 * NAME
 *	explain - vigil-engine --check-config --explain HOST
 * DESCRIPTION
 *	What the configuration makes of one host: where it is defined, its
 *	groups and vars, and each of its checks with where it comes from
 *	(written by hand, or which apply rule) and the command line it runs
 *	($USERn$ stays that text: its value is the workers'). Then the
 *	services apply rules would give it that its skip_apply leaves out.
 *	Read-only: the loaded configuration is not changed.
 */
#include "engine.h"
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

static void
explain_argv(FILE *out, char *const *argv, size_t argc)
{
	for (size_t i = 0; i < argc; i++) {
		const char *a = argv[i];
		int plain = *a != '\0' && strpbrk(a, " \t\n\"'\\$`") == NULL;

		fputc(i ? ' ' : '\t', out);
		if (plain) {
			fputs(a, out);
			continue;
		}
		fputc('\'', out);
		for (; *a != '\0'; a++)
			if (*a == '\'')
				fputs("'\\''", out);
			else
				fputc(*a, out);
		fputc('\'', out);
	}
	fputc('\n', out);
}

/* Its event handler, runtime macros as written (filled in per run). */
static void
explain_handler(const struct cfg_check *ck, FILE *out)
{
	if (ck->eh_argv == NULL)
		return;
	fprintf(out, "\tevent handler %s%s%s:\n", ck->event_handler,
	    ck->event_handler_enabled ? "" : " (event_handler_enabled: false)",
	    ck->event_handler_in_downtime ? " (runs in downtime too)" : "");
	fputc('\t', out);
	explain_argv(out, ck->eh_argv, ck->eh_argc);
}

/* Criteria bits as the master's state names. */
static void
explain_criteria(FILE *out, const char *what, unsigned bits, int host_master)
{
	static const char *const svc[] = { "ok", "warning", "critical", "unknown" };
	static const char *const host[] = { "up", "down", "unreachable" };
	int n = 0;

	fprintf(out, "%s:", what);
	for (unsigned s = 0; s < (host_master ? 3u : 4u); s++)
		if (bits & (1u << s))
			fprintf(out, "%s%s", n++ ? "," : " ", host_master ? host[s] : svc[s]);
	if (bits & CONFIG_DEP_PENDING)
		fprintf(out, "%spending", n++ ? "," : " ");
	if (n == 0)
		fputs(" none", out);
}

/* The dependencies check i of cfg is the dependent of. */
static void
explain_deps(const struct config *cfg, size_t i, FILE *out)
{
	for (size_t k = 0; k < cfg->ndeps; k++) {
		const struct cfg_dependency *d = &cfg->deps[k];
		const struct cfg_check *m = &cfg->checks[d->master];

		if (d->dependent != i)
			continue;
		fprintf(out, "\tdepends on %s%s%s (dependency %s, %s:%d:%d; ", m->host,
		    m->service ? "/" : "", m->service ? m->service : "", d->name,
		    d->mark.file, d->mark.line, d->mark.col);
		explain_criteria(out, "execution", d->exec_fail, m->service == NULL);
		explain_criteria(out, "; notifications", d->notify_fail,
		    m->service == NULL);
		if (d->inherits_parent)
			fputs("; inherits_parent", out);
		if (d->period != NULL)
			fprintf(out, "; in %s", d->period);
		fputs(")\n", out);
	}
}

int
explain_host(const struct config *cfg, const char *name, FILE *out)
{
	const struct cfg_host *h = config_find_host(cfg, name);
	const struct cfg_check *ck;
	size_t i, n = 0;

	if (h == NULL) {
		fprintf(out, "no host \"%s\" in the configuration\n", name);
		return 1;
	}
	fprintf(out, "host %s (%s:%d:%d), address %s\n", h->name, h->mark.file,
	    h->mark.line, h->mark.col, h->address);
	fputs("  groups:", out);
	for (i = 0; i < h->ngroups; i++)
		fprintf(out, "%s %s", n++ ? "," : "", h->groups[i]);
	for (i = 0; i < cfg->ngroups; i++)
		for (size_t k = 0; k < cfg->groups[i].nhost_patterns; k++)
			if (fnmatch(cfg->groups[i].host_patterns[k], h->name, 0) == 0) {
				fprintf(out, "%s %s (pattern %s)", n++ ? "," : "",
				    cfg->groups[i].name,
				    cfg->groups[i].host_patterns[k]);
				break;
			}
	fputs(n ? "\n" : " none\n", out);
	n = 0;
	fputs("  vars:", out);
	for (i = 0; i < h->nvars; i++)
		fprintf(out, "%s %s=%s", i ? "," : "", h->vars[i].name,
		    h->vars[i].value);
	fputs(h->nvars ? "\n" : " none\n", out);
	for (i = 0; i < cfg->nchecks; i++) {
		ck = &cfg->checks[i];
		if (strcmp(ck->host, h->name) != 0)
			continue;
		n++;
		if (ck->service == NULL)
			fprintf(out, "  host check (%s:%d:%d)\n", ck->mark.file,
			    ck->mark.line, ck->mark.col);
		else if (ck->rule != NULL)
			fprintf(out, "  service %s: apply rule %s (%s:%d:%d)\n",
			    ck->service, ck->rule, ck->mark.file, ck->mark.line,
			    ck->mark.col);
		else
			fprintf(out, "  service %s: written (%s:%d:%d)\n",
			    ck->service, ck->mark.file, ck->mark.line, ck->mark.col);
		explain_argv(out, ck->argv, ck->argc);
		explain_handler(ck, out);
		explain_deps(cfg, i, out);
	}
	if (n == 0)
		fputs("  no checks\n", out);
	for (i = 0; i < cfg->napply_skips; i++) {
		const struct cfg_apply_skip *sk = &cfg->apply_skips[i];

		if (strcmp(sk->host, h->name) == 0)
			fprintf(out, "  skipped: service %s of apply rule %s "
			    "(skip_apply at %s:%d:%d)\n", sk->service, sk->rule,
			    sk->mark.file, sk->mark.line, sk->mark.col);
	}
	return 0;
}
