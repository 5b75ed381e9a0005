import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { bySecretId } from '../targets.js'

/** Removes tags; absent keys are ignored. Once tagged, a secret shows `Tags: []` after the last removal. */
export const untagResource = (d: SecretsManagerDeps) =>
  smOperation(
    'UntagResource',
    { readOnly: false, target: bySecretId(d, (input) => [['aws:tagkeys', input.TagKeys]]) },
    async (input, ctx) => {
      const secret = await d.lookup.requireLive(ctx, input.SecretId)
      const removed = new Set(input.TagKeys)
      await d.writer.write(
        ctx,
        secret,
        {
          update: (current) =>
            current.tags === undefined ? {} : { tags: current.tags.filter((tag) => !removed.has(tag.Key)) },
        },
        () => d.lookup.requireLive(ctx, secret.arn),
      )
      return {}
    },
  )
