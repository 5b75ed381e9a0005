/**
 * Rotation benchmarks, each with a baseline measured in the same run:
 *
 * 1. The scheduler's due set over 100,000 secrets with rotation scheduled (`RotationStore.dueSecrets`,
 *    what every tick runs) against a plain primary-key range scan returning as many rows from the same
 *    table, and against the same query with its index disabled (what the partial index saves).
 * 2. Rotations per second with the `coffer-random-password` built-in through a real server (each
 *    rotation: 4 steps, ~10 signed API calls from the function, the engine's transactions), against
 *    PutSecretValue/s through the same server — one value write, the unit a rotation is made of.
 *
 *   npm run bench:rotation -- [--secrets 100000] [--rotations 200] [--dir DIR]
 */
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openSqlite } from '../src/server/storage/sqlite/database.js'
import { SqliteFreshness } from '../src/server/storage/sqlite/freshness.js'
import { SqliteRotationStore } from '../src/server/storage/sqlite/rotation-store.js'
import { startCoffer } from './lib/coffer.js'
import { fmt, machineNote, median, percentile, table } from './lib/report.js'
import { SignedJsonClient } from './lib/signed-client.js'

const { values } = parseArgs({
  options: {
    secrets: { type: 'string', default: '100000' },
    rotations: { type: 'string', default: '200' },
    dir: { type: 'string', default: tmpdir() },
  },
})
const SECRETS = Number(values.secrets)
const ROTATIONS = Number(values.rotations)
const DAY = 86_400_000

function timeIt(fn: () => unknown, repetitions: number): number[] {
  for (let i = 0; i < 50; i++) fn()
  const samples: number[] = []
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now()
    fn()
    samples.push(performance.now() - start)
  }
  return samples
}

async function dueSet(): Promise<string[][]> {
  const dir = mkdtempSync(join(values.dir, 'coffer-bench-rotation-'))
  try {
    const db = openSqlite(join(dir, 'coffer.db'))
    const now = Date.now()
    const insert = db.prepare(
      `INSERT INTO secrets (account_id, region, name, arn, created_at, last_changed_at, rotation_enabled,
         rotation_lambda_arn, rotation_rules, next_rotation_at, rotation_due_at)
       VALUES ('000000000000', 'us-east-1', ?, ?, ?, ?, 1, 'arn:aws:lambda:us-east-1:000000000000:function:f',
         '{"AutomaticallyAfterDays":30}', ?, ?)`,
    )
    // Due times spread over the next 30 days, the first minute of them already due.
    db.transaction(() => {
      for (let i = 0; i < SECRETS; i++) {
        const due = now - 60_000 + Math.floor(Math.random() * 30 * DAY)
        const name = `bench/rotating-${i}`
        insert.run(
          name,
          `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`,
          now,
          now,
          due + DAY,
          due,
        )
      }
    })()
    db.pragma('analysis_limit = 1000')
    db.exec('ANALYZE')
    const store = new SqliteRotationStore(db, new SqliteFreshness(db))
    const dueNow = (await store.dueSecrets(now, 1_000_000)).length
    const limit = 16
    const due: number[] = []
    // Through the adapter, as the scheduler calls it.
    for (let i = 0; i < 2000; i++) {
      const start = performance.now()
      await store.dueSecrets(now, limit)
      due.push(performance.now() - start)
    }
    const rangeScan = db.prepare('SELECT id, arn FROM secrets WHERE id > ? ORDER BY id LIMIT ?')
    const pk = timeIt(() => rangeScan.all(SECRETS / 2, limit), 2000)
    const noIndex = db.prepare(
      `SELECT id, arn FROM secrets WHERE rotation_enabled = 1 AND +rotation_due_at <= ? AND deleted_at IS NULL
       ORDER BY +rotation_due_at LIMIT ?`,
    )
    const full = timeIt(() => noIndex.all(now, limit), 50)
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id, arn FROM secrets
       WHERE rotation_due_at IS NOT NULL AND rotation_enabled = 1 AND rotation_due_at <= ? AND deleted_at IS NULL
       ORDER BY rotation_due_at LIMIT ?`,
        )
        .all(now, limit) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('; ')
    db.close()
    const base = median(pk)
    console.log(`due set: ${fmt.int(SECRETS)} secrets scheduled, ${fmt.int(dueNow)} due now; plan: ${plan}`)
    const row = (name: string, samples: number[]) => [
      name,
      `${(median(samples) * 1000).toFixed(1)}`,
      `${(percentile(samples, 0.99) * 1000).toFixed(1)}`,
      fmt.ratio(median(samples) / base),
    ]
    return [
      ['query (LIMIT 16)', 'median µs', 'p99 µs', 'vs PK scan'],
      row('baseline: primary-key range scan', pk),
      row('dueSecrets (partial index)', due),
      row('same query, index disabled', full),
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function rotationsPerSecond(): Promise<string[][]> {
  const coffer = await startCoffer({ parentDir: values.dir })
  const client = new SignedJsonClient(coffer.endpoint, coffer.credentials)
  try {
    const names = Array.from({ length: ROTATIONS }, (_, i) => `bench/rotate-${i}`)
    for (const name of names) {
      await client.call('CreateSecret', {
        Name: name,
        ClientRequestToken: randomUUID(),
        SecretString: '{"password":"x"}',
      })
    }
    // Baseline: PutSecretValue/s, 4 concurrent callers, as many as there are rotations.
    let next = 0
    const putStart = performance.now()
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < ROTATIONS) {
          const name = names[next++] as string
          await client.call('PutSecretValue', {
            SecretId: name,
            ClientRequestToken: randomUUID(),
            SecretString: '{"password":"y"}',
          })
        }
      }),
    )
    const putSeconds = (performance.now() - putStart) / 1000
    const lambda = `arn:aws:lambda:${coffer.credentials.region}:000000000000:function:coffer-random-password`
    const db = new Database(join(coffer.dataDir, 'coffer.db'), { readonly: true })
    const done = db.prepare("SELECT count(*) AS n FROM rotation_runs WHERE state <> 'running'").pluck()
    const failed = db.prepare("SELECT count(*) AS n FROM rotation_runs WHERE state = 'failed'").pluck()
    const start = performance.now()
    for (const name of names) {
      await client.call('RotateSecret', {
        SecretId: name,
        ClientRequestToken: randomUUID(),
        RotationLambdaARN: lambda,
      })
    }
    const requested = (performance.now() - start) / 1000
    while ((done.get() as number) < ROTATIONS) await new Promise((r) => setTimeout(r, 20))
    const seconds = (performance.now() - start) / 1000
    const failures = failed.get() as number
    db.close()
    const perSecond = ROTATIONS / seconds
    const puts = ROTATIONS / putSeconds
    console.log(
      `rotations: ${ROTATIONS} started in ${requested.toFixed(2)} s, all finished after ${seconds.toFixed(2)} s, ${failures} failed`,
    )
    return [
      ['throughput', 'per second', 'vs PutSecretValue'],
      ['baseline: PutSecretValue (4 callers)', fmt.int(puts), fmt.ratio(1)],
      ['rotations, random-password built-in', perSecond.toFixed(1), fmt.ratio(perSecond / puts)],
    ]
  } finally {
    client.close()
    await coffer.stop()
  }
}

console.log(machineNote())
console.log(table(await dueSet()))
console.log()
console.log(table(await rotationsPerSecond()))
