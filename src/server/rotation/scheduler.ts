import type { Logger } from 'pino'
import type { Clock } from '../../lib/clock.js'
import type { Random } from '../../lib/random.js'
import type { RequestContext } from '../core/context.js'
import type { RotationStarter } from '../services/secretsmanager/rotation-start.js'
import type { SecretStore } from '../services/secretsmanager/store.js'
import { AccessDeniedException } from '../../lib/aws/errors.js'
import type { RotationEngine } from './engine.js'
import type { LeaderLock } from './leader-lock.js'
import type { RotationSignal } from './signal.js'
import type { RotationStore } from './store.js'

export interface SchedulerDeps {
  readonly lock: LeaderLock
  readonly runs: RotationStore
  readonly secrets: Pick<SecretStore, 'findById'>
  readonly starter: RotationStarter
  readonly engine: Pick<RotationEngine, 'advance'>
  readonly signal: RotationSignal
  /** Makes other processes' commits visible to this process's caches. */
  readonly refresh: () => void
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger
}

export interface SchedulerOptions {
  readonly tickMs: number
  /** Attempts executed at the same time. */
  readonly concurrency: number
}

/**
 * The rotation scheduler. Runs only while it holds the leader lock. Each tick (and at once when this
 * process starts a run) it starts the scheduled rotations that are due (RotateSecret's code path) and
 * hands due attempts to the engine, a bounded number at a time. On becoming leader it first closes the
 * attempts a crashed leader left open, as interrupted, so they run again.
 */
export class RotationScheduler {
  private timer: NodeJS.Timeout | undefined
  private leader = false
  private ticking: Promise<void> | undefined
  private again = false
  private stopped = false
  private readonly inFlight = new Map<number, Promise<void>>()
  private unlisten: (() => void) | undefined

  constructor(
    private readonly deps: SchedulerDeps,
    private readonly options: SchedulerOptions,
  ) {}

  start(): void {
    this.unlisten = this.deps.signal.listen(() => this.poke())
    this.timer = setInterval(() => this.poke(), this.options.tickMs)
    this.timer.unref()
    this.poke()
  }

  /** Stops ticking, waits for attempts under way, gives up leadership. */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    this.unlisten?.()
    await this.ticking
    await Promise.allSettled(this.inFlight.values())
    if (this.leader) await this.deps.lock.release().catch(() => undefined)
    this.leader = false
  }

  /** Ticks now, or right after the tick under way. */
  poke(): void {
    if (this.stopped) return
    if (this.ticking !== undefined) {
      this.again = true
      return
    }
    this.ticking = this.tick()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'rotation scheduler tick failed'))
      .finally(() => {
        this.ticking = undefined
        if (this.again) {
          this.again = false
          this.poke()
        }
      })
  }

  /** One pass; exposed for tests and benchmarks. */
  async tick(): Promise<void> {
    const { deps } = this
    const wasLeader = this.leader
    this.leader = await (wasLeader ? deps.lock.renew() : deps.lock.acquire())
    if (!this.leader) return
    deps.refresh()
    const now = deps.clock.now()
    if (!wasLeader && this.inFlight.size === 0) {
      const interrupted = await deps.runs.interruptOpenSteps(now)
      if (interrupted > 0)
        deps.logger.warn({ count: interrupted }, 'rotation steps interrupted by a stop; running them again')
    }
    for (const due of await deps.runs.dueSecrets(now, this.options.concurrency * 4)) {
      await this.startScheduled(due.id, now)
    }
    const room = this.options.concurrency - this.inFlight.size
    if (room <= 0) return
    for (const run of await deps.runs.dueRuns(now, room + this.inFlight.size)) {
      if (this.inFlight.size >= this.options.concurrency) break
      if (this.inFlight.has(run.id)) continue
      const attempt = deps.engine
        .advance(run)
        .catch((error: unknown) => deps.logger.error({ err: error, run: run.id }, 'rotation attempt failed'))
        .finally(() => {
          this.inFlight.delete(run.id)
          this.poke()
        })
      this.inFlight.set(run.id, attempt)
    }
  }

  private async startScheduled(secretId: number, now: number): Promise<void> {
    const { deps } = this
    const secret = await deps.secrets.findById(secretId)
    const functionArn = secret?.rotation?.lambdaArn
    if (secret === undefined || functionArn === undefined) return
    try {
      await deps.starter.start(
        serviceContext(secret.accountId, secret.region, now, deps.random.uuid()),
        secret,
        { token: deps.random.uuid(), functionArn, trigger: 'scheduled' },
        async () => (await deps.secrets.findById(secretId)) ?? secret,
      )
    } catch (error) {
      // A rotation still in progress (or a secret that changed meanwhile): retried at a later tick, but
      // not at every one — the next attempt waits a minute.
      deps.logger.warn({ err: error, secret: secret.arn }, 'scheduled rotation could not start')
      await deps.runs.postpone(secretId, now + 60_000)
    }
  }
}

/** Secrets Manager acting on its own schedule: no caller, and no permission to use on anyone's behalf. */
function serviceContext(accountId: string, region: string, now: number, requestId: string): RequestContext {
  return {
    requestId,
    principal: {
      type: 'Root',
      accountId,
      arn: 'secretsmanager.amazonaws.com',
      principalArn: 'secretsmanager.amazonaws.com',
      principalId: 'secretsmanager.amazonaws.com',
      accessKeyId: '',
    },
    region,
    now,
    sourceIp: 'secretsmanager.amazonaws.com',
    userAgent: 'secretsmanager.amazonaws.com',
    authorize: async () => {
      throw new AccessDeniedException('The rotation scheduler performs no authorized actions.')
    },
  }
}
