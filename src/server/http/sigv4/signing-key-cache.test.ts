import { describe, expect, it } from 'vitest'
import { InvalidSignatureException } from '../../../lib/aws/errors.js'
import { parseAuthorization } from './parse.js'
import { SigningKeyCache, deriveSigningKey } from './signing-key-cache.js'
import { AKID, NOW, SECRET, sign } from './test-signer.js'
import { verifySignature } from './verify.js'

describe('deriveSigningKey', () => {
  it('matches the AWS documentation example', () => {
    // docs.aws.amazon.com "Examples of how to derive a signing key for Signature Version 4"
    const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam')
    expect(key.toString('hex')).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d')
  })
})

describe('SigningKeyCache', () => {
  it('derives once per slot and returns the same key', () => {
    const cache = new SigningKeyCache(4)
    const a = cache.get(AKID, SECRET, '20251106', 'us-east-1', 'kms')
    expect(cache.get(AKID, SECRET, '20251106', 'us-east-1', 'kms')).toBe(a)
    expect(a.equals(deriveSigningKey(SECRET, '20251106', 'us-east-1', 'kms'))).toBe(true)
    expect(cache.size).toBe(1)
  })

  it('never serves a key derived from a previous secret', () => {
    const cache = new SigningKeyCache(4)
    const old = cache.get(AKID, 'old-secret', '20251106', 'us-east-1', 'kms')
    const fresh = cache.get(AKID, 'new-secret', '20251106', 'us-east-1', 'kms')
    expect(fresh.equals(old)).toBe(false)
    expect(fresh.equals(deriveSigningKey('new-secret', '20251106', 'us-east-1', 'kms'))).toBe(true)
    expect(cache.size).toBe(1)
  })

  it('a rotated secret stops verifying requests signed with the old one', async () => {
    const cache = new SigningKeyCache(4)
    const req = await sign({ body: '{}' })
    const auth = parseAuthorization(req)
    verifySignature(req, auth, { now: NOW, skewMs: 300_000, secretAccessKey: SECRET }, cache)
    expect(() =>
      verifySignature(req, auth, { now: NOW, skewMs: 300_000, secretAccessKey: 'rotated' }, cache),
    ).toThrow(InvalidSignatureException)
    // ...and once the old secret is back (or a caller passes it), it verifies again.
    verifySignature(req, auth, { now: NOW, skewMs: 300_000, secretAccessKey: SECRET }, cache)
  })

  it('is bounded and evicts the least recently used slot', () => {
    const cache = new SigningKeyCache(2)
    const a = cache.get('A', 's', 'd', 'r', 'x')
    const b = cache.get('B', 's', 'd', 'r', 'x')
    expect(cache.get('A', 's', 'd', 'r', 'x')).toBe(a) // order now: B, A
    const c = cache.get('C', 's', 'd', 'r', 'x') // evicts B
    expect(cache.size).toBe(2)
    expect(cache.get('A', 's', 'd', 'r', 'x')).toBe(a) // order: C, A
    expect(cache.get('C', 's', 'd', 'r', 'x')).toBe(c) // order: A, C
    const b2 = cache.get('B', 's', 'd', 'r', 'x') // re-derived (a new Buffer), evicts A
    expect(b2).not.toBe(b)
    expect(b2.equals(b)).toBe(true)
    expect(cache.get('A', 's', 'd', 'r', 'x')).not.toBe(a)
    expect(cache.size).toBe(2)
  })

  it('forget() and clear()', () => {
    const cache = new SigningKeyCache(8)
    cache.get('A', 's', 'd', 'r', 'x')
    cache.get('A', 's', 'd', 'r', 'y')
    cache.get('AB', 's', 'd', 'r', 'x')
    cache.forget('A')
    expect(cache.size).toBe(1)
    cache.clear()
    expect(cache.size).toBe(0)
  })

  it('rejects a useless size', () => {
    expect(() => new SigningKeyCache(0)).toThrow(RangeError)
  })
})
