import { describe, expect, it } from 'vitest'
import { ConflictError, UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { NewSecret, NewVersion, SecretStore, StoredValue } from '../../services/secretsmanager/store.js'

/**
 * The contract every `SecretStore` adapter passes (SQLite today; PostgreSQL runs the same suite).
 * `open` returns a fresh, empty store on real storage and a way to dispose of it.
 */
export type OpenStore = () => Promise<{ store: SecretStore; close: () => Promise<void> }>

const ACCOUNT = '111122223333'
const REGION = 'eu-west-1'
let counter = 0

function newSecret(overrides: Partial<NewSecret> = {}): NewSecret {
  const name = overrides.name ?? `contract/secret-${++counter}`
  return {
    accountId: ACCOUNT,
    region: REGION,
    name,
    arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbC${String(counter).padStart(3, '0')}`,
    createdAt: 1_000,
    lastChangedAt: 1_000,
    ...overrides,
  }
}

function value(text: string): StoredValue {
  return {
    valueType: 'string',
    encryptedDataKey: Buffer.from(`dk-${text}`),
    ciphertext: Buffer.from(`ct-${text}`),
  }
}

function version(id: string, createdAt = 2_000, text = id): NewVersion {
  return { versionId: id.padEnd(32, '0'), createdAt, value: value(text) }
}

const vid = (id: string) => id.padEnd(32, '0')

export function secretStoreContract(adapter: string, open: OpenStore): void {
  const withStore = (test: (store: SecretStore) => Promise<void>) => async () => {
    const { store, close } = await open()
    try {
      await test(store)
    } finally {
      await close()
    }
  }

  describe(`SecretStore contract: ${adapter}`, () => {
    it(
      'creates a secret, finds it by name and ARN, and labels its first version AWSCURRENT',
      withStore(async (store) => {
        const created = await store.createSecret(
          newSecret({ description: 'd', tags: [{ Key: 'k', Value: 'v' }] }),
          version('a'),
        )
        expect(created.revision).toBe(1)
        expect(await store.findByName(ACCOUNT, REGION, created.name)).toEqual(created)
        expect(await store.findByArn(created.arn)).toEqual(created)
        expect(await store.findByName(ACCOUNT, 'us-east-1', created.name)).toBeUndefined()
        expect(await store.findByName('999999999999', REGION, created.name)).toBeUndefined()
        const current = await store.findVersionByStage(created.id, 'AWSCURRENT')
        expect(current?.versionId).toBe(vid('a'))
        expect(current?.value).toEqual(value('a'))
        expect(created.tags).toEqual([{ Key: 'k', Value: 'v' }])
      }),
    )

    it(
      'refuses a second secret with the same name in the same account and region',
      withStore(async (store) => {
        const first = await store.createSecret(newSecret())
        await expect(
          store.createSecret(newSecret({ name: first.name, arn: `${first.arn}x` })),
        ).rejects.toEqual(new UniqueViolationError('secret_name'))
        await store.createSecret(newSecret({ name: first.name, region: 'us-west-2', arn: `${first.arn}y` }))
      }),
    )

    it(
      'applies a change atomically and bumps the revision; a stale revision is a ConflictError that changes nothing',
      withStore(async (store) => {
        const secret = await store.createSecret(newSecret(), version('a'))
        await store.applyChange({
          secretId: secret.id,
          expectedRevision: 1,
          update: { description: 'new', lastChangedAt: 5_000 },
          addVersion: version('b', 3_000),
          stages: [
            { stage: 'AWSPREVIOUS', versionId: vid('a') },
            { stage: 'AWSCURRENT', versionId: vid('b') },
          ],
        })
        const after = await store.findByArn(secret.arn)
        expect(after).toMatchObject({ revision: 2, description: 'new', lastChangedAt: 5_000 })
        const stale = store.applyChange({
          secretId: secret.id,
          expectedRevision: 1,
          addVersion: version('c'),
          stages: [{ stage: 'AWSCURRENT', versionId: vid('c') }],
        })
        await expect(stale).rejects.toBeInstanceOf(ConflictError)
        const versions = await store.listVersions(secret.id)
        expect(versions.map((v) => [v.versionId, v.stages])).toEqual([
          [vid('a'), ['AWSPREVIOUS']],
          [vid('b'), ['AWSCURRENT']],
        ])
      }),
    )

    it(
      'enforces version-id uniqueness per secret (idempotency) and rolls back the whole change',
      withStore(async (store) => {
        const secret = await store.createSecret(newSecret(), version('a'))
        const reuse = store.applyChange({
          secretId: secret.id,
          expectedRevision: 1,
          update: { description: 'must not stick' },
          addVersion: version('a', 9_000, 'other'),
        })
        await expect(reuse).rejects.toEqual(new UniqueViolationError('version_id'))
        expect((await store.findByArn(secret.arn))?.revision).toBe(1)
        expect((await store.findByArn(secret.arn))?.description).toBeUndefined()
        const other = await store.createSecret(newSecret(), version('a'))
        expect((await store.findVersionById(other.id, vid('a')))?.versionId).toBe(vid('a'))
      }),
    )

    it(
      'keeps one holder per label and refuses labels on versions that do not exist',
      withStore(async (store) => {
        const secret = await store.createSecret(newSecret(), version('a'))
        await store.applyChange({
          secretId: secret.id,
          expectedRevision: 1,
          addVersion: version('b'),
          stages: [{ stage: 'AWSCURRENT', versionId: vid('b') }],
        })
        const a = await store.findVersionById(secret.id, vid('a'))
        expect(a?.stages).toEqual([])
        await expect(
          store.applyChange({
            secretId: secret.id,
            expectedRevision: 2,
            stages: [{ stage: 'CUSTOM', versionId: vid('nope') }],
          }),
        ).rejects.toThrow()
        expect((await store.findByArn(secret.arn))?.revision).toBe(2)
        await store.applyChange({
          secretId: secret.id,
          expectedRevision: 2,
          stages: [{ stage: 'AWSCURRENT', versionId: null }],
        })
        expect(await store.findVersionByStage(secret.id, 'AWSCURRENT')).toBeUndefined()
      }),
    )

    it(
      'drops versions, re-wraps data keys, and clears fields with null',
      withStore(async (store) => {
        const secret = await store.createSecret(
          newSecret({ description: 'x', resourcePolicy: '{}' }),
          version('a'),
        )
        await store.applyChange({
          secretId: secret.id,
          expectedRevision: 1,
          addVersion: version('b'),
          stages: [{ stage: 'AWSCURRENT', versionId: vid('b') }],
        })
        await store.applyChange({
          secretId: secret.id,
          expectedRevision: 2,
          update: { description: null, resourcePolicy: null, kmsKeyArn: 'arn:aws:kms:x' },
          dropVersions: [vid('a')],
          rewrap: [
            { versionId: vid('b'), kmsKeyArn: 'arn:aws:kms:x', encryptedDataKey: Buffer.from('rewrapped') },
          ],
        })
        expect((await store.listVersions(secret.id)).map((v) => v.versionId)).toEqual([vid('b')])
        const b = await store.findVersionById(secret.id, vid('b'))
        expect(b?.value?.encryptedDataKey.toString()).toBe('rewrapped')
        expect(b?.kmsKeyArn).toBe('arn:aws:kms:x')
        const after = await store.findByArn(secret.arn)
        expect(after?.description).toBeUndefined()
        expect(after?.resourcePolicy).toBeUndefined()
        expect(after?.kmsKeyArn).toBe('arn:aws:kms:x')
      }),
    )

    it(
      'stores a version without a value (rotation placeholder) and reports hasValue',
      withStore(async (store) => {
        const secret = await store.createSecret(newSecret(), version('a'))
        await store.applyChange({
          secretId: secret.id,
          expectedRevision: 1,
          addVersion: { versionId: vid('p'), createdAt: 3_000 },
          stages: [{ stage: 'AWSPENDING', versionId: vid('p') }],
        })
        const pending = await store.findVersionByStage(secret.id, 'AWSPENDING')
        expect(pending?.hasValue).toBe(false)
        expect(pending?.value).toBeUndefined()
      }),
    )

    it(
      'records access without touching revision, and only moves it forward',
      withStore(async (store) => {
        const secret = await store.createSecret(newSecret(), version('a'))
        await store.recordAccess(secret.id, vid('a'), 86_400_000)
        await store.recordAccess(secret.id, vid('a'), 0)
        const after = await store.findByArn(secret.arn)
        expect(after?.lastAccessedAt).toBe(86_400_000)
        expect(after?.revision).toBe(1)
        expect((await store.findVersionById(secret.id, vid('a')))?.lastAccessedAt).toBe(86_400_000)
      }),
    )

    it(
      'lists live secrets, includes scheduled ones on request, and finds those due for purge',
      withStore(async (store) => {
        const live = await store.createSecret(newSecret())
        const doomed = await store.createSecret(newSecret(), version('a'))
        await store.applyChange({
          secretId: doomed.id,
          expectedRevision: 1,
          update: { deletedAt: 10_000, deletionDate: 20_000 },
        })
        const names = async (includeDeleted: boolean) =>
          (await store.listSecrets(ACCOUNT, REGION, { includeDeleted })).map((s) => s.name).sort()
        expect(await names(false)).toEqual(expect.arrayContaining([live.name]))
        expect(await names(false)).not.toContain(doomed.name)
        expect(await names(true)).toEqual(expect.arrayContaining([live.name, doomed.name]))
        expect(await store.listDueForPurge(19_999, 10)).toEqual([])
        expect(await store.listDueForPurge(20_000, 10)).toEqual([{ id: doomed.id, arn: doomed.arn }])
        await store.deleteSecret(doomed.id)
        expect(await store.findByArn(doomed.arn)).toBeUndefined()
        expect(await store.findVersionById(doomed.id, vid('a'))).toBeUndefined()
        expect(await store.listDueForPurge(99_999, 10)).toEqual([])
      }),
    )

    it(
      'returns the labels of many secrets at once',
      withStore(async (store) => {
        const one = await store.createSecret(newSecret(), version('a'))
        const two = await store.createSecret(newSecret())
        const stages = await store.stagesOf([one.id, two.id])
        expect([...(stages.get(one.id) ?? new Map())]).toEqual([[vid('a'), ['AWSCURRENT']]])
        expect(stages.get(two.id)).toBeUndefined()
      }),
    )
  })
}
