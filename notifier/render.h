/*
 * NAME
 *	render - a notification delivery as text: macros, templates, the
 *	email, the Slack and webhook payloads, the command's argv and
 *	environment
 * DESCRIPTION
 *	Pure functions over a decoded message (msg.h) and the settings
 *	(config.h cfg->notifier, the resource file's $USERn$): no I/O, no
 *	clock except the Date header's "now", which the caller passes.
 *
 *	render_macro() is the value of every notification macro (macro.h
 *	macro_notification_names(), plus $_CONTACTvar$ from the contact's
 *	vars): the host's macros are empty for a service notification and the
 *	service's for a host notification; $LONGDATETIME$, $SHORTDATETIME$,
 *	$DATE$, $TIME$ and $TIMET$ are the notification's time (local time);
 *	$ACKCOMMAND$ is "vigilctl ack HOST[/SERVICE] -m TEXT"; $ACKURL$ is
 *	notifier.ack_url + "/checks/HOST[/SERVICE]" (URL-encoded), empty
 *	without ack_url; $NOTIFICATIONITEMS$ lists a digest's items, one a
 *	line. $USERn$ only in commands.
 *
 *	Templates (notifier.templates.*) replace the built-in subject, body
 *	and Slack text; the built-in ones differ for hosts, services and
 *	digests.
 * DIAGNOSTICS
 *	render_command() (and render_expand()) return -1 with err naming the
 *	unknown macro: a notification command using $USERn$ without a
 *	resource file, or naming a macro nobody knows. The other renderers
 *	cannot fail: templates were checked at load.
 * SECURITY
 *	Values are copied, never re-expanded, and a command's arguments are
 *	one argv element each: no shell ever sees them. Header values have
 *	CR and LF removed (no header injection from plugin output).
 *	$USERn$ values (secrets) only reach the command's argv, never an
 *	error message.
 */
#ifndef VIGIL_RENDER_H
#define VIGIL_RENDER_H

#include <stddef.h>

struct config;
struct notification_msg;

/* The value of macro name for n, NULL if unknown. The string lives until
 * the next call with the same ctx (render_ctx_init/clear). */
struct render_ctx {
	const struct notification_msg *n;
	const struct config *cfg;
	int command;		/* $USERn$ allowed */
	int slack;		/* escape &, <, > (Slack's markup) */
	char buf[128];
	char *tmp;
};

void render_ctx_init(struct render_ctx *c, const struct notification_msg *n,
    const struct config *cfg);
void render_ctx_clear(struct render_ctx *c);
const char *render_macro(const char *name, void *ctx);

/* Expand template tmpl with c. 0, or -1 with err. */
int render_expand(struct render_ctx *c, const char *tmpl, char **out, char *err,
    size_t errlen);

/* The email subject and plain-text body (LF line ends). */
char *render_email_subject(const struct notification_msg *n, const struct config *cfg);
char *render_email_body(const struct notification_msg *n, const struct config *cfg);
/* The whole RFC 5322 message (CRLF, lines at most 998 bytes) for SMTP:
 * Date (now), From, To, Subject, Message-ID <delivery-id@vigil>, MIME
 * headers (text/plain; charset=utf-8, 8bit), Auto-Submitted. */
char *render_email(const struct notification_msg *n, const struct config *cfg,
    double now, size_t *len);

/* "good", "warning", "danger", or a colour for UNKNOWN and for
 * acknowledgements, downtimes and flapping. */
const char *render_slack_color(const struct notification_msg *n);
/* The Slack incoming-webhook JSON: channel, username "vigil", text and
 * one attachment (colour, fields host, service, state, output, time,
 * acknowledge). */
char *render_slack(const struct notification_msg *n, const struct config *cfg, size_t *len);
/* The generic webhook JSON (README "Generic webhook"). */
char *render_webhook(const struct notification_msg *n, const struct config *cfg, size_t *len);

/*
 * The contact's command: *argv (NULL-terminated, each argument expanded
 * on its own) and *envp (NAGIOS_<MACRO> for every notification macro and
 * NAGIOS__CONTACT<VAR> for the contact's vars, then environ without its
 * NAGIOS_* entries and without the notifier's secrets: the variables named
 * by notifier.smtp.password_env and notifier.slack.webhook_url_env,
 * PGPASSWORD, VIGIL_PG and VIGIL_AMQP_URL). Free both with
 * render_strv_free(). 0, or -1 with err.
 */
int render_command(const struct notification_msg *n, const struct config *cfg,
    char *const *environ_, char ***argv, char ***envp, char *err, size_t errlen);
void render_strv_free(char **v);

#endif
