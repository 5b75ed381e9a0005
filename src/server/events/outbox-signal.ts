/**
 * In-process wake-up for readers of the outbox (the dispatcher, `/events` streams): an append pokes it
 * once its transaction has had the chance to commit. Readers in other processes don't hear it and poll.
 */
export class OutboxSignal {
  private readonly listeners = new Set<() => void>()
  private pending = false

  /** Returns a function that unsubscribes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Wakes every listener on the next turn of the event loop: an append made inside a synchronous
   * transaction is committed by then. Several pokes in one turn wake listeners once.
   */
  poke(): void {
    if (this.pending) return
    this.pending = true
    setImmediate(() => {
      this.pending = false
      for (const listener of this.listeners) listener()
    })
  }
}
