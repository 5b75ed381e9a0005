import {
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail'
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { startServer, uniqueName, type TestServer } from '../../support/server.js'
import { cliEnvironment, requireAwsCli, runAws } from '../cli/aws-cli.js'
import { ADMIN_ARN, asCredentials, IamFixtures, trustingPrincipal, uniqueRoleName } from '../sts/support.js'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const LOOKUP_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }],
})

describe('CloudTrail LookupEvents', () => {
  let server: TestServer
  let sm: SecretsManagerClient
  let trail: CloudTrailClient
  let fixtures: IamFixtures
  const arns: string[] = []
  const home = mkdtempSync(join(tmpdir(), 'coffer-cli-home-'))

  const cloudTrail = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new CloudTrailClient({
      endpoint: server.endpoint,
      region: server.credentials.region,
      credentials,
      maxAttempts: 1,
    })
  const lookup = (input: LookupEventsCommandInput) => trail.send(new LookupEventsCommand(input))
  const byName = (name: string) => [{ AttributeKey: 'EventName' as const, AttributeValue: name }]
  async function failure(promise: Promise<unknown>) {
    try {
      await promise
    } catch (error) {
      return (error as Error).name
    }
    throw new Error('the call succeeded')
  }

  beforeAll(async () => {
    requireAwsCli()
    server = await startServer()
    fixtures = new IamFixtures(server)
    sm = secretsManagerClient(server)
    trail = cloudTrail(server.credentials)
    for (let i = 0; i < 3; i++) {
      const created = await sm.send(
        new CreateSecretCommand({ Name: uniqueName('lookup'), SecretString: 'v' }),
      )
      arns.push(created.ARN ?? '')
    }
    await sm.send(new GetSecretValueCommand({ SecretId: arns[0] }))
  })
  afterAll(async () => {
    sm?.destroy()
    trail?.destroy()
    fixtures?.close()
    await server?.stop({ cleanup: true })
    rmSync(home, { recursive: true, force: true })
  })

  it('finds events by name, newest first, each with its record', async () => {
    const out = await lookup({ LookupAttributes: byName('CreateSecret') })
    expect(out.NextToken).toBeUndefined()
    expect(out.Events?.map((e) => e.Resources?.[0]?.ResourceName)).toEqual([...arns].reverse())
    for (const event of out.Events ?? []) {
      const record = JSON.parse(event.CloudTrailEvent ?? '') as Record<string, unknown>
      expect(event).toMatchObject({
        EventId: record['eventID'],
        EventName: 'CreateSecret',
        ReadOnly: 'false',
        AccessKeyId: server.credentials.accessKeyId,
        EventSource: 'secretsmanager.amazonaws.com',
        Username: 'admin',
        Resources: [{ ResourceType: 'AWS::SecretsManager::Secret', ResourceName: expect.any(String) }],
      })
      expect(event.EventTime).toBeInstanceOf(Date)
      expect(Math.abs((event.EventTime?.getTime() ?? 0) - Date.now())).toBeLessThan(120_000)
    }
  })

  it('pages with MaxResults and NextToken; a token only goes with its own parameters', async () => {
    const first = await lookup({ LookupAttributes: byName('CreateSecret'), MaxResults: 2 })
    expect(first.Events).toHaveLength(2)
    expect(first.NextToken).toBeDefined()
    const second = await lookup({
      LookupAttributes: byName('CreateSecret'),
      MaxResults: 2,
      NextToken: first.NextToken,
    })
    expect(second.Events?.map((e) => e.Resources?.[0]?.ResourceName)).toEqual([arns[0]])
    expect(second.NextToken).toBeUndefined()
    expect(
      await failure(lookup({ LookupAttributes: byName('GetSecretValue'), NextToken: first.NextToken })),
    ).toBe('InvalidNextTokenException')
    expect(await failure(lookup({ NextToken: 'not-a-token' }))).toBe('InvalidNextTokenException')
  })

  it('filters by each kind of attribute', async () => {
    const [one] = (await lookup({ LookupAttributes: byName('GetSecretValue') })).Events ?? []
    expect(one?.ReadOnly).toBe('true')
    const byId = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: one?.EventId }],
    })
    expect(byId.Events?.map((e) => e.EventId)).toEqual([one?.EventId])
    const byResource = await lookup({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arns[0] }],
    })
    expect(byResource.Events?.map((e) => e.EventName)).toEqual(['GetSecretValue', 'CreateSecret'])
    const readOnly = await lookup({
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
    })
    expect(readOnly.Events?.length).toBeGreaterThan(0)
    expect(readOnly.Events?.every((e) => e.ReadOnly === 'true')).toBe(true)
    const source = await lookup({
      LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }],
    })
    expect(source.Events).toEqual([])
    const user = await lookup({
      LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'admin' }],
      MaxResults: 50,
    })
    expect(user.Events?.length).toBeGreaterThanOrEqual(4)
    const type = await lookup({
      LookupAttributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::SecretsManager::Secret' }],
    })
    expect(type.Events?.length).toBe(4)
    const key = await lookup({
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: server.credentials.accessKeyId }],
    })
    expect(key.Events?.length).toBeGreaterThanOrEqual(4)
    const future = await lookup({
      StartTime: new Date(Date.now() + 3600_000),
      EndTime: new Date(Date.now() + 7200_000),
    })
    expect(future.Events).toEqual([])
  })

  it("answers bad input with the operation's errors", async () => {
    expect(
      await failure(
        lookup({
          LookupAttributes: [...byName('CreateSecret'), { AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
        }),
      ),
    ).toBe('InvalidLookupAttributesException')
    expect(
      await failure(
        lookup({ LookupAttributes: [{ AttributeKey: 'Colour' as 'EventName', AttributeValue: 'x' }] }),
      ),
    ).toBe('InvalidLookupAttributesException')
    expect(
      await failure(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] })),
    ).toBe('InvalidLookupAttributesException')
    expect(await failure(lookup({ MaxResults: 51 }))).toBe('InvalidMaxResultsException')
    expect(await failure(lookup({ StartTime: new Date(), EndTime: new Date(Date.now() - 3600_000) }))).toBe(
      'InvalidTimeRangeException',
    )
  })

  it("needs cloudtrail:LookupEvents and shows only the caller's account", async () => {
    const sts = new STSClient({
      endpoint: server.endpoint,
      region: server.credentials.region,
      credentials: server.credentials,
      maxAttempts: 1,
    })
    const assume = async (account: string, inline: Record<string, string>) => {
      const role = fixtures.role({
        name: uniqueRoleName('trail'),
        account,
        trust: trustingPrincipal(ADMIN_ARN),
        inline,
      })
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'reader' }))
      return cloudTrail(asCredentials(out.Credentials))
    }
    const none = await assume('000000000000', {})
    expect(await failure(none.send(new LookupEventsCommand({})))).toBe('AccessDeniedException')
    const same = await assume('000000000000', { lookup: LOOKUP_POLICY })
    const seen = await same.send(new LookupEventsCommand({ LookupAttributes: byName('CreateSecret') }))
    expect(seen.Events).toHaveLength(3)
    const other = await assume('111111111111', { lookup: LOOKUP_POLICY })
    const elsewhere = await other.send(new LookupEventsCommand({ LookupAttributes: byName('CreateSecret') }))
    expect(elsewhere.Events).toEqual([])
    for (const c of [none, same, other, sts]) c.destroy()
  })

  it('serves the AWS CLI v2', async () => {
    const run = await runAws(
      [
        'cloudtrail',
        'lookup-events',
        '--endpoint-url',
        server.endpoint,
        '--lookup-attributes',
        'AttributeKey=EventName,AttributeValue=CreateSecret',
        '--output',
        'json',
      ],
      cliEnvironment(server, home),
    )
    expect(run.code, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout) as { Events: { EventName: string; CloudTrailEvent: string }[] }
    expect(out.Events.map((e) => e.EventName)).toEqual(['CreateSecret', 'CreateSecret', 'CreateSecret'])
    expect((JSON.parse(out.Events[0]?.CloudTrailEvent ?? '') as { eventName: string }).eventName).toBe(
      'CreateSecret',
    )
  })
})
