import { InvalidFilterKey, InvalidFilterOption, InvalidFilterValue } from '../../../../aws-api/ssm/errors.js'
import type { ParametersFilter, ParameterStringFilter } from '../../../../aws-api/ssm/types.js'
import { ValidationException } from '../../../../lib/aws/errors.js'
import { msg } from '../messages.js'
import type { ParameterRecord } from '../store.js'
import { isUnder, keyOf, normalizePath, parentOf } from './names.js'

/**
 * ParameterFilters (spec §5.2): GetParametersByPath accepts `Type`, `KeyId` and `Label`; DescribeParameters
 * `Name`, `Type`, `KeyId`, `Path`, `Tier`, `DataType` and `tag:<key>`. Values of one filter are
 * alternatives, filters all apply. Invalid keys, options and values are refused with AWS's filter errors.
 */
export type FilterMode = 'by-path' | 'describe'

export interface ParameterPredicate {
  test(parameter: ParameterRecord): boolean
  /** `Label` (by-path): the version carrying one of these labels is the one returned. */
  readonly labels?: readonly string[]
}

type Test = (parameter: ParameterRecord) => boolean
type Compare = (actual: string, value: string) => boolean

const COMPARE: Record<string, Compare> = {
  Equals: (actual, value) => actual === value,
  BeginsWith: (actual, value) => actual.startsWith(value),
  Contains: (actual, value) => actual.includes(value),
}
const KEYS: Record<FilterMode, readonly string[]> = {
  'by-path': ['Type', 'KeyId', 'Label'],
  describe: ['Name', 'Type', 'KeyId', 'Path', 'Tier', 'DataType'],
}
const VALID_KEYS_TEXT: Record<FilterMode, string> = {
  'by-path': 'Type, KeyId, Label',
  describe: 'Path, Name, Type, KeyId, Tier, DataType, tag:<key>',
}
const ENUMS: Record<string, readonly string[]> = {
  Type: ['String', 'StringList', 'SecureString'],
  Tier: ['Standard', 'Advanced', 'Intelligent-Tiering'],
}

export function compileFilters(
  filters: readonly ParameterStringFilter[] | undefined,
  mode: FilterMode,
): ParameterPredicate {
  const tests: Test[] = []
  let labels: string[] | undefined
  const seen = new Set<string>()
  for (const filter of filters ?? []) {
    const key = filter.Key
    const isTag = mode === 'describe' && key.startsWith('tag:') && key.length > 4
    if (!isTag && !KEYS[mode].includes(key)) {
      throw new InvalidFilterKey(msg.invalidFilterKey(key, VALID_KEYS_TEXT[mode]))
    }
    if (seen.has(key)) throw new InvalidFilterKey(msg.duplicateFilter(key))
    seen.add(key)
    const option = filter.Option ?? (key === 'Path' ? 'OneLevel' : 'Equals')
    const allowed =
      key === 'Path'
        ? ['Recursive', 'OneLevel']
        : key === 'Label'
          ? ['Equals']
          : key === 'Name'
            ? ['BeginsWith', 'Contains', 'Equals']
            : ['BeginsWith', 'Equals']
    if (!allowed.includes(option))
      throw new InvalidFilterOption(msg.invalidFilterOption(option, allowed.join(', ')))
    const values = filter.Values ?? []
    if (values.length === 0 && !isTag) throw new InvalidFilterValue(msg.missingFilterValues(key))
    const enumValues = ENUMS[key]
    if (enumValues !== undefined && option === 'Equals') {
      const bad = values.find((value) => !enumValues.includes(value))
      if (bad !== undefined) throw new InvalidFilterValue(msg.invalidFilterValue(bad, enumValues.join(', ')))
    }
    if (key === 'Label') labels = [...values]
    else tests.push(isTag ? tagTest(key.slice(4), option, values) : fieldTest(key, option, values))
  }
  return {
    test: (parameter) => tests.every((test) => test(parameter)),
    ...(labels !== undefined && { labels }),
  }
}

/** The deprecated `Filters` (DescribeParameters): Name begins with, Type and KeyId equal. */
export function compileLegacyFilters(filters: readonly ParametersFilter[]): ParameterPredicate {
  const tests = filters.map((filter) =>
    fieldTest(filter.Key, filter.Key === 'Name' ? 'BeginsWith' : 'Equals', filter.Values),
  )
  return { test: (parameter) => tests.every((test) => test(parameter)) }
}

function anyOf(values: readonly string[], compare: Compare, actual: string | undefined): boolean {
  return actual !== undefined && values.some((value) => compare(actual, value))
}

function fieldTest(key: string, option: string, values: readonly string[]): Test {
  const compare = COMPARE[option] ?? COMPARE.Equals!
  switch (key) {
    case 'Name': {
      // Names compare by key: `param-x` and `/param-x` are the same parameter.
      const wanted = option === 'Contains' ? values : values.map(keyOf)
      return (p) => anyOf(wanted, compare, p.key)
    }
    case 'Path':
      return pathTest(option, values)
    case 'Type':
      return (p) => anyOf(values, compare, p.latest.type)
    case 'KeyId':
      return (p) => anyOf(values, compare, p.latest.keyId)
    case 'Tier':
      return (p) => anyOf(values, compare, p.latest.tier)
    default:
      return (p) => anyOf(values, compare, p.latest.dataType)
  }
}

function pathTest(option: string, values: readonly string[]): Test {
  const paths = values.map((value) => {
    if (/^\/(aws|ssm)/i.test(value)) throw new ValidationException(msg.reservedPathFilter)
    const path = normalizePath(value)
    if (path === undefined) throw new ValidationException(msg.invalidPath)
    return path
  })
  return option === 'Recursive'
    ? (p) => paths.some((path) => isUnder(p.key, path))
    : (p) => paths.includes(parentOf(p.key))
}

function tagTest(tagKey: string, option: string, values: readonly string[]): Test {
  const compare = COMPARE[option] ?? COMPARE.Equals!
  return (p) => {
    const tag = p.tags.find((t) => t.Key === tagKey)
    return tag !== undefined && (values.length === 0 || anyOf(values, compare, tag.Value))
  }
}
