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

-- Make both tables what the engine knows: {"workers": [...], "pools":
-- [...]} (see engine/presence.h); rows not in it go.
CREATE FUNCTION presence_apply(p json) RETURNS void
LANGUAGE sql AS $$
	DELETE FROM workers w WHERE w.id NOT IN
		(SELECT x.id FROM json_to_recordset(p->'workers') AS x(id text));
	INSERT INTO workers (id, pool, host, pid, concurrency, running, awaiting,
		version, started, last_seen)
	SELECT x.id, x.pool, x.host, x.pid, x.concurrency, x.running, x.awaiting,
		x.version, to_timestamp(x.started), to_timestamp(x.last_seen)
	FROM json_to_recordset(p->'workers') AS x(id text, pool text, host text,
		pid integer, concurrency integer, running integer, awaiting integer,
		version text, started float8, last_seen float8)
	ON CONFLICT (id) DO UPDATE SET pool = EXCLUDED.pool, host = EXCLUDED.host,
		pid = EXCLUDED.pid, concurrency = EXCLUDED.concurrency,
		running = EXCLUDED.running, awaiting = EXCLUDED.awaiting,
		version = EXCLUDED.version, started = EXCLUDED.started,
		last_seen = EXCLUDED.last_seen;
	DELETE FROM pools l WHERE l.name NOT IN
		(SELECT x.name FROM json_to_recordset(p->'pools') AS x(name text));
	INSERT INTO pools (name, live_workers, checks, state, since)
	SELECT x.name, x.live_workers, x.checks, x.state, to_timestamp(x.since)
	FROM json_to_recordset(p->'pools') AS x(name text, live_workers integer,
		checks integer, state text, since float8)
	ON CONFLICT (name) DO UPDATE SET live_workers = EXCLUDED.live_workers,
		checks = EXCLUDED.checks, state = EXCLUDED.state, since = EXCLUDED.since;
$$;
