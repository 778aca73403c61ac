/*
 * NAME
 *	webtest - an HTTP client for the tests of vigil-web (see webtest.h)
 */
#include "webtest.h"

#include <arpa/inet.h>
#include <check.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itutil.h"
#include "tests/testutil.h"
#include "web/tokens.h"
#include "strbuf.h"
#include "xalloc.h"

static struct it_env *wt_env;
static int wt_port;
static const char *wt_ca;	/* https: the CA to trust */

void
wt_init(struct it_env *env, int port)
{
	wt_env = env;
	wt_port = port;
	wt_ca = NULL;
}

void
wt_https(const char *ca_file)
{
	wt_ca = ca_file;
}

size_t
wt_collect(char *p, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, p, size * n);
	return size * n;
}

long
wt_http(const char *method, const char *path, const char *token, const char *data,
    size_t len, char **body, int *www_auth)
{
	struct strbuf b = { 0 }, h = { 0 };
	struct curl_slist *hdrs = NULL;
	char *url = xasprintf("%s://%s:%d%s", wt_ca != NULL ? "https" : "http",
	    wt_ca != NULL ? "localhost" : "127.0.0.1", wt_port, path), *auth = NULL;
	long status = -1;
	CURL *c = curl_easy_init();

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, wt_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, wt_collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	if (wt_ca != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, wt_ca);
	if (data != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		hdrs = curl_slist_append(hdrs, auth);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	}
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	strbuf_add(&b, "", 1);
	strbuf_add(&h, "", 1);
	*body = b.s;
	if (www_auth != NULL)
		*www_auth = strcasestr(h.s, "www-authenticate: bearer") != NULL;
	free(h.s);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(auth);
	free(url);
	return status;
}

json_t *
wt_json(const char *method, const char *path, const char *token, const char *data, long want)
{
	char *body;
	long st = wt_http(method, path, token, data, data != NULL ? strlen(data) : 0, &body, NULL);
	json_error_t e;
	json_t *j;

	if (st != want) {
		it_dump(wt_env, "web.log");
		it_dump(wt_env, "engine.log");
		ck_abort_msg("%s %s %s: %ld, want %ld: %s", method, path, data != NULL ? data : "",
		    st, want, body);
	}
	j = json_loads(body, 0, &e);
	ck_assert_msg(j != NULL, "%s %s: not JSON (%s): %s", method, path, e.text, body);
	free(body);
	return j;
}

json_t *
wt_get(const char *path, const char *token, long want)
{
	return wt_json("GET", path, token, NULL, want);
}

json_t *
wt_post(const char *path, const char *token, const char *data, long want)
{
	return wt_json("POST", path, token, data, want);
}

const char *
wt_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

json_t *
wt_wait_change(const char *path, const char *key, const char *was, const char *token,
    double timeout)
{
	for (double t = 0; t < timeout; t += 0.1) {
		json_t *j = wt_get(path, token, 200);
		const char *v = wt_str(j, key);

		if (v != NULL && (was == NULL || strcmp(v, was) != 0))
			return j;
		json_decref(j);
		usleep(100000);
	}
	it_dump(wt_env, "engine.log");
	ck_abort_msg("GET %s: %s stayed \"%s\"", path, key, was != NULL ? was : "(none)");
	return NULL;
}

void
wt_until_status(const char *path, long want, double timeout)
{
	char *body = NULL;
	long st = -1;

	for (double t = 0; t < timeout && st != want; t += 0.05) {
		free(body);
		if ((st = wt_http("GET", path, NULL, NULL, 0, &body, NULL)) != want)
			usleep(50000);
	}
	ck_assert_msg(st == want, "GET %s: %ld, want %ld: %s", path, st, want, body);
	free(body);
}

void
wt_result(const char *check, const char *state, const char *output, const char *token)
{
	char *path = xasprintf("/api/v1/checks/%s/result", check);
	json_t *body = json_pack("{s:s, s:s}", "state", state, "output", output);
	char *text = json_dumps(body, JSON_COMPACT);
	json_t *j = wt_post(path, token, text, 202);

	json_decref(j);
	json_decref(body);
	free(text);
	free(path);
}

char *
wt_token_file(struct it_env *env, const char *name, const char *scope, const char *token)
{
	char h[65], *line, *path;

	tokens_hash_hex(token, h);
	line = xasprintf("%s %s %s\n", name, scope, h);
	path = tu_write_file(env->dir, "tokens", line);
	chmod(path, 0600);
	free(line);
	return path;
}

int
wt_connect(int port, int rcvbuf)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	/* before connect, so the window it offers is small from the start */
	if (rcvbuf > 0)
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

int
wt_raw(int port, const char *req, size_t len)
{
	int fd = wt_connect(port, 0);

	ck_assert_int_eq(write(fd, req, len), (ssize_t)len);
	return fd;
}

int
wt_answered(const int *fds, int n, const char *text)
{
	struct pollfd pf[16];
	char buf[512];
	int got = 0, done = 0;

	ck_assert_int_le(n, 16);
	for (int i = 0; i < n; i++)
		pf[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	for (int wait_ms = 15000; done < n && poll(pf, (nfds_t)n, wait_ms) > 0; wait_ms = 1000)
		for (int i = 0; i < n; i++) {
			ssize_t k;

			if (!(pf[i].revents & POLLIN))
				continue;
			k = read(pf[i].fd, buf, sizeof(buf) - 1);
			buf[k > 0 ? k : 0] = '\0';
			if (strstr(buf, text) != NULL)
				got++;
			pf[i].fd = -1;	/* answered (or closed): not again */
			done++;
		}
	return got;
}
