import type Database from 'better-sqlite3'
import type { PostureSecret } from '../../posture/checks.js'

interface Row {
  arn: string
  name: string
  account_id: string
  created_at: number
  last_accessed_at: number | null
  kms_key_arn: string | null
  resource_policy: string | null
  rotation_enabled: number | null
  last_rotated_at: number | null
  next_rotation_at: number | null
  run_state: 'running' | 'succeeded' | 'failed' | 'cancelled' | null
  run_error: string | null
}

/** The live secrets as the posture checks read them, with each one's latest rotation run. */
export function readPostureSecrets(
  db: Database.Database,
  scope: { accountId?: string; region?: string } = {},
): PostureSecret[] {
  const rows = db
    .prepare<[{ account: string | null; region: string | null }], Row>(
      `SELECT s.arn, s.name, s.account_id, s.created_at, s.last_accessed_at, s.kms_key_arn, s.resource_policy,
              s.rotation_enabled, s.last_rotated_at, s.next_rotation_at, r.state AS run_state, r.last_error AS run_error
         FROM secrets s
         LEFT JOIN rotation_runs r ON r.id = (
           SELECT id FROM rotation_runs WHERE secret_id = s.id AND trigger <> 'test-only' ORDER BY id DESC LIMIT 1)
        WHERE s.deleted_at IS NULL AND (@account IS NULL OR s.account_id = @account) AND (@region IS NULL OR s.region = @region)
        ORDER BY s.account_id, s.region, s.name`,
    )
    .all({ account: scope.accountId ?? null, region: scope.region ?? null })
  return rows.map((row) => ({
    arn: row.arn,
    name: row.name,
    accountId: row.account_id,
    createdAt: row.created_at,
    rotationEnabled: row.rotation_enabled === 1,
    ...(row.last_accessed_at !== null && { lastAccessedAt: row.last_accessed_at }),
    ...(row.kms_key_arn !== null && { kmsKeyArn: row.kms_key_arn }),
    ...(row.resource_policy !== null && { resourcePolicy: row.resource_policy }),
    ...(row.last_rotated_at !== null && { lastRotatedAt: row.last_rotated_at }),
    ...(row.next_rotation_at !== null && { nextRotationAt: row.next_rotation_at }),
    ...(row.run_state !== null && {
      lastRotation: { state: row.run_state, ...(row.run_error !== null && { error: row.run_error }) },
    }),
  }))
}
