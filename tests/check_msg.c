/*
 * NAME
 *	check_msg - job, result and worker heartbeat messages round-trip; bad
 *	ones are refused with the field named (lib/msg.c)
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

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
	ck_assert_str_eq(q.service, "backup");
	ck_assert_double_eq(q.start, 1732190000);
	ck_assert_int_eq(q.exit_code, -1);
	msg_result_clear(&q);
}
END_TEST

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
	suite_add_tcase(s, tc);
	tc = tcase_create("heartbeat");
	tcase_add_test(tc, worker_heartbeat_round_trips);
	tcase_add_test(tc, last_heartbeat_of_a_clean_stop_says_stopping);
	tcase_add_loop_test(tc, malformed_heartbeats_are_refused_naming_the_field, 0,
	    sizeof(bad_heartbeat_table) / sizeof(bad_heartbeat_table[0]));
	tcase_add_test(tc, heartbeat_with_a_name_longer_than_255_bytes_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(msg_suite());
}
