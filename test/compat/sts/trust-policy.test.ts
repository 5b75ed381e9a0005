import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import {
  ADMIN_ARN,
  expectStsError,
  IamFixtures,
  stsClient,
  trustingPrincipal,
  trustPolicy,
} from './support.js'

/** The trust policy decides who may assume a role (spec §6.2), evaluated by the core's authorizer. */
describe('STS AssumeRole trust policies', () => {
  let server: TestServer
  let iam: IamFixtures
  let admin: STSClient
  beforeAll(async () => {
    server = await startServer()
    iam = new IamFixtures(server)
    admin = stsClient(server)
  })
  afterAll(async () => {
    admin?.destroy()
    iam?.close()
    await server?.stop({ cleanup: true })
  })
  /** AWS's STS text (spec §6.2): no "because …" suffix. */
  const deniedText = (roleArn: string) =>
    `User: ${ADMIN_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`
  /** The same, as a prefix: the other tests check the decision, the first one the exact text. */
  const denied = (roleArn: string, action = 'sts:AssumeRole') =>
    new RegExp(
      `^User: ${esc(ADMIN_ARN)} is not authorized to perform: ${esc(action)} on resource: ${esc(roleArn)}`,
    )

  it('confused deputy: a required ExternalId must be given, and match', async () => {
    const role = iam.role({
      trust: trustingPrincipal(ADMIN_ARN, { StringEquals: { 'sts:ExternalId': 'tenant-4711' } }),
    })
    const assume = (ExternalId?: string) =>
      admin.send(
        new AssumeRoleCommand({
          RoleArn: role.arn,
          RoleSessionName: 'deputy',
          ...(ExternalId && { ExternalId }),
        }),
      )
    await expectStsError(assume(), 'AccessDenied', 403, denied(role.arn))
    await expectStsError(assume('tenant-0815'), 'AccessDenied', 403, denied(role.arn))
    expect((await assume('tenant-0815').catch((e: Error) => e)) as Error).toHaveProperty(
      'message',
      deniedText(role.arn),
    )
    expect((await assume('tenant-4711')).Credentials?.AccessKeyId).toMatch(/^ASIA/)
  })

  it('an ExternalId the trust policy does not ask for is accepted', async () => {
    const role = iam.role({ trust: trustingPrincipal(ADMIN_ARN) })
    const out = await admin.send(
      new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'extra', ExternalId: 'unasked-for' }),
    )
    expect(out.AssumedRoleUser?.Arn).toContain(`/${role.name}/extra`)
  })

  it('a trust policy naming someone else denies, even an administrator', async () => {
    const role = iam.role({ trust: trustingPrincipal('arn:aws:iam::000000000000:user/somebody-else') })
    await expectStsError(
      admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'nope' })),
      'AccessDenied',
      403,
      denied(role.arn),
    )
  })

  it('a trust policy naming the account delegates to identity policies (the admin has AdministratorAccess)', async () => {
    const role = iam.role({
      trust: trustPolicy({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::000000000000:root' },
        Action: 'sts:AssumeRole',
      }),
    })
    const out = await admin.send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'delegated' }))
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/)
  })

  it('cross-account: the role in another account must trust the caller', async () => {
    const trusting = iam.role({ account: '111122223333', trust: trustingPrincipal(ADMIN_ARN) })
    const out = await admin.send(new AssumeRoleCommand({ RoleArn: trusting.arn, RoleSessionName: 'cross' }))
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::111122223333:assumed-role/${trusting.name}/cross`)
    const untrusting = iam.role({
      account: '111122223333',
      trust: trustingPrincipal('arn:aws:iam::111122223333:root'),
    })
    await expectStsError(
      admin.send(new AssumeRoleCommand({ RoleArn: untrusting.arn, RoleSessionName: 'cross' })),
      'AccessDenied',
      403,
      denied(untrusting.arn),
    )
  })

  it('conditions see the session name and the requested tags; tags need sts:TagSession', async () => {
    const role = iam.role({
      trust: trustPolicy([
        {
          Effect: 'Allow',
          Principal: { AWS: ADMIN_ARN },
          Action: 'sts:AssumeRole',
          Condition: { StringLike: { 'sts:RoleSessionName': 'ci-*' } },
        },
        {
          Effect: 'Allow',
          Principal: { AWS: ADMIN_ARN },
          Action: 'sts:TagSession',
          Condition: { StringEquals: { 'aws:RequestTag/Project': 'unicorn' } },
        },
      ]),
    })
    const assume = (RoleSessionName: string, Project?: string) =>
      admin.send(
        new AssumeRoleCommand({
          RoleArn: role.arn,
          RoleSessionName,
          ...(Project !== undefined && { Tags: [{ Key: 'Project', Value: Project }] }),
        }),
      )
    await expectStsError(assume('dev-1'), 'AccessDenied', 403, denied(role.arn))
    expect((await assume('ci-1')).AssumedRoleUser?.Arn).toContain('/ci-1')
    expect((await assume('ci-2', 'unicorn')).PackedPolicySize).toBeGreaterThan(0)
    await expectStsError(assume('ci-3', 'pegasus'), 'AccessDenied', 403, denied(role.arn, 'sts:TagSession'))
  })
})

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
