import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { AUDIT_DEVICES, defaults, type Config, type OidcIssuerConfig } from './config.js'
import { ConfigError } from './errors.js'
import { parseFunctionsConfig } from './functions-config.js'
import { checkEventsConfig } from './events-config.js'

export { ConfigError }

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] }

/** Flags as parsed by the CLI (strings as given, booleans for switches). */
export interface ConfigFlags {
  readonly config?: string | undefined
  readonly host?: string | undefined
  readonly port?: string | undefined
  readonly 'data-dir'?: string | undefined
  readonly region?: string | undefined
  readonly 'account-id'?: string | undefined
  readonly dev?: boolean | undefined
  readonly workers?: string | undefined
  readonly 'log-level'?: string | undefined
}

const ENV: Record<string, keyof ConfigFlags> = {
  COFFER_CONFIG: 'config',
  COFFER_HOST: 'host',
  COFFER_PORT: 'port',
  COFFER_DATA_DIR: 'data-dir',
  COFFER_REGION: 'region',
  COFFER_ACCOUNT_ID: 'account-id',
  COFFER_DEV: 'dev',
  COFFER_WORKERS: 'workers',
  COFFER_LOG_LEVEL: 'log-level',
}

/**
 * Builds the configuration: defaults, then the optional file (`--config` / `COFFER_CONFIG`, YAML or
 * JSON, keys as in `Config`), then `COFFER_*` environment variables, then flags. Throws ConfigError
 * with a message naming the bad setting.
 */
export function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): Config {
  const config = structuredClone(defaults) as Mutable<Config>
  const fromEnv: Record<string, string | boolean> = {}
  for (const [name, key] of Object.entries(ENV)) {
    const value = env[name]
    if (value !== undefined && value !== '')
      fromEnv[key] = key === 'dev' ? /^(1|true|yes)$/i.test(value) : value
  }
  const merged: ConfigFlags = { ...fromEnv, ...stripUndefined(flags) }
  if (merged.config !== undefined) applyFile(config, merged.config)
  if (merged.host !== undefined) config.host = merged.host
  if (merged.port !== undefined) config.port = integer('port', merged.port, 0, 65535)
  if (merged['data-dir'] !== undefined) config.dataDir = merged['data-dir']
  if (merged.region !== undefined) config.region = merged.region
  if (merged['account-id'] !== undefined) config.accountId = merged['account-id']
  if (merged.dev !== undefined) config.dev = merged.dev
  if (merged.workers !== undefined) config.workers = integer('workers', merged.workers, 1, 64)
  if (merged['log-level'] !== undefined) config.logLevel = merged['log-level'] as Config['logLevel']
  config.dataDir = resolve(config.dataDir)
  config.audit.file.path = resolve(config.dataDir, config.audit.file.path || 'audit/audit.jsonl')
  validate(config)
  config.events = checkEventsConfig(config.events, (message) => {
    throw new ConfigError(message)
  }) as Mutable<Config['events']>
  return deepFreeze(config)
}

function applyFile(config: Mutable<Config>, path: string): void {
  let parsed: unknown
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`)
  }
  if (parsed === null || parsed === undefined) return
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`config file ${path} must be a mapping`)
  // `oidc.issuers` is keyed by issuer URL and `functions` is a list of entries, so they are read on
  // their own rather than merged key by key.
  const { functions, ...withoutFunctions } = parsed as Record<string, unknown>
  const { issuers, rest } = takeOidcIssuers(withoutFunctions)
  merge(config as unknown as Record<string, unknown>, rest, path)
  if (issuers !== undefined) config.oidc.issuers = parseOidcIssuers(issuers, `${path} oidc issuers`)
  if (functions !== undefined && functions !== null)
    config.functions = parseFunctionsConfig(functions, path) as Mutable<Config>['functions']
}

function takeOidcIssuers(parsed: Record<string, unknown>): {
  issuers: unknown
  rest: Record<string, unknown>
} {
  const oidc = parsed['oidc']
  if (oidc === null || typeof oidc !== 'object' || Array.isArray(oidc) || !('issuers' in oidc)) {
    return { issuers: undefined, rest: parsed }
  }
  const { issuers, ...otherOidc } = oidc as Record<string, unknown>
  return { issuers, rest: { ...parsed, oidc: otherOidc } }
}

const ISSUER_KEYS = new Set(['jwks', 'jwksFile', 'jwksUri'])

/** `{ "<issuer url>": { jwks | jwksFile | jwksUri } | {} | null }`, checked now so mistakes stop the start. */
function parseOidcIssuers(value: unknown, where: string): Record<string, OidcIssuerConfig> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(`${where} must be a mapping of issuer URLs`)
  const issuers: Record<string, OidcIssuerConfig> = {}
  for (const [issuer, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!isHttpUrl(issuer)) throw new ConfigError(`${where}: '${issuer}' is not an http(s) URL`)
    const entry = (raw ?? {}) as Record<string, unknown>
    if (typeof entry !== 'object' || Array.isArray(entry))
      throw new ConfigError(`${where}: '${issuer}' must be a mapping`)
    const keys = Object.keys(entry)
    const unknown = keys.find((k) => !ISSUER_KEYS.has(k))
    if (unknown !== undefined) throw new ConfigError(`unknown setting '${unknown}' in ${where} '${issuer}'`)
    if (keys.length > 1)
      throw new ConfigError(`${where} '${issuer}': give only one of jwks, jwksFile, jwksUri`)
    issuers[issuer] = parseIssuerEntry(entry, `${where} '${issuer}'`)
  }
  return issuers
}

function parseIssuerEntry(entry: Record<string, unknown>, where: string): OidcIssuerConfig {
  const { jwks, jwksFile, jwksUri } = entry
  if (jwks !== undefined) return { jwks: jwkSet(jwks, where) }
  if (jwksFile !== undefined) {
    if (typeof jwksFile !== 'string') throw new ConfigError(`${where}: jwksFile must be a path`)
    const file = resolve(jwksFile)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      throw new ConfigError(`${where}: cannot read ${file}: ${(error as Error).message}`)
    }
    try {
      jwkSet(JSON.parse(text), `${where} ${file}`)
    } catch (error) {
      if (error instanceof ConfigError) throw error
      throw new ConfigError(`${where}: ${file} is not JSON`)
    }
    return { jwksFile: file }
  }
  if (jwksUri !== undefined) {
    if (typeof jwksUri !== 'string' || !isHttpUrl(jwksUri))
      throw new ConfigError(`${where}: jwksUri must be an http(s) URL`)
    return { jwksUri }
  }
  return {}
}

function jwkSet(value: unknown, where: string): { keys: object[] } {
  const keys = (value as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys) || !keys.every((k) => k !== null && typeof k === 'object'))
    throw new ConfigError(`${where}: a JWK Set needs a 'keys' list of keys`)
  return { keys: keys as object[] }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

function merge(target: Record<string, unknown>, source: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(source)) {
    if (!(key in target)) throw new ConfigError(`unknown setting '${key}' in ${where}`)
    const current = target[key]
    if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ConfigError(`setting '${key}' in ${where} must be a mapping`)
      }
      merge(current as Record<string, unknown>, value as Record<string, unknown>, `${where} ${key}`)
    } else {
      if (
        Array.isArray(current) !== Array.isArray(value) ||
        (!Array.isArray(current) && typeof current !== typeof value)
      ) {
        throw new ConfigError(
          `setting '${key}' in ${where} must be a ${Array.isArray(current) ? 'list' : typeof current}`,
        )
      }
      target[key] = value
    }
  }
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function validate(config: Config): void {
  if (!/^\d{12}$/.test(config.accountId))
    throw new ConfigError(`account id must be 12 digits, not '${config.accountId}'`)
  for (const region of [config.region, ...config.regions]) {
    if (!REGION.test(region)) throw new ConfigError(`'${region}' is not a region name (like us-east-1)`)
  }
  if (!LOG_LEVELS.includes(config.logLevel))
    throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}`)
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
    throw new ConfigError('port must be 0-65535')
  if (!Number.isInteger(config.workers) || config.workers < 1)
    throw new ConfigError('workers must be a positive integer')
  if (config.sqlite.synchronous !== 'FULL' && config.sqlite.synchronous !== 'NORMAL') {
    throw new ConfigError("sqlite.synchronous must be 'FULL' or 'NORMAL'")
  }
  const { maxAttempts, retryDelaySeconds, tickSeconds } = config.rotation
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20)
    throw new ConfigError('rotation.maxAttempts must be an integer 1-20')
  if (!Number.isFinite(retryDelaySeconds) || retryDelaySeconds < 0 || retryDelaySeconds > 3600)
    throw new ConfigError('rotation.retryDelaySeconds must be a number of seconds 0-3600')
  if (!Number.isFinite(tickSeconds) || tickSeconds < 0.05 || tickSeconds > 60)
    throw new ConfigError('rotation.tickSeconds must be a number of seconds 0.05-60')
  validateAudit(config)
  for (const key of ['clockSkewSeconds', 'fetchTimeoutSeconds'] as const) {
    const value = config.oidc[key]
    if (!Number.isFinite(value) || value < 0 || value > 3600)
      throw new ConfigError(`oidc.${key} must be a number of seconds 0-3600`)
  }
}

function validateAudit(config: Config): void {
  const { audit } = config
  const devices: readonly string[] = audit.devices
  const unknown = devices.find((d) => !(AUDIT_DEVICES as readonly string[]).includes(d))
  if (unknown !== undefined)
    throw new ConfigError(`audit device '${unknown}' is not one of ${AUDIT_DEVICES.join(', ')}`)
  if (new Set(devices).size !== devices.length) throw new ConfigError('audit devices are listed twice')
  if (audit.enabled && devices.length === 0)
    throw new ConfigError('audit.devices must list at least one device')
  if (audit.enabled && config.workers > 1 && !devices.includes('database'))
    throw new ConfigError('with several workers the audit trail needs the database device')
  const positive: [string, number][] = [
    ['audit.file.maxBytes', audit.file.maxBytes],
    ['audit.retentionDays', audit.retentionDays],
    ['audit.digest.everyRecords', audit.digest.everyRecords],
    ['audit.digest.everySeconds', audit.digest.everySeconds],
    ['audit.maxBatch', audit.maxBatch],
  ]
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer`)
  }
  if (!Number.isInteger(audit.file.keep) || audit.file.keep < 0)
    throw new ConfigError('audit.file.keep must be an integer >= 0')
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be an integer ${min}-${max}, not '${value}'`)
  return n
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
