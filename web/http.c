/*
 * NAME
 *	http - one HTTP transaction of vigil-web, on libwebsockets
 * DESCRIPTION
 *	LWS_CALLBACK_HTTP reads the request (GET, POST and its body, DELETE:
 *	the path, up to WEB_QUERY_MAX query parameters, the bearer token, the
 *	client's address) and routes it
 *	(api.c). An endpoint runs on a database thread (tpool); its answer
 *	comes back to the loop, which asks for the connection to be
 *	writable and writes the headers, then the body, one write per
 *	writable callback. A client that goes away meanwhile leaves its
 *	request to be freed when the thread hands it back.
 * SECURITY
 *	The bearer token is read into a stack buffer, compared as a hash
 *	(tokens.c) and never logged.
 */
#include "web_private.h"

#include "jsonw.h"
#include "log.h"
#include "mq.h"
#include "tpool.h"
#include "xalloc.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

struct web_pss {
	struct web_req *req;	/* the transaction in progress, NULL between */
	size_t peer_idx;	/* its client's entry in w->peers (they are
				 * reused, never moved) */
	int counted;		/* counted in its client's requests */
};

/*
 * This request counted for its client address until its transaction ends:
 * 0, or -1 if the client has max_client_requests in progress already
 * (one per connection: HTTP/1.1 without pipelining). Idle keep-alive
 * connections count for nothing; lws closes them after http.timeout.
 */
static int
peer_count(struct web *w, struct web_pss *p, const char *addr)
{
	size_t i;

	if (p->counted)
		return 0;
	for (i = 0; i < w->npeers; i++)
		if (strcmp(w->peers[i].addr, addr) == 0)
			break;
	if (i == w->npeers) {
		/* a free slot (an address without connections) first */
		for (i = 0; i < w->npeers && w->peers[i].conns > 0; i++)
			;
		if (i == w->npeers) {
			w->peers = xrealloc(w->peers, (w->npeers + 1) * sizeof(*w->peers));
			w->npeers++;
		}
		snprintf(w->peers[i].addr, sizeof(w->peers[i].addr), "%s", addr);
		w->peers[i].conns = 0;
	}
	if (w->peers[i].conns >= w->max_client_requests)
		return -1;
	w->peers[i].conns++;
	p->peer_idx = i;
	p->counted = 1;
	return 0;
}

static void
peer_release(struct web *w, struct web_pss *p)
{
	if (!p->counted)
		return;
	w->peers[p->peer_idx].conns--;
	p->counted = 0;
}

void
web_req_free(struct web_req *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nparams; i++) {
		free(r->params[i].name);
		free(r->params[i].value);
	}
	free(r->args[0]);
	free(r->args[1]);
	strbuf_clear(&r->in);
	strbuf_clear(&r->body);
	free(r);
}

void
web_error(struct web_req *r, int status, const char *error, const char *detail)
{
	r->status = status;
	r->body.len = 0;
	strbuf_adds(&r->body, "{\"error\":");
	jsonw_string(&r->body, error);
	strbuf_adds(&r->body, ",\"detail\":");
	jsonw_string(&r->body, detail != NULL ? detail : "");
	strbuf_add(&r->body, "}", 1);
}

const char *
web_param(const struct web_req *r, const char *name)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0)
			return r->params[i].value;
	return NULL;
}

/* The query string's parameters, "name=value" each (lws decodes them). */
static void
read_params(struct web_req *r, struct lws *wsi)
{
	char buf[1024], *eq;
	int i, n;

	for (i = 0; r->nparams < WEB_QUERY_MAX; i++) {
		n = lws_hdr_copy_fragment(wsi, buf, sizeof(buf), WSI_TOKEN_HTTP_URI_ARGS, i);
		if (n < 0)
			break;
		eq = strchr(buf, '=');
		r->params[r->nparams].name = eq != NULL ? xstrndup(buf, (size_t)(eq - buf)) :
		    xstrdup(buf);
		r->params[r->nparams].value = xstrdup(eq != NULL ? eq + 1 : "");
		r->nparams++;
	}
}

/* Who the bearer token says, or NULL. */
static void
read_token(struct web_req *r, struct lws *wsi)
{
	char buf[512];
	const char *tok;

	if (lws_hdr_copy(wsi, buf, sizeof(buf), WSI_TOKEN_HTTP_AUTHORIZATION) <= 0)
		return;
	if (strncasecmp(buf, "Bearer ", 7) != 0) {
		r->token_bad = 1;
		return;
	}
	for (tok = buf + 7; *tok == ' '; tok++)
		;
	r->who = tokens_find(r->w->tokens, tok, &r->scope);
	r->token_bad = r->who == NULL;
	memset(buf, 0, sizeof(buf));
}

/* On the loop: an endpoint's answer is back. */
static void
answered(void *item, void *arg)
{
	struct web_req *r = item;

	r->in_pool = 0;
	if (r->on_done != NULL) {
		r->on_done(r);
		return;
	}
	if (r->wsi == NULL) {
		web_req_free(r);	/* the client went away */
		return;
	}
	lws_callback_on_writable(r->wsi);
}

const struct tpool_fns web_pool_fns = {
	.thread_init = api_thread_init,
	.thread_fini = api_thread_fini,
	.work = api_work,
	.done = answered,
};

/* The request is whole: routed, then on a thread or answered now. */
static void
dispatch(struct web_req *r)
{
	if (strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/metrics") != 0 &&
	    web_static(r) == 0)
		lws_callback_on_writable(r->wsi);
	else if (api_route(r) == 0) {
		r->in_pool = 1;
		r->broker_up = mq_is_up(r->w->mq);
		tpool_submit(r->slow ? r->w->cmd_pool : r->w->pool, r);
	} else
		lws_callback_on_writable(r->wsi);
}

static void
body_too_large(struct web_req *r)
{
	char d[80];

	snprintf(d, sizeof(d), "at most %zu bytes (http.max_body)", r->w->max_body);
	web_error(r, 413, "body too large", d);
}

static int
start(struct web *w, struct web_pss *p, struct lws *wsi, const char *path)
{
	struct web_req *r = xcalloc(1, sizeof(*r));
	char len[32];
	long n = 0;

	web_req_free(p->req);
	p->req = r;
	r->w = w;
	r->wsi = wsi;
	snprintf(r->path, sizeof(r->path), "%s", path);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0)
		r->method = 'G';
	else if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0)
		r->method = 'P';
	else if (lws_hdr_total_length(wsi, WSI_TOKEN_DELETE_URI) > 0)
		r->method = 'D';
	else {
		web_error(r, 405, "method not allowed", "GET, POST or DELETE");
		r->close_after = 1;
		lws_callback_on_writable(wsi);
		return 0;
	}
	lws_get_peer_simple(wsi, r->source, sizeof(r->source));
	if (strncmp(r->source, "::ffff:", 7) == 0 && strchr(r->source + 7, '.') != NULL)
		memmove(r->source, r->source + 7, strlen(r->source + 7) + 1);	/* IPv4 */
	if (peer_count(w, p, r->source) < 0) {
		char d[120];

		snprintf(d, sizeof(d), "at most %d requests at once per client address "
		    "(http.max_client_requests)", w->max_client_requests);
		web_error(r, 429, "too many requests", d);
		r->close_after = 1;
		lws_callback_on_writable(wsi);
		return 0;
	}
	read_params(r, wsi);
	read_token(r, wsi);
	if (r->method == 'P') {
		if (lws_hdr_copy(wsi, len, sizeof(len), WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0)
			n = strtol(len, NULL, 10);
		if (n < 0 || (size_t)n > w->max_body) {
			body_too_large(r);
			r->close_after = 1;
			lws_callback_on_writable(wsi);
			return 0;
		}
		if (n > 0)
			return 0;	/* the body comes: LWS_CALLBACK_HTTP_BODY */
	}
	dispatch(r);
	return 0;
}

static int
read_body(struct web_pss *p, struct lws *wsi, const void *in, size_t len)
{
	struct web_req *r = p->req;

	if (r == NULL || r->status != 0 || len == 0)
		return 0;
	if (r->in.len + len > r->w->max_body) {
		body_too_large(r);
		r->close_after = 1;
		lws_callback_on_writable(wsi);
		return 0;
	}
	strbuf_add(&r->in, in, len);
	return 0;
}

/*
 * On every answer. The policy: scripts, styles and everything else only
 * from this server (the dashboard's files), no inline script or style
 * markup, connections (the API, the live stream) only back to it, no
 * framing, no forms posted elsewhere.
 */
static const struct {
	const char *name, *value;
} security[] = {
	{ "content-security-policy:", "default-src 'none'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
	    "form-action 'none'; frame-ancestors 'none'" },
	{ "x-content-type-options:", "nosniff" },
	{ "referrer-policy:", "no-referrer" },
	{ "x-frame-options:", "DENY" },
};

static int
security_headers(struct lws *wsi, unsigned char **p, unsigned char *end)
{
	for (size_t i = 0; i < sizeof(security) / sizeof(security[0]); i++)
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)security[i].name,
		    (const unsigned char *)security[i].value, (int)strlen(security[i].value), p,
		    end) != 0)
			return -1;
	return 0;
}

static int
write_answer(struct web_pss *p, struct lws *wsi)
{
	struct web_req *r = p->req;
	unsigned char hdr[LWS_PRE + 1024], *start = &hdr[LWS_PRE], *ptr = start,
	    *end = &hdr[sizeof(hdr) - 1];
	unsigned char *body;
	int n, close_after;

	if (r == NULL || r->in_pool)
		return 0;
	if (r->phase == 0) {
		if (lws_add_http_common_headers(wsi, (unsigned)r->status, r->ctype != NULL ?
		    r->ctype : "application/json", r->body.len, &ptr, end) != 0 ||
		    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
		    (const unsigned char *)(r->ctype != NULL ? "no-cache" : "no-store"),
		    8, &ptr, end) != 0 ||
		    security_headers(wsi, &ptr, end) != 0 ||
		    (r->status == 401 && lws_add_http_header_by_token(wsi,
		    WSI_TOKEN_HTTP_WWW_AUTHENTICATE, (const unsigned char *)"Bearer", 6, &ptr,
		    end) != 0) ||
		    lws_finalize_write_http_header(wsi, start, &ptr, end) != 0)
			return -1;
		r->phase = 1;
		lws_callback_on_writable(wsi);
		return 0;
	}
	body = xmalloc(LWS_PRE + r->body.len + 1);
	memcpy(body + LWS_PRE, r->body.s != NULL ? r->body.s : "", r->body.len);
	n = lws_write(wsi, body + LWS_PRE, r->body.len, LWS_WRITE_HTTP_FINAL);
	free(body);
	close_after = r->close_after;
	web_req_free(r);
	p->req = NULL;
	if (n < 0 || close_after)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int
web_http_callback(struct lws *wsi, int reason, void *user, void *in, size_t len)
{
	struct web_pss *p = user;
	struct web *w = lws_context_user(lws_get_context(wsi));

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return start(w, p, wsi, in != NULL ? in : "/");
	case LWS_CALLBACK_HTTP_BODY:
		return read_body(p, wsi, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (p->req != NULL && p->req->status == 0 && !p->req->in_pool)
			dispatch(p->req);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return write_answer(p, wsi);
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:	/* the transaction is over */
		if (p != NULL)
			peer_release(w, p);
		break;
	case LWS_CALLBACK_CLOSED_HTTP:
		if (p != NULL)
			peer_release(w, p);
		if (p != NULL && p->req != NULL) {
			if (p->req->in_pool)
				p->req->wsi = NULL;	/* answered() frees it */
			else
				web_req_free(p->req);
			p->req = NULL;
		}
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, (enum lws_callback_reasons)reason, user, in, len);
}

size_t web_pss_size = sizeof(struct web_pss);
