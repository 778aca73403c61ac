/*
 * NAME
 *	mqcli - publish one message and wait for the broker's confirm
 * DESCRIPTION
 *	See mqcli.h.
 * DIAGNOSTICS
 *	See mqcli.h.
 */
#include "auth.h"
#include "mq_tag.h"
#include "mq_tls.h"
#include "mqcli.h"
#include "util.h"
#include "xalloc.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static int
reply_ok(amqp_connection_state_t c, const char *what, char *err, size_t errlen)
{
	amqp_rpc_reply_t r = amqp_get_rpc_reply(c);

	if (r.reply_type == AMQP_RESPONSE_NORMAL)
		return 0;
	if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION)
		util_errf(err, errlen, "%s: %s", what, amqp_error_string2(r.library_error));
	else if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
	    r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
		amqp_channel_close_t *m = r.reply.decoded;

		util_errf(err, errlen, "%s: broker said %d %.*s", what, m->reply_code,
		    (int)m->reply_text.len, (char *)m->reply_text.bytes);
	} else if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
	    r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
		amqp_connection_close_t *m = r.reply.decoded;

		util_errf(err, errlen, "%s: broker said %d %.*s", what, m->reply_code,
		    (int)m->reply_text.len, (char *)m->reply_text.bytes);
	} else
		util_errf(err, errlen, "%s failed", what);
	return -1;
}

struct mqcli {
	amqp_connection_state_t c;
	struct timeval tv;
	uint64_t seq;		/* publishes on the channel: the last one's tag */
	const struct auth *auth;	/* NULL: untagged */
};

void
mqcli_close(struct mqcli *m)
{
	if (m == NULL)
		return;
	if (m->c != NULL)
		amqp_destroy_connection(m->c);
	free(m);
}

struct mqcli *
mqcli_open(const char *url, double timeout, char *err, size_t errlen)
{
	struct amqp_connection_info ci;
	struct mqcli *m = xcalloc(1, sizeof(*m));
	amqp_socket_t *sock;
	amqp_rpc_reply_t r;
	char *u = xstrdup(url);
	int st;

	m->tv.tv_sec = (time_t)timeout;
	m->tv.tv_usec = (suseconds_t)((timeout - (double)(time_t)timeout) * 1e6);
	amqp_default_connection_info(&ci);
	if (amqp_parse_url(u, &ci) != AMQP_STATUS_OK) {
		util_errf(err, errlen, "invalid AMQP URL (expected amqp[s]://user:pass@host:port/vhost)");
		goto fail;
	}
	if (ci.vhost == NULL || ci.vhost[0] == '\0')
		ci.vhost = "/";
	m->c = amqp_new_connection();
	if ((sock = mq_tls_socket(m->c, ci.ssl, err, errlen)) == NULL)
		goto fail;
	if ((st = amqp_socket_open_noblock(sock, ci.host, ci.port, &m->tv)) != AMQP_STATUS_OK) {
		util_errf(err, errlen, "cannot connect to %s:%d%s: %s", ci.host, ci.port,
		    ci.ssl ? " (amqps)" : "", amqp_error_string2(st));
		goto fail;
	}
	amqp_set_rpc_timeout(m->c, &m->tv);
	r = amqp_login(m->c, ci.vhost, 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, ci.user,
	    ci.password);
	if (r.reply_type != AMQP_RESPONSE_NORMAL) {
		util_errf(err, errlen, "login to %s:%d refused", ci.host, ci.port);
		goto fail;
	}
	amqp_channel_open(m->c, 1);
	if (reply_ok(m->c, "channel.open", err, errlen) < 0)
		goto fail;
	amqp_confirm_select(m->c, 1);
	if (reply_ok(m->c, "confirm.select", err, errlen) < 0)
		goto fail;
	free(u);
	return m;
fail:
	free(u);
	mqcli_close(m);
	return NULL;
}

int
mqcli_send(struct mqcli *m, const char *exchange, const char *routing_key, const char *body,
    size_t len, char *err, size_t errlen)
{
	return mqcli_send_id(m, exchange, routing_key, body, len, NULL, err, errlen);
}

int
mqcli_send_id(struct mqcli *m, const char *exchange, const char *routing_key, const char *body,
    size_t len, const char *message_id, char *err, size_t errlen)
{
	amqp_basic_properties_t p;
	struct mq_tag tag;
	int st;

	memset(&p, 0, sizeof(p));
	if (m->auth != NULL)
		mq_tag_props(&tag, m->auth, routing_key, body, len, &p);
	p._flags |= AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
	p.content_type = amqp_cstring_bytes("application/json");
	p.delivery_mode = AMQP_DELIVERY_PERSISTENT;
	if (message_id != NULL) {
		p._flags |= AMQP_BASIC_MESSAGE_ID_FLAG;
		p.message_id = amqp_cstring_bytes(message_id);
	}
	st = amqp_basic_publish(m->c, 1, amqp_cstring_bytes(exchange),
	    amqp_cstring_bytes(routing_key), 0, 0, &p, (amqp_bytes_t){ len, (void *)body });
	if (st != AMQP_STATUS_OK) {
		util_errf(err, errlen, "publish: %s", amqp_error_string2(st));
		return -1;
	}
	m->seq++;
	for (;;) {
		amqp_frame_t f;

		st = amqp_simple_wait_frame_noblock(m->c, &f, &m->tv);
		if (st != AMQP_STATUS_OK) {
			util_errf(err, errlen, "no confirm from the broker: %s", amqp_error_string2(st));
			return -1;
		}
		if (f.frame_type != AMQP_FRAME_METHOD)
			continue;
		if (f.payload.method.id == AMQP_BASIC_ACK_METHOD) {
			amqp_basic_ack_t *a = f.payload.method.decoded;

			if (a->delivery_tag < m->seq && !a->multiple)
				continue;	/* an earlier one's, late */
			return 0;
		}
		if (f.payload.method.id == AMQP_BASIC_NACK_METHOD) {
			util_errf(err, errlen, "the broker refused the message");
			return -1;
		}
		if (f.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD) {
			amqp_channel_close_t *c = f.payload.method.decoded;

			util_errf(err, errlen, "broker said %d %.*s (does exchange %s exist? is "
			    "vigil-engine running?)", c->reply_code, (int)c->reply_text.len,
			    (char *)c->reply_text.bytes, exchange);
			return -1;
		}
	}
}

void
mqcli_set_auth(struct mqcli *m, const struct auth *a)
{
	m->auth = a;
}

int
mqcli_publish(const char *url, const struct auth *a, const char *exchange,
    const char *routing_key, const char *body, size_t len, double timeout, char *err,
    size_t errlen)
{
	struct mqcli *m = mqcli_open(url, timeout, err, errlen);
	int rc;

	if (m == NULL)
		return -1;
	m->auth = a;
	rc = mqcli_send(m, exchange, routing_key, body, len, err, errlen);
	if (rc == 0) {
		amqp_channel_close(m->c, 1, AMQP_REPLY_SUCCESS);
		amqp_connection_close(m->c, AMQP_REPLY_SUCCESS);
	}
	mqcli_close(m);
	return rc;
}
