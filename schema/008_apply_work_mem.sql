-- vigil schema, migration 008: was an ALTER FUNCTION giving
-- check_state_apply work_mem 1MB; that setting now lives in its one
-- definition, schema/functions/30_state.sql (re-applied at every start).
-- Kept, empty, so that installations that applied it and new ones agree.
SELECT 1;
