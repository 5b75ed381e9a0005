import { describe, expect, it } from 'vitest'
import { parsePolicy } from './document.js'
import { crossAccountPrincipals, grantsPublicAccess, publicStatements } from './public-access.js'
import type { PolicyDocument } from './types.js'

const OWNER = '111122223333'
const OTHER = '444455556666'
const THIRD = '777788889999'

function policy(...statements: Record<string, unknown>[]): PolicyDocument {
  const r = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'resource')
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.policy
}

const allow = (principal: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'secretsmanager:GetSecretValue',
  Resource: '*',
  ...extra,
})
const when = (operator: string, key: string, value: unknown): Record<string, unknown> => ({
  Condition: { [operator]: { [key]: value } },
})
const isPublic = (...statements: Record<string, unknown>[]): boolean =>
  grantsPublicAccess(policy(...statements), OWNER)

describe('grantsPublicAccess', () => {
  it('is true for unconditioned "*" and {"AWS": "*"}', () => {
    expect(isPublic(allow('*'))).toBe(true)
    expect(isPublic(allow({ AWS: '*' }))).toBe(true)
    expect(isPublic(allow({ AWS: [`arn:aws:iam::${OWNER}:root`, '*'] }))).toBe(true)
  })

  it('is false for specific principals, including other accounts and services', () => {
    expect(isPublic(allow({ AWS: OWNER }))).toBe(false)
    expect(isPublic(allow({ AWS: [`arn:aws:iam::${OTHER}:role/reader`, OTHER] }))).toBe(false)
    expect(isPublic(allow({ Service: 'lambda.amazonaws.com' }))).toBe(false)
  })

  it('ignores Deny statements', () => {
    expect(isPublic({ ...allow('*'), Effect: 'Deny' })).toBe(false)
    expect(isPublic({ ...allow({ AWS: '*' }), Effect: 'Deny' }, allow({ AWS: OTHER }))).toBe(false)
  })

  it.each([
    ['StringEquals', 'aws:PrincipalAccount', OWNER],
    ['StringEquals', 'aws:PrincipalOrgID', ['o-abc123', 'o-def456']],
    ['StringEqualsIgnoreCase', 'AWS:principalorgid', 'o-abc123'],
    ['StringLike', 'aws:PrincipalArn', `arn:aws:iam::${OTHER}:role/ci-*`],
    ['ArnLike', 'aws:PrincipalArn', `arn:aws:iam::${OWNER}:role/app`],
    ['ArnEquals', 'aws:SourceArn', `arn:aws:lambda:us-east-1:${OWNER}:function:f`],
    ['StringEquals', 'aws:SourceAccount', OWNER],
    ['StringEquals', 'aws:SourceVpc', 'vpc-1a2b3c'],
    ['StringEquals', 'aws:SourceVpce', 'vpce-1a2b3c'],
    ['StringEquals', 'aws:userid', 'AIDAEXAMPLE'],
    ['StringEquals', 'aws:username', 'alice'],
    ['IpAddress', 'aws:SourceIp', '203.0.113.0/24'],
    ['ForAnyValue:StringEquals', 'aws:PrincipalOrgID', 'o-abc123'],
    ['StringEquals', 'aws:PrincipalAccount', '${aws:ResourceAccount}'],
  ])('is false when %s on %s narrows it', (op, key, value) => {
    expect(isPublic(allow('*', when(op, key, value)))).toBe(false)
  })

  it.each([
    ['StringLike', 'aws:PrincipalOrgID', 'o-*'],
    ['StringLike', 'aws:PrincipalAccount', '12345678901?'],
    ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/app'],
    ['StringEqualsIfExists', 'aws:PrincipalAccount', OWNER],
    ['ForAllValues:StringEquals', 'aws:PrincipalOrgID', 'o-abc123'],
    ['StringNotEquals', 'aws:PrincipalAccount', OWNER],
    ['StringEquals', 'aws:PrincipalTag/team', 'blue'],
    ['Bool', 'aws:SecureTransport', 'true'],
    ['IpAddress', 'aws:SourceIp', '0.0.0.0/0'],
    ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24'],
    ['StringEquals', 'aws:SourceIp', '203.0.113.7'],
  ])('is true when %s on %s does not narrow it', (op, key, value) => {
    expect(isPublic(allow('*', when(op, key, value)))).toBe(true)
  })

  it('is true when only one of several statements is narrowed', () => {
    expect(
      isPublic(
        allow('*', when('StringEquals', 'aws:PrincipalOrgID', 'o-1')),
        allow({ AWS: '*' }, { Action: 'secretsmanager:*' }),
      ),
    ).toBe(true)
  })

  it('treats Allow + NotPrincipal as public unless it excludes everyone', () => {
    const notP = (p: unknown): Record<string, unknown> => {
      const s = allow(undefined)
      delete s['Principal']
      return { ...s, NotPrincipal: p }
    }
    expect(isPublic(notP({ AWS: `arn:aws:iam::${OWNER}:role/blocked` }))).toBe(true)
    expect(isPublic(notP('*'))).toBe(false)
    expect(isPublic(notP({ AWS: '*' }))).toBe(false)
    expect(
      isPublic({ ...notP({ AWS: OTHER }), ...when('StringEquals', 'aws:PrincipalAccount', OWNER) }),
    ).toBe(false)
  })

  it('accepts a deny fence that restricts everyone to an account or org', () => {
    const fence = (
      op: string,
      key: string,
      value: unknown,
      action: unknown = '*',
    ): Record<string, unknown> => ({
      Effect: 'Deny',
      Principal: '*',
      Action: action,
      Resource: '*',
      ...when(op, key, value),
    })
    expect(isPublic(allow('*'), fence('StringNotEquals', 'aws:PrincipalOrgID', 'o-abc'))).toBe(false)
    expect(isPublic(allow('*'), fence('StringNotEqualsIfExists', 'aws:PrincipalAccount', OWNER))).toBe(false)
    expect(
      isPublic(allow('*'), fence('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8', 'secretsmanager:*')),
    ).toBe(false)
    // A fence that only covers some actions, or uses a wildcard value, does not help.
    expect(
      isPublic(
        allow('*', { Action: 'secretsmanager:*' }),
        fence('StringNotEquals', 'aws:PrincipalOrgID', 'o-a', 'secretsmanager:Get*'),
      ),
    ).toBe(true)
    expect(isPublic(allow('*'), fence('StringNotLike', 'aws:PrincipalOrgID', 'o-*'))).toBe(true)
    expect(isPublic(allow('*'), fence('StringEquals', 'aws:PrincipalOrgID', 'o-a'))).toBe(true)
    expect(
      isPublic(allow('*'), {
        ...fence('StringNotEquals', 'aws:PrincipalOrgID', 'o-a'),
        Resource: `arn:aws:secretsmanager:us-east-1:${OWNER}:secret:x`,
      }),
    ).toBe(true)
    const notPrincipalFence = {
      Effect: 'Deny',
      NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:role/app` },
      Action: '*',
      Resource: '*',
    }
    expect(isPublic(allow('*'), notPrincipalFence)).toBe(false)
  })

  it('publicStatements points at the offending statements', () => {
    const p = policy(
      allow({ AWS: OTHER }),
      allow('*'),
      allow('*', when('StringEquals', 'aws:PrincipalOrgID', 'o-1')),
    )
    expect(publicStatements(p).map((s) => s.path)).toEqual(['Statement[1]'])
  })
})

describe('crossAccountPrincipals', () => {
  it('lists accounts other than the owner, deduplicated, in order', () => {
    const p = policy(
      allow({ AWS: [`arn:aws:iam::${OTHER}:role/reader`, `arn:aws:iam::${OWNER}:root`, OWNER] }),
      allow({ AWS: [THIRD, `arn:aws:sts::${OTHER}:assumed-role/r/s`] }),
    )
    expect(crossAccountPrincipals(p, OWNER)).toEqual([OTHER, THIRD])
  })

  it('includes accounts that conditions pin a broad principal to', () => {
    const p = policy(
      allow('*', when('StringEquals', 'aws:PrincipalAccount', [OWNER, OTHER])),
      allow({ AWS: '*' }, when('ArnLike', 'aws:PrincipalArn', `arn:aws:iam::${THIRD}:role/*`)),
    )
    expect(crossAccountPrincipals(p, OWNER)).toEqual([OTHER, THIRD])
  })

  it('ignores Deny statements, NotPrincipal, services and public grants', () => {
    const p = policy(
      { ...allow({ AWS: OTHER }), Effect: 'Deny' },
      allow({ Service: 'lambda.amazonaws.com' }),
      allow('*'),
      allow({ AWS: `arn:aws:iam::${OWNER}:role/app` }),
    )
    expect(crossAccountPrincipals(p, OWNER)).toEqual([])
  })
})
