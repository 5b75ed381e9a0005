import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager'
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { describe, expect, it } from 'vitest'
import {
  expectAwsError,
  expectDenied,
  explicitDeny,
  noPolicyAllows,
  policy,
  uniqueName,
  unresolvedArn,
  useAuthzServer,
} from './support.js'

const t = useAuthzServer()
const GET = 'secretsmanager:GetSecretValue'

async function secret(name = uniqueName('authz'), tags?: Record<string, string>): Promise<string> {
  const { ARN } = await t.admin.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: 'value',
      ...(tags !== undefined && { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
    }),
  )
  return ARN ?? ''
}

describe('identity-based policies', () => {
  it('deny by default, with AWS message (no "on resource" for actions on *)', async () => {
    const arn = await secret()
    const user = await t.directory.createUser(uniqueName('nobody'))
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(user.arn, GET, arn),
    )
    await expectDenied(
      user.sm.send(new ListSecretsCommand({})),
      noPolicyAllows(user.arn, 'secretsmanager:ListSecrets', '*'),
    )
  })

  it('a secret that does not exist is denied on its would-be ARN, not reported missing', async () => {
    const user = await t.directory.createUser(uniqueName('prober'))
    const name = uniqueName('absent')
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: name })),
      noPolicyAllows(user.arn, GET, unresolvedArn(t, name)),
    )
  })

  it('allows exactly what a statement names; an explicit deny wins over any allow', async () => {
    const readable = await secret()
    const forbidden = await secret()
    const user = await t.directory.createUser(uniqueName('reader'), {
      inline: [
        policy({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }),
        policy({ Effect: 'Deny', Action: GET, Resource: forbidden }),
      ],
    })
    expect((await user.sm.send(new GetSecretValueCommand({ SecretId: readable }))).SecretString).toBe('value')
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: forbidden })),
      explicitDeny(user.arn, GET, forbidden),
    )
    // Other actions on the denied secret stay allowed.
    await user.sm.send(new DescribeSecretCommand({ SecretId: forbidden }))
  })

  it('matches actions ignoring case, in Allow and in Deny', async () => {
    const arn = await secret()
    const user = await t.directory.createUser(uniqueName('casey'), {
      inline: [
        policy({
          Effect: 'Allow',
          Action: ['SecretsManager:getSECRETvalue', 'secretsmanager:describe*'],
          Resource: '*',
        }),
      ],
    })
    await user.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await user.sm.send(new DescribeSecretCommand({ SecretId: arn }))
    await expectDenied(
      user.sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'x' })),
      noPolicyAllows(user.arn, 'secretsmanager:PutSecretValue', arn),
    )
    await t.directory.putUserPolicy(
      user,
      'deny',
      policy({ Effect: 'Deny', Action: 'SECRETSMANAGER:GetSecretValue', Resource: '*' }),
    )
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      explicitDeny(user.arn, GET, arn),
    )
  })

  it('NotAction: allows everything but the named actions; in a Deny, denies everything else', async () => {
    const arn = await secret()
    const user = await t.directory.createUser(uniqueName('notaction'), {
      inline: [policy({ Effect: 'Allow', NotAction: 'secretsmanager:DeleteSecret', Resource: '*' })],
    })
    await user.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await expectDenied(
      user.sm.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true })),
      noPolicyAllows(user.arn, 'secretsmanager:DeleteSecret', arn),
    )
    await t.directory.putUserPolicy(
      user,
      'fence',
      policy({ Effect: 'Deny', NotAction: ['secretsmanager:Describe*'], Resource: '*' }),
    )
    await user.sm.send(new DescribeSecretCommand({ SecretId: arn }))
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      explicitDeny(user.arn, GET, arn),
    )
  })

  it('NotResource: allows every resource but the excluded ones', async () => {
    const open = await secret(uniqueName('public/x'))
    const closed = await secret(uniqueName('private/x'))
    const user = await t.directory.createUser(uniqueName('notresource'), {
      inline: [
        policy({ Effect: 'Allow', Action: GET, NotResource: 'arn:aws:secretsmanager:*:*:secret:private/*' }),
      ],
    })
    await user.sm.send(new GetSecretValueCommand({ SecretId: open }))
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: closed })),
      noPolicyAllows(user.arn, GET, closed),
    )
  })

  it('ARN wildcards: ? is one character, * spans slashes, matching is case-sensitive', async () => {
    const base = uniqueName('app')
    const exact = await secret(base)
    const longer = await secret(`${base}-extra`)
    const nested = await secret(`${base}/a/b`)
    const upper = await secret(`${base.toUpperCase()}/a`)
    const user = await t.directory.createUser(uniqueName('wild'), {
      inline: [
        policy({
          Effect: 'Allow',
          Action: GET,
          Resource: [
            `arn:aws:secretsmanager:*:*:secret:${base}-??????`,
            `arn:aws:secretsmanager:*:*:secret:${base}/*`,
          ],
        }),
      ],
    })
    await user.sm.send(new GetSecretValueCommand({ SecretId: exact }))
    await user.sm.send(new GetSecretValueCommand({ SecretId: nested }))
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: longer })),
      noPolicyAllows(user.arn, GET, longer),
    )
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: upper })),
      noPolicyAllows(user.arn, GET, upper),
    )
  })

  it('conditions on the resource tags (secretsmanager:ResourceTag and aws:ResourceTag)', async () => {
    const team = uniqueName('team')
    const tagged = await secret(undefined, { Team: team })
    const other = await secret(undefined, { Team: 'someone-else' })
    const untagged = await secret()
    const user = await t.directory.createUser(uniqueName('tagged'), {
      inline: [
        policy({
          Effect: 'Allow',
          Action: GET,
          Resource: '*',
          Condition: { StringEquals: { 'secretsmanager:ResourceTag/team': team } },
        }),
        policy({
          Effect: 'Allow',
          Action: 'secretsmanager:DescribeSecret',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/Team': team } },
        }),
      ],
    })
    await user.sm.send(new GetSecretValueCommand({ SecretId: tagged }))
    await user.sm.send(new DescribeSecretCommand({ SecretId: tagged }))
    for (const arn of [other, untagged])
      await expectDenied(
        user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
        noPolicyAllows(user.arn, GET, arn),
      )
  })

  it('conditions on the request tags of CreateSecret (aws:RequestTag, aws:TagKeys)', async () => {
    const user = await t.directory.createUser(uniqueName('creator'), {
      inline: [
        policy({
          Effect: 'Allow',
          Action: 'secretsmanager:CreateSecret',
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:RequestTag/cost-center': 'cc-42' },
            'ForAllValues:StringEquals': { 'aws:TagKeys': ['cost-center', 'owner'] },
          },
        }),
      ],
    })
    const create = (tags: Record<string, string> | undefined) =>
      user.sm.send(
        new CreateSecretCommand({
          Name: uniqueName('created'),
          SecretString: 'v',
          ...(tags !== undefined && { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
        }),
      )
    await create({ 'cost-center': 'cc-42', owner: 'me' })
    for (const tags of [undefined, { 'cost-center': 'cc-7' }, { 'cost-center': 'cc-42', extra: 'x' }]) {
      await expect(create(tags)).rejects.toMatchObject({ name: 'AccessDeniedException' })
    }
  })

  it('condition keys of the request: secretsmanager:VersionStage', async () => {
    const arn = await secret()
    const user = await t.directory.createUser(uniqueName('staged'), {
      inline: [
        policy({
          Effect: 'Allow',
          Action: GET,
          Resource: '*',
          Condition: { StringEquals: { 'secretsmanager:VersionStage': 'AWSPREVIOUS' } },
        }),
      ],
    })
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(user.arn, GET, arn),
    )
    await expectAwsError(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' })),
      'ResourceNotFoundException',
    )
  })

  it('policy variables: each user reaches only secret:${aws:username}/*', async () => {
    const managed = await t.directory.createPolicy(
      uniqueName('own-secrets'),
      policy({
        Effect: 'Allow',
        Action: 'secretsmanager:*',
        Resource: 'arn:aws:secretsmanager:*:*:secret:${aws:username}/*',
      }),
    )
    const alice = await t.directory.createUser(uniqueName('alice'))
    const bob = await t.directory.createUser(uniqueName('bob'))
    await t.directory.attachUserPolicy(alice, managed)
    await t.directory.attachUserPolicy(bob, managed)
    const { ARN: aliceSecret = '' } = await alice.sm.send(
      new CreateSecretCommand({ Name: `${alice.name}/db`, SecretString: 'a' }),
    )
    await alice.sm.send(new GetSecretValueCommand({ SecretId: `${alice.name}/db` }))
    await expectDenied(
      bob.sm.send(new GetSecretValueCommand({ SecretId: aliceSecret })),
      noPolicyAllows(bob.arn, GET, aliceSecret),
    )
    await expect(
      bob.sm.send(new CreateSecretCommand({ Name: `${alice.name}/other`, SecretString: 'b' })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        `^User: ${bob.arn} is not authorized to perform: secretsmanager:CreateSecret on resource: arn:aws:secretsmanager:[^:]+:\\d{12}:secret:${alice.name}/other-[A-Za-z0-9]{6} because no identity-based policy allows`,
      ),
    })
  })

  it('a variable whose key is missing matches nothing (no tag, no access)', async () => {
    const arn = await secret(uniqueName('team-x/db'))
    const user = await t.directory.createUser(uniqueName('untagged'), {
      inline: [
        policy({
          Effect: 'Allow',
          Action: GET,
          Resource: 'arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}*',
        }),
      ],
    })
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(user.arn, GET, arn),
    )
    const tagged = await t.directory.createUser(uniqueName('tagged'), {
      tags: { team: 'team-x' },
      inline: [
        policy({
          Effect: 'Allow',
          Action: GET,
          Resource: 'arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}*',
        }),
      ],
    })
    await tagged.sm.send(new GetSecretValueCommand({ SecretId: arn }))
  })

  it('GetCallerIdentity needs no permission, even under an explicit Deny *', async () => {
    const user = await t.directory.createUser(uniqueName('denied'), {
      inline: [policy({ Effect: 'Deny', Action: '*', Resource: '*' })],
    })
    const identity = await user.sts.send(new GetCallerIdentityCommand({}))
    expect(identity).toMatchObject({ Arn: user.arn, UserId: user.userId, Account: user.accountId })
  })

  it('policy changes and a deactivated key count at the next request', async () => {
    const arn = await secret()
    const user = await t.directory.createUser(uniqueName('changing'), {
      inline: [policy({ Effect: 'Allow', Action: GET, Resource: '*' })],
    })
    await user.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await t.directory.deleteUserPolicy(user, 'inline-0')
    await expectDenied(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      noPolicyAllows(user.arn, GET, arn),
    )
    await t.directory.putUserPolicy(user, 'again', policy({ Effect: 'Allow', Action: GET, Resource: '*' }))
    await user.sm.send(new GetSecretValueCommand({ SecretId: arn }))
    await t.directory.setAccessKeyStatus(user, 'Inactive')
    await expectAwsError(
      user.sm.send(new GetSecretValueCommand({ SecretId: arn })),
      'UnrecognizedClientException',
    )
  })

  it('the administrator (AdministratorAccess) may do everything', async () => {
    const arn = await secret()
    await t.admin.send(new GetSecretValueCommand({ SecretId: arn }))
    await t.admin.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }))
  })
})
