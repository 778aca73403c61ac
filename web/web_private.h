/*
 * NAME
 *	web_private - what vigil-web's files share
 * DESCRIPTION
 *	Not for outside web/. The map:
 *	  web.c     the service: listening (libwebsockets on the daemon's
 *	            libev loop), the broker link, the token file, HUP
 *	  http.c    one HTTP transaction: the request read, routed, handed
 *	            to a database thread, the answer written back
 *	  api.c     routing, the database threads (each with its own
 *	            PostgreSQL connection: never a query on the loop), what
 *	            the endpoints share, /health
 *	  api_checks.c   the check list and one check
 *	  api_views.c    groups, workers, notifications
 *	  api_command.c  commands for the engine, and its verdict
 *	  events.c  the live stream: websocket /api/v1/events
 *	  static.c  the dashboard's files (web/ui/, built in)
 *	  tokens.c  the API's tokens
 */
#ifndef VIGIL_WEB_PRIVATE_H
#define VIGIL_WEB_PRIVATE_H

#include <libpq-fe.h>
#include <stddef.h>

#include "daemon.h"
#include "strbuf.h"
#include "tokens.h"

#define WEB_DB_THREADS 2	/* reads */
#define WEB_CMD_THREADS 2	/* commands: each waits for the engine's verdict */
#define WEB_QUERY_MAX 16	/* query parameters read */
#define WEB_PATH_MAX 1024

struct lws;
struct lws_context;
struct mq;
struct tpool;

struct web {
	struct daemon *d;
	struct lws_context *lws;
	struct tpool *pool;	/* reads */
	struct tpool *cmd_pool;	/* commands */
	struct mq *mq;
	struct tokens *tokens;	/* NULL: no token file (reads refused) */
	struct events *events;	/* the live stream (events.c) */
	int anonymous_read;	/* http.anonymous_read: reads need no token */
	size_t max_body;	/* http.max_body */
	int max_client_requests;	/* http.max_client_requests */
	struct web_peer *peers;	/* connections per client address */
	size_t npeers;
	char iface[256];
	int port;
};

struct web_peer {
	char addr[64];
	int conns;
};

struct web_param {
	char *name, *value;
};

struct web_req;
/* An endpoint, on a database thread: fills r->status and r->body. */
typedef void web_handler(struct web_req *r, PGconn *pc);

/* One HTTP transaction. */
struct web_req {
	struct web *w;
	struct lws *wsi;	/* NULL once the client went away */
	int in_pool;		/* on a database thread: freed by its done() */
	char method;		/* 'G' GET, 'P' POST, 'D' DELETE */
	int slow;		/* a command: the commands' pool */
	int close_after;	/* the connection goes after the answer */
	const char *action;	/* a command's: ack, unack, downtime, notify,
				 * recheck, result, reload, cancel */
	char path[WEB_PATH_MAX];
	char source[64];	/* the client's address */
	struct web_param params[WEB_QUERY_MAX];
	size_t nparams;
	const char *who;	/* the token's name, NULL: none */
	int token_bad;		/* a token was given and is not known */
	enum token_scope scope;
	web_handler *handler;
	/* when set, the loop hands the request back here instead of
	 * answering it over HTTP (a websocket's snapshot) */
	void (*on_done)(struct web_req *r);
	char *args[2];		/* the path's host and service, decoded */
	int broker_up;		/* the broker link, as the loop saw it */
	struct strbuf in;	/* the request's body */
	/* the answer */
	int status;
	const char *ctype;	/* its Content-Type, NULL: JSON */
	struct strbuf body;
	int phase;		/* 0 nothing yet, 1 headers sent, 2 done */
};

/* web.c */
extern const char *web_prefix(const struct web *w);

/* http.c */
int web_http_callback(struct lws *wsi, int reason, void *user, void *in, size_t len);
void web_req_free(struct web_req *r);
/* The answer: {"error": error, "detail": detail} with status. */
void web_error(struct web_req *r, int status, const char *error, const char *detail);
/* A query parameter's value, NULL if absent. */
const char *web_param(const struct web_req *r, const char *name);

/* static.c: a GET of the dashboard's files answered into r: 0, or -1
 * when the path is none of them. */
int web_static(struct web_req *r);

/* api.c: routing (on the loop) and the threads the endpoints run on. */
int api_route(struct web_req *r);
void *api_thread_init(void *arg);
void api_thread_fini(void *tctx, void *arg);
void api_work(void *item, void *tctx, void *arg);

/* events.c: the live stream on the websocket /api/v1/events */
struct events *events_new(struct web *w);
void events_free(struct events *ev);
int events_setup(struct mq *mq, struct web *w);	/* from the broker link's setup */
int events_callback(struct lws *wsi, int reason, void *user, void *in, size_t len);
extern size_t events_pss_size;
extern size_t events_tx_packet;

/* api.c: what the endpoints share (on a thread). */
#define API_LIMIT_MAX 1000
/* A column's value, NULL for SQL NULL. */
const char *api_val(PGresult *res, int row, int col);
/* s as a whole number in 1..max, else -1. */
int api_number(const char *s, int max);
/* limit= (1..API_LIMIT_MAX, def when absent); 0, or -1 with a 400. */
int api_param_limit(struct web_req *r, int def, int *limit);
/* A flag parameter, 1 or 0, into *on; 0, or -1 with a 400 naming it. */
int api_param_flag(struct web_req *r, const char *name, int *on);
/* Epoch seconds (as text) as an RFC 3339 UTC string; null for NULL. */
void api_time_json(struct strbuf *b, const char *epoch);
/* An RFC 3339 time (Z or an offset) into epoch seconds; 0 or -1. */
int api_rfc3339(const char *s, double *t);
#define API_GLOB_MAX 256
/* A glob parameter as a regular expression for PostgreSQL's ~ into *re
 * (NULL: absent; the caller frees it); 0, or -1 with a 400. */
int api_param_glob(struct web_req *r, const char *name, char **re);
/* An RFC 3339 parameter as epoch seconds (text) into epoch: 1, 0 absent,
 * -1 with a 400. */
int api_param_time(struct web_req *r, const char *name, char *epoch, size_t len);
/* body to the installation's exchange `what` (commands, results) under
 * key, on the thread's own broker connection, confirmed; 0 or -1 with err. */
int api_publish(const char *what, const char *key, const char *body, char *err,
    size_t errlen);
/* The group name: 1, 0 with a 404, -1 with a 503. */
int api_group_exists(struct web_req *r, PGconn *pc, const char *name);

/* A glob as a regular expression for PostgreSQL's ~ into *re (the caller
 * frees it); 0, or -1 if it is not a glob. */
int api_glob_regex(const char *glob, char **re);
/* Row i of query_checks() as the API's check object. */
void api_check_json(struct strbuf *b, PGresult *res, int i);
/* The groups of query_groups() as a flat array (those named in the sorted
 * names only, unless names is NULL), each with its counts and worst state. */
void api_groups_json(struct strbuf *b, PGresult *res, char **names, size_t n);

/* api_checks.c: the check of the path (r->args) into *res (query_check()
 * row 0) and its id; 0, or -1 with a 404 or 503. */
int api_find_check(struct web_req *r, PGconn *pc, PGresult **res, char *id, size_t idlen);
/* Row i of query_downtimes() as JSON. */
void api_downtime_json(struct strbuf *b, PGresult *res, int i);

/* The endpoints: api_checks.c, api_views.c, api_command.c. */
web_handler api_checks, api_check, api_history, api_perfdata, api_groups, api_group,
    api_workers, api_notifications, api_downtimes, api_command, api_result, api_reload,
    api_cancel;
/* metrics.c: GET /metrics */
web_handler api_metrics;

#endif
