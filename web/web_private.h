/*
 * NAME
 *	web_private - what vigil-web's files share
 * DESCRIPTION
 *	Not for outside web/. The map:
 *	  web.c     the service: listening (libwebsockets on the daemon's
 *	            libev loop), the broker link, the token file, HUP
 *	  http.c    one HTTP transaction: the request read, routed, handed
 *	            to a database thread, the answer written back
 *	  api.c     the endpoints, each run on a database thread with its
 *	            own PostgreSQL connection (never a query on the loop)
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
#define WEB_BODY_MAX (64 * 1024)	/* bytes of a request body: 413 past it */
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
	char iface[256];
	int port;
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
	char method;		/* 'G' GET, 'P' POST */
	int slow;		/* a command: the commands' pool */
	int close_after;	/* the connection goes after the answer */
	const char *action;	/* a command's: ack, unack, downtime, notify */
	char path[WEB_PATH_MAX];
	struct web_param params[WEB_QUERY_MAX];
	size_t nparams;
	const char *who;	/* the token's name, NULL: none */
	enum token_scope scope;
	web_handler *handler;
	char *args[2];		/* the path's host and service, decoded */
	int broker_up;		/* the broker link, as the loop saw it */
	struct strbuf in;	/* the request's body */
	/* the answer */
	int status;
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

/* api.c: routing (on the loop) and the endpoints (on a thread). */
int api_route(struct web_req *r);
void *api_thread_init(void *arg);
void api_thread_fini(void *tctx, void *arg);
void api_work(void *item, void *tctx, void *arg);

#endif
