/*
 * NAME
 *	webtest - an HTTP client for the tests of vigil-web (libcurl)
 * DESCRIPTION
 *	wt_init() names the server (its port, https or not) and the test's
 *	environment, whose daemon logs a failing request prints. Requests
 *	carry a bearer token (NULL: none) and a body (NULL: none); the JSON
 *	helpers fail the test when the status is not the one wanted.
 */
#ifndef VIGIL_WEBTEST_H
#define VIGIL_WEBTEST_H

#include <jansson.h>
#include <stddef.h>

struct it_env;

void wt_init(struct it_env *env, int port);
/* Requests go to https://localhost:port, trusting only ca_file. */
void wt_https(const char *ca_file);
/* The status (-1: no answer), *body (the caller frees it) and, when
 * www_auth is given, whether the answer asked for a bearer token. */
long wt_http(const char *method, const char *path, const char *token, const char *data,
    size_t len, char **body, int *www_auth);
/* method path with data (JSON text or NULL): the answer parsed, the test
 * failing unless its status is want. */
json_t *wt_json(const char *method, const char *path, const char *token, const char *data,
    long want);
json_t *wt_get(const char *path, const char *token, long want);
json_t *wt_post(const char *path, const char *token, const char *data, long want);
/* A passive result for check ("HOST/SERVICE") through the API (202). */
void wt_result(const char *check, const char *state, const char *output, const char *token);
/* dir/tokens (mode 0600) holding one token: name, scope ("read",
 * "write", "admin") and the token's hash. Its path; the caller frees. */
char *wt_token_file(struct it_env *env, const char *name, const char *scope,
    const char *token);
/* A libcurl write function appending to the struct strbuf arg. */
size_t wt_collect(char *p, size_t size, size_t n, void *arg);
/* o's member key as a string, NULL if it is not one. */
const char *wt_str(json_t *o, const char *key);

/* GET path (with token) until its member key is a string other than was
 * (NULL: until there is one): that answer; the test fails after timeout
 * seconds. */
json_t *wt_wait_change(const char *path, const char *key, const char *was, const char *token,
    double timeout);
/* GET path without a token, a fresh connection each time, until the
 * status is want; the test fails after timeout seconds. */
void wt_until_status(const char *path, long want, double timeout);
/* A connection to 127.0.0.1:port; rcvbuf > 0: its receive buffer, in
 * bytes (the kernel doubles it). */
int wt_connect(int port, int rcvbuf);
/* A connection to 127.0.0.1:port that sent req and nothing more. */
int wt_raw(int port, const char *req, size_t len);
/* Of the n connections fds, how many the server answered with text in
 * the answer's first bytes (waiting up to 15 s for the first answer, then
 * 1 s for more). */
int wt_answered(const int *fds, int n, const char *text);

#endif
