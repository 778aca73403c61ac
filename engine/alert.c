/*
 * NAME
 *	alert - the engine's side of notifications: decisions to deliveries
 * DESCRIPTION
 *	See alert.h. Everything here runs on the engine's loop and only
 *	writes JSON for the open batch; the database thread commits it.
 * DIAGNOSTICS
 *	See alert.h.
 */
#include "alert_private.h"

static const char *const alert_channels[] = { "email", "slack", "webhook", "command" };

struct strbuf *
alert_item(struct strbuf *b)
{
	if (b->len > 0)
		strbuf_add(b, ",", 1);
	return b;
}

const char *
alert_check_name(const struct check *c)
{
	return c->service != NULL ? c->service : "-";
}

/* ---- storms --------------------------------------------------------- */

static int
cmp_storm(const void *a, const void *b)
{
	return strcmp(((const struct storm *)a)->contact, ((const struct storm *)b)->contact);
}

struct storm *
storm_find(struct alert *a, const char *contact)
{
	struct storm key = { .contact = (char *)contact };

	return a->nstorms > 0 ? bsearch(&key, a->storms, a->nstorms, sizeof(*a->storms),
	    cmp_storm) : NULL;
}

static void
held_clear(struct held *h)
{
	msg_notification_clear(&h->m);
}

static void
storm_free(struct storm *s)
{
	for (size_t i = 0; i < s->nheld; i++)
		held_clear(&s->held[i]);
	free(s->held);
	free(s->recent);
	free(s->contact);
}

/* ---- messages ------------------------------------------------------- */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Deep copy of the facts of a notification (not its items). */
static void
msg_copy(struct notification_msg *dst, const struct notification_msg *src)
{
	memset(dst, 0, sizeof(*dst));
	memcpy(dst->notification, src->notification, sizeof(dst->notification));
	dst->kind = dup_or_null(src->kind);
	dst->number = src->number;
	dst->escalated = src->escalated;
	dst->host = dup_or_null(src->host);
	dst->host_address = dup_or_null(src->host_address);
	dst->host_alias = dup_or_null(src->host_alias);
	dst->service = dup_or_null(src->service);
	dst->state = dup_or_null(src->state);
	dst->old_state = dup_or_null(src->old_state);
	dst->state_type = dup_or_null(src->state_type);
	dst->attempt = src->attempt;
	dst->max_attempts = src->max_attempts;
	dst->output = dup_or_null(src->output);
	dst->long_output = dup_or_null(src->long_output);
	dst->perfdata = dup_or_null(src->perfdata);
	dst->time = src->time;
	dst->last_state_change = src->last_state_change;
	dst->author = dup_or_null(src->author);
	dst->comment = dup_or_null(src->comment);
}

/* The contact's part of a message (pointers into the config: the message
 * is encoded before the config can change). */
static void
msg_contact(struct notification_msg *m, const struct config *cfg, const struct cfg_contact *ct)
{
	const struct cfg_command *cmd = ct->command != NULL ?
	    config_find_command(cfg, ct->command) : NULL;

	m->contact = ct->name;
	m->contact_alias = ct->alias != NULL ? ct->alias : ct->name;
	m->email = ct->email;
	m->slack = ct->slack;
	m->webhook = ct->webhook;
	m->command = cmd != NULL ? cmd->argv : NULL;
	m->ncommand = cmd != NULL ? cmd->argc : 0;
	m->vars = ct->vars;
	m->nvars = ct->nvars;
}

static const char *
channel_address(const struct cfg_contact *ct, const char *channel)
{
	if (strcmp(channel, "email") == 0)
		return ct->email;
	if (strcmp(channel, "slack") == 0)
		return ct->slack;
	if (strcmp(channel, "webhook") == 0)
		return ct->webhook;
	return ct->command;
}

/* A command delivery's target: the argv as configured and the contact's
 * facts its macros take ($CONTACTEMAIL$, $_CONTACTPAGER$ …), so that
 * whom a command pages is the ledger's word too. */
static void
command_target(struct strbuf *b, const struct notification_msg *m)
{
	if (m->command == NULL) {
		strbuf_adds(b, "null");
		return;
	}
	strbuf_adds(b, "{\"argv\":[");
	for (size_t k = 0; k < m->ncommand; k++) {
		if (k > 0)
			strbuf_add(b, ",", 1);
		jsonw_string(b, m->command[k]);
	}
	strbuf_adds(b, "],\"email\":");
	jsonw_string(b, m->email);
	strbuf_adds(b, ",\"slack\":");
	jsonw_string(b, m->slack);
	strbuf_adds(b, ",\"webhook\":");
	jsonw_string(b, m->webhook);
	strbuf_adds(b, ",\"vars\":{");
	for (size_t k = 0; k < m->nvars; k++) {
		if (k > 0)
			strbuf_add(b, ",", 1);
		jsonw_string(b, m->vars[k].name);
		strbuf_add(b, ":", 1);
		jsonw_string(b, m->vars[k].value);
	}
	strbuf_adds(b, "}}");
}

/* One delivery per channel of the contact: its row and its message. */
static void
deliver(struct alert *a, const struct cfg_contact *ct, struct notification_msg *m)
{
	for (size_t i = 0; i < sizeof(alert_channels) / sizeof(alert_channels[0]); i++) {
		const char *ch = alert_channels[i];
		const char *addr = channel_address(ct, ch);
		struct strbuf *b;
		char *body, *key;
		size_t len;

		if (addr == NULL)
			continue;
		util_random_id(m->id);
		m->channel = (char *)ch;
		msg_contact(m, a->cfg, ct);
		body = msg_notification_encode(m, &len);
		key = xasprintf("notification.%s", ct->name);
		b = alert_item(&a->deliveries);
		strbuf_adds(b, "{\"id\":");
		jsonw_string(b, m->id);
		strbuf_adds(b, ",\"notification_id\":");
		jsonw_string(b, m->notification);
		strbuf_adds(b, ",\"contact\":");
		jsonw_string(b, ct->name);
		strbuf_adds(b, ",\"channel\":");
		jsonw_string(b, ch);
		strbuf_adds(b, ",\"address\":");
		/* the address, never a secret: a webhook URL shows its host */
		if (strcmp(ch, "webhook") == 0) {
			const char *p = strstr(addr, "://");
			const char *end = p != NULL ? strchr(p + 3, '/') : NULL;
			char *host = end != NULL ? xstrndup(addr, (size_t)(end - addr)) : xstrdup(addr);

			jsonw_string(b, host);
			free(host);
		} else
			jsonw_string(b, addr);
		/* what the notifier sends to (migration 014): never the message's */
		strbuf_adds(b, ",\"target\":");
		if (strcmp(ch, "command") != 0)
			jsonw_string(b, addr);
		else
			command_target(b, m);
		strbuf_adds(b, ",\"routing_key\":");
		jsonw_string(b, key);
		strbuf_adds(b, ",\"body\":");
		jsonw_string(b, body);
		strbuf_add(b, "}", 1);
		free(body);
		free(key);
	}
	m->channel = NULL;
	m->contact = m->contact_alias = m->email = m->slack = m->webhook = NULL;
	m->command = NULL;
	m->ncommand = 0;
	m->vars = NULL;
	m->nvars = 0;
}

static void
notification_row(struct alert *a, const char *id, int64_t check_id, double t, const char *type,
    int number, int state, const char *output, const char *const *contacts, size_t ncontacts,
    int escalated, const char *author, const char *comment)
{
	struct strbuf *b = alert_item(&a->notifications);

	strbuf_adds(b, "{\"id\":");
	jsonw_string(b, id);
	strbuf_adds(b, ",\"check_id\":");
	if (check_id > 0)
		jsonw_int(b, check_id);
	else
		strbuf_adds(b, "null");
	strbuf_adds(b, ",\"t\":");
	jsonw_real(b, t);
	strbuf_adds(b, ",\"type\":");
	jsonw_string(b, type);
	strbuf_adds(b, ",\"number\":");
	jsonw_int(b, number);
	strbuf_adds(b, ",\"state\":");
	if (state >= 0)
		jsonw_int(b, state);
	else
		strbuf_adds(b, "null");
	strbuf_adds(b, ",\"output\":");
	jsonw_string(b, output != NULL ? output : "");
	strbuf_adds(b, ",\"contacts\":[");
	for (size_t i = 0; i < ncontacts; i++) {
		if (i > 0)
			strbuf_add(b, ",", 1);
		jsonw_string(b, contacts[i]);
	}
	strbuf_adds(b, "],\"escalated\":");
	jsonw_bool(b, escalated);
	strbuf_adds(b, ",\"author\":");
	jsonw_string(b, author);
	strbuf_adds(b, ",\"comment\":");
	jsonw_string(b, comment);
	strbuf_add(b, "}", 1);
}

static void
hold_row(struct alert *a, const char *notification, const char *contact, const char *digest)
{
	struct strbuf *b = alert_item(digest != NULL ? &a->digested : &a->holds);

	strbuf_adds(b, "{\"notification_id\":");
	jsonw_string(b, notification);
	strbuf_adds(b, ",\"contact\":");
	jsonw_string(b, contact);
	if (digest != NULL) {
		strbuf_adds(b, ",\"digest_id\":");
		jsonw_string(b, digest);
	}
	strbuf_add(b, "}", 1);
}

/* The storm's held notifications go out: one alone as itself, several as
 * one DIGEST. */
static void
storm_flush(struct alert *a, struct storm *s, const struct cfg_contact *ct, double now)
{
	struct notification_msg d;
	char id[UTIL_ID_LEN + 1];
	const char *who = s->contact;
	size_t n = s->nheld;

	if (n == 0)
		return;
	if (ct == NULL) {
		log_error("storm digest for contact=%s dropped: the contact is no longer"
		    " configured (held=%zu; they stay in notification_holds)", s->contact, n);
		goto clear;
	}
	if (n == 1) {
		hold_row(a, s->held[0].notification, who, s->held[0].notification);
		deliver(a, ct, &s->held[0].m);
		log_info("notification released id=%s contact=%s (storm over)",
		    s->held[0].notification, who);
		goto clear;
	}
	memset(&d, 0, sizeof(d));
	util_random_id(id);
	memcpy(d.notification, id, sizeof(d.notification));
	d.kind = (char *)notify_type_name(NOTIFY_DIGEST);
	d.time = now;
	d.nitems = n;	/* all of them: none may be lost */
	d.items = xcalloc(d.nitems, sizeof(*d.items));
	for (size_t i = 0; i < d.nitems; i++) {
		const struct notification_msg *m = &s->held[i].m;

		d.items[i].kind = m->kind;
		d.items[i].host = m->host;
		d.items[i].service = m->service;
		d.items[i].state = m->state;
		d.items[i].output = m->output;
		d.items[i].time = m->time;
	}
	d.output = xasprintf("%zu notifications", n);
	notification_row(a, id, 0, now, d.kind, 0, -1, d.output, &who, 1, 0, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		hold_row(a, s->held[i].notification, who, id);
	deliver(a, ct, &d);
	log_info("notification id=%s type=DIGEST contact=%s items=%zu", id, who, n);
	free(d.output);
	free(d.items);
clear:
	for (size_t i = 0; i < s->nheld; i++)
		held_clear(&s->held[i]);
	s->nheld = 0;
	s->flush_at = 0;
}

/* A PROBLEM or RECOVERY for one contact: now, or held for the digest. */
static void
storm_offer(struct alert *a, const struct cfg_contact *ct, struct notification_msg *m,
    double now)
{
	struct storm *s = storm_find(a, ct->name);
	const struct config *cfg = a->cfg;
	size_t keep = 0;

	if (s == NULL) {
		deliver(a, ct, m);
		return;
	}
	for (size_t i = 0; i < s->nrecent; i++)
		if (s->recent[i] > now - cfg->notifier.storm_window)
			s->recent[keep++] = s->recent[i];
	s->nrecent = keep;
	xgrow((void **)&s->recent, &s->caprecent, s->nrecent + 1, sizeof(*s->recent));
	s->recent[s->nrecent++] = now;
	if (s->nheld == 0 && (int)s->nrecent <= cfg->notifier.storm_threshold) {
		deliver(a, ct, m);
		return;
	}
	xgrow((void **)&s->held, &s->capheld, s->nheld + 1, sizeof(*s->held));
	memcpy(s->held[s->nheld].notification, m->notification, sizeof(m->notification));
	msg_copy(&s->held[s->nheld].m, m);
	s->nheld++;
	hold_row(a, m->notification, ct->name, NULL);
	if (s->flush_at == 0) {
		s->flush_at = now + cfg->notifier.storm_delay;
		log_info("notification storm contact=%s in_window=%zu: holding for a digest"
		    " in %d s", ct->name, s->nrecent, cfg->notifier.storm_delay);
	}
}

/* ---- deciding ------------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
notify_conf_of(const struct alert *a, const struct check *c, struct notify_conf *nc,
    struct notify_escalation *esc)
{
	const struct cfg_check *cc = c->cc;

	memset(nc, 0, sizeof(*nc));
	nc->is_host = check_is_host(c);
	nc->is_volatile = c->is_volatile;
	if (cc == NULL)
		return;
	nc->enabled = cc->notifications_enabled &&
	    (cc->ncontacts > 0 || cc->nescalations > 0) &&
	    !(alert_disabled(a, c) & SWITCH_NOTIFICATIONS);
	nc->notify_on = cc->notify_on;
	nc->interval = cc->notification_interval;
	nc->first_delay = cc->first_notification_delay;
	nc->period = cc->notification_period_tp;
	nc->nesc = cc->nescalations < NOTIFY_MAX_ESCALATIONS ? cc->nescalations :
	    NOTIFY_MAX_ESCALATIONS;
	for (size_t i = 0; i < nc->nesc; i++) {
		esc[i].first = cc->escalations[i].first;
		esc[i].last = cc->escalations[i].last;
		esc[i].interval = cc->escalations[i].interval;
		esc[i].period = cc->escalations[i].period_tp;
	}
	nc->esc = esc;
}

int
alert_in_downtime(const struct check *c)
{
	return c->dt_depth > 0 || (c->service != NULL && c->host_check != NULL &&
	    c->host_check->dt_depth > 0);
}

static void
notify_input_of(const struct check *c, int type, double now, struct notify_input *in)
{
	memset(in, 0, sizeof(*in));
	in->type = type;
	in->now = now;
	in->state = c->st.state;
	in->state_type = c->st.state_type;
	in->old_hard_state = c->st.last_hard_state;
	in->last_hard_state_change = c->st.last_hard_state_change;
	in->flapping = c->st.flapping;
	in->acknowledged = c->ack != NOTIFY_ACK_NONE;
	/* Nagios looks at a service's host's notification dependencies too */
	in->dependency = depend_failing(c, DEPEND_NOTIFICATION, now) != NULL ||
	    (!check_is_host(c) && c->host_check != NULL &&
	    depend_failing(c->host_check, DEPEND_NOTIFICATION, now) != NULL);
	in->in_downtime = alert_in_downtime(c);
	/* a service's notifications wait while its host is HARD non-UP */
	in->host_up = check_is_host(c) || c->host_check == NULL ||
	    c->host_check->st.state == HOST_UP || c->host_check->st.state == STATE_PENDING ||
	    c->host_check->st.state_type != STATE_HARD;
}

/* Send what notify_decide() decided: pick the contacts, record it and
 * hand it to each contact (storms permitting). Returns how many contacts
 * it went to. */
static size_t
emit(struct alert *a, struct check *c, const struct notify_decision *d, int old_state,
    const char *long_output, const char *perfdata, const char *author, const char *comment,
    double now)
{
	const struct cfg_check *cc = c->cc;
	const struct config *cfg = a->cfg;
	const char **names = NULL;
	const struct cfg_contact **cts = NULL;
	size_t n = 0, cap = 0, kept = 0;
	int is_host = check_is_host(c);
	const char *type = notify_type_name(d->type);
	const struct cfg_host *h = config_find_host(cfg, c->host);
	struct notification_msg m;
	struct strbuf list = { 0 };

	if (cc == NULL)
		return 0;
	/* escalations replace the normal contacts */
	if (d->escalations != 0) {
		for (size_t i = 0; i < cc->nescalations && i < NOTIFY_MAX_ESCALATIONS; i++)
			if (d->escalations & ((uint64_t)1 << i))
				for (size_t j = 0; j < cc->escalations[i].ncontacts; j++) {
					xgrow((void **)&names, &cap, n + 1, sizeof(*names));
					names[n++] = cc->escalations[i].contacts[j];
				}
	} else
		for (size_t j = 0; j < cc->ncontacts; j++) {
			xgrow((void **)&names, &cap, n + 1, sizeof(*names));
			names[n++] = cc->contacts[j];
		}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	cts = n > 0 ? xcalloc(n, sizeof(*cts)) : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct cfg_contact *ct;

		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;	/* in two escalations */
		ct = config_find_contact(cfg, names[i]);
		if (ct == NULL || !notify_contact_wants(ct->notify_on, ct->period_tp, is_host,
		    d->type, c->st.state, now))
			continue;
		/* a recovery only to whoever wants a state that was notified */
		if (d->type == NOTIFY_RECOVERY && d->notified_on != 0 &&
		    (ct->notify_on & d->notified_on) == 0)
			continue;
		names[kept] = names[i];
		cts[kept++] = ct;
	}
	if (kept == 0) {
		log_debug("notification %s host=%s service=%s: no contact wants it", type,
		    c->host, alert_check_name(c));
		goto out;
	}
	memset(&m, 0, sizeof(m));
	util_random_id(m.notification);
	m.kind = (char *)type;
	m.number = d->number;
	m.escalated = d->escalations != 0;
	m.host = c->host;
	m.host_address = h != NULL ? h->address : c->host;
	m.host_alias = h != NULL ? h->alias : c->host;
	m.service = c->service;
	m.state = (char *)result_state_name(c->st.state, is_host);
	m.old_state = old_state != STATE_PENDING ? (char *)result_state_name(old_state, is_host) :
	    NULL;
	m.state_type = c->st.state_type == STATE_HARD ? "HARD" : "SOFT";
	m.attempt = c->st.attempt;
	m.max_attempts = c->max_attempts;
	m.output = c->output != NULL ? c->output : "";
	m.long_output = (char *)(long_output != NULL ? long_output : "");
	m.perfdata = (char *)(perfdata != NULL ? perfdata : "");
	m.time = now;
	m.last_state_change = c->st.last_state_change;
	m.author = (char *)author;
	m.comment = (char *)comment;
	notification_row(a, m.notification, c->id, now, type, d->number,
	    c->st.state, m.output, names, kept, m.escalated, author, comment);
	for (size_t i = 0; i < kept; i++) {
		if (i > 0)
			strbuf_add(&list, ",", 1);
		strbuf_adds(&list, names[i]);
		if (d->type == NOTIFY_PROBLEM || d->type == NOTIFY_RECOVERY)
			storm_offer(a, cts[i], &m, now);
		else
			deliver(a, cts[i], &m);
	}
	log_info("notification id=%s type=%s host=%s service=%s state=%s number=%d%s"
	    " contacts=%s", m.notification, type, c->host, alert_check_name(c), m.state, d->number,
	    m.escalated ? " escalated" : "", list.s);
	free(list.s);
out:
	free(names);
	free(cts);
	return kept;
}

/* Decide on a copy of the check's notification state, send, and keep the
 * new state only if the notification reached someone (as Nagios counts
 * it), or if nothing was to be sent, or for a recovery (it closes the
 * problem whoever hears of it). */
static void
decided(struct alert *a, struct check *c, const struct notify_conf *nc,
    const struct notify_input *in, struct notify_decision *d, int old_state,
    const char *long_output, const char *perfdata, const char *author, const char *comment,
    double now)
{
	struct notify_state ns = c->ns;
	size_t sent = 0;

	notify_decide(nc, &ns, in, d);
	if (d->type != NOTIFY_NONE)
		sent = emit(a, c, d, old_state, long_output, perfdata, author, comment, now);
	else if (d->why != NOTIFY_WHY_NOTHING && d->why != NOTIFY_WHY_DISABLED)
		log_debug("notification held host=%s service=%s type=%s why=%s", c->host,
		    alert_check_name(c), notify_type_name(in->type), notify_why_name(d->why));
	if ((d->type == NOTIFY_NONE || sent > 0 || d->type == NOTIFY_RECOVERY) &&
	    memcmp(&ns, &c->ns, sizeof(ns)) != 0) {
		c->ns = ns;
		a->touch(a->arg, c);
	}
}

void
alert_decide(struct alert *a, struct check *c, int type, int old_state, const char *long_output,
    const char *perfdata, const char *author, const char *comment, double now)
{
	struct notify_escalation esc[NOTIFY_MAX_ESCALATIONS];
	struct notify_conf nc;
	struct notify_input in;
	struct notify_decision d;

	notify_conf_of(a, c, &nc, esc);
	notify_input_of(c, type, now, &in);
	decided(a, c, &nc, &in, &d, old_state, long_output, perfdata, author, comment, now);
}

/* ---- the interface -------------------------------------------------- */

void
alert_init(struct alert *a, const struct config *cfg, struct check_table *checks,
    void (*touch)(void *, struct check *), void *arg)
{
	memset(a, 0, sizeof(*a));
	a->touch = touch;
	a->arg = arg;
	alert_reload(a, cfg, checks, 0);
}

void
alert_clear(struct alert *a)
{
	for (size_t i = 0; i < a->nstorms; i++)
		storm_free(&a->storms[i]);
	free(a->storms);
	free(a->cmd_ids);
	strbuf_clear(&a->notifications);
	strbuf_clear(&a->holds);
	strbuf_clear(&a->digested);
	strbuf_clear(&a->deliveries);
	strbuf_clear(&a->downtimes);
	strbuf_clear(&a->commands);
	strbuf_clear(&a->switches);
	memset(a, 0, sizeof(*a));
}

#define ALERT_SWAP(a, b) do { void *t_ = (a); (a) = (b); (b) = t_; } while (0)

void
alert_carry_over(struct check *n, struct check *o)
{
	n->ns = o->ns;
	n->ack = o->ack;
	n->ack_time = o->ack_time;
	n->disabled = o->disabled;
	n->disabled_at = o->disabled_at;
	ALERT_SWAP(n->disabled_by, o->disabled_by);
	ALERT_SWAP(n->disabled_comment, o->disabled_comment);
	n->dt_depth = o->dt_depth;
	n->ndts = o->ndts;
	o->ndts = 0;
	/* swapped, not copied: o is freed with what n had */
	ALERT_SWAP(n->ack_author, o->ack_author);
	ALERT_SWAP(n->ack_comment, o->ack_comment);
	ALERT_SWAP(n->dts, o->dts);
	ALERT_SWAP(n->output, o->output);
}

void
alert_reload(struct alert *a, const struct config *cfg, struct check_table *checks, double now)
{
	struct storm *old = a->storms;
	size_t nold = a->nstorms;
	const struct config *oldcfg = a->cfg;

	a->cfg = cfg;
	a->checks = checks;
	a->nstorms = cfg->ncontacts;
	a->storms = a->nstorms > 0 ? xcalloc(a->nstorms, sizeof(*a->storms)) : NULL;
	for (size_t i = 0; i < a->nstorms; i++)
		a->storms[i].contact = xstrdup(cfg->contacts[i].name);
	if (a->nstorms > 1)
		qsort(a->storms, a->nstorms, sizeof(*a->storms), cmp_storm);
	for (size_t i = 0; i < nold; i++) {
		struct storm *n = storm_find(a, old[i].contact);

		if (n != NULL) {
			free(n->contact);
			*n = old[i];	/* held notifications and history carry over */
			continue;
		}
		/* the contact is gone: what it had held goes out to it now,
		 * as the old config knew it */
		a->cfg = oldcfg;
		storm_flush(a, &old[i], oldcfg != NULL ? config_find_contact(oldcfg,
		    old[i].contact) : NULL, now);
		a->cfg = cfg;
		storm_free(&old[i]);
	}
	free(old);
}

void
alert_result(struct alert *a, struct check *c, int old_state, const struct state_output *out,
    const char *long_output, const char *perfdata, double now)
{
	int ack = c->ack;

	if (ack != NOTIFY_ACK_NONE &&
	    (c->ack = notify_result_clears_ack(ack, old_state, c->st.state)) == NOTIFY_ACK_NONE) {
		log_info("acknowledgement cleared host=%s service=%s (%s)", c->host, alert_check_name(c),
		    ack == NOTIFY_ACK_STICKY ? "back to OK" : "state changed");
		free(c->ack_author);
		free(c->ack_comment);
		c->ack_author = c->ack_comment = NULL;
		c->ack_time = 0;
		a->touch(a->arg, c);
	}
	/* A flexible downtime starts with a problem inside its window. */
	if (c->st.state > 0)
		for (size_t i = 0; i < c->ndts; i++) {
			struct downtime *dt = &c->dts[i];

			if (!dt->fixed && dt->started == 0 && now >= dt->start && now < dt->end &&
			    dt->triggered_by[0] == '\0')
				downtime_start(a, c, dt, now);
		}
	/* A host HARD UP again: the recoveries of its services, held while it
	 * was down, go out now (Nagios >= 4.5.7). */
	if (check_is_host(c) && c->st.state == HOST_UP && c->st.state_type == STATE_HARD &&
	    (out->events & STATE_EV_HARD_CHANGE)) {
		size_t n;
		struct check *const *v = check_table_host(a->checks, c->host, &n);

		for (size_t i = 0; i < n; i++) {
			struct check *s = v[i];

			if (s->host_check == c && s->st.state == STATUS_OK &&
			    s->ns.notified_state >= 0)
				alert_decide(a, s, NOTIFY_RECOVERY, s->st.state, NULL, NULL, NULL, NULL,
				    now);
		}
	}
	if (c->cc == NULL || (c->cc->ncontacts == 0 && c->cc->nescalations == 0))
		return;
	if (out->events & STATE_EV_FLAP_START)
		alert_decide(a, c, NOTIFY_FLAPPINGSTART, old_state, long_output, perfdata, NULL, NULL, now);
	if (out->events & STATE_EV_FLAP_STOP)
		alert_decide(a, c, NOTIFY_FLAPPINGSTOP, old_state, long_output, perfdata, NULL, NULL, now);
	{
		struct notify_escalation esc[NOTIFY_MAX_ESCALATIONS];
		struct notify_conf nc;
		struct notify_input in;
		struct notify_decision d;

		notify_conf_of(a, c, &nc, esc);
		notify_input_of(c, NOTIFY_PROBLEM, now, &in);
		in.hard_change = (out->events & STATE_EV_HARD_CHANGE) != 0;
		in.volatile_hit = c->is_volatile && (out->events & STATE_EV_NOTIFY) != 0;
		in.old_hard_state = out->old_hard_state;
		decided(a, c, &nc, &in, &d, old_state, long_output, perfdata, NULL, NULL, now);
	}
}

void
alert_tick(struct alert *a, double now)
{
	for (size_t i = 0; i < a->checks->n; i++)
		if (a->checks->v[i]->ndts > 0)
			downtime_tick(a, a->checks->v[i], now);
	for (size_t i = 0; i < a->nstorms; i++)
		if (a->storms[i].flush_at > 0 && now >= a->storms[i].flush_at)
			storm_flush(a, &a->storms[i], config_find_contact(a->cfg,
			    a->storms[i].contact), now);
}

int
alert_pending(const struct alert *a)
{
	return a->notifications.len > 0 || a->holds.len > 0 || a->digested.len > 0 ||
	    a->deliveries.len > 0 || a->downtimes.len > 0 || a->commands.len > 0 ||
	    a->switches.len > 0;
}

unsigned
alert_disabled(const struct alert *a, const struct check *c)
{
	return a->disabled | c->disabled;
}

static void
take_array(struct strbuf *out, const char *name, struct strbuf *b)
{
	if (out->len > 1)
		strbuf_add(out, ",", 1);
	strbuf_adds(out, "\"");
	strbuf_adds(out, name);
	strbuf_adds(out, "\":[");
	if (b->len > 0)
		strbuf_add(out, b->s, b->len);
	strbuf_add(out, "]", 1);
	strbuf_clear(b);
}

char *
alert_take(struct alert *a)
{
	struct strbuf out = { 0 };

	if (!alert_pending(a))
		return NULL;
	strbuf_add(&out, "{", 1);
	take_array(&out, "notifications", &a->notifications);
	take_array(&out, "holds", &a->holds);
	take_array(&out, "digested", &a->digested);
	take_array(&out, "deliveries", &a->deliveries);
	take_array(&out, "downtimes", &a->downtimes);
	take_array(&out, "commands", &a->commands);
	take_array(&out, "switches", &a->switches);
	strbuf_add(&out, "}", 1);
	return out.s;
}
