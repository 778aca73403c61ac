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
#include "msg.h"
#include "mqcli.h"
#include "topology.h"
#include "util.h"
#include "log.h"
#include "pg.h"
#include "query.h"
#include "result.h"
#include "xalloc.h"

#include <fnmatch.h>
#include <jansson.h>
#include <time.h>
#include <unistd.h>
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

static web_handler api_health, api_checks, api_check, api_command, api_groups, api_workers,
    api_notifications;

#define API_VERDICT_WAIT 150	/* tenths of a second for the engine's verdict */

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

/* limit= (1..1000, def when absent) into *limit; 0, or -1 with a 400. */
static int
param_limit(struct web_req *r, int def, int *limit)
{
	const char *s = web_param(r, "limit");

	*limit = def;
	if (s != NULL && (*limit = number(s, API_LIMIT_MAX)) < 0) {
		web_error(r, 400, "bad parameter", "limit: expected a whole number from 1 to "
		    "1000");
		return -1;
	}
	return 0;
}

/* A flag parameter (1 or 0) into *on; 0, or -1 with a 400 naming it. */
static int
param_flag(struct web_req *r, const char *name, int *on)
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

static int
state_named(const char *name, int state, int is_host)
{
	return strcasecmp(name, result_state_name(state, is_host)) == 0;
}

static void
api_checks(struct web_req *r, PGconn *pc)
{
	const char *host = web_param(r, "host"), *service = web_param(r, "service");
	const char *state = web_param(r, "state"), *after = web_param(r, "after");
	int limit, n = 0, last = -1, host_up = 1, problems, unhandled;
	char err[512];
	PGresult *res;

	if (param_limit(r, API_LIMIT_DEFAULT, &limit) < 0 ||
	    param_flag(r, "problems", &problems) < 0 ||
	    param_flag(r, "unhandled", &unhandled) < 0)
		return;
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
	/* unhandled needs every host's own check: all rows, filtered here */
	res = query_status(pc, problems && !unhandled, err, sizeof(err));
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

		/* A host's own check comes first: its services follow. */
		if (is_host)
			host_up = st <= 0;
		else if (i == 0 || strcmp(val(res, i - 1, 0), val(res, i, 0)) != 0)
			host_up = 1;	/* a host without a check is up */
		if (unhandled && (st <= 0 || val(res, i, 16)[0] == 't' ||
		    val(res, i, 17)[0] == 't' || (!is_host && !host_up)))
			continue;
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

/* ---- groups, workers, notifications ------------------------------------- */

static const char *const api_count_names[] = {
	"ok", "warning", "critical", "unknown", "up", "down", "unreachable", "pending",
	"acknowledged", "in_downtime", "flapping",
};

/* "{a,b}" (a text[] as PostgreSQL writes it) split into its names. */
static size_t
pg_names(const char *s, char ***out)
{
	char *copy, *tok, *save = NULL;
	size_t n = 0;

	*out = NULL;
	if (s == NULL || strlen(s) < 2)
		return 0;
	copy = xstrndup(s + 1, strlen(s) - 2);
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(tok);

		if (len >= 2 && tok[0] == '"' && tok[len - 1] == '"') {
			tok[len - 1] = '\0';
			tok++;
		}
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = xstrdup(tok);
	}
	free(copy);
	return n;
}

struct api_group {
	int row;
	char **parents;
	size_t nparents;
};

static void
group_json(struct strbuf *b, PGresult *res, const struct api_group *g, size_t ng,
    size_t gi, int depth)
{
	const struct api_group *x = &g[gi];
	const char *name = val(res, x->row, 0);
	size_t i, k;
	int first = 1;

	strbuf_adds(b, "{\"name\":");
	jsonw_string(b, name);
	strbuf_adds(b, ",\"title\":");
	jsonw_string(b, val(res, x->row, 1));
	strbuf_adds(b, ",\"parents\":[");
	for (i = 0; i < x->nparents; i++) {
		if (i > 0)
			strbuf_add(b, ",", 1);
		jsonw_string(b, x->parents[i]);
	}
	strbuf_adds(b, "],\"worst_state\":");
	jsonw_string(b, val(res, x->row, 2));
	strbuf_adds(b, ",\"counts\":{");
	for (i = 0; i < sizeof(api_count_names) / sizeof(api_count_names[0]); i++) {
		if (i > 0)
			strbuf_add(b, ",", 1);
		strbuf_add(b, "\"", 1);
		strbuf_adds(b, api_count_names[i]);
		strbuf_adds(b, "\":");
		strbuf_adds(b, val(res, x->row, 3 + (int)i));
	}
	strbuf_adds(b, "},\"children\":[");
	/* Parents form a DAG (no cycles: the loader refuses them); depth
	 * bounds a tree shown under every parent of a diamond. */
	for (i = 0; depth < 64 && i < ng; i++)
		for (k = 0; k < g[i].nparents; k++)
			if (strcmp(g[i].parents[k], name) == 0) {
				if (!first)
					strbuf_add(b, ",", 1);
				first = 0;
				group_json(b, res, g, ng, i, depth + 1);
				break;
			}
	strbuf_adds(b, "]}");
}

static void
api_groups(struct web_req *r, PGconn *pc)
{
	char err[512];
	PGresult *res = query_groups(pc, err, sizeof(err));
	struct api_group *g;
	size_t n, i;
	int first = 1;

	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api groups: %s", err);
		return;
	}
	n = (size_t)PQntuples(res);
	g = xcalloc(n + 1, sizeof(*g));
	for (i = 0; i < n; i++) {
		g[i].row = (int)i;
		g[i].nparents = pg_names(val(res, (int)i, 14), &g[i].parents);
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"groups\":[");
	for (i = 0; i < n; i++) {
		if (g[i].nparents > 0)
			continue;	/* a root of the tree */
		if (!first)
			strbuf_add(&r->body, ",", 1);
		first = 0;
		group_json(&r->body, res, g, n, i, 0);
	}
	strbuf_adds(&r->body, "]}");
	for (i = 0; i < n; i++) {
		for (size_t k = 0; k < g[i].nparents; k++)
			free(g[i].parents[k]);
		free(g[i].parents);
	}
	free(g);
	PQclear(res);
}

/* Epoch seconds (text) as RFC 3339 UTC. */
static void
time_json(struct strbuf *b, const char *epoch)
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

static void
api_workers(struct web_req *r, PGconn *pc)
{
	char err[512];
	PGresult *pools = query_pools(pc, err, sizeof(err)), *workers;

	if (pools == NULL || (workers = query_workers(pc, err, sizeof(err))) == NULL) {
		if (pools != NULL)
			PQclear(pools);
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api workers: %s", err);
		return;
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"pools\":[");
	for (int i = 0; i < PQntuples(pools); i++) {
		if (i > 0)
			strbuf_add(&r->body, ",", 1);
		strbuf_adds(&r->body, "{\"name\":");
		jsonw_string(&r->body, val(pools, i, 0));
		strbuf_adds(&r->body, ",\"state\":");
		jsonw_string(&r->body, val(pools, i, 1));
		strbuf_adds(&r->body, ",\"live_workers\":");
		strbuf_adds(&r->body, val(pools, i, 2));
		strbuf_adds(&r->body, ",\"checks\":");
		strbuf_adds(&r->body, val(pools, i, 3));
		strbuf_adds(&r->body, ",\"since\":");
		time_json(&r->body, val(pools, i, 4));
		strbuf_add(&r->body, "}", 1);
	}
	strbuf_adds(&r->body, "],\"workers\":[");
	for (int i = 0; i < PQntuples(workers); i++) {
		if (i > 0)
			strbuf_add(&r->body, ",", 1);
		strbuf_adds(&r->body, "{\"pool\":");
		jsonw_string(&r->body, val(workers, i, 0));
		strbuf_adds(&r->body, ",\"id\":");
		jsonw_string(&r->body, val(workers, i, 1));
		strbuf_adds(&r->body, ",\"host\":");
		jsonw_string(&r->body, val(workers, i, 2));
		strbuf_adds(&r->body, ",\"pid\":");
		strbuf_adds(&r->body, val(workers, i, 3));
		strbuf_adds(&r->body, ",\"concurrency\":");
		strbuf_adds(&r->body, val(workers, i, 4));
		strbuf_adds(&r->body, ",\"running\":");
		strbuf_adds(&r->body, val(workers, i, 5));
		strbuf_adds(&r->body, ",\"version\":");
		jsonw_string(&r->body, val(workers, i, 7));
		strbuf_adds(&r->body, ",\"started\":");
		time_json(&r->body, val(workers, i, 8));
		strbuf_adds(&r->body, ",\"last_seen\":");
		time_json(&r->body, val(workers, i, 9));
		strbuf_add(&r->body, "}", 1);
	}
	strbuf_adds(&r->body, "]}");
	PQclear(pools);
	PQclear(workers);
}

static void
api_notifications(struct web_req *r, PGconn *pc)
{
	int limit, failed, n = 0;
	const char *prev = NULL;
	char err[512];
	PGresult *res;

	if (param_limit(r, 50, &limit) < 0 || param_flag(r, "failed", &failed) < 0)
		return;
	res = query_notifications(pc, limit, failed, err, sizeof(err));
	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api notifications: %s", err);
		return;
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"notifications\":[");
	/* One row per delivery, a notification's together: grouped here. */
	for (int i = 0; i < PQntuples(res); i++) {
		const char *id = val(res, i, 0);

		if (prev == NULL || strcmp(prev, id) != 0) {
			if (prev != NULL)
				strbuf_adds(&r->body, "]},");
			prev = id;
			n = 0;
			strbuf_adds(&r->body, "{\"id\":");
			jsonw_string(&r->body, id);
			strbuf_adds(&r->body, ",\"time\":");
			time_json(&r->body, val(res, i, 12));
			strbuf_adds(&r->body, ",\"type\":");
			jsonw_string(&r->body, val(res, i, 2));
			strbuf_adds(&r->body, ",\"number\":");
			strbuf_adds(&r->body, val(res, i, 3));
			strbuf_adds(&r->body, ",\"host\":");
			jsonw_string(&r->body, *val(res, i, 4) != '\0' ? val(res, i, 4) : NULL);
			strbuf_adds(&r->body, ",\"service\":");
			jsonw_string(&r->body, val(res, i, 5));
			strbuf_adds(&r->body, ",\"output\":");
			jsonw_string(&r->body, val(res, i, 6));
			strbuf_adds(&r->body, ",\"escalated\":");
			jsonw_bool(&r->body, val(res, i, 14) != NULL && val(res, i, 14)[0] == 't');
			strbuf_adds(&r->body, ",\"deliveries\":[");
		}
		if (val(res, i, 7) == NULL)
			continue;	/* a notification without deliveries (held) */
		if (n++ > 0)
			strbuf_add(&r->body, ",", 1);
		strbuf_adds(&r->body, "{\"contact\":");
		jsonw_string(&r->body, val(res, i, 7));
		strbuf_adds(&r->body, ",\"channel\":");
		jsonw_string(&r->body, val(res, i, 8));
		strbuf_adds(&r->body, ",\"address\":");
		jsonw_string(&r->body, val(res, i, 13));
		strbuf_adds(&r->body, ",\"status\":");
		jsonw_string(&r->body, val(res, i, 9));
		strbuf_adds(&r->body, ",\"attempts\":");
		strbuf_adds(&r->body, val(res, i, 10) != NULL ? val(res, i, 10) : "0");
		strbuf_adds(&r->body, ",\"last_error\":");
		jsonw_string(&r->body, val(res, i, 11));
		strbuf_add(&r->body, "}", 1);
	}
	strbuf_adds(&r->body, prev != NULL ? "]}]}" : "]}");
	PQclear(res);
}

/* ---- commands ----------------------------------------------------------- */

/* "2026-12-06T10:00:00Z" or with a +HH:MM / -HH:MM offset: epoch seconds. */
static int
rfc3339(const char *s, double *t)
{
	struct tm tm;
	const char *rest;
	int sign, hh, mm;

	memset(&tm, 0, sizeof(tm));
	if ((rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*rest == '.')	/* fractions of a second: dropped */
		for (rest++; *rest >= '0' && *rest <= '9'; rest++)
			;
	*t = (double)timegm(&tm);
	if (strcmp(rest, "Z") == 0)
		return 0;
	if ((rest[0] != '+' && rest[0] != '-') || sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2 ||
	    strlen(rest) != 6)
		return -1;
	sign = rest[0] == '+' ? 1 : -1;
	*t -= sign * (hh * 3600 + mm * 60);
	return 0;
}

/* A duration field: "2h", "90s", or a number of seconds. */
static int
duration_of(json_t *v, int *secs)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		if (n <= 0 || n > 10 * 365 * 86400)
			return -1;
		*secs = (int)n;
		return 0;
	}
	return json_is_string(v) && config_parse_duration(json_string_value(v), secs) == 0 &&
	    *secs > 0 ? 0 : -1;
}

/* The body's fields into c; 0, or -1 with a 400 naming the field. */
static int
command_fields(struct web_req *r, struct command_msg *c, json_t *body)
{
	const char *key;
	json_t *v;
	int secs = 0, window = 0, have_secs = 0;
	char d[160];

	c->notify = 1;
	c->fixed = 1;
	json_object_foreach(body, key, v) {
		int ok = 1;

		if (strcmp(key, "comment") == 0 && strcmp(r->action, "unack") != 0)
			ok = json_is_string(v) && (c->comment = (char *)json_string_value(v)) != NULL;
		else if (strcmp(key, "sticky") == 0 && strcmp(r->action, "ack") == 0)
			ok = json_is_boolean(v) && ((c->sticky = json_is_true(v)), 1);
		else if (strcmp(key, "notify") == 0 && strcmp(r->action, "ack") == 0)
			ok = json_is_boolean(v) && ((c->notify = json_is_true(v)), 1);
		else if (strcmp(key, "duration") == 0 && strcmp(r->action, "downtime") == 0)
			ok = duration_of(v, &secs) == 0 && (have_secs = 1);
		else if (strcmp(key, "flexible") == 0 && strcmp(r->action, "downtime") == 0)
			ok = duration_of(v, &window) == 0;
		else if (strcmp(key, "start") == 0 && strcmp(r->action, "downtime") == 0)
			ok = json_is_string(v) && rfc3339(json_string_value(v), &c->start) == 0 &&
			    (c->has_start = 1);
		else if (strcmp(key, "services") == 0 && strcmp(r->action, "downtime") == 0 &&
		    r->args[1] == NULL)
			ok = json_is_boolean(v) && ((c->services = json_is_true(v)), 1);
		else {
			snprintf(d, sizeof(d), "%.64s: not a field of %s", key, r->action);
			web_error(r, 400, "bad field", d);
			return -1;
		}
		if (!ok) {
			snprintf(d, sizeof(d), "%.64s: %s", key, strcmp(key, "start") == 0 ?
			    "expected an RFC 3339 time (2026-12-06T10:00:00Z)" :
			    strcmp(key, "duration") == 0 || strcmp(key, "flexible") == 0 ?
			    "expected a duration (90s, 2h) or seconds" : strcmp(key, "comment") == 0 ?
			    "expected a string" : "expected true or false");
			web_error(r, 400, "bad field", d);
			return -1;
		}
	}
	if (strcmp(r->action, "unack") != 0 && (c->comment == NULL || *c->comment == '\0')) {
		web_error(r, 400, "bad field", "comment: required");
		return -1;
	}
	if (strcmp(r->action, "downtime") == 0) {
		if (!have_secs) {
			web_error(r, 400, "bad field", "duration: required");
			return -1;
		}
		if (!c->has_start) {
			c->has_start = 1;
			c->start = util_now();
		}
		c->end = c->start + (window > 0 ? window : secs);
		c->fixed = window == 0;
		c->duration = secs;
	}
	return 0;
}

static void
api_command(struct web_req *r, PGconn *pc)
{
	const struct config *cfg = r->w->d->cfg;
	char exchange[256], err[512], msg[1024];
	struct command_msg c;
	json_error_t je;
	json_t *body = NULL;
	char *text;
	int ok;

	memset(&c, 0, sizeof(c));
	if (r->in.len > 0) {
		body = json_loadb(r->in.s, r->in.len, 0, &je);
		if (body == NULL || !json_is_object(body)) {
			web_error(r, 400, "bad body", "expected a JSON object");
			json_decref(body);
			return;
		}
	} else
		body = json_object();
	if (command_fields(r, &c, body) < 0) {
		json_decref(body);
		return;
	}
	c.kind = strcmp(r->action, "ack") == 0 ? COMMAND_ACK : strcmp(r->action, "unack") == 0 ?
	    COMMAND_UNACK : strcmp(r->action, "downtime") == 0 ? COMMAND_DOWNTIME : COMMAND_CUSTOM;
	c.name = (char *)msg_command_name(c.kind);
	c.host = r->args[0];
	c.service = r->args[1];
	c.author = (char *)r->who;	/* the token's name: no self-declared author */
	c.time = util_now();
	util_random_id(c.id);
	text = msg_command_encode(&c, NULL);
	json_decref(body);
	topology_name(exchange, sizeof(exchange), cfg->prefix, "commands");
	if (mqcli_publish(cfg->amqp_url, exchange, c.kind == COMMAND_DOWNTIME ? TOPO_CMD_DOWNTIME :
	    c.kind == COMMAND_CUSTOM ? TOPO_CMD_NOTIFY : TOPO_CMD_ACK, text, strlen(text), 10,
	    err, sizeof(err)) < 0) {
		free(text);
		web_error(r, 503, "unavailable", "the broker did not take the command");
		log_warn("api %s %s: %s", r->action, r->path, err);
		return;
	}
	free(text);
	log_info("api command id=%s action=%s host=%s service=%s by=%s", c.id, r->action,
	    c.host, c.service != NULL ? c.service : "-", r->who);
	for (int i = 0; i < API_VERDICT_WAIT; i++) {
		switch (query_command_verdict(pc, c.id, &ok, msg, sizeof(msg), err, sizeof(err))) {
		case -1:
			web_error(r, 503, "unavailable", "the command was sent; its verdict cannot be "
			    "read from PostgreSQL");
			return;
		case 1:
			if (!ok) {
				web_error(r, 409, "refused", msg);
				return;
			}
			r->status = 200;
			strbuf_adds(&r->body, "{\"ok\":true,\"id\":");
			jsonw_string(&r->body, c.id);
			strbuf_adds(&r->body, ",\"message\":");
			jsonw_string(&r->body, msg);
			strbuf_add(&r->body, "}", 1);
			return;
		}
		usleep(100000);
	}
	web_error(r, 503, "unavailable", "no engine applied the command within 15 s (is "
	    "vigil-engine running and leading?); it stays queued");
}
