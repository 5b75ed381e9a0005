/**
 * The KMS wire API: key policies, tags, automatic rotation, the deletion window, rotation history.
 * - `policy` NULL means the key's default policy (customer keys: "Enable IAM User Permissions";
 *   AWS-managed keys: the service's policy), computed when read;
 * - `revision` guards read-modify-write updates (tags, state changes) against concurrent writers;
 * - AWS-managed keys rotate every year (KMS docs, EnableKeyRotation): existing ones get that schedule;
 * - `rotation_type` is NULL for a key's first material, else how it was rotated in (ListKeyRotations).
 */
export const kms = `
ALTER TABLE kms_keys ADD COLUMN policy TEXT;
ALTER TABLE kms_keys ADD COLUMN tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags));
ALTER TABLE kms_keys ADD COLUMN rotation_enabled INTEGER NOT NULL DEFAULT 0 CHECK (rotation_enabled IN (0, 1));
ALTER TABLE kms_keys ADD COLUMN rotation_period_days INTEGER CHECK (rotation_period_days BETWEEN 90 AND 2560);
ALTER TABLE kms_keys ADD COLUMN next_rotation_at INTEGER;
ALTER TABLE kms_keys ADD COLUMN pending_window_days INTEGER CHECK (pending_window_days BETWEEN 7 AND 30);
ALTER TABLE kms_keys ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

UPDATE kms_keys SET rotation_enabled = 1, rotation_period_days = 365,
  next_rotation_at = created_at + 365 * 86400000 WHERE key_manager = 'AWS';

CREATE INDEX kms_keys_account ON kms_keys(account_id, region, key_id);
CREATE INDEX kms_keys_deletion ON kms_keys(deletion_date) WHERE key_state = 'PendingDeletion';
CREATE INDEX kms_keys_rotation ON kms_keys(next_rotation_at) WHERE rotation_enabled = 1;

ALTER TABLE kms_key_materials ADD COLUMN rotation_type TEXT CHECK (rotation_type IN ('AUTOMATIC', 'ON_DEMAND'));

CREATE INDEX kms_aliases_target ON kms_aliases(target_key_id);
`
