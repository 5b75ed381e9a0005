import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OUTPUT_LIMIT_BYTES, type FunctionCode } from '../../../src/server/functions/contract.js'
import { runProcess } from '../../../src/server/functions/runners/process.js'
import { secretsManagerClient } from '../../support/clients.js'
import { codeDirectory, invocation, type InvocationOptions } from '../../support/functions.js'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'

const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const
const directories: string[] = []

function code(
  runtime: 'nodejs' | 'python',
  handler: string,
  source: Readonly<Record<string, string>> | string,
  environment: Record<string, string> = {},
): FunctionCode {
  const codeDir = codeDirectory(source)
  directories.push(codeDir)
  return { kind: 'process', runtime, handler, codeDir, environment }
}

function run(options: InvocationOptions) {
  return runProcess(invocation(options))
}

/** True while `pid` runs (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

afterAll(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true })
})

describe('rotation functions written for Lambda rotate a secret against a real server', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    await server?.stop({ cleanup: true })
  })

  it.each([
    ['python', 'lambda_function.lambda_handler', 'python-generic'],
    ['nodejs', 'index.handler', 'node-generic'],
  ] as const)(
    '%s: the four steps make a new AWSCURRENT, the old value AWSPREVIOUS',
    async (runtime, handler, fixture) => {
      const sm = secretsManagerClient(server)
      const created = await sm.send(
        new CreateSecretCommand({ Name: uniqueName('rotated'), SecretString: 'initial' }),
      )
      const fnCode = code(runtime, handler, fixture, { REQUIRE_ROTATION_ENABLED: 'false' })
      const token = randomUUID()
      for (const step of STEPS) {
        const result = await run({
          code: fnCode,
          event: { Step: step, SecretId: created.ARN ?? '', ClientRequestToken: token },
          credentials: { ...server.credentials, sessionToken: '' },
          endpoint: server.endpoint,
          region: server.credentials.region,
        })
        expect(result, `${step}: ${result.output}`).toMatchObject({ ok: true })
      }
      const current = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN }))
      expect(current.VersionId).toBe(token)
      expect(current.SecretString).toMatch(/^[^/@"'\\]{32}$/)
      const previous = await sm.send(
        new GetSecretValueCommand({ SecretId: created.ARN, VersionStage: 'AWSPREVIOUS' }),
      )
      expect(previous.SecretString).toBe('initial')
      expect(previous.VersionId).toBe(created.VersionId)
      const stages = (await sm.send(new DescribeSecretCommand({ SecretId: created.ARN }))).VersionIdsToStages
      // AWSPENDING stays with the new current version until the rotation engine clears it (spec §3.7).
      expect(stages?.[token]).toEqual(['AWSCURRENT', 'AWSPENDING'])
      expect(stages?.[created.VersionId ?? '']).toEqual(['AWSPREVIOUS'])
    },
  )

  it('a failing step is a failure result carrying the function error, and changes nothing itself', async () => {
    // Without REQUIRE_ROTATION_ENABLED=false the template refuses a secret that is not enabled for rotation.
    const sm = secretsManagerClient(server)
    const created = await sm.send(new CreateSecretCommand({ Name: uniqueName('refused'), SecretString: 'v' }))
    const result = await run({
      code: code('python', 'lambda_function.lambda_handler', 'python-generic'),
      event: { SecretId: created.ARN ?? '' },
      credentials: { ...server.credentials, sessionToken: '' },
      endpoint: server.endpoint,
      region: server.credentials.region,
    })
    expect(result.ok).toBe(false)
    expect(result.error).toEqual({
      type: 'ValueError',
      message: `Secret ${created.ARN} is not enabled for rotation`,
    })
    expect(result.output).toContain('Traceback (most recent call last)')
    const stages = (await sm.send(new DescribeSecretCommand({ SecretId: created.ARN }))).VersionIdsToStages
    expect(Object.keys(stages ?? {})).toEqual([created.VersionId])
  })
})

describe('what a function gets', () => {
  const LEAK = `COFFER_RUNNER_LEAK_${randomUUID().slice(0, 8)}`
  beforeAll(() => {
    process.env[LEAK] = 'server-side value'
  })
  afterAll(() => {
    delete process.env[LEAK]
  })
  const expectedKeys = (runtime: 'nodejs' | 'python') =>
    [
      'PATH',
      'LANG',
      'TZ',
      ...(runtime === 'nodejs' ? ['NODE_PATH'] : []),
      'FUNCTION_SETTING',
      'HOME',
      'TMPDIR',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_ENDPOINT_URL',
      'SECRETS_MANAGER_ENDPOINT',
      'AWS_LAMBDA_FUNCTION_NAME',
      'AWS_LAMBDA_FUNCTION_VERSION',
      'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
      'AWS_LAMBDA_FUNCTION_TIMEOUT',
      'AWS_LAMBDA_LOG_GROUP_NAME',
      'AWS_LAMBDA_LOG_STREAM_NAME',
      'LAMBDA_TASK_ROOT',
      '_HANDLER',
    ].sort()

  it.each([
    [
      'nodejs',
      'index.handler',
      {
        'index.mjs': `export const handler = async (event, context) => {
  console.log('REPORT ' + JSON.stringify({ event, env: process.env, context: { ...context, remaining: context.getRemainingTimeInMillis() } }))
}`,
      },
    ],
    [
      'python',
      'lambda_function.lambda_handler',
      {
        'lambda_function.py': `import json, os
def lambda_handler(event, context):
    c = {k: getattr(context, k) for k in ('aws_request_id', 'function_name', 'function_version', 'invoked_function_arn', 'memory_limit_in_mb', 'log_group_name', 'log_stream_name')}
    c['remaining'] = context.get_remaining_time_in_millis()
    print('REPORT ' + json.dumps({'event': event, 'env': dict(os.environ), 'context': c}))
`,
      },
    ],
  ] as const)(
    '%s: the event, Lambda context and a clean Lambda environment',
    async (runtime, handler, files) => {
      const fnCode = code(runtime, handler, files, { FUNCTION_SETTING: 'on' })
      const call = invocation({
        code: fnCode,
        timeoutSeconds: 20,
        memoryMb: 256,
        credentials: {
          accessKeyId: 'ASIAEXAMPLE',
          secretAccessKey: 'secret-key',
          sessionToken: 'session-token',
        },
        endpoint: 'http://127.0.0.1:4566',
        region: 'eu-west-1',
      })
      const result = await runProcess(call)
      expect(result, result.output).toMatchObject({ ok: true })
      const line = result.output.split('\n').find((l) => l.startsWith('REPORT ')) ?? ''
      const report = JSON.parse(line.slice('REPORT '.length)) as {
        event: unknown
        env: Record<string, string>
        context: Record<string, unknown>
      }
      expect(report.event).toEqual(call.event)
      expect(Object.keys(report.env).sort()).toEqual(expectedKeys(runtime))
      expect(report.env).toMatchObject({
        PATH: '/usr/local/bin:/usr/bin:/bin',
        FUNCTION_SETTING: 'on',
        AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret-key',
        AWS_SESSION_TOKEN: 'session-token',
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
        SECRETS_MANAGER_ENDPOINT: 'http://127.0.0.1:4566',
        AWS_LAMBDA_FUNCTION_NAME: call.fn.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_FUNCTION_TIMEOUT: '20',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${call.fn.name}`,
        LAMBDA_TASK_ROOT: fnCode.kind === 'process' ? fnCode.codeDir : '',
        _HANDLER: handler,
      })
      expect(report.env.TMPDIR).toBe(report.env.HOME)
      expect(existsSync(report.env.HOME ?? '/')).toBe(false)
      expect(JSON.stringify(report.env)).not.toContain(LEAK)
      const context = report.context
      const remaining = context.remaining as number
      delete context.remaining
      expect(remaining).toBeGreaterThan(0)
      expect(remaining).toBeLessThanOrEqual(20_000)
      const expected =
        runtime === 'nodejs'
          ? {
              awsRequestId: call.requestId,
              functionName: call.fn.name,
              functionVersion: '$LATEST',
              invokedFunctionArn: call.fn.arn,
              memoryLimitInMB: '256',
              logGroupName: `/aws/lambda/${call.fn.name}`,
              logStreamName: report.env.AWS_LAMBDA_LOG_STREAM_NAME,
            }
          : {
              aws_request_id: call.requestId,
              function_name: call.fn.name,
              function_version: '$LATEST',
              invoked_function_arn: call.fn.arn,
              memory_limit_in_mb: '256',
              log_group_name: `/aws/lambda/${call.fn.name}`,
              log_stream_name: report.env.AWS_LAMBDA_LOG_STREAM_NAME,
            }
      expect(context).toMatchObject(expected)
      expect(report.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
    },
  )
})

describe('handlers as Lambda loads them', () => {
  it('CommonJS with a callback, requiring the AWS SDK the function does not ship', async () => {
    const result = await run({
      code: code('nodejs', 'index.handler', {
        'index.js': `const { SecretsManagerClient } = require('@aws-sdk/client-secrets-manager')
exports.handler = function (event, context, callback) {
  setTimeout(() => { console.log('sdk', typeof SecretsManagerClient); callback(null, { done: true }) }, 20)
}`,
      }),
    })
    expect(result).toMatchObject({ ok: true, output: 'sdk function\n' })
  })

  it('a callback error fails the invocation with its type and message', async () => {
    const result = await run({
      code: code('nodejs', 'index.handler', {
        'index.cjs': `exports.handler = (event, context, callback) => callback(new RangeError('out of range'))`,
      }),
    })
    expect(result).toMatchObject({ ok: false, error: { type: 'RangeError', message: 'out of range' } })
  })

  it('callbackWaitsForEmptyEventLoop = false answers without waiting for pending timers', async () => {
    const result = await run({
      timeoutSeconds: 5,
      code: code('nodejs', 'index.handler', {
        'index.js': `exports.handler = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = false
  setTimeout(() => {}, 60_000)
  callback(null, 'done')
}`,
      }),
    })
    expect(result, result.output).toMatchObject({ ok: true })
  })

  it.each([
    [
      'nodejs',
      'src/app.handler',
      { 'src/app.mjs': 'export const handler = async () => console.log("nested")' },
    ],
    ['python', 'pkg/mod.handler', { 'pkg/mod.py': 'def handler(event, context):\n    print("nested")\n' }],
  ] as const)('%s: a handler in a subdirectory (%s)', async (runtime, handler, files) => {
    const result = await run({ code: code(runtime, handler, files) })
    expect(result).toMatchObject({ ok: true, output: 'nested\n' })
  })

  it.each([
    [
      'nodejs',
      'index.handler',
      { 'other.mjs': '' },
      'Runtime.ImportModuleError',
      "Error: Cannot find module 'index'",
    ],
    [
      'nodejs',
      'index.missing',
      { 'index.mjs': 'export const handler = 1' },
      'Runtime.HandlerNotFound',
      'index.missing is undefined or not exported',
    ],
    ['nodejs', 'index', { 'index.mjs': '' }, 'Runtime.MalformedHandlerName', 'Bad handler'],
    [
      'python',
      'nothere.handler',
      { 'other.py': '' },
      'Runtime.ImportModuleError',
      "Unable to import module 'nothere': No module named 'nothere'",
    ],
    [
      'python',
      'mod.missing',
      { 'mod.py': '' },
      'Runtime.HandlerNotFound',
      "Handler 'missing' missing on module 'mod'",
    ],
    [
      'python',
      'mod.handler',
      { 'mod.py': 'import datetime\ndef handler(e, c):\n    return datetime.datetime.now()\n' },
      'Runtime.MarshalError',
      'Unable to marshal response: Object of type datetime is not JSON serializable',
    ],
  ] as const)('%s handler %s with %j fails as %s', async (runtime, handler, files, type, message) => {
    const result = await run({ code: code(runtime, handler, files) })
    expect(result).toMatchObject({ ok: false, error: { type, message } })
  })
})

describe('failures', () => {
  it('a missing interpreter is an exit error naming it', async () => {
    const previous = process.env.COFFER_PYTHON
    process.env.COFFER_PYTHON = '/nonexistent/python3'
    try {
      const result = await run({ code: code('python', 'mod.handler', { 'mod.py': '' }) })
      expect(result).toMatchObject({ ok: false, error: { type: 'Runtime.ExitError' } })
      expect(result.error?.message).toMatch(/Runtime exited with error: exit status 127$/)
      expect(result.output).toContain('/nonexistent/python3')
    } finally {
      if (previous === undefined) delete process.env.COFFER_PYTHON
      else process.env.COFFER_PYTHON = previous
    }
  })

  it('Python: an exception is Lambda error shape, errorType the class name; printed results do not count', async () => {
    const result = await run({
      code: code('python', 'lambda_function.lambda_handler', {
        'lambda_function.py': `class RotationFailed(Exception):
    pass
def lambda_handler(event, context):
    print('{"ok": true}')
    raise RotationFailed('cannot reach the database')
`,
      }),
    })
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'RotationFailed', message: 'cannot reach the database' },
    })
    expect(result.output).toContain('[ERROR] RotationFailed: cannot reach the database')
  })

  it('Node.js: a rejected promise is Lambda error shape', async () => {
    const result = await run({
      code: code('nodejs', 'index.handler', {
        'index.mjs': `export const handler = async () => { console.log('{"ok":true}'); throw new TypeError('bad input') }`,
      }),
    })
    expect(result).toMatchObject({ ok: false, error: { type: 'TypeError', message: 'bad input' } })
  })

  it.each([
    [
      'nodejs',
      'index.handler',
      { 'index.mjs': 'export const handler = async () => process.exit(3)' },
      'Runtime exited with error: exit status 3',
    ],
    [
      'python',
      'mod.handler',
      { 'mod.py': 'import os\ndef handler(e, c):\n    os._exit(0)\n' },
      'Runtime exited without providing a reason',
    ],
    [
      'python',
      'mod.handler',
      { 'mod.py': 'import os, signal\ndef handler(e, c):\n    os.kill(os.getpid(), signal.SIGSEGV)\n' },
      'Runtime exited with error: signal: segmentation fault',
    ],
  ] as const)(
    '%s: exiting without a result is Runtime.ExitError (%s)',
    async (runtime, handler, files, reason) => {
      const call = invocation({ code: code(runtime, handler, files) })
      const result = await runProcess(call)
      expect(result).toMatchObject({
        ok: false,
        error: { type: 'Runtime.ExitError', message: `RequestId: ${call.requestId} Error: ${reason}` },
      })
    },
  )

  it('a handler past its timeout is killed with its whole process group, grandchildren included', async () => {
    const result = await run({
      timeoutSeconds: 2,
      code: code('nodejs', 'index.handler', {
        'index.mjs': `import { spawn } from 'node:child_process'
export const handler = async () => {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' })
  console.log('grandchild ' + child.pid)
  await new Promise(() => setInterval(() => {}, 1000))
}`,
      }),
    })
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'Sandbox.Timedout', message: 'Task timed out after 2.00 seconds' },
    })
    const pid = Number(/grandchild (\d+)/.exec(result.output)?.[1])
    expect(pid).toBeGreaterThan(0)
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20))
    expect(alive(pid)).toBe(false)
  })

  it('Python: a sleeping handler times out', async () => {
    const result = await run({
      timeoutSeconds: 1,
      code: code('python', 'mod.handler', {
        'mod.py': 'import time\ndef handler(e, c):\n    time.sleep(600)\n',
      }),
    })
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'Sandbox.Timedout', message: 'Task timed out after 1.00 seconds' },
    })
  })

  it('Python: memory beyond the function size fails with MemoryError, within it works', async () => {
    const result = await run({
      memoryMb: 128,
      code: code('python', 'mod.handler', {
        'mod.py': `def handler(e, c):
    small = bytearray(64 << 20)
    print('allocated', len(small) >> 20)
    big = bytearray(1 << 30)
`,
      }),
    })
    expect(result).toMatchObject({ ok: false, error: { type: 'MemoryError' } })
    expect(result.output).toContain('allocated 64')
  })

  it('Node.js: a heap beyond the function size ends the runtime', async () => {
    const result = await run({
      memoryMb: 128,
      code: code('nodejs', 'index.handler', {
        'index.mjs': `export const handler = async () => {
  const kept = []
  for (;;) kept.push(new Array(1 << 20).fill(0.5))
}`,
      }),
    })
    expect(result).toMatchObject({ ok: false, error: { type: 'Runtime.ExitError' } })
    expect(result.output).toContain('JavaScript heap out of memory')
  })

  it('output past the limit is truncated, with a note', async () => {
    const result = await run({
      code: code('nodejs', 'index.handler', {
        'index.mjs': `export const handler = async () => {
  for (let i = 0; i < 4000; i++) console.log(String(i).padStart(8, '0') + 'x'.repeat(40))
}`,
      }),
    })
    expect(result.ok).toBe(true)
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES)
    expect(Buffer.byteLength(result.output)).toBeGreaterThan(OUTPUT_LIMIT_BYTES - 100)
    expect(result.output.startsWith('00000000xxxx')).toBe(true)
    expect(result.output).toMatch(/\[output truncated: more than 65536 bytes\]\n$/)
  })

  it('stdout and stderr arrive interleaved as printed', async () => {
    const result = await run({
      code: code('python', 'mod.handler', {
        'mod.py':
          'import sys\ndef handler(e, c):\n    print("one")\n    sys.stderr.write("two\\n")\n    print("three")\n',
      }),
    })
    expect(result).toMatchObject({ ok: true, output: 'one\ntwo\nthree\n' })
  })

  it('a missing code directory is a failure result, not an exception', async () => {
    const call = invocation({
      code: {
        kind: 'process',
        runtime: 'python',
        handler: 'a.b',
        codeDir: `/nonexistent/${randomUUID()}`,
        environment: {},
      },
    })
    const result = await runProcess(call)
    expect(result).toMatchObject({
      ok: false,
      error: {
        type: 'Runtime.InvalidEntrypoint',
        message: `RequestId: ${call.requestId} Error: the function's code directory does not exist`,
      },
    })
  })
})
