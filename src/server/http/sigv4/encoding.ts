/**
 * RFC 3986 percent-encoding as SigV4 needs it. Hand-written scanners (no regexes): these run for
 * every request with a non-trivial path or query string.
 */

const HEX = '0123456789ABCDEF'

/** 1 for RFC 3986 unreserved characters: A-Z a-z 0-9 - _ . ~ */
const UNRESERVED = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c)
  if (
    (ch >= 'A' && ch <= 'Z') ||
    (ch >= 'a' && ch <= 'z') ||
    (ch >= '0' && ch <= '9') ||
    '-_.~'.includes(ch)
  ) {
    UNRESERVED[c] = 1
  }
}

const SLASH = 0x2f
const PERCENT = 0x25

function isUnreserved(c: number): boolean {
  return c < 128 && UNRESERVED[c] === 1
}

/** Value of an upper- or lower-case hex digit, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

/** Like `hexValue` but only for canonical (upper-case) digits. */
function upperHexValue(c: number): number {
  return c >= 0x61 ? -1 : hexValue(c)
}

function pushByte(out: string, b: number): string {
  return out + '%' + HEX[b >> 4] + HEX[b & 15]
}

/**
 * Percent-encodes `s` (as UTF-8) leaving only unreserved characters, and `/` when `keepSlash`.
 * A `%` is encoded too, which is what makes non-S3 canonical paths "double encoded".
 */
export function uriEncode(s: string, keepSlash: boolean): string {
  let i = 0
  const n = s.length
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (!isUnreserved(c) && !(keepSlash && c === SLASH)) break
  }
  if (i === n) return s
  let out = s.slice(0, i)
  const bytes = Buffer.from(s.slice(i), 'utf8')
  for (let j = 0; j < bytes.length; j++) {
    const b = bytes[j]!
    if (isUnreserved(b) || (keepSlash && b === SLASH)) out += String.fromCharCode(b)
    else out = pushByte(out, b)
  }
  return out
}

/**
 * Canonical form of an already percent-encoded query component: `%XX` sequences are decoded to
 * bytes and every byte is re-encoded per RFC 3986 (unreserved literal, everything else `%XX` in
 * upper case). Characters the client left unencoded (including `+`, which is taken literally, not
 * as a space) are encoded as their UTF-8 bytes; a `%` not followed by two hex digits becomes `%25`.
 */
export function canonicalizeEncoded(raw: string): string {
  const n = raw.length
  let i = 0
  // Fast path: already canonical (unreserved characters and upper-case %XX of reserved bytes).
  for (; i < n; i++) {
    const c = raw.charCodeAt(i)
    if (isUnreserved(c)) continue
    if (c === PERCENT && i + 2 < n) {
      const v1 = upperHexValue(raw.charCodeAt(i + 1))
      const v2 = upperHexValue(raw.charCodeAt(i + 2))
      if (v1 >= 0 && v2 >= 0 && !isUnreserved(v1 * 16 + v2)) {
        i += 2
        continue
      }
    }
    break
  }
  if (i === n) return raw
  let out = raw.slice(0, i)
  while (i < n) {
    const c = raw.charCodeAt(i)
    if (c === PERCENT) {
      const v1 = i + 2 < n ? hexValue(raw.charCodeAt(i + 1)) : -1
      const v2 = v1 >= 0 ? hexValue(raw.charCodeAt(i + 2)) : -1
      if (v2 >= 0) {
        const b = v1 * 16 + v2
        out = isUnreserved(b) ? out + String.fromCharCode(b) : pushByte(out, b)
        i += 3
      } else {
        out += '%25'
        i += 1
      }
    } else if (c < 128) {
      out = isUnreserved(c) ? out + raw[i] : pushByte(out, c)
      i += 1
    } else {
      // A surrogate pair forms one code point; a lone surrogate encodes as U+FFFD.
      const len = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1
      const bytes = Buffer.from(raw.slice(i, i + len), 'utf8')
      for (let j = 0; j < bytes.length; j++) out = pushByte(out, bytes[j]!)
      i += len
    }
  }
  return out
}

/** Percent-decodes a query component (`+` stays `+`); malformed input is returned unchanged. */
export function decodeComponent(raw: string): string {
  if (raw.indexOf('%') < 0) return raw
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
