import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateAccessKeyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import {
  githubToken,
  GITHUB_ISSUER,
  LocalIssuer,
  signingKey,
  STS_AUDIENCE,
  writeOidcConfig,
} from './oidc-fixtures.js'
import {
  ACCOUNT,
  ADMIN_ARN,
  asCredentials,
  expectStsError,
  stsClient,
  trustPolicy,
  uniqueRoleName,
} from './support.js'

/** STS over roles, users and OIDC providers created through the IAM API (rather than written to SQLite). */
describe('STS with IAM API fixtures', () => {
  let server: TestServer
  let iam: IAMClient
  let admin: STSClient
  let issuer: LocalIssuer
  let config: ReturnType<typeof writeOidcConfig>
  let signing: Awaited<ReturnType<typeof signingKey>>
  const clients: { destroy(): void }[] = []
  beforeAll(async () => {
    signing = await signingKey('k1', 'RS256')
    issuer = new LocalIssuer(() => [signing.jwk])
    await issuer.start()
    config = writeOidcConfig({}, () => ({ [GITHUB_ISSUER]: { jwksUri: `${issuer.url}/jwks` } }))
    server = await startServer({ args: ['--config', config.path] })
    iam = new IAMClient({
      endpoint: server.endpoint,
      region: server.credentials.region,
      credentials: {
        accessKeyId: server.credentials.accessKeyId,
        secretAccessKey: server.credentials.secretAccessKey,
      },
      maxAttempts: 1,
    })
    admin = stsClient(server)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    iam?.destroy()
    admin?.destroy()
    await server?.stop({ cleanup: true })
    await issuer?.stop()
    config?.cleanup()
  })

  it('a user trusted by name assumes a role created with CreateRole (path, MaxSessionDuration)', async () => {
    const userName = uniqueRoleName('dev')
    const user = (await iam.send(new CreateUserCommand({ UserName: userName }))).User
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey
    const roleName = uniqueRoleName('app')
    const role = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          Path: '/apps/',
          AssumeRolePolicyDocument: trustPolicy({
            Effect: 'Allow',
            Principal: { AWS: user?.Arn ?? '' },
            Action: 'sts:AssumeRole',
          }),
          MaxSessionDuration: 7200,
          Tags: [{ Key: 'Team', Value: 'platform' }],
        }),
      )
    ).Role
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'read',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
        }),
      }),
    )
    const asUser = stsClient(server, {
      accessKeyId: key?.AccessKeyId ?? '',
      secretAccessKey: key?.SecretAccessKey ?? '',
    })
    clients.push(asUser)
    const out = await asUser.send(
      new AssumeRoleCommand({ RoleArn: role?.Arn ?? '', RoleSessionName: 'dev', DurationSeconds: 7200 }),
    )
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/dev`,
      AssumedRoleId: `${role?.RoleId}:dev`,
    })
    const session = stsClient(server, asCredentials(out.Credentials))
    clients.push(session)
    expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe(out.AssumedRoleUser?.Arn)
    // The admin is not named by the trust policy.
    await expectStsError(
      admin.send(new AssumeRoleCommand({ RoleArn: role?.Arn ?? '', RoleSessionName: 'admin' })),
      'AccessDenied',
      403,
    )
  })

  it('an OIDC provider created with CreateOpenIDConnectProvider accepts its tokens', async () => {
    const provider = await iam.send(
      new CreateOpenIDConnectProviderCommand({ Url: GITHUB_ISSUER, ClientIDList: [STS_AUDIENCE] }),
    )
    expect(provider.OpenIDConnectProviderArn).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    )
    const roleName = uniqueRoleName('gha')
    const role = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: trustPolicy({
            Effect: 'Allow',
            Principal: { Federated: provider.OpenIDConnectProviderArn ?? '' },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/*' } },
          }),
        }),
      )
    ).Role
    const anonymous = new STSClient({
      endpoint: server.endpoint,
      region: server.credentials.region,
      maxAttempts: 1,
    })
    clients.push(anonymous)
    const out = await anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role?.Arn ?? '',
        RoleSessionName: 'gha',
        WebIdentityToken: await githubToken(signing, 'octo-org/octo-repo'),
      }),
    )
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/gha`)
    expect(out.Provider).toBe(provider.OpenIDConnectProviderArn)
  })

  it('the admin identity is unchanged', async () => {
    expect((await admin.send(new GetCallerIdentityCommand({}))).Arn).toBe(ADMIN_ARN)
  })
})
