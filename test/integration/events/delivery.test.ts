/**
 * Webhook delivery end to end: a real server with API destinations and rules in its configuration,
 * real local receivers, events raised by real Secrets Manager calls and appended to the outbox by
 * another process (read-only API calls), deliveries that fail for good ending as dead letters.
 */
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendEvent } from '../../../src/server/storage/sqlite/outbox-store.js'
import { secretsManagerClient } from '../../support/clients.js'
import { COFFER_BIN, startServer, uniqueName, type TestServer } from '../../support/server.js'
import { eventsConfigFile, startReceiver, type Receiver } from '../../compat/events/support.js'

let server: TestServer
let hook: Receiver
let failing: Receiver
let sm: SecretsManagerClient

const SECRET_VALUE = 'do-not-leak-7f3a9c'

beforeAll(async () => {
  hook = await startReceiver()
  failing = await startReceiver(() => 'fail')
  const config = eventsConfigFile({
    destinations: [
      { name: 'hook', url: hook.url, signingKeyFile: hook.keyFile },
      { name: 'failing', url: failing.url, signingKeyFile: failing.keyFile },
    ],
    rules: [
      {
        name: 'changes',
        eventPattern: {
          source: ['aws.secretsmanager'],
          detail: { responseElements: { arn: [{ wildcard: '*:secret:d-*' }] } },
        },
        targets: [
          { id: 'envelope', destination: 'hook' },
          { id: 'constant', destination: 'hook', input: { changed: true } },
        ],
      },
      {
        name: 'dead',
        eventPattern: { detail: { responseElements: { arn: [{ wildcard: '*:secret:dead-*' }] } } },
        targets: [{ id: 'never', destination: 'failing' }],
      },
      {
        name: 'reads-enabled',
        eventPattern: { source: ['test.reads'] },
        state: 'ENABLED',
        targets: [{ id: 'enabled', destination: 'hook' }],
      },
      {
        name: 'reads-all',
        eventPattern: { source: ['test.reads'] },
        state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
        targets: [{ id: 'all', destination: 'hook', input: { rule: 'reads-all' } }],
      },
    ],
    delivery: { maxAttempts: 3, backoffBaseSeconds: 0.05, backoffMaxSeconds: 0.2, timeoutSeconds: 2 },
    pollIntervalMs: 100,
  })
  server = await startServer({ args: ['--config', config] })
  sm = secretsManagerClient(server)
})

afterAll(async () => {
  sm?.destroy()
  await server?.stop({ cleanup: true })
  await hook?.close()
  await failing?.close()
})

describe('webhook delivery', () => {
  it('POSTs the signed EventBridge envelope of each mutating call to every matching target', async () => {
    const name = uniqueName('d-')
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: SECRET_VALUE }))
    await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `${SECRET_VALUE}-2` }))
    const mine = () =>
      hook.received.filter((r) => r.body.includes(created.ARN ?? '?') || r.json['changed'] === true)
    await hook.waitFor(
      () => mine().filter((r) => r.json['version'] === '0').length === 2 && mine().length >= 4,
    )
    const envelopes = mine().filter((r) => r.json['version'] === '0')
    expect(envelopes.map((r) => (r.json['detail'] as { eventName: string }).eventName)).toEqual([
      'CreateSecret',
      'PutSecretValue',
    ])
    const account = (envelopes[0]?.json as { account: string }).account
    for (const r of envelopes) {
      expect(r.signatureValid).toBe(true)
      expect(r.eventId).toBe(r.json['id'])
      expect(r.body).not.toContain(SECRET_VALUE)
      expect(r.json).toMatchObject({
        version: '0',
        'detail-type': 'AWS API Call via CloudTrail',
        source: 'aws.secretsmanager',
        account,
        region: server.credentials.region,
        resources: [],
        detail: {
          eventSource: 'secretsmanager.amazonaws.com',
          eventType: 'AwsApiCall',
          readOnly: false,
          awsRegion: server.credentials.region,
          responseElements: { arn: created.ARN },
          userIdentity: { type: 'IAMUser', accountId: account, arn: `arn:aws:iam::${account}:user/admin` },
        },
      })
      expect(r.json['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      expect(
        Object.keys((r.json['detail'] as { requestParameters: object }).requestParameters),
      ).not.toContain('secretString')
    }
    // The constant-input target gets its Input, signed, with the event's id in the header.
    const constants = hook.received.filter((r) => r.json['changed'] === true)
    expect(constants.length).toBeGreaterThanOrEqual(2)
    for (const r of constants) {
      expect(r.body).toBe('{"changed":true}')
      expect(r.signatureValid).toBe(true)
    }
    expect(new Set(constants.map((r) => r.eventId))).toEqual(new Set(envelopes.map((r) => r.eventId)))
  })

  it('delivers events appended to the outbox by another process; read-only calls only reach ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules', async () => {
    const db = new Database(join(server.dataDir, 'coffer.db'))
    db.pragma('busy_timeout = 10000')
    const account = db.prepare('SELECT default_account_id FROM deployment').pluck().get() as string
    const event = (readOnly: boolean) => ({
      eventId: randomUUID(),
      time: Date.now(),
      accountId: account,
      region: server.credentials.region,
      source: 'test.reads',
      detailType: 'AWS API Call via CloudTrail',
      resources: [],
      detail: { eventName: readOnly ? 'GetSecretValue' : 'PutSecretValue', readOnly },
    })
    const read = event(true)
    const write = event(false)
    // Both in one transaction of this process, as the audit writer and the rotation engine append.
    db.transaction(() => {
      appendEvent(db, read)
      appendEvent(db, write)
    })()
    db.close()
    const ids = (target: 'all' | 'enabled') =>
      hook.received
        .filter((r) =>
          target === 'all' ? r.json['rule'] === 'reads-all' : r.json['source'] === 'test.reads',
        )
        .map((r) => r.eventId)
    await hook.waitFor(() => ids('all').length === 2 && ids('enabled').length === 1)
    expect(new Set(ids('all'))).toEqual(new Set([read.eventId, write.eventId]))
    expect(ids('enabled')).toEqual([write.eventId])
  })

  it('dead-letters a delivery after maxAttempts failures, visible with `coffer events dead-letters`', async () => {
    const name = uniqueName('dead-')
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: SECRET_VALUE }))
    await failing.waitFor((all) => all.filter((r) => r.body.includes(created.ARN ?? '?')).length === 3)
    const listed = await waitForDeadLetter(created.ARN ?? '?')
    expect(listed).toMatchObject({ attempts: 3, reason: 'HTTP 500', targetId: 'never' })
    // No fourth attempt.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(failing.received.filter((r) => r.body.includes(created.ARN ?? '?'))).toHaveLength(3)
  })
})

async function waitForDeadLetter(arn: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [COFFER_BIN, 'events', 'dead-letters', '--data-dir', server.dataDir, '--json'],
        (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
      ),
    )
    const letters = JSON.parse(out) as Record<string, unknown>[]
    const found = letters.find((l) => l['resource'] === arn)
    if (found !== undefined) return found
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no dead letter for ${arn}`)
}
