/*
 * NAME
 *	send - vigilctl's commands to the broker and the engine: submit,
 *	reload, ack, unack, notify, recheck, downtime
 * DESCRIPTION
 *	submit and reload publish and wait for the broker's confirm; the
 *	others publish a command (msg.h) with an id and wait, at most 15 s,
 *	for the engine's verdict in the command log (query_command_verdict).
 */
#include "ctl.h"
#include "auth.h"
#include "config.h"
#include "daemon.h"
#include "msg.h"
#include "mqcli.h"
#include "pg.h"
#include "result.h"
#include "topology.h"
#include "util.h"
#include "xalloc.h"
#include "query.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int engine_command(PGconn *pc, const char *amqp, const char *prefix, const char *key,
    struct command_msg *c);

/* Publish body to the installation's exchange `what`, waiting for the
 * broker's confirm. */
static int
publish(const char *amqp, const char *prefix, const char *what, const char *key,
    const char *body)
{
	char exchange[256], err[512];

	/* A passive result may go untagged (any submitter may send one);
	 * the engine parks a command without the key's tag. */
	if (ctl_auth == NULL && strcmp(what, "results") != 0 && !ctl_allow_unauthenticated) {
		fprintf(stderr, "vigilctl: a command needs the message key: give -c vigil.yaml "
		    "with auth_key_file (readable by you), or set VIGIL_AUTH_KEY_FILE; or use "
		    "--url and a token\n");
		return 1;
	}
	topology_name(exchange, sizeof(exchange), prefix, what);
	if (mqcli_publish(amqp, ctl_auth, exchange, key, body, strlen(body), 10, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "vigilctl: %s\n", err);
		return 1;
	}
	return 0;
}

int
ctl_submit(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv)
{
	char *host, *service, *slash, *body, id[UTIL_ID_LEN + 1];
	int status, rc;
	json_t *o;

	if (argc != 4) {
		ctl_usage(stderr);
		return 2;
	}
	host = xstrdup(argv[1]);
	slash = strchr(host, '/');
	service = NULL;
	if (slash != NULL) {
		*slash = '\0';
		service = slash + 1;
	}
	status = result_state_parse(argv[2], service == NULL);
	if (status < 0 || *host == '\0' || (service != NULL && *service == '\0')) {
		fprintf(stderr, "vigilctl: submit: expected HOST[/SERVICE] STATE OUTPUT, "
		    "STATE one of OK WARNING CRITICAL UNKNOWN (services), UP DOWN (hosts) or 0-3\n");
		free(host);
		return 2;
	}
	if (pc != NULL) {
		/* a check that does not exist: said, not "submitted" */
		char err[512];
		PGresult *r = query_check(pc, host, service, err, sizeof(err));

		if (r == NULL || PQntuples(r) != 1) {
			fprintf(stderr, "vigilctl: %s%s%s%s\n", r == NULL ? "cannot read the checks: " :
			    "no check ", r == NULL ? err : host, r != NULL && service != NULL ? "/" : "",
			    r != NULL && service != NULL ? service : "");
			if (r != NULL)
				PQclear(r);
			free(host);
			return 1;
		}
		PQclear(r);
	}
	/* its own id: a copy the broker or the engine sees twice is applied
	 * once */
	util_random_id(id);
	o = json_pack("{s:i, s:s, s:s, s:o, s:i, s:s, s:f}", "v", 1, "id", id, "host", host,
	    "service", service != NULL ? json_string(service) : json_null(),
	    "status", status, "output", argv[3], "time", util_now());
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	rc = publish(amqp, prefix, "results", TOPO_RK_PASSIVE, body);
	if (rc == 0)
		printf("submitted %s%s%s %s\n", host, service ? "/" : "", service ? service : "",
		    result_state_name(service != NULL ? status :
		    (status <= STATUS_WARNING ? HOST_UP : HOST_DOWN), service == NULL));
	free(body);
	free(host);
	return rc;
}

/* The engine's verdict when the database can be read (pc), else only
 * the broker's confirm. */
int
ctl_reload(PGconn *pc, const char *amqp, const char *prefix, int argc)
{
	struct command_msg c = { .kind = COMMAND_RELOAD };
	char *body;
	int rc;

	if (argc != 1) {
		ctl_usage(stderr);
		return 2;
	}
	if (pc != NULL)
		return engine_command(pc, amqp, prefix, TOPO_CMD_RELOAD, &c);
	c.time = util_now();
	body = msg_command_encode(&c, NULL);
	rc = publish(amqp, prefix, "commands", "reload", body);
	free(body);
	if (rc != 0)
		return 1;
	printf("reload requested: the engine logs the outcome (and every error if the new "
	    "config is invalid; it then keeps the old one)\n");
	return 0;
}

/* Split "host/service" (service NULL for a host); 0 or -1. */
static int
split_target(const char *arg, char **host, char **service)
{
	char *slash;

	*host = xstrdup(arg);
	*service = NULL;
	if ((slash = strchr(*host, '/')) != NULL) {
		*slash = '\0';
		*service = slash + 1;
	}
	if (**host == '\0' || (*service != NULL && **service == '\0')) {
		free(*host);
		return -1;
	}
	return 0;
}

static const char *
author_name(void)
{
	const char *u = getenv("VIGIL_AUTHOR");

	if (u == NULL || *u == '\0')
		u = getenv("USER");
	if (u == NULL || *u == '\0')
		u = getenv("LOGNAME");
	return u != NULL && *u != '\0' ? u : "vigilctl";
}

/* Publish a command to the engine and wait for its verdict in the
 * command log. */
static int
engine_command(PGconn *pc, const char *amqp, const char *prefix, const char *key,
    struct command_msg *c)
{
	const char *id = c->id;
	char *body;
	int rc;

	util_random_id(c->id);
	c->author = (char *)author_name();
	c->time = util_now();
	body = msg_command_encode(c, NULL);
	rc = publish(amqp, prefix, "commands", key, body);
	free(body);
	if (rc != 0)
		return 1;
	for (int i = 0; i < 150; i++) {
		char err[512], msg[1024];
		int ok;

		switch (query_command_verdict(pc, id, &ok, msg, sizeof(msg), err, sizeof(err))) {
		case -1:
			fprintf(stderr, "vigilctl: the command was sent, but its outcome cannot be"
			    " read: %s\n", err);
			return 1;
		case 1:
			fprintf(ok ? stdout : stderr, "%s%s\n", ok ? "" : "vigilctl: refused: ", msg);
			return ok ? 0 : 1;
		}
		usleep(100000);
	}
	fprintf(stderr, "vigilctl: command %s sent, but no engine applied it within 15 s (is"
	    " vigil-engine running and leading?); it stays queued\n", id);
	return 1;
}

int
ctl_ack(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "sticky", no_argument, NULL, 's' },
		{ "no-notify", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = NULL;
	int sticky = 0, notify = 1, ch, unack = strcmp(argv[0], "unack") == 0, rc;
	int custom = strcmp(argv[0], "notify") == 0, recheck = strcmp(argv[0], "recheck") == 0;
	char *host, *service;
	struct command_msg c;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1)
		switch (ch) {
		case 'm': text = optarg; break;
		case 's': sticky = 1; break;
		case 'n': notify = 0; break;
		default: ctl_usage(stderr); return 2;
		}
	if (optind + 1 != argc || (!unack && !recheck && (text == NULL || *text == '\0')) ||
	    split_target(argv[optind], &host, &service) < 0) {
		fprintf(stderr, "vigilctl: %s HOST[/SERVICE]%s\n", argv[0], unack || recheck ? "" :
		    custom ? " -m TEXT" : " -m TEXT [--sticky] [--no-notify]");
		return 2;
	}
	memset(&c, 0, sizeof(c));
	c.kind = recheck ? COMMAND_RECHECK : custom ? COMMAND_CUSTOM : unack ? COMMAND_UNACK :
	    COMMAND_ACK;
	c.host = host;
	c.service = service;
	c.comment = (char *)(text != NULL ? text : "");
	c.sticky = sticky;
	c.notify = notify;
	rc = engine_command(pc, amqp, prefix, recheck ? TOPO_CMD_RECHECK : custom ? TOPO_CMD_NOTIFY :
	    TOPO_CMD_ACK, &c);
	free(host);
	return rc;
}

/* disable|enable SWITCH HOST[/SERVICE] [--services] [-m TEXT], or
 * disable|enable SWITCH --global [-m TEXT]: a runtime switch. */
int
ctl_switch(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "services", no_argument, NULL, 'S' },
		{ "global", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = "";
	int services = 0, global = 0, ch, rc;
	char *host = NULL, *service = NULL;
	struct command_msg c;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1)
		switch (ch) {
		case 'm': text = optarg; break;
		case 'S': services = 1; break;
		case 'g': global = 1; break;
		default: ctl_usage(stderr); return 2;
		}
	if (optind >= argc || msg_switch_parse(argv[optind]) == 0 ||
	    (global ? optind + 1 != argc || services :
	    optind + 2 != argc || split_target(argv[optind + 1], &host, &service) < 0)) {
		fprintf(stderr, "vigilctl: %s SWITCH HOST[/SERVICE] [--services] [-m TEXT], or %s "
		    "SWITCH --global [-m TEXT]; SWITCH: active_checks, passive_checks, "
		    "notifications, flap_detection, event_handlers\n", argv[0], argv[0]);
		return 2;
	}
	memset(&c, 0, sizeof(c));
	c.kind = strcmp(argv[0], "disable") == 0 ? COMMAND_DISABLE : COMMAND_ENABLE;
	c.what = argv[optind];
	c.host = host;
	c.service = service;
	c.services = services;
	c.global = global;
	c.comment = (char *)text;
	rc = engine_command(pc, amqp, prefix, TOPO_CMD_SWITCH, &c);
	free(host);
	return rc;
}

/* "+5m" from now, or epoch seconds. */
static int
parse_when(const char *s, double *t)
{
	int secs;
	char *end;

	if (s[0] == '+') {
		if (config_parse_duration(s + 1, &secs) < 0)
			return -1;
		*t = util_now() + secs;
		return 0;
	}
	/* RFC 3339: 2026-12-07T05:00:00Z, with a fraction or an offset */
	{
		struct tm tm;
		const char *rest;
		int hh, mm, n = 0;
		long off = 0;

		memset(&tm, 0, sizeof(tm));
		if ((rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) != NULL) {
			if (*rest == '.')
				for (rest++; *rest >= '0' && *rest <= '9'; rest++)
					;
			if ((rest[0] == '+' || rest[0] == '-') &&
			    sscanf(rest + 1, "%2d:%2d%n", &hh, &mm, &n) == 2 && rest[1 + n] == '\0' &&
			    hh < 24 && mm < 60)
				off = (rest[0] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
			else if (strcmp(rest, "Z") != 0 && strcmp(rest, "z") != 0)
				return -1;
			*t = (double)(timegm(&tm) - off);
			return 0;
		}
	}
	*t = strtod(s, &end);
	return *end == '\0' && *t > 0 ? 0 : -1;
}

int
ctl_downtime(PGconn *pc, const char *amqp, const char *prefix, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "for", required_argument, NULL, 'f' },
		{ "start", required_argument, NULL, 's' },
		{ "flexible", required_argument, NULL, 'x' },
		{ "services", no_argument, NULL, 'S' },
		{ "cancel", no_argument, NULL, 'c' },
		{ "children", no_argument, NULL, 'C' },
		{ "children-triggered", no_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = NULL, *dur = NULL, *window = NULL, *start = NULL;
	int services = 0, cancel = 0, ch, secs = 0, win = 0, rc, children = 0;
	double t0 = util_now();
	char *host, *service;
	struct command_msg c = { .fixed = 1 };

	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:", opts, NULL)) != -1)
		switch (ch) {
		case 'm': text = optarg; break;
		case 'f': dur = optarg; break;
		case 's': start = optarg; break;
		case 'x': window = optarg; break;
		case 'S': services = 1; break;
		case 'c': cancel = 1; break;
		case 'C': children = 1; break;
		case 'T': children = 2; break;
		default: ctl_usage(stderr); return 2;
		}
	if (optind >= argc || split_target(argv[optind], &host, &service) < 0) {
		ctl_usage(stderr);
		return 2;
	}
	if (cancel) {
		const char *id = optind + 1 < argc ? argv[optind + 1] : NULL;

		c.kind = COMMAND_CANCEL;
		c.downtime_id = (char *)id;
	} else {
		if (optind + 1 != argc || dur == NULL || text == NULL || *text == '\0' ||
		    config_parse_duration(dur, &secs) < 0 || secs <= 0 ||
		    (start != NULL && parse_when(start, &t0) < 0) ||
		    (window != NULL && (config_parse_duration(window, &win) < 0 || win <= 0))) {
			fprintf(stderr, "vigilctl: downtime HOST[/SERVICE] --for DURATION -m TEXT"
			    " [--start EPOCH|+DURATION|RFC3339] [--flexible WINDOW] [--services]"
			    " [--children | --children-triggered]\n");
			free(host);
			return 2;
		}
		c.kind = COMMAND_DOWNTIME;
		c.comment = (char *)text;
		c.has_start = 1;
		c.start = t0;
		c.end = t0 + (window != NULL ? win : secs);
		c.fixed = window == NULL;
		c.duration = secs;
	}
	c.host = host;
	c.service = service;
	c.services = services;
	c.children = cancel ? 0 : children;
	rc = engine_command(pc, amqp, prefix, TOPO_CMD_DOWNTIME, &c);
	free(host);
	return rc;
}
