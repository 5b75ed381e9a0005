import { DecryptionFailure, EncryptionFailure } from '../../../aws-api/secretsmanager/errors.js'
import { IntegrityError } from '../../../lib/neutral-errors.js'
import { KmsInvalidCiphertextError, KmsKeyUnavailableError } from '../kms/errors.js'
import type { KmsKeys } from '../kms/keys.js'
import type { KeyRecord } from '../kms/store.js'
import type { SecretEnvelope, SecretValue } from './envelope.js'
import { msg } from './messages.js'
import type { StoredValue } from './store.js'

interface SecretScope {
  readonly accountId: string
  readonly region: string
}

/**
 * Secrets Manager's use of KMS, with KMS's neutral failures turned into Secrets Manager's errors:
 * EncryptionFailure on writes, DecryptionFailure on reads (spec §3.15).
 */
export class ValueCrypto {
  constructor(
    private readonly deps: { kms: Pick<KmsKeys, 'resolve' | 'managedKey'>; envelope: SecretEnvelope },
  ) {}

  /** The key a secret's new versions are encrypted under: its customer key, or `aws/secretsmanager`. */
  async keyFor(secret: SecretScope & { readonly kmsKeyArn?: string }): Promise<KeyRecord> {
    return this.resolve(secret, secret.kmsKeyArn)
  }

  /** A caller-given KmsKeyId (id, ARN, alias, alias ARN); absent or `""` means `aws/secretsmanager`. */
  async resolve(scope: SecretScope, reference: string | undefined): Promise<KeyRecord> {
    const where = { accountId: scope.accountId, region: scope.region }
    return onKeyFailure(
      () =>
        reference === undefined || reference === ''
          ? this.deps.kms.managedKey(where, 'secretsmanager')
          : this.deps.kms.resolve(where, reference),
      () => new EncryptionFailure(msg.encryptionFailure),
    )
  }

  async seal(key: KeyRecord, secretArn: string, versionId: string, value: SecretValue): Promise<StoredValue> {
    return onKeyFailure(
      () => this.deps.envelope.encrypt(key, secretArn, versionId, value),
      () => new EncryptionFailure(msg.encryptionFailure),
    )
  }

  async open(secretArn: string, versionId: string, stored: StoredValue): Promise<SecretValue> {
    return onKeyFailure(
      () => this.deps.envelope.decrypt(secretArn, versionId, stored),
      () => new DecryptionFailure(msg.decryptionFailure),
    )
  }

  async rewrap(newKey: KeyRecord, secretArn: string, versionId: string, wrapped: Buffer): Promise<Buffer> {
    return onKeyFailure(
      () => this.deps.envelope.rewrap(newKey, secretArn, versionId, wrapped),
      () => new EncryptionFailure(msg.encryptionFailure),
    )
  }
}

/** How a secret records its key: absent for the AWS-managed key, else the key's ARN. */
export function recordedKeyArn(key: KeyRecord): string | undefined {
  return key.keyManager === 'AWS' ? undefined : key.arn
}

async function onKeyFailure<T>(action: () => Promise<T>, failure: () => Error): Promise<T> {
  try {
    return await action()
  } catch (error) {
    if (
      error instanceof KmsKeyUnavailableError ||
      error instanceof KmsInvalidCiphertextError ||
      error instanceof IntegrityError
    ) {
      throw failure()
    }
    throw error
  }
}
