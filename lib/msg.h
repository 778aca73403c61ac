/*
 * NAME
 *	msg - the JSON messages that cross RabbitMQ: jobs, results, heartbeats
 * DESCRIPTION
 *	A job (engine → worker, exchange <prefix>.jobs, routing key
 *	<pool>.<check id>):
 *	  {"v":1, "job":"<32 hex>", "check":17, "host":"web-01",
 *	   "service":"http" | null, "pool":"default", "argv":[...],
 *	   "timeout":60, "timeout_state":2, "scheduled":1732190000.25,
 *	   "deadline":1732190060.25, "users":"0:0:1;4:3:3" (optional),
 *	   "kind":"event_handler" (optional: absent is a check)}
 *	"users" lists where the worker puts $USERn$ values from its own
 *	resource file: argv[ARG] holds the text "$USERN$" at byte OFF. The
 *	values never travel. An event handler's job runs like a check's;
 *	its result carries "kind":"event_handler" back.
 *	A result (worker or passive submitter → exchange <prefix>.results):
 *	  {"v":1, "job":"…" (absent for passive), "check":17 (optional),
 *	   "id":"…" (passive, optional: applied once per id),
 *	   "host":"web-01", "service":"http" | null, "status":0,
 *	   "output":"text | perfdata\nlong…", "time":1732190000 (passive) or
 *	   "start"/"end", "scheduled", "pool", "worker", "exit_code",
 *	   "signal", "timed_out", "kind" (as the job's, when not a check)}
 *	A worker heartbeat (worker → exchange <prefix>.events, routing key
 *	worker.<pool>, every few seconds, at connect and once more with
 *	"stopping": true on a clean stop):
 *	  {"v":1, "type":"worker", "pool":"default", "host":"w1", "pid":4242,
 *	   "id":"w1:4242", "concurrency":64, "running":3, "awaiting":1,
 *	   "version":"0.1.0", "started":1732190000.5, "time":1732190300.5,
 *	   "stopping":true (only on the last one)}
 *	"awaiting" counts results the broker has not confirmed yet.
 *	A notification delivery (engine outbox → exchange <prefix>.events,
 *	routing key notification.<contact> → queue <prefix>.notify; one per
 *	notification, contact and channel; "id" is the delivery's id, the key
 *	of idempotence):
 *	  {"v":1, "type":"notification", "id":"<32 hex>",
 *	   "notification":"<32 hex>", "kind":"PROBLEM", "number":1,
 *	   "escalated":false, "channel":"email"|"slack"|"webhook"|"command",
 *	   "contact":{"name":"alice", "alias":"Alice", "email":"a@x" | null,
 *	     "slack":"#ops" | null, "webhook":"http://…" | null,
 *	     "command":["/usr/lib/…/notify", "$CONTACTEMAIL$", …] | null
 *	     (argv as configured: macros expanded by the notifier),
 *	     "vars":{"pager":"555"}},
 *	   "host":"web-01", "host_address":"10.0.0.5", "host_alias":"web-01",
 *	   "service":"http" | null, "state":"CRITICAL", "old_state":"OK",
 *	   "state_type":"HARD", "attempt":3, "max_attempts":3,
 *	   "output":"…", "long_output":"…", "perfdata":"…",
 *	   "time":1732190000.5, "last_state_change":1732189990.1,
 *	   "author":"bob" | null, "comment":"…" | null,
 *	   "items":[{"host":…, "service":…, "kind":"PROBLEM", "state":…,
 *	     "output":…, "time":…}, …] (DIGEST only: what it stands for)}
 *	A command (vigilctl, vigil-web → exchange <prefix>.commands; the
 *	engine logs its verdict in command_log under "id"):
 *	  {"v":1, "id":"<32 hex>", "command":"reload"|"ack"|"unack"|
 *	   "downtime"|"cancel"|"custom"|"recheck", "time":1732190000.5,
 *	   "host":"web-01", "service":"http" | null, "author":"bob",
 *	   "source":"192.0.2.7" (optional: an API client's address),
 *	   "comment":"…", "sticky":false, "notify":true (ack),
 *	   "start":…, "end":…, "fixed":true, "duration":3600 (downtime),
 *	   "downtime_id":"…" | null (cancel), "services":false (downtime,
 *	   cancel, disable and enable of a host: its services too),
 *	   "what":"notifications" (disable, enable: active_checks,
 *	   passive_checks, notifications, flap_detection, event_handlers),
 *	   "global":false (disable, enable: for every check, no host),
 *	   "children":"plain"|"triggered" (downtime of a host: its child
 *	   hosts too, with the same window or triggered by the host's)}
 *	Every message carries "v"; a newer major version is refused.
 * DIAGNOSTICS
 *	Decoders return -1 with a message in err naming the offending field;
 *	the daemon logs it and parks the message.
 */
#ifndef VIGIL_MSG_H
#define VIGIL_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct cfg_var;		/* config.h */

#define MSG_VERSION 1
/* What a command's fields may hold, at most (bytes): a longer one is
 * refused (parked with the reason). */
#define MSG_NAME_MAX 1024	/* host, service, downtime_id */
#define MSG_AUTHOR_MAX 256	/* author, source */
#define MSG_COMMENT_MAX 4096	/* comment */

/* What a job runs (its "kind"; absent: a check). */
#define MSG_JOB_CHECK		0
#define MSG_JOB_EVENT_HANDLER	1	/* "event_handler": the check's event
					 * handler; its result is only
					 * recorded (engine/eventh.h) */

struct job {
	char id[UTIL_ID_LEN + 1];
	int kind;		/* MSG_JOB_* */
	int64_t check_id;
	char *host;
	char *service;		/* NULL for a host check */
	char *pool;
	char **argv;		/* NULL-terminated; "$USERn$" where users says */
	size_t argc;
	char *users;		/* "ARG:OFF:N;…" (cfg_check's users), NULL: none */
	int timeout;		/* seconds */
	int timeout_state;
	double scheduled;	/* when the check was due */
	double deadline;	/* publish time + interval: the broker expires it then */
};

#define MSG_RESULT_ID_MAX 128	/* a passive result's id: printable ASCII */

struct result_msg {
	char job[UTIL_ID_LEN + 1];	/* "" for passive results */
	int kind;		/* the job's MSG_JOB_*: 0 for passive results */
	/* A passive result's own id ("" if none): the engine applies each
	 * id once (vigilctl and the API always give one). */
	char id[MSG_RESULT_ID_MAX + 1];
	int64_t check_id;	/* 0 if unknown: look up host/service */
	char *host;
	char *service;		/* NULL for a host check */
	char *pool;		/* NULL for passive */
	char *worker;		/* worker identity, NULL for passive */
	int status;		/* 0..3 */
	char *output;		/* full plugin text, UTF-8 */
	double scheduled;	/* 0 for passive */
	double start;		/* for passive: "time" */
	double end;
	int exit_code;		/* -1 if none (signal, timeout, passive) */
	int signo;
	int timed_out;
};

#define MSG_WORKER_STR_MAX 255	/* longest pool, host, id or version */

struct worker_msg {
	char *pool;
	char *host;
	char *id;		/* "host:pid": unique per worker process */
	char *version;
	int64_t pid;
	int concurrency;
	int running;		/* plugins running now */
	int awaiting;		/* results not yet confirmed by the broker */
	double started;		/* when the worker started */
	double time;		/* when it sent this */
	int stopping;		/* the last one of a clean stop */
};

struct notification_item {	/* one line of a digest */
	char *kind;
	char *host;
	char *service;		/* NULL for a host */
	char *state;
	char *output;
	double time;
};

struct notification_msg {
	char id[UTIL_ID_LEN + 1];		/* the delivery */
	char notification[UTIL_ID_LEN + 1];
	char *kind;		/* "PROBLEM" … (notify_type_name()) */
	int number;
	int escalated;
	char *channel;		/* "email", "slack", "webhook", "command" */
	char *contact;		/* name */
	char *contact_alias;
	char *email, *slack, *webhook;	/* NULL: none */
	char **command;		/* NULL-terminated argv, NULL: none */
	size_t ncommand;
	struct cfg_var *vars;	/* contact's custom variables */
	size_t nvars;
	char *host, *host_address, *host_alias;
	char *service;		/* NULL for a host */
	char *state, *old_state;	/* names: "CRITICAL", "UP" …; old NULL if pending */
	char *state_type;	/* "SOFT", "HARD" */
	int attempt, max_attempts;
	char *output, *long_output, *perfdata;
	double time, last_state_change;
	char *author, *comment;	/* NULL: none */
	struct notification_item *items;	/* DIGEST */
	size_t nitems;
};

enum command_kind {
	COMMAND_UNKNOWN,	/* a name this engine does not know */
	COMMAND_RELOAD,
	COMMAND_ACK,
	COMMAND_UNACK,
	COMMAND_DOWNTIME,
	COMMAND_CANCEL,
	COMMAND_CUSTOM,
	COMMAND_RECHECK,	/* run the check now, out of schedule */
	COMMAND_DISABLE,	/* a runtime switch off: "what", for a check, a
				 * host (with "services": its services too) or
				 * "global" */
	COMMAND_ENABLE,		/* and on again */
};

/* The runtime switches (Nagios's enable/disable commands): bits of a
 * check's disabled set and of the global one. */
#define SWITCH_ACTIVE_CHECKS	0x01	/* not scheduled (a recheck still runs) */
#define SWITCH_PASSIVE_CHECKS	0x02	/* passive results refused */
#define SWITCH_NOTIFICATIONS	0x04
#define SWITCH_FLAP_DETECTION	0x08
#define SWITCH_EVENT_HANDLERS	0x10	/* kept for the event handlers to come */
#define SWITCH_ALL		0x1f

/* "active_checks" … "event_handlers" ('-' for '_' is accepted): its bit,
 * 0 if none. */
unsigned msg_switch_parse(const char *name);
/* One bit's name; NULL for anything else. */
const char *msg_switch_name(unsigned bit);

/* Fields a command does not use are ignored; the decoder is lenient on
 * them (a field of the wrong type reads as absent) and the engine refuses
 * what it cannot apply, naming why, in the command log. */
struct command_msg {
	char id[UTIL_ID_LEN + 1];	/* "" when absent or longer than 32 */
	enum command_kind kind;
	char *name;		/* the command as sent */
	char *host;		/* NULL: absent */
	char *service;		/* NULL: the host's own check */
	char *author;		/* NULL: absent */
	char *source;		/* where it came from (an HTTP client's
				 * address), NULL: absent */
	char *comment;		/* NULL: absent */
	char *downtime_id;	/* cancel: NULL = every downtime */
	int sticky;		/* ack, default 0 */
	int notify;		/* ack, default 1 */
	int services;		/* downtime/cancel/disable/enable of a host,
				 * default 0 */
	char *what;		/* disable/enable: the switch's name */
	int children;		/* downtime of a host: for its child hosts too,
				 * 1 plain (the same window), 2 triggered (they
				 * start when the host's starts) */
	int global;		/* disable/enable: for everything (no host) */
	int fixed;		/* downtime, default 1 */
	int has_start;		/* start given; otherwise now */
	double start, end;	/* end 0: absent */
	int duration;		/* seconds (flexible downtime) */
	double time;		/* when it was sent, 0: absent */
};

const char *msg_command_name(enum command_kind kind);

/* Encoders return a fresh NUL-terminated JSON string; *len its length. */
char *msg_job_encode(const struct job *job, size_t *len);
int msg_job_decode(const void *body, size_t len, struct job *job, char *err, size_t errlen);
void msg_job_clear(struct job *job);

/* 1 if s can be a passive result's id: 1 to MSG_RESULT_ID_MAX printable
 * ASCII characters, no space. */
int msg_result_id_valid(const char *s);
char *msg_result_encode(const struct result_msg *res, size_t *len);
int msg_result_decode(const void *body, size_t len, struct result_msg *res, char *err, size_t errlen);
void msg_result_clear(struct result_msg *res);

char *msg_worker_encode(const struct worker_msg *w, size_t *len);
int msg_worker_decode(const void *body, size_t len, struct worker_msg *w, char *err, size_t errlen);
void msg_worker_clear(struct worker_msg *w);

char *msg_notification_encode(const struct notification_msg *n, size_t *len);
int msg_notification_decode(const void *body, size_t len, struct notification_msg *n,
    char *err, size_t errlen);
void msg_notification_clear(struct notification_msg *n);

/* Decoding fails only for what is not a command at all (not JSON, no
 * supported "v", no "command" string); an unknown name decodes as
 * COMMAND_UNKNOWN. */
char *msg_command_encode(const struct command_msg *c, size_t *len);
int msg_command_decode(const void *body, size_t len, struct command_msg *c, char *err,
    size_t errlen);
void msg_command_clear(struct command_msg *c);

#endif
