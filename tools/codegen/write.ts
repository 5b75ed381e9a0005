/** Writing generated files, and comparing them with what is on disk (`--check`). */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { GENERATED_MARKER } from './generate.js'

export interface Difference {
  readonly file: string
  readonly kind: 'changed' | 'missing' | 'stale'
}

async function readOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Generated files in `dir` (by their header) that the current run did not produce. */
async function staleFiles(dir: string, produced: ReadonlySet<string>): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const stale: string[] = []
  for (const name of names.sort()) {
    const file = path.join(dir, name)
    if (produced.has(file) || !name.endsWith('.ts')) continue
    const text = await readOrUndefined(file)
    if (text?.startsWith(GENERATED_MARKER)) stale.push(file)
  }
  return stale
}

function dirsOf(files: ReadonlyMap<string, string>): string[] {
  return [...new Set([...files.keys()].map((f) => path.dirname(f)))]
}

export async function diffGenerated(files: ReadonlyMap<string, string>): Promise<Difference[]> {
  const out: Difference[] = []
  for (const [file, content] of files) {
    const current = await readOrUndefined(file)
    if (current === undefined) out.push({ file, kind: 'missing' })
    else if (current !== content) out.push({ file, kind: 'changed' })
  }
  const produced = new Set(files.keys())
  for (const dir of dirsOf(files)) {
    for (const file of await staleFiles(dir, produced)) out.push({ file, kind: 'stale' })
  }
  return out
}

/** Writes changed files only (keeps mtimes stable) and removes stale generated files. */
export async function writeGenerated(files: ReadonlyMap<string, string>): Promise<Difference[]> {
  const changes = await diffGenerated(files)
  for (const change of changes) {
    if (change.kind === 'stale') {
      await rm(change.file)
    } else {
      await mkdir(path.dirname(change.file), { recursive: true })
      await writeFile(change.file, files.get(change.file) ?? '')
    }
  }
  return changes
}
