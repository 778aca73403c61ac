/*
 * NAME
 *	runner - run one check plugin as a child process under libev
 * DESCRIPTION
 *	runner_start() starts (clone, as vfork) and execs argv directly (never a shell) in a new
 *	process group, with stdin from /dev/null and stdout/stderr on
 *	non-blocking pipes watched by ev_io, and a timeout ev_timer. The child
 *	is reaped with an ev_child watcher (the loop must be the default loop,
 *	which is the only one libev delivers SIGCHLD to).
 *
 *	The run completes, and done() is called exactly once, when the child
 *	has been reaped and its pipes are drained (after the child exits, what
 *	is already in the pipes is read; a grandchild that keeps the pipe open
 *	does not hold the result back).
 *
 *	Timeout: SIGTERM to the whole process group, then SIGKILL to the
 *	group after opts->kill_grace seconds, and SIGKILL to the group again
 *	once the child is reaped, so that forked children that ignore TERM die
 *	too. With opts->reap_group, the group gets that SIGKILL however the
 *	child ended: a check leaves nothing running. Output beyond
 *	output_limit is read and discarded (the plugin is not blocked on a
 *	full pipe) and the result is marked truncated.
 *
 *	The child also gets PR_SET_PDEATHSIG(SIGKILL): a worker killed with
 *	SIGKILL does not leave a hung plugin running forever. With set_ids it
 *	takes another user's ids before the exec, by raw system calls: the
 *	child shares the parent's memory (CLONE_VM), and the C library's
 *	setuid() would change every thread of the parent too.
 * DIAGNOSTICS
 *	runner_start() returns NULL with err filled when pipes or clone fail.
 *	An argv[0] that cannot be executed is not an error here: the run
 *	completes with exec_errno set and exit_code 127.
 */
#ifndef VIGIL_RUNNER_H
#define VIGIL_RUNNER_H

#include <stddef.h>
#include <sys/types.h>

struct ev_loop;
struct run;

struct runner_opts {
	double timeout;		/* seconds; <= 0: none */
	double kill_grace;	/* seconds between TERM and KILL; default 2 if <= 0 */
	size_t output_limit;	/* bytes kept of stdout (and of stderr); 0: 65536 */
	char *const *envp;	/* environment for the plugin; NULL: a minimal one */
	char *const *env_add;	/* NULL-terminated "NAME=value"s added to the
				 * minimal one (envp NULL); at most
				 * RUNNER_ENV_ADD_MAX, the rest is dropped */
	int reap_group;		/* 1: SIGKILL to the group once the child is
				 * reaped, whatever its end: no process it
				 * forked outlives it (check plugins) */
	int set_ids;		/* 1: the child takes uid, gid and groups
				 * (and "/" as its directory) before exec:
				 * needs a privileged caller */
	uid_t uid;
	gid_t gid;
	const gid_t *groups;	/* supplementary groups, ngroups of them */
	size_t ngroups;
};

#define RUNNER_ENV_ADD_MAX 8

struct runner_result {
	int exited;		/* 1 if the child exited (exit_code valid) */
	int exit_code;
	int signo;		/* signal that ended it, 0 if it exited */
	int timed_out;		/* 1 if we killed it for its timeout */
	int exec_errno;		/* errno of a failed execve, else 0 */
	char *out;		/* stdout, NUL-terminated, at most output_limit bytes */
	size_t outlen;
	int out_truncated;	/* more was written than output_limit */
	char *err;		/* stderr, same rules */
	size_t errlen;
	int err_truncated;
	pid_t pid;
	double start;		/* epoch seconds, fractional */
	double end;
};

typedef void (*runner_done_fn)(struct run *run, const struct runner_result *res, void *arg);

/* Start argv (argv[0] a path). done(run, res, arg) is called once, from the
 * loop; res and run are freed right after done returns. */
struct run *runner_start(struct ev_loop *loop, char *const argv[],
    const struct runner_opts *opts, runner_done_fn done, void *arg,
    char *err, size_t errlen);

/* Kill the process group with SIGKILL, stop all watchers, reap the child
 * without blocking the loop (the reap happens through libev, or the child
 * becomes init's), and free the run. done() is not called. */
void runner_cancel(struct run *run);

/* Number of runs in progress. */
size_t runner_active(void);

#endif
