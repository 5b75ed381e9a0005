import type { SsmDeps } from '../deps.js'
import { ssmOperation } from '../define.js'
import { byName } from '../targets.js'
import { taggedParameter } from '../tagged-parameter.js'

/** A parameter's tags, in the order they were first added. */
export const listTagsForResource = (d: SsmDeps) =>
  ssmOperation(
    'ListTagsForResource',
    { readOnly: true, target: byName(d.store, (input) => input.ResourceId) },
    async (input, ctx) => {
      const parameter = await taggedParameter(d, ctx, input)
      return { TagList: parameter.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) }
    },
  )
