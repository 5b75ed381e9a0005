import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { fromWebToken } from '@aws-sdk/credential-providers'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../../support/server.js'
import { CliFailure, cliEnvironment, requireAwsCli, runAws } from '../cli/aws-cli.js'
import {
  githubToken,
  GITHUB_ISSUER,
  K8S_ISSUER,
  kubernetesToken,
  LocalIssuer,
  signingKey,
  STS_AUDIENCE,
  token,
  writeOidcConfig,
  type SigningKey,
} from './oidc-fixtures.js'
import {
  ACCOUNT,
  asCredentials,
  expectStsError,
  IamFixtures,
  stsClient,
  trustPolicy,
  type RoleFixture,
} from './support.js'

const DENIED = 'Not authorized to perform sts:AssumeRoleWithWebIdentity'

function webIdentityTrust(providerArn: string, conditions: Record<string, Record<string, string>>): string {
  return trustPolicy({
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: conditions,
  })
}

describe('STS AssumeRoleWithWebIdentity (OIDC)', () => {
  let server: TestServer
  let iam: IamFixtures
  let issuer: LocalIssuer
  let config: ReturnType<typeof writeOidcConfig>
  let anonymous: STSClient
  let rsa: SigningKey
  let ec: SigningKey
  let githubRole: RoleFixture
  let k8sRole: RoleFixture
  let localRole: RoleFixture
  let home: string

  beforeAll(async () => {
    rsa = await signingKey('gha-1', 'RS256')
    ec = await signingKey('k8s-1', 'ES256')
    issuer = new LocalIssuer(() => [rsa.jwk])
    await issuer.start()
    // The CI issuer's keys come from a JWKS URL, the cluster's from a file, the local issuer's by discovery.
    config = writeOidcConfig({ 'k8s-jwks.json': { keys: [ec.jwk] } }, (paths) => ({
      [GITHUB_ISSUER]: { jwksUri: `${issuer.url}/jwks` },
      [K8S_ISSUER]: { jwksFile: paths['k8s-jwks.json'] },
      [issuer.url]: {},
    }))
    server = await startServer({ args: ['--config', config.path] })
    iam = new IamFixtures(server)
    const github = iam.oidcProvider('token.actions.githubusercontent.com', [STS_AUDIENCE])
    const k8s = iam.oidcProvider('kubernetes.default.svc', [STS_AUDIENCE])
    const local = iam.oidcProvider(issuer.url.replace('http://', ''), ['my-app'])
    githubRole = iam.role({
      trust: webIdentityTrust(github, {
        StringEquals: { 'token.actions.githubusercontent.com:aud': STS_AUDIENCE },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' },
      }),
    })
    k8sRole = iam.role({
      trust: webIdentityTrust(k8s, {
        StringEquals: { 'kubernetes.default.svc:sub': 'system:serviceaccount:payments:api' },
      }),
      maxSessionDuration: 7200,
    })
    localRole = iam.role({
      trust: webIdentityTrust(local, { StringEquals: { [`${local.split('/')[1]}:aud`]: 'my-app' } }),
    })
    anonymous = new STSClient({
      endpoint: server.endpoint,
      region: server.credentials.region,
      maxAttempts: 1,
    })
    home = mkdtempSync(join(tmpdir(), 'coffer-cli-oidc-'))
  })
  afterAll(async () => {
    anonymous?.destroy()
    iam?.close()
    await server?.stop({ cleanup: true })
    await issuer?.stop()
    config?.cleanup()
    if (home !== undefined) rmSync(home, { recursive: true, force: true })
  })

  const assume = (RoleArn: string, WebIdentityToken: string, extra: { DurationSeconds?: number } = {}) =>
    anonymous.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn,
        RoleSessionName: 'oidc-session',
        WebIdentityToken,
        ...extra,
      }),
    )

  it('a GitHub Actions token (JWKS URL) assumes a role whose trust policy matches the repository', async () => {
    const out = await assume(githubRole.arn, await githubToken(rsa, 'octo-org/octo-repo'))
    expect(out).toMatchObject({
      SubjectFromWebIdentityToken: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      Audience: STS_AUDIENCE,
      Provider: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
      AssumedRoleUser: {
        Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${githubRole.name}/oidc-session`,
        AssumedRoleId: `${githubRole.roleId}:oidc-session`,
      },
    })
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/)
    const session = stsClient(server, asCredentials(out.Credentials))
    try {
      expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe(out.AssumedRoleUser?.Arn)
    } finally {
      session.destroy()
    }
    await expectStsError(
      assume(githubRole.arn, await githubToken(rsa, 'evil-org/octo-repo')),
      'AccessDenied',
      403,
      DENIED,
    )
  })

  it('a Kubernetes service-account token (static JWKS file) assumes its role', async () => {
    const out = await assume(k8sRole.arn, await kubernetesToken(ec, 'payments', 'api'), {
      DurationSeconds: 7200,
    })
    expect(out.SubjectFromWebIdentityToken).toBe('system:serviceaccount:payments:api')
    expect(out.Provider).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/kubernetes.default.svc`)
    await expectStsError(
      assume(k8sRole.arn, await kubernetesToken(ec, 'payments', 'worker')),
      'AccessDenied',
      403,
      DENIED,
    )
  })

  it('discovers the keys of an http issuer listed in the configuration', async () => {
    const jwt = await token(rsa, { iss: issuer.url, sub: 'user-1', aud: ['other', 'my-app'] })
    const out = await assume(localRole.arn, jwt)
    expect(out.Audience).toBe('my-app')
    expect(issuer.requests).toContain('/.well-known/openid-configuration')
  })

  it('works through fromWebToken of @aws-sdk/credential-providers', async () => {
    const credentials = fromWebToken({
      roleArn: githubRole.arn,
      webIdentityToken: await githubToken(rsa, 'octo-org/octo-repo'),
      roleSessionName: 'provider',
      clientConfig: { endpoint: server.endpoint, region: server.credentials.region, maxAttempts: 1 },
    })
    const client = stsClient(server, await credentials())
    try {
      expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(
        `arn:aws:sts::${ACCOUNT}:assumed-role/${githubRole.name}/provider`,
      )
    } finally {
      client.destroy()
    }
  })

  it('refuses tokens it cannot trust', async () => {
    const gha = (overrides: Parameters<typeof githubToken>[2]) =>
      githubToken(rsa, 'octo-org/octo-repo', overrides)
    await expectStsError(
      assume(githubRole.arn, await gha({ aud: 'someone-else' })),
      'InvalidIdentityTokenException',
      400,
      'Incorrect token audience',
    )
    await expectStsError(
      assume(githubRole.arn, await gha({ expiresIn: -3600 })),
      'ExpiredTokenException',
      400,
      /^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/,
    )
    await expectStsError(
      assume(githubRole.arn, await gha({ notBefore: 3600 })),
      'IDPRejectedClaimException',
      403,
    )
    const forged = await githubToken({ ...(await signingKey('gha-1', 'RS256')) }, 'octo-org/octo-repo')
    await expectStsError(assume(githubRole.arn, forged), 'InvalidIdentityTokenException', 400)
    await expectStsError(
      assume(githubRole.arn, await gha({ iss: 'https://accounts.example.com' })),
      'InvalidIdentityTokenException',
      400,
      'No OpenIDConnect provider found in your account for https://accounts.example.com',
    )
    await expectStsError(assume(githubRole.arn, 'not-a-jwt'), 'InvalidIdentityTokenException', 400)
    await expectStsError(
      assume(`arn:aws:iam::${ACCOUNT}:role/missing`, await gha({})),
      'AccessDenied',
      403,
      DENIED,
    )
    await expectStsError(
      assume(githubRole.arn, await gha({}), { DurationSeconds: 3601 }),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    )
  })

  it('aws sts assume-role-with-web-identity (CLI, unsigned)', async () => {
    requireAwsCli()
    const args = [
      'sts',
      'assume-role-with-web-identity',
      '--role-arn',
      k8sRole.arn,
      '--role-session-name',
      'cli',
      '--web-identity-token',
      await kubernetesToken(ec, 'payments', 'api'),
      '--endpoint-url',
      server.endpoint,
      '--output',
      'json',
    ]
    // No credentials at all: the request is not signed.
    const env = {
      ...cliEnvironment(server, home),
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_REGION: 'us-east-1',
    }
    const result = await runAws(args, env)
    if (result.code !== 0) throw new CliFailure(args, result)
    const out = JSON.parse(result.stdout) as {
      AssumedRoleUser: { Arn: string }
      Credentials: { AccessKeyId: string }
    }
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${k8sRole.name}/cli`)
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/)
  })
})
