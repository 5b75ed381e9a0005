/**
 * Parses what a request claims about its SigV4 signature (Authorization header or presigned query),
 * before any key lookup. Throws the AWS errors a malformed request gets; the texts follow AWS's
 * wording where it is known (README.md lists the texts that are our own).
 */
import { IncompleteSignatureException, MissingAuthenticationTokenException } from '../../../lib/aws/errors.js'
import { ALGORITHM, badAmzDate, buildAuth, headerValue, unsupportedAlgorithm } from './claims.js'
import { parsePresigned, presignParams } from './presigned.js'
import { formatAmzDate, parseAmzDate, parseHttpDate } from './time.js'
import type { ParsedAuth, SigV4Request } from './types.js'

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
  return buildAuth({
    kind: 'header',
    credential,
    amzDate,
    requestTime,
    dateSource,
    dateCarrier: 'header',
    signedHeaders,
    signature,
    token,
  })
}
