import fc from 'fast-check'
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signWebhookBody, verifyWebhookSignature } from './http.js'

const key = Buffer.from('0123456789abcdef0123456789abcdef')
const NOW_MS = 1_700_000_000_000
const T = NOW_MS / 1000

describe('webhook signatures', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>', () => {
    const body = '{"Step":"createSecret"}'
    const hmac = createHmac('sha256', key).update(`${T}.${body}`).digest('hex')
    expect(signWebhookBody(key, T, body)).toBe(`t=${T},v1=${hmac}`)
  })

  it('verifies what it signs, from a string or the raw bytes', () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ minLength: 1, maxLength: 64 }), (body, k) => {
        const header = signWebhookBody(k, T, body)
        expect(verifyWebhookSignature(k, header, body, NOW_MS)).toBe(true)
        expect(verifyWebhookSignature(k, header, Buffer.from(body), NOW_MS)).toBe(true)
      }),
    )
  })

  it('refuses another body, another key, a stale or future timestamp, a malformed header', () => {
    const body = '{"Step":"finishSecret"}'
    const header = signWebhookBody(key, T, body)
    expect(verifyWebhookSignature(key, header, body + ' ', NOW_MS)).toBe(false)
    expect(verifyWebhookSignature(Buffer.from('another key'), header, body, NOW_MS)).toBe(false)
    expect(verifyWebhookSignature(key, header, body, NOW_MS + 301_000)).toBe(false)
    expect(verifyWebhookSignature(key, header, body, NOW_MS - 301_000)).toBe(false)
    expect(verifyWebhookSignature(key, header, body, NOW_MS + 299_000)).toBe(true)
    expect(verifyWebhookSignature(key, header, body, NOW_MS + 30_000, 10)).toBe(false)
    expect(verifyWebhookSignature(key, undefined, body, NOW_MS)).toBe(false)
    expect(verifyWebhookSignature(key, header.replace(/^t=\d+,/, ''), body, NOW_MS)).toBe(false)
    expect(verifyWebhookSignature(key, header.replace(/,v1=.*/, ''), body, NOW_MS)).toBe(false)
    expect(verifyWebhookSignature(key, header.slice(0, -2), body, NOW_MS)).toBe(false)
    // The timestamp is part of what is signed.
    expect(verifyWebhookSignature(key, header.replace(`t=${T}`, `t=${T + 1}`), body, NOW_MS)).toBe(false)
  })

  it('accepts any one matching v1 among several (a key being replaced)', () => {
    const body = 'x'
    const good = signWebhookBody(key, T, body).split(',')[1]
    const other = signWebhookBody(Buffer.from('old'), T, body).split(',')[1]
    expect(verifyWebhookSignature(key, `t=${T},${other},${good}`, body, NOW_MS)).toBe(true)
    expect(verifyWebhookSignature(key, `t=${T}, ${other}`, body, NOW_MS)).toBe(false)
  })
})
