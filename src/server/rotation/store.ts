/**
 * The rotation engine's storage port: runs, their step log, leases (the scheduler's leader lock) and the
 * outbox. Adapters (SQLite today, PostgreSQL as a sibling) pass the contract suite in
 * `src/server/storage/contract/rotation-store.contract.ts`.
 *
 * Contract:
 * - Missing items are `undefined` / empty, never errors.
 * - Every write is one transaction. At most one run per secret is running (database constraint); a run
 *   moves only forward (running → succeeded | failed | cancelled) and a finished run never changes.
 * - `beginStep` is recorded before the function is invoked; a step row without an outcome is an attempt
 *   that was cut short (a crash) and is closed as `interrupted` by `interruptOpenSteps`.
 * - Transitions name the state they expect (`running`, the step and attempt the caller advanced from)
 *   and return false without changing anything when the run moved on meanwhile (cancelled, another node).
 * - Writes that touch a secret (its schedule, a test-only run's pending version) bump its revision, so
 *   a concurrent Secrets Manager write notices, and tell caches of stored data.
 */
import type { NewOutboxEvent, OutboxEvent as StoredEvent } from '../events/outbox.js'
import type { RotationStep } from '../functions/contract.js'

export type RunTrigger = 'immediate' | 'scheduled' | 'test-only'
export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled'
export type StepOutcome = 'succeeded' | 'failed' | 'interrupted'

export interface NewRotationRun {
  readonly secretId: number
  /** The ClientRequestToken: the AWSPENDING version the run creates. */
  readonly versionId: string
  /** Passed to the function; it passes it back on PutSecretValue. */
  readonly rotationToken: string
  readonly functionArn: string
  readonly trigger: RunTrigger
  /** The first step (`createSecret`, or `testSecret` for a test-only run). */
  readonly step: RotationStep
  readonly startedAt: number
  readonly nextAttemptAt: number
}

export interface RotationRun extends NewRotationRun {
  readonly id: number
  readonly state: RunState
  readonly attempt: number
  readonly finishedAt?: number
  readonly lastError?: string
}

/** One attempt of one step. */
export interface StepRecord {
  readonly runId: number
  readonly step: RotationStep
  readonly attempt: number
  readonly startedAt: number
  readonly finishedAt?: number
  readonly outcome?: StepOutcome
  readonly error?: string
  readonly output?: string
}

/** Events go to the outbox the events module delivers (a CloudTrail service event inside `detail`). */
export type OutboxEvent = NewOutboxEvent
export type StoredOutboxEvent = StoredEvent

/** Where a run goes after a step attempt. */
export type RunTransition =
  | { readonly kind: 'next-step'; readonly step: RotationStep; readonly at: number }
  | { readonly kind: 'retry'; readonly attempt: number; readonly at: number; readonly error: string }
  | {
      readonly kind: 'finish'
      readonly state: 'succeeded' | 'failed'
      readonly at: number
      readonly error?: string
      /** The secret's schedule after the run. */
      readonly schedule: {
        readonly lastRotatedAt?: number
        readonly nextRotationAt: number | null
        readonly dueAt: number | null
      }
      /** A test-only run's pending version, removed with its labels. */
      readonly dropVersion?: string
      readonly events: readonly OutboxEvent[]
    }

/** The attempt being completed: `step`/`attempt` must be the run's current ones. */
export interface StepResult {
  readonly step: RotationStep
  readonly attempt: number
  readonly at: number
  readonly outcome: 'succeeded' | 'failed'
  readonly error?: string
  readonly output: string
}

export interface RotationStore {
  findRun(runId: number): Promise<RotationRun | undefined>
  /** The secret's running run. */
  runningRun(secretId: number): Promise<RotationRun | undefined>
  /** The secret's runs, newest first. */
  listRuns(secretId: number, limit: number): Promise<RotationRun[]>
  /** The run's step attempts in order. */
  listSteps(runId: number): Promise<StepRecord[]>
  /** Running runs whose next attempt is due, earliest first (indexed). */
  dueRuns(now: number, limit: number): Promise<RotationRun[]>
  /** Secrets with rotation enabled whose scheduled rotation is due, earliest first (indexed). */
  dueSecrets(now: number, limit: number): Promise<{ id: number; arn: string }[]>
  /**
   * Records an attempt of the run's current step as started. False (nothing written) when the run is no
   * longer running or is at another step/attempt.
   */
  beginStep(runId: number, step: RotationStep, attempt: number, at: number): Promise<boolean>
  /** Completes the current attempt and moves the run, in one transaction. False when the run moved on. */
  endStep(runId: number, result: StepResult, next: RunTransition): Promise<boolean>
  /** Moves a secret's scheduled start (a rotation that could not start now is tried again then). */
  postpone(secretId: number, dueAt: number): Promise<void>
  /**
   * Closes attempts left open by a crash as `interrupted` and schedules each such run's step again as a
   * new attempt; returns how many.
   */
  interruptOpenSteps(at: number): Promise<number>

  /** Takes or renews the named lease for `holder` until `expiresAt`; false when another holder has it. */
  acquireLease(name: string, holder: string, now: number, expiresAt: number): Promise<boolean>
  /** Gives it up if `holder` has it. */
  releaseLease(name: string, holder: string): Promise<void>

  /** Events after `afterSeq`, in order (for the events dispatcher and tests). */
  listOutbox(afterSeq: number, limit: number): Promise<StoredOutboxEvent[]>
}
