import { decodeJwt, jwtVerify, type JWTPayload } from 'jose'
import {
  ExpiredTokenException,
  IDPRejectedClaimException,
  InvalidIdentityTokenException,
} from '../../../../aws-api/sts/errors.js'
import { providerKey, providerPath } from '../domain/arns.js'
import { msg } from '../messages.js'
import type { OidcProviderRecord } from '../store.js'
import type { OidcKeys } from './jwks.js'

/** Asymmetric algorithms only: a key set never holds a shared secret an issuer could sign with. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']

export interface VerifiedWebIdentity {
  readonly provider: OidcProviderRecord
  /** The provider as trust policies and condition keys name it: `host/path` of the issuer. */
  readonly providerPath: string
  readonly subject: string
  /** The token audience that matched one of the provider's client ids. */
  readonly audience: string
  readonly claims: JWTPayload
}

/** The token's issuer, read before verification to find the provider; `InvalidIdentityToken` if unreadable. */
export function unverifiedIssuer(token: string): string {
  let claims: JWTPayload
  try {
    claims = decodeJwt(token)
  } catch {
    throw new InvalidIdentityTokenException(msg.notAJwt)
  }
  if (typeof claims.iss !== 'string' || claims.iss === '') {
    throw new InvalidIdentityTokenException(msg.missingClaim('iss'))
  }
  return claims.iss
}

/** The account's IAM OIDC provider for an issuer (compared as `host/path`, the host ignoring case). */
export function providerFor(
  providers: readonly OidcProviderRecord[],
  issuer: string,
): OidcProviderRecord | undefined {
  const key = providerKey(issuer)
  return providers.find((p) => providerKey(p.url) === key)
}

/**
 * Verifies a web identity token (an OIDC ID token, a Kubernetes service-account token, a CI token):
 * signature against the issuer's keys, `iss`, `exp`/`nbf`/`iat` with the configured skew, `sub`, and an
 * `aud` among the provider's client ids. Errors are STS's: `InvalidIdentityToken`, `ExpiredTokenException`,
 * `IDPRejectedClaim`.
 */
export async function verifyWebIdentityToken(
  token: string,
  issuer: string,
  provider: OidcProviderRecord,
  options: { keys: OidcKeys; now: number; skewSeconds: number },
): Promise<VerifiedWebIdentity> {
  const keys = await options.keys.keysFor(issuer, options.now)
  let claims: JWTPayload
  try {
    const verified = await jwtVerify(token, keys, {
      algorithms: ALGORITHMS,
      issuer,
      currentDate: new Date(options.now),
      clockTolerance: options.skewSeconds,
      requiredClaims: ['exp', 'sub'],
    })
    claims = verified.payload
  } catch (error) {
    throw translate(error, options.now)
  }
  const nowSeconds = Math.floor(options.now / 1000)
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds + options.skewSeconds) {
    throw new IDPRejectedClaimException(msg.issuedInFuture)
  }
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? [])
  const audience = audiences.find((aud) => provider.clientIds.includes(aud))
  if (audience === undefined) throw new InvalidIdentityTokenException(msg.incorrectAudience)
  return { provider, providerPath: providerPath(provider.url), subject: claims.sub ?? '', audience, claims }
}

function translate(error: unknown, now: number): Error {
  const code = (error as { code?: unknown }).code
  const failure = error as { claim?: string; reason?: string; payload?: JWTPayload }
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new ExpiredTokenException(msg.tokenExpired(Math.floor(now / 1000), Number(failure.payload?.exp)))
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (failure.reason === 'missing')
        return new InvalidIdentityTokenException(msg.missingClaim(failure.claim ?? ''))
      if (failure.claim === 'nbf') return new IDPRejectedClaimException(msg.notYetValid)
      return new InvalidIdentityTokenException(msg.invalidClaim(failure.claim ?? ''))
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new InvalidIdentityTokenException(msg.jwksUnavailable)
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new InvalidIdentityTokenException(msg.notAJwt)
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWK_INVALID':
      return new InvalidIdentityTokenException(msg.badSignature)
    default:
      // A remote key set that could not be fetched fails with a plain (fetch) error.
      return new InvalidIdentityTokenException(msg.jwksUnavailable)
  }
}
