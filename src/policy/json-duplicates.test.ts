import { describe, expect, it } from 'vitest'
import { findDuplicateKeys } from './json-duplicates.js'

describe('findDuplicateKeys', () => {
  it('finds nothing in documents without duplicates', () => {
    expect(findDuplicateKeys('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}')).toEqual([])
    expect(findDuplicateKeys('[1, "a", {"x": "}"}, "\\"{"]')).toEqual([])
    expect(findDuplicateKeys('"just a string"')).toEqual([])
  })

  it('reports each repeat with its path', () => {
    expect(findDuplicateKeys('{"a":1,"a":2,"a":3}')).toEqual([
      { path: 'a', key: 'a' },
      { path: 'a', key: 'a' },
    ])
    expect(findDuplicateKeys('{"S":[{"x":1},{"y":{"k":1,"k":[]}}]}')).toEqual([
      { path: 'S[1].y.k', key: 'k' },
    ])
  })

  it('compares decoded keys and is not fooled by strings that look like structure', () => {
    expect(findDuplicateKeys('{"Effect":"Allow","\\u0045ffect":"Deny"}')).toEqual([
      { path: 'Effect', key: 'Effect' },
    ])
    expect(findDuplicateKeys('{"a":"{\\"a\\":1,\\"a\\":2}", "b": "],}"}')).toEqual([])
  })

  it('quotes awkward keys in paths', () => {
    expect(findDuplicateKeys('{"o":{"a.b":1,"a.b":2}}')).toEqual([{ path: 'o["a.b"]', key: 'a.b' }])
  })

  it('handles deep nesting without recursion', () => {
    const depth = 50_000
    const text = `${'['.repeat(depth)}{"k":1,"k":2}${']'.repeat(depth)}`
    const found = findDuplicateKeys(text)
    expect(found).toHaveLength(1)
    expect(found[0]!.path.endsWith('[0].k')).toBe(true)
  })
})
