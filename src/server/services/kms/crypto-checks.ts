import {
  DisabledException,
  DryRunOperationException,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMSInvalidStateException,
  NotFoundException,
} from '../../../aws-api/kms/errors.js'
import { ValidationException } from '../../../lib/aws/errors.js'
import { KmsInvalidCiphertextError, KmsKeyUnavailableError } from './errors.js'
import { msg } from './messages.js'

export const SYMMETRIC_DEFAULT = 'SYMMETRIC_DEFAULT'

/** Symmetric keys know one algorithm; any other is InvalidKeyUsageException. */
export function assertAlgorithm(algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== SYMMETRIC_DEFAULT)
    throw new InvalidKeyUsageException(msg.algorithm(algorithm))
}

/** Attested (Nitro Enclaves) requests need an attestation Coffer cannot verify. */
export function assertNoRecipient(recipient: unknown): void {
  if (recipient !== undefined) throw new ValidationException(msg.recipientUnsupported)
}

/** After every check passed: a dry run answers with DryRunOperationException instead of acting. */
export function assertNotDryRun(dryRun: boolean | undefined): void {
  if (dryRun === true) throw new DryRunOperationException(msg.dryRun)
}

/**
 * Runs a call into KmsKeys, turning its neutral errors into KMS's: a ciphertext that does not open
 * is InvalidCiphertextException with an empty message [LS-snap]; a key that changed state since it
 * was checked gets the state's error.
 */
export async function keyCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof KmsInvalidCiphertextError) throw new InvalidCiphertextException('')
    if (error instanceof KmsKeyUnavailableError) {
      if (error.reason === 'Disabled') throw new DisabledException(msg.disabled(error.keyRef))
      if (error.reason === 'PendingDeletion')
        throw new KMSInvalidStateException(msg.pendingDeletion(error.keyRef))
      throw new NotFoundException(msg.keyNotFound(error.keyRef))
    }
    throw error
  }
}
