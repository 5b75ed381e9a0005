/** Selection of the operations to generate and of the shapes they reach. */
import type { Model, Operation, Shape } from './model.js'

export interface Selection {
  /** Selected operations, in model order. */
  readonly operations: readonly Operation[]
  /** Reachable shape names, in model order (inputs, outputs, errors and everything they contain). */
  readonly shapes: readonly string[]
  /** Reachable from operation inputs: these get validators. */
  readonly inputShapes: ReadonlySet<string>
  /** Exception shapes referenced by the selected operations, in model order. */
  readonly exceptions: readonly string[]
}

export function children(shape: Shape): string[] {
  const out: string[] = []
  for (const ref of Object.values(shape.members ?? {})) out.push(ref.shape)
  if (shape.member) out.push(shape.member.shape)
  if (shape.key) out.push(shape.key.shape)
  if (shape.value) out.push(shape.value.shape)
  return out
}

function closure(model: Model, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>()
  const stack = [...roots]
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    if (seen.has(name)) continue
    seen.add(name)
    const shape = model.shapes[name]
    if (!shape) throw new Error(`unknown shape ${name}`)
    stack.push(...children(shape))
  }
  return seen
}

/** `allow` restricts the operations; omitted means all of them. */
export function select(model: Model, allow: readonly string[] | undefined, label: string): Selection {
  if (allow) {
    const unknown = allow.filter((name) => !Object.hasOwn(model.operations, name))
    if (unknown.length > 0)
      throw new Error(`${label}: unknown operations in allow-list: ${unknown.join(', ')}`)
  }
  const wanted = allow ? new Set(allow) : undefined
  const operations = Object.values(model.operations).filter((op) => !wanted || wanted.has(op.name))
  const inputRoots = operations.flatMap((op) => (op.input ? [op.input.shape] : []))
  const errorRoots = operations.flatMap((op) => (op.errors ?? []).map((e) => e.shape))
  const outputRoots = operations.flatMap((op) => (op.output ? [op.output.shape] : []))
  for (const e of errorRoots) {
    if (!model.shapes[e]?.exception) throw new Error(`${label}: error ${e} is not an exception shape`)
  }
  const inputShapes = closure(model, inputRoots)
  const all = closure(model, [...inputRoots, ...outputRoots, ...errorRoots])
  const errorSet = new Set(errorRoots)
  const order = Object.keys(model.shapes)
  return {
    operations,
    shapes: order.filter((name) => all.has(name)),
    inputShapes,
    exceptions: order.filter((name) => errorSet.has(name)),
  }
}
