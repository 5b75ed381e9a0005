import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { chainHash, GENESIS_HASH } from '../../audit/chain.js'
import { dataPaths, openDatabases } from '../../bootstrap.js'
import { openAuditDatabase } from './audit-database.js'
import { SqliteAuditStore } from './audit-store.js'
import { defaultSqliteOptions, openSqlite } from './database.js'
import { migrations } from './migrations/index.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tables(db: { prepare(sql: string): { pluck(): { all(): unknown[] } } }): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'audit%' ORDER BY name")
    .pluck()
    .all() as string[]
}

/** A `coffer.db` as versions before the move left it: migrations up to 009, a trail of `count` records. */
async function legacyDataDir(count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-audit-move-'))
  dirs.push(dir)
  const db = openSqlite(dataPaths(dir).database, defaultSqliteOptions, migrations.slice(0, 9))
  const store = new SqliteAuditStore(db)
  db.prepare(
    "INSERT INTO audit_signing_keys (key_id, public_key, sealed_private_key, created_at) VALUES ('k1', x'00', x'00', 1)",
  ).run()
  await store.append((tail) => {
    let prevHash = tail.hash
    const records = Array.from({ length: count }, (_, i) => {
      const text = JSON.stringify({ eventID: `e${i}`, eventName: 'GetSecretValue' })
      const hash = chainHash(prevHash, text)
      const record = {
        seq: i + 1,
        prevHash,
        hash,
        text,
        index: {
          eventId: `e${i}`,
          eventTime: 1,
          accountId: '000000000000',
          eventSource: 'secretsmanager.amazonaws.com',
          eventName: 'GetSecretValue',
          readOnly: true,
          username: 'admin',
          accessKeyId: undefined,
          resources: [],
        },
      }
      prevHash = hash
      return record
    })
    return { records }
  })
  db.close()
  return dir
}

describe('the audit trail in its own file', () => {
  it('moves a trail kept in coffer.db by earlier versions, records and chain intact, and drops the old tables', async () => {
    const dir = await legacyDataDir(5)
    const { db, auditDb } = openDatabases(dataPaths(dir), defaultSqliteOptions)
    try {
      expect(tables(db)).toEqual([])
      const store = new SqliteAuditStore(auditDb)
      const rows = [...store.records(1, 100)]
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5])
      expect(rows[0]?.prevHash).toBe(GENESIS_HASH)
      expect(store.publicKeys().map((k) => k.keyId)).toEqual(['k1'])
      // The moved chain goes on: the next append links to the last moved record.
      await store.append((tail) => {
        expect(tail).toMatchObject({ seq: 5, hash: rows[4]?.hash })
        return { records: [] }
      })
    } finally {
      db.close()
      auditDb.close()
    }
    // Opening again moves nothing twice and keeps what is there.
    const again = openDatabases(dataPaths(dir), defaultSqliteOptions)
    expect([...new SqliteAuditStore(again.auditDb).records(1, 100)]).toHaveLength(5)
    again.db.close()
    again.auditDb.close()
  })

  it('creates both files on a fresh data directory, the trail tables only in audit.db', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-audit-fresh-'))
    dirs.push(dir)
    const { db, auditDb } = openDatabases(dataPaths(dir), defaultSqliteOptions)
    expect(tables(db)).toEqual([])
    expect(tables(auditDb)).toEqual(['audit_digests', 'audit_records', 'audit_signing_keys', 'audit_state'])
    db.close()
    auditDb.close()
  })

  it('waits for a write lock another process holds without stalling the event loop, then appends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-audit-busy-'))
    dirs.push(dir)
    const path = join(dir, 'audit.db')
    const mine = openAuditDatabase(path, defaultSqliteOptions)
    const theirs = openAuditDatabase(path, defaultSqliteOptions)
    try {
      theirs.exec('BEGIN IMMEDIATE')
      let ticks = 0
      const timer = setInterval(() => ticks++, 1)
      let done = false
      const appended = new SqliteAuditStore(mine)
        .append((tail) => ({
          records: [
            {
              seq: tail.seq + 1,
              prevHash: tail.hash,
              hash: chainHash(tail.hash, '{}'),
              text: '{}',
              index: {
                eventId: 'busy',
                eventTime: 1,
                accountId: '000000000000',
                eventSource: 'secretsmanager.amazonaws.com',
                eventName: 'GetSecretValue',
                readOnly: true,
                username: undefined,
                accessKeyId: undefined,
                resources: [],
              },
            },
          ],
        }))
        .then(() => (done = true))
      await new Promise((resolve) => setTimeout(resolve, 100))
      clearInterval(timer)
      expect(done).toBe(false)
      expect(ticks).toBeGreaterThan(20)
      theirs.exec('COMMIT')
      await appended
      expect(mine.prepare('SELECT event_id FROM audit_records').pluck().all()).toEqual(['busy'])
    } finally {
      mine.close()
      theirs.close()
    }
  })
})
