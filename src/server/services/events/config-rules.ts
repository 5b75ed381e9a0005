import { parsePutRuleRequest, parsePutTargetsRequest } from '../../../aws-api/events/validators.js'
import { AwsError } from '../../../lib/aws/errors.js'
import { ConfigError } from '../../config/load.js'
import type { EventRuleConfig } from '../../config/events-config.js'
import { destinationArn, type BusScope } from './arns.js'
import type { Rules } from './rules.js'

/**
 * Applies the rules declared in the configuration (`events.rules`) through the same checks as PutRule
 * and PutTargets: each rule is created or replaced and its targets added or replaced by id. Running it
 * again with the same configuration changes nothing. Targets removed from the file stay (RemoveTargets
 * removes them). Throws a ConfigError naming the rule when the service would refuse it.
 */
export async function applyConfiguredRules(
  rules: Rules,
  configured: readonly EventRuleConfig[],
  defaults: BusScope,
): Promise<void> {
  for (const rule of configured) {
    const scope = { accountId: rule.account ?? defaults.accountId, region: rule.region ?? defaults.region }
    try {
      await rules.putRule(
        scope,
        parsePutRuleRequest({
          Name: rule.name,
          EventPattern: rule.eventPattern,
          ...(rule.state !== undefined && { State: rule.state }),
          ...(rule.description !== undefined && { Description: rule.description }),
        }),
      )
      if (rule.targets.length === 0) continue
      const result = await rules.putTargets(
        scope,
        parsePutTargetsRequest({
          Rule: rule.name,
          Targets: rule.targets.map((t) => ({
            Id: t.id,
            Arn: t.destination.startsWith('arn:') ? t.destination : destinationArn(scope, t.destination),
            ...(t.input !== undefined && { Input: t.input }),
          })),
        }),
      )
      const failed = result.FailedEntries?.[0]
      if (failed !== undefined)
        throw new Error(`target ${failed.TargetId ?? ''}: ${failed.ErrorMessage ?? ''}`)
    } catch (error) {
      const reason = error instanceof AwsError ? `${error.code}: ${error.message}` : (error as Error).message
      throw new ConfigError(`events.rules '${rule.name}': ${reason}`)
    }
  }
}
