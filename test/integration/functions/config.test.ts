/** The config file's `functions:` list, registered by the real server at start. */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../../src/lib/clock.js'
import { openExistingDataDir } from '../../../src/server/bootstrap.js'
import { CodePackages } from '../../../src/server/functions/code.js'
import { Functions } from '../../../src/server/functions/registry.js'
import { SqliteFunctionStore } from '../../../src/server/storage/sqlite/function-store.js'
import { COFFER_BIN, startServer } from '../../support/server.js'

const work = mkdtempSync(join(tmpdir(), 'coffer-functions-config-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const ROLE = 'arn:aws:iam::000000000000:role/rotator'

async function registered(dataDir: string) {
  const data = await openExistingDataDir(dataDir, { clock: systemClock })
  if (data === undefined) throw new Error('no data directory')
  try {
    const store = new SqliteFunctionStore(data.db, data.freshness)
    const registry = new Functions({ store, barrier: data.barrier, packages: new CodePackages(dataDir) })
    const records = await store.list()
    return { records, definitions: await Promise.all(records.map((r) => registry.find(r.arn))) }
  } finally {
    data.db.close()
  }
}

describe('functions in the config file', () => {
  it('are registered at start, and a restart with the same file changes nothing', async () => {
    const code = mkdtempSync(join(work, 'code-'))
    writeFileSync(join(code, 'lambda_function.py'), 'def lambda_handler(event, context): pass\n')
    const keyFile = join(work, 'hook.key')
    writeFileSync(keyFile, `${'w'.repeat(48)}\n`)
    const config = join(work, 'coffer.yaml')
    writeFileSync(
      config,
      [
        'functions:',
        '  - name: py-rotator',
        `    role: ${ROLE}`,
        '    runtime: python',
        '    handler: lambda_function.lambda_handler',
        `    code: ${code}`,
        '    timeout: 120',
        '    environment: { DB_HOST: db.internal }',
        '  - name: hook',
        `    role: ${ROLE}`,
        '    url: https://hooks.example.com/rotate',
        `    signingKeyFile: ${keyFile}`,
        '',
      ].join('\n'),
    )
    const first = await startServer({ args: ['--config', config] })
    await first.stop()
    const once = await registered(first.dataDir)
    expect(once.definitions).toMatchObject([
      {
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:hook',
        code: {
          kind: 'http',
          url: 'https://hooks.example.com/rotate',
          signingKey: Buffer.from('w'.repeat(48)),
        },
      },
      {
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:py-rotator',
        timeoutSeconds: 120,
        code: { kind: 'process', runtime: 'python', environment: { DB_HOST: 'db.internal' } },
      },
    ])

    const second = await startServer({ dataDir: first.dataDir, args: ['--config', config] })
    await second.stop()
    try {
      // Same records: same update times, same code packages, same sealed key.
      expect((await registered(first.dataDir)).records).toEqual(once.records)
    } finally {
      rmSync(first.dataDir, { recursive: true, force: true })
    }
  })

  it('stop the start with a message naming the function when one is wrong', async () => {
    const config = join(work, 'bad.yaml')
    writeFileSync(
      config,
      `functions:\n  - name: broken\n    role: ${ROLE}\n    runtime: nodejs\n    handler: index.handler\n    code: ${join(work, 'missing')}\n`,
    )
    const dataDir = mkdtempSync(join(work, 'data-'))
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [COFFER_BIN, 'server', '--config', config, '--data-dir', dataDir, '--port', '0'],
        (error, _stdout, stderr) => resolve({ code: error === null ? 0 : (error.code as number), stderr }),
      )
    })
    expect(result.code).toBe(78)
    expect(result.stderr).toContain('functions[0] (broken): code')
    expect(result.stderr).toContain('is not a directory')
  })
})
