/*
 * NAME
 *	check_outcome - the notifier's outcome table (notifier/work.c)
 * DESCRIPTION
 *	work_verdict() decides what the loop does with a delivery from its
 *	claim, the attempt and the statement that recorded it: ack, retry
 *	through the retry queue, give up (notify.failed), park, requeue after
 *	a pause, or the same phase again. One row per case, as the ledger
 *	(lib/ledger.c) and the notifier's loop (notifier.c) rely on them.
 * DIAGNOSTICS
 *	A failing row names itself.
 */
#include <check.h>

#include "notifier/notifier_private.h"
#include "testutil.h"

static const char *const verdict_name[] = {
	[V_ACK] = "ack", [V_RETRY] = "retry", [V_GIVE_UP] = "give up", [V_RUN] = "run",
	[V_PARK] = "park", [V_REQUEUE] = "requeue", [V_AGAIN] = "again",
};

static const struct {
	const char *what;
	enum ledger_claim claim;
	int sent, permanent, attempt, max, rc;
	enum dv_verdict want;
} rows[] = {
	/* the claim decides alone when nothing was attempted */
	{ "database down at the claim", LEDGER_DB_ERROR, 0, 0, 0, 5, 0, V_REQUEUE },
	{ "another notifier is sending it", LEDGER_BUSY, 0, 0, 0, 5, 0, V_REQUEUE },
	{ "no such delivery row", LEDGER_MISSING, 0, 0, 0, 5, 0, V_PARK },
	{ "sent or failed before (a redelivery)", LEDGER_DONE, 0, 0, 0, 5, 0, V_ACK },
	/* an attempt, recorded */
	{ "sent", LEDGER_CLAIMED, 1, 0, 1, 5, 0, V_ACK },
	{ "sent on the last attempt", LEDGER_CLAIMED, 1, 0, 5, 5, 0, V_ACK },
	{ "failed, attempts left", LEDGER_CLAIMED, 0, 0, 1, 5, 0, V_RETRY },
	{ "failed, one attempt left", LEDGER_CLAIMED, 0, 0, 4, 5, 0, V_RETRY },
	{ "failed on the last attempt", LEDGER_CLAIMED, 0, 0, 5, 5, 0, V_GIVE_UP },
	{ "failed past the attempts", LEDGER_CLAIMED, 0, 1, 6, 5, 0, V_GIVE_UP },
	{ "failed for good (no address)", LEDGER_CLAIMED, 0, 1, 1, 5, 0, V_GIVE_UP },
	/* the record itself */
	{ "sent, the record failed", LEDGER_CLAIMED, 1, 0, 1, 5, -1, V_AGAIN },
	{ "failed, the record failed", LEDGER_CLAIMED, 0, 0, 1, 5, -1, V_AGAIN },
	{ "sent, taken over meanwhile", LEDGER_CLAIMED, 1, 0, 1, 5, 1, V_ACK },
	{ "failed, taken over meanwhile", LEDGER_CLAIMED, 0, 1, 5, 5, 1, V_ACK },
	/* recording 'failed' after notify.failed has the copy */
	{ "'failed' recorded", LEDGER_DONE, 0, 0, 0, 0, 0, V_ACK },
	{ "'failed' not recorded", LEDGER_DONE, 0, 0, 0, 0, -1, V_AGAIN },
};

START_TEST(outcome_table)
{
	enum dv_verdict got = work_verdict(rows[_i].claim, rows[_i].sent, rows[_i].permanent,
	    rows[_i].attempt, rows[_i].max, rows[_i].rc);

	ck_assert_msg(got == rows[_i].want, "%s: %s, want %s", rows[_i].what,
	    verdict_name[got], verdict_name[rows[_i].want]);
}
END_TEST

static Suite *
outcome_suite(void)
{
	Suite *s = suite_create("outcome");
	TCase *tc = tcase_create("table");

	tcase_add_loop_test(tc, outcome_table, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(outcome_suite());
}
