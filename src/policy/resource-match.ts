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
import { globFromCodes, globMatch, codesMatch, type Glob } from './glob.js'
import { arnColons } from './condition-eval.js'
import type { ContextValue } from './evaluation-types.js'
import type { MatchList } from './types.js'
import { parseValue, resolveCodes, scratchCodes, type Template } from './variables.js'

export interface ActionMatcher {
  readonly not: boolean
  readonly globs: readonly Glob[]
}

export function compileActions(list: MatchList): ActionMatcher {
  return { not: list.not, globs: list.values.map((v) => globFromCodes(parseValue(v.toLowerCase(), true, false) as number[])) }
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
  /** `arn`, partition, service, region, account: lower-cased matchers (empty when `any`). */
  readonly header: readonly Glob[]
  readonly rest: Glob | Template | undefined
}

export interface ResourceMatcher {
  readonly not: boolean
  readonly patterns: readonly ResourcePattern[]
}

function compilePattern(text: string, variables: boolean): ResourcePattern {
  if (text === '*') return { any: true, header: [], rest: undefined }
  const header: Glob[] = []
  let from = 0
  for (let i = 0; i < 5; i++) {
    const at = text.indexOf(':', from)
    // The parser only admits ARNs with six segments; be defensive anyway.
    if (at < 0) return { any: false, header: [], rest: undefined }
    header.push(globFromCodes(parseValue(text.slice(from, at).toLowerCase(), true, false) as number[]))
    from = at + 1
  }
  const parsed = parseValue(text.slice(from), true, variables)
  return { any: false, header, rest: Array.isArray(parsed) ? globFromCodes(parsed) : parsed }
}

export function compileResources(list: MatchList, variables: boolean): ResourceMatcher {
  return { not: list.not, patterns: list.values.map((v) => compilePattern(v, variables)) }
}

/** The request resource, pre-split once per evaluation. */
export interface ResourceView {
  readonly text: string
  /** False for `*` and anything else that is not `arn:p:s:r:a:rest`. */
  readonly shaped: boolean
  /** `text` up to its fifth colon, lower-cased. */
  readonly header: string
  readonly colons: Int32Array
}

export function resourceView(text: string): ResourceView {
  const colons = new Int32Array(5)
  const shaped = arnColons(text, colons)
  const end = shaped ? (colons[4] as number) : 0
  return { text, shaped, header: shaped ? text.slice(0, end).toLowerCase() : '', colons }
}

const MATCH = 1
const NO_MATCH = 0
const INVALID = -1

function patternMatch(p: ResourcePattern, r: ResourceView, ctx: ReadonlyMap<string, ContextValue>): number {
  if (p.any) return MATCH
  if (!r.shaped || p.rest === undefined) return NO_MATCH
  for (let i = 0; i < 5; i++) {
    const g = p.header[i]
    const from = i === 0 ? 0 : (r.colons[i - 1] as number) + 1
    if (g === undefined || !globMatch(g, r.header, from, r.colons[i] as number)) return NO_MATCH
  }
  const from = (r.colons[4] as number) + 1
  if ('kind' in p.rest) return globMatch(p.rest, r.text, from, r.text.length) ? MATCH : NO_MATCH
  const n = resolveCodes(p.rest, ctx)
  if (n < 0) return INVALID
  return codesMatch(scratchCodes(), n, r.text, from, r.text.length) ? MATCH : NO_MATCH
}

export function resourceMatches(
  m: ResourceMatcher,
  r: ResourceView,
  ctx: ReadonlyMap<string, ContextValue>,
): boolean {
  if (!m.not) {
    for (const p of m.patterns) if (patternMatch(p, r, ctx) === MATCH) return true
    return false
  }
  for (const p of m.patterns) if (patternMatch(p, r, ctx) !== NO_MATCH) return false
  return true
}
