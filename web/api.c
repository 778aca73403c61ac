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
 *	                           state (a name), problems=1; limit (1..1000,
 *	                           default 500) and after (the cursor: the
 *	                           last "host/service" of the page before)
 *	  GET /api/v1/checks/HOST[/SERVICE]   one check, 404 if none
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
#include "query.h"
#include "result.h"
#include "xalloc.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_LIMIT_DEFAULT 500
#define API_LIMIT_MAX 1000

struct api_thread {
	struct web *w;
	PGconn *pc;
};

static web_handler api_health, api_checks, api_check;

/* ---- on the loop ------------------------------------------------------- */

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
	if (strcmp(p, "checks") == 0) {
		r->handler = api_checks;
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

static const char *
val(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

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

/* Milliseconds to a tenth: never 17 digits of noise. null for none. */
static void
ms_json(struct strbuf *b, const char *s)
{
	char buf[64];

	if (s == NULL) {
		strbuf_adds(b, "null");
		return;
	}
	snprintf(buf, sizeof(buf), "%.1f", atof(s));
	strbuf_adds(b, buf);
}

/* Row i of query_status() as the API's check object. */
static void
check_json(struct strbuf *b, PGresult *res, int i)
{
	int is_host = PQgetisnull(res, i, 1);
	int state = val(res, i, 2) != NULL ? atoi(val(res, i, 2)) : STATE_PENDING;
	const char *s;

	strbuf_adds(b, "{\"host\":");
	jsonw_string(b, val(res, i, 0));
	strbuf_adds(b, ",\"service\":");
	jsonw_string(b, val(res, i, 1));
	strbuf_adds(b, ",\"state\":");
	jsonw_string(b, result_state_name(state, is_host));
	strbuf_adds(b, ",\"state_type\":");
	jsonw_string(b, val(res, i, 3) != NULL && atoi(val(res, i, 3)) == 0 ? "SOFT" : "HARD");
	strbuf_adds(b, ",\"attempt\":");
	jsonw_int(b, val(res, i, 4) != NULL ? atoi(val(res, i, 4)) : 1);
	strbuf_adds(b, ",\"max_attempts\":");
	jsonw_int(b, atoi(val(res, i, 5)));
	strbuf_adds(b, ",\"output\":");
	jsonw_string(b, (s = val(res, i, 6)) != NULL ? s : "");
	strbuf_adds(b, ",\"long_output\":");
	jsonw_string(b, (s = val(res, i, 9)) != NULL ? s : "");
	strbuf_adds(b, ",\"perfdata\":");
	jsonw_string(b, (s = val(res, i, 10)) != NULL ? s : "");
	strbuf_adds(b, ",\"last_check\":");
	jsonw_string(b, val(res, i, 7));
	strbuf_adds(b, ",\"next_check\":");
	jsonw_string(b, val(res, i, 12));
	strbuf_adds(b, ",\"latency_ms\":");
	ms_json(b, val(res, i, 13));
	strbuf_adds(b, ",\"duration_ms\":");
	ms_json(b, val(res, i, 14));
	strbuf_adds(b, ",\"pool\":");
	jsonw_string(b, val(res, i, 11));
	strbuf_adds(b, ",\"acknowledged\":");
	jsonw_bool(b, val(res, i, 16)[0] == 't');
	strbuf_adds(b, ",\"in_downtime\":");
	jsonw_bool(b, val(res, i, 17)[0] == 't');
	strbuf_adds(b, ",\"flapping\":");
	jsonw_bool(b, val(res, i, 18)[0] == 't');
	if (val(res, i, 19) != NULL) {
		strbuf_adds(b, ",\"ack\":{\"author\":");
		jsonw_string(b, val(res, i, 19));
		strbuf_adds(b, ",\"comment\":");
		jsonw_string(b, (s = val(res, i, 20)) != NULL ? s : "");
		strbuf_add(b, "}", 1);
	}
	if ((s = val(res, i, 15)) != NULL) {
		strbuf_adds(b, ",\"locations\":");
		strbuf_adds(b, s);	/* PostgreSQL's own JSON */
	}
	strbuf_add(b, "}", 1);
}

/* "host/service" (a host check: "host/") of row i, the cursor's form. */
static char *
row_key(PGresult *res, int i)
{
	return xasprintf("%s/%s", val(res, i, 0), val(res, i, 1) != NULL ? val(res, i, 1) : "");
}

/*
 * Row i comes at or before the cursor "host/service" in query_status()'s
 * order: host, then the host check, then services, bytewise (host names
 * have no '/').
 */
static int
row_not_after(PGresult *res, int i, const char *cursor)
{
	const char *slash = strchr(cursor, '/'), *svc = val(res, i, 1);
	size_t hlen = slash != NULL ? (size_t)(slash - cursor) : strlen(cursor);
	const char *csvc = slash != NULL ? slash + 1 : "";
	const char *host = val(res, i, 0);
	int c = strncmp(host, cursor, hlen);

	if (c == 0 && host[hlen] != '\0')
		c = 1;		/* longer: after */
	if (c != 0)
		return c < 0;
	if (svc == NULL)	/* the host check comes first */
		return 1;
	return *csvc != '\0' && strcmp(svc, csvc) <= 0;
}

/* s as a whole number in 1..max, else -1. */
static int
number(const char *s, int max)
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

static int
state_named(const char *name, int state, int is_host)
{
	return strcasecmp(name, result_state_name(state, is_host)) == 0;
}

static void
api_checks(struct web_req *r, PGconn *pc)
{
	const char *host = web_param(r, "host"), *service = web_param(r, "service");
	const char *state = web_param(r, "state"), *problems = web_param(r, "problems");
	const char *after = web_param(r, "after"), *limit_s = web_param(r, "limit");
	int limit = API_LIMIT_DEFAULT, n = 0, last = -1;
	char err[512];
	PGresult *res;

	if (limit_s != NULL && (limit = number(limit_s, API_LIMIT_MAX)) < 0) {
		web_error(r, 400, "bad parameter", "limit: expected a whole number from 1 to "
		    "1000");
		return;
	}
	if (problems != NULL && strcmp(problems, "1") != 0 && strcmp(problems, "0") != 0) {
		web_error(r, 400, "bad parameter", "problems: expected 1 or 0");
		return;
	}
	if (state != NULL) {
		static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN",
			"UP", "DOWN", "UNREACHABLE", "PENDING" };
		size_t k;

		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (strcasecmp(state, names[k]) == 0)
				break;
		if (k == sizeof(names) / sizeof(names[0])) {
			web_error(r, 400, "bad parameter", "state: expected OK, WARNING, CRITICAL, "
			    "UNKNOWN, UP, DOWN, UNREACHABLE or PENDING");
			return;
		}
	}
	res = query_status(pc, problems != NULL && strcmp(problems, "1") == 0, err, sizeof(err));
	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api checks: %s", err);
		return;
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"checks\":[");
	for (int i = 0; i < PQntuples(res); i++) {
		int is_host = PQgetisnull(res, i, 1);
		int st = val(res, i, 2) != NULL ? atoi(val(res, i, 2)) : STATE_PENDING;

		if (after != NULL && row_not_after(res, i, after))
			continue;
		if (host != NULL && fnmatch(host, val(res, i, 0), 0) != 0)
			continue;
		if (service != NULL && (is_host || fnmatch(service, val(res, i, 1), 0) != 0))
			continue;
		if (state != NULL && !state_named(state, st, is_host))
			continue;
		if (n == limit) {
			/* one more matches: the page ends at the last one written */
			char *k = row_key(res, last);

			strbuf_adds(&r->body, "],\"next\":");
			jsonw_string(&r->body, k);
			strbuf_add(&r->body, "}", 1);
			free(k);
			PQclear(res);
			return;
		}
		if (n++ > 0)
			strbuf_add(&r->body, ",", 1);
		check_json(&r->body, res, i);
		last = i;
	}
	strbuf_adds(&r->body, "],\"next\":null}");
	PQclear(res);
}

static void
api_check(struct web_req *r, PGconn *pc)
{
	char err[512];
	PGresult *res = query_status(pc, 0, err, sizeof(err));

	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api check: %s", err);
		return;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *svc = val(res, i, 1);

		if (strcmp(val(res, i, 0), r->args[0]) != 0)
			continue;
		if (r->args[1] == NULL ? svc != NULL : svc == NULL || strcmp(svc, r->args[1]) != 0)
			continue;
		r->status = 200;
		check_json(&r->body, res, i);
		PQclear(res);
		return;
	}
	PQclear(res);
	web_error(r, 404, "not found", r->args[1] != NULL ? "no such service on that host" :
	    "no such host check");
}
