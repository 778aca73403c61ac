/*
 * NAME
 *	check_render - what a notification looks like: macros, the email,
 *	Slack and webhook payloads, the command's argv and environment
 *	(notifier/render.c)
 * DESCRIPTION
 *	Times are shown in UTC (TZ is set) so that texts are stable.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "macro.h"
#include "msg.h"
#include "notifier/render.h"
#include "xalloc.h"
#include "tests/testutil.h"
#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char *tmp;
static struct config *cfg;
static struct cfg_var vars[] = { { "pager", "555-0100" } };
static char *command[] = { "$USER1$/notify-by-pager", "--to", "$_CONTACTPAGER$",
	"$HOSTNAME$/$SERVICEDESC$ is $SERVICESTATE$", "$SERVICEOUTPUT$", NULL };
static struct notification_item items[] = {
	{ "PROBLEM", "web-01", "http", "CRITICAL", "connection refused", 1732190000 },
	{ "PROBLEM", "db-01", NULL, "DOWN", "PING CRITICAL - 100% loss\nmore", 1732190061 },
};

/* A service problem, as the engine sends it. */
static struct notification_msg svc = {
	.id = "0123456789abcdef0123456789abcdef",
	.notification = "fedcba9876543210fedcba9876543210",
	.kind = "PROBLEM", .number = 2, .escalated = 1, .channel = "email",
	.contact = "alice", .contact_alias = "Alice A.", .email = "alice@example.org",
	.slack = "#ops", .webhook = "http://127.0.0.1:9/hook/secret",
	.command = command, .ncommand = 5, .vars = vars, .nvars = 1,
	.host = "web-01", .host_address = "10.0.0.5", .host_alias = "Web one",
	.service = "http api", .state = "CRITICAL", .old_state = "OK", .state_type = "HARD",
	.attempt = 3, .max_attempts = 3, .output = "CRITICAL - a;b $(id) <x> & y",
	.long_output = "line two\nline three", .perfdata = "time=5s",
	.time = 1732190000.5, .last_state_change = 1732189990,
};

static struct notification_msg host = {
	.id = "11111111111111111111111111111111", .notification = "22222222222222222222222222222222",
	.kind = "ACKNOWLEDGEMENT", .channel = "slack", .contact = "bob", .contact_alias = "bob",
	.slack = "#ops", .host = "db-01", .host_address = "10.0.0.9", .host_alias = "db-01",
	.state = "DOWN", .state_type = "HARD", .attempt = 1, .max_attempts = 1,
	.output = "PING CRITICAL", .time = 1732190000, .author = "carol", .comment = "on it",
};

static struct notification_msg digest = {
	.id = "33333333333333333333333333333333", .notification = "44444444444444444444444444444444",
	.kind = "DIGEST", .channel = "email", .contact = "alice", .contact_alias = "Alice A.",
	.email = "alice@example.org", .time = 1732190070, .items = items, .nitems = 2,
};

static void
load(const char *extra, int with_resources)
{
	char *yaml = xasprintf("conf_dir: nowhere\n%s%s", with_resources ?
	    "resource_file: res.yaml\n" : "", extra), *path, *res;

	res = tu_write_file(tmp, "res.yaml", "USER1: /opt/vigil\nUSER2: s3cret\n");
	ck_assert_int_eq(chmod(res, 0600), 0);
	path = tu_write_file(tmp, "vigil.yaml", yaml);
	config_free(cfg);
	cfg = config_new();
	ck_assert_msg(config_load(cfg, path, CONFIG_DAEMON_ONLY | CONFIG_RESOURCES) == 0, "%s",
	    cfg->nerrors ? cfg->errors[0] : "?");
	free(yaml);
	free(path);
	free(res);
}

static void
setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	tmp = tu_tmpdir();
	load("notifier: {ack_url: \"https://vigil.example.org/\", smtp: {from: vigil@example.org}}\n",
	    1);
}

static void
teardown(void)
{
	config_free(cfg);
	cfg = NULL;
	tu_rmrf(tmp);
	free(tmp);
}

static char *
macro(const struct notification_msg *n, const char *name)
{
	struct render_ctx c;
	const char *v;
	char *out;

	render_ctx_init(&c, n, cfg);
	v = render_macro(name, &c);
	out = v != NULL ? xstrdup(v) : NULL;
	render_ctx_clear(&c);
	return out;
}

#define ASSERT_MACRO(n, name, want) do { \
	char *v_ = macro((n), (name)); \
	ck_assert_msg(v_ != NULL && strcmp(v_, (want)) == 0, "$%s$: got \"%s\", want \"%s\"", \
	    (name), v_ != NULL ? v_ : "(unknown)", (want)); \
	free(v_); \
} while (0)

/* ---- macros ------------------------------------------------------------ */

START_TEST(every_notification_macro_has_a_value)
{
	const struct notification_msg *msgs[] = { &svc, &host, &digest };
	const char *const *names;
	size_t n, i, k;

	names = macro_notification_names(&n);
	ck_assert_uint_gt(n, 30);
	for (k = 0; k < N(msgs); k++)
		for (i = 0; i < n; i++) {
			char *v = macro(msgs[k], names[i]);

			ck_assert_msg(v != NULL, "$%s$ has no value for a %s", names[i], msgs[k]->kind);
			free(v);
		}
}
END_TEST

START_TEST(a_service_notification_fills_the_service_macros_and_empties_the_host_state)
{
	ASSERT_MACRO(&svc, "NOTIFICATIONTYPE", "PROBLEM");
	ASSERT_MACRO(&svc, "NOTIFICATIONNUMBER", "2");
	ASSERT_MACRO(&svc, "NOTIFICATIONID", "fedcba9876543210fedcba9876543210");
	ASSERT_MACRO(&svc, "NOTIFICATIONESCALATED", "1");
	ASSERT_MACRO(&svc, "NOTIFICATIONAUTHOR", "");
	ASSERT_MACRO(&svc, "HOSTNAME", "web-01");
	ASSERT_MACRO(&svc, "HOSTADDRESS", "10.0.0.5");
	ASSERT_MACRO(&svc, "HOSTALIAS", "Web one");
	ASSERT_MACRO(&svc, "SERVICEDESC", "http api");
	ASSERT_MACRO(&svc, "SERVICESTATE", "CRITICAL");
	ASSERT_MACRO(&svc, "LASTSERVICESTATE", "OK");
	ASSERT_MACRO(&svc, "SERVICESTATETYPE", "HARD");
	ASSERT_MACRO(&svc, "SERVICEATTEMPT", "3");
	ASSERT_MACRO(&svc, "SERVICEOUTPUT", "CRITICAL - a;b $(id) <x> & y");
	ASSERT_MACRO(&svc, "LONGSERVICEOUTPUT", "line two\nline three");
	ASSERT_MACRO(&svc, "SERVICEPERFDATA", "time=5s");
	ASSERT_MACRO(&svc, "LASTSERVICESTATECHANGE", "1732189990");
	ASSERT_MACRO(&svc, "HOSTSTATE", "");
	ASSERT_MACRO(&svc, "HOSTOUTPUT", "");
	ASSERT_MACRO(&svc, "CONTACTNAME", "alice");
	ASSERT_MACRO(&svc, "CONTACTALIAS", "Alice A.");
	ASSERT_MACRO(&svc, "CONTACTEMAIL", "alice@example.org");
	ASSERT_MACRO(&svc, "_CONTACTPAGER", "555-0100");
	ASSERT_MACRO(&svc, "_CONTACTNOSUCHVAR", "");
	ASSERT_MACRO(&svc, "TIMET", "1732190000");
	ASSERT_MACRO(&svc, "LONGDATETIME", "Thu Nov 21 11:53:20 UTC 2024");
	ASSERT_MACRO(&svc, "SHORTDATETIME", "2024-11-21 11:53:20");
	ASSERT_MACRO(&svc, "DATE", "2024-11-21");
	ASSERT_MACRO(&svc, "TIME", "11:53:20");
	ASSERT_MACRO(&svc, "ACKCOMMAND", "vigilctl ack web-01/http api -m TEXT");
	ASSERT_MACRO(&svc, "ACKURL", "https://vigil.example.org/checks/web-01/http%20api");
	ASSERT_MACRO(&svc, "NOTIFICATIONITEMS", "");
}
END_TEST

START_TEST(a_host_notification_fills_the_host_macros_and_empties_the_service_ones)
{
	ASSERT_MACRO(&host, "HOSTSTATE", "DOWN");
	ASSERT_MACRO(&host, "HOSTOUTPUT", "PING CRITICAL");
	ASSERT_MACRO(&host, "HOSTATTEMPT", "1");
	ASSERT_MACRO(&host, "LASTHOSTSTATE", "");
	ASSERT_MACRO(&host, "SERVICEDESC", "");
	ASSERT_MACRO(&host, "SERVICESTATE", "");
	ASSERT_MACRO(&host, "NOTIFICATIONAUTHOR", "carol");
	ASSERT_MACRO(&host, "NOTIFICATIONCOMMENT", "on it");
	ASSERT_MACRO(&host, "ACKCOMMAND", "vigilctl ack db-01 -m TEXT");
	ASSERT_MACRO(&host, "ACKURL", "https://vigil.example.org/checks/db-01");
	ASSERT_MACRO(&host, "CONTACTEMAIL", "");
}
END_TEST

START_TEST(a_digest_lists_its_items_one_a_line)
{
	ASSERT_MACRO(&digest, "NOTIFICATIONITEMS",
	    "11:53:20 PROBLEM web-01/http CRITICAL: connection refused\n"
	    "11:54:21 PROBLEM db-01 DOWN: PING CRITICAL - 100% loss\n");
	ASSERT_MACRO(&digest, "HOSTNAME", "");
	ASSERT_MACRO(&digest, "HOSTSTATE", "");
	ASSERT_MACRO(&digest, "ACKCOMMAND", "");
}
END_TEST

/* Found by fuzzing: a time of 1e300 (or NaN, or before 1970) in a message
 * was cast to time_t, undefined behaviour. Now a time out of range is
 * the nearest one there is. */
START_TEST(times_out_of_range_render_as_the_nearest_time)
{
	struct notification_msg n = svc;

	n.time = 1e300;
	ASSERT_MACRO(&n, "LONGDATETIME", "Fri Dec 31 23:59:59 UTC 9999");
	n.time = -1e300;
	ASSERT_MACRO(&n, "LONGDATETIME", "Thu Jan 01 00:00:00 UTC 1970");
	n.time = 0.0 / 0.0;
	ASSERT_MACRO(&n, "LONGDATETIME", "Thu Jan 01 00:00:00 UTC 1970");
	ck_assert_int_eq(util_time_t(1e300), (time_t)253402300799LL);
	ck_assert_int_eq(util_time_t(1732190000.9), (time_t)1732190000);
}
END_TEST

START_TEST(user_macros_and_unknown_names_are_not_notification_macros)
{
	char *v = macro(&svc, "USER1");

	ck_assert_ptr_null(v);	/* only a command has $USERn$ */
	ck_assert_ptr_null(macro(&svc, "ARG1"));
	ck_assert_ptr_null(macro(&svc, "NOPE"));
}
END_TEST

/* ---- email ------------------------------------------------------------- */

static char *
email(const struct notification_msg *n)
{
	size_t len;
	char *m = render_email(n, cfg, 1732190100, &len);

	ck_assert_uint_eq(strlen(m), len);
	/* CRLF only, and no line above SMTP's 998 bytes. */
	for (const char *p = m; *p != '\0';) {
		const char *e = strstr(p, "\r\n");

		ck_assert_msg(e != NULL, "message does not end with CRLF");
		ck_assert_msg(memchr(p, '\n', (size_t)(e - p)) == NULL, "bare LF in %.*s",
		    (int)(e - p), p);
		ck_assert_msg(e - p <= 998, "line of %d bytes", (int)(e - p));
		p = e + 2;
	}
	return m;
}

static void
expect_in(const char *text, const char *want)
{
	ck_assert_msg(strstr(text, want) != NULL, "missing \"%s\" in:\n%s", want, text);
}

START_TEST(email_has_the_headers_mtas_need)
{
	char *m = email(&svc);

	ck_assert_msg(strncmp(m, "Date: Thu, 21 Nov 2024 11:55:00 +0000\r\n", 39) == 0, "%s", m);
	expect_in(m, "\r\nFrom: vigil@example.org\r\n");
	expect_in(m, "\r\nTo: alice@example.org\r\n");
	expect_in(m, "\r\nSubject: ** PROBLEM Service Alert: web-01/http api is CRITICAL **\r\n");
	expect_in(m, "\r\nMessage-ID: <0123456789abcdef0123456789abcdef@vigil>\r\n");
	expect_in(m, "\r\nContent-Type: text/plain; charset=utf-8\r\n");
	expect_in(m, "\r\nAuto-Submitted: auto-generated\r\n");
	expect_in(m, "\r\n\r\n");
	free(m);
}
END_TEST

START_TEST(email_body_names_every_fact_and_how_to_ack)
{
	char *m = email(&svc);

	expect_in(m, "vigil notification: PROBLEM\r\n");
	expect_in(m, "Host:     web-01 (Web one, 10.0.0.5)\r\n");
	expect_in(m, "Service:  http api\r\n");
	expect_in(m, "State:    CRITICAL (was OK), HARD, attempt 3/3\r\n");
	expect_in(m, "Output:   CRITICAL - a;b $(id) <x> & y\r\n");
	expect_in(m, "Long output:\r\n  line two\r\n  line three\r\n");
	expect_in(m, "Time:     Thu Nov 21 11:53:20 UTC 2024 (2024-11-21T11:53:20.500Z)\r\n");
	expect_in(m, "Notification number: 2 (escalated)\r\n");
	expect_in(m, "Acknowledge it: vigilctl ack web-01/http api -m TEXT\r\n");
	expect_in(m, "  or open https://vigil.example.org/checks/web-01/http%20api\r\n");
	free(m);
}
END_TEST

START_TEST(ack_email_shows_author_and_comment_and_no_ack_hint)
{
	char *m = email(&host);

	expect_in(m, "Subject: ** ACKNOWLEDGEMENT Host Alert: db-01 is DOWN **\r\n");
	expect_in(m, "Author:   carol\r\n");
	expect_in(m, "Comment:  on it\r\n");
	ck_assert_ptr_null(strstr(m, "Acknowledge it"));
	free(m);
}
END_TEST

START_TEST(digest_email_lists_its_items)
{
	char *m = email(&digest);

	expect_in(m, "Subject: ** DIGEST: 2 notifications for Alice A. **\r\n");
	expect_in(m, "2 notifications, one a line:\r\n"
	    "  11:53:20 PROBLEM web-01/http CRITICAL: connection refused\r\n"
	    "  11:54:21 PROBLEM db-01 DOWN: PING CRITICAL - 100% loss\r\n");
	free(m);
}
END_TEST

START_TEST(subject_is_one_line_and_encoded_when_not_ascii)
{
	struct notification_msg n = svc;
	char *m;

	load("notifier: {templates: {email_subject: \"$SERVICEOUTPUT$\"}}\n", 0);
	n.output = "caf\xc3\xa9 down\r\nBcc: victim@example.org";
	m = email(&n);
	*strstr(m, "\r\n\r\n") = '\0';	/* the headers */
	ck_assert_ptr_null(strstr(m, "\r\nBcc:"));
	expect_in(m, "\r\nSubject: =?UTF-8?B?");
	free(m);
	n.output = "plain\nBcc: victim@example.org";
	m = email(&n);
	expect_in(m, "\r\nSubject: plain Bcc: victim@example.org\r\n");
	free(m);
}
END_TEST

START_TEST(templates_replace_the_built_in_texts)
{
	char *s, *b;

	load("notifier:\n  templates:\n    email_subject: \"[$NOTIFICATIONTYPE$] $HOSTNAME$ $$\"\n"
	    "    email_body: \"$SERVICEOUTPUT$ for $CONTACTNAME$\\n$NOTIFICATIONITEMS$\"\n", 0);
	s = render_email_subject(&svc, cfg);
	b = render_email_body(&svc, cfg);
	ck_assert_str_eq(s, "[PROBLEM] web-01 $");
	ck_assert_str_eq(b, "CRITICAL - a;b $(id) <x> & y for alice\n");
	free(s);
	free(b);
}
END_TEST

START_TEST(long_output_lines_are_cut_below_998_bytes)
{
	struct notification_msg n = svc;
	char *big = xmalloc(5001), *m;

	memset(big, 'x', 5000);
	big[5000] = '\0';
	n.output = big;
	m = email(&n);	/* checks every line */
	free(m);
	free(big);
}
END_TEST

/* ---- Slack and webhook ----------------------------------------------- */

static const struct {
	const char *kind, *state, *color;
} colors[] = {
	{ "PROBLEM", "CRITICAL", "danger" }, { "PROBLEM", "DOWN", "danger" },
	{ "PROBLEM", "UNREACHABLE", "danger" }, { "PROBLEM", "WARNING", "warning" },
	{ "PROBLEM", "UNKNOWN", "#808080" }, { "RECOVERY", "OK", "good" },
	{ "RECOVERY", "UP", "good" }, { "ACKNOWLEDGEMENT", "CRITICAL", "#439FE0" },
	{ "DOWNTIMESTART", "OK", "#439FE0" }, { "FLAPPINGSTART", "WARNING", "#439FE0" },
};

START_TEST(slack_colour_follows_state_and_kind)
{
	struct notification_msg n = svc;

	n.kind = (char *)colors[_i].kind;
	n.state = (char *)colors[_i].state;
	ck_assert_msg(strcmp(render_slack_color(&n), colors[_i].color) == 0, "%s %s: %s",
	    colors[_i].kind, colors[_i].state, render_slack_color(&n));
	ck_assert_str_eq(render_slack_color(&digest), "danger");
}
END_TEST

/* Render with fn and parse the JSON. */
static json_t *
parse(char *(*fn)(const struct notification_msg *, const struct config *, size_t *),
    const struct notification_msg *n)
{
	json_error_t je;
	size_t len;
	char *s = fn(n, cfg, &len);
	json_t *o = json_loadb(s, len, 0, &je);

	ck_assert_msg(o != NULL, "invalid JSON (%s): %s", je.text, s);
	free(s);
	return o;
}

START_TEST(slack_message_has_channel_text_colour_and_fields)
{
	json_t *o = parse(render_slack, &svc), *fields;

	ck_assert_str_eq(json_string_value(json_object_get(o, "channel")), "#ops");
	ck_assert_str_eq(json_string_value(json_object_get(o, "username")), "vigil");
	ck_assert_str_eq(json_string_value(json_object_get(o, "text")),
	    "PROBLEM: web-01/http api is CRITICAL: CRITICAL - a;b $(id) &lt;x&gt; &amp; y");
	ck_assert_str_eq(json_string_value(json_object_get(
	    json_array_get(json_object_get(o, "attachments"), 0), "color")), "danger");
	fields = json_object_get(json_array_get(json_object_get(o, "attachments"), 0), "fields");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(fields, 0), "title")), "Host");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(fields, 0), "value")), "web-01");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(fields, 2), "value")),
	    "CRITICAL (was OK)");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(fields, 5), "value")),
	    "`vigilctl ack web-01/http api -m TEXT` or "
	    "<https://vigil.example.org/checks/web-01/http%20api|open in vigil>");
	json_decref(o);
}
END_TEST

START_TEST(webhook_json_has_the_documented_shape)
{
	json_t *o = parse(render_webhook, &svc);
	const char *name, *service, *state, *type, *iso, *cmd;
	int version, number;

	ck_assert_int_eq(json_unpack(o, "{s:i, s:s, s:i, s:{s:s}, s:s, s:s, s:s, s:{s:s}}",
	    "version", &version, "type", &type, "number", &number, "host", "name", &name,
	    "service", &service, "state", &state, "time_iso", &iso, "ack", "command", &cmd), 0);
	ck_assert_int_eq(version, 1);
	ck_assert_str_eq(type, "PROBLEM");
	ck_assert_int_eq(number, 2);
	ck_assert_str_eq(name, "web-01");
	ck_assert_str_eq(service, "http api");
	ck_assert_str_eq(state, "CRITICAL");
	ck_assert_str_eq(iso, "2024-11-21T11:53:20.500Z");
	ck_assert_str_eq(cmd, "vigilctl ack web-01/http api -m TEXT");
	ck_assert_str_eq(json_string_value(json_object_get(o, "id")), svc.id);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "contact"), "name")),
	    "alice");
	/* The contact's addresses and command stay private. */
	ck_assert_ptr_null(json_object_get(json_object_get(o, "contact"), "email"));
	ck_assert_uint_eq(json_array_size(json_object_get(o, "items")), 0);
	json_decref(o);
	o = parse(render_webhook, &digest);
	ck_assert_uint_eq(json_array_size(json_object_get(o, "items")), 2);
	ck_assert(json_is_null(json_object_get(o, "host")));
	json_decref(o);
}
END_TEST

/* ---- command ------------------------------------------------------------ */

static const char *
env_get(char **envp, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; envp[i] != NULL; i++)
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			return envp[i] + n + 1;
	return NULL;
}

START_TEST(command_expands_each_argument_alone_and_exports_nagios_variables)
{
	char *parent[] = { "PATH=/usr/bin:/bin", "NAGIOS_HOSTNAME=stale", "LANG=C", NULL };
	char **argv, **envp, err[256];

	ck_assert_int_eq(render_command(&svc, cfg, parent, &argv, &envp, err, sizeof(err)), 0);
	ck_assert_str_eq(argv[0], "/opt/vigil/notify-by-pager");
	ck_assert_str_eq(argv[1], "--to");
	ck_assert_str_eq(argv[2], "555-0100");
	ck_assert_str_eq(argv[3], "web-01/http api is CRITICAL");
	ck_assert_str_eq(argv[4], "CRITICAL - a;b $(id) <x> & y");
	ck_assert_ptr_null(argv[5]);
	ck_assert_str_eq(env_get(envp, "NAGIOS_HOSTNAME"), "web-01");
	ck_assert_str_eq(env_get(envp, "NAGIOS_SERVICEDESC"), "http api");
	ck_assert_str_eq(env_get(envp, "NAGIOS_NOTIFICATIONTYPE"), "PROBLEM");
	ck_assert_str_eq(env_get(envp, "NAGIOS_HOSTSTATE"), "");
	ck_assert_str_eq(env_get(envp, "NAGIOS__CONTACTPAGER"), "555-0100");
	ck_assert_str_eq(env_get(envp, "PATH"), "/usr/bin:/bin");
	ck_assert_str_eq(env_get(envp, "LANG"), "C");
	ck_assert_ptr_null(env_get(envp, "NAGIOS_USER1"));	/* secrets stay in argv */
	for (size_t i = 0; envp[i] != NULL; i++)
		ck_assert_msg(strcmp(envp[i], "NAGIOS_HOSTNAME=stale") != 0, "parent's NAGIOS_ kept");
	render_strv_free(argv);
	render_strv_free(envp);
}
END_TEST

START_TEST(command_gets_none_of_the_notifiers_secrets)
{
	char *parent[] = { "PATH=/bin", "MY_SMTP_PW=hunter2", "MY_HOOK=https://hooks/s3cret",
		"PGPASSWORD=pgpw", "VIGIL_PG=host=db password=pgpw",
		"VIGIL_AMQP_URL=amqp://u:pw@mq/", "VIGIL_PGX=kept", "MY_HOOK_TOO=kept", NULL };
	const char *gone[] = { "MY_SMTP_PW", "MY_HOOK", "PGPASSWORD", "VIGIL_PG",
		"VIGIL_AMQP_URL" };
	char **argv, **envp, err[256];

	load("notifier: {smtp: {from: v@x, user: vigil, password_env: MY_SMTP_PW},"
	    " slack: {webhook_url_env: MY_HOOK}}\n", 1);
	ck_assert_int_eq(render_command(&svc, cfg, parent, &argv, &envp, err, sizeof(err)), 0);
	for (size_t i = 0; i < N(gone); i++)
		ck_assert_msg(env_get(envp, gone[i]) == NULL, "%s reached the command", gone[i]);
	ck_assert_str_eq(env_get(envp, "PATH"), "/bin");
	ck_assert_str_eq(env_get(envp, "VIGIL_PGX"), "kept");
	ck_assert_str_eq(env_get(envp, "MY_HOOK_TOO"), "kept");
	render_strv_free(argv);
	render_strv_free(envp);
}
END_TEST

START_TEST(command_with_user_macro_and_no_resource_file_fails_naming_it)
{
	char **argv, **envp, err[256] = "";

	load("", 0);
	ck_assert_int_eq(render_command(&svc, cfg, NULL, &argv, &envp, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown macro $USER1$");
	ck_assert_ptr_null(argv);
	ck_assert_ptr_null(envp);
}
END_TEST

START_TEST(command_must_name_an_absolute_path)
{
	char *rel[] = { "notify", "$HOSTNAME$", NULL };
	struct notification_msg n = svc;
	char **argv, **envp, err[256] = "";

	n.command = rel;
	n.ncommand = 2;
	ck_assert_int_eq(render_command(&n, cfg, NULL, &argv, &envp, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "absolute path"));
	n.command = NULL;
	n.ncommand = 0;
	ck_assert_int_eq(render_command(&n, cfg, NULL, &argv, &envp, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no notification command"));
}
END_TEST

static Suite *
render_suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("macros");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_notification_macro_has_a_value);
	tcase_add_test(tc, a_service_notification_fills_the_service_macros_and_empties_the_host_state);
	tcase_add_test(tc, a_host_notification_fills_the_host_macros_and_empties_the_service_ones);
	tcase_add_test(tc, a_digest_lists_its_items_one_a_line);
	tcase_add_test(tc, times_out_of_range_render_as_the_nearest_time);
	tcase_add_test(tc, user_macros_and_unknown_names_are_not_notification_macros);
	suite_add_tcase(s, tc);
	tc = tcase_create("email");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, email_has_the_headers_mtas_need);
	tcase_add_test(tc, email_body_names_every_fact_and_how_to_ack);
	tcase_add_test(tc, ack_email_shows_author_and_comment_and_no_ack_hint);
	tcase_add_test(tc, digest_email_lists_its_items);
	tcase_add_test(tc, subject_is_one_line_and_encoded_when_not_ascii);
	tcase_add_test(tc, templates_replace_the_built_in_texts);
	tcase_add_test(tc, long_output_lines_are_cut_below_998_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("json");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, slack_colour_follows_state_and_kind, 0, N(colors));
	tcase_add_test(tc, slack_message_has_channel_text_colour_and_fields);
	tcase_add_test(tc, webhook_json_has_the_documented_shape);
	suite_add_tcase(s, tc);
	tc = tcase_create("command");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, command_expands_each_argument_alone_and_exports_nagios_variables);
	tcase_add_test(tc, command_gets_none_of_the_notifiers_secrets);
	tcase_add_test(tc, command_with_user_macro_and_no_resource_file_fails_naming_it);
	tcase_add_test(tc, command_must_name_an_absolute_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(render_suite());
}
