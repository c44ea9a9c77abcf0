-- Master key rotation (sepia-server rotate-master-key). Portable SQL for H2 and PostgreSQL.

-- One row per rotation; a rotation that has not completed is resumed by running the command again.
CREATE TABLE key_rotations (
  id            VARCHAR(64) PRIMARY KEY,
  old_key_id    VARCHAR(16) NOT NULL,
  new_key_id    VARCHAR(16) NOT NULL,
  actor         VARCHAR(200) NOT NULL,
  started_at    TIMESTAMP NOT NULL,
  completed_at  TIMESTAMP,
  re_encrypted  BIGINT DEFAULT 0 NOT NULL,
  thumbprint    VARCHAR(64),
  report_path   VARCHAR(1000)
);

-- The key each running server node seals with, so a rotation waits until every node has the new one.
ALTER TABLE server_nodes ADD COLUMN active_key_id VARCHAR(16);
