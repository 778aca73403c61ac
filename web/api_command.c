/*
 * NAME
 *	api_command - POST /api/v1/checks/HOST[/SERVICE]/ack|unack|downtime|notify
 * DESCRIPTION
 *	The body read into a command message (msg.h), sent through RabbitMQ
 *	as vigilctl sends it, and the engine's verdict waited for in the
 *	command log; on the commands' own pool (api.c).
 */
#include "web_private.h"

#include "jsonw.h"
#include "log.h"
#include "query.h"
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

#define API_VERDICT_WAIT 150	/* tenths of a second for the engine's verdict */

/* ---- commands ----------------------------------------------------------- */

/* "2026-12-06T10:00:00Z" or with a +HH:MM / -HH:MM offset: epoch seconds. */
static int
rfc3339(const char *s, double *t)
{
	struct tm tm;
	const char *rest;
	int sign, hh, mm;

	memset(&tm, 0, sizeof(tm));
	if ((rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*rest == '.')	/* fractions of a second: dropped */
		for (rest++; *rest >= '0' && *rest <= '9'; rest++)
			;
	*t = (double)timegm(&tm);
	if (strcmp(rest, "Z") == 0)
		return 0;
	if ((rest[0] != '+' && rest[0] != '-') || sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2 ||
	    strlen(rest) != 6)
		return -1;
	sign = rest[0] == '+' ? 1 : -1;
	*t -= sign * (hh * 3600 + mm * 60);
	return 0;
}

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
	char d[160];

	c->notify = 1;
	c->fixed = 1;
	json_object_foreach(body, key, v) {
		int ok = 1;

		if (strcmp(key, "comment") == 0 && strcmp(r->action, "unack") != 0)
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
			ok = json_is_string(v) && rfc3339(json_string_value(v), &c->start) == 0 &&
			    (c->has_start = 1);
		else if (strcmp(key, "services") == 0 && strcmp(r->action, "downtime") == 0 &&
		    r->args[1] == NULL)
			ok = json_is_boolean(v) && ((c->services = json_is_true(v)), 1);
		else {
			snprintf(d, sizeof(d), "%.64s: not a field of %s", key, r->action);
			web_error(r, 400, "bad field", d);
			return -1;
		}
		if (!ok) {
			snprintf(d, sizeof(d), "%.64s: %s", key, strcmp(key, "start") == 0 ?
			    "expected an RFC 3339 time (2026-12-06T10:00:00Z)" :
			    strcmp(key, "duration") == 0 || strcmp(key, "flexible") == 0 ?
			    "expected a duration (90s, 2h) or seconds" : strcmp(key, "comment") == 0 ?
			    "expected a string" : "expected true or false");
			web_error(r, 400, "bad field", d);
			return -1;
		}
	}
	if (strcmp(r->action, "unack") != 0 && (c->comment == NULL || *c->comment == '\0')) {
		web_error(r, 400, "bad field", "comment: required");
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

void
api_command(struct web_req *r, PGconn *pc)
{
	const struct config *cfg = r->w->d->cfg;
	char exchange[256], err[512], msg[1024];
	struct command_msg c;
	json_error_t je;
	json_t *body = NULL;
	char *text;
	int ok;

	memset(&c, 0, sizeof(c));
	if (r->in.len > 0) {
		body = json_loadb(r->in.s, r->in.len, 0, &je);
		if (body == NULL || !json_is_object(body)) {
			web_error(r, 400, "bad body", "expected a JSON object");
			json_decref(body);
			return;
		}
	} else
		body = json_object();
	if (command_fields(r, &c, body) < 0) {
		json_decref(body);
		return;
	}
	c.kind = strcmp(r->action, "ack") == 0 ? COMMAND_ACK : strcmp(r->action, "unack") == 0 ?
	    COMMAND_UNACK : strcmp(r->action, "downtime") == 0 ? COMMAND_DOWNTIME : COMMAND_CUSTOM;
	c.name = (char *)msg_command_name(c.kind);
	c.host = r->args[0];
	c.service = r->args[1];
	c.author = (char *)r->who;	/* the token's name: no self-declared author */
	c.time = util_now();
	util_random_id(c.id);
	text = msg_command_encode(&c, NULL);
	json_decref(body);
	topology_name(exchange, sizeof(exchange), cfg->prefix, "commands");
	if (mqcli_publish(cfg->amqp_url, exchange, c.kind == COMMAND_DOWNTIME ? TOPO_CMD_DOWNTIME :
	    c.kind == COMMAND_CUSTOM ? TOPO_CMD_NOTIFY : TOPO_CMD_ACK, text, strlen(text), 10,
	    err, sizeof(err)) < 0) {
		free(text);
		web_error(r, 503, "unavailable", "the broker did not take the command");
		log_warn("api %s %s: %s", r->action, r->path, err);
		return;
	}
	free(text);
	log_info("api command id=%s action=%s host=%s service=%s by=%s", c.id, r->action,
	    c.host, c.service != NULL ? c.service : "-", r->who);
	for (int i = 0; i < API_VERDICT_WAIT; i++) {
		switch (query_command_verdict(pc, c.id, &ok, msg, sizeof(msg), err, sizeof(err))) {
		case -1:
			web_error(r, 503, "unavailable", "the command was sent; its verdict cannot be "
			    "read from PostgreSQL");
			return;
		case 1:
			if (!ok) {
				web_error(r, 409, "refused", msg);
				return;
			}
			r->status = 200;
			strbuf_adds(&r->body, "{\"ok\":true,\"id\":");
			jsonw_string(&r->body, c.id);
			strbuf_adds(&r->body, ",\"message\":");
			jsonw_string(&r->body, msg);
			strbuf_add(&r->body, "}", 1);
			return;
		}
		usleep(100000);
	}
	web_error(r, 503, "unavailable", "no engine applied the command within 15 s (is "
	    "vigil-engine running and leading?); it stays queued");
}

