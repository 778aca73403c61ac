/*
 * NAME
 *	reload - a new configuration swapped in without losing state
 * DESCRIPTION
 *	reload_start() loads the config again; invalid, every error is logged
 *	and the running config stays. Valid: deliveries and the scheduler
 *	pause, the open batch goes, and the database thread syncs the new
 *	config after every batch before it; reload_done() swaps the check
 *	table, carrying each kept check's state, schedule and alerts over.
 */
#include "engine_private.h"

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

void
reload_start(struct engine *e, const char *why, const struct command_msg *cmd)
{
	struct config *ncfg;
	struct db_batch *b;

	if (e->reloading) {
		log_warn("reload requested by=%s while one is running: ignored", why);
		reload_verdict(e, cmd, 0, "a reload is running already: try again when it is done");
		return;
	}
	ncfg = config_new();
	if (config_load(ncfg, e->config_path, 0) < 0) {
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
		return;
	}
	log_info("reload by=%s: new config valid, applying", why);
	e->reloading = 1;
	if (cmd != NULL && cmd->id[0] != '\0') {
		memcpy(e->reload_cmd.id, cmd->id, sizeof(e->reload_cmd.id));
		e->reload_cmd.kind = COMMAND_RELOAD;
		e->reload_cmd.author = cmd->author != NULL ? xstrdup(cmd->author) : NULL;
		e->reload_cmd.source = cmd->source != NULL ? xstrdup(cmd->source) : NULL;
	}
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
}
