/**
 * STS (awsQuery) reports authentication failures with its own codes and statuses; the messages are
 * the same. The HTTP layer maps the errors this module throws with `toQueryProtocolAuthError`.
 */
import { AwsError, type AwsErrorSpec } from '../../../lib/aws/errors.js'

const QUERY_AUTH_CODES: Readonly<Record<string, AwsErrorSpec>> = {
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403, fault: 'client' },
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400, fault: 'client' },
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', status: 403, fault: 'client' },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403, fault: 'client' },
  // Code per AWS's common errors; the status is unverified.
  ExpiredTokenException: { code: 'ExpiredToken', status: 403, fault: 'client' },
}

/** The awsQuery equivalent of a SigV4 / credential error; any other error is returned unchanged. */
export function toQueryProtocolAuthError(err: AwsError): AwsError {
  const spec = Object.hasOwn(QUERY_AUTH_CODES, err.code) ? QUERY_AUTH_CODES[err.code] : undefined
  return spec === undefined ? err : new AwsError(spec, err.message)
}
