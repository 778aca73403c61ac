/*
 * NAME
 *	it_notify - notifications end to end: engine, worker, notifier, real
 *	SMTP and HTTP servers
 * DESCRIPTION
 *	Real plugins drive checks through SOFT and HARD states; the engine
 *	decides, vigil-notifier delivers to a real SMTP server (aiosmtpd,
 *	tests/servers/smtp_sink.py) and a real HTTP server (Slack format,
 *	tests/servers/http_sink.py), and the tests count what arrived: one
 *	email per HARD problem, re-notifications at the interval, one
 *	recovery; nothing for SOFT states, acknowledged or in-downtime
 *	problems, a check with notifications_enabled: false, or while
 *	flapping; one digest for a storm; acks and downtimes through
 *	vigilctl, surviving an engine restart.
 * DIAGNOSTICS
 *	A failing test prints the daemons' logs.
 */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "itutil.h"
#include "strbuf.h"
#include "tests/testutil.h"
#include "xalloc.h"

struct nx {
	struct it_env e;
	pid_t smtp, http, engine, worker, notifier;
	int smtp_port, http_port;
	char maildir[320], hookdir[320];
	const char *cfg;
};

static void
dump_all(struct nx *x)
{
	it_dump(&x->e, "engine.log");
	it_dump(&x->e, "notifier.log");
	it_dump(&x->e, "smtp.log");
}

static void
set_code(struct nx *x, const char *name, int code)
{
	char buf[16];
	char *p;

	snprintf(buf, sizeof(buf), "%d\n", code);
	p = tu_write_file(x->e.dir, name, buf);
	free(p);
}

static void
nx_sinks(struct nx *x)
{
	char *smtp = xasprintf("%s/tests/servers/smtp_sink.py", x->e.srcdir);
	char *http = xasprintf("%s/tests/servers/http_sink.py", x->e.srcdir);
	char sp[16], hp[16];

	snprintf(x->maildir, sizeof(x->maildir), "%s/mail", x->e.dir);
	snprintf(x->hookdir, sizeof(x->hookdir), "%s/hooks", x->e.dir);
	mkdir(x->maildir, 0700);
	mkdir(x->hookdir, 0700);
	x->smtp_port = it_free_port();
	x->http_port = it_free_port();
	snprintf(sp, sizeof(sp), "%d", x->smtp_port);
	snprintf(hp, sizeof(hp), "%d", x->http_port);
	x->smtp = it_spawn(&x->e, "smtp.log", "/usr/bin/python3",
	    (const char *[]){ smtp, x->maildir, "--port", sp, NULL });
	x->http = it_spawn(&x->e, "http.log", "/usr/bin/python3",
	    (const char *[]){ http, x->hookdir, "--port", hp, NULL });
	free(smtp);
	free(http);
	/* each prints its port once it listens */
	ck_assert_msg(it_wait_log(&x->e, "smtp.log", sp, 20) >= 0, "no SMTP sink");
	ck_assert_msg(it_wait_log(&x->e, "http.log", hp, 20) >= 0, "no HTTP sink");
}

/* The environment and the sinks: then the caller writes conf.d with
 * x->e's paths and calls nx_launch(). */
static void
nx_start(struct nx *x, const char *name)
{
	memset(x, 0, sizeof(*x));
	it_env_init(&x->e, name);
	nx_sinks(x);
}

/* vigil.yaml with the notifier's settings (and notifier_extra lines under
 * `notifier:`), conf.d/a.yaml = yaml; engine, worker and notifier. */
static void
nx_launch(struct nx *x, const char *notifier_extra, const char *yaml)
{
	char *extra;

	extra = xasprintf(
	    "max_check_spread: 1s\n"
	    "notifier:\n"
	    "  smtp: {url: \"smtp://127.0.0.1:%d\", from: vigil@test.example, starttls: never}\n"
	    "  slack: {webhook_url_env: IT_NOTIFY_SLACK}\n"
	    "  retry: {delay: 1s, attempts: 3}\n"
	    "  templates:\n"
	    "    email_subject: \"$NOTIFICATIONTYPE$ $HOSTNAME$/$SERVICEDESC$ $SERVICESTATE$ #$NOTIFICATIONNUMBER$\"\n"
	    "%s",
	    x->smtp_port, notifier_extra != NULL ? notifier_extra : "");
	x->cfg = it_write_config(&x->e, extra, "a.yaml", yaml);
	free(extra);
	{
		char url[128];

		snprintf(url, sizeof(url), "http://127.0.0.1:%d/slack", x->http_port);
		setenv("IT_NOTIFY_SLACK", url, 1);
	}
	x->engine = it_spawn(&x->e, "engine.log", "engine/vigil-engine",
	    (const char *[]){ "-c", x->cfg, NULL });
	x->worker = it_spawn(&x->e, "worker.log", "worker/vigil-worker",
	    (const char *[]){ "-c", x->cfg, NULL });
	x->notifier = it_spawn(&x->e, "notifier.log", "notifier/vigil-notifier",
	    (const char *[]){ "-c", x->cfg, NULL });
}

static void
nx_stop(struct nx *x)
{
	if (x->notifier > 0)
		it_stop(x->notifier, SIGTERM, 10);
	if (x->worker > 0)
		it_stop(x->worker, SIGTERM, 10);
	if (x->engine > 0)
		it_stop(x->engine, SIGTERM, 15);
	it_stop(x->smtp, SIGTERM, 5);
	it_stop(x->http, SIGTERM, 5);
	it_env_cleanup(&x->e);
}

/* The Subject: lines of every email received, in arrival (file name)
 * order, joined by "\n". */
static char *
subjects(struct nx *x)
{
	struct dirent **names;
	int n = scandir(x->maildir, &names, NULL, alphasort);
	char *out = xstrdup("");

	if (n < 0)
		return out;

	for (int i = 0; i < n; i++) {
		char *path, *text = NULL, *s, *end, *joined;
		size_t len;
		FILE *f;

		if (strncmp(names[i]->d_name, "mail-", 5) != 0) {
			free(names[i]);
			continue;
		}
		path = xasprintf("%s/%s", x->maildir, names[i]->d_name);
		if ((f = fopen(path, "r")) != NULL) {
			text = xcalloc(1, 1 << 16);
			len = fread(text, 1, (1 << 16) - 1, f);
			text[len] = '\0';
			fclose(f);
		}
		if (text != NULL && (s = strstr(text, "Subject: ")) != NULL) {
			s += 9;
			end = strpbrk(s, "\r\n");
			joined = xasprintf("%s%.*s\n", out, (int)(end != NULL ? end - s : (long)strlen(s)), s);
			free(out);
			out = joined;
		}
		free(text);
		free(path);
		free(names[i]);
	}
	free(names);
	return out;
}

/* How many subjects contain what. */
static int
count_mail(struct nx *x, const char *what)
{
	char *all = subjects(x);
	int n = 0;

	for (const char *p = all; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	free(all);
	return n;
}

static int
wait_mail(struct nx *x, const char *what, int n, double timeout)
{
	for (double t = 0; t < timeout; t += 0.2) {
		if (count_mail(x, what) >= n)
			return 0;
		usleep(200000);
	}
	return -1;
}

#define WAIT_MAIL(x, what, n, timeout) do { \
	if (wait_mail((x), (what), (n), (timeout)) < 0) { \
		char *s_ = subjects(x); \
		dump_all(x); \
		ck_abort_msg("waited for %d email(s) with \"%s\"; received:\n%s", (n), (what), s_); \
	} \
} while (0)

#define ASSERT_MAIL(x, what, n) do { \
	int c_ = count_mail((x), (what)); \
	if (c_ != (n)) { \
		char *s_ = subjects(x); \
		dump_all(x); \
		ck_abort_msg("%d email(s) with \"%s\", want %d; received:\n%s", c_, (what), (n), s_); \
	} \
} while (0)

static int
ctl(struct nx *x, char **out, const char *const args[])
{
	const char *argv[16] = { "-c", x->cfg };
	int i = 2;

	for (int j = 0; args[j] != NULL && i < 15; j++)
		argv[i++] = args[j];
	argv[i] = NULL;
	return it_run(&x->e, "ctl.out", "ctl/vigilctl", argv, out);
}

static const char one_check[] =
    "contacts:\n"
    "  alice: {email: alice@test.example, slack: \"#ops\"}\n"
    "contact_groups:\n"
    "  ops: {members: [alice]}\n"
    "commands:\n"
    "  ff: {argv: [%s/tests/plugins/from_file, %s/code, %s/runs.log]}\n"
    "hosts:\n"
    "  web-01:\n"
    "    services:\n"
    "      app:\n"
    "        command: [ff]\n"
    "        interval: 1s\n"
    "        retry_interval: 1s\n"
    "        max_attempts: 3\n"
    "        notify: [ops]\n"
    "        notification_interval: 4s\n";

START_TEST(one_email_per_hard_problem_renotified_at_the_interval_and_one_recovery)
{
	struct nx x;
	char *yaml;

	nx_start(&x, "notify1");
	set_code(&x, "code", 0);
	yaml = xasprintf(one_check, x.e.srcdir, x.e.dir, x.e.dir);
	nx_launch(&x, NULL, yaml);
	free(yaml);
	if (it_wait_sql(&x.e, "SELECT s.state FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " WHERE c.service = 'app'", "0", 30) < 0) {
		dump_all(&x);
		ck_abort_msg("the check never ran OK");
	}
	/* SOFT problem, twice, then OK: not a single email. */
	set_code(&x, "code", 2);
	if (it_wait_sql(&x.e, "SELECT s.attempt || ' ' || s.state_type FROM check_state s JOIN"
	    " checks c ON c.id = s.check_id WHERE c.service = 'app'", "2 0", 20) < 0) {
		dump_all(&x);
		ck_abort_msg("no second SOFT attempt");
	}
	set_code(&x, "code", 0);
	it_wait_sql(&x.e, "SELECT s.state FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " WHERE c.service = 'app'", "0", 20);
	sleep(2);
	ASSERT_MAIL(&x, "app", 0);
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM notifications", "0");

	/* HARD problem: one email, then one more per 4 s. */
	set_code(&x, "code", 2);
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 1, 30);
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #2", 1, 20);
	set_code(&x, "code", 0);
	WAIT_MAIL(&x, "RECOVERY web-01/app OK", 1, 20);
	sleep(3);
	/* exactly one of each number, re-notified no sooner than 4 s */
	ASSERT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 1);
	ASSERT_MAIL(&x, "PROBLEM web-01/app CRITICAL #2", 1);
	ASSERT_MAIL(&x, "RECOVERY", 1);
	/* the recovery carries the last problem's number (Nagios >= 4.5.7) */
	ASSERT_MAIL(&x, "RECOVERY web-01/app OK #2", 1);
	IT_ASSERT_SQL(&x.e, "SELECT bool_and(gap >= interval '3.9 s') FROM (SELECT time - lag(time)"
	    " OVER (ORDER BY time) AS gap FROM notifications WHERE type = 'PROBLEM') g"
	    " WHERE gap IS NOT NULL", "t");
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM notifications n WHERE type = 'PROBLEM' AND"
	    " number > 0", "2");
	/* Slack got the same, as JSON with a channel and a colour. */
	if (it_wait_sql(&x.e, "SELECT count(*) FROM notification_deliveries WHERE channel = 'slack'"
	    " AND status = 'sent'", "3", 20) < 0) {
		dump_all(&x);
		ck_abort_msg("Slack deliveries not all sent");
	}
	{
		char *out = NULL;

		ck_assert_int_eq(ctl(&x, &out, (const char *[]){ "notifications", "--json", NULL }), 0);
		ck_assert_msg(strstr(out, "\"status\": \"sent\"") != NULL, "%s", out);
		ck_assert_msg(strstr(out, "RECOVERY") != NULL, "%s", out);
		free(out);
		/* a CUSTOM notification on request, with its author's text */
		ck_assert_msg(ctl(&x, &out, (const char *[]){ "notify", "web-01/app", "-m",
		    "please look", NULL }) == 0, "vigilctl notify: %s", out);
		free(out);
	}
	WAIT_MAIL(&x, "CUSTOM web-01/app OK", 1, 20);
	IT_ASSERT_SQL(&x.e, "SELECT comment FROM notifications WHERE type = 'CUSTOM'", "please look");
	nx_stop(&x);
}
END_TEST

START_TEST(acknowledged_and_in_downtime_problems_send_nothing_more)
{
	struct nx x;
	char *yaml, *out = NULL;
	int rc;

	nx_start(&x, "notify2");
	set_code(&x, "code", 2);
	yaml = xasprintf(one_check, x.e.srcdir, x.e.dir, x.e.dir);
	nx_launch(&x, NULL, yaml);
	free(yaml);
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 1, 40);

	/* Acknowledge: an ACKNOWLEDGEMENT email, then silence while it lasts. */
	rc = ctl(&x, &out, (const char *[]){ "ack", "web-01/app", "-m", "on it", NULL });
	ck_assert_msg(rc == 0, "vigilctl ack: %s", out);
	ck_assert_msg(strstr(out, "acknowledged") != NULL, "%s", out);
	free(out);
	WAIT_MAIL(&x, "ACKNOWLEDGEMENT web-01/app", 1, 20);
	IT_ASSERT_SQL(&x.e, "SELECT acknowledged::text || ' ' || (ack_author IS NOT NULL)::text"
	    " FROM check_state s JOIN checks c ON c.id = s.check_id WHERE c.service = 'app'", "true true");
	sleep(9);	/* two re-notification intervals */
	ASSERT_MAIL(&x, "PROBLEM", 1);

	/* The ack survives an engine restart. */
	it_stop(x.engine, SIGTERM, 15);
	x.engine = it_spawn(&x.e, "engine2.log", "engine/vigil-engine",
	    (const char *[]){ "-c", x.cfg, NULL });
	sleep(6);
	ASSERT_MAIL(&x, "PROBLEM", 1);
	IT_ASSERT_SQL(&x.e, "SELECT ack_kind FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " WHERE c.service = 'app'", "1");

	/* Acknowledging an OK check is refused, with the reason. */
	set_code(&x, "code", 0);
	WAIT_MAIL(&x, "RECOVERY web-01/app OK", 1, 30);
	rc = ctl(&x, &out, (const char *[]){ "ack", "web-01/app", "-m", "late", NULL });
	ck_assert_msg(rc != 0 && strstr(out, "nothing to acknowledge") != NULL, "%s", out);
	free(out);

	/* Downtime: a DOWNTIMESTART email, no PROBLEM while it lasts, and
	 * after a cancel the problem is notified. */
	rc = ctl(&x, &out, (const char *[]){ "downtime", "web-01/app", "--for", "1h", "-m",
	    "maintenance", NULL });
	ck_assert_msg(rc == 0, "vigilctl downtime: %s", out);
	free(out);
	WAIT_MAIL(&x, "DOWNTIMESTART web-01/app", 1, 20);
	IT_ASSERT_SQL(&x.e, "SELECT in_downtime FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " WHERE c.service = 'app'", "t");
	set_code(&x, "code", 2);
	if (it_wait_sql(&x.e, "SELECT s.state_type || ' ' || s.state FROM check_state s JOIN checks c"
	    " ON c.id = s.check_id WHERE c.service = 'app'", "1 2", 30) < 0) {
		dump_all(&x);
		ck_abort_msg("never HARD CRITICAL in downtime");
	}
	sleep(3);
	ASSERT_MAIL(&x, "PROBLEM", 1);
	rc = ctl(&x, &out, (const char *[]){ "downtime", "web-01/app", "--cancel", NULL });
	ck_assert_msg(rc == 0, "vigilctl downtime --cancel: %s", out);
	free(out);
	WAIT_MAIL(&x, "DOWNTIMECANCELLED web-01/app", 1, 20);
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 2, 20);
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM downtimes WHERE cancelled AND ended_at IS NOT NULL",
	    "1");
	nx_stop(&x);
}
END_TEST

/* Beside one_check's app: quiet, with its notifications disabled. */
static const char quiet_service[] =
    "      quiet:\n"
    "        command: [ff]\n"
    "        interval: 1s\n"
    "        retry_interval: 1s\n"
    "        notify: [ops]\n"
    "        notifications_enabled: false\n";

START_TEST(a_check_with_notifications_disabled_sends_nothing)
{
	struct nx x;
	char *yaml, *all;

	nx_start(&x, "notify7");
	set_code(&x, "code", 2);
	yaml = xasprintf(one_check, x.e.srcdir, x.e.dir, x.e.dir);
	all = xasprintf("%s%s", yaml, quiet_service);
	nx_launch(&x, NULL, all);
	free(yaml);
	free(all);
	/* Both go HARD CRITICAL; only app is notified. */
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 1, 40);
	if (it_wait_sql(&x.e, "SELECT s.state_type || ' ' || s.state FROM check_state s JOIN checks c"
	    " ON c.id = s.check_id WHERE c.service = 'quiet'", "1 2", 30) < 0) {
		dump_all(&x);
		ck_abort_msg("quiet never HARD CRITICAL");
	}
	/* And both recover; only app's recovery is sent. */
	set_code(&x, "code", 0);
	WAIT_MAIL(&x, "RECOVERY web-01/app OK", 1, 30);
	if (it_wait_sql(&x.e, "SELECT s.state FROM check_state s JOIN checks c ON c.id = s.check_id"
	    " WHERE c.service = 'quiet'", "0", 30) < 0) {
		dump_all(&x);
		ck_abort_msg("quiet never recovered");
	}
	sleep(2);
	ASSERT_MAIL(&x, "quiet", 0);
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM notifications n JOIN checks c ON c.id = n.check_id"
	    " WHERE c.service = 'quiet'", "0");
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM state_history h JOIN checks c ON c.id = h.check_id"
	    " WHERE c.service = 'quiet' AND h.state = 2 AND h.state_type = 1", "1");
	nx_stop(&x);
}
END_TEST

START_TEST(nothing_but_flapping_start_is_sent_while_a_check_flaps)
{
	struct nx x;
	char *yaml;

	nx_start(&x, "notify3");
	/* Every run flips the state; HARD at once; flapping from 25 %. */
	yaml = xasprintf(
	    "contacts:\n"
	    "  alice: {email: alice@test.example}\n"
	    "commands:\n"
	    "  flip: {argv: [%s/tests/plugins/flip, %s/flip]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    services:\n"
	    "      app:\n"
	    "        command: [flip]\n"
	    "        interval: 1s\n"
	    "        max_attempts: 1\n"
	    "        notify: [alice]\n"
	    "        notification_interval: 0\n"
	    "        low_flap_threshold: 10\n"
	    "        high_flap_threshold: 25\n", x.e.srcdir, x.e.dir);
	nx_launch(&x, NULL, yaml);
	free(yaml);
	WAIT_MAIL(&x, "FLAPPINGSTART web-01/app", 1, 60);
	{
		int before = count_mail(&x, "PROBLEM") + count_mail(&x, "RECOVERY");

		sleep(8);	/* eight more state changes */
		ck_assert_int_eq(count_mail(&x, "PROBLEM") + count_mail(&x, "RECOVERY"), before);
		IT_ASSERT_SQL(&x.e, "SELECT flapping FROM check_state s JOIN checks c"
		    " ON c.id = s.check_id WHERE c.service = 'app'", "t");
	}
	nx_stop(&x);
}
END_TEST

/* conf.d with 50 services of one group, all driven by one state file. */
static char *
fifty_yaml(struct nx *x)
{
	struct strbuf y = { 0 };

	{
		char *head = xasprintf(
		    "contacts:\n"
		    "  alice: {email: alice@test.example}\n"
		    "commands:\n"
		    "  ff: {argv: [%s/tests/plugins/from_file, %s/code, %s/runs.log]}\n"
		    "templates:\n"
		    "  t: {command: [ff], interval: 2s, max_attempts: 1, notify: [alice]}\n"
		    "groups:\n"
		    "  shop: {hosts: [\"shop-*\"]}\n"
		    "hosts:\n"
		    "  shop-01:\n"
		    "    services:\n", x->e.srcdir, x->e.dir, x->e.dir);

		strbuf_adds(&y, head);
		free(head);
	}
	for (int i = 1; i <= 50; i++) {
		char line[64];

		snprintf(line, sizeof(line), "      s%02d: {use: t}\n", i);
		strbuf_adds(&y, line);
	}
	return y.s;
}

/* The storm's holds are want ("N 1": N held, one digest), or the test
 * fails with what it takes to tell why: the notifications by type and
 * state, the checks' state changes, and what the engine said of jobs
 * and workers (a flake under load once held 69 where 45 were due). */
static void
assert_holds(struct nx *x, const char *want)
{
	char *got = it_sql(&x->e, "SELECT count(*) || ' ' || count(DISTINCT digest_id)"
	    " FROM notification_holds");

	if (got != NULL && strcmp(got, want) == 0) {
		free(got);
		return;
	}
	{
		char *by = it_sql(&x->e, "SELECT string_agg(t, '; ') FROM (SELECT type || ' state=' ||"
		    " coalesce(state::text, '-') || ' x' || count(*) AS t FROM notifications"
		    " GROUP BY type, state ORDER BY type, state) n");
		char *hist = it_sql(&x->e, "SELECT string_agg(t, '; ') FROM (SELECT 'state ' ||"
		    " state || ' ' || CASE WHEN state_type = 1 THEN 'HARD' ELSE 'SOFT' END ||"
		    " ' x' || count(*) AS t FROM state_history GROUP BY state, state_type"
		    " ORDER BY state, state_type) h");
		char *log = it_read(&x->e, "engine.log");

		fprintf(stderr, "notification_holds: got \"%s\", want \"%s\"\nnotifications: %s\n"
		    "state history: %s\nengine said:\n", got != NULL ? got : "(null)", want,
		    by != NULL ? by : "-", hist != NULL ? hist : "-");
		for (char *l = strtok(log, "\n"); l != NULL; l = strtok(NULL, "\n"))
			if (strstr(l, "not run") != NULL || strstr(l, "worker ") != NULL ||
			    strstr(l, "pool ") != NULL || strstr(l, "orphaned") != NULL ||
			    strstr(l, "storm") != NULL || strstr(l, "DIGEST") != NULL)
				fprintf(stderr, "  %s\n", l);
		free(by);
		free(hist);
		free(log);
	}
	ck_abort_msg("notification_holds: got \"%s\", want \"%s\" (details above)",
	    got != NULL ? got : "(null)", want);
}

/* Start the 50 checks with storm settings, wait until all are OK, then
 * make them all fail at once. */
static void
fifty_fail(struct nx *x, const char *storm)
{
	char *yaml = fifty_yaml(x);

	set_code(x, "code", 0);
	nx_launch(x, storm, yaml);
	free(yaml);
	if (it_wait_sql(&x->e, "SELECT count(*) FROM check_state WHERE state = 0", "50", 40) < 0) {
		dump_all(x);
		ck_abort_msg("the 50 checks never ran OK");
	}
	set_code(x, "code", 2);
}

START_TEST(fifty_checks_failing_together_make_one_digest_not_fifty_emails)
{
	struct nx x;

	/* threshold 0: every notification waits 6 s for company */
	nx_start(&x, "notify4");
	fifty_fail(&x, "  storm: {threshold: 0, window: 60s, delay: 6s}\n");
	WAIT_MAIL(&x, "DIGEST", 1, 40);
	sleep(4);
	ASSERT_MAIL(&x, "PROBLEM", 0);
	ASSERT_MAIL(&x, "DIGEST", 1);
	assert_holds(&x, "50 1");
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM notifications WHERE type = 'PROBLEM'", "50");
	nx_stop(&x);
}
END_TEST

START_TEST(beyond_the_storm_threshold_the_rest_go_in_one_digest)
{
	struct nx x;

	nx_start(&x, "notify5");
	fifty_fail(&x, "  storm: {threshold: 5, window: 60s, delay: 6s}\n");
	WAIT_MAIL(&x, "DIGEST", 1, 40);
	sleep(4);
	/* the first five on their own, the other 45 in one digest */
	ASSERT_MAIL(&x, "PROBLEM", 5);
	ASSERT_MAIL(&x, "DIGEST", 1);
	assert_holds(&x, "45 1");
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM notifications WHERE type = 'PROBLEM'", "50");
	nx_stop(&x);
}
END_TEST

START_TEST(a_slack_delivery_that_never_succeeds_is_parked_and_shown_as_failed)
{
	struct nx x;
	char *yaml, *out = NULL;

	nx_start(&x, "notify6");
	free(tu_write_file(x.hookdir, "status", "500\n"));	/* Slack is down for good */
	set_code(&x, "code", 2);
	yaml = xasprintf(one_check, x.e.srcdir, x.e.dir, x.e.dir);
	nx_launch(&x, NULL, yaml);
	free(yaml);
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 1, 40);	/* email works */
	if (it_wait_sql(&x.e, "SELECT status || ' ' || attempts FROM notification_deliveries"
	    " WHERE channel = 'slack' ORDER BY created LIMIT 1", "failed 3", 40) < 0) {
		dump_all(&x);
		ck_abort_msg("the Slack delivery was not given up after 3 attempts");
	}
	ck_assert_int_eq(ctl(&x, &out, (const char *[]){ "notifications", "--failed", NULL }), 0);
	ck_assert_msg(strstr(out, "slack") != NULL && strstr(out, "failed") != NULL &&
	    strstr(out, "500") != NULL, "vigilctl notifications --failed:\n%s", out);
	ck_assert_msg(strstr(out, " email ") == NULL, "a sent email listed as failed:\n%s", out);
	free(out);
	nx_stop(&x);
}
END_TEST

/* nx_launch() with yaml, then wait until every check is UP or OK: want is
 * their states by check id ("0,0,0"). */
static void
nx_up(struct nx *x, const char *yaml, const char *want)
{
	nx_launch(x, NULL, yaml);
	if (it_wait_sql(&x->e, "SELECT string_agg(s.state::text, ',' ORDER BY s.check_id) FROM"
	    " check_state s", want, 40) < 0) {
		dump_all(x);
		ck_abort_msg("not every check UP or OK (want %s)", want);
	}
}

/* Notifications switched off at runtime for one check: its problem sends
 * nothing while its neighbour's goes out; switched on, the problem is
 * notified with its next result. */
START_TEST(notifications_switched_off_send_nothing_until_switched_on)
{
	struct nx x;
	char *yaml, *out = NULL;

	nx_start(&x, "notify11");
	set_code(&x, "code", 0);
	set_code(&x, "code2", 0);
	yaml = xasprintf(
	    "contacts:\n"
	    "  alice: {email: alice@test.example}\n"
	    "commands:\n"
	    "  ff: {argv: [%s/tests/plugins/from_file, %s/code, %s/runs.log]}\n"
	    "  ff2: {argv: [%s/tests/plugins/from_file, %s/code2, %s/runs2.log]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    services:\n"
	    "      app: {command: [ff], interval: 1s, max_attempts: 1, notify: [alice]}\n"
	    "      other: {command: [ff2], interval: 1s, max_attempts: 1, notify: [alice]}\n",
	    x.e.srcdir, x.e.dir, x.e.dir, x.e.srcdir, x.e.dir, x.e.dir);
	nx_up(&x, yaml, "0,0");
	free(yaml);
	ck_assert_msg(ctl(&x, &out, (const char *[]){ "disable", "notifications", "web-01/app",
	    "-m", "known issue", NULL }) == 0, "%s", out);
	free(out);
	set_code(&x, "code", 2);
	set_code(&x, "code2", 2);
	WAIT_MAIL(&x, "PROBLEM web-01/other CRITICAL #1", 1, 30);
	if (it_wait_sql(&x.e, "SELECT s.state || ' ' || s.state_type FROM check_state s JOIN"
	    " checks c ON c.id = s.check_id WHERE c.service = 'app'", "2 1", 20) < 0) {
		dump_all(&x);
		ck_abort_msg("app never HARD CRITICAL");
	}
	sleep(2);
	ASSERT_MAIL(&x, "web-01/app", 0);
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM notifications n JOIN checks c ON c.id ="
	    " n.check_id WHERE c.service = 'app'", "0");
	ck_assert_msg(ctl(&x, &out, (const char *[]){ "enable", "notifications", "web-01/app",
	    NULL }) == 0, "%s", out);
	free(out);
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 1, 30);
	nx_stop(&x);
}
END_TEST

/* A service's RECOVERY while its host is HARD down is held, and goes out
 * when the host is UP again (Nagios >= 4.5.7). */
START_TEST(a_service_recovery_waits_for_its_host_to_be_up)
{
	struct nx x;
	char *yaml, *out = NULL;

	nx_start(&x, "notify12");
	set_code(&x, "web", 0);
	set_code(&x, "svc", 0);
	yaml = xasprintf(
	    "contacts:\n"
	    "  alice: {email: alice@test.example}\n"
	    "commands:\n"
	    "  web: {argv: [%s/tests/plugins/from_file, %s/web, %s/web.log]}\n"
	    "  svc: {argv: [%s/tests/plugins/from_file, %s/svc, %s/svc.log]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: [web]\n"
	    "    interval: 1h\n"
	    "    max_attempts: 1\n"
	    "    services:\n"
	    "      app: {command: [svc], interval: 1s, max_attempts: 1, notify: [alice]}\n",
	    x.e.srcdir, x.e.dir, x.e.dir, x.e.srcdir, x.e.dir, x.e.dir);
	nx_up(&x, yaml, "0,0");
	free(yaml);
	set_code(&x, "svc", 2);
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 1, 30);
	/* the host goes down (checked now), then the service recovers */
	set_code(&x, "web", 2);
	ck_assert_msg(ctl(&x, &out, (const char *[]){ "recheck", "web-01", NULL }) == 0, "%s",
	    out);
	free(out);
	if (it_wait_sql(&x.e, "SELECT s.state || ' ' || s.state_type FROM check_state s JOIN"
	    " checks c ON c.id = s.check_id WHERE c.service IS NULL", "1 1", 30) < 0) {
		dump_all(&x);
		ck_abort_msg("web-01 never HARD DOWN");
	}
	set_code(&x, "svc", 0);
	if (it_wait_sql(&x.e, "SELECT s.state FROM check_state s JOIN checks c ON c.id ="
	    " s.check_id WHERE c.service = 'app'", "0", 30) < 0) {
		dump_all(&x);
		ck_abort_msg("app never OK");
	}
	sleep(2);
	ASSERT_MAIL(&x, "RECOVERY", 0);
	/* the host is back: the held recovery goes out, once */
	set_code(&x, "web", 0);
	ck_assert_msg(ctl(&x, &out, (const char *[]){ "recheck", "web-01", NULL }) == 0, "%s",
	    out);
	free(out);
	WAIT_MAIL(&x, "RECOVERY web-01/app OK #1", 1, 30);
	sleep(2);
	ASSERT_MAIL(&x, "RECOVERY web-01/app", 1);
	nx_stop(&x);
}
END_TEST

#define HOST_NOTIFICATIONS(host) \
	"SELECT coalesce(string_agg(n.type || ':' || n.state || ':' || n.number, ','" \
	" ORDER BY n.time), '') FROM notifications n JOIN checks c ON c.id = n.check_id" \
	" JOIN hosts h ON h.id = c.host_id WHERE h.name = '" host "' AND c.service IS NULL"

/*
 * A host behind a DOWN parent is UNREACHABLE, and notified as such
 * (Nagios 4.5.9's check_host_notification_viability(): no parents rule).
 * Its service's problem while it is HARD down is HARD at once and not
 * notified; that service's OK result checks the host at once (the host's
 * own interval is an hour), so the host's RECOVERY comes with it, carrying
 * the problem's number.
 */
START_TEST(an_unreachable_host_is_notified_and_a_service_ok_checks_its_host_now)
{
	struct nx x;
	char *yaml;

	nx_start(&x, "notify10");
	set_code(&x, "core", 0);
	set_code(&x, "web", 0);
	set_code(&x, "svc", 0);
	yaml = xasprintf(
	    "contacts:\n"
	    "  alice: {email: alice@test.example}\n"
	    "commands:\n"
	    "  core: {argv: [%s/tests/plugins/from_file, %s/core, %s/core.log]}\n"
	    "  web: {argv: [%s/tests/plugins/from_file, %s/web, %s/web.log]}\n"
	    "  svc: {argv: [%s/tests/plugins/from_file, %s/svc, %s/svc.log]}\n"
	    "hosts:\n"
	    "  core-sw: {check: [core], interval: 1s, max_attempts: 1, notify: [alice]}\n"
	    "  web-01:\n"
	    "    parents: [core-sw]\n"
	    "    check: [web]\n"
	    "    interval: 1h\n"
	    "    max_attempts: 1\n"
	    "    notify: [alice]\n"
	    "    services:\n"
	    "      app: {command: [svc], interval: 1s, max_attempts: 3, notify: [alice]}\n",
	    x.e.srcdir, x.e.dir, x.e.dir, x.e.srcdir, x.e.dir, x.e.dir, x.e.srcdir, x.e.dir,
	    x.e.dir);
	nx_up(&x, yaml, "0,0,0");
	free(yaml);
	/* the switch and the host behind it: DOWN, and UNREACHABLE notified */
	set_code(&x, "core", 2);
	set_code(&x, "web", 2);
	if (it_wait_sql(&x.e, HOST_NOTIFICATIONS("web-01"), "PROBLEM:2:1", 40) < 0) {
		dump_all(&x);
		ck_abort_msg("web-01's UNREACHABLE was not notified");
	}
	IT_ASSERT_SQL(&x.e, HOST_NOTIFICATIONS("core-sw"), "PROBLEM:1:1");
	/* the service fails on the HARD UNREACHABLE host: HARD at once, held */
	set_code(&x, "svc", 2);
	if (it_wait_sql(&x.e, "SELECT s.state || ' ' || s.state_type || ' ' || s.attempt FROM"
	    " check_state s JOIN checks c ON c.id = s.check_id WHERE c.service = 'app'",
	    "2 1 3", 30) < 0) {
		dump_all(&x);
		ck_abort_msg("app did not go HARD at once");
	}
	/* web-01 is back (its own next check is an hour away): the service's
	 * OK checks it now, and its RECOVERY carries the problem's number */
	set_code(&x, "web", 0);
	set_code(&x, "svc", 0);
	if (it_wait_sql(&x.e, HOST_NOTIFICATIONS("web-01"), "PROBLEM:2:1,RECOVERY:0:1", 30) < 0) {
		dump_all(&x);
		ck_abort_msg("web-01 was not checked when its service came back");
	}
	IT_ASSERT_SQL(&x.e, "SELECT count(*) FROM notifications n JOIN checks c ON c.id ="
	    " n.check_id WHERE c.service = 'app'", "0");
	nx_stop(&x);
}
END_TEST

/*
 * Where a delivery goes is the engine's word in the ledger (migration
 * 014): the row of an email holds the address, the row of a command its
 * argv and the contact's facts its macros take; the notifier runs that.
 */
START_TEST(each_delivery_row_holds_its_whole_target_and_the_command_runs_from_it)
{
	struct nx x;
	char *all, *probe, *want;

	nx_start(&x, "notify9");
	set_code(&x, "code", 2);
	/* one_check, with bob and the command that pages him */
	all = xasprintf(
	    "contacts:\n"
	    "  alice: {email: alice@test.example}\n"
	    "  bob: {command: page, vars: {pager: \"555-0199\"}}\n"
	    "commands:\n"
	    "  ff: {argv: [%s/tests/plugins/from_file, %s/code, %s/runs.log]}\n"
	    "  page: {argv: [%s/tests/plugins/notify_probe, %s/page.out,"
	    " \"$HOSTNAME$/$SERVICEDESC$\", \"$_CONTACTPAGER$\"]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    services:\n"
	    "      app:\n"
	    "        command: [ff]\n"
	    "        interval: 1s\n"
	    "        max_attempts: 1\n"
	    "        notify: [alice, bob]\n",
	    x.e.srcdir, x.e.dir, x.e.dir, x.e.srcdir, x.e.dir);
	nx_launch(&x, NULL, all);
	free(all);
	WAIT_MAIL(&x, "PROBLEM web-01/app CRITICAL #1", 1, 40);
	IT_ASSERT_SQL(&x.e, "SELECT target #>> '{}' FROM notification_deliveries"
	    " WHERE channel = 'email' LIMIT 1", "alice@test.example");
	if (it_wait_sql(&x.e, "SELECT status FROM notification_deliveries WHERE channel = 'command'",
	    "sent", 40) < 0) {
		dump_all(&x);
		ck_abort_msg("the command delivery was not sent");
	}
	want = xasprintf("{\"argv\": [\"%s/tests/plugins/notify_probe\", \"%s/page.out\","
	    " \"$HOSTNAME$/$SERVICEDESC$\", \"$_CONTACTPAGER$\"], \"vars\": {\"pager\":"
	    " \"555-0199\"}, \"email\": null, \"slack\": null, \"webhook\": null}",
	    x.e.srcdir, x.e.dir);
	IT_ASSERT_SQL(&x.e, "SELECT target FROM notification_deliveries WHERE channel = 'command'",
	    want);
	free(want);
	IT_ASSERT_SQL(&x.e, "SELECT contact || ' ' || address FROM notification_deliveries"
	    " WHERE channel = 'command'", "bob page");
	probe = it_read(&x.e, "page.out");
	ck_assert_msg(strstr(probe, "arg=web-01/app\narg=555-0199\n") != NULL, "%s", probe);
	free(probe);
	nx_stop(&x);
}
END_TEST

static Suite *
notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("end_to_end");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, one_email_per_hard_problem_renotified_at_the_interval_and_one_recovery);
	tcase_add_test(tc, acknowledged_and_in_downtime_problems_send_nothing_more);
	tcase_add_test(tc, a_check_with_notifications_disabled_sends_nothing);
	tcase_add_test(tc, each_delivery_row_holds_its_whole_target_and_the_command_runs_from_it);
	tcase_add_test(tc, an_unreachable_host_is_notified_and_a_service_ok_checks_its_host_now);
	tcase_add_test(tc, notifications_switched_off_send_nothing_until_switched_on);
	tcase_add_test(tc, a_service_recovery_waits_for_its_host_to_be_up);
	tcase_add_test(tc, nothing_but_flapping_start_is_sent_while_a_check_flaps);
	tcase_add_test(tc, fifty_checks_failing_together_make_one_digest_not_fifty_emails);
	tcase_add_test(tc, beyond_the_storm_threshold_the_rest_go_in_one_digest);
	tcase_add_test(tc, a_slack_delivery_that_never_succeeds_is_parked_and_shown_as_failed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(notify_suite());
}
