import { describe, expect, it } from 'vitest'
import { compilePattern, PatternError } from './pattern.js'

const matches = (pattern: unknown, event: unknown) => compilePattern(JSON.stringify(pattern)).matches(event)

function reason(pattern: unknown): string {
  try {
    compilePattern(typeof pattern === 'string' ? pattern : JSON.stringify(pattern))
  } catch (error) {
    if (error instanceof PatternError) return error.reason
    throw error
  }
  throw new Error('pattern was accepted')
}

/** A Secrets Manager API call event as EventBridge delivers it (reference §3). */
const putSecretValue = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.secretsmanager',
  account: '111122223333',
  time: '2026-08-01T10:02:11Z',
  region: 'us-west-2',
  resources: [],
  detail: {
    eventName: 'PutSecretValue',
    eventSource: 'secretsmanager.amazonaws.com',
    sourceIPAddress: '203.0.113.10',
    requestParameters: { secretId: 'prod/db', clientRequestToken: 't-1' },
    responseElements: { arn: 'arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/db-a1b2c3' },
    readOnly: false,
    eventType: 'AwsApiCall',
  },
}

describe('fields, AND and OR (reference §4)', () => {
  it('ignores fields the pattern does not name, ANDs named fields and ORs alternatives', () => {
    expect(matches({ source: ['aws.secretsmanager'] }, putSecretValue)).toBe(true)
    expect(matches({ source: ['aws.kms', 'aws.secretsmanager'] }, putSecretValue)).toBe(true)
    expect(matches({ source: ['aws.secretsmanager'], region: ['eu-west-1'] }, putSecretValue)).toBe(false)
    expect(matches({ source: ['aws.secretsmanager'], region: ['us-west-2'] }, putSecretValue)).toBe(true)
  })

  it('matches the value-change rule the Secrets Manager guide recommends (reference §3)', () => {
    const rule = {
      source: ['aws.secretsmanager'],
      $or: [
        { 'detail-type': ['AWS API Call via CloudTrail'] },
        { 'detail-type': ['AWS Service Event via CloudTrail'] },
      ],
      detail: { eventName: ['PutSecretValue', 'UpdateSecret', 'RotationSucceeded'] },
    }
    expect(matches(rule, putSecretValue)).toBe(true)
    const rotation = {
      ...putSecretValue,
      'detail-type': 'AWS Service Event via CloudTrail',
      detail: { eventName: 'RotationSucceeded', additionalEventData: { SecretId: 'arn:x' } },
    }
    expect(matches(rule, rotation)).toBe(true)
    expect(matches(rule, { ...putSecretValue, detail: { eventName: 'GetSecretValue' } })).toBe(false)
    expect(matches(rule, { ...putSecretValue, 'detail-type': 'AWS Console Action via CloudTrail' })).toBe(
      false,
    )
  })

  it('matches one secret by responseElements.arn (and the legacy aRN) or additionalEventData.SecretId', () => {
    const arn = putSecretValue.detail.responseElements.arn
    const rule = {
      detail: {
        $or: [
          { responseElements: { arn: [arn] } },
          { responseElements: { aRN: [arn] } },
          { additionalEventData: { SecretId: [arn] } },
        ],
      },
    }
    expect(matches(rule, putSecretValue)).toBe(true)
    expect(matches(rule, { detail: { responseElements: { aRN: arn } } })).toBe(true)
    expect(matches(rule, { detail: { additionalEventData: { SecretId: arn } } })).toBe(true)
    expect(matches(rule, { detail: { additionalEventData: { SecretId: `${arn}x` } } })).toBe(false)
  })

  it('is exact and case-sensitive, in values and keys', () => {
    expect(matches({ source: ['AWS.secretsmanager'] }, putSecretValue)).toBe(false)
    expect(matches({ Source: ['aws.secretsmanager'] }, putSecretValue)).toBe(false)
    expect(matches({ source: ['aws.secretsmanager '] }, putSecretValue)).toBe(false)
  })

  it('keeps JSON types apart: "300" is not 300, [null] is not [""], booleans match literals', () => {
    expect(matches({ n: ['300'] }, { n: 300 })).toBe(false)
    expect(matches({ n: [300] }, { n: '300' })).toBe(false)
    expect(matches({ n: [300] }, { n: 300 })).toBe(true)
    expect(matches({ n: [null] }, { n: '' })).toBe(false)
    expect(matches({ n: [''] }, { n: null })).toBe(false)
    expect(matches({ n: [null] }, { n: null })).toBe(true)
    expect(matches({ n: [''] }, { n: '' })).toBe(true)
    expect(matches({ b: [true] }, { b: true })).toBe(true)
    expect(matches({ b: [true] }, { b: 'true' })).toBe(false)
    expect(matches({ b: [false] }, { b: true })).toBe(false)
  })

  it('compares numbers by value: 300.0 matches [300], 3.018e2 matches [301.8]', () => {
    expect(compilePattern('{"n":[300]}').matches(JSON.parse('{"n":300.0}'))).toBe(true)
    expect(compilePattern('{"n":[301.8]}').matches(JSON.parse('{"n":3.018e2}'))).toBe(true)
  })

  it('requires nesting to match and does not parse JSON inside strings', () => {
    expect(matches({ detail: { eventName: ['PutSecretValue'] } }, putSecretValue)).toBe(true)
    expect(matches({ eventName: ['PutSecretValue'] }, putSecretValue)).toBe(false)
    expect(matches({ detail: { a: ['b'] } }, { detail: '{"a":"b"}' })).toBe(false)
  })

  it('treats dotted keys as nested, in the pattern and in the event', () => {
    expect(matches({ 'detail.eventName': ['PutSecretValue'] }, putSecretValue)).toBe(true)
    expect(matches({ 'detail.requestParameters.secretId': ['prod/db'] }, putSecretValue)).toBe(true)
    expect(matches({ detail: { 'requestParameters.secretId': ['prod/db'] } }, putSecretValue)).toBe(true)
    expect(matches({ a: { b: ['x'] } }, { 'a.b': 'x' })).toBe(true)
    // Both spellings in one pattern merge into one object.
    expect(
      matches({ 'detail.eventName': ['PutSecretValue'], detail: { readOnly: [false] } }, putSecretValue),
    ).toBe(true)
    expect(
      matches({ 'detail.eventName': ['PutSecretValue'], detail: { readOnly: [true] } }, putSecretValue),
    ).toBe(false)
  })

  it('lets the last of a repeated key win', () => {
    expect(
      compilePattern('{"source":["aws.kms"],"source":["aws.secretsmanager"]}').matches(putSecretValue),
    ).toBe(true)
    expect(
      compilePattern('{"source":["aws.secretsmanager"],"source":["aws.kms"]}').matches(putSecretValue),
    ).toBe(false)
  })

  it('matches an empty pattern against any event', () => {
    expect(matches({}, putSecretValue)).toBe(true)
  })
})

describe('event arrays (reference §4)', () => {
  it('matches when any element matches', () => {
    expect(matches({ resources: ['b'] }, { resources: ['a', 'b'] })).toBe(true)
    expect(matches({ resources: ['c', 'a'] }, { resources: ['a', 'b'] })).toBe(true)
    expect(matches({ resources: ['c'] }, { resources: ['a', 'b'] })).toBe(false)
    expect(matches({ resources: ['b'] }, { resources: [['a'], ['b']] })).toBe(true)
  })

  it('takes the fields of one sub-pattern from the same element', () => {
    const event = {
      items: [
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
      ],
    }
    expect(matches({ items: { k: ['a'], v: [1] } }, event)).toBe(true)
    expect(matches({ items: { k: ['a'], v: [2] } }, event)).toBe(false)
    expect(matches({ items: { k: ['b'], v: [2] } }, event)).toBe(true)
  })

  it('exists: true on a key inside an array of objects matches when any element has it', () => {
    const event = { list: [{ a: 1 }, { b: 2 }] }
    expect(matches({ list: { b: [{ exists: true }] } }, event)).toBe(true)
    expect(matches({ list: { c: [{ exists: true }] } }, event)).toBe(false)
  })

  it('treats an empty array as absent', () => {
    expect(matches({ list: [{ exists: true }] }, { list: [] })).toBe(false)
    expect(matches({ list: [null] }, { list: [] })).toBe(false)
    expect(matches({ list: [{ exists: false }] }, { list: [] })).toBe(true)
    expect(matches({ list: { a: [{ exists: false }] } }, { list: [] })).toBe(true)
  })

  it('applies anything-but per element', () => {
    expect(matches({ x: [{ 'anything-but': 'a' }] }, { x: ['a', 'b'] })).toBe(true)
    expect(matches({ x: [{ 'anything-but': 'a' }] }, { x: ['a', 'a'] })).toBe(false)
    expect(matches({ x: [{ 'anything-but': ['a', 'b'] }] }, { x: ['a', 'b'] })).toBe(false)
  })
})

describe('operators (reference §4)', () => {
  it('prefix and suffix, plain and ignoring case; strings only; "" allowed', () => {
    expect(matches({ region: [{ prefix: 'us-' }] }, { region: 'us-west-2' })).toBe(true)
    expect(matches({ region: [{ prefix: 'eu-' }] }, { region: 'us-west-2' })).toBe(false)
    expect(matches({ region: [{ prefix: '' }] }, { region: 'anything' })).toBe(true)
    expect(matches({ n: [{ prefix: '3' }] }, { n: 300 })).toBe(false)
    expect(matches({ f: [{ suffix: '.png' }] }, { f: 'a.png' })).toBe(true)
    expect(matches({ f: [{ suffix: '.png' }] }, { f: 'a.PNG' })).toBe(false)
    expect(matches({ f: [{ suffix: { 'equals-ignore-case': '.PNG' } }] }, { f: 'a.png' })).toBe(true)
    expect(matches({ f: [{ prefix: { 'equals-ignore-case': 'US-' } }] }, { f: 'us-east-1' })).toBe(true)
    expect(matches({ f: [{ prefix: { 'equals-ignore-case': 'EU-' } }] }, { f: 'us-east-1' })).toBe(false)
  })

  it('equals-ignore-case', () => {
    expect(matches({ u: [{ 'equals-ignore-case': 'alice' }] }, { u: 'ALICE' })).toBe(true)
    expect(matches({ u: [{ 'equals-ignore-case': 'alice' }] }, { u: 'alicE ' })).toBe(false)
    expect(matches({ u: [{ 'equals-ignore-case': '1' }] }, { u: 1 })).toBe(false)
  })

  it('wildcard, with \\* as a literal star', () => {
    const pattern = { arn: [{ wildcard: 'arn:aws:events:*:*:event-bus/*' }] }
    expect(matches(pattern, { arn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' })).toBe(true)
    expect(matches(pattern, { arn: 'arn:aws:events:us-east-1:123456789012:rule/x' })).toBe(false)
    expect(matches({ s: [{ wildcard: 'a\\*b' }] }, { s: 'a*b' })).toBe(true)
    expect(matches({ s: [{ wildcard: 'a\\*b' }] }, { s: 'axb' })).toBe(false)
    expect(matches({ s: [{ wildcard: 'a*' }] }, { s: 'a\nb' })).toBe(true)
    expect(matches({ s: [{ wildcard: 'a.c' }] }, { s: 'abc' })).toBe(false)
    expect(matches({ s: [{ wildcard: '*' }] }, { s: 5 })).toBe(false)
  })

  it('anything-but: a string, a number, a list, and the operator forms', () => {
    expect(matches({ s: [{ 'anything-but': 'x' }] }, { s: 'y' })).toBe(true)
    expect(matches({ s: [{ 'anything-but': 'x' }] }, { s: 'x' })).toBe(false)
    expect(matches({ n: [{ 'anything-but': 123 }] }, { n: 123 })).toBe(false)
    expect(matches({ n: [{ 'anything-but': 123 }] }, { n: '123' })).toBe(true)
    expect(matches({ s: [{ 'anything-but': ['x', 'y'] }] }, { s: 'y' })).toBe(false)
    expect(matches({ s: [{ 'anything-but': ['x', 'y'] }] }, { s: 'z' })).toBe(true)
    expect(matches({ s: [{ 'anything-but': { prefix: 'us-' } }] }, { s: 'us-east-1' })).toBe(false)
    expect(matches({ s: [{ 'anything-but': { prefix: 'us-' } }] }, { s: 'eu-west-1' })).toBe(true)
    expect(matches({ s: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }, { s: 'eu-west-1' })).toBe(false)
    expect(matches({ s: [{ 'anything-but': { suffix: '.tmp' } }] }, { s: 'a.tmp' })).toBe(false)
    expect(matches({ s: [{ 'anything-but': { 'equals-ignore-case': ['A', 'B'] } }] }, { s: 'b' })).toBe(false)
    expect(matches({ s: [{ 'anything-but': { 'equals-ignore-case': 'A' } }] }, { s: 'c' })).toBe(true)
    expect(matches({ s: [{ 'anything-but': { wildcard: '*.tmp' } }] }, { s: 'x.tmp' })).toBe(false)
    expect(matches({ s: [{ 'anything-but': { wildcard: '*.tmp' } }] }, { s: 'x.txt' })).toBe(true)
  })

  it('anything-but: a missing field does not match, null does, a number passes a string operator', () => {
    expect(matches({ s: [{ 'anything-but': 'x' }] }, {})).toBe(false)
    expect(matches({ s: [{ 'anything-but': 'x' }] }, { s: null })).toBe(true)
    expect(matches({ s: [{ 'anything-but': { prefix: 'us-' } }] }, { s: 5 })).toBe(true)
  })

  it('numeric: one bound, two bounds, equality; JSON numbers only', () => {
    const range = { n: [{ numeric: ['>', 0, '<=', 5] }] }
    expect(matches(range, { n: 0 })).toBe(false)
    expect(matches(range, { n: 0.0001 })).toBe(true)
    expect(matches(range, { n: 5 })).toBe(true)
    expect(matches(range, { n: 5.01 })).toBe(false)
    expect(matches(range, { n: '3' })).toBe(false)
    expect(matches({ n: [{ numeric: ['=', 3.018e2] }] }, { n: 301.8 })).toBe(true)
    expect(matches({ n: [{ numeric: ['>=', 10] }] }, { n: 10 })).toBe(true)
    expect(matches({ n: [{ numeric: ['<', -1] }] }, { n: -1 })).toBe(false)
    expect(matches({ n: [{ numeric: ['<', -1] }] }, { n: [5, -3] })).toBe(true)
  })

  it('cidr, IPv4 and IPv6; non-strings do not match', () => {
    const v4 = { ip: [{ cidr: '10.0.0.0/24' }] }
    expect(matches(v4, { ip: '10.0.0.255' })).toBe(true)
    expect(matches(v4, { ip: '10.0.1.0' })).toBe(false)
    expect(matches(v4, { ip: 10 })).toBe(false)
    expect(matches(v4, { ip: 'not an ip' })).toBe(false)
    const v6 = { ip: [{ cidr: '2001:db8::/64' }] }
    expect(matches(v6, { ip: '2001:db8::1' })).toBe(true)
    expect(matches(v6, { ip: '2001:db8:0:0:ffff::' })).toBe(true)
    expect(matches(v6, { ip: '2001:db8:0:1::' })).toBe(false)
    expect(matches(v6, { ip: '10.0.0.1' })).toBe(false)
  })

  it('exists: true and false; false also holds when an ancestor is missing; leaves only', () => {
    expect(matches({ detail: { errorCode: [{ exists: true }] } }, putSecretValue)).toBe(false)
    expect(matches({ detail: { errorCode: [{ exists: false }] } }, putSecretValue)).toBe(true)
    expect(matches({ detail: { eventName: [{ exists: true }] } }, putSecretValue)).toBe(true)
    expect(matches({ missing: { deeper: [{ exists: false }] } }, putSecretValue)).toBe(true)
    expect(matches({ n: [{ exists: true }] }, { n: null })).toBe(true)
    // An object is not a leaf.
    expect(matches({ detail: [{ exists: true }] }, putSecretValue)).toBe(false)
  })

  it('$or at the top and nested', () => {
    const top = { $or: [{ a: ['x'] }, { b: ['y'] }] }
    expect(matches(top, { a: 'x' })).toBe(true)
    expect(matches(top, { b: 'y' })).toBe(true)
    expect(matches(top, { a: 'y', b: 'x' })).toBe(false)
    const nested = { detail: { $or: [{ c: [{ numeric: ['>', 5] }] }, { d: [{ prefix: 'z' }] }] } }
    expect(matches(nested, { detail: { c: 6 } })).toBe(true)
    expect(matches(nested, { detail: { d: 'zz' } })).toBe(true)
    expect(matches(nested, { detail: { c: 5, d: 'a' } })).toBe(false)
    // A "$or" whose list holds values rather than objects is an ordinary field.
    expect(matches({ $or: ['x'] }, { $or: 'x' })).toBe(true)
  })
})

describe('validation (reference §4: InvalidEventPatternException reasons)', () => {
  it.each([
    [{ source: [] }, 'Empty arrays are not allowed'],
    [{ source: 'aws.kms' }, '"source" must be an object or an array'],
    [{ detail: { n: 5 } }, '"n" must be an object or an array'],
    [{ n: [{ NUMERIC: ['>', 0] }] }, 'Unrecognized match type NUMERIC'],
    [{ n: [{ Prefix: 'a' }] }, 'Unrecognized match type Prefix'],
    [{ n: [{ numeric: ['>', 0, '>', 5] }] }, 'Bad numeric range operator: >'],
    [{ n: [{ numeric: ['<', 5, '>', 0] }] }, 'Bad numeric range operator: >'],
    [{ n: [{ numeric: ['=', 5, '<', 9] }] }, 'Bad numeric range operator: <'],
    [{ n: [{ numeric: ['!=', 5] }] }, 'Unrecognized numeric range operator: !='],
    [{ n: [{ numeric: ['>', '5'] }] }, 'Value of > must be numeric'],
    [{ n: [{ numeric: '>' }] }, 'Value of numeric must be an array.'],
    [{ n: [{ numeric: ['>', 0, '<', 5, '<', 6] }] }, 'Too many terms in numeric range expression'],
    [{ s: [{ prefix: 5 }] }, 'prefix match pattern must be a string'],
    [{ s: [{ suffix: ['a'] }] }, 'suffix match pattern must be a string'],
    [{ s: [{ 'equals-ignore-case': 1 }] }, 'equals-ignore-case match pattern must be a string'],
    [{ s: [{ wildcard: 'a**b' }] }, 'Consecutive wildcard characters at pos 3'],
    [{ s: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 2'],
    [{ s: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
    [{ s: [{ cidr: '10.0.0.0/8/8' }] }, "Malformed CIDR, one '/' required"],
    [{ s: [{ cidr: '10.0.0.300/8' }] }, 'Nonstandard IP address: 10.0.0.300'],
    [{ s: [{ exists: 'yes' }] }, 'exists match pattern must be either true or false.'],
    [
      { s: [{ 'anything-but': true }] },
      'Value of anything-but must be an array or single string/number value.',
    ],
    [{ s: [{ 'anything-but': [true] }] }, 'Inside anything but list, start|null|boolean is not supported.'],
    [
      { s: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } }] },
      'prefix match pattern must be a string',
    ],
    [{ s: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'Unsupported anything-but pattern: numeric'],
    [{ s: [{ prefix: 'a', suffix: 'b' }] }, 'Only one key allowed in match expression'],
    [{ s: [{}] }, 'Empty objects are not allowed'],
    [{ s: [['a']] }, 'Match value must be String, number, true, false, or null'],
    [{ $or: [{ a: ['x'] }] }, 'There must have at least 2 Objects in $or relationship.'],
  ])('%j -> %s', (pattern, text) => {
    expect(reason(pattern)).toBe(text)
  })

  it('refuses text that is not a JSON object', () => {
    expect(reason('["a"]')).toBe('Filter is not an object')
    expect(reason('"a"')).toBe('Filter is not an object')
    expect(reason('{"a": [')).toBe('Filter is not valid JSON')
  })

  it('refuses $or combinations beyond 1000', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ k: [String(i)] }))
    const three = { a: { $or: eleven }, b: { $or: eleven }, c: { $or: eleven } }
    expect(reason(three)).toMatch(/more than 1000 combinations/)
    expect(() => compilePattern(JSON.stringify({ a: { $or: eleven }, b: { $or: eleven } }))).not.toThrow()
  })
})
