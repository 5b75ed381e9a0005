import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import { describe, it } from 'vitest'
import { expectDenied, explicitDeny, noPolicyAllows, policy, uniqueName, useAuthzServer } from './support.js'

const t = useAuthzServer()
const GET = 'secretsmanager:GetSecretValue'
const PUT = 'secretsmanager:PutSecretValue'

async function secret(): Promise<string> {
  const { ARN } = await t.admin.send(
    new CreateSecretCommand({ Name: uniqueName('pb'), SecretString: 'value' }),
  )
  return ARN ?? ''
}

describe('permissions boundaries', () => {
  it('cap what identity policies allow', async () => {
    const arn = await secret()
    const boundary = await t.directory.createPolicy(
      uniqueName('read-only'),
      policy({ Effect: 'Allow', Action: ['secretsmanager:Get*', 'secretsmanager:Describe*'], Resource: '*' }),
    )
    const user = await t.directory.createUser(uniqueName('bounded'), {
      inline: [policy({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' })],
    })
    await user.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'before' }))
    await t.directory.setUserBoundary(user, boundary)
    await user.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await expectDenied(
      user.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'x' })),
      noPolicyAllows(user.arn, PUT, arn, 'permissions boundary'),
    )
    await t.directory.setUserBoundary(user, null)
    await user.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'after' }))
  })

  it('an explicit deny in the boundary is reported as such', async () => {
    const arn = await secret()
    const boundary = await t.directory.createPolicy(
      uniqueName('no-reads'),
      policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: GET, Resource: '*' }),
    )
    const user = await t.directory.createUser(uniqueName('fenced'), {
      inline: [policy({ Effect: 'Allow', Action: GET, Resource: '*' })],
    })
    await t.directory.setUserBoundary(user, boundary)
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      explicitDeny(user.arn, GET, arn, 'a permissions boundary'),
    )
  })

  it('a boundary does not allow anything by itself', async () => {
    const arn = await secret()
    const boundary = await t.directory.createPolicy(
      uniqueName('wide'),
      policy({ Effect: 'Allow', Action: '*', Resource: '*' }),
    )
    const user = await t.directory.createUser(uniqueName('unallowed'))
    await t.directory.setUserBoundary(user, boundary)
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(user.arn, GET, arn),
    )
  })

  it('a resource policy naming the user is not limited by the boundary (same account)', async () => {
    const arn = await secret()
    const boundary = await t.directory.createPolicy(
      uniqueName('describe-only'),
      policy({ Effect: 'Allow', Action: 'secretsmanager:DescribeSecret', Resource: '*' }),
    )
    const user = await t.directory.createUser(uniqueName('named'))
    await t.directory.setUserBoundary(user, boundary)
    await t.admin.send(
      new PutResourcePolicyCommand({
        SecretId: arn,
        ResourcePolicy: JSON.stringify(
          policy({ Effect: 'Allow', Principal: { AWS: user.arn }, Action: GET, Resource: '*' }),
        ),
      }),
    )
    await user.sm.send(new GetSecretValueCommand({ SecretId: arn }))
  })
})
