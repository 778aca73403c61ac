/*
 * NAME
 *	eventh - event handlers
 * DESCRIPTION
 *	See eventh.h.
 */
#include "engine_private.h"
#include "eventh.h"
#include "macro.h"

#include <limits.h>

int
eventh_triggered(unsigned ev, int old_state, const struct state *st, int is_volatile)
{
	/* a new check is taken for OK: its first OK changes nothing */
	if (old_state == STATE_PENDING && st->state == STATUS_OK)
		return 0;
	if (ev & (STATE_EV_CHANGED | STATE_EV_HARD_CHANGE))
		return 1;
	if (st->state_type == STATE_SOFT && st->state > STATUS_OK)
		return 1;	/* every attempt of a soft problem */
	return is_volatile && (ev & STATE_EV_NOTIFY) != 0;
}

/* ---- the substitution ----------------------------------------------- */

struct eventh_place {
	size_t arg, off;
	long n;			/* a macro's id, or $USERn$'s n */
	long delta;		/* users: how far it moves */
};

/* "A:O:N;A:O:N" into *v; -1 when it does not parse. */
static int
eventh_places(const char *s, struct eventh_place **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	while (s != NULL && *s != '\0') {
		unsigned long long a, o;
		long k;
		char *end;

		a = strtoull(s, &end, 10);
		if (end == s || *end != ':')
			goto bad;
		s = end + 1;
		o = strtoull(s, &end, 10);
		if (end == s || *end != ':')
			goto bad;
		s = end + 1;
		k = strtol(s, &end, 10);
		if (end == s || (*end != ';' && *end != '\0') || k < 0)
			goto bad;
		s = *end == ';' ? end + 1 : end;
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[*n].arg = (size_t)a;
		(*v)[*n].off = (size_t)o;
		(*v)[*n].n = k;
		(*v)[*n].delta = 0;
		(*n)++;
	}
	return 0;
bad:
	free(*v);
	*v = NULL;
	*n = 0;
	return -1;
}

char **
eventh_argv(char *const *argv, size_t argc, const char *places, const char *users,
    const char *const *values, size_t nvalues, char **users_out)
{
	struct eventh_place *mp = NULL, *up = NULL;
	size_t nmp = 0, nup = 0;
	char **out = NULL;
	struct strbuf b = { 0 };

	if (users_out != NULL)
		*users_out = NULL;
	if (eventh_places(places, &mp, &nmp) < 0 || eventh_places(users, &up, &nup) < 0)
		goto fail;
	out = xcalloc(argc + 1, sizeof(*out));
	for (size_t a = 0; a < argc; a++) {
		const char *s = argv[a];
		size_t len = strlen(s), at = 0;

		b.len = 0;
		strbuf_adds(&b, "");
		/* the places of an argument come in the order of their
		 * offsets (argv.c writes them so) */
		for (size_t i = 0; i < nmp; i++) {
			const char *name, *val;
			size_t nl;

			if (mp[i].arg != a)
				continue;
			if (mp[i].n >= (long)nvalues || (name = macro_event_name((int)mp[i].n)) == NULL)
				goto fail;
			nl = strlen(name);
			if (mp[i].off < at || mp[i].off + nl + 2 > len || s[mp[i].off] != '$' ||
			    strncmp(s + mp[i].off + 1, name, nl) != 0 || s[mp[i].off + 1 + nl] != '$')
				goto fail;
			val = values[mp[i].n] != NULL ? values[mp[i].n] : "";
			strbuf_add(&b, s + at, mp[i].off - at);
			strbuf_adds(&b, val);
			at = mp[i].off + nl + 2;
			/* a $USERn$ after it moves by the difference */
			for (size_t k = 0; k < nup; k++)
				if (up[k].arg == a && up[k].off >= at)
					up[k].delta += (long)strlen(val) - (long)(nl + 2);
		}
		strbuf_add(&b, s + at, len - at);
		out[a] = xstrdup(b.s);
	}
	if (users != NULL && users_out != NULL) {
		struct strbuf u = { 0 };

		strbuf_adds(&u, "");
		for (size_t k = 0; k < nup; k++)
			strbuf_printf(&u, "%s%zu:%ld:%ld", k > 0 ? ";" : "", up[k].arg,
			    (long)up[k].off + up[k].delta, up[k].n);
		*users_out = u.s;
	}
	free(b.s);
	free(mp);
	free(up);
	return out;
fail:
	if (out != NULL) {
		for (size_t a = 0; a < argc; a++)
			free(out[a]);
		free(out);
	}
	free(b.s);
	free(mp);
	free(up);
	return NULL;
}

/* ---- running one ------------------------------------------------------ */

/* The values of the runtime macros for c, just changed from old_state. */
static void
eventh_values(const struct check *c, int old_state, double now, char num[][24],
    const char *v[MACRO_EV_N])
{
	const struct check *h = check_is_host(c) ? c : c->host_check;
	int is_host = check_is_host(c);

	memset(v, 0, MACRO_EV_N * sizeof(*v));
	if (!is_host) {
		v[MACRO_EV_SERVICESTATE] = result_state_name(c->st.state, 0);
		snprintf(num[0], 24, "%d", c->st.state);
		v[MACRO_EV_SERVICESTATEID] = num[0];
		v[MACRO_EV_SERVICESTATETYPE] = c->st.state_type == STATE_HARD ? "HARD" : "SOFT";
		snprintf(num[1], 24, "%d", c->st.attempt);
		v[MACRO_EV_SERVICEATTEMPT] = num[1];
		snprintf(num[2], 24, "%d", c->max_attempts);
		v[MACRO_EV_MAXSERVICEATTEMPTS] = num[2];
		v[MACRO_EV_SERVICEOUTPUT] = c->output != NULL ? c->output : "";
		v[MACRO_EV_LASTSERVICESTATE] = result_state_name(old_state >= 0 ? old_state : 0, 0);
		snprintf(num[3], 24, "%d", old_state >= 0 ? old_state : 0);
		v[MACRO_EV_LASTSERVICESTATEID] = num[3];
	} else {
		v[MACRO_EV_LASTHOSTSTATE] = result_state_name(old_state >= 0 ? old_state : 0, 1);
		snprintf(num[3], 24, "%d", old_state >= 0 ? old_state : 0);
		v[MACRO_EV_LASTHOSTSTATEID] = num[3];
	}
	/* a service's host: its host check's state now (UP without one) */
	{
		int hs = h != NULL && h->st.state >= 0 ? h->st.state : 0;

		v[MACRO_EV_HOSTSTATE] = result_state_name(hs, 1);
		snprintf(num[4], 24, "%d", hs);
		v[MACRO_EV_HOSTSTATEID] = num[4];
		v[MACRO_EV_HOSTSTATETYPE] = h == NULL || h->st.state_type == STATE_HARD ?
		    "HARD" : "SOFT";
		snprintf(num[5], 24, "%d", h != NULL ? h->st.attempt : 1);
		v[MACRO_EV_HOSTATTEMPT] = num[5];
		snprintf(num[6], 24, "%d", h != NULL ? h->max_attempts : 1);
		v[MACRO_EV_MAXHOSTATTEMPTS] = num[6];
		v[MACRO_EV_HOSTOUTPUT] = h != NULL && h->output != NULL ? h->output : "";
	}
	snprintf(num[7], 24, "%lld", (long long)now);
	v[MACRO_EV_TIMET] = num[7];
}

void
eventh_run(struct engine *e, struct check *c, int old_state, unsigned ev, double now)
{
	const struct cfg_check *cc = c->cc;
	char num[8][24], id[UTIL_ID_LEN + 1], rk[300], expiration[32], *users = NULL, *body;
	const char *v[MACRO_EV_N], *pool = c->nlocs > 0 ? c->locs[0].pool : c->pool;
	struct mq_publish p = { 0 };
	struct job j;
	char **argv;
	size_t len;
	int ttl;

	if (cc == NULL || cc->eh_argv == NULL || !eventh_triggered(ev, old_state, &c->st,
	    c->is_volatile))
		return;
	if (!cc->event_handler_enabled ||
	    (alert_disabled(&e->alert, c) & SWITCH_EVENT_HANDLERS)) {
		log_debug("event handler not run host=%s service=%s: disabled", c->host,
		    c->service != NULL ? c->service : "-");
		return;
	}
	if (!cc->event_handler_in_downtime && alert_in_downtime(c)) {
		log_info("event handler not run host=%s service=%s: in downtime"
		    " (event_handler_in_downtime: false)", c->host,
		    c->service != NULL ? c->service : "-");
		return;
	}
	eventh_values(c, old_state, now, num, v);
	argv = eventh_argv(cc->eh_argv, cc->eh_argc, cc->eh_macros, cc->eh_users, v,
	    MACRO_EV_N, &users);
	if (argv == NULL) {
		log_error("event handler not run host=%s service=%s: its macro places do not"
		    " match its command (a bug: report it)", c->host,
		    c->service != NULL ? c->service : "-");
		return;
	}
	jobid_new_kind(e, JOBID_EVENT_HANDLER, c->id, now, id);
	memset(&j, 0, sizeof(j));
	memcpy(j.id, id, sizeof(j.id));
	j.kind = MSG_JOB_EVENT_HANDLER;
	j.check_id = c->id;
	j.host = c->host;
	j.service = c->service;
	j.pool = (char *)pool;
	j.argv = argv;
	j.argc = cc->eh_argc;
	j.users = users;
	j.timeout = cc->eh_timeout;
	j.timeout_state = STATUS_UNKNOWN;
	j.scheduled = now;
	/* A handler is for now: one no worker takes within a few minutes
	 * comes back as a verdict (jobs.dead) rather than run late. */
	ttl = cc->eh_timeout + ENGINE_EVENTH_WAIT;
	j.deadline = now + ttl;
	body = msg_job_encode(&j, &len);
	snprintf(rk, sizeof(rk), "%s.%lld", pool, (long long)c->id);
	snprintf(expiration, sizeof(expiration), "%lld", (long long)ttl * 1000);
	p.expiration_ms = expiration;
	p.message_id = id;
	if (mq_publish(e->mq, e->x_jobs, rk, body, len, &p, NULL) < 0) {
		log_warn("event handler not sent host=%s service=%s pool=%s: the broker is"
		    " not reachable", c->host, c->service != NULL ? c->service : "-", pool);
		rows_handler(&e->batch.handlers, c, id, pool, now);
		rows_handler_end(&e->batch.handler_ends, id, STATUS_UNKNOWN, -1, "(not sent: the broker was not"
		    " reachable)", NULL, now, now, 0);
	} else {
		e->metrics.event_handlers++;
		log_info("event handler sent host=%s service=%s pool=%s command=%s state=%s"
		    " type=%s attempt=%d job=%s", c->host, c->service != NULL ? c->service : "-",
		    pool, cc->event_handler, result_state_name(c->st.state, check_is_host(c)),
		    c->st.state_type == STATE_HARD ? "HARD" : "SOFT", c->st.attempt, id);
		rows_handler(&e->batch.handlers, c, id, pool, now);
	}
	free(body);
	for (size_t i = 0; i < cc->eh_argc; i++)
		free(argv[i]);
	free(argv);
	free(users);
}

int
eventh_outcome(struct engine *e, struct check *c, const struct result_msg *r, char *err,
    size_t errlen)
{
	if (!jobid_valid_kind(e, JOBID_EVENT_HANDLER, r->job, c->id, r->scheduled)) {
		snprintf(err, errlen, "event handler job id not issued by the engine for this"
		    " check and time");
		return -1;
	}
	log_info("event handler ran host=%s service=%s pool=%s worker=%s exit_code=%d%s"
	    " job=%s", c->host, c->service != NULL ? c->service : "-",
	    r->pool != NULL ? r->pool : "-", r->worker != NULL ? r->worker : "-", r->exit_code,
	    r->timed_out ? " timed_out" : "", r->job);
	/* its text as it printed it, less the trailing newlines */
	{
		char *out = xstrdup(r->output != NULL ? r->output : "");
		size_t n = strlen(out);

		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
			out[--n] = '\0';
		rows_handler_end(&e->batch.handler_ends, r->job, r->status, r->exit_code, out, r->worker, r->start,
		    r->end, r->timed_out);
		free(out);
	}
	batch_flush_start(e);
	return 0;
}

void
eventh_verdict(struct engine *e, struct check *c, const struct job *j, const char *text)
{
	double now = util_now();

	log_warn("event handler not run host=%s service=%s pool=%s reason=\"%s\"", c->host,
	    c->service != NULL ? c->service : "-", j->pool, text);
	rows_handler_end(&e->batch.handler_ends, j->id, STATUS_UNKNOWN, -1, text, NULL, now, now, 0);
	batch_flush_start(e);
}
