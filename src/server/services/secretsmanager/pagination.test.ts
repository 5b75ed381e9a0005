import { describe, expect, it } from 'vitest'
import { InvalidNextTokenException } from '../../../aws-api/secretsmanager/errors.js'
import { page } from './pagination.js'

const items = Array.from({ length: 25 }, (_, i) => ({ id: `item-${String(i).padStart(2, '0')}`, n: i % 5 }))
const keyOf = (item: { id: string; n: number }) => ({ key: item.n, tie: item.id })
const sorted = [...items].sort((a, b) => a.n - b.n || (a.id < b.id ? -1 : 1))

describe('keyset pagination', () => {
  it('walks every item exactly once, in order, across pages', () => {
    const seen: string[] = []
    let token: string | undefined
    do {
      const result = page(sorted, { query: 'q', token, limit: 7, keyOf })
      seen.push(...result.items.map((item) => item.id))
      token = result.nextToken
    } while (token !== undefined)
    expect(seen).toEqual(sorted.map((item) => item.id))
  })

  it('is stable when an item before the cursor is removed between pages', () => {
    const first = page(sorted, { query: 'q', token: undefined, limit: 10, keyOf })
    const remaining = sorted.filter((item) => item.id !== first.items[0]?.id)
    const second = page(remaining, { query: 'q', token: first.nextToken, limit: 10, keyOf })
    expect(second.items[0]).toEqual(sorted[10])
  })

  it('refuses tokens that do not decode or belong to another query', () => {
    const { nextToken } = page(sorted, { query: 'q', token: undefined, limit: 5, keyOf })
    expect(() => page(sorted, { query: 'other', token: nextToken, limit: 5, keyOf })).toThrow(
      InvalidNextTokenException,
    )
    expect(() => page(sorted, { query: 'q', token: '%%%', limit: 5, keyOf })).toThrow(
      InvalidNextTokenException,
    )
    expect(() =>
      page(sorted, { query: 'q', token: Buffer.from('[1]').toString('base64url'), limit: 5, keyOf }),
    ).toThrow(InvalidNextTokenException)
  })
})
