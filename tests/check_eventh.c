/*
 * NAME
 *	check_eventh - unit tests of event handlers: when one runs
 *	(engine/eventh.c, Nagios's handle_service_event()), what its argv
 *	becomes, and what the loader makes of event_handler
 * DESCRIPTION
 *	A check goes through a sequence of results with the real state
 *	machine (state_apply, as apply.c calls it) and eventh_triggered() is
 *	asked after each: a table per sequence of which results run the
 *	handler (every SOFT attempt, every change, recoveries, a volatile
 *	check's every HARD problem; not the first OK, not a HARD problem
 *	that goes on). eventh_argv() fills the places the loader recorded
 *	and moves $USERn$ places with them, whatever the values hold. The
 *	loader: event_handler with its $ARGn$, runtime macros allowed there
 *	only (and by kind: no $SERVICESTATE$ in a host's), the switches'
 *	defaults, errors with their places.
 * DIAGNOSTICS
 *	Exit status 0 when every test passes; a failure names the sequence
 *	and the result.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "configtest.h"
#include "engine/eventh.h"
#include "engine/state.h"
#include "macro.h"
#include "testutil.h"
#include "xalloc.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- when --------------------------------------------------------------- */

struct seq {
	const char *name;
	int max_attempts;
	int is_volatile;
	const char *statuses;	/* one digit per result */
	const char *runs;	/* 'y' or '.' per result: the handler runs */
};

static const struct seq seqs[] = {
	/* a new check: the first OK is no change; a first problem is */
	{ "first OK", 3, 0, "000", "..." },
	{ "first CRITICAL", 3, 0, "2", "y" },
	/* each SOFT attempt, the HARD change, nothing while HARD goes on,
	 * the recovery */
	{ "soft, soft, hard, hard, ok", 3, 0, "0222220", ".yyy..y" },
	/* a soft recovery runs it too */
	{ "soft then ok", 3, 0, "0200", ".yy." },
	/* a change of problem state while HARD */
	{ "critical to warning", 1, 0, "02211", ".y.y." },
	/* a change while SOFT is an attempt like the others */
	{ "soft warning to soft critical", 4, 0, "0122", ".yyy" },
	/* max_attempts 1: HARD at once */
	{ "hard at once", 1, 0, "0220", ".y.y" },
	/* volatile: every HARD problem result */
	{ "volatile", 1, 1, "022220", ".yyyyy" },
};

START_TEST(when_a_handler_runs)
{
	const struct seq *s = &seqs[_i];
	struct state_conf sc;
	struct state st;

	memset(&sc, 0, sizeof(sc));
	sc.max_attempts = s->max_attempts;
	sc.is_volatile = s->is_volatile;
	state_init(&st);
	for (size_t k = 0; s->statuses[k] != '\0'; k++) {
		struct state_input in;
		struct state_output out;
		int old = st.state;

		memset(&in, 0, sizeof(in));
		in.status = s->statuses[k] - '0';
		in.time = 1800000000.0 + 60.0 * (double)k;
		in.host_state = 0;	/* UP, HARD, fresh */
		in.host_state_type = STATE_HARD;
		in.host_last_check = in.time;
		state_apply(&sc, &st, &in, &out);
		ck_assert_msg(eventh_triggered(out.events, old, &st, s->is_volatile) ==
		    (s->runs[k] == 'y'), "%s: result %zu (status %c, now %s %s attempt %d): "
		    "want %s", s->name, k + 1, s->statuses[k], st.state_type == STATE_HARD ?
		    "HARD" : "SOFT", result_state_name(st.state, 0), st.attempt,
		    s->runs[k] == 'y' ? "a run" : "no run");
	}
}
END_TEST

/* ---- what it runs --------------------------------------------------------- */

START_TEST(argv_places_get_their_values_and_users_move_with_them)
{
	/* argv[1] "--state=$SERVICESTATE$/$SERVICESTATETYPE$ $USER1$",
	 * argv[2] "$USER2$", argv[3] "$SERVICEOUTPUT$" */
	char *argv[] = { "/p/h", "--state=$SERVICESTATE$/$SERVICESTATETYPE$ $USER1$",
	    "$USER2$", "$SERVICEOUTPUT$", NULL };
	char places[128], *users = NULL, **out;
	const char *v[MACRO_EV_N] = { 0 };

	snprintf(places, sizeof(places), "1:8:%d;1:23:%d;3:0:%d", MACRO_EV_SERVICESTATE,
	    MACRO_EV_SERVICESTATETYPE, MACRO_EV_SERVICEOUTPUT);
	v[MACRO_EV_SERVICESTATE] = "CRITICAL";
	v[MACRO_EV_SERVICESTATETYPE] = "SOFT";
	/* a value is one argument, whatever it holds */
	v[MACRO_EV_SERVICEOUTPUT] = "a b; $(rm -rf /) $USER1$";
	out = eventh_argv(argv, 4, places, "1:42:1;2:0:2", v, MACRO_EV_N, &users);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out[0], "/p/h");
	ck_assert_str_eq(out[1], "--state=CRITICAL/SOFT $USER1$");
	ck_assert_str_eq(out[2], "$USER2$");
	ck_assert_str_eq(out[3], "a b; $(rm -rf /) $USER1$");
	ck_assert_ptr_null(out[4]);
	/* $USER1$ moved from 42 to 22; the one in the output is no place */
	ck_assert_str_eq(users, "1:22:1;2:0:2");
	ck_assert_str_eq(out[1] + 22, "$USER1$");
	for (int i = 0; i < 4; i++)
		free(out[i]);
	free(out);
	free(users);
}
END_TEST

START_TEST(a_place_that_does_not_match_runs_nothing)
{
	char *argv[] = { "/p/h", "$SERVICESTATE$", NULL };
	const char *v[MACRO_EV_N] = { 0 };
	char places[64];

	v[MACRO_EV_SERVICESTATE] = "OK";
	/* off by one, past the end, another macro, garbage */
	snprintf(places, sizeof(places), "1:1:%d", MACRO_EV_SERVICESTATE);
	ck_assert_ptr_null(eventh_argv(argv, 2, places, NULL, v, MACRO_EV_N, NULL));
	snprintf(places, sizeof(places), "1:40:%d", MACRO_EV_SERVICESTATE);
	ck_assert_ptr_null(eventh_argv(argv, 2, places, NULL, v, MACRO_EV_N, NULL));
	snprintf(places, sizeof(places), "1:0:%d", MACRO_EV_HOSTSTATE);
	ck_assert_ptr_null(eventh_argv(argv, 2, places, NULL, v, MACRO_EV_N, NULL));
	ck_assert_ptr_null(eventh_argv(argv, 2, "1:x:0", NULL, v, MACRO_EV_N, NULL));
	snprintf(places, sizeof(places), "1:0:%d", MACRO_EV_N);
	ck_assert_ptr_null(eventh_argv(argv, 2, places, NULL, v, MACRO_EV_N, NULL));
}
END_TEST

/* ---- the loader ------------------------------------------------------------ */

static const char base[] =
    "commands:\n"
    "  c: [/bin/true]\n"
    "  restart: {argv: [/usr/lib/h/restart, $ARG1$, $SERVICESTATE$, $SERVICESTATETYPE$,"
    " \"attempt=$SERVICEATTEMPT$\", $HOSTSTATE$], timeout: 20s}\n"
    "  hostfix: [/usr/lib/h/hostfix, $HOSTSTATE$, $HOSTSTATETYPE$, $HOSTATTEMPT$,"
    " $LASTHOSTSTATE$]\n";

START_TEST(event_handler_takes_its_command_with_runtime_macros)
{
	struct config *cfg;
	const struct cfg_check *app, *web;
	char *yaml = xasprintf("%s"
	    "templates:\n"
	    "  t: {event_handler: [restart, nginx]}\n"
	    "hosts:\n"
	    "  web:\n"
	    "    check: [c]\n"
	    "    event_handler: hostfix\n"
	    "    event_handler_in_downtime: true\n"
	    "    services:\n"
	    "      app: {use: t, command: [c]}\n"
	    "      cron: {command: [c], event_handler_enabled: false}\n", base);

	put("conf.d/a.yaml", yaml);
	free(yaml);
	cfg = load(0);
	app = find_check(cfg, "web", "app");
	ck_assert_str_eq(app->event_handler, "restart");
	ck_assert_uint_eq(app->eh_argc, 6);
	ck_assert_str_eq(app->eh_argv[1], "nginx");
	ck_assert_str_eq(app->eh_argv[2], "$SERVICESTATE$");
	ck_assert_str_eq(app->eh_argv[4], "attempt=$SERVICEATTEMPT$");
	ck_assert_int_eq(app->eh_timeout, 20);
	ck_assert_int_eq(app->event_handler_enabled, 1);
	ck_assert_int_eq(app->event_handler_in_downtime, 0);
	{
		char want[128];

		snprintf(want, sizeof(want), "2:0:%d;3:0:%d;4:8:%d;5:0:%d",
		    MACRO_EV_SERVICESTATE, MACRO_EV_SERVICESTATETYPE, MACRO_EV_SERVICEATTEMPT,
		    MACRO_EV_HOSTSTATE);
		ck_assert_str_eq(app->eh_macros, want);
	}
	web = find_check(cfg, "web", NULL);
	ck_assert_str_eq(web->event_handler, "hostfix");
	ck_assert_int_eq(web->event_handler_in_downtime, 1);
	/* a host's handler timeout: the host check's default */
	ck_assert_int_eq(web->eh_timeout, 30);
	/* the host's handler is its own, not its services' */
	ck_assert_ptr_null(find_check(cfg, "web", "cron")->event_handler);
	ck_assert_int_eq(find_check(cfg, "web", "cron")->event_handler_enabled, 0);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *yaml;
	const char *error;
} error_cases[] = {
	/* a service macro in a host's handler */
	{ "  h: {check: [c], event_handler: [fix, $SERVICESTATE$]}\n",
	  "conf.d/a.yaml:6:35: host \"h\": event_handler: $ARG1$ \"$SERVICESTATE$\": "
	  "macro $SERVICESTATE$ is not available in a host's event handler" },
	/* runtime macros in a check command */
	{ "  h: {check: [fix, $HOSTSTATE$]}\n",
	  "conf.d/a.yaml:6:3: host \"h\": $ARG1$ \"$HOSTSTATE$\": macro $HOSTSTATE$ is "
	  "not available in check commands (an event_handler has it)" },
	{ "  h: {check: [c], event_handler: nofix}\n",
	  "conf.d/a.yaml:6:34: host \"h\": event_handler \"nofix\" is not defined" },
	{ "  h: {check: [c], services: {s: {command: [c], event_handler: [fix,"
	  " $LASTHOSTSTATE$]}}}\n",
	  "conf.d/a.yaml:6:64: service \"h/s\": event_handler: $ARG1$ \"$LASTHOSTSTATE$\": "
	  "macro $LASTHOSTSTATE$ is not available in a service's event handler (only in a "
	  "host's)" },
	{ "  h: {check: [c], event_handler_enabled: maybe}\n",
	  "conf.d/a.yaml:6:42: host \"h\": event_handler_enabled: \"maybe\" is not a "
	  "boolean (expected true or false)" },
};

START_TEST(each_error_names_its_place)
{
	for (int i = 0; i < N(error_cases); i++) {
		struct config *cfg;
		char *yaml = xasprintf(
		    "commands:\n"
		    "  c: [/bin/true]\n"
		    "  fix: [/usr/lib/h/fix, $ARG1$]\n"
		    "hosts:\n"
		    "  # the host\n"
		    "%s", error_cases[i].yaml);

		put("conf.d/a.yaml", yaml);
		free(yaml);
		cfg = load(-1);
		expect_only_error(cfg, error_cases[i].error);
		config_free(cfg);
	}
}
END_TEST

static Suite *
eventh_suite(void)
{
	Suite *s = suite_create("eventh");
	TCase *tc = tcase_create("engine");
	TCase *tl = tcase_create("config");

	tcase_add_loop_test(tc, when_a_handler_runs, 0, N(seqs));
	tcase_add_test(tc, argv_places_get_their_values_and_users_move_with_them);
	tcase_add_test(tc, a_place_that_does_not_match_runs_nothing);
	suite_add_tcase(s, tc);
	tcase_add_unchecked_fixture(tl, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tl, setup, teardown);
	tcase_add_test(tl, event_handler_takes_its_command_with_runtime_macros);
	tcase_add_test(tl, each_error_names_its_place);
	suite_add_tcase(s, tl);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(eventh_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
