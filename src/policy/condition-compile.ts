/**
 * Condition clauses → pre-parsed form: numbers, dates (epoch ms), CIDR ranges, lower-cased values for
 * the IgnoreCase operators, wildcard matchers for StringLike and Arn*, and templates for values with
 * policy variables (String*, Bool and Arn* operators; IAM does not substitute in the others).
 */
import { codesText, globFromCodes, type Glob } from './glob.js'
import { parseIpRange, type IpRange } from './ip.js'
import { Interner, keySlot, type KeySlot } from './memo.js'
import type { ConditionClause, ConditionOperator } from './types.js'
import { parseValue, type Template } from './variables.js'

export const Q_NONE = 0
export const Q_ANY = 1
export const Q_ALL = 2

export const CMP_EQ = 0
export const CMP_LT = 1
export const CMP_LE = 2
export const CMP_GT = 3
export const CMP_GE = 4
export type Cmp = typeof CMP_EQ | typeof CMP_LT | typeof CMP_LE | typeof CMP_GT | typeof CMP_GE

/** One ARN segment of an Arn* condition value: a fixed matcher or a template. */
export type ArnSegment = Glob | Template

/**
 * An Arn* value split into its six segments (the last one is everything after the fifth colon).
 * `any` for a lone `*`; `segments` is undefined for a value that is not ARN-shaped (matches nothing).
 */
export interface ArnValue {
  readonly any: boolean
  readonly segments: readonly ArnSegment[] | undefined
}

export const K_STR = 0
export const K_LIKE = 1
export const K_NUM = 2
export const K_DATE = 3
export const K_BOOL = 4
export const K_BIN = 5
export const K_IP = 6
export const K_ARN = 7
export const K_NULL = 8

/**
 * One compiled clause. Every clause has the same object shape (unused lists are empty) so the
 * evaluator's property accesses stay monomorphic; `kind` says which lists are meaningful:
 * `strings` (String*: folded for IgnoreCase; Bool: lower-cased; Binary), `globs` (StringLike),
 * `numbers` (Numeric*, Date*: epoch ms; NaN = unusable), `ranges` (IpAddress), `arns` (Arn*),
 * `nulls` (Null: expected absence), `templates` (values with policy variables).
 */
export interface CompiledCondition {
  /** The (lower-cased) context key. */
  readonly key: KeySlot
  readonly kind: number
  readonly negated: boolean
  readonly quantifier: typeof Q_NONE | typeof Q_ANY | typeof Q_ALL
  readonly ifExists: boolean
  readonly cmp: Cmp
  readonly ignoreCase: boolean
  readonly strings: readonly string[]
  readonly globs: readonly Glob[]
  readonly numbers: readonly number[]
  readonly ranges: readonly (IpRange | undefined)[]
  readonly arns: readonly ArnValue[]
  readonly nulls: readonly (boolean | undefined)[]
  readonly templates: readonly Template[]
  /** Per-evaluation memo (see memo.ts): the evaluation id the result belongs to. */
  stamp: number
  result: boolean
}

const NEGATED: ReadonlySet<ConditionOperator> = new Set<ConditionOperator>([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
])

const CMP: Readonly<Record<string, Cmp>> = {
  Equals: CMP_EQ,
  NotEquals: CMP_EQ,
  LessThan: CMP_LT,
  LessThanEquals: CMP_LE,
  GreaterThan: CMP_GT,
  GreaterThanEquals: CMP_GE,
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const EPOCH = /^-?\d+$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/** A number as IAM reads it, or NaN. */
export function parseNumber(text: string): number {
  return NUMBER.test(text) ? Number(text) : NaN
}

/** Epoch milliseconds of an ISO 8601 date (UTC unless a zone is given) or of epoch seconds, or NaN. */
export function parseDate(text: string): number {
  if (EPOCH.test(text)) return Number(text) * 1000
  const m = ISO_DATE.exec(text)
  if (m === null) return NaN
  let iso = text
  const zone = m[1]
  if (zone === undefined) iso = text.includes('T') ? `${text}Z` : text
  else if (zone.length === 5) iso = `${text.slice(0, -2)}:${text.slice(-2)}`
  return Date.parse(iso)
}

function splitTemplates<T>(
  values: readonly string[],
  wildcards: boolean,
  variables: boolean,
  fixed: (text: string, codes: number[]) => T,
): { fixed: T[]; templates: Template[] } {
  const out = { fixed: [] as T[], templates: [] as Template[] }
  for (const v of values) {
    const parsed = parseValue(v, wildcards, variables)
    if (Array.isArray(parsed)) out.fixed.push(fixed(v, parsed))
    else out.templates.push(parsed)
  }
  return out
}

/** Splits at the first five colons, not counting colons inside `${...}`. */
function arnSegments(text: string): string[] | undefined {
  const out: string[] = []
  let start = 0
  let depth = 0
  for (let i = 0; i < text.length && out.length < 5; i++) {
    const c = text[i]
    if (c === '$' && text[i + 1] === '{') depth++
    else if (c === '}' && depth > 0) depth--
    else if (c === ':' && depth === 0) {
      out.push(text.slice(start, i))
      start = i + 1
    }
  }
  if (out.length < 5) return undefined
  out.push(text.slice(start))
  return out
}

function arnValue(text: string, variables: boolean): ArnValue {
  // `*` alone matches any ARN; other values that are not ARN-shaped match nothing.
  if (text === '*') return { any: true, segments: undefined }
  const parts = arnSegments(text)
  if (parts === undefined) return { any: false, segments: undefined }
  return {
    any: false,
    segments: parts.map((p) => {
      const parsed = parseValue(p, true, variables)
      return Array.isArray(parsed) ? globFromCodes(parsed) : parsed
    }),
  }
}

function boolOf(text: string): boolean | undefined {
  const lower = text.toLowerCase()
  return lower === 'true' ? true : lower === 'false' ? false : undefined
}

const NONE: readonly never[] = []
const interned = new Interner<CompiledCondition>()

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

function build(c: ConditionClause, variables: boolean): CompiledCondition {
  // Fields are assigned on one literal (never added) so every clause has the same hidden class.
  const out: Mutable<CompiledCondition> = {
    key: keySlot(c.keyLower),
    kind: K_STR,
    negated: NEGATED.has(c.base),
    quantifier: c.quantifier === 'ForAnyValue' ? Q_ANY : c.quantifier === 'ForAllValues' ? Q_ALL : Q_NONE,
    ifExists: c.ifExists,
    cmp: CMP_EQ,
    ignoreCase: false,
    strings: NONE,
    globs: NONE,
    numbers: NONE,
    ranges: NONE,
    arns: NONE,
    nulls: NONE,
    templates: NONE,
    stamp: 0,
    result: false,
  }
  const op = c.base
  switch (c.family) {
    case 'String':
      if (op === 'StringLike' || op === 'StringNotLike') {
        const split = splitTemplates(c.values, true, variables, (_, k) => globFromCodes(k))
        out.kind = K_LIKE
        out.globs = split.fixed
        out.templates = split.templates
      } else {
        const ignoreCase = op.endsWith('IgnoreCase')
        const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s)
        const split = splitTemplates(c.values, false, variables, (_, k) => fold(codesText(k)))
        out.ignoreCase = ignoreCase
        out.strings = split.fixed
        out.templates = split.templates
      }
      break
    case 'Numeric':
      out.kind = K_NUM
      out.cmp = CMP[op.slice(7)] ?? CMP_EQ
      out.numbers = c.values.map(parseNumber)
      break
    case 'Date':
      out.kind = K_DATE
      out.cmp = CMP[op.slice(4)] ?? CMP_EQ
      out.numbers = c.values.map(parseDate)
      break
    case 'Bool': {
      const split = splitTemplates(c.values, false, variables, (_, k) => codesText(k).toLowerCase())
      out.kind = K_BOOL
      out.strings = split.fixed
      out.templates = split.templates
      break
    }
    case 'Binary':
      out.kind = K_BIN
      out.strings = c.values
      break
    case 'IpAddress':
      out.kind = K_IP
      out.ranges = c.values.map(parseIpRange)
      break
    case 'Arn':
      out.kind = K_ARN
      out.arns = c.values.map((v) => arnValue(v, variables))
      break
    case 'Null':
      out.kind = K_NULL
      out.nulls = c.values.map(boolOf)
      break
  }
  return out
}

/** Compiles a clause; identical clauses (operator, key, values, version) share one object. */
export function compileCondition(c: ConditionClause, variables: boolean): CompiledCondition {
  const id = JSON.stringify([c.operator, c.keyLower, c.values, variables])
  return interned.get(id, () => build(c, variables))
}
