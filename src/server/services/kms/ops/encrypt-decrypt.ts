import type { DecryptRequest } from '../../../../aws-api/kms/types.js'
import { ValidationException } from '../../../../lib/aws/errors.js'
import type { RequestContext } from '../../../core/context.js'
import { assertManagedKeyAllows, keyTarget } from '../authorization.js'
import { keyOfCiphertext } from '../ciphertext-key.js'
import {
  SYMMETRIC_DEFAULT,
  assertAlgorithm,
  assertNoRecipient,
  assertNotDryRun,
  keyCall,
} from '../crypto-checks.js'
import { keyOperation, kmsOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { assertUsable } from '../locate.js'
import { perRequest } from '../per-request.js'

/** Encrypt: 1-4096 bytes (the validator) under the key's current material; the context is bound as AAD. */
export const encrypt = (d: KmsDeps) =>
  keyOperation(
    d,
    'Encrypt',
    {
      readOnly: true,
      aliases: true,
      crossAccount: true,
      facts: (input) => ({
        ...(input.EncryptionContext !== undefined && { encryptionContext: input.EncryptionContext }),
        encryptionAlgorithm: input.EncryptionAlgorithm ?? SYMMETRIC_DEFAULT,
      }),
    },
    async (input, { key }) => {
      assertAlgorithm(input.EncryptionAlgorithm)
      assertUsable(key)
      assertNotDryRun(input.DryRun)
      const blob = await keyCall(() => d.keys.encrypt(key, input.Plaintext, input.EncryptionContext ?? {}))
      return { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: SYMMETRIC_DEFAULT }
    },
  )

const missingCiphertext = () =>
  new ValidationException(
    "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
  )

/**
 * Decrypt: the blob names its key and key material, so KeyId is optional and old material keeps
 * decrypting after rotation; the context must be the same map (any order) [M].
 */
export const decrypt = (d: KmsDeps) => {
  const ciphertextKey = perRequest((input: DecryptRequest, ctx: RequestContext) => {
    if (input.CiphertextBlob === undefined) throw missingCiphertext()
    return keyOfCiphertext(d.keys, ctx, input.CiphertextBlob, input.KeyId)
  })
  return kmsOperation(
    'Decrypt',
    {
      readOnly: true,
      target: async (input, ctx) => {
        const located = await ciphertextKey(input, ctx)
        assertManagedKeyAllows(ctx, 'kms:Decrypt', located.key)
        return keyTarget(located.key, {
          callerAccountId: ctx.principal.accountId,
          ...(located.alias !== undefined && { alias: located.alias }),
          ...(input.EncryptionContext !== undefined && { encryptionContext: input.EncryptionContext }),
          encryptionAlgorithm: input.EncryptionAlgorithm ?? SYMMETRIC_DEFAULT,
        })
      },
    },
    async (input, ctx) => {
      const { key } = await ciphertextKey(input, ctx)
      assertAlgorithm(input.EncryptionAlgorithm)
      assertNoRecipient(input.Recipient)
      assertUsable(key)
      assertNotDryRun(input.DryRun)
      const blob = input.CiphertextBlob
      if (blob === undefined) throw missingCiphertext()
      const opened = await keyCall(() => d.keys.decrypt(blob, input.EncryptionContext ?? {}))
      return {
        KeyId: key.arn,
        Plaintext: opened.plaintext,
        EncryptionAlgorithm: SYMMETRIC_DEFAULT,
        KeyMaterialId: opened.materialId,
      }
    },
  )
}
