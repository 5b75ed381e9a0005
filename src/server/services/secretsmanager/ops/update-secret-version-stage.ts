import { InvalidParameterException } from '../../../../aws-api/secretsmanager/errors.js'
import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { moveStage, type StageMoveError } from '../domain/stages.js'
import { msg } from '../messages.js'
import { bySecretId } from '../targets.js'

export const updateSecretVersionStage = (d: SecretsManagerDeps) =>
  smOperation(
    'UpdateSecretVersionStage',
    {
      readOnly: false,
      target: bySecretId(d, (input) => [['secretsmanager:versionstage', input.VersionStage]]),
    },
    async (input, ctx) => {
      const secret = await d.lookup.requireLive(ctx, input.SecretId)
      const { secret: written } = await d.writer.write(
        ctx,
        secret,
        {
          relabel: (versions) => {
            const moves = moveStage(
              versions,
              input.VersionStage,
              input.MoveToVersionId,
              input.RemoveFromVersionId,
            )
            if (!Array.isArray(moves)) throw stageError(moves, input.VersionStage)
            return moves
          },
        },
        () => d.lookup.requireLive(ctx, secret.arn),
      )
      return { ARN: written.arn, Name: written.name }
    },
  )

function stageError(error: StageMoveError, stage: string): InvalidParameterException {
  switch (error.kind) {
    case 'no-target':
      return new InvalidParameterException(msg.stageTargetRequired)
    case 'unknown-version':
      return new InvalidParameterException(msg.versionNotFound(error.versionId))
    case 'remove-from-required':
      return new InvalidParameterException(msg.removeFromRequired(stage, error.holder))
    case 'remove-from-mismatch':
      return new InvalidParameterException(msg.removeFromMismatch(stage, error.versionId))
    case 'cannot-remove-current':
      return new InvalidParameterException(msg.cannotRemoveCurrent)
  }
}
