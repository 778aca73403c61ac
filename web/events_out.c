/*
 * NAME
 *	events_out - what goes out to a live-stream client
 * DESCRIPTION
 *	An event's message is made once (struct ev_buf) and shared by every
 *	client it is queued for. A client's queue is written in batches of up
 *	to EV_BATCH bytes, framed here, at most one write every
 *	EV_COALESCE_US while messages keep coming (a quiet client's first
 *	message goes at once); past http.max_client_queue unsent it is closed
 *	with 4001 ("resync"). Heartbeats: a client silent for http.ping gets a
 *	ping, one silent for twice that is dropped.
 * DIAGNOSTICS
 *	A client cut off as too slow, or dropped as silent, is logged.
 */
#include "events_private.h"

#include "config.h"
#include "log.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct ev_buf *
ev_buf_new(const char *text, size_t len)
{
	struct ev_buf *b = xmalloc(sizeof(*b) + LWS_PRE + len);

	b->refs = 1;
	b->len = len;
	memcpy(b->data + LWS_PRE, text, len);
	return b;
}

void
ev_buf_put(struct ev_buf *b)
{
	if (b != NULL && --b->refs == 0)
		free(b);
}

/* The first message queued for c since its last write: written at once
 * when it last wrote EV_COALESCE_US ago or more, else when that much has
 * passed. A client under a stream of events gets them in batches, a
 * write (and a wake-up on both sides) each, not one per event; a quiet
 * one gets its message at once. */
static void
want_write(struct ev_client *c)
{
	lws_usec_t since = lws_now_usecs() - c->last_write;

	if (since >= EV_COALESCE_US)
		lws_callback_on_writable(c->wsi);
	else {
		c->deferred = 1;
		if (!ev_is_active(&c->w->events->flush)) {
			ev_timer_set(&c->w->events->flush, EV_COALESCE_US / 1e6, 0.);
			ev_timer_start(c->w->events->loop, &c->w->events->flush);
		}
	}
}

/* A libev timer, not libwebsockets' own: one set from outside its service
 * (as events come from the broker) may wait for its next wake-up. */
void
ev_on_flush(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct events *ev = t->data;

	(void)loop;
	(void)revents;
	for (struct ev_client *c = ev->clients; c != NULL; c = c->next)
		if (c->deferred) {
			c->deferred = 0;
			if (c->qn > 0)
				lws_callback_on_writable(c->wsi);
		}
}

/*
 * Heartbeats, here since libwebsockets 4.1 pings only from its client side:
 * a client silent for http.ping gets a ping, one silent for twice that
 * (no pong) is dropped, also when its socket is full and nothing can be
 * written to it.
 */
void
ev_on_heartbeat(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct events *ev = t->data;
	lws_usec_t now = lws_now_usecs(), ping = (lws_usec_t)ev->ping * 1000000;

	(void)loop;
	(void)revents;
	for (struct ev_client *c = ev->clients, *next; c != NULL; c = next) {
		next = c->next;		/* a close takes c off the list */
		if (now - c->last_rx >= 2 * ping) {
			log_info("events client who=%s silent for %lld s: dropped",
			    c->who != NULL ? c->who : "-", (long long)((now - c->last_rx) / 1000000));
			/* now: an asynchronous kill, set from outside
			 * libwebsockets' service, waits for its next wake-up */
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
		} else if (now - c->last_rx >= ping && !c->pinged) {
			c->ping_due = c->pinged = 1;
			lws_callback_on_writable(c->wsi);
		}
	}
}

/* A message for c: queued (b shared, one more reference), written when
 * the connection is writable. Past the limit the client is closed for a
 * resync instead. */
void
ev_send_buf(struct ev_client *c, struct ev_buf *b)
{
	if (c->close_code != 0)
		return;
	if (c->queued + b->len > c->w->d->cfg->http.max_client_queue) {
		log_warn("events client who=%s too slow: %zu bytes unsent, closed for a resync",
		    c->who != NULL ? c->who : "-", c->queued);
		c->close_code = EV_CLOSE_RESYNC;
		lws_callback_on_writable(c->wsi);
		return;
	}
	if (c->qn == c->qcap) {
		size_t cap = c->qcap > 0 ? 2 * c->qcap : 16;
		struct ev_buf **q = xmalloc(cap * sizeof(*q));

		for (size_t k = 0; k < c->qn; k++)
			q[k] = c->q[(c->qhead + k) % c->qcap];
		free(c->q);
		c->q = q;
		c->qcap = cap;
		c->qhead = 0;
	}
	b->refs++;
	c->q[(c->qhead + c->qn++) % c->qcap] = b;
	c->queued += b->len;
	if (c->qn == 1)		/* else a write is asked for already */
		want_write(c);
}

void
ev_send_text(struct ev_client *c, const char *text, size_t len)
{
	struct ev_buf *b = ev_buf_new(text, len);

	ev_send_buf(c, b);
	ev_buf_put(b);
}

/* Drop what c has not sent: the first n, or all. */
void
ev_queue_drop(struct ev_client *c, size_t n)
{
	for (; n > 0 && c->qn > 0; n--) {
		struct ev_buf *b = c->q[c->qhead];

		c->queued -= b->len;
		ev_buf_put(b);
		c->qhead = (c->qhead + 1) % c->qcap;
		c->qn--;
	}
}

/* As many queued messages as fit in EV_BATCH, each framed here (a server's
 * text frame: FIN and opcode, the length, the unmasked payload), in one
 * write: a busy client costs a system call per batch, not per message.
 * (No extension is offered, so a frame is only this.) One larger than a
 * batch goes alone, framed by libwebsockets. What the socket does not
 * take, libwebsockets keeps and sends before it calls again. */
static void
client_write(struct ev_client *c)
{
	unsigned char *out = c->w->events->out + LWS_PRE;
	size_t n = 0, k = 0;

	c->last_write = lws_now_usecs();
	if (c->qn > 0 && c->q[c->qhead]->len > EV_BATCH - 10) {
		struct ev_buf *b = c->q[c->qhead];

		if (lws_write(c->wsi, b->data + LWS_PRE, b->len, LWS_WRITE_TEXT) < (int)b->len)
			return;
		ev_queue_drop(c, 1);
	} else if (c->qn > 0) {
		for (; k < c->qn; k++) {
			struct ev_buf *b = c->q[(c->qhead + k) % c->qcap];
			size_t len = b->len;

			if (n + len + 10 > EV_BATCH)
				break;
			out[n++] = 0x81;
			if (len < 126)
				out[n++] = (unsigned char)len;
			else if (len < 65536) {
				out[n++] = 126;
				out[n++] = (unsigned char)(len >> 8);
				out[n++] = (unsigned char)len;
			} else {
				out[n++] = 127;
				for (int sh = 56; sh >= 0; sh -= 8)
					out[n++] = (unsigned char)((uint64_t)len >> sh);
			}
			memcpy(out + n, b->data + LWS_PRE, len);
			n += len;
		}
		/* raw: the frames are made (LWS_WRITE_HTTP is written as is) */
		if (lws_write(c->wsi, out, n, LWS_WRITE_HTTP) < (int)n)
			return;
		ev_queue_drop(c, k);
	}
	if (c->close_code != 0)
		lws_callback_on_writable(c->wsi);
	else if (c->qn > 0)	/* the rest in a while, with what comes meanwhile */
		want_write(c);
}

void
ev_client_opened(struct ev_client *c)
{
	/* what the kernel may hold for it, bounded too (else it grows to
	 * tcp_wmem's maximum, 4 MiB, for a client that does not read); a
	 * batch or two fit */
	int sz = EV_SNDBUF, fd = lws_get_socket_fd(c->wsi);

	if (fd >= 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	c->last_rx = lws_now_usecs();
}

void
ev_client_heard(struct ev_client *c)
{
	c->last_rx = lws_now_usecs();
	c->pinged = 0;
}

/* Its connection is writable: the close it is due, a ping, or messages.
 * -1: close it. */
int
ev_client_writeable(struct ev_client *c)
{
	if (c->qn == 0 && c->close_code != 0) {
		lws_close_reason(c->wsi, (enum lws_close_status)c->close_code,
		    (unsigned char *)(c->close_code == EV_CLOSE_RESYNC ? "resync" :
		    "unauthorized"), c->close_code == EV_CLOSE_RESYNC ? 6 : 12);
		return -1;
	}
	if (c->close_code == EV_CLOSE_RESYNC) {
		/* too slow: what is queued goes, the close code tells it */
		ev_queue_drop(c, c->qn);
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	if (c->ping_due) {
		/* a payload: libwebsockets does not report an empty pong */
		unsigned char ping[LWS_PRE + 2];

		c->ping_due = 0;
		memcpy(ping + LWS_PRE, "hb", 2);
		if (lws_write(c->wsi, ping + LWS_PRE, 2, LWS_WRITE_PING) < 0)
			return -1;
		if (c->qn > 0)
			lws_callback_on_writable(c->wsi);
		return 0;
	}
	client_write(c);
	return 0;
}

void
ev_client_closed(struct ev_client *c)
{
	ev_queue_drop(c, c->qn);
	free(c->q);
	c->q = NULL;
	c->qcap = c->qhead = 0;
}

/* libwebsockets sends at most this much of a write at once (else its
 * default of 4 KiB: a batch would go out in sixteen sends, a wake-up each) */
size_t events_tx_packet = EV_BATCH;
