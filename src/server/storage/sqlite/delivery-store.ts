import type {
  DeadLetter,
  DeliveryStats,
  DeliveryStore,
  DueDelivery,
  PlannedDelivery,
} from '../../events/delivery-store.js'
import type { OutboxEvent } from '../../events/outbox.js'
import type { SqliteDb } from './database.js'
import { OUTBOX_COLUMNS, outboxEvent, READABLE_BEFORE, type OutboxRow } from './outbox-store.js'

interface DueRow extends OutboxRow {
  id: number
  rule_arn: string
  target_id: string
  destination_arn: string
  input: string | null
  order_key: string
  created_at: number
  attempts: number
}

interface DeadLetterRow {
  id: number
  seq: number
  event_id: string
  rule_arn: string
  target_id: string
  destination_arn: string
  order_key: string
  created_at: number
  attempts: number
  failed_at: number
  reason: string
}

const OUTBOX_SELECT = OUTBOX_COLUMNS.split(', ')
  .map((c) => `o.${c}`)
  .join(', ')

/** Deliveries on SQLite (migration 009): the dispatch cursor, pending deliveries and dead letters. */
export class SqliteDeliveryStore implements DeliveryStore {
  constructor(private readonly db: SqliteDb) {}

  async dispatch(
    limit: number,
    plan: (event: OutboxEvent) => readonly PlannedDelivery[],
    now: number,
  ): Promise<number> {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO events_deliveries
         (seq, rule_arn, target_id, destination_arn, input, order_key, created_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    return this.db
      .transaction(() => {
        const cursor = this.db.prepare('SELECT seq FROM events_dispatch WHERE id = 1').pluck().get() as number
        const rows = this.db
          .prepare(
            `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE seq > @cursor AND seq < ${READABLE_BEFORE}
             ORDER BY seq LIMIT @limit`,
          )
          .all({ cursor, limit, now }) as OutboxRow[]
        for (const row of rows) {
          const event = outboxEvent(row)
          for (const d of plan(event))
            insert.run(
              event.seq,
              d.ruleArn,
              d.targetId,
              d.destinationArn,
              d.input ?? null,
              d.orderKey,
              now,
              now,
            )
        }
        const last = rows.at(-1)
        if (last !== undefined)
          this.db.prepare('UPDATE events_dispatch SET seq = ? WHERE id = 1').run(last.seq)
        return rows.length
      })
      .immediate()
  }

  async takeDue(now: number, limit: number, leaseMs: number): Promise<readonly DueDelivery[]> {
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(
            `SELECT d.id, d.rule_arn, d.target_id, d.destination_arn, d.input, d.order_key, d.created_at,
                    d.attempts, ${OUTBOX_SELECT}
             FROM events_deliveries d JOIN outbox o ON o.seq = d.seq
             WHERE d.head = 1 AND d.next_attempt_at <= ? AND d.lease_until <= ?
             ORDER BY d.seq LIMIT ?`,
          )
          .all(now, now, limit) as DueRow[]
        const lease = this.db.prepare('UPDATE events_deliveries SET lease_until = ? WHERE id = ?')
        for (const row of rows) lease.run(now + leaseMs, row.id)
        return rows.map((row): DueDelivery => ({
          id: row.id,
          ruleArn: row.rule_arn,
          targetId: row.target_id,
          destinationArn: row.destination_arn,
          ...(row.input !== null && { input: row.input }),
          orderKey: row.order_key,
          createdAt: row.created_at,
          attempts: row.attempts,
          event: outboxEvent(row),
        }))
      })
      .immediate()
  }

  async releaseLeases(): Promise<void> {
    this.db.prepare('UPDATE events_deliveries SET lease_until = 0 WHERE lease_until <> 0').run()
  }

  async delivered(id: number): Promise<void> {
    this.db.prepare('DELETE FROM events_deliveries WHERE id = ?').run(id)
  }

  async retryLater(id: number, attempts: number, nextAttemptAt: number, error: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE events_deliveries SET attempts = ?, next_attempt_at = ?, lease_until = 0, last_error = ?
         WHERE id = ?`,
      )
      .run(attempts, nextAttemptAt, error, id)
  }

  async deadLetter(id: number, attempts: number, now: number, reason: string): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO events_dead_letters
             (seq, rule_arn, target_id, destination_arn, order_key, created_at, attempts, failed_at, reason)
           SELECT seq, rule_arn, target_id, destination_arn, order_key, created_at, ?, ?, ?
           FROM events_deliveries WHERE id = ?`,
        )
        .run(attempts, now, reason, id)
      this.db.prepare('DELETE FROM events_deliveries WHERE id = ?').run(id)
    })()
  }

  async stats(): Promise<DeliveryStats> {
    const row = this.db
      .prepare(
        `SELECT
           (SELECT count(*) FROM outbox WHERE seq > c.seq) AS undispatched,
           (SELECT count(*) FROM events_deliveries) AS pending,
           (SELECT count(*) FROM events_dead_letters) AS dead,
           (SELECT time FROM outbox WHERE seq > c.seq ORDER BY seq LIMIT 1) AS first_undispatched,
           (SELECT min(o.time) FROM events_deliveries d JOIN outbox o ON o.seq = d.seq) AS first_pending
         FROM events_dispatch c WHERE c.id = 1`,
      )
      .get() as {
      undispatched: number
      pending: number
      dead: number
      first_undispatched: number | null
      first_pending: number | null
    }
    const oldest = [row.first_undispatched, row.first_pending].filter((t): t is number => t !== null)
    return {
      undispatched: row.undispatched,
      pending: row.pending,
      deadLetters: row.dead,
      ...(oldest.length > 0 && { oldestUndeliveredAt: Math.min(...oldest) }),
    }
  }

  async purgeEvents(before: number, limit: number): Promise<number> {
    return this.db
      .prepare(
        `DELETE FROM outbox WHERE seq IN (
           SELECT o.seq FROM outbox o
           WHERE o.seq <= (SELECT seq FROM events_dispatch WHERE id = 1) AND o.time < ?
             AND o.held_until IS NULL
             AND NOT EXISTS (SELECT 1 FROM events_deliveries d WHERE d.seq = o.seq)
             AND NOT EXISTS (SELECT 1 FROM events_dead_letters l WHERE l.seq = o.seq)
           ORDER BY o.seq LIMIT ?)`,
      )
      .run(before, limit).changes
  }

  async listDeadLetters(limit: number): Promise<readonly DeadLetter[]> {
    const rows = this.db
      .prepare(
        `SELECT l.id, l.seq, o.event_id, l.rule_arn, l.target_id, l.destination_arn, l.order_key, l.created_at, l.attempts,
                l.failed_at, l.reason
         FROM events_dead_letters l JOIN outbox o ON o.seq = l.seq ORDER BY l.id DESC LIMIT ?`,
      )
      .all(limit) as DeadLetterRow[]
    return rows.map((row) => ({
      id: row.id,
      seq: row.seq,
      eventId: row.event_id,
      ruleArn: row.rule_arn,
      targetId: row.target_id,
      destinationArn: row.destination_arn,
      resource: row.order_key,
      createdAt: row.created_at,
      attempts: row.attempts,
      failedAt: row.failed_at,
      reason: row.reason,
    }))
  }
}
