/*
 * NAME
 *	vigil-notifier - delivers vigil's notifications
 * SYNOPSIS
 *	vigil-notifier [-c vigil.yaml] [--concurrency N]
 * DESCRIPTION
 *	Thin: the daemon skeleton (lib/daemon.c) runs notifier_service
 *	(notifier.c).
 * DIAGNOSTICS
 *	Exit 0 on a clean stop, 1 on config errors, 2 on a usage error.
 */
#include "notifier.h"

int
main(int argc, char **argv)
{
	struct notifier_opts o = { 0 };

	return daemon_main(argc, argv, &notifier_service, &o);
}
