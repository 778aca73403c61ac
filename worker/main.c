/*
 * NAME
 *	vigil-worker - runs check plugins for one pool of vigil
 * SYNOPSIS
 *	vigil-worker [-c vigil.yaml] [--pool NAME] [--concurrency N]
 * DESCRIPTION
 *	Thin: the daemon skeleton (lib/daemon.c) runs worker_service
 *	(worker.c).
 * DIAGNOSTICS
 *	Exit 0 on a clean stop, 1 on config errors, 2 on a usage error.
 */
#include "worker.h"

int
main(int argc, char **argv)
{
	struct worker_opts o = { NULL, 0 };

	return daemon_main(argc, argv, &worker_service, &o);
}
