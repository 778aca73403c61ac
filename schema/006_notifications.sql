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
	ADD COLUMN notified_esc bigint NOT NULL DEFAULT 0;

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

-- Every notification decided. status: 'sent' (handed to its deliveries),
-- 'held' (waiting in a storm digest), 'digested' (went out in digest_id).
-- type: PROBLEM, RECOVERY, ACKNOWLEDGEMENT, FLAPPINGSTART, FLAPPINGSTOP,
-- DOWNTIMESTART, DOWNTIMEEND, DOWNTIMECANCELLED, CUSTOM, DIGEST.
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
	comment		text,
	status		text NOT NULL DEFAULT 'sent'
			CHECK (status IN ('sent', 'held', 'digested')),
	digest_id	text
);
CREATE INDEX notifications_time ON notifications (time);
CREATE INDEX notifications_check_time ON notifications (check_id, time);
CREATE INDEX notifications_held ON notifications (status) WHERE status = 'held';

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
