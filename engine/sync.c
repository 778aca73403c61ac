/*
 * NAME
 *	sync - make PostgreSQL match the loaded config; load check state
 * DESCRIPTION
 *	See sync.h. The config's rows are streamed (COPY) into temporary
 *	tables, dropped at commit, that the set-based statements read: the
 *	engine never holds more of them than one COPY buffer. A transient
 *	document of every row would double the start-up's peak and leave the
 *	heap riddled with holes between the checks allocated meanwhile (and
 *	a statement parameter that size would pin as much again in libpq's
 *	output buffer for the database thread's life). Columns that are lists
 *	or maps travel as JSON.
 * DIAGNOSTICS
 *	See sync.h.
 */
#include "sync.h"
#include "check.h"
#include "config.h"
#include "jsonw.h"
#include "msg.h"
#include "pg.h"
#include "result.h"
#include "sched.h"
#include "util.h"
#include "xalloc.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the statements below read; filled by COPY. */
static const char sync_temp_sql[] =
	"CREATE TEMP TABLE sync_hosts (name text, address text, alias text, parents json,"
	" vars json, file text, line integer) ON COMMIT DROP;"
	"CREATE TEMP TABLE sync_commands (name text, argv json, timeout integer) ON COMMIT DROP;"
	"CREATE TEMP TABLE sync_checks (host text, service text, command text, argv json,"
	" interval integer, retry_interval integer, max_attempts integer, timeout integer,"
	" pools json, active boolean, passive boolean, hash text, file text, line integer)"
	" ON COMMIT DROP;"
	"CREATE TEMP TABLE sync_groups (name text, title text, file text, line integer)"
	" ON COMMIT DROP;"
	"CREATE TEMP TABLE sync_group_parents (name text, parent text) ON COMMIT DROP;"
	"CREATE TEMP TABLE sync_group_members (name text, check_id bigint) ON COMMIT DROP";

static const char sync_hosts_sql[] =
	"INSERT INTO hosts (name, address, alias, parents, vars, file, line, updated_at)"
	" SELECT r.name, r.address, r.alias,"
	" ARRAY(SELECT json_array_elements_text(r.parents)), r.vars::jsonb, r.file, r.line, now()"
	" FROM sync_hosts r"
	" ON CONFLICT (name) DO UPDATE SET address = EXCLUDED.address,"
	" alias = EXCLUDED.alias, parents = EXCLUDED.parents, vars = EXCLUDED.vars,"
	" file = EXCLUDED.file, line = EXCLUDED.line, updated_at = now()";

static const char sync_hosts_delete_sql[] =
	"DELETE FROM hosts h WHERE NOT EXISTS (SELECT 1 FROM sync_hosts r WHERE r.name = h.name)";

static const char sync_commands_sql[] =
	"WITH del AS (DELETE FROM commands c WHERE NOT EXISTS"
	" (SELECT 1 FROM sync_commands r WHERE r.name = c.name))"
	" INSERT INTO commands (name, argv, timeout_s, updated_at)"
	" SELECT r.name, ARRAY(SELECT json_array_elements_text(r.argv)), r.timeout, now()"
	" FROM sync_commands r"
	" ON CONFLICT (name) DO UPDATE SET argv = EXCLUDED.argv,"
	" timeout_s = EXCLUDED.timeout_s, updated_at = now()";

static const char sync_old_sql[] =
	"SELECT h.name, c.service, c.config_hash, s.state, s.state_type, s.attempt,"
	" s.last_hard_state, extract(epoch FROM s.last_check),"
	" extract(epoch FROM s.next_check), extract(epoch FROM s.last_state_change),"
	" extract(epoch FROM s.last_hard_state_change), s.last_job_id,"
	" extract(epoch FROM s.last_scheduled), s.flapping, s.percent_state_change,"
	" array_to_string(s.flap_states, ','), s.debounce_state, s.debounce_count,"
	" s.flap_held_problem, s.ack_kind, s.ack_author, s.ack_comment,"
	" extract(epoch FROM s.ack_time), s.notification_number,"
	" extract(epoch FROM s.last_notification), extract(epoch FROM s.next_notification),"
	" s.notified_state, s.notified_esc, s.output, s.notified_on, s.disabled, s.disabled_by,"
	" s.disabled_comment, extract(epoch FROM s.disabled_at), s.suppressed_by IS NOT NULL"
	" FROM checks c JOIN hosts h ON h.id = c.host_id"
	" LEFT JOIN check_state s ON s.check_id = c.id";

static const char sync_checks_sql[] =
	"INSERT INTO checks (host_id, service, command, argv, interval_s, retry_interval_s,"
	" max_attempts, timeout_s, pools, active, passive, config_hash, file, line, updated_at)"
	" SELECT h.id, r.service, r.command, ARRAY(SELECT json_array_elements_text(r.argv)),"
	" r.interval, r.retry_interval, r.max_attempts, r.timeout,"
	" ARRAY(SELECT json_array_elements_text(r.pools)), r.active, r.passive, r.hash,"
	" r.file, r.line, now()"
	" FROM sync_checks r JOIN hosts h ON h.name = r.host"
	" ON CONFLICT (host_id, service) DO UPDATE SET command = EXCLUDED.command,"
	" argv = EXCLUDED.argv, interval_s = EXCLUDED.interval_s,"
	" retry_interval_s = EXCLUDED.retry_interval_s, max_attempts = EXCLUDED.max_attempts,"
	" timeout_s = EXCLUDED.timeout_s, pools = EXCLUDED.pools, active = EXCLUDED.active,"
	" passive = EXCLUDED.passive, config_hash = EXCLUDED.config_hash,"
	" file = EXCLUDED.file, line = EXCLUDED.line, updated_at = now()";

static const char sync_checks_delete_sql[] =
	"DELETE FROM checks c USING hosts h WHERE h.id = c.host_id AND NOT EXISTS"
	" (SELECT 1 FROM sync_checks r"
	" WHERE r.host = h.name AND r.service IS NOT DISTINCT FROM c.service)";

/* Locations of pools a check no longer runs from (or of a check that is
 * down to one pool): gone. After sync_checks_sql, which sets the pools. */
static const char sync_locations_delete_sql[] =
	"DELETE FROM check_locations l USING checks c WHERE c.id = l.check_id"
	" AND (cardinality(c.pools) < 2 OR NOT l.pool = ANY (c.pools))";

/* Each location's last result, for its check's struct location. */
static const char sync_old_locations_sql[] =
	"SELECT h.name, c.service, l.pool, l.status, l.output, l.long_output, l.perfdata,"
	" extract(epoch FROM l.last_check), l.duration_ms, l.worker, l.last_job_id,"
	" extract(epoch FROM l.last_scheduled)"
	" FROM check_locations l JOIN checks c ON c.id = l.check_id"
	" JOIN hosts h ON h.id = c.host_id";

static const char sync_state_rows_sql[] =
	"INSERT INTO check_state (check_id) SELECT id FROM checks ON CONFLICT DO NOTHING";

static const char sync_groups_sql[] =
	"WITH del AS (DELETE FROM groups g WHERE NOT EXISTS"
	" (SELECT 1 FROM sync_groups r WHERE r.name = g.name))"
	" INSERT INTO groups (name, title, file, line, updated_at)"
	" SELECT r.name, r.title, r.file, r.line, now() FROM sync_groups r"
	" ON CONFLICT (name) DO UPDATE SET title = EXCLUDED.title, file = EXCLUDED.file,"
	" line = EXCLUDED.line, updated_at = now()";

/* Edges and memberships are replaced whole: they are cheap to rebuild and
 * group_refresh_all() recomputes every group from them right after. The
 * DELETE is a statement of its own: as a CTE beside the INSERT it would
 * run on the statement's snapshot after the INSERT skipped every existing
 * edge as a conflict, and so remove them all. */
static const char sync_group_parents_sql[] =
	"INSERT INTO group_parents (group_id, parent_id)"
	" SELECT g.id, p.id FROM sync_group_parents r"
	" JOIN groups g ON g.name = r.name JOIN groups p ON p.name = r.parent"
	" ON CONFLICT DO NOTHING";

static const char sync_group_members_sql[] =
	"INSERT INTO group_members (group_id, check_id)"
	" SELECT g.id, r.check_id FROM sync_group_members r"
	" JOIN groups g ON g.name = r.name ON CONFLICT DO NOTHING";

static const char sync_group_refresh_sql[] =
	"SELECT count(*) FROM group_refresh_all()";

static const char sync_ids_sql[] =
	"SELECT c.id, h.name, c.service FROM checks c JOIN hosts h ON h.id = c.host_id";

static void
hash_bytes(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		*h ^= s[i];
		*h *= 0x100000001b3ULL;
	}
}

void
sync_check_hash(const struct check *c, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int nums[6] = { c->interval, c->retry_interval, c->max_attempts,
		c->timeout, c->active, c->passive };

	for (size_t i = 0; i < c->argc; i++)
		hash_bytes(&h, c->argv[i], strlen(c->argv[i]) + 1);
	if (c->users != NULL)	/* (none: the hash it always had) */
		hash_bytes(&h, c->users, strlen(c->users) + 1);
	hash_bytes(&h, nums, sizeof(nums));
	hash_bytes(&h, c->pool, strlen(c->pool) + 1);
	/* Only for several pools, so that a single-location check keeps
	 * the hash (and its place in the schedule) it had before. */
	for (size_t i = 0; i < c->nlocs; i++)
		hash_bytes(&h, c->locs[i].pool, strlen(c->locs[i].pool) + 1);
	if (c->nlocs > 0)
		hash_bytes(&h, &c->quorum, sizeof(c->quorum));
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* v as one COPY field, a JSON array of strings (j: scratch). */
static void
copy_strv(struct pg_copy *cp, struct strbuf *j, char *const *v, size_t n)
{
	j->len = 0;
	strbuf_add(j, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strbuf_add(j, ",", 1);
		jsonw_string(j, v[i]);
	}
	strbuf_add(j, "]", 1);
	pg_copy_text(cp, j->s);
}

static int
copy_hosts(PGconn *pc, const struct config *cfg, struct strbuf *j, char *err, size_t errlen)
{
	struct pg_copy cp;

	if (pg_copy_begin(&cp, pc, "COPY sync_hosts FROM STDIN", err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < cfg->nhosts; i++) {
		const struct cfg_host *h = &cfg->hosts[i];

		pg_copy_text(&cp, h->name);
		pg_copy_text(&cp, h->address);
		pg_copy_text(&cp, h->alias);
		copy_strv(&cp, j, h->parents, h->nparents);
		j->len = 0;
		strbuf_add(j, "{", 1);
		for (size_t k = 0; k < h->nvars; k++) {
			if (k > 0)
				strbuf_add(j, ",", 1);
			jsonw_string(j, h->vars[k].name);
			strbuf_add(j, ":", 1);
			jsonw_string(j, h->vars[k].value);
		}
		strbuf_add(j, "}", 1);
		pg_copy_text(&cp, j->s);
		pg_copy_text(&cp, h->mark.file != NULL ? h->mark.file : "");
		pg_copy_int(&cp, h->mark.line);
		pg_copy_row(&cp);
	}
	return pg_copy_end(&cp, err, errlen);
}

static int
copy_commands(PGconn *pc, const struct config *cfg, struct strbuf *j, char *err,
    size_t errlen)
{
	struct pg_copy cp;

	if (pg_copy_begin(&cp, pc, "COPY sync_commands FROM STDIN", err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < cfg->ncommands; i++) {
		const struct cfg_command *cm = &cfg->commands[i];

		pg_copy_text(&cp, cm->name);
		copy_strv(&cp, j, cm->argv, cm->argc);
		pg_copy_int(&cp, cm->timeout);
		pg_copy_row(&cp);
	}
	return pg_copy_end(&cp, err, errlen);
}

/* The checks of t, made from cfg's checks in their order. */
static int
copy_checks(PGconn *pc, const struct config *cfg, const struct check_table *t,
    struct strbuf *j, char *err, size_t errlen)
{
	struct pg_copy cp;

	if (pg_copy_begin(&cp, pc, "COPY sync_checks FROM STDIN", err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		const struct check *c = t->v[i];
		const struct cfg_check *cc = &cfg->checks[i];

		pg_copy_text(&cp, c->host);
		pg_copy_text(&cp, c->service);
		pg_copy_text(&cp, cc->command != NULL ? cc->command : "");
		copy_strv(&cp, j, c->argv, c->argc);
		pg_copy_int(&cp, c->interval);
		pg_copy_int(&cp, c->retry_interval);
		pg_copy_int(&cp, c->max_attempts);
		pg_copy_int(&cp, c->timeout);
		copy_strv(&cp, j, cc->pools, cc->npools);
		pg_copy_text(&cp, c->active ? "t" : "f");
		pg_copy_text(&cp, c->passive ? "t" : "f");
		pg_copy_text(&cp, c->config_hash);
		pg_copy_text(&cp, cc->mark.file != NULL ? cc->mark.file : "");
		pg_copy_int(&cp, cc->mark.line);
		pg_copy_row(&cp);
	}
	return pg_copy_end(&cp, err, errlen);
}

struct check *
sync_check_new(const struct config *cfg, const struct cfg_check *cc)
{
	struct check *c = xcalloc(1, sizeof(*c));

	/* Shared with the config, which outlives the check (check.h). */
	c->host = cc->host;
	c->service = cc->service;
	c->argc = cc->argc;
	c->argv = cc->argv;
	c->users = cc->users;
	c->pool = cc->npools > 0 ? cc->pools[0] : cfg->worker.pool;
	c->quorum = cc->quorum;
	if (cc->npools > 1) {
		c->nlocs = cc->npools;
		c->locs = xcalloc(c->nlocs, sizeof(*c->locs));
		for (size_t i = 0; i < c->nlocs; i++) {
			c->locs[i].pool = xstrdup(cc->pools[i]);
			c->locs[i].status = STATE_PENDING;
		}
	}
	c->interval = cc->interval;
	c->retry_interval = cc->retry_interval;
	c->max_attempts = cc->max_attempts;
	c->timeout = cc->timeout;
	c->active = cc->active;
	c->passive = cc->passive;
	c->is_volatile = cc->is_volatile;
	c->flap_detection = cc->flap_detection;
	c->low_flap_threshold = cc->low_flap_threshold;
	c->high_flap_threshold = cc->high_flap_threshold;
	c->debounce = cc->debounce;
	c->timeout_state = cc->timeout_state;
	c->stale_state = cc->stale_state;
	c->freshness_threshold = cc->freshness_threshold;
	c->freshness = cc->freshness;
	c->flap_options = cc->flap_detection_options;
	c->stalking = cc->stalking;
	c->stale_state_set = cc->stale_state_set;
	c->check_period = cc->check_period_tp;
	c->cc = cc;
	state_init(&c->st);
	notify_state_init(&c->ns);
	sync_check_hash(c, c->config_hash);
	return c;
}

static int
cmp_host_name(const void *a, const void *b)
{
	return strcmp((*(const struct cfg_host *const *)a)->name,
	    (*(const struct cfg_host *const *)b)->name);
}

void
sync_group_members(const struct config *cfg, const struct check_table *t,
    void (*fn)(void *arg, const char *group, const struct check *c), void *arg)
{
	const struct cfg_host **hosts = xmalloc((cfg->nhosts + 1) * sizeof(*hosts));
	size_t i = 0;

	/* config_find_host() is a linear search: index the hosts once. */
	for (size_t k = 0; k < cfg->nhosts; k++)
		hosts[k] = &cfg->hosts[k];
	qsort(hosts, cfg->nhosts, sizeof(*hosts), cmp_host_name);
	/* by_name is sorted by host: one run of checks per host. */
	while (i < t->n) {
		const char *host = t->by_name[i]->host;
		struct cfg_host key = { .name = (char *)host };
		const struct cfg_host *kp = &key, **hp = bsearch(&kp, hosts, cfg->nhosts,
		    sizeof(*hosts), cmp_host_name);
		const struct cfg_host *h = hp != NULL ? *hp : NULL;
		size_t end = i;

		while (end < t->n && strcmp(t->by_name[end]->host, host) == 0)
			end++;
		for (size_t g = 0; g < cfg->ngroups; g++) {
			const struct cfg_group *gr = &cfg->groups[g];
			int member = 0;

			for (size_t k = 0; h != NULL && k < h->ngroups && !member; k++)
				member = strcmp(h->groups[k], gr->name) == 0;
			for (size_t k = 0; k < gr->nhost_patterns && !member; k++)
				member = fnmatch(gr->host_patterns[k], host, 0) == 0;
			for (size_t j = i; j < end; j++) {
				const struct check *c = t->by_name[j];
				int smember = member;

				if (!smember && c->service != NULL && gr->nservice_patterns > 0) {
					char *hs = xasprintf("%s/%s", c->host, c->service);

					for (size_t k = 0; k < gr->nservice_patterns && !smember; k++)
						smember = fnmatch(gr->service_patterns[k], hs, 0) == 0;
					free(hs);
				}
				if (smember)
					fn(arg, gr->name, c);
			}
		}
		i = end;
	}
	/* Services that list a group themselves. */
	for (size_t k = 0; k < cfg->nchecks; k++) {
		const struct cfg_check *cc = &cfg->checks[k];
		const struct check *c;

		if (cc->ngroups == 0)
			continue;
		c = check_table_find_name(t, cc->host, cc->service);
		for (size_t g = 0; c != NULL && g < cc->ngroups; g++)
			fn(arg, cc->groups[g], c);
	}
	free(hosts);
}

/* One membership as a row of COPY sync_group_members. */
static void
copy_group_member(void *arg, const char *group, const struct check *c)
{
	struct pg_copy *cp = arg;

	pg_copy_text(cp, group);
	pg_copy_int(cp, c->id);
	pg_copy_row(cp);
}

static int
sync_groups(PGconn *pc, const struct config *cfg, const struct check_table *t,
    char *err, size_t errlen)
{
	struct pg_copy cp;
	PGresult *r;

	if (pg_copy_begin(&cp, pc, "COPY sync_groups FROM STDIN", err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < cfg->ngroups; i++) {
		const struct cfg_group *g = &cfg->groups[i];

		pg_copy_text(&cp, g->name);
		pg_copy_text(&cp, g->title != NULL ? g->title : g->name);
		pg_copy_text(&cp, g->mark.file != NULL ? g->mark.file : "");
		pg_copy_int(&cp, g->mark.line);
		pg_copy_row(&cp);
	}
	if (pg_copy_end(&cp, err, errlen) < 0 ||
	    pg_copy_begin(&cp, pc, "COPY sync_group_parents FROM STDIN", err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < cfg->ngroups; i++) {
		const struct cfg_group *g = &cfg->groups[i];

		for (size_t p = 0; p < g->nparents; p++) {
			pg_copy_text(&cp, g->name);
			pg_copy_text(&cp, g->parents[p]);
			pg_copy_row(&cp);
		}
	}
	if (pg_copy_end(&cp, err, errlen) < 0 ||
	    pg_copy_begin(&cp, pc, "COPY sync_group_members FROM STDIN", err, errlen) < 0)
		return -1;
	sync_group_members(cfg, t, copy_group_member, &cp);
	if (pg_copy_end(&cp, err, errlen) < 0 ||
	    pg_exec(pc, sync_groups_sql, err, errlen) < 0 ||
	    pg_exec(pc, "DELETE FROM group_parents", err, errlen) < 0 ||
	    pg_exec(pc, sync_group_parents_sql, err, errlen) < 0 ||
	    pg_exec(pc, "DELETE FROM group_members", err, errlen) < 0 ||
	    pg_exec(pc, sync_group_members_sql, err, errlen) < 0 ||
	    (r = pg_query(pc, sync_group_refresh_sql, 0, NULL, err, errlen)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

static double
num_or_zero(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtod(PQgetvalue(r, row, col), NULL);
}

static char *
text_or_empty(PGresult *r, int row, int col)
{
	return xstrdup(PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

/* Restore each location's last result (and last job: exactly once per
 * location across restarts) into the checks of t that still have it. */
static int
load_old_locations(PGconn *pc, struct check_table *t, char *err, size_t errlen)
{
	PGresult *r = pg_query(pc, sync_old_locations_sql, 0, NULL, err, errlen);

	if (r == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct check *c = check_table_find_name(t, PQgetvalue(r, i, 0),
		    PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1));
		struct location *l = c != NULL ? check_location_pool(c, PQgetvalue(r, i, 2)) : NULL;

		if (l == NULL)
			continue;
		l->status = PQgetisnull(r, i, 3) ? STATE_PENDING : atoi(PQgetvalue(r, i, 3));
		l->output = text_or_empty(r, i, 4);
		l->long_output = text_or_empty(r, i, 5);
		l->perfdata = text_or_empty(r, i, 6);
		l->last_check = num_or_zero(r, i, 7);
		l->last_end = l->last_check + num_or_zero(r, i, 8) / 1000;
		l->worker = PQgetisnull(r, i, 9) ? NULL : xstrdup(PQgetvalue(r, i, 9));
		if (!PQgetisnull(r, i, 10))
			snprintf(l->last_job, sizeof(l->last_job), "%s", PQgetvalue(r, i, 10));
		l->last_scheduled = num_or_zero(r, i, 11);
	}
	PQclear(r);
	return 0;
}

/* Restore persisted state into the checks of t (indexed by name). */
static int
load_old_state(PGconn *pc, struct check_table *t, double now, char *err, size_t errlen)
{
	PGresult *r = pg_query(pc, sync_old_sql, 0, NULL, err, errlen);

	if (r == NULL)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		struct check *c = check_table_find_name(t, PQgetvalue(r, i, 0),
		    PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1));
		double next;

		if (c == NULL)
			continue;
		if (!PQgetisnull(r, i, 3)) {
			c->st.state = atoi(PQgetvalue(r, i, 3));
			c->st.state_type = atoi(PQgetvalue(r, i, 4));
			c->st.attempt = atoi(PQgetvalue(r, i, 5));
			c->st.last_hard_state = PQgetisnull(r, i, 6) ? STATE_PENDING : atoi(PQgetvalue(r, i, 6));
			c->st.last_check = num_or_zero(r, i, 7);
			c->st.last_state_change = num_or_zero(r, i, 9);
			c->st.last_hard_state_change = num_or_zero(r, i, 10);
		}
		if (!PQgetisnull(r, i, 13)) {
			const char *fs = PQgetvalue(r, i, 15);

			c->st.flapping = PQgetvalue(r, i, 13)[0] == 't';
			c->st.percent_state_change = strtod(PQgetvalue(r, i, 14), NULL);
			c->st.flap_count = 0;
			while (*fs != '\0' && c->st.flap_count < STATE_FLAP_HISTORY) {
				char *end;

				c->st.flap_history[c->st.flap_count++] = (signed char)strtol(fs, &end, 10);
				fs = *end == ',' ? end + 1 : end;
				if (end == fs && *fs != '\0')
					break;
			}
			c->st.debounce_state = PQgetisnull(r, i, 16) ? STATE_PENDING :
			    atoi(PQgetvalue(r, i, 16));
			c->st.debounce_count = atoi(PQgetvalue(r, i, 17));
			c->st.flap_held_problem = PQgetvalue(r, i, 18)[0] == 't';
			c->ack = atoi(PQgetvalue(r, i, 19));
			if (c->ack != NOTIFY_ACK_NONE) {
				c->ack_author = text_or_empty(r, i, 20);
				c->ack_comment = text_or_empty(r, i, 21);
				c->ack_time = num_or_zero(r, i, 22);
			}
			c->ns.number = atoi(PQgetvalue(r, i, 23));
			c->ns.last_notification = num_or_zero(r, i, 24);
			c->ns.next_notification = num_or_zero(r, i, 25);
			c->ns.notified_state = PQgetisnull(r, i, 26) ? -1 : atoi(PQgetvalue(r, i, 26));
			c->ns.notified_esc = strtoull(PQgetvalue(r, i, 27), NULL, 10);
			c->output = text_or_empty(r, i, 28);
			c->ns.notified_on = (unsigned)atoi(PQgetvalue(r, i, 29));
			c->disabled = (unsigned)atoi(PQgetvalue(r, i, 30)) & SWITCH_ALL;
			c->dep_suppressed = PQgetvalue(r, i, 34)[0] == 't';
			if (c->disabled != 0) {
				c->disabled_by = text_or_empty(r, i, 31);
				c->disabled_comment = text_or_empty(r, i, 32);
				c->disabled_at = num_or_zero(r, i, 33);
			}
		}
		if (!PQgetisnull(r, i, 11))
			snprintf(c->last_job, sizeof(c->last_job), "%s", PQgetvalue(r, i, 11));
		c->last_scheduled = num_or_zero(r, i, 12);
		next = num_or_zero(r, i, 8);
		/* Unchanged check: keep its place in the schedule. */
		if (next > 0 && strcmp(PQgetvalue(r, i, 2), c->config_hash) == 0)
			c->due = next > now ? next : sched_next_due(next, c->interval, now, util_random_unit());
	}
	PQclear(r);
	return load_old_locations(pc, t, err, errlen);
}

int
sync_config(PGconn *pc, const struct config *cfg, struct check_table *t,
    double now, char *err, size_t errlen)
{
	struct strbuf j = { 0 };
	PGresult *r;
	char e2[256];
	int rc = -1;

	/* The checks first, in one go: nothing transient between them. */
	check_table_init(t);
	for (size_t i = 0; i < cfg->nchecks; i++)
		check_table_add(t, sync_check_new(cfg, &cfg->checks[i]));
	check_table_index(t);

	if (pg_exec(pc, "BEGIN", err, errlen) < 0)
		goto out;
	if (load_old_state(pc, t, now, err, errlen) < 0 ||
	    pg_exec(pc, sync_temp_sql, err, errlen) < 0 ||
	    copy_hosts(pc, cfg, &j, err, errlen) < 0 ||
	    copy_commands(pc, cfg, &j, err, errlen) < 0 ||
	    copy_checks(pc, cfg, t, &j, err, errlen) < 0 ||
	    pg_exec(pc, sync_hosts_sql, err, errlen) < 0 ||
	    pg_exec(pc, sync_commands_sql, err, errlen) < 0 ||
	    pg_exec(pc, sync_checks_delete_sql, err, errlen) < 0 ||
	    pg_exec(pc, sync_checks_sql, err, errlen) < 0 ||
	    pg_exec(pc, sync_locations_delete_sql, err, errlen) < 0 ||
	    pg_exec(pc, sync_hosts_delete_sql, err, errlen) < 0 ||
	    pg_exec(pc, sync_state_rows_sql, err, errlen) < 0 ||
	    (r = pg_query(pc, sync_ids_sql, 0, NULL, err, errlen)) == NULL) {
		pg_exec(pc, "ROLLBACK", e2, sizeof(e2));
		goto out;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		struct check *c = check_table_find_name(t, PQgetvalue(r, i, 1),
		    PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2));

		if (c != NULL)
			c->id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
	}
	PQclear(r);
	check_table_index(t);	/* by id, now that ids are known */
	check_table_link(t, cfg);
	if (sync_groups(pc, cfg, t, err, errlen) < 0) {
		pg_exec(pc, "ROLLBACK", e2, sizeof(e2));
		goto out;
	}
	if (pg_exec(pc, "COMMIT", err, errlen) < 0)
		goto out;
	for (size_t i = 0; i < t->n; i++) {
		struct check *c = t->v[i];

		if (c->id == 0) {
			snprintf(err, errlen, "check %s/%s got no id from the database",
			    c->host, c->service != NULL ? c->service : "");
			goto out;
		}
		if (c->due == 0)
			c->due = sched_first_due(now, c->interval < cfg->max_check_spread ?
			    c->interval : cfg->max_check_spread, util_random_unit());
	}
	check_table_index(t);
	rc = 0;
out:
	free(j.s);
	if (rc < 0)
		check_table_clear(t);
	return rc;
}
