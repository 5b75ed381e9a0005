/** SigV4 canonical request, built exactly as botocore and the JS SDK v3 (smithy) build it. */
import { uriEncode } from './encoding.js'
import { canonicalQueryString } from './query.js'
import type { ParsedAuth, SigV4Request } from './types.js'

/** Whitespace SDKs collapse in header values: space, tab, CR, LF. */
function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a
}

/** Trims a header value and collapses every inner whitespace run to one space. */
export function canonicalHeaderValue(v: string): string {
  const n = v.length
  if (n === 0) return v
  // Fast path with native searches: nothing to trim or collapse (the usual case).
  if (
    !isWs(v.charCodeAt(0)) &&
    !isWs(v.charCodeAt(n - 1)) &&
    v.indexOf('  ') < 0 &&
    v.indexOf('\t') < 0 &&
    v.indexOf('\n') < 0 &&
    v.indexOf('\r') < 0
  ) {
    return v
  }
  let out = ''
  let pendingSpace = false
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i)
    if (isWs(c)) {
      pendingSpace = out.length > 0
    } else {
      if (pendingSpace) out += ' '
      pendingSpace = false
      out += v[i]
    }
  }
  return out
}

/** Header value as it appears in the canonical request; repeated values are joined with `,`. */
function canonicalHeader(value: string | readonly string[] | undefined): string {
  if (typeof value === 'string') return canonicalHeaderValue(value)
  if (Array.isArray(value)) {
    let out = ''
    for (let i = 0; i < value.length; i++)
      out += (i === 0 ? '' : ',') + canonicalHeaderValue(value[i] as string)
    return out
  }
  // Absent (or an inherited property such as `constructor`): an empty value, which cannot match.
  return ''
}

/**
 * Canonical URI for non-S3 services: dot segments and empty segments removed, then every segment
 * URI-encoded again (the raw path is already encoded once, hence "double encoding").
 */
export function canonicalUri(path: string): string {
  if (path === '/' || path.length === 0) return '/'
  const segments: string[] = []
  for (const seg of path.split('/')) {
    if (seg.length === 0 || seg === '.') continue
    if (seg === '..') segments.pop()
    else segments.push(seg)
  }
  const lead = path.charCodeAt(0) === 0x2f ? '/' : ''
  const trail = segments.length > 0 && path.charCodeAt(path.length - 1) === 0x2f ? '/' : ''
  return uriEncode(lead + segments.join('/') + trail, true)
}

/**
 * The full canonical request:
 * `METHOD\nURI\nQUERY\n(name:value\n)*\nsigned;headers\npayloadHash`.
 */
export function canonicalRequest(req: SigV4Request, auth: ParsedAuth, payloadHash: string): string {
  const names = auth.signedHeaders
  let headers = ''
  let list = ''
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    headers += name + ':' + canonicalHeader(req.headers[name]) + '\n'
    list += (i === 0 ? '' : ';') + name
  }
  return (
    req.method +
    '\n' +
    canonicalUri(req.path) +
    '\n' +
    canonicalQueryString(req.query, auth.kind === 'presigned') +
    '\n' +
    headers +
    '\n' +
    list +
    '\n' +
    payloadHash
  )
}
