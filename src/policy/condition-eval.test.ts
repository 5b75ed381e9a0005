/** Condition operators, one family at a time, through the whole engine (Allow * * + Condition). */
import { describe, expect, it } from 'vitest'
import type { ContextValue } from './evaluation-types.js'
import { allow, allowed, request, user } from './evaluate.fixtures.js'

function holds(condition: object, context: Record<string, ContextValue> = {}): boolean {
  return allowed(request(user('alice'), { context }), allow('*', '*', { Condition: condition }))
}
const key = (op: string, value: unknown, k = 'aws:ResourceTag/team') => ({ [op]: { [k]: value } })

describe('String operators', () => {
  it('StringEquals: exact and case-sensitive, values ORed, `*` literal', () => {
    expect(holds(key('StringEquals', 'red'), { 'aws:ResourceTag/team': 'red' })).toBe(true)
    expect(holds(key('StringEquals', 'red'), { 'aws:ResourceTag/team': 'Red' })).toBe(false)
    expect(holds(key('StringEquals', ['blue', 'red']), { 'aws:ResourceTag/team': 'red' })).toBe(true)
    expect(holds(key('StringEquals', 'r*'), { 'aws:ResourceTag/team': 'red' })).toBe(false)
    expect(holds(key('StringEquals', 'r*'), { 'aws:ResourceTag/team': 'r*' })).toBe(true)
  })
  it('StringNotEquals: no value may equal; true when the key is absent', () => {
    expect(holds(key('StringNotEquals', ['blue', 'red']), { 'aws:ResourceTag/team': 'red' })).toBe(false)
    expect(holds(key('StringNotEquals', ['blue', 'red']), { 'aws:ResourceTag/team': 'green' })).toBe(true)
    expect(holds(key('StringNotEquals', 'red'))).toBe(true)
  })
  it('IgnoreCase variants', () => {
    expect(holds(key('StringEqualsIgnoreCase', 'RED'), { 'aws:ResourceTag/team': 'red' })).toBe(true)
    expect(holds(key('StringNotEqualsIgnoreCase', 'RED'), { 'aws:ResourceTag/team': 'Red' })).toBe(false)
    expect(holds(key('StringNotEqualsIgnoreCase', 'RED'), { 'aws:ResourceTag/team': 'blue' })).toBe(true)
  })
  it('StringLike / StringNotLike: `*` and `?` wildcards, case-sensitive', () => {
    const ctx = { 'aws:ResourceTag/team': 'team-red/prod' }
    expect(holds(key('StringLike', 'team-*'), ctx)).toBe(true)
    expect(holds(key('StringLike', 'team-???/*'), ctx)).toBe(true)
    expect(holds(key('StringLike', 'team-??/*'), ctx)).toBe(false)
    expect(holds(key('StringLike', 'TEAM-*'), ctx)).toBe(false)
    expect(holds(key('StringLike', '*'), { 'aws:ResourceTag/team': '' })).toBe(true)
    expect(holds(key('StringNotLike', ['x*', 'team-*']), ctx)).toBe(false)
    expect(holds(key('StringNotLike', ['x*', 'y*']), ctx)).toBe(true)
    expect(holds(key('StringNotLike', 'x*'))).toBe(true)
  })
})

describe('Numeric operators', () => {
  const age = (v: string) => ({ 'aws:MultiFactorAuthAge': v })
  const num = (op: string, v: unknown) => key(op, v, 'aws:MultiFactorAuthAge')
  it('compares numerically (integers, decimals, exponents)', () => {
    expect(holds(num('NumericLessThan', 3600), age('300'))).toBe(true)
    expect(holds(num('NumericLessThan', '3600'), age('3600'))).toBe(false)
    expect(holds(num('NumericLessThanEquals', '3600'), age('3600.0'))).toBe(true)
    expect(holds(num('NumericGreaterThan', '1e3'), age('1001'))).toBe(true)
    expect(holds(num('NumericGreaterThanEquals', '-1'), age('-1'))).toBe(true)
    expect(holds(num('NumericEquals', ['1', '2.5']), age('2.50'))).toBe(true)
    expect(holds(num('NumericNotEquals', ['1', '2']), age('3'))).toBe(true)
    expect(holds(num('NumericNotEquals', ['1', '2']), age('2'))).toBe(false)
  })
  it('a non-numeric request value matches no operator, negated or not', () => {
    expect(holds(num('NumericLessThan', '10'), age('abc'))).toBe(false)
    expect(holds(num('NumericNotEquals', '10'), age('abc'))).toBe(false)
  })
})

describe('Date operators', () => {
  const at = (v: string) => ({ 'aws:CurrentTime': v })
  const date = (op: string, v: unknown) => key(op, v, 'aws:CurrentTime')
  it('accepts ISO 8601 (UTC unless zoned) and epoch seconds', () => {
    expect(holds(date('DateLessThan', '2030-01-01T00:00:00Z'), at('2025-06-01T12:00:00Z'))).toBe(true)
    expect(holds(date('DateLessThan', '2025-06-01'), at('2025-06-01T12:00:00Z'))).toBe(false)
    expect(holds(date('DateGreaterThanEquals', '2025-06-01T12:00:00'), at('2025-06-01T12:00:00Z'))).toBe(true)
    expect(holds(date('DateEquals', '2025-06-01T14:00:00+02:00'), at('2025-06-01T12:00:00Z'))).toBe(true)
    expect(holds(date('DateEquals', '2025-06-01T14:00:00+0200'), at('2025-06-01T12:00:00Z'))).toBe(true)
    expect(holds(date('DateEquals', '1748779200'), at('2025-06-01T12:00:00Z'))).toBe(true)
    expect(holds(date('DateLessThanEquals', '1748779199'), at('2025-06-01T12:00:00Z'))).toBe(false)
    expect(holds(date('DateNotEquals', '1748779200'), at('2025-06-01T12:00:00.000Z'))).toBe(false)
    expect(holds(date('DateGreaterThan', '2025-01-01T00:00:00Z'), at('not a date'))).toBe(false)
    expect(holds(date('DateNotEquals', '2025-01-01T00:00:00Z'), at('not a date'))).toBe(false)
  })
})

describe('Bool and Binary', () => {
  it('Bool compares true/false case-insensitively', () => {
    const secure = (v: string) => ({ 'aws:SecureTransport': v })
    expect(holds(key('Bool', true, 'aws:SecureTransport'), secure('true'))).toBe(true)
    expect(holds(key('Bool', 'TRUE', 'aws:SecureTransport'), secure('true'))).toBe(true)
    expect(holds(key('Bool', 'false', 'aws:SecureTransport'), secure('true'))).toBe(false)
    expect(holds(key('Bool', 'false', 'aws:SecureTransport'), secure('yes'))).toBe(false)
    expect(holds(key('Bool', 'false', 'aws:SecureTransport'))).toBe(false)
    expect(holds(key('BoolIfExists', 'false', 'aws:SecureTransport'))).toBe(true)
  })
  it('BinaryEquals compares the base64 text', () => {
    expect(holds(key('BinaryEquals', 'QUJD', 'aws:ResourceTag/bin'), { 'aws:ResourceTag/bin': 'QUJD' })).toBe(
      true,
    )
    expect(holds(key('BinaryEquals', 'QUJD', 'aws:ResourceTag/bin'), { 'aws:ResourceTag/bin': 'QUJE' })).toBe(
      false,
    )
  })
})

describe('IpAddress / NotIpAddress', () => {
  const from = (ip: string) => ({ 'aws:SourceIp': ip })
  const ip = (op: string, v: unknown) => key(op, v, 'aws:SourceIp')
  it('IPv4 and IPv6 CIDR ranges and single addresses', () => {
    expect(holds(ip('IpAddress', '10.0.0.0/8'), from('10.200.1.1'))).toBe(true)
    expect(holds(ip('IpAddress', '10.0.0.0/8'), from('11.0.0.1'))).toBe(false)
    expect(holds(ip('IpAddress', '203.0.113.7'), from('203.0.113.7'))).toBe(true)
    expect(holds(ip('IpAddress', '0.0.0.0/0'), from('198.51.100.1'))).toBe(true)
    expect(holds(ip('IpAddress', '2001:db8::/32'), from('2001:DB8:0:0:1::1'))).toBe(true)
    expect(holds(ip('IpAddress', '2001:db8::/32'), from('2001:db9::1'))).toBe(false)
    expect(holds(ip('IpAddress', '::ffff:10.0.0.0/104'), from('::ffff:10.1.2.3'))).toBe(true)
    expect(holds(ip('IpAddress', ['192.168.0.0/16', '10.0.0.0/8']), from('192.168.3.4'))).toBe(true)
  })
  it('families never mix: a v4 range does not contain a v6 address', () => {
    expect(holds(ip('IpAddress', '0.0.0.0/0'), from('2001:db8::1'))).toBe(false)
    expect(holds(ip('NotIpAddress', '10.0.0.0/8'), from('2001:db8::1'))).toBe(true)
  })
  it('NotIpAddress; a malformed source address matches neither', () => {
    expect(holds(ip('NotIpAddress', '10.0.0.0/8'), from('11.0.0.1'))).toBe(true)
    expect(holds(ip('NotIpAddress', '10.0.0.0/8'), from('10.0.0.1'))).toBe(false)
    expect(holds(ip('NotIpAddress', '10.0.0.0/8'), from('10.0.0.256'))).toBe(false)
    expect(holds(ip('IpAddress', '10.0.0.0/8'), from('10.0.0.256'))).toBe(false)
  })
})

describe('Arn operators', () => {
  const arn = (op: string, v: unknown) => key(op, v, 'aws:PrincipalArn')
  const p = (v: string) => ({ 'aws:PrincipalArn': v })
  it('compare segment by segment; wildcards stay inside their segment except in the last', () => {
    expect(holds(arn('ArnLike', 'arn:aws:iam::*:role/dev*'), p('arn:aws:iam::111111111111:role/dev-a'))).toBe(
      true,
    )
    expect(holds(arn('ArnEquals', 'arn:aws:iam::*:role/*'), p('arn:aws:iam::111111111111:role/a/b'))).toBe(
      true,
    )
    expect(holds(arn('ArnLike', 'arn:aws:iam::1111*:role/x'), p('arn:aws:iam::111111111111:role/x'))).toBe(
      true,
    )
    // `*` in the account segment cannot swallow `:role`.
    expect(holds(arn('ArnLike', 'arn:aws:*:role/x'), p('arn:aws:iam::111111111111:role/x'))).toBe(false)
    expect(
      holds(arn('ArnLike', 'arn:aws:sts::*:assumed-role/r/*'), p('arn:aws:sts::1:assumed-role/r/s:x')),
    ).toBe(true)
    expect(holds(arn('ArnLike', 'arn:aws:iam::*:ROLE/*'), p('arn:aws:iam::111111111111:role/x'))).toBe(false)
    expect(holds(arn('ArnLike', '*'), p('arn:aws:iam::111111111111:role/x'))).toBe(true)
  })
  it('negated forms, absent key, non-ARN values', () => {
    expect(holds(arn('ArnNotLike', 'arn:aws:iam::*:role/dev'), p('arn:aws:iam::111111111111:role/ops'))).toBe(
      true,
    )
    expect(
      holds(arn('ArnNotEquals', 'arn:aws:iam::*:role/dev'), p('arn:aws:iam::111111111111:role/dev')),
    ).toBe(false)
    expect(holds(arn('ArnNotLike', 'arn:aws:iam::*:role/dev'))).toBe(true)
    expect(holds(arn('ArnLike', 'arn:aws:iam::*:role/dev'), p('role/dev'))).toBe(false)
    expect(holds(arn('ArnNotLike', 'arn:aws:iam::*:role/dev'), p('role/dev'))).toBe(false)
  })
})

describe('Null, IfExists, keys and blocks', () => {
  it('Null tests presence', () => {
    expect(holds(key('Null', 'true'))).toBe(true)
    expect(holds(key('Null', 'true'), { 'aws:ResourceTag/team': 'red' })).toBe(false)
    expect(holds(key('Null', false), { 'aws:ResourceTag/team': 'red' })).toBe(true)
    expect(holds(key('Null', 'false'))).toBe(false)
  })
  it('IfExists holds on an absent key and otherwise behaves as the operator', () => {
    expect(holds(key('StringEqualsIfExists', 'red'))).toBe(true)
    expect(holds(key('StringEqualsIfExists', 'red'), { 'aws:ResourceTag/team': 'blue' })).toBe(false)
    expect(holds(key('NumericLessThanIfExists', '5', 'aws:MultiFactorAuthAge'))).toBe(true)
  })
  it('condition keys are case-insensitive; values are not', () => {
    expect(holds(key('StringEquals', 'red', 'AWS:RESOURCETAG/TEAM'), { 'aws:resourcetag/team': 'red' })).toBe(
      true,
    )
    expect(holds(key('StringEquals', 'Red', 'aws:resourcetag/team'), { 'AWS:ResourceTag/Team': 'red' })).toBe(
      false,
    )
  })
  it('keys and operators of one block are ANDed', () => {
    const both = { StringEquals: { 'aws:ResourceTag/team': 'red', 'aws:ResourceTag/env': 'prod' } }
    expect(holds(both, { 'aws:ResourceTag/team': 'red', 'aws:ResourceTag/env': 'prod' })).toBe(true)
    expect(holds(both, { 'aws:ResourceTag/team': 'red', 'aws:ResourceTag/env': 'dev' })).toBe(false)
    const ops = { ...key('StringLike', 'r*'), ...key('StringNotEquals', 'red') }
    expect(holds(ops, { 'aws:ResourceTag/team': 'rose' })).toBe(true)
    expect(holds(ops, { 'aws:ResourceTag/team': 'red' })).toBe(false)
  })
})
