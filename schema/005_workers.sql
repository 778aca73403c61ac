-- vigil schema, migration 005: worker presence. The engine knows the live
-- workers from their heartbeats (engine/presence.c) and writes what it knows
-- here, whole, at most once a second, in a batch of the database thread
-- (presence_apply). vigilctl workers reads it. The engine's memory is the
-- truth: if no engine runs, these rows stand still and last_seen ages.

-- The live workers: one row per worker process.
CREATE TABLE workers (
	id		text PRIMARY KEY,	-- host:pid
	pool		text NOT NULL,
	host		text NOT NULL,
	pid		integer NOT NULL,
	concurrency	integer NOT NULL,
	running		integer NOT NULL,	-- plugins running
	awaiting	integer NOT NULL,	-- results not yet confirmed by the broker
	version		text NOT NULL,
	started		timestamptz NOT NULL,
	last_seen	timestamptz NOT NULL	-- when its last heartbeat arrived
);

-- Pools used by checks, and pools of live workers. state: 'ok' (a live
-- worker), 'no_worker' (none: its checks are not run), 'pending' (none
-- heard yet, the engine has not listened long enough to tell); since: when
-- the pool got that state.
CREATE TABLE pools (
	name		text PRIMARY KEY,
	live_workers	integer NOT NULL,
	checks		integer NOT NULL,
	state		text NOT NULL CHECK (state IN ('ok', 'no_worker', 'pending')),
	since		timestamptz NOT NULL
);

-- Its functions and views: schema/functions/ (re-applied at every start).
