import type { ContextValue } from '../../policy/evaluation-types.js'
import type { RequestContext } from './context.js'

/** What a request acts on, as authorization sees it. */
export interface AuthorizationTarget {
  /** The resource ARN, or `*` for actions without a resource. */
  readonly resource: string
  /** The account that owns the resource; the caller's account when absent. */
  readonly resourceAccountId?: string
  /** The resource-based policy that applies (secret policy, role trust policy, key policy), as JSON text. */
  readonly resourcePolicy?: string
  /** How to read `resourcePolicy` (default `resource`): a role's trust policy is `trust`, a KMS key policy `key`. */
  readonly resourcePolicyKind?: 'resource' | 'trust' | 'key'
  /** The resource's tags: `aws:ResourceTag/*` (and the service's own alias, e.g. `secretsmanager:ResourceTag/*`). */
  readonly resourceTags?: readonly { readonly Key: string; readonly Value: string }[]
  /** Service-specific and request condition keys, keys lower-cased (`secretsmanager:name`, `sts:externalid`, …). */
  readonly context?: ReadonlyMap<string, ContextValue>
}

/** `*` in the caller's account: the target of actions that don't act on one resource. */
export const ANY_RESOURCE: AuthorizationTarget = { resource: '*' }

/**
 * Decides whether a request may run: default deny, AWS's policy evaluation over identity, resource,
 * boundary and session policies. Throws `AccessDeniedException` with AWS's message otherwise.
 */
export interface Authorizer {
  check(ctx: RequestContext, action: string, target: AuthorizationTarget): Promise<void>
}
