import { operations, type OperationTypes } from '../../../aws-api/secretsmanager/operations.js'
import type { RequestContext } from '../../core/context.js'
import { defineOperation, type OperationDef } from '../../core/operation.js'

type Name = keyof OperationTypes

/** Declares a Secrets Manager operation: its IAM action and validator come from the generated model. */
export function smOperation<N extends Name>(
  name: N,
  options: { readOnly: boolean },
  handle: (input: OperationTypes[N]['input'], ctx: RequestContext) => Promise<OperationTypes[N]['output']>,
): OperationDef {
  return defineOperation({
    service: 'secretsmanager',
    name,
    action: `secretsmanager:${name}`,
    readOnly: options.readOnly,
    parse: operations[name].parse as (raw: unknown) => OperationTypes[N]['input'],
    handle,
  }) as OperationDef
}
