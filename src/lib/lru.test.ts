import { describe, expect, it } from 'vitest'
import { LruCache } from './lru.js'

describe('LruCache', () => {
  it('evicts the least recently used entry when full', () => {
    const disposed: string[] = []
    const cache = new LruCache<string, string>({
      maxEntries: 2,
      ttlMs: 1000,
      dispose: (v) => disposed.push(v),
    })
    cache.set('a', 'A')
    cache.set('b', 'B')
    expect(cache.get('a')).toBe('A')
    cache.set('c', 'C')
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBe('A')
    expect(cache.get('c')).toBe('C')
    expect(disposed).toEqual(['B'])
  })

  it('expires entries after their ttl and disposes them', () => {
    let now = 0
    const disposed: number[] = []
    const cache = new LruCache<string, number>({
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
    const cache = new LruCache<string, number>({
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
