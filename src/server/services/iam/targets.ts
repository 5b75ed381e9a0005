import type { AuthorizationTarget } from '../../core/authorize.js'
import type { RequestContext } from '../../core/context.js'
import type { ContextValue } from '../../../policy/index.js'
import { userArn } from './principal.js'
import { roleArn } from './domain/arns.js'
import type { IamDeps } from './deps.js'
import { callerUserName } from './lookup.js'
import type { Tag } from './iam-store.js'

/**
 * Authorization targets of IAM requests: the ARN of the user, role, policy or provider acted on (with
 * its path when it exists, as AWS matches `user/division/*`), the entity's tags, and the request's
 * condition keys (keys lower-cased).
 */
export type Keys = ReadonlyMap<string, ContextValue>

function target(
  resource: string,
  tags: readonly Tag[] | undefined,
  context: Keys | undefined,
): AuthorizationTarget {
  return {
    resource,
    ...(tags !== undefined && tags.length > 0 && { resourceTags: tags }),
    ...(context !== undefined && context.size > 0 && { context }),
  }
}

/** The user named (or the calling user); an unknown user is targeted by its ARN at path `/`. */
export async function userTarget(
  d: IamDeps,
  ctx: RequestContext,
  userName: string | undefined,
  context?: Keys,
): Promise<AuthorizationTarget> {
  const name = userName ?? callerUserName(ctx)
  const user = await d.lookup.findUser(ctx, name)
  return target(user?.arn ?? userArn(ctx.principal.accountId, '/', name), user?.tags, context)
}

export async function roleTarget(
  d: IamDeps,
  ctx: RequestContext,
  roleName: string,
  context?: Keys,
): Promise<AuthorizationTarget> {
  const role = await d.lookup.findRole(ctx, roleName)
  return target(role?.arn ?? roleArn(ctx.principal.accountId, '/', roleName), role?.tags, context)
}

/** A resource that need not exist yet (CreateUser, CreatePolicy…) or whose ARN the request carries. */
export function arnTarget(arn: string, context?: Keys): Promise<AuthorizationTarget> {
  return Promise.resolve(target(arn, undefined, context))
}

/** `aws:RequestTag/<key>` and `aws:TagKeys` of a request that sets tags. */
export function requestTagKeys(tags: readonly Tag[] | undefined, extra: [string, ContextValue][] = []): Keys {
  const keys = new Map<string, ContextValue>(extra)
  if (tags !== undefined && tags.length > 0) {
    for (const tag of tags) keys.set(`aws:requesttag/${tag.Key.toLowerCase()}`, tag.Value)
    keys.set(
      'aws:tagkeys',
      tags.map((tag) => tag.Key),
    )
  }
  return keys
}

/** `aws:TagKeys` of a request that removes tags. */
export function removedTagKeys(keys: readonly string[]): Keys {
  return new Map<string, ContextValue>([['aws:tagkeys', [...keys]]])
}
