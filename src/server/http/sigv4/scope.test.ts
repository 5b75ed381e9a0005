import { describe, expect, it } from 'vitest'
import { InvalidSignatureException } from '../../../lib/aws/errors.js'
import { checkCredentialScope } from './scope.js'

describe('checkCredentialScope', () => {
  const regions = new Set(['us-east-1', 'eu-west-1'])

  it('accepts a matching scope (Set or array of regions)', () => {
    checkCredentialScope({ region: 'eu-west-1', service: 'secretsmanager' }, 'secretsmanager', regions)
    checkCredentialScope({ region: 'us-east-1', service: 'sts' }, 'sts', ['us-east-1'])
  })

  it('wrong region', () => {
    expect(() => checkCredentialScope({ region: 'xx-1', service: 'kms' }, 'kms', regions)).toThrow(
      new InvalidSignatureException("Credential should be scoped to a valid region, not 'xx-1'. "),
    )
  })

  it('wrong service', () => {
    const fn = () => checkCredentialScope({ region: 'us-east-1', service: 'kms' }, 'secretsmanager', regions)
    expect(fn).toThrow(InvalidSignatureException)
    expect(fn).toThrow("Credential should be scoped to correct service: 'secretsmanager'. ")
  })
})
