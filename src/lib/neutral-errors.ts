/**
 * Errors thrown by lower layers (barrier, storage, key management). They say what went wrong in
 * neutral terms; services translate them into AWS errors, and the HTTP layer turns any that escape
 * into `InternalServiceError` without detail. None of them may carry secret material.
 */
export class NeutralError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** An optimistic-concurrency check failed: the row changed since it was read. Retry from a fresh read. */
export class ConflictError extends NeutralError {}

/** A uniqueness constraint rejected the write (e.g. a secret name or a version id already taken). */
export class UniqueViolationError extends NeutralError {
  constructor(readonly constraint: string) {
    super(`unique constraint violated: ${constraint}`)
  }
}

/** Authenticated decryption failed: wrong key, wrong associated data, or tampered ciphertext. */
export class IntegrityError extends NeutralError {}

/** The barrier has no usable root key (sealed). */
export class SealedError extends NeutralError {}
