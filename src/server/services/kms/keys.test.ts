import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cryptoRandom } from '../../../lib/random.js'
import { Barrier } from '../../barrier/barrier.js'
import { openSqlite } from '../../storage/sqlite/database.js'
import { SqliteKeyringStore } from '../../storage/sqlite/keyring-store.js'
import { SqliteKmsStore } from '../../storage/sqlite/kms-store.js'
import { KmsInvalidCiphertextError, KmsKeyUnavailableError } from './errors.js'
import { KeyAdmin } from './admin.js'
import { KmsKeys } from './keys.js'

async function kms() {
  const db = openSqlite(join(mkdtempSync(join(tmpdir(), 'coffer-kms-')), 'coffer.db'))
  let now = 1_000_000
  const clock = { now: () => now }
  const barrier = await Barrier.unseal(randomBytes(32), new SqliteKeyringStore(db), now)
  const store = new SqliteKmsStore(db)
  const keys = new KmsKeys(
    { store, barrier, clock, random: cryptoRandom },
    { keyCacheTtlMs: 1000, materialCacheTtlMs: 60_000, cacheMaxEntries: 100 },
  )
  return { db, store, keys, advance: (ms: number) => (now += ms) }
}

const scope = { accountId: '123456789012', region: 'us-east-1' }

describe('KmsKeys', () => {
  it('creates the AWS-managed key once and resolves it by alias, alias ARN, id and ARN', async () => {
    const { keys } = await kms()
    const key = await keys.managedKey(scope, 'secretsmanager')
    expect(key).toMatchObject({ keyManager: 'AWS', keyState: 'Enabled', accountId: scope.accountId })
    expect(key.arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${key.keyId}`)
    expect((await keys.managedKey(scope, 'secretsmanager')).keyId).toBe(key.keyId)
    for (const ref of [
      'alias/aws/secretsmanager',
      'arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager',
      key.keyId,
      key.arn,
    ]) {
      expect((await keys.resolve(scope, ref)).keyId).toBe(key.keyId)
    }
    const other = await keys.managedKey({ ...scope, region: 'eu-west-1' }, 'secretsmanager')
    expect(other.keyId).not.toBe(key.keyId)
  })

  it('refuses malformed and unknown references', async () => {
    const { keys } = await kms()
    await expect(keys.resolve(scope, 'not a key')).rejects.toMatchObject({ reason: 'InvalidKeyId' })
    await expect(keys.resolve(scope, 'alias/missing')).rejects.toMatchObject({ reason: 'NotFound' })
    await expect(keys.resolve(scope, '11111111-2222-3333-4444-555555555555')).rejects.toBeInstanceOf(
      KmsKeyUnavailableError,
    )
    const key = await keys.managedKey(scope, 'secretsmanager')
    await expect(keys.resolve({ ...scope, accountId: '210987654321' }, key.keyId)).rejects.toMatchObject({
      reason: 'NotFound',
    })
  })

  it('cross-account use needs a customer key; keys of another region never resolve', async () => {
    const { keys, store } = await kms()
    const managed = await keys.managedKey(scope, 'secretsmanager')
    const customer = await new KeyAdmin({ store, keys, random: cryptoRandom }).createCustomerKey(
      scope,
      { description: 'shared', tags: [] },
      1,
    )
    const other = { ...scope, accountId: '210987654321' }
    await expect(keys.resolve(other, managed.arn)).rejects.toMatchObject({ reason: 'NotFound' })
    await expect(
      keys.resolve(other, 'arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager'),
    ).rejects.toMatchObject({ reason: 'NotFound' })
    expect((await keys.resolve(other, customer.arn)).keyId).toBe(customer.keyId)
    await expect(keys.resolve({ ...scope, region: 'eu-west-1' }, customer.arn)).rejects.toMatchObject({
      reason: 'NotFound',
    })
    // Naming another account's AWS-managed alias never creates a key there.
    await expect(
      keys.resolve(scope, 'arn:aws:kms:us-east-1:210987654321:alias/aws/ssm'),
    ).rejects.toMatchObject({ reason: 'NotFound' })
    expect(await keys.aliasTarget(other, 'alias/aws/ssm', false)).toBeUndefined()
  })

  it('wraps data keys under their encryption context: same context decrypts, any other does not', async () => {
    const { keys } = await kms()
    const key = await keys.managedKey(scope, 'secretsmanager')
    const context = { SecretARN: 'arn:a', SecretVersionId: 'v1' }
    const { plaintext, ciphertextBlob } = await keys.generateDataKey(key, context)
    expect(plaintext).toHaveLength(32)
    expect(ciphertextBlob.includes(plaintext)).toBe(false)
    const reordered = { SecretVersionId: 'v1', SecretARN: 'arn:a' }
    expect((await keys.decrypt(ciphertextBlob, reordered)).plaintext.equals(plaintext)).toBe(true)
    await expect(keys.decrypt(ciphertextBlob, { ...context, SecretVersionId: 'v2' })).rejects.toBeInstanceOf(
      KmsInvalidCiphertextError,
    )
    await expect(keys.decrypt(ciphertextBlob.subarray(0, 20), context)).rejects.toBeInstanceOf(
      KmsInvalidCiphertextError,
    )
    const flipped = Buffer.from(ciphertextBlob)
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1
    await expect(keys.decrypt(flipped, context)).rejects.toBeInstanceOf(KmsInvalidCiphertextError)
  })

  it('stops using a key once it is disabled (after the state cache expires)', async () => {
    const { keys, db, advance } = await kms()
    const key = await keys.managedKey(scope, 'secretsmanager')
    const context = { c: '1' }
    const blob = await keys.encrypt(key, Buffer.from('x'), context)
    db.prepare("UPDATE kms_keys SET key_state = 'Disabled' WHERE key_id = ?").run(key.keyId)
    advance(1_001)
    await expect(keys.decrypt(blob, context)).rejects.toMatchObject({ reason: 'Disabled' })
    await expect(keys.requireUsable(key.keyId)).rejects.toBeInstanceOf(KmsKeyUnavailableError)
  })
})
