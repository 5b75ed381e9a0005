import {
  UnsupportedOperationException,
  CustomKeyStoreNotFoundException,
} from '../../../../aws-api/kms/errors.js'
import type { DataKeySpec } from '../../../../aws-api/kms/types.js'
import { ValidationException } from '../../../../lib/aws/errors.js'
import { assertNoRecipient, assertNotDryRun, keyCall } from '../crypto-checks.js'
import { keyOperation, kmsOperation } from '../define.js'
import type { KmsDeps } from '../deps.js'
import { assertUsable } from '../locate.js'
import { msg } from '../messages.js'

/** Exactly one of KeySpec (AES_256 / AES_128) and NumberOfBytes (1-1024) [M]. */
function dataKeyBytes(input: { KeySpec?: DataKeySpec; NumberOfBytes?: number }): number {
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined))
    throw new ValidationException(msg.dataKeySpec)
  if (input.NumberOfBytes !== undefined) return input.NumberOfBytes
  return input.KeySpec === 'AES_128' ? 16 : 32
}

const contextFacts = (input: { EncryptionContext?: Readonly<Record<string, string>> }) => ({
  ...(input.EncryptionContext !== undefined && { encryptionContext: input.EncryptionContext }),
})

/** GenerateDataKey: a random data key in the clear and encrypted under the key and context. */
export const generateDataKey = (d: KmsDeps) =>
  keyOperation(
    d,
    'GenerateDataKey',
    { readOnly: true, aliases: true, crossAccount: true, facts: contextFacts },
    async (input, { key }) => {
      const bytes = dataKeyBytes(input)
      assertNoRecipient(input.Recipient)
      assertUsable(key)
      assertNotDryRun(input.DryRun)
      const dataKey = await keyCall(() => d.keys.generateDataKey(key, input.EncryptionContext ?? {}, bytes))
      return {
        CiphertextBlob: dataKey.ciphertextBlob,
        Plaintext: dataKey.plaintext,
        KeyId: key.arn,
        KeyMaterialId: dataKey.materialId,
      }
    },
  )

/** GenerateDataKeyWithoutPlaintext: the same, and the plaintext is wiped at once. */
export const generateDataKeyWithoutPlaintext = (d: KmsDeps) =>
  keyOperation(
    d,
    'GenerateDataKeyWithoutPlaintext',
    { readOnly: true, aliases: true, crossAccount: true, facts: contextFacts },
    async (input, { key }) => {
      const bytes = dataKeyBytes(input)
      assertUsable(key)
      assertNotDryRun(input.DryRun)
      const dataKey = await keyCall(() => d.keys.generateDataKey(key, input.EncryptionContext ?? {}, bytes))
      dataKey.plaintext.fill(0)
      return { CiphertextBlob: dataKey.ciphertextBlob, KeyId: key.arn, KeyMaterialId: dataKey.materialId }
    },
  )

/** GenerateRandom: 1-1024 bytes from the CSPRNG; NumberOfBytes is required though the model leaves it optional. */
export const generateRandom = (d: KmsDeps) =>
  kmsOperation('GenerateRandom', { readOnly: true }, async (input) => {
    if (input.NumberOfBytes === undefined) throw new ValidationException(msg.numberOfBytesMissing)
    if (input.CustomKeyStoreId !== undefined)
      throw new CustomKeyStoreNotFoundException(msg.customKeyStore(input.CustomKeyStoreId))
    if (input.Recipient !== undefined) throw new UnsupportedOperationException(msg.recipientUnsupported)
    return { Plaintext: d.random.bytes(input.NumberOfBytes) }
  })
