import { ValidationException } from '../../../../lib/aws/errors.js'
import { assertManagedKeyAllows, keyTarget } from '../authorization.js'
import { decodeHeader } from '../ciphertext.js'
import { keyOfCiphertext } from '../ciphertext-key.js'
import { SYMMETRIC_DEFAULT, assertAlgorithm, assertNotDryRun, keyCall } from '../crypto-checks.js'
import { kmsOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { assertUsable, locateKey } from '../locate.js'

const missingCiphertext = () =>
  new ValidationException(
    "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
  )

/**
 * ReEncrypt: decrypt under the source context, encrypt under the destination key and context, the
 * plaintext never leaving the server. IAM sees two actions: kms:ReEncryptFrom on the source key (the
 * request's authorization) and kms:ReEncryptTo on the destination key (checked here).
 */
export const reEncrypt = (d: KmsDeps) =>
  kmsOperation(
    'ReEncrypt',
    {
      readOnly: true,
      action: 'kms:ReEncryptFrom',
      target: async (input, ctx) => {
        if (input.CiphertextBlob === undefined) throw missingCiphertext()
        const source = await keyOfCiphertext(d.keys, ctx, input.CiphertextBlob, input.SourceKeyId)
        assertManagedKeyAllows(ctx, 'kms:ReEncryptFrom', source.key)
        return keyTarget(source.key, {
          callerAccountId: ctx.principal.accountId,
          ...(source.alias !== undefined && { alias: source.alias }),
          ...(input.SourceEncryptionContext !== undefined && {
            encryptionContext: input.SourceEncryptionContext,
          }),
          encryptionAlgorithm: input.SourceEncryptionAlgorithm ?? SYMMETRIC_DEFAULT,
        })
      },
    },
    async (input, ctx) => {
      const blob = input.CiphertextBlob
      if (blob === undefined) throw missingCiphertext()
      const source = await keyOfCiphertext(d.keys, ctx, blob, input.SourceKeyId)
      const destination = await locateKey(d.keys, ctx, input.DestinationKeyId, {
        aliases: true,
        crossAccount: true,
      })
      assertManagedKeyAllows(ctx, 'kms:ReEncryptTo', destination.key)
      await ctx.authorize(
        'kms:ReEncryptTo',
        keyTarget(destination.key, {
          callerAccountId: ctx.principal.accountId,
          ...(destination.alias !== undefined && { alias: destination.alias }),
          ...(input.DestinationEncryptionContext !== undefined && {
            encryptionContext: input.DestinationEncryptionContext,
          }),
          encryptionAlgorithm: input.DestinationEncryptionAlgorithm ?? SYMMETRIC_DEFAULT,
        }),
      )
      assertAlgorithm(input.SourceEncryptionAlgorithm)
      assertAlgorithm(input.DestinationEncryptionAlgorithm)
      assertUsable(source.key)
      assertUsable(destination.key)
      assertNotDryRun(input.DryRun)
      const opened = await keyCall(() => d.keys.decrypt(blob, input.SourceEncryptionContext ?? {}))
      try {
        const reencrypted = await keyCall(() =>
          d.keys.encrypt(destination.key, opened.plaintext, input.DestinationEncryptionContext ?? {}),
        )
        return {
          CiphertextBlob: reencrypted,
          SourceKeyId: source.key.arn,
          KeyId: destination.key.arn,
          SourceEncryptionAlgorithm: SYMMETRIC_DEFAULT,
          DestinationEncryptionAlgorithm: SYMMETRIC_DEFAULT,
          SourceKeyMaterialId: opened.materialId,
          DestinationKeyMaterialId: decodeHeader(reencrypted).materialId,
        }
      } finally {
        opened.plaintext.fill(0)
      }
    },
  )
