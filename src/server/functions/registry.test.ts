import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cryptoRandom } from '../../lib/random.js'
import { Barrier } from '../barrier/barrier.js'
import { openSqlite, type SqliteDb } from '../storage/sqlite/database.js'
import { SqliteFreshness } from '../storage/sqlite/freshness.js'
import { SqliteFunctionStore } from '../storage/sqlite/function-store.js'
import { SqliteKeyringStore } from '../storage/sqlite/keyring-store.js'
import { FunctionAdmin, FunctionConflict, InvalidFunctionSettings } from './admin.js'
import { CodePackageError, CodePackages } from './code.js'
import { Functions } from './registry.js'

const ACCOUNT = '123456789012'
const REGION = 'eu-west-1'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/rotator`

let dir: string
let db: SqliteDb
let admin: FunctionAdmin
let registry: Functions
let now: number

function source(files: Record<string, string>): string {
  const path = mkdtempSync(join(dir, 'src-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(path, name, '..'), { recursive: true })
    writeFileSync(join(path, name), text)
  }
  return path
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'coffer-functions-'))
  db = openSqlite(join(dir, 'coffer.db'))
  const barrier = await Barrier.unseal(cryptoRandom.bytes(32), new SqliteKeyringStore(db), 0)
  const store = new SqliteFunctionStore(db, new SqliteFreshness(db))
  const packages = new CodePackages(join(dir, 'data'))
  now = 1_700_000_000_000
  admin = new FunctionAdmin({
    store,
    barrier,
    packages,
    clock: { now: () => now },
    random: cryptoRandom,
    defaults: { accountId: ACCOUNT, region: REGION },
  })
  registry = new Functions({ store, barrier, packages })
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const arn = (name: string, region = REGION, account = ACCOUNT) =>
  `arn:aws:lambda:${region}:${account}:function:${name}`

describe('Functions.find', () => {
  it('finds every built-in in any account and region, with no qualifier or $LATEST only', async () => {
    for (const [region, account] of [
      ['us-east-1', '000000000000'],
      ['ap-southeast-2', '999988887777'],
    ] as const) {
      const fn = await registry.find(arn('coffer-postgres-single-user', region, account))
      expect(fn).toMatchObject({
        arn: arn('coffer-postgres-single-user', region, account),
        accountId: account,
        region,
        roleArn: `arn:aws:iam::${account}:role/coffer-rotation`,
        code: { kind: 'builtin', name: 'coffer-postgres-single-user' },
      })
      expect(await registry.find(`${arn('coffer-random-password', region, account)}:$LATEST`)).toBeDefined()
    }
    expect(await registry.find(`${arn('coffer-random-password')}:1`)).toBeUndefined()
    expect(await registry.find(arn('coffer-nonexistent'))).toBeUndefined()
    expect(await registry.find('coffer-random-password')).toBeUndefined()
    expect(await registry.find('arn:aws:lambda:eu-west-1:123:function:x')).toBeUndefined()
  })

  it('finds a registered process function by exact ARN, with its own copy of the code', async () => {
    const src = source({ 'index.mjs': 'export const handler = async () => 1', 'lib/util.mjs': 'x' })
    await admin.create({
      name: 'rotate-app',
      role: ROLE,
      runtime: 'nodejs',
      handler: 'index.handler',
      code: src,
      environment: { STAGE: 'prod' },
      timeout: 120,
      memory: 256,
    })
    const fn = await registry.find(arn('rotate-app'))
    expect(fn).toMatchObject({
      arn: arn('rotate-app'),
      accountId: ACCOUNT,
      region: REGION,
      name: 'rotate-app',
      roleArn: ROLE,
      timeoutSeconds: 120,
      memoryMb: 256,
      code: { kind: 'process', runtime: 'nodejs', handler: 'index.handler', environment: { STAGE: 'prod' } },
    })
    expect(await registry.find(`${arn('rotate-app')}:$LATEST`)).toEqual(fn)
    expect(await registry.find(`${arn('rotate-app')}:prod`)).toBeUndefined()
    expect(await registry.find(arn('rotate-app', 'us-east-1'))).toBeUndefined()
    expect(await registry.find(arn('rotate-app', REGION, '000000000000'))).toBeUndefined()
    const codeDir = fn?.code.kind === 'process' ? fn.code.codeDir : ''
    expect(codeDir.startsWith(join(dir, 'data', 'functions', ACCOUNT, REGION, 'rotate-app'))).toBe(true)
    expect(readFileSync(join(codeDir, 'lib/util.mjs'), 'utf8')).toBe('x')
    // The registered function is a snapshot: editing the source changes nothing.
    writeFileSync(join(src, 'index.mjs'), 'changed')
    expect(readFileSync(join(codeDir, 'index.mjs'), 'utf8')).toBe('export const handler = async () => 1')
  })

  it('unseals a webhook signing key, generated and returned once, or given', async () => {
    const created = await admin.create({ name: 'hook', role: ROLE, url: 'https://hooks.example.com/r' })
    expect(created.generatedSigningKey).toMatch(/^[0-9a-f]{64}$/)
    const fn = await registry.find(arn('hook'))
    expect(fn?.code).toEqual({
      kind: 'http',
      url: 'https://hooks.example.com/r',
      signingKey: Buffer.from(created.generatedSigningKey ?? '', 'utf8'),
    })
    const stored = db
      .prepare('SELECT sealed_signing_key FROM lambda_functions WHERE name = ?')
      .pluck()
      .get('hook')
    expect((stored as Buffer).includes(Buffer.from(created.generatedSigningKey ?? ''))).toBe(false)
    // A URL change keeps the key; asking for a new one replaces it.
    const moved = await admin.update({ name: 'hook', url: 'https://hooks.example.com/v2' })
    expect(moved.generatedSigningKey).toBeUndefined()
    expect((await registry.find(arn('hook')))?.code).toMatchObject({
      signingKey: Buffer.from(created.generatedSigningKey ?? ''),
    })
    const renewed = await admin.update({ name: 'hook', newSigningKey: true })
    expect(renewed.generatedSigningKey).not.toBe(created.generatedSigningKey)
    const given = 'k'.repeat(40)
    await admin.update({ name: 'hook', signingKey: given })
    expect((await registry.find(arn('hook')))?.code).toMatchObject({ signingKey: Buffer.from(given) })
  })

  it('sees a function created through another connection at once (no stale cache)', async () => {
    expect(await registry.find(arn('late'))).toBeUndefined()
    const other = openSqlite(join(dir, 'coffer.db'))
    try {
      const barrier = await Barrier.unseal(cryptoRandom.bytes(32), new SqliteKeyringStore(other), 0).catch(
        () => undefined,
      )
      expect(barrier).toBeUndefined() // a different root key cannot open the keyring: this connection only writes
      await new SqliteFunctionStore(other, new SqliteFreshness(other)).create({
        arn: arn('late'),
        accountId: ACCOUNT,
        region: REGION,
        name: 'late',
        roleArn: ROLE,
        timeoutSeconds: 3,
        memoryMb: 128,
        code: {
          kind: 'process',
          runtime: 'python',
          handler: 'app.main',
          codeId: 'x1',
          codeSha256: '0'.repeat(64),
          environment: {},
        },
        createdAt: 1,
        updatedAt: 1,
      })
    } finally {
      other.close()
    }
    expect((await registry.find(arn('late')))?.timeoutSeconds).toBe(3)
  })
})

describe('FunctionAdmin', () => {
  const base = { name: 'fn', role: ROLE, runtime: 'python', handler: 'lambda_function.lambda_handler' }

  it('refuses bad settings with every problem named, and writes nothing', async () => {
    const attempts = [
      { ...base, name: 'coffer-mine', code: source({ a: '' }) },
      { ...base, name: 'bad name', code: source({ a: '' }) },
      { ...base, runtime: 'ruby', code: source({ a: '' }) },
      { ...base, handler: 'nodot', code: source({ a: '' }) },
      { ...base, timeout: 901, code: source({ a: '' }) },
      { ...base, memory: 64, code: source({ a: '' }) },
      { ...base, role: 'arn:aws:iam::999999999999:role/elsewhere', code: source({ a: '' }) },
      { ...base, environment: { AWS_ACCESS_KEY_ID: 'x' }, code: source({ a: '' }) },
      { ...base, code: source({ a: '' }), url: 'https://x.example.com' },
      { name: 'fn', role: ROLE, runtime: 'nodejs' },
      { name: 'fn', runtime: 'nodejs', handler: 'index.handler', code: source({ a: '' }) },
      { name: 'fn', role: ROLE, url: 'ftp://x' },
      { name: 'fn', role: ROLE, url: 'https://x.example.com', signingKey: 'short' },
      { ...base, code: source({ a: '' }), region: 'moon-1' },
    ]
    for (const settings of attempts) {
      await expect(admin.create(settings), JSON.stringify(settings)).rejects.toBeInstanceOf(
        InvalidFunctionSettings,
      )
    }
    await expect(admin.create({ ...base, code: join(dir, 'missing') })).rejects.toBeInstanceOf(
      CodePackageError,
    )
    expect(await admin.list()).toEqual([])
    expect(existsSync(join(dir, 'data', 'functions'))).toBe(false)
  })

  it('creates once, updates only what is given, switches kind only when fully described, deletes with the code', async () => {
    await admin.create({ ...base, code: source({ 'lambda_function.py': 'v1' }), environment: { A_B: '1' } })
    await expect(admin.create({ ...base, code: source({ a: '' }) })).rejects.toBeInstanceOf(FunctionConflict)
    await expect(admin.update({ name: 'other', timeout: 5 })).rejects.toBeInstanceOf(FunctionConflict)

    now += 1000
    await admin.update({ name: 'fn', timeout: 60 })
    const [record] = await admin.list()
    expect(record).toMatchObject({ timeoutSeconds: 60, createdAt: now - 1000, updatedAt: now })
    expect(record?.code).toMatchObject({ runtime: 'python', environment: { A_B: '1' } })

    const first = record?.code.kind === 'process' ? record.code.codeId : ''
    await admin.update({ name: 'fn', code: source({ 'lambda_function.py': 'v2' }) })
    const fn = await registry.find(arn('fn'))
    const codeDir = fn?.code.kind === 'process' ? fn.code.codeDir : ''
    expect(readFileSync(join(codeDir, 'lambda_function.py'), 'utf8')).toBe('v2')
    // The old package is gone; only the current one remains.
    expect(readdirSync(join(codeDir, '..'))).toEqual([codeDir.slice(codeDir.lastIndexOf('/') + 1)])
    expect(codeDir.endsWith(first)).toBe(false)

    await expect(admin.update({ name: 'fn', signingKey: 'x'.repeat(32) })).rejects.toBeInstanceOf(
      InvalidFunctionSettings,
    )
    const hook = await admin.update({ name: 'fn', url: 'https://hooks.example.com/x' })
    expect(hook.generatedSigningKey).toBeDefined()
    expect(existsSync(join(codeDir, '..'))).toBe(false)
    await expect(admin.update({ name: 'fn', runtime: 'nodejs' })).rejects.toThrow(/needs handler.*needs code/)
    await admin.update({
      name: 'fn',
      runtime: 'nodejs',
      handler: 'index.handler',
      code: source({ 'index.js': '' }),
    })
    expect(await registry.find(arn('fn'))).toMatchObject({ code: { kind: 'process', environment: {} } })
    expect(readdirSync(join(codeDir, '..'))).toHaveLength(1)

    await admin.delete({ name: 'fn' })
    expect(await registry.find(arn('fn'))).toBeUndefined()
    expect(existsSync(join(codeDir, '..'))).toBe(false)
    await expect(admin.delete({ name: 'fn' })).rejects.toBeInstanceOf(FunctionConflict)
  })

  it('apply is idempotent: unchanged settings and code write nothing; changed code gets a new package', async () => {
    const src = source({ 'index.js': 'exports.handler = 1' })
    const settings = { name: 'cfg', role: ROLE, runtime: 'nodejs', handler: 'index.handler', code: src }
    expect((await admin.apply(settings)).changed).toBe(true)
    const before = await admin.get({ name: 'cfg' })
    now += 1000
    expect((await admin.apply(settings)).changed).toBe(false)
    expect(await admin.get({ name: 'cfg' })).toEqual(before)
    writeFileSync(join(src, 'index.js'), 'exports.handler = 2')
    expect((await admin.apply(settings)).changed).toBe(true)
    const after = await admin.get({ name: 'cfg' })
    expect(after.updatedAt).toBe(now)
    expect(after.code).not.toEqual(before.code)
    // An environment dropped from the config is dropped from the function.
    await admin.apply({ ...settings, environment: { K1: 'v' } })
    await admin.apply(settings)
    expect((await admin.get({ name: 'cfg' })).code).toMatchObject({ environment: {} })
    const hook = { name: 'cfg-hook', role: ROLE, url: 'https://h.example.com', signingKey: 's'.repeat(32) }
    expect((await admin.apply(hook)).changed).toBe(true)
    expect((await admin.apply(hook)).changed).toBe(false)
    expect((await admin.apply({ ...hook, signingKey: 't'.repeat(32) })).changed).toBe(true)
  })
})
