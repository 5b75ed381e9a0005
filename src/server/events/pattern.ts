import { compileLeaf, type LeafTest } from './pattern-leaf.js'
import { PatternError } from './pattern-error.js'

/**
 * EventBridge event patterns (reference §4), compiled once and matched against parsed events.
 *
 * A pattern mirrors the event: an object's named fields must all match (fields the pattern doesn't name
 * are ignored), a leaf is a non-empty array of alternatives. Keys dot-join (`"a.b"` is `a{b}`), `$or`
 * takes alternatives of sub-patterns at any level. Event arrays match when any element matches, and the
 * fields of one sub-pattern must come from the same array element. Pure: no I/O, no clock.
 */
export interface CompiledPattern {
  /** True when `event` (a parsed JSON value, normally the EventBridge envelope) matches. */
  matches(event: unknown): boolean
}

export { PatternError } from './pattern-error.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface Leaf {
  readonly kind: 'leaf'
  /** Plain string and number literals, looked up at once. */
  readonly literals: ReadonlySet<string | number | boolean | null>
  readonly tests: readonly LeafTest[]
}

interface Node {
  readonly kind: 'node'
  readonly fields: readonly (readonly [string, Node | Leaf])[]
  /** Each entry is one `$or`: at least one of its alternatives must match. */
  readonly ors: readonly (readonly Node[])[]
}

/** The most `$or` combinations one pattern may expand to (reference §4). */
const MAX_COMBINATIONS = 1000

/**
 * Parses and validates a pattern (JSON text). Throws `PatternError` with the service's reason text for
 * anything EventBridge refuses; never throws anything else.
 */
export function compilePattern(text: string): CompiledPattern {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new PatternError('Filter is not valid JSON')
  }
  if (!isObject(parsed)) throw new PatternError('Filter is not an object')
  const root = compileNode(parsed)
  if (combinations(root) > MAX_COMBINATIONS)
    throw new PatternError(
      `The pattern's $or alternatives expand to more than ${MAX_COMBINATIONS} combinations`,
    )
  return { matches: (event) => matchNode(root, prepared(event)) }
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function compileNode(raw: JsonObject): Node {
  const fields: [string, Node | Leaf][] = []
  const ors: Node[][] = []
  for (const [key, value] of Object.entries(joinDottedKeys(raw, 'last-wins'))) {
    if (key === '$or' && Array.isArray(value) && value.length > 0 && value.every(isObject)) {
      if (value.length < 2) throw new PatternError('There must have at least 2 Objects in $or relationship.')
      ors.push(value.map(compileNode))
    } else if (Array.isArray(value)) {
      fields.push([key, compileLeafArray(value)])
    } else if (isObject(value)) {
      fields.push([key, compileNode(value)])
    } else {
      throw new PatternError(`"${key}" must be an object or an array`)
    }
  }
  return { kind: 'node', fields, ors }
}

function compileLeafArray(values: readonly Json[]): Leaf {
  if (values.length === 0) throw new PatternError('Empty arrays are not allowed')
  const literals = new Set<string | number | boolean | null>()
  const tests: LeafTest[] = []
  for (const value of values) {
    if (value === null || typeof value !== 'object') literals.add(value)
    else tests.push(compileLeaf(value))
  }
  return { kind: 'leaf', literals, tests }
}

function combinations(node: Node): number {
  let total = 1
  for (const [, child] of node.fields) if (child.kind === 'node') total *= combinations(child)
  for (const alternatives of node.ors) total *= alternatives.reduce((sum, alt) => sum + combinations(alt), 0)
  return Math.min(total, Number.MAX_SAFE_INTEGER)
}

/**
 * Splits `"a.b": v` into `a: {b: v}` and merges objects that meet. For a pattern the last of two leaves
 * for one key wins (as for a repeated key); for an event both values stay, as an array.
 */
function joinDottedKeys(raw: JsonObject, collisions: 'last-wins' | 'keep-both'): JsonObject {
  let dotted = false
  for (const key of Object.keys(raw)) if (key.includes('.') && key !== '$or') dotted = true
  if (!dotted) return raw
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(raw)) {
    const parts = key === '$or' ? [key] : key.split('.')
    let nested: Json = value
    for (let i = parts.length - 1; i > 0; i--) nested = { [parts[i] as string]: nested }
    const head = parts[0] as string
    out[head] = Object.hasOwn(out, head) ? mergeJson(out[head] as Json, nested, collisions) : nested
  }
  return out
}

function mergeJson(a: Json, b: Json, collisions: 'last-wins' | 'keep-both'): Json {
  if (isObject(a) && isObject(b)) {
    const out: JsonObject = { ...a }
    for (const [key, value] of Object.entries(b))
      out[key] = Object.hasOwn(out, key) ? mergeJson(out[key] as Json, value, collisions) : value
    return out
  }
  if (collisions === 'last-wins') return b
  return [...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])]
}

/** Prepared events, so that matching one event against many patterns prepares it once. */
const preparedEvents = new WeakMap<object, unknown>()

function prepared(event: unknown): unknown {
  if (event === null || typeof event !== 'object') return event
  let result = preparedEvents.get(event)
  if (result === undefined) {
    result = prepareEvent(event)
    preparedEvents.set(event, result)
  }
  return result
}

/** Events may carry dotted keys too; they match as if nested. Events without any are used as they are. */
function prepareEvent(event: unknown): unknown {
  if (Array.isArray(event)) return event.map(prepareEvent)
  if (!isObject(event)) return event
  let changed = false
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(event)) {
    const prepared = prepareEvent(value) as Json
    if (prepared !== value) changed = true
    out[key] = prepared
  }
  const joined = joinDottedKeys(changed ? out : event, 'keep-both')
  return joined === event && !changed ? event : joined
}

function matchNode(node: Node, value: unknown): boolean {
  if (Array.isArray(value)) {
    const elements = flatten(value)
    if (elements.length === 0) return matchNode(node, undefined)
    return elements.some((element) => matchNode(node, element))
  }
  const object = isObject(value) ? value : undefined
  for (const [key, child] of node.fields) {
    const field = object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined
    if (!(child.kind === 'leaf' ? matchLeaf(child, field) : matchNode(child, field))) return false
  }
  for (const alternatives of node.ors) if (!alternatives.some((alt) => matchNode(alt, value))) return false
  return true
}

type LeafValue = string | number | boolean | null

/**
 * The leaf values at a field: the value itself, or an array's elements (nested arrays flattened). Objects
 * are not leaves. No leaf values is the same as a missing field.
 */
function leafValues(value: unknown): LeafValue[] {
  if (value === undefined) return []
  if (Array.isArray(value)) return flatten(value).filter(isLeafValue)
  return isLeafValue(value) ? [value] : []
}

function isLeafValue(value: unknown): value is LeafValue {
  return value === null || (typeof value !== 'object' && typeof value !== 'undefined')
}

function flatten(values: readonly unknown[]): unknown[] {
  return values.some(Array.isArray)
    ? values.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]))
    : [...values]
}

function matchLeaf(leaf: Leaf, field: unknown): boolean {
  const values = leafValues(field)
  if (values.some((v) => leaf.literals.has(v))) return true
  for (const test of leaf.tests) {
    if (test.exists !== undefined) {
      if (test.exists === values.length > 0) return true
    } else if (values.some(test.value)) return true
  }
  return false
}
