import { ipInRange, parseIp, parseIpRange } from '../../policy/ip.js'
import { PatternError } from './pattern-error.js'

/**
 * One operator alternative of a leaf array (reference §4): a test on one leaf value of the event. A field
 * without leaf values (absent, an empty array, an object) matches no test but `exists: false`.
 */
export interface LeafTest {
  /** Tests one present leaf value (string, number, boolean or null). */
  readonly value: (v: string | number | boolean | null) => boolean
  /** `exists: true/false` looks at the field as a whole, not at its elements one by one. */
  readonly exists?: boolean
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Compiles one element of a leaf array: a literal or a one-key operator object. */
export function compileLeaf(element: Json): LeafTest {
  if (element === null || typeof element !== 'object') return literal(element)
  if (Array.isArray(element))
    throw new PatternError('Match value must be String, number, true, false, or null')
  const keys = Object.keys(element)
  if (keys.length === 0) throw new PatternError('Empty objects are not allowed')
  if (keys.length > 1) throw new PatternError('Only one key allowed in match expression')
  const op = keys[0] as string
  const arg = element[op] as Json
  switch (op) {
    case 'prefix':
      return stringTest(affix(op, arg, (v, p) => v.startsWith(p)))
    case 'suffix':
      return stringTest(affix(op, arg, (v, s) => v.endsWith(s)))
    case 'equals-ignore-case': {
      const want = fold(requireString(op, arg))
      return stringTest((v) => fold(v) === want)
    }
    case 'wildcard': {
      const re = wildcard(requireString(op, arg))
      return stringTest((v) => re.test(v))
    }
    case 'anything-but':
      return anythingBut(arg)
    case 'numeric':
      return numeric(arg)
    case 'exists':
      if (typeof arg !== 'boolean')
        throw new PatternError('exists match pattern must be either true or false.')
      return { value: () => arg, exists: arg }
    case 'cidr':
      return cidr(arg)
    default:
      throw new PatternError(`Unrecognized match type ${op}`)
  }
}

function literal(want: string | number | boolean | null): LeafTest {
  // JSON numbers compare by value (300.0 is 300); strings, booleans and null by identity of type and value.
  return { value: (v) => v === want }
}

function stringTest(test: (v: string) => boolean): LeafTest {
  return { value: (v) => typeof v === 'string' && test(v) }
}

function requireString(op: string, arg: Json): string {
  if (typeof arg !== 'string') throw new PatternError(`${op} match pattern must be a string`)
  return arg
}

/** Case folding for equals-ignore-case (and the ignore-case forms of prefix, suffix, anything-but). */
function fold(s: string): string {
  return s.toLowerCase()
}

/** `prefix`/`suffix`: a string, or `{"equals-ignore-case": string}` for a case-insensitive affix. */
function affix(op: string, arg: Json, test: (v: string, a: string) => boolean): (v: string) => boolean {
  if (typeof arg === 'string') return (v) => test(v, arg)
  if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
    const keys = Object.keys(arg)
    const inner = arg['equals-ignore-case']
    if (keys.length === 1 && typeof inner === 'string') {
      const want = fold(inner)
      return (v) => test(fold(v), want)
    }
  }
  throw new PatternError(`${op} match pattern must be a string`)
}

/**
 * `*` matches any run of characters, `\*` a star, `\\` a backslash. Positions in messages count the
 * pattern as the service quotes it (the opening quote is position 0).
 */
export function wildcard(text: string): RegExp {
  let source = ''
  let escaped = false
  let lastStar = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (escaped) {
      if (c !== '*' && c !== '\\') throw new PatternError(`Invalid escape character at pos ${i}`)
      source += `\\${c}`
      escaped = false
      lastStar = false
    } else if (c === '\\') {
      escaped = true
    } else if (c === '*') {
      if (lastStar) throw new PatternError(`Consecutive wildcard characters at pos ${i + 1}`)
      source += '.*'
      lastStar = true
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
      lastStar = false
    }
  }
  if (escaped) throw new PatternError(`Invalid escape character at pos ${text.length}`)
  return new RegExp(`^${source}$`, 's')
}

/**
 * `anything-but`: a string, a number, a list of either, or one of prefix / suffix / equals-ignore-case /
 * wildcard (each with one string or a list). It needs a leaf value: a missing field doesn't match, `null`
 * does; a number never matches a string operator, so it passes.
 */
function anythingBut(arg: Json): LeafTest {
  const excluded = (test: (v: string | number | boolean | null) => boolean): LeafTest => ({
    value: (v) => !test(v),
  })
  if (typeof arg === 'string' || typeof arg === 'number') return excluded((v) => v === arg)
  if (Array.isArray(arg)) {
    if (arg.length === 0) throw new PatternError('Empty arrays are not allowed')
    const set = new Set<string | number>()
    for (const item of arg) {
      if (typeof item !== 'string' && typeof item !== 'number')
        throw new PatternError('Inside anything but list, start|null|boolean is not supported.')
      set.add(item)
    }
    return excluded((v) => (typeof v === 'string' || typeof v === 'number') && set.has(v))
  }
  if (arg !== null && typeof arg === 'object') {
    const keys = Object.keys(arg)
    if (keys.length !== 1) throw new PatternError('Only one key allowed in match expression')
    const op = keys[0] as string
    if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(op))
      throw new PatternError(`Unsupported anything-but pattern: ${op}`)
    const values = stringList(op, arg[op] as Json)
    let tests: ((v: string) => boolean)[]
    switch (op) {
      case 'prefix':
        tests = values.map((p) => (v: string) => v.startsWith(p))
        break
      case 'suffix':
        tests = values.map((s) => (v: string) => v.endsWith(s))
        break
      case 'equals-ignore-case': {
        const set = new Set(values.map(fold))
        tests = [(v) => set.has(fold(v))]
        break
      }
      default:
        tests = values.map((w) => {
          const re = wildcard(w)
          return (v: string) => re.test(v)
        })
    }
    return excluded((v) => typeof v === 'string' && tests.some((t) => t(v)))
  }
  throw new PatternError('Value of anything-but must be an array or single string/number value.')
}

function stringList(op: string, arg: Json): string[] {
  if (typeof arg === 'string') return [arg]
  if (Array.isArray(arg) && arg.length > 0 && arg.every((s) => typeof s === 'string')) return arg as string[]
  if (Array.isArray(arg) && arg.length === 0) throw new PatternError('Empty arrays are not allowed')
  throw new PatternError(`${op} match pattern must be a string`)
}

const LOWER = new Set(['>', '>='])
const UPPER = new Set(['<', '<='])
const OPERATORS = new Set(['=', ...LOWER, ...UPPER])

/**
 * `numeric`: `[op, n]` with op one of `= < <= > >=`, or a lower bound followed by an upper bound
 * (`[">", 0, "<=", 5]`). Only JSON numbers in the event match.
 */
function numeric(arg: Json): LeafTest {
  if (!Array.isArray(arg)) throw new PatternError('Value of numeric must be an array.')
  if (arg.length === 0) throw new PatternError('Empty arrays are not allowed')
  if (arg.length > 4) throw new PatternError('Too many terms in numeric range expression')
  const tests: ((n: number) => boolean)[] = []
  const ops: string[] = []
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i]
    if (typeof op !== 'string' || !OPERATORS.has(op))
      throw new PatternError(
        `Unrecognized numeric range operator: ${typeof op === 'string' ? op : JSON.stringify(op)}`,
      )
    const bound = arg[i + 1]
    if (typeof bound !== 'number') throw new PatternError(`Value of ${op} must be numeric`)
    ops.push(op)
    tests.push(comparison(op, bound))
  }
  const [first, second] = ops
  if (second !== undefined && !(LOWER.has(first ?? '') && UPPER.has(second)))
    throw new PatternError(`Bad numeric range operator: ${second}`)
  return { value: (v) => typeof v === 'number' && tests.every((t) => t(v)) }
}

function comparison(op: string, bound: number): (n: number) => boolean {
  switch (op) {
    case '=':
      return (n) => n === bound
    case '>':
      return (n) => n > bound
    case '>=':
      return (n) => n >= bound
    case '<':
      return (n) => n < bound
    default:
      return (n) => n <= bound
  }
}

/** `cidr`: an IPv4 or IPv6 range; the event's value must be a string holding one address. */
function cidr(arg: Json): LeafTest {
  if (typeof arg !== 'string') throw new PatternError('cidr match pattern must be a string')
  if (arg.split('/').length !== 2) throw new PatternError("Malformed CIDR, one '/' required")
  const range = parseIpRange(arg)
  if (range === undefined) throw new PatternError(`Nonstandard IP address: ${arg.split('/')[0] ?? ''}`)
  return stringTest((v) => {
    const ip = parseIp(v)
    return ip !== undefined && ipInRange(ip, range)
  })
}
