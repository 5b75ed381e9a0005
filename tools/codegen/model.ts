/**
 * The subset of the botocore `service-2.json` format the generator understands, and loading of the
 * vendored models (with patches from `tools/codegen/patches/` applied).
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { applyPatches, loadPatches } from './patches.js'
import { modelsDir, patchesDir } from './paths.js'

export interface ShapeRef {
  readonly shape: string
  readonly locationName?: string
  readonly location?: string
  readonly idempotencyToken?: boolean
  readonly flattened?: boolean
  readonly xmlNamespace?: { readonly uri: string; readonly prefix?: string }
  readonly xmlAttribute?: boolean
  readonly timestampFormat?: string
  readonly queryName?: string
  readonly jsonvalue?: boolean
  readonly hostLabel?: boolean
  readonly deprecated?: boolean
  /** Only on operation outputs (awsQuery). */
  readonly resultWrapper?: string
}

export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'double'
  | 'float'
  | 'boolean'
  | 'timestamp'
  | 'blob'

export interface Shape {
  readonly type: ShapeType
  readonly members?: Readonly<Record<string, ShapeRef>>
  readonly required?: readonly string[]
  readonly member?: ShapeRef
  readonly key?: ShapeRef
  readonly value?: ShapeRef
  readonly min?: number
  readonly max?: number
  readonly pattern?: string
  readonly enum?: readonly string[]
  readonly sensitive?: boolean
  readonly exception?: boolean
  readonly fault?: boolean
  readonly error?: {
    readonly code?: string
    readonly httpStatusCode?: number
    readonly senderFault?: boolean
  }
  readonly union?: boolean
  readonly document?: boolean
  readonly payload?: string
  readonly streaming?: boolean
  readonly flattened?: boolean
  readonly locationName?: string
  readonly xmlNamespace?: { readonly uri: string; readonly prefix?: string }
  readonly timestampFormat?: string
  readonly deprecated?: boolean
}

export interface Operation {
  readonly name: string
  readonly http?: { readonly method: string; readonly requestUri: string; readonly responseCode?: number }
  readonly input?: ShapeRef
  readonly output?: ShapeRef
  readonly errors?: readonly ShapeRef[]
  readonly idempotent?: boolean
  readonly readonly?: boolean
  readonly deprecated?: boolean
}

export interface Metadata {
  readonly apiVersion: string
  readonly endpointPrefix: string
  readonly protocol: string
  readonly serviceId: string
  readonly signingName?: string
  readonly targetPrefix?: string
  readonly jsonVersion?: string
  readonly xmlNamespace?: string
  readonly globalEndpoint?: string
}

export interface Model {
  readonly metadata: Metadata
  readonly operations: Readonly<Record<string, Operation>>
  readonly shapes: Readonly<Record<string, Shape>>
}

const SHAPE_TYPES = new Set<string>([
  'structure',
  'list',
  'map',
  'string',
  'integer',
  'long',
  'double',
  'float',
  'boolean',
  'timestamp',
  'blob',
])

/** Fails early, with the shape named, on anything the emitters would trip over later. */
export function checkModel(model: Model, label: string): void {
  const refCheck = (ref: ShapeRef | undefined, where: string): void => {
    if (ref && !Object.hasOwn(model.shapes, ref.shape)) {
      throw new Error(`${label}: ${where} refers to unknown shape ${ref.shape}`)
    }
  }
  for (const [name, shape] of Object.entries(model.shapes)) {
    if (!SHAPE_TYPES.has(shape.type))
      throw new Error(`${label}: shape ${name} has unsupported type ${shape.type}`)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`${label}: shape name ${name} is not an identifier`)
    for (const [m, ref] of Object.entries(shape.members ?? {})) {
      if (m === '__proto__') throw new Error(`${label}: member ${name}.${m} cannot be represented`)
      refCheck(ref, `${name}.${m}`)
    }
    for (const r of shape.required ?? []) {
      if (!shape.members || !Object.hasOwn(shape.members, r)) {
        throw new Error(`${label}: ${name} requires unknown member ${r}`)
      }
    }
    refCheck(shape.member, `${name}.member`)
    refCheck(shape.key, `${name}.key`)
    refCheck(shape.value, `${name}.value`)
    if (shape.type === 'list' && !shape.member) throw new Error(`${label}: list ${name} has no member`)
    if (shape.type === 'map' && (!shape.key || !shape.value))
      throw new Error(`${label}: map ${name} lacks key/value`)
  }
  for (const [name, op] of Object.entries(model.operations)) {
    refCheck(op.input, `${name}.input`)
    refCheck(op.output, `${name}.output`)
    op.errors?.forEach((e) => refCheck(e, `${name}.errors`))
  }
}

/** `model` is `<service>/<api-version>`, the directory under `models/`. */
export async function loadModel(
  model: string,
  options: { modelsDir?: string; patchesDir?: string } = {},
): Promise<Model> {
  const file = path.join(options.modelsDir ?? modelsDir, model, 'service-2.json')
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Model
  const patches = await loadPatches(options.patchesDir ?? patchesDir, model)
  const patched = applyPatches(parsed, patches, model)
  checkModel(patched, model)
  return patched
}
