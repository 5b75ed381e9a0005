import type { Logger } from 'pino'
import type { Clock } from '../../lib/clock.js'
import type { Random } from '../../lib/random.js'
import type { EventsConfig } from '../config/events-config.js'
import { Deliverer } from './delivery.js'
import type { DeliveryStore } from './delivery-store.js'
import type { ApiDestinations } from './destinations.js'
import { DispatchPlanner, type ActiveRule } from './dispatch-plan.js'
import type { OutboxSignal } from './outbox-signal.js'

export interface EventDeliveryDeps {
  readonly rules: { activeRules(): Promise<readonly ActiveRule[]> }
  readonly deliveries: DeliveryStore
  readonly destinations: ApiDestinations
  /** Appends in this process wake the dispatcher at once; others are found by polling. */
  readonly signal: OutboxSignal
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger
}

/** Outbox events planned per dispatch transaction. */
const DISPATCH_BATCH = 500

/**
 * The background side of events, for exactly one process per data directory (the jobs process):
 * the dispatcher turns outbox events into deliveries (cursor and deliveries in one transaction), the
 * deliverer makes them. Woken by appends in this process, by finished attempts, and every
 * `pollIntervalMs` (appends by other processes, retries coming due). Returns a function that stops it.
 */
export function startEventDelivery(deps: EventDeliveryDeps, config: EventsConfig): () => Promise<void> {
  const planner = new DispatchPlanner()
  const deliverer = new Deliverer(
    {
      store: deps.deliveries,
      destinations: deps.destinations,
      clock: deps.clock,
      random: deps.random,
      logger: deps.logger,
    },
    config.delivery,
  )
  let stopped = false
  let dispatchWanted = true
  let running: Promise<void> | undefined
  let rerun = false

  const cycle = async (): Promise<void> => {
    if (dispatchWanted) {
      dispatchWanted = false
      planner.useRules(await deps.rules.activeRules())
      const now = deps.clock.now()
      while (
        (await deps.deliveries.dispatch(DISPATCH_BATCH, (e) => planner.plan(e), now)) === DISPATCH_BATCH
      );
    }
    while (!stopped && (await deliverer.startDue(kick)) > 0);
  }

  function kick(): void {
    if (stopped) return
    if (running !== undefined) {
      rerun = true
      return
    }
    running = cycle()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'event dispatch failed'))
      .finally(() => {
        running = undefined
        if (rerun) {
          rerun = false
          kick()
        }
      })
  }

  const unsubscribe = deps.signal.subscribe(() => {
    dispatchWanted = true
    kick()
  })
  const timer = setInterval(() => {
    dispatchWanted = true
    kick()
  }, config.pollIntervalMs)
  timer.unref()
  // This is the only process delivering: leases left by a previous run (a crash) are void.
  void deps.deliveries.releaseLeases().then(kick, (error: unknown) => {
    deps.logger.error({ err: error }, 'event delivery could not start')
  })

  return async () => {
    stopped = true
    clearInterval(timer)
    unsubscribe()
    await running
    await deliverer.stop()
  }
}
