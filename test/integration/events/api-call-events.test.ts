/**
 * API-call events are the audit record (reference §3: `detail` = record), written in the change's
 * transaction: every mutating call of every service yields exactly one event whose detail is its
 * CloudTrail record (the same eventID LookupEvents shows), failures included; read-only calls yield
 * one only while a rule in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS wants them, and only such
 * rules receive them; a change and its event commit together — a process killed between the commit and the event's
 * completion still delivers the event (held, then released by expiry), in its place in the order.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail'
import { CreateKeyCommand, KMSClient, TagResourceCommand as KmsTagResourceCommand } from '@aws-sdk/client-kms'
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager'
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { requestId, storedRecords } from '../../compat/audit/support.js'
import {
  eventBridgeClient,
  secretEventsTo,
  startReceiver,
  subscribe,
  type Receiver,
} from '../../compat/events/support.js'
import {
  ADMIN_ARN,
  asCredentials,
  IamFixtures,
  trustingPrincipal,
  uniqueRoleName,
} from '../../compat/sts/support.js'
import { secretsManagerClient } from '../../support/clients.js'
import { auditDatabasePath, openReadOnly } from '../../support/db-snapshot.js'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'

interface OutboxRow {
  seq: number
  eventId: string
  source: string
  detailType: string
  heldUntil: number | null
  detail: Record<string, unknown> & { requestID: string; eventID: string; eventName: string }
}

function outbox(server: TestServer): OutboxRow[] {
  const db = openReadOnly(server.dataDir)
  try {
    const rows = db
      .prepare('SELECT seq, event_id, source, detail_type, held_until, detail FROM outbox ORDER BY seq')
      .all() as {
      seq: number
      event_id: string
      source: string
      detail_type: string
      held_until: number | null
      detail: string
    }[]
    return rows.map((r) => ({
      seq: r.seq,
      eventId: r.event_id,
      source: r.source,
      detailType: r.detail_type,
      heldUntil: r.held_until,
      detail: JSON.parse(r.detail) as OutboxRow['detail'],
    }))
  } finally {
    db.close()
  }
}

function configFile(config: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'coffer-api-events-')), 'coffer.json')
  writeFileSync(path, JSON.stringify(config))
  return path
}

const servers: TestServer[] = []
const receivers: Receiver[] = []
const clients: { destroy(): void }[] = []

async function start(config: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const server = await startServer({ args: ['--config', configFile(config)], env })
  servers.push(server)
  return server
}

function client<C extends { destroy(): void }>(c: C): C {
  clients.push(c)
  return c
}

function options(server: TestServer) {
  return {
    endpoint: server.endpoint,
    region: server.credentials.region,
    credentials: server.credentials,
    maxAttempts: 1,
  }
}

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
})

afterAll(async () => {
  for (const server of servers) await server.stop({ cleanup: true })
  for (const receiver of receivers) await receiver.close()
})

describe('one record, two consumers', () => {
  it('gives each mutating call of every service one event whose detail is its audit record', async () => {
    const server = await start()
    const sm = client(secretsManagerClient(server))
    const kms = client(new KMSClient(options(server)))
    const ssm = client(new SSMClient(options(server)))
    const trail = client(new CloudTrailClient(options(server)))
    const name = uniqueName('evt')
    const calls: { id: string; eventName: string; source: string }[] = []
    const call = async (source: string, eventName: string, promise: Promise<unknown>) => {
      const outcome = await requestId(promise)
      expect(outcome.error).toBeUndefined()
      calls.push({ id: outcome.id, eventName, source })
    }
    const SM = 'aws.secretsmanager'
    await call(SM, 'CreateSecret', sm.send(new CreateSecretCommand({ Name: name, SecretString: 'canary-1' })))
    await call(
      SM,
      'PutSecretValue',
      sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'canary-2' })),
    )
    await call(SM, 'UpdateSecret', sm.send(new UpdateSecretCommand({ SecretId: name, Description: 'd' })))
    await call(
      SM,
      'TagResource',
      sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k', Value: 'v' }] })),
    )
    const key = await kms.send(new CreateKeyCommand({}))
    calls.push({ id: key.$metadata.requestId ?? '', eventName: 'CreateKey', source: 'aws.kms' })
    await call(
      'aws.kms',
      'TagResource',
      kms.send(
        new KmsTagResourceCommand({ KeyId: key.KeyMetadata?.KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }),
      ),
    )
    await call(
      'aws.ssm',
      'PutParameter',
      ssm.send(new PutParameterCommand({ Name: `/${name}/p`, Value: 'canary-3', Type: 'SecureString' })),
    )
    // Read-only: no event.
    const read = await requestId(sm.send(new GetSecretValueCommand({ SecretId: name })))

    const events = outbox(server)
    for (const { id, eventName, source } of calls) {
      const mine = events.filter((e) => e.detail.requestID === id)
      expect(mine, `${eventName} ${id}`).toHaveLength(1)
      const event = mine[0] as OutboxRow
      expect(event).toMatchObject({ source, detailType: 'AWS API Call via CloudTrail', heldUntil: null })
      expect(event.detail).toMatchObject({ eventName, readOnly: false, eventType: 'AwsApiCall' })
      expect(event.eventId).toBe(event.detail.eventID)
      const looked = await trail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: event.eventId }],
        }),
      )
      expect(looked.Events).toHaveLength(1)
      expect(JSON.parse(looked.Events?.[0]?.CloudTrailEvent ?? '{}')).toEqual(event.detail)
    }
    expect(events.filter((e) => e.detail.requestID === read.id)).toEqual([])
    const secretEvent = events.find((e) => e.detail.requestID === calls[1]?.id)
    expect((secretEvent?.detail['responseElements'] as { arn?: string }).arn).toMatch(/:secret:evt-/)
    const text = JSON.stringify(events)
    for (const canary of ['canary-1', 'canary-2', 'canary-3']) expect(text).not.toContain(canary)
  })

  it('gives a refused or failed mutating call one event carrying its error', async () => {
    const server = await start()
    const fixtures = new IamFixtures(server)
    try {
      const sm = client(secretsManagerClient(server))
      const name = uniqueName('denied')
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
      const role = fixtures.role({
        name: uniqueRoleName('reader'),
        trust: trustingPrincipal(ADMIN_ARN),
        inline: {
          read: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
          }),
        },
      })
      const sts = client(new STSClient(options(server)))
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'reader' }))
      const reader = client(
        new SecretsManagerClient({ ...options(server), credentials: asCredentials(assumed.Credentials) }),
      )
      const denied = await requestId(
        reader.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'x' })),
      )
      expect(denied.error?.name).toBe('AccessDeniedException')
      const missing = await requestId(
        sm.send(new UpdateSecretCommand({ SecretId: `${name}-nope`, Description: 'd' })),
      )
      expect(missing.error?.name).toBe('ResourceNotFoundException')
      const events = outbox(server)
      for (const [id, code] of [
        [denied.id, 'AccessDeniedException'],
        [missing.id, 'ResourceNotFoundException'],
      ] as const) {
        const mine = events.filter((e) => e.detail.requestID === id)
        expect(mine).toHaveLength(1)
        expect(mine[0]?.detail).toMatchObject({ errorCode: code, responseElements: null })
      }
    } finally {
      fixtures.close()
    }
  })

  it('leaves only the failure event of a call whose transaction failed', async () => {
    const server = await start()
    const sm = client(secretsManagerClient(server))
    const name = uniqueName('race')
    // The same name created concurrently: one transaction commits, the others fail on the name's
    // uniqueness (inside their transaction, after their event was held) or before it.
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        requestId(sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))),
      ),
    )
    expect(outcomes.filter((o) => o.error === undefined)).toHaveLength(1)
    const events = outbox(server)
    for (const o of outcomes) {
      const mine = events.filter((e) => e.detail.requestID === o.id)
      expect(mine).toHaveLength(1)
      if (o.error === undefined) expect(mine[0]?.detail['errorCode']).toBeUndefined()
      else expect(mine[0]?.detail['errorCode']).toBe('ResourceExistsException')
    }
    expect(events.filter((e) => e.heldUntil !== null)).toEqual([])
  })

  it('produces the events with the audit trail disabled', async () => {
    const server = await start({ audit: { enabled: false } })
    const sm = client(secretsManagerClient(server))
    const name = uniqueName('noaudit')
    const created = await requestId(sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' })))
    const put = await requestId(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'w' })))
    const events = outbox(server)
    for (const [id, eventName] of [
      [created.id, 'CreateSecret'],
      [put.id, 'PutSecretValue'],
    ] as const) {
      const mine = events.filter((e) => e.detail.requestID === id)
      expect(mine).toHaveLength(1)
      expect(mine[0]?.detail).toMatchObject({ eventName, eventSource: 'secretsmanager.amazonaws.com' })
    }
    // No trail written: no audit file, or one without records.
    const auditFile = auditDatabasePath(server.dataDir)
    expect(existsSync(auditFile) ? storedRecords(server.dataDir) : []).toEqual([])
  })
})

describe('in the change transaction', () => {
  it('delivers a held event whose process died after the commit, once the hold expired, in its place', async () => {
    const hook = await startReceiver()
    receivers.push(hook)
    const config = secretEventsTo(hook, { holdSeconds: 3 })
    const server = await start(config, { COFFER_FAULT: 'events:before-complete' })
    const name = uniqueName('held')
    const sm = client(secretsManagerClient(server))
    // The server kills itself after CreateSecret committed, before completing the event.
    const crashed = await requestId(
      sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' })),
    ).catch((error: unknown) => ({ crash: error }))
    expect('crash' in crashed).toBe(true)
    await new Promise<void>((resolve) => {
      if (server.process.exitCode !== null || server.process.signalCode !== null) resolve()
      else server.process.once('exit', () => resolve())
    })
    const held = outbox(server)
    expect(held).toHaveLength(1)
    expect(held[0]?.heldUntil).not.toBeNull()
    expect(held[0]?.detail).toMatchObject({ eventName: 'CreateSecret', requestParameters: { name } })

    const restarted = await startServer({ dataDir: server.dataDir, args: ['--config', configFile(config)] })
    servers.push(restarted)
    const sm2 = client(secretsManagerClient(restarted))
    const described = await sm2.send(new ListSecretVersionIdsCommand({ SecretId: name }))
    expect(described.ARN).toBeDefined()
    // A later change to the same secret waits behind the held event.
    await sm2.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'w' }))
    await hook.waitFor((received) => received.filter((r) => r.outcome === 'ok').length >= 2, 20_000)
    const delivered = hook.received.map(
      (r) => r.json['detail'] as { eventName: string; responseElements: unknown },
    )
    expect(delivered.map((d) => d.eventName)).toEqual(['CreateSecret', 'PutSecretValue'])
    // Provisional detail: what was known when the change committed — the secret's ARN.
    expect(delivered[0]?.responseElements).toEqual({ arn: described.ARN })
    expect(hook.received[0]?.eventId).toBe(held[0]?.eventId)
  }, 60_000)

  it('keeps the events of one secret in the order its changes committed, under concurrent writers', async () => {
    const server = await start()
    const sm = client(secretsManagerClient(server))
    const name = uniqueName('order')
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
    const writers = client(new SecretsManagerClient({ ...options(server), maxAttempts: 10 }))
    const tokens = Array.from(
      { length: 16 },
      (_, i) => `${name}-${String(i).padStart(2, '0')}-0000000000000000000000`,
    )
    await Promise.all(
      tokens.map((token, i) =>
        writers.send(
          new PutSecretValueCommand({ SecretId: name, SecretString: `v${i}`, ClientRequestToken: token }),
        ),
      ),
    )
    const puts = outbox(server).filter(
      (e) => e.detail.eventName === 'PutSecretValue' && e.detail['errorCode'] === undefined,
    )
    const order = puts.map(
      (e) => (e.detail['requestParameters'] as { clientRequestToken: string }).clientRequestToken,
    )
    expect([...order].sort()).toEqual([...tokens].sort())
    // The last change committed is the one AWSCURRENT sits on; its event must be the last one.
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }))
    const current = versions.Versions?.find((v) => v.VersionStages?.includes('AWSCURRENT'))?.VersionId
    expect(order.at(-1)).toBe(current)
    const previous = versions.Versions?.find((v) => v.VersionStages?.includes('AWSPREVIOUS'))?.VersionId
    expect(order.at(-2)).toBe(previous)
  })
})

describe('cluster mode', () => {
  it('completes events written by workers; the primary delivers them in order per secret', async () => {
    const hook = await startReceiver()
    receivers.push(hook)
    const config = secretEventsTo(hook)
    const server = await startServer({ args: ['--config', configFile(config), '--workers', '2'] })
    servers.push(server)
    const sm = client(new SecretsManagerClient({ ...options(server), maxAttempts: 10 }))
    const names = [uniqueName('cluster-a'), uniqueName('cluster-b')]
    await Promise.all(
      names.map(async (name) => {
        await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }))
        for (let i = 0; i < 5; i++)
          await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `v${i}` }))
      }),
    )
    const ok = () => hook.received.filter((r) => r.outcome === 'ok')
    await hook.waitFor(() => ok().length >= 12, 20_000)
    const events = outbox(server)
    expect(events.filter((e) => e.heldUntil !== null)).toEqual([])
    for (const name of names) {
      const expected = events
        .filter((e) => JSON.stringify(e.detail['requestParameters']).includes(name))
        .map((e) => e.eventId)
      expect(expected).toHaveLength(6)
      const delivered = ok()
        .filter((r) => expected.includes(r.eventId))
        .map((r) => r.eventId)
      expect(delivered).toEqual(expected)
    }
  }, 60_000)
})

describe('BatchGetSecretValue', () => {
  it('logs a GetSecretValue record per secret returned or refused, with its ARN as resource', async () => {
    const server = await start()
    const sm = client(secretsManagerClient(server))
    const trail = client(new CloudTrailClient(options(server)))
    const a = await sm.send(new CreateSecretCommand({ Name: uniqueName('batch-a'), SecretString: 'x' }))
    const b = await sm.send(new CreateSecretCommand({ Name: uniqueName('batch-b'), SecretString: 'y' }))
    const batch = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: [a.ARN ?? '', b.ARN ?? ''] }))
    expect(batch.SecretValues).toHaveLength(2)
    const batchId = batch.$metadata.requestId
    for (const arn of [a.ARN ?? '', b.ARN ?? '']) {
      const looked = await trail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }],
        }),
      )
      const records = (looked.Events ?? [])
        .map((e) => JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, unknown>)
        .filter((r) => r['requestID'] === batchId)
      expect(records).toHaveLength(1)
      expect(records[0]).toMatchObject({
        eventName: 'GetSecretValue',
        requestParameters: { secretId: arn },
        responseElements: null,
        readOnly: true,
      })
    }
    const all = await trail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'BatchGetSecretValue' }],
      }),
    )
    expect(
      all.Events?.filter((e) => JSON.parse(e.CloudTrailEvent ?? '{}').requestID === batchId),
    ).toHaveLength(1)
  })
})

describe('read-only calls', () => {
  it('raise events only while a rule wants them, which only such rules receive; streams never show them', async () => {
    const writesHook = await startReceiver()
    const readsHook = await startReceiver()
    receivers.push(writesHook, readsHook)
    const server = await start({
      events: {
        destinations: [
          { name: 'writes', url: writesHook.url, signingKeyFile: writesHook.keyFile },
          { name: 'reads', url: readsHook.url, signingKeyFile: readsHook.keyFile },
        ],
        // ENABLED: receives the API calls that are not read-only.
        rules: [
          {
            name: 'secrets',
            eventPattern: { source: ['aws.secretsmanager'] },
            targets: [{ id: 'writes', destination: 'writes' }],
          },
        ],
        pollIntervalMs: 100,
      },
    })
    const sm = client(secretsManagerClient(server))
    const eb = client(eventBridgeClient(server))
    const trail = client(new CloudTrailClient(options(server)))
    const stream = await subscribe(server)
    try {
      const a = await sm.send(new CreateSecretCommand({ Name: uniqueName('reads-a'), SecretString: 'x' }))
      const b = await sm.send(new CreateSecretCommand({ Name: uniqueName('reads-b'), SecretString: 'y' }))
      const [, , , region, account] = (a.ARN ?? '').split(':')
      const ofRequest = (id: string) => outbox(server).filter((e) => e.detail.requestID === id)

      // No rule wants reads: a read writes nothing to the outbox.
      const unwanted = await requestId(sm.send(new GetSecretValueCommand({ SecretId: a.ARN })))
      expect(ofRequest(unwanted.id)).toEqual([])

      const rule = (state: 'ENABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') =>
        eb.send(
          new PutRuleCommand({
            Name: 'reads',
            State: state,
            EventPattern: JSON.stringify({
              source: ['aws.secretsmanager'],
              detail: { eventName: ['GetSecretValue', 'PutSecretValue'] },
            }),
          }),
        )
      await rule('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')
      // Without a target the rule could receive nothing: still no events for reads.
      const untargeted = await requestId(sm.send(new GetSecretValueCommand({ SecretId: a.ARN })))
      expect(ofRequest(untargeted.id)).toEqual([])
      const targeted = await eb.send(
        new PutTargetsCommand({
          Rule: 'reads',
          Targets: [{ Id: 'reads', Arn: `arn:aws:events:${region}:${account}:api-destination/reads` }],
        }),
      )
      expect(targeted.FailedEntryCount).toBe(0)

      const read = await requestId(sm.send(new GetSecretValueCommand({ SecretId: a.ARN })))
      const [event] = ofRequest(read.id)
      expect(event).toMatchObject({ source: 'aws.secretsmanager', detailType: 'AWS API Call via CloudTrail' })
      expect(event?.detail).toMatchObject({ eventName: 'GetSecretValue', readOnly: true })
      const looked = await trail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: event?.eventId ?? '' }],
        }),
      )
      expect(JSON.parse(looked.Events?.[0]?.CloudTrailEvent ?? '{}')).toEqual(event?.detail)
      // BatchGetSecretValue: its own event and one GetSecretValue event per secret.
      const batch = await requestId(
        sm.send(new BatchGetSecretValueCommand({ SecretIdList: [a.ARN ?? '', b.ARN ?? ''] })),
      )
      const batchEvents = ofRequest(batch.id)
      expect(batchEvents.map((e) => e.detail.eventName).sort()).toEqual([
        'BatchGetSecretValue',
        'GetSecretValue',
        'GetSecretValue',
      ])
      const put = await requestId(sm.send(new PutSecretValueCommand({ SecretId: a.ARN, SecretString: 'z' })))

      const readIds = [event, ...batchEvents].map((e) => e?.eventId)
      const putId = ofRequest(put.id)[0]?.eventId
      const wanted = [event, ...batchEvents.filter((e) => e.detail.eventName === 'GetSecretValue')]
        .map((e) => e?.eventId)
        .concat(putId)
        .sort()
      const ids = (hook: Receiver) => hook.received.map((r) => r.eventId)
      await readsHook.waitFor(() => ids(readsHook).length >= wanted.length)
      await writesHook.waitFor(() => ids(writesHook).includes(putId ?? ''))
      // The reads rule: the reads and the write its pattern names. The ENABLED rule: no read.
      expect(ids(readsHook).sort()).toEqual(wanted)
      expect(ids(writesHook).filter((id) => readIds.includes(id))).toEqual([])
      await stream.waitFor((events) => events.some((e) => (e.data['id'] as string) === putId))
      expect(stream.events.filter((e) => readIds.includes(e.data['id'] as string))).toEqual([])

      // Back to ENABLED: reads stop raising events at once.
      await rule('ENABLED')
      const after = await requestId(sm.send(new GetSecretValueCommand({ SecretId: a.ARN })))
      expect(ofRequest(after.id)).toEqual([])
    } finally {
      stream.close()
    }
  })
})
