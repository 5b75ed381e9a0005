/**
 * Duplicate-key detection for JSON text.
 *
 * `JSON.parse` silently keeps the last of two equal keys, which would let
 * `{"Effect": "Deny", "Effect": "Allow"}` mean something other than what a reviewer reads. IAM
 * rejects such documents, so we scan the text ourselves. The scanner assumes the text already
 * parsed successfully with `JSON.parse` (so it only has to track structure, not validate it) and
 * is iterative so deeply nested input cannot overflow the stack.
 */
import { indexPath, memberPath } from './findings.js'

export interface DuplicateKey {
  /** Path of the duplicated member, e.g. `Statement[0].Effect`. */
  readonly path: string
  readonly key: string
}

type Frame =
  | { readonly kind: 'object'; readonly path: string; readonly keys: Set<string>; key: string }
  | { readonly kind: 'array'; readonly path: string; index: number }

const QUOTE = 0x22
const BACKSLASH = 0x5c

/** Index just past the closing quote of the string literal starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === BACKSLASH) i += 2
    else if (c === QUOTE) return i + 1
    else i++
  }
  return i
}

function childPath(top: Frame | undefined): string {
  if (top === undefined) return ''
  return top.kind === 'object' ? memberPath(top.path, top.key) : indexPath(top.path, top.index)
}

export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = []
  const stack: Frame[] = []
  let expectKey = false
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    const top = stack[stack.length - 1]
    switch (ch) {
      case '{':
        stack.push({ kind: 'object', path: childPath(top), keys: new Set(), key: '' })
        expectKey = true
        i++
        break
      case '[':
        stack.push({ kind: 'array', path: childPath(top), index: 0 })
        expectKey = false
        i++
        break
      case '}':
      case ']':
        stack.pop()
        expectKey = false
        i++
        break
      case ',':
        if (top?.kind === 'array') top.index++
        else expectKey = true
        i++
        break
      case '"': {
        const end = stringEnd(text, i)
        if (expectKey && top?.kind === 'object') {
          const raw = text.slice(i + 1, end - 1)
          // Escapes matter: "\u0045ffect" and "Effect" are the same key.
          const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw
          if (top.keys.has(key)) found.push({ path: memberPath(top.path, key), key })
          else top.keys.add(key)
          top.key = key
          expectKey = false
        }
        i = end
        break
      }
      default:
        // Whitespace, ':' and the characters of numbers/true/false/null carry no structure.
        i++
    }
  }
  return found
}
