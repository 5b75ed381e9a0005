import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { secretsManagerClient } from '../../support/clients.js'
import { auditDatabasePath, openReadWrite, type Db } from '../../support/db-snapshot.js'
import type { TestServer } from '../../support/server.js'
import { coffer, startAuditServer } from './support.js'

const RECORDS = 14

/**
 * `coffer audit verify` against a trail someone with write access to the files changed: it fails and
 * names the first bad record, in the database and in the JSONL file; an untouched trail verifies,
 * on a running server and on a stopped one.
 */
describe('coffer audit verify finds tampering', () => {
  let server: TestServer
  let sm: SecretsManagerClient
  const copies: string[] = []

  beforeAll(async () => {
    server = await startAuditServer({ devices: ['database', 'file'], digest: { everyRecords: 4 } })
    sm = secretsManagerClient(server)
    for (let i = 0; i < RECORDS; i++) await sm.send(new ListSecretsCommand({}))
  }, 60_000)

  afterAll(async () => {
    sm?.destroy()
    await server?.stop({ cleanup: true })
    for (const dir of copies) rmSync(dir, { recursive: true, force: true })
  })

  /** A copy of the stopped server's data directory, tampered with by `change`. */
  function tampered(change: (db: Db) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-tamper-'))
    copies.push(dir)
    cpSync(server.dataDir, dir, { recursive: true })
    const db = openReadWrite(dir, auditDatabasePath(dir))
    try {
      // What an attacker with the file does first: the constraints only stop honest mistakes.
      for (const trigger of [
        'audit_records_append',
        'audit_records_no_update',
        'audit_records_purge_only',
        'audit_digests_append',
        'audit_digests_no_update',
      ])
        db.exec(`DROP TRIGGER ${trigger}`)
      change(db)
    } finally {
      db.close()
    }
    return dir
  }

  function tamperedFile(change: (lines: string[]) => string[]): { dir: string; file: string } {
    const dir = tampered(() => undefined)
    const file = join(dir, 'audit/audit.jsonl')
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
    writeFileSync(file, change(lines).join('\n') + '\n')
    return { dir, file }
  }

  const verify = (dir: string, ...extra: string[]) => coffer(['audit', 'verify', '--data-dir', dir, ...extra])

  function expectInvalid(run: ReturnType<typeof coffer>, seq: number, kind: string) {
    expect(run.code, run.stdout + run.stderr).toBe(1)
    expect(run.stdout).toMatch(new RegExp(`INVALID: first bad record: seq ${seq}\\b.*: ${kind} `))
  }

  it('verifies an untouched trail on a running server', () => {
    const run = verify(server.dataDir)
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Valid/)
  })

  describe('after a clean shutdown', () => {
    beforeAll(async () => {
      await server.stop()
    })

    it('verifies the untouched trail, all of it signed', () => {
      const run = verify(server.dataDir)
      expect(run.code, run.stdout + run.stderr).toBe(0)
      expect(run.stdout).toContain(`records 1-${RECORDS} (${RECORDS} checked), 4 digests\n`)
      const file = coffer([
        'audit',
        'verify',
        '--file',
        join(server.dataDir, 'audit/audit.jsonl'),
        '--data-dir',
        server.dataDir,
      ])
      expect(file.code, file.stdout + file.stderr).toBe(0)
    })

    it('names an edited record', () => {
      const dir = tampered((db) =>
        db.exec(
          `UPDATE audit_records SET record = json_set(record, '$.sourceIPAddress', '10.9.9.9') WHERE seq = 5`,
        ),
      )
      const run = verify(dir)
      expectInvalid(run, 5, 'altered')
      expect(run.stdout).toMatch(/eventID [0-9a-f-]{36}/)
    })

    it('names a removed record', () => {
      expectInvalid(
        verify(tampered((db) => db.exec('DELETE FROM audit_records WHERE seq = 6'))),
        6,
        'missing',
      )
    })

    it('names a removed record when the rest were renumbered', () => {
      const dir = tampered((db) => {
        db.exec('DELETE FROM audit_records WHERE seq = 6')
        for (let seq = 7; seq <= RECORDS; seq++)
          db.exec(`UPDATE audit_records SET seq = ${seq - 1} WHERE seq = ${seq}`)
      })
      expectInvalid(verify(dir), 6, 'broken-link')
    })

    it('names records swapped', () => {
      const dir = tampered((db) => {
        const [a, b] = [3, 4].map(
          (seq) =>
            db.prepare('SELECT * FROM audit_records WHERE seq = ?').get(seq) as Record<string, unknown>,
        )
        db.exec('DELETE FROM audit_records WHERE seq IN (3, 4)')
        const insert = db.prepare(
          `INSERT INTO audit_records (seq, event_id, event_time, account_id, event_source, event_name, read_only, username,
             access_key_id, resources, record, prev_hash, hash)
           VALUES (@seq, @event_id, @event_time, @account_id, @event_source, @event_name, @read_only, @username,
             @access_key_id, @resources, @record, @prev_hash, @hash)`,
        )
        insert.run({ ...b, seq: 3 })
        insert.run({ ...a, seq: 4 })
      })
      expectInvalid(verify(dir), 3, 'reordered')
    })

    it('names the range of a record rewritten with a recomputed chain (only the digests can tell)', async () => {
      const { chainHash } = await import('../../../src/server/audit/chain.js')
      const dir = tampered((db) => {
        db.exec(
          `UPDATE audit_records SET record = json_set(record, '$.sourceIPAddress', '10.9.9.9') WHERE seq = 6`,
        )
        const rows = db
          .prepare('SELECT seq, record, prev_hash FROM audit_records WHERE seq >= 6 ORDER BY seq')
          .all() as {
          seq: number
          record: string
          prev_hash: string
        }[]
        let prev = rows[0]?.prev_hash ?? ''
        for (const row of rows) {
          const hash = chainHash(prev, row.record)
          db.prepare('UPDATE audit_records SET prev_hash = ?, hash = ? WHERE seq = ?').run(
            prev,
            hash,
            row.seq,
          )
          prev = hash
        }
      })
      // Digest 2 covers records 5-8.
      expectInvalid(verify(dir), 5, 'digest-mismatch')
    })

    it('names an edited digest', () => {
      const dir = tampered((db) =>
        db.exec('UPDATE audit_digests SET created_at = created_at + 1 WHERE digest_seq = 2'),
      )
      expectInvalid(verify(dir), 5, 'digest-signature')
    })

    it('names records removed from the end of a signed range', () => {
      const dir = tampered((db) => db.exec(`DELETE FROM audit_records WHERE seq > ${RECORDS - 2}`))
      expectInvalid(verify(dir), RECORDS - 1, 'missing')
    })

    it('checks only the range asked for', () => {
      const dir = tampered((db) =>
        db.exec(
          `UPDATE audit_records SET record = json_set(record, '$.sourceIPAddress', '10.9.9.9') WHERE seq = 10`,
        ),
      )
      expect(verify(dir, '--from', '2', '--to', '8').code).toBe(0)
      expectInvalid(verify(dir, '--from', '2'), 10, 'altered')
      expectInvalid(verify(dir, '--from', '2000-01-01T00:00:00Z'), 10, 'altered')
    })

    describe('in the JSONL file', () => {
      const verifyFile = (t: { dir: string; file: string }) =>
        coffer(['audit', 'verify', '--file', t.file, '--data-dir', t.dir])
      const isRecord = (line: string) => line.startsWith('{"seq"')
      const indexOfSeq = (lines: string[], seq: number) =>
        lines.findIndex((l) => l.startsWith(`{"seq":${seq},`))

      it('names an edited record', () => {
        const t = tamperedFile((lines) =>
          lines.map((l) => (l.startsWith('{"seq":7,') ? l.replace('127.0.0.1', '10.9.9.9') : l)),
        )
        expectInvalid(verifyFile(t), 7, 'altered')
      })

      it('names a removed record', () => {
        const t = tamperedFile((lines) => lines.filter((l) => !l.startsWith('{"seq":7,')))
        expectInvalid(verifyFile(t), 7, 'missing')
      })

      it('names records swapped', () => {
        const t = tamperedFile((lines) => {
          const [i, j] = [indexOfSeq(lines, 2), indexOfSeq(lines, 3)]
          const copy = [...lines]
          ;[copy[i], copy[j]] = [lines[j] ?? '', lines[i] ?? '']
          return copy
        })
        expectInvalid(verifyFile(t), 2, 'reordered')
      })

      it('names an edited digest', () => {
        const t = tamperedFile((lines) => {
          let seen = 0
          return lines.map((l) =>
            !isRecord(l) && ++seen === 3
              ? l.replace(/"createdAt":(\d+)/, (_m, n: string) => `"createdAt":${Number(n) + 1}`)
              : l,
          )
        })
        expectInvalid(verifyFile(t), 9, 'digest-signature')
      })
    })

    it('exports a trail that verifies as a file', () => {
      const out = join(mkdtempSync(join(tmpdir(), 'coffer-export-')), 'trail.jsonl')
      copies.push(out)
      expect(coffer(['audit', 'export', '--data-dir', server.dataDir, '--out', out]).code).toBe(0)
      const lines = readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
      expect(lines.filter((l) => l.startsWith('{"seq"'))).toHaveLength(RECORDS)
      const run = coffer(['audit', 'verify', '--file', out, '--data-dir', server.dataDir])
      expect(run.code, run.stdout + run.stderr).toBe(0)
    })
  })
})
