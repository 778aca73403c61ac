-- vigil schema, migration 021: event handlers (conf.d event_handler). One
-- row per run the engine sent, written with the batch of the result that
-- caused it: the state it was run for, where. The worker's report fills
-- the outcome in (history_apply's "handler_ends", by job id); a job that
-- expired or had no pool is an outcome too (status 3, no exit code, no
-- worker). A row without an outcome is a run no worker answered yet.
CREATE TABLE event_handler_runs (
	job		text PRIMARY KEY,	-- the job's id (32 hex)
	check_id	bigint NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	time		timestamptz NOT NULL,	-- when the engine sent it
	state		smallint NOT NULL,	-- the check's, after the result
	state_type	smallint NOT NULL,	-- 0 SOFT, 1 HARD
	attempt		integer NOT NULL,
	command		text NOT NULL,		-- the event_handler's command
	pool		text NOT NULL,
	status		smallint,		-- the handler's own exit status, 0-3
	exit_code	integer,		-- NULL: signal, timeout, not run
	output		text,
	worker		text,			-- NULL: not run (see output)
	started		timestamptz,
	ended		timestamptz,
	timed_out	boolean
);
CREATE INDEX event_handler_runs_check_time ON event_handler_runs (check_id, time);
