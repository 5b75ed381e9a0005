import {
  InvalidParameterException,
  InvalidRequestException,
  ResourceNotFoundException,
} from '../../../../aws-api/secretsmanager/errors.js'
import { MS_PER_DAY } from '../../../../lib/clock.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { newSecretArnSuffix, parseSecretArn, secretArn } from '../domain/names.js'
import { msg } from '../messages.js'
import { bool, bySecretId } from '../targets.js'

const DEFAULT_WINDOW_DAYS = 30

/**
 * Scheduled deletion (7–30 days, default 30) or immediate with ForceDeleteWithoutRecovery (spec §3.6).
 * Force-deleting a secret that doesn't exist succeeds, as on AWS.
 */
export const deleteSecret = (d: SecretsManagerDeps) =>
  smOperation(
    'DeleteSecret',
    {
      readOnly: false,
      target: bySecretId(d, (input) => [
        ['secretsmanager:forcedeletewithoutrecovery', bool(input.ForceDeleteWithoutRecovery)],
        ['secretsmanager:recoverywindowindays', input.RecoveryWindowInDays?.toString()],
      ]),
    },
    async (input, ctx) => {
      const force = input.ForceDeleteWithoutRecovery === true
      if (force && input.RecoveryWindowInDays !== undefined)
        throw new InvalidParameterException(msg.forceWithWindow)
      const days = input.RecoveryWindowInDays ?? DEFAULT_WINDOW_DAYS
      if (!force && (days < 7 || days > 30)) throw new InvalidParameterException(msg.recoveryWindowRange)
      const secret = await d.lookup.find(ctx, input.SecretId)
      if (force) {
        if (secret !== undefined) await d.store.deleteSecret(secret.id)
        const arn = secret?.arn ?? fabricatedArn(input.SecretId, ctx.region, ctx.principal.accountId, d)
        const name = secret?.name ?? parseSecretArn(input.SecretId)?.name ?? input.SecretId
        return { ARN: arn, Name: name, DeletionDate: new Date(ctx.now) }
      }
      if (secret === undefined) throw new ResourceNotFoundException(msg.secretNotFound)
      if (secret.deletedAt !== undefined) throw new InvalidRequestException(msg.alreadyMarkedDeleted)
      const deletionDate = ctx.now + days * MS_PER_DAY
      const { secret: written } = await d.writer.write(
        ctx,
        secret,
        { update: { deletedAt: ctx.now, deletionDate } },
        () => d.lookup.requireLive(ctx, secret.arn),
      )
      return { ARN: written.arn, Name: written.name, DeletionDate: new Date(deletionDate) }
    },
  )

function fabricatedArn(secretId: string, region: string, accountId: string, d: SecretsManagerDeps): string {
  if (secretId.startsWith('arn:')) return secretId
  return secretArn(
    region,
    accountId,
    secretId,
    newSecretArnSuffix((n) => d.random.int(n)),
  )
}
