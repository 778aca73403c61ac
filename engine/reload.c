/*
 * NAME
 *	reload - a new configuration swapped in without losing state
 * DESCRIPTION
 *	reload_start() loads the config again, on a thread of its own: the
 *	loop goes on meanwhile (a huge or hostile file costs that thread's
 *	time, never the loop's; its depth is bounded by the loader). Requests
 *	that come while one is parsed or applied are coalesced into one more
 *	reload after it (the latest request's command gets its verdict; a
 *	request it replaced is told so at once). Invalid, every error is
 *	logged and the running config stays. Valid: deliveries and the
 *	scheduler pause, the open batch goes, and the database thread syncs
 *	the new config after every batch before it; reload_done() swaps the
 *	check table, carrying each kept check's state, schedule and alerts
 *	over.
 */
#include "engine_private.h"

#include <pthread.h>

/* What the parsing thread works on; the loop reads it after the async. */
struct reload_parse {
	struct engine *e;
	char *path;
	struct config *cfg;
	int rc;
	pthread_t thread;
};

/* Tell presence which pools the active checks use (passive-only checks
 * need no worker). */
void
reload_count_pool_checks(struct engine *e)
{
	const char **pools = xcalloc(e->checks.n + 1, sizeof(*pools));
	size_t n = 0;

	for (size_t i = 0; i < e->checks.n; i++)
		if (e->checks.v[i]->active)
			pools[n++] = e->checks.v[i]->pool;
	presence_set_checks(&e->presence, pools, n, util_now());
	intake_presence_events(e);
	free(pools);
}

/* Load the config again. Invalid: every error logged, the running config
 * stays. Valid: deliveries and the scheduler pause, the open batch goes,
 * and the database thread syncs the new config after every batch before
 * it (so it sees every state this engine applied); reload_done() swaps. */
/* The verdict on the reload command being run (none for SIGHUP) for the
 * command log, and the next batch. */
static void
reload_verdict(struct engine *e, const struct command_msg *cmd, int ok, const char *msg)
{
	if (cmd == NULL || cmd->id[0] == '\0')
		return;
	alert_command_log(&e->alert, cmd->id, cmd, ok, msg);
	batch_flush_start(e);
}

/* Keep cmd's id, author and source in *to (which is cleared first). */
static void
reload_keep_cmd(struct command_msg *to, const struct command_msg *cmd)
{
	msg_command_clear(to);
	if (cmd == NULL || cmd->id[0] == '\0')
		return;
	memcpy(to->id, cmd->id, sizeof(to->id));
	to->kind = COMMAND_RELOAD;
	to->author = cmd->author != NULL ? xstrdup(cmd->author) : NULL;
	to->source = cmd->source != NULL ? xstrdup(cmd->source) : NULL;
}

static void *
reload_parse_main(void *arg)
{
	struct reload_parse *p = arg;

	p->cfg = config_new();
	p->rc = config_load(p->cfg, p->path, 0);
	ev_async_send(p->e->loop, &p->e->reload_async);
	return NULL;
}

static void reload_parsed(struct engine *e, struct config *ncfg, int rc);

/* The parse is over: on the loop. */
void
reload_async_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct engine *e = w->data;
	struct reload_parse *p = e->parse;

	(void)loop;
	(void)revents;
	if (p == NULL)
		return;
	pthread_join(p->thread, NULL);
	e->parse = NULL;
	reload_parsed(e, p->cfg, p->rc);
	free(p->path);
	free(p);
}

/* Stop waiting for a parse (the engine stops): join it, drop what it made. */
void
reload_abandon(struct engine *e)
{
	struct reload_parse *p = e->parse;

	msg_command_clear(&e->parse_cmd);
	msg_command_clear(&e->reload_next_cmd);
	if (p == NULL)
		return;
	pthread_join(p->thread, NULL);
	config_free(p->cfg);
	free(p->path);
	free(p);
	e->parse = NULL;
}

/* A reload asked for while none is parsed or applied. */
static void
reload_begin(struct engine *e, const char *why, const struct command_msg *cmd)
{
	struct reload_parse *p = xcalloc(1, sizeof(*p));

	p->e = e;
	p->path = xstrdup(e->config_path);
	e->parse_why = why;
	reload_keep_cmd(&e->parse_cmd, cmd);
	e->parse = p;
	if (pthread_create(&p->thread, NULL, reload_parse_main, p) != 0) {
		/* No thread to be had: parse here, as before there were any. */
		e->parse = NULL;
		p->cfg = config_new();
		p->rc = config_load(p->cfg, p->path, 0);
		reload_parsed(e, p->cfg, p->rc);
		free(p->path);
		free(p);
	}
}

/* After a reload ends (parsed invalid, or applied): the next one asked
 * for meanwhile, if any. */
static void
reload_next(struct engine *e)
{
	struct command_msg cmd;

	if (!e->reload_again || e->parse != NULL || e->reloading)
		return;
	e->reload_again = 0;
	cmd = e->reload_next_cmd;
	memset(&e->reload_next_cmd, 0, sizeof(e->reload_next_cmd));
	reload_begin(e, e->reload_next_why, cmd.id[0] != '\0' ? &cmd : NULL);
	msg_command_clear(&cmd);
}

void
reload_start(struct engine *e, const char *why, const struct command_msg *cmd)
{
	if (e->parse != NULL || e->reloading) {
		/* One more after this one, for the latest request: a request
		 * waiting already is covered by it. */
		if (e->reload_again && e->reload_next_cmd.id[0] != '\0')
			reload_verdict(e, &e->reload_next_cmd, 1, "coalesced: a later reload request "
			    "covers it");
		e->reload_again = 1;
		e->reload_next_why = why;
		reload_keep_cmd(&e->reload_next_cmd, cmd);
		log_info("reload requested by=%s while one is running: it follows that one", why);
		return;
	}
	reload_begin(e, why, cmd);
}

static void
reload_parsed(struct engine *e, struct config *ncfg, int rc)
{
	const char *why = e->parse_why;
	struct command_msg *cmd = &e->parse_cmd;
	struct db_batch *b;

	if (e->stopping) {	/* a parse that ends while the engine stops */
		config_free(ncfg);
		msg_command_clear(cmd);
		return;
	}
	if (rc < 0) {
		struct strbuf m = { 0 };
		char head[120];

		log_error("reload refused by=%s errors=%zu: the running config stays", why, ncfg->nerrors);
		snprintf(head, sizeof(head), "the new config has %zu error%s: the running config "
		    "stays", ncfg->nerrors, ncfg->nerrors == 1 ? "" : "s");
		strbuf_adds(&m, head);
		for (size_t i = 0; i < ncfg->nerrors; i++) {
			log_error("reload error: %s", ncfg->errors[i]);
			strbuf_add(&m, "\n", 1);
			strbuf_adds(&m, ncfg->errors[i]);
		}
		reload_verdict(e, cmd, 0, m.s);
		strbuf_clear(&m);
		config_free(ncfg);
		msg_command_clear(cmd);
		reload_next(e);
		return;
	}
	log_info("reload by=%s: new config valid, applying", why);
	e->reloading = 1;
	msg_command_clear(&e->reload_cmd);
	e->reload_cmd = *cmd;	/* moved */
	memset(cmd, 0, sizeof(*cmd));
	mq_pause(e->mq);
	presence_deaf(&e->presence, util_now());
	ev_timer_stop(e->loop, &e->sched_timer);
	batch_flush_now(e);
	b = xcalloc(1, sizeof(*b));
	b->sync_cfg = ncfg;
	db_submit(e->db, b);
}

void
reload_done(struct engine *e, struct db_batch *b)
{
	struct check_table *nt = b->sync_table;
	size_t kept = 0, changed = 0, added = 0, removed;
	struct db_batch *sb;

	if (nt == NULL) {
		char m[600];

		log_error("reload failed: %s: the running config stays", b->sync_err);
		snprintf(m, sizeof(m), "the new config could not be stored: %s: the running "
		    "config stays", b->sync_err);
		reload_verdict(e, &e->reload_cmd, 0, m);
		config_free(b->sync_cfg);
		b->sync_cfg = NULL;
		goto resume;
	}
	/* Carry what only memory knows over to the new checks: the state is
	 * the same as the database's (every batch before the sync committed,
	 * deliveries are paused), in-flight jobs and the schedule are not. */
	for (size_t i = 0; i < nt->n; i++) {
		struct check *n = nt->v[i];
		struct check *o = check_table_find_name(&e->checks, n->host, n->service);

		if (o == NULL) {
			added++;
			continue;
		}
		/* o is freed below: what memory knows of it moves to n */
		if (check_carry_over(n, o))
			kept++;
		else
			changed++;	/* the new interval applies at once */
		alert_carry_over(n, o);
	}
	removed = e->checks.n - kept - changed;
	/* Held checks are freed below: the new ones go back into the heap at
	 * their due time, and are held again in due order. */
	flow_drop_held(&e->flow, util_now());
	sched_clear(&e->sched);
	check_table_clear(&e->checks);
	e->checks = *nt;
	free(nt);
	dispatch_schedule_all(e);
	alert_reload(&e->alert, b->sync_cfg, &e->checks, util_now());
	e->depend_checked = 0;	/* the new edges' verdicts, at the next tick */
	/* The links were made at start: these change with a restart only. */
	if (strcmp(e->cfg->prefix, b->sync_cfg->prefix) != 0)
		log_warn("reload: prefix changed to %s; restart to apply (the engine keeps %s)",
		    b->sync_cfg->prefix, e->prefix);
	if (strcmp(e->cfg->amqp_url, b->sync_cfg->amqp_url) != 0)
		log_warn("reload: amqp changed; restart to apply");
	if (strcmp(e->cfg->pg_conninfo, b->sync_cfg->pg_conninfo) != 0)
		log_warn("reload: postgres changed; restart to apply");
	config_free(e->cfg);
	e->cfg = b->sync_cfg;
	b->sync_cfg = NULL;
	log_info("reloaded checks=%zu kept=%zu changed=%zu added=%zu removed=%zu",
	    e->checks.n, kept, changed, added, removed);
	{
		char m[200];

		snprintf(m, sizeof(m), "reloaded: %zu checks (%zu kept, %zu changed, %zu added,"
		    " %zu removed)", e->checks.n, kept, changed, added, removed);
		reload_verdict(e, &e->reload_cmd, 1, m);
	}
	reload_count_pool_checks(e);
	dispatch_flow_recount(e);
	/* Persist the schedule, so that it survives a restart too. */
	sb = xcalloc(1, sizeof(*sb));
	sb->schedule = rows_schedule(&e->checks);
	db_submit(e->db, sb);
	/* The old checks and config, and the new config's transient parse
	 * tree: after the schedule's JSON was made, or its growth takes
	 * fresh pages beyond the holes just given back. */
	malloc_trim(0);
resume:
	msg_command_clear(&e->reload_cmd);
	e->reloading = 0;
	e->rearm = 1;
	mq_resume(e->mq);
	if (mq_is_up(e->mq))
		presence_listen(&e->presence, util_now());
	reload_next(e);
}
