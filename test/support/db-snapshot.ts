/**
 * Read-only views of a running (or stopped) server's SQLite file. The server runs in WAL mode, so a
 * second, read-only connection sees every committed transaction without disturbing it.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'

export type Db = Database.Database

export function databasePath(dataDir: string): string {
  return join(dataDir, 'coffer.db')
}

/** The audit trail's own file. */
export function auditDatabasePath(dataDir: string): string {
  return join(dataDir, 'audit.db')
}

export function openReadOnly(dataDir: string, path = databasePath(dataDir)): Db {
  return new Database(path, { readonly: true, fileMustExist: true })
}

export function openReadWrite(dataDir: string, path = databasePath(dataDir)): Db {
  const db = new Database(path, { fileMustExist: true })
  db.pragma('busy_timeout = 10000')
  return db
}

/** Everything about secrets a write could change, except the read-tracking `last_accessed_at` columns. */
const QUERIES = {
  secrets: `SELECT id, account_id, region, name, arn, description, kms_key_arn, owning_service, type, tags,
              resource_policy, created_at, last_changed_at, deleted_at, deletion_date, revision
            FROM secrets ORDER BY id`,
  secret_versions: `SELECT secret_id, version_id, created_at, kms_key_arn, hex(encrypted_data_key) AS encrypted_data_key,
                      value_type, hex(ciphertext) AS ciphertext
                    FROM secret_versions ORDER BY secret_id, version_id`,
  secret_stages: 'SELECT secret_id, stage, version_id FROM secret_stages ORDER BY secret_id, stage',
} as const

export type TableName = keyof typeof QUERIES
export type Snapshot = Record<TableName, string[]>

/** Row contents of `secrets`, `secret_versions` and `secret_stages`, read in one transaction. */
export function snapshot(db: Db): Snapshot {
  return db.transaction(() => {
    const out = {} as Snapshot
    for (const [table, sql] of Object.entries(QUERIES) as [TableName, string][]) {
      out[table] = db
        .prepare(sql)
        .all()
        .map((row) => JSON.stringify(row))
    }
    return out
  })()
}

/** A readable description of what changed between two snapshots (empty when they are equal). */
export function diffSnapshots(before: Snapshot, after: Snapshot): string {
  const lines: string[] = []
  for (const table of Object.keys(QUERIES) as TableName[]) {
    const a = new Set(before[table])
    const b = new Set(after[table])
    for (const row of a) if (!b.has(row)) lines.push(`- ${table} ${row}`)
    for (const row of b) if (!a.has(row)) lines.push(`+ ${table} ${row}`)
  }
  return lines.join('\n')
}

/**
 * Cheap change detection: `PRAGMA data_version` moves whenever another connection commits. Rows are
 * compared only when it moved.
 */
export class SnapshotTracker {
  private version: number
  private current: Snapshot

  constructor(private readonly db: Db) {
    this.version = this.dataVersion()
    this.current = snapshot(db)
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number
  }

  /** What changed since the last `accept()` (empty string: nothing). */
  changes(): string {
    const version = this.dataVersion()
    if (version === this.version) return ''
    const diff = diffSnapshots(this.current, snapshot(this.db))
    // Only excluded columns (or other tables) changed: the rows are still the reference.
    if (diff === '') this.version = version
    return diff
  }

  /** Takes the current state as the new reference (after a successful write). */
  accept(): void {
    this.version = this.dataVersion()
    this.current = snapshot(this.db)
  }
}
