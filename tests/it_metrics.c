/*
 * NAME
 *	it_metrics - GET /metrics: the engine's counters and histograms and
 *	what PostgreSQL holds, in Prometheus's text format, moving as checks
 *	run
 * DESCRIPTION
 *	Real PostgreSQL, RabbitMQ, engine, worker and vigil-web. Host h1 has
 *	an active service `tick` (/bin/true every 2 s) and a passive one
 *	`backup`. The text is parsed line by line as Prometheus would (every
 *	sample named by a # TYPE before it, every value a number), and the
 *	counters are read twice, apart.
 * DIAGNOSTICS
 *	A failing test prints the daemons' logs.
 */
#include <check.h>
#include <curl/curl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itutil.h"
#include "tests/testutil.h"
#include "util.h"
#include "web/tokens.h"
#include "webtest.h"
#include "xalloc.h"

#define TOKEN "pr0metheus-reads-it-metrics"
#define WRITE_TOKEN "0ps-wr1tes-it-metrics"

static struct it_env env;
static pid_t engine, worker, web;

static const char conf_d[] =
	"commands:\n"
	"  ok: [/bin/true]\n"
	"hosts:\n"
	"  h1:\n"
	"    services:\n"
	"      tick: {command: ok, interval: 2s}\n"
	"      backup: {command: ok, active: false}\n";

static void
dump_all(void)
{
	it_dump(&env, "engine.log");
	it_dump(&env, "worker.log");
	it_dump(&env, "web.log");
}

static void
setup_all(void)
{
	char *tf, *extra;
	const char *cfg;
	int port;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	it_env_init(&env, "metrics");
	{	/* prometheus reads; ops submits a passive result */
		char hr[65], hw[65], *tokens;

		tokens_hash_hex(TOKEN, hr);
		tokens_hash_hex(WRITE_TOKEN, hw);
		tokens = xasprintf("prometheus read %s\nops write %s\n", hr, hw);
		tf = tu_write_file(env.dir, "tokens", tokens);
		chmod(tf, 0600);
		free(tokens);
	}
	port = it_free_port();
	wt_init(&env, port);
	extra = xasprintf("http: {listen: \"127.0.0.1:%d\", api_token_file: %s}\n"
	    "worker: {concurrency: 4, plugin_user: root, allow_root_plugins: true}\n"
	    "max_check_spread: 1s\n", port, tf);
	cfg = it_write_config(&env, extra, "a.yaml", conf_d);
	worker = it_spawn_ready(&env, "worker.log", "worker/vigil-worker", cfg, "consuming queue=",
	    60);
	engine = it_spawn_ready(&env, "engine.log", "engine/vigil-engine", cfg, "started", 60);
	web = it_spawn(&env, "web.log", "web/vigil-web", (const char *[]){ "-c", cfg, NULL });
	if (it_wait_log(&env, "web.log", "listening on", 30) < 0) {
		dump_all();
		ck_abort_msg("vigil-web did not start");
	}
	free(tf);
	free(extra);
}

static void
teardown_all(void)
{
	pid_t *p[] = { &web, &worker, &engine };	/* it_stop: none is fine */

	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		it_stop(*p[i], SIGTERM, 15);
	it_env_cleanup(&env);
	curl_global_cleanup();
}

static char *
scrape(void)
{
	char *body = NULL;
	long st = wt_http("GET", "/metrics", TOKEN, NULL, 0, &body, NULL);

	ck_assert_msg(st == 200, "GET /metrics: %ld %s", st, body != NULL ? body : "");
	return body;
}

/* The value of the sample "name" or "name{labels}" (exactly), -1 if none. */
static double
value(const char *text, const char *sample)
{
	size_t n = strlen(sample);

	for (const char *p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, sample, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	return -1;
}

/* Every line a comment (# HELP/# TYPE) or a sample of a metric whose
 * # TYPE came before it, its labels well formed and its value a number;
 * the number of samples. */
static int
well_formed(const char *text)
{
	regex_t re;
	regmatch_t m[3];
	char *copy = xstrdup(text), *save = NULL, types[16384] = " ";
	int samples = 0;

	ck_assert_int_eq(regcomp(&re, "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\""
	    "([^\"\\\\]|\\\\.)*\",?)*\\})? (-?[0-9.]+(e[-+]?[0-9]+)?|\\+Inf|NaN)$", REG_EXTENDED), 0);
	ck_assert_msg(text[strlen(text) - 1] == '\n', "the text ends with a newline");
	for (char *l = strtok_r(copy, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
		char name[256], type[32], key[300];

		if (sscanf(l, "# TYPE %255s %31s", name, type) == 2) {
			ck_assert_msg(strcmp(type, "counter") == 0 || strcmp(type, "gauge") == 0 ||
			    strcmp(type, "histogram") == 0, "a type Prometheus knows: %s", l);
			snprintf(key, sizeof(key), "%s ", name);
			ck_assert_msg(strstr(types, key) == NULL, "one # TYPE per metric: %s", l);
			ck_assert_uint_lt(strlen(types) + strlen(key), sizeof(types));
			strcat(types, key);
			continue;
		}
		if (strncmp(l, "# HELP ", 7) == 0)
			continue;
		ck_assert_msg(regexec(&re, l, 3, m, 0) == 0, "a sample line: \"%s\"", l);
		snprintf(name, sizeof(name), "%.*s", (int)(m[1].rm_eo - m[1].rm_so), l + m[1].rm_so);
		/* a histogram's samples: name_bucket, name_sum, name_count */
		for (const char *suffix = NULL, *const *s = (const char *const[]){ "_bucket", "_sum",
		    "_count", NULL }; *s != NULL; s++) {
			size_t nl = strlen(name), sl = strlen(*s);

			suffix = *s;
			if (nl > sl && strcmp(name + nl - sl, suffix) == 0) {
				snprintf(key, sizeof(key), " %.*s ", (int)(nl - sl), name);
				if (strstr(types, key) != NULL)
					name[nl - sl] = '\0';
				break;
			}
		}
		snprintf(key, sizeof(key), " %s ", name);
		ck_assert_msg(strstr(types, key) != NULL, "# TYPE before the sample: %s", l);
		samples++;
	}
	regfree(&re);
	free(copy);
	return samples;
}

/* Wait until sample's value is above was: that value. */
static double
wait_above(const char *sample, double was, double timeout)
{
	double end = util_now() + timeout, v = -1;

	while (util_now() < end) {
		char *t = scrape();

		v = value(t, sample);
		free(t);
		if (v > was)
			return v;
		usleep(250 * 1000);
	}
	dump_all();
	ck_abort_msg("%s stayed at %g (not above %g) for %.0f s", sample, v, was, timeout);
	return v;
}

START_TEST(the_metrics_are_prometheus_text_and_move_as_checks_run)
{
	char *t;
	double jobs, active, lateness, inf, prev = 0;
	int samples;

	/* the engine writes its part every 5 s; tick has run by then */
	wait_above("vigil_engine_results_applied_total{kind=\"active\"}", 0, 60);
	wait_above("vigil_checks{kind=\"service\",state=\"ok\"}", 0, 30);
	/* the pool is known once the engine heard its worker's heartbeats */
	wait_above("vigil_pool_live_workers{pool=\"default\"}", 0, 60);
	t = scrape();
	samples = well_formed(t);
	ck_assert_msg(samples > 60, "%d samples", samples);
	ck_assert_msg(value(t, "vigil_engine_metrics_age_seconds") >= 0 &&
	    value(t, "vigil_engine_metrics_age_seconds") < 60, "%s", t);
	ck_assert_double_eq(value(t, "vigil_engine_checks"), 2);
	ck_assert_double_eq(value(t, "vigil_engine_checks_scheduled"), 1);
	ck_assert_double_eq(value(t, "vigil_checks{kind=\"service\",state=\"ok\"}"), 1);
	ck_assert_double_eq(value(t, "vigil_checks{kind=\"service\",state=\"pending\"}"), 1);
	ck_assert_double_eq(value(t, "vigil_pool_live_workers{pool=\"default\"}"), 1);
	ck_assert_double_eq(value(t, "vigil_pool_state{pool=\"default\",state=\"ok\"}"), 1);
	ck_assert_msg(strstr(t, "vigil_worker_concurrency{pool=\"default\",worker=\"") != NULL &&
	    strstr(t, "\"} 4\n") != NULL, "the worker, concurrency 4: %s", t);
	ck_assert_msg(strstr(t, "vigil_worker_plugins_running{pool=\"default\",worker=\"") != NULL,
	    "%s", t);
	ck_assert_double_ge(value(t, "vigil_engine_broker_connects_total"), 1);
	ck_assert_double_ge(value(t, "vigil_engine_database_connects_total"), 1);
	ck_assert_double_ge(value(t, "vigil_engine_batches_committed_total"), 1);
	ck_assert_double_eq(value(t, "vigil_engine_jobs_orphaned_total"), 0);
	ck_assert_double_eq(value(t, "vigil_engine_messages_parked_total"), 0);
	/* the lateness histogram: cumulative buckets, +Inf is the count */
	lateness = value(t, "vigil_engine_check_lateness_seconds_count");
	ck_assert_double_ge(lateness, 1);
	inf = value(t, "vigil_engine_check_lateness_seconds_bucket{le=\"+Inf\"}");
	ck_assert_double_eq(inf, lateness);
	for (const char *le = strstr(t, "vigil_engine_check_lateness_seconds_bucket{"); le != NULL;
	    le = strstr(le + 1, "vigil_engine_check_lateness_seconds_bucket{")) {
		double v = strtod(strstr(le, "} ") + 2, NULL);

		ck_assert_msg(v >= prev, "cumulative buckets: %g after %g", v, prev);
		prev = v;
	}
	ck_assert_double_ge(value(t, "vigil_engine_batch_commit_seconds_count"), 1);
	jobs = value(t, "vigil_engine_jobs_published_total");
	active = value(t, "vigil_engine_results_applied_total{kind=\"active\"}");
	ck_assert_double_ge(jobs, 1);
	free(t);

	/* they move: tick runs every 2 s; a passive result counts as one */
	wait_above("vigil_engine_jobs_published_total", jobs, 30);
	wait_above("vigil_engine_results_applied_total{kind=\"active\"}", active, 30);
	wt_result("h1/backup", "WARNING", "WARNING - late", WRITE_TOKEN);
	ck_assert_double_eq(wait_above("vigil_engine_results_applied_total{kind=\"passive\"}", 0,
	    30), 1);
	wait_above("vigil_checks{kind=\"service\",state=\"warning\"}", 0, 30);
}
END_TEST

START_TEST(the_metrics_want_a_token)
{
	char *body = NULL;
	int www = 0;

	ck_assert_int_eq(wt_http("GET", "/metrics", NULL, NULL, 0, &body, &www), 401);
	ck_assert_int_eq(www, 1);
	free(body);
	body = NULL;
	ck_assert_int_eq(wt_http("GET", "/metrics", "not-the-token", NULL, 0, &body, NULL), 401);
	free(body);
	body = NULL;
	/* and nothing else lives beside it */
	ck_assert_int_eq(wt_http("GET", "/metrics/x", TOKEN, NULL, 0, &body, NULL), 404);
	free(body);
	body = NULL;
	ck_assert_int_eq(wt_http("POST", "/metrics", TOKEN, "{}", 2, &body, NULL), 404);
	free(body);
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");

	tcase_set_timeout(tc, 240);
	tcase_add_unchecked_fixture(tc, setup_all, teardown_all);
	tcase_add_test(tc, the_metrics_are_prometheus_text_and_move_as_checks_run);
	tcase_add_test(tc, the_metrics_want_a_token);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(metrics_suite());
}
