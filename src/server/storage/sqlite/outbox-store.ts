import type { NewOutboxEvent, OutboxAppender, OutboxEvent, OutboxReader } from '../../events/outbox.js'
import type { OutboxSignal } from '../../events/outbox-signal.js'
import type { SqliteDb } from './database.js'

export interface OutboxRow {
  seq: number
  event_id: string
  time: number
  account_id: string
  region: string
  source: string
  detail_type: string
  resources: string
  detail: string
}

export const OUTBOX_COLUMNS =
  'seq, event_id, time, account_id, region, source, detail_type, resources, detail'

export function outboxEvent(row: OutboxRow): OutboxEvent {
  return {
    seq: row.seq,
    eventId: row.event_id,
    time: row.time,
    accountId: row.account_id,
    region: row.region,
    source: row.source,
    detailType: row.detail_type,
    resources: JSON.parse(row.resources) as string[],
    detail: JSON.parse(row.detail) as unknown,
  }
}

/**
 * Appends one event to the outbox on `db`. Runs in the caller's transaction when one is open on this
 * connection (better-sqlite3 statements join it), else commits alone. Returns the new `seq`.
 */
export function appendEvent(db: Pick<SqliteDb, 'prepare'>, event: NewOutboxEvent): number {
  const result = db
    .prepare(
      `INSERT INTO outbox (event_id, time, account_id, region, source, detail_type, resources, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      event.eventId,
      event.time,
      event.accountId,
      event.region,
      event.source,
      event.detailType,
      JSON.stringify(event.resources),
      JSON.stringify(event.detail),
    )
  return Number(result.lastInsertRowid)
}

/** The outbox on SQLite; appends poke in-process readers (`signal`) once their transaction is over. */
export class SqliteOutbox implements OutboxAppender, OutboxReader {
  constructor(
    private readonly db: SqliteDb,
    private readonly signal: OutboxSignal,
  ) {}

  append(event: NewOutboxEvent): number {
    const seq = appendEvent(this.db, event)
    this.signal.poke()
    return seq
  }

  async readAfter(
    after: number,
    limit: number,
    scope?: { readonly accountId: string; readonly region: string },
  ): Promise<readonly OutboxEvent[]> {
    const rows =
      scope === undefined
        ? this.db
            .prepare(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`)
            .all(after, limit)
        : this.db
            .prepare(
              `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE seq > ? AND account_id = ? AND region = ?
               ORDER BY seq LIMIT ?`,
            )
            .all(after, scope.accountId, scope.region, limit)
    return (rows as OutboxRow[]).map(outboxEvent)
  }

  async lastSeq(): Promise<number> {
    return (this.db.prepare('SELECT coalesce(max(seq), 0) FROM outbox').pluck().get() as number) ?? 0
  }
}
