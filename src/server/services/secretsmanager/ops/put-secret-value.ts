import { InvalidRequestException } from '../../../../aws-api/secretsmanager/errors.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { msg } from '../messages.js'
import { requireToken, valueOf } from '../request-values.js'
import { assertKeyUsableFrom } from '../secret-lookup.js'
import { bySecretId } from '../targets.js'
import { afterManualChange } from '../../../rotation/next-due.js'
import { AWSCURRENT } from '../domain/stages.js'

export const putSecretValue = (d: SecretsManagerDeps) =>
  smOperation('PutSecretValue', { readOnly: false, target: bySecretId(d) }, async (input, ctx) => {
    const token = requireToken(input.ClientRequestToken)
    const value = valueOf(input)
    if (value === undefined) throw new InvalidRequestException(msg.valueRequired)
    const secret = await d.lookup.requireLive(ctx, input.SecretId)
    assertKeyUsableFrom(ctx, secret)
    const { secret: written, version } = await d.writer.write(
      ctx,
      secret,
      {
        version: { token, value, ...(input.VersionStages !== undefined && { stages: input.VersionStages }) },
        update: (current) => {
          const makesCurrent = input.VersionStages?.includes(AWSCURRENT) ?? true
          const next = makesCurrent ? afterManualChange(current.rotation, ctx.now, d.random) : undefined
          return next === undefined ? {} : { rotation: next }
        },
      },
      () => d.lookup.requireLive(ctx, secret.arn),
    )
    return {
      ARN: written.arn,
      Name: written.name,
      VersionId: token,
      VersionStages: [...(version?.stages ?? [])],
    }
  })
