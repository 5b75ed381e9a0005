/** `operations.ts`: service metadata, the operation table and the operation → input/output type map. */
import type { Metadata, Model, Operation } from './model.js'
import { propKey, str, typeName } from './names.js'
import type { Selection } from './reachable.js'
import { parserName } from './emit-validators.js'

function serviceLiteral(id: string, meta: Metadata): string {
  const fields: [string, string | undefined][] = [
    ['id', id],
    ['apiVersion', meta.apiVersion],
    ['protocol', meta.protocol],
    ['endpointPrefix', meta.endpointPrefix],
    ['signingName', meta.signingName ?? meta.endpointPrefix],
    ['serviceId', meta.serviceId],
    ['targetPrefix', meta.targetPrefix],
    ['jsonVersion', meta.jsonVersion],
    ['xmlNamespace', meta.xmlNamespace],
    ['globalEndpoint', meta.globalEndpoint],
  ]
  const parts = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${str(v ?? '')}`)
  return `{ ${parts.join(', ')} }`
}

function operationLiteral(model: Model, op: Operation, rest: boolean): string {
  const inputShape = op.input ? model.shapes[op.input.shape] : undefined
  const tokens = Object.entries(inputShape?.members ?? {})
    .filter(([, ref]) => ref.idempotencyToken)
    .map(([name]) => str(name))
  const parts = [
    `name: ${str(op.name)}`,
    `input: ${op.input ? str(op.input.shape) : 'undefined'}`,
    `output: ${op.output ? str(op.output.shape) : 'undefined'}`,
    `errors: [${(op.errors ?? []).map((e) => str(e.shape)).join(', ')}]`,
    `parse: ${op.input ? parserName(op.input.shape) : 'parseEmpty'}`,
    `idempotencyTokens: [${tokens.join(', ')}]`,
  ]
  if (op.output?.resultWrapper) parts.push(`resultWrapper: ${str(op.output.resultWrapper)}`)
  if (op.idempotent) parts.push('idempotent: true')
  if (op.readonly) parts.push('readonly: true')
  if (op.deprecated) parts.push('deprecated: true')
  if (rest && op.http) {
    const http = [`method: ${str(op.http.method)}`, `requestUri: ${str(op.http.requestUri)}`]
    if (op.http.responseCode !== undefined) http.push(`responseCode: ${op.http.responseCode}`)
    parts.push(`http: { ${http.join(', ')} }`)
  }
  return `{ ${parts.join(', ')} }`
}

export function emitOperations(model: Model, selection: Selection, id: string, libImport: string): string {
  const rest = model.metadata.protocol.startsWith('rest')
  const parsers = [
    ...new Set(selection.operations.flatMap((op) => (op.input ? [parserName(op.input.shape)] : []))),
  ]
  const needsEmpty = selection.operations.some((op) => !op.input)
  const rows = selection.operations.map(
    (op) => `  ${propKey(op.name)}: ${operationLiteral(model, op, rest)},`,
  )
  const types = selection.operations.map((op) => {
    const input = op.input ? `T.${typeName(op.input.shape)}` : 'Record<string, never>'
    const output = op.output ? `T.${typeName(op.output.shape)}` : 'Record<string, never>'
    return `  ${propKey(op.name)}: { input: ${input}; output: ${output} }`
  })
  const imports = [`import type { OperationSpec, ServiceSpec } from ${str(libImport + '/schema-types.js')}`]
  if (needsEmpty) imports.push(`import { parseEmpty } from ${str(libImport + '/validate.js')}`)
  if (types.some((t) => t.includes('T.'))) imports.push(`import type * as T from './types.js'`)
  if (parsers.length > 0) imports.push(`import { ${parsers.join(', ')} } from './validators.js'`)
  return (
    [
      imports.join('\n'),
      `export const service = ${serviceLiteral(id, model.metadata)} as const satisfies ServiceSpec`,
      `export const operations = {\n${rows.join('\n')}\n} as const satisfies Record<string, OperationSpec>`,
      // No `OperationName` alias: Lambda has a shape of that name. Use `keyof OperationTypes`.
      `/** Input and output types per operation (operations without an output return an empty object). */\nexport interface OperationTypes {\n${types.join('\n')}\n}`,
    ].join('\n\n') + '\n'
  )
}
