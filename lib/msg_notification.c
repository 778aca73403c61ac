/*
 * NAME
 *	msg_notification - the notification delivery message (see msg.h)
 * DIAGNOSTICS
 *	The decoder names the offending field ("contact.command": expected an
 *	array of strings).
 */
#include "msg_private.h"

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
	json_object_set_new(c, "email", msg_str_or_null(n->email));
	json_object_set_new(c, "slack", msg_str_or_null(n->slack));
	json_object_set_new(c, "webhook", msg_str_or_null(n->webhook));
	json_object_set_new(c, "command", n->command != NULL ?
	    msg_strv_json(n->command, n->ncommand) : json_null());
	for (size_t i = 0; i < n->nvars; i++)
		json_object_set_new(vars, n->vars[i].name, json_string(n->vars[i].value));
	json_object_set_new(c, "vars", vars);
	json_object_set_new(o, "contact", c);
	json_object_set_new(o, "host", msg_str_or_null(n->host));
	json_object_set_new(o, "host_address", msg_str_or_null(n->host_address));
	json_object_set_new(o, "host_alias", msg_str_or_null(n->host_alias));
	json_object_set_new(o, "service", msg_str_or_null(n->service));
	json_object_set_new(o, "state", msg_str_or_null(n->state));
	json_object_set_new(o, "old_state", msg_str_or_null(n->old_state));
	json_object_set_new(o, "state_type", msg_str_or_null(n->state_type));
	json_object_set_new(o, "attempt", json_integer(n->attempt));
	json_object_set_new(o, "max_attempts", json_integer(n->max_attempts));
	json_object_set_new(o, "output", json_string(n->output != NULL ? n->output : ""));
	json_object_set_new(o, "long_output", json_string(n->long_output != NULL ?
	    n->long_output : ""));
	json_object_set_new(o, "perfdata", json_string(n->perfdata != NULL ? n->perfdata : ""));
	json_object_set_new(o, "time", json_real(n->time));
	json_object_set_new(o, "last_state_change", json_real(n->last_state_change));
	json_object_set_new(o, "author", msg_str_or_null(n->author));
	json_object_set_new(o, "comment", msg_str_or_null(n->comment));
	if (n->nitems > 0) {
		items = json_array();
		for (size_t i = 0; i < n->nitems; i++) {
			const struct notification_item *it = &n->items[i];
			json_t *x = json_object();

			json_object_set_new(x, "host", json_string(it->host));
			json_object_set_new(x, "service", msg_str_or_null(it->service));
			json_object_set_new(x, "kind", json_string(it->kind));
			json_object_set_new(x, "state", msg_str_or_null(it->state));
			json_object_set_new(x, "output", json_string(it->output != NULL ?
			    it->output : ""));
			json_object_set_new(x, "time", json_real(it->time));
			json_array_append_new(items, x);
		}
		json_object_set_new(o, "items", items);
	}
	return msg_dump(o, len);
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
	if (msg_get_str(c, "name", &n->contact, 1, err, errlen) < 0 ||
	    msg_get_str(c, "alias", &n->contact_alias, 0, err, errlen) < 0 ||
	    msg_get_str(c, "email", &n->email, 0, err, errlen) < 0 ||
	    msg_get_str(c, "slack", &n->slack, 0, err, errlen) < 0 ||
	    msg_get_str(c, "webhook", &n->webhook, 0, err, errlen) < 0 ||
	    get_strv(c, "command", &n->command, &n->ncommand, err, errlen) < 0)
		goto fail;
	if (n->contact_alias == NULL)
		n->contact_alias = xstrdup(n->contact);
	vars = msg_field(c, "vars", 0, msg_is_object,
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
		if (msg_get_str(x, "host", &it->host, 1, err, errlen) < 0 ||
		    msg_get_str(x, "service", &it->service, 0, err, errlen) < 0 ||
		    msg_get_str(x, "kind", &it->kind, 1, err, errlen) < 0 ||
		    msg_get_str(x, "state", &it->state, 0, err, errlen) < 0 ||
		    msg_get_str(x, "output", &it->output, 0, err, errlen) < 0 ||
		    msg_get_num(x, "time", &it->time, 0, err, errlen) < 0) {
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
	json_t *o = msg_load(body, len, err, errlen);
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
	if (msg_get_id(o, "id", n->id, 1, err, errlen) < 0 ||
	    msg_get_id(o, "notification", n->notification, 1, err, errlen) < 0 ||
	    msg_get_str(o, "kind", &n->kind, 1, err, errlen) < 0 ||
	    msg_get_str(o, "channel", &n->channel, 1, err, errlen) < 0)
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
	if (msg_get_int(o, "number", &number, 0, err, errlen) < 0 ||
	    get_contact(o, n, err, errlen) < 0 ||
	    msg_get_str(o, "host", &n->host, !is_digest, err, errlen) < 0 ||
	    msg_get_str(o, "host_address", &n->host_address, 0, err, errlen) < 0 ||
	    msg_get_str(o, "host_alias", &n->host_alias, 0, err, errlen) < 0 ||
	    msg_get_str(o, "service", &n->service, 0, err, errlen) < 0 ||
	    msg_get_str(o, "state", &n->state, !is_digest, err, errlen) < 0 ||
	    msg_get_str(o, "old_state", &n->old_state, 0, err, errlen) < 0 ||
	    msg_get_str(o, "state_type", &n->state_type, 0, err, errlen) < 0 ||
	    msg_get_int(o, "attempt", &attempt, 0, err, errlen) < 0 ||
	    msg_get_int(o, "max_attempts", &max_attempts, 0, err, errlen) < 0 ||
	    msg_get_str(o, "output", &n->output, 0, err, errlen) < 0 ||
	    msg_get_str(o, "long_output", &n->long_output, 0, err, errlen) < 0 ||
	    msg_get_str(o, "perfdata", &n->perfdata, 0, err, errlen) < 0 ||
	    msg_get_num(o, "time", &n->time, 1, err, errlen) < 0 ||
	    msg_get_num(o, "last_state_change", &n->last_state_change, 0, err, errlen) < 0 ||
	    msg_get_str(o, "author", &n->author, 0, err, errlen) < 0 ||
	    msg_get_str(o, "comment", &n->comment, 0, err, errlen) < 0 ||
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
	if (msg_field(o, "escalated", 0, msg_is_boolean,
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
