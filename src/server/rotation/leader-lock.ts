import type { Clock } from '../../lib/clock.js'
import type { RotationStore } from './store.js'

/**
 * Leadership among the processes sharing a deployment: at most one holds it at a time, for a bounded
 * time it must keep renewing. Whoever holds it runs the rotation scheduler.
 */
export interface LeaderLock {
  /** Takes the lock if it is free (or expired); true when this holder has it. */
  acquire(): Promise<boolean>
  /** Extends it; false when it was lost (expired and taken by another holder). */
  renew(): Promise<boolean>
  release(): Promise<void>
}

/** A lease row with an expiry (`leases` table): free once its holder stops renewing it for `ttlMs`. */
export class LeaseLeaderLock implements LeaderLock {
  constructor(
    private readonly deps: { store: Pick<RotationStore, 'acquireLease' | 'releaseLease'>; clock: Clock },
    private readonly options: { name: string; holder: string; ttlMs: number },
  ) {}

  acquire(): Promise<boolean> {
    const now = this.deps.clock.now()
    return this.deps.store.acquireLease(this.options.name, this.options.holder, now, now + this.options.ttlMs)
  }

  renew(): Promise<boolean> {
    return this.acquire()
  }

  release(): Promise<void> {
    return this.deps.store.releaseLease(this.options.name, this.options.holder)
  }
}
