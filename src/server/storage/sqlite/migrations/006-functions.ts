/**
 * Registered rotation functions (docs/functions.md). Built-in rotators are not stored: they exist in
 * every account and region by name. Invariants:
 * - one function per (account, region, name), and its ARN is exactly the Lambda ARN of those three
 *   (CHECK), so a row cannot be reached under a name it does not have;
 * - names are Lambda's (1–64 of `[A-Za-z0-9_-]`); the `coffer-` prefix belongs to the built-ins;
 * - timeout 1–900 s and memory 128–10240 MB, Lambda's limits;
 * - a `process` function has a runtime, a handler, a code package (the id of its copy in the data
 *   directory and the package's SHA-256) and an environment object, and no webhook columns; an `http`
 *   function has a URL and a signing key sealed by the barrier (AAD naming the ARN), and no process
 *   columns (CHECK per kind).
 */
export const functions = `
CREATE TABLE lambda_functions (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL CHECK (length(account_id) = 12 AND account_id NOT GLOB '*[^0-9]*'),
  region TEXT NOT NULL CHECK (length(region) BETWEEN 1 AND 32),
  name TEXT NOT NULL CHECK (
    length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9_-]*' AND lower(name) NOT LIKE 'coffer-%'
  ),
  kind TEXT NOT NULL CHECK (kind IN ('process', 'http')),
  role_arn TEXT NOT NULL CHECK (role_arn LIKE 'arn:aws:iam::%:role/%'),
  timeout_seconds INTEGER NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 900),
  memory_mb INTEGER NOT NULL CHECK (memory_mb BETWEEN 128 AND 10240),
  runtime TEXT CHECK (runtime IN ('nodejs', 'python')),
  handler TEXT CHECK (length(handler) BETWEEN 3 AND 128),
  code_id TEXT CHECK (length(code_id) > 0 AND code_id NOT GLOB '*[^0-9a-z-]*'),
  code_sha256 TEXT CHECK (length(code_sha256) = 64),
  environment TEXT CHECK (json_valid(environment) AND json_type(environment) = 'object'),
  url TEXT CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
  sealed_signing_key BLOB,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL CHECK (updated_at >= created_at),
  UNIQUE (account_id, region, name),
  CHECK (arn = 'arn:aws:lambda:' || region || ':' || account_id || ':function:' || name),
  CHECK (CASE kind
    WHEN 'process' THEN runtime IS NOT NULL AND handler IS NOT NULL AND code_id IS NOT NULL
      AND code_sha256 IS NOT NULL AND environment IS NOT NULL AND url IS NULL AND sealed_signing_key IS NULL
    WHEN 'http' THEN url IS NOT NULL AND sealed_signing_key IS NOT NULL AND runtime IS NULL
      AND handler IS NULL AND code_id IS NULL AND code_sha256 IS NULL AND environment IS NULL
  END)
);
`
