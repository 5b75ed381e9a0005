import type { KeyMetadata } from '../../../aws-api/kms/types.js'
import type { KeyRecord } from './store.js'

/**
 * DescribeKey's / CreateKey's view of a key, member for member as AWS records it for a symmetric
 * key (spec §4, LS-snap test_create_key); DeletionDate and PendingDeletionWindowInDays while pending
 * deletion.
 */
export function keyMetadata(key: KeyRecord): KeyMetadata {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: new Date(key.createdAt),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.keyState,
    ...(key.deletionDate !== undefined && { DeletionDate: new Date(key.deletionDate) }),
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...(key.pendingWindowDays !== undefined && { PendingDeletionWindowInDays: key.pendingWindowDays }),
    CurrentKeyMaterialId: key.currentMaterialId,
  }
}
