import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { retryOnConflict } from '../retry.js'
import { removeTags } from '../tags.js'
import { byName } from '../targets.js'
import { taggedParameter } from '../tagged-parameter.js'

/** Removes tag keys from a parameter; keys it doesn't have are ignored. */
export const removeTagsFromResource = (d: SsmDeps) =>
  ssmOperation(
    'RemoveTagsFromResource',
    {
      readOnly: false,
      target: byName(
        d.store,
        (input) => input.ResourceId,
        (input) => [['aws:tagkeys', input.TagKeys]],
      ),
    },
    async (input, ctx) =>
      retryOnConflict(async () => {
        const parameter = await taggedParameter(d, ctx, input)
        const tags = removeTags(parameter.tags, input.TagKeys)
        if (tags.length !== parameter.tags.length) {
          await d.store.applyChange({ parameterId: parameter.id, expectedRevision: parameter.revision, tags })
        }
        return {}
      }),
  )
