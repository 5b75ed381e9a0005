import { closeSync, constants, existsSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '../lib/clock.js'
import type { Random } from '../lib/random.js'
import { Barrier } from './barrier/barrier.js'
import { loadOrCreateRootKey, readRootKey } from './barrier/root-key.js'
import type { Config } from './config/config.js'
import { initializeDeployment, type AdminCredentials } from './services/iam/bootstrap.js'
import type { DeploymentRecord } from './services/iam/store.js'
import { moveLegacyTrail, openAuditDatabase } from './storage/sqlite/audit-database.js'
import {
  defaultSqliteOptions,
  openSqlite,
  type SqliteDb,
  type SqliteOptions,
} from './storage/sqlite/database.js'
import { SqliteFreshness } from './storage/sqlite/freshness.js'
import { SqliteIdentityStore } from './storage/sqlite/identity-store.js'
import { SqliteKeyringStore } from './storage/sqlite/keyring-store.js'

export interface DataDir {
  readonly db: SqliteDb
  /** The audit trail's own file (`audit.db`). */
  readonly auditDb: SqliteDb
  /** Change detection for caches of stored data on this process's connection. */
  readonly freshness: SqliteFreshness
  readonly barrier: Barrier
  readonly deployment: DeploymentRecord
  readonly credentialsPath: string
  /** True when this start created the deployment (and wrote the credentials file). */
  readonly initialized: boolean
}

export function dataPaths(dataDir: string) {
  return {
    rootKey: join(dataDir, 'root.key'),
    database: join(dataDir, 'coffer.db'),
    audit: join(dataDir, 'audit.db'),
    credentials: join(dataDir, 'credentials'),
  }
}

/**
 * Opens the data directory, initialising it on first start: the root key file, the database schema,
 * the barrier keyring, the deployment's account and its administrator, whose access key is written
 * once to `<data>/credentials` (AWS CLI format, mode 0600). Safe to call from several processes.
 */
export async function openDataDir(config: Config, deps: { clock: Clock; random: Random }): Promise<DataDir> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const paths = dataPaths(config.dataDir)
  const { key: rootKey } = loadOrCreateRootKey(paths.rootKey)
  const { db, auditDb } = openDatabases(paths, config.sqlite)
  const barrier = await Barrier.unseal(rootKey, new SqliteKeyringStore(db), deps.clock.now())
  rootKey.fill(0)
  const { deployment, created } = await initializeDeployment(
    { store: new SqliteIdentityStore(db), barrier, clock: deps.clock, random: deps.random },
    { accountId: config.accountId, region: config.region },
  )
  if (created !== undefined) writeCredentialsFile(paths.credentials, created, config.region)
  return {
    db,
    auditDb,
    freshness: new SqliteFreshness(db),
    barrier,
    deployment,
    credentialsPath: paths.credentials,
    initialized: created !== undefined,
  }
}

/**
 * Opens `coffer.db` and `audit.db`, the audit database first: a trail that earlier versions kept in
 * `coffer.db` is moved across before `coffer.db`'s migrations drop its tables.
 */
export function openDatabases(
  paths: Pick<ReturnType<typeof dataPaths>, 'database' | 'audit'>,
  options: SqliteOptions,
): { db: SqliteDb; auditDb: SqliteDb } {
  const auditDb = openAuditDatabase(paths.audit, options)
  try {
    moveLegacyTrail(paths.database, auditDb)
    return { db: openSqlite(paths.database, options), auditDb }
  } catch (error) {
    auditDb.close()
    throw error
  }
}

/**
 * Opens a data directory a server has initialised (running or stopped: SQLite in WAL mode lets both
 * use it at once), for administration commands. Creates no deployment (only an empty `audit.db` when
 * the server that made the directory predates it); `undefined` when `dataDir` holds no initialised
 * deployment.
 */
export async function openExistingDataDir(
  dataDir: string,
  deps: { clock: Clock },
): Promise<DataDir | undefined> {
  const paths = dataPaths(dataDir)
  if (!existsSync(paths.rootKey) || !existsSync(paths.database)) return undefined
  const rootKey = readRootKey(paths.rootKey)
  const { db, auditDb } = openDatabases(paths, defaultSqliteOptions)
  try {
    const barrier = await Barrier.unseal(rootKey, new SqliteKeyringStore(db), deps.clock.now())
    const deployment = await new SqliteIdentityStore(db).getDeployment()
    if (deployment === undefined) {
      db.close()
      auditDb.close()
      return undefined
    }
    return {
      db,
      auditDb,
      freshness: new SqliteFreshness(db),
      barrier,
      deployment,
      credentialsPath: paths.credentials,
      initialized: false,
    }
  } catch (error) {
    db.close()
    auditDb.close()
    throw error
  } finally {
    rootKey.fill(0)
  }
}

/** Written exactly once; an existing file (the operator's, or an earlier start's) is never overwritten. */
function writeCredentialsFile(path: string, credentials: AdminCredentials, region: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
  try {
    writeSync(
      fd,
      `[default]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\nregion = ${region}\n`,
    )
  } finally {
    closeSync(fd)
  }
}

/** Closes both database files. */
export function closeDataDir(data: Pick<DataDir, 'db' | 'auditDb'>): void {
  data.db.close()
  data.auditDb.close()
}
