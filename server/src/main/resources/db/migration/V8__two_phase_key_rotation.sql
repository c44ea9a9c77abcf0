-- A rotation hands the new master key to every running node before any node seals with it.
-- Portable SQL for H2 and PostgreSQL.

-- When the rotation let nodes start sealing with the new key (null while it is still being handed
-- out: nodes open with it but seal with the old key).
ALTER TABLE key_rotations ADD COLUMN sealing_since TIMESTAMP;

-- The ids of every master key a running node can open with, comma-separated.
ALTER TABLE server_nodes ADD COLUMN key_ids VARCHAR(200);

-- Rotations recorded before this version sealed with the new key from the start.
UPDATE key_rotations SET sealing_since = started_at;
