/**
 * What a rejected SSM request must leave untouched: every row of the Parameter Store tables and of
 * KMS's keys and aliases (a SecureString put may create `alias/aws/ssm`), read through a second,
 * read-only SQLite connection while the server runs. `PRAGMA data_version` moves on any other
 * connection's commit, so rows are compared only when it moved.
 */
import type { Db } from '../../../support/db-snapshot.js'

const QUERIES = {
  ssm_parameters: 'SELECT * FROM ssm_parameters ORDER BY id',
  ssm_parameter_versions: `SELECT parameter_id, version, type, hex(value) AS value, key_id, description,
    allowed_pattern, data_type, tier, last_modified_at, last_modified_user
    FROM ssm_parameter_versions ORDER BY parameter_id, version`,
  ssm_parameter_labels: 'SELECT * FROM ssm_parameter_labels ORDER BY parameter_id, label',
  kms_keys: 'SELECT key_id, arn, key_manager, key_state FROM kms_keys ORDER BY key_id',
  kms_aliases: 'SELECT account_id, region, alias_name, target_key_id FROM kms_aliases ORDER BY alias_name',
} as const

type Snapshot = Record<keyof typeof QUERIES, string[]>

function snapshot(db: Db): Snapshot {
  return db.transaction(() => {
    const out = {} as Snapshot
    for (const [table, sql] of Object.entries(QUERIES) as [keyof typeof QUERIES, string][]) {
      out[table] = db
        .prepare(sql)
        .all()
        .map((row) => JSON.stringify(row))
    }
    return out
  })()
}

function diff(before: Snapshot, after: Snapshot): string {
  const lines: string[] = []
  for (const table of Object.keys(QUERIES) as (keyof typeof QUERIES)[]) {
    const a = new Set(before[table])
    const b = new Set(after[table])
    for (const row of a) if (!b.has(row)) lines.push(`- ${table} ${row}`)
    for (const row of b) if (!a.has(row)) lines.push(`+ ${table} ${row}`)
  }
  return lines.join('\n')
}

export class SsmTablesTracker {
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
    const changed = diff(this.current, snapshot(this.db))
    // Only other tables changed (e.g. a secret's last access through a reference): still the reference.
    if (changed === '') this.version = version
    return changed
  }

  accept(): void {
    this.version = this.dataVersion()
    this.current = snapshot(this.db)
  }
}
