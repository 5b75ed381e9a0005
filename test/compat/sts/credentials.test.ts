import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  type STSClient,
} from '@aws-sdk/client-sts'
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { startServer, type TestServer } from '../../support/server.js'
import { prepare, send } from '../../support/signed-http.js'
import { expectAwsError } from '../sdk/support.js'
import {
  ACCOUNT,
  ADMIN_ARN,
  asCredentials,
  expectStsError,
  IamFixtures,
  stsClient,
  trustingPrincipal,
  type RoleFixture,
  type StaticCredentials,
} from './support.js'

const READ_SECRETS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: '*',
    },
  ],
})
const INVALID_TOKEN = 'The security token included in the request is invalid.'
const EXPIRED_TOKEN = 'The security token included in the request is expired'

describe('STS temporary credentials against the other services', () => {
  let server: TestServer
  let iam: IamFixtures
  let admin: STSClient
  let reader: RoleFixture
  let secretArn: string
  const clients: { destroy(): void }[] = []
  const sm = (credentials: StaticCredentials) => {
    const client = new SecretsManagerClient({
      endpoint: server.endpoint,
      region: server.credentials.region,
      credentials,
      maxAttempts: 1,
    })
    clients.push(client)
    return client
  }
  const sts = (credentials: StaticCredentials) => {
    const client = stsClient(server, credentials)
    clients.push(client)
    return client
  }
  const assume = async (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) =>
    asCredentials(
      (await admin.send(new AssumeRoleCommand({ RoleArn: reader.arn, RoleSessionName: 'reader', ...input })))
        .Credentials,
    )

  beforeAll(async () => {
    server = await startServer()
    iam = new IamFixtures(server)
    admin = stsClient(server)
    reader = iam.role({ trust: trustingPrincipal(ADMIN_ARN), inline: { read: READ_SECRETS } })
    const adminSm = secretsManagerClient(server)
    clients.push(adminSm)
    secretArn =
      (await adminSm.send(new CreateSecretCommand({ Name: `sts-${Date.now()}`, SecretString: 's3cr3t' })))
        .ARN ?? ''
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    admin?.destroy()
    iam?.close()
    await server?.stop({ cleanup: true })
  })

  it('fromTemporaryCredentials assumes a role, then reads a secret with it', async () => {
    const credentials = fromTemporaryCredentials({
      masterCredentials: {
        accessKeyId: server.credentials.accessKeyId,
        secretAccessKey: server.credentials.secretAccessKey,
      },
      params: { RoleArn: reader.arn, RoleSessionName: 'sdk-provider' },
      clientConfig: { endpoint: server.endpoint, region: server.credentials.region, maxAttempts: 1 },
    })
    const client = new SecretsManagerClient({
      endpoint: server.endpoint,
      region: server.credentials.region,
      credentials,
      maxAttempts: 1,
    })
    clients.push(client)
    expect((await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString).toBe(
      's3cr3t',
    )
    const stsWithRole = stsClient(server, await credentials())
    clients.push(stsWithRole)
    expect((await stsWithRole.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/${reader.name}/sdk-provider`,
    )
  })

  it("a role session has the role's permissions, narrowed by session policies", async () => {
    const session = sm(await assume())
    await expectAwsError(
      session.send(new CreateSecretCommand({ Name: `denied-${Date.now()}`, SecretString: 'x' })),
      'AccessDeniedException',
    )
    const describeOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'secretsmanager:DescribeSecret', Resource: '*' }],
    })
    const narrowed = sm(await assume({ Policy: describeOnly }))
    expect((await narrowed.send(new DescribeSecretCommand({ SecretId: secretArn }))).ARN).toBe(secretArn)
    await expectAwsError(
      narrowed.send(new GetSecretValueCommand({ SecretId: secretArn })),
      'AccessDeniedException',
    )
  })

  it('GetCallerIdentity always works, even when a session policy denies everything', async () => {
    const denyAll = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
    })
    const out = await sts(await assume({ Policy: denyAll, RoleSessionName: 'nothing' })).send(
      new GetCallerIdentityCommand({}),
    )
    expect(out.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${reader.name}/nothing`)
  })

  it('refuses a wrong or missing session token, and a token on a long-term key', async () => {
    const good = await assume()
    const other = await assume()
    const wrong = { ...good, sessionToken: other.sessionToken }
    await expectStsError(
      sts(wrong).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      403,
      INVALID_TOKEN,
    )
    const { sessionToken: _dropped, ...withoutToken } = good
    await expectStsError(
      sts(withoutToken).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      403,
      INVALID_TOKEN,
    )
    await expectAwsError(
      sm(wrong).send(new GetSecretValueCommand({ SecretId: secretArn })),
      'UnrecognizedClientException',
      INVALID_TOKEN,
    )
    const longTerm = {
      accessKeyId: server.credentials.accessKeyId,
      secretAccessKey: server.credentials.secretAccessKey,
      sessionToken: good.sessionToken,
    }
    await expectStsError(sts(longTerm).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403)
  })

  it('rejects expired session credentials (ExpiredToken on STS, ExpiredTokenException on JSON services)', async () => {
    const credentials = await assume({ DurationSeconds: 900 })
    const session = sts(credentials)
    await session.send(new GetCallerIdentityCommand({}))
    await sm(credentials).send(new GetSecretValueCommand({ SecretId: secretArn }))
    iam.expire(credentials.accessKeyId)
    await expectStsError(session.send(new GetCallerIdentityCommand({})), 'ExpiredToken', 403, EXPIRED_TOKEN)
    await expectAwsError(
      sm(credentials).send(new GetSecretValueCommand({ SecretId: secretArn })),
      'ExpiredTokenException',
      EXPIRED_TOKEN,
    )
  })

  it('GetSessionToken gives a user temporary credentials with its own permissions', async () => {
    const before = Date.now()
    const out = await admin.send(new GetSessionTokenCommand({}))
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/)
    // Default: 12 hours.
    const lifetime = (out.Credentials?.Expiration?.getTime() ?? 0) - before
    expect(lifetime).toBeGreaterThan(43_200_000 - 2000)
    expect(lifetime).toBeLessThanOrEqual(43_200_000)
    const credentials = asCredentials(out.Credentials)
    const identity = await sts(credentials).send(new GetCallerIdentityCommand({}))
    expect(identity.Arn).toBe(ADMIN_ARN)
    expect(identity.UserId).toMatch(/^AIDA/)
    expect(
      (await sm(credentials).send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString,
    ).toBe('s3cr3t')
    // Session credentials can still assume roles, but not get another session token.
    await sts(credentials).send(
      new AssumeRoleCommand({ RoleArn: reader.arn, RoleSessionName: 'from-session' }),
    )
    const refused = 'Cannot call GetSessionToken with session credentials'
    await expectStsError(sts(credentials).send(new GetSessionTokenCommand({})), 'AccessDenied', 403, refused)
    await expectStsError(
      sts(await assume()).send(new GetSessionTokenCommand({})),
      'AccessDenied',
      403,
      refused,
    )
    const longest = await admin.send(new GetSessionTokenCommand({ DurationSeconds: 129_600 }))
    expect((longest.Credentials?.Expiration?.getTime() ?? 0) - before).toBeGreaterThan(129_000_000)
    await expectStsError(
      admin.send(new GetSessionTokenCommand({ DurationSeconds: 129_601 })),
      'ValidationError',
      400,
      /Member must have value less than or equal to 129600/,
    )
  })

  it('allows 15 minutes of clock skew on STS (spec §2)', async () => {
    const call = async (ageMinutes: number) =>
      send(
        server.endpoint,
        await prepare(server, {
          service: 'sts',
          body: 'Action=GetCallerIdentity&Version=2011-06-15',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          signingDate: Date.now() - ageMinutes * 60_000,
        }),
      )
    const recent = await call(10)
    expect(recent.status).toBe(200)
    expect(recent.text).toContain(`<Arn>${ADMIN_ARN}</Arn>`)
    const stale = await call(16)
    expect(stale.status).toBe(403)
    expect(stale.text).toContain('<Code>SignatureDoesNotMatch</Code>')
    expect(stale.text).toMatch(
      /Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)/,
    )
  })
})
