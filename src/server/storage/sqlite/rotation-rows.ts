import type { Statement } from 'better-sqlite3'
import type { OutboxSignal } from '../../events/outbox-signal.js'
import type { NewRotationRun, OutboxEvent } from '../../rotation/store.js'
import type { SqliteDb } from './database.js'
import { appendEvent } from './outbox-store.js'

/** Constraint names for `translateSqliteError`. */
export const ROTATION_UNIQUE = { 'rotation_runs.secret_id': 'rotation_running' }

/**
 * Statements on rotation runs and the outbox that both the secret store (RotateSecret, CancelRotateSecret:
 * inside a secret's change) and the rotation store (the engine) run inside their transactions.
 */
export class RotationRows {
  private readonly insertRunStatement: Statement
  private readonly cancelStatement: Statement<[number, number]>

  /** `signal` wakes this process's outbox readers once a transaction that appended events commits. */
  constructor(
    private readonly db: SqliteDb,
    private readonly signal?: OutboxSignal,
  ) {
    this.insertRunStatement = db.prepare(
      `INSERT INTO rotation_runs (secret_id, version_id, rotation_token, function_arn, trigger, state, step,
         attempt, next_attempt_at, started_at)
       VALUES (@secretId, @versionId, @rotationToken, @functionArn, @trigger, 'running', @step, 1,
         @nextAttemptAt, @startedAt)`,
    )
    this.cancelStatement = db.prepare(
      `UPDATE rotation_runs SET state = 'cancelled', finished_at = ?, next_attempt_at = NULL
       WHERE secret_id = ? AND state = 'running'`,
    )
  }

  insertRun(run: NewRotationRun): number {
    return Number(this.insertRunStatement.run({ ...run }).lastInsertRowid)
  }

  cancelRunning(secretId: number, at: number): void {
    this.cancelStatement.run(at, secretId)
  }

  appendEvents(events: readonly OutboxEvent[]): void {
    for (const event of events) appendEvent(this.db, event)
    if (events.length > 0) this.signal?.poke()
  }
}
