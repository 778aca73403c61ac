/*
 * NAME
 *	wsclient - websocket clients of vigil-web's live stream, for tests
 * DESCRIPTION
 *	See wsclient.h. One context per test program; clients are freed after
 *	the context (its callbacks use them).
 */
#include "wsclient.h"

#include <check.h>
#include <libwebsockets.h>
#include <string.h>

#include "util.h"
#include "webtest.h"
#include "xalloc.h"

static struct lws_context *ctx;
static int ws_port;
static struct wsc *clients[64];
static size_t nclients;

static int
wsc_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct wsc *c = user;
	unsigned char buf[LWS_PRE + 1024];

	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (!c->sent && c->sub != NULL) {
			size_t n = strlen(c->sub);

			memcpy(buf + LWS_PRE, c->sub, n);
			lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_TEXT);
			c->sent = 1;
		}
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		strbuf_add(&c->part, in, len);
		if (lws_is_final_fragment(wsi)) {
			json_t *j = json_loadb(c->part.s, c->part.len, 0, NULL);

			if (j != NULL)
				json_array_append_new(c->msgs, j);
			c->part.len = 0;
		}
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2)
			c->close_code = ((const unsigned char *)in)[0] << 8 |
			    ((const unsigned char *)in)[1];
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		c->closed = 1;
		c->wsi = NULL;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols wsc_protocols[] = {
	{ "vigil-events", wsc_cb, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

void
wsc_init(int port)
{
	struct lws_context_creation_info info;

	ws_port = port;
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = wsc_protocols;
	ctx = lws_create_context(&info);
	ck_assert_ptr_nonnull(ctx);
}

void
wsc_fini(void)
{
	if (ctx != NULL)
		lws_context_destroy(ctx);
	ctx = NULL;
	for (size_t i = 0; i < nclients; i++) {
		json_decref(clients[i]->msgs);
		free(clients[i]->part.s);
		free(clients[i]);
	}
	nclients = 0;
}

struct wsc *
wsc_open(const char *sub)
{
	return wsc_open_at(ws_port, sub);
}

/* The same on another vigil-web's port. */
struct wsc *
wsc_open_at(int port, const char *sub)
{
	struct lws_client_connect_info i;
	struct wsc *c = xcalloc(1, sizeof(*c));

	c->sub = sub;
	c->msgs = json_array();
	memset(&i, 0, sizeof(i));
	i.context = ctx;
	i.address = "127.0.0.1";
	i.port = port;
	i.path = "/api/v1/events";
	i.host = "127.0.0.1";
	i.origin = "127.0.0.1";
	i.protocol = "vigil-events";
	i.userdata = c;
	i.pwsi = &c->wsi;
	ck_assert_uint_lt(nclients, sizeof(clients) / sizeof(clients[0]));
	clients[nclients++] = c;
	ck_assert_ptr_nonnull(lws_client_connect_via_info(&i));
	return c;
}

void
wsc_service(int ms)
{
	lws_service(ctx, ms);
}

int
wsc_until(int (*pred)(void *), void *arg, double timeout)
{
	double end = util_now() + timeout;
	int ok;

	/* lws_service() without waiting: libwebsockets 4.1 takes any other
	 * timeout as "until something happens", which may be its next ping */
	while (!(ok = pred(arg)) && util_now() < end) {
		lws_service(ctx, -1);
		usleep(2000);
	}
	return ok;
}

int
wsc_find(struct wsc *c, const char *t, size_t from)
{
	for (size_t i = from; i < json_array_size(c->msgs); i++)
		if (strcmp(wt_str(json_array_get(c->msgs, i), "type"), t) == 0)
			return (int)i;
	return -1;
}

int
wsc_has_snapshot(void *arg)
{
	return wsc_find(arg, "snapshot", 0) >= 0 || ((struct wsc *)arg)->closed;
}

int
wsc_is_closed(void *arg)
{
	return ((struct wsc *)arg)->closed;
}

void
wsc_resubscribe(struct wsc *c, const char *sub)
{
	c->sub = sub;
	c->sent = 0;
	if (c->wsi != NULL)
		lws_callback_on_writable(c->wsi);
}

void
wsc_pause(struct wsc *c, int paused)
{
	if (c->wsi != NULL)
		lws_rx_flow_control(c->wsi, !paused);
}
