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
    for (const listener of this.listeners) listener()
  }
}
