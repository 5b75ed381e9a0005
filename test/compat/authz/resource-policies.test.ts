import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import { describe, expect, it } from 'vitest'
import {
  expectAwsError,
  expectDenied,
  explicitDeny,
  noPolicyAllows,
  OTHER_ACCOUNT,
  policy,
  uniqueName,
  useAuthzServer,
} from './support.js'

const t = useAuthzServer()
const GET = 'secretsmanager:GetSecretValue'

async function secret(): Promise<string> {
  const { ARN } = await t.admin.send(
    new CreateSecretCommand({ Name: uniqueName('rp'), SecretString: 'value' }),
  )
  return ARN ?? ''
}

async function attach(arn: string, statements: Record<string, unknown>[], block = false): Promise<void> {
  await t.admin.send(
    new PutResourcePolicyCommand({
      SecretId: arn,
      ResourcePolicy: JSON.stringify(policy(...statements)),
      BlockPublicPolicy: block,
    }),
  )
}

describe('resource policies on secrets', () => {
  it('grant a user of the same account without any identity policy', async () => {
    const arn = await secret()
    const user = await t.directory.createUser(uniqueName('granted'))
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(user.arn, GET, arn),
    )
    await attach(arn, [{ Effect: 'Allow', Principal: { AWS: user.arn }, Action: GET, Resource: '*' }])
    expect((await user.sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('value')
    // Only the granted action.
    await expectDenied(
      user.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'x' })),
      noPolicyAllows(user.arn, 'secretsmanager:PutSecretValue', arn),
    )
  })

  it('an explicit deny in the resource policy stops even the administrator', async () => {
    const arn = await secret()
    const admin = `arn:aws:iam::${t.directory.accountId}:user/admin`
    await attach(arn, [{ Effect: 'Deny', Principal: '*', Action: GET, Resource: '*' }])
    await expectDenied(
      t.admin.send(new GetSecretValueCommand({ SecretId: arn })),
      explicitDeny(admin, GET, arn, 'a resource-based policy'),
    )
    await t.admin.send(new DeleteResourcePolicyCommand({ SecretId: arn }))
    await t.admin.send(new GetSecretValueCommand({ SecretId: arn }))
  })

  it('BlockPublicPolicy refuses grants to everyone, not grants to named accounts', async () => {
    const arn = await secret()
    for (const principal of ['*', { AWS: '*' }]) {
      await expectAwsError(
        attach(arn, [{ Effect: 'Allow', Principal: principal, Action: GET, Resource: '*' }], true),
        'PublicPolicyException',
      )
    }
    await attach(
      arn,
      [{ Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: GET, Resource: '*' }],
      true,
    )
  })

  it('secretsmanager:BlockPublicPolicy is in the context of PutResourcePolicy', async () => {
    const arn = await secret()
    const user = await t.directory.createUser(uniqueName('careful'), {
      inline: [
        policy({
          Effect: 'Allow',
          Action: 'secretsmanager:PutResourcePolicy',
          Resource: '*',
          Condition: { Bool: { 'secretsmanager:BlockPublicPolicy': 'true' } },
        }),
      ],
    })
    const put = (block?: boolean) =>
      user.sm.send(
        new PutResourcePolicyCommand({
          SecretId: arn,
          ResourcePolicy: JSON.stringify(
            policy({ Effect: 'Allow', Principal: { AWS: user.arn }, Action: GET, Resource: '*' }),
          ),
          ...(block !== undefined && { BlockPublicPolicy: block }),
        }),
      )
    await put(true)
    for (const block of [false, undefined])
      await expectDenied(put(block), noPolicyAllows(user.arn, 'secretsmanager:PutResourcePolicy', arn))
  })

  it('BatchGetSecretValue authorizes each secret and reports denials in Errors', async () => {
    const allowed = await secret()
    const denied = await secret()
    const user = await t.directory.createUser(uniqueName('batch'), {
      inline: [
        policy({ Effect: 'Allow', Action: 'secretsmanager:BatchGetSecretValue', Resource: '*' }),
        policy({ Effect: 'Allow', Action: GET, Resource: allowed }),
      ],
    })
    const missing = uniqueName('missing')
    const result = await user.sm.send(
      new BatchGetSecretValueCommand({ SecretIdList: [allowed, denied, missing] }),
    )
    expect(result.SecretValues?.map((v) => v.ARN)).toEqual([allowed])
    const missingArn = `arn:aws:secretsmanager:${t.server.credentials.region}:${t.directory.accountId}:secret:${missing}`
    expect(result.Errors).toEqual([
      {
        SecretId: denied,
        ErrorCode: 'AccessDeniedException',
        Message: noPolicyAllows(user.arn, GET, denied),
      },
      {
        SecretId: missing,
        ErrorCode: 'AccessDeniedException',
        Message: noPolicyAllows(user.arn, GET, missingArn),
      },
    ])
    // Filters also need ListSecrets.
    await expectDenied(
      user.sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['rp'] }] })),
      noPolicyAllows(user.arn, 'secretsmanager:ListSecrets', '*'),
    )
    // Without the batch permission itself, nothing.
    const other = await t.directory.createUser(uniqueName('nobatch'), {
      inline: [policy({ Effect: 'Allow', Action: GET, Resource: '*' })],
    })
    await expectDenied(
      other.sm.send(new BatchGetSecretValueCommand({ SecretIdList: [allowed] })),
      noPolicyAllows(other.arn, 'secretsmanager:BatchGetSecretValue', '*'),
    )
  })
})
