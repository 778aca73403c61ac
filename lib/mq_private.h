/*
 * NAME
 *	mq_private - what mq.c and mq_frame.c share: struct mq
 * DESCRIPTION
 *	Not for outside lib/mq*.c. mq.c: the connection's state machine,
 *	publishing, acks, declaring; mq_frame.c: assembling deliveries from
 *	frames and the broker's methods.
 */
#ifndef VIGIL_MQ_PRIVATE_H
#define VIGIL_MQ_PRIVATE_H

#include "mq.h"
#include "backoff.h"
#include "log.h"
#include "xalloc.h"
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define MQ_CHANNEL 1
#define MQ_SCRATCH_CHANNEL 100	/* declarations the broker may refuse */
#define MQ_BACKOFF_MIN 0.5
#define MQ_BACKOFF_MAX 5.0	/* a short cap: recovery is noticed soon */
#define MQ_HEARTBEAT 30
#define MQ_DRAIN_MAX 4096	/* frames per wakeup, then yield to the loop */

enum mq_state {
	MQ_STOPPED,		/* not started, or mq_stop()ped */
	MQ_DOWN,		/* waiting for the retry timer to connect */
	MQ_SETUP,		/* connected; the setup callback declares */
	MQ_UP,			/* set up, io watched */
};

/* A consumer: its channel is MQ_CHANNEL + 1 + its index. */
struct mq_consumer {
	mq_delivery_fn fn;	/* NULL: the handlers' delivery */
};

#define MQ_MAX_CONSUMERS 16

struct mq {
	struct ev_loop *loop;
	char *url;
	char *name;
	struct mq_handlers h;
	void *arg;
	const struct auth *auth;	/* NULL: neither tag nor check */
	size_t max_body;		/* 0: no limit */
	int allow_untagged;

	amqp_connection_state_t conn;
	enum mq_state state;
	int paused;		/* deliveries held back (mq_pause) */
	int down_pending;	/* the down callback waits for the loop */
	unsigned gen;
	uint64_t next_seq;
	struct backoff backoff;
	int down_logged;	/* this outage was logged */

	ev_io io;
	ev_timer retry;
	ev_timer cron;
	ev_timer down;		/* runs the deferred down callback */

	struct mq_consumer consumers[MQ_MAX_CONSUMERS];	/* this connection's */
	size_t nconsumers;

	/* delivery being assembled from method + header + body frames */
	int in_msg;
	uint16_t msg_channel;
	int skip_msg;		/* a basic.return: read and drop */
	uint64_t tag;
	int redelivered;
	char *exchange, *routing_key, *consumer, *message_id;
	char *death_reason, *death_queue;
	int64_t death_count;
	char *auth_tag;		/* its AUTH_HEADER, NULL if none */
	int too_big;		/* over max_body: its body is dropped */
	char *body;
	size_t body_size, body_got;
};

/* mq.c */
void mq_lost(struct mq *mq, const char *why);

/* mq_frame.c */
void mq_frame_reset(struct mq *mq);
void mq_frame_handle(struct mq *mq, amqp_frame_t *f);

#endif
