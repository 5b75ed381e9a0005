/**
 * `Condition` block parsing: `{ operator: { key: value | value[] } }` → flat list of clauses.
 *
 * Operator names are matched exactly (as IAM documents them); condition keys are case-insensitive,
 * so each clause carries a lower-cased lookup key for the evaluator.
 */
import { checkConditionValue } from './condition-values.js'
import { finding, indexPath, memberPath, quote, type Finding } from './findings.js'
import type { ConditionClause, ConditionFamily, ConditionOperator, ConditionQuantifier } from './types.js'

const OPERATORS: ReadonlyMap<string, ConditionFamily> = new Map<ConditionOperator, ConditionFamily>([
  ['StringEquals', 'String'],
  ['StringNotEquals', 'String'],
  ['StringEqualsIgnoreCase', 'String'],
  ['StringNotEqualsIgnoreCase', 'String'],
  ['StringLike', 'String'],
  ['StringNotLike', 'String'],
  ['NumericEquals', 'Numeric'],
  ['NumericNotEquals', 'Numeric'],
  ['NumericLessThan', 'Numeric'],
  ['NumericLessThanEquals', 'Numeric'],
  ['NumericGreaterThan', 'Numeric'],
  ['NumericGreaterThanEquals', 'Numeric'],
  ['DateEquals', 'Date'],
  ['DateNotEquals', 'Date'],
  ['DateLessThan', 'Date'],
  ['DateLessThanEquals', 'Date'],
  ['DateGreaterThan', 'Date'],
  ['DateGreaterThanEquals', 'Date'],
  ['Bool', 'Bool'],
  ['BinaryEquals', 'Binary'],
  ['IpAddress', 'IpAddress'],
  ['NotIpAddress', 'IpAddress'],
  ['ArnEquals', 'Arn'],
  ['ArnNotEquals', 'Arn'],
  ['ArnLike', 'Arn'],
  ['ArnNotLike', 'Arn'],
  ['Null', 'Null'],
])

// `service:name`, where name may contain `/`, spaces (tag keys: `aws:ResourceTag/Cost Center`) and
// variables.
const CONDITION_KEY = /^[A-Za-z0-9][A-Za-z0-9.-]*:\S.*$/

export interface ParsedOperator {
  readonly base: ConditionOperator
  readonly family: ConditionFamily
  readonly quantifier: ConditionQuantifier | undefined
  readonly ifExists: boolean
}

/** Parses an operator name; returns a reason string when it is not a valid operator. */
export function parseOperator(name: string): ParsedOperator | string {
  let rest = name
  let quantifier: ConditionQuantifier | undefined
  const q = (['ForAnyValue', 'ForAllValues'] as const).find((p) => rest.startsWith(`${p}:`))
  if (q !== undefined) {
    quantifier = q
    rest = rest.slice(q.length + 1)
  }
  const ifExists = rest.endsWith('IfExists')
  if (ifExists) rest = rest.slice(0, -'IfExists'.length)
  const family = OPERATORS.get(rest)
  if (family === undefined) return `Unknown condition operator ${quote(name)}.`
  // Null tests for existence itself, so "if exists" is meaningless and IAM rejects it.
  if (ifExists && family === 'Null') return 'The Null condition operator cannot be combined with IfExists.'
  return { base: rest as ConditionOperator, family, quantifier, ifExists }
}

function scalarToString(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return undefined
}

function parseValues(raw: unknown, op: ParsedOperator, path: string, out: Finding[]): string[] {
  const isList = Array.isArray(raw)
  const list: unknown[] = isList ? (raw as unknown[]) : [raw]
  if (list.length === 0) {
    out.push(finding('INVALID_CONDITION_VALUE', path, 'Condition values must not be an empty array.'))
    return []
  }
  const values: string[] = []
  list.forEach((v, i) => {
    const at = isList ? indexPath(path, i) : path
    const s = scalarToString(v)
    if (s === undefined) {
      out.push(
        finding(
          'INVALID_CONDITION_VALUE',
          at,
          `Condition values must be strings, numbers or booleans; got ${quote(v)}.`,
        ),
      )
      return
    }
    const expected = checkConditionValue(op.family, s)
    if (expected !== undefined) {
      out.push(
        finding(
          'CONDITION_TYPE_MISMATCH',
          at,
          `The ${op.base} operator expects ${expected}; got ${quote(s)}.`,
        ),
      )
    }
    values.push(s)
  })
  return values
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function parseConditionBlock(raw: unknown, path: string, out: Finding[]): ConditionClause[] {
  if (!isPlainObject(raw)) {
    out.push(
      finding(
        'INVALID_CONDITION',
        path,
        'Condition must be an object of {"operator": {"key": value}} entries.',
      ),
    )
    return []
  }
  const clauses: ConditionClause[] = []
  for (const [operator, block] of Object.entries(raw)) {
    const opPath = memberPath(path, operator)
    const op = parseOperator(operator)
    if (typeof op === 'string') {
      out.push(finding('INVALID_CONDITION_OPERATOR', opPath, op))
      continue
    }
    if (!isPlainObject(block)) {
      out.push(
        finding('INVALID_CONDITION', opPath, `The ${operator} block must be an object of condition keys.`),
      )
      continue
    }
    for (const [key, value] of Object.entries(block)) {
      const keyPath = memberPath(opPath, key)
      if (!CONDITION_KEY.test(key)) {
        out.push(
          finding(
            'INVALID_CONDITION_KEY',
            keyPath,
            `Invalid condition key ${quote(key)}: expected "service:name".`,
          ),
        )
        continue
      }
      const values = parseValues(value, op, keyPath, out)
      clauses.push({
        operator,
        base: op.base,
        family: op.family,
        quantifier: op.quantifier,
        ifExists: op.ifExists,
        key,
        keyLower: key.toLowerCase(),
        values,
      })
    }
  }
  return clauses
}
