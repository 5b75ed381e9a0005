/**
 * Property-based fuzzing of every Secrets Manager operation of the generated operation table, with
 * properly signed raw HTTP requests (the server's own validation is what runs, not the SDK's).
 *
 * Properties, for every request:
 * - the status is never 5xx, except exactly 501 NotImplemented for the three operations Coffer doesn't
 *   implement yet;
 * - every error carries `x-amzn-ErrorType` and a JSON body `{__type, Message}` whose type is one of the
 *   operation's modelled errors or one of the errors every AWS JSON service may answer;
 * - a rejected request writes nothing: the rows of `secrets`, `secret_versions` and `secret_stages`
 *   (without the read-tracking `last_accessed_at`) are unchanged, read through a second, read-only
 *   SQLite connection while the server runs. A 200 may change them and becomes the new reference.
 *
 * Reproduce a failure with the seed printed by fast-check (or at the start): FUZZ_SEED=<seed>.
 * FUZZ_RUNS sets the number of requests per operation (default 120).
 */
import fc from 'fast-check'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operations } from '../../src/aws-api/secretsmanager/operations.js'
import { openReadOnly, SnapshotTracker, type Db } from '../support/db-snapshot.js'
import { startServer, type TestServer } from '../support/server.js'
import {
  awsError,
  closeAgents,
  prepare,
  send,
  smCall,
  smRequest,
  type RawResponse,
} from '../support/signed-http.js'
import { ensureFixtures } from './fuzz/fixtures.js'
import { describeBody, encodeBody, requestBody, type FuzzBody, type OperationName } from './fuzz/inputs.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 120)
const BASE_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
const MAX_BODY = 1024 * 1024

/** Answered with 501 NotImplemented once their input validates. */
const NOT_IMPLEMENTED = new Set<string>([
  'ReplicateSecretToRegions',
  'RemoveRegionsFromReplication',
  'StopReplicationToReplica',
])

/** Errors any awsJson1_1 operation may answer without the model listing them (spec §1.1). */
const COMMON_ERRORS = [
  'ValidationException',
  'SerializationException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'ThrottlingException',
  'UnknownOperationException',
  'RequestEntityTooLargeException',
] as const

const OPERATION_NAMES = Object.keys(operations) as OperationName[]

let server: TestServer
let db: Db
let tracker: SnapshotTracker
let accountId: string
const stats: Record<string, Record<string, number>> = {}

function count(op: string, outcome: string): void {
  const perOp = (stats[op] ??= {})
  perOp[outcome] = (perOp[outcome] ?? 0) + 1
}

/** The protocol-level properties every response must satisfy. */
function checkResponse(op: string, res: RawResponse, allowed: ReadonlySet<string>, what: string): void {
  expect(res.headers['x-amzn-requestid'], what).toMatch(/^[0-9a-f-]{36}$/)
  if (res.status === 200) {
    expect(res.headers['x-amzn-errortype'], what).toBeUndefined()
    expect(
      typeof res.json === 'object' && res.json !== null && !Array.isArray(res.json),
      `200 body is a JSON object: ${what}`,
    ).toBe(true)
    return
  }
  const error = awsError(res)
  const type = error?.type ?? ''
  if (res.status >= 500) {
    expect(
      NOT_IMPLEMENTED.has(op) && res.status === 501 && type === 'NotImplemented',
      `unexpected ${res.status} ${res.text} for ${what}`,
    ).toBe(true)
  } else {
    expect(res.status, `status for ${what}: ${res.text}`).toBeGreaterThanOrEqual(400)
    expect(allowed.has(type), `__type '${type}' not modelled for ${op} (${res.text}) for ${what}`).toBe(true)
  }
  expect(res.headers['x-amzn-errortype'], `x-amzn-ErrorType for ${what}`).toBe(type)
  expect(res.headers['content-type'], what).toBe('application/x-amz-json-1.1')
  expect(
    typeof error?.message === 'string' && error.message.length > 0,
    `Message for ${what}: ${res.text}`,
  ).toBe(true)
}

/** Asserts a rejected request left the secret tables as they were. */
function expectNothingWritten(what: string): void {
  const changes = tracker.changes()
  expect(changes, `a rejected request changed the database: ${what}`).toBe('')
}

async function fuzzOne(op: OperationName, body: FuzzBody): Promise<void> {
  const res = await smRequest(server, op, encodeBody(body))
  const what = `${op} ${describeBody(body)} -> ${res.status} ${res.text.slice(0, 300)}`
  const allowed = new Set<string>([...operations[op].errors, ...COMMON_ERRORS])
  count(op, res.status === 200 ? '200' : `${res.status} ${awsError(res)?.type ?? ''}`)
  checkResponse(op, res, allowed, what)
  if (res.status === 200) tracker.accept()
  else expectNothingWritten(what)
}

beforeAll(async () => {
  console.log(`fuzz: FUZZ_SEED=${BASE_SEED} FUZZ_RUNS=${RUNS}`)
  // No rotation scheduler: runs RotateSecret starts must not change the database behind the tracker.
  const config = join(mkdtempSync(join(tmpdir(), 'coffer-fuzz-')), 'config.json')
  writeFileSync(config, JSON.stringify({ rotation: { scheduler: false } }))
  server = await startServer({ args: ['--config', config] })
  db = openReadOnly(server.dataDir)
  const arn = (await smCall<{ ARN: string }>(server, 'CreateSecret', { Name: 'fz-probe' })).ARN
  accountId = arn.split(':')[4] ?? ''
  tracker = new SnapshotTracker(db)
})

afterAll(async () => {
  const lines = Object.entries(stats).map(
    ([op, outcomes]) =>
      `${op.padEnd(30)} ${Object.entries(outcomes)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
  )
  console.log(`fuzz outcomes (seed ${BASE_SEED}):\n${lines.join('\n')}`)
  closeAgents()
  db?.close()
  await server?.stop({ cleanup: true })
})

/** Outcomes only a request that passed validation can have. */
const PAST_VALIDATION = [
  '200',
  '400 ResourceNotFoundException',
  '400 InvalidRequestException',
  '400 ResourceExistsException',
]

describe('fuzz: every operation, model-valid inputs, single violations and garbage', () => {
  OPERATION_NAMES.forEach((op, index) => {
    it(op, async () => {
      const pools = await ensureFixtures(server, accountId, server.credentials.region)
      tracker.accept()
      const seed = BASE_SEED + index
      await fc.assert(
        fc.asyncProperty(requestBody(op, pools), (body) => fuzzOne(op, body)),
        { numRuns: RUNS, seed },
      )
      // The runs reached the service, not only the validators: answered, or refused for the state of
      // the secret they named (RotateSecret, say, may find every fixture mid-rotation or its token used).
      const outcomes = stats[op] ?? {}
      const served = NOT_IMPLEMENTED.has(op)
        ? (outcomes['501 NotImplemented'] ?? 0)
        : PAST_VALIDATION.reduce((sum, outcome) => sum + (outcomes[outcome] ?? 0), 0)
      expect(served, `${op}: no request got past validation (${JSON.stringify(outcomes)})`).toBeGreaterThan(0)
    })
  })
})

// ---- protocol edges ---------------------------------------------------------------------------

interface StreamResult {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly text: string
  readonly bytesSent: number
}

/**
 * Starts a request with `headers`, writes body bytes up to `sendAtMost` (never ending the request) and
 * resolves with the response as soon as the server answers.
 */
function sendUnfinished(headers: Record<string, string>, sendAtMost: number): Promise<StreamResult> {
  const url = new URL(server.endpoint)
  return new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const timer = setTimeout(() => {
      req.destroy()
      reject(new Error(`no answer after ${sent} bytes sent`))
    }, 10_000)
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/',
      headers,
      agent: false,
      setHost: false,
    })
    req.on('response', (res) => {
      answered = true
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      const finish = () => {
        clearTimeout(timer)
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
          bytesSent: sent,
        })
        req.destroy()
      }
      res.on('end', finish)
      res.on('error', finish)
    })
    req.on('error', (error) => {
      if (!answered) {
        clearTimeout(timer)
        reject(error)
      }
    })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    const pump = () => {
      while (!answered && sent + chunk.length <= sendAtMost) {
        sent += chunk.length
        if (!req.write(chunk)) {
          req.once('drain', pump)
          return
        }
      }
    }
    req.flushHeaders()
    pump()
  })
}

describe('protocol edges', () => {
  const expectError = (res: RawResponse, status: number, type: string) => {
    expect(res.status, res.text).toBe(status)
    expect(awsError(res)?.type, res.text).toBe(type)
    expect(res.headers['x-amzn-errortype']).toBe(type)
  }

  it('unknown, foreign and missing X-Amz-Target → UnknownOperationException', async () => {
    tracker.accept()
    for (const target of [
      'secretsmanager.NoSuchOperation',
      'secretsmanager.',
      'secretsmanager',
      // Services Coffer does not serve (KMS and SSM are served now).
      'Logs_20140328.PutLogEvents',
      'DynamoDB_20120810.GetItem',
      '',
      'secretsmanager.createSecret',
    ]) {
      const res = await send(server.endpoint, await prepare(server, { target, body: '{"Name":"fz-edge"}' }))
      expectError(res, 400, 'UnknownOperationException')
      expectNothingWritten(`target '${target}'`)
    }
    const res = await send(
      server.endpoint,
      await prepare(server, { target: null, body: '{"Name":"fz-edge"}' }),
    )
    expectError(res, 400, 'UnknownOperationException')
    expectNothingWritten('no target')
  })

  it('a body over 1 MiB with Content-Length is refused before it is read', async () => {
    tracker.accept()
    const total = 8 * MAX_BODY
    const prepared = await prepare(server, { target: 'secretsmanager.CreateSecret', body: new Uint8Array(0) })
    const headers = { ...prepared.headers, 'content-length': String(total) }
    const res = await sendUnfinished(headers, 64 * 1024)
    expect(res.status, res.text).toBe(413)
    expect(res.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException')
    expect(JSON.parse(res.text)).toMatchObject({ __type: 'RequestEntityTooLargeException' })
    expect(res.bytesSent).toBeLessThan(total)
    expectNothingWritten('oversized body with Content-Length')
  })

  it('a chunked body growing past 1 MiB is refused without waiting for its end', async () => {
    tracker.accept()
    const prepared = await prepare(server, {
      target: 'secretsmanager.CreateSecret',
      body: new Uint8Array(0),
      chunked: true,
    })
    const headers = { ...prepared.headers, 'transfer-encoding': 'chunked' }
    delete (headers as Record<string, string | undefined>)['content-length']
    // 1 MiB + 128 KiB are sent and the request never ends: only an early answer can arrive.
    const res = await sendUnfinished(headers, MAX_BODY + 128 * 1024)
    expect(res.status, res.text).toBe(413)
    expect(res.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException')
    expect(JSON.parse(res.text)).toMatchObject({ __type: 'RequestEntityTooLargeException' })
    expectNothingWritten('oversized chunked body')
  })

  it('a client uploading a whole oversized body, as the SDKs do, still receives the 413', async () => {
    // Content-Length 8 MiB, written in one go; the answer must reach the client every time.
    const outcomes: string[] = []
    for (let i = 0; i < 8; i++) {
      const prepared = await prepare(server, {
        target: 'secretsmanager.ListSecrets',
        body: new Uint8Array(8 * MAX_BODY).fill(0x20),
      })
      try {
        const res = await send(server.endpoint, prepared, { agent: false })
        outcomes.push(`${res.status} ${awsError(res)?.type ?? ''}`)
      } catch (error) {
        outcomes.push(`network error: ${(error as Error).message}`)
      }
    }
    expect(outcomes).toEqual(Array.from({ length: 8 }, () => '413 RequestEntityTooLargeException'))
  })

  it('exactly 1 MiB is accepted, one byte more is not', async () => {
    const json = '{}'
    const atLimit = json + ' '.repeat(MAX_BODY - json.length)
    const ok = await smRequest(server, 'ListSecrets', atLimit)
    expect(ok.status, ok.text).toBe(200)
    const over = await smRequest(server, 'ListSecrets', atLimit + ' ')
    expectError(over, 413, 'RequestEntityTooLargeException')
  })

  it('CreateSecret with AddReplicaRegions is a client error, not a 5xx', async () => {
    // Only the three unimplemented operations may answer 501; CreateSecret must refuse replication
    // with one of its modelled errors (e.g. InvalidRequestException).
    tracker.accept()
    const res = await smRequest(server, 'CreateSecret', {
      Name: 'fz-replicated',
      ClientRequestToken: 'd'.repeat(32),
      SecretString: 's',
      AddReplicaRegions: [{ Region: 'eu-west-1' }],
    })
    expect(res.status, res.text).toBe(400)
    expect(operations.CreateSecret.errors as readonly string[]).toContain(awsError(res)?.type)
    expectNothingWritten('CreateSecret with AddReplicaRegions')
  })

  it('a ClientRequestToken of 32 NUL characters is not a 5xx (found by the fuzzer)', async () => {
    // The model allows any 32-64 characters. SQLite's length() stops at the first NUL, so the
    // version_id CHECK constraint fails inside the transaction and the server answered 500.
    await ensureFixtures(server, accountId, server.credentials.region)
    tracker.accept()
    const token = '\u0000'.repeat(32)
    const checks: Array<[string, Record<string, unknown>]> = [
      ['CreateSecret', { Name: 'fz-nul-token', SecretString: 's', ClientRequestToken: token }],
      ['PutSecretValue', { SecretId: 'fz-live', SecretString: 's', ClientRequestToken: token }],
      ['UpdateSecret', { SecretId: 'fz-live', SecretString: 's', ClientRequestToken: `a${token}` }],
    ]
    for (const [op, body] of checks) {
      const res = await smRequest(server, op, body)
      expect(res.status, `${op} with a NUL token: ${res.text}`).toBeLessThan(500)
      if (res.status === 200) tracker.accept()
      else expectNothingWritten(`${op} with a NUL token`)
    }
  })

  it('an empty body is an empty input', async () => {
    tracker.accept()
    const list = await smRequest(server, 'ListSecrets', '')
    expect(list.status, list.text).toBe(200)
    const get = await smRequest(server, 'GetSecretValue', '')
    expectError(get, 400, 'ValidationException')
    expect(awsError(get)?.message).toBe(
      "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null",
    )
    const create = await smRequest(server, 'CreateSecret', '')
    expectError(create, 400, 'ValidationException')
    expectNothingWritten('empty bodies')
  })

  it('bytes that are not UTF-8 are refused', async () => {
    tracker.accept()
    const bodies = [
      Buffer.from([0xff, 0xfe, 0xfd]),
      Buffer.from([0x7b, 0xff, 0x7d]),
      Buffer.from('{"Name":\xff}', 'latin1'),
    ]
    for (const body of bodies) {
      const res = await smRequest(server, 'CreateSecret', body)
      expectError(res, 400, 'SerializationException')
      expectNothingWritten(`non-UTF-8 body ${body.toString('hex')}`)
    }
  })

  it('a SecretString with bytes that are not UTF-8 is refused, not stored altered', async () => {
    tracker.accept()
    const name = 'fz-utf8'
    const body = Buffer.concat([
      Buffer.from(`{"Name":"${name}","ClientRequestToken":"${'c'.repeat(32)}","SecretString":"pass`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('word"}'),
    ])
    const res = await smRequest(server, 'CreateSecret', body)
    const stored = await smRequest(server, 'GetSecretValue', { SecretId: name })
    expect(
      { status: res.status, type: awsError(res)?.type },
      `invalid UTF-8 in SecretString was answered ${res.status}; stored value: ${stored.text}`,
    ).toEqual({ status: 400, type: 'SerializationException' })
    expectNothingWritten('invalid UTF-8 in SecretString')
  })
})
