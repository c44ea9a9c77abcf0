-- Deployment targets (Tentacles) and server tasks. Portable SQL for H2 and PostgreSQL.

CREATE TABLE machines (
  id                  VARCHAR(64) PRIMARY KEY,
  name                VARCHAR(200) NOT NULL,
  thumbprint          VARCHAR(64) NOT NULL,
  communication_style VARCHAR(40) NOT NULL,
  uri                 VARCHAR(400),
  environments        TEXT NOT NULL,
  roles               TEXT NOT NULL,
  health_status       VARCHAR(40) NOT NULL,
  connectivity        VARCHAR(40) NOT NULL,
  health_reason       TEXT,
  agent_version       VARCHAR(100),
  health_checked_at   TIMESTAMP,
  created_at          TIMESTAMP NOT NULL,
  updated_at          TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX machines_name ON machines (name);
CREATE UNIQUE INDEX machines_thumbprint ON machines (thumbprint);

-- Server tasks are claimed from this table, so several server nodes can share the queue.
-- Their logs live in the instance home (TaskLogs/<id>.log).
CREATE TABLE server_tasks (
  id            VARCHAR(64) PRIMARY KEY,
  name          VARCHAR(100) NOT NULL,
  description   TEXT NOT NULL,
  arguments     TEXT NOT NULL,
  state         VARCHAR(20) NOT NULL,
  created_by    VARCHAR(200) NOT NULL,
  queued_at     TIMESTAMP NOT NULL,
  started_at    TIMESTAMP,
  completed_at  TIMESTAMP,
  claimed_by    VARCHAR(200),
  error_message TEXT
);
CREATE INDEX server_tasks_state ON server_tasks (state, queued_at);
