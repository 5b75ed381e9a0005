import { describe, expect, it } from 'vitest'
import { evaluatePosture, type CheckId, type PostureSecret } from './checks.js'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 23, 12)
const ACCOUNT = '111111111111'

const base: PostureSecret = {
  arn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app-AbCdEf`,
  name: 'app',
  accountId: ACCOUNT,
  createdAt: NOW - 10 * DAY,
  lastAccessedAt: NOW - DAY,
  kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  rotationEnabled: true,
  lastRotatedAt: NOW - 5 * DAY,
  nextRotationAt: NOW + 25 * DAY,
  lastRotation: { state: 'succeeded' },
}

function statuses(secret: PostureSecret, options?: Parameters<typeof evaluatePosture>[2]) {
  return Object.fromEntries(
    evaluatePosture([secret], NOW, options).map((f) => [f.check, f.status]),
  ) as Record<CheckId, string>
}

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements })

describe('posture checks', () => {
  it('a well-kept secret passes everything', () => {
    expect(Object.values(statuses(base)).every((s) => s === 'PASSED')).toBe(true)
  })

  it('rotation disabled fails the rotation check and makes the success check not applicable', () => {
    const s = statuses({ ...base, rotationEnabled: false })
    expect(s['rotation-enabled']).toBe('FAILED')
    expect(s['rotation-succeeded']).toBe('NOT_APPLICABLE')
  })

  it('a failed or overdue rotation fails; one in progress does not', () => {
    expect(
      statuses({ ...base, lastRotation: { state: 'failed', error: 'boom' } })['rotation-succeeded'],
    ).toBe('FAILED')
    expect(statuses({ ...base, nextRotationAt: NOW - DAY })['rotation-succeeded']).toBe('FAILED')
    expect(
      statuses({ ...base, nextRotationAt: NOW - DAY, lastRotation: { state: 'running' } })[
        'rotation-succeeded'
      ],
    ).toBe('PASSED')
    const [failed] = evaluatePosture(
      [{ ...base, lastRotation: { state: 'failed', error: 'boom' } }],
      NOW,
    ).filter((f) => f.check === 'rotation-succeeded')
    expect(failed?.reason).toContain('boom')
  })

  it('rotation age and use age against their limits, counting from creation when never done', () => {
    expect(statuses({ ...base, lastRotatedAt: NOW - 91 * DAY })['rotated-recently']).toBe('FAILED')
    expect(statuses({ ...base, lastRotatedAt: NOW - 90 * DAY })['rotated-recently']).toBe('PASSED')
    const { lastRotatedAt: _r, lastAccessedAt: _a, ...never } = base
    expect(statuses({ ...never, createdAt: NOW - 200 * DAY })['rotated-recently']).toBe('FAILED')
    expect(statuses({ ...never, createdAt: NOW - 200 * DAY })['recently-used']).toBe('FAILED')
    expect(
      statuses({ ...base, lastAccessedAt: NOW - 31 * DAY }, { maxDaysSinceRotation: 90, unusedForDays: 30 })[
        'recently-used'
      ],
    ).toBe('FAILED')
  })

  it('the default key fails the customer-key check', () => {
    const { kmsKeyArn: _k, ...defaultKey } = base
    expect(statuses(defaultKey)['customer-key']).toBe('FAILED')
  })

  it('public and cross-account resource policies', () => {
    const get = { Action: 'secretsmanager:GetSecretValue', Resource: '*', Effect: 'Allow' }
    const pub = statuses({ ...base, resourcePolicy: policy({ ...get, Principal: '*' }) })
    expect(pub['not-public']).toBe('FAILED')
    const narrowed = statuses({
      ...base,
      resourcePolicy: policy({
        ...get,
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
      }),
    })
    expect(narrowed['not-public']).toBe('PASSED')
    const other = evaluatePosture(
      [{ ...base, resourcePolicy: policy({ ...get, Principal: { AWS: 'arn:aws:iam::222222222222:root' } }) }],
      NOW,
    ).find((f) => f.check === 'no-cross-account')
    expect(other).toMatchObject({ status: 'WARNING', reason: expect.stringContaining('222222222222') })
    const own = statuses({
      ...base,
      resourcePolicy: policy({ ...get, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
    })
    expect([own['not-public'], own['no-cross-account']]).toEqual(['PASSED', 'PASSED'])
  })
})
