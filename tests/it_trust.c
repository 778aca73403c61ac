/*
 * NAME
 *	it_trust - the broker is not trusted: forged jobs, results,
 *	heartbeats and commands change nothing, against the real servers
 * DESCRIPTION
 *	Each test publishes what an attacker who can reach the broker would
 *	(no tag, a tag under a guessed key, a tag under a key the receiver
 *	does not hold; and, as a holder of the key, a result for a job the
 *	engine never sent) and asserts that nothing happened: no file a
 *	forged plugin would have made, no state, no worker, no ack; the
 *	daemons log the refusal and carry on, and the real traffic still
 *	flows. Keys rotate with two in the file without a refusal.
 */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <amqp.h>
#include <amqp_tcp_socket.h>

#include "auth.h"
#include "itutil.h"
#include "mqcli.h"
#include "strbuf.h"
#include "tests/testutil.h"
#include "util.h"
#include "xalloc.h"

#define FAST "max_check_spread: 1s\n"
#define FORGED_KEY "test1 1111111111111111111111111111111111111111111111111111111111111111\n"
#define OTHER_KEY "other 2222222222222222222222222222222222222222222222222222222222222222\n"

/* A key file in the test's directory; the path (caller frees). */
static char *
write_key(struct it_env *e, const char *name, const char *content)
{
	char *p = xasprintf("%s/%s", e->dir, name);
	FILE *f = fopen(p, "w");

	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	fclose(f);
	ck_assert_int_eq(chmod(p, 0600), 0);
	return p;
}

static struct auth *
load_key(struct it_env *e, const char *name, const char *content)
{
	char err[512], *p = write_key(e, name, content);
	struct auth *a = auth_load(p, err, sizeof(err));

	ck_assert_msg(a != NULL, "%s", err);
	free(p);
	return a;
}

/* Publish body to the test's exchange `what` with routing key rk,
 * tagged with a (NULL: untagged). */
static void
publish(struct it_env *e, const struct auth *a, const char *what, const char *rk,
    const char *body)
{
	char x[128], err[256];

	snprintf(x, sizeof(x), "%s.%s", e->prefix, what);
	ck_assert_msg(mqcli_publish(e->amqp, a, x, rk, body, strlen(body), 10, err,
	    sizeof(err)) == 0, "publish to %s: %s", x, err);
}

static int
exists(struct it_env *e, const char *name)
{
	char *p = xasprintf("%s/%s", e->dir, name);
	int rc = access(p, F_OK) == 0;

	free(p);
	return rc;
}

static void
wait_log(struct it_env *e, const char *log, const char *text, double timeout)
{
	if (it_wait_log(e, log, text, timeout) < 0) {
		it_dump(e, log);
		ck_abort_msg("%s: no \"%s\" within %.0f s", log, text, timeout);
	}
}

static void
wait_sql(struct it_env *e, const char *sql, const char *want, double timeout)
{
	for (double t = 0; t < timeout; t += 0.1) {
		char *v = it_sql(e, sql);
		int ok = v != NULL && strcmp(v, want) == 0;

		free(v);
		if (ok)
			return;
		usleep(100 * 1000);
	}
	it_dump(e, "engine.log");
	ck_abort_msg("%s: not \"%s\" within %.0f s", sql, want, timeout);
}

/* h1/s, a check of tests/plugins/from_file: its state is what dir/code
 * holds (set_code), its runs are in dir/runs.log. The YAML; caller frees. */
static char *
from_file_check(struct it_env *e)
{
	return xasprintf(
	    "commands:\n"
	    "  ff: {argv: [%s/tests/plugins/from_file, %s/code, %s/runs.log]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      s: {command: [ff], interval: 1h, max_attempts: 1}\n", e->srcdir, e->dir, e->dir);
}

/* The next run of h1/s exits with code: write it, ask for a recheck. */
static void
set_code_and_recheck(struct it_env *e, const char *cfg, const char *code)
{
	char *p = xasprintf("%s/code", e->dir), *out;
	FILE *f = fopen(p, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", code);
	fclose(f);
	free(p);
	ck_assert_msg(it_run(e, "recheck.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "recheck", "h1/s", NULL }, &out) == 0, "%s", out);
	free(out);
}

#define STATE_SQL(host, svc, column) \
	"SELECT s." column "::text FROM check_state s JOIN checks c ON c.id = s.check_id " \
	"JOIN hosts h ON h.id = c.host_id WHERE h.name = '" host "' AND c.service = '" svc "'"

START_TEST(a_forged_job_runs_nothing_and_a_plugin_outside_the_plugin_dirs_is_refused)
{
	struct it_env e;
	const char *cfg;
	struct auth *forged, *other;
	char *evil, *body, *yaml;
	pid_t engine, worker;
	double now;
	FILE *f;

	it_env_init(&e, "forgedjob");
	evil = xasprintf("%s/evil.sh", e.dir);
	f = fopen(evil, "w");
	fprintf(f, "#!/bin/sh\ntouch \"$1\"\necho OK\n");
	fclose(f);
	chmod(evil, 0755);
	yaml = xasprintf(
	    "commands:\n"
	    "  touch: {argv: [/bin/touch, %s/ran-control]}\n"
	    "  evil: {argv: [%s, %s/ran-outside]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      control: {command: [touch], interval: 1h}\n"
	    "      outside: {command: [evil], interval: 1h}\n",
	    e.dir, evil, e.dir);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	/* the worker first: its pool's queue is there for the first job */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	/* The engine's own jobs run, and say so. */
	wait_sql(&e, STATE_SQL("h1", "control", "state"), "0", 30);
	ck_assert(exists(&e, "ran-control"));
	/* Its job with a plugin this worker may not run: refused, and the
	 * check says why. */
	wait_sql(&e, STATE_SQL("h1", "outside", "state"), "3", 30);
	{
		char *out = it_sql(&e, STATE_SQL("h1", "outside", "output"));

		ck_assert_msg(out != NULL && strstr(out, "is outside this worker's plugin directories")
		    != NULL, "output: %s", out != NULL ? out : "(null)");
		free(out);
	}
	ck_assert_msg(!exists(&e, "ran-outside"), "the plugin outside the plugin dirs ran");

	/* Jobs a party with broker access writes: none runs. */
	forged = load_key(&e, "forged.key", FORGED_KEY);
	other = load_key(&e, "other.key", OTHER_KEY);
	now = util_now();
	for (int i = 0; i < 3; i++) {
		const struct auth *a = i == 0 ? NULL : i == 1 ? forged : other;

		body = xasprintf("{\"v\":1,\"job\":\"%032d\",\"check\":1,\"host\":\"h1\","
		    "\"service\":\"control\",\"pool\":\"default\",\"argv\":[\"/bin/touch\","
		    "\"%s/forged-%d\"],\"timeout\":10,\"scheduled\":%.3f,\"deadline\":%.3f}",
		    i + 1, e.dir, i, now, now + 60);
		publish(&e, a, "jobs", "default.1", body);
		free(body);
	}
	wait_log(&e, "worker.log", "job refused reason=\"no authentication tag\"", 15);
	wait_log(&e, "worker.log", "job refused reason=\"authentication tag does not match\"", 15);
	wait_log(&e, "worker.log",
	    "job refused reason=\"tagged with a key this process does not hold\"", 15);
	/* dead-lettered to the engine, which parks them */
	wait_log(&e, "engine.log", "reason=\"no authentication tag\"", 15);
	for (int i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "forged-%d", i);
		ck_assert_msg(!exists(&e, name), "forged job %d ran", i);
	}
	ck_assert_int_eq(kill(engine, 0), 0);
	ck_assert_int_eq(kill(worker, 0), 0);
	auth_free(forged);
	auth_free(other);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	free(evil);
	free(yaml);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_forged_result_changes_nothing_and_real_results_still_land)
{
	struct it_env e;
	const char *cfg;
	struct auth *key, *forged;
	char *yaml, *body, *code;
	pid_t engine, worker;
	double now = util_now();

	it_env_init(&e, "forgedresult");
	yaml = from_file_check(&e);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	/* the worker first: its pool's queue is there for the first job */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "0", 30);

	key = it_auth(&e);	/* what a worker host holds */
	forged = load_key(&e, "forged.key", FORGED_KEY);
	/* untagged; tagged under a guessed key; and, with the real key, a
	 * job id the engine never issued, its scheduled time a day ahead
	 * (it would make every real result look older) */
	for (int i = 0; i < 3; i++) {
		code = it_sql(&e, "SELECT id::text FROM checks WHERE service = 's'");
		ck_assert_ptr_nonnull(code);
		body = xasprintf("{\"v\":1,\"job\":\"%032x\",\"check\":%s,\"host\":\"h1\","
		    "\"service\":\"s\",\"status\":2,\"output\":\"FORGED\",\"start\":%.3f,"
		    "\"end\":%.3f,\"scheduled\":%.3f,\"pool\":\"default\",\"worker\":\"x:1\"}",
		    0xbad0 + i, code, now, now, i == 2 ? now + 86000 : now);
		publish(&e, i == 0 ? NULL : i == 1 ? forged : key, "results", "active", body);
		free(body);
		free(code);
	}
	wait_log(&e, "engine.log", "reason=\"an active result without a worker's tag\"", 15);
	wait_log(&e, "engine.log", "reason=\"authentication tag does not match\"", 15);
	wait_log(&e, "engine.log",
	    "reason=\"job id not issued by the engine for this check and scheduled time\"", 15);
	{
		char *v = it_sql(&e, STATE_SQL("h1", "s", "output"));

		ck_assert_msg(v != NULL && strstr(v, "FORGED") == NULL, "output: %s", v);
		free(v);
	}
	IT_ASSERT_SQL(&e, STATE_SQL("h1", "s", "state"), "0");
	/* The real worker's next result lands (not dropped as "older"). */
	set_code_and_recheck(&e, cfg, "2");
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "2", 30);
	ck_assert_int_eq(kill(engine, 0), 0);
	auth_free(key);
	auth_free(forged);
	free(yaml);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(forged_heartbeats_create_no_worker_and_forged_commands_are_parked)
{
	struct it_env e;
	const char *cfg;
	struct auth *forged;
	char *body;
	pid_t engine, worker;
	double now = util_now();

	it_env_init(&e, "forgedbeat");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  fail: {argv: [/bin/false]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      s: {command: [fail], interval: 1h, max_attempts: 1}\n");
	/* the worker first: its pool's queue is there for the first job */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	/* the real worker is known, its check ran (WARNING: /bin/false) */
	wait_sql(&e, "SELECT count(*)::text FROM workers WHERE pool = 'default'", "1", 30);
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "1", 30);

	forged = load_key(&e, "forged.key", FORGED_KEY);
	for (int i = 0; i < 200; i++) {
		body = xasprintf("{\"v\":1,\"type\":\"worker\",\"pool\":\"evil\",\"host\":\"fake%d\","
		    "\"pid\":%d,\"id\":\"fake%d:%d\",\"concurrency\":64,\"running\":0,"
		    "\"awaiting\":0,\"version\":\"0.1.0\",\"started\":%.3f,\"time\":%.3f}",
		    i, 100 + i, i, 100 + i, now, now);
		publish(&e, i % 2 == 0 ? NULL : forged, "events", "worker.evil", body);
		free(body);
	}
	/* an acknowledgement nobody with the key sent */
	body = xasprintf("{\"v\":1,\"id\":\"%032x\",\"command\":\"ack\",\"time\":%.3f,"
	    "\"host\":\"h1\",\"service\":\"s\",\"author\":\"mallory\",\"comment\":\"forged\"}",
	    0xac, now);
	publish(&e, NULL, "commands", "ack", body);
	free(body);
	wait_log(&e, "engine.log", "heartbeat dropped", 15);
	wait_log(&e, "engine.log", "reason=\"command: no authentication tag\"", 15);
	/* presence is written once a second: two more go by */
	sleep(3);
	IT_ASSERT_SQL(&e, "SELECT count(*)::text FROM workers WHERE pool = 'evil'", "0");
	IT_ASSERT_SQL(&e, "SELECT count(*)::text FROM workers", "1");
	IT_ASSERT_SQL(&e, STATE_SQL("h1", "s", "acknowledged"), "false");
	IT_ASSERT_SQL(&e, "SELECT count(*)::text FROM command_log WHERE author = 'mallory'", "0");
	ck_assert_int_eq(kill(engine, 0), 0);
	auth_free(forged);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* Rotation: the engine signs with the new key while the worker still
 * signs with the old one, each holding both; then the worker drops the
 * old key on a HUP. A worker holding only a key the engine does not use
 * runs nothing. */
START_TEST(keys_rotate_with_two_in_the_file_and_a_worker_without_the_key_runs_nothing)
{
	struct it_env e;
	char *yaml, *ekey, *wkey, *x, *wcfg, *text;
	const char *cfg;
	pid_t engine, worker, stranger;
	FILE *f;
	static const char k1[] =
	    "k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
	static const char k2[] =
	    "k2 f0e0d0c0b0a090807060504030201000ffeeddccbbaa99887766554433221100\n";

	it_env_init(&e, "rotate");
	{
		char *both = xasprintf("%s%s", k2, k1);

		ekey = write_key(&e, "engine.key", both);	/* signs with the new */
		free(both);
		both = xasprintf("%s%s", k1, k2);
		wkey = write_key(&e, "worker.key", both);	/* still with the old */
		free(both);
	}
	yaml = from_file_check(&e);
	/* the worker's vigil.yaml first, then the engine's (same path) */
	x = xasprintf(FAST "auth_key_file: %s\n", wkey);
	cfg = it_write_config(&e, x, "a.yaml", yaml);
	wcfg = xasprintf("%s/worker.yaml", e.dir);
	text = it_read(&e, "vigil.yaml");
	f = fopen(wcfg, "w");
	fputs(text, f);
	fclose(f);
	free(text);
	free(x);
	x = xasprintf(FAST "auth_key_file: %s\n", ekey);
	cfg = it_write_config(&e, x, "a.yaml", yaml);
	free(x);

	/* the worker first: its pool's queue is there for the first job */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", wcfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "0", 30);
	/* step 3 on the worker: only the new key, taken on HUP */
	free(write_key(&e, "worker.key", k2));
	kill(worker, SIGHUP);
	wait_log(&e, "worker.log", "message keys reloaded keys=1 signing=k2", 15);
	set_code_and_recheck(&e, cfg, "1");
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "1", 30);
	it_stop(worker, SIGTERM, 10);

	/* a worker that holds only the old key: the engine's jobs (k2) are
	 * refused, nothing runs */
	free(write_key(&e, "worker.key", k1));
	stranger = it_spawn(&e, "stranger.log", "worker/vigil-worker",
	    (const char *[]){ "-c", wcfg, NULL });
	wait_log(&e, "stranger.log", "consuming", 20);
	set_code_and_recheck(&e, cfg, "2");
	wait_log(&e, "stranger.log",
	    "job refused reason=\"tagged with a key this process does not hold\"", 20);
	/* the engine hears of it (the job comes back rejected): UNKNOWN,
	 * saying so; the plugin did not run */
	wait_sql(&e, STATE_SQL("h1", "s", "output"),
	    "(the job was rejected by a worker in pool default)", 20);
	text = it_read(&e, "runs.log");
	ck_assert_msg(strstr(text, " 2\n") == NULL, "the plugin ran for the stranger: %s", text);
	free(text);
	it_stop(stranger, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	free(ekey);
	free(wkey);
	free(wcfg);
	free(yaml);
	it_env_cleanup(&e);
}
END_TEST

/* As root, a worker runs plugins as worker.plugin_user and refuses to run
 * them as root unless told to. (Not root: there is no one to switch to;
 * the test says so and checks nothing.) */
START_TEST(plugins_run_as_the_plugin_user_and_never_as_root_unless_allowed)
{
	struct it_env e;
	const char *cfg;
	char *out;
	pid_t engine, worker;

	if (geteuid() != 0) {
		fprintf(stderr, "it_trust: not root: the plugin user cannot be tested here\n");
		return;
	}
	it_env_init(&e, "pluginuser");
	cfg = it_write_config(&e, FAST "worker: {plugin_user: root}\n", "a.yaml", "hosts: {}\n");
	ck_assert_int_eq(it_run(&e, "w0.out", "worker/vigil-worker", (const char *[]){ "-c", cfg,
	    NULL }, &out), 1);
	ck_assert_msg(strstr(out, "worker.plugin_user root is root: plugins would run as root")
	    != NULL, "%s", out);
	free(out);
	cfg = it_write_config(&e, FAST "worker: {plugin_user: no-such-user-here}\n", "a.yaml",
	    "hosts: {}\n");
	ck_assert_int_eq(it_run(&e, "w1.out", "worker/vigil-worker", (const char *[]){ "-c", cfg,
	    NULL }, &out), 1);
	ck_assert_msg(strstr(out, "worker.plugin_user no-such-user-here: no such user") != NULL,
	    "%s", out);
	free(out);

	cfg = it_write_config(&e, FAST "worker: {plugin_user: nobody}\n", "a.yaml",
	    "commands:\n"
	    "  id: {argv: [/usr/bin/id]}\n"
	    "  key: {argv: [/bin/cat, $_SERVICEKEY$]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      s: {command: [id], interval: 1h}\n"
	    "      k: {command: [key], interval: 1h, vars: {key: KEYFILE}}\n");
	{
		/* the plugin tries to read the worker's key file */
		char *text = it_read(&e, "conf.d/a.yaml"), *at = strstr(text, "KEYFILE");
		char *fixed;

		*at = '\0';
		fixed = xasprintf("%s%s%s", text, it_key_file(&e), at + strlen("KEYFILE"));
		free(tu_write_file(e.dir, "conf.d/a.yaml", fixed));
		free(fixed);
		free(text);
	}
	ck_assert_int_eq(chmod(e.dir, 0711), 0);
	/* the worker first: its pool's queue is there for the first job */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_log(&e, "worker.log", "plugins run as user=nobody uid=65534", 20);
	wait_sql(&e, STATE_SQL("h1", "s", "output"),
	    "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)", 30);
	/* the key file (root's, 0600) is out of the plugin's reach: cat
	 * fails (exit 1, WARNING) for the file's mode, the directory being
	 * open to pass through */
	wait_sql(&e, STATE_SQL("h1", "k", "state"), "1", 30);
	{
		char *v = it_sql(&e, STATE_SQL("h1", "k", "long_output"));
		char *o = it_sql(&e, STATE_SQL("h1", "k", "output"));

		ck_assert_msg((v != NULL && strstr(v, "Permission denied") != NULL) ||
		    (o != NULL && strstr(o, "Permission denied") != NULL), "output %s / %s", o, v);
		free(v);
		free(o);
	}
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* A process's real, effective, saved and filesystem ids of one kind
 * ("Uid:" or "Gid:") and its groups, from /proc: "1 1 1 1 / 1". */
static char *
proc_ids(pid_t pid)
{
	char path[64], line[256], uid[256] = "", gid[256] = "", groups[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		for (char *p = line; *p != '\0'; p++)
			if (*p == '\t')
				*p = ' ';
		if (strncmp(line, "Uid: ", 5) == 0)
			snprintf(uid, sizeof(uid), "%s", line + 5);
		else if (strncmp(line, "Gid: ", 5) == 0)
			snprintf(gid, sizeof(gid), "%s", line + 5);
		else if (strncmp(line, "Groups:", 7) == 0)
			snprintf(groups, sizeof(groups), "%s", line + 7 + (line[7] == ' '));
	}
	fclose(f);
	for (size_t n = strlen(groups); n > 0 && groups[n - 1] == ' '; n--)
		groups[n - 1] = '\0';
	return xasprintf("uid %s gid %s groups %s", uid, gid, groups);
}

/* Started as root, the engine, the notifier and vigil-web become `user`
 * (here Debian's "daemon", uid 1) and work; the worker stays root and
 * runs plugins as nobody. A missing user, the plugin user, or a key the
 * user could not re-read on HUP are refused at start. */
START_TEST(daemons_started_as_root_run_as_their_user)
{
	struct it_env e;
	const char *cfg;
	char *out, *ids, *extra;
	pid_t engine, worker, notifier, web;
	int port = it_free_port();

	if (geteuid() != 0) {
		fprintf(stderr, "it_trust: not root: the switch to a user cannot be tested here\n");
		return;
	}
	it_env_init(&e, "dropuser");
	ck_assert_int_eq(chmod(e.dir, 0711), 0);
	cfg = it_write_config(&e, FAST "user: no-such-user-here\n", "a.yaml", "hosts: {}\n");
	ck_assert_int_eq(it_run(&e, "e0.out", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL }, &out), 1);
	ck_assert_msg(strstr(out, "user no-such-user-here: no such user") != NULL, "%s", out);
	free(out);
	cfg = it_write_config(&e, FAST "user: nobody\nworker: {plugin_user: nobody}\n", "a.yaml",
	    "hosts: {}\n");
	ck_assert_int_eq(it_run(&e, "e1.out", "notifier/vigil-notifier", (const char *[]){ "-c",
	    cfg, NULL }, &out), 1);
	ck_assert_msg(strstr(out, "user nobody is also worker.plugin_user") != NULL, "%s", out);
	free(out);
	/* the key file is root's (0600): the user could not re-read it */
	extra = xasprintf(FAST "user: daemon\nworker: {plugin_user: nobody}\n"
	    "http: {listen: \"127.0.0.1:%d\"}\n", port);
	cfg = it_write_config(&e, extra, "a.yaml",
	    "commands:\n"
	    "  id: {argv: [/usr/bin/id]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      s: {command: [id], interval: 1h}\n");
	ck_assert_int_eq(it_run(&e, "e2.out", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL }, &out), 1);
	ck_assert_msg(strstr(out, "is not readable by user daemon") != NULL, "%s", out);
	free(out);

	ck_assert_int_eq(chown(it_key_file(&e), 1, 1), 0);
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	notifier = it_spawn(&e, "notifier.log", "notifier/vigil-notifier",
	    (const char *[]){ "-c", cfg, NULL });
	web = it_spawn(&e, "web.log", "web/vigil-web", (const char *[]){ "-c", cfg, NULL });
	wait_log(&e, "engine.log", "running as user daemon uid=1 gid=1", 20);
	wait_log(&e, "notifier.log", "running as user daemon uid=1 gid=1", 20);
	wait_log(&e, "web.log", "running as user daemon uid=1 gid=1", 20);
	/* each for good: real, effective, saved and filesystem ids */
	ids = proc_ids(engine);
	ck_assert_str_eq(ids, "uid 1 1 1 1 gid 1 1 1 1 groups 1");
	free(ids);
	ids = proc_ids(notifier);
	ck_assert_str_eq(ids, "uid 1 1 1 1 gid 1 1 1 1 groups 1");
	free(ids);
	ids = proc_ids(web);
	ck_assert_str_eq(ids, "uid 1 1 1 1 gid 1 1 1 1 groups 1");
	free(ids);
	ids = proc_ids(worker);
	ck_assert_msg(strncmp(ids, "uid 0 0 0 0 gid 0 0 0 0 ", 24) == 0, "worker: %s", ids);
	free(ids);
	/* and they work: a check runs as nobody and lands; a HUP re-reads
	 * the configuration and the key as daemon */
	wait_log(&e, "worker.log", "consuming queue=", 30);
	wait_log(&e, "engine.log", "amqp up", 30);
	ck_assert_msg(it_run(&e, "recheck.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "recheck", "h1/s", NULL }, &out) == 0, "%s", out);
	free(out);
	wait_sql(&e, STATE_SQL("h1", "s", "output"),
	    "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)", 30);
	wait_log(&e, "notifier.log", "consuming queue=", 30);
	wait_log(&e, "web.log", "amqp up", 30);
	ck_assert_int_eq(kill(engine, SIGHUP), 0);
	wait_log(&e, "engine.log", "message keys reloaded", 20);
	wait_log(&e, "engine.log", "reloaded checks=1 kept=1", 20);
	out = it_read(&e, "engine.log");
	ck_assert_msg(strstr(out, "not readable") == NULL && strstr(out, "Permission denied") ==
	    NULL, "engine.log:\n%s", out);
	free(out);
	it_stop(web, SIGTERM, 10);
	it_stop(notifier, SIGTERM, 10);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	free(extra);
	it_env_cleanup(&e);
}
END_TEST

/* A raw AMQP connection as url, channel 1 open (the test fails if the
 * broker cannot be reached or refuses the login). */
static amqp_connection_state_t
raw_connect(const char *url0)
{
	struct amqp_connection_info ci;
	char *url = xstrdup(url0);
	amqp_connection_state_t c = amqp_new_connection();
	amqp_socket_t *s = amqp_tcp_socket_new(c);

	ck_assert_int_eq(amqp_parse_url(url, &ci), AMQP_STATUS_OK);
	if (ci.vhost == NULL || ci.vhost[0] == '\0')
		ci.vhost = "/";
	ck_assert_int_eq(amqp_socket_open(s, ci.host, ci.port), AMQP_STATUS_OK);
	ck_assert_int_eq(amqp_login(c, ci.vhost, 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, ci.user,
	    ci.password).reply_type, AMQP_RESPONSE_NORMAL);
	amqp_channel_open(c, 1);
	ck_assert_int_eq(amqp_get_rpc_reply(c).reply_type, AMQP_RESPONSE_NORMAL);
	free(url);
	return c;
}

static void
raw_close(amqp_connection_state_t c)
{
	amqp_connection_close(c, AMQP_REPLY_SUCCESS);
	amqp_destroy_connection(c);
}

/*
 * Every message published on the broker while it runs: RabbitMQ's
 * firehose (rabbitmqctl trace_on) copies each to amq.rabbitmq.trace,
 * routing key publish.<exchange>; a queue of ours bound to
 * publish.<prefix>.# keeps the test's own.
 */
struct tap {
	amqp_connection_state_t c;
	char queue[128];
};

static int
harness_ctl(const char *what)
{
	const char *h = getenv("VIGIL_HARNESS"), *dir = getenv("VIGIL_HARNESS_DIR");
	char *cmd;
	int rc;

	ck_assert_msg(h != NULL && dir != NULL, "run under scripts/harness (VIGIL_HARNESS)");
	cmd = xasprintf("'%s' rabbitmqctl '%s' %s >/dev/null 2>&1", h, dir, what);
	rc = system(cmd);
	free(cmd);
	return rc;
}

static void
tap_open(struct tap *t, struct it_env *e)
{
	char *key;

	ck_assert_int_eq(harness_ctl("trace_on"), 0);
	t->c = raw_connect(e->amqp);
	snprintf(t->queue, sizeof(t->queue), "%s.tap", e->prefix);
	amqp_queue_declare(t->c, 1, amqp_cstring_bytes(t->queue), 0, 0, 1, 1, amqp_empty_table);
	ck_assert_int_eq(amqp_get_rpc_reply(t->c).reply_type, AMQP_RESPONSE_NORMAL);
	key = xasprintf("publish.%s.#", e->prefix);
	amqp_queue_bind(t->c, 1, amqp_cstring_bytes(t->queue),
	    amqp_cstring_bytes("amq.rabbitmq.trace"), amqp_cstring_bytes(key), amqp_empty_table);
	ck_assert_int_eq(amqp_get_rpc_reply(t->c).reply_type, AMQP_RESPONSE_NORMAL);
	free(key);
}

/* Every body taken so far, concatenated (with the count in *n). */
static char *
tap_drain(struct tap *t, size_t *n)
{
	struct strbuf all = { 0 };

	*n = 0;
	for (;;) {
		amqp_rpc_reply_t r = amqp_basic_get(t->c, 1, amqp_cstring_bytes(t->queue), 1);
		amqp_message_t m;

		ck_assert_int_eq(r.reply_type, AMQP_RESPONSE_NORMAL);
		if (r.reply.id != AMQP_BASIC_GET_OK_METHOD)
			break;
		ck_assert_int_eq(amqp_read_message(t->c, 1, &m, 0).reply_type, AMQP_RESPONSE_NORMAL);
		strbuf_add(&all, m.body.bytes, m.body.len);
		strbuf_adds(&all, "\n");
		amqp_destroy_message(&m);
		(*n)++;
	}
	return all.s != NULL ? all.s : xstrdup("");
}

static void
tap_close(struct tap *t)
{
	amqp_channel_close(t->c, 1, AMQP_REPLY_SUCCESS);
	raw_close(t->c);
	harness_ctl("trace_off");
}

/*
 * $USERn$ stays with the worker: the engine has no resource file at all,
 * the worker fills the value in at run time (the plugin's path through
 * $USER1$ too), and a planted secret is nowhere on the broker, in
 * PostgreSQL or in a log, while the plugin demonstrably got it.
 */
START_TEST(a_user_macro_secret_is_on_the_worker_only)
{
	static const char secret[] = "Planted-s3cret-0f8e2c71";
	struct it_env e;
	const char *cfg;
	char *res, *wcfg, *text, *want, *dump, *cmd;
	struct tap tap;
	size_t n;
	pid_t engine, worker;
	FILE *f;

	it_env_init(&e, "secret");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  sha: {argv: [$USER1$/sha_arg, \"--token=$USER3$\"]}\n"
	    "  missing: {argv: [$USER1$/sha_arg, $USER4$]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      s: {command: [sha], interval: 1h}\n"
	    "      m: {command: [missing], interval: 1h}\n");
	/* the worker's vigil.yaml: the engine's plus its resource file */
	res = xasprintf("%s/resource.yaml", e.dir);
	f = fopen(res, "w");
	fprintf(f, "USER1: %s/tests/plugins\nUSER3: \"%s\"\n", e.srcdir, secret);
	fclose(f);
	chmod(res, 0600);
	text = it_read(&e, "vigil.yaml");
	wcfg = xasprintf("%s/worker.yaml", e.dir);
	f = fopen(wcfg, "w");
	fprintf(f, "%sresource_file: %s\n", text, res);
	fclose(f);
	free(text);

	tap_open(&tap, &e);
	/* the worker first: its pool's queue is there for the first job */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", wcfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	/* the plugin got "--token=<secret>" (its hash says so) */
	{
		char hex[65], *sh = xasprintf("printf %%s '--token=%s' | sha256sum | cut -c1-64", secret);
		FILE *p = popen(sh, "r");

		ck_assert_ptr_nonnull(fgets(hex, sizeof(hex), p));
		pclose(p);
		free(sh);
		want = xasprintf("OK - sha256 %s", hex);
	}
	wait_sql(&e, STATE_SQL("h1", "s", "output"), want, 30);
	/* a $USERn$ the worker has no value for: not run, and said */
	wait_sql(&e, STATE_SQL("h1", "m", "output"),
	    "UNKNOWN: macro $USER4$ is not set in this worker's resource file: not run", 30);
	IT_ASSERT_SQL(&e, "SELECT argv[2] FROM checks WHERE service = 's'", "--token=$USER3$");

	/* nowhere on the broker: every job, result, event of this test */
	dump = tap_drain(&tap, &n);
	ck_assert_msg(n >= 4, "the tap saw %zu messages", n);
	ck_assert_msg(strstr(dump, "--token=$USER3$") != NULL, "no job seen on the tap: %s", dump);
	ck_assert_msg(strstr(dump, secret) == NULL, "the secret went over the broker");
	free(dump);
	tap_close(&tap);
	/* nowhere in PostgreSQL: the whole schema, data and all */
	cmd = xasprintf("pg_dump --no-owner -n '%s' \"$PGDATABASE\" | grep -c '%s'", e.prefix, secret);
	{
		FILE *p = popen(cmd, "r");
		char line[64] = "";

		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_nonnull(fgets(line, sizeof(line), p));
		pclose(p);
		ck_assert_msg(strcmp(line, "0\n") == 0, "the secret is in PostgreSQL: %s", line);
	}
	/* nor in a log */
	text = it_read(&e, "engine.log");
	ck_assert_msg(strstr(text, secret) == NULL, "the secret is in engine.log");
	free(text);
	text = it_read(&e, "worker.log");
	ck_assert_msg(strstr(text, secret) == NULL, "the secret is in worker.log");
	free(text);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	free(cmd);
	free(want);
	free(wcfg);
	free(res);
	it_env_cleanup(&e);
}
END_TEST

/* The URL of role in dir/roles (scripts/broker-roles' output); caller frees. */
static char *
role_url(struct it_env *e, const char *role)
{
	char *text = it_read(e, "roles"), *line, *save = NULL, *url = NULL;
	size_t n = strlen(role);

	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, role, n) == 0 && line[n] == '=')
			url = xstrdup(line + n + 1);
	free(text);
	ck_assert_msg(url != NULL, "no role %s in roles", role);
	return url;
}

/* A raw connection as url: basic.get on queue (or declare it, with
 * declare): the broker's reply code (200 for none), closing on error. */
static int
broker_reply(const char *url, const char *queue, int declare)
{
	amqp_connection_state_t c = raw_connect(url);
	amqp_rpc_reply_t r;
	int code = 200;

	if (declare) {
		amqp_queue_declare(c, 1, amqp_cstring_bytes(queue), 0, 1, 0, 0, amqp_empty_table);
		r = amqp_get_rpc_reply(c);
	} else
		r = amqp_basic_get(c, 1, amqp_cstring_bytes(queue), 0);
	if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION && r.reply.id == AMQP_CHANNEL_CLOSE_METHOD)
		code = ((amqp_channel_close_t *)r.reply.decoded)->reply_code;
	else
		amqp_channel_close(c, 1, AMQP_REPLY_SUCCESS);
	raw_close(c);
	return code;
}

/* Messages ready in queue (a passive declare as url), -1 if none such. */
static int64_t
queue_depth(const char *url, const char *queue)
{
	amqp_connection_state_t c = raw_connect(url);
	amqp_queue_declare_ok_t *ok;
	int64_t n = -1;

	ok = amqp_queue_declare(c, 1, amqp_cstring_bytes(queue), 1, 0, 0, 0, amqp_empty_table);
	if (ok != NULL)
		n = ok->message_count;
	raw_close(c);
	return n;
}

/* Publish as url; the broker's refusal text, or NULL when it took it. */
static char *
publish_as(struct it_env *e, const char *url, const char *what, const char *rk,
    const char *body)
{
	char x[128], err[256];

	snprintf(x, sizeof(x), "%s.%s", e->prefix, what);
	if (mqcli_publish(url, NULL, x, rk, body, strlen(body), 10, err, sizeof(err)) == 0)
		return NULL;
	return xstrdup(err);
}

/* vigilctl submit with the config cfg: its exit status, its output in *out. */
static int
submit_with(struct it_env *e, const char *cfg, char **out)
{
	return it_run(e, "submit.out", "ctl/vigilctl", (const char *[]){ "-c", cfg, "submit",
	    "h1/p", "OK", "over amqps", NULL }, out);
}

/* The config of amqps URL host with amqp_tls (a YAML map's inside), and
 * PostgreSQL over TLS verified against pg_ca (sslmode=verify-full). */
static const char *
tls_config(struct it_env *e, const char *host, const char *tls, const char *pg_ca)
{
	const char *plain = e->amqp, *plain_pg = e->pg, *cfg;
	char *url = xasprintf("amqps://guest:guest@%s:%s/", host, getenv("VIGIL_AMQPS_PORT"));
	char *extra = xasprintf(FAST "amqp_tls: {%s}\n", tls);
	char *pg = xasprintf("host=localhost port=%s dbname=vigil user=vigil sslmode=verify-full "
	    "sslrootcert=%s/%s", getenv("PGPORT"), getenv("VIGIL_TLS_DIR"), pg_ca);

	e->amqp = url;
	e->pg = pg;
	cfg = it_write_config(e, extra, "a.yaml",
	    "commands:\n"
	    "  id: {argv: [/usr/bin/id, -u]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      s: {command: [id], interval: 1h}\n"
	    "      p: {command: [id], active: false}\n");
	e->amqp = plain;
	e->pg = plain_pg;
	free(url);
	free(pg);
	free(extra);
	return cfg;
}

/*
 * amqps:// (the harness's TLS listener, its certificate for "localhost"
 * from a test CA): the engine, a worker and vigilctl work over it with
 * the CA given; the broker is refused when its certificate is not from
 * the CA given (another CA, or the system's), when its name is not the
 * URL's host (unless verify_hostname: false), and a client certificate
 * is presented when given. A daemon refused carries on retrying.
 */
START_TEST(amqps_verifies_the_broker_and_works_end_to_end)
{
	struct it_env e;
	const char *cfg, *tlsdir = getenv("VIGIL_TLS_DIR");
	char *out, *tls;
	pid_t engine, worker;

	ck_assert_msg(tlsdir != NULL && getenv("VIGIL_AMQPS_PORT") != NULL,
	    "run under scripts/harness (VIGIL_TLS_DIR, VIGIL_AMQPS_PORT)");
	it_env_init(&e, "amqps");
	/* the config's URLs, not the harness's (the variables would override
	 * them) */
	unsetenv("VIGIL_AMQP_URL");
	unsetenv("VIGIL_PG");
	tls = xasprintf("ca_file: %s/ca.pem", tlsdir);
	cfg = tls_config(&e, "localhost", tls, "ca.pem");
	free(tls);
	/* the worker first: its pool's queue is there for the first job */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	wait_log(&e, "worker.log", "consuming queue=", 30);
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_log(&e, "engine.log", "amqp up", 30);
	ck_assert_msg(it_run(&e, "recheck.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "recheck", "h1/s", NULL }, &out) == 0, "%s", out);
	free(out);
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "0", 30);
	ck_assert_msg(submit_with(&e, cfg, &out) == 0, "%s", out);
	free(out);
	wait_sql(&e, STATE_SQL("h1", "p", "output"), "over amqps", 30);
	/* the engine's connections to PostgreSQL are TLS too */
	wait_sql(&e, "SELECT (count(*) > 0)::text FROM pg_stat_ssl s JOIN pg_stat_activity a"
	    " ON a.pid = s.pid WHERE s.ssl AND a.datname = 'vigil'", "true", 10);

	/* with a client certificate */
	tls = xasprintf("ca_file: %s/ca.pem, cert_file: %s/client.pem, key_file: %s/client.key",
	    tlsdir, tlsdir, tlsdir);
	ck_assert_msg(submit_with(&e, tls_config(&e, "localhost", tls, "ca.pem"), &out) == 0, "%s",
	    out);
	free(out);
	free(tls);
	/* a certificate without its key: refused at start */
	tls = xasprintf("ca_file: %s/ca.pem, cert_file: %s/client.pem", tlsdir, tlsdir);
	ck_assert_int_eq(submit_with(&e, tls_config(&e, "localhost", tls, "ca.pem"), &out), 1);
	ck_assert_msg(strstr(out, "cert_file and key_file go together") != NULL, "%s", out);
	free(out);
	free(tls);
	/* another CA's, or the system's: the broker is not trusted */
	tls = xasprintf("ca_file: %s/other-ca.pem", tlsdir);
	ck_assert_int_eq(submit_with(&e, tls_config(&e, "localhost", tls, "ca.pem"), &out), 1);
	ck_assert_msg(strstr(out, "SSL") != NULL && strstr(out, "verif") != NULL, "%s", out);
	free(out);
	free(tls);
	ck_assert_int_eq(submit_with(&e, tls_config(&e, "localhost", "", "ca.pem"), &out), 1);
	ck_assert_msg(strstr(out, "SSL") != NULL && strstr(out, "verif") != NULL, "%s", out);
	free(out);
	/* 127.0.0.1 is not the certificate's name ... unless told so */
	tls = xasprintf("ca_file: %s/ca.pem", tlsdir);
	ck_assert_int_eq(submit_with(&e, tls_config(&e, "127.0.0.1", tls, "ca.pem"), &out), 1);
	ck_assert_msg(strstr(out, "hostname verification failed") != NULL, "%s", out);
	free(out);
	free(tls);
	tls = xasprintf("ca_file: %s/ca.pem, verify_hostname: false", tlsdir);
	ck_assert_msg(submit_with(&e, tls_config(&e, "127.0.0.1", tls, "ca.pem"), &out) == 0, "%s",
	    out);
	free(out);
	free(tls);
	/* PostgreSQL's certificate from another CA: refused, said */
	tls = xasprintf("ca_file: %s/ca.pem", tlsdir);
	ck_assert_int_eq(it_run(&e, "status.out", "ctl/vigilctl", (const char *[]){ "-c",
	    tls_config(&e, "localhost", tls, "other-ca.pem"), "status", NULL }, &out), 1);
	ck_assert_msg(strstr(out, "certificate verify failed") != NULL, "%s", out);
	free(out);
	free(tls);
	/* a daemon that cannot trust the broker says why and goes on trying */
	{
		pid_t w2;

		tls = xasprintf("ca_file: %s/other-ca.pem", tlsdir);
		cfg = tls_config(&e, "localhost", tls, "ca.pem");
		free(tls);
		w2 = it_spawn(&e, "worker2.log", "worker/vigil-worker", (const char *[]){ "-c", cfg,
		    NULL });
		wait_log(&e, "worker2.log", "tls=yes reason=\"SSL", 30);
		sleep(1);
		ck_assert_int_eq(kill(w2, 0), 0);
		it_stop(w2, SIGTERM, 10);
	}
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/*
 * Passive results are applied once per id and never deduplicated by time:
 * two in the same second with their own ids both count (a SOFT attempt
 * each); the same id again (a submitter's retry, a broker's redelivery)
 * changes nothing, also after an engine restart, which loads the ids
 * applied from PostgreSQL; a message-id stands in for a missing "id"; a
 * malformed id is parked.
 */
START_TEST(passive_results_are_applied_once_per_id_never_by_time)
{
	struct it_env e;
	const char *cfg;
	char body[512], *why, *log;
	pid_t engine;
	const double t = floor(util_now()) - 5;	/* one second for all */

	it_env_init(&e, "passiveid");
	cfg = it_write_config(&e, FAST, "a.yaml",
	    "commands:\n"
	    "  fail: {argv: [/bin/false]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      p: {command: [fail], active: false, max_attempts: 5}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_log(&e, "engine.log", "amqp up", 30);
#define PASSIVE(id) (snprintf(body, sizeof(body), "{\"v\":1,%s\"host\":\"h1\",\"service\":" \
	"\"p\",\"status\":2,\"output\":\"same second\",\"time\":%.0f}", id, t), body)
	ck_assert_ptr_null(why = publish_as(&e, e.amqp, "results", "passive", PASSIVE("\"id\":\"a1\",")));
	ck_assert_ptr_null(why = publish_as(&e, e.amqp, "results", "passive", PASSIVE("\"id\":\"a2\",")));
	wait_sql(&e, STATE_SQL("h1", "p", "attempt"), "2", 30);
	wait_sql(&e, STATE_SQL("h1", "p", "results_total"), "2", 30);
	/* a retry of a1, and a1 again with another text: nothing */
	ck_assert_ptr_null(why = publish_as(&e, e.amqp, "results", "passive", PASSIVE("\"id\":\"a1\",")));
	/* a third in the same second, its id in the message-id */
	{
		char x[128], err[256];
		struct mqcli *m;

		snprintf(x, sizeof(x), "%s.results", e.prefix);
		ck_assert_ptr_nonnull(m = mqcli_open(e.amqp, 10, err, sizeof(err)));
		ck_assert_int_eq(mqcli_send_id(m, x, "passive", PASSIVE(""), strlen(body), "m3", err,
		    sizeof(err)), 0);
		ck_assert_int_eq(mqcli_send_id(m, x, "passive", PASSIVE(""), strlen(body), "m3", err,
		    sizeof(err)), 0);
		mqcli_close(m);
	}
	wait_sql(&e, STATE_SQL("h1", "p", "attempt"), "3", 30);
	log = it_sql(&e, STATE_SQL("h1", "p", "results_total"));
	ck_assert_str_eq(log, "3");	/* a1's retry, before m3, did not count */
	free(log);
	/* a malformed id: parked, with the reason */
	ck_assert_ptr_null(why = publish_as(&e, e.amqp, "results", "passive",
	    PASSIVE("\"id\":\"has space\",")));
	wait_log(&e, "engine.log", "field \"id\": expected 1 to 128 printable ASCII", 30);
	/* the ids are in PostgreSQL with the batch that applied them */
	wait_sql(&e, "SELECT string_agg(id, ',' ORDER BY batch, ord) FROM passive_seen", "a1,a2,m3", 30);

	/* after a restart: a1 and m3 again are known; a4 is new */
	it_stop(engine, SIGTERM, 15);
	engine = it_spawn(&e, "engine2.log", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL });
	wait_log(&e, "engine2.log", "amqp up", 30);
	ck_assert_ptr_null(why = publish_as(&e, e.amqp, "results", "passive", PASSIVE("\"id\":\"a1\",")));
	ck_assert_ptr_null(why = publish_as(&e, e.amqp, "results", "passive", PASSIVE("\"id\":\"m3\",")));
	ck_assert_ptr_null(why = publish_as(&e, e.amqp, "results", "passive", PASSIVE("\"id\":\"a4\",")));
	wait_sql(&e, STATE_SQL("h1", "p", "attempt"), "4", 30);
	wait_sql(&e, "SELECT count(*)::text FROM passive_seen", "4", 30);
#undef PASSIVE
	/* a1 and m3 before a4 (one queue, in order) did not count */
	log = it_sql(&e, STATE_SQL("h1", "p", "results_total"));
	ck_assert_str_eq(log, "4");
	free(log);
	it_stop(engine, SIGTERM, 15);
	it_env_cleanup(&e);
}
END_TEST

/*
 * Broker roles (scripts/broker-roles): each daemon with its own user works
 * with nothing more; the worker's user cannot publish a command, read
 * another pool's queue or the results, nor send another pool's
 * heartbeat; the submitter's publishes passive results and nothing else.
 * The broker itself refuses, and says so.
 */
START_TEST(each_daemon_works_with_its_broker_role_and_the_broker_refuses_the_rest)
{
	struct it_env e;
	const char *cfg;
	char *cmd, *engine_url, *worker_url, *notifier_url, *web_url, *submit_url, *extra, *why;
	char q[128];
	pid_t engine, worker, notifier, web;
	const char *h = getenv("VIGIL_HARNESS"), *dir = getenv("VIGIL_HARNESS_DIR");

	ck_assert_msg(h != NULL && dir != NULL, "run under scripts/harness (VIGIL_HARNESS)");
	it_env_init(&e, "roles");
	/* each daemon's URL from the config, not the harness's guest login
	 * (the variable would override amqp) */
	unsetenv("VIGIL_AMQP_URL");
	cmd = xasprintf("'%s/scripts/broker-roles' apply --rabbitmqctl \"'%s' rabbitmqctl '%s'\" "
	    "--url '%s' --out '%s/roles' %s default", e.srcdir, h, dir, e.amqp, e.dir, e.prefix);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
	free(cmd);
	engine_url = role_url(&e, "engine");
	worker_url = role_url(&e, "worker-default");
	notifier_url = role_url(&e, "notifier");
	web_url = role_url(&e, "web");
	submit_url = role_url(&e, "submit");

	extra = xasprintf(FAST "worker: {amqp: \"%s\", plugin_user: root, allow_root_plugins: true}\n"
	    "notifier: {amqp: \"%s\"}\nhttp: {listen: \"127.0.0.1:%d\", amqp: \"%s\"}\n",
	    worker_url, notifier_url, it_free_port(), web_url);
	cfg = it_write_config(&e, extra, "a.yaml",
	    "commands:\n"
	    "  fail: {argv: [/bin/false]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    active: false\n"
	    "    services:\n"
	    "      s: {command: [fail], interval: 1h, max_attempts: 1}\n"
	    "      p: {command: [fail], active: false}\n");
	{
		/* the engine's user is the file's amqp */
		char *text = it_read(&e, "vigil.yaml"), *at = strstr(text, "amqp: \""), *end, *fixed;

		ck_assert_ptr_nonnull(at);
		end = strchr(at + 7, '"');
		*at = '\0';
		fixed = xasprintf("%samqp: \"%s%s", text, engine_url, end);
		free(tu_write_file(e.dir, "vigil.yaml", fixed));
		free(fixed);
		free(text);
	}
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_log(&e, "engine.log", "amqp up", 30);
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	notifier = it_spawn(&e, "notifier.log", "notifier/vigil-notifier",
	    (const char *[]){ "-c", cfg, NULL });
	web = it_spawn(&e, "web.log", "web/vigil-web", (const char *[]){ "-c", cfg, NULL });
	/* each works: a check runs end to end, its worker is known, the
	 * notifier consumes, vigil-web hears events. (The check's first run
	 * may come before the worker's queue is there: unroutable, UNKNOWN;
	 * the run asked for once the worker consumes is the one to see.) */
	wait_log(&e, "worker.log", "consuming queue=", 30);
	{
		char *out;

		ck_assert_msg(it_run(&e, "recheck.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
		    "recheck", "h1/s", NULL }, &out) == 0, "%s", out);
		free(out);
	}
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "1", 30);
	wait_sql(&e, "SELECT count(*)::text FROM workers WHERE pool = 'default'", "1", 30);
	wait_log(&e, "notifier.log", "consuming queue=", 30);
	wait_log(&e, "web.log", "amqp up", 30);

	/* the worker's user: no command, no other pool's heartbeat */
	why = publish_as(&e, worker_url, "commands", "ack", "{}");
	ck_assert_msg(why != NULL && strstr(why, "403") != NULL, "worker published a command: %s",
	    why != NULL ? why : "taken");
	free(why);
	why = publish_as(&e, worker_url, "events", "worker.other", "{}");
	ck_assert_msg(why != NULL && strstr(why, "403") != NULL,
	    "worker published another pool's heartbeat: %s", why != NULL ? why : "taken");
	free(why);
	/* nor read another pool's queue, or the results */
	snprintf(q, sizeof(q), "%s.jobs.other", e.prefix);
	ck_assert_int_eq(broker_reply(engine_url, q, 1), 200);
	ck_assert_int_eq(broker_reply(worker_url, q, 0), 403);
	snprintf(q, sizeof(q), "%s.results", e.prefix);
	ck_assert_int_eq(broker_reply(worker_url, q, 0), 403);
	/* nor make a queue of its own to listen in on */
	snprintf(q, sizeof(q), "%s.jobs.spy", e.prefix);
	ck_assert_int_eq(broker_reply(worker_url, q, 1), 403);
	/* the submitter: a passive result, nothing else */
	why = publish_as(&e, submit_url, "results", "passive",
	    "{\"v\":1,\"host\":\"h1\",\"service\":\"p\",\"status\":2,\"output\":\"from the submitter\"}");
	ck_assert_msg(why == NULL, "the submitter's passive result was refused: %s", why);
	wait_sql(&e, STATE_SQL("h1", "p", "output"), "from the submitter", 30);
	why = publish_as(&e, submit_url, "commands", "reload", "{}");
	ck_assert_msg(why != NULL && strstr(why, "403") != NULL, "submitter published a command: %s",
	    why != NULL ? why : "taken");
	free(why);
	/* vigil-web's user may publish commands (what the API sends) */
	why = publish_as(&e, web_url, "commands", "ack", "{}");
	ck_assert_msg(why == NULL, "vigil-web's user was refused a command: %s", why);

	ck_assert_int_eq(kill(engine, 0), 0);
	it_stop(web, SIGTERM, 10);
	it_stop(notifier, SIGTERM, 10);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	/* No secret in any log: the broker passwords, the message key. */
	{
		const char *urls[] = { engine_url, worker_url, notifier_url, web_url, submit_url };
		const char *logs[] = { "engine.log", "worker.log", "notifier.log", "web.log" };
		char secrets[8][256], *key = util_read_file(it_key_file(&e), NULL), *save = NULL;
		size_t ns = 0;

		for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
			const char *u = strstr(urls[i], "://"), *colon, *at;

			ck_assert_ptr_nonnull(u);
			colon = strchr(u + 3, ':');
			at = strchr(u + 3, '@');
			ck_assert_msg(colon != NULL && at != NULL && at > colon + 8, "a password: %s",
			    urls[i]);
			snprintf(secrets[ns++], sizeof(secrets[0]), "%.*s", (int)(at - colon - 1),
			    colon + 1);
		}
		ck_assert_ptr_nonnull(key);
		for (char *w = strtok_r(key, " \t\n", &save); w != NULL; w = strtok_r(NULL, " \t\n",
		    &save))
			if (strlen(w) >= 32 && ns < 8)
				snprintf(secrets[ns++], sizeof(secrets[0]), "%s", w);
		ck_assert_uint_ge(ns, 6);	/* five passwords and the key */
		for (size_t l = 0; l < sizeof(logs) / sizeof(logs[0]); l++) {
			char *text = it_read(&e, logs[l]);

			ck_assert_msg(strlen(text) > 0, "%s is empty", logs[l]);
			for (size_t i = 0; i < ns; i++)
				ck_assert_msg(strstr(text, secrets[i]) == NULL, "a secret (%.4s…) is in %s",
				    secrets[i], logs[l]);
			free(text);
		}
		free(key);
	}
	free(extra);
	free(engine_url);
	free(worker_url);
	free(notifier_url);
	free(web_url);
	free(submit_url);
	it_env_cleanup(&e);
}
END_TEST

/*
 * Hostile sizes and times: a 100 MB passive result is read and parked,
 * never held (max_message_size); a passive result over output_limit is
 * stored cut, with a mark; a downtime ending in the year 10^300 is
 * refused at the command. Other results flow on meanwhile.
 */
START_TEST(hostile_sizes_and_times_are_refused_and_other_results_flow_on)
{
	struct it_env e;
	const char *cfg;
	struct auth *key;
	char *yaml, *big, *body, *v;
	size_t n = 100u * 1024 * 1024;
	pid_t engine, worker;
	double now = util_now();

	it_env_init(&e, "hostile");
	yaml = from_file_check(&e);
	{
		char *more = xasprintf("%s      p: {command: [ff], active: false, max_attempts: 1}\n",
		    yaml);

		free(yaml);
		yaml = more;
	}
	cfg = it_write_config(&e, FAST "worker: {plugin_user: root, allow_root_plugins: true, "
	    "output_limit: 64KiB}\n", "a.yaml", yaml);
	/* the worker first: its pool's queue is there for the first job */
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "0", 30);

	/* 100 MB of passive result */
	big = xmalloc(n + 1);
	memset(big, 'x', n);
	big[n] = '\0';
	{
		static const char head[] = "{\"v\":1,\"host\":\"h1\",\"service\":\"p\",\"status\":2,"
		    "\"output\":\"";

		memcpy(big, head, sizeof(head) - 1);
	}
	memcpy(big + n - 2, "\"}", 2);
	publish(&e, NULL, "results", "passive", big);
	free(big);
	wait_log(&e, "engine.log", "over max_message_size (4194304)", 60);
	v = it_sql(&e, STATE_SQL("h1", "p", "state"));
	ck_assert_msg(v == NULL, "the 100 MB result was applied: state %s", v);

	/* 1 MB of output: stored cut at the limit, marked */
	big = xmalloc(1024 * 1024 + 128);
	n = (size_t)sprintf(big, "{\"v\":1,\"host\":\"h1\",\"service\":\"p\",\"status\":1,"
	    "\"output\":\"");
	memset(big + n, 'y', 1024 * 1024);
	strcpy(big + n + 1024 * 1024, "\"}");
	publish(&e, NULL, "results", "passive", big);
	free(big);
	wait_sql(&e, STATE_SQL("h1", "p", "state"), "1", 30);
	v = it_sql(&e, "SELECT octet_length(s.output)::text || ' ' || octet_length(s.long_output)::text"
	    " || ' ' || (s.long_output LIKE '%(output truncated: the passive result held 1048576 "
	    "bytes, more than worker.output_limit 65536)')::text FROM check_state s "
	    "JOIN checks c ON c.id = s.check_id WHERE c.service = 'p'");
	ck_assert_msg(v != NULL && strcmp(v, "65536 94 true") == 0, "output, mark: %s", v);
	free(v);

	/* 300 perfdata items: the first 256 become series, no more */
	{
		struct strbuf b = { 0 };
		char item[32];

		strbuf_adds(&b, "{\"v\":1,\"host\":\"h1\",\"service\":\"p\",\"status\":0,"
		    "\"output\":\"many |");
		for (int i = 0; i < 300; i++) {
			snprintf(item, sizeof(item), " m%d=%d", i, i);
			strbuf_adds(&b, item);
		}
		strbuf_adds(&b, "\"}");
		publish(&e, NULL, "results", "passive", b.s);
		free(b.s);
	}
	wait_sql(&e, STATE_SQL("h1", "p", "state"), "0", 30);
	wait_sql(&e, "SELECT count(*)::text FROM perfdata p JOIN checks c ON c.id = p.check_id "
	    "WHERE c.service = 'p' AND p.label LIKE 'm%'", "256", 30);

	/* a downtime to the year 10^300, tagged as vigilctl would */
	key = it_auth(&e);
	body = xasprintf("{\"v\":1,\"id\":\"%032x\",\"command\":\"downtime\",\"time\":%.3f,"
	    "\"host\":\"h1\",\"service\":\"s\",\"author\":\"t\",\"comment\":\"forever\","
	    "\"start\":%.3f,\"end\":1e300,\"fixed\":true}", 0xd0, now, now);
	publish(&e, key, "commands", "downtime", body);
	free(body);
	wait_sql(&e, "SELECT ok::text FROM command_log WHERE id = '000000000000000000000000000000d0'",
	    "false", 30);
	IT_ASSERT_SQL(&e, "SELECT count(*)::text FROM downtimes", "0");

	/* and the real results still flow */
	set_code_and_recheck(&e, cfg, "2");
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "2", 30);
	ck_assert_int_eq(kill(engine, 0), 0);
	auth_free(key);
	free(yaml);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

START_TEST(a_daemon_without_a_usable_key_file_refuses_to_start)
{
	struct it_env e;
	const char *cfg;
	char *key, *x, *out;

	it_env_init(&e, "nokey");
	/* (the comment keeps it_write_config from adding the test's key) */
	cfg = it_write_config(&e, "# no auth_key_file: here\n", "a.yaml", "hosts: {}\n");
	ck_assert_int_eq(it_run(&e, "w1.out", "worker/vigil-worker", (const char *[]){ "-c", cfg,
	    NULL }, &out), 1);
	ck_assert_msg(strstr(out, "auth_key_file is not set") != NULL, "%s", out);
	free(out);
	key = write_key(&e, "open.key", OTHER_KEY);
	chmod(key, 0644);
	x = xasprintf("auth_key_file: %s\n", key);
	cfg = it_write_config(&e, x, "a.yaml", "hosts: {}\n");
	ck_assert_int_eq(it_run(&e, "e1.out", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    NULL }, &out), 1);
	ck_assert_msg(strstr(out, "mode 644: a key file must be a file private to its owner") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, "2222222222") == NULL, "the key is in the error: %s", out);
	free(out);
	/* --check-config needs no key */
	ck_assert_int_eq(it_run(&e, "e2.out", "engine/vigil-engine", (const char *[]){ "-c", cfg,
	    "--check-config", NULL }, &out), 0);
	free(out);
	free(key);
	free(x);
	it_env_cleanup(&e);
}
END_TEST

/* The parked queue is bounded (parked.max, the oldest dropped first;
 * parked.ttl): a flood of refused messages cannot fill the broker. */
START_TEST(the_parked_queue_keeps_at_most_parked_max)
{
	struct it_env e;
	const char *cfg;
	char q[128], *body;
	pid_t engine;
	int64_t n = -1;

	it_env_init(&e, "parkedmax");
	cfg = it_write_config(&e, FAST "parked: {max: 5, ttl: 1h}\n", "a.yaml",
	    "commands:\n"
	    "  fail: {argv: [/bin/false]}\n"
	    "hosts:\n"
	    "  h1: {active: false, services: {s: {command: [fail], active: false}}}\n");
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_log(&e, "engine.log", "amqp up", 30);
	for (int i = 0; i < 8; i++) {
		body = xasprintf("{\"v\":1,\"job\":\"%032d\",\"check\":1,\"host\":\"h1\","
		    "\"service\":\"s\",\"status\":2,\"output\":\"parked %d\",\"start\":1,"
		    "\"end\":1,\"scheduled\":1}", i, i);
		publish(&e, NULL, "results", "active", body);
		free(body);
	}
	/* all 8 refused and parked (the engine says so for each) ... */
	for (double t = 0; t < 30; t += 0.2) {
		char *log = it_read(&e, "engine.log");
		int parked = 0;

		for (char *p = log; (p = strstr(p, "message parked")) != NULL; p++)
			parked++;
		free(log);
		if (parked == 8)
			break;
		usleep(200 * 1000);
	}
	/* ... and the queue holds the newest 5 (dead-lettering is quick, not
	 * instant: a moment for the last) */
	snprintf(q, sizeof(q), "%s.parked", e.prefix);
	for (double t = 0; t < 10 && n != 5; t += 0.2) {
		n = queue_depth(e.amqp, q);
		if (n != 5)
			usleep(200 * 1000);
	}
	ck_assert_msg(n == 5, "the parked queue holds %lld, want 5", (long long)n);
	ck_assert_int_eq(kill(engine, 0), 0);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/*
 * A hostile reload: a chain of 100,000 templates, then YAML nested
 * 100,000 deep. Each is parsed off the loop and refused with its reason;
 * the engine keeps running the old config, and results flow meanwhile.
 * Reloads asked for while one runs are coalesced: each request gets a
 * verdict.
 */
START_TEST(a_hostile_reload_leaves_the_old_config_running)
{
	struct it_env e;
	const char *cfg;
	struct strbuf b = { 0 };
	struct auth *key;
	char *yaml, *out, line[96];
	pid_t engine, worker;

	it_env_init(&e, "hostilereload");
	yaml = from_file_check(&e);
	cfg = it_write_config(&e, FAST, "a.yaml", yaml);
	worker = it_spawn(&e, "worker.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	engine = it_spawn(&e, "engine.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "0", 30);

	strbuf_adds(&b, "templates:\n  t1: {interval: 1m}\n");
	for (int i = 2; i <= 100000; i++) {
		snprintf(line, sizeof(line), "  t%d: {use: [t%d]}\n", i, i - 1);
		strbuf_adds(&b, line);
	}
	strbuf_adds(&b, "hosts:\n  h2: {check: ff, use: [t100000]}\n");
	free(tu_write_file(e.dir, "conf.d/b.yaml", b.s));
	free(b.s);
	ck_assert_int_eq(it_run(&e, "reload1.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "reload", NULL }, &out), 1);
	ck_assert_msg(strstr(out, "use: templates chained more than 64 deep") != NULL, "%s", out);
	free(out);
	IT_ASSERT_SQL(&e, "SELECT count(*)::text FROM hosts WHERE name = 'h2'", "0");
	/* results flow: the old config runs */
	set_code_and_recheck(&e, cfg, "1");
	wait_sql(&e, STATE_SQL("h1", "s", "state"), "1", 30);

	memset(&b, 0, sizeof(b));
	strbuf_adds(&b, "hosts:\n  h2:\n    vars: {x: ");
	for (int i = 0; i < 100000; i++)
		strbuf_add(&b, "[", 1);
	for (int i = 0; i < 100000; i++)
		strbuf_add(&b, "]", 1);
	strbuf_adds(&b, "}\n");
	free(tu_write_file(e.dir, "conf.d/b.yaml", b.s));
	free(b.s);
	ck_assert_int_eq(it_run(&e, "reload2.out", "ctl/vigilctl", (const char *[]){ "-c", cfg,
	    "reload", NULL }, &out), 1);
	ck_assert_msg(strstr(out, "YAML nested more than 64 levels deep") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(kill(engine, 0), 0);

	/* three at once, valid (20,000 hosts: a reload that takes a while):
	 * one runs, the last follows it, the one in between is covered by
	 * it; each has its verdict */
	memset(&b, 0, sizeof(b));
	strbuf_adds(&b, "hosts:\n");
	for (int i = 2; i <= 20001; i++) {
		snprintf(line, sizeof(line), "  h%d: {check: ff, active: false}\n", i);
		strbuf_adds(&b, line);
	}
	free(tu_write_file(e.dir, "conf.d/b.yaml", b.s));
	free(b.s);
	key = it_auth(&e);
	{
		char x[128], err[256];
		struct mqcli *mq = mqcli_open(e.amqp, 10, err, sizeof(err));

		ck_assert_msg(mq != NULL, "%s", err);
		mqcli_set_auth(mq, key);
		snprintf(x, sizeof(x), "%s.commands", e.prefix);
		for (int i = 0; i < 3; i++) {
			char *body = xasprintf("{\"v\":1,\"id\":\"%032x\",\"command\":\"reload\","
			    "\"time\":%.3f}", 0xe0 + i, util_now());

			ck_assert_msg(mqcli_send(mq, x, "reload", body, strlen(body), err,
			    sizeof(err)) == 0, "%s", err);
			free(body);
		}
		mqcli_close(mq);
	}
	auth_free(key);
	wait_sql(&e, "SELECT count(*)::text FROM command_log WHERE command = 'reload' AND "
	    "id LIKE '%0e_' AND ok", "3", 60);
	wait_log(&e, "engine.log", "it follows that one", 5);
	IT_ASSERT_SQL(&e, "SELECT count(*)::text FROM command_log WHERE id LIKE '%0e_' AND "
	    "message LIKE 'coalesced%'", "1");
	wait_sql(&e, "SELECT count(*)::text FROM hosts WHERE name = 'h20001'", "1", 30);
	ck_assert_int_eq(kill(engine, 0), 0);
	free(yaml);
	it_stop(worker, SIGTERM, 10);
	it_stop(engine, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

/* vigilctl refuses text that is not UTF-8, whatever the command, clearly
 * and before anything is sent. */
START_TEST(vigilctl_refuses_text_that_is_not_utf8)
{
	static const char *const cases[][7] = {
		{ "submit", "h1/s", "OK", "\xff\xfe output", NULL },
		{ "ack", "h1/s", "-m", "caf\xe9", NULL },
		{ "--url", "http://127.0.0.1:1", "downtime", "h\xc3", "--for", "1h", NULL },
		{ "status", "--host", "\xed\xa0\x80", NULL },	/* a surrogate */
	};
	struct it_env e;

	it_env_init(&e, "utf8");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out;

		ck_assert_int_eq(it_run(&e, "ctl.out", "ctl/vigilctl", cases[i], &out), 2);
		ck_assert_msg(strstr(out, "is not valid UTF-8: refused") != NULL, "case %zu: %s", i, out);
		free(out);
	}
	it_env_cleanup(&e);
}
END_TEST

static Suite *
trust_suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("forgeries");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_forged_job_runs_nothing_and_a_plugin_outside_the_plugin_dirs_is_refused);
	tcase_add_test(tc, a_forged_result_changes_nothing_and_real_results_still_land);
	tcase_add_test(tc, forged_heartbeats_create_no_worker_and_forged_commands_are_parked);
	tcase_add_test(tc, keys_rotate_with_two_in_the_file_and_a_worker_without_the_key_runs_nothing);
	tcase_add_test(tc, a_daemon_without_a_usable_key_file_refuses_to_start);
	tcase_add_test(tc, plugins_run_as_the_plugin_user_and_never_as_root_unless_allowed);
	tcase_add_test(tc, daemons_started_as_root_run_as_their_user);
	tcase_add_test(tc, a_user_macro_secret_is_on_the_worker_only);
	tcase_add_test(tc, each_daemon_works_with_its_broker_role_and_the_broker_refuses_the_rest);
	tcase_add_test(tc, hostile_sizes_and_times_are_refused_and_other_results_flow_on);
	tcase_add_test(tc, passive_results_are_applied_once_per_id_never_by_time);
	tcase_add_test(tc, amqps_verifies_the_broker_and_works_end_to_end);
	tcase_add_test(tc, vigilctl_refuses_text_that_is_not_utf8);
	tcase_add_test(tc, the_parked_queue_keeps_at_most_parked_max);
	tcase_add_test(tc, a_hostile_reload_leaves_the_old_config_running);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(trust_suite());
}
