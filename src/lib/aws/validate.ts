/**
 * Runtime helpers for the generated input validators (`src/aws-api/<service>/validators.ts`).
 *
 * The generated code does the per-member work inline; this module holds what is shared: type checks that
 * throw `SerializationException` (wrong JSON type aborts the request at once, as Coral does), the
 * collector for constraint violations (all of them are reported together in one `ValidationException`),
 * message formatting, base64 and timestamp decoding, and code-point length.
 *
 * The collector is module state rather than a per-call object so a request that validates cleanly
 * allocates nothing but its result. That is safe because a parse is synchronous and never calls out to
 * other code: `root()` resets the state at the start of every parse and `done()` consumes it at the end.
 */
import { SerializationException, ValidationException } from './errors.js'

/** A JSON object as handed to the generated structure parsers. */
export type Obj = Readonly<Record<string, unknown>>

/** The generated parsers build their results member by member. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] }

let pending: string[] | undefined

/** Start of a parse: resets the collector and checks that the body is a JSON object. */
export function root(raw: unknown): Obj {
  pending = undefined
  // An absent (or `null`) body is an empty input, as for any other absent member.
  if (raw === undefined || raw === null) return EMPTY
  return struct(raw)
}

/** End of a parse: throws the collected violations, if any. */
export function done<T>(result: T): T {
  const errors = pending
  if (errors !== undefined) {
    pending = undefined
    throw new ValidationException(validationMessage(errors))
  }
  return result
}

/** The parser of operations that have no input shape. */
export function parseEmpty(raw: unknown): Record<string, never> {
  root(raw)
  return {}
}

export function validationMessage(errors: readonly string[]): string {
  const n = errors.length
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`
}

/**
 * Records a constraint violation. `value` is the rendered value, or `undefined` when it must not be shown
 * (sensitive shapes, blobs, structures and maps).
 */
export function fail(path: string, value: string | number | undefined, constraint: string): void {
  const text =
    value === undefined
      ? `Value at '${path}' failed to satisfy constraint: ${constraint}`
      : `Value '${value}' at '${path}' failed to satisfy constraint: ${constraint}`
  ;(pending ??= []).push(text)
}

/** A map key violates the key shape's constraints. */
export function failKey(path: string, key: string | undefined, constraint: string): void {
  fail(path, key, `Map keys must satisfy constraint: [${constraint}]`)
}

/** A required member is absent (or `null`). */
export function missing(path: string): void {
  ;(pending ??= []).push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`)
}

/** Renders a list of scalars the way Coral does: `[a, b]`. Only called on the error path. */
export function renderList(list: readonly unknown[]): string {
  return `[${list.map((e) => (e === null || e === undefined ? 'null' : String(e))).join(', ')}]`
}

/** Throws the serialization error for a JSON value of the wrong type; `target` is e.g. `an Integer`. */
export function wrongType(value: unknown, target: string): never {
  if (Array.isArray(value)) throw new SerializationException('Start of list found where not expected.')
  if (typeof value === 'object' && value !== null) {
    throw new SerializationException('Start of structure or map found where not expected.')
  }
  throw new SerializationException(`${tokenName(value)} can not be converted to ${target}`)
}

function tokenName(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'STRING_VALUE'
    case 'number':
      return 'NUMBER_VALUE'
    case 'boolean':
      return value ? 'TRUE_VALUE' : 'FALSE_VALUE'
    default:
      return 'NULL_VALUE'
  }
}

const EMPTY: Obj = Object.freeze({})

export function struct(value: unknown): Obj {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Obj
  return wrongType(value, 'a Structure')
}

export function map(value: unknown): Obj {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Obj
  return wrongType(value, 'a Map')
}

export function list(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value
  return wrongType(value, 'a List')
}

/** A fresh map result; no prototype, so a `__proto__` key is just a key. */
export function newMap<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>
}

export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647
}

export function isLong(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value)
}

/** Length in Unicode code points (what Coral's length constraints count), not UTF-16 units. */
export function cpLength(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--
        i++
      }
    }
  }
  return n
}

/** Decodes a base64 blob member. The message never includes the value. */
export function blob(value: unknown): Uint8Array {
  if (typeof value !== 'string') return wrongType(value, 'a Blob')
  if (!isBase64(value)) throw new SerializationException('Base64 encoded value could not be decoded.')
  return Buffer.from(value, 'base64')
}

/** Standard alphabet; padding optional but, if present, complete. Whitespace is not accepted. */
function isBase64(s: string): boolean {
  let end = s.length
  if (end > 0 && s.charCodeAt(end - 1) === 0x3d) end--
  if (end > 0 && s.charCodeAt(end - 1) === 0x3d) end--
  if (end !== s.length && s.length % 4 !== 0) return false
  if (end % 4 === 1) return false
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i)
    const ok =
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x61 && c <= 0x7a) || // a-z
      (c >= 0x30 && c <= 0x39) || // 0-9
      c === 0x2b || // +
      c === 0x2f // /
    if (!ok) return false
  }
  return true
}

/** Matches ISO-8601 / RFC 3339 date-times; anything else is not accepted as a timestamp string. */
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/

/** JSON timestamps are epoch seconds (fractions allowed); ISO-8601 strings are accepted too. */
export function toDate(value: unknown): Date {
  let ms: number
  if (typeof value === 'number') ms = Math.round(value * 1000)
  else if (typeof value === 'string' && ISO_DATE_TIME.test(value)) ms = Date.parse(value)
  else return wrongType(value, 'a Timestamp')
  const date = new Date(ms)
  if (Number.isNaN(date.getTime())) throw new SerializationException('Timestamp value is out of range.')
  return date
}
