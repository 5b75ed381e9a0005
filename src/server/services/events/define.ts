import { operations, service, type OperationTypes } from '../../../aws-api/events/operations.js'
import type { RequestContext } from '../../core/context.js'
import { modelOperation } from '../../core/model-operation.js'
import type { OperationDef } from '../../core/operation.js'

/** Declares an EventBridge operation: its IAM action (`events:<Op>`) and validator come from the model. */
export function eventsOperation<N extends keyof OperationTypes>(
  name: N,
  options: Parameters<typeof modelOperation<OperationTypes, N>>[2],
  handle: (input: OperationTypes[N]['input'], ctx: RequestContext) => Promise<OperationTypes[N]['output']>,
): OperationDef {
  return modelOperation<OperationTypes, N>({ service, operations }, name, options, handle)
}
