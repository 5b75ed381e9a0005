import { operations, service, type OperationTypes } from '../../../aws-api/iam/operations.js'
import type { RequestContext } from '../../core/context.js'
import { modelOperation } from '../../core/model-operation.js'
import type { OperationDef } from '../../core/operation.js'

/** Declares an IAM operation: its action (`iam:<Op>`), validator and XML shapes come from the model. */
export function iamOperation<N extends keyof OperationTypes>(
  name: N,
  options: Parameters<typeof modelOperation<OperationTypes, N>>[2],
  handle: (input: OperationTypes[N]['input'], ctx: RequestContext) => Promise<OperationTypes[N]['output']>,
): OperationDef {
  return modelOperation<OperationTypes, N>({ service, operations }, name, options, handle)
}
