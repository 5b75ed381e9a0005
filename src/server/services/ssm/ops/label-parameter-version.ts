import { ParameterNotFound, ParameterVersionNotFound } from '../../../../aws-api/ssm/errors.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { planLabels } from '../domain/labels.js'
import { plainKey } from '../domain/names.js'
import { msg } from '../messages.js'
import { retryOnConflict } from '../retry.js'
import { byName, scopeOf } from '../targets.js'

/**
 * Attaches labels to a version (default: the latest), moving each from the version that had it;
 * labels that break the naming rules come back in `InvalidLabels` (spec §5.2).
 */
export const labelParameterVersion = (d: SsmDeps) =>
  ssmOperation(
    'LabelParameterVersion',
    { readOnly: false, target: byName(d.store, (input) => input.Name) },
    async (input, ctx) =>
      retryOnConflict(async () => {
        const named = plainKey(input.Name, scopeOf(ctx))
        const parameter = named === undefined ? undefined : await d.store.find(scopeOf(ctx), named.key)
        if (named === undefined || parameter === undefined) throw new ParameterNotFound(msg.parameterNotFound)
        const number = input.ParameterVersion ?? parameter.latest.version
        const version =
          number === parameter.latest.version
            ? parameter.latest
            : await d.store.findVersion(parameter.id, number)
        if (version === undefined) {
          throw new ParameterVersionNotFound(msg.versionNotFound(String(number), named.name))
        }
        const plan = planLabels(version, input.Labels)
        if (plan.attach.length > 0) {
          await d.store.applyChange({
            parameterId: parameter.id,
            expectedRevision: parameter.revision,
            labels: plan.attach.map((label) => ({ label, version: version.version })),
          })
        }
        return { InvalidLabels: [...plan.invalid], ParameterVersion: version.version }
      }),
  )
