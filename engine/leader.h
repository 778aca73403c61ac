/*
 * NAME
 *	leader - one leading engine per installation, the others on standby
 * DESCRIPTION
 *	leader_acquire() blocks (before the event loop) until this engine
 *	holds the installation's PostgreSQL advisory lock on a connection of
 *	its own, polling once a second as a standby. PostgreSQL releases the
 *	lock when that session ends, so a leader that dies (kill -9, host
 *	gone) hands over within a second or two of its session closing.
 *
 *	leader_watch() keeps an eye on that session from the event loop: its
 *	socket (a server that closes it) and a "SELECT 1" every 2 s that must
 *	be answered within 10 s (a hung server or a partition). When the
 *	session is lost the lock is lost with it and another engine may lead:
 *	this one stops leading at once, before anything else can run on the
 *	loop. It closes every descriptor (the broker takes back the results it
 *	had not acked, the database thread's uncommitted work is void) and
 *	executes itself again, to wait as a standby.
 * DIAGNOSTICS
 *	info on standby and on taking the lead, error on losing it.
 */
#ifndef VIGIL_LEADER_H
#define VIGIL_LEADER_H

struct ev_loop;
struct config;
struct leader;

/* Wait until leading. Returns NULL if a stop was asked meanwhile
 * (*stop set by a signal handler). */
struct leader *leader_acquire(const struct config *cfg, volatile int *stop);
/* Watch the lock's session; on loss re-execute argv[0] with argv. */
void leader_watch(struct leader *l, struct ev_loop *loop, char *const argv[]);
/* Release (clean stop). */
void leader_free(struct leader *l);

#endif
