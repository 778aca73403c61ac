/*
 * NAME
 *	downtime - scheduled downtimes of a check: rows, start, end
 * DESCRIPTION
 *	A fixed downtime runs from its start to its end; a flexible one starts
 *	with the first problem inside its window and lasts its duration. A
 *	triggered one (triggered_by) starts only when its trigger starts, and
 *	then lasts to its end (fixed) or its duration (flexible).
 *	Starting and ending one notifies (DOWNTIMESTART/END/CANCELLED) and
 *	writes its row for the open batch; downtime_tick() does both as time
 *	passes.
 */
#include "alert_private.h"

/* ---- downtimes ------------------------------------------------------ */

void
downtime_row(struct alert *a, const char *op, const struct check *c, const struct downtime *dt,
    double t, int cancelled)
{
	struct strbuf *b = alert_item(&a->downtimes);

	strbuf_adds(b, "{\"op\":");
	jsonw_string(b, op);
	strbuf_adds(b, ",\"id\":");
	jsonw_string(b, dt->id);
	if (strcmp(op, "add") == 0) {
		strbuf_adds(b, ",\"check_id\":");
		jsonw_int(b, c->id);
		strbuf_adds(b, ",\"start\":");
		jsonw_real(b, dt->start);
		strbuf_adds(b, ",\"end\":");
		jsonw_real(b, dt->end);
		strbuf_adds(b, ",\"fixed\":");
		jsonw_bool(b, dt->fixed);
		strbuf_adds(b, ",\"duration\":");
		jsonw_int(b, dt->duration);
		strbuf_adds(b, ",\"author\":");
		jsonw_string(b, dt->author);
		strbuf_adds(b, ",\"comment\":");
		jsonw_string(b, dt->comment);
		strbuf_adds(b, ",\"triggered_by\":");
		jsonw_string(b, dt->triggered_by[0] != '\0' ? dt->triggered_by : NULL);
	} else {
		strbuf_adds(b, ",\"t\":");
		jsonw_real(b, t);
		strbuf_adds(b, ",\"cancelled\":");
		jsonw_bool(b, cancelled);
	}
	strbuf_add(b, "}", 1);
}

void
downtime_start(struct alert *a, struct check *c, struct downtime *dt, double now)
{
	char id[UTIL_ID_LEN + 1];

	dt->started = now;
	c->dt_depth++;
	downtime_row(a, "start", c, dt, now, 0);
	log_info("downtime started id=%s host=%s service=%s depth=%d%s%s", dt->id, c->host,
	    alert_check_name(c), c->dt_depth, dt->triggered_by[0] != '\0' ? " triggered_by=" : "",
	    dt->triggered_by);
	a->touch(a->arg, c);
	memcpy(id, dt->id, sizeof(id));	/* dt may move as others start */
	if (c->dt_depth == 1)	/* downtimes nest: the first one says so */
		alert_decide(a, c, NOTIFY_DOWNTIMESTART, c->st.state, NULL, NULL, dt->author,
		    dt->comment, now);
	/* the downtimes it triggers start with it (and those they trigger) */
	for (size_t k = 0; k < a->checks->n; k++) {
		struct check *o = a->checks->v[k];

		for (size_t i = 0; i < o->ndts; i++)
			if (o->dts[i].started == 0 && strcmp(o->dts[i].triggered_by, id) == 0 &&
			    now < o->dts[i].end)
				downtime_start(a, o, &o->dts[i], now);
	}
}

/* End (or cancel) downtime i of c and remove it. */
void
downtime_end(struct alert *a, struct check *c, size_t i, double now, int cancelled)
{
	struct downtime dt = c->dts[i];

	c->dts[i] = c->dts[--c->ndts];
	downtime_row(a, "end", c, &dt, now, cancelled);
	if (dt.started > 0) {
		c->dt_depth--;
		log_info("downtime %s id=%s host=%s service=%s depth=%d",
		    cancelled ? "cancelled" : "ended", dt.id, c->host, alert_check_name(c), c->dt_depth);
		a->touch(a->arg, c);
		if (c->dt_depth == 0)	/* the last one to end says so */
			alert_decide(a, c, cancelled ? NOTIFY_DOWNTIMECANCELLED : NOTIFY_DOWNTIMEEND,
			    c->st.state, NULL, NULL, dt.author, dt.comment, now);
	} else
		log_info("downtime %s before it started id=%s host=%s service=%s",
		    cancelled ? "cancelled" : "expired", dt.id, c->host, alert_check_name(c));
	free(dt.author);
	free(dt.comment);
}

void
downtime_tick(struct alert *a, struct check *c, double now)
{
	for (size_t i = 0; i < c->ndts;) {
		struct downtime *dt = &c->dts[i];
		double ends = dt->fixed ? dt->end : dt->started + dt->duration;

		if (dt->started > 0 && now >= ends) {
			downtime_end(a, c, i, now, 0);
			continue;	/* the last one moved to i */
		}
		if (dt->started == 0 && now >= dt->end) {
			downtime_end(a, c, i, now, 0);	/* flexible, never triggered */
			continue;
		}
		/* a triggered one starts only with its trigger */
		if (dt->started == 0 && dt->fixed && now >= dt->start && dt->triggered_by[0] == '\0')
			downtime_start(a, c, dt, now);
		i++;
	}
}
