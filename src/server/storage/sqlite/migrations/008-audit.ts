/**
 * The audit trail (docs/audit.md). Invariants live here:
 * - records form one hash chain: `seq` is contiguous (each insert is the last seq + 1) and `prev_hash`
 *   is the previous record's `hash` — checked by a trigger, so concurrent writers (cluster workers)
 *   can only append in turn;
 * - records are never updated; they are deleted only by the retention purge, from the oldest, up to
 *   the boundary it first records in `audit_state` (whose hash then anchors the first remaining record);
 * - an event id appears once (UNIQUE);
 * - digests form their own chain: contiguous numbers, each covering the records after the previous
 *   one's range and naming the previous digest's signature; never updated or deleted;
 * - signing keys: the public key in the clear, the private key sealed by the barrier.
 */
export const audit = `
CREATE TABLE audit_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  purged_through_seq INTEGER NOT NULL CHECK (purged_through_seq >= 0),
  purged_through_hash TEXT NOT NULL CHECK (length(purged_through_hash) = 64)
);
INSERT INTO audit_state (id, purged_through_seq, purged_through_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_records (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  event_id TEXT NOT NULL UNIQUE,
  event_time INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  event_source TEXT NOT NULL,
  event_name TEXT NOT NULL,
  read_only INTEGER NOT NULL CHECK (read_only IN (0, 1)),
  username TEXT,
  access_key_id TEXT,
  resources TEXT NOT NULL,
  record TEXT NOT NULL,
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE INDEX audit_records_account ON audit_records(account_id, seq);
CREATE INDEX audit_records_event_name ON audit_records(account_id, event_name, seq);

CREATE TRIGGER audit_records_append BEFORE INSERT ON audit_records
BEGIN
  SELECT RAISE(ABORT, 'audit_records: seq must follow the last record')
  WHERE NEW.seq <> coalesce((SELECT max(seq) FROM audit_records), (SELECT purged_through_seq FROM audit_state)) + 1;
  SELECT RAISE(ABORT, 'audit_records: prev_hash must be the last record hash')
  WHERE NEW.prev_hash <> coalesce(
    (SELECT hash FROM audit_records ORDER BY seq DESC LIMIT 1),
    (SELECT purged_through_hash FROM audit_state));
END;
CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN
  SELECT RAISE(ABORT, 'audit_records: records are never changed');
END;
CREATE TRIGGER audit_records_purge_only BEFORE DELETE ON audit_records
BEGIN
  SELECT RAISE(ABORT, 'audit_records: only the retention purge deletes records')
  WHERE OLD.seq > (SELECT purged_through_seq FROM audit_state);
END;

CREATE TABLE audit_signing_keys (
  key_id TEXT PRIMARY KEY,
  public_key BLOB NOT NULL,
  sealed_private_key BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE audit_digests (
  digest_seq INTEGER PRIMARY KEY CHECK (digest_seq >= 1),
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq),
  last_hash TEXT NOT NULL CHECK (length(last_hash) = 64),
  created_at INTEGER NOT NULL,
  previous_signature TEXT,
  key_id TEXT NOT NULL REFERENCES audit_signing_keys(key_id),
  signature TEXT NOT NULL,
  CHECK ((digest_seq = 1) = (previous_signature IS NULL))
);

CREATE TRIGGER audit_digests_append BEFORE INSERT ON audit_digests
BEGIN
  SELECT RAISE(ABORT, 'audit_digests: digest_seq must follow the last digest')
  WHERE NEW.digest_seq <> coalesce((SELECT max(digest_seq) FROM audit_digests), 0) + 1;
  SELECT RAISE(ABORT, 'audit_digests: a digest covers the records after the previous one')
  WHERE NEW.first_seq <> coalesce((SELECT max(last_seq) FROM audit_digests), 0) + 1;
  SELECT RAISE(ABORT, 'audit_digests: previous_signature must be the previous digest signature')
  WHERE NEW.previous_signature IS NOT
    (SELECT signature FROM audit_digests ORDER BY digest_seq DESC LIMIT 1);
END;
CREATE TRIGGER audit_digests_no_update BEFORE UPDATE ON audit_digests
BEGIN
  SELECT RAISE(ABORT, 'audit_digests: digests are never changed');
END;
CREATE TRIGGER audit_digests_no_delete BEFORE DELETE ON audit_digests
BEGIN
  SELECT RAISE(ABORT, 'audit_digests: digests are never deleted');
END;
`
