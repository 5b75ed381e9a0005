/**
 * The audit trail with several workers (`--workers 2`): every worker appends to one chain
 * (docs/audit.md, "Several workers"), one record per request, on every device.
 */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditDatabasePath, openReadWrite } from '../../support/db-snapshot.js'
import { functionArn } from '../rotation/support.js'
import { uniqueName, type TestServer } from '../../support/server.js'
import { coffer, requestId, startAuditServer, storedRecords } from './support.js'

/** Separate clients, so that requests arrive on separate connections and spread over the workers. */
function clients(server: TestServer, count: number): SecretsManagerClient[] {
  return Array.from(
    { length: count },
    () =>
      new SecretsManagerClient({
        endpoint: server.endpoint,
        region: server.credentials.region,
        credentials: server.credentials,
        maxAttempts: 1,
      }),
  )
}

/** Record lines of the JSONL device (digest lines left out). */
function fileRecords(server: TestServer): { record: { requestID: string } }[] {
  return readFileSync(join(server.dataDir, 'audit/audit.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"seq"'))
    .map((line) => JSON.parse(line) as { record: { requestID: string } })
}

/** Many concurrent GetSecretValue calls over `sms`; their request ids. */
async function readConcurrently(sms: SecretsManagerClient[], secret: string, rounds: number) {
  const ids: string[] = []
  for (let round = 0; round < rounds; round++) {
    const outcomes = await Promise.all(
      sms.map((sm) => requestId(sm.send(new GetSecretValueCommand({ SecretId: secret })))),
    )
    for (const outcome of outcomes) {
      expect(outcome.error).toBeUndefined()
      ids.push(outcome.id)
    }
  }
  return ids
}

describe('audit trail with two workers, database and file devices', () => {
  let server: TestServer
  let sms: SecretsManagerClient[]
  const secret = uniqueName('cluster-audit')

  beforeAll(async () => {
    server = await startAuditServer({ devices: ['database', 'file'] }, { args: ['--workers', '2'] })
    sms = clients(server, 8)
    await sms[0]?.send(new CreateSecretCommand({ Name: secret, SecretString: 'cluster-value' }))
  })
  afterAll(async () => {
    for (const sm of sms ?? []) sm.destroy()
    await server?.stop({ cleanup: true })
  })

  it('records every request of every worker exactly once, in one chain that verifies, on both devices', async () => {
    const ids = await readConcurrently(sms, secret, 10)
    const stored = storedRecords(server.dataDir)
    const count = (id: string) => stored.filter((r) => r.requestID === id).length
    for (const id of ids) expect(count(id), id).toBe(1)
    expect(stored.filter((r) => r.eventName === 'GetSecretValue')).toHaveLength(ids.length)
    const lines = fileRecords(server)
    expect(lines.map((l) => l.record.requestID)).toEqual(stored.map((r) => r.requestID))
    const run = coffer(['audit', 'verify', '--data-dir', server.dataDir])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
  })

  it('fails a worker request closed when its record cannot be written', async () => {
    const db = openReadWrite(server.dataDir, auditDatabasePath(server.dataDir))
    db.exec(
      "CREATE TRIGGER audit_broken BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'broken'); END",
    )
    try {
      const outcome = await requestId(sms[1]!.send(new GetSecretValueCommand({ SecretId: secret })))
      expect(outcome.error?.name).toBe('InternalServiceError')
    } finally {
      db.exec('DROP TRIGGER audit_broken')
      db.close()
    }
    const ids = await readConcurrently(sms, secret, 1)
    const stored = storedRecords(server.dataDir)
    for (const id of ids) expect(stored.filter((r) => r.requestID === id)).toHaveLength(1)
    expect(coffer(['audit', 'verify', '--data-dir', server.dataDir]).code).toBe(0)
  })

  it('records the outcome of a rotation the primary ran (scheduled work runs there, not in a worker)', async () => {
    const name = uniqueName('cluster-rotation')
    const created = await sms[0]!.send(new CreateSecretCommand({ Name: name, SecretString: 'before' }))
    await sms[0]!.send(new RotateSecretCommand({ SecretId: name, RotationLambdaARN: functionArn(server) }))
    const outcome = () =>
      storedRecords(server.dataDir).find(
        (r) =>
          r.eventName === 'RotationSucceeded' &&
          (r['additionalEventData'] as { SecretId?: string } | undefined)?.SecretId === created.ARN,
      )
    await expect.poll(outcome, { timeout: 20_000, interval: 200 }).toBeDefined()
    expect(outcome()).toMatchObject({
      eventType: 'AwsServiceEvent',
      userIdentity: { invokedBy: 'secretsmanager.amazonaws.com' },
    })
    expect(coffer(['audit', 'verify', '--data-dir', server.dataDir]).code).toBe(0)
  })
})
