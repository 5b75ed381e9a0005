/**
 * SigV4 signature verification. Pure: the clock and the secret come from the caller.
 *
 * Order: request time first (skew, or presigned expiry), then the payload hash header, then the
 * signature. AWS reports skew even for correctly signed requests (SDKs react by correcting their
 * clock from the response `Date` and retrying); checking it first also spends no HMAC on stale or
 * replayed requests, and reveals nothing, since the request time is the client's own claim.
 */
import * as nodeCrypto from 'node:crypto'
import { InvalidSignatureException } from '../../../lib/aws/errors.js'
import { canonicalRequest } from './canonical.js'
import { ALGORITHM, headerValue } from './claims.js'
import type { SigningKeyCache } from './signing-key-cache.js'
import { formatAmzDate } from './time.js'
import type { ParsedAuth, SigV4Request, VerifyOptions } from './types.js'

/** Hex SHA-256. `crypto.hash` (node >= 20.12) is about twice as fast as `createHash` for small inputs. */
const sha256Hex: (data: string | Uint8Array) => string =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'hex')
    : (data) => nodeCrypto.createHash('sha256').update(data).digest('hex')

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const CONTENT_SHA256 = 'x-amz-content-sha256'

function duration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min.` : `${Math.round(ms / 1000)} sec.`
}

/**
 * Rejects a request whose time is more than `skewMs` away from `now` (header form), or a presigned
 * request used after `X-Amz-Date + X-Amz-Expires` or dated more than `skewMs` in the future.
 * Boundaries are inclusive: exactly `skewMs` away is still accepted.
 */
export function checkRequestTime(auth: ParsedAuth, now: number, skewMs: number): void {
  const t = auth.requestTime
  const window =
    auth.kind === 'presigned' && auth.expiresSeconds !== undefined ? auth.expiresSeconds * 1000 : skewMs
  if (t < now - window) {
    const label = auth.kind === 'presigned' ? `${auth.expiresSeconds} sec.` : duration(skewMs)
    throw new InvalidSignatureException(
      `Signature expired: ${auth.amzDate} is now earlier than ${formatAmzDate(now - window)} (${formatAmzDate(now)} - ${label})`,
    )
  }
  if (t > now + skewMs) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${auth.amzDate} is still later than ${formatAmzDate(now + skewMs)} (${formatAmzDate(now)} + ${duration(skewMs)})`,
    )
  }
}

/** Hex SHA-256 of the body (the constant for an empty body). */
export function payloadHash(body: Uint8Array): string {
  return body.length === 0 ? EMPTY_SHA256 : sha256Hex(body)
}

/**
 * The bytes the client hashed. Node hands header values over as latin1 (one char per wire byte), so
 * a UTF-8 header value arrives as several chars <= 0xFF: hashing those as latin1 reproduces the wire
 * bytes the client signed. Only a string with chars > 0xFF (not from node's parser) is hashed as UTF-8.
 */
function canonicalBytes(canonical: string): string | Buffer {
  if (Buffer.byteLength(canonical, 'utf8') === canonical.length) return canonical // ASCII
  for (let i = 0; i < canonical.length; i++) if (canonical.charCodeAt(i) > 0xff) return canonical
  return Buffer.from(canonical, 'latin1')
}

/** The string to sign for `auth` and a canonical request. */
export function stringToSign(auth: ParsedAuth, canonical: string): string {
  return (
    ALGORITHM +
    '\n' +
    auth.amzDate +
    '\n' +
    auth.date +
    '/' +
    auth.region +
    '/' +
    auth.service +
    '/aws4_request\n' +
    sha256Hex(canonicalBytes(canonical))
  )
}

/** Constant-time comparison for equal-length strings; the length itself is not secret. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * Verifies `auth` (from `parseAuthorization`) against the request, with the secret the caller
 * looked up for `auth.accessKeyId`. Throws `InvalidSignatureException` on any mismatch.
 */
export function verifySignature(
  req: SigV4Request,
  auth: ParsedAuth,
  opts: VerifyOptions,
  cache: SigningKeyCache,
): void {
  checkRequestTime(auth, opts.now, opts.skewMs)
  const bodyHash = payloadHash(req.body)
  if (auth.signedHeaders.includes(CONTENT_SHA256)) {
    if (headerValue(req.headers[CONTENT_SHA256]) !== bodyHash) {
      throw new InvalidSignatureException(
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      )
    }
  }
  const toSign = stringToSign(auth, canonicalRequest(req, auth, bodyHash))
  const key = cache.get(auth.accessKeyId, opts.secretAccessKey, auth.date, auth.region, auth.service)
  const expected = nodeCrypto.createHmac('sha256', key).update(toSign).digest('hex')
  if (!constantTimeEqual(expected, auth.signature)) throw new InvalidSignatureException()
}
