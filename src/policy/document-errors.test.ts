import { describe, expect, it } from 'vitest'
import { parsePolicy } from './document.js'
import type { FindingCode } from './findings.js'
import type { PolicyKind } from './types.js'

const ACCT = '111122223333'
const V = '2012-10-17'

const stmt = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow',
  Principal: { AWS: ACCT },
  Action: 'secretsmanager:GetSecretValue',
  Resource: '*',
  ...extra,
})
const without = (key: string, extra: Record<string, unknown> = {}): Record<string, unknown> => {
  const s = stmt(extra)
  delete s[key]
  return s
}
const doc = (statement: unknown): string => JSON.stringify({ Version: V, Statement: statement })

function errorsOf(text: string, kind: PolicyKind = 'resource'): [FindingCode, string][] {
  const r = parsePolicy(text, kind)
  if (r.ok) throw new Error(`expected errors, got ok with ${JSON.stringify(r.findings)}`)
  for (const e of r.errors) {
    expect(e.severity).toBe('ERROR')
    expect(e.message.length).toBeGreaterThan(10)
  }
  return r.errors.map((e) => [e.code, e.path])
}

type Case = [name: string, text: string, code: FindingCode, path: string, kind?: PolicyKind]

const cases: Case[] = [
  ['empty text', '', 'INVALID_JSON', ''],
  ['truncated JSON', '{"Version": "2012-10-17"', 'INVALID_JSON', ''],
  ['trailing comma', '{"Version":"2012-10-17",}', 'INVALID_JSON', ''],
  ['array document', '[]', 'POLICY_NOT_OBJECT', ''],
  ['string document', '"policy"', 'POLICY_NOT_OBJECT', ''],
  ['null document', 'null', 'POLICY_NOT_OBJECT', ''],
  [
    'unknown top-level key',
    JSON.stringify({ Version: V, Statement: stmt(), Extra: 1 }),
    'UNKNOWN_POLICY_ELEMENT',
    'Extra',
  ],
  [
    'lower-case top-level key',
    JSON.stringify({ version: V, Statement: stmt() }),
    'UNKNOWN_POLICY_ELEMENT',
    'version',
  ],
  ['bad version', JSON.stringify({ Version: '2012-10-18', Statement: stmt() }), 'INVALID_VERSION', 'Version'],
  ['numeric version', JSON.stringify({ Version: 2012, Statement: stmt() }), 'INVALID_VERSION', 'Version'],
  ['non-string Id', JSON.stringify({ Version: V, Id: 7, Statement: stmt() }), 'INVALID_ID', 'Id'],
  ['missing Statement', JSON.stringify({ Version: V }), 'MISSING_STATEMENT', ''],
  ['empty Statement array', doc([]), 'INVALID_STATEMENT', 'Statement'],
  ['string Statement', doc('Allow everything'), 'INVALID_STATEMENT', 'Statement'],
  ['null Statement', doc(null), 'INVALID_STATEMENT', 'Statement'],
  ['non-object statement in array', doc([stmt(), 'x']), 'INVALID_STATEMENT', 'Statement[1]'],
  ['nested array statement', doc([[stmt()]]), 'INVALID_STATEMENT', 'Statement[0]'],
  ['unknown statement key', doc(stmt({ Actions: 'x' })), 'UNKNOWN_STATEMENT_ELEMENT', 'Statement.Actions'],
  ['missing Effect', doc(without('Effect')), 'MISSING_EFFECT', 'Statement'],
  ['lower-case Effect', doc(stmt({ Effect: 'allow' })), 'INVALID_EFFECT', 'Statement.Effect'],
  ['array Effect', doc(stmt({ Effect: ['Allow'] })), 'INVALID_EFFECT', 'Statement.Effect'],
  ['missing Action', doc(without('Action')), 'MISSING_ACTION', 'Statement'],
  ['Action and NotAction', doc(stmt({ NotAction: 'iam:*' })), 'ACTION_AND_NOT_ACTION', 'Statement'],
  ['empty Action array', doc(stmt({ Action: [] })), 'INVALID_ACTION', 'Statement.Action'],
  ['numeric Action', doc(stmt({ Action: 5 })), 'INVALID_ACTION', 'Statement.Action'],
  ['Action without service', doc(stmt({ Action: 'GetSecretValue' })), 'INVALID_ACTION', 'Statement.Action'],
  [
    'Action with empty name',
    doc(stmt({ Action: ['s3:GetObject', 'secretsmanager:'] })),
    'INVALID_ACTION',
    'Statement.Action[1]',
  ],
  [
    'wildcard service prefix',
    doc(stmt({ Action: '*:GetSecretValue' })),
    'INVALID_ACTION',
    'Statement.Action',
  ],
  ['service with space', doc(stmt({ Action: 'secrets manager:Get' })), 'INVALID_ACTION', 'Statement.Action'],
  [
    'non-string in Action list',
    doc(stmt({ Action: ['s3:Get', null] })),
    'INVALID_ACTION',
    'Statement.Action[1]',
  ],
  ['missing Resource (resource policy)', doc(without('Resource')), 'MISSING_RESOURCE', 'Statement'],
  [
    'missing Resource (identity)',
    doc(without('Principal', { Resource: undefined })),
    'MISSING_RESOURCE',
    'Statement',
    'identity',
  ],
  ['Resource and NotResource', doc(stmt({ NotResource: '*' })), 'RESOURCE_AND_NOT_RESOURCE', 'Statement'],
  ['Resource not an ARN', doc(stmt({ Resource: 'my-secret' })), 'INVALID_RESOURCE', 'Statement.Resource'],
  [
    'Resource ARN too short',
    doc(stmt({ Resource: 'arn:aws:secretsmanager' })),
    'INVALID_RESOURCE',
    'Statement.Resource',
  ],
  ['empty Resource array', doc(stmt({ Resource: [] })), 'INVALID_RESOURCE', 'Statement.Resource'],
  [
    'Resource in trust policy',
    doc(stmt({ Action: 'sts:AssumeRole' })),
    'RESOURCE_NOT_ALLOWED',
    'Statement',
    'trust',
  ],
  ['missing Principal (resource)', doc(without('Principal')), 'MISSING_PRINCIPAL', 'Statement'],
  ['missing Principal (key)', doc(without('Principal')), 'MISSING_PRINCIPAL', 'Statement', 'key'],
  [
    'missing Principal (trust)',
    doc(without('Resource', { Principal: undefined })),
    'MISSING_PRINCIPAL',
    'Statement',
    'trust',
  ],
  ['Principal in identity policy', doc(stmt()), 'PRINCIPAL_NOT_ALLOWED', 'Statement.Principal', 'identity'],
  [
    'NotPrincipal in identity policy',
    doc(without('Principal', { NotPrincipal: '*' })),
    'PRINCIPAL_NOT_ALLOWED',
    'Statement.NotPrincipal',
    'identity',
  ],
  [
    'Principal and NotPrincipal',
    doc(stmt({ NotPrincipal: '*' })),
    'PRINCIPAL_AND_NOT_PRINCIPAL',
    'Statement',
  ],
  ['Principal string not *', doc(stmt({ Principal: ACCT })), 'INVALID_PRINCIPAL', 'Statement.Principal'],
  ['Principal array', doc(stmt({ Principal: ['*'] })), 'INVALID_PRINCIPAL', 'Statement.Principal'],
  ['empty Principal object', doc(stmt({ Principal: {} })), 'INVALID_PRINCIPAL', 'Statement.Principal'],
  [
    'unknown principal type',
    doc(stmt({ Principal: { User: ACCT } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.User',
  ],
  [
    'lower-case principal type',
    doc(stmt({ Principal: { aws: ACCT } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.aws',
  ],
  ['empty AWS list', doc(stmt({ Principal: { AWS: [] } })), 'INVALID_PRINCIPAL', 'Statement.Principal.AWS'],
  [
    'numeric account id',
    doc(stmt({ Principal: { AWS: 111122223333 } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.AWS',
  ],
  [
    '11-digit account',
    doc(stmt({ Principal: { AWS: '11112222333' } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.AWS',
  ],
  [
    'wildcard in principal ARN',
    doc(stmt({ Principal: { AWS: `arn:aws:iam::${ACCT}:role/*` } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.AWS',
  ],
  [
    'group principal',
    doc(stmt({ Principal: { AWS: ['*', `arn:aws:iam::${ACCT}:group/devs`] } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.AWS[1]',
  ],
  [
    'wrong service in principal ARN',
    doc(stmt({ Principal: { AWS: `arn:aws:s3:::${ACCT}:root` } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.AWS',
  ],
  [
    'assumed-role without session',
    doc(stmt({ Principal: { AWS: `arn:aws:sts::${ACCT}:assumed-role/r` } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.AWS',
  ],
  [
    'Service principal "*"',
    doc(stmt({ Principal: { Service: '*' } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.Service',
  ],
  [
    'bad canonical user',
    doc(stmt({ Principal: { CanonicalUser: 'abc' } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.CanonicalUser',
  ],
  [
    'bad Federated',
    doc(stmt({ Principal: { Federated: 'not a provider' } })),
    'INVALID_PRINCIPAL',
    'Statement.Principal.Federated',
  ],
  ['non-string Sid', doc(stmt({ Sid: 1 })), 'INVALID_SID', 'Statement.Sid'],
  [
    'Sid with space (identity)',
    doc(without('Principal', { Sid: 'Read it' })),
    'INVALID_SID',
    'Statement.Sid',
    'identity',
  ],
  [
    'duplicate Sid',
    doc([stmt({ Sid: 'A' }), stmt({ Sid: 'B' }), stmt({ Sid: 'A' })]),
    'DUPLICATE_SID',
    'Statement[2].Sid',
  ],
]

describe('parsePolicy: each grammar rule is an ERROR', () => {
  it.each(cases)('%s', (_name, text, code, path, kind = 'resource') => {
    expect(errorsOf(text, kind)).toContainEqual([code, path])
  })
})

describe('parsePolicy: error collection', () => {
  it('reports every problem, not just the first', () => {
    const text = JSON.stringify({
      Version: '1',
      Statement: [
        { Effect: 'Permit', Action: 'bad' },
        stmt({ Sid: 'X' }),
        stmt({ Sid: 'X', Principal: { AWS: 'me' } }),
      ],
    })
    expect(errorsOf(text).map(([code]) => code)).toEqual([
      'INVALID_VERSION',
      'INVALID_EFFECT',
      'MISSING_PRINCIPAL',
      'INVALID_ACTION',
      'MISSING_RESOURCE',
      'INVALID_PRINCIPAL',
      'DUPLICATE_SID',
    ])
  })

  it('does not treat warnings as errors', () => {
    const r = parsePolicy(JSON.stringify({ Statement: stmt() }), 'resource')
    expect(r.ok).toBe(true)
  })
})
