import type { SecretsManagerDeps } from '../deps.js'
import { smOperation } from '../define.js'
import { requireToken, valueOf } from '../request-values.js'
import type { SecretUpdate } from '../store.js'
import { recordedKeyArn } from '../value-crypto.js'
import { assertKeyUsableFrom } from '../secret-lookup.js'
import { bySecretId } from '../targets.js'
import { afterManualChange } from '../../../rotation/next-due.js'

/**
 * With a value: a new AWSCURRENT version, as PutSecretValue without labels. Without: metadata only, and
 * the response has no VersionId (spec §3.3). A new KmsKeyId re-wraps the labelled versions (§3.15).
 */
export const updateSecret = (d: SecretsManagerDeps) =>
  smOperation(
    'UpdateSecret',
    {
      readOnly: false,
      target: bySecretId(d, (input) => [
        ['secretsmanager:description', input.Description],
        ['secretsmanager:kmskeyid', input.KmsKeyId],
      ]),
    },
    async (input, ctx) => {
      const value = valueOf(input)
      const token = value === undefined ? undefined : requireToken(input.ClientRequestToken)
      const secret = await d.lookup.requireLive(ctx, input.SecretId)
      assertKeyUsableFrom(ctx, secret)
      const newKey = input.KmsKeyId === undefined ? undefined : await d.crypto.resolve(secret, input.KmsKeyId)
      const update: SecretUpdate = {
        ...(input.Description !== undefined && {
          description: input.Description === '' ? null : input.Description,
        }),
        ...(newKey !== undefined && { kmsKeyArn: recordedKeyArn(newKey) ?? null }),
        ...(input.Type !== undefined && { type: input.Type }),
      }
      if (newKey !== undefined && value === undefined) await d.crypto.validateAccess(ctx, newKey, secret.arn)
      const keyChanged =
        newKey !== undefined && (recordedKeyArn(newKey) ?? null) !== (secret.kmsKeyArn ?? null)
      const { secret: written } = await d.writer.write(
        ctx,
        secret,
        {
          ...(value !== undefined && token !== undefined && { version: { token, value } }),
          update: (current) => {
            const next =
              value === undefined ? undefined : afterManualChange(current.rotation, ctx.now, d.random)
            return next === undefined ? update : { ...update, rotation: next }
          },
          ...(keyChanged && { newKey }),
        },
        () => d.lookup.requireLive(ctx, secret.arn),
      )
      return { ARN: written.arn, Name: written.name, ...(token !== undefined && { VersionId: token }) }
    },
  )
