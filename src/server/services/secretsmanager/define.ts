import { operations, service, type OperationTypes } from '../../../aws-api/secretsmanager/operations.js'
import type { RequestContext } from '../../core/context.js'
import { modelOperation } from '../../core/model-operation.js'
import type { OperationDef } from '../../core/operation.js'

/** Declares a Secrets Manager operation: its IAM action and validator come from the generated model. */
export function smOperation<N extends keyof OperationTypes>(
  name: N,
  options: Parameters<typeof modelOperation<OperationTypes, N>>[2],
  handle: (input: OperationTypes[N]['input'], ctx: RequestContext) => Promise<OperationTypes[N]['output']>,
): OperationDef {
  return modelOperation<OperationTypes, N>({ service, operations }, name, options, handle)
}
