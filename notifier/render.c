/*
 * NAME
 *	render - a notification delivery as text
 * DESCRIPTION
 *	See render.h. Every text goes through render_macro(), so a template
 *	and the built-in messages show the same facts the same way.
 * DIAGNOSTICS
 *	-1 with err from macro_expand() ("unknown macro $X$") for commands
 *	and templates; nothing else fails (allocation aborts).
 */
#include "render_private.h"

int
render_is_digest(const struct notification_msg *n)
{
	return strcmp(n->kind, "DIGEST") == 0;
}

const char *
render_str(const char *s)
{
	return s != NULL ? s : "";
}

void
render_ctx_init(struct render_ctx *c, const struct notification_msg *n,
    const struct config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->n = n;
	c->cfg = cfg;
}

void
render_ctx_clear(struct render_ctx *c)
{
	free(c->tmp);
	c->tmp = NULL;
}

/* Keep s (fresh) as the context's current value. */
static const char *
render_keep(struct render_ctx *c, char *s)
{
	free(c->tmp);
	c->tmp = s;
	return s;
}

/* Time formats, as literals so that the compiler checks them. */
enum render_time { RT_LONG, RT_SHORT, RT_DATE, RT_TIME };

static const char *
render_fmt_time(struct render_ctx *c, double t, enum render_time which)
{
	time_t sec = util_time_t(t);	/* any double a message may hold */
	struct tm tm;
	size_t n = 0;

	localtime_r(&sec, &tm);
	switch (which) {
	case RT_LONG:	/* Nagios's: "Fri Nov 21 15:04:05 CET 2025" */
		n = strftime(c->buf, sizeof(c->buf), "%a %b %d %H:%M:%S %Z %Y", &tm);
		break;
	case RT_SHORT:
		n = strftime(c->buf, sizeof(c->buf), "%Y-%m-%d %H:%M:%S", &tm);
		break;
	case RT_DATE:
		n = strftime(c->buf, sizeof(c->buf), "%Y-%m-%d", &tm);
		break;
	case RT_TIME:
		n = strftime(c->buf, sizeof(c->buf), "%H:%M:%S", &tm);
		break;
	}
	c->buf[n] = '\0';
	return c->buf;
}

static const char *
render_fmt_int(struct render_ctx *c, long long v)
{
	snprintf(c->buf, sizeof(c->buf), "%lld", v);
	return c->buf;
}

/* Percent-encode one URL path segment. */
static void
url_segment(struct strbuf *b, const char *s)
{
	char hex[4];

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			strbuf_add(b, s, 1);
			continue;
		}
		snprintf(hex, sizeof(hex), "%%%02X", ch);
		strbuf_adds(b, hex);
	}
}

static char *
render_ack_url(const struct notification_msg *n, const struct config *cfg)
{
	struct strbuf b = { NULL, 0, 0 };
	const char *base = cfg->notifier.ack_url;
	size_t len;

	if (base == NULL)
		return xstrdup("");
	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	strbuf_add(&b, base, len);
	if (n->host == NULL)
		return b.s;
	strbuf_adds(&b, "/checks/");
	url_segment(&b, n->host);
	if (n->service != NULL) {
		strbuf_adds(&b, "/");
		url_segment(&b, n->service);
	}
	return b.s;
}

static char *
render_ack_command(const struct notification_msg *n)
{
	if (n->host == NULL)
		return xstrdup("");
	if (n->service == NULL)
		return xasprintf("vigilctl ack %s -m TEXT", n->host);
	return xasprintf("vigilctl ack %s/%s -m TEXT", n->host, n->service);
}

/* The first line of s, at most max bytes (cut at a character boundary). */
static void
render_first_line(struct strbuf *b, const char *s, size_t max)
{
	size_t n = strcspn(s, "\r\n");

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		strbuf_add(b, s, n);
		strbuf_adds(b, "...");
		return;
	}
	strbuf_add(b, s, n);
}

/* One line per digest item: "15:04:05 PROBLEM web-01/http CRITICAL: text". */
static char *
render_digest_items(const struct notification_msg *n)
{
	struct strbuf b = { NULL, 0, 0 };
	char when[32];

	strbuf_add(&b, "", 0);
	for (size_t i = 0; i < n->nitems; i++) {
		const struct notification_item *it = &n->items[i];
		time_t sec = util_time_t(it->time);
		struct tm tm;

		localtime_r(&sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		strbuf_adds(&b, when);
		strbuf_adds(&b, " ");
		strbuf_adds(&b, it->kind);
		strbuf_adds(&b, " ");
		strbuf_adds(&b, it->host);
		if (it->service != NULL) {
			strbuf_adds(&b, "/");
			strbuf_adds(&b, it->service);
		}
		if (it->state != NULL) {
			strbuf_adds(&b, " ");
			strbuf_adds(&b, it->state);
		}
		if (it->output != NULL && *it->output != '\0') {
			strbuf_adds(&b, ": ");
			render_first_line(&b, it->output, 200);
		}
		strbuf_adds(&b, "\n");
	}
	return b.s;
}

/* $_CONTACTvar$: the contact's var xxx, any case (Nagios upper-cases). */
static const char *
render_contact_var(const struct notification_msg *n, const char *name)
{
	for (size_t i = 0; i < n->nvars; i++)
		if (strcasecmp(n->vars[i].name, name) == 0)
			return n->vars[i].value;
	return "";
}

/* The check's facts, under the host's names for a host notification and
 * under the service's for a service notification (the other twin is
 * empty: the message does not carry it). */
enum twin_field { TW_STATE, TW_OUTPUT, TW_LONG, TW_PERF, TW_TYPE, TW_ATTEMPT, TW_LAST,
	TW_CHANGE };

static const struct {
	const char *host, *service;
	enum twin_field f;
} render_twins[] = {
	{ "HOSTSTATE", "SERVICESTATE", TW_STATE },
	{ "HOSTOUTPUT", "SERVICEOUTPUT", TW_OUTPUT },
	{ "LONGHOSTOUTPUT", "LONGSERVICEOUTPUT", TW_LONG },
	{ "HOSTPERFDATA", "SERVICEPERFDATA", TW_PERF },
	{ "HOSTSTATETYPE", "SERVICESTATETYPE", TW_TYPE },
	{ "HOSTATTEMPT", "SERVICEATTEMPT", TW_ATTEMPT },
	{ "LASTHOSTSTATE", "LASTSERVICESTATE", TW_LAST },
	{ "LASTHOSTSTATECHANGE", "LASTSERVICESTATECHANGE", TW_CHANGE },
};

static const char *
twin_value(struct render_ctx *c, enum twin_field f)
{
	const struct notification_msg *n = c->n;

	switch (f) {
	case TW_STATE:
		return render_str(n->state);
	case TW_OUTPUT:
		return render_str(n->output);
	case TW_LONG:
		return render_str(n->long_output);
	case TW_PERF:
		return render_str(n->perfdata);
	case TW_TYPE:
		return render_str(n->state_type);
	case TW_ATTEMPT:
		return render_fmt_int(c, n->attempt);
	case TW_LAST:
		return render_str(n->old_state);
	case TW_CHANGE:
		return n->last_state_change > 0 ?
		    render_fmt_int(c, (long long)util_time_t(n->last_state_change)) : "";
	}
	return "";
}

/* The value before escaping. */
static const char *
macro_value(struct render_ctx *c, const char *name)
{
	const struct notification_msg *n = c->n;
	int host = n->service == NULL && !render_is_digest(n);
	size_t i;

	if (strncmp(name, "_CONTACT", 8) == 0 && name[8] != '\0')
		return render_contact_var(n, name + 8);
	if (strncmp(name, "USER", 4) == 0)
		return c->command ? config_user_macro(c->cfg, name) : NULL;
	for (i = 0; i < sizeof(render_twins) / sizeof(render_twins[0]); i++) {
		if (strcmp(name, render_twins[i].host) == 0)
			return host ? twin_value(c, render_twins[i].f) : "";
		if (strcmp(name, render_twins[i].service) == 0)
			return n->service != NULL ? twin_value(c, render_twins[i].f) : "";
	}
	if (strcmp(name, "NOTIFICATIONTYPE") == 0)
		return n->kind;
	if (strcmp(name, "NOTIFICATIONNUMBER") == 0)
		return render_fmt_int(c, n->number);
	if (strcmp(name, "NOTIFICATIONID") == 0)
		return n->notification;
	if (strcmp(name, "NOTIFICATIONAUTHOR") == 0)
		return render_str(n->author);
	if (strcmp(name, "NOTIFICATIONCOMMENT") == 0)
		return render_str(n->comment);
	if (strcmp(name, "NOTIFICATIONESCALATED") == 0)
		return n->escalated ? "1" : "0";
	if (strcmp(name, "NOTIFICATIONCHANNEL") == 0)
		return n->channel;
	if (strcmp(name, "NOTIFICATIONITEMS") == 0)
		return render_keep(c, render_digest_items(n));
	if (strcmp(name, "HOSTNAME") == 0)
		return render_str(n->host);
	if (strcmp(name, "HOSTALIAS") == 0)
		return render_str(n->host_alias);
	if (strcmp(name, "HOSTADDRESS") == 0)
		return render_str(n->host_address);
	if (strcmp(name, "SERVICEDESC") == 0)
		return render_str(n->service);
	if (strcmp(name, "CONTACTNAME") == 0)
		return n->contact;
	if (strcmp(name, "CONTACTALIAS") == 0)
		return render_str(n->contact_alias);
	if (strcmp(name, "CONTACTEMAIL") == 0)
		return render_str(n->email);
	if (strcmp(name, "CONTACTSLACK") == 0)
		return render_str(n->slack);
	if (strcmp(name, "CONTACTWEBHOOK") == 0)
		return render_str(n->webhook);
	if (strcmp(name, "LONGDATETIME") == 0)
		return render_fmt_time(c, n->time, RT_LONG);
	if (strcmp(name, "SHORTDATETIME") == 0)
		return render_fmt_time(c, n->time, RT_SHORT);
	if (strcmp(name, "DATE") == 0)
		return render_fmt_time(c, n->time, RT_DATE);
	if (strcmp(name, "TIME") == 0)
		return render_fmt_time(c, n->time, RT_TIME);
	if (strcmp(name, "TIMET") == 0)
		return render_fmt_int(c, (long long)util_time_t(n->time));
	if (strcmp(name, "ACKCOMMAND") == 0)
		return render_keep(c, render_ack_command(n));
	if (strcmp(name, "ACKURL") == 0)
		return render_keep(c, render_ack_url(n, c->cfg));
	return NULL;
}

/* Slack's markup: &, < and > are control characters in its text. */
static char *
slack_escape(const char *s)
{
	struct strbuf b = { NULL, 0, 0 };

	strbuf_add(&b, "", 0);
	for (; *s != '\0'; s++) {
		if (*s == '&')
			strbuf_adds(&b, "&amp;");
		else if (*s == '<')
			strbuf_adds(&b, "&lt;");
		else if (*s == '>')
			strbuf_adds(&b, "&gt;");
		else
			strbuf_add(&b, s, 1);
	}
	return b.s;
}

const char *
render_macro(const char *name, void *ctx)
{
	struct render_ctx *c = ctx;
	const char *v = macro_value(c, name);

	if (v == NULL || !c->slack)
		return v;
	/* v may be c->tmp itself: escape first, then replace it. */
	return render_keep(c, slack_escape(v));
}

int
render_expand(struct render_ctx *c, const char *tmpl, char **out, char *err, size_t errlen)
{
	return macro_expand(tmpl, render_macro, c, out, err, errlen);
}

/* Expand a template known to be valid (checked at load, or built in). */
char *
render_expand_valid(const struct notification_msg *n, const struct config *cfg, const char *tmpl,
    int slack)
{
	struct render_ctx c;
	char err[256], *out;

	render_ctx_init(&c, n, cfg);
	c.slack = slack;
	if (render_expand(&c, tmpl, &out, err, sizeof(err)) < 0)
		out = xstrdup(tmpl);	/* only a bug gets here: show it as written */
	render_ctx_clear(&c);
	return out;
}

/* A problem one could acknowledge: not OK/UP, not a digest, recovery or ack. */
int
render_wants_ack_hint(const struct notification_msg *n)
{
	if (render_is_digest(n))
		return 1;
	if (strcmp(n->kind, "RECOVERY") == 0 || strcmp(n->kind, "ACKNOWLEDGEMENT") == 0)
		return 0;
	return n->state != NULL && strcmp(n->state, "OK") != 0 && strcmp(n->state, "UP") != 0;
}

/* ---- Slack and the generic webhook ----------------------------------- */

/* Worst first: the colour of a digest is its worst item's. */
static int
state_rank(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "CRITICAL") == 0 || strcmp(s, "DOWN") == 0 || strcmp(s, "UNREACHABLE") == 0)
		return 4;
	if (strcmp(s, "WARNING") == 0)
		return 3;
	if (strcmp(s, "UNKNOWN") == 0)
		return 2;
	if (strcmp(s, "OK") == 0 || strcmp(s, "UP") == 0)
		return 1;
	return 0;
}

const char *
render_slack_color(const struct notification_msg *n)
{
	static const char *const by_rank[] = { "#808080", "good", "#808080", "warning", "danger" };
	int rank = 0;

	if (strcmp(n->kind, "ACKNOWLEDGEMENT") == 0 || strncmp(n->kind, "DOWNTIME", 8) == 0 ||
	    strncmp(n->kind, "FLAPPING", 8) == 0)
		return "#439FE0";
	if (render_is_digest(n)) {
		for (size_t i = 0; i < n->nitems; i++)
			if (state_rank(n->items[i].state) > rank)
				rank = state_rank(n->items[i].state);
	} else
		rank = state_rank(n->state);
	return by_rank[rank];
}

static void
slack_field(json_t *fields, const char *title, const char *value, int is_short)
{
	json_t *f = json_object();

	json_object_set_new(f, "title", json_string(title));
	json_object_set_new(f, "value", json_string(value));
	json_object_set_new(f, "short", json_boolean(is_short));
	json_array_append_new(fields, f);
}

static char *
dump_json(json_t *o, size_t *len)
{
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	if (s == NULL)
		abort();	/* OOM, or invalid UTF-8 (decoded text never is) */
	*len = strlen(s);
	return s;
}

char *
render_slack(const struct notification_msg *n, const struct config *cfg, size_t *len)
{
	json_t *o = json_object(), *att = json_object(), *fields = json_array();
	struct render_ctx c;
	char *text, *v, err[256];
	const char *tmpl = cfg->notifier.slack_text;
	char *own = NULL;

	if (tmpl == NULL) {
		if (render_is_digest(n))
			tmpl = own = xasprintf("DIGEST: %zu notifications for $CONTACTALIAS$",
			    n->nitems);
		else if (n->service != NULL)
			tmpl = "$NOTIFICATIONTYPE$: $HOSTNAME$/$SERVICEDESC$ is $SERVICESTATE$: "
			    "$SERVICEOUTPUT$";
		else
			tmpl = "$NOTIFICATIONTYPE$: $HOSTNAME$ is $HOSTSTATE$: $HOSTOUTPUT$";
	}
	text = render_expand_valid(n, cfg, tmpl, 1);
	free(own);
	render_ctx_init(&c, n, cfg);
	c.slack = 1;
#define F(title, tmpl_, is_short) do { \
	if (render_expand(&c, (tmpl_), &v, err, sizeof(err)) == 0) { \
		slack_field(fields, (title), v, (is_short)); \
		free(v); \
	} \
} while (0)
	if (!render_is_digest(n)) {
		F("Host", "$HOSTNAME$", 1);
		if (n->service != NULL)
			F("Service", "$SERVICEDESC$", 1);
		if (n->old_state != NULL && strcmp(n->old_state, n->state) != 0)
			F("State", n->service != NULL ? "$SERVICESTATE$ (was $LASTSERVICESTATE$)" :
			    "$HOSTSTATE$ (was $LASTHOSTSTATE$)", 1);
		else
			F("State", n->service != NULL ? "$SERVICESTATE$" : "$HOSTSTATE$", 1);
	}
	F("Time", "$LONGDATETIME$", 1);
	if (!render_is_digest(n))
		F("Output", n->service != NULL ? "$SERVICEOUTPUT$" : "$HOSTOUTPUT$", 0);
	else
		F("Notifications", "$NOTIFICATIONITEMS$", 0);
	if (n->author != NULL)
		F("Author", "$NOTIFICATIONAUTHOR$", 1);
	if (n->comment != NULL)
		F("Comment", "$NOTIFICATIONCOMMENT$", 0);
	if (render_wants_ack_hint(n)) {
		if (render_is_digest(n))
			slack_field(fields, "Acknowledge", "`vigilctl ack HOST[/SERVICE] -m TEXT`", 0);
		else if (cfg->notifier.ack_url != NULL)
			F("Acknowledge", "`$ACKCOMMAND$` or <$ACKURL$|open in vigil>", 0);
		else
			F("Acknowledge", "`$ACKCOMMAND$`", 0);
	}
#undef F
	render_ctx_clear(&c);
	json_object_set_new(att, "color", json_string(render_slack_color(n)));
	json_object_set_new(att, "fallback", json_string(text));
	json_object_set_new(att, "fields", fields);
	json_object_set_new(att, "footer", json_string("vigil"));
	json_object_set_new(att, "ts", json_integer((json_int_t)util_time_t(n->time)));
	json_object_set_new(o, "channel", json_string(render_str(n->slack)));
	json_object_set_new(o, "username", json_string("vigil"));
	json_object_set_new(o, "text", json_string(text));
	json_object_set_new(o, "attachments", json_pack("[o]", att));
	free(text);
	return dump_json(o, len);
}

static json_t *
or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

char *
render_webhook(const struct notification_msg *n, const struct config *cfg, size_t *len)
{
	json_t *o = json_object(), *items = json_array();
	char iso[40], *cmd = render_ack_command(n), *url = render_ack_url(n, cfg);

	util_iso8601(n->time, iso, sizeof(iso));
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "id", json_string(n->id));
	json_object_set_new(o, "notification", json_string(n->notification));
	json_object_set_new(o, "type", json_string(n->kind));
	json_object_set_new(o, "number", json_integer(n->number));
	json_object_set_new(o, "escalated", json_boolean(n->escalated));
	json_object_set_new(o, "host", n->host == NULL ? json_null() :
	    json_pack("{s:s, s:s, s:s}", "name", n->host, "address", render_str(n->host_address),
	    "alias", render_str(n->host_alias)));
	json_object_set_new(o, "service", or_null(n->service));
	json_object_set_new(o, "state", or_null(n->state));
	json_object_set_new(o, "old_state", or_null(n->old_state));
	json_object_set_new(o, "state_type", or_null(n->state_type));
	json_object_set_new(o, "attempt", json_integer(n->attempt));
	json_object_set_new(o, "max_attempts", json_integer(n->max_attempts));
	json_object_set_new(o, "output", json_string(render_str(n->output)));
	json_object_set_new(o, "long_output", json_string(render_str(n->long_output)));
	json_object_set_new(o, "perfdata", json_string(render_str(n->perfdata)));
	json_object_set_new(o, "time", json_real(n->time));
	json_object_set_new(o, "time_iso", json_string(iso));
	json_object_set_new(o, "last_state_change", n->last_state_change > 0 ?
	    json_real(n->last_state_change) : json_null());
	json_object_set_new(o, "author", or_null(n->author));
	json_object_set_new(o, "comment", or_null(n->comment));
	json_object_set_new(o, "contact", json_pack("{s:s, s:s}", "name", n->contact,
	    "alias", render_str(n->contact_alias)));
	for (size_t i = 0; i < n->nitems; i++) {
		const struct notification_item *it = &n->items[i];

		json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:o, s:s, s:f}",
		    "type", it->kind, "host", it->host, "service", or_null(it->service),
		    "state", or_null(it->state), "output", render_str(it->output), "time", it->time));
	}
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "ack", json_pack("{s:o, s:o}",
	    "command", *cmd != '\0' ? json_string(cmd) : json_null(),
	    "url", *url != '\0' ? json_string(url) : json_null()));
	free(cmd);
	free(url);
	return dump_json(o, len);
}

/* ---- the command ----------------------------------------------------- */

void
render_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* "NAME=value" names a variable the notifier holds a secret in: the SMTP
 * password, the Slack webhook URL (its path is the credential), and the
 * database and broker credentials. A contact's command is the admin's
 * but may be any script: it gets none of them. */
static int
render_env_secret(const char *entry, const struct config *cfg)
{
	const char *fixed[] = { "PGPASSWORD", "VIGIL_PG", "VIGIL_AMQP_URL",
		cfg->notifier.smtp_password_env, cfg->notifier.slack_webhook_url_env };
	size_t len = strcspn(entry, "=");

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fixed[i] != NULL && strlen(fixed[i]) == len &&
		    strncmp(entry, fixed[i], len) == 0)
			return 1;
	return 0;
}

int
render_command(const struct notification_msg *n, const struct config *cfg,
    char *const *environ_, char ***argvp, char ***envpp, char *err, size_t errlen)
{
	struct render_ctx c;
	const char *const *names;
	char **argv, **envp;
	size_t nnames, nenv = 0, i, k = 0;

	*argvp = *envpp = NULL;
	if (n->command == NULL || n->ncommand == 0) {
		util_errf(err, errlen, "contact %s has no notification command", n->contact);
		return -1;
	}
	render_ctx_init(&c, n, cfg);
	c.command = 1;
	argv = xcalloc(n->ncommand + 1, sizeof(*argv));
	for (i = 0; i < n->ncommand; i++) {
		if (render_expand(&c, n->command[i], &argv[i], err, errlen) < 0) {
			render_ctx_clear(&c);
			render_strv_free(argv);
			return -1;
		}
	}
	if (argv[0][0] != '/') {
		/* No PATH search: the command is what the admin named. */
		util_errf(err, errlen, "notification command of contact %s: argv[0] must be an "
		    "absolute path", n->contact);
		render_ctx_clear(&c);
		render_strv_free(argv);
		return -1;
	}
	names = macro_notification_names(&nnames);
	while (environ_ != NULL && environ_[nenv] != NULL)
		nenv++;
	envp = xcalloc(nnames + n->nvars + nenv + 1, sizeof(*envp));
	/* As Nagios: every macro as NAGIOS_<NAME>, custom variables as
	 * NAGIOS__CONTACT<NAME>. $USERn$ (secrets) are not exported. */
	for (i = 0; i < nnames; i++)
		envp[k++] = xasprintf("NAGIOS_%s=%s", names[i], render_str(render_macro(names[i], &c)));
	for (i = 0; i < n->nvars; i++) {
		char *up = xstrdup(n->vars[i].name);

		for (char *p = up; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		envp[k++] = xasprintf("NAGIOS__CONTACT%s=%s", up, n->vars[i].value);
		free(up);
	}
	for (i = 0; i < nenv; i++)
		if (strncmp(environ_[i], "NAGIOS_", 7) != 0 && !render_env_secret(environ_[i], cfg))
			envp[k++] = xstrdup(environ_[i]);
	envp[k] = NULL;
	render_ctx_clear(&c);
	*argvp = argv;
	*envpp = envp;
	return 0;
}
