import { InvalidNextToken } from '../../../aws-api/ssm/errors.js'
import { msg } from './messages.js'

/**
 * Keyset pagination tokens: the position after which the next page starts (a parameter key or a
 * version number) and the query it belongs to. Opaque to clients (base64url JSON); a token that doesn't
 * decode or belongs to another query is InvalidNextToken.
 */
export function encodeToken(query: string, position: string | number): string {
  return Buffer.from(JSON.stringify([query, position]), 'utf8').toString('base64url')
}

export function decodeToken<P extends 'string' | 'number'>(
  token: string,
  query: string,
  kind: P,
): P extends 'string' ? string : number {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidNextToken(msg.invalidNextToken)
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || parsed[0] !== query || typeof parsed[1] !== kind) {
    throw new InvalidNextToken(msg.invalidNextToken)
  }
  return parsed[1] as P extends 'string' ? string : number
}
