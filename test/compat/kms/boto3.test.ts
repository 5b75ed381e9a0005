import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'

/** The Debian interpreter: `python3` on the PATH may be another install without boto3. */
const PYTHON = '/usr/bin/python3'
const INSTALL_HINT = 'apt-get install awscli python3-boto3'
const SUITE_DIR = import.meta.dirname
const SUITE_FILE = resolve(SUITE_DIR, 'test_kms.py')

function run(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolveRun) => {
    execFile(
      PYTHON,
      args,
      { env, cwd, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolveRun({ code, output: `${stdout}${stderr}` })
      },
    )
  })
}

describe('boto3 (Debian python3-boto3) against a real server: KMS', () => {
  let server: TestServer
  let home: string
  beforeAll(async () => {
    server = await startServer()
    home = mkdtempSync(join(tmpdir(), 'coffer-boto3-kms-home-'))
  })
  afterAll(async () => {
    await server?.stop({ cleanup: true })
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
  })

  it('passes the unittest suite test_kms.py', async () => {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: ${INSTALL_HINT}`)
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONNOUSERSITE: '1',
      COFFER_ENDPOINT: server.endpoint,
      AWS_SHARED_CREDENTIALS_FILE: server.credentialsPath,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    }
    // Discovery imports the file as a top-level module (`test.compat...` would hit the stdlib's `test`).
    const result = await run(
      ['-m', 'unittest', 'discover', '-v', '-s', SUITE_DIR, '-t', SUITE_DIR, '-p', 'test_kms.py'],
      env,
      home,
    )
    const expected = [...readFileSync(SUITE_FILE, 'utf8').matchAll(/^ {4}def (test_\w+)\(self\)/gm)].length
    const ran = Number(/^Ran (\d+) tests? in /m.exec(result.output)?.[1] ?? -1)
    const verdict = `exit ${result.code}; ran ${ran} of ${expected}\n${result.output}`
    expect(expected).toBeGreaterThanOrEqual(13)
    expect(result.code, verdict).toBe(0)
    expect(ran, verdict).toBe(expected)
    expect(result.output, verdict).toMatch(/^OK$/m)
  }, 240_000)
})
