/**
 * The authorization decision (IAM User Guide, "Policy evaluation logic", "Cross-account policy
 * evaluation logic", "Permissions boundaries", "Session policies"):
 *
 * 1. An applicable Deny in any policy — identity, resource, permissions boundary, session — denies.
 * 2. Same account: allowed when the identity side allows (an identity policy allows AND the
 *    boundary, if any, allows AND the session policies, if any, allow), or when the resource policy
 *    grants the caller. A resource grant naming the caller's ARN (user, role session) or `*` is not
 *    limited by an implicit deny of the boundary; one naming the role of a role session is. Session
 *    policies limit every resource grant except one naming the session ARN itself. A grant to the
 *    account (`<acct>` / `:root`) only delegates to the identity side.
 * 3. Cross account: the identity side must allow AND the resource policy must grant the caller, its
 *    role or its account. `Principal: "*"` in a resource policy never suffices on its own.
 * 4. Key policies (KMS) and trust policies (STS) are not implicitly trusted even within the account:
 *    the identity side counts only if the policy grants the account (or the caller).
 * 5. The account root user has no identity policies: in its own account it may do anything a
 *    resource policy does not explicitly deny — except that a key policy must grant it and it cannot
 *    assume roles (STS: "Roles may not be assumed by root accounts"). Service and federated callers
 *    are decided by the resource (trust) policy alone.
 */
import type {
  CompiledPolicy,
  AuthorizationRequest,
  Decision,
  PolicySet,
  PolicyType,
  RequestPrincipal,
} from './evaluation-types.js'
import { conditionsHold } from './condition-eval.js'
import type { CompiledStatement } from './compile.js'
import { nextEvaluation } from './memo.js'
import {
  ACCOUNT,
  EXACT,
  ISSUER,
  NONE,
  WILDCARD,
  principalStrength,
  type Strength,
} from './principal-match.js'
import { resourceMatches, resourceView, type ResourceView } from './resource-match.js'

interface View {
  readonly action: string
  readonly resource: ResourceView
  readonly context: AuthorizationRequest['context']
  readonly principal: RequestPrincipal
  readonly hasBoundary: boolean
}

const ALLOW: Decision = Object.freeze({ effect: 'Allow' })

function explicit(policyType: PolicyType): Decision {
  return Object.freeze({ effect: 'Deny', explicit: true, policyType })
}
function implicit(missing: PolicyType): Decision {
  return Object.freeze({ effect: 'Deny', explicit: false, missing })
}
const EXPLICIT = {
  identity: explicit('identity'),
  resource: explicit('resource'),
  boundary: explicit('boundary'),
  session: explicit('session'),
}
const IMPLICIT = {
  identity: implicit('identity'),
  resource: implicit('resource'),
  boundary: implicit('boundary'),
  session: implicit('session'),
}

function applies(s: CompiledStatement, v: View): boolean {
  if (s.resources !== undefined && !resourceMatches(s.resources, v.resource, v.context)) return false
  return s.conditions.length === 0 || conditionsHold(s.conditions, v.context)
}

function denies(policy: CompiledPolicy, v: View): boolean {
  for (const s of policy.forAction(v.action).deny) if (applies(s, v)) return true
  return false
}

function allows(policy: CompiledPolicy, v: View): boolean {
  for (const s of policy.forAction(v.action).allow) if (applies(s, v)) return true
  return false
}

function anyAllows(policies: readonly CompiledPolicy[], v: View): boolean {
  for (const p of policies) if (allows(p, v)) return true
  return false
}

function strength(s: CompiledStatement, v: View): Strength {
  if (s.principal === undefined) return NONE
  return principalStrength(s.principal, v.principal, s.deny, v.hasBoundary)
}

function resourceDenies(policy: CompiledPolicy, v: View): boolean {
  for (const s of policy.forAction(v.action).deny) if (strength(s, v) !== NONE && applies(s, v)) return true
  return false
}

/** The strongest way an applicable Allow statement of the resource policy names the caller. */
function resourceGrant(policy: CompiledPolicy | undefined, v: View): Strength {
  if (policy === undefined) return NONE
  let best: Strength = NONE
  for (const s of policy.forAction(v.action).allow) {
    const k = strength(s, v)
    if (k > best && applies(s, v)) {
      best = k
      if (best === EXACT) break
    }
  }
  return best
}

export function evaluate(request: AuthorizationRequest, policies: PolicySet): Decision {
  nextEvaluation()
  const p = request.principal
  const resource = policies.resource
  const v: View = {
    action: request.action,
    resource: resourceView(request.resource),
    context: request.context,
    principal: p,
    hasBoundary: policies.boundary !== undefined,
  }
  const nonIam = p.service !== undefined || p.federated !== undefined
  const usesIdentity = !p.isRoot && !nonIam

  if (usesIdentity) for (const policy of policies.identity) if (denies(policy, v)) return EXPLICIT.identity
  if (resource !== undefined && resourceDenies(resource, v)) return EXPLICIT.resource
  if (usesIdentity && policies.boundary !== undefined && denies(policies.boundary, v))
    return EXPLICIT.boundary
  if (usesIdentity && policies.session !== undefined) {
    for (const policy of policies.session) if (denies(policy, v)) return EXPLICIT.session
  }

  const kind = resource?.document.kind
  const explicitTrust = kind === 'key' || kind === 'trust'
  const sameAccount = p.accountId === request.resourceAccountId
  if (nonIam) return resourceGrant(resource, v) > NONE ? ALLOW : IMPLICIT.resource
  if (p.isRoot) {
    if (kind === 'trust') return IMPLICIT.identity
    if (sameAccount && !explicitTrust) return ALLOW
    return resourceGrant(resource, v) > NONE ? ALLOW : IMPLICIT.resource
  }

  const identity = anyAllows(policies.identity, v)
  const boundaryOk = policies.boundary === undefined || (identity && allows(policies.boundary, v))
  const sessionOk = policies.session === undefined || (identity && anyAllows(policies.session, v))
  const identitySide = identity && boundaryOk && sessionOk
  if (identitySide && sameAccount && !explicitTrust) return ALLOW

  const grant = resourceGrant(resource, v)
  if (identitySide && grant >= ACCOUNT) return ALLOW
  if (!sameAccount) {
    if (!identity) return IMPLICIT.identity
    if (!boundaryOk) return IMPLICIT.boundary
    return sessionOk ? IMPLICIT.resource : IMPLICIT.session
  }
  if (grant >= ISSUER) {
    // The caller is named, but the grant may be limited by the boundary and the session policies.
    const sessionLimit = policies.session !== undefined && grant !== EXACT && !anyAllows(policies.session, v)
    const boundaryLimit = policies.boundary !== undefined && grant < WILDCARD && !allows(policies.boundary, v)
    if (!sessionLimit && !boundaryLimit) return ALLOW
    return sessionLimit ? IMPLICIT.session : IMPLICIT.boundary
  }
  if (identity && !boundaryOk) return IMPLICIT.boundary
  if (identity && !sessionOk) return IMPLICIT.session
  // A key or trust policy that grants nothing is what is missing; one that grants the account is not.
  return explicitTrust && grant === NONE ? IMPLICIT.resource : IMPLICIT.identity
}
