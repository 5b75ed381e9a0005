import { describe, expect, it } from 'vitest'
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  ThrottlingException,
  UnrecognizedClientException,
  ValidationException,
} from '../../lib/aws/errors.js'
import { toQueryError } from './query-errors.js'

describe('toQueryError (STS, IAM)', () => {
  it('maps codes and statuses, keeps messages', () => {
    const cases = [
      [new InvalidSignatureException('Signature expired: x'), 'SignatureDoesNotMatch', 403],
      [new IncompleteSignatureException('m'), 'IncompleteSignature', 400],
      [new MissingAuthenticationTokenException(), 'MissingAuthenticationToken', 403],
      [new UnrecognizedClientException(), 'InvalidClientTokenId', 403],
      [new ValidationException('1 validation error detected: x'), 'ValidationError', 400],
    ] as const
    for (const [err, code, status] of cases) {
      const mapped = toQueryError(err)
      expect([mapped.code, mapped.status, mapped.message]).toEqual([code, status, err.message])
    }
  })

  it('leaves other errors alone', () => {
    const err = new ThrottlingException()
    expect(toQueryError(err)).toBe(err)
  })
})
