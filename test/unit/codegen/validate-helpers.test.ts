import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SerializationException, ValidationException } from '../../../src/lib/aws/errors.js'
import {
  blob,
  cpLength,
  done,
  fail,
  failKey,
  missing,
  parseEmpty,
  renderList,
  root,
  toDate,
  validationMessage,
} from '../../../src/lib/aws/validate.js'

describe('validate helpers', () => {
  it('counts code points', () => {
    expect(cpLength('')).toBe(0)
    expect(cpLength('abc')).toBe(3)
    expect(cpLength('a\u{1F511}b')).toBe(3)
    expect(cpLength('\uD800')).toBe(1) // lone surrogates count as one
    expect(cpLength('\uDC00\uD800')).toBe(2)
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(cpLength(s)).toBe([...s].length)
      }),
    )
  })

  it('decodes timestamps from epoch seconds and ISO-8601', () => {
    expect(toDate(0).toISOString()).toBe('1970-01-01T00:00:00.000Z')
    expect(toDate(1700000000.5).toISOString()).toBe('2023-11-14T22:13:20.500Z')
    expect(toDate('2024-02-29T12:00:00Z').toISOString()).toBe('2024-02-29T12:00:00.000Z')
    expect(toDate('2024-02-29T12:00:00.250+01:00').toISOString()).toBe('2024-02-29T11:00:00.250Z')
    expect(() => toDate('yesterday')).toThrow(SerializationException)
    expect(() => toDate(true)).toThrow('TRUE_VALUE can not be converted to a Timestamp')
    expect(() => toDate(1e20)).toThrow(SerializationException)
  })

  it('decodes base64 strictly', () => {
    expect([...blob('')]).toEqual([])
    expect([...blob('AA==')]).toEqual([0])
    expect([...blob('AA')]).toEqual([0])
    expect([...blob('+/8=')]).toEqual([251, 255])
    for (const bad of ['A', 'A===', 'AA=', '-_8=', 'AA\nAA', '=AAA']) {
      expect(() => blob(bad), bad).toThrow(SerializationException)
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect([...blob(Buffer.from(bytes).toString('base64'))]).toEqual([...bytes])
      }),
    )
  })

  it('formats messages like Coral', () => {
    expect(validationMessage(['a'])).toBe('1 validation error detected: a')
    expect(validationMessage(['a', 'b'])).toBe('2 validation errors detected: a; b')
    expect(renderList(['a', 1, true, null])).toBe('[a, 1, true, null]')
  })

  it('collects violations between root() and done()', () => {
    root({})
    fail('a', 'x', 'Member must have length less than or equal to 0')
    failKey('tags', 'k', 'Member must have length less than or equal to 0')
    failKey('env', undefined, 'Member must not be null')
    missing('b')
    expect(() => done(1)).toThrow(
      new ValidationException(
        '4 validation errors detected: ' +
          "Value 'x' at 'a' failed to satisfy constraint: Member must have length less than or equal to 0; " +
          "Value 'k' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 0]; " +
          "Value at 'env' failed to satisfy constraint: Map keys must satisfy constraint: [Member must not be null]; " +
          "Value null at 'b' failed to satisfy constraint: Member must not be null",
      ),
    )
    // done() consumed the state; root() also resets it after an aborted parse.
    expect(done(2)).toBe(2)
    fail('stale', undefined, 'x')
    root({})
    expect(done(3)).toBe(3)
  })

  it('parses operations without input', () => {
    expect(parseEmpty(undefined)).toEqual({})
    expect(parseEmpty({ Anything: 1 })).toEqual({})
    expect(() => parseEmpty([])).toThrow(SerializationException)
  })
})
