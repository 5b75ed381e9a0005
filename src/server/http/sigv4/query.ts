/** Query-string splitting and SigV4 canonical query construction. */
import { canonicalizeEncoded } from './encoding.js'

/** One `key=value` item of a raw query string, still percent-encoded. */
export interface RawQueryPair {
  key: string
  value: string
}

/** Splits a raw query string on `&` (empty items skipped) and each item on its first `=`. */
export function splitQuery(query: string): RawQueryPair[] {
  const pairs: RawQueryPair[] = []
  let start = 0
  const n = query.length
  while (start <= n) {
    let end = query.indexOf('&', start)
    if (end < 0) end = n
    if (end > start) {
      const eq = query.indexOf('=', start)
      if (eq >= 0 && eq < end) pairs.push({ key: query.slice(start, eq), value: query.slice(eq + 1, end) })
      else pairs.push({ key: query.slice(start, end), value: '' })
    }
    start = end + 1
  }
  return pairs
}

const SIGNATURE_PARAM = 'X-Amz-Signature'

/**
 * Canonical query string: every name and value RFC 3986-encoded (after decoding what the client
 * encoded), sorted by name then value, `name=value` joined with `&`; `name=` for empty values.
 * `excludeSignature` drops `X-Amz-Signature` (presigned form).
 */
export function canonicalQueryString(query: string, excludeSignature: boolean): string {
  if (query.length === 0) return ''
  const raw = splitQuery(query)
  const pairs: RawQueryPair[] = []
  for (const p of raw) {
    const key = canonicalizeEncoded(p.key)
    if (excludeSignature && key === SIGNATURE_PARAM) continue
    pairs.push({ key, value: canonicalizeEncoded(p.value) })
  }
  if (pairs.length > 1) pairs.sort(comparePairs)
  let out = ''
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!
    out += (i === 0 ? '' : '&') + p.key + '=' + p.value
  }
  return out
}

/** Code-unit order, which equals byte order here because canonical components are ASCII. */
function comparePairs(a: RawQueryPair, b: RawQueryPair): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1
  if (a.value !== b.value) return a.value < b.value ? -1 : 1
  return 0
}
