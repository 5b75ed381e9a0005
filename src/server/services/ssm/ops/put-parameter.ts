import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import type { ParameterWriter } from '../parameter-writer.js'
import { bool, byName, requestTagKeys } from '../targets.js'

/** Creates a parameter or adds a version to it (spec §5.2); the rules are in ParameterWriter. */
export const putParameter = (d: SsmDeps, writer: ParameterWriter) =>
  ssmOperation(
    'PutParameter',
    {
      readOnly: false,
      target: byName(
        d.store,
        (input) => input.Name,
        (input) => [['ssm:overwrite', bool(input.Overwrite)], ...requestTagKeys(input.Tags)],
      ),
    },
    (input, ctx) => writer.put(input, ctx),
  )
