import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AwsError } from '../../../../lib/aws/errors.js'
import {
  assertValidSecretId,
  assertValidSecretName,
  INVALID_NAME_MESSAGE,
  newSecretArnSuffix,
  parseSecretArn,
  secretArn,
} from './names.js'

const errorOf = (fn: () => void) => {
  try {
    fn()
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, status: e.status, message: e.message }
    throw e
  }
  return undefined
}

describe('secret names (spec 3.2)', () => {
  it.each(['simple', 'Invalid/_+=.@-Name-a1b2c3', '/testing2/two-x', 'a', 'A1+b=c.d@e'])(
    'accepts %j',
    (name) => {
      expect(errorOf(() => assertValidSecretName(name))).toBeUndefined()
    },
  )

  it.each(['Inv Name', 'a!b', 'a:b', 'ä', 'tab\t', ''])(
    'rejects %j with the exact AWS ValidationException',
    (name) => {
      expect(errorOf(() => assertValidSecretName(name))).toEqual({
        code: 'ValidationException',
        status: 400,
        message:
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      })
    },
  )

  it('SecretIds starting with arn: skip the name check', () => {
    expect(
      errorOf(() => assertValidSecretId('arn:aws:secretsmanager:us-east-1:123456789012:secret:x')),
    ).toBeUndefined()
    expect(errorOf(() => assertValidSecretId('Inv Name'))).toMatchObject({ message: INVALID_NAME_MESSAGE })
  })
})

describe('parseSecretArn (spec 3.1)', () => {
  const prefix = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:'

  it('splits a complete ARN', () => {
    expect(parseSecretArn(`${prefix}prod/db-E18LRP`)).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      accountId: '123456789012',
      resourceName: 'prod/db-E18LRP',
      isComplete: true,
      name: 'prod/db',
      suffix: 'E18LRP',
    })
  })

  it('a name ending in - + 6 alphanumerics reads as a complete ARN (recorded AWS quirk)', () => {
    expect(parseSecretArn(`${prefix}Invalid/_+=.@-Name-a1b2c3`)).toMatchObject({
      isComplete: true,
      name: 'Invalid/_+=.@-Name',
      suffix: 'a1b2c3',
    })
  })

  it.each(['Invalid/_+=.@-Name-a1b2', 'Invalid/_+=.@-Name-a1b2c3-', 'name-ab_cde', 'bJ0ZSv', '-a1b2c3'])(
    'partial ARN %j: the name is the whole rest',
    (rest) => {
      const parts = parseSecretArn(`${prefix}${rest}`)
      expect(parts).toMatchObject({ isComplete: false, name: rest, resourceName: rest })
      expect(parts).not.toHaveProperty('suffix')
    },
  )

  it('keeps partition and region as given', () => {
    expect(parseSecretArn('arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x')).toMatchObject({
      partition: 'aws-cn',
      region: 'cn-north-1',
    })
  })

  it.each([
    'arn:aws:kms:us-east-1:123456789012:key/abc',
    'arn:aws:secretsmanager:us-east-1:12345678901:secret:x',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:',
    'arn:aws:secretsmanager:us-east-1:123456789012:other:x',
    'arn:aws:secretsmanager::123456789012:secret:x',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:a b',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:x:extra',
    'not-an-arn',
  ])('%j is not a secret ARN', (arn) => expect(parseSecretArn(arn)).toBeUndefined())
})

describe('ARN construction', () => {
  it('builds the documented form', () => {
    expect(secretArn('us-east-1', '123456789012', 'prod/db', 'a1b2c3')).toBe(
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1b2c3',
    )
    expect(secretArn('cn-north-1', '123456789012', 'x', 'a1b2c3', 'aws-cn')).toMatch(/^arn:aws-cn:/)
  })

  it('suffixes are 6 mixed-case alphanumerics drawn from the injected source', () => {
    expect(newSecretArnSuffix(() => 0)).toBe('AAAAAA')
    expect(newSecretArnSuffix((max) => max - 1)).toBe('999999')
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), (xs) => {
        let i = 0
        return /^[A-Za-z0-9]{6}$/.test(newSecretArnSuffix((max) => (xs[i++] ?? 0) % max))
      }),
    )
  })

  it('secretArn and parseSecretArn round-trip for every valid name', () => {
    const name = fc.string({ unit: fc.constantFrom(...'aZ9/_+=.@-'.split('')), minLength: 1, maxLength: 30 })
    const suffix = fc.string({ unit: fc.constantFrom(...'aZ09xQ'.split('')), minLength: 6, maxLength: 6 })
    fc.assert(
      fc.property(name, suffix, (n, s) => {
        const parts = parseSecretArn(secretArn('eu-west-1', '000000000000', n, s))
        return parts?.isComplete === true && parts.name === n && parts.suffix === s
      }),
    )
  })
})
