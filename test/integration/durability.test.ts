/**
 * Crash durability: concurrent clients storm the server with CreateSecret and PutSecretValue (raw
 * signed HTTP, no retries), the server is SIGKILLed while requests are in flight, restarted on the same
 * data directory, and every write that got a 200 must be there with exactly the acknowledged value.
 * Writes whose answer was lost in the crash may or may not have happened, but if they did, whole.
 * Three kill/restart cycles; after each crash the SQLite file must pass integrity_check and
 * foreign_key_check, and every secret must have exactly one AWSCURRENT version.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { openReadWrite } from '../support/db-snapshot.js'
import { startServer, type TestServer } from '../support/server.js'
import { awsError, closeAgents, smRequest, type RawResponse } from '../support/signed-http.js'

const WORKERS = 8
const CYCLES = 3
const SHARED = 8
/** A cycle's storm runs until 150-400 writes were acknowledged (or STORM_MAX_MS passed), then the kill. */
const ACKS_BEFORE_KILL = () => 150 + Math.floor(Math.random() * 250)
const STORM_MAX_MS = 4_000

type Value = { readonly SecretString: string } | { readonly SecretBinary: string }

interface Write {
  readonly op: 'CreateSecret' | 'PutSecretValue'
  readonly name: string
  readonly versionId: string
  readonly value: Value
  /** Owner worker for its own secrets (single writer); undefined for the shared ones. */
  readonly owner: number | undefined
  readonly cycle: number
  /** Attempt order within its secret (single-writer secrets only). */
  readonly seq: number
}

/** What the clients know. */
const acked = new Map<string, Write>()
const uncertain: Write[] = []
const rejected: { write: Write; status: number; type: string }[] = []
const secretsOf = new Map<number, string[]>()
const sharedNames = Array.from({ length: SHARED }, (_, i) => `dur-shared-${i}`)
/** Attempt counter per single-writer secret. */
const attempts = new Map<string, number>()

let server: TestServer | undefined
let dataDir = ''

afterAll(async () => {
  closeAgents()
  await server?.stop({ cleanup: true })
})

function newValue(): Value {
  return Math.random() < 0.2
    ? { SecretBinary: randomBytes(1 + Math.floor(Math.random() * 64)).toString('base64') }
    : { SecretString: `v:${randomUUID()}:${'x'.repeat(Math.floor(Math.random() * 200))}` }
}

function sameValue(res: RawResponse, value: Value): boolean {
  const body = res.json as { SecretString?: string; SecretBinary?: string }
  return 'SecretString' in value
    ? body.SecretString === value.SecretString && body.SecretBinary === undefined
    : body.SecretBinary === value.SecretBinary && body.SecretString === undefined
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T)
    }),
  )
}

interface StormResult {
  readonly acks: number
  readonly networkErrors: string[]
}

/** Runs the workers against `target` until they all hit the dead server. */
async function storm(
  target: TestServer,
  cycle: number,
  kill: (acks: () => number) => Promise<void>,
): Promise<StormResult> {
  let acks = 0
  const networkErrors: string[] = []
  const worker = async (w: number) => {
    const own = secretsOf.get(w) ?? []
    secretsOf.set(w, own)
    for (let i = 0; ; i++) {
      const r = Math.random()
      let write: Write
      if (own.length < 3 || r < 0.3) {
        const name = `dur-c${cycle}-w${w}-${i}`
        write = {
          op: 'CreateSecret',
          name,
          versionId: randomUUID(),
          value: newValue(),
          owner: w,
          cycle,
          seq: 0,
        }
      } else if (r < 0.55) {
        const name = sharedNames[Math.floor(Math.random() * SHARED)] as string
        write = {
          op: 'PutSecretValue',
          name,
          versionId: randomUUID(),
          value: newValue(),
          owner: undefined,
          cycle,
          seq: 0,
        }
      } else {
        const name = own[Math.floor(Math.random() * own.length)] as string
        const seq = (attempts.get(name) ?? 0) + 1
        attempts.set(name, seq)
        write = {
          op: 'PutSecretValue',
          name,
          versionId: randomUUID(),
          value: newValue(),
          owner: w,
          cycle,
          seq,
        }
      }
      const body =
        write.op === 'CreateSecret'
          ? { Name: write.name, ClientRequestToken: write.versionId, ...write.value }
          : { SecretId: write.name, ClientRequestToken: write.versionId, ...write.value }
      let res: RawResponse
      try {
        res = await smRequest(target, write.op, body)
      } catch (error) {
        // The server died with this request in flight (or before it was sent): outcome unknown.
        uncertain.push(write)
        networkErrors.push((error as NodeJS.ErrnoException).code ?? (error as Error).message)
        return
      }
      if (res.status === 200) {
        acked.set(write.versionId, write)
        acks++
        if (write.op === 'CreateSecret') own.push(write.name)
      } else {
        rejected.push({ write, status: res.status, type: awsError(res)?.type ?? res.text })
      }
    }
  }
  const running = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))
  await kill(() => acks)
  await running
  return { acks, networkErrors }
}

/** Checks the SQLite file directly, after the crash and before any restart. */
function checkDatabaseAfterCrash(): void {
  const db = openReadWrite(dataDir)
  try {
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }])
    expect(db.pragma('foreign_key_check')).toEqual([])
    const currents = db
      .prepare(
        `SELECT s.name AS name, (SELECT count(*) FROM secret_stages t WHERE t.secret_id = s.id AND t.stage = 'AWSCURRENT') AS n
         FROM secrets s WHERE s.name LIKE 'dur-%'`,
      )
      .all() as { name: string; n: number }[]
    expect(currents.filter((row) => row.n !== 1)).toEqual([])
    // The label points at a version that exists and has a value.
    const dangling = db
      .prepare(
        `SELECT s.name FROM secret_stages t JOIN secrets s ON s.id = t.secret_id
         LEFT JOIN secret_versions v ON v.secret_id = t.secret_id AND v.version_id = t.version_id
         WHERE v.ciphertext IS NULL`,
      )
      .all()
    expect(dangling).toEqual([])
    const versions = db
      .prepare(
        `SELECT s.name AS name, v.version_id AS versionId FROM secret_versions v JOIN secrets s ON s.id = v.secret_id WHERE s.name LIKE 'dur-%'`,
      )
      .all() as { name: string; versionId: string }[]
    const present = new Set(versions.map((v) => `${v.name} ${v.versionId}`))
    const missing = [...acked.values()].filter((w) => !present.has(`${w.name} ${w.versionId}`))
    expect(missing, 'acknowledged versions missing from the database after the crash').toEqual([])
    const known = new Set([...acked.values(), ...uncertain].map((w) => `${w.name} ${w.versionId}`))
    expect(
      versions.filter((v) => !known.has(`${v.name} ${v.versionId}`)),
      'versions nobody wrote',
    ).toEqual([])
    const rejectedIds = new Set(rejected.map((r) => `${r.write.name} ${r.write.versionId}`))
    expect(
      versions.filter((v) => rejectedIds.has(`${v.name} ${v.versionId}`)),
      'rejected writes stored',
    ).toEqual([])
  } finally {
    db.close()
  }
}

const outcomes = { happened: 0, lost: 0 }

/** Every acknowledged write readable by its VersionId with its value; unknown outcomes resolved. */
async function verifyThroughApi(target: TestServer): Promise<void> {
  const failures: string[] = []
  await forEachLimited([...acked.values()], 16, async (w) => {
    const res = await smRequest(target, 'GetSecretValue', { SecretId: w.name, VersionId: w.versionId })
    if (res.status !== 200 || !sameValue(res, w.value))
      failures.push(`${w.op} ${w.name} ${w.versionId}: ${res.status} ${res.text.slice(0, 200)}`)
  })
  expect(failures, 'acknowledged writes not readable with their value').toEqual([])

  // A write whose answer was lost either happened completely (its exact value) or not at all.
  const resolved: string[] = []
  await forEachLimited(uncertain.splice(0), 16, async (w) => {
    const res = await smRequest(target, 'GetSecretValue', { SecretId: w.name, VersionId: w.versionId })
    outcomes[res.status === 200 ? 'happened' : 'lost']++
    if (res.status === 200) {
      if (!sameValue(res, w.value))
        resolved.push(`${w.name} ${w.versionId}: stored value differs: ${res.text.slice(0, 200)}`)
      acked.set(w.versionId, w)
      if (w.op === 'CreateSecret' && w.owner !== undefined) secretsOf.get(w.owner)?.push(w.name)
    } else if (awsError(res)?.type !== 'ResourceNotFoundException') {
      resolved.push(`${w.name} ${w.versionId}: ${res.status} ${res.text.slice(0, 200)}`)
    }
  })
  expect(resolved).toEqual([])

  // One AWSCURRENT per secret; for single-writer secrets it is the last write that happened.
  const lastWrite = new Map<string, Write>()
  for (const w of acked.values()) {
    const previous = lastWrite.get(w.name)
    if (w.owner !== undefined && (previous === undefined || w.seq > previous.seq)) lastWrite.set(w.name, w)
  }
  const names = [...new Set([...acked.values()].map((w) => w.name))]
  const wrongCurrent: string[] = []
  await forEachLimited(names, 16, async (name) => {
    const described = await smRequest(target, 'DescribeSecret', { SecretId: name })
    const stages =
      (described.json as { VersionIdsToStages?: Record<string, string[]> }).VersionIdsToStages ?? {}
    const currents = Object.entries(stages).filter(([, labels]) => labels.includes('AWSCURRENT'))
    if (currents.length !== 1) {
      wrongCurrent.push(`${name}: ${currents.length} AWSCURRENT versions`)
      return
    }
    const [currentId] = currents[0] as [string, string[]]
    const expected = lastWrite.get(name)
    if (expected !== undefined && expected.versionId !== currentId) {
      wrongCurrent.push(`${name}: AWSCURRENT is ${currentId}, last write was ${expected.versionId}`)
    }
    const value = await smRequest(target, 'GetSecretValue', { SecretId: name })
    const w = acked.get(currentId)
    if (value.status !== 200 || w === undefined || !sameValue(value, w.value)) {
      wrongCurrent.push(`${name}: GetSecretValue ${value.status} ${value.text.slice(0, 200)}`)
    }
  })
  expect(wrongCurrent).toEqual([])
}

describe('durability: SIGKILL during a write storm loses no acknowledged write', () => {
  it(`survives ${CYCLES} kill/restart cycles`, async () => {
    server = await startServer()
    dataDir = server.dataDir
    for (const name of sharedNames) {
      const versionId = randomUUID()
      const value = newValue()
      const res = await smRequest(server, 'CreateSecret', {
        Name: name,
        ClientRequestToken: versionId,
        ...value,
      })
      expect(res.status, res.text).toBe(200)
      acked.set(versionId, { op: 'CreateSecret', name, versionId, value, owner: undefined, cycle: 0, seq: 0 })
    }

    const summary: string[] = []
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const target: TestServer = server
      const started = Date.now()
      const killAt = ACKS_BEFORE_KILL()
      const result = await storm(target, cycle, async (acks) => {
        while (acks() < killAt && Date.now() - started < STORM_MAX_MS)
          await new Promise((r) => setTimeout(r, 5))
        await target.kill()
      })
      const inFlight = result.networkErrors.filter((code) => code !== 'ECONNREFUSED')
      summary.push(
        `cycle ${cycle}: ${result.acks} acknowledged in ${Date.now() - started} ms, ${inFlight.length} in flight at the kill (${[...new Set(inFlight)].join(',')}), ${uncertain.length} unknown outcomes`,
      )
      expect(result.acks, 'the storm made progress before the kill').toBeGreaterThan(0)
      expect(inFlight.length, 'requests were in flight when the server was killed').toBeGreaterThan(0)
      const serverErrors = rejected.filter((r) => r.status >= 500)
      expect(
        serverErrors.map((r) => `${r.write.op} ${r.write.name}: ${r.status} ${r.type}`),
        'no 5xx during the storm',
      ).toEqual([])

      checkDatabaseAfterCrash()
      server = await startServer({ dataDir })
      await verifyThroughApi(server)
    }
    const totals =
      `${acked.size} writes verified over ${new Set([...acked.values()].map((w) => w.name)).size} secrets; ` +
      `unknown outcomes: ${outcomes.happened} had happened, ${outcomes.lost} had not; ` +
      `${rejected.length} rejected (${[...new Set(rejected.map((r) => r.type))].join(', ')})`
    console.log(`durability:\n${summary.join('\n')}\n${totals}`)
    expect(rejected.filter((r) => r.type !== 'LimitExceededException')).toEqual([])
  })
})
