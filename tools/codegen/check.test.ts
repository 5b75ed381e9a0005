/** `--check` (what CI runs) must notice generated files that differ from a fresh generation. */
import { execFile } from 'node:child_process'
import { appendFile, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { header } from './generate.js'
import { run } from './main.js'
import { repoRoot } from './paths.js'
import { services } from './services.js'

const exec = promisify(execFile)
const tmpRoot = path.join(repoRoot, 'tools', 'codegen', `.tmp-check-${process.pid}`)
const sm = services.filter((s) => s.id === 'secretsmanager')
const dir = path.join(tmpRoot, 'secretsmanager')

/** Runs the CLI the way `npm run codegen:check` does; resolves with the exit code and stderr. */
async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await exec(process.execPath, ['--import', 'tsx', 'tools/codegen/main.ts', ...args], {
      cwd: repoRoot,
    })
    return { code: 0, stderr }
  } catch (error) {
    const e = error as { code?: number; stderr?: string }
    return { code: e.code ?? -1, stderr: e.stderr ?? '' }
  }
}

beforeEach(async () => {
  await rm(tmpRoot, { recursive: true, force: true })
  await run({ check: false, outRoot: tmpRoot, services: sm })
})

afterAll(async () => {
  await rm(tmpRoot, { recursive: true, force: true })
})

describe('codegen --check', () => {
  it('passes on freshly generated output, and generation is idempotent', async () => {
    expect(await run({ check: true, outRoot: tmpRoot, services: sm })).toEqual([])
    expect(await run({ check: false, outRoot: tmpRoot, services: sm })).toEqual([])
  })

  it('reports changed, missing and stale files, and regeneration repairs them', async () => {
    const validators = path.join(dir, 'validators.ts')
    const types = path.join(dir, 'types.ts')
    const stale = path.join(dir, 'old.ts')
    await appendFile(validators, '// hand edit\n')
    await unlink(types)
    await writeFile(stale, `${header(sm[0] ?? { id: 'x', model: 'x' })}\nexport {}\n`)
    await writeFile(path.join(dir, 'handwritten.ts'), 'export {}\n') // not generated: left alone
    expect(await run({ check: true, outRoot: tmpRoot, services: sm })).toEqual([
      { file: types, kind: 'missing' },
      { file: validators, kind: 'changed' },
      { file: stale, kind: 'stale' },
    ])
    await run({ check: false, outRoot: tmpRoot, services: sm })
    expect(await run({ check: true, outRoot: tmpRoot, services: sm })).toEqual([])
    expect(await readFile(path.join(dir, 'handwritten.ts'), 'utf8')).toBe('export {}\n')
  })

  it('exits non-zero from the command line and lists the file', async () => {
    const schema = path.join(dir, 'schema.ts')
    const original = await readFile(schema, 'utf8')
    await writeFile(schema, original.replace('max: 512', 'max: 513'))
    const result = await cli('--check', '--out-root', tmpRoot, '--service', 'secretsmanager')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(path.relative(repoRoot, schema))
    await writeFile(schema, original)
    expect((await cli('--check', '--out-root', tmpRoot, '--service', 'secretsmanager')).code).toBe(0)
  })

  it('passes on the committed output', async () => {
    const result = await cli('--check')
    expect(result.stderr).not.toContain('out of date')
    expect(result.code).toBe(0)
  })
})
