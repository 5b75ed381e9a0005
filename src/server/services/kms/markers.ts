import { InvalidMarkerException } from '../../../aws-api/kms/errors.js'
import { msg } from './messages.js'

/**
 * Pagination markers: opaque to clients ("Do not attempt to construct this value" [M]), tied to the
 * list they came from so a marker of another list is refused with InvalidMarkerException.
 */
export function encodeMarker(list: string, position: string): string {
  return Buffer.from(JSON.stringify([list, position]), 'utf8').toString('base64url')
}

export function decodeMarker(list: string, marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined
  try {
    const decoded: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'))
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      decoded[0] === list &&
      typeof decoded[1] === 'string' &&
      encodeMarker(list, decoded[1]) === marker
    )
      return decoded[1]
  } catch {
    // falls through
  }
  throw new InvalidMarkerException(msg.invalidMarker)
}

/** One page of `items` (fetched with one extra to know whether more follow). */
export function page<T>(
  list: string,
  items: readonly T[],
  limit: number,
  position: (item: T) => string,
): { items: T[]; Truncated: boolean; NextMarker?: string } {
  const shown = items.slice(0, limit)
  const last = shown[shown.length - 1]
  if (items.length <= limit || last === undefined) return { items: shown, Truncated: false }
  return { items: shown, Truncated: true, NextMarker: encodeMarker(list, position(last)) }
}
