import { describe, expect, it } from 'vitest'
import { ConflictError, UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { AliasRecord, KeyRecord, KmsStore } from '../../services/kms/store.js'

/** The contract every `KmsStore` adapter passes. `open` returns a fresh, empty store on real storage. */
export type OpenKmsStore = () => Promise<{ store: KmsStore; close: () => Promise<void> }>

let counter = 0

function key(overrides: Partial<KeyRecord> = {}): KeyRecord {
  const keyId = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`
  return {
    keyId,
    accountId: '111122223333',
    region: 'eu-west-1',
    arn: `arn:aws:kms:eu-west-1:111122223333:key/${keyId}`,
    keyManager: 'AWS',
    keyState: 'Enabled',
    description: 'd',
    currentMaterialId: 'm'.repeat(64),
    createdAt: 1_000,
    tags: [],
    rotationEnabled: false,
    revision: 1,
    ...overrides,
  }
}

function alias(target: KeyRecord, aliasName = 'alias/aws/secretsmanager'): AliasRecord {
  return {
    accountId: target.accountId,
    region: target.region,
    aliasName,
    targetKeyId: target.keyId,
    createdAt: 1,
    updatedAt: 2,
  }
}

const sealed = (text: string) => Buffer.from(text)

export function kmsStoreContract(adapter: string, open: OpenKmsStore): void {
  const withStore = (test: (store: KmsStore) => Promise<void>) => async () => {
    const { store, close } = await open()
    try {
      await test(store)
    } finally {
      await close()
    }
  }
  const create = async (store: KmsStore, k: KeyRecord, a?: AliasRecord) =>
    store.createKey(k, { materialId: k.currentMaterialId, sealed: sealed(k.keyId) }, a)

  describe(`KmsStore contract: ${adapter}`, () => {
    it(
      'stores a key with its first material and alias atomically, and finds them',
      withStore(async (store) => {
        const k = key({
          description: 'main',
          policy: '{"p":1}',
          tags: [{ TagKey: 'a', TagValue: '' }],
          rotationEnabled: true,
          rotationPeriodDays: 365,
          nextRotationAt: 5_000,
        })
        await create(store, k, alias(k))
        expect(await store.findKey(k.keyId)).toEqual(k)
        expect(await store.findAlias(k.accountId, k.region, 'alias/aws/secretsmanager')).toEqual(alias(k))
        expect(await store.findAlias(k.accountId, 'us-east-1', 'alias/aws/secretsmanager')).toBeUndefined()
        expect((await store.findSealedMaterial(k.keyId, k.currentMaterialId))?.toString()).toBe(k.keyId)
        expect(await store.findSealedMaterial(k.keyId, 'x'.repeat(64))).toBeUndefined()
        expect(await store.findKey('00000000-0000-4000-8000-999999999999')).toBeUndefined()
        expect(await store.listMaterials(k.keyId)).toEqual([
          { materialId: k.currentMaterialId, createdAt: 1_000 },
        ])
      }),
    )

    it(
      'refuses a taken alias and then stores nothing of the losing key',
      withStore(async (store) => {
        const winner = key()
        await create(store, winner, alias(winner))
        const loser = key()
        await expect(create(store, loser, alias(loser))).rejects.toEqual(
          new UniqueViolationError('kms_alias'),
        )
        expect(await store.findKey(loser.keyId)).toBeUndefined()
        expect(
          (await store.findAlias(winner.accountId, winner.region, 'alias/aws/secretsmanager'))?.targetKeyId,
        ).toBe(winner.keyId)
      }),
    )

    it(
      'updates a key only at the revision it was read at, and bumps the revision',
      withStore(async (store) => {
        const k = key({ keyManager: 'CUSTOMER' })
        await create(store, k)
        const updated = await store.updateKey(k.keyId, 1, {
          keyState: 'PendingDeletion',
          deletionDate: 9_000,
          pendingWindowDays: 7,
          tags: [{ TagKey: 'k', TagValue: 'v' }],
        })
        expect(updated).toEqual({
          ...k,
          keyState: 'PendingDeletion',
          deletionDate: 9_000,
          pendingWindowDays: 7,
          tags: [{ TagKey: 'k', TagValue: 'v' }],
          revision: 2,
        })
        await expect(store.updateKey(k.keyId, 1, { description: 'late' })).rejects.toBeInstanceOf(
          ConflictError,
        )
        const cleared = await store.updateKey(k.keyId, 2, {
          keyState: 'Disabled',
          deletionDate: null,
          pendingWindowDays: null,
        })
        expect(cleared.deletionDate).toBeUndefined()
        expect(cleared.pendingWindowDays).toBeUndefined()
        expect(await store.findKey(k.keyId)).toEqual(cleared)
      }),
    )

    it(
      'adds material that becomes current, keeping the old one, and lists materials oldest first',
      withStore(async (store) => {
        const k = key({
          keyManager: 'CUSTOMER',
          rotationEnabled: true,
          rotationPeriodDays: 90,
          nextRotationAt: 10,
        })
        await create(store, k)
        const rotated = await store.addMaterial(
          k.keyId,
          1,
          { materialId: 'n'.repeat(64), sealed: sealed('new'), createdAt: 2_000, rotationType: 'ON_DEMAND' },
          { nextRotationAt: 20 },
        )
        expect(rotated).toMatchObject({ currentMaterialId: 'n'.repeat(64), nextRotationAt: 20, revision: 2 })
        expect((await store.findSealedMaterial(k.keyId, 'm'.repeat(64)))?.toString()).toBe(k.keyId)
        expect(await store.listMaterials(k.keyId)).toEqual([
          { materialId: 'm'.repeat(64), createdAt: 1_000 },
          { materialId: 'n'.repeat(64), createdAt: 2_000, rotationType: 'ON_DEMAND' },
        ])
        await expect(
          store.addMaterial(k.keyId, 1, {
            materialId: 'o'.repeat(64),
            sealed: sealed('late'),
            createdAt: 3_000,
            rotationType: 'AUTOMATIC',
          }),
        ).rejects.toBeInstanceOf(ConflictError)
        expect(await store.listMaterials(k.keyId)).toHaveLength(2)
        expect((await store.listKeysDueForRotation(20, 10)).map((x) => x.keyId)).toEqual([k.keyId])
        expect(await store.listKeysDueForRotation(19, 10)).toEqual([])
      }),
    )

    it(
      'lists keys and aliases by account and region in order, page by page',
      withStore(async (store) => {
        const keys = [
          key({ keyManager: 'CUSTOMER' }),
          key({ keyManager: 'CUSTOMER' }),
          key({ region: 'us-east-1' }),
        ]
        for (const k of keys) await create(store, k)
        const [a, b] = keys as [KeyRecord, KeyRecord, KeyRecord]
        expect((await store.listKeys(a.accountId, 'eu-west-1', undefined, 10)).map((k) => k.keyId)).toEqual([
          a.keyId,
          b.keyId,
        ])
        expect((await store.listKeys(a.accountId, 'eu-west-1', a.keyId, 10)).map((k) => k.keyId)).toEqual([
          b.keyId,
        ])
        await store.createAlias(alias(a, 'alias/b'))
        await store.createAlias(alias(b, 'alias/a'))
        await store.createAlias(alias(a, 'alias/c'))
        await expect(store.createAlias(alias(b, 'alias/c'))).rejects.toEqual(
          new UniqueViolationError('kms_alias'),
        )
        const names = async (options: { targetKeyId?: string; afterName?: string; limit: number }) =>
          (await store.listAliases(a.accountId, 'eu-west-1', options)).map((x) => x.aliasName)
        expect(await names({ limit: 10 })).toEqual(['alias/a', 'alias/b', 'alias/c'])
        expect(await names({ limit: 1, afterName: 'alias/a' })).toEqual(['alias/b'])
        expect(await names({ limit: 10, targetKeyId: a.keyId })).toEqual(['alias/b', 'alias/c'])
        expect(await store.updateAlias({ ...alias(b, 'alias/c'), updatedAt: 50 })).toBe(true)
        expect(await store.findAlias(a.accountId, a.region, 'alias/c')).toMatchObject({
          targetKeyId: b.keyId,
          createdAt: 1,
          updatedAt: 50,
        })
        expect(await store.updateAlias(alias(b, 'alias/none'))).toBe(false)
        expect(await store.deleteAlias(a.accountId, a.region, 'alias/a')).toBe(true)
        expect(await store.deleteAlias(a.accountId, a.region, 'alias/a')).toBe(false)
      }),
    )

    it(
      'deletes a key due for deletion with its materials and aliases, and nothing else',
      withStore(async (store) => {
        const due = key({
          keyManager: 'CUSTOMER',
          keyState: 'PendingDeletion',
          deletionDate: 100,
          pendingWindowDays: 7,
        })
        const later = key({
          keyManager: 'CUSTOMER',
          keyState: 'PendingDeletion',
          deletionDate: 500,
          pendingWindowDays: 7,
        })
        const live = key({ keyManager: 'CUSTOMER' })
        for (const k of [due, later, live]) await create(store, k, alias(k, `alias/${k.keyId}`))
        expect((await store.listKeysDueForDeletion(100, 10)).map((k) => k.keyId)).toEqual([due.keyId])
        expect(await store.deleteKeyIfDue(later.keyId, 100)).toBe(false)
        expect(await store.deleteKeyIfDue(live.keyId, 100)).toBe(false)
        expect(await store.deleteKeyIfDue(due.keyId, 100)).toBe(true)
        expect(await store.findKey(due.keyId)).toBeUndefined()
        expect(await store.findSealedMaterial(due.keyId, due.currentMaterialId)).toBeUndefined()
        expect(await store.findAlias(due.accountId, due.region, `alias/${due.keyId}`)).toBeUndefined()
        expect(await store.findKey(later.keyId)).toBeDefined()
        expect(await store.findAlias(live.accountId, live.region, `alias/${live.keyId}`)).toBeDefined()
      }),
    )
  })
}
