/*
 * NAME
 *	mq - one AMQP 0-9-1 connection (librabbitmq-c) driven by libev
 * DESCRIPTION
 *	See mq.h. Frames are read with amqp_simple_wait_frame_noblock() and a
 *	one-microsecond timeout: zero would make librabbitmq skip its check of
 *	the broker's heartbeats, and a dead peer would go unnoticed. A
 *	one-second "cron" timer drives heartbeats while the link is idle.
 *
 *	The connection is an explicit state machine (enum mq_state, one
 *	set_state()):
 *
 *	  STOPPED --mq_start--> DOWN --retry timer--> SETUP --setup ok--> UP
 *	  SETUP/UP --lost--> DOWN (retry with backoff)     any --mq_stop--> STOPPED
 *
 *	Reentrancy: a connection lost inside mq_publish/mq_ack/mq_reject (or
 *	while draining) never calls the owner's down callback from there: it
 *	is deferred to the loop (a zero timer), so no mq_* call re-enters its
 *	owner. It runs before any reconnect's setup. Delivery callbacks may
 *	publish, ack or lose the connection; the drain loop therefore
 *	re-checks the state after every frame and touches neither the frame
 *	nor the connection once it went down.
 * DIAGNOSTICS
 *	warn once per outage ("amqp down ... reason=..."), info when back;
 *	declare failures name the object and the broker's reply text.
 */
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

static const char *const mq_state_name[] = { "stopped", "down", "setup", "up" };

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
	char *body;
	size_t body_size, body_got;
};

static void mq_lost(struct mq *mq, const char *why);
static void mq_drain(struct mq *mq);

static void
set_state(struct mq *mq, enum mq_state to)
{
	if (mq->state == to)
		return;
	log_debug("amqp state name=%s %s->%s", mq->name, mq_state_name[mq->state],
	    mq_state_name[to]);
	mq->state = to;
}

/* Connected: the setup callback's helpers, and the owner, may use it. */
static int
live(const struct mq *mq)
{
	return mq->state == MQ_SETUP || mq->state == MQ_UP;
}

static char *
bytes_dup(amqp_bytes_t b)
{
	return xstrndup(b.bytes != NULL ? b.bytes : "", b.len);
}

static void
msg_reset(struct mq *mq)
{
	free(mq->exchange);
	free(mq->routing_key);
	free(mq->consumer);
	free(mq->message_id);
	free(mq->death_reason);
	free(mq->death_queue);
	free(mq->body);
	mq->exchange = mq->routing_key = mq->consumer = mq->message_id = NULL;
	mq->death_reason = mq->death_queue = NULL;
	mq->body = NULL;
	mq->death_count = 0;
	mq->in_msg = mq->skip_msg = 0;
	mq->body_size = mq->body_got = 0;
}

/* Describe a failed RPC reply for the log. */
static void
reply_text(amqp_rpc_reply_t r, char *buf, size_t len)
{
	switch (r.reply_type) {
	case AMQP_RESPONSE_NORMAL:
		snprintf(buf, len, "ok");
		break;
	case AMQP_RESPONSE_NONE:
		snprintf(buf, len, "no reply");
		break;
	case AMQP_RESPONSE_LIBRARY_EXCEPTION:
		snprintf(buf, len, "%s", amqp_error_string2(r.library_error));
		break;
	case AMQP_RESPONSE_SERVER_EXCEPTION:
		if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
			amqp_channel_close_t *c = r.reply.decoded;

			snprintf(buf, len, "channel closed by broker: %d %.*s",
			    c->reply_code, (int)c->reply_text.len, (char *)c->reply_text.bytes);
		} else if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
			amqp_connection_close_t *c = r.reply.decoded;

			snprintf(buf, len, "connection closed by broker: %d %.*s",
			    c->reply_code, (int)c->reply_text.len, (char *)c->reply_text.bytes);
		} else
			snprintf(buf, len, "broker exception method 0x%08x", r.reply.id);
		break;
	}
}

/* Check the last RPC; on failure log it (naming what) and return -1. */
static int
rpc_ok(struct mq *mq, const char *what)
{
	amqp_rpc_reply_t r = amqp_get_rpc_reply(mq->conn);
	char buf[512];

	if (r.reply_type == AMQP_RESPONSE_NORMAL)
		return 0;
	reply_text(r, buf, sizeof(buf));
	log_error("amqp name=%s %s failed: %s", mq->name, what, buf);
	return -1;
}

static void
extract_death(struct mq *mq, amqp_basic_properties_t *p)
{
	amqp_table_t *t;

	if (!(p->_flags & AMQP_BASIC_HEADERS_FLAG))
		return;
	t = &p->headers;
	for (int i = 0; i < t->num_entries; i++) {
		amqp_table_entry_t *e = &t->entries[i];
		amqp_array_t *arr;
		amqp_table_t *d;

		if (e->key.len != 7 || memcmp(e->key.bytes, "x-death", 7) != 0 ||
		    e->value.kind != AMQP_FIELD_KIND_ARRAY)
			continue;
		arr = &e->value.value.array;
		if (arr->num_entries < 1 || arr->entries[0].kind != AMQP_FIELD_KIND_TABLE)
			return;
		d = &arr->entries[0].value.table;
		for (int j = 0; j < d->num_entries; j++) {
			amqp_table_entry_t *f = &d->entries[j];
			amqp_field_value_t *v = &f->value;

			if (f->key.len == 6 && memcmp(f->key.bytes, "reason", 6) == 0 &&
			    (v->kind == AMQP_FIELD_KIND_UTF8 || v->kind == AMQP_FIELD_KIND_BYTES))
				mq->death_reason = bytes_dup(v->value.bytes);
			else if (f->key.len == 5 && memcmp(f->key.bytes, "queue", 5) == 0 &&
			    (v->kind == AMQP_FIELD_KIND_UTF8 || v->kind == AMQP_FIELD_KIND_BYTES))
				mq->death_queue = bytes_dup(v->value.bytes);
			else if (f->key.len == 5 && memcmp(f->key.bytes, "count", 5) == 0) {
				if (v->kind == AMQP_FIELD_KIND_I64)
					mq->death_count = v->value.i64;
				else if (v->kind == AMQP_FIELD_KIND_U64)
					mq->death_count = (int64_t)v->value.u64;
				else if (v->kind == AMQP_FIELD_KIND_I32)
					mq->death_count = v->value.i32;
			}
		}
		return;
	}
}

/* The whole message is here: hand it over. Must be the caller's last use
 * of the frame: the callback may take the connection down. */
static void
dispatch(struct mq *mq)
{
	struct mq_msg m;
	char *body;

	if (mq->skip_msg) {
		msg_reset(mq);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.ref.tag = mq->tag;
	m.ref.gen = mq->gen;
	m.ref.channel = mq->msg_channel;
	m.exchange = mq->exchange;
	m.routing_key = mq->routing_key;
	m.consumer = mq->consumer;
	m.body = mq->body != NULL ? mq->body : "";
	m.len = mq->body_size;
	m.redelivered = mq->redelivered;
	m.message_id = mq->message_id;
	m.death_reason = mq->death_reason;
	m.death_queue = mq->death_queue;
	m.death_count = mq->death_count;
	/* The message's strings are the callback's until it returns, even
	 * if an ack in it loses the link (teardown resets mq's fields). */
	body = mq->body;
	mq->exchange = mq->routing_key = mq->consumer = mq->message_id = NULL;
	mq->death_reason = mq->death_queue = NULL;
	mq->body = NULL;
	mq->in_msg = 0;
	{
		size_t k = (size_t)(m.ref.channel - MQ_CHANNEL - 1);
		mq_delivery_fn fn = m.ref.channel > MQ_CHANNEL && k < mq->nconsumers &&
		    mq->consumers[k].fn != NULL ? mq->consumers[k].fn : mq->h.delivery;

		if (fn != NULL)
			fn(mq, &m, mq->arg);
	}
	free((char *)m.exchange);
	free((char *)m.routing_key);
	free((char *)m.consumer);
	free((char *)m.message_id);
	free((char *)m.death_reason);
	free((char *)m.death_queue);
	free(body);
	msg_reset(mq);
}

static void
handle_method(struct mq *mq, uint16_t channel, amqp_method_t *m)
{
	char buf[512];

	switch (m->id) {
	case AMQP_BASIC_DELIVER_METHOD: {
		amqp_basic_deliver_t *d = m->decoded;

		/* A new message while one is half-assembled: the stream is
		 * broken, and dropping the first would leave its tag unacked
		 * under a later multiple-ack. */
		if (mq->in_msg) {
			mq_lost(mq, "a delivery began before the previous one ended");
			break;
		}
		msg_reset(mq);
		mq->in_msg = 1;
		mq->msg_channel = channel;
		mq->tag = d->delivery_tag;
		mq->redelivered = d->redelivered;
		mq->exchange = bytes_dup(d->exchange);
		mq->routing_key = bytes_dup(d->routing_key);
		mq->consumer = bytes_dup(d->consumer_tag);
		break;
	}
	case AMQP_BASIC_RETURN_METHOD:
		if (mq->in_msg) {
			mq_lost(mq, "a returned message began before a delivery ended");
			break;
		}
		msg_reset(mq);
		mq->in_msg = 1;
		mq->msg_channel = channel;
		mq->skip_msg = 1;
		break;
	case AMQP_BASIC_ACK_METHOD: {
		amqp_basic_ack_t *a = m->decoded;

		if (mq->h.confirm != NULL)
			mq->h.confirm(mq, a->delivery_tag, a->multiple, 0, mq->arg);
		break;
	}
	case AMQP_BASIC_NACK_METHOD: {
		amqp_basic_nack_t *n = m->decoded;

		if (mq->h.confirm != NULL)
			mq->h.confirm(mq, n->delivery_tag, n->multiple, 1, mq->arg);
		break;
	}
	case AMQP_CHANNEL_CLOSE_METHOD: {
		amqp_channel_close_t *c = m->decoded;
		amqp_channel_close_ok_t ok = { 0 };

		snprintf(buf, sizeof(buf), "channel closed by broker: %d %.*s",
		    c->reply_code, (int)c->reply_text.len, (char *)c->reply_text.bytes);
		amqp_send_method(mq->conn, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
		mq_lost(mq, buf);
		break;
	}
	case AMQP_CONNECTION_CLOSE_METHOD: {
		amqp_connection_close_t *c = m->decoded;
		amqp_connection_close_ok_t ok = { 0 };

		snprintf(buf, sizeof(buf), "connection closed by broker: %d %.*s",
		    c->reply_code, (int)c->reply_text.len, (char *)c->reply_text.bytes);
		amqp_send_method(mq->conn, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
		mq_lost(mq, buf);
		break;
	}
	case AMQP_BASIC_CANCEL_METHOD:
		/* The broker cancelled a consumer (its queue was deleted):
		 * reconnecting re-declares and re-consumes. */
		mq_lost(mq, "consumer cancelled by broker");
		break;
	default:
		break;
	}
}

static void
handle_frame(struct mq *mq, amqp_frame_t *f)
{
	if (mq->in_msg && f->frame_type != AMQP_FRAME_METHOD && f->channel != mq->msg_channel) {
		/* RabbitMQ sends a message's frames together; anything else
		 * means we lost track of the stream. */
		mq_lost(mq, "content frames of two channels interleaved");
		return;
	}
	switch (f->frame_type) {
	case AMQP_FRAME_METHOD:
		handle_method(mq, f->channel, &f->payload.method);
		break;
	case AMQP_FRAME_HEADER:
		if (!mq->in_msg)
			break;
		mq->body_size = f->payload.properties.body_size;
		if (!mq->skip_msg) {
			amqp_basic_properties_t *p = f->payload.properties.decoded;

			if (p->_flags & AMQP_BASIC_MESSAGE_ID_FLAG)
				mq->message_id = bytes_dup(p->message_id);
			extract_death(mq, p);
			mq->body = xmalloc(mq->body_size + 1);
			mq->body[mq->body_size] = '\0';
		}
		if (mq->body_size == 0)
			dispatch(mq);
		break;
	case AMQP_FRAME_BODY: {
		amqp_bytes_t b = f->payload.body_fragment;

		if (!mq->in_msg)
			break;
		if (b.len > mq->body_size - mq->body_got) {
			mq_lost(mq, "body frame larger than announced");
			break;
		}
		if (!mq->skip_msg)
			memcpy(mq->body + mq->body_got, b.bytes, b.len);
		mq->body_got += b.len;
		if (mq->body_got == mq->body_size)
			dispatch(mq);
		break;
	}
	default:
		break;
	}
}

static void
mq_drain(struct mq *mq)
{
	struct timeval tiny = { 0, 1 };
	int i;

	for (i = 0; i < MQ_DRAIN_MAX && live(mq) && !mq->paused; i++) {
		amqp_frame_t f;
		int r = amqp_simple_wait_frame_noblock(mq->conn, &f, &tiny);

		if (r == AMQP_STATUS_TIMEOUT)
			break;
		if (r != AMQP_STATUS_OK) {
			mq_lost(mq, amqp_error_string2(r));
			return;
		}
		handle_frame(mq, &f);
	}
	if (!live(mq))
		return;
	if (i == MQ_DRAIN_MAX && !mq->paused)
		ev_feed_event(mq->loop, &mq->io, EV_READ);	/* more later */
	/* Frames point into the connection's pool: release it only when no
	 * message is half-assembled. */
	if (!mq->in_msg)
		amqp_maybe_release_buffers(mq->conn);
}

static void
io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct mq *mq = w->data;

	if (!mq->paused)	/* a fed event may arrive after mq_pause() */
		mq_drain(mq);
}

static void
cron_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct mq *mq = w->data;

	/* Sends a heartbeat when due and notices a silent broker. While
	 * paused, nothing is read: a pause must stay short (heartbeats). */
	if (live(mq) && !mq->paused)
		mq_drain(mq);
}

static void
teardown(struct mq *mq)
{
	if (ev_is_active(&mq->io))
		ev_io_stop(mq->loop, &mq->io);
	ev_timer_stop(mq->loop, &mq->cron);
	if (mq->conn != NULL) {
		amqp_destroy_connection(mq->conn);
		mq->conn = NULL;
	}
	msg_reset(mq);
}

static void
schedule_retry(struct mq *mq)
{
	ev_timer_stop(mq->loop, &mq->retry);
	ev_timer_set(&mq->retry, backoff_next(&mq->backoff), 0.);
	ev_timer_start(mq->loop, &mq->retry);
}

static void
run_down(struct mq *mq)
{
	ev_timer_stop(mq->loop, &mq->down);
	if (!mq->down_pending)
		return;
	mq->down_pending = 0;
	if (mq->h.down != NULL)
		mq->h.down(mq, mq->arg);
}

static void
down_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	run_down(w->data);
}

static void
mq_lost(struct mq *mq, const char *why)
{
	enum mq_state from = mq->state;

	if (!live(mq))
		return;
	if (!mq->down_logged) {
		log_warn("amqp down name=%s reason=\"%s\" action=reconnect", mq->name, why);
		mq->down_logged = 1;
	}
	set_state(mq, MQ_DOWN);
	teardown(mq);
	/* Lost while the setup callback runs: that connection never was up
	 * for the owner (no down), and mq_connect's caller retries. */
	if (from == MQ_SETUP)
		return;
	mq->down_pending = 1;
	ev_timer_stop(mq->loop, &mq->down);
	ev_timer_set(&mq->down, 0., 0.);
	ev_timer_start(mq->loop, &mq->down);
	schedule_retry(mq);
}

static int
mq_connect(struct mq *mq)
{
	struct amqp_connection_info ci;
	struct timeval tv = { 5, 0 };
	amqp_socket_t *sock;
	char *url = xstrdup(mq->url);
	amqp_rpc_reply_t r;
	char buf[512];
	int rc;

	amqp_default_connection_info(&ci);
	if (amqp_parse_url(url, &ci) != AMQP_STATUS_OK) {
		log_error("amqp name=%s invalid url (expected amqp://user:pass@host:port/vhost)", mq->name);
		free(url);
		return -1;
	}
	/* "amqp://host:port/" names the empty vhost to librabbitmq; every
	 * admin means RabbitMQ's default "/" (write %2f... for others). */
	if (ci.vhost == NULL || ci.vhost[0] == '\0')
		ci.vhost = "/";
	mq->conn = amqp_new_connection();
	sock = amqp_tcp_socket_new(mq->conn);
	if (sock == NULL) {
		free(url);
		return -1;
	}
	rc = amqp_socket_open_noblock(sock, ci.host, ci.port, &tv);
	if (rc != AMQP_STATUS_OK) {
		if (!mq->down_logged)
			log_warn("amqp name=%s cannot connect host=%s port=%d reason=\"%s\" action=retry",
			    mq->name, ci.host, ci.port, amqp_error_string2(rc));
		mq->down_logged = 1;
		free(url);
		return -1;
	}
	amqp_set_rpc_timeout(mq->conn, &tv);
	r = amqp_login(mq->conn, ci.vhost, 0, 131072, MQ_HEARTBEAT,
	    AMQP_SASL_METHOD_PLAIN, ci.user, ci.password);
	free(url);
	if (r.reply_type != AMQP_RESPONSE_NORMAL) {
		reply_text(r, buf, sizeof(buf));
		log_warn("amqp name=%s login failed reason=\"%s\" action=retry", mq->name, buf);
		mq->down_logged = 1;
		return -1;
	}
	amqp_channel_open(mq->conn, MQ_CHANNEL);
	if (rpc_ok(mq, "channel.open") < 0)
		return -1;
	amqp_confirm_select(mq->conn, MQ_CHANNEL);
	if (rpc_ok(mq, "confirm.select") < 0)
		return -1;
	mq->next_seq = 1;
	mq->gen++;
	mq->nconsumers = 0;
	set_state(mq, MQ_SETUP);	/* the helpers need it */
	rc = mq->h.setup != NULL ? mq->h.setup(mq, mq->arg) : 0;
	/* A publish in the setup may have lost the link (mq_lost tore it
	 * down): then this attempt failed too. */
	if (rc < 0 || mq->conn == NULL || mq->state != MQ_SETUP) {
		set_state(mq, MQ_DOWN);
		return -1;
	}
	set_state(mq, MQ_UP);
	ev_io_init(&mq->io, io_cb, amqp_get_sockfd(mq->conn), EV_READ);
	mq->io.data = mq;
	if (!mq->paused)
		ev_io_start(mq->loop, &mq->io);
	ev_timer_again(mq->loop, &mq->cron);
	return 0;
}

static void
retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct mq *mq = w->data;

	if (mq->state != MQ_DOWN)
		return;
	/* The owner hears of the last connection's loss before the next
	 * one's setup. */
	run_down(mq);
	if (mq_connect(mq) < 0) {
		teardown(mq);
		schedule_retry(mq);
		return;
	}
	log_info("amqp up name=%s generation=%u", mq->name, mq->gen);
	mq->down_logged = 0;
	backoff_reset(&mq->backoff);
	/* RPC replies may have queued deliveries behind them. */
	if (!mq->paused)
		mq_drain(mq);
}

struct mq *
mq_new(struct ev_loop *loop, const char *url, const char *name,
    const struct mq_handlers *h, void *arg)
{
	struct mq *mq = xcalloc(1, sizeof(*mq));

	mq->loop = loop;
	mq->url = xstrdup(url);
	mq->name = xstrdup(name);
	mq->h = *h;
	mq->arg = arg;
	mq->backoff = (struct backoff)BACKOFF_INIT(MQ_BACKOFF_MIN, MQ_BACKOFF_MAX);
	ev_timer_init(&mq->retry, retry_cb, 0., 0.);
	mq->retry.data = mq;
	ev_timer_init(&mq->cron, cron_cb, 1., 1.);
	mq->cron.data = mq;
	ev_timer_init(&mq->down, down_cb, 0., 0.);
	mq->down.data = mq;
	return mq;
}

void
mq_start(struct mq *mq)
{
	if (mq->state != MQ_STOPPED)
		return;
	set_state(mq, MQ_DOWN);
	ev_timer_stop(mq->loop, &mq->retry);
	ev_timer_set(&mq->retry, 0., 0.);
	ev_timer_start(mq->loop, &mq->retry);
}

void
mq_stop(struct mq *mq)
{
	ev_timer_stop(mq->loop, &mq->retry);
	/* The owner is stopping us: a loss it has not heard of yet is
	 * moot, and its down callback must not run into its teardown. */
	mq->down_pending = 0;
	ev_timer_stop(mq->loop, &mq->down);
	if (live(mq)) {
		amqp_channel_close(mq->conn, MQ_CHANNEL, AMQP_REPLY_SUCCESS);
		amqp_connection_close(mq->conn, AMQP_REPLY_SUCCESS);
	}
	set_state(mq, MQ_STOPPED);
	teardown(mq);
}

void
mq_free(struct mq *mq)
{
	if (mq == NULL)
		return;
	mq_stop(mq);
	free(mq->url);
	free(mq->name);
	free(mq);
}

int
mq_is_up(const struct mq *mq)
{
	return live(mq);
}

unsigned
mq_generation(const struct mq *mq)
{
	return mq->gen;
}

int
mq_publish(struct mq *mq, const char *exchange, const char *routing_key,
    const void *body, size_t len, const struct mq_publish *o, uint64_t *seq)
{
	amqp_basic_properties_t p;
	amqp_bytes_t b = { len, (void *)body };
	int rc;

	if (!live(mq))
		return -1;
	memset(&p, 0, sizeof(p));
	p._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
	p.content_type = amqp_cstring_bytes("application/json");
	p.delivery_mode = o != NULL && o->persistent ? AMQP_DELIVERY_PERSISTENT : AMQP_DELIVERY_NONPERSISTENT;
	if (o != NULL && o->expiration_ms != NULL) {
		p._flags |= AMQP_BASIC_EXPIRATION_FLAG;
		p.expiration = amqp_cstring_bytes(o->expiration_ms);
	}
	if (o != NULL && o->message_id != NULL) {
		p._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
		p.message_id = amqp_cstring_bytes(o->message_id);
	}
	if (o != NULL && o->type != NULL) {
		p._flags |= AMQP_BASIC_TYPE_FLAG;
		p.type = amqp_cstring_bytes(o->type);
	}
	rc = amqp_basic_publish(mq->conn, MQ_CHANNEL, amqp_cstring_bytes(exchange),
	    amqp_cstring_bytes(routing_key), 0, 0, &p, b);
	if (rc != AMQP_STATUS_OK) {
		mq_lost(mq, amqp_error_string2(rc));
		return -1;
	}
	if (seq != NULL)
		*seq = mq->next_seq;
	mq->next_seq++;
	return 0;
}

int
mq_ack(struct mq *mq, const struct mq_ref *ref, int multiple)
{
	int rc;

	if (!live(mq) || ref->gen != mq->gen)
		return -1;
	rc = amqp_basic_ack(mq->conn, ref->channel, ref->tag, multiple);
	if (rc != AMQP_STATUS_OK) {
		mq_lost(mq, amqp_error_string2(rc));
		return -1;
	}
	return 0;
}

int
mq_reject(struct mq *mq, const struct mq_ref *ref, int requeue)
{
	int rc;

	if (!live(mq) || ref->gen != mq->gen)
		return -1;
	rc = amqp_basic_reject(mq->conn, ref->channel, ref->tag, requeue);
	if (rc != AMQP_STATUS_OK) {
		mq_lost(mq, amqp_error_string2(rc));
		return -1;
	}
	return 0;
}

int
mq_declare_exchange(struct mq *mq, const char *name, const char *type,
    const char *alternate_exchange)
{
	amqp_table_entry_t e[1];
	amqp_table_t args = { 0, e };
	char what[300];

	if (mq->conn == NULL)	/* lost during setup */
		return -1;
	if (alternate_exchange != NULL) {
		e[0].key = amqp_cstring_bytes("alternate-exchange");
		e[0].value.kind = AMQP_FIELD_KIND_UTF8;
		e[0].value.value.bytes = amqp_cstring_bytes(alternate_exchange);
		args.num_entries = 1;
	}
	amqp_exchange_declare(mq->conn, MQ_CHANNEL, amqp_cstring_bytes(name),
	    amqp_cstring_bytes(type), 0, 1, 0, 0, args);
	snprintf(what, sizeof(what), "declare exchange %s", name);
	return rpc_ok(mq, what);
}

int
mq_declare_queue(struct mq *mq, const char *name, const struct mq_queue *q)
{
	amqp_table_entry_t e[3];
	amqp_table_t args = { 0, e };
	char what[300];

	if (mq->conn == NULL)	/* lost during setup */
		return -1;
	if (q->dead_letter_exchange != NULL) {
		e[args.num_entries].key = amqp_cstring_bytes("x-dead-letter-exchange");
		e[args.num_entries].value.kind = AMQP_FIELD_KIND_UTF8;
		e[args.num_entries].value.value.bytes = amqp_cstring_bytes(q->dead_letter_exchange);
		args.num_entries++;
	}
	if (q->quorum) {
		e[args.num_entries].key = amqp_cstring_bytes("x-queue-type");
		e[args.num_entries].value.kind = AMQP_FIELD_KIND_UTF8;
		e[args.num_entries].value.value.bytes = amqp_cstring_bytes("quorum");
		args.num_entries++;
	}
	if (q->message_ttl_ms > 0) {
		e[args.num_entries].key = amqp_cstring_bytes("x-message-ttl");
		e[args.num_entries].value.kind = AMQP_FIELD_KIND_I64;
		e[args.num_entries].value.value.i64 = q->message_ttl_ms;
		args.num_entries++;
	}
	amqp_queue_declare(mq->conn, MQ_CHANNEL, amqp_cstring_bytes(name), 0,
	    q->durable, 0, 0, args);
	snprintf(what, sizeof(what), "declare queue %s", name);
	return rpc_ok(mq, what);
}

int
mq_bind(struct mq *mq, const char *queue, const char *exchange, const char *key)
{
	char what[300];

	if (mq->conn == NULL)	/* lost during setup */
		return -1;
	amqp_queue_bind(mq->conn, MQ_CHANNEL, amqp_cstring_bytes(queue),
	    amqp_cstring_bytes(exchange), amqp_cstring_bytes(key), amqp_empty_table);
	snprintf(what, sizeof(what), "bind queue %s to %s key %s", queue, exchange, key);
	return rpc_ok(mq, what);
}

int
mq_consume(struct mq *mq, const char *queue, unsigned prefetch, mq_delivery_fn fn)
{
	char what[300];
	uint16_t ch;

	if (mq->conn == NULL)	/* lost during setup */
		return -1;
	if (mq->nconsumers == MQ_MAX_CONSUMERS)
		log_panic("amqp name=%s more than %d consumers", mq->name, MQ_MAX_CONSUMERS);
	ch = (uint16_t)(MQ_CHANNEL + 1 + mq->nconsumers);
	mq->consumers[mq->nconsumers++].fn = fn;
	amqp_channel_open(mq->conn, ch);
	snprintf(what, sizeof(what), "channel.open for %s", queue);
	if (rpc_ok(mq, what) < 0)
		return -1;
	amqp_basic_qos(mq->conn, ch, 0, (uint16_t)(prefetch > 65535 ? 65535 : prefetch), 0);
	snprintf(what, sizeof(what), "basic.qos for %s", queue);
	if (rpc_ok(mq, what) < 0)
		return -1;
	amqp_basic_consume(mq->conn, ch, amqp_cstring_bytes(queue),
	    amqp_cstring_bytes(queue), 0, 0, 0, amqp_empty_table);
	snprintf(what, sizeof(what), "consume %s", queue);
	return rpc_ok(mq, what);
}

void
mq_pause(struct mq *mq)
{
	mq->paused = 1;
	if (ev_is_active(&mq->io))
		ev_io_stop(mq->loop, &mq->io);
}

void
mq_resume(struct mq *mq)
{
	mq->paused = 0;
	if (mq->state == MQ_UP && !ev_is_active(&mq->io)) {
		ev_io_start(mq->loop, &mq->io);
		/* Frames may wait in librabbitmq's buffer, unseen by the io. */
		ev_feed_event(mq->loop, &mq->io, EV_READ);
	}
}
