import type { ContextValue } from '../../../policy/evaluation-types.js'
import type { AuthorizationTarget } from '../../core/authorize.js'
import type { RequestContext } from '../../core/context.js'
import type { SecretsManagerDeps } from './deps.js'
import { parseSecretArn } from './domain/names.js'
import type { SecretRecord } from './store.js'

/** Condition keys of one request (lower-cased names); entries whose value is undefined are left out. */
export type ContextKeys = readonly (readonly [string, ContextValue | undefined])[]

/**
 * What authorization sees of a request on one secret: the secret's ARN, account, resource policy and
 * tags, and `secretsmanager:SecretId` (the ARN) with the operation's own keys. A secret that doesn't
 * exist is still a resource — `arn:aws:secretsmanager:<region>:<account>:secret:<name>` in the
 * caller's account, or the ARN as given — so a caller without permission learns AccessDenied, not
 * whether the secret exists (AWS's behaviour).
 */
export function secretTarget(
  ctx: RequestContext,
  secretId: string,
  secret: SecretRecord | undefined,
  keys: ContextKeys = [],
): AuthorizationTarget {
  const base = secret === undefined ? unresolvedTarget(ctx, secretId) : targetOf(secret)
  let context: Map<string, ContextValue> | undefined
  for (const [key, value] of keys) {
    if (value === undefined) continue
    context ??= new Map(base.context)
    context.set(key, value)
  }
  return context === undefined ? base : { ...base, context }
}

/** Per secret record (records are cached until stored data changes): the common case allocates nothing. */
const targets = new WeakMap<SecretRecord, AuthorizationTarget>()

function targetOf(secret: SecretRecord): AuthorizationTarget {
  let target = targets.get(secret)
  if (target === undefined) {
    target = {
      resource: secret.arn,
      resourceAccountId: secret.accountId,
      ...(secret.resourcePolicy !== undefined && { resourcePolicy: secret.resourcePolicy }),
      ...(secret.tags !== undefined && { resourceTags: secret.tags }),
      context: new Map([
        ['secretsmanager:secretid', secret.arn],
        ...(secret.rotation?.lambdaArn !== undefined
          ? [['secretsmanager:resource/allowrotationlambdaarn', secret.rotation.lambdaArn] as const]
          : []),
      ]),
    }
    targets.set(secret, target)
  }
  return target
}

function unresolvedTarget(ctx: RequestContext, secretId: string): AuthorizationTarget {
  const isArn = secretId.startsWith('arn:')
  const resource = isArn
    ? secretId
    : `arn:aws:secretsmanager:${ctx.region}:${ctx.principal.accountId}:secret:${secretId}`
  return {
    resource,
    resourceAccountId: (isArn ? parseSecretArn(secretId)?.accountId : undefined) ?? ctx.principal.accountId,
    context: new Map([['secretsmanager:secretid', resource]]),
  }
}

/** The `target` of an operation on `input.SecretId`, with the operation's condition keys. */
export function bySecretId<I extends { readonly SecretId: string }>(
  d: Pick<SecretsManagerDeps, 'lookup'>,
  keys?: (input: I) => ContextKeys,
): (input: I, ctx: RequestContext) => Promise<AuthorizationTarget> {
  return async (input, ctx) =>
    secretTarget(ctx, input.SecretId, await d.lookup.find(ctx, input.SecretId), keys?.(input))
}

/** `aws:RequestTag/<key>` per tag and `aws:TagKeys`, for requests that set tags. */
export function requestTagKeys(
  tags: readonly { readonly Key?: string; readonly Value?: string }[] | undefined,
) {
  if (tags === undefined) return []
  const keys: (readonly [string, ContextValue])[] = []
  for (const tag of tags) {
    if (tag.Key !== undefined) keys.push([`aws:requesttag/${tag.Key.toLowerCase()}`, tag.Value ?? ''])
  }
  keys.push(['aws:tagkeys', tags.flatMap((tag) => (tag.Key === undefined ? [] : [tag.Key]))])
  return keys
}

/** `'true'` / `'false'` for a boolean request member, undefined when absent. */
export function bool(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value)
}
