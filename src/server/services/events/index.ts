import { shapes } from '../../../aws-api/events/schema.js'
import type { JsonServiceDef, OperationDef } from '../../core/operation.js'
import type { ApiDestinations } from '../../events/destinations.js'
import { ruleOperations } from './ops/rules.js'
import { targetOperations } from './ops/targets.js'
import { testEventPattern } from './ops/test-event-pattern.js'
import { Rules } from './rules.js'
import type { RuleStore } from './store.js'

export interface EventsModuleDeps {
  readonly store: RuleStore
  readonly destinations: ApiDestinations
}

/** The EventBridge wire service (`AWSEvents.*`): rules and targets on the default bus, TestEventPattern. */
export function createEvents(deps: EventsModuleDeps): { service: JsonServiceDef; rules: Rules } {
  const rules = new Rules(deps)
  const d = { store: deps.store, rules }
  const operations: OperationDef[] = [...ruleOperations(d), ...targetOperations(d), testEventPattern()]
  return {
    service: {
      id: 'events',
      protocol: 'json',
      signingName: 'events',
      targetPrefix: 'AWSEvents',
      signatureSkewMs: 5 * 60_000,
      internalErrorCode: 'InternalException',
      shapes,
      operations: new Map(operations.map((op) => [op.name, op])),
    },
    rules,
  }
}
