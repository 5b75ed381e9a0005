import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  expectAwsError,
  expectDenied,
  noPolicyAllows,
  OTHER_ACCOUNT,
  policy,
  uniqueName,
  useAuthzServer,
  type TestUser,
} from './support.js'

const t = useAuthzServer()
const GET = 'secretsmanager:GetSecretValue'
const DEFAULT_KEY_MESSAGE =
  "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key."

let outsider: TestUser
let customerKey: string

beforeAll(async () => {
  await t.directory.createAccount(OTHER_ACCOUNT)
  outsider = await t.directory.createUser(uniqueName('outsider'), {
    accountId: OTHER_ACCOUNT,
    inline: [
      policy(
        { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*' },
      ),
    ],
  })
  // The key's own account keeps full control; the other account may use it (through its IAM policies).
  customerKey = await t.directory.createCustomerKey(
    policy(
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${t.directory.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
      },
    ),
  )
})

/** A secret of the default account, under the customer key unless `defaultKey`, with a resource policy. */
async function shared(
  statements: Record<string, unknown>[],
  defaultKey = false,
): Promise<{ name: string; arn: string }> {
  const name = uniqueName('shared')
  const { ARN = '' } = await t.admin.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: 'value',
      ...(!defaultKey && { KmsKeyId: customerKey }),
    }),
  )
  if (statements.length > 0)
    await t.admin.send(
      new PutResourcePolicyCommand({ SecretId: ARN, ResourcePolicy: JSON.stringify(policy(...statements)) }),
    )
  return { name, arn: ARN }
}

const grantTo = (principal: unknown, action: string | string[] = GET) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: action,
  Resource: '*',
})

describe('cross-account access', () => {
  it('needs the owner to consent in a resource policy', async () => {
    const { arn } = await shared([])
    await expectDenied(
      outsider.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(outsider.arn, GET, arn, 'resource-based policy'),
    )
  })

  it('works with a full or partial ARN once both sides allow; a bare name means the caller’s own account', async () => {
    const { name, arn } = await shared([grantTo({ AWS: outsider.arn })])
    expect((await outsider.sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('value')
    const partial = arn.slice(0, -7)
    expect((await outsider.sm.send(new GetSecretValueCommand({ SecretId: partial }))).ARN).toBe(arn)
    await expectAwsError(
      outsider.sm.send(new GetSecretValueCommand({ SecretId: name })),
      'ResourceNotFoundException',
    )
  })

  it('a grant to the other account delegates to that account’s identity policies', async () => {
    const { arn } = await shared([
      grantTo({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, [
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
      ]),
    ])
    await outsider.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await outsider.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'from outside' }))
    const unprivileged = await t.directory.createUser(uniqueName('unprivileged'), {
      accountId: OTHER_ACCOUNT,
    })
    await expectDenied(
      unprivileged.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(unprivileged.arn, GET, arn),
    )
  })

  it('a resource policy granting * is not enough without the caller’s own identity policy', async () => {
    const { arn } = await shared([grantTo('*')])
    const unprivileged = await t.directory.createUser(uniqueName('public-reader'), {
      accountId: OTHER_ACCOUNT,
    })
    await expectDenied(
      unprivileged.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(unprivileged.arn, GET, arn),
    )
    // With its identity policy, `*` does admit the outsider (both sides allow).
    await outsider.sm.send(new GetSecretValueCommand({ SecretId: arn }))
  })

  it('refuses secrets under the default key, after authorization', async () => {
    const { arn } = await shared(
      [
        grantTo({ AWS: outsider.arn }, [
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:DescribeSecret',
        ]),
      ],
      true,
    )
    await expectAwsError(
      outsider.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      'InvalidRequestException',
      DEFAULT_KEY_MESSAGE,
    )
    await expectAwsError(
      outsider.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'x' })),
      'InvalidRequestException',
      DEFAULT_KEY_MESSAGE,
    )
    // Metadata needs no key.
    expect((await outsider.sm.send(new DescribeSecretCommand({ SecretId: arn }))).ARN).toBe(arn)
    // Without a grant, authorization answers first.
    const { arn: ungranted } = await shared([], true)
    await expectDenied(
      outsider.sm.send(new GetSecretValueCommand({ SecretId: ungranted })),
      noPolicyAllows(outsider.arn, GET, ungranted, 'resource-based policy'),
    )
  })

  it('the other account’s own secrets are its own: its users see them by name', async () => {
    const name = uniqueName('theirs')
    const { ARN = '' } = await outsider.sm.send(new CreateSecretCommand({ Name: name, SecretString: 'b' }))
    expect(ARN).toContain(`:${OTHER_ACCOUNT}:secret:${name}-`)
    expect((await outsider.sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('b')
    // The default account's administrator has no grant from that account.
    await expectDenied(
      t.admin.send(new GetSecretValueCommand({ SecretId: ARN })),
      noPolicyAllows(`arn:aws:iam::${t.directory.accountId}:user/admin`, GET, ARN, 'resource-based policy'),
    )
  })
})
