/*
 * NAME
 *	check_smtp - how the notifier asks libcurl for TLS (smtp.c)
 * DESCRIPTION
 *	smtp_send() itself talks to a server: it_notifier covers it. Here:
 *	the TLS level each notifier.smtp.starttls gets, with and without a
 *	user (a password must never go out in clear).
 */
#include <check.h>
#include <curl/curl.h>
#include <stddef.h>

#include "notifier/smtp.h"
#include "tests/testutil.h"

static const struct {
	const char *starttls, *user;
	long want;
} levels[] = {
	{ "auto", NULL, (long)CURLUSESSL_TRY },
	{ "auto", "vigil", (long)CURLUSESSL_ALL },
	{ "always", NULL, (long)CURLUSESSL_ALL },
	{ "always", "vigil", (long)CURLUSESSL_ALL },
	{ "never", NULL, (long)CURLUSESSL_NONE },
	{ "never", "vigil", (long)CURLUSESSL_NONE },
};

START_TEST(starttls_is_required_whenever_a_password_would_be_sent_unless_never)
{
	long got = smtp_use_ssl(levels[_i].starttls, levels[_i].user);

	ck_assert_msg(got == levels[_i].want, "starttls %s user %s: got %ld, want %ld",
	    levels[_i].starttls, levels[_i].user != NULL ? levels[_i].user : "(none)", got,
	    levels[_i].want);
}
END_TEST

static Suite *
smtp_suite(void)
{
	Suite *s = suite_create("smtp");
	TCase *tc = tcase_create("tls");

	tcase_add_loop_test(tc, starttls_is_required_whenever_a_password_would_be_sent_unless_never,
	    0, (int)(sizeof(levels) / sizeof(levels[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(smtp_suite());
}
