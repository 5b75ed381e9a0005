/** `errors.ts`: one `AwsError` subclass per exception shape, plus the code → class table. */
import type { Model, Shape } from './model.js'
import { propKey, str } from './names.js'
import type { Selection } from './reachable.js'
import { shapeOf, tsType } from './ts-types.js'

export interface ErrorSpec {
  readonly code: string
  readonly status: number
  readonly fault: 'client' | 'server'
  readonly messageMember: 'message' | 'Message'
}

/** awsQuery models carry the wire code in `error.code`; the JSON protocols use the shape name. */
export function errorSpec(name: string, shape: Shape): ErrorSpec {
  const members = shape.members ?? {}
  return {
    code: shape.error?.code ?? name,
    status: shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400),
    fault: shape.fault ? 'server' : 'client',
    messageMember:
      Object.hasOwn(members, 'message') && !Object.hasOwn(members, 'Message') ? 'message' : 'Message',
  }
}

export function emitErrors(model: Model, selection: Selection, libImport: string): string {
  const classes: string[] = []
  const table: string[] = []
  const codes = new Map<string, string>()
  let usesTypes = false
  for (const name of selection.exceptions) {
    const shape = shapeOf(model, name)
    const spec = errorSpec(name, shape)
    const clash = codes.get(spec.code)
    if (clash) throw new Error(`exceptions ${clash} and ${name} share the error code ${spec.code}`)
    codes.set(spec.code, name)
    // Members other than the message travel as `fields` (e.g. SSM `ParameterNames`).
    const fields = Object.entries(shape.members ?? {})
      .filter(([member]) => member !== spec.messageMember)
      .map(([member, ref]) => `readonly ${propKey(member)}?: ${tsType(model, ref.shape, 'T.')}`)
    if (fields.some((f) => f.includes('T.'))) usesTypes = true
    const params =
      fields.length > 0 ? `message: string, fields?: { ${fields.join('; ')} }` : 'message: string'
    const args = fields.length > 0 ? `${name}.spec, message, fields` : `${name}.spec, message`
    classes.push(
      `export class ${name} extends AwsError {\n` +
        `  static readonly spec: AwsErrorSpec = { code: ${str(spec.code)}, status: ${spec.status}, fault: ${str(spec.fault)}, messageMember: ${str(spec.messageMember)} }\n` +
        `  constructor(${params}) {\n    super(${args})\n  }\n}`,
    )
    table.push(spec.code === name ? `  ${name},` : `  ${propKey(spec.code)}: ${name},`)
  }
  const imports =
    classes.length > 0 ? [`import { AwsError, type AwsErrorSpec } from ${str(libImport + '/errors.js')}`] : []
  if (usesTypes) imports.push(`import type * as T from './types.js'`)
  return (
    [
      ...imports,
      ...classes,
      `/** Exception classes by wire error code. */\nexport const errorClasses = {\n${table.join('\n')}\n} as const`,
    ].join('\n\n') + '\n'
  )
}
