-- vigil schema, migration 007: flow control (engine/flow.h). The engine
-- keeps no more checks in flight in a pool than its live workers can run
-- (capacity: the sum of their concurrency, plus a margin) and holds the
-- others, oldest first, instead of letting their jobs expire in the queue.
-- A pool whose checks wait for 5 s without a break is 'overloaded': its
-- checks run late, none is made UNKNOWN for it. pool_flow_apply writes what
-- the engine knows of it, in the transaction of presence_apply.

ALTER TABLE pools DROP CONSTRAINT pools_state_check;
ALTER TABLE pools ADD CONSTRAINT pools_state_check
	CHECK (state IN ('ok', 'overloaded', 'no_worker', 'pending'));
ALTER TABLE pools
	ADD COLUMN capacity integer NOT NULL DEFAULT 0,	-- sum of live workers' concurrency
	ADD COLUMN inflight integer NOT NULL DEFAULT 0,	-- jobs published, not answered
	ADD COLUMN held integer NOT NULL DEFAULT 0,	-- due checks held back
	ADD COLUMN waiting float8 NOT NULL DEFAULT 0,	-- the oldest held one's wait, s
	ADD COLUMN late_expired bigint NOT NULL DEFAULT 0; -- jobs expired unstarted, rerun

-- Its functions and views: schema/functions/ (re-applied at every start).
