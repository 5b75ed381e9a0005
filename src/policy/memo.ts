/**
 * Per-evaluation memoisation. Identical condition clauses and resource patterns are interned at
 * compile time (one object per distinct text, across statements and policies), and each remembers
 * its result for the current evaluation: the result depends only on the request, so a clause such
 * as `IpAddress aws:SourceIp 10.0.0.0/8` repeated in twenty statements is evaluated once.
 *
 * `evaluation.id` changes at the start of every `evaluate` call; a memo is valid while its stamp
 * equals it. Evaluation is synchronous, so interleaving is impossible.
 */
import type { ContextValue } from './evaluation-types.js'

export const evaluation = { id: 0 }

/**
 * Starts an evaluation. The id never repeats (a double counts exactly to 2^53, centuries at any
 * rate), so a memo stamped long ago can never pass for a current one; fresh memos hold 0.
 */
export function nextEvaluation(): void {
  evaluation.id += 1
}

const INTERN_LIMIT = 8192

/** A bounded intern table: `get(key, make)` returns the shared object for `key`. */
export class Interner<T> {
  private readonly table = new Map<string, T>()

  get(key: string, make: () => T): T {
    let v = this.table.get(key)
    if (v === undefined) {
      // Dropping the table only loses sharing for later compilations; correctness is unaffected.
      if (this.table.size >= INTERN_LIMIT) this.table.clear()
      v = make()
      this.table.set(key, v)
    }
    return v
  }
}

/**
 * A context key, interned: conditions and variables naming the same key share one slot, so each
 * key is looked up in the request context at most once per evaluation.
 */
export interface KeySlot {
  /** Lower-cased key. */
  readonly key: string
  stamp: number
  value: ContextValue | undefined
}

const slots = new Interner<KeySlot>()

export function keySlot(key: string): KeySlot {
  return slots.get(key, () => ({ key, stamp: 0, value: undefined }))
}

export function lookup(slot: KeySlot, ctx: ReadonlyMap<string, ContextValue>): ContextValue | undefined {
  if (slot.stamp !== evaluation.id) {
    slot.value = ctx.get(slot.key)
    slot.stamp = evaluation.id
  }
  return slot.value
}
