/*
 * NAME
 *	events_private - what events.c (subscriptions, snapshots, the ring of
 *	broker events, the websocket) and events_out.c (what goes out to a
 *	client: shared messages, its queue, batched writes, heartbeats) share
 */
#ifndef VIGIL_WEB_EVENTS_PRIVATE_H
#define VIGIL_WEB_EVENTS_PRIVATE_H

#include "web_private.h"

#include <ev.h>
#include <jansson.h>
#include <libwebsockets.h>

#define EV_RING 65536			/* latest events kept for catch-up */
#define EV_SNAPSHOT_MAX 10000		/* checks in a snapshot */
#define EV_BATCH 65536			/* bytes of messages in one write */
#define EV_COALESCE_US 20000		/* a client's writes, at most one per */
#define EV_SNDBUF (128 * 1024)		/* its socket's send buffer (the kernel doubles it) */
#define EV_ACK_EVERY 100		/* messages a broker ack covers (prefetch 1,000) */
#define EV_CLOSE_RESYNC 4001
#define EV_CLOSE_AUTH 4401

enum { T_STATE = 1, T_GROUP = 2, T_NOTIFICATION = 4, T_WORKER = 8, T_CHECKS = 16 };
#define T_ALL (T_STATE | T_GROUP | T_NOTIFICATION | T_WORKER | T_CHECKS)

/* A message as clients get it: made once, shared by every client it is
 * queued for (a thousand clients of one event hold one copy). */
struct ev_buf {
	unsigned refs;
	size_t len;
	unsigned char data[];	/* LWS_PRE, then the text */
};

struct ev_item {
	long long seq;		/* the outbox id; 0: none (heartbeats, checks) */
	long long live;		/* a checks message's number (event_position.live) */
	int type;
	json_t *checks;		/* a checks message's rows */
	char *host, *service;	/* state events: whose ("" for a host check) */
	char *group;		/* group events */
	struct ev_buf *buf;	/* the message for clients, with its seq */
};

struct ev_snapshot;

struct ev_client {
	struct ev_client *next;
	struct web *w;
	struct lws *wsi;
	int authed;
	const char *who;
	/* the subscription */
	int types;
	char *host, *service;	/* globs, NULL: any */
	char *groups;		/* text[] literal, NULL: none asked */
	char **members;		/* "host\nservice" of the groups' checks, sorted */
	size_t nmembers;
	char **gnames;		/* the groups of the subtrees, sorted */
	size_t ngnames;
	/* where it is */
	int live;		/* its snapshot was sent */
	int reading;		/* a snapshot is on a database thread */
	int again;		/* read another when this one is back */
	long long position;
	long long live_pos;	/* the checks messages its snapshot holds */
	struct ev_buf **q;	/* unsent messages: a ring of qcap */
	size_t qcap, qhead, qn;
	size_t queued;		/* their bytes */
	lws_usec_t last_write;	/* when its last write was */
	lws_usec_t last_rx;	/* when it last sent anything (a pong too) */
	int ping_due;		/* a ping is to be written */
	int pinged;		/* one was, since last_rx */
	int deferred;		/* a write is due at the flush timer */
	int close_code;		/* closing: once the queue is written */
	struct ev_snapshot *snap;	/* its snapshot on a thread, or NULL */
};

struct events {
	struct ev_item ring[EV_RING];
	size_t next, n;		/* the next slot, how many are kept */
	long long max_seq;	/* the newest seen on this link */
	int unacked;		/* messages not acknowledged yet */
	struct ev_client *clients;
	struct ev_loop *loop;
	int ping;		/* http.ping, s */
	ev_timer flush;		/* the deferred writes */
	ev_timer heartbeat;	/* pings, and dropping who answers none */
	char queue[256];
	unsigned char out[LWS_PRE + EV_BATCH];	/* a client's next write */
	struct ev_memo {
		char glob[128], s[256];
		int valid, r;
	} memo;			/* glob_match's last answer */
};

/* events_out.c: a message, made once, its references */
struct ev_buf *ev_buf_new(const char *text, size_t len);
void ev_buf_put(struct ev_buf *b);
/* queue for c (b gains a reference); past http.max_client_queue c is
 * closed for a resync instead */
void ev_send_buf(struct ev_client *c, struct ev_buf *b);
void ev_send_text(struct ev_client *c, const char *text, size_t len);
/* drop c's first n unsent messages */
void ev_queue_drop(struct ev_client *c, size_t n);
/* a connection opened, anything heard from it, it writable, it closed */
void ev_client_opened(struct ev_client *c);
void ev_client_heard(struct ev_client *c);
int ev_client_writeable(struct ev_client *c);
void ev_client_closed(struct ev_client *c);
/* the timers of struct events: deferred writes, heartbeats */
void ev_on_flush(struct ev_loop *loop, ev_timer *t, int revents);
void ev_on_heartbeat(struct ev_loop *loop, ev_timer *t, int revents);

#endif
