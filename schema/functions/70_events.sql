-- The event position (migration 011): every statement that writes events
-- moves it to the newest of them, in the same transaction.
CREATE OR REPLACE FUNCTION event_position_advance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE event_position SET last_id = n.m
	FROM (SELECT max(id) AS m FROM new_events) n
	WHERE n.m IS NOT NULL AND n.m > event_position.last_id;
	RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER event_position_advance AFTER INSERT ON event_outbox
	REFERENCING NEW TABLE AS new_events
	FOR EACH STATEMENT EXECUTE FUNCTION event_position_advance();
