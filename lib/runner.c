/*
 * NAME
 *	runner - run one check plugin as a child process under libev
 * DESCRIPTION
 *	See runner.h for the contract. Each run is one struct run holding all
 *	of its watchers (an ev_child for the pid, an ev_io per output pipe, one
 *	ev_timer for timeout and kill grace); every watcher's data points back
 *	to the run, so an event costs O(1) whatever the number of runs.
 *
 *	A run moves through phases: RUN_RUNNING, then on timeout
 *	RUN_TERM_SENT and RUN_KILL_SENT, and RUN_DONE while done() runs. The
 *	run completes in the ev_child callback: the child is reaped, the pipes
 *	are drained of what they already hold (bounded, see RUN_DRAIN_READS),
 *	done() is called and the run is freed (run_free() is the only
 *	teardown).
 *
 *	The child is started with clone(CLONE_VM | CLONE_VFORK), as vfork()
 *	does: it borrows the worker's address space instead of copying it
 *	(copying the page tables was most of a fork()'s cost, and of the
 *	worker's CPU), and the worker's thread waits until the child has
 *	called execve() or exited. The child side (run_child()) runs on a
 *	stack of its own and uses only async-signal-safe calls on memory
 *	prepared before the clone: it shares the parent's memory, and the
 *	worker may have other threads (AMQP), so it must not allocate, take
 *	locks or write anything but its own stack. All signals are blocked
 *	across the clone, so no handler of the parent can run on the shared
 *	memory in the child before it resets the dispositions.
 * DIAGNOSTICS
 *	runner_start() returns NULL and fills err when the loop is not the
 *	default loop, argv is empty, or pipe2() or clone() fails. Anything that
 *	goes wrong in the child before execve() (including execve() itself)
 *	comes back as exec_errno with exit code 127. Nothing is logged.
 * SECURITY
 *	argv goes to execve() unchanged: no shell, no PATH search, so argument
 *	text can never become shell syntax. The plugin gets a fixed minimal
 *	environment (plus the caller's additions) unless the caller passes
 *	one, no inherited descriptors
 *	beyond stdin (/dev/null), stdout and stderr, default signal
 *	dispositions and an empty signal mask. argv may hold secrets ($USERn$):
 *	it is never copied into error messages.
 */
#include "runner.h"
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#define RUNNER_DEFAULT_LIMIT	65536
#define RUNNER_DEFAULT_GRACE	2.0

/* One read() per readiness event, into a scratch buffer the size of a
 * default pipe, so that one busy plugin cannot starve the others. */
#define RUN_READ_CHUNK		65536

/* After the child is reaped, everything it wrote is already in the pipe
 * (at most the pipe's capacity, 1 MiB at the most on Linux). A grandchild
 * may still be writing, so the drain stops after this many reads even if
 * the pipe never reports EAGAIN: 64 x 64 KiB covers any pipe capacity. */
#define RUN_DRAIN_READS		64

/* Target descriptor of the exec-error pipe in the child; 0-2 are stdio. */
#define RUN_CHILD_ERRFD		3

enum run_phase {
	RUN_RUNNING,		/* child alive, no signal sent */
	RUN_TERM_SENT,		/* timed out, TERM sent, grace timer running */
	RUN_KILL_SENT,		/* grace expired, KILL sent, waiting for reap */
	RUN_DONE		/* reaped; done() is running */
};

struct run_stream {
	ev_io io;		/* io.fd is the read end; -1 once closed */
	char *buf;		/* NUL-terminated; NULL until the first byte */
	size_t len;
	size_t cap;
	int truncated;
};

struct run {
	struct ev_loop *loop;
	ev_child child;
	ev_timer timer;
	struct run_stream out;
	struct run_stream err;
	int exec_fd;		/* read end of the exec-error pipe, or -1 */
	pid_t pid;		/* also the process group id */
	enum run_phase phase;
	double kill_grace;
	int reap_group;		/* opts->reap_group */
	size_t limit;
	runner_done_fn done;
	void *arg;
	struct runner_result res;
};

/* What the child needs, all prepared before the clone (see run_child()). */
struct run_child_args {
	const char *path;
	char *const *argv;
	char *const *envp;
	int out_fd;		/* write ends of the pipes */
	int err_fd;
	int exec_fd;
	pid_t parent;
	int fd_limit;		/* for the close() loop if close_range is missing */
	int set_ids;		/* runner_opts' */
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
};

static char runner_env_path[] = "PATH=/usr/local/bin:/usr/bin:/bin";
static char runner_env_lang[] = "LANG=C";
static char *const runner_minimal_env[] = {
	runner_env_path, runner_env_lang, NULL
};
#define RUNNER_MINIMAL_ENV_N 2

/* Runs only ever happen on the default loop, which is used from one thread,
 * so one scratch buffer serves every read. */
static char runner_scratch[RUN_READ_CHUNK];

static char runner_empty[1];

static size_t runner_nactive;

/* The child's stack while it prepares the exec. One is enough: only the
 * loop's thread starts children, and it is suspended until the child has
 * exec'd or exited (CLONE_VFORK). */
#ifndef __SANITIZE_ADDRESS__
#define RUN_CHILD_STACK		(256 * 1024)
static char runner_child_stack[RUN_CHILD_STACK] __attribute__((aligned(64)));
#endif

static void
run_close(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/*
 * The child: make stdio, the process group, signals and descriptors what
 * the plugin should see, then execve(). Only async-signal-safe calls; any
 * failure is reported as its errno through the exec-error pipe.
 */
static void __attribute__((noreturn))
run_child(const struct run_child_args *a)
{
	struct sigaction sa;
	sigset_t none;
	int out_fd = a->out_fd, err_fd = a->err_fd, exec_fd = a->exec_fd;
	int null_fd, sig, e, fd;

	/* Move our descriptors out of 0-3 first, so that the dup2()s below
	 * cannot overwrite one of them (a daemon may run with 0-2 closed). */
	if (out_fd <= RUN_CHILD_ERRFD)
		out_fd = fcntl(out_fd, F_DUPFD_CLOEXEC, RUN_CHILD_ERRFD + 1);
	if (err_fd <= RUN_CHILD_ERRFD)
		err_fd = fcntl(err_fd, F_DUPFD_CLOEXEC, RUN_CHILD_ERRFD + 1);
	if (exec_fd <= RUN_CHILD_ERRFD)
		exec_fd = fcntl(exec_fd, F_DUPFD_CLOEXEC, RUN_CHILD_ERRFD + 1);
	if (exec_fd < 0)
		_exit(127);
	if (out_fd < 0 || err_fd < 0)
		goto fail;
	/* dup3() keeps CLOEXEC on the error pipe: it closes at execve(),
	 * which is how the parent knows exec succeeded. */
	if (dup3(exec_fd, RUN_CHILD_ERRFD, O_CLOEXEC) < 0)
		goto fail;
	exec_fd = RUN_CHILD_ERRFD;
	if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
		goto fail;
	/* Opened last, so it lands on 0 if 0 was free, else above 3. */
	null_fd = open("/dev/null", O_RDONLY);
	if (null_fd < 0)
		goto fail;
	if (null_fd != STDIN_FILENO) {
		if (dup2(null_fd, STDIN_FILENO) < 0)
			goto fail;
	}

	/* Our own group, so that a timeout can kill everything the plugin
	 * forked. The parent does the same to close the race. */
	if (setpgid(0, 0) < 0)
		goto fail;
	/* The plugin's user: groups, then gid, then uid (after which none of
	 * them could change). Raw calls: they change this task only. Before
	 * the death signal, which a change of credentials clears. */
	if (a->set_ids) {
		if (syscall(SYS_setgroups, a->ngroups, a->groups) < 0 ||
		    syscall(SYS_setresgid, a->gid, a->gid, a->gid) < 0 ||
		    syscall(SYS_setresuid, a->uid, a->uid, a->uid) < 0 ||
		    chdir("/") < 0)
			goto fail;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		goto fail;
	/* The parent may have died before prctl(): nobody would kill us. */
	if (getppid() != a->parent)
		_exit(127);

	/* Handlers are reset by execve() anyway, but ignored signals (a
	 * daemon ignores SIGPIPE) and the mask would be inherited. All
	 * signals were blocked before the clone, so no handler of the parent
	 * can run here before this loop. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	}
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		goto fail;

	/* Descriptors the rest of the process opened without CLOEXEC
	 * (libraries do) must not reach the plugin. */
#ifdef SYS_close_range
	if (syscall(SYS_close_range, RUN_CHILD_ERRFD + 1, ~0U, 0) < 0)
#endif
	{
		for (fd = RUN_CHILD_ERRFD + 1; fd < a->fd_limit; fd++)
			close(fd);
	}

	execve(a->path, a->argv, a->envp);
fail:
	e = errno;
	while (write(exec_fd, &e, sizeof e) < 0 && errno == EINTR)
		;
	_exit(127);
}

#ifndef __SANITIZE_ADDRESS__
static int
run_child_main(void *arg)
{
	run_child(arg);
}
#endif

/* Append what fits under the limit; the rest is counted as truncation.
 * Not xgrow(): the capacity stops at limit + 1, so a full 64 KiB buffer
 * does not double to 128 KiB. */
static void
run_stream_append(struct run_stream *s, const char *p, size_t n, size_t limit)
{
	size_t room = limit - s->len;
	size_t need, ncap;

	if (n > room) {
		s->truncated = 1;
		n = room;
	}
	if (n == 0)
		return;
	need = s->len + n + 1;
	if (need > s->cap) {
		ncap = s->cap ? s->cap * 2 : 512;
		while (ncap < need)
			ncap *= 2;
		if (ncap > limit + 1)
			ncap = limit + 1;
		s->buf = xrealloc(s->buf, ncap);
		s->cap = ncap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

/* One read. Returns 1 if data was read, 0 if the pipe would block, -1 if
 * the stream is finished (EOF or a read error) and has been closed. */
static int
run_stream_read(struct run *run, struct run_stream *s)
{
	ssize_t n;

	if (s->io.fd < 0)
		return -1;
	do
		n = read(s->io.fd, runner_scratch, sizeof runner_scratch);
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		run_stream_append(s, runner_scratch, (size_t)n, run->limit);
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	ev_io_stop(run->loop, &s->io);
	close(s->io.fd);
	s->io.fd = -1;
	return -1;
}

static void
run_stream_free(struct ev_loop *loop, struct run_stream *s)
{
	ev_io_stop(loop, &s->io);
	if (s->io.fd >= 0) {
		close(s->io.fd);
		s->io.fd = -1;
	}
	free(s->buf);
	s->buf = NULL;
}

/* The one teardown: stops every watcher, closes every descriptor. */
static void
run_free(struct run *run)
{
	ev_child_stop(run->loop, &run->child);
	ev_timer_stop(run->loop, &run->timer);
	run_stream_free(run->loop, &run->out);
	run_stream_free(run->loop, &run->err);
	run_close(&run->exec_fd);
	free(run);
}

/* Signal the plugin's process group. The group is missing only if both
 * setpgid() calls failed: then the child alone, but only while it is not
 * reaped (libev sets rpid when it has reaped it and our callback is still
 * pending), since a reaped pid may already belong to someone else. */
static void
run_kill(struct run *run, int sig)
{
	if (kill(-run->pid, sig) < 0 && errno == ESRCH && run->child.rpid == 0)
		kill(run->pid, sig);
}

static void
run_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct run *run = w->data;

	run_stream_read(run, w == &run->out.io ? &run->out : &run->err);
}

static void
run_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct run *run = w->data;

	switch (run->phase) {
	case RUN_RUNNING:
		run->res.timed_out = 1;
		run_kill(run, SIGTERM);
		/* A stopped plugin would sit on TERM until the KILL. */
		run_kill(run, SIGCONT);
		run->phase = RUN_TERM_SENT;
		ev_timer_set(w, run->kill_grace, 0.);
		ev_timer_start(loop, w);
		break;
	case RUN_TERM_SENT:
		run_kill(run, SIGKILL);
		run->phase = RUN_KILL_SENT;
		break;
	case RUN_KILL_SENT:
	case RUN_DONE:
		break;
	}
}

static void
run_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct run *run = w->data;
	struct runner_result *res = &run->res;
	int status = w->rstatus, e, i;
	ssize_t n;

	ev_child_stop(loop, w);
	ev_timer_stop(loop, &run->timer);
	if (WIFEXITED(status)) {
		res->exited = 1;
		res->exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->signo = WTERMSIG(status);
	}
	/* Children that ignored TERM are still running, and with reap_group
	 * anything the child left behind: they die now. The
	 * group id stays reserved while any member lives; once none does,
	 * this finds no group (a new process would have to reuse the pid and
	 * make itself a group leader in between). */
	if (res->timed_out || run->reap_group)
		kill(-run->pid, SIGKILL);

	/* The child wrote its errno before exiting, so it is there now. */
	do
		n = read(run->exec_fd, &e, sizeof e);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof e)
		res->exec_errno = e;
	run_close(&run->exec_fd);

	for (i = 0; i < RUN_DRAIN_READS && run_stream_read(run, &run->out) > 0; i++)
		;
	for (i = 0; i < RUN_DRAIN_READS && run_stream_read(run, &run->err) > 0; i++)
		;

	res->end = util_now();
	res->out = run->out.buf ? run->out.buf : runner_empty;
	res->outlen = run->out.len;
	res->out_truncated = run->out.truncated;
	res->err = run->err.buf ? run->err.buf : runner_empty;
	res->errlen = run->err.len;
	res->err_truncated = run->err.truncated;

	/* Not in progress any more: a done() that refills the worker's
	 * slots sees the slot free. */
	run->phase = RUN_DONE;
	runner_nactive--;
	run->done(run, res, run->arg);
	run_free(run);
}

static int
run_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	/* Only our end is non-blocking: the plugin's stdout stays a normal
	 * blocking descriptor (O_NONBLOCK is per open file description). */
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	return 0;
}

struct run *
runner_start(struct ev_loop *loop, char *const argv[],
    const struct runner_opts *opts, runner_done_fn done, void *arg,
    char *err, size_t errlen)
{
	struct run_child_args ca;
	/* On the stack, as everything the child gets before exec: see the
	 * allocation after the clone below. */
	char *env[RUNNER_MINIMAL_ENV_N + RUNNER_ENV_ADD_MAX + 1];
	struct run *run;
	struct rlimit rl;
	sigset_t all, old;
	double start;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, px[2] = { -1, -1 };
	int e;
	pid_t pid;

	if (loop == NULL || !ev_is_default_loop(loop)) {
		util_errf(err, errlen, "runner: not the default libev loop: "
		    "runs must use EV_DEFAULT, the only loop that reaps children");
		return NULL;
	}
	if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
		util_errf(err, errlen, "runner: empty command: argv[0] must be the plugin's path");
		return NULL;
	}
	if (done == NULL) {
		util_errf(err, errlen, "runner: no done callback");
		return NULL;
	}
	if (run_pipe(po) < 0 || run_pipe(pe) < 0 || run_pipe(px) < 0) {
		e = errno;
		util_errf(err, errlen, "runner: cannot create pipes for the plugin: %s%s",
		    strerror(e), e == EMFILE || e == ENFILE ?
		    " (each run holds 3 descriptors: raise the open files limit or run fewer checks at once)" : "");
		goto fail;
	}

	memset(&ca, 0, sizeof ca);
	ca.path = argv[0];
	ca.argv = argv;
	ca.envp = opts && opts->envp ? opts->envp : runner_minimal_env;
	if (opts && !opts->envp && opts->env_add) {
		size_t n = 0;

		for (size_t i = 0; i < RUNNER_MINIMAL_ENV_N; i++)
			env[n++] = runner_minimal_env[i];
		for (size_t i = 0; opts->env_add[i] != NULL && i < RUNNER_ENV_ADD_MAX; i++)
			env[n++] = opts->env_add[i];
		env[n] = NULL;
		ca.envp = env;
	}
	ca.out_fd = po[1];
	ca.err_fd = pe[1];
	ca.exec_fd = px[1];
	ca.parent = getpid();
	if (opts != NULL && opts->set_ids) {
		ca.set_ids = 1;
		ca.uid = opts->uid;
		ca.gid = opts->gid;
		ca.groups = opts->groups;
		ca.ngroups = opts->ngroups;
	}
	ca.fd_limit = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < INT32_MAX)
		ca.fd_limit = (int)rl.rlim_cur;

	/* Block everything across the clone so that no handler of ours
	 * (libev's included) runs in the child before it resets dispositions. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	start = util_now();
#ifdef __SANITIZE_ADDRESS__
	/* AddressSanitizer knows nothing of a stack it did not make: the
	 * child's frames on runner_child_stack read as overflows. Sanitizer
	 * builds fork (valgrind, which runs CLONE_VFORK as a fork, checks the
	 * child's code on the clone path). */
	pid = fork();
	if (pid == 0)
		run_child(&ca);
#else
	pid = clone(run_child_main, runner_child_stack + RUN_CHILD_STACK,
	    CLONE_VM | CLONE_VFORK | SIGCHLD, &ca);
#endif
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		util_errf(err, errlen, "runner: cannot start the plugin: %s%s", strerror(e),
		    e == EAGAIN ? " (process limit reached: raise RLIMIT_NPROC or run fewer checks at once)" : "");
		goto fail;
	}
	/* Same as the child does: whichever runs first makes the group, so
	 * it exists before any timeout can signal it. EACCES (the child has
	 * already exec'd, so it did it itself) is harmless. */
	setpgid(pid, pid);
	close(po[1]);
	close(pe[1]);
	close(px[1]);

	/* Allocated after the clone so that a child that is a copy (valgrind
	 * runs CLONE_VFORK as a fork) holds no heap block only the parent's
	 * stack points to (a leak in its view of a child whose execve()
	 * failed). If this aborts, PR_SET_PDEATHSIG takes the child down with
	 * us. */
	run = xcalloc(1, sizeof *run);
	run->loop = loop;
	run->done = done;
	run->arg = arg;
	run->limit = opts && opts->output_limit ? opts->output_limit : RUNNER_DEFAULT_LIMIT;
	if (run->limit > SIZE_MAX / 2)
		run->limit = SIZE_MAX / 2;
	run->kill_grace = opts && opts->kill_grace > 0 ? opts->kill_grace : RUNNER_DEFAULT_GRACE;
	run->reap_group = opts != NULL && opts->reap_group;
	run->res.start = start;
	run->pid = pid;
	run->res.pid = pid;
	run->phase = RUN_RUNNING;
	run->exec_fd = px[0];

	ev_child_init(&run->child, run_child_cb, pid, 0);
	run->child.data = run;
	ev_child_start(loop, &run->child);
	ev_io_init(&run->out.io, run_io_cb, po[0], EV_READ);
	run->out.io.data = run;
	ev_io_start(loop, &run->out.io);
	ev_io_init(&run->err.io, run_io_cb, pe[0], EV_READ);
	run->err.io.data = run;
	ev_io_start(loop, &run->err.io);
	ev_init(&run->timer, run_timer_cb);
	run->timer.data = run;
	if (opts && opts->timeout > 0) {
		/* The loop's cached time may be stale when many runs start in
		 * one callback; the timeout counts from now. */
		ev_now_update(loop);
		ev_timer_set(&run->timer, opts->timeout, 0.);
		ev_timer_start(loop, &run->timer);
	}
	runner_nactive++;
	return run;

fail:
	run_close(&po[0]);
	run_close(&po[1]);
	run_close(&pe[0]);
	run_close(&pe[1]);
	run_close(&px[0]);
	run_close(&px[1]);
	return NULL;
}

void
runner_cancel(struct run *run)
{
	if (run == NULL || run->phase == RUN_DONE)
		return;
	run_kill(run, SIGKILL);
	/* Not waited for here: libev's SIGCHLD handler reaps every child,
	 * watched or not, so the zombie goes away on the next iteration. */
	runner_nactive--;
	run_free(run);
}

size_t
runner_active(void)
{
	return runner_nactive;
}
