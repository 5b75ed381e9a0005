/** Shapes shared by the SigV4 parser and verifier. Pure data: nothing here performs I/O. */

/** What the verifier needs from an HTTP request. */
export interface SigV4Request {
  method: string
  /** Raw request path as sent on the wire (still percent-encoded), without the query, e.g. `/`. */
  path: string
  /** Raw query string without the leading `?`; `''` when there is none. */
  query: string
  /**
   * Lower-case header names, as in node's `IncomingHttpHeaders`. Pass `req.headersDistinct` (arrays)
   * if repeated headers must be canonicalised exactly (`a,b`); `req.headers` joins them with `, `.
   */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>
  /** Exact body bytes. */
  body: Uint8Array
}

/** What a request claims about its signature, before any key lookup. */
export interface ParsedAuth {
  kind: 'header' | 'presigned'
  accessKeyId: string
  /** Credential scope date, `yyyymmdd` (always equal to `amzDate.slice(0, 8)`). */
  date: string
  region: string
  service: string
  /** Request time in ISO-8601 basic format, `yyyymmddThhmmssZ` (converted when it came from `Date`). */
  amzDate: string
  /** `amzDate` as epoch milliseconds. */
  requestTime: number
  /** Where the request time came from (used in messages). */
  dateSource: 'X-Amz-Date' | 'Date'
  /** Signed header names exactly as listed by the client (lower-case, sorted for every SDK). */
  signedHeaders: string[]
  /** The signature the client sent (expected: 64 lower-case hex characters). */
  signature: string
  securityToken?: string
  /** Presigned form only: `X-Amz-Expires`, 1..604800. */
  expiresSeconds?: number
}

export interface VerifyOptions {
  /** Current time, epoch milliseconds. */
  now: number
  /** Allowed clock skew: 5 min for Secrets Manager / KMS / SSM, 15 min for STS. */
  skewMs: number
  /** Secret access key the caller looked up for `auth.accessKeyId`. */
  secretAccessKey: string
}
