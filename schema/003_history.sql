-- vigil schema, migration 003: what happened over time. Every soft and hard
-- state change (state_history), the parsed performance data (perfdata,
-- partitioned by day, old days dropped whole by the retention), flapping
-- starts and stops (flap_history), and the flap-detection state the engine
-- needs after a restart. All written by check_state_apply() in the same
-- statement, so in the same transaction, as the state itself.

ALTER TABLE check_state
	ADD COLUMN percent_state_change double precision NOT NULL DEFAULT 0,
	ADD COLUMN flap_states smallint[] NOT NULL DEFAULT '{}',
	ADD COLUMN debounce_state smallint,
	ADD COLUMN debounce_count integer NOT NULL DEFAULT 0,
	ADD COLUMN flap_held_problem boolean NOT NULL DEFAULT false;

CREATE TABLE state_history (
	id		bigserial PRIMARY KEY,
	check_id	bigint NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	time		timestamptz NOT NULL,
	state		smallint NOT NULL,
	state_type	smallint NOT NULL,	-- 0 SOFT, 1 HARD
	attempt		integer NOT NULL,
	old_state	smallint,		-- NULL: was pending
	hard_change	boolean NOT NULL,
	output		text NOT NULL
);
CREATE INDEX state_history_check_time ON state_history (check_id, time);

CREATE TABLE flap_history (
	id		bigserial PRIMARY KEY,
	check_id	bigint NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	time		timestamptz NOT NULL,
	flapping	boolean NOT NULL,	-- true: started, false: stopped
	percent_state_change double precision NOT NULL
);
CREATE INDEX flap_history_check_time ON flap_history (check_id, time);

-- One row per perfdata item and result. No foreign key: a partitioned
-- table of this volume should not pay for one, and rows of a removed check
-- age out with their partition.
CREATE TABLE perfdata (
	check_id	bigint NOT NULL,
	time		timestamptz NOT NULL,
	label		text NOT NULL,
	value		double precision,	-- NULL: the plugin said U
	uom		text NOT NULL DEFAULT '',
	warn		text,
	crit		text,
	min		double precision,
	max		double precision
) PARTITION BY RANGE (time);
-- Catches rows outside every day partition (clock skew, a partition not
-- made yet): a batch never fails for want of one.
CREATE TABLE perfdata_default PARTITION OF perfdata DEFAULT;
CREATE INDEX perfdata_check_time ON perfdata (check_id, time);

-- Make the day partitions from today (UTC) to days_ahead days on.
CREATE FUNCTION perfdata_make_partitions(days_ahead integer) RETURNS integer
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
CREATE FUNCTION retention_apply(perfdata_keep interval, history_keep interval)
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
	RETURN dropped;
END
$$;

SELECT perfdata_make_partitions(2);

-- Apply one batch of check states (a JSON array of rows, see engine/db.c),
-- one row per check however many results it had in the batch,
-- in one statement: upsert check_state; for the checks whose state or
-- flags changed, recurse upward through the groups (each group once per
-- check, however many paths lead to it) and add the difference between
-- each check's new and old contribution to those groups only; write a
-- group.<name> event for each group whose counts or worst state changed.
-- Returns the groups touched and whether each changed visibly.
CREATE FUNCTION check_state_apply(rows json)
RETURNS TABLE (group_id bigint, changed boolean)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY
	WITH RECURSIVE r AS (
		SELECT * FROM json_to_recordset(rows) AS x(check_id bigint, state smallint,
			state_type smallint, attempt integer, last_hard_state smallint,
			output text, long_output text, perfdata text, exit_code integer,
			last_check float8, next_check float8, last_state_change float8,
			last_hard_state_change float8, latency_ms float8, duration_ms float8,
			pool text, worker text, last_job_id text, last_scheduled float8,
			n integer, flapping boolean, percent_state_change float8,
			flap_states json, debounce_state smallint, debounce_count integer,
			flap_held_problem boolean)
	), old AS (
		SELECT s.check_id, s.state, s.last_hard_state, s.acknowledged,
			s.in_downtime, s.flapping
		FROM check_state s WHERE s.check_id IN (SELECT r.check_id FROM r)
	), upd AS (
		INSERT INTO check_state AS s (check_id, state, state_type, attempt,
			last_hard_state, output, long_output, perfdata, exit_code, last_check,
			next_check, last_state_change, last_hard_state_change, latency_ms,
			duration_ms, pool, worker, last_job_id, last_scheduled, results_total,
			flapping, percent_state_change, flap_states, debounce_state,
			debounce_count, flap_held_problem, updated_at)
		SELECT r.check_id, r.state, r.state_type, r.attempt, r.last_hard_state,
			r.output, r.long_output, r.perfdata, r.exit_code,
			to_timestamp(r.last_check), to_timestamp(r.next_check),
			to_timestamp(r.last_state_change), to_timestamp(r.last_hard_state_change),
			r.latency_ms, r.duration_ms, r.pool, r.worker, r.last_job_id,
			to_timestamp(r.last_scheduled), r.n, coalesce(r.flapping, false),
			coalesce(r.percent_state_change, 0),
			coalesce(ARRAY(SELECT json_array_elements_text(r.flap_states))::smallint[], '{}'),
			r.debounce_state, coalesce(r.debounce_count, 0),
			coalesce(r.flap_held_problem, false), now()
		FROM r
		ON CONFLICT (check_id) DO UPDATE SET state = EXCLUDED.state,
			state_type = EXCLUDED.state_type, attempt = EXCLUDED.attempt,
			last_hard_state = EXCLUDED.last_hard_state, output = EXCLUDED.output,
			long_output = EXCLUDED.long_output, perfdata = EXCLUDED.perfdata,
			exit_code = EXCLUDED.exit_code, last_check = EXCLUDED.last_check,
			next_check = EXCLUDED.next_check,
			last_state_change = EXCLUDED.last_state_change,
			last_hard_state_change = EXCLUDED.last_hard_state_change,
			latency_ms = EXCLUDED.latency_ms, duration_ms = EXCLUDED.duration_ms,
			pool = EXCLUDED.pool, worker = EXCLUDED.worker,
			last_job_id = EXCLUDED.last_job_id,
			last_scheduled = EXCLUDED.last_scheduled,
			results_total = s.results_total + EXCLUDED.results_total,
			flapping = EXCLUDED.flapping,
			percent_state_change = EXCLUDED.percent_state_change,
			flap_states = EXCLUDED.flap_states,
			debounce_state = EXCLUDED.debounce_state,
			debounce_count = EXCLUDED.debounce_count,
			flap_held_problem = EXCLUDED.flap_held_problem,
			updated_at = now()
		RETURNING s.check_id, s.state, s.last_hard_state, s.acknowledged,
			s.in_downtime, s.flapping
	), ch AS (
		SELECT u.check_id, c.service IS NULL AS is_host,
			o.state AS os, o.last_hard_state AS oh, coalesce(o.acknowledged, false) AS oa,
			coalesce(o.in_downtime, false) AS od, coalesce(o.flapping, false) AS ofl,
			u.state AS ns, u.last_hard_state AS nh, u.acknowledged AS na,
			u.in_downtime AS nd, u.flapping AS nf
		FROM upd u JOIN checks c ON c.id = u.check_id
		LEFT JOIN old o ON o.check_id = u.check_id
		WHERE o.check_id IS NULL OR (o.state, o.last_hard_state, o.acknowledged,
			o.in_downtime, o.flapping) IS DISTINCT FROM (u.state, u.last_hard_state,
			u.acknowledged, u.in_downtime, u.flapping)
	), up (check_id, gid) AS (
		SELECT m.check_id, m.group_id FROM group_members m
		WHERE m.check_id IN (SELECT ch.check_id FROM ch)
		UNION
		SELECT up.check_id, gp.parent_id FROM up JOIN group_parents gp ON gp.group_id = up.gid
	), d AS (
		SELECT up.gid,
			sum(flag(NOT is_host AND ns = 0) - flag(NOT is_host AND os = 0))::integer AS ok,
			sum(flag(NOT is_host AND ns = 1) - flag(NOT is_host AND os = 1))::integer AS warning,
			sum(flag(NOT is_host AND ns = 2) - flag(NOT is_host AND os = 2))::integer AS critical,
			sum(flag(NOT is_host AND ns = 3) - flag(NOT is_host AND os = 3))::integer AS unknown,
			sum(flag(is_host AND ns = 0) - flag(is_host AND os = 0))::integer AS up,
			sum(flag(is_host AND ns = 1) - flag(is_host AND os = 1))::integer AS down,
			sum(flag(is_host AND ns = 2) - flag(is_host AND os = 2))::integer AS unreachable,
			sum(flag(ns IS NULL) - flag(os IS NULL))::integer AS pending,
			sum(flag(ns > 0 AND na) - flag(os > 0 AND oa))::integer AS acknowledged,
			sum(flag(ns > 0 AND nd) - flag(os > 0 AND od))::integer AS in_downtime,
			sum(flag(nf) - flag(ofl))::integer AS flapping,
			sum(flag(ns IS NOT NULL) - flag(os IS NOT NULL))::integer AS known,
			sum(flag(check_rank(is_host, ns, nh, na, nd, nf) = 1)
				- flag(check_rank(is_host, os, oh, oa, od, ofl) = 1))::integer AS h_warning,
			sum(flag(check_rank(is_host, ns, nh, na, nd, nf) = 2)
				- flag(check_rank(is_host, os, oh, oa, od, ofl) = 2))::integer AS h_unknown,
			sum(flag(check_rank(is_host, ns, nh, na, nd, nf) = 3)
				- flag(check_rank(is_host, os, oh, oa, od, ofl) = 3))::integer AS h_unreachable,
			sum(flag(check_rank(is_host, ns, nh, na, nd, nf) = 4)
				- flag(check_rank(is_host, os, oh, oa, od, ofl) = 4))::integer AS h_critical,
			sum(flag(check_rank(is_host, ns, nh, na, nd, nf) = 5)
				- flag(check_rank(is_host, os, oh, oa, od, ofl) = 5))::integer AS h_down
		FROM up JOIN ch ON ch.check_id = up.check_id
		GROUP BY up.gid
	), d2 AS (
		SELECT d.*, gs.worst_state AS old_worst,
			(d.ok, d.warning, d.critical, d.unknown, d.up, d.down, d.unreachable,
			d.pending, d.acknowledged, d.in_downtime, d.flapping)
			IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) AS counts_changed
		FROM d JOIN group_state gs ON gs.group_id = d.gid
	), g AS (
		UPDATE group_state gs SET ok = gs.ok + d2.ok, warning = gs.warning + d2.warning,
			critical = gs.critical + d2.critical, unknown = gs.unknown + d2.unknown,
			up = gs.up + d2.up, down = gs.down + d2.down,
			unreachable = gs.unreachable + d2.unreachable,
			pending = gs.pending + d2.pending,
			acknowledged = gs.acknowledged + d2.acknowledged,
			in_downtime = gs.in_downtime + d2.in_downtime,
			flapping = gs.flapping + d2.flapping, known = gs.known + d2.known,
			h_warning = gs.h_warning + d2.h_warning,
			h_unknown = gs.h_unknown + d2.h_unknown,
			h_unreachable = gs.h_unreachable + d2.h_unreachable,
			h_critical = gs.h_critical + d2.h_critical,
			h_down = gs.h_down + d2.h_down,
			worst_state = group_worst(gs.known + d2.known, gs.h_warning + d2.h_warning,
				gs.h_unknown + d2.h_unknown, gs.h_unreachable + d2.h_unreachable,
				gs.h_critical + d2.h_critical, gs.h_down + d2.h_down),
			updated_at = now()
		FROM d2 WHERE gs.group_id = d2.gid
		RETURNING gs.group_id AS gid, gs.ok, gs.warning, gs.critical, gs.unknown,
			gs.up, gs.down, gs.unreachable, gs.pending, gs.acknowledged,
			gs.in_downtime, gs.flapping, gs.worst_state, d2.old_worst,
			d2.counts_changed OR gs.worst_state <> d2.old_worst AS chg
	), events AS (
		INSERT INTO event_outbox (routing_key, body)
		SELECT 'group.' || gr.name, group_event_body(gr.name, gr.title, g.worst_state,
			g.old_worst, g.ok, g.warning, g.critical, g.unknown, g.up, g.down,
			g.unreachable, g.pending, g.acknowledged, g.in_downtime, g.flapping)
		FROM g JOIN groups gr ON gr.id = g.gid WHERE g.chg
		RETURNING 1
	), state_events AS (
		-- state.<host>.<service> ("-" for a host check) for every check whose
		-- state or hard state changed.
		INSERT INTO event_outbox (routing_key, body)
		SELECT 'state.' || h.name || '.' || coalesce(c.service, '-'),
			jsonb_build_object('v', 1, 'type', 'state', 'host', h.name,
			'service', c.service, 'state', r.state, 'old_state', ch.os,
			'state_type', CASE r.state_type WHEN 0 THEN 'SOFT' ELSE 'HARD' END,
			'hard_state', r.last_hard_state, 'old_hard_state', ch.oh,
			'attempt', r.attempt, 'output', r.output, 'time', r.last_check)
		FROM ch JOIN r ON r.check_id = ch.check_id
		JOIN checks c ON c.id = ch.check_id JOIN hosts h ON h.id = c.host_id
		WHERE ch.os IS DISTINCT FROM ch.ns OR ch.oh IS DISTINCT FROM ch.nh
		RETURNING 1
	)
	SELECT g.gid, g.chg FROM g
	WHERE (SELECT count(*) FROM events) >= 0 AND (SELECT count(*) FROM state_events) >= 0;
END
$$;

-- What one batch adds to the history (see engine/db.c): per result, not
-- per check, so two results of one check in a batch leave two rows. An
-- object of three arrays: "history" (state changes), "flaps" (flapping
-- started or stopped) and "perf" (parsed perfdata items).
CREATE FUNCTION history_apply(h json) RETURNS void
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
$$;

-- A batch PostgreSQL refused three times on a healthy connection (a bug,
-- or data it cannot store): kept here whole, with the error, so that the
-- results it carried are not lost and the engine can go on. Someone must
-- look: the engine logs an error for each.
CREATE TABLE batch_quarantine (
	id		bigserial PRIMARY KEY,
	time		timestamptz NOT NULL DEFAULT now(),
	error		text NOT NULL,
	state_rows	text,
	history		text
);
