/*
 * NAME
 *	notifier_private - what notifier.c and work.c share: a delivery, its
 *	phases and verdicts, the notifier
 * DESCRIPTION
 *	Not for outside notifier/. notifier.c runs the loop side of each
 *	delivery's state machine (messages, confirms, commands, holds, the
 *	service); work.c its blocking phases on a pool thread (claim, send,
 *	record).
 */
#ifndef VIGIL_NOTIFIER_PRIVATE_H
#define VIGIL_NOTIFIER_PRIVATE_H

#include "notifier.h"
#include "config.h"
#include "daemon.h"
#include "http.h"
#include "ledger.h"
#include "log.h"
#include "mq.h"
#include "msg.h"
#include "pg.h"
#include "tpool.h"
#include "render.h"
#include "runner.h"
#include "smtp.h"
#include "topology.h"
#include "util.h"
#include "xalloc.h"
#include <curl/curl.h>
#include <jansson.h>
#include <ev.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define NF_PAUSE	2.0	/* seconds before a requeue or a second try */
#define NF_KILL_GRACE	2.0	/* seconds between a command's TERM and KILL */
#define NF_STATEMENT	15	/* seconds a statement may take */
#define NF_STOP_GRACE	5.0	/* a stop's margin beyond the above */

enum dv_phase {
	DV_CLAIM,
	DV_RUN,
	DV_RECORD,
	DV_RECORD_FAILED,
	DV_PUBLISH,
	DV_HOLD,
};

static const char *const dv_phase_name[] = {
	"claim", "run", "record", "record-failed", "publish", "hold",
};

enum dv_verdict {
	V_ACK,		/* sent, or done before: ack */
	V_RETRY,	/* recorded 'retrying': reject, the retry queue has it */
	V_GIVE_UP,	/* to <prefix>.notify.failed, then record 'failed' */
	V_RUN,		/* claimed: run the command */
	V_PARK,		/* to <prefix>.parked */
	V_REQUEUE,	/* not claimed (database down, busy): requeue after a pause */
	V_AGAIN,	/* the database failed while recording: same phase after a pause */
};

/*
 * The outcome table (work.c): what the loop does with a delivery, from
 * its claim (not LEDGER_CLAIMED: nothing was attempted), the attempt
 * (sent; permanent: no retry can help; attempt of max_attempts) and the
 * statement that recorded it (rc as ledger_sent()'s: -1 the database
 * failed, 1 another notifier took the delivery over, 0 recorded).
 */
enum dv_verdict work_verdict(enum ledger_claim claim, int sent, int permanent, int attempt,
    int max_attempts, int rc);

/*
 * Where a claimed delivery goes (work.c): n's channel, contact and the
 * target of that channel become the ledger row's; every other target of
 * the message is dropped. 0, with differs set when the message had said
 * another channel, contact or target (a forgery, or a message from
 * another engine: logged); -1 with err when the row names no target that
 * can be used (a permanent failure).
 */
int work_target(struct notification_msg *n, const struct ledger_row *row, int *differs,
    char *err, size_t errlen);

struct notifier;

struct delivery {
	struct notifier *nf;
	struct delivery *next, *prev;	/* nf->all while linked */
	int linked;			/* in nf->all (else on a caller's list) */
	enum dv_phase phase;
	enum dv_verdict verdict;
	struct mq_ref ref;
	char *body;			/* the message as received */
	size_t len;
	int decoded;
	struct notification_msg n;
	int attempt;			/* 1-based: x-death's and the claim's count */
	int claim;			/* attempts after our claim: its token */
	int lost;			/* the claim was taken over: not recorded */
	int ok;				/* the channel took it */
	int permanent;			/* a failure no retry heals */
	int db_error;			/* the verdict is a database failure */
	int was_done;			/* LEDGER_DONE: status in done_status */
	char done_status[16];
	int parked;			/* its copy went to <prefix>.parked */
	char error[512];		/* the delivery's failure, or why parked */
	char dberr[256];
	char **argv, **envp;		/* a command's, between claim and run */
	struct run *run;
	uint64_t seq;			/* publish awaiting its confirm */
	enum dv_phase again;		/* V_AGAIN: the phase to do again */
	ev_timer hold;
	double t0;
};

/* A delivery thread's own connections. */
struct nthread {
	PGconn *pg;
	CURL *curl;
};

struct notifier {
	struct daemon *d;
	struct ev_loop *loop;		/* d's */
	const struct config *cfg;	/* d's */
	const char *identity;		/* d's host:pid, in notification_deliveries.notifier */
	struct mq *mq;
	struct tpool *pool;
	int concurrency;
	char queue[256], retry_queue[256], x_failed[256], x_parked[256];
	const char *smtp_password;	/* from the environment; never logged */
	const char *slack_url;		/* idem */
	struct delivery *all;
	size_t nall;
	int db_down;			/* logged once per outage */
	int stopping;
	double stop_deadline;
	ev_timer drain;
};

/* notifier.c */
int nf_stale(const struct notifier *nf);

/* work.c */
void work_run(void *item, void *tctx, void *arg);
void *work_init(void *arg);
void work_fini(void *tctx, void *arg);

#endif
