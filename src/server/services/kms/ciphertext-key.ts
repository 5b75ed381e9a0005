import { IncorrectKeyException, InvalidCiphertextException } from '../../../aws-api/kms/errors.js'
import type { RequestContext } from '../../core/context.js'
import { decodeHeader } from './ciphertext.js'
import { KmsInvalidCiphertextError } from './errors.js'
import type { KmsKeys } from './keys.js'
import { locateKey, type LocatedKey } from './locate.js'
import { msg } from './messages.js'

/**
 * The key a symmetric ciphertext names (Decrypt, ReEncrypt's source). A blob that is not one of ours,
 * or names a key that does not exist (here), is InvalidCiphertextException with an empty message; a
 * `KeyId` given that names another key is IncorrectKeyException [LS-snap].
 */
export async function keyOfCiphertext(
  keys: KmsKeys,
  ctx: RequestContext,
  blob: Uint8Array,
  keyId: string | undefined,
): Promise<LocatedKey> {
  let named: string
  try {
    named = decodeHeader(blob).keyId
  } catch (error) {
    if (error instanceof KmsInvalidCiphertextError) throw new InvalidCiphertextException('')
    throw error
  }
  if (keyId !== undefined) {
    const located = await locateKey(keys, ctx, keyId, { aliases: true, crossAccount: true })
    if (located.key.keyId !== named) throw new IncorrectKeyException(msg.incorrectKey)
    return located
  }
  const key = await keys.findKey(named)
  if (key === undefined || key.region !== ctx.region) throw new InvalidCiphertextException('')
  // The same owner rules as a key named by ARN (another account's AWS-managed key is not usable).
  return locateKey(keys, ctx, key.arn, { aliases: false, crossAccount: true })
}
