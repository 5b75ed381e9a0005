import { InvalidNextTokenException } from '../../../aws-api/secretsmanager/errors.js'
import { msg } from './messages.js'

/**
 * Keyset pagination tokens: the position of the last item returned (its sort key and a unique tie
 * breaker) plus the query shape it belongs to. Stable under concurrent inserts and deletes; opaque to
 * clients (base64url JSON); a token that doesn't decode or belongs to another query is
 * InvalidNextTokenException.
 */
export interface Cursor {
  readonly query: string
  readonly key: string | number
  readonly tie: string
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.query, cursor.key, cursor.tie]), 'utf8').toString('base64url')
}

export function decodeCursor(token: string, query: string): Cursor {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw new InvalidNextTokenException(msg.invalidNextToken)
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== query ||
    (typeof parsed[1] !== 'string' && typeof parsed[1] !== 'number') ||
    typeof parsed[2] !== 'string'
  ) {
    throw new InvalidNextTokenException(msg.invalidNextToken)
  }
  return { query, key: parsed[1], tie: parsed[2] }
}

/** Compares (key, tie) pairs: numbers numerically, strings by code unit. */
export function compareKeys(a: string | number, aTie: string, b: string | number, bTie: string): number {
  if (a !== b) return a < b ? -1 : 1
  return aTie === bTie ? 0 : aTie < bTie ? -1 : 1
}

/**
 * One page of `items` (already sorted ascending by `keyOf`, or descending when `descending`) after the
 * cursor, with the token for the next page when more remain.
 */
export function page<T>(
  items: readonly T[],
  options: {
    query: string
    token: string | undefined
    limit: number
    descending?: boolean
    keyOf: (item: T) => { key: string | number; tie: string }
  },
): { items: T[]; nextToken?: string } {
  const direction = options.descending === true ? -1 : 1
  let start = 0
  if (options.token !== undefined) {
    const cursor = decodeCursor(options.token, options.query)
    start = items.findIndex((item) => {
      const { key, tie } = options.keyOf(item)
      return direction * compareKeys(key, tie, cursor.key, cursor.tie) > 0
    })
    if (start === -1) start = items.length
  }
  const slice = items.slice(start, start + options.limit)
  const last = slice[slice.length - 1]
  if (start + options.limit >= items.length || last === undefined) return { items: slice }
  return { items: slice, nextToken: encodeCursor({ query: options.query, ...options.keyOf(last) }) }
}
