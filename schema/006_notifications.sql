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

-- A batch quarantined keeps its notification part too.
ALTER TABLE batch_quarantine ADD COLUMN notify text;

-- Its functions and views: schema/functions/ (re-applied at every start).
