import { AccessDeniedException } from '../../../../lib/aws/errors.js'
import { InvalidRequestException } from '../../../../aws-api/secretsmanager/errors.js'
import { parseRotationRules } from '../../../rotation/schedule.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { AWSCURRENT } from '../domain/stages.js'
import { msg } from '../messages.js'
import { requireToken } from '../request-values.js'
import { assertKeyUsableFrom } from '../secret-lookup.js'
import { bool, bySecretId } from '../targets.js'

/**
 * RotateSecret (spec §3.7): checks the function (given or stored) exists before storing anything, then
 * starts the rotation — the token becomes an AWSPENDING placeholder the engine's run fills, or, with
 * RotateImmediately=false, a copy of the current value on which only testSecret runs.
 */
export const rotateSecret = (d: SecretsManagerDeps) =>
  smOperation(
    'RotateSecret',
    {
      readOnly: false,
      target: bySecretId(d, (input) => [
        ['secretsmanager:rotationlambdaarn', input.RotationLambdaARN],
        ['secretsmanager:rotateimmediately', bool(input.RotateImmediately)],
      ]),
    },
    async (input, ctx) => {
      const token = requireToken(input.ClientRequestToken)
      const secret = await d.lookup.requireLive(ctx, input.SecretId)
      const rules =
        input.RotationRules === undefined ? undefined : parseRotationRules(input.RotationRules).rules
      const functionArn = input.RotationLambdaARN ?? secret.rotation?.lambdaArn
      if (functionArn === undefined) throw new InvalidRequestException(msg.noRotationLambda)
      if ((await d.rotation.registry.find(functionArn)) === undefined)
        throw new AccessDeniedException(msg.cannotInvokeLambda)
      const immediately = input.RotateImmediately ?? true
      let value
      if (!immediately) {
        assertKeyUsableFrom(ctx, secret)
        const current = await d.store.findVersionByStage(secret.id, AWSCURRENT)
        if (current?.value !== undefined)
          value = await d.crypto.open(ctx, secret.arn, current.versionId, current.value)
      }
      const started = await d.rotation.starter.start(
        ctx,
        secret,
        {
          token,
          functionArn,
          ...(rules !== undefined && { rules }),
          trigger: immediately ? 'immediate' : 'test-only',
          ...(value !== undefined && { value }),
        },
        () => d.lookup.requireLive(ctx, secret.arn),
      )
      return { ARN: started.secret.arn, Name: started.secret.name, VersionId: started.versionId }
    },
  )
