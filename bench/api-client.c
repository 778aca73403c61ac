/*
 * NAME
 *	vigil-bench-api - time vigil-web's answers, for bench/api
 * SYNOPSIS
 *	vigil-bench-api get --url URL --token T --count N [--clients C] PATH
 *	vigil-bench-api recheck --url URL --token T --count N HOST/SERVICE
 * DESCRIPTION
 *	get: N requests GET URL/PATH from C clients at once (default 1), each
 *	client one thread with its own keep-alive connection; every answer
 *	must be 200. Prints count, clients, seconds, per_second and the
 *	latency of one request in ms: p50, p90, p99, max.
 *
 *	recheck: N times, POST URL/api/v1/checks/HOST/SERVICE/recheck (the
 *	engine's verdict is its answer), then GET the check every 2 ms until
 *	its output differs from what it was before the POST: the time from
 *	the POST to that GET is one recheck-to-visible. The check's plugin
 *	must print something new each run (bench/api's prints the time in
 *	nanoseconds). Prints count and p50, p90, p99, max in ms, and the
 *	POST's own p50 (until the engine's verdict).
 * DIAGNOSTICS
 *	Exit 1 when an answer is not 200 (or not JSON where one is read), or
 *	a recheck's result does not show within 30 s; 2 on a usage error.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "util.h"
#include "xalloc.h"

struct client {
	const char *url, *token;
	int count;
	double *ms;		/* this client's latencies */
	int failed;
};

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, p, size * n);
	return size * n;
}

static CURL *
client_handle(const char *token, struct curl_slist **hdrs, struct strbuf *b)
{
	CURL *c = curl_easy_init();
	char *auth = xasprintf("Authorization: Bearer %s", token);

	*hdrs = curl_slist_append(NULL, auth);
	free(auth);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	return c;
}

/* One request on c: its status, the body in b (emptied first). */
static long
request(CURL *c, const char *url, const char *method, struct strbuf *b)
{
	long st = -1;

	b->len = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	} else
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
	strbuf_add(b, "", 1);
	b->len--;
	return st;
}

static void *
client_run(void *arg)
{
	struct client *cl = arg;
	struct curl_slist *hdrs;
	struct strbuf b = { 0 };
	CURL *c = client_handle(cl->token, &hdrs, &b);

	for (int i = 0; i < cl->count; i++) {
		double t0 = util_now();
		long st = request(c, cl->url, "GET", &b);

		cl->ms[i] = (util_now() - t0) * 1000;
		if (st != 200) {
			fprintf(stderr, "vigil-bench-api: GET %s: %ld %.200s\n", cl->url, st,
			    b.s != NULL ? b.s : "");
			cl->failed = 1;
			break;
		}
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(b.s);
	return NULL;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const double *v, int n, double p)
{
	int i = (int)(p * n + 0.999999) - 1;

	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static void
print_latency(double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof(*ms), by_value);
	printf(" p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f", pct(ms, n, 0.5),
	    pct(ms, n, 0.9), pct(ms, n, 0.99), ms[n - 1]);
}

static int
run_get(const char *base, const char *token, int count, int clients, const char *path)
{
	struct client *cl = xcalloc((size_t)clients, sizeof(*cl));
	pthread_t *th = xcalloc((size_t)clients, sizeof(*th));
	double *all = xcalloc((size_t)count, sizeof(*all)), t0;
	char *url = xasprintf("%s%s", base, path);
	int n = 0, failed = 0;

	for (int i = 0; i < clients; i++) {
		cl[i].url = url;
		cl[i].token = token;
		cl[i].count = count / clients + (i < count % clients);
		cl[i].ms = xcalloc((size_t)cl[i].count + 1, sizeof(double));
	}
	t0 = util_now();
	for (int i = 0; i < clients; i++)
		pthread_create(&th[i], NULL, client_run, &cl[i]);
	for (int i = 0; i < clients; i++) {
		pthread_join(th[i], NULL);
		failed |= cl[i].failed;
		memcpy(all + n, cl[i].ms, (size_t)cl[i].count * sizeof(double));
		n += cl[i].count;
		free(cl[i].ms);
	}
	if (!failed) {
		double secs = util_now() - t0;

		printf("count=%d clients=%d seconds=%.2f per_second=%.0f", n, clients, secs,
		    n / secs);
		print_latency(all, n);
		printf("\n");
	}
	free(all);
	free(url);
	free(th);
	free(cl);
	return failed ? 1 : 0;
}

/* The check's output in the JSON answer b, NULL if none. */
static char *
output_of(const struct strbuf *b)
{
	json_t *j = json_loadb(b->s, b->len, 0, NULL);
	const char *o = json_string_value(json_object_get(j, "output"));
	char *out = o != NULL ? xstrdup(o) : NULL;

	json_decref(j);
	return out;
}

static int
run_recheck(const char *base, const char *token, int count, const char *check)
{
	char *get = xasprintf("%s/api/v1/checks/%s", base, check);
	char *post = xasprintf("%s/api/v1/checks/%s/recheck", base, check);
	double *ms = xcalloc((size_t)count, sizeof(*ms));
	double *post_ms = xcalloc((size_t)count, sizeof(*post_ms));
	struct strbuf b = { 0 };
	struct curl_slist *hdrs;
	CURL *c = client_handle(token, &hdrs, &b);
	int rc = 1, i;

	for (i = 0; i < count; i++) {
		char *was, *now_out = NULL;
		double t0, deadline;
		long st;

		if ((st = request(c, get, "GET", &b)) != 200 || (was = output_of(&b)) == NULL) {
			fprintf(stderr, "vigil-bench-api: GET %s: %ld %.200s\n", get, st, b.s);
			goto out;
		}
		t0 = util_now();
		if ((st = request(c, post, "POST", &b)) != 200) {
			fprintf(stderr, "vigil-bench-api: POST %s: %ld %.200s\n", post, st, b.s);
			free(was);
			goto out;
		}
		post_ms[i] = (util_now() - t0) * 1000;
		for (deadline = t0 + 30; util_now() < deadline; usleep(2000)) {
			if (request(c, get, "GET", &b) != 200)
				continue;
			free(now_out);
			if ((now_out = output_of(&b)) != NULL && strcmp(now_out, was) != 0)
				break;
		}
		ms[i] = (util_now() - t0) * 1000;
		if (now_out == NULL || strcmp(now_out, was) == 0) {
			fprintf(stderr, "vigil-bench-api: recheck %d of %s: no new result in 30 s\n",
			    i + 1, check);
			free(was);
			free(now_out);
			goto out;
		}
		free(was);
		free(now_out);
	}
	printf("count=%d", count);
	print_latency(ms, count);
	qsort(post_ms, (size_t)count, sizeof(*post_ms), by_value);
	printf(" post_p50_ms=%.1f\n", pct(post_ms, count, 0.5));
	rc = 0;
out:
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(b.s);
	free(ms);
	free(post_ms);
	free(get);
	free(post);
	return rc;
}

static int
usage(void)
{
	fprintf(stderr, "usage: vigil-bench-api get --url URL --token T --count N [--clients C] "
	    "PATH\n       vigil-bench-api recheck --url URL --token T --count N "
	    "HOST/SERVICE\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *url = NULL, *token = NULL;
	int count = 0, clients = 1, i, rc;

	if (argc < 2)
		return usage();
	for (i = 2; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--url") == 0)
			url = argv[i + 1];
		else if (strcmp(argv[i], "--token") == 0)
			token = argv[i + 1];
		else if (strcmp(argv[i], "--count") == 0)
			count = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--clients") == 0)
			clients = atoi(argv[i + 1]);
		else
			return usage();
	}
	if (url == NULL || token == NULL || count < 1 || clients < 1 || clients > count ||
	    i != argc - 1)
		return usage();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (strcmp(argv[1], "get") == 0)
		rc = run_get(url, token, count, clients, argv[i]);
	else if (strcmp(argv[1], "recheck") == 0)
		rc = run_recheck(url, token, count, argv[i]);
	else
		rc = usage();
	curl_global_cleanup();
	return rc;
}
