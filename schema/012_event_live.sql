-- vigil schema, migration 012: the count of the engine's batches that
-- wrote check rows. After each such batch the engine publishes the rows
-- it wrote (a transient "checks" event, not in the outbox) numbered with
-- this count, moved in the batch's transaction: a reader that takes a
-- snapshot and this count in one transaction knows which of those
-- messages its snapshot holds already (vigil-web's live stream).
ALTER TABLE event_position ADD COLUMN live bigint NOT NULL DEFAULT 0;
