/*
 * NAME
 *	http - POST one JSON document with libcurl (Slack, webhooks)
 * DESCRIPTION
 *	See http.h. The answer is kept only as far as an error message
 *	needs (HTTP_ANSWER_MAX bytes).
 * DIAGNOSTICS
 *	See http.h.
 */
#include "http.h"
#include "util.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#ifndef VIGIL_VERSION
#define VIGIL_VERSION PACKAGE_VERSION
#endif

#define HTTP_ANSWER_MAX 200

struct http_answer {
	char text[HTTP_ANSWER_MAX + 1];
	size_t len;
};

static size_t
http_keep(char *p, size_t size, size_t nmemb, void *arg)
{
	struct http_answer *a = arg;
	size_t n = size * nmemb, room = HTTP_ANSWER_MAX - a->len;

	memcpy(a->text + a->len, p, n < room ? n : room);
	a->len += n < room ? n : room;
	a->text[a->len] = '\0';
	return n;
}

int
http_post_json(void *curl, const char *url, const char *body, size_t len, int timeout,
    char *err, size_t errlen)
{
	CURL *h = curl;
	struct curl_slist *hdr = NULL;
	struct http_answer a = { "", 0 };
	char cerr[CURL_ERROR_SIZE] = "";
	long status = 0;
	int rc;

	curl_easy_reset(h);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "vigil-notifier/" VIGIL_VERSION);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_keep);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &a);
	rc = http_perform(h, timeout, &status, cerr);
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK) {
		util_errf(err, errlen, "http: %s", *cerr ? cerr : curl_easy_strerror((CURLcode)rc));
		return -1;
	}
	if (status < 200 || status > 299) {
		/* One line: the answer may be an HTML page. */
		for (char *p = a.text; *p != '\0'; p++)
			if (*p == '\r' || *p == '\n' || *p == '\t')
				*p = ' ';
		util_errf(err, errlen, "HTTP %ld: %s", status, a.len > 0 ? a.text : "(empty answer)");
		return -1;
	}
	return 0;
}

int
http_perform(void *curl, int timeout, long *code, char *cerr)
{
	CURL *h = curl;
	CURLcode rc;

	*cerr = '\0';
	*code = 0;
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)timeout);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);	/* threads: no SIGALRM */
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	return (int)rc;
}

const char *
http_url_host(const char *url, char *buf, size_t len)
{
	CURLU *u = curl_url();
	char *host = NULL;

	snprintf(buf, len, "?");
	if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		snprintf(buf, len, "%s", host);
	curl_free(host);
	curl_url_cleanup(u);
	return buf;
}
