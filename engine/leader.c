/*
 * NAME
 *	leader - one leading engine per installation, the others on standby
 * DESCRIPTION
 *	See leader.h. The lock is pg_try_advisory_lock(key1, key2) with the
 *	keys hashtext('vigil leader') and hashtext(prefix): one leader per
 *	installation even when several share a database.
 * DIAGNOSTICS
 *	See leader.h. Losing the session is not an error of this engine:
 *	it logs, and goes back to standby by executing itself again.
 */
#include "leader.h"
#include "config.h"
#include "daemon.h"
#include "log.h"
#include "pg.h"
#include "util.h"
#include "xalloc.h"

#include <ev.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define LEADER_POLL 1.0		/* seconds between attempts as a standby */
#define LEADER_PING 2.0		/* seconds between pings of the session */
#define LEADER_PING_MAX 10.0	/* an unanswered ping after this: lost */

struct leader {
	PGconn *conn;
	struct ev_loop *loop;
	char *const *argv;
	ev_io io;
	ev_timer ping;
	double ping_sent;	/* 0: none in flight */
};

static const char leader_try_sql[] =
	"SELECT pg_try_advisory_lock(hashtext('vigil leader'), hashtext($1))";

struct leader *
leader_acquire(const struct config *cfg, volatile int *stop)
{
	struct leader *l = xcalloc(1, sizeof(*l));
	const char *params[1] = { cfg->prefix };
	int said_standby = 0, said_down = 0;
	char err[1024];

	while (!*stop) {
		PGresult *r;

		if (l->conn == NULL || PQstatus(l->conn) != CONNECTION_OK) {
			if (l->conn != NULL)
				PQfinish(l->conn);
			l->conn = pg_connect(cfg->pg_conninfo, cfg->prefix, err, sizeof(err));
			if (l->conn == NULL) {
				if (!said_down) {
					log_warn("postgres unreachable reason=\"%s\" action=retry", err);
					daemon_notify("READY=1\nSTATUS=waiting for PostgreSQL");
				}
				said_down = 1;
				util_sleep(LEADER_POLL);
				continue;
			}
			said_down = 0;
		}
		r = pg_query(l->conn, leader_try_sql, 1, params, err, sizeof(err));
		if (r != NULL && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't') {
			PQclear(r);
			log_info("leading prefix=%s pid=%ld", cfg->prefix, (long)getpid());
			return l;
		}
		PQclear(r);
		if (!said_standby) {
			log_info("standby: another engine leads prefix=%s; waiting to take over",
			    cfg->prefix);
			/* up, for a service manager: a standby is what it should be */
			daemon_notify("READY=1\nSTATUS=standby: another engine leads");
		}
		said_standby = 1;
		util_sleep(LEADER_POLL);
	}
	leader_free(l);
	return NULL;
}

/* The session is gone, and the lock with it: stop leading now. */
static void __attribute__((noreturn))
lost(struct leader *l, const char *why)
{
	struct rlimit rl;
	int maxfd = 1024;

	log_error("lost the database session holding the lead (%s): stopping at once and"
	    " waiting as a standby", why);
	/* Everything but stdio closes at the exec, at once (closing here would
	 * pull sockets from under the database thread): the broker sees our
	 * connection go and requeues what we had not acked. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		maxfd = (int)rl.rlim_cur;
	for (int fd = 3; fd < maxfd; fd++)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	execv("/proc/self/exe", l->argv);
	log_fatal("cannot execute myself again (%s): exiting", strerror(errno));
}

static void
drain(struct leader *l)
{
	PGresult *r;

	if (!PQconsumeInput(l->conn) || PQstatus(l->conn) != CONNECTION_OK)
		lost(l, PQerrorMessage(l->conn));
	while (!PQisBusy(l->conn) && (r = PQgetResult(l->conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			lost(l, PQresultErrorMessage(r));
		PQclear(r);
		l->ping_sent = 0;
	}
}

static void
io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	drain(w->data);
}

static void
ping_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct leader *l = w->data;
	double now = ev_now(loop);

	if (l->ping_sent > 0) {
		if (now - l->ping_sent > LEADER_PING_MAX)
			lost(l, "no answer from the server");
		return;
	}
	if (!PQsendQuery(l->conn, "SELECT 1"))
		lost(l, PQerrorMessage(l->conn));
	l->ping_sent = now;
	if (PQflush(l->conn) < 0)
		lost(l, PQerrorMessage(l->conn));
}

void
leader_watch(struct leader *l, struct ev_loop *loop, char *const argv[])
{
	l->loop = loop;
	l->argv = argv;
	/* Non-blocking: a ping never holds the loop. */
	PQsetnonblocking(l->conn, 1);
	ev_io_init(&l->io, io_cb, PQsocket(l->conn), EV_READ);
	l->io.data = l;
	ev_io_start(loop, &l->io);
	ev_timer_init(&l->ping, ping_cb, LEADER_PING, LEADER_PING);
	l->ping.data = l;
	ev_timer_start(loop, &l->ping);
}

void
leader_free(struct leader *l)
{
	if (l == NULL)
		return;
	if (l->loop != NULL) {
		ev_io_stop(l->loop, &l->io);
		ev_timer_stop(l->loop, &l->ping);
	}
	if (l->conn != NULL)
		PQfinish(l->conn);	/* the lock goes with the session */
	free(l);
}
