/**
 * Event delivery latency: from a Secrets Manager write to its webhook POST arriving at a local
 * receiver, against the baseline of the bench POSTing the same body to the same receiver itself, in
 * the same run. Also: the same latency when another process appends to the outbox (the dispatcher
 * finds it by polling), the time to deliver a burst of concurrent writes, and from a rotation run's commit
 * of RotationSucceeded to an `/events` subscriber having it.
 *
 *   node --import tsx bench/events.ts [--events 200] [--burst 500] [--poll-ms 500] [--rotations 20]
 *
 * Validity: every webhook must carry a valid signature, and every event must arrive.
 */
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import Database from 'better-sqlite3'
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { appendEvent } from '../src/server/storage/sqlite/outbox-store.js'
import { subscribe } from '../test/compat/events/support.js'
import { startCoffer } from './lib/coffer.js'
import { stopAll, stopAllOnSignals } from './lib/processes.js'
import { fmt, percentile, table } from './lib/report.js'

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200' },
    burst: { type: 'string', default: '500' },
    'poll-ms': { type: 'string', default: '500' },
    rotations: { type: 'string', default: '20' },
  },
})
const EVENTS = Number(values.events)
const BURST = Number(values.burst)
const POLL_MS = Number(values['poll-ms'])
const ROTATIONS = Number(values.rotations)

/** Arrival times (ms, performance clock) by event id (`x-coffer-event-id`) or by the bench's own marker. */
const arrivals = new Map<string, number>()
const waiting = new Map<string, () => void>()
let badSignatures = 0
const key = randomBytes(24).toString('hex')

const receiver = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const at = performance.now()
    const body = Buffer.concat(chunks).toString('utf8')
    const id = String(req.headers['x-coffer-event-id'] ?? req.headers['x-bench-id'] ?? '')
    const signature = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(req.headers['x-coffer-signature'] ?? ''))
    if (req.headers['x-coffer-event-id'] !== undefined) {
      const expected = createHmac('sha256', key).update(`${signature?.[1]}.${body}`).digest('hex')
      if (signature?.[2] !== expected) badSignatures++
    }
    arrivals.set(id, at)
    waiting.get(id)?.()
    res.writeHead(204).end()
  })
})

function arrival(id: string): Promise<number> {
  const at = arrivals.get(id)
  if (at !== undefined) return Promise.resolve(at)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`event ${id} never arrived`)), 30_000)
    waiting.set(id, () => {
      clearTimeout(timer)
      waiting.delete(id)
      resolve(arrivals.get(id) as number)
    })
  })
}

function row(name: string, samples: readonly number[], baseline?: number): string[] {
  const p50 = percentile(samples, 0.5)
  return [
    name,
    String(samples.length),
    fmt.ms(p50),
    fmt.ms(percentile(samples, 0.99)),
    fmt.ms(Math.max(...samples)),
    baseline === undefined ? '' : fmt.ratio(p50 / baseline),
  ]
}

async function main(): Promise<void> {
  stopAllOnSignals()
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  const dir = mkdtempSync(join(tmpdir(), 'coffer-bench-events-'))
  writeFileSync(join(dir, 'key'), key)
  writeFileSync(
    join(dir, 'coffer.json'),
    JSON.stringify({
      events: {
        destinations: [{ name: 'bench', url, signingKeyFile: join(dir, 'key') }],
        rules: [
          {
            name: 'bench',
            eventPattern: { source: ['aws.secretsmanager', 'bench.outbox'] },
            targets: [{ id: 'bench', destination: 'bench' }],
          },
        ],
        pollIntervalMs: POLL_MS,
      },
    }),
  )
  const coffer = await startCoffer({ args: ['--config', join(dir, 'coffer.json')] })
  const sm = new SecretsManagerClient({
    endpoint: coffer.endpoint,
    region: coffer.credentials.region,
    credentials: coffer.credentials,
    maxAttempts: 1,
  })
  try {
    const secrets = Array.from({ length: 10 }, (_, i) => `bench/events-${i}`)
    for (const name of secrets) await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    const sample = JSON.stringify({ version: '0', id: randomUUID(), detail: { pad: 'x'.repeat(900) } })

    // Warm-up: connections, JIT, caches.
    for (let i = 0; i < 30; i++) {
      const id = randomUUID()
      await sm.send(
        new PutSecretValueCommand({ SecretId: secrets[0], SecretString: `w${i}`, ClientRequestToken: id }),
      )
      await fetch(url, { method: 'POST', body: sample, headers: { 'x-bench-id': `warm-${i}` } })
    }

    const write: number[] = []
    const fromRequest: number[] = []
    const fromAnswer: number[] = []
    const direct: number[] = []
    for (let i = 0; i < EVENTS; i++) {
      // Baseline: this process POSTs to the same receiver.
      const b = `direct-${i}`
      const t0 = performance.now()
      await fetch(url, { method: 'POST', body: sample, headers: { 'x-bench-id': b } })
      direct.push((await arrival(b)) - t0)
      // Coffer: PutSecretValue → outbox → dispatcher → deliverer → POST.
      const token = randomUUID()
      const s = performance.now()
      await sm.send(
        new PutSecretValueCommand({
          SecretId: secrets[i % secrets.length],
          SecretString: `v${i}`,
          ClientRequestToken: token,
        }),
      )
      const answered = performance.now()
      write.push(answered - s)
      const eventId = await waitForTokenEvent(coffer.dataDir, token)
      const at = await arrival(eventId)
      fromRequest.push(at - s)
      fromAnswer.push(at - answered)
    }

    // Another process appends (as a separate worker or the rotation engine would): found by polling.
    const db = new Database(join(coffer.dataDir, 'coffer.db'))
    db.pragma('busy_timeout = 10000')
    const account = db.prepare('SELECT default_account_id FROM deployment').pluck().get() as string
    const polled: number[] = []
    for (let i = 0; i < Math.min(EVENTS, 40); i++) {
      // A random pause first, so appends fall anywhere in the poll period.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_MS))
      const eventId = randomUUID()
      const t = performance.now()
      appendEvent(db, {
        eventId,
        time: Date.now(),
        accountId: account,
        region: coffer.credentials.region,
        source: 'bench.outbox',
        detailType: 'AWS Service Event via CloudTrail',
        resources: [],
        detail: { eventName: 'RotationSucceeded', additionalEventData: { SecretId: `bench-${i % 5}` } },
      })
      polled.push((await arrival(eventId)) - t)
    }

    // Burst: concurrent writes over 10 secrets; time until the last event arrived.
    const before = arrivals.size
    const burstStart = performance.now()
    const tokens: string[] = []
    await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const token = randomUUID()
        tokens.push(token)
        await sm.send(
          new PutSecretValueCommand({
            SecretId: secrets[i % secrets.length],
            SecretString: `b${i}`,
            ClientRequestToken: token,
          }),
        )
      }),
    )
    const written = performance.now()
    const ids = tokens.map((t) => eventIdOf(db, t))
    await Promise.all(ids.map(arrival))
    const delivered = Math.max(...ids.map((id) => arrivals.get(id) as number))

    // Rotations (the built-in random-password function): the run's last transaction writes
    // RotationSucceeded and the run's finish time (ms, wall clock; the event's own time has CloudTrail's
    // one-second precision); the subscriber stamps arrival.
    const stream = await subscribe(coffer, { pattern: { detail: { eventName: ['RotationSucceeded'] } } })
    const rotated: number[] = []
    const finishedAt = db
      .prepare(
        `SELECT r.finished_at FROM rotation_runs r JOIN secrets s ON s.id = r.secret_id
         WHERE s.arn = ? AND r.state = 'succeeded'`,
      )
      .pluck()
    for (let i = 0; i < ROTATIONS; i++) {
      const name = `bench/events-rotation-${i}`
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
      await sm.send(
        new RotateSecretCommand({
          SecretId: name,
          RotationLambdaARN: `arn:aws:lambda:${coffer.credentials.region}:000000000000:function:coffer-random-password`,
        }),
      )
      const mine = (e: { data: Record<string, unknown> }) =>
        (e.data['detail'] as { additionalEventData?: { SecretId?: string } }).additionalEventData
          ?.SecretId === ARN
      await stream.waitFor((events) => events.some(mine), 30_000)
      rotated.push((stream.events.find(mine)?.at ?? NaN) - (finishedAt.get(ARN) as number))
    }
    stream.close()
    db.close()

    console.log(
      `\nEvent delivery latency, ms (sequential, ${EVENTS} events; signatures invalid: ${badSignatures})\n`,
    )
    const base = percentile(direct, 0.5)
    console.log(
      table([
        ['path', 'n', 'p50', 'p99', 'max', 'p50 / direct POST'],
        row('direct POST to the receiver (baseline)', direct, base),
        row('PutSecretValue round trip (no event wait)', write, base),
        row('PutSecretValue sent → webhook received', fromRequest, base),
        row('PutSecretValue answered → webhook received', fromAnswer, base),
        row(`outbox append by another process → received (poll ${POLL_MS} ms)`, polled, base),
        row('rotation run finished → RotationSucceeded on /events', rotated, base),
      ]),
    )
    console.log(
      `\nBurst: ${BURST} concurrent PutSecretValue over 10 secrets: written in ${fmt.ms(written - burstStart)} ms, ` +
        `all delivered after ${fmt.ms(delivered - burstStart)} ms ` +
        `(${fmt.int((BURST * 1000) / (delivered - burstStart))} events/s end to end; ${arrivals.size - before} arrivals)`,
    )
    if (badSignatures > 0) process.exitCode = 1
  } finally {
    sm.destroy()
    receiver.close()
    receiver.closeAllConnections()
    await coffer.stop()
    await stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}

let readDb: Database.Database | undefined

/** The id of the event a PutSecretValue with this token appended (read from the outbox). */
async function waitForTokenEvent(dataDir: string, token: string): Promise<string> {
  readDb ??= new Database(join(dataDir, 'coffer.db'), { readonly: true })
  return eventIdOf(readDb, token)
}

function eventIdOf(db: Database.Database, token: string): string {
  const id = db
    .prepare(
      "SELECT event_id FROM outbox WHERE json_extract(detail, '$.requestParameters.clientRequestToken') = ? ORDER BY seq DESC LIMIT 1",
    )
    .pluck()
    .get(token) as string | undefined
  if (id === undefined) throw new Error(`no outbox event for token ${token}`)
  return id
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
