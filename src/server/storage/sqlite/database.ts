import Database from 'better-sqlite3'
import { migrations } from './migrations/index.js'

export type SqliteDb = Database.Database

export interface SqliteOptions {
  /**
   * FULL fsyncs the WAL on every commit (survives power loss); NORMAL survives a killed process but
   * may lose the last commits on power loss. Default FULL: an acknowledged secret write is durable.
   */
  synchronous: 'FULL' | 'NORMAL'
  /** Bytes of the database file to memory-map for reads. */
  mmapBytes: number
}

export const defaultSqliteOptions: SqliteOptions = { synchronous: 'FULL', mmapBytes: 256 * 1024 * 1024 }

type Migrations = readonly { readonly name: string; readonly sql: string }[]

/** Opens (creating if needed) a database file in WAL mode and brings its schema up to date. */
export function openSqlite(
  path: string,
  options: SqliteOptions = defaultSqliteOptions,
  schema: Migrations = migrations,
): SqliteDb {
  const db = new Database(path)
  db.pragma('busy_timeout = 10000')
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous}`)
  db.pragma('foreign_keys = ON')
  db.pragma(`mmap_size = ${options.mmapBytes}`)
  migrate(db, schema)
  return db
}

/**
 * Applies pending migrations, each in its own IMMEDIATE transaction so concurrent processes starting
 * on the same file serialise; `user_version` records how many have run.
 */
export function migrate(db: SqliteDb, schema: Migrations = migrations): void {
  for (;;) {
    const applied = db.transaction(() => {
      const version = db.pragma('user_version', { simple: true }) as number
      const next = schema[version]
      if (next === undefined) return false
      db.exec(next.sql)
      db.pragma(`user_version = ${version + 1}`)
      return true
    })
    if (!applied.immediate()) return
  }
}
