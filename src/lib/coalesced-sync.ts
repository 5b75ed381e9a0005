/**
 * Shares fsyncs among the writers waiting for them (group commit's second half). `after()` resolves
 * once a sync that *started after the call* has completed — what makes a write made before the call
 * durable. Calls made while a sync runs share the one queued behind it, so however many writers
 * wait, at most two syncs are in flight or queued.
 */
export class CoalescedSync {
  private running: Promise<void> | undefined
  private queued: Promise<void> | undefined

  constructor(private readonly sync: () => Promise<void>) {}

  after(): Promise<void> {
    if (this.queued !== undefined) return this.queued
    if (this.running === undefined) return this.start()
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined
        return this.start()
      })
    return this.queued
  }

  private start(): Promise<void> {
    const run = this.sync()
    this.running = run
    const clear = () => {
      if (this.running === run) this.running = undefined
    }
    run.then(clear, clear)
    return run
  }
}
