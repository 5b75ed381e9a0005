/**
 * OIDC fixtures for AssumeRoleWithWebIdentity: signing keys generated with jose, a local issuer on
 * 127.0.0.1 (discovery document and JWKS), a config file pointing Coffer at them, and tokens shaped like
 * GitHub Actions' and Kubernetes service accounts'.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const K8S_ISSUER = 'https://kubernetes.default.svc'
export const STS_AUDIENCE = 'sts.amazonaws.com'

export interface SigningKey {
  readonly kid: string
  readonly alg: 'RS256' | 'ES256'
  readonly privateKey: CryptoKey
  readonly jwk: JWK
}

export async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } }
}

export interface TokenClaims {
  readonly iss: string
  readonly sub: string
  readonly aud: string | string[]
  /** Seconds from now; default 600. */
  readonly expiresIn?: number
  readonly notBefore?: number
  readonly extra?: Record<string, unknown>
}

export function token(key: SigningKey, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const jwt = new SignJWT({ ...claims.extra })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.iss)
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (claims.expiresIn ?? 600))
  if (claims.notBefore !== undefined) jwt.setNotBefore(now + claims.notBefore)
  return jwt.sign(key.privateKey)
}

/** A GitHub Actions OIDC token for `repo:<repo>:ref:refs/heads/main`. */
export function githubToken(
  key: SigningKey,
  repo: string,
  overrides: Partial<TokenClaims> = {},
): Promise<string> {
  return token(key, {
    iss: GITHUB_ISSUER,
    sub: `repo:${repo}:ref:refs/heads/main`,
    aud: STS_AUDIENCE,
    extra: { repository: repo, ref: 'refs/heads/main', event_name: 'push' },
    ...overrides,
  })
}

/** A projected Kubernetes service-account token (`system:serviceaccount:<ns>:<sa>`). */
export function kubernetesToken(key: SigningKey, namespace: string, account: string): Promise<string> {
  return token(key, {
    iss: K8S_ISSUER,
    sub: `system:serviceaccount:${namespace}:${account}`,
    aud: [STS_AUDIENCE],
    extra: { 'kubernetes.io': { namespace, serviceaccount: { name: account, uid: 'c0ffee' } } },
  })
}

/** A plain-HTTP OIDC issuer on 127.0.0.1: discovery document and JWKS, counting requests. */
export class LocalIssuer {
  readonly requests: string[] = []
  private server: Server | undefined
  url = ''

  constructor(private readonly keys: () => JWK[]) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? '')
      const body =
        req.url === '/.well-known/openid-configuration'
          ? {
              issuer: this.url,
              jwks_uri: `${this.url}/jwks`,
              id_token_signing_alg_values_supported: ['RS256'],
            }
          : req.url === '/jwks'
            ? { keys: this.keys() }
            : undefined
      if (body === undefined) res.writeHead(404).end()
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server === undefined ? resolve() : this.server.close(() => resolve()),
    )
  }
}

/**
 * A config file with `oidc.issuers` in a fresh directory; `files` (JSON contents by name) are written
 * next to it first, and `issuers` receives their paths.
 */
export function writeOidcConfig(
  files: Record<string, unknown>,
  issuers: (paths: Record<string, string>) => Record<string, unknown>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-oidc-'))
  const paths: Record<string, string> = {}
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name)
    writeFileSync(paths[name], JSON.stringify(content))
  }
  const path = join(dir, 'coffer.json')
  writeFileSync(path, JSON.stringify({ oidc: { issuers: issuers(paths), clockSkewSeconds: 30 } }))
  return { dir, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
