import { InvalidInputException } from '../../../../aws-api/iam/errors.js'
import { msg } from '../messages.js'

/** IAM's page size when `MaxItems` is absent. */
export const DEFAULT_MAX_ITEMS = 100

export interface Page<T> {
  readonly items: T[]
  readonly IsTruncated: boolean
  readonly Marker?: string
}

/**
 * One page of `items` after `marker`. Items are ordered by `keyOf` (code-unit order, which the
 * function applies itself); the marker is the last returned key, opaque to clients (base64url), so
 * paging is stable when items are added or removed between requests.
 */
export function paginate<T>(
  items: readonly T[],
  request: { readonly Marker?: string; readonly MaxItems?: number },
  keyOf: (item: T) => string,
): Page<T> {
  const keyed = items.map((item) => ({ item, key: keyOf(item) }))
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  let start = 0
  if (request.Marker !== undefined) {
    const after = decodeMarker(request.Marker)
    start = keyed.findIndex(({ key }) => key > after)
    if (start === -1) start = keyed.length
  }
  const limit = request.MaxItems ?? DEFAULT_MAX_ITEMS
  const slice = keyed.slice(start, start + limit)
  const last = slice[slice.length - 1]
  if (start + limit >= keyed.length || last === undefined)
    return { items: slice.map((k) => k.item), IsTruncated: false }
  return { items: slice.map((k) => k.item), IsTruncated: true, Marker: encodeMarker(last.key) }
}

const PREFIX = 'm1.'

function encodeMarker(key: string): string {
  return PREFIX + Buffer.from(key, 'utf8').toString('base64url')
}

function decodeMarker(marker: string): string {
  if (!marker.startsWith(PREFIX)) throw new InvalidInputException(msg.invalidMarker)
  return Buffer.from(marker.slice(PREFIX.length), 'base64url').toString('utf8')
}

/** Sort key for names compared ignoring case (IAM's uniqueness), ties broken by the exact spelling. */
export function nameKey(name: string): string {
  return `${name.toLowerCase()}\u0000${name}`
}
