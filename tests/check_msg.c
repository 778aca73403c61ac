/*
 * NAME
 *	check_msg - job, result, worker heartbeat and notification messages
 *	round-trip; bad ones are refused with the field named (lib/msg.c)
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "msg.h"
#include "xalloc.h"
#include "tests/testutil.h"

START_TEST(job_round_trips)
{
	char *argv[] = { "/bin/echo", "a;b $(id)", "`x`\n'\"", NULL };
	struct job j = { .check_id = 17, .host = "web-01", .service = NULL, .pool = "eu-1",
		.argv = argv, .argc = 3, .timeout = 60, .timeout_state = 2,
		.scheduled = 1732190000.25, .deadline = 1732190060.25 };
	struct job k;
	char err[256], *s;
	size_t len;

	strcpy(j.id, "0123456789abcdef0123456789abcdef");
	s = msg_job_encode(&j, &len);
	ck_assert_int_eq(msg_job_decode(s, len, &k, err, sizeof(err)), 0);
	ck_assert_str_eq(k.id, j.id);
	ck_assert_int_eq(k.check_id, 17);
	ck_assert_str_eq(k.host, "web-01");
	ck_assert_ptr_null(k.service);
	ck_assert_str_eq(k.pool, "eu-1");
	ck_assert_uint_eq(k.argc, 3);
	ck_assert_str_eq(k.argv[1], "a;b $(id)");
	ck_assert_str_eq(k.argv[2], "`x`\n'\"");
	ck_assert_ptr_null(k.argv[3]);
	ck_assert_double_eq(k.deadline, 1732190060.25);
	msg_job_clear(&k);
	free(s);
}
END_TEST

START_TEST(result_round_trips_and_passive_time_becomes_start)
{
	struct result_msg r = { .check_id = 5, .host = "h", .service = "s", .status = 2,
		.output = "CRIT | a=1", .pool = "p", .worker = "w:1", .scheduled = 10,
		.start = 11, .end = 12.5, .exit_code = 2 };
	struct result_msg q;
	char err[256], *s;
	const char *passive = "{\"v\":1,\"host\":\"web-01\",\"service\":\"backup\","
	    "\"status\":0,\"output\":\"backup ok | size=12GB\",\"time\":1732190000}";
	size_t len;

	strcpy(r.job, "abc");
	s = msg_result_encode(&r, &len);
	ck_assert_int_eq(msg_result_decode(s, len, &q, err, sizeof(err)), 0);
	ck_assert_str_eq(q.job, "abc");
	ck_assert_int_eq(q.status, 2);
	ck_assert_int_eq(q.exit_code, 2);
	ck_assert_str_eq(q.output, "CRIT | a=1");
	ck_assert_double_eq(q.end, 12.5);
	msg_result_clear(&q);
	free(s);

	ck_assert_int_eq(msg_result_decode(passive, strlen(passive), &q, err, sizeof(err)), 0);
	ck_assert_str_eq(q.job, "");
	ck_assert_str_eq(q.id, "");
	ck_assert_str_eq(q.service, "backup");
	ck_assert_double_eq(q.start, 1732190000);
	ck_assert_int_eq(q.exit_code, -1);
	msg_result_clear(&q);

	/* a passive result's own id, 128 characters at most, round trips */
	memset(&r, 0, sizeof(r));
	r.host = "h";
	r.output = "ok";
	r.exit_code = -1;
	memset(r.id, 'k', MSG_RESULT_ID_MAX);
	r.id[0] = '~';
	s = msg_result_encode(&r, &len);
	ck_assert_int_eq(msg_result_decode(s, len, &q, err, sizeof(err)), 0);
	ck_assert_str_eq(q.id, r.id);
	ck_assert_uint_eq(strlen(q.id), 128);
	msg_result_clear(&q);
	free(s);
}
END_TEST

#define ID_64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct {
	const char *body, *err;
} bad_table[] = {
	{ "not json", "invalid JSON" },
	{ "[1]", "not a JSON object" },
	{ "{\"host\":\"h\",\"status\":0,\"output\":\"\"}", "\"v\"" },
	{ "{\"v\":2,\"host\":\"h\",\"status\":0,\"output\":\"\"}", "\"v\"" },
	{ "{\"v\":1,\"status\":0,\"output\":\"\"}", "\"host\": required" },
	{ "{\"v\":1,\"host\":\"h\",\"status\":7,\"output\":\"\"}", "\"status\": expected 0..3" },
	{ "{\"v\":1,\"host\":\"h\",\"status\":\"0\",\"output\":\"\"}", "\"status\": expected an integer" },
	{ "{\"v\":1,\"host\":\"h\",\"status\":0}", "\"output\": required" },
	{ "{\"v\":1,\"host\":5,\"status\":0,\"output\":\"\"}", "\"host\": expected a string" },
	{ "{\"v\":1,\"id\":\"\",\"host\":\"h\",\"status\":0,\"output\":\"\"}",
	  "\"id\": expected 1 to 128 printable ASCII" },
	{ "{\"v\":1,\"id\":\"a b\",\"host\":\"h\",\"status\":0,\"output\":\"\"}",
	  "\"id\": expected 1 to 128 printable ASCII" },
	{ "{\"v\":1,\"id\":\"caf\u00e9\",\"host\":\"h\",\"status\":0,\"output\":\"\"}",
	  "\"id\": expected 1 to 128 printable ASCII" },
	{ "{\"v\":1,\"id\":\"a\\nb\",\"host\":\"h\",\"status\":0,\"output\":\"\"}",
	  "\"id\": expected 1 to 128 printable ASCII" },
	{ "{\"v\":1,\"id\":7,\"host\":\"h\",\"status\":0,\"output\":\"\"}",
	  "\"id\": expected a string" },
	/* an id of 129 characters: one past MSG_RESULT_ID_MAX */
	{ "{\"v\":1,\"id\":\"" ID_64 ID_64 "9\",\"host\":\"h\","
	  "\"status\":0,\"output\":\"\"}", "\"id\": expected 1 to 128 printable ASCII" },
	/* an event handler's outcome answers its job; kinds are two */
	{ "{\"v\":1,\"kind\":\"event_handler\",\"host\":\"h\",\"status\":0,"
	  "\"output\":\"\"}", "\"kind\": an event handler's result needs its job" },
	{ "{\"v\":1,\"job\":\"0123456789abcdef0123456789abcdef\",\"kind\":\"shell\","
	  "\"host\":\"h\",\"status\":0,\"output\":\"\"}",
	  "\"kind\": expected \"check\" or \"event_handler\"" },
	{ "{\"v\":1,\"job\":\"0123456789abcdef0123456789abcdef\",\"kind\":1,"
	  "\"host\":\"h\",\"status\":0,\"output\":\"\"}", "\"kind\": expected a string" },
};

START_TEST(malformed_results_are_refused_naming_the_field)
{
	struct result_msg q;
	char err[256] = "";

	ck_assert_int_eq(msg_result_decode(bad_table[_i].body, strlen(bad_table[_i].body), &q,
	    err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad_table[_i].err) != NULL, "body %s: error \"%s\"",
	    bad_table[_i].body, err);
}
END_TEST

START_TEST(an_event_handlers_job_and_result_say_their_kind)
{
	char *argv[] = { "/usr/lib/h/restart", "app", NULL };
	struct job j = { .kind = MSG_JOB_EVENT_HANDLER, .check_id = 3, .host = "h",
		.pool = "west", .argv = argv, .argc = 2, .timeout = 30, .timeout_state = 3,
		.scheduled = 1732190000.5, .deadline = 1732190330.5 };
	struct job k;
	struct result_msg r = { .kind = MSG_JOB_EVENT_HANDLER, .host = "h", .output = "done",
		.start = 1732190001, .end = 1732190002, .exit_code = 0 }, q;
	char err[256], *s;
	size_t len;

	strcpy(j.id, "0123456789abcdef0123456789abcdef");
	s = msg_job_encode(&j, &len);
	ck_assert_ptr_nonnull(strstr(s, "\"kind\":\"event_handler\""));
	ck_assert_int_eq(msg_job_decode(s, len, &k, err, sizeof(err)), 0);
	ck_assert_int_eq(k.kind, MSG_JOB_EVENT_HANDLER);
	msg_job_clear(&k);
	free(s);
	/* a check's job says nothing of it, and decodes as a check */
	j.kind = MSG_JOB_CHECK;
	s = msg_job_encode(&j, &len);
	ck_assert_ptr_null(strstr(s, "kind"));
	ck_assert_int_eq(msg_job_decode(s, len, &k, err, sizeof(err)), 0);
	ck_assert_int_eq(k.kind, MSG_JOB_CHECK);
	msg_job_clear(&k);
	free(s);
	strcpy(r.job, j.id);
	s = msg_result_encode(&r, &len);
	ck_assert_int_eq(msg_result_decode(s, len, &q, err, sizeof(err)), 0);
	ck_assert_int_eq(q.kind, MSG_JOB_EVENT_HANDLER);
	msg_result_clear(&q);
	free(s);
}
END_TEST

START_TEST(job_with_relative_plugin_path_is_refused)
{
	const char *b = "{\"v\":1,\"job\":\"a\",\"check\":1,\"host\":\"h\",\"pool\":\"p\","
	    "\"argv\":[\"check_x\"],\"timeout\":5,\"scheduled\":1,\"deadline\":2}";
	struct job j;
	char err[256];

	ck_assert_int_eq(msg_job_decode(b, strlen(b), &j, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "absolute path"));
}
END_TEST

/* The places of $USERn$ travel with the job (never a value); a plugin path
 * that starts with one is the worker's to check once filled in. */
START_TEST(job_user_macro_places_round_trip)
{
	char *argv[] = { "$USER1$/check_x", "-p", "$USER3$", NULL };
	struct job j = { .check_id = 1, .host = "h", .pool = "p", .argv = argv, .argc = 3,
		.users = "0:0:1;2:0:3", .timeout = 5, .timeout_state = 2, .scheduled = 1,
		.deadline = 2 };
	const char *no_places = "{\"v\":1,\"job\":\"a\",\"check\":1,\"host\":\"h\","
	    "\"pool\":\"p\",\"argv\":[\"$USER1$/check_x\"],\"timeout\":5,\"scheduled\":1,"
	    "\"deadline\":2}";
	struct job k;
	char err[256], *s;
	size_t len;

	strcpy(j.id, "0123456789abcdef0123456789abcdef");
	s = msg_job_encode(&j, &len);
	ck_assert_int_eq(msg_job_decode(s, len, &k, err, sizeof(err)), 0);
	ck_assert_str_eq(k.users, "0:0:1;2:0:3");
	ck_assert_str_eq(k.argv[0], "$USER1$/check_x");
	msg_job_clear(&k);
	free(s);
	j.users = NULL;
	s = msg_job_encode(&j, &len);
	ck_assert_ptr_null(strstr(s, "users"));
	free(s);
	ck_assert_int_eq(msg_job_decode(no_places, strlen(no_places), &k, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "absolute path"));
}
END_TEST

START_TEST(worker_heartbeat_round_trips)
{
	struct worker_msg w = { .pool = "eu-1", .host = "w1", .id = "w1:4242",
		.version = "0.1.0", .pid = 4242, .concurrency = 64, .running = 3,
		.awaiting = 1, .started = 1732190000.5, .time = 1732190300.25 };
	struct worker_msg k;
	char err[256], *s;
	size_t len;

	s = msg_worker_encode(&w, &len);
	ck_assert_ptr_nonnull(strstr(s, "\"type\":\"worker\""));
	ck_assert_ptr_null(strstr(s, "stopping"));
	ck_assert_int_eq(msg_worker_decode(s, len, &k, err, sizeof(err)), 0);
	ck_assert_str_eq(k.pool, "eu-1");
	ck_assert_str_eq(k.host, "w1");
	ck_assert_str_eq(k.id, "w1:4242");
	ck_assert_str_eq(k.version, "0.1.0");
	ck_assert_int_eq(k.pid, 4242);
	ck_assert_int_eq(k.concurrency, 64);
	ck_assert_int_eq(k.running, 3);
	ck_assert_int_eq(k.awaiting, 1);
	ck_assert_double_eq(k.started, 1732190000.5);
	ck_assert_double_eq(k.time, 1732190300.25);
	ck_assert_int_eq(k.stopping, 0);
	msg_worker_clear(&k);
	free(s);
}
END_TEST

START_TEST(last_heartbeat_of_a_clean_stop_says_stopping)
{
	struct worker_msg w = { .pool = "p", .host = "h", .id = "h:1", .version = "x",
		.pid = 1, .concurrency = 1, .started = 1, .time = 2, .stopping = 1 };
	struct worker_msg k;
	char err[256], *s;
	size_t len;

	s = msg_worker_encode(&w, &len);
	ck_assert_int_eq(msg_worker_decode(s, len, &k, err, sizeof(err)), 0);
	ck_assert_int_eq(k.stopping, 1);
	msg_worker_clear(&k);
	free(s);
}
END_TEST

#define HB_HEAD "{\"v\":1,\"type\":\"worker\","
#define HB_TAIL "\"concurrency\":4,\"running\":0,\"awaiting\":0,\"version\":\"1\"," \
	"\"started\":1,\"time\":2"
#define HB_WHO "\"pool\":\"p\",\"host\":\"h\",\"id\":\"h:1\",\"pid\":1,"

static const struct {
	const char *body, *err;
} bad_heartbeat_table[] = {
	{ "{\"v\":1,\"type\":\"state\"," HB_WHO HB_TAIL "}", "\"type\": expected \"worker\"" },
	{ "{\"v\":1," HB_WHO HB_TAIL "}", "\"type\"" },
	{ "{\"v\":2,\"type\":\"worker\"," HB_WHO HB_TAIL "}", "\"v\"" },
	{ HB_HEAD "\"host\":\"h\",\"id\":\"h:1\",\"pid\":1," HB_TAIL "}", "\"pool\": required" },
	{ HB_HEAD "\"pool\":\"\",\"host\":\"h\",\"id\":\"h:1\",\"pid\":1," HB_TAIL "}",
	  "\"pool\": expected a string of 1..255 bytes" },
	{ HB_HEAD "\"pool\":\"p\",\"host\":\"h\",\"id\":\"h:1\",\"pid\":0," HB_TAIL "}",
	  "\"pid\": expected 1..2147483647" },
	{ HB_HEAD "\"pool\":\"p\",\"host\":\"h\",\"id\":\"h:1\",\"pid\":\"1\"," HB_TAIL "}",
	  "\"pid\": expected an integer" },
	{ HB_HEAD HB_WHO "\"concurrency\":4,\"running\":-1,\"awaiting\":0,\"version\":\"1\","
	  "\"started\":1,\"time\":2}", "\"running\": expected 0..2147483647" },
	{ HB_HEAD HB_WHO "\"concurrency\":4,\"running\":0,\"awaiting\":0,\"version\":\"1\","
	  "\"started\":1}", "\"time\": required" },
	{ HB_HEAD HB_WHO HB_TAIL ",\"stopping\":\"yes\"}", "\"stopping\": expected true or false" },
};

START_TEST(malformed_heartbeats_are_refused_naming_the_field)
{
	struct worker_msg k;
	char err[256] = "";

	ck_assert_int_eq(msg_worker_decode(bad_heartbeat_table[_i].body,
	    strlen(bad_heartbeat_table[_i].body), &k, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad_heartbeat_table[_i].err) != NULL, "body %s: error \"%s\"",
	    bad_heartbeat_table[_i].body, err);
	ck_assert_ptr_null(k.pool);
}
END_TEST

START_TEST(heartbeat_with_a_name_longer_than_255_bytes_is_refused)
{
	char host[300], *body;
	struct worker_msg k;
	char err[256] = "";

	memset(host, 'h', 256);
	host[256] = '\0';
	body = xasprintf(HB_HEAD "\"pool\":\"p\",\"host\":\"%s\",\"id\":\"h:1\",\"pid\":1,"
	    HB_TAIL "}", host);
	ck_assert_int_eq(msg_worker_decode(body, strlen(body), &k, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "\"host\": expected a string of 1..255 bytes"));
	host[255] = '\0';
	free(body);
	body = xasprintf(HB_HEAD "\"pool\":\"p\",\"host\":\"%s\",\"id\":\"h:1\",\"pid\":1,"
	    HB_TAIL "}", host);
	ck_assert_int_eq(msg_worker_decode(body, strlen(body), &k, err, sizeof(err)), 0);
	msg_worker_clear(&k);
	free(body);
}
END_TEST


/* ---- notification deliveries ----------------------------------------- */

#define ID1 "0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210"

START_TEST(notification_round_trips)
{
	char *cmd[] = { "/usr/lib/vigil/notify", "$CONTACTEMAIL$", "a b;$(x)", NULL };
	struct cfg_var vars[] = { { "pager", "555" }, { "team", "ops" } };
	struct notification_msg n = { .kind = "PROBLEM", .number = 3, .escalated = 1,
		.channel = "command", .contact = "alice", .contact_alias = "Alice A.",
		.email = "alice@example.org", .slack = "#ops", .webhook = NULL,
		.command = cmd, .ncommand = 3, .vars = vars, .nvars = 2,
		.host = "web-01", .host_address = "10.0.0.5", .host_alias = "Web one",
		.service = "http", .state = "CRITICAL", .old_state = "OK",
		.state_type = "HARD", .attempt = 3, .max_attempts = 3,
		.output = "CRITICAL - refused \u00e9", .long_output = "line 2\nline 3",
		.perfdata = "time=1s", .time = 1732190000.5, .last_state_change = 1732189990.25,
		.author = NULL, .comment = NULL };
	struct notification_msg k;
	char err[256], *s;
	size_t len;

	strcpy(n.id, ID1);
	strcpy(n.notification, ID2);
	s = msg_notification_encode(&n, &len);
	ck_assert_ptr_nonnull(strstr(s, "\"type\":\"notification\""));
	ck_assert_int_eq(msg_notification_decode(s, len, &k, err, sizeof(err)), 0);
	ck_assert_str_eq(k.id, ID1);
	ck_assert_str_eq(k.notification, ID2);
	ck_assert_str_eq(k.kind, "PROBLEM");
	ck_assert_int_eq(k.number, 3);
	ck_assert_int_eq(k.escalated, 1);
	ck_assert_str_eq(k.channel, "command");
	ck_assert_str_eq(k.contact, "alice");
	ck_assert_str_eq(k.contact_alias, "Alice A.");
	ck_assert_str_eq(k.email, "alice@example.org");
	ck_assert_str_eq(k.slack, "#ops");
	ck_assert_ptr_null(k.webhook);
	ck_assert_uint_eq(k.ncommand, 3);
	ck_assert_str_eq(k.command[2], "a b;$(x)");
	ck_assert_ptr_null(k.command[3]);
	ck_assert_uint_eq(k.nvars, 2);
	ck_assert_str_eq(k.vars[0].name, "pager");
	ck_assert_str_eq(k.vars[0].value, "555");
	ck_assert_str_eq(k.vars[1].name, "team");
	ck_assert_str_eq(k.host, "web-01");
	ck_assert_str_eq(k.host_address, "10.0.0.5");
	ck_assert_str_eq(k.host_alias, "Web one");
	ck_assert_str_eq(k.service, "http");
	ck_assert_str_eq(k.state, "CRITICAL");
	ck_assert_str_eq(k.old_state, "OK");
	ck_assert_str_eq(k.state_type, "HARD");
	ck_assert_int_eq(k.attempt, 3);
	ck_assert_int_eq(k.max_attempts, 3);
	ck_assert_str_eq(k.output, "CRITICAL - refused \u00e9");
	ck_assert_str_eq(k.long_output, "line 2\nline 3");
	ck_assert_str_eq(k.perfdata, "time=1s");
	ck_assert_double_eq(k.time, 1732190000.5);
	ck_assert_double_eq(k.last_state_change, 1732189990.25);
	ck_assert_ptr_null(k.author);
	ck_assert_ptr_null(k.comment);
	ck_assert_uint_eq(k.nitems, 0);
	msg_notification_clear(&k);
	msg_notification_clear(&k);	/* cleared twice: harmless */
	free(s);
}
END_TEST

START_TEST(digest_round_trips_its_items_and_needs_no_host)
{
	struct notification_item items[] = {
		{ "PROBLEM", "web-01", "http", "CRITICAL", "refused", 1732190000 },
		{ "PROBLEM", "db-01", NULL, "DOWN", "no answer", 1732190001.5 },
	};
	struct notification_msg n = { .kind = "DIGEST", .channel = "email", .contact = "bob",
		.email = "bob@example.org", .time = 1732190010, .items = items, .nitems = 2 };
	struct notification_msg k;
	char err[256], *s;
	size_t len;

	strcpy(n.id, ID1);
	strcpy(n.notification, ID2);
	s = msg_notification_encode(&n, &len);
	ck_assert_int_eq(msg_notification_decode(s, len, &k, err, sizeof(err)), 0);
	ck_assert_str_eq(k.kind, "DIGEST");
	ck_assert_ptr_null(k.host);
	ck_assert_ptr_null(k.state);
	ck_assert_str_eq(k.contact_alias, "bob");
	ck_assert_uint_eq(k.nitems, 2);
	ck_assert_str_eq(k.items[0].host, "web-01");
	ck_assert_str_eq(k.items[0].service, "http");
	ck_assert_str_eq(k.items[0].state, "CRITICAL");
	ck_assert_str_eq(k.items[0].output, "refused");
	ck_assert_str_eq(k.items[1].kind, "PROBLEM");
	ck_assert_ptr_null(k.items[1].service);
	ck_assert_str_eq(k.items[1].state, "DOWN");
	ck_assert_double_eq(k.items[1].time, 1732190001.5);
	msg_notification_clear(&k);
	free(s);
}
END_TEST

START_TEST(notification_with_unknown_fields_and_defaults_decodes)
{
	const char *b = "{\"v\":1,\"type\":\"notification\",\"id\":\"" ID1 "\","
	    "\"notification\":\"" ID2 "\",\"kind\":\"RECOVERY\",\"channel\":\"slack\","
	    "\"contact\":{\"name\":\"alice\",\"slack\":\"#ops\",\"shoe_size\":42},"
	    "\"host\":\"web-01\",\"state\":\"UP\",\"time\":5,\"future\":{\"x\":[1]}}";
	struct notification_msg k;
	char err[256];

	ck_assert_int_eq(msg_notification_decode(b, strlen(b), &k, err, sizeof(err)), 0);
	ck_assert_str_eq(k.host_address, "web-01");
	ck_assert_str_eq(k.host_alias, "web-01");
	ck_assert_ptr_null(k.service);
	ck_assert_ptr_null(k.old_state);
	ck_assert_ptr_null(k.output);
	ck_assert_ptr_null(k.command);
	ck_assert_int_eq(k.escalated, 0);
	ck_assert_int_eq(k.number, 0);
	msg_notification_clear(&k);
}
END_TEST

#define NH "{\"v\":1,\"type\":\"notification\",\"id\":\"" ID1 "\",\"notification\":\"" ID2 "\","
#define NC "\"contact\":{\"name\":\"alice\"},"
#define NT "\"host\":\"h\",\"state\":\"OK\",\"time\":1"

static const struct {
	const char *body, *err;
} bad_notification_table[] = {
	{ "{\"v\":2,\"type\":\"notification\"}", "\"v\"" },
	{ "{\"v\":1,\"type\":\"worker\"}", "\"type\": expected \"notification\"" },
	{ "{\"v\":1,\"type\":\"notification\",\"notification\":\"" ID2 "\",\"kind\":\"PROBLEM\","
	  "\"channel\":\"email\"," NC NT "}", "\"id\": required" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"pigeon\"," NC NT "}",
	  "\"channel\": expected email, slack, webhook or command" },
	{ NH "\"kind\":\"\",\"channel\":\"email\"," NC NT "}", "\"kind\": expected a notification type" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"email\"," NT "}", "\"contact\": expected an object" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"email\",\"contact\":{\"email\":\"a@x\"}," NT "}",
	  "\"contact.name\": required" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"email\",\"contact\":{\"name\":\"a\","
	  "\"command\":[\"/x\",3]}," NT "}", "\"contact.command\": expected an array of strings" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"email\",\"contact\":{\"name\":\"a\","
	  "\"vars\":{\"x\":1}}," NT "}", "\"contact.vars\": expected an object of strings" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"email\"," NC "\"state\":\"OK\",\"time\":1}",
	  "\"host\": required" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"email\"," NC "\"host\":\"h\",\"state\":\"OK\"}",
	  "\"time\": required" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"email\",\"number\":-1," NC NT "}",
	  "\"number\": expected 0..2147483647" },
	{ NH "\"kind\":\"PROBLEM\",\"channel\":\"email\",\"escalated\":\"yes\"," NC NT "}",
	  "\"escalated\": expected true or false" },
	{ NH "\"kind\":\"DIGEST\",\"channel\":\"email\"," NC "\"time\":1,\"items\":[{\"kind\":"
	  "\"PROBLEM\"}]}", "\"items[0].host\": required" },
	{ NH "\"kind\":\"DIGEST\",\"channel\":\"email\"," NC "\"time\":1,\"items\":[7]}",
	  "\"items[0]\": expected an object" },
};

START_TEST(malformed_notifications_are_refused_naming_the_field)
{
	struct notification_msg k;
	char err[256] = "";

	ck_assert_int_eq(msg_notification_decode(bad_notification_table[_i].body,
	    strlen(bad_notification_table[_i].body), &k, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad_notification_table[_i].err) != NULL, "body %s: error \"%s\"",
	    bad_notification_table[_i].body, err);
	ck_assert_ptr_null(k.contact);
	ck_assert_ptr_null(k.items);
}
END_TEST

/* ---- commands ---------------------------------------------------------- */

START_TEST(downtime_command_round_trips)
{
	struct command_msg c = { .kind = COMMAND_DOWNTIME }, d;
	char err[256] = "", *body;
	size_t len;

	snprintf(c.id, sizeof(c.id), "0123456789abcdef0123456789abcdef");
	c.host = "web-01";
	c.service = "http";
	c.author = "bob";
	c.comment = "kernel update";
	c.has_start = 1;
	c.start = 1732190000.5;
	c.end = 1732193600.5;
	c.fixed = 0;
	c.duration = 900;
	c.services = 1;
	c.time = 1732189999.25;
	body = msg_command_encode(&c, &len);
	ck_assert_int_eq(msg_command_decode(body, len, &d, err, sizeof(err)), 0);
	ck_assert_int_eq(d.kind, COMMAND_DOWNTIME);
	ck_assert_str_eq(d.name, "downtime");
	ck_assert_str_eq(d.id, c.id);
	ck_assert_str_eq(d.host, "web-01");
	ck_assert_str_eq(d.service, "http");
	ck_assert_str_eq(d.author, "bob");
	ck_assert_str_eq(d.comment, "kernel update");
	ck_assert_int_eq(d.has_start, 1);
	ck_assert_double_eq_tol(d.start, c.start, 1e-6);
	ck_assert_double_eq_tol(d.end, c.end, 1e-6);
	ck_assert_int_eq(d.fixed, 0);
	ck_assert_int_eq(d.duration, 900);
	ck_assert_int_eq(d.services, 1);
	ck_assert_double_eq_tol(d.time, c.time, 1e-6);
	msg_command_clear(&d);
	free(body);
}
END_TEST

START_TEST(ack_and_cancel_commands_round_trip_with_their_fields)
{
	struct command_msg c = { .kind = COMMAND_ACK, .sticky = 1, .notify = 0 }, d;
	char err[256] = "", *body;
	size_t len;

	c.host = "h";
	c.comment = "on it";
	body = msg_command_encode(&c, &len);
	ck_assert_int_eq(msg_command_decode(body, len, &d, err, sizeof(err)), 0);
	ck_assert_int_eq(d.kind, COMMAND_ACK);
	ck_assert_ptr_null(d.service);
	ck_assert_int_eq(d.sticky, 1);
	ck_assert_int_eq(d.notify, 0);
	ck_assert_str_eq(d.comment, "on it");
	ck_assert_str_eq(d.id, "");
	msg_command_clear(&d);
	free(body);

	memset(&c, 0, sizeof(c));
	c.kind = COMMAND_CANCEL;
	c.host = "h";
	c.downtime_id = "abc";
	body = msg_command_encode(&c, &len);
	ck_assert_int_eq(msg_command_decode(body, len, &d, err, sizeof(err)), 0);
	ck_assert_int_eq(d.kind, COMMAND_CANCEL);
	ck_assert_str_eq(d.downtime_id, "abc");
	ck_assert_int_eq(d.has_start, 0);
	msg_command_clear(&d);
	free(body);
}
END_TEST

/* A recheck (new) and a reload carry their author and source: the
 * command log names who and from where. */
START_TEST(recheck_and_reload_carry_author_and_source)
{
	struct command_msg c = { .kind = COMMAND_RECHECK }, d;
	char err[256] = "", *body;
	size_t len;

	c.host = "h";
	c.service = "s";
	c.author = "ops";
	c.source = "192.0.2.7";
	snprintf(c.id, sizeof(c.id), "%s", "0123456789abcdef0123456789abcdef");
	body = msg_command_encode(&c, &len);
	ck_assert_int_eq(msg_command_decode(body, len, &d, err, sizeof(err)), 0);
	ck_assert_int_eq(d.kind, COMMAND_RECHECK);
	ck_assert_str_eq(d.name, "recheck");
	ck_assert_str_eq(d.service, "s");
	ck_assert_str_eq(d.author, "ops");
	ck_assert_str_eq(d.source, "192.0.2.7");
	ck_assert_str_eq(d.id, "0123456789abcdef0123456789abcdef");
	msg_command_clear(&d);
	free(body);

	memset(&c, 0, sizeof(c));
	c.kind = COMMAND_RELOAD;
	c.author = "root";
	c.source = "2001:db8::1";
	snprintf(c.id, sizeof(c.id), "%s", "r1");
	body = msg_command_encode(&c, &len);
	ck_assert_int_eq(msg_command_decode(body, len, &d, err, sizeof(err)), 0);
	ck_assert_int_eq(d.kind, COMMAND_RELOAD);
	ck_assert_str_eq(d.author, "root");
	ck_assert_str_eq(d.source, "2001:db8::1");
	ck_assert_str_eq(d.id, "r1");
	ck_assert_ptr_null(d.host);
	msg_command_clear(&d);
	free(body);
}
END_TEST

/* Lenient where the engine refuses with a reason in the command log;
 * defaults as vigilctl has always sent them. */
START_TEST(command_defaults_unknown_names_and_wrong_types_decode)
{
	static const char body[] = "{\"v\":1,\"command\":\"snooze\",\"host\":7,"
	    "\"id\":\"0123456789abcdef0123456789abcdef0\",\"sticky\":\"yes\","
	    "\"duration\":1.5,\"start\":\"soon\"}";
	struct command_msg d;
	char err[256] = "";

	ck_assert_int_eq(msg_command_decode(body, strlen(body), &d, err, sizeof(err)), 0);
	ck_assert_int_eq(d.kind, COMMAND_UNKNOWN);
	ck_assert_str_eq(d.name, "snooze");
	ck_assert_ptr_null(d.host);
	ck_assert_str_eq(d.id, "");	/* 33 characters: the engine makes one */
	ck_assert_int_eq(d.sticky, 0);
	ck_assert_int_eq(d.notify, 1);
	ck_assert_int_eq(d.fixed, 1);
	ck_assert_int_eq(d.duration, 0);
	ck_assert_int_eq(d.has_start, 0);
	msg_command_clear(&d);
}
END_TEST

static const struct {
	const char *body, *err;
} bad_command_table[] = {
	{ "ack", "invalid JSON" },
	{ "[1]", "not a JSON object" },
	{ "{\"command\":\"ack\"}", "\"v\": expected a supported version" },
	{ "{\"v\":2,\"command\":\"ack\"}", "\"v\": expected a supported version" },
	{ "{\"v\":1}", "\"command\": expected a string" },
	{ "{\"v\":1,\"command\":[\"ack\"]}", "\"command\": expected a string" },
};

START_TEST(what_is_not_a_command_is_refused_naming_why)
{
	struct command_msg d;
	char err[256] = "";

	ck_assert_int_eq(msg_command_decode(bad_command_table[_i].body,
	    strlen(bad_command_table[_i].body), &d, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad_command_table[_i].err) != NULL, "body %s: error \"%s\"",
	    bad_command_table[_i].body, err);
	ck_assert_ptr_null(d.name);
}
END_TEST

/* A command's fields have bounds: at the bound it is taken, past it refused
 * naming the field (the engine parks it). */
/* disable and enable: the switch, the scope, and the switch names */
START_TEST(switch_commands_round_trip_and_switch_names_parse)
{
	struct command_msg c, q;
	char err[256], *s;
	size_t len;

	memset(&c, 0, sizeof(c));
	c.kind = COMMAND_DISABLE;
	c.host = "web-01";
	c.what = "notifications";
	c.services = 1;
	c.author = "bob";
	c.comment = "maintenance";
	s = msg_command_encode(&c, &len);
	ck_assert_int_eq(msg_command_decode(s, len, &q, err, sizeof(err)), 0);
	ck_assert_int_eq(q.kind, COMMAND_DISABLE);
	ck_assert_str_eq(q.what, "notifications");
	ck_assert_int_eq(q.services, 1);
	ck_assert_int_eq(q.global, 0);
	ck_assert_str_eq(q.comment, "maintenance");
	msg_command_clear(&q);
	free(s);
	memset(&c, 0, sizeof(c));
	c.kind = COMMAND_ENABLE;
	c.what = "active_checks";
	c.global = 1;
	s = msg_command_encode(&c, &len);
	ck_assert_int_eq(msg_command_decode(s, len, &q, err, sizeof(err)), 0);
	ck_assert_int_eq(q.kind, COMMAND_ENABLE);
	ck_assert_int_eq(q.global, 1);
	ck_assert_ptr_null(q.host);
	msg_command_clear(&q);
	free(s);

	ck_assert_uint_eq(msg_switch_parse("active_checks"), SWITCH_ACTIVE_CHECKS);
	ck_assert_uint_eq(msg_switch_parse("passive-checks"), SWITCH_PASSIVE_CHECKS);
	ck_assert_uint_eq(msg_switch_parse("notifications"), SWITCH_NOTIFICATIONS);
	ck_assert_uint_eq(msg_switch_parse("flap_detection"), SWITCH_FLAP_DETECTION);
	ck_assert_uint_eq(msg_switch_parse("event-handlers"), SWITCH_EVENT_HANDLERS);
	ck_assert_uint_eq(msg_switch_parse("notification"), 0);
	ck_assert_uint_eq(msg_switch_parse(""), 0);
	ck_assert_uint_eq(msg_switch_parse(NULL), 0);
	ck_assert_uint_eq(msg_switch_parse("active_checks_and_a_very_long_tail_beyond"), 0);
	ck_assert_str_eq(msg_switch_name(SWITCH_FLAP_DETECTION), "flap_detection");
	ck_assert_ptr_null(msg_switch_name(SWITCH_ACTIVE_CHECKS | SWITCH_NOTIFICATIONS));
	ck_assert_ptr_null(msg_switch_name(0x40));
}
END_TEST

START_TEST(command_fields_past_their_bound_are_refused)
{
	static const struct { const char *field; size_t max; } f[] = {
		{ "comment", MSG_COMMENT_MAX }, { "author", MSG_AUTHOR_MAX },
		{ "host", MSG_NAME_MAX }, { "service", MSG_NAME_MAX },
	};

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
		for (size_t extra = 0; extra < 2; extra++) {
			size_t n = f[k].max + extra;
			char *v = malloc(n + 1), *body, err[256] = "", want[64];
			struct command_msg d;
			int rc;

			memset(v, 'a', n);
			v[n] = '\0';
			body = malloc(n + 64);
			sprintf(body, "{\"v\":1,\"command\":\"ack\",\"%s\":\"%s\"}", f[k].field, v);
			rc = msg_command_decode(body, strlen(body), &d, err, sizeof(err));
			snprintf(want, sizeof(want), "\"%s\": at most %zu bytes", f[k].field, f[k].max);
			if (extra == 0) {
				ck_assert_msg(rc == 0, "%s of %zu refused: %s", f[k].field, n, err);
				msg_command_clear(&d);
			} else {
				ck_assert_msg(rc == -1 && strstr(err, want) != NULL, "%s of %zu: %d \"%s\"",
				    f[k].field, n, rc, err);
				ck_assert_ptr_null(d.name);
			}
			free(v);
			free(body);
		}
}
END_TEST

static Suite *
msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("codec");

	tcase_add_test(tc, job_round_trips);
	tcase_add_test(tc, result_round_trips_and_passive_time_becomes_start);
	tcase_add_loop_test(tc, malformed_results_are_refused_naming_the_field, 0,
	    sizeof(bad_table) / sizeof(bad_table[0]));
	tcase_add_test(tc, job_with_relative_plugin_path_is_refused);
	tcase_add_test(tc, job_user_macro_places_round_trip);
	tcase_add_test(tc, an_event_handlers_job_and_result_say_their_kind);
	tcase_add_test(tc, command_fields_past_their_bound_are_refused);
	tcase_add_test(tc, switch_commands_round_trip_and_switch_names_parse);
	suite_add_tcase(s, tc);
	tc = tcase_create("heartbeat");
	tcase_add_test(tc, worker_heartbeat_round_trips);
	tcase_add_test(tc, last_heartbeat_of_a_clean_stop_says_stopping);
	tcase_add_loop_test(tc, malformed_heartbeats_are_refused_naming_the_field, 0,
	    sizeof(bad_heartbeat_table) / sizeof(bad_heartbeat_table[0]));
	tcase_add_test(tc, heartbeat_with_a_name_longer_than_255_bytes_is_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("notification");
	tcase_add_test(tc, notification_round_trips);
	tcase_add_test(tc, digest_round_trips_its_items_and_needs_no_host);
	tcase_add_test(tc, notification_with_unknown_fields_and_defaults_decodes);
	tcase_add_loop_test(tc, malformed_notifications_are_refused_naming_the_field, 0,
	    sizeof(bad_notification_table) / sizeof(bad_notification_table[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("command");
	tcase_add_test(tc, downtime_command_round_trips);
	tcase_add_test(tc, ack_and_cancel_commands_round_trip_with_their_fields);
	tcase_add_test(tc, recheck_and_reload_carry_author_and_source);
	tcase_add_test(tc, command_defaults_unknown_names_and_wrong_types_decode);
	tcase_add_loop_test(tc, what_is_not_a_command_is_refused_naming_why, 0,
	    sizeof(bad_command_table) / sizeof(bad_command_table[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(msg_suite());
}
