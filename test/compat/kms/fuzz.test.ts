/**
 * Property-based fuzzing of every KMS operation of the generated operation table, with properly signed
 * raw requests (the server's own validation runs, not the SDK's). Inputs come from the generated shape
 * table (fuzz/schema-arbitraries.ts) with identifiers drawn from live fixtures (fuzz/kms-pools.ts).
 *
 * Properties, for every request:
 * - never a 5xx;
 * - every error carries `x-amzn-ErrorType` and a JSON body whose `__type` is one of the operation's
 *   modelled errors, one of the errors every AWS JSON service may answer, or — for alias names in the
 *   reserved `alias/aws/` space — NotAuthorizedException (as moto answers);
 * - a rejected request writes nothing: the rows of `kms_keys`, `kms_key_materials` and `kms_aliases`
 *   are unchanged (read through a second, read-only connection). A 200 becomes the new reference.
 *
 * Reproduce with the printed seed: FUZZ_SEED=<seed>; FUZZ_RUNS sets requests per operation (default 80).
 */
import type Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operations } from '../../../src/aws-api/kms/operations.js'
import { shapes } from '../../../src/aws-api/kms/schema.js'
import type { ShapeTable } from '../../../src/lib/aws/schema-types.js'
import { openReadOnly } from '../../support/db-snapshot.js'
import { awsError, closeAgents, type RawResponse } from '../../support/signed-http.js'
import { startServer, type TestServer } from '../../support/server.js'
import { freshPools, kmsDomain, kmsScenario } from './fuzz/kms-pools.js'
import { describeBody, encodeBody, schemaArbitraries, type FuzzBody } from './fuzz/schema-arbitraries.js'
import { kmsRaw } from './support.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 80)
const BASE_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))

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
]
const ALIAS_OPERATIONS = new Set(['CreateAlias', 'UpdateAlias', 'DeleteAlias'])

/** Everything about keys, materials and aliases a write could change. */
const QUERIES = {
  kms_keys: 'SELECT * FROM kms_keys ORDER BY key_id',
  kms_key_materials:
    'SELECT key_id, material_id, hex(sealed_material) AS sealed, created_at, rotation_type FROM kms_key_materials ORDER BY key_id, material_id',
  kms_aliases: 'SELECT * FROM kms_aliases ORDER BY account_id, region, alias_name',
}

function snapshot(db: Database.Database): string[] {
  return db.transaction(() =>
    Object.entries(QUERIES).flatMap(([table, sql]) =>
      db
        .prepare(sql)
        .all()
        .map((row) => `${table} ${JSON.stringify(row)}`),
    ),
  )()
}

let server: TestServer
let db: Database.Database
let reference: string[] = []
let accountId = ''
const stats: Record<string, Record<string, number>> = {}

function diff(after: string[]): string {
  const a = new Set(reference)
  const b = new Set(after)
  return [
    ...reference.filter((row) => !b.has(row)).map((row) => `- ${row}`),
    ...after.filter((row) => !a.has(row)).map((row) => `+ ${row}`),
  ].join('\n')
}

function check(op: string, res: RawResponse, what: string): void {
  expect(res.headers['x-amzn-requestid'], what).toMatch(/^[0-9a-f-]{36}$/)
  if (res.status === 200) {
    expect(res.headers['x-amzn-errortype'], what).toBeUndefined()
    expect(typeof res.json === 'object' && res.json !== null && !Array.isArray(res.json), what).toBe(true)
    reference = snapshot(db)
    return
  }
  const type = awsError(res)?.type ?? ''
  expect(res.status, `status for ${what}`).toBeGreaterThanOrEqual(400)
  expect(res.status, `status for ${what}`).toBeLessThan(500)
  const allowed = new Set<string>([
    ...(operations[op as keyof typeof operations].errors as readonly string[]),
    ...COMMON_ERRORS,
  ])
  if (ALIAS_OPERATIONS.has(op)) allowed.add('NotAuthorizedException')
  expect(allowed.has(type), `__type '${type}' not modelled for ${op}: ${what}`).toBe(true)
  expect(res.headers['x-amzn-errortype'], what).toBe(type)
  expect(res.headers['content-type'], what).toBe('application/x-amz-json-1.1')
  const changes = diff(snapshot(db))
  expect(changes, `a rejected request changed the database: ${what}`).toBe('')
}

async function fuzzOne(op: string, body: FuzzBody): Promise<void> {
  const res = await kmsRaw(server, op, encodeBody(body))
  const outcome = res.status === 200 ? '200' : `${res.status} ${awsError(res)?.type ?? ''}`
  const perOp = (stats[op] ??= {})
  perOp[outcome] = (perOp[outcome] ?? 0) + 1
  check(op, res, `${op} ${describeBody(body)} -> ${res.status} ${res.text.slice(0, 300)}`)
}

beforeAll(async () => {
  console.log(`kms fuzz: FUZZ_SEED=${BASE_SEED} FUZZ_RUNS=${RUNS}`)
  server = await startServer()
  accountId = /Account:\s+(\d{12})/.exec(server.output())?.[1] ?? ''
  db = openReadOnly(server.dataDir)
})

afterAll(async () => {
  const lines = Object.entries(stats).map(
    ([op, outcomes]) =>
      `${op.padEnd(32)} ${Object.entries(outcomes)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
  )
  console.log(`kms fuzz outcomes (seed ${BASE_SEED}):\n${lines.join('\n')}`)
  closeAgents()
  db?.close()
  await server?.stop({ cleanup: true })
})

describe('KMS fuzz: every operation, model-valid inputs, single violations and garbage', () => {
  Object.keys(operations).forEach((op, index) => {
    it(op, async () => {
      const pools = await freshPools(server, accountId, server.credentials.region)
      reference = snapshot(db)
      const arbitraries = schemaArbitraries(shapes as unknown as ShapeTable, kmsDomain(pools))
      const body = arbitraries.requestBody(operations[op as keyof typeof operations], kmsScenario(op, pools))
      await fc.assert(
        fc.asyncProperty(body, (b) => fuzzOne(op, b)),
        { numRuns: RUNS, seed: BASE_SEED + index },
      )
      expect(
        stats[op]?.['200'] ?? 0,
        `${op}: no request got past validation (${JSON.stringify(stats[op])})`,
      ).toBeGreaterThan(0)
    })
  })
})

describe('KMS protocol edges', () => {
  it('operations outside the implemented set are UnknownOperationException, and write nothing', async () => {
    reference = snapshot(db)
    for (const op of ['CreateGrant', 'Sign', 'GenerateDataKeyPair', 'ImportKeyMaterial', 'NoSuchOperation']) {
      const res = await kmsRaw(server, op, { KeyId: 'alias/aws/secretsmanager' })
      expect(res.status, res.text).toBe(400)
      expect(awsError(res)?.type).toBe('UnknownOperationException')
      expect(diff(snapshot(db))).toBe('')
    }
  })
})
