import type { ContextValue } from '../../../policy/evaluation-types.js'
import type { AuthorizationTarget } from '../../core/authorize.js'
import type { RequestContext } from '../../core/context.js'
import { keyOf, parameterArn, parseReference, trimName } from './domain/names.js'
import { isSecretReference, parseSecretReference } from './secret-reference.js'
import type { ParameterScope, SsmStore, Tag } from './store.js'

/** Condition keys of one request (lower-cased names); entries whose value is undefined are left out. */
export type ContextKeys = readonly (readonly [string, ContextValue | undefined])[]

export function scopeOf(ctx: RequestContext): ParameterScope {
  return { accountId: ctx.principal.accountId, region: ctx.region }
}

const ARN = /^arn:aws:ssm:([^:]*):(\d{12}):parameter\/([^:]*)/

/**
 * The parameter ARN a name designates for authorization: `arn:aws:ssm:<region>:<acct>:parameter/<name
 * without leading slash>`, without any `:<version>`/`:<label>` selector; an ARN names its own account.
 * A parameter that doesn't exist is still a resource, so a caller without permission learns
 * AccessDenied, not whether it exists.
 */
export function resourceOf(ctx: RequestContext, rawName: string): { arn: string; accountId: string } {
  const name = rawName.replace(/^ +| +$/g, '')
  const arn = ARN.exec(name)
  if (arn !== null) return { arn: arn[0], accountId: arn[2] ?? ctx.principal.accountId }
  // A Secrets Manager reference may name its secret by ARN: only its selector is cut off.
  const bare = isSecretReference(name) ? parseSecretReference(name).path : (name.split(':')[0] ?? '')
  return { arn: parameterArn(scopeOf(ctx), keyOf(bare)), accountId: ctx.principal.accountId }
}

/** The target of an action on one parameter: its ARN and (when it exists) its tags. */
export async function parameterTarget(
  store: Pick<SsmStore, 'find'>,
  ctx: RequestContext,
  rawName: string,
  keys: ContextKeys = [],
): Promise<AuthorizationTarget> {
  const { arn, accountId } = resourceOf(ctx, rawName)
  let tags: readonly Tag[] | undefined
  if (accountId === ctx.principal.accountId) {
    let reference
    try {
      reference = parseReference(trimName(rawName), scopeOf(ctx))
    } catch {
      reference = undefined
    }
    if (reference !== undefined) tags = (await store.find(scopeOf(ctx), reference.key))?.tags
  }
  const context = new Map<string, ContextValue>()
  for (const [key, value] of keys) if (value !== undefined) context.set(key, value)
  return {
    resource: arn,
    resourceAccountId: accountId,
    ...(tags !== undefined && tags.length > 0 && { resourceTags: tags }),
    ...(context.size > 0 && { context }),
  }
}

/** `target` for an operation on `input[member]`. */
export function byName<I>(
  store: Pick<SsmStore, 'find'>,
  name: (input: I) => string,
  keys?: (input: I) => ContextKeys,
): (input: I, ctx: RequestContext) => Promise<AuthorizationTarget> {
  return (input, ctx) => parameterTarget(store, ctx, name(input), keys?.(input))
}

/** `aws:RequestTag/<key>` per tag and `aws:TagKeys`, for requests that set tags. */
export function requestTagKeys(tags: readonly Tag[] | undefined): ContextKeys {
  if (tags === undefined) return []
  return [
    ...tags.map((tag) => [`aws:requesttag/${tag.Key.toLowerCase()}`, tag.Value] as const),
    ['aws:tagkeys', tags.map((tag) => tag.Key)],
  ]
}

export function bool(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : String(value)
}
