import { NeutralError } from '../../../lib/neutral-errors.js'

/**
 * Why a KMS key could not be used. Neutral: Secrets Manager turns these into EncryptionFailure /
 * DecryptionFailure, the KMS wire API into NotFoundException / DisabledException / KMSInvalidStateException.
 */
export class KmsKeyUnavailableError extends NeutralError {
  constructor(
    readonly reason: 'NotFound' | 'Disabled' | 'PendingDeletion' | 'InvalidKeyId',
    readonly keyRef: string,
  ) {
    super(`KMS key ${keyRef} unavailable: ${reason}`)
  }
}

/** The ciphertext is malformed, was made under another key, or its encryption context differs. */
export class KmsInvalidCiphertextError extends NeutralError {
  constructor(message = 'invalid ciphertext') {
    super(message)
  }
}
