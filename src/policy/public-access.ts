/**
 * Public / cross-account access analysis for resource policies (Secrets Manager `BlockPublicPolicy`,
 * `ValidateResourcePolicy`).
 *
 * AWS uses an SMT-based reasoner (Zelkova); we use a conservative syntactic approximation:
 *  - An `Allow` statement is *broad* when its principal is `*` / `{"AWS": "*"}`, or it uses
 *    `NotPrincipal` (everyone except a list) without excluding everyone.
 *  - A broad statement is *narrowed* by any single condition clause that pins an identifying key
 *    (account, org, principal ARN, source account/ARN/VPC/IP, user id/name) to concrete values with
 *    a positive equality/like operator. `...IfExists` and `ForAllValues:` let requests without the
 *    key through, so they do not narrow; neither do wildcard values or 0.0.0.0/0-style ranges.
 *  - A *fence* — a `Deny` for all principals/actions/resources that applies to everyone outside a
 *    concrete set (negated operator on an identifying key, or `NotPrincipal` with a concrete list) —
 *    narrows every broad statement whose actions it covers.
 * Anything we cannot prove narrow counts as public: a false "public" only makes BlockPublicPolicy
 * refuse a policy, a false "not public" would expose a secret.
 */
import { principalAccount } from './principal.js'
import type { ConditionClause, PolicyDocument, PolicyStatement, PrincipalBlock } from './types.js'

const IDENTIFYING_KEYS: ReadonlySet<string> = new Set([
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalarn',
  'aws:sourceaccount',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:userid',
  'aws:username',
  'aws:sourceip',
])
const ARN_KEYS: ReadonlySet<string> = new Set(['aws:principalarn', 'aws:sourcearn'])
const ACCOUNT_KEYS: ReadonlySet<string> = new Set(['aws:principalaccount', 'aws:sourceaccount'])

const POSITIVE_OPS: ReadonlySet<string> = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
])
const NEGATED_OPS: ReadonlySet<string> = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
])
const WHOLE_RANGES: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0'])
const ACCOUNT_ID = /^\d{12}$/

/** The account field of an ARN value, when it is a literal account id. */
function arnAccount(value: string): string | undefined {
  const account = value.split(':')[4]
  return account !== undefined && ACCOUNT_ID.test(account) ? account : undefined
}

/** A value that identifies a bounded set: no wildcard, or an ARN pinned to a literal account. */
function isConcrete(c: ConditionClause, value: string): boolean {
  if (c.keyLower === 'aws:sourceip') return !WHOLE_RANGES.has(value)
  if (!value.includes('*') && !value.includes('?')) return true
  return ARN_KEYS.has(c.keyLower) && arnAccount(value) !== undefined
}

function pinsIdentity(c: ConditionClause, operators: ReadonlySet<string>, ipOperator: string): boolean {
  if (!IDENTIFYING_KEYS.has(c.keyLower) || c.values.length === 0) return false
  const opOk = c.keyLower === 'aws:sourceip' ? c.base === ipOperator : operators.has(c.base)
  return opOk && c.values.every((v) => isConcrete(c, v))
}

/** Allow-side: the statement only applies when the key matches one of the concrete values. */
function narrows(c: ConditionClause): boolean {
  return !c.ifExists && c.quantifier !== 'ForAllValues' && pinsIdentity(c, POSITIVE_OPS, 'IpAddress')
}

function coversEveryone(p: PrincipalBlock): boolean {
  const s = p.principals
  return s.kind === 'any' || s.AWS?.includes('*') === true
}

function isBroad(s: PolicyStatement): boolean {
  if (s.principal === undefined) return false
  return s.principal.not ? !coversEveryone(s.principal) : coversEveryone(s.principal)
}

function isFence(s: PolicyStatement): boolean {
  if (s.effect !== 'Deny' || s.principal === undefined || s.action.not) return false
  if (s.resource !== undefined && (s.resource.not || !s.resource.values.includes('*'))) return false
  if (s.principal.not) return !coversEveryone(s.principal) && s.conditions.length === 0
  if (!coversEveryone(s.principal) || s.conditions.length !== 1) return false
  const c = s.conditions[0]
  // For a Deny, IfExists on a negated operator denies when the key is absent: still a fence.
  return c !== undefined && c.quantifier === undefined && pinsIdentity(c, NEGATED_OPS, 'NotIpAddress')
}

/** Whether every action the allow statement grants is also denied by the fence. */
function fenceCovers(fence: PolicyStatement, allow: PolicyStatement): boolean {
  const fenced = fence.action.values.map((v) => v.toLowerCase())
  if (fenced.includes('*')) return true
  if (allow.action.not) return false
  return allow.action.values.every((a) => {
    const lower = a.toLowerCase()
    return fenced.some((f) => f.endsWith(':*') && lower.startsWith(f.slice(0, -1)))
  })
}

function isPublicStatement(s: PolicyStatement, fences: readonly PolicyStatement[]): boolean {
  if (s.effect !== 'Allow' || !isBroad(s)) return false
  if (s.conditions.some(narrows)) return false
  return !fences.some((f) => fenceCovers(f, s))
}

/** True when some Allow statement grants access to anyone (any principal, any account). */
export function grantsPublicAccess(policy: PolicyDocument, _ownerAccountId: string): boolean {
  return publicStatements(policy).length > 0
}

/** The Allow statements that grant public access (for findings that point at them). */
export function publicStatements(policy: PolicyDocument): PolicyStatement[] {
  const fences = policy.statements.filter(isFence)
  return policy.statements.filter((s) => isPublicStatement(s, fences))
}

/** Accounts named by a narrowing condition (`aws:PrincipalAccount`, `aws:PrincipalArn`, ...). */
function conditionAccounts(c: ConditionClause): string[] {
  if (!narrows(c)) return []
  if (ACCOUNT_KEYS.has(c.keyLower)) return c.values.filter((v) => ACCOUNT_ID.test(v))
  if (ARN_KEYS.has(c.keyLower)) return c.values.map(arnAccount).filter((a): a is string => a !== undefined)
  return []
}

/**
 * Accounts other than the owner that Allow statements grant access to, in order of appearance:
 * accounts of listed `AWS` principals, and accounts that conditions pin a broad principal to.
 * Public grants (`*`) are not accounts; use `grantsPublicAccess` for those.
 */
export function crossAccountPrincipals(policy: PolicyDocument, ownerAccountId: string): string[] {
  const accounts = new Set<string>()
  for (const s of policy.statements) {
    if (s.effect !== 'Allow' || s.principal === undefined || s.principal.not) continue
    const set = s.principal.principals
    if (set.kind === 'list') {
      for (const p of set.AWS ?? []) {
        const account = principalAccount(p)
        if (account !== undefined) accounts.add(account)
      }
    }
    if (isBroad(s)) for (const c of s.conditions) for (const a of conditionAccounts(c)) accounts.add(a)
  }
  accounts.delete(ownerAccountId)
  return [...accounts]
}
