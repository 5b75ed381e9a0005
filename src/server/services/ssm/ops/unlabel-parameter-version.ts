import { ParameterNotFound, ParameterVersionNotFound } from '../../../../aws-api/ssm/errors.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { planUnlabel } from '../domain/labels.js'
import { plainKey } from '../domain/names.js'
import { msg } from '../messages.js'
import { retryOnConflict } from '../retry.js'
import { byName, scopeOf } from '../targets.js'

/** Removes labels from a version: `RemovedLabels`, and `InvalidLabels` for those it didn't carry. */
export const unlabelParameterVersion = (d: SsmDeps) =>
  ssmOperation(
    'UnlabelParameterVersion',
    { readOnly: false, target: byName(d.store, (input) => input.Name) },
    async (input, ctx) =>
      retryOnConflict(async () => {
        const named = plainKey(input.Name, scopeOf(ctx))
        const parameter = named === undefined ? undefined : await d.store.find(scopeOf(ctx), named.key)
        if (named === undefined || parameter === undefined) throw new ParameterNotFound(msg.parameterNotFound)
        const version = await d.store.findVersion(parameter.id, input.ParameterVersion)
        if (version === undefined) {
          throw new ParameterVersionNotFound(msg.versionNotFound(String(input.ParameterVersion), named.name))
        }
        const { removed, invalid } = planUnlabel(version, input.Labels)
        if (removed.length > 0) {
          await d.store.applyChange({
            parameterId: parameter.id,
            expectedRevision: parameter.revision,
            labels: removed.map((label) => ({ label, version: null })),
          })
        }
        return { RemovedLabels: removed, InvalidLabels: invalid }
      }),
  )
