import {
  compilePolicyText,
  evaluate,
  type ContextValue,
  type RequestPrincipal,
} from '../../../../policy/index.js'
import type { RoleRecord } from '../store.js'

/**
 * Whether a role's trust policy alone lets `principal` perform `action` (`sts:AssumeRole*`) on the
 * role: the decision for callers that have no identity policies — federated identities
 * (AssumeRoleWithWebIdentity) and AWS services assuming an execution role (`lambda.amazonaws.com`).
 * A trust policy that does not compile allows nothing.
 */
export function trustPolicyAllows(
  role: Pick<RoleRecord, 'arn' | 'accountId' | 'assumeRolePolicy'>,
  principal: RequestPrincipal,
  action: string,
  context: ReadonlyMap<string, ContextValue>,
): boolean {
  const trust = compilePolicyText(role.assumeRolePolicy, 'trust')
  if (!trust.ok) return false
  const decision = evaluate(
    { principal, action, resource: role.arn, resourceAccountId: role.accountId, context },
    { identity: [], resource: trust.policy },
  )
  return decision.effect === 'Allow'
}

/** An AWS service as policies see it when it calls as a service principal (`lambda.amazonaws.com`). */
export function servicePrincipal(service: string, accountId: string): RequestPrincipal {
  return { arn: service, accountId, principalArn: service, isRoot: false, userId: service, service }
}
