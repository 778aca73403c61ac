-- vigil schema, migration 011: the id of the newest event whose change is
-- committed. A reader that takes a snapshot of the state and this position
-- in one transaction knows which events it already holds (those up to the
-- position) and which are news: vigil-web's live stream starts every
-- client from such a snapshot. Kept by the trigger in
-- schema/functions/70_events.sql, in the transaction that writes the events.
CREATE TABLE event_position (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	last_id		bigint NOT NULL
);
INSERT INTO event_position (last_id)
	SELECT coalesce((SELECT max(id) FROM event_outbox), 0);
