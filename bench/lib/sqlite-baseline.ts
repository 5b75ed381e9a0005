/**
 * The storage limit: raw better-sqlite3 write transactions per second on a fresh file, with the
 * pragmas Coffer opens its database with (WAL, synchronous=FULL: one fsync per commit), each
 * transaction inserting one ~200-byte row.
 */
import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { defaultSqliteOptions } from '../../src/server/storage/sqlite/database.js'

export interface BaselineResult {
  readonly transactions: number
  readonly seconds: number
  readonly perSecond: number
  /** CPU (user + system) this process spent in the loop. */
  readonly cpuSeconds: number
}

export function sqliteBaseline(dir: string, seconds: number, value: string): BaselineResult {
  const path = join(dir, `baseline-${Date.now()}.sqlite`)
  const db = new Database(path)
  try {
    // The same pragmas, in the same order, as openSqlite() in src/server/storage/sqlite/database.ts.
    db.pragma('busy_timeout = 10000')
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${defaultSqliteOptions.synchronous}`)
    db.pragma('foreign_keys = ON')
    db.pragma(`mmap_size = ${defaultSqliteOptions.mmapBytes}`)
    db.exec(
      'CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, value BLOB NOT NULL, created_at INTEGER NOT NULL)',
    )
    const insert = db.prepare('INSERT INTO rows (name, value, created_at) VALUES (?, ?, ?)')
    const bytes = Buffer.from(value)
    const insertOne = db.transaction((n: number) => insert.run(`bench/row-${n}`, bytes, Date.now()))
    const cpuBefore = process.cpuUsage()
    const start = performance.now()
    const end = start + seconds * 1000
    let n = 0
    let now = start
    while (now < end) {
      insertOne.immediate(n++)
      now = performance.now()
    }
    const elapsed = (now - start) / 1000
    const cpu = process.cpuUsage(cpuBefore)
    return {
      transactions: n,
      seconds: elapsed,
      perSecond: n / elapsed,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    }
  } finally {
    db.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
  }
}
