/*
 * NAME
 *	quorum - one status for a check run from several locations
 * DESCRIPTION
 *	A multi-location check (config `pools: [a, b, c]`) runs from every
 *	pool each interval; once every location has answered, the round's
 *	results are combined into one plugin status that the state machine
 *	sees, as if one plugin had said it.
 *
 *	The rule: locations rank by severity OK < WARNING < UNKNOWN <
 *	CRITICAL, and the combined status is the worst status s such that at
 *	least `quorum` locations report s or something worse. With quorum 1
 *	(the default) the worst location wins, as a single-location check
 *	would fail; with quorum 2 of 3, one location seeing the target down
 *	(its own network, a broken probe) leaves the check OK, two make it
 *	CRITICAL. UNKNOWN ranks below CRITICAL because a location that could
 *	not tell (no worker, a plugin that failed) is no evidence that the
 *	target is down, and above WARNING because it is still a problem:
 *	CRITICAL + UNKNOWN under quorum 2 is UNKNOWN, not OK.
 *
 *	quorum_text() is what the check's output says: the first line names
 *	the status, how many locations back it and which ("CRITICAL from 2 of
 *	3 locations (quorum 2): eu-1: <output>; eu-2: <output>"): for a
 *	problem the locations at that status or worse, for OK those that
 *	saw OK. The long output has one line per location, in pool order:
 *	"eu-3: OK: <output>".
 *
 *	Pure functions over plain structs: no I/O, no clock.
 * DIAGNOSTICS
 *	None: a status outside 0..3 counts as UNKNOWN and a quorum outside
 *	1..n is clamped (the config refuses both long before).
 */
#ifndef VIGIL_QUORUM_H
#define VIGIL_QUORUM_H

#include <stddef.h>

/* One location's answer in a round. */
struct quorum_vote {
	const char *pool;
	int status;		/* plugin status 0..3 */
	const char *output;	/* its first line (result_split's output) */
};

/* Rank of a plugin status: OK 0, WARNING 1, UNKNOWN 2, CRITICAL 3. */
int quorum_severity(int status);

/* The combined plugin status of n >= 1 votes under quorum. */
int quorum_status(const struct quorum_vote *v, size_t n, int quorum);

/* The combined plugin text for status (from quorum_status): the first
 * line, then the long output, one line per vote. A '|' or line break in
 * an output becomes a space: it would read as perfdata or a new line.
 * Caller frees. */
char *quorum_text(const struct quorum_vote *v, size_t n, int quorum, int status);

#endif
