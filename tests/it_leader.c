/*
 * NAME
 *	it_leader - one leading engine, a hot standby that takes over
 * DESCRIPTION
 *	Two engines on one installation: one leads (PostgreSQL advisory lock),
 *	the other waits. kill -9 of the leader: the standby leads within 10 s
 *	and every check runs again. A leader whose database session is killed
 *	stops leading at once (it executes itself again, as a standby), and one
 *	engine leads again. Throughout, a sampler
 *	asserts that at most one session ever holds the lead.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itutil.h"
#include "pg.h"
#include "tests/testutil.h"
#include "util.h"
#include "xalloc.h"


/* How many sessions hold the installation's lead lock right now. */
static int
holders(struct it_env *e)
{
	char *sql = xasprintf("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
	    " AND granted AND classid = (hashtext('vigil leader')::bigint & 4294967295)::oid"
	    " AND objid = (hashtext('%s')::bigint & 4294967295)::oid", e->prefix);
	char *v = it_sql(e, sql);
	int n = v != NULL ? atoi(v) : -1;

	free(sql);
	free(v);
	return n;
}

START_TEST(the_standby_leads_within_10_s_after_kill_9_and_never_two_lead)
{
	struct it_env e;
	const char *cfg;
	pid_t a, b, w, sampler;
	double took, t_kill;
	int st;
	char *sql;

	it_env_init(&e, "leader");
	cfg = it_write_config(&e, "max_check_spread: 1s\n", "a.yaml",
	    "commands:\n"
	    "  dummy: {argv: [$PLUGINDIR$/check_dummy, \"0\", fine]}\n"
	    "hosts:\n"
	    "  h1:\n"
	    "    services:\n"
	    "      s1: {command: [dummy], interval: 2s}\n"
	    "      s2: {command: [dummy], interval: 2s}\n"
	    "      s3: {command: [dummy], interval: 3s}\n"
	    "  h2:\n"
	    "    check: [dummy]\n"
	    "    interval: 2s\n");
	a = it_spawn(&e, "a.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	ck_assert_msg(it_wait_log(&e, "a.log", "leading prefix=", 20) >= 0, "engine a never led");
	b = it_spawn(&e, "b.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	ck_assert_msg(it_wait_log(&e, "b.log", "standby: another engine leads", 20) >= 0,
	    "engine b is not on standby");
	w = it_spawn(&e, "w.log", "worker/vigil-worker", (const char *[]){ "-c", cfg, NULL });
	ck_assert_int_eq(it_wait_sql(&e, "SELECT count(*) FILTER (WHERE state IS NULL) || '/' || count(*)"
	    " FROM check_state", "0/4", 20), 0);

	/* The sampler: a child that checks the lock ten times a second and
	 * exits 1 the moment two sessions hold it. */
	sampler = fork();
	if (sampler == 0) {
		for (;;) {
			if (holders(&e) > 1)
				_exit(1);
			usleep(100 * 1000);
		}
	}
	kill(a, SIGKILL);
	waitpid(a, &st, 0);
	t_kill = util_now();
	took = it_wait_log(&e, "b.log", "leading prefix=", 15);
	ck_assert_msg(took >= 0 && took < 10, "the standby took %.1f s to lead", took);
	fprintf(stderr, "takeover after kill -9: %.2f s\n", took);
	/* Every check runs again under the new leader. */
	sql = xasprintf("SELECT count(*) FILTER (WHERE last_check > to_timestamp(%.3f)) || '/' || count(*)"
	    " FROM check_state", t_kill);
	if (it_wait_sql(&e, sql, "4/4", 15) < 0) {
		it_dump(&e, "b.log");
		ck_abort_msg("not every check ran after the takeover");
	}
	free(sql);

	/* The new leader loses its session: it stops leading at once and
	 * waits as a standby; a (new) standby takes over. */
	a = it_spawn(&e, "a2.log", "engine/vigil-engine", (const char *[]){ "-c", cfg, NULL });
	ck_assert_msg(it_wait_log(&e, "a2.log", "standby: another engine leads", 20) >= 0,
	    "the restarted engine is not on standby");
	{
		char *kill_sql = xasprintf("SELECT count(pg_terminate_backend(l.pid))::text FROM pg_locks l"
		    " WHERE l.locktype = 'advisory' AND l.granted"
		    " AND l.objid = (hashtext('%s')::bigint & 4294967295)::oid", e.prefix);

		IT_ASSERT_SQL(&e, kill_sql, "1");
		free(kill_sql);
	}
	ck_assert_msg(it_wait_log(&e, "b.log", "lost the database session holding the lead", 10) >= 0,
	    "the leader did not notice it lost its session");
	/* Whichever engine asks first leads now (the lock was free): exactly
	 * one, within 10 s, and the checks run on. */
	{
		double t0 = util_now();
		char *since;

		while (holders(&e) != 1 && util_now() - t0 < 10)
			usleep(100 * 1000);
		ck_assert_msg(holders(&e) == 1, "nobody leads 10 s after the session loss");
		fprintf(stderr, "lead taken again %.2f s after the session loss\n", util_now() - t0);
		since = xasprintf("SELECT count(*) FILTER (WHERE last_check > to_timestamp(%.3f)) || '/'"
		    " || count(*) FROM check_state", util_now());
		ck_assert_msg(it_wait_sql(&e, since, "4/4", 15) == 0, "checks stopped after the session loss");
		free(since);
	}
	ck_assert_int_eq(kill(b, 0), 0);	/* same process, executed again */
	/* Never two leaders. */
	ck_assert_int_eq(waitpid(sampler, &st, WNOHANG), 0);
	kill(sampler, SIGKILL);
	waitpid(sampler, &st, 0);
	it_stop(w, SIGTERM, 10);
	it_stop(a, SIGTERM, 10);
	it_stop(b, SIGTERM, 10);
	it_env_cleanup(&e);
}
END_TEST

static Suite *
leader_suite(void)
{
	Suite *s = suite_create("leader");
	TCase *tc = tcase_create("failover");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, the_standby_leads_within_10_s_after_kill_9_and_never_two_lead);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(leader_suite());
}
