/*
 * NAME
 *	show - vigilctl's reading commands: status, groups, workers,
 *	notifications
 * DESCRIPTION
 *	Each reads through lib/query.c and prints a table, or JSON with
 *	--json. See vigilctl.c for what each shows.
 */
#include "ctl.h"
#include "config.h"
#include "daemon.h"
#include "msg.h"
#include "mqcli.h"
#include "pg.h"
#include "result.h"
#include "topology.h"
#include "util.h"
#include "xalloc.h"
#include "query.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GROUP_NCOUNTS 11
static const char *const group_count_names[GROUP_NCOUNTS] = {
	"ok", "warning", "critical", "unknown", "up", "down", "unreachable",
	"pending", "acknowledged", "in_downtime", "flapping",
};

/* Print a --json answer, indented, and free it. */
static void
print_json(json_t *v)
{
	char *out = json_dumps(v, JSON_INDENT(2));

	printf("%s\n", out != NULL ? out : "null");
	free(out);
	json_decref(v);
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

/* The names of the switches in bits, comma-separated. */
static void
switch_names(int bits, char *out, size_t outlen)
{
	out[0] = '\0';
	for (unsigned b = 1; b <= SWITCH_ALL; b <<= 1)
		if ((bits & (int)b) && msg_switch_name(b) != NULL)
			snprintf(out + strlen(out), outlen - strlen(out), "%s%s",
			    out[0] != '\0' ? "," : "", msg_switch_name(b));
}

/* The switches off for every check, one line each, before the table. */
static void
print_global_switches(PGconn *pc)
{
	char err[256];
	PGresult *g = pg_query(pc, "SELECT what, author, comment, to_char(time AT TIME ZONE"
	    " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM global_switches ORDER BY what", 0,
	    NULL, err, sizeof(err));

	if (g == NULL)
		return;
	for (int i = 0; i < PQntuples(g); i++)
		printf("DISABLED FOR EVERY CHECK: %s (by %s at %s%s%s)\n", PQgetvalue(g, i, 0),
		    PQgetvalue(g, i, 1), PQgetvalue(g, i, 3), *PQgetvalue(g, i, 2) != '\0' ? ": " : "",
		    PQgetvalue(g, i, 2));
	PQclear(g);
}

int
ctl_status(PGconn *pc, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "problems", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, problems = 0, ch;
	char err[1024];
	PGresult *r;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "jp", longopts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'p')
			problems = 1;
		else {
			ctl_usage(stderr);
			return 2;
		}
	}
	r = query_status(pc, problems, err, sizeof(err));
	if (r == NULL) {
		fprintf(stderr, "vigilctl: cannot read check state: %s\n", err);
		return 1;
	}
	if (json) {
		json_t *arr = json_array();

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
			if (atoi(val(r, i, 21)) != 0) {
				char names[160];

				switch_names(atoi(val(r, i, 21)), names, sizeof(names));
				json_object_set_new(o, "disabled", json_pack("{s:s, s:s}", "switches",
				    names, "by", val(r, i, 22) ? val(r, i, 22) : ""));
			}
			{
				json_t *locs = locations_json(r, i, is_host);

				if (locs != NULL)
					json_object_set_new(o, "locations", locs);
			}
			json_array_append_new(arr, o);
		}
		print_json(arr);
	} else {
		print_global_switches(pc);
		printf("%-20s %-20s %-11s %-4s %-7s %-20s %s\n", "HOST", "SERVICE", "STATE",
		    "TYPE", "ATTEMPT", "LAST CHECK", "OUTPUT");
		for (int i = 0; i < PQntuples(r); i++) {
			int is_host = PQgetisnull(r, i, 1);
			int state = val(r, i, 2) ? atoi(val(r, i, 2)) : STATE_PENDING;
			char attempt[32], flags[512], names[160] = "";

			snprintf(attempt, sizeof(attempt), "%s/%s",
			    val(r, i, 4) ? val(r, i, 4) : "1", val(r, i, 5));
			if (atoi(val(r, i, 21)) != 0)
				switch_names(atoi(val(r, i, 21)), names, sizeof(names));
			/* [ACK] [DOWNTIME] [FLAPPING] [DISABLED …] before the output */
			snprintf(flags, sizeof(flags), "%s%s%s%s%s%s%s%s",
			    val(r, i, 16)[0] == 't' ? "[ACK] " : "",
			    val(r, i, 17)[0] == 't' ? "[DOWNTIME] " : "",
			    val(r, i, 18)[0] == 't' ? "[FLAPPING] " : "",
			    names[0] != '\0' ? "[DISABLED " : "", names,
			    names[0] != '\0' ? " by " : "",
			    names[0] != '\0' && val(r, i, 22) != NULL ? val(r, i, 22) : "",
			    names[0] != '\0' ? "] " : "");
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

int
ctl_groups(PGconn *pc, int argc, char **argv)
{
	int json = argc > 1 && strcmp(argv[1], "--json") == 0;
	char err[1024];
	PGresult *r;

	if (argc > 2 || (argc == 2 && !json)) {
		ctl_usage(stderr);
		return 2;
	}
	r = query_groups(pc, err, sizeof(err));
	if (r == NULL) {
		fprintf(stderr, "vigilctl: cannot read group state: %s\n", err);
		return 1;
	}
	if (json) {
		json_t *arr = json_array();

		for (int i = 0; i < PQntuples(r); i++)
			if (strcmp(PQgetvalue(r, i, 14), "{}") == 0)
				json_array_append_new(arr, group_json(r, i, 0));
		print_json(arr);
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

int
ctl_workers(PGconn *pc, int argc, char **argv)
{
	int json = argc > 1 && strcmp(argv[1], "--json") == 0;
	char err[1024];
	PGresult *p, *w;

	if (argc > 2 || (argc == 2 && !json)) {
		ctl_usage(stderr);
		return 2;
	}
	/* One snapshot for both: the engine replaces them in one commit. */
	if (pg_exec(pc, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err, sizeof(err)) < 0 ||
	    (p = query_pools(pc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "vigilctl: cannot read pools: %s\n", err);
		return 1;
	}
	if ((w = query_workers(pc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "vigilctl: cannot read workers: %s\n", err);
		PQclear(p);
		return 1;
	}
	if (json) {
		json_t *arr = json_array();

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
		print_json(arr);
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

int
ctl_notifications(PGconn *pc, int argc, char **argv)
{
	int json = 0, failed = 0;
	char limit[16] = "50", err[512];
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
			ctl_usage(stderr);
			return 2;
		}
	if ((r = query_notifications(pc, atoi(limit), failed, err, sizeof(err))) == NULL) {
		fprintf(stderr, "vigilctl: %s\n", err);
		return 1;
	}
	if (json)
		arr = json_array();
	else if (PQntuples(r) > 0)
		printf("%-20s %-17s %-3s %-30s %-12s %-7s %-8s %s\n", "TIME", "TYPE", "NUM",
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
			printf("%-20s %-17s %-3s %-30s %-12s %-7s %-8s %s%s%s\n", PQgetvalue(r, i, 1),
			    PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), check[0] ? check : "(digest)",
			    /* no delivery: held for a storm's digest */
			    PQgetisnull(r, i, 7) ? "-" : PQgetvalue(r, i, 7),
			    PQgetisnull(r, i, 7) ? "-" : PQgetvalue(r, i, 8),
			    PQgetisnull(r, i, 7) ? "held" : PQgetvalue(r, i, 9),
			    PQgetvalue(r, i, 10), e != NULL ? " " : "", e != NULL ? e : "");
		}
	}
	if (json) {
		print_json(arr);
	} else if (PQntuples(r) == 0)
		printf("no notifications%s\n", failed ? " failed or being retried" : "");
	PQclear(r);
	return 0;
}
