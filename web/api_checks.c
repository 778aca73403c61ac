/*
 * NAME
 *	api_checks - GET /api/v1/checks, /api/v1/checks/HOST[/SERVICE] and
 *	its history and perfdata
 * DESCRIPTION
 *	The check list, filtered and paged by PostgreSQL (query_checks(): a
 *	keyset page, so the hundredth page costs what the first does), one
 *	check in full, its state changes and its perfdata in buckets; see
 *	api.c for the endpoints' list.
 */
#include "web_private.h"
#include "msg.h"

#include "jsonw.h"
#include "log.h"
#include "query.h"
#include "result.h"
#include "util.h"
#include "xalloc.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_LIMIT_DEFAULT 500
#define API_HISTORY_DEFAULT 100
#define API_CHECK_NOTIFICATIONS 10	/* the latest, in one check's view */
#define API_BUCKETS_DEFAULT 300		/* perfdata: step chosen for about this many */
#define API_BUCKETS_MAX 10000

/* A number to a tenth (milliseconds, percentages): never 17 digits of
 * noise. null for none. */
static void
tenth_json(struct strbuf *b, const char *s)
{
	char buf[64];

	if (s == NULL) {
		strbuf_adds(b, "null");
		return;
	}
	snprintf(buf, sizeof(buf), "%.1f", atof(s));
	strbuf_adds(b, buf);
}

static int
row_is_host(PGresult *res, int i)
{
	return PQgetisnull(res, i, 1);
}

static int
row_state(PGresult *res, int i)
{
	return api_val(res, i, 2) != NULL ? atoi(api_val(res, i, 2)) : STATE_PENDING;
}

static void
field(struct strbuf *b, const char *name)
{
	strbuf_add(b, ",\"", 2);
	strbuf_adds(b, name);
	strbuf_add(b, "\":", 2);
}

/*
 * A multi-location check's locations (query.h's JSON, each with its
 * plugin's status) as the API shows them: each location's state by name,
 * as its check's kind names it (a host's plugin status 0-1 is UP).
 */
static void
locations_json(struct strbuf *b, const char *text, int is_host)
{
	json_t *in = json_loads(text, 0, NULL), *l;
	size_t k;

	strbuf_add(b, "[", 1);
	json_array_foreach(in, k, l) {
		json_t *st = json_object_get(l, "status");
		int s = json_is_integer(st) ? (int)json_integer_value(st) : STATE_PENDING;

		if (is_host && s != STATE_PENDING)
			s = s <= STATUS_WARNING ? HOST_UP : HOST_DOWN;
		if (k > 0)
			strbuf_add(b, ",", 1);
		strbuf_adds(b, "{\"pool\":");
		jsonw_string(b, json_string_value(json_object_get(l, "pool")));
		field(b, "state");
		jsonw_string(b, result_state_name(s, is_host));
		field(b, "output");
		jsonw_string(b, json_string_value(json_object_get(l, "output")));
		field(b, "last_check");
		jsonw_string(b, json_string_value(json_object_get(l, "last_check")));
		field(b, "worker");
		jsonw_string(b, json_string_value(json_object_get(l, "worker")));
		strbuf_add(b, "}", 1);
	}
	strbuf_add(b, "]", 1);
	json_decref(in);
}

/* Row i of query_checks() as the API's check object, without the closing
 * brace (the one-check view adds to it). */
static void
check_fields(struct strbuf *b, PGresult *res, int i)
{
	const char *s;

	strbuf_adds(b, "{\"host\":");
	jsonw_string(b, api_val(res, i, 0));
	field(b, "service");
	jsonw_string(b, api_val(res, i, 1));
	field(b, "state");
	jsonw_string(b, result_state_name(row_state(res, i), row_is_host(res, i)));
	field(b, "state_type");
	jsonw_string(b, api_val(res, i, 3) != NULL && atoi(api_val(res, i, 3)) == 0 ? "SOFT" :
	    "HARD");
	field(b, "attempt");
	jsonw_int(b, api_val(res, i, 4) != NULL ? atoi(api_val(res, i, 4)) : 1);
	field(b, "max_attempts");
	jsonw_int(b, atoi(api_val(res, i, 5)));
	field(b, "output");
	jsonw_string(b, (s = api_val(res, i, 6)) != NULL ? s : "");
	field(b, "long_output");
	jsonw_string(b, (s = api_val(res, i, 7)) != NULL ? s : "");
	field(b, "perfdata");
	jsonw_string(b, (s = api_val(res, i, 8)) != NULL ? s : "");
	field(b, "last_check");
	jsonw_string(b, api_val(res, i, 9));
	field(b, "next_check");
	jsonw_string(b, api_val(res, i, 10));
	field(b, "last_state_change");
	jsonw_string(b, api_val(res, i, 11));
	field(b, "last_hard_state_change");
	jsonw_string(b, api_val(res, i, 12));
	field(b, "latency_ms");
	tenth_json(b, api_val(res, i, 13));
	field(b, "duration_ms");
	tenth_json(b, api_val(res, i, 14));
	field(b, "percent_state_change");
	tenth_json(b, api_val(res, i, 15));
	field(b, "acknowledged");
	jsonw_bool(b, api_val(res, i, 16)[0] == 't');
	field(b, "in_downtime");
	jsonw_bool(b, api_val(res, i, 17)[0] == 't');
	field(b, "flapping");
	jsonw_bool(b, api_val(res, i, 18)[0] == 't');
	field(b, "pool");
	jsonw_string(b, api_val(res, i, 19));
	field(b, "active");
	jsonw_bool(b, api_val(res, i, 24)[0] == 't');
	field(b, "passive");
	jsonw_bool(b, api_val(res, i, 25)[0] == 't');
	if (api_val(res, i, 20) != NULL) {
		field(b, "ack");
		strbuf_adds(b, "{\"author\":");
		jsonw_string(b, api_val(res, i, 20));
		strbuf_adds(b, ",\"comment\":");
		jsonw_string(b, (s = api_val(res, i, 21)) != NULL ? s : "");
		strbuf_adds(b, ",\"time\":");
		jsonw_string(b, api_val(res, i, 26));
		strbuf_add(b, "}", 1);
	}
	if ((s = api_val(res, i, 22)) != NULL) {
		field(b, "locations");
		locations_json(b, s, row_is_host(res, i));
	}
	if (atoi(api_val(res, i, 27)) != 0) {
		/* runtime switches off for this check (vigilctl disable) */
		int bits = atoi(api_val(res, i, 27)), first = 1;

		field(b, "disabled");
		strbuf_adds(b, "{\"switches\":[");
		for (unsigned bit = 1; bit <= SWITCH_ALL; bit <<= 1)
			if ((bits & (int)bit) && msg_switch_name(bit) != NULL) {
				if (!first)
					strbuf_add(b, ",", 1);
				jsonw_string(b, msg_switch_name(bit));
				first = 0;
			}
		strbuf_adds(b, "],\"by\":");
		jsonw_string(b, api_val(res, i, 28));
		strbuf_adds(b, ",\"comment\":");
		jsonw_string(b, api_val(res, i, 29));
		strbuf_add(b, "}", 1);
	}
}

void
api_check_json(struct strbuf *b, PGresult *res, int i)
{
	check_fields(b, res, i);
	strbuf_add(b, "}", 1);
}

/* state=NAME into the filter; 0, or -1 with a 400. */
static int
state_param(struct web_req *r, struct query_filter *f)
{
	static const struct {
		const char *name;
		int state, host;
	} names[] = {
		{ "OK", 0, 0 }, { "WARNING", 1, 0 }, { "CRITICAL", 2, 0 }, { "UNKNOWN", 3, 0 },
		{ "UP", 0, 1 }, { "DOWN", 1, 1 }, { "UNREACHABLE", 2, 1 }, { "PENDING", -1, 0 },
	};
	const char *s = web_param(r, "state");

	if (s == NULL)
		return 0;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strcasecmp(s, names[k].name) == 0) {
			f->has_state = 1;
			f->state = names[k].state;
			f->state_host = names[k].host;
			return 0;
		}
	web_error(r, 400, "bad parameter", "state: expected OK, WARNING, CRITICAL, UNKNOWN, UP, "
	    "DOWN, UNREACHABLE or PENDING");
	return -1;
}

void
api_checks(struct web_req *r, PGconn *pc)
{
	const char *after = web_param(r, "after"), *group = web_param(r, "group");
	struct query_filter f;
	char *host_re = NULL, *service_re = NULL, *after_host = NULL, err[512];
	const char *slash;
	PGresult *res = NULL;
	int n;

	memset(&f, 0, sizeof(f));
	if (api_param_limit(r, API_LIMIT_DEFAULT, &f.limit) < 0 ||
	    api_param_flag(r, "problems", &f.problems) < 0 ||
	    api_param_flag(r, "unhandled", &f.unhandled) < 0 || state_param(r, &f) < 0 ||
	    api_param_glob(r, "host", &host_re) < 0 || api_param_glob(r, "service", &service_re) < 0)
		goto out;
	if (after != NULL) {
		if ((slash = strchr(after, '/')) == NULL || slash == after) {
			web_error(r, 400, "bad parameter", "after: expected the \"next\" of the page "
			    "before (HOST/SERVICE)");
			goto out;
		}
		after_host = xstrndup(after, (size_t)(slash - after));
		f.after_host = after_host;
		f.after_service = slash + 1;
	}
	if (group != NULL && api_group_exists(r, pc, group) <= 0)
		goto out;
	f.host_re = host_re;
	f.service_re = service_re;
	f.group = group;
	f.limit++;	/* one more: is there a next page? */
	if ((res = query_checks(pc, &f, err, sizeof(err))) == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api checks: %s", err);
		goto out;
	}
	n = PQntuples(res);
	r->status = 200;
	strbuf_adds(&r->body, "{\"checks\":[");
	for (int i = 0; i < n && i < f.limit - 1; i++) {
		if (i > 0)
			strbuf_add(&r->body, ",", 1);
		api_check_json(&r->body, res, i);
	}
	strbuf_adds(&r->body, "],\"next\":");
	if (n == f.limit) {
		/* the page ends at its last check: "host/service", "host/" for
		 * a host check */
		char *k = xasprintf("%s/%s", api_val(res, n - 2, 0), row_is_host(res, n - 2) ? "" :
		    api_val(res, n - 2, 1));

		jsonw_string(&r->body, k);
		free(k);
	} else
		strbuf_adds(&r->body, "null");
	strbuf_add(&r->body, "}", 1);
out:
	if (res != NULL)
		PQclear(res);
	free(host_re);
	free(service_re);
	free(after_host);
}

/*
 * The check of the path (r->args), its id into id; 0, or -1 with a 404
 * or 503. *res is the row (query_check()), the caller clears it.
 */
int
api_find_check(struct web_req *r, PGconn *pc, PGresult **res, char *id, size_t idlen)
{
	char err[512];

	*res = query_check(pc, r->args[0], r->args[1], err, sizeof(err));
	if (*res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api check: %s", err);
		return -1;
	}
	if (PQntuples(*res) != 1) {
		PQclear(*res);
		*res = NULL;
		web_error(r, 404, "not found", r->args[1] != NULL ? "no such service on that host" :
		    "no such host check");
		return -1;
	}
	snprintf(id, idlen, "%s", api_val(*res, 0, 23));
	return 0;
}

/* One downtime of query_downtimes() as JSON. */
void
api_downtime_json(struct strbuf *b, PGresult *res, int i)
{
	strbuf_adds(b, "{\"id\":");
	jsonw_string(b, api_val(res, i, 0));
	field(b, "host");
	jsonw_string(b, api_val(res, i, 1));
	field(b, "service");
	jsonw_string(b, api_val(res, i, 2));
	field(b, "start");
	jsonw_string(b, api_val(res, i, 3));
	field(b, "end");
	jsonw_string(b, api_val(res, i, 4));
	field(b, "fixed");
	jsonw_bool(b, api_val(res, i, 5)[0] == 't');
	field(b, "duration_s");
	jsonw_int(b, atoi(api_val(res, i, 6)));
	field(b, "author");
	jsonw_string(b, api_val(res, i, 7));
	field(b, "comment");
	jsonw_string(b, api_val(res, i, 8));
	field(b, "created");
	jsonw_string(b, api_val(res, i, 9));
	field(b, "started");
	jsonw_string(b, api_val(res, i, 10));
	strbuf_add(b, "}", 1);
}

/* One check in full: its state, locations, acknowledgement, downtimes and
 * latest notifications. */
void
api_check(struct web_req *r, PGconn *pc)
{
	PGresult *res, *dts = NULL, *ns = NULL;
	char id[32], err[512];
	struct strbuf *b = &r->body;

	if (api_find_check(r, pc, &res, id, sizeof(id)) < 0)
		return;
	if ((dts = query_downtimes(pc, NULL, NULL, NULL, id, err, sizeof(err))) == NULL ||
	    (ns = query_check_notifications(pc, id, API_CHECK_NOTIFICATIONS, err,
	    sizeof(err))) == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api check: %s", err);
		goto out;
	}
	r->status = 200;
	check_fields(b, res, 0);
	strbuf_adds(b, ",\"downtimes\":[");
	for (int i = 0; i < PQntuples(dts); i++) {
		if (i > 0)
			strbuf_add(b, ",", 1);
		api_downtime_json(b, dts, i);
	}
	strbuf_adds(b, "],\"notifications\":[");
	for (int i = 0; i < PQntuples(ns); i++) {
		const char *st = api_val(ns, i, 4);

		if (i > 0)
			strbuf_add(b, ",", 1);
		strbuf_adds(b, "{\"id\":");
		jsonw_string(b, api_val(ns, i, 0));
		field(b, "time");
		jsonw_string(b, api_val(ns, i, 1));
		field(b, "type");
		jsonw_string(b, api_val(ns, i, 2));
		field(b, "number");
		jsonw_int(b, atoi(api_val(ns, i, 3)));
		field(b, "state");
		if (st != NULL)
			jsonw_string(b, result_state_name(atoi(st), r->args[1] == NULL));
		else
			strbuf_adds(b, "null");
		field(b, "output");
		jsonw_string(b, api_val(ns, i, 5));
		field(b, "contacts");
		strbuf_adds(b, api_val(ns, i, 6));	/* PostgreSQL's own JSON */
		field(b, "escalated");
		jsonw_bool(b, api_val(ns, i, 7)[0] == 't');
		field(b, "author");
		jsonw_string(b, api_val(ns, i, 8));
		field(b, "comment");
		jsonw_string(b, api_val(ns, i, 9));
		strbuf_add(b, "}", 1);
	}
	strbuf_adds(b, "]}");
out:
	PQclear(res);
	if (dts != NULL)
		PQclear(dts);
	if (ns != NULL)
		PQclear(ns);
}

/* GET …/history?since=&until=&limit=&before=: state changes, newest first. */
void
api_history(struct web_req *r, PGconn *pc)
{
	const char *before = web_param(r, "before");
	char id[32], since[32], until[32], err[512];
	int limit, has_since, has_until, n;
	PGresult *chk, *res;
	struct strbuf *b = &r->body;

	if (api_param_limit(r, API_HISTORY_DEFAULT, &limit) < 0 ||
	    (has_since = api_param_time(r, "since", since, sizeof(since))) < 0 ||
	    (has_until = api_param_time(r, "until", until, sizeof(until))) < 0)
		return;
	if (before != NULL && (*before == '\0' || strlen(before) > 18 ||
	    strspn(before, "0123456789") != strlen(before))) {
		web_error(r, 400, "bad parameter", "before: expected the \"next\" of the page "
		    "before");
		return;
	}
	if (api_find_check(r, pc, &chk, id, sizeof(id)) < 0)
		return;
	PQclear(chk);
	res = query_history(pc, id, has_since ? since : NULL, has_until ? until : NULL, before,
	    limit + 1, err, sizeof(err));
	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api history: %s", err);
		return;
	}
	n = PQntuples(res);
	r->status = 200;
	strbuf_adds(b, "{\"history\":[");
	for (int i = 0; i < n && i < limit; i++) {
		const char *old = api_val(res, i, 5);

		if (i > 0)
			strbuf_add(b, ",", 1);
		strbuf_adds(b, "{\"time\":");
		jsonw_string(b, api_val(res, i, 1));
		field(b, "state");
		jsonw_string(b, result_state_name(atoi(api_val(res, i, 2)), r->args[1] == NULL));
		field(b, "state_type");
		jsonw_string(b, atoi(api_val(res, i, 3)) == 0 ? "SOFT" : "HARD");
		field(b, "attempt");
		jsonw_int(b, atoi(api_val(res, i, 4)));
		field(b, "old_state");
		jsonw_string(b, result_state_name(old != NULL ? atoi(old) : STATE_PENDING,
		    r->args[1] == NULL));
		field(b, "hard_change");
		jsonw_bool(b, api_val(res, i, 6)[0] == 't');
		field(b, "output");
		jsonw_string(b, api_val(res, i, 7));
		strbuf_add(b, "}", 1);
	}
	strbuf_adds(b, "],\"next\":");
	if (n > limit)
		jsonw_string(b, api_val(res, limit - 1, 0));
	else
		strbuf_adds(b, "null");
	strbuf_add(b, "}", 1);
	PQclear(res);
}

/* A double as JSON: at most 10 significant digits, null for none. */
static void
number_json(struct strbuf *b, const char *s)
{
	char buf[64];
	double v;

	if (s == NULL || !isfinite(v = atof(s))) {
		strbuf_adds(b, "null");
		return;
	}
	snprintf(buf, sizeof(buf), "%.10g", v);
	strbuf_adds(b, buf);
}

/*
 * GET …/perfdata?label=&since=&until=&step=: each label's values in
 * buckets of step seconds (min, max, avg, how many), so a week of
 * one-second data is a few hundred points. Defaults: the last 24 hours,
 * a step giving about API_BUCKETS_DEFAULT buckets.
 */
void
api_perfdata(struct web_req *r, PGconn *pc)
{
	const char *label = web_param(r, "label"), *step_s = web_param(r, "step");
	char id[32], since_s[32], until_s[32], err[512], t[32];
	double since, until;
	int has_since, has_until, step, series = 0;
	PGresult *chk, *res;
	struct strbuf *b = &r->body;

	if ((has_since = api_param_time(r, "since", since_s, sizeof(since_s))) < 0 ||
	    (has_until = api_param_time(r, "until", until_s, sizeof(until_s))) < 0)
		return;
	until = has_until ? atof(until_s) : ceil(util_now());
	since = has_since ? atof(since_s) : until - 86400;
	if (since >= until) {
		web_error(r, 400, "bad parameter", "since: must come before until");
		return;
	}
	if (step_s != NULL) {
		if ((step = api_number(step_s, 365 * 86400)) < 0) {
			web_error(r, 400, "bad parameter", "step: expected seconds, a whole number "
			    "from 1");
			return;
		}
		if ((until - since) / step > API_BUCKETS_MAX) {
			web_error(r, 400, "bad parameter", "step: too small for the range (at most "
			    "10000 buckets)");
			return;
		}
	} else
		step = (int)fmax(1, ceil((until - since) / API_BUCKETS_DEFAULT));
	if (api_find_check(r, pc, &chk, id, sizeof(id)) < 0)
		return;
	PQclear(chk);
	if ((res = query_perfdata(pc, id, since, until, step, label, err, sizeof(err))) == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api perfdata: %s", err);
		return;
	}
	r->status = 200;
	strbuf_adds(b, "{\"since\":");
	snprintf(t, sizeof(t), "%.0f", since);
	api_time_json(b, t);
	strbuf_adds(b, ",\"until\":");
	snprintf(t, sizeof(t), "%.0f", until);
	api_time_json(b, t);
	strbuf_adds(b, ",\"step\":");
	jsonw_int(b, step);
	strbuf_adds(b, ",\"series\":[");
	for (int i = 0; i < PQntuples(res); i++) {
		int first = i == 0 || strcmp(api_val(res, i, 0), api_val(res, i - 1, 0)) != 0;

		if (first) {
			if (series++ > 0)
				strbuf_adds(b, "]},");
			strbuf_adds(b, "{\"label\":");
			jsonw_string(b, api_val(res, i, 0));
			strbuf_adds(b, ",\"uom\":");
			jsonw_string(b, api_val(res, i, 1));
			strbuf_adds(b, ",\"points\":[");
		} else
			strbuf_add(b, ",", 1);
		strbuf_adds(b, "{\"time\":");
		api_time_json(b, api_val(res, i, 2));
		strbuf_adds(b, ",\"min\":");
		number_json(b, api_val(res, i, 3));
		strbuf_adds(b, ",\"max\":");
		number_json(b, api_val(res, i, 4));
		strbuf_adds(b, ",\"avg\":");
		number_json(b, api_val(res, i, 5));
		strbuf_adds(b, ",\"count\":");
		strbuf_adds(b, api_val(res, i, 6));
		strbuf_add(b, "}", 1);
	}
	strbuf_adds(b, series > 0 ? "]}]}" : "]}");
	PQclear(res);
}
