/*
 * NAME
 *	mqcli - publish one message and wait for the broker's confirm
 * DESCRIPTION
 *	For command-line tools (vigilctl submit, reload): a blocking connect,
 *	a persistent publish in confirm mode, and a wait (at most timeout
 *	seconds) for basic.ack. Daemons use mq.c on their event loop instead.
 * DIAGNOSTICS
 *	-1 with err naming what failed: the URL, the connection, the login,
 *	a refused or unconfirmed publish.
 */
#ifndef VIGIL_MQCLI_H
#define VIGIL_MQCLI_H

#include <stddef.h>

int mqcli_publish(const char *url, const char *exchange, const char *routing_key,
    const char *body, size_t len, double timeout, char *err, size_t errlen);

#endif
