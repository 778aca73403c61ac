/*
 * NAME
 *	plugin - the kit vigil's C check plugins are written with
 * DESCRIPTION
 *	See plugin.h.
 */
#include "plugin.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static void perf_number(struct strbuf *b, double v);

static const char *const state_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* What the SIGALRM handler writes: made before, so that it only writes. */
static char timeout_line[256];
static size_t timeout_len;

const char *
plugin_state_name(int state)
{
	return state >= 0 && state <= 3 ? state_names[state] : "UNKNOWN";
}

void
plugin_init(struct plugin *p, const char *name, const char *label, const char *synopsis)
{
	const char *pool = getenv("VIGIL_POOL");

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->label = label;
	p->synopsis = synopsis;
	/* a multi-location check's result says from where it was seen */
	if (pool != NULL && *pool != '\0' && strlen(pool) < 64 &&
	    strspn(pool, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
	    strlen(pool))
		snprintf(p->where, sizeof(p->where), " (from pool %s)", pool);
}

void
plugin_version(const struct plugin *p)
{
	printf("%s (vigil) %s\n", p->name, PACKAGE_VERSION);
	exit(PLUGIN_OK);
}

void
plugin_help(const struct plugin *p, const char *text)
{
	printf("usage: %s %s\n\n%s", p->name, p->synopsis, text);
	exit(PLUGIN_OK);
}

void
plugin_usage(const struct plugin *p, const char *fmt, ...)
{
	va_list ap;

	printf("%s UNKNOWN - ", p->label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\nusage: %s %s (--help for more)\n", p->name, p->synopsis);
	exit(PLUGIN_UNKNOWN);
}

void
plugin_option(const struct plugin *p, int ch, const char *help, char **argv)
{
	if (ch == 'V')
		plugin_version(p);
	if (ch == 'h')
		plugin_help(p, help);
	if (ch == ':')
		plugin_usage(p, "%s needs a value", argv[optind - 1]);
	plugin_usage(p, "unknown option %s", argv[optind - 1]);
}

void
plugin_no_operands(const struct plugin *p, int argc, char **argv)
{
	if (optind < argc)
		plugin_usage(p, "unexpected argument \"%s\"", argv[optind]);
}

const char *
plugin_range(const struct plugin *p, const char *option, const char *text, struct range *r)
{
	char err[200];

	if (range_parse(text, r, err, sizeof(err)) < 0)
		plugin_usage(p, "%s: %s", option, err);
	return text;
}

void
plugin_range_text(const struct range *r, double factor, char *buf, size_t len)
{
	struct strbuf b = { 0 };

	if (r->inside)
		strbuf_add(&b, "@", 1);
	if (r->start_inf)
		strbuf_add(&b, "~", 1);
	else
		perf_number(&b, r->start * factor);
	strbuf_add(&b, ":", 1);
	if (!r->end_inf)
		perf_number(&b, r->end * factor);
	snprintf(buf, len, "%s", b.s);
	free(b.s);
}

long
plugin_number(const struct plugin *p, const char *option, const char *text, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
		plugin_usage(p, "%s: \"%s\" is not a whole number from %ld to %ld", option, text, min,
		    max);
	return v;
}

static void
on_alarm(int sig)
{
	ssize_t n = write(STDOUT_FILENO, timeout_line, timeout_len);

	(void)sig;
	(void)n;
	_exit(PLUGIN_UNKNOWN);
}

void
plugin_timeout(struct plugin *p, unsigned seconds)
{
	struct sigaction sa;
	int n;

	if (seconds == 0)
		return;
	n = snprintf(timeout_line, sizeof(timeout_line), "%s UNKNOWN - timed out after %u s%s\n",
	    p->label, seconds, p->where);
	timeout_len = n > 0 && (size_t)n < sizeof(timeout_line) ? (size_t)n :
	    strlen(timeout_line);
	fflush(stdout);		/* nothing half-written ahead of the line */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/* A perfdata label: quoted when it holds a blank, '=' or a quote. */
static void
perf_label(struct strbuf *b, const char *label)
{
	if (strpbrk(label, " \t='") == NULL) {
		strbuf_adds(b, label);
		return;
	}
	strbuf_add(b, "'", 1);
	for (const char *c = label; *c != '\0'; c++) {
		strbuf_add(b, c, 1);
		if (*c == '\'')	/* '' is one quote inside quotes */
			strbuf_add(b, "'", 1);
	}
	strbuf_add(b, "'", 1);
}

/* Six decimals at most, no exponent, no trailing zeros: "0.000084",
 * "115", "2.5" (what graphing tools made for monitoring-plugins expect). */
static void
perf_number(struct strbuf *b, double v)
{
	char num[400];
	size_t n;

	if (isnan(v) || isinf(v))
		return;
	n = (size_t)snprintf(num, sizeof(num), "%.6f", v);
	if (n >= sizeof(num))
		return;
	while (n > 0 && num[n - 1] == '0')
		num[--n] = '\0';
	if (n > 0 && num[n - 1] == '.')
		num[--n] = '\0';
	if (strcmp(num, "-0") == 0)
		strcpy(num, "0");
	strbuf_adds(b, num);
}

void
plugin_perf(struct plugin *p, const char *label, double value, const char *uom,
    const char *warn, const char *crit, double min, double max)
{
	struct strbuf *b = &p->perf;

	if (b->len > 0)
		strbuf_add(b, " ", 1);
	perf_label(b, label);
	strbuf_add(b, "=", 1);
	if (isnan(value))
		strbuf_add(b, "U", 1);
	else
		perf_number(b, value);
	strbuf_adds(b, uom != NULL ? uom : "");
	strbuf_printf(b, ";%s;%s;", warn != NULL ? warn : "", crit != NULL ? crit : "");
	perf_number(b, min);
	strbuf_add(b, ";", 1);
	perf_number(b, max);
}

void
plugin_long(struct plugin *p, const char *fmt, ...)
{
	va_list ap;
	char line[1024];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	strbuf_adds(&p->longout, line);
	strbuf_add(&p->longout, "\n", 1);
}

void
plugin_exit(struct plugin *p, int state, const char *fmt, ...)
{
	va_list ap;
	char text[2048];

	alarm(0);
	if (state < 0 || state > 3)
		state = PLUGIN_UNKNOWN;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* the first line is one line, and '|' there would start perfdata */
	for (char *c = text; *c != '\0'; c++)
		if (*c == '\n' || *c == '\r' || *c == '|')
			*c = *c == '|' ? '/' : ' ';
	printf("%s %s - %s%s", p->label, state_names[state], text, p->where);
	if (p->perf.len > 0)
		printf(" | %s", p->perf.s);
	printf("\n");
	if (p->longout.len > 0)
		fputs(p->longout.s, stdout);
	fflush(stdout);
	exit(state);
}
