import { describe, expect, it } from 'vitest'
import { IncompleteSignatureException, InvalidSignatureException } from '../../../lib/aws/errors.js'
import { parseAuthorization } from './parse.js'
import {
  AKID,
  BODY,
  SECRET,
  TOKEN,
  errorOf,
  expectMismatch,
  sign,
  verify,
  withHeaders,
  type SignInput,
} from './test-signer.js'

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

  it('non-ASCII header values arrive from node as latin1 (one char per UTF-8 byte) and verify', async () => {
    const req = await sign({ body: BODY, headers: { 'x-amz-meta-name': 'Zoë €uro' } })
    const asNodeGivesIt = Buffer.from('Zoë €uro', 'utf8').toString('latin1')
    verify(withHeaders(req, { 'x-amz-meta-name': asNodeGivesIt }))
    // A caller that decoded the value itself (chars > 0xFF present) is hashed as UTF-8.
    verify(req)
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
