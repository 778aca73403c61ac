/*
 * NAME
 *	check_config - unit tests for the configuration loader
 * DESCRIPTION
 *	Each test writes vigil.yaml and conf.d files into a fresh directory,
 *	runs there (so paths in messages read "conf.d/a.yaml:3:5: ...", as an
 *	admin running "vigil-engine -c vigil.yaml" sees them) and checks what
 *	config_load() built or the exact errors it reported (fixtures:
 *	configtest.h). Notifications (contacts, notify keys) are
 *	check_config_notify's.
 * DIAGNOSTICS
 *	Exit status 0 when every test passes. A failing test prints every
 *	error the loader reported, so the message shows what changed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "configtest.h"
#include "strbuf.h"
#include "testutil.h"
#include "timeperiod.h"
#include "xalloc.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void
expect_argv(const struct cfg_check *c, const char *const *want, size_t n)
{
	size_t i;

	ck_assert_msg(c->argc == n, "%s/%s: argc %zu, want %zu", c->host,
	    c->service ? c->service : "", c->argc, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(c->argv[i], want[i]) == 0,
		    "%s/%s: argv[%zu] \"%s\", want \"%s\"", c->host,
		    c->service ? c->service : "", i, c->argv[i], want[i]);
	ck_assert_msg(c->argv[n] == NULL, "argv not NULL-terminated");
}

/* ---- daemon settings (vigil.yaml) ------------------------------------- */

START_TEST(empty_vigil_yaml_gives_the_documented_defaults)
{
	struct config *cfg;

	put("vigil.yaml", "# nothing set\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, 0);
	ck_assert_str_eq(cfg->path, "vigil.yaml");
	ck_assert_str_eq(cfg->conf_dir, "conf.d");
	ck_assert_str_eq(cfg->prefix, "vigil");
	ck_assert_str_eq(cfg->amqp_url, "amqp://guest:guest@127.0.0.1:5672/");
	ck_assert_str_eq(cfg->pg_conninfo, "host=127.0.0.1 port=5432 dbname=vigil");
	ck_assert_str_eq(cfg->http_listen, "127.0.0.1:8080");
	ck_assert_ptr_null(cfg->api_token_file);
	ck_assert_ptr_null(cfg->resource_file);
	ck_assert_str_eq(cfg->schema_dir, SCHEMA_DIR);
	ck_assert_str_eq(cfg->plugin_dir, PLUGIN_DIR);
	ck_assert_str_eq(cfg->vigil_plugin_dir, VIGIL_PLUGIN_DIR);
	ck_assert_int_eq(cfg->retention_perfdata, 30 * 86400);
	ck_assert_int_eq(cfg->retention_history, 365 * 86400);
	ck_assert_str_eq(cfg->worker.pool, "default");
	ck_assert_int_eq(cfg->worker.concurrency, 64);
	ck_assert_str_eq(cfg->worker.plugin_user, "nagios");
	ck_assert_uint_eq(cfg->worker.output_limit, 65536);
	ck_assert_str_eq(cfg->notifier.smtp_url, "smtp://127.0.0.1:25");
	ck_assert_str_eq(cfg->notifier.smtp_from, "vigil@localhost");
	ck_assert_str_eq(cfg->notifier.smtp_starttls, "auto");
	ck_assert_ptr_null(cfg->notifier.smtp_user);
	ck_assert_ptr_null(cfg->notifier.smtp_password_env);
	ck_assert_ptr_null(cfg->notifier.smtp_ca_file);
	ck_assert_str_eq(cfg->notifier.slack_webhook_url_env, "VIGIL_SLACK_WEBHOOK");
	ck_assert_int_eq(cfg->notifier.concurrency, 4);
	ck_assert_int_eq(cfg->notifier.timeout, 30);
	ck_assert_int_eq(cfg->notifier.retry_delay, 60);
	ck_assert_int_eq(cfg->notifier.retry_attempts, 5);
	ck_assert_int_eq(cfg->notifier.storm_threshold, 10);
	ck_assert_int_eq(cfg->notifier.storm_window, 60);
	ck_assert_int_eq(cfg->notifier.storm_delay, 10);
	ck_assert_ptr_null(cfg->notifier.ack_url);
	ck_assert_ptr_null(cfg->notifier.email_subject);
	ck_assert_ptr_null(cfg->notifier.email_body);
	ck_assert_ptr_null(cfg->notifier.slack_text);
	ck_assert_ptr_null(cfg->user_macros);
	ck_assert_uint_eq(cfg->nchecks, 0);
	config_free(cfg);
}
END_TEST

START_TEST(config_new_alone_has_defaults_and_frees)
{
	struct config *cfg = config_new();

	ck_assert_str_eq(cfg->prefix, "vigil");
	ck_assert_str_eq(cfg->worker.pool, "default");
	config_free(cfg);
	config_free(NULL);
}
END_TEST

START_TEST(every_documented_setting_is_read)
{
	struct config *cfg;

	put("vigil.yaml",
	    "conf_dir: /etc/vigil/conf.d\n"
	    "prefix: vigil_test\n"
	    "amqp: amqp://u:p@mq:5672/v\n"
	    "postgres: \"host=db dbname=v\"\n"
	    "http: 0.0.0.0:9090\n"
	    "api_token_file: /etc/vigil/api.token\n"
	    "resource_file: /etc/vigil/resource.yaml\n"
	    "schema_dir: /opt/schema\n"
	    "plugin_dir: /opt/plugins\n"
	    "vigil_plugin_dir: /opt/vplugins\n"
	    "retention: {perfdata: 2w, history: 400d}\n"
	    "worker: {pool: eu-west-1a, concurrency: 8, plugin_user: mon, "
	    "output_limit: 1MiB}\n"
	    "notifier:\n"
	    "  smtp: {url: smtp://mx:587, from: v@example.org, starttls: always,\n"
	    "         user: vigil, password_env: SMTP_PW,\n"
	    "         ca_file: /etc/vigil/mx-ca.pem}\n"
	    "  slack: {webhook_url_env: HOOK}\n"
	    "  concurrency: 2\n"
	    "  timeout: 1m\n"
	    "  retry: {delay: 5m, attempts: 8}\n"
	    "  storm: {threshold: 0, window: 2m, delay: 30s}\n"
	    "  ack_url: https://vigil.example.org\n"
	    "  templates:\n"
	    "    email_subject: \"$NOTIFICATIONTYPE$ $HOSTNAME$ costs $$5\"\n"
	    "    email_body: |\n"
	    "      $SERVICEOUTPUT$\n"
	    "      pager $_CONTACTPAGER$\n"
	    "    slack_text: \"$HOSTNAME$ is $HOSTSTATE$\"\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, 0);
	ck_assert_str_eq(cfg->conf_dir, "/etc/vigil/conf.d");
	ck_assert_str_eq(cfg->prefix, "vigil_test");
	ck_assert_str_eq(cfg->amqp_url, "amqp://u:p@mq:5672/v");
	ck_assert_str_eq(cfg->pg_conninfo, "host=db dbname=v");
	ck_assert_str_eq(cfg->http_listen, "0.0.0.0:9090");
	ck_assert_str_eq(cfg->api_token_file, "/etc/vigil/api.token");
	ck_assert_str_eq(cfg->resource_file, "/etc/vigil/resource.yaml");
	ck_assert_str_eq(cfg->schema_dir, "/opt/schema");
	ck_assert_str_eq(cfg->plugin_dir, "/opt/plugins");
	ck_assert_str_eq(cfg->vigil_plugin_dir, "/opt/vplugins");
	ck_assert_int_eq(cfg->retention_perfdata, 14 * 86400);
	ck_assert_int_eq(cfg->retention_history, 400 * 86400);
	ck_assert_str_eq(cfg->worker.pool, "eu-west-1a");
	ck_assert_int_eq(cfg->worker.concurrency, 8);
	ck_assert_str_eq(cfg->worker.plugin_user, "mon");
	ck_assert_uint_eq(cfg->worker.output_limit, 1024 * 1024);
	ck_assert_str_eq(cfg->notifier.smtp_url, "smtp://mx:587");
	ck_assert_str_eq(cfg->notifier.smtp_from, "v@example.org");
	ck_assert_str_eq(cfg->notifier.smtp_starttls, "always");
	ck_assert_str_eq(cfg->notifier.smtp_user, "vigil");
	ck_assert_str_eq(cfg->notifier.smtp_password_env, "SMTP_PW");
	ck_assert_str_eq(cfg->notifier.smtp_ca_file, "/etc/vigil/mx-ca.pem");
	ck_assert_str_eq(cfg->notifier.slack_webhook_url_env, "HOOK");
	ck_assert_int_eq(cfg->notifier.concurrency, 2);
	ck_assert_int_eq(cfg->notifier.timeout, 60);
	ck_assert_int_eq(cfg->notifier.retry_delay, 300);
	ck_assert_int_eq(cfg->notifier.retry_attempts, 8);
	ck_assert_int_eq(cfg->notifier.storm_threshold, 0);
	ck_assert_int_eq(cfg->notifier.storm_window, 120);
	ck_assert_int_eq(cfg->notifier.storm_delay, 30);
	ck_assert_str_eq(cfg->notifier.ack_url, "https://vigil.example.org");
	ck_assert_str_eq(cfg->notifier.email_subject, "$NOTIFICATIONTYPE$ $HOSTNAME$ costs $$5");
	ck_assert_str_eq(cfg->notifier.email_body, "$SERVICEOUTPUT$\npager $_CONTACTPAGER$\n");
	ck_assert_str_eq(cfg->notifier.slack_text, "$HOSTNAME$ is $HOSTSTATE$");
	config_free(cfg);
}
END_TEST

/* Templates: only notification macros, placed at the value. */
START_TEST(notifier_templates_refuse_unknown_macros_and_bad_numbers)
{
	static const char *const want[] = {
		"vigil.yaml:3:20: notifier.templates.email_subject: unknown macro "
		    "$ARG1$ (a template knows the notification macros: "
		    "$NOTIFICATIONTYPE$, $HOSTNAME$, $SERVICESTATE$, $CONTACTNAME$ "
		    "...; write $$ for a dollar sign)",
		"vigil.yaml:4:17: notifier.templates.slack_text: unterminated macro "
		    "at \"$HOSTNAME is down\" (a template knows the notification macros: "
		    "$NOTIFICATIONTYPE$, $HOSTNAME$, $SERVICESTATE$, $CONTACTNAME$ "
		    "...; write $$ for a dollar sign)",
		"vigil.yaml:5:22: notifier.storm.threshold: \"-1\" is not a whole "
		    "number >= 0",
		"vigil.yaml:6:21: notifier.retry.attempts: \"0\" is not a whole "
		    "number >= 1",
	};
	struct config *cfg;

	put("vigil.yaml",
	    "notifier:\n"
	    "  templates:\n"
	    "    email_subject: \"$ARG1$ down\"\n"
	    "    slack_text: $HOSTNAME is down\n"
	    "  storm: {threshold: -1}\n"
	    "  retry: {attempts: 0}\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, -1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

/* vigil-notifier reads $USERn$ without conf.d. */
START_TEST(resource_file_is_kept_for_the_notifier)
{
	struct config *cfg;
	char *res;

	res = tu_write_file(configtest_dir, "res.yaml", "USER1: /opt/notify\nUSER7: s3cret\n");
	ck_assert_int_eq(chmod(res, 0600), 0);
	put("vigil.yaml", "resource_file: res.yaml\nconf_dir: nowhere\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, 0);
	ck_assert_ptr_null(config_user_macro(cfg, "USER1"));
	config_free(cfg);
	cfg = load_flags(CONFIG_DAEMON_ONLY | CONFIG_RESOURCES, 0);
	ck_assert_str_eq(config_user_macro(cfg, "USER1"), "/opt/notify");
	ck_assert_str_eq(config_user_macro(cfg, "USER7"), "s3cret");
	ck_assert_ptr_null(config_user_macro(cfg, "USER2"));
	ck_assert_ptr_null(config_user_macro(cfg, "USER0"));
	ck_assert_ptr_null(config_user_macro(cfg, "HOSTNAME"));
	config_free(cfg);
	free(res);
}
END_TEST

START_TEST(relative_paths_are_relative_to_vigil_yaml)
{
	struct config *cfg = config_new();

	put("etc/vigil.yaml",
	    "conf_dir: objects\n"
	    "resource_file: secret/res.yaml\n"
	    "api_token_file: api.token\n"
	    "schema_dir: schema\n"
	    "plugin_dir: ../plugins\n"
	    "vigil_plugin_dir: /abs/vp\n"
	    "notifier: {smtp: {ca_file: tls/ca.pem}}\n");
	ck_assert_int_eq(config_load(cfg, "etc/vigil.yaml", CONFIG_DAEMON_ONLY), 0);
	ck_assert_str_eq(cfg->conf_dir, "etc/objects");
	ck_assert_str_eq(cfg->resource_file, "etc/secret/res.yaml");
	ck_assert_str_eq(cfg->api_token_file, "etc/api.token");
	ck_assert_str_eq(cfg->schema_dir, "etc/schema");
	ck_assert_str_eq(cfg->plugin_dir, "etc/../plugins");
	ck_assert_str_eq(cfg->vigil_plugin_dir, "/abs/vp");
	ck_assert_str_eq(cfg->notifier.smtp_ca_file, "etc/tls/ca.pem");
	config_free(cfg);
}
END_TEST

START_TEST(conf_d_is_found_beside_vigil_yaml_from_anywhere)
{
	struct config *cfg = config_new();
	char *path = xasprintf("%s/etc/vigil.yaml", configtest_dir);

	put("etc/vigil.yaml", "");
	put("etc/conf.d/a.yaml", "hosts:\n  h1: {}\n");
	ck_assert_int_eq(config_load(cfg, path, 0), 0);
	ck_assert_uint_eq(cfg->nhosts, 1);
	free(path);
	config_free(cfg);
}
END_TEST

START_TEST(environment_overrides_the_file)
{
	struct config *cfg;

	put("vigil.yaml",
	    "amqp: amqp://file/\n"
	    "postgres: dbname=file\n"
	    "conf_dir: fromfile\n"
	    "prefix: fromfile\n");
	put("env.d/a.yaml", "hosts:\n  h1: {}\n");
	setenv("VIGIL_AMQP_URL", "amqp://env/", 1);
	setenv("VIGIL_PG", "dbname=env", 1);
	setenv("VIGIL_CONF_DIR", "env.d", 1);
	setenv("VIGIL_PREFIX", "fromenv", 1);
	cfg = load(0);
	ck_assert_str_eq(cfg->amqp_url, "amqp://env/");
	ck_assert_str_eq(cfg->pg_conninfo, "dbname=env");
	ck_assert_str_eq(cfg->conf_dir, "env.d");
	ck_assert_str_eq(cfg->prefix, "fromenv");
	ck_assert_uint_eq(cfg->nhosts, 1);
	config_free(cfg);
}
END_TEST

START_TEST(bad_prefix_from_environment_is_an_error)
{
	struct config *cfg;

	setenv("VIGIL_PREFIX", "x; DROP SCHEMA", 1);
	cfg = load_flags(CONFIG_DAEMON_ONLY, -1);
	expect_only_error(cfg, "VIGIL_PREFIX: \"x; DROP SCHEMA\" is not a valid "
	    "prefix (expected up to 32 lower-case letters, digits and '_', "
	    "starting with a letter)");
	config_free(cfg);
}
END_TEST

START_TEST(vigil_resource_file_is_only_a_fallback)
{
	struct config *cfg;

	setenv("VIGIL_RESOURCE_FILE", "/env/res.yaml", 1);
	cfg = load_flags(CONFIG_DAEMON_ONLY, 0);
	ck_assert_str_eq(cfg->resource_file, "/env/res.yaml");
	config_free(cfg);

	put("vigil.yaml", "resource_file: /file/res.yaml\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, 0);
	ck_assert_str_eq(cfg->resource_file, "/file/res.yaml");
	config_free(cfg);
}
END_TEST

START_TEST(missing_vigil_yaml_cannot_be_read)
{
	struct config *cfg = config_new();

	ck_assert_int_eq(config_load(cfg, "nope/vigil.yaml", 0), -1);
	expect_only_error(cfg, "nope/vigil.yaml: cannot read: No such file or "
	    "directory");
	config_free(cfg);
}
END_TEST

START_TEST(daemon_only_reads_no_objects)
{
	struct config *cfg;

	/* No conf.d at all: workers and vigilctl must not care. */
	put("vigil.yaml", "resource_file: missing.yaml\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, 0);
	ck_assert_uint_eq(cfg->nhosts, 0);
	config_free(cfg);
}
END_TEST

START_TEST(missing_conf_dir_is_an_error)
{
	struct config *cfg;

	put("vigil.yaml", "conf_dir: objects\n");
	cfg = load(-1);
	expect_only_error(cfg, "objects: cannot read: No such file or directory");
	config_free(cfg);
}
END_TEST

/* Bad vigil.yaml values: every one reported with its position. */
START_TEST(bad_settings_are_all_reported)
{
	static const char *const want[] = {
		"vigil.yaml:1:1: unknown key \"ampq\" (did you mean \"amqp\"?)",
		"vigil.yaml:2:9: prefix: \"Vigil-Prod\" is not a valid prefix "
		    "(expected up to 32 lower-case letters, digits and '_', "
		    "starting with a letter)",
		"vigil.yaml:3:23: retention.perfdata: \"30x\" is not a duration "
		    "above 0 (expected 30s, 5m, 1h, 1d or a number of seconds)",
		"vigil.yaml:4:22: retention.history: \"0\" is not a duration "
		    "above 0 (expected 30s, 5m, 1h, 1d or a number of seconds)",
		"vigil.yaml:5:10: worker: unknown key \"concurency\" (did you "
		    "mean \"concurrency\"?)",
		"vigil.yaml:6:23: worker.concurrency: \"0\" is not a whole number "
		    ">= 1",
		"vigil.yaml:7:24: worker.output_limit: \"64XB\" is not a size "
		    "above 0 (expected 65536, 64KiB, 1MiB ...)",
		"vigil.yaml:8:16: worker.pool: \"eu west\" is not a valid pool "
		    "name (expected letters, digits, '_', '.' and '-')",
		"vigil.yaml:9:29: notifier.smtp.starttls: \"maybe\" is not auto, "
		    "always or never",
		"vigil.yaml:9:44: notifier.slack: expected a map of settings, got "
		    "a list",
		"vigil.yaml:10:1: key \"prefix\" is given twice (first at "
		    "vigil.yaml:2:1)",
		"vigil.yaml:11:7: http: expected a string, got a map",
	};
	struct config *cfg;

	put("vigil.yaml",
	    "ampq: amqp://x/\n"
	    "prefix: Vigil-Prod\n"
	    "retention: {perfdata: 30x,\n"
	    "            history: 0}\n"
	    "worker: {concurency: 3,\n"
	    "         concurrency: 0,\n"
	    "         output_limit: 64XB,\n"
	    "         pool: eu west}\n"
	    "notifier: {smtp: {starttls: maybe}, slack: [x]}\n"
	    "prefix: vigil\n"
	    "http: {a: b}\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, -1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(vigil_yaml_must_be_a_map)
{
	struct config *cfg;

	put("vigil.yaml", "- a\n- b\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, -1);
	expect_only_error(cfg, "vigil.yaml:1:1: expected a map of settings "
	    "(conf_dir: ..., amqp: ...), got a list");
	config_free(cfg);
}
END_TEST

/* ---- durations and sizes ---------------------------------------------- */

static const struct {
	const char *in;
	int rc;
	int secs;
} duration_cases[] = {
	{ "30s", 0, 30 }, { "5m", 0, 300 }, { "1h", 0, 3600 },
	{ "1d", 0, 86400 }, { "2w", 0, 14 * 86400 }, { "90", 0, 90 },
	{ "0", 0, 0 }, { "0s", 0, 0 }, { "007", 0, 7 },
	{ "2147483647", 0, 2147483647 },
	{ "", -1, 0 }, { "s", -1, 0 }, { "5x", -1, 0 }, { "5 m", -1, 0 },
	{ "5ms", -1, 0 }, { "-5", -1, 0 }, { "+5", -1, 0 }, { "1.5h", -1, 0 },
	{ "5M", -1, 0 }, { "1h30m", -1, 0 }, { " 5", -1, 0 },
	{ "2147483648", -1, 0 }, { "99999999999999999999", -1, 0 },
	{ "24856d", -1, 0 },
};

START_TEST(duration_table)
{
	int secs = -42, rc;

	rc = config_parse_duration(duration_cases[_i].in, &secs);
	ck_assert_msg(rc == duration_cases[_i].rc, "\"%s\": rc %d, want %d",
	    duration_cases[_i].in, rc, duration_cases[_i].rc);
	if (rc == 0)
		ck_assert_msg(secs == duration_cases[_i].secs, "\"%s\": %d s, "
		    "want %d", duration_cases[_i].in, secs,
		    duration_cases[_i].secs);
}
END_TEST

static const struct {
	const char *in;
	int rc;
	size_t bytes;
} size_cases[] = {
	{ "65536", 0, 65536 }, { "64KiB", 0, 65536 }, { "64KB", 0, 65536 },
	{ "64K", 0, 65536 }, { "1MiB", 0, 1048576 }, { "1MB", 0, 1048576 },
	{ "1M", 0, 1048576 }, { "1GiB", 0, 1073741824 }, { "1G", 0, 1073741824 },
	{ "100B", 0, 100 }, { "0", 0, 0 },
	{ "", -1, 0 }, { "KiB", -1, 0 }, { "64 KiB", -1, 0 }, { "64XB", -1, 0 },
	{ "64kib", -1, 0 }, { "-1", -1, 0 }, { "1.5M", -1, 0 },
	{ "99999999999999999999999", -1, 0 }, { "18446744073709551615GiB", -1, 0 },
};

START_TEST(size_table)
{
	size_t bytes = 42;
	int rc;

	rc = config_parse_size(size_cases[_i].in, &bytes);
	ck_assert_msg(rc == size_cases[_i].rc, "\"%s\": rc %d, want %d",
	    size_cases[_i].in, rc, size_cases[_i].rc);
	if (rc == 0)
		ck_assert_msg(bytes == size_cases[_i].bytes, "\"%s\": %zu, want %zu",
		    size_cases[_i].in, bytes, size_cases[_i].bytes);
}
END_TEST

/* ---- errors, with their exact file:line:column ------------------------ */

static const char ping_cmd[] =
    "commands:\n"
    "  ping: [/bin/ping, $HOSTADDRESS$]\n";

START_TEST(duplicate_host_names_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5\n");
	put("conf.d/b.yaml",
	    "hosts:\n"
	    "  db-01: {}\n"
	    "  web-01:\n"
	    "    address: 10.0.0.6\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/b.yaml:3:3: host \"web-01\" is defined "
	    "twice (first at conf.d/a.yaml:2:3)");
	config_free(cfg);
}
END_TEST

START_TEST(duplicate_names_in_one_map_are_errors)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:3: command \"ping\" is defined twice (first at "
		    "conf.d/a.yaml:2:3)",
		"conf.d/a.yaml:6:3: template \"t\" is defined twice (first at "
		    "conf.d/a.yaml:5:3)",
		"conf.d/a.yaml:9:3: host \"h\" is defined twice (first at "
		    "conf.d/a.yaml:8:3)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  ping: [/bin/ping]\n"
	    "  ping: [/bin/ping6]\n"
	    "templates:\n"
	    "  t: {}\n"
	    "  t: {}\n"
	    "hosts:\n"
	    "  h: {}\n"
	    "  h: {}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(duplicate_keys_inside_an_object_are_errors)
{
	static const char *const want[] = {
		"conf.d/a.yaml:4:5: host \"h\": key \"address\" is given twice "
		    "(first at conf.d/a.yaml:3:5)",
		"conf.d/a.yaml:6:5: host \"h\": check: \"command\" and \"check\" "
		    "are the same key; give one",
		"conf.d/a.yaml:7:1: key \"hosts\" is given twice (first at "
		    "conf.d/a.yaml:1:1)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  h:\n"
	    "    address: 10.0.0.1\n"
	    "    address: 10.0.0.2\n"
	    "    command: ping\n"
	    "    check: ping\n"
	    "hosts:\n"
	    "  h2: {}\n");
	put("conf.d/b.yaml", ping_cmd);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(duplicate_service_inline_and_standalone_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  ssh: [/bin/check_ssh]\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    services:\n"
	    "      ssh: {command: ssh}\n");
	put("conf.d/b.yaml",
	    "services:\n"
	    "  ssh-on-web:\n"
	    "    host: web-01\n"
	    "    name: ssh\n"
	    "    command: ssh\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/b.yaml:2:3: service \"web-01/ssh\" is "
	    "defined twice (first at conf.d/a.yaml:6:7)");
	config_free(cfg);
}
END_TEST

START_TEST(unknown_key_suggests_the_nearest_known_key)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:5: host \"web-01\": unknown key \"adress\" (did "
		    "you mean \"address\"?)",
		"conf.d/a.yaml:6:9: service \"web-01/http\": unknown key "
		    "\"intreval\" (did you mean \"interval\"?)",
		"conf.d/a.yaml:7:9: service \"web-01/http\": unknown key "
		    "\"retry\"",
		"conf.d/a.yaml:8:9: service \"web-01/http\": unknown key "
		    "\"max_attempt\" (did you mean \"max_attempts\"?)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    adress: 10.0.0.5\n"
	    "    services:\n"
	    "      http:\n"
	    "        intreval: 5m\n"
	    "        retry: 1m\n"
	    "        max_attempt: 3\n"
	    "        command: ping\n");
	put("conf.d/b.yaml", ping_cmd);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(keys_of_another_kind_of_object_are_refused)
{
	static const char *const want[] = {
		"conf.d/a.yaml:5:9: service \"h/s\": key \"address\" does not "
		    "apply to a service defined under its host",
		"conf.d/a.yaml:6:9: service \"h/s\": key \"host\" does not apply "
		    "to a service defined under its host",
		"conf.d/a.yaml:9:5: template \"t\": key \"services\" does not "
		    "apply to a template",
		"conf.d/a.yaml:13:5: service \"h/x\": key \"parents\" does not "
		    "apply to a service",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  h:\n"
	    "    services:\n"
	    "      s:\n"
	    "        address: 1.2.3.4\n"
	    "        host: h\n"
	    "templates:\n"
	    "  t:\n"
	    "    services: {}\n"
	    "services:\n"
	    "  x:\n"
	    "    host: h\n"
	    "    parents: [h]\n");
	cfg = load(-1);
	/* and s, x have no command: two more errors after these */
	ck_assert_msg(cfg->nerrors == N(want) + 2, "%s", errors_text(cfg));
	expect_error(cfg, want[0]);
	expect_error(cfg, want[1]);
	expect_error(cfg, want[2]);
	expect_error(cfg, want[3]);
	config_free(cfg);
}
END_TEST

START_TEST(bad_duration_says_what_is_expected)
{
	static const char *const want[] = {
		"conf.d/a.yaml:6:19: service \"web-01/http\": interval: \"5x\" is "
		    "not a duration (expected 30s, 5m, 1h, 1d or a number of "
		    "seconds)",
		"conf.d/a.yaml:7:25: service \"web-01/http\": retry_interval: "
		    "\"0\" must be more than 0 seconds",
		"conf.d/a.yaml:8:18: service \"web-01/http\": timeout: \"-1\" is "
		    "not a duration (expected 30s, 5m, 1h, 1d or a number of "
		    "seconds)",
		"conf.d/a.yaml:9:23: service \"web-01/http\": max_attempts: "
		    "\"0\" is not a whole number >= 1",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    services:\n"
	    "      http:\n"
	    "        command: ping\n"
	    "        interval: 5x\n"
	    "        retry_interval: 0\n"
	    "        timeout: -1\n"
	    "        max_attempts: 0\n");
	put("conf.d/b.yaml", ping_cmd);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(missing_command_is_named)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:12: host \"web-01\": command \"pnig\" is not "
		    "defined",
		"conf.d/a.yaml:6:19: service \"web-01/http\": command \"htp\" is "
		    "not defined",
		"conf.d/a.yaml:7:7: service \"web-01/disk\": command: missing "
		    "(expected command: NAME or command: [NAME, ARG1, ...])",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: pnig\n"
	    "    services:\n"
	    "      http:\n"
	    "        command: [htp, /health]\n"
	    "      disk:\n"
	    "        interval: 5m\n");
	put("conf.d/b.yaml", ping_cmd);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(command_definitions_are_checked)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:3: command \"a\": argv: missing (expected a list "
		    "like [$PLUGINDIR$/check_ping, -H, $HOSTADDRESS$])",
		"conf.d/a.yaml:3:13: command \"b\": argv: expected at least the "
		    "plugin to run",
		"conf.d/a.yaml:4:6: command \"c\": expected {argv: [...]} or a "
		    "list of arguments, got a string",
		"conf.d/a.yaml:5:15: command \"d\": argv: expected a string, got "
		    "a map",
		"conf.d/a.yaml:6:27: command \"e\": timeout: \"soon\" is not a "
		    "duration (expected 30s, 5m, 1h, 1d or a number of seconds)",
		"conf.d/a.yaml:7:3: command \"f g\": name may not contain '/', "
		    "whitespace or '$'",
		"conf.d/a.yaml:8:7: command \"h\": unknown key \"agv\" (did you "
		    "mean \"argv\"?)",
		"conf.d/a.yaml:9:14: command \"i\": argv: the plugin (first "
		    "element) must not be empty",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  a: {timeout: 5s}\n"
	    "  b: {argv: []}\n"
	    "  c: /bin/true\n"
	    "  d: [/bin/x, {k: v}]\n"
	    "  e: {argv: [x], timeout: soon}\n"
	    "  f g: [/bin/x]\n"
	    "  h: {agv: [/bin/x]}\n"
	    "  i: {argv: [\"\"]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_broken_command_is_reported_once_not_per_check)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: {argv: [/bin/x], timeout: 0}\n"
	    "hosts:\n"
	    "  h1: {check: c}\n"
	    "  h2: {check: c}\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/a.yaml:2:32: command \"c\": timeout: "
	    "\"0\" must be more than 0 seconds");
	config_free(cfg);
}
END_TEST

START_TEST(unknown_macro_names_the_check_and_the_argument)
{
	static const char *const want[] = {
		"conf.d/a.yaml:5:3: host \"web-01\": command \"http\" argv[2] "
		    "\"-H$HOSTADRESS$\": unknown macro $HOSTADRESS$",
		"conf.d/a.yaml:8:7: service \"web-01/http\": command \"http\" "
		    "argv[2] \"-H$HOSTADRESS$\": unknown macro $HOSTADRESS$",
		"conf.d/a.yaml:9:7: service \"web-01/args\": $ARG2$ "
		    "\"x$FOO$\": unknown macro $FOO$",
		"conf.d/a.yaml:10:7: service \"web-01/unterm\": command \"ok\" "
		    "argv[1] \"$ARG1$\": unknown macro $ARG1$",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  http: [/bin/check_http, -u, -H$HOSTADRESS$]\n"
	    "  ok: [/bin/check_ok, $ARG1$]\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: http\n"
	    "    services:\n"
	    "      http: {command: http}\n"
	    "      args: {command: [ok, a, x$FOO$]}\n"
	    "      unterm: {command: [ok, $ARG1$]}\n");
	cfg = load(-1);
	/* the last one: an ARG may not use $ARGn$; say that, not "unknown" */
	ck_assert_msg(cfg->nerrors == 4, "%s", errors_text(cfg));
	expect_error(cfg, want[0]);
	expect_error(cfg, want[1]);
	expect_error(cfg, want[2]);
	expect_error(cfg, "conf.d/a.yaml:10:7: service \"web-01/unterm\": "
	    "$ARG1$ \"$ARG1$\": macro $ARG1$ cannot be used inside $ARG1$");
	config_free(cfg);
}
END_TEST

static const struct {
	const char *arg;
	const char *err;
} macro_error_cases[] = {
	{ "$FOO$", "unknown macro $FOO$" },
	{ "$hostname$", "unknown macro $hostname$" },
	{ "$HOSTNAME", "unterminated macro at \"$HOSTNAME\"" },
	{ "50$", "unterminated macro at \"$\"" },
	{ "$HOSTSTATE$", "macro $HOSTSTATE$ is not available in check commands yet" },
	{ "$SERVICESTATE$", "macro $SERVICESTATE$ is not available in check "
	    "commands yet" },
	{ "$SERVICEOUTPUT$", "macro $SERVICEOUTPUT$ is not available in check "
	    "commands yet" },
	{ "$LONGHOSTOUTPUT$", "macro $LONGHOSTOUTPUT$ is not available in "
	    "check commands yet" },
	{ "$LASTSERVICESTATECHANGE$", "macro $LASTSERVICESTATECHANGE$ is not "
	    "available in check commands yet" },
	{ "$NOTIFICATIONTYPE$", "macro $NOTIFICATIONTYPE$ is not available in "
	    "check commands yet" },
	{ "$CONTACTEMAIL$", "macro $CONTACTEMAIL$ is not available in check "
	    "commands yet" },
	{ "$TIMET$", "macro $TIMET$ is not available in check commands yet" },
	{ "$LONGDATETIME$", "macro $LONGDATETIME$ is not available in check "
	    "commands yet" },
	{ "$_HOSTNOPE$", "unknown macro $_HOSTNOPE$ (host \"h\" has no var "
	    "\"NOPE\" in vars)" },
	{ "$_SERVICENOPE$", "unknown macro $_SERVICENOPE$ (the service has no "
	    "var \"NOPE\" in vars)" },
	{ "$USER7$", "macro $USER7$ needs a resource file (resource_file in "
	    "vigil.yaml or VIGIL_RESOURCE_FILE)" },
	{ "$USER0$", "unknown macro $USER0$" },
	{ "$USER257$", "unknown macro $USER257$" },
	{ "$ARG0$", "unknown macro $ARG0$" },
};

START_TEST(macro_error_table)
{
	struct config *cfg;
	char *yaml, *want;

	yaml = xasprintf(
	    "commands:\n"
	    "  c: [/bin/c, '%s']\n"
	    "hosts:\n"
	    "  h:\n"
	    "    services:\n"
	    "      s: {command: c}\n", macro_error_cases[_i].arg);
	put("conf.d/a.yaml", yaml);
	cfg = load(-1);
	want = xasprintf("conf.d/a.yaml:6:7: service \"h/s\": command \"c\" "
	    "argv[1] \"%s\": %s", macro_error_cases[_i].arg,
	    macro_error_cases[_i].err);
	expect_only_error(cfg, want);
	free(yaml);
	free(want);
	config_free(cfg);
}
END_TEST

START_TEST(service_macros_are_errors_in_a_host_check)
{
	static const char *const want[] = {
		"conf.d/a.yaml:5:3: host \"h\": command \"c\" argv[1] "
		    "\"$SERVICEDESC$\": macro $SERVICEDESC$ is not available in a "
		    "host check",
		"conf.d/a.yaml:5:3: host \"h\": command \"c\" argv[2] "
		    "\"$_SERVICEX$\": macro $_SERVICEX$ is not available in a host "
		    "check",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $SERVICEDESC$, $_SERVICEX$]\n"
	    "hosts:\n"
	    "  ok: {services: {s: {command: c, vars: {x: 1}}}}\n"
	    "  h: {check: c}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(yaml_syntax_error_gives_the_problem_mark)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5: 80\n");
	put("conf.d/b.yaml",
	    "hosts:\n"
	    "  db-01:\n"
	    "    address: [10.0.0.6\n"
	    "  db-02: {}\n");
	put("conf.d/c.yaml",
	    "hosts:\n"
	    "\tweb-02: {}\n");
	cfg = load(-1);
	ck_assert_msg(cfg->nerrors == 3, "%s", errors_text(cfg));
	expect_error(cfg, "conf.d/a.yaml:3:22: YAML syntax error: mapping "
	    "values are not allowed in this context");
	expect_error(cfg, "conf.d/b.yaml:4:8: YAML syntax error: did not find "
	    "expected ',' or ']' (while parsing a flow sequence at line 3, "
	    "column 14)");
	expect_error(cfg, "conf.d/c.yaml:2:1: YAML syntax error: found "
	    "character that cannot start any token (while scanning for the "
	    "next token at line 2, column 1)");
	config_free(cfg);
}
END_TEST

START_TEST(syntax_error_in_a_second_document_is_found)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:1: a second YAML document: put everything in one "
		    "(remove the \"---\" line)",
		"conf.d/b.yaml:4:7: YAML syntax error: mapping values are not "
		    "allowed in this context",
	};
	struct config *cfg;

	put("conf.d/a.yaml", "hosts: {a: {}}\n---\nhosts: {b: {}}\n");
	put("conf.d/b.yaml", "hosts: {c: {}}\n---\nhosts:\n  d: e: f\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(unknown_top_level_keys_name_the_known_ones)
{
	/* Every documented section is supported: no error for those. */
	static const char *const want[] = {
		"conf.d/a.yaml:5:1: unknown top-level key \"host\" (expected "
		    "commands, templates, hosts, services, groups, timeperiods, "
		    "contacts, contact_groups)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "groups: {web: {}}\n"
	    "contacts: {alice: {email: alice@example.org}}\n"
	    "contact_groups: {ops: {}}\n"
	    "timeperiods: {24x7: {}}\n"
	    "host: {a: {}}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    groups: [web]\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(unknown_parent_own_parent_and_parent_loops)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:26: host \"web-01\": parents: host \"core-sw-9\" "
		    "is not defined",
		"conf.d/a.yaml:5:19: host \"self\": parents: a host cannot be its "
		    "own parent",
		"conf.d/a.yaml:8:3: host \"b\": parents: loop in the parent chain "
		    "\"a\" -> \"b\" -> \"a\"",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    parents: [core-sw-1, core-sw-9]\n"
	    "  core-sw-1: {}\n"
	    "  self: {parents: self}\n"
	    "  a:\n"
	    "    parents: [b]\n"
	    "  b:\n"
	    "    parents: [a]\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(template_cycle_names_the_templates)
{
	static const char *const want[] = {
		"conf.d/a.yaml:6:11: template \"c\": use: template cycle \"a\" -> "
		    "\"b\" -> \"c\" -> \"a\"",
		"conf.d/a.yaml:7:13: template \"me\": use: template cycle \"me\" "
		    "-> \"me\"",
		"conf.d/a.yaml:10:13: host \"h\": use: template \"nope\" is not "
		    "defined",
		"conf.d/a.yaml:8:26: template \"u\": use: template \"missing\" is "
		    "not defined",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  a:\n"
	    "    use: b\n"
	    "  b: {use: [c]}\n"
	    "  c:\n"
	    "    use: [a]\n"
	    "  me: {use: me}\n"
	    "  u: {interval: 1m, use: missing}\n"
	    "hosts:\n"
	    "  h: {use: [nope, u]}\n");
	cfg = load(-1);
	/* templates are resolved first, in order; hosts after */
	ck_assert_msg(cfg->nerrors == 4, "%s", errors_text(cfg));
	expect_error(cfg, want[0]);
	expect_error(cfg, want[1]);
	expect_error(cfg, want[2]);
	expect_error(cfg, want[3]);
	config_free(cfg);
}
END_TEST

static const struct {
	mode_t mode;
	const char *err;
} resource_mode_cases[] = {
	{ 0644, "res.yaml: resource file is readable by group or others "
	    "(mode 0644); chmod 600 it" },
	{ 0640, "res.yaml: resource file is readable by group or others "
	    "(mode 0640); chmod 600 it" },
	{ 0604, "res.yaml: resource file is readable by group or others "
	    "(mode 0604); chmod 600 it" },
	{ 0610, "res.yaml: resource file is readable by group or others "
	    "(mode 0610); chmod 600 it" },
	{ 0600, NULL },
	{ 0400, NULL },
};

START_TEST(group_or_world_readable_resource_file_is_refused)
{
	struct config *cfg;

	put("vigil.yaml", "resource_file: res.yaml\n");
	put("res.yaml", "USER1: s3cret\n");
	ck_assert_int_eq(chmod("res.yaml", resource_mode_cases[_i].mode), 0);
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, -p, $USER1$]\n"
	    "hosts:\n"
	    "  h: {check: c}\n");
	if (resource_mode_cases[_i].err == NULL) {
		cfg = load(0);
		ck_assert_str_eq(find_check(cfg, "h", NULL)->argv[2], "s3cret");
	} else {
		/* refused: said once, not again for every $USER1$ */
		cfg = load(-1);
		expect_only_error(cfg, resource_mode_cases[_i].err);
	}
	config_free(cfg);
}
END_TEST

START_TEST(resource_file_problems_are_reported)
{
	static const char *const want[] = {
		"res.yaml:2:1: unknown key \"PASSWORD\" (expected USER1 ... USER256)",
		"res.yaml:3:1: unknown key \"USER257\" (expected USER1 ... USER256)",
		"res.yaml:4:1: key \"USER1\" is given twice (first at res.yaml:1:1)",
		"res.yaml:5:8: USER2: expected a string, got a list",
		("conf.d/a.yaml:4:3: host \"h\": command \"c\" argv[2] "
		    "\"$USER3$\": macro $USER3$ is not set in the resource file "
		    "res.yaml"),
	};
	struct config *cfg;

	put("vigil.yaml", "resource_file: res.yaml\n");
	put("res.yaml",
	    "USER1: a\n"
	    "PASSWORD: b\n"
	    "USER257: c\n"
	    "USER1: d\n"
	    "USER2: [e]\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $USER1$, $USER3$]\n"
	    "hosts:\n"
	    "  h: {check: c}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(missing_resource_file_is_reported_once)
{
	struct config *cfg;

	put("vigil.yaml", "resource_file: /nonexistent/res.yaml\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $USER1$]\n"
	    "hosts:\n"
	    "  h: {check: c}\n");
	cfg = load(-1);
	expect_only_error(cfg, "/nonexistent/res.yaml: cannot read: No such "
	    "file or directory");
	config_free(cfg);
}
END_TEST

START_TEST(all_errors_of_a_file_are_reported)
{
	static const char *const want[] = {
		"conf.d/a.yaml:4:15: host \"web-01\": interval: \"often\" is not a "
		    "duration (expected 30s, 5m, 1h, 1d or a number of seconds)",
		"conf.d/a.yaml:5:13: host \"web-01\": active: \"maybe\" is not a "
		    "boolean (expected true or false)",
		"conf.d/a.yaml:6:13: host \"web-01\": quorum: \"-2\" is not a "
		    "whole number >= 1",
		"conf.d/a.yaml:9:23: service \"web-01/http\": pools: \"eu#1\" is "
		    "not a pool name (expected letters, digits, '_', '.' and '-')",
		"conf.d/a.yaml:10:3: host \"db 01\": name may not contain '/', "
		    "whitespace or '$'",
		"conf.d/a.yaml:11:3: host name must not be empty",
		"conf.d/a.yaml:3:12: host \"web-01\": command \"nope\" is not "
		    "defined",
		"conf.d/a.yaml:8:7: service \"web-01/http\": command: missing "
		    "(expected command: NAME or command: [NAME, ARG1, ...])",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "hosts:\n"
	    "  web-01:\n"
	    "    check: nope\n"
	    "    interval: often\n"
	    "    active: maybe\n"
	    "    quorum: -2\n"
	    "    services:\n"
	    "      http:\n"
	    "        pools: [eu-1, eu#1]\n"
	    "  db 01: {}\n"
	    "  \"\": {}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(errors_in_several_files_are_all_reported_in_path_order)
{
	static const char *const want[] = {
		"conf.d/a.yaml:1:8: hosts: expected a map of host name to host "
		    "settings, got a list",
		"conf.d/sub/b.yaml:2:3: host \"x/y\": name may not contain '/', "
		    "whitespace or '$'",
		"conf.d/z.yml:1:1: unknown top-level key \"hots\" (expected "
		    "commands, templates, hosts, services, groups, timeperiods, "
		    "contacts, contact_groups)",
	};
	struct config *cfg;

	put("conf.d/z.yml", "hots: {}\n");
	put("conf.d/sub/b.yaml", "hosts:\n  x/y: {}\n");
	put("conf.d/a.yaml", "hosts: [a]\n");
	put("conf.d/notes.txt", "hosts: [ignored\n");
	put("conf.d/.hidden.yaml", "hosts: [ignored\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(symlinks_in_conf_d_are_followed_once)
{
	static const char *const want[] = {
		"conf.d/dangling.yaml: cannot read: No such file or directory",
	};
	struct config *cfg;

	put("conf.d/sub/a.yaml", "hosts:\n  h1: {}\n");
	put("shared/b.yaml", "hosts:\n  h2: {}\n");
	ck_assert_int_eq(symlink("..", "conf.d/sub/loop"), 0);
	ck_assert_int_eq(symlink("../shared", "conf.d/shared"), 0);
	ck_assert_int_eq(symlink("/nonexistent/x", "conf.d/dangling.yaml"), 0);
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	ck_assert_uint_eq(cfg->nhosts, 2);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *yaml;
	const char *err;
} type_cases[] = {
	{ "hosts: [a, b]\n",
	    "conf.d/a.yaml:1:8: hosts: expected a map of host name to host "
	    "settings, got a list" },
	{ "hosts: web-01\n",
	    "conf.d/a.yaml:1:8: hosts: expected a map of host name to host "
	    "settings, got a string" },
	{ "hosts:\n  h: [a]\n",
	    "conf.d/a.yaml:2:6: host \"h\": expected a map of settings, got a "
	    "list" },
	{ "hosts:\n  h:\n    parents: {a: b}\n",
	    "conf.d/a.yaml:3:14: host \"h\": parents: expected a list of host "
	    "names, got a map" },
	{ "hosts:\n  h:\n    parents: [[a]]\n",
	    "conf.d/a.yaml:3:15: host \"h\": parents: expected a string, got a "
	    "list" },
	{ "hosts:\n  h:\n    vars: [a]\n",
	    "conf.d/a.yaml:3:11: host \"h\": vars: expected a map of name: "
	    "value, got a list" },
	{ "hosts:\n  h:\n    vars: {a: [1]}\n",
	    "conf.d/a.yaml:3:15: host \"h\": vars: a: expected a string, got a "
	    "list" },
	{ "hosts:\n  h:\n    vars: {a b: 1}\n",
	    "conf.d/a.yaml:3:12: host \"h\": vars: \"a b\" is not a variable "
	    "name (no whitespace or '$')" },
	{ "hosts:\n  h:\n    vars: {env: a, ENV: b}\n",
	    "conf.d/a.yaml:3:20: host \"h\": vars: \"ENV\" is given twice "
	    "(first at conf.d/a.yaml:3:12; names ignore case)" },
	{ "hosts:\n  h:\n    check: {a: b}\n",
	    "conf.d/a.yaml:3:12: host \"h\": check: expected a command name or "
	    "a list [name, arg1, arg2 ...], got a map" },
	{ "hosts:\n  h:\n    check: []\n",
	    "conf.d/a.yaml:3:12: host \"h\": check: expected a command name or "
	    "a list [name, arg1, arg2 ...], got an empty list" },
	{ "hosts:\n  h:\n    check: [ping, {a: 1}]\n",
	    "conf.d/a.yaml:3:19: host \"h\": check: $ARG1$: expected a string, "
	    "got a map" },
	{ "hosts:\n  h:\n    services: [a]\n",
	    "conf.d/a.yaml:3:15: host \"h\": services: expected a map of "
	    "service name to service settings, got a list" },
	{ "hosts:\n  h:\n    pools: {a: 1}\n",
	    "conf.d/a.yaml:3:12: host \"h\": pools: expected a list of pool "
	    "names, got a map" },
	{ "hosts:\n  h:\n    pools: []\n",
	    "conf.d/a.yaml:3:12: host \"h\": pools: expected at least one pool "
	    "name" },
	{ "hosts:\n  h:\n    pools: [a, a]\n",
	    "conf.d/a.yaml:3:16: host \"h\": pools: \"a\" is listed twice" },
	{ "hosts:\n  h:\n    pools: [\"a*\"]\n",
	    "conf.d/a.yaml:3:13: host \"h\": pools: \"a*\" is not a pool name "
	    "(expected letters, digits, '_', '.' and '-')" },
	{ "hosts:\n  h:\n    pools: [\"\"]\n",
	    "conf.d/a.yaml:3:13: host \"h\": pools: must not be empty" },
	{ "hosts:\n  h:\n    address: {a: 1}\n",
	    "conf.d/a.yaml:3:14: host \"h\": address: expected a string, got a "
	    "map" },
	{ "hosts:\n  h:\n    address:\n",
	    "conf.d/a.yaml:3:13: host \"h\": address: expected a string, got "
	    "nothing" },
	{ "hosts:\n  h:\n    passive: 2\n",
	    "conf.d/a.yaml:3:14: host \"h\": passive: \"2\" is not a boolean "
	    "(expected true or false)" },
	{ "hosts:\n  h:\n    use: {a: 1}\n",
	    "conf.d/a.yaml:3:10: host \"h\": use: expected a template name or a "
	    "list of them, got a map" },
	{ "hosts:\n  ? [a]\n  : {}\n",
	    "conf.d/a.yaml:2:5: host names must be strings, got a list" },
	{ "hosts:\n  h:\n    ? [a]\n    : 1\n",
	    "conf.d/a.yaml:3:7: host \"h\": keys must be strings, got a list" },
	{ "hosts:\n  a$b: {}\n",
	    "conf.d/a.yaml:2:3: host \"a$b\": name may not contain '/', "
	    "whitespace or '$'" },
	{ "hosts:\n  \"a\\tb\": {}\n",
	    "conf.d/a.yaml:2:3: host \"a\\tb\": name may not contain control "
	    "characters" },
	{ "services:\n  s: [a]\n",
	    "conf.d/a.yaml:2:6: service \"s\": expected a map of settings, got "
	    "a list" },
	{ "services:\n  s:\n",
	    "conf.d/a.yaml:2:3: service \"s\": host: missing (expected the name "
	    "of the host it runs on)" },
	{ "services:\n  s: {host: nope, command: c}\n",
	    "conf.d/a.yaml:2:13: service \"nope/s\": host: host \"nope\" is not "
	    "defined" },
	{ "templates: [a]\n",
	    "conf.d/a.yaml:1:12: templates: expected a map of template name to "
	    "settings, got a list" },
	{ "templates:\n  t: 5\n",
	    "conf.d/a.yaml:2:6: template \"t\": expected a map of settings, got "
	    "a string" },
	{ "commands: [a]\n",
	    "conf.d/a.yaml:1:11: commands: expected a map of command name to "
	    "{argv: [...]}, got a list" },
	{ "[1, 2]\n",
	    "conf.d/a.yaml:1:1: expected a map with commands, templates, hosts, "
	    "services, groups, timeperiods, contacts or contact_groups, got a "
	    "list" },
	{ "hosts:\n  h: {address: \"a\\0b\"}\n",
	    "conf.d/a.yaml:2:16: host \"h\": address: contains a NUL character" },
	{ "hosts:\n  h: {address: *nope}\n",
	    "conf.d/a.yaml:2:16: YAML syntax error: found undefined alias" },
};

START_TEST(wrong_node_types_are_errors_not_crashes)
{
	struct config *cfg;

	put("conf.d/a.yaml", type_cases[_i].yaml);
	cfg = load(-1);
	if (cfg->nerrors != 1 || strcmp(cfg->errors[0], type_cases[_i].err) != 0)
		ck_abort_msg("input:\n%s\nwant:\n  %s\ngot:\n%s",
		    type_cases[_i].yaml, type_cases[_i].err, errors_text(cfg));
	config_free(cfg);
}
END_TEST

START_TEST(empty_files_and_sections_are_fine)
{
	struct config *cfg;

	put("conf.d/empty.yaml", "");
	put("conf.d/comment.yaml", "# nothing yet\n");
	put("conf.d/null.yaml", "hosts:\ncommands:\ntemplates: ~\nservices: {}\n");
	put("conf.d/h.yaml", "hosts:\n  bare:\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->nhosts, 1);
	ck_assert_str_eq(cfg->hosts[0].address, "bare");
	config_free(cfg);
}
END_TEST

/* ---- templates -------------------------------------------------------- */

static const char tmpl_yaml[] =
    "commands:\n"
    "  c: {argv: [/bin/c], timeout: 5s}\n"
    "templates:\n"
    "  a: {interval: 1m, max_attempts: 5, vars: {env: a, team: a}}\n"
    "  b: {interval: 2m, retry_interval: 20s, max_attempts: 7, timeout: 9s,\n"
    "      vars: {env: b, zone: b}, pools: [p-b]}\n"
    "  base: {use: b, timeout: 11s, pools: [p1], vars: {team: base}}\n"
    "  top: {use: [base, a], active: false}\n"
    "  hosty: {address: 192.0.2.1, alias: Hosty, parents: [gw], check: c,\n"
    "         interval: 45s}\n"
    "hosts:\n"
    "  gw: {}\n"
    "  h:\n"
    "    vars: {env: own}\n"
    "    services:\n"
    "      s1: {use: [a, b], command: c}\n"
    "      s2: {use: [a, b], command: c, interval: 30s, vars: {env: own}}\n"
    "      s3: {use: [base, a], command: c}\n"
    "      s4: {use: top, command: [c]}\n"
    "      s5: {command: c}\n"
    "  t1: {use: hosty}\n"
    "  t2: {use: hosty, address: 198.51.100.7, check: [c]}\n";

START_TEST(object_keys_win_over_templates)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml", tmpl_yaml);
	cfg = load(0);
	c = find_check(cfg, "h", "s2");
	ck_assert_int_eq(c->interval, 30);
	ck_assert_int_eq(c->retry_interval, 20);
	ck_assert_int_eq(c->max_attempts, 5);
	config_free(cfg);
}
END_TEST

START_TEST(first_template_in_use_that_sets_a_key_wins)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml", tmpl_yaml);
	cfg = load(0);
	c = find_check(cfg, "h", "s1");
	ck_assert_int_eq(c->interval, 60);		/* a, not b */
	ck_assert_int_eq(c->max_attempts, 5);		/* a, not b */
	ck_assert_int_eq(c->retry_interval, 20);	/* only b has it */
	ck_assert_int_eq(c->timeout, 9);		/* b, over the command's */
	ck_assert_uint_eq(c->npools, 1);
	ck_assert_str_eq(c->pools[0], "p-b");
	config_free(cfg);
}
END_TEST

START_TEST(use_chains_are_followed_depth_first)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml", tmpl_yaml);
	cfg = load(0);
	/* use: [base, a]: base, then base's b, then a (Nagios order) */
	c = find_check(cfg, "h", "s3");
	ck_assert_int_eq(c->interval, 120);
	ck_assert_int_eq(c->max_attempts, 7);
	ck_assert_int_eq(c->timeout, 11);
	ck_assert_str_eq(c->pools[0], "p1");
	/* two levels: top -> base -> b, then a */
	c = find_check(cfg, "h", "s4");
	ck_assert_int_eq(c->interval, 120);
	ck_assert_int_eq(c->timeout, 11);
	ck_assert_int_eq(c->active, 0);
	ck_assert_int_eq(c->passive, 1);
	config_free(cfg);
}
END_TEST

START_TEST(vars_merge_one_by_one_through_templates)
{
	static const char *const want[] = {
		"/bin/v", "own", "base", "b", "h-own",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  v: [/bin/v, $_SERVICEENV$, $_SERVICETEAM$, $_SERVICEZONE$, "
	    "$_HOSTENV$]\n"
	    "templates:\n"
	    "  a: {vars: {env: a, team: a}}\n"
	    "  b: {vars: {env: b, zone: b}}\n"
	    "  base: {use: b, vars: {team: base}}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    vars: {env: h-own}\n"
	    "    services:\n"
	    "      s: {use: [base, a], command: v, vars: {ENV: own}}\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "h", "s"), want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(host_keys_come_from_templates_too)
{
	static const char *const want[] = { "/bin/c" };
	struct config *cfg;
	const struct cfg_host *h;
	const struct cfg_check *c;

	put("conf.d/a.yaml", tmpl_yaml);
	cfg = load(0);
	h = config_find_host(cfg, "t1");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->address, "192.0.2.1");
	ck_assert_str_eq(h->alias, "Hosty");
	ck_assert_uint_eq(h->nparents, 1);
	ck_assert_str_eq(h->parents[0], "gw");
	ck_assert_ptr_null(h->parents[1]);
	c = find_check(cfg, "t1", NULL);
	ck_assert_int_eq(c->interval, 45);
	ck_assert_int_eq(c->timeout, 5);	/* the command's */
	expect_argv(c, want, 1);
	h = config_find_host(cfg, "t2");
	ck_assert_str_eq(h->address, "198.51.100.7");
	ck_assert_int_eq(find_check(cfg, "t2", NULL)->interval, 45);
	config_free(cfg);
}
END_TEST

START_TEST(a_template_problem_is_reported_once_at_the_template)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  t: {command: nope, parents: [ghost]}\n"
	    "hosts:\n"
	    "  h1: {use: t}\n"
	    "  h2: {use: t}\n"
	    "  h3:\n"
	    "    services:\n"
	    "      s1: {use: t}\n"
	    "      s2: {use: t}\n");
	cfg = load(-1);
	ck_assert_msg(cfg->nerrors == 2, "%s", errors_text(cfg));
	expect_error(cfg, "conf.d/a.yaml:2:16: template \"t\": command \"nope\" "
	    "is not defined");
	expect_error(cfg, "conf.d/a.yaml:2:32: template \"t\": parents: host "
	    "\"ghost\" is not defined");
	config_free(cfg);
}
END_TEST

/* ---- services --------------------------------------------------------- */

START_TEST(inline_and_standalone_services_in_file_order)
{
	static const char *const order[][2] = {
		{ "core", NULL }, { "web-01", NULL }, { "web-01", "http" },
		{ "web-01", "disk" }, { "web-01", "ssh" }, { "web-01", "ssh-on-web" },
		{ "core", "later" },
	};
	struct config *cfg;
	size_t i;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $HOSTNAME$, $SERVICEDESC$]\n"
	    "  hc: [/bin/c, $HOSTNAME$]\n"
	    "hosts:\n"
	    "  core: {check: hc}\n"
	    "  web-01:\n"
	    "    check: hc\n"
	    "    services:\n"
	    "      http: {command: c}\n"
	    "      disk: {command: c}\n"
	    "services:\n"
	    "  ssh-check:\n"
	    "    host: web-01\n"
	    "    name: ssh\n"
	    "    command: c\n"
	    "  ssh-on-web: {host: web-01, command: c}\n");
	put("conf.d/b.yaml",
	    "services:\n"
	    "  later: {host: core, check: c}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->nchecks, N(order));
	for (i = 0; i < (size_t)N(order); i++) {
		const struct cfg_check *c = &cfg->checks[i];

		ck_assert_str_eq(c->host, order[i][0]);
		if (order[i][1] == NULL)
			ck_assert_ptr_null(c->service);
		else
			ck_assert_str_eq(c->service, order[i][1]);
		ck_assert_str_eq(c->command, order[i][1] ? "c" : "hc");
		ck_assert_str_eq(c->argv[1], order[i][0]);
	}
	/* the host check points into its host's name */
	ck_assert_ptr_eq(cfg->checks[0].host, config_find_host(cfg, "core")->name);
	ck_assert_str_eq(find_check(cfg, "web-01", "ssh")->argv[2], "ssh");
	ck_assert_int_eq(find_check(cfg, "web-01", "ssh")->mark.line, 12);
	ck_assert_int_eq(find_check(cfg, "web-01", "ssh")->mark.col, 3);
	ck_assert_str_eq(find_check(cfg, "web-01", "ssh")->mark.file,
	    "conf.d/a.yaml");
	config_free(cfg);
}
END_TEST

START_TEST(the_same_description_on_two_hosts_is_fine)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  a: {services: {http: {command: c}}}\n"
	    "  b: {services: {http: {command: c}}}\n"
	    "services:\n"
	    "  x: {host: a, name: a/b, command: c}\n"
	    "  y: {host: a, name: b, command: c}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->nchecks, 4);
	config_free(cfg);
}
END_TEST

/* ---- defaults --------------------------------------------------------- */

START_TEST(defaults_for_services_and_host_checks)
{
	struct config *cfg;
	const struct cfg_check *c;
	const struct cfg_host *h;

	put("vigil.yaml", "worker: {pool: dc1}\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c]\n"
	    "  slow: {argv: [/bin/slow], timeout: 2m}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    services:\n"
	    "      s: {command: c}\n"
	    "      t: {command: slow}\n"
	    "      u: {command: slow, timeout: 5s, pools: [a, b.c]}\n"
	    "  nocheck: {address: 192.0.2.9}\n");
	cfg = load(0);
	c = find_check(cfg, "h", "s");
	ck_assert_int_eq(c->interval, 300);
	ck_assert_int_eq(c->retry_interval, 60);
	ck_assert_int_eq(c->max_attempts, 3);
	ck_assert_int_eq(c->timeout, 60);
	ck_assert_uint_eq(c->npools, 1);
	ck_assert_str_eq(c->pools[0], "dc1");
	ck_assert_ptr_null(c->pools[1]);
	ck_assert_int_eq(c->active, 1);
	ck_assert_int_eq(c->passive, 1);
	c = find_check(cfg, "h", NULL);
	ck_assert_int_eq(c->timeout, 30);
	ck_assert_int_eq(c->interval, 300);
	ck_assert_int_eq(find_check(cfg, "h", "t")->timeout, 120);
	c = find_check(cfg, "h", "u");
	ck_assert_int_eq(c->timeout, 5);
	ck_assert_uint_eq(c->npools, 2);
	ck_assert_str_eq(c->pools[1], "b.c");
	/* no check: a host, but no host check */
	ck_assert_uint_eq(cfg->nchecks, 4);
	h = config_find_host(cfg, "nocheck");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->address, "192.0.2.9");
	ck_assert_str_eq(h->alias, "nocheck");
	ck_assert_uint_eq(h->nparents, 0);
	ck_assert_ptr_null(h->parents[0]);
	h = config_find_host(cfg, "h");
	ck_assert_str_eq(h->address, "h");
	ck_assert_str_eq(h->alias, "h");
	ck_assert_ptr_null(config_find_host(cfg, "nope"));
	ck_assert_ptr_nonnull(config_find_command(cfg, "slow"));
	ck_assert_int_eq(config_find_command(cfg, "slow")->timeout, 120);
	ck_assert_int_eq(config_find_command(cfg, "c")->timeout, 0);
	ck_assert_ptr_null(config_find_command(cfg, "nope"));
	config_free(cfg);
}
END_TEST

START_TEST(commands_keep_their_argv_as_written)
{
	struct config *cfg;
	const struct cfg_command *c;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  ping:\n"
	    "    argv: [$PLUGINDIR$/check_ping, -H, $HOSTADDRESS$, -w, "
	    "\"100,20%\", -c, 500]\n");
	cfg = load(0);
	c = config_find_command(cfg, "ping");
	ck_assert_uint_eq(c->argc, 7);
	ck_assert_str_eq(c->argv[0], "$PLUGINDIR$/check_ping");
	ck_assert_str_eq(c->argv[6], "500");
	ck_assert_ptr_null(c->argv[7]);
	ck_assert_int_eq(c->mark.line, 2);
	ck_assert_int_eq(c->mark.col, 3);
	config_free(cfg);
}
END_TEST

/* ---- argv expansion --------------------------------------------------- */

START_TEST(every_check_macro_expands)
{
	static const char *const want[] = {
		"/usr/lib/nagios/plugins/check_x", "/usr/libexec/vigil/plugins/y",
		"web-01", "10.0.0.5", "Web server", "http", "/health", "",
		"s3cret", "production", "production", "eu", "$", "-H10.0.0.5:80",
	};
	struct config *cfg;

	put("vigil.yaml",
	    "resource_file: res.yaml\n"
	    "plugin_dir: /usr/lib/nagios/plugins\n"
	    "vigil_plugin_dir: /usr/libexec/vigil/plugins\n");
	put("res.yaml", "USER1: s3cret\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  all: [$PLUGINDIR$/check_x, $VIGILPLUGINDIR$/y, $HOSTNAME$,\n"
	    "        $HOSTADDRESS$, $HOSTALIAS$, $SERVICEDESC$, $ARG1$, $ARG2$,\n"
	    "        $USER1$, $_HOSTENV$, $_HOSTenv$, $_SERVICEZONE$, $$,\n"
	    "        -H$HOSTADDRESS$:80]\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5\n"
	    "    alias: Web server\n"
	    "    vars: {env: production}\n"
	    "    services:\n"
	    "      http: {command: [all, /health], vars: {zone: eu}}\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "web-01", "http"), want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(args_may_hold_other_macros_expanded_once)
{
	static const char *const want[] = {
		"/bin/c", "-u", "http://10.0.0.5/web-01", "-p", "pw$1",
		"$HOSTNAME$", "$USER1$",
	};
	struct config *cfg;

	put("vigil.yaml", "resource_file: res.yaml\n");
	/* a secret that looks like a macro stays as it is */
	put("res.yaml", "USER1: \"pw$1\"\nUSER2: \"$USER1$\"\n");
	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, -u, $ARG1$, -p, $ARG2$, $ARG3$, $USER2$]\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    address: 10.0.0.5\n"
	    "    services:\n"
	    "      s:\n"
	    "        command: [c, \"http://$HOSTADDRESS$/$HOSTNAME$\", $USER1$,\n"
	    "                  $$HOSTNAME$$]\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "web-01", "s"), want, N(want));
	config_free(cfg);
}
END_TEST

static const char *const hostile[] = {
	"a;b",
	"$(rm -rf /)",
	"`id`",
	"it's",
	"say \"hi\"",
	"line1\nline2",
	"; $(rm -rf /) `id` 'x' \"y\"\nz && echo pwned | sh",
	"$HOSTNAME$",
	"$USER1$",
	"-rf /",
	" leading and trailing ",
};

/*
 * v as a YAML double-quoted scalar: \ " and newline escaped. With dollars
 * set, each '$' is doubled too: that is how a literal '$' is written in
 * an $ARGn$, which is macro text itself.
 */
static char *
yaml_quote(const char *v, int dollars)
{
	char *q = xmalloc(strlen(v) * 2 + 3), *p = q;

	*p++ = '"';
	for (; *v != '\0'; v++) {
		if (*v == '\n') {
			*p++ = '\\';
			*p++ = 'n';
			continue;
		}
		if (*v == '"' || *v == '\\')
			*p++ = '\\';
		else if (*v == '$' && dollars)
			*p++ = '$';
		*p++ = *v;
	}
	*p++ = '"';
	*p = '\0';
	return q;
}

/* A value is one argv element whatever it holds: no shell, no re-expansion. */
START_TEST(hostile_values_stay_one_literal_argument)
{
	const char *v = hostile[_i];
	const char *want_host[] = { "/bin/hc", "-H", v, "-v", v, "-a", v, v };
	const char *want_svc[] = {
		"/bin/c", "-H", v, "-v", v, "-a", v, "-s", v, v,
	};
	struct config *cfg;
	char *yaml, *q, *qarg;

	q = yaml_quote(v, 0);
	qarg = yaml_quote(v, 1);
	put("vigil.yaml", "resource_file: res.yaml\n");
	put("res.yaml", "USER1: never\n");
	yaml = xasprintf(
	    "commands:\n"
	    "  hc: [/bin/hc, -H, $HOSTADDRESS$, -v, $_HOSTX$, -a, $ARG1$, "
	    "$HOSTALIAS$]\n"
	    "  c: [/bin/c, -H, $HOSTADDRESS$, -v, $_HOSTX$, -a, $ARG1$, -s, "
	    "$_SERVICEY$, $HOSTALIAS$]\n"
	    "hosts:\n"
	    "  h:\n"
	    "    address: %s\n"
	    "    alias: %s\n"
	    "    vars: {x: %s}\n"
	    "    check: [hc, %s]\n"
	    "    services:\n"
	    "      s: {command: [c, %s], vars: {y: %s}}\n",
	    q, q, q, qarg, qarg, q);
	put("conf.d/a.yaml", yaml);
	cfg = load(0);
	ck_assert_msg(strcmp(config_find_host(cfg, "h")->address, v) == 0,
	    "address \"%s\" became \"%s\"", v,
	    config_find_host(cfg, "h")->address);
	expect_argv(find_check(cfg, "h", NULL), want_host, N(want_host));
	expect_argv(find_check(cfg, "h", "s"), want_svc, N(want_svc));
	free(yaml);
	free(q);
	free(qarg);
	config_free(cfg);
}
END_TEST

START_TEST(a_single_dollar_in_an_arg_is_an_error_not_a_command)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c, $ARG1$]}\n"
	    "hosts:\n"
	    "  h: {check: [c, \"$(rm -rf /)\"]}\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/a.yaml:3:3: host \"h\": $ARG1$ "
	    "\"$(rm -rf /)\": unterminated macro at \"$(rm -rf /)\"");
	config_free(cfg);
}
END_TEST

START_TEST(hostile_values_in_a_host_check_stay_one_literal_argument)
{
	const char *v = "; $(rm -rf /) `id` 'x' \"y\"\nz";
	const char *want[] = { "/bin/c", v, v, v, "$HOSTADDRESS$" };
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c, $HOSTADDRESS$, $_HOSTX$, $ARG1$, $$HOSTADDRESS$$]\n"
	    "hosts:\n"
	    "  h:\n"
	    "    address: \"; $(rm -rf /) `id` 'x' \\\"y\\\"\\nz\"\n"
	    "    vars:\n"
	    "      x: |-\n"
	    "        ; $(rm -rf /) `id` 'x' \"y\"\n"
	    "        z\n"
	    "    check: [c, \"$HOSTADDRESS$\"]\n");
	cfg = load(0);
	expect_argv(find_check(cfg, "h", NULL), want, N(want));
	config_free(cfg);
}
END_TEST

/* Duplicates and lookups stay right at scale (hash tables, not lists). */
START_TEST(many_hosts_and_services_load)
{
	struct config *cfg;
	size_t len = 0, cap = 1 << 20, i;
	char *buf = xmalloc(cap);

	len += (size_t)snprintf(buf + len, cap - len,
	    "commands: {c: [/bin/c, $HOSTADDRESS$, $ARG1$]}\nhosts:\n");
	for (i = 0; i < 2000; i++)
		len += (size_t)snprintf(buf + len, cap - len,
		    "  h%zu: {address: 10.0.%zu.%zu, check: c, services: "
		    "{a: {command: [c, x]}, b: {command: [c, y]}}}\n",
		    i, i / 256, i % 256);
	len += (size_t)snprintf(buf + len, cap - len,
	    "services:\n  dup: {host: h1999, name: b, command: c}\n");
	put("conf.d/a.yaml", buf);
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/a.yaml:2004:3: service \"h1999/b\" is "
	    "defined twice (first at conf.d/a.yaml:2002:75)");
	ck_assert_uint_eq(cfg->nhosts, 2000);
	ck_assert_uint_eq(cfg->nchecks, 6000);
	ck_assert_str_eq(find_check(cfg, "h1234", "b")->argv[1], "10.0.4.210");
	free(buf);
	config_free(cfg);
}
END_TEST

/* ---- groups ----------------------------------------------------------- */

/* v (n entries, NULL-terminated) is exactly want. */
static void
expect_strv(char *const *v, size_t n, const char *const *want, size_t nwant,
    const char *what)
{
	size_t i;

	ck_assert_msg(v != NULL, "%s: NULL list", what);
	ck_assert_msg(n == nwant, "%s: %zu entries, want %zu", what, n, nwant);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(v[i], want[i]) == 0, "%s[%zu]: \"%s\", want "
		    "\"%s\"", what, i, v[i], want[i]);
	ck_assert_msg(v[n] == NULL, "%s: not NULL-terminated", what);
}

static const struct cfg_group *
find_group(const struct config *cfg, const char *name)
{
	const struct cfg_group *g = config_find_group(cfg, name);

	ck_assert_msg(g != NULL, "no group %s", name);
	return g;
}

START_TEST(group_keys_are_read_with_their_defaults)
{
	static const char *const web_hosts[] = { "web-*", "www-[0-9]*" };
	static const char *const web_svcs[] = { "*/http", "db-0?/mysql" };
	static const char *const prod[] = { "production" };
	static const char *const two[] = { "production", "web" };
	const struct cfg_group *g;
	struct config *cfg;

	put("conf.d/g.yaml",
	    "groups:\n"
	    "  production: {title: Production}\n"
	    "  web:\n"
	    "    title: Web servers\n"
	    "    parents: production\n"
	    "    hosts: [\"web-*\", \"www-[0-9]*\"]\n"
	    "    services: [\"*/http\", \"db-0?/mysql\"]\n"
	    "  eu-web: {parents: [production, web]}\n"
	    "  empty: ~\n"
	    "  bare: {}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->ngroups, 5);
	/* Definition order, as hosts and checks. */
	ck_assert_str_eq(cfg->groups[0].name, "production");
	ck_assert_str_eq(cfg->groups[4].name, "bare");

	g = find_group(cfg, "production");
	ck_assert_str_eq(g->title, "Production");
	expect_strv(g->parents, g->nparents, NULL, 0, "production parents");
	expect_strv(g->host_patterns, g->nhost_patterns, NULL, 0,
	    "production hosts");
	expect_strv(g->service_patterns, g->nservice_patterns, NULL, 0,
	    "production services");

	g = find_group(cfg, "web");
	ck_assert_str_eq(g->title, "Web servers");
	expect_strv(g->parents, g->nparents, prod, N(prod), "web parents");
	expect_strv(g->host_patterns, g->nhost_patterns, web_hosts,
	    N(web_hosts), "web hosts");
	expect_strv(g->service_patterns, g->nservice_patterns, web_svcs,
	    N(web_svcs), "web services");
	ck_assert_str_eq(g->mark.file, "conf.d/g.yaml");
	ck_assert_int_eq(g->mark.line, 3);
	ck_assert_int_eq(g->mark.col, 3);

	g = find_group(cfg, "eu-web");
	ck_assert_str_eq(g->title, "eu-web");
	expect_strv(g->parents, g->nparents, two, N(two), "eu-web parents");
	ck_assert_str_eq(find_group(cfg, "empty")->title, "empty");
	ck_assert_str_eq(find_group(cfg, "bare")->title, "bare");
	ck_assert_ptr_null(config_find_group(cfg, "nope"));
	ck_assert_ptr_null(config_find_group(cfg, "Web"));
	config_free(cfg);
}
END_TEST

START_TEST(valid_glob_patterns_are_accepted)
{
	static const char *const hosts[] = {
		"web-[0-9]*", "[!a]x", "[]]", "[[:alpha:]]*", "web\\[1\\]",
		"db-0?", "[a-]", "[\\]]",
	};
	struct config *cfg;
	const struct cfg_group *g;

	put("conf.d/g.yaml",
	    "groups:\n"
	    "  g:\n"
	    "    hosts: [\"web-[0-9]*\", \"[!a]x\", \"[]]\", \"[[:alpha:]]*\",\n"
	    "            'web\\[1\\]', \"db-0?\", \"[a-]\", '[\\]]']\n"
	    "    services: [\"*\", \"web-*\", \"*/[[:digit:]]*\", nginx/x]\n");
	cfg = load(0);
	g = find_group(cfg, "g");
	expect_strv(g->host_patterns, g->nhost_patterns, hosts, N(hosts),
	    "g hosts");
	ck_assert_uint_eq(g->nservice_patterns, 4);
	config_free(cfg);
}
END_TEST

START_TEST(hosts_services_and_templates_list_their_groups)
{
	static const char *const web_prod[] = { "web", "prod" };
	static const char *const web[] = { "web" };
	static const char *const prod[] = { "prod" };
	static const char *const db[] = { "db" };
	static const char *const prod_db[] = { "prod", "db" };
	const struct cfg_check *c;
	const struct cfg_host *h;
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c]\n"
	    "templates:\n"
	    "  in-web: {groups: [web, prod]}\n"
	    "  svc: {groups: db}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    groups: [web, prod]\n"
	    "    check: c\n"
	    "    services:\n"
	    "      http: {command: c, groups: web}\n"
	    "      disk: {command: c}\n"
	    "      tpl: {use: svc, command: c}\n"
	    "      none: {use: svc, command: c, groups: []}\n"
	    "      own: {use: svc, command: c, groups: [prod]}\n"
	    "  h2: {use: in-web, check: c}\n"
	    "  h3: {use: in-web, groups: ~}\n"
	    "  h4: {use: in-web, groups: db}\n"
	    "services:\n"
	    "  ssh: {host: h2, command: c, groups: [prod, db]}\n");
	/* Groups may be defined after (and in another file than) their use. */
	put("conf.d/z.yaml",
	    "groups:\n"
	    "  web: {}\n"
	    "  prod: {}\n"
	    "  db: {}\n");
	cfg = load(0);

	h = config_find_host(cfg, "h1");
	expect_strv(h->groups, h->ngroups, web_prod, N(web_prod), "h1 groups");
	/* The host's membership is on the host, not on its host check. */
	c = find_check(cfg, "h1", NULL);
	expect_strv(c->groups, c->ngroups, NULL, 0, "h1 host check groups");
	c = find_check(cfg, "h1", "http");
	expect_strv(c->groups, c->ngroups, web, N(web), "h1/http groups");
	/* A service does not take its host's groups: the host brings it. */
	c = find_check(cfg, "h1", "disk");
	expect_strv(c->groups, c->ngroups, NULL, 0, "h1/disk groups");
	c = find_check(cfg, "h1", "tpl");
	expect_strv(c->groups, c->ngroups, db, N(db), "h1/tpl groups");
	/* The object's own list replaces its template's, even an empty one. */
	c = find_check(cfg, "h1", "none");
	expect_strv(c->groups, c->ngroups, NULL, 0, "h1/none groups");
	c = find_check(cfg, "h1", "own");
	expect_strv(c->groups, c->ngroups, prod, N(prod), "h1/own groups");

	h = config_find_host(cfg, "h2");
	expect_strv(h->groups, h->ngroups, web_prod, N(web_prod), "h2 groups");
	c = find_check(cfg, "h2", NULL);
	expect_strv(c->groups, c->ngroups, NULL, 0, "h2 host check groups");
	h = config_find_host(cfg, "h3");
	expect_strv(h->groups, h->ngroups, NULL, 0, "h3 groups");
	h = config_find_host(cfg, "h4");
	expect_strv(h->groups, h->ngroups, db, N(db), "h4 groups");
	c = find_check(cfg, "h2", "ssh");
	expect_strv(c->groups, c->ngroups, prod_db, N(prod_db), "h2/ssh groups");
	config_free(cfg);
}
END_TEST

START_TEST(undefined_groups_are_named_where_they_are_listed)
{
	static const char *const want[] = {
		/* The template once, not at each of u1 and u2. */
		"conf.d/a.yaml:6:21: template \"t\": groups: group \"nope\" is not "
		    "defined",
		"conf.d/a.yaml:9:19: host \"web-01\": groups: group \"webb\" is "
		    "not defined",
		"conf.d/a.yaml:12:35: service \"web-01/http\": groups: group "
		    "\"wbe\" is not defined",
		"conf.d/a.yaml:16:43: service \"web-01/ssh\": groups: group "
		    "\"sshd\" is not defined",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "commands:\n"
	    "  c: [/bin/c]\n"
	    "groups:\n"
	    "  web: {}\n"
	    "templates:\n"
	    "  t: {groups: [web, nope]}\n"
	    "hosts:\n"
	    "  web-01:\n"
	    "    groups: [web, webb]\n"
	    "    check: c\n"
	    "    services:\n"
	    "      http: {command: c, groups: [wbe]}\n"
	    "  u1: {use: t}\n"
	    "  u2: {use: t}\n"
	    "services:\n"
	    "  ssh: {host: web-01, command: c, groups: sshd}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(unknown_own_and_twice_listed_parents_are_errors)
{
	static const char *const want[] = {
		"conf.d/a.yaml:6:27: group \"twice\": parents: group \"prod\" is "
		    "listed twice",
		"conf.d/a.yaml:3:15: group \"web\": parents: group \"production\" "
		    "is not defined",
		"conf.d/a.yaml:5:19: group \"self\": parents: a group cannot be "
		    "its own parent",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "groups:\n"
	    "  web:\n"
	    "    parents: [production, prod]\n"
	    "  prod: {}\n"
	    "  self: {parents: self}\n"
	    "  twice: {parents: [prod, prod]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_group_defined_twice_names_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "groups:\n"
	    "  web: {title: A}\n");
	/* The second one's parents are not looked at: it is not a group. */
	put("conf.d/b.yaml",
	    "groups:\n"
	    "  db: {}\n"
	    "  web:\n"
	    "    title: B\n"
	    "    parents: [nope]\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/b.yaml:3:3: group \"web\" is defined "
	    "twice (first at conf.d/a.yaml:2:3)");
	ck_assert_uint_eq(cfg->ngroups, 2);
	ck_assert_str_eq(find_group(cfg, "web")->title, "A");
	config_free(cfg);
}
END_TEST

START_TEST(a_cycle_across_two_files_names_every_group_with_its_place)
{
	struct config *cfg;

	put("conf.d/g.yaml",
	    "# a -> b -> c -> a, c in another file\n"
	    "groups:\n"
	    "  a:\n"
	    "    parents: [b]\n"
	    "  b:\n"
	    "    parents: c\n");
	put("conf.d/h.yaml",
	    "groups:\n"
	    "  c: {parents: [a]}\n");
	cfg = load(-1);
	expect_only_error(cfg, "conf.d/g.yaml:3:3: group \"a\": parents form a "
	    "cycle: a (conf.d/g.yaml:3:3) -> b (conf.d/g.yaml:5:3) -> c "
	    "(conf.d/h.yaml:2:3) -> a");
	config_free(cfg);
}
END_TEST

START_TEST(each_cycle_is_reported_once_from_its_first_defined_group)
{
	static const char *const want[] = {
		/* Entered at q from x, named from p: p is defined first. */
		"conf.d/a.yaml:3:3: group \"p\": parents form a cycle: p "
		    "(conf.d/a.yaml:3:3) -> q (conf.d/a.yaml:4:3) -> p",
		/* Two cycles through a: both, each once. */
		"conf.d/a.yaml:5:3: group \"a\": parents form a cycle: a "
		    "(conf.d/a.yaml:5:3) -> b (conf.d/a.yaml:6:3) -> a",
		"conf.d/a.yaml:5:3: group \"a\": parents form a cycle: a "
		    "(conf.d/a.yaml:5:3) -> c (conf.d/a.yaml:7:3) -> a",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "groups:\n"
	    "  x: {parents: [q]}\n"
	    "  p: {parents: [q]}\n"
	    "  q: {parents: [p]}\n"
	    "  a: {parents: [b, c]}\n"
	    "  b: {parents: [a]}\n"
	    "  c: {parents: [a, p]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_diamond_and_a_five_level_tree_are_accepted)
{
	static const char *const diamond[] = { "eu", "us" };
	static const char *const shortcut[] = { "web-front", "eu" };
	struct config *cfg;

	/* Children before their parents, across files: order is free. */
	put("conf.d/a.yaml",
	    "groups:\n"
	    "  web-front-1: {parents: [web-front, eu]}\n"
	    "  web-front: {parents: web}\n"
	    "  web: {parents: [eu, us]}\n");
	put("conf.d/b.yaml",
	    "groups:\n"
	    "  eu: {parents: all}\n"
	    "  us: {parents: all}\n"
	    "  all: {title: Everything}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->ngroups, 6);
	expect_strv(find_group(cfg, "web")->parents,
	    find_group(cfg, "web")->nparents, diamond, N(diamond), "web parents");
	expect_strv(find_group(cfg, "web-front-1")->parents,
	    find_group(cfg, "web-front-1")->nparents, shortcut, N(shortcut),
	    "web-front-1 parents");
	ck_assert_uint_eq(find_group(cfg, "all")->nparents, 0);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *yaml;
	const char *err;
} group_cases[] = {
	{ "groups: [a]\n",
	    "conf.d/a.yaml:1:9: groups: expected a map of group name to group "
	    "settings, got a list" },
	{ "groups:\n  g: [a]\n",
	    "conf.d/a.yaml:2:6: group \"g\": expected a map of settings (title, "
	    "parents, hosts, services), got a list" },
	{ "groups:\n  g: {titel: x}\n",
	    "conf.d/a.yaml:2:7: group \"g\": unknown key \"titel\" (did you "
	    "mean \"title\"?)" },
	{ "groups:\n  g: {parent: x}\n",
	    "conf.d/a.yaml:2:7: group \"g\": unknown key \"parent\" (did you "
	    "mean \"parents\"?)" },
	{ "groups:\n  g: {members: [x]}\n",
	    "conf.d/a.yaml:2:7: group \"g\": unknown key \"members\"" },
	{ "groups:\n  g: {title: a, title: b}\n",
	    "conf.d/a.yaml:2:17: group \"g\": key \"title\" is given twice "
	    "(first at conf.d/a.yaml:2:7)" },
	{ "groups:\n  g: {title: \"\"}\n",
	    "conf.d/a.yaml:2:14: group \"g\": title: must not be empty" },
	{ "groups:\n  g:\n    title:\n",
	    "conf.d/a.yaml:3:11: group \"g\": title: expected a string, got "
	    "nothing" },
	{ "groups:\n  g: {parents: {a: 1}}\n",
	    "conf.d/a.yaml:2:16: group \"g\": parents: expected a list of group "
	    "names, got a map" },
	{ "groups:\n  g: {hosts: [\"\"]}\n",
	    "conf.d/a.yaml:2:15: group \"g\": hosts: must not be empty" },
	{ "groups:\n  g: {services: [\"\"]}\n",
	    "conf.d/a.yaml:2:18: group \"g\": services: must not be empty" },
	{ "groups:\n  g: {hosts: \"web-[0-9\"}\n",
	    "conf.d/a.yaml:2:14: group \"g\": hosts: pattern \"web-[0-9\" has a "
	    "'[' without its closing ']' (write \\[ for a literal '[')" },
	{ "groups:\n  g: {hosts: ['web\\']}\n",
	    "conf.d/a.yaml:2:15: group \"g\": hosts: pattern \"web\\\\\" ends in "
	    "a lone '\\' (write \\\\ for a literal one)" },
	{ "groups:\n  g: {services: ['*/[[:digt:]]']}\n",
	    "conf.d/a.yaml:2:18: group \"g\": services: pattern \"*/[[:digt:]]\" "
	    "names an unknown character class (expected [:alpha:], [:digit:], "
	    "[:alnum:] ...)" },
	{ "groups:\n  g: {hosts: [web-01/http]}\n",
	    "conf.d/a.yaml:2:15: group \"g\": hosts: pattern \"web-01/http\" can "
	    "never match a host name (host names have no '/'; services: takes "
	    "\"host/service\" patterns)" },
	{ "groups:\n  g: {hosts: {a: 1}}\n",
	    "conf.d/a.yaml:2:14: group \"g\": hosts: expected a list of host "
	    "name patterns, got a map" },
	{ "groups:\n  g: {hosts: [[a]]}\n",
	    "conf.d/a.yaml:2:15: group \"g\": hosts: expected a string, got a "
	    "list" },
	{ "groups:\n  g: {services: {a: 1}}\n",
	    "conf.d/a.yaml:2:17: group \"g\": services: expected a list of "
	    "\"host/service\" patterns, got a map" },
	{ "groups:\n  a b: {}\n",
	    "conf.d/a.yaml:2:3: group \"a b\": name may not contain '/', "
	    "whitespace or '$'" },
	{ "groups:\n  a/b: {}\n",
	    "conf.d/a.yaml:2:3: group \"a/b\": name may not contain '/', "
	    "whitespace or '$'" },
	{ "groups:\n  \"\": {}\n",
	    "conf.d/a.yaml:2:3: group name must not be empty" },
	{ "groups: {}\ngroups: {}\n",
	    "conf.d/a.yaml:2:1: key \"groups\" is given twice (first at "
	    "conf.d/a.yaml:1:1)" },
	{ "hosts:\n  h: {groups: {a: 1}}\n",
	    "conf.d/a.yaml:2:15: host \"h\": groups: expected a list of group "
	    "names, got a map" },
	{ "groups: {w: {}}\nhosts:\n  h: {groups: [w, w]}\n",
	    "conf.d/a.yaml:3:19: host \"h\": groups: group \"w\" is listed "
	    "twice" },
	{ "templates:\n  t: {groups: [\"\"]}\n",
	    "conf.d/a.yaml:2:16: template \"t\": groups: must not be empty" },
};

START_TEST(bad_group_values_are_errors)
{
	struct config *cfg;

	put("conf.d/a.yaml", group_cases[_i].yaml);
	cfg = load(-1);
	if (cfg->nerrors != 1 || strcmp(cfg->errors[0], group_cases[_i].err) != 0)
		ck_abort_msg("input:\n%s\nwant:\n  %s\ngot:\n%s",
		    group_cases[_i].yaml, group_cases[_i].err, errors_text(cfg));
	config_free(cfg);
}
END_TEST

/*
 * g0's parent is g1, g1's is g2 ... 10,000 deep: the walk must not recurse.
 * With cycle, g9999's parent is g0 and the one error names all 10,000.
 */
static char *
group_chain_yaml(size_t n, int cycle)
{
	struct strbuf b = { NULL, 0, 0 };
	char line[128];
	size_t i;

	strbuf_adds(&b, "groups:\n");
	for (i = 0; i < n; i++) {
		if (i + 1 < n)
			snprintf(line, sizeof(line), "  g%zu: {parents: g%zu}\n",
			    i, i + 1);
		else if (cycle)
			snprintf(line, sizeof(line), "  g%zu: {parents: g0}\n", i);
		else
			snprintf(line, sizeof(line), "  g%zu: {}\n", i);
		strbuf_adds(&b, line);
	}
	return b.s;
}

START_TEST(a_chain_of_ten_thousand_groups_loads_and_its_cycle_is_named)
{
	struct strbuf want = { NULL, 0, 0 };
	struct config *cfg;
	char *yaml, place[128];
	size_t i;

	yaml = group_chain_yaml(10000, 0);
	put("conf.d/a.yaml", yaml);
	free(yaml);
	cfg = load(0);
	ck_assert_uint_eq(cfg->ngroups, 10000);
	config_free(cfg);

	yaml = group_chain_yaml(10000, 1);
	put("conf.d/a.yaml", yaml);
	free(yaml);
	cfg = load(-1);
	strbuf_adds(&want, "conf.d/a.yaml:2:3: group \"g0\": parents form a "
	    "cycle: ");
	for (i = 0; i < 10000; i++) {
		snprintf(place, sizeof(place), "g%zu (conf.d/a.yaml:%zu:3) -> ",
		    i, i + 2);
		strbuf_adds(&want, place);
	}
	strbuf_adds(&want, "g0");
	ck_assert_uint_eq(cfg->nerrors, 1);
	ck_assert_msg(strcmp(cfg->errors[0], want.s) == 0, "got %.200s...",
	    cfg->errors[0]);
	free(want.s);
	config_free(cfg);
}
END_TEST

START_TEST(past_a_hundred_group_cycles_one_line_counts_the_rest)
{
	struct strbuf b = { NULL, 0, 0 };
	struct config *cfg;
	char line[128];
	size_t i;

	strbuf_adds(&b, "groups:\n");
	for (i = 0; i < 150; i++) {
		snprintf(line, sizeof(line), "  a%zu: {parents: b%zu}\n"
		    "  b%zu: {parents: a%zu}\n", i, i, i, i);
		strbuf_adds(&b, line);
	}
	put("conf.d/a.yaml", b.s);
	free(b.s);
	cfg = load(-1);
	ck_assert_uint_eq(cfg->nerrors, 101);
	ck_assert_str_eq(cfg->errors[99], "conf.d/a.yaml:200:3: group \"a99\": "
	    "parents form a cycle: a99 (conf.d/a.yaml:200:3) -> b99 "
	    "(conf.d/a.yaml:201:3) -> a99");
	ck_assert_str_eq(cfg->errors[100], "conf.d/a.yaml:202:3: group "
	    "\"a100\": parents form 50 more cycles, not shown (fix the ones "
	    "above first)");
	config_free(cfg);
}
END_TEST

/*
 * 1,000 groups six levels deep (a 4-ary tree, some nodes with a second
 * parent at level 1: diamonds), hosts and services listing them.
 */
START_TEST(a_thousand_groups_with_many_members_load)
{
	struct strbuf b = { NULL, 0, 0 };
	const struct cfg_check *c;
	const struct cfg_host *h;
	struct config *cfg;
	char line[256];
	size_t i;

	strbuf_adds(&b, "commands: {c: [/bin/c, $HOSTADDRESS$]}\ngroups:\n");
	strbuf_adds(&b, "  g0: {hosts: [\"h*\"]}\n");
	for (i = 1; i < 1000; i++) {
		if (i >= 5 && i % 10 == 0 && (i - 1) / 4 != 1)
			snprintf(line, sizeof(line), "  g%zu: {parents: [g%zu, g1], "
			    "services: [\"h%zu/*\"]}\n", i, (i - 1) / 4, i);
		else
			snprintf(line, sizeof(line), "  g%zu: {parents: g%zu}\n",
			    i, (i - 1) / 4);
		strbuf_adds(&b, line);
	}
	strbuf_adds(&b, "hosts:\n");
	for (i = 0; i < 2000; i++) {
		snprintf(line, sizeof(line), "  h%zu: {check: c, groups: g%zu, "
		    "services: {a: {command: c, groups: [g%zu, g%zu]}, "
		    "b: {command: c}, d: {command: c}, e: {command: c}}}\n",
		    i, 341 + i % 659, i % 1000, 999 - i % 1000);
		strbuf_adds(&b, line);
	}
	put("conf.d/a.yaml", b.s);
	free(b.s);
	cfg = load(0);
	ck_assert_uint_eq(cfg->ngroups, 1000);
	ck_assert_uint_eq(cfg->nhosts, 2000);
	ck_assert_uint_eq(cfg->nchecks, 10000);
	h = config_find_host(cfg, "h1234");
	ck_assert_uint_eq(h->ngroups, 1);
	ck_assert_str_eq(h->groups[0], "g916");
	c = find_check(cfg, "h1234", "a");
	ck_assert_uint_eq(c->ngroups, 2);
	ck_assert_str_eq(c->groups[0], "g234");
	ck_assert_str_eq(c->groups[1], "g765");
	ck_assert_uint_eq(find_group(cfg, "g990")->nparents, 2);
	config_free(cfg);
}
END_TEST

/* ---- check keys: states, freshness, flapping, debounce, period ------- */

START_TEST(new_check_keys_default_as_nagios)
{
	struct config *cfg;
	const struct cfg_check *c;
	int host;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    services:\n"
	    "      s: {command: c}\n");
	cfg = load(0);
	for (host = 0; host < 2; host++) {
		c = find_check(cfg, "h", host ? NULL : "s");
		ck_assert_int_eq(c->timeout_state, 2);		/* CRITICAL */
		ck_assert_int_eq(c->freshness_threshold, 0);	/* interval + 15 s */
		ck_assert_int_eq(c->stale_state, 3);		/* UNKNOWN */
		ck_assert_int_eq(c->flap_detection, 1);
		ck_assert(c->low_flap_threshold == 20.0);
		ck_assert(c->high_flap_threshold == 30.0);
		ck_assert_int_eq(c->debounce, 0);
		ck_assert_int_eq(c->is_volatile, 0);
		ck_assert_ptr_null(c->check_period);
		ck_assert_ptr_null(c->check_period_tp);
		ck_assert_int_eq(c->max_attempts, 3);
	}
	ck_assert_uint_eq(cfg->ntimeperiods, 0);
	ck_assert_ptr_null(config_find_timeperiod(cfg, "24x7"));
	config_free(cfg);
}
END_TEST

START_TEST(every_new_check_key_is_read)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    timeout_state: down\n"
	    "    stale_state: UP\n"
	    "    check_period: workhours\n"
	    "    services:\n"
	    "      s:\n"
	    "        command: c\n"
	    "        timeout_state: warning\n"
	    "        freshness_threshold: 10m\n"
	    "        stale_state: 1\n"
	    "        flap_detection: false\n"
	    "        low_flap_threshold: 12.5\n"
	    "        high_flap_threshold: 40%\n"
	    "        debounce: 4\n"
	    "        is_volatile: yes\n"
	    "        check_period: workhours\n"
	    "      z: {command: c, freshness_threshold: 0, debounce: 0,\n"
	    "          low_flap_threshold: 0, high_flap_threshold: 100,\n"
	    "          timeout_state: 0, stale_state: OK}\n");
	/* a timeperiod may be defined in a later file */
	put("conf.d/z.yaml",
	    "timeperiods:\n"
	    "  workhours: {monday: \"09:00-17:00\"}\n");
	cfg = load(0);
	c = find_check(cfg, "h", NULL);
	ck_assert_int_eq(c->timeout_state, 2);		/* DOWN */
	ck_assert_int_eq(c->stale_state, 0);		/* UP */
	ck_assert_str_eq(c->check_period, "workhours");
	ck_assert_ptr_eq(c->check_period_tp,
	    config_find_timeperiod(cfg, "workhours")->tp);
	c = find_check(cfg, "h", "s");
	ck_assert_int_eq(c->timeout_state, 1);
	ck_assert_int_eq(c->freshness_threshold, 600);
	ck_assert_int_eq(c->stale_state, 1);
	ck_assert_int_eq(c->flap_detection, 0);
	ck_assert(c->low_flap_threshold == 12.5);
	ck_assert(c->high_flap_threshold == 40.0);
	ck_assert_int_eq(c->debounce, 4);
	ck_assert_int_eq(c->max_attempts, 3);	/* as written */
	ck_assert_int_eq(c->is_volatile, 1);
	ck_assert_str_eq(c->check_period, "workhours");
	ck_assert_ptr_nonnull(c->check_period_tp);
	ck_assert_ptr_eq(c->check_period_tp,
	    config_find_timeperiod(cfg, "workhours")->tp);
	c = find_check(cfg, "h", "z");
	ck_assert_int_eq(c->freshness_threshold, 0);
	ck_assert_int_eq(c->debounce, 0);
	ck_assert(c->low_flap_threshold == 0.0);
	ck_assert(c->high_flap_threshold == 100.0);
	ck_assert_int_eq(c->timeout_state, 0);
	ck_assert_int_eq(c->stale_state, 0);
	config_free(cfg);
}
END_TEST

static const struct {
	const char *value;
	int is_host;
	int status;
} state_cases[] = {
	{ "OK", 0, 0 }, { "ok", 0, 0 }, { "Warning", 0, 1 },
	{ "CRITICAL", 0, 2 }, { "unknown", 0, 3 }, { "0", 0, 0 }, { "1", 0, 1 },
	{ "2", 0, 2 }, { "3", 0, 3 }, { "\"3\"", 0, 3 },
	{ "UP", 1, 0 }, { "up", 1, 0 }, { "DOWN", 1, 2 }, { "Down", 1, 2 },
	{ "OK", 1, 0 }, { "WARNING", 1, 1 }, { "CRITICAL", 1, 2 },
	{ "UNKNOWN", 1, 3 }, { "2", 1, 2 },
};

START_TEST(state_names_in_any_case_and_numbers_are_read)
{
	struct config *cfg;
	const struct cfg_check *c;
	char *yaml;

	if (state_cases[_i].is_host)
		yaml = xasprintf(
		    "commands: {c: [/bin/c]}\n"
		    "hosts:\n"
		    "  h: {check: c, timeout_state: %s, stale_state: %s}\n",
		    state_cases[_i].value, state_cases[_i].value);
	else
		yaml = xasprintf(
		    "commands: {c: [/bin/c]}\n"
		    "hosts:\n"
		    "  h:\n"
		    "    services:\n"
		    "      s: {command: c, timeout_state: %s, stale_state: %s}\n",
		    state_cases[_i].value, state_cases[_i].value);
	put("conf.d/a.yaml", yaml);
	cfg = load(0);
	c = find_check(cfg, "h", state_cases[_i].is_host ? NULL : "s");
	ck_assert_msg(c->timeout_state == state_cases[_i].status &&
	    c->stale_state == state_cases[_i].status, "%s on a %s: %d %d, "
	    "want %d", state_cases[_i].value, state_cases[_i].is_host ? "host" :
	    "service", c->timeout_state, c->stale_state,
	    state_cases[_i].status);
	free(yaml);
	config_free(cfg);
}
END_TEST

static const char new_keys_tmpl_yaml[] =
    "timeperiods:\n"
    "  nights: {all: \"22:00-24:00\"}\n"
    "  always: {all: \"00:00-24:00\"}\n"
    "templates:\n"
    "  flappy: {low_flap_threshold: 5, high_flap_threshold: 50,\n"
    "           flap_detection: false, debounce: 2}\n"
    "  strict: {timeout_state: UNKNOWN, stale_state: CRITICAL,\n"
    "           freshness_threshold: 2m, is_volatile: true,\n"
    "           check_period: nights, low_flap_threshold: 10}\n"
    "  base: {use: strict, debounce: 3}\n"
    "  hosty: {timeout_state: UP, stale_state: DOWN, check_period: always}\n"
    "commands: {c: [/bin/c]}\n"
    "hosts:\n"
    "  h:\n"
    "    use: hosty\n"
    "    check: c\n"
    "    services:\n"
    "      s1: {use: [flappy, strict], command: c}\n"
    "      s2: {use: [strict, flappy], command: c}\n"
    "      s3: {use: base, command: c}\n"
    "      s4: {use: [base, flappy], command: c, debounce: 0,\n"
    "           timeout_state: OK, check_period: always,\n"
    "           high_flap_threshold: 60}\n";

START_TEST(new_check_keys_come_from_templates)
{
	struct config *cfg;
	const struct cfg_check *c;
	const struct timeperiod *nights, *always;

	put("conf.d/a.yaml", new_keys_tmpl_yaml);
	cfg = load(0);
	nights = config_find_timeperiod(cfg, "nights")->tp;
	always = config_find_timeperiod(cfg, "always")->tp;
	c = find_check(cfg, "h", NULL);
	ck_assert_int_eq(c->timeout_state, 0);
	ck_assert_int_eq(c->stale_state, 2);
	ck_assert_ptr_eq(c->check_period_tp, always);
	/* the first template that sets a key wins */
	c = find_check(cfg, "h", "s1");
	ck_assert(c->low_flap_threshold == 5.0);
	ck_assert(c->high_flap_threshold == 50.0);
	ck_assert_int_eq(c->flap_detection, 0);
	ck_assert_int_eq(c->debounce, 2);
	ck_assert_int_eq(c->timeout_state, 3);
	ck_assert_int_eq(c->stale_state, 2);
	ck_assert_int_eq(c->freshness_threshold, 120);
	ck_assert_int_eq(c->is_volatile, 1);
	ck_assert_str_eq(c->check_period, "nights");
	ck_assert_ptr_eq(c->check_period_tp, nights);
	c = find_check(cfg, "h", "s2");
	ck_assert(c->low_flap_threshold == 10.0);	/* strict's */
	ck_assert(c->high_flap_threshold == 50.0);	/* only flappy's */
	/* depth first: base, then base's strict */
	c = find_check(cfg, "h", "s3");
	ck_assert_int_eq(c->debounce, 3);
	ck_assert_int_eq(c->timeout_state, 3);
	ck_assert_int_eq(c->flap_detection, 1);
	ck_assert(c->low_flap_threshold == 10.0);
	ck_assert(c->high_flap_threshold == 30.0);
	ck_assert_ptr_eq(c->check_period_tp, nights);
	/* the object's own keys win */
	c = find_check(cfg, "h", "s4");
	ck_assert_int_eq(c->debounce, 0);
	ck_assert_int_eq(c->timeout_state, 0);
	ck_assert_int_eq(c->stale_state, 2);
	ck_assert_str_eq(c->check_period, "always");
	ck_assert_ptr_eq(c->check_period_tp, always);
	ck_assert(c->low_flap_threshold == 10.0);
	ck_assert(c->high_flap_threshold == 60.0);
	ck_assert_int_eq(c->flap_detection, 0);
	config_free(cfg);
}
END_TEST

/* One key of service h/s at line 6; the error is at its value. */
static const struct {
	const char *line;
	const char *err;
} new_key_cases[] = {
	{ "timeout_state: BROKEN", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"BROKEN\" is not a state (expected OK, WARNING, "
	    "CRITICAL, UNKNOWN or 0-3)" },
	{ "timeout_state: CRTICAL", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"CRTICAL\" is not a state (did you mean "
	    "\"CRITICAL\"?)" },
	{ "timeout_state: warnign", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"warnign\" is not a state (did you mean "
	    "\"WARNING\"?)" },
	{ "timeout_state: 4", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"4\" is not a state (expected OK, WARNING, "
	    "CRITICAL, UNKNOWN or 0-3)" },
	{ "timeout_state: UP", "conf.d/a.yaml:6:24: service \"h/s\": "
	    "timeout_state: \"UP\" is a host state (expected OK, WARNING, "
	    "CRITICAL, UNKNOWN or 0-3)" },
	{ "stale_state: down", "conf.d/a.yaml:6:22: service \"h/s\": "
	    "stale_state: \"down\" is a host state (expected OK, WARNING, "
	    "CRITICAL, UNKNOWN or 0-3)" },
	{ "stale_state: \"\"", "conf.d/a.yaml:6:22: service \"h/s\": "
	    "stale_state: must not be empty" },
	{ "stale_state: [OK]", "conf.d/a.yaml:6:22: service \"h/s\": "
	    "stale_state: expected a string, got a list" },
	{ "freshness_threshold: soon", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "freshness_threshold: \"soon\" is not a duration (expected 30s, 5m, "
	    "1h, 1d or a number of seconds)" },
	{ "freshness_threshold: -5s", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "freshness_threshold: \"-5s\" is not a duration (expected 30s, 5m, "
	    "1h, 1d or a number of seconds)" },
	{ "flap_detection: maybe", "conf.d/a.yaml:6:25: service \"h/s\": "
	    "flap_detection: \"maybe\" is not a boolean (expected true or "
	    "false)" },
	{ "low_flap_threshold: 101", "conf.d/a.yaml:6:29: service \"h/s\": "
	    "low_flap_threshold: \"101\" is not a percentage (expected a number "
	    "from 0 to 100)" },
	{ "low_flap_threshold: 12.", "conf.d/a.yaml:6:29: service \"h/s\": "
	    "low_flap_threshold: \"12.\" is not a percentage (expected a number "
	    "from 0 to 100)" },
	{ "high_flap_threshold: -1", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "high_flap_threshold: \"-1\" is not a percentage (expected a number "
	    "from 0 to 100)" },
	{ "high_flap_threshold: 2e1", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "high_flap_threshold: \"2e1\" is not a percentage (expected a "
	    "number from 0 to 100)" },
	{ "high_flap_threshold: 100.5%", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "high_flap_threshold: \"100.5%\" is not a percentage (expected a "
	    "number from 0 to 100)" },
	{ "debounce: -1", "conf.d/a.yaml:6:19: service \"h/s\": debounce: "
	    "\"-1\" is not a whole number >= 0" },
	{ "debounce: 1.5", "conf.d/a.yaml:6:19: service \"h/s\": debounce: "
	    "\"1.5\" is not a whole number >= 0" },
	{ "is_volatile: 2", "conf.d/a.yaml:6:22: service \"h/s\": is_volatile: "
	    "\"2\" is not a boolean (expected true or false)" },
	{ "check_period: workhours", "conf.d/a.yaml:6:23: service \"h/s\": "
	    "check_period: timeperiod \"workhours\" is not defined" },
	{ "check_period: \"\"", "conf.d/a.yaml:6:23: service \"h/s\": "
	    "check_period: must not be empty" },
	{ "check_period:", "conf.d/a.yaml:6:22: service \"h/s\": "
	    "check_period: expected a string, got nothing" },
	{ "low_flap_threshold: 30", "conf.d/a.yaml:6:29: service \"h/s\": "
	    "low_flap_threshold 30 must be below high_flap_threshold 30 (the "
	    "default)" },
	{ "high_flap_threshold: 15", "conf.d/a.yaml:6:30: service \"h/s\": "
	    "low_flap_threshold 20 (the default) must be below "
	    "high_flap_threshold 15" },
	{ "quorum: 0", "conf.d/a.yaml:6:17: service \"h/s\": quorum: \"0\" is "
	    "not a whole number >= 1" },
	{ "quorum: two", "conf.d/a.yaml:6:17: service \"h/s\": quorum: \"two\" "
	    "is not a whole number >= 1" },
	{ "quorum: [2]", "conf.d/a.yaml:6:17: service \"h/s\": quorum: expected "
	    "a string, got a list" },
	{ "quorum: 2", "conf.d/a.yaml:6:17: service \"h/s\": quorum 2 must be "
	    "between 1 and the number of pools, 1 (the default pool \"default\")" },
	{ "pools: [a, b, c]", NULL },
	{ "quorum: 1", NULL },
};

START_TEST(bad_new_check_key_values_name_the_place)
{
	struct config *cfg;
	char *yaml;

	yaml = xasprintf(
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    services:\n"
	    "      s:\n"
	    "        %s\n"
	    "        command: c\n", new_key_cases[_i].line);
	put("conf.d/a.yaml", yaml);
	if (new_key_cases[_i].err == NULL) {
		/* a valid value, among the bad ones for its neighbours */
		cfg = load(0);
		config_free(cfg);
		free(yaml);
		return;
	}
	cfg = load(-1);
	if (cfg->nerrors != 1 || strcmp(cfg->errors[0], new_key_cases[_i].err) != 0)
		ck_abort_msg("input:\n%s\nwant:\n  %s\ngot:\n%s", yaml,
		    new_key_cases[_i].err, errors_text(cfg));
	free(yaml);
	config_free(cfg);
}
END_TEST

START_TEST(hosts_and_templates_take_up_and_down_but_not_unreachable)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:22: template \"t\": timeout_state: "
		    "\"UNREACHABLE\" is not a state (expected UP, DOWN, OK, "
		    "WARNING, CRITICAL, UNKNOWN or 0-3)",
		"conf.d/a.yaml:5:18: host \"h\": stale_state: \"DWON\" is not a "
		    "state (did you mean \"DOWN\"?)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  t: {timeout_state: UNREACHABLE, stale_state: DOWN}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    stale_state: DWON\n"
	    "    timeout_state: up\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_service_given_a_host_state_by_a_template_is_told)
{
	static const char *const want[] = {
		"conf.d/a.yaml:8:7: service \"h/s\": timeout_state: \"DOWN\" (at "
		    "conf.d/a.yaml:2:26) is a host state (expected OK, WARNING, "
		    "CRITICAL, UNKNOWN or 0-3)",
		"conf.d/a.yaml:8:7: service \"h/s\": stale_state: \"up\" (at "
		    "conf.d/a.yaml:2:45) is a host state (expected OK, WARNING, "
		    "CRITICAL, UNKNOWN or 0-3)",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  hosty: {timeout_state: DOWN, stale_state: up}\n"
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    use: hosty\n"
	    "    services:\n"
	    "      s: {use: hosty, command: c}\n"
	    "      t: {use: hosty, command: c, timeout_state: 2, stale_state: 3}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(low_flap_threshold_below_high_is_checked_once_per_pair)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:34: template \"both-bad\": low_flap_threshold 40 "
		    "must be below high_flap_threshold 30 (at conf.d/a.yaml:2:59)",
		"conf.d/a.yaml:11:25: host \"h\": low_flap_threshold 30 must be "
		    "below high_flap_threshold 30 (the default)",
		"conf.d/a.yaml:13:44: service \"h/s1\": low_flap_threshold 50 must "
		    "be below high_flap_threshold 50 (at conf.d/a.yaml:13:69)",
		"conf.d/a.yaml:16:7: service \"h/s4\": low_flap_threshold 35 (at "
		    "conf.d/a.yaml:3:34) must be below high_flap_threshold 30 (the "
		    "default)",
		"conf.d/a.yaml:17:7: service \"h/s5\": low_flap_threshold 35 (at "
		    "conf.d/a.yaml:3:34) must be below high_flap_threshold 10 (at "
		    "conf.d/a.yaml:4:36)",
		"conf.d/a.yaml:20:60: service \"h/s8\": low_flap_threshold 40 (at "
		    "conf.d/a.yaml:2:34) must be below high_flap_threshold 20",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  both-bad: {low_flap_threshold: 40, high_flap_threshold: 30}\n"
	    "  low-only: {low_flap_threshold: 35}\n"
	    "  high-only: {high_flap_threshold: 10}\n"
	    "  via: {use: both-bad}\n"
	    "  fine: {low_flap_threshold: 40, high_flap_threshold: 45}\n"
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    low_flap_threshold: 30\n"
	    "    services:\n"
	    "      s1: {command: c, low_flap_threshold: 50, high_flap_threshold: 50}\n"
	    "      s2: {command: c, use: both-bad}\n"
	    "      s3: {command: c, use: via}\n"
	    "      s4: {command: c, use: low-only}\n"
	    "      s5: {command: c, use: [low-only, high-only]}\n"
	    "      s6: {command: c, use: low-only, high_flap_threshold: 36}\n"
	    "      s7: {command: c, use: both-bad, high_flap_threshold: 45}\n"
	    "      s8: {command: c, use: both-bad, high_flap_threshold: 20}\n"
	    "      s9: {command: c, use: fine}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(quorum_defaults_to_one_and_comes_with_the_pools_from_templates)
{
	struct config *cfg;
	const struct cfg_check *c;

	put("conf.d/a.yaml",
	    "commands: {c: [/bin/c]}\n"
	    "templates:\n"
	    "  everywhere: {pools: [eu-1, eu-2, us-1], quorum: 2}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    pools: [x, y]\n"
	    "    quorum: 2\n"
	    "    services:\n"
	    "      one: {command: c}\n"
	    "      any: {command: c, pools: [a, b, c]}\n"
	    "      all: {command: c, pools: [a, b, c], quorum: 3}\n"
	    "      tmpl: {command: c, use: everywhere}\n"
	    "      mine: {command: c, use: everywhere, quorum: 1}\n");
	cfg = load(0);
	c = find_check(cfg, "h", NULL);
	ck_assert_uint_eq(c->npools, 2);
	ck_assert_int_eq(c->quorum, 2);
	c = find_check(cfg, "h", "one");
	ck_assert_uint_eq(c->npools, 1);
	ck_assert_int_eq(c->quorum, 1);
	c = find_check(cfg, "h", "any");
	ck_assert_uint_eq(c->npools, 3);
	ck_assert_int_eq(c->quorum, 1);	/* any location failing fails it */
	c = find_check(cfg, "h", "all");
	ck_assert_int_eq(c->quorum, 3);
	c = find_check(cfg, "h", "tmpl");
	ck_assert_uint_eq(c->npools, 3);
	ck_assert_str_eq(c->pools[2], "us-1");
	ck_assert_int_eq(c->quorum, 2);
	c = find_check(cfg, "h", "mine");
	ck_assert_uint_eq(c->npools, 3);
	ck_assert_int_eq(c->quorum, 1);
	config_free(cfg);
}
END_TEST

START_TEST(quorum_at_most_the_pools_is_checked_once_per_pair)
{
	static const char *const want[] = {
		"conf.d/a.yaml:22:36: service \"h/s10\": pools: \"b#\" is not a "
		    "pool name (expected letters, digits, '_', '.' and '-')",
		"conf.d/a.yaml:2:37: template \"both-bad\": quorum 3 must be "
		    "between 1 and the number of pools, 2 (at conf.d/a.yaml:2:21)",
		"conf.d/a.yaml:11:13: host \"h\": quorum 2 must be between 1 and "
		    "the number of pools, 1 (the default pool \"default\")",
		"conf.d/a.yaml:13:44: service \"h/s1\": quorum 2 must be between 1 "
		    "and the number of pools, 1 (at conf.d/a.yaml:13:31)",
		"conf.d/a.yaml:16:7: service \"h/s4\": quorum 3 (at "
		    "conf.d/a.yaml:4:25) must be between 1 and the number of pools, "
		    "1 (the default pool \"default\")",
		"conf.d/a.yaml:17:7: service \"h/s5\": quorum 3 (at "
		    "conf.d/a.yaml:4:25) must be between 1 and the number of pools, "
		    "2 (at conf.d/a.yaml:3:23)",
		"conf.d/a.yaml:20:46: service \"h/s8\": quorum 3 (at "
		    "conf.d/a.yaml:2:37) must be between 1 and the number of pools, 1",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "templates:\n"
	    "  both-bad: {pools: [a, b], quorum: 3}\n"
	    "  pools-only: {pools: [a, b]}\n"
	    "  quorum-only: {quorum: 3}\n"
	    "  via: {use: both-bad}\n"
	    "  fine: {pools: [a, b, c], quorum: 3}\n"
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    check: c\n"
	    "    quorum: 2\n"
	    "    services:\n"
	    "      s1: {command: c, pools: [a], quorum: 2}\n"
	    "      s2: {command: c, use: both-bad}\n"
	    "      s3: {command: c, use: via}\n"
	    "      s4: {command: c, use: quorum-only}\n"
	    "      s5: {command: c, use: [quorum-only, pools-only]}\n"
	    "      s6: {command: c, use: quorum-only, pools: [a, b, c]}\n"
	    "      s7: {command: c, use: both-bad, pools: [a, b, c]}\n"
	    "      s8: {command: c, use: both-bad, pools: [a]}\n"
	    "      s9: {command: c, use: fine}\n"
	    "      s10: {command: c, pools: [a, \"b#\"], quorum: 3}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(an_unknown_check_period_is_named_once_with_a_suggestion)
{
	static const char *const want[] = {
		"conf.d/a.yaml:4:21: template \"t\": check_period: timeperiod "
		    "\"wrokhours\" is not defined (did you mean \"workhours\"?)",
		"conf.d/a.yaml:10:37: service \"h/s\": check_period: timeperiod "
		    "\"24x8\" is not defined (did you mean \"24x7\"?)",
		"conf.d/a.yaml:12:37: service \"h/u\": check_period: timeperiod "
		    "\"nights\" is not defined",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  workhours: {monday: \"09:00-17:00\"}\n"
	    "templates:\n"
	    "  t: {check_period: wrokhours}\n"
	    "commands: {c: [/bin/c]}\n"
	    "hosts:\n"
	    "  h:\n"
	    "    use: t\n"
	    "    services:\n"
	    "      s: {command: c, check_period: 24x8}\n"
	    "      t: {command: c, use: t}\n"
	    "      u: {command: c, check_period: nights}\n");
	put("conf.d/b.yaml",
	    "timeperiods:\n"
	    "  24x7: {all: \"00:00-24:00\"}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

/* ---- timeperiods ------------------------------------------------------ */

START_TEST(timeperiods_are_read_with_their_days_and_exclusions)
{
	struct config *cfg;
	const struct cfg_timeperiod *t, *lunch;
	const struct timeperiod *tp;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  24x7: {all: \"00:00-24:00\"}\n"
	    "  workhours:\n"
	    "    monday: \"09:00-17:00\"\n"
	    "    tuesday: 09:00-12:00, 13:00-17:00\n"
	    "  lunch: {all: \"12:00-13:00\"}\n"
	    "  office:\n"
	    "    all: 08:00-18:00\n"
	    "    saturday: \"\"\n"
	    "    sunday:\n"
	    "    exclude: [lunch, workhours]\n"
	    "  never: {}\n"
	    "  none:\n"
	    "  one: {exclude: lunch}\n");
	cfg = load(0);
	ck_assert_uint_eq(cfg->ntimeperiods, 7);
	ck_assert_str_eq(cfg->timeperiods[0].name, "24x7");
	ck_assert_str_eq(cfg->timeperiods[6].name, "one");
	t = config_find_timeperiod(cfg, "workhours");
	ck_assert_ptr_eq(t, &cfg->timeperiods[1]);
	ck_assert_str_eq(t->mark.file, "conf.d/a.yaml");
	ck_assert_int_eq(t->mark.line, 3);
	ck_assert_int_eq(t->mark.col, 3);
	tp = t->tp;
	ck_assert_uint_eq(tp->days[0].nranges, 0);
	ck_assert_uint_eq(tp->days[1].nranges, 1);
	ck_assert_int_eq(tp->days[1].ranges[0].start, 9 * 60);
	ck_assert_int_eq(tp->days[1].ranges[0].end, 17 * 60);
	ck_assert_uint_eq(tp->days[2].nranges, 2);
	ck_assert_int_eq(tp->days[2].ranges[1].start, 13 * 60);
	ck_assert_uint_eq(tp->days[3].nranges, 0);
	ck_assert_uint_eq(tp->nexclude, 0);
	tp = config_find_timeperiod(cfg, "24x7")->tp;
	ck_assert_uint_eq(tp->days[3].nranges, 1);
	ck_assert_int_eq(tp->days[3].ranges[0].end, 24 * 60);
	lunch = config_find_timeperiod(cfg, "lunch");
	tp = config_find_timeperiod(cfg, "office")->tp;
	ck_assert_uint_eq(tp->days[6].nranges, 0);
	ck_assert_uint_eq(tp->days[0].nranges, 0);
	ck_assert_uint_eq(tp->days[5].nranges, 1);
	ck_assert_uint_eq(tp->nexclude, 2);
	ck_assert_ptr_eq(tp->exclude[0], lunch->tp);
	ck_assert_ptr_eq(tp->exclude[1], t->tp);
	ck_assert_uint_eq(config_find_timeperiod(cfg, "one")->tp->nexclude, 1);
	tp = config_find_timeperiod(cfg, "never")->tp;
	ck_assert_uint_eq(tp->days[1].nranges, 0);
	ck_assert_uint_eq(config_find_timeperiod(cfg, "none")->tp->days[1].nranges,
	    0);
	config_free(cfg);
}
END_TEST

START_TEST(a_day_key_wins_over_all_whatever_the_order)
{
	struct config *cfg;
	const struct timeperiod *tp;
	int d;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  a: {sunday: \"10:00-11:00\", all: \"09:00-17:00\"}\n"
	    "  b: {all: \"09:00-17:00\", sunday: \"10:00-11:00\"}\n");
	cfg = load(0);
	for (d = 0; d < 2; d++) {
		tp = cfg->timeperiods[d].tp;
		ck_assert_uint_eq(tp->days[0].nranges, 1);
		ck_assert_int_eq(tp->days[0].ranges[0].start, 10 * 60);
		ck_assert_int_eq(tp->days[0].ranges[0].end, 11 * 60);
		ck_assert_int_eq(tp->days[6].ranges[0].start, 9 * 60);
		ck_assert_int_eq(tp->days[1].ranges[0].end, 17 * 60);
	}
	config_free(cfg);
}
END_TEST

START_TEST(bad_timeperiods_name_the_place_and_what_is_expected)
{
	static const char *const want[] = {
		"conf.d/a.yaml:3:5: timeperiod \"workhours\": unknown key "
		    "\"mondy\" (did you mean \"monday\"?)",
		"conf.d/a.yaml:4:14: timeperiod \"workhours\": tuesday: "
		    "\"17:00-09:00\" ends before it starts (a range cannot cross "
		    "midnight: write 17:00-24:00 on this day and 00:00-09:00 on "
		    "the next)",
		"conf.d/a.yaml:5:16: timeperiod \"workhours\": wednesday: "
		    "expected a string, got a list",
		"conf.d/a.yaml:6:5: timeperiod \"workhours\": unknown key "
		    "\"excludes\" (did you mean \"exclude\"?)",
		"conf.d/a.yaml:8:5: timeperiod \"workhours\": key \"friday\" is "
		    "given twice (first at conf.d/a.yaml:7:5)",
		"conf.d/a.yaml:9:15: timeperiod \"workhours\": thursday: "
		    "\"9-17\" is not a range (expected HH:MM-HH:MM, e.g. "
		    "09:00-17:00)",
		"conf.d/a.yaml:10:5: timeperiod \"workhours\": unknown key "
		    "\"hours\"",
		"conf.d/a.yaml:11:3: timeperiod \"bad name\": name may not "
		    "contain '/', whitespace or '$'",
		"conf.d/a.yaml:12:9: timeperiod \"list\": expected a map of days "
		    "(monday: \"09:00-17:00\", all: ..., exclude: [...]), got a list",
		"conf.d/a.yaml:14:32: timeperiod \"ex\": exclude: timeperiod "
		    "\"lunch\" is listed twice",
		"conf.d/a.yaml:15:18: timeperiod \"ex2\": exclude: expected a list "
		    "of timeperiod names, got a map",
		"conf.d/b.yaml:1:14: timeperiods: expected a map of timeperiod "
		    "name to days, got a list",
		/* pass 2, once every file is read */
		"conf.d/a.yaml:14:15: timeperiod \"ex\": exclude: timeperiod "
		    "\"lnch\" is not defined (did you mean \"lunch\"?)",
		"conf.d/a.yaml:14:21: timeperiod \"ex\": exclude: a timeperiod "
		    "cannot exclude itself",
	};
	struct config *cfg;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  workhours:\n"
	    "    mondy: \"09:00-17:00\"\n"
	    "    tuesday: \"17:00-09:00\"\n"
	    "    wednesday: [a]\n"
	    "    excludes: [x]\n"
	    "    friday: \"09:00-12:00\"\n"
	    "    friday: \"13:00-14:00\"\n"
	    "    thursday: 9-17\n"
	    "    hours: all\n"
	    "  bad name: {}\n"
	    "  list: [a]\n"
	    "  ex:\n"
	    "    exclude: [lnch, ex, lunch, lunch]\n"
	    "  ex2: {exclude: {a: b}}\n"
	    "  lunch: {all: \"12:00-13:00\"}\n");
	put("conf.d/b.yaml", "timeperiods: [a]\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

START_TEST(a_timeperiod_defined_twice_names_both_places)
{
	struct config *cfg;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  workhours: {monday: \"09:00-17:00\"}\n");
	put("conf.d/b.yaml",
	    "timeperiods:\n"
	    "  24x7: {all: \"00:00-24:00\"}\n"
	    "  workhours: {monday: \"08:00-16:00\", tuesday: \"25:00-26:00\"}\n");
	cfg = load(-1);
	ck_assert_msg(cfg->nerrors == 2, "%s", errors_text(cfg));
	expect_error(cfg, "conf.d/b.yaml:3:3: timeperiod \"workhours\" is "
	    "defined twice (first at conf.d/a.yaml:2:3)");
	/* the second one is still read: its own errors show now */
	expect_error(cfg, "conf.d/b.yaml:3:47: timeperiod \"workhours\": "
	    "tuesday: \"25:00-26:00\": 25:00 is not a time of day (expected "
	    "00:00 to 24:00)");
	/* the first one stands */
	ck_assert_uint_eq(cfg->ntimeperiods, 2);
	ck_assert_int_eq(config_find_timeperiod(cfg, "workhours")->tp->days[1]
	    .ranges[0].start, 9 * 60);
	config_free(cfg);
}
END_TEST

START_TEST(an_exclude_cycle_names_every_timeperiod_with_its_place)
{
	static const char *const want[] = {
		"conf.d/a.yaml:2:3: timeperiod \"a\": excludes form a cycle: a "
		    "(conf.d/a.yaml:2:3) -> b (conf.d/a.yaml:3:3) -> c "
		    "(conf.d/b.yaml:2:3) -> a",
		"conf.d/b.yaml:3:3: timeperiod \"d\": excludes form a cycle: d "
		    "(conf.d/b.yaml:3:3) -> e (conf.d/b.yaml:4:3) -> d",
	};
	struct config *cfg;
	const struct cfg_timeperiod *f;

	put("conf.d/a.yaml",
	    "timeperiods:\n"
	    "  a: {all: \"00:00-24:00\", exclude: b}\n"
	    "  b: {exclude: [c]}\n");
	put("conf.d/b.yaml",
	    "timeperiods:\n"
	    "  c: {exclude: [a]}\n"
	    "  d: {exclude: [e]}\n"
	    "  e: {exclude: [d]}\n"
	    "  f: {all: \"00:00-24:00\", exclude: [a, d]}\n");
	cfg = load(-1);
	expect_errors(cfg, want, N(want));
	/* No cycle is left for timeperiod_contains() to loop on. */
	ck_assert_uint_eq(config_find_timeperiod(cfg, "a")->tp->nexclude, 0);
	ck_assert_uint_eq(config_find_timeperiod(cfg, "e")->tp->nexclude, 0);
	f = config_find_timeperiod(cfg, "f");
	ck_assert_uint_eq(f->tp->nexclude, 2);
	ck_assert_int_eq(timeperiod_contains(f->tp, 0, "UTC"), 0);
	config_free(cfg);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("daemon_settings");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_vigil_yaml_gives_the_documented_defaults);
	tcase_add_test(tc, config_new_alone_has_defaults_and_frees);
	tcase_add_test(tc, every_documented_setting_is_read);
	tcase_add_test(tc, notifier_templates_refuse_unknown_macros_and_bad_numbers);
	tcase_add_test(tc, resource_file_is_kept_for_the_notifier);
	tcase_add_test(tc, relative_paths_are_relative_to_vigil_yaml);
	tcase_add_test(tc, conf_d_is_found_beside_vigil_yaml_from_anywhere);
	tcase_add_test(tc, environment_overrides_the_file);
	tcase_add_test(tc, bad_prefix_from_environment_is_an_error);
	tcase_add_test(tc, vigil_resource_file_is_only_a_fallback);
	tcase_add_test(tc, missing_vigil_yaml_cannot_be_read);
	tcase_add_test(tc, daemon_only_reads_no_objects);
	tcase_add_test(tc, missing_conf_dir_is_an_error);
	tcase_add_test(tc, bad_settings_are_all_reported);
	tcase_add_test(tc, vigil_yaml_must_be_a_map);
	suite_add_tcase(s, tc);

	tc = tcase_create("durations_and_sizes");
	tcase_add_loop_test(tc, duration_table, 0, N(duration_cases));
	tcase_add_loop_test(tc, size_table, 0, N(size_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, duplicate_host_names_both_places);
	tcase_add_test(tc, duplicate_names_in_one_map_are_errors);
	tcase_add_test(tc, duplicate_keys_inside_an_object_are_errors);
	tcase_add_test(tc, duplicate_service_inline_and_standalone_both_places);
	tcase_add_test(tc, unknown_key_suggests_the_nearest_known_key);
	tcase_add_test(tc, keys_of_another_kind_of_object_are_refused);
	tcase_add_test(tc, bad_duration_says_what_is_expected);
	tcase_add_test(tc, missing_command_is_named);
	tcase_add_test(tc, command_definitions_are_checked);
	tcase_add_test(tc, a_broken_command_is_reported_once_not_per_check);
	tcase_add_test(tc, unknown_macro_names_the_check_and_the_argument);
	tcase_add_loop_test(tc, macro_error_table, 0, N(macro_error_cases));
	tcase_add_test(tc, service_macros_are_errors_in_a_host_check);
	tcase_add_test(tc, yaml_syntax_error_gives_the_problem_mark);
	tcase_add_test(tc, syntax_error_in_a_second_document_is_found);
	tcase_add_test(tc, unknown_top_level_keys_name_the_known_ones);
	tcase_add_test(tc, unknown_parent_own_parent_and_parent_loops);
	tcase_add_test(tc, template_cycle_names_the_templates);
	tcase_add_loop_test(tc, group_or_world_readable_resource_file_is_refused,
	    0, N(resource_mode_cases));
	tcase_add_test(tc, resource_file_problems_are_reported);
	tcase_add_test(tc, missing_resource_file_is_reported_once);
	tcase_add_test(tc, all_errors_of_a_file_are_reported);
	tcase_add_test(tc, errors_in_several_files_are_all_reported_in_path_order);
	tcase_add_test(tc, symlinks_in_conf_d_are_followed_once);
	tcase_add_loop_test(tc, wrong_node_types_are_errors_not_crashes, 0,
	    N(type_cases));
	tcase_add_test(tc, empty_files_and_sections_are_fine);
	suite_add_tcase(s, tc);

	tc = tcase_create("templates");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, object_keys_win_over_templates);
	tcase_add_test(tc, first_template_in_use_that_sets_a_key_wins);
	tcase_add_test(tc, use_chains_are_followed_depth_first);
	tcase_add_test(tc, vars_merge_one_by_one_through_templates);
	tcase_add_test(tc, host_keys_come_from_templates_too);
	tcase_add_test(tc, a_template_problem_is_reported_once_at_the_template);
	suite_add_tcase(s, tc);

	tc = tcase_create("services");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inline_and_standalone_services_in_file_order);
	tcase_add_test(tc, the_same_description_on_two_hosts_is_fine);
	suite_add_tcase(s, tc);

	tc = tcase_create("defaults");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults_for_services_and_host_checks);
	tcase_add_test(tc, commands_keep_their_argv_as_written);
	suite_add_tcase(s, tc);

	tc = tcase_create("argv_expansion");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_check_macro_expands);
	tcase_add_test(tc, args_may_hold_other_macros_expanded_once);
	tcase_add_loop_test(tc, hostile_values_stay_one_literal_argument, 0,
	    N(hostile));
	tcase_add_test(tc, hostile_values_in_a_host_check_stay_one_literal_argument);
	tcase_add_test(tc, a_single_dollar_in_an_arg_is_an_error_not_a_command);
	tcase_add_test(tc, many_hosts_and_services_load);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("groups");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, group_keys_are_read_with_their_defaults);
	tcase_add_test(tc, valid_glob_patterns_are_accepted);
	tcase_add_test(tc, hosts_services_and_templates_list_their_groups);
	tcase_add_test(tc, undefined_groups_are_named_where_they_are_listed);
	tcase_add_test(tc, unknown_own_and_twice_listed_parents_are_errors);
	tcase_add_test(tc, a_group_defined_twice_names_both_places);
	tcase_add_test(tc, a_cycle_across_two_files_names_every_group_with_its_place);
	tcase_add_test(tc, each_cycle_is_reported_once_from_its_first_defined_group);
	tcase_add_test(tc, a_diamond_and_a_five_level_tree_are_accepted);
	tcase_add_loop_test(tc, bad_group_values_are_errors, 0, N(group_cases));
	tcase_add_test(tc, a_chain_of_ten_thousand_groups_loads_and_its_cycle_is_named);
	tcase_add_test(tc, past_a_hundred_group_cycles_one_line_counts_the_rest);
	tcase_add_test(tc, a_thousand_groups_with_many_members_load);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("check_keys");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, new_check_keys_default_as_nagios);
	tcase_add_test(tc, every_new_check_key_is_read);
	tcase_add_loop_test(tc, state_names_in_any_case_and_numbers_are_read, 0,
	    N(state_cases));
	tcase_add_test(tc, new_check_keys_come_from_templates);
	tcase_add_loop_test(tc, bad_new_check_key_values_name_the_place, 0,
	    N(new_key_cases));
	tcase_add_test(tc, hosts_and_templates_take_up_and_down_but_not_unreachable);
	tcase_add_test(tc, a_service_given_a_host_state_by_a_template_is_told);
	tcase_add_test(tc, low_flap_threshold_below_high_is_checked_once_per_pair);
	tcase_add_test(tc, quorum_defaults_to_one_and_comes_with_the_pools_from_templates);
	tcase_add_test(tc, quorum_at_most_the_pools_is_checked_once_per_pair);
	tcase_add_test(tc, an_unknown_check_period_is_named_once_with_a_suggestion);
	suite_add_tcase(s, tc);

	tc = tcase_create("timeperiods");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, timeperiods_are_read_with_their_days_and_exclusions);
	tcase_add_test(tc, a_day_key_wins_over_all_whatever_the_order);
	tcase_add_test(tc, bad_timeperiods_name_the_place_and_what_is_expected);
	tcase_add_test(tc, a_timeperiod_defined_twice_names_both_places);
	tcase_add_test(tc, an_exclude_cycle_names_every_timeperiod_with_its_place);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_suite());
}
