import { open, seal } from '../../barrier/aead.js'
import type { Clock } from '../../../lib/clock.js'
import { ExpiringCache } from '../../../lib/expiring-cache.js'
import type { KmsKeys } from '../kms/keys.js'
import type { KeyRecord } from '../kms/store.js'
import type { StoredValue, ValueType } from './store.js'

export interface SecretValue {
  readonly type: ValueType
  readonly bytes: Buffer
}

export interface EnvelopeOptions {
  readonly dataKeyCacheTtlMs: number
  readonly dataKeyCacheMaxEntries: number
}

interface CachedDataKey {
  readonly wrapped: Buffer
  readonly keyId: string
  readonly plaintext: Buffer
}

/**
 * Envelope encryption of secret values (spec §3.15): a fresh data key per version from KMS under the
 * encryption context {SecretARN, SecretVersionId}; the value sealed with AES-256-GCM whose associated
 * data binds it to its secret, version and value type — a ciphertext copied to another row fails.
 *
 * Unwrapped data keys are cached (bounded, time-limited, wiped on eviction) so a hot read skips KMS.
 * A cache hit still requires the stored wrapped key to be byte-identical and the KMS key to be usable.
 */
export class SecretEnvelope {
  private readonly dataKeys: ExpiringCache<string, CachedDataKey>

  constructor(
    private readonly deps: {
      kms: Pick<KmsKeys, 'generateDataKey' | 'decrypt' | 'encrypt' | 'requireUsable'>
      clock: Clock
    },
    options: EnvelopeOptions,
  ) {
    this.dataKeys = new ExpiringCache({
      maxEntries: options.dataKeyCacheMaxEntries,
      ttlMs: options.dataKeyCacheTtlMs,
      now: () => deps.clock.now(),
      dispose: (entry) => entry.plaintext.fill(0),
    })
  }

  async encrypt(
    key: KeyRecord,
    secretArn: string,
    versionId: string,
    value: SecretValue,
  ): Promise<StoredValue> {
    const dataKey = await this.deps.kms.generateDataKey(key, context(secretArn, versionId))
    try {
      return {
        valueType: value.type,
        encryptedDataKey: dataKey.ciphertextBlob,
        ciphertext: seal(dataKey.plaintext, value.bytes, valueAad(secretArn, versionId, value.type)),
      }
    } finally {
      dataKey.plaintext.fill(0)
    }
  }

  /** Throws `IntegrityError` when the value or its data key does not belong to this secret and version. */
  async decrypt(secretArn: string, versionId: string, stored: StoredValue): Promise<SecretValue> {
    const aad = valueAad(secretArn, versionId, stored.valueType)
    const cacheKey = `${secretArn}\n${versionId}`
    const cached = this.dataKeys.get(cacheKey)
    if (cached !== undefined && cached.wrapped.equals(stored.encryptedDataKey)) {
      await this.deps.kms.requireUsable(cached.keyId)
      // Re-check after the await: the entry may have been evicted (and wiped) meanwhile. From here on
      // the cached key is used synchronously, so it cannot be wiped under our feet.
      if (this.dataKeys.get(cacheKey) === cached) {
        return { type: stored.valueType, bytes: open(cached.plaintext, stored.ciphertext, aad) }
      }
    }
    const { plaintext, key } = await this.deps.kms.decrypt(
      stored.encryptedDataKey,
      context(secretArn, versionId),
    )
    const bytes = open(plaintext, stored.ciphertext, aad)
    this.dataKeys.set(cacheKey, {
      wrapped: Buffer.from(stored.encryptedDataKey),
      keyId: key.keyId,
      plaintext,
    })
    return { type: stored.valueType, bytes }
  }

  /** The version's data key wrapped under another KMS key (UpdateSecret with a new KmsKeyId). */
  async rewrap(newKey: KeyRecord, secretArn: string, versionId: string, wrapped: Buffer): Promise<Buffer> {
    const { plaintext } = await this.deps.kms.decrypt(wrapped, context(secretArn, versionId))
    try {
      return await this.deps.kms.encrypt(newKey, plaintext, context(secretArn, versionId))
    } finally {
      plaintext.fill(0)
    }
  }
}

function context(secretArn: string, versionId: string): Record<string, string> {
  return { SecretARN: secretArn, SecretVersionId: versionId }
}

function valueAad(secretArn: string, versionId: string, type: ValueType): Buffer {
  return Buffer.from(`secretsmanager/value\n${secretArn}\n${versionId}\n${type}`, 'utf8')
}
