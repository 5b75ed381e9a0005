/**
 * A bounded map with per-entry expiry, for caches on hot paths. When full, the entry inserted first is
 * evicted (a hit does not move an entry: re-inserting on every read would cost more than the occasional
 * reload of a hot entry that aged out). Expired entries are dropped on access. `dispose` runs for every
 * entry that leaves the cache (eviction, expiry, delete, clear) — used to wipe key material.
 */
export interface CacheOptions<V> {
  maxEntries: number
  ttlMs: number
  now?: () => number
  dispose?: (value: V) => void
}

/** Lookups since start, for metrics (hit ratios). */
export interface CacheStats {
  hits: number
  misses: number
}

export class ExpiringCache<K, V> {
  readonly stats: CacheStats = { hits: 0, misses: 0 }
  private readonly entries = new Map<K, { value: V; expiresAt: number }>()
  private readonly maxEntries: number
  private readonly ttlMs: number
  private readonly now: () => number
  private readonly dispose: ((value: V) => void) | undefined

  constructor(options: CacheOptions<V>) {
    this.maxEntries = options.maxEntries
    this.ttlMs = options.ttlMs
    this.now = options.now ?? Date.now
    this.dispose = options.dispose
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) {
      this.stats.misses++
      return undefined
    }
    if (entry.expiresAt <= this.now()) {
      this.remove(key, entry.value)
      this.stats.misses++
      return undefined
    }
    this.stats.hits++
    return entry.value
  }

  set(key: K, value: V): void {
    const previous = this.entries.get(key)
    if (previous !== undefined) this.remove(key, previous.value)
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.entries().next()
      if (!oldest.done) this.remove(oldest.value[0], oldest.value[1].value)
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs })
  }

  delete(key: K): void {
    const entry = this.entries.get(key)
    if (entry !== undefined) this.remove(key, entry.value)
  }

  clear(): void {
    for (const [key, entry] of [...this.entries]) this.remove(key, entry.value)
  }

  get size(): number {
    return this.entries.size
  }

  private remove(key: K, value: V): void {
    this.entries.delete(key)
    this.dispose?.(value)
  }
}
