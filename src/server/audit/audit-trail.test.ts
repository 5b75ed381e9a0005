import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { Barrier } from '../barrier/barrier.js'
import { openAuditDatabase } from '../storage/sqlite/audit-database.js'
import { defaultSqliteOptions, openSqlite, type SqliteDb } from '../storage/sqlite/database.js'
import { SqliteAuditStore } from '../storage/sqlite/audit-store.js'
import { SqliteKeyringStore } from '../storage/sqlite/keyring-store.js'
import { AuditTrail, FileChain } from './audit-log.js'
import { publicKeyFromDer, type Digest } from './chain.js'
import { AuditFile } from './file-device.js'
import { eventTime, type CloudTrailRecord } from './record.js'
import { loadDigestSigner } from './signing-key.js'
import type { AppendPlan, Appended, AuditChainStore, ChainTail } from './store.js'
import { verifyTrail, type StoredChainRecord } from './verify.js'

const logger = pino({ level: 'silent' })
const dirs: string[] = []
const dbs: SqliteDb[] = []

afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-audit-unit-'))
  dirs.push(dir)
  return dir
}

function connect(dir: string): SqliteDb {
  const db = openAuditDatabase(join(dir, 'audit.db'), defaultSqliteOptions)
  dbs.push(db)
  return db
}

/** Counts appends (transactions) on a real store. */
class Counting implements AuditChainStore {
  appends = 0
  constructor(private readonly inner: AuditChainStore) {}
  append(plan: (tail: ChainTail) => AppendPlan): Promise<Appended> {
    this.appends++
    return this.inner.append(plan)
  }
}

const rootKey = randomBytes(32)

async function trail(
  db: SqliteDb,
  options: {
    everyRecords?: number
    chain?: AuditChainStore
    file?: AuditFile
    clock?: { now(): number }
  } = {},
) {
  const store = new SqliteAuditStore(db)
  // The barrier's keyring lives in the main database next to the audit database.
  const main = openSqlite(join(dirname(db.name), 'coffer.db'))
  dbs.push(main)
  const barrier = await Barrier.unseal(rootKey, new SqliteKeyringStore(main), Date.now())
  const signer = await loadDigestSigner(store, barrier, Date.now())
  const trail = new AuditTrail(
    {
      chain: options.chain ?? store,
      ...(options.file !== undefined && { file: options.file }),
      signer,
      clock: options.clock ?? { now: () => Date.now() },
      random: { uuid: randomUUID },
      logger,
    },
    { maxBatch: 500, digestEveryRecords: options.everyRecords ?? 1000, digestEveryMs: 3_600_000 },
  )
  return { trail, store }
}

function apiRecord(name: string, time = Date.now()): CloudTrailRecord {
  return {
    eventVersion: '1.11',
    userIdentity: {
      type: 'Root',
      principalId: '000000000000',
      accountId: '000000000000',
      accessKeyId: 'AKIA',
    },
    eventTime: eventTime(time),
    eventSource: 'secretsmanager.amazonaws.com',
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'test',
    requestParameters: null,
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '000000000000',
    eventCategory: 'Management',
  }
}

function verifyStore(store: SqliteAuditStore) {
  return verifyTrail({
    records: () => store.records(1, Number.MAX_SAFE_INTEGER),
    digests: store.digests(),
    publicKeys: new Map(store.publicKeys().map((k) => [k.keyId, publicKeyFromDer(k.publicKey)])),
    anchor: store.anchor(),
  })
}

describe('AuditTrail on SQLite', () => {
  it('commits records arriving together in one transaction, in one chain, and signs digests', async () => {
    const db = connect(dataDir())
    const counting = new Counting(new SqliteAuditStore(db))
    const { trail: t, store } = await trail(db, { everyRecords: 10, chain: counting })
    await Promise.all(Array.from({ length: 25 }, (_, i) => t.recordApiCall(apiRecord(`Op${i}`), [])))
    expect(counting.appends).toBe(1)
    await t.close()
    expect(store.digests().map((d) => [d.firstSeq, d.lastSeq])).toEqual([[1, 25]])
    const report = verifyStore(store)
    expect(report).toMatchObject({ ok: true, recordsChecked: 25, digestsChecked: 1, unsignedTail: 0 })
  })

  it('writes service events in the shape of reference §2', async () => {
    const db = connect(dataDir())
    const { trail: t } = await trail(db)
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf'
    await t.appendServiceEvent({
      eventName: 'EndSecretVersionDelete',
      accountId: '000000000000',
      region: 'us-east-1',
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
      additionalEventData: { SecretId: arn, VersionId: 'v1' },
    })
    const row = db.prepare('SELECT record, resources FROM audit_records').get() as {
      record: string
      resources: string
    }
    expect(JSON.parse(row.record)).toEqual({
      eventVersion: '1.11',
      userIdentity: { accountId: '000000000000', invokedBy: 'secretsmanager.amazonaws.com' },
      eventTime: '2026-01-02T03:04:05Z',
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'EndSecretVersionDelete',
      awsRegion: 'us-east-1',
      sourceIPAddress: 'secretsmanager.amazonaws.com',
      userAgent: 'secretsmanager.amazonaws.com',
      requestParameters: null,
      responseElements: null,
      additionalEventData: { SecretId: arn, VersionId: 'v1' },
      requestID: expect.any(String),
      eventID: expect.any(String),
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: '000000000000',
      eventCategory: 'Management',
    })
    expect(JSON.parse(row.resources)).toEqual([{ type: 'AWS::SecretsManager::Secret', name: arn }])
    await t.close()
  })

  it('keeps one chain when several processes (connections) append to the same file', async () => {
    const dir = dataDir()
    const a = await trail(connect(dir), { everyRecords: 7 })
    const b = await trail(connect(dir), { everyRecords: 7 })
    for (let round = 0; round < 10; round++) {
      await Promise.all([
        a.trail.recordApiCall(apiRecord('A'), []),
        b.trail.recordApiCall(apiRecord('B'), []),
        a.trail.recordApiCall(apiRecord('A'), []),
      ])
    }
    await a.trail.close()
    await b.trail.close()
    expect(a.store.publicKeys()).toHaveLength(1)
    expect(verifyStore(a.store)).toMatchObject({ ok: true, recordsChecked: 30 })
  })

  it('purges old records in whole digest ranges; what remains still verifies', async () => {
    const db = connect(dataDir())
    let now = Date.now() - 100 * 86_400_000
    const { trail: t, store } = await trail(db, { everyRecords: 4, clock: { now: () => now } })
    for (let i = 0; i < 6; i++) await t.recordApiCall(apiRecord('Old', now), [])
    now = Date.now()
    for (let i = 0; i < 3; i++) await t.recordApiCall(apiRecord('New', now), [])
    await t.close()
    // Digests cover 1-4 (made 100 days ago) and 5-9 (made now): only the first range goes.
    expect(await store.purge(Math.floor(Date.now() / 1000) - 90 * 86_400)).toBe(4)
    expect(store.anchor().seq).toBe(5)
    expect(verifyStore(store)).toMatchObject({ ok: true, recordsChecked: 5, firstSeq: 5 })
    expect(() => db.exec('DELETE FROM audit_records WHERE seq = 5')).toThrow(/only the retention purge/)
    expect(() => db.exec("UPDATE audit_records SET record = '{}' WHERE seq = 6")).toThrow(/never changed/)
  })

  it('refuses to insert a record that does not continue the chain', async () => {
    const db = connect(dataDir())
    const { trail: t } = await trail(db)
    await t.recordApiCall(apiRecord('First'), [])
    const insert = (seq: number, prev: string) =>
      db
        .prepare(
          `INSERT INTO audit_records (seq, event_id, event_time, account_id, event_source, event_name, read_only, resources, record, prev_hash, hash)
           VALUES (?, ?, 0, 'a', 's', 'n', 0, '[]', '{}', ?, ?)`,
        )
        .run(seq, randomUUID(), prev, 'f'.repeat(64))
    expect(() => insert(3, 'e'.repeat(64))).toThrow(/seq must follow/)
    expect(() => insert(2, 'e'.repeat(64))).toThrow(/prev_hash must be/)
    await t.close()
  })
})

describe('AuditTrail without the database device', () => {
  it('continues the JSONL file chain across restarts', async () => {
    const dir = dataDir()
    const db = connect(dir)
    const path = join(dir, 'audit/audit.jsonl')
    for (let start = 0; start < 2; start++) {
      const file = new AuditFile({ path, maxBytes: 10 * 1024 * 1024, keep: 2 })
      const { trail: t } = await trail(db, { chain: new FileChain(file), file, everyRecords: 3 })
      for (let i = 0; i < 4; i++) await t.recordApiCall(apiRecord(`Run${start}`), [])
      await t.close()
    }
    const records: StoredChainRecord[] = []
    const digests: Digest[] = []
    for (const line of readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '')) {
      const parsed = JSON.parse(line) as {
        digest?: never
        seq: number
        prevHash: string
        hash: string
        record: unknown
      }
      if (parsed.digest !== undefined) digests.push(parsed.digest)
      else
        records.push({
          seq: parsed.seq,
          prevHash: parsed.prevHash,
          hash: parsed.hash,
          text: JSON.stringify(parsed.record),
        })
    }
    const store = new SqliteAuditStore(db)
    expect(db.prepare('SELECT count(*) FROM audit_records').pluck().get()).toBe(0)
    const report = verifyTrail({
      records: () => records,
      digests,
      publicKeys: new Map(store.publicKeys().map((k) => [k.keyId, publicKeyFromDer(k.publicKey)])),
      anchor: { seq: 1, hash: '0'.repeat(64) },
    })
    expect(report).toMatchObject({ ok: true, recordsChecked: 8, digestsChecked: 4, unsignedTail: 0 })
  })
})

describe('AuditFile.dropAfter', () => {
  it('cuts off lines past the committed tail, and a torn last line', () => {
    const path = join(dataDir(), 'audit.jsonl')
    const file = new AuditFile({ path, maxBytes: 1024 * 1024, keep: 1 })
    const line = (seq: number) => ({
      seq,
      prevHash: '0'.repeat(64),
      hash: '1'.repeat(64),
      text: '{}',
      index: {} as never,
    })
    const digest = (digestSeq: number, lastSeq: number) => ({
      digestSeq,
      firstSeq: 1,
      lastSeq,
      lastHash: '1'.repeat(64),
      createdAt: 0,
      previousSignature: null,
      keyId: 'k',
      signature: 's',
    })
    file.append([line(1), line(2)], digest(1, 2))
    file.append([line(3), line(4)], digest(2, 4))
    file.append([line(5)], undefined)
    writeFileSync(path, '{"seq":6,"prev', { flag: 'a' })
    file.dropAfter({ seq: 3, digestSeq: 1 })
    const kept = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { seq?: number; digest?: { digestSeq: number } })
    expect(kept.map((l) => l.seq ?? `d${l.digest?.digestSeq}`)).toEqual([1, 2, 'd1', 3])
    file.close()
  })
})
