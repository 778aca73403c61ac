/*
 * NAME
 *	wsclient - websocket clients of vigil-web's live stream, for tests
 * DESCRIPTION
 *	wsc_init() makes a libwebsockets client context for a vigil-web on
 *	127.0.0.1:port; wsc_open() connects a client (subprotocol
 *	vigil-events) that sends sub as its first message and keeps every
 *	message it receives, parsed, in msgs. Nothing happens between calls:
 *	wsc_until() services the connections until a predicate holds.
 *	wsc_fini() closes everything and frees every client.
 */
#ifndef VIGIL_WSCLIENT_H
#define VIGIL_WSCLIENT_H

#include <jansson.h>
#include <stddef.h>

#include "strbuf.h"

struct lws;

struct wsc {
	struct lws *wsi;	/* NULL once closed */
	const char *sub;	/* the subscription it sends */
	int sent, closed, close_code;
	struct strbuf part;	/* a message being received */
	json_t *msgs;		/* every message received, parsed */
};

void wsc_init(int port);
void wsc_fini(void);
struct wsc *wsc_open(const char *sub);
struct wsc *wsc_open_at(int port, const char *sub);
/* Service the clients until pred(arg) or timeout seconds: pred's last
 * answer. */
int wsc_until(int (*pred)(void *), void *arg, double timeout);
/* Service the clients once, waiting up to ms. */
void wsc_service(int ms);
/* The first message of c of type t from index i on; -1 if none yet. */
int wsc_find(struct wsc *c, const char *t, size_t i);
/* Predicates (arg: a struct wsc *): a snapshot came (or it closed);
 * it closed. */
int wsc_has_snapshot(void *arg);
int wsc_is_closed(void *arg);
/* Send sub as c's new subscription (once the connection is writable). */
void wsc_resubscribe(struct wsc *c, const char *sub);
/* Stop or resume reading c's connection. */
void wsc_pause(struct wsc *c, int paused);

#endif
