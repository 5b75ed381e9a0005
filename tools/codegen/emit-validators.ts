/**
 * `validators.ts`: one specialised parse function per operation input, plus one function per structure,
 * list and map shape reachable from the inputs. Scalars are checked inline. The code follows Coral's
 * semantics (see `src/lib/aws/validate.ts`): a wrong JSON type throws at once, constraint violations are
 * collected depth-first in member order.
 *
 * Validation paths are only built on the error path, except the prefix handed to a nested structure,
 * list or map. Values of sensitive shapes, and everything inside a sensitive container, are never
 * rendered into messages (such functions are emitted in a separate `_redacted` variant).
 */
import { indent, lengthChecks, ModuleScope, rangeChecks, stringChecks } from './emit-checks.js'
import type { Model, Shape } from './model.js'
import { lowerFirst, propAccess, str, typeName } from './names.js'
import type { Selection } from './reachable.js'
import { arrayElement, refOf, shapeOf, tsType } from './ts-types.js'

/** Builds the path expression of the value being checked, with `suffix` appended. */
type PathFn = (suffix: string) => string

interface ValueCode {
  readonly pre: readonly string[]
  readonly expr: string
}

interface FnRequest {
  readonly name: string
  readonly shape: string
  readonly redacted: boolean
}

export class ValidatorEmitter {
  private readonly scope: ModuleScope
  private readonly requested = new Map<string, FnRequest>()
  private readonly queue: FnRequest[] = []
  private pathUsed = false

  constructor(
    private readonly model: Model,
    private readonly label: string,
  ) {
    this.scope = new ModuleScope(label)
  }

  emit(selection: Selection, libImport: string): string {
    const exported: string[] = []
    const inputs = new Set<string>()
    for (const op of selection.operations) {
      if (op.input && !inputs.has(op.input.shape)) inputs.add(op.input.shape)
    }
    for (const input of inputs) {
      const shape = shapeOf(this.model, input)
      if (shape.type !== 'structure') throw new Error(`${this.label}: input ${input} is not a structure`)
      const fn = this.fn(input, Boolean(shape.sensitive))
      exported.push(
        `export function ${parserName(input)}(raw: unknown): T.${typeName(input)} {\n` +
          `  return ${this.use('done')}(${fn}(${this.use('root')}(raw), ''))\n}`,
      )
    }
    const bodies: string[] = []
    for (let next = this.queue.shift(); next; next = this.queue.shift()) bodies.push(this.body(next))

    const typeHelpers = ['Mutable', 'Obj'].filter((h) => this.scope.helpers.has(h))
    const valueHelpers = [...this.scope.helpers].filter((h) => !typeHelpers.includes(h)).sort()
    const specifiers = [...valueHelpers, ...typeHelpers.map((h) => `type ${h}`)]
    const imports = [`import { ${specifiers.join(', ')} } from ${str(libImport + '/validate.js')}`]
    if (exported.length > 0) imports.push(`import type * as T from './types.js'`)
    if (this.scope.valueImports.size > 0) {
      imports.push(`import { ${[...this.scope.valueImports].sort().join(', ')} } from './types.js'`)
    }
    if (exported.length === 0) return '// No operation of this service takes an input.\nexport {}\n'
    return [imports.join('\n'), ...this.scope.consts, ...exported, ...bodies].join('\n\n') + '\n'
  }

  private use(helper: string): string {
    return this.scope.use(helper)
  }

  /** Name of the function that parses `shape` (structure, list or map), requesting it if new. */
  private fn(shapeName: string, redacted: boolean): string {
    const shape = shapeOf(this.model, shapeName)
    const prefix = shape.type === 'structure' ? 's' : shape.type === 'list' ? 'l' : 'm'
    const name = `${prefix}_${shapeName}${redacted ? '_redacted' : ''}`
    if (!this.requested.has(name)) {
      const request = { name, shape: shapeName, redacted }
      this.requested.set(name, request)
      this.queue.push(request)
    }
    return name
  }

  private body(request: FnRequest): string {
    const shape = shapeOf(this.model, request.shape)
    this.pathUsed = false
    switch (shape.type) {
      case 'structure':
        return this.structure(request, shape)
      case 'list':
        return this.list(request, shape)
      case 'map':
        return this.map(request, shape)
      default:
        throw new Error(`${this.label}: no function for ${shape.type} shape ${request.shape}`)
    }
  }

  private structure(request: FnRequest, shape: Shape): string {
    const type = `T.${typeName(request.shape)}`
    const members = Object.entries(shape.members ?? {})
    if (members.length === 0) {
      return `function ${request.name}(_o: ${this.use('Obj')}, _p: string): ${type} {\n  return {}\n}`
    }
    const required = new Set(shape.required ?? [])
    const lines = [`const r = {} as ${this.use('Mutable')}<${type}>`]
    members.forEach(([member, ref], index) => {
      const path: PathFn = (suffix) => {
        this.pathUsed = true
        return `p + ${str(lowerFirst(member) + suffix)}`
      }
      const code = this.value(ref.shape, path, request.redacted)
      const assign = [...code.pre, `${propAccess('r', member, false)} = ${code.expr}`]
      // One `v` for all members keeps the function small; `const` when there is nothing to reassign.
      const declare = index > 0 ? '' : members.length === 1 ? 'const v: unknown = ' : 'let v: unknown = '
      lines.push(`${declare || 'v = '}${propAccess('o', member)}`)
      if (required.has(member)) {
        lines.push(`if (v == null) ${this.use('missing')}(${path('')})`, `else {`, ...indent(assign), '}')
      } else {
        lines.push(`if (v != null) {`, ...indent(assign), '}')
      }
    })
    lines.push('return r')
    const p = this.pathUsed ? 'p' : '_p'
    return `function ${request.name}(o: ${this.use('Obj')}, ${p}: string): ${type} {\n${indent(lines).join('\n')}\n}`
  }

  private list(request: FnRequest, shape: Shape): string {
    const member = refOf(shape.member, request.shape)
    const memberShape = shapeOf(this.model, member)
    const redacted = request.redacted || Boolean(shape.sensitive)
    const element = tsType(this.model, member, 'T.')
    // The list itself is rendered as `[a, b]` only when its elements are plain visible scalars.
    const renderable =
      !redacted &&
      !memberShape.sensitive &&
      ['string', 'integer', 'long', 'double', 'float', 'boolean'].includes(memberShape.type)
    const render = renderable ? `${this.use('renderList')}(a)` : 'undefined'
    const lines = lengthChecks(
      shape,
      'a.length',
      (phrase) => `${this.use('fail')}(p, ${render}, ${str(phrase)})`,
    )
    const path: PathFn = (suffix) => `p + '.' + (i + 1) + ${str('.member' + suffix)}`
    const code = this.value(member, path, redacted)
    lines.push(
      `const r: ${arrayElement(element)}[] = []`,
      'for (let i = 0; i < a.length; i++) {',
      '  const v = a[i]',
      `  if (v == null) {`,
      `    ${this.use('missing')}(${path('')})`,
      '    continue',
      '  }',
      ...indent([...code.pre, `r.push(${code.expr})`]),
      '}',
      'return r',
    )
    return `function ${request.name}(a: readonly unknown[], p: string): ${arrayElement(element)}[] {\n${indent(lines).join('\n')}\n}`
  }

  private map(request: FnRequest, shape: Shape): string {
    const keyName = refOf(shape.key, request.shape)
    const valueName = refOf(shape.value, request.shape)
    const keyShape = shapeOf(this.model, keyName)
    const redacted = request.redacted || Boolean(shape.sensitive)
    const hideKey = redacted || Boolean(keyShape.sensitive)
    const valueType = tsType(this.model, valueName, 'T.')
    const lines = lengthChecks(
      shape,
      'keys.length',
      (phrase) => `${this.use('fail')}(p, undefined, ${str(phrase)})`,
    )
    const keyChecks =
      keyShape.type === 'string'
        ? stringChecks(
            this.scope,
            keyName,
            keyShape,
            'k',
            (phrase) => `${this.use('failKey')}(p, ${hideKey ? 'undefined' : 'k'}, ${str(phrase)})`,
          )
        : []
    // Keys of a sensitive map stay out of the path too.
    const path: PathFn = (suffix) =>
      hideKey ? (suffix ? `p + ${str(suffix)}` : 'p') : `p + '.' + k${suffix ? ` + ${str(suffix)}` : ''}`
    const code = this.value(valueName, path, redacted)
    lines.unshift('const keys = Object.keys(o)')
    lines.push(
      `const r = ${this.use('newMap')}<${valueType}>()`,
      'for (const k of keys) {',
      ...indent(keyChecks),
      '  const v = o[k]',
      '  if (v == null) {',
      `    ${this.use('missing')}(${path('')})`,
      '    continue',
      '  }',
      ...indent([...code.pre, `r[k] = ${code.expr}`]),
      '}',
      'return r',
    )
    return `function ${request.name}(o: ${this.use('Obj')}, p: string): Record<string, ${valueType}> {\n${indent(lines).join('\n')}\n}`
  }

  /** Checks and conversion of a non-null JSON value held in `v`. */
  private value(shapeName: string, path: PathFn, redactedContext: boolean): ValueCode {
    const shape = shapeOf(this.model, shapeName)
    const redacted = redactedContext || Boolean(shape.sensitive)
    const render = redacted ? 'undefined' : 'v'
    const report = (phrase: string): string => `${this.use('fail')}(${path('')}, ${render}, ${str(phrase)})`
    const wrong = (target: string): string => `${this.use('wrongType')}(v, ${str(target)})`
    switch (shape.type) {
      case 'string': {
        const pre = [
          `if (typeof v !== 'string') ${wrong('a String')}`,
          ...stringChecks(this.scope, shapeName, shape, 'v', report),
        ]
        return { pre, expr: shape.enum ? `v as T.${typeName(shapeName)}` : 'v' }
      }
      case 'integer':
      case 'long': {
        const check =
          shape.type === 'integer'
            ? `if (!${this.use('isInt')}(v)) ${wrong('an Integer')}`
            : `if (!${this.use('isLong')}(v)) ${wrong('a Long')}`
        return { pre: [check, ...rangeChecks(shape, report)], expr: 'v' }
      }
      case 'double':
      case 'float': {
        const check = `if (typeof v !== 'number') ${wrong(shape.type === 'double' ? 'a Double' : 'a Float')}`
        return { pre: [check, ...rangeChecks(shape, report)], expr: 'v' }
      }
      case 'boolean':
        return { pre: [`if (typeof v !== 'boolean') ${wrong('a Boolean')}`], expr: 'v' }
      case 'timestamp':
        return { pre: [], expr: `${this.use('toDate')}(v)` }
      case 'blob': {
        // Bytes are never rendered, sensitive or not.
        const blobReport = (phrase: string): string =>
          `${this.use('fail')}(${path('')}, undefined, ${str(phrase)})`
        return {
          pre: [`const b = ${this.use('blob')}(v)`, ...lengthChecks(shape, 'b.length', blobReport)],
          expr: 'b',
        }
      }
      case 'structure':
        if (shape.document) return { pre: [], expr: 'v' }
        return { pre: [], expr: `${this.fn(shapeName, redacted)}(${this.use('struct')}(v), ${path('.')})` }
      case 'list':
        return { pre: [], expr: `${this.fn(shapeName, redacted)}(${this.use('list')}(v), ${path('')})` }
      case 'map':
        return { pre: [], expr: `${this.fn(shapeName, redacted)}(${this.use('map')}(v), ${path('')})` }
    }
  }
}

export function parserName(inputShape: string): string {
  return `parse${inputShape.charAt(0).toUpperCase()}${inputShape.slice(1)}`
}

export function emitValidators(model: Model, selection: Selection, libImport: string, label: string): string {
  return new ValidatorEmitter(model, label).emit(selection, libImport)
}
