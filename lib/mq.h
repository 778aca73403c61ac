/*
 * NAME
 *	mq - one AMQP 0-9-1 connection (librabbitmq-c) driven by libev
 * DESCRIPTION
 *	An mq owns one connection: channel 1 publishes (publisher-confirm
 *	mode) and declares, and every consumer has a channel of its own.
 *	Its socket is watched by an ev_io; frames are drained without blocking
 *	(amqp_simple_wait_frame_noblock with a zero timeout) and deliveries are
 *	assembled here, then handed to the owner's delivery callback. Broker
 *	confirms (basic.ack/nack) go to the confirm callback by publish
 *	sequence number.
 *
 *	Connection loss of any kind (socket error, missed heartbeats, a channel
 *	or connection close from the broker) is logged once; the connection is
 *	torn down, the down callback runs (unconfirmed publishes and unacked
 *	deliveries are void: the broker redelivers), and a reconnect is tried
 *	with exponential backoff (0.5 s doubling to 5 s). After connecting,
 *	the setup callback declares topology and starts consumers.
 *
 *	Every connection has a generation number. Acks carry the generation
 *	of the delivery; an ack for an older generation is dropped, since its
 *	delivery tag means nothing on the new connection.
 * DIAGNOSTICS
 *	Publishing or acking while down returns -1. Connecting and declaring
 *	are synchronous RPCs with a socket timeout: they run only at (re)connect
 *	time, from the reconnect timer, when nothing else can use the link.
 */
#ifndef VIGIL_MQ_H
#define VIGIL_MQ_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"

struct ev_loop;
struct mq;

/* What an ack needs: delivery tags are per channel and per connection. */
struct mq_ref {
	unsigned gen;
	uint16_t channel;
	uint64_t tag;
};

struct mq_msg {
	struct mq_ref ref;
	const char *exchange;
	const char *routing_key;
	const char *consumer;	/* the consumer tag = the queue name */
	const void *body;
	size_t len;
	int redelivered;
	const char *message_id;	/* NULL if none */
	const char *death_reason; /* x-death[0].reason ("expired", "rejected") or NULL */
	const char *death_queue;  /* x-death[0].queue or NULL */
	int64_t death_count;	/* x-death[0].count or 0 */
	/* Its AUTH_HEADER checked against the keys of mq_set_auth()
	 * (AUTH_NONE when it has none, or when no keys were set). */
	enum auth_verdict auth;
	/* Bigger than mq_set_max_body(): its size; the body was read and
	 * dropped (body "", len 0, auth AUTH_NONE). 0 otherwise. */
	size_t oversize;
};

typedef void (*mq_delivery_fn)(struct mq *mq, const struct mq_msg *msg, void *arg);

struct mq_handlers {
	/* After (re)connect: declare and consume. Return 0, or -1 to drop the
	 * connection and retry later. */
	int (*setup)(struct mq *mq, void *arg);
	/* Deliveries of a consumer registered without a handler of its own. */
	mq_delivery_fn delivery;
	/* Broker confirmed (nack = 0) or refused (nack = 1) publish seq; with
	 * multiple, every seq up to it. */
	void (*confirm)(struct mq *mq, uint64_t seq, int multiple, int nack, void *arg);
	/* The connection went down (after it had been set up). Always from
	 * the loop, never from inside an mq_* call: a loss noticed by
	 * mq_publish/mq_ack/mq_reject is reported after that call returned,
	 * and before the next connection's setup. Not after mq_stop(). */
	void (*down)(struct mq *mq, void *arg);
};

struct mq_publish {
	int persistent;
	const char *expiration_ms;	/* per-message TTL, NULL for none */
	const char *message_id;
	const char *type;
};

struct mq_queue {
	int durable;
	int exclusive;		/* this connection's only, gone with it */
	int auto_delete;
	int quorum;		/* x-queue-type: quorum */
	const char *dead_letter_exchange;
	int64_t message_ttl_ms;	/* x-message-ttl, 0: none */
	int64_t max_length;	/* x-max-length (the oldest dropped), 0: none */
};

struct mq *mq_new(struct ev_loop *loop, const char *url, const char *name,
    const struct mq_handlers *h, void *arg);
void mq_free(struct mq *mq);
/* Connect now (or schedule retries). */
void mq_start(struct mq *mq);
/* Close cleanly (unacked deliveries go back to their queues). */
void mq_stop(struct mq *mq);
int mq_is_up(const struct mq *mq);
/* Hold deliveries back (nothing is read from the socket) / take them
 * again. Publishing and acking go on. Keep pauses short: heartbeats are
 * not answered meanwhile. */
void mq_pause(struct mq *mq);
void mq_resume(struct mq *mq);
unsigned mq_generation(const struct mq *mq);
/* Tag every publish with, and check every delivery against, these keys
 * (auth.h; the caller's, kept until mq_free or the next call; NULL:
 * none); allow_untagged: mq_trusted() takes untagged deliveries too. */
void mq_set_auth(struct mq *mq, const struct auth *a, int allow_untagged);
/* Deliveries with bodies over max bytes are read and dropped, never held
 * in memory: the handler gets them with oversize set (0: no limit). */
void mq_set_max_body(struct mq *mq, size_t max);
/* Whether a delivery may be acted on: its tag verified, or it has none
 * and untagged messages are allowed. A wrong tag, or one under a key we
 * do not hold, is never trusted. */
int mq_trusted(const struct mq *mq, const struct mq_msg *m);

int mq_publish(struct mq *mq, const char *exchange, const char *routing_key,
    const void *body, size_t len, const struct mq_publish *opts, uint64_t *seq);
int mq_ack(struct mq *mq, const struct mq_ref *ref, int multiple);
int mq_reject(struct mq *mq, const struct mq_ref *ref, int requeue);

/* Setup helpers: only from the setup callback. 0 / -1 (error logged). */
int mq_declare_exchange(struct mq *mq, const char *name, const char *type,
    const char *alternate_exchange);
/* The same, for a process whose broker user may lack the configure
 * permission on exchanges (a worker's, notifier's or vigil-web's role):
 * declared on a channel of its own, so that the broker's refusal (403)
 * costs that channel only. 0 declared, 1 refused (the engine's role
 * declares them), -1 any other failure (logged). */
int mq_declare_exchange_try(struct mq *mq, const char *name, const char *type,
    const char *alternate_exchange);
int mq_declare_queue(struct mq *mq, const char *name, const struct mq_queue *q);
/* The same on a channel of its own: 1 when the queue exists with other
 * arguments (406, e.g. made before a bound was added), 0 declared, -1. */
int mq_declare_queue_try(struct mq *mq, const char *name, const struct mq_queue *q);
/* Messages ready in a queue (a passive declare on a channel of its own),
 * -1 when it is not there or the link is down. Blocking: from the loop,
 * rarely (the engine's cron, once a minute). */
int64_t mq_queue_depth(struct mq *mq, const char *name);
int mq_bind(struct mq *mq, const char *queue, const char *exchange, const char *key);
/* Consume queue on a channel of its own with at most prefetch unacked
 * deliveries; consumer tag = queue; its deliveries go to fn (NULL: the
 * handlers' delivery). Publishing and declaring use channel 1 (confirm
 * mode); each consumer has its own channel so that deliveries never
 * arrive on the channel a synchronous RPC waits on. At most 16 per
 * connection. */
int mq_consume(struct mq *mq, const char *queue, unsigned prefetch, mq_delivery_fn fn);

#endif
