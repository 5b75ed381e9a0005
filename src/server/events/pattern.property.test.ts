import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compilePattern } from './pattern.js'

const key = fc.constantFrom('a', 'b', 'c', 'detail', 'source', 'x-y')
const scalar = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -50, max: 50 }),
  fc.boolean(),
  fc.constant(null),
)
const event = fc.dictionary(
  key,
  fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(key, scalar, { maxKeys: 3 })),
  { maxKeys: 4 },
)

const compile = (pattern: unknown) => compilePattern(JSON.stringify(pattern))

/** Every leaf of an event, as the path of keys leading to it and its value. */
function leaves(value: unknown, path: string[] = []): [string[], unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]))
  return [[path, value]]
}

function nested(path: string[], leaf: unknown): unknown {
  return path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), leaf)
}

describe('pattern matching properties', () => {
  it('a pattern built from any leaf of an event (exact value) matches that event, nested or dotted', () => {
    fc.assert(
      fc.property(event, fc.nat(), (e, pick) => {
        const all = leaves(e).filter(([path, v]) => path.length > 0 && !(Array.isArray(v) && v.length === 0))
        fc.pre(all.length > 0)
        const [path, v] = all[pick % all.length] as [string[], unknown]
        const alternatives = Array.isArray(v) ? v : [v]
        expect(compile(nested(path, alternatives)).matches(e)).toBe(true)
        expect(compile({ [path.join('.')]: alternatives }).matches(e)).toBe(true)
      }),
    )
  })

  it('anything-but x on a present string field is the negation of exact x', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), (x, v) => {
        const e = { f: v }
        expect(compile({ f: [{ 'anything-but': x }] }).matches(e)).toBe(!compile({ f: [x] }).matches(e))
      }),
    )
  })

  it('prefix, suffix and equals-ignore-case agree with the string functions', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5 }), fc.string({ maxLength: 8 }), (p, v) => {
        const e = { f: v }
        expect(compile({ f: [{ prefix: p }] }).matches(e)).toBe(v.startsWith(p))
        expect(compile({ f: [{ suffix: p }] }).matches(e)).toBe(v.endsWith(p))
        expect(compile({ f: [{ 'equals-ignore-case': p }] }).matches(e)).toBe(
          p.toLowerCase() === v.toLowerCase(),
        )
      }),
    )
  })

  it('a wildcard without stars is exact; "<p>*" is a prefix match', () => {
    const plain = fc.string({ maxLength: 5 }).filter((s) => !s.includes('*') && !s.includes('\\'))
    fc.assert(
      fc.property(plain, fc.string({ maxLength: 8 }), (p, v) => {
        const e = { f: v }
        expect(compile({ f: [{ wildcard: p }] }).matches(e)).toBe(v === p)
        expect(compile({ f: [{ wildcard: `${p}*` }] }).matches(e)).toBe(v.startsWith(p))
      }),
    )
  })

  it('a numeric range agrees with the comparisons', () => {
    const n = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
    fc.assert(
      fc.property(n, n, n, (lo, hi, v) => {
        const e = { f: v }
        expect(compile({ f: [{ numeric: ['>', lo, '<=', hi] }] }).matches(e)).toBe(v > lo && v <= hi)
        expect(compile({ f: [{ numeric: ['>=', lo] }] }).matches(e)).toBe(v >= lo)
      }),
    )
  })

  it('$or of two patterns matches exactly when either matches alone', () => {
    const leafPattern = fc.record({ k: key, v: scalar })
    fc.assert(
      fc.property(event, leafPattern, leafPattern, (e, p1, p2) => {
        const a = { [p1.k]: [p1.v] }
        const b = { [p2.k]: [p2.v] }
        expect(compile({ $or: [a, b] }).matches(e)).toBe(compile(a).matches(e) || compile(b).matches(e))
      }),
    )
  })

  it('exists true and false are complements on any field path', () => {
    fc.assert(
      fc.property(event, key, key, (e, k1, k2) => {
        const yes = compile({ [k1]: { [k2]: [{ exists: true }] } }).matches(e)
        const no = compile({ [k1]: { [k2]: [{ exists: false }] } }).matches(e)
        // Within arrays of objects the two are per element and may both hold; the events here have none.
        expect(yes).toBe(!no)
      }),
    )
  })
})
