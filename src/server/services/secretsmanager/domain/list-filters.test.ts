import { describe, expect, it } from 'vitest'
import { AwsError } from '../../../../lib/aws/errors.js'
import { compileFilters, type FilterableSecret, type SecretFilter } from './list-filters.js'

const secret = (name: string, extra: Partial<FilterableSecret> = {}): FilterableSecret => ({
  name,
  tags: [],
  ...extra,
})

const namesMatching = (secrets: readonly FilterableSecret[], filters: readonly SecretFilter[]): string[] =>
  secrets.filter(compileFilters(filters)).map((s) => s.name)

// The four secrets of the AWS-validated LocalStack test (spec 3.8, `name` and `description` rows).
const recorded = [
  secret('testing1/one-x', { description: 'a secret' }),
  secret('/testing2/two-x', { description: 'an secret' }),
  secret('testing3/three-x', { description: 'asecret' }),
  secret('/testing4/four-x', { description: 'thesecret' }),
]

describe('name (spec 3.8: case-sensitive prefix)', () => {
  it('"/" matches names starting with /', () => {
    expect(namesMatching(recorded, [{ Key: 'name', Values: ['/'] }])).toEqual([
      '/testing2/two-x',
      '/testing4/four-x',
    ])
  })
  it('"!/" returns the names not starting with /', () => {
    expect(namesMatching(recorded, [{ Key: 'name', Values: ['!/'] }])).toEqual([
      'testing1/one-x',
      'testing3/three-x',
    ])
  })
  it('"testing1 one" matches nothing (not word based)', () => {
    expect(namesMatching(recorded, [{ Key: 'name', Values: ['testing1 one'] }])).toEqual([])
  })
  it('is case-sensitive and anchored at the start', () => {
    expect(namesMatching(recorded, [{ Key: 'name', Values: ['Testing1'] }])).toEqual([])
    expect(namesMatching(recorded, [{ Key: 'name', Values: ['one'] }])).toEqual([])
  })
})

describe('description (spec 3.8: word based, case-insensitive)', () => {
  const desc = (value: string) =>
    recorded.filter(compileFilters([{ Key: 'description', Values: [value] }])).map((s) => s.description)

  it('"a" matches "a secret", "an secret", "asecret", not "thesecret"', () => {
    expect(desc('a')).toEqual(['a secret', 'an secret', 'asecret'])
  })
  it('"a secret" matches "a secret", "an secret", not "asecret"', () => {
    expect(desc('a secret')).toEqual(['a secret', 'an secret'])
  })
  it('"!c" returns all four secrets', () => {
    expect(desc('!c')).toHaveLength(4)
  })
  it('"one two" matches "one two" and "one and two"', () => {
    const secrets = [
      secret('x', { description: 'one two' }),
      secret('y', { description: 'one and two' }),
      secret('z', { description: 'one' }),
    ]
    expect(namesMatching(secrets, [{ Key: 'description', Values: ['one two'] }])).toEqual(['x', 'y'])
  })
  it('ignores case and word order', () => {
    expect(desc('SECRET A')).toEqual(['a secret', 'an secret'])
  })
  it('a secret without description matches no plain value', () => {
    expect(namesMatching([secret('n')], [{ Key: 'description', Values: ['a'] }])).toEqual([])
    expect(namesMatching([secret('n')], [{ Key: 'description', Values: ['!a'] }])).toEqual(['n'])
  })
})

describe('tag-key / tag-value (case-sensitive prefix of any tag)', () => {
  const tagged = [
    secret('s1', { tags: [{ Key: 'managed-by', Value: 'external-secrets' }] }),
    secret('s2', {
      tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'Team', Value: 'core' },
      ],
    }),
    secret('s3'),
  ]
  it('matches any tag key by prefix', () => {
    expect(namesMatching(tagged, [{ Key: 'tag-key', Values: ['managed'] }])).toEqual(['s1'])
    expect(namesMatching(tagged, [{ Key: 'tag-key', Values: ['Te'] }])).toEqual(['s2'])
    expect(namesMatching(tagged, [{ Key: 'tag-key', Values: ['te'] }])).toEqual([])
  })
  it('matches any tag value by prefix', () => {
    expect(namesMatching(tagged, [{ Key: 'tag-value', Values: ['external-secrets'] }])).toEqual(['s1'])
    expect(namesMatching(tagged, [{ Key: 'tag-value', Values: ['co'] }])).toEqual(['s2'])
    expect(namesMatching(tagged, [{ Key: 'tag-value', Values: ['secrets'] }])).toEqual([])
  })
})

describe('owning-service and primary-region', () => {
  const secrets = [
    secret('rds', { owningService: 'rds', primaryRegion: 'eu-west-1' }),
    secret('plain', { primaryRegion: 'us-east-1' }),
    secret('none'),
  ]
  it('owning-service is a case-insensitive prefix', () => {
    expect(namesMatching(secrets, [{ Key: 'owning-service', Values: ['RD'] }])).toEqual(['rds'])
  })
  it('primary-region is a case-sensitive prefix', () => {
    expect(namesMatching(secrets, [{ Key: 'primary-region', Values: ['us-'] }])).toEqual(['plain'])
    expect(namesMatching(secrets, [{ Key: 'primary-region', Values: ['US-'] }])).toEqual([])
  })
})

describe('all (spec 3.8: words of name, description, tags)', () => {
  // moto-av test_with_all_filter: the value may sit in any attribute.
  it('finds the value in name, description, tag key or tag value', () => {
    const secrets = [
      secret('foo'),
      secret('bar', { description: 'foo' }),
      secret('baz', { tags: [{ Key: 'foo', Value: '1' }] }),
      secret('qux', { tags: [{ Key: '1', Value: 'foo' }] }),
      secret('multi', { tags: [{ Key: 'foo', Value: 'foo' }] }),
      secret('none'),
    ]
    expect(namesMatching(secrets, [{ Key: 'all', Values: ['foo'] }])).toEqual([
      'foo',
      'bar',
      'baz',
      'qux',
      'multi',
    ])
  })

  const one = [secret('my-secret/AppBeta', { tags: [{ Key: 'owner', Value: 'COMPANYthings' }] })]
  const all = (value: string) => namesMatching(one, [{ Key: 'all', Values: [value] }]).length === 1

  it.each(['sec', 'SEC', 'Beta', 'beta', 'AppBeta', 'appbeta', 'COMPAN', 'Ythings', 'my secret'])(
    '%s matches (word start, any case)',
    (value) => expect(all(value)).toBe(true),
  )
  it.each(['ret', 'pany', 'things', 'etaApp', 'secret/AppBetaX'])(
    '%s does not match (inner fragment)',
    (value) => expect(all(value)).toBe(false),
  )
  it.each(['/', '_', '+', '=', '.', '@', '-', ' '])('lone special character %j matches nothing', (value) =>
    expect(all(value)).toBe(false),
  )
  it('words of one value may come from different attributes (decision)', () => {
    expect(all('owner app')).toBe(true)
  })
})

describe('combining values and filters', () => {
  const secrets = [
    secret('foo', { description: 'one two' }),
    secret('bar', { description: 'one' }),
    secret('baz', { description: 'two' }),
    secret('qux', { description: 'unrelated' }),
  ]
  it('values of one filter are OR-ed', () => {
    expect(namesMatching(secrets, [{ Key: 'name', Values: ['foo', 'ba'] }])).toEqual(['foo', 'bar', 'baz'])
  })
  it('filters with the same key are AND-ed (moto-av test_with_duplicate_filter_keys)', () => {
    const filters = [
      { Key: 'description', Values: ['one'] },
      { Key: 'description', Values: ['two'] },
    ]
    expect(namesMatching(secrets, filters)).toEqual(['foo'])
  })
  it('negated values exclude, plain values include (decision)', () => {
    expect(namesMatching(secrets, [{ Key: 'name', Values: ['!foo', '!bar'] }])).toEqual(['baz', 'qux'])
    expect(namesMatching(secrets, [{ Key: 'name', Values: ['ba', '!baz'] }])).toEqual(['bar'])
  })
  it('only the first ! negates', () => {
    expect(namesMatching(secrets, [{ Key: 'name', Values: ['!!foo'] }])).toHaveLength(4)
  })
  it('no filters match everything', () => {
    expect(namesMatching(secrets, [])).toHaveLength(4)
    expect(secrets.filter(compileFilters(undefined))).toHaveLength(4)
  })
  it('an empty plain value is a prefix of everything but has no words', () => {
    expect(namesMatching(secrets, [{ Key: 'name', Values: [''] }])).toHaveLength(4)
    expect(namesMatching(secrets, [{ Key: 'description', Values: [''] }])).toEqual([])
  })
})

describe('invalid filters', () => {
  const error = (filters: readonly SecretFilter[]) => {
    try {
      compileFilters(filters)
    } catch (e) {
      return e instanceof AwsError ? { code: e.code, status: e.status, message: e.message } : e
    }
    return undefined
  }
  it('missing Key or missing/empty Values is InvalidParameterException', () => {
    expect(error([{ Values: ['a'] }])).toMatchObject({ code: 'InvalidParameterException', status: 400 })
    expect(error([{ Key: 'name' }])).toMatchObject({ code: 'InvalidParameterException', status: 400 })
    expect(error([{ Key: 'name', Values: [] }])).toMatchObject({
      code: 'InvalidParameterException',
      message: "Invalid filter values. Filter values can't be empty.",
    })
  })
  it('a bare ! is InvalidParameterException (decision)', () => {
    expect(error([{ Key: 'name', Values: ['a', '!'] }])).toMatchObject({ code: 'InvalidParameterException' })
  })
  it('an unknown key is ValidationException (spec 3.8)', () => {
    expect(
      error([
        { Key: 'name', Values: ['a'] },
        { Key: 'Name', Values: ['a'] },
      ]),
    ).toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining("Value 'Name' at 'filters.2.member.key'"),
    })
  })
})
