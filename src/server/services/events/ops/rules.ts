import { ResourceNotFoundException } from '../../../../aws-api/events/errors.js'
import type { Rule } from '../../../../aws-api/events/types.js'
import { ValidationException } from '../../../../lib/aws/errors.js'
import type { OperationDef } from '../../../core/operation.js'
import { requireDefaultBus, ruleArn } from '../arns.js'
import { eventsOperation } from '../define.js'
import { msg } from '../messages.js'
import { decodeToken, page } from '../pagination.js'
import type { Rules } from '../rules.js'
import type { RuleRecord, RuleStore } from '../store.js'
import { ruleTarget, scopeOf } from '../targets.js'

export interface RuleOpsDeps {
  readonly store: RuleStore
  readonly rules: Rules
}

function present(rule: RuleRecord): Rule {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    State: rule.state,
    ...(rule.description !== undefined && { Description: rule.description }),
    EventBusName: 'default',
  }
}

export function ruleOperations(d: RuleOpsDeps): OperationDef[] {
  const byName = (name: (input: { Name: string }) => string) => ({
    target: (input: { Name: string }, ctx: Parameters<typeof scopeOf>[0]) =>
      ruleTarget(d.store, ctx, name(input)),
  })
  const setState = (operation: 'EnableRule' | 'DisableRule', state: 'ENABLED' | 'DISABLED') =>
    eventsOperation(operation, { readOnly: false, ...byName((i) => i.Name) }, async (input, ctx) => {
      requireDefaultBus(scopeOf(ctx), input.EventBusName)
      if (!(await d.store.setState(ruleArn(scopeOf(ctx), input.Name), state)))
        throw new ResourceNotFoundException(msg.ruleNotFound(input.Name))
      return {}
    })
  return [
    eventsOperation(
      'PutRule',
      { readOnly: false, target: (input, ctx) => ruleTarget(d.store, ctx, input.Name, input.Tags) },
      async (input, ctx) => ({ RuleArn: await d.rules.putRule(scopeOf(ctx), input) }),
    ),
    eventsOperation('DescribeRule', { readOnly: true, ...byName((i) => i.Name) }, async (input, ctx) => {
      requireDefaultBus(scopeOf(ctx), input.EventBusName)
      const rule = await d.store.findRule(ruleArn(scopeOf(ctx), input.Name))
      if (rule === undefined) throw new ResourceNotFoundException(msg.ruleNotFound(input.Name))
      return { ...present(rule), CreatedBy: rule.accountId }
    }),
    eventsOperation('ListRules', { readOnly: true }, async (input, ctx) => {
      const scope = scopeOf(ctx)
      requireDefaultBus(scope, input.EventBusName)
      const query = `rules:${input.NamePrefix ?? ''}`
      const after = decodeToken(input.NextToken, query)
      const limit = input.Limit ?? 100
      const rules = await d.store.listRules(scope.accountId, scope.region, {
        ...(input.NamePrefix !== undefined && { prefix: input.NamePrefix }),
        ...(after !== undefined && { after }),
        limit: limit + 1,
      })
      const { items, ...token } = page(rules, limit, query, (r) => r.name)
      return { Rules: items.map(present), ...token }
    }),
    eventsOperation('DeleteRule', { readOnly: false, ...byName((i) => i.Name) }, async (input, ctx) => {
      requireDefaultBus(scopeOf(ctx), input.EventBusName)
      const result = await d.store.deleteRule(ruleArn(scopeOf(ctx), input.Name))
      if (result === 'has-targets') throw new ValidationException(msg.ruleHasTargets)
      return {}
    }),
    setState('EnableRule', 'ENABLED'),
    setState('DisableRule', 'DISABLED'),
  ]
}
