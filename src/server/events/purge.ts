import type { DeliveryStore } from './delivery-store.js'

const BATCH = 5_000

/**
 * Deletes the outbox events older than `retentionDays` that are done with (dispatched, no pending
 * delivery, no dead letter), oldest first, in batches: the write lock is let go between them. Returns
 * how many went.
 */
export async function purgeEvents(
  store: Pick<DeliveryStore, 'purgeEvents'>,
  now: number,
  retentionDays: number,
): Promise<number> {
  const before = now - retentionDays * 86_400_000
  let total = 0
  for (;;) {
    const purged = await store.purgeEvents(before, BATCH)
    total += purged
    if (purged < BATCH) return total
    await new Promise((resolve) => setImmediate(resolve))
  }
}
