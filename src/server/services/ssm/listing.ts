import type { ParameterRecord } from './store.js'

/** Rows read per round after the first (which reads just enough for an unfiltered page). */
const BATCH = 100

/**
 * One page of a keyset listing whose rows are filtered after reading: reads rows in key order after
 * `after`, keeps those `pick` accepts, and stops once `limit` are kept and one more match proves that a
 * next page exists. `next` is then the key of the last row returned.
 */
export async function collectPage<T>(
  fetch: (after: string | undefined, limit: number) => Promise<ParameterRecord[]>,
  pick: (parameter: ParameterRecord) => Promise<T | undefined>,
  limit: number,
  after: string | undefined,
): Promise<{ items: T[]; next?: string }> {
  const items: T[] = []
  let cursor = after
  let lastKey: string | undefined
  let size = limit + 1
  for (;;) {
    const rows = await fetch(cursor, size)
    for (const row of rows) {
      const item = await pick(row)
      if (item === undefined) continue
      if (items.length === limit) return lastKey === undefined ? { items } : { items, next: lastKey }
      items.push(item)
      lastKey = row.key
    }
    const last = rows[rows.length - 1]
    if (rows.length < size || last === undefined) return { items }
    cursor = last.key
    size = BATCH
  }
}
