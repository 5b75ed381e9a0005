/** Policy variables in Resource, NotResource and Condition values. */
import { describe, expect, it } from 'vitest'
import type { ContextValue } from './evaluation-types.js'
import {
  allow,
  allowed,
  deny,
  decide,
  policy,
  request,
  roleSession,
  secretArn,
  user,
} from './evaluate.fixtures.js'

const alice = user('alice')
const ctx = (extra: Record<string, ContextValue> = {}) => ({
  'aws:username': 'alice',
  'aws:userid': 'AIDAALICE',
  'aws:PrincipalTag/team': 'red',
  'aws:SourceIp': '10.1.2.3',
  'aws:CurrentTime': '2025-06-01T12:00:00Z',
  ...extra,
})
const on = (name: string, context: Record<string, ContextValue> = ctx()) =>
  request(alice, { resource: secretArn(name), context })
const own = (pattern: string) => allow('secretsmanager:*', `arn:aws:secretsmanager:*:*:secret:${pattern}`)
const when = (condition: object) => allow('*', '*', { Condition: condition })

describe('variables in Resource', () => {
  it('${aws:username}', () => {
    expect(allowed(on('alice/db'), own('${aws:username}/*'))).toBe(true)
    expect(allowed(on('bob/db'), own('${aws:username}/*'))).toBe(false)
  })
  it('${aws:userid}, ${aws:PrincipalTag/...}, any context key', () => {
    expect(allowed(on('AIDAALICE-x'), own('${aws:userid}-*'))).toBe(true)
    expect(allowed(on('red/db'), own('${aws:PrincipalTag/team}/*'))).toBe(true)
    expect(allowed(on('red/db'), own('${aws:principaltag/TEAM}/*'))).toBe(true)
    expect(allowed(on('blue/db'), own('${aws:PrincipalTag/team}/*'))).toBe(false)
    expect(
      allowed(
        on('prod/db', ctx({ 'secretsmanager:ResourceTag/env': 'prod' })),
        own('${secretsmanager:ResourceTag/env}/*'),
      ),
    ).toBe(true)
  })
  it('a substituted value is literal text: a tag of `*` is not a wildcard', () => {
    expect(
      allowed(on('red/db', ctx({ 'aws:PrincipalTag/team': '*' })), own('${aws:PrincipalTag/team}/*')),
    ).toBe(false)
    expect(
      allowed(on('*/db', ctx({ 'aws:PrincipalTag/team': '*' })), own('${aws:PrincipalTag/team}/*')),
    ).toBe(true)
  })
  it('a missing key makes the value match nothing; a default fills in', () => {
    const noTag = ctx({})
    const bare = new Map(Object.entries(noTag).filter(([k]) => k !== 'aws:PrincipalTag/team'))
    const req = on('red/db', Object.fromEntries(bare))
    expect(allowed(req, own('${aws:PrincipalTag/team}/*'))).toBe(false)
    expect(allowed(req, own('${aws:PrincipalTag/team}*'))).toBe(false)
    expect(allowed(req, own("${aws:PrincipalTag/team, 'red'}/*"))).toBe(true)
    expect(allowed(on('red/db'), own("${aws:PrincipalTag/team, 'blue'}/*"))).toBe(true)
  })
  it('a multi-valued key cannot be substituted', () => {
    expect(allowed(on('team/db', ctx({ 'aws:TagKeys': ['team'] })), own('${aws:TagKeys}/*'))).toBe(false)
  })
  it('escapes ${*}, ${?}, ${$} stand for literal characters', () => {
    expect(allowed(on('a*b'), own('a${*}b-AbCdEf'))).toBe(true)
    expect(allowed(on('axb'), own('a${*}b-AbCdEf'))).toBe(false)
    expect(allowed(on('a?b'), own('a${?}b-*'))).toBe(true)
    expect(allowed(on('axb'), own('a${?}b-*'))).toBe(false)
    expect(allowed(on('a$b'), own('a${$}b-*'))).toBe(true)
  })
  it('only Version 2012-10-17 substitutes; elsewhere `${...}` is literal text', () => {
    const old = (version?: string) =>
      policy(
        JSON.stringify({
          ...(version === undefined ? {} : { Version: version }),
          Statement: [
            { Effect: 'Allow', Action: '*', Resource: 'arn:aws:secretsmanager:*:*:secret:${aws:username}*' },
          ],
        }),
      )
    expect(allowed(on('alice'), old('2008-10-17'))).toBe(false)
    expect(allowed(on('alice'), old())).toBe(false)
    expect(allowed(on('${aws:username}'), old('2008-10-17'))).toBe(true)
    expect(allowed(on('alice'), old('2012-10-17'))).toBe(true)
  })
})

describe('variables in NotResource', () => {
  it('substitutes, and a missing key makes the element not match (the statement does not apply)', () => {
    const everythingButOwn = policy({
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:secretsmanager:*:*:secret:${aws:username}/*' },
      ],
    })
    expect(decide(on('alice/x'), { identity: [everythingButOwn] })).toBe('Allow')
    expect(decide(on('bob/x'), { identity: [everythingButOwn] })).toBe('Deny:identity')
    const anonymous = request(roleSession('dev', 's'), { resource: secretArn('bob/x'), context: {} })
    expect(decide(anonymous, { identity: [everythingButOwn] })).toBe('Allow')
  })
})

describe('variables in Condition values', () => {
  it('String operators with ${aws:username}, ${aws:PrincipalTag/...}, ${aws:SourceIp}, ${aws:CurrentTime}', () => {
    const req = on('x', ctx({ 'aws:ResourceTag/owner': 'alice', 'aws:ResourceTag/team': 'red' }))
    expect(allowed(req, when({ StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } }))).toBe(true)
    expect(allowed(req, when({ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }))).toBe(
      true,
    )
    expect(allowed(req, when({ StringLike: { 'aws:ResourceTag/owner': '${aws:PrincipalTag/team}*' } }))).toBe(
      false,
    )
    const ipTag = on('x', ctx({ 'aws:ResourceTag/ip': '10.1.2.3' }))
    expect(allowed(ipTag, when({ StringEquals: { 'aws:ResourceTag/ip': '${aws:SourceIp}' } }))).toBe(true)
    const timeTag = on('x', ctx({ 'aws:ResourceTag/t': '2025-06-01T12:00:00Z' }))
    expect(allowed(timeTag, when({ StringEquals: { 'aws:ResourceTag/t': '${aws:CurrentTime}' } }))).toBe(true)
  })
  it('Arn operators substitute in any segment', () => {
    const req = on(
      'x',
      ctx({
        'aws:PrincipalArn': 'arn:aws:iam::111111111111:user/alice',
        'aws:PrincipalAccount': '111111111111',
      }),
    )
    const arn = 'arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}'
    expect(allowed(req, when({ ArnEquals: { 'aws:PrincipalArn': arn } }))).toBe(true)
  })
  it('a missing key: positive operators fail, negated operators fail too (nothing to compare with)', () => {
    const req = on('x', ctx({ 'aws:ResourceTag/owner': 'alice' }))
    expect(
      allowed(req, when({ StringEquals: { 'aws:ResourceTag/owner': '${aws:PrincipalTag/missing}' } })),
    ).toBe(false)
    expect(
      allowed(req, when({ StringNotEquals: { 'aws:ResourceTag/owner': '${aws:PrincipalTag/missing}' } })),
    ).toBe(false)
    const fence = deny('*', '*', {
      Condition: { StringNotEquals: { 'aws:ResourceTag/owner': '${aws:PrincipalTag/missing}' } },
    })
    expect(decide(req, { identity: [allow('*'), fence] })).toBe('Allow')
  })
  it('escapes apply in every operator that takes variables', () => {
    const req = on('x', ctx({ 'aws:ResourceTag/q': 'a?b' }))
    expect(allowed(req, when({ StringEquals: { 'aws:ResourceTag/q': 'a${?}b' } }))).toBe(true)
    expect(allowed(req, when({ StringLike: { 'aws:ResourceTag/q': 'a${?}*' } }))).toBe(true)
    expect(
      allowed(
        on('x', ctx({ 'aws:ResourceTag/q': 'axb' })),
        when({ StringLike: { 'aws:ResourceTag/q': 'a${?}b' } }),
      ),
    ).toBe(false)
  })
  it('Numeric, Date and IpAddress values are not substituted', () => {
    const req = on('x', ctx({ 'aws:MultiFactorAuthAge': '5', 'aws:ResourceTag/max': '10' }))
    expect(
      allowed(req, when({ NumericLessThan: { 'aws:MultiFactorAuthAge': '${aws:ResourceTag/max}' } })),
    ).toBe(false)
  })
})
