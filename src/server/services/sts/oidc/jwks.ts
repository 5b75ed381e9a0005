import { statSync, readFileSync } from 'node:fs'
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'
import { InvalidIdentityTokenException } from '../../../../aws-api/sts/errors.js'
import type { OidcConfig, OidcIssuerConfig } from '../../../config/config.js'
import { msg } from '../messages.js'

/** How long a discovered `jwks_uri` is used before discovery runs again (keys themselves: jose's cache). */
const DISCOVERY_TTL_MS = 60 * 60_000

type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<Response>

/**
 * The signing keys of OIDC issuers, for AssumeRoleWithWebIdentity. Per issuer, from the configuration
 * (a static JWK Set, a file re-read when it changes, or a JWKS URL) or by OIDC discovery
 * (`<issuer>/.well-known/openid-configuration` → `jwks_uri`), fetched with `createRemoteJWKSet`, which
 * caches the keys and refetches when a token names an unknown key. Only https issuers are discovered
 * unless the issuer is listed in the configuration (a cluster-internal or test issuer on http).
 *
 * Callers look the issuer up among the account's registered IAM OIDC providers first, so nothing is
 * fetched for an issuer nobody registered.
 */
export class OidcKeys {
  private readonly remote = new Map<string, { keys: JWTVerifyGetKey; until: number }>()
  private readonly files = new Map<string, { mtimeMs: number; keys: JWTVerifyGetKey }>()
  private readonly statics = new Map<string, JWTVerifyGetKey>()

  constructor(
    private readonly config: OidcConfig,
    private readonly fetchImpl: Fetch = (url, init) => fetch(url, init),
  ) {}

  /** The key resolver for an issuer; `InvalidIdentityToken` when its keys cannot be had. */
  async keysFor(issuer: string, now: number): Promise<JWTVerifyGetKey> {
    const configured = this.configured(issuer)
    if (configured?.jwks !== undefined) {
      let keys = this.statics.get(issuer)
      if (keys === undefined) {
        keys = createLocalJWKSet(configured.jwks as JSONWebKeySet)
        this.statics.set(issuer, keys)
      }
      return keys
    }
    if (configured?.jwksFile !== undefined) return this.fileKeys(configured.jwksFile)
    const cached = this.remote.get(issuer)
    if (cached !== undefined && cached.until > now) return cached.keys
    const uri = configured?.jwksUri ?? (await this.discover(issuer, configured !== undefined))
    const keys = createRemoteJWKSet(new URL(uri), { timeoutDuration: this.config.fetchTimeoutSeconds * 1000 })
    this.remote.set(issuer, { keys, until: now + DISCOVERY_TTL_MS })
    return keys
  }

  /** The issuer's configuration entry; a trailing slash does not make another issuer. */
  private configured(issuer: string): OidcIssuerConfig | undefined {
    const issuers = this.config.issuers
    const bare = issuer.replace(/\/+$/, '')
    for (const key of [issuer, bare, `${bare}/`]) if (Object.hasOwn(issuers, key)) return issuers[key]
    return undefined
  }

  private fileKeys(path: string): JWTVerifyGetKey {
    try {
      const { mtimeMs } = statSync(path)
      const cached = this.files.get(path)
      if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.keys
      const keys = createLocalJWKSet(JSON.parse(readFileSync(path, 'utf8')) as JSONWebKeySet)
      this.files.set(path, { mtimeMs, keys })
      return keys
    } catch {
      throw new InvalidIdentityTokenException(msg.jwksUnavailable)
    }
  }

  private async discover(issuer: string, listed: boolean): Promise<string> {
    const allowed = (url: string) => url.startsWith('https://') || (listed && url.startsWith('http://'))
    if (!allowed(issuer)) throw new InvalidIdentityTokenException(msg.jwksUnavailable)
    try {
      const response = await this.fetchImpl(
        `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
        {
          signal: AbortSignal.timeout(this.config.fetchTimeoutSeconds * 1000),
        },
      )
      if (!response.ok) throw new Error(`discovery answered ${response.status}`)
      const document = (await response.json()) as { jwks_uri?: unknown }
      const uri = document.jwks_uri
      if (typeof uri !== 'string' || !allowed(uri)) throw new Error('no usable jwks_uri')
      return uri
    } catch {
      throw new InvalidIdentityTokenException(msg.jwksUnavailable)
    }
  }
}
