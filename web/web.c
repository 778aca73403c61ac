/*
 * NAME
 *	web - vigil-web: the API's listener, broker link and tokens
 * DESCRIPTION
 *	vigil-web keeps no state of its own: it reads PostgreSQL (api.c, on
 *	a pool of WEB_DB_THREADS threads with a connection each, so no query
 *	ever runs on the loop) and watches the broker link (for /health, and
 *	for the commands to come). Several may run side by side behind a
 *	load balancer. It listens on vigil.yaml's `http` (host:port) with
 *	libwebsockets on the daemon's libev loop (its evlib-ev plugin): no
 *	HTTP parsing of our own.
 *
 *	vigil.yaml's `http` is HOST:PORT or a map: listen, tls_cert and
 *	tls_key (HTTPS), api_token_file, anonymous_read, max_body,
 *	max_header, max_client_requests (at once per client address), timeout
 *	(for a client to send its request: a slow one is dropped).
 *
 *	Tokens come from `api_token_file` (tokens.h); without one only
 *	/api/v1/health answers (and reads, with anonymous_read). SIGHUP reads the token file again (and
 *	vigil.yaml, logging what needs a restart); a token file that no
 *	longer loads keeps the tokens in use, with the error logged.
 * DIAGNOSTICS
 *	A listen address it cannot parse or bind, or a token file that does
 *	not load at start: an error and exit status 1.
 */
#include "web.h"
#include "web_private.h"

#include "config.h"
#include "log.h"
#include "mq.h"
#include "tpool.h"
#include "xalloc.h"

#include <errno.h>
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const struct tpool_fns web_pool_fns;	/* http.c */
extern size_t web_pss_size;			/* http.c */

static int
lws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	return web_http_callback(wsi, (int)reason, user, in, len);
}

static int
lws_events_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
    size_t len)
{
	return events_callback(wsi, (int)reason, user, in, len);
}

static struct lws_protocols web_protocols[] = {
	{ "http", lws_cb, 0, 0, 0, NULL, 0 },
	{ "vigil-events", lws_events_cb, 0, 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

static int
mq_setup(struct mq *mq, void *arg)
{
	return events_setup(mq, arg);	/* the live stream's queue */
}

/* "host:port" (or ":port", "[v6]:port") of http. 0 or -1. */
static int
parse_listen(struct web *w, const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (colon == NULL)
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535)
		return -1;
	w->port = (int)port;
	if (colon - s >= (long)sizeof(w->iface))
		return -1;
	if (s[0] == '[' && colon > s && colon[-1] == ']')
		snprintf(w->iface, sizeof(w->iface), "%.*s", (int)(colon - s - 2), s + 1);
	else
		snprintf(w->iface, sizeof(w->iface), "%.*s", (int)(colon - s), s);
	return 0;
}

static void
lws_log(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		log_error("libwebsockets: %.*s", (int)n, line);
	else
		log_warn("libwebsockets: %.*s", (int)n, line);
}

static void web_teardown(struct daemon *d);

/* After daemon_drop(): HUP re-reads the token file as the user. */
static int
tokens_readable(struct daemon *d)
{
	const char *path = d->cfg->api_token_file;

	if (path == NULL || access(path, R_OK) == 0)
		return 1;
	log_error("api_token_file %s is not readable by this daemon's user (%s): a reload could "
	    "not read it; give it to that user", path, strerror(errno));
	return 0;
}

static int
web_start(struct daemon *d)
{
	static const struct mq_handlers h = { mq_setup, NULL, NULL, NULL };
	struct lws_context_creation_info info;
	void *loops[1];
	struct web *w = xcalloc(1, sizeof(*w));
	char err[512];

	w->d = d;
	d->state = w;
	if (parse_listen(w, d->cfg->http_listen) < 0) {
		log_error("http: \"%s\" is not host:port", d->cfg->http_listen);
		web_teardown(d);	/* the skeleton only tears down what runs */
		return 1;
	}
	if (d->cfg->api_token_file != NULL &&
	    (w->tokens = tokens_load(d->cfg->api_token_file, err, sizeof(err))) == NULL) {
		log_error("api_token_file: %s", err);
		web_teardown(d);
		return 1;
	}
	if ((d->cfg->http.tls_cert == NULL) != (d->cfg->http.tls_key == NULL) ||
	    d->cfg->http.max_header > 65535) {
		log_error("%s", d->cfg->http.max_header > 65535 ? "http.max_header: at most 65535 "
		    "bytes" : "http: tls_cert and tls_key go together (HTTPS needs both)");
		web_teardown(d);
		return 1;
	}
	w->anonymous_read = d->cfg->http.anonymous_read;
	w->max_body = d->cfg->http.max_body;
	w->max_client_requests = d->cfg->http.max_client_requests;
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log);
	memset(&info, 0, sizeof(info));
	loops[0] = d->loop;
	info.options = LWS_SERVER_OPTION_LIBEV |
	    LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE;
	info.foreign_loops = loops;
	info.port = w->port;
	info.iface = w->iface[0] != '\0' ? w->iface : NULL;
	web_protocols[0].per_session_data_size = web_pss_size;
	web_protocols[1].per_session_data_size = events_pss_size;
	web_protocols[1].tx_packet_size = events_tx_packet;
	w->events = events_new(w);
	info.protocols = web_protocols;
	info.user = w;
	info.max_http_header_data = (unsigned short)d->cfg->http.max_header;
	info.timeout_secs = (unsigned)d->cfg->http.timeout;
	if (d->cfg->http.tls_cert != NULL) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = d->cfg->http.tls_cert;
		info.ssl_private_key_filepath = d->cfg->http.tls_key;
	}
	if ((w->lws = lws_create_context(&info)) == NULL) {
		log_error("cannot listen on %s", d->cfg->http_listen);
		web_teardown(d);
		return 1;
	}
	/* Bound and the certificate read: root (for a port below 1024, a key
	 * only root reads) is needed no more. */
	if (daemon_drop(d) != 0 || !tokens_readable(d)) {
		web_teardown(d);
		return 1;
	}
	w->pool = tpool_new(d->loop, WEB_DB_THREADS, &web_pool_fns, w);
	w->cmd_pool = tpool_new(d->loop, WEB_CMD_THREADS, &web_pool_fns, w);
	w->mq = mq_new(d->loop, config_amqp_url(d->cfg, "web"), "web", &h, w);
	mq_set_auth(w->mq, d->auth, d->allow_unauthenticated);
	/* the engine's live batches may be large: well above the others */
	mq_set_max_body(w->mq, d->cfg->max_message_size * 16);
	mq_start(w->mq);
	log_info("listening on %s%s tokens=%zu anonymous_read=%d", d->cfg->http_listen,
	    d->cfg->http.tls_cert != NULL ? " (https)" : "", tokens_count(w->tokens),
	    w->anonymous_read);
	return DAEMON_RUN;
}

static void
web_stop(struct daemon *d)
{
	ev_break(d->loop, EVBREAK_ALL);
}

static void
web_hup(struct daemon *d)
{
	struct web *w = d->state;
	struct tokens *t;
	char err[512];

	daemon_reread(d);
	if (d->cfg->api_token_file == NULL)
		return;
	if ((t = tokens_load(d->cfg->api_token_file, err, sizeof(err))) == NULL) {
		log_error("api_token_file not reloaded, the tokens in use stay: %s", err);
		return;
	}
	tokens_free(w->tokens);
	w->tokens = t;
	log_info("api_token_file reloaded tokens=%zu", tokens_count(t));
}

static void
web_teardown(struct daemon *d)
{
	struct web *w = d->state;

	if (w == NULL)
		return;
	/* The threads' answers first (to connections still open), then the
	 * connections. */
	if (w->pool != NULL)
		tpool_finish(w->pool, 10);
	if (w->cmd_pool != NULL)
		tpool_finish(w->cmd_pool, 20);
	if (w->lws != NULL)
		lws_context_destroy(w->lws);
	if (w->mq != NULL) {
		mq_stop(w->mq);
		mq_free(w->mq);
	}
	tokens_free(w->tokens);
	events_free(w->events);
	free(w->peers);
	free(w);
	d->state = NULL;
}

const struct daemon_service web_service = {
	.name = "vigil-web",
	.purpose = "serves vigil's HTTP/JSON API",
	.config_flags = CONFIG_DAEMON_ONLY,
	.privilege = DAEMON_DROP_IN_START,
	.start = web_start,
	.stop = web_stop,
	.hup = web_hup,
	.teardown = web_teardown,
};
