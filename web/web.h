/*
 * NAME
 *	web - vigil-web, the HTTP/JSON API
 * DESCRIPTION
 *	A service of the daemon skeleton (lib/daemon.h): web_service. See
 *	web.c.
 */
#ifndef VIGIL_WEB_H
#define VIGIL_WEB_H

#include "daemon.h"

extern const struct daemon_service web_service;

#endif
