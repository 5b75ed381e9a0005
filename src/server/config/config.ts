import { eventsDefaults, type EventsConfig } from './events-config.js'

/** The server's configuration, frozen after loading. Sources, lowest first: defaults, file, environment, flags. */
export interface Config {
  readonly host: string
  readonly port: number
  readonly dataDir: string
  /** The deployment's default region; also the only region served unless `regions` lists more. */
  readonly region: string
  readonly regions: readonly string[]
  /** The account created on first start (ignored afterwards: the deployment remembers its own). */
  readonly accountId: string
  /** Accept any credentials. Loudly announced. */
  readonly dev: boolean
  /** HTTP worker processes (node:cluster); 1 = serve from this process. */
  readonly workers: number
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  readonly maxBodyBytes: number
  readonly sqlite: {
    readonly synchronous: 'FULL' | 'NORMAL'
    readonly mmapBytes: number
  }
  readonly cache: {
    readonly dataKeyTtlSeconds: number
    readonly dataKeyMaxEntries: number
  }
  /** How often the purge job looks for secrets whose recovery window ended. */
  readonly purgeIntervalSeconds: number
  /** The rotation engine (docs/rotation.md). */
  readonly rotation: {
    /**
     * Run the rotation scheduler in this process (default). Off: the node serves requests only; runs
     * started here are executed by a node that has it on (or wait until one does).
     */
    readonly scheduler: boolean
    /** Attempts of one step before the rotation fails. */
    readonly maxAttempts: number
    /** Delay before a step's second attempt; it doubles for each further one, up to 5 minutes. */
    readonly retryDelaySeconds: number
    /** How often the scheduler looks for due rotations and due attempts. */
    readonly tickSeconds: number
  }
  /** AssumeRoleWithWebIdentity: where OIDC issuers' signing keys come from (docs/sts.md). */
  readonly oidc: OidcConfig
  /** Event rules, webhook destinations and delivery (docs/events.md). */
  readonly events: EventsConfig
  /** Rotation functions registered (created or updated) at every start (docs/functions.md). */
  readonly functions: readonly FunctionConfig[]
  /** The audit trail (docs/audit.md). */
  readonly audit: AuditConfig
}

export const AUDIT_DEVICES = ['database', 'file', 'stdout'] as const
export type AuditDevice = (typeof AUDIT_DEVICES)[number]

export interface AuditConfig {
  /** Write a record for every request. */
  readonly enabled: boolean
  /** A request whose record cannot be written fails with an internal error instead of being answered. */
  readonly failClosed: boolean
  /** Where records go; `database` keeps the chain LookupEvents and `coffer audit` read. */
  readonly devices: readonly AuditDevice[]
  /** The `file` device: JSONL (`<dataDir>/audit/audit.jsonl` when empty), rotated by size. */
  readonly file: { readonly path: string; readonly maxBytes: number; readonly keep: number }
  /** Records older than this are purged (whole digest ranges) by the background jobs. */
  readonly retentionDays: number
  /** A signed digest every `everyRecords` records, at least every `everySeconds` while records arrive, and on shutdown. */
  readonly digest: { readonly everyRecords: number; readonly everySeconds: number }
  /** Most records committed in one transaction. */
  readonly maxBatch: number
}

/**
 * A rotation function as the config file declares it: a process (`runtime`, `handler`, `code`) or a
 * webhook (`url`, `signingKeyFile`). Paths are absolute once loaded.
 */
export interface FunctionConfig {
  readonly name: string
  readonly role: string
  readonly runtime?: 'nodejs' | 'python'
  readonly handler?: string
  readonly code?: string
  readonly environment?: Readonly<Record<string, string>>
  readonly url?: string
  /** A file holding the webhook's signing key (the key itself does not belong in a config file). */
  readonly signingKeyFile?: string
  readonly timeout?: number
  readonly memory?: number
  readonly accountId?: string
  readonly region?: string
}

export interface OidcConfig {
  /**
   * Per issuer URL, exactly as in the tokens' `iss`: a static key set (`jwks`, or `jwksFile` read when it
   * changes), a `jwksUri`, or `{}` for OIDC discovery. Issuers not listed use discovery over https;
   * an `http://` issuer is accepted only when listed here.
   */
  readonly issuers: Readonly<Record<string, OidcIssuerConfig>>
  /** Tolerance for `exp`, `nbf` and `iat`. */
  readonly clockSkewSeconds: number
  /** Timeout of discovery and JWKS requests. */
  readonly fetchTimeoutSeconds: number
}

export interface OidcIssuerConfig {
  /** A JWK Set (`{"keys": [...]}`). */
  readonly jwks?: { readonly keys: readonly object[] }
  /** Path of a file holding a JWK Set (absolute once loaded). */
  readonly jwksFile?: string
  /** The JWKS URL, skipping discovery. */
  readonly jwksUri?: string
}

export const defaults: Config = {
  host: '127.0.0.1',
  port: 4566,
  dataDir: './coffer-data',
  region: 'us-east-1',
  regions: [],
  accountId: '000000000000',
  dev: false,
  workers: 1,
  logLevel: 'info',
  maxBodyBytes: 1024 * 1024,
  sqlite: { synchronous: 'FULL', mmapBytes: 256 * 1024 * 1024 },
  cache: { dataKeyTtlSeconds: 300, dataKeyMaxEntries: 10_000 },
  purgeIntervalSeconds: 60,
  rotation: { scheduler: true, maxAttempts: 4, retryDelaySeconds: 5, tickSeconds: 1 },
  oidc: { issuers: {}, clockSkewSeconds: 300, fetchTimeoutSeconds: 5 },
  events: eventsDefaults,
  functions: [],
  audit: {
    enabled: true,
    failClosed: true,
    devices: ['database'],
    file: { path: '', maxBytes: 100 * 1024 * 1024, keep: 5 },
    retentionDays: 90,
    digest: { everyRecords: 1000, everySeconds: 900 },
    maxBatch: 500,
  },
}
