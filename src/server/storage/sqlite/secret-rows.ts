import type { RotationRulesType } from '../../../aws-api/secretsmanager/types.js'
import type {
  SecretRecord,
  SecretRotation,
  StoredValue,
  Tag,
  VersionWithValue,
} from '../../services/secretsmanager/store.js'

/**
 * The rows of `secrets` and `secret_versions` (with the version's stages) as the secret store reads
 * them, and the records they become.
 */
export interface SecretRow {
  id: number
  account_id: string
  region: string
  name: string
  arn: string
  description: string | null
  kms_key_arn: string | null
  owning_service: string | null
  type: string | null
  tags: string | null
  resource_policy: string | null
  created_at: number
  last_changed_at: number
  last_accessed_at: number | null
  deleted_at: number | null
  deletion_date: number | null
  rotation_enabled: 0 | 1 | null
  rotation_lambda_arn: string | null
  rotation_rules: string | null
  last_rotated_at: number | null
  next_rotation_at: number | null
  rotation_due_at: number | null
  revision: number
}

export interface VersionRow {
  version_id: string
  created_at: number
  last_accessed_at: number | null
  kms_key_arn: string | null
  stages: string
  value_type: 'string' | 'binary' | null
  encrypted_data_key: Buffer | null
  ciphertext: Buffer | null
}

export function toSecret(row: SecretRow): SecretRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    arn: row.arn,
    ...(row.description !== null && { description: row.description }),
    ...(row.kms_key_arn !== null && { kmsKeyArn: row.kms_key_arn }),
    ...(row.owning_service !== null && { owningService: row.owning_service }),
    ...(row.type !== null && { type: row.type }),
    ...(row.tags !== null && { tags: JSON.parse(row.tags) as Tag[] }),
    ...(row.resource_policy !== null && { resourcePolicy: row.resource_policy }),
    createdAt: row.created_at,
    lastChangedAt: row.last_changed_at,
    ...(row.last_accessed_at !== null && { lastAccessedAt: row.last_accessed_at }),
    ...(row.deleted_at !== null && { deletedAt: row.deleted_at }),
    ...(row.deletion_date !== null && { deletionDate: row.deletion_date }),
    ...(row.rotation_enabled !== null && { rotation: toRotation(row, row.rotation_enabled) }),
    revision: row.revision,
  }
}

function toRotation(row: SecretRow, enabled: 0 | 1): SecretRotation {
  return {
    enabled: enabled === 1,
    ...(row.rotation_lambda_arn !== null && { lambdaArn: row.rotation_lambda_arn }),
    ...(row.rotation_rules !== null && { rules: JSON.parse(row.rotation_rules) as RotationRulesType }),
    ...(row.last_rotated_at !== null && { lastRotatedAt: row.last_rotated_at }),
    ...(row.next_rotation_at !== null && { nextRotationAt: row.next_rotation_at }),
    ...(row.rotation_due_at !== null && { dueAt: row.rotation_due_at }),
  }
}

export function toVersion(row: VersionRow): VersionWithValue {
  const value: StoredValue | undefined =
    row.value_type !== null && row.encrypted_data_key !== null && row.ciphertext !== null
      ? { valueType: row.value_type, encryptedDataKey: row.encrypted_data_key, ciphertext: row.ciphertext }
      : undefined
  return {
    versionId: row.version_id,
    createdAt: row.created_at,
    ...(row.last_accessed_at !== null && { lastAccessedAt: row.last_accessed_at }),
    ...(row.kms_key_arn !== null && { kmsKeyArn: row.kms_key_arn }),
    stages: JSON.parse(row.stages) as string[],
    hasValue: row.value_type !== null,
    ...(value !== undefined && { value }),
  }
}
