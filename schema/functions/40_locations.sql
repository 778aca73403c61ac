-- vigil schema functions: multi-location checks: each location's last result.
-- Re-applied at every engine start, after the migrations, in one
-- transaction (engine/migrate.c): each definition here is the only one and
-- the current one (CREATE OR REPLACE). Migrations create and change
-- tables; a function or view changes here, in place.

-- Upsert one batch of location rows (a JSON array, see engine/db.c), one
-- row per (check, pool) however many results it had in the batch (n).
CREATE OR REPLACE FUNCTION location_apply(rows json) RETURNS void
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
