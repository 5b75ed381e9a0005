/**
 * Corrections to the vendored models, kept as data with a reason each, so that a fix never lives in
 * generated output or in a hand-edited model. File: `patches/<service>.<api-version>.json`:
 *
 *   { "patches": [ { "shape": "X", "trait": "pattern", "from": "<old>", "to": "<new>", "reason": "..." } ] }
 *
 * `member` (optional) targets a member reference of a structure instead of the shape itself; `to: null`
 * removes the trait. `from` must equal the current value, so a patch that no longer applies (the model was
 * refreshed) fails generation instead of silently doing something else.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Model } from './model.js'

export interface Patch {
  readonly shape: string
  readonly member?: string
  readonly trait: string
  readonly from: unknown
  readonly to: unknown
  readonly reason: string
}

export async function loadPatches(dir: string, model: string): Promise<readonly Patch[]> {
  const file = path.join(dir, `${model.replace('/', '.')}.json`)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return []
  }
  const parsed = JSON.parse(text) as { patches?: Patch[] }
  const patches = parsed.patches ?? []
  for (const p of patches) {
    if (typeof p.shape !== 'string' || typeof p.trait !== 'string' || !('from' in p) || !('to' in p)) {
      throw new Error(`${file}: every patch needs shape, trait, from and to`)
    }
    if (typeof p.reason !== 'string' || p.reason.trim() === '')
      throw new Error(`${file}: patch without a reason`)
  }
  return patches
}

type Bag = Record<string, unknown>

export function applyPatches(model: Model, patches: readonly Patch[], label: string): Model {
  if (patches.length === 0) return model
  const copy = structuredClone(model) as unknown as {
    shapes: Record<string, Bag & { members?: Record<string, Bag> }>
  }
  for (const p of patches) {
    const shape = copy.shapes[p.shape]
    if (!shape) throw new Error(`${label}: patch targets unknown shape ${p.shape}`)
    const bag = p.member === undefined ? shape : shape.members?.[p.member]
    if (!bag) throw new Error(`${label}: patch targets unknown member ${p.shape}.${p.member}`)
    const where = `${p.shape}${p.member ? `.${p.member}` : ''}.${p.trait}`
    if (JSON.stringify(bag[p.trait] ?? null) !== JSON.stringify(p.from)) {
      throw new Error(`${label}: stale patch for ${where}: model has ${JSON.stringify(bag[p.trait])}`)
    }
    if (p.to === null) delete bag[p.trait]
    else bag[p.trait] = p.to
  }
  return copy as unknown as Model
}
