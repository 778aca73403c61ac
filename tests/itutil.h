/*
 * NAME
 *	itutil - what integration tests share: the harness's servers, a
 *	private prefix, daemons as child processes, SQL polling
 * DESCRIPTION
 *	Integration tests run against the real PostgreSQL and RabbitMQ that
 *	scripts/harness started (VIGIL_PG, VIGIL_AMQP_URL). Each test takes a
 *	prefix of its own, so its PostgreSQL schema and RabbitMQ names are
 *	its own even when tests run in parallel on one harness. Daemons are
 *	started with PR_SET_PDEATHSIG, so a failing test never leaves one
 *	running.
 * DIAGNOSTICS
 *	Helpers call ck_abort_msg() when the environment is unusable.
 */
#ifndef VIGIL_ITUTIL_H
#define VIGIL_ITUTIL_H

#include <sys/types.h>

struct auth;

struct it_env {
	const char *pg;		/* conninfo */
	const char *amqp;	/* URL */
	const char *srcdir;
	const char *builddir;
	char prefix[64];
	char dir[256];		/* private temp dir: configs, logs */
};

void it_env_init(struct it_env *e, const char *name);
void it_env_cleanup(struct it_env *e);

/* dir/vigil.key, the test's message key file (auth.h), made on first use;
 * the path is a static buffer. it_auth(): its keys loaded (caller frees
 * with auth_free()), to tag what a test publishes as a daemon would. */
const char *it_key_file(struct it_env *e);
struct auth *it_auth(struct it_env *e);

/* Write dir/vigil.yaml (prefix, servers, schema and plugin dirs, conf_dir
 * dir/conf.d, the test's key file and plugin_dirs /bin, /usr/bin and
 * tests/plugins unless `extra` names auth_key_file or plugin_dirs, plugins
 * as root (worker.plugin_user root, allow_root_plugins) unless it has a
 * worker: map, plus
 * `extra` lines) and dir/conf.d/NAME = yaml. Returns the vigil.yaml path
 * (static buffer in e). */
const char *it_write_config(struct it_env *e, const char *extra, const char *name,
    const char *yaml);

/* Start a program of the build tree (e.g. "engine/vigil-engine"), or a
 * command given by absolute path, with args; stdout and stderr go to
 * dir/LOG. */
pid_t it_spawn(struct it_env *e, const char *log, const char *prog, const char *const args[]);
/* it_spawn() of prog with "-c cfg", then wait until its log has ready
 * (the test fails after timeout seconds, with the log printed). */
pid_t it_spawn_ready(struct it_env *e, const char *log, const char *prog, const char *cfg,
    const char *ready, double timeout);
/* Run a program of the build tree to its end (output in dir/LOG); its exit
 * status (-1 if it did not exit), and *out its output (caller frees). */
int it_run(struct it_env *e, const char *log, const char *prog, const char *const args[],
    char **out);
/* A TCP port on 127.0.0.1 nothing listens on (just now). */
int it_free_port(void);
/* Signal pid, wait up to timeout seconds, then SIGKILL. Returns the wait
 * status (0 for a pid <= 0: one stopped already). */
int it_stop(pid_t pid, int sig, double timeout);
/* Print dir/LOG to stderr (for failures). */
void it_dump(struct it_env *e, const char *log);
/* Wait until dir/LOG contains text: the seconds it took, or -1 after
 * timeout seconds. */
double it_wait_log(struct it_env *e, const char *log, const char *text, double timeout);
/* The whole content of dir/NAME (caller frees), "" if missing. */
char *it_read(struct it_env *e, const char *name);

/* First column of the first row of sql in the test's schema, or NULL
 * (no row, NULL value, or no schema yet). Caller frees. */
char *it_sql(struct it_env *e, const char *sql);
/* Assert that sql yields want (and free what it yielded). */
#define IT_ASSERT_SQL(e, sql, want) do { \
	char *v_ = it_sql((e), (sql)); \
	ck_assert_msg(v_ != NULL && strcmp(v_, (want)) == 0, "%s\n  got \"%s\", want \"%s\"", \
	    (sql), v_ != NULL ? v_ : "(null)", (want)); \
	free(v_); \
} while (0)

/*
 * A private harness, for tests that stop and start servers (and so cannot
 * share the one other tests run on): it_harness_up() starts one in a new
 * temporary directory (its path into dir) and points VIGIL_PG,
 * VIGIL_AMQP_URL and PG* at it (call it before it_env_init());
 * it_harness() runs `scripts/harness SUB DIR` (stop-rabbitmq, ...): its
 * exit status; it_harness_down() stops it and removes the directory.
 */
void it_harness_up(char *dir, size_t len);
int it_harness(const char *dir, const char *sub);
void it_harness_down(const char *dir);

/* Poll sql every 100 ms until it yields expect; 0, or -1 at timeout. */
int it_wait_sql(struct it_env *e, const char *sql, const char *expect, double timeout);

#endif
