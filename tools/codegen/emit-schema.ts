/** `schema.ts`: the runtime shape table the wire codecs and the audit layer (redaction) walk. */
import type { Model, Shape, ShapeRef } from './model.js'
import { propKey, str } from './names.js'
import type { Selection } from './reachable.js'
import { shapeOf } from './ts-types.js'

type Entry = Record<string, unknown>

/** Traits carried over from a member reference (all structural; no prose). */
function ref(r: ShapeRef): Entry {
  const out: Entry = { shape: r.shape }
  if (r.locationName !== undefined) out['locationName'] = r.locationName
  if (r.location !== undefined) out['location'] = r.location
  if (r.idempotencyToken) out['idempotencyToken'] = true
  if (r.flattened) out['flattened'] = true
  if (r.xmlNamespace !== undefined) out['xmlNamespace'] = r.xmlNamespace
  if (r.xmlAttribute) out['xmlAttribute'] = true
  if (r.timestampFormat !== undefined) out['timestampFormat'] = r.timestampFormat
  if (r.queryName !== undefined) out['queryName'] = r.queryName
  if (r.jsonvalue) out['jsonvalue'] = true
  if (r.hostLabel) out['hostLabel'] = true
  if (r.deprecated) out['deprecated'] = true
  return out
}

function entry(model: Model, shape: Shape): Entry {
  const out: Entry = { type: shape.type }
  switch (shape.type) {
    case 'structure': {
      const members: Entry = {}
      for (const [name, r] of Object.entries(shape.members ?? {})) members[name] = ref(r)
      out['members'] = members
      if (shape.required?.length) out['required'] = shape.required
      const sensitive = Object.entries(shape.members ?? {})
        .filter(([, r]) => shapeOf(model, r.shape).sensitive)
        .map(([name]) => name)
      if (sensitive.length > 0) out['sensitiveMembers'] = sensitive
      if (shape.exception) out['exception'] = true
      if (shape.fault) out['fault'] = true
      if (shape.error) {
        const { code, httpStatusCode, senderFault } = shape.error
        out['error'] = Object.fromEntries(
          Object.entries({ code, httpStatusCode, senderFault }).filter(([, v]) => v !== undefined),
        )
      }
      if (shape.union) out['union'] = true
      if (shape.document) out['document'] = true
      if (shape.payload !== undefined) out['payload'] = shape.payload
      break
    }
    case 'list':
      if (shape.member) out['member'] = ref(shape.member)
      break
    case 'map':
      if (shape.key) out['key'] = ref(shape.key)
      if (shape.value) out['value'] = ref(shape.value)
      break
    case 'string':
      if (shape.pattern !== undefined) out['pattern'] = shape.pattern
      if (shape.enum !== undefined) out['enum'] = shape.enum
      break
    case 'timestamp':
      if (shape.timestampFormat !== undefined) out['timestampFormat'] = shape.timestampFormat
      break
    case 'blob':
      if (shape.streaming) out['streaming'] = true
      break
    default:
      break
  }
  if (shape.type !== 'structure' && shape.type !== 'boolean' && shape.type !== 'timestamp') {
    if (shape.min !== undefined) out['min'] = shape.min
    if (shape.max !== undefined) out['max'] = shape.max
  }
  if ((shape.type === 'list' || shape.type === 'map') && shape.flattened) out['flattened'] = true
  if (shape.sensitive) out['sensitive'] = true
  if (shape.locationName !== undefined) out['locationName'] = shape.locationName
  if (shape.xmlNamespace !== undefined) out['xmlNamespace'] = shape.xmlNamespace
  if (shape.deprecated) out['deprecated'] = true
  return out
}

/** A TypeScript object literal; prettier lays it out. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    const parts = Object.entries(value).map(([k, v]) => `${propKey(k)}: ${literal(v)}`)
    return `{ ${parts.join(', ')} }`
  }
  return typeof value === 'string' ? str(value) : String(value)
}

export function emitSchema(model: Model, selection: Selection, libImport: string): string {
  const rows = selection.shapes.map(
    (name) => `  ${propKey(name)}: ${literal(entry(model, shapeOf(model, name)))},`,
  )
  return (
    [
      `import type { ShapeTable } from ${str(libImport + '/schema-types.js')}`,
      `export const shapes = {\n${rows.join('\n')}\n} as const satisfies ShapeTable`,
      'export type ShapeName = keyof typeof shapes',
    ].join('\n\n') + '\n'
  )
}
