/*
 * NAME
 *	vigil-bench-spawn - how many plugins per second this machine can
 *	start at all, for bench/engine and bench/vs-nagios
 * SYNOPSIS
 *	vigil-bench-spawn [--count N] [--procs P] [--plugin PATH] [ARG...]
 * DESCRIPTION
 *	P processes (default: one per online CPU) each fork() and execve()
 *	PATH (default /bin/true) with the ARGs and wait for it, N / P times
 *	in a row (N default 6,000). Nothing else happens: no pipes, no
 *	messages; the plugin's output goes to /dev/null. The rate is the
 *	ceiling any worker (or Nagios) meets for trivial checks on this
 *	machine, the yardstick for the worker's figure.
 *	ARGs that start with - follow a --.
 *
 *	Prints one line: spawned=N seconds=T per_second=R procs=P.
 * DIAGNOSTICS
 *	Exit 1 with a message on stderr when fork() fails or PATH does not
 *	run and exit 0; 2 on a usage error.
 */
#include "util.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void
usage(void)
{
	fprintf(stderr, "usage: vigil-bench-spawn [--count N] [--procs P] [--plugin PATH] [ARG...]\n");
	exit(2);
}

/* n runs of argv (argv[0] the plugin's path), one after the other; 0, or
 * -1 with errno. */
static int
spawn_serial(char *const argv[], long n)
{
	char *const envp[] = { NULL };

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return -1;
		if (pid == 0) {
			execve(argv[0], argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) < 0)
			return -1;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			errno = ENOEXEC;
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'p' },
		{ "plugin", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	const char *plugin = "/bin/true";
	char **pargv;
	long count = 6000, procs = sysconf(_SC_NPROCESSORS_ONLN), failed = 0;
	double t0, secs;
	int ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			count = atol(optarg);
			break;
		case 'p':
			procs = atol(optarg);
			break;
		case 'x':
			plugin = optarg;
			break;
		default:
			usage();
		}
	}
	if (count < 1 || procs < 1 || procs > 256)
		usage();
	/* The plugin's argv: its path, then the remaining arguments. */
	pargv = xmalloc(sizeof(*pargv) * (size_t)(argc - optind + 2));
	pargv[0] = (char *)plugin;
	for (int i = optind; i < argc; i++)
		pargv[i - optind + 1] = argv[i];
	pargv[argc - optind + 1] = NULL;
	t0 = util_now();
	for (long p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "vigil-bench-spawn: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid == 0) {
			/* Once per loop, not per run: the plugin's output
			 * (check_dummy prints a line) must not reach our
			 * caller, who reads our one line. */
			int null = open("/dev/null", O_WRONLY);

			if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
				_exit(1);
			_exit(spawn_serial(pargv, count / procs) < 0 ? 1 : 0);
		}
	}
	for (long p = 0; p < procs; p++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	secs = util_now() - t0;
	if (failed > 0) {
		fprintf(stderr, "vigil-bench-spawn: %ld of %ld processes failed to run %s\n",
		    failed, procs, plugin);
		free(pargv);
		return 1;
	}
	printf("spawned=%ld seconds=%.3f per_second=%.0f procs=%ld\n", count / procs * procs,
	    secs, (double)(count / procs * procs) / secs, procs);
	free(pargv);
	return 0;
}
