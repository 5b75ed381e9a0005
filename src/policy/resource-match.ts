/**
 * `Action`/`NotAction` and `Resource`/`NotResource` matchers.
 *
 * Actions match case-insensitively, service prefix included (`SecretsManager:getsecretvalue` is
 * `secretsmanager:GetSecretValue`); `*` and `?` are wildcards in the action name.
 *
 * Resources are compared ARN-aware, as iam-simulate does and as the IAM User Guide describes
 * ("IAM JSON policy elements: Resource" → "Including wildcard characters in the resource ARN"):
 * the partition, service, region and account segments are matched one by one (wildcards stay
 * inside their segment; case-insensitive, since these segments are canonical lower-case names and a
 * Deny written `arn:aws:SecretsManager:…` must still apply); the resource segment — everything after
 * the fifth colon — is matched case-sensitively and there `*` spans `:` and `/`. A policy resource
 * `*` matches everything, including the `*` of actions without a resource; any ARN pattern does not
 * match a request for `*`. Policy variables are substituted in the resource segment only
 * (2012-10-17), and an unresolvable one makes that value match nothing — for `NotResource` it makes
 * the whole element not match (the statement then does not apply), as in iam-simulate.
 */
import { globFromCodes, globMatch, type Glob } from './glob.js'
import type { ContextValue } from './evaluation-types.js'
import { Interner, evaluation } from './memo.js'
import type { MatchList } from './types.js'
import { parseValue, templateMatches, type Template } from './variables.js'

export interface ActionMatcher {
  readonly not: boolean
  readonly globs: readonly Glob[]
}

export function compileActions(list: MatchList): ActionMatcher {
  return {
    not: list.not,
    globs: list.values.map((v) => globFromCodes(parseValue(v.toLowerCase(), true, false) as number[])),
  }
}

export function actionMatches(m: ActionMatcher, actionLower: string): boolean {
  let hit = false
  for (const g of m.globs) {
    if (globMatch(g, actionLower)) {
      hit = true
      break
    }
  }
  return hit !== m.not
}

interface ResourcePattern {
  readonly any: boolean
  /** `arn`, partition, service, region, account: lower-cased matchers (empty when not ARN-shaped). */
  readonly header: readonly Glob[]
  /** The resource segment: a fixed matcher, or a template with policy variables. */
  readonly glob: Glob | undefined
  readonly template: Template | undefined
  /**
   * Memos. The header (and, without variables, the whole match) depends only on the resource, so
   * it is remembered for the last resource view seen; a template match depends on the context too
   * and is remembered for the current evaluation (see memo.ts).
   */
  view: ResourceView | undefined
  viewResult: number
  stamp: number
  result: number
}

export interface ResourceMatcher {
  readonly not: boolean
  readonly patterns: readonly ResourcePattern[]
}

const interned = new Interner<ResourcePattern>()

function pattern(any: boolean, header: Glob[], glob?: Glob, template?: Template): ResourcePattern {
  return { any, header, glob, template, view: undefined, viewResult: 0, stamp: 0, result: 0 }
}

function compilePattern(text: string, variables: boolean): ResourcePattern {
  if (text === '*') return pattern(true, [])
  const header: Glob[] = []
  let from = 0
  for (let i = 0; i < 5; i++) {
    const at = text.indexOf(':', from)
    // The parser only admits ARNs with six segments; be defensive anyway.
    if (at < 0) return pattern(false, [])
    header.push(globFromCodes(parseValue(text.slice(from, at).toLowerCase(), true, false) as number[]))
    from = at + 1
  }
  const parsed = parseValue(text.slice(from), true, variables)
  return Array.isArray(parsed)
    ? pattern(false, header, globFromCodes(parsed))
    : pattern(false, header, undefined, parsed)
}

/** Identical resource values (and version) share one pattern, so its result is memoised once. */
export function compileResources(list: MatchList, variables: boolean): ResourceMatcher {
  const patterns = list.values.map((v) =>
    interned.get(`${variables ? 1 : 0}${v}`, () => compilePattern(v, variables)),
  )
  return { not: list.not, patterns }
}

/** The request resource, pre-split once per evaluation. */
export interface ResourceView {
  readonly text: string
  /** False for `*` and anything else that is not `arn:p:s:r:a:rest`. */
  readonly shaped: boolean
  /** `text` up to its fifth colon, lower-cased (usually `text` itself: ARNs are lower-case there). */
  readonly header: string
  /** Offsets of the first five colons. */
  readonly c0: number
  readonly c1: number
  readonly c2: number
  readonly c3: number
  readonly c4: number
}

function makeView(text: string): ResourceView {
  const c0 = text.indexOf(':')
  const c1 = c0 < 0 ? -1 : text.indexOf(':', c0 + 1)
  const c2 = c1 < 0 ? -1 : text.indexOf(':', c1 + 1)
  const c3 = c2 < 0 ? -1 : text.indexOf(':', c2 + 1)
  const c4 = c3 < 0 ? -1 : text.indexOf(':', c3 + 1)
  const shaped = c4 >= 0
  return { text, shaped, header: shaped ? text.slice(0, c4).toLowerCase() : '', c0, c1, c2, c3, c4 }
}

const VIEW_LIMIT = 4096
const views = new Map<string, ResourceView>()

/** The view of a request resource, shared by all requests for the same resource (bounded memo). */
export function resourceView(text: string): ResourceView {
  let v = views.get(text)
  if (v === undefined) {
    if (views.size >= VIEW_LIMIT) views.clear()
    v = makeView(text)
    views.set(text, v)
  }
  return v
}

// Match results; -1 (a variable could not be resolved) comes from `templateMatches`.
const MATCH = 1
const NO_MATCH = 0

function headerMatches(p: ResourcePattern, r: ResourceView): boolean {
  const h = p.header
  const s = r.header
  return (
    h.length === 5 &&
    globMatch(h[0] as Glob, s, 0, r.c0) &&
    globMatch(h[1] as Glob, s, r.c0 + 1, r.c1) &&
    globMatch(h[2] as Glob, s, r.c1 + 1, r.c2) &&
    globMatch(h[3] as Glob, s, r.c2 + 1, r.c3) &&
    globMatch(h[4] as Glob, s, r.c3 + 1, r.c4)
  )
}

/** Header and resource segment of a pattern without variables: a function of the resource alone. */
function fixedMatch(p: ResourcePattern, r: ResourceView): number {
  if (!r.shaped || !headerMatches(p, r)) return NO_MATCH
  if (p.glob === undefined) return NO_MATCH
  return globMatch(p.glob, r.text, r.c4 + 1, r.text.length) ? MATCH : NO_MATCH
}

function templateMatch(
  p: ResourcePattern,
  t: Template,
  r: ResourceView,
  ctx: ReadonlyMap<string, ContextValue>,
): number {
  if (p.view !== r) {
    p.view = r
    p.viewResult = r.shaped && headerMatches(p, r) ? MATCH : NO_MATCH
  }
  if (p.viewResult !== MATCH) return NO_MATCH
  return templateMatches(t, ctx, r.text, r.c4 + 1, r.text.length)
}

function memoMatch(p: ResourcePattern, r: ResourceView, ctx: ReadonlyMap<string, ContextValue>): number {
  if (p.any) return MATCH
  const t = p.template
  if (t === undefined) {
    if (p.view !== r) {
      p.view = r
      p.viewResult = fixedMatch(p, r)
    }
    return p.viewResult
  }
  if (p.stamp !== evaluation.id) {
    p.stamp = evaluation.id
    p.result = templateMatch(p, t, r, ctx)
  }
  return p.result
}

export function resourceMatches(
  m: ResourceMatcher,
  r: ResourceView,
  ctx: ReadonlyMap<string, ContextValue>,
): boolean {
  if (!m.not) {
    for (const p of m.patterns) if (memoMatch(p, r, ctx) === MATCH) return true
    return false
  }
  for (const p of m.patterns) if (memoMatch(p, r, ctx) !== NO_MATCH) return false
  return true
}
