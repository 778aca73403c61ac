-- vigil schema, migration 002: hierarchical groups, their state computed by
-- recursive SQL, and the event outbox.
--
-- Groups form a DAG (group_parents; a group may have several parents).
-- Members are checks: a host member brings its host check and all its
-- services (the engine expands that when it syncs the config). A group's
-- state covers every check below it, each counted once however many paths
-- lead to it. The recursions use UNION, not UNION ALL, so they end even if
-- a cycle ever reached the table (the config loader refuses cycles).

-- Problems that someone handles (issue: semantics and notifications set
-- these); counted apart and left out of a group's worst state.
ALTER TABLE check_state
	ADD COLUMN acknowledged boolean NOT NULL DEFAULT false,
	ADD COLUMN in_downtime boolean NOT NULL DEFAULT false,
	ADD COLUMN flapping boolean NOT NULL DEFAULT false;

CREATE TABLE groups (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	title		text NOT NULL,
	file		text,
	line		integer,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE group_parents (
	group_id	bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
	parent_id	bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, parent_id)
);
-- Downward recursion walks parent → children.
CREATE INDEX group_parents_children ON group_parents (parent_id, group_id);

-- Direct members only; the subtree is computed.
CREATE TABLE group_members (
	group_id	bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
	check_id	bigint NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
	PRIMARY KEY (group_id, check_id)
);
-- Upward recursion starts from checks.
CREATE INDEX group_members_by_check ON group_members (check_id, group_id);

-- The state of every group, kept exact by deltas: each batch adds, for
-- every group above a changed check (each group once per check), the
-- difference between the check's new and old contribution. The h_* columns
-- count problems nobody handles by the rank of their hard state, so the
-- worst state follows from them without looking at the members again.
CREATE TABLE group_state (
	group_id	bigint PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
	ok		integer NOT NULL DEFAULT 0,
	warning		integer NOT NULL DEFAULT 0,
	critical	integer NOT NULL DEFAULT 0,
	unknown		integer NOT NULL DEFAULT 0,
	up		integer NOT NULL DEFAULT 0,
	down		integer NOT NULL DEFAULT 0,
	unreachable	integer NOT NULL DEFAULT 0,
	pending		integer NOT NULL DEFAULT 0,
	acknowledged	integer NOT NULL DEFAULT 0,
	in_downtime	integer NOT NULL DEFAULT 0,
	flapping	integer NOT NULL DEFAULT 0,
	known		integer NOT NULL DEFAULT 0,	-- checks with a result
	h_warning	integer NOT NULL DEFAULT 0,
	h_unknown	integer NOT NULL DEFAULT 0,
	h_unreachable	integer NOT NULL DEFAULT 0,
	h_critical	integer NOT NULL DEFAULT 0,
	h_down		integer NOT NULL DEFAULT 0,
	worst_state	text NOT NULL DEFAULT 'PENDING',
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Events decided in a transaction, published after commit with publisher
-- confirms, deleted once confirmed (consumers deduplicate by id).
CREATE TABLE event_outbox (
	id		bigserial PRIMARY KEY,
	routing_key	text NOT NULL,
	body		jsonb NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- Its functions and views: schema/functions/ (re-applied at every start).
