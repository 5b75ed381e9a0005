/**
 * Word handling behind the word-based ListSecrets filters (`description`, `all`), spec 3.8.
 *
 * AWS splits text into words at `/ _ + = . @ -`, spaces and case changes (`COMPANYthings` → `COMPAN`,
 * `Ythings`), compares case-insensitively, and a filter word must start at a word start: `sec`, `Beta`,
 * `AppBeta` find `my-secret/AppBeta`, the inner fragments `ret`, `pany` find nothing.
 *
 * Model used here (the recorded examples fix the behaviour only partly):
 * - A *chunk* is a maximal run of letters/digits. Every other character separates chunks: the spec's
 *   list plus anything else a description may hold (`,`, `:`, `!`, ...).
 * - Inside a chunk a word starts at an upper-case letter that follows a lower-case letter or digit
 *   (`appBeta`, `v2Beta`) or that ends an upper-case run followed by a lower-case letter (`COMPANYthings`).
 * - A filter word matches when the lower-cased text continues with it at some word start: in `MyAppBeta`
 *   at `myappbeta`, `appbeta` or `beta`. So it may span several camel-case words (`AppBeta`) but
 *   never a separator.
 * - The filter value is split into chunks only (no case split), lower-cased; so matching ignores the
 *   case of the filter value completely, as AWS documents ("Not case-sensitive").
 * - A value without any letter or digit (`/`, `-`, empty) has no words and matches nothing.
 */

const SEPARATOR = 0
const UPPER = 1
const LOWER = 2
/** Digits and letters without case. */
const OTHER = 3

/** Classes of the ASCII characters, the common case. */
const ASCII = new Uint8Array(128)
for (let c = 48; c <= 57; c++) ASCII[c] = OTHER
for (let c = 65; c <= 90; c++) ASCII[c] = UPPER
for (let c = 97; c <= 122; c++) ASCII[c] = LOWER

const UPPER_RE = /[\p{Lu}\p{Lt}]/u
const LOWER_RE = /\p{Ll}/u
const WORD_RE = /[\p{L}\p{N}\p{M}]/u

function classify(text: string, index: number): number {
  const code = text.charCodeAt(index)
  if (code < 128) return ASCII[code] ?? SEPARATOR
  const ch = String.fromCodePoint(text.codePointAt(index) ?? 0)
  if (UPPER_RE.test(ch)) return UPPER
  if (LOWER_RE.test(ch)) return LOWER
  return WORD_RE.test(ch) ? OTHER : SEPARATOR
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff

/** Whether a word begins at `i` (see the module comment); `i` is the first code unit of a character. */
function isWordStart(text: string, i: number): boolean {
  const cls = classify(text, i)
  if (cls === SEPARATOR) return false
  if (i === 0) return true
  const p = isLow(text.charCodeAt(i - 1)) && i >= 2 && isHigh(text.charCodeAt(i - 2)) ? i - 2 : i - 1
  const prev = classify(text, p)
  if (prev === SEPARATOR) return true
  if (cls !== UPPER) return false
  if (prev !== UPPER) return true
  const n = i + (isHigh(text.charCodeAt(i)) ? 2 : 1)
  return n < text.length && classify(text, n) === LOWER
}

/**
 * Lower-cases without moving any character: the few characters whose lower case is longer (`İ`) stay as
 * they are, on both the text and the filter side, so offsets in the folded text are offsets in the text.
 */
function fold(text: string): string {
  const lower = text.toLowerCase()
  if (lower.length === text.length) return lower
  let out = ''
  for (const ch of text) {
    const l = ch.toLowerCase()
    out += l.length === ch.length ? l : ch
  }
  return out
}

/** A text prepared for word search. Build it once per secret; it is cheap (one lower-casing). */
export interface SearchText {
  readonly text: string
  readonly folded: string
}

export function searchText(text: string): SearchText {
  return { text, folded: fold(text) }
}

/** The offsets where words of `text` begin (for tests and diagnostics; matching checks lazily). */
export function wordStarts(text: string): number[] {
  const starts: number[] = []
  for (let i = 0; i < text.length; i += isHigh(text.charCodeAt(i)) ? 2 : 1)
    if (isWordStart(text, i)) starts.push(i)
  return starts
}

/** The words of a filter value: its runs of letters/digits, lower-cased, not split at case changes. */
export function filterWords(value: string): string[] {
  const words: string[] = []
  let start = -1
  for (let i = 0; i <= value.length; i += isHigh(value.charCodeAt(i)) ? 2 : 1) {
    const separator = i === value.length || classify(value, i) === SEPARATOR
    if (separator && start >= 0) words.push(fold(value.slice(start, i)))
    if (separator) start = -1
    else if (start < 0) start = i
  }
  return words
}

/**
 * True when there is at least one word and every word occurs at a word start of `t`. A word holds only
 * letters and digits, so a match can't run past the end of its chunk.
 */
export function everyWordFound(words: readonly string[], t: SearchText): boolean {
  if (words.length === 0) return false
  return words.every((word) => {
    for (let i = t.folded.indexOf(word); i >= 0; i = t.folded.indexOf(word, i + 1)) {
      if (isWordStart(t.text, i)) return true
    }
    return false
  })
}
