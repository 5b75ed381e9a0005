/**
 * Principals with special rules: the account root, KMS key policies, role trust policies, web
 * identity (federated) and service callers, and NotPrincipal.
 */
import { describe, expect, it } from 'vitest'
import type { RequestPrincipal } from './evaluation-types.js'
import {
  ACCT,
  OTHER,
  allow,
  decide,
  deny,
  grant,
  keyArn,
  policy,
  request,
  root,
  roleSession,
  secretArn,
  user,
} from './evaluate.fixtures.js'

const alice = user('alice')
const dev = roleSession('dev', 's1')
const decrypt = (p: RequestPrincipal) => request(p, { action: 'kms:Decrypt', resource: keyArn() })
const assume = (p: RequestPrincipal) =>
  request(p, { action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCT}:role/target` })
const key = (principal: unknown) => grant(principal, { Action: 'kms:*' }, 'key')
const trust = (principal: unknown, extra: object = {}) =>
  grant(principal, { Action: 'sts:AssumeRole*', ...extra }, 'trust')

describe('account root user', () => {
  it('may do anything in its own account that a resource policy does not explicitly deny', () => {
    expect(decide(request(root()), {})).toBe('Allow')
    expect(decide(request(root()), { identity: [deny('*')] })).toBe('Allow')
    expect(decide(request(root()), { resource: grant({ AWS: ACCT }, { Effect: 'Deny' }) })).toBe(
      'Deny:resource',
    )
    expect(decide(request(root()), { resource: grant('*', { Effect: 'Deny' }) })).toBe('Deny:resource')
  })
  it('needs a grant for another account’s resource', () => {
    const other = request(root(), { resource: secretArn('x', OTHER) })
    expect(decide(other, {})).toBe('Implicit:resource')
    expect(decide(other, { resource: grant({ AWS: ACCT }) })).toBe('Allow')
  })
  it('needs the key policy to grant it (KMS) and cannot assume roles (STS)', () => {
    expect(decide(decrypt(root()), { resource: key({ AWS: alice.arn }) })).toBe('Implicit:resource')
    expect(decide(decrypt(root()), { resource: key({ AWS: `arn:aws:iam::${ACCT}:root` }) })).toBe('Allow')
    expect(decide(assume(root()), { resource: trust({ AWS: ACCT }) })).toBe('Implicit:identity')
  })
})

describe('KMS key policies', () => {
  const enableIam = key({ AWS: `arn:aws:iam::${ACCT}:root` })
  it('identity policies count only when the key policy grants the account', () => {
    expect(
      decide(decrypt(alice), { identity: [allow('kms:*')], resource: key({ AWS: user('bob').arn }) }),
    ).toBe('Implicit:resource')
    expect(decide(decrypt(alice), { identity: [allow('kms:*')], resource: enableIam })).toBe('Allow')
    expect(decide(decrypt(alice), { resource: enableIam })).toBe('Implicit:identity')
  })
  it('a key policy naming the caller suffices within the account', () => {
    expect(decide(decrypt(alice), { resource: key({ AWS: alice.arn }) })).toBe('Allow')
    expect(decide(decrypt(dev), { resource: key({ AWS: dev.principalArn }) })).toBe('Allow')
  })
  it('conditions such as kms:ViaService and kms:EncryptionContext apply', () => {
    const via = grant(
      { AWS: alice.arn },
      {
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      },
      'key',
    )
    const req = (v: string) =>
      request(alice, { action: 'kms:Decrypt', resource: keyArn(), context: { 'kms:ViaService': v } })
    expect(decide(req('secretsmanager.us-east-1.amazonaws.com'), { resource: via })).toBe('Allow')
    expect(decide(req('ssm.us-east-1.amazonaws.com'), { resource: via })).toBe('Implicit:resource')
  })
})

describe('role trust policies', () => {
  it('same account: naming the caller suffices; naming the account needs an identity allow', () => {
    expect(decide(assume(alice), { resource: trust({ AWS: alice.arn }) })).toBe('Allow')
    expect(decide(assume(alice), { resource: trust({ AWS: ACCT }) })).toBe('Implicit:identity')
    expect(
      decide(assume(alice), { identity: [allow('sts:AssumeRole')], resource: trust({ AWS: ACCT }) }),
    ).toBe('Allow')
    expect(
      decide(assume(alice), {
        identity: [allow('sts:AssumeRole')],
        resource: trust({ AWS: 'arn:aws:iam::222222222222:root' }),
      }),
    ).toBe('Implicit:resource')
  })
  it('sts:ExternalId conditions', () => {
    const t = trust({ AWS: OTHER }, { Condition: { StringEquals: { 'sts:ExternalId': 'Unique-42' } } })
    const bob = user('bob', OTHER)
    const req = (id?: string) =>
      request(bob, {
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${ACCT}:role/target`,
        ...(id === undefined ? {} : { context: { 'sts:ExternalId': id } }),
      })
    expect(decide(req('Unique-42'), { identity: [allow('sts:AssumeRole')], resource: t })).toBe('Allow')
    expect(decide(req('unique-42'), { identity: [allow('sts:AssumeRole')], resource: t })).toBe(
      'Implicit:resource',
    )
    expect(decide(req(), { identity: [allow('sts:AssumeRole')], resource: t })).toBe('Implicit:resource')
  })
  it('web identity callers are decided by the Federated principal and its conditions alone', () => {
    const provider = `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`
    const caller = (federated: string, sub: string): RequestPrincipal => ({
      arn: '',
      accountId: '',
      principalArn: '',
      isRoot: false,
      userId: sub,
      federated,
    })
    const req = (federated: string, sub: string) =>
      request(caller(federated, sub), {
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: `arn:aws:iam::${ACCT}:role/target`,
        account: ACCT,
        context: { 'token.actions.githubusercontent.com:sub': sub },
      })
    const t = trust(
      { Federated: provider },
      { Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:*' } } },
    )
    expect(decide(req(provider, 'repo:org/app:ref:refs/heads/main'), { resource: t })).toBe('Allow')
    expect(decide(req(provider, 'repo:evil/app:ref:main'), { resource: t })).toBe('Implicit:resource')
    expect(decide(req(`arn:aws:iam::${ACCT}:oidc-provider/other`, 'repo:org/app:x'), { resource: t })).toBe(
      'Implicit:resource',
    )
    expect(decide(req(provider, 'x'), { resource: trust({ AWS: '*' }) })).toBe('Implicit:resource')
    expect(decide(req(provider, 'x'), { resource: trust('*') })).toBe('Allow')
    expect(decide(req(provider, 'x'), { identity: [allow('*')] })).toBe('Implicit:resource')
  })
})

describe('service principals', () => {
  it('are decided by the resource policy naming the service', () => {
    const lambda: RequestPrincipal = { ...alice, service: 'lambda.amazonaws.com' }
    const svc = grant({ Service: 'lambda.amazonaws.com' })
    expect(decide(request(lambda), { resource: svc })).toBe('Allow')
    expect(decide(request(lambda), { resource: grant({ Service: 'ec2.amazonaws.com' }) })).toBe(
      'Implicit:resource',
    )
    expect(decide(request(lambda), { identity: [allow('*')] })).toBe('Implicit:resource')
  })
})

describe('NotPrincipal', () => {
  const fence = (...names: string[]) =>
    policy(
      { Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: names }, Action: '*', Resource: '*' }] },
      'resource',
    )
  const read = allow('secretsmanager:*')
  it('excludes a user only when the account and the user are both listed', () => {
    expect(decide(request(alice), { identity: [read], resource: fence(ACCT, alice.arn) })).toBe('Allow')
    expect(decide(request(alice), { identity: [read], resource: fence(alice.arn) })).toBe('Deny:resource')
    expect(decide(request(alice), { identity: [read], resource: fence(ACCT) })).toBe('Deny:resource')
  })
  it('excludes a role session only when account, role and session are all listed', () => {
    expect(decide(request(dev), { identity: [read], resource: fence(ACCT, dev.principalArn, dev.arn) })).toBe(
      'Allow',
    )
    expect(decide(request(dev), { identity: [read], resource: fence(ACCT, dev.principalArn) })).toBe(
      'Deny:resource',
    )
    expect(decide(request(dev), { identity: [read], resource: fence(ACCT, dev.arn) })).toBe('Deny:resource')
  })
  it('an Allow with NotPrincipal grants everyone not excluded', () => {
    const open = policy(
      {
        Statement: [
          { Effect: 'Allow', NotPrincipal: { AWS: [ACCT, user('carol').arn] }, Action: '*', Resource: '*' },
        ],
      },
      'resource',
    )
    expect(decide(request(alice), { resource: open })).toBe('Allow')
  })
})
