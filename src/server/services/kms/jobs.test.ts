import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MS_PER_DAY } from '../../../lib/clock.js'
import { cryptoRandom } from '../../../lib/random.js'
import { Barrier } from '../../barrier/barrier.js'
import { openSqlite } from '../../storage/sqlite/database.js'
import { SqliteFreshness } from '../../storage/sqlite/freshness.js'
import { SqliteKeyringStore } from '../../storage/sqlite/keyring-store.js'
import { SqliteKmsStore } from '../../storage/sqlite/kms-store.js'
import { KeyAdmin } from './admin.js'
import { KmsKeyUnavailableError } from './errors.js'
import { runKmsMaintenance } from './jobs.js'
import { KmsKeys } from './keys.js'

const scope = { accountId: '123456789012', region: 'us-east-1' }

async function kms() {
  const db = openSqlite(join(mkdtempSync(join(tmpdir(), 'coffer-kms-jobs-')), 'coffer.db'))
  let now = 1_000_000
  const clock = { now: () => now }
  const freshness = new SqliteFreshness(db)
  const store = new SqliteKmsStore(db, freshness)
  const barrier = await Barrier.unseal(randomBytes(32), new SqliteKeyringStore(db), now)
  // A long TTL: only Freshness can make the cache notice a change.
  const keys = new KmsKeys(
    { store, barrier, clock, random: cryptoRandom, freshness },
    { keyCacheTtlMs: 3_600_000, materialCacheTtlMs: 3_600_000, cacheMaxEntries: 100 },
  )
  const admin = new KeyAdmin({ store, keys, random: cryptoRandom })
  return { store, keys, admin, clock, advance: (ms: number) => (now += ms) }
}

describe('KMS maintenance', () => {
  it('deletes keys whose waiting period ended, with their aliases; later ones stay', async () => {
    const { store, keys, admin, clock, advance } = await kms()
    const due = await admin.createCustomerKey(scope, { description: 'a', tags: [] }, clock.now())
    const later = await admin.createCustomerKey(scope, { description: 'b', tags: [] }, clock.now())
    await store.createAlias({
      ...scope,
      aliasName: 'alias/due',
      targetKeyId: due.keyId,
      createdAt: 1,
      updatedAt: 1,
    })
    const blob = await keys.encrypt(due, Buffer.from('x'), {})
    await admin.update(due, () => ({
      keyState: 'PendingDeletion',
      deletionDate: clock.now() + 7 * MS_PER_DAY,
      pendingWindowDays: 7,
    }))
    await admin.update(later, () => ({
      keyState: 'PendingDeletion',
      deletionDate: clock.now() + 8 * MS_PER_DAY,
      pendingWindowDays: 8,
    }))
    expect(await runKmsMaintenance({ store, keys, random: cryptoRandom }, clock.now())).toEqual({
      deleted: [],
      rotated: [],
      failed: [],
    })
    advance(7 * MS_PER_DAY)
    expect((await runKmsMaintenance({ store, keys, random: cryptoRandom }, clock.now())).deleted).toEqual([
      due.arn,
    ])
    expect(await store.findKey(due.keyId)).toBeUndefined()
    expect(await store.findAlias(scope.accountId, scope.region, 'alias/due')).toBeUndefined()
    expect(await store.findKey(later.keyId)).toBeDefined()
    await expect(keys.decrypt(blob, {})).rejects.toBeInstanceOf(KmsKeyUnavailableError)
  })

  it('rotates enabled keys when due, one period on; disabled keys wait; old material keeps decrypting', async () => {
    const { store, keys, admin, clock, advance } = await kms()
    const key = await admin.createCustomerKey(scope, { description: 'r', tags: [] }, clock.now())
    const off = await admin.createCustomerKey(scope, { description: 'd', tags: [] }, clock.now())
    const schedule = {
      rotationEnabled: true,
      rotationPeriodDays: 90,
      nextRotationAt: clock.now() + 90 * MS_PER_DAY,
    }
    await admin.update(key, () => schedule)
    await admin.update(off, () => ({ ...schedule, keyState: 'Disabled' }))
    const old = await keys.encrypt(key, Buffer.from('old'), { c: '1' })
    advance(90 * MS_PER_DAY)
    const result = await runKmsMaintenance({ store, keys, random: cryptoRandom }, clock.now())
    expect(result.rotated).toEqual([key.arn])
    const rotated = await store.findKey(key.keyId)
    expect(rotated?.currentMaterialId).not.toBe(key.currentMaterialId)
    expect(rotated?.nextRotationAt).toBe(clock.now() + 90 * MS_PER_DAY)
    expect((await store.listMaterials(key.keyId)).map((m) => m.rotationType)).toEqual([
      undefined,
      'AUTOMATIC',
    ])
    expect((await keys.decrypt(old, { c: '1' })).plaintext.toString()).toBe('old')
    const fresh = await keys.encrypt(key, Buffer.from('new'), {})
    expect((await keys.decrypt(fresh, {})).materialId).toBe(rotated?.currentMaterialId)
    expect((await store.findKey(off.keyId))?.currentMaterialId).toBe(off.currentMaterialId)
    expect((await runKmsMaintenance({ store, keys, random: cryptoRandom }, clock.now())).rotated).toEqual([])
  })

  it('a change is seen at once through Freshness, whatever the cache TTL', async () => {
    const { keys, admin, clock } = await kms()
    const key = await admin.createCustomerKey(scope, { description: 'f', tags: [] }, clock.now())
    const blob = await keys.encrypt(key, Buffer.from('x'), {})
    await admin.update(key, () => ({ keyState: 'Disabled' }))
    await expect(keys.decrypt(blob, {})).rejects.toMatchObject({ reason: 'Disabled' })
    await admin.update(key, () => ({ keyState: 'Enabled' }))
    expect((await keys.decrypt(blob, {})).plaintext.toString()).toBe('x')
  })
})
