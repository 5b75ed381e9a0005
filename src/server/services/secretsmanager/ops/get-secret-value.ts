import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'

export const getSecretValue = (d: SecretsManagerDeps) =>
  smOperation('GetSecretValue', { readOnly: true }, async (input, ctx) => {
    const secret = await d.lookup.requireLive(ctx, input.SecretId)
    return d.reader.read(secret, { versionId: input.VersionId, stage: input.VersionStage }, ctx.now)
  })
