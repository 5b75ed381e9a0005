import type { DescribeSecretResponse, SecretListEntry } from '../../../aws-api/secretsmanager/types.js'
import type { SecretRecord } from './store.js'

/**
 * DescribeSecret's and ListSecrets' view of a secret, with AWS's presence rules (spec §3.5):
 * Description only when non-empty, KmsKeyId only for a customer key, Tags from the first tagging on
 * (then `[]` once all are removed), version map only with labelled versions, DeletedDate while
 * scheduled for deletion, LastAccessedDate after the first read.
 */
function common(secret: SecretRecord) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.type !== undefined && { Type: secret.type }),
    ...(secret.description !== undefined && secret.description !== '' && { Description: secret.description }),
    ...(secret.kmsKeyArn !== undefined && { KmsKeyId: secret.kmsKeyArn }),
    LastChangedDate: new Date(secret.lastChangedAt),
    ...(secret.lastAccessedAt !== undefined && { LastAccessedDate: new Date(secret.lastAccessedAt) }),
    ...(secret.deletedAt !== undefined && { DeletedDate: new Date(secret.deletedAt) }),
    ...(secret.tags !== undefined && {
      Tags: secret.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
    }),
    ...(secret.owningService !== undefined && { OwningService: secret.owningService }),
    ...rotationFields(secret),
    CreatedDate: new Date(secret.createdAt),
  }
}

/** Only once rotation was configured; the rules survive CancelRotateSecret (spec §3.5, §3.7). */
function rotationFields(secret: SecretRecord) {
  const rotation = secret.rotation
  if (rotation === undefined) return {}
  return {
    RotationEnabled: rotation.enabled,
    ...(rotation.lambdaArn !== undefined && { RotationLambdaARN: rotation.lambdaArn }),
    ...(rotation.rules !== undefined && { RotationRules: { ...rotation.rules } }),
    ...(rotation.lastRotatedAt !== undefined && { LastRotatedDate: new Date(rotation.lastRotatedAt) }),
    ...(rotation.enabled &&
      rotation.nextRotationAt !== undefined && { NextRotationDate: new Date(rotation.nextRotationAt) }),
  }
}

export function describeSecret(
  secret: SecretRecord,
  stages: ReadonlyMap<string, string[]>,
): DescribeSecretResponse {
  return { ...common(secret), ...(stages.size > 0 && { VersionIdsToStages: Object.fromEntries(stages) }) }
}

export function secretListEntry(
  secret: SecretRecord,
  stages: ReadonlyMap<string, string[]> | undefined,
): SecretListEntry {
  return {
    ...common(secret),
    ...(stages !== undefined && stages.size > 0 && { SecretVersionsToStages: Object.fromEntries(stages) }),
  }
}
