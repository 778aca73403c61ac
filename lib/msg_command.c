/*
 * NAME
 *	msg_command - the command message (see msg.h): what vigilctl and the
 *	HTTP API send to the engine
 * DIAGNOSTICS
 *	Only what is not a command at all is refused; the engine refuses what
 *	it cannot apply, with a reason in the command log.
 */
#include "msg_private.h"

/* ---- commands --------------------------------------------------------- */

static const char *const command_names[] = {
	[COMMAND_UNKNOWN] = "?", [COMMAND_RELOAD] = "reload", [COMMAND_ACK] = "ack",
	[COMMAND_UNACK] = "unack", [COMMAND_DOWNTIME] = "downtime",
	[COMMAND_CANCEL] = "cancel", [COMMAND_CUSTOM] = "custom",
	[COMMAND_RECHECK] = "recheck", [COMMAND_DISABLE] = "disable", [COMMAND_ENABLE] = "enable",
};

static const char *const switch_names[] = {
	"active_checks", "passive_checks", "notifications", "flap_detection", "event_handlers",
};

unsigned
msg_switch_parse(const char *name)
{
	char buf[32];
	size_t n;

	if (name == NULL || (n = strlen(name)) >= sizeof(buf))
		return 0;
	for (size_t i = 0; i <= n; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	for (size_t i = 0; i < sizeof(switch_names) / sizeof(switch_names[0]); i++)
		if (strcmp(buf, switch_names[i]) == 0)
			return 1u << i;
	return 0;
}

const char *
msg_switch_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof(switch_names) / sizeof(switch_names[0]); i++)
		if (bit == 1u << i)
			return switch_names[i];
	return NULL;
}

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
	if (c->source != NULL)
		json_object_set_new(o, "source", json_string(c->source));
	if (c->kind == COMMAND_RELOAD) {
		if (c->author != NULL)
			json_object_set_new(o, "author", json_string(c->author));
		return msg_dump(o, len);
	}
	json_object_set_new(o, "host", msg_str_or_null(c->host));
	json_object_set_new(o, "service", msg_str_or_null(c->service));
	json_object_set_new(o, "author", msg_str_or_null(c->author));
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
		if (c->children > 0)
			json_object_set_new(o, "children", json_string(c->children == 2 ?
			    "triggered" : "plain"));
		break;
	case COMMAND_CANCEL:
		json_object_set_new(o, "services", json_boolean(c->services));
		json_object_set_new(o, "downtime_id", msg_str_or_null(c->downtime_id));
		break;
	case COMMAND_DISABLE:
	case COMMAND_ENABLE:
		json_object_set_new(o, "what", msg_str_or_null(c->what));
		json_object_set_new(o, "services", json_boolean(c->services));
		json_object_set_new(o, "global", json_boolean(c->global));
		json_object_set_new(o, "comment", json_string(c->comment != NULL ? c->comment : ""));
		break;
	default:
		break;
	}
	return msg_dump(o, len);
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
	json_t *o = msg_load(body, len, err, errlen), *v;
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
	c->source = opt_str(o, "source");
	c->comment = opt_str(o, "comment");
	c->downtime_id = opt_str(o, "downtime_id");
	c->what = opt_str(o, "what");
	{
		const char *ch = json_string_value(json_object_get(o, "children"));

		c->children = ch == NULL ? 0 : strcmp(ch, "triggered") == 0 ? 2 :
		    strcmp(ch, "plain") == 0 ? 1 : -1;	/* -1: the engine refuses it */
	}
	c->global = opt_bool(o, "global", 0);
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
	{
		/* what a command may carry, at most: never stored whole */
		static const struct { const char *field; size_t max; } lim[] = {
			{ "host", MSG_NAME_MAX }, { "service", MSG_NAME_MAX },
			{ "author", MSG_AUTHOR_MAX }, { "source", MSG_AUTHOR_MAX },
			{ "comment", MSG_COMMENT_MAX }, { "downtime_id", MSG_NAME_MAX },
			{ "what", MSG_NAME_MAX },
		};
		const char *val[] = { c->host, c->service, c->author, c->source, c->comment,
			c->downtime_id, c->what };

		for (size_t k = 0; k < sizeof(lim) / sizeof(lim[0]); k++)
			if (val[k] != NULL && strlen(val[k]) > lim[k].max) {
				util_errf(err, errlen, "field \"%s\": at most %zu bytes", lim[k].field,
				    lim[k].max);
				msg_command_clear(c);
				return -1;
			}
	}
	return 0;
}

void
msg_command_clear(struct command_msg *c)
{
	free(c->name);
	free(c->host);
	free(c->service);
	free(c->author);
	free(c->source);
	free(c->comment);
	free(c->downtime_id);
	free(c->what);
	memset(c, 0, sizeof(*c));
}
