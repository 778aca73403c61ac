-- vigil schema functions: notifications, deliveries, downtimes, the command log.
-- Re-applied at every engine start, after the migrations, in one
-- transaction (engine/migrate.c): each definition here is the only one and
-- the current one (CREATE OR REPLACE). Migrations create and change
-- tables; a function or view changes here, in place.

-- What one batch adds besides check states (engine/engine.c, notify part):
-- an object of arrays, each optional:
--   notifications  [{id, check_id, t, type, number, state, output,
--                    contacts: [..], escalated, author, comment}]
--   holds          [{notification_id, contact}]        storm: held back
--   digested       [{notification_id, contact, digest_id}]
--   deliveries     [{id, notification_id, contact, channel, address,
--                    target, routing_key, body}]: body goes to the outbox;
--                    target (migration 014) is what the notifier sends to
--   downtimes      [{op: "add"|"start"|"end", id, check_id, start, end,
--                    fixed, duration, author, comment, t, cancelled}]
--   commands       [{id, command, host, service, author, source, ok, message}]
--   switches       [{what, disabled, author, comment}]: the global runtime
--                  switches changed (migration 016)
CREATE OR REPLACE FUNCTION notify_apply(n json) RETURNS void
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
	INSERT INTO notification_deliveries (id, notification_id, contact, channel, address,
		target)
	SELECT x.id, x.notification_id, x.contact, x.channel, coalesce(x.address, ''),
		x.target::jsonb
	FROM json_to_recordset(n->'deliveries') AS x(id text, notification_id text,
		contact text, channel text, address text, target json);
	INSERT INTO event_outbox (routing_key, body)
	SELECT x.routing_key, x.body::jsonb
	FROM json_to_recordset(n->'deliveries') AS x(routing_key text, body text);
	INSERT INTO downtimes (id, check_id, start_time, end_time, fixed, duration_s,
		author, comment, triggered_by)
	SELECT x.id, x.check_id, to_timestamp(x.start), to_timestamp(x."end"), x.fixed,
		x.duration, x.author, x.comment, x.triggered_by
	FROM json_to_recordset(n->'downtimes') AS x(op text, id text, check_id bigint,
		start float8, "end" float8, fixed boolean, duration integer, author text,
		comment text, triggered_by text)
	WHERE x.op = 'add';
	UPDATE downtimes d SET started_at = to_timestamp(x.t)
	FROM json_to_recordset(n->'downtimes') AS x(op text, id text, t float8)
	WHERE x.op = 'start' AND d.id = x.id;
	UPDATE downtimes d SET ended_at = to_timestamp(x.t),
		cancelled = coalesce(x.cancelled, false)
	FROM json_to_recordset(n->'downtimes') AS x(op text, id text, t float8,
		cancelled boolean)
	WHERE x.op = 'end' AND d.id = x.id;
	DELETE FROM global_switches g
	USING json_to_recordset(n->'switches') AS x(what text, disabled boolean)
	WHERE g.what = x.what AND NOT x.disabled;
	INSERT INTO global_switches (what, author, comment)
	SELECT x.what, coalesce(x.author, 'unknown'), coalesce(x.comment, '')
	FROM json_to_recordset(n->'switches') AS x(what text, disabled boolean, author text,
		comment text)
	WHERE x.disabled
	ON CONFLICT (what) DO UPDATE SET author = EXCLUDED.author, comment = EXCLUDED.comment,
		time = now();
	INSERT INTO command_log (id, command, host, service, author, source, ok, message)
	SELECT x.id, x.command, x.host, x.service, x.author, x.source, x.ok, x.message
	FROM json_to_recordset(n->'commands') AS x(id text, command text, host text,
		service text, author text, source text, ok boolean, message text)
	ON CONFLICT (id) DO NOTHING;
$$;

-- The retention covers what notifications leave behind too.
CREATE OR REPLACE FUNCTION notify_retention_apply(keep interval) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM notifications WHERE time < now() - keep;
	DELETE FROM downtimes WHERE ended_at < now() - keep;
	DELETE FROM command_log WHERE time < now() - keep;
$$;
