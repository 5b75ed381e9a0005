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
const doc = (statement: unknown): string => JSON.stringify({ Version: V, Statement: statement })
const withCondition = (condition: unknown): string => doc(stmt({ Condition: condition }))

function errorsOf(text: string, kind: PolicyKind = 'resource'): [FindingCode, string][] {
  const r = parsePolicy(text, kind)
  if (r.ok) throw new Error(`expected errors, got ok with ${JSON.stringify(r.findings)}`)
  for (const e of r.errors) {
    expect(e.severity).toBe('ERROR')
    expect(e.message.length).toBeGreaterThan(10)
  }
  return r.errors.map((e) => [e.code, e.path])
}

type Case = [name: string, text: string, code: FindingCode, path: string]

const cases: Case[] = [
  [
    'Condition not an object',
    withCondition('aws:SecureTransport'),
    'INVALID_CONDITION',
    'Statement.Condition',
  ],
  ['Condition array', withCondition([]), 'INVALID_CONDITION', 'Statement.Condition'],
  [
    'operator block not an object',
    withCondition({ StringEquals: 'x' }),
    'INVALID_CONDITION',
    'Statement.Condition.StringEquals',
  ],
  [
    'unknown operator',
    withCondition({ StringEqual: { 'aws:username': 'a' } }),
    'INVALID_CONDITION_OPERATOR',
    'Statement.Condition.StringEqual',
  ],
  [
    'operator wrong case',
    withCondition({ stringequals: { 'aws:username': 'a' } }),
    'INVALID_CONDITION_OPERATOR',
    'Statement.Condition.stringequals',
  ],
  [
    'NullIfExists',
    withCondition({ NullIfExists: { 'aws:username': 'true' } }),
    'INVALID_CONDITION_OPERATOR',
    'Statement.Condition.NullIfExists',
  ],
  [
    'bad quantifier',
    withCondition({ 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' } }),
    'INVALID_CONDITION_OPERATOR',
    'Statement.Condition.ForSomeValues:StringEquals',
  ],
  [
    'double quantifier',
    withCondition({ 'ForAnyValue:ForAllValues:StringEquals': { 'aws:TagKeys': 'a' } }),
    'INVALID_CONDITION_OPERATOR',
    'Statement.Condition.ForAnyValue:ForAllValues:StringEquals',
  ],
  [
    'key without prefix',
    withCondition({ StringEquals: { username: 'a' } }),
    'INVALID_CONDITION_KEY',
    'Statement.Condition.StringEquals.username',
  ],
  [
    'null condition value',
    withCondition({ StringEquals: { 'aws:username': null } }),
    'INVALID_CONDITION_VALUE',
    'Statement.Condition.StringEquals.aws:username',
  ],
  [
    'empty condition list',
    withCondition({ StringEquals: { 'aws:username': [] } }),
    'INVALID_CONDITION_VALUE',
    'Statement.Condition.StringEquals.aws:username',
  ],
  [
    'object condition value',
    withCondition({ StringEquals: { 'aws:username': ['a', { b: 1 }] } }),
    'INVALID_CONDITION_VALUE',
    'Statement.Condition.StringEquals.aws:username[1]',
  ],
  [
    'numeric mismatch',
    withCondition({ NumericLessThan: { 'aws:MultiFactorAuthAge': 'ten' } }),
    'CONDITION_TYPE_MISMATCH',
    'Statement.Condition.NumericLessThan.aws:MultiFactorAuthAge',
  ],
  [
    'date mismatch',
    withCondition({ DateLessThan: { 'aws:CurrentTime': 'tomorrow' } }),
    'CONDITION_TYPE_MISMATCH',
    'Statement.Condition.DateLessThan.aws:CurrentTime',
  ],
  [
    'bool mismatch',
    withCondition({ Bool: { 'aws:SecureTransport': 'yes' } }),
    'CONDITION_TYPE_MISMATCH',
    'Statement.Condition.Bool.aws:SecureTransport',
  ],
  [
    'ip mismatch',
    withCondition({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.300'] } }),
    'CONDITION_TYPE_MISMATCH',
    'Statement.Condition.IpAddress.aws:SourceIp[1]',
  ],
  [
    'cidr too long',
    withCondition({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/33' } }),
    'CONDITION_TYPE_MISMATCH',
    'Statement.Condition.NotIpAddress.aws:SourceIp',
  ],
  [
    'arn mismatch',
    withCondition({ ArnEquals: { 'aws:SourceArn': 'my-bucket' } }),
    'CONDITION_TYPE_MISMATCH',
    'Statement.Condition.ArnEquals.aws:SourceArn',
  ],
  [
    'null operator mismatch',
    withCondition({ Null: { 'aws:TokenIssueTime': 'maybe' } }),
    'CONDITION_TYPE_MISMATCH',
    'Statement.Condition.Null.aws:TokenIssueTime',
  ],
  [
    'binary mismatch',
    withCondition({ BinaryEquals: { 'x:y': 'not base64!' } }),
    'CONDITION_TYPE_MISMATCH',
    'Statement.Condition.BinaryEquals.x:y',
  ],
]

describe('parsePolicy: each Condition rule is an ERROR', () => {
  it.each(cases)('%s', (_name, text, code, path) => {
    expect(errorsOf(text)).toContainEqual([code, path])
  })
})

describe('parsePolicy: duplicate keys', () => {
  it('rejects duplicate top-level keys', () => {
    const text = `{"Version":"2012-10-17","Statement":${JSON.stringify(stmt())},"Version":"2012-10-17"}`
    expect(errorsOf(text)).toEqual([['DUPLICATE_KEY', 'Version']])
  })

  it('rejects duplicate statement keys (the JSON.parse last-one-wins trap)', () => {
    const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
    expect(errorsOf(text)).toEqual([['DUPLICATE_KEY', 'Statement[0].Effect']])
  })

  it('rejects duplicates hidden by escapes and deep inside conditions', () => {
    const text =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","\\u0045ffect":"Allow","Principal":"*","Action":"*",' +
      '"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"},"StringEquals":{"aws:username":"x"}}}}'
    expect(errorsOf(text)).toEqual([
      ['DUPLICATE_KEY', 'Statement.Effect'],
      ['DUPLICATE_KEY', 'Statement.Condition.StringEquals'],
    ])
  })
})
