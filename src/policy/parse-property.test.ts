import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parsePolicy } from './document.js'
import { grantsPublicAccess } from './public-access.js'
import type { PolicyKind } from './types.js'
import { validateSecretResourcePolicy } from './validate-resource-policy.js'

const kinds = fc.constantFrom<PolicyKind>('identity', 'resource', 'trust', 'key')

const junk = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', '*', '__proto__', 'constructor'))
const orJunk = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 20, arbitrary: arb }, { weight: 1, arbitrary: junk })
/** Mostly valid words, occasionally an invalid one. */
const words = (good: string[], bad: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 15, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.constantFrom(...bad) },
  )
const listOf = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  orJunk(fc.oneof(arb, fc.array(arb, { minLength: 1, maxLength: 3 })))
/** Mostly exactly one of X / NotX, sometimes neither or both. */
const oneOf = (pos: string, neg: string, arb: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(
    { weight: 30, arbitrary: arb.map((v) => ({ [pos]: v })) },
    { weight: 6, arbitrary: arb.map((v) => ({ [neg]: v })) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.tuple(arb, arb).map(([a, b]) => ({ [pos]: a, [neg]: b })) },
  )

const AWS = words(['*', '111122223333', 'arn:aws:iam::444455556666:role/r'], ['arn:aws:iam::*:root'])
const principal = orJunk(
  fc.oneof(
    fc.constant('*'),
    fc.record({ AWS: listOf(AWS) }),
    fc.record({ Service: listOf(words(['x.amazonaws.com'], ['*'])) }),
  ),
)
const operator = words(
  [
    'StringEquals',
    'StringNotEquals',
    'StringLike',
    'ForAnyValue:StringEquals',
    'StringEqualsIfExists',
    'IpAddress',
  ],
  ['NullIfExists', 'Bogus'],
)
const conditionKey = words(['aws:PrincipalOrgID', 'aws:SourceIp', 'aws:PrincipalAccount'], ['nokey'])
const conditionValue = fc.oneof(words(['o-1', '10.0.0.0/8', '*', '111122223333'], ['']), fc.boolean())
const condition = orJunk(
  fc.dictionary(operator, orJunk(fc.dictionary(conditionKey, listOf(conditionValue), { maxKeys: 2 })), {
    maxKeys: 2,
  }),
)
const action = words(['*', 'secretsmanager:Get*', 's3:GetObject'], ['bad'])
const resource = words(['*', 'arn:aws:secretsmanager:us-east-1:1:secret:x'], ['no'])
const statement = orJunk(
  fc
    .tuple(
      oneOf('Principal', 'NotPrincipal', principal),
      oneOf('Action', 'NotAction', listOf(action)),
      oneOf('Resource', 'NotResource', listOf(resource)),
      fc.record(
        {
          Sid: orJunk(words(['A', 'B'], ['with space'])),
          Effect: orJunk(words(['Allow', 'Deny'], ['allow'])),
          Condition: condition,
        },
        { requiredKeys: ['Effect'] },
      ),
      fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: junk }),
    )
    .map(([p, a, r, rest, extra]) => ({
      ...p,
      ...a,
      ...r,
      ...rest,
      ...(extra === undefined ? {} : { Extra: extra }),
    })),
)
/** Documents built from policy vocabulary, so the deep code paths run, not just INVALID_JSON. */
const policyish = fc.record(
  {
    Version: orJunk(words(['2012-10-17', '2008-10-17'], ['2020-01-01'])),
    Id: orJunk(fc.string()),
    Statement: orJunk(
      fc.oneof(
        statement,
        fc.oneof(
          { weight: 20, arbitrary: fc.array(statement, { minLength: 1, maxLength: 3 }) },
          { weight: 1, arbitrary: fc.constant([]) },
        ),
      ),
    ),
  },
  { requiredKeys: ['Statement'] },
)

function checkResult(text: string, kind: PolicyKind): void {
  const r = parsePolicy(text, kind)
  if (r.ok) {
    expect(r.findings.every((f) => f.severity !== 'ERROR')).toBe(true)
  } else {
    expect(r.errors.length).toBeGreaterThan(0)
    for (const e of r.errors) expect(e.severity).toBe('ERROR')
  }
}

describe('parsePolicy never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), kinds, (s, kind) => checkResult(s, kind)),
      { numRuns: 2000 },
    )
  })

  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), kinds, (v, kind) => checkResult(JSON.stringify(v) ?? 'null', kind)),
      {
        numRuns: 1000,
      },
    )
  })

  it('on policy-shaped JSON', () => {
    fc.assert(
      fc.property(policyish, kinds, (v, kind) => {
        const text = JSON.stringify(v)
        checkResult(text, kind)
        const r = validateSecretResourcePolicy(text, '111122223333')
        expect(r.PolicyValidationPassed).toBe(r.ValidationErrors.length === 0)
        // A policy that passes validation can never be refused by BlockPublicPolicy.
        const parsed = parsePolicy(text, 'resource')
        if (r.PolicyValidationPassed && parsed.ok)
          expect(grantsPublicAccess(parsed.policy, '111122223333')).toBe(false)
      }),
      { numRuns: 2000 },
    )
  })

  it('on pathological input', () => {
    checkResult('['.repeat(200_000), 'resource')
    checkResult(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'resource')
    checkResult(`{"Version":"2012-10-17","Statement":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'resource')
  })
})
