import type { Statement } from 'better-sqlite3'
import { open, type FileHandle } from 'node:fs/promises'
import type { Digest } from '../../audit/chain.js'
import type { LookupResource } from '../../audit/record.js'
import { CoalescedSync } from '../../../lib/coalesced-sync.js'
import type {
  AppendPlan,
  Appended,
  AuditIndex,
  AuditReader,
  AuditStore,
  ChainTail,
  LookupQuery,
  LookupRow,
  SigningKeyRecord,
} from '../../audit/store.js'
import type { StoredChainRecord } from '../../audit/verify.js'
import type { SqliteDb } from './database.js'

interface RecordRow {
  seq: number
  event_id: string
  event_time: number
  account_id: string
  event_source: string
  event_name: string
  read_only: number
  username: string | null
  access_key_id: string | null
  resources: string
  record: string
  prev_hash: string
  hash: string
}

interface DigestRow {
  digest_seq: number
  first_seq: number
  last_seq: number
  last_hash: string
  created_at: number
  previous_signature: string | null
  key_id: string
  signature: string
}

/** How often an append finds the write lock taken before it gives up (about 10 s with the delays). */
const BUSY_ATTEMPTS = 1000

function isBusy(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'SQLITE_BUSY'
}

/** `PRAGMA synchronous` value of FULL (EXTRA is 3). */
const FULL = 2

/** LookupEvents attribute → SQL condition on `r` (one attribute per query, as AWS allows). */
const ATTRIBUTE_SQL: Readonly<Record<string, string>> = {
  EventId: 'r.event_id = ?',
  EventName: 'r.event_name = ?',
  EventSource: 'r.event_source = ?',
  Username: 'r.username = ?',
  AccessKeyId: 'r.access_key_id = ?',
  ReadOnly: "r.read_only = (CASE ? WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)",
  ResourceName: "EXISTS (SELECT 1 FROM json_each(r.resources) j WHERE json_extract(j.value, '$.name') = ?)",
  ResourceType: "EXISTS (SELECT 1 FROM json_each(r.resources) j WHERE json_extract(j.value, '$.type') = ?)",
}

/**
 * The audit trail on SQLite (migration 008). Appends run in an IMMEDIATE transaction, so the tail read
 * inside it is the real tail even with several processes writing the same file; the triggers refuse
 * anything that would not continue the chain.
 *
 * Group commit without blocking: better-sqlite3 is synchronous, and with `synchronous = FULL` every
 * commit would hold the event loop for an fsync (milliseconds), so no request could progress while a
 * batch is made durable. An append therefore commits with `synchronous = NORMAL` (the WAL frames are
 * written, safe from a killed process) and then fsyncs the WAL file off the event loop, which gives
 * the commit exactly FULL's guarantee before the append resolves; requests completing meanwhile form
 * the next batch. With the database opened NORMAL the extra fsync is skipped, as for every other write.
 */
export class SqliteAuditStore implements AuditStore, AuditReader {
  private readonly insertRecord: Statement
  private readonly insertDigest: Statement
  private readonly lastRecord: Statement
  private readonly lastDigest: Statement
  private readonly state: Statement
  private readonly synchronous: Statement
  private readonly syncNormal: Statement
  private readonly syncFull: Statement
  private readonly syncExtra: Statement
  private readonly noBusyWait: Statement
  private readonly busyWait: Statement
  private wal: Promise<FileHandle> | undefined
  private readonly walSync = new CoalescedSync(() => this.syncWal())

  constructor(private readonly db: SqliteDb) {
    this.insertRecord = db.prepare(
      `INSERT INTO audit_records (seq, event_id, event_time, account_id, event_source, event_name, read_only,
         username, access_key_id, resources, record, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.insertDigest = db.prepare(
      `INSERT INTO audit_digests (digest_seq, first_seq, last_seq, last_hash, created_at, previous_signature,
         key_id, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.lastRecord = db.prepare('SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1')
    this.lastDigest = db.prepare('SELECT * FROM audit_digests ORDER BY digest_seq DESC LIMIT 1')
    this.state = db.prepare('SELECT purged_through_seq AS seq, purged_through_hash AS hash FROM audit_state')
    this.synchronous = db.prepare('PRAGMA synchronous').pluck()
    this.syncNormal = db.prepare('PRAGMA synchronous = NORMAL')
    this.syncFull = db.prepare('PRAGMA synchronous = FULL')
    this.syncExtra = db.prepare('PRAGMA synchronous = EXTRA')
    // Appends only: other work on this connection (migrations, signing keys, the purge) keeps waiting.
    const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number
    this.noBusyWait = db.prepare('PRAGMA busy_timeout = 0')
    this.busyWait = db.prepare(`PRAGMA busy_timeout = ${busyTimeout}`)
  }

  async append(plan: (tail: ChainTail) => AppendPlan): Promise<Appended> {
    const synchronous = this.synchronous.get() as number
    let planned: AppendPlan
    for (let attempt = 1; ; attempt++) {
      if (synchronous >= FULL) this.syncNormal.run()
      this.noBusyWait.run()
      try {
        planned = this.commit(plan)
        break
      } catch (error) {
        // Another process holds the write lock: try again after a short timer, handling other I/O
        // meanwhile, instead of SQLite's busy handler sleeping on this thread.
        if (!isBusy(error) || attempt >= BUSY_ATTEMPTS) throw error
      } finally {
        this.busyWait.run()
        if (synchronous >= FULL) (synchronous === FULL ? this.syncFull : this.syncExtra).run()
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(attempt, 10)))
    }
    return {
      durable: Promise.all([synchronous >= FULL ? this.walSync.after() : undefined, planned.sync?.()]).then(
        () => undefined,
      ),
    }
  }

  /** One IMMEDIATE transaction: the tail, the plan, its rows. The plan's `undo` runs when it fails. */
  private commit(plan: (tail: ChainTail) => AppendPlan): AppendPlan {
    let planned: AppendPlan | undefined
    try {
      this.db
        .transaction(() => {
          const last = (this.lastRecord.get() ?? this.state.get()) as { seq: number; hash: string }
          const digestRow = this.lastDigest.get() as DigestRow | undefined
          planned = plan({
            seq: last.seq,
            hash: last.hash,
            lastDigest: digestRow === undefined ? undefined : digestOf(digestRow),
          })
          for (const r of planned.records) {
            const i = r.index
            this.insertRecord.run(
              r.seq,
              i.eventId,
              i.eventTime,
              i.accountId,
              i.eventSource,
              i.eventName,
              i.readOnly ? 1 : 0,
              i.username ?? null,
              i.accessKeyId ?? null,
              JSON.stringify(i.resources),
              r.text,
              r.prevHash,
              r.hash,
            )
          }
          const d = planned.digest
          if (d !== undefined) {
            this.insertDigest.run(
              d.digestSeq,
              d.firstSeq,
              d.lastSeq,
              d.lastHash,
              d.createdAt,
              d.previousSignature,
              d.keyId,
              d.signature,
            )
          }
        })
        .immediate()
    } catch (error) {
      planned?.undo?.()
      throw error
    }
    return planned as AppendPlan
  }

  /**
   * fdatasync of the WAL file, in libuv's thread pool. The handle is kept: SQLite keeps the WAL file
   * (truncating and reusing it) while this connection is open.
   */
  private async syncWal(): Promise<void> {
    this.wal ??= open(`${this.db.name}-wal`, 'r')
    try {
      await (await this.wal).datasync()
    } catch (error) {
      this.wal = undefined
      throw error
    }
  }

  async close(): Promise<void> {
    const wal = this.wal
    this.wal = undefined
    await (await wal?.catch(() => undefined))?.close()
  }

  async signingKey(create: () => SigningKeyRecord, now: number): Promise<SigningKeyRecord> {
    const newest = () =>
      this.db
        .prepare(
          `SELECT key_id AS keyId, public_key AS publicKey, sealed_private_key AS sealedPrivateKey
           FROM audit_signing_keys ORDER BY created_at DESC, key_id LIMIT 1`,
        )
        .get() as SigningKeyRecord | undefined
    return this.db
      .transaction(() => {
        const found = newest()
        if (found !== undefined) return found
        const key = create()
        this.db
          .prepare(
            'INSERT INTO audit_signing_keys (key_id, public_key, sealed_private_key, created_at) VALUES (?, ?, ?, ?)',
          )
          .run(key.keyId, key.publicKey, key.sealedPrivateKey, now)
        return key
      })
      .immediate()
  }

  async purge(beforeSeconds: number): Promise<number> {
    return this.db
      .transaction(() => {
        // A digest made before the cut-off covers only records older than it.
        const boundary = this.db
          .prepare(
            `SELECT last_seq AS seq, last_hash AS hash FROM audit_digests
             WHERE created_at < ? AND last_seq > (SELECT purged_through_seq FROM audit_state)
             ORDER BY digest_seq DESC LIMIT 1`,
          )
          .get(beforeSeconds * 1000) as { seq: number; hash: string } | undefined
        if (boundary === undefined) return 0
        this.db
          .prepare('UPDATE audit_state SET purged_through_seq = ?, purged_through_hash = ?')
          .run(boundary.seq, boundary.hash)
        return this.db.prepare('DELETE FROM audit_records WHERE seq <= ?').run(boundary.seq).changes
      })
      .immediate()
  }

  lookup(query: LookupQuery): LookupRow[] {
    const where = ['r.account_id = ?', 'r.event_time >= ?', 'r.event_time <= ?']
    const params: unknown[] = [query.accountId, query.start, query.end]
    if (query.attribute !== undefined) {
      const condition = ATTRIBUTE_SQL[query.attribute.key]
      if (condition === undefined) return []
      where.push(condition)
      params.push(query.attribute.value)
    }
    if (query.beforeSeq !== undefined) {
      where.push('r.seq < ?')
      params.push(query.beforeSeq)
    }
    const rows = this.db
      .prepare(`SELECT * FROM audit_records r WHERE ${where.join(' AND ')} ORDER BY r.seq DESC LIMIT ?`)
      .all(...params, query.limit) as RecordRow[]
    return rows.map((row) => ({ seq: row.seq, text: row.record, index: indexOf(row) }))
  }

  anchor(): { seq: number; hash: string } {
    const state = this.state.get() as { seq: number; hash: string }
    return { seq: state.seq + 1, hash: state.hash }
  }

  hashBefore(seq: number): string | undefined {
    const row = this.db.prepare('SELECT hash FROM audit_records WHERE seq = ?').get(seq - 1) as
      { hash: string } | undefined
    return row?.hash
  }

  *records(from: number, to: number): Iterable<StoredChainRecord> {
    const statement = this.db.prepare('SELECT * FROM audit_records WHERE seq >= ? AND seq <= ? ORDER BY seq')
    for (const row of statement.iterate(from, to) as Iterable<RecordRow>) {
      const mismatch = indexMismatch(row)
      yield {
        seq: row.seq,
        prevHash: row.prev_hash,
        hash: row.hash,
        text: row.record,
        eventId: row.event_id,
        ...(mismatch !== undefined && { indexMismatch: mismatch }),
      }
    }
  }

  seqAtOrAfter(seconds: number): number {
    const row = this.db
      .prepare('SELECT min(seq) AS seq FROM audit_records WHERE event_time >= ?')
      .get(seconds) as { seq: number | null }
    return row.seq ?? Number.MAX_SAFE_INTEGER
  }

  seqAtOrBefore(seconds: number): number {
    const row = this.db
      .prepare('SELECT max(seq) AS seq FROM audit_records WHERE event_time <= ?')
      .get(seconds) as { seq: number | null }
    return row.seq ?? 0
  }

  digests(): Digest[] {
    return (this.db.prepare('SELECT * FROM audit_digests ORDER BY digest_seq').all() as DigestRow[]).map(
      digestOf,
    )
  }

  publicKeys(): { keyId: string; publicKey: Buffer }[] {
    return this.db
      .prepare('SELECT key_id AS keyId, public_key AS publicKey FROM audit_signing_keys ORDER BY created_at')
      .all() as { keyId: string; publicKey: Buffer }[]
  }
}

function digestOf(row: DigestRow): Digest {
  return {
    digestSeq: row.digest_seq,
    firstSeq: row.first_seq,
    lastSeq: row.last_seq,
    lastHash: row.last_hash,
    createdAt: row.created_at,
    previousSignature: row.previous_signature,
    keyId: row.key_id,
    signature: row.signature,
  }
}

function indexOf(row: RecordRow): AuditIndex {
  return {
    eventId: row.event_id,
    eventTime: row.event_time,
    accountId: row.account_id,
    eventSource: row.event_source,
    eventName: row.event_name,
    readOnly: row.read_only === 1,
    username: row.username ?? undefined,
    accessKeyId: row.access_key_id ?? undefined,
    resources: parseResources(row.resources),
  }
}

function parseResources(text: string): LookupResource[] {
  try {
    const parsed = JSON.parse(text) as unknown
    return Array.isArray(parsed) ? (parsed as LookupResource[]) : []
  } catch {
    return []
  }
}

/** The columns LookupEvents trusts must say what the hashed record says. */
function indexMismatch(row: RecordRow): string | undefined {
  let record: { eventID?: unknown; eventName?: unknown; eventSource?: unknown; recipientAccountId?: unknown }
  try {
    record = JSON.parse(row.record) as typeof record
  } catch {
    return 'its record is not JSON'
  }
  if (record.eventID !== row.event_id) return 'its event_id column differs from the record'
  if (record.eventName !== row.event_name) return 'its event_name column differs from the record'
  if (record.eventSource !== row.event_source) return 'its event_source column differs from the record'
  if (record.recipientAccountId !== row.account_id) return 'its account_id column differs from the record'
  return undefined
}
