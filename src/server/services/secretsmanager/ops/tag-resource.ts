import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { mergeTags, newTags } from '../request-values.js'
import { bySecretId, requestTagKeys } from '../targets.js'

/**
 * Adds tags, overwriting the values of keys already present (spec §3.13). An empty tag list changes
 * nothing: it is not a first tagging, so DescribeSecret keeps omitting `Tags` (§3.5).
 */
export const tagResource = (d: SecretsManagerDeps) =>
  smOperation(
    'TagResource',
    { readOnly: false, target: bySecretId(d, (input) => requestTagKeys(input.Tags)) },
    async (input, ctx) => {
      const added = newTags(input.Tags)
      const secret = await d.lookup.requireLive(ctx, input.SecretId)
      if (added.length === 0) return {}
      await d.writer.write(
        ctx,
        secret,
        { update: (current) => ({ tags: mergeTags(current.tags ?? [], added) }) },
        () => d.lookup.requireLive(ctx, secret.arn),
      )
      return {}
    },
  )
