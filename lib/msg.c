/*
 * NAME
 *	msg - encode and decode job, result, heartbeat and notification
 *	messages (jansson)
 * DESCRIPTION
 *	See msg.h. Decoding is strict about types and lenient about unknown
 *	fields (a newer minor producer may add some).
 * DIAGNOSTICS
 *	-1 and err "field \"x\": expected …" on malformed input.
 */
#include "msg.h"
#include "config.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static char *
dump(json_t *o, size_t *len)
{
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	if (s == NULL)
		abort();	/* only on OOM or invalid UTF-8 we never produce */
	if (len != NULL)
		*len = strlen(s);
	return s;
}

char *
msg_job_encode(const struct job *job, size_t *len)
{
	json_t *o = json_object(), *argv = strv_json(job->argv, job->argc);

	json_object_set_new(o, "v", json_integer(MSG_VERSION));
	json_object_set_new(o, "job", json_string(job->id));
	json_object_set_new(o, "check", json_integer(job->check_id));
	json_object_set_new(o, "host", json_string(job->host));
	json_object_set_new(o, "service", str_or_null(job->service));
	json_object_set_new(o, "pool", json_string(job->pool));
	json_object_set_new(o, "argv", argv);
	json_object_set_new(o, "timeout", json_integer(job->timeout));
	json_object_set_new(o, "timeout_state", json_integer(job->timeout_state));
	json_object_set_new(o, "scheduled", json_real(job->scheduled));
	json_object_set_new(o, "deadline", json_real(job->deadline));
	return dump(o, len);
}

/* Parse body into an object and check its version. */
static json_t *
load(const void *body, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o = json_loadb(body, len, 0, &je), *v;

	if (o == NULL) {
		if (err != NULL)
			snprintf(err, errlen, "invalid JSON at byte %d: %s", je.position, je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		util_errf(err, errlen, "%s", "message is not a JSON object");
		json_decref(o);
		return NULL;
	}
	v = json_object_get(o, "v");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > MSG_VERSION) {
		util_errf(err, errlen, "field \"%s\": expected a supported version (1)", "v");
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The value of key: NULL when absent or null (an error if required, *bad
 * set), or when its type fails is_ok (an error naming what was expected). */
static json_t *
field(json_t *o, const char *key, int required, int (*is_ok)(const json_t *),
    const char *expected, int *bad, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);

	*bad = 0;
	if (v == NULL || json_is_null(v)) {
		if (required) {
			util_errf(err, errlen, "field \"%s\": required", key);
			*bad = 1;
		}
		return NULL;
	}
	if (!is_ok(v)) {
		util_errf(err, errlen, "field \"%s\": expected %s", key, expected);
		*bad = 1;
		return NULL;
	}
	return v;
}

static int is_string(const json_t *v) { return json_is_string(v); }
static int is_number(const json_t *v) { return json_is_number(v); }
static int is_integer(const json_t *v) { return json_is_integer(v); }
static int is_object(const json_t *v) { return json_is_object(v); }
static int is_boolean(const json_t *v) { return json_is_boolean(v); }

static int
is_id(const json_t *v)
{
	size_t n = json_is_string(v) ? strlen(json_string_value(v)) : 0;

	return n > 0 && n <= UTIL_ID_LEN;
}

/* Optional string field: *out = copy or NULL. -1 if present but not a string. */
static int
get_str(json_t *o, const char *key, char **out, int required, char *err, size_t errlen)
{
	int bad;
	json_t *v = field(o, key, required, is_string, "a string", &bad, err, errlen);

	*out = v != NULL ? xstrdup(json_string_value(v)) : NULL;
	return bad ? -1 : 0;
}

static int
get_num(json_t *o, const char *key, double *out, int required, char *err, size_t errlen)
{
	int bad;
	json_t *v = field(o, key, required, is_number, "a number", &bad, err, errlen);

	if (v != NULL)
		*out = json_number_value(v);
	return bad ? -1 : 0;
}

static int
get_int(json_t *o, const char *key, int64_t *out, int required, char *err, size_t errlen)
{
	int bad;
	json_t *v = field(o, key, required, is_integer, "an integer", &bad, err, errlen);

	if (v != NULL)
		*out = json_integer_value(v);
	return bad ? -1 : 0;
}

static int
get_id(json_t *o, const char *key, char out[UTIL_ID_LEN + 1], int required,
    char *err, size_t errlen)
{
	int bad;
	json_t *v = field(o, key, required, is_id, "an id of at most 32 characters",
	    &bad, err, errlen);

	out[0] = '\0';
	if (v != NULL)
		strcpy(out, json_string_value(v));
	return bad ? -1 : 0;
}

int
msg_job_decode(const void *body, size_t len, struct job *job, char *err, size_t errlen)
{
	json_t *o = load(body, len, err, errlen), *argv;
	int64_t n = 0;
	size_t i;

	memset(job, 0, sizeof(*job));
	if (o == NULL)
		return -1;
	if (get_id(o, "job", job->id, 1, err, errlen) < 0 ||
	    get_int(o, "check", &job->check_id, 1, err, errlen) < 0 ||
	    get_str(o, "host", &job->host, 1, err, errlen) < 0 ||
	    get_str(o, "service", &job->service, 0, err, errlen) < 0 ||
	    get_str(o, "pool", &job->pool, 1, err, errlen) < 0 ||
	    get_num(o, "scheduled", &job->scheduled, 1, err, errlen) < 0 ||
	    get_num(o, "deadline", &job->deadline, 1, err, errlen) < 0)
		goto fail;
	if (get_int(o, "timeout", &n, 1, err, errlen) < 0)
		goto fail;
	if (n < 1 || n > 86400) {
		util_errf(err, errlen, "field \"%s\": expected 1..86400 seconds", "timeout");
		goto fail;
	}
	job->timeout = (int)n;
	n = 2;
	if (get_int(o, "timeout_state", &n, 0, err, errlen) < 0)
		goto fail;
	if (n < 0 || n > 3) {
		util_errf(err, errlen, "field \"%s\": expected 0..3", "timeout_state");
		goto fail;
	}
	job->timeout_state = (int)n;
	argv = json_object_get(o, "argv");
	if (!json_is_array(argv) || json_array_size(argv) == 0) {
		util_errf(err, errlen, "field \"%s\": expected a non-empty array of strings", "argv");
		goto fail;
	}
	job->argc = json_array_size(argv);
	job->argv = xcalloc(job->argc + 1, sizeof(char *));
	for (i = 0; i < job->argc; i++) {
		json_t *a = json_array_get(argv, i);

		if (!json_is_string(a)) {
			util_errf(err, errlen, "field \"%s\": expected a non-empty array of strings", "argv");
			goto fail;
		}
		job->argv[i] = xstrdup(json_string_value(a));
	}
	if (job->argv[0][0] != '/') {
		util_errf(err, errlen, "field \"%s\": argv[0] must be an absolute path", "argv");
		goto fail;
	}
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	msg_job_clear(job);
	return -1;
}

void
msg_job_clear(struct job *job)
{
	free(job->host);
	free(job->service);
	free(job->pool);
	if (job->argv != NULL)
		for (size_t i = 0; i < job->argc; i++)
			free(job->argv[i]);
	free(job->argv);
	memset(job, 0, sizeof(*job));
}

char *
msg_result_encode(const struct result_msg *r, size_t *len)
{
	json_t *o = json_object();

	json_object_set_new(o, "v", json_integer(MSG_VERSION));
	if (r->job[0] != '\0')
		json_object_set_new(o, "job", json_string(r->job));
	if (r->check_id > 0)
		json_object_set_new(o, "check", json_integer(r->check_id));
	json_object_set_new(o, "host", json_string(r->host));
	json_object_set_new(o, "service", str_or_null(r->service));
	json_object_set_new(o, "status", json_integer(r->status));
	json_object_set_new(o, "output", json_string(r->output != NULL ? r->output : ""));
	if (r->pool != NULL)
		json_object_set_new(o, "pool", json_string(r->pool));
	if (r->worker != NULL)
		json_object_set_new(o, "worker", json_string(r->worker));
	if (r->scheduled > 0)
		json_object_set_new(o, "scheduled", json_real(r->scheduled));
	json_object_set_new(o, "start", json_real(r->start));
	json_object_set_new(o, "end", json_real(r->end));
	if (r->exit_code >= 0)
		json_object_set_new(o, "exit_code", json_integer(r->exit_code));
	if (r->signo > 0)
		json_object_set_new(o, "signal", json_integer(r->signo));
	if (r->timed_out)
		json_object_set_new(o, "timed_out", json_true());
	return dump(o, len);
}

int
msg_result_decode(const void *body, size_t len, struct result_msg *r, char *err, size_t errlen)
{
	json_t *o = load(body, len, err, errlen);
	int64_t n = 0;
	double t = 0;

	memset(r, 0, sizeof(*r));
	r->exit_code = -1;
	if (o == NULL)
		return -1;
	if (get_id(o, "job", r->job, 0, err, errlen) < 0 ||
	    get_int(o, "check", &r->check_id, 0, err, errlen) < 0 ||
	    get_str(o, "host", &r->host, 1, err, errlen) < 0 ||
	    get_str(o, "service", &r->service, 0, err, errlen) < 0 ||
	    get_str(o, "output", &r->output, 1, err, errlen) < 0 ||
	    get_str(o, "pool", &r->pool, 0, err, errlen) < 0 ||
	    get_str(o, "worker", &r->worker, 0, err, errlen) < 0 ||
	    get_num(o, "scheduled", &r->scheduled, 0, err, errlen) < 0 ||
	    get_num(o, "start", &r->start, 0, err, errlen) < 0 ||
	    get_num(o, "end", &r->end, 0, err, errlen) < 0 ||
	    get_num(o, "time", &t, 0, err, errlen) < 0)
		goto fail;
	if (get_int(o, "status", &n, 1, err, errlen) < 0)
		goto fail;
	if (n < 0 || n > 3) {
		util_errf(err, errlen, "field \"%s\": expected 0..3", "status");
		goto fail;
	}
	r->status = (int)n;
	n = -1;
	if (get_int(o, "exit_code", &n, 0, err, errlen) < 0)
		goto fail;
	r->exit_code = (int)n;
	n = 0;
	if (get_int(o, "signal", &n, 0, err, errlen) < 0)
		goto fail;
	r->signo = (int)n;
	r->timed_out = json_is_true(json_object_get(o, "timed_out"));
	/* Passive results give one "time"; active ones start and end. */
	if (r->start == 0)
		r->start = t;
	if (r->end == 0)
		r->end = r->start;
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	msg_result_clear(r);
	return -1;
}

void
msg_result_clear(struct result_msg *r)
{
	free(r->host);
	free(r->service);
	free(r->pool);
	free(r->worker);
	free(r->output);
	memset(r, 0, sizeof(*r));
	r->exit_code = -1;
}

char *
msg_worker_encode(const struct worker_msg *w, size_t *len)
{
	json_t *o = json_object();

	json_object_set_new(o, "v", json_integer(MSG_VERSION));
	json_object_set_new(o, "type", json_string("worker"));
	json_object_set_new(o, "pool", json_string(w->pool));
	json_object_set_new(o, "host", json_string(w->host));
	json_object_set_new(o, "pid", json_integer(w->pid));
	json_object_set_new(o, "id", json_string(w->id));
	json_object_set_new(o, "concurrency", json_integer(w->concurrency));
	json_object_set_new(o, "running", json_integer(w->running));
	json_object_set_new(o, "awaiting", json_integer(w->awaiting));
	json_object_set_new(o, "version", json_string(w->version));
	json_object_set_new(o, "started", json_real(w->started));
	json_object_set_new(o, "time", json_real(w->time));
	if (w->stopping)
		json_object_set_new(o, "stopping", json_true());
	return dump(o, len);
}

/* A required string of 1..MSG_WORKER_STR_MAX bytes: names end up as keys
 * and in the database, so an empty or huge one is refused. */
static int
get_name(json_t *o, const char *key, char **out, char *err, size_t errlen)
{
	size_t n;

	if (get_str(o, key, out, 1, err, errlen) < 0)
		return -1;
	n = strlen(*out);
	if (n == 0 || n > MSG_WORKER_STR_MAX) {
		util_errf(err, errlen, "field \"%s\": expected a string of 1..%d bytes", key,
		    MSG_WORKER_STR_MAX);
		return -1;
	}
	return 0;
}

/* A required integer in min..max. */
static int
get_count(json_t *o, const char *key, int64_t min, int64_t max, int64_t *out,
    char *err, size_t errlen)
{
	if (get_int(o, key, out, 1, err, errlen) < 0)
		return -1;
	if (*out < min || *out > max) {
		util_errf(err, errlen, "field \"%s\": expected %lld..%lld", key, (long long)min,
		    (long long)max);
		return -1;
	}
	return 0;
}

int
msg_worker_decode(const void *body, size_t len, struct worker_msg *w, char *err, size_t errlen)
{
	json_t *o = load(body, len, err, errlen), *v;
	const char *type;
	int64_t concurrency = 0, running = 0, awaiting = 0;

	memset(w, 0, sizeof(*w));
	if (o == NULL)
		return -1;
	type = json_string_value(json_object_get(o, "type"));
	if (type == NULL || strcmp(type, "worker") != 0) {
		util_errf(err, errlen, "field \"%s\": expected \"worker\"", "type");
		goto fail;
	}
	if (get_name(o, "pool", &w->pool, err, errlen) < 0 ||
	    get_name(o, "host", &w->host, err, errlen) < 0 ||
	    get_name(o, "id", &w->id, err, errlen) < 0 ||
	    get_name(o, "version", &w->version, err, errlen) < 0 ||
	    get_count(o, "pid", 1, INT32_MAX, &w->pid, err, errlen) < 0 ||
	    get_count(o, "concurrency", 0, 65535, &concurrency, err, errlen) < 0 ||
	    get_count(o, "running", 0, INT32_MAX, &running, err, errlen) < 0 ||
	    get_count(o, "awaiting", 0, INT32_MAX, &awaiting, err, errlen) < 0 ||
	    get_num(o, "started", &w->started, 1, err, errlen) < 0 ||
	    get_num(o, "time", &w->time, 1, err, errlen) < 0)
		goto fail;
	w->concurrency = (int)concurrency;
	w->running = (int)running;
	w->awaiting = (int)awaiting;
	v = json_object_get(o, "stopping");
	if (v != NULL && !json_is_boolean(v) && !json_is_null(v)) {
		util_errf(err, errlen, "field \"%s\": expected true or false", "stopping");
		goto fail;
	}
	w->stopping = json_is_true(v);
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	msg_worker_clear(w);
	return -1;
}

void
msg_worker_clear(struct worker_msg *w)
{
	free(w->pool);
	free(w->host);
	free(w->id);
	free(w->version);
	memset(w, 0, sizeof(*w));
}

/* ---- notification deliveries ----------------------------------------- */

char *
msg_notification_encode(const struct notification_msg *n, size_t *len)
{
	json_t *o = json_object(), *c = json_object(), *vars = json_object(), *items;

	json_object_set_new(o, "v", json_integer(MSG_VERSION));
	json_object_set_new(o, "type", json_string("notification"));
	json_object_set_new(o, "id", json_string(n->id));
	json_object_set_new(o, "notification", json_string(n->notification));
	json_object_set_new(o, "kind", json_string(n->kind));
	json_object_set_new(o, "number", json_integer(n->number));
	json_object_set_new(o, "escalated", json_boolean(n->escalated));
	json_object_set_new(o, "channel", json_string(n->channel));
	json_object_set_new(c, "name", json_string(n->contact));
	json_object_set_new(c, "alias", json_string(n->contact_alias != NULL ?
	    n->contact_alias : n->contact));
	json_object_set_new(c, "email", str_or_null(n->email));
	json_object_set_new(c, "slack", str_or_null(n->slack));
	json_object_set_new(c, "webhook", str_or_null(n->webhook));
	json_object_set_new(c, "command", n->command != NULL ?
	    strv_json(n->command, n->ncommand) : json_null());
	for (size_t i = 0; i < n->nvars; i++)
		json_object_set_new(vars, n->vars[i].name, json_string(n->vars[i].value));
	json_object_set_new(c, "vars", vars);
	json_object_set_new(o, "contact", c);
	json_object_set_new(o, "host", str_or_null(n->host));
	json_object_set_new(o, "host_address", str_or_null(n->host_address));
	json_object_set_new(o, "host_alias", str_or_null(n->host_alias));
	json_object_set_new(o, "service", str_or_null(n->service));
	json_object_set_new(o, "state", str_or_null(n->state));
	json_object_set_new(o, "old_state", str_or_null(n->old_state));
	json_object_set_new(o, "state_type", str_or_null(n->state_type));
	json_object_set_new(o, "attempt", json_integer(n->attempt));
	json_object_set_new(o, "max_attempts", json_integer(n->max_attempts));
	json_object_set_new(o, "output", json_string(n->output != NULL ? n->output : ""));
	json_object_set_new(o, "long_output", json_string(n->long_output != NULL ?
	    n->long_output : ""));
	json_object_set_new(o, "perfdata", json_string(n->perfdata != NULL ? n->perfdata : ""));
	json_object_set_new(o, "time", json_real(n->time));
	json_object_set_new(o, "last_state_change", json_real(n->last_state_change));
	json_object_set_new(o, "author", str_or_null(n->author));
	json_object_set_new(o, "comment", str_or_null(n->comment));
	if (n->nitems > 0) {
		items = json_array();
		for (size_t i = 0; i < n->nitems; i++) {
			const struct notification_item *it = &n->items[i];
			json_t *x = json_object();

			json_object_set_new(x, "host", json_string(it->host));
			json_object_set_new(x, "service", str_or_null(it->service));
			json_object_set_new(x, "kind", json_string(it->kind));
			json_object_set_new(x, "state", str_or_null(it->state));
			json_object_set_new(x, "output", json_string(it->output != NULL ?
			    it->output : ""));
			json_object_set_new(x, "time", json_real(it->time));
			json_array_append_new(items, x);
		}
		json_object_set_new(o, "items", items);
	}
	return dump(o, len);
}

/* A NULL-terminated copy of an array of strings at key, *n its length;
 * absent or null: NULL. */
static int
get_strv(json_t *o, const char *key, char ***out, size_t *n, char *err, size_t errlen)
{
	json_t *a = json_object_get(o, key);
	size_t i;

	*out = NULL;
	*n = 0;
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		goto bad;
	for (i = 0; i < json_array_size(a); i++)
		if (!json_is_string(json_array_get(a, i)))
			goto bad;
	*n = json_array_size(a);
	*out = xcalloc(*n + 1, sizeof(char *));
	for (i = 0; i < *n; i++)
		(*out)[i] = xstrdup(json_string_value(json_array_get(a, i)));
	return 0;
bad:
	util_errf(err, errlen, "field \"%s\": expected an array of strings", key);
	return -1;
}

/* err 'field "x": …' of a nested object becomes 'field "where.x": …'. */
static void
err_in(char *err, size_t errlen, const char *where)
{
	char tmp[512];

	if (err == NULL || strncmp(err, "field \"", 7) != 0)
		return;
	snprintf(tmp, sizeof(tmp), "field \"%s.%s", where, err + 7);
	util_errf(err, errlen, "%s", tmp);
}

static int
get_contact(json_t *o, struct notification_msg *n, char *err, size_t errlen)
{
	json_t *c = json_object_get(o, "contact"), *vars, *v;
	const char *k;
	int bad;

	if (!json_is_object(c)) {
		util_errf(err, errlen, "field \"%s\": expected an object with a name", "contact");
		return -1;
	}
	/* Field names are the contact's own ("name"), prefixed in errors. */
	if (get_str(c, "name", &n->contact, 1, err, errlen) < 0 ||
	    get_str(c, "alias", &n->contact_alias, 0, err, errlen) < 0 ||
	    get_str(c, "email", &n->email, 0, err, errlen) < 0 ||
	    get_str(c, "slack", &n->slack, 0, err, errlen) < 0 ||
	    get_str(c, "webhook", &n->webhook, 0, err, errlen) < 0 ||
	    get_strv(c, "command", &n->command, &n->ncommand, err, errlen) < 0)
		goto fail;
	if (n->contact_alias == NULL)
		n->contact_alias = xstrdup(n->contact);
	vars = field(c, "vars", 0, is_object,
	    "an object of strings", &bad, err, errlen);
	if (bad)
		goto fail;
	if (vars != NULL) {
		n->vars = xcalloc(json_object_size(vars) + 1, sizeof(*n->vars));
		json_object_foreach(vars, k, v) {
			if (!json_is_string(v)) {
				util_errf(err, errlen, "field \"%s\": expected an object of strings",
				    "vars");
				goto fail;
			}
			n->vars[n->nvars].name = xstrdup(k);
			n->vars[n->nvars++].value = xstrdup(json_string_value(v));
		}
	}
	return 0;
fail:
	err_in(err, errlen, "contact");
	return -1;
}

static int
get_items(json_t *o, struct notification_msg *n, char *err, size_t errlen)
{
	json_t *a = json_object_get(o, "items");
	size_t i;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a)) {
		util_errf(err, errlen, "field \"%s\": expected an array of objects", "items");
		return -1;
	}
	n->items = xcalloc(json_array_size(a) + 1, sizeof(*n->items));
	for (i = 0; i < json_array_size(a); i++) {
		json_t *x = json_array_get(a, i);
		struct notification_item *it = &n->items[i];

		char where[32];

		n->nitems = i + 1;
		if (!json_is_object(x)) {
			util_errf(err, errlen, "field \"items[%zu]\": expected an object", i);
			return -1;
		}
		if (get_str(x, "host", &it->host, 1, err, errlen) < 0 ||
		    get_str(x, "service", &it->service, 0, err, errlen) < 0 ||
		    get_str(x, "kind", &it->kind, 1, err, errlen) < 0 ||
		    get_str(x, "state", &it->state, 0, err, errlen) < 0 ||
		    get_str(x, "output", &it->output, 0, err, errlen) < 0 ||
		    get_num(x, "time", &it->time, 0, err, errlen) < 0) {
			snprintf(where, sizeof(where), "items[%zu]", i);
			err_in(err, errlen, where);
			return -1;
		}
	}
	return 0;
}

int
msg_notification_decode(const void *body, size_t len, struct notification_msg *n,
    char *err, size_t errlen)
{
	static const char *const channels[] = { "email", "slack", "webhook", "command" };
	json_t *o = load(body, len, err, errlen);
	const char *type;
	int64_t number = 0, attempt = 0, max_attempts = 0;
	int bad, is_digest;
	size_t i;

	memset(n, 0, sizeof(*n));
	if (o == NULL)
		return -1;
	type = json_string_value(json_object_get(o, "type"));
	if (type == NULL || strcmp(type, "notification") != 0) {
		util_errf(err, errlen, "field \"%s\": expected \"notification\"", "type");
		goto fail;
	}
	if (get_id(o, "id", n->id, 1, err, errlen) < 0 ||
	    get_id(o, "notification", n->notification, 1, err, errlen) < 0 ||
	    get_str(o, "kind", &n->kind, 1, err, errlen) < 0 ||
	    get_str(o, "channel", &n->channel, 1, err, errlen) < 0)
		goto fail;
	if (n->kind[0] == '\0') {
		util_errf(err, errlen, "field \"%s\": expected a notification type", "kind");
		goto fail;
	}
	for (i = 0; i < sizeof(channels) / sizeof(channels[0]); i++)
		if (strcmp(n->channel, channels[i]) == 0)
			break;
	if (i == sizeof(channels) / sizeof(channels[0])) {
		util_errf(err, errlen, "field \"%s\": expected email, slack, webhook or command",
		    "channel");
		goto fail;
	}
	/* A digest stands for many checks: it names no host of its own. */
	is_digest = strcmp(n->kind, "DIGEST") == 0;
	if (get_int(o, "number", &number, 0, err, errlen) < 0 ||
	    get_contact(o, n, err, errlen) < 0 ||
	    get_str(o, "host", &n->host, !is_digest, err, errlen) < 0 ||
	    get_str(o, "host_address", &n->host_address, 0, err, errlen) < 0 ||
	    get_str(o, "host_alias", &n->host_alias, 0, err, errlen) < 0 ||
	    get_str(o, "service", &n->service, 0, err, errlen) < 0 ||
	    get_str(o, "state", &n->state, !is_digest, err, errlen) < 0 ||
	    get_str(o, "old_state", &n->old_state, 0, err, errlen) < 0 ||
	    get_str(o, "state_type", &n->state_type, 0, err, errlen) < 0 ||
	    get_int(o, "attempt", &attempt, 0, err, errlen) < 0 ||
	    get_int(o, "max_attempts", &max_attempts, 0, err, errlen) < 0 ||
	    get_str(o, "output", &n->output, 0, err, errlen) < 0 ||
	    get_str(o, "long_output", &n->long_output, 0, err, errlen) < 0 ||
	    get_str(o, "perfdata", &n->perfdata, 0, err, errlen) < 0 ||
	    get_num(o, "time", &n->time, 1, err, errlen) < 0 ||
	    get_num(o, "last_state_change", &n->last_state_change, 0, err, errlen) < 0 ||
	    get_str(o, "author", &n->author, 0, err, errlen) < 0 ||
	    get_str(o, "comment", &n->comment, 0, err, errlen) < 0 ||
	    get_items(o, n, err, errlen) < 0)
		goto fail;
	if (number < 0 || number > INT32_MAX || attempt < 0 || attempt > INT32_MAX ||
	    max_attempts < 0 || max_attempts > INT32_MAX) {
		util_errf(err, errlen, "field \"%s\": expected 0..2147483647",
		    number < 0 || number > INT32_MAX ? "number" :
		    attempt < 0 || attempt > INT32_MAX ? "attempt" : "max_attempts");
		goto fail;
	}
	n->number = (int)number;
	n->attempt = (int)attempt;
	n->max_attempts = (int)max_attempts;
	if (field(o, "escalated", 0, is_boolean,
	    "true or false", &bad, err, errlen) == NULL && bad)
		goto fail;
	n->escalated = json_is_true(json_object_get(o, "escalated"));
	if (n->host != NULL && n->host_address == NULL)
		n->host_address = xstrdup(n->host);
	if (n->host != NULL && n->host_alias == NULL)
		n->host_alias = xstrdup(n->host);
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	msg_notification_clear(n);
	return -1;
}

void
msg_notification_clear(struct notification_msg *n)
{
	size_t i;

	free(n->kind);
	free(n->channel);
	free(n->contact);
	free(n->contact_alias);
	free(n->email);
	free(n->slack);
	free(n->webhook);
	if (n->command != NULL)
		for (i = 0; i < n->ncommand; i++)
			free(n->command[i]);
	free(n->command);
	for (i = 0; i < n->nvars; i++) {
		free(n->vars[i].name);
		free(n->vars[i].value);
	}
	free(n->vars);
	free(n->host);
	free(n->host_address);
	free(n->host_alias);
	free(n->service);
	free(n->state);
	free(n->old_state);
	free(n->state_type);
	free(n->output);
	free(n->long_output);
	free(n->perfdata);
	free(n->author);
	free(n->comment);
	for (i = 0; i < n->nitems; i++) {
		free(n->items[i].kind);
		free(n->items[i].host);
		free(n->items[i].service);
		free(n->items[i].state);
		free(n->items[i].output);
	}
	free(n->items);
	memset(n, 0, sizeof(*n));
}

/* ---- commands --------------------------------------------------------- */

static const char *const command_names[] = {
	[COMMAND_UNKNOWN] = "?", [COMMAND_RELOAD] = "reload", [COMMAND_ACK] = "ack",
	[COMMAND_UNACK] = "unack", [COMMAND_DOWNTIME] = "downtime",
	[COMMAND_CANCEL] = "cancel", [COMMAND_CUSTOM] = "custom",
};

const char *
msg_command_name(enum command_kind kind)
{
	return (size_t)kind < sizeof(command_names) / sizeof(command_names[0]) ?
	    command_names[kind] : "?";
}

char *
msg_command_encode(const struct command_msg *c, size_t *len)
{
	json_t *o = json_object();

	json_object_set_new(o, "v", json_integer(MSG_VERSION));
	if (c->id[0] != '\0')
		json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "command", json_string(c->name != NULL ? c->name :
	    msg_command_name(c->kind)));
	json_object_set_new(o, "time", json_real(c->time));
	if (c->kind == COMMAND_RELOAD)
		return dump(o, len);
	json_object_set_new(o, "host", str_or_null(c->host));
	json_object_set_new(o, "service", str_or_null(c->service));
	json_object_set_new(o, "author", str_or_null(c->author));
	switch (c->kind) {
	case COMMAND_ACK:
		json_object_set_new(o, "sticky", json_boolean(c->sticky));
		json_object_set_new(o, "notify", json_boolean(c->notify));
		/* FALLTHROUGH */
	case COMMAND_UNACK:
	case COMMAND_CUSTOM:
		json_object_set_new(o, "comment", json_string(c->comment != NULL ? c->comment : ""));
		break;
	case COMMAND_DOWNTIME:
		json_object_set_new(o, "comment", json_string(c->comment != NULL ? c->comment : ""));
		if (c->has_start)
			json_object_set_new(o, "start", json_real(c->start));
		json_object_set_new(o, "end", json_real(c->end));
		json_object_set_new(o, "fixed", json_boolean(c->fixed));
		json_object_set_new(o, "duration", json_integer(c->duration));
		json_object_set_new(o, "services", json_boolean(c->services));
		break;
	case COMMAND_CANCEL:
		json_object_set_new(o, "services", json_boolean(c->services));
		json_object_set_new(o, "downtime_id", str_or_null(c->downtime_id));
		break;
	default:
		break;
	}
	return dump(o, len);
}

static char *
opt_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? xstrdup(s) : NULL;
}

static int
opt_bool(json_t *o, const char *key, int dflt)
{
	json_t *v = json_object_get(o, key);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

int
msg_command_decode(const void *body, size_t len, struct command_msg *c, char *err,
    size_t errlen)
{
	json_t *o = load(body, len, err, errlen), *v;
	const char *name, *id;

	memset(c, 0, sizeof(*c));
	if (o == NULL)
		return -1;
	name = json_string_value(json_object_get(o, "command"));
	if (name == NULL) {
		util_errf(err, errlen, "field \"%s\": expected a string", "command");
		json_decref(o);
		return -1;
	}
	c->name = xstrdup(name);
	for (size_t k = 1; k < sizeof(command_names) / sizeof(command_names[0]); k++)
		if (strcmp(name, command_names[k]) == 0)
			c->kind = (enum command_kind)k;
	id = json_string_value(json_object_get(o, "id"));
	if (id != NULL && strlen(id) <= UTIL_ID_LEN)
		snprintf(c->id, sizeof(c->id), "%s", id);
	c->host = opt_str(o, "host");
	c->service = opt_str(o, "service");
	c->author = opt_str(o, "author");
	c->comment = opt_str(o, "comment");
	c->downtime_id = opt_str(o, "downtime_id");
	c->sticky = opt_bool(o, "sticky", 0);
	c->notify = opt_bool(o, "notify", 1);
	c->services = opt_bool(o, "services", 0);
	c->fixed = opt_bool(o, "fixed", 1);
	v = json_object_get(o, "start");
	if (json_is_number(v)) {
		c->has_start = 1;
		c->start = json_number_value(v);
	}
	v = json_object_get(o, "end");
	c->end = json_is_number(v) ? json_number_value(v) : 0;
	v = json_object_get(o, "duration");
	c->duration = json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
	    json_integer_value(v) <= INT32_MAX ? (int)json_integer_value(v) : 0;
	v = json_object_get(o, "time");
	c->time = json_is_number(v) ? json_number_value(v) : 0;
	json_decref(o);
	return 0;
}

void
msg_command_clear(struct command_msg *c)
{
	free(c->name);
	free(c->host);
	free(c->service);
	free(c->author);
	free(c->comment);
	free(c->downtime_id);
	memset(c, 0, sizeof(*c));
}
