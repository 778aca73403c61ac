-- Benchmark data for bench/groups: 1,000 groups in a DAG of depth 6 with
-- diamonds (every 20th group below level 1 has a second parent), 20,000
-- hosts with a host check and 4 services each (100,000 checks), every host
-- in one leaf-level group and every 10th service also directly in a second
-- group of the same subtree. States: 90 % OK, 5 % WARNING, 3 % CRITICAL,
-- 2 % UNKNOWN, all HARD; a few acknowledged.
SELECT setseed(0.42);

-- Levels: 1, 4, 16, 64, 256, 659 groups (1,000 in all).
CREATE TEMP TABLE lvl AS
	SELECT l, n, sum(n) OVER (ORDER BY l) - n AS first
	FROM (VALUES (0, 1), (1, 4), (2, 16), (3, 64), (4, 256), (5, 659)) AS v(l, n);
INSERT INTO groups (id, name, title)
	SELECT lvl.first + i, 'g' || l || '_' || i, 'Level ' || l || ' group ' || i
	FROM lvl, generate_series(1, lvl.n) AS i;
SELECT setval(pg_get_serial_sequence('groups', 'id'), 1000);
-- Parent: spread evenly over the level above.
INSERT INTO group_parents (group_id, parent_id)
	SELECT c.first + i, p.first + 1 + ((i - 1) * p.n / c.n)
	FROM lvl c JOIN lvl p ON p.l = c.l - 1, generate_series(1, c.n) AS i;
-- Diamonds: a second parent.
INSERT INTO group_parents (group_id, parent_id)
	SELECT c.first + i, p.first + 1 + ((i * 7) % p.n)
	FROM lvl c JOIN lvl p ON p.l = c.l - 1, generate_series(1, c.n) AS i
	WHERE c.l >= 2 AND i % 20 = 0
	ON CONFLICT DO NOTHING;

INSERT INTO hosts (id, name, address, alias)
	SELECT h, 'host-' || h, '10.0.' || (h / 250) || '.' || (h % 250), 'host-' || h
	FROM generate_series(1, 20000) AS h;
INSERT INTO checks (id, host_id, service, command, argv, interval_s, retry_interval_s,
	max_attempts, timeout_s, pools, active, passive, config_hash)
	SELECT (h - 1) * 5 + k + 1, h, CASE WHEN k = 0 THEN NULL ELSE 'svc-' || k END,
		'dummy', '{/bin/true}', 60, 10, 3, 30, '{default}', true, true, 'x'
	FROM generate_series(1, 20000) AS h, generate_series(0, 4) AS k;
INSERT INTO check_state (check_id, state, state_type, attempt, last_hard_state, acknowledged)
	SELECT id, st, 1, 1, st, st > 0 AND random() < 0.1
	FROM (SELECT id, service,
		CASE WHEN r < 0.90 THEN 0 WHEN r < 0.95 THEN 1 WHEN r < 0.98 THEN 2 ELSE 3 END AS st
		FROM (SELECT id, service, random() AS r FROM checks) x) y
	WHERE service IS NOT NULL;
INSERT INTO check_state (check_id, state, state_type, attempt, last_hard_state)
	SELECT id, CASE WHEN random() < 0.98 THEN 0 ELSE 1 END, 1, 1, 0
	FROM checks WHERE service IS NULL;
UPDATE check_state SET last_hard_state = state;

-- Host members: each host's 5 checks in one leaf group.
INSERT INTO group_members (group_id, check_id)
	SELECT 341 + ((c.host_id - 1) % 659) + 1, c.id FROM checks c;
-- Every 10th service also directly in a level-3 group.
INSERT INTO group_members (group_id, check_id)
	SELECT 21 + (c.id % 64) + 1, c.id FROM checks c WHERE c.id % 10 = 0
	ON CONFLICT DO NOTHING;
ANALYZE;
