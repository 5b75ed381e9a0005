/**
 * Policy compilation: a parsed `PolicyDocument` becomes matchers built once — lower-cased action
 * globs, ARN-aware resource matchers, principal sets, pre-parsed condition values — and is cached
 * per document (`WeakMap`), so the hot path never re-parses or re-compiles.
 *
 * Each compiled policy also remembers, per action name, which of its statements can apply (split
 * into Deny and Allow), so an evaluation only looks at statements for the requested action.
 */
import { compileCondition, type CompiledCondition } from './condition-compile.js'
import { parsePolicy } from './document.js'
import type { CompiledPolicy } from './evaluation-types.js'
import type { Finding } from './findings.js'
import { compilePrincipal, type CompiledPrincipal } from './principal-match.js'
import {
  actionMatches,
  compileActions,
  compileResources,
  type ActionMatcher,
  type ResourceMatcher,
} from './resource-match.js'
import type { PolicyDocument, PolicyKind, PolicyStatement } from './types.js'

export interface CompiledStatement {
  readonly source: PolicyStatement
  readonly deny: boolean
  readonly actions: ActionMatcher
  /** `undefined` for trust policies (no Resource element: the role is the resource). */
  readonly resources: ResourceMatcher | undefined
  /** `undefined` for identity policies, boundaries and session policies. */
  readonly principal: CompiledPrincipal | undefined
  readonly conditions: readonly CompiledCondition[]
}

/** The statements of one policy whose Action/NotAction covers a given action. */
export interface ActionStatements {
  readonly deny: readonly CompiledStatement[]
  readonly allow: readonly CompiledStatement[]
}

// Action names come from the server's operation table, but bound the memo anyway.
const ACTION_MEMO_LIMIT = 512
const TEXT_CACHE_LIMIT = 1024

function compileStatement(s: PolicyStatement, variables: boolean): CompiledStatement {
  return {
    source: s,
    deny: s.effect === 'Deny',
    actions: compileActions(s.action),
    resources: s.resource === undefined ? undefined : compileResources(s.resource, variables),
    principal: s.principal === undefined ? undefined : compilePrincipal(s.principal),
    conditions: s.conditions.map((c) => compileCondition(c, variables)),
  }
}

class Compiled implements CompiledPolicy {
  readonly document: PolicyDocument
  readonly statements: readonly CompiledStatement[]
  private readonly byAction = new Map<string, ActionStatements>()

  constructor(document: PolicyDocument) {
    this.document = document
    // IAM substitutes policy variables only in Version 2012-10-17 documents.
    const variables = document.version === '2012-10-17'
    this.statements = document.statements.map((s) => compileStatement(s, variables))
  }

  forAction(action: string): ActionStatements {
    let hit = this.byAction.get(action)
    if (hit === undefined) {
      const lower = action.toLowerCase()
      const deny: CompiledStatement[] = []
      const allow: CompiledStatement[] = []
      for (const s of this.statements) if (actionMatches(s.actions, lower)) (s.deny ? deny : allow).push(s)
      hit = { deny, allow }
      if (this.byAction.size >= ACTION_MEMO_LIMIT) this.byAction.clear()
      this.byAction.set(action, hit)
    }
    return hit
  }
}

const byDocument = new WeakMap<PolicyDocument, CompiledPolicy>()

/** Compiles a parsed policy; the same document always yields the same compiled policy. */
export function compilePolicy(doc: PolicyDocument): CompiledPolicy {
  let compiled = byDocument.get(doc)
  if (compiled === undefined) {
    compiled = new Compiled(doc)
    byDocument.set(doc, compiled)
  }
  return compiled
}

export type CompileResult =
  | { readonly ok: true; readonly policy: CompiledPolicy; readonly findings: readonly Finding[] }
  | { readonly ok: false; readonly errors: readonly Finding[] }

const byText: Record<PolicyKind, Map<string, CompileResult>> = {
  identity: new Map(),
  resource: new Map(),
  trust: new Map(),
  key: new Map(),
}

/**
 * Parses (`parsePolicy`) and compiles policy text, remembering the result per (kind, text) — the
 * server calls this with stored policy texts on every request. The memo is bounded (oldest entries
 * are dropped first). Invalid texts are remembered too, with their errors.
 */
export function compilePolicyText(text: string, kind: PolicyKind): CompileResult {
  const cache = byText[kind]
  let result = cache.get(text)
  if (result === undefined) {
    const parsed = parsePolicy(text, kind)
    result = parsed.ok
      ? { ok: true, policy: compilePolicy(parsed.policy), findings: parsed.findings }
      : { ok: false, errors: parsed.errors }
    if (cache.size >= TEXT_CACHE_LIMIT) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
    cache.set(text, result)
  }
  return result
}
