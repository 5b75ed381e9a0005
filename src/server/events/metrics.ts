import type { DeliveryStore } from './delivery-store.js'

/** Event delivery figures for the metrics endpoint. */
export interface EventMetrics {
  /** Age of the oldest event not yet delivered to every target (0 when none): the delivery lag. */
  readonly oldestUndeliveredAgeSeconds: number
  /** Outbox events not yet matched against the rules. */
  readonly undispatched: number
  /** Deliveries waiting for an attempt or a retry. */
  readonly pendingDeliveries: number
  readonly deadLetters: number
}

export async function readEventMetrics(
  store: Pick<DeliveryStore, 'stats'>,
  now: number,
): Promise<EventMetrics> {
  const stats = await store.stats()
  return {
    oldestUndeliveredAgeSeconds:
      stats.oldestUndeliveredAt === undefined ? 0 : Math.max(0, (now - stats.oldestUndeliveredAt) / 1000),
    undispatched: stats.undispatched,
    pendingDeliveries: stats.pending,
    deadLetters: stats.deadLetters,
  }
}
