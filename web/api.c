/*
 * NAME
 *	api - vigil-web's endpoints under /api/v1
 * DESCRIPTION
 *	api_route() (on the loop) picks the endpoint of a path and checks the
 *	token's scope; the endpoint then runs on a database thread with that
 *	thread's own PostgreSQL connection (opened on first use, opened again
 *	after a failure) and writes its JSON answer:
 *	  GET /metrics             Prometheus text: the engine's counters and
 *	                           what PostgreSQL holds (web/metrics.c)
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
#include "mqcli.h"
#include "msg.h"
#include "topology.h"
#include "pg.h"
#include "xalloc.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <time.h>

struct api_thread {
	struct web *w;
	PGconn *pc;
	struct mqcli *mq;	/* commands' threads: kept open for the next */
};

static __thread struct api_thread *api_self;	/* the thread's, in api_work() */

static web_handler api_health;

/* Commands: the last part of POST /api/v1/checks/HOST[/SERVICE]/... */
static const char *const api_actions[] = {
	"ack", "unack", "downtime", "notify", "recheck", "result", "disable", "enable",
};

#define API_PARTS_MAX 4

/* ---- on the loop ------------------------------------------------------- */

/* The path after /api/v1/ split at '/' into parts; -1 past max parts or
 * with an empty one. */
static int
split_path(const char *p, char *copy, size_t copylen, char **parts, size_t *n)
{
	char *save = NULL, *tok;

	*n = 0;
	if (*p == '\0' || strlen(p) >= copylen || p[strlen(p) - 1] == '/' || strstr(p, "//"))
		return -1;
	snprintf(copy, copylen, "%s", p);
	for (tok = strtok_r(copy, "/", &save); tok != NULL; tok = strtok_r(NULL, "/", &save)) {
		if (*n == API_PARTS_MAX)
			return -1;
		parts[(*n)++] = tok;
	}
	return 0;
}

static int
needs(struct web_req *r, enum token_scope scope, const char *what)
{
	char d[200];

	if (r->scope >= scope)
		return 0;
	snprintf(d, sizeof(d), "%s needs a token of scope %s (%s%s%s)", what,
	    scope == SCOPE_ADMIN ? "admin" : "write", r->who != NULL ? "the token of " : "",
	    r->who != NULL ? r->who : "no token", r->who != NULL ? (r->scope == SCOPE_WRITE ?
	    " has write" : " has read") : "");
	if (r->token_bad)
		snprintf(d, sizeof(d), "the token is not known (Authorization: Bearer TOKEN)");
	web_error(r, r->who == NULL ? 401 : 403, r->who == NULL ? "unauthorized" : "forbidden", d);
	return -1;
}

static int
is_view(const char *s)
{
	return strcmp(s, "history") == 0 || strcmp(s, "perfdata") == 0;
}

/* GET checks/...: the list, one check, or a check's history or perfdata. A
 * last part "history" or "perfdata" names the view (so a service of that
 * name is read through the list's filters). */
static int
route_check_read(struct web_req *r, char **parts, size_t n)
{
	size_t ncheck = n - 1;

	r->handler = api_check;
	if (n >= 3 && is_view(parts[n - 1])) {
		r->handler = strcmp(parts[n - 1], "history") == 0 ? api_history : api_perfdata;
		ncheck--;
	}
	if (ncheck < 1 || ncheck > 2)
		return -1;
	r->args[0] = xstrdup(parts[1]);
	r->args[1] = ncheck == 2 ? xstrdup(parts[2]) : NULL;
	return 0;
}

/* POST checks/HOST[/SERVICE]/ACTION: a command for the engine (write). */
static int
route_command(struct web_req *r, char **parts, size_t n)
{
	size_t i;

	for (i = 0; n >= 3 && i < sizeof(api_actions) / sizeof(api_actions[0]); i++)
		if (strcmp(parts[n - 1], api_actions[i]) == 0)
			break;
	if (n < 3 || strcmp(parts[0], "checks") != 0 ||
	    i == sizeof(api_actions) / sizeof(api_actions[0]))
		return -1;
	r->action = api_actions[i];
	if (needs(r, SCOPE_WRITE, r->action) < 0)
		return 1;
	r->args[0] = xstrdup(parts[1]);
	r->args[1] = n == 4 ? xstrdup(parts[2]) : NULL;
	r->handler = strcmp(r->action, "result") == 0 ? api_result : api_command;
	r->slow = 1;
	return 0;
}

/* 0 routed, 1 answered (an error), -1 no such endpoint. */
static int
route(struct web_req *r, char **parts, size_t n)
{
	if (r->method == 'P') {
		if (n == 1 && strcmp(parts[0], "reload") == 0) {
			if (needs(r, SCOPE_ADMIN, "reload") < 0)
				return 1;
			r->action = "reload";
			r->handler = api_reload;
			r->slow = 1;
			return 0;
		}
		/* switches/SWITCH/disable|enable: for every check (admin) */
		if (n == 3 && strcmp(parts[0], "switches") == 0 && msg_switch_parse(parts[1]) != 0 &&
		    (strcmp(parts[2], "disable") == 0 || strcmp(parts[2], "enable") == 0)) {
			if (needs(r, SCOPE_ADMIN, "a global switch") < 0)
				return 1;
			r->action = strcmp(parts[2], "disable") == 0 ? "disable" : "enable";
			r->args[0] = NULL;
			r->args[1] = xstrdup(parts[1]);
			r->handler = api_command;
			r->slow = 1;
			return 0;
		}
		return route_command(r, parts, n);
	}
	if (r->method == 'D') {
		if (n != 2 || strcmp(parts[0], "downtimes") != 0)
			return -1;
		if (needs(r, SCOPE_WRITE, "cancelling a downtime") < 0)
			return 1;
		r->action = "cancel";
		r->args[0] = xstrdup(parts[1]);
		r->handler = api_cancel;
		r->slow = 1;
		return 0;
	}
	if (r->token_bad || (r->who == NULL && !r->w->anonymous_read)) {
		web_error(r, 401, "unauthorized", r->w->tokens == NULL ?
		    "no token file (http api_token_file): nothing but /api/v1/health "
		    "is served" : "a token is needed: Authorization: Bearer TOKEN");
		return 1;
	}
	if (strcmp(parts[0], "checks") == 0)
		return n == 1 ? ((r->handler = api_checks), 0) : route_check_read(r, parts, n);
	if (strcmp(parts[0], "groups") == 0 && n <= 2) {
		r->handler = n == 1 ? api_groups : api_group;
		r->args[0] = n == 2 ? xstrdup(parts[1]) : NULL;
		return 0;
	}
	if (n > 1)
		return -1;
	r->handler = strcmp(parts[0], "workers") == 0 ? api_workers :
	    strcmp(parts[0], "notifications") == 0 ? api_notifications :
	    strcmp(parts[0], "downtimes") == 0 ? api_downtimes : NULL;
	return r->handler != NULL ? 0 : -1;
}

int
api_route(struct web_req *r)
{
	char copy[WEB_PATH_MAX], *parts[API_PARTS_MAX];
	size_t n;
	int rc;

	if (r->method == 'G' && strcmp(r->path, "/metrics") == 0) {
		/* Prometheus: the reads' tokens (a bearer token it can send) */
		if (r->token_bad || (r->who == NULL && !r->w->anonymous_read)) {
			web_error(r, 401, "unauthorized", "a token is needed: Authorization: Bearer TOKEN");
			return -1;
		}
		r->handler = api_metrics;
		return 0;
	}
	if (strncmp(r->path, "/api/v1/", 8) != 0) {
		web_error(r, 404, "not found", "the API is under /api/v1/");
		return -1;
	}
	if (r->method == 'G' && strcmp(r->path + 8, "health") == 0) {
		r->handler = api_health;	/* no token: load balancers ask it */
		return 0;
	}
	if (split_path(r->path + 8, copy, sizeof(copy), parts, &n) < 0 ||
	    (rc = route(r, parts, n)) < 0) {
		web_error(r, 404, "not found", r->method == 'P' ? "commands are POST /api/v1/"
		    "checks/HOST[/SERVICE]/ack|unack|downtime|notify|recheck|result|disable|enable, "
		    "POST /api/v1/switches/SWITCH/disable|enable and POST /api/v1/reload" : r->method == 'D' ? "DELETE /api/v1/downtimes/ID" :
		    "no such endpoint");
		return -1;
	}
	return rc == 0 ? 0 : -1;
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
	mqcli_close(t->mq);
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
	double t0;

	api_self = t;
	if (pc == NULL && r->handler != api_health) {
		web_error(r, 503, "unavailable", "PostgreSQL does not answer");
		log_warn("api request path=%s: postgres down: %s", r->path, err);
		return;
	}
	t0 = util_now();
	r->handler(r, pc);
	log_debug("api request method=%c path=%s status=%d bytes=%zu ms=%.1f who=%s from=%s",
	    r->method, r->path, r->status, r->body.len, (util_now() - t0) * 1000,
	    r->who != NULL ? r->who : "-", r->source);
	/* A statement that failed on a lost connection: reconnect next time. */
	if (t->pc != NULL && PQstatus(t->pc) != CONNECTION_OK) {
		PQfinish(t->pc);
		t->pc = NULL;
	}
}

/* ---- what the endpoints share -------------------------------------------- */

int
api_publish(const char *what, const char *key, const char *body, char *err, size_t errlen)
{
	struct api_thread *t = api_self;
	const struct config *cfg = t->w->d->cfg;
	char exchange[256];

	topology_name(exchange, sizeof(exchange), cfg->prefix, what);
	/* The connection kept may have gone (a broker restart): once more
	 * on a new one. */
	for (int attempt = 0; attempt < 2; attempt++) {
		if (t->mq == NULL &&
		    (t->mq = mqcli_open(config_amqp_url(cfg, "web"), 10, err, errlen)) == NULL)
			return -1;
		mqcli_set_auth(t->mq, t->w->d->auth);
		if (mqcli_send(t->mq, exchange, key, body, strlen(body), err, errlen) == 0)
			return 0;
		mqcli_close(t->mq);
		t->mq = NULL;
	}
	return -1;
}


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

/*
 * A glob (fnmatch's *, ? and [...]) as an anchored POSIX regular
 * expression for PostgreSQL's ~: every other character stands for
 * itself. NULL if the glob is not one (an unclosed or reversed range).
 */
/* One literal character of a glob in a regular expression: escaped
 * unless a letter or digit (or a byte of a UTF-8 sequence). */
static void
re_char(struct strbuf *b, const char *p)
{
	unsigned char ch = (unsigned char)*p;

	if (!isalnum(ch) && ch < 0x80)
		strbuf_add(b, "\\", 1);
	strbuf_add(b, p, 1);
}

static char *
glob_regex(const char *g)
{
	struct strbuf b = { 0 };

	strbuf_add(&b, "^", 1);
	for (const char *p = g; *p != '\0'; p++) {
		if (*p == '*')
			strbuf_adds(&b, ".*");
		else if (*p == '?')
			strbuf_add(&b, ".", 1);
		else if (*p == '[') {
			const char *q = p + 1;

			strbuf_add(&b, "[", 1);
			if (*q == '!' || *q == '^') {
				strbuf_add(&b, "^", 1);
				q++;
			}
			for (const char *first = q; *q != '\0' && (*q != ']' || q == first); q++) {
				re_char(&b, q);
				if (q[1] == '-' && q[2] != ']' && q[2] != '\0') {
					if ((unsigned char)q[2] < (unsigned char)*q)
						break;	/* a reversed range */
					strbuf_add(&b, "-", 1);
					re_char(&b, q + 2);
					q += 2;
				}
			}
			if (*q != ']') {
				strbuf_clear(&b);
				return NULL;
			}
			strbuf_add(&b, "]", 1);
			p = q;
		} else
			re_char(&b, p);
	}
	strbuf_add(&b, "$", 1);
	return b.s;
}

int
api_glob_regex(const char *glob, char **re)
{
	*re = strlen(glob) <= API_GLOB_MAX ? glob_regex(glob) : NULL;
	return *re != NULL ? 0 : -1;
}

int
api_param_glob(struct web_req *r, const char *name, char **re)
{
	const char *s = web_param(r, name);
	char d[160];

	*re = NULL;
	if (s == NULL)
		return 0;
	if (*s != '\0' && strlen(s) <= API_GLOB_MAX && (*re = glob_regex(s)) != NULL)
		return 0;
	snprintf(d, sizeof(d), "%s: expected a name or a glob (*, ?, [a-z]) of at most %d "
	    "characters", name, API_GLOB_MAX);
	web_error(r, 400, "bad parameter", d);
	return -1;
}

int
api_param_time(struct web_req *r, const char *name, char *epoch, size_t len)
{
	const char *s = web_param(r, name);
	char d[160];
	double t;

	if (s == NULL)
		return 0;
	if (api_rfc3339(s, &t) == 0) {
		snprintf(epoch, len, "%.0f", t);
		return 1;
	}
	snprintf(d, sizeof(d), "%s: expected an RFC 3339 time (2026-12-06T10:00:00Z)", name);
	web_error(r, 400, "bad parameter", d);
	return -1;
}

int
api_group_exists(struct web_req *r, PGconn *pc, const char *name)
{
	const char *params[1] = { name };
	char err[512];
	PGresult *res = pg_query(pc, "SELECT 1 FROM groups WHERE name = $1", 1, params, err,
	    sizeof(err));
	int found;

	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api group: %s", err);
		return -1;
	}
	found = PQntuples(res) == 1;
	PQclear(res);
	if (!found)
		web_error(r, 404, "not found", "no such group");
	return found;
}

/* "2026-12-06T10:00:00Z", with fractions or a +HH:MM / -HH:MM offset:
 * epoch seconds. 0 or -1. */
int
api_rfc3339(const char *s, double *t)
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
	if ((rest[0] != '+' && rest[0] != '-') || strlen(rest) != 6 ||
	    sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2)
		return -1;
	sign = rest[0] == '+' ? 1 : -1;
	*t -= sign * (hh * 3600 + mm * 60);
	return 0;
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
	t = util_time_t(atof(epoch));
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

