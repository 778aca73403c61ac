/*
 * NAME
 *	vigil-web - vigil's HTTP/JSON API
 * SYNOPSIS
 *	vigil-web [-c vigil.yaml]
 * DESCRIPTION
 *	Thin: the daemon skeleton (lib/daemon.c) runs web_service (web.c).
 * DIAGNOSTICS
 *	Exit 0 on a clean stop, 1 on config errors or a port it cannot
 *	listen on, 2 on a usage error.
 */
#include "web.h"

int
main(int argc, char **argv)
{
	return daemon_main(argc, argv, &web_service, NULL);
}
