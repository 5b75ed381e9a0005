import type { MemberSchema, ShapeTable, StructureSchema } from '../../lib/aws/schema-types.js'

/**
 * Members never recorded although the models do not mark their shapes sensitive: a session token is a
 * credential (AWS itself logs it in AssumeRole responses; Coffer does not).
 */
const NEVER_RECORDED: ReadonlySet<string> = new Set(['SessionToken'])

/**
 * A request or response as CloudTrail writes it (reference §1): members under their lowerCamelCase names,
 * timestamps Java-style, blobs in base64 — and, walking the generated shape table, every member whose
 * shape is sensitive left out, at any depth (AWS omits the key). Members the model does not know, and
 * values of the wrong type for their shape, are left out too: the record never holds what the schema
 * cannot vouch for. `undefined` = nothing to record.
 */
export function cloudTrailForm(value: unknown, shape: string | undefined, shapes: ShapeTable): unknown {
  if (shape === undefined || value === undefined || value === null) return undefined
  return convert(value, { shape }, shapes)
}

function convert(value: unknown, member: MemberSchema, shapes: ShapeTable): unknown {
  const schema = shapes[member.shape]
  if (schema === undefined || schema.sensitive === true || value === undefined || value === null)
    return undefined
  switch (schema.type) {
    case 'structure':
      return isObject(value) ? structure(value, schema, shapes) : undefined
    case 'list': {
      if (!Array.isArray(value)) return undefined
      return value.map((item) => convert(item, schema.member, shapes)).filter((item) => item !== undefined)
    }
    case 'map': {
      if (!isObject(value)) return undefined
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) {
        const converted = convert(item, schema.value, shapes)
        if (converted !== undefined) out[key] = converted
      }
      return out
    }
    case 'string':
      return typeof value === 'string' ? value : undefined
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined
    case 'timestamp':
      if (value instanceof Date) return javaDate(value.getTime())
      return typeof value === 'number' ? javaDate(value * 1000) : undefined
    case 'blob':
      if (value instanceof Uint8Array)
        return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64')
      return typeof value === 'string' ? value : undefined
    default:
      return typeof value === 'number' ? value : undefined
  }
}

function structure(value: Record<string, unknown>, schema: StructureSchema, shapes: ShapeTable): unknown {
  if (schema.document === true) return undefined
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(value)) {
    const member = schema.members[name]
    if (member === undefined || NEVER_RECORDED.has(name) || schema.sensitiveMembers?.includes(name)) continue
    const converted = convert(item, member, shapes)
    if (converted !== undefined) out[lowerCamel(name)] = converted
  }
  return out
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  )
}

/** `SecretId` → `secretId`, `ARN` → `arn`, `KMSKeyId` → `kmsKeyId`: a leading acronym is lowered as a whole. */
export function lowerCamel(name: string): string {
  let run = 0
  while (run < name.length && name[run] !== name[run]?.toLowerCase()) run++
  if (run === 0) return name
  if (run === name.length) return name.toLowerCase()
  const keep = run === 1 ? 1 : run - 1
  return name.slice(0, keep).toLowerCase() + name.slice(keep)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Dates inside request parameters and response elements: `May 3, 2018 5:51:02 PM` (UTC), reference §1. */
export function javaDate(ms: number): string {
  const d = new Date(ms)
  const hours = d.getUTCHours()
  const two = (n: number) => String(n).padStart(2, '0')
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${hours % 12 === 0 ? 12 : hours % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
}
