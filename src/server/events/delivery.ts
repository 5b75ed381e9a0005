import type { Logger } from 'pino'
import type { Clock } from '../../lib/clock.js'
import type { Random } from '../../lib/random.js'
import type { EventsConfig } from '../config/events-config.js'
import type { DeliveryStore, DueDelivery } from './delivery-store.js'
import type { ApiDestinations } from './destinations.js'
import { toEnvelope } from './outbox.js'
import { postWebhook } from './webhook.js'

export interface DelivererDeps {
  readonly store: DeliveryStore
  readonly destinations: ApiDestinations
  readonly clock: Clock
  readonly random: Random
  readonly logger: Logger
}

/**
 * Makes due deliveries, up to `concurrency` at a time: POSTs each to its API destination, deletes it on
 * a 2xx, otherwise schedules a retry with exponential backoff and jitter, and dead-letters it after
 * `maxAttempts` attempts or once older than `maxAgeSeconds`. Deliveries of one (rule, target, resource)
 * go one at a time, in order (the store only hands out the first of each).
 */
export class Deliverer {
  private readonly inFlight = new Set<Promise<void>>()
  /** Aborts the requests in flight when delivery stops; their deliveries stay as they were. */
  private readonly stopping = new AbortController()

  constructor(
    private readonly deps: DelivererDeps,
    private readonly config: EventsConfig['delivery'],
  ) {}

  get busy(): number {
    return this.inFlight.size
  }

  /** Starts as many due deliveries as there is room for; `onSettled` runs as each finishes. */
  async startDue(onSettled: () => void): Promise<number> {
    const room = this.config.concurrency - this.inFlight.size
    if (room <= 0) return 0
    const now = this.deps.clock.now()
    const leaseMs = this.config.timeoutSeconds * 1000 + 30_000
    const due = await this.deps.store.takeDue(now, room, leaseMs)
    for (const delivery of due) {
      const attempt: Promise<void> = this.attempt(delivery)
        .catch((error: unknown) =>
          this.deps.logger.error({ err: error }, 'event delivery bookkeeping failed'),
        )
        .finally(() => {
          this.inFlight.delete(attempt)
          onSettled()
        })
      this.inFlight.add(attempt)
    }
    return due.length
  }

  /** Aborts the attempts in flight and waits for them; they are attempted again after a restart. */
  async stop(): Promise<void> {
    this.stopping.abort()
    await Promise.allSettled([...this.inFlight])
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const { store, clock } = this.deps
    const name = /api-destination\/(.+)$/.exec(delivery.destinationArn)?.[1]
    const destination = name === undefined ? undefined : this.deps.destinations.byArnName(name)
    const attempts = delivery.attempts + 1
    if (destination === undefined) {
      await store.deadLetter(
        delivery.id,
        attempts,
        clock.now(),
        'the API destination is no longer configured',
      )
      return
    }
    const body = delivery.input ?? JSON.stringify(toEnvelope(delivery.event))
    const result = await postWebhook({
      url: destination.url,
      key: destination.signingKey,
      body,
      eventId: delivery.event.eventId,
      now: clock.now(),
      timeoutMs: this.config.timeoutSeconds * 1000,
      stop: this.stopping.signal,
    })
    if (this.stopping.signal.aborted) return
    const now = clock.now()
    if (result.ok) {
      await store.delivered(delivery.id)
      return
    }
    const tooOld = now - delivery.createdAt >= this.config.maxAgeSeconds * 1000
    if (attempts >= this.config.maxAttempts || tooOld) {
      await store.deadLetter(delivery.id, attempts, now, result.reason)
      this.deps.logger.warn(
        { eventId: delivery.event.eventId, rule: delivery.ruleArn, target: delivery.targetId, attempts },
        `event delivery dead-lettered: ${result.reason}`,
      )
      return
    }
    await store.retryLater(delivery.id, attempts, now + this.backoffMs(attempts), result.reason)
  }

  /** Half the capped exponential delay plus a random part up to the other half ("equal jitter"). */
  private backoffMs(attempts: number): number {
    const capped = Math.min(
      this.config.backoffMaxSeconds * 1000,
      this.config.backoffBaseSeconds * 1000 * 2 ** Math.min(attempts - 1, 30),
    )
    const half = Math.floor(capped / 2)
    return half + this.deps.random.int(Math.max(1, capped - half))
  }
}
