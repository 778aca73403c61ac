/*
 * NAME
 *	vigil-engine - the scheduler and state keeper of vigil
 * SYNOPSIS
 *	vigil-engine [-c vigil.yaml] [--check-config]
 * DESCRIPTION
 *	Thin: parses arguments and hands over to engine_run() (engine.c).
 * DIAGNOSTICS
 *	Exit 0 on a clean stop or a valid --check-config, 1 on config errors
 *	or a fatal environment problem, 2 on a usage error.
 */
#include "engine.h"
#include "log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void
usage(FILE *f)
{
	fprintf(f, "usage: vigil-engine [-c vigil.yaml] [--check-config]\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct engine_opts o = { "/etc/vigil/vigil.yaml", 0, argv };
	int ch;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.config_path = optarg;
			break;
		case 'C':
			o.check_config = 1;
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
	log_init("vigil-engine", LOG_INFO);
	return engine_run(&o);
}
