/*
 * NAME
 *	topology - the RabbitMQ exchanges and queues of one installation
 * DESCRIPTION
 *	Every name is "<prefix>.<what>" so installations can share a broker.
 *	Declarations are idempotent and identical wherever they are made (the
 *	engine declares everything, a worker its pool's part), because the
 *	broker refuses a redeclaration with other arguments.
 *
 *	  <p>.jobs        topic, alternate-exchange <p>.unroutable
 *	  <p>.unroutable  fanout  → queue <p>.jobs.unroutable
 *	  <p>.dead        topic   → queue <p>.jobs.dead (bound "#")
 *	  <p>.results     direct  → queue <p>.results (quorum; keys active, passive)
 *	  <p>.events      topic   → queue <p>.heartbeats (bound "worker.#": the
 *	                  workers' heartbeats, routing key worker.<pool>; not
 *	                  durable, and a heartbeat expires after 5 s in it: a
 *	                  stale one says nothing, so nothing piles up while no
 *	                  engine reads)
 *	  <p>.commands    direct  → queue <p>.commands (keys: reload, ack, downtime,
 *	                  notify)
 *	  <p>.parked      fanout  → queue <p>.parked: malformed messages, kept
 *	                  for a human (the engine's queues dead-letter here)
 *	  queue <p>.jobs.<pool>, x-dead-letter-exchange <p>.dead, bound "<pool>.#"
 *	Notifications (topology_declare_notify):
 *	  queue <p>.notify        bound to <p>.events "notification.#" (the
 *	                  engine's outbox publishes notification.<contact>);
 *	                  x-dead-letter-exchange <p>.notify.retry: what the
 *	                  notifier rejects waits there
 *	  <p>.notify.retry fanout → queue <p>.notify.retry, x-message-ttl =
 *	                  the retry delay, x-dead-letter-exchange <p>.notify.again
 *	  <p>.notify.again fanout → queue <p>.notify (back for another attempt;
 *	                  the x-death count of <p>.notify says which)
 *	  <p>.notify.failed fanout → queue <p>.notify.failed: given up, kept
 * DIAGNOSTICS
 *	-1 when the broker refuses a declaration (mq logs its reply).
 */
#ifndef VIGIL_TOPOLOGY_H
#define VIGIL_TOPOLOGY_H

#include <stddef.h>
#include <stdint.h>

struct mq;

#define TOPO_RK_ACTIVE "active"
#define TOPO_RK_PASSIVE "passive"
#define TOPO_CMD_RELOAD "reload"
#define TOPO_CMD_ACK "ack"		/* ack, unack */
#define TOPO_CMD_DOWNTIME "downtime"	/* downtime, cancel */
#define TOPO_CMD_NOTIFY "notify"	/* a custom notification */
#define TOPO_CMD_RECHECK "recheck"	/* run a check now */
#define TOPO_CMD_SWITCH "switch"	/* disable, enable: runtime switches */
#define TOPO_RK_NOTIFICATION "notification.#"
#define TOPO_HEARTBEAT_TTL_MS 5000

/* buf = "<prefix>.<what>" */
const char *topology_name(char *buf, size_t len, const char *prefix, const char *what);

/* buf = "worker.<pool>": the routing key of a pool's worker heartbeats. */
const char *topology_worker_key(char *buf, size_t len, const char *pool);

/* Every exchange. owner (the engine): each must be declared. Otherwise
 * (workers, the notifier, vigil-web) a broker role without the configure
 * permission on exchanges stops it there, refused, without failing:
 * the engine declares them. */
int topology_declare_exchanges(struct mq *mq, const char *prefix, int owner);
/* Everything, exchanges first; the parked queue bounded (max messages,
 * the oldest dropped first; each kept ttl_ms): 1 when it was made before
 * it had a bound and stays unbounded, 0, or -1. */
int topology_declare_engine(struct mq *mq, const char *prefix, int64_t parked_max,
    int64_t parked_ttl_ms);
/* The exchanges (owner 0), then the pool's queue and its binding. */
int topology_declare_pool(struct mq *mq, const char *prefix, const char *pool);
/* The queue <p>.parked (bounded as topology_declare_engine says) and its
 * binding (the engine's): 1 if it stays unbounded, 0, or -1. */
int topology_declare_parked(struct mq *mq, const char *prefix, int64_t max, int64_t ttl_ms);
/* The notification queues and bindings (their exchanges: with the
 * others). retry_delay_ms 0: all but the retry queue, whose TTL only the
 * notifier knows (the engine declares the rest so that no notification it
 * publishes is ever unroutable). */
int topology_declare_notify(struct mq *mq, const char *prefix, int64_t retry_delay_ms);

#endif
