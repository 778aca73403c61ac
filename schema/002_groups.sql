-- vigil schema, migration 002: hierarchical groups, their state computed by
-- recursive SQL, and the event outbox.
--
-- Groups form a DAG (group_parents; a group may have several parents).
-- Members are checks: a host member brings its host check and all its
-- services (the engine expands that when it syncs the config). A group's
-- state covers every check below it, each counted once however many paths
-- lead to it. The recursions use UNION, not UNION ALL, so they end even if
-- a cycle ever reached the table (the config loader refuses cycles).

-- Problems that someone handles (issue: semantics and notifications set
-- these); counted apart and left out of a group's worst state.
ALTER TABLE check_state
	ADD COLUMN acknowledged boolean NOT NULL DEFAULT false,
	ADD COLUMN in_downtime boolean NOT NULL DEFAULT false,
	ADD COLUMN flapping boolean NOT NULL DEFAULT false;

CREATE TABLE groups (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	title		text NOT NULL,
	file		text,
	line		integer,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE group_parents (
	group_id	bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
	parent_id	bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, parent_id)
);
-- Downward recursion walks parent → children.
CREATE INDEX group_parents_children ON group_parents (parent_id, group_id);

-- Direct members only; the subtree is computed.
CREATE TABLE group_members (
	group_id	bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
	check_id	bigint NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, check_id)
);
-- Upward recursion starts from checks.
CREATE INDEX group_members_by_check ON group_members (check_id, group_id);

-- The state of every group, kept exact by deltas: each batch adds, for
-- every group above a changed check (each group once per check), the
-- difference between the check's new and old contribution. The h_* columns
-- count problems nobody handles by the rank of their hard state, so the
-- worst state follows from them without looking at the members again.
CREATE TABLE group_state (
	group_id	bigint PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
	ok		integer NOT NULL DEFAULT 0,
	warning		integer NOT NULL DEFAULT 0,
	critical	integer NOT NULL DEFAULT 0,
	unknown		integer NOT NULL DEFAULT 0,
	up		integer NOT NULL DEFAULT 0,
	down		integer NOT NULL DEFAULT 0,
	unreachable	integer NOT NULL DEFAULT 0,
	pending		integer NOT NULL DEFAULT 0,
	acknowledged	integer NOT NULL DEFAULT 0,
	in_downtime	integer NOT NULL DEFAULT 0,
	flapping	integer NOT NULL DEFAULT 0,
	known		integer NOT NULL DEFAULT 0,	-- checks with a result
	h_warning	integer NOT NULL DEFAULT 0,
	h_unknown	integer NOT NULL DEFAULT 0,
	h_unreachable	integer NOT NULL DEFAULT 0,
	h_critical	integer NOT NULL DEFAULT 0,
	h_down		integer NOT NULL DEFAULT 0,
	worst_state	text NOT NULL DEFAULT 'PENDING',
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Events decided in a transaction, published after commit with publisher
-- confirms, deleted once confirmed (consumers deduplicate by id).
CREATE TABLE event_outbox (
	id		bigserial PRIMARY KEY,
	routing_key	text NOT NULL,
	body		jsonb NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- How bad a hard state is, for a group's worst state:
-- OK/UP 0 < WARNING 1 < UNKNOWN 2 < UNREACHABLE 3 < CRITICAL 4 < DOWN 5.
CREATE FUNCTION state_rank(state smallint, is_host boolean) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN is_host THEN
		CASE state WHEN 0 THEN 0 WHEN 2 THEN 3 WHEN 1 THEN 5 END
	ELSE
		CASE state WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 WHEN 2 THEN 4 END
	END::smallint
$$;

-- The rank a check adds to its groups' worst state: its hard state's rank
-- when it has a result and nobody handles it, else 0.
CREATE FUNCTION check_rank(is_host boolean, state smallint, hard smallint,
	ack boolean, dt boolean, flap boolean) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN state IS NULL OR ack OR dt OR flap THEN 0
		ELSE coalesce(state_rank(hard, is_host), 0) END::smallint
$$;

-- A group's worst state from its counters: the worst hard state among the
-- problems nobody handles; OK when every known check is fine or handled;
-- PENDING when no check has a result yet (or the group is empty).
CREATE FUNCTION group_worst(known integer, h_warning integer, h_unknown integer,
	h_unreachable integer, h_critical integer, h_down integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN h_down > 0 THEN 'DOWN' WHEN h_critical > 0 THEN 'CRITICAL'
		WHEN h_unreachable > 0 THEN 'UNREACHABLE' WHEN h_unknown > 0 THEN 'UNKNOWN'
		WHEN h_warning > 0 THEN 'WARNING' WHEN known > 0 THEN 'OK'
		ELSE 'PENDING' END
$$;

-- Every check below each of the given groups (themselves included),
-- each (group, check) pair once.
CREATE FUNCTION group_subtree_checks(roots bigint[])
RETURNS TABLE (group_id bigint, check_id bigint)
LANGUAGE sql STABLE AS $$
	WITH RECURSIVE down (root, gid) AS (
		SELECT r, r FROM unnest(roots) AS r
		UNION
		SELECT d.root, gp.group_id
		FROM down d JOIN group_parents gp ON gp.parent_id = d.gid
	)
	SELECT DISTINCT d.root, m.check_id
	FROM down d JOIN group_members m ON m.group_id = d.gid
$$;

-- The state of each of the given groups, computed from scratch: counts per
-- current state (hosts and services apart), pending, handled problems
-- (acknowledged, in downtime, flapping) counted apart, and the counters of
-- unhandled hard problems the worst state comes from. Each check's class is
-- worked out once, then (group, class) pairs are counted and pivoted: far
-- cheaper than evaluating every filter on every (group, check) pair.
CREATE FUNCTION group_counts(roots bigint[])
RETURNS TABLE (group_id bigint, ok integer, warning integer, critical integer,
	unknown integer, up integer, down integer, unreachable integer,
	pending integer, acknowledged integer, in_downtime integer,
	flapping integer, known integer, h_warning integer, h_unknown integer,
	h_unreachable integer, h_critical integer, h_down integer, worst_state text)
LANGUAGE sql STABLE AS $$
	WITH k AS (
		-- one row per check: its class, computed once
		SELECT c.id, (CASE WHEN s.state IS NULL THEN 7
			WHEN c.service IS NULL THEN 4 + s.state ELSE s.state END)::smallint AS cls,
			(s.state > 0 AND s.acknowledged) AS a, (s.state > 0 AND s.in_downtime) AS dt,
			coalesce(s.flapping, false) AS f,
			check_rank(c.service IS NULL, s.state, s.last_hard_state,
				s.acknowledged, s.in_downtime, s.flapping) AS rk
		FROM checks c LEFT JOIN check_state s ON s.check_id = c.id
	), agg AS (
		SELECT t.group_id, k.cls, k.a, k.dt, k.f, k.rk, count(*)::integer AS n
		FROM group_subtree_checks(roots) t JOIN k ON k.id = t.check_id
		GROUP BY 1, 2, 3, 4, 5, 6
	), x AS (
		SELECT g.id,
			coalesce(sum(n) FILTER (WHERE cls = 0), 0)::integer AS ok,
			coalesce(sum(n) FILTER (WHERE cls = 1), 0)::integer AS warning,
			coalesce(sum(n) FILTER (WHERE cls = 2), 0)::integer AS critical,
			coalesce(sum(n) FILTER (WHERE cls = 3), 0)::integer AS unknown,
			coalesce(sum(n) FILTER (WHERE cls = 4), 0)::integer AS up,
			coalesce(sum(n) FILTER (WHERE cls = 5), 0)::integer AS down,
			coalesce(sum(n) FILTER (WHERE cls = 6), 0)::integer AS unreachable,
			coalesce(sum(n) FILTER (WHERE cls = 7), 0)::integer AS pending,
			coalesce(sum(n) FILTER (WHERE a), 0)::integer AS acknowledged,
			coalesce(sum(n) FILTER (WHERE dt), 0)::integer AS in_downtime,
			coalesce(sum(n) FILTER (WHERE f), 0)::integer AS flapping,
			coalesce(sum(n) FILTER (WHERE cls <> 7), 0)::integer AS known,
			coalesce(sum(n) FILTER (WHERE rk = 1), 0)::integer AS h1,
			coalesce(sum(n) FILTER (WHERE rk = 2), 0)::integer AS h2,
			coalesce(sum(n) FILTER (WHERE rk = 3), 0)::integer AS h3,
			coalesce(sum(n) FILTER (WHERE rk = 4), 0)::integer AS h4,
			coalesce(sum(n) FILTER (WHERE rk = 5), 0)::integer AS h5
		FROM unnest(roots) AS g(id) LEFT JOIN agg ON agg.group_id = g.id
		GROUP BY g.id
	)
	SELECT x.*, group_worst(x.known, x.h1, x.h2, x.h3, x.h4, x.h5) FROM x
$$;

-- The whole tree in one query.
CREATE VIEW group_tree_state AS
	SELECT g.name, g.title, gc.group_id, gc.ok, gc.warning, gc.critical, gc.unknown,
		gc.up, gc.down, gc.unreachable, gc.pending, gc.acknowledged,
		gc.in_downtime, gc.flapping, gc.worst_state
	FROM group_counts(ARRAY(SELECT id FROM groups)) gc
	JOIN groups g ON g.id = gc.group_id;

-- Every group above the given checks (their groups and all ancestors).
CREATE FUNCTION group_ancestors(check_ids bigint[])
RETURNS TABLE (group_id bigint)
LANGUAGE sql STABLE AS $$
	WITH RECURSIVE up (gid) AS (
		SELECT m.group_id FROM group_members m WHERE m.check_id = ANY (check_ids)
		UNION
		SELECT gp.parent_id FROM up JOIN group_parents gp ON gp.group_id = up.gid
	)
	SELECT gid FROM up
$$;

-- 1 when true, else 0 (NULL counts as false).
CREATE FUNCTION flag(b boolean) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN b THEN 1 ELSE 0 END $$;

-- The body of a group.<name> event.
CREATE FUNCTION group_event_body(name text, title text, worst text, old_worst text,
	ok integer, warning integer, critical integer, unknown integer, up integer,
	down integer, unreachable integer, pending integer, acknowledged integer,
	in_downtime integer, flapping integer) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object('v', 1, 'type', 'group', 'name', name, 'title', title,
		'worst_state', worst, 'old_worst_state', old_worst,
		'time', extract(epoch FROM now()),
		'counts', jsonb_build_object('ok', ok, 'warning', warning,
		'critical', critical, 'unknown', unknown, 'up', up, 'down', down,
		'unreachable', unreachable, 'pending', pending,
		'acknowledged', acknowledged, 'in_downtime', in_downtime,
		'flapping', flapping))
$$;

-- Recompute every group from scratch with the recursive query (after the
-- config changed memberships, and at start), store it, and write a
-- group.<name> event for each group whose counts or worst state changed.
-- Returns every group and whether it changed.
CREATE FUNCTION group_refresh_all()
RETURNS TABLE (group_id bigint, changed boolean)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY
	WITH fresh AS (
		SELECT gc.* FROM group_counts(ARRAY(SELECT g.id FROM groups g)) gc
	), diff AS (
		SELECT f.*, o.worst_state AS old_worst,
			(o.group_id IS NULL OR (f.ok, f.warning, f.critical, f.unknown, f.up,
			f.down, f.unreachable, f.pending, f.acknowledged, f.in_downtime,
			f.flapping, f.worst_state) IS DISTINCT FROM (o.ok, o.warning,
			o.critical, o.unknown, o.up, o.down, o.unreachable, o.pending,
			o.acknowledged, o.in_downtime, o.flapping, o.worst_state)) AS chg
		FROM fresh f LEFT JOIN group_state o ON o.group_id = f.group_id
	), upsert AS (
		INSERT INTO group_state AS gs (group_id, ok, warning, critical, unknown, up,
			down, unreachable, pending, acknowledged, in_downtime, flapping, known,
			h_warning, h_unknown, h_unreachable, h_critical, h_down, worst_state,
			updated_at)
		SELECT d.group_id, d.ok, d.warning, d.critical, d.unknown, d.up, d.down,
			d.unreachable, d.pending, d.acknowledged, d.in_downtime, d.flapping,
			d.known, d.h_warning, d.h_unknown, d.h_unreachable, d.h_critical,
			d.h_down, d.worst_state, now()
		FROM diff d
		ON CONFLICT ON CONSTRAINT group_state_pkey DO UPDATE SET ok = EXCLUDED.ok,
			warning = EXCLUDED.warning, critical = EXCLUDED.critical,
			unknown = EXCLUDED.unknown, up = EXCLUDED.up, down = EXCLUDED.down,
			unreachable = EXCLUDED.unreachable, pending = EXCLUDED.pending,
			acknowledged = EXCLUDED.acknowledged, in_downtime = EXCLUDED.in_downtime,
			flapping = EXCLUDED.flapping, known = EXCLUDED.known,
			h_warning = EXCLUDED.h_warning, h_unknown = EXCLUDED.h_unknown,
			h_unreachable = EXCLUDED.h_unreachable, h_critical = EXCLUDED.h_critical,
			h_down = EXCLUDED.h_down, worst_state = EXCLUDED.worst_state,
			updated_at = now()
		RETURNING 1
	), events AS (
		INSERT INTO event_outbox (routing_key, body)
		SELECT 'group.' || g.name, group_event_body(g.name, g.title, d.worst_state,
			d.old_worst, d.ok, d.warning, d.critical, d.unknown, d.up, d.down,
			d.unreachable, d.pending, d.acknowledged, d.in_downtime, d.flapping)
		FROM diff d JOIN groups g ON g.id = d.group_id WHERE d.chg
		RETURNING 1
	)
	SELECT d.group_id, d.chg FROM diff d
	WHERE (SELECT count(*) FROM upsert) >= 0 AND (SELECT count(*) FROM events) >= 0;
END
$$;

-- Apply one batch of check states (a JSON array of rows, see engine/db.c)
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
			n integer)
	), old AS (
		SELECT s.check_id, s.state, s.last_hard_state, s.acknowledged,
			s.in_downtime, s.flapping
		FROM check_state s WHERE s.check_id IN (SELECT r.check_id FROM r)
	), upd AS (
		INSERT INTO check_state AS s (check_id, state, state_type, attempt,
			last_hard_state, output, long_output, perfdata, exit_code, last_check,
			next_check, last_state_change, last_hard_state_change, latency_ms,
			duration_ms, pool, worker, last_job_id, last_scheduled, results_total,
			updated_at)
		SELECT r.check_id, r.state, r.state_type, r.attempt, r.last_hard_state,
			r.output, r.long_output, r.perfdata, r.exit_code,
			to_timestamp(r.last_check), to_timestamp(r.next_check),
			to_timestamp(r.last_state_change), to_timestamp(r.last_hard_state_change),
			r.latency_ms, r.duration_ms, r.pool, r.worker, r.last_job_id,
			to_timestamp(r.last_scheduled), r.n, now()
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
