import { describe, expect, it } from 'vitest'
import { parsePolicy } from './document.js'
import type { PolicyDocument, PolicyKind } from './types.js'

const ACCT = '111122223333'
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`

function parseOk(doc: unknown, kind: PolicyKind = 'resource'): PolicyDocument {
  const r = parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), kind)
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors, null, 2)}`)
  expect(r.findings.filter((f) => f.severity === 'ERROR')).toEqual([])
  return r.policy
}

const stmt = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
  Action: 'secretsmanager:GetSecretValue',
  Resource: '*',
  ...extra,
})

describe('parsePolicy: valid documents', () => {
  it('normalises a single statement object into an array of arrays', () => {
    const p = parseOk({ Version: '2012-10-17', Id: 'p1', Statement: stmt({ Sid: 'ReadIt' }) })
    expect(p.version).toBe('2012-10-17')
    expect(p.id).toBe('p1')
    expect(p.kind).toBe('resource')
    expect(p.statements).toHaveLength(1)
    const s = p.statements[0]!
    expect(s).toMatchObject({
      index: 0,
      path: 'Statement',
      sid: 'ReadIt',
      effect: 'Allow',
      principal: { not: false, principals: { kind: 'list', AWS: [`arn:aws:iam::${ACCT}:root`] } },
      action: { not: false, values: ['secretsmanager:GetSecretValue'] },
      resource: { not: false, values: ['*'] },
      conditions: [],
    })
  })

  it('keeps statement order and paths for arrays', () => {
    const p = parseOk({
      Version: '2012-10-17',
      Statement: [stmt(), stmt({ Effect: 'Deny', Action: ['secretsmanager:*', 'secretsmanager:Get*'] })],
    })
    expect(p.statements.map((s) => [s.index, s.path, s.effect])).toEqual([
      [0, 'Statement[0]', 'Allow'],
      [1, 'Statement[1]', 'Deny'],
    ])
    expect(p.statements[1]!.action.values).toEqual(['secretsmanager:*', 'secretsmanager:Get*'])
  })

  it('accepts Principal "*" and {"AWS": "*"}', () => {
    expect(
      parseOk({ Version: '2012-10-17', Statement: stmt({ Principal: '*' }) }).statements[0]!.principal,
    ).toEqual({
      not: false,
      principals: { kind: 'any' },
    })
    const p = parseOk({ Version: '2012-10-17', Statement: stmt({ Principal: { AWS: '*' } }) })
    expect(p.statements[0]!.principal?.principals).toEqual({ kind: 'list', AWS: ['*'] })
  })

  it('accepts every AWS principal form and the other principal types', () => {
    const AWS = [
      '*',
      ACCT,
      `arn:aws:iam::${ACCT}:root`,
      `arn:aws:iam::${ACCT}:user/alice`,
      `arn:aws:iam::${ACCT}:user/division/team/bob`,
      `arn:aws:iam::${ACCT}:role/app-role`,
      `arn:aws:iam::${ACCT}:role/service-role/my.role+x=y,z@w`,
      `arn:aws:sts::${ACCT}:assumed-role/app-role/session-1`,
      `arn:aws:sts::${ACCT}:federated-user/carol`,
      `arn:aws-cn:iam::${ACCT}:root`,
      `arn:aws-us-gov:iam::${ACCT}:role/r`,
    ]
    const principal = {
      AWS,
      Service: ['lambda.amazonaws.com', 'logs.us-east-1.amazonaws.com'],
      Federated: ['cognito-identity.amazonaws.com', `arn:aws:iam::${ACCT}:saml-provider/Okta`],
      CanonicalUser: 'a'.repeat(64),
    }
    const p = parseOk({ Version: '2012-10-17', Statement: stmt({ Principal: principal }) })
    expect(p.statements[0]!.principal?.principals).toEqual({
      kind: 'list',
      ...principal,
      CanonicalUser: ['a'.repeat(64)],
    })
  })

  it('records NotPrincipal, NotAction and NotResource with the not flag', () => {
    const p = parseOk({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Deny',
        NotPrincipal: { AWS: [`arn:aws:iam::${ACCT}:role/admin`] },
        NotAction: 'secretsmanager:Describe*',
        NotResource: [SECRET_ARN],
      },
    })
    const s = p.statements[0]!
    expect(s.principal?.not).toBe(true)
    expect(s.action).toEqual({ not: true, values: ['secretsmanager:Describe*'] })
    expect(s.resource).toEqual({ not: true, values: [SECRET_ARN] })
  })

  it('accepts wildcards in actions (any case) and resources', () => {
    const p = parseOk({
      Version: '2012-10-17',
      Statement: stmt({
        Action: ['*', 'secretsmanager:*', 'SecretsManager:Get?ecretValue', 'secretsmanager:List*'],
        Resource: [
          '*',
          'arn:aws:secretsmanager:*:*:secret:*',
          'arn:aws:s3:::bucket/path:with:colons and spaces',
        ],
      }),
    })
    expect(p.statements[0]!.action.values).toHaveLength(4)
    expect(p.statements[0]!.resource?.values).toHaveLength(3)
  })

  it('flattens conditions into clauses with lists, numbers and booleans stringified', () => {
    const p = parseOk({
      Version: '2012-10-17',
      Statement: stmt({
        Condition: {
          StringEquals: {
            'aws:PrincipalOrgID': ['o-abc', 'o-def'],
            'secretsmanager:ResourceTag/Env': 'prod',
          },
          'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'team*' },
          NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
          Bool: { 'aws:SecureTransport': true },
          IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] },
          DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' },
          Null: { 'aws:TokenIssueTime': 'false' },
          ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci-*' },
          BinaryEquals: { 'custom:blob': 'QmluYXJ5' },
          StringNotEquals: { 'aws:ResourceTag/Cost Center': '' },
        },
      }),
    })
    const c = p.statements[0]!.conditions
    expect(c).toHaveLength(11)
    expect(c[0]).toEqual({
      operator: 'StringEquals',
      base: 'StringEquals',
      family: 'String',
      quantifier: undefined,
      ifExists: false,
      key: 'aws:PrincipalOrgID',
      keyLower: 'aws:principalorgid',
      values: ['o-abc', 'o-def'],
    })
    expect(c[2]).toMatchObject({
      operator: 'ForAnyValue:StringLikeIfExists',
      base: 'StringLike',
      quantifier: 'ForAnyValue',
      ifExists: true,
    })
    expect(c[3]!.values).toEqual(['3600'])
    expect(c[4]!.values).toEqual(['true'])
  })

  it('accepts the 2008-10-17 version and an empty Condition', () => {
    const p = parseOk({ Version: '2008-10-17', Statement: [stmt({ Condition: {} })] })
    expect(p.version).toBe('2008-10-17')
    expect(p.statements[0]!.conditions).toEqual([])
  })

  it('allows a missing Version with a WARNING finding', () => {
    const r = parsePolicy(JSON.stringify({ Statement: stmt() }), 'resource')
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.policy.version).toBeUndefined()
      expect(r.findings).toEqual([expect.objectContaining({ code: 'MISSING_VERSION', severity: 'WARNING' })])
    }
  })

  it('warns when policy variables are used without 2012-10-17', () => {
    const r = parsePolicy(
      JSON.stringify({
        Version: '2008-10-17',
        Statement: stmt({ Resource: 'arn:aws:s3:::b/${aws:username}/*' }),
      }),
      'resource',
    )
    expect(r.ok && r.findings.map((f) => f.code)).toEqual(['POLICY_VARIABLES_REQUIRE_VERSION'])
  })

  it('parses identity policies (no Principal) and trust policies (no Resource)', () => {
    const id = parseOk(
      {
        Version: '2012-10-17',
        Statement: { Sid: 'A1', Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
      },
      'identity',
    )
    expect(id.statements[0]!.principal).toBeUndefined()
    const trust = parseOk(
      {
        Version: '2012-10-17',
        Statement: { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      },
      'trust',
    )
    expect(trust.statements[0]!.resource).toBeUndefined()
  })

  it('accepts Sids with spaces in key and resource policies, and empty Sids repeated', () => {
    parseOk({ Version: '2012-10-17', Statement: [stmt({ Sid: 'Enable IAM User Permissions' })] }, 'key')
    parseOk({ Version: '2012-10-17', Statement: [stmt({ Sid: '' }), stmt({ Sid: '' })] })
  })

  it('returns a deep-frozen document', () => {
    const p = parseOk({
      Version: '2012-10-17',
      Statement: stmt({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    })
    expect(Object.isFrozen(p)).toBe(true)
    expect(Object.isFrozen(p.statements[0]!.action.values)).toBe(true)
    expect(Object.isFrozen(p.statements[0]!.conditions[0])).toBe(true)
  })

  it('reports redundant actions and resources as suggestions only', () => {
    const r = parsePolicy(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: stmt({
          Action: ['secretsmanager:GetSecretValue', 'SecretsManager:getsecretvalue'],
          Resource: ['*', '*'],
        }),
      }),
      'resource',
    )
    expect(r.ok && r.findings.map((f) => [f.code, f.severity, f.path])).toEqual([
      ['REDUNDANT_ACTION', 'SUGGESTION', 'Statement.Action[1]'],
      ['REDUNDANT_RESOURCE', 'SUGGESTION', 'Statement.Resource[1]'],
    ])
  })

  it('tolerates whitespace and a "__proto__" key without prototype pollution', () => {
    const text = `  {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
      "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}}\n`
    expect(parseOk(text).statements).toHaveLength(1)
    const r = parsePolicy('{"Version":"2012-10-17","__proto__":{"x":1},"Statement":[]}', 'resource')
    expect(r.ok).toBe(false)
    expect(({} as Record<string, unknown>)['x']).toBeUndefined()
  })
})
