/**
 * The initial schema. Invariants live here, not in application code:
 * - one live secret per (account, region, name): UNIQUE;
 * - a version id (the ClientRequestToken) is unique per secret: PRIMARY KEY — idempotency rests on it;
 * - a staging label sits on at most one version of a secret: PRIMARY KEY (secret_id, stage);
 * - a label points at an existing version of the same secret: composite FOREIGN KEY;
 * - a version either has a complete encrypted value or none (rotation placeholders): CHECK.
 */
export const initial = `
CREATE TABLE deployment (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  default_account_id TEXT NOT NULL,
  default_region TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE barrier_keys (
  term INTEGER PRIMARY KEY,
  sealed_key BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY CHECK (length(account_id) = 12 AND account_id NOT GLOB '*[^0-9]*'),
  created_at INTEGER NOT NULL
);

CREATE TABLE iam_users (
  user_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  user_name TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '/',
  arn TEXT NOT NULL UNIQUE,
  is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  created_at INTEGER NOT NULL,
  UNIQUE (account_id, user_name)
);

CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES iam_users(user_id) ON DELETE CASCADE,
  sealed_secret BLOB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  created_at INTEGER NOT NULL
);

CREATE TABLE kms_keys (
  key_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  key_manager TEXT NOT NULL CHECK (key_manager IN ('AWS', 'CUSTOMER')),
  key_state TEXT NOT NULL CHECK (key_state IN ('Enabled', 'Disabled', 'PendingDeletion')),
  description TEXT NOT NULL DEFAULT '',
  current_material_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  deletion_date INTEGER
);

CREATE TABLE kms_key_materials (
  key_id TEXT NOT NULL REFERENCES kms_keys(key_id) ON DELETE CASCADE,
  material_id TEXT NOT NULL,
  sealed_material BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, material_id)
);

CREATE TABLE kms_aliases (
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  alias_name TEXT NOT NULL,
  target_key_id TEXT NOT NULL REFERENCES kms_keys(key_id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, region, alias_name)
);

CREATE TABLE secrets (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  arn TEXT NOT NULL UNIQUE,
  description TEXT,
  kms_key_arn TEXT,
  owning_service TEXT,
  type TEXT,
  tags TEXT,
  resource_policy TEXT,
  created_at INTEGER NOT NULL,
  last_changed_at INTEGER NOT NULL,
  last_accessed_at INTEGER,
  deleted_at INTEGER,
  deletion_date INTEGER,
  revision INTEGER NOT NULL DEFAULT 1,
  UNIQUE (account_id, region, name),
  CHECK ((deleted_at IS NULL) = (deletion_date IS NULL)),
  CHECK (tags IS NULL OR json_valid(tags))
);
CREATE INDEX secrets_deletion ON secrets(deletion_date) WHERE deletion_date IS NOT NULL;

CREATE TABLE secret_versions (
  secret_id INTEGER NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
  -- Bytes, not length(): SQLite's length() stops at a NUL, which a token may contain (32-64 characters).
  version_id TEXT NOT NULL CHECK (length(CAST(version_id AS BLOB)) BETWEEN 32 AND 256),
  created_at INTEGER NOT NULL,
  last_accessed_at INTEGER,
  kms_key_arn TEXT,
  encrypted_data_key BLOB,
  value_type TEXT CHECK (value_type IN ('string', 'binary')),
  ciphertext BLOB,
  PRIMARY KEY (secret_id, version_id),
  CHECK ((value_type IS NULL) = (ciphertext IS NULL)),
  CHECK ((ciphertext IS NULL) = (encrypted_data_key IS NULL))
);

CREATE TABLE secret_stages (
  secret_id INTEGER NOT NULL,
  stage TEXT NOT NULL,
  version_id TEXT NOT NULL,
  PRIMARY KEY (secret_id, stage),
  FOREIGN KEY (secret_id, version_id) REFERENCES secret_versions(secret_id, version_id) ON DELETE CASCADE
);
CREATE INDEX secret_stages_version ON secret_stages(secret_id, version_id);
`
