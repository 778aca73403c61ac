/*
 * NAME
 *	notifier - vigil-notifier: deliver notification messages by email,
 *	Slack, generic webhook or a Nagios-style command
 * DESCRIPTION
 *	notifier_service (daemon.h) consumes <prefix>.notify (prefetch = concurrency) on one
 *	libev loop that alone touches RabbitMQ. Each message is one delivery
 *	(msg.h): decoded on the loop, then handed to a pool of `concurrency`
 *	threads (pool.h), each with its own PostgreSQL connection and curl
 *	handle, which claim it (ledger.h), send it (smtp.h, http.h) and record
 *	the outcome; a command runs on the loop (runner.h) between the claim
 *	and the record. The verdict comes back to the loop, which acks,
 *	rejects or publishes.
 *
 *	Outcomes, per delivery:
 *	  sent              status 'sent'; ack.
 *	  already done      the row is 'sent' or 'failed' (a redelivered or
 *	                    duplicated message): ack, nothing is sent.
 *	  failed, attempts left
 *	                    status 'retrying', last_error; reject without
 *	                    requeue: the broker moves it through
 *	                    <prefix>.notify.retry (TTL notifier.retry.delay)
 *	                    back to <prefix>.notify. The attempt number is
 *	                    1 + the x-death count of the retry queue, or the
 *	                    claim's attempt count if higher; a claim beyond
 *	                    notifier.retry.attempts gives up unsent.
 *	  claim taken over (it went stale: ledger.h)
 *	                    nothing is recorded; ack.
 *	  failed, last attempt (notifier.retry.attempts), or a failure no
 *	  retry can heal (no address for the channel, unknown macro)
 *	                    published (persistent, confirmed) to
 *	                    <prefix>.notify.failed, then status 'failed', then
 *	                    ack.
 *	  malformed, or no such delivery
 *	                    published to <prefix>.parked, then ack.
 *	  PostgreSQL unreachable
 *	                    nothing is sent; after a pause the message is
 *	                    rejected with requeue (logged once per outage).
 *	                    When the outcome cannot be recorded, recording is
 *	                    retried after a pause with the message held.
 *	  being sent by another notifier
 *	                    requeued after a pause.
 *
 *	SIGTERM/SIGINT: take no more messages, give back those not claimed
 *	yet, finish the deliveries in hand and record their outcomes (at
 *	most notifier.timeout + the kill grace + a statement's timeout + a
 *	few seconds; an outcome still unrecorded then is tried once more),
 *	close the connection (what was not acked goes back to the queue) and
 *	exit 0. SIGHUP: vigil.yaml is read again and checked; its errors are
 *	logged, and changed notifier settings are named as needing a restart.
 * DIAGNOSTICS
 *	Every outcome is logged (info, warn for failures) with delivery id,
 *	notification id, contact, channel, attempt and milliseconds. Broker
 *	down: logged once, reconnect with backoff (mq.h).
 * SECURITY
 *	No password, webhook URL path or command argument is logged (only a
 *	URL's host and a command's argv[0]).
 */
#ifndef VIGIL_NOTIFIER_H
#define VIGIL_NOTIFIER_H

#include "daemon.h"

/* daemon_main()'s arg for notifier_service. */
struct notifier_opts {
	int concurrency;	/* 0: notifier.concurrency from the config */
};

extern const struct daemon_service notifier_service;

#endif
