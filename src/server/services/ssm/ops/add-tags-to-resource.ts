import { TooManyTagsError } from '../../../../aws-api/ssm/errors.js'
import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { msg } from '../messages.js'
import { retryOnConflict } from '../retry.js'
import { assertTagCount, mergeTags } from '../tags.js'
import { byName, requestTagKeys } from '../targets.js'
import { taggedParameter } from '../tagged-parameter.js'

/** Adds tags to a parameter, overwriting the values of keys it has; at most 50 tags per parameter. */
export const addTagsToResource = (d: SsmDeps) =>
  ssmOperation(
    'AddTagsToResource',
    {
      readOnly: false,
      target: byName(
        d.store,
        (input) => input.ResourceId,
        (input) => requestTagKeys(input.Tags),
      ),
    },
    async (input, ctx) =>
      retryOnConflict(async () => {
        const parameter = await taggedParameter(d, ctx, input)
        const tags = mergeTags(parameter.tags, input.Tags)
        assertTagCount(tags, () => new TooManyTagsError(msg.tooManyTagsError))
        if (input.Tags.length > 0) {
          await d.store.applyChange({ parameterId: parameter.id, expectedRevision: parameter.revision, tags })
        }
        return {}
      }),
  )
