import { ResourceNotFoundException } from '../../../../aws-api/events/errors.js'
import type { OperationDef } from '../../../core/operation.js'
import { requireDefaultBus, ruleArn } from '../arns.js'
import { eventsOperation } from '../define.js'
import { msg } from '../messages.js'
import { decodeToken, page } from '../pagination.js'
import type { RuleOpsDeps } from './rules.js'
import { ruleTarget, scopeOf } from '../targets.js'

export function targetOperations(d: RuleOpsDeps): OperationDef[] {
  return [
    eventsOperation(
      'PutTargets',
      { readOnly: false, target: (input, ctx) => ruleTarget(d.store, ctx, input.Rule) },
      async (input, ctx) => d.rules.putTargets(scopeOf(ctx), input),
    ),
    eventsOperation(
      'RemoveTargets',
      { readOnly: false, target: (input, ctx) => ruleTarget(d.store, ctx, input.Rule) },
      async (input, ctx) => {
        requireDefaultBus(scopeOf(ctx), input.EventBusName)
        if (!(await d.store.removeTargets(ruleArn(scopeOf(ctx), input.Rule), input.Ids)))
          throw new ResourceNotFoundException(msg.ruleNotFound(input.Rule))
        return { FailedEntryCount: 0, FailedEntries: [] }
      },
    ),
    eventsOperation(
      'ListTargetsByRule',
      { readOnly: true, target: (input, ctx) => ruleTarget(d.store, ctx, input.Rule) },
      async (input, ctx) => {
        requireDefaultBus(scopeOf(ctx), input.EventBusName)
        const arn = ruleArn(scopeOf(ctx), input.Rule)
        if ((await d.store.findRule(arn)) === undefined)
          throw new ResourceNotFoundException(msg.ruleNotFound(input.Rule))
        const query = `targets:${input.Rule}`
        const after = decodeToken(input.NextToken, query)
        const limit = input.Limit ?? 100
        const targets = await d.store.listTargets(arn, {
          ...(after !== undefined && { after }),
          limit: limit + 1,
        })
        const { items, ...token } = page(targets, limit, query, (t) => t.id)
        return {
          Targets: items.map((t) => ({
            Id: t.id,
            Arn: t.arn,
            ...(t.input !== undefined && { Input: t.input }),
          })),
          ...token,
        }
      },
    ),
  ]
}
