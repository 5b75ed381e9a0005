import type { OutboxEvent } from './outbox.js'

/** A delivery the dispatcher creates for one matching (event, rule, target). */
export interface PlannedDelivery {
  readonly ruleArn: string
  readonly targetId: string
  /** The API destination ARN. */
  readonly destinationArn: string
  /** The target's constant `Input` (JSON text), sent instead of the envelope; absent = the envelope. */
  readonly input?: string
  /** Deliveries with the same (rule, target, orderKey) are made one at a time, in `seq` order. */
  readonly orderKey: string
}

/** A delivery taken for an attempt. */
export interface DueDelivery extends PlannedDelivery {
  readonly id: number
  /** Epoch ms when the delivery was created. */
  readonly createdAt: number
  /** Attempts made before this one. */
  readonly attempts: number
  readonly event: OutboxEvent
}

export interface DeadLetter {
  readonly id: number
  readonly seq: number
  readonly eventId: string
  readonly ruleArn: string
  readonly targetId: string
  readonly destinationArn: string
  /** The resource the event was about (its order key; '' for none). */
  readonly resource: string
  readonly createdAt: number
  readonly attempts: number
  readonly failedAt: number
  /** Why the last attempt failed (`HTTP 500`, `timeout after 10000 ms`, …); never a response body. */
  readonly reason: string
}

export interface DeliveryStats {
  /** Outbox events the dispatcher has not looked at yet. */
  readonly undispatched: number
  /** Deliveries waiting for (another) attempt. */
  readonly pending: number
  readonly deadLetters: number
  /** Epoch ms of the oldest event not yet delivered (undispatched or pending); absent when none. */
  readonly oldestUndeliveredAt?: number
}

/**
 * Durable deliveries (at least once). Every method is atomic. A delivery stays stored until it is
 * `delivered` or dead-lettered, so a crash at any point leaves it to be attempted again.
 */
export interface DeliveryStore {
  /**
   * Turns up to `limit` outbox events after the cursor into deliveries, `plan` deciding them per event,
   * and moves the cursor past them — all in one transaction, so each event is planned exactly once.
   * `plan` must be synchronous and must not throw. Returns how many events it looked at.
   */
  dispatch(
    limit: number,
    plan: (event: OutboxEvent) => readonly PlannedDelivery[],
    now: number,
  ): Promise<number>
  /**
   * Up to `limit` deliveries whose attempt is due and not leased, none of them behind an earlier
   * delivery of the same (rule, target, orderKey); leases them until `now + leaseMs`.
   */
  takeDue(now: number, limit: number, leaseMs: number): Promise<readonly DueDelivery[]>
  /** Drops every lease: for the single dispatcher process when it starts. */
  releaseLeases(): Promise<void>
  delivered(id: number): Promise<void>
  retryLater(id: number, attempts: number, nextAttemptAt: number, error: string): Promise<void>
  deadLetter(id: number, attempts: number, now: number, reason: string): Promise<void>
  stats(): Promise<DeliveryStats>
  /** Newest first. */
  listDeadLetters(limit: number): Promise<readonly DeadLetter[]>
  /**
   * Deletes up to `limit` outbox events older than `before` (epoch ms) that are done with: dispatched,
   * not held, with no pending delivery and no dead letter. Oldest first; returns how many went.
   */
  purgeEvents(before: number, limit: number): Promise<number>
}
