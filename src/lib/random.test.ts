import { describe, expect, it } from 'vitest'
import { cryptoRandom, timeOrderedUuid } from './random.js'

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('timeOrderedUuid', () => {
  it('makes RFC 9562 version 7 UUIDs carrying the time in their first 48 bits', () => {
    const ms = Date.UTC(2026, 10, 23, 22, 0, 0, 123)
    const id = timeOrderedUuid(ms, cryptoRandom)
    expect(id).toMatch(V7)
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms)
  })

  it('sorts by time, and differs within one millisecond', () => {
    const ids = [1, 2, 1000, 2 ** 40].map((ms) => timeOrderedUuid(ms, cryptoRandom))
    expect([...ids].sort()).toEqual(ids)
    const same = new Set(Array.from({ length: 100 }, () => timeOrderedUuid(5, cryptoRandom)))
    expect(same.size).toBe(100)
  })
})
