import { describe, expect, it } from 'vitest'
import type { ParameterRecord, ParameterVersion } from '../store.js'
import { compileFilters, compileLegacyFilters } from './filters.js'
import { isValidLabel, planLabels, planUnlabel } from './labels.js'
import { assertDataType, assertMatchesPattern, assertValue, resolveTier } from './values.js'

const code = (c: string) => expect.objectContaining({ code: c })

function version(overrides: Partial<ParameterVersion> = {}): ParameterVersion {
  return {
    version: 1,
    type: 'String',
    value: Buffer.from('v'),
    dataType: 'text',
    tier: 'Standard',
    lastModifiedAt: 0,
    lastModifiedUser: 'u',
    labels: [],
    ...overrides,
  }
}

function parameter(
  key: string,
  latest: Partial<ParameterVersion> = {},
  tags = [] as ParameterRecord['tags'],
) {
  return { id: 1, accountId: 'a', region: 'r', key, name: key, tags, revision: 1, latest: version(latest) }
}

describe('labels', () => {
  it('follows the naming rules', () => {
    for (const ok of ['prod', 'Prod.1', 'a-b_c', 'x'.repeat(100)]) expect(isValidLabel(ok), ok).toBe(true)
    for (const bad of ['1a', 'aws-x', 'SSMy', 'a b', 'a/b', 'x'.repeat(101), ''])
      expect(isValidLabel(bad), bad).toBe(false)
  })

  it('plans attachments, reports invalid labels, caps a version at 10', () => {
    expect(planLabels(version({ labels: ['a'] }), ['a', 'b', '1x', 'b'])).toEqual({
      attach: ['b'],
      invalid: ['1x'],
    })
    const nine = Array.from({ length: 9 }, (_, i) => `l${i}`)
    expect(planLabels(version({ labels: nine }), ['x']).attach).toEqual(['x'])
    expect(() => planLabels(version({ labels: nine }), ['x', 'y'])).toThrow(
      code('ParameterVersionLabelLimitExceeded'),
    )
    expect(planUnlabel(version({ labels: ['a', 'b'] }), ['a', 'z'])).toEqual({
      removed: ['a'],
      invalid: ['z'],
    })
  })
})

describe('values', () => {
  it('refuses empty values and nested parameters', () => {
    expect(() => assertValue('')).toThrow(code('ValidationException'))
    expect(() => assertValue('a{{ssm:/x}}b')).toThrow(code('ValidationException'))
    expect(() => assertValue('{single}')).not.toThrow()
  })

  it('picks the tier from the request, the current tier and the size; never downgrades', () => {
    expect(resolveTier(undefined, undefined, 4096)).toBe('Standard')
    expect(() => resolveTier(undefined, undefined, 4097)).toThrow(code('ValidationException'))
    expect(resolveTier('Intelligent-Tiering', undefined, 4097)).toBe('Advanced')
    expect(resolveTier('Intelligent-Tiering', 'Advanced', 1)).toBe('Advanced')
    expect(resolveTier(undefined, 'Advanced', 1)).toBe('Advanced')
    expect(() => resolveTier('Standard', 'Advanced', 1)).toThrow(code('ValidationException'))
    expect(() => resolveTier('Advanced', undefined, 8193)).toThrow(code('ValidationException'))
  })

  it('checks data types and AllowedPattern', () => {
    expect(() => assertDataType('text', 'SecureString', 'x')).not.toThrow()
    expect(() => assertDataType('aws:ec2:image', 'String', 'ami-12345678')).not.toThrow()
    expect(() => assertDataType('aws:ec2:image', 'String', 'ami-1')).toThrow(code('ValidationException'))
    expect(() => assertDataType('aws:ec2:image', 'StringList', 'ami-12345678')).toThrow(
      code('ValidationException'),
    )
    expect(() => assertDataType('Text', 'String', 'x')).toThrow(code('ValidationException'))
    expect(() => assertMatchesPattern('^\\d+$', '12')).not.toThrow()
    expect(() => assertMatchesPattern('^\\d+$', '1a')).toThrow(code('ParameterPatternMismatchException'))
    expect(() => assertMatchesPattern('(', 'x')).toThrow(code('InvalidAllowedPatternException'))
  })
})

describe('filters', () => {
  const list = [
    parameter('/a/x', { type: 'SecureString', keyId: 'alias/aws/ssm' }, [{ Key: 'env', Value: 'prod' }]),
    parameter('/a/b/y', { tier: 'Advanced' }),
    parameter('/z', { type: 'StringList', dataType: 'text' }),
  ]
  const keys = (filters: Parameters<typeof compileFilters>[0]) => {
    const predicate = compileFilters(filters, 'describe')
    return list.filter((p) => predicate.test(p)).map((p) => p.key)
  }

  it('applies every describe filter, values as alternatives', () => {
    expect(keys([{ Key: 'Name', Option: 'BeginsWith', Values: ['a/b'] }])).toEqual(['/a/b/y'])
    expect(keys([{ Key: 'Name', Values: ['z'] }])).toEqual(['/z'])
    expect(keys([{ Key: 'Name', Option: 'Contains', Values: ['b/'] }])).toEqual(['/a/b/y'])
    expect(keys([{ Key: 'Path', Values: ['/a'] }])).toEqual(['/a/x'])
    expect(keys([{ Key: 'Path', Option: 'Recursive', Values: ['/a'] }])).toEqual(['/a/x', '/a/b/y'])
    expect(keys([{ Key: 'Type', Values: ['SecureString', 'StringList'] }])).toEqual(['/a/x', '/z'])
    expect(keys([{ Key: 'KeyId', Option: 'BeginsWith', Values: ['alias/'] }])).toEqual(['/a/x'])
    expect(keys([{ Key: 'Tier', Values: ['Advanced'] }])).toEqual(['/a/b/y'])
    expect(keys([{ Key: 'tag:env' }])).toEqual(['/a/x'])
    expect(keys([{ Key: 'tag:env', Values: ['dev'] }])).toEqual([])
    const legacy = compileLegacyFilters([{ Key: 'Name', Values: ['/a'] }])
    expect(list.filter((p) => legacy.test(p)).map((p) => p.key)).toEqual(['/a/x', '/a/b/y'])
  })

  it('refuses keys, options and values the operation does not take', () => {
    expect(() => compileFilters([{ Key: 'Label', Values: ['x'] }], 'describe')).toThrow(
      code('InvalidFilterKey'),
    )
    expect(() => compileFilters([{ Key: 'xNamey', Values: ['x'] }], 'describe')).toThrow(
      code('InvalidFilterKey'),
    )
    expect(() => compileFilters([{ Key: 'Name', Values: ['x'] }], 'by-path')).toThrow(
      code('InvalidFilterKey'),
    )
    expect(() => compileFilters([{ Key: 'tag:env', Values: ['x'] }], 'by-path')).toThrow(
      code('InvalidFilterKey'),
    )
    expect(() => compileFilters([{ Key: 'Label', Option: 'BeginsWith', Values: ['x'] }], 'by-path')).toThrow(
      code('InvalidFilterOption'),
    )
    expect(() => compileFilters([{ Key: 'Type', Values: ['Nope'] }], 'describe')).toThrow(
      code('InvalidFilterValue'),
    )
    expect(() => compileFilters([{ Key: 'Type' }], 'describe')).toThrow(code('InvalidFilterValue'))
    expect(() =>
      compileFilters(
        [
          { Key: 'Type', Values: ['String'] },
          { Key: 'Type', Values: ['String'] },
        ],
        'describe',
      ),
    ).toThrow(code('InvalidFilterKey'))
    expect(() => compileFilters([{ Key: 'Path', Values: ['/ssm/x'] }], 'describe')).toThrow(
      code('ValidationException'),
    )
    expect(compileFilters([{ Key: 'Label', Values: ['prod'] }], 'by-path').labels).toEqual(['prod'])
  })
})
