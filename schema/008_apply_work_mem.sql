-- vigil schema, migration 008: a cheaper check_state_apply per batch.
-- Its group rollup recurses with UNION (a check reached by several paths
-- counts once), and PostgreSQL sizes that UNION's hash table from the
-- planner's estimate, up to work_mem, and zeroes all of it when each batch
-- starts, whether the batch changed any state or not: with the default
-- 4 MB that memset was a third of PostgreSQL's CPU under a steady result
-- stream (perf, 1,500 results/s). The table grows as needed beyond its
-- first size, so a small work_mem costs nothing in a batch that changes
-- many states; the batch's joins (100s to 10,000s of rows) fit in it.
ALTER FUNCTION check_state_apply(json) SET work_mem = '1MB';
