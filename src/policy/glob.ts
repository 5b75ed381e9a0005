/**
 * IAM wildcard patterns: `*` matches any run of characters (including none, `:` and `/`), `?` exactly
 * one UTF-16 code unit. Patterns are compiled once into code arrays where the wildcards are negative
 * numbers, so a literal `*` (the `${*}` escape, or a `*` in a substituted variable value) stays
 * distinguishable from a wildcard.
 *
 * Matching uses the two-pointer algorithm with a single backtrack point: O(|pattern|·|text|) in the
 * worst case and linear in practice. A regular expression would backtrack polynomially on patterns
 * such as `*a*a*a*a*b`, and policy text is written by (possibly hostile) callers. No allocation.
 */

export const STAR = -1
export const ONE = -2

export const G_ANY = 0
export const G_EXACT = 1
export const G_PREFIX = 2
export const G_GENERAL = 3
export type GlobKind = typeof G_ANY | typeof G_EXACT | typeof G_PREFIX | typeof G_GENERAL

export interface Glob {
  readonly kind: GlobKind
  /** The whole text (Exact) or the literal prefix (Prefix). */
  readonly literal: string
  /** Pattern codes (General). */
  readonly codes: Int32Array
}

const NO_CODES = new Int32Array(0)

/** Pattern codes → glob, picking the cheapest matcher that is exact for the pattern. */
export function globFromCodes(codes: readonly number[]): Glob {
  let firstWild = codes.length
  for (let i = 0; i < codes.length; i++) {
    if ((codes[i] ?? 0) < 0) {
      firstWild = i
      break
    }
  }
  if (firstWild === codes.length) return { kind: G_EXACT, literal: codesText(codes), codes: NO_CODES }
  const onlyStars = codes.every((c) => c === STAR)
  if (onlyStars) return { kind: G_ANY, literal: '', codes: NO_CODES }
  if (firstWild === codes.length - 1 && codes[firstWild] === STAR) {
    return { kind: G_PREFIX, literal: codesText(codes.slice(0, firstWild)), codes: NO_CODES }
  }
  return { kind: G_GENERAL, literal: '', codes: Int32Array.from(codes) }
}

/** Codes of `text`; with `wildcards`, `*` and `?` become STAR and ONE. */
function textCodes(text: string, wildcards: boolean): number[] {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    out.push(wildcards && c === 42 ? STAR : wildcards && c === 63 ? ONE : c)
  }
  return out
}

export function globOf(text: string, wildcards = true): Glob {
  return globFromCodes(textCodes(text, wildcards))
}

/** Text of literal codes (wildcard codes must not occur). */
export function codesText(codes: readonly number[]): string {
  let s = ''
  for (const c of codes) s += String.fromCharCode(c)
  return s
}

/** Does `text[from, to)` match the glob? */
export function globMatch(g: Glob, text: string, from = 0, to = text.length): boolean {
  switch (g.kind) {
    case G_ANY:
      return true
    case G_EXACT:
      return to - from === g.literal.length && text.startsWith(g.literal, from)
    case G_PREFIX:
      return to - from >= g.literal.length && text.startsWith(g.literal, from)
    case G_GENERAL:
      return codesMatch(g.codes, g.codes.length, text, from, to)
  }
}

/** Does `text[from, to)` match the first `n` pattern codes? */
export function codesMatch(
  codes: ArrayLike<number>,
  n: number,
  text: string,
  from: number,
  to: number,
): boolean {
  let p = 0
  let t = from
  let star = -1
  let mark = from
  while (t < to) {
    const c = p < n ? (codes[p] as number) : 0
    if (p < n && (c === ONE || c === text.charCodeAt(t))) {
      p++
      t++
    } else if (p < n && c === STAR) {
      star = p++
      mark = t
    } else if (star >= 0) {
      p = star + 1
      t = ++mark
    } else {
      return false
    }
  }
  while (p < n && codes[p] === STAR) p++
  return p === n
}
