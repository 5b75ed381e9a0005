/**
 * Parses what a request claims about its SigV4 signature (Authorization header or presigned query),
 * before any key lookup. Throws the AWS errors a malformed request gets; the texts follow AWS's
 * wording where it is known (see README.md in this directory for the ones that are our own).
 */
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
} from '../../../lib/aws/errors.js'
import { decodeComponent } from './encoding.js'
import { splitQuery } from './query.js'
import { formatAmzDate, parseAmzDate, parseHttpDate } from './time.js'
import type { ParsedAuth, SigV4Request } from './types.js'

export const ALGORITHM = 'AWS4-HMAC-SHA256'
const TERMINATOR = 'aws4_request'
const MAX_EXPIRES = 604800

/** One value for a header: arrays with several values are joined (and then fail validation). */
export function headerValue(v: string | readonly string[] | undefined): string | undefined {
  if (typeof v === 'string') return v
  if (Array.isArray(v) && v.length > 0) return v.length === 1 ? (v[0] as string) : v.join(',')
  return undefined
}

export function parseAuthorization(req: SigV4Request): ParsedAuth {
  const header = headerValue(req.headers['authorization'])
  // Only look at the query for auth parameters when it could contain them.
  const params = req.query.length > 0 && req.query.includes('X-Amz-') ? presignParams(req.query) : undefined
  if (header !== undefined && header.length > 0) {
    if (params !== undefined && params.any) {
      throw new IncompleteSignatureException(
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.',
      )
    }
    return parseHeader(req, header)
  }
  if (params !== undefined && params.any) return parsePresigned(params)
  throw new MissingAuthenticationTokenException()
}

// ---- Authorization header -------------------------------------------------------------------

function parseHeader(req: SigV4Request, header: string): ParsedAuth {
  const sp = header.indexOf(' ')
  const algorithm = sp < 0 ? header : header.slice(0, sp)
  if (algorithm !== ALGORITHM) throw unsupportedAlgorithm(algorithm)

  let credential: string | undefined
  let signedHeaders: string | undefined
  let signature: string | undefined
  // `Credential=..., SignedHeaders=..., Signature=...`, any order; native splitting is much faster
  // than a character loop over the ~300-character header.
  const parts = sp < 0 ? [] : header.slice(sp + 1).split(',')
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!.trim()
    if (part.length === 0) continue
    const eq = part.indexOf('=')
    if (eq < 0) {
      throw new IncompleteSignatureException(
        `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
      )
    }
    const value = eq + 1 < part.length ? part.slice(eq + 1) : undefined
    switch (part.slice(0, eq)) {
      case 'Credential':
        credential ??= value
        break
      case 'SignedHeaders':
        signedHeaders ??= value
        break
      case 'Signature':
        signature ??= value
        break
    }
  }

  let dateSource: 'X-Amz-Date' | 'Date' = 'X-Amz-Date'
  let dateValue = headerValue(req.headers['x-amz-date'])
  if (dateValue === undefined) {
    dateValue = headerValue(req.headers['date'])
    dateSource = 'Date'
  }
  if (
    credential === undefined ||
    signedHeaders === undefined ||
    signature === undefined ||
    dateValue === undefined
  ) {
    let msg = ''
    if (credential === undefined) msg += "Authorization header requires 'Credential' parameter. "
    if (signature === undefined) msg += "Authorization header requires 'Signature' parameter. "
    if (signedHeaders === undefined) msg += "Authorization header requires 'SignedHeaders' parameter. "
    if (dateValue === undefined) {
      msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
    }
    throw new IncompleteSignatureException(msg + 'Authorization=' + header)
  }

  let requestTime: number
  let amzDate: string
  if (dateSource === 'X-Amz-Date') {
    requestTime = parseAmzDate(dateValue)
    if (Number.isNaN(requestTime)) throw badAmzDate(dateValue)
    amzDate = dateValue
  } else {
    requestTime = parseHttpDate(dateValue)
    if (Number.isNaN(requestTime)) {
      throw new IncompleteSignatureException(
        `Date must be in RFC 1123 format, e.g. 'Sun, 06 Nov 1994 08:49:37 GMT'. Got '${dateValue}'.`,
      )
    }
    amzDate = formatAmzDate(requestTime)
  }

  const token = headerValue(req.headers['x-amz-security-token'])
  return build(
    'header',
    credential,
    amzDate,
    requestTime,
    dateSource,
    'header',
    signedHeaders,
    signature,
    token,
  )
}

// ---- Presigned query ------------------------------------------------------------------------

interface PresignParams {
  /** True when any parameter that only a presigned request carries is present. */
  any: boolean
  algorithm?: string
  credential?: string
  date?: string
  expires?: string
  signedHeaders?: string
  signature?: string
  token?: string
}

function presignParams(query: string): PresignParams {
  const p: PresignParams = { any: false }
  for (const pair of splitQuery(query)) {
    const value = decodeComponent(pair.value)
    switch (decodeComponent(pair.key)) {
      case 'X-Amz-Algorithm':
        p.algorithm ??= value
        p.any = true
        break
      case 'X-Amz-Credential':
        p.credential ??= value
        p.any = true
        break
      case 'X-Amz-Signature':
        p.signature ??= value
        p.any = true
        break
      case 'X-Amz-SignedHeaders':
        p.signedHeaders ??= value
        p.any = true
        break
      case 'X-Amz-Date':
        p.date ??= value
        break
      case 'X-Amz-Expires':
        p.expires ??= value
        break
      case 'X-Amz-Security-Token':
        p.token ??= value
        break
    }
  }
  return p
}

function parsePresigned(p: PresignParams): ParsedAuth {
  const { algorithm, credential, signature, signedHeaders, date, expires } = p
  if (!algorithm || !credential || !signature || !signedHeaders || !date || !expires) {
    let msg = ''
    const need = (v: string | undefined, name: string): void => {
      if (!v) msg += `AWS query-string parameters must include '${name}'. `
    }
    need(algorithm, 'X-Amz-Algorithm')
    need(credential, 'X-Amz-Credential')
    need(signature, 'X-Amz-Signature')
    need(signedHeaders, 'X-Amz-SignedHeaders')
    need(date, 'X-Amz-Date')
    need(expires, 'X-Amz-Expires')
    throw new IncompleteSignatureException(msg + 'Re-examine the query-string parameters.')
  }
  if (algorithm !== ALGORITHM) throw unsupportedAlgorithm(algorithm)
  const requestTime = parseAmzDate(date)
  if (Number.isNaN(requestTime)) throw badAmzDate(date)
  const auth = build(
    'presigned',
    credential,
    date,
    requestTime,
    'X-Amz-Date',
    'parameter',
    signedHeaders,
    signature,
    p.token,
  )
  auth.expiresSeconds = parseExpires(expires)
  return auth
}

function parseExpires(v: string): number {
  let seconds = 0
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i) - 0x30
    if (d < 0 || d > 9) {
      throw new IncompleteSignatureException(
        v.charCodeAt(0) === 0x2d /* - */
          ? 'X-Amz-Expires must be non-negative'
          : 'X-Amz-Expires should be a number',
      )
    }
    if (seconds <= MAX_EXPIRES) seconds = seconds * 10 + d
  }
  if (seconds > MAX_EXPIRES) {
    throw new IncompleteSignatureException(
      'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    )
  }
  if (seconds < 1) throw new IncompleteSignatureException('X-Amz-Expires must be at least 1 second')
  return seconds
}

// ---- Shared ---------------------------------------------------------------------------------

function build(
  kind: 'header' | 'presigned',
  credential: string,
  amzDate: string,
  requestTime: number,
  dateSource: 'X-Amz-Date' | 'Date',
  dateCarrier: 'header' | 'parameter',
  signedHeaders: string,
  signature: string,
  token: string | undefined,
): ParsedAuth {
  const parts = credential.split('/')
  if (parts.length !== 5 || parts[0] === '' || parts[1] === '' || parts[2] === '' || parts[3] === '') {
    throw new IncompleteSignatureException(
      `Credential should be of the form '<access key id>/<yyyymmdd>/<region>/<service>/aws4_request', not '${credential}'. `,
    )
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string]
  if (terminator !== TERMINATOR) {
    throw new IncompleteSignatureException(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
    )
  }
  if (date !== amzDate.slice(0, 8)) {
    throw new InvalidSignatureException(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${dateSource}' ${dateCarrier}.`,
    )
  }
  const headers = signedHeaders.split(';')
  if (!headers.includes('host')) {
    throw new IncompleteSignatureException(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    )
  }
  const auth: ParsedAuth = {
    kind,
    accessKeyId,
    date,
    region,
    service,
    amzDate,
    requestTime,
    dateSource,
    signedHeaders: headers,
    signature,
  }
  if (token !== undefined && token.length > 0) auth.securityToken = token
  return auth
}

function badAmzDate(v: string): IncompleteSignatureException {
  return new IncompleteSignatureException(
    `Date must be in ISO-8601 'basic format'. Got '${v}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  )
}

/** Echoes the algorithm only when it looks like one: a header without a scheme may be a bearer secret. */
function unsupportedAlgorithm(algorithm: string): IncompleteSignatureException {
  let shown = algorithm.length <= 40 && algorithm.startsWith('AWS')
  for (let i = 0; shown && i < algorithm.length; i++) {
    const c = algorithm.charCodeAt(i)
    shown = c === 0x2d || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
  }
  return new IncompleteSignatureException(
    `Unsupported AWS 'algorithm'${shown ? `: '${algorithm}'` : ''}. Only '${ALGORITHM}' is supported.`,
  )
}
