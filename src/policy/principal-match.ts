/**
 * Matching `Principal` / `NotPrincipal` of resource, key and trust policies against the caller.
 *
 * A match has a *strength*, because AWS treats a resource-policy grant differently depending on how
 * it names the caller (IAM User Guide, "Policy evaluation logic" → "Resource-based policies",
 * "Permissions boundaries" and "Session policies"):
 *
 * - EXACT: the statement names the caller's own ARN (user ARN, assumed-role *session* ARN). Within
 *   the account such a grant is limited neither by a permissions boundary nor by a session policy.
 * - WILDCARD: `"*"`, `{"AWS": "*"}`, or a `NotPrincipal` that does not exclude the caller. Treated
 *   like a direct grant for permissions boundaries (as iam-simulate does), but limited by session
 *   policies (AWS only exempts grants that name the session ARN).
 * - ISSUER: the statement names the role ARN of a role session. Limited by boundary and session.
 * - ACCOUNT: a 12-digit account id or `arn:aws:iam::<acct>:root`. This delegates to the account's
 *   IAM policies: the identity side must allow too, even within the account.
 */
import type { RequestPrincipal } from './evaluation-types.js'
import type { PrincipalBlock } from './types.js'

export const NONE = 0
export const ACCOUNT = 1
export const ISSUER = 2
export const WILDCARD = 3
export const EXACT = 4
export type Strength = typeof NONE | typeof ACCOUNT | typeof ISSUER | typeof WILDCARD | typeof EXACT

export interface CompiledPrincipal {
  readonly not: boolean
  /** `"Principal": "*"`: every caller, including service and federated callers. */
  readonly everyone: boolean
  /** `{"AWS": "*"}`: every AWS principal (IAM users, roles, sessions, account roots). */
  readonly anyAws: boolean
  readonly accounts: ReadonlySet<string>
  readonly arns: ReadonlySet<string>
  readonly services: ReadonlySet<string>
  readonly federated: ReadonlySet<string>
}

const ACCOUNT_ID = /^\d{12}$/
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/

export function compilePrincipal(block: PrincipalBlock): CompiledPrincipal {
  const set = block.principals
  const accounts = new Set<string>()
  const arns = new Set<string>()
  let anyAws = false
  if (set.kind === 'list') {
    for (const v of set.AWS ?? []) {
      if (v === '*') anyAws = true
      else if (ACCOUNT_ID.test(v)) accounts.add(v)
      else {
        const root = ROOT_ARN.exec(v)
        if (root?.[1] !== undefined) accounts.add(root[1])
        else arns.add(v)
      }
    }
  }
  return {
    not: block.not,
    everyone: set.kind === 'any',
    anyAws,
    accounts,
    arns,
    services: new Set(set.kind === 'list' ? (set.Service ?? []) : []),
    federated: new Set(set.kind === 'list' ? (set.Federated ?? []) : []),
  }
}

function positive(p: CompiledPrincipal, rp: RequestPrincipal): Strength {
  if (p.everyone) return rp.arn !== '' && p.arns.has(rp.arn) ? EXACT : WILDCARD
  if (rp.service !== undefined) return p.services.has(rp.service) ? EXACT : NONE
  if (rp.federated !== undefined) return p.federated.has(rp.federated) ? EXACT : NONE
  if (p.arns.has(rp.arn)) return EXACT
  if (p.anyAws) return WILDCARD
  if (rp.principalArn !== rp.arn && p.arns.has(rp.principalArn)) return ISSUER
  return p.accounts.has(rp.accountId) ? ACCOUNT : NONE
}

/**
 * NotPrincipal excludes a caller only when *every* identity the request carries is listed: the
 * account, the role (for role sessions) and the session or user itself (IAM User Guide,
 * "NotPrincipal": "…you must also include the account ARN… for role sessions, both the role ARN and
 * the assumed-role session ARN"). A partial list does not exclude.
 */
function excluded(p: CompiledPrincipal, rp: RequestPrincipal): boolean {
  if (p.everyone) return true
  if (rp.service !== undefined) return p.services.has(rp.service)
  if (rp.federated !== undefined) return p.federated.has(rp.federated)
  if (p.anyAws) return true
  if (!p.accounts.has(rp.accountId)) return false
  if (rp.isRoot) return true
  if (!p.arns.has(rp.arn)) return false
  return rp.principalArn === rp.arn || p.arns.has(rp.principalArn)
}

/**
 * How strongly the statement's principal element names the caller. A `Deny` with `NotPrincipal`
 * applies to every principal that has a permissions boundary, whatever it lists (IAM User Guide,
 * "Permissions boundaries for IAM entities").
 */
export function principalStrength(
  p: CompiledPrincipal,
  rp: RequestPrincipal,
  deny: boolean,
  hasBoundary: boolean,
): Strength {
  if (!p.not) return positive(p, rp)
  if (deny && hasBoundary) return WILDCARD
  return excluded(p, rp) ? NONE : WILDCARD
}
