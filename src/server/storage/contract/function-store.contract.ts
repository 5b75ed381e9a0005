import { describe, expect, it } from 'vitest'
import type { FunctionRecord, FunctionStore } from '../../functions/store.js'

/**
 * The contract of the function registry's storage port. `open` returns a fresh, empty store on real
 * storage, and `other()` a second store on the same storage through its own connection (another
 * process, as far as the adapter can tell).
 */
export type OpenFunctionStore = () => Promise<{
  store: FunctionStore
  other: () => FunctionStore
  close: () => Promise<void>
}>

const ACCOUNT = '111122223333'

export function processFunction(name: string, overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  const region = overrides.region ?? 'us-east-1'
  const accountId = overrides.accountId ?? ACCOUNT
  return {
    arn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
    accountId,
    region,
    name,
    roleArn: `arn:aws:iam::${accountId}:role/rotator`,
    timeoutSeconds: 30,
    memoryMb: 128,
    code: {
      kind: 'process',
      runtime: 'nodejs',
      handler: 'index.handler',
      codeId: 'abc123',
      codeSha256: 'ab'.repeat(32),
      environment: { STAGE: 'prod', EMPTY: '' },
    },
    createdAt: 1_000,
    updatedAt: 1_000,
    ...overrides,
  }
}

export function httpFunction(name: string, overrides: Partial<FunctionRecord> = {}): FunctionRecord {
  return processFunction(name, {
    code: {
      kind: 'http',
      url: 'https://hooks.example.com/rotate',
      sealedSigningKey: Buffer.from([1, 0, 255]),
    },
    ...overrides,
  })
}

export function functionStoreContract(adapter: string, open: OpenFunctionStore): void {
  const withStore = (test: (s: Awaited<ReturnType<OpenFunctionStore>>) => Promise<void>) => async () => {
    const opened = await open()
    try {
      await test(opened)
    } finally {
      await opened.close()
    }
  }

  describe(`FunctionStore contract: ${adapter}`, () => {
    it(
      'stores both kinds and reads them back unchanged, by exact ARN',
      withStore(async ({ store }) => {
        const proc = processFunction('rotate-db')
        const hook = httpFunction('rotate-hook')
        expect(await store.find(proc.arn)).toBeUndefined()
        expect(await store.create(proc)).toBe(true)
        expect(await store.create(hook)).toBe(true)
        expect(await store.find(proc.arn)).toEqual(proc)
        expect(await store.find(hook.arn)).toEqual(hook)
        expect(await store.find(`${proc.arn}:$LATEST`)).toBeUndefined()
        expect(await store.find(proc.arn.replace('us-east-1', 'eu-west-1'))).toBeUndefined()
      }),
    )

    it(
      'lists in order, narrowed by account and region',
      withStore(async ({ store }) => {
        const b = processFunction('b')
        const a = processFunction('a')
        const other = processFunction('a', { region: 'eu-west-1' })
        const elsewhere = processFunction('a', { accountId: '444455556666' })
        for (const fn of [b, a, other, elsewhere]) expect(await store.create(fn)).toBe(true)
        expect((await store.list()).map((f) => f.arn)).toEqual([other.arn, a.arn, b.arn, elsewhere.arn])
        expect(await store.list({ accountId: ACCOUNT, region: 'us-east-1' })).toEqual([a, b])
        expect(await store.list({ region: 'eu-west-1' })).toEqual([other])
        expect(await store.list({ accountId: '999999999999' })).toEqual([])
      }),
    )

    it(
      'creates once, updates only what exists (keeping the creation date), deletes once',
      withStore(async ({ store }) => {
        const fn = processFunction('once')
        expect(await store.update(fn)).toBe(false)
        expect(await store.find(fn.arn)).toBeUndefined()
        expect(await store.create(fn)).toBe(true)
        expect(await store.create({ ...fn, timeoutSeconds: 99 })).toBe(false)
        expect((await store.find(fn.arn))?.timeoutSeconds).toBe(30)
        const changed = httpFunction('once', { createdAt: 5, updatedAt: 9_000, timeoutSeconds: 900 })
        expect(await store.update(changed)).toBe(true)
        expect(await store.find(fn.arn)).toEqual({ ...changed, createdAt: fn.createdAt })
        expect(await store.delete(fn.arn)).toBe(true)
        expect(await store.delete(fn.arn)).toBe(false)
        expect(await store.find(fn.arn)).toBeUndefined()
      }),
    )

    it(
      'refuses records that break an invariant, and stores nothing',
      withStore(async ({ store }) => {
        const bad: FunctionRecord[] = [
          processFunction('t0', { timeoutSeconds: 0 }),
          processFunction('t901', { timeoutSeconds: 901 }),
          processFunction('m127', { memoryMb: 127 }),
          processFunction('m10241', { memoryMb: 10241 }),
          processFunction('coffer-mine'),
          processFunction('Coffer-Mine'),
          processFunction('bad.name'),
          processFunction('x'.repeat(65)),
          { ...processFunction('renamed'), name: 'other' },
          { ...processFunction('acct'), accountId: '12345' },
          processFunction('role', { roleArn: 'arn:aws:iam::111122223333:user/alice' }),
          processFunction('late', { updatedAt: 999 }),
          httpFunction('ftp', {
            code: { kind: 'http', url: 'ftp://x', sealedSigningKey: Buffer.from([1]) },
          }),
        ]
        for (const fn of bad) {
          await expect(store.create(fn), fn.name).rejects.toThrow()
          expect(await store.find(fn.arn)).toBeUndefined()
        }
        const fn = processFunction('ok')
        await store.create(fn)
        await expect(store.update({ ...fn, memoryMb: 20_000 })).rejects.toThrow()
        expect(await store.find(fn.arn)).toEqual(fn)
      }),
    )

    it(
      'makes a commit visible to other connections, and lets exactly one of two racing creates win',
      withStore(async ({ store, other }) => {
        const second = other()
        const fn = processFunction('shared')
        const results = await Promise.all([store.create(fn), second.create({ ...fn, timeoutSeconds: 60 })])
        expect(results.filter(Boolean)).toHaveLength(1)
        const seen = await second.find(fn.arn)
        expect(seen).toEqual(await store.find(fn.arn))
        expect(await second.update({ ...fn, timeoutSeconds: 77 })).toBe(true)
        expect((await store.find(fn.arn))?.timeoutSeconds).toBe(77)
        expect(await second.delete(fn.arn)).toBe(true)
        expect(await store.find(fn.arn)).toBeUndefined()
      }),
    )
  })
}
