-- The deployment model: environments, lifecycles, projects and their process, variables,
-- accounts, the certificate library, releases and deployments. Portable SQL for H2 and PostgreSQL.
-- Lists are JSON arrays in TEXT columns. Every column holding a value sealed with the master key
-- is declared in the encrypted-field catalogue (EncryptedFieldCatalogue).

CREATE TABLE environments (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  description TEXT,
  sort_order  INT NOT NULL,
  created_at  TIMESTAMP NOT NULL,
  updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX environments_name ON environments (name);

-- phases: JSON [{"name": "...", "environmentIds": ["Environments-..."]}], in order.
-- The default lifecycle has no phases of its own: every environment, in order, is a phase.
CREATE TABLE lifecycles (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  description TEXT,
  is_default  BOOLEAN NOT NULL,
  phases      TEXT,
  created_at  TIMESTAMP NOT NULL,
  updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX lifecycles_name ON lifecycles (name);

CREATE TABLE library_variable_sets (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  description TEXT,
  created_at  TIMESTAMP NOT NULL,
  updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX library_variable_sets_name ON library_variable_sets (name);

CREATE TABLE projects (
  id                 VARCHAR(64) PRIMARY KEY,
  name               VARCHAR(200) NOT NULL,
  description        TEXT,
  lifecycle_id       VARCHAR(64) NOT NULL REFERENCES lifecycles (id),
  library_set_ids    TEXT NOT NULL,
  created_at         TIMESTAMP NOT NULL,
  updated_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX projects_name ON projects (name);

-- The deployment process: ordered steps. parameters holds plain parameters as a JSON object;
-- sensitive parameters live sealed in step_sensitive_parameters.
CREATE TABLE deployment_steps (
  id            VARCHAR(64) PRIMARY KEY,
  project_id    VARCHAR(64) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  position      INT NOT NULL,
  name          VARCHAR(200) NOT NULL,
  kind          VARCHAR(40) NOT NULL,
  target_roles  TEXT NOT NULL,
  script        TEXT NOT NULL,
  parameters    TEXT NOT NULL,
  max_parallel  INT NOT NULL,
  created_at    TIMESTAMP NOT NULL,
  updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX deployment_steps_project ON deployment_steps (project_id, position);

CREATE TABLE step_sensitive_parameters (
  id           VARCHAR(64) PRIMARY KEY,
  step_id      VARCHAR(64) NOT NULL REFERENCES deployment_steps (id) ON DELETE CASCADE,
  name         VARCHAR(200) NOT NULL,
  sealed_value TEXT NOT NULL
);
CREATE UNIQUE INDEX step_sensitive_parameters_name ON step_sensitive_parameters (step_id, name);

-- Project and library-set variables. owner_id is a project or a library variable set.
-- A sensitive variable has value NULL and its value sealed in sensitive_value.
-- Scopes are JSON arrays: environment ids, target roles, machine ids.
CREATE TABLE variables (
  id                 VARCHAR(64) PRIMARY KEY,
  owner_id           VARCHAR(64) NOT NULL,
  name               VARCHAR(200) NOT NULL,
  is_sensitive       BOOLEAN NOT NULL,
  plain_value        TEXT,
  sensitive_value    TEXT,
  scope_environments TEXT NOT NULL,
  scope_roles        TEXT NOT NULL,
  scope_machines     TEXT NOT NULL,
  position           INT NOT NULL,
  created_at         TIMESTAMP NOT NULL,
  updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX variables_owner ON variables (owner_id, position);

-- Accounts used by targets and steps. kind: UsernamePassword, SshKeyPair, Token.
-- Each secret column is sealed and catalogued; unused ones are NULL.
CREATE TABLE accounts (
  id          VARCHAR(64) PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  kind        VARCHAR(40) NOT NULL,
  description TEXT,
  username    VARCHAR(200),
  password    TEXT,
  private_key TEXT,
  passphrase  TEXT,
  token       TEXT,
  created_at  TIMESTAMP NOT NULL,
  updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX accounts_name ON accounts (name);

-- The certificate library. The certificate itself (PEM) is public; its private key is sealed.
CREATE TABLE certificates (
  id              VARCHAR(64) PRIMARY KEY,
  name            VARCHAR(200) NOT NULL,
  description     TEXT,
  subject         VARCHAR(1000) NOT NULL,
  issuer          VARCHAR(1000) NOT NULL,
  thumbprint      VARCHAR(64) NOT NULL,
  serial_number   VARCHAR(200) NOT NULL,
  not_before      TIMESTAMP NOT NULL,
  not_after       TIMESTAMP NOT NULL,
  certificate_pem TEXT NOT NULL,
  private_key     TEXT,
  created_at      TIMESTAMP NOT NULL,
  updated_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX certificates_name ON certificates (name);

-- Targets beyond Tentacles: SSH (host, port, host key fingerprint, an account) and offline
-- package drop (a folder and a sealed bundle password). Such targets have no thumbprint.
ALTER TABLE machines ALTER COLUMN thumbprint DROP NOT NULL;
ALTER TABLE machines ADD COLUMN ssh_host VARCHAR(255);
ALTER TABLE machines ADD COLUMN ssh_port INT;
ALTER TABLE machines ADD COLUMN ssh_fingerprint VARCHAR(200);
ALTER TABLE machines ADD COLUMN account_id VARCHAR(64);
ALTER TABLE machines ADD COLUMN drop_folder VARCHAR(1000);
ALTER TABLE machines ADD COLUMN drop_password TEXT;

-- A release is a snapshot of the process and the variables when it was created (JSON);
-- the sensitive values in it are sealed in release_sensitive_values, referenced by id.
CREATE TABLE releases (
  id          VARCHAR(64) PRIMARY KEY,
  project_id  VARCHAR(64) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  version     VARCHAR(100) NOT NULL,
  notes       TEXT,
  snapshot    TEXT NOT NULL,
  created_by  VARCHAR(200) NOT NULL,
  created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX releases_project_version ON releases (project_id, version);

CREATE TABLE release_sensitive_values (
  id           VARCHAR(64) PRIMARY KEY,
  release_id   VARCHAR(64) NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
  name         VARCHAR(200) NOT NULL,
  sealed_value TEXT NOT NULL
);
CREATE INDEX release_sensitive_values_release ON release_sensitive_values (release_id);

-- A deployment of a release to an environment, run as a server task.
CREATE TABLE deployments (
  id             VARCHAR(64) PRIMARY KEY,
  release_id     VARCHAR(64) NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
  project_id     VARCHAR(64) NOT NULL,
  environment_id VARCHAR(64) NOT NULL REFERENCES environments (id),
  task_id        VARCHAR(64) NOT NULL,
  created_by     VARCHAR(200) NOT NULL,
  created_at     TIMESTAMP NOT NULL
);
CREATE INDEX deployments_release ON deployments (release_id, environment_id);
CREATE INDEX deployments_project ON deployments (project_id, environment_id, created_at);

-- Cancelling an executing task: the engine sees the request and stops the work.
ALTER TABLE server_tasks ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
