import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { bySecretId } from '../targets.js'

/** Cancels a scheduled deletion; restoring a secret that isn't scheduled changes nothing. */
export const restoreSecret = (d: SecretsManagerDeps) =>
  smOperation('RestoreSecret', { readOnly: false, target: bySecretId(d) }, async (input, ctx) => {
    const secret = await d.lookup.require(ctx, input.SecretId)
    if (secret.deletedAt === undefined) return { ARN: secret.arn, Name: secret.name }
    const { secret: written } = await d.writer.write(
      ctx,
      secret,
      { update: { deletedAt: null, deletionDate: null } },
      () => d.lookup.require(ctx, secret.arn),
    )
    return { ARN: written.arn, Name: written.name }
  })
