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
import { ONE, STAR } from './glob.js'

export interface VarRef {
  readonly kind: 'var'
  /** Lower-cased context key. */
  readonly key: string
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
}

type Context = ReadonlyMap<string, ContextValue>

const ESCAPES: Readonly<Record<string, number>> = { '*': 42, '?': 63, $: 36 }
const WITH_DEFAULT = /^\s*([^,]*?)\s*,\s*'([^']*)'\s*$/

function parseVar(inner: string): VarRef {
  const m = WITH_DEFAULT.exec(inner)
  if (m !== null) return { kind: 'var', key: (m[1] ?? '').toLowerCase(), fallback: m[2] ?? '' }
  const comma = inner.indexOf(',')
  const key = (comma >= 0 ? inner.slice(0, comma) : inner).trim().toLowerCase()
  return { kind: 'var', key, fallback: undefined }
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
  return { parts }
}

/** The value a variable stands for, or `undefined` when it cannot be resolved. */
export function resolveVar(v: VarRef, ctx: Context): string | undefined {
  const value = ctx.get(v.key)
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
 * Substitutes into a shared buffer (see `scratchCodes`) and returns the number of codes, or -1 if a
 * variable cannot be resolved. The buffer is valid until the next call; use it immediately.
 */
export function resolveCodes(t: Template, ctx: Context): number {
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

export function scratchCodes(): Int32Array {
  return scratch
}
