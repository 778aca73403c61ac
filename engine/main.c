/*
 * NAME
 *	vigil-engine - the scheduler and state keeper of vigil
 * SYNOPSIS
 *	vigil-engine [-c vigil.yaml] [--check-config]
 * DESCRIPTION
 *	Thin: the daemon skeleton (lib/daemon.c) runs engine_service
 *	(engine.c).
 * DIAGNOSTICS
 *	Exit 0 on a clean stop or a valid --check-config, 1 on config errors
 *	or a fatal environment problem, 2 on a usage error.
 */
#include "engine.h"

int
main(int argc, char **argv)
{
	struct engine_opts o = { 0 };

	return daemon_main(argc, argv, &engine_service, &o);
}
