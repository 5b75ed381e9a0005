import { describe, expect, it } from 'vitest'
import { UniqueViolationError } from '../../../lib/neutral-errors.js'
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

export function kmsStoreContract(adapter: string, open: OpenKmsStore): void {
  const withStore = (test: (store: KmsStore) => Promise<void>) => async () => {
    const { store, close } = await open()
    try {
      await test(store)
    } finally {
      await close()
    }
  }

  describe(`KmsStore contract: ${adapter}`, () => {
    it(
      'stores a key with its first material and alias atomically, and finds them',
      withStore(async (store) => {
        const k = key({ description: 'main' })
        await store.createKey(k, { materialId: k.currentMaterialId, sealed: Buffer.from('sealed') }, alias(k))
        expect(await store.findKey(k.keyId)).toEqual(k)
        expect(await store.findAlias(k.accountId, k.region, 'alias/aws/secretsmanager')).toEqual(alias(k))
        expect(await store.findAlias(k.accountId, 'us-east-1', 'alias/aws/secretsmanager')).toBeUndefined()
        expect((await store.findSealedMaterial(k.keyId, k.currentMaterialId))?.toString()).toBe('sealed')
        expect(await store.findSealedMaterial(k.keyId, 'x'.repeat(64))).toBeUndefined()
        expect(await store.findKey('00000000-0000-4000-8000-999999999999')).toBeUndefined()
      }),
    )

    it(
      'refuses a taken alias and then stores nothing of the losing key',
      withStore(async (store) => {
        const winner = key()
        await store.createKey(
          winner,
          { materialId: winner.currentMaterialId, sealed: Buffer.from('a') },
          alias(winner),
        )
        const loser = key()
        await expect(
          store.createKey(
            loser,
            { materialId: loser.currentMaterialId, sealed: Buffer.from('b') },
            alias(loser),
          ),
        ).rejects.toEqual(new UniqueViolationError('kms_alias'))
        expect(await store.findKey(loser.keyId)).toBeUndefined()
        expect(
          (await store.findAlias(winner.accountId, winner.region, 'alias/aws/secretsmanager'))?.targetKeyId,
        ).toBe(winner.keyId)
      }),
    )
  })
}
