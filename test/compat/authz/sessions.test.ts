import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, describe, expect, it } from 'vitest'
import {
  expectDenied,
  explicitDeny,
  noPolicyAllows,
  policy,
  uniqueName,
  useAuthzServer,
  type TestUser,
} from './support.js'

const t = useAuthzServer()
const GET = 'secretsmanager:GetSecretValue'
const PUT = 'secretsmanager:PutSecretValue'
const clients: { destroy(): void }[] = []
afterAll(() => clients.forEach((client) => client.destroy()))

async function secret(): Promise<string> {
  const { ARN } = await t.admin.send(
    new CreateSecretCommand({ Name: uniqueName('session'), SecretString: 'v' }),
  )
  return ARN ?? ''
}

/** A role with `rolePolicy`, assumed by a fresh user with `sessionPolicy`; the session's client and ARN. */
async function session(rolePolicy: Record<string, unknown>, sessionPolicy?: Record<string, unknown>) {
  const caller: TestUser = await t.directory.createUser(uniqueName('assumer'), {
    inline: [policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' })],
  })
  const roleName = uniqueName('role')
  const roleArn = await t.directory.createRole(roleName, { AWS: caller.arn }, [rolePolicy])
  const { Credentials, AssumedRoleUser } = await caller.sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: 's1',
      ...(sessionPolicy !== undefined && { Policy: JSON.stringify(sessionPolicy) }),
    }),
  )
  const config = {
    endpoint: t.server.endpoint,
    region: t.server.credentials.region,
    credentials: {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    },
    maxAttempts: 1,
  }
  const sm = new SecretsManagerClient(config)
  const sts = new STSClient(config)
  clients.push(sm, sts)
  return { sm, sts, arn: AssumedRoleUser?.Arn ?? '' }
}

describe('role sessions', () => {
  it('have the role’s permissions, under the role session ARN', async () => {
    const arn = await secret()
    const s = await session(policy({ Effect: 'Allow', Action: GET, Resource: '*' }))
    expect(s.arn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/role[-_].*\/s1$/)
    await s.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await expectDenied(
      s.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'x' })),
      noPolicyAllows(s.arn, PUT, arn),
    )
  })

  it('a session policy narrower than the role limits it', async () => {
    const arn = await secret()
    // Secrets Manager decrypts with the caller's permissions, which the session policy limits too.
    const s = await session(
      policy({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }),
      policy({ Effect: 'Allow', Action: [GET, 'kms:Decrypt'], Resource: '*' }),
    )
    await s.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await expectDenied(
      s.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'x' })),
      noPolicyAllows(s.arn, PUT, arn, 'session policy'),
    )
  })

  it('a session policy without the key leaves the secret unreadable', async () => {
    const arn = await secret()
    const s = await session(
      policy({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }),
      policy({ Effect: 'Allow', Action: GET, Resource: '*' }),
    )
    await expectDenied(
      s.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      'Access to KMS is not allowed',
    )
  })

  it('a session policy wider than the role grants nothing more', async () => {
    const arn = await secret()
    const s = await session(
      policy({ Effect: 'Allow', Action: GET, Resource: '*' }),
      policy({ Effect: 'Allow', Action: '*', Resource: '*' }),
    )
    await s.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await expectDenied(
      s.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'x' })),
      noPolicyAllows(s.arn, PUT, arn),
    )
  })

  it('an explicit deny in the session policy', async () => {
    const arn = await secret()
    const s = await session(
      policy({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }),
      policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: GET, Resource: arn }),
    )
    await expectDenied(
      s.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      explicitDeny(s.arn, GET, arn, 'a session policy'),
    )
  })

  it('GetCallerIdentity works for a session denied everything', async () => {
    const s = await session(policy({ Effect: 'Deny', Action: '*', Resource: '*' }))
    expect((await s.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(s.arn)
  })
})
