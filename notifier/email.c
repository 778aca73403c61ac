/*
 * NAME
 *	email - a notification as an email: subject, body, the message
 * DESCRIPTION
 *	See render.h (render_email_subject, render_email_body, render_email).
 *	Headers are RFC 2047 encoded words where they are not ASCII, body
 *	lines are broken before 998 bytes, the subject is one line.
 * DIAGNOSTICS
 *	None: a template's unknown macro was refused when the config loaded.
 */
#include "render_private.h"

char *
render_email_subject(const struct notification_msg *n, const struct config *cfg)
{
	char *tmpl, *s;

	if (cfg->notifier.email_subject != NULL)
		return render_expand_valid(n, cfg, cfg->notifier.email_subject, 0);
	if (render_is_digest(n))
		tmpl = xasprintf("** DIGEST: %zu notifications for $CONTACTALIAS$ **", n->nitems);
	else if (n->service != NULL)
		tmpl = xstrdup("** $NOTIFICATIONTYPE$ Service Alert: $HOSTNAME$/$SERVICEDESC$ "
		    "is $SERVICESTATE$ **");
	else
		tmpl = xstrdup("** $NOTIFICATIONTYPE$ Host Alert: $HOSTNAME$ is $HOSTSTATE$ **");
	s = render_expand_valid(n, cfg, tmpl, 0);
	free(tmpl);
	return s;
}

/* "Label:    value" lines of the built-in body; values are expanded. */
static void
line(struct strbuf *b, struct render_ctx *c, const char *label, const char *tmpl)
{
	char err[256], *v;

	if (render_expand(c, tmpl, &v, err, sizeof(err)) < 0)
		v = xstrdup(tmpl);
	strbuf_adds(b, label);
	strbuf_adds(b, v);
	strbuf_adds(b, "\n");
	free(v);
}

/* Text indented by two spaces, one line each. */
static void
indented(struct strbuf *b, const char *s)
{
	while (*s != '\0') {
		size_t n = strcspn(s, "\n");

		strbuf_adds(b, "  ");
		strbuf_add(b, s, n);
		strbuf_adds(b, "\n");
		s += n;
		if (*s == '\n')
			s++;
	}
}

static char *
builtin_body(const struct notification_msg *n, const struct config *cfg)
{
	struct strbuf b = { NULL, 0, 0 };
	struct render_ctx c;
	char iso[40];

	render_ctx_init(&c, n, cfg);
	line(&b, &c, "vigil notification: ", "$NOTIFICATIONTYPE$");
	strbuf_adds(&b, "\n");
	if (!render_is_digest(n)) {
		if (n->host_alias != NULL && strcmp(n->host_alias, n->host) != 0)
			line(&b, &c, "Host:     ", "$HOSTNAME$ ($HOSTALIAS$, $HOSTADDRESS$)");
		else
			line(&b, &c, "Host:     ", "$HOSTNAME$ ($HOSTADDRESS$)");
		if (n->service != NULL)
			line(&b, &c, "Service:  ", "$SERVICEDESC$");
		strbuf_adds(&b, "State:    ");
		strbuf_adds(&b, n->state);
		if (n->old_state != NULL && strcmp(n->old_state, n->state) != 0) {
			strbuf_adds(&b, " (was ");
			strbuf_adds(&b, n->old_state);
			strbuf_adds(&b, ")");
		}
		if (n->state_type != NULL) {
			strbuf_adds(&b, ", ");
			strbuf_adds(&b, n->state_type);
		}
		if (n->max_attempts > 0) {
			char a[64];

			snprintf(a, sizeof(a), ", attempt %d/%d", n->attempt, n->max_attempts);
			strbuf_adds(&b, a);
		}
		strbuf_adds(&b, "\n");
		strbuf_adds(&b, "Output:   ");
		strbuf_adds(&b, render_str(n->output));
		strbuf_adds(&b, "\n");
		if (n->long_output != NULL && *n->long_output != '\0') {
			strbuf_adds(&b, "Long output:\n");
			indented(&b, n->long_output);
		}
	}
	util_iso8601(n->time, iso, sizeof(iso));
	strbuf_adds(&b, "Time:     ");
	strbuf_adds(&b, render_macro("LONGDATETIME", &c));
	strbuf_adds(&b, " (");
	strbuf_adds(&b, iso);
	strbuf_adds(&b, ")\n");
	if (!render_is_digest(n))
		line(&b, &c, "Notification number: ", n->escalated ?
		    "$NOTIFICATIONNUMBER$ (escalated)" : "$NOTIFICATIONNUMBER$");
	if (n->author != NULL)
		line(&b, &c, "Author:   ", "$NOTIFICATIONAUTHOR$");
	if (n->comment != NULL)
		line(&b, &c, "Comment:  ", "$NOTIFICATIONCOMMENT$");
	if (render_is_digest(n)) {
		char head[96];

		snprintf(head, sizeof(head), "\n%zu notifications, one a line:\n", n->nitems);
		strbuf_adds(&b, head);
		indented(&b, render_macro("NOTIFICATIONITEMS", &c));
	}
	if (render_wants_ack_hint(n)) {
		if (render_is_digest(n))
			strbuf_adds(&b, "\nAcknowledge each with: vigilctl ack HOST[/SERVICE] -m TEXT\n");
		else
			line(&b, &c, "\nAcknowledge it: ", "$ACKCOMMAND$");
		if (cfg->notifier.ack_url != NULL)
			line(&b, &c, "  or open ", "$ACKURL$");
	}
	strbuf_adds(&b, "\n-- \nvigil: notification ");
	strbuf_adds(&b, n->notification);
	strbuf_adds(&b, ", delivery ");
	strbuf_adds(&b, n->id);
	line(&b, &c, " to ", "$CONTACTNAME$ by $NOTIFICATIONCHANNEL$");
	render_ctx_clear(&c);
	return b.s;
}

char *
render_email_body(const struct notification_msg *n, const struct config *cfg)
{
	if (cfg->notifier.email_body != NULL)
		return render_expand_valid(n, cfg, cfg->notifier.email_body, 0);
	return builtin_body(n, cfg);
}

/* ---- the email ------------------------------------------------------- */

static void
base64(struct strbuf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char out[4];

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[0] = tab[(v >> 18) & 63];
		out[1] = tab[(v >> 12) & 63];
		out[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[3] = i + 2 < n ? tab[v & 63] : '=';
		strbuf_add(b, out, 4);
	}
}

/* How many bytes of s (at most max) end on a UTF-8 character boundary. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	while (n > 0 && n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n > 0 ? n : (len < max ? len : max);
}

/* A header value: one line (CR, LF and tabs become spaces), cut at max
 * bytes; as RFC 2047 encoded words when it is not plain ASCII. */
static void
header(struct strbuf *b, const char *name, const char *value, size_t max)
{
	size_t len = strlen(value), i, n;
	char *v = xstrndup(value, utf8_cut(value, len, max));
	int ascii = 1;

	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] == '\r' || v[i] == '\n' || v[i] == '\t')
			v[i] = ' ';
		if ((unsigned char)v[i] >= 0x80 || (unsigned char)v[i] < 0x20)
			ascii = 0;
	}
	strbuf_adds(b, name);
	strbuf_adds(b, ": ");
	if (ascii) {
		strbuf_adds(b, v);
	} else {
		len = strlen(v);
		for (i = 0; i < len; i += n) {
			n = utf8_cut(v + i, len - i, RENDER_WORD_BYTES);
			if (i > 0)
				strbuf_adds(b, "\r\n ");	/* folded */
			strbuf_adds(b, "=?UTF-8?B?");
			base64(b, (const unsigned char *)v + i, n);
			strbuf_adds(b, "?=");
		}
	}
	strbuf_adds(b, "\r\n");
	free(v);
}

/* Body text for SMTP: CRLF line ends, no bare CR, lines cut below 998
 * bytes (at a character boundary). libcurl dot-stuffs. */
static void
mail_text(struct strbuf *b, const char *s)
{
	while (*s != '\0') {
		size_t n = strcspn(s, "\r\n"), cut;

		while (n > RENDER_LINE_MAX) {
			cut = utf8_cut(s, n, RENDER_LINE_MAX);
			strbuf_add(b, s, cut);
			strbuf_adds(b, "\r\n");
			s += cut;
			n -= cut;
		}
		strbuf_add(b, s, n);
		s += n;
		if (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
		strbuf_adds(b, "\r\n");
	}
}

char *
render_email(const struct notification_msg *n, const struct config *cfg, double now,
    size_t *len)
{
	struct strbuf b = { NULL, 0, 0 };
	char *subject = render_email_subject(n, cfg), *body = render_email_body(n, cfg);
	char date[64], msgid[UTIL_ID_LEN + 16];
	time_t sec = (time_t)now;
	struct tm tm;

	/* RFC 5322 dates are English: strftime's C locale (daemons never
	 * call setlocale). */
	localtime_r(&sec, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	snprintf(msgid, sizeof(msgid), "<%s@vigil>", n->id);
	header(&b, "Date", date, 100);
	header(&b, "From", cfg->notifier.smtp_from, 300);
	header(&b, "To", render_str(n->email), 300);
	header(&b, "Subject", subject, RENDER_SUBJECT_MAX);
	header(&b, "Message-ID", msgid, 100);
	header(&b, "MIME-Version", "1.0", 10);
	header(&b, "Content-Type", "text/plain; charset=utf-8", 100);
	header(&b, "Content-Transfer-Encoding", "8bit", 10);
	header(&b, "Auto-Submitted", "auto-generated", 100);
	header(&b, "X-Vigil-Notification", n->notification, 100);
	header(&b, "X-Vigil-Type", n->kind, 100);
	strbuf_adds(&b, "\r\n");
	mail_text(&b, body);
	free(subject);
	free(body);
	*len = b.len;
	return b.s;
}
