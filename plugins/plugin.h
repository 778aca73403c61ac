/*
 * NAME
 *	plugin - the kit vigil's C check plugins are written with
 * SYNOPSIS
 *	struct plugin p;
 *	struct range warn, crit;
 *
 *	plugin_init(&p, "check_thing", "THING", "[-w RANGE] [-c RANGE] [-t SECONDS]");
 *	plugin_range(&p, "-w", optarg, &warn);	    (a bad range: UNKNOWN, exit 3)
 *	plugin_timeout(&p, 10);			    (UNKNOWN "timed out" after 10 s)
 *	v = measure();
 *	plugin_perf(&p, "thing", v, "s", "5", "10", 0, NAN);
 *	plugin_exit(&p, range_status(&warn, &crit, v), "%g seconds", v);
 * DESCRIPTION
 *	What the monitoring plugins' guidelines ask of every plugin, once:
 *
 *	-h/--help and -V/--version exit 0 (plugin_help(), plugin_version());
 *	a usage error exits 3 (UNKNOWN) naming the option (plugin_usage());
 *	-w/-c take Nagios ranges in all their forms ("10", "10:", "~:10",
 *	"10:20", "@10:20"; lib/range.h reads them, the same reader vigil
 *	uses for perfdata thresholds); -t is a timeout that always ends the
 *	plugin with UNKNOWN, whatever it is blocked in (SIGALRM, an
 *	async-signal-safe write and _exit); the output is one line
 *
 *		LABEL STATE - text | perfdata
 *
 *	then the long output (plugin_long()), with every perfdata item as
 *	'label'=valueUOM;warn;crit;min;max (quoted when it must be), which
 *	vigil's own parser (lib/perfdata.c) reads back; the exit code is the
 *	state, 0 to 3.
 * DIAGNOSTICS
 *	Nothing goes to stderr but a usage error's hint; plugins speak
 *	through their output and exit code.
 */
#ifndef VIGIL_PLUGIN_H
#define VIGIL_PLUGIN_H

#include <stddef.h>

#include "range.h"
#include "strbuf.h"

enum plugin_state { PLUGIN_OK, PLUGIN_WARNING, PLUGIN_CRITICAL, PLUGIN_UNKNOWN };

struct plugin {
	const char *name;	/* "check_web" */
	const char *label;	/* "HTTP": the output's first word */
	const char *synopsis;	/* the options, for usage lines */
	struct strbuf perf;	/* perfdata items, blank-separated */
	struct strbuf longout;	/* lines after the first */
	char where[96];		/* " (from pool P)" with $VIGIL_POOL, else "" */
};

void plugin_init(struct plugin *p, const char *name, const char *label, const char *synopsis);

/* --version: "NAME (vigil) VERSION", exit 0. */
void plugin_version(const struct plugin *p) __attribute__((noreturn));
/* --help: the usage line and text (the options' descriptions), exit 0. */
void plugin_help(const struct plugin *p, const char *text) __attribute__((noreturn));
/* getopt_long()'s answers every plugin treats alike ('V', 'h', ':' for a
 * missing value, '?' for an unknown option): --version, --help or a usage
 * error. For the default: of a plugin's option switch. */
void plugin_option(const struct plugin *p, int ch, const char *help, char **argv)
    __attribute__((noreturn));
/* After the options: an operand left over is a usage error. */
void plugin_no_operands(const struct plugin *p, int argc, char **argv);
/* A usage error: "LABEL UNKNOWN - why" and the usage line, exit 3. */
void plugin_usage(const struct plugin *p, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

/* Read a threshold range (option names it in an error); a bad one is a
 * usage error. Returns text (for the perfdata). */
const char *plugin_range(const struct plugin *p, const char *option, const char *text,
    struct range *r);
/* r as a range's text with its ends multiplied by factor (ranges given
 * in minutes, perfdata in seconds): into buf. */
void plugin_range_text(const struct range *r, double factor, char *buf, size_t len);
/* A whole number in [min, max], or a usage error. */
long plugin_number(const struct plugin *p, const char *option, const char *text, long min,
    long max);

/* After seconds, end with UNKNOWN "timed out after N s" (-t). 0: never. */
void plugin_timeout(struct plugin *p, unsigned seconds);

/* One perfdata item; warn, crit NULL or a range's text (as given); min,
 * max NaN for none. Numbers with six decimals at most, no exponent. */
void plugin_perf(struct plugin *p, const char *label, double value, const char *uom,
    const char *warn, const char *crit, double min, double max);
/* A line of long output. */
void plugin_long(struct plugin *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "LABEL STATE - text[ (from pool P)] | perf", the long output, and
 * exit with state. */
void plugin_exit(struct plugin *p, int state, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *plugin_state_name(int state);

#endif
