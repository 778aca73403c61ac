-- vigil schema, migration 006: notifications. The engine decides them
-- (engine/notify.c) and writes, in the batch transaction that applied the
-- result or command behind them: the notification, one delivery per
-- contact and channel, and the delivery's message in the outbox
-- (notification.<contact>, to the <prefix>.notify queue). vigil-notifier
-- delivers and writes each delivery's attempts and outcome here; a
-- delivery already 'sent' is never sent again (idempotent by its id).

-- Acknowledgement and notification state of each check (notify.h).
-- acknowledged (migration 002) stays the flag the group rollup counts;
-- ack_kind says which: 1 normal, 2 sticky.
ALTER TABLE check_state
	ADD COLUMN ack_kind smallint NOT NULL DEFAULT 0,
	ADD COLUMN ack_author text,
	ADD COLUMN ack_comment text,
	ADD COLUMN ack_time timestamptz,
	ADD COLUMN notification_number integer NOT NULL DEFAULT 0,
	ADD COLUMN last_notification timestamptz,
	ADD COLUMN next_notification timestamptz,
	ADD COLUMN notified_state smallint,
	ADD COLUMN notified_esc bigint NOT NULL DEFAULT 0,
	ADD COLUMN notified_on smallint NOT NULL DEFAULT 0;

-- Scheduled downtime. fixed: from start_time to end_time. Flexible: it
-- starts when the check goes to a problem state between start_time and
-- end_time, and lasts duration_s. started_at / ended_at: when it took
-- effect and when it ended (or was cancelled). Overlapping downtimes nest.
CREATE TABLE downtimes (
	id		text PRIMARY KEY,
	check_id	bigint NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	start_time	timestamptz NOT NULL,
	end_time	timestamptz NOT NULL,
	fixed		boolean NOT NULL,
	duration_s	integer NOT NULL,
	author		text NOT NULL,
	comment		text NOT NULL,
	created		timestamptz NOT NULL DEFAULT now(),
	started_at	timestamptz,
	ended_at	timestamptz,
	cancelled	boolean NOT NULL DEFAULT false,
	CHECK (end_time > start_time)
);
CREATE INDEX downtimes_open ON downtimes (check_id) WHERE ended_at IS NULL;

-- Every notification decided, with the contacts it was for (after their
-- own filters). type: PROBLEM, RECOVERY, ACKNOWLEDGEMENT, FLAPPINGSTART,
-- FLAPPINGSTOP, DOWNTIMESTART, DOWNTIMEEND, DOWNTIMECANCELLED, CUSTOM,
-- DIGEST (a storm of them for one contact, check_id NULL).
CREATE TABLE notifications (
	id		text PRIMARY KEY,
	check_id	bigint REFERENCES checks(id) ON DELETE SET NULL,	-- NULL: a digest
	time		timestamptz NOT NULL,
	type		text NOT NULL,
	number		integer NOT NULL DEFAULT 0,
	state		smallint,
	output		text NOT NULL DEFAULT '',
	contacts	text[] NOT NULL,
	escalated	boolean NOT NULL DEFAULT false,
	author		text,
	comment		text
);
CREATE INDEX notifications_time ON notifications (time);
CREATE INDEX notifications_check_time ON notifications (check_id, time);

-- Storm grouping: a notification held back for a contact (more than the
-- storm threshold within the window) until its digest goes out; digest_id
-- NULL while it waits (the engine reloads those at start).
CREATE TABLE notification_holds (
	notification_id	text NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
	contact		text NOT NULL,
	digest_id	text,
	PRIMARY KEY (notification_id, contact)
);
CREATE INDEX notification_holds_waiting ON notification_holds (contact) WHERE digest_id IS NULL;

-- One delivery per notification, contact and channel. status: 'queued'
-- (in the outbox or the queue), 'sending' (a notifier has it), 'sent',
-- 'retrying' (failed, waits in the retry queue), 'failed' (gave up:
-- parked in <prefix>.notify.failed).
CREATE TABLE notification_deliveries (
	id		text PRIMARY KEY,
	notification_id	text NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
	contact		text NOT NULL,
	channel		text NOT NULL CHECK (channel IN ('email', 'slack', 'webhook', 'command')),
	address		text NOT NULL DEFAULT '',	-- email, Slack channel, URL or command
	status		text NOT NULL DEFAULT 'queued'
			CHECK (status IN ('queued', 'sending', 'sent', 'retrying', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	last_error	text,
	notifier	text,		-- host:pid of the notifier of the last attempt
	created		timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz
);
CREATE INDEX notification_deliveries_notification ON notification_deliveries (notification_id);
CREATE INDEX notification_deliveries_open ON notification_deliveries (status)
	WHERE status NOT IN ('sent');

-- Commands the engine applied or refused (ack, unack, downtime, cancel):
-- vigilctl waits for its command's row to tell the user what happened.
CREATE TABLE command_log (
	id		text PRIMARY KEY,
	time		timestamptz NOT NULL DEFAULT now(),
	command		text NOT NULL,
	host		text,
	service		text,
	author		text,
	ok		boolean NOT NULL,
	message		text NOT NULL
);
CREATE INDEX command_log_time ON command_log (time);

-- What one batch adds besides check states (engine/engine.c, notify part):
-- an object of arrays, each optional:
--   notifications  [{id, check_id, t, type, number, state, output,
--                    contacts: [..], escalated, author, comment}]
--   holds          [{notification_id, contact}]        storm: held back
--   digested       [{notification_id, contact, digest_id}]
--   deliveries     [{id, notification_id, contact, channel, address,
--                    routing_key, body}]: body goes to the outbox
--   downtimes      [{op: "add"|"start"|"end", id, check_id, start, end,
--                    fixed, duration, author, comment, t, cancelled}]
--   commands       [{id, command, host, service, author, ok, message}]
CREATE FUNCTION notify_apply(n json) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO notifications (id, check_id, time, type, number, state, output,
		contacts, escalated, author, comment)
	SELECT x.id, x.check_id, to_timestamp(x.t), x.type, coalesce(x.number, 0), x.state,
		coalesce(x.output, ''), ARRAY(SELECT json_array_elements_text(x.contacts)),
		coalesce(x.escalated, false), x.author, x.comment
	FROM json_to_recordset(n->'notifications') AS x(id text, check_id bigint, t float8,
		type text, number integer, state smallint, output text, contacts json,
		escalated boolean, author text, comment text);
	INSERT INTO notification_holds (notification_id, contact)
	SELECT x.notification_id, x.contact
	FROM json_to_recordset(n->'holds') AS x(notification_id text, contact text)
	ON CONFLICT DO NOTHING;
	UPDATE notification_holds h SET digest_id = x.digest_id
	FROM json_to_recordset(n->'digested') AS x(notification_id text, contact text,
		digest_id text)
	WHERE h.notification_id = x.notification_id AND h.contact = x.contact;
	INSERT INTO notification_deliveries (id, notification_id, contact, channel, address)
	SELECT x.id, x.notification_id, x.contact, x.channel, coalesce(x.address, '')
	FROM json_to_recordset(n->'deliveries') AS x(id text, notification_id text,
		contact text, channel text, address text);
	INSERT INTO event_outbox (routing_key, body)
	SELECT x.routing_key, x.body::jsonb
	FROM json_to_recordset(n->'deliveries') AS x(routing_key text, body text);
	INSERT INTO downtimes (id, check_id, start_time, end_time, fixed, duration_s,
		author, comment)
	SELECT x.id, x.check_id, to_timestamp(x.start), to_timestamp(x."end"), x.fixed,
		x.duration, x.author, x.comment
	FROM json_to_recordset(n->'downtimes') AS x(op text, id text, check_id bigint,
		start float8, "end" float8, fixed boolean, duration integer, author text,
		comment text)
	WHERE x.op = 'add';
	UPDATE downtimes d SET started_at = to_timestamp(x.t)
	FROM json_to_recordset(n->'downtimes') AS x(op text, id text, t float8)
	WHERE x.op = 'start' AND d.id = x.id;
	UPDATE downtimes d SET ended_at = to_timestamp(x.t),
		cancelled = coalesce(x.cancelled, false)
	FROM json_to_recordset(n->'downtimes') AS x(op text, id text, t float8,
		cancelled boolean)
	WHERE x.op = 'end' AND d.id = x.id;
	INSERT INTO command_log (id, command, host, service, author, ok, message)
	SELECT x.id, x.command, x.host, x.service, x.author, x.ok, x.message
	FROM json_to_recordset(n->'commands') AS x(id text, command text, host text,
		service text, author text, ok boolean, message text)
	ON CONFLICT (id) DO NOTHING;
$$;

-- The retention covers what notifications leave behind too.
CREATE OR REPLACE FUNCTION notify_retention_apply(keep interval) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM notifications WHERE time < now() - keep;
	DELETE FROM downtimes WHERE ended_at < now() - keep;
	DELETE FROM command_log WHERE time < now() - keep;
$$;

-- check_state_apply (migration 003) with the acknowledgement, downtime and
-- notification columns. acknowledged and in_downtime now come with the
-- rows, so their changes go through the same group deltas as states do.
-- A row without a result (n = 0: an acknowledgement or a downtime changed
-- the flags) keeps the result's columns (output, pool …) as they are.
CREATE OR REPLACE FUNCTION check_state_apply(rows json)
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
			flap_held_problem boolean, ack_kind smallint, ack_author text,
			ack_comment text, ack_time float8, in_downtime boolean,
			notification_number integer, last_notification float8,
			next_notification float8, notified_state smallint, notified_esc bigint,
			notified_on smallint)
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
			debounce_count, flap_held_problem, acknowledged, ack_kind, ack_author,
			ack_comment, ack_time, in_downtime, notification_number,
			last_notification, next_notification, notified_state, notified_esc,
			notified_on, updated_at)
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
			coalesce(r.notified_esc, 0), coalesce(r.notified_on, 0), now()
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

-- A batch quarantined keeps its notification part too.
ALTER TABLE batch_quarantine ADD COLUMN notify text;
