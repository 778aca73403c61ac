-- vigil schema, migration 004: multi-location checks. A check with several
-- pools runs from each of them every interval; check_state holds the
-- combined state (engine/quorum.h), check_locations what each location
-- saw last. Written by location_apply() in the engine's batch transaction,
-- beside check_state_apply().

-- The last result of each location of a multi-location check: one row per
-- (check, pool). Single-location checks have none (check_state says it
-- all), and the config sync removes the rows of pools a check no longer
-- has. status is the plugin status 0..3 as the location reported it
-- (NULL: no result yet); worker is NULL when the engine decided it (the
-- job expired, was unroutable or got no answer in time).
CREATE TABLE check_locations (
	check_id	bigint NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	pool		text NOT NULL,
	status		smallint,
	output		text NOT NULL DEFAULT '',
	long_output	text NOT NULL DEFAULT '',
	perfdata	text NOT NULL DEFAULT '',
	last_check	timestamptz,
	duration_ms	double precision,
	worker		text,
	last_job_id	text,
	last_scheduled	timestamptz,
	results_total	bigint NOT NULL DEFAULT 0,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (check_id, pool)
);

-- A quarantined batch keeps its location rows too.
ALTER TABLE batch_quarantine ADD COLUMN locations text;

-- Its functions and views: schema/functions/ (re-applied at every start).
