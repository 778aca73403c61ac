-- vigil schema, migration 020: dependencies (conf.d `dependencies:`).
-- suppressed_by names the master ("host/service", or "host" for a host
-- check) whose notification dependency fails for the check, NULL when
-- none does: its problem and recovery notifications are not sent, and
-- the group rollup counts its problem as handled, as it does an
-- acknowledged one (schema/functions: check_rank's handled argument).
ALTER TABLE check_state ADD COLUMN suppressed_by text;
