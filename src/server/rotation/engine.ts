import type { AuditLog } from '../audit/audit-log.js'
import type { Logger } from 'pino'
import type { Clock } from '../../lib/clock.js'
import type { Random } from '../../lib/random.js'
import type {
  FunctionCode,
  FunctionDefinition,
  FunctionRegistry,
  FunctionSessions,
  InvocationResult,
  RotationStep,
  Runner,
} from '../functions/contract.js'
import type { SecretRecord, SecretStore } from '../services/secretsmanager/store.js'
import { auditServiceEvents, rotationEvent, type RotationEventName } from './events.js'
import type { Fault } from './fault.js'
import { nextRotation } from './next-due.js'
import type { RotationRun, RotationStore, RunTransition } from './store.js'

const STEPS: readonly RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret']
const MAX_RETRY_DELAY_MS = 5 * 60_000

export interface EngineOptions {
  /** Attempts of one step before the run fails. */
  readonly maxAttempts: number
  /** Delay before the second attempt; doubles for each further one (capped at 5 minutes). */
  readonly retryDelayMs: number
}

export interface EngineDeps {
  readonly secrets: Pick<SecretStore, 'findById' | 'findVersionByStage'>
  readonly runs: RotationStore
  readonly registry: FunctionRegistry
  readonly sessions: FunctionSessions
  readonly runners: Readonly<Record<FunctionCode['kind'], Runner>>
  /** Coffer's own URL, where functions send their Secrets Manager calls. */
  readonly endpoint: () => string
  /** Makes stored data written by other processes visible (caches of this process). */
  readonly refresh: () => void
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger
  readonly fault: Fault
  /** The audit trail, for the outcomes' records (absent when it is disabled). */
  readonly audit?: Pick<AuditLog, 'appendServiceEvent'> | undefined
}

/**
 * Executes rotation runs one step attempt at a time: createSecret → setSecret → testSecret →
 * finishSecret (a test-only run: testSecret alone). Each attempt is recorded as started before the
 * function is invoked, then its outcome and the run's next state are committed together. A failed step
 * is retried with exponential backoff; after `maxAttempts` the run fails the way AWS's does (AWSPENDING
 * stays on its version; a test-only run's pending version is removed). After finishSecret the engine
 * checks that AWSCURRENT is on the token before it calls the rotation a success.
 *
 * Safe to call for the same run from several places: transitions are guarded by the run's step and
 * attempt, so a run cancelled or advanced elsewhere is left alone.
 */
export class RotationEngine {
  constructor(
    private readonly deps: EngineDeps,
    private readonly options: EngineOptions,
  ) {}

  /** Runs the run's current attempt (if it is still running) and records where the run goes next. */
  async advance(run: RotationRun): Promise<void> {
    const { deps } = this
    const secret = await deps.secrets.findById(run.secretId)
    if (secret === undefined) return
    const started = deps.clock.now()
    if (!(await deps.runs.beginStep(run.id, run.step, run.attempt, started))) return
    deps.fault(`rotation:before-step:${run.step}`)
    const result = await this.invoke(run, secret, started)
    deps.fault(`rotation:after-step:${run.step}`)
    const outcome = result.ok ? await this.verify(run) : result
    const at = deps.clock.now()
    const next = this.transition(run, secret, outcome, at)
    const recorded = await deps.runs.endStep(
      run.id,
      {
        step: run.step,
        attempt: run.attempt,
        at,
        outcome: outcome.ok ? 'succeeded' : 'failed',
        ...(outcome.error !== undefined && { error: describe(outcome.error) }),
        output: result.output,
      },
      next,
    )
    if (!recorded) return
    deps.fault(`rotation:recorded:${run.step}`)
    if (next.kind === 'finish') {
      await auditServiceEvents(deps.audit, next.events).catch((error: unknown) =>
        deps.logger.error(
          { err: error, secret: secret.arn },
          'rotation outcome not recorded in the audit trail',
        ),
      )
      const log = { secret: secret.arn, versionId: run.versionId, trigger: run.trigger }
      if (next.state === 'succeeded') deps.logger.info(log, 'rotation succeeded')
      else deps.logger.warn({ ...log, step: run.step, error: next.error }, 'rotation failed')
    }
  }

  private async invoke(run: RotationRun, secret: SecretRecord, now: number): Promise<InvocationResult> {
    const failed = (type: string, message: string): InvocationResult => ({
      ok: false,
      error: { type, message },
      output: '',
      durationMs: 0,
    })
    let fn: FunctionDefinition | undefined
    try {
      fn = await this.deps.registry.find(run.functionArn)
    } catch (error) {
      return failed('Coffer.RegistryError', (error as Error).message)
    }
    if (fn === undefined) return failed('ResourceNotFoundException', `Function not found: ${run.functionArn}`)
    let credentials
    try {
      credentials = await this.deps.sessions.issue(fn, now)
    } catch (error) {
      return failed((error as Error).name, (error as Error).message)
    }
    return this.deps.runners[fn.code.kind]({
      fn,
      event: {
        Step: run.step,
        SecretId: secret.arn,
        ClientRequestToken: run.versionId,
        RotationToken: run.rotationToken,
      },
      requestId: this.deps.random.uuid(),
      credentials,
      endpoint: this.deps.endpoint(),
    })
  }

  /** finishSecret succeeded only if AWSCURRENT now sits on the token. */
  private async verify(run: RotationRun): Promise<Pick<InvocationResult, 'ok' | 'error'>> {
    if (run.step !== 'finishSecret') return { ok: true }
    this.deps.refresh()
    const current = await this.deps.secrets.findVersionByStage(run.secretId, 'AWSCURRENT')
    if (current?.versionId === run.versionId) return { ok: true }
    return {
      ok: false,
      error: {
        type: 'Coffer.RotationIncomplete',
        message: `finishSecret returned but AWSCURRENT is not on version ${run.versionId}`,
      },
    }
  }

  private transition(
    run: RotationRun,
    secret: SecretRecord,
    outcome: Pick<InvocationResult, 'ok' | 'error'>,
    at: number,
  ): RunTransition {
    const testOnly = run.trigger === 'test-only'
    if (outcome.ok) {
      const following = STEPS[STEPS.indexOf(run.step) + 1]
      if (!testOnly && following !== undefined) return { kind: 'next-step', step: following, at }
      return this.finish(run, secret, 'succeeded', at)
    }
    const error = describe(outcome.error ?? { type: 'Error', message: 'unknown failure' })
    if (run.attempt < this.options.maxAttempts) {
      const delay = Math.min(this.options.retryDelayMs * 2 ** (run.attempt - 1), MAX_RETRY_DELAY_MS)
      return { kind: 'retry', attempt: run.attempt + 1, at: at + delay, error }
    }
    return this.finish(run, secret, 'failed', at, error)
  }

  private finish(
    run: RotationRun,
    secret: SecretRecord,
    state: 'succeeded' | 'failed',
    at: number,
    error?: string,
  ): RunTransition {
    const testOnly = run.trigger === 'test-only'
    const rotated = state === 'succeeded' && !testOnly
    // A test leaves the schedule counted from the last rotation; a rotation (or a failed one) from now.
    const base = testOnly ? (secret.rotation?.lastRotatedAt ?? run.startedAt) : at
    const next = nextRotation(secret.rotation?.rules, base, at, this.deps.random)
    const name: RotationEventName = testOnly
      ? state === 'succeeded'
        ? 'TestRotationSucceeded'
        : 'TestRotationFailed'
      : state === 'succeeded'
        ? 'RotationSucceeded'
        : 'RotationFailed'
    return {
      kind: 'finish',
      state,
      at,
      ...(error !== undefined && { error }),
      schedule: {
        ...(rotated && { lastRotatedAt: at }),
        nextRotationAt: next?.nextRotationAt ?? null,
        dueAt: secret.rotation?.enabled === true ? (next?.dueAt ?? null) : null,
      },
      ...(testOnly && { dropVersion: run.versionId }),
      events: [
        rotationEvent({
          name,
          eventId: this.deps.random.uuid(),
          time: at,
          accountId: secret.accountId,
          region: secret.region,
          secretArn: secret.arn,
          rotationId: run.versionId,
          ...(state === 'failed' && {
            errorMessage: `Error when executing lambda ${run.functionArn} during ${run.step} step`,
          }),
        }),
      ],
    }
  }
}

function describe(error: { readonly type: string; readonly message: string }): string {
  return `${error.type}: ${error.message}`
}
