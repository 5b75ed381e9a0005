import type { OperationSpec, ServiceSpec } from '../../lib/aws/schema-types.js'
import type { AuthorizationTarget } from './authorize.js'
import type { RequestContext } from './context.js'
import { defineOperation, type OperationDef } from './operation.js'

/** A generated API: its service metadata, its operation table and the input/output types per operation. */
export interface GeneratedApi<Types> {
  readonly service: ServiceSpec
  readonly operations: { readonly [N in keyof Types]: OperationSpec }
}

type IO = { input: unknown; output: unknown }

/**
 * Declares an operation from the generated model: its IAM action (`<signing name>:<Operation>` unless
 * given), its validator and, for awsQuery, its shapes. The handler holds only the logic.
 */
export function modelOperation<Types extends { [N in keyof Types]: IO }, N extends keyof Types & string>(
  api: GeneratedApi<Types>,
  name: N,
  options: {
    readonly readOnly: boolean
    readonly action?: string
    readonly access?: OperationDef['access']
    readonly itemRecords?: OperationDef['itemRecords']
    readonly target?: (input: Types[N]['input'], ctx: RequestContext) => Promise<AuthorizationTarget>
  },
  handle: (input: Types[N]['input'], ctx: RequestContext) => Promise<Types[N]['output']>,
): OperationDef {
  const spec = api.operations[name]
  return defineOperation({
    service: api.service.id,
    name,
    action: options.action ?? `${api.service.signingName}:${name}`,
    readOnly: options.readOnly,
    parse: spec.parse as (raw: unknown) => Types[N]['input'],
    handle,
    ...(options.access !== undefined && { access: options.access }),
    ...(options.target !== undefined && { target: options.target }),
    ...(options.itemRecords !== undefined && { itemRecords: options.itemRecords }),
    shapes: {
      ...(spec.input !== undefined && { input: spec.input }),
      ...(spec.output !== undefined && { output: spec.output }),
      ...(spec.resultWrapper !== undefined && { resultWrapper: spec.resultWrapper }),
    },
  }) as OperationDef
}
