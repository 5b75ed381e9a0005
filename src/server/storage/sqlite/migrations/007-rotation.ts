/**
 * Rotation (spec §3.7). Invariants held by the database:
 * - at most one running rotation per secret: partial UNIQUE index;
 * - a run is finished exactly when it is no longer running, and a running run has its next attempt time;
 * - the step log is append-only in practice (rows are only ever completed once: `finished_at` set with an
 *   outcome, never changed after) and goes with its run;
 * - the scheduler's due set is a partial index over secrets with rotation enabled and a due time;
 * - outbox events have a unique id, and a sequence that only grows (AUTOINCREMENT never reuses numbers).
 */
export const rotation = `
ALTER TABLE secrets ADD COLUMN rotation_enabled INTEGER CHECK (rotation_enabled IN (0, 1));
ALTER TABLE secrets ADD COLUMN rotation_lambda_arn TEXT;
ALTER TABLE secrets ADD COLUMN rotation_rules TEXT CHECK (rotation_rules IS NULL OR json_valid(rotation_rules));
ALTER TABLE secrets ADD COLUMN last_rotated_at INTEGER;
ALTER TABLE secrets ADD COLUMN next_rotation_at INTEGER;
ALTER TABLE secrets ADD COLUMN rotation_due_at INTEGER;
CREATE INDEX secrets_rotation_due ON secrets(rotation_due_at)
  WHERE rotation_due_at IS NOT NULL AND rotation_enabled = 1;

CREATE TABLE rotation_runs (
  id INTEGER PRIMARY KEY,
  secret_id INTEGER NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
  version_id TEXT NOT NULL,
  rotation_token TEXT NOT NULL,
  function_arn TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('immediate', 'scheduled', 'test-only')),
  state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
  step TEXT NOT NULL CHECK (step IN ('createSecret', 'setSecret', 'testSecret', 'finishSecret')),
  attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  next_attempt_at INTEGER,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  last_error TEXT,
  CHECK ((state = 'running') = (finished_at IS NULL)),
  CHECK (state <> 'running' OR next_attempt_at IS NOT NULL),
  CHECK (state <> 'failed' OR last_error IS NOT NULL)
);
CREATE UNIQUE INDEX rotation_runs_one_running ON rotation_runs(secret_id) WHERE state = 'running';
CREATE INDEX rotation_runs_secret ON rotation_runs(secret_id, version_id);
CREATE INDEX rotation_runs_due ON rotation_runs(next_attempt_at) WHERE state = 'running';

CREATE TABLE rotation_steps (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES rotation_runs(id) ON DELETE CASCADE,
  step TEXT NOT NULL CHECK (step IN ('createSecret', 'setSecret', 'testSecret', 'finishSecret')),
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  outcome TEXT CHECK (outcome IN ('succeeded', 'failed', 'interrupted')),
  error TEXT,
  output TEXT,
  UNIQUE (run_id, step, attempt),
  CHECK ((outcome IS NULL) = (finished_at IS NULL))
);
CREATE INDEX rotation_steps_open ON rotation_steps(run_id) WHERE outcome IS NULL;

CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  time INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  source TEXT NOT NULL,
  detail_type TEXT NOT NULL,
  resources TEXT NOT NULL CHECK (json_valid(resources)),
  detail TEXT NOT NULL CHECK (json_valid(detail))
);
`
