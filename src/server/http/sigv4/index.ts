/**
 * AWS Signature Version 4 verification (server side). Typical use, per request:
 *
 *   const auth = parseAuthorization(req)                      // Missing/IncompleteSignature...
 *   checkCredentialScope(auth, 'secretsmanager', regions)     // InvalidSignatureException
 *   const secret = lookUp(auth.accessKeyId)                   // caller: UnrecognizedClientException
 *   verifySignature(req, auth, { now, skewMs, secretAccessKey: secret }, cache)
 *
 * Dev mode (any credentials accepted) calls only `parseAuthorization` (optionally `checkRequestTime`).
 */
export type { ParsedAuth, SigV4Request, VerifyOptions } from './types.js'
export { parseAuthorization } from './parse.js'
export { checkCredentialScope } from './scope.js'
export { checkRequestTime, verifySignature } from './verify.js'
export { SigningKeyCache, deriveSigningKey } from './signing-key-cache.js'

/** Allowed clock skew for Secrets Manager, KMS and SSM. */
export const SKEW_MS_DEFAULT = 5 * 60_000
/** Allowed clock skew for STS. */
export const SKEW_MS_STS = 15 * 60_000
