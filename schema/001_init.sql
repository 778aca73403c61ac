-- vigil schema, migration 001: objects from config and the current state of
-- every check. The engine runs this inside the installation's schema (the
-- `prefix`, search_path set by the engine) in one transaction and records it
-- in schema_migrations.

-- Hosts from conf.d. Ids are stable across restarts: rows are matched by name.
CREATE TABLE hosts (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	address		text NOT NULL,
	alias		text NOT NULL,
	parents		text[] NOT NULL DEFAULT '{}',
	vars		jsonb NOT NULL DEFAULT '{}',
	file		text,
	line		integer,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Commands as defined (argv unexpanded, for reference and the API).
CREATE TABLE commands (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	argv		text[] NOT NULL,
	timeout_s	integer,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Every check: a host check (service IS NULL) or a service. Ids are stable:
-- rows are matched by (host, service). config_hash changes when anything
-- that affects scheduling or execution changes.
CREATE TABLE checks (
	id		bigserial PRIMARY KEY,
	host_id		bigint NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
	service		text,
	command		text NOT NULL,
	argv		text[] NOT NULL,
	interval_s	integer NOT NULL,
	retry_interval_s integer NOT NULL,
	max_attempts	integer NOT NULL,
	timeout_s	integer NOT NULL,
	pools		text[] NOT NULL,
	active		boolean NOT NULL,
	passive		boolean NOT NULL,
	config_hash	text NOT NULL,
	file		text,
	line		integer,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE NULLS NOT DISTINCT (host_id, service)
);

-- Current state of every check (one row per check, written in batches).
-- state: NULL while pending; 0..3 for services (OK..UNKNOWN), 0..2 for hosts
-- (UP, DOWN, UNREACHABLE). state_type: 0 SOFT, 1 HARD.
CREATE TABLE check_state (
	check_id	bigint PRIMARY KEY REFERENCES checks(id) ON DELETE CASCADE,
	state		smallint,
	state_type	smallint NOT NULL DEFAULT 1,
	attempt		integer NOT NULL DEFAULT 1,
	last_hard_state	smallint,
	output		text NOT NULL DEFAULT '',
	long_output	text NOT NULL DEFAULT '',
	perfdata	text NOT NULL DEFAULT '',
	exit_code	integer,
	last_check	timestamptz,
	next_check	timestamptz,
	last_state_change timestamptz,
	last_hard_state_change timestamptz,
	latency_ms	double precision,
	duration_ms	double precision,
	pool		text,
	worker		text,
	last_job_id	text,
	last_scheduled	timestamptz,
	results_total	bigint NOT NULL DEFAULT 0,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX check_state_problems ON check_state (state) WHERE state > 0;
