import { describe, expect, it } from 'vitest'
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  type AwsError,
} from '../../../lib/aws/errors.js'
import { parseAuthorization } from './parse.js'
import { SigningKeyCache } from './signing-key-cache.js'
import { AKID, NOW, SECRET, TOKEN, sign, withHeaders, type SignInput } from './test-signer.js'
import type { SigV4Request } from './types.js'
import { checkRequestTime, verifySignature } from './verify.js'

const MIN = 60_000
const cache = new SigningKeyCache(100)
const BODY = '{"SecretId":"prod/db/password"}'

interface Opts {
  now?: number
  skewMs?: number
  secret?: string
}

function verify(req: SigV4Request, o: Opts = {}): void {
  const auth = parseAuthorization(req)
  verifySignature(
    req,
    auth,
    { now: o.now ?? NOW, skewMs: o.skewMs ?? 5 * MIN, secretAccessKey: o.secret ?? SECRET },
    cache,
  )
}

function errorOf(fn: () => void): AwsError {
  try {
    fn()
  } catch (e) {
    return e as AwsError
  }
  throw new Error('expected an error')
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

function expectMismatch(fn: () => void): void {
  const err = errorOf(fn)
  expect(err).toBeInstanceOf(InvalidSignatureException)
  expect(err.message).toBe(MISMATCH)
}

describe('verifySignature: requests signed by the AWS SDK signer verify', () => {
  const cases: Array<[string, SignInput]> = [
    ['plain Secrets Manager call', { body: BODY }],
    ['empty body', {}],
    ['without x-amz-content-sha256', { body: BODY, applyChecksum: false }],
    ['session token', { body: BODY, sessionToken: TOKEN }],
    [
      'KMS scope',
      {
        body: '{}',
        service: 'kms',
        region: 'eu-west-3',
        headers: { 'x-amz-target': 'TrentService.Encrypt' },
      },
    ],
    [
      'query needing encoding',
      {
        method: 'GET',
        service: 'sts',
        query: {
          Action: 'GetCallerIdentity',
          Version: '2011-06-15',
          'a b': 'c/d e+f',
          unicode: 'ünï€ode 😀',
          reserved: "!'()*~._-",
          empty: '',
          multi: ['z', 'a', 'm'],
          'X-Weird=Key': '=&%',
        },
      },
    ],
    [
      'header values with runs of spaces',
      { body: BODY, headers: { 'x-amz-meta-note': 'a   b \t c', 'x-custom': '  padded  value  ' } },
    ],
    ['path needing double encoding', { method: 'GET', path: '/a%20b/c%2Fd/./e/../f~g' }],
    ['binary body', { body: new Uint8Array([0, 255, 128, 10, 13]) }],
  ]
  for (const [name, input] of cases) {
    it(`sign(): ${name}`, async () => {
      verify(await sign(input))
    })
    it(`presign(): ${name}`, async () => {
      verify(await sign({ ...input, presign: 900 }))
    })
  }

  it('header values that node already trimmed still verify', async () => {
    const req = await sign({ body: BODY, headers: { 'x-custom': '  a  b  ' } })
    verify(withHeaders(req, { 'x-custom': 'a  b' }))
  })

  it('repeated headers given as arrays are joined with a comma', async () => {
    const req = await sign({ body: BODY, headers: { 'x-multi': 'one,two' } })
    verify(withHeaders(req, {}))
    verify({ ...req, headers: { ...req.headers, 'x-multi': ['one', ' two '] } })
  })

  it('an unsigned header may change', async () => {
    const req = await sign({ body: BODY })
    verify(withHeaders(req, { 'user-agent': 'something else', 'x-unsigned': '1' }))
  })

  it('accepts the session token exposed by parseAuthorization', async () => {
    expect(parseAuthorization(await sign({ sessionToken: TOKEN })).securityToken).toBe(TOKEN)
    expect(parseAuthorization(await sign({ sessionToken: TOKEN, presign: 60 })).securityToken).toBe(TOKEN)
  })
})

describe('verifySignature: tampering', () => {
  it('body byte changed', async () => {
    const req = await sign({ body: BODY, applyChecksum: false })
    const body = Uint8Array.from(req.body)
    body[5] = body[5]! ^ 1
    expectMismatch(() => verify({ ...req, body }))
  })

  it('body changed while x-amz-content-sha256 is signed', async () => {
    const req = await sign({ body: BODY })
    const err = errorOf(() => verify({ ...req, body: new TextEncoder().encode(BODY + ' ') }))
    expect(err).toBeInstanceOf(InvalidSignatureException)
    expect(err.message).toBe("The provided 'x-amz-content-sha256' header does not match what was computed.")
  })

  it('a signed header changed', async () => {
    const req = await sign({ body: BODY })
    expectMismatch(() => verify(withHeaders(req, { 'x-amz-target': 'secretsmanager.DeleteSecret' })))
    expectMismatch(() => verify(withHeaders(req, { host: 'evil.example:8443' })))
  })

  it('a signed header removed', async () => {
    const req = await sign({ body: BODY, sessionToken: TOKEN })
    expectMismatch(() => verify(withHeaders(req, { 'x-amz-security-token': undefined })))
  })

  it('signature changed (one hex digit, case, length)', async () => {
    const req = await sign({ body: BODY })
    const auth = req.headers['authorization'] as string
    const sig = auth.slice(-64)
    const flipped = sig.slice(0, 10) + (sig[10] === '0' ? '1' : '0') + sig.slice(11)
    expectMismatch(() => verify(withHeaders(req, { authorization: auth.slice(0, -64) + flipped })))
    expectMismatch(() => verify(withHeaders(req, { authorization: auth.slice(0, -64) + sig.toUpperCase() })))
    expectMismatch(() => verify(withHeaders(req, { authorization: auth + '0' })))
  })

  it('wrong secret', async () => {
    const req = await sign({ body: BODY })
    expectMismatch(() => verify(req, { secret: SECRET.replace('K', 'k') }))
  })

  it('query parameter changed, added or removed', async () => {
    const req = await sign({ method: 'GET', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } })
    expectMismatch(() => verify({ ...req, query: req.query.replace('GetCallerIdentity', 'AssumeRole') }))
    expectMismatch(() => verify({ ...req, query: req.query + '&x=1' }))
    expectMismatch(() => verify({ ...req, query: '' }))
  })

  it('path or method changed', async () => {
    const req = await sign({ body: BODY })
    expectMismatch(() => verify({ ...req, path: '/other' }))
    expectMismatch(() => verify({ ...req, method: 'PUT' }))
  })

  it('presigned: parameter changed', async () => {
    const req = await sign({
      method: 'GET',
      service: 'sts',
      query: { Action: 'GetCallerIdentity' },
      presign: 60,
    })
    expectMismatch(() =>
      verify({ ...req, query: req.query.replace('X-Amz-Expires=60', 'X-Amz-Expires=600') }),
    )
    expectMismatch(() => verify({ ...req, query: req.query.replace('GetCallerIdentity', 'GetSessionToken') }))
  })
})

describe('clock skew and expiry', () => {
  // Signed at 20251106T132608Z.
  const cases: Array<[number, string]> = [
    [5 * MIN, 'min.'],
    [15 * MIN, 'min.'],
  ]
  for (const [skew] of cases) {
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

describe('scope and credential errors surface before any key use', () => {
  it('scope date mismatch', async () => {
    const req = await sign({ body: BODY })
    const err = errorOf(() => verify(withHeaders(req, { 'x-amz-date': '20251107T132608Z' })))
    expect(err).toBeInstanceOf(InvalidSignatureException)
    expect(err.message).toBe(
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251106' != '20251107', from 'X-Amz-Date' header.",
    )
  })

  it('signed with another region or service does not verify under a forged scope', async () => {
    const req = await sign({ body: BODY, region: 'eu-west-1' })
    const auth = req.headers['authorization'] as string
    expectMismatch(() =>
      verify(withHeaders(req, { authorization: auth.replace('/eu-west-1/', '/us-east-1/') })),
    )
    expectMismatch(() =>
      verify(withHeaders(req, { authorization: auth.replace('/secretsmanager/', '/kms/') })),
    )
  })

  it('missing pieces are IncompleteSignatureException', async () => {
    const req = await sign({ body: BODY })
    expect(errorOf(() => verify(withHeaders(req, { 'x-amz-date': undefined })))).toBeInstanceOf(
      IncompleteSignatureException,
    )
  })

  it('exposes the access key id', async () => {
    expect(parseAuthorization(await sign()).accessKeyId).toBe(AKID)
  })
})
