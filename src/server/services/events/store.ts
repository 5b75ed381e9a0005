import type { RuleState } from '../../../aws-api/events/types.js'

export interface RuleTag {
  readonly Key: string
  readonly Value: string
}

/** A rule on an account's default event bus in one region. */
export interface RuleRecord {
  /** `arn:aws:events:<region>:<account>:rule/<name>` */
  readonly arn: string
  readonly accountId: string
  readonly region: string
  readonly name: string
  /** Validated pattern text, as given. */
  readonly eventPattern: string
  readonly state: RuleState
  readonly description?: string
  readonly tags: readonly RuleTag[]
}

export interface TargetRecord {
  readonly id: string
  /** An API destination ARN. */
  readonly arn: string
  /** Constant JSON sent instead of the event. */
  readonly input?: string
}

export interface RuleWithTargets extends RuleRecord {
  readonly targets: readonly TargetRecord[]
}

/**
 * Storage port of the EventBridge rules. Missing items are `undefined`/`false`, never errors; every
 * method is atomic. Rules are keyed by ARN (which embeds account, region and name).
 */
export interface RuleStore {
  findRule(arn: string): Promise<RuleRecord | undefined>
  /**
   * Creates the rule, or updates pattern, state and description of an existing one; tags are set only
   * when the rule is created (PutRule on an existing rule leaves its tags, as on AWS).
   */
  putRule(rule: RuleRecord): Promise<void>
  /** False when there is no such rule. */
  setState(arn: string, state: RuleState): Promise<boolean>
  /** `has-targets`: refused, nothing changed. Deleting a missing rule is `deleted` (idempotent). */
  deleteRule(arn: string): Promise<'deleted' | 'has-targets'>
  /** By name, ascending, names after `after`, starting with `prefix`. */
  listRules(
    accountId: string,
    region: string,
    options: { readonly prefix?: string; readonly after?: string; readonly limit: number },
  ): Promise<readonly RuleRecord[]>
  /** By id, ascending, ids after `after`. */
  listTargets(
    ruleArn: string,
    options: { readonly after?: string; readonly limit: number },
  ): Promise<readonly TargetRecord[]>
  /**
   * Adds or replaces targets by id. `limit`: the rule would hold more than `maxTargets`; `missing`: no
   * such rule. Either way nothing changes.
   */
  putTargets(
    ruleArn: string,
    targets: readonly TargetRecord[],
    maxTargets: number,
  ): Promise<'ok' | 'limit' | 'missing'>
  /** Removes the targets with these ids (ids that aren't there are ignored). False when no such rule. */
  removeTargets(ruleArn: string, ids: readonly string[]): Promise<boolean>
  /** Every rule not DISABLED that has targets, with them, in every account and region (the dispatcher). */
  activeRules(): Promise<readonly RuleWithTargets[]>
}
