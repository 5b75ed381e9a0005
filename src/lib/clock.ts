/** Time source, injected everywhere so tests and background jobs can control it. Epoch milliseconds. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

const DAY_MS = 86_400_000

/** Midnight UTC of the day containing `ms` (Secrets Manager's LastAccessedDate resolution). */
export function utcDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)
}

export const MS_PER_DAY = DAY_MS
