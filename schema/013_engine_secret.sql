-- vigil schema, migration 013: the engine's own secret. Each job id the
-- engine publishes ends in a MAC of its check and scheduled time under
-- this secret, so the engine knows its own jobs' results, across a
-- restart or a failover to another engine of the installation, and
-- refuses any other. Workers never hold it: only the engines' database
-- role reads this table. One row, written by the first engine to start.
CREATE TABLE engine_secret (
	id integer PRIMARY KEY CHECK (id = 1),
	secret bytea NOT NULL CHECK (length(secret) >= 32)
);
