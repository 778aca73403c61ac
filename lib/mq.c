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
#include "mq_private.h"
#include "mq_tag.h"
#include "mq_tls.h"

static const char *const mq_state_name[] = { "stopped", "down", "setup", "up" };

static void mq_drain(struct mq *mq);

static void
mq_set_state(struct mq *mq, enum mq_state to)
{
	if (mq->state == to)
		return;
	log_debug("amqp state name=%s %s->%s", mq->name, mq_state_name[mq->state],
	    mq_state_name[to]);
	mq->state = to;
}

/* Connected: the setup callback's helpers, and the owner, may use it. */
static int
mq_live(const struct mq *mq)
{
	return mq->state == MQ_SETUP || mq->state == MQ_UP;
}

/* Describe a failed RPC reply for the log. */
static void
mq_reply_text(amqp_rpc_reply_t r, char *buf, size_t len)
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
	mq_reply_text(r, buf, sizeof(buf));
	log_error("amqp name=%s %s failed: %s", mq->name, what, buf);
	return -1;
}

static void
mq_drain(struct mq *mq)
{
	struct timeval tiny = { 0, 1 };
	int i;

	for (i = 0; i < MQ_DRAIN_MAX && mq_live(mq) && !mq->paused; i++) {
		amqp_frame_t f;
		int r = amqp_simple_wait_frame_noblock(mq->conn, &f, &tiny);

		if (r == AMQP_STATUS_TIMEOUT)
			break;
		if (r != AMQP_STATUS_OK) {
			mq_lost(mq, amqp_error_string2(r));
			return;
		}
		mq_frame_handle(mq, &f);
	}
	if (!mq_live(mq))
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
	if (mq_live(mq) && !mq->paused)
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
	mq_frame_reset(mq);
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

void
mq_lost(struct mq *mq, const char *why)
{
	enum mq_state from = mq->state;

	if (!mq_live(mq))
		return;
	if (!mq->down_logged) {
		log_warn("amqp down name=%s reason=\"%s\" action=reconnect", mq->name, why);
		mq->down_logged = 1;
	}
	mq_set_state(mq, MQ_DOWN);
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
		log_error("amqp name=%s invalid url (expected amqp[s]://user:pass@host:port/vhost)",
		    mq->name);
		free(url);
		return -1;
	}
	/* "amqp://host:port/" names the empty vhost to librabbitmq; every
	 * admin means RabbitMQ's default "/" (write %2f... for others). */
	if (ci.vhost == NULL || ci.vhost[0] == '\0')
		ci.vhost = "/";
	mq->conn = amqp_new_connection();
	if ((sock = mq_tls_socket(mq->conn, ci.ssl, buf, sizeof(buf))) == NULL) {
		if (!mq->down_logged)
			log_error("amqp name=%s %s action=retry", mq->name, buf);
		mq->down_logged = 1;
		free(url);
		return -1;
	}
	rc = amqp_socket_open_noblock(sock, ci.host, ci.port, &tv);
	if (rc != AMQP_STATUS_OK) {
		if (!mq->down_logged)
			log_warn("amqp name=%s cannot connect host=%s port=%d%s reason=\"%s\" "
			    "action=retry", mq->name, ci.host, ci.port, ci.ssl ? " tls=yes" : "",
			    amqp_error_string2(rc));
		mq->down_logged = 1;
		free(url);
		return -1;
	}
	amqp_set_rpc_timeout(mq->conn, &tv);
	r = amqp_login(mq->conn, ci.vhost, 0, 131072, MQ_HEARTBEAT,
	    AMQP_SASL_METHOD_PLAIN, ci.user, ci.password);
	free(url);
	if (r.reply_type != AMQP_RESPONSE_NORMAL) {
		mq_reply_text(r, buf, sizeof(buf));
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
	mq_set_state(mq, MQ_SETUP);	/* the helpers need it */
	rc = mq->h.setup != NULL ? mq->h.setup(mq, mq->arg) : 0;
	/* A publish in the setup may have lost the link (mq_lost tore it
	 * down): then this attempt failed too. */
	if (rc < 0 || mq->conn == NULL || mq->state != MQ_SETUP) {
		mq_set_state(mq, MQ_DOWN);
		return -1;
	}
	mq_set_state(mq, MQ_UP);
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
	mq_set_state(mq, MQ_DOWN);
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
	if (mq_live(mq) && mq->conn != NULL) {
		amqp_channel_close(mq->conn, MQ_CHANNEL, AMQP_REPLY_SUCCESS);
		amqp_connection_close(mq->conn, AMQP_REPLY_SUCCESS);
	}
	mq_set_state(mq, MQ_STOPPED);
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
	return mq_live(mq);
}

unsigned
mq_generation(const struct mq *mq)
{
	return mq->gen;
}

void
mq_tag_props(struct mq_tag *t, const struct auth *a, const char *routing_key,
    const void *body, size_t len, amqp_basic_properties_t *p)
{
	auth_sign(a, routing_key, body, len, t->text);
	t->entry.key = amqp_cstring_bytes(AUTH_HEADER);
	t->entry.value.kind = AMQP_FIELD_KIND_UTF8;
	t->entry.value.value.bytes = amqp_cstring_bytes(t->text);
	p->_flags |= AMQP_BASIC_HEADERS_FLAG;
	p->headers.num_entries = 1;
	p->headers.entries = &t->entry;
}

void
mq_set_auth(struct mq *mq, const struct auth *a, int allow_untagged)
{
	mq->auth = a;
	mq->allow_untagged = allow_untagged;
}

void
mq_set_max_body(struct mq *mq, size_t max)
{
	mq->max_body = max;
}

int
mq_trusted(const struct mq *mq, const struct mq_msg *m)
{
	return m->auth == AUTH_OK || (m->auth == AUTH_NONE && mq->allow_untagged);
}

int
mq_publish(struct mq *mq, const char *exchange, const char *routing_key,
    const void *body, size_t len, const struct mq_publish *o, uint64_t *seq)
{
	amqp_basic_properties_t p;
	amqp_bytes_t b = { len, (void *)body };
	struct mq_tag tag;
	int rc;

	if (!mq_live(mq))
		return -1;
	memset(&p, 0, sizeof(p));
	if (mq->auth != NULL)
		mq_tag_props(&tag, mq->auth, routing_key, body, len, &p);
	p._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
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

	if (!mq_live(mq) || ref->gen != mq->gen)
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

	if (!mq_live(mq) || ref->gen != mq->gen)
		return -1;
	rc = amqp_basic_reject(mq->conn, ref->channel, ref->tag, requeue);
	if (rc != AMQP_STATUS_OK) {
		mq_lost(mq, amqp_error_string2(rc));
		return -1;
	}
	return 0;
}

/* An exchange's arguments: its alternate exchange, if any. */
static void
exchange_args(amqp_table_t *args, amqp_table_entry_t e[1], const char *alternate_exchange)
{
	if (alternate_exchange == NULL)
		return;
	e[0].key = amqp_cstring_bytes("alternate-exchange");
	e[0].value.kind = AMQP_FIELD_KIND_UTF8;
	e[0].value.value.bytes = amqp_cstring_bytes(alternate_exchange);
	args->num_entries = 1;
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
	exchange_args(&args, e, alternate_exchange);
	amqp_exchange_declare(mq->conn, MQ_CHANNEL, amqp_cstring_bytes(name),
	    amqp_cstring_bytes(type), 0, 1, 0, 0, args);
	snprintf(what, sizeof(what), "declare exchange %s", name);
	return rpc_ok(mq, what);
}

/* The scratch channel, for an RPC the broker may refuse: 0 open, -1. */
static int
scratch_open(struct mq *mq)
{
	if (mq->conn == NULL)
		return -1;
	amqp_channel_open(mq->conn, MQ_SCRATCH_CHANNEL);
	return rpc_ok(mq, "channel.open (declarations)");
}

/* The reply of the RPC just sent on the scratch channel: 0 (the channel
 * closed again), 1 when the broker refused it with code `refused` (the
 * channel is gone with it), -1 otherwise (logged). A queue.declare-ok's
 * message count goes to *count when asked (read before the close, which
 * reuses the reply's memory). */
static int
scratch_result(struct mq *mq, const char *what, int refused, int64_t *count)
{
	amqp_rpc_reply_t r = amqp_get_rpc_reply(mq->conn);
	char buf[512];

	if (r.reply_type == AMQP_RESPONSE_NORMAL) {
		if (count != NULL && r.reply.id == AMQP_QUEUE_DECLARE_OK_METHOD)
			*count = ((amqp_queue_declare_ok_t *)r.reply.decoded)->message_count;
		amqp_channel_close(mq->conn, MQ_SCRATCH_CHANNEL, AMQP_REPLY_SUCCESS);
		return rpc_ok(mq, "channel.close (declarations)");
	}
	if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
	    r.reply.id == AMQP_CHANNEL_CLOSE_METHOD &&
	    ((amqp_channel_close_t *)r.reply.decoded)->reply_code == refused) {
		amqp_channel_close_ok_t done = { 0 };

		if (amqp_send_method(mq->conn, MQ_SCRATCH_CHANNEL, AMQP_CHANNEL_CLOSE_OK_METHOD,
		    &done) != AMQP_STATUS_OK) {
			mq_lost(mq, "channel.close-ok failed");
			return -1;
		}
		return 1;
	}
	mq_reply_text(r, buf, sizeof(buf));
	log_error("amqp name=%s %s failed: %s", mq->name, what, buf);
	return -1;
}

int
mq_declare_exchange_try(struct mq *mq, const char *name, const char *type,
    const char *alternate_exchange)
{
	amqp_table_entry_t e[1];
	amqp_table_t args = { 0, e };
	char buf[300];

	if (scratch_open(mq) < 0)
		return -1;
	exchange_args(&args, e, alternate_exchange);
	amqp_exchange_declare(mq->conn, MQ_SCRATCH_CHANNEL, amqp_cstring_bytes(name),
	    amqp_cstring_bytes(type), 0, 1, 0, 0, args);
	snprintf(buf, sizeof(buf), "declare exchange %s", name);
	return scratch_result(mq, buf, AMQP_ACCESS_REFUSED, NULL);
}

/* A queue's arguments, into e (QUEUE_ARGS of them at most). */
#define QUEUE_ARGS 5
static void
queue_args(amqp_table_t *a, amqp_table_entry_t e[QUEUE_ARGS], const struct mq_queue *q)
{
	amqp_table_t args = { 0, e };

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
	if (q->max_length > 0) {	/* the oldest go first past it */
		e[args.num_entries].key = amqp_cstring_bytes("x-max-length");
		e[args.num_entries].value.kind = AMQP_FIELD_KIND_I64;
		e[args.num_entries].value.value.i64 = q->max_length;
		args.num_entries++;
		e[args.num_entries].key = amqp_cstring_bytes("x-overflow");
		e[args.num_entries].value.kind = AMQP_FIELD_KIND_UTF8;
		e[args.num_entries].value.value.bytes = amqp_cstring_bytes("drop-head");
		args.num_entries++;
	}
	*a = args;
}

int
mq_declare_queue(struct mq *mq, const char *name, const struct mq_queue *q)
{
	amqp_table_entry_t e[QUEUE_ARGS];
	amqp_table_t args;
	char what[300];

	if (mq->conn == NULL)	/* lost during setup */
		return -1;
	queue_args(&args, e, q);
	amqp_queue_declare(mq->conn, MQ_CHANNEL, amqp_cstring_bytes(name), 0,
	    q->durable, q->exclusive, q->auto_delete, args);
	snprintf(what, sizeof(what), "declare queue %s", name);
	return rpc_ok(mq, what);
}

int
mq_declare_queue_try(struct mq *mq, const char *name, const struct mq_queue *q)
{
	amqp_table_entry_t e[QUEUE_ARGS];
	amqp_table_t args;
	char what[300];

	if (scratch_open(mq) < 0)
		return -1;
	queue_args(&args, e, q);
	amqp_queue_declare(mq->conn, MQ_SCRATCH_CHANNEL, amqp_cstring_bytes(name), 0,
	    q->durable, q->exclusive, q->auto_delete, args);
	snprintf(what, sizeof(what), "declare queue %s", name);
	return scratch_result(mq, what, AMQP_PRECONDITION_FAILED, NULL);
}

int64_t
mq_queue_depth(struct mq *mq, const char *name)
{
	int64_t count = -1;
	char what[300];
	int rc;

	if (!mq_live(mq) || scratch_open(mq) < 0)
		return -1;
	amqp_queue_declare(mq->conn, MQ_SCRATCH_CHANNEL, amqp_cstring_bytes(name), 1, 0, 0, 0,
	    amqp_empty_table);
	snprintf(what, sizeof(what), "count queue %s", name);
	rc = scratch_result(mq, what, AMQP_NOT_FOUND, &count);
	/* Frames of other channels that came meanwhile wait in librabbitmq,
	 * not on the socket: have the loop read them, as if it were ready. */
	if (mq_live(mq))
		ev_feed_event(mq->loop, &mq->io, EV_READ);
	return rc == 0 ? count : -1;
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
