/*
 * NAME
 *	it_api - vigil-web's endpoints beyond the reads of it_web: recheck,
 *	result, reload, downtimes, history, perfdata, groups, the http
 *	settings (anonymous reads, per-client limits, HTTPS), many clients,
 *	vigilctl through the API (and its refusals straight to the servers)
 * DESCRIPTION
 *	Real PostgreSQL, RabbitMQ, engine, worker (running /bin/date) and
 *	vigil-web, configured with `http:` as a map. Hosts db-01 (rack-a) and
 *	db-02 (rack-b), both racks under the group dc; each host has an
 *	active service `clock` (every hour, so only a recheck runs it again;
 *	db-02's takes no passive results) and a passive one `backup`; edge-01
 *	(in no group) has `pair`, run from two pools (one without a worker). Tokens: reader (read), ops (write), root
 *	(admin).
 * DIAGNOSTICS
 *	A failing test prints the daemons' logs.
 */
#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
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

#define READ_TOKEN "r3ad-t0ken-of-it-api"
#define WRITE_TOKEN "wr1te-t0ken-of-it-api"
#define ADMIN_TOKEN "adm1n-t0ken-of-it-api"

static struct it_env env;
static pid_t engine, worker, web;
static int port;
static const char *cfg;

static const char conf_d[] =
	"commands:\n"
	"  clock: [/bin/date, \"+OK - %s.%N\"]\n"
	"  none: [/bin/true]\n"
	"groups:\n"
	"  dc: {title: Datacenter}\n"
	"  rack-a: {parents: dc, hosts: [db-01]}\n"
	"  rack-b: {parents: dc, hosts: [db-02]}\n"
	"hosts:\n"
	"  db-01:\n"
	"    services:\n"
	"      clock: {command: clock, interval: 1h, retry_interval: 1s}\n"
	"      backup: {command: none, active: false}\n"
	"  db-02:\n"
	"    services:\n"
	"      clock: {command: clock, interval: 1h, retry_interval: 1s, passive: false}\n"
	"      backup: {command: none, active: false}\n"
	"  edge-01:\n"
	"    services:\n"
	"      pair: {command: clock, interval: 1h, pools: [default, other]}\n";

static void
setup_all(void)
{
	char hr[65], hw[65], ha[65], *tokens, *extra, *tf;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	it_env_init(&env, "api");
	tokens_hash_hex(READ_TOKEN, hr);
	tokens_hash_hex(WRITE_TOKEN, hw);
	tokens_hash_hex(ADMIN_TOKEN, ha);
	tokens = xasprintf("reader read %s\nops write %s\nroot admin %s\n", hr, hw, ha);
	tf = tu_write_file(env.dir, "tokens", tokens);
	chmod(tf, 0600);
	port = it_free_port();
	wt_init(&env, port);
	extra = xasprintf("http:\n  listen: 127.0.0.1:%d\n  api_token_file: %s\n"
	    "worker: {concurrency: 4, plugin_user: root, allow_root_plugins: true}\n"
	    "max_check_spread: 1s\n", port, tf);
	cfg = xstrdup(it_write_config(&env, extra, "a.yaml", conf_d));
	/* The worker first: its pool's queue must exist before the engine's
	 * first jobs, or edge-01's job to it is unroutable (UNKNOWN "no
	 * worker pool") and, at an interval of 1h, stays so. */
	worker = it_spawn_ready(&env, "worker.log", "worker/vigil-worker", cfg, "consuming queue=",
	    60);
	engine = it_spawn_ready(&env, "engine.log", "engine/vigil-engine", cfg, "started", 60);
	web = it_spawn(&env, "web.log", "web/vigil-web", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_log(&env, "web.log", "listening on", 30) < 0) {
		it_dump(&env, "web.log");
		ck_abort_msg("vigil-web did not start");
	}
	/* the first runs of both clocks (spread over max_check_spread) */
	if (it_wait_sql(&env, "SELECT count(*) FROM check_state s JOIN checks c ON c.id ="
	    " s.check_id WHERE c.service = 'clock' AND s.state = 0", "2", 60) < 0) {
		it_dump(&env, "engine.log");
		it_dump(&env, "worker.log");
		ck_abort_msg("the clocks did not run");
	}
	free(tokens);
	free(extra);
	free(tf);
}

static void
teardown_all(void)
{
	if (web > 0)
		it_stop(web, SIGTERM, 15);
	if (worker > 0)
		it_stop(worker, SIGTERM, 15);
	if (engine > 0)
		it_stop(engine, SIGTERM, 15);
	it_env_cleanup(&env);
	curl_global_cleanup();
}

START_TEST(recheck_runs_the_check_now_and_keeps_its_schedule)
{
	json_t *before, *j, *after;
	char *out, *next;

	before = wt_get("/api/v1/checks/db-01/clock", READ_TOKEN, 200);
	out = xstrdup(wt_str(before, "output"));
	next = xstrdup(wt_str(before, "next_check"));
	ck_assert_msg(strncmp(out, "OK - ", 5) == 0, "%s", out);
	/* a read token may not, a write token may */
	j = wt_post("/api/v1/checks/db-01/clock/recheck", READ_TOKEN, "", 403);
	json_decref(j);
	j = wt_post("/api/v1/checks/db-01/clock/recheck", WRITE_TOKEN, "", 200);
	ck_assert_str_eq(wt_str(j, "message"), "runs now");
	json_decref(j);
	after = wt_wait_change("/api/v1/checks/db-01/clock", "output", out, READ_TOKEN, 30);
	ck_assert_msg(strncmp(wt_str(after, "output"), "OK - ", 5) == 0, "%s",
	    wt_str(after, "output"));
	/* the run after it comes when it would have come */
	ck_assert_str_eq(wt_str(after, "next_check"), next);
	json_decref(after);
	json_decref(before);
	free(out);
	free(next);
	/* a passive-only check has nothing to run; an unknown one is 404 */
	j = wt_post("/api/v1/checks/db-01/backup/recheck", WRITE_TOKEN, "", 409);
	ck_assert_msg(strstr(wt_str(j, "detail"), "passive only") != NULL, "%s",
	    wt_str(j, "detail"));
	json_decref(j);
	j = wt_post("/api/v1/checks/db-09/clock/recheck", WRITE_TOKEN, "", 404);
	json_decref(j);
	j = wt_post("/api/v1/checks/db-01/clock/recheck", WRITE_TOKEN, "{\"comment\":\"x\"}", 400);
	json_decref(j);
}
END_TEST

/* A multi-location check: each location with its state by name. */
START_TEST(a_check_from_two_pools_shows_each_location)
{
	json_t *j, *l;

	j = wt_wait_change("/api/v1/checks/edge-01/pair", "last_check", NULL, READ_TOKEN, 60);
	l = json_object_get(j, "locations");
	ck_assert_uint_eq(json_array_size(l), 2);
	ck_assert_str_eq(wt_str(json_array_get(l, 0), "pool"), "default");
	ck_assert_str_eq(wt_str(json_array_get(l, 1), "pool"), "other");
	ck_assert_str_eq(wt_str(json_array_get(l, 0), "state"), "OK");
	ck_assert_msg(strcmp(wt_str(json_array_get(l, 1), "state"), "UNKNOWN") == 0 ||
	    strcmp(wt_str(json_array_get(l, 1), "state"), "PENDING") == 0, "%s",
	    wt_str(json_array_get(l, 1), "state"));
	ck_assert_ptr_null(json_object_get(json_array_get(l, 0), "status"));
	json_decref(j);
}
END_TEST

START_TEST(a_passive_result_over_the_api)
{
	json_t *j;

	char *n;

	j = wt_post("/api/v1/checks/db-02/backup/result", WRITE_TOKEN,
	    "{\"state\":\"CRITICAL\",\"output\":\"backup failed | age=90000s;86400;172800\"}", 202);
	ck_assert_uint_eq(strlen(wt_str(j, "id")), 32);	/* one is made and answered */
	json_decref(j);
	j = wt_wait_change("/api/v1/checks/db-02/backup", "state", "PENDING", READ_TOKEN, 30);
	ck_assert_str_eq(wt_str(j, "state"), "CRITICAL");
	ck_assert_str_eq(wt_str(j, "output"), "backup failed");
	ck_assert_str_eq(wt_str(j, "perfdata"), "age=90000s;86400;172800");
	json_decref(j);
	/* a client's id: a retried POST is applied once (the third, with
	 * its own id, shows the second was not) */
	j = wt_post("/api/v1/checks/db-02/backup/result", WRITE_TOKEN,
	    "{\"state\":\"WARNING\",\"output\":\"retried\",\"id\":\"client-7\"}", 202);
	ck_assert_str_eq(wt_str(j, "id"), "client-7");
	json_decref(j);
	json_decref(wt_post("/api/v1/checks/db-02/backup/result", WRITE_TOKEN,
	    "{\"state\":\"WARNING\",\"output\":\"retried\",\"id\":\"client-7\"}", 202));
	json_decref(wt_post("/api/v1/checks/db-02/backup/result", WRITE_TOKEN,
	    "{\"state\":\"WARNING\",\"output\":\"after the retry\",\"id\":\"client-8\"}", 202));
	ck_assert_int_eq(it_wait_sql(&env, "SELECT output FROM check_state s JOIN checks c ON"
	    " c.id = s.check_id WHERE c.service = 'backup' AND c.host_id = (SELECT id FROM hosts"
	    " WHERE name = 'db-02')", "after the retry", 30), 0);
	n = it_sql(&env, "SELECT count(*) FROM passive_seen WHERE id LIKE 'client-%'");
	ck_assert_str_eq(n, "2");
	free(n);
	n = it_sql(&env, "SELECT results_total FROM check_state s JOIN checks c ON"
	    " c.id = s.check_id WHERE c.service = 'backup' AND c.host_id = (SELECT id FROM hosts"
	    " WHERE name = 'db-02')");
	ck_assert_str_eq(n, "3");
	free(n);
	/* passive checks switched off: shown on the check; every check's
	 * switches are the admin's */
	j = wt_post("/api/v1/checks/db-02/backup/disable", WRITE_TOKEN,
	    "{\"switch\":\"passive_checks\",\"comment\":\"migrating\"}", 200);
	json_decref(j);
	j = wt_get("/api/v1/checks/db-02/backup", READ_TOKEN, 200);
	{
		json_t *d = json_object_get(j, "disabled");

		ck_assert_ptr_nonnull(d);
		ck_assert_str_eq(json_string_value(json_array_get(json_object_get(d, "switches"), 0)),
		    "passive_checks");
		ck_assert_str_eq(wt_str(d, "by"), "ops");
		ck_assert_str_eq(wt_str(d, "comment"), "migrating");
	}
	json_decref(j);
	json_decref(wt_post("/api/v1/checks/db-02/backup/enable", WRITE_TOKEN,
	    "{\"switch\":\"passive_checks\"}", 200));
	json_decref(wt_post("/api/v1/checks/db-02/backup/disable", WRITE_TOKEN,
	    "{\"switch\":\"bogus\"}", 400));
	json_decref(wt_post("/api/v1/switches/event_handlers/disable", WRITE_TOKEN, "{}", 403));
	json_decref(wt_post("/api/v1/switches/event_handlers/disable", ADMIN_TOKEN, "{}", 200));
	json_decref(wt_post("/api/v1/switches/event_handlers/disable", ADMIN_TOKEN, "{}", 409));
	n = it_sql(&env, "SELECT what || ' ' || author FROM global_switches");
	ck_assert_str_eq(n, "event_handlers root");
	free(n);
	json_decref(wt_post("/api/v1/switches/event_handlers/enable", ADMIN_TOKEN, "{}", 200));
	json_decref(wt_post("/api/v1/switches/bogus/enable", ADMIN_TOKEN, "{}", 404));
	j = wt_post("/api/v1/checks/db-02/backup/result", WRITE_TOKEN,
	    "{\"state\":0,\"output\":\"x\",\"id\":\"has space\"}", 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "printable ASCII") != NULL, "%s",
	    wt_str(j, "detail"));
	json_decref(j);
	/* refusals: an active-only check, no such check, bad fields */
	j = wt_post("/api/v1/checks/db-02/clock/result", WRITE_TOKEN,
	    "{\"state\":0,\"output\":\"x\"}", 409);
	ck_assert_msg(strstr(wt_str(j, "detail"), "passive: false") != NULL, "%s",
	    wt_str(j, "detail"));
	json_decref(j);
	j = wt_post("/api/v1/checks/db-02/nope/result", WRITE_TOKEN,
	    "{\"state\":0,\"output\":\"x\"}", 404);
	json_decref(j);
	j = wt_post("/api/v1/checks/db-02/backup/result", WRITE_TOKEN,
	    "{\"state\":\"BROKEN\",\"output\":\"x\"}", 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "state") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_post("/api/v1/checks/db-02/backup/result", WRITE_TOKEN, "{\"state\":2}", 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "output") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
}
END_TEST

/* Results for db-01/backup at known states: its history, newest first and
 * paged, and its perfdata in buckets. */
START_TEST(history_and_perfdata_of_a_check)
{
	static const char *const states[] = { "OK", "WARNING", "CRITICAL", "OK" };
	char body[160], *next;
	json_t *j, *h, *s, *p;
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(body, sizeof(body), "{\"state\":\"%s\",\"output\":\"run %zu | size=%zuMB;;;0;"
		    "100\"}", states[i], i, 10 * (i + 1));
		j = wt_post("/api/v1/checks/db-01/backup/result", WRITE_TOKEN, body, 202);
		json_decref(j);
		/* one at a time: each applied before the next */
		snprintf(body, sizeof(body), "SELECT count(*) FROM perfdata WHERE label = 'size'");
		{
			char want[8];

			snprintf(want, sizeof(want), "%zu", i + 1);
			ck_assert_int_eq(it_wait_sql(&env, body, want, 30), 0);
		}
	}
	j = wt_get("/api/v1/checks/db-01/backup/history", READ_TOKEN, 200);
	h = json_object_get(j, "history");
	ck_assert_uint_eq(json_array_size(h), 4);
	ck_assert_str_eq(wt_str(json_array_get(h, 0), "state"), "OK");
	ck_assert_str_eq(wt_str(json_array_get(h, 0), "old_state"), "CRITICAL");
	ck_assert_str_eq(wt_str(json_array_get(h, 1), "state"), "CRITICAL");
	ck_assert_str_eq(wt_str(json_array_get(h, 3), "old_state"), "PENDING");
	ck_assert_str_eq(wt_str(json_array_get(h, 2), "output"), "run 1");
	ck_assert(json_is_null(json_object_get(j, "next")));
	json_decref(j);
	/* pages of one, each going on where the last ended */
	j = wt_get("/api/v1/checks/db-01/backup/history?limit=1", READ_TOKEN, 200);
	next = xasprintf("/api/v1/checks/db-01/backup/history?limit=1&before=%s",
	    wt_str(j, "next"));
	json_decref(j);
	j = wt_get(next, READ_TOKEN, 200);
	ck_assert_str_eq(wt_str(json_array_get(json_object_get(j, "history"), 0), "state"),
	    "CRITICAL");
	json_decref(j);
	free(next);
	j = wt_get("/api/v1/checks/db-01/backup/history?since=2099-01-01T00:00:00Z", READ_TOKEN,
	    200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "history")), 0);
	json_decref(j);
	/* the perfdata: one bucket of a day holds the four values */
	j = wt_get("/api/v1/checks/db-01/backup/perfdata?label=size&step=86400", READ_TOKEN, 200);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "step")), 86400);
	s = json_array_get(json_object_get(j, "series"), 0);
	ck_assert_str_eq(wt_str(s, "label"), "size");
	ck_assert_str_eq(wt_str(s, "uom"), "MB");
	p = json_object_get(s, "points");
	ck_assert_uint_ge(json_array_size(p), 1);
	{
		double mn = 1e9, mx = 0;
		json_int_t n = 0;

		for (i = 0; i < json_array_size(p); i++) {
			json_t *pt = json_array_get(p, i);

			mn = fmin(mn, json_number_value(json_object_get(pt, "min")));
			mx = fmax(mx, json_number_value(json_object_get(pt, "max")));
			n += json_integer_value(json_object_get(pt, "count"));
		}
		ck_assert_int_eq(n, 4);
		ck_assert_double_eq(mn, 10);
		ck_assert_double_eq(mx, 40);
	}
	json_decref(j);
	/* bad ranges and steps are 400 naming the parameter */
	j = wt_get("/api/v1/checks/db-01/backup/perfdata?step=0", READ_TOKEN, 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "step") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_get("/api/v1/checks/db-01/backup/perfdata?since=2026-01-02T00:00:00Z&until="
	    "2026-01-01T00:00:00Z", READ_TOKEN, 400);
	json_decref(j);
	j = wt_get("/api/v1/checks/db-01/backup/perfdata?step=1&since=2020-01-01T00:00:00Z",
	    READ_TOKEN, 400);
	json_decref(j);
	j = wt_get("/api/v1/checks/db-01/backup/history?since=yesterday", READ_TOKEN, 400);
	ck_assert_msg(strstr(wt_str(j, "detail"), "since") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_get("/api/v1/checks/db-01/nope/history", READ_TOKEN, 404);
	json_decref(j);
}
END_TEST

/* Hostile text in every query parameter of every read: 400 naming it, 404,
 * or an answer that matches nothing; nothing changes. */
START_TEST(sql_in_every_parameter_changes_nothing)
{
	static const char *const paths[] = {
		"/api/v1/checks?host=%s", "/api/v1/checks?service=%s", "/api/v1/checks?group=%s",
		"/api/v1/checks?state=%s", "/api/v1/checks?problems=%s",
		"/api/v1/checks?unhandled=%s", "/api/v1/checks?limit=%s", "/api/v1/checks?after=%s",
		"/api/v1/checks/%s", "/api/v1/checks/db-01/%s", "/api/v1/groups/%s",
		"/api/v1/checks/db-01/backup/history?since=%s",
		"/api/v1/checks/db-01/backup/history?until=%s",
		"/api/v1/checks/db-01/backup/history?before=%s",
		"/api/v1/checks/db-01/backup/history?limit=%s",
		"/api/v1/checks/db-01/backup/perfdata?label=%s",
		"/api/v1/checks/db-01/backup/perfdata?step=%s",
		"/api/v1/notifications?limit=%s", "/api/v1/notifications?failed=%s",
		"/api/v1/downtimes?host=%s", "/api/v1/downtimes?service=%s",
	};
	static const char *const evil[] = {
		"x%27%3B%20DROP%20TABLE%20checks%3B--", "1%20OR%201%3D1", "%27%29%20OR%20%28%271",
		"%5C%27%3B%20TRUNCATE%20check_state%3B--/x",
	};
	char *before = it_sql(&env, "SELECT (SELECT count(*) FROM checks) || '/' || (SELECT"
	    " count(*) FROM check_state) || '/' || (SELECT count(*) FROM downtimes)"), *after;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		for (size_t k = 0; k < sizeof(evil) / sizeof(evil[0]); k++) {
			const char *at = strstr(paths[i], "%s");
			char *path = xasprintf("%.*s%s%s", (int)(at - paths[i]), paths[i], evil[k], at + 2);
			char *body;
			long st = wt_http("GET", path, READ_TOKEN, NULL, 0, &body, NULL);
			json_t *j = json_loads(body, 0, NULL);
			json_t *list = json_object_get(j, strstr(path, "history") != NULL ? "history" :
			    strstr(path, "downtimes") != NULL ? "downtimes" : "checks");

			/* a filter matches nothing; a cursor is only a place in the
			 * order (what comes after it is listed) */
			ck_assert_msg(st == 400 || st == 404 || (st == 200 && (json_array_size(list) == 0 ||
			    strstr(path, "after=") != NULL)) || (st == 200 && list == NULL &&
			    strstr(path, "perfdata") != NULL), "GET %s: %ld %s", path, st, body);
			if (st == 400)
				ck_assert_msg(strstr(body, "\"detail\"") != NULL, "%s", body);
			json_decref(j);
			free(body);
			free(path);
		}
	after = it_sql(&env, "SELECT (SELECT count(*) FROM checks) || '/' || (SELECT"
	    " count(*) FROM check_state) || '/' || (SELECT count(*) FROM downtimes)");
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
}
END_TEST

START_TEST(downtimes_listed_shown_and_cancelled)
{
	json_t *j, *d;
	char *id, *path;

	j = wt_post("/api/v1/checks/db-02/clock/downtime", WRITE_TOKEN,
	    "{\"comment\":\"disk swap\",\"duration\":\"2h\"}", 200);
	json_decref(j);
	j = wt_get("/api/v1/downtimes?host=db-0[2]", READ_TOKEN, 200);
	d = json_array_get(json_object_get(j, "downtimes"), 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(wt_str(d, "host"), "db-02");
	ck_assert_str_eq(wt_str(d, "service"), "clock");
	ck_assert_str_eq(wt_str(d, "author"), "ops");
	ck_assert_str_eq(wt_str(d, "comment"), "disk swap");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "duration_s")), 7200);
	id = xstrdup(wt_str(d, "id"));
	json_decref(j);
	/* the check's own view has it */
	j = wt_get("/api/v1/checks/db-02/clock", READ_TOKEN, 200);
	ck_assert_str_eq(wt_str(json_array_get(json_object_get(j, "downtimes"), 0), "id"), id);
	ck_assert(json_is_true(json_object_get(j, "in_downtime")));
	json_decref(j);
	/* cancelled by id: a read token may not */
	path = xasprintf("/api/v1/downtimes/%s", id);
	j = wt_json("DELETE", path, READ_TOKEN, NULL, 403);
	json_decref(j);
	j = wt_json("DELETE", path, WRITE_TOKEN, NULL, 200);
	ck_assert_msg(strstr(wt_str(j, "message"), "cancelled") != NULL, "%s", wt_str(j, "message"));
	json_decref(j);
	j = wt_get("/api/v1/downtimes", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "downtimes")), 0);
	json_decref(j);
	j = wt_json("DELETE", path, WRITE_TOKEN, NULL, 404);
	json_decref(j);
	j = wt_json("DELETE", "/api/v1/downtimes/x%27%3B%20DELETE%20FROM%20downtimes%3B--",
	    WRITE_TOKEN, NULL, 404);
	json_decref(j);
	free(path);
	free(id);
}
END_TEST

START_TEST(groups_filter_with_their_subtree)
{
	json_t *j, *c;
	size_t i;

	j = wt_get("/api/v1/checks?group=dc", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 4);
	json_decref(j);
	j = wt_get("/api/v1/checks?group=rack-a", READ_TOKEN, 200);
	c = json_object_get(j, "checks");
	ck_assert_uint_eq(json_array_size(c), 2);
	for (i = 0; i < json_array_size(c); i++)
		ck_assert_str_eq(wt_str(json_array_get(c, i), "host"), "db-01");
	json_decref(j);
	j = wt_get("/api/v1/checks?group=nope", READ_TOKEN, 404);
	json_decref(j);
	j = wt_get("/api/v1/groups/dc", READ_TOKEN, 200);
	ck_assert_str_eq(wt_str(j, "name"), "dc");
	ck_assert_uint_eq(json_array_size(json_object_get(j, "children")), 2);
	json_decref(j);
	j = wt_get("/api/v1/groups/rack-b", READ_TOKEN, 200);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "parents"), 0)), "dc");
	json_decref(j);
	j = wt_get("/api/v1/groups/nope", READ_TOKEN, 404);
	json_decref(j);
	/* SQL and regular expressions in the filters: matched literally */
	j = wt_get("/api/v1/checks?group=dc%27%20OR%20%271%27%3D%271", READ_TOKEN, 404);
	json_decref(j);
	j = wt_get("/api/v1/checks?host=db.*&service=%28a%7Cb%29%2B", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 0);
	json_decref(j);
	j = wt_get("/api/v1/checks?host=db-0%5B1%5D", READ_TOKEN, 200);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "checks")), 2);
	json_decref(j);
	j = wt_get("/api/v1/checks?host=db-0%5B9-1%5D", READ_TOKEN, 400);
	json_decref(j);
}
END_TEST

/* A reload with a broken file: 409 with each error at file:line:column,
 * the running config stays; fixed: 200, and the new check is there. */
START_TEST(reload_answers_the_engines_verdict)
{
	char *path = xasprintf("%s/conf.d/b.yaml", env.dir), *src;
	json_t *j, *e;

	j = wt_post("/api/v1/reload", WRITE_TOKEN, "", 403);
	json_decref(j);
	free(tu_write_file(env.dir, "conf.d/b.yaml", "hosts:\n  db-03:\n    services:\n"
	    "      clock: {command: nope}\n      up: {command: none, interval: soon}\n"));
	j = wt_post("/api/v1/reload", ADMIN_TOKEN, "", 409);
	e = json_object_get(j, "errors");
	ck_assert_uint_eq(json_array_size(e), 2);
	/* each at its file:line:column (in the order the loader found them) */
	{
		const char *e0 = json_string_value(json_array_get(e, 0));
		const char *e1 = json_string_value(json_array_get(e, 1));

		ck_assert_msg((strstr(e0, "b.yaml:4:") != NULL && strstr(e1, "b.yaml:5:") != NULL) ||
		    (strstr(e0, "b.yaml:5:") != NULL && strstr(e1, "b.yaml:4:") != NULL),
		    "%s\n%s", e0, e1);
	}
	ck_assert_msg(strstr(wt_str(j, "detail"), "2 errors") != NULL, "%s", wt_str(j, "detail"));
	json_decref(j);
	j = wt_get("/api/v1/checks/db-03/up", READ_TOKEN, 404);
	json_decref(j);
	free(tu_write_file(env.dir, "conf.d/b.yaml", "hosts:\n  db-03:\n    services:\n"
	    "      up: {command: none, active: false}\n"));
	j = wt_post("/api/v1/reload", ADMIN_TOKEN, "", 200);
	ck_assert_msg(strstr(wt_str(j, "message"), "1 added") != NULL, "%s", wt_str(j, "message"));
	json_decref(j);
	j = wt_get("/api/v1/checks/db-03/up", READ_TOKEN, 200);
	json_decref(j);
	/* the command log names the token and the client's address */
	IT_ASSERT_SQL(&env, "SELECT string_agg(DISTINCT author || ' ' || source, ',') FROM"
	    " command_log WHERE command = 'reload'", "root 127.0.0.1");
	src = it_sql(&env, "SELECT count(*) FROM command_log WHERE command = 'reload' AND ok");
	ck_assert_str_eq(src, "1");
	free(src);
	free(path);
}
END_TEST

/* ---- vigilctl ----------------------------------------------------------- */

/* vigilctl with args (NULL-terminated, at most 12): its exit status, *out
 * what it printed (stdout and stderr; the caller frees it). */
static int
ctl(char **out, const char *a0, ...)
{
	const char *args[16];
	va_list ap;
	int n = 0;

	va_start(ap, a0);
	for (const char *a = a0; a != NULL && n < 15; a = va_arg(ap, const char *))
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	return it_run(&env, "ctl.out", "ctl/vigilctl", args, out);
}

#define CTL_EXPECT(rc_want, text, ...) do { \
	char *o_ = NULL; \
	int rc_ = ctl(&o_, __VA_ARGS__, NULL); \
	ck_assert_msg(rc_ == (rc_want) && strstr(o_, (text)) != NULL, \
	    "vigilctl: exit %d (want %d), want \"%s\" in:\n%s", rc_, (rc_want), (text), o_); \
	free(o_); \
} while (0)

START_TEST(vigilctl_through_the_api)
{
	char *url = xasprintf("http://127.0.0.1:%d", port), *tf;

	/* no token: the API says so, exit 1 */
	unsetenv("VIGIL_TOKEN");
	CTL_EXPECT(1, "unauthorized", "--url", url, "status");
	setenv("VIGIL_TOKEN", READ_TOKEN, 1);
	CTL_EXPECT(0, "\"host\": \"db-02\"", "--url", url, "status", "--group", "dc", "--json");
	CTL_EXPECT(0, "db-01                clock", "--url", url, "status", "--host", "db-0[1]");
	CTL_EXPECT(0, "db-01/clock", "--url", url, "show", "db-01/clock");
	CTL_EXPECT(0, "rack-a", "--url", url, "groups");
	CTL_EXPECT(0, "default", "--url", url, "workers");
	CTL_EXPECT(1, "forbidden", "--url", url, "recheck", "db-01/clock");
	CTL_EXPECT(1, "forbidden", "--url", url, "reload");
	/* a write token from a file */
	tf = tu_write_file(env.dir, "ctl.token", WRITE_TOKEN "\n");
	CTL_EXPECT(0, "runs now", "--url", url, "--token-file", tf, "recheck", "db-02/clock");
	CTL_EXPECT(1, "not found", "--url", url, "--token-file", tf, "submit", "db-02/nope", "OK",
	    "x");
	CTL_EXPECT(1, "nothing to acknowledge", "--url", url, "--token-file", tf, "ack",
	    "db-01/clock", "-m", "x");
	CTL_EXPECT(0, "scheduled", "--url", url, "--token-file", tf, "downtime", "db-02/backup",
	    "--for", "1h", "-m", "maintenance");
	CTL_EXPECT(0, "maintenance", "--url", url, "downtimes");
	CTL_EXPECT(0, "1 downtime cancelled", "--url", url, "--token-file", tf, "downtime",
	    "db-02/backup", "--cancel");
	/* runtime switches through the API: a check's (write), every check's
	 * (admin), shown with who switched them */
	CTL_EXPECT(0, "flap_detection disabled for db-02/clock", "--url", url, "--token-file", tf,
	    "disable", "flap_detection", "db-02/clock", "-m", "noisy link");
	CTL_EXPECT(0, " flap_detection by ops: noisy link", "--url", url, "show",
	    "db-02/clock");
	CTL_EXPECT(0, "[DISABLED flap_detection by ops]", "--url", url, "status", "--host", "db-02");
	CTL_EXPECT(1, "already", "--url", url, "--token-file", tf, "disable", "flap_detection",
	    "db-02/clock");
	CTL_EXPECT(1, "forbidden", "--url", url, "--token-file", tf, "disable", "notifications",
	    "--global");
	CTL_EXPECT(0, "flap_detection enabled for db-02/clock", "--url", url, "--token-file", tf,
	    "enable", "flap_detection", "db-02/clock");
	CTL_EXPECT(2, "usage", "--url", url, "disable", "bogus", "db-02/clock");
	CTL_EXPECT(2, "usage", "--url", url, "show");
	CTL_EXPECT(0, "vigilctl ", "--version");
	/* straight to the servers: the same refusals */
	CTL_EXPECT(1, "no check db-02/nope", "-c", cfg, "submit", "db-02/nope", "OK", "x");
	CTL_EXPECT(0, "runs now", "-c", cfg, "recheck", "db-01/clock");
	CTL_EXPECT(0, "reloaded", "-c", cfg, "reload");
	unsetenv("VIGIL_TOKEN");
	free(tf);
	free(url);
}
END_TEST

/* ---- the http settings, many clients ----------------------------------- */

/* Another vigil-web on this installation with http: as given; its port. */
static pid_t
start_web(const char *name, const char *http, int *p)
{
	char *text = it_read(&env, "vigil.yaml"), *at = strstr(text, "http:\n");
	char *end = strstr(text, "worker:"), *yaml, *path, *log, *want;
	pid_t pid;

	ck_assert(at != NULL && end != NULL);
	*p = it_free_port();
	*at = '\0';
	yaml = xasprintf("%shttp:\n  listen: 127.0.0.1:%d\n  api_token_file: %s/tokens\n%s%s",
	    text, *p, env.dir, http, end);
	path = xasprintf("%s.yaml", name);
	free(tu_write_file(env.dir, path, yaml));
	free(path);
	path = xasprintf("%s/%s.yaml", env.dir, name);
	log = xasprintf("%s.log", name);
	pid = it_spawn(&env, log, "web/vigil-web", (const char *[]){ "-c", path, NULL });
	want = xasprintf("listening on 127.0.0.1:%d", *p);
	if (it_wait_log(&env, log, want, 30) < 0) {
		it_dump(&env, log);
		ck_abort_msg("%s did not start", name);
	}
	free(want);
	free(log);
	free(path);
	free(yaml);
	free(text);
	return pid;
}

/* A request whose body never comes: in progress until fd closes. */
static int
request_left_open(int p)
{
	static const char req[] = "POST /api/v1/checks/db-01/clock/ack HTTP/1.1\r\n"
	    "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n";

	return wt_raw(p, req, sizeof(req) - 1);
}

START_TEST(anonymous_reads_and_the_limits_of_body_headers_clients)
{
	char *big = xcalloc(1, 2048), *body;
	int p, fd[3], slow;
	json_t *j;
	pid_t w2 = start_web("web2", "  anonymous_read: true\n  max_client_requests: 2\n"
	    "  max_body: 1KiB\n", &p);

	wt_init(&env, p);
	/* a client that never finishes its headers blocks nobody */
	{
		static const char part[] = "GET /api/v1/checks HTTP/1.1\r\nHost: x\r\n";

		slow = wt_raw(p, part, sizeof(part) - 1);
	}
	/* headers past http.max_header (8 KiB): not served, and the server
	 * goes on */
	{
		struct strbuf big_hdr = { 0 };
		char answer[64] = "";
		ssize_t k;
		int bfd;

		strbuf_adds(&big_hdr, "GET /api/v1/checks HTTP/1.1\r\nHost: x\r\nX-Big: ");
		for (int i = 0; i < 20000; i++)
			strbuf_add(&big_hdr, "a", 1);
		strbuf_adds(&big_hdr, "\r\n\r\n");
		bfd = wt_raw(p, big_hdr.s, big_hdr.len);
		k = read(bfd, answer, sizeof(answer) - 1);
		answer[k > 0 ? k : 0] = '\0';
		ck_assert_msg(strstr(answer, " 200 ") == NULL, "%s", answer);
		close(bfd);
		free(big_hdr.s);
	}
	/* reads without a token; a token that is not known is still 401 */
	j = wt_get("/api/v1/checks", NULL, 200);
	ck_assert_uint_ge(json_array_size(json_object_get(j, "checks")), 4);
	json_decref(j);
	j = wt_get("/api/v1/checks", "no-such-token", 401);
	json_decref(j);
	/* writes still need one */
	j = wt_post("/api/v1/checks/db-01/clock/ack", NULL, "{\"comment\":\"x\"}", 401);
	json_decref(j);
	memset(big, ' ', 2047);
	ck_assert_int_eq(wt_http("POST", "/api/v1/checks/db-01/clock/ack", WRITE_TOKEN, big, 2047,
	    &body, NULL), 413);
	ck_assert_msg(strstr(body, "1024 bytes") != NULL, "%s", body);
	free(body);
	/* Three requests from 127.0.0.1 left in progress, in whatever order
	 * the server takes them: one is 429 at once, two stay counted, so a
	 * fourth is 429 too; once they end the client is served again. */
	for (int i = 0; i < 3; i++)
		fd[i] = request_left_open(p);
	ck_assert_int_eq(wt_answered(fd, 3, " 429 "), 1);
	wt_until_status("/api/v1/checks?limit=1", 429, 15);
	for (int i = 0; i < 3; i++)
		close(fd[i]);
	wt_until_status("/api/v1/checks?limit=1", 200, 15);
	close(slow);
	ck_assert_int_eq(WEXITSTATUS(it_stop(w2, SIGTERM, 15)), 0);
	wt_init(&env, port);
	free(big);
}
END_TEST

START_TEST(https_with_the_configured_certificate)
{
	char *cert = xasprintf("%s/cert.pem", env.dir), *key = xasprintf("%s/key.pem", env.dir);
	char *cmd = xasprintf("openssl req -x509 -newkey rsa:2048 -nodes -keyout %s -out %s "
	    "-subj /CN=localhost -addext subjectAltName=DNS:localhost -days 2 2>/dev/null", key,
	    cert), *tls = xasprintf("  tls_cert: %s\n  tls_key: %s\n", cert, key), *body;
	int p;
	json_t *j;
	pid_t w3;

	ck_assert_int_eq(system(cmd), 0);
	w3 = start_web("web3", tls, &p);
	wt_init(&env, p);
	wt_https(cert);
	j = wt_get("/api/v1/checks/db-01/clock", READ_TOKEN, 200);
	ck_assert_str_eq(wt_str(j, "host"), "db-01");
	json_decref(j);
	/* plain HTTP to the HTTPS port gets no API answer */
	wt_https(NULL);
	ck_assert_int_ne(wt_http("GET", "/api/v1/checks", READ_TOKEN, NULL, 0, &body, NULL), 200);
	free(body);
	ck_assert_int_eq(WEXITSTATUS(it_stop(w3, SIGTERM, 15)), 0);
	wt_init(&env, port);
	free(cmd);
	free(tls);
	free(cert);
	free(key);
}
END_TEST

/* 200 clients (each from its own address: 127.0.0.2 …) at once, each
 * with its own connection: every one gets the whole answer. */
START_TEST(two_hundred_clients_at_once_get_their_answers)
{
	enum { N = 200 };
	struct strbuf out[N];
	CURL *c[N];
	CURLM *m = curl_multi_init();
	struct curl_slist *hdrs = curl_slist_append(NULL, "Authorization: Bearer " READ_TOKEN);
	char *url = xasprintf("http://127.0.0.1:%d/api/v1/checks?group=dc", port);
	int running = 1, ok = 0;

	memset(out, 0, sizeof(out));
	for (int i = 0; i < N; i++) {
		char iface[32];

		snprintf(iface, sizeof(iface), "127.0.%d.%d", 1 + i / 250, 2 + i % 250);
		c[i] = curl_easy_init();
		curl_easy_setopt(c[i], CURLOPT_URL, url);
		curl_easy_setopt(c[i], CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c[i], CURLOPT_INTERFACE, iface);
		curl_easy_setopt(c[i], CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(c[i], CURLOPT_WRITEFUNCTION, wt_collect);
		curl_easy_setopt(c[i], CURLOPT_WRITEDATA, &out[i]);
		curl_multi_add_handle(m, c[i]);
	}
	while (running > 0) {
		curl_multi_perform(m, &running);
		if (running > 0)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	for (int i = 0; i < N; i++) {
		long st = 0;
		json_t *j;

		curl_easy_getinfo(c[i], CURLINFO_RESPONSE_CODE, &st);
		strbuf_add(&out[i], "", 1);
		j = json_loads(out[i].s, 0, NULL);
		if (st == 200 && j != NULL && json_array_size(json_object_get(j, "checks")) == 4)
			ok++;
		else
			fprintf(stderr, "client %d: %ld %s\n", i, st, out[i].s);
		json_decref(j);
		curl_multi_remove_handle(m, c[i]);
		curl_easy_cleanup(c[i]);
		free(out[i].s);
	}
	ck_assert_int_eq(ok, N);
	curl_slist_free_all(hdrs);
	curl_multi_cleanup(m);
	free(url);
}
END_TEST

/* Last: each daemon stops on TERM with status 0 (under the sanitizers, a
 * leak or an error report makes it non-zero). */
START_TEST(the_daemons_stop_cleanly)
{
	ck_assert_int_eq(WEXITSTATUS(it_stop(web, SIGTERM, 15)), 0);
	web = 0;
	ck_assert_int_eq(WEXITSTATUS(it_stop(worker, SIGTERM, 15)), 0);
	worker = 0;
	ck_assert_int_eq(WEXITSTATUS(it_stop(engine, SIGTERM, 15)), 0);
	engine = 0;
}
END_TEST

static Suite *
api_suite(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("api");

	tcase_set_timeout(tc, 600);
	tcase_add_unchecked_fixture(tc, setup_all, teardown_all);
	tcase_add_test(tc, recheck_runs_the_check_now_and_keeps_its_schedule);
	tcase_add_test(tc, a_check_from_two_pools_shows_each_location);
	tcase_add_test(tc, a_passive_result_over_the_api);
	tcase_add_test(tc, history_and_perfdata_of_a_check);
	tcase_add_test(tc, sql_in_every_parameter_changes_nothing);
	tcase_add_test(tc, downtimes_listed_shown_and_cancelled);
	tcase_add_test(tc, groups_filter_with_their_subtree);
	tcase_add_test(tc, reload_answers_the_engines_verdict);
	tcase_add_test(tc, vigilctl_through_the_api);
	tcase_add_test(tc, anonymous_reads_and_the_limits_of_body_headers_clients);
	tcase_add_test(tc, https_with_the_configured_certificate);
	tcase_add_test(tc, two_hundred_clients_at_once_get_their_answers);
	tcase_add_test(tc, the_daemons_stop_cleanly);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(api_suite());
}
