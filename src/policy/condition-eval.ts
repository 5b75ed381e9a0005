/**
 * Evaluating compiled condition clauses against the request context (IAM User Guide, "IAM JSON
 * policy elements: Condition operators" and "Single-valued vs. multivalued context keys"):
 *
 * - Values of one clause are ORed. A negated operator (StringNotEquals, NotIpAddress, ArnNotLike, …)
 *   holds when *no* value matches; a value that cannot be used (unresolvable variable, unparseable
 *   number/date/CIDR) makes a positive operator skip it and a negated operator fail.
 * - Key absent: `...IfExists` holds; a negated operator holds; `ForAllValues:` holds (vacuously);
 *   everything else (including `ForAnyValue:`) fails. `Null` tests presence itself.
 * - A multi-valued key (an array in the context) needs `ForAnyValue:`/`ForAllValues:`; a
 *   single-valued operator on it fails, negated or not. An empty set: ForAllValues holds,
 *   ForAnyValue fails.
 * - A request value that is not of the operator's type (not a number, date, IP, ARN, boolean) fails.
 */
import {
  CMP_EQ,
  CMP_GE,
  CMP_GT,
  CMP_LE,
  CMP_LT,
  K_ARN,
  K_BIN,
  K_BOOL,
  K_DATE,
  K_IP,
  K_LIKE,
  K_NULL,
  K_NUM,
  K_STR,
  Q_ALL,
  Q_ANY,
  Q_NONE,
  parseDate,
  parseNumber,
  type CompiledCondition,
} from './condition-compile.js'
import type { ContextValue } from './evaluation-types.js'
import { globMatch } from './glob.js'
import { ipInRange, parseIp, type IpRange } from './ip.js'
import { evaluation, lookup } from './memo.js'
import { resolveText, templateMatches, type Template } from './variables.js'

type Context = ReadonlyMap<string, ContextValue>

const MATCH = 1
const NO_MATCH = 0
const INVALID = -1

// Request values are parsed once per distinct text: the same aws:CurrentTime / aws:SourceIp is
// compared by many statements. Small bounded memos keep this allocation-free on the hot path.
const MEMO_LIMIT = 256
const dates = new Map<string, number>()
const ips = new Map<string, IpRange | null>()

function memoDate(text: string): number {
  let v = dates.get(text)
  if (v === undefined) {
    if (dates.size >= MEMO_LIMIT) dates.clear()
    v = parseDate(text)
    dates.set(text, v)
  }
  return v
}

function memoIp(text: string): IpRange | undefined {
  let v = ips.get(text)
  if (v === undefined) {
    if (ips.size >= MEMO_LIMIT) ips.clear()
    v = parseIp(text) ?? null
    ips.set(text, v)
  }
  return v ?? undefined
}

function compare(cmp: number, x: number, v: number): boolean {
  switch (cmp) {
    case CMP_EQ:
      return x === v
    case CMP_LT:
      return x < v
    case CMP_LE:
      return x <= v
    case CMP_GT:
      return x > v
    case CMP_GE:
      return x >= v
  }
  return false
}

function templateLike(templates: readonly Template[], item: string, ctx: Context, r: number): number {
  for (const t of templates) {
    const m = templateMatches(t, ctx, item, 0, item.length)
    if (m === MATCH) return MATCH
    if (m === INVALID) r = INVALID
  }
  return r
}

function templateEquals(
  templates: readonly Template[],
  x: string,
  fold: boolean,
  ctx: Context,
  r: number,
): number {
  for (const t of templates) {
    const s = resolveText(t, ctx)
    if (s === undefined) r = INVALID
    else if ((fold ? s.toLowerCase() : s) === x) return MATCH
  }
  return r
}

/** Offsets of the first five colons of an ARN-shaped value, into `out`; false if there are fewer. */
function arnColons(text: string, out: Int32Array): boolean {
  let from = 0
  for (let i = 0; i < 5; i++) {
    const at = text.indexOf(':', from)
    if (at < 0) return false
    out[i] = at
    from = at + 1
  }
  return true
}

const colons = new Int32Array(5)

function arnMatch(c: CompiledCondition, item: string, ctx: Context): number {
  const shaped = arnColons(item, colons)
  let r = NO_MATCH
  for (const v of c.arns) {
    if (v.any) return MATCH
    if (v.segments === undefined || !shaped) {
      r = INVALID
      continue
    }
    let ok = true
    for (let i = 0; i < 6 && ok; i++) {
      const seg = v.segments[i]
      const from = i === 0 ? 0 : (colons[i - 1] as number) + 1
      const to = i === 5 ? item.length : (colons[i] as number)
      if (seg === undefined) ok = false
      else if ('kind' in seg) ok = globMatch(seg, item, from, to)
      else {
        const m = templateMatches(seg, ctx, item, from, to)
        if (m === INVALID) r = INVALID
        ok = m === MATCH
      }
    }
    if (ok) return MATCH
  }
  return shaped ? r : INVALID
}

/** MATCH if some value matches `item`; otherwise NO_MATCH, or INVALID if some value or `item` was unusable. */
function matchItem(c: CompiledCondition, item: string, ctx: Context): number {
  switch (c.kind) {
    case K_STR: {
      const x = c.ignoreCase ? item.toLowerCase() : item
      if (c.strings.includes(x)) return MATCH
      return c.templates.length === 0 ? NO_MATCH : templateEquals(c.templates, x, c.ignoreCase, ctx, NO_MATCH)
    }
    case K_LIKE: {
      for (const g of c.globs) if (globMatch(g, item)) return MATCH
      return c.templates.length === 0 ? NO_MATCH : templateLike(c.templates, item, ctx, NO_MATCH)
    }
    case K_NUM:
    case K_DATE: {
      const x = c.kind === K_NUM ? parseNumber(item) : memoDate(item)
      if (Number.isNaN(x)) return INVALID
      let r = NO_MATCH
      for (const v of c.numbers) {
        if (Number.isNaN(v)) r = INVALID
        else if (compare(c.cmp, x, v)) return MATCH
      }
      return r
    }
    case K_BOOL: {
      const x = item.toLowerCase()
      if (x !== 'true' && x !== 'false') return INVALID
      let r = NO_MATCH
      for (const v of c.strings) {
        if (v === x) return MATCH
        if (v !== 'true' && v !== 'false') r = INVALID
      }
      return c.templates.length === 0 ? r : templateEquals(c.templates, x, true, ctx, r)
    }
    case K_BIN:
      return c.strings.includes(item) ? MATCH : NO_MATCH
    case K_IP: {
      const ip = memoIp(item)
      if (ip === undefined) return INVALID
      let r = NO_MATCH
      for (const range of c.ranges) {
        if (range === undefined) r = INVALID
        else if (ipInRange(ip, range)) return MATCH
      }
      return r
    }
    case K_ARN:
      return arnMatch(c, item, ctx)
  }
  return INVALID
}

function holdsFor(c: CompiledCondition, item: string, ctx: Context): boolean {
  const r = matchItem(c, item, ctx)
  return c.negated ? r === NO_MATCH : r === MATCH
}

function evaluateCondition(c: CompiledCondition, ctx: Context): boolean {
  const value = lookup(c.key, ctx)
  if (c.kind === K_NULL) {
    const absent = value === undefined
    for (const expected of c.nulls) if (expected === absent) return true
    return false
  }
  if (value === undefined)
    return c.ifExists || c.quantifier === Q_ALL || (c.quantifier === Q_NONE && c.negated)
  if (typeof value === 'string') return holdsFor(c, value, ctx)
  if (c.quantifier === Q_NONE) return false
  if (c.quantifier === Q_ANY) {
    for (const item of value) if (holdsFor(c, item, ctx)) return true
    return false
  }
  for (const item of value) if (!holdsFor(c, item, ctx)) return false
  return true
}

/** Whether the clause holds for the current evaluation's context (memoised per evaluation). */
export function conditionHolds(c: CompiledCondition, ctx: Context): boolean {
  if (c.stamp === evaluation.id) return c.result
  const result = evaluateCondition(c, ctx)
  c.stamp = evaluation.id
  c.result = result
  return result
}

/** All clauses hold (clauses of one Condition block are ANDed). */
export function conditionsHold(conditions: readonly CompiledCondition[], ctx: Context): boolean {
  for (const c of conditions) if (!conditionHolds(c, ctx)) return false
  return true
}
