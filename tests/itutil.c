/*
 * NAME
 *	itutil - what integration tests share
 * DESCRIPTION
 *	See itutil.h.
 * DIAGNOSTICS
 *	ck_abort_msg() on an unusable environment.
 */
#include "itutil.h"
#include "auth.h"
#include "pg.h"
#include "util.h"
#include "xalloc.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *
env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v ? v : dflt;
}

void
it_env_init(struct it_env *e, const char *name)
{
	memset(e, 0, sizeof(*e));
	e->pg = getenv("VIGIL_PG");
	e->amqp = getenv("VIGIL_AMQP_URL");
	if (e->pg == NULL || e->amqp == NULL)
		ck_abort_msg("VIGIL_PG and VIGIL_AMQP_URL are not set: run under scripts/test "
		    "or tests/run-test (they start the servers)");
#ifdef TOP_SRCDIR
	e->srcdir = env_or("VIGIL_TOP_SRCDIR", TOP_SRCDIR);
	e->builddir = env_or("VIGIL_TOP_BUILDDIR", TOP_BUILDDIR);
#else
	e->srcdir = env_or("VIGIL_TOP_SRCDIR", ".");
	e->builddir = env_or("VIGIL_TOP_BUILDDIR", ".");
#endif
	/* Unique beyond the pid: a failed test leaves its schema behind, and
	 * pids come round again. */
	snprintf(e->prefix, sizeof(e->prefix), "t_%s_%ld_%04x", name, (long)getpid(),
	    (unsigned)(util_random64() & 0xffff));
	snprintf(e->dir, sizeof(e->dir), "%s/vigil-it-XXXXXX", env_or("TMPDIR", "/tmp"));
	if (mkdtemp(e->dir) == NULL)
		ck_abort_msg("mkdtemp: %s", strerror(errno));
}

void
it_env_cleanup(struct it_env *e)
{
	char *sql = xasprintf("SET client_min_messages TO warning; DROP SCHEMA IF EXISTS \"%s\" CASCADE", e->prefix);
	char err[256], *cmd;
	PGconn *c = PQconnectdb(e->pg);

	if (PQstatus(c) == CONNECTION_OK)
		pg_exec(c, sql, err, sizeof(err));
	PQfinish(c);
	free(sql);
	if (getenv("VIGIL_KEEP_TEST_DIRS") == NULL) {
		cmd = xasprintf("rm -rf '%s'", e->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", e->dir);
		free(cmd);
	}
}

static void
write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		ck_abort_msg("%s: %s", path, strerror(errno));
	fputs(content, f);
	fclose(f);
}

const char *
it_key_file(struct it_env *e)
{
	static char path[512];
	char text[256];
	int fd;

	snprintf(path, sizeof(path), "%s/vigil.key", e->dir);
	if (access(path, F_OK) == 0)
		return path;
	if (auth_generate("test1", text, sizeof(text)) < 0)
		ck_abort_msg("no randomness for the test's message key");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
	    write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0)
		ck_abort_msg("%s: %s", path, strerror(errno));
	return path;
}

struct auth *
it_auth(struct it_env *e)
{
	char err[512];
	struct auth *a = auth_load(it_key_file(e), err, sizeof(err));

	if (a == NULL)
		ck_abort_msg("%s", err);
	return a;
}

const char *
it_write_config(struct it_env *e, const char *extra, const char *name, const char *yaml)
{
	static char path[512];
	char *confd = xasprintf("%s/conf.d", e->dir), *p, *text;

	mkdir(confd, 0755);
	p = xasprintf("%s/%s", confd, name);
	write_file(p, yaml);
	free(p);
	snprintf(path, sizeof(path), "%s/vigil.yaml", e->dir);
	{
		const char *x = extra != NULL ? extra : "";
		char *keyline = strstr(x, "auth_key_file:") != NULL ? xstrdup("") :
		    xasprintf("auth_key_file: %s\n", it_key_file(e));
		char *dirsline = strstr(x, "plugin_dirs:") != NULL ? xstrdup("") :
		    xasprintf("plugin_dirs: \"/bin:/usr/bin:%s/tests/plugins\"\n", e->srcdir);
		/* Test plugins write to the test's private directory: as root,
		 * they run as root, said explicitly (it_trust runs some as
		 * nobody). */
		const char *userline = strstr(x, "worker:") != NULL ? "" :
		    "worker: {plugin_user: root, allow_root_plugins: true}\n";

		text = xasprintf("conf_dir: conf.d\nprefix: %s\namqp: \"%s\"\npostgres: \"%s\"\n"
		    "schema_dir: %s/schema\nvigil_plugin_dir: %s/plugins\n%s%s%s%s",
		    e->prefix, e->amqp, e->pg, e->srcdir, e->builddir, keyline, dirsline, userline, x);
		free(keyline);
		free(dirsline);
	}
	write_file(path, text);
	free(text);
	free(confd);
	return path;
}

pid_t
it_spawn(struct it_env *e, const char *log, const char *prog, const char *const args[])
{
	/* A program of the build tree, or any command given by absolute path. */
	char *path = prog[0] == '/' ? xstrdup(prog) : xasprintf("%s/%s", e->builddir, prog);
	char *logpath = xasprintf("%s/%s", e->dir, log);
	const char *argv[32];
	pid_t ppid = getpid(), pid;
	int n = 0;

	argv[n++] = path;
	for (int i = 0; args != NULL && args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	if (pid < 0)
		ck_abort_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != ppid)
			_exit(1);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execv(path, (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	free(path);
	free(logpath);
	return pid;
}

int
it_free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		ck_abort_msg("no free port: %s", strerror(errno));
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

int
it_run(struct it_env *e, const char *log, const char *prog, const char *const args[],
    char **out)
{
	pid_t p = it_spawn(e, log, prog, args);
	int st;

	waitpid(p, &st, 0);
	*out = it_read(e, log);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
it_stop(pid_t pid, int sig, double timeout)
{
	int status = 0;
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	if (pid <= 0)
		return 0;	/* stopped already: kill(0) would signal our group */
	kill(pid, sig);
	for (double waited = 0; waited < timeout; waited += 0.02) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return status;
}

pid_t
it_spawn_ready(struct it_env *e, const char *log, const char *prog, const char *cfg,
    const char *ready, double timeout)
{
	pid_t pid = it_spawn(e, log, prog, (const char *[]){ "-c", cfg, NULL });

	if (it_wait_log(e, log, ready, timeout) < 0) {
		it_dump(e, log);
		ck_abort_msg("%s did not start (no \"%s\" in %s)", prog, ready, log);
	}
	return pid;
}

char *
it_read(struct it_env *e, const char *name)
{
	char *path = xasprintf("%s/%s", e->dir, name);
	char *s = util_read_file(path, NULL);

	free(path);
	return s != NULL ? s : xstrdup("");
}

double
it_wait_log(struct it_env *e, const char *log, const char *text, double timeout)
{
	double t0 = util_now();

	for (;;) {
		char *s = it_read(e, log);
		int ok = strstr(s, text) != NULL;

		free(s);
		if (ok)
			return util_now() - t0;
		if (util_now() - t0 > timeout)
			return -1;
		usleep(50 * 1000);
	}
}

void
it_dump(struct it_env *e, const char *log)
{
	char *s = it_read(e, log);

	fprintf(stderr, "----- %s -----\n%s----- end of %s -----\n", log, s, log);
	free(s);
}

char *
it_sql(struct it_env *e, const char *sql)
{
	char err[512];
	PGconn *c = pg_connect(e->pg, e->prefix, err, sizeof(err));
	PGresult *r;
	char *v = NULL;

	if (c == NULL)
		ck_abort_msg("postgres: %s", err);
	r = pg_query(c, sql, 0, NULL, err, sizeof(err));
	if (r != NULL && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
	return v;
}

int
it_wait_sql(struct it_env *e, const char *sql, const char *expect, double timeout)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	for (double waited = 0; waited < timeout; waited += 0.1) {
		char *v = it_sql(e, sql);
		int ok = v != NULL && strcmp(v, expect) == 0;

		free(v);
		if (ok)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* ---- a private harness ---------------------------------------------------- */

static const char *
top_srcdir(void)
{
	const char *s = getenv("VIGIL_TOP_SRCDIR");

	if (s != NULL && *s)
		return s;
#ifdef TOP_SRCDIR
	return TOP_SRCDIR;
#else
	return ".";
#endif
}

int
it_harness(const char *dir, const char *sub)
{
	char *cmd = xasprintf("'%s/scripts/harness' %s '%s'", top_srcdir(), sub, dir);
	int rc = system(cmd);

	free(cmd);
	return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

/* Export what `harness env DIR` prints (export NAME='value' lines). */
static void
harness_export(const char *dir)
{
	char *cmd = xasprintf("'%s/scripts/harness' env '%s'", top_srcdir(), dir);
	FILE *f = popen(cmd, "r");
	char line[1024];
	int n = 0;

	free(cmd);
	if (f == NULL)
		ck_abort_msg("harness env: %s", strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *name = line, *eq, *v;
		size_t len;

		if (strncmp(line, "export ", 7) != 0 || (eq = strchr(line, '=')) == NULL)
			continue;
		name += 7;
		*eq = '\0';
		v = eq + 1;
		len = strcspn(v, "\n");
		v[len] = '\0';
		/* The harness quotes every value; ours never hold a quote. */
		if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
			v[len - 1] = '\0';
			v++;
		}
		setenv(name, v, 1);
		n++;
	}
	if (pclose(f) != 0 || n == 0)
		ck_abort_msg("harness env %s printed nothing usable", dir);
}

void
it_harness_up(char *dir, size_t len)
{
	snprintf(dir, len, "%s/vigil-harness-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		ck_abort_msg("mkdtemp: %s", strerror(errno));
	if (it_harness(dir, "start") != 0)
		ck_abort_msg("scripts/harness start %s failed", dir);
	harness_export(dir);
}

void
it_harness_down(const char *dir)
{
	if (it_harness(dir, "stop --clean") != 0)
		fprintf(stderr, "scripts/harness stop --clean %s failed\n", dir);
}
