/*
 * NAME
 *	vigil-notifier - delivers vigil's notifications
 * SYNOPSIS
 *	vigil-notifier [-c vigil.yaml] [--concurrency N]
 * DESCRIPTION
 *	Thin: parses arguments and hands over to notifier_run() (notifier.c).
 * DIAGNOSTICS
 *	Exit 0 on a clean stop, 1 on config errors, 2 on a usage error.
 */
#include "log.h"
#include "notifier.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void
usage(FILE *f)
{
	fprintf(f, "usage: vigil-notifier [-c vigil.yaml] [--concurrency N]\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "concurrency", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct notifier_opts o = { "/etc/vigil/vigil.yaml", 0 };
	char *end;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:n:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.config_path = optarg;
			break;
		case 'n':
			o.concurrency = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o.concurrency < 1 || o.concurrency > 1024) {
				fprintf(stderr, "vigil-notifier: --concurrency: expected 1..1024\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	log_init("vigil-notifier", LOG_INFO);
	return notifier_run(&o);
}
