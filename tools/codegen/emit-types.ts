/** `types.ts`: a TypeScript type for every emitted shape (exceptions are classes in `errors.ts`). */
import type { Model } from './model.js'
import { propKey, str, typeName } from './names.js'
import type { Selection } from './reachable.js'
import { isNamedType, shapeOf, tsType } from './ts-types.js'

export function emitTypes(model: Model, selection: Selection): string {
  const out: string[] = []
  for (const name of selection.shapes) {
    const shape = shapeOf(model, name)
    if (shape.exception) continue
    const ts = typeName(name)
    if (shape.type === 'structure' && isNamedType(shape)) {
      const required = new Set(shape.required ?? [])
      const members = Object.entries(shape.members ?? {}).map(([member, ref]) => {
        const optional = required.has(member) ? '' : '?'
        return `  readonly ${propKey(member)}${optional}: ${tsType(model, ref.shape, '')}`
      })
      out.push(`export interface ${ts} {\n${members.join('\n')}\n}`)
    } else if (shape.type === 'string' && shape.enum) {
      const values = shape.enum.map(str)
      out.push(`export type ${ts} = ${values.length > 0 ? values.join(' | ') : 'never'}`)
      out.push(`export const ${ts}Values = [${values.join(', ')}] as const`)
    } else {
      out.push(`export type ${ts} = ${tsType(model, name, '')}`)
    }
  }
  return out.join('\n\n') + '\n'
}
