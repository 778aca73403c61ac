-- vigil schema functions: workers and pools: presence and flow.
-- Re-applied at every engine start, after the migrations, in one
-- transaction (engine/migrate.c): each definition here is the only one and
-- the current one (CREATE OR REPLACE). Migrations create and change
-- tables; a function or view changes here, in place.

-- Make both tables what the engine knows: {"workers": [...], "pools":
-- [...]} (see engine/presence.h); rows not in it go.
CREATE OR REPLACE FUNCTION presence_apply(p json) RETURNS void
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

-- After presence_apply (migration 005) has made the rows: each pool's flow,
-- from the same snapshot.
CREATE OR REPLACE FUNCTION pool_flow_apply(p json) RETURNS void
LANGUAGE sql AS $$
	UPDATE pools l SET capacity = x.capacity, inflight = x.inflight, held = x.held,
		waiting = x.waiting, late_expired = x.late_expired
	FROM json_to_recordset(p->'pools') AS x(name text, capacity integer,
		inflight integer, held integer, waiting float8, late_expired bigint)
	WHERE l.name = x.name;
$$;
