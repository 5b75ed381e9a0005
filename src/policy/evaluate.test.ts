/**
 * The evaluation logic matrix: same / cross account × identity allow/deny × resource grant/deny (by
 * how the grant names the caller) × permissions boundary × session policy.
 */
import { describe, expect, it } from 'vitest'
import { evaluate } from './evaluate.js'
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
const dev = roleSession('dev', 's1')
const bob = user('bob', OTHER)
const ops = roleSession('ops', 's2', OTHER)
const read = allow('secretsmanager:GetSecretValue')
const kmsOnly = allow('kms:*')
const aliceArn = { AWS: alice.arn }
const ownSecret = (p = alice) => request(p)
const foreignSecret = (p = bob) => request(p, { resource: secretArn('app/db', ACCT) })

describe('same account', () => {
  it('identity allow suffices; nothing allows → implicit deny (identity)', () => {
    expect(decide(ownSecret(), { identity: [read] })).toBe('Allow')
    expect(decide(ownSecret(), { identity: [kmsOnly] })).toBe('Implicit:identity')
    expect(decide(ownSecret(), {})).toBe('Implicit:identity')
  })
  it('explicit deny wins over any allow, and names the policy type', () => {
    expect(decide(ownSecret(), { identity: [read, deny('secretsmanager:*')] })).toBe('Deny:identity')
    expect(decide(ownSecret(), { identity: [read], resource: grant(aliceArn, { Effect: 'Deny' }) })).toBe(
      'Deny:resource',
    )
    expect(
      decide(ownSecret(), { identity: [read], resource: grant({ AWS: ACCT }, { Effect: 'Deny' }) }),
    ).toBe('Deny:resource')
    expect(decide(ownSecret(), { identity: [read], boundary: deny('*') })).toBe('Deny:boundary')
    expect(decide(ownSecret(dev), { identity: [read], session: [allow('*'), deny('*')] })).toBe(
      'Deny:session',
    )
  })
  it('a resource grant naming the caller, its role or everyone suffices without identity policies', () => {
    expect(decide(ownSecret(), { resource: grant(aliceArn) })).toBe('Allow')
    expect(decide(ownSecret(dev), { resource: grant({ AWS: dev.principalArn }) })).toBe('Allow')
    expect(decide(ownSecret(dev), { resource: grant({ AWS: dev.arn }) })).toBe('Allow')
    expect(decide(ownSecret(), { resource: grant('*') })).toBe('Allow')
    expect(decide(ownSecret(), { resource: grant({ AWS: '*' }) })).toBe('Allow')
  })
  it('a resource grant to the account only delegates to IAM: the identity side must allow', () => {
    expect(decide(ownSecret(), { resource: grant({ AWS: ACCT }) })).toBe('Implicit:identity')
    expect(decide(ownSecret(), { resource: grant({ AWS: `arn:aws:iam::${ACCT}:root` }) })).toBe(
      'Implicit:identity',
    )
    expect(decide(ownSecret(), { identity: [read], resource: grant({ AWS: ACCT }) })).toBe('Allow')
  })
  it('a grant to someone else or for another action does not help', () => {
    expect(decide(ownSecret(), { resource: grant({ AWS: user('carol').arn }) })).toBe('Implicit:identity')
    expect(
      decide(ownSecret(), { resource: grant(aliceArn, { Action: 'secretsmanager:PutSecretValue' }) }),
    ).toBe('Implicit:identity')
  })
})

describe('permissions boundary (same account)', () => {
  it('intersects with identity policies', () => {
    expect(decide(ownSecret(), { identity: [read], boundary: allow('secretsmanager:*') })).toBe('Allow')
    expect(decide(ownSecret(), { identity: [read], boundary: kmsOnly })).toBe('Implicit:boundary')
    expect(decide(ownSecret(), { identity: [kmsOnly], boundary: allow('*') })).toBe('Implicit:identity')
  })
  it('does not limit a resource grant naming the user or everyone, but does limit one naming the role', () => {
    expect(decide(ownSecret(), { resource: grant(aliceArn), boundary: kmsOnly })).toBe('Allow')
    expect(decide(ownSecret(), { resource: grant('*'), boundary: kmsOnly })).toBe('Allow')
    expect(decide(ownSecret(dev), { resource: grant({ AWS: dev.arn }), boundary: kmsOnly })).toBe('Allow')
    expect(decide(ownSecret(dev), { resource: grant({ AWS: dev.principalArn }), boundary: kmsOnly })).toBe(
      'Implicit:boundary',
    )
    expect(decide(ownSecret(), { identity: [read], resource: grant({ AWS: ACCT }), boundary: kmsOnly })).toBe(
      'Implicit:boundary',
    )
  })
  it('a Deny with NotPrincipal applies to every principal that has a boundary', () => {
    const fence = grant({ AWS: [ACCT, alice.arn] }, { Effect: 'Deny' })
    const notPrincipal = policy(
      {
        Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: [ACCT, alice.arn] }, Action: '*', Resource: '*' }],
      },
      'resource',
    )
    expect(decide(ownSecret(), { identity: [read], resource: notPrincipal })).toBe('Allow')
    expect(decide(ownSecret(), { identity: [read], resource: notPrincipal, boundary: allow('*') })).toBe(
      'Deny:resource',
    )
    expect(decide(ownSecret(), { identity: [read], resource: fence })).toBe('Deny:resource')
  })
})

describe('session policies (same account)', () => {
  it('intersect with identity policies; an empty list allows nothing', () => {
    expect(decide(ownSecret(dev), { identity: [read], session: [allow('secretsmanager:*')] })).toBe('Allow')
    expect(decide(ownSecret(dev), { identity: [read], session: [kmsOnly] })).toBe('Implicit:session')
    expect(decide(ownSecret(dev), { identity: [read], session: [kmsOnly, allow('*')] })).toBe('Allow')
    expect(decide(ownSecret(dev), { identity: [read], session: [] })).toBe('Implicit:session')
  })
  it('a session policy wider than its role grants nothing extra', () => {
    expect(decide(ownSecret(dev), { identity: [kmsOnly], session: [allow('*')] })).toBe('Implicit:identity')
  })
  it('limit resource grants, except one naming the session ARN itself', () => {
    expect(decide(ownSecret(dev), { resource: grant({ AWS: dev.arn }), session: [kmsOnly] })).toBe('Allow')
    expect(decide(ownSecret(dev), { resource: grant({ AWS: dev.principalArn }), session: [kmsOnly] })).toBe(
      'Implicit:session',
    )
    expect(decide(ownSecret(dev), { resource: grant('*'), session: [kmsOnly] })).toBe('Implicit:session')
  })
})

describe('cross account', () => {
  it('needs both the identity side and a resource grant', () => {
    expect(decide(foreignSecret(), { identity: [read] })).toBe('Implicit:resource')
    expect(decide(foreignSecret(), { resource: grant({ AWS: bob.arn }) })).toBe('Implicit:identity')
    expect(decide(foreignSecret(), { identity: [read], resource: grant({ AWS: bob.arn }) })).toBe('Allow')
  })
  it('a grant to the caller account, role or everyone counts; to another account it does not', () => {
    expect(decide(foreignSecret(), { identity: [read], resource: grant({ AWS: OTHER }) })).toBe('Allow')
    expect(decide(foreignSecret(ops), { identity: [read], resource: grant({ AWS: ops.principalArn }) })).toBe(
      'Allow',
    )
    expect(decide(foreignSecret(), { identity: [read], resource: grant('*') })).toBe('Allow')
    expect(decide(foreignSecret(), { identity: [read], resource: grant({ AWS: '333333333333' }) })).toBe(
      'Implicit:resource',
    )
  })
  it('boundaries and session policies limit everything, even grants naming the caller', () => {
    expect(
      decide(foreignSecret(), { identity: [read], resource: grant({ AWS: bob.arn }), boundary: kmsOnly }),
    ).toBe('Implicit:boundary')
    const s = { identity: [read], resource: grant({ AWS: ops.arn }), session: [kmsOnly] }
    expect(decide(foreignSecret(ops), s)).toBe('Implicit:session')
  })
  it('explicit denies on either side', () => {
    const both = { identity: [read], resource: grant({ AWS: bob.arn }) }
    expect(decide(foreignSecret(), { ...both, identity: [read, deny('*')] })).toBe('Deny:identity')
    expect(decide(foreignSecret(), { ...both, resource: grant({ AWS: OTHER }, { Effect: 'Deny' }) })).toBe(
      'Deny:resource',
    )
  })
})

describe('decisions', () => {
  it('are shared frozen objects (no allocation per decision)', () => {
    const a = evaluate(ownSecret(), { identity: [read] })
    const b = evaluate(ownSecret(dev), { identity: [read] })
    expect(a).toBe(b)
    expect(Object.isFrozen(a)).toBe(true)
    expect(evaluate(ownSecret(), { identity: [] })).toEqual({
      effect: 'Deny',
      explicit: false,
      missing: 'identity',
    })
  })
})
