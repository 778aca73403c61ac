/*
 * NAME
 *	vigilctl - the command line of vigil
 * SYNOPSIS
 *	vigilctl [-c vigil.yaml] status [--problems] [--json]
 *	vigilctl [-c vigil.yaml] groups [--json]
 *	vigilctl [-c vigil.yaml] workers [--json]
 *	vigilctl [-c vigil.yaml] submit HOST[/SERVICE] STATE OUTPUT
 *	vigilctl [-c vigil.yaml] reload
 *	vigilctl [-c vigil.yaml] ack HOST[/SERVICE] -m TEXT [--sticky] [--no-notify]
 *	vigilctl [-c vigil.yaml] unack HOST[/SERVICE]
 *	vigilctl [-c vigil.yaml] notify HOST[/SERVICE] -m TEXT
 *	vigilctl [-c vigil.yaml] downtime HOST[/SERVICE] --for DURATION -m TEXT
 *	    [--start WHEN] [--flexible WINDOW] [--services]
 *	vigilctl [-c vigil.yaml] downtime HOST[/SERVICE] --cancel [ID] [--services]
 *	vigilctl [-c vigil.yaml] notifications [--failed] [--limit N] [--json]
 * DESCRIPTION
 *	status lists every check with host, service, state, state type,
 *	attempt, last check time and output; a multi-location check (several
 *	pools) also each location's last result, in pool order (a line each,
 *	or "locations" in --json). groups prints the group tree
 *	(a group with several parents appears under each) with its counts and
 *	worst state, as the engine keeps them in group_state. workers lists
 *	the pools (those of checks and of live workers) with their state (ok,
 *	overloaded, no_worker, pending), their flow (capacity: the live
 *	workers' concurrency; inflight: jobs out; held: due checks the engine
 *	holds back; wait: the oldest held one's wait) and each pool's live
 *	workers, as the engine last
 *	recorded them from their heartbeats (tables pools and workers). submit
 *	publishes a passive result and reload asks the engine to load its
 *	config again, both through RabbitMQ ($VIGIL_AMQP_URL or vigil.yaml),
 *	waiting for the broker's confirm. ack, unack, downtime and its
 *	--cancel go to the engine the same way (exchange <prefix>.commands)
 *	with an id, and vigilctl then waits (at most 15 s) for the engine's
 *	verdict in the command log (table command_log) and prints it: applied,
 *	or refused and why. notifications lists the latest notifications with
 *	each delivery's contact, channel, status, attempts and last error
 *	(--failed: only deliveries given up or being retried). Until the engine's HTTP API
 *	exists, vigilctl reads PostgreSQL directly (read-only), reaching it
 *	through vigil.yaml (-c, or $VIGIL_CONFIG) and $VIGIL_PG, in the schema
 *	named by the prefix ($VIGIL_PREFIX overrides).
 * DIAGNOSTICS
 *	Exit 0 on success, 1 when the database cannot be read (the message
 *	says why), 2 on a usage error.
 */
#include "config.h"
#include "daemon.h"
#include "msg.h"
#include "mqcli.h"
#include "pg.h"
#include "result.h"
#include "topology.h"
#include "util.h"
#include "xalloc.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char status_sql[] =
	"SELECT h.name, c.service, s.state, s.state_type, s.attempt, c.max_attempts,"
	" s.output, to_char(s.last_check AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" extract(epoch FROM s.last_check), s.long_output, s.perfdata, s.pool,"
	" to_char(s.next_check AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" s.latency_ms, s.duration_ms,"
	/* Every pool of a multi-location check, with or without a result
	 * yet; NULL for a single-location check. */
	" CASE WHEN cardinality(c.pools) > 1 THEN (SELECT json_agg(json_build_object("
	"  'pool', p.pool, 'status', l.status, 'output', coalesce(l.output, ''),"
	"  'last_check', extract(epoch FROM l.last_check),"
	"  'last_check_text', to_char(l.last_check AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	"  'worker', l.worker) ORDER BY p.ord)"
	"  FROM unnest(c.pools) WITH ORDINALITY AS p(pool, ord)"
	"  LEFT JOIN check_locations l ON l.check_id = c.id AND l.pool = p.pool)::text END,"
	" coalesce(s.acknowledged, false), coalesce(s.in_downtime, false),"
	" coalesce(s.flapping, false), s.ack_author, s.ack_comment"
	" FROM checks c JOIN hosts h ON h.id = c.host_id"
	" LEFT JOIN check_state s ON s.check_id = c.id"
	" WHERE ($1 = '0' OR s.state > 0)"
	" ORDER BY h.name, c.service NULLS FIRST";

static const char groups_sql[] =
	"SELECT g.name, g.title, coalesce(gs.worst_state, 'PENDING'),"
	" coalesce(gs.ok, 0), coalesce(gs.warning, 0), coalesce(gs.critical, 0),"
	" coalesce(gs.unknown, 0), coalesce(gs.up, 0), coalesce(gs.down, 0),"
	" coalesce(gs.unreachable, 0), coalesce(gs.pending, 0),"
	" coalesce(gs.acknowledged, 0), coalesce(gs.in_downtime, 0), coalesce(gs.flapping, 0),"
	" ARRAY(SELECT p.name FROM group_parents gp JOIN groups p ON p.id = gp.parent_id"
	"  WHERE gp.group_id = g.id ORDER BY p.name)::text"
	" FROM groups g LEFT JOIN group_state gs ON gs.group_id = g.id ORDER BY g.name";

static const char pools_sql[] =
	"SELECT name, state, live_workers, checks, extract(epoch FROM since),"
	" to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" capacity, inflight, held, waiting, late_expired"
	" FROM pools ORDER BY name";

static const char workers_sql[] =
	"SELECT pool, id, host, pid, concurrency, running, awaiting, version,"
	" extract(epoch FROM started), extract(epoch FROM last_seen),"
	" greatest(extract(epoch FROM now() - last_seen), 0)"
	" FROM workers ORDER BY pool, host, pid";

#define GROUP_NCOUNTS 11
static const char *const group_count_names[GROUP_NCOUNTS] = {
	"ok", "warning", "critical", "unknown", "up", "down", "unreachable",
	"pending", "acknowledged", "in_downtime", "flapping",
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vigilctl [-c vigil.yaml] COMMAND\n"
	    "commands:\n"
	    "  status [--problems] [--json]   every check and its state\n"
	    "  groups [--json]                the group tree with counts and worst state\n"
	    "  workers [--json]               pools, their state and their live workers\n"
	    "  submit HOST[/SERVICE] STATE OUTPUT   a passive result (STATE: OK, WARNING,\n"
	    "                                 CRITICAL, UNKNOWN, UP, DOWN or 0-3)\n"
	    "  reload                         make the engine load its config again\n"
	    "  ack HOST[/SERVICE] -m TEXT [--sticky] [--no-notify]\n"
	    "                                 acknowledge a problem (sticky: until OK)\n"
	    "  unack HOST[/SERVICE]           remove the acknowledgement\n"
	    "  notify HOST[/SERVICE] -m TEXT  send a CUSTOM notification to its contacts\n"
	    "  downtime HOST[/SERVICE] --for DURATION -m TEXT [--start WHEN]\n"
	    "           [--flexible WINDOW] [--services]\n"
	    "                                 schedule downtime (WHEN: epoch seconds or +5m;\n"
	    "                                 flexible: starts at the first problem within\n"
	    "                                 WINDOW, lasts DURATION)\n"
	    "  downtime HOST[/SERVICE] --cancel [ID] [--services]   cancel downtime\n"
	    "  notifications [--failed] [--limit N] [--json]\n"
	    "                                 latest notifications and their deliveries\n");
}

static const char *
val(PGresult *r, int i, int col)
{
	return PQgetisnull(r, i, col) ? NULL : PQgetvalue(r, i, col);
}

/* A location's plugin status as the check's kind names it: a host is UP
 * or DOWN as its check result would make it. */
static const char *
location_state(const json_t *status, int is_host)
{
	int s = json_is_integer(status) ? (int)json_integer_value(status) : STATE_PENDING;

	if (is_host && s != STATE_PENDING)
		s = s <= STATUS_WARNING ? HOST_UP : HOST_DOWN;
	return result_state_name(s, is_host);
}

/* Row i's locations (column 15) as the --json "locations" array, or NULL
 * for a single-location check. */
static json_t *
locations_json(PGresult *r, int i, int is_host)
{
	json_t *in, *out, *l;
	size_t k;

	if (val(r, i, 15) == NULL || (in = json_loads(val(r, i, 15), 0, NULL)) == NULL)
		return NULL;
	out = json_array();
	json_array_foreach(in, k, l) {
		json_t *t = json_object_get(l, "last_check");

		json_array_append_new(out, json_pack("{s:O, s:s, s:O, s:o, s:O}",
		    "pool", json_object_get(l, "pool"),
		    "state", location_state(json_object_get(l, "status"), is_host),
		    "output", json_object_get(l, "output"),
		    "last_check", json_is_number(t) ? json_real(json_number_value(t)) : json_null(),
		    "worker", json_object_get(l, "worker")));
	}
	json_decref(in);
	return out;
}

/* Row i's locations, a line each under the check's. */
static void
print_locations(PGresult *r, int i, int is_host)
{
	json_t *in, *l;
	size_t k;

	if (val(r, i, 15) == NULL || (in = json_loads(val(r, i, 15), 0, NULL)) == NULL)
		return;
	json_array_foreach(in, k, l) {
		const char *when = json_string_value(json_object_get(l, "last_check_text"));
		char from[64];

		snprintf(from, sizeof(from), "  from %s",
		    json_string_value(json_object_get(l, "pool")));
		printf("%-20s %-20s %-11s %-4s %-7s %-20s %s\n", "", from,
		    location_state(json_object_get(l, "status"), is_host), "", "",
		    when != NULL ? when : "never",
		    json_string_value(json_object_get(l, "output")));
	}
	json_decref(in);
}

static int
cmd_status(PGconn *pc, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "problems", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, problems = 0, ch;
	const char *params[1];
	char err[1024];
	PGresult *r;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "jp", longopts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'p')
			problems = 1;
		else {
			usage(stderr);
			return 2;
		}
	}
	params[0] = problems ? "1" : "0";
	r = pg_query(pc, status_sql, 1, params, err, sizeof(err));
	if (r == NULL) {
		fprintf(stderr, "vigilctl: cannot read check state: %s\n", err);
		return 1;
	}
	if (json) {
		json_t *arr = json_array();
		char *s;

		for (int i = 0; i < PQntuples(r); i++) {
			int is_host = PQgetisnull(r, i, 1);
			int state = val(r, i, 2) ? atoi(val(r, i, 2)) : STATE_PENDING;
			json_t *o = json_object();

			json_object_set_new(o, "host", json_string(val(r, i, 0)));
			json_object_set_new(o, "service", is_host ? json_null() : json_string(val(r, i, 1)));
			json_object_set_new(o, "state", json_string(result_state_name(state, is_host)));
			json_object_set_new(o, "state_type", json_string(
			    val(r, i, 3) && atoi(val(r, i, 3)) == 0 ? "SOFT" : "HARD"));
			json_object_set_new(o, "attempt", json_integer(val(r, i, 4) ? atoi(val(r, i, 4)) : 1));
			json_object_set_new(o, "max_attempts", json_integer(atoi(val(r, i, 5))));
			json_object_set_new(o, "output", json_string(val(r, i, 6) ? val(r, i, 6) : ""));
			json_object_set_new(o, "long_output", json_string(val(r, i, 9) ? val(r, i, 9) : ""));
			json_object_set_new(o, "perfdata", json_string(val(r, i, 10) ? val(r, i, 10) : ""));
			json_object_set_new(o, "last_check", val(r, i, 8) ? json_real(atof(val(r, i, 8))) : json_null());
			json_object_set_new(o, "next_check", val(r, i, 12) ? json_string(val(r, i, 12)) : json_null());
			json_object_set_new(o, "latency_ms", val(r, i, 13) ? json_real(atof(val(r, i, 13))) : json_null());
			json_object_set_new(o, "duration_ms", val(r, i, 14) ? json_real(atof(val(r, i, 14))) : json_null());
			json_object_set_new(o, "pool", val(r, i, 11) ? json_string(val(r, i, 11)) : json_null());
			json_object_set_new(o, "acknowledged", json_boolean(val(r, i, 16)[0] == 't'));
			json_object_set_new(o, "in_downtime", json_boolean(val(r, i, 17)[0] == 't'));
			json_object_set_new(o, "flapping", json_boolean(val(r, i, 18)[0] == 't'));
			if (val(r, i, 19) != NULL)
				json_object_set_new(o, "ack", json_pack("{s:s, s:s}", "author",
				    val(r, i, 19), "comment", val(r, i, 20) ? val(r, i, 20) : ""));
			{
				json_t *locs = locations_json(r, i, is_host);

				if (locs != NULL)
					json_object_set_new(o, "locations", locs);
			}
			json_array_append_new(arr, o);
		}
		s = json_dumps(arr, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		json_decref(arr);
	} else {
		printf("%-20s %-20s %-11s %-4s %-7s %-20s %s\n", "HOST", "SERVICE", "STATE",
		    "TYPE", "ATTEMPT", "LAST CHECK", "OUTPUT");
		for (int i = 0; i < PQntuples(r); i++) {
			int is_host = PQgetisnull(r, i, 1);
			int state = val(r, i, 2) ? atoi(val(r, i, 2)) : STATE_PENDING;
			char attempt[32], flags[64];

			snprintf(attempt, sizeof(attempt), "%s/%s",
			    val(r, i, 4) ? val(r, i, 4) : "1", val(r, i, 5));
			/* [ACK] [DOWNTIME] [FLAPPING] before the output */
			snprintf(flags, sizeof(flags), "%s%s%s",
			    val(r, i, 16)[0] == 't' ? "[ACK] " : "",
			    val(r, i, 17)[0] == 't' ? "[DOWNTIME] " : "",
			    val(r, i, 18)[0] == 't' ? "[FLAPPING] " : "");
			printf("%-20s %-20s %-11s %-4s %-7s %-20s %s%s\n", val(r, i, 0),
			    is_host ? "(host)" : val(r, i, 1), result_state_name(state, is_host),
			    state == STATE_PENDING ? "-" :
			    (val(r, i, 3) && atoi(val(r, i, 3)) == 0 ? "SOFT" : "HARD"),
			    attempt, val(r, i, 7) ? val(r, i, 7) : "never", flags,
			    val(r, i, 6) ? val(r, i, 6) : "");
			print_locations(r, i, is_host);
		}
	}
	PQclear(r);
	return 0;
}

/* Is row i's group a child of name? parents is a text[] literal "{a,b}";
 * group names never hold commas, braces or quotes (config checks them). */
static int
has_parent(PGresult *r, int i, const char *name)
{
	const char *p = PQgetvalue(r, i, 14);
	size_t n = strlen(name);

	for (p++; *p != '\0' && *p != '}'; ) {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '}'))
			return 1;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		p++;
	}
	return 0;
}

static json_t *
group_json(PGresult *r, int i, int depth)
{
	json_t *o = json_object(), *counts = json_object(), *parents = json_array(),
	    *children = json_array();
	const char *name = PQgetvalue(r, i, 0);

	for (int k = 0; k < GROUP_NCOUNTS; k++)
		json_object_set_new(counts, group_count_names[k],
		    json_integer(atoi(PQgetvalue(r, i, 3 + k))));
	for (int j = 0; j < PQntuples(r); j++)
		if (has_parent(r, i, PQgetvalue(r, j, 0)))
			json_array_append_new(parents, json_string(PQgetvalue(r, j, 0)));
	/* A DAG has no cycles (the config refuses them); depth is a guard. */
	for (int j = 0; j < PQntuples(r) && depth < 64; j++)
		if (has_parent(r, j, name))
			json_array_append_new(children, group_json(r, j, depth + 1));
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "title", json_string(PQgetvalue(r, i, 1)));
	json_object_set_new(o, "parents", parents);
	json_object_set_new(o, "counts", counts);
	json_object_set_new(o, "worst_state", json_string(PQgetvalue(r, i, 2)));
	json_object_set_new(o, "children", children);
	return o;
}

static void
group_print(PGresult *r, int i, int depth)
{
	const char *name = PQgetvalue(r, i, 0);
	char label[256];

	snprintf(label, sizeof(label), "%*s%s", depth * 2, "", name);
	printf("%-32s %-11s %5s %5s %5s %5s  %4s %4s %4s  %5s %4s %4s\n", label,
	    PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4),
	    PQgetvalue(r, i, 5), PQgetvalue(r, i, 6), PQgetvalue(r, i, 7),
	    PQgetvalue(r, i, 8), PQgetvalue(r, i, 9), PQgetvalue(r, i, 10),
	    PQgetvalue(r, i, 11), PQgetvalue(r, i, 12));
	for (int j = 0; j < PQntuples(r) && depth < 64; j++)
		if (has_parent(r, j, name))
			group_print(r, j, depth + 1);
}

static int
cmd_groups(PGconn *pc, int argc, char **argv)
{
	int json = argc > 1 && strcmp(argv[1], "--json") == 0;
	char err[1024];
	PGresult *r;

	if (argc > 2 || (argc == 2 && !json)) {
		usage(stderr);
		return 2;
	}
	r = pg_query(pc, groups_sql, 0, NULL, err, sizeof(err));
	if (r == NULL) {
		fprintf(stderr, "vigilctl: cannot read group state: %s\n", err);
		return 1;
	}
	if (json) {
		json_t *arr = json_array();
		char *s;

		for (int i = 0; i < PQntuples(r); i++)
			if (strcmp(PQgetvalue(r, i, 14), "{}") == 0)
				json_array_append_new(arr, group_json(r, i, 0));
		s = json_dumps(arr, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		json_decref(arr);
	} else {
		printf("%-32s %-11s %5s %5s %5s %5s  %4s %4s %4s  %5s %4s %4s\n", "GROUP", "WORST",
		    "OK", "WARN", "CRIT", "UNKN", "UP", "DOWN", "UNRE", "PEND", "ACK", "DT");
		for (int i = 0; i < PQntuples(r); i++)
			if (strcmp(PQgetvalue(r, i, 14), "{}") == 0)
				group_print(r, i, 0);
	}
	PQclear(r);
	return 0;
}

static json_t *
worker_json(PGresult *w, int j)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(PQgetvalue(w, j, 1)));
	json_object_set_new(o, "host", json_string(PQgetvalue(w, j, 2)));
	json_object_set_new(o, "pid", json_integer(atoll(PQgetvalue(w, j, 3))));
	json_object_set_new(o, "concurrency", json_integer(atoi(PQgetvalue(w, j, 4))));
	json_object_set_new(o, "running", json_integer(atoi(PQgetvalue(w, j, 5))));
	json_object_set_new(o, "awaiting", json_integer(atoi(PQgetvalue(w, j, 6))));
	json_object_set_new(o, "version", json_string(PQgetvalue(w, j, 7)));
	json_object_set_new(o, "started", json_real(atof(PQgetvalue(w, j, 8))));
	json_object_set_new(o, "last_seen", json_real(atof(PQgetvalue(w, j, 9))));
	json_object_set_new(o, "seconds_since_heartbeat", json_real(atof(PQgetvalue(w, j, 10))));
	return o;
}

static int
cmd_workers(PGconn *pc, int argc, char **argv)
{
	int json = argc > 1 && strcmp(argv[1], "--json") == 0;
	char err[1024];
	PGresult *p, *w;

	if (argc > 2 || (argc == 2 && !json)) {
		usage(stderr);
		return 2;
	}
	/* One snapshot for both: the engine replaces them in one commit. */
	if (pg_exec(pc, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err, sizeof(err)) < 0 ||
	    (p = pg_query(pc, pools_sql, 0, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "vigilctl: cannot read pools: %s\n", err);
		return 1;
	}
	if ((w = pg_query(pc, workers_sql, 0, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "vigilctl: cannot read workers: %s\n", err);
		PQclear(p);
		return 1;
	}
	if (json) {
		json_t *arr = json_array();
		char *s;

		for (int i = 0; i < PQntuples(p); i++) {
			json_t *o = json_object(), *list = json_array();

			for (int j = 0; j < PQntuples(w); j++)
				if (strcmp(PQgetvalue(w, j, 0), PQgetvalue(p, i, 0)) == 0)
					json_array_append_new(list, worker_json(w, j));
			json_object_set_new(o, "pool", json_string(PQgetvalue(p, i, 0)));
			json_object_set_new(o, "state", json_string(PQgetvalue(p, i, 1)));
			json_object_set_new(o, "live_workers", json_integer(atoi(PQgetvalue(p, i, 2))));
			json_object_set_new(o, "checks", json_integer(atoi(PQgetvalue(p, i, 3))));
			json_object_set_new(o, "since", json_real(atof(PQgetvalue(p, i, 4))));
			json_object_set_new(o, "capacity", json_integer(atoi(PQgetvalue(p, i, 6))));
			json_object_set_new(o, "inflight", json_integer(atoi(PQgetvalue(p, i, 7))));
			json_object_set_new(o, "held", json_integer(atoi(PQgetvalue(p, i, 8))));
			json_object_set_new(o, "waiting", json_real(atof(PQgetvalue(p, i, 9))));
			json_object_set_new(o, "late_expired",
			    json_integer(strtoll(PQgetvalue(p, i, 10), NULL, 10)));
			json_object_set_new(o, "workers", list);
			json_array_append_new(arr, o);
		}
		s = json_dumps(arr, JSON_INDENT(2));
		printf("%s\n", s);
		free(s);
		json_decref(arr);
	} else {
		printf("%-24s %-10s %7s %7s %8s %8s %8s %7s  %s\n", "POOL", "STATE", "WORKERS",
		    "CHECKS", "CAPACITY", "INFLIGHT", "HELD", "WAIT", "SINCE");
		for (int i = 0; i < PQntuples(p); i++) {
			int header = 0;

			printf("%-24s %-10s %7s %7s %8s %8s %8s %5.1f s  %s\n", PQgetvalue(p, i, 0),
			    PQgetvalue(p, i, 1), PQgetvalue(p, i, 2), PQgetvalue(p, i, 3),
			    PQgetvalue(p, i, 6), PQgetvalue(p, i, 7), PQgetvalue(p, i, 8),
			    atof(PQgetvalue(p, i, 9)), PQgetvalue(p, i, 5));
			for (int j = 0; j < PQntuples(w); j++) {
				if (strcmp(PQgetvalue(w, j, 0), PQgetvalue(p, i, 0)) != 0)
					continue;
				if (!header++)
					printf("  %-28s %7s %5s %5s %5s  %-10s %s\n", "HOST", "PID", "CONC",
					    "RUN", "AWAIT", "VERSION", "LAST HEARTBEAT");
				printf("  %-28s %7s %5s %5s %5s  %-10s %.0f s ago\n", PQgetvalue(w, j, 2),
				    PQgetvalue(w, j, 3), PQgetvalue(w, j, 4), PQgetvalue(w, j, 5),
				    PQgetvalue(w, j, 6), PQgetvalue(w, j, 7), atof(PQgetvalue(w, j, 10)));
			}
		}
	}
	PQclear(w);
	PQclear(p);
	return 0;
}

/* Publish body to the installation's exchange `what`, waiting for the
 * broker's confirm. */
static int
publish(const char *amqp, const char *prefix, const char *what, const char *key,
    const char *body)
{
	char exchange[256], err[512];

	topology_name(exchange, sizeof(exchange), prefix, what);
	if (mqcli_publish(amqp, exchange, key, body, strlen(body), 10, err, sizeof(err)) < 0) {
		fprintf(stderr, "vigilctl: %s\n", err);
		return 1;
	}
	return 0;
}

static int
cmd_submit(const char *amqp, const char *prefix, int argc, char **argv)
{
	char *host, *service, *slash, *body;
	int status, rc;
	json_t *o;

	if (argc != 4) {
		usage(stderr);
		return 2;
	}
	host = xstrdup(argv[1]);
	slash = strchr(host, '/');
	service = NULL;
	if (slash != NULL) {
		*slash = '\0';
		service = slash + 1;
	}
	status = result_state_parse(argv[2], service == NULL);
	if (status < 0 || *host == '\0' || (service != NULL && *service == '\0')) {
		fprintf(stderr, "vigilctl: submit: expected HOST[/SERVICE] STATE OUTPUT, "
		    "STATE one of OK WARNING CRITICAL UNKNOWN (services), UP DOWN (hosts) or 0-3\n");
		free(host);
		return 2;
	}
	o = json_pack("{s:i, s:s, s:o, s:i, s:s, s:f}", "v", 1, "host", host,
	    "service", service != NULL ? json_string(service) : json_null(),
	    "status", status, "output", argv[3], "time", util_now());
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	rc = publish(amqp, prefix, "results", TOPO_RK_PASSIVE, body);
	if (rc == 0)
		printf("submitted %s%s%s %s\n", host, service ? "/" : "", service ? service : "",
		    result_state_name(service != NULL ? status :
		    (status <= STATUS_WARNING ? HOST_UP : HOST_DOWN), service == NULL));
	free(body);
	free(host);
	return rc;
}

static int
cmd_reload(const char *amqp, const char *prefix, int argc)
{
	struct command_msg c = { .kind = COMMAND_RELOAD };
	char *body;
	int rc;

	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	c.time = util_now();
	body = msg_command_encode(&c, NULL);
	rc = publish(amqp, prefix, "commands", "reload", body);
	free(body);
	if (rc != 0)
		return 1;
	printf("reload requested: the engine logs the outcome (and every error if the new "
	    "config is invalid; it then keeps the old one)\n");
	return 0;
}

/* Split "host/service" (service NULL for a host); 0 or -1. */
static int
split_target(const char *arg, char **host, char **service)
{
	char *slash;

	*host = xstrdup(arg);
	*service = NULL;
	if ((slash = strchr(*host, '/')) != NULL) {
		*slash = '\0';
		*service = slash + 1;
	}
	if (**host == '\0' || (*service != NULL && **service == '\0')) {
		free(*host);
		return -1;
	}
	return 0;
}

static const char *
author_name(void)
{
	const char *u = getenv("VIGIL_AUTHOR");

	if (u == NULL || *u == '\0')
		u = getenv("USER");
	if (u == NULL || *u == '\0')
		u = getenv("LOGNAME");
	return u != NULL && *u != '\0' ? u : "vigilctl";
}

/* Publish a command to the engine and wait for its verdict in the
 * command log. */
static int
engine_command(PGconn *pc, const char *amqp, const char *prefix, const char *key,
    struct command_msg *c)
{
	const char *id = c->id;
	const char *params[1] = { id };
	char *body;
	int rc;

	util_random_id(c->id);
	c->author = (char *)author_name();
	c->time = util_now();
	body = msg_command_encode(c, NULL);
	rc = publish(amqp, prefix, "commands", key, body);
	free(body);
	if (rc != 0)
		return 1;
	for (int i = 0; i < 150; i++) {
		char err[512];
		PGresult *r = pg_query(pc, "SELECT ok, message FROM command_log WHERE id = $1", 1,
		    params, err, sizeof(err));

		if (r == NULL) {
			fprintf(stderr, "vigilctl: the command was sent, but its outcome cannot be"
			    " read: %s\n", err);
			return 1;
		}
		if (PQntuples(r) == 1) {
			int ok = PQgetvalue(r, 0, 0)[0] == 't';

			fprintf(ok ? stdout : stderr, "%s%s\n", ok ? "" : "vigilctl: refused: ",
			    PQgetvalue(r, 0, 1));
			PQclear(r);
			return ok ? 0 : 1;
		}
		PQclear(r);
		usleep(100000);
	}
	fprintf(stderr, "vigilctl: command %s sent, but no engine applied it within 15 s (is"
	    " vigil-engine running and leading?); it stays queued\n", id);
	return 1;
}

static int
cmd_ack(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "sticky", no_argument, NULL, 's' },
		{ "no-notify", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = NULL;
	int sticky = 0, notify = 1, ch, unack = strcmp(argv[0], "unack") == 0, rc;
	int custom = strcmp(argv[0], "notify") == 0;
	char *host, *service;
	struct command_msg c;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1)
		switch (ch) {
		case 'm': text = optarg; break;
		case 's': sticky = 1; break;
		case 'n': notify = 0; break;
		default: usage(stderr); return 2;
		}
	if (optind + 1 != argc || (!unack && (text == NULL || *text == '\0')) ||
	    split_target(argv[optind], &host, &service) < 0) {
		fprintf(stderr, "vigilctl: %s HOST[/SERVICE]%s\n", argv[0],
		    unack ? "" : custom ? " -m TEXT" : " -m TEXT [--sticky] [--no-notify]");
		return 2;
	}
	memset(&c, 0, sizeof(c));
	c.kind = custom ? COMMAND_CUSTOM : unack ? COMMAND_UNACK : COMMAND_ACK;
	c.host = host;
	c.service = service;
	c.comment = (char *)(text != NULL ? text : "");
	c.sticky = sticky;
	c.notify = notify;
	rc = engine_command(pc, amqp, prefix, custom ? TOPO_CMD_NOTIFY : TOPO_CMD_ACK, &c);
	free(host);
	return rc;
}

/* "+5m" from now, or epoch seconds. */
static int
parse_when(const char *s, double *t)
{
	int secs;
	char *end;

	if (s[0] == '+') {
		if (config_parse_duration(s + 1, &secs) < 0)
			return -1;
		*t = util_now() + secs;
		return 0;
	}
	*t = strtod(s, &end);
	return *end == '\0' && *t > 0 ? 0 : -1;
}

static int
cmd_downtime(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "for", required_argument, NULL, 'f' },
		{ "start", required_argument, NULL, 's' },
		{ "flexible", required_argument, NULL, 'x' },
		{ "services", no_argument, NULL, 'S' },
		{ "cancel", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = NULL, *dur = NULL, *window = NULL, *start = NULL;
	int services = 0, cancel = 0, ch, secs = 0, win = 0, rc;
	double t0 = util_now();
	char *host, *service;
	struct command_msg c = { .fixed = 1 };

	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1)
		switch (ch) {
		case 'm': text = optarg; break;
		case 'f': dur = optarg; break;
		case 's': start = optarg; break;
		case 'x': window = optarg; break;
		case 'S': services = 1; break;
		case 'c': cancel = 1; break;
		default: usage(stderr); return 2;
		}
	if (optind >= argc || split_target(argv[optind], &host, &service) < 0) {
		usage(stderr);
		return 2;
	}
	if (cancel) {
		const char *id = optind + 1 < argc ? argv[optind + 1] : NULL;

		c.kind = COMMAND_CANCEL;
		c.downtime_id = (char *)id;
	} else {
		if (optind + 1 != argc || dur == NULL || text == NULL || *text == '\0' ||
		    config_parse_duration(dur, &secs) < 0 || secs <= 0 ||
		    (start != NULL && parse_when(start, &t0) < 0) ||
		    (window != NULL && (config_parse_duration(window, &win) < 0 || win <= 0))) {
			fprintf(stderr, "vigilctl: downtime HOST[/SERVICE] --for DURATION -m TEXT"
			    " [--start EPOCH|+DURATION] [--flexible WINDOW] [--services]\n");
			free(host);
			return 2;
		}
		c.kind = COMMAND_DOWNTIME;
		c.comment = (char *)text;
		c.has_start = 1;
		c.start = t0;
		c.end = t0 + (window != NULL ? win : secs);
		c.fixed = window == NULL;
		c.duration = secs;
	}
	c.host = host;
	c.service = service;
	c.services = services;
	rc = engine_command(pc, amqp, prefix, TOPO_CMD_DOWNTIME, &c);
	free(host);
	return rc;
}

static const char notifications_sql[] =
	"SELECT n.id, to_char(n.time, 'YYYY-MM-DD HH24:MI:SS'), n.type, n.number,"
	" coalesce(h.name, ''), c.service, n.output, d.contact, d.channel, d.status,"
	" d.attempts, d.last_error, extract(epoch FROM n.time), d.address, n.escalated"
	" FROM (SELECT * FROM notifications x WHERE NOT $2::boolean OR EXISTS (SELECT 1"
	"  FROM notification_deliveries f WHERE f.notification_id = x.id"
	"  AND f.status IN ('failed', 'retrying')) ORDER BY time DESC LIMIT $1) n"
	" LEFT JOIN checks c ON c.id = n.check_id LEFT JOIN hosts h ON h.id = c.host_id"
	" LEFT JOIN notification_deliveries d ON d.notification_id = n.id"
	" WHERE NOT $2::boolean OR d.status IN ('failed', 'retrying')"
	" ORDER BY n.time, n.id, d.contact, d.channel";

static int
cmd_notifications(PGconn *pc, int argc, char **argv)
{
	int json = 0, failed = 0;
	char limit[16] = "50", err[512];
	const char *params[2] = { limit, NULL };
	json_t *arr = NULL;
	PGresult *r;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--failed") == 0)
			failed = 1;
		else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0)
			snprintf(limit, sizeof(limit), "%d", atoi(argv[++i]));
		else {
			usage(stderr);
			return 2;
		}
	params[1] = failed ? "true" : "false";
	if ((r = pg_query(pc, notifications_sql, 2, params, err, sizeof(err))) == NULL) {
		fprintf(stderr, "vigilctl: %s\n", err);
		return 1;
	}
	if (json)
		arr = json_array();
	else if (PQntuples(r) > 0)
		printf("%-19s %-17s %-3s %-30s %-12s %-7s %-8s %s\n", "TIME", "TYPE", "NUM",
		    "CHECK", "CONTACT", "CHANNEL", "STATUS", "ATTEMPTS / ERROR");
	for (int i = 0; i < PQntuples(r); i++) {
		const char *svc = PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5);
		const char *e = PQgetisnull(r, i, 11) ? NULL : PQgetvalue(r, i, 11);

		if (json) {
			json_array_append_new(arr, json_pack("{s:s, s:f, s:s, s:i, s:s, s:o, s:s,"
			    " s:s, s:s, s:s, s:s, s:i, s:o, s:b}",
			    "id", PQgetvalue(r, i, 0), "time", strtod(PQgetvalue(r, i, 12), NULL),
			    "type", PQgetvalue(r, i, 2), "number", atoi(PQgetvalue(r, i, 3)),
			    "host", PQgetvalue(r, i, 4),
			    "service", svc != NULL ? json_string(svc) : json_null(),
			    "output", PQgetvalue(r, i, 6), "contact", PQgetvalue(r, i, 7),
			    "channel", PQgetvalue(r, i, 8), "address", PQgetvalue(r, i, 13),
			    "status", PQgetisnull(r, i, 7) ? "held" : PQgetvalue(r, i, 9),
			    "attempts", atoi(PQgetvalue(r, i, 10)),
			    "error", e != NULL ? json_string(e) : json_null(),
			    "escalated", PQgetvalue(r, i, 14)[0] == 't'));
		} else {
			char check[256];

			snprintf(check, sizeof(check), "%s%s%s", PQgetvalue(r, i, 4),
			    svc != NULL ? "/" : "", svc != NULL ? svc : "");
			printf("%-19s %-17s %-3s %-30s %-12s %-7s %-8s %s%s%s\n", PQgetvalue(r, i, 1),
			    PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), check[0] ? check : "(digest)",
			    /* no delivery: held for a storm's digest */
			    PQgetisnull(r, i, 7) ? "-" : PQgetvalue(r, i, 7),
			    PQgetisnull(r, i, 7) ? "-" : PQgetvalue(r, i, 8),
			    PQgetisnull(r, i, 7) ? "held" : PQgetvalue(r, i, 9),
			    PQgetvalue(r, i, 10), e != NULL ? " " : "", e != NULL ? e : "");
		}
	}
	if (json) {
		char *out = json_dumps(arr, JSON_INDENT(2));

		printf("%s\n", out);
		free(out);
		json_decref(arr);
	} else if (PQntuples(r) == 0)
		printf("no notifications%s\n", failed ? " failed or being retried" : "");
	PQclear(r);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *config_path = getenv("VIGIL_CONFIG");
	struct config *cfg;
	PGconn *pc;
	char err[1024];
	int i = 1, rc;

	if (i + 1 < argc && (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0)) {
		config_path = argv[i + 1];
		i += 2;
	}
	if (i >= argc || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	if (i < argc && strcmp(argv[i], "--version") == 0) {
		printf("vigilctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	/* The daemons' default ($VIGIL_CONFIG, then sysconfdir), when it
	 * is there: vigilctl also works from the environment alone. */
	if (config_path == NULL && access(daemon_default_config(), R_OK) == 0)
		config_path = daemon_default_config();
	cfg = config_new();
	if (config_path != NULL && config_load(cfg, config_path, CONFIG_DAEMON_ONLY) < 0) {
		rc = daemon_print_config_errors("vigilctl", cfg);
		config_free(cfg);
		return rc;
	}
	{
		/* Without a vigil.yaml, the environment alone. */
		const char *conninfo = config_path != NULL ? cfg->pg_conninfo : getenv("VIGIL_PG");
		const char *prefix = config_path != NULL ? cfg->prefix : getenv("VIGIL_PREFIX");
		const char *amqp = config_path != NULL ? cfg->amqp_url : getenv("VIGIL_AMQP_URL");

		if (prefix == NULL)
			prefix = "vigil";
		if (amqp == NULL)
			amqp = "amqp://guest:guest@127.0.0.1:5672/";
		if (strcmp(argv[i], "submit") == 0 || strcmp(argv[i], "reload") == 0) {
			rc = argv[i][0] == 's' ? cmd_submit(amqp, prefix, argc - i, argv + i) :
			    cmd_reload(amqp, prefix, argc - i);
			config_free(cfg);
			return rc;
		}
		if (conninfo == NULL) {
			fprintf(stderr, "vigilctl: no database: give -c vigil.yaml or set VIGIL_PG\n");
			config_free(cfg);
			return 1;
		}
		pc = pg_connect(conninfo, prefix, err, sizeof(err));
		if (pc == NULL) {
			fprintf(stderr, "vigilctl: cannot reach PostgreSQL: %s\n", err);
			config_free(cfg);
			return 1;
		}
		if (strcmp(argv[i], "ack") == 0 || strcmp(argv[i], "unack") == 0 ||
		    strcmp(argv[i], "downtime") == 0 || strcmp(argv[i], "notify") == 0) {
			rc = argv[i][0] == 'd' ? cmd_downtime(pc, amqp, prefix, argc - i, argv + i) :
			    cmd_ack(pc, amqp, prefix, argc - i, argv + i);
			PQfinish(pc);
			config_free(cfg);
			return rc;
		}
	}
	if (strcmp(argv[i], "status") == 0)
		rc = cmd_status(pc, argc - i, argv + i);
	else if (strcmp(argv[i], "groups") == 0)
		rc = cmd_groups(pc, argc - i, argv + i);
	else if (strcmp(argv[i], "workers") == 0)
		rc = cmd_workers(pc, argc - i, argv + i);
	else if (strcmp(argv[i], "notifications") == 0)
		rc = cmd_notifications(pc, argc - i, argv + i);
	else {
		fprintf(stderr, "vigilctl: unknown command \"%s\"\n", argv[i]);
		usage(stderr);
		rc = 2;
	}
	PQfinish(pc);
	config_free(cfg);
	return rc;
}
