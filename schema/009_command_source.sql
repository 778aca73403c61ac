-- vigil schema, migration 009: where a command came from. vigil-web
-- records the client's address with every command it sends (its author
-- is the API token's name); NULL for vigilctl on the broker.
ALTER TABLE command_log ADD COLUMN source text;
