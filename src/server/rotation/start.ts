import type { AuditLog } from '../audit/audit-log.js'
import type { Logger } from 'pino'
import type { Clock } from '../../lib/clock.js'
import type { Random } from '../../lib/random.js'
import type { Config } from '../config/config.js'
import type { FunctionRegistry, FunctionSessions } from '../functions/contract.js'
import { runBuiltin } from '../functions/builtins/index.js'
import { runHttp } from '../functions/runners/http.js'
import { runProcess } from '../functions/runners/process.js'
import type { RotationStarter } from '../services/secretsmanager/rotation-start.js'
import type { SecretStore } from '../services/secretsmanager/store.js'
import { RotationEngine } from './engine.js'
import { faultFromEnv } from './fault.js'
import { LeaseLeaderLock } from './leader-lock.js'
import { RotationScheduler } from './scheduler.js'
import type { RotationSignal } from './signal.js'
import type { RotationStore } from './store.js'

/** What the rotation engine and scheduler work with, built by the process that runs them. */
export interface RotationParts {
  readonly runs: RotationStore
  readonly secrets: SecretStore
  readonly starter: RotationStarter
  readonly registry: FunctionRegistry
  readonly sessions: FunctionSessions
  readonly signal: RotationSignal
  /** Makes other processes' commits visible to this process's caches. */
  readonly refresh: () => void
  /** The audit trail, for rotation outcomes' records; absent when it is disabled. */
  readonly audit?: Pick<AuditLog, 'appendServiceEvent'> | undefined
}

const LEASE_NAME = 'rotation-scheduler'
const CONCURRENCY = 4

/**
 * Starts the engine and its scheduler (leader-only: a lease renewed every tick, lost after 10 ticks
 * without renewal). `endpoint` is this deployment's own URL, which functions call. Returns the stop.
 */
export function startRotation(
  parts: RotationParts,
  options: { endpoint: string; settings: Config['rotation'] },
  deps: { clock: Clock; random: Random; logger: Logger },
): () => Promise<void> {
  const tickMs = Math.round(options.settings.tickSeconds * 1000)
  const engine = new RotationEngine(
    {
      secrets: parts.secrets,
      runs: parts.runs,
      registry: parts.registry,
      sessions: parts.sessions,
      runners: { builtin: runBuiltin, process: runProcess, http: runHttp },
      endpoint: () => options.endpoint,
      refresh: parts.refresh,
      clock: deps.clock,
      random: deps.random,
      logger: deps.logger,
      fault: faultFromEnv(),
      audit: parts.audit,
    },
    {
      maxAttempts: options.settings.maxAttempts,
      retryDelayMs: options.settings.retryDelaySeconds * 1000,
    },
  )
  const scheduler = new RotationScheduler(
    {
      lock: new LeaseLeaderLock(
        { store: parts.runs, clock: deps.clock },
        {
          name: LEASE_NAME,
          holder: `${process.pid}-${deps.random.uuid()}`,
          ttlMs: Math.max(10 * tickMs, 2_000),
        },
      ),
      runs: parts.runs,
      secrets: parts.secrets,
      starter: parts.starter,
      engine,
      signal: parts.signal,
      refresh: parts.refresh,
      clock: deps.clock,
      random: deps.random,
      logger: deps.logger,
    },
    { tickMs, concurrency: CONCURRENCY },
  )
  scheduler.start()
  return () => scheduler.stop()
}
