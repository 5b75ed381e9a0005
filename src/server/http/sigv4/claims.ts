/** Pieces shared by the header and presigned parsers: credential scope, signed headers, messages. */
import { IncompleteSignatureException, InvalidSignatureException } from '../../../lib/aws/errors.js'
import type { ParsedAuth } from './types.js'

export const ALGORITHM = 'AWS4-HMAC-SHA256'
const TERMINATOR = 'aws4_request'

/** One value for a header: arrays with several values are joined (and then fail validation). */
export function headerValue(v: string | readonly string[] | undefined): string | undefined {
  if (typeof v === 'string') return v
  if (Array.isArray(v) && v.length > 0) return v.length === 1 ? (v[0] as string) : v.join(',')
  return undefined
}

export interface Claims {
  kind: 'header' | 'presigned'
  /** `<access key id>/<yyyymmdd>/<region>/<service>/aws4_request` */
  credential: string
  amzDate: string
  requestTime: number
  dateSource: 'X-Amz-Date' | 'Date'
  /** Where the date came from, for the scope-date message: a header or a query parameter. */
  dateCarrier: 'header' | 'parameter'
  /** `a;b;c` */
  signedHeaders: string
  signature: string
  token: string | undefined
}

/** Validates the credential scope and the signed-header list and builds the `ParsedAuth`. */
export function buildAuth(c: Claims): ParsedAuth {
  const parts = c.credential.split('/')
  if (parts.length !== 5 || parts[0] === '' || parts[1] === '' || parts[2] === '' || parts[3] === '') {
    throw new IncompleteSignatureException(
      `Credential should be of the form '<access key id>/<yyyymmdd>/<region>/<service>/aws4_request', not '${c.credential}'. `,
    )
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string]
  if (terminator !== TERMINATOR) {
    throw new IncompleteSignatureException(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
    )
  }
  const httpDate = c.amzDate.slice(0, 8)
  if (date !== httpDate) {
    throw new InvalidSignatureException(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${httpDate}', from '${c.dateSource}' ${c.dateCarrier}.`,
    )
  }
  const signedHeaders = c.signedHeaders.split(';')
  if (!signedHeaders.includes('host')) {
    throw new IncompleteSignatureException(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    )
  }
  const auth: ParsedAuth = {
    kind: c.kind,
    accessKeyId,
    date,
    region,
    service,
    amzDate: c.amzDate,
    requestTime: c.requestTime,
    dateSource: c.dateSource,
    signedHeaders,
    signature: c.signature,
  }
  if (c.token !== undefined && c.token.length > 0) auth.securityToken = c.token
  return auth
}

export function badAmzDate(v: string): IncompleteSignatureException {
  return new IncompleteSignatureException(
    `Date must be in ISO-8601 'basic format'. Got '${v}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  )
}

/** Echoes the algorithm only when it looks like one: a header without a scheme may be a bearer secret. */
export function unsupportedAlgorithm(algorithm: string): IncompleteSignatureException {
  let shown = algorithm.length <= 40 && algorithm.startsWith('AWS')
  for (let i = 0; shown && i < algorithm.length; i++) {
    const c = algorithm.charCodeAt(i)
    shown = c === 0x2d || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
  }
  return new IncompleteSignatureException(
    `Unsupported AWS 'algorithm'${shown ? `: '${algorithm}'` : ''}. Only '${ALGORITHM}' is supported.`,
  )
}
