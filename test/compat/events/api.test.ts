/**
 * The EventBridge subset through the official JS SDK against a real server: rules on the default bus,
 * targets (API destinations declared in the configuration), TestEventPattern, errors and IAM.
 */
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  EventBridgeServiceException,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'
import { Directory, policy } from '../authz/directory.js'
import { eventBridgeClient, eventsConfigFile, startReceiver, type Receiver } from './support.js'

let server: TestServer
let receiver: Receiver
let eb: EventBridgeClient
let directory: Directory
let account: string
let region: string

beforeAll(async () => {
  receiver = await startReceiver()
  const config = eventsConfigFile({
    destinations: [{ name: 'hook', url: receiver.url, signingKeyFile: receiver.keyFile }],
    rules: [
      {
        name: 'from-config',
        eventPattern: { source: ['aws.secretsmanager'] },
        description: 'declared in the file',
        targets: [{ id: 'file-target', destination: 'hook' }],
      },
    ],
  })
  server = await startServer({ args: ['--config', config] })
  eb = eventBridgeClient(server)
  directory = new Directory(server)
  account = directory.accountId
  region = server.credentials.region
})

afterAll(async () => {
  eb?.destroy()
  directory?.close()
  await server?.stop({ cleanup: true })
  await receiver?.close()
})

const destination = () => `arn:aws:events:${region}:${account}:api-destination/hook`
const pattern = JSON.stringify({ source: ['aws.secretsmanager'], detail: { eventName: ['PutSecretValue'] } })

async function expectError(promise: Promise<unknown>, code: string, message?: string | RegExp) {
  const outcome = await promise.then(
    (value: unknown) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  )
  if (outcome.ok) throw new Error(`expected ${code}, got ${JSON.stringify(outcome.value)}`)
  expect(outcome.error).toBeInstanceOf(EventBridgeServiceException)
  const e = outcome.error as EventBridgeServiceException
  expect(e.name).toBe(code)
  expect(e.$metadata.httpStatusCode).toBe(400)
  if (typeof message === 'string') expect(e.message).toBe(message)
  else if (message !== undefined) expect(e.message).toMatch(message)
}

describe('rules', () => {
  it('PutRule creates, DescribeRule reads, PutRule again replaces all but tags', async () => {
    const name = uniqueName('rule')
    const { RuleArn } = await eb.send(
      new PutRuleCommand({
        Name: name,
        EventPattern: pattern,
        Description: 'first',
        Tags: [{ Key: 'team', Value: 'a' }],
      }),
    )
    expect(RuleArn).toBe(`arn:aws:events:${region}:${account}:rule/${name}`)
    const described = await eb.send(new DescribeRuleCommand({ Name: name }))
    expect(described).toMatchObject({
      Name: name,
      Arn: RuleArn,
      EventPattern: pattern,
      State: 'ENABLED',
      Description: 'first',
      EventBusName: 'default',
      CreatedBy: account,
    })
    await eb.send(
      new PutRuleCommand({ Name: name, EventPattern: '{"source":["aws.kms"]}', State: 'DISABLED' }),
    )
    const replaced = await eb.send(new DescribeRuleCommand({ Name: name, EventBusName: 'default' }))
    expect(replaced.EventPattern).toBe('{"source":["aws.kms"]}')
    expect(replaced.State).toBe('DISABLED')
    expect(replaced.Description).toBeUndefined()
  })

  it('accepts the three states and toggles with EnableRule / DisableRule', async () => {
    const name = uniqueName('state')
    await eb.send(
      new PutRuleCommand({
        Name: name,
        EventPattern: pattern,
        State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      }),
    )
    expect((await eb.send(new DescribeRuleCommand({ Name: name }))).State).toBe(
      'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
    )
    await eb.send(new DisableRuleCommand({ Name: name }))
    expect((await eb.send(new DescribeRuleCommand({ Name: name }))).State).toBe('DISABLED')
    await eb.send(new EnableRuleCommand({ Name: name }))
    expect((await eb.send(new DescribeRuleCommand({ Name: name }))).State).toBe('ENABLED')
  })

  it('ListRules filters by NamePrefix (case-sensitive) and pages with Limit / NextToken', async () => {
    const prefix = uniqueName('list')
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`, `${prefix}-d`, `${prefix}-e`]
    for (const name of names) await eb.send(new PutRuleCommand({ Name: name, EventPattern: pattern }))
    await eb.send(new PutRuleCommand({ Name: `${prefix.toUpperCase()}-x`, EventPattern: pattern }))
    const seen: string[] = []
    let token: string | undefined
    let pages = 0
    do {
      const page = await eb.send(new ListRulesCommand({ NamePrefix: prefix, Limit: 2, NextToken: token }))
      seen.push(...(page.Rules ?? []).map((r) => r.Name ?? ''))
      token = page.NextToken
      pages++
    } while (token !== undefined)
    expect(seen).toEqual(names)
    expect(pages).toBe(3)
    await expectError(
      eb.send(new ListRulesCommand({ NamePrefix: prefix, NextToken: 'bm90IGEgdG9rZW4' })),
      'ValidationException',
    )
  })

  it('refuses bad patterns with InvalidEventPatternException and AWS reasons, saving nothing', async () => {
    const name = uniqueName('bad')
    await expectError(
      eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"source":[]}' })),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: Empty arrays are not allowed',
    )
    await expectError(
      eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"n":[{"numeric":[">",0,">",5]}]}' })),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: Bad numeric range operator: >',
    )
    await expectError(
      eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"n":[{"NUMERIC":[">",0]}]}' })),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: Unrecognized match type NUMERIC',
    )
    await expectError(eb.send(new DescribeRuleCommand({ Name: name })), 'ResourceNotFoundException')
  })

  it('validates names and the bus as the model says', async () => {
    await expectError(
      eb.send(new PutRuleCommand({ Name: 'has space', EventPattern: pattern })),
      'ValidationException',
    )
    await expectError(
      eb.send(new PutRuleCommand({ Name: uniqueName('bus'), EventPattern: pattern, EventBusName: 'custom' })),
      'ResourceNotFoundException',
      'Event bus custom does not exist.',
    )
    await expectError(
      eb.send(new PutRuleCommand({ Name: uniqueName('sched'), ScheduleExpression: 'rate(5 minutes)' })),
      'ValidationException',
    )
  })

  it('answers ResourceNotFoundException for a missing rule', async () => {
    const name = uniqueName('missing')
    const text = `Rule ${name} does not exist on EventBus default.`
    await expectError(eb.send(new DescribeRuleCommand({ Name: name })), 'ResourceNotFoundException', text)
    await expectError(eb.send(new EnableRuleCommand({ Name: name })), 'ResourceNotFoundException', text)
    await expectError(
      eb.send(new ListTargetsByRuleCommand({ Rule: name })),
      'ResourceNotFoundException',
      text,
    )
    await expectError(
      eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: destination() }] })),
      'ResourceNotFoundException',
      text,
    )
  })
})

describe('targets', () => {
  it('PutTargets saves deliverable targets and reports the others in FailedEntries', async () => {
    const rule = uniqueName('targets')
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: pattern }))
    const result = await eb.send(
      new PutTargetsCommand({
        Rule: rule,
        Targets: [
          { Id: 'hook', Arn: destination() },
          { Id: 'constant', Arn: destination(), Input: '{"changed":true}' },
          { Id: 'lambda', Arn: `arn:aws:lambda:${region}:${account}:function:f` },
          { Id: 'unknown', Arn: `arn:aws:events:${region}:${account}:api-destination/nope` },
          { Id: 'path', Arn: destination(), InputPath: '$.detail' },
          { Id: 'badjson', Arn: destination(), Input: '{' },
        ],
      }),
    )
    expect(result.FailedEntryCount).toBe(4)
    expect(result.FailedEntries?.map((f) => [f.TargetId, f.ErrorCode])).toEqual([
      ['lambda', 'ValidationException'],
      ['unknown', 'ValidationException'],
      ['path', 'ValidationException'],
      ['badjson', 'ValidationException'],
    ])
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: rule }))
    expect(listed.Targets).toEqual([
      { Id: 'constant', Arn: destination(), Input: '{"changed":true}' },
      { Id: 'hook', Arn: destination() },
    ])
  })

  it('refuses DeleteRule while targets remain, then deletes once they are removed', async () => {
    const rule = uniqueName('delete')
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: pattern }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'a', Arn: destination() }] }))
    await expectError(
      eb.send(new DeleteRuleCommand({ Name: rule })),
      'ValidationException',
      "Rule can't be deleted since it has targets.",
    )
    expect((await eb.send(new DescribeRuleCommand({ Name: rule }))).Name).toBe(rule)
    const removed = await eb.send(new RemoveTargetsCommand({ Rule: rule, Ids: ['a', 'not-there'] }))
    expect(removed).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] })
    await eb.send(new DeleteRuleCommand({ Name: rule }))
    await expectError(eb.send(new DescribeRuleCommand({ Name: rule })), 'ResourceNotFoundException')
    // Deleting again is not an error.
    await eb.send(new DeleteRuleCommand({ Name: rule }))
  })

  it('allows five targets per rule; a sixth is LimitExceededException and changes nothing', async () => {
    const rule = uniqueName('limit')
    await eb.send(new PutRuleCommand({ Name: rule, EventPattern: pattern }))
    const five = ['1', '2', '3', '4', '5'].map((Id) => ({ Id, Arn: destination() }))
    await eb.send(new PutTargetsCommand({ Rule: rule, Targets: five }))
    await expectError(
      eb.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: '6', Arn: destination() }] })),
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    )
    // Replacing an existing id is not a new target.
    await eb.send(
      new PutTargetsCommand({ Rule: rule, Targets: [{ Id: '5', Arn: destination(), Input: '{}' }] }),
    )
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: rule, Limit: 3 }))
    expect(listed.Targets?.map((t) => t.Id)).toEqual(['1', '2', '3'])
    const rest = await eb.send(new ListTargetsByRuleCommand({ Rule: rule, NextToken: listed.NextToken }))
    expect(rest.Targets?.map((t) => [t.Id, t.Input])).toEqual([
      ['4', undefined],
      ['5', '{}'],
    ])
    expect(rest.NextToken).toBeUndefined()
  })

  it('applies the rules declared in the configuration at start', async () => {
    const described = await eb.send(new DescribeRuleCommand({ Name: 'from-config' }))
    expect(described).toMatchObject({
      EventPattern: '{"source":["aws.secretsmanager"]}',
      State: 'ENABLED',
      Description: 'declared in the file',
    })
    const targets = await eb.send(new ListTargetsByRuleCommand({ Rule: 'from-config' }))
    expect(targets.Targets).toEqual([{ Id: 'file-target', Arn: destination() }])
  })
})

describe('TestEventPattern', () => {
  const event = {
    version: '0',
    id: 'e1',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.secretsmanager',
    account: '123456789012',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { eventName: 'PutSecretValue', sourceIPAddress: '10.1.2.3' },
  }

  it('answers whether the event matches', async () => {
    const test = async (p: unknown) =>
      (
        await eb.send(
          new TestEventPatternCommand({ EventPattern: JSON.stringify(p), Event: JSON.stringify(event) }),
        )
      ).Result
    expect(await test({ source: ['aws.secretsmanager'] })).toBe(true)
    expect(await test({ source: ['aws.kms'] })).toBe(false)
    expect(await test({ detail: { sourceIPAddress: [{ cidr: '10.1.0.0/16' }] } })).toBe(true)
    expect(await test({ detail: { eventName: [{ 'anything-but': { prefix: 'Put' } }] } })).toBe(false)
  })

  it('refuses an event without the envelope members and a bad pattern', async () => {
    const { region: _dropped, ...withoutRegion } = event
    await expectError(
      eb.send(new TestEventPatternCommand({ EventPattern: '{}', Event: JSON.stringify(withoutRegion) })),
      'ValidationException',
      'Parameter Event is not valid.',
    )
    await expectError(
      eb.send(new TestEventPatternCommand({ EventPattern: '{}', Event: 'not json' })),
      'ValidationException',
      'Parameter Event is not valid.',
    )
    await expectError(
      eb.send(
        new TestEventPatternCommand({
          EventPattern: '{"a":[{"wildcard":"**"}]}',
          Event: JSON.stringify(event),
        }),
      ),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: Consecutive wildcard characters at pos 2',
    )
  })
})

describe('authorization (events:<Operation> on rule ARNs)', () => {
  it('refuses a user without permission and allows exactly what a policy grants', async () => {
    const prefix = uniqueName('team')
    const user = await directory.createUser(uniqueName('user'), {
      inline: [
        policy({
          Effect: 'Allow',
          Action: ['events:PutRule', 'events:DescribeRule'],
          Resource: `arn:aws:events:${region}:${account}:rule/${prefix}-*`,
        }),
      ],
    })
    const client = eventBridgeClient(server, user)
    try {
      await client.send(new PutRuleCommand({ Name: `${prefix}-ok`, EventPattern: pattern }))
      expect((await client.send(new DescribeRuleCommand({ Name: `${prefix}-ok` }))).Name).toBe(`${prefix}-ok`)
      const other = uniqueName('other')
      await expectError(
        client.send(new PutRuleCommand({ Name: other, EventPattern: pattern })),
        'AccessDeniedException',
        `User: ${user.arn} is not authorized to perform: events:PutRule on resource: arn:aws:events:${region}:${account}:rule/${other} because no identity-based policy allows the events:PutRule action`,
      )
      await expectError(client.send(new DeleteRuleCommand({ Name: `${prefix}-ok` })), 'AccessDeniedException')
      await expectError(client.send(new ListRulesCommand({})), 'AccessDeniedException')
      await expectError(eb.send(new DescribeRuleCommand({ Name: other })), 'ResourceNotFoundException')
    } finally {
      client.destroy()
    }
  })
})
