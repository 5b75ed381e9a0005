import fc from 'fast-check'
import { describe, it } from 'vitest'
import { compileFilters, FILTER_KEYS, type FilterableSecret, type FilterKey } from './list-filters.js'

// Small alphabets so that generated values often hit generated secrets.
const nameChars = fc.constantFrom(...'aAbB1/_-.'.split(''))
const textChars = fc.constantFrom(...'aAbB1 /_-.:'.split(''))
const name = fc.string({ unit: nameChars, minLength: 1, maxLength: 12 })
const text = fc.string({ unit: textChars, maxLength: 12 })
const tag = fc.record({ Key: name, Value: text })

const secretArb: fc.Arbitrary<FilterableSecret> = fc.record(
  {
    name,
    description: text,
    tags: fc.array(tag, { maxLength: 3 }),
    owningService: fc.constantFrom('rds', 'AppFlow', 'ecs-sc'),
    primaryRegion: fc.constantFrom('us-east-1', 'eu-west-1'),
  },
  { requiredKeys: ['name', 'tags'] },
)
const key = fc.constantFrom<FilterKey>(...FILTER_KEYS)
/** A plain (non-negated) filter value: any allowed text not starting with `!`. */
const plain = fc.string({ unit: textChars, minLength: 1, maxLength: 6 })
const anyValue = fc.oneof(
  plain,
  plain.map((v) => `!${v}`),
)
const filter = fc.record({ Key: key, Values: fc.array(anyValue, { minLength: 1, maxLength: 3 }) })

const matches = (k: FilterKey, values: string[], s: FilterableSecret) =>
  compileFilters([{ Key: k, Values: values }])(s)
const runs = { numRuns: 500 }

describe('filter laws (property based)', () => {
  it('"!v" is the complement of "v" for the same key', () => {
    fc.assert(
      fc.property(key, plain, secretArb, (k, v, s) => matches(k, [`!${v}`], s) === !matches(k, [v], s)),
      runs,
    )
  })

  it('plain values of one filter are OR-ed', () => {
    fc.assert(
      fc.property(key, plain, plain, secretArb, (k, a, b, s) => {
        return matches(k, [a, b], s) === (matches(k, [a], s) || matches(k, [b], s))
      }),
      runs,
    )
  })

  it('a negated value removes its matches from the plain ones', () => {
    fc.assert(
      fc.property(key, plain, plain, secretArb, (k, a, b, s) => {
        return matches(k, [a, `!${b}`], s) === (matches(k, [a], s) && !matches(k, [b], s))
      }),
      runs,
    )
  })

  it('filters are AND-ed', () => {
    fc.assert(
      fc.property(filter, filter, secretArb, (f, g, s) => {
        return compileFilters([f, g])(s) === (compileFilters([f])(s) && compileFilters([g])(s))
      }),
      runs,
    )
  })

  it('every prefix of the name matches `name`', () => {
    fc.assert(
      fc.property(secretArb, fc.nat(), (s, n) =>
        matches('name', [s.name.slice(0, 1 + (n % s.name.length))], s),
      ),
      runs,
    )
  })

  it('an attribute with a letter or digit is found by `all` with its own text', () => {
    fc.assert(
      fc.property(secretArb, (s) => {
        const attributes = [s.name, s.description ?? '', ...s.tags.flatMap((t) => [t.Key, t.Value])]
        const values = attributes.map((a) => a.slice(0, 6)).filter((v) => /[a-z0-9]/i.test(v))
        return values.every((v) => matches('all', [v], s))
      }),
      runs,
    )
  })

  it('description, all and owning-service ignore the case of the value', () => {
    const insensitive = fc.constantFrom<FilterKey>('description', 'all', 'owning-service')
    fc.assert(
      fc.property(insensitive, plain, secretArb, (k, v, s) => {
        const result = matches(k, [v], s)
        return matches(k, [v.toUpperCase()], s) === result && matches(k, [v.toLowerCase()], s) === result
      }),
      runs,
    )
  })
})
