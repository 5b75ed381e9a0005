/** The presigned (query-string) form of SigV4: `X-Amz-Algorithm`, `X-Amz-Credential`, ... */
import { IncompleteSignatureException } from '../../../lib/aws/errors.js'
import { ALGORITHM, badAmzDate, buildAuth, unsupportedAlgorithm } from './claims.js'
import { decodeComponent } from './encoding.js'
import { splitQuery } from './query.js'
import { parseAmzDate } from './time.js'
import type { ParsedAuth } from './types.js'

const MAX_EXPIRES = 604800

export interface PresignParams {
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

export function presignParams(query: string): PresignParams {
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

export function parsePresigned(p: PresignParams): ParsedAuth {
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
  const auth = buildAuth({
    kind: 'presigned',
    credential,
    amzDate: date,
    requestTime,
    dateSource: 'X-Amz-Date',
    dateCarrier: 'parameter',
    signedHeaders,
    signature,
    token: p.token,
  })
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
