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
#include "msg_private.h"

json_t *
msg_str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

json_t *
msg_strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

char *
msg_dump(json_t *o, size_t *len)
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
	json_t *o = json_object(), *argv = msg_strv_json(job->argv, job->argc);

	json_object_set_new(o, "v", json_integer(MSG_VERSION));
	json_object_set_new(o, "job", json_string(job->id));
	json_object_set_new(o, "check", json_integer(job->check_id));
	json_object_set_new(o, "host", json_string(job->host));
	json_object_set_new(o, "service", msg_str_or_null(job->service));
	json_object_set_new(o, "pool", json_string(job->pool));
	json_object_set_new(o, "argv", argv);
	json_object_set_new(o, "timeout", json_integer(job->timeout));
	json_object_set_new(o, "timeout_state", json_integer(job->timeout_state));
	json_object_set_new(o, "scheduled", json_real(job->scheduled));
	json_object_set_new(o, "deadline", json_real(job->deadline));
	if (job->users != NULL)
		json_object_set_new(o, "users", json_string(job->users));
	if (job->kind == MSG_JOB_EVENT_HANDLER)
		json_object_set_new(o, "kind", json_string("event_handler"));
	return msg_dump(o, len);
}

/* "kind": absent is a check; "event_handler"; anything else refused. */
static int
msg_get_kind(json_t *o, int *kind, char *err, size_t errlen)
{
	char *s = NULL;

	*kind = MSG_JOB_CHECK;
	if (msg_get_str(o, "kind", &s, 0, err, errlen) < 0)
		return -1;
	if (s == NULL)
		return 0;
	if (strcmp(s, "check") == 0)
		*kind = MSG_JOB_CHECK;
	else if (strcmp(s, "event_handler") == 0)
		*kind = MSG_JOB_EVENT_HANDLER;
	else {
		util_errf(err, errlen, "field \"%s\": expected \"check\" or \"event_handler\"",
		    "kind");
		free(s);
		return -1;
	}
	free(s);
	return 0;
}

/* Parse body into an object and check its version. */
json_t *
msg_load(const void *body, size_t len, char *err, size_t errlen)
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
json_t *
msg_field(json_t *o, const char *key, int required, int (*is_ok)(const json_t *),
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

static int msg_is_string(const json_t *v) { return json_is_string(v); }
static int msg_is_number(const json_t *v) { return json_is_number(v); }
static int msg_is_integer(const json_t *v) { return json_is_integer(v); }
int msg_is_object(const json_t *v) { return json_is_object(v); }
int msg_is_boolean(const json_t *v) { return json_is_boolean(v); }

static int
is_id(const json_t *v)
{
	size_t n = json_is_string(v) ? strlen(json_string_value(v)) : 0;

	return n > 0 && n <= UTIL_ID_LEN;
}

/* Optional string field: *out = copy or NULL. -1 if present but not a string. */
int
msg_get_str(json_t *o, const char *key, char **out, int required, char *err, size_t errlen)
{
	int bad;
	json_t *v = msg_field(o, key, required, msg_is_string, "a string", &bad, err, errlen);

	*out = v != NULL ? xstrdup(json_string_value(v)) : NULL;
	return bad ? -1 : 0;
}

int
msg_get_num(json_t *o, const char *key, double *out, int required, char *err, size_t errlen)
{
	int bad;
	json_t *v = msg_field(o, key, required, msg_is_number, "a number", &bad, err, errlen);

	if (v != NULL)
		*out = json_number_value(v);
	return bad ? -1 : 0;
}

int
msg_get_int(json_t *o, const char *key, int64_t *out, int required, char *err, size_t errlen)
{
	int bad;
	json_t *v = msg_field(o, key, required, msg_is_integer, "an integer", &bad, err, errlen);

	if (v != NULL)
		*out = json_integer_value(v);
	return bad ? -1 : 0;
}

int
msg_get_id(json_t *o, const char *key, char out[UTIL_ID_LEN + 1], int required,
    char *err, size_t errlen)
{
	int bad;
	json_t *v = msg_field(o, key, required, is_id, "an id of at most 32 characters",
	    &bad, err, errlen);

	out[0] = '\0';
	if (v != NULL)
		strcpy(out, json_string_value(v));
	return bad ? -1 : 0;
}

int
msg_job_decode(const void *body, size_t len, struct job *job, char *err, size_t errlen)
{
	json_t *o = msg_load(body, len, err, errlen), *argv;
	int64_t n = 0;
	size_t i;

	memset(job, 0, sizeof(*job));
	if (o == NULL)
		return -1;
	if (msg_get_id(o, "job", job->id, 1, err, errlen) < 0 ||
	    msg_get_int(o, "check", &job->check_id, 1, err, errlen) < 0 ||
	    msg_get_str(o, "host", &job->host, 1, err, errlen) < 0 ||
	    msg_get_str(o, "service", &job->service, 0, err, errlen) < 0 ||
	    msg_get_str(o, "pool", &job->pool, 1, err, errlen) < 0 ||
	    msg_get_num(o, "scheduled", &job->scheduled, 1, err, errlen) < 0 ||
	    msg_get_num(o, "deadline", &job->deadline, 1, err, errlen) < 0)
		goto fail;
	if (msg_get_int(o, "timeout", &n, 1, err, errlen) < 0)
		goto fail;
	if (n < 1 || n > 86400) {
		util_errf(err, errlen, "field \"%s\": expected 1..86400 seconds", "timeout");
		goto fail;
	}
	job->timeout = (int)n;
	n = 2;
	if (msg_get_int(o, "timeout_state", &n, 0, err, errlen) < 0)
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
	if (msg_get_str(o, "users", &job->users, 0, err, errlen) < 0 ||
	    msg_get_kind(o, &job->kind, err, errlen) < 0)
		goto fail;
	/* "$USER1$/check_x": the worker checks the path once it filled in */
	if (job->argv[0][0] != '/' && !(job->users != NULL && strncmp(job->argv[0], "$USER", 5) == 0)) {
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
	free(job->users);
	if (job->argv != NULL)
		for (size_t i = 0; i < job->argc; i++)
			free(job->argv[i]);
	free(job->argv);
	memset(job, 0, sizeof(*job));
}

int
msg_result_id_valid(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7e)
			return 0;
	return n > 0 && n <= MSG_RESULT_ID_MAX;
}

char *
msg_result_encode(const struct result_msg *r, size_t *len)
{
	json_t *o = json_object();

	json_object_set_new(o, "v", json_integer(MSG_VERSION));
	if (r->job[0] != '\0')
		json_object_set_new(o, "job", json_string(r->job));
	if (r->id[0] != '\0')
		json_object_set_new(o, "id", json_string(r->id));
	if (r->check_id > 0)
		json_object_set_new(o, "check", json_integer(r->check_id));
	json_object_set_new(o, "host", json_string(r->host));
	json_object_set_new(o, "service", msg_str_or_null(r->service));
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
	if (r->kind == MSG_JOB_EVENT_HANDLER)
		json_object_set_new(o, "kind", json_string("event_handler"));
	return msg_dump(o, len);
}

int
msg_result_decode(const void *body, size_t len, struct result_msg *r, char *err, size_t errlen)
{
	json_t *o = msg_load(body, len, err, errlen);
	int64_t n = 0;
	double t = 0;
	char *id = NULL;

	memset(r, 0, sizeof(*r));
	r->exit_code = -1;
	if (o == NULL)
		return -1;
	if (msg_get_str(o, "id", &id, 0, err, errlen) < 0)
		goto fail;
	if (id != NULL && !msg_result_id_valid(id)) {
		util_errf(err, errlen, "field \"id\": expected 1 to %d printable ASCII characters",
		    MSG_RESULT_ID_MAX);
		free(id);
		goto fail;
	}
	if (id != NULL) {
		memcpy(r->id, id, strlen(id) + 1);
		free(id);
	}
	if (msg_get_id(o, "job", r->job, 0, err, errlen) < 0 ||
	    msg_get_int(o, "check", &r->check_id, 0, err, errlen) < 0 ||
	    msg_get_str(o, "host", &r->host, 1, err, errlen) < 0 ||
	    msg_get_str(o, "service", &r->service, 0, err, errlen) < 0 ||
	    msg_get_str(o, "output", &r->output, 1, err, errlen) < 0 ||
	    msg_get_str(o, "pool", &r->pool, 0, err, errlen) < 0 ||
	    msg_get_str(o, "worker", &r->worker, 0, err, errlen) < 0 ||
	    msg_get_num(o, "scheduled", &r->scheduled, 0, err, errlen) < 0 ||
	    msg_get_num(o, "start", &r->start, 0, err, errlen) < 0 ||
	    msg_get_num(o, "end", &r->end, 0, err, errlen) < 0 ||
	    msg_get_num(o, "time", &t, 0, err, errlen) < 0)
		goto fail;
	if (msg_get_int(o, "status", &n, 1, err, errlen) < 0)
		goto fail;
	if (n < 0 || n > 3) {
		util_errf(err, errlen, "field \"%s\": expected 0..3", "status");
		goto fail;
	}
	r->status = (int)n;
	n = -1;
	if (msg_get_int(o, "exit_code", &n, 0, err, errlen) < 0)
		goto fail;
	r->exit_code = (int)n;
	n = 0;
	if (msg_get_int(o, "signal", &n, 0, err, errlen) < 0)
		goto fail;
	r->signo = (int)n;
	r->timed_out = json_is_true(json_object_get(o, "timed_out"));
	if (msg_get_kind(o, &r->kind, err, errlen) < 0)
		goto fail;
	/* a handler's outcome answers a job: never a passive result */
	if (r->kind != MSG_JOB_CHECK && r->job[0] == '\0') {
		util_errf(err, errlen, "field \"%s\": an event handler's result needs its job",
		    "kind");
		goto fail;
	}
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
	return msg_dump(o, len);
}

/* A required string of 1..MSG_WORKER_STR_MAX bytes: names end up as keys
 * and in the database, so an empty or huge one is refused. */
static int
msg_get_name(json_t *o, const char *key, char **out, char *err, size_t errlen)
{
	size_t n;

	if (msg_get_str(o, key, out, 1, err, errlen) < 0)
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
msg_get_count(json_t *o, const char *key, int64_t min, int64_t max, int64_t *out,
    char *err, size_t errlen)
{
	if (msg_get_int(o, key, out, 1, err, errlen) < 0)
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
	json_t *o = msg_load(body, len, err, errlen), *v;
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
	if (msg_get_name(o, "pool", &w->pool, err, errlen) < 0 ||
	    msg_get_name(o, "host", &w->host, err, errlen) < 0 ||
	    msg_get_name(o, "id", &w->id, err, errlen) < 0 ||
	    msg_get_name(o, "version", &w->version, err, errlen) < 0 ||
	    msg_get_count(o, "pid", 1, INT32_MAX, &w->pid, err, errlen) < 0 ||
	    msg_get_count(o, "concurrency", 0, 65535, &concurrency, err, errlen) < 0 ||
	    msg_get_count(o, "running", 0, INT32_MAX, &running, err, errlen) < 0 ||
	    msg_get_count(o, "awaiting", 0, INT32_MAX, &awaiting, err, errlen) < 0 ||
	    msg_get_num(o, "started", &w->started, 1, err, errlen) < 0 ||
	    msg_get_num(o, "time", &w->time, 1, err, errlen) < 0)
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
