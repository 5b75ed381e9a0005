/**
 * Translation of the models' Java-flavoured `pattern` traits to JavaScript RegExp source, done at
 * generation time so the generated validators only compile ready-made sources. A pattern must match the
 * whole value.
 *
 * Handled: leading inline flags (`(?i)`, `(?s)`), escapes of punctuation that Java accepts but JavaScript's
 * `u` mode rejects (`\!`, `\:`, `\=`, ...), a literal `-` next to a class escape inside `[...]`, Java
 * POSIX classes (`\p{Alpha}`), `\Q...\E`, `\A`, `\z`, `\Z`, `\x{...}`. Anything with Java-only meaning we
 * cannot express (nested classes, `&&` intersections, possessive quantifiers, other escapes) is refused
 * with a clear error instead of being compiled into a subtly different regex; fix such a model with a
 * patch (see `patches.ts`).
 */

export interface CompiledPattern {
  readonly source: string
  readonly flags: string
}

export class PatternError extends Error {}

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/')
/** Letter escapes with the same meaning in Java and JavaScript. */
const SAME_ESCAPES = new Set('dDwWsSbBtnrfc')
const CLASS_ESCAPES = new Set('dDwWsS')
/** Java POSIX character classes (US-ASCII only, as in Java without UNICODE_CHARACTER_CLASS). */
const POSIX: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
}
const INLINE_FLAGS: Readonly<Record<string, string>> = { i: 'i', s: 's', m: 'm' }

/** Translates the pattern; throws `PatternError` if it cannot be expressed. */
export function translatePattern(pattern: string): CompiledPattern {
  let flags = ''
  let rest = pattern
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(rest)
  if (lead?.[1]) {
    for (const f of lead[1]) {
      const js = INLINE_FLAGS[f]
      if (!js) throw new PatternError(`inline flag (?${f}) has no JavaScript equivalent`)
      if (!flags.includes(js)) flags += js
    }
    rest = rest.slice(lead[0].length)
  }
  // Whole-value match, like Java's Matcher.matches() that AWS's services use: STS rejects the session
  // name 'Session1:2' against `[\w+=,.@-]*`, which a search would accept (spec §6.1).
  const source = `^(?:${translateBody(rest)})$`
  return compile(source, flags)
}

function compile(source: string, flags: string): CompiledPattern {
  const sorted = (f: string): string => [...f].sort().join('')
  try {
    new RegExp(source, flags + 'u')
    return { source, flags: sorted(flags + 'u') }
  } catch (unicodeError) {
    // Without `u`, `\p{..}` and `\u{..}` silently mean something else; refuse those.
    if (/\\[pPu]\{/.test(source)) throw new PatternError(`invalid in unicode mode: ${String(unicodeError)}`)
    try {
      new RegExp(source, flags)
      return { source, flags: sorted(flags) }
    } catch (error) {
      throw new PatternError(String(error))
    }
  }
}

function translateBody(p: string): string {
  let out = ''
  let inClass = false
  /** Position in `out` after the last class atom, and whether that atom was a class escape like `\w`. */
  let lastWasClassEscape = false
  let classStart = false
  for (let i = 0; i < p.length; i++) {
    const c = p.charAt(i)
    if (c === '\\') {
      const { text, classEscape, consumed } = translateEscape(p, i, inClass)
      // A `-` right before a class escape is a literal in Java but an error in `u` mode.
      if (inClass && classEscape && out.endsWith('-') && !out.endsWith('\\-') && !classStart) {
        out = out.slice(0, -1) + '\\-'
      }
      out += text
      i += consumed - 1
      lastWasClassEscape = classEscape
      classStart = false
      continue
    }
    if (inClass) {
      if (c === '[') throw new PatternError('nested character classes (Java union) are not supported')
      if (c === '&' && p.charAt(i + 1) === '&')
        throw new PatternError('class intersection (&&) is not supported')
      if (c === ']') {
        // Java reads a `]` right after `[` or `[^` as a literal; JavaScript would end the class.
        out += classStart ? '\\]' : c
        if (!classStart) inClass = false
        classStart = false
        lastWasClassEscape = false
        continue
      }
      if (c === '-' && lastWasClassEscape) {
        out += '\\-'
        lastWasClassEscape = false
        classStart = false
        continue
      }
      if (c === '^' && classStart && out.endsWith('[')) {
        out += c
        continue
      }
      out += c
      lastWasClassEscape = false
      classStart = false
      continue
    }
    if (c === '[') {
      inClass = true
      classStart = true
      lastWasClassEscape = false
      out += c
      continue
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && p.charAt(i + 1) === '+') {
      throw new PatternError('possessive quantifiers are not supported')
    }
    if (c === '(' && p.charAt(i + 1) === '?' && /^[a-zA-Z-]/.test(p.charAt(i + 2))) {
      throw new PatternError('inline flags are only supported at the start of the pattern')
    }
    out += c
  }
  if (inClass) throw new PatternError('unterminated character class')
  return out
}

interface Escape {
  readonly text: string
  readonly classEscape: boolean
  readonly consumed: number
}

function translateEscape(p: string, i: number, inClass: boolean): Escape {
  const c = p.charAt(i + 1)
  if (c === '') throw new PatternError('trailing backslash')
  if (CLASS_ESCAPES.has(c)) return { text: `\\${c}`, classEscape: true, consumed: 2 }
  if (SAME_ESCAPES.has(c)) {
    if (c === 'c') return { text: p.slice(i, i + 3), classEscape: false, consumed: 3 }
    if (inClass && c === 'b') throw new PatternError('\\b inside a character class')
    return { text: `\\${c}`, classEscape: false, consumed: 2 }
  }
  if (c === 'u') {
    const hex = p.slice(i + 2, i + 6)
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PatternError('malformed \\u escape')
    return { text: `\\u${hex}`, classEscape: false, consumed: 6 }
  }
  if (c === 'x') {
    if (p.charAt(i + 2) === '{') {
      const close = p.indexOf('}', i + 3)
      const hex = p.slice(i + 3, close)
      if (close < 0 || !/^[0-9a-fA-F]+$/.test(hex)) throw new PatternError('malformed \\x{...} escape')
      return { text: `\\u{${hex}}`, classEscape: false, consumed: close - i + 1 }
    }
    const hex = p.slice(i + 2, i + 4)
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new PatternError('malformed \\x escape')
    return { text: `\\x${hex}`, classEscape: false, consumed: 4 }
  }
  if (c === 'p' || c === 'P') return translateProperty(p, i, c === 'P', inClass)
  if (c === 'Q') {
    const end = p.indexOf('\\E', i + 2)
    const literal = p.slice(i + 2, end < 0 ? p.length : end)
    const text = [...literal].map((ch) => (SYNTAX_CHARS.has(ch) || ch === '-' ? `\\${ch}` : ch)).join('')
    return { text, classEscape: false, consumed: (end < 0 ? p.length : end + 2) - i }
  }
  if (!inClass && c === 'A') return { text: '^', classEscape: false, consumed: 2 }
  if (!inClass && c === 'z') return { text: '$', classEscape: false, consumed: 2 }
  if (!inClass && c === 'Z') return { text: '(?=\\n?$)', classEscape: false, consumed: 2 }
  if (c === 'e') return { text: '\\x1B', classEscape: false, consumed: 2 }
  if (c === 'a') return { text: '\\x07', classEscape: false, consumed: 2 }
  if (/[1-9]/.test(c) && !inClass) return { text: `\\${c}`, classEscape: false, consumed: 2 }
  if (/[A-Za-z0-9]/.test(c)) throw new PatternError(`escape \\${c} has no JavaScript equivalent`)
  // Punctuation: keep the escape only where JavaScript's `u` mode allows it; otherwise the bare
  // character means the same thing.
  if (SYNTAX_CHARS.has(c) || (inClass && c === '-'))
    return { text: `\\${c}`, classEscape: false, consumed: 2 }
  return { text: c, classEscape: false, consumed: 2 }
}

function translateProperty(p: string, i: number, negated: boolean, inClass: boolean): Escape {
  if (p.charAt(i + 2) !== '{') throw new PatternError('single-letter \\p escapes are not supported')
  const close = p.indexOf('}', i + 3)
  if (close < 0) throw new PatternError('unterminated \\p{...}')
  const name = p.slice(i + 3, close)
  const consumed = close - i + 1
  const posix = POSIX[name]
  if (posix !== undefined) {
    if (negated && inClass) throw new PatternError(`negated POSIX class \\P{${name}} inside a class`)
    const text = inClass ? posix : `[${negated ? '^' : ''}${posix}]`
    return { text, classEscape: true, consumed }
  }
  // Unicode categories and scripts: `\p{L}`, `\p{IsLatin}`, `\p{IsL}`, `\p{general_category=L}`.
  const bare = name.startsWith('Is') ? name.slice(2) : name
  if (/^[A-Za-z_=]+$/.test(bare)) {
    return { text: `\\${negated ? 'P' : 'p'}{${bare}}`, classEscape: true, consumed }
  }
  throw new PatternError(`\\p{${name}} has no JavaScript equivalent`)
}
