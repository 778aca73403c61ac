/*
 * NAME
 *	vigil-worker - runs check plugins for one pool of vigil
 * SYNOPSIS
 *	vigil-worker [-c vigil.yaml] [--pool NAME] [--concurrency N]
 * DESCRIPTION
 *	Thin: parses arguments and hands over to worker_run() (worker.c).
 * DIAGNOSTICS
 *	Exit 0 on a clean stop, 1 on config errors, 2 on a usage error.
 */
#include "log.h"
#include "worker.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void
usage(FILE *f)
{
	fprintf(f, "usage: vigil-worker [-c vigil.yaml] [--pool NAME] [--concurrency N]\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "pool", required_argument, NULL, 'p' },
		{ "concurrency", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct worker_opts o = { "/etc/vigil/vigil.yaml", NULL, 0 };
	char *end;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:p:n:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.config_path = optarg;
			break;
		case 'p':
			o.pool = optarg;
			break;
		case 'n':
			o.concurrency = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || o.concurrency < 1 || o.concurrency > 65535) {
				fprintf(stderr, "vigil-worker: --concurrency: expected 1..65535\n");
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
	log_init("vigil-worker", LOG_INFO);
	return worker_run(&o);
}
