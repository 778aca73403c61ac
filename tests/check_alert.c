/*
 * NAME
 *	check_alert - unit tests of the engine's alert module: storms,
 *	downtimes, commands delivered again
 * DESCRIPTION
 *	A real config (configtest.h) becomes the engine's checks
 *	(sync_check_new), results go through the state machine as apply.c
 *	sends them (check_state_conf, check_state_context, state_apply), and
 *	alert_result(), alert_command() and alert_tick() run at chosen times.
 *	What they decided is read back from alert_take(): the JSON the batch
 *	commits (notifications, holds, digested, deliveries, downtimes,
 *	commands). No database and no broker: the module's own rules.
 * DIAGNOSTICS
 *	A failed count prints the batch JSON it was read from.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "configtest.h"
#include "engine/alert.h"
#include "engine/check.h"
#include "engine/state.h"
#include "engine/sync.h"
#include "log.h"
#include "msg.h"
#include "testutil.h"
#include "xalloc.h"

#define T0 1800000000.0		/* a fixed "now" */

struct fx {
	struct config *cfg;
	struct check_table t;
	struct alert a;
	int touched;
};

static void
touch(void *arg, struct check *c)
{
	((struct fx *)arg)->touched++;
}

static void
fx_start(struct fx *f, const char *vigil_yaml, const char *objects)
{
	put("vigil.yaml", vigil_yaml);
	put("conf.d/a.yaml", objects);
	f->cfg = load(0);
	check_table_init(&f->t);
	for (size_t i = 0; i < f->cfg->nchecks; i++) {
		struct check *c = sync_check_new(f->cfg, &f->cfg->checks[i]);

		c->id = (int64_t)i + 1;
		check_table_add(&f->t, c);
	}
	check_table_index(&f->t);
	check_table_link(&f->t, f->cfg);
	alert_init(&f->a, f->cfg, &f->t, touch, f);
	f->touched = 0;
}

static void
fx_stop(struct fx *f)
{
	alert_clear(&f->a);
	check_table_clear(&f->t);
	config_free(f->cfg);
}

static struct check *
check_of(struct fx *f, const char *service)
{
	struct check *c = check_table_find_name(&f->t, "h", service);

	ck_assert_msg(c != NULL, "no check h/%s", service);
	return c;
}

/* A plugin's result for h/service at t, as apply.c applies it. */
static void
result(struct fx *f, const char *service, int status, double t)
{
	struct check *c = check_of(f, service);
	struct state_conf sc;
	struct state_input in;
	struct state_output out;
	int old = c->st.state;

	check_state_conf(c, &sc);
	memset(&in, 0, sizeof(in));
	in.status = status;
	in.time = t;
	check_state_context(c, t, &in);
	state_apply(&sc, &c->st, &in, &out);
	free(c->output);
	c->output = xstrdup(status == 0 ? "OK - fine" : "CRITICAL - it broke");
	alert_result(&f->a, c, old, &out, "", "", t);
}

/* What the module has for the next batch ({} if nothing). */
static json_t *
take(struct fx *f)
{
	char *s = alert_take(&f->a);
	json_error_t e;
	json_t *j;

	if (s == NULL)
		return json_object();
	j = json_loads(s, 0, &e);
	ck_assert_msg(j != NULL, "batch JSON: %s: %s", e.text, s);
	free(s);
	return j;
}

static size_t
count(json_t *j, const char *array)
{
	json_t *a = json_object_get(j, array);

	return a != NULL ? json_array_size(a) : 0;
}

/* Notifications of type (NULL: any). */
static size_t
count_type(json_t *j, const char *type)
{
	json_t *a = json_object_get(j, "notifications"), *n;
	size_t i, k = 0;

	json_array_foreach(a, i, n)
		if (type == NULL || strcmp(json_string_value(json_object_get(n, "type")),
		    type) == 0)
			k++;
	return k;
}

#define EXPECT(j, what, n) do { \
	size_t got_ = strcmp((what), "notifications") == 0 || \
	    strcmp((what), "holds") == 0 || strcmp((what), "digested") == 0 || \
	    strcmp((what), "deliveries") == 0 || strcmp((what), "downtimes") == 0 || \
	    strcmp((what), "commands") == 0 ? count((j), (what)) : \
	    count_type((j), (what)); \
	if (got_ != (size_t)(n)) { \
		char *d_ = json_dumps((j), JSON_INDENT(1)); \
		ck_abort_msg("%zu %s, want %d:\n%s", got_, (what), (int)(n), d_); \
	} \
} while (0)

/* ---- storms ----------------------------------------------------------- */

static const char storm_objects[] =
    "contacts:\n"
    "  alice: {email: alice@test.example}\n"
    "commands:\n"
    "  c: [/bin/true]\n"
    "templates:\n"
    "  t: {command: c, max_attempts: 1, notify: alice}\n"
    "hosts:\n"
    "  h:\n"
    "    services:\n"
    "      s1: {use: t}\n"
    "      s2: {use: t}\n"
    "      s3: {use: t}\n"
    "      s4: {use: t}\n"
    "      s5: {use: t}\n";

static const char *const five[] = { "s1", "s2", "s3", "s4", "s5" };

START_TEST(past_the_threshold_the_rest_are_held_then_go_out_as_one_digest)
{
	struct fx f;
	json_t *j, *d;
	const char *digest;
	size_t i;

	fx_start(&f, "notifier: {storm: {threshold: 2, window: 60s, delay: 10s}}\n",
	    storm_objects);
	for (i = 0; i < 5; i++)
		result(&f, five[i], 2, T0 + (double)i * 0.1);
	j = take(&f);
	/* every PROBLEM is decided and recorded; two go out, three wait */
	EXPECT(j, "PROBLEM", 5);
	EXPECT(j, "deliveries", 2);
	EXPECT(j, "holds", 3);
	json_decref(j);

	alert_tick(&f.a, T0 + 5);	/* the delay is counted from the first held */
	j = take(&f);
	EXPECT(j, "deliveries", 0);
	json_decref(j);

	alert_tick(&f.a, T0 + 11);
	j = take(&f);
	EXPECT(j, "DIGEST", 1);
	EXPECT(j, "deliveries", 1);
	EXPECT(j, "digested", 3);
	d = json_array_get(json_object_get(j, "notifications"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(d, "output")), "3 notifications");
	digest = json_string_value(json_object_get(d, "id"));
	json_array_foreach(json_object_get(j, "digested"), i, d)
		ck_assert_str_eq(json_string_value(json_object_get(d, "digest_id")), digest);
	d = json_array_get(json_object_get(j, "deliveries"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(d, "notification_id")), digest);
	ck_assert_str_eq(json_string_value(json_object_get(d, "channel")), "email");
	json_decref(j);
	fx_stop(&f);
}
END_TEST

START_TEST(one_held_notification_goes_out_as_itself)
{
	struct fx f;
	json_t *j, *held, *d;
	char *id;

	fx_start(&f, "notifier: {storm: {threshold: 1, window: 60s, delay: 10s}}\n",
	    storm_objects);
	result(&f, "s1", 2, T0);
	result(&f, "s2", 2, T0 + 1);
	j = take(&f);
	EXPECT(j, "deliveries", 1);
	EXPECT(j, "holds", 1);
	held = json_array_get(json_object_get(j, "holds"), 0);
	id = xstrdup(json_string_value(json_object_get(held, "notification_id")));
	json_decref(j);

	alert_tick(&f.a, T0 + 12);
	j = take(&f);
	EXPECT(j, "DIGEST", 0);
	EXPECT(j, "deliveries", 1);
	d = json_array_get(json_object_get(j, "deliveries"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(d, "notification_id")), id);
	/* its hold is closed, naming itself */
	d = json_array_get(json_object_get(j, "digested"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(d, "digest_id")), id);
	json_decref(j);
	free(id);
	fx_stop(&f);
}
END_TEST

START_TEST(threshold_zero_holds_even_the_first_for_company)
{
	struct fx f;
	json_t *j;

	fx_start(&f, "notifier: {storm: {threshold: 0, window: 60s, delay: 10s}}\n",
	    storm_objects);
	result(&f, "s1", 2, T0);
	j = take(&f);
	EXPECT(j, "deliveries", 0);
	EXPECT(j, "holds", 1);
	json_decref(j);
	result(&f, "s2", 2, T0 + 3);
	alert_tick(&f.a, T0 + 10);
	j = take(&f);
	EXPECT(j, "DIGEST", 1);
	EXPECT(j, "digested", 2);
	json_decref(j);
	fx_stop(&f);
}
END_TEST

START_TEST(the_window_forgets_what_is_older_than_it)
{
	struct fx f;
	json_t *j;

	fx_start(&f, "notifier: {storm: {threshold: 1, window: 60s, delay: 10s}}\n",
	    storm_objects);
	result(&f, "s1", 2, T0);
	result(&f, "s2", 2, T0 + 61);
	j = take(&f);
	EXPECT(j, "deliveries", 2);
	EXPECT(j, "holds", 0);
	json_decref(j);
	fx_stop(&f);
}
END_TEST

/* ---- downtimes -------------------------------------------------------- */

static const char dt_objects[] =
    "contacts:\n"
    "  alice: {email: alice@test.example}\n"
    "commands:\n"
    "  c: [/bin/true]\n"
    "hosts:\n"
    "  h:\n"
    "    services:\n"
    "      s: {command: c, max_attempts: 1, notify: alice}\n"
    "      quiet: {command: c, max_attempts: 1, notify: alice,\n"
    "              notifications_enabled: false}\n";

static int
command(struct fx *f, enum command_kind kind, const char *id, const char *service,
    double now, struct command_msg *o, char *msg, size_t msglen)
{
	o->kind = kind;
	o->name = (char *)msg_command_name(kind);
	o->host = "h";
	o->service = (char *)service;
	o->author = "bob";
	o->comment = "maintenance";
	snprintf(o->id, sizeof(o->id), "%s", id);
	return alert_command(&f->a, o, now, msg, msglen);
}

START_TEST(a_fixed_downtime_silences_problems_until_it_ends)
{
	struct command_msg o;
	char msg[256];
	struct fx f;
	json_t *j;

	fx_start(&f, "", dt_objects);
	memset(&o, 0, sizeof(o));
	o.fixed = 1;
	o.end = T0 + 100;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "d1", "s", T0, &o, msg, sizeof(msg)), 0);
	ck_assert_msg(strstr(msg, "scheduled") != NULL, "%s", msg);
	j = take(&f);
	EXPECT(j, "downtimes", 2);		/* added, started */
	EXPECT(j, "DOWNTIMESTART", 1);
	EXPECT(j, "commands", 1);
	json_decref(j);
	ck_assert_int_eq(check_of(&f, "s")->dt_depth, 1);

	result(&f, "s", 2, T0 + 10);		/* HARD CRITICAL in downtime */
	j = take(&f);
	EXPECT(j, "PROBLEM", 0);
	json_decref(j);

	alert_tick(&f.a, T0 + 101);
	j = take(&f);
	EXPECT(j, "downtimes", 1);		/* ended */
	EXPECT(j, "DOWNTIMEEND", 1);
	json_decref(j);
	ck_assert_int_eq(check_of(&f, "s")->dt_depth, 0);

	/* still CRITICAL, never notified: the next result is */
	result(&f, "s", 2, T0 + 110);
	j = take(&f);
	EXPECT(j, "PROBLEM", 1);
	json_decref(j);
	fx_stop(&f);
}
END_TEST

START_TEST(a_flexible_downtime_starts_with_a_problem_and_lasts_its_duration)
{
	struct command_msg o;
	char msg[256];
	struct fx f;
	json_t *j;

	fx_start(&f, "", dt_objects);
	memset(&o, 0, sizeof(o));
	o.fixed = 0;
	o.duration = 60;
	o.end = T0 + 1000;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "d2", "s", T0, &o, msg, sizeof(msg)), 0);
	j = take(&f);
	EXPECT(j, "downtimes", 1);		/* added, waiting for a problem */
	EXPECT(j, "DOWNTIMESTART", 0);
	json_decref(j);

	result(&f, "s", 2, T0 + 30);
	j = take(&f);
	EXPECT(j, "DOWNTIMESTART", 1);
	EXPECT(j, "PROBLEM", 0);
	json_decref(j);

	alert_tick(&f.a, T0 + 80);		/* 50 s in: still on */
	j = take(&f);
	EXPECT(j, "downtimes", 0);
	json_decref(j);
	alert_tick(&f.a, T0 + 91);		/* 61 s in: over */
	j = take(&f);
	EXPECT(j, "DOWNTIMEEND", 1);
	json_decref(j);
	fx_stop(&f);
}
END_TEST

START_TEST(nested_downtimes_say_so_once_at_the_start_and_at_the_last_end)
{
	struct command_msg o;
	char msg[256];
	struct fx f;
	json_t *j;

	fx_start(&f, "", dt_objects);
	memset(&o, 0, sizeof(o));
	o.fixed = 1;
	o.end = T0 + 100;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "n1", "s", T0, &o, msg, sizeof(msg)), 0);
	o.end = T0 + 200;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "n2", "s", T0 + 1, &o, msg, sizeof(msg)), 0);
	j = take(&f);
	EXPECT(j, "DOWNTIMESTART", 1);
	json_decref(j);
	ck_assert_int_eq(check_of(&f, "s")->dt_depth, 2);

	alert_tick(&f.a, T0 + 150);		/* the first ends: no word */
	j = take(&f);
	EXPECT(j, "DOWNTIMEEND", 0);
	EXPECT(j, "downtimes", 1);
	json_decref(j);

	memset(&o, 0, sizeof(o));		/* cancel every downtime of s */
	ck_assert_int_eq(command(&f, COMMAND_CANCEL, "n3", "s", T0 + 160, &o, msg, sizeof(msg)),
	    0);
	ck_assert_str_eq(msg, "1 downtime cancelled");
	j = take(&f);
	EXPECT(j, "DOWNTIMECANCELLED", 1);
	json_decref(j);
	ck_assert_int_eq(check_of(&f, "s")->ndts, 0);
	fx_stop(&f);
}
END_TEST

START_TEST(impossible_downtimes_are_refused_with_the_reason)
{
	struct command_msg o;
	char msg[256];
	struct fx f;
	json_t *j, *row;

	fx_start(&f, "", dt_objects);
	memset(&o, 0, sizeof(o));
	o.fixed = 1;
	o.end = T0 - 1;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "r1", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "the downtime is over already");
	memset(&o, 0, sizeof(o));
	o.has_start = 1;
	o.start = T0 + 50;
	o.end = T0 + 10;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "r2", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "the downtime ends before it starts");
	memset(&o, 0, sizeof(o));
	o.fixed = 0;
	o.end = T0 + 100;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "r3", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "a flexible downtime needs a duration");
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(command(&f, COMMAND_CANCEL, "r4", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "h/s has no downtime");
	/* times no timestamptz holds, refused before they reach anything */
	memset(&o, 0, sizeof(o));
	o.fixed = 1;
	o.end = 1e300;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "r5", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "the downtime's start and end must be times between 1970 and 9999");
	memset(&o, 0, sizeof(o));
	o.has_start = 1;
	o.start = -1e300;
	o.end = T0 + 10;
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "r6", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "the downtime's start and end must be times between 1970 and 9999");
	memset(&o, 0, sizeof(o));
	o.fixed = 1;
	o.end = 253402300799.0;		/* 9999: a time, but longer than an int of seconds */
	ck_assert_int_eq(command(&f, COMMAND_DOWNTIME, "r7", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "a downtime lasts at most 68 years");
	j = take(&f);
	EXPECT(j, "downtimes", 0);
	EXPECT(j, "commands", 7);		/* each refusal is in the log */
	row = json_array_get(json_object_get(j, "commands"), 0);
	ck_assert(json_is_false(json_object_get(row, "ok")));
	json_decref(j);
	ck_assert_int_eq(check_of(&f, "s")->ndts, 0);
	fx_stop(&f);
}
END_TEST

/* ---- recheck ------------------------------------------------------------ */

static int rechecks;

static int
recheck_cb(void *arg, struct check *c, double now, char *msg, size_t msglen)
{
	rechecks++;
	if (!c->active) {
		snprintf(msg, msglen, "passive only");
		return -1;
	}
	snprintf(msg, msglen, "runs now");
	return 0;
}

/* A recheck goes to the scheduler's callback, its verdict (with the
 * command's source) to the command log; no callback refuses it. */
START_TEST(a_recheck_goes_to_the_scheduler_and_its_verdict_to_the_log)
{
	struct command_msg o;
	char msg[256];
	struct fx f;
	json_t *j, *row;

	fx_start(&f, "", dt_objects);
	memset(&o, 0, sizeof(o));
	o.source = "192.0.2.7";
	ck_assert_int_eq(command(&f, COMMAND_RECHECK, "k1", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "this engine runs no checks");
	f.a.recheck = recheck_cb;
	rechecks = 0;
	check_of(&f, "s")->active = 1;
	memset(&o, 0, sizeof(o));
	o.source = "192.0.2.7";
	ck_assert_int_eq(command(&f, COMMAND_RECHECK, "k2", "s", T0, &o, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "runs now");
	check_of(&f, "s")->active = 0;
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(command(&f, COMMAND_RECHECK, "k3", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_int_eq(rechecks, 2);
	j = take(&f);
	EXPECT(j, "commands", 3);
	row = json_array_get(json_object_get(j, "commands"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(row, "command")), "recheck");
	ck_assert_str_eq(json_string_value(json_object_get(row, "source")), "192.0.2.7");
	ck_assert_str_eq(json_string_value(json_object_get(row, "author")), "bob");
	ck_assert(json_is_true(json_object_get(row, "ok")));
	row = json_array_get(json_object_get(j, "commands"), 2);
	ck_assert(json_is_false(json_object_get(row, "ok")));
	ck_assert(json_is_null(json_object_get(row, "source")));
	json_decref(j);
	fx_stop(&f);
}
END_TEST

/* ---- commands delivered again ----------------------------------------- */

START_TEST(a_command_delivered_again_is_applied_once)
{
	struct command_msg o;
	char msg[256];
	struct fx f;
	json_t *j;

	fx_start(&f, "", dt_objects);
	result(&f, "s", 2, T0);
	json_decref(take(&f));
	memset(&o, 0, sizeof(o));
	o.notify = 1;
	ck_assert_int_eq(command(&f, COMMAND_ACK, "a1", "s", T0 + 1, &o, msg, sizeof(msg)), 0);
	j = take(&f);
	EXPECT(j, "ACKNOWLEDGEMENT", 1);
	EXPECT(j, "commands", 1);
	json_decref(j);

	/* its ack was lost: the broker delivers it again */
	ck_assert_int_eq(command(&f, COMMAND_ACK, "a1", "s", T0 + 2, &o, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "command a1 applied already");
	j = take(&f);
	EXPECT(j, "notifications", 0);
	EXPECT(j, "commands", 0);
	json_decref(j);

	/* a new id is a new command: an unack, then the same ack again */
	ck_assert_int_eq(command(&f, COMMAND_UNACK, "a2", "s", T0 + 3, &o, msg, sizeof(msg)), 0);
	ck_assert_int_eq(command(&f, COMMAND_ACK, "a3", "s", T0 + 4, &o, msg, sizeof(msg)), 0);
	j = take(&f);
	EXPECT(j, "ACKNOWLEDGEMENT", 1);
	EXPECT(j, "commands", 2);
	json_decref(j);
	fx_stop(&f);
}
END_TEST

START_TEST(the_ids_remembered_are_the_latest_1024)
{
	struct command_msg o;
	char msg[256], id[32];
	struct fx f;

	fx_start(&f, "", dt_objects);
	memset(&o, 0, sizeof(o));
	/* refused (nothing to cancel) but remembered all the same */
	ck_assert_int_eq(command(&f, COMMAND_CANCEL, "first", "s", T0, &o, msg, sizeof(msg)), -1);
	for (int i = 0; i < 1023; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		command(&f, COMMAND_CANCEL, id, "s", T0, &o, msg, sizeof(msg));
	}
	ck_assert_int_eq(command(&f, COMMAND_CANCEL, "first", "s", T0, &o, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "command first applied already");
	command(&f, COMMAND_CANCEL, "c1023", "s", T0, &o, msg, sizeof(msg));
	/* 1,025 ids later, "first" is forgotten: applied (and refused) again */
	ck_assert_int_eq(command(&f, COMMAND_CANCEL, "first", "s", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "h/s has no downtime");
	fx_stop(&f);
}
END_TEST

START_TEST(a_custom_notification_is_refused_where_notifications_are_disabled)
{
	struct command_msg o;
	char msg[256];
	struct fx f;
	json_t *j;

	fx_start(&f, "", dt_objects);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(command(&f, COMMAND_CUSTOM, "u1", "quiet", T0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "h/quiet has notifications disabled (notifications_enabled: false)");
	ck_assert_int_eq(command(&f, COMMAND_CUSTOM, "u2", "s", T0, &o, msg, sizeof(msg)), 0);
	j = take(&f);
	EXPECT(j, "CUSTOM", 1);
	json_decref(j);
	/* and its problems are never notified */
	result(&f, "quiet", 2, T0 + 1);
	j = take(&f);
	EXPECT(j, "notifications", 0);
	json_decref(j);
	fx_stop(&f);
}
END_TEST

static Suite *
alert_suite(void)
{
	Suite *s = suite_create("alert");
	TCase *tc;

	tc = tcase_create("storms");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, past_the_threshold_the_rest_are_held_then_go_out_as_one_digest);
	tcase_add_test(tc, one_held_notification_goes_out_as_itself);
	tcase_add_test(tc, threshold_zero_holds_even_the_first_for_company);
	tcase_add_test(tc, the_window_forgets_what_is_older_than_it);
	suite_add_tcase(s, tc);

	tc = tcase_create("downtimes");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_fixed_downtime_silences_problems_until_it_ends);
	tcase_add_test(tc, a_flexible_downtime_starts_with_a_problem_and_lasts_its_duration);
	tcase_add_test(tc, nested_downtimes_say_so_once_at_the_start_and_at_the_last_end);
	tcase_add_test(tc, impossible_downtimes_are_refused_with_the_reason);
	suite_add_tcase(s, tc);

	tc = tcase_create("commands");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_recheck_goes_to_the_scheduler_and_its_verdict_to_the_log);
	tcase_add_test(tc, a_command_delivered_again_is_applied_once);
	tcase_add_test(tc, the_ids_remembered_are_the_latest_1024);
	tcase_add_test(tc, a_custom_notification_is_refused_where_notifications_are_disabled);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	/* The module logs every decision: only errors are worth a line here. */
	log_init("check_alert", LOG_ERROR);
	return tu_run(alert_suite());
}
