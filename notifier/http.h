/*
 * NAME
 *	http - POST one JSON document with libcurl (Slack, webhooks)
 * DESCRIPTION
 *	http_post_json() posts body to url (http or https only, no
 *	redirects followed) within timeout seconds. Any 2xx status is
 *	success. Blocking: call it from a delivery thread with that thread's
 *	curl handle.
 *
 *	http_perform() runs any transfer set up on a curl handle (the SMTP
 *	one too) the same way: within timeout seconds, without signals (the
 *	handle is a thread's), libcurl's message in cerr.
 *
 *	http_url_host() is the part of a URL that may be logged: webhook
 *	URLs (Slack's above all) carry their secret in the path.
 * DIAGNOSTICS
 *	-1 with err "HTTP 500: <start of the answer>" or "http: <libcurl's
 *	error>" for a transport failure.
 * SECURITY
 *	Neither the URL nor the request ever reaches err.
 */
#ifndef VIGIL_HTTP_H
#define VIGIL_HTTP_H

#include <stddef.h>

int http_post_json(void *curl, const char *url, const char *body, size_t len, int timeout,
    char *err, size_t errlen);
/* Run the transfer set up on curl: libcurl's CURLcode (0: done), *code
 * the last reply code (HTTP status, SMTP reply), cerr (at least
 * CURL_ERROR_SIZE bytes) its message, "" if none. */
int http_perform(void *curl, int timeout, long *code, char *cerr);
/* buf = the URL's host ("hooks.slack.com"), or "?" if it has none. */
const char *http_url_host(const char *url, char *buf, size_t len);

#endif
