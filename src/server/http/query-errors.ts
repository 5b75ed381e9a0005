/**
 * STS and IAM (awsQuery) name some common errors differently from the awsJson services, with other
 * statuses; the messages are the same. The HTTP layer maps every error of a query service through
 * `toQueryError` before writing it as XML.
 */
import { AwsError, type AwsErrorSpec } from '../../lib/aws/errors.js'

const QUERY_AUTH_CODES: Readonly<Record<string, AwsErrorSpec>> = {
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403, fault: 'client' },
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400, fault: 'client' },
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', status: 403, fault: 'client' },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403, fault: 'client' },
  // Code per AWS's common errors; the status is unverified.
  ExpiredTokenException: { code: 'ExpiredToken', status: 403, fault: 'client' },
  // Authorization: the awsJson services answer AccessDeniedException (400), STS and IAM AccessDenied (403).
  AccessDeniedException: { code: 'AccessDenied', status: 403, fault: 'client' },
  // Model constraint violations: `ValidationError` on the query services (spec §6.1).
  ValidationException: { code: 'ValidationError', status: 400, fault: 'client' },
}

/**
 * The awsQuery equivalent of a common error; any other error is returned unchanged —
 * including a service's modeled error that shares a code (STS's own `ExpiredTokenException`, 400, for
 * an expired web identity token, is not the common `ExpiredToken`).
 */
export function toQueryError(err: AwsError): AwsError {
  const spec = Object.hasOwn(QUERY_AUTH_CODES, err.code) ? QUERY_AUTH_CODES[err.code] : undefined
  return spec === undefined || isModeled(err) ? err : new AwsError(spec, err.message)
}

/** Generated (modeled) error classes carry their wire spec as a static member. */
function isModeled(err: AwsError): boolean {
  return (err.constructor as { spec?: unknown }).spec !== undefined
}
