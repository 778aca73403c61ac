/*
 * NAME
 *	it_events - vigil-web's live stream (websocket /api/v1/events) end to
 *	end: real PostgreSQL, RabbitMQ, engine and vigil-web
 * DESCRIPTION
 *	Clients are libwebsockets clients (subprotocol vigil-events) driven
 *	by the test's own service loop. Hosts db-01 (group rack-a) and db-02
 *	(rack-b), both racks under dc, each with a passive service `backup`;
 *	results go in through the API. Shown: a snapshot with its position,
 *	then every event after it exactly once; a subscriber to one group
 *	gets only that subtree's state and group events; an unknown token is
 *	refused with close code 4401; a client that stops reading is closed
 *	(4001, resync, when the close frame gets through) while another keeps
 *	getting every event.
 * DIAGNOSTICS
 *	A failing test prints the daemons' logs.
 */
#include <check.h>
#include <curl/curl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auth.h"
#include "itutil.h"
#include "mqcli.h"
#include "strbuf.h"
#include "tests/testutil.h"
#include "util.h"
#include "web/tokens.h"
#include "webtest.h"
#include "wsclient.h"
#include "xalloc.h"

#define READ_TOKEN "r3ad-t0ken-of-it-events"
#define WRITE_TOKEN "wr1te-t0ken-of-it-events"

static struct it_env env;
static pid_t engine, web;
static int port;

struct want_state {
	struct wsc *c;
	const char *host, *service;
	int state;
};

/* A state event for host/service with state. */
static int
has_state(void *arg)
{
	struct want_state *w = arg;
	json_t *m;
	size_t i;

	json_array_foreach(w->c->msgs, i, m)
		if (strcmp(wt_str(m, "type"), "state") == 0 && strcmp(wt_str(m, "host"), w->host) == 0 &&
		    strcmp(wt_str(m, "service"), w->service) == 0 &&
		    json_integer_value(json_object_get(m, "state")) == w->state)
			return 1;
	return 0;
}

static void
setup_all(void)
{
	char hr[65], hw[65], *tokens, *extra, *tf;
	const char *cfg;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	it_env_init(&env, "events");
	tokens_hash_hex(READ_TOKEN, hr);
	tokens_hash_hex(WRITE_TOKEN, hw);
	tokens = xasprintf("reader read %s\nops write %s\n", hr, hw);
	tf = tu_write_file(env.dir, "tokens", tokens);
	chmod(tf, 0600);
	port = it_free_port();
	wt_init(&env, port);
	extra = xasprintf("http:\n  listen: 127.0.0.1:%d\n  api_token_file: %s\n"
	    "  max_client_queue: 1MiB\n", port, tf);
	cfg = it_write_config(&env, extra, "a.yaml",
	    "commands: {none: [/bin/true]}\n"
	    "groups:\n  dc: {title: Datacenter}\n"
	    "  rack-a: {parents: dc, hosts: [db-01]}\n  rack-b: {parents: dc, hosts: [db-02]}\n"
	    "hosts:\n"
	    "  db-01: {services: {backup: {command: none, active: false}}}\n"
	    "  db-02: {services: {backup: {command: none, active: false}}}\n");
	engine = it_spawn(&env, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL });
	if (it_wait_log(&env, "engine.log", "started", 60) < 0) {
		it_dump(&env, "engine.log");
		ck_abort_msg("the engine did not start");
	}
	web = it_spawn(&env, "web.log", "web/vigil-web", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_log(&env, "web.log", "amqp up", 30) < 0) {
		it_dump(&env, "web.log");
		ck_abort_msg("vigil-web did not start");
	}
	wsc_init(port);
	free(tokens);
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
	curl_global_cleanup();
}

START_TEST(a_snapshot_then_every_event_after_it_once)
{
	struct wsc *c = wsc_open("{\"token\":\"" READ_TOKEN "\"}");
	struct want_state w = { c, "db-01", "backup", 2 };
	json_t *snap, *m;
	long long pos, live, last = 0, last_live;
	size_t i;
	int si;

	ck_assert_msg(wsc_until(wsc_has_snapshot, c, 30), "no snapshot");
	si = wsc_find(c, "snapshot", 0);
	snap = json_array_get(c->msgs, (size_t)si);
	pos = json_integer_value(json_object_get(snap, "position"));
	live = last_live = json_integer_value(json_object_get(snap, "live"));
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "checks")), 2);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "groups")), 3);
	wt_result("db-01/backup", "CRITICAL", "CRITICAL from the test", WRITE_TOKEN);
	if (!wsc_until(has_state, &w, 30)) {
		it_dump(&env, "web.log");
		ck_abort_msg("no state event for db-01/backup");
	}
	/* after the snapshot: only events newer than its position, in order,
	 * none twice */
	for (i = (size_t)si + 1; i < json_array_size(c->msgs); i++) {
		long long seq;

		m = json_array_get(c->msgs, i);
		if (strcmp(wt_str(m, "type"), "worker") == 0)
			continue;
		if (strcmp(wt_str(m, "type"), "checks") == 0) {
			long long n = json_integer_value(json_object_get(m, "live"));

			ck_assert_msg(n > live && n > last_live, "live %lld after %lld (snapshot %lld)",
			    n, last_live, live);
			last_live = n;
			continue;
		}
		seq = json_integer_value(json_object_get(m, "seq"));
		ck_assert_msg(seq > pos && seq > last, "seq %lld after %lld (position %lld)", seq,
		    last, pos);
		last = seq;
	}
}
END_TEST

START_TEST(a_group_subscriber_gets_only_its_subtree)
{
	struct wsc *a = wsc_open("{\"token\":\"" READ_TOKEN "\",\"groups\":[\"rack-a\"]}");
	struct wsc *all = wsc_open("{\"token\":\"" READ_TOKEN "\"}");
	struct want_state wa = { a, "db-01", "backup", 1 }, wall = { all, "db-02", "backup", 1 };
	json_t *m, *snap;
	size_t i;

	ck_assert(wsc_until(wsc_has_snapshot, a, 30) && wsc_until(wsc_has_snapshot, all, 30));
	snap = json_array_get(a->msgs, (size_t)wsc_find(a, "snapshot", 0));
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "checks")), 1);
	ck_assert_str_eq(wt_str(json_array_get(json_object_get(snap, "checks"), 0), "host"),
	    "db-01");
	wt_result("db-02/backup", "WARNING", "WARNING from the test", WRITE_TOKEN);
	wt_result("db-01/backup", "WARNING", "WARNING from the test", WRITE_TOKEN);
	ck_assert_msg(wsc_until(has_state, &wa, 30), "no state event for db-01 in rack-a");
	ck_assert_msg(wsc_until(has_state, &wall, 30), "no state event for db-02");
	json_array_foreach(a->msgs, i, m) {
		const char *t = wt_str(m, "type");

		if (strcmp(t, "state") == 0)
			ck_assert_str_eq(wt_str(m, "host"), "db-01");
		if (strcmp(t, "group") == 0)
			ck_assert_msg(strcmp(wt_str(m, "name"), "rack-a") == 0, "%s", wt_str(m, "name"));
		if (strcmp(t, "checks") == 0) {
			json_t *rows = json_object_get(m, "checks");

			ck_assert_uint_ge(json_array_size(rows), 1);
			for (size_t k = 0; k < json_array_size(rows); k++)
				ck_assert_str_eq(wt_str(json_array_get(rows, k), "host"), "db-01");
		}
	}
}
END_TEST

struct want_row {
	struct wsc *c;
	const char *host, *service, *key, *value;	/* value NULL: key is true */
};

/* A checks message with a row of host/service whose key is value. */
static int
has_row(void *arg)
{
	struct want_row *w = arg;
	json_t *m, *row;
	size_t i, k;

	json_array_foreach(w->c->msgs, i, m) {
		if (strcmp(wt_str(m, "type"), "checks") != 0)
			continue;
		json_array_foreach(json_object_get(m, "checks"), k, row) {
			json_t *v = json_object_get(row, w->key);

			if (strcmp(wt_str(row, "host"), w->host) == 0 &&
			    strcmp(wt_str(row, "service"), w->service) == 0 &&
			    (w->value == NULL ? json_is_true(v) : json_is_string(v) &&
			    strcmp(json_string_value(v), w->value) == 0))
				return 1;
		}
	}
	return 0;
}

/*
 * Every result comes as its check's row, a result that changes no state
 * too (no state event for it), and so does an acknowledgement: what a
 * dashboard needs to redraw a row without asking the API.
 */
START_TEST(every_result_and_acknowledgement_comes_as_its_row)
{
	struct wsc *c = wsc_open("{\"token\":\"" READ_TOKEN "\",\"types\":[\"checks\"],"
	    "\"host\":\"db-02\"}");
	struct want_row first = { c, "db-02", "backup", "output", "CRITICAL from the test" };
	struct want_row again = { c, "db-02", "backup", "output", "still failing" };
	struct want_row acked = { c, "db-02", "backup", "acknowledged", NULL };
	json_t *j;

	ck_assert(wsc_until(wsc_has_snapshot, c, 30));
	wt_result("db-02/backup", "CRITICAL", "CRITICAL from the test", WRITE_TOKEN);
	ck_assert_msg(wsc_until(has_row, &first, 30), "no row for the first result");
	j = wt_post("/api/v1/checks/db-02/backup/result", WRITE_TOKEN,
	    "{\"state\":\"CRITICAL\",\"output\":\"still failing\"}", 202);
	json_decref(j);
	ck_assert_msg(wsc_until(has_row, &again, 30), "no row for a result that changed no state");
	j = wt_post("/api/v1/checks/db-02/backup/ack", WRITE_TOKEN, "{\"comment\":\"on it\"}",
	    200);
	json_decref(j);
	ck_assert_msg(wsc_until(has_row, &acked, 30), "no row for the acknowledgement");
	/* the subscription's types: no state, group or worker events */
	for (size_t i = 0; i < json_array_size(c->msgs); i++) {
		const char *t = wt_str(json_array_get(c->msgs, i), "type");

		ck_assert_msg(strcmp(t, "checks") == 0 || strcmp(t, "snapshot") == 0, "%s", t);
	}
}
END_TEST

static int
has_two_snapshots(void *arg)
{
	struct wsc *c = arg;
	int i = wsc_find(c, "snapshot", 0);

	return i >= 0 && wsc_find(c, "snapshot", (size_t)i + 1) >= 0;
}

/* A new subscription on the same connection: a snapshot of what it
 * selects, then only its events. */
START_TEST(a_client_may_change_its_subscription)
{
	struct wsc *c = wsc_open("{\"token\":\"" READ_TOKEN "\",\"host\":\"db-01\"}");
	struct want_row two = { c, "db-02", "backup", "output", "after the change" };
	json_t *snap, *m;
	size_t i;
	int si;

	ck_assert(wsc_until(wsc_has_snapshot, c, 30) && !c->closed);
	wsc_resubscribe(c, "{\"token\":\"" READ_TOKEN "\",\"host\":\"db-02\"}");
	ck_assert_msg(wsc_until(has_two_snapshots, c, 30), "no snapshot for the new subscription");
	si = wsc_find(c, "snapshot", (size_t)wsc_find(c, "snapshot", 0) + 1);
	snap = json_array_get(c->msgs, (size_t)si);
	ck_assert_uint_eq(json_array_size(json_object_get(snap, "checks")), 1);
	ck_assert_str_eq(wt_str(json_array_get(json_object_get(snap, "checks"), 0), "host"),
	    "db-02");
	wt_result("db-01/backup", "OK", "not for this client", WRITE_TOKEN);
	wt_result("db-02/backup", "OK", "after the change", WRITE_TOKEN);
	ck_assert_msg(wsc_until(has_row, &two, 30), "no row of db-02");
	for (i = (size_t)si + 1; i < json_array_size(c->msgs); i++) {
		m = json_array_get(c->msgs, i);
		if (json_object_get(m, "host") != NULL)
			ck_assert_str_eq(wt_str(m, "host"), "db-02");
		if (strcmp(wt_str(m, "type"), "checks") == 0)
			ck_assert_str_eq(wt_str(json_array_get(json_object_get(m, "checks"), 0),
			    "host"), "db-02");
	}
}
END_TEST

START_TEST(an_unknown_token_is_refused)
{
	struct wsc *c = wsc_open("{\"token\":\"nope\"}");

	ck_assert(wsc_until(wsc_is_closed, c, 15));
	ck_assert_int_eq(c->close_code, 4401);
	ck_assert_int_ge(wsc_find(c, "error", 0), 0);
}
END_TEST

struct count_want {
	struct wsc *c;
	size_t n;
};

/* n state events of host "flood" */
static int
has_flood(void *arg)
{
	struct count_want *w = arg;
	json_t *m;
	size_t i, n = 0;

	json_array_foreach(w->c->msgs, i, m)
		if (strcmp(wt_str(m, "type"), "state") == 0 && strcmp(wt_str(m, "host"), "flood") == 0)
			n++;
	return n >= w->n;
}

/*
 * A websocket client on a socket with a 4 KiB receive buffer (so what
 * the kernel holds for it is small and the server's queue grows soon):
 * the handshake, the subscription sub in one masked frame, then reading
 * until the snapshot has come. Its descriptor.
 */
static int
slow_client_at(int at, const char *sub)
{
	static const char req[] = "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: c2xvdy1jbGllbnQta2V5IQ==\r\nSec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Protocol: vigil-events\r\n\r\n";
	static const unsigned char mask[4] = { 0x5a, 0xa5, 0x3c, 0xc3 };
	unsigned char frame[256];
	size_t n = strlen(sub), k = 0;
	struct strbuf got = { 0 };
	double end = util_now() + 30;
	int fd = wt_connect(at, 4096);

	ck_assert_uint_lt(n, 126);
	ck_assert_int_eq(write(fd, req, sizeof(req) - 1), (ssize_t)sizeof(req) - 1);
	frame[k++] = 0x81;		/* final, text */
	frame[k++] = 0x80 | (unsigned char)n;	/* masked, as from every client */
	memcpy(frame + k, mask, 4);
	k += 4;
	for (size_t i = 0; i < n; i++)
		frame[k++] = (unsigned char)sub[i] ^ mask[i % 4];
	ck_assert_int_eq(write(fd, frame, k), (ssize_t)k);
	while (util_now() < end && (got.s == NULL || strstr(got.s, "\"snapshot\"") == NULL)) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		char buf[4096];
		ssize_t r;

		if (poll(&pf, 1, 100) <= 0)
			continue;
		r = read(fd, buf, sizeof(buf));
		ck_assert_int_gt(r, 0);
		/* frames carry no NUL: one between reads keeps strstr in bounds */
		strbuf_add(&got, buf, (size_t)r);
		strbuf_add(&got, "", 1);
		got.len--;
	}
	ck_assert_msg(got.s != NULL && strstr(got.s, "\"snapshot\"") != NULL,
	    "the slow client got no snapshot: %s", got.s != NULL ? got.s : "(nothing)");
	free(got.s);
	return fd;
}

static int
slow_client(const char *sub)
{
	return slow_client_at(port, sub);
}

/* Whether the server ended fd's connection: reading it to its end (with
 * serve, the websocket clients served meanwhile). */
static int
drained_to_eof(int fd, double timeout, int serve)
{
	double end = util_now() + timeout;
	char buf[65536];

	while (util_now() < end) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (serve)	/* the websocket clients too: they answer pings */
			wsc_service(-1);
		if (poll(&pf, 1, serve ? 5 : 100) <= 0)
			continue;
		r = read(fd, buf, sizeof(buf));
		if (r <= 0)
			return 1;
	}
	return 0;
}

/*
 * A client that stops reading is closed once http.max_client_queue
 * (1 MiB here) waits for it, and that is all the server holds for it;
 * the other one gets every event. The events are published straight to
 * the events exchange (a flood the engine would take long to make), with
 * ids past the engine's: so this test comes last.
 */
START_TEST(a_client_that_stops_reading_is_cut_off)
{
	struct wsc *c = wsc_open("{\"token\":\"" READ_TOKEN "\",\"types\":[\"state\"],"
	    "\"host\":\"flood\"}");
	struct count_want w = { c, 0 };
	char x[128], err[256], pad[401], *body;
	struct mqcli *mq;
	struct auth *key;
	int slow, n;

	ck_assert(wsc_until(wsc_has_snapshot, c, 30));
	slow = slow_client("{\"token\":\"" READ_TOKEN "\"}");
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	snprintf(x, sizeof(x), "%s.events", env.prefix);
	ck_assert_ptr_nonnull(mq = mqcli_open(env.amqp, 10, err, sizeof(err)));
	mqcli_set_auth(mq, key = it_auth(&env));	/* as the engine tags them */
	/* 1 MiB of queue and what the sockets hold: some 3,000 events of
	 * ~500 bytes; 20,000 is the bound that says it never came */
	for (n = 0; n < 20000; n++) {
		char id[32];

		snprintf(id, sizeof(id), "%d", 1000000000 + n);
		body = xasprintf("{\"v\":1,\"type\":\"state\",\"host\":\"flood\",\"service\":\"s\","
		    "\"state\":%d,\"output\":\"%s\"}", n % 2, pad);
		ck_assert_msg(mqcli_send_id(mq, x, "state.flood.s", body, strlen(body), id, err,
		    sizeof(err)) == 0, "%s", err);
		free(body);
		wsc_service(-1);	/* no wait: vigil-web writes at most every 20 ms */
		if (n % 100 == 99 && it_wait_log(&env, "web.log", "too slow", 0) >= 0)
			break;
	}
	mqcli_close(mq);
	auth_free(key);
	ck_assert_msg(it_wait_log(&env, "web.log", "too slow", 30) >= 0,
	    "the slow client was not cut off after %d events", n);
	w.n = (size_t)n;
	ck_assert_msg(wsc_until(has_flood, &w, 60), "the reading client did not get all %d events", n);
	ck_assert(!c->closed);
	/* what it was sent ends, then the connection: it resyncs */
	ck_assert(drained_to_eof(slow, 30, 0));
	close(slow);
}
END_TEST

static int
never(void *arg)
{
	(void)arg;
	return 0;
}


/*
 * Heartbeats: a connection that answers no ping is dropped after twice
 * http.ping, one that answers (libwebsockets' client does) is kept. On a
 * second vigil-web with a ping of 1 s, so that the others here are not
 * pinged.
 */
START_TEST(a_connection_that_answers_no_ping_is_dropped)
{
	int port2 = it_free_port(), dead;
	char *yaml, *cfg;
	struct wsc *c;
	struct want_row w;
	pid_t web2;
	double t0, t_eof;

	yaml = xasprintf("conf_dir: conf.d\nprefix: %s\namqp: \"%s\"\npostgres: \"%s\"\n"
	    "schema_dir: %s/schema\nhttp:\n  listen: 127.0.0.1:%d\n"
	    "  api_token_file: %s/tokens\n  ping: 1s\nauth_key_file: %s\n", env.prefix, env.amqp,
	    env.pg, env.srcdir, port2, env.dir, it_key_file(&env));
	cfg = tu_write_file(env.dir, "web2.yaml", yaml);
	web2 = it_spawn(&env, "web2.log", "web/vigil-web", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_log(&env, "web2.log", "amqp up", 30) < 0) {
		it_dump(&env, "web2.log");
		ck_abort_msg("the second vigil-web did not start");
	}
	c = wsc_open_at(port2, "{\"token\":\"" READ_TOKEN "\",\"types\":[\"checks\"]}");
	ck_assert(wsc_until(wsc_has_snapshot, c, 30));
	/* reads (pings too) but never answers */
	dead = slow_client_at(port2, "{\"token\":\"" READ_TOKEN "\"}");
	t0 = util_now();
	ck_assert_msg(drained_to_eof(dead, 30, 1), "a connection that answers no ping was kept");
	ck_assert_msg(it_wait_log(&env, "web2.log", "silent for", 5) >= 0, "no log of the drop");
	close(dead);
	/* the one that answers outlives a few of its pings, and is live */
	t_eof = util_now() - t0;
	(void)wsc_until(never, NULL, 4);
	if (c->closed)
		it_dump(&env, "web2.log");
	ck_assert_msg(!c->closed, "(the other dropped after %.1f s) " "a client that answers pings was dropped after %.1f s",
	    t_eof, util_now() - t0);
	wt_result("db-02/backup", "OK", "OK after the pings", WRITE_TOKEN);
	w = (struct want_row){ c, "db-02", "backup", "output", "OK after the pings" };
	ck_assert_msg(wsc_until(has_row, &w, 30), "the client kept got no row after the pings");
	ck_assert_int_eq(it_stop(web2, SIGTERM, 15), 0);
	free(yaml);
	free(cfg);
}
END_TEST

START_TEST(vigil_web_stops_cleanly)
{
	ck_assert_int_eq(WEXITSTATUS(it_stop(web, SIGTERM, 15)), 0);
	web = 0;
}
END_TEST

static Suite *
events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("events");

	tcase_set_timeout(tc, 400);
	tcase_add_unchecked_fixture(tc, setup_all, teardown_all);
	tcase_add_test(tc, a_snapshot_then_every_event_after_it_once);
	tcase_add_test(tc, a_group_subscriber_gets_only_its_subtree);
	tcase_add_test(tc, every_result_and_acknowledgement_comes_as_its_row);
	tcase_add_test(tc, a_client_may_change_its_subscription);
	tcase_add_test(tc, an_unknown_token_is_refused);
	tcase_add_test(tc, a_client_that_stops_reading_is_cut_off);
	tcase_add_test(tc, a_connection_that_answers_no_ping_is_dropped);
	tcase_add_test(tc, vigil_web_stops_cleanly);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(events_suite());
}
