/*
 * NAME
 *	api_command - what vigil-web sends to the engine: POST
 *	/api/v1/checks/HOST[/SERVICE]/ack|unack|downtime|notify|recheck|result,
 *	POST /api/v1/reload, DELETE /api/v1/downtimes/ID
 * DESCRIPTION
 *	The body read into a command message (msg.h), sent through RabbitMQ
 *	as vigilctl sends it (on the thread's kept broker connection), and
 *	the engine's verdict waited for in the command log; on the commands'
 *	own pool (api.c). A passive result has no verdict: it is answered
 *	202 once the broker has it.
 */
#include "web_private.h"

#include "jsonw.h"
#include "log.h"
#include "query.h"
#include "result.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "msg.h"
#include "mqcli.h"
#include "topology.h"
#include "util.h"

#include <jansson.h>
#include <time.h>
#include <unistd.h>

#define API_VERDICT_WAIT_S 15.0	/* for the engine's verdict */

/* ---- commands ----------------------------------------------------------- */

/* A duration field: "2h", "90s", or a number of seconds. */
static int
duration_of(json_t *v, int *secs)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		if (n <= 0 || n > 10 * 365 * 86400)
			return -1;
		*secs = (int)n;
		return 0;
	}
	return json_is_string(v) && config_parse_duration(json_string_value(v), secs) == 0 &&
	    *secs > 0 ? 0 : -1;
}

/* The body's fields into c; 0, or -1 with a 400 naming the field. */
static int
command_fields(struct web_req *r, struct command_msg *c, json_t *body)
{
	const char *key;
	json_t *v;
	int secs = 0, window = 0, have_secs = 0;
	int is_switch = strcmp(r->action, "disable") == 0 || strcmp(r->action, "enable") == 0;
	int wants_comment = strcmp(r->action, "unack") != 0 && strcmp(r->action, "recheck") != 0;
	char d[160];

	c->notify = 1;
	c->fixed = 1;
	json_object_foreach(body, key, v) {
		int ok = 1;

		if (strcmp(key, "comment") == 0 && wants_comment)
			ok = json_is_string(v) && (c->comment = (char *)json_string_value(v)) != NULL;
		else if (strcmp(key, "sticky") == 0 && strcmp(r->action, "ack") == 0)
			ok = json_is_boolean(v) && ((c->sticky = json_is_true(v)), 1);
		else if (strcmp(key, "notify") == 0 && strcmp(r->action, "ack") == 0)
			ok = json_is_boolean(v) && ((c->notify = json_is_true(v)), 1);
		else if (strcmp(key, "duration") == 0 && strcmp(r->action, "downtime") == 0)
			ok = duration_of(v, &secs) == 0 && (have_secs = 1);
		else if (strcmp(key, "flexible") == 0 && strcmp(r->action, "downtime") == 0)
			ok = duration_of(v, &window) == 0;
		else if (strcmp(key, "start") == 0 && strcmp(r->action, "downtime") == 0)
			ok = json_is_string(v) && api_rfc3339(json_string_value(v), &c->start) == 0 &&
			    (c->has_start = 1);
		else if (strcmp(key, "services") == 0 && (strcmp(r->action, "downtime") == 0 ||
		    is_switch) && r->args[1] == NULL && r->args[0] != NULL)
			ok = json_is_boolean(v) && ((c->services = json_is_true(v)), 1);
		else if (strcmp(key, "children") == 0 && strcmp(r->action, "downtime") == 0 &&
		    r->args[1] == NULL)
			ok = json_is_string(v) && ((c->children = strcmp(json_string_value(v),
			    "triggered") == 0 ? 2 : strcmp(json_string_value(v), "plain") == 0 ? 1 : 0)
			    != 0);
		else if (strcmp(key, "switch") == 0 && is_switch && r->args[0] != NULL)
			ok = json_is_string(v) && msg_switch_parse(json_string_value(v)) != 0 &&
			    (c->what = (char *)json_string_value(v)) != NULL;
		else {
			snprintf(d, sizeof(d), "%.64s: not a field of %s", key, r->action);
			web_error(r, 400, "bad field", d);
			return -1;
		}
		if (!ok) {
			snprintf(d, sizeof(d), "%.64s: %s", key, strcmp(key, "children") == 0 ?
			    "expected plain or triggered" : strcmp(key, "switch") == 0 ?
			    "expected active_checks, passive_checks, notifications, flap_detection or "
			    "event_handlers" : strcmp(key, "start") == 0 ?
			    "expected an RFC 3339 time (2026-12-06T10:00:00Z)" :
			    strcmp(key, "duration") == 0 || strcmp(key, "flexible") == 0 ?
			    "expected a duration (90s, 2h) or seconds" : strcmp(key, "comment") == 0 ?
			    "expected a string" : "expected true or false");
			web_error(r, 400, "bad field", d);
			return -1;
		}
	}
	if (wants_comment && !is_switch && (c->comment == NULL || *c->comment == '\0')) {
		web_error(r, 400, "bad field", "comment: required");
		return -1;
	}
	if (is_switch && r->args[0] != NULL && c->what == NULL) {
		web_error(r, 400, "bad field", "switch: required");
		return -1;
	}
	if (strcmp(r->action, "downtime") == 0) {
		if (!have_secs) {
			web_error(r, 400, "bad field", "duration: required");
			return -1;
		}
		if (!c->has_start) {
			c->has_start = 1;
			c->start = util_now();
		}
		c->end = c->start + (window > 0 ? window : secs);
		c->fixed = window == 0;
		c->duration = secs;
	}
	return 0;
}

/* The engine's verdict in the command log, waited for at most
 * API_VERDICT_WAIT_S: 1 applied, 0 refused (msg), -1 answered already. */
static int
await_verdict(struct web_req *r, PGconn *pc, const char *id, char *msg, size_t msglen)
{
	double until = util_now() + API_VERDICT_WAIT_S;
	useconds_t nap = 2000;
	char err[512];
	int ok;

	for (;;) {
		switch (query_command_verdict(pc, id, &ok, msg, msglen, err, sizeof(err))) {
		case -1:
			web_error(r, 503, "unavailable", "the command was sent; its verdict cannot be "
			    "read from PostgreSQL");
			return -1;
		case 1:
			return ok;
		}
		if (util_now() >= until)
			break;
		usleep(nap);
		/* the first answers come within milliseconds; then poll gently */
		if (nap < 100000)
			nap *= 2;
	}
	web_error(r, 503, "unavailable", "no engine applied the command within 15 s (is "
	    "vigil-engine running and leading?); it stays queued");
	return -1;
}

/* c (its author the token's, its source the client's) to the engine, and
 * the verdict as the answer: 200 applied, 409 refused. */
static void
send_command(struct web_req *r, PGconn *pc, struct command_msg *c, const char *key)
{
	char err[512], msg[4096];
	char *text;
	int ok;

	c->name = (char *)msg_command_name(c->kind);
	c->author = (char *)r->who;	/* the token's name: no self-declared author */
	c->source = r->source[0] != '\0' ? r->source : NULL;
	c->time = util_now();
	util_random_id(c->id);
	text = msg_command_encode(c, NULL);
	if (api_publish("commands", key, text, err, sizeof(err)) < 0) {
		free(text);
		web_error(r, 503, "unavailable", "the broker did not take the command");
		log_warn("api %s %s: %s", r->action, r->path, err);
		return;
	}
	free(text);
	log_info("api command id=%s action=%s host=%s service=%s by=%s from=%s", c->id,
	    r->action, c->host != NULL ? c->host : "-", c->service != NULL ? c->service : "-",
	    r->who, r->source);
	if ((ok = await_verdict(r, pc, c->id, msg, sizeof(msg))) < 0)
		return;
	if (!ok) {
		char *nl = strchr(msg, '\n');

		/* a reload's errors, one a line: each in "errors" too */
		web_error(r, 409, "refused", msg);
		if (nl != NULL) {
			r->body.len--;	/* the closing brace */
			strbuf_adds(&r->body, ",\"errors\":[");
			for (char *line = nl + 1, *next; line != NULL; line = next) {
				if ((next = strchr(line, '\n')) != NULL)
					*next++ = '\0';
				jsonw_string(&r->body, line);
				if (next != NULL)
					strbuf_add(&r->body, ",", 1);
			}
			strbuf_adds(&r->body, "]}");
		}
		return;
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"ok\":true,\"id\":");
	jsonw_string(&r->body, c->id);
	strbuf_adds(&r->body, ",\"message\":");
	jsonw_string(&r->body, msg);
	strbuf_add(&r->body, "}", 1);
}

/* The body as a JSON object (an empty body: {}); NULL with a 400. */
static json_t *
body_object(struct web_req *r)
{
	json_error_t je;
	json_t *body;

	if (r->in.len == 0)
		return json_object();
	body = json_loadb(r->in.s, r->in.len, 0, &je);
	if (body == NULL || !json_is_object(body)) {
		web_error(r, 400, "bad body", "expected a JSON object");
		json_decref(body);
		return NULL;
	}
	return body;
}

/* POST …/ack|unack|downtime|notify|recheck|disable|enable, and POST
 * /switches/SWITCH/disable|enable (no check: the switch for every check,
 * admin) */
void
api_command(struct web_req *r, PGconn *pc)
{
	struct command_msg c;
	json_t *body;

	memset(&c, 0, sizeof(c));
	if ((body = body_object(r)) == NULL)
		return;
	if (r->args[0] == NULL) {
		if (command_fields(r, &c, body) == 0) {
			c.kind = strcmp(r->action, "disable") == 0 ? COMMAND_DISABLE : COMMAND_ENABLE;
			c.what = r->args[1];
			c.global = 1;
			send_command(r, pc, &c, TOPO_CMD_SWITCH);
		}
	} else if (command_fields(r, &c, body) == 0) {
		const char *key = TOPO_CMD_ACK;
		PGresult *chk;
		char id[32];

		/* an unknown check is a 404 here, not the engine's 409 */
		if (api_find_check(r, pc, &chk, id, sizeof(id)) < 0) {
			json_decref(body);
			return;
		}
		PQclear(chk);

		c.kind = COMMAND_ACK;
		if (strcmp(r->action, "unack") == 0)
			c.kind = COMMAND_UNACK;
		else if (strcmp(r->action, "downtime") == 0) {
			c.kind = COMMAND_DOWNTIME;
			key = TOPO_CMD_DOWNTIME;
		} else if (strcmp(r->action, "notify") == 0) {
			c.kind = COMMAND_CUSTOM;
			key = TOPO_CMD_NOTIFY;
		} else if (strcmp(r->action, "recheck") == 0) {
			c.kind = COMMAND_RECHECK;
			key = TOPO_CMD_RECHECK;
		} else if (strcmp(r->action, "disable") == 0 || strcmp(r->action, "enable") == 0) {
			c.kind = r->action[0] == 'd' ? COMMAND_DISABLE : COMMAND_ENABLE;
			key = TOPO_CMD_SWITCH;
		}
		c.host = r->args[0];
		c.service = r->args[1];
		send_command(r, pc, &c, key);
	}
	json_decref(body);	/* after: c.comment points into it */
}

/* POST /reload: 200 with what changed, or 409 with every error. */
void
api_reload(struct web_req *r, PGconn *pc)
{
	struct command_msg c;
	json_t *body;

	if ((body = body_object(r)) == NULL)
		return;
	if (json_object_size(body) > 0) {
		web_error(r, 400, "bad field", "reload takes no fields");
		json_decref(body);
		return;
	}
	json_decref(body);
	memset(&c, 0, sizeof(c));
	c.kind = COMMAND_RELOAD;
	send_command(r, pc, &c, TOPO_CMD_RELOAD);
}

/* DELETE /downtimes/ID: cancelled by the engine, 404 if not open. */
void
api_cancel(struct web_req *r, PGconn *pc)
{
	struct command_msg c;
	char err[512];
	PGresult *res = query_downtimes(pc, NULL, NULL, r->args[0], NULL, err, sizeof(err));

	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api cancel: %s", err);
		return;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		web_error(r, 404, "not found", "no open downtime with that id");
		return;
	}
	memset(&c, 0, sizeof(c));
	c.kind = COMMAND_CANCEL;
	c.host = (char *)api_val(res, 0, 1);
	c.service = (char *)api_val(res, 0, 2);
	c.downtime_id = r->args[0];
	send_command(r, pc, &c, TOPO_CMD_DOWNTIME);
	PQclear(res);
}

/*
 * POST …/result: a passive result, {"state": "CRITICAL" (or 0-3),
 * "output": "text | perfdata", "id": "…" (optional: a retry with the same
 * id is applied once; without, one is made and answered)}, as `vigilctl
 * submit` sends it. 404 for a
 * check that does not exist, 409 for one that takes no passive results;
 * 202 once the broker has it (the engine applies it with its next batch).
 */
void
api_result(struct web_req *r, PGconn *pc)
{
	const char *key, *output = NULL;
	int status = -1, is_host = r->args[1] == NULL;
	char id[32], err[512], rid[MSG_RESULT_ID_MAX + 1] = "";
	PGresult *chk;
	json_t *body, *v, *o;
	char *text;

	if ((body = body_object(r)) == NULL)
		return;
	json_object_foreach(body, key, v) {
		if (strcmp(key, "state") == 0 && json_is_string(v))
			status = result_state_parse(json_string_value(v), is_host);
		else if (strcmp(key, "state") == 0 && json_is_integer(v) &&
		    json_integer_value(v) >= 0 && json_integer_value(v) <= 3)
			status = (int)json_integer_value(v);
		else if (strcmp(key, "output") == 0 && json_is_string(v))
			output = json_string_value(v);
		else if (strcmp(key, "id") == 0 && json_is_string(v) &&
		    msg_result_id_valid(json_string_value(v)))
			snprintf(rid, sizeof(rid), "%s", json_string_value(v));
		else {
			char d[160];

			snprintf(d, sizeof(d), "%.64s: %s", key, strcmp(key, "state") == 0 ?
			    "expected OK, WARNING, CRITICAL, UNKNOWN (UP, DOWN for a host) or 0-3" :
			    strcmp(key, "output") == 0 ? "expected a string" :
			    strcmp(key, "id") == 0 ? "expected 1 to 128 printable ASCII characters" :
			    "not a field of result");
			web_error(r, 400, "bad field", d);
			json_decref(body);
			return;
		}
	}
	if (status < 0 || output == NULL || *output == '\0') {
		web_error(r, 400, "bad field", status < 0 ? "state: required" : "output: required");
		json_decref(body);
		return;
	}
	if (api_find_check(r, pc, &chk, id, sizeof(id)) < 0) {
		json_decref(body);
		return;
	}
	if (api_val(chk, 0, 25)[0] != 't') {
		PQclear(chk);
		json_decref(body);
		web_error(r, 409, "refused", "the check takes no passive results (passive: false)");
		return;
	}
	PQclear(chk);
	/* The client's id makes a retried POST idempotent; else one of ours. */
	if (rid[0] == '\0')
		util_random_id(rid);
	o = json_pack("{s:i, s:s, s:s, s:o, s:i, s:s, s:f}", "v", MSG_VERSION, "id", rid,
	    "host", r->args[0],
	    "service", r->args[1] != NULL ? json_string(r->args[1]) : json_null(),
	    "status", status, "output", output, "time", util_now());
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	json_decref(body);
	if (api_publish("results", TOPO_RK_PASSIVE, text, err, sizeof(err)) < 0) {
		free(text);
		web_error(r, 503, "unavailable", "the broker did not take the result");
		log_warn("api result %s: %s", r->path, err);
		return;
	}
	free(text);
	log_info("api result host=%s service=%s by=%s from=%s", r->args[0],
	    r->args[1] != NULL ? r->args[1] : "-", r->who, r->source);
	r->status = 202;
	strbuf_adds(&r->body, "{\"ok\":true,\"id\":");
	jsonw_string(&r->body, rid);
	strbuf_adds(&r->body, ",\"message\":\"queued: the engine applies it with its next "
	    "batch, once per id\"}");
}
