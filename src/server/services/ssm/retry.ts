import { TooManyUpdates } from '../../../aws-api/ssm/errors.js'
import { ConflictError, UniqueViolationError } from '../../../lib/neutral-errors.js'

import { msg } from './messages.js'

const ATTEMPTS = 8

/**
 * Runs a read-compute-write until it commits: a concurrent change (ConflictError, or a version number
 * or name another writer took first) makes it re-read and recompute. After a few rounds of losing the
 * race the caller gets TooManyUpdates, as on AWS.
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt()
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof UniqueViolationError)) throw error
      if (i >= ATTEMPTS) throw new TooManyUpdates(msg.tooManyUpdates)
    }
  }
}
