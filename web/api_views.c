/*
 * NAME
 *	api_views - GET /api/v1/groups[/NAME], /api/v1/workers,
 *	/api/v1/notifications, /api/v1/downtimes
 * DESCRIPTION
 *	The group tree (or one group's subtree), the pools and workers, the
 *	latest notifications with their deliveries, the open downtimes; see
 *	api.c for the endpoints' list.
 */
#include "web_private.h"

#include "jsonw.h"
#include "log.h"
#include "query.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- groups, workers, notifications ------------------------------------- */

static const char *const api_count_names[] = {
	"ok", "warning", "critical", "unknown", "up", "down", "unreachable", "pending",
	"acknowledged", "in_downtime", "flapping",
};

/* "{a,b}" (a text[] as PostgreSQL writes it) split into its names. */
static size_t
pg_names(const char *s, char ***out)
{
	char *copy, *tok, *save = NULL;
	size_t n = 0;

	*out = NULL;
	if (s == NULL || strlen(s) < 2)
		return 0;
	copy = xstrndup(s + 1, strlen(s) - 2);
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(tok);

		if (len >= 2 && tok[0] == '"' && tok[len - 1] == '"') {
			tok[len - 1] = '\0';
			tok++;
		}
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = xstrdup(tok);
	}
	free(copy);
	return n;
}

struct api_group {
	int row;
	char **parents;
	size_t nparents;
	size_t *children;	/* indexes into the groups */
	size_t nchildren;
};

struct api_tree {
	PGresult *res;
	struct api_group *g;
	size_t n;
};

static void
group_json(struct strbuf *b, const struct api_tree *t, size_t gi, int depth)
{
	const struct api_group *x = &t->g[gi];
	PGresult *res = t->res;
	size_t i;

	strbuf_adds(b, "{\"name\":");
	jsonw_string(b, api_val(res, x->row, 0));
	strbuf_adds(b, ",\"title\":");
	jsonw_string(b, api_val(res, x->row, 1));
	strbuf_adds(b, ",\"parents\":[");
	for (i = 0; i < x->nparents; i++) {
		if (i > 0)
			strbuf_add(b, ",", 1);
		jsonw_string(b, x->parents[i]);
	}
	strbuf_adds(b, "],\"worst_state\":");
	jsonw_string(b, api_val(res, x->row, 2));
	strbuf_adds(b, ",\"counts\":{");
	for (i = 0; i < sizeof(api_count_names) / sizeof(api_count_names[0]); i++) {
		if (i > 0)
			strbuf_add(b, ",", 1);
		strbuf_add(b, "\"", 1);
		strbuf_adds(b, api_count_names[i]);
		strbuf_adds(b, "\":");
		strbuf_adds(b, api_val(res, x->row, 3 + (int)i));
	}
	strbuf_adds(b, "},\"children\":[");
	/* Parents form a DAG (no cycles: the loader refuses them); depth
	 * bounds a tree shown under every parent of a diamond. */
	for (i = 0; depth < 64 && i < x->nchildren; i++) {
		if (i > 0)
			strbuf_add(b, ",", 1);
		group_json(b, t, x->children[i], depth + 1);
	}
	strbuf_adds(b, "]}");
}

static int
by_name_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
by_name(const void *a, const void *b, void *arg)
{
	const struct api_tree *t = arg;

	return strcmp(api_val(t->res, t->g[*(const size_t *)a].row, 0),
	    api_val(t->res, t->g[*(const size_t *)b].row, 0));
}

/* The groups with their parents and children (by name: O(n log n)). */
static void
tree_load(struct api_tree *t, PGresult *res)
{
	size_t *order, i, k, lo, hi, mid;
	int c;

	t->res = res;
	t->n = (size_t)PQntuples(res);
	t->g = xcalloc(t->n + 1, sizeof(*t->g));
	order = xcalloc(t->n + 1, sizeof(*order));
	for (i = 0; i < t->n; i++) {
		t->g[i].row = (int)i;
		t->g[i].nparents = pg_names(api_val(res, (int)i, 14), &t->g[i].parents);
		order[i] = i;
	}
	qsort_r(order, t->n, sizeof(*order), by_name, t);
	for (i = 0; i < t->n; i++)
		for (k = 0; k < t->g[i].nparents; k++) {
			for (lo = 0, hi = t->n; lo < hi;) {
				mid = (lo + hi) / 2;
				c = strcmp(t->g[i].parents[k], api_val(res, t->g[order[mid]].row, 0));
				if (c == 0) {
					struct api_group *p = &t->g[order[mid]];

					p->children = xrealloc(p->children, (p->nchildren + 1) *
					    sizeof(*p->children));
					p->children[p->nchildren++] = i;
					break;
				}
				if (c < 0)
					hi = mid;
				else
					lo = mid + 1;
			}
		}
	free(order);
}

static void
tree_free(struct api_tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t k = 0; k < t->g[i].nparents; k++)
			free(t->g[i].parents[k]);
		free(t->g[i].parents);
		free(t->g[i].children);
	}
	free(t->g);
	PQclear(t->res);
}

/* GET /groups: every root with its subtree. GET /groups/NAME (r->args[0]):
 * that group with its subtree, 404 if none. */
static void
groups(struct web_req *r, PGconn *pc)
{
	char err[512];
	PGresult *res = query_groups(pc, err, sizeof(err));
	struct api_tree t;
	int first = 1;

	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api groups: %s", err);
		return;
	}
	tree_load(&t, res);
	if (r->args[0] != NULL) {
		for (size_t i = 0; i < t.n; i++)
			if (strcmp(api_val(res, t.g[i].row, 0), r->args[0]) == 0) {
				r->status = 200;
				group_json(&r->body, &t, i, 0);
				break;
			}
		if (r->status == 0)
			web_error(r, 404, "not found", "no such group");
		tree_free(&t);
		return;
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"groups\":[");
	for (size_t i = 0; i < t.n; i++) {
		if (t.g[i].nparents > 0)
			continue;	/* a root of the tree */
		if (!first)
			strbuf_add(&r->body, ",", 1);
		first = 0;
		group_json(&r->body, &t, i, 0);
	}
	strbuf_adds(&r->body, "]}");
	tree_free(&t);
}

void
api_groups(struct web_req *r, PGconn *pc)
{
	groups(r, pc);
}

void
api_group(struct web_req *r, PGconn *pc)
{
	groups(r, pc);
}

void
api_groups_json(struct strbuf *b, PGresult *res, char **names, size_t n)
{
	int first = 1;

	strbuf_add(b, "[", 1);
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = api_val(res, i, 0);

		if (names != NULL && (n == 0 || bsearch(&name, names, n, sizeof(*names),
		    by_name_str) == NULL))
			continue;
		if (!first)
			strbuf_add(b, ",", 1);
		first = 0;
		strbuf_adds(b, "{\"name\":");
		jsonw_string(b, name);
		strbuf_adds(b, ",\"title\":");
		jsonw_string(b, api_val(res, i, 1));
		strbuf_adds(b, ",\"parents\":[");
		{
			char **pn;
			size_t np = pg_names(api_val(res, i, 14), &pn);

			for (size_t k = 0; k < np; k++) {
				if (k > 0)
					strbuf_add(b, ",", 1);
				jsonw_string(b, pn[k]);
				free(pn[k]);
			}
			free(pn);
		}
		strbuf_adds(b, "],\"worst_state\":");
		jsonw_string(b, api_val(res, i, 2));
		strbuf_adds(b, ",\"counts\":{");
		for (size_t k = 0; k < sizeof(api_count_names) / sizeof(api_count_names[0]); k++) {
			if (k > 0)
				strbuf_add(b, ",", 1);
			strbuf_add(b, "\"", 1);
			strbuf_adds(b, api_count_names[k]);
			strbuf_adds(b, "\":");
			strbuf_adds(b, api_val(res, i, 3 + (int)k));
		}
		strbuf_adds(b, "}}");
	}
	strbuf_add(b, "]", 1);
}

/* GET /downtimes?host=&service=: the open ones (pending or started). */
void
api_downtimes(struct web_req *r, PGconn *pc)
{
	char *host_re = NULL, *service_re = NULL, err[512];
	PGresult *res;

	if (api_param_glob(r, "host", &host_re) < 0 ||
	    api_param_glob(r, "service", &service_re) < 0)
		goto out;
	if ((res = query_downtimes(pc, host_re, service_re, NULL, NULL, err, sizeof(err))) == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api downtimes: %s", err);
		goto out;
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"downtimes\":[");
	for (int i = 0; i < PQntuples(res); i++) {
		if (i > 0)
			strbuf_add(&r->body, ",", 1);
		api_downtime_json(&r->body, res, i);
	}
	strbuf_adds(&r->body, "]}");
	PQclear(res);
out:
	free(host_re);
	free(service_re);
}

void
api_workers(struct web_req *r, PGconn *pc)
{
	char err[512], n[32];
	PGresult *pools = query_pools(pc, err, sizeof(err)), *workers;

	if (pools == NULL || (workers = query_workers(pc, err, sizeof(err))) == NULL) {
		if (pools != NULL)
			PQclear(pools);
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api workers: %s", err);
		return;
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"pools\":[");
	for (int i = 0; i < PQntuples(pools); i++) {
		if (i > 0)
			strbuf_add(&r->body, ",", 1);
		strbuf_adds(&r->body, "{\"name\":");
		jsonw_string(&r->body, api_val(pools, i, 0));
		strbuf_adds(&r->body, ",\"state\":");
		jsonw_string(&r->body, api_val(pools, i, 1));
		strbuf_adds(&r->body, ",\"live_workers\":");
		strbuf_adds(&r->body, api_val(pools, i, 2));
		strbuf_adds(&r->body, ",\"checks\":");
		strbuf_adds(&r->body, api_val(pools, i, 3));
		strbuf_adds(&r->body, ",\"since\":");
		api_time_json(&r->body, api_val(pools, i, 4));
		strbuf_adds(&r->body, ",\"capacity\":");
		strbuf_adds(&r->body, api_val(pools, i, 6));
		strbuf_adds(&r->body, ",\"inflight\":");
		strbuf_adds(&r->body, api_val(pools, i, 7));
		strbuf_adds(&r->body, ",\"held\":");
		strbuf_adds(&r->body, api_val(pools, i, 8));
		strbuf_adds(&r->body, ",\"waiting_s\":");
		snprintf(n, sizeof(n), "%.1f", atof(api_val(pools, i, 9)));
		strbuf_adds(&r->body, n);
		strbuf_adds(&r->body, ",\"late_expired\":");
		strbuf_adds(&r->body, api_val(pools, i, 10));
		strbuf_add(&r->body, "}", 1);
	}
	strbuf_adds(&r->body, "],\"workers\":[");
	for (int i = 0; i < PQntuples(workers); i++) {
		if (i > 0)
			strbuf_add(&r->body, ",", 1);
		strbuf_adds(&r->body, "{\"pool\":");
		jsonw_string(&r->body, api_val(workers, i, 0));
		strbuf_adds(&r->body, ",\"id\":");
		jsonw_string(&r->body, api_val(workers, i, 1));
		strbuf_adds(&r->body, ",\"host\":");
		jsonw_string(&r->body, api_val(workers, i, 2));
		strbuf_adds(&r->body, ",\"pid\":");
		strbuf_adds(&r->body, api_val(workers, i, 3));
		strbuf_adds(&r->body, ",\"concurrency\":");
		strbuf_adds(&r->body, api_val(workers, i, 4));
		strbuf_adds(&r->body, ",\"running\":");
		strbuf_adds(&r->body, api_val(workers, i, 5));
		strbuf_adds(&r->body, ",\"awaiting\":");
		strbuf_adds(&r->body, api_val(workers, i, 6));
		strbuf_adds(&r->body, ",\"version\":");
		jsonw_string(&r->body, api_val(workers, i, 7));
		strbuf_adds(&r->body, ",\"started\":");
		api_time_json(&r->body, api_val(workers, i, 8));
		strbuf_adds(&r->body, ",\"last_seen\":");
		api_time_json(&r->body, api_val(workers, i, 9));
		strbuf_add(&r->body, "}", 1);
	}
	strbuf_adds(&r->body, "]}");
	PQclear(pools);
	PQclear(workers);
}

void
api_notifications(struct web_req *r, PGconn *pc)
{
	int limit, failed, n = 0;
	const char *prev = NULL;
	char err[512];
	PGresult *res;

	if (api_param_limit(r, 50, &limit) < 0 || api_param_flag(r, "failed", &failed) < 0)
		return;
	res = query_notifications(pc, limit, failed, err, sizeof(err));
	if (res == NULL) {
		web_error(r, 503, "unavailable", "PostgreSQL did not answer the query");
		log_warn("api notifications: %s", err);
		return;
	}
	r->status = 200;
	strbuf_adds(&r->body, "{\"notifications\":[");
	/* One row per delivery, a notification's together: grouped here. */
	for (int i = 0; i < PQntuples(res); i++) {
		const char *id = api_val(res, i, 0);

		if (prev == NULL || strcmp(prev, id) != 0) {
			if (prev != NULL)
				strbuf_adds(&r->body, "]},");
			prev = id;
			n = 0;
			strbuf_adds(&r->body, "{\"id\":");
			jsonw_string(&r->body, id);
			strbuf_adds(&r->body, ",\"time\":");
			api_time_json(&r->body, api_val(res, i, 12));
			strbuf_adds(&r->body, ",\"type\":");
			jsonw_string(&r->body, api_val(res, i, 2));
			strbuf_adds(&r->body, ",\"number\":");
			strbuf_adds(&r->body, api_val(res, i, 3));
			strbuf_adds(&r->body, ",\"host\":");
			jsonw_string(&r->body, *api_val(res, i, 4) != '\0' ? api_val(res, i, 4) : NULL);
			strbuf_adds(&r->body, ",\"service\":");
			jsonw_string(&r->body, api_val(res, i, 5));
			strbuf_adds(&r->body, ",\"output\":");
			jsonw_string(&r->body, api_val(res, i, 6));
			strbuf_adds(&r->body, ",\"escalated\":");
			jsonw_bool(&r->body, api_val(res, i, 14) != NULL && api_val(res, i, 14)[0] == 't');
			strbuf_adds(&r->body, ",\"deliveries\":[");
		}
		if (api_val(res, i, 7) == NULL)
			continue;	/* a notification without deliveries (held) */
		if (n++ > 0)
			strbuf_add(&r->body, ",", 1);
		strbuf_adds(&r->body, "{\"contact\":");
		jsonw_string(&r->body, api_val(res, i, 7));
		strbuf_adds(&r->body, ",\"channel\":");
		jsonw_string(&r->body, api_val(res, i, 8));
		strbuf_adds(&r->body, ",\"address\":");
		jsonw_string(&r->body, api_val(res, i, 13));
		strbuf_adds(&r->body, ",\"status\":");
		jsonw_string(&r->body, api_val(res, i, 9));
		strbuf_adds(&r->body, ",\"attempts\":");
		strbuf_adds(&r->body, api_val(res, i, 10) != NULL ? api_val(res, i, 10) : "0");
		strbuf_adds(&r->body, ",\"last_error\":");
		jsonw_string(&r->body, api_val(res, i, 11));
		strbuf_add(&r->body, "}", 1);
	}
	strbuf_adds(&r->body, prev != NULL ? "]}]}" : "]}");
	PQclear(res);
}

