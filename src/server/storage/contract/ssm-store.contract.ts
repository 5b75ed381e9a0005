import { describe, expect, it } from 'vitest'
import { ConflictError, UniqueViolationError } from '../../../lib/neutral-errors.js'
import type { NewParameter, NewVersion, SsmStore } from '../../services/ssm/store.js'

/**
 * The contract every `SsmStore` adapter passes (SQLite today; PostgreSQL runs the same suite).
 * `open` returns a fresh, empty store on real storage and a way to dispose of it.
 */
export type OpenSsmStore = () => Promise<{ store: SsmStore; close: () => Promise<void> }>

const SCOPE = { accountId: '111122223333', region: 'eu-west-1' }

function parameter(key: string, overrides: Partial<NewParameter> = {}): NewParameter {
  return { ...SCOPE, key, name: key, tags: [], ...overrides }
}

function version(n: number, text = `value-${n}`, overrides: Partial<NewVersion> = {}): NewVersion {
  return {
    version: n,
    type: 'String',
    value: Buffer.from(text),
    dataType: 'text',
    tier: 'Standard',
    lastModifiedAt: 1_000 + n,
    lastModifiedUser: 'arn:aws:iam::111122223333:user/admin',
    ...overrides,
  }
}

export function ssmStoreContract(adapter: string, open: OpenSsmStore): void {
  const withStore = (test: (store: SsmStore) => Promise<void>) => async () => {
    const { store, close } = await open()
    try {
      await test(store)
    } finally {
      await close()
    }
  }

  describe(`SsmStore contract: ${adapter}`, () => {
    it(
      'creates a parameter and finds it by key with its latest version, in its own account and region only',
      withStore(async (store) => {
        const created = await store.create(
          parameter('/param-x', { name: 'param-x', tags: [{ Key: 'k', Value: 'v' }] }),
          version(1, 'hello', { description: 'd', allowedPattern: '^h', tier: 'Advanced' }),
        )
        expect(created).toMatchObject({ key: '/param-x', name: 'param-x', revision: 1 })
        expect(created.tags).toEqual([{ Key: 'k', Value: 'v' }])
        expect(created.latest).toMatchObject({
          version: 1,
          description: 'd',
          allowedPattern: '^h',
          labels: [],
        })
        expect(created.latest.value.toString()).toBe('hello')
        expect(await store.find(SCOPE, '/param-x')).toEqual(created)
        expect(await store.find({ ...SCOPE, region: 'us-east-1' }, '/param-x')).toBeUndefined()
        expect(await store.find({ ...SCOPE, accountId: '999999999999' }, '/param-x')).toBeUndefined()
        expect(await store.find(SCOPE, '/Param-x')).toBeUndefined()
      }),
    )

    it(
      'keeps SecureString ciphertext and KeyId as given',
      withStore(async (store) => {
        const blob = Buffer.from([1, 0, 255, 7])
        const created = await store.create(
          parameter('/s'),
          version(1, '', { type: 'SecureString', value: blob, keyId: 'alias/aws/ssm' }),
        )
        expect(created.latest.value.equals(blob)).toBe(true)
        expect(created.latest.keyId).toBe('alias/aws/ssm')
      }),
    )

    it(
      'refuses a second parameter with the same key in the same account and region',
      withStore(async (store) => {
        await store.create(parameter('/dup'), version(1))
        await expect(store.create(parameter('/dup', { name: 'dup' }), version(1))).rejects.toEqual(
          new UniqueViolationError('parameter_name'),
        )
        await store.create(parameter('/dup', { region: 'us-west-2' }), version(1))
      }),
    )

    it(
      'adds versions under optimistic concurrency and keeps the old ones until dropped',
      withStore(async (store) => {
        const p = await store.create(parameter('/v'), version(1))
        await store.applyChange({ parameterId: p.id, expectedRevision: 1, addVersion: version(2, 'two') })
        await expect(
          store.applyChange({ parameterId: p.id, expectedRevision: 1, addVersion: version(3) }),
        ).rejects.toBeInstanceOf(ConflictError)
        const now = await store.find(SCOPE, '/v')
        expect(now).toMatchObject({ revision: 2, latest: { version: 2 } })
        expect((await store.findVersion(p.id, 1))?.value.toString()).toBe('value-1')
        await expect(
          store.applyChange({ parameterId: p.id, expectedRevision: 2, addVersion: version(2) }),
        ).rejects.toEqual(new UniqueViolationError('parameter_version'))
        // The failed transaction changed nothing, not even the revision.
        expect((await store.find(SCOPE, '/v'))?.revision).toBe(2)
        await store.applyChange({
          parameterId: p.id,
          expectedRevision: 2,
          addVersion: version(3),
          dropVersions: [1],
        })
        expect((await store.listVersions(p.id)).map((v) => v.version)).toEqual([2, 3])
        expect(await store.findVersion(p.id, 1)).toBeUndefined()
      }),
    )

    it(
      'moves labels between versions, detaches them, and drops them with their version',
      withStore(async (store) => {
        const p = await store.create(parameter('/l'), version(1))
        await store.applyChange({ parameterId: p.id, expectedRevision: 1, addVersion: version(2) })
        await store.applyChange({
          parameterId: p.id,
          expectedRevision: 2,
          labels: [
            { label: 'prod', version: 1 },
            { label: 'b', version: 1 },
            { label: 'a', version: 1 },
          ],
        })
        expect((await store.findVersion(p.id, 1))?.labels).toEqual(['a', 'b', 'prod'])
        await store.applyChange({
          parameterId: p.id,
          expectedRevision: 3,
          labels: [
            { label: 'prod', version: 2 },
            { label: 'b', version: null },
          ],
        })
        expect((await store.findVersionByLabel(p.id, 'prod'))?.version).toBe(2)
        expect((await store.findVersion(p.id, 1))?.labels).toEqual(['a'])
        expect((await store.find(SCOPE, '/l'))?.latest.labels).toEqual(['prod'])
        await store.applyChange({ parameterId: p.id, expectedRevision: 4, dropVersions: [1] })
        expect(await store.findVersionByLabel(p.id, 'a')).toBeUndefined()
        await expect(
          store.applyChange({ parameterId: p.id, expectedRevision: 5, labels: [{ label: 'x', version: 9 }] }),
        ).rejects.toThrow()
      }),
    )

    it(
      'replaces tags',
      withStore(async (store) => {
        const p = await store.create(parameter('/t'), version(1))
        await store.applyChange({ parameterId: p.id, expectedRevision: 1, tags: [{ Key: 'a', Value: '' }] })
        expect((await store.find(SCOPE, '/t'))?.tags).toEqual([{ Key: 'a', Value: '' }])
      }),
    )

    it(
      'lists by key order: everything, one level under a path, or the whole subtree, resuming after a key',
      withStore(async (store) => {
        const keys = ['/a', '/a/b', '/a/b/c', '/a/c', '/a-z', '/a0', '/ab', '/b', '/root']
        for (const key of [...keys].reverse()) await store.create(parameter(key), version(1))
        await store.create(parameter('/a/x', { region: 'us-east-1' }), version(1))
        const keysOf = async (query: Parameters<SsmStore['list']>[1]) =>
          (await store.list(SCOPE, query)).map((p) => p.key)
        expect(await keysOf({ limit: 100 })).toEqual([...keys].sort())
        expect(await keysOf({ limit: 3, after: '/a/b' })).toEqual(['/a/b/c', '/a/c', '/a0'])
        expect(await keysOf({ limit: 100, under: { path: '/', recursive: false } })).toEqual([
          '/a',
          '/a-z',
          '/a0',
          '/ab',
          '/b',
          '/root',
        ])
        expect(await keysOf({ limit: 100, under: { path: '/a', recursive: false } })).toEqual([
          '/a/b',
          '/a/c',
        ])
        expect(await keysOf({ limit: 100, under: { path: '/a', recursive: true } })).toEqual([
          '/a/b',
          '/a/b/c',
          '/a/c',
        ])
        expect(await keysOf({ limit: 1, after: '/a/b', under: { path: '/a', recursive: true } })).toEqual([
          '/a/b/c',
        ])
        expect(await keysOf({ limit: 100, under: { path: '/', recursive: true } })).toHaveLength(keys.length)
        expect(await keysOf({ limit: 100, under: { path: '/nope', recursive: true } })).toEqual([])
      }),
    )

    it(
      'deletes a parameter with its versions and labels; a key can then be created again from version 1',
      withStore(async (store) => {
        const p = await store.create(parameter('/d'), version(1))
        await store.applyChange({
          parameterId: p.id,
          expectedRevision: 1,
          labels: [{ label: 'x', version: 1 }],
        })
        expect(await store.delete(p.id)).toBe(true)
        expect(await store.delete(p.id)).toBe(false)
        expect(await store.find(SCOPE, '/d')).toBeUndefined()
        expect(await store.listVersions(p.id)).toEqual([])
        const again = await store.create(parameter('/d'), version(1, 'new'))
        expect(again.latest).toMatchObject({ version: 1, labels: [] })
        await expect(
          store.applyChange({ parameterId: p.id, expectedRevision: 2, addVersion: version(2) }),
        ).rejects.toBeInstanceOf(ConflictError)
      }),
    )
  })
}
