/*
 * NAME
 *	check_auth - message tags (lib/auth.c): key files, tagging and
 *	checking, rotation with two keys, and what is refused
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "tests/testutil.h"

#define K1 "k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
#define K2 "k2 f0e0d0c0b0a090807060504030201000ffeeddccbbaa99887766554433221100\n"
/* k1 again, another secret: a forger who guessed the key id */
#define K1_FORGED "k1 1111111111111111111111111111111111111111111111111111111111111111\n"

static char *dir;

static void
setup(void)
{
	dir = tu_tmpdir();
}

static void
teardown(void)
{
	tu_rmrf(dir);
	free(dir);
}

/* A key file of content with mode; the path, caller frees. */
static char *
key_file(const char *name, const char *content, mode_t mode)
{
	char *p = tu_write_file(dir, name, content);

	ck_assert_int_eq(chmod(p, mode), 0);
	return p;
}

static struct auth *
load_ok(const char *name, const char *content)
{
	char err[512], *p = key_file(name, content, 0600);
	struct auth *a = auth_load(p, err, sizeof(err));

	ck_assert_msg(a != NULL, "%s: %s", name, err);
	free(p);
	return a;
}

START_TEST(a_tag_verifies_under_the_same_key_and_routing_key)
{
	struct auth *a = load_ok("a.key", K1);
	const char *body = "{\"v\":1,\"job\":\"x\"}";
	char tag[AUTH_TAG_MAX];

	auth_sign(a, "default.17", body, strlen(body), tag);
	ck_assert_str_eq(auth_key_id(a), "k1");
	ck_assert_int_eq(strncmp(tag, "k1:", 3), 0);
	ck_assert_uint_eq(strlen(tag), 3 + 64);
	ck_assert_int_eq(auth_verify(a, tag, "default.17", body, strlen(body)), AUTH_OK);
	auth_free(a);
}
END_TEST

START_TEST(a_changed_body_routing_key_or_tag_is_refused)
{
	struct auth *a = load_ok("a.key", K1);
	const char *body = "{\"argv\":[\"/usr/lib/nagios/plugins/check_ping\"]}";
	const char *evil = "{\"argv\":[\"/bin/sh\",\"-c\",\"id\"]}";
	char tag[AUTH_TAG_MAX], bad[AUTH_TAG_MAX];

	auth_sign(a, "default.17", body, strlen(body), tag);
	ck_assert_int_eq(auth_verify(a, tag, "default.17", evil, strlen(evil)), AUTH_BAD);
	/* another pool, another kind of message */
	ck_assert_int_eq(auth_verify(a, tag, "dmz.17", body, strlen(body)), AUTH_BAD);
	ck_assert_int_eq(auth_verify(a, tag, "worker.default", body, strlen(body)), AUTH_BAD);
	/* one digit of the tag changed */
	memcpy(bad, tag, sizeof(bad));
	bad[10] = bad[10] == '0' ? '1' : '0';
	ck_assert_int_eq(auth_verify(a, bad, "default.17", body, strlen(body)), AUTH_BAD);
	auth_free(a);
}
END_TEST

static const char *const malformed_tags[] = {
	"k1",
	"k1:",
	"k1:zz",
	"k1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1",	/* 63 */
	"k1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0",	/* 65 */
	"k1:g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	":000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
};

START_TEST(a_malformed_tag_is_refused_and_none_is_told_apart)
{
	struct auth *a = load_ok("a.key", K1);
	enum auth_verdict v = auth_verify(a, malformed_tags[_i], "active", "{}", 2);

	ck_assert_msg(v == AUTH_BAD || v == AUTH_UNKNOWN_KEY, "tag \"%s\": verdict %d",
	    malformed_tags[_i], v);
	ck_assert_int_eq(auth_verify(a, NULL, "active", "{}", 2), AUTH_NONE);
	ck_assert_int_eq(auth_verify(a, "", "active", "{}", 2), AUTH_NONE);
	auth_free(a);
}
END_TEST

START_TEST(a_forger_with_the_key_id_but_not_the_key_is_refused)
{
	struct auth *real = load_ok("real.key", K1), *forger = load_ok("forged.key", K1_FORGED);
	const char *body = "{\"status\":0}";
	char tag[AUTH_TAG_MAX];

	auth_sign(forger, "active", body, strlen(body), tag);
	ck_assert_int_eq(auth_verify(real, tag, "active", body, strlen(body)), AUTH_BAD);
	auth_free(real);
	auth_free(forger);
}
END_TEST

START_TEST(a_tag_under_a_key_not_held_is_unknown)
{
	struct auth *a = load_ok("a.key", K1), *b = load_ok("b.key", K2);
	char tag[AUTH_TAG_MAX];

	auth_sign(b, "active", "{}", 2, tag);
	ck_assert_int_eq(auth_verify(a, tag, "active", "{}", 2), AUTH_UNKNOWN_KEY);
	ck_assert_str_eq(auth_verdict_name(AUTH_UNKNOWN_KEY),
	    "tagged with a key this process does not hold");
	auth_free(a);
	auth_free(b);
}
END_TEST

/* The three steps of a rotation, with old and new processes side by
 * side at every step: nothing is ever refused. */
START_TEST(rotation_with_two_keys_refuses_nothing_at_any_step)
{
	struct auth *old = load_ok("old.key", K1);
	struct auth *both_old_first = load_ok("step1.key", K1 K2);
	struct auth *both_new_first = load_ok("step2.key", K2 K1);
	struct auth *fresh = load_ok("step3.key", K2);
	struct auth *steps[][2] = {
		{ old, both_old_first },		/* step 1 rolling out */
		{ both_old_first, both_new_first },	/* step 2 rolling out */
		{ both_new_first, fresh },		/* step 3 rolling out */
	};
	char tag[AUTH_TAG_MAX];

	for (size_t i = 0; i < 3; i++)
		for (size_t from = 0; from < 2; from++) {
			auth_sign(steps[i][from], "r", "b", 1, tag);
			ck_assert_msg(auth_verify(steps[i][1 - from], tag, "r", "b", 1) == AUTH_OK,
			    "step %zu: refused", i + 1);
		}
	/* skipping step 2: the old-only side refuses the new key */
	auth_sign(fresh, "r", "b", 1, tag);
	ck_assert_int_eq(auth_verify(old, tag, "r", "b", 1), AUTH_UNKNOWN_KEY);
	auth_free(old);
	auth_free(both_old_first);
	auth_free(both_new_first);
	auth_free(fresh);
}
END_TEST

START_TEST(reload_swaps_the_keys_and_a_bad_file_keeps_them)
{
	char err[512], *p = key_file("r.key", K1, 0600);
	struct auth *a = auth_load(p, err, sizeof(err)), *b = load_ok("b.key", K2);
	char tag[AUTH_TAG_MAX];

	ck_assert_ptr_nonnull(a);
	free(p);
	p = key_file("r.key", K2, 0600);
	ck_assert_int_eq(auth_reload(a, p, err, sizeof(err)), 0);
	ck_assert_str_eq(auth_key_id(a), "k2");
	auth_sign(b, "r", "b", 1, tag);
	ck_assert_int_eq(auth_verify(a, tag, "r", "b", 1), AUTH_OK);
	free(p);
	p = key_file("r.key", "k3 nothex\n", 0600);
	ck_assert_int_eq(auth_reload(a, p, err, sizeof(err)), -1);
	ck_assert_str_eq(auth_key_id(a), "k2");
	ck_assert_int_eq(auth_verify(a, tag, "r", "b", 1), AUTH_OK);
	free(p);
	auth_free(a);
	auth_free(b);
}
END_TEST

static const struct {
	const char *content;
	mode_t mode;
	const char *want;	/* in the error */
} bad_files[] = {
	{ K1, 0640, "mode 640: a key file must be a file private to its owner" },
	{ K1, 0604, "mode 604" },
	{ "", 0600, "no key" },
	{ "# only a comment\n\n", 0600, "no key" },
	{ "k1\n", 0600, ":1: expected KEYID HEX" },
	{ "k1 00 extra\n", 0600, ":1: expected KEYID HEX" },
	{ "k1 0001\n", 0600, ":1: key k1: expected 64 to 256 hex digits" },
	{ "k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1z\n", 0600,
	  ":1: key k1: not hex" },
	{ "k/1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", 0600,
	  ":1: key id" },
	{ K1 K1, 0600, ":2: key id k1 is given twice" },
	{ K1 K2 "k3 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", 0600,
	  ":3: at most 2 keys" },
};

START_TEST(a_bad_key_file_is_refused_with_its_place_and_no_secret)
{
	char err[512], *p = key_file("bad.key", bad_files[_i].content, bad_files[_i].mode);
	struct auth *a = auth_load(p, err, sizeof(err));

	ck_assert_msg(a == NULL, "file %d loaded", _i);
	ck_assert_msg(strstr(err, bad_files[_i].want) != NULL, "file %d: \"%s\", want \"%s\"",
	    _i, err, bad_files[_i].want);
	ck_assert_msg(strstr(err, "0102030405") == NULL, "file %d: the key is in \"%s\"", _i, err);
	free(p);
}
END_TEST

START_TEST(a_missing_key_file_is_named)
{
	char err[512], *p;

	p = malloc(strlen(dir) + 16);
	sprintf(p, "%s/none.key", dir);
	ck_assert_ptr_null(auth_load(p, err, sizeof(err)));
	ck_assert_msg(strstr(err, "none.key: cannot read") != NULL, "%s", err);
	free(p);
}
END_TEST

START_TEST(generated_keys_load_and_differ)
{
	char a[256], b[256], err[512], *p;
	struct auth *k;

	ck_assert_int_eq(auth_generate("k20261206", a, sizeof(a)), 0);
	ck_assert_int_eq(auth_generate("k20261206", b, sizeof(b)), 0);
	ck_assert_str_ne(a, b);
	ck_assert_uint_eq(strlen(a), strlen("k20261206 ") + 64 + 1);
	p = key_file("gen.key", a, 0600);
	k = auth_load(p, err, sizeof(err));
	ck_assert_msg(k != NULL, "%s", err);
	ck_assert_str_eq(auth_key_id(k), "k20261206");
	auth_free(k);
	free(p);
	ck_assert_int_eq(auth_generate("k", a, 8), -1);	/* too small a buffer */
}
END_TEST

START_TEST(a_plain_mac_is_keyed)
{
	struct auth_mac *m1 = auth_mac_new("0123456789abcdef0123456789abcdef", 32);
	struct auth_mac *m2 = auth_mac_new("0123456789abcdef0123456789abcdeX", 32);
	unsigned char a[32], b[32], c[32];

	ck_assert_ptr_nonnull(m1);
	ck_assert_int_eq(auth_mac(m1, "job", 3, a), 0);
	ck_assert_int_eq(auth_mac(m1, "job", 3, b), 0);
	ck_assert_int_eq(auth_mac(m2, "job", 3, c), 0);
	ck_assert_int_eq(memcmp(a, b, 32), 0);
	ck_assert_int_ne(memcmp(a, c, 32), 0);
	auth_mac_free(m1);
	auth_mac_free(m2);
	auth_mac_free(NULL);
}
END_TEST

static Suite *
auth_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tags = tcase_create("tags"), *files = tcase_create("key files");

	tcase_add_checked_fixture(tags, setup, teardown);
	tcase_add_test(tags, a_tag_verifies_under_the_same_key_and_routing_key);
	tcase_add_test(tags, a_changed_body_routing_key_or_tag_is_refused);
	tcase_add_loop_test(tags, a_malformed_tag_is_refused_and_none_is_told_apart, 0,
	    sizeof(malformed_tags) / sizeof(malformed_tags[0]));
	tcase_add_test(tags, a_forger_with_the_key_id_but_not_the_key_is_refused);
	tcase_add_test(tags, a_tag_under_a_key_not_held_is_unknown);
	tcase_add_test(tags, rotation_with_two_keys_refuses_nothing_at_any_step);
	tcase_add_test(tags, a_plain_mac_is_keyed);
	suite_add_tcase(s, tags);
	tcase_add_checked_fixture(files, setup, teardown);
	tcase_add_test(files, reload_swaps_the_keys_and_a_bad_file_keeps_them);
	tcase_add_loop_test(files, a_bad_key_file_is_refused_with_its_place_and_no_secret, 0,
	    sizeof(bad_files) / sizeof(bad_files[0]));
	tcase_add_test(files, a_missing_key_file_is_named);
	tcase_add_test(files, generated_keys_load_and_differ);
	suite_add_tcase(s, files);
	return s;
}

int
main(void)
{
	return tu_run(auth_suite());
}
