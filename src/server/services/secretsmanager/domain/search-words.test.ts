import { describe, expect, it } from 'vitest'
import { everyWordFound, filterWords, searchText, wordStarts } from './search-words.js'

/** The searchable rest of each word: from a word start to the end of its chunk. */
const terms = (input: string) => {
  const { text, folded } = searchText(input)
  return wordStarts(text).map((s) => /^[\p{L}\p{N}\p{M}]+/u.exec(folded.slice(s))?.[0])
}

describe('word starts', () => {
  it.each([
    ['COMPANYthings', ['companythings', 'ythings']], // spec 3.8: COMPAN | Ythings
    ['my-secret/AppBeta', ['my', 'secret', 'appbeta', 'beta']],
    ['a_b+c=d.e@f-g h', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']],
    ['HTTPServer', ['httpserver', 'server']],
    ['v2Beta', ['v2beta', 'beta']],
    ['ABC', ['abc']],
    ['testing1', ['testing1']],
    ['one, two!', ['one', 'two']],
    ['ÜberGeheim', ['übergeheim', 'geheim']],
    ['', []],
    ['/-_', []],
  ])('%j → %j', (text, expected) => expect(terms(text)).toEqual(expected))

  it('a newline separates words', () => {
    expect(terms('ab\ncd')).toEqual(['ab', 'cd'])
  })

  it('keeps offsets when lower-casing would lengthen a character', () => {
    const index = searchText('İstanbulCity')
    expect(everyWordFound(['city'], index)).toBe(true)
    expect(everyWordFound(filterWords('İstanbul'), index)).toBe(true)
  })
})

describe('filterWords', () => {
  it('splits on separators only and lower-cases', () => {
    expect(filterWords('AppBeta my/Secret')).toEqual(['appbeta', 'my', 'secret'])
  })
  it('a value of separators has no words', () => {
    expect(filterWords('/')).toEqual([])
    expect(filterWords(' - ')).toEqual([])
  })
})

describe('everyWordFound', () => {
  it('needs every word at some word start', () => {
    expect(everyWordFound(['a', 'sec'], searchText('an secret'))).toBe(true)
    expect(everyWordFound(['a', 'sec'], searchText('asecret'))).toBe(false)
    expect(everyWordFound(['appbeta'], searchText('MyAppBeta'))).toBe(true)
    expect(everyWordFound(['appbetax'], searchText('MyAppBeta x'))).toBe(false)
  })
  it('no words find nothing', () => {
    expect(everyWordFound([], searchText('anything'))).toBe(false)
  })
})
