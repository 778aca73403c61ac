-- vigil schema, migration 016: the runtime switches (Nagios's enable and
-- disable commands), persisted across restarts and reloads. A check's:
-- disabled is a set of bits (lib/msg.h SWITCH_*: 1 active checks, 2
-- passive checks, 4 notifications, 8 flap detection, 16 event handlers),
-- with who changed it last, when and why. The global ones: one row per
-- switch that is off for every check.
ALTER TABLE check_state
	ADD COLUMN disabled smallint NOT NULL DEFAULT 0,
	ADD COLUMN disabled_by text,
	ADD COLUMN disabled_comment text,
	ADD COLUMN disabled_at timestamptz;

CREATE TABLE global_switches (
	what		text PRIMARY KEY
			CHECK (what IN ('active_checks', 'passive_checks', 'notifications',
				'flap_detection', 'event_handlers')),
	author		text NOT NULL,
	comment		text NOT NULL DEFAULT '',
	time		timestamptz NOT NULL DEFAULT now()
);
