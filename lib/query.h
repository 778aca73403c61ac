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

/* The engine's verdict on command id: 1 (with *ok and msg), 0 not logged
 * yet, -1 error. */
int query_command_verdict(PGconn *pc, const char *id, int *ok, char *msg, size_t msglen,
    char *err, size_t errlen);

#endif
