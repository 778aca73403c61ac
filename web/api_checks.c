/*
 * NAME
 *	api_checks - GET /api/v1/checks and /api/v1/checks/HOST[/SERVICE]
 * DESCRIPTION
 *	The check list (filters, the after cursor) and one check, from
 *	query_status(); see api.c for the endpoints' list.
 */
#include "web_private.h"

#include "jsonw.h"
#include "log.h"
#include "query.h"
#include "result.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fnmatch.h>
#include <strings.h>

#define API_LIMIT_DEFAULT 500

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
	int state = api_val(res, i, 2) != NULL ? atoi(api_val(res, i, 2)) : STATE_PENDING;
	const char *s;

	strbuf_adds(b, "{\"host\":");
	jsonw_string(b, api_val(res, i, 0));
	strbuf_adds(b, ",\"service\":");
	jsonw_string(b, api_val(res, i, 1));
	strbuf_adds(b, ",\"state\":");
	jsonw_string(b, result_state_name(state, is_host));
	strbuf_adds(b, ",\"state_type\":");
	jsonw_string(b, api_val(res, i, 3) != NULL && atoi(api_val(res, i, 3)) == 0 ? "SOFT" : "HARD");
	strbuf_adds(b, ",\"attempt\":");
	jsonw_int(b, api_val(res, i, 4) != NULL ? atoi(api_val(res, i, 4)) : 1);
	strbuf_adds(b, ",\"max_attempts\":");
	jsonw_int(b, atoi(api_val(res, i, 5)));
	strbuf_adds(b, ",\"output\":");
	jsonw_string(b, (s = api_val(res, i, 6)) != NULL ? s : "");
	strbuf_adds(b, ",\"long_output\":");
	jsonw_string(b, (s = api_val(res, i, 9)) != NULL ? s : "");
	strbuf_adds(b, ",\"perfdata\":");
	jsonw_string(b, (s = api_val(res, i, 10)) != NULL ? s : "");
	strbuf_adds(b, ",\"last_check\":");
	jsonw_string(b, api_val(res, i, 7));
	strbuf_adds(b, ",\"next_check\":");
	jsonw_string(b, api_val(res, i, 12));
	strbuf_adds(b, ",\"latency_ms\":");
	ms_json(b, api_val(res, i, 13));
	strbuf_adds(b, ",\"duration_ms\":");
	ms_json(b, api_val(res, i, 14));
	strbuf_adds(b, ",\"pool\":");
	jsonw_string(b, api_val(res, i, 11));
	strbuf_adds(b, ",\"acknowledged\":");
	jsonw_bool(b, api_val(res, i, 16)[0] == 't');
	strbuf_adds(b, ",\"in_downtime\":");
	jsonw_bool(b, api_val(res, i, 17)[0] == 't');
	strbuf_adds(b, ",\"flapping\":");
	jsonw_bool(b, api_val(res, i, 18)[0] == 't');
	if (api_val(res, i, 19) != NULL) {
		strbuf_adds(b, ",\"ack\":{\"author\":");
		jsonw_string(b, api_val(res, i, 19));
		strbuf_adds(b, ",\"comment\":");
		jsonw_string(b, (s = api_val(res, i, 20)) != NULL ? s : "");
		strbuf_add(b, "}", 1);
	}
	if ((s = api_val(res, i, 15)) != NULL) {
		strbuf_adds(b, ",\"locations\":");
		strbuf_adds(b, s);	/* PostgreSQL's own JSON */
	}
	strbuf_add(b, "}", 1);
}

/* "host/service" (a host check: "host/") of row i, the cursor's form. */
static char *
row_key(PGresult *res, int i)
{
	return xasprintf("%s/%s", api_val(res, i, 0), api_val(res, i, 1) != NULL ? api_val(res, i, 1) : "");
}

/*
 * Row i comes at or before the cursor "host/service" in query_status()'s
 * order: host, then the host check, then services, bytewise (host names
 * have no '/').
 */
static int
row_not_after(PGresult *res, int i, const char *cursor)
{
	const char *slash = strchr(cursor, '/'), *svc = api_val(res, i, 1);
	size_t hlen = slash != NULL ? (size_t)(slash - cursor) : strlen(cursor);
	const char *csvc = slash != NULL ? slash + 1 : "";
	const char *host = api_val(res, i, 0);
	int c = strncmp(host, cursor, hlen);

	if (c == 0 && host[hlen] != '\0')
		c = 1;		/* longer: after */
	if (c != 0)
		return c < 0;
	if (svc == NULL)	/* the host check comes first */
		return 1;
	return *csvc != '\0' && strcmp(svc, csvc) <= 0;
}

static int
state_named(const char *name, int state, int is_host)
{
	return strcasecmp(name, result_state_name(state, is_host)) == 0;
}

void
api_checks(struct web_req *r, PGconn *pc)
{
	const char *host = web_param(r, "host"), *service = web_param(r, "service");
	const char *state = web_param(r, "state"), *after = web_param(r, "after");
	int limit, n = 0, last = -1, host_up = 1, problems, unhandled;
	char err[512];
	PGresult *res;

	if (api_param_limit(r, API_LIMIT_DEFAULT, &limit) < 0 ||
	    api_param_flag(r, "problems", &problems) < 0 ||
	    api_param_flag(r, "unhandled", &unhandled) < 0)
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
		int st = api_val(res, i, 2) != NULL ? atoi(api_val(res, i, 2)) : STATE_PENDING;

		/* A host's own check comes first: its services follow. */
		if (is_host)
			host_up = st <= 0;
		else if (i == 0 || strcmp(api_val(res, i - 1, 0), api_val(res, i, 0)) != 0)
			host_up = 1;	/* a host without a check is up */
		if (unhandled && (st <= 0 || api_val(res, i, 16)[0] == 't' ||
		    api_val(res, i, 17)[0] == 't' || (!is_host && !host_up)))
			continue;
		if (after != NULL && row_not_after(res, i, after))
			continue;
		if (host != NULL && fnmatch(host, api_val(res, i, 0), 0) != 0)
			continue;
		if (service != NULL && (is_host || fnmatch(service, api_val(res, i, 1), 0) != 0))
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

void
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
		const char *svc = api_val(res, i, 1);

		if (strcmp(api_val(res, i, 0), r->args[0]) != 0)
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

