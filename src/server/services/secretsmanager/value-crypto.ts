import { DecryptionFailure, EncryptionFailure } from '../../../aws-api/secretsmanager/errors.js'
import { AccessDeniedException } from '../../../lib/aws/errors.js'
import { IntegrityError } from '../../../lib/neutral-errors.js'
import type { RequestContext } from '../../core/context.js'
import { keyTarget } from '../kms/authorization.js'
import { KmsInvalidCiphertextError, KmsKeyUnavailableError } from '../kms/errors.js'
import type { KmsKeys } from '../kms/keys.js'
import type { KeyRecord } from '../kms/store.js'
import { encryptionContext, type SecretEnvelope, type SecretValue } from './envelope.js'
import { msg } from './messages.js'
import type { StoredValue } from './store.js'

interface SecretScope {
  readonly accountId: string
  readonly region: string
}

/** The version id of the encryption context AWS uses to check access to a key without encrypting (§3.15). */
const VALIDATE_KEY_ACCESS = 'RequestToValidateKeyAccess'

/**
 * Secrets Manager's use of KMS on its caller's behalf, as on AWS: every use of a key is authorized for
 * the caller — `kms:GenerateDataKey` to write a version, `kms:Decrypt` to read one, `kms:Encrypt` on a
 * new key to re-wrap — with `kms:ViaService = secretsmanager.<region>.amazonaws.com` and the encryption
 * context `{SecretARN, SecretVersionId}`, so key policies (the `aws/secretsmanager` one included) and
 * identity policies decide; a refusal is AccessDeniedException "Access to KMS is not allowed". KMS's
 * neutral failures become EncryptionFailure on writes and DecryptionFailure on reads (spec §3.15).
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

  /** What AWS checks when a secret gets a key without a value to encrypt (CreateSecret, UpdateSecret). */
  async validateAccess(ctx: RequestContext, key: KeyRecord, secretArn: string): Promise<void> {
    await this.authorize(ctx, 'kms:GenerateDataKey', key, secretArn, VALIDATE_KEY_ACCESS)
  }

  async seal(
    ctx: RequestContext,
    key: KeyRecord,
    secretArn: string,
    versionId: string,
    value: SecretValue,
  ): Promise<StoredValue> {
    await this.authorize(ctx, 'kms:GenerateDataKey', key, secretArn, versionId)
    return onKeyFailure(
      () => this.deps.envelope.encrypt(key, secretArn, versionId, value),
      () => new EncryptionFailure(msg.encryptionFailure),
    )
  }

  async open(
    ctx: RequestContext,
    secretArn: string,
    versionId: string,
    stored: StoredValue,
  ): Promise<SecretValue> {
    return onKeyFailure(
      () =>
        this.deps.envelope.decrypt(secretArn, versionId, stored, (key) =>
          this.authorize(ctx, 'kms:Decrypt', key, secretArn, versionId),
        ),
      () => new DecryptionFailure(msg.decryptionFailure),
    )
  }

  /**
   * The data key re-wrapped under `newKey`, or undefined when the caller may not decrypt it or may not
   * use the new key: AWS then leaves the version under its old key rather than failing the update.
   */
  async rewrap(
    ctx: RequestContext,
    newKey: KeyRecord,
    secretArn: string,
    versionId: string,
    wrapped: Buffer,
  ): Promise<Buffer | undefined> {
    try {
      await this.authorize(ctx, 'kms:Encrypt', newKey, secretArn, versionId)
      return await onKeyFailure(
        () =>
          this.deps.envelope.rewrap(newKey, secretArn, versionId, wrapped, (oldKey) =>
            this.authorize(ctx, 'kms:Decrypt', oldKey, secretArn, versionId),
          ),
        () => new EncryptionFailure(msg.encryptionFailure),
      )
    } catch (error) {
      if (error instanceof AccessDeniedException) return undefined
      throw error
    }
  }

  private async authorize(
    ctx: RequestContext,
    action: string,
    key: KeyRecord,
    secretArn: string,
    versionId: string,
  ): Promise<void> {
    try {
      await ctx.authorize(
        action,
        keyTarget(key, {
          callerAccountId: ctx.principal.accountId,
          viaService: `secretsmanager.${ctx.region}.amazonaws.com`,
          encryptionContext: encryptionContext(secretArn, versionId),
        }),
      )
    } catch (error) {
      if (error instanceof AccessDeniedException) throw new AccessDeniedException(msg.kmsAccessDenied)
      throw error
    }
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
