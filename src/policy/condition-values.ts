/**
 * Value syntax per condition-operator family.
 *
 * A `NumericLessThan` against "ten" or an `IpAddress` against "10.0.0.300" can never match, which
 * silently turns an Allow into nothing or, in a Deny with a negated operator, into everything.
 * Access Analyzer reports these as type mismatches; so do we. Values containing a policy variable
 * are only known at request time and are not checked here.
 */
import type { ConditionFamily } from './types.js'

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const EPOCH = /^\d+$/
// ISO 8601 as AWS accepts it: date, optional time with optional fraction and zone.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const BOOL = /^(?:true|false)$/i
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function isIPv4(text: string): boolean {
  const parts = text.split('.')
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
}

function isIPv6(text: string): boolean {
  const halves = text.split('::')
  if (halves.length > 2) return false
  const groups = (half: string): string[] | undefined => (half === '' ? [] : half.split(':'))
  const head = groups(halves[0] ?? '')
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : []
  if (head === undefined || tail === undefined) return false
  const all = [...head, ...tail]
  let width = 0
  for (let i = 0; i < all.length; i++) {
    const g = all[i] ?? ''
    // An embedded IPv4 address is allowed as the last group and counts as two.
    if (i === all.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return false
      width += 2
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      width += 1
    } else {
      return false
    }
  }
  return halves.length === 2 ? width < 8 : width === 8
}

/** An IPv4/IPv6 address, optionally with a CIDR prefix length. */
export function isIpOrCidr(text: string): boolean {
  const slash = text.indexOf('/')
  const addr = slash < 0 ? text : text.slice(0, slash)
  const prefix = slash < 0 ? undefined : text.slice(slash + 1)
  const v4 = isIPv4(addr)
  if (!v4 && !isIPv6(addr)) return false
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128)
}

function isDate(text: string): boolean {
  if (EPOCH.test(text)) return true
  return ISO_DATE.test(text) && !Number.isNaN(Date.parse(text))
}

const CHECKS: Record<ConditionFamily, { readonly test: (v: string) => boolean; readonly expected: string }> =
  {
    String: { test: () => true, expected: 'a string' },
    Numeric: { test: (v) => NUMBER.test(v), expected: 'a number' },
    Date: { test: isDate, expected: 'an ISO 8601 date or epoch seconds' },
    Bool: { test: (v) => BOOL.test(v), expected: '"true" or "false"' },
    Null: { test: (v) => BOOL.test(v), expected: '"true" or "false"' },
    Binary: { test: (v) => v.length > 0 && BASE64.test(v), expected: 'base64-encoded data' },
    IpAddress: { test: isIpOrCidr, expected: 'an IP address or CIDR range' },
    Arn: { test: (v) => v === '*' || v.startsWith('arn:'), expected: 'an ARN' },
  }

/** `undefined` when the value suits the family, otherwise a description of what was expected. */
export function checkConditionValue(family: ConditionFamily, value: string): string | undefined {
  if (value.includes('${')) return undefined
  const check = CHECKS[family]
  return check.test(value) ? undefined : check.expected
}
