-- vigil schema, migration 010: the API lists checks by host name in byte
-- order (its cursor compares names so, whatever the database's collation);
-- this index lets a page start where it should without sorting every
-- check of the installation.
CREATE INDEX hosts_name_bytes ON hosts (name COLLATE "C");
