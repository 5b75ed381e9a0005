import { describe, expect, it } from 'vitest'
import { analyzeSecretResourcePolicy, validateSecretResourcePolicy } from './validate-resource-policy.js'

const OWNER = '111122223333'
const OTHER = '444455556666'

const text = (statements: unknown, version: string | null = '2012-10-17'): string =>
  JSON.stringify(version === null ? { Statement: statements } : { Version: version, Statement: statements })

const grant = (principal: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'secretsmanager:GetSecretValue',
  Resource: '*',
  ...extra,
})

describe('validateSecretResourcePolicy', () => {
  it('passes a cross-account grant with an empty error list', () => {
    expect(validateSecretResourcePolicy(text(grant({ AWS: `arn:aws:iam::${OTHER}:root` })), OWNER)).toEqual({
      PolicyValidationPassed: true,
      ValidationErrors: [],
    })
  })

  it('fails on syntax errors with stable check names', () => {
    const r = validateSecretResourcePolicy('{"Version": "2012-10-17", "Statement": [', OWNER)
    expect(r.PolicyValidationPassed).toBe(false)
    expect(r.ValidationErrors).toHaveLength(1)
    expect(r.ValidationErrors[0]!.CheckName).toBe('INVALID_JSON')
    expect(r.ValidationErrors[0]!.ErrorMessage).toMatch(/^The policy document has a syntax error: /)
  })

  it('fails when a statement has no Resource and names the location', () => {
    const s = grant({ AWS: OWNER })
    delete s['Resource']
    const r = validateSecretResourcePolicy(text([s]), OWNER)
    expect(r).toEqual({
      PolicyValidationPassed: false,
      ValidationErrors: [
        { CheckName: 'MISSING_RESOURCE', ErrorMessage: expect.stringContaining('(at Statement[0])') },
      ],
    })
  })

  it('fails on public access', () => {
    const r = validateSecretResourcePolicy(text([grant({ AWS: OWNER }), grant('*')]), OWNER)
    expect(r.PolicyValidationPassed).toBe(false)
    expect(r.ValidationErrors).toEqual([
      { CheckName: 'PUBLIC_ACCESS', ErrorMessage: expect.stringContaining('(at Statement[1])') },
    ])
  })

  it('passes a "*" principal narrowed to the organisation', () => {
    const policy = text(grant('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }))
    expect(validateSecretResourcePolicy(policy, OWNER).PolicyValidationPassed).toBe(true)
  })

  it('fails Allow with NotPrincipal (security warning plus public access)', () => {
    const r = validateSecretResourcePolicy(
      text({ Effect: 'Allow', NotPrincipal: { AWS: OTHER }, Action: 'secretsmanager:*', Resource: '*' }),
      OWNER,
    )
    expect(r.ValidationErrors.map((e) => e.CheckName)).toEqual(['ALLOW_WITH_NOT_PRINCIPAL', 'PUBLIC_ACCESS'])
  })

  it('does not fail on warnings and suggestions, which analyze still reports', () => {
    const policy = text(
      grant({ AWS: OWNER }, { Action: ['secretsmanager:GetSecretValue', 's3:GetObject', 's3:getobject'] }),
      null,
    )
    expect(validateSecretResourcePolicy(policy, OWNER)).toEqual({
      PolicyValidationPassed: true,
      ValidationErrors: [],
    })
    expect(analyzeSecretResourcePolicy(policy, OWNER).map((f) => [f.code, f.severity])).toEqual([
      ['MISSING_VERSION', 'WARNING'],
      ['REDUNDANT_ACTION', 'SUGGESTION'],
      ['ACTION_NOT_APPLICABLE', 'WARNING'],
      ['ACTION_NOT_APPLICABLE', 'WARNING'],
    ])
  })

  it('fails identity-style policies without a principal', () => {
    const r = validateSecretResourcePolicy(
      text({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }),
      OWNER,
    )
    expect(r.ValidationErrors.map((e) => e.CheckName)).toEqual(['MISSING_PRINCIPAL'])
  })
})
