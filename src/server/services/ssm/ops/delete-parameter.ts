import { ParameterNotFound } from '../../../../aws-api/ssm/errors.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { plainKey } from '../domain/names.js'
import { msg } from '../messages.js'
import { byName, scopeOf } from '../targets.js'

/** Deletes a parameter with all its versions; ParameterNotFound (empty message) when there is none. */
export const deleteParameter = (d: SsmDeps) =>
  ssmOperation(
    'DeleteParameter',
    { readOnly: false, target: byName(d.store, (input) => input.Name) },
    async (input, ctx) => {
      const named = plainKey(input.Name, scopeOf(ctx))
      const parameter = named === undefined ? undefined : await d.store.find(scopeOf(ctx), named.key)
      if (parameter === undefined || !(await d.store.delete(parameter.id))) {
        throw new ParameterNotFound(msg.parameterNotFound)
      }
      return {}
    },
  )
