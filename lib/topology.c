/*
 * NAME
 *	topology - the RabbitMQ exchanges and queues of one installation
 * DESCRIPTION
 *	See topology.h.
 * DIAGNOSTICS
 *	-1 on the first refused declaration.
 */
#include "topology.h"
#include "mq.h"

#include <stdio.h>

const char *
topology_name(char *buf, size_t len, const char *prefix, const char *what)
{
	/* AMQP names are short strings (255 bytes); config validation keeps
	 * prefixes and pools far below that, so a cut cannot happen. */
	if (snprintf(buf, len, "%s.%s", prefix, what) >= (int)len)
		buf[len - 1] = '\0';
	return buf;
}

const char *
topology_worker_key(char *buf, size_t len, const char *pool)
{
	if (snprintf(buf, len, "worker.%s", pool) >= (int)len)
		buf[len - 1] = '\0';	/* as in topology_name() */
	return buf;
}

int
topology_declare_exchanges(struct mq *mq, const char *prefix, int owner)
{
	static const struct { const char *what, *type, *alt; } x[] = {
		{ "unroutable", "fanout", NULL },
		{ "jobs", "topic", "unroutable" },
		{ "dead", "topic", NULL },
		{ "results", "direct", NULL },
		{ "events", "topic", NULL },
		{ "commands", "direct", NULL },
		{ "parked", "fanout", NULL },
		{ "notify.retry", "fanout", NULL },
		{ "notify.again", "fanout", NULL },
		{ "notify.failed", "fanout", NULL },
	};
	char a[256], b[256];

	for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
		int rc;

		topology_name(a, sizeof(a), prefix, x[i].what);
		if (x[i].alt != NULL)
			topology_name(b, sizeof(b), prefix, x[i].alt);
		rc = owner ? mq_declare_exchange(mq, a, x[i].type, x[i].alt != NULL ? b : NULL) :
		    mq_declare_exchange_try(mq, a, x[i].type, x[i].alt != NULL ? b : NULL);
		if (rc < 0)
			return -1;
		if (rc > 0)	/* a role without configure: the engine's to do */
			return 0;
	}
	return 0;
}

int
topology_declare_engine(struct mq *mq, const char *prefix, int64_t parked_max,
    int64_t parked_ttl_ms)
{
	char q[256], x[256], parked[256];
	/* What the engine rejects (malformed) the broker moves to parked. */
	struct mq_queue durable = { .durable = 1,
		.dead_letter_exchange = topology_name(parked, sizeof(parked), prefix, "parked") };
	struct mq_queue quorum = { .durable = 1, .quorum = 1, .dead_letter_exchange = parked };
	struct mq_queue heartbeats = { .message_ttl_ms = TOPO_HEARTBEAT_TTL_MS };

	int bounded;

	if (topology_declare_exchanges(mq, prefix, 1) < 0 ||
	    (bounded = topology_declare_parked(mq, prefix, parked_max, parked_ttl_ms)) < 0)
		return -1;
	topology_name(q, sizeof(q), prefix, "results");
	if (mq_declare_queue(mq, q, &quorum) < 0 ||
	    mq_bind(mq, q, q, TOPO_RK_ACTIVE) < 0 ||
	    mq_bind(mq, q, q, TOPO_RK_PASSIVE) < 0)
		return -1;
	topology_name(q, sizeof(q), prefix, "jobs.dead");
	if (mq_declare_queue(mq, q, &durable) < 0 ||
	    mq_bind(mq, q, topology_name(x, sizeof(x), prefix, "dead"), "#") < 0)
		return -1;
	topology_name(q, sizeof(q), prefix, "jobs.unroutable");
	if (mq_declare_queue(mq, q, &durable) < 0 ||
	    mq_bind(mq, q, topology_name(x, sizeof(x), prefix, "unroutable"), "") < 0)
		return -1;
	topology_name(q, sizeof(q), prefix, "commands");
	if (mq_declare_queue(mq, q, &durable) < 0 ||
	    mq_bind(mq, q, q, TOPO_CMD_RELOAD) < 0 ||
	    mq_bind(mq, q, q, TOPO_CMD_ACK) < 0 ||
	    mq_bind(mq, q, q, TOPO_CMD_DOWNTIME) < 0 ||
	    mq_bind(mq, q, q, TOPO_CMD_NOTIFY) < 0 ||
	    mq_bind(mq, q, q, TOPO_CMD_RECHECK) < 0 ||
	    mq_bind(mq, q, q, TOPO_CMD_SWITCH) < 0)
		return -1;
	topology_name(q, sizeof(q), prefix, "heartbeats");
	if (mq_declare_queue(mq, q, &heartbeats) < 0 ||
	    mq_bind(mq, q, topology_name(x, sizeof(x), prefix, "events"), "worker.#") < 0)
		return -1;
	if (topology_declare_notify(mq, prefix, 0) < 0)
		return -1;
	return bounded;
}

int
topology_declare_parked(struct mq *mq, const char *prefix, int64_t max, int64_t ttl_ms)
{
	char parked[256];
	struct mq_queue bounded = { .durable = 1, .max_length = max, .message_ttl_ms = ttl_ms };
	int rc;

	topology_name(parked, sizeof(parked), prefix, "parked");
	/* With its bound; a queue made before there was one (or with
	 * another) keeps its arguments, the broker refusing others: then it
	 * is taken as it is. */
	if ((rc = mq_declare_queue_try(mq, parked, &bounded)) < 0 ||
	    (rc == 1 && mq_queue_depth(mq, parked) < 0) ||
	    mq_bind(mq, parked, parked, "") < 0)
		return -1;
	return rc;
}

int
topology_declare_pool(struct mq *mq, const char *prefix, const char *pool)
{
	char q[256], x[256], what[256], key[256];
	struct mq_queue jobs = { .durable = 1 };

	if (topology_declare_exchanges(mq, prefix, 0) < 0)
		return -1;
	jobs.dead_letter_exchange = topology_name(x, sizeof(x), prefix, "dead");
	if (snprintf(what, sizeof(what), "jobs.%s", pool) >= (int)sizeof(what) ||
	    snprintf(key, sizeof(key), "%s.#", pool) >= (int)sizeof(key))
		return -1;
	topology_name(q, sizeof(q), prefix, what);
	if (mq_declare_queue(mq, q, &jobs) < 0 ||
	    mq_bind(mq, q, topology_name(x, sizeof(x), prefix, "jobs"), key) < 0)
		return -1;
	return 0;
}

int
topology_declare_notify(struct mq *mq, const char *prefix, int64_t retry_delay_ms)
{
	char q[256], x[256], again[256];
	struct mq_queue notify = { .durable = 1 };
	struct mq_queue retry = { .durable = 1, .message_ttl_ms = retry_delay_ms };
	struct mq_queue plain = { .durable = 1 };

	notify.dead_letter_exchange = topology_name(x, sizeof(x), prefix, "notify.retry");
	retry.dead_letter_exchange = topology_name(again, sizeof(again), prefix, "notify.again");
	topology_name(q, sizeof(q), prefix, "notify");
	if (mq_declare_queue(mq, q, &notify) < 0 ||
	    mq_bind(mq, q, again, "") < 0 ||
	    mq_bind(mq, q, topology_name(x, sizeof(x), prefix, "events"), TOPO_RK_NOTIFICATION) < 0)
		return -1;
	topology_name(q, sizeof(q), prefix, "notify.failed");
	if (mq_declare_queue(mq, q, &plain) < 0 || mq_bind(mq, q, q, "") < 0)
		return -1;
	if (retry_delay_ms > 0) {
		topology_name(q, sizeof(q), prefix, "notify.retry");
		if (mq_declare_queue(mq, q, &retry) < 0 || mq_bind(mq, q, q, "") < 0)
			return -1;
	}
	return 0;
}
