/** Request-time parsing and formatting for SigV4 (ISO-8601 basic and RFC 1123), without regexes. */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

/** Parses `len` ASCII digits at `pos`, or returns -1. */
function digits(s: string, pos: number, len: number): number {
  let v = 0
  for (let i = pos; i < pos + len; i++) {
    const d = s.charCodeAt(i) - 0x30
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

function toEpochMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return NaN
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  const max = mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!
  if (d > max) return NaN
  return Date.UTC(y, mo - 1, d, h, mi, s)
}

/** `yyyymmddThhmmssZ` → epoch ms; NaN if malformed or not a real calendar time. */
export function parseAmzDate(s: string): number {
  if (s.length !== 16 || s.charCodeAt(8) !== 0x54 /* T */ || s.charCodeAt(15) !== 0x5a /* Z */) return NaN
  return toEpochMs(
    digits(s, 0, 4),
    digits(s, 4, 2),
    digits(s, 6, 2),
    digits(s, 9, 2),
    digits(s, 11, 2),
    digits(s, 13, 2),
  )
}

/** RFC 1123 / IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT` → epoch ms; NaN if malformed. */
export function parseHttpDate(s: string): number {
  if (
    s.length !== 29 ||
    !WEEKDAYS.includes(s.slice(0, 3)) ||
    s.slice(3, 5) !== ', ' ||
    s[7] !== ' ' ||
    s[11] !== ' ' ||
    s[16] !== ' ' ||
    s[19] !== ':' ||
    s[22] !== ':' ||
    s.slice(25) !== ' GMT'
  ) {
    return NaN
  }
  const month = MONTHS.indexOf(s.slice(8, 11))
  if (month < 0) return NaN
  return toEpochMs(
    digits(s, 12, 4),
    month + 1,
    digits(s, 5, 2),
    digits(s, 17, 2),
    digits(s, 20, 2),
    digits(s, 23, 2),
  )
}

/** Epoch ms → `yyyymmddThhmmssZ` (sub-second part dropped). */
export function formatAmzDate(ms: number): string {
  const iso = new Date(ms).toISOString() // 2025-11-06T13:21:08.123Z
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z'
}
