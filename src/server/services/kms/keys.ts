import type { Barrier } from '../../barrier/barrier.js'
import { open, seal } from '../../barrier/aead.js'
import type { Clock } from '../../../lib/clock.js'
import { ExpiringCache } from '../../../lib/expiring-cache.js'
import { IntegrityError, UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { Random } from '../../../lib/random.js'
import { decodeHeader, encodeHeader } from './ciphertext.js'
import { canonicalContext, type EncryptionContext } from './encryption-context.js'
import { KmsInvalidCiphertextError, KmsKeyUnavailableError } from './errors.js'
import { parseKeyRef, type KeyRef } from './key-ref.js'
import type { KeyRecord, KmsStore } from './store.js'

export interface KmsScope {
  readonly accountId: string
  readonly region: string
}

/** Services whose AWS-managed key (`alias/aws/<service>`) is created on first use. */
export type ManagedKeyService = 'secretsmanager' | 'ssm'

const MANAGED_KEY_DESCRIPTION: Record<ManagedKeyService, string> = {
  secretsmanager: 'Default key that protects my Secrets Manager data when no other key is defined',
  ssm: 'Default key that protects my SSM parameters when no other key is defined',
}

export interface KmsKeysOptions {
  /** How long a key's state (and an alias's target) may be served from memory: bounds how late a change is noticed. */
  readonly keyCacheTtlMs: number
  readonly materialCacheTtlMs: number
  readonly cacheMaxEntries: number
}

/**
 * KMS keys as the other services use them: resolve a key reference, generate data keys, decrypt.
 * Key material is unsealed from the barrier on demand and cached (bounded, time-limited, wiped on
 * eviction). This is KMS's public module: Secrets Manager and SSM call it, never its tables.
 */
export class KmsKeys {
  private readonly keys: ExpiringCache<string, KeyRecord>
  /** alias → target key id, for the same time as key records: an alias moved elsewhere is noticed as late. */
  private readonly aliases: ExpiringCache<string, string>
  private readonly materials: ExpiringCache<string, Buffer>

  constructor(
    private readonly deps: { store: KmsStore; barrier: Barrier; clock: Clock; random: Random },
    options: KmsKeysOptions,
  ) {
    const now = () => deps.clock.now()
    this.keys = new ExpiringCache({ maxEntries: options.cacheMaxEntries, ttlMs: options.keyCacheTtlMs, now })
    this.aliases = new ExpiringCache({
      maxEntries: options.cacheMaxEntries,
      ttlMs: options.keyCacheTtlMs,
      now,
    })
    this.materials = new ExpiringCache({
      maxEntries: options.cacheMaxEntries,
      ttlMs: options.materialCacheTtlMs,
      now,
      dispose: (material) => material.fill(0),
    })
  }

  /**
   * Resolves a key id, key ARN, alias name or alias ARN. AWS-managed aliases resolve (and are created)
   * on first use. Throws `KmsKeyUnavailableError` ('InvalidKeyId' for a malformed reference, 'NotFound').
   * Does not check the key's state: see `requireUsable`.
   */
  async resolve(scope: KmsScope, reference: string): Promise<KeyRecord> {
    const ref = parseKeyRef(reference, scope)
    if (ref === undefined) throw new KmsKeyUnavailableError('InvalidKeyId', reference)
    const key = await this.lookup(ref)
    if (key === undefined) throw new KmsKeyUnavailableError('NotFound', reference)
    return key
  }

  /** The AWS-managed key of a service in this account and region, created on first use. */
  async managedKey(scope: KmsScope, service: ManagedKeyService): Promise<KeyRecord> {
    const aliasName = `alias/aws/${service}`
    const existing = await this.aliasTarget(scope, aliasName)
    if (existing !== undefined) return existing
    const now = this.deps.clock.now()
    const keyId = this.deps.random.uuid()
    const materialId = this.deps.random.bytes(32).toString('hex')
    const material = this.deps.random.bytes(32)
    const key: KeyRecord = {
      keyId,
      accountId: scope.accountId,
      region: scope.region,
      arn: `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`,
      keyManager: 'AWS',
      keyState: 'Enabled',
      description: MANAGED_KEY_DESCRIPTION[service],
      currentMaterialId: materialId,
      createdAt: now,
    }
    try {
      await this.deps.store.createKey(
        key,
        { materialId, sealed: this.deps.barrier.seal(material, materialAad(keyId, materialId)) },
        {
          accountId: scope.accountId,
          region: scope.region,
          aliasName,
          targetKeyId: keyId,
          createdAt: now,
          updatedAt: now,
        },
      )
    } catch (error) {
      if (!(error instanceof UniqueViolationError)) throw error
      // Another request or process created it first.
      const winner = await this.aliasTarget(scope, aliasName)
      if (winner === undefined) throw error
      return winner
    } finally {
      material.fill(0)
    }
    return key
  }

  /** Throws `KmsKeyUnavailableError` unless the key (as currently stored, within the cache TTL) is Enabled. */
  async requireUsable(keyId: string): Promise<KeyRecord> {
    const key = await this.keyById(keyId)
    if (key === undefined) throw new KmsKeyUnavailableError('NotFound', keyId)
    if (key.keyState !== 'Enabled') throw new KmsKeyUnavailableError(key.keyState, key.arn)
    return key
  }

  /** A fresh data key under `key`, in the clear and wrapped (context bound as associated data). */
  async generateDataKey(
    key: KeyRecord,
    context: EncryptionContext,
    bytes = 32,
  ): Promise<{ plaintext: Buffer; ciphertextBlob: Buffer }> {
    const usable = await this.requireUsable(key.keyId)
    const plaintext = this.deps.random.bytes(bytes)
    return { plaintext, ciphertextBlob: await this.encrypt(usable, plaintext, context) }
  }

  async encrypt(key: KeyRecord, plaintext: Uint8Array, context: EncryptionContext): Promise<Buffer> {
    const usable = await this.requireUsable(key.keyId)
    const header = encodeHeader(usable.keyId, usable.currentMaterialId)
    const material = await this.material(usable.keyId, usable.currentMaterialId)
    return Buffer.concat([
      header,
      seal(material, plaintext, Buffer.concat([header, canonicalContext(context)])),
    ])
  }

  /** Decrypts a blob made by `encrypt`; the blob names its key. Throws `KmsInvalidCiphertextError`. */
  async decrypt(
    blob: Uint8Array,
    context: EncryptionContext,
  ): Promise<{ plaintext: Buffer; key: KeyRecord }> {
    const header = decodeHeader(blob)
    const key = await this.requireUsable(header.keyId)
    const material = await this.material(header.keyId, header.materialId).catch(() => {
      throw new KmsInvalidCiphertextError()
    })
    try {
      const body = Buffer.from(
        blob.buffer,
        blob.byteOffset + header.bytes.length,
        blob.length - header.bytes.length,
      )
      return {
        plaintext: open(material, body, Buffer.concat([header.bytes, canonicalContext(context)])),
        key,
      }
    } catch (error) {
      if (error instanceof IntegrityError) throw new KmsInvalidCiphertextError()
      throw error
    }
  }

  private async lookup(ref: KeyRef): Promise<KeyRecord | undefined> {
    if (ref.kind === 'alias') {
      const target = await this.aliasTarget(ref, ref.aliasName)
      if (target !== undefined) return target
      const managed = /^alias\/aws\/(secretsmanager|ssm)$/.exec(ref.aliasName)?.[1] as
        ManagedKeyService | undefined
      return managed === undefined ? undefined : this.managedKey(ref, managed)
    }
    const key = await this.keyById(ref.keyId)
    if (key === undefined || key.accountId !== ref.accountId || key.region !== ref.region) return undefined
    return key
  }

  private async aliasTarget(scope: KmsScope, aliasName: string): Promise<KeyRecord | undefined> {
    const cacheKey = `${scope.accountId}/${scope.region}/${aliasName}`
    let targetKeyId = this.aliases.get(cacheKey)
    if (targetKeyId === undefined) {
      targetKeyId = (await this.deps.store.findAlias(scope.accountId, scope.region, aliasName))?.targetKeyId
      if (targetKeyId === undefined) return undefined
      this.aliases.set(cacheKey, targetKeyId)
    }
    return this.keyById(targetKeyId)
  }

  private async keyById(keyId: string): Promise<KeyRecord | undefined> {
    const cached = this.keys.get(keyId)
    if (cached !== undefined) return cached
    const key = await this.deps.store.findKey(keyId)
    if (key !== undefined) this.keys.set(keyId, key)
    return key
  }

  private async material(keyId: string, materialId: string): Promise<Buffer> {
    const cacheKey = `${keyId}/${materialId}`
    const cached = this.materials.get(cacheKey)
    if (cached !== undefined) return cached
    const sealed = await this.deps.store.findSealedMaterial(keyId, materialId)
    if (sealed === undefined) throw new KmsInvalidCiphertextError()
    const material = this.deps.barrier.open(sealed, materialAad(keyId, materialId))
    this.materials.set(cacheKey, material)
    return material
  }
}

function materialAad(keyId: string, materialId: string): string {
  return `kms/material/${keyId}/${materialId}`
}
