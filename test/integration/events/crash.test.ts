/**
 * At-least-once delivery through failures and a crash: a receiver that answers 500 or never answers
 * for a share of requests, and the server killed with SIGKILL while deliveries are under way. After a
 * restart on the same data directory every event is delivered, and per secret no event is attempted
 * before the previous one was acknowledged.
 */
import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'
import { eventsConfigFile, startReceiver, type Receiver, type Received } from '../../compat/events/support.js'

const SECRETS = 3
const WRITES = 12

let server: TestServer | undefined
let receiver: Receiver | undefined

afterAll(async () => {
  await server?.stop({ cleanup: true })
  await receiver?.close()
})

/** A small seeded generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The client request token of a PutSecretValue event (`<secret>-<i>`), or `<secret>-create`. */
function tokenOf(r: Received): string {
  const detail = r.json['detail'] as { requestParameters?: { clientRequestToken?: string } }
  return detail.requestParameters?.clientRequestToken ?? ''
}

it('delivers every event at least once, in order per secret, through 500s, timeouts and SIGKILL', async () => {
  const random = seeded(Number(process.env['EVENTS_SEED'] ?? 20260801))
  const hook = await startReceiver(() => {
    const x = random()
    return x < 0.25 ? 'fail' : x < 0.35 ? 'hang' : 'ok'
  })
  receiver = hook
  const config = eventsConfigFile({
    destinations: [{ name: 'flaky', url: hook.url, signingKeyFile: hook.keyFile }],
    rules: [
      {
        name: 'all-changes',
        eventPattern: { source: ['aws.secretsmanager'] },
        targets: [{ id: 'flaky', destination: 'flaky' }],
      },
    ],
    delivery: { maxAttempts: 1000, backoffBaseSeconds: 0.02, backoffMaxSeconds: 0.1, timeoutSeconds: 0.3 },
    pollIntervalMs: 100,
  })
  server = await startServer({ args: ['--config', config] })
  const sm = secretsManagerClient(server)
  const prefix = uniqueName('crash')
  // Every write is acknowledged before the crash; their events must all arrive.
  await Promise.all(
    Array.from({ length: SECRETS }, async (_, s) => {
      const name = `${prefix}-${s}`
      await sm.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: 'v0',
          ClientRequestToken: `${name}-create-0000000000000000`,
        }),
      )
      for (let i = 0; i < WRITES; i++)
        await sm.send(
          new PutSecretValueCommand({
            SecretId: name,
            SecretString: `v${i + 1}`,
            ClientRequestToken: `${name}-${String(i).padStart(2, '0')}-000000000000000000000`,
          }),
        )
    }),
  )
  sm.destroy()
  const total = SECRETS * (WRITES + 1)
  const acked = () => new Set(hook.received.filter((r) => r.outcome === 'ok').map((r) => r.eventId))
  // Kill while deliveries are still going on.
  await hook.waitFor(() => acked().size >= 8)
  expect(acked().size).toBeLessThan(total)
  await server.kill()
  const beforeRestart = hook.received.length
  server = await startServer({ dataDir: server.dataDir, args: ['--config', config] })
  await hook.waitFor(() => acked().size === total, 45_000)
  expect(hook.received.length).toBeGreaterThan(beforeRestart)

  // Exactly the outbox's events were delivered, each at least once.
  const db = new Database(join(server.dataDir, 'coffer.db'), { readonly: true })
  const outboxIds = db
    .prepare("SELECT event_id FROM outbox WHERE source = 'aws.secretsmanager'")
    .pluck()
    .all()
  db.close()
  expect(acked()).toEqual(new Set(outboxIds))
  for (const r of hook.received) expect(r.signatureValid).toBe(true)

  // Per secret: each event is first attempted only after the previous one was acknowledged.
  for (let s = 0; s < SECRETS; s++) {
    const name = `${prefix}-${s}`
    const order = [`${name}-create-0000000000000000`]
    for (let i = 0; i < WRITES; i++) order.push(`${name}-${String(i).padStart(2, '0')}-000000000000000000000`)
    const attempts = hook.received.filter((r) => tokenOf(r).startsWith(`${name}-`))
    for (let k = 1; k < order.length; k++) {
      const firstAttempt = attempts.findIndex((r) => tokenOf(r) === order[k])
      const previousAck = attempts.findIndex((r) => tokenOf(r) === order[k - 1] && r.outcome === 'ok')
      expect(previousAck, `${order[k - 1]} acknowledged`).toBeGreaterThanOrEqual(0)
      expect(firstAttempt, `${order[k]} attempted after ${order[k - 1]} was acknowledged`).toBeGreaterThan(
        previousAck,
      )
    }
  }
})
