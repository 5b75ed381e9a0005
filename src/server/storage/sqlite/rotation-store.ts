import type { Statement } from 'better-sqlite3'
import type { RotationStep } from '../../functions/contract.js'
import type {
  RotationRun,
  RotationStore,
  RunTransition,
  StepOutcome,
  StepRecord,
  StepResult,
  StoredOutboxEvent,
} from '../../rotation/store.js'
import type { OutboxSignal } from '../../events/outbox-signal.js'
import type { SqliteDb } from './database.js'
import { OUTBOX_COLUMNS, outboxEvent, READABLE_BEFORE, type OutboxRow } from './outbox-store.js'
import type { SqliteFreshness } from './freshness.js'
import { RotationRows } from './rotation-rows.js'

interface RunRow {
  id: number
  secret_id: number
  version_id: string
  rotation_token: string
  function_arn: string
  trigger: RotationRun['trigger']
  state: RotationRun['state']
  step: RotationStep
  attempt: number
  next_attempt_at: number | null
  started_at: number
  finished_at: number | null
  last_error: string | null
}

interface StepRow {
  run_id: number
  step: RotationStep
  attempt: number
  started_at: number
  finished_at: number | null
  outcome: StepOutcome | null
  error: string | null
  output: string | null
}

/**
 * The SQLite adapter of `RotationStore`. Transitions are guarded by the run's expected state, step and
 * attempt in their WHERE clauses, so a run cancelled (or advanced by another process) meanwhile is left
 * alone. Writes that change a secret's rows tell `freshness`, which empties the secret store's caches.
 */
export class SqliteRotationStore implements RotationStore {
  private readonly runById: Statement<[number], RunRow>
  private readonly running: Statement<[number], RunRow>
  private readonly runsOf: Statement<[number, number], RunRow>
  private readonly stepsOf: Statement<[number], StepRow>
  private readonly dueRunsStatement: Statement<[number, number], RunRow>
  private readonly dueSecretsStatement: Statement<[number, number], { id: number; arn: string }>
  private readonly currentRun: Statement<[number, RotationStep, number], { id: number }>
  private readonly insertStep: Statement<[number, RotationStep, number, number]>
  private readonly closeStep: Statement<[number, string, string | null, string, number, RotationStep, number]>
  private readonly toStep: Statement<[RotationStep, number, number]>
  private readonly toRetry: Statement<[number, number, string, number]>
  private readonly toFinish: Statement<[string, number, string | null, number]>
  private readonly scheduleSecret: Statement
  private readonly dropStages: Statement<[number, string]>
  private readonly dropVersionStatement: Statement<[number, string]>
  private readonly openSteps: Statement<[], { run_id: number; step: RotationStep; attempt: number }>
  private readonly interrupt: Statement<[number, number, RotationStep, number]>
  private readonly afterInterrupt: Statement<[number, number, RotationStep, number]>
  private readonly leaseHolder: Statement<[string], { holder: string }>
  private readonly postponeStatement: Statement<[number, number]>
  private readonly takeLease: Statement<[string, string, number, number]>
  private readonly dropLease: Statement<[string, string]>
  private readonly outboxAfter: Statement<[{ after: number; limit: number; now: number }], OutboxRow>
  private readonly rows: RotationRows

  constructor(
    private readonly db: SqliteDb,
    private readonly freshness: SqliteFreshness,
    /** Wakes this process's outbox readers after a commit that appended service events. */
    signal?: OutboxSignal,
  ) {
    this.runById = db.prepare('SELECT * FROM rotation_runs WHERE id = ?')
    this.running = db.prepare("SELECT * FROM rotation_runs WHERE secret_id = ? AND state = 'running'")
    this.runsOf = db.prepare('SELECT * FROM rotation_runs WHERE secret_id = ? ORDER BY id DESC LIMIT ?')
    this.stepsOf = db.prepare('SELECT * FROM rotation_steps WHERE run_id = ? ORDER BY id')
    this.dueRunsStatement = db.prepare(
      `SELECT * FROM rotation_runs WHERE state = 'running' AND next_attempt_at <= ?
       ORDER BY next_attempt_at LIMIT ?`,
    )
    this.dueSecretsStatement = db.prepare(
      `SELECT id, arn FROM secrets
       WHERE rotation_due_at IS NOT NULL AND rotation_enabled = 1 AND rotation_due_at <= ?
         AND deleted_at IS NULL
       ORDER BY rotation_due_at LIMIT ?`,
    )
    this.currentRun = db.prepare(
      "SELECT id FROM rotation_runs WHERE id = ? AND state = 'running' AND step = ? AND attempt = ?",
    )
    this.insertStep = db.prepare(
      'INSERT INTO rotation_steps (run_id, step, attempt, started_at) VALUES (?, ?, ?, ?)',
    )
    this.closeStep = db.prepare(
      `UPDATE rotation_steps SET finished_at = ?, outcome = ?, error = ?, output = ?
       WHERE run_id = ? AND step = ? AND attempt = ? AND outcome IS NULL`,
    )
    this.toStep = db.prepare(
      `UPDATE rotation_runs SET step = ?, attempt = 1, next_attempt_at = ?, last_error = NULL
       WHERE id = ? AND state = 'running'`,
    )
    this.toRetry = db.prepare(
      `UPDATE rotation_runs SET attempt = ?, next_attempt_at = ?, last_error = ?
       WHERE id = ? AND state = 'running'`,
    )
    this.toFinish = db.prepare(
      `UPDATE rotation_runs SET state = ?, finished_at = ?, last_error = ?, next_attempt_at = NULL
       WHERE id = ? AND state = 'running'`,
    )
    this.scheduleSecret = db.prepare(
      `UPDATE secrets SET last_rotated_at = coalesce(@lastRotatedAt, last_rotated_at),
         next_rotation_at = @nextRotationAt, rotation_due_at = @dueAt, revision = revision + 1
       WHERE id = @secretId`,
    )
    this.dropStages = db.prepare('DELETE FROM secret_stages WHERE secret_id = ? AND version_id = ?')
    this.dropVersionStatement = db.prepare(
      'DELETE FROM secret_versions WHERE secret_id = ? AND version_id = ?',
    )
    this.openSteps = db.prepare('SELECT run_id, step, attempt FROM rotation_steps WHERE outcome IS NULL')
    this.interrupt = db.prepare(
      `UPDATE rotation_steps SET finished_at = ?, outcome = 'interrupted', error = 'the process stopped during the step'
       WHERE run_id = ? AND step = ? AND attempt = ? AND outcome IS NULL`,
    )
    this.afterInterrupt = db.prepare(
      `UPDATE rotation_runs SET attempt = attempt + 1, next_attempt_at = ?
       WHERE id = ? AND state = 'running' AND step = ? AND attempt = ?`,
    )
    this.leaseHolder = db.prepare('SELECT holder FROM leases WHERE name = ?')
    this.postponeStatement = db.prepare(
      'UPDATE secrets SET rotation_due_at = ?, revision = revision + 1 WHERE id = ? AND rotation_due_at IS NOT NULL',
    )
    this.takeLease = db.prepare(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
    )
    this.dropLease = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?')
    this.outboxAfter = db.prepare(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE seq > @after AND seq < ${READABLE_BEFORE}
       ORDER BY seq LIMIT @limit`,
    )
    this.rows = new RotationRows(db, signal)
  }

  async findRun(runId: number): Promise<RotationRun | undefined> {
    const row = this.runById.get(runId)
    return row === undefined ? undefined : toRun(row)
  }

  async runningRun(secretId: number): Promise<RotationRun | undefined> {
    const row = this.running.get(secretId)
    return row === undefined ? undefined : toRun(row)
  }

  async listRuns(secretId: number, limit: number): Promise<RotationRun[]> {
    return this.runsOf.all(secretId, limit).map(toRun)
  }

  async listSteps(runId: number): Promise<StepRecord[]> {
    return this.stepsOf.all(runId).map(toStep)
  }

  async dueRuns(now: number, limit: number): Promise<RotationRun[]> {
    return this.dueRunsStatement.all(now, limit).map(toRun)
  }

  async dueSecrets(now: number, limit: number): Promise<{ id: number; arn: string }[]> {
    return this.dueSecretsStatement.all(now, limit)
  }

  async beginStep(runId: number, step: RotationStep, attempt: number, at: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (this.currentRun.get(runId, step, attempt) === undefined) return false
        this.insertStep.run(runId, step, attempt, at)
        return true
      })
      .immediate()
  }

  async endStep(runId: number, result: StepResult, next: RunTransition): Promise<boolean> {
    const end = this.db.transaction(() => {
      const run = this.runById.get(runId)
      if (run === undefined || run.state !== 'running' || run.step !== result.step) return false
      if (run.attempt !== result.attempt) return false
      this.closeStep.run(
        result.at,
        result.outcome,
        result.error ?? null,
        result.output,
        runId,
        result.step,
        result.attempt,
      )
      switch (next.kind) {
        case 'next-step':
          this.toStep.run(next.step, next.at, runId)
          return true
        case 'retry':
          this.toRetry.run(next.attempt, next.at, next.error, runId)
          return true
        case 'finish':
          this.toFinish.run(next.state, next.at, next.error ?? null, runId)
          this.scheduleSecret.run({
            secretId: run.secret_id,
            lastRotatedAt: next.schedule.lastRotatedAt ?? null,
            nextRotationAt: next.schedule.nextRotationAt,
            dueAt: next.schedule.dueAt,
          })
          if (next.dropVersion !== undefined) {
            this.dropStages.run(run.secret_id, next.dropVersion)
            this.dropVersionStatement.run(run.secret_id, next.dropVersion)
          }
          this.rows.appendEvents(next.events)
          return true
      }
    })
    try {
      return end.immediate()
    } finally {
      if (next.kind === 'finish') this.freshness.written()
    }
  }

  async postpone(secretId: number, dueAt: number): Promise<void> {
    try {
      this.postponeStatement.run(dueAt, secretId)
    } finally {
      this.freshness.written()
    }
  }

  async interruptOpenSteps(at: number): Promise<number> {
    return this.db
      .transaction(() => {
        const open = this.openSteps.all()
        for (const { run_id, step, attempt } of open) {
          this.interrupt.run(at, run_id, step, attempt)
          // The same step runs again as a new attempt (steps are idempotent by the rotation contract).
          this.afterInterrupt.run(at, run_id, step, attempt)
        }
        return open.length
      })
      .immediate()
  }

  async acquireLease(name: string, holder: string, now: number, expiresAt: number): Promise<boolean> {
    return this.db
      .transaction(() => {
        this.takeLease.run(name, holder, expiresAt, now)
        return this.leaseHolder.get(name)?.holder === holder
      })
      .immediate()
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.dropLease.run(name, holder)
  }

  async listOutbox(afterSeq: number, limit: number): Promise<StoredOutboxEvent[]> {
    return this.outboxAfter.all({ after: afterSeq, limit, now: Date.now() }).map(outboxEvent)
  }
}

function toRun(row: RunRow): RotationRun {
  return {
    id: row.id,
    secretId: row.secret_id,
    versionId: row.version_id,
    rotationToken: row.rotation_token,
    functionArn: row.function_arn,
    trigger: row.trigger,
    state: row.state,
    step: row.step,
    attempt: row.attempt,
    startedAt: row.started_at,
    nextAttemptAt: row.next_attempt_at ?? row.finished_at ?? row.started_at,
    ...(row.finished_at !== null && { finishedAt: row.finished_at }),
    ...(row.last_error !== null && { lastError: row.last_error }),
  }
}

function toStep(row: StepRow): StepRecord {
  return {
    runId: row.run_id,
    step: row.step,
    attempt: row.attempt,
    startedAt: row.started_at,
    ...(row.finished_at !== null && { finishedAt: row.finished_at }),
    ...(row.outcome !== null && { outcome: row.outcome }),
    ...(row.error !== null && { error: row.error }),
    ...(row.output !== null && { output: row.output }),
  }
}
