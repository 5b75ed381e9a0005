/** TypeScript type expressions for shapes, shared by the emitters. */
import type { Model, Shape } from './model.js'
import { typeName } from './names.js'

export function shapeOf(model: Model, name: string): Shape {
  const shape = model.shapes[name]
  if (!shape) throw new Error(`unknown shape ${name}`)
  return shape
}

/** Shapes that get a named type of their own (and are referenced by name): structures and enums. */
export function isNamedType(shape: Shape): boolean {
  return (
    (shape.type === 'structure' && !shape.document) || (shape.type === 'string' && shape.enum !== undefined)
  )
}

/**
 * The type of a value of shape `name`. Named types are prefixed with `ns` (`''` inside types.ts, `T.`
 * where types.ts is imported as a namespace).
 */
export function tsType(model: Model, name: string, ns: string): string {
  const shape = shapeOf(model, name)
  if (isNamedType(shape)) return ns + typeName(name)
  switch (shape.type) {
    case 'structure':
      return 'unknown' // document
    case 'string':
      return 'string'
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'timestamp':
      return 'Date'
    case 'blob':
      return 'Uint8Array'
    case 'list':
      return `readonly ${arrayElement(tsType(model, refOf(shape.member, name), ns))}[]`
    case 'map':
      return `Readonly<Record<string, ${tsType(model, refOf(shape.value, name), ns)}>>`
  }
}

/** Element type as written before `[]`. */
export function arrayElement(type: string): string {
  return /[\s|&<]/.test(type) ? `(${type})` : type
}

export function refOf(ref: { readonly shape: string } | undefined, owner: string): string {
  if (!ref) throw new Error(`shape ${owner} lacks a member/key/value reference`)
  return ref.shape
}
