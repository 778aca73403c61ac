/*
 * NAME
 *	check_runner - unit tests for the worker's plugin runner
 * DESCRIPTION
 *	Runs the small shell plugins in tests/plugins (found through
 *	VIGIL_TOP_SRCDIR, else TOP_SRCDIR, else ".") through runner_start() on
 *	the default libev loop and asserts what a check would see: exit code,
 *	signal, output, truncation, timeout, exec errors, and that no process
 *	is left behind. Each test runs the loop itself until its runs are done.
 *
 *	The test process makes itself a child subreaper, so that grandchildren
 *	orphaned by a plugin are reparented to it and reaped by libev (which
 *	reaps every child): "the process is gone" is then kill(pid, 0) failing
 *	with ESRCH, whatever init the machine runs.
 * DIAGNOSTICS
 *	Check's usual report; exit status 1 if any test failed.
 */
#include "runner.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <unistd.h>

#include <ev.h>
#include "tests/testutil.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

/* Generous: sanitizers and valgrind make fork and exec slow. */
#define SLACK	2.0

struct outcome {
	int called;
	struct runner_result res;	/* out and err point to our copies */
	double done_at;
};

static struct ev_loop *loop;
static int ndone;		/* done() calls since setup, all runs */
static char tmpdir[64];
static char plugin[4096];

static double
now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static char *
memdup0(const char *p, size_t n)
{
	char *q = malloc(n + 1);

	ck_assert_ptr_nonnull(q);
	memcpy(q, p, n);
	q[n] = '\0';
	return q;
}

/* Path of a test plugin, in a static buffer. */
static const char *
plugin_path(const char *name)
{
	const char *top = getenv("VIGIL_TOP_SRCDIR");

	if (top == NULL || *top == '\0')
		top = TOP_SRCDIR;
	snprintf(plugin, sizeof plugin, "%s/tests/plugins/%s", top, name);
	return plugin;
}

static void
on_done(struct run *run, const struct runner_result *res, void *arg)
{
	struct outcome *o = arg;

	o->called++;
	ndone++;
	o->done_at = now();
	o->res = *res;
	o->res.out = memdup0(res->out, res->outlen);
	o->res.err = memdup0(res->err, res->errlen);
	/* The runner promises NUL-terminated buffers. */
	ck_assert_int_eq(res->out[res->outlen], '\0');
	ck_assert_int_eq(res->err[res->errlen], '\0');
}

static void
outcome_free(struct outcome *o)
{
	free(o->res.out);
	free(o->res.err);
	memset(o, 0, sizeof *o);
}

static void
on_guard(struct ev_loop *l, ev_timer *w, int revents)
{
	*(int *)w->data = 1;
}

/* Run the loop until *count reaches want, failing after limit seconds. */
static void
loop_until(const int *count, int want, double limit)
{
	ev_timer guard;
	int expired = 0;

	ev_timer_init(&guard, on_guard, limit, 0.);
	guard.data = &expired;
	ev_now_update(loop);
	ev_timer_start(loop, &guard);
	while (*count < want && !expired)
		ev_run(loop, EVRUN_ONCE);
	ev_timer_stop(loop, &guard);
	ck_assert_msg(!expired, "only %d of %d runs done after %.0f s", *count, want, limit);
}

static struct run *
start(char *const argv[], const struct runner_opts *opts, struct outcome *o)
{
	char err[256] = "";
	struct run *run;

	run = runner_start(loop, argv, opts, on_done, o, err, sizeof err);
	ck_assert_msg(run != NULL, "runner_start: %s", err);
	/* done() comes from the loop, never from inside runner_start(). */
	ck_assert_int_eq(o->called, 0);
	return run;
}

static void
run_once(char *const argv[], const struct runner_opts *opts, struct outcome *o, double limit)
{
	start(argv, opts, o);
	loop_until(&o->called, 1, limit);
	ck_assert_int_eq(o->called, 1);
	ck_assert_uint_eq(runner_active(), 0);
}

/* Wait (running the loop, which reaps orphans we inherited) until pid is
 * gone; returns 1 if it went within limit seconds. */
static int
process_gone(pid_t pid, double limit)
{
	double until = now() + limit;

	for (;;) {
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return 1;
		if (now() > until)
			return 0;
		ev_run(loop, EVRUN_NOWAIT);
		usleep(10000);
	}
}

/* Read the pid a plugin recorded, waiting up to limit seconds for it. */
static pid_t
read_pidfile(const char *path, double limit)
{
	double until = now() + limit;
	FILE *f;
	long pid;

	for (;;) {
		f = fopen(path, "r");
		if (f != NULL) {
			if (fscanf(f, "%ld", &pid) == 1) {
				fclose(f);
				return (pid_t)pid;
			}
			fclose(f);
		}
		ck_assert_msg(now() < until, "%s never appeared", path);
		ev_run(loop, EVRUN_NOWAIT);
		usleep(10000);
	}
}

static void
pidfile_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static void
setup(void)
{
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	loop = EV_DEFAULT;
	ndone = 0;
	snprintf(tmpdir, sizeof tmpdir, "%s", "/tmp/check_runner.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Not run after a failed test (Check skips it): a failing test may leave
 * its directory behind, which helps finding out why. */
static void
teardown(void)
{
	char path[sizeof tmpdir + 256];
	struct dirent *de;
	DIR *d;

	d = opendir(tmpdir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(tmpdir);
}

/* exit codes */

static const int exit_codes[] = { 0, 1, 2, 3, 42 };

START_TEST(exit_code_is_captured_with_stdout_and_stderr)
{
	int code = exit_codes[_i];
	char c[16], out[32], err[32], want[40];
	char *argv[] = { (char *)plugin_path("exit_with"), c, out, err, NULL };
	struct runner_opts opts = { .timeout = 10 };
	struct outcome o = { 0 };

	snprintf(c, sizeof c, "%d", code);
	snprintf(out, sizeof out, "OUT %d | t=%d", code, code);
	snprintf(err, sizeof err, "ERR %d", code);
	run_once(argv, &opts, &o, 10);
	ck_assert_msg(o.res.exited == 1, "exit %d: not exited", code);
	ck_assert_int_eq(o.res.exit_code, code);
	ck_assert_int_eq(o.res.signo, 0);
	ck_assert_int_eq(o.res.timed_out, 0);
	ck_assert_int_eq(o.res.exec_errno, 0);
	snprintf(want, sizeof want, "%s\n", out);
	ck_assert_str_eq(o.res.out, want);
	ck_assert_uint_eq(o.res.outlen, strlen(want));
	snprintf(want, sizeof want, "%s\n", err);
	ck_assert_str_eq(o.res.err, want);
	ck_assert_int_eq(o.res.out_truncated, 0);
	ck_assert_int_eq(o.res.err_truncated, 0);
	ck_assert_int_gt(o.res.pid, 0);
	ck_assert(o.res.start > 1e9);
	ck_assert(o.res.end >= o.res.start);
	ck_assert(o.res.end - o.res.start < 10);
	outcome_free(&o);
}
END_TEST

START_TEST(plugin_without_output_gives_empty_strings)
{
	char *argv[] = { (char *)plugin_path("exit_with"), "0", NULL };
	struct outcome o = { 0 };

	run_once(argv, NULL, &o, 10);
	ck_assert_int_eq(o.res.exited, 1);
	ck_assert_int_eq(o.res.exit_code, 0);
	ck_assert_str_eq(o.res.out, "");
	ck_assert_uint_eq(o.res.outlen, 0);
	ck_assert_str_eq(o.res.err, "");
	ck_assert_uint_eq(o.res.errlen, 0);
	outcome_free(&o);
}
END_TEST

/* signals */

static const int death_signals[] = { SIGTERM, SIGKILL, SIGHUP, SIGUSR1 };

START_TEST(death_by_signal_is_reported)
{
	int sig = death_signals[_i];
	char name[16];
	char *argv[] = { (char *)plugin_path("killself"), name, NULL };
	struct outcome o = { 0 };

	snprintf(name, sizeof name, "%s", sigabbrev_np(sig));
	run_once(argv, NULL, &o, 10);
	ck_assert_msg(o.res.exited == 0, "SIG%s: exited %d, out \"%s\"",
	    name, o.res.exit_code, o.res.out);
	ck_assert_int_eq(o.res.signo, sig);
	ck_assert_int_eq(o.res.timed_out, 0);
	ck_assert_int_eq(o.res.exec_errno, 0);
	outcome_free(&o);
}
END_TEST

START_TEST(signals_ignored_or_blocked_by_the_worker_are_default_in_the_plugin)
{
	char *term[] = { (char *)plugin_path("killself"), "TERM", NULL };
	char *hup[] = { (char *)plugin_path("killself"), "HUP", NULL };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigset_t block, oldmask;
	struct outcome o = { 0 };

	/* A daemon typically ignores SIGPIPE and may block others. */
	sigaction(SIGTERM, &ign, &old);
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &oldmask);

	run_once(term, NULL, &o, 10);
	ck_assert_msg(o.res.signo == SIGTERM, "TERM: signo %d, out \"%s\"", o.res.signo, o.res.out);
	outcome_free(&o);
	run_once(hup, NULL, &o, 10);
	ck_assert_msg(o.res.signo == SIGHUP, "HUP: signo %d, out \"%s\"", o.res.signo, o.res.out);
	outcome_free(&o);

	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(SIGTERM, &old, NULL);
}
END_TEST

/* The value of a "SigXxx:\t<hex>" line in /proc/PID/status text. */
static unsigned long long
status_mask(const char *status, const char *field)
{
	const char *p = strstr(status, field);

	ck_assert_msg(p != NULL, "no %s in /proc status", field);
	return strtoull(p + strlen(field), NULL, 16);
}

START_TEST(plugin_starts_with_an_empty_signal_mask_and_nothing_ignored)
{
	/* Not a shell plugin: dash clears its mask itself. cat reads its
	 * own status, as inherited through execve(). */
	char *argv[] = { "/bin/cat", "/proc/self/status", NULL };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_term, old_pipe;
	sigset_t block, oldmask;
	struct outcome o = { 0 };

	sigaction(SIGTERM, &ign, &old_term);
	sigaction(SIGPIPE, &ign, &old_pipe);
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &oldmask);

	run_once(argv, NULL, &o, 10);
	ck_assert_int_eq(o.res.exit_code, 0);
	ck_assert_msg(status_mask(o.res.out, "\nSigBlk:") == 0, "blocked: %s", o.res.out);
	/* Signals 32..SIGRTMIN-1 are glibc's own (thread cancellation,
	 * setxid): libc refuses to touch them, so whatever the worker's
	 * launcher left there is out of the runner's reach. */
	{
		unsigned long long reserved = 0;

		for (int sig = 32; sig < SIGRTMIN; sig++)
			reserved |= 1ULL << (sig - 1);
		ck_assert_msg((status_mask(o.res.out, "\nSigIgn:") & ~reserved) == 0,
		    "ignored: %s", o.res.out);
	}
	outcome_free(&o);

	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}
END_TEST

/* exec failures */

static const struct {
	const char *path;
	int err;
} bad_paths[] = {
	{ "/nonexistent/vigil/check_nothing", ENOENT },
	{ "/dev/null", EACCES },
	{ "/", EACCES },
};

START_TEST(unexecutable_path_completes_with_exec_errno_and_127)
{
	char *argv[] = { (char *)bad_paths[_i].path, "-H", "x", NULL };
	struct outcome o = { 0 };

	run_once(argv, NULL, &o, 10);
	ck_assert_msg(o.res.exec_errno == bad_paths[_i].err, "%s: exec_errno %d (%s)",
	    bad_paths[_i].path, o.res.exec_errno, strerror(o.res.exec_errno));
	ck_assert_int_eq(o.res.exited, 1);
	ck_assert_int_eq(o.res.exit_code, 127);
	ck_assert_uint_eq(o.res.outlen, 0);
	ck_assert_uint_eq(o.res.errlen, 0);
	outcome_free(&o);
}
END_TEST

START_TEST(plugin_path_is_not_searched_in_path)
{
	char *argv[] = { "true", NULL };
	struct outcome o = { 0 };

	run_once(argv, NULL, &o, 10);
	ck_assert_int_eq(o.res.exec_errno, ENOENT);
	ck_assert_int_eq(o.res.exit_code, 127);
	outcome_free(&o);
}
END_TEST

/* arguments, environment, descriptors */

START_TEST(hostile_arguments_reach_the_plugin_literally)
{
	char *argv[] = { (char *)plugin_path("echo_args"),
	    "a;b", "$(id)", "`id`", "it's \"quoted\"", "two words",
	    "line1\nline2", "", "*", "$HOME", "| x", NULL };
	const char *want = "[a;b]\n[$(id)]\n[`id`]\n[it's \"quoted\"]\n"
	    "[two words]\n[line1\nline2]\n[]\n[*]\n[$HOME]\n[| x]\n";
	struct outcome o = { 0 };

	run_once(argv, NULL, &o, 10);
	ck_assert_int_eq(o.res.exit_code, 0);
	ck_assert_str_eq(o.res.out, want);
	outcome_free(&o);
}
END_TEST

START_TEST(plugin_gets_a_minimal_environment_by_default)
{
	char *argv[] = { "/usr/bin/env", NULL };
	struct outcome o = { 0 };

	setenv("VIGIL_SECRET_TEST", "leak", 1);
	run_once(argv, NULL, &o, 10);
	ck_assert_int_eq(o.res.exit_code, 0);
	ck_assert_str_eq(o.res.out, "PATH=/usr/local/bin:/usr/bin:/bin\nLANG=C\n");
	outcome_free(&o);
	unsetenv("VIGIL_SECRET_TEST");
}
END_TEST

/* The child takes the ids it is given (as root: nobody's, 65534, with no
 * supplementary group; otherwise its own, the only ones it may take) and
 * "/" as its directory; the runner's process keeps its own. */
START_TEST(with_set_ids_the_plugin_runs_as_the_given_user_in_the_root_directory)
{
	char *argv[] = { "/bin/sh", "-c", "echo $(id -u) $(id -g) $(id -G) $(pwd)", NULL };
	gid_t none[1] = { 0 };
	int root = geteuid() == 0;
	struct runner_opts opts = { .set_ids = 1, .uid = root ? 65534 : geteuid(),
	    .gid = root ? 65534 : getegid(), .groups = none, .ngroups = 0 };
	struct outcome o = { 0 };
	char want[128];
	uid_t before = geteuid();

	if (!root) {
		/* an unprivileged caller can drop its groups only to what it
		 * has: keep them */
		static gid_t mine[256];
		int n = getgroups(256, mine);

		ck_assert_int_ge(n, 0);
		opts.groups = mine;
		opts.ngroups = (size_t)n;
	}
	run_once(argv, &opts, &o, 10);
	ck_assert_msg(o.res.exit_code == 0, "exit %d errno %d: %s", o.res.exit_code,
	    o.res.exec_errno, o.res.err);
	if (root)
		snprintf(want, sizeof(want), "65534 65534 65534 /\n");
	else
		snprintf(want, sizeof(want), "%d %d ", (int)geteuid(), (int)getegid());
	ck_assert_msg(strncmp(o.res.out, want, strlen(want)) == 0, "got \"%s\", want \"%s\"",
	    o.res.out, want);
	ck_assert_msg(strstr(o.res.out, " /\n") != NULL, "not in /: %s", o.res.out);
	ck_assert_int_eq(geteuid(), before);	/* the parent's threads are untouched */
	outcome_free(&o);
}
END_TEST

START_TEST(plugin_gets_exactly_the_environment_given)
{
	char *argv[] = { "/usr/bin/env", NULL };
	char *envp[] = { "A=1", "NAGIOS_HOSTNAME=web-01", NULL };
	struct runner_opts opts = { .envp = envp };
	struct outcome o = { 0 };

	run_once(argv, &opts, &o, 10);
	ck_assert_str_eq(o.res.out, "A=1\nNAGIOS_HOSTNAME=web-01\n");
	outcome_free(&o);
}
END_TEST

START_TEST(plugin_gets_the_minimal_environment_plus_what_is_added)
{
	char *argv[] = { "/usr/bin/env", NULL };
	char *add[] = { "VIGIL_POOL=eu-1", NULL };
	struct runner_opts opts = { .env_add = add };
	struct outcome o = { 0 };

	run_once(argv, &opts, &o, 10);
	ck_assert_str_eq(o.res.out, "PATH=/usr/local/bin:/usr/bin:/bin\nLANG=C\n"
	    "VIGIL_POOL=eu-1\n");
	outcome_free(&o);
}
END_TEST

START_TEST(plugin_inherits_no_descriptors_and_reads_dev_null)
{
	char *argv[] = { (char *)plugin_path("fds"), "3", "4", "57", NULL };
	struct outcome o = { 0 };
	int fd;

	/* A descriptor some library opened without CLOEXEC. */
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 57), 57);
	run_once(argv, NULL, &o, 10);
	ck_assert_str_eq(o.res.out, "stdin /dev/null\n3 closed\n4 closed\n57 closed\n");
	outcome_free(&o);
	close(57);
	close(fd);
}
END_TEST

START_TEST(runner_works_when_the_worker_has_stdio_closed)
{
	char *argv[] = { (char *)plugin_path("exit_with"), "1", "to stdout", "to stderr", NULL };
	struct outcome o = { 0 };
	int saved[3], i;

	/* The runner's pipes then land on 0-2 (so stdio is restored only
	 * once the run is done), and the child must not mix them up. */
	for (i = 0; i < 3; i++) {
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 10);
		ck_assert_int_ge(saved[i], 0);
		close(i);
	}
	start(argv, NULL, &o);
	loop_until(&o.called, 1, 10);
	for (i = 0; i < 3; i++) {
		dup2(saved[i], i);
		close(saved[i]);
	}
	ck_assert_msg(o.res.exit_code == 1, "exit %d signo %d errno %d out \"%s\" err \"%s\"",
	    o.res.exit_code, o.res.signo, o.res.exec_errno, o.res.out, o.res.err);
	ck_assert_int_eq(o.res.exec_errno, 0);
	ck_assert_str_eq(o.res.out, "to stdout\n");
	ck_assert_str_eq(o.res.err, "to stderr\n");
	outcome_free(&o);
}
END_TEST

/* output limits */

#define LIMIT	4096

static const struct {
	const char *bytes;
	const char *stream;
	size_t want;
	int truncated;
} floods[] = {
	{ "4095", "out", LIMIT - 1, 0 },
	{ "4096", "out", LIMIT, 0 },
	{ "4097", "out", LIMIT, 1 },
	{ "200000", "out", LIMIT, 1 },
	{ "4096", "err", LIMIT, 0 },
	{ "4097", "err", LIMIT, 1 },
	{ "200000", "err", LIMIT, 1 },
};

START_TEST(output_over_the_limit_is_cut_at_exactly_the_limit)
{
	char *argv[] = { (char *)plugin_path("flood"), (char *)floods[_i].bytes,
	    (char *)floods[_i].stream, NULL };
	struct runner_opts opts = { .timeout = 20, .output_limit = LIMIT };
	struct outcome o = { 0 };
	int err = strcmp(floods[_i].stream, "err") == 0;
	size_t len;

	run_once(argv, &opts, &o, 20);
	ck_assert_int_eq(o.res.exit_code, 0);
	ck_assert_int_eq(o.res.timed_out, 0);
	len = err ? o.res.errlen : o.res.outlen;
	ck_assert_msg(len == floods[_i].want, "%s bytes on std%s: kept %zu",
	    floods[_i].bytes, floods[_i].stream, len);
	ck_assert_int_eq(err ? o.res.err_truncated : o.res.out_truncated, floods[_i].truncated);
	ck_assert_uint_eq(err ? o.res.outlen : o.res.errlen, 0);
	ck_assert_int_eq(err ? o.res.out_truncated : o.res.err_truncated, 0);
	outcome_free(&o);
}
END_TEST

START_TEST(nul_bytes_in_output_are_kept_and_counted)
{
	char *argv[] = { (char *)plugin_path("flood"), "100", NULL };
	struct outcome o = { 0 };
	size_t i;

	run_once(argv, NULL, &o, 10);
	ck_assert_uint_eq(o.res.outlen, 100);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(o.res.out[i], '\0');
	outcome_free(&o);
}
END_TEST

START_TEST(default_output_limit_is_64_kib)
{
	char *argv[] = { (char *)plugin_path("flood"), "100000", NULL };
	struct outcome o = { 0 };

	run_once(argv, NULL, &o, 20);
	ck_assert_uint_eq(o.res.outlen, 65536);
	ck_assert_int_eq(o.res.out_truncated, 1);
	outcome_free(&o);
}
END_TEST

START_TEST(flood_of_10_mb_is_read_and_discarded_without_blocking_the_plugin)
{
	char *argv[] = { (char *)plugin_path("flood"), "10485760", NULL };
	struct runner_opts opts = { .timeout = 20, .output_limit = 1000 };
	struct outcome o = { 0 };

	run_once(argv, &opts, &o, 25);
	ck_assert_int_eq(o.res.timed_out, 0);
	ck_assert_int_eq(o.res.exited, 1);
	ck_assert_int_eq(o.res.exit_code, 0);
	ck_assert_uint_eq(o.res.outlen, 1000);
	ck_assert_int_eq(o.res.out_truncated, 1);
	outcome_free(&o);
}
END_TEST

/* timeouts and children */

START_TEST(plugin_outliving_timeout_is_killed_with_its_children)
{
	char pidfile[128];
	char *argv[] = { (char *)plugin_path("sleeper"), pidfile, "60", NULL };
	struct runner_opts opts = { .timeout = 1, .kill_grace = 2 };
	struct outcome o = { 0 };
	double t0 = now();
	pid_t child;

	pidfile_path(pidfile, sizeof pidfile, "sleeper.pid");
	start(argv, &opts, &o);
	child = read_pidfile(pidfile, 5);
	loop_until(&o.called, 1, 10);
	ck_assert_int_eq(o.res.timed_out, 1);
	ck_assert_int_eq(o.res.exited, 0);
	ck_assert_int_eq(o.res.signo, SIGTERM);
	ck_assert_str_eq(o.res.out, "sleeping 60\n");
	ck_assert_msg(o.done_at - t0 >= 1.0 - 0.05, "done after %.2f s", o.done_at - t0);
	ck_assert_msg(o.done_at - t0 < 1 + 2 + SLACK, "done after %.2f s", o.done_at - t0);
	ck_assert_msg(process_gone(child, 2), "child %d that ignores TERM still runs", (int)child);
	ck_assert_msg(process_gone(o.res.pid, 2), "plugin %d still runs", (int)o.res.pid);
	outcome_free(&o);
}
END_TEST

START_TEST(plugin_ignoring_term_is_killed_after_the_grace_period)
{
	char pidfile[128];
	char *argv[] = { (char *)plugin_path("sleeper"), pidfile, "60", "ignore-term", NULL };
	struct runner_opts opts = { .timeout = 0.5, .kill_grace = 1 };
	struct outcome o = { 0 };
	double t0 = now();
	pid_t child;

	pidfile_path(pidfile, sizeof pidfile, "sleeper.pid");
	start(argv, &opts, &o);
	child = read_pidfile(pidfile, 5);
	loop_until(&o.called, 1, 10);
	ck_assert_int_eq(o.res.timed_out, 1);
	ck_assert_int_eq(o.res.signo, SIGKILL);
	ck_assert_msg(o.done_at - t0 >= 1.5 - 0.05, "done after %.2f s", o.done_at - t0);
	ck_assert_msg(o.done_at - t0 < 1.5 + SLACK, "done after %.2f s", o.done_at - t0);
	ck_assert_msg(process_gone(child, 2), "child %d still runs", (int)child);
	outcome_free(&o);
}
END_TEST

START_TEST(stopped_plugin_is_woken_to_die_of_term)
{
	char *argv[] = { (char *)plugin_path("killself"), "STOP", NULL };
	struct runner_opts opts = { .timeout = 0.5, .kill_grace = 10 };
	struct outcome o = { 0 };
	double t0 = now();

	run_once(argv, &opts, &o, 15);
	ck_assert_int_eq(o.res.timed_out, 1);
	ck_assert_int_eq(o.res.signo, SIGTERM);
	ck_assert_msg(o.done_at - t0 < 0.5 + SLACK, "done after %.2f s", o.done_at - t0);
	outcome_free(&o);
}
END_TEST

START_TEST(fast_plugin_is_not_timed_out)
{
	char *argv[] = { (char *)plugin_path("exit_with"), "0", "OK", NULL };
	struct runner_opts opts = { .timeout = 5 };
	struct outcome o = { 0 };

	run_once(argv, &opts, &o, 10);
	ck_assert_int_eq(o.res.timed_out, 0);
	ck_assert_int_eq(o.res.exit_code, 0);
	/* The stopped timer must not keep the loop busy or fire later. */
	ck_assert_uint_eq(ev_pending_count(loop), 0);
	outcome_free(&o);
}
END_TEST

START_TEST(plugin_exiting_while_a_grandchild_holds_stdout_completes_promptly)
{
	char pidfile[128];
	char *argv[] = { (char *)plugin_path("leave_child"), pidfile, "60", NULL };
	struct runner_opts opts = { .timeout = 30 };
	struct outcome o = { 0 };
	double t0 = now();
	pid_t child;

	pidfile_path(pidfile, sizeof pidfile, "leave_child.pid");
	run_once(argv, &opts, &o, 10);
	ck_assert_msg(o.done_at - t0 < SLACK, "done after %.2f s", o.done_at - t0);
	ck_assert_int_eq(o.res.timed_out, 0);
	ck_assert_int_eq(o.res.exited, 1);
	ck_assert_int_eq(o.res.exit_code, 0);
	ck_assert_str_eq(o.res.out, "parent done\n");
	child = read_pidfile(pidfile, 5);
	ck_assert_int_eq(kill(child, SIGKILL), 0);
	ck_assert(process_gone(child, 2));
	outcome_free(&o);
}
END_TEST

/* With reap_group (the worker's), nothing the plugin forked outlives it. */
START_TEST(with_reap_group_no_grandchild_outlives_its_plugin)
{
	char pidfile[128];
	char *argv[] = { (char *)plugin_path("leave_child_wait"), pidfile, NULL };
	struct runner_opts opts = { .timeout = 30, .reap_group = 1 };
	struct outcome o = { 0 };
	pid_t child;

	pidfile_path(pidfile, sizeof pidfile, "leave_child_wait.pid");
	run_once(argv, &opts, &o, 10);
	ck_assert_int_eq(o.res.timed_out, 0);
	ck_assert_int_eq(o.res.exited, 1);
	ck_assert_int_eq(o.res.exit_code, 0);
	ck_assert_str_eq(o.res.out, "parent done\n");
	child = read_pidfile(pidfile, 5);
	ck_assert_msg(process_gone(child, 5), "the grandchild %ld outlived its plugin",
	    (long)child);
	outcome_free(&o);
}
END_TEST

/* many runs */

#define NCONC	200

START_TEST(two_hundred_concurrent_runs_all_complete_correctly)
{
	static struct outcome o[NCONC];
	static char codes[NCONC][8], outs[NCONC][32], errs[NCONC][32];
	struct runner_opts opts = { .timeout = 60 };
	char want[40];
	int i;

	memset(o, 0, sizeof o);
	for (i = 0; i < NCONC; i++) {
		char *argv[] = { (char *)plugin_path("exit_with"), codes[i], outs[i], errs[i], NULL };

		snprintf(codes[i], sizeof codes[i], "%d", i % 5 == 4 ? 42 : i % 5);
		snprintf(outs[i], sizeof outs[i], "run %d out", i);
		snprintf(errs[i], sizeof errs[i], "run %d err", i);
		start(argv, &opts, &o[i]);
	}
	ck_assert_uint_eq(runner_active(), NCONC);
	loop_until(&ndone, NCONC, 60);
	ck_assert_uint_eq(runner_active(), 0);
	for (i = 0; i < NCONC; i++) {
		ck_assert_int_eq(o[i].called, 1);
		ck_assert_int_eq(o[i].res.exited, 1);
		ck_assert_int_eq(o[i].res.exit_code, i % 5 == 4 ? 42 : i % 5);
		snprintf(want, sizeof want, "run %d out\n", i);
		ck_assert_str_eq(o[i].res.out, want);
		snprintf(want, sizeof want, "run %d err\n", i);
		ck_assert_str_eq(o[i].res.err, want);
		outcome_free(&o[i]);
	}
}
END_TEST

START_TEST(runner_active_counts_runs_in_progress)
{
	char *argv[] = { (char *)plugin_path("exit_with"), "0", NULL };
	struct outcome o[3] = { { 0 } };

	ck_assert_uint_eq(runner_active(), 0);
	start(argv, NULL, &o[0]);
	start(argv, NULL, &o[1]);
	start(argv, NULL, &o[2]);
	ck_assert_uint_eq(runner_active(), 3);
	loop_until(&ndone, 3, 10);
	ck_assert_uint_eq(runner_active(), 0);
	outcome_free(&o[0]);
	outcome_free(&o[1]);
	outcome_free(&o[2]);
}
END_TEST

/* cancel */

START_TEST(runner_cancel_leaves_no_process_behind)
{
	char pidfile[128];
	char *argv[] = { (char *)plugin_path("sleeper"), pidfile, "60", "ignore-term", NULL };
	struct runner_opts opts = { .timeout = 30 };
	struct outcome o = { 0 };
	struct run *run;
	pid_t child, pid;

	pidfile_path(pidfile, sizeof pidfile, "sleeper.pid");
	run = start(argv, &opts, &o);
	child = read_pidfile(pidfile, 5);
	/* The plugin is its process group's leader; the run is opaque. */
	pid = getpgid(child);
	ck_assert_int_gt(pid, 0);
	ck_assert_uint_eq(runner_active(), 1);
	runner_cancel(run);
	ck_assert_uint_eq(runner_active(), 0);
	ck_assert_msg(process_gone(child, 3), "child %d still runs", (int)child);
	ck_assert_msg(process_gone(pid, 3), "plugin %d still runs", (int)pid);
	ck_assert_int_eq(kill(-child, 0) < 0 && errno == ESRCH, 1);
	ck_assert_int_eq(o.called, 0);
	/* Nothing of the run is left in the loop: it has nothing to do. */
	ck_assert_int_eq(ev_run(loop, EVRUN_NOWAIT), 0);
}
END_TEST

static void
on_done_cancel(struct run *run, const struct runner_result *res, void *arg)
{
	on_done(run, res, arg);
	runner_cancel(run);
}

START_TEST(runner_cancel_from_done_is_harmless)
{
	char *argv[] = { (char *)plugin_path("exit_with"), "0", "OK", NULL };
	struct outcome o = { 0 };
	char err[256] = "";

	ck_assert_ptr_nonnull(runner_start(loop, argv, NULL, on_done_cancel, &o, err, sizeof err));
	loop_until(&o.called, 1, 10);
	ck_assert_int_eq(o.called, 1);
	ck_assert_str_eq(o.res.out, "OK\n");
	ck_assert_uint_eq(runner_active(), 0);
	outcome_free(&o);
}
END_TEST

/* errors */

START_TEST(start_on_a_non_default_loop_fails_with_a_message)
{
	char *argv[] = { (char *)plugin_path("exit_with"), "0", NULL };
	struct ev_loop *other = ev_loop_new(EVFLAG_AUTO);
	char err[256] = "";
	struct outcome o = { 0 };

	ck_assert_ptr_nonnull(other);
	ck_assert_ptr_null(runner_start(other, argv, NULL, on_done, &o, err, sizeof err));
	ck_assert_msg(strstr(err, "default libev loop") != NULL, "err: %s", err);
	ck_assert_uint_eq(runner_active(), 0);
	ev_loop_destroy(other);
}
END_TEST

START_TEST(start_without_a_path_fails_with_a_message)
{
	char *argv[] = { NULL };
	char *empty[] = { "", NULL };
	char err[256] = "";
	struct outcome o = { 0 };

	ck_assert_ptr_null(runner_start(loop, argv, NULL, on_done, &o, err, sizeof err));
	ck_assert_str_ne(err, "");
	ck_assert_ptr_null(runner_start(loop, empty, NULL, on_done, &o, NULL, 0));
	ck_assert_uint_eq(runner_active(), 0);
}
END_TEST

static Suite *
runner_suite(void)
{
	Suite *s = suite_create("runner");
	TCase *tc;

#define TC(name, timeout) \
	tc = tcase_create(name); \
	tcase_add_checked_fixture(tc, setup, teardown); \
	tcase_set_timeout(tc, timeout); \
	suite_add_tcase(s, tc)

	TC("exit", 30);
	tcase_add_loop_test(tc, exit_code_is_captured_with_stdout_and_stderr, 0,
	    sizeof exit_codes / sizeof exit_codes[0]);
	tcase_add_test(tc, plugin_without_output_gives_empty_strings);

	TC("signal", 30);
	tcase_add_loop_test(tc, death_by_signal_is_reported, 0,
	    sizeof death_signals / sizeof death_signals[0]);
	tcase_add_test(tc, signals_ignored_or_blocked_by_the_worker_are_default_in_the_plugin);
	tcase_add_test(tc, plugin_starts_with_an_empty_signal_mask_and_nothing_ignored);

	TC("exec", 30);
	tcase_add_loop_test(tc, unexecutable_path_completes_with_exec_errno_and_127, 0,
	    sizeof bad_paths / sizeof bad_paths[0]);
	tcase_add_test(tc, plugin_path_is_not_searched_in_path);

	TC("child environment", 30);
	tcase_add_test(tc, hostile_arguments_reach_the_plugin_literally);
	tcase_add_test(tc, plugin_gets_a_minimal_environment_by_default);
	tcase_add_test(tc, plugin_gets_exactly_the_environment_given);
	tcase_add_test(tc, plugin_gets_the_minimal_environment_plus_what_is_added);
	tcase_add_test(tc, plugin_inherits_no_descriptors_and_reads_dev_null);
	tcase_add_test(tc, runner_works_when_the_worker_has_stdio_closed);

	TC("output", 60);
	tcase_add_loop_test(tc, output_over_the_limit_is_cut_at_exactly_the_limit, 0,
	    sizeof floods / sizeof floods[0]);
	tcase_add_test(tc, nul_bytes_in_output_are_kept_and_counted);
	tcase_add_test(tc, default_output_limit_is_64_kib);
	tcase_add_test(tc, flood_of_10_mb_is_read_and_discarded_without_blocking_the_plugin);

	TC("timeout", 30);
	tcase_add_test(tc, plugin_outliving_timeout_is_killed_with_its_children);
	tcase_add_test(tc, plugin_ignoring_term_is_killed_after_the_grace_period);
	tcase_add_test(tc, stopped_plugin_is_woken_to_die_of_term);
	tcase_add_test(tc, fast_plugin_is_not_timed_out);
	tcase_add_test(tc, plugin_exiting_while_a_grandchild_holds_stdout_completes_promptly);
	tcase_add_test(tc, with_reap_group_no_grandchild_outlives_its_plugin);
	tcase_add_test(tc, with_set_ids_the_plugin_runs_as_the_given_user_in_the_root_directory);

	TC("concurrency", 120);
	tcase_add_test(tc, two_hundred_concurrent_runs_all_complete_correctly);
	tcase_add_test(tc, runner_active_counts_runs_in_progress);

	TC("cancel", 30);
	tcase_add_test(tc, runner_cancel_leaves_no_process_behind);
	tcase_add_test(tc, runner_cancel_from_done_is_harmless);

	TC("errors", 10);
	tcase_add_test(tc, start_on_a_non_default_loop_fails_with_a_message);
	tcase_add_test(tc, start_without_a_path_fails_with_a_message);
#undef TC
	return s;
}

int
main(void)
{
	return tu_run(runner_suite());
}
