import { outsideWriteScope } from '../storage/write-scope.js'

/**
 * A wake-up call from the API to the scheduler in the same process (RotateSecret started a run): the
 * scheduler ticks at once instead of at its next interval. Other processes' runs are found by the tick.
 */
export class RotationSignal {
  private readonly listeners = new Set<() => void>()

  listen(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  notify(): void {
    // Called from a request (RotateSecret): the scheduler's work is not part of that request's writes.
    outsideWriteScope(() => {
      for (const listener of this.listeners) listener()
    })
  }
}
