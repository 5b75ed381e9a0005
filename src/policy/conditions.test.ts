import { describe, expect, it } from 'vitest'
import { checkConditionValue, isIpOrCidr } from './condition-values.js'
import { parseOperator } from './conditions.js'

describe('parseOperator', () => {
  it('splits quantifier, base and IfExists', () => {
    expect(parseOperator('StringEquals')).toEqual({
      base: 'StringEquals',
      family: 'String',
      quantifier: undefined,
      ifExists: false,
    })
    expect(parseOperator('ForAllValues:ArnNotLikeIfExists')).toEqual({
      base: 'ArnNotLike',
      family: 'Arn',
      quantifier: 'ForAllValues',
      ifExists: true,
    })
    expect(parseOperator('ForAnyValue:Null')).toMatchObject({ base: 'Null', quantifier: 'ForAnyValue' })
  })

  it.each([
    'NumericGreaterThanEqualsIfExists',
    'DateNotEquals',
    'BoolIfExists',
    'BinaryEquals',
    'NotIpAddressIfExists',
  ])('accepts %s', (op) => expect(typeof parseOperator(op)).toBe('object'))

  it.each([
    '',
    'IfExists',
    'StringEqualsIfExistsIfExists',
    'ForAnyValue:',
    'forAnyValue:StringEquals',
    'NullIfExists',
    'StringMatches',
  ])('rejects %j', (op) => expect(typeof parseOperator(op)).toBe('string'))
})

describe('condition value checks', () => {
  it.each([
    '10.0.0.1',
    '10.0.0.0/8',
    '0.0.0.0/0',
    '::/0',
    '::1',
    '2001:db8::/32',
    '2001:0db8:0000:0000:0000:ff00:0042:8329',
    '::ffff:192.0.2.128',
    'fe80::1:2:3:4:5:6',
  ])('accepts IP %s', (ip) => expect(isIpOrCidr(ip)).toBe(true))

  it.each([
    '',
    '10.0.0',
    '256.0.0.1',
    '10.0.0.1/',
    '10.0.0.1/33',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '2001:db8::/129',
    'gggg::1',
    '1:2:3:4:5:6:7:8::',
  ])('rejects IP %j', (ip) => expect(isIpOrCidr(ip)).toBe(false))

  it('checks numbers, dates, booleans, binary and ARNs', () => {
    expect(checkConditionValue('Numeric', '-1.5e3')).toBeUndefined()
    expect(checkConditionValue('Numeric', '1,000')).toBeDefined()
    expect(checkConditionValue('Date', '2024-02-29')).toBeUndefined()
    expect(checkConditionValue('Date', '2024-02-29T12:00:00.123+01:00')).toBeUndefined()
    expect(checkConditionValue('Date', '1700000000')).toBeUndefined()
    expect(checkConditionValue('Date', '2024-13-01')).toBeDefined()
    expect(checkConditionValue('Bool', 'TRUE')).toBeUndefined()
    expect(checkConditionValue('Bool', '1')).toBeDefined()
    expect(checkConditionValue('Binary', 'QUJD')).toBeUndefined()
    expect(checkConditionValue('Binary', 'QUJ')).toBeDefined()
    expect(checkConditionValue('Arn', 'arn:aws:iam::*:role/x')).toBeUndefined()
    expect(checkConditionValue('String', '')).toBeUndefined()
  })

  it('defers values with policy variables to request time', () => {
    expect(checkConditionValue('Numeric', '${aws:EpochTime}')).toBeUndefined()
    expect(checkConditionValue('Arn', '${aws:PrincipalArn}')).toBeUndefined()
  })
})
