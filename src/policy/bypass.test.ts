/** Bypass attempts that must fail. */
import { describe, expect, it } from 'vitest'
import {
  ACCT,
  OTHER,
  allow,
  decide,
  deny,
  grant,
  policy,
  request,
  roleSession,
  secretArn,
  user,
} from './evaluate.fixtures.js'

const alice = user('alice')
const get = (resource = secretArn('app/db'), action = 'secretsmanager:GetSecretValue') =>
  request(alice, { action, resource, context: { 'aws:username': 'alice' } })
const everything = allow('*')

describe('action case tricks', () => {
  it('a Deny matches the action whatever its case, service prefix included', () => {
    for (const written of [
      'secretsmanager:getsecretvalue',
      'SECRETSMANAGER:GETSECRETVALUE',
      'SecretsManager:Get*',
    ]) {
      expect(decide(get(), { identity: [everything, deny(written)] })).toBe('Deny:identity')
    }
    const shouted = request(alice, { action: 'SecretsManager:GETSECRETVALUE' })
    expect(decide(shouted, { identity: [everything, deny('secretsmanager:GetSecretValue')] })).toBe(
      'Deny:identity',
    )
  })
  it('wildcards stay inside the action name', () => {
    expect(decide(get(), { identity: [allow('secretsmanager:*Secret*')] })).toBe('Allow')
    expect(decide(get(), { identity: [allow('secretsmanager:Get?ecretValue')] })).toBe('Allow')
    expect(decide(get(), { identity: [allow('secretsmanager:GetSecret')] })).toBe('Implicit:identity')
    expect(decide(get(), { identity: [allow('secretsmanager:GetSecretValueX')] })).toBe('Implicit:identity')
    expect(decide(get(), { identity: [allow('kms:*')] })).toBe('Implicit:identity')
  })
})

describe('NotAction / NotResource', () => {
  it('an Allow with NotAction grants everything else, not the excluded action in another case', () => {
    const allBut = policy({
      Statement: [{ Effect: 'Allow', NotAction: 'SECRETSMANAGER:getSecretValue', Resource: '*' }],
    })
    expect(decide(get(), { identity: [allBut] })).toBe('Implicit:identity')
    expect(decide(get(secretArn('app/db'), 'secretsmanager:DescribeSecret'), { identity: [allBut] })).toBe(
      'Allow',
    )
  })
  it('a Deny with NotAction denies everything else', () => {
    const onlyRead = policy({
      Statement: [{ Effect: 'Deny', NotAction: 'secretsmanager:Describe*', Resource: '*' }],
    })
    expect(decide(get(), { identity: [everything, onlyRead] })).toBe('Deny:identity')
  })
  it('a Deny with NotResource denies every other resource, including `*` requests', () => {
    const fence = policy({
      Statement: [{ Effect: 'Deny', Action: '*', NotResource: 'arn:aws:secretsmanager:*:*:secret:public/*' }],
    })
    expect(decide(get(secretArn('public/x')), { identity: [everything, fence] })).toBe('Allow')
    expect(decide(get(secretArn('private/x')), { identity: [everything, fence] })).toBe('Deny:identity')
    expect(decide(get('*', 'secretsmanager:ListSecrets'), { identity: [everything, fence] })).toBe(
      'Deny:identity',
    )
  })
  it('an Allow with NotResource does not grant the excluded resource', () => {
    const allBut = policy({ Statement: [{ Effect: 'Allow', Action: '*', NotResource: secretArn('app/db') }] })
    expect(decide(get(), { identity: [allBut] })).toBe('Implicit:identity')
    expect(decide(get(secretArn('app/other')), { identity: [allBut] })).toBe('Allow')
  })
})

describe('ARN wildcard edge cases', () => {
  it('a specific ARN does not match a `*` request, and `arn:*` patterns do not match `*`', () => {
    expect(
      decide(get('*', 'secretsmanager:ListSecrets'), { identity: [allow('*', secretArn('app/db'))] }),
    ).toBe('Implicit:identity')
    expect(decide(get('*', 'secretsmanager:ListSecrets'), { identity: [allow('*', 'arn:*:*:*:*:*')] })).toBe(
      'Implicit:identity',
    )
  })
  it('resource matching is case-sensitive in the resource part', () => {
    expect(
      decide(get(secretArn('App/db')), { identity: [allow('*', 'arn:aws:secretsmanager:*:*:secret:app/*')] }),
    ).toBe('Implicit:identity')
  })
  it('wildcards in the region/account segments do not cross a colon', () => {
    const sneaky = allow('*', `arn:aws:secretsmanager:us-east-1*:secret:*`)
    expect(decide(get(), { identity: [sneaky] })).toBe('Implicit:identity')
    const otherAccount = allow('*', `arn:aws:secretsmanager:*:${OTHER}:secret:*`)
    expect(decide(get(), { identity: [otherAccount] })).toBe('Implicit:identity')
  })
  it('`?` is exactly one character; a prefix without `*` is not a prefix match', () => {
    expect(decide(get(), { identity: [allow('*', 'arn:aws:secretsmanager:*:*:secret:app/db-?????')] })).toBe(
      'Implicit:identity',
    )
    expect(decide(get(), { identity: [allow('*', 'arn:aws:secretsmanager:*:*:secret:app/db')] })).toBe(
      'Implicit:identity',
    )
  })
  it('a Deny on a wildcard segment written in upper case still applies', () => {
    const fence = deny('*', 'arn:AWS:SecretsManager:*:*:secret:*')
    expect(decide(get(), { identity: [everything, fence] })).toBe('Deny:identity')
  })
  it('pathological patterns stay fast', () => {
    const evil = allow('*', `arn:aws:secretsmanager:*:*:secret:${'*a'.repeat(40)}b`)
    const long = request(alice, { resource: secretArn('a'.repeat(4000)) })
    const start = performance.now()
    expect(decide(long, { identity: [evil] })).toBe('Implicit:identity')
    expect(performance.now() - start).toBeLessThan(500)
  })
})

describe('variables with missing keys', () => {
  it('never widen a grant', () => {
    const own = allow('*', 'arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}*')
    expect(decide(request(alice, { context: {} }), { identity: [own] })).toBe('Implicit:identity')
    const tagged = allow('*', '*', {
      Condition: { StringLike: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}*' } },
    })
    expect(
      decide(request(alice, { context: { 'aws:ResourceTag/team': 'red' } }), { identity: [tagged] }),
    ).toBe('Implicit:identity')
  })
  it('an empty principal tag substitutes as empty text, it is not a wildcard', () => {
    const own = allow('*', 'arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}/*')
    const req = request(alice, { context: { 'aws:PrincipalTag/team': '' } })
    expect(decide(req, { identity: [own] })).toBe('Implicit:identity')
  })
})

describe('cross-account resource policies', () => {
  const bob = user('bob', OTHER)
  const foreign = request(bob, { resource: secretArn('app/db', ACCT) })
  it('a resource policy granting `*` does not let another account in on its own', () => {
    expect(decide(foreign, { resource: grant('*') })).toBe('Implicit:identity')
    expect(decide(foreign, { resource: grant({ AWS: '*' }) })).toBe('Implicit:identity')
    expect(decide(foreign, { identity: [allow('kms:*')], resource: grant('*') })).toBe('Implicit:identity')
  })
  it('a grant to the caller does not help if its own account denies', () => {
    expect(
      decide(foreign, {
        identity: [everything, deny('secretsmanager:*')],
        resource: grant({ AWS: bob.arn }),
      }),
    ).toBe('Deny:identity')
  })
  it('naming a principal of another account with the same name does not match', () => {
    expect(decide(foreign, { identity: [everything], resource: grant({ AWS: user('bob', ACCT).arn }) })).toBe(
      'Implicit:resource',
    )
  })
})

describe('session policies', () => {
  const dev = roleSession('dev', 's1')
  it('a session policy wider than its role grants nothing the role lacks', () => {
    const req = request(dev, { action: 'secretsmanager:PutSecretValue' })
    expect(decide(req, { identity: [allow('secretsmanager:Get*')], session: [everything] })).toBe(
      'Implicit:identity',
    )
  })
  it('a grant to the role does not escape the session policy', () => {
    const req = request(dev)
    expect(decide(req, { resource: grant({ AWS: dev.principalArn }), session: [allow('kms:*')] })).toBe(
      'Implicit:session',
    )
  })
  it('a grant naming another session of the same role does not match', () => {
    const req = request(dev)
    expect(decide(req, { resource: grant({ AWS: roleSession('dev', 'other').arn }) })).toBe(
      'Implicit:identity',
    )
  })
})
