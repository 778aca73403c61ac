-- vigil schema functions: the group rollup: ranks, counts, the tree view, refresh.
-- Re-applied at every engine start, after the migrations, in one
-- transaction (engine/migrate.c): each definition here is the only one and
-- the current one (CREATE OR REPLACE). Migrations create and change
-- tables; a function or view changes here, in place.

-- How bad a hard state is, for a group's worst state:
-- OK/UP 0 < WARNING 1 < UNKNOWN 2 < UNREACHABLE 3 < CRITICAL 4 < DOWN 5.
CREATE OR REPLACE FUNCTION state_rank(state smallint, is_host boolean) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN is_host THEN
		CASE state WHEN 0 THEN 0 WHEN 2 THEN 3 WHEN 1 THEN 5 END
	ELSE
		CASE state WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 WHEN 2 THEN 4 END
	END::smallint
$$;

-- The rank a check adds to its groups' worst state: its hard state's rank
-- when it has a result and nobody handles it, else 0.
CREATE OR REPLACE FUNCTION check_rank(is_host boolean, state smallint, hard smallint,
	ack boolean, dt boolean, flap boolean) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN state IS NULL OR ack OR dt OR flap THEN 0
		ELSE coalesce(state_rank(hard, is_host), 0) END::smallint
$$;

-- A group's worst state from its counters: the worst hard state among the
-- problems nobody handles; OK when every known check is fine or handled;
-- PENDING when no check has a result yet (or the group is empty).
CREATE OR REPLACE FUNCTION group_worst(known integer, h_warning integer, h_unknown integer,
	h_unreachable integer, h_critical integer, h_down integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN h_down > 0 THEN 'DOWN' WHEN h_critical > 0 THEN 'CRITICAL'
		WHEN h_unreachable > 0 THEN 'UNREACHABLE' WHEN h_unknown > 0 THEN 'UNKNOWN'
		WHEN h_warning > 0 THEN 'WARNING' WHEN known > 0 THEN 'OK'
		ELSE 'PENDING' END
$$;

-- Every check below each of the given groups (themselves included),
-- each (group, check) pair once.
CREATE OR REPLACE FUNCTION group_subtree_checks(roots bigint[])
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
CREATE OR REPLACE FUNCTION group_counts(roots bigint[])
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
				s.acknowledged OR s.suppressed_by IS NOT NULL, s.in_downtime,
				s.flapping) AS rk
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
CREATE OR REPLACE VIEW group_tree_state AS
	SELECT g.name, g.title, gc.group_id, gc.ok, gc.warning, gc.critical, gc.unknown,
		gc.up, gc.down, gc.unreachable, gc.pending, gc.acknowledged,
		gc.in_downtime, gc.flapping, gc.worst_state
	FROM group_counts(ARRAY(SELECT id FROM groups)) gc
	JOIN groups g ON g.id = gc.group_id;

-- Every group above the given checks (their groups and all ancestors).
CREATE OR REPLACE FUNCTION group_ancestors(check_ids bigint[])
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
CREATE OR REPLACE FUNCTION flag(b boolean) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN b THEN 1 ELSE 0 END $$;

-- The body of a group.<name> event.
CREATE OR REPLACE FUNCTION group_event_body(name text, title text, worst text, old_worst text,
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
CREATE OR REPLACE FUNCTION group_refresh_all()
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
