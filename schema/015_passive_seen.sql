-- vigil schema, migration 015: the ids of the passive results applied
-- last. A passive result that carries an id ("id", or the message's
-- message-id; vigilctl submit and the API always give one) is applied
-- once per id: the engine keeps the newest ids in memory and writes each
-- here in the batch that applied its result, so a copy the broker
-- delivers again after an engine restart or failover is recognised by the
-- next engine, which loads them at start. seq orders them; the engine's
-- maintenance keeps the newest (passive_seen_trim).
CREATE TABLE passive_seen (
	seq		bigserial PRIMARY KEY,
	id		text NOT NULL UNIQUE,
	check_id	bigint,
	time		timestamptz NOT NULL DEFAULT now()
);
