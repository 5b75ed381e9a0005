/**
 * Events (docs/events.md): the transactional outbox, EventBridge rules and targets on the default bus,
 * and durable webhook deliveries.
 * - `outbox` (created by 007-rotation) is what the rotation engine and the core append to; `seq` only
 *   grows (AUTOINCREMENT), and SQLite commits one writer at a time, so a reader that has seen `seq` n has
 *   seen everything before it.
 * - one rule per (account, region, name) on the default bus; a target belongs to an existing rule and a
 *   rule with targets cannot be deleted (FOREIGN KEY without cascade — DeleteRule is refused as on AWS);
 * - `events_dispatch` holds the dispatcher's cursor: the last outbox `seq` turned into deliveries, moved
 *   in the same transaction as the deliveries it created;
 * - one delivery per (event, rule, target) (UNIQUE): dispatching the same event twice cannot duplicate
 *   it. A delivery leaves the table when delivered or moved to `events_dead_letters`.
 */
export const events = `
CREATE TABLE events_rules (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  event_pattern TEXT NOT NULL CHECK (json_valid(event_pattern)),
  state TEXT NOT NULL CHECK (state IN ('ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')),
  description TEXT,
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  UNIQUE (account_id, region, name)
);

CREATE TABLE events_targets (
  rule_arn TEXT NOT NULL REFERENCES events_rules(arn),
  target_id TEXT NOT NULL CHECK (length(target_id) BETWEEN 1 AND 64),
  arn TEXT NOT NULL,
  input TEXT CHECK (input IS NULL OR json_valid(input)),
  PRIMARY KEY (rule_arn, target_id)
);

CREATE TABLE events_dispatch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO events_dispatch (id, seq) VALUES (1, 0);

CREATE TABLE events_deliveries (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL REFERENCES outbox(seq),
  rule_arn TEXT NOT NULL,
  target_id TEXT NOT NULL,
  destination_arn TEXT NOT NULL,
  input TEXT,
  order_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  UNIQUE (seq, rule_arn, target_id)
);
CREATE INDEX events_deliveries_order ON events_deliveries(rule_arn, target_id, order_key, seq);
CREATE INDEX events_deliveries_due ON events_deliveries(next_attempt_at);

CREATE TABLE events_dead_letters (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL REFERENCES outbox(seq),
  rule_arn TEXT NOT NULL,
  target_id TEXT NOT NULL,
  destination_arn TEXT NOT NULL,
  order_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  failed_at INTEGER NOT NULL,
  reason TEXT NOT NULL
);
`
