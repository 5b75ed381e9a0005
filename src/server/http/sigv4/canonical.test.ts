import { Hash } from '@smithy/hash-node'
import { SignatureV4, getCanonicalHeaders, getCanonicalQuery } from '@smithy/signature-v4'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalHeaderValue, canonicalUri } from './canonical.js'
import { canonicalizeEncoded, uriEncode } from './encoding.js'
import { canonicalQueryString } from './query.js'
import { escapeUri, wireQuery, type Query } from './test-signer.js'

const chars = (s: string) => fc.constantFrom(...Array.from(s))
const text = (alphabet: string, maxLength = 12) => fc.string({ unit: chars(alphabet), maxLength })
const QUERY_CHARS = "aZ09-_.~ +/=&%?!*'()ü€😀;:,@#[]\t"
/** `getCanonicalPath` is `private` in the typings; reach it for a differential test. */
const smithy = new SignatureV4({
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  region: 'r',
  service: 's',
  sha256: Hash.bind(null, 'sha256'),
}) as unknown as { getCanonicalPath(req: { path: string }): string }

describe('canonical query', () => {
  it('matches the SDK signer for arbitrary decoded queries sent in SDK wire form', () => {
    const value = fc.oneof(text(QUERY_CHARS), fc.array(text(QUERY_CHARS), { minLength: 1, maxLength: 3 }))
    const key = text(QUERY_CHARS, 8).filter((k) => k.length > 0 && k.toLowerCase() !== 'x-amz-signature')
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (query: Query) => {
        expect(canonicalQueryString(wireQuery(query), false)).toBe(getCanonicalQuery({ query } as never))
      }),
      { numRuns: 500 },
    )
  })

  it('normalises what clients encode differently', () => {
    // lower-case hex, unreserved characters encoded, reserved ones left raw, '+' taken literally
    expect(canonicalQueryString('b=%7e%41&a=x+y*&a=%2f&c', false)).toBe('a=%2F&a=x%2By%2A&b=~A&c=')
    expect(canonicalQueryString('k=100%&k2=%zz&k3=%4', false)).toBe('k=100%25&k2=%25zz&k3=%254')
    expect(canonicalQueryString('&&a=1&&', false)).toBe('a=1')
    expect(canonicalQueryString('a=b=c', false)).toBe('a=b%3Dc')
  })

  it('drops X-Amz-Signature only in presigned form', () => {
    expect(canonicalQueryString('X-Amz-Signature=abc&a=1', true)).toBe('a=1')
    expect(canonicalQueryString('X-Amz-Signature=abc&a=1', false)).toBe('X-Amz-Signature=abc&a=1')
  })

  it('canonicalizeEncoded is the identity on canonical input and agrees with decode+encode', () => {
    fc.assert(
      fc.property(text(QUERY_CHARS, 20), (s) => {
        const enc = escapeUri(s)
        expect(canonicalizeEncoded(enc)).toBe(enc)
        expect(canonicalizeEncoded(enc.toLowerCase())).toBe(escapeUri(decodeURIComponent(enc.toLowerCase())))
        expect(canonicalizeEncoded(encodeURI(s))).toBe(enc)
      }),
      { numRuns: 500 },
    )
  })
})

describe('canonical header values', () => {
  it('matches the SDK signer (trim, collapse whitespace runs)', () => {
    fc.assert(
      fc.property(text('ab ,;\t\r\n', 16), (v) => {
        const expected = getCanonicalHeaders({
          method: 'GET',
          protocol: 'https:',
          hostname: 'h',
          path: '/',
          query: {},
          headers: { 'x-h': v },
        } as never)['x-h']
        expect(canonicalHeaderValue(v)).toBe(expected)
      }),
      { numRuns: 1000 },
    )
  })

  it('examples', () => {
    expect(canonicalHeaderValue('value')).toBe('value')
    expect(canonicalHeaderValue('  a   b\t\tc  ')).toBe('a b c')
    expect(canonicalHeaderValue('   ')).toBe('')
    expect(canonicalHeaderValue('a \r\n b')).toBe('a b')
  })
})

describe('canonical URI', () => {
  it('matches the SDK signer (normalised, double-encoded)', () => {
    const segment = text('aZ0-_.~%20 ü+=*', 6)
    fc.assert(
      fc.property(
        fc.array(fc.oneof(segment, fc.constantFrom('.', '..', '')), { maxLength: 6 }),
        fc.boolean(),
        (segs, trailing) => {
          const path = '/' + segs.join('/') + (trailing ? '/' : '')
          expect(canonicalUri(path)).toBe(smithy.getCanonicalPath({ path }))
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('examples', () => {
    expect(canonicalUri('/')).toBe('/')
    expect(canonicalUri('')).toBe('/')
    expect(canonicalUri('/a%20b/./c/../d/')).toBe('/a%2520b/d/')
    expect(canonicalUri('//a//b')).toBe('/a/b')
    expect(uriEncode('a/b c', false)).toBe('a%2Fb%20c')
  })
})
