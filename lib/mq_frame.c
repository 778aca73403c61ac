/*
 * NAME
 *	mq_frame - deliveries assembled from AMQP frames, the broker's methods
 * DESCRIPTION
 *	A delivery arrives as a method frame (basic.deliver or basic.return),
 *	a header frame (properties, body size) and body frames; once whole it
 *	goes to its consumer's handler (dispatch). Confirms (basic.ack/nack)
 *	go to the confirm callback; a channel or connection close from the
 *	broker loses the connection. Each frame is the caller's last use of
 *	it: a handler may take the connection down.
 */
#include "mq_private.h"

static char *
bytes_dup(amqp_bytes_t b)
{
	return xstrndup(b.bytes != NULL ? b.bytes : "", b.len);
}

void
mq_frame_reset(struct mq *mq)
{
	free(mq->exchange);
	free(mq->routing_key);
	free(mq->consumer);
	free(mq->message_id);
	free(mq->death_reason);
	free(mq->death_queue);
	free(mq->auth_tag);
	free(mq->body);
	mq->auth_tag = NULL;
	mq->exchange = mq->routing_key = mq->consumer = mq->message_id = NULL;
	mq->death_reason = mq->death_queue = NULL;
	mq->body = NULL;
	mq->death_count = 0;
	mq->in_msg = mq->skip_msg = mq->too_big = 0;
	mq->body_size = mq->body_got = 0;
}

/* x-death[0]'s reason, queue and count, and the authentication tag. */
static void
extract_headers(struct mq *mq, amqp_basic_properties_t *p)
{
	amqp_table_t *t;

	if (!(p->_flags & AMQP_BASIC_HEADERS_FLAG))
		return;
	t = &p->headers;
	for (int i = 0; i < t->num_entries; i++) {
		amqp_table_entry_t *e = &t->entries[i];
		amqp_array_t *arr;
		amqp_table_t *d;

		if (e->key.len == sizeof(AUTH_HEADER) - 1 &&
		    memcmp(e->key.bytes, AUTH_HEADER, e->key.len) == 0 &&
		    (e->value.kind == AMQP_FIELD_KIND_UTF8 || e->value.kind == AMQP_FIELD_KIND_BYTES) &&
		    mq->auth_tag == NULL && e->value.value.bytes.len <= AUTH_TAG_MAX) {
			mq->auth_tag = bytes_dup(e->value.value.bytes);
			continue;
		}
		if (e->key.len != 7 || memcmp(e->key.bytes, "x-death", 7) != 0 ||
		    e->value.kind != AMQP_FIELD_KIND_ARRAY)
			continue;
		arr = &e->value.value.array;
		if (arr->num_entries < 1 || arr->entries[0].kind != AMQP_FIELD_KIND_TABLE ||
		    mq->death_reason != NULL || mq->death_queue != NULL)
			continue;
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
		mq_frame_reset(mq);
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
	m.len = mq->too_big ? 0 : mq->body_size;
	m.oversize = mq->too_big ? mq->body_size : 0;
	m.redelivered = mq->redelivered;
	m.message_id = mq->message_id;
	m.death_reason = mq->death_reason;
	m.death_queue = mq->death_queue;
	m.death_count = mq->death_count;
	m.auth = mq->auth != NULL && !mq->too_big ? auth_verify(mq->auth, mq->auth_tag,
	    m.routing_key != NULL ? m.routing_key : "", m.body, m.len) : AUTH_NONE;
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
	mq_frame_reset(mq);
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
		mq_frame_reset(mq);
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
		mq_frame_reset(mq);
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

void
mq_frame_handle(struct mq *mq, amqp_frame_t *f)
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
			extract_headers(mq, p);
			if (mq->max_body > 0 && mq->body_size > mq->max_body)
				mq->too_big = 1;	/* read, never held */
			else {
				mq->body = xmalloc(mq->body_size + 1);
				mq->body[mq->body_size] = '\0';
			}
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
		if (!mq->skip_msg && !mq->too_big)
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
