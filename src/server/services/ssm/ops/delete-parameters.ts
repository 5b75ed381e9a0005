import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { plainKey } from '../domain/names.js'
import { byName, parameterTarget, resourceOf, scopeOf } from '../targets.js'

const ACTION = 'ssm:DeleteParameters'

/**
 * Deletes up to 10 parameters; names that don't exist land in `InvalidParameters`, the call never fails
 * for them (spec §5.2). Each parameter is authorized (the core checked the first one).
 */
export const deleteParameters = (d: SsmDeps) =>
  ssmOperation(
    'DeleteParameters',
    { readOnly: false, target: byName(d.store, (input) => input.Names[0] ?? '') },
    async (input, ctx) => {
      const names = [...new Set(input.Names)]
      const first = resourceOf(ctx, input.Names[0] ?? '').arn
      for (const raw of names) {
        if (resourceOf(ctx, raw).arn !== first)
          await ctx.authorize(ACTION, await parameterTarget(d.store, ctx, raw))
      }
      // Every name is checked before anything is deleted: a malformed one fails the whole request.
      const keys = names.map((raw) => ({ raw, named: plainKey(raw, scopeOf(ctx)) }))
      const deleted: string[] = []
      const invalid: string[] = []
      for (const { raw, named } of keys) {
        const parameter = named === undefined ? undefined : await d.store.find(scopeOf(ctx), named.key)
        if (parameter !== undefined && (await d.store.delete(parameter.id))) deleted.push(raw)
        else invalid.push(raw)
      }
      return { DeletedParameters: deleted, InvalidParameters: invalid }
    },
  )
