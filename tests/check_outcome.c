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

/*
 * Where a claimed delivery goes: the ledger row's channel and target,
 * whatever the message says. The message below says email to a@x, Slack
 * #ops, webhook http://h/p and the command /bin/notify.
 */
static const struct {
	const char *what;
	const char *says;	/* the message's channel, if not the row's */
	const char *channel, *contact, *address, *target;	/* the row */
	int rc, differs;
	const char *want;	/* the target used, argv joined by spaces */
} targets[] = {
	{ "the message agrees with its row", NULL, "email", "alice", "a@x", "\"a@x\"", 0, 0,
	  "a@x" },
	{ "another address", NULL, "email", "alice", "b@y", "\"b@y\"", 0, 1, "b@y" },
	{ "another contact", NULL, "email", "bob", "a@x", "\"a@x\"", 0, 1, "a@x" },
	{ "a Slack row", NULL, "slack", "alice", "#ops", "\"#ops\"", 0, 0, "#ops" },
	{ "an email row, the message a command", "command", "email", "alice", "a@x",
	  "\"a@x\"", 0, 1, "a@x" },
	{ "the row's argv and pager", NULL, "command", "alice", "page",
	  "{\"argv\":[\"/bin/page\",\"$_CONTACTPAGER$\"],\"email\":\"a@x\","
	  "\"vars\":{\"pager\":\"555\"}}", 0, 1, "/bin/page $_CONTACTPAGER$" },
	{ "the same argv and contact", NULL, "command", "alice", "page",
	  "{\"argv\":[\"/bin/notify\",\"-x\"],\"email\":\"a@x\",\"slack\":\"#ops\","
	  "\"webhook\":\"http://h/p\",\"vars\":{}}", 0, 0, "/bin/notify -x" },
	{ "a command row without a command", NULL, "command", "alice", "page", "null", -1, 0,
	  NULL },
	{ "an argv with a number", NULL, "command", "alice", "page",
	  "{\"argv\":[\"/bin/x\",1]}", -1, 0, NULL },
	{ "a pager that is a number", NULL, "command", "alice", "page",
	  "{\"argv\":[\"/bin/x\"],\"vars\":{\"pager\":5}}", -1, 0, NULL },
	{ "a target that is not JSON", NULL, "email", "alice", "a@x", "a@x", -1, 0, NULL },
	{ "a webhook target that is an object", NULL, "webhook", "alice", "http://h", "{}", -1, 0,
	  NULL },
	/* rows from before migration 014 */
	{ "old email row: its address", NULL, "email", "alice", "c@z", NULL, 0, 1, "c@z" },
	{ "old webhook row, the message's host", NULL, "webhook", "alice", "http://h", NULL, 0, 0,
	  "http://h/p" },
	{ "old webhook row, another host", NULL, "webhook", "alice", "http://h.evil", NULL, -1, 0,
	  NULL },
	{ "old webhook row, a host prefix", NULL, "webhook", "alice", "http://", NULL, -1, 0,
	  NULL },
	{ "old command row", NULL, "command", "alice", "page", NULL, -1, 0, NULL },
};

START_TEST(target_table)
{
	static char *argv[] = { "/bin/notify", "-x", NULL };
	struct notification_msg n;
	struct ledger_row row;
	char err[256] = "", got[256] = "";
	int differs = -1, rc;

	memset(&row, 0, sizeof(row));
	memset(&n, 0, sizeof(n));
	n.channel = xstrdup(targets[_i].says != NULL ? targets[_i].says : targets[_i].channel);
	n.contact = xstrdup("alice");
	n.email = xstrdup("a@x");
	n.slack = xstrdup("#ops");
	n.webhook = xstrdup("http://h/p");
	n.command = xcalloc(3, sizeof(char *));
	n.command[0] = xstrdup(argv[0]);
	n.command[1] = xstrdup(argv[1]);
	n.ncommand = 2;
	snprintf(row.channel, sizeof(row.channel), "%s", targets[_i].channel);
	row.contact = xstrdup(targets[_i].contact);
	row.address = xstrdup(targets[_i].address);
	row.target = targets[_i].target != NULL ? xstrdup(targets[_i].target) : NULL;
	rc = work_target(&n, &row, &differs, err, sizeof(err));
	ck_assert_msg(rc == targets[_i].rc, "%s: %d (%s), want %d", targets[_i].what, rc, err,
	    targets[_i].rc);
	if (rc == 0) {
		const char *to = strcmp(row.channel, "email") == 0 ? n.email :
		    strcmp(row.channel, "slack") == 0 ? n.slack : n.webhook;

		ck_assert_str_eq(n.channel, row.channel);
		ck_assert_str_eq(n.contact, row.contact);
		if (strcmp(row.channel, "command") == 0) {
			for (size_t k = 0; k < n.ncommand; k++)
				snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
				    k > 0 ? " " : "", n.command[k]);
		} else {
			snprintf(got, sizeof(got), "%s", to);
			ck_assert_msg(n.command == NULL, "%s: the message's argv stayed",
			    targets[_i].what);
		}
		ck_assert_msg(strcmp(got, targets[_i].want) == 0, "%s: sent to \"%s\", want \"%s\"",
		    targets[_i].what, got, targets[_i].want);
		ck_assert_msg(differs == targets[_i].differs, "%s: differs %d", targets[_i].what,
		    differs);
		if (strstr(row.target != NULL ? row.target : "", "pager") != NULL) {
			/* whom a command pages is the row's word too */
			ck_assert_ptr_null(n.slack);
			ck_assert_ptr_null(n.webhook);
			ck_assert_uint_eq(n.nvars, 1);
			ck_assert_str_eq(n.vars[0].name, "pager");
			ck_assert_str_eq(n.vars[0].value, "555");
		}
	} else
		ck_assert_msg(err[0] != '\0', "%s: no reason", targets[_i].what);
	ledger_row_clear(&row);
	msg_notification_clear(&n);
}
END_TEST

static Suite *
outcome_suite(void)
{
	Suite *s = suite_create("outcome");
	TCase *tc = tcase_create("table");

	tcase_add_loop_test(tc, outcome_table, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	suite_add_tcase(s, tc);
	tc = tcase_create("target");
	tcase_add_loop_test(tc, target_table, 0, (int)(sizeof(targets) / sizeof(targets[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tu_run(outcome_suite());
}
