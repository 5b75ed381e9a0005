import type { PlannedDelivery } from './delivery-store.js'
import { isReadOnlyApiCall, orderKey, toEnvelope, type OutboxEvent } from './outbox.js'
import { compilePattern, type CompiledPattern } from './pattern.js'

/** A rule as the dispatcher sees it (the EventBridge service's store provides these). */
export interface ActiveRule {
  readonly arn: string
  readonly accountId: string
  readonly region: string
  readonly eventPattern: string
  readonly state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'
  readonly targets: readonly { readonly id: string; readonly arn: string; readonly input?: string }[]
}

/**
 * Decides the deliveries of events: one per (matching rule, target). A rule sees only events of its own
 * account and region; read-only API calls reach only rules in `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`
 * (reference §3). Patterns are compiled once per pattern text and kept while rules use them.
 */
export class DispatchPlanner {
  private compiled = new Map<string, CompiledPattern>()
  private byScope = new Map<string, { rule: ActiveRule; pattern: CompiledPattern }[]>()

  /** Replaces the rules (call before each batch: rules change between batches). */
  useRules(rules: readonly ActiveRule[]): void {
    const compiled = new Map<string, CompiledPattern>()
    const byScope = new Map<string, { rule: ActiveRule; pattern: CompiledPattern }[]>()
    for (const rule of rules) {
      if (rule.state === 'DISABLED' || rule.targets.length === 0) continue
      let pattern = compiled.get(rule.eventPattern) ?? this.compiled.get(rule.eventPattern)
      if (pattern === undefined) {
        try {
          pattern = compilePattern(rule.eventPattern)
        } catch {
          // Stored patterns were validated on the way in; one that no longer compiles matches nothing.
          continue
        }
      }
      compiled.set(rule.eventPattern, pattern)
      const key = `${rule.accountId}\n${rule.region}`
      const list = byScope.get(key) ?? []
      list.push({ rule, pattern })
      byScope.set(key, list)
    }
    this.compiled = compiled
    this.byScope = byScope
  }

  plan(event: OutboxEvent): PlannedDelivery[] {
    const rules = this.byScope.get(`${event.accountId}\n${event.region}`)
    if (rules === undefined) return []
    const readOnly = isReadOnlyApiCall(event)
    const envelope = toEnvelope(event)
    const key = orderKey(event)
    const out: PlannedDelivery[] = []
    for (const { rule, pattern } of rules) {
      if (readOnly && rule.state !== 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') continue
      if (!pattern.matches(envelope)) continue
      for (const target of rule.targets)
        out.push({
          ruleArn: rule.arn,
          targetId: target.id,
          destinationArn: target.arn,
          ...(target.input !== undefined && { input: target.input }),
          orderKey: key,
        })
    }
    return out
  }
}
