/*
 * NAME
 *	check_perfdata - performance data parsing (lib/perfdata.c)
 * DESCRIPTION
 *	SEMANTICS.md "Plugin results", perfdata: every part of the grammar
 *	(quoted labels with blanks, '' and '=', U values, each unit, empty
 *	and trailing fields), malformed items skipped and counted while the
 *	good ones around them survive, blank oddities, real perfdata from
 *	Debian's monitoring-plugins, huge and random input.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfdata.h"
#include "range.h"
#include "tests/testutil.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* What one parsed item should be. NULL warn/crit: absent; has_min 0: no min. */
struct want {
	const char *label;
	double value;
	int unknown;
	const char *uom;
	const char *warn, *crit;
	int has_min;
	double min;
	int has_max;
	double max;
};

/* Compare one item, naming the input on failure. */
static void
check_item(const char *in, const struct perfdata_item *it, const struct want *w)
{
	ck_assert_msg(strcmp(it->label, w->label) == 0, "input \"%s\": label \"%s\", expected \"%s\"",
	    in, it->label, w->label);
	ck_assert_msg(it->value_unknown == w->unknown, "input \"%s\": value_unknown %d", in,
	    it->value_unknown);
	if (w->unknown)
		ck_assert_msg(isnan(it->value), "input \"%s\": U value is %g, not NaN", in, it->value);
	else
		ck_assert_msg(it->value == w->value, "input \"%s\": value %.17g, expected %.17g", in,
		    it->value, w->value);
	ck_assert_msg(strcmp(it->uom, w->uom) == 0, "input \"%s\": uom \"%s\", expected \"%s\"", in,
	    it->uom, w->uom);
	ck_assert_msg(it->has_warn == (w->warn != NULL), "input \"%s\": has_warn %d", in, it->has_warn);
	if (w->warn != NULL)
		ck_assert_msg(strcmp(it->warn, w->warn) == 0, "input \"%s\": warn \"%s\"", in, it->warn);
	else
		ck_assert_msg(it->warn == NULL, "input \"%s\": warn \"%s\" for an empty field", in, it->warn);
	ck_assert_msg(it->has_crit == (w->crit != NULL), "input \"%s\": has_crit %d", in, it->has_crit);
	if (w->crit != NULL)
		ck_assert_msg(strcmp(it->crit, w->crit) == 0, "input \"%s\": crit \"%s\"", in, it->crit);
	else
		ck_assert_msg(it->crit == NULL, "input \"%s\": crit \"%s\" for an empty field", in, it->crit);
	ck_assert_msg(it->has_min == w->has_min, "input \"%s\": has_min %d", in, it->has_min);
	if (w->has_min)
		ck_assert_msg(it->min == w->min, "input \"%s\": min %.17g", in, it->min);
	ck_assert_msg(it->has_max == w->has_max, "input \"%s\": has_max %d", in, it->has_max);
	if (w->has_max)
		ck_assert_msg(it->max == w->max, "input \"%s\": max %.17g", in, it->max);
}

static const struct {
	const char *in;
	struct want w;
} one_cases[] = {
	{ "a=1", { "a", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1;2;3;0;10", { "a", 1, 0, "", "2", "3", 1, 0, 1, 10 } },
	{ "time=0.5s;1;2", { "time", 0.5, 0, "s", "1", "2", 0, 0, 0, 0 } },
	/* Trailing empty fields may be dropped or written. */
	{ "a=1;", { "a", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1;;", { "a", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1;;;", { "a", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1;;;;", { "a", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1;;;;;", { "a", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },	/* stray ';' after max */
	{ "a=1;2;3;0;10;", { "a", 1, 0, "", "2", "3", 1, 0, 1, 10 } },
	/* Empty fields in the middle. */
	{ "a=1;;3", { "a", 1, 0, "", NULL, "3", 0, 0, 0, 0 } },
	{ "a=1;2;;;10", { "a", 1, 0, "", "2", NULL, 0, 0, 1, 10 } },
	{ "a=1;;;-5;", { "a", 1, 0, "", NULL, NULL, 1, -5, 0, 0 } },
	/* Every range form as warn/crit, kept as written. */
	{ "a=1;~:10;@5:", { "a", 1, 0, "", "~:10", "@5:", 0, 0, 0, 0 } },
	{ "a=-1.5;-2:-1;@0:10", { "a", -1.5, 0, "", "-2:-1", "@0:10", 0, 0, 0, 0 } },
	{ "a=1;10:;:20", { "a", 1, 0, "", "10:", ":20", 0, 0, 0, 0 } },
	{ "a=1;1e3:2e3;~:", { "a", 1, 0, "", "1e3:2e3", "~:", 0, 0, 0, 0 } },
	/* Numbers. */
	{ "a=-0", { "a", 0, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=.5", { "a", 0.5, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1.", { "a", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1e3", { "a", 1000, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1.5E-3ms", { "a", 0.0015, 0, "ms", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=2e+06B", { "a", 2e6, 0, "B", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=1;;;0.000000;1e2", { "a", 1, 0, "", NULL, NULL, 1, 0, 1, 100 } },
	{ "a=-3;;;-10;-1", { "a", -3, 0, "", NULL, NULL, 1, -10, 1, -1 } },
	/* U: value could not be determined, the rest still counts. */
	{ "a=U", { "a", 0, 1, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a=U;1;2;0;100", { "a", 0, 1, "", "1", "2", 1, 0, 1, 100 } },
	{ "rta=Ums;;;0", { "rta", 0, 1, "ms", NULL, NULL, 1, 0, 0, 0 } },
	/* Labels. */
	{ "'a b'=1", { "a b", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "'it''s'=2", { "it's", 2, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "'a=b'=3", { "a=b", 3, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "'''a'''=4", { "'a'", 4, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "''''=5", { "'", 5, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "'x y=z ''q'''=6s;1;2", { "x y=z 'q'", 6, 0, "s", "1", "2", 0, 0, 0, 0 } },
	{ "'plain'=7", { "plain", 7, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "'tab\there'=8", { "tab\there", 8, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "'C:\\ Label:Data  Serial Number 1234'=9MB", { "C:\\ Label:Data  Serial Number 1234", 9, 0,
	    "MB", NULL, NULL, 0, 0, 0, 0 } },
	{ "/=17B", { "/", 17, 0, "B", NULL, NULL, 0, 0, 0, 0 } },
	{ "/var/lib=1", { "/var/lib", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a;b=1", { "a;b", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "a:b@c~=1", { "a:b@c~", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "\xc3\xa9t\xc3\xa9=1", { "\xc3\xa9t\xc3\xa9", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
	{ "U=1", { "U", 1, 0, "", NULL, NULL, 0, 0, 0, 0 } },
};

START_TEST(every_part_of_the_grammar_parses)
{
	struct perfdata_item *items;
	size_t n, skipped;
	const char *in = one_cases[_i].in;

	ck_assert_int_eq(perfdata_parse(in, &items, &n, &skipped), 0);
	ck_assert_msg(n == 1 && skipped == 0, "input \"%s\": %zu items, %zu skipped", in, n, skipped);
	check_item(in, &items[0], &one_cases[_i].w);
	perfdata_free(items, n);
}
END_TEST

static const char *const uoms[] = { "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c" };

START_TEST(each_unit_of_measure_is_kept)
{
	char in[64];
	struct perfdata_item *items;
	size_t n, skipped;

	snprintf(in, sizeof(in), "x=12.5%s;;;0;100", uoms[_i]);
	perfdata_parse(in, &items, &n, &skipped);
	ck_assert_msg(n == 1 && skipped == 0, "input \"%s\": %zu items, %zu skipped", in, n, skipped);
	ck_assert_msg(strcmp(items[0].uom, uoms[_i]) == 0, "input \"%s\": uom \"%s\"", in, items[0].uom);
	ck_assert_msg(items[0].value == 12.5, "input \"%s\": value %g", in, items[0].value);
	perfdata_free(items, n);
}
END_TEST

/* Any unit a plugin writes is kept with its value, as written (issue 15:
 * nothing valid is dropped from the series). */
static const char *const wild_uoms[] = { "KiB", "MiB/s", "kB", "Kb", "b", "S", "sec", "bps",
	"req/s", "ms2", "%%", "Ms", "mB", "\xc2\xb0" "C", "\xc2\xb5s", "m^3", "IOPS", "events",
	"x_y", "abcdefghijklmnopqrstuvwxyzabcde" };

START_TEST(any_unit_a_plugin_writes_is_kept)
{
	struct perfdata_item *items;
	size_t n, skipped;
	char in[96];

	snprintf(in, sizeof(in), "x=12.5%s;10;20;0;100", wild_uoms[_i]);
	ck_assert_int_eq(perfdata_parse(in, &items, &n, &skipped), 0);
	ck_assert_msg(n == 1 && skipped == 0, "input \"%s\": %zu items, %zu skipped", in, n,
	    skipped);
	ck_assert_str_eq(items[0].uom, wild_uoms[_i]);
	ck_assert(items[0].value == 12.5);
	ck_assert_str_eq(items[0].crit, "20");
	perfdata_free(items, n);
	/* and with an unknown value */
	snprintf(in, sizeof(in), "x=U%s", wild_uoms[_i]);
	ck_assert_int_eq(perfdata_parse(in, &items, &n, &skipped), 0);
	ck_assert_msg(n == 1 && items[0].value_unknown, "input \"%s\"", in);
	perfdata_free(items, n);
}
END_TEST

/* Each of these is one malformed item: nothing parsed, one skipped. */
static const char *const malformed_cases[] = {
	/* units: what a malformed number leaves, and what no unit looks like */
	"x=1e", "x=1e5x", "x=0x10", "x=1x", "x=UU", "x=1-", "x=1/s", "x=1_",
	"x=1'", "x=1\xc3", "x=1\xc0\xaf", "x=1k\x01",
	"x=1abcdefghijklmnopqrstuvwxyzabcdef",
	/* labels */
	"a", "=1", "''=1", "'a b=1", "'a'b=1", "'a'", "a'b=1", "'=1", "a'=1",
	/* values */
	"a=", "a=;1;2", "a=x", "a=1x", "a==1", "a=--1", "a=1.2.3", "a=0x10", "a=inf", "a=nan",
	"a=1e999", "a=1,5", "a=U1", "a=UU", "a=+1", "a=-", "a=.", "'a'=",
	/* thresholds */
	"a=1;abc", "a=1;20:10", "a=1;;x", "a=1;;10:5", "a=1;@", "a=1;~", "a=1;1:2:3", "a=1;5%",
	/* min, max */
	"a=1;;;x", "a=1;;;;x", "a=1;;;1s", "a=1;;;0;100%", "a=1;;;U", "a=1;;;~", "a=1;;;0:1",
	/* too many fields */
	"a=1;;;;;6", "a=1;1;2;0;10;11", "a=1;;;;;;x",
};

START_TEST(a_malformed_item_is_skipped_and_counted)
{
	struct perfdata_item *items;
	size_t n, skipped;
	const char *in = malformed_cases[_i];

	ck_assert_int_eq(perfdata_parse(in, &items, &n, &skipped), 0);
	ck_assert_msg(n == 0 && skipped == 1, "input \"%s\": %zu items (first \"%s\"), %zu skipped",
	    in, n, n > 0 ? items[0].label : "", skipped);
	ck_assert_ptr_null(items);
	perfdata_free(items, n);
}
END_TEST

static const struct {
	const char *in;
	size_t n, skipped;
	const char *labels;	/* the kept items' labels, joined by '|' */
} list_cases[] = {
	{ "", 0, 0, "" },
	{ "   ", 0, 0, "" },
	{ " \t\n\r ", 0, 0, "" },
	{ "a=1 b=2 c=3", 3, 0, "a|b|c" },
	{ "a=1 bad b=2", 2, 1, "a|b" },
	{ "bad a=1 x=y b=2 =3", 2, 3, "a|b" },
	{ "a=1;20:10 b=2;10:20 c=1KiB d=4", 3, 1, "b|c|d" },
	{ "a=1;;;;;6 b=2", 1, 1, "b" },
	{ "=== ;;; ''", 0, 3, "" },
	/* Blank oddities: leading, trailing, runs, tabs, newlines. */
	{ "  a=1", 1, 0, "a" },
	{ "a=1  ", 1, 0, "a" },
	{ "a=1    b=2", 2, 0, "a|b" },
	{ "a=1\tb=2\t\tc=3", 3, 0, "a|b|c" },
	{ "a=1\nb=2\r\nc=3\n", 3, 0, "a|b|c" },
	{ "\va=1\fb=2", 2, 0, "a|b" },
	/* A blank splits an unquoted label: "a" is malformed, "b=1" is fine. */
	{ "a b=1", 1, 1, "b" },
	/* A blank between the label and '=' or in the value. */
	{ "'a' =1 b=2", 1, 2, "b" },
	{ "a= 1 b=2", 1, 2, "b" },
	{ "a=1 ;2;3 b=2", 2, 1, "a|b" },
	/* Quoted labels keep their blanks; only the first char opens quotes. */
	{ "'x y'=1;;; 'z''q'=U c=3", 3, 0, "x y|z'q|c" },
	{ "'a  b'=1 'c\td'=2", 2, 0, "a  b|c\td" },
	{ "a'b c'=1 d=2", 1, 2, "d" },
	{ "'a b'c d=1 e=2", 2, 1, "d|e" },
	{ "'a'''b=1 c=2", 1, 1, "c" },
	/* An unterminated quote makes the rest one malformed item. */
	{ "'a b=1 c=2", 0, 1, "" },
	{ "ok=1 'a b=1 c=2", 1, 1, "ok" },
	{ "ok=1 'it''s=1", 1, 1, "ok" },
	{ "ok=1 '", 1, 1, "ok" },
	{ "ok=1 ''", 1, 1, "ok" },
	/* '|' from a later perfdata line is just junk, or part of a label. */
	{ "a=1 | b=2", 2, 1, "a|b" },
	{ "a=1 |b=2", 2, 0, "a||b" },
	/* The same label twice: both kept, in order; the caller decides. */
	{ "a=1 a=2", 2, 0, "a|a" },
};

START_TEST(good_items_survive_the_malformed_ones_around_them)
{
	struct perfdata_item *items;
	size_t n, skipped, i;
	const char *in = list_cases[_i].in;
	char labels[256] = "";

	ck_assert_int_eq(perfdata_parse(in, &items, &n, &skipped), 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(labels, "|");
		strcat(labels, items[i].label);
	}
	ck_assert_msg(n == list_cases[_i].n && skipped == list_cases[_i].skipped &&
	    strcmp(labels, list_cases[_i].labels) == 0,
	    "input \"%s\": %zu items \"%s\", %zu skipped; expected %zu \"%s\", %zu", in, n, labels,
	    skipped, list_cases[_i].n, list_cases[_i].labels, list_cases[_i].skipped);
	if (n == 0)
		ck_assert_ptr_null(items);
	perfdata_free(items, n);
}
END_TEST

/*
 * Real perfdata of Debian's monitoring-plugins 2.3.3 (bookworm), run on a
 * build machine and copied as result_split() hands them over (the text
 * after '|', trimmed). check_tcp against a closed port prints no perfdata
 * at all ("connect to address 127.0.0.1 and port 1: Connection refused").
 */
#define NO_MIN 0, 0
#define NO_MAX 0, 0
static const struct {
	const char *plugin;
	const char *in;
	size_t n;
	struct want w[6];
} real_cases[] = {
	{ "check_disk -w 20% -c 10% -p /",
	    "/=17924358144B;216442024755;243497277849;0;270552530944", 1, {
		{ "/", 17924358144.0, 0, "B", "216442024755", "243497277849", 1, 0, 1, 270552530944.0 },
	} },
	{ "check_load -w 5,4,3 -c 10,8,6",
	    "load1=0.800;5.000;10.000;0; load5=0.920;4.000;8.000;0; load15=0.890;3.000;6.000;0;", 3, {
		{ "load1", 0.8, 0, "", "5.000", "10.000", 1, 0, NO_MAX },
		{ "load5", 0.92, 0, "", "4.000", "8.000", 1, 0, NO_MAX },
		{ "load15", 0.89, 0, "", "3.000", "6.000", 1, 0, NO_MAX },
	} },
	{ "check_load -r -w 5,4,3 -c 10,8,6",
	    "load1=0.800;;;0; scaled_load1=0.400;5.000;10.000;0; load5=0.920;;;0; "
	    "scaled_load5=0.460;4.000;8.000;0; load15=0.890;;;0; scaled_load15=0.445;3.000;6.000;0;", 6, {
		{ "load1", 0.8, 0, "", NULL, NULL, 1, 0, NO_MAX },
		{ "scaled_load1", 0.4, 0, "", "5.000", "10.000", 1, 0, NO_MAX },
		{ "load5", 0.92, 0, "", NULL, NULL, 1, 0, NO_MAX },
		{ "scaled_load5", 0.46, 0, "", "4.000", "8.000", 1, 0, NO_MAX },
		{ "load15", 0.89, 0, "", NULL, NULL, 1, 0, NO_MAX },
		{ "scaled_load15", 0.445, 0, "", "3.000", "6.000", 1, 0, NO_MAX },
	} },
	{ "check_http -H 127.0.0.1 -p 18081 -s Directory",
	    "time=0.003847s;;;0.000000;10.000000 size=7864B;;;0;", 2, {
		{ "time", 0.003847, 0, "s", NULL, NULL, 1, 0, 1, 10 },
		{ "size", 7864, 0, "B", NULL, NULL, 1, 0, NO_MAX },
	} },
	{ "check_tcp -H 127.0.0.1 -p 18081",
	    "time=0.000088s;;;0.000000;10.000000", 1, {
		{ "time", 0.000088, 0, "s", NULL, NULL, 1, 0, 1, 10 },
	} },
	{ "check_procs -w 250 -c 400",
	    "procs=82;250;400;0;", 1, {
		{ "procs", 82, 0, "", "250", "400", 1, 0, NO_MAX },
	} },
	{ "check_procs -w 5 -c 10 -m VSZ -C bash",
	    "procs=6;;;0; procs_warn=0;;;0; procs_crit=6;;;0;", 3, {
		{ "procs", 6, 0, "", NULL, NULL, 1, 0, NO_MAX },
		{ "procs_warn", 0, 0, "", NULL, NULL, 1, 0, NO_MAX },
		{ "procs_crit", 6, 0, "", NULL, NULL, 1, 0, NO_MAX },
	} },
	{ "check_swap -w 20% -c 10%",
	    "swap=0B;0;0;0;0", 1, {
		{ "swap", 0, 0, "B", "0", "0", 1, 0, 1, 0 },
	} },
	{ "check_users -w 5 -c 10",
	    "users=0;5;10;0", 1, {
		{ "users", 0, 0, "", "5", "10", 1, 0, NO_MAX },
	} },
};

START_TEST(real_monitoring_plugins_perfdata_parses)
{
	struct perfdata_item *items;
	size_t n, skipped, i;
	const char *in = real_cases[_i].in;

	perfdata_parse(in, &items, &n, &skipped);
	ck_assert_msg(n == real_cases[_i].n && skipped == 0, "%s: \"%s\": %zu items, %zu skipped",
	    real_cases[_i].plugin, in, n, skipped);
	for (i = 0; i < n; i++)
		check_item(in, &items[i], &real_cases[_i].w[i]);
	perfdata_free(items, n);
}
END_TEST

START_TEST(null_input_and_null_skipped_count_are_allowed)
{
	struct perfdata_item *items = (void *)1;
	size_t n = 99;

	ck_assert_int_eq(perfdata_parse(NULL, &items, &n, NULL), 0);
	ck_assert_ptr_null(items);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(perfdata_parse("a=1 b", &items, &n, NULL), 0);
	ck_assert_uint_eq(n, 1);
	perfdata_free(items, n);
	perfdata_free(NULL, 0);
}
END_TEST

START_TEST(a_hundred_thousand_items_parse_in_order)
{
	size_t count = 100000, len = 0, n, skipped, i;
	char *s = malloc(count * 40);
	struct perfdata_item *items;

	for (i = 0; i < count; i++)
		len += (size_t)sprintf(s + len, "%sm%zu=%zums;1;2;0;100", i > 0 ? " " : "", i, i);
	perfdata_parse(s, &items, &n, &skipped);
	ck_assert_uint_eq(n, count);
	ck_assert_uint_eq(skipped, 0);
	ck_assert_str_eq(items[count - 1].label, "m99999");
	ck_assert(items[count - 1].value == 99999);
	ck_assert_str_eq(items[12345].uom, "ms");
	perfdata_free(items, n);
	free(s);
}
END_TEST

START_TEST(megabyte_labels_values_and_open_quotes_are_handled)
{
	size_t big = 1 << 20, n, skipped;
	char *s = malloc(big + 64);
	struct perfdata_item *items;

	/* A quoted label of a megabyte, then a good item. */
	s[0] = '\'';
	memset(s + 1, 'L', big);
	strcpy(s + 1 + big, "'=1 b=2");
	perfdata_parse(s, &items, &n, &skipped);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(skipped, 0);
	ck_assert_uint_eq(strlen(items[0].label), big);
	perfdata_free(items, n);

	/* A value of a megabyte of zeros, then 7. */
	memcpy(s, "a=", 2);
	memset(s + 2, '0', big);
	strcpy(s + 2 + big, "7s");
	perfdata_parse(s, &items, &n, &skipped);
	ck_assert_uint_eq(n, 1);
	ck_assert(items[0].value == 7);
	ck_assert_str_eq(items[0].uom, "s");
	perfdata_free(items, n);

	/* A megabyte after a quote that never closes: one malformed item. */
	memcpy(s, "a=1 '", 5);
	memset(s + 5, 'x', big);
	s[5 + big] = '\0';
	perfdata_parse(s, &items, &n, &skipped);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(skipped, 1);
	perfdata_free(items, n);
	free(s);
}
END_TEST

/* Deterministic: a failure names the seed and the input. */
static uint64_t
xorshift(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

START_TEST(random_input_never_breaks_the_item_invariants)
{
	/* Mostly grammar characters so that many items get deep into the
	 * parser, with any byte now and then. */
	static const char alphabet[] = "''==;;;:@~-.0123456789eEUsmBKc% \tab";
	uint64_t st = 0x9e3779b97f4a7c15ULL;
	char buf[160];
	int round;

	for (round = 0; round < 20000; round++) {
		size_t len = xorshift(&st) % (sizeof(buf) - 1), i, n, skipped, tokens = 0;
		struct perfdata_item *items;

		for (i = 0; i < len; i++) {
			uint64_t r = xorshift(&st);

			buf[i] = r % 16 == 0 ? (char)(1 + (r >> 8) % 255)
			    : alphabet[(r >> 8) % (sizeof(alphabet) - 1)];
		}
		buf[len] = '\0';
		for (i = 0; i < len; i++)
			if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r' &&
			    buf[i] != '\v' && buf[i] != '\f' && (i == 0 || buf[i - 1] == ' ' ||
			    buf[i - 1] == '\t' || buf[i - 1] == '\n' || buf[i - 1] == '\r' ||
			    buf[i - 1] == '\v' || buf[i - 1] == '\f'))
				tokens++;
		perfdata_parse(buf, &items, &n, &skipped);
		/* Quoted labels can merge blank-separated words, never split them. */
		ck_assert_msg(n + skipped <= tokens, "round %d input \"%s\": %zu+%zu items from %zu words",
		    round, buf, n, skipped, tokens);
		for (i = 0; i < n; i++) {
			const struct perfdata_item *it = &items[i];
			struct range r;

			ck_assert_msg(it->label != NULL && it->label[0] != '\0', "round %d input \"%s\"",
			    round, buf);
			ck_assert_msg(it->has_warn == (it->warn != NULL) && it->has_crit == (it->crit != NULL),
			    "round %d input \"%s\"", round, buf);
			ck_assert_msg(it->warn == NULL || range_parse(it->warn, &r, NULL, 0) == 0,
			    "round %d input \"%s\"", round, buf);
			ck_assert_msg(it->crit == NULL || range_parse(it->crit, &r, NULL, 0) == 0,
			    "round %d input \"%s\"", round, buf);
			ck_assert_msg(it->value_unknown ? isnan(it->value) : isfinite(it->value),
			    "round %d input \"%s\"", round, buf);
			ck_assert_msg(strlen(it->uom) < sizeof(it->uom), "round %d input \"%s\"", round, buf);
		}
		perfdata_free(items, n);
	}
}
END_TEST

static Suite *
perfdata_suite(void)
{
	Suite *s = suite_create("perfdata");
	TCase *tc;

	tc = tcase_create("grammar");
	tcase_add_loop_test(tc, every_part_of_the_grammar_parses, 0, N(one_cases));
	tcase_add_loop_test(tc, each_unit_of_measure_is_kept, 0, N(uoms));
	tcase_add_loop_test(tc, any_unit_a_plugin_writes_is_kept, 0, N(wild_uoms));
	tcase_add_test(tc, null_input_and_null_skipped_count_are_allowed);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_loop_test(tc, a_malformed_item_is_skipped_and_counted, 0, N(malformed_cases));
	tcase_add_loop_test(tc, good_items_survive_the_malformed_ones_around_them, 0, N(list_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("real_plugins");
	tcase_add_loop_test(tc, real_monitoring_plugins_perfdata_parses, 0, N(real_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	/* Generous: under ASan and valgrind these are the slow ones. */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_hundred_thousand_items_parse_in_order);
	tcase_add_test(tc, megabyte_labels_values_and_open_quotes_are_handled);
	tcase_add_test(tc, random_input_never_breaks_the_item_invariants);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(perfdata_suite());
}
