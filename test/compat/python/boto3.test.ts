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
const SUITE_FILE = resolve(SUITE_DIR, 'test_secretsmanager.py')

interface Run {
  readonly code: number
  readonly output: string
}

function run(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
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

describe('boto3 (Debian python3-boto3) against a real server', () => {
  let server: TestServer
  let home: string
  beforeAll(async () => {
    server = await startServer()
    home = mkdtempSync(join(tmpdir(), 'coffer-boto3-home-'))
  })
  afterAll(async () => {
    await server?.stop({ cleanup: true })
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
  })

  it('passes the unittest suite test_secretsmanager.py', async () => {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: ${INSTALL_HINT}`)
    // A clean environment: nothing AWS-related from the parent, region only from the credentials file.
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
    const probe = await run(
      ['-c', 'import boto3, botocore; print(boto3.__version__, botocore.__version__)'],
      env,
      home,
    )
    if (probe.code !== 0)
      throw new Error(`boto3 is not importable by ${PYTHON}: ${INSTALL_HINT}\n${probe.output}`)

    // `-m unittest test/compat/python/x.py` would import `test.compat...`, which the standard library's
    // own `test` package shadows; discovery imports the file as a top-level module instead.
    const result = await run(
      ['-m', 'unittest', 'discover', '-v', '-s', SUITE_DIR, '-t', SUITE_DIR, '-p', 'test_secretsmanager.py'],
      env,
      home,
    )
    const expected = [...readFileSync(SUITE_FILE, 'utf8').matchAll(/^ {4}def (test_\w+)\(self\)/gm)].length
    const ran = Number(/^Ran (\d+) tests? in /m.exec(result.output)?.[1] ?? -1)
    const verdict = `boto3 ${probe.output.trim()}; exit ${result.code}; ran ${ran} of ${expected}\n${result.output}`
    expect(expected, 'test methods found in test_secretsmanager.py').toBeGreaterThanOrEqual(40)
    expect(result.code, verdict).toBe(0)
    expect(ran, verdict).toBe(expected)
    expect(result.output, verdict).toMatch(/^OK$/m)
  }, 240_000)
})
