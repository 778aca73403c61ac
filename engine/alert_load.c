/*
 * NAME
 *	alert_load - at the engine's start: what the alerts left in
 *	PostgreSQL (open downtimes and their triggers, notifications held for
 *	a digest, the global runtime switches, the ids of recent commands)
 * DESCRIPTION
 *	Blocking libpq calls, before the loop runs (alert.h, alert_load()).
 */
#include "alert_private.h"

static const char alert_downtimes_sql[] =
	"SELECT d.id, h.name, c.service, extract(epoch FROM d.start_time),"
	" extract(epoch FROM d.end_time), d.fixed, d.duration_s, d.author, d.comment,"
	" extract(epoch FROM d.started_at), d.triggered_by"
	" FROM downtimes d JOIN checks c ON c.id = d.check_id JOIN hosts h ON h.id = c.host_id"
	" WHERE d.ended_at IS NULL ORDER BY d.created";

static const char alert_holds_sql[] =
	"SELECT x.contact, n.id, n.type, extract(epoch FROM n.time), n.number, n.state,"
	" n.output, h.name, c.service"
	" FROM notification_holds x JOIN notifications n ON n.id = x.notification_id"
	" LEFT JOIN checks c ON c.id = n.check_id LEFT JOIN hosts h ON h.id = c.host_id"
	" WHERE x.digest_id IS NULL ORDER BY n.time";

int
alert_load(struct alert *a, PGconn *pc, char *err, size_t errlen)
{
	PGresult *r = pg_query(pc, alert_downtimes_sql, 0, NULL, err, errlen);
	size_t held = 0, dts = 0;
	double now = util_now();

	if (r == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct check *c = check_table_find_name(a->checks, PQgetvalue(r, i, 1),
		    PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2));
		struct downtime *dt;

		if (c == NULL)
			continue;
		c->dts = xrealloc(c->dts, (c->ndts + 1) * sizeof(*c->dts));
		dt = &c->dts[c->ndts++];
		memset(dt, 0, sizeof(*dt));
		snprintf(dt->id, sizeof(dt->id), "%s", PQgetvalue(r, i, 0));
		dt->start = strtod(PQgetvalue(r, i, 3), NULL);
		dt->end = strtod(PQgetvalue(r, i, 4), NULL);
		dt->fixed = PQgetvalue(r, i, 5)[0] == 't';
		dt->duration = atoi(PQgetvalue(r, i, 6));
		dt->author = xstrdup(PQgetvalue(r, i, 7));
		dt->comment = xstrdup(PQgetvalue(r, i, 8));
		dt->started = PQgetisnull(r, i, 9) ? 0 : strtod(PQgetvalue(r, i, 9), NULL);
		if (!PQgetisnull(r, i, 10))
			snprintf(dt->triggered_by, sizeof(dt->triggered_by), "%s",
			    PQgetvalue(r, i, 10));
		if (dt->started > 0)
			c->dt_depth++;
		dts++;
	}
	PQclear(r);
	if ((r = pg_query(pc, alert_holds_sql, 0, NULL, err, errlen)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct storm *s = storm_find(a, PQgetvalue(r, i, 0));
		struct held *h;
		int is_host = PQgetisnull(r, i, 8);

		if (s == NULL)
			continue;
		xgrow((void **)&s->held, &s->capheld, s->nheld + 1, sizeof(*s->held));
		h = &s->held[s->nheld++];
		memset(h, 0, sizeof(*h));
		snprintf(h->notification, sizeof(h->notification), "%s", PQgetvalue(r, i, 1));
		memcpy(h->m.notification, h->notification, sizeof(h->notification));
		h->m.kind = xstrdup(PQgetvalue(r, i, 2));
		h->m.time = strtod(PQgetvalue(r, i, 3), NULL);
		h->m.number = atoi(PQgetvalue(r, i, 4));
		h->m.state = xstrdup(PQgetisnull(r, i, 5) ? "UNKNOWN" :
		    result_state_name(atoi(PQgetvalue(r, i, 5)), is_host));
		h->m.output = xstrdup(PQgetvalue(r, i, 6));
		h->m.host = xstrdup(PQgetisnull(r, i, 7) ? "?" : PQgetvalue(r, i, 7));
		h->m.service = is_host ? NULL : xstrdup(PQgetvalue(r, i, 8));
		h->m.host_address = xstrdup(h->m.host);
		h->m.host_alias = xstrdup(h->m.host);
		h->m.state_type = xstrdup("HARD");
		if (s->flush_at == 0)
			s->flush_at = now + a->cfg->notifier.storm_delay;
		held++;
	}
	PQclear(r);
	/* the global runtime switches that are off */
	if ((r = pg_query(pc, "SELECT what FROM global_switches", 0, NULL, err, errlen)) == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++)
		a->disabled |= msg_switch_parse(PQgetvalue(r, i, 0));
	PQclear(r);
	if (a->disabled != 0)
		log_info("runtime switches off for every check: %#x", a->disabled);
	r = pg_query(pc, "SELECT id FROM (SELECT id, time FROM command_log ORDER BY time DESC"
	    " LIMIT 1024) x ORDER BY time", 0, NULL, err, errlen);
	if (r == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++)
		command_remember(a, PQgetvalue(r, i, 0));
	PQclear(r);
	if (dts > 0 || held > 0)
		log_info("restored downtimes=%zu held_notifications=%zu", dts, held);
	return 0;
}
