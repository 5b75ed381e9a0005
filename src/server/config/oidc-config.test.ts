import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './load.js'

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'coffer-oidc-config-'))
}

function load(yaml: string) {
  const path = join(dir(), 'coffer.yaml')
  writeFileSync(path, yaml)
  return loadConfig({ config: path }, {})
}

describe('loadConfig: oidc', () => {
  it('defaults to no configured issuers', () => {
    expect(loadConfig({}, {}).oidc).toEqual({ issuers: {}, clockSkewSeconds: 300, fetchTimeoutSeconds: 5 })
  })

  it('reads issuers keyed by URL: static keys, a key file, a JWKS URL, or discovery', () => {
    const keyFile = join(dir(), 'jwks.json')
    writeFileSync(keyFile, '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]}')
    const config = load(`
oidc:
  clockSkewSeconds: 60
  issuers:
    "https://kubernetes.default.svc":
      jwksFile: ${keyFile}
    "https://token.actions.githubusercontent.com":
      jwksUri: http://127.0.0.1:9999/jwks
    "https://static.example.com":
      jwks: { keys: [ { kty: RSA, n: abc, e: AQAB } ] }
    "http://issuer.internal:8080":
`)
    expect(config.oidc.clockSkewSeconds).toBe(60)
    expect(config.oidc.issuers).toEqual({
      'https://kubernetes.default.svc': { jwksFile: keyFile },
      'https://token.actions.githubusercontent.com': { jwksUri: 'http://127.0.0.1:9999/jwks' },
      'https://static.example.com': { jwks: { keys: [{ kty: 'RSA', n: 'abc', e: 'AQAB' }] } },
      'http://issuer.internal:8080': {},
    })
    expect(Object.isFrozen(config.oidc.issuers)).toBe(true)
  })

  it('refuses bad issuer entries at start', () => {
    expect(() => load('oidc:\n  issuers:\n    "ftp://x": {}\n')).toThrow(ConfigError)
    expect(() => load('oidc:\n  issuers:\n    "https://x":\n      jwksUri: a\n      jwksFile: b\n')).toThrow(
      /only one of/,
    )
    expect(() => load('oidc:\n  issuers:\n    "https://x":\n      keys: []\n')).toThrow(
      /unknown setting 'keys'/,
    )
    expect(() => load('oidc:\n  issuers:\n    "https://x":\n      jwksFile: /no/such/file\n')).toThrow(
      /cannot read/,
    )
    expect(() => load('oidc:\n  issuers:\n    "https://x":\n      jwks: { nokeys: 1 }\n')).toThrow(
      /'keys' list/,
    )
    expect(() => load('oidc:\n  clockSkewSeconds: -1\n')).toThrow(/clockSkewSeconds/)
  })
})
