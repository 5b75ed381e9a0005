import { operations, service, type OperationTypes } from '../../../aws-api/kms/operations.js'
import type { RequestContext } from '../../core/context.js'
import { modelOperation } from '../../core/model-operation.js'
import type { OperationDef } from '../../core/operation.js'
import { assertManagedKeyAllows, keyTarget, type KeyRequestFacts } from './authorization.js'
import type { KmsDeps } from './deps.js'
import { locateKey, type LocatedKey, type LocateOptions } from './locate.js'
import { perRequest } from './per-request.js'

type Name = keyof OperationTypes
type Input<N extends Name> = OperationTypes[N]['input']
type Output<N extends Name> = OperationTypes[N]['output']

/** Declares a KMS operation: its IAM action (`kms:<Operation>`) and validator come from the generated model. */
export function kmsOperation<N extends Name>(
  name: N,
  options: Parameters<typeof modelOperation<OperationTypes, N>>[2],
  handle: (input: Input<N>, ctx: RequestContext) => Promise<Output<N>>,
): OperationDef {
  return modelOperation<OperationTypes, N>({ service, operations }, name, options, handle)
}

/** Operations on one key named by `KeyId`. */
type KeyOperationName = { [N in Name]: Input<N> extends { readonly KeyId: string } ? N : never }[Name]

export interface KeyOperationOptions<N extends Name> extends Partial<LocateOptions> {
  readonly readOnly: boolean
  /** Request condition keys beyond the key's own (encryption context, request tags, ...). */
  readonly facts?: (input: Input<N>) => Omit<KeyRequestFacts, 'callerAccountId' | 'alias'>
}

/**
 * An operation on the key its `KeyId` names. The key is located once per request (with KMS's NotFound
 * answers), for authorization against the key's policy and for the handler.
 */
export function keyOperation<N extends KeyOperationName>(
  d: KmsDeps,
  name: N,
  options: KeyOperationOptions<N>,
  handle: (input: Input<N>, located: LocatedKey, ctx: RequestContext) => Promise<Output<N>>,
): OperationDef {
  const locate = perRequest((input: Input<N>, ctx: RequestContext) =>
    locateKey(d.keys, ctx, (input as { KeyId: string }).KeyId, {
      aliases: options.aliases ?? false,
      crossAccount: options.crossAccount ?? false,
    }),
  )
  return kmsOperation(
    name,
    {
      readOnly: options.readOnly,
      target: async (input, ctx) => {
        const located = await locate(input, ctx)
        assertManagedKeyAllows(ctx, `kms:${name}`, located.key)
        return keyTarget(located.key, {
          callerAccountId: ctx.principal.accountId,
          ...(located.alias !== undefined && { alias: located.alias }),
          ...options.facts?.(input),
        })
      },
    },
    async (input, ctx) => handle(input, await locate(input, ctx), ctx),
  )
}
