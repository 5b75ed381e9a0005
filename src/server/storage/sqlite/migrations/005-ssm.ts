/**
 * SSM Parameter Store (spec §5). Invariants live here, not in application code:
 * - one parameter per (account, region, name key): UNIQUE. The key is the name with exactly one leading
 *   slash, so `param-x` and `/param-x` are the same parameter (§5.1); `name` keeps the form it was
 *   created with;
 * - `parent_key` is the key's hierarchy (`/a` for `/a/b`, `/` for `/param-x`): one-level path queries
 *   use its index, recursive ones a range over `name_key`;
 * - a version number is unique per parameter (PRIMARY KEY), and the parameter row names its latest
 *   version, which must exist (composite FOREIGN KEY, checked at commit);
 * - a label sits on at most one version of a parameter (PRIMARY KEY (parameter_id, label)) and points
 *   at an existing version (composite FOREIGN KEY; dropping a version drops its labels);
 * - a SecureString version records its KeyId and holds a KMS ciphertext blob; other types hold the
 *   value's UTF-8 bytes and no KeyId (CHECK).
 */
export const ssm = `
CREATE TABLE ssm_parameters (
  id INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name_key TEXT NOT NULL CHECK (substr(name_key, 1, 1) = '/'),
  name TEXT NOT NULL,
  parent_key TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  revision INTEGER NOT NULL DEFAULT 1,
  UNIQUE (account_id, region, name_key),
  FOREIGN KEY (id, version) REFERENCES ssm_parameter_versions(parameter_id, version) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX ssm_parameters_parent ON ssm_parameters(account_id, region, parent_key, name_key);

CREATE TABLE ssm_parameter_versions (
  parameter_id INTEGER NOT NULL REFERENCES ssm_parameters(id) ON DELETE CASCADE,
  version INTEGER NOT NULL CHECK (version >= 1),
  type TEXT NOT NULL CHECK (type IN ('String', 'StringList', 'SecureString')),
  value BLOB NOT NULL,
  key_id TEXT,
  description TEXT,
  allowed_pattern TEXT,
  data_type TEXT NOT NULL,
  tier TEXT NOT NULL CHECK (tier IN ('Standard', 'Advanced')),
  last_modified_at INTEGER NOT NULL,
  last_modified_user TEXT NOT NULL,
  PRIMARY KEY (parameter_id, version),
  CHECK ((type = 'SecureString') = (key_id IS NOT NULL))
);

CREATE TABLE ssm_parameter_labels (
  parameter_id INTEGER NOT NULL,
  label TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (parameter_id, label),
  FOREIGN KEY (parameter_id, version) REFERENCES ssm_parameter_versions(parameter_id, version) ON DELETE CASCADE
);
CREATE INDEX ssm_parameter_labels_version ON ssm_parameter_labels(parameter_id, version);
`
