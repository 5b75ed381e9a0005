import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { IntegrityError } from '../../lib/neutral-errors.js'

/**
 * AES-256-GCM with associated data. Output layout: iv (12) | tag (16) | ciphertext.
 * The associated data binds a ciphertext to where it belongs (its row, its key, its context),
 * so a ciphertext copied elsewhere fails to open.
 */
export const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
export const AEAD_OVERHEAD = IV_BYTES + TAG_BYTES

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(aad)
  const body = cipher.update(plaintext)
  const final = cipher.final()
  return Buffer.concat([iv, cipher.getAuthTag(), body, final])
}

export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (sealed.length < AEAD_OVERHEAD) throw new IntegrityError('ciphertext too short')
  const buf = Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length)
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, IV_BYTES))
    decipher.setAAD(aad)
    decipher.setAuthTag(buf.subarray(IV_BYTES, AEAD_OVERHEAD))
    const body = decipher.update(buf.subarray(AEAD_OVERHEAD))
    const final = decipher.final()
    return final.length === 0 ? body : Buffer.concat([body, final])
  } catch (cause) {
    throw new IntegrityError('authenticated decryption failed', { cause })
  }
}
