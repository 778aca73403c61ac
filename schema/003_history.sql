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

-- Its functions and views: schema/functions/ (re-applied at every start).
