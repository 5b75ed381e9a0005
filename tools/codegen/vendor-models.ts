/**
 * Copies the botocore service models into `models/` without their documentation prose, so the repository
 * is self-contained (CI cannot see the shared spec directory) and the generator cannot leak AWS prose.
 *
 *   node --import tsx tools/codegen/vendor-models.ts [--from <dir>] [--to <dir>]
 *
 * Re-runnable: the output depends only on the source files.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { isMain, repoRoot } from './paths.js'

export const VENDORED_MODELS: readonly string[] = [
  'secretsmanager/2017-10-17',
  'kms/2014-11-01',
  'ssm/2014-11-06',
  'sts/2011-06-15',
  'iam/2010-05-08',
  'cloudtrail/2013-11-01',
  'events/2015-10-07',
  'lambda/2015-03-31',
]

export const DEFAULT_SOURCE = '/work/shared/spec/aws-models'

/** Prose keys; everything else in the model is structural and kept. */
const PROSE_KEYS = new Set(['documentation', 'documentationUrl', 'examples'])

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Drops prose keys from one trait bag (an operation, shape, member or shape reference). */
function withoutProse(node: JsonObject): JsonObject {
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    if (!PROSE_KEYS.has(key)) out[key] = value
  }
  return out
}

function stripRef(value: Json | undefined): Json | undefined {
  return isObject(value) ? withoutProse(value) : value
}

/**
 * Strips prose only where botocore puts traits. Walking blindly would also drop a member that happens
 * to be *named* `documentation`.
 */
export function stripModel(model: JsonObject): JsonObject {
  const out = withoutProse(model)
  if (isObject(model['operations'])) {
    const ops: JsonObject = {}
    for (const [name, op] of Object.entries(model['operations'])) {
      if (!isObject(op)) throw new Error(`operation ${name} is not an object`)
      const o = withoutProse(op)
      for (const key of ['input', 'output'] as const) {
        if (o[key] !== undefined) o[key] = stripRef(o[key]) ?? null
      }
      if (Array.isArray(o['errors'])) o['errors'] = o['errors'].map((e) => stripRef(e) ?? null)
      ops[name] = o
    }
    out['operations'] = ops
  }
  if (isObject(model['shapes'])) {
    const shapes: JsonObject = {}
    for (const [name, shape] of Object.entries(model['shapes'])) {
      if (!isObject(shape)) throw new Error(`shape ${name} is not an object`)
      const s = withoutProse(shape)
      if (isObject(s['members'])) {
        const members: JsonObject = {}
        for (const [m, ref] of Object.entries(s['members'])) members[m] = stripRef(ref) ?? null
        s['members'] = members
      }
      for (const key of ['member', 'key', 'value'] as const) {
        if (s[key] !== undefined) s[key] = stripRef(s[key]) ?? null
      }
      shapes[name] = s
    }
    out['shapes'] = shapes
  }
  return out
}

/** JSON.parse reorders integer-like keys; refuse rather than silently change key order. */
function assertNoIndexKeys(value: Json, where: string): void {
  if (Array.isArray(value)) value.forEach((v, i) => assertNoIndexKeys(v, `${where}[${i}]`))
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (/^(0|[1-9]\d*)$/.test(k)) throw new Error(`${where}: integer-like key ${k} would be reordered`)
      assertNoIndexKeys(v, `${where}.${k}`)
    }
  }
}

export function vendorText(original: string, label: string): string {
  const parsed = JSON.parse(original) as Json
  if (!isObject(parsed)) throw new Error(`${label}: not a JSON object`)
  assertNoIndexKeys(parsed, label)
  return `${JSON.stringify(stripModel(parsed), null, 2)}\n`
}

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex')

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { from: { type: 'string', default: DEFAULT_SOURCE }, to: { type: 'string' } },
  })
  const from = path.resolve(values.from)
  const to = path.resolve(values.to ?? path.join(repoRoot, 'models'))
  const readme = await readFile(path.join(from, 'README.md'), 'utf8').catch(() => '')
  const commit = /commit `([0-9a-f]{40})`/.exec(readme)?.[1]

  const rows: string[] = []
  for (const model of VENDORED_MODELS) {
    const source = path.join(from, model, 'service-2.json')
    const original = await readFile(source)
    const text = vendorText(original.toString('utf8'), model)
    const target = path.join(to, model, 'service-2.json')
    await mkdir(path.dirname(target), { recursive: true })
    const previous = await readFile(target, 'utf8').catch(() => undefined)
    if (previous !== text) await writeFile(target, text)
    rows.push(
      `| \`${model}/service-2.json\` | \`${source}\` | \`${sha256(original)}\` | \`${sha256(text)}\` |`,
    )
  }

  const sources = [
    '# Vendored AWS service models',
    '',
    'Generated by `node --import tsx tools/codegen/vendor-models.ts`; do not edit by hand.',
    '',
    'Each file is a botocore `service-2.json` (Apache-2.0, `boto/botocore`' +
      (commit ? ` commit \`${commit}\`` : '') +
      ') with the `documentation`,',
    '`documentationUrl` and `examples` keys removed and re-serialized as 2-space JSON (key order kept).',
    'Everything structural is unchanged. `tools/codegen` reads these files, never the originals.',
    '',
    '| File | Source | SHA-256 of the original | SHA-256 of the vendored file |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n')
  const sourcesPath = path.join(to, 'SOURCES.md')
  const previous = await readFile(sourcesPath, 'utf8').catch(() => undefined)
  if (previous !== sources) await writeFile(sourcesPath, sources)
  console.log(`vendored ${VENDORED_MODELS.length} models into ${path.relative(process.cwd(), to) || '.'}`)
}

if (isMain(import.meta.url)) {
  await main()
}
