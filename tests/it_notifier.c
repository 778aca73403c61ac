/*
 * NAME
 *	it_notifier - vigil-notifier end to end: RabbitMQ → notifier →
 *	SMTP / Slack / webhook / command, outcomes in PostgreSQL
 * DESCRIPTION
 *	Each test has its own prefix on the harness's servers. A vigil-engine
 *	with a one-host conf.d creates the schema and the notification
 *	queues; an SMTP sink and an HTTP sink (tests/servers) stand in for
 *	the mail server, Slack and webhooks. The test then does what the
 *	engine does when it decides a notification: a notifications row, a
 *	notification_deliveries row, and the delivery message published
 *	(persistent) to <prefix>.events with routing key
 *	notification.<contact>. It asserts what arrives at the sinks and what
 *	the notifier recorded.
 * DIAGNOSTICS
 *	On failure the logs of the notifier and the sinks are printed.
 */
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itutil.h"
#include "auth.h"
#include "config.h"
#include "mqcli.h"
#include "msg.h"
#include "util.h"
#include "xalloc.h"
#include "tests/testutil.h"

#define WAIT 60.0	/* seconds: the machine may be loaded */

struct nt {
	struct it_env e;
	char cfg[512];
	char maildir[300], httpdir[300];
	int smtp_port, http_port;
	pid_t engine, smtp, http, notifier;
	int nruns;		/* notifier starts, for log names */
};

static void
dump_all(struct nt *t)
{
	char log[32];

	for (int i = 1; i <= t->nruns; i++) {
		snprintf(log, sizeof(log), "notifier%d.log", i);
		it_dump(&t->e, log);
	}
	it_dump(&t->e, "smtp.log");
	it_dump(&t->e, "http.log");
	it_dump(&t->e, "engine.log");
}

#define FAIL(t, ...) do { dump_all(t); ck_abort_msg(__VA_ARGS__); } while (0)

/* Write text to path (a sink's control file). */
static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/* The port a sink wrote to its port file. */
static int
sink_port(struct nt *t, const char *file)
{
	for (double waited = 0; waited < WAIT; waited += 0.1) {
		char *s = it_read(&t->e, file);
		int port = atoi(s);

		free(s);
		if (port > 0)
			return port;
		usleep(100 * 1000);
	}
	FAIL(t, "sink did not start (no %s)", file);
	return 0;
}

static void
notifier_start(struct nt *t)
{
	char log[32];

	snprintf(log, sizeof(log), "notifier%d.log", ++t->nruns);
	t->notifier = it_spawn(&t->e, log, "notifier/vigil-notifier",
	    (const char *[]){ "-c", t->cfg, NULL });
	if (it_wait_log(&t->e, log, "consuming queue=", WAIT) < 0)
		FAIL(t, "the notifier did not start consuming");
}

/* What the SMTP sink asks for (nt_start_smtp), and the notifier.smtp
 * keys that answer it. */
struct nt_smtp {
	int tls;		/* the sink offers STARTTLS with a certificate of
				 * the test's own CA (tls_make) */
	const char *auth;	/* "user:password" the sink requires after
				 * STARTTLS (needs tls), or NULL */
	const char *settings;	/* more notifier.smtp keys: ", user: u" */
};

/* A throwaway CA (dir/ca.pem) and a certificate it signed for 127.0.0.1
 * and localhost (dir/server.pem, its key dir/server.key). */
static void
tls_make(struct nt *t)
{
	char *ca = xasprintf("%s/ca.pem", t->e.dir), *cakey = xasprintf("%s/ca.key", t->e.dir);
	char *crt = xasprintf("%s/server.pem", t->e.dir);
	char *key = xasprintf("%s/server.key", t->e.dir), *out;
	const char *const mkca[] = { "req", "-x509", "-newkey", "ec", "-pkeyopt",
		"ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=vigil test CA",
		"-keyout", cakey, "-out", ca, NULL };
	const char *const mkcrt[] = { "req", "-x509", "-CA", ca, "-CAkey", cakey, "-newkey", "ec",
		"-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
		"/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
		"-addext", "basicConstraints=critical,CA:FALSE", "-keyout", key, "-out", crt, NULL };
	const char *const *steps[] = { mkca, mkcrt };

	for (size_t i = 0; i < 2; i++) {
		int rc = it_run(&t->e, "openssl.log", "/usr/bin/openssl", steps[i], &out);

		free(out);
		if (rc != 0) {
			it_dump(&t->e, "openssl.log");
			ck_abort_msg("openssl could not make the test certificates");
		}
	}
	free(ca);
	free(cakey);
	free(crt);
	free(key);
}

/* Engine (schema, queues), sinks and a notifier, with notifier settings
 * `notifier` added under `notifier:` in vigil.yaml, and an SMTP sink as
 * smtp says (NULL: plain SMTP, no login). */
static void
nt_start_smtp(struct nt *t, const char *name, const char *notifier,
    const struct nt_smtp *smtp)
{
	char *sink, *pf, *yaml, *extra, *res, *slack, *crt, *key;
	const char *args[10];
	int n = 0;

	memset(t, 0, sizeof(*t));
	it_env_init(&t->e, name);
	snprintf(t->maildir, sizeof(t->maildir), "%s/mail", t->e.dir);
	snprintf(t->httpdir, sizeof(t->httpdir), "%s/http", t->e.dir);
	sink = xasprintf("%s/tests/servers/smtp_sink.py", t->e.srcdir);
	pf = xasprintf("%s/smtp.port", t->e.dir);
	crt = xasprintf("%s/server.pem", t->e.dir);
	key = xasprintf("%s/server.key", t->e.dir);
	args[n++] = t->maildir;
	args[n++] = "--port-file";
	args[n++] = pf;
	if (smtp != NULL && smtp->tls) {
		tls_make(t);
		args[n++] = "--tls-cert";
		args[n++] = crt;
		args[n++] = "--tls-key";
		args[n++] = key;
	}
	if (smtp != NULL && smtp->auth != NULL) {
		args[n++] = "--auth";
		args[n++] = smtp->auth;
	}
	args[n] = NULL;
	t->smtp = it_spawn(&t->e, "smtp.log", sink, args);
	free(sink);
	free(pf);
	free(crt);
	free(key);
	sink = xasprintf("%s/tests/servers/http_sink.py", t->e.srcdir);
	pf = xasprintf("%s/http.port", t->e.dir);
	t->http = it_spawn(&t->e, "http.log", sink,
	    (const char *[]){ t->httpdir, "--port-file", pf, NULL });
	free(sink);
	free(pf);
	t->smtp_port = sink_port(t, "smtp.port");
	t->http_port = sink_port(t, "http.port");

	/* $USER1$ for notification commands: the test plugins. */
	res = xasprintf("%s/res.yaml", t->e.dir);
	yaml = xasprintf("USER1: %s/tests/plugins\n", t->e.srcdir);
	put(res, yaml);
	free(yaml);
	chmod(res, 0600);
	/* The Slack URL's path is its secret: it must never be logged. */
	slack = xasprintf("http://127.0.0.1:%d/slack/T000/B000/s3cretpath", t->http_port);
	setenv("IT_SLACK_URL", slack, 1);
	free(slack);
	extra = xasprintf("resource_file: %s\n"
	    "notifier:\n"
	    "  smtp: {url: \"smtp://127.0.0.1:%d\", from: vigil@test.example%s}\n"
	    "  slack: {webhook_url_env: IT_SLACK_URL}\n"
	    "  ack_url: http://vigil.test\n"
	    "  timeout: 5s\n"
	    "  retry: {delay: 1s, attempts: 3}\n"
	    "%s",
	    res, t->smtp_port, smtp != NULL && smtp->settings != NULL ? smtp->settings : "",
	    notifier != NULL ? notifier : "");
	yaml = xasprintf(
	    "commands:\n"
	    "  ok: {argv: [%s/tests/plugins/exit_with, \"0\", fine]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5\n"
	    "    services:\n"
	    "      http: {command: [ok], active: false}\n", t->e.srcdir);
	snprintf(t->cfg, sizeof(t->cfg), "%s", it_write_config(&t->e, extra, "a.yaml", yaml));
	free(yaml);
	free(extra);
	free(res);
	t->engine = it_spawn(&t->e, "engine.log", "engine/vigil-engine",
	    (const char *[]){ "-c", t->cfg, NULL });
	if (it_wait_sql(&t->e, "SELECT to_regclass('notification_deliveries') IS NOT NULL",
	    "t", WAIT) < 0)
		FAIL(t, "no schema after %.0f s", WAIT);
	notifier_start(t);
}

static void
nt_start(struct nt *t, const char *name, const char *notifier)
{
	nt_start_smtp(t, name, notifier, NULL);
}

static void
nt_stop(struct nt *t)
{
	if (t->notifier > 0)
		ck_assert_int_eq(WEXITSTATUS(it_stop(t->notifier, SIGTERM, 20)), 0);
	it_stop(t->engine, SIGTERM, 10);
	it_stop(t->smtp, SIGTERM, 5);
	it_stop(t->http, SIGTERM, 5);
	it_env_cleanup(&t->e);
}

/* A service problem for alice by channel, with fresh ids. */
static void
msg_init(struct nt *t, struct notification_msg *n, const char *channel)
{
	static char *cmd[] = { "$USER1$/notify_probe", NULL, "$HOSTNAME$/$SERVICEDESC$",
		"$SERVICEOUTPUT$", "$_CONTACTPAGER$", NULL };
	static struct cfg_var vars[] = { { "pager", "555-0100" } };
	static char out[300], hook[300];

	memset(n, 0, sizeof(*n));
	util_random_id(n->id);
	util_random_id(n->notification);
	snprintf(out, sizeof(out), "%s/probe.out", t->e.dir);
	snprintf(hook, sizeof(hook), "http://127.0.0.1:%d/hook/alice", t->http_port);
	cmd[1] = out;
	n->kind = "PROBLEM";
	n->number = 1;
	n->channel = (char *)channel;
	n->contact = "alice";
	n->contact_alias = "Alice";
	n->email = "alice@example.org";
	n->slack = "#ops";
	n->webhook = hook;
	n->command = cmd;
	n->ncommand = 5;
	n->vars = vars;
	n->nvars = 1;
	n->host = "web-01";
	n->host_address = "10.0.0.5";
	n->host_alias = "web-01";
	n->service = "http";
	n->state = "CRITICAL";
	n->old_state = "OK";
	n->state_type = "HARD";
	n->attempt = 3;
	n->max_attempts = 3;
	n->output = "CRITICAL - connection refused";
	n->long_output = "tried 3 times";
	n->time = util_now();
	n->last_state_change = n->time;
}

/* 'text' as an SQL literal, quotes doubled. */
static char *
sql_literal(const char *text)
{
	char *q = xmalloc(2 * strlen(text) + 3), *p = q;

	*p++ = '\'';
	for (; *text != '\0'; text++) {
		if (*text == '\'')
			*p++ = '\'';
		*p++ = *text;
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}

/* The rows the engine writes with the decision, with the target of n's
 * channel as the engine keeps it (a JSON string, or the argv). */
static void
insert_rows(struct nt *t, const struct notification_msg *n)
{
	json_t *target = strcmp(n->channel, "email") == 0 ? json_string(n->email) :
	    strcmp(n->channel, "slack") == 0 ? json_string(n->slack) :
	    strcmp(n->channel, "webhook") == 0 ? json_string(n->webhook) : NULL;
	char *tj, *q, *sql, *v;

	if (target == NULL) {	/* a command: its argv and whom it pages */
		json_t *argv = json_array(), *vars = json_object();

		for (size_t i = 0; i < n->ncommand; i++)
			json_array_append_new(argv, json_string(n->command[i]));
		for (size_t i = 0; i < n->nvars; i++)
			json_object_set_new(vars, n->vars[i].name, json_string(n->vars[i].value));
		target = json_pack("{s:o, s:s?, s:s?, s:s?, s:o}", "argv", argv, "email", n->email,
		    "slack", n->slack, "webhook", n->webhook, "vars", vars);
	}
	tj = json_dumps(target, JSON_ENCODE_ANY | JSON_COMPACT);
	q = sql_literal(tj);
	sql = xasprintf(
	    "WITH n AS (INSERT INTO notifications (id, check_id, time, type, number, state, output,"
	    " contacts) VALUES ('%s', (SELECT min(id) FROM checks), now(), '%s', %d, 2, 'x',"
	    " ARRAY['alice']) ON CONFLICT DO NOTHING)"
	    " INSERT INTO notification_deliveries (id, notification_id, contact, channel, target)"
	    " VALUES ('%s', '%s', 'alice', '%s', %s::jsonb) RETURNING id",
	    n->notification, n->kind, n->number, n->id, n->notification, n->channel, q);
	v = it_sql(&t->e, sql);
	if (v == NULL || strcmp(v, n->id) != 0)
		FAIL(t, "insert failed: %s", sql);
	free(v);
	free(sql);
	free(q);
	free(tj);
	json_decref(target);
}

static void
publish_raw(struct nt *t, const char *body, size_t len)
{
	char x[128], err[256];
	struct auth *a = it_auth(&t->e);	/* as the engine tags it */
	int rc;

	snprintf(x, sizeof(x), "%s.events", t->e.prefix);
	rc = mqcli_publish(t->e.amqp, a, x, "notification.alice", body, len, 10, err, sizeof(err));
	auth_free(a);
	if (rc < 0)
		FAIL(t, "publish: %s", err);
}

static void
publish(struct nt *t, const struct notification_msg *n)
{
	size_t len;
	char *body = msg_notification_encode(n, &len);

	publish_raw(t, body, len);
	free(body);
}

static void
wait_row(struct nt *t, const struct notification_msg *n, const char *want)
{
	char *sql = xasprintf("SELECT status || '/' || attempts FROM notification_deliveries"
	    " WHERE id = '%s'", n->id);

	if (it_wait_sql(&t->e, sql, want, WAIT) < 0) {
		char *got = it_sql(&t->e, sql);

		FAIL(t, "delivery %s: got %s, want %s", n->id, got != NULL ? got : "(none)", want);
	}
	free(sql);
}

static char *
row_field(struct nt *t, const struct notification_msg *n, const char *column)
{
	char *sql = xasprintf("SELECT %s FROM notification_deliveries WHERE id = '%s'", column,
	    n->id);
	char *v = it_sql(&t->e, sql);

	free(sql);
	return v != NULL ? v : xstrdup("(null)");
}

/* Files of dir named prefix* (not *.tmp), sorted; *n their count. */
static char **
files(const char *dir, const char *prefix, size_t *n)
{
	struct dirent **list = NULL;
	char **out;
	int k = scandir(dir, &list, NULL, alphasort);
	size_t m = 0;

	out = xcalloc((size_t)(k > 0 ? k : 0) + 1, sizeof(*out));
	for (int i = 0; i < k; i++) {
		const char *name = list[i]->d_name;
		size_t len = strlen(name);

		if (strncmp(name, prefix, strlen(prefix)) == 0 &&
		    !(len > 4 && strcmp(name + len - 4, ".tmp") == 0))
			out[m++] = xasprintf("%s/%s", dir, name);
		free(list[i]);
	}
	free(list);
	*n = m;
	return out;
}

static void
files_free(char **v)
{
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static size_t
count(const char *dir, const char *prefix)
{
	size_t n;

	files_free(files(dir, prefix, &n));
	return n;
}

static void
wait_count(struct nt *t, const char *dir, const char *prefix, size_t want)
{
	for (double waited = 0; waited < WAIT; waited += 0.1) {
		if (count(dir, prefix) >= want)
			return;
		usleep(100 * 1000);
	}
	FAIL(t, "%s/%s*: %zu, want %zu", dir, prefix, count(dir, prefix), want);
}

/* The content of the i-th (0-based) file of dir named prefix*. */
static char *
nth(const char *dir, const char *prefix, size_t i)
{
	size_t n;
	char **v = files(dir, prefix, &n), *s;

	ck_assert_msg(i < n, "no file %zu of %s/%s*", i, dir, prefix);
	s = util_read_file(v[i], NULL);
	files_free(v);
	return s != NULL ? s : xstrdup("");
}

static void
expect_in(const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want) != NULL, "missing \"%s\" in:\n%s", want, text);
}

/* One message taken from queue (basic.get), NULL if it is empty. */
static char *
queue_get(struct nt *t, const char *what)
{
	struct amqp_connection_info ci;
	char *url = xstrdup(t->e.amqp), q[128], *body = NULL;
	amqp_connection_state_t c = amqp_new_connection();
	amqp_socket_t *sock = amqp_tcp_socket_new(c);
	amqp_rpc_reply_t r;
	amqp_message_t m;

	snprintf(q, sizeof(q), "%s.%s", t->e.prefix, what);
	ck_assert_int_eq(amqp_parse_url(url, &ci), AMQP_STATUS_OK);
	ck_assert_int_eq(amqp_socket_open(sock, ci.host, ci.port), AMQP_STATUS_OK);
	r = amqp_login(c, ci.vhost[0] ? ci.vhost : "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN,
	    ci.user, ci.password);
	ck_assert_int_eq(r.reply_type, AMQP_RESPONSE_NORMAL);
	amqp_channel_open(c, 1);
	ck_assert_int_eq(amqp_get_rpc_reply(c).reply_type, AMQP_RESPONSE_NORMAL);
	r = amqp_basic_get(c, 1, amqp_cstring_bytes(q), 1);
	ck_assert_int_eq(r.reply_type, AMQP_RESPONSE_NORMAL);
	if (r.reply.id == AMQP_BASIC_GET_OK_METHOD) {
		r = amqp_read_message(c, 1, &m, 0);
		ck_assert_int_eq(r.reply_type, AMQP_RESPONSE_NORMAL);
		body = xstrndup(m.body.bytes, m.body.len);
		amqp_destroy_message(&m);
	}
	amqp_channel_close(c, 1, AMQP_REPLY_SUCCESS);
	amqp_connection_close(c, AMQP_REPLY_SUCCESS);
	amqp_destroy_connection(c);
	free(url);
	return body;
}

/* An email to alice, as the engine would have it sent. */
static void
email_send(struct nt *t, struct notification_msg *n)
{
	msg_init(t, n, "email");
	insert_rows(t, n);
	publish(t, n);
}

/* An email to alice, sent once: the mail as the sink kept it (caller
 * frees). */
static char *
email_delivered(struct nt *t, struct notification_msg *n)
{
	email_send(t, n);
	wait_count(t, t->maildir, "mail-", 1);
	wait_row(t, n, "sent/1");
	return nth(t->maildir, "mail-", 0);
}

static void
expect_not_logged(struct nt *t, const char *secret)
{
	char *log = it_read(&t->e, "notifier1.log");

	ck_assert_msg(strstr(log, secret) == NULL, "\"%s\" was logged:\n%s", secret, log);
	free(log);
}

/* ---- tests ------------------------------------------------------------- */

START_TEST(email_arrives_once_with_its_headers_and_facts)
{
	struct nt t;
	struct notification_item items[] = {
		{ "PROBLEM", "web-01", "http", "CRITICAL", "connection refused", 1732190000 },
		{ "PROBLEM", "db-01", NULL, "DOWN", "no answer", 1732190001 },
	};
	struct notification_msg n, dup, digest;
	char *mail, *want;

	nt_start(&t, "nt_email", NULL);
	mail = email_delivered(&t, &n);
	expect_in(mail, "X-Sink-Mail-From: vigil@test.example\r\n");
	expect_in(mail, "X-Sink-Rcpt-To: alice@example.org\r\n");
	expect_in(mail, "X-Sink-TLS: no\r\n");	/* auto: none offered */
	expect_in(mail, "\r\nFrom: vigil@test.example\r\n");
	expect_in(mail, "\r\nTo: alice@example.org\r\n");
	expect_in(mail, "\r\nDate: ");
	expect_in(mail, "\r\nSubject: ** PROBLEM Service Alert: web-01/http is CRITICAL **\r\n");
	want = xasprintf("\r\nMessage-ID: <%s@vigil>\r\n", n.id);
	expect_in(mail, want);
	free(want);
	expect_in(mail, "\r\nContent-Type: text/plain; charset=utf-8\r\n");
	expect_in(mail, "Service:  http\r\n");
	expect_in(mail, "State:    CRITICAL (was OK), HARD, attempt 3/3\r\n");
	expect_in(mail, "Output:   CRITICAL - connection refused\r\n");
	expect_in(mail, "  tried 3 times\r\n");
	expect_in(mail, "Acknowledge it: vigilctl ack web-01/http -m TEXT\r\n");
	expect_in(mail, "  or open http://vigil.test/checks/web-01/http\r\n");
	free(mail);
	{
		char *sent_at = row_field(&t, &n, "sent_at IS NOT NULL AND last_error IS NULL");
		char *by = row_field(&t, &n, "notifier LIKE '%:%'");

		ck_assert_str_eq(sent_at, "t");
		ck_assert_str_eq(by, "t");
		free(sent_at);
		free(by);
	}

	/* The same delivery again (a redelivery, a duplicate): not sent. */
	publish(&t, &n);
	if (it_wait_log(&t.e, "notifier1.log", "already sent, not sent again", WAIT) < 0)
		FAIL(&t, "the second copy was not recognised");

	/* Two copies at once: one email. */
	msg_init(&t, &dup, "email");
	insert_rows(&t, &dup);
	publish(&t, &dup);
	publish(&t, &dup);
	wait_count(&t, t.maildir, "mail-", 2);
	wait_row(&t, &dup, "sent/1");

	/* A digest lists what it stands for. */
	msg_init(&t, &digest, "email");
	digest.kind = "DIGEST";
	digest.host = digest.host_address = digest.host_alias = digest.service = NULL;
	digest.state = digest.old_state = digest.state_type = NULL;
	digest.output = digest.long_output = NULL;
	digest.items = items;
	digest.nitems = 2;
	insert_rows(&t, &digest);
	publish(&t, &digest);
	wait_count(&t, t.maildir, "mail-", 3);
	wait_row(&t, &digest, "sent/1");
	mail = nth(t.maildir, "mail-", 2);
	expect_in(mail, "Subject: ** DIGEST: 2 notifications for Alice **\r\n");
	expect_in(mail, " PROBLEM web-01/http CRITICAL: connection refused\r\n");
	expect_in(mail, " PROBLEM db-01 DOWN: no answer\r\n");
	free(mail);

	/* Time for a stray second copy to show up: none may. */
	sleep(3);
	ck_assert_uint_eq(count(t.maildir, "mail-"), 3);
	wait_row(&t, &dup, "sent/1");
	nt_stop(&t);
}
END_TEST

static json_t *
request(struct nt *t, size_t i)
{
	char *s = nth(t->httpdir, "req-", i);
	json_error_t je;
	json_t *o = json_loads(s, 0, &je);

	ck_assert_msg(o != NULL, "bad record: %s", s);
	free(s);
	return o;
}

/* The JSON body a request carried. */
static json_t *
request_body(json_t *req)
{
	json_error_t je;
	json_t *b = json_loads(json_string_value(json_object_get(req, "body")), 0, &je);

	ck_assert_msg(b != NULL, "body is not JSON: %s",
	    json_string_value(json_object_get(req, "body")));
	return b;
}

START_TEST(slack_webhook_and_command_deliveries_carry_the_notification)
{
	struct nt t;
	struct notification_msg slack, hook, cmd;
	json_t *req, *body, *att;
	char *probe, *log, *want;

	nt_start(&t, "nt_channels", NULL);
	msg_init(&t, &slack, "slack");
	insert_rows(&t, &slack);
	publish(&t, &slack);
	wait_count(&t, t.httpdir, "req-", 1);
	wait_row(&t, &slack, "sent/1");
	req = request(&t, 0);
	ck_assert_str_eq(json_string_value(json_object_get(req, "path")), "/slack/T000/B000/s3cretpath");
	body = request_body(req);
	ck_assert_str_eq(json_string_value(json_object_get(body, "channel")), "#ops");
	ck_assert_str_eq(json_string_value(json_object_get(body, "username")), "vigil");
	ck_assert_str_eq(json_string_value(json_object_get(body, "text")),
	    "PROBLEM: web-01/http is CRITICAL: CRITICAL - connection refused");
	att = json_array_get(json_object_get(body, "attachments"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(att, "color")), "danger");
	json_decref(body);
	json_decref(req);

	msg_init(&t, &hook, "webhook");
	insert_rows(&t, &hook);
	publish(&t, &hook);
	wait_count(&t, t.httpdir, "req-", 2);
	wait_row(&t, &hook, "sent/1");
	req = request(&t, 1);
	ck_assert_str_eq(json_string_value(json_object_get(req, "path")), "/hook/alice");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(req, "headers"),
	    "Content-Type")), "application/json");
	body = request_body(req);
	ck_assert_str_eq(json_string_value(json_object_get(body, "id")), hook.id);
	ck_assert_str_eq(json_string_value(json_object_get(body, "type")), "PROBLEM");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(body, "host"), "name")),
	    "web-01");
	ck_assert_str_eq(json_string_value(json_object_get(body, "service")), "http");
	ck_assert_str_eq(json_string_value(json_object_get(body, "state")), "CRITICAL");
	ck_assert_str_eq(json_string_value(json_object_get(body, "output")),
	    "CRITICAL - connection refused");
	json_decref(body);
	json_decref(req);

	msg_init(&t, &cmd, "command");
	cmd.output = "CRITICAL - a;b $(touch /tmp/pwned) `id`";
	insert_rows(&t, &cmd);
	publish(&t, &cmd);
	wait_row(&t, &cmd, "sent/1");
	probe = it_read(&t.e, "probe.out");
	expect_in(probe, "arg=web-01/http\n");
	expect_in(probe, "arg=CRITICAL - a;b $(touch /tmp/pwned) `id`\n");
	expect_in(probe, "arg=555-0100\n");
	expect_in(probe, "NAGIOS_HOSTNAME=web-01\n");
	expect_in(probe, "NAGIOS_SERVICESTATE=CRITICAL\n");
	expect_in(probe, "NAGIOS_NOTIFICATIONTYPE=PROBLEM\n");
	expect_in(probe, "NAGIOS_CONTACTEMAIL=alice@example.org\n");
	expect_in(probe, "NAGIOS__CONTACTPAGER=555-0100\n");
	free(probe);

	/* Every outcome is logged, the Slack URL's secret never. */
	log = it_read(&t.e, "notifier1.log");
	want = xasprintf("delivery sent id=%s notification=%s contact=alice channel=slack to=#ops "
	    "attempt=1", slack.id, slack.notification);
	expect_in(log, want);
	free(want);
	expect_in(log, "channel=webhook to=127.0.0.1 attempt=1");
	ck_assert_msg(strstr(log, "s3cretpath") == NULL, "the Slack URL was logged:\n%s", log);
	free(log);
	nt_stop(&t);
}
END_TEST

START_TEST(failing_webhook_is_retried_and_delivered_once_when_it_recovers)
{
	struct nt t;
	struct notification_msg n;
	char *status = NULL;
	size_t ok = 0, total;

	nt_start(&t, "nt_retry", NULL);
	status = xasprintf("%s/status", t.httpdir);
	put(status, "500\n");
	msg_init(&t, &n, "webhook");
	insert_rows(&t, &n);
	publish(&t, &n);
	/* Two refusals (1 s apart: the retry queue's TTL), then it heals. */
	wait_count(&t, t.httpdir, "req-", 2);
	unlink(status);
	wait_row(&t, &n, "sent/3");
	sleep(2);
	total = count(t.httpdir, "req-");
	ck_assert_uint_eq(total, 3);
	for (size_t i = 0; i < total; i++) {
		json_t *req = request(&t, i);

		ok += json_integer_value(json_object_get(req, "status")) == 200;
		json_decref(req);
	}
	ck_assert_uint_eq(ok, 1);
	free(status);
	nt_stop(&t);
}
END_TEST

START_TEST(delivery_that_never_succeeds_is_parked_after_the_last_attempt)
{
	struct nt t;
	struct notification_msg n, ghost;
	char *status, *err, *body;
	const char *junk = "{\"v\":1,\"type\":\"notification\",\"kind\":\"PROBLEM\"}";
	char *log;

	nt_start(&t, "nt_failed", NULL);
	status = xasprintf("%s/status", t.httpdir);
	put(status, "500\n");
	msg_init(&t, &n, "webhook");
	insert_rows(&t, &n);
	publish(&t, &n);
	wait_row(&t, &n, "failed/3");
	err = row_field(&t, &n, "last_error");
	ck_assert_msg(strncmp(err, "HTTP 500: sink says no", 22) == 0, "last_error: %s", err);
	free(err);
	ck_assert_uint_eq(count(t.httpdir, "req-"), 3);
	body = queue_get(&t, "notify.failed");
	ck_assert_msg(body != NULL && strstr(body, n.id) != NULL, "notify.failed holds: %s",
	    body != NULL ? body : "(nothing)");
	free(body);

	/* A message that does not decode, and one with no delivery row,
	 * are kept for a human in <prefix>.parked, not retried. */
	publish_raw(&t, junk, strlen(junk));
	msg_init(&t, &ghost, "email");
	publish(&t, &ghost);
	if (it_wait_log(&t.e, "notifier1.log", "delivery parked", WAIT) < 0)
		FAIL(&t, "the unknown delivery was not parked");
	for (double waited = 0; waited < WAIT; waited += 0.2) {
		if ((body = queue_get(&t, "parked")) != NULL && strstr(body, ghost.id) != NULL)
			break;
		free(body);
		body = NULL;
		usleep(200 * 1000);
	}
	ck_assert_msg(body != NULL, "the unknown delivery is not in parked");
	free(body);
	log = it_read(&t.e, "notifier1.log");
	expect_in(log, "delivery malformed reason=\"field \"id\": required\"");
	free(log);
	ck_assert_uint_eq(count(t.maildir, "mail-"), 0);
	free(status);
	nt_stop(&t);
}
END_TEST

START_TEST(notifier_killed_mid_delivery_sends_exactly_one_email_after_restart)
{
	struct nt t;
	struct notification_msg n;
	char *delay;
	double t0;

	nt_start(&t, "nt_kill9", NULL);
	delay = xasprintf("%s/delay", t.maildir);
	mkdir(t.maildir, 0755);
	put(delay, "30\n");
	msg_init(&t, &n, "email");
	insert_rows(&t, &n);
	publish(&t, &n);
	if (it_wait_log(&t.e, "smtp.log", "holding DATA", WAIT) < 0)
		FAIL(&t, "the email never reached DATA");
	it_stop(t.notifier, SIGKILL, 5);
	put(delay, "0\n");
	ck_assert_uint_eq(count(t.maildir, "mail-"), 0);
	t0 = util_now();
	notifier_start(&t);
	/* The dead notifier's claim goes stale after 2 x timeout + 17 s. */
	wait_count(&t, t.maildir, "mail-", 1);
	wait_row(&t, &n, "sent/2");
	fprintf(stderr, "kill -9 mid-delivery: the email went out %.1f s after the restart\n",
	    util_now() - t0);
	sleep(3);
	ck_assert_uint_eq(count(t.maildir, "mail-"), 1);
	free(delay);
	nt_stop(&t);
}
END_TEST

START_TEST(late_outcome_never_overwrites_a_takeover)
{
	struct nt t;
	struct notification_msg n;
	char *sql, *by;

	setenv("PROBE_SLEEP", "3", 1);	/* the notifier's commands inherit it */
	nt_start(&t, "nt_takeover", NULL);
	msg_init(&t, &n, "command");
	insert_rows(&t, &n);
	publish(&t, &n);
	wait_row(&t, &n, "sending/1");
	/* While the command runs, another notifier takes the claim over. */
	sql = xasprintf("UPDATE notification_deliveries SET notifier = 'elsewhere:1',"
	    " attempts = attempts + 1, updated_at = now() WHERE id = '%s' RETURNING id", n.id);
	free(it_sql(&t.e, sql));
	free(sql);
	if (it_wait_log(&t.e, "notifier1.log", "taken over by another notifier", WAIT) < 0)
		FAIL(&t, "the lost claim was not noticed");
	wait_row(&t, &n, "sending/2");
	by = row_field(&t, &n, "notifier");
	ck_assert_str_eq(by, "elsewhere:1");
	free(by);
	nt_stop(&t);
}
END_TEST

START_TEST(redelivered_message_past_its_attempts_is_given_up_without_sending)
{
	struct nt t;
	struct notification_msg n;
	char *sql, *body;

	nt_start(&t, "nt_attempts", NULL);
	msg_init(&t, &n, "webhook");
	insert_rows(&t, &n);
	/* Three attempts (retry.attempts) already made, none through the
	 * retry queue: the message came back after lost connections. */
	sql = xasprintf("UPDATE notification_deliveries SET status = 'retrying', attempts = 3"
	    " WHERE id = '%s' RETURNING id", n.id);
	free(it_sql(&t.e, sql));
	free(sql);
	publish(&t, &n);
	wait_row(&t, &n, "failed/4");
	ck_assert_uint_eq(count(t.httpdir, "req-"), 0);
	body = row_field(&t, &n, "last_error");
	expect_in(body, "attempt 4 exceeds notifier.retry.attempts (3)");
	free(body);
	body = queue_get(&t, "notify.failed");
	ck_assert_msg(body != NULL && strstr(body, n.id) != NULL, "notify.failed holds: %s",
	    body != NULL ? body : "(nothing)");
	free(body);
	nt_stop(&t);
}
END_TEST

/* Recording 'sent' fails while the table outcome_block has a row (a
 * trigger), as if the database went away between the send and the
 * record. */
static void
block_outcomes(struct nt *t)
{
	free(it_sql(&t->e, "CREATE TABLE outcome_block (x int)"));
	free(it_sql(&t->e, "INSERT INTO outcome_block VALUES (1)"));
	free(it_sql(&t->e, "CREATE FUNCTION outcome_block() RETURNS trigger LANGUAGE plpgsql AS $$"
	    " BEGIN IF NEW.status = 'sent' AND EXISTS (SELECT 1 FROM outcome_block) THEN"
	    " RAISE EXCEPTION 'outcome blocked by the test'; END IF; RETURN NEW; END $$"));
	free(it_sql(&t->e, "CREATE TRIGGER outcome_block BEFORE UPDATE ON notification_deliveries"
	    " FOR EACH ROW EXECUTE FUNCTION outcome_block()"));
}

START_TEST(stopping_notifier_records_what_it_sent_before_it_exits)
{
	struct nt t;
	struct notification_msg n;
	int status;

	nt_start(&t, "nt_stop", NULL);
	block_outcomes(&t);
	msg_init(&t, &n, "webhook");
	insert_rows(&t, &n);
	publish(&t, &n);
	wait_count(&t, t.httpdir, "req-", 1);
	if (it_wait_log(&t.e, "notifier1.log", "outcome blocked by the test", WAIT) < 0)
		FAIL(&t, "recording the outcome did not fail");
	/* Stopped while it holds an outcome to record: it must not leave
	 * the row 'sending' (another notifier would send it again). */
	kill(t.notifier, SIGTERM);
	if (it_wait_log(&t.e, "notifier1.log", "stopping signal=", WAIT) < 0)
		FAIL(&t, "the notifier did not begin to stop");
	free(it_sql(&t.e, "DELETE FROM outcome_block"));
	status = it_stop(t.notifier, SIGTERM, WAIT);
	t.notifier = 0;
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
	wait_row(&t, &n, "sent/1");
	ck_assert_uint_eq(count(t.httpdir, "req-"), 1);
	nt_stop(&t);
}
END_TEST

/* ---- SMTP with TLS and a login ----------------------------------------- */

#define SMTP_USER	"vigil-smtp"
#define SMTP_PASSWORD	"pw-S3cret-4711"

START_TEST(starttls_auto_takes_tls_when_the_server_offers_it)
{
	const struct nt_smtp smtp = { .tls = 1, .settings = ", ca_file: ca.pem" };
	struct nt t;
	struct notification_msg n;
	char *mail;

	nt_start_smtp(&t, "nt_starttls", NULL, &smtp);
	mail = email_delivered(&t, &n);
	expect_in(mail, "X-Sink-TLS: yes\r\n");
	expect_in(mail, "X-Sink-Auth: none\r\n");
	expect_in(mail, "X-Sink-Rcpt-To: alice@example.org\r\n");
	free(mail);
	nt_stop(&t);
}
END_TEST

START_TEST(login_goes_over_starttls_and_the_password_is_never_logged)
{
	const struct nt_smtp smtp = { .tls = 1, .auth = SMTP_USER ":" SMTP_PASSWORD,
		.settings = ", starttls: always, user: " SMTP_USER ", password_env: IT_SMTP_PASSWORD,"
		    " ca_file: ca.pem" };
	struct nt t;
	struct notification_msg n;
	char *mail;

	setenv("IT_SMTP_PASSWORD", SMTP_PASSWORD, 1);
	nt_start_smtp(&t, "nt_smtp_auth", NULL, &smtp);
	mail = email_delivered(&t, &n);
	expect_in(mail, "X-Sink-TLS: yes\r\n");
	expect_in(mail, "X-Sink-Auth: " SMTP_USER "\r\n");
	free(mail);
	expect_not_logged(&t, SMTP_PASSWORD);
	nt_stop(&t);
}
END_TEST

START_TEST(wrong_password_fails_with_the_servers_535_and_nothing_is_sent)
{
	const struct nt_smtp smtp = { .tls = 1, .auth = SMTP_USER ":" SMTP_PASSWORD,
		.settings = ", user: " SMTP_USER ", password_env: IT_SMTP_PASSWORD, ca_file: ca.pem" };
	struct nt t;
	struct notification_msg n;
	char *err;

	setenv("IT_SMTP_PASSWORD", "not-the-password", 1);
	nt_start_smtp(&t, "nt_smtp_535", NULL, &smtp);
	email_send(&t, &n);
	wait_row(&t, &n, "failed/3");
	err = row_field(&t, &n, "last_error");
	expect_in(err, "(reply 535)");
	free(err);
	if (it_wait_log(&t.e, "smtp.log", "AUTH refused user=" SMTP_USER, WAIT) < 0)
		FAIL(&t, "the sink saw no login");
	ck_assert_uint_eq(count(t.maildir, "mail-"), 0);
	expect_not_logged(&t, "not-the-password");
	nt_stop(&t);
}
END_TEST

START_TEST(server_certificate_of_an_unknown_ca_is_refused_not_skipped)
{
	/* starttls auto, no ca_file: the system's CAs, which never signed
	 * the test's certificate. Falling back to plain text, or going on
	 * without verifying, would deliver the email: neither may. */
	const struct nt_smtp smtp = { .tls = 1 };
	struct nt t;
	struct notification_msg n;
	char *err;

	nt_start_smtp(&t, "nt_smtp_ca", NULL, &smtp);
	email_send(&t, &n);
	wait_row(&t, &n, "failed/3");
	err = row_field(&t, &n, "last_error");
	expect_in(err, "smtp: SSL certificate problem");
	ck_assert_msg(strstr(err, "reply") == NULL, "last_error: %s", err);
	free(err);
	ck_assert_uint_eq(count(t.maildir, "mail-"), 0);
	nt_stop(&t);
}
END_TEST

/*
 * A delivery whose message was rewritten by someone holding the message
 * key (every worker host does): the engine's ledger row says email to
 * alice; the message says "run this command" and "mail mallory". The
 * notifier sends the email to alice and runs nothing.
 */
START_TEST(rewritten_delivery_goes_to_the_ledgers_target_only)
{
	static char *evil[] = { "/bin/sh", "-c", NULL, NULL };
	static struct cfg_var evil_pager[] = { { "pager", "666-0666" } };
	struct nt t;
	struct notification_msg n, forged, legacy;
	char *pwned, *mail, *sql, *v;

	nt_start(&t, "nt_rewritten", NULL);
	msg_init(&t, &n, "email");
	insert_rows(&t, &n);
	forged = n;
	pwned = xasprintf("%s/pwned", t.e.dir);
	evil[2] = xasprintf("touch %s", pwned);
	forged.channel = "command";
	forged.command = evil;
	forged.ncommand = 3;
	forged.email = "mallory@example.net";
	publish(&t, &forged);
	wait_count(&t, t.maildir, "mail-", 1);
	wait_row(&t, &n, "sent/1");
	mail = nth(t.maildir, "mail-", 0);
	expect_in(mail, "X-Sink-Rcpt-To: alice@example.org\r\n");
	ck_assert_msg(strstr(mail, "mallory") == NULL, "mail went to the message's address:\n%s",
	    mail);
	free(mail);
	if (it_wait_log(&t.e, "notifier1.log", "names another channel, contact or target", WAIT) < 0)
		FAIL(&t, "the rewritten message was not logged");
	ck_assert_msg(access(pwned, F_OK) < 0, "the message's command ran");

	/* A command delivery whose message swaps the argv: the row's argv
	 * runs (it writes probe.out), not the message's. */
	msg_init(&t, &n, "command");
	insert_rows(&t, &n);
	forged = n;
	forged.command = evil;
	forged.ncommand = 3;
	forged.vars = evil_pager;
	forged.email = "mallory@example.net";
	publish(&t, &forged);
	wait_row(&t, &n, "sent/1");
	mail = it_read(&t.e, "probe.out");
	expect_in(mail, "arg=555-0100\n");	/* the row's pager, not 666 */
	expect_in(mail, "NAGIOS_CONTACTEMAIL=alice@example.org\n");
	free(mail);
	ck_assert_msg(access(pwned, F_OK) < 0, "the message's command ran");

	/* A row queued before rows kept targets (target NULL) runs no
	 * command from a message. */
	msg_init(&t, &legacy, "command");
	legacy.command = evil;
	legacy.ncommand = 3;
	insert_rows(&t, &legacy);
	sql = xasprintf("UPDATE notification_deliveries SET target = NULL WHERE id = '%s'"
	    " RETURNING id", legacy.id);
	v = it_sql(&t.e, sql);
	ck_assert_str_eq(v, legacy.id);
	free(v);
	free(sql);
	publish(&t, &legacy);
	wait_row(&t, &legacy, "failed/1");
	v = row_field(&t, &legacy, "last_error");
	expect_in(v, "predates delivery targets");
	free(v);
	ck_assert_msg(access(pwned, F_OK) < 0, "a command ran from a message");
	free(evil[2]);
	free(pwned);
	nt_stop(&t);
}
END_TEST

static Suite *
notifier_suite(void)
{
	Suite *s = suite_create("notifier");
	TCase *tc = tcase_create("deliveries");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, email_arrives_once_with_its_headers_and_facts);
	tcase_add_test(tc, slack_webhook_and_command_deliveries_carry_the_notification);
	tcase_add_test(tc, failing_webhook_is_retried_and_delivered_once_when_it_recovers);
	tcase_add_test(tc, delivery_that_never_succeeds_is_parked_after_the_last_attempt);
	tcase_add_test(tc, notifier_killed_mid_delivery_sends_exactly_one_email_after_restart);
	tcase_add_test(tc, stopping_notifier_records_what_it_sent_before_it_exits);
	tcase_add_test(tc, late_outcome_never_overwrites_a_takeover);
	tcase_add_test(tc, redelivered_message_past_its_attempts_is_given_up_without_sending);
	tcase_add_test(tc, rewritten_delivery_goes_to_the_ledgers_target_only);
	suite_add_tcase(s, tc);
	tc = tcase_create("smtp_tls");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, starttls_auto_takes_tls_when_the_server_offers_it);
	tcase_add_test(tc, login_goes_over_starttls_and_the_password_is_never_logged);
	tcase_add_test(tc, wrong_password_fails_with_the_servers_535_and_nothing_is_sent);
	tcase_add_test(tc, server_certificate_of_an_unknown_ca_is_refused_not_skipped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(notifier_suite());
}
