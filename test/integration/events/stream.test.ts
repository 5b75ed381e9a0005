/**
 * `GET /events`: server-sent events for signed callers — new events pushed as their change commits,
 * resumption from Last-Event-ID, pattern filters, presigned URLs, heartbeats, one account's events only,
 * and the refusals (unsigned, not allowed `coffer:StreamEvents`, bad pattern).
 *
 * The server polls the outbox only once a minute, longer than any wait here: an event that arrives was
 * pushed by the commit that wrote it (how fast is measured by `bench/events.ts`, not asserted).
 */
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  TagResourceCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openReadOnly } from '../../support/db-snapshot.js'
import { secretsManagerClient } from '../../support/clients.js'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'
import { Directory, OTHER_ACCOUNT, policy } from '../../compat/authz/directory.js'
import { eventsConfigFile, subscribe, type Subscriber } from '../../compat/events/support.js'

const POLL_MS = 60_000
let server: TestServer
let sm: SecretsManagerClient
let directory: Directory
const open: Subscriber[] = []

beforeAll(async () => {
  server = await startServer({
    args: ['--config', eventsConfigFile({ heartbeatSeconds: 1, pollIntervalMs: POLL_MS })],
  })
  sm = secretsManagerClient(server)
  directory = new Directory(server)
})

afterAll(async () => {
  for (const s of open) s.close()
  sm?.destroy()
  directory?.close()
  await server?.stop({ cleanup: true })
})

async function subscribed(options: Parameters<typeof subscribe>[1] = {}): Promise<Subscriber> {
  const s = await subscribe(server, options)
  open.push(s)
  return s
}

/** The secret an event is about: the ARN its record's response names, else the one its request names. */
const arnOf = (e: { data: Record<string, unknown> }) => {
  const detail = e.data['detail'] as {
    responseElements?: { arn?: string } | null
    requestParameters?: { secretId?: string } | null
  }
  return detail.responseElements?.arn ?? detail.requestParameters?.secretId
}

describe('GET /events', () => {
  it('pushes a new event as it commits and resumes after Last-Event-ID', async () => {
    const stream = await subscribed()
    expect(stream.status).toBe(200)
    const name = uniqueName('sse')
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }))
    await stream.waitFor((events) => events.some((e) => arnOf(e) === ARN), POLL_MS / 2)
    const first = stream.events.find((e) => arnOf(e) === ARN)
    expect(first?.data).toMatchObject({
      version: '0',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.secretsmanager',
      detail: { eventName: 'CreateSecret' },
    })
    const lastId = first?.id ?? ''
    expect(lastId).toMatch(/^\d+$/)
    stream.close()

    // While nobody listens: two more changes.
    await sm.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'y' }))
    await sm.send(new TagResourceCommand({ SecretId: ARN, Tags: [{ Key: 'k', Value: 'v' }] }))

    const resumed = await subscribed({ lastEventId: lastId })
    await resumed.waitFor((events) => events.filter((e) => arnOf(e) === ARN).length >= 2)
    const mine = resumed.events.filter((e) => arnOf(e) === ARN)
    expect(mine.map((e) => (e.data['detail'] as { eventName: string }).eventName)).toEqual([
      'PutSecretValue',
      'TagResource',
    ])
    const ids = resumed.events.map((e) => Number(e.id))
    expect(ids.every((id) => id > Number(lastId))).toBe(true)
    expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    expect(JSON.stringify(mine)).not.toContain('"y"')
  })

  it('pushes RotationSucceeded to a subscriber when the rotation run commits it', async () => {
    const stream = await subscribed({ pattern: { 'detail-type': ['AWS Service Event via CloudTrail'] } })
    const name = uniqueName('sse-rotation')
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'before' }))
    await sm.send(
      new RotateSecretCommand({
        SecretId: name,
        RotationLambdaARN: `arn:aws:lambda:${server.credentials.region}:000000000000:function:coffer-random-password`,
      }),
    )
    const succeeded = (e: { data: Record<string, unknown> }) => {
      const detail = e.data['detail'] as { eventName?: string; additionalEventData?: { SecretId?: string } }
      return detail.eventName === 'RotationSucceeded' && detail.additionalEventData?.SecretId === ARN
    }
    // The run ends in the background after RotateSecret answered; nothing that request did wakes the
    // stream for it, only the run's own commit.
    await stream.waitFor((events) => events.some(succeeded), POLL_MS / 2)
    const event = stream.events.find(succeeded)
    const db = openReadOnly(server.dataDir)
    const stored = db.prepare('SELECT event_id FROM outbox WHERE seq = ?').pluck().get(Number(event?.id))
    db.close()
    expect(stored).toBe((event?.data['detail'] as { eventID: string }).eventID)
    stream.close()
  })

  it('filters with a pattern and works with a presigned URL', async () => {
    const name = uniqueName('filter')
    const stream = await subscribed({
      presign: true,
      pattern: { detail: { eventName: ['PutSecretValue'], requestParameters: { secretId: [name] } } },
    })
    expect(stream.status).toBe(200)
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'a' }))
    await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'b' }))
    await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'c' }))
    await stream.waitFor((events) => events.length >= 2)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(stream.events.map((e) => (e.data['detail'] as { eventName: string }).eventName)).toEqual([
      'PutSecretValue',
      'PutSecretValue',
    ])
  })

  it('sends heartbeats to idle subscribers', async () => {
    const stream = await subscribed({ pattern: { source: ['nothing.matches'] } })
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(stream.comments.filter((c) => c === 'heartbeat').length).toBeGreaterThanOrEqual(1)
  })

  it("streams only the caller's account, and needs coffer:StreamEvents", async () => {
    await directory.createAccount(OTHER_ACCOUNT)
    const allow = policy({
      Effect: 'Allow',
      Action: ['coffer:StreamEvents', 'secretsmanager:*'],
      Resource: '*',
    })
    const other = await directory.createUser(uniqueName('other'), {
      accountId: OTHER_ACCOUNT,
      inline: [allow],
    })
    const mine = await subscribed()
    const theirs = await subscribed({ keys: other })
    expect(theirs.status).toBe(200)
    const { ARN: otherArn } = await other.sm.send(
      new CreateSecretCommand({ Name: uniqueName('theirs'), SecretString: 'x' }),
    )
    const { ARN: myArn } = await sm.send(
      new CreateSecretCommand({ Name: uniqueName('mine'), SecretString: 'x' }),
    )
    await theirs.waitFor((events) => events.some((e) => arnOf(e) === otherArn))
    await mine.waitFor((events) => events.some((e) => arnOf(e) === myArn))
    expect(mine.events.some((e) => arnOf(e) === otherArn)).toBe(false)
    expect(theirs.events.some((e) => arnOf(e) === myArn)).toBe(false)
    expect(theirs.events.every((e) => e.data['account'] === OTHER_ACCOUNT)).toBe(true)

    const denied = await directory.createUser(uniqueName('denied'), {
      inline: [policy({ Effect: 'Allow', Action: 'events:*', Resource: '*' })],
    })
    const refused = await subscribed({ keys: denied })
    expect(refused.status).toBe(400)
    expect(JSON.parse(refused.errorBody)).toMatchObject({
      __type: 'AccessDeniedException',
      Message: `User: ${denied.arn} is not authorized to perform: coffer:StreamEvents on resource: arn:aws:events:${server.credentials.region}:${directory.accountId}:event-bus/default because no identity-based policy allows the coffer:StreamEvents action`,
    })
  })

  it('refuses unsigned requests, other signing services and bad patterns', async () => {
    const unsigned = await fetch(`${server.endpoint}/events`)
    expect(unsigned.status).toBeGreaterThanOrEqual(400)
    expect(unsigned.status).toBeLessThan(500)
    await unsigned.body?.cancel()
    const wrongService = await subscribed({ service: 'secretsmanager' })
    expect(wrongService.status).toBe(400)
    expect(JSON.parse(wrongService.errorBody)).toMatchObject({ __type: 'InvalidSignatureException' })
    const bad = await subscribed({ pattern: { source: [] } })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.errorBody)).toEqual({
      __type: 'InvalidEventPatternException',
      Message: 'Event pattern is not valid. Reason: Empty arrays are not allowed',
    })
  })
})
