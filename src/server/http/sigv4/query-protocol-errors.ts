/**
 * STS and IAM (awsQuery) report authentication and authorization failures with their own codes and
 * statuses; the messages are the same. The HTTP layer maps the errors this module throws with `toQueryProtocolAuthError`.
 */
import { AwsError, type AwsErrorSpec } from '../../../lib/aws/errors.js'

const QUERY_AUTH_CODES: Readonly<Record<string, AwsErrorSpec>> = {
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403, fault: 'client' },
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400, fault: 'client' },
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', status: 403, fault: 'client' },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403, fault: 'client' },
  // Code per AWS's common errors; the status is unverified.
  ExpiredTokenException: { code: 'ExpiredToken', status: 403, fault: 'client' },
  // Authorization: the awsJson services answer AccessDeniedException (400), STS and IAM AccessDenied (403).
  AccessDeniedException: { code: 'AccessDenied', status: 403, fault: 'client' },
}

/**
 * The awsQuery equivalent of a SigV4 / credential error; any other error is returned unchanged —
 * including a service's modeled error that shares a code (STS's own `ExpiredTokenException`, 400, for
 * an expired web identity token, is not the common `ExpiredToken`).
 */
export function toQueryProtocolAuthError(err: AwsError): AwsError {
  const spec = Object.hasOwn(QUERY_AUTH_CODES, err.code) ? QUERY_AUTH_CODES[err.code] : undefined
  return spec === undefined || isModeled(err) ? err : new AwsError(spec, err.message)
}

/** Generated (modeled) error classes carry their wire spec as a static member. */
function isModeled(err: AwsError): boolean {
  return (err.constructor as { spec?: unknown }).spec !== undefined
}
