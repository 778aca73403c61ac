/*
 * NAME
 *	events - the live stream: websocket /api/v1/events
 * DESCRIPTION
 *	vigil-web consumes <prefix>.events through a queue of its own
 *	(exclusive, auto-delete: gone with its connection) and fans the events
 *	out to its websocket clients (subprotocol "vigil-events").
 *
 *	A client first sends its subscription, and may send another at any
 *	time:
 *	  {"token": "…" (unless http.anonymous_read), "types": ["state",
 *	   "group", "notification", "worker", "checks"] (default all), "host": GLOB,
 *	   "service": GLOB, "groups": [NAME, …] (each with its subtree)}
 *	It gets a snapshot of what it subscribed to, read with the event
 *	position in one transaction (migration 011):
 *	  {"type": "snapshot", "position": P, "live": L, "checks": [CHECK…]
 *	   (as GET /checks, at most 10,000: "truncated" says so), "groups":
 *	   [GROUP…]}
 *	then every event after P that its subscription selects, each the
 *	engine's event with its "seq" (the outbox id; a worker's heartbeat
 *	has none): nothing older than the snapshot, no event twice (those the
 *	outbox sends again are dropped by their id). And after every batch
 *	the engine commits, the rows it wrote (every result, acknowledgement,
 *	downtime): {"type": "checks", "live": N, "checks": [ROW…]}, only
 *	those with N > L and only the rows the subscription selects, each
 *	row as GET /checks shows it (output and times only when the row
 *	carries a result): a dashboard replaces its row. Events that arrive while
 *	a snapshot is read wait in a ring of the latest EV_RING; a snapshot
 *	that takes longer than the ring holds is read again.
 *
 *	When the broker link comes back, the events in between were never
 *	queued for this vigil-web: every client gets a new snapshot. A client
 *	whose unsent messages pass http.max_client_queue bytes (default 4 MiB:
 *	it does not read)
 *	is closed with code 4001 ("resync"): it reconnects and starts from a
 *	snapshot, and never grows the server's memory. How messages go out
 *	(shared, batched, at most a write every 20 ms under a stream) and the
 *	heartbeats (a ping after http.ping of silence, dropped after twice
 *	that): events_out.c.
 * DIAGNOSTICS
 *	A subscription that does not parse, or a token that is not known,
 *	gets {"type": "error", "error", "detail"}; an unknown token then the
 *	close code 4401.
 */
#include "events_private.h"

#include "config.h"
#include "jsonw.h"
#include "log.h"
#include "mq.h"
#include "pg.h"
#include "query.h"
#include "topology.h"
#include "tpool.h"
#include "util.h"
#include "xalloc.h"

#include <fnmatch.h>
#include <jansson.h>
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the ring ------------------------------------------------------------- */

static void
item_clear(struct ev_item *it)
{
	free(it->host);
	free(it->service);
	free(it->group);
	ev_buf_put(it->buf);
	json_decref(it->checks);
	memset(it, 0, sizeof(*it));
}

static int
type_of(const char *rk)
{
	return strncmp(rk, "state.", 6) == 0 ? T_STATE : strncmp(rk, "group.", 6) == 0 ? T_GROUP :
	    strncmp(rk, "notification.", 13) == 0 ? T_NOTIFICATION :
	    strncmp(rk, "worker.", 7) == 0 ? T_WORKER : strcmp(rk, "checks") == 0 ? T_CHECKS : 0;
}

/* ---- clients ---------------------------------------------------------- */

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
in_sorted(char **v, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, v, n, sizeof(*v), by_str) != NULL;
}

/* fnmatch, with the last answer kept: an event goes to every client in
 * turn, and many subscribe with the same glob (two short compares are
 * cheaper than a match). */
static int
glob_match(struct events *ev, const char *glob, const char *s)
{
	struct ev_memo *m = &ev->memo;
	size_t gl = strlen(glob), sl = strlen(s);

	if (gl >= sizeof(m->glob) || sl >= sizeof(m->s))
		return fnmatch(glob, s, 0) == 0;
	if (m->valid && memcmp(m->glob, glob, gl + 1) == 0 && memcmp(m->s, s, sl + 1) == 0)
		return m->r;
	m->r = fnmatch(glob, s, 0) == 0;
	memcpy(m->glob, glob, gl + 1);
	memcpy(m->s, s, sl + 1);
	m->valid = 1;
	return m->r;
}

/* Does c's subscription select the check host/service ("" a host's)? */
static int
selects_check(const struct ev_client *c, const char *host, const char *service)
{
	char key[512];

	if (c->host != NULL && !glob_match(c->w->events, c->host, host))
		return 0;
	if (c->service != NULL && (*service == '\0' ||
	    !glob_match(c->w->events, c->service, service)))
		return 0;
	if (c->groups == NULL)
		return 1;
	snprintf(key, sizeof(key), "%s\n%s", host, service);
	return in_sorted(c->members, c->nmembers, key);
}

/* Does c's subscription select it? */
static int
selects(const struct ev_client *c, const struct ev_item *it)
{
	if (!(c->types & it->type))
		return 0;
	if (it->type == T_STATE)
		return selects_check(c, it->host, it->service);
	if (it->type == T_GROUP)
		return c->groups == NULL || in_sorted(c->gnames, c->ngnames, it->group);
	return 1;
}

static void
send_error(struct ev_client *c, const char *error, const char *detail)
{
	struct strbuf b = { 0 };

	strbuf_adds(&b, "{\"type\":\"error\",\"error\":");
	jsonw_string(&b, error);
	strbuf_adds(&b, ",\"detail\":");
	jsonw_string(&b, detail);
	strbuf_add(&b, "}", 1);
	ev_send_text(c, b.s, b.len);
	strbuf_clear(&b);
}

/* A checks message with only the rows c selects (NULL: none of them). */
static char *
checks_for(const struct ev_client *c, const struct ev_item *it, size_t *len)
{
	struct strbuf b = { 0 };
	json_t *row;
	size_t i, n = 0;

	strbuf_adds(&b, "{\"v\":1,\"type\":\"checks\",\"live\":");
	jsonw_int(&b, it->live);
	strbuf_adds(&b, ",\"checks\":[");
	json_array_foreach(it->checks, i, row) {
		const char *h = json_string_value(json_object_get(row, "host"));
		const char *sv = json_string_value(json_object_get(row, "service"));
		char *t;

		if (h == NULL || !selects_check(c, h, sv != NULL ? sv : ""))
			continue;
		t = json_dumps(row, JSON_COMPACT | JSON_REAL_PRECISION(10));
		if (n++ > 0)
			strbuf_add(&b, ",", 1);
		strbuf_adds(&b, t);
		free(t);
	}
	strbuf_adds(&b, "]}");
	if (n == 0) {
		strbuf_clear(&b);
		return NULL;
	}
	*len = b.len;
	return b.s;
}

/* it to c if c's subscription selects it and c's snapshot does not hold
 * it already: an event after c's position, a checks message after its
 * live number (with only the rows c selects). Replaying the ring after a
 * snapshot, events without a seq (heartbeats) are old news. */
static void
send_item(struct ev_client *c, const struct ev_item *it, int replay)
{
	char *t;
	size_t len;

	if (!c->live || !selects(c, it))
		return;
	if (it->type != T_CHECKS) {
		if (it->seq > c->position || (it->seq == 0 && !replay))
			ev_send_buf(c, it->buf);
		return;
	}
	if (it->live <= c->live_pos)
		return;
	if (c->host == NULL && c->service == NULL && c->groups == NULL) {
		ev_send_buf(c, it->buf);
		return;
	}
	if ((t = checks_for(c, it, &len)) != NULL) {
		ev_send_text(c, t, len);
		free(t);
	}
}

static void
client_clear_sub(struct ev_client *c)
{
	for (size_t i = 0; i < c->nmembers; i++)
		free(c->members[i]);
	for (size_t i = 0; i < c->ngnames; i++)
		free(c->gnames[i]);
	free(c->members);
	free(c->gnames);
	free(c->host);
	free(c->service);
	free(c->groups);
	c->members = c->gnames = NULL;
	c->nmembers = c->ngnames = 0;
	c->host = c->service = c->groups = NULL;
}

/* ---- snapshots (on a database thread) ----------------------------------- */

struct ev_snapshot {
	struct web_req r;	/* first: tpool hands back the web_req */
	struct ev_client *c;	/* NULL once the client went away */
	char *host_re, *service_re, *groups;
	long long position, live;
	char **members, **gnames;
	size_t nmembers, ngnames;
	struct strbuf text;
	int failed;
};

void events_snapshot_work(struct web_req *r, PGconn *pc);

/* Read under one REPEATABLE READ transaction: the position, the checks,
 * the groups, the subtrees' members. */
void
events_snapshot_work(struct web_req *r, PGconn *pc)
{
	struct ev_snapshot *s = (struct ev_snapshot *)r;
	struct query_filter f;
	PGresult *checks = NULL, *groups = NULL, *sub = NULL;
	char err[512];
	int n;

	memset(&f, 0, sizeof(f));
	f.host_re = s->host_re;
	f.service_re = s->service_re;
	f.groups = s->groups;
	f.limit = EV_SNAPSHOT_MAX + 1;
	if (pg_exec(pc, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err, sizeof(err)) < 0 ||
	    (s->position = query_event_position(pc, &s->live, err, sizeof(err))) < 0 ||
	    (checks = query_checks(pc, &f, err, sizeof(err))) == NULL ||
	    (groups = query_groups(pc, err, sizeof(err))) == NULL ||
	    (s->groups != NULL && (sub = query_subtree(pc, s->groups, err, sizeof(err))) == NULL)) {
		log_warn("events snapshot: %s", err);
		pg_exec(pc, "ROLLBACK", err, sizeof(err));
		s->failed = 1;
		goto out;
	}
	pg_exec(pc, "COMMIT", err, sizeof(err));
	for (int i = 0; sub != NULL && i < PQntuples(sub); i++) {
		if (PQgetvalue(sub, i, 0)[0] == 'g') {
			s->gnames = xrealloc(s->gnames, (s->ngnames + 1) * sizeof(char *));
			s->gnames[s->ngnames++] = xstrdup(PQgetvalue(sub, i, 1));
		} else {
			s->members = xrealloc(s->members, (s->nmembers + 1) * sizeof(char *));
			s->members[s->nmembers++] = xasprintf("%s\n%s", PQgetvalue(sub, i, 1),
			    PQgetvalue(sub, i, 2));
		}
	}
	if (s->nmembers > 0)
		qsort(s->members, s->nmembers, sizeof(char *), by_str);
	if (s->ngnames > 0)
		qsort(s->gnames, s->ngnames, sizeof(char *), by_str);
	n = PQntuples(checks);
	strbuf_adds(&s->text, "{\"type\":\"snapshot\",\"position\":");
	jsonw_int(&s->text, s->position);
	strbuf_adds(&s->text, ",\"live\":");
	jsonw_int(&s->text, s->live);
	strbuf_adds(&s->text, ",\"truncated\":");
	jsonw_bool(&s->text, n > EV_SNAPSHOT_MAX);
	strbuf_adds(&s->text, ",\"checks\":[");
	for (int i = 0; i < n && i < EV_SNAPSHOT_MAX; i++) {
		if (i > 0)
			strbuf_add(&s->text, ",", 1);
		api_check_json(&s->text, checks, i);
	}
	strbuf_adds(&s->text, "],\"groups\":");
	api_groups_json(&s->text, groups, s->groups != NULL ? s->gnames : NULL, s->ngnames);
	strbuf_add(&s->text, "}", 1);
out:
	if (checks != NULL)
		PQclear(checks);
	if (groups != NULL)
		PQclear(groups);
	if (sub != NULL)
		PQclear(sub);
}

static void snapshot_start(struct ev_client *c);

static void
snapshot_free(struct ev_snapshot *s)
{
	for (size_t i = 0; i < s->nmembers; i++)
		free(s->members[i]);
	for (size_t i = 0; i < s->ngnames; i++)
		free(s->gnames[i]);
	free(s->members);
	free(s->gnames);
	free(s->host_re);
	free(s->service_re);
	free(s->groups);
	strbuf_clear(&s->text);
	web_req_free(&s->r);	/* and s: r is its first member */
}

/* On the loop: the snapshot is back. Sent, then the ring's events after
 * its position; or read again (the ring lost some, or the subscription
 * changed meanwhile). */
static void
snapshot_done(struct web_req *r)
{
	struct ev_snapshot *s = (struct ev_snapshot *)r;
	struct ev_client *c = s->c;
	struct events *ev;
	size_t first;

	if (c == NULL) {		/* the client went away */
		snapshot_free(s);
		return;
	}
	ev = c->w->events;
	c->reading = 0;
	c->snap = NULL;
	if (s->failed || s->text.len == 0) {	/* empty: PostgreSQL was away */
		send_error(c, "unavailable", "PostgreSQL did not answer: the snapshot is read again "
		    "when the stream reconnects");
		snapshot_free(s);
		return;
	}
	first = (ev->next + EV_RING - ev->n) % EV_RING;
	if (c->again || (ev->n == EV_RING && ev->ring[first].seq > s->position + 1)) {
		c->again = 0;
		snapshot_free(s);
		snapshot_start(c);
		return;
	}
	/* the subtree as the snapshot saw it */
	for (size_t i = 0; i < c->nmembers; i++)
		free(c->members[i]);
	for (size_t i = 0; i < c->ngnames; i++)
		free(c->gnames[i]);
	free(c->members);
	free(c->gnames);
	c->members = s->members;
	c->nmembers = s->nmembers;
	c->gnames = s->gnames;
	c->ngnames = s->ngnames;
	s->members = s->gnames = NULL;
	s->nmembers = s->ngnames = 0;
	c->position = s->position;
	c->live_pos = s->live;
	c->live = 1;
	ev_send_text(c, s->text.s, s->text.len);
	for (size_t k = 0; k < ev->n; k++)
		send_item(c, &ev->ring[(first + k) % EV_RING], 1);
	snapshot_free(s);
}

static void
snapshot_start(struct ev_client *c)
{
	struct ev_snapshot *s;

	if (c->reading) {
		c->again = 1;	/* a newer subscription: read once this is back */
		return;
	}
	s = xcalloc(1, sizeof(*s));
	s->c = c;
	s->r.w = c->w;
	s->r.handler = events_snapshot_work;
	s->r.on_done = snapshot_done;
	s->r.in_pool = 1;
	if (c->host != NULL && api_glob_regex(c->host, &s->host_re) < 0)
		s->host_re = NULL;
	if (c->service != NULL && api_glob_regex(c->service, &s->service_re) < 0)
		s->service_re = NULL;
	s->groups = c->groups != NULL ? xstrdup(c->groups) : NULL;
	c->reading = 1;
	c->snap = s;
	c->live = 0;
	tpool_submit(c->w->pool, &s->r);
}

/* ---- events from the broker ---------------------------------------------- */

/* An event: kept in the ring, sent to the live clients it concerns. One
 * the outbox sends again (its id seen on this link) is dropped. */
static void
on_event(struct mq *mq, const struct mq_msg *m, void *arg)
{
	struct web *w = arg;
	struct events *ev = w->events;
	struct ev_item *it;
	json_t *j;
	long long seq = m->message_id != NULL ? strtoll(m->message_id, NULL, 10) : 0;
	int type = type_of(m->routing_key);

	/* every EV_ACK_EVERY-th acknowledges those before it too: a client
	 * of its own, the queue goes with the link, and the broker spends less
	 * on a busy stream (fewer than the prefetch stay unacknowledged) */
	if (++ev->unacked >= EV_ACK_EVERY) {
		mq_ack(mq, &m->ref, 1);
		ev->unacked = 0;
	}
	if (type == 0 || m->len < 2 || ((const char *)m->body)[0] != '{')
		return;
	/* Only what the engine and the workers tagged reaches a browser. */
	if (!mq_trusted(mq, m)) {
		static double logged;
		static size_t dropped;
		double now = util_now();

		dropped++;
		if (now - logged >= 60) {
			log_warn("events: dropped routing_key=%s reason=\"%s\" dropped=%zu",
			    m->routing_key, auth_verdict_name(m->auth), dropped);
			logged = now;
			dropped = 0;
		}
		return;
	}
	if (seq > 0 && seq <= ev->max_seq)
		return;		/* sent again by the outbox */
	if ((j = json_loadb(m->body, m->len, 0, NULL)) == NULL) {
		log_warn("events: not JSON routing_key=%s bytes=%zu: dropped", m->routing_key, m->len);
		return;
	}
	if (seq > 0)
		ev->max_seq = seq;
	it = &ev->ring[ev->next];
	item_clear(it);
	ev->next = (ev->next + 1) % EV_RING;
	if (ev->n < EV_RING)
		ev->n++;
	it->seq = seq;
	it->type = type;
	if (type == T_STATE) {
		const char *svc = json_string_value(json_object_get(j, "service"));

		it->host = xstrdup(json_string_value(json_object_get(j, "host")) != NULL ?
		    json_string_value(json_object_get(j, "host")) : "");
		it->service = xstrdup(svc != NULL ? svc : "");
	} else if (type == T_GROUP)
		it->group = xstrdup(json_string_value(json_object_get(j, "name")) != NULL ?
		    json_string_value(json_object_get(j, "name")) : "");
	else if (type == T_CHECKS) {
		it->live = json_integer_value(json_object_get(j, "live"));
		it->checks = json_incref(json_object_get(j, "checks"));
		if (!json_is_array(it->checks)) {
			json_decref(it->checks);
			it->checks = json_array();
		}
	}
	json_decref(j);
	/* the engine's event with its seq in front */
	if (seq > 0) {
		char *t = xasprintf("{\"seq\":%lld,%.*s", seq, (int)m->len - 1,
		    (const char *)m->body + 1);

		it->buf = ev_buf_new(t, strlen(t));
		free(t);
	} else
		it->buf = ev_buf_new(m->body, m->len);
	for (struct ev_client *c = ev->clients; c != NULL; c = c->next)
		send_item(c, it, 0);
}

/* The broker link is (again) up: a queue of our own, bound to every kind
 * of event. What was published while it was down never reached us: every
 * client reads a new snapshot. */
int
events_setup(struct mq *mq, struct web *w)
{
	static const struct mq_queue q = { .exclusive = 1, .auto_delete = 1 };
	static const char *const keys[] = { "state.#", "group.#", "notification.#", "worker.#",
		"checks" };
	struct events *ev = w->events;
	char x[256];

	topology_name(x, sizeof(x), w->d->cfg->prefix, "events");
	if (mq_declare_exchange_try(mq, x, "topic", NULL) < 0 ||
	    mq_declare_queue(mq, ev->queue, &q) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (mq_bind(mq, ev->queue, x, keys[i]) < 0)
			return -1;
	if (mq_consume(mq, ev->queue, 1000, on_event) < 0)
		return -1;
	ev->max_seq = 0;
	ev->unacked = 0;
	for (struct ev_client *c = ev->clients; c != NULL; c = c->next)
		if (c->authed)
			snapshot_start(c);
	return 0;
}

struct events *
events_new(struct web *w)
{
	struct events *ev = xcalloc(1, sizeof(*ev));
	char host[128] = "";

	ev->loop = w->d->loop;
	ev_timer_init(&ev->flush, ev_on_flush, 0., 0.);
	ev->flush.data = ev;
	ev->ping = w->d->cfg->http.ping;
	ev_timer_init(&ev->heartbeat, ev_on_heartbeat, 1., ev->ping >= 4 ? ev->ping / 4. : 1.);
	ev->heartbeat.data = ev;
	ev_timer_start(ev->loop, &ev->heartbeat);
	gethostname(host, sizeof(host) - 1);
	snprintf(ev->queue, sizeof(ev->queue), "%s.events.web.%s.%ld", w->d->cfg->prefix, host,
	    (long)getpid());
	return ev;
}

void
events_free(struct events *ev)
{
	if (ev == NULL)
		return;
	ev_timer_stop(ev->loop, &ev->flush);
	ev_timer_stop(ev->loop, &ev->heartbeat);
	for (size_t i = 0; i < EV_RING; i++)
		item_clear(&ev->ring[i]);
	free(ev);
}

/* ---- the websocket --------------------------------------------------------- */

/* Take a subscription (and its token). */
static void
subscribe(struct ev_client *c, const char *in, size_t len)
{
	json_t *j = json_loadb(in, len, 0, NULL), *v;
	const char *key, *tok;
	enum token_scope scope;
	struct strbuf g = { 0 };
	size_t i;

	if (j == NULL || !json_is_object(j)) {
		send_error(c, "bad subscription", "expected a JSON object");
		json_decref(j);
		return;
	}
	if ((tok = json_string_value(json_object_get(j, "token"))) != NULL) {
		if ((c->who = tokens_find(c->w->tokens, tok, &scope)) == NULL) {
			send_error(c, "unauthorized", "the token is not known");
			c->close_code = EV_CLOSE_AUTH;
			json_decref(j);
			return;
		}
		c->authed = 1;
	}
	if (!c->authed && !c->w->anonymous_read) {
		send_error(c, "unauthorized", "a token is needed: {\"token\": \"…\"}");
		c->close_code = EV_CLOSE_AUTH;
		json_decref(j);
		return;
	}
	c->authed = 1;
	client_clear_sub(c);
	c->types = T_ALL;
	json_object_foreach(j, key, v) {
		if (strcmp(key, "token") == 0)
			continue;
		if (strcmp(key, "types") == 0 && json_is_array(v)) {
			c->types = 0;
			for (i = 0; i < json_array_size(v); i++) {
				const char *t = json_string_value(json_array_get(v, i));
				int k = t == NULL ? 0 : strcmp(t, "state") == 0 ? T_STATE :
				    strcmp(t, "group") == 0 ? T_GROUP : strcmp(t, "notification") == 0 ?
				    T_NOTIFICATION : strcmp(t, "worker") == 0 ? T_WORKER :
				    strcmp(t, "checks") == 0 ? T_CHECKS : 0;

				if (k == 0)
					goto bad;
				c->types |= k;
			}
		} else if ((strcmp(key, "host") == 0 || strcmp(key, "service") == 0) &&
		    json_is_string(v) && json_string_length(v) <= API_GLOB_MAX)
			*(key[0] == 'h' ? &c->host : &c->service) = xstrdup(json_string_value(v));
		else if (strcmp(key, "groups") == 0 && json_is_array(v) && json_array_size(v) > 0) {
			strbuf_add(&g, "{", 1);
			for (i = 0; i < json_array_size(v); i++) {
				const char *name = json_string_value(json_array_get(v, i));

				if (name == NULL)
					goto bad;
				if (i > 0)
					strbuf_add(&g, ",", 1);
				strbuf_add(&g, "\"", 1);
				for (const char *p = name; *p != '\0'; p++) {
					if (*p == '"' || *p == '\\')
						strbuf_add(&g, "\\", 1);
					strbuf_add(&g, p, 1);
				}
				strbuf_add(&g, "\"", 1);
			}
			strbuf_add(&g, "}", 1);
			c->groups = g.s;
			g.s = NULL;
		} else
			goto bad;
	}
	json_decref(j);
	snapshot_start(c);
	return;
bad:
	{
		char d[256];

		snprintf(d, sizeof(d), "%.64s: expected types [state, group, notification, worker, "
		    "checks], "
		    "host or service (a glob) or groups [NAME, …]", key);
		send_error(c, "bad subscription", d);
	}
	strbuf_clear(&g);
	json_decref(j);
}

int
events_callback(struct lws *wsi, int reason, void *user, void *in, size_t len)
{
	struct ev_client *c = user;
	struct web *w = lws_context_user(lws_get_context(wsi));
	char uri[128];

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		memset(c, 0, sizeof(*c));
		if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0 ||
		    strcmp(uri, "/api/v1/events") != 0)
			return -1;
		c->w = w;
		c->wsi = wsi;
		ev_client_opened(c);
		c->next = w->events->clients;
		w->events->clients = c;
		return 0;
	case LWS_CALLBACK_RECEIVE_PONG:
		ev_client_heard(c);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		ev_client_heard(c);
		if (lws_is_first_fragment(wsi) && lws_is_final_fragment(wsi))
			subscribe(c, in, len);
		else
			send_error(c, "bad subscription", "one message, at most 4 KiB");
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return ev_client_writeable(c);
	case LWS_CALLBACK_CLOSED:
		for (struct ev_client **p = &w->events->clients; *p != NULL; p = &(*p)->next)
			if (*p == c) {
				*p = c->next;
				break;
			}
		if (c->snap != NULL)
			c->snap->c = NULL;	/* freed when it comes back */
		ev_client_closed(c);
		client_clear_sub(c);
		return 0;
	default:
		return 0;
	}
}

size_t events_pss_size = sizeof(struct ev_client);
