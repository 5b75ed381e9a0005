import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { assertKeyUsableFrom } from '../secret-lookup.js'
import { bySecretId } from '../targets.js'

export const getSecretValue = (d: SecretsManagerDeps) =>
  smOperation(
    'GetSecretValue',
    {
      readOnly: true,
      target: bySecretId(d, (input) => [
        ['secretsmanager:versionid', input.VersionId],
        ['secretsmanager:versionstage', input.VersionStage],
      ]),
    },
    async (input, ctx) => {
      const secret = await d.lookup.requireLive(ctx, input.SecretId)
      assertKeyUsableFrom(ctx, secret)
      return d.reader.read(ctx, secret, { versionId: input.VersionId, stage: input.VersionStage })
    },
  )
