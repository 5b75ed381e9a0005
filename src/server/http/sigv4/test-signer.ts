/** Test support: signs requests with the real AWS SDK signer (@smithy/signature-v4). */
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { expect } from 'vitest'
import { InvalidSignatureException, type AwsError } from '../../../lib/aws/errors.js'
import { parseAuthorization } from './parse.js'
import { SigningKeyCache } from './signing-key-cache.js'
import type { SigV4Request } from './types.js'
import { verifySignature } from './verify.js'

export const AKID = 'AKIAIOSFODNN7EXAMPLE'
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
export const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+token/with+plus=='
/** 2025-11-06T13:26:08Z */
export const NOW = Date.UTC(2025, 10, 6, 13, 26, 8)

export type Query = Record<string, string | string[]>

export interface SignInput {
  method?: string
  path?: string
  query?: Query
  headers?: Record<string, string>
  body?: string | Uint8Array
  region?: string
  service?: string
  secret?: string
  sessionToken?: string
  signingDate?: number
  /** Presign instead of signing headers; value = X-Amz-Expires. */
  presign?: number
  /** Passed to the signer (`false`: no x-amz-content-sha256 header). */
  applyChecksum?: boolean
}

/** RFC 3986 encoding as the SDK's query-string builder does it. */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
}

/** The query as it goes on the wire (insertion order, like @smithy/querystring-builder). */
export function wireQuery(query: Query): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(query)) {
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${escapeUri(k)}=${escapeUri(one)}`)
  }
  return parts.join('&')
}

/** A SigV4Request as the HTTP layer would build it from what the SDK sends. */
export async function sign(input: SignInput = {}): Promise<SigV4Request> {
  const body =
    typeof input.body === 'string' ? new TextEncoder().encode(input.body) : (input.body ?? new Uint8Array())
  const headers: Record<string, string> = {
    host: 'coffer.internal:8443',
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'secretsmanager.GetSecretValue',
    ...input.headers,
  }
  const request = new HttpRequest({
    method: input.method ?? 'POST',
    protocol: 'https:',
    hostname: 'coffer.internal',
    port: 8443,
    path: input.path ?? '/',
    query: input.query ?? {},
    headers,
    body,
  })
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: AKID,
      secretAccessKey: input.secret ?? SECRET,
      ...(input.sessionToken !== undefined ? { sessionToken: input.sessionToken } : {}),
    },
    region: input.region ?? 'us-east-1',
    service: input.service ?? 'secretsmanager',
    sha256: Hash.bind(null, 'sha256'),
    ...(input.applyChecksum !== undefined ? { applyChecksum: input.applyChecksum } : {}),
  })
  const signingDate = new Date(input.signingDate ?? NOW)
  const out =
    input.presign !== undefined
      ? await signer.presign(request, { signingDate, expiresIn: input.presign })
      : await signer.sign(request, { signingDate })
  const outHeaders: Record<string, string> = {}
  for (const [k, v] of Object.entries(out.headers)) outHeaders[k.toLowerCase()] = v
  return {
    method: out.method,
    path: out.path,
    query: wireQuery(out.query as Query),
    headers: outHeaders,
    body,
  }
}

/** Copy of a request with some headers replaced (`undefined` deletes). */
export function withHeaders(req: SigV4Request, changes: Record<string, string | undefined>): SigV4Request {
  const headers: Record<string, string | readonly string[] | undefined> = { ...req.headers }
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete headers[k]
    else headers[k] = v
  }
  return { ...req, headers }
}

// ---- verification helpers --------------------------------------------------------------------

export const MIN = 60_000
const cache = new SigningKeyCache(100)
export const BODY = '{"SecretId":"prod/db/password"}'

export interface VerifyOpts {
  now?: number
  skewMs?: number
  secret?: string
}

export function verify(req: SigV4Request, o: VerifyOpts = {}): void {
  const auth = parseAuthorization(req)
  verifySignature(
    req,
    auth,
    { now: o.now ?? NOW, skewMs: o.skewMs ?? 5 * MIN, secretAccessKey: o.secret ?? SECRET },
    cache,
  )
}

export function errorOf(fn: () => void): AwsError {
  try {
    fn()
  } catch (e) {
    return e as AwsError
  }
  throw new Error('expected an error')
}

export const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

export function expectMismatch(fn: () => void): void {
  const err = errorOf(fn)
  expect(err).toBeInstanceOf(InvalidSignatureException)
  expect(err.message).toBe(MISMATCH)
}
