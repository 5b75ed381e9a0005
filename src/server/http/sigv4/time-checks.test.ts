import { describe, expect, it } from 'vitest'
import { InvalidSignatureException } from '../../../lib/aws/errors.js'
import { parseAuthorization } from './parse.js'
import { BODY, MIN, NOW, errorOf, expectMismatch, sign, verify, withHeaders } from './test-signer.js'
import { checkRequestTime } from './verify.js'

describe('clock skew and expiry', () => {
  // Signed at 20251106T132608Z.
  for (const skew of [5 * MIN, 15 * MIN]) {
    const m = skew / MIN
    it(`±${m} min: accepted up to the boundary`, async () => {
      const req = await sign({ body: BODY })
      verify(req, { now: NOW + skew, skewMs: skew })
      verify(req, { now: NOW - skew, skewMs: skew })
    })

    it(`±${m} min: too old`, async () => {
      const req = await sign({ body: BODY, signingDate: NOW - skew - 1000 })
      const err = errorOf(() => verify(req, { skewMs: skew }))
      expect(err).toBeInstanceOf(InvalidSignatureException)
      const limit = m === 5 ? '20251106T132108Z' : '20251106T131108Z'
      const signed = m === 5 ? '20251106T132107Z' : '20251106T131107Z'
      expect(err.message).toBe(
        `Signature expired: ${signed} is now earlier than ${limit} (20251106T132608Z - ${m} min.)`,
      )
    })

    it(`±${m} min: in the future`, async () => {
      const req = await sign({ body: BODY, signingDate: NOW + skew + 1000 })
      const err = errorOf(() => verify(req, { skewMs: skew }))
      expect(err).toBeInstanceOf(InvalidSignatureException)
      const limit = m === 5 ? '20251106T133108Z' : '20251106T134108Z'
      const signed = m === 5 ? '20251106T133109Z' : '20251106T134109Z'
      expect(err.message).toBe(
        `Signature not yet current: ${signed} is still later than ${limit} (20251106T132608Z + ${m} min.)`,
      )
    })
  }

  it('matches the AWS example text exactly', async () => {
    const req = await sign({ signingDate: Date.UTC(2025, 10, 5, 22, 8, 58) })
    const err = errorOf(() => verify(req))
    expect(err.message).toBe(
      'Signature expired: 20251105T220858Z is now earlier than 20251106T132108Z (20251106T132608Z - 5 min.)',
    )
  })

  it('skew is reported even for a wrong secret (time is checked before the signature)', async () => {
    const req = await sign({ signingDate: NOW - 6 * MIN })
    expect(errorOf(() => verify(req, { secret: 'nope' })).message).toMatch(/^Signature expired: /)
  })

  it('non-minute skews are written in seconds', async () => {
    const auth = parseAuthorization(await sign({ signingDate: NOW - 100_000 }))
    expect(errorOf(() => checkRequestTime(auth, NOW, 90_000)).message).toMatch(
      /\(20251106T132608Z - 90 sec\.\)$/,
    )
  })

  it('presigned: valid until X-Amz-Date + X-Amz-Expires, even beyond the skew', async () => {
    const req = await sign({ body: BODY, presign: 3600 })
    verify(req, { now: NOW + 3600_000 })
  })

  it('presigned: expired', async () => {
    const req = await sign({ body: BODY, presign: 3600 })
    const err = errorOf(() => verify(req, { now: NOW + 3601_000 }))
    expect(err).toBeInstanceOf(InvalidSignatureException)
    expect(err.message).toBe(
      'Signature expired: 20251106T132608Z is now earlier than 20251106T132609Z (20251106T142609Z - 3600 sec.)',
    )
  })

  it('presigned: dated in the future beyond the skew', async () => {
    const req = await sign({ body: BODY, presign: 3600, signingDate: NOW + 6 * MIN })
    const err = errorOf(() => verify(req))
    expect(err).toBeInstanceOf(InvalidSignatureException)
    expect(err.message).toBe(
      'Signature not yet current: 20251106T133208Z is still later than 20251106T133108Z (20251106T132608Z + 5 min.)',
    )
  })

  it('Date header fallback: time taken from the RFC 1123 date', async () => {
    const req = await sign({ body: BODY })
    const noAmzDate = withHeaders(req, { 'x-amz-date': undefined, date: 'Thu, 06 Nov 2025 13:26:08 GMT' })
    // x-amz-date was signed and is now absent: the signature no longer matches, but the time was read.
    expectMismatch(() => verify(noAmzDate))
    expect(errorOf(() => verify(noAmzDate, { now: NOW + 6 * MIN })).message).toMatch(
      /^Signature expired: 20251106T132608Z/,
    )
  })
})
