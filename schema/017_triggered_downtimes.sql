-- vigil schema, migration 017: triggered downtimes (Nagios's): a
-- downtime with triggered_by does not start by itself but when that
-- downtime starts (a host's downtime scheduled for its child hosts as
-- triggered ones, say), and lasts its own window or duration from then.
ALTER TABLE downtimes ADD COLUMN triggered_by text;
