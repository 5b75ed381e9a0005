import { describe, expect, it } from 'vitest'
import { CoalescedSync } from './coalesced-sync.js'

/** A sync whose runs the test finishes by hand, recording when each started. */
function manualSync() {
  const runs: { finish: (error?: Error) => void }[] = []
  const sync = new CoalescedSync(
    () =>
      new Promise<void>((resolve, reject) => {
        runs.push({ finish: (error) => (error === undefined ? resolve() : reject(error)) })
      }),
  )
  return { sync, runs }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('CoalescedSync', () => {
  it('starts a sync at once when none runs', async () => {
    const { sync, runs } = manualSync()
    const done = sync.after()
    expect(runs).toHaveLength(1)
    runs[0]?.finish()
    await expect(done).resolves.toBeUndefined()
  })

  it('makes callers arriving during a sync wait for one more, shared, that starts after it', async () => {
    const { sync, runs } = manualSync()
    const first = sync.after()
    let laterDone = 0
    const later = [sync.after(), sync.after(), sync.after()]
    for (const p of later) void p.then(() => laterDone++)
    expect(runs).toHaveLength(1)
    runs[0]?.finish()
    await first
    await tick()
    // The first sync may have started before their writes: it does not answer them.
    expect(laterDone).toBe(0)
    expect(runs).toHaveLength(2)
    runs[1]?.finish()
    await Promise.all(later)
    expect(runs).toHaveLength(2)
  })

  it('passes a failed sync on to its waiters and starts afresh for the next caller', async () => {
    const { sync, runs } = manualSync()
    const failing = sync.after()
    const queued = sync.after()
    runs[0]?.finish(new Error('EIO'))
    await expect(failing).rejects.toThrow('EIO')
    await tick()
    expect(runs).toHaveLength(2)
    runs[1]?.finish()
    await expect(queued).resolves.toBeUndefined()
    const next = sync.after()
    expect(runs).toHaveLength(3)
    runs[2]?.finish()
    await next
  })
})
