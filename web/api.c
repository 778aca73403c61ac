/*
 * NAME
 *	api - vigil-web's endpoints under /api/v1
 * DESCRIPTION
 *	api_route() (on the loop) picks the endpoint of a path and checks the
 *	token's scope; the endpoint then runs on a database thread with that
 *	thread's own PostgreSQL connection (opened on first use, opened again
 *	after a failure) and writes its JSON answer:
 *	  GET /api/v1/health       200 while PostgreSQL answers, the broker
 *	                           link is up and an engine leads; else 503,
 *	                           each part with its state (no token needed:
 *	                           load balancers ask it)
 *	  GET /api/v1/checks       {"checks": [...], "next": cursor|null}:
 *	                           filters host and service (fnmatch globs),
 *	                           state (a name), problems=1, unhandled=1 (a
 *	                           problem, not acknowledged, not in downtime,
 *	                           its host up); limit (1..1000,
 *	                           default 500) and after (the cursor: the
 *	                           last "host/service" of the page before)
 *	  GET /api/v1/checks/HOST[/SERVICE]   one check, 404 if none
 *	  GET /api/v1/groups       {"groups": the tree}: each group with its
 *	                           counts, worst state and children (under each
 *	                           of its parents)
 *	  GET /api/v1/workers      {"pools": [...], "workers": [...]}
 *	  GET /api/v1/notifications  the latest (limit, default 50), each with
 *	                           its deliveries; failed=1: those given up or
 *	                           being retried
 *	  POST /api/v1/checks/HOST[/SERVICE]/ack|unack|downtime|notify: a
 *	                           command for the engine (a write token), the
 *	                           answer its verdict
 *	Times are RFC 3339 UTC strings, states names (CONFIG.md).
 * DIAGNOSTICS
 *	Errors as {"error", "detail"}: 400 naming the parameter, 401 without a
 *	valid token, 404, 503 when PostgreSQL does not answer.
 */
#include "web_private.h"

#include "config.h"
#include "jsonw.h"
#include "log.h"
#include "pg.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct api_thread {
	struct web *w;
	PGconn *pc;
};

static web_handler api_health;

static const char *const api_actions[] = { "ack", "unack", "downtime", "notify" };

/* ---- on the loop ------------------------------------------------------- */

/*
 * POST checks/HOST[/SERVICE]/ACTION: a command for the engine, which
 * needs a write token.
 */
static int
route_command(struct web_req *r, const char *p)
{
	const char *parts[4];
	char *copy, *save = NULL, *tok;
	size_t n = 0, i;

	if (strncmp(p, "checks/", 7) != 0) {
		web_error(r, 404, "not found", "commands are POST /api/v1/checks/HOST[/SERVICE]/"
		    "ack|unack|downtime|notify");
		return -1;
	}
	copy = xstrdup(p + 7);
	for (tok = strtok_r(copy, "/", &save); tok != NULL && n < 4;
	    tok = strtok_r(NULL, "/", &save))
		parts[n++] = tok;
	for (i = 0; n >= 2 && n <= 3 && i < sizeof(api_actions) / sizeof(api_actions[0]); i++)
		if (strcmp(parts[n - 1], api_actions[i]) == 0)
			break;
	if (n < 2 || n > 3 || tok != NULL || i == sizeof(api_actions) / sizeof(api_actions[0])) {
		free(copy);
		web_error(r, 404, "not found", "commands are POST /api/v1/checks/HOST[/SERVICE]/"
		    "ack|unack|downtime|notify");
		return -1;
	}
	r->action = api_actions[i];
	r->args[0] = xstrdup(parts[0]);
	r->args[1] = n == 3 ? xstrdup(parts[1]) : NULL;
	free(copy);
	if (r->scope < SCOPE_WRITE) {
		char d[160];

		snprintf(d, sizeof(d), "the token of %s has the scope read: %s needs write",
		    r->who, r->action);
		web_error(r, 403, "forbidden", d);
		return -1;
	}
	r->handler = api_command;
	r->slow = 1;
	return 0;
}

int
api_route(struct web_req *r)
{
	const char *p = r->path;
	const char *rest;
	char *slash;

	if (strncmp(p, "/api/v1/", 8) != 0) {
		web_error(r, 404, "not found", "the API is under /api/v1/");
		return -1;
	}
	p += 8;
	if (strcmp(p, "health") == 0) {
		r->handler = api_health;
		return 0;
	}
	if (r->who == NULL) {
		web_error(r, 401, "unauthorized", r->w->tokens == NULL ?
		    "no token file (http api_token_file): nothing but /api/v1/health "
		    "is served" : "a token is needed: Authorization: Bearer TOKEN");
		return -1;
	}
	if (r->method == 'P')
		return route_command(r, p);
	if (strcmp(p, "checks") == 0) {
		r->handler = api_checks;
		return 0;
	}
	if (strcmp(p, "groups") == 0) {
		r->handler = api_groups;
		return 0;
	}
	if (strcmp(p, "workers") == 0) {
		r->handler = api_workers;
		return 0;
	}
	if (strcmp(p, "notifications") == 0) {
		r->handler = api_notifications;
		return 0;
	}
	if (strncmp(p, "checks/", 7) == 0 && p[7] != '\0') {
		rest = p + 7;
		if ((slash = strchr(rest, '/')) != NULL) {
			r->args[0] = xstrndup(rest, (size_t)(slash - rest));
			r->args[1] = xstrdup(slash + 1);
			if (*r->args[1] == '\0' || strchr(r->args[1], '/') != NULL) {
				web_error(r, 404, "not found", "expected /api/v1/checks/HOST or "
				    "/api/v1/checks/HOST/SERVICE");
				return -1;
			}
		} else
			r->args[0] = xstrdup(rest);
		r->handler = api_check;
		return 0;
	}
	web_error(r, 404, "not found", "no such endpoint");
	return -1;
}

/* ---- on a database thread --------------------------------------------- */

void *
api_thread_init(void *arg)
{
	struct api_thread *t = xcalloc(1, sizeof(*t));

	t->w = arg;
	return t;
}

void
api_thread_fini(void *tctx, void *arg)
{
	struct api_thread *t = tctx;

	if (t->pc != NULL)
		PQfinish(t->pc);
	free(t);
}

/* This thread's connection, NULL (err says why) if PostgreSQL is away. */
static PGconn *
thread_pg(struct api_thread *t, char *err, size_t errlen)
{
	const struct config *cfg = t->w->d->cfg;

	if (t->pc != NULL && PQstatus(t->pc) == CONNECTION_OK)
		return t->pc;
	if (t->pc != NULL)
		PQfinish(t->pc);
	t->pc = pg_connect(cfg->pg_conninfo, cfg->prefix, err, errlen);
	return t->pc;
}

void
api_work(void *item, void *tctx, void *arg)
{
	struct web_req *r = item;
	struct api_thread *t = tctx;
	char err[512];
	PGconn *pc = thread_pg(t, err, sizeof(err));

	if (pc == NULL && r->handler != api_health) {
		web_error(r, 503, "unavailable", "PostgreSQL does not answer");
		log_warn("api request path=%s: postgres down: %s", r->path, err);
		return;
	}
	r->handler(r, pc);
	/* A statement that failed on a lost connection: reconnect next time. */
	if (t->pc != NULL && PQstatus(t->pc) != CONNECTION_OK) {
		PQfinish(t->pc);
		t->pc = NULL;
	}
}

/* ---- what the endpoints share -------------------------------------------- */


const char *
api_val(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* s as a whole number in 1..max, else -1. */
int
api_number(const char *s, int max)
{
	int v = 0;

	if (s == NULL || *s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > max)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v >= 1 && v <= max ? v : -1;
}

/* limit= (1..1000, def when absent) into *limit; 0, or -1 with a 400. */
int
api_param_limit(struct web_req *r, int def, int *limit)
{
	const char *s = web_param(r, "limit");

	*limit = def;
	if (s != NULL && (*limit = api_number(s, API_LIMIT_MAX)) < 0) {
		web_error(r, 400, "bad parameter", "limit: expected a whole number from 1 to "
		    "1000");
		return -1;
	}
	return 0;
}

/* A flag parameter (1 or 0) into *on; 0, or -1 with a 400 naming it. */
int
api_param_flag(struct web_req *r, const char *name, int *on)
{
	const char *s = web_param(r, name);
	char d[80];

	*on = s != NULL && strcmp(s, "1") == 0;
	if (s == NULL || strcmp(s, "1") == 0 || strcmp(s, "0") == 0)
		return 0;
	snprintf(d, sizeof(d), "%s: expected 1 or 0", name);
	web_error(r, 400, "bad parameter", d);
	return -1;
}

/* Epoch seconds (text) as RFC 3339 UTC. */
void
api_time_json(struct strbuf *b, const char *epoch)
{
	char buf[32];
	struct tm tm;
	time_t t;

	if (epoch == NULL) {
		strbuf_adds(b, "null");
		return;
	}
	t = (time_t)atof(epoch);
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	jsonw_string(b, buf);
}


/* ---- health ------------------------------------------------------------- */

static void
api_health(struct web_req *r, PGconn *pc)
{
	char err[512];
	int pg_up = 0, leading = 0;
	PGresult *res;

	err[0] = '\0';
	if (pc != NULL) {
		const char *params[1] = { r->w->d->cfg->prefix };

		res = pg_query(pc, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype ="
		    " 'advisory' AND granted AND classid = hashtext('vigil leader')::oid"
		    " AND objid = hashtext($1)::oid AND objsubid = 2)", 1, params, err,
		    sizeof(err));
		if (res != NULL) {
			pg_up = 1;
			leading = PQgetvalue(res, 0, 0)[0] == 't';
			PQclear(res);
		}
	} else
		snprintf(err, sizeof(err), "no connection");
	r->status = pg_up && leading && r->broker_up ? 200 : 503;
	strbuf_adds(&r->body, "{\"status\":");
	jsonw_string(&r->body, r->status == 200 ? "ok" : "unavailable");
	strbuf_adds(&r->body, ",\"postgres\":{\"up\":");
	jsonw_bool(&r->body, pg_up);
	if (!pg_up) {
		strbuf_adds(&r->body, ",\"error\":");
		jsonw_string(&r->body, err);
	}
	strbuf_adds(&r->body, "},\"rabbitmq\":{\"up\":");
	jsonw_bool(&r->body, r->broker_up);
	strbuf_adds(&r->body, "},\"engine\":{\"leading\":");
	jsonw_bool(&r->body, leading);
	strbuf_adds(&r->body, "}}");
}

