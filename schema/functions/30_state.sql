-- vigil schema functions: check_state_apply: a batch of check states and the group deltas.
-- Re-applied at every engine start, after the migrations, in one
-- transaction (engine/migrate.c): each definition here is the only one and
-- the current one (CREATE OR REPLACE). Migrations create and change
-- tables; a function or view changes here, in place.

-- Apply one batch of check states (a JSON array of rows, see engine/db.c),
-- one row per check however many results it had in the batch,
-- in one statement: upsert check_state; for the checks whose state or
-- flags changed, recurse upward through the groups (each group once per
-- check, however many paths lead to it) and add the difference between
-- each check's new and old contribution to those groups only; write a
-- group.<name> event for each group whose counts or worst state changed.
-- Returns the groups touched and whether each changed visibly.
-- acknowledged, in_downtime and suppressed_by (a failing notification
-- dependency: handled, as an acknowledged problem) come with the rows, so
-- their changes go through the same group deltas as states do. A row without a result
-- (n = 0: an acknowledgement or a downtime changed the flags) keeps the
-- result's columns (output, pool …) as they are.
--
-- work_mem 1MB: the rollup recurses with UNION (a check reached by several
-- paths counts once), and PostgreSQL sizes that UNION's hash table from
-- the planner's estimate, up to work_mem, and zeroes all of it when each
-- batch starts: with the default 4 MB that memset was a third of
-- PostgreSQL's CPU under a steady result stream. The table grows as needed
-- beyond its first size, so a small work_mem costs nothing in a batch that
-- changes many states.
CREATE OR REPLACE FUNCTION check_state_apply(rows json)
RETURNS TABLE (group_id bigint, changed boolean)
LANGUAGE plpgsql SET work_mem = '1MB' AS $$
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
			flap_held_problem boolean, ack_kind smallint, ack_author text,
			ack_comment text, ack_time float8, in_downtime boolean,
			notification_number integer, last_notification float8,
			next_notification float8, notified_state smallint, notified_esc bigint,
			notified_on smallint, disabled smallint, disabled_by text,
			disabled_comment text, disabled_at float8, suppressed_by text)
	), old AS (
		SELECT s.check_id, s.state, s.last_hard_state, s.acknowledged,
			s.in_downtime, s.flapping, s.suppressed_by IS NOT NULL AS suppressed
		FROM check_state s WHERE s.check_id IN (SELECT r.check_id FROM r)
	), upd AS (
		INSERT INTO check_state AS s (check_id, state, state_type, attempt,
			last_hard_state, output, long_output, perfdata, exit_code, last_check,
			next_check, last_state_change, last_hard_state_change, latency_ms,
			duration_ms, pool, worker, last_job_id, last_scheduled, results_total,
			flapping, percent_state_change, flap_states, debounce_state,
			debounce_count, flap_held_problem, acknowledged, ack_kind, ack_author,
			ack_comment, ack_time, in_downtime, notification_number,
			last_notification, next_notification, notified_state, notified_esc,
			notified_on, disabled, disabled_by, disabled_comment, disabled_at,
			suppressed_by, updated_at)
		SELECT r.check_id, r.state, r.state_type, r.attempt, r.last_hard_state,
			r.output, r.long_output, r.perfdata, r.exit_code,
			to_timestamp(r.last_check), to_timestamp(r.next_check),
			to_timestamp(r.last_state_change), to_timestamp(r.last_hard_state_change),
			r.latency_ms, r.duration_ms, r.pool, r.worker, r.last_job_id,
			to_timestamp(r.last_scheduled), r.n, coalesce(r.flapping, false),
			coalesce(r.percent_state_change, 0),
			coalesce(ARRAY(SELECT json_array_elements_text(r.flap_states))::smallint[], '{}'),
			r.debounce_state, coalesce(r.debounce_count, 0),
			coalesce(r.flap_held_problem, false), coalesce(r.ack_kind, 0) > 0,
			coalesce(r.ack_kind, 0), r.ack_author, r.ack_comment,
			to_timestamp(r.ack_time), coalesce(r.in_downtime, false),
			coalesce(r.notification_number, 0), to_timestamp(r.last_notification),
			to_timestamp(r.next_notification), r.notified_state,
			coalesce(r.notified_esc, 0), coalesce(r.notified_on, 0),
			coalesce(r.disabled, 0), r.disabled_by, r.disabled_comment,
			to_timestamp(r.disabled_at), r.suppressed_by, now()
		FROM r
		ON CONFLICT (check_id) DO UPDATE SET
			state = EXCLUDED.state,
			state_type = EXCLUDED.state_type,
			attempt = EXCLUDED.attempt,
			last_hard_state = EXCLUDED.last_hard_state,
			output = CASE WHEN EXCLUDED.results_total > 0 THEN EXCLUDED.output ELSE s.output END,
			long_output = CASE WHEN EXCLUDED.results_total > 0 THEN EXCLUDED.long_output ELSE s.long_output END,
			perfdata = CASE WHEN EXCLUDED.results_total > 0 THEN EXCLUDED.perfdata ELSE s.perfdata END,
			exit_code = CASE WHEN EXCLUDED.results_total > 0 THEN EXCLUDED.exit_code ELSE s.exit_code END,
			last_check = EXCLUDED.last_check,
			next_check = EXCLUDED.next_check,
			last_state_change = EXCLUDED.last_state_change,
			last_hard_state_change = EXCLUDED.last_hard_state_change,
			latency_ms = CASE WHEN EXCLUDED.results_total > 0 THEN EXCLUDED.latency_ms ELSE s.latency_ms END,
			duration_ms = CASE WHEN EXCLUDED.results_total > 0 THEN EXCLUDED.duration_ms ELSE s.duration_ms END,
			pool = CASE WHEN EXCLUDED.results_total > 0 THEN EXCLUDED.pool ELSE s.pool END,
			worker = CASE WHEN EXCLUDED.results_total > 0 THEN EXCLUDED.worker ELSE s.worker END,
			last_job_id = EXCLUDED.last_job_id,
			last_scheduled = EXCLUDED.last_scheduled,
			results_total = s.results_total + EXCLUDED.results_total,
			flapping = EXCLUDED.flapping,
			percent_state_change = EXCLUDED.percent_state_change,
			flap_states = EXCLUDED.flap_states,
			debounce_state = EXCLUDED.debounce_state,
			debounce_count = EXCLUDED.debounce_count,
			flap_held_problem = EXCLUDED.flap_held_problem,
			acknowledged = EXCLUDED.acknowledged,
			ack_kind = EXCLUDED.ack_kind,
			ack_author = EXCLUDED.ack_author,
			ack_comment = EXCLUDED.ack_comment,
			ack_time = EXCLUDED.ack_time,
			in_downtime = EXCLUDED.in_downtime,
			notification_number = EXCLUDED.notification_number,
			last_notification = EXCLUDED.last_notification,
			next_notification = EXCLUDED.next_notification,
			notified_state = EXCLUDED.notified_state,
			notified_esc = EXCLUDED.notified_esc,
			notified_on = EXCLUDED.notified_on,
			disabled = EXCLUDED.disabled,
			disabled_by = EXCLUDED.disabled_by,
			disabled_comment = EXCLUDED.disabled_comment,
			disabled_at = EXCLUDED.disabled_at,
			suppressed_by = EXCLUDED.suppressed_by,
			updated_at = now()
		RETURNING s.check_id, s.state, s.last_hard_state, s.acknowledged,
			s.in_downtime, s.flapping, s.suppressed_by IS NOT NULL AS suppressed
	), ch AS (
		SELECT u.check_id, c.service IS NULL AS is_host,
			o.state AS os, o.last_hard_state AS oh, coalesce(o.acknowledged, false) AS oa,
			coalesce(o.in_downtime, false) AS od, coalesce(o.flapping, false) AS ofl,
			coalesce(o.suppressed, false) AS osu,
			u.state AS ns, u.last_hard_state AS nh, u.acknowledged AS na,
			u.in_downtime AS nd, u.flapping AS nf, u.suppressed AS nsu
		FROM upd u JOIN checks c ON c.id = u.check_id
		LEFT JOIN old o ON o.check_id = u.check_id
		WHERE o.check_id IS NULL OR (o.state, o.last_hard_state, o.acknowledged,
			o.in_downtime, o.flapping, o.suppressed) IS DISTINCT FROM (u.state,
			u.last_hard_state, u.acknowledged, u.in_downtime, u.flapping, u.suppressed)
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
			sum(flag(check_rank(is_host, ns, nh, na OR nsu, nd, nf) = 1)
				- flag(check_rank(is_host, os, oh, oa OR osu, od, ofl) = 1))::integer AS h_warning,
			sum(flag(check_rank(is_host, ns, nh, na OR nsu, nd, nf) = 2)
				- flag(check_rank(is_host, os, oh, oa OR osu, od, ofl) = 2))::integer AS h_unknown,
			sum(flag(check_rank(is_host, ns, nh, na OR nsu, nd, nf) = 3)
				- flag(check_rank(is_host, os, oh, oa OR osu, od, ofl) = 3))::integer AS h_unreachable,
			sum(flag(check_rank(is_host, ns, nh, na OR nsu, nd, nf) = 4)
				- flag(check_rank(is_host, os, oh, oa OR osu, od, ofl) = 4))::integer AS h_critical,
			sum(flag(check_rank(is_host, ns, nh, na OR nsu, nd, nf) = 5)
				- flag(check_rank(is_host, os, oh, oa OR osu, od, ofl) = 5))::integer AS h_down
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
