/*
 * NAME
 *	migrate - apply schema/NNN_*.sql migrations in order, once each
 * DESCRIPTION
 *	See migrate.h.
 * DIAGNOSTICS
 *	See migrate.h.
 */
#include "migrate.h"
#include "pg.h"
#include "util.h"
#include "xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
is_sql(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return d->d_name[0] != '.' && len > 4 && strcmp(d->d_name + len - 4, ".sql") == 0;
}

/* Every .sql file of schema/functions/, in one transaction. 0, or -1 with err. */
static int
functions_apply(PGconn *c, const char *dir, char *err, size_t errlen)
{
	char *fdir = xasprintf("%s/functions", dir), e2[512];
	struct dirent **list = NULL;
	int n = scandir(fdir, &list, is_sql, alphasort), rc = 0;

	if (n < 0) {
		snprintf(err, errlen, "%s: %s", fdir, strerror(errno));
		free(fdir);
		return -1;
	}
	if (pg_exec(c, "BEGIN", err, errlen) < 0)
		rc = -1;
	for (int i = 0; i < n && rc == 0; i++) {
		char *path = xasprintf("%s/%s", fdir, list[i]->d_name);
		char *sql = util_read_file(path, NULL);

		e2[0] = '\0';
		if (sql == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			rc = -1;
		} else if (pg_exec(c, sql, e2, sizeof(e2)) < 0) {
			snprintf(err, errlen, "%s: %s", path, e2);
			rc = -1;
		}
		free(sql);
		free(path);
	}
	if (rc == 0 && pg_exec(c, "COMMIT", err, errlen) < 0)
		rc = -1;
	if (rc < 0)
		pg_exec(c, "ROLLBACK", e2, sizeof(e2));
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(fdir);
	return rc;
}

static int
is_migration(const struct dirent *d)
{
	const char *n = d->d_name;
	size_t len = strlen(n), i = 0;

	while (isdigit((unsigned char)n[i]))
		i++;
	return i > 0 && n[i] == '_' && len > 4 && strcmp(n + len - 4, ".sql") == 0;
}

int
migrate_apply(PGconn *c, const char *dir, char *err, size_t errlen)
{
	struct dirent **list = NULL;
	int n, applied = 0, rc = 0;
	char e2[512];

	if (pg_exec(c, "SELECT pg_advisory_lock(hashtext(current_schema() || ': migrate'));"
	    "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", err, errlen) < 0)
		return -1;
	n = scandir(dir, &list, is_migration, alphasort);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		rc = -1;
		goto out;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		char version[256], *path, *sql;
		const char *params[1] = { version };
		PGresult *r;

		snprintf(version, sizeof(version), "%.*s",
		    (int)(strlen(list[i]->d_name) - 4), list[i]->d_name);
		r = pg_query(c, "SELECT 1 FROM schema_migrations WHERE version = $1",
		    1, params, err, errlen);
		if (r == NULL) {
			rc = -1;
			break;
		}
		if (PQntuples(r) > 0) {
			PQclear(r);
			continue;
		}
		PQclear(r);
		path = xasprintf("%s/%s", dir, list[i]->d_name);
		sql = util_read_file(path, NULL);
		if (sql == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(path);
			rc = -1;
			break;
		}
		e2[0] = '\0';
		if (pg_exec(c, "BEGIN", err, errlen) < 0 ||
		    pg_exec(c, sql, e2, sizeof(e2)) < 0) {
			if (e2[0] != '\0')
				snprintf(err, errlen, "%s: %s", path, e2);
			pg_exec(c, "ROLLBACK", e2, sizeof(e2));
			rc = -1;
		} else if ((r = pg_query(c, "INSERT INTO schema_migrations (version) VALUES ($1)",
		    1, params, err, errlen)) == NULL || pg_exec(c, "COMMIT", err, errlen) < 0) {
			PQclear(r);
			pg_exec(c, "ROLLBACK", e2, sizeof(e2));
			rc = -1;
		} else {
			PQclear(r);
			applied++;
		}
		free(sql);
		free(path);
	}
	if (rc == 0 && functions_apply(c, dir, err, errlen) < 0)
		rc = -1;
out:
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	pg_exec(c, "SELECT pg_advisory_unlock(hashtext(current_schema() || ': migrate'))", e2, sizeof(e2));
	return rc < 0 ? -1 : applied;
}
