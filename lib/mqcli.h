/*
 * NAME
 *	mqcli - publish one message and wait for the broker's confirm
 * DESCRIPTION
 *	For command-line tools (vigilctl submit, reload) and vigil-web's
 *	command threads: a blocking connect, a persistent publish in confirm
 *	mode, and a wait (at most timeout seconds) for basic.ack. Event
 *	loops use mq.c instead. mqcli_publish() is one message on a
 *	connection of its own; mqcli_open() keeps one for many (after a
 *	failed send, close it and open another).
 * DIAGNOSTICS
 *	-1 with err naming what failed: the URL, the connection, the login,
 *	a refused or unconfirmed publish.
 */
#ifndef VIGIL_MQCLI_H
#define VIGIL_MQCLI_H

#include <stddef.h>

struct auth;
struct mqcli;

struct mqcli *mqcli_open(const char *url, double timeout, char *err, size_t errlen);
int mqcli_send(struct mqcli *m, const char *exchange, const char *routing_key,
    const char *body, size_t len, char *err, size_t errlen);
/* The same with a message id (NULL: none). */
int mqcli_send_id(struct mqcli *m, const char *exchange, const char *routing_key,
    const char *body, size_t len, const char *message_id, char *err, size_t errlen);
void mqcli_close(struct mqcli *m);
/* Tag what m sends with these keys (auth.h; the caller's, kept). */
void mqcli_set_auth(struct mqcli *m, const struct auth *a);

/* a: the keys to tag with, NULL for none (a passive result from a
 * submitter that holds no key). */
int mqcli_publish(const char *url, const struct auth *a, const char *exchange,
    const char *routing_key, const char *body, size_t len, double timeout, char *err,
    size_t errlen);

#endif
