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

-- Upsert one batch of location rows (a JSON array, see engine/db.c), one
-- row per (check, pool) however many results it had in the batch (n).
CREATE FUNCTION location_apply(rows json) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO check_locations AS l (check_id, pool, status, output,
		long_output, perfdata, last_check, duration_ms, worker, last_job_id,
		last_scheduled, results_total, updated_at)
	SELECT x.check_id, x.pool, x.status, coalesce(x.output, ''),
		coalesce(x.long_output, ''), coalesce(x.perfdata, ''),
		to_timestamp(x.last_check), x.duration_ms, x.worker, x.last_job_id,
		to_timestamp(x.last_scheduled), x.n, now()
	FROM json_to_recordset(rows) AS x(check_id bigint, pool text,
		status smallint, output text, long_output text, perfdata text,
		last_check float8, duration_ms float8, worker text, last_job_id text,
		last_scheduled float8, n integer)
	ON CONFLICT (check_id, pool) DO UPDATE SET status = EXCLUDED.status,
		output = EXCLUDED.output, long_output = EXCLUDED.long_output,
		perfdata = EXCLUDED.perfdata, last_check = EXCLUDED.last_check,
		duration_ms = EXCLUDED.duration_ms, worker = EXCLUDED.worker,
		last_job_id = EXCLUDED.last_job_id,
		last_scheduled = EXCLUDED.last_scheduled,
		results_total = l.results_total + EXCLUDED.results_total,
		updated_at = now();
$$;
