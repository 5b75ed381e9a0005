import { systemClock, type Clock } from '../../../lib/clock.js'
import type {
  ApiCallEvents,
  NewOutboxEvent,
  OutboxAppender,
  OutboxEvent,
  OutboxReader,
} from '../../events/outbox.js'
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
  subject: string | null
}

export const OUTBOX_COLUMNS =
  'seq, event_id, time, account_id, region, source, detail_type, resources, detail, subject'

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
    ...(row.subject !== null && { subject: row.subject }),
  }
}

/**
 * The readable part of the outbox (migration 011): rows with `seq` before the first row still held and
 * not expired at `@now`. Used in a WHERE clause as `seq < <this>`, binding `@now`. The partial
 * index `outbox_held` answers the subquery.
 */
export const READABLE_BEFORE = `coalesce((SELECT min(seq) FROM outbox WHERE held_until > @now), 9007199254740991)`

const INSERT = `INSERT INTO outbox
    (event_id, time, account_id, region, source, detail_type, resources, detail, subject, held_until)
  VALUES (@eventId, @time, @accountId, @region, @source, @detailType, @resources, @detail, @subject, @heldUntil)`

function row(event: NewOutboxEvent, heldUntil: number | null) {
  return {
    eventId: event.eventId,
    time: event.time,
    accountId: event.accountId,
    region: event.region,
    source: event.source,
    detailType: event.detailType,
    resources: JSON.stringify(event.resources),
    detail: JSON.stringify(event.detail),
    subject: event.subject ?? null,
    heldUntil,
  }
}

/**
 * Appends one event to the outbox on `db`. Runs in the caller's transaction when one is open on this
 * connection (better-sqlite3 statements join it), else commits alone. Returns the new `seq`.
 */
export function appendEvent(db: Pick<SqliteDb, 'prepare'>, event: NewOutboxEvent): number {
  const result = db.prepare(INSERT).run(row(event, null))
  return Number(result.lastInsertRowid)
}

/**
 * The outbox on SQLite; appends poke in-process readers (`signal`) once their transaction is over.
 * Readers see only the readable prefix (`READABLE_BEFORE`) at the clock's `now`.
 */
export class SqliteOutbox implements OutboxAppender, OutboxReader, ApiCallEvents {
  constructor(
    private readonly db: SqliteDb,
    private readonly signal: OutboxSignal,
    private readonly clock: Clock = systemClock,
  ) {}

  hold(event: NewOutboxEvent, heldUntil: number): void {
    // A later transaction of the same request finds the row an earlier one committed: it keeps its
    // place, and takes the resource ARN if the earlier one did not know it (a KMS key created first).
    this.db
      .prepare(
        `${INSERT} ON CONFLICT (event_id) DO UPDATE SET detail = excluded.detail, subject = excluded.subject
         WHERE outbox.held_until IS NOT NULL
           AND json_extract(outbox.detail, '$.responseElements.arn') IS NULL
           AND json_extract(excluded.detail, '$.responseElements.arn') IS NOT NULL`,
      )
      .run(row(event, heldUntil))
  }

  complete(event: NewOutboxEvent): void {
    const completed = this.db
      .prepare(
        `UPDATE outbox SET time = ?, detail = ?, subject = coalesce(?, subject), held_until = NULL
         WHERE event_id = ? AND held_until IS NOT NULL`,
      )
      .run(event.time, JSON.stringify(event.detail), event.subject ?? null, event.eventId)
    if (completed.changes === 0) appendEvent(this.db, event)
    this.signal.poke()
  }

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
            .prepare(
              `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE seq > @after AND seq < ${READABLE_BEFORE}
               ORDER BY seq LIMIT @limit`,
            )
            .all({ after, limit, now: this.clock.now() })
        : this.db
            .prepare(
              `SELECT ${OUTBOX_COLUMNS} FROM outbox
               WHERE seq > @after AND seq < ${READABLE_BEFORE} AND account_id = @accountId AND region = @region
               ORDER BY seq LIMIT @limit`,
            )
            .all({ after, limit, now: this.clock.now(), accountId: scope.accountId, region: scope.region })
    return (rows as OutboxRow[]).map(outboxEvent)
  }

  async lastSeq(): Promise<number> {
    const last = this.db
      .prepare(`SELECT coalesce(max(seq), 0) FROM outbox WHERE seq < ${READABLE_BEFORE}`)
      .pluck()
      .get({ now: this.clock.now() }) as number | undefined
    return last ?? 0
  }
}
