/*
 * NAME
 *	jobid - job ids only this installation's engines can make
 * DESCRIPTION
 *	A job id is 32 hex digits: 16 random ones, then the first 8 bytes of
 *	HMAC-SHA-256(engine secret, "vigil-job/1:" random ":" check id ":"
 *	scheduled time in ms). The secret lives in PostgreSQL (migration
 *	013: written once by the first engine, read by every later one and
 *	by a standby taking over), never on the broker or a worker.
 *
 *	So a result names the run it answers, and the engine can tell,
 *	without remembering any job, that it sent that job for that check
 *	at that scheduled time: a result for another check, a job it never
 *	published, or a scheduled time moved to the future (which would
 *	make every later result look older, and be dropped) is refused.
 *	A worker answering after an engine restart is still taken.
 *	Duplicates are then dropped by the check's last job and scheduled
 *	time (intake.c).
 * SECURITY
 *	The secret is read once at start; it is never logged.
 * DIAGNOSTICS
 *	jobid_init(): -1 with err when PostgreSQL refuses.
 */
#include "engine_private.h"
#include "auth.h"

#include <math.h>

#define JOBID_SECRET 32

int
jobid_init(struct engine *e, PGconn *pc, char *err, size_t errlen)
{
	unsigned char fresh[JOBID_SECRET], secret[256];
	char hex[2 * JOBID_SECRET + 1];
	const char *params[1] = { hex };
	PGresult *res;
	size_t n = 0;

	if (auth_random(fresh, sizeof(fresh)) < 0) {
		snprintf(err, errlen, "no randomness from the system for the engine secret");
		return -1;
	}
	for (size_t i = 0; i < sizeof(fresh); i++)
		snprintf(hex + 2 * i, 3, "%02x", fresh[i]);
	/* The first engine's secret wins; every other engine takes it. */
	res = PQexecParams(pc, "INSERT INTO engine_secret (id, secret) VALUES (1, decode($1, 'hex')) "
	    "ON CONFLICT (id) DO NOTHING", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "engine_secret: %s", PQerrorMessage(pc));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	res = PQexecParams(pc, "SELECT encode(secret, 'hex') FROM engine_secret WHERE id = 1",
	    0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		snprintf(err, errlen, "engine_secret: %s", PQerrorMessage(pc));
		PQclear(res);
		return -1;
	}
	{
		const char *v = PQgetvalue(res, 0, 0);
		size_t len = strlen(v);

		for (n = 0; n < sizeof(secret) && 2 * n + 1 < len; n++) {
			unsigned int b;

			if (sscanf(v + 2 * n, "%2x", &b) != 1)
				break;
			secret[n] = (unsigned char)b;
		}
	}
	PQclear(res);
	e->jobid_mac = n >= JOBID_SECRET ? auth_mac_new(secret, n) : NULL;
	memset(secret, 0, sizeof(secret));
	memset(hex, 0, sizeof(hex));
	if (e->jobid_mac == NULL) {
		snprintf(err, errlen, "engine_secret: unusable (%zu bytes)", n);
		return -1;
	}
	return 0;
}

void
jobid_free(struct engine *e)
{
	auth_mac_free(e->jobid_mac);
	e->jobid_mac = NULL;
}

/* The MAC part (16 hex) of the id whose random part is rnd; an event
 * handler's ids are of their own domain, never a check run's. */
static int
jobid_tail(const struct engine *e, int kind, const char *rnd, int64_t check_id,
    double scheduled, char out[17])
{
	char text[128];
	unsigned char mac[32];
	int n;

	/* Times travel as JSON doubles that round-trip exactly (17 digits);
	 * the ms keep the input short and stable all the same. */
	if (!isfinite(scheduled) || fabs(scheduled) > 1e13)
		return -1;
	n = snprintf(text, sizeof(text), "%s:%.16s:%lld:%lld", kind == JOBID_EVENT_HANDLER ?
	    "vigil-eventh/1" : "vigil-job/1", rnd, (long long)check_id,
	    (long long)llround(scheduled * 1000.0));
	if (n < 0 || (size_t)n >= sizeof(text) || auth_mac(e->jobid_mac, text, (size_t)n, mac) < 0)
		return -1;
	for (size_t i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
	return 0;
}

void
jobid_new_kind(const struct engine *e, int kind, int64_t check_id, double scheduled,
    char out[UTIL_ID_LEN + 1])
{
	util_random_id(out);
	if (jobid_tail(e, kind, out, check_id, scheduled, out + 16) < 0)
		out[16] = '\0';	/* never valid: the result is refused */
}

void
jobid_new(const struct engine *e, int64_t check_id, double scheduled,
    char out[UTIL_ID_LEN + 1])
{
	jobid_new_kind(e, JOBID_CHECK, check_id, scheduled, out);
}

int
jobid_valid(const struct engine *e, const char *id, int64_t check_id, double scheduled)
{
	return jobid_valid_kind(e, JOBID_CHECK, id, check_id, scheduled);
}

int
jobid_valid_kind(const struct engine *e, int kind, const char *id, int64_t check_id,
    double scheduled)
{
	char tail[17];
	unsigned char diff = 0;

	if (strlen(id) != UTIL_ID_LEN || jobid_tail(e, kind, id, check_id, scheduled, tail) < 0)
		return 0;
	for (size_t i = 0; i < 16; i++)
		diff |= (unsigned char)(tail[i] ^ id[16 + i]);
	return diff == 0;
}
