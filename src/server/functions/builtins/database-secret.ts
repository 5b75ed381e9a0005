/**
 * The JSON a database secret holds, in the shape AWS's RDS rotation templates use:
 * `{"engine", "host", "port", "username", "password", "dbname", "ssl", "masterarn", ...}`.
 * Unknown fields are kept (a rotation copies them to the new version).
 */
import { RotationError } from './rotation-protocol.js'

export interface DatabaseKind {
  /** Accepted values of the `engine` field. */
  readonly engines: readonly string[]
  readonly defaultPort: number
  readonly defaultDbname?: string
}

export interface DatabaseSecret {
  readonly engine: string
  readonly host: string
  readonly port: number
  readonly username: string
  readonly password: string
  readonly dbname?: string
  /** TLS to the database, certificate verified; off unless the secret says `"ssl": true`. */
  readonly ssl: boolean
  readonly masterarn?: string
  /** The whole JSON object, as stored. */
  readonly fields: Readonly<Record<string, unknown>>
}

/** Parses and validates a secret value; `label` names it in errors (`AWSCURRENT`, `master secret`…). */
export function parseDatabaseSecret(kind: DatabaseKind, text: string, label: string): DatabaseSecret {
  return validateDatabaseSecret(kind, parseObject(text, label), label)
}

/**
 * A master secret: only `username` and `password` are required; `host`, `port`, `dbname`, `ssl` and
 * `engine` default to the user's secret. It must point at the user's database host.
 */
export function parseMasterSecret(
  kind: DatabaseKind,
  text: string,
  user: DatabaseSecret,
  label: string,
): DatabaseSecret {
  const own = parseObject(text, label)
  const connection = {
    engine: user.engine,
    host: user.host,
    port: user.port,
    ssl: user.ssl,
    ...(user.dbname !== undefined && { dbname: user.dbname }),
  }
  const master = validateDatabaseSecret(kind, { ...connection, ...own }, label)
  if (master.host !== user.host) {
    throw new RotationError(
      'ValueError',
      `The ${label} is for host ${master.host}, not the secret's database host ${user.host}.`,
    )
  }
  return master
}

function parseObject(text: string, label: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // JSON.parse's message quotes the input: never pass it on.
    value = undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RotationError('ValueError', `The secret value (${label}) is not a JSON object.`)
  }
  return value as Record<string, unknown>
}

function validateDatabaseSecret(
  kind: DatabaseKind,
  fields: Record<string, unknown>,
  label: string,
): DatabaseSecret {
  const engine = fields.engine
  if (typeof engine !== 'string' || !kind.engines.includes(engine)) {
    throw new RotationError(
      'KeyError',
      `Database engine must be set to ${kind.engines.map((e) => `'${e}'`).join(' or ')} in order to use this rotation function (${label}).`,
    )
  }
  const text = (name: string): string => {
    const value = fields[name]
    if (value === undefined)
      throw new RotationError('KeyError', `${name} key is missing from secret JSON (${label}).`)
    if (typeof value !== 'string' || value.length === 0) {
      throw new RotationError('ValueError', `${name} in secret JSON (${label}) must be a non-empty string.`)
    }
    return value
  }
  const host = text('host')
  const username = text('username')
  const password = text('password')
  const dbname = fields.dbname === undefined ? kind.defaultDbname : text('dbname')
  const masterarn = fields.masterarn === undefined ? undefined : text('masterarn')
  return {
    engine,
    host,
    port: portOf(fields.port, kind.defaultPort, label),
    username,
    password,
    ...(dbname !== undefined && { dbname }),
    ssl: sslOf(fields.ssl, label),
    ...(masterarn !== undefined && { masterarn }),
    fields,
  }
}

function portOf(value: unknown, fallback: number, label: string): number {
  if (value === undefined) return fallback
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RotationError('ValueError', `port in secret JSON (${label}) must be a port number (1-65535).`)
  }
  return port
}

/** `true`/`false`, or the strings AWS's templates accept for them. */
function sslOf(value: unknown, label: string): boolean {
  if (value === undefined || value === false) return false
  if (value === true) return true
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  throw new RotationError('ValueError', `ssl in secret JSON (${label}) must be true or false.`)
}

/** The alternating-users convention: `<base>` ⇄ `<base>_clone`. */
export function alternateUsername(username: string): string {
  return username.endsWith(CLONE_SUFFIX) ? username.slice(0, -CLONE_SUFFIX.length) : username + CLONE_SUFFIX
}

const CLONE_SUFFIX = '_clone'
