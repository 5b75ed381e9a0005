import type { ServerResponse } from 'node:http'
import type { AwsError } from '../../lib/aws/errors.js'
import type { MemberSchema, ShapeSchema, ShapeTable } from '../../lib/aws/schema-types.js'

/**
 * The awsQuery wire format (STS, IAM; spec §6.1): form-encoded requests (`Action=…&Version=…`, lists as
 * `Name.member.N`, maps as `Name.entry.N.key/value`), XML responses wrapped in `<OpResponse><OpResult>`
 * with `<ResponseMetadata><RequestId>`, ISO-8601 timestamps, and `<ErrorResponse>` errors. Both
 * directions are driven by the generated shape tables.
 */
export const XML_CONTENT_TYPE = 'text/xml'

/** Form fields → the JSON-like input the generated validators take (numbers and booleans converted). */
export function decodeQueryInput(
  params: URLSearchParams,
  shapes: ShapeTable,
  inputShape: string | undefined,
): unknown {
  if (inputShape === undefined) return {}
  const fields: Fields = { values: new Map(), prefixes: new Set() }
  for (const [key, value] of params) {
    if (fields.values.has(key)) continue
    fields.values.set(key, value)
    // Every dotted prefix, so "is there anything under Tags.member.3?" is one lookup.
    for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', dot + 1))
      fields.prefixes.add(key.slice(0, dot))
    fields.prefixes.add(key)
  }
  return decodeValue(fields, '', shapes, shapes[inputShape]) ?? {}
}

interface Fields {
  readonly values: Map<string, string>
  readonly prefixes: Set<string>
}

function decodeValue(
  fields: Fields,
  prefix: string,
  shapes: ShapeTable,
  shape: ShapeSchema | undefined,
): unknown {
  if (shape === undefined) return undefined
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {}
      let any = prefix === ''
      for (const [name, member] of Object.entries(shape.members)) {
        const value = decodeValue(
          fields,
          `${prefix === '' ? '' : `${prefix}.`}${member.locationName ?? name}`,
          shapes,
          shapes[member.shape],
        )
        if (value !== undefined) {
          out[name] = value
          any = true
        }
      }
      return any ? out : undefined
    }
    case 'list': {
      const itemPrefix = shape.flattened === true ? `${prefix}.` : `${prefix}.member.`
      if (fields.values.get(prefix) === '') return [] // `Name=` is how an empty list is sent
      return collect(fields, itemPrefix, (p) => decodeValue(fields, p, shapes, shapes[shape.member.shape]))
    }
    case 'map': {
      const entryPrefix = shape.flattened === true ? `${prefix}.` : `${prefix}.entry.`
      const keyName = shape.key.locationName ?? 'key'
      const valueName = shape.value.locationName ?? 'value'
      const entries = collect(fields, entryPrefix, (p) => [
        fields.values.get(`${p}.${keyName}`),
        decodeValue(fields, `${p}.${valueName}`, shapes, shapes[shape.value.shape]),
      ])
      if (entries === undefined) return undefined
      return Object.fromEntries(entries.filter(([key]) => key !== undefined) as [string, unknown][])
    }
    default: {
      const raw = fields.values.get(prefix)
      if (raw === undefined) return undefined
      if (shape.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw
      if (
        shape.type === 'integer' ||
        shape.type === 'long' ||
        shape.type === 'double' ||
        shape.type === 'float'
      ) {
        const n = Number(raw)
        return raw.trim() === '' || Number.isNaN(n) ? raw : n
      }
      return raw
    }
  }
}

/** Items `prefix1`, `prefix2`, … in order, stopping at the first missing index. */
function collect<T>(fields: Fields, prefix: string, item: (p: string) => T | undefined): T[] | undefined {
  const items: T[] = []
  for (let i = 1; ; i++) {
    const p = `${prefix}${i}`
    if (!fields.prefixes.has(p)) break
    const value = item(p)
    if (value !== undefined) items.push(value)
  }
  return items.length === 0 ? undefined : items
}

/** `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata>…</ResponseMetadata></OpResponse>` */
export function encodeQueryResponse(options: {
  operation: string
  output: unknown
  outputShape: string | undefined
  resultWrapper: string | undefined
  shapes: ShapeTable
  xmlNamespace: string
  requestId: string
}): string {
  const { operation, shapes } = options
  let result = ''
  const shape = options.outputShape === undefined ? undefined : shapes[options.outputShape]
  if (shape !== undefined && options.resultWrapper !== undefined) {
    result = `<${options.resultWrapper}>${encodeMembers(options.output, shape, shapes)}</${options.resultWrapper}>`
  }
  return (
    `<${operation}Response xmlns="${escapeXml(options.xmlNamespace)}">${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(options.requestId)}</RequestId></ResponseMetadata></${operation}Response>`
  )
}

function encodeMembers(value: unknown, shape: ShapeSchema, shapes: ShapeTable): string {
  if (shape.type !== 'structure' || value === null || typeof value !== 'object') return ''
  let xml = ''
  for (const [name, member] of Object.entries(shape.members)) {
    const memberValue = (value as Record<string, unknown>)[name]
    if (memberValue !== undefined)
      xml += encodeMember(member.locationName ?? name, memberValue, member, shapes)
  }
  return xml
}

function encodeMember(element: string, value: unknown, member: MemberSchema, shapes: ShapeTable): string {
  const shape = shapes[member.shape]
  if (shape === undefined) return ''
  switch (shape.type) {
    case 'structure':
      return `<${element}>${encodeMembers(value, shape, shapes)}</${element}>`
    case 'list': {
      const items = (value as readonly unknown[]).map((item) =>
        encodeMember(
          shape.flattened === true ? element : (shape.member.locationName ?? 'member'),
          item,
          shape.member,
          shapes,
        ),
      )
      return shape.flattened === true ? items.join('') : `<${element}>${items.join('')}</${element}>`
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([key, entry]) =>
          `<entry>${encodeMember(shape.key.locationName ?? 'key', key, shape.key, shapes)}${encodeMember(shape.value.locationName ?? 'value', entry, shape.value, shapes)}</entry>`,
      )
      return `<${element}>${entries.join('')}</${element}>`
    }
    case 'timestamp':
      return `<${element}>${(value as Date).toISOString()}</${element}>`
    case 'blob':
      return `<${element}>${Buffer.from(value as Uint8Array).toString('base64')}</${element}>`
    default:
      return `<${element}>${escapeXml(String(value))}</${element}>`
  }
}

export function sendXml(res: ServerResponse, requestId: string, body: string): void {
  res.writeHead(200, {
    'Content-Type': XML_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  })
  res.end(body)
}

/** `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function sendXmlError(
  res: ServerResponse,
  requestId: string,
  error: AwsError,
  xmlNamespace: string,
): void {
  const body =
    `<ErrorResponse xmlns="${escapeXml(xmlNamespace)}"><Error><Type>${error.fault === 'server' ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  res.writeHead(error.status, {
    'Content-Type': XML_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  })
  res.end(body)
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c)
}
