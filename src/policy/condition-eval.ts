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
import type { CompiledCondition } from './condition-compile.js'
import { CMP_EQ, CMP_GE, CMP_GT, CMP_LE, CMP_LT, Q_ALL, Q_ANY, Q_NONE, parseDate, parseNumber } from './condition-compile.js'
import type { ContextValue } from './evaluation-types.js'
import { codesMatch, globMatch } from './glob.js'
import { ipInRange, parseIp, type IpRange } from './ip.js'
import { resolveCodes, resolveText, scratchCodes, type Template } from './variables.js'

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
    const n = resolveCodes(t, ctx)
    if (n < 0) r = INVALID
    else if (codesMatch(scratchCodes(), n, item, 0, item.length)) return MATCH
  }
  return r
}

function templateEquals(templates: readonly Template[], x: string, fold: boolean, ctx: Context, r: number): number {
  for (const t of templates) {
    const s = resolveText(t, ctx)
    if (s === undefined) r = INVALID
    else if ((fold ? s.toLowerCase() : s) === x) return MATCH
  }
  return r
}

/** Offsets of the first five colons of an ARN-shaped value, into `out`; false if there are fewer. */
export function arnColons(text: string, out: Int32Array): boolean {
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

function arnMatch(c: Extract<CompiledCondition, { kind: 'arn' }>, item: string, ctx: Context): number {
  const shaped = arnColons(item, colons)
  let r = NO_MATCH
  for (const v of c.fixed) {
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
        const n = resolveCodes(seg, ctx)
        if (n < 0) {
          r = INVALID
          ok = false
        } else ok = codesMatch(scratchCodes(), n, item, from, to)
      }
    }
    if (ok) return MATCH
  }
  return shaped ? r : INVALID
}

/** MATCH if some value matches `item`; otherwise NO_MATCH, or INVALID if some value or `item` was unusable. */
function matchItem(c: CompiledCondition, item: string, ctx: Context): number {
  switch (c.kind) {
    case 'str': {
      const x = c.ignoreCase ? item.toLowerCase() : item
      if (c.fixed.includes(x)) return MATCH
      return c.templates.length === 0 ? NO_MATCH : templateEquals(c.templates, x, c.ignoreCase, ctx, NO_MATCH)
    }
    case 'like': {
      for (const g of c.fixed) if (globMatch(g, item)) return MATCH
      return c.templates.length === 0 ? NO_MATCH : templateLike(c.templates, item, ctx, NO_MATCH)
    }
    case 'num':
    case 'date': {
      const x = c.kind === 'num' ? parseNumber(item) : memoDate(item)
      if (Number.isNaN(x)) return INVALID
      let r = NO_MATCH
      for (const v of c.fixed) {
        if (Number.isNaN(v)) r = INVALID
        else if (compare(c.cmp, x, v)) return MATCH
      }
      return r
    }
    case 'bool': {
      const x = item.toLowerCase()
      if (x !== 'true' && x !== 'false') return INVALID
      let r = NO_MATCH
      for (const v of c.fixed) {
        if (v === x) return MATCH
        if (v !== 'true' && v !== 'false') r = INVALID
      }
      return c.templates.length === 0 ? r : templateEquals(c.templates, x, true, ctx, r)
    }
    case 'bin':
      return c.fixed.includes(item) ? MATCH : NO_MATCH
    case 'ip': {
      const ip = memoIp(item)
      if (ip === undefined) return INVALID
      let r = NO_MATCH
      for (const range of c.fixed) {
        if (range === undefined) r = INVALID
        else if (ipInRange(ip, range)) return MATCH
      }
      return r
    }
    case 'arn':
      return arnMatch(c, item, ctx)
    case 'null':
      return INVALID
  }
}

function holdsFor(c: CompiledCondition, item: string, ctx: Context): boolean {
  const r = matchItem(c, item, ctx)
  return c.negated ? r === NO_MATCH : r === MATCH
}

export function conditionHolds(c: CompiledCondition, ctx: Context): boolean {
  const value = ctx.get(c.key)
  if (c.kind === 'null') {
    const absent = value === undefined
    for (const expected of c.fixed) if (expected === absent) return true
    return false
  }
  if (value === undefined) return c.ifExists || c.quantifier === Q_ALL || (c.quantifier === Q_NONE && c.negated)
  if (typeof value === 'string') return holdsFor(c, value, ctx)
  if (c.quantifier === Q_NONE) return false
  if (c.quantifier === Q_ANY) {
    for (const item of value) if (holdsFor(c, item, ctx)) return true
    return false
  }
  for (const item of value) if (!holdsFor(c, item, ctx)) return false
  return true
}

/** All clauses hold (clauses of one Condition block are ANDed). */
export function conditionsHold(conditions: readonly CompiledCondition[], ctx: Context): boolean {
  for (const c of conditions) if (!conditionHolds(c, ctx)) return false
  return true
}
