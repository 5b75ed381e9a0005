import { open, seal } from '../../barrier/aead.js'
import type { Clock } from '../../../lib/clock.js'
import { ExpiringCache, type CacheStats } from '../../../lib/expiring-cache.js'
import { decodeHeader } from '../kms/ciphertext.js'
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
  readonly plaintext: Buffer
}

/** Called with the KMS key a stored data key is wrapped under, before it is used: may throw to refuse. */
export type KeyCheck = (key: KeyRecord) => Promise<void>

/**
 * Envelope encryption of secret values (spec §3.15): a fresh data key per version from KMS under the
 * encryption context {SecretARN, SecretVersionId}; the value sealed with AES-256-GCM whose associated
 * data binds it to its secret, version and value type — a ciphertext copied to another row fails.
 *
 * Unwrapped data keys are cached (bounded, time-limited, wiped on eviction) so a hot read skips KMS's
 * cryptography — not its checks: every use of a wrapped data key first requires its KMS key to be usable
 * and passes it to the caller's `KeyCheck` (authorization), and a cache hit requires the stored wrapped
 * key to be byte-identical.
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

  /** Hit and miss counts of the data-key cache (metrics). */
  get cacheStats(): Readonly<Record<string, CacheStats>> {
    return { 'data-keys': this.dataKeys.stats }
  }

  async encrypt(
    key: KeyRecord,
    secretArn: string,
    versionId: string,
    value: SecretValue,
  ): Promise<StoredValue> {
    const dataKey = await this.deps.kms.generateDataKey(key, encryptionContext(secretArn, versionId))
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
  async decrypt(
    secretArn: string,
    versionId: string,
    stored: StoredValue,
    check: KeyCheck,
  ): Promise<SecretValue> {
    await this.usableKey(stored.encryptedDataKey, check)
    const aad = valueAad(secretArn, versionId, stored.valueType)
    const cacheKey = `${secretArn}\n${versionId}`
    const cached = this.dataKeys.get(cacheKey)
    // The cached key is used synchronously from here, so it cannot be evicted (and wiped) under our feet.
    if (cached !== undefined && cached.wrapped.equals(stored.encryptedDataKey)) {
      return { type: stored.valueType, bytes: open(cached.plaintext, stored.ciphertext, aad) }
    }
    const { plaintext } = await this.deps.kms.decrypt(
      stored.encryptedDataKey,
      encryptionContext(secretArn, versionId),
    )
    const bytes = open(plaintext, stored.ciphertext, aad)
    this.dataKeys.set(cacheKey, { wrapped: Buffer.from(stored.encryptedDataKey), plaintext })
    return { type: stored.valueType, bytes }
  }

  /** The version's data key wrapped under another KMS key (UpdateSecret with a new KmsKeyId). */
  async rewrap(
    newKey: KeyRecord,
    secretArn: string,
    versionId: string,
    wrapped: Buffer,
    check: KeyCheck,
  ): Promise<Buffer> {
    await this.usableKey(wrapped, check)
    const { plaintext } = await this.deps.kms.decrypt(wrapped, encryptionContext(secretArn, versionId))
    try {
      return await this.deps.kms.encrypt(newKey, plaintext, encryptionContext(secretArn, versionId))
    } finally {
      plaintext.fill(0)
    }
  }

  private async usableKey(wrapped: Buffer, check: KeyCheck): Promise<void> {
    await check(await this.deps.kms.requireUsable(decodeHeader(wrapped).keyId))
  }
}

/** What Secrets Manager binds a data key to (spec §3.15). */
export function encryptionContext(secretArn: string, versionId: string): Record<string, string> {
  return { SecretARN: secretArn, SecretVersionId: versionId }
}

function valueAad(secretArn: string, versionId: string, type: ValueType): Buffer {
  return Buffer.from(`secretsmanager/value\n${secretArn}\n${versionId}\n${type}`, 'utf8')
}
