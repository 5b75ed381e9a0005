/**
 * IP addresses and CIDR ranges for `IpAddress` / `NotIpAddress` (`aws:SourceIp`), IPv4 and IPv6.
 * An address is 8 sixteen-bit groups (IPv4 uses the first two), so one prefix comparison serves both.
 * An IPv4 range never contains an IPv6 address and vice versa.
 */

export interface IpRange {
  readonly v6: boolean
  readonly groups: Uint16Array
  readonly prefix: number
}

function parseV4(text: string, out: Uint16Array): boolean {
  const parts = text.split('.')
  if (parts.length !== 4) return false
  const bytes: number[] = []
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return false
    const n = Number(p)
    if (n > 255) return false
    bytes.push(n)
  }
  out[0] = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)
  out[1] = ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)
  return true
}

function parseGroups(half: string, into: number[]): boolean {
  if (half === '') return true
  const groups = half.split(':')
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] ?? ''
    if (i === groups.length - 1 && g.includes('.')) {
      const v4 = new Uint16Array(2)
      if (!parseV4(g, v4)) return false
      into.push(v4[0] ?? 0, v4[1] ?? 0)
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      into.push(parseInt(g, 16))
    } else {
      return false
    }
  }
  return true
}

function parseV6(text: string, out: Uint16Array): boolean {
  const halves = text.split('::')
  if (halves.length > 2) return false
  const head: number[] = []
  const tail: number[] = []
  if (!parseGroups(halves[0] ?? '', head)) return false
  if (halves.length === 2 && !parseGroups(halves[1] ?? '', tail)) return false
  const total = head.length + tail.length
  if (halves.length === 2 ? total > 7 : total !== 8) return false
  out.fill(0)
  head.forEach((g, i) => (out[i] = g))
  tail.forEach((g, i) => (out[8 - tail.length + i] = g))
  return true
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `v6/n`; a bare address is a /32 or /128. */
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/')
  const addr = slash < 0 ? text : text.slice(0, slash)
  const groups = new Uint16Array(8)
  const v6 = addr.includes(':')
  if (!(v6 ? parseV6(addr, groups) : parseV4(addr, groups))) return undefined
  const max = v6 ? 128 : 32
  let prefix = max
  if (slash >= 0) {
    const p = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined
    prefix = Number(p)
  }
  return { v6, groups, prefix }
}

/** Parses a request address (no prefix allowed). */
export function parseIp(text: string): IpRange | undefined {
  return text.includes('/') ? undefined : parseIpRange(text)
}

export function ipInRange(ip: IpRange, range: IpRange): boolean {
  if (ip.v6 !== range.v6) return false
  let bits = range.prefix
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff
    if (((ip.groups[i] ?? 0) & mask) !== ((range.groups[i] ?? 0) & mask)) return false
  }
  return true
}
