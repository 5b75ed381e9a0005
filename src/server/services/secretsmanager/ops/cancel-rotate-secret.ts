import { InvalidRequestException } from '../../../../aws-api/secretsmanager/errors.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { msg } from '../messages.js'
import { pendingVersion } from '../rotation-start.js'
import { bySecretId } from '../targets.js'

/**
 * CancelRotateSecret (spec §3.7): rotation disabled and unscheduled, the rules kept, labels untouched
 * (the caller cleans up AWSPENDING); the running run ends as cancelled in the same transaction. The
 * response names the pending version the cancelled rotation may have left incomplete.
 */
export const cancelRotateSecret = (d: SecretsManagerDeps) =>
  smOperation('CancelRotateSecret', { readOnly: false, target: bySecretId(d) }, async (input, ctx) => {
    const secret = await d.lookup.requireLive(ctx, input.SecretId)
    if (secret.rotation === undefined) throw new InvalidRequestException(msg.rotationNotConfigured)
    const pending = pendingVersion(await d.store.listVersions(secret.id))
    const { secret: written } = await d.writer.write(
      ctx,
      secret,
      {
        update: { rotation: { enabled: false, nextRotationAt: null, dueAt: null } },
        rotation: () => ({ cancelRunningAt: ctx.now }),
      },
      () => d.lookup.requireLive(ctx, secret.arn),
    )
    return {
      ARN: written.arn,
      Name: written.name,
      ...(pending !== undefined && { VersionId: pending.versionId }),
    }
  })
