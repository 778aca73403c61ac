/*
 * NAME
 *	check_config_settings - unit tests of vigil.yaml's settings (lib/config/settings.c)
 * DESCRIPTION
 *	Every setting's default and value, paths relative to vigil.yaml, the
 *	environment overrides, the resource file kept for the notifier,
 *	durations and sizes.
 *	Fixtures: configtest.h (each test writes vigil.yaml and conf.d files
 *	into a fresh directory, runs there and checks what config_load()
 *	built or the exact errors it reported).
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
	ck_assert_ptr_null(cfg->user);
	ck_assert_int_eq(cfg->translate_passive_host_checks, 0);
	ck_assert_ptr_null(cfg->amqp_tls.ca_file);
	ck_assert_ptr_null(cfg->amqp_tls.cert_file);
	ck_assert_int_eq(cfg->amqp_tls.verify_hostname, 1);
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
	    "user: vigil-daemons\n"
	    "translate_passive_host_checks: true\n"
	    "amqp_tls: {ca_file: tls/ca.pem, cert_file: /etc/vigil/c.pem, key_file: /etc/vigil/c.key,"
	    " verify_hostname: false}\n"
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
	ck_assert_str_eq(cfg->user, "vigil-daemons");
	ck_assert_int_eq(cfg->translate_passive_host_checks, 1);
	/* a path, taken relative to vigil.yaml's directory */
	ck_assert_msg(strlen(cfg->amqp_tls.ca_file) >= 10 && strcmp(cfg->amqp_tls.ca_file +
	    strlen(cfg->amqp_tls.ca_file) - 10, "tls/ca.pem") == 0, "%s", cfg->amqp_tls.ca_file);
	ck_assert_str_eq(cfg->amqp_tls.cert_file, "/etc/vigil/c.pem");
	ck_assert_str_eq(cfg->amqp_tls.key_file, "/etc/vigil/c.key");
	ck_assert_int_eq(cfg->amqp_tls.verify_hostname, 0);
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

/* A Nagios resource.cfg is read as it is. */
START_TEST(a_nagios_resource_file_is_read_as_it_is)
{
	struct config *cfg;
	char *res;

	res = tu_write_file(configtest_dir, "resource.cfg",
	    "###########\n"
	    "# Nagios's own comments\n"
	    "\n"
	    "$USER1$=/usr/lib/nagios/plugins\n"
	    "  $USER3$ = pass word=with = signs  \r\n"
	    "#$USER2$=/commented/out\n");
	ck_assert_int_eq(chmod(res, 0600), 0);
	put("vigil.yaml", "resource_file: resource.cfg\nconf_dir: nowhere\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY | CONFIG_RESOURCES, 0);
	ck_assert_str_eq(config_user_macro(cfg, "USER1"), "/usr/lib/nagios/plugins");
	ck_assert_str_eq(config_user_macro(cfg, "USER3"), "pass word=with = signs");
	ck_assert_ptr_null(config_user_macro(cfg, "USER2"));
	config_free(cfg);
	free(res);

	/* what is not $USERn$=value is said at its line */
	res = tu_write_file(configtest_dir, "resource.cfg",
	    "$USER1$=/a\n"
	    "$USER1$=/b\n"
	    "$HOSTNAME$=x\n"
	    "USER4=/c\n");
	ck_assert_int_eq(chmod(res, 0600), 0);
	cfg = load_flags(CONFIG_DAEMON_ONLY | CONFIG_RESOURCES, -1);
	{
		static const char *const want[] = {
			"resource.cfg:2:1: $USER1$ is given twice (first at resource.cfg:1)",
			"resource.cfg:3:1: unknown macro $HOSTNAME$ (expected $USER1$ ... $USER256$)",
			"resource.cfg:4:1: expected $USERn$=value (a Nagios resource file), got USER4=/c",
		};

		expect_errors(cfg, want, 3);
	}
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
	setenv("VIGIL_SCHEMA_DIR", "/src/schema", 1);
	setenv("VIGIL_VIGIL_PLUGIN_DIR", "/src/plugins", 1);
	cfg = load(0);
	unsetenv("VIGIL_SCHEMA_DIR");
	unsetenv("VIGIL_VIGIL_PLUGIN_DIR");
	ck_assert_str_eq(cfg->schema_dir, "/src/schema");
	ck_assert_str_eq(cfg->vigil_plugin_dir, "/src/plugins");
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
		"vigil.yaml:11:16: http.listen: expected a string, got a list",
		"vigil.yaml:11:37: http.anonymous_read: \"maybe\" is not true or false",
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
	    "http: {listen: [x], anonymous_read: maybe}\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, -1);
	expect_errors(cfg, want, N(want));
	config_free(cfg);
}
END_TEST

/* http: HOST:PORT (CONFIG.md's form) or a map with TLS and limits. */
START_TEST(http_is_host_port_or_a_map)
{
	struct config *cfg;

	put("vigil.yaml", "http:\n"
	    "  listen: \"[::1]:8443\"\n"
	    "  tls_cert: tls/cert.pem\n"
	    "  tls_key: /etc/vigil/key.pem\n"
	    "  api_token_file: api.tokens\n"
	    "  anonymous_read: true\n"
	    "  max_body: 1MiB\n"
	    "  max_header: 16KiB\n"
	    "  max_client_requests: 8\n"
	    "  timeout: 10s\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, 0);
	ck_assert_str_eq(cfg->http_listen, "[::1]:8443");
	ck_assert_str_eq(cfg->http.tls_cert, "tls/cert.pem");
	ck_assert_str_eq(cfg->http.tls_key, "/etc/vigil/key.pem");
	ck_assert_str_eq(cfg->api_token_file, "api.tokens");
	ck_assert_int_eq(cfg->http.anonymous_read, 1);
	ck_assert_uint_eq(cfg->http.max_body, 1024 * 1024);
	ck_assert_uint_eq(cfg->http.max_header, 16 * 1024);
	ck_assert_int_eq(cfg->http.max_client_requests, 8);
	ck_assert_int_eq(cfg->http.timeout, 10);
	config_free(cfg);

	put("vigil.yaml", "http: 0.0.0.0:80\n");
	cfg = load_flags(CONFIG_DAEMON_ONLY, 0);
	ck_assert_str_eq(cfg->http_listen, "0.0.0.0:80");
	ck_assert_ptr_null(cfg->http.tls_cert);
	ck_assert_int_eq(cfg->http.anonymous_read, 0);
	ck_assert_uint_eq(cfg->http.max_body, 64 * 1024);
	ck_assert_uint_eq(cfg->http.max_header, 8 * 1024);
	ck_assert_int_eq(cfg->http.max_client_requests, 64);
	ck_assert_int_eq(cfg->http.timeout, 30);
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

static Suite *
config_settings_suite(void)
{
	Suite *s = suite_create("config_settings");
	TCase *tc;

	tc = tcase_create("daemon_settings");
	tcase_add_unchecked_fixture(tc, tcase_setup, tcase_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_vigil_yaml_gives_the_documented_defaults);
	tcase_add_test(tc, config_new_alone_has_defaults_and_frees);
	tcase_add_test(tc, every_documented_setting_is_read);
	tcase_add_test(tc, notifier_templates_refuse_unknown_macros_and_bad_numbers);
	tcase_add_test(tc, resource_file_is_kept_for_the_notifier);
	tcase_add_test(tc, a_nagios_resource_file_is_read_as_it_is);
	tcase_add_test(tc, relative_paths_are_relative_to_vigil_yaml);
	tcase_add_test(tc, conf_d_is_found_beside_vigil_yaml_from_anywhere);
	tcase_add_test(tc, environment_overrides_the_file);
	tcase_add_test(tc, bad_prefix_from_environment_is_an_error);
	tcase_add_test(tc, vigil_resource_file_is_only_a_fallback);
	tcase_add_test(tc, missing_vigil_yaml_cannot_be_read);
	tcase_add_test(tc, daemon_only_reads_no_objects);
	tcase_add_test(tc, missing_conf_dir_is_an_error);
	tcase_add_test(tc, bad_settings_are_all_reported);
	tcase_add_test(tc, http_is_host_port_or_a_map);
	tcase_add_test(tc, vigil_yaml_must_be_a_map);
	suite_add_tcase(s, tc);

	tc = tcase_create("durations_and_sizes");
	tcase_add_loop_test(tc, duration_table, 0, N(duration_cases));
	tcase_add_loop_test(tc, size_table, 0, N(size_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(config_settings_suite());
}
