import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import {
  ACCOUNT,
  ADMIN_ARN,
  asCredentials,
  expectStsError,
  IamFixtures,
  stsClient,
  trustingPrincipal,
  uniqueRoleName,
  type RoleFixture,
} from './support.js'

describe('STS AssumeRole (JS SDK v3)', () => {
  let server: TestServer
  let iam: IamFixtures
  let admin: STSClient
  let role: RoleFixture
  beforeAll(async () => {
    server = await startServer()
    iam = new IamFixtures(server)
    admin = stsClient(server)
    role = iam.role({
      name: uniqueRoleName('app'),
      path: '/service/',
      trust: trustingPrincipal(ADMIN_ARN),
      maxSessionDuration: 7200,
      tags: [{ Key: 'Team', Value: 'platform' }],
    })
  })
  afterAll(async () => {
    admin?.destroy()
    iam?.close()
    await server?.stop({ cleanup: true })
  })

  it('returns temporary credentials and the assumed-role user (spec §6.2)', async () => {
    const before = Date.now()
    const out = await admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'build-42' }))
    const c = out.Credentials
    expect(c?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/)
    expect(c?.SecretAccessKey).toHaveLength(40)
    expect(c?.SessionToken?.length).toBeGreaterThan(20)
    // Default duration: one hour, in whole seconds.
    const expires = c?.Expiration?.getTime() ?? 0
    expect(expires % 1000).toBe(0)
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000 - 1000)
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000)
    // The role's path is not part of the assumed-role ARN.
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/build-42`,
      AssumedRoleId: `${role.roleId}:build-42`,
    })
    expect(out.PackedPolicySize).toBeUndefined()
    // Only a hash of the token and the sealed secret are stored.
    const row = iam.session(c?.AccessKeyId ?? '')
    expect(row?.['token_hash']).toMatch(/^[0-9a-f]{64}$/)
    expect(String(row?.['token_hash'])).not.toContain(c?.SessionToken ?? '')
    expect(Buffer.from(row?.['sealed_secret'] as Buffer).toString('latin1')).not.toContain(c?.SecretAccessKey)
  })

  it('GetCallerIdentity with the session credentials shows the assumed role', async () => {
    const out = await admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'whoami' }))
    const session = stsClient(server, asCredentials(out.Credentials))
    try {
      expect(await session.send(new GetCallerIdentityCommand({}))).toMatchObject({
        Account: ACCOUNT,
        Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/whoami`,
        UserId: `${role.roleId}:whoami`,
      })
    } finally {
      session.destroy()
    }
  })

  it('honours DurationSeconds up to the role maximum', async () => {
    const out = await admin.send(
      new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'sx', DurationSeconds: 7200 }),
    )
    expect((out.Credentials?.Expiration?.getTime() ?? 0) - Date.now()).toBeGreaterThan(7100_000)
    await expectStsError(
      admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'sx', DurationSeconds: 7201 })),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    )
    await expectStsError(
      admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'sx', DurationSeconds: 899 })),
      'ValidationError',
      400,
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    )
  })

  it('validates the role ARN and the session name (spec §6.1)', async () => {
    const bad = 'arn:aws:iam::000000000000:user/not-a-role'
    await expectStsError(
      admin.send(new AssumeRoleCommand({ RoleArn: bad, RoleSessionName: 's1' })),
      'ValidationError',
      400,
      `${bad} is invalid`,
    )
    await expectStsError(
      admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'Session1:2' })),
      'ValidationError',
      400,
      "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    )
  })

  it('denies a role that does not exist like an untrusting one', async () => {
    const missing = `arn:aws:iam::${ACCOUNT}:role/no-such-role`
    await expectStsError(
      admin.send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 's1' })),
      'AccessDenied',
      403,
      `User: ${ADMIN_ARN} is not authorized to perform: sts:AssumeRole on resource: ${missing}`,
    )
  })

  it('applies the session tag rules (spec §6.2)', async () => {
    const send = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
      admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'tags', ...input }))
    await expectStsError(
      send({
        Tags: [
          { Key: 'Project', Value: 'a' },
          { Key: 'project', Value: 'b' },
        ],
      }),
      'InvalidParameterValue',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    )
    await expectStsError(
      send({ Tags: [{ Key: 'Project', Value: 'a' }], TransitiveTagKeys: ['Cost'] }),
      'InvalidParameterValue',
      400,
      'The specified transitive tag key must be included in the requested tags.',
    )
    const out = await send({
      Tags: [
        { Key: 'Project', Value: 'Unicorn' },
        { Key: 'team', Value: 'Automation' },
      ],
      TransitiveTagKeys: ['project'],
    })
    expect(out.PackedPolicySize).toBeGreaterThan(0)
    expect(out.PackedPolicySize).toBeLessThanOrEqual(100)
    const row = iam.session(out.Credentials?.AccessKeyId ?? '')
    // The request's `team` overrides the role's `Team`.
    expect(JSON.parse(String(row?.['tags']))).toEqual([
      { Key: 'team', Value: 'Automation' },
      { Key: 'Project', Value: 'Unicorn' },
    ])
    expect(JSON.parse(String(row?.['transitive_tag_keys']))).toEqual(['project'])
    await expectStsError(
      // Incompressible tags within every plaintext limit still overflow the packed budget.
      send({
        Tags: Array.from({ length: 50 }, () => ({
          Key: randomBytes(60).toString('hex'),
          Value: randomBytes(128).toString('hex'),
        })),
      }),
      'PackedPolicyTooLargeException',
      400,
      /^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/,
    )
  })

  it('validates session policies and reads managed ones from IAM', async () => {
    const send = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
      admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'policy', ...input }))
    await expectStsError(send({ Policy: '{not json' }), 'MalformedPolicyDocumentException', 400)
    await expectStsError(
      send({
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }),
      }),
      'MalformedPolicyDocumentException',
      400,
    )
    const readOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    })
    const managed = iam.managedPolicy(uniqueRoleName('session-policy'), readOnly)
    const out = await send({ Policy: readOnly, PolicyArns: [{ arn: managed }] })
    expect(out.PackedPolicySize).toBeGreaterThan(0)
    expect(JSON.parse(String(iam.session(out.Credentials?.AccessKeyId ?? '')?.['session_policies']))).toEqual(
      [readOnly, readOnly],
    )
    await expectStsError(
      send({ PolicyArns: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/none-such` }] }),
      'ValidationError',
      400,
    )
  })

  it('caps role chaining at one hour and carries transitive tags', async () => {
    const chainTarget = iam.role({ trust: trustingPrincipal(role.arn), maxSessionDuration: 43200 })
    const first = await admin.send(
      new AssumeRoleCommand({
        RoleArn: role.arn,
        RoleSessionName: 'first',
        Tags: [{ Key: 'Project', Value: 'Unicorn' }],
        TransitiveTagKeys: ['Project'],
      }),
    )
    const session = stsClient(server, asCredentials(first.Credentials))
    try {
      await expectStsError(
        session.send(
          new AssumeRoleCommand({
            RoleArn: chainTarget.arn,
            RoleSessionName: 'second',
            DurationSeconds: 3601,
          }),
        ),
        'ValidationError',
        400,
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      )
      await expectStsError(
        session.send(
          new AssumeRoleCommand({
            RoleArn: chainTarget.arn,
            RoleSessionName: 'second',
            Tags: [{ Key: 'project', Value: 'other' }],
          }),
        ),
        'InvalidParameterValue',
        400,
        "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      )
      const second = await session.send(
        new AssumeRoleCommand({ RoleArn: chainTarget.arn, RoleSessionName: 'second', DurationSeconds: 3600 }),
      )
      expect(second.AssumedRoleUser?.Arn).toBe(
        `arn:aws:sts::${ACCOUNT}:assumed-role/${chainTarget.name}/second`,
      )
      const row = iam.session(second.Credentials?.AccessKeyId ?? '')
      expect(row?.['chained']).toBe(1)
      expect(JSON.parse(String(row?.['tags']))).toEqual([{ Key: 'Project', Value: 'Unicorn' }])
      expect(JSON.parse(String(row?.['transitive_tag_keys']))).toEqual(['Project'])
    } finally {
      session.destroy()
    }
  })
})
