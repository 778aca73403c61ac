/*
 * NAME
 *	command - the commands an operator sends: ack, unack, downtime,
 *	cancel, custom, recheck, disable, enable
 * DESCRIPTION
 *	alert_command() applies a decoded command (msg.h) to its check (and,
 *	for a host's downtime or cancel with "services", to the host's
 *	services), and writes its verdict for the command log. disable and
 *	enable turn a runtime switch off or on for a check, a host (with
 *	"services": its services too) or every check ("global"). A command the
 *	broker delivers again (its ack was lost) is recognised by its id and
 *	applied once.
 * DIAGNOSTICS
 *	A refused command (no such check, nothing to acknowledge, a downtime
 *	over already …) logs a warning and its reason goes to the command log.
 */
#include "alert_private.h"

#include <limits.h>

#define DOWNTIME_TIME_MAX 253402300799.0	/* 9999-12-31T23:59:59Z */

/* While a host's downtime is scheduled for its child hosts as triggered
 * ones: the id of the host's, which starts them. */
static const char *command_trigger;
static int command_trigger_started;

void
alert_command_log(struct alert *a, const char *id, const struct command_msg *o, int ok,
    const char *message)
{
	struct strbuf *b = alert_item(&a->commands);
	const char *cmd = o->name != NULL ? o->name : msg_command_name(o->kind);

	strbuf_adds(b, "{\"id\":");
	jsonw_string(b, id);
	strbuf_adds(b, ",\"command\":");
	jsonw_string(b, cmd);
	strbuf_adds(b, ",\"host\":");
	jsonw_string(b, o->host);
	strbuf_adds(b, ",\"service\":");
	jsonw_string(b, o->service);
	strbuf_adds(b, ",\"author\":");
	jsonw_string(b, o->author);
	strbuf_adds(b, ",\"source\":");
	jsonw_string(b, o->source);
	strbuf_adds(b, ",\"ok\":");
	jsonw_bool(b, ok);
	strbuf_adds(b, ",\"message\":");
	jsonw_string(b, message);
	strbuf_add(b, "}", 1);
}

/* One check's part of a command. 0 applied, -1 refused (msg says why). */
static int
command_one(struct alert *a, struct check *c, const struct command_msg *o, double now,
    char *msg, size_t msglen)
{
	const char *author = o->author, *comment = o->comment;
	int is_host = check_is_host(c);

	if (author == NULL)
		author = "unknown";
	if (comment == NULL)
		comment = "";
	if (o->kind == COMMAND_ACK) {
		if (c->st.state <= 0) {
			util_errf(msg, msglen, "%s%s%s is %s: nothing to acknowledge", c->host,
			    c->service != NULL ? "/" : "", c->service != NULL ? c->service : "",
			    result_state_name(c->st.state, is_host));
			return -1;
		}
		c->ack = o->sticky ? NOTIFY_ACK_STICKY : NOTIFY_ACK_NORMAL;
		free(c->ack_author);
		free(c->ack_comment);
		c->ack_author = xstrdup(author);
		c->ack_comment = xstrdup(comment);
		c->ack_time = now;
		a->touch(a->arg, c);
		log_info("acknowledged host=%s service=%s author=%s sticky=%d", c->host,
		    alert_check_name(c), author, c->ack == NOTIFY_ACK_STICKY);
		if (o->notify && c->cc != NULL)
			alert_decide(a, c, NOTIFY_ACKNOWLEDGEMENT, c->st.state, NULL, NULL, author, comment,
			    now);
		util_errf(msg, msglen, "acknowledged %s%s%s (%s)", c->host,
		    c->service != NULL ? "/" : "", c->service != NULL ? c->service : "",
		    c->ack == NOTIFY_ACK_STICKY ? "sticky: until OK" : "until the state changes");
		return 0;
	}
	if (o->kind == COMMAND_UNACK) {
		if (c->ack == NOTIFY_ACK_NONE) {
			util_errf(msg, msglen, "%s%s%s is not acknowledged", c->host,
			    c->service != NULL ? "/" : "", c->service != NULL ? c->service : "");
			return -1;
		}
		c->ack = NOTIFY_ACK_NONE;
		free(c->ack_author);
		free(c->ack_comment);
		c->ack_author = c->ack_comment = NULL;
		c->ack_time = 0;
		a->touch(a->arg, c);
		log_info("acknowledgement removed host=%s service=%s author=%s", c->host,
		    alert_check_name(c), author);
		util_errf(msg, msglen, "acknowledgement removed");
		return 0;
	}
	if (o->kind == COMMAND_DOWNTIME) {
		struct downtime dt;

		memset(&dt, 0, sizeof(dt));
		dt.start = o->has_start ? o->start : now;
		dt.end = o->end;
		dt.fixed = o->fixed;
		dt.duration = o->duration;
		/* before anything is computed from them or reaches SQL (a
		 * year past 9999 is not a timestamptz; the negated test also
		 * refuses NaN) */
		if (!(dt.start >= 0 && dt.start <= DOWNTIME_TIME_MAX && dt.end >= 0 &&
		    dt.end <= DOWNTIME_TIME_MAX)) {
			util_errf(msg, msglen, "the downtime's start and end must be times between "
			    "1970 and 9999");
			return -1;
		}
		if (dt.fixed && dt.end - dt.start > INT_MAX) {
			util_errf(msg, msglen, "a downtime lasts at most 68 years");
			return -1;
		}
		if (dt.end <= dt.start || dt.end <= now) {
			util_errf(msg, msglen, "the downtime %s", dt.end <= now ? "is over already" :
			    "ends before it starts");
			return -1;
		}
		if (!dt.fixed && dt.duration <= 0) {
			util_errf(msg, msglen, "a flexible downtime needs a duration");
			return -1;
		}
		if (dt.fixed)
			dt.duration = (int)(dt.end - dt.start);
		util_random_id(dt.id);
		if (command_trigger != NULL)
			snprintf(dt.triggered_by, sizeof(dt.triggered_by), "%s", command_trigger);
		dt.author = xstrdup(author);
		dt.comment = xstrdup(comment);
		c->dts = xrealloc(c->dts, (c->ndts + 1) * sizeof(*c->dts));
		c->dts[c->ndts++] = dt;
		downtime_row(a, "add", c, &dt, now, 0);
		log_info("downtime scheduled id=%s host=%s service=%s fixed=%d start=%.0f end=%.0f"
		    " duration=%d author=%s", dt.id, c->host, alert_check_name(c), dt.fixed, dt.start,
		    dt.end, dt.duration, author);
		if (command_trigger != NULL) {
			/* triggered: starts with its trigger, at once if that has */
			if (command_trigger_started)
				downtime_start(a, c, &c->dts[c->ndts - 1], now);
		} else if (dt.fixed && now >= dt.start)
			downtime_start(a, c, &c->dts[c->ndts - 1], now);
		else if (!dt.fixed && c->st.state > 0 && now >= dt.start)
			downtime_start(a, c, &c->dts[c->ndts - 1], now);
		util_errf(msg, msglen, "downtime %s scheduled", dt.id);
		return 0;
	}
	if (o->kind == COMMAND_CUSTOM) {
		if (c->cc == NULL || (c->cc->ncontacts == 0 && c->cc->nescalations == 0)) {
			util_errf(msg, msglen, "%s%s%s notifies nobody (no notify:)", c->host,
			    c->service != NULL ? "/" : "", c->service != NULL ? c->service : "");
			return -1;
		}
		if (!c->cc->notifications_enabled) {
			util_errf(msg, msglen, "%s%s%s has notifications disabled "
			    "(notifications_enabled: false)", c->host,
			    c->service != NULL ? "/" : "", c->service != NULL ? c->service : "");
			return -1;
		}
		alert_decide(a, c, NOTIFY_CUSTOM, c->st.state, NULL, NULL, author, comment, now);
		util_errf(msg, msglen, "custom notification sent for %s%s%s (unless in downtime or"
		    " no contact wants it: see vigilctl notifications)", c->host,
		    c->service != NULL ? "/" : "", c->service != NULL ? c->service : "");
		return 0;
	}
	if (o->kind == COMMAND_CANCEL) {
		const char *id = o->downtime_id;
		size_t cancelled = 0;

		for (size_t i = 0; i < c->ndts;) {
			if (id == NULL || strcmp(c->dts[i].id, id) == 0) {
				downtime_end(a, c, i, now, 1);
				cancelled++;
				continue;
			}
			i++;
		}
		if (cancelled == 0) {
			util_errf(msg, msglen, "%s%s%s has no downtime%s%s", c->host,
			    c->service != NULL ? "/" : "", c->service != NULL ? c->service : "",
			    id != NULL ? " " : "", id != NULL ? id : "");
			return -1;
		}
		util_errf(msg, msglen, "%zu downtime%s cancelled", cancelled, cancelled > 1 ? "s" : "");
		return 0;
	}
	if (o->kind == COMMAND_DISABLE || o->kind == COMMAND_ENABLE) {
		unsigned bit = msg_switch_parse(o->what);
		int off = o->kind == COMMAND_DISABLE;

		if (bit == 0) {
			util_errf(msg, msglen, "\"%.64s\" is not a switch (active_checks, passive_checks, "
			    "notifications, flap_detection, event_handlers)", o->what != NULL ?
			    o->what : "");
			return -1;
		}
		if (((c->disabled & bit) != 0) == off) {
			util_errf(msg, msglen, "%s is %s for %s%s%s already", msg_switch_name(bit),
			    off ? "disabled" : "enabled", c->host, c->service != NULL ? "/" : "",
			    c->service != NULL ? c->service : "");
			return -1;
		}
		c->disabled = off ? c->disabled | bit : c->disabled & ~bit;
		free(c->disabled_by);
		free(c->disabled_comment);
		c->disabled_by = xstrdup(author);
		c->disabled_comment = xstrdup(comment);
		c->disabled_at = now;
		a->touch(a->arg, c);
		log_info("%s %s host=%s service=%s author=%s", msg_switch_name(bit),
		    off ? "disabled" : "enabled", c->host, alert_check_name(c), author);
		util_errf(msg, msglen, "%s %s for %s%s%s", msg_switch_name(bit),
		    off ? "disabled" : "enabled", c->host, c->service != NULL ? "/" : "",
		    c->service != NULL ? c->service : "");
		return 0;
	}
	if (o->kind == COMMAND_RECHECK) {
		if (a->recheck == NULL) {
			util_errf(msg, msglen, "this engine runs no checks");
			return -1;
		}
		return a->recheck(a->arg, c, now, msg, msglen);
	}
	util_errf(msg, msglen, "unknown command \"%.64s\"", o->name != NULL ? o->name : "?");
	return -1;
}

/* A host's downtime for its child hosts, all the way down (plain: the
 * same window; triggered: started by the host's, id), and with services
 * their services. How many downtimes were scheduled. */
static size_t
command_children(struct alert *a, struct check *host, const struct command_msg *o,
    const char *id, int started, double now, int depth)
{
	size_t n = 0;

	if (depth > 64)		/* parents form no cycle; a bound all the same */
		return 0;
	for (size_t i = 0; i < host->nchildren; i++) {
		struct check *ch = host->children[i];
		char m2[256];

		command_trigger = o->children == 2 ? id : NULL;
		command_trigger_started = started;
		if (command_one(a, ch, o, now, m2, sizeof(m2)) == 0) {
			n++;
			if (o->services) {
				size_t ns;
				struct check *const *v = check_table_host(a->checks, ch->host, &ns);

				for (size_t k = 0; k < ns; k++) {
					struct check *s = v[k];

					if (s->host_check == ch && s != ch &&
					    command_one(a, s, o, now, m2, sizeof(m2)) == 0)
						n++;
				}
			}
			n += command_children(a, ch, o, id, started, now, depth + 1);
		}
		command_trigger = NULL;
	}
	return n;
}

/* A switch for every check (Nagios's DISABLE_NOTIFICATIONS and the
 * like): kept apart from each check's own, so that enabling it again
 * leaves what was switched per check as it was. */
static int
command_global(struct alert *a, const struct command_msg *o, char *msg, size_t msglen)
{
	unsigned bit = msg_switch_parse(o->what);
	int off = o->kind == COMMAND_DISABLE;
	struct strbuf *b;

	if (bit == 0) {
		util_errf(msg, msglen, "\"%.64s\" is not a switch", o->what != NULL ? o->what : "");
		return -1;
	}
	if (o->host != NULL) {
		util_errf(msg, msglen, "a global switch names no host");
		return -1;
	}
	if (((a->disabled & bit) != 0) == off) {
		util_errf(msg, msglen, "%s is %s globally already", msg_switch_name(bit),
		    off ? "disabled" : "enabled");
		return -1;
	}
	a->disabled = off ? a->disabled | bit : a->disabled & ~bit;
	b = alert_item(&a->switches);
	strbuf_adds(b, "{\"what\":");
	jsonw_string(b, msg_switch_name(bit));
	strbuf_adds(b, ",\"disabled\":");
	jsonw_bool(b, off);
	strbuf_adds(b, ",\"author\":");
	jsonw_string(b, o->author != NULL ? o->author : "unknown");
	strbuf_adds(b, ",\"comment\":");
	jsonw_string(b, o->comment != NULL ? o->comment : "");
	strbuf_add(b, "}", 1);
	log_warn("%s %s for every check author=%s", msg_switch_name(bit),
	    off ? "disabled" : "enabled", o->author != NULL ? o->author : "unknown");
	util_errf(msg, msglen, "%s %s globally", msg_switch_name(bit), off ? "disabled" : "enabled");
	return 0;
}

static int
command_seen(const struct alert *a, const char *id)
{
	for (size_t i = 0; i < a->ncmd_ids; i++)
		if (strcmp(a->cmd_ids[i], id) == 0)
			return 1;
	return 0;
}

void
command_remember(struct alert *a, const char *id)
{
	if (a->cmd_ids == NULL)
		a->cmd_ids = xcalloc(ALERT_RECENT_COMMANDS, sizeof(*a->cmd_ids));
	snprintf(a->cmd_ids[a->cmd_next], sizeof(a->cmd_ids[0]), "%s", id);
	a->cmd_next = (a->cmd_next + 1) % ALERT_RECENT_COMMANDS;
	if (a->ncmd_ids < ALERT_RECENT_COMMANDS)
		a->ncmd_ids++;
}

int
alert_command(struct alert *a, const struct command_msg *o, double now, char *msg,
    size_t msglen)
{
	const char *cmd = o->name, *host = o->host, *service = o->service;
	const char *id = o->id[0] != '\0' ? o->id : NULL;
	char cid[UTIL_ID_LEN + 1];
	struct check *c;
	int rc = -1;

	if (id == NULL) {
		util_random_id(cid);
		id = cid;
	} else if (command_seen(a, id)) {
		/* delivered again after its ack was lost: applied already */
		util_errf(msg, msglen, "command %s applied already", id);
		log_info("command delivered again id=%s: applied already, skipped", id);
		return 0;
	}
	command_remember(a, id);
	if ((o->kind == COMMAND_DISABLE || o->kind == COMMAND_ENABLE) && o->global) {
		rc = command_global(a, o, msg, msglen);
		goto out;
	}
	if (cmd == NULL || host == NULL) {
		util_errf(msg, msglen, "a command needs \"command\" and \"host\"");
		goto out;
	}
	c = check_table_find_name(a->checks, host, service);
	if (c == NULL) {
		util_errf(msg, msglen, "no check %s%s%s", host, service != NULL ? "/" : "",
		    service != NULL ? service : "");
		goto out;
	}
	if (o->kind == COMMAND_DOWNTIME && o->children != 0 && (service != NULL ||
	    o->children < 0 || c->service != NULL)) {
		util_errf(msg, msglen, o->children < 0 ? "children: expected plain or triggered" :
		    "only a host's downtime is for its child hosts");
		goto out;
	}
	rc = command_one(a, c, o, now, msg, msglen);
	if (rc == 0 && o->kind == COMMAND_DOWNTIME && o->children > 0) {
		const struct downtime *root = &c->dts[c->ndts - 1];
		char rid[UTIL_ID_LEN + 1];
		size_t n;

		memcpy(rid, root->id, sizeof(rid));
		n = command_children(a, c, o, rid, root->started > 0, now, 0);
		snprintf(msg + strlen(msg), msglen - strlen(msg), ", and %zu for its child hosts%s", n,
		    o->children == 2 ? " (triggered by it)" : "");
	}
	/* A host's downtime or switch for its services too (--services);
	 * cancelling and switching go through them even if the host itself
	 * had nothing to change. */
	if ((rc == 0 || o->kind == COMMAND_CANCEL || o->kind == COMMAND_DISABLE ||
	    o->kind == COMMAND_ENABLE) && service == NULL && o->services &&
	    (o->kind == COMMAND_DOWNTIME || o->kind == COMMAND_CANCEL ||
	    o->kind == COMMAND_DISABLE || o->kind == COMMAND_ENABLE)) {
		size_t n = 0, nv;
		struct check *const *v = check_table_host(a->checks, host, &nv);

		for (size_t i = 0; i < nv; i++) {
			struct check *s = v[i];
			char m2[256];

			if (s->service != NULL &&
			    command_one(a, s, o, now, m2, sizeof(m2)) == 0)
				n++;
		}
		snprintf(msg + strlen(msg), msglen - strlen(msg), ", and for %zu service%s", n,
		    n == 1 ? "" : "s");
		if (n > 0)
			rc = 0;
	}
out:
	alert_command_log(a, id, o, rc == 0, msg);
	if (rc < 0)
		log_warn("command refused id=%s command=%s reason=\"%s\"", id,
		    cmd != NULL ? cmd : "?", msg);
	return rc;
}
