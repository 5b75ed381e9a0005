/** Naming helpers shared by the emitters. */

/** Coral's validation paths use member names with the first letter lower-cased (`ARN` → `aRN`). */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)
}

/** A property key for an object literal or interface member. */
export function propKey(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name)
}

/**
 * Property access on `obj`. Reads of members named like `Object.prototype` properties (`constructor`,
 * `toString`) look at own properties only, so a JSON body cannot smuggle in inherited values.
 */
export function propAccess(obj: string, name: string, read = true): string {
  if (read && PROTOTYPE_NAMES.has(name))
    return `(Object.hasOwn(${obj}, ${JSON.stringify(name)}) ? ${obj}[${JSON.stringify(name)}] : undefined)`
  return isIdentifier(name) ? `${obj}.${name}` : `${obj}[${JSON.stringify(name)}]`
}

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype))

/** A string literal in generated code (prettier turns the quotes into single quotes). */
export function str(text: string): string {
  return JSON.stringify(text)
}

/**
 * Type names generated code relies on, plus TypeScript keywords: a shape with such a name gets a suffix in
 * `types.ts` (cloudtrail has a `Date` timestamp shape; `export type Date = Date` would be circular).
 */
const RESERVED_TYPE_NAMES = new Set([
  'Date',
  'Uint8Array',
  'Record',
  'Readonly',
  'ReadonlyArray',
  'Array',
  'Object',
  'any',
  'unknown',
  'never',
  'string',
  'number',
  'boolean',
  'object',
  'symbol',
  'bigint',
  'undefined',
  'null',
  'void',
  'this',
  'type',
  'interface',
  'enum',
  'class',
  'function',
  'const',
  'let',
  'var',
  'default',
  'import',
  'export',
  'extends',
  'implements',
  'in',
  'of',
  'keyof',
  'typeof',
  'new',
  'delete',
  'return',
  'switch',
  'case',
  'if',
  'else',
  'for',
  'while',
  'do',
  'break',
  'continue',
  'try',
  'catch',
  'finally',
  'throw',
  'super',
  'with',
  'yield',
  'await',
  'package',
  'private',
  'protected',
  'public',
  'static',
  'debugger',
  'instanceof',
  'true',
  'false',
])

export function typeName(shape: string): string {
  return RESERVED_TYPE_NAMES.has(shape) ? `${shape}Shape` : shape
}
