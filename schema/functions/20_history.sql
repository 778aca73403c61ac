-- vigil schema functions: state and flap history, perfdata partitions, retention.
-- Re-applied at every engine start, after the migrations, in one
-- transaction (engine/migrate.c): each definition here is the only one and
-- the current one (CREATE OR REPLACE). Migrations create and change
-- tables; a function or view changes here, in place.

-- Make the day partitions from today (UTC) to days_ahead days on.
CREATE OR REPLACE FUNCTION perfdata_make_partitions(days_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	d date;
	made integer := 0;
	name text;
BEGIN
	FOR i IN 0 .. days_ahead LOOP
		d := (now() AT TIME ZONE 'UTC')::date + i;
		name := 'perfdata_' || to_char(d, 'YYYYMMDD');
		IF to_regclass(quote_ident(current_schema()) || '.' || name) IS NULL THEN
			EXECUTE format('CREATE TABLE %I PARTITION OF perfdata FOR VALUES'
				' FROM (%L) TO (%L)', name, d::timestamp AT TIME ZONE 'UTC',
				(d + 1)::timestamp AT TIME ZONE 'UTC');
			made := made + 1;
		END IF;
	END LOOP;
	RETURN made;
END
$$;

-- Drop the day partitions entirely older than the retention; delete what
-- the default partition and the history hold beyond it. Returns the number
-- of partitions dropped.
CREATE OR REPLACE FUNCTION retention_apply(perfdata_keep interval, history_keep interval)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	p record;
	dropped integer := 0;
	cutoff date := ((now() - perfdata_keep) AT TIME ZONE 'UTC')::date;
BEGIN
	FOR p IN SELECT c.relname FROM pg_inherits i
		JOIN pg_class c ON c.oid = i.inhrelid
		JOIN pg_class parent ON parent.oid = i.inhparent
		JOIN pg_namespace n ON n.oid = parent.relnamespace
		WHERE parent.relname = 'perfdata' AND n.nspname = current_schema()
		AND c.relname ~ '^perfdata_[0-9]{8}$'
	LOOP
		IF to_date(substr(p.relname, 10), 'YYYYMMDD') < cutoff THEN
			EXECUTE format('DROP TABLE %I', p.relname);
			dropped := dropped + 1;
		END IF;
	END LOOP;
	DELETE FROM perfdata_default WHERE time < now() - perfdata_keep;
	DELETE FROM state_history WHERE time < now() - history_keep;
	DELETE FROM flap_history WHERE time < now() - history_keep;
	DELETE FROM event_handler_runs WHERE time < now() - history_keep;
	RETURN dropped;
END
$$;

-- What one batch adds to the history (see engine/db.c): per result, not
-- per check, so two results of one check in a batch leave two rows. An
-- object of arrays: "history" (state changes), "flaps" (flapping started
-- or stopped), "perf" (parsed perfdata items), "seen" (the ids of the
-- passive results applied, strings: migration 018), "handlers" (event
-- handlers sent) and "handler_ends" (their outcomes, by job id:
-- migration 021; absent in a batch of an older engine).
CREATE OR REPLACE FUNCTION history_apply(h json) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO state_history (check_id, time, state, state_type, attempt,
		old_state, hard_change, output)
	SELECT x.check_id, to_timestamp(x.t), x.state, x.state_type, x.attempt,
		x.old_state, x.hard_change, x.output
	FROM json_to_recordset(h->'history') AS x(check_id bigint, t float8,
		state smallint, state_type smallint, attempt integer, old_state smallint,
		hard_change boolean, output text);
	INSERT INTO flap_history (check_id, time, flapping, percent_state_change)
	SELECT x.check_id, to_timestamp(x.t), x.flapping, x.percent
	FROM json_to_recordset(h->'flaps') AS x(check_id bigint, t float8,
		flapping boolean, percent float8);
	INSERT INTO perfdata (check_id, time, label, value, uom, warn, crit, min, max)
	SELECT x.check_id, to_timestamp(x.t), x.l, x.v, coalesce(x.u, ''), x.w, x.c,
		x.mn, x.mx
	FROM json_to_recordset(h->'perf') AS x(check_id bigint, t float8, l text,
		v float8, u text, w text, c text, mn float8, mx float8);
	INSERT INTO passive_seen_batches (ids, n)
	SELECT array_agg(x.id), count(*)
	FROM json_array_elements_text(h->'seen') AS x(id)
	HAVING count(*) > 0;
	INSERT INTO event_handler_runs (job, check_id, time, state, state_type, attempt,
		command, pool)
	SELECT x.job, x.check_id, to_timestamp(x.t), x.state, x.state_type, x.attempt,
		x.command, x.pool
	FROM json_to_recordset(coalesce(h->'handlers', '[]')) AS x(job text,
		check_id bigint, t float8, state smallint, state_type smallint,
		attempt integer, command text, pool text)
	WHERE EXISTS (SELECT 1 FROM checks c WHERE c.id = x.check_id)
	ON CONFLICT (job) DO NOTHING;
	-- an outcome whose run is not there (its check was removed) is dropped
	UPDATE event_handler_runs r SET status = x.status, exit_code = x.exit_code,
		output = x.output, worker = x.worker, started = to_timestamp(x.start),
		ended = to_timestamp(x."end"), timed_out = x.timed_out
	FROM json_to_recordset(coalesce(h->'handler_ends', '[]')) AS x(job text,
		status smallint, exit_code integer, output text, worker text, start float8,
		"end" float8, timed_out boolean)
	WHERE r.job = x.job;
$$;

-- The batches of passive ids, newest first, as long as fewer than keep
-- ids came after each: what the engine loads at start (all of the newest
-- keep ids, and at most one batch more).
CREATE OR REPLACE FUNCTION passive_seen_newest(keep integer)
RETURNS TABLE (seq bigint, ids text[])
LANGUAGE sql STABLE AS $$
	SELECT x.seq, x.ids FROM (
		SELECT b.seq, b.ids, coalesce(sum(b.n) OVER (ORDER BY b.seq DESC
			ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS after
		FROM passive_seen_batches b) x
	WHERE x.after < keep;
$$;

-- Keep the newest keep ids (the engine's maintenance, hourly: the engine
-- remembers as many).
CREATE OR REPLACE FUNCTION passive_seen_trim(keep integer) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM passive_seen_batches
	WHERE seq < (SELECT min(seq) FROM passive_seen_newest(keep));
$$;

-- The ids one per row, in the order applied (batch, then place in it).
CREATE OR REPLACE VIEW passive_seen AS
	SELECT b.seq AS batch, u.ord, u.id, b.time
	FROM passive_seen_batches b CROSS JOIN LATERAL unnest(b.ids) WITH ORDINALITY AS u(id, ord);

-- Today's and the next two days' partitions at every start (the engine's
-- maintenance keeps making them hourly). A failure here must not stop the
-- engine from starting: it is logged by PostgreSQL and retried hourly.
DO $$
BEGIN
	PERFORM perfdata_make_partitions(2);
EXCEPTION WHEN others THEN
	RAISE WARNING 'perfdata partitions not made: %', SQLERRM;
END
$$;
