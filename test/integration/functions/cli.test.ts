/**
 * `coffer functions` (the built CLI) on the data directory of a running server, and on a stopped one.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam'
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../../src/lib/clock.js'
import { openExistingDataDir, type DataDir } from '../../../src/server/bootstrap.js'
import { LAMBDA_TRUST_POLICY } from '../../../src/server/functions/builtin-role.js'
import { CodePackages } from '../../../src/server/functions/code.js'
import { Functions } from '../../../src/server/functions/registry.js'
import { SqliteFunctionStore } from '../../../src/server/storage/sqlite/function-store.js'
import { secretsManagerClient } from '../../support/clients.js'
import { COFFER_BIN, startServer, type TestServer } from '../../support/server.js'
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager'

const ACCOUNT = '000000000000'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app-rotator`
const arn = (name: string, region = 'us-east-1') => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`

let server: TestServer
let work: string
let observer: DataDir
/** A registry on its own connection, like the server's: it must see every CLI change at once. */
let registry: Functions

function coffer(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [COFFER_BIN, 'functions', ...args],
      { env: { ...process.env, COFFER_DATA_DIR: server.dataDir }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        })
      },
    )
  })
}

function codeDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(work, 'code-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'coffer-functions-cli-'))
  server = await startServer()
  const iam = new IAMClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: server.credentials,
  })
  await iam.send(
    new CreateRoleCommand({ RoleName: 'app-rotator', AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY }),
  )
  iam.destroy()
  const data = await openExistingDataDir(server.dataDir, { clock: systemClock })
  if (data === undefined) throw new Error('no data directory')
  observer = data
  registry = new Functions({
    store: new SqliteFunctionStore(data.db, data.freshness),
    barrier: data.barrier,
    packages: new CodePackages(server.dataDir),
  })
})

afterAll(async () => {
  observer?.db.close()
  await server?.stop({ cleanup: true })
  rmSync(work, { recursive: true, force: true })
})

describe('coffer functions', () => {
  it('creates, gets, lists, updates and deletes a process function while the server runs', async () => {
    const src = codeDir({ 'index.mjs': 'export const handler = async () => "v1"' })
    const created = await coffer(
      'create',
      'app-rotator',
      '--role',
      ROLE,
      '--runtime',
      'nodejs',
      '--handler',
      'index.handler',
      '--code',
      src,
      '--timeout',
      '45',
      '--env',
      'STAGE=prod',
      '--env',
      'EMPTY=',
    )
    expect(created).toMatchObject({ code: 0, stderr: '' })
    expect(created.stdout).toContain(`Created process function ${arn('app-rotator')}`)

    const seen = await registry.find(arn('app-rotator'))
    expect(seen).toMatchObject({
      timeoutSeconds: 45,
      code: { kind: 'process', environment: { STAGE: 'prod', EMPTY: '' } },
    })
    const dir = seen?.code.kind === 'process' ? seen.code.codeDir : ''
    expect(dir.startsWith(join(server.dataDir, 'functions', ACCOUNT, 'us-east-1', 'app-rotator'))).toBe(true)
    writeFileSync(join(src, 'index.mjs'), 'export const handler = async () => "v2"')
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toContain('"v1"')

    const got = await coffer('get', 'app-rotator', '--json')
    expect(got.code).toBe(0)
    expect(JSON.parse(got.stdout)).toMatchObject({
      FunctionName: 'app-rotator',
      FunctionArn: arn('app-rotator'),
      Kind: 'process',
      Role: ROLE,
      Runtime: 'nodejs',
      Handler: 'index.handler',
      Timeout: 45,
      MemorySize: 128,
      CodeDirectory: dir,
      Environment: { Variables: { STAGE: 'prod', EMPTY: '' } },
    })
    expect((await coffer('get', 'app-rotator')).stdout).toContain('Handler: index.handler')

    const updated = await coffer('update', 'app-rotator', '--code', src, '--memory', '512')
    expect(updated.code).toBe(0)
    const after = await registry.find(arn('app-rotator'))
    expect(after).toMatchObject({ memoryMb: 512, timeoutSeconds: 45 })
    const newDir = after?.code.kind === 'process' ? after.code.codeDir : ''
    expect(readFileSync(join(newDir, 'index.mjs'), 'utf8')).toContain('"v2"')
    expect(existsSync(dir)).toBe(false)

    const listed = await coffer('list', '--json')
    expect(
      JSON.parse(listed.stdout).Functions.map((f: { FunctionName: string }) => f.FunctionName),
    ).toContain('app-rotator')
    expect((await coffer('list')).stdout).toMatch(
      /^NAME\s+KIND[\s\S]*app-rotator\s+process\s+nodejs index.handler/m,
    )

    expect(await coffer('delete', 'app-rotator')).toMatchObject({ code: 0 })
    expect(await registry.find(arn('app-rotator'))).toBeUndefined()
    expect(existsSync(newDir)).toBe(false)
    // The server was serving all along.
    await secretsManagerClient(server).send(new ListSecretsCommand({}))
  })

  it('creates a webhook, prints its signing key once, and never shows it again', async () => {
    const created = await coffer(
      'create',
      'hook',
      '--role',
      ROLE,
      '--url',
      'https://hooks.example.com/rotate',
      '--region',
      'eu-west-1',
    )
    expect(created.code).toBe(0)
    const key = /Signing key[^:]*: ([0-9a-f]{64})\n/.exec(created.stdout)?.[1]
    expect(key).toBeDefined()
    const fn = await registry.find(arn('hook', 'eu-west-1'))
    expect(fn?.code).toEqual({
      kind: 'http',
      url: 'https://hooks.example.com/rotate',
      signingKey: Buffer.from(key ?? ''),
    })
    for (const args of [
      ['get', 'hook', '--region', 'eu-west-1', '--json'],
      ['get', 'hook', '--region', 'eu-west-1'],
      ['list', '--json'],
    ]) {
      const out = await coffer(...args)
      expect(out.code).toBe(0)
      expect(out.stdout).not.toContain(key)
    }
    const moved = await coffer(
      'update',
      'hook',
      '--region',
      'eu-west-1',
      '--url',
      'https://hooks.example.com/v2',
    )
    expect(moved.stdout).not.toContain('Signing key')
    const keyFile = join(work, 'key')
    writeFileSync(keyFile, `${'s'.repeat(40)}\n`)
    expect(
      (await coffer('update', 'hook', '--region', 'eu-west-1', '--signing-key-file', keyFile)).code,
    ).toBe(0)
    expect((await registry.find(arn('hook', 'eu-west-1')))?.code).toMatchObject({
      signingKey: Buffer.from('s'.repeat(40)),
    })
  })

  it('answers bad input with status 2 and impossible changes with status 1, changing nothing', async () => {
    const src = codeDir({ 'a.py': '' })
    const proc = ['--role', ROLE, '--runtime', 'python', '--handler', 'a.handler', '--code', src]
    const cases: [string[], number, RegExp][] = [
      [['create', 'coffer-random-password', ...proc], 2, /reserved for the built-in rotators/],
      [['create', 'x1', ...proc, '--timeout', 'soon'], 2, /--timeout must be a whole number/],
      [['create', 'x1', '--role', ROLE, '--runtime', 'python'], 2, /needs handler[\s\S]*needs code/],
      [
        [
          'create',
          'x1',
          '--role',
          ROLE,
          '--runtime',
          'python',
          '--handler',
          'a.b',
          '--code',
          join(work, 'nope'),
        ],
        2,
        /does not exist/,
      ],
      [['create', 'x1', ...proc, '--colour', 'red'], 2, /Unknown option/],
      [['get', 'nope'], 1, /does not exist/],
      [['delete', 'nope'], 1, /does not exist/],
    ]
    const results = await Promise.all(cases.map(([args]) => coffer(...args)))
    cases.forEach(([args, code, message], i) => {
      expect({ args, code: results[i]?.code }).toEqual({ args, code })
      expect(results[i]?.stderr).toMatch(message)
    })
    expect(await coffer('create', 'dup', ...proc)).toMatchObject({ code: 0 })
    const again = await coffer('create', 'dup', ...proc, '--timeout', '99')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already exists')
    expect((await registry.find(arn('dup')))?.timeoutSeconds).toBe(30)
    expect(await registry.find(arn('x1'))).toBeUndefined()

    const untrusted = await coffer(
      'create',
      'orphan',
      '--role',
      `arn:aws:iam::${ACCOUNT}:role/not-yet`,
      '--url',
      'https://x.example.com',
    )
    expect(untrusted.code).toBe(0)
    expect(untrusted.stderr).toContain('does not exist yet')
  })

  it('works on a stopped server and needs an initialised data directory', async () => {
    const empty = mkdtempSync(join(work, 'empty-'))
    const none = await coffer('list', '--data-dir', empty)
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('no Coffer data directory')
    expect(existsSync(join(empty, 'coffer.db'))).toBe(false)

    const stopped = await startServer()
    await stopped.stop()
    try {
      const src = codeDir({ 'index.js': '' })
      mkdirSync(join(src, 'lib'))
      const created = await coffer(
        'create',
        'offline',
        '--data-dir',
        stopped.dataDir,
        '--role',
        `arn:aws:iam::${ACCOUNT}:role/r`,
        '--runtime',
        'nodejs',
        '--handler',
        'index.handler',
        '--code',
        src,
      )
      expect(created.code).toBe(0)
      const listed = await coffer('list', '--json', '--data-dir', stopped.dataDir)
      expect(JSON.parse(listed.stdout).Functions).toHaveLength(1)
    } finally {
      rmSync(stopped.dataDir, { recursive: true, force: true })
    }
  })
})
