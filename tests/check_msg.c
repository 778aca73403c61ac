/*
 * NAME
 *	check_msg - job and result messages round-trip; bad ones are refused
 *	with the field named (lib/msg.c)
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
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
	return s;
}

int
main(void)
{
	return tu_run(msg_suite());
}
