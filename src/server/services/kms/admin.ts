import { NotFoundException } from '../../../aws-api/kms/errors.js'
import { MS_PER_DAY } from '../../../lib/clock.js'
import { ConflictError } from '../../../lib/neutral-errors.js'
import type { Random } from '../../../lib/random.js'
import { keyArn, type KmsKeys, type KmsScope } from './keys.js'
import { msg } from './messages.js'
import type { KeyChanges, KeyRecord, KeyTag, KmsStore, RotationType } from './store.js'

const ATTEMPTS = 5

/** The default automatic rotation period (EnableKeyRotation) [M]. */
export const DEFAULT_ROTATION_DAYS = 365

/**
 * Changes to keys for the KMS API and its jobs. Every change is a read-modify-write of the stored key
 * (never the cached one) guarded by its revision, retried when another writer got there first.
 */
export class KeyAdmin {
  constructor(private readonly deps: { store: KmsStore; keys: KmsKeys; random: Pick<Random, 'uuid'> }) {}

  async createCustomerKey(
    scope: KmsScope,
    spec: { description: string; policy?: string; tags: readonly KeyTag[] },
    now: number,
    keyId = this.deps.random.uuid(),
  ): Promise<KeyRecord> {
    const material = this.deps.keys.newMaterial(keyId)
    const key: KeyRecord = {
      keyId,
      accountId: scope.accountId,
      region: scope.region,
      arn: keyArn(scope, keyId),
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      description: spec.description,
      currentMaterialId: material.materialId,
      createdAt: now,
      ...(spec.policy !== undefined && { policy: spec.policy }),
      tags: spec.tags,
      rotationEnabled: false,
      revision: 1,
    }
    await this.deps.store.createKey(key, material)
    return key
  }

  /**
   * Applies `change` to the stored key. `change` may refuse (throw) after seeing the key as stored,
   * or return `undefined` for "nothing to do".
   */
  async update(located: KeyRecord, change: (key: KeyRecord) => KeyChanges | undefined): Promise<KeyRecord> {
    return this.retrying(located, async (key) => {
      const changes = change(key)
      return changes === undefined ? key : this.deps.store.updateKey(key.keyId, key.revision, changes)
    })
  }

  /**
   * New key material that becomes current at once; older materials keep decrypting. `change` may
   * refuse (throw), add further changes (the next automatic rotation date), or return `undefined`:
   * no rotation after all (then the stored key is returned unchanged).
   */
  async rotate(
    located: KeyRecord,
    rotationType: RotationType,
    now: number,
    change: (key: KeyRecord) => KeyChanges | undefined = () => ({}),
  ): Promise<KeyRecord> {
    return this.retrying(located, async (key) => {
      const changes = change(key)
      if (changes === undefined) return key
      const material = this.deps.keys.newMaterial(key.keyId)
      return this.deps.store.addMaterial(
        key.keyId,
        key.revision,
        { ...material, createdAt: now, rotationType },
        changes,
      )
    })
  }

  private async retrying(
    located: KeyRecord,
    step: (key: KeyRecord) => Promise<KeyRecord>,
  ): Promise<KeyRecord> {
    for (let attempt = 1; ; attempt++) {
      const key = await this.deps.store.findKey(located.keyId)
      if (key === undefined) throw new NotFoundException(msg.keyNotFound(located.arn))
      try {
        return await step(key)
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= ATTEMPTS) throw error
      }
    }
  }
}

/** When automatic rotation next falls due, `periodDays` after `from`. */
export function nextRotation(from: number, periodDays: number): number {
  return from + periodDays * MS_PER_DAY
}
