/*
 * NAME
 *	check_jsonw - JSON values written as text read back as the same
 *	values, and as jansson's json_dumps() writes them (lib/jsonw.c)
 */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "tests/testutil.h"

/* jansson's text for one value. */
static char *
jansson_text(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	json_decref(v);
	return s;
}

static const char *const string_table[] = {
	"",
	"plain OK - 12 ms",
	"quote \" and backslash \\ and slash /",
	"lines\nand\ttabs\rcr\bbs\fff",
	"\x01\x02\x1f control, \x7f kept",
	"UTF-8: caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80",
	"a|b=1;2;3;0;100 'label with spaces'=5ms",
};

START_TEST(strings_are_written_as_jansson_writes_them)
{
	const char *in = string_table[_i];
	struct strbuf b = { 0 };
	char *want = jansson_text(json_string(in));

	jsonw_string(&b, in);
	ck_assert_msg(strcmp(b.s, want) == 0, "input %d: wrote %s, jansson %s", _i, b.s, want);
	free(want);
	free(b.s);
}
END_TEST

/* The fewest digits (15 to 17) that read back the same: what people
 * read stays short (0.1, not jansson's 0.10000000000000001); the value
 * never changes. */
static const struct {
	double in;
	const char *want;
} real_table[] = {
	{ 0, "0.0" }, { 1, "1.0" }, { -1, "-1.0" }, { 2.5, "2.5" },
	{ 1732190000.25, "1732190000.25" }, { 1795280703.123456, "1795280703.123456" },
	{ 0.1, "0.1" }, { 1e-7, "1e-7" }, { 1e300, "1e300" }, { -3.0e-300, "-3e-300" },
	{ 123456789012345678.0, "1.2345678901234568e17" },
	{ 99.99999999999999, "99.99999999999999" }, { 1.0 / 3, "0.3333333333333333" },
	{ 0.1 + 0.2, "0.30000000000000004" }, { 1796618963.9255266, "1796618963.9255266" },
};

START_TEST(reals_are_written_short_and_read_back_the_same)
{
	double in = real_table[_i].in;
	struct strbuf b = { 0 };
	json_t *back;

	jsonw_real(&b, in);
	ck_assert_msg(strcmp(b.s, real_table[_i].want) == 0, "%.17g: wrote %s, want %s", in, b.s,
	    real_table[_i].want);
	back = json_loads(b.s, JSON_DECODE_ANY, NULL);
	ck_assert_ptr_nonnull(back);
	ck_assert_msg(json_real_value(back) == in, "%.17g read back as %.17g", in,
	    json_real_value(back));
	json_decref(back);
	free(b.s);
}
END_TEST

START_TEST(not_finite_reals_are_null)
{
	struct strbuf b = { 0 };

	jsonw_real(&b, NAN);
	strbuf_adds(&b, ",");
	jsonw_real(&b, INFINITY);
	strbuf_adds(&b, ",");
	jsonw_real(&b, -INFINITY);
	ck_assert_str_eq(b.s, "null,null,null");
	free(b.s);
}
END_TEST

START_TEST(integers_booleans_and_null_strings)
{
	struct strbuf b = { 0 };

	jsonw_int(&b, 0);
	strbuf_adds(&b, ",");
	jsonw_int(&b, -17);
	strbuf_adds(&b, ",");
	jsonw_int(&b, INT64_MAX);
	strbuf_adds(&b, ",");
	jsonw_int(&b, INT64_MIN);
	strbuf_adds(&b, ",");
	jsonw_bool(&b, 1);
	strbuf_adds(&b, ",");
	jsonw_bool(&b, 0);
	strbuf_adds(&b, ",");
	jsonw_string(&b, NULL);
	ck_assert_str_eq(b.s, "0,-17,9223372036854775807,-9223372036854775808,true,false,null");
	free(b.s);
}
END_TEST

START_TEST(an_object_written_piecewise_parses_to_its_values)
{
	struct strbuf b = { 0 };
	json_t *o;
	json_error_t je;

	strbuf_adds(&b, "{\"output\":");
	jsonw_string(&b, "CRITICAL - \"disk\" full\n/var 99%");
	strbuf_adds(&b, ",\"t\":");
	jsonw_real(&b, 1732190000.125);
	strbuf_adds(&b, ",\"n\":");
	jsonw_int(&b, 3);
	strbuf_adds(&b, ",\"pool\":");
	jsonw_string(&b, NULL);
	strbuf_adds(&b, "}");
	o = json_loads(b.s, 0, &je);
	ck_assert_msg(o != NULL, "%s: %s", b.s, je.text);
	ck_assert_str_eq(json_string_value(json_object_get(o, "output")),
	    "CRITICAL - \"disk\" full\n/var 99%");
	ck_assert_double_eq(json_real_value(json_object_get(o, "t")), 1732190000.125);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "n")), 3);
	ck_assert(json_is_null(json_object_get(o, "pool")));
	json_decref(o);
	free(b.s);
}
END_TEST

static Suite *
jsonw_suite(void)
{
	Suite *s = suite_create("jsonw");
	TCase *tc = tcase_create("values");

	tcase_add_loop_test(tc, strings_are_written_as_jansson_writes_them, 0,
	    sizeof(string_table) / sizeof(string_table[0]));
	tcase_add_loop_test(tc, reals_are_written_short_and_read_back_the_same,
	    0, sizeof(real_table) / sizeof(real_table[0]));
	tcase_add_test(tc, not_finite_reals_are_null);
	tcase_add_test(tc, integers_booleans_and_null_strings);
	tcase_add_test(tc, an_object_written_piecewise_parses_to_its_values);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(jsonw_suite());
}
