import type { Tag } from '../../../aws-api/events/types.js'
import type { ContextValue } from '../../../policy/evaluation-types.js'
import type { AuthorizationTarget } from '../../core/authorize.js'
import type { RequestContext } from '../../core/context.js'
import { ruleArn, type BusScope } from './arns.js'
import type { RuleStore } from './store.js'

export function scopeOf(ctx: RequestContext): BusScope {
  return { accountId: ctx.principal.accountId, region: ctx.region }
}

/**
 * A rule as authorization sees it: `arn:aws:events:<region>:<account>:rule/<name>` (whether or not it
 * exists, so a caller without permission learns nothing), its tags, and for requests that set tags
 * `aws:RequestTag/<key>` and `aws:TagKeys`.
 */
export async function ruleTarget(
  store: Pick<RuleStore, 'findRule'>,
  ctx: RequestContext,
  name: string,
  requestTags?: readonly Tag[],
): Promise<AuthorizationTarget> {
  const arn = ruleArn(scopeOf(ctx), name)
  const existing = await store.findRule(arn)
  const context = new Map<string, ContextValue>()
  if (requestTags !== undefined) {
    for (const tag of requestTags) context.set(`aws:requesttag/${tag.Key.toLowerCase()}`, tag.Value)
    context.set(
      'aws:tagkeys',
      requestTags.map((t) => t.Key),
    )
  }
  return {
    resource: arn,
    ...(existing !== undefined && existing.tags.length > 0 && { resourceTags: existing.tags }),
    ...(context.size > 0 && { context }),
  }
}
