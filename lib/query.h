/*
 * NAME
 *	query - the named reads of vigil's state in PostgreSQL
 * DESCRIPTION
 *	What vigilctl (and the HTTP API after it) reads from the database,
 *	named here once instead of as SQL scattered through programs. Each
 *	returns a PGresult the caller clears, with the columns listed below
 *	(in this order; times as epoch seconds and as RFC 3339 text where
 *	both are given). Read-only: what changes state goes to the engine as
 *	a command (msg.h).
 * DIAGNOSTICS
 *	NULL (or -1) with err saying what PostgreSQL answered.
 */
#ifndef VIGIL_QUERY_H
#define VIGIL_QUERY_H

#include <libpq-fe.h>
#include <stddef.h>

/* Every check (problems_only: state > 0), by host then service (a host's
 * own check first): 0 host, 1 service, 2 state, 3 state_type, 4 attempt,
 * 5 max_attempts, 6 output, 7 last_check (RFC 3339), 8 last_check
 * (epoch), 9 long_output, 10 perfdata, 11 pool, 12 next_check (RFC
 * 3339), 13 latency_ms, 14 duration_ms, 15 locations (JSON array of
 * {pool, status, output, last_check, last_check_text, worker} in pool
 * order; NULL for a single-location check), 16 acknowledged, 17
 * in_downtime, 18 flapping, 19 ack_author, 20 ack_comment. */
PGresult *query_status(PGconn *pc, int problems_only, char *err, size_t errlen);

/* Every group by name: 0 name, 1 title, 2 worst_state, 3..13 the counts
 * ok, warning, critical, unknown, up, down, unreachable, pending,
 * acknowledged, in_downtime, flapping, 14 its parents' names ({a,b}). */
PGresult *query_groups(PGconn *pc, char *err, size_t errlen);

/* Every pool by name: 0 name, 1 state, 2 live_workers, 3 checks, 4 since
 * (epoch), 5 since (RFC 3339), 6 capacity, 7 inflight, 8 held, 9 waiting
 * (s), 10 late_expired. */
PGresult *query_pools(PGconn *pc, char *err, size_t errlen);

/* Every live worker by pool, host, pid: 0 pool, 1 id, 2 host, 3 pid, 4
 * concurrency, 5 running, 6 awaiting, 7 version, 8 started (epoch), 9
 * last_seen (epoch), 10 seconds since last_seen. */
PGresult *query_workers(PGconn *pc, char *err, size_t errlen);

/* The latest limit notifications (failed_only: those with a delivery
 * given up or being retried, and only those deliveries), oldest first,
 * one row per delivery: 0 id, 1 time (text, UTC), 2 type, 3 number, 4
 * host, 5 service, 6 output, 7 contact, 8 channel, 9 status, 10
 * attempts, 11 last_error, 12 time (epoch), 13 address, 14 escalated. */
PGresult *query_notifications(PGconn *pc, int limit, int failed_only, char *err,
    size_t errlen);

/*
 * The API's reads. Times are RFC 3339 UTC text (NULL: none); patterns
 * are POSIX regular expressions (the API turns globs into them), NULL:
 * any.
 */
struct query_filter {
	const char *host_re, *service_re;	/* a host check has no service */
	int has_state, state, state_host;	/* state: 0..3, -1 PENDING;
						 * state_host: a host's state */
	const char *group;	/* a group's name: its checks and its subtree's */
	const char *groups;	/* or several, as a text[] literal ({a,b}) */
	int problems, unhandled;
	const char *after_host, *after_service;	/* the cursor, exclusive */
	int limit;
};

/* Checks by host then service in byte order (a host's own check first):
 * 0 host, 1 service, 2 state, 3 state_type, 4 attempt, 5 max_attempts, 6
 * output, 7 long_output, 8 perfdata, 9 last_check, 10 next_check, 11
 * last_state_change, 12 last_hard_state_change, 13 latency_ms, 14
 * duration_ms, 15 percent_state_change, 16 acknowledged, 17 in_downtime,
 * 18 flapping, 19 pool, 20 ack_author, 21 ack_comment, 22 locations (JSON
 * array of {pool, status, output, last_check, worker}, NULL for one
 * location), 23 checks.id, 24 active, 25 passive, 26 ack_time. */
PGresult *query_checks(PGconn *pc, const struct query_filter *f, char *err, size_t errlen);
/* The groups (a text[] literal) and their subtrees: rows (0 'g', 1 a
 * group's name) and (0 'c', 1 host, 2 service, "" for a host check) for
 * every check in them. */
PGresult *query_subtree(PGconn *pc, const char *groups, char *err, size_t errlen);
/* The newest event whose change is committed (migration 011): a snapshot
 * read in the same transaction holds every event up to it; and into
 * *live the engine's live messages it holds (migration 012). -1 on error. */
long long query_event_position(PGconn *pc, long long *live, char *err, size_t errlen);
/* One check (service NULL: the host's own), the columns of query_checks(). */
PGresult *query_check(PGconn *pc, const char *host, const char *service, char *err,
    size_t errlen);
/* Open downtimes (pending or started), by start: 0 id, 1 host, 2 service,
 * 3 start, 4 end, 5 fixed, 6 duration_s, 7 author, 8 comment, 9 created,
 * 10 started_at. id, check_id: only that one / that check's (NULL: any). */
PGresult *query_downtimes(PGconn *pc, const char *host_re, const char *service_re,
    const char *id, const char *check_id, char *err, size_t errlen);
/* A check's latest notifications, newest first: 0 id, 1 time, 2 type, 3
 * number, 4 state, 5 output, 6 contacts (JSON array), 7 escalated, 8
 * author, 9 comment. */
PGresult *query_check_notifications(PGconn *pc, const char *check_id, int limit, char *err,
    size_t errlen);
/* A check's state changes, newest first, in [since, until) (epoch
 * seconds as text, NULL: open) and before id before_id: 0 id, 1 time, 2
 * state, 3 state_type, 4 attempt, 5 old_state, 6 hard_change, 7 output. */
PGresult *query_history(PGconn *pc, const char *check_id, const char *since,
    const char *until, const char *before_id, int limit, char *err, size_t errlen);
/* A check's perfdata in [since, until) in buckets of step seconds, per
 * label (NULL: every label): 0 label, 1 uom, 2 bucket start (epoch), 3
 * min, 4 max, 5 avg, 6 values, 7 values not U. */
PGresult *query_perfdata(PGconn *pc, const char *check_id, double since, double until,
    int step, const char *label, char *err, size_t errlen);

/* The engine's verdict on command id: 1 (with *ok and msg), 0 not logged
 * yet, -1 error. */
int query_command_verdict(PGconn *pc, const char *id, int *ok, char *msg, size_t msglen,
    char *err, size_t errlen);

#endif
