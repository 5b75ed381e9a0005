import { existsSync } from 'node:fs'
import { auditMigrations } from './audit-migrations/index.js'
import { openSqlite, type SqliteDb, type SqliteOptions } from './database.js'

/**
 * WAL pages before SQLite copies them back into the file (default 1000). The trail only appends, and
 * a page filled over several commits is copied once per checkpoint, so fewer, larger checkpoints
 * write less; each costs an fsync the committing request would otherwise wait for.
 */
const AUDIT_AUTOCHECKPOINT_PAGES = 10_000

/**
 * Opens (creating if needed) the audit trail's own database file. It is separate from `coffer.db` so
 * that recording a request — every request, reads included — never changes the file the caches of
 * secrets, keys and policies watch: with several processes on one data directory, each commit to a
 * shared file would otherwise empty every other process's caches.
 */
export function openAuditDatabase(path: string, options: SqliteOptions): SqliteDb {
  const db = openSqlite(path, options, auditMigrations)
  db.pragma(`wal_autocheckpoint = ${AUDIT_AUTOCHECKPOINT_PAGES}`)
  return db
}

const TRAIL_TABLES = ['audit_signing_keys', 'audit_state', 'audit_records', 'audit_digests'] as const

/**
 * Copies a trail kept in `coffer.db` by earlier versions (its migration 008) into the audit database,
 * once: only while the audit database holds nothing yet, in one transaction, rows in chain order so
 * the triggers check every link again. Runs before `coffer.db`'s migrations drop the old tables; a
 * second process starting at the same time finds the copy made and does nothing.
 */
export function moveLegacyTrail(legacyPath: string, audit: SqliteDb): void {
  if (!existsSync(legacyPath)) return
  audit.prepare('ATTACH DATABASE ? AS legacy').run(legacyPath)
  try {
    const present = audit
      .prepare("SELECT count(*) FROM legacy.sqlite_master WHERE type = 'table' AND name IN (?, ?, ?, ?)")
      .pluck()
      .get(...TRAIL_TABLES) as number
    if (present !== TRAIL_TABLES.length) return
    audit
      .transaction(() => {
        const used = audit
          .prepare(
            `SELECT (SELECT count(*) FROM main.audit_records) + (SELECT count(*) FROM main.audit_digests)
                  + (SELECT count(*) FROM main.audit_signing_keys)`,
          )
          .pluck()
          .get() as number
        if (used > 0) return
        audit.exec(`
          INSERT INTO main.audit_signing_keys SELECT * FROM legacy.audit_signing_keys;
          UPDATE main.audit_state SET
            purged_through_seq = (SELECT purged_through_seq FROM legacy.audit_state),
            purged_through_hash = (SELECT purged_through_hash FROM legacy.audit_state);
          INSERT INTO main.audit_records SELECT * FROM legacy.audit_records ORDER BY seq;
          INSERT INTO main.audit_digests SELECT * FROM legacy.audit_digests ORDER BY digest_seq;
        `)
      })
      .immediate()
  } finally {
    audit.exec('DETACH DATABASE legacy')
  }
}
