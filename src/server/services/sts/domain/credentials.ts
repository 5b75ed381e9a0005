import { createHash, timingSafeEqual } from 'node:crypto'
import { randomString, randomUpperAlnum, type Random } from '../../../../lib/random.js'

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Temporary credentials as handed to the client; only the key id, the sealed secret and a token hash are kept. */
export interface TemporaryCredentials {
  /** `ASIA` + 16 (AWS: temporary keys start with ASIA, spec §6.2). */
  readonly accessKeyId: string
  /** 40 characters, like AWS's. */
  readonly secretAccessKey: string
  /** Opaque bearer value (384 random bits, base64), sent back as `X-Amz-Security-Token`. */
  readonly sessionToken: string
}

export function newTemporaryCredentials(random: Random): TemporaryCredentials {
  return {
    accessKeyId: `ASIA${randomUpperAlnum(random, 16)}`,
    secretAccessKey: randomString(random, 40, SECRET_ALPHABET),
    sessionToken: random.bytes(48).toString('base64'),
  }
}

/** Temporary keys are told apart from long-term ones by their prefix. */
export function isTemporaryAccessKeyId(accessKeyId: string): boolean {
  return accessKeyId.startsWith('ASIA')
}

/** Barrier AAD of a session's secret: a sealed secret moved to another row does not open. */
export function sessionSecretAad(accessKeyId: string): string {
  return `sts/session/${accessKeyId}`
}

/** The token has 384 random bits, so a plain SHA-256 is enough to make the stored hash useless to a thief. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Constant-time comparison of a presented token with the stored hash. */
export function sessionTokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSessionToken(token), 'hex')
  const stored = Buffer.from(storedHash, 'hex')
  return presented.length === stored.length && timingSafeEqual(presented, stored)
}
