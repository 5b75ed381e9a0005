import {
  InvalidEventPatternException,
  LimitExceededException,
  ResourceNotFoundException,
} from '../../../aws-api/events/errors.js'
import type {
  PutRuleRequest,
  PutTargetsRequest,
  PutTargetsResponse,
  PutTargetsResultEntry,
  Target,
} from '../../../aws-api/events/types.js'
import { ValidationException } from '../../../lib/aws/errors.js'
import type { ApiDestinations } from '../../events/destinations.js'
import { compilePattern, PatternError, type CompiledPattern } from '../../events/pattern.js'
import { parseDestinationArn, requireDefaultBus, ruleArn, type BusScope } from './arns.js'
import { msg } from './messages.js'
import type { RuleStore, TargetRecord } from './store.js'

/** Targets per rule, AWS's default quota. */
export const MAX_TARGETS_PER_RULE = 5

/** Target members Coffer does not act on: a target using one is refused rather than half-honoured. */
const UNSUPPORTED_TARGET_MEMBERS = [
  'RoleArn',
  'InputPath',
  'InputTransformer',
  'KinesisParameters',
  'RunCommandParameters',
  'EcsParameters',
  'BatchParameters',
  'SqsParameters',
  'HttpParameters',
  'RedshiftDataParameters',
  'SageMakerPipelineParameters',
  'DeadLetterConfig',
  'RetryPolicy',
  'AppSyncParameters',
] as const

/** Compiles a pattern or throws InvalidEventPatternException with the service's reason. */
export function compileEventPattern(text: string): CompiledPattern {
  try {
    return compilePattern(text)
  } catch (error) {
    if (error instanceof PatternError)
      throw new InvalidEventPatternException(msg.invalidPattern(error.reason))
    throw error
  }
}

/**
 * Writing rules and targets: shared by the API operations and the rules declared in the configuration,
 * so both obey the same checks.
 */
export class Rules {
  constructor(private readonly deps: { store: RuleStore; destinations: ApiDestinations }) {}

  /** PutRule: creates or replaces the rule (tags only on creation). Returns its ARN. */
  async putRule(scope: BusScope, input: PutRuleRequest): Promise<string> {
    requireDefaultBus(scope, input.EventBusName)
    if (input.ScheduleExpression !== undefined) throw new ValidationException(msg.scheduleUnsupported)
    if (input.EventPattern === undefined || input.EventPattern === '')
      throw new ValidationException(msg.patternRequired)
    compileEventPattern(input.EventPattern)
    const arn = ruleArn(scope, input.Name)
    await this.deps.store.putRule({
      arn,
      accountId: scope.accountId,
      region: scope.region,
      name: input.Name,
      eventPattern: input.EventPattern,
      state: input.State ?? 'ENABLED',
      ...(input.Description !== undefined && { description: input.Description }),
      tags: (input.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })),
    })
    return arn
  }

  /**
   * PutTargets: targets Coffer can deliver to are saved (all at once); the others come back in
   * `FailedEntries`. A missing rule is ResourceNotFoundException, more than five targets on the rule
   * LimitExceededException — and then nothing is saved.
   */
  async putTargets(scope: BusScope, input: PutTargetsRequest): Promise<PutTargetsResponse> {
    requireDefaultBus(scope, input.EventBusName)
    const arn = ruleArn(scope, input.Rule)
    if ((await this.deps.store.findRule(arn)) === undefined)
      throw new ResourceNotFoundException(msg.ruleNotFound(input.Rule))
    const accepted: TargetRecord[] = []
    const failed: PutTargetsResultEntry[] = []
    for (const target of input.Targets) {
      const problem = this.targetProblem(scope, target)
      if (problem === undefined)
        accepted.push({
          id: target.Id,
          arn: target.Arn,
          ...(target.Input !== undefined && { input: target.Input }),
        })
      else failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: problem })
    }
    if (accepted.length > 0) {
      const result = await this.deps.store.putTargets(arn, accepted, MAX_TARGETS_PER_RULE)
      if (result === 'missing') throw new ResourceNotFoundException(msg.ruleNotFound(input.Rule))
      if (result === 'limit') throw new LimitExceededException(msg.targetLimit)
    }
    return { FailedEntryCount: failed.length, FailedEntries: failed }
  }

  private targetProblem(scope: BusScope, target: Target): string | undefined {
    const member = UNSUPPORTED_TARGET_MEMBERS.find((m) => target[m] !== undefined)
    if (member !== undefined) return msg.unsupportedTargetMember(member)
    const destination = parseDestinationArn(target.Arn)
    if (
      destination === undefined ||
      destination.accountId !== scope.accountId ||
      destination.region !== scope.region ||
      this.deps.destinations.byArnName(destination.name) === undefined
    )
      return msg.unknownDestination(target.Arn)
    if (target.Input !== undefined) {
      try {
        JSON.parse(target.Input)
      } catch {
        return msg.invalidInput
      }
    }
    return undefined
  }
}
