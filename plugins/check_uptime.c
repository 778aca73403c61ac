/*
 * NAME
 *	check_uptime - warn when a machine has rebooted recently
 * SYNOPSIS
 *	check_uptime [-w RANGE] [-c RANGE] [-t SECONDS] [-V] [-h]
 * DESCRIPTION
 *	Reads /proc/uptime. -w and -c are Nagios ranges of the uptime in
 *	minutes, the values that are fine: the defaults 30: and 5: mean
 *	WARNING when up for less than 30 minutes, CRITICAL under 5 ("10:20",
 *	"~:10", "@10:20" and "10" mean what they mean for any plugin). The
 *	perfdata item uptime is in seconds, its thresholds converted.
 * DIAGNOSTICS
 *	UNKNOWN (3) for a usage error or an unreadable /proc/uptime.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"

static const char help[] =
	"WARNING or CRITICAL when the machine has been up for a short time.\n"
	"\n"
	"  -w, --warning RANGE    uptime in minutes that is fine (default 30:, under 30 warns)\n"
	"  -c, --critical RANGE   likewise for CRITICAL (default 5:)\n"
	"  -t, --timeout SECONDS  (default 10)\n"
	"  -V, --version          -h, --help\n";

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "warning", required_argument, NULL, 'w' }, { "critical", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' }, { "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct plugin p;
	struct range warn, crit;
	const char *warn_s = "30:", *crit_s = "5:";
	char wperf[96], cperf[96];
	double up;
	long t = 10;
	FILE *f;
	int ch;

	plugin_init(&p, "check_uptime", "UPTIME", "[-w RANGE] [-c RANGE] [-t SECONDS]");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":w:c:t:Vh", lo, NULL)) != -1) {
		switch (ch) {
		case 'w': warn_s = optarg; break;
		case 'c': crit_s = optarg; break;
		case 't': t = plugin_number(&p, "-t", optarg, 1, 3600); break;
		default: plugin_option(&p, ch, help, argv);
		}
	}
	plugin_no_operands(&p, argc, argv);
	plugin_range(&p, "-w", warn_s, &warn);
	plugin_range(&p, "-c", crit_s, &crit);
	plugin_timeout(&p, (unsigned)t);
	if ((f = fopen("/proc/uptime", "r")) == NULL || fscanf(f, "%lf", &up) != 1 || up < 0)
		plugin_exit(&p, PLUGIN_UNKNOWN, "cannot read /proc/uptime");
	fclose(f);
	plugin_range_text(&warn, 60, wperf, sizeof(wperf));
	plugin_range_text(&crit, 60, cperf, sizeof(cperf));
	plugin_perf(&p, "uptime", floor(up), "s", wperf, cperf, 0, NAN);
	{
		long m = (long)(up / 60);
		int s = range_status(&warn, &crit, up / 60);

		plugin_exit(&p, s, "up %ldd %ldh %ldm",
		    m / 1440, (m % 1440) / 60, m % 60);
	}
}
