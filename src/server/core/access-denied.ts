import type { Decision, PolicyType } from '../../policy/evaluation-types.js'

const EXPLICIT: Record<PolicyType, string> = {
  identity: 'an identity-based policy',
  resource: 'a resource-based policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
}

const MISSING: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
}

/**
 * AWS's AccessDenied text for a denial:
 * `User: <caller> is not authorized to perform: <action> on resource: <arn> because no identity-based
 * policy allows the <action> action`, or `… with an explicit deny in an identity-based policy` (and the
 * resource-based policy, permissions boundary and session policy variants). Actions without a resource
 * (`*`: ListSecrets, GetRandomPassword) have no ` on resource: …` part, as on AWS. STS gives no
 * reason for a refused role (a trust policy decides: `reason` false): `User: <caller> is not authorized
 * to perform: sts:AssumeRole on resource: <role arn>` (spec §6.2).
 */
export function accessDeniedMessage(
  callerArn: string,
  action: string,
  resource: string,
  decision: Exclude<Decision, { effect: 'Allow' }>,
  reason = true,
): string {
  const on = resource === '*' ? '' : ` on resource: ${resource}`
  const head = `User: ${callerArn} is not authorized to perform: ${action}${on}`
  if (!reason) return head
  return decision.explicit
    ? `${head} with an explicit deny in ${EXPLICIT[decision.policyType]}`
    : `${head} because no ${MISSING[decision.missing]} allows the ${action} action`
}
