-- vigil schema, migration 018: the ids of the passive results applied,
-- one row per batch (an array) instead of one row per id. A row and two
-- index entries per result were a fifth of the database's work in a
-- stream of passive results; the ids are only ever read whole, newest
-- first, when the engine starts. The view passive_seen (schema/functions)
-- shows them one per row as before.
CREATE TABLE passive_seen_batches (
	seq		bigserial PRIMARY KEY,
	ids		text[] NOT NULL,
	n		integer NOT NULL,
	time		timestamptz NOT NULL DEFAULT now()
);
INSERT INTO passive_seen_batches (ids, n)
SELECT array_agg(id ORDER BY seq), count(*) FROM passive_seen HAVING count(*) > 0;
DROP TABLE passive_seen;
