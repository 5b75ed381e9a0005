import type { Barrier } from '../../barrier/barrier.js'
import { open, seal } from '../../barrier/aead.js'
import { MS_PER_DAY, type Clock } from '../../../lib/clock.js'
import { ExpiringCache, type CacheStats } from '../../../lib/expiring-cache.js'
import { IntegrityError, UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { Random } from '../../../lib/random.js'
import type { Freshness } from '../../storage/freshness.js'
import { decodeHeader, encodeHeader } from './ciphertext.js'
import { canonicalContext, type EncryptionContext } from './encryption-context.js'
import { KmsInvalidCiphertextError, KmsKeyUnavailableError } from './errors.js'
import { parseKeyRef } from './key-ref.js'
import {
  MANAGED_KEY_DESCRIPTION,
  MANAGED_ROTATION_DAYS,
  managedService,
  type ManagedKeyService,
} from './managed.js'
import { managedKeyPolicy } from './policy.js'
import type { KeyRecord, KmsStore, NewMaterial } from './store.js'

export interface KmsScope {
  readonly accountId: string
  readonly region: string
}

export type { ManagedKeyService } from './managed.js'

export interface KmsKeysOptions {
  /** How long a key's state (and an alias's target) may be served from memory when no change is signalled. */
  readonly keyCacheTtlMs: number
  readonly materialCacheTtlMs: number
  readonly cacheMaxEntries: number
}

/**
 * KMS keys as the other services use them: resolve a key reference, generate data keys, decrypt.
 * Key material is unsealed from the barrier on demand and cached (bounded, time-limited, wiped on
 * eviction). This is KMS's public module: Secrets Manager and SSM call it, never its tables.
 *
 * Key records and alias targets are remembered briefly and forgotten on every committed change
 * (`freshness`), so a DisableKey through any process takes effect at that process's next request.
 */
export class KmsKeys {
  private readonly keys: ExpiringCache<string, KeyRecord>
  /** alias → target key id, for the same time as key records. */
  private readonly aliases: ExpiringCache<string, string>
  private readonly materials: ExpiringCache<string, Buffer>

  /** Hit and miss counts of the key, alias and material caches (metrics). */
  get cacheStats(): Readonly<Record<string, CacheStats>> {
    return {
      'kms-keys': this.keys.stats,
      'kms-aliases': this.aliases.stats,
      'kms-material': this.materials.stats,
    }
  }

  constructor(
    private readonly deps: {
      store: KmsStore
      barrier: Barrier
      clock: Clock
      random: Random
      freshness?: Freshness
    },
    options: KmsKeysOptions,
  ) {
    const now = () => deps.clock.now()
    const recordCache = { maxEntries: options.cacheMaxEntries, ttlMs: options.keyCacheTtlMs, now }
    this.keys = new ExpiringCache(recordCache)
    this.aliases = new ExpiringCache(recordCache)
    this.materials = new ExpiringCache({
      maxEntries: options.cacheMaxEntries,
      ttlMs: options.materialCacheTtlMs,
      now,
      dispose: (material) => material.fill(0),
    })
    // Materials never change under their id; only what points at them does.
    deps.freshness?.subscribe(() => {
      this.keys.clear()
      this.aliases.clear()
    })
  }

  /**
   * Resolves a key id, key ARN, alias name or alias ARN for another service acting in `scope`.
   * AWS-managed aliases of the scope's account resolve (and are created) on first use; another
   * account's AWS-managed key is never usable (cross-account use needs a customer key), nor is a key
   * of another region. Throws `KmsKeyUnavailableError` ('InvalidKeyId' for a malformed reference,
   * 'NotFound'). Does not check the key's state: see `requireUsable`.
   */
  async resolve(scope: KmsScope, reference: string): Promise<KeyRecord> {
    const ref = parseKeyRef(reference, scope)
    if (ref === undefined) throw new KmsKeyUnavailableError('InvalidKeyId', reference)
    const key =
      ref.region !== scope.region
        ? undefined
        : ref.kind === 'alias'
          ? await this.aliasTarget(ref, ref.aliasName, ref.accountId === scope.accountId)
          : await this.keyIn(ref, ref.keyId)
    if (key === undefined || (key.keyManager === 'AWS' && key.accountId !== scope.accountId))
      throw new KmsKeyUnavailableError('NotFound', reference)
    return key
  }

  /** The AWS-managed key of a service in this account and region, created on first use. */
  async managedKey(scope: KmsScope, service: ManagedKeyService): Promise<KeyRecord> {
    const aliasName = `alias/aws/${service}`
    const existing = await this.aliasTarget(scope, aliasName, false)
    if (existing !== undefined) return existing
    const now = this.deps.clock.now()
    const keyId = this.deps.random.uuid()
    const material = this.newMaterial(keyId)
    const key: KeyRecord = {
      keyId,
      accountId: scope.accountId,
      region: scope.region,
      arn: keyArn(scope, keyId),
      keyManager: 'AWS',
      keyState: 'Enabled',
      description: MANAGED_KEY_DESCRIPTION[service],
      currentMaterialId: material.materialId,
      createdAt: now,
      policy: managedKeyPolicy(scope.accountId, scope.region, service),
      tags: [],
      rotationEnabled: true,
      rotationPeriodDays: MANAGED_ROTATION_DAYS,
      nextRotationAt: now + MANAGED_ROTATION_DAYS * MS_PER_DAY,
      revision: 1,
    }
    const alias = { ...scope, aliasName, targetKeyId: keyId, createdAt: now, updatedAt: now }
    try {
      await this.deps.store.createKey(key, material, alias)
    } catch (error) {
      if (!(error instanceof UniqueViolationError)) throw error
      // Another request or process created it first.
      const winner = await this.aliasTarget(scope, aliasName, false)
      if (winner === undefined) throw error
      return winner
    }
    return key
  }

  /** Throws `KmsKeyUnavailableError` unless the key (as currently stored) is Enabled. */
  async requireUsable(keyId: string): Promise<KeyRecord> {
    const key = await this.findKey(keyId)
    if (key === undefined) throw new KmsKeyUnavailableError('NotFound', keyId)
    if (key.keyState !== 'Enabled') throw new KmsKeyUnavailableError(key.keyState, key.arn)
    return key
  }

  /** A fresh data key under `key`, in the clear and wrapped (context bound as associated data). */
  async generateDataKey(
    key: KeyRecord,
    context: EncryptionContext,
    bytes = 32,
  ): Promise<{ plaintext: Buffer; ciphertextBlob: Buffer; materialId: string }> {
    const usable = await this.requireUsable(key.keyId)
    const plaintext = this.deps.random.bytes(bytes)
    const ciphertextBlob = await this.encrypt(usable, plaintext, context)
    return { plaintext, ciphertextBlob, materialId: usable.currentMaterialId }
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

  /**
   * Decrypts a blob made by `encrypt`; the blob names its key and key material. Throws
   * `KmsInvalidCiphertextError` (malformed, unknown material, other context) or
   * `KmsKeyUnavailableError` (key gone, disabled, pending deletion).
   */
  async decrypt(
    blob: Uint8Array,
    context: EncryptionContext,
  ): Promise<{ plaintext: Buffer; key: KeyRecord; materialId: string }> {
    const header = decodeHeader(blob)
    const key = await this.requireUsable(header.keyId)
    const material = await this.material(header.keyId, header.materialId)
    try {
      const body = Buffer.from(
        blob.buffer,
        blob.byteOffset + header.bytes.length,
        blob.length - header.bytes.length,
      )
      const aad = Buffer.concat([header.bytes, canonicalContext(context)])
      return { plaintext: open(material, body, aad), key, materialId: header.materialId }
    } catch (error) {
      if (error instanceof IntegrityError) throw new KmsInvalidCiphertextError()
      throw error
    }
  }

  /** A key record by id (any account), as currently stored within the cache's bounds. */
  async findKey(keyId: string): Promise<KeyRecord | undefined> {
    const cached = this.keys.get(keyId)
    if (cached !== undefined) return cached
    const key = await this.deps.store.findKey(keyId)
    if (key !== undefined) this.keys.set(keyId, key)
    return key
  }

  /**
   * The key an alias points at in `scope`. With `createManaged`, `alias/aws/secretsmanager` and
   * `alias/aws/ssm` create their AWS-managed key on first use (KMS does the same on DescribeKey).
   */
  async aliasTarget(
    scope: KmsScope,
    aliasName: string,
    createManaged = true,
  ): Promise<KeyRecord | undefined> {
    const cacheKey = `${scope.accountId}/${scope.region}/${aliasName}`
    let targetKeyId = this.aliases.get(cacheKey)
    if (targetKeyId === undefined) {
      targetKeyId = (await this.deps.store.findAlias(scope.accountId, scope.region, aliasName))?.targetKeyId
      if (targetKeyId === undefined) {
        const managed = managedService(aliasName)
        return createManaged && managed !== undefined ? this.managedKey(scope, managed) : undefined
      }
      this.aliases.set(cacheKey, targetKeyId)
    }
    return this.findKey(targetKeyId)
  }

  /** New key material for `keyId`, sealed by the barrier; the plaintext never leaves this method. */
  newMaterial(keyId: string): NewMaterial {
    const materialId = this.deps.random.bytes(32).toString('hex')
    const material = this.deps.random.bytes(32)
    try {
      return { materialId, sealed: this.deps.barrier.seal(material, materialAad(keyId, materialId)) }
    } finally {
      material.fill(0)
    }
  }

  private async keyIn(scope: KmsScope, keyId: string): Promise<KeyRecord | undefined> {
    const key = await this.findKey(keyId)
    return key !== undefined && key.accountId === scope.accountId && key.region === scope.region
      ? key
      : undefined
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

export function keyArn(scope: KmsScope, keyId: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`
}

export function aliasArn(scope: KmsScope, aliasName: string): string {
  return `arn:aws:kms:${scope.region}:${scope.accountId}:${aliasName}`
}

function materialAad(keyId: string, materialId: string): string {
  return `kms/material/${keyId}/${materialId}`
}
