/*
 * NAME
 *	it_web - vigil-web end to end: real PostgreSQL, RabbitMQ, engine
 * DESCRIPTION
 *	An engine runs 40 passive checks (4 hosts with a host check and 9
 *	services each), results go in through vigilctl submit, and vigil-web
 *	answers over real HTTP (libcurl): /api/v1/health with each part's
 *	state (and 503 once the engine is gone), tokens (none, wrong, a read
 *	one), the check list with its filters, pagination through every check
 *	exactly once, one check, and the errors: 400 naming the parameter,
 *	404, 405, and hostile parameter values that change nothing.
 * DIAGNOSTICS
 *	A failing test prints the daemons' logs.
 */
#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itutil.h"
#include "strbuf.h"
#include "tests/testutil.h"
#include "web/tokens.h"
#include "webtest.h"
#include "xalloc.h"

#define READ_TOKEN "r3ad-t0ken-for-the-tests"
#define WRITE_TOKEN "wr1te-t0ken-for-the-tests"

static struct it_env env;
static pid_t engine, web;
static int port;
static const char *cfg;

static void
setup_all(void)
{
	struct strbuf y = { 0 };
	char hr[65], hw[65], *tokens, *extra, *tf;
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	it_env_init(&env, "web");
	tokens_hash_hex(READ_TOKEN, hr);
	tokens_hash_hex(WRITE_TOKEN, hw);
	tokens = xasprintf("# the API's tokens\nreader read %s\n\nops write %s\n", hr, hw);
	tf = tu_write_file(env.dir, "tokens", tokens);
	chmod(tf, 0600);
	port = it_free_port();
	wt_init(&env, port);
	extra = xasprintf("http: 127.0.0.1:%d\napi_token_file: %s\n", port, tf);
	strbuf_adds(&y, "commands: {c: [/bin/true]}\n"
	    "groups:\n  all: {title: Everything, hosts: [\"web-*\"]}\n"
	    "  front: {parents: all, hosts: [\"web-0[12]\"]}\n"
	    "contacts:\n  alice: {email: alice@test.example}\n"
	    "templates:\n  p: {command: c, active: false, notify: alice}\nhosts:\n");
	for (int h = 1; h <= 4; h++) {
		char line[128];

		snprintf(line, sizeof(line), "  web-%02d:\n    use: p\n    services:\n", h);
		strbuf_adds(&y, line);
		for (int s = 1; s <= 9; s++) {
			snprintf(line, sizeof(line), "      svc-%d: {use: p}\n", s);
			strbuf_adds(&y, line);
		}
	}
	strbuf_add(&y, "", 1);
	cfg = xstrdup(it_write_config(&env, extra, "a.yaml", y.s));
	engine = it_spawn(&env, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL });
	if (it_wait_log(&env, "engine.log", "started", 60) < 0) {
		it_dump(&env, "engine.log");
		ck_abort_msg("the engine did not start");
	}
	web = it_spawn(&env, "web.log", "web/vigil-web", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_log(&env, "web.log", "listening on", 30) < 0) {
		it_dump(&env, "web.log");
		ck_abort_msg("vigil-web did not start");
	}
	/* web-01/svc-1 CRITICAL, web-02/svc-2 WARNING, web-03 DOWN with
	 * web-03/svc-3 CRITICAL on it, the rest OK. */
	for (int h = 1; h <= 4; h++)
		for (int s = 0; s <= 9; s++) {
			char name[64], out[64];
			const char *state = "OK";

			if (s == 0)
				snprintf(name, sizeof(name), "web-%02d", h);
			else
				snprintf(name, sizeof(name), "web-%02d/svc-%d", h, s);
			if ((h == 1 && s == 1) || (h == 3 && s == 3))
				state = "CRITICAL";
			else if (h == 2 && s == 2)
				state = "WARNING";
			else if (h == 3 && s == 0)
				state = "DOWN";
			else if (s == 0)
				state = "UP";
			snprintf(out, sizeof(out), "%s - from the test", state);
			char *said = NULL;

			rc = it_run(&env, "ctl.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
			    "submit", name, state, out, NULL }, &said);
			ck_assert_msg(rc == 0, "vigilctl submit %s %s: %d: %s", name, state, rc,
			    said);
			free(said);
		}
	if (it_wait_sql(&env, "SELECT count(*) FROM check_state WHERE state IS NOT NULL"
	    " AND state >= 0", "40", 60) < 0) {
		it_dump(&env, "engine.log");
		ck_abort_msg("the 40 results were not applied");
	}
	free(tokens);
	free(extra);
	free(tf);
	free(y.s);
}

static void
teardown_all(void)
{
	it_stop(web, SIGTERM, 15);
	it_stop(engine, SIGTERM, 15);
	it_env_cleanup(&env);
	curl_global_cleanup();
}

START_TEST(health_says_every_part_is_up)
{
	json_t *j = NULL;
	char *body;
	long st = -1;

	/* the broker link comes up on its own, just after the start */
	for (int i = 0; i < 100 && st != 200; i++) {
		st = wt_http("GET", "/api/v1/health", NULL, NULL, 0, &body, NULL);
		if (st != 200)
			usleep(100000);
		free(body);
	}
	j = wt_get("/api/v1/health", NULL, 200);
	ck_assert_str_eq(wt_str(j, "status"), "ok");
	ck_assert(json_is_true(json_object_get(json_object_get(j, "postgres"), "up")));
	ck_assert(json_is_true(json_object_get(json_object_get(j, "rabbitmq"), "up")));
	ck_assert(json_is_true(json_object_get(json_object_get(j, "engine"), "leading")));
	json_decref(j);
}
END_TEST

START_TEST(reads_need_a_valid_token)
{
	char *body;
	int www = 0;
	json_t *j;

	ck_assert_int_eq(wt_http("GET", "/api/v1/checks", NULL, NULL, 0, &body, &www), 401);
	ck_assert_int_eq(www, 1);
	ck_assert_msg(strstr(body, "\"error\":\"unauthorized\"") != NULL, "%s", body);
	free(body);
	ck_assert_int_eq(wt_http("GET", "/api/v1/checks", "not-a-token", NULL, 0, &body, NULL), 401);
	free(body);
	ck_assert_int_eq(wt_http("GET", "/api/v1/checks", READ_TOKEN "x", NULL, 0, &body, NULL), 401);
	free(body);
	j = wt_get("/api/v1/checks", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 40);
	json_decref(j);
	j = wt_get("/api/v1/checks", WRITE_TOKEN, 200);	/* write can read */
	json_decref(j);
}
END_TEST

START_TEST(filters_select_what_they_say)
{
	json_t *j, *c;
	size_t i;

	j = wt_get("/api/v1/checks?problems=1", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 4);
	json_decref(j);
	/* unhandled: not web-03/svc-3, whose host is DOWN */
	j = wt_get("/api/v1/checks?unhandled=1", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 3);
	json_array_foreach(json_object_get(j, "checks"), i, c)
		ck_assert_msg(strcmp(wt_str(c, "host"), "web-03") != 0 ||
		    json_is_null(json_object_get(c, "service")), "%s/%s", wt_str(c, "host"),
		    wt_str(c, "service"));
	json_decref(j);
	j = wt_get("/api/v1/checks?unhandled=maybe", READ_TOKEN, 400);
	json_decref(j);
	j = wt_get("/api/v1/checks?state=critical", READ_TOKEN, 200);
	c = json_array_get(json_object_get(j, "checks"), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 2);
	ck_assert_str_eq(wt_str(c, "host"), "web-01");
	ck_assert_str_eq(wt_str(c, "service"), "svc-1");
	ck_assert_str_eq(wt_str(c, "state"), "CRITICAL");
	/* one passive problem result of a service: attempt 1 of 3, SOFT */
	ck_assert_str_eq(wt_str(c, "state_type"), "SOFT");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "attempt")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "max_attempts")), 3);
	ck_assert_str_eq(wt_str(c, "output"), "CRITICAL - from the test");
	/* numbers as people read them, not 17 digits: a tenth of a ms */
	{
		char *raw, *v, *dot;

		ck_assert_int_eq(wt_http("GET", "/api/v1/checks?state=critical", READ_TOKEN, NULL, 0, &raw,
		    NULL), 200);
		v = strstr(raw, "\"duration_ms\":");
		ck_assert_msg(v != NULL, "%s", raw);
		v += strlen("\"duration_ms\":");
		if (strncmp(v, "null", 4) != 0) {
			dot = strchr(v, '.');
			ck_assert_msg(dot != NULL && dot[1] >= '0' && dot[1] <= '9' &&
			    (dot[2] == ',' || dot[2] == '}'), "%.40s", v);
		}
		free(raw);
	}
	/* RFC 3339 UTC */
	ck_assert_msg(strlen(wt_str(c, "last_check")) == 20 && wt_str(c, "last_check")[10] == 'T' &&
	    wt_str(c, "last_check")[19] == 'Z', "%s", wt_str(c, "last_check"));
	json_decref(j);
	j = wt_get("/api/v1/checks?state=DOWN", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 1);
	c = json_array_get(json_object_get(j, "checks"), 0);
	ck_assert(json_is_null(json_object_get(c, "service")));
	json_decref(j);
	j = wt_get("/api/v1/checks?host=web-0%5B12%5D&service=svc-%3F", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 18);
	json_array_foreach(json_object_get(j, "checks"), i, c)
		ck_assert_msg(strcmp(wt_str(c, "host"), "web-03") < 0, "%s", wt_str(c, "host"));
	json_decref(j);
}
END_TEST

START_TEST(pages_go_through_every_check_once)
{
	char seen[64][64], path[256];
	const char *next = NULL;
	size_t n = 0, pages = 0, i, k;
	json_t *j = NULL, *c;
	char *cursor = NULL;

	do {
		if (cursor == NULL)
			snprintf(path, sizeof(path), "/api/v1/checks?limit=7");
		else {
			char *esc = curl_easy_escape(NULL, cursor, 0);

			snprintf(path, sizeof(path), "/api/v1/checks?limit=7&after=%s", esc);
			curl_free(esc);
		}
		j = wt_get(path, READ_TOKEN, 200);
		pages++;
		json_array_foreach(json_object_get(j, "checks"), i, c) {
			ck_assert_uint_lt(n, 64);
			snprintf(seen[n], sizeof(seen[n]), "%s/%s", wt_str(c, "host"),
			    json_is_null(json_object_get(c, "service")) ? "" : wt_str(c, "service"));
			for (k = 0; k < n; k++)
				ck_assert_msg(strcmp(seen[k], seen[n]) != 0, "%s twice", seen[n]);
			n++;
		}
		next = wt_str(j, "next");
		free(cursor);
		cursor = next != NULL ? xstrdup(next) : NULL;
		json_decref(j);
	} while (cursor != NULL);
	ck_assert_uint_eq(n, 40);
	ck_assert_uint_eq(pages, 6);
}
END_TEST

START_TEST(groups_come_as_a_tree_with_their_counts)
{
	json_t *j, *all, *front, *counts;

	j = wt_get("/api/v1/groups", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "groups")), 1);
	all = json_array_get(json_object_get(j, "groups"), 0);
	ck_assert_str_eq(wt_str(all, "name"), "all");
	ck_assert_str_eq(wt_str(all, "title"), "Everything");
	/* a host DOWN outranks a service CRITICAL (the rollup's order) */
	ck_assert_str_eq(wt_str(all, "worst_state"), "DOWN");
	counts = json_object_get(all, "counts");
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "critical")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "warning")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "down")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "ok")), 33);
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "up")), 3);
	front = json_array_get(json_object_get(all, "children"), 0);
	ck_assert_str_eq(wt_str(front, "name"), "front");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(front, "parents"), 0)),
	    "all");
	counts = json_object_get(front, "counts");
	ck_assert_int_eq(json_integer_value(json_object_get(counts, "ok")) +
	    json_integer_value(json_object_get(counts, "up")) +
	    json_integer_value(json_object_get(counts, "warning")) +
	    json_integer_value(json_object_get(counts, "critical")), 20);
	json_decref(j);
	j = wt_get("/api/v1/workers", READ_TOKEN, 200);
	ck_assert(json_is_array(json_object_get(j, "pools")));
	ck_assert(json_is_array(json_object_get(j, "workers")));
	json_decref(j);
	/* web-03 went HARD DOWN: one PROBLEM, one email delivery for alice
	 * (no notifier runs here: it waits in the outbox) */
	if (it_wait_sql(&env, "SELECT count(*) FROM notifications WHERE type = 'PROBLEM'", "1",
	    30) < 0)
		ck_abort_msg("no PROBLEM notification");
	j = wt_get("/api/v1/notifications?limit=10", READ_TOKEN, 200);
	{
		json_t *n = json_array_get(json_object_get(j, "notifications"), 0), *d;

		ck_assert_uint_eq(json_array_size(json_object_get(j, "notifications")), 1);
		ck_assert_str_eq(wt_str(n, "type"), "PROBLEM");
		ck_assert_str_eq(wt_str(n, "host"), "web-03");
		ck_assert(json_is_null(json_object_get(n, "service")));
		ck_assert_msg(strlen(wt_str(n, "time")) == 20, "%s", wt_str(n, "time"));
		d = json_array_get(json_object_get(n, "deliveries"), 0);
		ck_assert_uint_eq(json_array_size(json_object_get(n, "deliveries")), 1);
		ck_assert_str_eq(wt_str(d, "contact"), "alice");
		ck_assert_str_eq(wt_str(d, "channel"), "email");
		ck_assert_str_eq(wt_str(d, "address"), "alice@test.example");
	}
	json_decref(j);
	j = wt_get("/api/v1/notifications?failed=2", READ_TOKEN, 400);
	json_decref(j);
}
END_TEST

START_TEST(one_check_by_its_path)
{
	json_t *j;
	char *body;

	j = wt_get("/api/v1/checks/web-02/svc-2", READ_TOKEN, 200);
	ck_assert_str_eq(wt_str(j, "state"), "WARNING");
	json_decref(j);
	j = wt_get("/api/v1/checks/web-03", READ_TOKEN, 200);
	ck_assert_str_eq(wt_str(j, "state"), "DOWN");
	json_decref(j);
	j = wt_get("/api/v1/checks/web-02/nope", READ_TOKEN, 404);
	ck_assert_str_eq(wt_str(j, "error"), "not found");
	json_decref(j);
	j = wt_get("/api/v1/checks/no-such-host", READ_TOKEN, 404);
	json_decref(j);
	ck_assert_int_eq(wt_http("GET", "/api/v1/checks/web-02/svc-2", NULL, NULL, 0, &body, NULL), 401);
	free(body);
}
END_TEST

START_TEST(bad_requests_get_the_right_error_and_change_nothing)
{
	json_t *j;
	char *body;

	j = wt_get("/api/v1/checks?limit=0", READ_TOKEN, 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "limit") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_get("/api/v1/checks?limit=99999", READ_TOKEN, 400);
	json_decref(j);
	j = wt_get("/api/v1/checks?state=BROKEN", READ_TOKEN, 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "state") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_get("/api/v1/checks?problems=yes", READ_TOKEN, 400);
	json_decref(j);
	/* SQL in every parameter: a glob that matches nothing, or a 400 */
	j = wt_get("/api/v1/checks?host=x%27%20OR%201%3D1%20--&service=%27%3B%20DROP%20TABLE"
	    "%20checks%3B%20--", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 0);
	json_decref(j);
	j = wt_get("/api/v1/checks?after=%27%20OR%201%3D1%20--", READ_TOKEN, 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "after") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_get("/api/v1/checks?after=zz%27%3B%20DROP%20TABLE%20checks%3B--/x", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 0);
	json_decref(j);
	j = wt_get("/api/v1/checks/x%27%20OR%201%3D1%20--", READ_TOKEN, 404);
	json_decref(j);
	{
		char *n = it_sql(&env, "SELECT count(*) FROM checks");

		ck_assert_str_eq(n, "40");
		free(n);
	}
	j = wt_get("/api/v1/nothing", READ_TOKEN, 404);
	ck_assert_str_eq(wt_str(j, "error"), "not found");
	json_decref(j);
	j = wt_get("/elsewhere", NULL, 404);
	json_decref(j);
	ck_assert_int_eq(wt_http("PUT", "/api/v1/checks", READ_TOKEN, NULL, 0, &body, NULL), 405);
	free(body);
	/* and it still answers */
	j = wt_get("/api/v1/checks?problems=1", READ_TOKEN, 200);
	json_decref(j);
}
END_TEST

START_TEST(commands_need_a_write_token_and_name_it_as_the_author)
{
	json_t *j, *ack;

	j = wt_post("/api/v1/checks/web-01/svc-1/ack", NULL, "{\"comment\":\"x\"}", 401);
	json_decref(j);
	j = wt_post("/api/v1/checks/web-01/svc-1/ack", READ_TOKEN, "{\"comment\":\"x\"}",
	    403);
	ck_assert_str_eq(wt_str(j, "error"), "forbidden");
	json_decref(j);
	j = wt_post("/api/v1/checks/web-01/svc-1/ack", WRITE_TOKEN,
	    "{\"comment\":\"on it\",\"sticky\":true,\"author\":\"somebody else\"}", 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "author") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_post("/api/v1/checks/web-01/svc-1/ack", WRITE_TOKEN,
	    "{\"comment\":\"on it\",\"sticky\":true}", 200);
	ck_assert(json_is_true(json_object_get(j, "ok")));
	ck_assert_msg(strstr(wt_str(j, "message"), "acknowledged web-01/svc-1") != NULL, "%s",
	    wt_str(j, "message"));
	json_decref(j);
	j = wt_get("/api/v1/checks/web-01/svc-1", READ_TOKEN, 200);
	ck_assert(json_is_true(json_object_get(j, "acknowledged")));
	ack = json_object_get(j, "ack");
	ck_assert_str_eq(wt_str(ack, "author"), "ops");	/* the token's name */
	ck_assert_str_eq(wt_str(ack, "comment"), "on it");
	json_decref(j);
	{
		char *a = it_sql(&env, "SELECT author FROM command_log ORDER BY time DESC LIMIT 1");

		ck_assert_str_eq(a, "ops");
		free(a);
	}
	j = wt_post("/api/v1/checks/web-01/svc-1/unack", WRITE_TOKEN, "", 200);
	json_decref(j);
	j = wt_get("/api/v1/checks/web-01/svc-1", READ_TOKEN, 200);
	ck_assert(json_is_false(json_object_get(j, "acknowledged")));
	json_decref(j);
}
END_TEST

START_TEST(the_engine_refusing_a_command_is_409_with_its_reason_an_unknown_check_404)
{
	json_t *j;

	j = wt_post("/api/v1/checks/web-04/svc-4/ack", WRITE_TOKEN, "{\"comment\":\"x\"}",
	    409);
	ck_assert_str_eq(wt_str(j, "error"), "refused");
	ck_assert_msg(strstr(wt_str(j, "detail"), "nothing to acknowledge") != NULL, "%s",
	    wt_str(j, "detail"));
	json_decref(j);
	/* a check that does not exist: 404 before it reaches the engine */
	j = wt_post("/api/v1/checks/no-such/thing/ack", WRITE_TOKEN, "{\"comment\":\"x\"}",
	    404);
	ck_assert_str_eq(wt_str(j, "error"), "not found");
	json_decref(j);
}
END_TEST

START_TEST(a_downtime_over_the_api)
{
	json_t *j;

	j = wt_post("/api/v1/checks/web-02/downtime", WRITE_TOKEN,
	    "{\"comment\":\"patching\",\"duration\":\"1h\",\"services\":true}", 200);
	ck_assert_msg(strstr(wt_str(j, "message"), "and for 9 services") != NULL, "%s",
	    wt_str(j, "message"));
	json_decref(j);
	j = wt_get("/api/v1/checks/web-02/svc-5", READ_TOKEN, 200);
	ck_assert(json_is_true(json_object_get(j, "in_downtime")));
	json_decref(j);
	j = wt_post("/api/v1/checks/web-02/svc-1/downtime", WRITE_TOKEN,
	    "{\"comment\":\"x\",\"duration\":\"1h\",\"start\":\"yesterday\"}", 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "start") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_post("/api/v1/checks/web-02/svc-1/downtime", WRITE_TOKEN,
	    "{\"comment\":\"x\",\"duration\":\"1h\",\"start\":\"2001-01-01T00:00:00Z\"}",
	    409);
	ck_assert_msg(strstr(wt_str(j, "detail"), "over already") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_post("/api/v1/checks/web-02/svc-1/downtime", WRITE_TOKEN, "{\"comment\":\"x\"}",
	    400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "duration") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
}
END_TEST

START_TEST(bad_bodies_are_400_and_a_huge_one_413)
{
	size_t big = 10 * 1024 * 1024;
	char *data = xmalloc(big + 1), *body;
	json_t *j;

	j = wt_post("/api/v1/checks/web-01/svc-1/ack", WRITE_TOKEN, "not json", 400);
	json_decref(j);
	j = wt_post("/api/v1/checks/web-01/svc-1/ack", WRITE_TOKEN, "[1,2]", 400);
	json_decref(j);
	j = wt_post("/api/v1/checks/web-01/svc-1/ack", WRITE_TOKEN, "{}", 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "comment") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_post("/api/v1/checks/web-01/svc-1/reboot", WRITE_TOKEN, "{}", 404);
	json_decref(j);
	memset(data, 'x', big);
	data[big] = '\0';
	ck_assert_int_eq(wt_http("POST", "/api/v1/checks/web-01/svc-1/ack", WRITE_TOKEN, data,
	    big, &body, NULL), 413);
	free(body);
	free(data);
	/* and it keeps serving */
	j = wt_get("/api/v1/checks?limit=1", READ_TOKEN, 200);
	json_decref(j);
}
END_TEST

#define NEW_TOKEN "a-new-t0ken-read-after-hup"

START_TEST(sighup_reads_the_token_file_again)
{
	char hr[65], hn[65], *text, *path, *body;
	json_t *j;

	ck_assert_int_eq(wt_http("GET", "/api/v1/checks?limit=1", NEW_TOKEN, NULL, 0, &body, NULL), 401);
	free(body);
	tokens_hash_hex(READ_TOKEN, hr);
	tokens_hash_hex(NEW_TOKEN, hn);
	text = xasprintf("reader read %s\nnewcomer read %s\n", hr, hn);
	path = tu_write_file(env.dir, "tokens", text);
	chmod(path, 0600);
	kill(web, SIGHUP);
	ck_assert_msg(it_wait_log(&env, "web.log", "api_token_file reloaded tokens=2", 15) >= 0,
	    "no reload of the token file");
	j = wt_get("/api/v1/checks?limit=1", NEW_TOKEN, 200);
	json_decref(j);
	/* the write token is gone */
	ck_assert_int_eq(wt_http("GET", "/api/v1/checks?limit=1", WRITE_TOKEN, NULL, 0, &body, NULL), 401);
	free(body);
	/* a token file that no longer loads: the tokens in use stay */
	chmod(path, 0644);
	kill(web, SIGHUP);
	ck_assert_msg(it_wait_log(&env, "web.log", "the tokens in use stay", 15) >= 0,
	    "a broken token file was not refused");
	j = wt_get("/api/v1/checks?limit=1", NEW_TOKEN, 200);
	json_decref(j);
	free(text);
	free(path);
}
END_TEST

START_TEST(a_token_file_others_can_read_is_refused_at_start)
{
	char *out = NULL, *extra, *tf, *bad;
	struct it_env e;
	int rc;

	it_env_init(&e, "webbad");
	tf = tu_write_file(e.dir, "tokens", "reader read "
	    "0000000000000000000000000000000000000000000000000000000000000000\n");
	chmod(tf, 0644);
	extra = xasprintf("http: 127.0.0.1:%d\napi_token_file: %s\n", it_free_port(), tf);
	bad = xstrdup(it_write_config(&e, extra, "a.yaml", "hosts: {}\n"));
	rc = it_run(&e, "web.log", "web/vigil-web", (const char *[]){ "-c", bad, NULL }, &out);
	ck_assert_msg(rc == 1 && strstr(out, "must be private to its owner") != NULL, "%d: %s", rc,
	    out);
	free(out);
	free(extra);
	free(tf);
	free(bad);
	it_env_cleanup(&e);
}
END_TEST

/* Last: the engine goes, and health says so. */
START_TEST(health_is_503_without_a_leading_engine)
{
	json_t *j;
	char *body;
	long st = 200;

	it_stop(engine, SIGTERM, 15);
	engine = 0;
	for (int i = 0; i < 100 && st == 200; i++) {
		st = wt_http("GET", "/api/v1/health", NULL, NULL, 0, &body, NULL);
		free(body);
		if (st == 200)
			usleep(100000);
	}
	j = wt_get("/api/v1/health", NULL, 503);
	ck_assert_str_eq(wt_str(j, "status"), "unavailable");
	ck_assert(json_is_false(json_object_get(json_object_get(j, "engine"), "leading")));
	ck_assert(json_is_true(json_object_get(json_object_get(j, "postgres"), "up")));
	json_decref(j);
}
END_TEST

/* Last: vigil-web stops on TERM with status 0 (under the sanitizers, a
 * leak or an error report makes it non-zero). */
START_TEST(vigil_web_stops_cleanly)
{
	ck_assert_int_eq(WEXITSTATUS(it_stop(web, SIGTERM, 15)), 0);
	web = 0;
}
END_TEST

static Suite *
web_suite(void)
{
	Suite *s = suite_create("web");
	TCase *tc = tcase_create("api");

	tcase_set_timeout(tc, 180);
	tcase_add_unchecked_fixture(tc, setup_all, teardown_all);
	tcase_add_test(tc, health_says_every_part_is_up);
	tcase_add_test(tc, reads_need_a_valid_token);
	tcase_add_test(tc, filters_select_what_they_say);
	tcase_add_test(tc, pages_go_through_every_check_once);
	tcase_add_test(tc, groups_come_as_a_tree_with_their_counts);
	tcase_add_test(tc, one_check_by_its_path);
	tcase_add_test(tc, bad_requests_get_the_right_error_and_change_nothing);
	tcase_add_test(tc, commands_need_a_write_token_and_name_it_as_the_author);
	tcase_add_test(tc, the_engine_refusing_a_command_is_409_with_its_reason_an_unknown_check_404);
	tcase_add_test(tc, a_downtime_over_the_api);
	tcase_add_test(tc, bad_bodies_are_400_and_a_huge_one_413);
	tcase_add_test(tc, sighup_reads_the_token_file_again);
	tcase_add_test(tc, a_token_file_others_can_read_is_refused_at_start);
	tcase_add_test(tc, health_is_503_without_a_leading_engine);
	tcase_add_test(tc, vigil_web_stops_cleanly);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(web_suite());
}
