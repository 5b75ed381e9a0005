import type { Statement } from 'better-sqlite3'
import type { Freshness } from '../freshness.js'
import type { SqliteDb } from './database.js'

/**
 * Change detection for one SQLite connection. `refresh()` runs once at the start of every request: it
 * reads `PRAGMA data_version`, which moves whenever another connection (another worker process, an
 * operator's `sqlite3`) commits, and tells subscribers. This connection's own commits don't move it, so
 * every writer through this connection calls `written()` after committing.
 */
export class SqliteFreshness implements Freshness {
  private readonly dataVersion: Statement<[], number>
  private readonly listeners: (() => void)[] = []
  private seen = -1

  constructor(db: SqliteDb) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck() as Statement<[], number>
  }

  subscribe(onChange: () => void): void {
    this.listeners.push(onChange)
  }

  /** Checks for other connections' commits; cheap (one pragma, no I/O beyond the shared-memory index). */
  refresh(): void {
    const version = this.dataVersion.get() as number
    if (version === this.seen) return
    this.seen = version
    this.notify()
  }

  /** To be called after every commit through this connection. */
  written(): void {
    this.notify()
  }

  private notify(): void {
    for (const listener of this.listeners) listener()
  }
}
