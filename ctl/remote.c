/*
 * NAME
 *	remote - vigilctl through vigil-web's API (--url, $VIGIL_URL)
 * DESCRIPTION
 *	Every command of vigilctl, through the HTTP API with a bearer token
 *	($VIGIL_TOKEN, or the first line of --token-file): no database or
 *	broker credentials. Tables as vigilctl prints them from the
 *	database; --json prints the API's own answer. Commands the engine
 *	refuses (409), checks that do not exist (404) and every other error
 *	answer print the API's reason and exit 1.
 */
#include "ctl.h"
#include "config.h"
#include "msg.h"
#include "result.h"
#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

#include <curl/curl.h>
#include <time.h>

struct remote {
	const char *url;	/* without a trailing slash */
	const char *token;
	CURL *c;
	struct curl_slist *hdrs;
};

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, p, size * n);
	return size * n;
}

/* A path part or parameter value, percent-encoded (caller frees). */
static char *
esc(struct remote *rm, const char *s)
{
	char *e = curl_easy_escape(rm->c, s, 0), *out = xstrdup(e != NULL ? e : "");

	curl_free(e);
	return out;
}

/*
 * method path (under /api/v1) with body (JSON text, NULL: none): the
 * answer's JSON into *out (NULL if not JSON) and its status; -1 (after
 * saying why) when the API does not answer.
 */
static long
call(struct remote *rm, const char *method, const char *path, const char *body, json_t **out)
{
	struct strbuf b = { 0 };
	char *url = xasprintf("%s/api/v1/%s", rm->url, path);
	long status = -1;
	CURLcode rc;

	curl_easy_setopt(rm->c, CURLOPT_URL, url);
	curl_easy_setopt(rm->c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(rm->c, CURLOPT_WRITEDATA, &b);
	if (body != NULL) {
		curl_easy_setopt(rm->c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(rm->c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else
		curl_easy_setopt(rm->c, CURLOPT_HTTPGET, 1L);
	if (body == NULL && strcmp(method, "GET") != 0)
		curl_easy_setopt(rm->c, CURLOPT_CUSTOMREQUEST, method);
	if ((rc = curl_easy_perform(rm->c)) != CURLE_OK)
		fprintf(stderr, "vigilctl: %s: %s\n", rm->url, curl_easy_strerror(rc));
	else
		curl_easy_getinfo(rm->c, CURLINFO_RESPONSE_CODE, &status);
	*out = b.len > 0 ? json_loadb(b.s, b.len, 0, NULL) : NULL;
	free(b.s);
	free(url);
	return status;
}

/* An answer that is not 2xx: its error said on stderr (a reload's every
 * config error on a line of its own). 1 then, 0 for a 2xx. */
static int
failed(long status, json_t *j)
{
	const char *err = json_string_value(json_object_get(j, "error"));
	const char *detail = json_string_value(json_object_get(j, "detail"));
	json_t *errs = json_object_get(j, "errors");
	size_t i;

	if (status >= 200 && status < 300)
		return 0;
	if (status < 0)
		return 1;
	if (detail == NULL)
		detail = "(no detail)";
	fprintf(stderr, "vigilctl: %s (%ld): %.*s\n", err != NULL ? err : "error", status,
	    (int)strcspn(detail, "\n"), detail);
	for (i = 0; i < json_array_size(errs); i++)
		fprintf(stderr, "  %s\n", json_string_value(json_array_get(errs, i)));
	return 1;
}

static const char *
s_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static void
print_json(json_t *v)
{
	char *out = json_dumps(v, JSON_INDENT(2));

	printf("%s\n", out != NULL ? out : "null");
	free(out);
}

/* "host/service" into the API's path, "host" for a host check; NULL
 * (after a usage message) when it is not one. */
static char *
check_path(struct remote *rm, const char *arg)
{
	const char *slash = strchr(arg, '/');
	char *host, *h, *s, *p;

	if (*arg == '\0' || slash == arg || (slash != NULL && slash[1] == '\0') ||
	    (slash != NULL && strchr(slash + 1, '/') != NULL)) {
		fprintf(stderr, "vigilctl: expected HOST or HOST/SERVICE, got \"%s\"\n", arg);
		return NULL;
	}
	host = slash != NULL ? xstrndup(arg, (size_t)(slash - arg)) : xstrdup(arg);
	h = esc(rm, host);
	if (slash != NULL) {
		s = esc(rm, slash + 1);
		p = xasprintf("checks/%s/%s", h, s);
		free(s);
	} else
		p = xasprintf("checks/%s", h);
	free(h);
	free(host);
	return p;
}

/* ---- reading ------------------------------------------------------------ */

static void
status_line(json_t *c)
{
	int is_host = json_is_null(json_object_get(c, "service"));
	const char *state = s_of(c, "state");
	char attempt[32], flags[256];
	json_t *l, *dis = json_object_get(c, "disabled"), *sw;
	size_t k;

	snprintf(attempt, sizeof(attempt), "%lld/%lld",
	    (long long)json_integer_value(json_object_get(c, "attempt")),
	    (long long)json_integer_value(json_object_get(c, "max_attempts")));
	snprintf(flags, sizeof(flags), "%s%s%s",
	    json_is_true(json_object_get(c, "acknowledged")) ? "[ACK] " : "",
	    json_is_true(json_object_get(c, "in_downtime")) ? "[DOWNTIME] " : "",
	    json_is_true(json_object_get(c, "flapping")) ? "[FLAPPING] " : "");
	if (dis != NULL) {
		/* [DISABLED notifications,active_checks by bob] */
		snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "[DISABLED");
		json_array_foreach(json_object_get(dis, "switches"), k, sw)
			snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "%s%s",
			    k > 0 ? "," : " ", json_string_value(sw));
		snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), " by %s] ",
		    s_of(dis, "by"));
	}
	printf("%-20s %-20s %-11s %-4s %-7s %-20s %s%s\n", s_of(c, "host"),
	    is_host ? "(host)" : s_of(c, "service"), state,
	    strcmp(state, "PENDING") == 0 ? "-" : s_of(c, "state_type"), attempt,
	    *s_of(c, "last_check") != '\0' ? s_of(c, "last_check") : "never", flags,
	    s_of(c, "output"));
	json_array_foreach(json_object_get(c, "locations"), k, l) {
		char from[64];

		snprintf(from, sizeof(from), "  from %s", s_of(l, "pool"));
		printf("%-20s %-20s %-11s %-4s %-7s %-20s %s\n", "", from, s_of(l, "state"), "",
		    "", *s_of(l, "last_check") != '\0' ? s_of(l, "last_check") : "never",
		    s_of(l, "output"));
	}
}

static int
remote_status(struct remote *rm, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' }, { "problems", no_argument, NULL, 'p' },
		{ "unhandled", no_argument, NULL, 'u' }, { "host", required_argument, NULL, 'H' },
		{ "service", required_argument, NULL, 'S' },
		{ "group", required_argument, NULL, 'g' }, { "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf q = { 0 };
	json_t *all = json_array(), *j;
	char *next = NULL;
	int json = 0, ch, rc = 0;

	strbuf_adds(&q, "checks?limit=1000");
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *v;

		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'p':
			strbuf_adds(&q, "&problems=1");
			break;
		case 'u':
			strbuf_adds(&q, "&unhandled=1");
			break;
		case 'H': case 'S': case 'g': case 's':
			v = esc(rm, optarg);
			strbuf_adds(&q, ch == 'H' ? "&host=" : ch == 'S' ? "&service=" : ch == 'g' ?
			    "&group=" : "&state=");
			strbuf_adds(&q, v);
			free(v);
			break;
		default:
			ctl_usage(stderr);
			json_decref(all);
			free(q.s);
			return 2;
		}
	}
	if (optind != argc) {
		ctl_usage(stderr);
		json_decref(all);
		free(q.s);
		return 2;
	}
	/* every page, each from where the last ended */
	do {
		char *path = next != NULL ? xasprintf("%s&after=%s", q.s, next) : xstrdup(q.s);
		long st = call(rm, "GET", path, NULL, &j);

		free(path);
		free(next);
		next = NULL;
		if ((rc = failed(st, j)) != 0) {
			json_decref(j);
			break;
		}
		json_array_extend(all, json_object_get(j, "checks"));
		if (json_is_string(json_object_get(j, "next")))
			next = esc(rm, json_string_value(json_object_get(j, "next")));
		json_decref(j);
	} while (next != NULL);
	if (rc == 0 && json)
		print_json(all);
	else if (rc == 0) {
		size_t i;
		json_t *c;

		printf("%-20s %-20s %-11s %-4s %-7s %-20s %s\n", "HOST", "SERVICE", "STATE", "TYPE",
		    "ATTEMPT", "LAST CHECK", "OUTPUT");
		json_array_foreach(all, i, c)
			status_line(c);
	}
	json_decref(all);
	free(q.s);
	return rc;
}

/* One check in full. */
static int
remote_show(struct remote *rm, int argc, char **argv)
{
	int json = argc == 3 && strcmp(argv[2], "--json") == 0;
	char *path;
	json_t *j, *d, *n;
	size_t i;
	long st;
	int rc;

	if (argc != 2 && !json) {
		ctl_usage(stderr);
		return 2;
	}
	if ((path = check_path(rm, argv[1])) == NULL)
		return 2;
	st = call(rm, "GET", path, NULL, &j);
	free(path);
	if ((rc = failed(st, j)) == 0 && json)
		print_json(j);
	else if (rc == 0) {
		static const char *const keys[] = { "state", "state_type", "output", "long_output",
			"perfdata", "last_check", "next_check", "last_state_change",
			"last_hard_state_change", "pool" };

		printf("%-24s %s%s%s\n", "check", s_of(j, "host"),
		    json_is_null(json_object_get(j, "service")) ? "" : "/", s_of(j, "service"));
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (*s_of(j, keys[i]) != '\0')
				printf("%-24s %s\n", keys[i], s_of(j, keys[i]));
		printf("%-24s %lld/%lld\n", "attempt",
		    (long long)json_integer_value(json_object_get(j, "attempt")),
		    (long long)json_integer_value(json_object_get(j, "max_attempts")));
		printf("%-24s %.1f ms, latency %.1f ms\n", "duration",
		    json_number_value(json_object_get(j, "duration_ms")),
		    json_number_value(json_object_get(j, "latency_ms")));
		{
			int ack = json_is_true(json_object_get(j, "acknowledged"));
			int dt = json_is_true(json_object_get(j, "in_downtime"));
			int flap = json_is_true(json_object_get(j, "flapping"));

			printf("%-24s %s%s%s%s\n", "flags", ack ? "acknowledged " : "",
			    dt ? "in_downtime " : "", flap ? "flapping" : "",
			    !ack && !dt && !flap ? "-" : "");
		}
		if ((d = json_object_get(j, "ack")) != NULL)
			printf("%-24s by %s at %s: %s\n", "acknowledgement", s_of(d, "author"),
			    s_of(d, "time"), s_of(d, "comment"));
		if ((d = json_object_get(j, "disabled")) != NULL) {
			json_t *sw;
			size_t k;

			printf("%-24s", "disabled");
			json_array_foreach(json_object_get(d, "switches"), k, sw)
				printf("%s%s", k > 0 ? "," : " ", json_string_value(sw));
			printf(" by %s%s%s\n", s_of(d, "by"), *s_of(d, "comment") != '\0' ? ": " : "",
			    s_of(d, "comment"));
		}
		json_array_foreach(json_object_get(j, "locations"), i, d)
			printf("%-24s %-11s %-20s %s\n", i == 0 ? "locations" : "", s_of(d, "pool"),
			    s_of(d, "state"), s_of(d, "output"));
		json_array_foreach(json_object_get(j, "downtimes"), i, d)
			printf("%-24s %s %s .. %s by %s: %s\n", i == 0 ? "downtimes" : "", s_of(d, "id"),
			    s_of(d, "start"), s_of(d, "end"), s_of(d, "author"), s_of(d, "comment"));
		json_array_foreach(json_object_get(j, "notifications"), i, n)
			printf("%-24s %s %s #%lld %s\n", i == 0 ? "notifications" : "", s_of(n, "time"),
			    s_of(n, "type"), (long long)json_integer_value(json_object_get(n, "number")),
			    s_of(n, "output"));
	}
	json_decref(j);
	return rc;
}

static void
group_line(json_t *g, int depth)
{
	static const char *const counts[] = { "ok", "warning", "critical", "unknown", "up",
		"down", "unreachable", "pending", "acknowledged", "in_downtime" };
	json_t *c = json_object_get(g, "counts"), *child;
	char label[256], v[10][16];
	size_t i;

	snprintf(label, sizeof(label), "%*s%s", depth * 2, "", s_of(g, "name"));
	for (i = 0; i < 10; i++)
		snprintf(v[i], sizeof(v[i]), "%lld",
		    (long long)json_integer_value(json_object_get(c, counts[i])));
	printf("%-32s %-11s %5s %5s %5s %5s  %4s %4s %4s  %5s %4s %4s\n", label,
	    s_of(g, "worst_state"), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
	json_array_foreach(json_object_get(g, "children"), i, child)
		group_line(child, depth + 1);
}

/* groups, workers, notifications, downtimes: one GET each. */
static int
remote_list(struct remote *rm, int argc, char **argv)
{
	int json = 0, failed_only = 0, limit = 0;
	char *path, *host = NULL;
	json_t *j, *x, *y;
	size_t i, k;
	long st;
	int rc;

	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--json") == 0)
			json = 1;
		else if (strcmp(argv[0], "notifications") == 0 && strcmp(argv[a], "--failed") == 0)
			failed_only = 1;
		else if (strcmp(argv[0], "notifications") == 0 && strcmp(argv[a], "--limit") == 0 &&
		    a + 1 < argc)
			limit = atoi(argv[++a]);
		else if (strcmp(argv[0], "downtimes") == 0 && strcmp(argv[a], "--host") == 0 &&
		    a + 1 < argc && host == NULL)
			host = esc(rm, argv[++a]);
		else {
			ctl_usage(stderr);
			free(host);
			return 2;
		}
	}
	if (strcmp(argv[0], "notifications") == 0)
		path = xasprintf("notifications?limit=%d%s", limit > 0 ? limit : 50,
		    failed_only ? "&failed=1" : "");
	else if (strcmp(argv[0], "downtimes") == 0)
		path = xasprintf("downtimes%s%s", host != NULL ? "?host=" : "",
		    host != NULL ? host : "");
	else
		path = xstrdup(argv[0]);
	free(host);
	st = call(rm, "GET", path, NULL, &j);
	free(path);
	if ((rc = failed(st, j)) != 0 || json) {
		if (rc == 0)
			print_json(j);
		json_decref(j);
		return rc;
	}
	if (strcmp(argv[0], "groups") == 0) {
		printf("%-32s %-11s %5s %5s %5s %5s  %4s %4s %4s  %5s %4s %4s\n", "GROUP", "WORST",
		    "OK", "WARN", "CRIT", "UNKN", "UP", "DOWN", "UNRE", "PEND", "ACK", "DT");
		json_array_foreach(json_object_get(j, "groups"), i, x)
			group_line(x, 0);
	} else if (strcmp(argv[0], "workers") == 0) {
		printf("%-24s %-10s %7s %7s %8s %8s %8s %7s  %s\n", "POOL", "STATE", "WORKERS",
		    "CHECKS", "CAPACITY", "INFLIGHT", "HELD", "WAIT", "SINCE");
		json_array_foreach(json_object_get(j, "pools"), i, x) {
			int header = 0;

			printf("%-24s %-10s %7lld %7lld %8lld %8lld %8lld %5.1f s  %s\n", s_of(x, "name"),
			    s_of(x, "state"),
			    (long long)json_integer_value(json_object_get(x, "live_workers")),
			    (long long)json_integer_value(json_object_get(x, "checks")),
			    (long long)json_integer_value(json_object_get(x, "capacity")),
			    (long long)json_integer_value(json_object_get(x, "inflight")),
			    (long long)json_integer_value(json_object_get(x, "held")),
			    json_number_value(json_object_get(x, "waiting_s")), s_of(x, "since"));
			json_array_foreach(json_object_get(j, "workers"), k, y) {
				if (strcmp(s_of(y, "pool"), s_of(x, "name")) != 0)
					continue;
				if (!header++)
					printf("  %-28s %7s %5s %5s %5s  %-10s %s\n", "HOST", "PID", "CONC",
					    "RUN", "AWAIT", "VERSION", "LAST HEARTBEAT");
				printf("  %-28s %7lld %5lld %5lld %5lld  %-10s %s\n", s_of(y, "host"),
				    (long long)json_integer_value(json_object_get(y, "pid")),
				    (long long)json_integer_value(json_object_get(y, "concurrency")),
				    (long long)json_integer_value(json_object_get(y, "running")),
				    (long long)json_integer_value(json_object_get(y, "awaiting")),
				    s_of(y, "version"), s_of(y, "last_seen"));
			}
		}
	} else if (strcmp(argv[0], "notifications") == 0) {
		printf("%-20s %-17s %-3s %-30s %-12s %-7s %-8s %s\n", "TIME", "TYPE", "NUM",
		    "CHECK", "CONTACT", "CHANNEL", "STATUS", "ATTEMPTS / LAST ERROR");
		json_array_foreach(json_object_get(j, "notifications"), i, x) {
			char check[128];

			snprintf(check, sizeof(check), "%s%s%s", *s_of(x, "host") != '\0' ?
			    s_of(x, "host") : "(digest)", json_is_string(json_object_get(x, "service")) ?
			    "/" : "", s_of(x, "service"));
			json_array_foreach(json_object_get(x, "deliveries"), k, y)
				printf("%-20s %-17s %-3lld %-30s %-12s %-7s %-8s %lld %s\n", s_of(x, "time"),
				    s_of(x, "type"), (long long)json_integer_value(json_object_get(x,
				    "number")), check, s_of(y, "contact"), s_of(y, "channel"),
				    s_of(y, "status"), (long long)json_integer_value(json_object_get(y,
				    "attempts")), s_of(y, "last_error"));
		}
		if (json_array_size(json_object_get(j, "notifications")) == 0)
			printf("no notifications%s\n", failed_only ? " failed or being retried" : "");
	} else {
		printf("%-32s %-20s %-20s %-20s %-10s %s\n", "ID", "CHECK", "START", "END", "AUTHOR",
		    "COMMENT");
		json_array_foreach(json_object_get(j, "downtimes"), i, x) {
			char check[128];

			snprintf(check, sizeof(check), "%s%s%s", s_of(x, "host"),
			    json_is_string(json_object_get(x, "service")) ? "/" : "", s_of(x, "service"));
			printf("%-32s %-20s %-20s %-20s %-10s %s\n", s_of(x, "id"), check, s_of(x, "start"),
			    s_of(x, "end"), s_of(x, "author"), s_of(x, "comment"));
		}
	}
	json_decref(j);
	return 0;
}

/* ---- commands ----------------------------------------------------------- */

/* POST path body: the engine's message printed, or its refusal. */
static int
post(struct remote *rm, const char *path, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	json_t *j;
	long st = call(rm, "POST", path, text, &j);
	int rc = failed(st, j);

	if (rc == 0)
		printf("%s\n", s_of(j, "message"));
	json_decref(j);
	free(text);
	return rc;
}

/* "+5m" (from now), epoch seconds, or RFC 3339 as RFC 3339 UTC. */
static int
when_rfc3339(const char *s, char *out, size_t len)
{
	struct tm tm;
	time_t t;
	int secs;

	if (strchr(s, 'T') != NULL) {
		snprintf(out, len, "%s", s);
		return 0;
	}
	if (s[0] == '+' && config_parse_duration(s + 1, &secs) == 0)
		t = time(NULL) + secs;
	else if (strspn(s, "0123456789") == strlen(s) && *s != '\0')
		t = (time_t)strtoll(s, NULL, 10);
	else
		return -1;
	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

/* The downtimes of a check (and with services, of its host's services),
 * each cancelled by its id. */
static int
cancel_all(struct remote *rm, const char *target, int services)
{
	const char *slash = strchr(target, '/');
	char *host = slash != NULL ? xstrndup(target, (size_t)(slash - target)) : xstrdup(target);
	char *h = esc(rm, host), *path = xasprintf("downtimes?host=%s", h);
	json_t *j, *d;
	size_t i, n = 0;
	int rc;
	long st = call(rm, "GET", path, NULL, &j);

	free(path);
	if ((rc = failed(st, j)) == 0) {
		json_array_foreach(json_object_get(j, "downtimes"), i, d) {
			const char *svc = json_string_value(json_object_get(d, "service"));
			json_t *a;

			if (strcmp(s_of(d, "host"), host) != 0 ||
			    (slash != NULL ? svc == NULL || strcmp(svc, slash + 1) != 0 :
			    svc != NULL && !services))
				continue;
			path = xasprintf("downtimes/%s", s_of(d, "id"));
			st = call(rm, "DELETE", path, NULL, &a);
			free(path);
			if (failed(st, a))
				rc = 1;
			else
				n++;
			json_decref(a);
		}
		if (n == 0 && rc == 0) {
			fprintf(stderr, "vigilctl: %s has no downtime\n", target);
			rc = 1;
		} else if (rc == 0)
			printf("%zu downtime%s cancelled\n", n, n == 1 ? "" : "s");
	}
	json_decref(j);
	free(h);
	free(host);
	return rc;
}

/* ack, unack, notify, recheck, downtime (and --cancel), submit. */
static int
remote_command(struct remote *rm, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "message", required_argument, NULL, 'm' }, { "sticky", no_argument, NULL, 's' },
		{ "no-notify", no_argument, NULL, 'n' }, { "for", required_argument, NULL, 'f' },
		{ "start", required_argument, NULL, 'S' },
		{ "flexible", required_argument, NULL, 'F' },
		{ "services", no_argument, NULL, 'a' }, { "cancel", no_argument, NULL, 'c' },
		{ "global", no_argument, NULL, 'g' },
		{ "children", no_argument, NULL, 'C' },
		{ "children-triggered", no_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0];
	json_t *body = json_object();
	char *path, *full, when[64];
	int ch, rc = 2, cancel = 0, services = 0, global = 0;
	int is_switch = strcmp(cmd, "disable") == 0 || strcmp(cmd, "enable") == 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			json_object_set_new(body, "comment", json_string(optarg));
			break;
		case 's':
			json_object_set_new(body, "sticky", json_true());
			break;
		case 'n':
			json_object_set_new(body, "notify", json_false());
			break;
		case 'f':
			json_object_set_new(body, "duration", json_string(optarg));
			break;
		case 'F':
			json_object_set_new(body, "flexible", json_string(optarg));
			break;
		case 'S':
			if (when_rfc3339(optarg, when, sizeof(when)) < 0) {
				fprintf(stderr, "vigilctl: --start: expected +DURATION, epoch seconds "
				    "or an RFC 3339 time\n");
				goto out;
			}
			json_object_set_new(body, "start", json_string(when));
			break;
		case 'a':
			services = 1;
			json_object_set_new(body, "services", json_true());
			break;
		case 'c':
			cancel = 1;
			break;
		case 'g':
			global = 1;
			break;
		case 'C':
		case 'T':
			json_object_set_new(body, "children", json_string(ch == 'T' ? "triggered" :
			    "plain"));
			break;
		default:
			ctl_usage(stderr);
			goto out;
		}
	}
	if (is_switch) {
		/* SWITCH HOST[/SERVICE], or SWITCH --global */
		if (optind >= argc || msg_switch_parse(argv[optind]) == 0 ||
		    optind + (global ? 1 : 2) != argc) {
			ctl_usage(stderr);
			goto out;
		}
		if (global) {
			char *sw = esc(rm, argv[optind]);

			full = xasprintf("switches/%s/%s", sw, cmd);
			free(sw);
		} else {
			json_object_set_new(body, "switch", json_string(argv[optind]));
			if ((path = check_path(rm, argv[optind + 1])) == NULL)
				goto out;
			full = xasprintf("%s/%s", path, cmd);
			free(path);
		}
		rc = post(rm, full, body);
		free(full);
		goto out;
	}
	if (global) {
		ctl_usage(stderr);
		goto out;
	}
	if (strcmp(cmd, "submit") == 0) {
		int status = optind + 3 == argc ? result_state_parse(argv[optind + 1],
		    strchr(argv[optind], '/') == NULL) : -1;

		if (status < 0) {
			fprintf(stderr, "vigilctl: submit: expected HOST[/SERVICE] STATE OUTPUT, STATE "
			    "one of OK WARNING CRITICAL UNKNOWN (services), UP DOWN (hosts) or 0-3\n");
			goto out;
		}
		/* a host's UP/DOWN as the plugin status the result carries */
		json_object_set_new(body, "state", json_integer(status));
		json_object_set_new(body, "output", json_string(argv[optind + 2]));
	} else if (cancel && strcmp(cmd, "downtime") == 0) {
		if (optind + 1 == argc && strchr(argv[optind], '/') == NULL &&
		    strlen(argv[optind]) == 32 && strspn(argv[optind], "0123456789abcdef") == 32) {
			/* an id alone */
		} else if (optind + 1 != argc && optind + 2 != argc) {
			ctl_usage(stderr);
			goto out;
		}
	} else if (optind + 1 != argc) {
		ctl_usage(stderr);
		goto out;
	}
	if (cancel) {
		json_t *j;
		long st;

		if (optind + 2 == argc || (optind + 1 == argc && strlen(argv[optind]) == 32 &&
		    strspn(argv[optind], "0123456789abcdef") == 32)) {
			char *id = esc(rm, argv[argc - 1]);

			full = xasprintf("downtimes/%s", id);
			free(id);
			st = call(rm, "DELETE", full, NULL, &j);
			if ((rc = failed(st, j)) == 0)
				printf("%s\n", s_of(j, "message"));
			json_decref(j);
			free(full);
		} else
			rc = cancel_all(rm, argv[optind], services);
		goto out;
	}
	if ((path = check_path(rm, argv[optind])) == NULL)
		goto out;
	full = xasprintf("%s/%s", path, strcmp(cmd, "submit") == 0 ? "result" :
	    strcmp(cmd, "notify") == 0 ? "notify" : cmd);
	rc = post(rm, full, body);
	free(full);
	free(path);
out:
	json_decref(body);
	return rc;
}

int
ctl_remote(const char *url, const char *token_file, int argc, char **argv)
{
	struct remote rm = { 0 };
	char *auth = NULL, tok[512] = "";
	const char *cmd = argv[0];
	int rc;

	if (token_file != NULL) {
		FILE *f = fopen(token_file, "r");

		if (f == NULL || fgets(tok, sizeof(tok), f) == NULL) {
			fprintf(stderr, "vigilctl: --token-file %s: cannot read a token\n", token_file);
			if (f != NULL)
				fclose(f);
			return 1;
		}
		fclose(f);
		tok[strcspn(tok, "\r\n")] = '\0';
		rm.token = tok;
	} else
		rm.token = getenv("VIGIL_TOKEN");
	rm.url = xstrndup(url, strlen(url) - (strlen(url) > 0 && url[strlen(url) - 1] == '/'));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rm.c = curl_easy_init();
	if (rm.token != NULL && *rm.token != '\0') {
		auth = xasprintf("Authorization: Bearer %s", rm.token);
		rm.hdrs = curl_slist_append(NULL, auth);
		rm.hdrs = curl_slist_append(rm.hdrs, "Content-Type: application/json");
	} else
		rm.hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(rm.c, CURLOPT_HTTPHEADER, rm.hdrs);
	curl_easy_setopt(rm.c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(rm.c, CURLOPT_TIMEOUT, 60L);
	if (strcmp(cmd, "status") == 0)
		rc = remote_status(&rm, argc, argv);
	else if (strcmp(cmd, "show") == 0)
		rc = remote_show(&rm, argc, argv);
	else if (strcmp(cmd, "groups") == 0 || strcmp(cmd, "workers") == 0 ||
	    strcmp(cmd, "notifications") == 0 || strcmp(cmd, "downtimes") == 0)
		rc = remote_list(&rm, argc, argv);
	else if (strcmp(cmd, "reload") == 0 && argc == 1) {
		json_t *b = json_object();

		rc = post(&rm, "reload", b);
		json_decref(b);
	} else if (strcmp(cmd, "ack") == 0 || strcmp(cmd, "unack") == 0 ||
	    strcmp(cmd, "notify") == 0 || strcmp(cmd, "recheck") == 0 ||
	    strcmp(cmd, "downtime") == 0 || strcmp(cmd, "submit") == 0 ||
	    strcmp(cmd, "disable") == 0 || strcmp(cmd, "enable") == 0)
		rc = remote_command(&rm, argc, argv);
	else {
		fprintf(stderr, "vigilctl: unknown command \"%s\"\n", cmd);
		ctl_usage(stderr);
		rc = 2;
	}
	curl_slist_free_all(rm.hdrs);
	curl_easy_cleanup(rm.c);
	curl_global_cleanup();
	free((char *)rm.url);
	free(auth);
	memset(tok, 0, sizeof(tok));
	return rc;
}
