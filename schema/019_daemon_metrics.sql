-- vigil schema, migration 019: what the daemons count, for /metrics. The
-- leading engine writes its counters and histograms here every few seconds
-- (Prometheus text, rendered by the engine: it knows its own metrics);
-- vigil-web serves them at GET /metrics with what PostgreSQL knows itself
-- (checks by state, pools, workers, the notification ledger): one scrape
-- target for an installation whose workers only connect out.
CREATE TABLE daemon_metrics (
	daemon		text NOT NULL,		-- 'engine'
	identity	text NOT NULL,		-- host:pid
	started		timestamptz NOT NULL,
	updated_at	timestamptz NOT NULL,
	text		text NOT NULL,		-- Prometheus text format
	PRIMARY KEY (daemon, identity)
);
