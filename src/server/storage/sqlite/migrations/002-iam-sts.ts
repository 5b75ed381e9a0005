/**
 * IAM principals and policies, OIDC providers and STS sessions.
 * - names of users, roles and policies are unique per account ignoring case (IAM's rule): unique indexes
 *   on lower(name);
 * - an attached managed policy must exist (FOREIGN KEY, no cascade: DeletePolicy of an attached policy is
 *   refused by the API with DeleteConflict, and the constraint backs it up);
 * - AWS-managed policies live in the pseudo-account `aws`; AdministratorAccess is installed here and
 *   attached to the deployment's administrators (who were flagged `is_admin` before).
 */
export const iamSts = `
ALTER TABLE iam_users ADD COLUMN permissions_boundary TEXT;
ALTER TABLE iam_users ADD COLUMN tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags));
CREATE UNIQUE INDEX iam_users_name ON iam_users(account_id, lower(user_name));

ALTER TABLE access_keys ADD COLUMN last_used_at INTEGER;
ALTER TABLE access_keys ADD COLUMN last_used_service TEXT;
ALTER TABLE access_keys ADD COLUMN last_used_region TEXT;
CREATE INDEX access_keys_user ON access_keys(user_id);

CREATE TABLE iam_roles (
  role_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  role_name TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '/',
  arn TEXT NOT NULL UNIQUE,
  assume_role_policy TEXT NOT NULL,
  description TEXT,
  max_session_duration INTEGER NOT NULL DEFAULT 3600 CHECK (max_session_duration BETWEEN 3600 AND 43200),
  permissions_boundary TEXT,
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  last_used_region TEXT
);
CREATE UNIQUE INDEX iam_roles_name ON iam_roles(account_id, lower(role_name));

CREATE TABLE iam_policies (
  policy_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '/',
  arn TEXT NOT NULL UNIQUE,
  description TEXT,
  default_version_id TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX iam_policies_name ON iam_policies(account_id, lower(policy_name));

CREATE TABLE iam_policy_versions (
  policy_arn TEXT NOT NULL REFERENCES iam_policies(arn) ON DELETE CASCADE,
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (policy_arn, version_id)
);

CREATE TABLE iam_inline_policies (
  principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'role')),
  principal_id TEXT NOT NULL,
  policy_name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (principal_kind, principal_id, policy_name)
);

CREATE TABLE iam_attached_policies (
  principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'role')),
  principal_id TEXT NOT NULL,
  policy_arn TEXT NOT NULL REFERENCES iam_policies(arn),
  PRIMARY KEY (principal_kind, principal_id, policy_arn)
);
CREATE INDEX iam_attached_policies_policy ON iam_attached_policies(policy_arn);

CREATE TABLE iam_oidc_providers (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(account_id),
  url TEXT NOT NULL,
  client_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(client_ids)),
  thumbprints TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(thumbprints)),
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  created_at INTEGER NOT NULL,
  UNIQUE (account_id, url)
);

CREATE TABLE sts_sessions (
  access_key_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  sealed_secret BLOB NOT NULL,
  token_hash TEXT NOT NULL,
  principal_kind TEXT NOT NULL CHECK (principal_kind IN ('role', 'user')),
  principal_id TEXT NOT NULL,
  role_arn TEXT,
  session_name TEXT,
  source_identity TEXT,
  session_policies TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(session_policies)),
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  transitive_tag_keys TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(transitive_tag_keys)),
  chained INTEGER NOT NULL DEFAULT 0 CHECK (chained IN (0, 1)),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sts_sessions_expiry ON sts_sessions(expires_at);

INSERT INTO iam_policies (policy_id, account_id, policy_name, path, arn, description, default_version_id, created_at, updated_at)
VALUES ('ANPAIWMBCKSKIEE64ZLYK', 'aws', 'AdministratorAccess', '/', 'arn:aws:iam::aws:policy/AdministratorAccess',
  'Provides full access to AWS services and resources.', 'v1', 0, 0);
INSERT INTO iam_policy_versions (policy_arn, version_id, document, created_at)
VALUES ('arn:aws:iam::aws:policy/AdministratorAccess', 'v1',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 0);
INSERT INTO iam_attached_policies (principal_kind, principal_id, policy_arn)
  SELECT 'user', user_id, 'arn:aws:iam::aws:policy/AdministratorAccess' FROM iam_users WHERE is_admin = 1;
`
