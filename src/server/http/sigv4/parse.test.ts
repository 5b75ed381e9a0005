import { describe, expect, it } from 'vitest'
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  type AwsError,
} from '../../../lib/aws/errors.js'
import { parseAuthorization } from './parse.js'
import { AKID, TOKEN, sign, withHeaders } from './test-signer.js'
import type { SigV4Request } from './types.js'

const SIG = 'a'.repeat(64)
const CRED = `${AKID}/20251106/us-east-1/secretsmanager/aws4_request`
const GOOD = `AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=content-type;host;x-amz-date, Signature=${SIG}`

function request(headers: Record<string, string>, query = ''): SigV4Request {
  return { method: 'POST', path: '/', query, headers, body: new Uint8Array() }
}

function headerReq(
  authorization: string,
  extra: Record<string, string> = { 'x-amz-date': '20251106T132608Z' },
) {
  return request({ host: 'h', authorization, ...extra })
}

function errorOf(req: SigV4Request): AwsError {
  try {
    parseAuthorization(req)
  } catch (e) {
    return e as AwsError
  }
  throw new Error('expected an error')
}

function expectError(req: SigV4Request, cls: new (m: string) => AwsError, message: string): void {
  const err = errorOf(req)
  expect(err).toBeInstanceOf(cls)
  expect(err.message).toBe(message)
}

describe('parseAuthorization: header form', () => {
  it('extracts every field', () => {
    const auth = parseAuthorization(
      headerReq(GOOD, { 'x-amz-date': '20251106T132608Z', 'x-amz-security-token': TOKEN }),
    )
    expect(auth).toEqual({
      kind: 'header',
      accessKeyId: AKID,
      date: '20251106',
      region: 'us-east-1',
      service: 'secretsmanager',
      amzDate: '20251106T132608Z',
      requestTime: Date.UTC(2025, 10, 6, 13, 26, 8),
      dateSource: 'X-Amz-Date',
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      signature: SIG,
      securityToken: TOKEN,
    })
  })

  it('accepts components in any order, with or without spaces after the commas', () => {
    const auth = parseAuthorization(
      headerReq(`AWS4-HMAC-SHA256 Signature=${SIG},SignedHeaders=host ,\tCredential=${CRED}`),
    )
    expect(auth.signedHeaders).toEqual(['host'])
    expect(auth.signature).toBe(SIG)
  })

  it('falls back to the Date header (RFC 1123)', () => {
    const auth = parseAuthorization(headerReq(GOOD, { date: 'Thu, 06 Nov 2025 13:26:08 GMT' }))
    expect(auth.amzDate).toBe('20251106T132608Z')
    expect(auth.dateSource).toBe('Date')
  })

  it('X-Amz-Date wins over Date', () => {
    const auth = parseAuthorization(
      headerReq(GOOD, { 'x-amz-date': '20251106T000000Z', date: 'Fri, 07 Nov 2025 13:26:08 GMT' }),
    )
    expect(auth.amzDate).toBe('20251106T000000Z')
  })

  it('no Authorization header and no presigned query: MissingAuthenticationTokenException', () => {
    expectError(request({ host: 'h' }), MissingAuthenticationTokenException, 'Missing Authentication Token')
    expectError(
      request({ host: 'h', authorization: '' }),
      MissingAuthenticationTokenException,
      'Missing Authentication Token',
    )
    expectError(
      request({ host: 'h' }, 'Action=GetCallerIdentity&X-Amz-Date=20251106T132608Z'),
      MissingAuthenticationTokenException,
      'Missing Authentication Token',
    )
  })

  it('lists every missing parameter, then the header', () => {
    expectError(
      headerReq('AWS4-HMAC-SHA256 SignedHeaders=host', {}),
      IncompleteSignatureException,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 SignedHeaders=host",
    )
    expectError(
      headerReq('AWS4-HMAC-SHA256'),
      IncompleteSignatureException,
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
    )
    expectError(
      headerReq(`AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=host, Signature=`),
      IncompleteSignatureException,
      `Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=host, Signature=`,
    )
  })

  it('missing date header alone', () => {
    expectError(
      headerReq(GOOD, {}),
      IncompleteSignatureException,
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${GOOD}`,
    )
  })

  it('component without an equal sign', () => {
    const h = `AWS4-HMAC-SHA256 Credential=${CRED}, SignedHeaders=host, ${SIG}`
    expectError(
      headerReq(h),
      IncompleteSignatureException,
      `'${SIG}' not a valid key=value pair (missing equal-sign) in Authorization header: '${h}'.`,
    )
  })

  it('unsupported algorithm; a non-AWS scheme is not echoed (it may be a bearer secret)', () => {
    expectError(
      headerReq(GOOD.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256')),
      IncompleteSignatureException,
      "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'. Only 'AWS4-HMAC-SHA256' is supported.",
    )
    expectError(
      headerReq('Bearer s3cr3t-t0ken'),
      IncompleteSignatureException,
      "Unsupported AWS 'algorithm'. Only 'AWS4-HMAC-SHA256' is supported.",
    )
    expect(errorOf(headerReq('s3cr3t-t0ken')).message).not.toContain('s3cr3t')
  })

  it('malformed X-Amz-Date', () => {
    for (const bad of ['2025-11-06T13:26:08Z', '20251106T132608', '20250230T000000Z', '20251106T246000Z']) {
      expectError(
        headerReq(GOOD, { 'x-amz-date': bad }),
        IncompleteSignatureException,
        `Date must be in ISO-8601 'basic format'. Got '${bad}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      )
    }
  })

  it('malformed Date header', () => {
    expectError(
      headerReq(GOOD, { date: '2025-11-06' }),
      IncompleteSignatureException,
      "Date must be in RFC 1123 format, e.g. 'Sun, 06 Nov 1994 08:49:37 GMT'. Got '2025-11-06'.",
    )
  })

  it('credential with the wrong shape', () => {
    for (const cred of [
      `${AKID}/20251106/us-east-1/aws4_request`,
      `/20251106/us-east-1/secretsmanager/aws4_request`,
    ]) {
      expectError(
        headerReq(GOOD.replace(CRED, cred)),
        IncompleteSignatureException,
        `Credential should be of the form '<access key id>/<yyyymmdd>/<region>/<service>/aws4_request', not '${cred}'. `,
      )
    }
  })

  it('bad terminator', () => {
    expectError(
      headerReq(GOOD.replace('aws4_request', 'aws4_reques')),
      IncompleteSignatureException,
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'. ",
    )
  })

  it('scope date differs from the request date', () => {
    expectError(
      headerReq(GOOD, { 'x-amz-date': '20251107T000000Z' }),
      InvalidSignatureException,
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251106' != '20251107', from 'X-Amz-Date' header.",
    )
    expectError(
      headerReq(GOOD, { date: 'Fri, 07 Nov 2025 00:00:00 GMT' }),
      InvalidSignatureException,
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251106' != '20251107', from 'Date' header.",
    )
  })

  it('host must be signed', () => {
    expectError(
      headerReq(GOOD.replace('content-type;host;x-amz-date', 'content-type;x-amz-date')),
      IncompleteSignatureException,
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    )
  })

  it('header and presigned query together are rejected', () => {
    expectError(
      request({ host: 'h', authorization: GOOD, 'x-amz-date': '20251106T132608Z' }, `X-Amz-Signature=${SIG}`),
      IncompleteSignatureException,
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.',
    )
  })

  it('header form ignores ordinary X-Amz-* query parameters', () => {
    const req = request(
      { host: 'h', authorization: GOOD, 'x-amz-date': '20251106T132608Z' },
      'X-Amz-Date=x&a=b',
    )
    expect(parseAuthorization(req).kind).toBe('header')
  })
})

describe('parseAuthorization: presigned query', () => {
  it('extracts every field', async () => {
    const req = await sign({
      method: 'GET',
      service: 'sts',
      query: { Action: 'GetCallerIdentity' },
      presign: 900,
      sessionToken: TOKEN,
    })
    const auth = parseAuthorization(req)
    expect(auth).toMatchObject({
      kind: 'presigned',
      accessKeyId: AKID,
      service: 'sts',
      amzDate: '20251106T132608Z',
      expiresSeconds: 900,
      securityToken: TOKEN,
      signedHeaders: ['content-type', 'host'],
    })
    expect(auth.signature).toMatch(/^[0-9a-f]{64}$/)
  })

  it('lists every missing parameter', () => {
    expectError(
      request({ host: 'h' }, `X-Amz-Signature=${SIG}&X-Amz-Date=20251106T132608Z`),
      IncompleteSignatureException,
      "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Expires'. Re-examine the query-string parameters.",
    )
  })

  it('bad X-Amz-Expires', async () => {
    const req = await sign({ presign: 60 })
    const cases: Array<[string, string]> = [
      ['abc', 'X-Amz-Expires should be a number'],
      ['-5', 'X-Amz-Expires must be non-negative'],
      ['0', 'X-Amz-Expires must be at least 1 second'],
      ['604801', 'X-Amz-Expires must be less than a week (in seconds) that is 604800'],
      ['99999999999999999999999', 'X-Amz-Expires must be less than a week (in seconds) that is 604800'],
    ]
    for (const [v, message] of cases) {
      expectError(
        { ...req, query: req.query.replace('X-Amz-Expires=60', `X-Amz-Expires=${v}`) },
        IncompleteSignatureException,
        message,
      )
    }
    expect(
      parseAuthorization({ ...req, query: req.query.replace('X-Amz-Expires=60', 'X-Amz-Expires=604800') })
        .expiresSeconds,
    ).toBe(604800)
  })

  it('bad algorithm, date and scope use the header-form texts', async () => {
    const req = await sign({ presign: 60 })
    expectError(
      {
        ...req,
        query: req.query.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA512'),
      },
      IncompleteSignatureException,
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'. Only 'AWS4-HMAC-SHA256' is supported.",
    )
    expectError(
      { ...req, query: req.query.replace('X-Amz-Date=20251106T132608Z', 'X-Amz-Date=20251107T132608Z') },
      InvalidSignatureException,
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251106' != '20251107', from 'X-Amz-Date' parameter.",
    )
  })

  it('the SDK signs x-amz-* headers as query parameters (hoisted)', async () => {
    const req = await sign({ presign: 60 })
    expect(req.query).toContain('x-amz-target=secretsmanager.GetSecretValue')
    expect(withHeaders(req, {}).headers['authorization']).toBeUndefined()
  })
})
