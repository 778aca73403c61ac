/*
 * NAME
 *	it_live - the live stream across restarts: RabbitMQ, and vigil-web
 * DESCRIPTION
 *	A private harness (these tests stop RabbitMQ), an engine and a
 *	vigil-web; hosts db-01 and db-02 with a passive service `backup`.
 *	A websocket client keeps everything it receives; after each restart
 *	the stream must still be a snapshot followed only by newer events
 *	(each outbox event once across the whole stream, in order; checks
 *	messages in order), and what the client holds at the end (its last
 *	snapshot with the rows after it) must be what the API says.
 * DIAGNOSTICS
 *	A failing test prints the daemons' logs.
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "itutil.h"
#include "tests/testutil.h"
#include "web/tokens.h"
#include "webtest.h"
#include "wsclient.h"
#include "xalloc.h"

#define TOKEN "wr1te-t0ken-of-it-live"
#define SUB "{\"token\":\"" TOKEN "\"}"

static char harness_dir[256];
static struct it_env env;
static pid_t engine, web;
static int port, web_starts;
static const char *cfg;

static void
start_web(void)
{
	char log[32];

	snprintf(log, sizeof(log), "web%d.log", ++web_starts);
	web = it_spawn_ready(&env, log, "web/vigil-web", cfg, "amqp up", 30);
}

static void
setup_all(void)
{
	char *extra, *tf;

	it_harness_up(harness_dir, sizeof(harness_dir));
	it_env_init(&env, "live");
	tf = wt_token_file(&env, "ops", "write", TOKEN);
	port = it_free_port();
	wt_init(&env, port);
	extra = xasprintf("http:\n  listen: 127.0.0.1:%d\n  api_token_file: %s\n", port, tf);
	cfg = xstrdup(it_write_config(&env, extra, "a.yaml",
	    "commands: {none: [/bin/true]}\n"
	    "hosts:\n"
	    "  db-01: {services: {backup: {command: none, active: false}}}\n"
	    "  db-02: {services: {backup: {command: none, active: false}}}\n"));
	engine = it_spawn_ready(&env, "engine.log", "engine/vigil-engine", cfg, "amqp up", 60);
	start_web();
	wsc_init(port);
	free(extra);
	free(tf);
}

static void
teardown_all(void)
{
	wsc_fini();
	it_stop(web, SIGTERM, 15);
	it_stop(engine, SIGTERM, 15);
	it_env_cleanup(&env);
	it_harness_down(harness_dir);
}

struct want {
	struct wsc *c;
	const char *host, *output;
	int snapshots;		/* at least this many snapshots first */
};

/* A checks row of host/backup with output, after the wanted snapshots. */
static int
has_output(void *arg)
{
	struct want *w = arg;
	json_t *m, *row;
	size_t i, k;
	int snaps = 0;

	json_array_foreach(w->c->msgs, i, m) {
		if (strcmp(wt_str(m, "type"), "snapshot") == 0)
			snaps++;
		if (snaps < w->snapshots || strcmp(wt_str(m, "type"), "checks") != 0)
			continue;
		json_array_foreach(json_object_get(m, "checks"), k, row)
			if (strcmp(wt_str(row, "host"), w->host) == 0 &&
			    json_is_string(json_object_get(row, "output")) &&
			    strcmp(wt_str(row, "output"), w->output) == 0)
				return 1;
	}
	return 0;
}

static int
snapshots(struct wsc *c)
{
	int n = 0;

	for (size_t i = 0; i < json_array_size(c->msgs); i++)
		n += strcmp(wt_str(json_array_get(c->msgs, i), "type"), "snapshot") == 0;
	return n;
}

struct nsnap {
	struct wsc *c;
	int n;
};

static int
has_snapshots(void *arg)
{
	struct nsnap *w = arg;

	return snapshots(w->c) >= w->n;
}

/*
 * The stream's promises over everything c received: after each
 * snapshot, events newer than its position in order, checks messages
 * newer than its live number in order; no outbox event twice in the
 * whole stream. Then c's view (its last snapshot and the rows after it)
 * holds each check as the API shows it.
 */
static void
assert_stream(struct wsc *c)
{
	json_t *m, *seen = json_object(), *view = json_object(), *api, *row;
	long long pos = -1, live = -1, last = 0, last_live = 0;
	size_t i, k;
	char key[512];

	json_array_foreach(c->msgs, i, m) {
		const char *t = wt_str(m, "type");

		if (strcmp(t, "snapshot") == 0) {
			pos = last = json_integer_value(json_object_get(m, "position"));
			live = last_live = json_integer_value(json_object_get(m, "live"));
			json_object_clear(view);
			json_array_foreach(json_object_get(m, "checks"), k, row) {
				snprintf(key, sizeof(key), "%s/%s", wt_str(row, "host"),
				    wt_str(row, "service"));
				json_object_set(view, key, row);
			}
			continue;
		}
		ck_assert_msg(pos >= 0, "message %zu (%s) before any snapshot", i, t);
		if (strcmp(t, "checks") == 0) {
			long long n = json_integer_value(json_object_get(m, "live"));

			ck_assert_msg(n > live && n > last_live, "checks %lld after %lld (snapshot %lld)",
			    n, last_live, live);
			last_live = n;
			json_array_foreach(json_object_get(m, "checks"), k, row) {
				json_t *merged;

				snprintf(key, sizeof(key), "%s/%s", wt_str(row, "host"),
				    wt_str(row, "service"));
				merged = json_deep_copy(json_object_get(view, key));
				if (merged == NULL)
					merged = json_object();
				json_object_update(merged, row);
				json_object_set_new(view, key, merged);
			}
		} else if (json_object_get(m, "seq") != NULL) {
			long long seq = json_integer_value(json_object_get(m, "seq"));

			snprintf(key, sizeof(key), "%lld", seq);
			ck_assert_msg(json_object_get(seen, key) == NULL, "event %lld twice", seq);
			json_object_set_new(seen, key, json_true());
			ck_assert_msg(seq > pos && seq > last, "seq %lld after %lld (snapshot %lld)", seq,
			    last, pos);
			last = seq;
		}
	}
	api = wt_get("/api/v1/checks", TOKEN, 200);
	ck_assert_uint_eq(json_object_size(view), json_array_size(json_object_get(api, "checks")));
	json_array_foreach(json_object_get(api, "checks"), i, row) {
		json_t *v;

		snprintf(key, sizeof(key), "%s/%s", wt_str(row, "host"), wt_str(row, "service"));
		ck_assert_ptr_nonnull(v = json_object_get(view, key));
		ck_assert_msg(strcmp(wt_str(v, "state"), wt_str(row, "state")) == 0 &&
		    strcmp(wt_str(v, "output"), wt_str(row, "output")) == 0,
		    "%s: the stream says %s \"%s\", the API %s \"%s\"", key, wt_str(v, "state"),
		    wt_str(v, "output"), wt_str(row, "state"), wt_str(row, "output"));
	}
	json_decref(api);
	json_decref(view);
	json_decref(seen);
}

START_TEST(the_stream_survives_a_rabbitmq_restart)
{
	struct wsc *c = wsc_open(SUB);
	struct want before = { c, "db-01", "before the restart", 1 };
	struct want after = { c, "db-01", "after the restart", 2 };
	struct nsnap two = { c, 2 };

	ck_assert(wsc_until(wsc_has_snapshot, c, 30) && !c->closed);
	wt_result("db-01/backup", "CRITICAL", "before the restart", TOKEN);
	ck_assert_msg(wsc_until(has_output, &before, 30), "no row before the restart");
	ck_assert_int_eq(it_harness(harness_dir, "stop-rabbitmq"), 0);
	wsc_until(wsc_is_closed, c, 2);		/* a while without the broker */
	ck_assert_int_eq(it_harness(harness_dir, "start-rabbitmq"), 0);
	/* vigil-web's broker link back: a new snapshot for every client */
	if (!wsc_until(has_snapshots, &two, 90)) {
		it_dump(&env, "web1.log");
		ck_abort_msg("no new snapshot after the broker came back");
	}
	ck_assert(!c->closed);
	ck_assert(it_wait_log(&env, "engine.log", "amqp up name=engine generation=2", 60) >= 0);
	wt_result("db-01/backup", "WARNING", "after the restart", TOKEN);
	wt_result("db-02/backup", "OK", "after the restart", TOKEN);
	if (!wsc_until(has_output, &after, 30)) {
		it_dump(&env, "web1.log");
		it_dump(&env, "engine.log");
		ck_abort_msg("no row after the restart");
	}
	after.host = "db-02";
	ck_assert(wsc_until(has_output, &after, 30));
	assert_stream(c);
}
END_TEST

START_TEST(a_client_of_a_restarted_vigil_web_resyncs)
{
	struct wsc *c1 = wsc_open(SUB), *c2;
	struct want missed = { NULL, "db-02", "while vigil-web was away", 0 };
	struct want later = { NULL, "db-02", "after vigil-web came back", 1 };
	json_t *snap, *row;
	char *out = NULL;
	size_t i;
	int found = 0;

	ck_assert(wsc_until(wsc_has_snapshot, c1, 30) && !c1->closed);
	ck_assert_int_eq(it_stop(web, SIGTERM, 15), 0);
	web = 0;
	ck_assert_msg(wsc_until(wsc_is_closed, c1, 30), "the client did not see vigil-web go");
	/* straight to the broker: vigil-web is not there to take it */
	ck_assert_msg(it_run(&env, "submit.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "submit", "db-02/backup", "CRITICAL", "while vigil-web was away", NULL }, &out) == 0,
	    "%s", out);
	free(out);
	ck_assert(it_wait_sql(&env, "SELECT count(*) FROM check_state WHERE output = "
	    "'while vigil-web was away'", "1", 30) >= 0);
	start_web();
	c2 = wsc_open(SUB);
	ck_assert(wsc_until(wsc_has_snapshot, c2, 30) && !c2->closed);
	snap = json_array_get(c2->msgs, (size_t)wsc_find(c2, "snapshot", 0));
	json_array_foreach(json_object_get(snap, "checks"), i, row)
		if (strcmp(wt_str(row, "host"), missed.host) == 0) {
			ck_assert_str_eq(wt_str(row, "state"), "CRITICAL");
			ck_assert_str_eq(wt_str(row, "output"), missed.output);
			found = 1;
		}
	ck_assert_msg(found, "db-02 is not in the snapshot");
	later.c = c2;
	wt_result("db-02/backup", "OK", "after vigil-web came back", TOKEN);
	ck_assert(wsc_until(has_output, &later, 30));
	assert_stream(c2);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("live");
	TCase *tc = tcase_create("restarts");

	tcase_add_unchecked_fixture(tc, setup_all, teardown_all);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, the_stream_survives_a_rabbitmq_restart);
	tcase_add_test(tc, a_client_of_a_restarted_vigil_web_resyncs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run_nofork(suite());
}
