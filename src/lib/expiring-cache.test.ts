import { describe, expect, it } from 'vitest'
import { ExpiringCache } from './expiring-cache.js'

describe('ExpiringCache', () => {
  it('evicts the entry inserted first when full; a hit does not reorder', () => {
    const disposed: string[] = []
    const cache = new ExpiringCache<string, string>({
      maxEntries: 2,
      ttlMs: 1000,
      dispose: (v) => disposed.push(v),
    })
    cache.set('a', 'A')
    cache.set('b', 'B')
    expect(cache.get('a')).toBe('A')
    cache.set('c', 'C')
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('b')).toBe('B')
    expect(cache.get('c')).toBe('C')
    expect(disposed).toEqual(['A'])
  })

  it('expires entries after their ttl and disposes them', () => {
    let now = 0
    const disposed: number[] = []
    const cache = new ExpiringCache<string, number>({
      maxEntries: 10,
      ttlMs: 100,
      now: () => now,
      dispose: (v) => disposed.push(v),
    })
    cache.set('x', 1)
    now = 99
    expect(cache.get('x')).toBe(1)
    now = 100
    expect(cache.get('x')).toBeUndefined()
    expect(disposed).toEqual([1])
    expect(cache.size).toBe(0)
  })

  it('disposes replaced, deleted and cleared values', () => {
    const disposed: number[] = []
    const cache = new ExpiringCache<string, number>({
      maxEntries: 10,
      ttlMs: 1000,
      dispose: (v) => disposed.push(v),
    })
    cache.set('k', 1)
    cache.set('k', 2)
    cache.set('j', 3)
    cache.delete('j')
    cache.clear()
    expect(disposed).toEqual([1, 3, 2])
  })
})
