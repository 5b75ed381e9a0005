import { ValidationException } from '../../../lib/aws/errors.js'
import { msg } from './messages.js'

/**
 * Keyset pagination: a token is the last name (or target id) returned and the query it belongs to,
 * base64url JSON. A token that doesn't decode or belongs to another query is a ValidationException.
 */
export function encodeToken(query: string, after: string): string {
  return Buffer.from(JSON.stringify([query, after]), 'utf8').toString('base64url')
}

export function decodeToken(token: string | undefined, query: string): string | undefined {
  if (token === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw new ValidationException(msg.invalidNextToken)
  }
  if (!Array.isArray(parsed) || parsed[0] !== query || typeof parsed[1] !== 'string')
    throw new ValidationException(msg.invalidNextToken)
  return parsed[1]
}

/** One page: `limit` items and a token when more may follow. */
export function page<T>(items: readonly T[], limit: number, query: string, key: (item: T) => string) {
  const more = items.length > limit
  const shown = more ? items.slice(0, limit) : items
  const last = shown.at(-1)
  return { items: shown, ...(more && last !== undefined && { NextToken: encodeToken(query, key(last)) }) }
}
