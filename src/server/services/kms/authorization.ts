import { AccessDeniedException } from '../../../lib/aws/errors.js'
import type { ContextValue } from '../../../policy/evaluation-types.js'
import type { AuthorizationTarget } from '../../core/authorize.js'
import type { RequestContext } from '../../core/context.js'
import type { EncryptionContext } from './encryption-context.js'
import { msg } from './messages.js'
import { effectivePolicy } from './policy.js'
import type { KeyRecord, KeyTag } from './store.js'

export interface KeyRequestFacts {
  /** The account of the caller (`kms:CallerAccount`). */
  readonly callerAccountId: string
  /** The alias the request named the key by (`kms:RequestAlias`). */
  readonly alias?: string
  /** The request's encryption context (`kms:EncryptionContext:<k>`, `kms:EncryptionContextKeys`). */
  readonly encryptionContext?: EncryptionContext
  /** Cryptographic operations: `kms:EncryptionAlgorithm`. */
  readonly encryptionAlgorithm?: string
  /** Set when another service uses the key for its caller: `kms:ViaService`, e.g. `secretsmanager.us-east-1.amazonaws.com`. */
  readonly viaService?: string
  /** Further condition keys, already lower-cased. */
  readonly conditions?: Readonly<Record<string, ContextValue>>
}

/**
 * What the core authorizes for a request on a key: the key ARN, its owner, its key policy (read with
 * KMS's rules: the identity side counts only where the key policy lets it), its tags, and KMS's
 * condition keys (lower-cased). Exported for the services that use keys on their callers' behalf
 * (Secrets Manager, SSM), which pass `viaService`.
 */
export function keyTarget(key: KeyRecord, facts: KeyRequestFacts): AuthorizationTarget {
  const context = new Map<string, ContextValue>([
    ['kms:calleraccount', facts.callerAccountId],
    ['kms:keyorigin', 'AWS_KMS'],
    ['kms:keyspec', 'SYMMETRIC_DEFAULT'],
    ['kms:keyusage', 'ENCRYPT_DECRYPT'],
    ['kms:multiregion', 'false'],
  ])
  if (facts.alias !== undefined) context.set('kms:requestalias', facts.alias)
  if (facts.viaService !== undefined) context.set('kms:viaservice', facts.viaService)
  if (facts.encryptionAlgorithm !== undefined)
    context.set('kms:encryptionalgorithm', facts.encryptionAlgorithm)
  if (facts.encryptionContext !== undefined) {
    const keys = Object.keys(facts.encryptionContext)
    for (const k of keys) {
      context.set(`kms:encryptioncontext:${k.toLowerCase()}`, facts.encryptionContext[k] ?? '')
    }
    context.set('kms:encryptioncontextkeys', keys)
  }
  for (const [k, v] of Object.entries(facts.conditions ?? {})) context.set(k, v)
  return {
    resource: key.arn,
    resourceAccountId: key.accountId,
    resourcePolicy: effectivePolicy(key),
    resourcePolicyKind: 'key',
    resourceTags: key.tags.map((tag) => ({ Key: tag.TagKey, Value: tag.TagValue })),
    context,
  }
}

/** `aws:RequestTag/<key>` and `aws:TagKeys` for requests that carry tags (CreateKey, TagResource). */
export function requestTagConditions(tags: readonly KeyTag[]): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = { 'aws:tagkeys': tags.map((tag) => tag.TagKey) }
  for (const tag of tags) out[`aws:requesttag/${tag.TagKey.toLowerCase()}`] = tag.TagValue
  return out
}

/** Read-only actions the policy of an AWS-managed key grants its account directly. */
const MANAGED_KEY_DIRECT = /^kms:(Describe|Get|List)/

/**
 * An AWS-managed key's policy allows its account only to read the key directly; everything else only
 * through its service (`kms:ViaService`), which direct KMS calls never are. Refused here as AWS's
 * policy evaluation refuses it, whatever authorizer is configured.
 */
export function assertManagedKeyAllows(ctx: RequestContext, action: string, key: KeyRecord): void {
  if (key.keyManager !== 'AWS' || MANAGED_KEY_DIRECT.test(action)) return
  throw new AccessDeniedException(msg.managedKeyDenied(ctx.principal.arn, action, key.arn))
}
