/**
 * Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, any context key, with an optional
 * default (`${aws:PrincipalTag/team, 'none'}`), and the escapes `${*}`, `${?}`, `${$}` for a literal
 * `*`, `?` and `$`. IAM substitutes them only in `Version: 2012-10-17` policies, only in Resource /
 * NotResource and Condition values; in any other version the text is literal.
 *
 * A substituted value is always literal text: a principal tag of `*` does not become a wildcard.
 * A variable whose key is absent (or multi-valued: IAM cannot substitute a set) and that has no
 * default cannot be resolved, and the value containing it then matches nothing
 * (IAM User Guide, "Policy variables with no value" / "Specifying a default value").
 */
import type { ContextValue } from './evaluation-types.js'
import { ONE, STAR, codesMatch } from './glob.js'
import { keySlot, lookup, type KeySlot } from './memo.js'

export interface VarRef {
  readonly kind: 'var'
  /** The (lower-cased) context key. */
  readonly key: KeySlot
  readonly fallback: string | undefined
}

export interface Literal {
  readonly kind: 'lit'
  /** Pattern codes (wildcards negative when the value allows them). */
  readonly codes: readonly number[]
  /** The literal text (only meaningful without wildcards). */
  readonly text: string
}

export interface Template {
  readonly parts: readonly (Literal | VarRef)[]
  /**
   * Fast path for matching: the leading parts up to the first literal with a wildcard (`head`),
   * and the codes of everything after (`tail`) when no variable follows a wildcard. `tail` is
   * undefined when the template has to be substituted in full before matching.
   */
  readonly head: readonly (Literal | VarRef)[]
  readonly tail: Int32Array | undefined
}

type Context = ReadonlyMap<string, ContextValue>

const ESCAPES: Readonly<Record<string, number>> = { '*': 42, '?': 63, $: 36 }
const WITH_DEFAULT = /^\s*([^,]*?)\s*,\s*'([^']*)'\s*$/

function parseVar(inner: string): VarRef {
  const m = WITH_DEFAULT.exec(inner)
  if (m !== null) return { kind: 'var', key: keySlot((m[1] ?? '').toLowerCase()), fallback: m[2] ?? '' }
  const comma = inner.indexOf(',')
  const key = (comma >= 0 ? inner.slice(0, comma) : inner).trim().toLowerCase()
  return { kind: 'var', key: keySlot(key), fallback: undefined }
}

function literal(codes: number[]): Literal {
  let text = ''
  for (const c of codes) text += String.fromCharCode(c < 0 ? (c === STAR ? 42 : 63) : c)
  return { kind: 'lit', codes, text }
}

/**
 * Parses a policy value. Returns plain pattern codes when nothing is left to substitute at request
 * time (escapes are applied here), otherwise a template.
 */
export function parseValue(text: string, wildcards: boolean, variables: boolean): number[] | Template {
  const parts: (Literal | VarRef)[] = []
  let lit: number[] = []
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (variables && c === 36 && text.charCodeAt(i + 1) === 123) {
      const end = text.indexOf('}', i + 2)
      if (end >= 0) {
        const inner = text.slice(i + 2, end)
        const escape = Object.hasOwn(ESCAPES, inner) ? ESCAPES[inner] : undefined
        if (escape !== undefined) {
          lit.push(escape)
        } else {
          if (lit.length > 0) parts.push(literal(lit))
          lit = []
          parts.push(parseVar(inner))
        }
        i = end + 1
        continue
      }
    }
    lit.push(wildcards && c === 42 ? STAR : wildcards && c === 63 ? ONE : c)
    i++
  }
  if (parts.length === 0) return lit
  if (lit.length > 0) parts.push(literal(lit))
  return template(parts)
}

function template(parts: (Literal | VarRef)[]): Template {
  const wild = (p: Literal | VarRef) => p.kind === 'lit' && p.codes.some((c) => c < 0)
  const split = parts.findIndex(wild)
  const head = split < 0 ? parts : parts.slice(0, split)
  const rest = split < 0 ? [] : parts.slice(split)
  const simple = rest.every((p) => p.kind === 'lit')
  const tail = simple ? Int32Array.from(rest.flatMap((p) => (p.kind === 'lit' ? p.codes : []))) : undefined
  return { parts, head, tail }
}

function sameAt(text: string, at: number, to: number, codes: readonly number[] | string): boolean {
  const n = codes.length
  if (to - at < n) return false
  if (typeof codes === 'string') return text.startsWith(codes, at)
  for (let i = 0; i < n; i++) if (text.charCodeAt(at + i) !== codes[i]) return false
  return true
}

/**
 * Matches `text[from, to)` against the substituted template: 1 match, 0 no match, -1 a variable
 * cannot be resolved. Leading literals and variables are compared in place (no substitution).
 */
export function templateMatches(t: Template, ctx: Context, text: string, from: number, to: number): number {
  if (t.tail === undefined) {
    const n = resolveCodes(t, ctx)
    return n < 0 ? -1 : codesMatch(scratch, n, text, from, to) ? 1 : 0
  }
  let at = from
  let ok = true
  for (const part of t.head) {
    const piece = part.kind === 'lit' ? part.codes : resolveVar(part, ctx)
    if (piece === undefined) return -1
    if (ok && !sameAt(text, at, to, piece)) ok = false
    at += piece.length
  }
  if (!ok) return 0
  return codesMatch(t.tail, t.tail.length, text, at, to) ? 1 : 0
}

/** The value a variable stands for, or `undefined` when it cannot be resolved. */
export function resolveVar(v: VarRef, ctx: Context): string | undefined {
  const value = lookup(v.key, ctx)
  return typeof value === 'string' ? value : v.fallback
}

/** The substituted text (for operators without wildcards), or `undefined` if unresolvable. */
export function resolveText(t: Template, ctx: Context): string | undefined {
  let out = ''
  for (const part of t.parts) {
    if (part.kind === 'lit') {
      out += part.text
    } else {
      const v = resolveVar(part, ctx)
      if (v === undefined) return undefined
      out += v
    }
  }
  return out
}

let scratch = new Int32Array(256)

function ensure(size: number): void {
  if (size <= scratch.length) return
  const next = new Int32Array(Math.max(size, scratch.length * 2))
  next.set(scratch)
  scratch = next
}

/**
 * Substitutes into the shared `scratch` buffer and returns the number of codes, or -1 if a variable
 * cannot be resolved. The buffer is valid until the next call; use it immediately.
 */
function resolveCodes(t: Template, ctx: Context): number {
  let n = 0
  for (const part of t.parts) {
    if (part.kind === 'lit') {
      ensure(n + part.codes.length)
      for (const c of part.codes) scratch[n++] = c
    } else {
      const v = resolveVar(part, ctx)
      if (v === undefined) return -1
      ensure(n + v.length)
      for (let i = 0; i < v.length; i++) scratch[n++] = v.charCodeAt(i)
    }
  }
  return n
}
