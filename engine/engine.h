/*
 * NAME
 *	engine - vigil-engine: schedule checks, publish jobs, apply results
 * DESCRIPTION
 *	engine_service (a daemon.h service) is the whole daemon: with the
 *	config loaded by the skeleton, it waits on standby until it leads (leader.c: one engine per
 *	installation leads, the others take over when it goes), connects to
 *	PostgreSQL (applying migrations and syncing the objects, before the
 *	loop), then runs one libev loop:
 *
 *	  scheduler timer → due checks → jobs on <prefix>.jobs (routing key
 *	    <pool>.<check id>, per-message expiration, one job in flight per
 *	    check; a job with no answer past its deadline is orphaned →
 *	    UNKNOWN "(no result from pool P within N s)")
 *	  <prefix>.results → state machine in memory → batch → database
 *	    thread → commit → ack (never before)
 *	  <prefix>.jobs.dead / .jobs.unroutable → UNKNOWN naming the pool
 *	  <prefix>.heartbeats → live workers per pool (presence.c) → the
 *	    workers and pools tables, at most once a second
 *
 *	SIGTERM/SIGINT: stop scheduling, commit what was applied, ack it,
 *	close the broker connection (unacked results go back to the queue).
 *	SIGHUP: reload (README "Reload"); an invalid config is refused and
 *	the running one stays.
 * DIAGNOSTICS
 *	Config errors: every one printed as file:line:column, exit 1.
 *	Database or broker unreachable at start: retried with backoff.
 *	Malformed messages: logged (warn) and moved to <prefix>.parked
 *	(heartbeats: dropped, logged at most once a minute).
 *	A pool with checks and no live worker: warn once when it becomes so,
 *	info when it has a worker again; a worker silent for 15 s: warn.
 */
#ifndef VIGIL_ENGINE_H
#define VIGIL_ENGINE_H

#include "daemon.h"

#include <stdio.h>

/* daemon_main()'s arg for engine_service. The command line to execute
 * again after losing the lead is the daemon's argv. */
struct engine_opts {
	int check_config;	/* validate, print errors, exit */
	const char *explain;	/* with check_config: the host to explain */
};

struct config;
/* --explain: what the configuration makes of host name, to out; 1 if
 * there is no such host (explain.c). */
int explain_host(const struct config *cfg, const char *name, FILE *out);

extern const struct daemon_service engine_service;

#endif
