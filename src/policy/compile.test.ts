/** Compilation caches and the low-level matchers (wildcards, IP ranges). */
import { describe, expect, it } from 'vitest'
import { compilePolicy, compilePolicyText } from './compile.js'
import { parsePolicy } from './document.js'
import { globMatch, globOf } from './glob.js'
import { decide, policy, request, secretArn, user } from './evaluate.fixtures.js'
import { ipInRange, parseIp, parseIpRange } from './ip.js'

const TEXT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'secretsmanager:Get*', Resource: '*' },
    { Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
    { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
  ],
})

describe('compilation', () => {
  it('compiles a document once (WeakMap per document)', () => {
    const parsed = parsePolicy(TEXT, 'identity')
    if (!parsed.ok) throw new Error('unreachable')
    expect(compilePolicy(parsed.policy)).toBe(compilePolicy(parsed.policy))
    expect(compilePolicy(parsed.policy).document).toBe(parsed.policy)
  })
  it('compilePolicyText remembers results per kind and text, including errors', () => {
    const a = compilePolicyText(TEXT, 'identity')
    expect(a.ok).toBe(true)
    expect(compilePolicyText(`${TEXT}`, 'identity')).toBe(a)
    expect(compilePolicyText(TEXT, 'resource')).not.toBe(a)
    expect(compilePolicyText(TEXT, 'resource').ok).toBe(false) // resource policies need a Principal
    const bad = compilePolicyText('{"Statement": 1}', 'identity')
    expect(bad.ok).toBe(false)
    expect(compilePolicyText('{"Statement": 1}', 'identity')).toBe(bad)
  })
  it('compilePolicyText stays bounded', () => {
    const first = compilePolicyText(TEXT.replace('kms:*', 'kms:Decrypt'), 'identity')
    for (let i = 0; i < 1100; i++) compilePolicyText(TEXT.replace('kms:*', `kms:X${i}`), 'identity')
    expect(compilePolicyText(TEXT.replace('kms:*', 'kms:Decrypt'), 'identity')).not.toBe(first)
  })
  it('indexes statements by action, split into Deny and Allow', () => {
    const r = compilePolicyText(TEXT, 'identity')
    if (!r.ok) throw new Error('unreachable')
    const get = r.policy.forAction('secretsmanager:GetSecretValue')
    expect(get.allow.map((s) => s.source.index)).toEqual([0])
    expect(get.deny.map((s) => s.source.index)).toEqual([1])
    expect(r.policy.forAction('SECRETSMANAGER:getsecretvalue').deny).toHaveLength(1)
    expect(r.policy.forAction('ssm:GetParameter')).toEqual({ deny: [], allow: [] })
    expect(r.policy.forAction('secretsmanager:GetSecretValue')).toBe(get)
  })
})

describe('memoisation', () => {
  it('shares identical clauses and resource patterns, and never leaks a result between evaluations', () => {
    const doc = (sid: string) =>
      policy({
        Statement: [
          {
            Sid: sid,
            Effect: 'Allow',
            Action: '*',
            Resource: 'arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}/*',
            Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
          },
        ],
      })
    const a = doc('A')
    const b = doc('B')
    expect(a.statements[0]?.conditions[0]).toBe(b.statements[0]?.conditions[0])
    const req = (ip: string, team: string, name = 'red/x') =>
      request(user('alice'), {
        resource: secretArn(name),
        context: { 'aws:SourceIp': ip, 'aws:PrincipalTag/team': team },
      })
    for (let i = 0; i < 50; i++) {
      const inside = i % 2 === 0
      const team = i % 3 === 0 ? 'red' : 'blue'
      const expected = inside && team === 'red' ? 'Allow' : 'Implicit:identity'
      expect(decide(req(inside ? '10.0.0.1' : '11.0.0.1', team), { identity: [i % 5 === 0 ? a : b] })).toBe(
        expected,
      )
      expect(decide(req('10.0.0.1', 'red', i % 2 === 0 ? 'red/x' : 'blue/x'), { identity: [a] })).toBe(
        i % 2 === 0 ? 'Allow' : 'Implicit:identity',
      )
    }
  })
})

describe('wildcard matcher', () => {
  const m = (pattern: string, text: string) => globMatch(globOf(pattern), text)
  it('`*` spans anything, `?` one character', () => {
    expect(m('*', '')).toBe(true)
    expect(m('a*', 'a:b/c')).toBe(true)
    expect(m('*c', 'a:b/c')).toBe(true)
    expect(m('a*b*c', 'axxbyyc')).toBe(true)
    expect(m('a*b*c', 'axxbyy')).toBe(false)
    expect(m('a?c', 'abc')).toBe(true)
    expect(m('a?c', 'ac')).toBe(false)
    expect(m('abc', 'abc')).toBe(true)
    expect(m('abc', 'abcd')).toBe(false)
    expect(m('**', 'x')).toBe(true)
  })
  it('matches within a range', () => {
    expect(globMatch(globOf('b*'), 'a:bcd:e', 2, 5)).toBe(true)
    expect(globMatch(globOf('bcd'), 'a:bcd:e', 2, 5)).toBe(true)
    expect(globMatch(globOf('bc'), 'a:bcd:e', 2, 5)).toBe(false)
  })
})

describe('IP ranges', () => {
  const inRange = (ip: string, range: string) => {
    const a = parseIp(ip)
    const r = parseIpRange(range)
    return a !== undefined && r !== undefined && ipInRange(a, r)
  }
  it('IPv4 and IPv6, any prefix length', () => {
    expect(inRange('10.1.2.3', '10.0.0.0/8')).toBe(true)
    expect(inRange('10.1.2.3', '10.1.2.2/31')).toBe(true)
    expect(inRange('10.1.2.4', '10.1.2.2/31')).toBe(false)
    expect(inRange('1.2.3.4', '0.0.0.0/0')).toBe(true)
    expect(inRange('::1', '::/0')).toBe(true)
    expect(inRange('2001:db8::1', '2001:db8::/33')).toBe(true)
    expect(inRange('2001:db8:8000::1', '2001:db8::/33')).toBe(false)
    expect(inRange('1.2.3.4', '::/0')).toBe(false)
  })
  it('rejects malformed input', () => {
    for (const bad of ['1.2.3', '1.2.3.256', '1.2.3.4/33', '1::2::3', '::/129', 'x', '1.2.3.4/']) {
      expect(parseIpRange(bad)).toBeUndefined()
    }
    expect(parseIp('10.0.0.0/8')).toBeUndefined()
  })
})
