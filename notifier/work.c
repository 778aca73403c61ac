/*
 * NAME
 *	work - a delivery's blocking phases, on a thread of the pool
 * DESCRIPTION
 *	Each thread has its own PostgreSQL connection and curl handle
 *	(work_init). work_run() does one phase of a delivery: DV_CLAIM (the
 *	ledger's claim, then the send for email, Slack and webhooks),
 *	DV_RECORD and DV_RECORD_FAILED (the outcome in the ledger). The
 *	delivery then goes back to the loop (notifier.c, dv_done).
 * SECURITY
 *	The SMTP password and the Slack URL come from the environment; never
 *	logged.
 */
#include "notifier_private.h"

/* ---- the ledger's target ---------------------------------------------- */

static int
str_differs(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a != b : strcmp(a, b) != 0;
}

/* A row queued before migration 014 kept no target: its address is the
 * whole email address or Slack channel, a webhook URL's scheme and host. */
static int
target_legacy(struct notification_msg *n, const struct ledger_row *row, const char *url,
    char **to, char *err, size_t errlen)
{
	size_t alen = strlen(row->address);

	if (strcmp(row->channel, "webhook") == 0) {
		if (url != NULL && alen > 0 && strncmp(url, row->address, alen) == 0 &&
		    (url[alen] == '\0' || url[alen] == '/')) {
			*to = xstrdup(url);
			return 0;
		}
		util_errf(err, errlen, "the ledger row predates delivery targets and its webhook "
		    "%s is not the message's: not sent", row->address);
		return -1;
	}
	if (strcmp(row->channel, "command") == 0) {
		util_errf(err, errlen, "the ledger row predates delivery targets: a command is run "
		    "only from its row, not from a message");
		return -1;
	}
	*to = xstrdup(row->address);
	return 0;
}

/* A field of a command's target: a string, or absent/null. */
static int
target_string(json_t *j, const char *key, const char **v)
{
	json_t *f = json_object_get(j, key);

	*v = json_string_value(f);
	return f == NULL || json_is_null(f) || *v != NULL ? 0 : -1;
}

/* The contact's facts a command's macros take, from its row: they name
 * whom the command pages. */
static int
command_contact(struct notification_msg *n, json_t *j, int *differs, char *err, size_t errlen)
{
	const char *email, *slack, *webhook, *k;
	json_t *vars = json_object_get(j, "vars"), *v;
	size_t i = 0;

	if (target_string(j, "email", &email) < 0 || target_string(j, "slack", &slack) < 0 ||
	    target_string(j, "webhook", &webhook) < 0 || (vars != NULL && !json_is_object(vars))) {
		util_errf(err, errlen, "the ledger row's command target is malformed");
		return -1;
	}
	json_object_foreach(vars, k, v)
		if (!json_is_string(v)) {
			util_errf(err, errlen, "the ledger row's command target is malformed");
			return -1;
		}
	if (str_differs(n->email, email) || str_differs(n->slack, slack) ||
	    str_differs(n->webhook, webhook) || n->nvars != json_object_size(vars))
		*differs = 1;
	for (i = 0; i < n->nvars; i++)
		if (str_differs(n->vars[i].value,
		    json_string_value(json_object_get(vars, n->vars[i].name))))
			*differs = 1;
	free(n->email);
	free(n->slack);
	free(n->webhook);
	n->email = email != NULL ? xstrdup(email) : NULL;
	n->slack = slack != NULL ? xstrdup(slack) : NULL;
	n->webhook = webhook != NULL ? xstrdup(webhook) : NULL;
	for (i = 0; i < n->nvars; i++) {
		free(n->vars[i].name);
		free(n->vars[i].value);
	}
	free(n->vars);
	n->nvars = json_object_size(vars);
	n->vars = n->nvars > 0 ? xcalloc(n->nvars, sizeof(*n->vars)) : NULL;
	i = 0;
	json_object_foreach(vars, k, v) {
		n->vars[i].name = xstrdup(k);
		n->vars[i].value = xstrdup(json_string_value(v));
		i++;
	}
	return 0;
}

int
work_target(struct notification_msg *n, const struct ledger_row *row, int *differs,
    char *err, size_t errlen)
{
	const char *had = strcmp(row->channel, "email") == 0 ? n->email :
	    strcmp(row->channel, "slack") == 0 ? n->slack :
	    strcmp(row->channel, "webhook") == 0 ? n->webhook : NULL;
	char *to = NULL, **argv = NULL;
	size_t argc = 0, i;
	json_t *j = NULL;
	int rc = -1;

	*differs = str_differs(n->channel, row->channel) || str_differs(n->contact, row->contact);
	if (row->target == NULL) {
		if (target_legacy(n, row, n->webhook, &to, err, errlen) < 0)
			return -1;
	} else if ((j = json_loads(row->target, JSON_DECODE_ANY, NULL)) == NULL) {
		util_errf(err, errlen, "the ledger row's target is not JSON");
		return -1;
	} else if (strcmp(row->channel, "command") == 0) {
		json_t *av = json_object_get(j, "argv");

		if (!json_is_array(av) || json_array_size(av) == 0) {
			util_errf(err, errlen, "contact %s has no notification command", row->contact);
			goto out;
		}
		if (command_contact(n, j, differs, err, errlen) < 0)
			goto out;
		argc = json_array_size(av);
		argv = xcalloc(argc + 1, sizeof(*argv));
		for (i = 0; i < argc; i++) {
			const char *a = json_string_value(json_array_get(av, i));

			if (a == NULL) {
				util_errf(err, errlen, "the ledger row's command holds a non-string");
				goto out;
			}
			argv[i] = xstrdup(a);
		}
		if (n->command == NULL || n->ncommand != argc)
			*differs = 1;
		for (i = 0; !*differs && i < argc; i++)
			*differs = strcmp(n->command[i], argv[i]) != 0;
	} else if (!json_is_string(j)) {
		util_errf(err, errlen, "the ledger row's %s target is not a string", row->channel);
		goto out;
	} else
		to = xstrdup(json_string_value(j));
	if (to != NULL && str_differs(had, to))
		*differs = 1;

	/* The row's channel, contact and target. The message's other
	 * addresses only fill the text of an email, Slack post or webhook
	 * ($CONTACTSLACK$ in an email template); a command has none but the
	 * row's (command_contact). */
	free(n->channel);
	n->channel = xstrdup(row->channel);
	free(n->contact);
	n->contact = xstrdup(row->contact);
	for (i = 0; n->command != NULL && i < n->ncommand; i++)
		free(n->command[i]);
	free(n->command);
	n->command = NULL;
	n->ncommand = 0;
	if (strcmp(row->channel, "email") == 0) {
		free(n->email);
		n->email = to;
	} else if (strcmp(row->channel, "slack") == 0) {
		free(n->slack);
		n->slack = to;
	} else if (strcmp(row->channel, "webhook") == 0) {
		free(n->webhook);
		n->webhook = to;
	} else {
		n->command = argv;
		n->ncommand = argc;
		argv = NULL;
	}
	to = NULL;
	rc = 0;
out:
	if (argv != NULL) {
		for (i = 0; i < argc; i++)
			free(argv[i]);
		free(argv);
	}
	free(to);
	json_decref(j);
	return rc;
}

/* ---- on a delivery thread -------------------------------------------- */

void *
work_init(void *arg)
{
	struct nthread *t = xcalloc(1, sizeof(*t));

	t->curl = curl_easy_init();
	if (t->curl == NULL)
		log_fatal("curl_easy_init failed");
	return t;
}

void
work_fini(void *tctx, void *arg)
{
	struct nthread *t = tctx;

	if (t->pg != NULL)
		PQfinish(t->pg);
	curl_easy_cleanup(t->curl);
	free(t);
}

/* This thread's connection, (re)opened when needed. */
static PGconn *
nthread_pg(struct notifier *nf, struct nthread *t, char *err, size_t errlen)
{
	char sql[64];

	if (t->pg != NULL && PQstatus(t->pg) == CONNECTION_OK)
		return t->pg;
	if (t->pg != NULL)
		PQfinish(t->pg);
	t->pg = pg_connect(nf->cfg->pg_conninfo, nf->cfg->prefix, err, errlen);
	/* Our statements are tiny: one stuck behind a lock should not hold a
	 * thread for the two minutes pg_connect() allows. */
	snprintf(sql, sizeof(sql), "SET statement_timeout TO %d", NF_STATEMENT * 1000);
	if (t->pg != NULL && pg_exec(t->pg, sql, err, errlen) < 0) {
		PQfinish(t->pg);
		t->pg = NULL;
	}
	return t->pg;
}

/* A failed statement: the connection may be gone; start afresh next time. */
static void
nthread_pg_failed(struct nthread *t)
{
	if (t->pg != NULL && PQstatus(t->pg) != CONNECTION_OK) {
		PQfinish(t->pg);
		t->pg = NULL;
	}
}

static void __attribute__((format(printf, 3, 4)))
dv_fail(struct delivery *d, int permanent, const char *fmt, ...)
{
	va_list ap;

	d->ok = 0;
	d->permanent = permanent;
	va_start(ap, fmt);
	vsnprintf(d->error, sizeof(d->error), fmt, ap);
	va_end(ap);
}

/* Email, Slack or a webhook: blocking, on the thread's curl handle. */
static void
dv_send(struct delivery *d, struct nthread *t)
{
	struct notifier *nf = d->nf;
	const struct notification_msg *n = &d->n;
	int timeout = nf->cfg->notifier.timeout;
	char *body;
	size_t len;

	d->ok = 0;
	if (strcmp(n->channel, "email") == 0) {
		if (n->email == NULL || *n->email == '\0' || strpbrk(n->email, "\r\n<>") != NULL) {
			dv_fail(d, 1, "contact %s has no usable email address", n->contact);
			return;
		}
		body = render_email(n, nf->cfg, util_now(), &len);
		d->ok = smtp_send(t->curl, nf->cfg, nf->smtp_password, n->email, body, len, timeout,
		    d->error, sizeof(d->error)) == 0;
	} else if (strcmp(n->channel, "slack") == 0) {
		if (n->slack == NULL || *n->slack == '\0') {
			dv_fail(d, 1, "contact %s has no Slack channel", n->contact);
			return;
		}
		if (nf->slack_url == NULL) {
			/* The admin can set it and restart within the retries. */
			dv_fail(d, 0, "no Slack webhook URL: set the environment variable %s",
			    nf->cfg->notifier.slack_webhook_url_env);
			return;
		}
		body = render_slack(n, nf->cfg, &len);
		d->ok = http_post_json(t->curl, nf->slack_url, body, len, timeout, d->error,
		    sizeof(d->error)) == 0;
	} else {
		if (n->webhook == NULL || *n->webhook == '\0') {
			dv_fail(d, 1, "contact %s has no webhook URL", n->contact);
			return;
		}
		body = render_webhook(n, nf->cfg, &len);
		d->ok = http_post_json(t->curl, n->webhook, body, len, timeout, d->error,
		    sizeof(d->error)) == 0;
	}
	free(body);
	if (d->ok)
		d->error[0] = '\0';
}

enum dv_verdict
work_verdict(enum ledger_claim claim, int sent, int permanent, int attempt,
    int max_attempts, int rc)
{
	if (rc < 0)
		return V_AGAIN;		/* same phase after a pause */
	/* Taken over: the notifier that claimed it since holds a copy of the
	 * message and the row; ours is acked, whatever our verdict was. */
	if (rc > 0)
		return V_ACK;
	switch (claim) {
	case LEDGER_DB_ERROR:
	case LEDGER_BUSY:
		return V_REQUEUE;
	case LEDGER_MISSING:
		return V_PARK;
	case LEDGER_DONE:
		return V_ACK;
	case LEDGER_CLAIMED:
		break;
	}
	if (sent)
		return V_ACK;
	return permanent || attempt >= max_attempts ? V_GIVE_UP : V_RETRY;
}

/* After an outcome statement (rc as ledger_sent()'s): its side effects. */
static void
dv_recorded(struct delivery *d, int rc, struct nthread *t)
{
	if (rc < 0) {
		nthread_pg_failed(t);
		d->db_error = 1;
	} else if (rc > 0)
		d->lost = 1;
}

/* Record the attempt's outcome and say what the loop does next. */
static void
dv_record(struct delivery *d, PGconn *pg, struct nthread *t)
{
	struct notifier *nf = d->nf;
	int rc;

	if (d->ok)
		rc = ledger_sent(pg, d->n.id, nf->identity, d->claim, d->dberr, sizeof(d->dberr));
	else
		/* Retrying also while the copy goes to notify.failed: a
		 * 'sending' row would look busy to a redelivery meanwhile. */
		rc = ledger_retrying(pg, d->n.id, nf->identity, d->claim, d->error, d->dberr,
		    sizeof(d->dberr));
	d->verdict = work_verdict(LEDGER_CLAIMED, d->ok, d->permanent, d->attempt,
	    nf->cfg->notifier.retry_attempts, rc);
	dv_recorded(d, rc, t);
}

static void
dv_claim(struct delivery *d, PGconn *pg, struct nthread *t)
{
	struct notifier *nf = d->nf;
	enum ledger_claim claim;
	struct ledger_row row;
	int attempts = 0, differs = 0;

	memset(&row, 0, sizeof(row));
	claim = ledger_claim(pg, d->n.id, nf->identity, nf_stale(nf), &attempts, d->done_status,
	    &row, d->dberr, sizeof(d->dberr));
	switch (claim) {
	case LEDGER_DB_ERROR:
		nthread_pg_failed(t);
		d->db_error = 1;
		break;
	case LEDGER_MISSING:
		snprintf(d->error, sizeof(d->error), "no delivery %s in notification_deliveries",
		    d->n.id);
		break;
	case LEDGER_DONE:
		d->was_done = 1;
		break;
	case LEDGER_BUSY:
		snprintf(d->error, sizeof(d->error), "another notifier is sending it");
		break;
	case LEDGER_CLAIMED:
		break;
	}
	if (claim != LEDGER_CLAIMED) {
		d->verdict = work_verdict(claim, 0, 0, 0, 0, 0);
		return;
	}
	/* The claims count every attempt, also those whose message came back
	 * without the retry queue (a lost connection, a notifier that died):
	 * x-death alone would let those retry without end. */
	d->claim = attempts;
	if (attempts > d->attempt)
		d->attempt = attempts;
	if (work_target(&d->n, &row, &differs, d->error, sizeof(d->error)) < 0) {
		ledger_row_clear(&row);
		d->ok = 0;
		d->permanent = 1;
		dv_record(d, pg, t);
		return;
	}
	if (differs)
		log_warn("delivery %s: its message names another channel, contact or target than "
		    "its ledger row: sent to the ledger's (channel=%s contact=%s)", d->n.id,
		    row.channel, row.contact);
	ledger_row_clear(&row);
	if (d->attempt > nf->cfg->notifier.retry_attempts) {
		dv_fail(d, 1, "attempt %d exceeds notifier.retry.attempts (%d): not sent again",
		    d->attempt, nf->cfg->notifier.retry_attempts);
		dv_record(d, pg, t);
		return;
	}
	if (strcmp(d->n.channel, "command") == 0) {
		if (render_command(&d->n, nf->cfg, environ, &d->argv, &d->envp, d->error,
		    sizeof(d->error)) == 0) {
			d->verdict = V_RUN;
			return;
		}
		d->ok = 0;
		d->permanent = 1;
	} else
		dv_send(d, t);
	dv_record(d, pg, t);
}

void
work_run(void *item, void *tctx, void *arg)
{
	struct delivery *d = item;
	struct nthread *t = tctx;
	PGconn *pg;

	d->db_error = 0;
	if ((pg = nthread_pg(d->nf, t, d->dberr, sizeof(d->dberr))) == NULL) {
		d->db_error = 1;
		d->verdict = d->phase == DV_CLAIM ? V_REQUEUE : V_AGAIN;
		return;
	}
	switch (d->phase) {
	case DV_CLAIM:
		dv_claim(d, pg, t);
		break;
	case DV_RECORD:
		dv_record(d, pg, t);
		break;
	case DV_RECORD_FAILED: {
		int rc = ledger_failed(pg, d->n.id, d->nf->identity, d->claim, d->error,
		    d->dberr, sizeof(d->dberr));

		/* recorded as done ('failed'): acked, as a claim finding it so */
		d->verdict = work_verdict(LEDGER_DONE, 0, 0, 0, 0, rc);
		dv_recorded(d, rc, t);
		break;
	}
	default:
		log_panic("delivery %s on a thread in phase %s", d->n.id, dv_phase_name[d->phase]);
	}
}
