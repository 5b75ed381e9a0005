/**
 * Property-based fuzzing of every SSM operation of the generated operation table, with properly signed
 * raw HTTP requests (the server's own validation runs, not the SDK's). For every request:
 * - the status is never 5xx;
 * - every error carries `x-amzn-ErrorType` and a JSON body `{__type, message|Message}` whose type is
 *   one of the operation's modelled errors or one every AWS JSON service may answer; its message is
 *   non-empty, except ParameterNotFound's, which AWS sends empty (spec §5.2);
 * - a rejected request writes nothing: the Parameter Store tables and KMS's keys and aliases are
 *   unchanged (read through a second, read-only connection). A 200 becomes the new reference.
 *
 * Reproduce a failure with the seed printed at the start: FUZZ_SEED=<seed>. FUZZ_RUNS sets the number
 * of requests per operation (default 120).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operations } from '../../../src/aws-api/ssm/operations.js'
import { describeBody, encodeBody } from '../../integration/fuzz/inputs.js'
import { openReadOnly, type Db } from '../../support/db-snapshot.js'
import { startServer, type TestServer } from '../../support/server.js'
import { awsError, closeAgents, type RawResponse } from '../../support/signed-http.js'
import { ensureFixtures, ssmRequest } from './fuzz/fixtures.js'
import type { FuzzBody } from './fuzz/generic.js'
import { requestBody, type OperationName, type Scope } from './fuzz/ssm-inputs.js'
import { SsmTablesTracker } from './fuzz/tables.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 120)
const BASE_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))

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
let tracker: SsmTablesTracker
let scope: Scope
const stats: Record<string, Record<string, number>> = {}

function count(op: string, outcome: string): void {
  const perOp = (stats[op] ??= {})
  perOp[outcome] = (perOp[outcome] ?? 0) + 1
}

function checkResponse(op: OperationName, res: RawResponse, what: string): void {
  expect(res.headers['x-amzn-requestid'], what).toMatch(/^[0-9a-f-]{36}$/)
  if (res.status === 200) {
    expect(res.headers['x-amzn-errortype'], what).toBeUndefined()
    expect(typeof res.json === 'object' && res.json !== null && !Array.isArray(res.json), what).toBe(true)
    return
  }
  const error = awsError(res)
  const type = error?.type ?? ''
  const allowed = new Set<string>([...operations[op].errors, ...COMMON_ERRORS])
  expect(res.status, `unexpected ${res.status} for ${what}`).toBeGreaterThanOrEqual(400)
  expect(res.status, `unexpected ${res.status} for ${what}`).toBeLessThan(500)
  expect(allowed.has(type), `__type '${type}' not modelled for ${op}: ${what}`).toBe(true)
  expect(res.headers['x-amzn-errortype'], `x-amzn-ErrorType for ${what}`).toBe(type)
  expect(res.headers['content-type'], what).toBe('application/x-amz-json-1.1')
  const body = res.json as { message?: unknown; Message?: unknown }
  expect(typeof (body.message ?? body.Message), `message member for ${what}`).toBe('string')
  if (type !== 'ParameterNotFound') expect(error?.message.length, `message for ${what}`).toBeGreaterThan(0)
}

async function fuzzOne(op: OperationName, body: FuzzBody): Promise<void> {
  const res = await ssmRequest(server, op, encodeBody(body))
  const what = `${op} ${describeBody(body)} -> ${res.status} ${res.text.slice(0, 300)}`
  count(op, res.status === 200 ? '200' : `${res.status} ${awsError(res)?.type ?? ''}`)
  checkResponse(op, res, what)
  if (res.status === 200) tracker.accept()
  else expect(tracker.changes(), `a rejected request changed the database: ${what}`).toBe('')
}

beforeAll(async () => {
  console.log(`ssm fuzz: FUZZ_SEED=${BASE_SEED} FUZZ_RUNS=${RUNS}`)
  server = await startServer()
  await ensureFixtures(server)
  const probe = await ssmRequest(server, 'GetParameter', { Name: '/fz/a/p1' })
  const arn = (probe.json as { Parameter: { ARN: string } }).Parameter.ARN
  scope = { accountId: arn.split(':')[4] ?? '', region: server.credentials.region }
  db = openReadOnly(server.dataDir)
  tracker = new SsmTablesTracker(db)
})

afterAll(async () => {
  const lines = Object.entries(stats).map(
    ([op, outcomes]) =>
      `${op.padEnd(24)} ${Object.entries(outcomes)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
  )
  console.log(`ssm fuzz outcomes (seed ${BASE_SEED}):\n${lines.join('\n')}`)
  closeAgents()
  db?.close()
  await server?.stop({ cleanup: true })
})

describe('SSM fuzz: every operation, model-valid inputs, single violations and garbage', () => {
  OPERATION_NAMES.forEach((op, index) => {
    it(op, async () => {
      await ensureFixtures(server)
      tracker.accept()
      await fc.assert(
        fc.asyncProperty(requestBody(op, scope), (body) => fuzzOne(op, body)),
        { numRuns: RUNS, seed: BASE_SEED + index },
      )
      // The runs reached the service, not only the validators.
      expect(
        stats[op]?.['200'] ?? 0,
        `${op}: nothing got past validation (${JSON.stringify(stats[op])})`,
      ).toBeGreaterThan(0)
    })
  })

  it('an unknown AmazonSSM operation is UnknownOperationException and writes nothing', async () => {
    tracker.accept()
    const res = await ssmRequest(server, 'CreateDocument', { Name: 'x', Content: '{}' })
    expect(res.status).toBe(400)
    expect(awsError(res)?.type).toBe('UnknownOperationException')
    expect(tracker.changes()).toBe('')
  })
})
